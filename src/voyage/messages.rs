//! The sentences the console writes to its own transponder (IEC 61162-1):
//! an Inland ETA report (message 6, DAC 200, FI 21) and addressed safety
//! text (message 12) in ABM, broadcast safety text (message 14) in BBM,
//! voyage data in VSD and static data in SSD, and the inland data of the
//! Inland AIS standard's Annex D in `$PIWWIVD` and `$PIWWSSD`.
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
        pi::build_binary(
            TALKER,
            Some(self.to),
            CHANNEL_NO_PREFERENCE,
            6,
            seq_id,
            &data,
        )
        .map_err(|_| EncodeError::TooLong {
            bits: data.bit_len(),
        })
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
    /// The text is what the message carries: at most 156 characters to
    /// one station, 161 to all (the validator refuses more; a longer text
    /// built by hand is cut there), so it always fits in the nine
    /// sentences an ABM or BBM may take.
    pub fn sentences(&self, seq_id: u8) -> Vec<String> {
        let mut data = BitWriter::new();
        let max = self.kind().max_chars();
        let text: String = self.text.text.chars().take(max).collect();
        data.text_unpadded(&text);
        pi::build_binary(
            TALKER,
            self.to,
            CHANNEL_NO_PREFERENCE,
            self.kind().msg_id(),
            seq_id,
            &data,
        )
        // 161 six-bit characters take four BBM sentences at most.
        .unwrap_or_default()
    }

    /// Message 12 or 14 as the transponder of `own_mmsi` sends it.
    pub fn message(&self, own_mmsi: u32, seq_id: u8) -> AisMessage {
        let text = &self.text.text;
        let (msg_type, body) = match self.to {
            Some(dest_mmsi) => (
                12,
                Body::SafetyAddressed(Box::new(SafetyAddressed {
                    seqno: seq_id % 4,
                    dest_mmsi,
                    retransmit: false,
                    text: Text::from_str_lossy(text),
                })),
            ),
            None => (
                14,
                Body::SafetyBroadcast {
                    text: Text::from_str_lossy(text),
                },
            ),
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

/// Metres from 1/100 m: `d.dd`.
fn centi(v: Option<u16>) -> String {
    v.map(|v| format!("{}.{:02}", v / 100, v % 100))
        .unwrap_or_default()
}

/// Metres from 1/10 m: `d.d`.
fn deci(v: Option<u16>) -> String {
    v.map(|v| format!("{}.{}", v / 10, v % 10))
        .unwrap_or_default()
}

fn num<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Inland voyage data for `$PIWWIVD` (Inland AIS Annex D); `None` is an
/// empty field, NULL, which leaves the transponder's value unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InlandVoyageData {
    /// Message 23 reporting interval code 0–15.
    pub reporting_rate: Option<u8>,
    /// 0–3 blue cones, 4 B-flag, 5 unknown.
    pub blue_cones: Option<u8>,
    /// 1 loaded, 2 unloaded, 0 not available.
    pub loaded: Option<u8>,
    /// 1/100 m, 0 unknown.
    pub draught: Option<u16>,
    /// 1/100 m, 0 unknown.
    pub air_draught: Option<u16>,
    /// 0–6, 7 unknown.
    pub tugs: Option<u8>,
    /// 0–254, 255 unknown.
    pub crew: Option<u8>,
    /// 0–8190, 8191 unknown.
    pub passengers: Option<u16>,
    /// 0–254, 255 unknown.
    pub personnel: Option<u8>,
    /// Convoy extension to bow, stern, port, starboard, 1/10 m.
    pub convoy: [Option<u16>; 4],
}

impl InlandVoyageData {
    /// The `$PIWWIVD` sentence.
    pub fn sentence(&self) -> String {
        let [bow, stern, port, stbd] = self.convoy;
        crate::nmea::build(
            '$',
            "PIWWIVD",
            &[
                &num(self.reporting_rate),
                &num(self.blue_cones),
                &num(self.loaded),
                &centi(self.draught),
                &centi(self.air_draught),
                &num(self.tugs),
                &num(self.crew),
                &num(self.passengers),
                &num(self.personnel),
                &deci(bow),
                &deci(stern),
                &deci(port),
                &deci(stbd),
            ],
        )
    }
}

/// A decimal field (`2.85`) in units of 1/`scale` (100: centimetres);
/// empty is `None`; anything else that is no such number, or does not fit,
/// is refused.
fn scaled(v: &str, scale: f64, field: &str) -> Result<Option<u16>, String> {
    if v.is_empty() {
        return Ok(None);
    }
    let x: f64 = v
        .parse()
        .map_err(|_| format!("{field}: {v:?} is not a number"))?;
    let n = (x * scale).round();
    if !(0.0..=f64::from(u16::MAX)).contains(&n) {
        return Err(format!("{field}: {v} is out of range"));
    }
    Ok(Some(n as u16))
}

fn whole<T: std::str::FromStr>(v: &str, field: &str) -> Result<Option<T>, String> {
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| format!("{field}: {v:?} is not a whole number in range"))
}

