//! Geometry for the traffic picture on the WGS-84 ellipsoid: bearing and
//! range, dead reckoning, a local plane around own ship, and CPA/TCPA.
//!
//! Design (docs/geodesy.md has the model and the measured accuracy):
//! - Displayed bearing and range, and dead reckoning shown on screen, are
//!   the WGS-84 geodesic of the `geo` crate (Karney's algorithm through
//!   `geographiclib-rs`, the crate `geo` uses for it; nanometre-exact).
//! - The once-a-second recompute of every target (activation range, sort
//!   order, lost range, CPA) uses the ellipsoid's radii of curvature at the
//!   mid-latitude ([`bearing_range_fast`], [`sail`]): within 0.01 NM and
//!   0.01° of the geodesic out to 50 NM at 75°, at a twentieth of the cost,
//!   which keeps a 10,000-target recompute within its time budget.
//! - CPA/TCPA and the plot work in a local plane centred on own ship, east
//!   and north in nautical miles of 1852 m, scaled by the ellipsoid's radii
//!   of curvature at own ship's latitude (prime vertical N for east, the
//!   meridian M for north). That keeps CPA a closed-form vector problem;
//!   its error against an ellipsoidal search is measured in
//!   tests/scenarios.rs and tests/geodesy.rs.
//!
//! Raw degree differences are never used as distances.

use geo::{Destination, Geodesic, Point};
use geographiclib_rs::InverseGeodesic;
use std::sync::LazyLock;

/// The WGS-84 geodesic, set up once (the same ellipsoid and algorithm as
/// `geo::Geodesic`; used directly so one inverse solution gives both the
/// range and the bearing).
static WGS84: LazyLock<geographiclib_rs::Geodesic> =
    LazyLock::new(geographiclib_rs::Geodesic::wgs84);

/// Metres in an international nautical mile.
pub const METRES_PER_NM: f64 = 1852.0;
/// WGS-84 semi-major axis, metres.
pub const WGS84_A: f64 = 6_378_137.0;
/// WGS-84 flattening.
pub const WGS84_F: f64 = 1.0 / 298.257_223_563;
/// First eccentricity squared.
const WGS84_E2: f64 = WGS84_F * (2.0 - WGS84_F);

/// A point east/north of the projection origin, nautical miles.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Enu {
    pub east: f64,
    pub north: f64,
}

/// The WGS-84 radii of curvature at `lat_deg`, in nautical miles:
/// (M, meridional; N, prime vertical).
pub fn radii_nm(lat_deg: f64) -> (f64, f64) {
    let s = lat_deg.to_radians().sin();
    let w2 = 1.0 - WGS84_E2 * s * s;
    let w = w2.sqrt();
    let n = WGS84_A / w;
    let m = WGS84_A * (1.0 - WGS84_E2) / (w2 * w);
    (m / METRES_PER_NM, n / METRES_PER_NM)
}

/// Longitude difference folded into −180…180°, so a pair across the
/// antimeridian is near, not half a world apart.
fn wrap180(d: f64) -> f64 {
    if d > 180.0 {
        d - 360.0
    } else if d < -180.0 {
        d + 360.0
    } else {
        d
    }
}

/// Project (lat, lon) into the local plane around `origin`: east = Δλ·N·cosφ,
/// north = Δφ·M, with M and N at the origin's latitude.
pub fn project(origin: (f64, f64), p: (f64, f64)) -> Enu {
    Plane::at(origin).project(p)
}

/// The local plane around one origin, its radii worked out once (own
/// ship's plane serves every target of a recompute).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plane {
    origin: (f64, f64),
    /// NM per radian of latitude (M) and of longitude (N·cosφ).
    north_scale: f64,
    east_scale: f64,
}

impl Plane {
    /// The plane around `origin`.
    pub fn at(origin: (f64, f64)) -> Plane {
        let (m, n) = radii_nm(origin.0);
        Plane {
            origin,
            north_scale: m,
            east_scale: n * origin.0.to_radians().cos(),
        }
    }

    /// `p` east/north of the origin, NM.
    pub fn project(&self, p: (f64, f64)) -> Enu {
        Enu {
            east: wrap180(p.1 - self.origin.1).to_radians() * self.east_scale,
            north: (p.0 - self.origin.0).to_radians() * self.north_scale,
        }
    }
}

/// Velocity (east, north) in knots from COG (degrees true) and SOG (knots).
pub fn velocity(cog_deg: f64, sog_kn: f64) -> Enu {
    let c = cog_deg.to_radians();
    Enu {
        east: sog_kn * c.sin(),
        north: sog_kn * c.cos(),
    }
}

fn point(p: (f64, f64)) -> Point<f64> {
    Point::new(p.1, p.0)
}

