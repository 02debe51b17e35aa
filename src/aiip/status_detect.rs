//! "Detect status change" of smart AI-IP (§3.3.3.14): from own position and
//! speed over ground alone, decide that the vessel has come to rest (it lies
//! moored) or is under way again.
//!
//! The standard gives the idea, not the numbers: "if there have been no
//! changes in the position and speed, one can conclude that the vessel is not
//! moving at all and the status can be changed to moored … the status is
//! moored, but the vessel is moving for a specific period of time can result
//! in a status change to sailing" (§3.3.2.1). Ours, chosen for a vessel on
//! its lines in a lock or harbour with an ordinary GNSS receiver:
//!
//! - **at rest** after [`REST_FOR_MS`] (10 min) in which every fix had SOG
//!   below [`REST_SOG_KN`] (0.5 kn, or no SOG at all) and lay within
//!   [`REST_RADIUS_M`] (30 m: GNSS scatter and a hull working on its lines)
//!   of the first fix of that time;
//! - **moving** after [`MOVING_FOR_MS`] (1 min) in which every fix had SOG
//!   of at least [`MOVING_SOG_KN`] (1 kn) or lay more than
//!   [`MOVING_RADIUS_M`] (100 m) from where the vessel lay.
//!
//! The gap between the two speeds keeps a vessel drifting at 0.5–1 kn from
//! flapping; the minute keeps one GNSS jump from ending a rest. A gap of more
//! than [`GAP_MS`] between fixes starts the count again: without fixes
//! nothing can be said to have stayed the same. Pure and clock-free like the
//! rest of [`crate::aiip`].

use crate::traffic::geo::{METRES_PER_NM, bearing_range_fast};

/// Below this SOG (knots) a fix counts towards rest.
pub const REST_SOG_KN: f64 = 0.5;
/// Every fix of a rest lies within this distance (metres) of its first.
pub const REST_RADIUS_M: f64 = 30.0;
/// How long the vessel must lie still to be at rest.
pub const REST_FOR_MS: i64 = 10 * 60 * 1000;
/// From this SOG (knots) a fix counts towards moving.
pub const MOVING_SOG_KN: f64 = 1.0;
/// A fix this far (metres) from where the vessel lay counts towards moving.
pub const MOVING_RADIUS_M: f64 = 100.0;
/// How long the vessel must keep moving to be under way again.
pub const MOVING_FOR_MS: i64 = 60 * 1000;
/// Fixes further apart than this start the count again.
pub const GAP_MS: i64 = 60 * 1000;

/// What the detector has concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    /// Under way (or not known to be at rest).
    Moving,
    /// At rest: lying still long enough to be moored.
    AtRest,
}

/// A conclusion that changed, with the evidence in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub to: Motion,
    pub reason: String,
}

/// The detector: fed every own fix, it says when the vessel came to rest
/// or started moving.
#[derive(Debug, Clone)]
pub struct StatusDetector {
    motion: Motion,
    /// Start of the evidence for the other conclusion.
    since_ms: Option<i64>,
    /// Moving: the first fix of the rest being counted. At rest: where the
    /// vessel lies.
    centre: Option<(f64, f64)>,
    /// Largest distance (m) from `centre` and largest SOG (kn) in the
    /// evidence, for the reason.
    max_m: f64,
    max_sog: f64,
    last_ms: Option<i64>,
}

impl StatusDetector {
    /// A detector that starts from `motion` (at rest when own status is
    /// moored). The count starts with the next fix.
    pub fn new(motion: Motion) -> Self {
        Self {
            motion,
            since_ms: None,
            centre: None,
            max_m: 0.0,
            max_sog: 0.0,
            last_ms: None,
        }
    }

    /// The conclusion now.
    pub fn motion(&self) -> Motion {
        self.motion
    }

