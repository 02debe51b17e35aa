//! Own static and voyage data entered at sea, for a vessel on AI-IP alone.
//!
//! With a transponder, the voyage-data form writes VSD, SSD, `$PIWWIVD` and
//! `$PIWWSSD` sentences and the transponder keeps the values. On AI-IP
//! alone the console is the station that sends message 5, the Inland
//! static data (DAC 200 FI 10) and the navigational status, so it takes the
//! same sentences and applies them the way a transponder does (an empty
//! field leaves the value unchanged, `@` clears a text) to what the AI-IP
//! client sends — "the client can be configured … via the serial NMEA
//! sentences" (Inland AIS §3.3.3). The result is kept in the data
//! directory ([`FILE`]) and used over `[own_static]` at the next start.
//!
//! What AI-IP has no place for is left out and said: persons on board
//! (VSD), air draught, tugs, crew, passengers, personnel and convoy
//! extensions (`$PIWWIVD`), the antenna positions of `$PIWWSSD`.

use crate::aiip::client::OwnStatic;
use crate::ais::application::InlandStatic;
use crate::ais::messages::{Dimensions, StaticVoyageData};
use crate::nmea::armour::Text;
use crate::voyage::messages::{InlandStaticData, InlandVoyageData};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file in the data directory that keeps what was entered.
pub const FILE: &str = "own_data.json";

/// Own data as the AI-IP client sends it: static and voyage data (none
/// until some are configured or entered) and the navigational status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OwnData {
    pub statics: Option<OwnStatic>,
    pub nav_status: Option<u8>,
    /// The dimensions came from an external GNSS antenna's SSD (`GP`);
    /// the internal antenna's (`AI`) then no longer replace them.
    pub external_dims: bool,
}

/// Message 5 with every value "not available".
pub fn blank_voyage() -> StaticVoyageData {
    StaticVoyageData {
        ais_version: 0,
        imo: 0,
        callsign: Text::default(),
        shipname: Text::default(),
        shiptype: 0,
        dim: Dimensions {
            to_bow: 0,
            to_stern: 0,
            to_port: 0,
            to_starboard: 0,
        },
        epfd: 1,
        month: 0,
        day: 0,
        hour: 24,
        minute: 60,
        draught: 0,
        destination: Text::default(),
        dte: false,
    }
}

/// Inland static data (FI 10) with every value unknown.
pub fn blank_inland() -> InlandStatic {
    InlandStatic {
        vin: Text::default(),
        length: 0,
        beam: 0,
        shiptype: 0,
        hazard: 5,
        draught: 0,
        loaded: 0,
        speed_q: false,
        course_q: false,
        heading_q: false,
    }
}

/// What applying one sentence did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Applied {
    /// The navigational status the sentence set (a VSD's), if any.
    pub nav_status: Option<u8>,
    /// Values that AI-IP has no place for, in words (left out).
    pub not_sent: Vec<&'static str>,
}

/// A text field: `None` when empty (unchanged), `Some("")` when all `@`
/// (not available), else the text without trailing `@`.
fn text_field(raw: &str) -> Option<String> {
    if raw.is_empty() {
        None
    } else {
        Some(raw.trim_end_matches('@').to_string())
    }
}

impl OwnData {
    fn voyage(&mut self) -> &mut StaticVoyageData {
        &mut self
            .statics
            .get_or_insert(OwnStatic {
                voyage: blank_voyage(),
                inland: None,
            })
            .voyage
    }

    fn inland(&mut self) -> &mut InlandStatic {
        self.statics
            .get_or_insert(OwnStatic {
                voyage: blank_voyage(),
                inland: None,
            })
            .inland
            .get_or_insert_with(blank_inland)
    }

