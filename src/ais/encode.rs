//! Encoders for the messages we transmit or simulate: 1/2/3, 4/11, 5, 18,
//! 21, 24, 6 and 8 (with the Inland AIS DAC 200 payloads), 12 and 14; and
//! their
//! fragmentation into VDM/VDO sentences of at most 82 characters with
//! CR LF (IEC 61162-1 §5.3).
//!
//! Encoding writes exactly the fields [`super::messages::decode`] reads, so
//! every encoded message decodes back to itself (round-trip property tests in
//! `tests/roundtrip.rs`).

use super::application::{AddressedApp, BroadcastApp, DayTime, InlandLocation};
use super::messages::{AisMessage, Body, Dimensions, StaticDataReport};
use crate::nmea;
use crate::nmea::armour::BitWriter;
use std::fmt;

/// Why a message cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// We do not encode this message type or application payload.
    Unsupported { msg_type: u8, what: &'static str },
    /// The body does not belong to the message type number.
    TypeMismatch { msg_type: u8 },
    /// More than 1008 bits.
    TooLong { bits: usize },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::Unsupported { msg_type, what } => {
                write!(f, "encoding message {msg_type} ({what}) is not supported")
            }
            EncodeError::TypeMismatch { msg_type } => {
                write!(f, "body does not match message type {msg_type}")
            }
            EncodeError::TooLong { bits } => write!(f, "{bits} bits exceed 1008"),
        }
    }
}

impl std::error::Error for EncodeError {}

fn dims(w: &mut BitWriter, d: &Dimensions) {
    w.u(9, d.to_bow.into())
        .u(9, d.to_stern.into())
        .u(6, d.to_port.into())
        .u(6, d.to_starboard.into());
}

fn day_time(w: &mut BitWriter, t: &DayTime) {
    w.u(4, t.month.into())
        .u(5, t.day.into())
        .u(5, t.hour.into())
        .u(6, t.minute.into());
}

fn location(w: &mut BitWriter, l: &InlandLocation) {
    w.text(2, l.country.as_str())
        .text(3, l.locode.as_str())
        .text(5, l.section.as_str())
        .text(5, l.terminal.as_str())
        .text(5, l.hectometre.as_str());
}

fn sign_magnitude(w: &mut BitWriter, width: usize, v: i16, negative_bit: bool) {
    let neg = v < 0;
    let sign = if negative_bit { neg } else { !neg };
    w.b(sign).u(width - 1, u64::from(v.unsigned_abs()));
}

/// The application data of a message 6 from bit 72 on (DAC, FI, data): what
/// an ABM sentence carries.
pub fn addressed_app_bits(dac: u16, fid: u8, app: &AddressedApp) -> Result<BitWriter, EncodeError> {
    let mut w = BitWriter::new();
    w.u(10, dac.into()).u(6, fid.into());
    match app {
        AddressedApp::InlandEta(e) => {
            location(&mut w, &e.location);
            day_time(&mut w, &e.eta);
            w.u(3, e.tugs.into()).u(12, e.air_draught.into()).u(5, 0);
        }
        AddressedApp::InlandRta(r) => {
            location(&mut w, &r.location);
            day_time(&mut w, &r.rta);
            w.u(2, r.status.into()).u(2, 0);
        }
        AddressedApp::InlandPersons(p) => {
            w.u(8, p.crew.into())
                .u(13, p.passengers.into())
                .u(8, p.personnel.into())
                .u(51, 0);
        }
        AddressedApp::Raw(d) => {
            w.data(d);
        }
        _ => {
            return Err(EncodeError::Unsupported {
                msg_type: 6,
                what: "this DAC/FI",
            });
        }
    }
    Ok(w)
}

