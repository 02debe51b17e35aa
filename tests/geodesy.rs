//! Accuracy of the traffic geometry against the WGS-84 geodesic (Karney's
//! algorithm in the `geo` crate), the figures docs/geodesy.md records.
//!
//! The oracle is the geodesic *direct* problem: a target is placed at a
//! known geodesic bearing and distance from own ship, and the engine's
//! bearing and range must give them back. A spherical oracle could not see
//! the error this guards against (60 NM per degree on a sphere reads 12.000
//! NM for a target 12.048 NM due east at 54° N); `the_old_sphere_fails`
//! shows the bounds do see it.

use bridgewatch::traffic::geo::{
    Enu, bearing_range, bearing_range_fast, extrapolate, project, sail_short, velocity,
};
use geo::{Destination, Geodesic, Point};

const NM: f64 = 1852.0;

/// (lat, lon) at geodesic bearing `brg` and distance `nm` from `p`.
fn place(p: (f64, f64), brg: f64, nm: f64) -> (f64, f64) {
    let q = Geodesic.destination(Point::new(p.1, p.0), brg, nm * NM);
    (q.y(), q.x())
}

/// Difference of two bearings, folded into −180…180°.
fn dbrg(a: f64, b: f64) -> f64 {
    (a - b + 540.0).rem_euclid(360.0) - 180.0
}

const LATS: [f64; 13] = [
    0.0, 15.0, 30.0, 45.0, 54.0, 60.0, 75.0, -15.0, -30.0, -45.0, -54.0, -60.0, -75.0,
];
/// Own longitudes: an ordinary one and both sides of the antimeridian.
const LONS: [f64; 3] = [10.0, 179.95, -179.95];
const RANGES: [f64; 10] = [0.1, 0.3, 1.0, 2.0, 5.0, 12.0, 20.0, 24.0, 35.0, 50.0];

/// (own, geodesic bearing, NM, target).
type Case = ((f64, f64), f64, f64, (f64, f64));

/// Every own position × bearing (every 7.5°) × range.
fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    for &lat in &LATS {
        for &lon in &LONS {
            for k in 0..48 {
                let brg = f64::from(k) * 7.5;
                for &nm in &RANGES {
                    v.push(((lat, lon), brg, nm, place((lat, lon), brg, nm)));
                }
            }
        }
    }
    v
}

#[test]
fn bearing_and_range_agree_with_the_geodesic() {
    let (mut worst_r, mut worst_b) = (0.0f64, 0.0f64);
    let mut crossed = 0;
    for (own, brg, nm, tgt) in cases() {
        if (own.1 - tgt.1).abs() > 180.0 {
            crossed += 1;
        }
        let (b, r) = bearing_range(own, tgt);
        assert!((0.0..360.0).contains(&b), "bearing {b}");
        let (er, eb) = ((r - nm).abs(), dbrg(b, brg).abs());
        assert!(er < 0.005, "range {r} vs {nm} from {own:?} at {brg}°");
        assert!(eb < 0.05, "bearing {b} vs {brg} from {own:?} at {nm} NM");
        worst_r = worst_r.max(er);
        worst_b = worst_b.max(eb);
    }
    assert!(crossed > 100, "cases across the antimeridian: {crossed}");
    eprintln!("bearing_range vs geodesic: range {worst_r:.2e} NM, bearing {worst_b:.2e}°");
}

/// The recompute's fast form (mid-latitude radii, half the convergence):
/// within 0.01 NM and 0.01° of the geodesic out to 50 NM at 75°, so the
/// sort order, activation and lost ranges agree with what is shown to the
/// hundredth the console prints.
#[test]
fn the_recompute_form_agrees_with_the_geodesic() {
    let (mut worst_r, mut worst_b) = ((0.0f64, 0.0f64), (0.0f64, 0.0f64));
    for (own, brg, nm, tgt) in cases() {
        let (b, r) = bearing_range_fast(own, tgt);
        assert!((0.0..360.0).contains(&b), "bearing {b}");
        let (er, eb) = ((r - nm).abs(), dbrg(b, brg).abs());
        assert!(er < 0.01, "range {r} vs {nm} from {own:?} at {brg}°");
        assert!(eb < 0.01, "bearing {b} vs {brg} from {own:?} at {nm} NM");
        if nm <= 12.0 {
            worst_r.0 = worst_r.0.max(er);
            worst_b.0 = worst_b.0.max(eb);
        }
        worst_r.1 = worst_r.1.max(er);
        worst_b.1 = worst_b.1.max(eb);
    }
    eprintln!(
        "bearing_range_fast vs geodesic: ≤ 12 NM {:.1e} NM / {:.1e}°; ≤ 50 NM {:.1e} NM / {:.1e}°",
        worst_r.0, worst_b.0, worst_r.1, worst_b.1
    );
}

/// The recompute's dead reckoning (constant course on the ellipsoid)
/// against the geodesic one shown on screen.
#[test]
fn the_recompute_dead_reckoning_agrees_with_the_geodesic() {
    let mut worst = 0.0f64;
    for &lat in &LATS {
        if lat.abs() > 60.0 {
            continue;
        }
        for k in 0..24 {
            let cog = f64::from(k) * 15.0;
            let own = (lat, 179.99);
            let v: Enu = velocity(cog, 30.0);
            let fast = sail_short(own, v, 0.1);
            let geodesic = extrapolate(own, cog, 30.0, 360.0);
            worst = worst.max(metres_between(fast, geodesic));
        }
    }
    eprintln!("sail vs geodesic, 6 min at 30 kn, ≤ 60°: {worst:.2} m");
    assert!(worst < 5.0, "{worst} m");
}