    /// Applies one VSD, SSD, `$PIWWIVD` or `$PIWWSSD` sentence (checksum
    /// checked). Refused, with nothing changed, when it is none of these or
    /// a field is out of range.
    pub fn apply(&mut self, line: &str) -> Result<Applied, String> {
        let s = crate::nmea::frame(line.trim_end().as_bytes()).map_err(|e| e.to_string())?;
        let mut next = *self;
        let mut applied = Applied::default();
        match (s.talker, s.formatter) {
            ("P", "IWWIVD") => {
                let d = InlandVoyageData::parse(line)?;
                let i = next.inland();
                if let Some(h) = d.blue_cones {
                    check(h <= 5, "blue cones", h)?;
                    i.hazard = h;
                }
                if let Some(l) = d.loaded {
                    check(l <= 2, "loaded", l)?;
                    i.loaded = l;
                }
                if let Some(dr) = d.draught {
                    check(dr <= 2000, "inland draught (1/100 m)", dr)?;
                    i.draught = dr;
                }
                let others = d.air_draught.is_some()
                    || d.tugs.is_some()
                    || d.crew.is_some()
                    || d.passengers.is_some()
                    || d.personnel.is_some()
                    || d.convoy.iter().any(Option::is_some)
                    || d.reporting_rate.is_some();
                if others {
                    applied.not_sent.push(
                        "air draught, tugs, persons on board, convoy extensions and reporting rate",
                    );
                }
            }
            ("P", "IWWSSD") => {
                let d = InlandStaticData::parse(line)?;
                let i = next.inland();
                if let Some(eni) = &d.eni {
                    let eni = crate::voyage::fields::eni(eni).map_err(|e| format!("ENI: {e}"))?;
                    i.vin = Text::from_str_lossy(&eni);
                }
                if let Some(t) = d.eri_type {
                    check(t <= 9999, "ERI type", t)?;
                    i.shiptype = t;
                }
                if let Some(l) = d.length {
                    check(l <= 8000, "length (1/10 m)", l)?;
                    i.length = l;
                }
                if let Some(b) = d.beam {
                    check(b <= 1000, "beam (1/10 m)", b)?;
                    i.beam = b;
                }
                let q = |v: Option<u8>, old: bool| v.map_or(old, |v| v == 1);
                i.speed_q = q(d.quality[0], i.speed_q);
                i.course_q = q(d.quality[1], i.course_q);
                i.heading_q = q(d.quality[2], i.heading_q);
                if d.internal.iter().chain(&d.external).any(Option::is_some) {
                    applied
                        .not_sent
                        .push("antenna positions (message 5 carries the dimensions of the SSD)");
                }
            }
            (_, "VSD") => {
                let raw: Vec<&str> = s.fields().collect();
                let v = crate::nmea::pi::parse_vsd(&s).map_err(|e| e.to_string())?;
                if let Some(n) = v.nav_status {
                    check(n <= 15, "navigational status", n)?;
                    next.nav_status = Some(n);
                    applied.nav_status = Some(n);
                }
                let destination = raw.get(3).and_then(|r| text_field(r));
                let voyage_given = v.ship_type.is_some()
                    || v.draught.is_some()
                    || destination.is_some()
                    || !v.eta_time.is_empty()
                    || v.eta_day.is_some()
                    || v.eta_month.is_some();
                if v.persons.is_some() {
                    applied.not_sent.push("persons on board");
                }
                if !voyage_given {
                    // A status alone (or persons) makes no message 5.
                    *self = next;
                    return Ok(applied);
                }
                let voyage = next.voyage();
                if let Some(t) = v.ship_type {
                    voyage.shiptype = t;
                }
                if let Some(d) = v.draught {
                    let dm = (d * 10.0).round();
                    if !(0.0..=255.0).contains(&dm) {
                        return Err(format!("draught {d} m is outside 0–25.5 m"));
                    }
                    voyage.draught = dm as u8;
                }
                if let Some(d) = destination {
                    voyage.destination = Text::from_str_lossy(&d);
                }
                if !v.eta_time.is_empty() {
                    let t = v.eta_time.as_bytes();
                    let two = |i: usize| -> Option<u8> {
                        std::str::from_utf8(t.get(i..i + 2)?).ok()?.parse().ok()
                    };
                    match (two(0), two(2)) {
                        (Some(h), Some(m)) if h <= 24 && m <= 60 => {
                            voyage.hour = h;
                            voyage.minute = m;
                        }
                        _ => return Err(format!("ETA time {:?} is not hhmmss", v.eta_time)),
                    }
                }
                if let Some(d) = v.eta_day {
                    check(d <= 31, "ETA day", d)?;
                    voyage.day = d;
                }
                if let Some(m) = v.eta_month {
                    check(m <= 12, "ETA month", m)?;
                    voyage.month = m;
                }
            }
            (_, "SSD") => {
                let raw: Vec<&str> = s.fields().collect();
                let v = crate::nmea::pi::parse_ssd(&s).map_err(|e| e.to_string())?;
                let external = v.source == "GP";
                let dims = [
                    v.to_bow,
                    v.to_stern,
                    v.to_port.map(u16::from),
                    v.to_starboard.map(u16::from),
                ];
                let take_dims =
                    dims.iter().all(Option::is_some) && (external || !next.external_dims);
                let voyage = next.voyage();
                if let Some(c) = raw.first().and_then(|r| text_field(r)) {
                    voyage.callsign = Text::from_str_lossy(&c);
                }
                if let Some(n) = raw.get(1).and_then(|r| text_field(r)) {
                    voyage.shipname = Text::from_str_lossy(&n);
                }
                if let (true, Some(a), Some(b), Some(c), Some(d)) =
                    (take_dims, v.to_bow, v.to_stern, v.to_port, v.to_starboard)
                {
                    voyage.dim = Dimensions {
                        to_bow: a.min(511),
                        to_stern: b.min(511),
                        to_port: c.min(63),
                        to_starboard: d.min(63),
                    };
                }
                if let Some(dte) = v.dte {
                    voyage.dte = dte == 1;
                }
                if take_dims && external {
                    next.external_dims = true;
                }
            }
            (t, f) => return Err(format!("{t}{f} is not voyage, station or inland data")),
        }
        *self = next;
        Ok(applied)
    }

