//! GNSS and heading sentences into one own-ship fix type.
//!
//! GGA, RMC, VTG, GLL, GNS, ZDA and HDT are parsed by the `nmea` crate; THS
//! (true heading and status, IEC 61162-1), which that crate lacks, is parsed
//! here. Every update says which sentence and talker it came from and the
//! quality of the fix, so the traffic picture can choose by precedence and
//! show the source. Positions the receiver flags invalid are kept with
//! `valid: false`, never silently used.

use super::Sentence;
use chrono::{Datelike, Timelike};

/// What kind of sentence produced a fix update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GnssSentence {
    Gga,
    Rmc,
    Vtg,
    Gll,
    Gns,
    Zda,
    Hdt,
    Ths,
}

/// Fix quality, the common ground of GGA quality, RMC/GLL mode and GNS mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixQuality {
    Invalid,
    Autonomous,
    Differential,
    Rtk,
    /// Dead reckoning.
    Estimated,
    Manual,
    Simulator,
    Unknown,
}

/// One sentence's contribution to own ship's state. Fields the sentence does
/// not carry are `None`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OwnFix {
    pub sentence: GnssSentence,
    /// Talker of the sentence (`GP`, `GN`, `HE`, `IN` …).
    pub talker: [u8; 2],
    /// UTC seconds since midnight.
    pub time_of_day: Option<f64>,
    /// UTC date (year, month, day).
    pub date: Option<(i32, u32, u32)>,
    /// Latitude, longitude in degrees.
    pub position: Option<(f64, f64)>,
    pub quality: FixQuality,
    /// True when the receiver says the data are valid.
    pub valid: bool,
    pub sog_kn: Option<f64>,
    pub cog_deg: Option<f64>,
    pub heading_deg: Option<f64>,
    pub satellites: Option<u32>,
    pub hdop: Option<f32>,
}

impl OwnFix {
    fn new(sentence: GnssSentence, talker: &str) -> Self {
        let t = talker.as_bytes();
        OwnFix {
            sentence,
            talker: [
                t.first().copied().unwrap_or(b'?'),
                t.get(1).copied().unwrap_or(b'?'),
            ],
            time_of_day: None,
            date: None,
            position: None,
            quality: FixQuality::Unknown,
            valid: false,
            sog_kn: None,
            cog_deg: None,
            heading_deg: None,
            satellites: None,
            hdop: None,
        }
    }

    /// The talker as text.
    pub fn talker(&self) -> &str {
        std::str::from_utf8(&self.talker).unwrap_or("??")
    }
}

/// Why a GNSS sentence was not usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GnssError {
    pub formatter: String,
    pub reason: String,
}

impl std::fmt::Display for GnssError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.formatter, self.reason)
    }
}

impl std::error::Error for GnssError {}

fn tod(t: Option<chrono::NaiveTime>) -> Option<f64> {
    t.map(|t| f64::from(t.num_seconds_from_midnight()) + f64::from(t.nanosecond()) / 1e9)
}

fn position(lat: Option<f64>, lon: Option<f64>) -> Option<(f64, f64)> {
    match (lat, lon) {
        (Some(la), Some(lo)) if (-90.0..=90.0).contains(&la) && (-180.0..=180.0).contains(&lo) => {
            Some((la, lo))
        }
        _ => None,
    }
}

fn faa(mode: Option<nmea::sentences::FaaMode>) -> FixQuality {
    use nmea::sentences::FaaMode as M;
    match mode {
        Some(M::Autonomous) => FixQuality::Autonomous,
        Some(M::Differential) => FixQuality::Differential,
        Some(M::FixedRtk) | Some(M::FloatRtk) | Some(M::Precise) => FixQuality::Rtk,
        Some(M::Estimated) => FixQuality::Estimated,
        Some(M::Manual) => FixQuality::Manual,
        Some(M::Simulator) => FixQuality::Simulator,
        Some(M::DataNotValid) => FixQuality::Invalid,
        _ => FixQuality::Unknown,
    }
}

