//! AIS messages 1–27 (ITU-R M.1371-5 annex 8), decoded from a de-armoured
//! payload into typed structs that keep the raw field values.
//!
//! Design decisions:
//! - Fields keep their on-air integer encoding (lon/lat in 1/10 000 min, speed
//!   in 0.1 kn, course in 0.1°, …). "Not available" sentinels (181°, 91°,
//!   1023, 3600, 511, −128) stay what they are; accessor methods such as
//!   [`PositionReport::position`] turn them into `Option`s for the traffic
//!   picture, so nothing is ever silently made into a zero.
//! - Length rules follow what receivers see in the wild (and what gpsd
//!   accepts, so our output is comparable): a message shorter than its fixed
//!   fields is rejected with [`DecodeError::Length`]; slightly long messages
//!   are accepted. Bits past the end read as zero.
//! - No allocation: text fields are fixed-capacity [`Text`], binary data is
//!   [`BitData`].

use super::application::{AddressedApp, BroadcastApp};
use crate::nmea::armour::{BitData, Payload, Text};
use std::fmt;

/// Why a payload did not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Payload length outside what the message type allows.
    Length {
        msg_type: u8,
        bits: usize,
        expected: &'static str,
    },
    /// Message type 0 or 28–63.
    UnknownType { msg_type: u8 },
    /// Message 24 with part number 2 or 3.
    BadPartNumber { part: u8 },
    /// Empty payload.
    Empty,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Length {
                msg_type,
                bits,
                expected,
            } => write!(f, "message {msg_type} has {bits} bits, expected {expected}"),
            DecodeError::UnknownType { msg_type } => {
                write!(f, "message type {msg_type} is not defined in M.1371-5")
            }
            DecodeError::BadPartNumber { part } => {
                write!(f, "message 24 part number {part} is not 0 (A) or 1 (B)")
            }
            DecodeError::Empty => write!(f, "empty payload"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Longitude/latitude in 1/10 000 minute, as messages 1–4, 9, 11, 18, 19, 21
/// and 27 (scaled) carry them.
pub const LATLON_SCALE: f64 = 600_000.0;
/// 181° in 1/10 000 min: longitude not available.
pub const LON_NA: i32 = 108_600_000;
/// 91° in 1/10 000 min: latitude not available.
pub const LAT_NA: i32 = 54_600_000;

/// Convert a raw lon/lat pair to degrees, `None` when not available or
/// outside the earth.
pub fn position_from_raw(lon: i32, lat: i32, scale: f64) -> Option<(f64, f64)> {
    let lon_d = f64::from(lon) / scale;
    let lat_d = f64::from(lat) / scale;
    if !(-180.0..=180.0).contains(&lon_d) || !(-90.0..=90.0).contains(&lat_d) {
        return None;
    }
    Some((lat_d, lon_d))
}

/// Ship dimensions to the reference point, metres (M.1371-5 fig. 42).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Dimensions {
    pub to_bow: u16,
    pub to_stern: u16,
    pub to_port: u8,
    pub to_starboard: u8,
}

impl Dimensions {
    fn read(p: &Payload, at: usize) -> Self {
        Dimensions {
            to_bow: p.ubits(at, 9) as u16,
            to_stern: p.ubits(at + 9, 9) as u16,
            to_port: p.ubits(at + 18, 6) as u8,
            to_starboard: p.ubits(at + 24, 6) as u8,
        }
    }
}

/// Messages 1, 2, 3: Class A position report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PositionReport {
    pub status: u8,
    /// Rate of turn indicator, −128 = not available, ±127 = turning fast
    /// without a turn indicator.
    pub turn: i8,
    /// SOG in 0.1 kn, 1023 = not available, 1022 = 102.2 kn or more.
    pub speed: u16,
    pub accuracy: bool,
    pub lon: i32,
    pub lat: i32,
    /// COG in 0.1°, 3600 = not available.
    pub course: u16,
    /// True heading, 511 = not available.
    pub heading: u16,
    pub second: u8,
    pub maneuver: u8,
    pub spare: u8,
    pub raim: bool,
    pub radio: u32,
}

