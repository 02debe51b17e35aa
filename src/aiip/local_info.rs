//! Local information of the AI-IP server (§3.3.4.6, §3.3.4.10, §3.3.4.11):
//! EMMA warnings, water levels, aids-to-navigation messages and update-rate
//! areas, each valid in an area (a latitude/longitude box) and for a time
//! (from, until; without them permanent). Loaded from a TOML file the
//! operator edits:
//!
//! ```toml
//! [[info]]
//! kind = "emma"                      # emma | water_level | aton | update_rate
//! area = { south = 48.15, west = 16.30, north = 48.30, east = 16.55 }
//! from = "2026-11-22T06:00:00Z"      # optional
//! until = "2026-11-23T18:00:00Z"     # optional
//! sentences = ["!AIVDM,1,1,,A,...,0*hh"]   # the AIS message as a base station sends it
//!
//! [[info]]
//! kind = "update_rate"
//! area = { south = 48.20, west = 16.35, north = 48.25, east = 16.45 }
//! interval_s = 10                    # 2, 5, 10, 15, 30, 60, 180, 360 or 600
//! ```
//!
//! An update-rate area is sent as AIS message 23 (group assignment) built
//! from the area and the interval; the other kinds carry their AIS
//! message(s) as given, checked here to decode.
//!
//! Pure: parsing takes the text, matching takes the position and the time.

use super::codec::{Content, Flags};
use super::store::GeoPoint;
use crate::ais::messages::GroupAssignment;
use crate::ais::stream::{AisStream, Outcome};
use crate::ais::{AisMessage, Body, encode};
use serde::Deserialize;

/// The kinds of local information and the response flag each sets
/// (Table 3.14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InfoKind {
    Emma,
    WaterLevel,
    Aton,
    UpdateRate,
}

impl InfoKind {
    /// The response flag that tells a client this kind waits.
    pub fn flag(self) -> Flags {
        match self {
            InfoKind::Emma => Flags::EMMA_WARNING,
            InfoKind::WaterLevel => Flags::WATER_LEVEL,
            InfoKind::Aton => Flags::ATON,
            InfoKind::UpdateRate => Flags::UPDATE_RATE,
        }
    }
}

/// A latitude/longitude box, degrees. `west > east` crosses the
/// antimeridian.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl Area {
    /// Whether `p` lies inside (edges included).
    pub fn contains(&self, p: GeoPoint) -> bool {
        let lat_in = p.lat_deg >= self.south && p.lat_deg <= self.north;
        let lon_in = if self.west <= self.east {
            p.lon_deg >= self.west && p.lon_deg <= self.east
        } else {
            p.lon_deg >= self.west || p.lon_deg <= self.east
        };
        lat_in && lon_in
    }

    fn check(&self) -> Result<(), String> {
        let lat = |v: f64| v.is_finite() && (-90.0..=90.0).contains(&v);
        let lon = |v: f64| v.is_finite() && (-180.0..=180.0).contains(&v);
        if !lat(self.south) || !lat(self.north) || !lon(self.west) || !lon(self.east) {
            return Err(
                "area: latitudes must be within −90…90 and longitudes within −180…180".into(),
            );
        }
        if self.south > self.north {
            return Err(format!(
                "area: south {} is north of north {}",
                self.south, self.north
            ));
        }
        Ok(())
    }
}

/// One item of local information.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalInfo {
    pub kind: InfoKind,
    pub area: Area,
    /// Valid from (ms since 1970); `None`: already.
    pub from_ms: Option<i64>,
    /// Valid until (ms since 1970); `None`: permanent.
    pub until_ms: Option<i64>,
    /// The AIS message(s) as VDM sentences.
    pub sentences: Content,
}

impl LocalInfo {
    /// Whether it applies at `p` at `now_ms`.
    pub fn applies(&self, p: GeoPoint, now_ms: i64) -> bool {
        self.from_ms.is_none_or(|f| now_ms >= f)
            && self.until_ms.is_none_or(|u| now_ms < u)
            && self.area.contains(p)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    info: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    kind: InfoKind,
    area: Area,
    from: Option<String>,
    until: Option<String>,
    #[serde(default)]
    sentences: Vec<String>,
    interval_s: Option<u32>,
}

/// The reporting intervals message 23 can command (ITU-R M.1371-5 table
/// 77, field "report interval"), seconds → code, longest first. The one
/// table for the server's update-rate areas and the client's intervals.
pub const INTERVALS: [(u32, u8); 9] = [
    (600, 1),
    (360, 2),
    (180, 3),
    (60, 4),
    (30, 5),
    (15, 6),
    (10, 7),
    (5, 8),
    (2, 11),
];

/// The message-23 interval code for `seconds`, if message 23 can command it.
pub fn interval_code(seconds: u32) -> Option<u8> {
    INTERVALS
        .iter()
        .find(|(s, _)| *s == seconds)
        .map(|(_, c)| *c)
}

/// The interval in seconds a message-23 code commands (`None`: autonomous,
/// "next shorter/longer" or reserved).
pub fn interval_seconds(code: u8) -> Option<u32> {
    INTERVALS.iter().find(|(_, c)| *c == code).map(|(s, _)| *s)
}

fn time(s: &str, field: &str, n: usize) -> Result<i64, String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.timestamp_millis())
        .map_err(|e| format!("info {n}: {field} {s:?}: {e} (RFC 3339, e.g. 2026-11-22T06:00:00Z)"))
}