    /// Reads what was kept in `path`: `Ok(None)` when there is no file.
    pub fn load(path: &Path) -> Result<Option<OwnData>, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        let saved: Saved = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        Ok(Some(saved.into()))
    }

    /// Keeps it in `path` (written beside, then renamed over).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(&Saved::from(*self))?;
        let tmp = path.with_extension("json.new");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)
    }
}

fn check<T: PartialOrd + std::fmt::Display>(ok: bool, what: &str, v: T) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("{what} {v} is out of range"))
    }
}

/// The file's form: the values in words a person can read and mend.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Saved {
    nav_status: Option<u8>,
    external_dims: bool,
    voyage: Option<SavedVoyage>,
    inland: Option<SavedInland>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SavedVoyage {
    name: String,
    callsign: String,
    ship_type: u8,
    /// A, B, C, D in metres.
    dimensions: [u16; 4],
    /// 1/10 m.
    draught_dm: u8,
    destination: String,
    /// Month, day, hour, minute (0, 0, 24, 60: not available).
    eta: [u8; 4],
    dte_not_available: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SavedInland {
    eni: String,
    eri_type: u16,
    length_dm: u16,
    beam_dm: u16,
    hazard: u8,
    draught_cm: u16,
    loaded: u8,
    /// Quality of speed, course, heading: true = high.
    quality: [bool; 3],
}

impl From<OwnData> for Saved {
    fn from(d: OwnData) -> Self {
        let voyage = d.statics.map(|s| {
            let v = s.voyage;
            SavedVoyage {
                name: v.shipname.as_str().to_string(),
                callsign: v.callsign.as_str().to_string(),
                ship_type: v.shiptype,
                dimensions: [
                    v.dim.to_bow,
                    v.dim.to_stern,
                    v.dim.to_port.into(),
                    v.dim.to_starboard.into(),
                ],
                draught_dm: v.draught,
                destination: v.destination.as_str().to_string(),
                eta: [v.month, v.day, v.hour, v.minute],
                dte_not_available: v.dte,
            }
        });
        let inland = d.statics.and_then(|s| s.inland).map(|i| SavedInland {
            eni: i.vin.as_str().to_string(),
            eri_type: i.shiptype,
            length_dm: i.length,
            beam_dm: i.beam,
            hazard: i.hazard,
            draught_cm: i.draught,
            loaded: i.loaded,
            quality: [i.speed_q, i.course_q, i.heading_q],
        });
        Saved {
            nav_status: d.nav_status,
            external_dims: d.external_dims,
            voyage,
            inland,
        }
    }
}

impl From<Saved> for OwnData {
    fn from(s: Saved) -> Self {
        let statics = s.voyage.map(|v| {
            let [a, b, c, d] = v.dimensions;
            let [month, day, hour, minute] = v.eta;
            OwnStatic {
                voyage: StaticVoyageData {
                    callsign: Text::from_str_lossy(&v.callsign),
                    shipname: Text::from_str_lossy(&v.name),
                    shiptype: v.ship_type,
                    dim: Dimensions {
                        to_bow: a.min(511),
                        to_stern: b.min(511),
                        to_port: c.min(63) as u8,
                        to_starboard: d.min(63) as u8,
                    },
                    month: month.min(12),
                    day: day.min(31),
                    hour: hour.min(24),
                    minute: minute.min(60),
                    draught: v.draught_dm,
                    destination: Text::from_str_lossy(&v.destination),
                    dte: v.dte_not_available,
                    ..blank_voyage()
                },
                inland: s.inland.map(|i| InlandStatic {
                    vin: Text::from_str_lossy(&i.eni),
                    length: i.length_dm.min(8000),
                    beam: i.beam_dm.min(1000),
                    shiptype: i.eri_type.min(9999),
                    hazard: i.hazard.min(5),
                    draught: i.draught_cm.min(2000),
                    loaded: i.loaded.min(2),
                    speed_q: i.quality[0],
                    course_q: i.quality[1],
                    heading_q: i.quality[2],
                }),
            }
        });
        OwnData {
            statics,
            nav_status: s.nav_status.map(|n| n.min(15)),
            external_dims: s.external_dims,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nmea::pi::{Ssd, Vsd, build_ssd, build_vsd};

    fn vsd(v: Vsd) -> String {
        build_vsd("EC", &v)
    }

    fn blank_vsd() -> Vsd {
        Vsd {
            ship_type: None,
            draught: None,
            persons: None,
            destination: String::new(),
            eta_time: String::new(),
            eta_day: None,
            eta_month: None,
            nav_status: None,
            regional: None,
        }
    }

    #[test]
    fn voyage_data_change_only_what_is_given() {
        // A status alone makes no message 5 of blanks.
        let mut d = OwnData::default();
        d.apply(&vsd(Vsd {
            nav_status: Some(5),
            ..blank_vsd()
        }))
        .expect("applies");
        assert_eq!((d.statics, d.nav_status), (None, Some(5)));
        let mut d = OwnData::default();
        d.apply(&vsd(Vsd {
            ship_type: Some(79),
            draught: Some(2.8),
            destination: "BASEL".into(),
            eta_time: "143000".into(),
            eta_day: Some(23),
            eta_month: Some(11),
            nav_status: Some(0),
            ..blank_vsd()
        }))
        .expect("applies");
        let v = d.statics.expect("static data").voyage;
        assert_eq!(
            (v.shiptype, v.draught, v.destination.as_str()),
            (79, 28, "BASEL")
        );
        assert_eq!((v.month, v.day, v.hour, v.minute), (11, 23, 14, 30));
        assert_eq!(d.nav_status, Some(0));
        // Only the status: the rest stays; persons are said to be left out.
        let a = d
            .apply(&vsd(Vsd {
                nav_status: Some(5),
                persons: Some(4),
                ..blank_vsd()
            }))
            .expect("applies");
        assert_eq!(a.not_sent, vec!["persons on board"]);
        assert_eq!(d.nav_status, Some(5));
        assert_eq!(
            d.statics.expect("kept").voyage.destination.as_str(),
            "BASEL"
        );
        // `@` clears the destination.
        d.apply(&vsd(Vsd {
            destination: "@@@@".into(),
            ..blank_vsd()
        }))
        .expect("applies");
        assert_eq!(d.statics.expect("kept").voyage.destination.as_str(), "");
    }

    #[test]
    fn station_data_external_antenna_wins() {
        let mut d = OwnData::default();
        let ssd = |source: &str, dims: [u16; 4], name: &str| {
            build_ssd(
                "EC",
                &Ssd {
                    callsign: String::new(),
                    name: name.into(),
                    to_bow: Some(dims[0]),
                    to_stern: Some(dims[1]),
                    to_port: Some(dims[2] as u8),
                    to_starboard: Some(dims[3] as u8),
                    dte: Some(0),
                    source: source.into(),
                },
            )
        };
        d.apply(&ssd("GP", [80, 30, 5, 6], "RHEINGOLD"))
            .expect("applies");
        d.apply(&ssd("AI", [70, 40, 4, 7], "")).expect("applies");
        let v = d.statics.expect("static").voyage;
        assert_eq!(v.shipname.as_str(), "RHEINGOLD");
        assert_eq!(
            (
                v.dim.to_bow,
                v.dim.to_stern,
                v.dim.to_port,
                v.dim.to_starboard
            ),
            (80, 30, 5, 6)
        );
    }

    #[test]
    fn inland_pages_build_fi_10() {
        let mut d = OwnData::default();
        let ivd = InlandVoyageData {
            blue_cones: Some(2),
            loaded: Some(1),
            draught: Some(285),
            tugs: Some(1),
            ..InlandVoyageData::default()
        };
        let a = d.apply(&ivd.sentence()).expect("applies");
        assert_eq!(a.not_sent.len(), 1);
        let issd = InlandStaticData {
            eni: Some("02345678".into()),
            eri_type: Some(8010),
            length: Some(1105),
            beam: Some(114),
            quality: [Some(1), Some(0), Some(1)],
            ..InlandStaticData::default()
        };
        d.apply(&issd.sentence()).expect("applies");
        let i = d.statics.and_then(|s| s.inland).expect("inland");
        assert_eq!(
            (
                i.vin.as_str(),
                i.shiptype,
                i.length,
                i.beam,
                i.hazard,
                i.draught,
                i.loaded
            ),
            ("02345678", 8010, 1105, 114, 2, 285, 1)
        );
        assert!(i.speed_q && !i.course_q && i.heading_q);
    }

    #[test]
    fn refused_sentences_change_nothing() {
        let mut d = OwnData::default();
        d.apply(&vsd(Vsd {
            destination: "BASEL".into(),
            ..blank_vsd()
        }))
        .expect("applies");
        let before = d;
        for bad in [
            "$ECVSD,,,,HAMBURG,,,,,*00".to_string(),
            crate::nmea::build('$', "ECVSD", &["", "", "", "HAMBURG", "", "", "", "16"]),
            crate::nmea::build('$', "PIWWIVD", &["", "7"]),
            crate::nmea::build('$', "PIWWSSD", &["1234"]),
            crate::nmea::build('$', "GPRMC", &[""]),
        ] {
            assert!(d.apply(&bad).is_err(), "{bad}");
            assert_eq!(d, before, "{bad}");
        }
    }

    #[test]
    fn kept_and_read_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(FILE);
        assert_eq!(OwnData::load(&path), Ok(None));
        let mut d = OwnData::default();
        d.apply(&vsd(Vsd {
            destination: "BASEL".into(),
            nav_status: Some(5),
            eta_time: "143000".into(),
            eta_day: Some(23),
            eta_month: Some(11),
            ..blank_vsd()
        }))
        .expect("applies");
        d.apply(
            &InlandStaticData {
                eni: Some("02345678".into()),
                ..InlandStaticData::default()
            }
            .sentence(),
        )
        .expect("applies");
        d.save(&path).expect("saved");
        assert_eq!(OwnData::load(&path), Ok(Some(d)));
        std::fs::write(&path, "{\"nav_status\": \"moored\"}").expect("written");
        assert!(OwnData::load(&path).is_err());
    }
}