/// Dead-reckon a position forward (or back, for negative `dt_s`) by `dt_s`
/// seconds at COG/SOG, along the WGS-84 geodesic. A ship steers a rhumb
/// line; over the minutes dead reckoning spans the two differ by far less
/// than a metre (docs/geodesy.md).
pub fn extrapolate(p: (f64, f64), cog_deg: f64, sog_kn: f64, dt_s: f64) -> (f64, f64) {
    let dist_m = sog_kn * dt_s / 3600.0 * METRES_PER_NM;
    if dist_m == 0.0 || !dist_m.is_finite() {
        return p;
    }
    let q = Geodesic.destination(point(p), cog_deg, dist_m);
    (q.y().clamp(-90.0, 90.0), wrap180(q.x()))
}

/// Bearing (degrees true, 0 ≤ b < 360) and range (NM) from `from` to `to`,
/// along the WGS-84 geodesic: what the officer reads.
pub fn bearing_range(from: (f64, f64), to: (f64, f64)) -> (f64, f64) {
    let (s12, azi1, _azi2, _a12): (f64, f64, f64, f64) = WGS84.inverse(from.0, from.1, to.0, to.1);
    let range = s12 / METRES_PER_NM;
    if range == 0.0 || !range.is_finite() {
        return (0.0, if range.is_finite() { range } else { 0.0 });
    }
    (normalise_bearing(azi1), range)
}

/// 0 ≤ b < 360 (rem_euclid can return 360.0 for a tiny negative input).
fn normalise_bearing(b: f64) -> f64 {
    let b = b.rem_euclid(360.0);
    if b >= 360.0 { 0.0 } else { b }
}

/// Bearing and range for the once-a-second recompute of every target: the
/// plane with the ellipsoid's radii of curvature at the mid-latitude of
/// the two points (which takes out most of the second-order error of a
/// plane at one end), the bearing turned back by half the meridians'
/// convergence to be the initial azimuth. Within 0.01 NM and 0.01° of
/// [`bearing_range`] for targets up to 50 NM away at latitudes up to 75°
/// (tests/geodesy.rs), at a small fraction of its cost.
pub fn bearing_range_fast(from: (f64, f64), to: (f64, f64)) -> (f64, f64) {
    let mid = (from.0 + to.0) / 2.0;
    let (m, n) = radii_nm(mid);
    let (sin_mid, cos_mid) = mid.to_radians().sin_cos();
    let dlon = wrap180(to.1 - from.1).to_radians();
    let north = (to.0 - from.0).to_radians() * m;
    let east = dlon * n * cos_mid;
    let range = east.hypot(north);
    if range == 0.0 {
        return (0.0, 0.0);
    }
    let brg = east.atan2(north).to_degrees() - (dlon * sin_mid).to_degrees() / 2.0;
    (normalise_bearing(brg), range)
}

/// Closest point of approach.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cpa {
    /// Distance at the closest point, NM.
    pub cpa_nm: f64,
    /// Minutes until the closest point; negative when it is past.
    pub tcpa_min: f64,
}

/// CPA/TCPA of a target relative to own ship, both at the same instant:
/// `rel` is the target's position relative to own ship (NM), `v_own` and
/// `v_target` velocities in knots.
pub fn cpa(rel: Enu, v_own: Enu, v_target: Enu) -> Cpa {
    let vx = v_target.east - v_own.east;
    let vy = v_target.north - v_own.north;
    let v2 = vx * vx + vy * vy;
    if v2 < 1e-9 {
        // No relative motion: the range stays what it is.
        return Cpa {
            cpa_nm: rel.east.hypot(rel.north),
            tcpa_min: 0.0,
        };
    }
    let t_h = -(rel.east * vx + rel.north * vy) / v2;
    let cx = rel.east + vx * t_h;
    let cy = rel.north + vy * t_h;
    Cpa {
        cpa_nm: cx.hypot(cy),
        tcpa_min: t_h * 60.0,
    }
}

/// Where a ship at `p` with velocity `v` (knots) is after `hours` on a
/// constant course: mid-latitude sailing on the ellipsoid (the rhumb line
/// to well under a metre over the legs CPA looks ahead). The recompute's
/// dead reckoning; within 5 m (0.003 NM) of the geodesic [`extrapolate`]
/// over six minutes at 30 kn up to 60° (tests/geodesy.rs).
pub fn sail(p: (f64, f64), v: Enu, hours: f64) -> (f64, f64) {
    let (dn, de) = (v.north * hours, v.east * hours);
    let lat = p.0 + (dn / radii_nm(p.0).0).to_degrees();
    let mid = (p.0 + lat) / 2.0;
    let (m, n) = radii_nm(mid);
    let lat = p.0 + (dn / m).to_degrees();
    let coslat = ((p.0 + lat) / 2.0).to_radians().cos().max(1e-6);
    (lat, wrap180(p.1 + (de / (n * coslat)).to_degrees()))
}

/// [`sail`] for the short runs of dead reckoning (a target's last report to
/// now: seconds, at most minutes), with the radii taken once at the start:
/// over such runs they change by parts in a million. Used for every target
/// every second.
pub fn sail_short(p: (f64, f64), v: Enu, hours: f64) -> (f64, f64) {
    let (m, n) = radii_nm(p.0);
    let lat = p.0 + (v.north * hours / m).to_degrees();
    let coslat = ((p.0 + lat) / 2.0).to_radians().cos().max(1e-6);
    (
        lat,
        wrap180(p.1 + (v.east * hours / (n * coslat)).to_degrees()),
    )
}