/// The data fields of a proprietary `$PIWW…` sentence `formatter` (its
/// checksum checked), padded with empty fields to `n`.
fn proprietary_fields(line: &str, formatter: &str, n: usize) -> Result<Vec<String>, String> {
    let s = crate::nmea::frame(line.trim_end().as_bytes()).map_err(|e| e.to_string())?;
    if s.talker != "P" || s.formatter != formatter {
        return Err(format!("not a $P{formatter} sentence"));
    }
    let mut f: Vec<String> = s.fields().map(str::to_string).collect();
    if f.len() > n {
        return Err(format!("$P{formatter} has {} fields, at most {n}", f.len()));
    }
    f.resize(n, String::new());
    Ok(f)
}

impl InlandVoyageData {
    /// Reads a `$PIWWIVD` sentence back (as a transponder would take it).
    pub fn parse(line: &str) -> Result<Self, String> {
        let f = proprietary_fields(line, "IWWIVD", 13)?;
        Ok(Self {
            reporting_rate: whole(&f[0], "reporting rate")?,
            blue_cones: whole(&f[1], "blue cones")?,
            loaded: whole(&f[2], "loaded")?,
            draught: scaled(&f[3], 100.0, "draught")?,
            air_draught: scaled(&f[4], 100.0, "air draught")?,
            tugs: whole(&f[5], "tugs")?,
            crew: whole(&f[6], "crew")?,
            passengers: whole(&f[7], "passengers")?,
            personnel: whole(&f[8], "personnel")?,
            convoy: [
                scaled(&f[9], 10.0, "convoy extension to bow")?,
                scaled(&f[10], 10.0, "convoy extension to stern")?,
                scaled(&f[11], 10.0, "convoy extension to port")?,
                scaled(&f[12], 10.0, "convoy extension to starboard")?,
            ],
        })
    }
}

impl InlandStaticData {
    /// Reads a `$PIWWSSD` sentence back (as a transponder would take it).
    pub fn parse(line: &str) -> Result<Self, String> {
        let f = proprietary_fields(line, "IWWSSD", 11)?;
        Ok(Self {
            eni: (!f[0].is_empty()).then(|| f[0].clone()),
            eri_type: whole(&f[1], "ERI type")?,
            length: scaled(&f[2], 10.0, "length")?,
            beam: scaled(&f[3], 10.0, "beam")?,
            quality: [
                whole(&f[4], "speed quality")?,
                whole(&f[5], "course quality")?,
                whole(&f[6], "heading quality")?,
            ],
            internal: [
                scaled(&f[7], 10.0, "internal antenna B")?,
                scaled(&f[8], 10.0, "internal antenna C")?,
            ],
            external: [
                scaled(&f[9], 10.0, "external antenna B")?,
                scaled(&f[10], 10.0, "external antenna C")?,
            ],
        })
    }
}

/// Inland static ship data for `$PIWWSSD` (Inland AIS Annex D); `None` is
/// an empty field, NULL, which leaves the transponder's value unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InlandStaticData {
    /// ENI, 8 digits.
    pub eni: Option<String>,
    /// ERI ship or convoy type.
    pub eri_type: Option<u16>,
    /// 1/10 m.
    pub length: Option<u16>,
    /// 1/10 m.
    pub beam: Option<u16>,
    /// Quality of speed, course, heading information: 1 high, 0 low.
    pub quality: [Option<u8>; 3],
    /// Internal GNSS antenna B (from the stern) and C (from port), 1/10 m.
    pub internal: [Option<u16>; 2],
    /// External GNSS antenna B and C, 1/10 m.
    pub external: [Option<u16>; 2],
}

