//! The built-in demo: an eight-minute night watch in the Fehmarn Belt,
//! generated with our own encoders as the NMEA a transponder and GNSS would
//! deliver (tag-block times, RMC/HDT every second, VDM/VDO).
//!
//! The story: own ship eastbound at 12 kn; within the first minute a
//! crossing ship from starboard becomes dangerous; a fishing vessel stops
//! transmitting at 2:00 and is lost about a minute later; an AIS-SART comes
//! up at 3:30; a coast station broadcasts a safety message at 4:00; the
//! crossing ship calls us at 5:00 and alters course to starboard.
//!
//! Two stations answer what the console sends (the demo's simulated
//! transponder, [`super::demo_transponder`]): the lock [`DEMO_LOCK_MMSI`]
//! and the ship [`DEMO_ACK_SHIP_MMSI`].

use crate::ais::messages::*;
use crate::nmea::armour::Text;
use crate::nmea::build;
use crate::sim::{self, raw_position as raw};
use crate::traffic::geo;

fn line(out: &mut String, ms: i64, sentence: &str) {
    out.push_str(&sim::tagged(sentence, ms));
    out.push_str("\r\n");
}

fn send(out: &mut String, ms: i64, m: &AisMessage, own: bool, seq: &mut u8) {
    *seq = (*seq + 1) % 10;
    let channel = if (ms / 1000) % 2 == 0 { 'A' } else { 'B' };
    for s in sim::vdm(m, ms, own, channel, *seq) {
        out.push_str(&s);
        out.push_str("\r\n");
    }
}

fn position(mmsi: u32, leg: &Leg, p: (f64, f64), status: u8, t: i64) -> AisMessage {
    let cog = (leg.sog > 0.0).then_some(leg.cog);
    sim::class_a(mmsi, p, cog, leg.sog, status, (t % 60) as u8)
}

/// Start of the demo's data time: 2026-06-21T21:00:00Z.
pub const START_MS: i64 = 1_782_075_600_000;
/// Length of the scenario, seconds.
pub const DURATION_S: i64 = 480;
/// Own ship's MMSI in the demo.
pub const OWN_MMSI: u32 = 244_123_456;

const OWN_START: (f64, f64) = (54.50, 11.00);

/// The lock of the demo, PUTTGARDEN LOCK (a made-up Inland AIS station at
/// the ferry harbour ahead of own ship, about 6 NM to the east): a coast
/// station MMSI `00MIDxxxx` (MID 211, Germany), as Inland AIS lock and
/// bridge stations use. It shows as an AtoN target with its name (message
/// 21 every minute from 0:25); it acknowledges every addressed message
/// and answers an ETA report (message 6, DAC 200, FI 21) with an RTA
/// (FI 22) of the ETA + 10 minutes, status operational.
///
/// Try it: press `e` (ETA report), address `002111240` with any ISRS
/// location code (e.g. DE PUT 00001 LOCK1 00000) and an ETA; the ABK comes
/// after 2 s, the RTA 20 s after the report.
pub const DEMO_LOCK_MMSI: u32 = 2_111_240;
/// The lock's name, as its message 21 carries it.
pub const DEMO_LOCK_NAME: &str = "PUTTGARDEN LOCK";
/// The ship of the demo that acknowledges addressed messages: NORDIC
/// STAR, the crossing ship (the one that calls us at 5:00).
///
/// Try it: select NORDIC STAR and press `m` (safety message); the ABK
/// (received by the addressee) comes after 2 s and the ship's own message
/// 12, "RECEIVED, NORDIC STAR", 30 s after the message. A message to any
/// other MMSI gets "no acknowledgement" after 4 s; a broadcast (no
/// addressee) is reported as broadcast after 2 s.
pub const DEMO_ACK_SHIP_MMSI: u32 = 230_123_000;
/// NORDIC STAR's name, as its message 5 carries it.
pub const DEMO_ACK_SHIP_NAME: &str = "NORDIC STAR";

#[derive(Clone, Copy)]
struct Leg {
    p: (f64, f64),
    t_s: f64,
    cog: f64,
    sog: f64,
}