/// The application data of a message 8 from bit 40 on (DAC, FI, data): what
/// a BBM sentence carries.
pub fn broadcast_app_bits(dac: u16, fid: u8, app: &BroadcastApp) -> Result<BitWriter, EncodeError> {
    let mut w = BitWriter::new();
    w.u(10, dac.into()).u(6, fid.into());
    match app {
        BroadcastApp::InlandStatic(s) => {
            w.text(8, s.vin.as_str())
                .u(13, s.length.into())
                .u(10, s.beam.into())
                .u(14, s.shiptype.into())
                .u(3, s.hazard.into())
                .u(11, s.draught.into())
                .u(2, s.loaded.into())
                .b(s.speed_q)
                .b(s.course_q)
                .b(s.heading_q)
                .u(8, 0);
        }
        BroadcastApp::EmmaWarning(e) => {
            w.u(8, e.start_year.into())
                .u(4, e.start_month.into())
                .u(5, e.start_day.into())
                .u(8, e.end_year.into())
                .u(4, e.end_month.into())
                .u(5, e.end_day.into())
                .u(5, e.start_hour.into())
                .u(6, e.start_minute.into())
                .u(5, e.end_hour.into())
                .u(6, e.end_minute.into())
                .s(28, e.start_lon.into())
                .s(27, e.start_lat.into())
                .s(28, e.end_lon.into())
                .s(27, e.end_lat.into())
                .u(4, e.kind.into());
            for v in [e.min, e.max] {
                match v {
                    Some(v) => sign_magnitude(&mut w, 9, v, true),
                    None => {
                        w.u(9, 0x1ff);
                    }
                }
            }
            w.u(2, e.intensity.into()).u(4, e.wind.into()).u(6, 0);
        }
        BroadcastApp::WaterLevels(l) => {
            w.text(2, l.country.as_str());
            for g in &l.gauges {
                w.u(11, g.id.into());
                match g.level {
                    Some(v) => sign_magnitude(&mut w, 14, v, false),
                    None => {
                        w.u(14, 0);
                    }
                }
            }
        }
        BroadcastApp::SignalStatus(s) => {
            w.s(28, s.lon.into())
                .s(27, s.lat.into())
                .u(4, s.form.into())
                .u(9, s.facing.into())
                .u(3, s.direction.into())
                .u(30, s.status.into())
                .u(11, 0);
        }
        BroadcastApp::Raw(d) => {
            w.data(d);
        }
        BroadcastApp::MetHydro { .. } => {
            return Err(EncodeError::Unsupported {
                msg_type: 8,
                what: "met/hydro",
            });
        }
    }
    Ok(w)
}

