//! Presentation-interface sentences between the console and an AIS
//! transponder (IEC 61162-1): ABM and BBM (binary and safety messages to
//! send), ABK (the transponder's acknowledgement), VSD and SSD (voyage and
//! static data input), ALR (alarms) and TXT (text). Each parses from a framed
//! [`Sentence`] and builds back to sentences with checksums.
//!
//! ABM/BBM carry the data part of messages 6/12 (from the DAC, or the text)
//! and 8/14, armoured, split over as many sentences as needed with a
//! sequential message identifier 0–3.

use super::{Sentence, TooManyFragments, build, encapsulate};
use crate::nmea::armour::{BitWriter, Payload};
use std::fmt;

/// Why a presentation sentence did not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PiError {
    /// Not the sentence expected.
    WrongFormatter {
        expected: &'static str,
        found: String,
    },
    /// A required field is missing or malformed.
    Field { name: &'static str, found: String },
}

impl fmt::Display for PiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PiError::WrongFormatter { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            PiError::Field { name, found } => write!(f, "field {name} is {found:?}"),
        }
    }
}

impl std::error::Error for PiError {}

fn field<T: std::str::FromStr>(v: Option<&str>, name: &'static str) -> Result<T, PiError> {
    let s = v.unwrap_or("");
    s.parse().map_err(|_| PiError::Field {
        name,
        found: s.to_string(),
    })
}

fn opt<T: std::str::FromStr>(v: Option<&str>) -> Option<T> {
    v.filter(|s| !s.is_empty()).and_then(|s| s.parse().ok())
}

fn expect(s: &Sentence<'_>, f: &'static str) -> Result<(), PiError> {
    if s.formatter == f {
        Ok(())
    } else {
        Err(PiError::WrongFormatter {
            expected: f,
            found: s.formatter.to_string(),
        })
    }
}

/// One ABM or BBM sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinaryFragment {
    pub total: u8,
    pub number: u8,
    /// Sequential message identifier 0–3.
    pub seq_id: u8,
    /// ABM only: destination MMSI.
    pub dest_mmsi: Option<u32>,
    /// AIS channel: 0 none, 1 A, 2 B, 3 both.
    pub channel: u8,
    /// ITU-R M.1371 message ID (6, 12, 25, 26 for ABM; 8, 14, … for BBM).
    pub msg_id: u8,
    pub data: String,
    pub fill: u8,
}

/// Parse an ABM (`addressed` true) or BBM sentence.
pub fn parse_binary(s: &Sentence<'_>) -> Result<BinaryFragment, PiError> {
    let addressed = match s.formatter {
        "ABM" => true,
        "BBM" => false,
        other => {
            return Err(PiError::WrongFormatter {
                expected: "ABM or BBM",
                found: other.to_string(),
            });
        }
    };
    let mut f = s.fields();
    let total = field(f.next(), "total")?;
    let number = field(f.next(), "number")?;
    let seq_id = field(f.next(), "sequential message identifier")?;
    let dest_mmsi = if addressed {
        Some(field(f.next(), "destination MMSI")?)
    } else {
        None
    };
    let channel = opt(f.next()).unwrap_or(0);
    let msg_id = field(f.next(), "message ID")?;
    let data = f.next().unwrap_or("").to_string();
    let fill = opt(f.next()).unwrap_or(0);
    Ok(BinaryFragment {
        total,
        number,
        seq_id,
        dest_mmsi,
        channel,
        msg_id,
        data,
        fill,
    })
}

/// Build the ABM (with `dest_mmsi`) or BBM sentences carrying `data`,
/// each within IEC 61162-1's 82 characters: the data field's room is
/// worked out from the header as written (the MMSI, the message ID's
/// digits), not assumed (see [`super::encapsulate`]).
pub fn build_binary(
    talker: &str,
    dest_mmsi: Option<u32>,
    channel: u8,
    msg_id: u8,
    seq_id: u8,
    data: &BitWriter,
) -> Result<Vec<String>, TooManyFragments> {
    let (armored, fill) = data.armor();
    let address = format!(
        "{talker}{}",
        if dest_mmsi.is_some() { "ABM" } else { "BBM" }
    );
    let seq = (seq_id % 4).to_string();
    let mmsi = dest_mmsi.map(|d| format!("{d:09}"));
    let channel = channel.to_string();
    let msg_id = msg_id.to_string();
    let mut middle: Vec<&str> = vec![&seq];
    if let Some(m) = &mmsi {
        middle.push(m);
    }
    middle.push(&channel);
    middle.push(&msg_id);
    encapsulate('!', &address, &middle, &armored, fill)
}

/// Join the fragments of one ABM/BBM message back into its data bits.
pub fn join_binary(fragments: &[BinaryFragment]) -> Option<Payload> {
    let mut p = Payload::new();
    let mut fill = 0;
    for f in fragments {
        p.push_armored(f.data.as_bytes()).ok()?;
        fill = f.fill;
    }
    p.finish(fill).ok()?;
    Some(p)
}

