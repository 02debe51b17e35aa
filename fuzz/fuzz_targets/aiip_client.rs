//! Arbitrary datagrams to the AI-IP client. Nothing may panic; every
//! datagram is counted exactly once; whatever the client sends decodes.
#![no_main]

use bridgewatch::aiip::client::{Client, ClientConfig, Mode, OwnPosition};
use bridgewatch::aiip::codec::{Message, decode, encode};
use libfuzzer_sys::fuzz_target;

const T0: i64 = 1_795_000_000_000;

fuzz_target!(|data: &[u8]| {
    // First byte: mode and smart; then datagrams, each prefixed by its
    // length byte, with a time step after each. Sign-ons are acknowledged.
    let Some((&head, mut rest)) = data.split_first() else {
        return;
    };
    let mode = Mode::ALL[usize::from(head % 3)];
    let range_km = if mode == Mode::Strategic { 40 } else { 10 };
    let mut c = Client::new(ClientConfig {
        own_mmsi: 244_000_001,
        mode,
        range_km,
        smart: head & 0x80 != 0,
        ..ClientConfig::default()
    });
    let mut t = T0;
    let mut n = 0u64;
    while let Some((&len, tail)) = rest.split_first() {
        let len = usize::from(len).min(tail.len());
        let (datagram, tail) = tail.split_at(len);
        rest = tail;
        c.set_own(
            OwnPosition {
                // Bit 6 of the first byte: a slow vessel (SOG < 0.3 kn)
                // within 30 m when the lengths stay under 27, else up to
                // 280 m off, so both conclusions of status detection occur.
                lat: 52.0 + f64::from(len as u8) * 1e-5,
                lon: 5.0,
                sog_kn: Some(f64::from(len as u8 % 30) * if head & 0x40 != 0 { 0.01 } else { 1.0 }),
                cog_deg: Some(f64::from(len as u8) * 1.4),
                heading_deg: None,
            },
            t,
        );
        c.handle_datagram(datagram, t);
        n += 1;
        t += i64::from(len as u8) * 50;
        c.tick(t);
        let mut acks = Vec::new();
        for d in c.take_datagrams() {
            let m = decode(&d);
            assert!(m.is_ok(), "the client sent {d:02X?}");
            // Acknowledge sign-ons, so that smart AI-IP (and its status
            // detection) runs on what follows.
            if let Ok(Message::SignOn { timestamp, .. }) = m
                && let Ok(ack) = encode(&Message::Acknowledgement { timestamp })
            {
                acks.push(ack);
            }
        }
        for a in acks {
            c.handle_datagram(&a, t);
            n += 1;
        }
        let _ = c.take_events();
        let _ = c.status(t).to_string();
    }
    let s = c.stats();
    assert_eq!(s.datagrams_in, n);
    let counted = s.oversized
        + s.rejected.values().sum::<u64>()
        + s.unexpected
        + s.responses
        + s.acks
        + s.stray_acks;
    assert_eq!(counted, n);
});
