//! The sentences the console writes to its own transponder (IEC 61162-1):
//! an Inland ETA report (message 6, DAC 200, FI 21) and addressed safety
//! text (message 12) in ABM, broadcast safety text (message 14) in BBM,
//! voyage data in VSD and static data in SSD.
//!
//! The choices the standards leave to us (`docs/voyage.md`):
//! - ABM/BBM channel field 0, "no broadcast channel preference": the
//!   transponder picks the channel by its own slot reservation rules.
//! - The sequential message identifier (0–3) is the caller's: the outbox
//!   gives each message in flight its own and matches the transponder's ABK
//!   by it; the `encode` command, which sends nothing, uses 0.
//! - VSD and SSD: an empty field means "unchanged" (IEC 61162-1), so only
//!   what is given is changed; a given but empty text field is sent as the
//!   standard's "not available", `@` repeated to the field's length (7 for
//!   the call sign, 20 for the name and the destination).
//! - SSD dimensions are sent with the source identifier `AI`, the
//!   transponder's internal GNSS antenna.

use super::fields::{SafetyKind, SafetyText, UtcMinute};
use crate::ais::application::{AddressedApp, DayTime, InlandEta, InlandLocation};
use crate::ais::encode::{EncodeError, addressed_app_bits};
use crate::ais::messages::{AddressedBinary, AisMessage, Body, SafetyAddressed};
use crate::nmea::armour::{BitWriter, Payload, Text};
use crate::nmea::pi::{self, BinaryFragment, Ssd, Vsd};

/// Talker of the sentences we write: `EC`, an electronic chart / display
/// system, as the console presents itself to the transponder.
pub const TALKER: &str = "EC";

/// ABM/BBM AIS channel: 0 = no broadcast channel preference.
pub const CHANNEL_NO_PREFERENCE: u8 = 0;

/// Inland AIS application identifier of the ETA report.
pub const DAC_INLAND: u16 = 200;
/// Inland AIS function identifier of the ETA report.
pub const FI_ETA: u8 = 21;

/// An ETA report to a lock, bridge or terminal (Inland AIS §2.4.4.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EtaReport {
    /// The station addressed (the lock, bridge or terminal, or the national
    /// network's virtual MMSI).
    pub to: u32,
    pub location: InlandLocation,
    pub eta: UtcMinute,
    /// 0–6, 7 = unknown.
    pub tugs: u8,
    /// 1/100 m, 0 = not used.
    pub air_draught: u16,
}

impl EtaReport {
    /// The FI 21 application data (MMDDHHMM in UTC: the year is not sent).
    pub fn app(&self) -> InlandEta {
        InlandEta {
            location: self.location,
            eta: DayTime {
                month: self.eta.month,
                day: self.eta.day,
                hour: self.eta.hour,
                minute: self.eta.minute,
            },
            tugs: self.tugs,
            air_draught: self.air_draught,
        }
    }

    /// The ABM sentence(s) carrying message 6 with DAC 200, FI 21.
    pub fn sentences(&self, seq_id: u8) -> Result<Vec<String>, EncodeError> {
        let data = addressed_app_bits(DAC_INLAND, FI_ETA, &AddressedApp::InlandEta(self.app()))?;
        Ok(pi::build_binary(
            TALKER,
            Some(self.to),
            CHANNEL_NO_PREFERENCE,
            6,
            seq_id,
            &data,
        ))
    }

    /// Message 6 as the transponder of `own_mmsi` sends it.
    pub fn message(&self, own_mmsi: u32, seq_id: u8) -> AisMessage {
        AisMessage {
            msg_type: 6,
            repeat: 0,
            mmsi: own_mmsi,
            body: Body::AddressedBinary(Box::new(AddressedBinary {
                seqno: seq_id % 4,
                dest_mmsi: self.to,
                retransmit: false,
                dac: DAC_INLAND,
                fid: FI_ETA,
                app: AddressedApp::InlandEta(self.app()),
            })),
        }
    }
}

/// A safety-related text: to one station (message 12) or all (message 14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafetyMessage {
    pub to: Option<u32>,
    pub text: SafetyText,
}