impl PositionReport {
    /// Position (lat, lon) in degrees, `None` for 91°/181° or out of range.
    pub fn position(&self) -> Option<(f64, f64)> {
        position_from_raw(self.lon, self.lat, LATLON_SCALE)
    }
    /// SOG in knots, `None` when not available.
    pub fn sog_kn(&self) -> Option<f64> {
        (self.speed < 1023).then(|| f64::from(self.speed) / 10.0)
    }
    /// COG in degrees, `None` when not available.
    pub fn cog_deg(&self) -> Option<f64> {
        (self.course < 3600).then(|| f64::from(self.course) / 10.0)
    }
    /// True heading, `None` when not available.
    pub fn heading_deg(&self) -> Option<u16> {
        (self.heading < 360).then_some(self.heading)
    }
}

/// Messages 4 and 11: base station report / UTC and date response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BaseStationReport {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub accuracy: bool,
    pub lon: i32,
    pub lat: i32,
    pub epfd: u8,
    pub raim: bool,
    pub radio: u32,
}

impl BaseStationReport {
    /// Position in degrees.
    pub fn position(&self) -> Option<(f64, f64)> {
        position_from_raw(self.lon, self.lat, LATLON_SCALE)
    }
}

/// Message 5: static and voyage related data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaticVoyageData {
    pub ais_version: u8,
    pub imo: u32,
    pub callsign: Text<7>,
    pub shipname: Text<20>,
    pub shiptype: u8,
    pub dim: Dimensions,
    pub epfd: u8,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    /// Draught in 0.1 m.
    pub draught: u8,
    pub destination: Text<20>,
    pub dte: bool,
}

/// Message 6: addressed binary message.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressedBinary {
    pub seqno: u8,
    pub dest_mmsi: u32,
    pub retransmit: bool,
    pub dac: u16,
    pub fid: u8,
    pub app: AddressedApp,
}

/// Messages 7 and 13: binary / safety acknowledge, up to four destinations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acknowledge {
    /// (MMSI, sequence number) pairs; absent ones are (0, 0).
    pub acks: [(u32, u8); 4],
    /// How many of `acks` were present in the message.
    pub count: u8,
}

/// Message 8: binary broadcast message.
#[derive(Debug, Clone, PartialEq)]
pub struct BroadcastBinary {
    pub dac: u16,
    pub fid: u8,
    pub app: BroadcastApp,
}

/// Message 9: standard SAR aircraft position report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SarAircraftReport {
    /// Altitude in metres, 4095 = not available, 4094 = 4094 m or higher.
    pub alt: u16,
    /// SOG in knots (not tenths), 1023 = not available.
    pub speed: u16,
    pub accuracy: bool,
    pub lon: i32,
    pub lat: i32,
    pub course: u16,
    pub second: u8,
    pub regional: u8,
    pub dte: bool,
    pub assigned: bool,
    pub raim: bool,
    pub radio: u32,
}

impl SarAircraftReport {
    /// Position in degrees.
    pub fn position(&self) -> Option<(f64, f64)> {
        position_from_raw(self.lon, self.lat, LATLON_SCALE)
    }
}

/// Message 12: addressed safety related message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SafetyAddressed {
    pub seqno: u8,
    pub dest_mmsi: u32,
    pub retransmit: bool,
    pub text: Text<160>,
}

/// Message 15: interrogation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Interrogation {
    pub mmsi1: u32,
    pub type1_1: u8,
    pub offset1_1: u16,
    pub type1_2: u8,
    pub offset1_2: u16,
    pub mmsi2: u32,
    pub type2_1: u8,
    pub offset2_1: u16,
}