/// ABK: the transponder's acknowledgement of an ABM/BBM (or of an addressed
/// message received from the air).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Abk {
    pub dest_mmsi: Option<u32>,
    pub channel: Option<char>,
    pub msg_id: u8,
    pub seq_id: u8,
    pub ack: AckType,
}

/// ABK acknowledgement type (IEC 61162-1 ABK field 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AckType {
    /// 0: addressed message successfully received by the destination.
    Received,
    /// 1: could be broadcast but no acknowledgement from the destination.
    NoAcknowledgement,
    /// 2: could not be broadcast.
    NotBroadcast,
    /// 3: requested broadcast (BBM) successfully transmitted.
    Broadcast,
    /// 4: late reception of a message 7/13 acknowledgement.
    LateAcknowledgement,
    Other(u8),
}

impl AckType {
    fn from_u8(v: u8) -> Self {
        match v {
            0 => AckType::Received,
            1 => AckType::NoAcknowledgement,
            2 => AckType::NotBroadcast,
            3 => AckType::Broadcast,
            4 => AckType::LateAcknowledgement,
            n => AckType::Other(n),
        }
    }
    /// The type's number in the sentence (ABK field 5).
    pub fn to_u8(self) -> u8 {
        match self {
            AckType::Received => 0,
            AckType::NoAcknowledgement => 1,
            AckType::NotBroadcast => 2,
            AckType::Broadcast => 3,
            AckType::LateAcknowledgement => 4,
            AckType::Other(n) => n,
        }
    }
}

/// Parse an ABK sentence.
pub fn parse_abk(s: &Sentence<'_>) -> Result<Abk, PiError> {
    expect(s, "ABK")?;
    let mut f = s.fields();
    Ok(Abk {
        dest_mmsi: opt(f.next()),
        channel: f.next().and_then(|c| c.chars().next()),
        msg_id: field(f.next(), "message ID")?,
        seq_id: field(f.next(), "sequence number")?,
        ack: AckType::from_u8(field(f.next(), "acknowledgement type")?),
    })
}

/// Build an ABK sentence (used by tests and the demo transponder).
pub fn build_abk(talker: &str, a: &Abk) -> String {
    let mmsi = a.dest_mmsi.map(|m| format!("{m:09}")).unwrap_or_default();
    let ch = a.channel.map(String::from).unwrap_or_default();
    build(
        '$',
        &format!("{talker}ABK"),
        &[
            &mmsi,
            &ch,
            &a.msg_id.to_string(),
            &a.seq_id.to_string(),
            &a.ack.to_u8().to_string(),
        ],
    )
}

/// VSD: voyage static data input to the transponder.
#[derive(Debug, Clone, PartialEq)]
pub struct Vsd {
    /// Ship and cargo type (M.1371 table 53).
    pub ship_type: Option<u8>,
    /// Static draught, metres.
    pub draught: Option<f64>,
    pub persons: Option<u16>,
    pub destination: String,
    /// ETA time `hhmmss`.
    pub eta_time: String,
    pub eta_day: Option<u8>,
    pub eta_month: Option<u8>,
    pub nav_status: Option<u8>,
    pub regional: Option<u8>,
}

/// Parse a VSD sentence.
pub fn parse_vsd(s: &Sentence<'_>) -> Result<Vsd, PiError> {
    expect(s, "VSD")?;
    let mut f = s.fields();
    Ok(Vsd {
        ship_type: opt(f.next()),
        draught: opt(f.next()),
        persons: opt(f.next()),
        destination: f.next().unwrap_or("").trim_end_matches('@').to_string(),
        eta_time: f.next().unwrap_or("").to_string(),
        eta_day: opt(f.next()),
        eta_month: opt(f.next()),
        nav_status: opt(f.next()),
        regional: opt(f.next()),
    })
}

/// Build a VSD sentence.
pub fn build_vsd(talker: &str, v: &Vsd) -> String {
    let o = |x: Option<String>| x.unwrap_or_default();
    build(
        '$',
        &format!("{talker}VSD"),
        &[
            &o(v.ship_type.map(|t| format!("{t:03}"))),
            &o(v.draught.map(|d| format!("{d:.1}"))),
            &o(v.persons.map(|p| p.to_string())),
            &v.destination,
            &v.eta_time,
            &o(v.eta_day.map(|d| format!("{d:02}"))),
            &o(v.eta_month.map(|m| format!("{m:02}"))),
            &o(v.nav_status.map(|n| n.to_string())),
            &o(v.regional.map(|r| r.to_string())),
        ],
    )
}

/// SSD: ship static data input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ssd {
    pub callsign: String,
    pub name: String,
    pub to_bow: Option<u16>,
    pub to_stern: Option<u16>,
    pub to_port: Option<u8>,
    pub to_starboard: Option<u8>,
    pub dte: Option<u8>,
    /// Source of the reference point (`AI`, `GP` …).
    pub source: String,
}

