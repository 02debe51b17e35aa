//! Arbitrary bytes through the whole decode path — line framing, NMEA
//! framing, VDM reassembly, AIS decoding, JSON — and through the GNSS and
//! presentation-sentence parsers, in every output style. Nothing may panic.
#![no_main]

use bridgewatch::decode::{DecodeOptions, Decoder};
use bridgewatch::nmea::{frame, gnss, pi};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks scaled/unscaled and --gpsd-compat.
    let mode = data.first().copied().unwrap_or(0);
    let mut d = Decoder::new(DecodeOptions {
        scaled: mode & 1 == 0,
        gpsd_compat: mode & 2 != 0,
    });
    let mut out = Vec::new();
    let mut err = Vec::new();
    let _ = d.run("fuzz", data, &mut out, &mut err);
    for line in data.split(|&b| b == b'\n') {
        if let Ok(s) = frame(line) {
            let _ = gnss::parse(&s);
            let _ = pi::parse_binary(&s);
            let _ = pi::parse_abk(&s);
            let _ = pi::parse_vsd(&s);
            let _ = pi::parse_ssd(&s);
            let _ = pi::parse_alr(&s);
            let _ = pi::parse_txt(&s);
        }
    }
});