fn fix_type(t: Option<nmea::sentences::FixType>) -> FixQuality {
    use nmea::sentences::FixType as F;
    match t {
        Some(F::Invalid) => FixQuality::Invalid,
        Some(F::Gps) => FixQuality::Autonomous,
        Some(F::DGps) | Some(F::Pps) => FixQuality::Differential,
        Some(F::Rtk) | Some(F::FloatRtk) => FixQuality::Rtk,
        Some(F::Estimated) => FixQuality::Estimated,
        Some(F::Manual) => FixQuality::Manual,
        Some(F::Simulation) => FixQuality::Simulator,
        None => FixQuality::Unknown,
    }
}

/// True for the formatters this module handles.
pub fn is_gnss(formatter: &str) -> bool {
    matches!(
        formatter,
        "GGA" | "RMC" | "VTG" | "GLL" | "GNS" | "ZDA" | "HDT" | "THS"
    )
}

/// Parse a framed GNSS or heading sentence.
pub fn parse(s: &Sentence<'_>) -> Result<OwnFix, GnssError> {
    let err = |reason: String| GnssError {
        formatter: s.formatter.to_string(),
        reason,
    };
    if s.formatter == "THS" {
        return parse_ths(s).ok_or_else(|| err("heading or mode not readable".into()));
    }
    let parsed = nmea::parse_str(s.text).map_err(|e| err(format!("{e:?}")))?;
    use nmea::ParseResult as P;
    let fix = match parsed {
        P::GGA(g) => {
            let quality = fix_type(g.fix_type);
            // A satellite fix computed from no satellites is not a fix: some
            // receivers (Hemisphere, in gpsd's hemi.log) report quality 1
            // with "00" in use while they have nothing yet, and the position
            // jumps when satellites arrive. Dead reckoning, manual and
            // simulated fixes use no satellites and are left alone.
            let satellite_fix = matches!(
                quality,
                FixQuality::Autonomous | FixQuality::Differential | FixQuality::Rtk
            );
            let no_satellites = satellite_fix && g.fix_satellites == Some(0);
            OwnFix {
                time_of_day: tod(g.fix_time),
                position: position(g.latitude, g.longitude),
                valid: !matches!(quality, FixQuality::Invalid | FixQuality::Unknown)
                    && !no_satellites,
                quality,
                satellites: g.fix_satellites,
                hdop: g.hdop,
                ..OwnFix::new(GnssSentence::Gga, s.talker)
            }
        }
        P::RMC(r) => {
            let valid = matches!(
                r.status_of_fix,
                nmea::sentences::rmc::RmcStatusOfFix::Autonomous
                    | nmea::sentences::rmc::RmcStatusOfFix::Differential
            );
            OwnFix {
                time_of_day: tod(r.fix_time),
                date: r.fix_date.map(|d| (d.year(), d.month(), d.day())),
                position: position(r.lat, r.lon),
                quality: if valid {
                    match r.faa_mode {
                        Some(_) => faa(r.faa_mode),
                        None => FixQuality::Autonomous,
                    }
                } else {
                    FixQuality::Invalid
                },
                valid,
                sog_kn: r.speed_over_ground.map(f64::from),
                cog_deg: r.true_course.map(f64::from),
                ..OwnFix::new(GnssSentence::Rmc, s.talker)
            }
        }
        P::VTG(v) => OwnFix {
            sog_kn: v.speed_over_ground.map(f64::from),
            cog_deg: v.true_course.map(f64::from),
            valid: v.speed_over_ground.is_some() || v.true_course.is_some(),
            ..OwnFix::new(GnssSentence::Vtg, s.talker)
        },
        P::GLL(g) => OwnFix {
            time_of_day: tod(g.fix_time),
            position: position(g.latitude, g.longitude),
            valid: g.valid,
            quality: if g.valid {
                faa(g.faa_mode)
            } else {
                FixQuality::Invalid
            },
            ..OwnFix::new(GnssSentence::Gll, s.talker)
        },
        P::GNS(g) => {
            let q = fix_type(Some(g.faa_modes.into()));
            OwnFix {
                time_of_day: tod(g.fix_time),
                position: position(g.lat, g.lon),
                valid: !matches!(q, FixQuality::Invalid | FixQuality::Unknown),
                quality: q,
                satellites: Some(u32::from(g.nsattelites)),
                hdop: g.hdop,
                ..OwnFix::new(GnssSentence::Gns, s.talker)
            }
        }
        P::ZDA(z) => OwnFix {
            time_of_day: tod(z.utc_time),
            date: z.utc_date().map(|d| (d.year(), d.month(), d.day())),
            valid: z.utc_time.is_some(),
            ..OwnFix::new(GnssSentence::Zda, s.talker)
        },
        P::HDT(h) => OwnFix {
            heading_deg: h.heading.map(f64::from),
            valid: h.heading.is_some(),
            ..OwnFix::new(GnssSentence::Hdt, s.talker)
        },
        other => return Err(err(format!("not a GNSS sentence: {other:?}"))),
    };
    Ok(fix)
}