impl Leg {
    fn at(&self, t_s: f64) -> (f64, f64) {
        geo::extrapolate(self.p, self.cog, self.sog, t_s - self.t_s)
    }
}

struct Ship {
    mmsi: u32,
    name: &'static str,
    callsign: &'static str,
    ship_type: u8,
    status: u8,
    class_b: bool,
    legs: Vec<Leg>,
    every_s: i64,
    from_s: i64,
    until_s: i64,
}

impl Ship {
    fn leg(&self, t: f64) -> Leg {
        *self
            .legs
            .iter()
            .rev()
            .find(|l| l.t_s <= t)
            .unwrap_or(&self.legs[0])
    }
}

fn offset(p: (f64, f64), brg: f64, nm: f64) -> (f64, f64) {
    geo::extrapolate(p, brg, nm, 3600.0)
}

fn text<const N: usize>(s: &str) -> Text<N> {
    Text::from_str_lossy(s)
}

/// The whole scenario as NMEA text with tag-block data times.
pub fn scenario() -> String {
    let own = Leg {
        p: OWN_START,
        t_s: 0.0,
        cog: 90.0,
        sog: 12.0,
    };
    // The crossing ship: it passes 0.3 NM ahead of where we will be 13.3
    // minutes in; its TCPA drops below 12 minutes about half a minute after
    // the start.
    let t_cpa = 13.3 * 60.0;
    let meet = offset(own.at(t_cpa), 0.0, 0.3);
    let star_start = geo::extrapolate(meet, 0.0, 10.0, -t_cpa);
    let star0 = Leg {
        p: star_start,
        t_s: 0.0,
        cog: 0.0,
        sog: 10.0,
    };
    let star1 = Leg {
        p: star0.at(300.0),
        t_s: 300.0,
        cog: 60.0,
        sog: 10.0,
    };
    let ships = vec![
        Ship {
            mmsi: DEMO_ACK_SHIP_MMSI,
            name: DEMO_ACK_SHIP_NAME,
            callsign: "OJAB2",
            ship_type: 70,
            status: 0,
            class_b: false,
            legs: vec![star0, star1],
            every_s: 10,
            from_s: 0,
            until_s: DURATION_S,
        },
        Ship {
            mmsi: 219_000_111,
            name: "BALTIC TRADER",
            callsign: "OXTR7",
            ship_type: 79,
            status: 0,
            class_b: false,
            legs: vec![Leg {
                p: offset(OWN_START, 330.0, 3.2),
                t_s: 0.0,
                cog: 90.0,
                sog: 14.0,
            }],
            every_s: 6,
            from_s: 0,
            until_s: DURATION_S,
        },
        Ship {
            mmsi: 211_222_333,
            name: "FEHMARN FERRY",
            callsign: "DKFF",
            ship_type: 60,
            status: 0,
            class_b: false,
            legs: vec![Leg {
                p: offset(OWN_START, 70.0, 6.5),
                t_s: 0.0,
                cog: 340.0,
                sog: 18.0,
            }],
            every_s: 6,
            from_s: 0,
            until_s: DURATION_S,
        },
        Ship {
            mmsi: 261_000_777,
            name: "KAROLINA",
            callsign: "SPKR",
            ship_type: 30,
            status: 7,
            class_b: false,
            legs: vec![Leg {
                p: offset(OWN_START, 40.0, 4.0),
                t_s: 0.0,
                cog: 200.0,
                sog: 3.0,
            }],
            every_s: 10,
            from_s: 0,
            until_s: 120,
        },
        Ship {
            mmsi: 244_999_888,
            name: "SEA BREEZE",
            callsign: "PB1234",
            ship_type: 36,
            status: 15,
            class_b: true,
            legs: vec![Leg {
                p: offset(OWN_START, 225.0, 1.6),
                t_s: 0.0,
                cog: 300.0,
                sog: 5.0,
            }],
            every_s: 30,
            from_s: 0,
            until_s: DURATION_S,
        },
        Ship {
            mmsi: 970_111_222,
            name: "SART ACTIVE",
            callsign: "",
            ship_type: 0,
            status: 14,
            class_b: false,
            legs: vec![Leg {
                p: offset(OWN_START, 150.0, 2.5),
                t_s: 0.0,
                cog: 0.0,
                sog: 0.0,
            }],
            every_s: 60,
            from_s: 210,
            until_s: DURATION_S,
        },
    ];
    let base_mmsi = 2_190_047;
    let aton = (992_111_222, "FEHMARNBELT E", offset(OWN_START, 100.0, 3.0));
    let lock = (DEMO_LOCK_MMSI, DEMO_LOCK_NAME, offset(OWN_START, 85.0, 6.0));
    let mut out = String::with_capacity(256 * 1024);
    out.push_str("# bridgewatch demo: night watch in the Fehmarn Belt (generated)\r\n");
    let mut seq = 0u8;
    for t in 0..=DURATION_S {
        let ms = START_MS + t * 1000;
        let tf = t as f64;
        let p = own.at(tf);
        line(&mut out, ms, &sim::rmc(ms, p, own.cog, own.sog));
        line(
            &mut out,
            ms,
            &build('$', "HEHDT", &[&format!("{:.1}", own.cog), "T"]),
        );
        if t % 10 == 0 {
            let m = position(OWN_MMSI, &own, p, 0, t);
            send(&mut out, ms, &m, true, &mut seq);
        }
        for s in &ships {
            if t < s.from_s || t > s.until_s || (t - s.from_s) % s.every_s != 0 {
                continue;
            }
            let leg = s.leg(tf);
            let sp = leg.at(tf);
            if s.class_b {
                let m = sim::class_b(s.mmsi, sp, leg.cog, leg.sog, (t % 60) as u8);
                send(&mut out, ms, &m, false, &mut seq);
                if t % 180 == 0 {
                    let a = AisMessage {
                        msg_type: 24,
                        repeat: 0,
                        mmsi: s.mmsi,
                        body: Body::StaticData(Box::new(StaticDataReport::PartA {
                            shipname: text(s.name),
                        })),
                    };
                    send(&mut out, ms, &a, false, &mut seq);
                    let b = AisMessage {
                        msg_type: 24,
                        repeat: 0,
                        mmsi: s.mmsi,
                        body: Body::StaticData(Box::new(StaticDataReport::PartB {
                            shiptype: s.ship_type,
                            vendorid: text("BWDEMO1"),
                            model: 0,
                            serial: 0,
                            callsign: text(s.callsign),
                            dim: Dimensions {
                                to_bow: 8,
                                to_stern: 3,
                                to_port: 2,
                                to_starboard: 2,
                            },
                            mothership_mmsi: None,
                        })),
                    };
                    send(&mut out, ms, &b, false, &mut seq);
                }
                continue;
            }
            send(
                &mut out,
                ms,
                &position(s.mmsi, &leg, sp, s.status, t),
                false,
                &mut seq,
            );
            if (t - s.from_s) % 60 == 0 && !s.callsign.is_empty() {
                let m = AisMessage {
                    msg_type: 5,
                    repeat: 0,
                    mmsi: s.mmsi,
                    body: Body::StaticVoyage(Box::new(StaticVoyageData {
                        ais_version: 2,
                        imo: 9_000_000 + s.mmsi % 1_000_000,
                        callsign: text(s.callsign),
                        shipname: text(s.name),
                        shiptype: s.ship_type,
                        dim: Dimensions {
                            to_bow: 120,
                            to_stern: 30,
                            to_port: 10,
                            to_starboard: 12,
                        },
                        epfd: 1,
                        month: 6,
                        day: 22,
                        hour: 6,
                        minute: 0,
                        draught: 72,
                        destination: text("GDANSK"),
                        dte: false,
                    })),
                };
                send(&mut out, ms, &m, false, &mut seq);
            }
        }
        if t % 60 == 5 {
            let (lon, lat) = raw(offset(OWN_START, 20.0, 9.0));
            let m = AisMessage {
                msg_type: 4,
                repeat: 0,
                mmsi: base_mmsi,
                body: Body::BaseStation(BaseStationReport {
                    year: 2026,
                    month: 6,
                    day: 21,
                    hour: 21,
                    minute: (t / 60) as u8,
                    second: (t % 60) as u8,
                    accuracy: true,
                    lon,
                    lat,
                    epfd: 7,
                    raim: false,
                    radio: 0,
                }),
            };
            send(&mut out, ms, &m, false, &mut seq);
        }
        // The buoy every 3 minutes (type 21, cardinal mark E); the lock's
        // station every minute (type 3, fixed structure), so that it is in
        // the list soon after the start.
        for (station, aid_type, every, at) in [(aton, 21, 180, 15), (lock, 3, 60, 25)] {
            if t % every != at {
                continue;
            }
            let (lon, lat) = raw(station.2);
            let m = AisMessage {
                msg_type: 21,
                repeat: 0,
                mmsi: station.0,
                body: Body::AidToNavigation(Box::new(AidToNavigation {
                    aid_type,
                    name: text(station.1),
                    accuracy: true,
                    lon,
                    lat,
                    dim: Dimensions::default(),
                    epfd: 7,
                    second: (t % 60) as u8,
                    off_position: false,
                    regional: 0,
                    raim: false,
                    virtual_aid: false,
                    assigned: false,
                })),
            };
            send(&mut out, ms, &m, false, &mut seq);
        }
        if t == 240 {
            let m = AisMessage {
                msg_type: 14,
                repeat: 0,
                mmsi: base_mmsi,
                body: Body::SafetyBroadcast {
                    text: text("SECURITE SAR OPERATION 2.5NM SE OF FEHMARNBELT E KEEP CLEAR"),
                },
            };
            send(&mut out, ms, &m, false, &mut seq);
        }
        if t == 300 {
            let m = AisMessage {
                msg_type: 12,
                repeat: 0,
                mmsi: DEMO_ACK_SHIP_MMSI,
                body: Body::SafetyAddressed(Box::new(SafetyAddressed {
                    seqno: 1,
                    dest_mmsi: OWN_MMSI,
                    retransmit: false,
                    text: text("NORDIC STAR ALTERING COURSE TO STARBOARD"),
                })),
            };
            send(&mut out, ms, &m, false, &mut seq);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_is_valid_nmea() {
        let s = scenario();
        let mut stream = crate::ais::stream::AisStream::new();
        for l in s.lines().filter(|l| !l.starts_with('#')) {
            stream
                .push_line(l.as_bytes(), 0)
                .expect("every demo line is valid");
        }
        assert!(stream.stats().messages > 300, "{}", stream.stats().messages);
    }

    #[test]
    fn the_lock_the_ack_ship_the_buoy_and_the_base_station_are_sent() {
        let s = scenario();
        let mut stream = crate::ais::stream::AisStream::new();
        let (mut lock, mut ship, mut buoy, mut base) = (0, 0, 0, 0);
        for l in s.lines().filter(|l| !l.starts_with('#')) {
            if let Ok(crate::ais::stream::Outcome::Ais(r)) = stream.push_line(l.as_bytes(), 0) {
                match (&r.msg.body, r.msg.mmsi) {
                    (Body::AidToNavigation(a), DEMO_LOCK_MMSI) => {
                        assert_eq!(a.name.as_str(), DEMO_LOCK_NAME);
                        lock += 1;
                    }
                    (Body::StaticVoyage(v), DEMO_ACK_SHIP_MMSI) => {
                        assert_eq!(v.shipname.as_str(), DEMO_ACK_SHIP_NAME);
                        ship += 1;
                    }
                    (Body::AidToNavigation(_), 992_111_222) => buoy += 1,
                    (Body::BaseStation(_), 2_190_047) => base += 1,
                    _ => {}
                }
            }
        }
        // Every minute from 0:25 (the lock), 0:00 (the ship).
        assert_eq!((lock, ship), (8, 9));
        // The buoy and the base station too (an AIS message `sim::vdm`
        // cannot encode is left out without a word).
        assert_eq!((buoy, base), (3, 8));
        // The lock's MMSI is one an addressed message may go to.
        let to = format!("{DEMO_LOCK_MMSI:09}");
        assert_eq!(to, "002111240");
        assert_eq!(
            crate::voyage::fields::destination_mmsi(&to),
            Ok(DEMO_LOCK_MMSI)
        );
    }
}
