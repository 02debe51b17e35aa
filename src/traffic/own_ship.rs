//! Own ship: position, COG/SOG and heading from GNSS sentences and from the
//! transponder's own VDO reports, with a clear precedence and the source of
//! every value kept for display.
//!
//! Precedence: a valid GNSS position (GGA/RMC/GLL/GNS) is used while it is
//! fresher than the own-position timeout; the VDO position only fills in when
//! there is none. COG/SOG from RMC/VTG before VDO; heading from HDT/THS
//! before VDO. A position older than the timeout is lost: CPA is then not
//! computed from it.

use super::geo;
use super::target::Stamped;
use crate::ais::messages::{AisMessage, Body};
use crate::nmea::gnss::{GnssSentence, OwnFix};

/// Where an own-ship value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnSource {
    /// A GNSS or heading sentence: talker and sentence type.
    Sentence {
        talker: [u8; 2],
        sentence: GnssSentence,
    },
    /// The transponder's own position report (VDO).
    Vdo,
}

impl OwnSource {
    /// "GPRMC", "HEHDT", "VDO".
    pub fn label(&self) -> String {
        match self {
            OwnSource::Sentence { talker, sentence } => {
                format!("{}{:?}", String::from_utf8_lossy(talker), sentence).to_uppercase()
            }
            OwnSource::Vdo => "VDO".to_string(),
        }
    }
}

/// A value with its source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sourced<T> {
    pub value: Stamped<T>,
    pub source: OwnSource,
}

fn sourced<T>(value: T, at_ms: i64, source: OwnSource) -> Sourced<T> {
    Sourced {
        value: Stamped { value, at_ms },
        source,
    }
}

/// Own ship's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OwnShip {
    pub mmsi: Option<u32>,
    pub position: Option<Sourced<(f64, f64)>>,
    pub sog_kn: Option<Sourced<f64>>,
    pub cog_deg: Option<Sourced<f64>>,
    pub heading_deg: Option<Sourced<f64>>,
}

impl OwnShip {
    fn fresh<T>(v: &Option<Sourced<T>>, now_ms: i64, timeout_ms: i64) -> bool {
        v.as_ref()
            .is_some_and(|s| now_ms - s.value.at_ms <= timeout_ms)
    }

    fn is_gnss<T>(v: &Option<Sourced<T>>) -> bool {
        v.as_ref()
            .is_some_and(|s| matches!(s.source, OwnSource::Sentence { .. }))
    }

    /// Merge a GNSS/heading sentence received at `now_ms`.
    pub fn apply_fix(&mut self, f: &OwnFix, now_ms: i64) {
        if !f.valid {
            return;
        }
        let source = OwnSource::Sentence {
            talker: f.talker,
            sentence: f.sentence,
        };
        let s = |v| sourced(v, now_ms, source);
        if let Some(p) = f.position {
            self.position = Some(sourced(p, now_ms, source));
        }
        if let Some(v) = f.sog_kn {
            self.sog_kn = Some(s(v));
        }
        if let Some(v) = f.cog_deg {
            self.cog_deg = Some(s(v));
        }
        if let Some(v) = f.heading_deg {
            self.heading_deg = Some(s(v));
        }
    }

    /// Merge an own-ship report (VDO) received at `now_ms`; GNSS values
    /// fresher than `timeout_ms` take precedence.
    pub fn apply_vdo(&mut self, m: &AisMessage, now_ms: i64, timeout_ms: i64) {
        if self.mmsi.is_none() {
            self.mmsi = Some(m.mmsi);
        }
        let (pos, sog, cog, hdg) = match &m.body {
            Body::Position(r) => (
                r.position(),
                r.sog_kn(),
                r.cog_deg(),
                r.heading_deg().map(f64::from),
            ),
            Body::ClassB(r) => (
                r.position(),
                (r.speed < 1023).then(|| f64::from(r.speed) / 10.0),
                (r.course < 3600).then(|| f64::from(r.course) / 10.0),
                (r.heading < 360).then(|| f64::from(r.heading)),
            ),
            _ => return,
        };
        let s = |v| sourced(v, now_ms, OwnSource::Vdo);
        let keep = |slot: &Option<Sourced<f64>>| {
            Self::is_gnss(slot) && Self::fresh(slot, now_ms, timeout_ms)
        };
        if let Some(p) = pos
            && !(Self::is_gnss(&self.position) && Self::fresh(&self.position, now_ms, timeout_ms))
        {
            self.position = Some(sourced(p, now_ms, OwnSource::Vdo));
        }
        if let Some(v) = sog
            && !keep(&self.sog_kn)
        {
            self.sog_kn = Some(s(v));
        }
        if let Some(v) = cog
            && !keep(&self.cog_deg)
        {
            self.cog_deg = Some(s(v));
        }
        if let Some(v) = hdg
            && !keep(&self.heading_deg)
        {
            self.heading_deg = Some(s(v));
        }
    }

    /// True when there is no position fresher than `timeout_ms`.
    pub fn position_lost(&self, now_ms: i64, timeout_ms: i64) -> bool {
        !Self::fresh(&self.position, now_ms, timeout_ms)
    }

    /// Own position dead-reckoned to `now_ms`.
    pub fn position_at(&self, now_ms: i64) -> Option<(f64, f64)> {
        let p = self.position?;
        let dt = (now_ms - p.value.at_ms) as f64 / 1000.0;
        match (self.sog_kn, self.cog_deg) {
            (Some(s), Some(c)) => Some(geo::extrapolate(
                p.value.value,
                c.value.value,
                s.value.value,
                dt,
            )),
            _ => Some(p.value.value),
        }
    }

    /// [`position_at`](Self::position_at) by constant-course sailing on the
    /// ellipsoid, for the engine's evaluation of every report (within
    /// metres of the geodesic over the seconds between fixes).
    pub fn position_at_fast(&self, now_ms: i64) -> Option<(f64, f64)> {
        let p = self.position?;
        let hours = (now_ms - p.value.at_ms) as f64 / 3_600_000.0;
        match (self.sog_kn, self.cog_deg) {
            (Some(s), Some(c)) => Some(geo::sail_short(
                p.value.value,
                geo::velocity(c.value.value, s.value.value),
                hours,
            )),
            _ => Some(p.value.value),
        }
    }

    /// Own velocity (knots, east/north); `None` when SOG is unknown, or COG
    /// is unknown while moving — CPA is then not available, never computed
    /// as if own ship stood still.
    pub fn velocity(&self) -> Option<geo::Enu> {
        match (self.sog_kn, self.cog_deg) {
            (Some(s), _) if s.value.value == 0.0 => Some(geo::Enu {
                east: 0.0,
                north: 0.0,
            }),
            (Some(s), Some(c)) => Some(geo::velocity(c.value.value, s.value.value)),
            _ => None,
        }
    }
}