impl SafetyMessage {
    /// Which message carries it.
    pub fn kind(&self) -> SafetyKind {
        if self.to.is_some() {
            SafetyKind::Addressed
        } else {
            SafetyKind::Broadcast
        }
    }

    /// ABM (message 12) with a destination, BBM (message 14) without.
    pub fn sentences(&self, seq_id: u8) -> Vec<String> {
        let mut data = BitWriter::new();
        data.text_unpadded(&self.text.text);
        pi::build_binary(
            TALKER,
            self.to,
            CHANNEL_NO_PREFERENCE,
            self.kind().msg_id(),
            seq_id,
            &data,
        )
    }

    /// Message 12 or 14 as the transponder of `own_mmsi` sends it.
    pub fn message(&self, own_mmsi: u32, seq_id: u8) -> AisMessage {
        let text = Text::from_str_lossy(&self.text.text);
        let (msg_type, body) = match self.to {
            Some(dest_mmsi) => (
                12,
                Body::SafetyAddressed(Box::new(SafetyAddressed {
                    seqno: seq_id % 4,
                    dest_mmsi,
                    retransmit: false,
                    text,
                })),
            ),
            None => (14, Body::SafetyBroadcast { text }),
        };
        AisMessage {
            msg_type,
            repeat: 0,
            mmsi: own_mmsi,
            body,
        }
    }
}

/// "Not available" in a six-bit text field of a sentence: `@` repeated to
/// the field's length.
fn text_field(v: &Option<String>, len: usize) -> String {
    match v {
        None => String::new(),
        Some(t) if t.is_empty() => "@".repeat(len),
        Some(t) => t.clone(),
    }
}

/// Voyage data for VSD; `None` leaves the transponder's value unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VoyageData {
    pub nav_status: Option<u8>,
    /// `Some("")` = not available.
    pub destination: Option<String>,
    pub eta: Option<UtcMinute>,
    /// Decimetres.
    pub draught: Option<u8>,
    pub persons: Option<u16>,
    pub ship_type: Option<u8>,
}

impl VoyageData {
    /// The VSD fields.
    pub fn vsd(&self) -> Vsd {
        Vsd {
            ship_type: self.ship_type,
            draught: self.draught.map(|d| f64::from(d) / 10.0),
            persons: self.persons,
            destination: text_field(&self.destination, 20),
            eta_time: self
                .eta
                .map(|e| format!("{:02}{:02}00", e.hour, e.minute))
                .unwrap_or_default(),
            eta_day: self.eta.map(|e| e.day),
            eta_month: self.eta.map(|e| e.month),
            nav_status: self.nav_status,
            regional: None,
        }
    }

    /// The VSD sentence.
    pub fn sentence(&self) -> String {
        pi::build_vsd(TALKER, &self.vsd())
    }
}

/// Distances of the reference point (M.1371-5 figure 42), metres.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferencePoint {
    pub a: u16,
    pub b: u16,
    pub c: u8,
    pub d: u8,
}

/// Static data for SSD; `None` leaves the transponder's value unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaticData {
    /// `Some("")` = not available.
    pub callsign: Option<String>,
    /// `Some("")` = not available.
    pub name: Option<String>,
    pub reference: Option<ReferencePoint>,
}

impl StaticData {
    /// The SSD fields.
    pub fn ssd(&self) -> Ssd {
        Ssd {
            callsign: text_field(&self.callsign, 7),
            name: text_field(&self.name, 20),
            to_bow: self.reference.map(|r| r.a),
            to_stern: self.reference.map(|r| r.b),
            to_port: self.reference.map(|r| r.c),
            to_starboard: self.reference.map(|r| r.d),
            dte: None,
            source: if self.reference.is_some() {
                "AI".to_string()
            } else {
                String::new()
            },
        }
    }

    /// The SSD sentence.
    pub fn sentence(&self) -> String {
        pi::build_ssd(TALKER, &self.ssd())
    }
}