/// Encode a message to its payload bits.
pub fn encode(m: &AisMessage) -> Result<BitWriter, EncodeError> {
    let mut w = BitWriter::new();
    w.u(6, m.msg_type.into())
        .u(2, m.repeat.into())
        .u(30, m.mmsi.into());
    let mismatch = EncodeError::TypeMismatch {
        msg_type: m.msg_type,
    };
    match (&m.body, m.msg_type) {
        (Body::Position(r), 1..=3) => {
            w.u(4, r.status.into())
                .s(8, r.turn.into())
                .u(10, r.speed.into())
                .b(r.accuracy)
                .s(28, r.lon.into())
                .s(27, r.lat.into())
                .u(12, r.course.into())
                .u(9, r.heading.into())
                .u(6, r.second.into())
                .u(2, r.maneuver.into())
                .u(3, r.spare.into())
                .b(r.raim)
                .u(19, r.radio.into());
        }
        (Body::BaseStation(r), 4 | 11) => {
            w.u(14, r.year.into())
                .u(4, r.month.into())
                .u(5, r.day.into())
                .u(5, r.hour.into())
                .u(6, r.minute.into())
                .u(6, r.second.into())
                .b(r.accuracy)
                .s(28, r.lon.into())
                .s(27, r.lat.into())
                .u(4, r.epfd.into())
                .u(10, 0)
                .b(r.raim)
                .u(19, r.radio.into());
        }
        (Body::AidToNavigation(a), 21) => {
            // The first 20 characters in the name field, the rest (up to
            // 14) in the name extension after bit 272 (M.1371-5 table 69).
            let name = a.name.as_str();
            let split = name.len().min(20);
            let (head, extension) = name.split_at(split);
            w.u(5, a.aid_type.into()).text(20, head).b(a.accuracy);
            w.s(28, a.lon.into()).s(27, a.lat.into());
            dims(&mut w, &a.dim);
            w.u(4, a.epfd.into())
                .u(6, a.second.into())
                .b(a.off_position)
                .u(8, a.regional.into())
                .b(a.raim)
                .b(a.virtual_aid)
                .b(a.assigned)
                .u(1, 0);
            if !extension.is_empty() {
                w.text_unpadded(extension);
            }
        }
        (Body::StaticVoyage(r), 5) => {
            w.u(2, r.ais_version.into())
                .u(30, r.imo.into())
                .text(7, r.callsign.as_str())
                .text(20, r.shipname.as_str())
                .u(8, r.shiptype.into());
            dims(&mut w, &r.dim);
            w.u(4, r.epfd.into())
                .u(4, r.month.into())
                .u(5, r.day.into())
                .u(5, r.hour.into())
                .u(6, r.minute.into())
                .u(8, r.draught.into())
                .text(20, r.destination.as_str())
                .b(r.dte)
                .u(1, 0);
        }
        (Body::AddressedBinary(b), 6) => {
            w.u(2, b.seqno.into())
                .u(30, b.dest_mmsi.into())
                .b(b.retransmit)
                .u(1, 0);
            let app = addressed_app_bits(b.dac, b.fid, &b.app)?;
            append(&mut w, &app);
        }
        (Body::BroadcastBinary(b), 8) => {
            w.u(2, 0);
            let app = broadcast_app_bits(b.dac, b.fid, &b.app)?;
            append(&mut w, &app);
        }
        (Body::SafetyAddressed(s), 12) => {
            w.u(2, s.seqno.into())
                .u(30, s.dest_mmsi.into())
                .b(s.retransmit)
                .u(1, 0)
                .text_unpadded(s.text.as_str());
        }
        (Body::SafetyBroadcast { text }, 14) => {
            w.u(2, 0).text_unpadded(text.as_str());
        }
        (Body::GroupAssignment(g), 23) => {
            // M.1371-5 table 76: spare 2, area, station type, ship type,
            // 22 spare, Tx/Rx mode, interval, quiet, 6 spare (160 bits).
            w.u(2, 0)
                .s(18, g.ne_lon.into())
                .s(17, g.ne_lat.into())
                .s(18, g.sw_lon.into())
                .s(17, g.sw_lat.into())
                .u(4, g.stationtype.into())
                .u(8, g.shiptype.into())
                .u(22, 0)
                .u(2, g.txrx.into())
                .u(4, g.interval.into())
                .u(4, g.quiet.into())
                .u(6, 0);
        }
        (Body::ClassB(r), 18) => {
            w.u(8, r.reserved.into())
                .u(10, r.speed.into())
                .b(r.accuracy)
                .s(28, r.lon.into())
                .s(27, r.lat.into())
                .u(12, r.course.into())
                .u(9, r.heading.into())
                .u(6, r.second.into())
                .u(2, r.regional.into())
                .b(r.cs)
                .b(r.display)
                .b(r.dsc)
                .b(r.band)
                .b(r.msg22)
                .b(r.assigned)
                .b(r.raim)
                .u(20, r.radio.into());
        }
        (Body::StaticData(s), 24) => match s.as_ref() {
            StaticDataReport::PartA { shipname } => {
                w.u(2, 0).text(20, shipname.as_str());
            }
            StaticDataReport::PartB {
                shiptype,
                vendorid,
                model: _,
                serial: _,
                callsign,
                dim,
                mothership_mmsi,
            } => {
                // Vendor ID is written as 7 characters; model and serial
                // are the trailing 24 bits of it (M.1371-4), so they come
                // from the same bits.
                w.u(2, 1)
                    .u(8, (*shiptype).into())
                    .text(7, vendorid.as_str());
                w.text(7, callsign.as_str());
                match mothership_mmsi {
                    Some(mm) => {
                        w.u(30, (*mm).into());
                    }
                    None => dims(&mut w, dim),
                }
                w.u(6, 0);
            }
        },
        (
            Body::Position(_)
            | Body::BaseStation(_)
            | Body::AidToNavigation(_)
            | Body::StaticVoyage(_)
            | Body::AddressedBinary(_)
            | Body::BroadcastBinary(_)
            | Body::SafetyAddressed(_)
            | Body::SafetyBroadcast { .. }
            | Body::ClassB(_)
            | Body::StaticData(_),
            _,
        ) => return Err(mismatch),
        _ => {
            return Err(EncodeError::Unsupported {
                msg_type: m.msg_type,
                what: "message type",
            });
        }
    }
    if w.bit_len() > crate::nmea::armour::MAX_BITS {
        return Err(EncodeError::TooLong { bits: w.bit_len() });
    }
    Ok(w)
}