/// `$--THS,x.x,a*hh`: true heading and mode (A autonomous, E estimated,
/// M manual, S simulator, V not valid).
fn parse_ths(s: &Sentence<'_>) -> Option<OwnFix> {
    let mut f = s.fields();
    let heading = f.next()?;
    let mode = f.next()?;
    let quality = match mode {
        "A" => FixQuality::Autonomous,
        "E" => FixQuality::Estimated,
        "M" => FixQuality::Manual,
        "S" => FixQuality::Simulator,
        "V" => FixQuality::Invalid,
        _ => return None,
    };
    let h: Option<f64> = if heading.is_empty() {
        None
    } else {
        Some(heading.parse().ok()?)
    };
    let h = h.filter(|h| (0.0..360.0).contains(h));
    Some(OwnFix {
        heading_deg: h,
        quality,
        valid: h.is_some() && quality != FixQuality::Invalid,
        ..OwnFix::new(GnssSentence::Ths, s.talker)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nmea::{build, frame};

    #[test]
    fn ths_valid_and_invalid() {
        let line = build('$', "GNTHS", &["123.4", "A"]);
        let f = parse(&frame(line.as_bytes()).unwrap()).unwrap();
        assert_eq!(f.heading_deg, Some(123.4));
        assert!(f.valid);
        let line = build('$', "GNTHS", &["", "V"]);
        let f = parse(&frame(line.as_bytes()).unwrap()).unwrap();
        assert_eq!(f.heading_deg, None);
        assert!(!f.valid);
    }

    #[test]
    fn gga_satellite_fix_from_no_satellites_is_not_valid() {
        let gga = |quality: &str, sats: &str| {
            let line = crate::sim::gga(0, (42.3637, -71.0324), quality, sats);
            parse(&frame(line.as_bytes()).unwrap()).unwrap()
        };
        assert!(!gga("1", "00").valid);
        assert!(!gga("2", "0").valid);
        assert!(gga("1", "04").valid);
        assert!(gga("1", "").valid, "an empty count is unknown, not zero");
        assert!(gga("6", "00").valid, "dead reckoning uses no satellites");
        assert_eq!(gga("1", "00").position.map(|p| p.0 > 42.0), Some(true));
    }

    #[test]
    fn rmc_position_speed_course() {
        let line = "$GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E*68";
        let f = parse(&frame(line.as_bytes()).unwrap()).unwrap();
        let (lat, lon) = f.position.unwrap();
        assert!((lat - 49.274166).abs() < 1e-5 && (lon + 123.185333).abs() < 1e-5);
        assert_eq!(f.sog_kn, Some(0.5));
        assert!((f.cog_deg.unwrap() - 54.7).abs() < 1e-4);
        assert_eq!(f.date, Some((1994, 11, 19)));
        assert!(f.valid);
    }
}