/// Message 16: assigned mode command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AssignedMode {
    pub mmsi1: u32,
    pub offset1: u16,
    pub increment1: u16,
    pub mmsi2: u32,
    pub offset2: u16,
    pub increment2: u16,
}

/// Message 17: GNSS broadcast binary message (DGNSS corrections).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DgnssBroadcast {
    /// Longitude in 1/10 min.
    pub lon: i32,
    /// Latitude in 1/10 min.
    pub lat: i32,
    pub data: BitData,
}

/// Message 18: standard Class B position report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassBPosition {
    pub reserved: u8,
    pub speed: u16,
    pub accuracy: bool,
    pub lon: i32,
    pub lat: i32,
    pub course: u16,
    pub heading: u16,
    pub second: u8,
    pub regional: u8,
    /// Class B unit flag: true = CS (carrier sense), false = SOTDMA.
    pub cs: bool,
    pub display: bool,
    pub dsc: bool,
    pub band: bool,
    pub msg22: bool,
    pub assigned: bool,
    pub raim: bool,
    pub radio: u32,
}

impl ClassBPosition {
    /// Position in degrees.
    pub fn position(&self) -> Option<(f64, f64)> {
        position_from_raw(self.lon, self.lat, LATLON_SCALE)
    }
}

/// Message 19: extended Class B position report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassBExtended {
    pub reserved: u8,
    pub speed: u16,
    pub accuracy: bool,
    pub lon: i32,
    pub lat: i32,
    pub course: u16,
    pub heading: u16,
    pub second: u8,
    pub regional: u8,
    pub shipname: Text<20>,
    pub shiptype: u8,
    pub dim: Dimensions,
    pub epfd: u8,
    pub raim: bool,
    pub dte: bool,
    pub assigned: bool,
}

impl ClassBExtended {
    /// Position in degrees.
    pub fn position(&self) -> Option<(f64, f64)> {
        position_from_raw(self.lon, self.lat, LATLON_SCALE)
    }
}

/// One reservation of message 20.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SlotReservation {
    pub offset: u16,
    pub number: u8,
    pub timeout: u8,
    pub increment: u16,
}

/// Message 20: data link management.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataLinkManagement {
    pub reservations: [SlotReservation; 4],
}

/// Message 21: aid-to-navigation report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AidToNavigation {
    pub aid_type: u8,
    /// Name including the name extension (up to 20 + 14 characters).
    pub name: Text<34>,
    pub accuracy: bool,
    pub lon: i32,
    pub lat: i32,
    pub dim: Dimensions,
    pub epfd: u8,
    pub second: u8,
    pub off_position: bool,
    pub regional: u8,
    pub raim: bool,
    pub virtual_aid: bool,
    pub assigned: bool,
}

impl AidToNavigation {
    /// Position in degrees.
    pub fn position(&self) -> Option<(f64, f64)> {
        position_from_raw(self.lon, self.lat, LATLON_SCALE)
    }
}

/// Message 22: channel management.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelManagement {
    pub channel_a: u16,
    pub channel_b: u16,
    pub txrx: u8,
    pub power: bool,
    pub addressed: bool,
    /// When not addressed: NE/SW corners in 1/10 min.
    pub ne_lon: i32,
    pub ne_lat: i32,
    pub sw_lon: i32,
    pub sw_lat: i32,
    /// When addressed: the two destinations.
    pub dest1: u32,
    pub dest2: u32,
    pub band_a: bool,
    pub band_b: bool,
    pub zonesize: u8,
}

/// Message 23: group assignment command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupAssignment {
    pub ne_lon: i32,
    pub ne_lat: i32,
    pub sw_lon: i32,
    pub sw_lat: i32,
    pub stationtype: u8,
    pub shiptype: u8,
    pub txrx: u8,
    pub interval: u8,
    pub quiet: u8,
}