/// Message 23 for an update-rate area, as VDM sentences from `mmsi`.
fn update_rate_sentences(area: &Area, code: u8, mmsi: u32) -> Result<Vec<String>, String> {
    let tenth_min = |deg: f64| (deg * 600.0).round() as i32;
    let m = AisMessage {
        msg_type: 23,
        repeat: 0,
        mmsi,
        body: Body::GroupAssignment(GroupAssignment {
            ne_lon: tenth_min(area.east),
            ne_lat: tenth_min(area.north),
            sw_lon: tenth_min(area.west),
            sw_lat: tenth_min(area.south),
            stationtype: 0,
            shiptype: 0,
            txrx: 0,
            interval: code,
            quiet: 0,
        }),
    };
    let bits = encode::encode(&m).map_err(|e| e.to_string())?;
    Ok(encode::to_vdm(&bits, "AI", false, None, 0))
}

/// Read local information from the file's text. `server_mmsi` is the
/// source MMSI of the message 23 the server builds. Every problem is
/// reported with the entry's number (from 1) and what is wrong; nothing is
/// half loaded.
pub fn parse(text: &str, server_mmsi: u32) -> Result<Vec<LocalInfo>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for (i, e) in file.info.into_iter().enumerate() {
        let n = i + 1;
        e.area.check().map_err(|m| format!("info {n}: {m}"))?;
        let from_ms = e.from.as_deref().map(|s| time(s, "from", n)).transpose()?;
        let until_ms = e
            .until
            .as_deref()
            .map(|s| time(s, "until", n))
            .transpose()?;
        if let (Some(f), Some(u)) = (from_ms, until_ms)
            && u <= f
        {
            return Err(format!("info {n}: until is not after from"));
        }
        let sentences = match (e.kind, e.interval_s) {
            (InfoKind::UpdateRate, Some(s)) => {
                if !e.sentences.is_empty() {
                    return Err(format!(
                        "info {n}: an update_rate area has interval_s, not sentences"
                    ));
                }
                let code = interval_code(s).ok_or_else(|| {
                    format!(
                        "info {n}: interval_s {s}: message 23 can command 2, 5, 10, 15, 30, 60, \
                         180, 360 or 600 s"
                    )
                })?;
                update_rate_sentences(&e.area, code, server_mmsi)
                    .map_err(|m| format!("info {n}: {m}"))?
            }
            (InfoKind::UpdateRate, None) => {
                return Err(format!("info {n}: an update_rate area needs interval_s"));
            }
            (_, Some(_)) => {
                return Err(format!(
                    "info {n}: interval_s is for update_rate areas only"
                ));
            }
            (_, None) => {
                if e.sentences.is_empty() {
                    return Err(format!("info {n}: sentences missing"));
                }
                check_sentences(&e.sentences).map_err(|m| format!("info {n}: {m}"))?;
                e.sentences
            }
        };
        let sentences =
            Content::from_sentences(&sentences).map_err(|m| format!("info {n}: sentences: {m}"))?;
        out.push(LocalInfo {
            kind: e.kind,
            area: e.area,
            from_ms,
            until_ms,
            sentences,
        });
    }
    Ok(out)
}