/// The local plane (`project`, used for CPA and the plot), measured: its
/// range and bearing against the geodesic, by distance from own ship.
#[test]
fn local_plane_accuracy_by_range() {
    for (limit_nm, max_r, max_b) in [(3.0, 0.001, 0.05), (12.0, 0.02, 0.25), (50.0, 0.5, 1.0)] {
        let (mut worst_r, mut worst_b) = (0.0f64, 0.0f64);
        for (own, brg, nm, tgt) in cases() {
            if nm > limit_nm || own.0.abs() > 60.0 {
                continue;
            }
            let e = project(own, tgt);
            let r = e.east.hypot(e.north);
            let b = e.east.atan2(e.north).to_degrees();
            worst_r = worst_r.max((r - nm).abs());
            if nm >= 1.0 {
                worst_b = worst_b.max(dbrg(b, brg).abs());
            }
        }
        eprintln!(
            "plane ≤ {limit_nm} NM, |lat| ≤ 60°: range {worst_r:.4} NM, bearing {worst_b:.4}°"
        );
        assert!(
            worst_r < max_r && worst_b < max_b,
            "{limit_nm} NM: {worst_r} {worst_b}"
        );
    }
}

/// The spherical model this replaced (60 NM per degree, equirectangular)
/// is outside the bounds: the test above can fail.
#[test]
fn the_old_sphere_fails() {
    let own = (54.0, 10.0);
    let tgt = place(own, 90.0, 12.0);
    let east = (tgt.1 - own.1) * 60.0 * own.0.to_radians().cos();
    let north = (tgt.0 - own.0) * 60.0;
    let old = east.hypot(north);
    assert!((old - 12.0).abs() > 0.04, "old model {old}");
    let (_, r) = bearing_range(own, tgt);
    assert!((r - 12.0).abs() < 0.005);
}

/// Radii of curvature at a latitude, metres (independent of the engine).
fn radii_m(lat: f64) -> (f64, f64) {
    let a = 6_378_137.0;
    let f = 1.0 / 298.257_223_563;
    let e2 = f * (2.0 - f);
    let s2 = lat.to_radians().sin().powi(2);
    let w = (1.0 - e2 * s2).sqrt();
    (a * (1.0 - e2) / w.powi(3), a / w)
}

/// Rhumb line (constant course) on the ellipsoid, integrated numerically:
/// dφ/ds = cos C / M, dλ/ds = sin C / (N cos φ).
fn rhumb(p: (f64, f64), course: f64, nm: f64) -> (f64, f64) {
    let steps = 2000;
    let h = nm * NM / f64::from(steps);
    let (s, c) = course.to_radians().sin_cos();
    let f = |phi: f64| {
        let (m, n) = radii_m(phi.to_degrees());
        (c / m, s / (n * phi.cos()))
    };
    let (mut phi, mut lam) = (p.0.to_radians(), p.1.to_radians());
    for _ in 0..steps {
        let k1 = f(phi);
        let k2 = f(phi + h / 2.0 * k1.0);
        let k3 = f(phi + h / 2.0 * k2.0);
        let k4 = f(phi + h * k3.0);
        lam += h / 6.0 * (k1.1 + 2.0 * k2.1 + 2.0 * k3.1 + k4.1);
        phi += h / 6.0 * (k1.0 + 2.0 * k2.0 + 2.0 * k3.0 + k4.0);
    }
    (phi.to_degrees(), lam.to_degrees())
}

fn metres_between(a: (f64, f64), b: (f64, f64)) -> f64 {
    use geo::Distance;
    Geodesic.distance(Point::new(a.1, a.0), Point::new(b.1, b.0))
}

/// Dead reckoning follows the geodesic; a ship steers a rhumb line. Over
/// the intervals the engine dead-reckons (seconds to a few minutes) the
/// difference is far below what the console shows.
#[test]
fn dead_reckoning_geodesic_versus_rhumb_line() {
    for (minutes, sog, lat, bound_m) in [
        (1.0, 30.0, 60.0, 0.5),
        (3.0, 30.0, 60.0, 3.0),
        (6.0, 20.0, 54.0, 3.0),
        (6.0, 30.0, 75.0, 20.0),
    ] {
        let mut worst = 0.0f64;
        for k in 0..24 {
            let cog = f64::from(k) * 15.0;
            let own = (lat, 179.99);
            let dr = extrapolate(own, cog, sog, minutes * 60.0);
            let truth = rhumb(own, cog, sog * minutes / 60.0);
            let truth = (truth.0, (truth.1 + 540.0).rem_euclid(360.0) - 180.0);
            worst = worst.max(metres_between(dr, truth));
            // Backwards in time too (a report newer than the clock).
            let back = extrapolate(own, cog, sog, -minutes * 60.0);
            let truth = rhumb(own, (cog + 180.0) % 360.0, sog * minutes / 60.0);
            let truth = (truth.0, (truth.1 + 540.0).rem_euclid(360.0) - 180.0);
            worst = worst.max(metres_between(back, truth));
        }
        eprintln!("DR {minutes} min at {sog} kn, {lat}° N: geodesic vs rhumb {worst:.2} m");
        assert!(worst < bound_m, "{minutes} min {sog} kn {lat}°: {worst} m");
    }
}
