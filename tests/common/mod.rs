//! Helpers shared by the integration tests: `decode` output against other
//! decoders' expectations (here), the console without a terminal
//! ([`console_app`]), the real binary in a pseudo-terminal ([`screen`]), a
//! pseudo-terminal pair standing in for a serial line ([`serial_pty`]).
//! Each test binary takes them with `mod common;`.
#![allow(dead_code)]

pub mod console_app;
pub mod screen;
pub mod serial_pty;

use bridgewatch::decode::{DecodeOptions, Decoder};
use serde_json::Value;

/// Run `decode` over `input` in the given style: the JSON records and the
/// text written to standard error.
pub fn decode_bytes(input: &[u8], scaled: bool, gpsd_compat: bool) -> (Vec<Value>, String) {
    let mut dec = Decoder::new(DecodeOptions {
        scaled,
        gpsd_compat,
    });
    let (mut out, mut err) = (Vec::new(), Vec::new());
    dec.run("t", input, &mut out, &mut err)
        .expect("in-memory decode");
    let values = String::from_utf8(out)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON {l}: {e}")))
        .collect();
    (values, String::from_utf8_lossy(&err).into_owned())
}

/// `decode_bytes` over sentences given one per string.
pub fn decode_lines(lines: &[&str], scaled: bool, gpsd_compat: bool) -> (Vec<Value>, String) {
    decode_bytes((lines.join("\n") + "\n").as_bytes(), scaled, gpsd_compat)
}

/// The `sentences` array of an expectations record.
pub fn sentences(rec: &Value) -> Vec<&str> {
    rec["sentences"]
        .as_array()
        .expect("sentences")
        .iter()
        .filter_map(Value::as_str)
        .collect()
}