impl InlandStaticData {
    /// The `$PIWWSSD` sentence.
    pub fn sentence(&self) -> String {
        let [speed, course, heading] = self.quality;
        crate::nmea::build(
            '$',
            "PIWWSSD",
            &[
                self.eni.as_deref().unwrap_or_default(),
                &self.eri_type.map(|t| format!("{t:04}")).unwrap_or_default(),
                &deci(self.length),
                &deci(self.beam),
                &num(speed),
                &num(course),
                &num(heading),
                &deci(self.internal[0]),
                &deci(self.internal[1]),
                &deci(self.external[0]),
                &deci(self.external[1]),
            ],
        )
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
                assert!(l.len() <= 80, "{l}");
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

    /// VSD and SSD with the longest value each field's validator lets
    /// through (and the form's regional flags and `GP` source): within the
    /// 80 printed characters of IEC 61162-1 §5.3, by the length worked out
    /// here from the fields.
    #[test]
    fn longest_vsd_and_ssd_within_80_characters() {
        let v = VoyageData {
            nav_status: Some(15),
            destination: Some("D".repeat(20)),
            eta: Some(fields::eta("2026-12-31T23:59Z", NOW).unwrap()),
            draught: Some(255),
            persons: Some(8191),
            ship_type: Some(255),
        };
        let mut vsd = v.vsd();
        vsd.regional = Some(15);
        let s = pi::build_vsd(TALKER, &vsd);
        // "$ECVSD," 7 + "255," 4 + "25.5," 5 + "8191," 5 + 20 + "," +
        // "235900," 7 + "31," 3 + "12," 3 + "15," 3 + "15" 2 + "*hh" 3.
        assert_eq!(s.len(), 7 + 4 + 5 + 5 + 21 + 7 + 3 + 3 + 3 + 2 + 3, "{s}");
        assert!(crate::nmea::check_length(&s).is_ok());
        let d = StaticData {
            callsign: Some("C".repeat(7)),
            name: Some("N".repeat(20)),
            reference: Some(ReferencePoint {
                a: 511,
                b: 511,
                c: 63,
                d: 63,
            }),
        };
        let mut ssd = d.ssd();
        ssd.dte = Some(1);
        ssd.source = "GP".into();
        let s = pi::build_ssd(TALKER, &ssd);
        assert_eq!(s.len(), 7 + 8 + 21 + 4 + 4 + 3 + 3 + 2 + 2 + 3, "{s}");
        assert!(crate::nmea::check_length(&s).is_ok());
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

    /// The checksum computed here, apart from the crate's: XOR of the
    /// bytes between `$` and `*`.
    fn xor(s: &str) -> String {
        let body = &s[1..s.find('*').unwrap()];
        format!("{:02X}", body.bytes().fold(0, |a, b| a ^ b))
    }

    #[test]
    fn inland_sentences_read_back_field_for_field() {
        let v = InlandVoyageData {
            reporting_rate: Some(3),
            blue_cones: Some(2),
            loaded: Some(1),
            draught: Some(285),
            air_draught: Some(750),
            tugs: None,
            crew: Some(4),
            passengers: Some(8191),
            personnel: None,
            convoy: [Some(0), Some(1105), None, Some(5)],
        };
        assert_eq!(InlandVoyageData::parse(&v.sentence()), Ok(v.clone()));
        let d = InlandStaticData {
            eni: Some("02345678".into()),
            eri_type: Some(8010),
            length: Some(1105),
            beam: Some(114),
            quality: [Some(1), Some(0), None],
            internal: [Some(500), Some(57)],
            external: [None, Some(3)],
        };
        assert_eq!(InlandStaticData::parse(&d.sentence()), Ok(d));
        let empty = InlandStaticData::default();
        assert_eq!(InlandStaticData::parse(&empty.sentence()), Ok(empty));
        // Refused: a bad checksum, the other sentence, a word for a number.
        let s = v.sentence();
        let bad = format!("{}00", &s[..s.len() - 2]);
        assert!(InlandVoyageData::parse(&bad).is_err());
        assert!(InlandVoyageData::parse(&InlandStaticData::default().sentence()).is_err());
        let word = crate::nmea::build('$', "PIWWIVD", &["", "two"]);
        let e = InlandVoyageData::parse(&word).unwrap_err();
        assert!(e.contains("blue cones"), "{e}");
    }

    #[test]
    fn inland_voyage_sentence_exact_and_parsed_back() {
        let v = InlandVoyageData {
            reporting_rate: None,
            blue_cones: Some(4),
            loaded: Some(1),
            draught: Some(285),
            air_draught: Some(750),
            tugs: Some(0),
            crew: Some(4),
            passengers: Some(0),
            personnel: Some(255),
            convoy: [Some(0), Some(1105), Some(0), Some(5)],
        };
        let s = v.sentence();
        let body = "PIWWIVD,,4,1,2.85,7.50,0,4,0,255,0.0,110.5,0.0,0.5";
        assert_eq!(s, format!("${body}*{}", xor(&format!("${body}*"))));
        assert!(s.len() <= 80);
        // The same, checksum computed outside (Python, XOR of the body).
        assert_eq!(s, "$PIWWIVD,,4,1,2.85,7.50,0,4,0,255,0.0,110.5,0.0,0.5*60");
        let f = frame(s.as_bytes()).unwrap();
        assert_eq!((f.talker, f.formatter), ("P", "IWWIVD"));
        let fields: Vec<&str> = f.fields().collect();
        assert_eq!(fields.len(), 13);
        assert_eq!(fields[1].parse::<u8>().ok(), v.blue_cones);
        assert_eq!(fields[3], "2.85");
        assert_eq!(fields[12], "0.5");
        // All NULL: nothing changes.
        let empty = InlandVoyageData::default().sentence();
        assert_eq!(empty, format!("$PIWWIVD,,,,,,,,,,,,,*{}", xor(&empty)));
        // The longest values still fit in 82 characters.
        let max = InlandVoyageData {
            reporting_rate: Some(15),
            blue_cones: Some(5),
            loaded: Some(2),
            draught: Some(2000),
            air_draught: Some(4000),
            tugs: Some(7),
            crew: Some(255),
            passengers: Some(8191),
            personnel: Some(255),
            convoy: [Some(8000), Some(8000), Some(1000), Some(1000)],
        };
        // IEC 61162-1 §5.3: 80 printed, 82 with CR LF.
        assert!(max.sentence().len() <= 80, "{}", max.sentence());
    }

    #[test]
    fn inland_static_sentence_exact_and_parsed_back() {
        let d = InlandStaticData {
            eni: Some("02326789".into()),
            eri_type: Some(8010),
            length: Some(1100),
            beam: Some(114),
            quality: [Some(1), Some(0), Some(1)],
            internal: [Some(520), Some(57)],
            external: [None, None],
        };
        let s = d.sentence();
        let body = "PIWWSSD,02326789,8010,110.0,11.4,1,0,1,52.0,5.7,,";
        assert_eq!(s, format!("${body}*{}", xor(&format!("${body}*"))));
        assert_eq!(s, "$PIWWSSD,02326789,8010,110.0,11.4,1,0,1,52.0,5.7,,*4A");
        let f = frame(s.as_bytes()).unwrap();
        let fields: Vec<&str> = f.fields().collect();
        assert_eq!(fields.len(), 11);
        assert_eq!(fields[0], "02326789");
        assert_eq!(fields[1].parse::<u16>().ok(), d.eri_type);
        assert_eq!(fields[2], "110.0");
        let empty = InlandStaticData::default().sentence();
        assert_eq!(empty, format!("$PIWWSSD,,,,,,,,,,,*{}", xor(&empty)));
        let max = InlandStaticData {
            eni: Some("99999999".into()),
            eri_type: Some(9999),
            length: Some(8000),
            beam: Some(1000),
            quality: [Some(1); 3],
            internal: [Some(8000), Some(1000)],
            external: [Some(8000), Some(1000)],
        };
        // IEC 61162-1 §5.3: 80 printed, 82 with CR LF.
        assert!(max.sentence().len() <= 80, "{}", max.sentence());
    }
}
