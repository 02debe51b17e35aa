//! Sentence builders for simulated traffic: what the demo, the scenario
//! tests and the benchmarks feed the engine. Everything goes through the
//! real encoders and framing, so simulated data exercises the same paths as
//! data from the air.

use crate::ais::encode::{encode, to_vdm};
use crate::ais::messages::{
    AisMessage, Body, ClassBPosition, Dimensions, PositionReport, StaticVoyageData,
};
use crate::nmea::armour::Text;
use crate::nmea::{build, checksum};

/// Prefix a sentence with an IEC 61162-450 tag block carrying `ms` as its
/// `c:` time.
pub fn tagged(sentence: &str, ms: i64) -> String {
    let tag = format!("c:{ms}");
    format!("\\{tag}*{:02X}\\{sentence}", checksum(tag.as_bytes()))
}

fn degrees_minutes(v: f64, width: usize) -> String {
    let a = v.abs();
    let d = a.trunc();
    format!("{:0width$}{:07.4}", d as u32, (a - d) * 60.0)
}

/// `$GPRMC` for a valid fix at data time `ms`.
pub fn rmc(ms: i64, pos: (f64, f64), cog: f64, sog: f64) -> String {
    let t = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    build(
        '$',
        "GPRMC",
        &[
            &t.format("%H%M%S.00").to_string(),
            "A",
            &degrees_minutes(pos.0, 2),
            if pos.0 >= 0.0 { "N" } else { "S" },
            &degrees_minutes(pos.1, 3),
            if pos.1 >= 0.0 { "E" } else { "W" },
            &format!("{sog:.1}"),
            &format!("{cog:.1}"),
            &t.format("%d%m%y").to_string(),
            "",
            "",
            "A",
        ],
    )
}

/// `$GPGGA` at data time `ms` (to the centisecond) with the given quality
/// indicator and satellites-in-use fields, as written (`"1"`, `"08"`, `""`).
pub fn gga(ms: i64, pos: (f64, f64), quality: &str, satellites: &str) -> String {
    let t = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    let time = format!("{}.{:02}", t.format("%H%M%S"), ms.rem_euclid(1000) / 10);
    build(
        '$',
        "GPGGA",
        &[
            &time,
            &degrees_minutes(pos.0, 2),
            if pos.0 >= 0.0 { "N" } else { "S" },
            &degrees_minutes(pos.1, 3),
            if pos.1 >= 0.0 { "E" } else { "W" },
            quality,
            satellites,
            "0.9",
            "10.0",
            "M",
            "",
            "M",
            "",
            "",
        ],
    )
}

/// Degrees to the 1/10 000 minute of AIS positions: (lon, lat).
pub fn raw_position(pos: (f64, f64)) -> (i32, i32) {
    (
        (pos.1 * 600_000.0).round() as i32,
        (pos.0 * 600_000.0).round() as i32,
    )
}

/// A Class A position report (message 1). `cog: None` sends "not
/// available" (3600); heading follows COG when moving.
pub fn class_a(
    mmsi: u32,
    pos: (f64, f64),
    cog: Option<f64>,
    sog: f64,
    status: u8,
    second: u8,
) -> AisMessage {
    let (lon, lat) = raw_position(pos);
    AisMessage {
        msg_type: 1,
        repeat: 0,
        mmsi,
        body: Body::Position(PositionReport {
            status,
            turn: -128,
            speed: (sog * 10.0).round() as u16,
            accuracy: true,
            lon,
            lat,
            course: cog.map_or(3600, |c| (c * 10.0).round() as u16),
            heading: match cog {
                Some(c) if sog > 0.0 => c.round() as u16 % 360,
                _ => 511,
            },
            second: second % 60,
            maneuver: 0,
            spare: 0,
            raim: false,
            radio: 0,
        }),
    }
}

/// A Class B CS position report (message 18).
pub fn class_b(mmsi: u32, pos: (f64, f64), cog: f64, sog: f64, second: u8) -> AisMessage {
    let (lon, lat) = raw_position(pos);
    AisMessage {
        msg_type: 18,
        repeat: 0,
        mmsi,
        body: Body::ClassB(ClassBPosition {
            reserved: 0,
            speed: (sog * 10.0).round() as u16,
            accuracy: false,
            lon,
            lat,
            course: (cog * 10.0).round() as u16,
            heading: 511,
            second: second % 60,
            regional: 0,
            cs: true,
            display: false,
            dsc: true,
            band: true,
            msg22: true,
            assigned: false,
            raim: false,
            radio: 0,
        }),
    }
}

/// Message 5 (static and voyage data) of a cargo ship with `name` bound
/// for `destination`: long enough to take two sentences.
pub fn static_voyage(mmsi: u32, name: &str, destination: &str) -> AisMessage {
    AisMessage {
        msg_type: 5,
        repeat: 0,
        mmsi,
        body: Body::StaticVoyage(Box::new(StaticVoyageData {
            ais_version: 0,
            imo: 9_000_001,
            callsign: Text::from_str_lossy("PD1234"),
            shipname: Text::from_str_lossy(name),
            shiptype: 70,
            dim: Dimensions {
                to_bow: 80,
                to_stern: 20,
                to_port: 5,
                to_starboard: 6,
            },
            epfd: 1,
            month: 6,
            day: 21,
            hour: 12,
            minute: 0,
            draught: 45,
            destination: Text::from_str_lossy(destination),
            dte: false,
        })),
    }
}

/// Encode a message into VDM sentences without tag blocks (the way a
/// transponder's serial port sends them). Messages we cannot encode give
/// no sentences.
pub fn untagged(m: &AisMessage, channel: char, seq: u8) -> Vec<String> {
    match encode(m) {
        Ok(bits) => to_vdm(&bits, "AI", false, Some(channel), seq),
        Err(_) => Vec::new(),
    }
}

/// Encode a message into VDM (or VDO) sentences, each tagged with `ms`.
/// Messages we cannot encode give no sentences.
pub fn vdm(m: &AisMessage, ms: i64, own: bool, channel: char, seq: u8) -> Vec<String> {
    match encode(m) {
        Ok(bits) => to_vdm(&bits, "AI", own, Some(channel), seq)
            .iter()
            .map(|s| tagged(s, ms))
            .collect(),
        Err(_) => Vec::new(),
    }
}