    /// One fix: position in degrees, SOG in knots if known, its time. A
    /// fix older than the last one, not a position, or with a SOG that is
    /// no speed is ignored: it is evidence of nothing.
    pub fn observe(
        &mut self,
        lat: f64,
        lon: f64,
        sog_kn: Option<f64>,
        at_ms: i64,
    ) -> Option<Change> {
        let position =
            lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0;
        if !position || sog_kn.is_some_and(|s| !(s.is_finite() && s >= 0.0)) {
            return None;
        }
        if self.last_ms.is_some_and(|t| at_ms < t) {
            return None;
        }
        if self.last_ms.is_some_and(|t| at_ms - t > GAP_MS) {
            self.restart();
        }
        self.last_ms = Some(at_ms);
        let sog = sog_kn;
        let here = (lat, lon);
        match self.motion {
            Motion::Moving => self.towards_rest(here, sog, at_ms),
            Motion::AtRest => self.towards_moving(here, sog, at_ms),
        }
    }

    fn restart(&mut self) {
        self.since_ms = None;
        self.max_m = 0.0;
        self.max_sog = 0.0;
        if self.motion == Motion::Moving {
            self.centre = None;
        }
    }

    fn towards_rest(&mut self, here: (f64, f64), sog: Option<f64>, at_ms: i64) -> Option<Change> {
        if sog.is_some_and(|s| s >= REST_SOG_KN) {
            self.restart();
            return None;
        }
        let d = self.centre.map(|c| metres(c, here));
        match (self.since_ms, d) {
            (Some(since), Some(d)) if d <= REST_RADIUS_M => {
                self.max_m = self.max_m.max(d);
                self.max_sog = self.max_sog.max(sog.unwrap_or(0.0));
                if at_ms - since >= REST_FOR_MS {
                    let reason = format!(
                        "no movement for {} min: SOG at most {:.1} kn, within {:.0} m",
                        (at_ms - since) / 60_000,
                        self.max_sog,
                        self.max_m
                    );
                    self.motion = Motion::AtRest;
                    self.since_ms = None;
                    self.max_m = 0.0;
                    self.max_sog = 0.0;
                    return Some(Change {
                        to: Motion::AtRest,
                        reason,
                    });
                }
            }
            _ => {
                // The first fix, or one that left the circle: count anew
                // from here.
                self.since_ms = Some(at_ms);
                self.centre = Some(here);
                self.max_m = 0.0;
                self.max_sog = sog.unwrap_or(0.0);
            }
        }
        None
    }

    fn towards_moving(&mut self, here: (f64, f64), sog: Option<f64>, at_ms: i64) -> Option<Change> {
        let Some(centre) = self.centre else {
            // At rest from the start: where it lies is the first fix.
            self.centre = Some(here);
            return None;
        };
        let d = metres(centre, here);
        let fast = sog.is_some_and(|s| s >= MOVING_SOG_KN);
        if !(fast || d > MOVING_RADIUS_M) {
            self.since_ms = None;
            self.max_m = 0.0;
            self.max_sog = 0.0;
            return None;
        }
        let since = *self.since_ms.get_or_insert(at_ms);
        self.max_m = self.max_m.max(d);
        self.max_sog = self.max_sog.max(sog.unwrap_or(0.0));
        if at_ms - since < MOVING_FOR_MS {
            return None;
        }
        let reason = format!(
            "moving for {} s: SOG up to {:.1} kn, {:.0} m from where it lay",
            (at_ms - since) / 1000,
            self.max_sog,
            self.max_m
        );
        self.motion = Motion::Moving;
        self.since_ms = None;
        self.centre = None;
        self.max_m = 0.0;
        self.max_sog = 0.0;
        Some(Change {
            to: Motion::Moving,
            reason,
        })
    }
}

fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    bearing_range_fast(a, b).1 * METRES_PER_NM
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_750_000_000_000;
    /// Metres to degrees of latitude (near enough for these tests).
    const DEG_PER_M: f64 = 1.0 / 111_200.0;

    fn still(d: &mut StatusDetector, from: i64, to: i64, step: i64) -> Vec<(i64, Change)> {
        let mut out = Vec::new();
        let mut t = from;
        while t <= to {
            // GNSS scatter of ±8 m around the berth, SOG 0.1–0.3 kn.
            let k = ((t / step) % 5) as f64 - 2.0;
            let lat = 52.0 + k * 4.0 * DEG_PER_M;
            if let Some(c) = d.observe(lat, 5.0, Some(0.1 + 0.05 * (k + 2.0)), t) {
                out.push((t, c));
            }
            t += step;
        }
        out
    }

    #[test]
    fn ten_minutes_still_is_at_rest_not_a_second_earlier() {
        let mut d = StatusDetector::new(Motion::Moving);
        let c = still(&mut d, T0, T0 + REST_FOR_MS - 1000, 1000);
        assert!(c.is_empty(), "{c:?}");
        assert_eq!(d.motion(), Motion::Moving);
        let c = still(&mut d, T0 + REST_FOR_MS, T0 + REST_FOR_MS, 1000);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].1.to, Motion::AtRest);
        assert!(c[0].1.reason.starts_with("no movement for 10 min"), "{c:?}");
        assert_eq!(d.motion(), Motion::AtRest);
    }

    #[test]
    fn speed_or_a_step_out_of_the_circle_starts_the_count_again() {
        let mut d = StatusDetector::new(Motion::Moving);
        assert!(still(&mut d, T0, T0 + 9 * 60_000, 1000).is_empty());
        // 0.5 kn once: the ten minutes start again.
        assert!(
            d.observe(52.0, 5.0, Some(0.5), T0 + 9 * 60_000 + 1000)
                .is_none()
        );
        let t1 = T0 + 9 * 60_000 + 2000;
        assert!(still(&mut d, t1, t1 + REST_FOR_MS - 1000, 1000).is_empty());
        assert_eq!(
            still(&mut d, t1 + REST_FOR_MS, t1 + REST_FOR_MS, 1000).len(),
            1
        );

        // 40 m from the first fix of the count (no SOG given): anew.
        let mut d = StatusDetector::new(Motion::Moving);
        for s in 0..=10 {
            assert!(d.observe(52.0, 5.0, None, T0 + s * 30_000).is_none());
        }
        let off = 52.0 + 40.0 * DEG_PER_M;
        let t1 = T0 + 300_500;
        for s in 0..20 {
            assert!(d.observe(off, 5.0, None, t1 + s * 30_000).is_none());
        }
        assert!(d.observe(off, 5.0, None, t1 + REST_FOR_MS - 1).is_none());
        let c = d.observe(off, 5.0, None, t1 + REST_FOR_MS);
        assert_eq!(c.map(|c| c.to), Some(Motion::AtRest));
    }

    #[test]
    fn a_gap_in_the_fixes_starts_the_count_again() {
        let mut d = StatusDetector::new(Motion::Moving);
        assert!(still(&mut d, T0, T0 + 5 * 60_000, 1000).is_empty());
        // Silent for 61 s, then still again: ten more minutes needed.
        let t1 = T0 + 5 * 60_000 + GAP_MS + 1000;
        assert!(still(&mut d, t1, t1 + REST_FOR_MS - 1000, 1000).is_empty());
        assert_eq!(
            still(&mut d, t1 + REST_FOR_MS, t1 + REST_FOR_MS, 1000).len(),
            1
        );
    }

    #[test]
    fn moving_takes_a_minute_of_speed_or_distance() {
        let mut d = StatusDetector::new(Motion::AtRest);
        assert!(d.observe(52.0, 5.0, Some(0.0), T0).is_none());
        // One GNSS jump of 150 m and back: no change.
        let jump = 52.0 + 150.0 * DEG_PER_M;
        assert!(d.observe(jump, 5.0, Some(0.2), T0 + 1000).is_none());
        assert!(d.observe(52.0, 5.0, Some(0.2), T0 + 2000).is_none());
        // 0.9 kn (between the two thresholds) for five minutes: no change.
        for s in 0..300 {
            assert!(
                d.observe(52.0, 5.0, Some(0.9), T0 + 3000 + s * 1000)
                    .is_none()
            );
        }
        // 2 kn from t1: moving exactly a minute later.
        let t1 = T0 + 400_000;
        for s in 0..60 {
            let lat = 52.0 + (s as f64) * 1.0 * DEG_PER_M;
            assert!(
                d.observe(lat, 5.0, Some(2.0), t1 + s * 1000).is_none(),
                "{s}"
            );
        }
        let c = d.observe(52.0 + 61.0 * DEG_PER_M, 5.0, Some(2.0), t1 + MOVING_FOR_MS);
        let c = c.expect("moving after a minute");
        assert_eq!(c.to, Motion::Moving);
        assert!(
            c.reason.starts_with("moving for 60 s: SOG up to 2.0 kn"),
            "{}",
            c.reason
        );
        assert_eq!(d.motion(), Motion::Moving);
    }

    #[test]
    fn drifting_away_without_sog_is_moving() {
        // GGA only (no SOG): 120 m from the berth for a minute.
        let mut d = StatusDetector::new(Motion::AtRest);
        assert!(d.observe(52.0, 5.0, None, T0).is_none());
        let away = 52.0 + 120.0 * DEG_PER_M;
        assert!(d.observe(away, 5.0, None, T0 + 1000).is_none());
        assert!(
            d.observe(away, 5.0, None, T0 + 1000 + MOVING_FOR_MS - 1)
                .is_none()
        );
        let c = d.observe(away, 5.0, None, T0 + 1000 + MOVING_FOR_MS);
        assert_eq!(c.map(|c| c.to), Some(Motion::Moving));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Any fixes: conclusions alternate, and "at rest" only ever comes
        /// after ten minutes of fixes, none more than a minute apart, all
        /// slower than 0.5 kn and within 60 m of each other.
        #[test]
        fn at_rest_only_after_ten_quiet_minutes(
            fixes in proptest::collection::vec(
                (
                    proptest::prop_oneof![12 => 500i64..60_000, 1 => 0i64..200_000],
                    proptest::prop_oneof![9 => -12.0f64..12.0, 1 => -300.0f64..300.0],
                    proptest::prop_oneof![
                        4 => proptest::option::of(0.0f64..0.45),
                        1 => proptest::option::of(0.0f64..3.0)
                    ],
                ),
                0..1500,
            ),
        ) {
            let mut d = StatusDetector::new(Motion::Moving);
            let mut t = T0;
            let mut seen: Vec<(i64, (f64, f64), Option<f64>)> = Vec::new();
            let mut last = Motion::Moving;
            for (dt, north_m, sog) in fixes {
                t += dt;
                let p = (52.0 + north_m * DEG_PER_M, 5.0);
                seen.push((t, p, sog));
                if let Some(c) = d.observe(p.0, p.1, sog, t) {
                    proptest::prop_assert_ne!(c.to, last);
                    last = c.to;
                    if c.to == Motion::AtRest {
                        let quiet: Vec<_> =
                            seen.iter().filter(|(u, _, _)| t - u <= REST_FOR_MS).collect();
                        proptest::prop_assert!(quiet.first().is_some_and(|(u, _, _)| t - u >= REST_FOR_MS - GAP_MS));
                        for w in quiet.windows(2) {
                            proptest::prop_assert!(w[1].0 - w[0].0 <= GAP_MS);
                        }
                        for (_, q, s) in &quiet {
                            proptest::prop_assert!(s.is_none_or(|s| s < REST_SOG_KN));
                            proptest::prop_assert!(metres(*q, p) <= 2.0 * REST_RADIUS_M + 0.01);
                        }
                    }
                }
                proptest::prop_assert_eq!(d.motion(), last);
            }
        }
    }

    #[test]
    fn nonsense_fixes_are_ignored() {
        let mut d = StatusDetector::new(Motion::Moving);
        assert!(d.observe(f64::NAN, 5.0, Some(0.0), T0).is_none());
        assert!(d.observe(95.0, 5.0, Some(0.0), T0).is_none());
        assert!(d.observe(52.0, 5.0, Some(f64::INFINITY), T0).is_none());
        assert!(still(&mut d, T0 + 1000, T0 + 1000 + REST_FOR_MS - 1000, 1000).is_empty());
        // A fix from the past does not end the count.
        assert!(d.observe(52.0, 5.0, Some(3.0), T0).is_none());
        let t = T0 + 1000 + REST_FOR_MS;
        assert_eq!(still(&mut d, t, t, 1000).len(), 1);
    }
}