/// Message 24: static data report, part A or B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaticDataReport {
    PartA {
        shipname: Text<20>,
    },
    PartB {
        shiptype: u8,
        /// Vendor ID as 7 characters (pre-M.1371-4 reading).
        vendorid: Text<7>,
        /// Unit model code (M.1371-4 onwards).
        model: u8,
        /// Serial number (M.1371-4 onwards).
        serial: u32,
        callsign: Text<7>,
        /// Dimensions; for an auxiliary craft (98xxxxxxx) these bits carry
        /// `mothership_mmsi` instead.
        dim: Dimensions,
        mothership_mmsi: Option<u32>,
    },
}

/// Message 25/26: single- and multiple-slot binary message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotBinary {
    pub addressed: bool,
    pub structured: bool,
    pub dest_mmsi: u32,
    pub app_id: u16,
    pub data: BitData,
    /// Message 26 only: communication state.
    pub radio: u32,
}

/// Message 27: long-range broadcast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LongRange {
    pub accuracy: bool,
    pub raim: bool,
    pub status: u8,
    /// Longitude in 1/10 min.
    pub lon: i32,
    /// Latitude in 1/10 min.
    pub lat: i32,
    /// SOG in knots, 63 = not available.
    pub speed: u8,
    /// COG in degrees, 511 = not available.
    pub course: u16,
    /// false = position latency < 5 s ("GNSS position current").
    pub gnss: bool,
}

impl LongRange {
    /// Position in degrees.
    pub fn position(&self) -> Option<(f64, f64)> {
        position_from_raw(self.lon, self.lat, 600.0)
    }
}

/// The body of a decoded AIS message.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Position(PositionReport),
    BaseStation(BaseStationReport),
    StaticVoyage(Box<StaticVoyageData>),
    AddressedBinary(Box<AddressedBinary>),
    Acknowledge(Acknowledge),
    BroadcastBinary(Box<BroadcastBinary>),
    SarAircraft(SarAircraftReport),
    UtcInquiry { dest_mmsi: u32 },
    SafetyAddressed(Box<SafetyAddressed>),
    SafetyBroadcast { text: Text<161> },
    Interrogation(Interrogation),
    AssignedMode(AssignedMode),
    Dgnss(Box<DgnssBroadcast>),
    ClassB(ClassBPosition),
    ClassBExtended(Box<ClassBExtended>),
    DataLink(DataLinkManagement),
    AidToNavigation(Box<AidToNavigation>),
    ChannelManagement(ChannelManagement),
    GroupAssignment(GroupAssignment),
    StaticData(Box<StaticDataReport>),
    SlotBinary(Box<SlotBinary>),
    LongRange(LongRange),
}

/// A decoded AIS message: common header plus body.
#[derive(Debug, Clone, PartialEq)]
pub struct AisMessage {
    pub msg_type: u8,
    pub repeat: u8,
    pub mmsi: u32,
    pub body: Body,
}

impl AisMessage {
    /// The position the message reports (lat, lon in degrees), if it is
    /// one that reports a position and the position is available.
    pub fn body_position(&self) -> Option<(f64, f64)> {
        match &self.body {
            Body::Position(p) => p.position(),
            Body::BaseStation(b) => b.position(),
            Body::SarAircraft(s) => s.position(),
            Body::ClassB(b) => b.position(),
            Body::ClassBExtended(b) => b.position(),
            Body::AidToNavigation(a) => a.position(),
            Body::LongRange(l) => l.position(),
            _ => None,
        }
    }

    /// An Inland AIS RTA (message 6, DAC 200, FI 22) from the lock,
    /// bridge or terminal `from` to the ship `to`.
    pub fn inland_rta(from: u32, to: u32, rta: super::application::InlandRta) -> AisMessage {
        AisMessage {
            msg_type: 6,
            repeat: 0,
            mmsi: from,
            body: Body::AddressedBinary(Box::new(AddressedBinary {
                seqno: 0,
                dest_mmsi: to,
                retransmit: false,
                dac: 200,
                fid: 22,
                app: super::application::AddressedApp::InlandRta(rta),
            })),
        }
    }
}