/// Every sentence must belong to a complete AIS message.
fn check_sentences(sentences: &[String]) -> Result<(), String> {
    let mut stream = AisStream::new();
    let mut open = false;
    for (k, s) in sentences.iter().enumerate() {
        match stream.push_line(s.as_bytes(), 0) {
            Ok(Outcome::Ais(_)) => open = false,
            Ok(Outcome::Fragment) => open = true,
            Ok(Outcome::Other(_)) => {
                return Err(format!("sentence {}: not an AIS VDM/VDO sentence", k + 1));
            }
            Err(e) => return Err(format!("sentence {}: {e}", k + 1)),
        }
    }
    if open {
        return Err("the last AIS message is incomplete".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ais::stream::AisStream;

    const EMMA: &str = "!AIVDM,1,1,,A,85Mwp`1Kf3aCnsNvBWLi=wQuNhA5t43N`5nCuI=p<IBfVqnMgPGs,0*47";

    #[test]
    fn an_update_rate_area_becomes_message_23_with_its_box_and_code() {
        let text = "[[info]]\nkind = \"update_rate\"\n\
                    area = { south = 48.2, west = 16.35, north = 48.25, east = 16.45 }\n\
                    interval_s = 10\n";
        let v = parse(text, 2_039_001).expect("valid");
        assert_eq!(v.len(), 1);
        let mut s = AisStream::new();
        let mut found = None;
        for line in v[0].sentences.sentences() {
            if let Ok(Outcome::Ais(r)) = s.push_line(line.as_bytes(), 0) {
                found = Some(r.msg);
            }
        }
        let m = found.expect("decodes");
        assert_eq!(m.mmsi, 2_039_001);
        let Body::GroupAssignment(g) = m.body else {
            panic!("not message 23: {:?}", m.body)
        };
        assert_eq!(g.interval, 7);
        assert_eq!(interval_seconds(g.interval), Some(10));
        assert_eq!((g.sw_lat, g.ne_lat), (28_920, 28_950));
        assert_eq!((g.sw_lon, g.ne_lon), (9_810, 9_870));
    }

    #[test]
    fn validity_and_area_decide_where_and_when_it_applies() {
        let text = format!(
            "[[info]]\nkind = \"emma\"\narea = {{ south = 48.0, west = 16.0, north = 49.0, east = 17.0 }}\n\
             from = \"2026-11-22T06:00:00Z\"\nuntil = \"2026-11-22T18:00:00Z\"\nsentences = [\"{EMMA}\"]\n"
        );
        let v = parse(&text, 1).expect("valid");
        let inside = GeoPoint::new(48.5, 16.5);
        let t = |h: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
                .and_then(|d| d.and_hms_opt(h, 0, 0))
                .map(|d| d.and_utc().timestamp_millis())
                .unwrap_or(0)
        };
        assert!(v[0].applies(inside, t(12)));
        assert!(!v[0].applies(inside, t(5)));
        assert!(!v[0].applies(inside, t(18)), "until is exclusive");
        assert!(!v[0].applies(GeoPoint::new(49.5, 16.5), t(12)));
        assert_eq!(v[0].kind.flag(), Flags::EMMA_WARNING);
    }

    #[test]
    fn an_area_across_the_antimeridian() {
        let a = Area {
            south: -10.0,
            west: 170.0,
            north: 10.0,
            east: -170.0,
        };
        assert!(a.contains(GeoPoint::new(0.0, 179.0)));
        assert!(a.contains(GeoPoint::new(0.0, -175.0)));
        assert!(!a.contains(GeoPoint::new(0.0, 0.0)));
    }

    #[test]
    fn mistakes_are_refused_with_the_entry_and_the_reason() {
        let bad = [
            (
                "kind = \"emma\"\narea = { south = 48.0, west = 16.0, north = 49.0, east = 17.0 }\n",
                "sentences missing",
            ),
            (
                "kind = \"update_rate\"\narea = { south = 48.0, west = 16.0, north = 49.0, east = 17.0 }\ninterval_s = 7\n",
                "interval_s 7",
            ),
            (
                "kind = \"aton\"\narea = { south = 50.0, west = 16.0, north = 49.0, east = 17.0 }\nsentences = [\"x\"]\n",
                "south 50",
            ),
            (
                "kind = \"aton\"\narea = { south = 48.0, west = 16.0, north = 49.0, east = 17.0 }\nsentences = [\"!AIVDM,1,1,,A,15M,0*00\"]\n",
                "sentence 1",
            ),
            (
                "kind = \"emma\"\narea = { south = 48.0, west = 16.0, north = 49.0, east = 17.0 }\nfrom = \"tomorrow\"\nsentences = []\n",
                "from \"tomorrow\"",
            ),
            (
                "kind = \"rain\"\narea = { south = 48.0, west = 16.0, north = 49.0, east = 17.0 }\n",
                "unknown variant",
            ),
        ];
        for (entry, why) in bad {
            let text = format!("[[info]]\n{entry}");
            let e = parse(&text, 1).expect_err(entry);
            assert!(e.contains(why), "{entry}: {e}");
        }
    }
}