/// Look-ahead within which CPA is refined on the ellipsoid, minutes.
const REFINE_MAX_MIN: f64 = 90.0;

/// CPAs farther than this are not refined: the refinement's purpose is the
/// accuracy of CPAs that can raise or nearly raise an alarm (the plane
/// alone is within 0.03 NM there, docs/geodesy.md).
const REFINE_MAX_CPA_NM: f64 = 5.0;

/// CPA/TCPA of a target at `tgt` relative to own ship at `own` (both at the
/// same instant), velocities in knots. First in the local plane around own
/// ship; then, when the closest point lies ahead, once more in a plane
/// around where own ship will be at that moment (both ships sailed on
/// their rhumb lines), which takes out the meridians' convergence over the
/// leg — what makes the plane alone miss by 0.03 NM at 75° over 25 min.
pub fn cpa_between(own: (f64, f64), v_own: Enu, tgt: (f64, f64), v_target: Enu) -> Cpa {
    cpa_in(&Plane::at(own), v_own, tgt, v_target)
}

/// [`cpa_between`] with own ship's plane already set up (`own.origin` is
/// own position).
pub fn cpa_in(own: &Plane, v_own: Enu, tgt: (f64, f64), v_target: Enu) -> Cpa {
    let first = cpa(own.project(tgt), v_own, v_target);
    if !(first.tcpa_min > 0.0
        && first.tcpa_min <= REFINE_MAX_MIN
        && first.cpa_nm <= REFINE_MAX_CPA_NM)
    {
        return first;
    }
    let h = first.tcpa_min / 60.0;
    let (o, t) = (sail(own.origin, v_own, h), sail(tgt, v_target, h));
    let second = cpa(project(o, t), v_own, v_target);
    Cpa {
        cpa_nm: second.cpa_nm,
        tcpa_min: first.tcpa_min + second.tcpa_min,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published WGS-84 radii (e.g. NGA TR8350.2 §3): M 6 335 439 m and
    /// N = a at the equator; both 6 399 593.626 m at the pole.
    #[test]
    fn radii_of_curvature() {
        let (m, n) = radii_nm(0.0);
        assert!((m * METRES_PER_NM - 6_335_439.327).abs() < 0.01, "{m}");
        assert!((n * METRES_PER_NM - 6_378_137.0).abs() < 1e-6);
        let (m, n) = radii_nm(90.0);
        assert!((m * METRES_PER_NM - 6_399_593.626).abs() < 0.01);
        assert!((n * METRES_PER_NM - 6_399_593.626).abs() < 0.01);
    }

    /// The figure: 12 NM due east at 54° N on the geodesic is
    /// 0.048 NM more than 60 NM per degree on a sphere gave.
    #[test]
    fn target_due_east_at_54_north() {
        let own = (54.0, 10.0);
        let p = Geodesic.destination(point(own), 90.0, 12.0 * METRES_PER_NM);
        let tgt = (p.y(), p.x());
        let (b, r) = bearing_range(own, tgt);
        assert!((b - 90.0).abs() < 1e-6, "{b}");
        assert!((r - 12.0).abs() < 1e-6, "{r}");
        let sphere = (tgt.1 - own.1) * 60.0 * 54f64.to_radians().cos();
        assert!((r - sphere - 0.048).abs() < 0.001, "{}", r - sphere);
        // The plane reads the same to 0.001 NM at this range.
        let e = project(own, tgt);
        assert!((e.east.hypot(e.north) - 12.0).abs() < 0.001, "{e:?}");
    }

    #[test]
    fn across_the_antimeridian() {
        let (b, r) = bearing_range((10.0, 179.99), (10.0, -179.99));
        assert!((b - 90.0).abs() < 0.01 && r < 1.2, "{b} {r}");
        let e = project((10.0, -179.99), (10.0, 179.99));
        assert!(e.east < 0.0 && e.east > -1.2, "{e:?}");
        let p = extrapolate((0.0, 179.999), 90.0, 10.0, 360.0);
        assert!(p.1 < -179.0, "{p:?}");
    }

    #[test]
    fn bearing_is_never_360() {
        let (b, _) = bearing_range((54.0, 10.0), (54.1, 10.0 - 1e-13));
        assert!((0.0..360.0).contains(&b), "{b}");
        assert_eq!(bearing_range((54.0, 10.0), (54.0, 10.0)), (0.0, 0.0));
    }

    #[test]
    fn head_on_cpa() {
        let c = cpa(
            Enu {
                east: 0.0,
                north: 4.0,
            },
            velocity(0.0, 10.0),
            velocity(180.0, 10.0),
        );
        assert!(c.cpa_nm < 1e-9);
        assert!((c.tcpa_min - 12.0).abs() < 1e-9);
    }
}