/// Parse an SSD sentence.
pub fn parse_ssd(s: &Sentence<'_>) -> Result<Ssd, PiError> {
    expect(s, "SSD")?;
    let mut f = s.fields();
    Ok(Ssd {
        callsign: f.next().unwrap_or("").trim_end_matches('@').to_string(),
        name: f.next().unwrap_or("").trim_end_matches('@').to_string(),
        to_bow: opt(f.next()),
        to_stern: opt(f.next()),
        to_port: opt(f.next()),
        to_starboard: opt(f.next()),
        dte: opt(f.next()),
        source: f.next().unwrap_or("").to_string(),
    })
}

/// Build an SSD sentence.
pub fn build_ssd(talker: &str, v: &Ssd) -> String {
    let o = |x: Option<String>| x.unwrap_or_default();
    build(
        '$',
        &format!("{talker}SSD"),
        &[
            &v.callsign,
            &v.name,
            &o(v.to_bow.map(|x| format!("{x:03}"))),
            &o(v.to_stern.map(|x| format!("{x:03}"))),
            &o(v.to_port.map(|x| format!("{x:02}"))),
            &o(v.to_starboard.map(|x| format!("{x:02}"))),
            &o(v.dte.map(|x| x.to_string())),
            &v.source,
        ],
    )
}

/// ALR: an alarm reported by the transponder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alr {
    /// `hhmmss.ss`, as sent.
    pub time: String,
    pub id: String,
    /// Condition: true = threshold exceeded (`A`).
    pub active: bool,
    /// true = acknowledged (`A`).
    pub acknowledged: bool,
    pub text: String,
}

/// Parse an ALR sentence.
pub fn parse_alr(s: &Sentence<'_>) -> Result<Alr, PiError> {
    expect(s, "ALR")?;
    let mut f = s.fields();
    let time = f.next().unwrap_or("").to_string();
    let id = f.next().unwrap_or("").to_string();
    let cond = f.next().unwrap_or("");
    let ack = f.next().unwrap_or("");
    let text: Vec<&str> = f.collect();
    Ok(Alr {
        time,
        id,
        active: cond == "A",
        acknowledged: ack == "A",
        text: text.join(","),
    })
}

/// Build an ALR sentence.
pub fn build_alr(talker: &str, a: &Alr) -> String {
    build(
        '$',
        &format!("{talker}ALR"),
        &[
            &a.time,
            &a.id,
            if a.active { "A" } else { "V" },
            if a.acknowledged { "A" } else { "V" },
            &a.text,
        ],
    )
}

/// TXT: text transmission (status messages of the transponder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Txt {
    pub total: u8,
    pub number: u8,
    pub id: u8,
    pub text: String,
}

/// Parse a TXT sentence (the text may itself contain commas).
pub fn parse_txt(s: &Sentence<'_>) -> Result<Txt, PiError> {
    expect(s, "TXT")?;
    let mut f = s.fields();
    let total = field(f.next(), "total")?;
    let number = field(f.next(), "number")?;
    let id = field(f.next(), "text identifier")?;
    let text: Vec<&str> = f.collect();
    Ok(Txt {
        total,
        number,
        id,
        text: text.join(","),
    })
}

/// Build a TXT sentence.
pub fn build_txt(talker: &str, t: &Txt) -> String {
    build(
        '$',
        &format!("{talker}TXT"),
        &[
            &format!("{:02}", t.total),
            &format!("{:02}", t.number),
            &format!("{:02}", t.id),
            &t.text,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nmea::frame;

    #[test]
    fn abk_with_and_without_destination() {
        let s = frame(b"$AIABK,219012679,B,12,1,0*1D").unwrap();
        let a = parse_abk(&s).unwrap();
        assert_eq!(a.dest_mmsi, Some(219012679));
        assert_eq!(a.channel, Some('B'));
        assert_eq!((a.msg_id, a.seq_id, a.ack), (12, 1, AckType::Received));
        assert_eq!(build_abk("AI", &a), "$AIABK,219012679,B,12,1,0*1D");
        let s = frame(b"$AIABK,,,8,3,3*54").unwrap();
        let a = parse_abk(&s).unwrap();
        assert_eq!((a.dest_mmsi, a.channel), (None, None));
        assert_eq!(a.ack, AckType::Broadcast);
    }

    #[test]
    fn txt_keeps_commas() {
        let s = frame(b"$AITXT,01,01,91,FREQ,2087,2088*57").unwrap();
        let t = parse_txt(&s).unwrap();
        assert_eq!(t.text, "FREQ,2087,2088");
        assert_eq!(build_txt("AI", &t), "$AITXT,01,01,91,FREQ,2087,2088*57");
    }

    #[test]
    fn alr_round_trip() {
        let s = frame(b"$ANALR,000000.00,007,A,V,AIS: UTC Lost*75").unwrap();
        let a = parse_alr(&s).unwrap();
        assert!(a.active && !a.acknowledged);
        assert_eq!(a.text, "AIS: UTC Lost");
        assert_eq!(
            build_alr("AN", &a),
            "$ANALR,000000.00,007,A,V,AIS: UTC Lost*75"
        );
    }
}