fn too_short(msg_type: u8, bits: usize, expected: &'static str) -> DecodeError {
    DecodeError::Length {
        msg_type,
        bits,
        expected,
    }
}

/// Auxiliary craft of a mother ship: MMSI 98MIDxxxx (M.585-8 annex 2 §3).
pub fn is_auxiliary_mmsi(mmsi: u32) -> bool {
    mmsi / 10_000_000 == 98
}

/// Decode one complete AIS payload.
pub fn decode(p: &Payload) -> Result<AisMessage, DecodeError> {
    let bits = p.bit_len();
    if bits < 6 {
        return Err(DecodeError::Empty);
    }
    let msg_type = p.ubits(0, 6) as u8;
    if bits < 38 {
        return Err(too_short(msg_type, bits, "at least 38"));
    }
    let repeat = p.ubits(6, 2) as u8;
    let mmsi = p.ubits(8, 30) as u32;
    let u = |s: usize, w: usize| p.ubits(s, w);
    let s = |st: usize, w: usize| p.sbits(st, w);
    let range = |lo: usize, hi: usize, exp: &'static str| {
        if bits < lo || bits > hi {
            Err(too_short(msg_type, bits, exp))
        } else {
            Ok(())
        }
    };
    let body = match msg_type {
        1..=3 => {
            range(163, 204, "163 to 204 (168)")?;
            Body::Position(PositionReport {
                status: u(38, 4) as u8,
                turn: s(42, 8) as i8,
                speed: u(50, 10) as u16,
                accuracy: u(60, 1) == 1,
                lon: s(61, 28) as i32,
                lat: s(89, 27) as i32,
                course: u(116, 12) as u16,
                heading: u(128, 9) as u16,
                second: u(137, 6) as u8,
                maneuver: u(143, 2) as u8,
                spare: u(145, 3) as u8,
                raim: u(148, 1) == 1,
                radio: if bits >= 168 {
                    u(149, 19) as u32
                } else {
                    u(149, bits - 149) as u32
                },
            })
        }
        4 | 11 => {
            range(168, MAX, "168")?;
            Body::BaseStation(BaseStationReport {
                year: u(38, 14) as u16,
                month: u(52, 4) as u8,
                day: u(56, 5) as u8,
                hour: u(61, 5) as u8,
                minute: u(66, 6) as u8,
                second: u(72, 6) as u8,
                accuracy: u(78, 1) == 1,
                lon: s(79, 28) as i32,
                lat: s(107, 27) as i32,
                epfd: u(134, 4) as u8,
                raim: u(148, 1) == 1,
                radio: u(149, 19) as u32,
            })
        }
        5 => {
            // Many transmitters send 420 or 422 bits instead of 424.
            range(420, MAX, "424 (420 tolerated)")?;
            Body::StaticVoyage(Box::new(StaticVoyageData {
                ais_version: u(38, 2) as u8,
                imo: u(40, 30) as u32,
                callsign: p.text(70, 7),
                shipname: p.text(112, 20),
                shiptype: u(232, 8) as u8,
                dim: Dimensions::read(p, 240),
                epfd: u(270, 4) as u8,
                month: u(274, 4) as u8,
                day: u(278, 5) as u8,
                hour: u(283, 5) as u8,
                minute: u(288, 6) as u8,
                draught: u(294, 8) as u8,
                destination: p.text(302, 20),
                dte: bits >= 423 && u(422, 1) == 1,
            }))
        }
        6 => {
            range(88, MAX, "88 to 1008")?;
            let dac = u(72, 10) as u16;
            let fid = u(82, 6) as u8;
            Body::AddressedBinary(Box::new(AddressedBinary {
                seqno: u(38, 2) as u8,
                dest_mmsi: u(40, 30) as u32,
                retransmit: u(70, 1) == 1,
                dac,
                fid,
                app: AddressedApp::decode(p, dac, fid),
            }))
        }
        7 | 13 => {
            range(72, 168, "72 to 168")?;
            let mut acks = [(0u32, 0u8); 4];
            let mut count = 0;
            for (i, a) in acks.iter_mut().enumerate() {
                let at = 40 + 32 * i;
                // gpsd reads an entry whose start lies inside the payload;
                // we do the same so a truncated last entry is reported.
                if at < bits {
                    *a = (u(at, 30) as u32, u(at + 30, 2) as u8);
                    count += 1;
                }
            }
            Body::Acknowledge(Acknowledge { acks, count })
        }
        8 => {
            range(56, MAX, "56 to 1008")?;
            let dac = u(40, 10) as u16;
            let fid = u(50, 6) as u8;
            Body::BroadcastBinary(Box::new(BroadcastBinary {
                dac,
                fid,
                app: BroadcastApp::decode(p, dac, fid),
            }))
        }
        9 => {
            range(168, MAX, "168")?;
            Body::SarAircraft(SarAircraftReport {
                alt: u(38, 12) as u16,
                speed: u(50, 10) as u16,
                accuracy: u(60, 1) == 1,
                lon: s(61, 28) as i32,
                lat: s(89, 27) as i32,
                course: u(116, 12) as u16,
                second: u(128, 6) as u8,
                regional: u(134, 8) as u8,
                dte: u(142, 1) == 1,
                assigned: u(146, 1) == 1,
                raim: u(147, 1) == 1,
                radio: u(148, 20) as u32,
            })
        }
        10 => {
            range(72, MAX, "72")?;
            Body::UtcInquiry {
                dest_mmsi: u(40, 30) as u32,
            }
        }
        12 => {
            range(72, MAX, "72 to 1008")?;
            Body::SafetyAddressed(Box::new(SafetyAddressed {
                seqno: u(38, 2) as u8,
                dest_mmsi: u(40, 30) as u32,
                retransmit: u(70, 1) == 1,
                text: p.text_to_end(72),
            }))
        }
        14 => {
            range(40, MAX, "40 to 1008")?;
            Body::SafetyBroadcast {
                text: p.text_to_end(40),
            }
        }
        15 => {
            range(88, 168, "88 to 168")?;
            let mut q = Interrogation {
                mmsi1: u(40, 30) as u32,
                type1_1: u(70, 6) as u8,
                offset1_1: u(76, 12) as u16,
                ..Default::default()
            };
            if bits > 90 {
                q.type1_2 = u(90, 6) as u8;
                q.offset1_2 = u(96, 12) as u16;
                if bits > 110 {
                    q.mmsi2 = u(110, 30) as u32;
                    q.type2_1 = u(140, 6) as u8;
                    q.offset2_1 = u(146, 12) as u16;
                }
            }
            Body::Interrogation(q)
        }
        16 => {
            range(96, 168, "96 or 144")?;
            let mut a = AssignedMode {
                mmsi1: u(40, 30) as u32,
                offset1: u(70, 12) as u16,
                increment1: u(82, 10) as u16,
                ..Default::default()
            };
            if bits >= 144 {
                a.mmsi2 = u(92, 30) as u32;
                a.offset2 = u(122, 12) as u16;
                a.increment2 = u(134, 10) as u16;
            }
            Body::AssignedMode(a)
        }
        17 => {
            range(80, 816, "80 to 816")?;
            Body::Dgnss(Box::new(DgnssBroadcast {
                lon: s(40, 18) as i32,
                lat: s(58, 17) as i32,
                data: p.tail(80),
            }))
        }
        18 => {
            range(168, MAX, "168")?;
            Body::ClassB(ClassBPosition {
                reserved: u(38, 8) as u8,
                speed: u(46, 10) as u16,
                accuracy: u(56, 1) == 1,
                lon: s(57, 28) as i32,
                lat: s(85, 27) as i32,
                course: u(112, 12) as u16,
                heading: u(124, 9) as u16,
                second: u(133, 6) as u8,
                regional: u(139, 2) as u8,
                cs: u(141, 1) == 1,
                display: u(142, 1) == 1,
                dsc: u(143, 1) == 1,
                band: u(144, 1) == 1,
                msg22: u(145, 1) == 1,
                assigned: u(146, 1) == 1,
                raim: u(147, 1) == 1,
                radio: u(148, 20) as u32,
            })
        }
        19 => {
            range(312, MAX, "312")?;
            Body::ClassBExtended(Box::new(ClassBExtended {
                reserved: u(38, 8) as u8,
                speed: u(46, 10) as u16,
                accuracy: u(56, 1) == 1,
                lon: s(57, 28) as i32,
                lat: s(85, 27) as i32,
                course: u(112, 12) as u16,
                heading: u(124, 9) as u16,
                second: u(133, 6) as u8,
                regional: u(139, 4) as u8,
                shipname: p.text(143, 20),
                shiptype: u(263, 8) as u8,
                dim: Dimensions::read(p, 271),
                epfd: u(301, 4) as u8,
                raim: u(305, 1) == 1,
                dte: u(306, 1) == 1,
                assigned: u(307, 1) == 1,
            }))
        }
        20 => {
            range(72, 186, "72 to 160")?;
            let mut reservations = [SlotReservation::default(); 4];
            for (i, r) in reservations.iter_mut().enumerate() {
                let at = 40 + 30 * i;
                *r = SlotReservation {
                    offset: u(at, 12) as u16,
                    number: u(at + 12, 4) as u8,
                    timeout: u(at + 16, 3) as u8,
                    increment: u(at + 19, 11) as u16,
                };
            }
            Body::DataLink(DataLinkManagement { reservations })
        }
        21 => {
            range(272, 368, "272 to 360")?;
            let mut name: Text<34> = p.text(43, 20);
            // Name extension (M.1371-5 table 69): only when the 20-character
            // name field is full.
            if name.len() == 20 && bits > 272 {
                let ext: Text<14> = p.text_to_end(272);
                name.extend(ext.as_str());
            }
            Body::AidToNavigation(Box::new(AidToNavigation {
                aid_type: u(38, 5) as u8,
                name,
                accuracy: u(163, 1) == 1,
                lon: s(164, 28) as i32,
                lat: s(192, 27) as i32,
                dim: Dimensions::read(p, 219),
                epfd: u(249, 4) as u8,
                second: u(253, 6) as u8,
                off_position: u(259, 1) == 1,
                regional: u(260, 8) as u8,
                raim: u(268, 1) == 1,
                virtual_aid: u(269, 1) == 1,
                assigned: u(270, 1) == 1,
            }))
        }
        22 => {
            range(168, MAX, "168")?;
            let addressed = u(139, 1) == 1;
            let mut c = ChannelManagement {
                channel_a: u(40, 12) as u16,
                channel_b: u(52, 12) as u16,
                txrx: u(64, 4) as u8,
                power: u(68, 1) == 1,
                addressed,
                ne_lon: 0,
                ne_lat: 0,
                sw_lon: 0,
                sw_lat: 0,
                dest1: 0,
                dest2: 0,
                band_a: u(140, 1) == 1,
                band_b: u(141, 1) == 1,
                zonesize: u(142, 3) as u8,
            };
            if addressed {
                c.dest1 = u(69, 30) as u32;
                c.dest2 = u(104, 30) as u32;
            } else {
                c.ne_lon = s(69, 18) as i32;
                c.ne_lat = s(87, 17) as i32;
                c.sw_lon = s(104, 18) as i32;
                c.sw_lat = s(122, 17) as i32;
            }
            Body::ChannelManagement(c)
        }
        23 => {
            range(160, MAX, "160")?;
            Body::GroupAssignment(GroupAssignment {
                ne_lon: s(40, 18) as i32,
                ne_lat: s(58, 17) as i32,
                sw_lon: s(75, 18) as i32,
                sw_lat: s(93, 17) as i32,
                stationtype: u(110, 4) as u8,
                shiptype: u(114, 8) as u8,
                txrx: u(144, 2) as u8,
                interval: u(146, 4) as u8,
                quiet: u(150, 4) as u8,
            })
        }
        24 => {
            let part = u(38, 2) as u8;
            match part {
                0 => {
                    range(160, 168, "160 to 168")?;
                    Body::StaticData(Box::new(StaticDataReport::PartA {
                        shipname: p.text(40, 20),
                    }))
                }
                1 => {
                    range(168, MAX, "168")?;
                    let aux = is_auxiliary_mmsi(mmsi);
                    Body::StaticData(Box::new(StaticDataReport::PartB {
                        shiptype: u(40, 8) as u8,
                        vendorid: p.text(48, 7),
                        model: u(66, 4) as u8,
                        serial: u(70, 20) as u32,
                        callsign: p.text(90, 7),
                        dim: if aux {
                            Dimensions::default()
                        } else {
                            Dimensions::read(p, 132)
                        },
                        mothership_mmsi: aux.then(|| u(132, 30) as u32),
                    }))
                }
                _ => return Err(DecodeError::BadPartNumber { part }),
            }
        }
        25 => {
            range(40, 168, "40 to 168")?;
            let addressed = u(38, 1) == 1;
            let structured = u(39, 1) == 1;
            let mut at = 40;
            let need = 40 + if addressed { 30 } else { 0 } + if structured { 16 } else { 0 };
            if bits < need {
                return Err(too_short(msg_type, bits, "enough for its header"));
            }
            let dest_mmsi = if addressed {
                at += 30;
                u(40, 30) as u32
            } else {
                0
            };
            let app_id = if structured {
                at += 16;
                u(at - 16, 16) as u16
            } else {
                0
            };
            Body::SlotBinary(Box::new(SlotBinary {
                addressed,
                structured,
                dest_mmsi,
                app_id,
                data: p.tail(at),
                radio: 0,
            }))
        }
        26 => {
            range(60, 1064, "60 to 1064")?;
            let addressed = u(38, 1) == 1;
            let structured = u(39, 1) == 1;
            let need = 40 + if addressed { 30 } else { 0 } + if structured { 16 } else { 0 } + 20;
            if bits < need {
                return Err(too_short(msg_type, bits, "enough for its header"));
            }
            let mut at = 40;
            let dest_mmsi = if addressed {
                at += 30;
                u(40, 30) as u32
            } else {
                0
            };
            let app_id = if structured {
                at += 16;
                u(at - 16, 16) as u16
            } else {
                0
            };
            // The last 20 bits are the communication state (M.1371-5 table 74).
            let data_bits = bits - 20 - at;
            Body::SlotBinary(Box::new(SlotBinary {
                addressed,
                structured,
                dest_mmsi,
                app_id,
                data: BitData::from_payload(p, at, data_bits),
                radio: u(bits - 20, 20) as u32,
            }))
        }
        27 => {
            if bits != 96 && bits != 168 {
                return Err(too_short(msg_type, bits, "96 (168 tolerated)"));
            }
            Body::LongRange(LongRange {
                accuracy: u(38, 1) == 1,
                raim: u(39, 1) == 1,
                status: u(40, 4) as u8,
                lon: s(44, 18) as i32,
                lat: s(62, 17) as i32,
                speed: u(79, 6) as u8,
                course: u(85, 9) as u16,
                gnss: u(94, 1) == 1,
            })
        }
        _ => return Err(DecodeError::UnknownType { msg_type }),
    };
    Ok(AisMessage {
        msg_type,
        repeat,
        mmsi,
        body,
    })
}

const MAX: usize = crate::nmea::armour::MAX_BITS;