fn append(w: &mut BitWriter, other: &BitWriter) {
    let p = other.to_payload();
    let n = p.bit_len();
    let mut i = 0;
    while i < n {
        let k = (n - i).min(32);
        w.u(k, p.ubits(i, k));
        i += k;
    }
}

/// Split a payload into VDM (or VDO when `own`) sentences, each within
/// IEC 61162-1's 82 characters (the payload field's room worked out from
/// the header as written, see [`nmea::encapsulate`]). `seq_id` is used
/// for multi-sentence messages (0–9); `channel` is `A`, `B` or none. A
/// message fits in one sentence when it can; a payload that would need
/// more than nine sentences (never one [`encode`] made: 1008 bits take
/// three) gives none.
pub fn to_vdm(
    bits: &BitWriter,
    talker: &str,
    own: bool,
    channel: Option<char>,
    seq_id: u8,
) -> Vec<String> {
    let (armored, fill) = bits.armor();
    let address = format!("{talker}{}", if own { "VDO" } else { "VDM" });
    let chan = channel.map(String::from).unwrap_or_default();
    // One sentence, with no sequential message identifier, if it fits.
    if let Ok(one) = nmea::encapsulate('!', &address, &["", &chan], &armored, fill)
        && one.len() == 1
    {
        return one;
    }
    let seq = (seq_id % 10).to_string();
    nmea::encapsulate('!', &address, &[&seq, &chan], &armored, fill).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ais::messages::{AidToNavigation, BaseStationReport, decode};
    use crate::nmea::armour::Text;

    #[test]
    fn base_station_report_round_trips() {
        let r = BaseStationReport {
            year: 2026,
            month: 6,
            day: 21,
            hour: 21,
            minute: 5,
            second: 59,
            accuracy: true,
            lon: 6_600_000,
            lat: -32_700_000,
            epfd: 7,
            raim: true,
            radio: 0x4_5678,
        };
        for msg_type in [4, 11] {
            let m = AisMessage {
                msg_type,
                repeat: 1,
                mmsi: 2_190_047,
                body: Body::BaseStation(r),
            };
            let bits = encode(&m).expect("encodes");
            assert_eq!(bits.bit_len(), 168);
            assert_eq!(decode(&bits.to_payload()), Ok(m));
        }
    }

    #[test]
    fn aid_to_navigation_round_trips_with_and_without_name_extension() {
        for (name, bits) in [
            ("PUTTGARDEN LOCK", 272),
            ("FEHMARNBELT E", 272),
            ("THE LONG NAME OF A LOCK STATION", 272 + 6 * 11),
        ] {
            let m = AisMessage {
                msg_type: 21,
                repeat: 0,
                mmsi: 992_111_222,
                body: Body::AidToNavigation(Box::new(AidToNavigation {
                    aid_type: 3,
                    name: Text::from_str_lossy(name),
                    accuracy: true,
                    lon: -6_600_001,
                    lat: 32_700_000,
                    dim: Dimensions {
                        to_bow: 5,
                        to_stern: 6,
                        to_port: 7,
                        to_starboard: 8,
                    },
                    epfd: 7,
                    second: 61,
                    off_position: true,
                    regional: 0xa5,
                    raim: false,
                    virtual_aid: true,
                    assigned: true,
                })),
            };
            let w = encode(&m).expect("encodes");
            assert_eq!(w.bit_len(), bits, "{name}");
            assert_eq!(decode(&w.to_payload()), Ok(m), "{name}");
        }
    }

    #[test]
    fn body_of_another_type_is_refused() {
        let m = AisMessage {
            msg_type: 21,
            repeat: 0,
            mmsi: 1,
            body: Body::SafetyBroadcast {
                text: Text::from_str_lossy("X"),
            },
        };
        assert_eq!(
            encode(&m).err(),
            Some(EncodeError::TypeMismatch { msg_type: 21 })
        );
    }
}