/// The AIS message the transponder of `own_mmsi` builds from one ABM or
/// BBM message (its fragments in order): the header of message 6/12
/// (sequence number from the ABM, no retransmission) or 8/14, then the
/// data. `None` when the fragments do not join.
pub fn as_transmitted(own_mmsi: u32, fragments: &[BinaryFragment]) -> Option<Payload> {
    let first = fragments.first()?;
    let data = pi::join_binary(fragments)?;
    let mut w = BitWriter::new();
    w.u(6, first.msg_id.into()).u(2, 0).u(30, own_mmsi.into());
    match first.dest_mmsi {
        Some(dest) => {
            w.u(2, u64::from(first.seq_id % 4))
                .u(30, dest.into())
                .b(false)
                .u(1, 0);
        }
        None => {
            w.u(2, 0);
        }
    }
    let n = data.bit_len();
    let mut i = 0;
    while i < n {
        let k = (n - i).min(32);
        w.u(k, data.ubits(i, k));
        i += k;
    }
    Some(w.to_payload())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ais::decode;
    use crate::nmea::frame;
    use crate::voyage::fields;

    const NOW: i64 = 1_795_348_800_000;

    fn eta_report() -> EtaReport {
        EtaReport {
            to: 211_999_999,
            location: InlandLocation {
                country: fields::country_code("NL").unwrap(),
                locode: fields::location_code("RTM").unwrap(),
                section: fields::fairway_section("00001").unwrap(),
                terminal: fields::terminal_code("00000").unwrap(),
                hectometre: fields::fairway_hectometre("00123").unwrap(),
            },
            eta: fields::eta("2026-11-22T14:30Z", NOW).unwrap(),
            tugs: 1,
            air_draught: 750,
        }
    }

    fn fragments(lines: &[String]) -> Vec<BinaryFragment> {
        lines
            .iter()
            .map(|l| {
                assert!(l.len() <= 82, "{l}");
                pi::parse_binary(&frame(l.as_bytes()).unwrap()).unwrap()
            })
            .collect()
    }

    #[test]
    fn eta_abm_decodes_to_what_was_given() {
        let r = eta_report();
        let lines = r.sentences(2).unwrap();
        let frags = fragments(&lines);
        assert_eq!(frags[0].dest_mmsi, Some(211_999_999));
        assert_eq!(
            (frags[0].msg_id, frags[0].seq_id, frags[0].channel),
            (6, 2, 0)
        );
        let p = as_transmitted(244_000_001, &frags).unwrap();
        assert_eq!(p.bit_len(), 248);
        let m = decode(&p).unwrap();
        assert_eq!(m, r.message(244_000_001, 2));
    }

    #[test]
    fn safety_abm_and_bbm() {
        let text = fields::safety_text("buoy off station", SafetyKind::Addressed).unwrap();
        let m = SafetyMessage {
            to: Some(244_123_456),
            text,
        };
        let frags = fragments(&m.sentences(1));
        assert_eq!(frags[0].msg_id, 12);
        let p = as_transmitted(244_000_001, &frags).unwrap();
        assert_eq!(decode(&p).unwrap(), m.message(244_000_001, 1));
        let long = "X".repeat(161);
        let b = SafetyMessage {
            to: None,
            text: fields::safety_text(&long, SafetyKind::Broadcast).unwrap(),
        };
        let lines = b.sentences(3);
        assert!(lines.len() > 1 && lines.iter().all(|l| l.starts_with("!ECBBM")));
        let frags = fragments(&lines);
        assert_eq!(frags[0].msg_id, 14);
        let p = as_transmitted(244_000_001, &frags).unwrap();
        assert_eq!(p.bit_len(), 40 + 6 * 161);
        assert_eq!(decode(&p).unwrap(), b.message(244_000_001, 3));
    }

    #[test]
    fn vsd_and_ssd_unchanged_and_not_available() {
        assert_eq!(VoyageData::default().sentence(), "$ECVSD,,,,,,,,,*6B");
        let v = VoyageData {
            destination: Some(String::new()),
            ..VoyageData::default()
        };
        assert!(v.sentence().contains(&format!(",{},", "@".repeat(20))));
        let s = StaticData {
            callsign: Some(String::new()),
            name: None,
            reference: None,
        };
        assert!(s.sentence().starts_with("$ECSSD,@@@@@@@,,"));
    }
}
