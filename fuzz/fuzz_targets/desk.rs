//! The send side under arbitrary sequences: ETA reports and safety
//! messages queued, written or failing to be written, ABKs of every kind
//! (well-formed, so they pass the checksum gate, with any message number,
//! identifier, addressee and type), RTAs from any station with any time
//! and status, raw lines, and time jumping ahead — through the engine, its
//! desk and its alarms. Nothing may panic, an ABM identifier is never held
//! twice, at most four addressed messages are in flight, and the journal
//! compacted at any moment restores the same outbox.
#![no_main]

use bridgewatch::ais::application::{AddressedApp, DayTime, InlandLocation, InlandRta};
use bridgewatch::ais::encode::{encode, to_vdm};
use bridgewatch::ais::messages::AddressedBinary;
use bridgewatch::ais::{AisMessage, Body};
use bridgewatch::app::alarm_log::AlarmLog;
use bridgewatch::app::engine::Engine;
use bridgewatch::nmea::armour::Text;
use bridgewatch::nmea::pi::{self, Abk, AckType};
use bridgewatch::traffic::config::TrafficConfig;
use bridgewatch::voyage::command::{self, EtaOptions};
use bridgewatch::voyage::desk::Desk;
use bridgewatch::voyage::outbox::{Item, OutboxConfig};
use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;

const OWN: u32 = 244_000_001;
const T0: i64 = 1_795_348_800_000;
const PEERS: [u32; 4] = [2_039_991, 2_268_000, 244_123_456, 211_000_001];

fn rta_line(from: u32, to: u32, b: &[u8]) -> Option<String> {
    let g = |i: usize| b.get(i).copied().unwrap_or(0);
    let m = AisMessage {
        msg_type: 6,
        repeat: 0,
        mmsi: from,
        body: Body::AddressedBinary(Box::new(AddressedBinary {
            seqno: g(0) & 3,
            dest_mmsi: to,
            retransmit: false,
            dac: 200,
            fid: 22,
            app: AddressedApp::InlandRta(InlandRta {
                location: InlandLocation {
                    country: Text::from_str_lossy("AT"),
                    locode: Text::from_str_lossy("VIE"),
                    section: Text::from_str_lossy("00001"),
                    terminal: Text::from_str_lossy("00000"),
                    hectometre: Text::from_str_lossy("01234"),
                },
                rta: DayTime {
                    month: g(1) % 16,
                    day: g(2) % 32,
                    hour: g(3) % 32,
                    minute: g(4) % 64,
                },
                status: g(5) % 4,
            }),
        })),
    };
    let bits = encode(&m).ok()?;
    Some(to_vdm(&bits, "AI", false, Some('A'), 0).join("\r\n"))
}

fn item(b: &[u8], now: i64) -> Option<Item> {
    let g = |i: usize| b.get(i).copied().unwrap_or(0);
    let to = PEERS[usize::from(g(0)) % PEERS.len()];
    match g(1) % 3 {
        0 => {
            let o = EtaOptions {
                to: format!("{to:09}"),
                country: "AT".into(),
                location: "VIE".into(),
                section: "00001".into(),
                terminal: "00000".into(),
                hectometre: "01234".into(),
                eta: "2027-01-01T12:00Z".into(),
                tugs: Some((g(2) % 8).to_string()),
                air_draught: None,
            };
            command::eta_report(&o, now).ok().map(Item::Eta)
        }
        1 => command::safety_message(Some(&format!("{to:09}")), "KEEP CLEAR")
            .ok()
            .map(Item::Safety),
        _ => command::safety_message(None, "SECURITE")
            .ok()
            .map(Item::Safety),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut c = TrafficConfig::default();
    c.own_ship.mmsi = Some(OWN);
    c.own_ship.abk_timeout_s = 5.0;
    let mut e = Engine::new(c, true);
    e.transponder = Some(0);
    e.desk = Desk::new(
        Some(OWN),
        true,
        OutboxConfig {
            abk_timeout_ms: 5_000,
        },
    );
    let mut sink = Vec::new();
    let mut log = AlarmLog::open(None, &mut sink);
    let mut now = T0;
    let mut pending = Vec::new();
    for op in data.chunks(8) {
        let g = |i: usize| op.get(i).copied().unwrap_or(0);
        match g(0) % 8 {
            0 | 1 => {
                if let Some(it) = item(op.get(1..).unwrap_or(&[]), now) {
                    let _ = e.desk.send(it, now);
                }
            }
            2 => pending.extend(e.desk.writes(now)),
            3 => {
                // Settle the oldest write: done or failed.
                if !pending.is_empty() {
                    let w = pending.remove(0);
                    let r = if g(1) & 1 == 0 {
                        Ok(())
                    } else {
                        Err("link down".to_string())
                    };
                    e.desk.write_done(&w.tag, r, now);
                }
            }
            4 => {
                let dest = match g(1) % 5 {
                    4 => None,
                    k => Some(PEERS[usize::from(k)]),
                };
                let msg_id = [6, 12, 14, 8, g(2)][usize::from(g(3)) % 5];
                let abk = Abk {
                    dest_mmsi: dest,
                    channel: Some(if g(4) & 1 == 0 { 'A' } else { 'B' }),
                    msg_id,
                    seq_id: g(5) % 12,
                    ack: match g(6) % 5 {
                        0 => AckType::Received,
                        1 => AckType::NoAcknowledgement,
                        2 => AckType::NotBroadcast,
                        3 => AckType::Broadcast,
                        _ => AckType::LateAcknowledgement,
                    },
                };
                let line = pi::build_abk("AI", &abk);
                e.push_line(Some(line.as_bytes()), now);
            }
            5 => {
                let from = PEERS[usize::from(g(1)) % PEERS.len()];
                let to = if g(2) & 1 == 0 { OWN } else { PEERS[0] };
                if let Some(text) = rta_line(from, to, op.get(3..).unwrap_or(&[])) {
                    for l in text.split("\r\n") {
                        e.push_line(Some(l.as_bytes()), now);
                    }
                }
            }
            6 => {
                now += i64::from(g(1)) * 10_000;
                e.tick(now);
            }
            _ => e.push_line(op.get(1..), now),
        }
        e.drain(&mut log, now);
        // Invariants of the outbox.
        let mut held = HashSet::new();
        let mut abm_in_flight = 0;
        for entry in e.desk.outbox_entries() {
            if entry.state.in_flight() {
                let pool = entry.item.msg_id() == 14;
                assert!(
                    held.insert((pool, entry.state.seq())),
                    "identifier held twice: {:?}",
                    e.desk.outbox_entries()
                );
                if !pool {
                    abm_in_flight += 1;
                }
            }
        }
        assert!(abm_in_flight <= 4);
    }
    let (ob, ib) = e.desk.compacted_journals();
    let mut back = Desk::new(
        Some(OWN),
        true,
        OutboxConfig {
            abk_timeout_ms: 5_000,
        },
    );
    let problems = back.restore(&ob, &ib, now);
    assert!(problems.is_empty(), "{problems:?}");
    // Restoring turns `sending` into `interrupted`; everything else is kept.
    for (a, b) in e.desk.outbox_entries().iter().zip(back.outbox_entries()) {
        assert_eq!((a.id, &a.item, a.queued_ms), (b.id, &b.item, b.queued_ms));
        if !matches!(a.state, bridgewatch::voyage::outbox::State::Sending { .. }) {
            assert_eq!(a.state, b.state);
        }
    }
    assert_eq!(e.desk.outbox_entries().len(), back.outbox_entries().len());
});
