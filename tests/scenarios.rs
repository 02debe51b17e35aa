//! Traffic scenarios built from sentences our own encoders make, replayed
//! through the headless engine with tag-block data times. Expected CPA/TCPA
//! come from an independent calculation on the WGS-84 ellipsoid: both ships
//! steered along rhumb lines (constant course, closed form by isometric
//! latitude and the meridian arc), the range at each instant the geodesic
//! of the `geo` crate, and the closest approach found by search — not the
//! engine's local plane.

use bridgewatch::ais::encode::{encode, to_vdm};
use bridgewatch::ais::messages::*;
use bridgewatch::app::engine::Engine;
use bridgewatch::nmea::armour::Text;
use bridgewatch::nmea::checksum;
use bridgewatch::sim::tagged;
use bridgewatch::traffic::Event;
use bridgewatch::traffic::alarm::{AlarmId, AlarmState, Priority};
use bridgewatch::traffic::config::TrafficConfig;
use geo::{Destination, Distance, Geodesic, Point};

const T0: i64 = 1_795_000_000_000; // 2026-11-18, ms
const NM: f64 = 1852.0;
const A: f64 = 6_378_137.0;
const F: f64 = 1.0 / 298.257_223_563;

/// Meridian arc from the equator to latitude `phi` (radians), metres, by
/// Helmert's series in the third flattening n (error far below 1 mm).
fn meridian_arc(phi: f64) -> f64 {
    let n = F / (2.0 - F);
    let (n2, n3, n4) = (n * n, n * n * n, n * n * n * n);
    A / (1.0 + n)
        * ((1.0 + n2 / 4.0 + n4 / 64.0) * phi - 1.5 * (n - n3 / 8.0) * (2.0 * phi).sin()
            + 15.0 / 16.0 * (n2 - n4 / 4.0) * (4.0 * phi).sin()
            - 35.0 / 48.0 * n3 * (6.0 * phi).sin()
            + 315.0 / 512.0 * n4 * (8.0 * phi).sin())
}

/// Meridional and prime-vertical radii of curvature at `phi`, metres.
fn radii(phi: f64) -> (f64, f64) {
    let e2 = F * (2.0 - F);
    let w = (1.0 - e2 * phi.sin().powi(2)).sqrt();
    (A * (1.0 - e2) / w.powi(3), A / w)
}

/// Isometric latitude ψ of `phi` on the ellipsoid.
fn isometric(phi: f64) -> f64 {
    let e = (F * (2.0 - F)).sqrt();
    phi.sin().atanh() - e * (e * phi.sin()).atanh()
}

/// Rhumb-line (loxodrome) destination on the WGS-84 ellipsoid — a constant
/// course, as a ship steers: the meridian arc grows by s·cos C, the
/// longitude by tan C·Δψ (s·sin C / (N cos φ) on an east–west course).
fn rhumb(p: (f64, f64), course: f64, dist_nm: f64) -> (f64, f64) {
    let (phi1, lam1) = (p.0.to_radians(), p.1.to_radians());
    let s = dist_nm * NM;
    let (sc, cc) = course.to_radians().sin_cos();
    let goal = meridian_arc(phi1) + s * cc;
    let mut phi2 = phi1;
    for _ in 0..6 {
        phi2 += (goal - meridian_arc(phi2)) / radii(phi2).0;
    }
    let dm = s * cc;
    let dlam = if dm.abs() > 1e-3 {
        s * sc * (isometric(phi2) - isometric(phi1)) / dm
    } else {
        s * sc / (radii(phi1).1 * phi1.cos())
    };
    let lon = (lam1 + dlam).to_degrees();
    (phi2.to_degrees(), (lon + 540.0).rem_euclid(360.0) - 180.0)
}

/// Geodesic destination, used to place ships at a bearing and range.
fn destination(p: (f64, f64), course: f64, dist_nm: f64) -> (f64, f64) {
    let q = Geodesic.destination(Point::new(p.1, p.0), course, dist_nm * NM);
    (q.y(), q.x())
}

/// Geodesic distance, NM.
fn range_nm(a: (f64, f64), b: (f64, f64)) -> f64 {
    Geodesic.distance(Point::new(a.1, a.0), Point::new(b.1, b.0)) / NM
}

/// A ship moving at constant course and speed from `p` at `t_ms`.
#[derive(Clone, Copy)]
struct Track {
    p: (f64, f64),
    t_ms: i64,
    cog: f64,
    sog: f64,
}

impl Track {
    /// Where the ship is at `ms`: constant course and speed along the rhumb
    /// line (backwards too).
    fn at(&self, ms: i64) -> (f64, f64) {
        let h = (ms - self.t_ms) as f64 / 3.6e6;
        let d = self.sog * h;
        if d >= 0.0 {
            rhumb(self.p, self.cog, d)
        } else {
            rhumb(self.p, (self.cog + 180.0) % 360.0, -d)
        }
    }
}

/// Closest approach after `now_ms` by search over geodesic ranges: every
/// 5 s for an hour, then golden-section search around the best to 1 ms.
/// (CPA NM, TCPA min).
fn expected_cpa(own: Track, target: Track, now_ms: i64) -> (f64, f64) {
    let d = |t: f64| range_nm(own.at(t as i64), target.at(t as i64));
    let mut best = (f64::MAX, 0i64);
    let mut t = now_ms;
    while t <= now_ms + 3_600_000 {
        let r = d(t as f64);
        if r < best.0 {
            best = (r, t);
        }
        t += 5000;
    }
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut a, mut b) = ((best.1 - 5000).max(now_ms) as f64, (best.1 + 5000) as f64);
    while b - a > 1.0 {
        let (c, e) = (b - g * (b - a), a + g * (b - a));
        if d(c) < d(e) {
            b = e;
        } else {
            a = c;
        }
    }
    let tm = (a + b) / 2.0;
    (d(tm).min(best.0), (tm - now_ms as f64) / 60_000.0)
}

fn rmc(track: &Track, ms: i64) -> String {
    tagged(
        &bridgewatch::sim::rmc(ms, track.at(ms), track.cog, track.sog),
        ms,
    )
}

fn class_a(mmsi: u32, track: &Track, ms: i64, status: u8, course: Option<f64>) -> Vec<String> {
    let m = bridgewatch::sim::class_a(
        mmsi,
        track.at(ms),
        course,
        track.sog,
        status,
        ((ms / 1000) % 60) as u8,
    );
    bridgewatch::sim::vdm(&m, ms, false, 'A', 0)
}

fn class_b(mmsi: u32, track: &Track, ms: i64) -> Vec<String> {
    let m = bridgewatch::sim::class_b(mmsi, track.at(ms), track.cog, track.sog, 0);
    bridgewatch::sim::vdm(&m, ms, false, 'B', 0)
}

struct Sim {
    engine: Engine,
    events: Vec<Event>,
}

impl Sim {
    fn new() -> Sim {
        Sim {
            engine: Engine::new(TrafficConfig::default(), false),
            events: Vec::new(),
        }
    }
    fn feed(&mut self, lines: &[String]) {
        for l in lines {
            self.engine.push_line(Some(l.as_bytes()), 0);
        }
        self.events.extend(self.engine.traffic.take_events());
    }
    fn cpa(&self, mmsi: u32) -> Option<(f64, f64)> {
        self.engine.traffic.targets[&mmsi]
            .cpa
            .map(|c| (c.cpa_nm, c.tcpa_min))
    }
    fn has(&self, f: impl Fn(&Event) -> bool) -> bool {
        self.events.iter().any(f)
    }
}

const OWN_START: (f64, f64) = (54.5, 11.0);

fn own() -> Track {
    Track {
        p: OWN_START,
        t_ms: T0,
        cog: 0.0,
        sog: 12.0,
    }
}

/// Place a target at bearing/range from own ship at T0.
fn target(brg: f64, range: f64, cog: f64, sog: f64) -> Track {
    Track {
        p: destination(OWN_START, brg, range),
        t_ms: T0,
        cog,
        sog,
    }
}

/// Run own ship (RMC every second) and a target reporting every `every_s`
/// for `secs`, the target's report made `lag_s` before own ship's fix so the
/// engine must bring both to the same instant.
fn run(sim: &mut Sim, own: Track, tgt: Track, mmsi: u32, secs: i64, every_s: i64) {
    for s in 0..=secs {
        let ms = T0 + s * 1000;
        if s % every_s == 0 {
            sim.feed(&class_a(mmsi, &tgt, ms, 0, Some(tgt.cog)));
        }
        sim.feed(&[rmc(&own, ms)]);
    }
}

fn assert_close(mmsi: u32, sim: &Sim, own: Track, tgt: Track, now_ms: i64) {
    let (cpa, tcpa) = sim.cpa(mmsi).expect("CPA computed");
    let (ecpa, etcpa) = expected_cpa(own, tgt, now_ms);
    assert!((cpa - ecpa).abs() < 0.02, "CPA {cpa} vs independent {ecpa}");
    assert!(
        (tcpa - etcpa).abs() < 0.2,
        "TCPA {tcpa} vs independent {etcpa}"
    );
}

#[test]
fn crossing_from_starboard_becomes_dangerous() {
    let mut sim = Sim::new();
    let (o, t) = (own(), target(45.0, 3.0, 270.0, 10.0));
    run(&mut sim, o, t, 244000001, 20, 10);
    // Last target report at T0+20 s; own fix at T0+20 s.
    assert_close(244000001, &sim, o, t, T0 + 20_000);
    assert!(sim.has(|e| matches!(
        e,
        Event::Dangerous {
            mmsi: 244000001,
            ..
        }
    )));
    assert!(
        sim.engine
            .traffic
            .alarms
            .get(&AlarmId::Dangerous(244000001))
            .is_some()
    );
}

#[test]
fn head_on_alarms_only_inside_the_tcpa_window() {
    let mut sim = Sim::new();
    let (o, t) = (own(), target(0.0, 6.0, 180.0, 12.0));
    // Closing at 24 kn: 15 min to CPA, enters the 12-min window after 3 min.
    run(&mut sim, o, t, 244000002, 170, 10);
    assert!(
        !sim.has(|e| matches!(e, Event::Dangerous { .. })),
        "not before TCPA < 12 min"
    );
    run(&mut sim, o, t, 244000002, 200, 10);
    let d = sim.events.iter().find_map(|e| match e {
        Event::Dangerous {
            at_ms,
            cpa_nm,
            tcpa_min,
            ..
        } => Some((*at_ms, *cpa_nm, *tcpa_min)),
        _ => None,
    });
    let (at, cpa, tcpa) = d.expect("dangerous");
    assert!(
        (T0 + 180_000..=T0 + 182_000).contains(&at),
        "at {}",
        at - T0
    );
    assert!(cpa < 0.02 && (tcpa - 12.0).abs() < 0.1, "{cpa} {tcpa}");
    assert_close(244000002, &sim, o, t, T0 + 200_000);
}

#[test]
fn overtaking_a_slower_ship() {
    let mut sim = Sim::new();
    // Target 1 NM ahead, 0.3 NM to starboard, same course at 6 kn.
    let start = destination(destination(OWN_START, 0.0, 1.0), 90.0, 0.3);
    let t = Track {
        p: start,
        t_ms: T0,
        cog: 0.0,
        sog: 6.0,
    };
    let o = own();
    run(&mut sim, o, t, 244000003, 30, 10);
    assert_close(244000003, &sim, o, t, T0 + 30_000);
    let (cpa, tcpa) = sim.cpa(244000003).unwrap();
    assert!((cpa - 0.3).abs() < 0.02 && tcpa > 9.0 && tcpa < 10.0);
    assert!(sim.has(|e| matches!(
        e,
        Event::Dangerous {
            mmsi: 244000003,
            ..
        }
    )));
}

#[test]
fn parallel_course_never_alarms() {
    let mut sim = Sim::new();
    let t = Track {
        p: destination(OWN_START, 90.0, 1.0),
        t_ms: T0,
        cog: 0.0,
        sog: 12.0,
    };
    run(&mut sim, own(), t, 244000004, 120, 10);
    let (cpa, _) = sim.cpa(244000004).unwrap();
    assert!((cpa - 1.0).abs() < 0.02);
    assert!(!sim.has(|e| matches!(e, Event::Dangerous { .. })));
}

#[test]
fn stationary_target_ahead_without_cog() {
    let mut sim = Sim::new();
    let p = destination(destination(OWN_START, 0.0, 2.0), 90.0, 0.5);
    let t = Track {
        p,
        t_ms: T0,
        cog: 0.0,
        sog: 0.0,
    };
    let o = own();
    for s in 0..=10 {
        let ms = T0 + s * 1000;
        if s % 10 == 0 {
            // SOG 0 with COG "not available": stationary, CPA computable.
            sim.feed(&class_a(244000005, &t, ms, 0, None));
        }
        sim.feed(&[rmc(&o, ms)]);
    }
    assert_close(244000005, &sim, o, t, T0 + 10_000);
    assert!(sim.has(|e| matches!(
        e,
        Event::Dangerous {
            mmsi: 244000005,
            ..
        }
    )));
}

#[test]
fn moving_target_without_cog_has_no_cpa() {
    let mut sim = Sim::new();
    let t = target(30.0, 3.0, 200.0, 10.0);
    for s in 0..=10 {
        let ms = T0 + s * 1000;
        if s % 5 == 0 {
            sim.feed(&class_a(244000006, &t, ms, 0, None));
        }
        sim.feed(&[rmc(&own(), ms)]);
    }
    let tg = &sim.engine.traffic.targets[&244000006];
    assert!(tg.cpa.is_none(), "never computed from heading or guessed");
    assert!(tg.bearing_range.is_some());
    assert!(!sim.has(|e| matches!(e, Event::Dangerous { .. })));
}

#[test]
fn target_that_stops_transmitting_is_lost_after_the_table_time() {
    let mut sim = Sim::new();
    let t = target(90.0, 3.0, 0.0, 10.0);
    let o = own();
    for s in 0..=200 {
        let ms = T0 + s * 1000;
        if s <= 30 && s % 10 == 0 {
            sim.feed(&class_a(244000007, &t, ms, 0, Some(0.0)));
        }
        sim.feed(&[rmc(&o, ms)]);
    }
    let lost_at = sim
        .events
        .iter()
        .find_map(|e| match e {
            Event::Lost {
                at_ms,
                mmsi: 244000007,
                ..
            } => Some(*at_ms),
            _ => None,
        })
        .expect("lost");
    // Last report at T0+30 s; Class A at 10 kn: lost after 60 s, not earlier.
    let after = (lost_at - (T0 + 30_000)) / 1000;
    assert!(
        (61..=62).contains(&after),
        "lost {after} s after the last report"
    );
    assert!(
        sim.engine
            .traffic
            .alarms
            .get(&AlarmId::Lost(244000007))
            .is_some()
    );
}

#[test]
fn anchored_ship_reporting_every_three_minutes_is_never_lost() {
    let mut sim = Sim::new();
    let t = Track {
        p: destination(OWN_START, 120.0, 2.0),
        t_ms: T0,
        cog: 0.0,
        sog: 0.0,
    };
    for s in 0..=1800 {
        let ms = T0 + s * 1000;
        if s % 180 == 0 {
            sim.feed(&class_a(244000008, &t, ms, 1, None));
        }
        sim.feed(&[rmc(&own(), ms)]);
    }
    assert!(!sim.has(|e| matches!(e, Event::Lost { .. })));
    // It lies abaft the beam (bearing 120°, own ship heading 000°): TCPA is
    // negative, so no CPA alarm. Anchored ships ahead do alarm by default
    // (tests/alarm_rules.rs).
    assert!(!sim.has(|e| matches!(
        e,
        Event::Dangerous {
            mmsi: 244000008,
            ..
        }
    )));
}

#[test]
fn class_b_target_crossing() {
    let mut sim = Sim::new();
    let (o, t) = (own(), target(315.0, 3.0, 90.0, 8.0));
    for s in 0..=30 {
        let ms = T0 + s * 1000;
        if s % 30 == 0 {
            sim.feed(&class_b(244000009, &t, ms));
        }
        sim.feed(&[rmc(&o, ms)]);
    }
    assert_close(244000009, &sim, o, t, T0 + 30_000);
    let tg = &sim.engine.traffic.targets[&244000009];
    assert!(matches!(
        tg.kind,
        bridgewatch::traffic::target::TargetKind::ClassB { cs: true }
    ));
    // Class B CS above 2 kn: lost after 180 s.
    assert_eq!(tg.lost_after_s(&sim.engine.traffic.config.lost), 180.0);
}

#[test]
fn ais_sart_always_alerts() {
    let mut sim = Sim::new();
    // 20 NM away, drifting, sleeping: no CPA alarm would apply.
    let t = target(200.0, 20.0, 0.0, 0.0);
    for s in 0..=5 {
        let ms = T0 + s * 1000;
        if s == 0 {
            sim.feed(&class_a(970123456, &t, ms, 14, None));
        }
        sim.feed(&[rmc(&own(), ms)]);
    }
    assert!(sim.has(|e| matches!(
        e,
        Event::Sart {
            mmsi: 970123456,
            ..
        }
    )));
    let ranked = sim.engine.traffic.alarms.ranked();
    assert_eq!(ranked[0].id, AlarmId::Distress(970123456));
}

#[test]
fn acknowledged_dangerous_target_does_not_realarm_while_cpa_jitters() {
    let mut sim = Sim::new();
    // CPA close to the 2 NM limit: a target crossing ahead with CPA ~1.97.
    let o = own();
    let t = Track {
        p: destination(destination(OWN_START, 0.0, 2.0), 90.0, 1.97),
        t_ms: T0,
        cog: 0.0,
        sog: 0.0,
    };
    sim.feed(&class_a(244000010, &t, T0, 0, None));
    sim.feed(&[rmc(&o, T0)]);
    assert!(sim.has(|e| matches!(e, Event::Dangerous { .. })));
    let id = AlarmId::Dangerous(244000010);
    sim.engine.traffic.alarms.acknowledge(&id, T0);
    sim.engine.traffic.alarms.take_transitions();
    // The target wobbles between 1.97 and 2.05 NM abeam of the track.
    for (i, off) in [2.05, 1.97, 2.06, 1.98, 2.04].iter().enumerate() {
        let ms = T0 + (i as i64 + 1) * 1000;
        let p = destination(destination(OWN_START, 0.0, 2.0), 90.0, *off);
        let w = Track {
            p,
            t_ms: ms,
            cog: 0.0,
            sog: 0.0,
        };
        sim.feed(&class_a(244000010, &w, ms, 0, None));
        sim.feed(&[rmc(&o, ms)]);
    }
    let dangerous = sim
        .events
        .iter()
        .filter(|e| matches!(e, Event::Dangerous { .. }))
        .count();
    assert_eq!(
        dangerous, 1,
        "no new dangerous event inside the hysteresis band"
    );
    assert_eq!(
        sim.engine.traffic.alarms.get(&id).unwrap().state,
        bridgewatch::traffic::alarm::AlarmState::ActiveAcknowledged
    );
}

// ---------------------------------------------------------------------------
// Alerts: the acknowledgement holds while the situation stays the same;
// priorities, order and what a dangerous target leaves when it goes silent
// (docs/alerts.md).

/// A ship that changes course: legs of (COG, seconds) from `start` at T0,
/// constant course and speed on each.
struct Voyage {
    legs: Vec<(i64, Track)>,
}

impl Voyage {
    fn new(start: Track, plan: &[(f64, i64)]) -> Voyage {
        let mut legs = Vec::new();
        let (mut p, mut t) = (start.p, start.t_ms);
        for &(cog, secs) in plan {
            let leg = Track {
                p,
                t_ms: t,
                cog,
                sog: start.sog,
            };
            t += secs * 1000;
            p = leg.at(t);
            legs.push((t, leg));
        }
        Voyage { legs }
    }
    /// The leg sailed at `ms` (the last one after the plan ends).
    fn leg(&self, ms: i64) -> Track {
        self.legs
            .iter()
            .find(|(end, _)| ms < *end)
            .or(self.legs.last())
            .map(|(_, l)| *l)
            .expect("a plan")
    }
    fn end_ms(&self) -> i64 {
        self.legs.last().map_or(T0, |(end, _)| *end)
    }
}

/// Own ship's fix every second and the ship's report every 2 s (a Class A
/// changing course reports that often) from `from_s` to `to_s`; acknowledge
/// the dangerous alarm of `mmsi` at the first report that raises it when
/// `ack` is set. Returns the acknowledgement's data time.
fn sail(sim: &mut Sim, ship: &Voyage, mmsi: u32, from_s: i64, to_s: i64, ack: bool) -> Option<i64> {
    let id = AlarmId::Dangerous(mmsi);
    let mut acked = None;
    for s in from_s..=to_s {
        let ms = T0 + s * 1000;
        if s % 2 == 0 {
            let leg = ship.leg(ms);
            sim.feed(&class_a(mmsi, &leg, ms, 0, Some(leg.cog)));
        }
        sim.feed(&[rmc(&own(), ms)]);
        if ack && acked.is_none() && sim.engine.traffic.alarms.get(&id).is_some() {
            assert!(sim.engine.traffic.alarms.acknowledge(&id, ms));
            acked = Some(ms);
        }
    }
    acked
}

fn count(sim: &Sim, f: impl Fn(&Event) -> bool) -> usize {
    sim.events.iter().filter(|e| f(e)).count()
}

/// State changes of one alarm after `after_ms` (the transitions are taken).
fn transitions_after(sim: &mut Sim, id: &AlarmId, after_ms: i64) -> Vec<Option<AlarmState>> {
    sim.engine
        .traffic
        .alarms
        .take_transitions()
        .into_iter()
        .filter(|t| &t.id == id && t.at_ms > after_ms)
        .map(|t| t.state)
        .collect()
}

/// The yawing crosser of the issue: a ship crossing from starboard at
/// 14 kn, 4.1 NM on a bearing of 20°, steering 270° but reporting COG 265°
/// and 275° by turns every 2 s for 4 minutes. Its CPA swings either side
/// of the 2 NM limit (checked below by the independent search: from under
/// 1.9 to over 2.15 NM, beyond the old 0.1 NM hysteresis), TCPA inside 12
/// min throughout. One `dangerous` event, and the acknowledgement holds.
#[test]
fn yawing_crosser_is_one_alarm_and_the_acknowledgement_holds() {
    let mmsi = 244000031;
    let base = target(20.0, 4.1, 270.0, 14.0);
    let cog = |s: i64| if (s / 2) % 2 == 0 { 265.0 } else { 275.0 };
    // The premise, independently: the reported CPA crosses the limit.
    let (mut lo, mut hi) = (f64::MAX, f64::MIN);
    for s in (0..=240).step_by(2) {
        let ms = T0 + s * 1000;
        let as_reported = Track {
            p: base.at(ms),
            t_ms: ms,
            cog: cog(s),
            sog: 14.0,
        };
        let (cpa, tcpa) = expected_cpa(own(), as_reported, ms);
        assert!(tcpa > 0.0 && tcpa < 12.0, "TCPA {tcpa} at {s} s");
        lo = lo.min(cpa);
        hi = hi.max(cpa);
    }
    assert!(lo < 1.9 && hi > 2.15, "CPA swings {lo:.3}–{hi:.3} NM");

    let mut sim = Sim::new();
    let id = AlarmId::Dangerous(mmsi);
    let mut acked = None;
    for s in 0..=240 {
        let ms = T0 + s * 1000;
        if s % 2 == 0 {
            let m =
                bridgewatch::sim::class_a(mmsi, base.at(ms), Some(cog(s)), 14.0, 0, (s % 60) as u8);
            sim.feed(&bridgewatch::sim::vdm(&m, ms, false, 'A', 0));
        }
        sim.feed(&[rmc(&own(), ms)]);
        if acked.is_none() && sim.engine.traffic.alarms.get(&id).is_some() {
            sim.engine.traffic.alarms.acknowledge(&id, ms);
            acked = Some(ms);
        }
    }
    let acked = acked.expect("the crosser alarmed");
    assert_eq!(
        count(
            &sim,
            |e| matches!(e, Event::Dangerous { mmsi: m, .. } if *m == mmsi)
        ),
        1
    );
    assert_eq!(
        count(
            &sim,
            |e| matches!(e, Event::DangerousCleared { mmsi: m, .. } if *m == mmsi)
        ),
        0
    );
    let after = transitions_after(&mut sim, &id, acked);
    assert!(
        !after.contains(&Some(AlarmState::ActiveUnacknowledged)),
        "{after:?}"
    );
    assert_eq!(
        sim.engine.traffic.alarms.get(&id).map(|a| a.state),
        Some(AlarmState::ActiveAcknowledged)
    );
}

/// A crossing ship (bearing 45°, 3 NM, 10 kn) steering 230°: CPA about
/// 1.1 NM in 8 min.
fn crosser_230() -> Track {
    target(45.0, 3.0, 230.0, 10.0)
}

/// Outside the limits plus their bands, by the independent search.
fn clearly_outside(leg: Track, ms: i64) -> bool {
    let (cpa, tcpa) = expected_cpa(own(), leg, ms);
    tcpa <= 0.0 || cpa > 2.5
}

#[test]
fn dangerous_target_is_rectified_only_after_the_dwell() {
    let mmsi = 244000032;
    // Turns away for 10 s, back for 30 s, then away for good at 100 s.
    let ship = Voyage::new(
        crosser_230(),
        &[(230.0, 60), (60.0, 10), (230.0, 30), (60.0, 90)],
    );
    for (at_s, away) in [
        (0, false),
        (60, true),
        (70, false),
        (100, true),
        (150, true),
    ] {
        let ms = T0 + at_s * 1000;
        let (cpa, tcpa) = expected_cpa(own(), ship.leg(ms), ms);
        assert_eq!(
            clearly_outside(ship.leg(ms), ms),
            away,
            "{at_s} s: {cpa} {tcpa}"
        );
        if !away {
            assert!(
                cpa < 1.8 && tcpa > 0.0 && tcpa < 12.0,
                "{at_s} s: {cpa} {tcpa}"
            );
        }
    }
    let mut sim = Sim::new();
    sail(&mut sim, &ship, mmsi, 0, (ship.end_ms() - T0) / 1000, false);
    assert_eq!(count(&sim, |e| matches!(e, Event::Dangerous { .. })), 1);
    let cleared: Vec<i64> = sim
        .events
        .iter()
        .filter_map(|e| match e {
            Event::DangerousCleared { at_ms, .. } => Some((at_ms - T0) / 1000),
            _ => None,
        })
        .collect();
    // Outside from the report at 100 s: rectified 30 s of data time later.
    assert_eq!(cleared.len(), 1, "{cleared:?}");
    assert!((130..=131).contains(&cleared[0]), "{cleared:?}");
}

#[test]
fn acknowledged_alarm_that_returns_soon_comes_back_acknowledged() {
    let mmsi = 244000033;
    // Dangerous, turns away for a minute (rectified after the dwell), and
    // back onto 230°: CPA about 1.3 NM, the acknowledged one was 1.15.
    let ship = Voyage::new(crosser_230(), &[(230.0, 60), (60.0, 60), (230.0, 60)]);
    let (acked_cpa, _) = expected_cpa(own(), ship.leg(T0), T0);
    let (back_cpa, back_tcpa) = expected_cpa(own(), ship.leg(T0 + 120_000), T0 + 120_000);
    assert!(clearly_outside(ship.leg(T0 + 60_000), T0 + 60_000));
    assert!(back_cpa < 2.0 && back_tcpa < 12.0 && back_cpa > acked_cpa - 0.2);
    let mut sim = Sim::new();
    let acked = sail(&mut sim, &ship, mmsi, 0, 180, true).expect("alarmed");
    // Two episodes: dangerous, cleared, dangerous again — without a bell.
    assert_eq!(count(&sim, |e| matches!(e, Event::Dangerous { .. })), 2);
    assert_eq!(
        count(&sim, |e| matches!(e, Event::DangerousCleared { .. })),
        1
    );
    let id = AlarmId::Dangerous(mmsi);
    let after = transitions_after(&mut sim, &id, acked);
    assert_eq!(
        after,
        [None, Some(AlarmState::ActiveAcknowledged)],
        "left acknowledged, came back acknowledged"
    );
}

#[test]
fn acknowledged_alarm_that_returns_materially_worse_alarms_again() {
    let mmsi = 244000034;
    // As above, but back onto 270°: CPA about 0.5 NM.
    let ship = Voyage::new(crosser_230(), &[(230.0, 60), (60.0, 60), (270.0, 60)]);
    let (acked_cpa, _) = expected_cpa(own(), ship.leg(T0), T0);
    let (back_cpa, _) = expected_cpa(own(), ship.leg(T0 + 120_000), T0 + 120_000);
    assert!(back_cpa < acked_cpa - 0.4, "{back_cpa} vs {acked_cpa}");
    let mut sim = Sim::new();
    sail(&mut sim, &ship, mmsi, 0, 180, true).expect("alarmed");
    assert_eq!(
        sim.engine
            .traffic
            .alarms
            .get(&AlarmId::Dangerous(mmsi))
            .map(|a| a.state),
        Some(AlarmState::ActiveUnacknowledged)
    );
}

/// The dangerous crosser reports for 20 s and goes silent; a ship 5 NM off
/// on the port quarter, steaming away, goes silent too. Both Class A at
/// 10 kn: lost after 60 s.
fn two_go_silent() -> (Sim, Track, Track) {
    let (danger, other) = (crosser_230(), target(225.0, 5.0, 225.0, 10.0));
    let mut sim = Sim::new();
    for s in 0..=90 {
        let ms = T0 + s * 1000;
        if s <= 20 && s % 10 == 0 {
            sim.feed(&class_a(244000035, &danger, ms, 0, Some(230.0)));
            sim.feed(&class_a(244000036, &other, ms, 0, Some(225.0)));
        }
        sim.feed(&[rmc(&own(), ms)]);
    }
    (sim, danger, other)
}

#[test]
fn dangerous_target_that_goes_silent_is_an_alarm_with_its_last_cpa() {
    let (sim, danger, _) = two_go_silent();
    let (lost_at, was_dangerous, last_cpa) = sim
        .events
        .iter()
        .find_map(|e| match e {
            Event::Lost {
                at_ms,
                mmsi: 244000035,
                was_dangerous,
                last_cpa,
            } => Some((*at_ms, *was_dangerous, *last_cpa)),
            _ => None,
        })
        .expect("lost");
    assert!(was_dangerous);
    // The last CPA/TCPA: the target dead-reckoned to its last evaluation,
    // a second before it was declared lost.
    let (cpa, tcpa) = last_cpa.expect("last CPA known");
    let (ecpa, etcpa) = expected_cpa(own(), danger, lost_at - 1000);
    assert!((cpa - ecpa).abs() < 0.02, "{cpa} vs {ecpa}");
    assert!((tcpa - etcpa).abs() < 0.2, "{tcpa} vs {etcpa}");
    // Its loss is an alarm whose text keeps the last CPA …
    let alarms = &sim.engine.traffic.alarms;
    let lost = alarms.get(&AlarmId::Lost(244000035)).expect("lost alarm");
    assert_eq!(lost.priority, Priority::Alarm);
    assert!(
        lost.text.contains(&format!("last CPA {cpa:.2} NM")),
        "{}",
        lost.text
    );
    // … and the target keeps its last position and CPA for the list.
    let t = &sim.engine.traffic.targets[&244000035];
    assert!(t.lost_dangerous && t.position.is_some());
    assert_eq!(t.cpa.map(|c| c.cpa_nm), Some(cpa));
    // As shown a minute later: the same CPA, the TCPA a minute less.
    let shown = t.shown_cpa(lost_at + 60_000).expect("shown");
    assert_eq!(shown.cpa_nm, cpa);
    assert!((shown.tcpa_min - (tcpa - 1.0)).abs() < 1e-9);
    // The other ship's loss is a warning, ranked below.
    let other = alarms.get(&AlarmId::Lost(244000036)).expect("lost alarm");
    assert_eq!(other.priority, Priority::Warning);
    assert!(sim.engine.traffic.targets[&244000036].cpa.is_none());
    let order: Vec<AlarmId> = alarms.ranked().iter().map(|a| a.id.clone()).collect();
    let at = |id: AlarmId| order.iter().position(|x| *x == id).expect("listed");
    assert!(
        at(AlarmId::Lost(244000035)) < at(AlarmId::Lost(244000036)),
        "{order:?}"
    );
    // Headless: the same, with the priority.
    let json: Vec<serde_json::Value> = sim
        .events
        .iter()
        .filter(|e| matches!(e, Event::Lost { .. }))
        .map(bridgewatch::app::engine::event_json)
        .collect();
    assert_eq!(json.len(), 2);
    let of = |m: u32| json.iter().find(|v| v["mmsi"] == m).expect("event");
    assert_eq!(of(244000035)["priority"], "alarm");
    assert_eq!(of(244000035)["last_cpa_nm"], (cpa * 100.0).round() / 100.0);
    assert_eq!(of(244000036)["priority"], "warning");
    assert!(of(244000036).get("last_cpa_nm").is_none());
}

#[test]
fn unacknowledged_alerts_come_before_acknowledged_alarms() {
    // The crosser keeps reporting and is acknowledged; the other ship goes
    // silent and its lost-target warning, unacknowledged, comes first.
    let (danger, other) = (crosser_230(), target(225.0, 5.0, 225.0, 10.0));
    let mut sim = Sim::new();
    for s in 0..=70 {
        let ms = T0 + s * 1000;
        if s % 10 == 0 {
            sim.feed(&class_a(244000037, &danger, ms, 0, Some(230.0)));
        }
        if s == 0 {
            sim.feed(&class_a(244000038, &other, ms, 0, Some(225.0)));
        }
        sim.feed(&[rmc(&own(), ms)]);
        if s == 5 {
            assert!(
                sim.engine
                    .traffic
                    .alarms
                    .acknowledge(&AlarmId::Dangerous(244000037), ms)
            );
        }
    }
    let ranked = sim.engine.traffic.alarms.ranked();
    let order: Vec<(AlarmId, Priority, bool)> = ranked
        .iter()
        .map(|a| (a.id.clone(), a.priority, a.unacknowledged()))
        .collect();
    assert_eq!(
        order,
        [
            (AlarmId::Lost(244000038), Priority::Warning, true),
            (AlarmId::Dangerous(244000037), Priority::Alarm, false),
        ]
    );
}

#[test]
fn alarm_log_and_headless_events_carry_the_priority() {
    let dir = tempfile::Builder::new()
        .prefix("bridgewatch-test-priority-")
        .tempdir()
        .expect("temp dir");
    // Own ship, the dangerous crosser, an AIS-SART, and a ship that goes
    // silent (lost: a warning), as a recorded file.
    let (danger, quiet) = (crosser_230(), target(225.0, 5.0, 225.0, 10.0));
    let sart = target(90.0, 2.0, 0.0, 0.0);
    let mut lines = Vec::new();
    for s in 0..=75 {
        let ms = T0 + s * 1000;
        lines.push(rmc(&own(), ms));
        if s % 10 == 0 {
            lines.extend(class_a(244000039, &danger, ms, 0, Some(230.0)));
        }
        if s == 0 {
            lines.extend(class_a(244000040, &quiet, ms, 0, Some(225.0)));
            lines.extend(class_a(970000041, &sart, ms, 14, None));
        }
    }
    let file = dir.path().join("priorities.nmea");
    std::fs::write(&file, lines.join("\r\n") + "\r\n").expect("write");
    let config = bridgewatch::app::Config {
        data_dir: Some(dir.path().to_path_buf()),
        ..bridgewatch::app::Config::default()
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    bridgewatch::app::headless::run(
        &config,
        &[bridgewatch::link::InputSpec::File(file)],
        1.0,
        &mut out,
        &mut err,
    )
    .expect("headless run");
    let events: Vec<serde_json::Value> = String::from_utf8(out)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let priority_of = |name: &str| {
        events
            .iter()
            .find(|e| e["event"] == name)
            .map(|e| e["priority"].clone())
    };
    assert_eq!(priority_of("dangerous"), Some("alarm".into()));
    assert_eq!(priority_of("sart"), Some("alarm".into()));
    assert_eq!(priority_of("lost"), Some("warning".into()));
    assert!(
        events
            .iter()
            .filter(
                |e| ["target_new", "link", "summary"].contains(&e["event"].as_str().unwrap_or(""))
            )
            .all(|e| e.get("priority").is_none())
    );
    let log =
        std::fs::read_to_string(dir.path().join("replay").join("alarms.jsonl")).expect("alarm log");
    let entries: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert!(!entries.is_empty());
    for e in &entries {
        assert!(
            ["alarm", "warning", "caution"].contains(&e["priority"].as_str().unwrap_or("")),
            "{e}"
        );
    }
    let class = |c: &str| {
        entries
            .iter()
            .find(|e| e["alarm"] == c)
            .map(|e| e["priority"].clone())
    };
    assert_eq!(class("dangerous"), Some("alarm".into()));
    assert_eq!(class("distress"), Some("alarm".into()));
    assert_eq!(class("lost"), Some("warning".into()));
}

#[test]
fn own_position_lost_makes_cpa_unavailable() {
    let mut sim = Sim::new();
    let t = target(45.0, 3.0, 270.0, 10.0);
    sim.feed(&[rmc(&own(), T0)]);
    sim.feed(&class_a(244000011, &t, T0, 0, Some(270.0)));
    assert!(sim.cpa(244000011).is_some());
    assert!(sim.has(|e| matches!(
        e,
        Event::Dangerous {
            mmsi: 244000011,
            ..
        }
    )));
    // Only the target keeps reporting: after 10 s the own position is lost.
    for s in 1..=15 {
        sim.feed(&class_a(244000011, &t, T0 + s * 1000, 0, Some(270.0)));
    }
    let alarms = &sim.engine.traffic.alarms;
    assert!(sim.has(|e| matches!(e, Event::OwnPositionLost { .. })));
    assert!(sim.cpa(244000011).is_none());
    assert!(alarms.get(&AlarmId::OwnPositionLost).is_some());
    // The dangerous alarm stays (never cleared on missing data), but without
    // numbers that are no longer true.
    let d = alarms
        .get(&AlarmId::Dangerous(244000011))
        .expect("still alarmed");
    assert!(d.cpa_nm.is_none() && d.tcpa_min.is_none(), "{d:?}");
    assert_eq!(
        d.state,
        bridgewatch::traffic::alarm::AlarmState::ActiveUnacknowledged
    );
    assert!(!sim.has(|e| matches!(e, Event::DangerousCleared { .. })));
}

#[test]
fn safety_messages_from_unknown_senders_are_kept() {
    let mut sim = Sim::new();
    let m = AisMessage {
        msg_type: 14,
        repeat: 0,
        mmsi: 211999999,
        body: Body::SafetyBroadcast {
            text: Text::from_str_lossy("SECURITE DREDGER AT KM 780"),
        },
    };
    let lines: Vec<String> = to_vdm(&encode(&m).unwrap(), "AI", false, Some('A'), 0)
        .iter()
        .map(|s| tagged(s, T0))
        .collect();
    sim.feed(&lines);
    assert!(
        sim.has(|e| matches!(e, Event::SafetyMessage(s) if s.from == 211999999 && s.to.is_none()))
    );
    assert_eq!(
        sim.engine.traffic.safety_messages[0].text,
        "SECURITE DREDGER AT KM 780"
    );
}

#[test]
fn absurd_position_jump_is_not_plotted() {
    let mut sim = Sim::new();
    let t = target(45.0, 3.0, 0.0, 5.0);
    sim.feed(&class_a(244000012, &t, T0, 0, Some(0.0)));
    let far = Track {
        p: (10.0, -40.0),
        t_ms: T0,
        cog: 0.0,
        sog: 5.0,
    };
    sim.feed(&class_a(244000012, &far, T0 + 10_000, 0, Some(0.0)));
    let tg = &sim.engine.traffic.targets[&244000012];
    assert_eq!(tg.rejected_positions, 1);
    assert!(tg.position.unwrap().value.0 > 54.0);
}

#[test]
fn lost_target_is_removed_after_the_removal_time() {
    let mut sim = Sim::new();
    let t = target(90.0, 3.0, 0.0, 10.0);
    sim.feed(&class_a(244000013, &t, T0, 0, Some(0.0)));
    for s in 0..=700 {
        sim.feed(&[rmc(&own(), T0 + s * 1000)]);
    }
    let lost = sim
        .events
        .iter()
        .position(|e| matches!(e, Event::Lost { .. }))
        .expect("lost");
    let removed = sim
        .events
        .iter()
        .find_map(|e| match e {
            Event::Removed { at_ms, .. } => Some(*at_ms),
            _ => None,
        })
        .expect("removed");
    assert!(lost > 0);
    // Lost at ~61 s, removed 600 s later.
    assert!(
        (661..=663).contains(&((removed - T0) / 1000)),
        "{}",
        removed - T0
    );
    assert!(!sim.engine.traffic.targets.contains_key(&244000013));
    // Nobody acknowledged the lost alarm: it stays, rectified, until
    // someone does (tests/alarm_rules.rs covers the acknowledged case).
    assert_eq!(
        sim.engine
            .traffic
            .alarms
            .get(&AlarmId::Lost(244000013))
            .map(|a| a.state),
        Some(bridgewatch::traffic::alarm::AlarmState::RectifiedUnacknowledged)
    );
}

#[test]
fn snoozed_target_is_dangerous_with_a_silent_snoozed_alarm() {
    let mut sim = Sim::new();
    sim.feed(&[rmc(&own(), T0)]);
    sim.engine
        .traffic
        .alarms
        .snooze(244000014, T0, T0 + 60_000)
        .expect("snoozed");
    let t = target(45.0, 3.0, 270.0, 10.0);
    sim.feed(&class_a(244000014, &t, T0, 0, Some(270.0)));
    assert!(sim.has(|e| matches!(
        e,
        Event::Dangerous {
            mmsi: 244000014,
            ..
        }
    )));
    // Listed as snoozed, not sounding.
    let state = |sim: &Sim| {
        sim.engine
            .traffic
            .alarms
            .get(&AlarmId::Dangerous(244000014))
            .map(|a| a.state)
    };
    assert_eq!(
        state(&sim),
        Some(AlarmState::Snoozed {
            until_ms: T0 + 60_000
        })
    );
    // After the snooze the alarm sounds.
    sim.feed(&[rmc(&own(), T0 + 61_000)]);
    sim.feed(&class_a(244000014, &t, T0 + 61_000, 0, Some(270.0)));
    assert_eq!(state(&sim), Some(AlarmState::ActiveUnacknowledged));
}

/// A ship 3 NM ahead and 1 NM to starboard of own ship's track, heading
/// 180° at 10 kn: a head-on passing at CPA 1.0 NM, TCPA 3 / 22 h = 8.2 min.
/// At 0:40 it alters to 183°: closing across our track at 10·sin 3° =
/// 0.52 kn with 2.76 NM (3 − 22·40/3600) still to run at 21.99 kn; CPA
/// |21.99·1.0 − 0.52·2.76| / 22.0 ≈ 0.94 NM — 0.06 NM worse, not material.
/// At 1:00 it alters to 200° from (1.0 − 0.52·20/3600 ≈ 0.997 NM across,
/// 3 − 22·60/3600 = 2.63 NM ahead): relative motion (−3.42, −21.40) kn,
/// CPA |0.997·21.40 − 2.63·3.42| / 21.67 ≈ 0.57 NM — 0.43 NM worse than
/// when snoozed, more than 0.2 NM: the snooze ends and the alarm sounds.
#[test]
fn snooze_ends_when_the_cpa_gets_materially_worse() {
    let mmsi = 244000016;
    let id = AlarmId::Dangerous(mmsi);
    let mut sim = Sim::new();
    let leg0 = Track {
        p: destination(destination(OWN_START, 0.0, 3.0), 90.0, 1.0),
        t_ms: T0,
        cog: 180.0,
        sog: 10.0,
    };
    let leg1 = Track {
        p: leg0.at(T0 + 40_000),
        t_ms: T0 + 40_000,
        cog: 183.0,
        sog: 10.0,
    };
    let leg2 = Track {
        p: leg1.at(T0 + 60_000),
        t_ms: T0 + 60_000,
        cog: 200.0,
        sog: 10.0,
    };
    let state = |sim: &Sim| sim.engine.traffic.alarms.get(&id).map(|a| a.state);
    for s in 0..=90 {
        let ms = T0 + s * 1000;
        sim.feed(&[rmc(&own(), ms)]);
        if s % 5 == 0 {
            let leg = [leg2, leg1, leg0]
                .into_iter()
                .find(|l| l.t_ms <= ms)
                .expect("a leg");
            sim.feed(&class_a(mmsi, &leg, ms, 0, Some(leg.cog)));
        }
        if s == 30 {
            let (cpa, tcpa) = sim.cpa(mmsi).expect("CPA");
            assert!((cpa - 1.0).abs() < 0.03, "{cpa}");
            assert!((tcpa - (8.18 - 0.5)).abs() < 0.1, "{tcpa}");
            assert_eq!(state(&sim), Some(AlarmState::ActiveUnacknowledged));
            sim.engine
                .traffic
                .alarms
                .snooze(mmsi, ms, ms + 600_000)
                .expect("snoozed");
            sim.engine.traffic.alarms.take_transitions();
        }
        if (31..60).contains(&s) {
            assert!(
                matches!(state(&sim), Some(AlarmState::Snoozed { .. })),
                "snooze holds at {s} s: {:?} CPA {:?}",
                state(&sim),
                sim.cpa(mmsi)
            );
        }
    }
    let (cpa, _) = sim.cpa(mmsi).expect("CPA");
    assert!((cpa - 0.57).abs() < 0.05, "{cpa}");
    assert_eq!(state(&sim), Some(AlarmState::ActiveUnacknowledged));
    let ended: Vec<_> = sim
        .engine
        .traffic
        .alarms
        .take_transitions()
        .into_iter()
        .filter(|t| t.id == id)
        .collect();
    assert_eq!(ended.len(), 1, "{ended:?}");
    assert_eq!(
        ended[0].at_ms,
        T0 + 60_000,
        "at the report that made it worse"
    );
    let why = ended[0].reason.as_deref().unwrap_or("");
    assert!(why.starts_with("snooze ended: CPA 0.5"), "{why}");
    // The snooze is gone: the target is no longer marked snoozed.
    assert!(!sim.engine.traffic.alarms.is_snoozed(mmsi, T0 + 90_000));
}

#[test]
fn sleeping_targets_beyond_activation_range_alarm_only_when_configured() {
    let far = target(30.0, 6.5, 210.0, 25.0); // outside 6 NM, closing fast
    for (sleeping, expect) in [(false, false), (true, true)] {
        let mut config = TrafficConfig::default();
        config.alarms.sleeping_targets = sleeping;
        let mut sim = Sim {
            engine: Engine::new(config, false),
            events: Vec::new(),
        };
        sim.feed(&[rmc(&own(), T0)]);
        sim.feed(&class_a(244000015, &far, T0, 0, Some(210.0)));
        let (cpa, tcpa) = sim.cpa(244000015).unwrap();
        assert!(cpa < 2.0 && tcpa < 12.0, "{cpa} {tcpa}");
        assert_eq!(
            sim.has(|e| matches!(e, Event::Dangerous { .. })),
            expect,
            "sleeping_targets = {sleeping}"
        );
    }
}

#[test]
fn transponder_alarm_is_relayed_and_rectified() {
    let mut sim = Sim::new();
    let on = tagged("$AIALR,120000.00,007,A,V,AIS: UTC Lost*7D", T0);
    let on = on.replace(
        "*7D",
        &format!(
            "*{:02X}",
            checksum(b"AIALR,120000.00,007,A,V,AIS: UTC Lost")
        ),
    );
    sim.feed(&[on]);
    assert!(sim.has(|e| matches!(e, Event::TransponderAlarm { active: true, .. })));
    let id = AlarmId::Transponder("007".into());
    assert!(sim.engine.traffic.alarms.get(&id).is_some());
    let body = "AIALR,120001.00,007,V,V,AIS: UTC Lost";
    let off = tagged(
        &format!("${body}*{:02X}", checksum(body.as_bytes())),
        T0 + 1000,
    );
    sim.feed(&[off]);
    assert!(sim.has(|e| matches!(e, Event::TransponderAlarm { active: false, .. })));
    assert_eq!(
        sim.engine.traffic.alarms.get(&id).unwrap().state,
        bridgewatch::traffic::alarm::AlarmState::RectifiedUnacknowledged
    );
}

#[test]
fn disabled_alarm_classes_are_reported_for_the_permanent_flag() {
    let mut config = TrafficConfig::default();
    config.alarms.lost = false;
    let mut sim = Sim {
        engine: Engine::new(config, false),
        events: Vec::new(),
    };
    assert_eq!(sim.engine.traffic.disabled_alarm_classes(), ["lost"]);
    let t = target(90.0, 3.0, 0.0, 10.0);
    sim.feed(&class_a(244000016, &t, T0, 0, Some(0.0)));
    for s in 0..=90 {
        sim.feed(&[rmc(&own(), T0 + s * 1000)]);
    }
    // The state is still shown; only the alarm is off.
    assert!(sim.has(|e| matches!(e, Event::Lost { .. })));
    assert!(
        sim.engine
            .traffic
            .alarms
            .get(&AlarmId::Lost(244000016))
            .is_none()
    );
}

#[test]
fn own_ship_without_cog_sog_gives_no_cpa_rather_than_a_guess() {
    let mut sim = Sim::new();
    // GGA only: position, no course or speed.
    let gga = bridgewatch::sim::gga(T0, (54.5, 11.0), "1", "08");
    sim.feed(&[tagged(&gga, T0)]);
    let t = target(45.0, 3.0, 270.0, 10.0);
    sim.feed(&class_a(244000017, &t, T0, 0, Some(270.0)));
    let tg = &sim.engine.traffic.targets[&244000017];
    assert!(
        tg.bearing_range.is_some(),
        "bearing and range need only positions"
    );
    assert!(tg.cpa.is_none(), "own motion unknown: CPA not available");
}

/// The figures docs/geodesy.md records: over a grid of close encounters
/// (target 2–10 NM away, both ships 5–25 kn, latitudes 0–75° N/S) the
/// largest CPA and TCPA error against the ellipsoidal search where CPA is
/// under 3 NM and TCPA under 30 min, with relative speed of 2 kn or more.
#[test]
fn cpa_accuracy_over_a_grid_of_encounters() {
    let (mut worst_cpa, mut worst_tcpa, mut n) = (0.0f64, 0.0f64, 0);
    for lat in [0.0, 30.0, 54.5, 60.0, 70.0, 75.0, -54.5, -75.0] {
        for brg in [0.0, 40.0, 90.0, 135.0, 200.0, 300.0] {
            for range in [2.0, 6.0, 10.0] {
                for (own_cog, own_sog) in [(0.0, 12.0), (90.0, 20.0), (225.0, 8.0)] {
                    for rel_course in [150.0, 180.0, 200.0, 250.0] {
                        for sog in [5.0, 15.0, 25.0] {
                            let start = (lat, 179.95);
                            let o = Track {
                                p: start,
                                t_ms: T0,
                                cog: own_cog,
                                sog: own_sog,
                            };
                            // Aimed roughly at own ship: back along the bearing.
                            let cog: f64 = ((brg + rel_course) % 360.0_f64).round();
                            let t = Track {
                                p: destination(start, brg, range),
                                t_ms: T0,
                                cog,
                                sog,
                            };
                            let mut sim = Sim::new();
                            sim.feed(&class_a(244000099, &t, T0, 0, Some(t.cog)));
                            sim.feed(&[rmc(&o, T0)]);
                            let Some((cpa, tcpa)) = sim.cpa(244000099) else {
                                panic!("no CPA at {lat} {brg} {range}");
                            };
                            let (ecpa, etcpa) = expected_cpa(o, t, T0);
                            let rel_kn = {
                                let a = bridgewatch::traffic::geo::velocity(cog, sog);
                                let b = bridgewatch::traffic::geo::velocity(own_cog, own_sog);
                                (a.east - b.east).hypot(a.north - b.north)
                            };
                            if ecpa < 3.0
                                && etcpa > 0.5
                                && tcpa > 0.5
                                && etcpa < 30.0
                                && rel_kn >= 2.0
                            {
                                n += 1;
                                worst_cpa = worst_cpa.max((cpa - ecpa).abs());
                                worst_tcpa = worst_tcpa.max((tcpa - etcpa).abs());
                            }
                        }
                    }
                }
            }
        }
    }
    eprintln!("{n} encounters: CPA error ≤ {worst_cpa:.4} NM, TCPA error ≤ {worst_tcpa:.4} min");
    assert!(n > 300, "{n}");
    assert!(
        worst_cpa < 0.02 && worst_tcpa < 0.2,
        "{worst_cpa} {worst_tcpa}"
    );
}

mod random_geometry {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// For random encounters within 12 NM at latitudes up to 75° N/S
        /// (own ship near the antimeridian in a third of them), the
        /// engine's CPA/TCPA (local plane with the ellipsoid's radii at own
        /// ship's latitude, both ships at one instant) agree with the
        /// independent ellipsoidal rhumb-line search. Where alarms are
        /// decided (CPA under 3 NM, TCPA under 30 min) within 0.02 NM and
        /// 0.2 min; farther out the plane model's error grows with the leg
        /// run before the CPA (meridians converge), so the bound there is
        /// 0.02 NM + 0.5 % of the CPA + 0.003 NM per minute × tan(lat).
        #[test]
        fn engine_cpa_matches_independent_search(
            brg in 0.0f64..360.0, range in 0.5f64..12.0,
            own_cog in 0.0f64..360.0, own_sog in 0.0f64..25.0,
            cog in 0.0f64..360.0, sog in 0.5f64..25.0, lag_s in 0i64..30,
            lat in -75.0f64..75.0, lon_pick in 0usize..3,
        ) {
            let start = (lat, [OWN_START.1, 179.95, -179.95][lon_pick]);
            let o = Track { p: start, t_ms: T0, cog: own_cog, sog: (own_sog * 10.0).round() / 10.0 };
            let t = Track { p: destination(start, brg, range), t_ms: T0, cog: ((cog * 10.0).round() / 10.0) % 360.0, sog: (sog * 10.0).round() / 10.0 };
            let mut sim = Sim::new();
            // The target reported `lag_s` before own ship's fix.
            sim.feed(&class_a(244000099, &t, T0, 0, Some(t.cog)));
            sim.feed(&[rmc(&o, T0 + lag_s * 1000)]);
            sim.engine.traffic.tick(T0 + lag_s * 1000);
            let (cpa, tcpa) = sim.cpa(244000099).expect("computed");
            let now = T0 + lag_s * 1000;
            let (ecpa, etcpa) = expected_cpa(o, t, now);
            // The independent search only looks ahead; compare the past
            // closest point only by distance.
            if tcpa > 0.0 && tcpa < 55.0 {
                let tan = lat.to_radians().tan().abs().max(1.0);
                let loose = 0.02 + 0.005 * ecpa + 0.003 * tan * etcpa.max(tcpa);
                prop_assert!((cpa - ecpa).abs() < loose, "CPA {} vs {}", cpa, ecpa);
                // At the engine's TCPA the ships really are (almost) as close
                // as they get: well-conditioned even when the relative speed
                // is so small that the moment of closest approach is not.
                let at = now + (tcpa * 60_000.0) as i64;
                let d_at = range_nm(o.at(at), t.at(at));
                prop_assert!(d_at - ecpa < loose, "distance at TCPA {} vs CPA {}", d_at, ecpa);
                let rel = bridgewatch::traffic::geo::velocity(t.cog, t.sog);
                let own_v = bridgewatch::traffic::geo::velocity(o.cog, o.sog);
                let rel_kn = (rel.east - own_v.east).hypot(rel.north - own_v.north);
                // The moment itself is compared where it is well defined:
                // a close pass with real relative motion (for a distant or
                // slow pass the distance curve is flat and the minimum moves
                // with any model difference, e.g. converging meridians).
                if ecpa < 3.0 && etcpa < 30.0 {
                    prop_assert!((cpa - ecpa).abs() < 0.02, "CPA {} vs {}", cpa, ecpa);
                    if rel_kn >= 2.0 {
                        // How well the moment is defined: near it the
                        // distance grows only by (v·Δt)² / (2·CPA), so a
                        // distance difference of 0.002 NM between the
                        // engine's model and the search moves the minimum
                        // by up to √(2·CPA·0.002) / v.
                        let v = rel_kn / 60.0;
                        let flat = (2.0 * ecpa * 0.002).sqrt() / v;
                        prop_assert!(
                            (tcpa - etcpa).abs() < 0.2 + flat,
                            "TCPA {} vs {} (CPA {}, relative {} kn)", tcpa, etcpa, ecpa, rel_kn
                        );
                    }
                }
            }
        }
    }
}

/// A ship 3 NM on the starboard beam on a parallel course (000° at 12 kn,
/// like own ship): inside the 6 NM activation range and never dangerous.
/// At 1:00 it turns to 270° at 20 kn: relative motion (−20, −12) kn from
/// (3, 0) NM, CPA 3·12 / 23.3 ≈ 1.54 NM, TCPA 3·20 / 544 h ≈ 6.6 min —
/// dangerous.
#[test]
fn a_manual_sleep_holds_inside_the_activation_range_until_dangerous() {
    use bridgewatch::traffic::target::Activation;
    let mmsi = 244000017;
    let mut sim = Sim::new();
    let beam = target(90.0, 3.0, 0.0, 12.0);
    let turned = Track {
        p: beam.at(T0 + 60_000),
        t_ms: T0 + 60_000,
        cog: 270.0,
        sog: 20.0,
    };
    let activation = |sim: &Sim| sim.engine.traffic.targets[&mmsi].activation;
    let step = |sim: &mut Sim, s: i64| {
        let ms = T0 + s * 1000;
        sim.feed(&[rmc(&own(), ms)]);
        if s % 2 == 0 {
            let leg = if ms >= turned.t_ms { turned } else { beam };
            sim.feed(&class_a(mmsi, &leg, ms, 0, Some(leg.cog)));
        }
    };
    step(&mut sim, 0);
    assert_eq!(
        activation(&sim),
        Activation::Activated,
        "activated by range"
    );
    sim.engine.traffic.activate(mmsi, false);
    for s in 1..=20 {
        step(&mut sim, s);
    }
    assert_eq!(activation(&sim), Activation::Sleeping, "the sleep holds");
    assert!(!sim.engine.traffic.targets[&mmsi].dangerous);
    // The officer activates it, then sleeps it again: it holds again.
    sim.engine.traffic.activate(mmsi, true);
    step(&mut sim, 21);
    assert_eq!(activation(&sim), Activation::Activated);
    sim.engine.traffic.activate(mmsi, false);
    for s in 22..=59 {
        step(&mut sim, s);
    }
    assert_eq!(activation(&sim), Activation::Sleeping);
    // Dangerous: the range activates it again.
    for s in 60..=64 {
        step(&mut sim, s);
    }
    let (cpa, tcpa) = sim.cpa(mmsi).expect("CPA");
    assert!(
        (cpa - 1.54).abs() < 0.05 && (tcpa - 6.5).abs() < 0.2,
        "{cpa} {tcpa}"
    );
    assert!(sim.engine.traffic.targets[&mmsi].dangerous);
    assert_eq!(activation(&sim), Activation::Activated);
    assert!(!sim.engine.traffic.targets[&mmsi].slept_by_officer);
}

// ---------------------------------------------------------------------------
// Own ship yawing ±5°: an acknowledgement (or a snooze) holds through the
// swing of the CPA that the yaw alone makes; a real alteration of the
// target alarms again (docs/alerts.md, "The acknowledgement holds").

/// Own ship steering 090° at 12 kn along the mean track; its COG yaws ±5°
/// with a period of 24 s (095° at s = 6, 30, 54, …). The yaw itself moves
/// the ship about 2 m either side of the track, which is left out.
fn own_090() -> Track {
    Track {
        p: OWN_START,
        t_ms: T0,
        cog: 90.0,
        sog: 12.0,
    }
}

fn own_yaw_cog(s: i64) -> f64 {
    90.0 + 5.0 * (std::f64::consts::TAU * s as f64 / 24.0).sin()
}

/// A target 5.5 NM on a bearing of 050° at T0, steady on 220° at 20 kn.
/// Worked out in the plane: with own ship on 090° its CPA is 0.80 NM in
/// 11.2 min, on 085° 0.63 NM, on 095° 0.96 NM; its TCPA is 12 min at
/// about s = −48, when it becomes dangerous. The premise is checked in
/// each test by the independent search.
fn yaw_target() -> Track {
    target(50.0, 5.5, 220.0, 20.0)
}

/// Own ship's fix (with the yawing COG) every second and the target's
/// report every 2 s from `from_s` to `to_s`; `at(s)` is the target's
/// position and COG; `each` is called after every second.
fn yaw_run(
    sim: &mut Sim,
    mmsi: u32,
    (from_s, to_s): (i64, i64),
    at: &dyn Fn(i64) -> ((f64, f64), f64),
    mut each: impl FnMut(&mut Sim, i64),
) {
    for s in from_s..=to_s {
        let ms = T0 + s * 1000;
        if s % 2 == 0 {
            let (p, cog) = at(s);
            let m = bridgewatch::sim::class_a(mmsi, p, Some(cog), 20.0, 0, (ms / 1000 % 60) as u8);
            sim.feed(&bridgewatch::sim::vdm(&m, ms, false, 'A', 0));
        }
        let fix = bridgewatch::sim::rmc(ms, own_090().at(ms), own_yaw_cog(s), 12.0);
        sim.feed(&[tagged(&fix, ms)]);
        each(sim, s);
    }
}

/// The independent CPA of a target track against own ship as it reports
/// itself at second `s` (mean position, yawing COG).
fn yaw_cpa(tgt: Track, s: i64) -> (f64, f64) {
    let ms = T0 + s * 1000;
    let as_reported = Track {
        p: own_090().at(ms),
        t_ms: ms,
        cog: own_yaw_cog(s),
        sog: 12.0,
    };
    expected_cpa(as_reported, tgt, ms)
}

/// The premise of the yaw tests, independently: from s = −24 the CPA swings
/// by the yaw alone from under 0.66 to over 0.92 NM, TCPA inside 12 min.
fn assert_yaw_premise() {
    let (mut lo, mut hi) = (f64::MAX, f64::MIN);
    for s in (-24..=40).step_by(2) {
        let (cpa, tcpa) = yaw_cpa(yaw_target(), s);
        assert!(tcpa > 0.0 && tcpa < 12.0, "TCPA {tcpa} at {s} s");
        lo = lo.min(cpa);
        hi = hi.max(cpa);
    }
    assert!(lo < 0.66 && hi > 0.92, "CPA swings {lo:.3}–{hi:.3} NM");
}

/// Run the yaw scenario from s = −150 (the target tracked, not yet
/// dangerous) to `to_s`, the target as `at` says; the officer
/// acknowledges the alarm at the first top of a swing (CPA over 0.9 NM).
/// Returns the second and the CPA of the acknowledgement, and the lowest
/// CPA the engine computed after it.
fn yaw_acknowledged(
    sim: &mut Sim,
    mmsi: u32,
    to_s: i64,
    at: &dyn Fn(i64) -> ((f64, f64), f64),
) -> ((i64, f64), f64) {
    let id = AlarmId::Dangerous(mmsi);
    let mut acked = None;
    let mut low_after = f64::MAX;
    yaw_run(sim, mmsi, (-150, to_s), at, |sim, s| {
        let Some((cpa, _)) = sim.cpa(mmsi) else {
            return;
        };
        if acked.is_some() {
            low_after = low_after.min(cpa);
        } else if sim.engine.traffic.alarms.get(&id).is_some() && cpa > 0.9 {
            assert!(sim.engine.traffic.alarms.acknowledge(&id, T0 + s * 1000));
            acked = Some((s, cpa));
        }
    });
    (acked.expect("alarmed and acknowledged"), low_after)
}

/// First second after `after_s` at which the alarm became unacknowledged.
fn first_unacknowledged(sim: &mut Sim, id: &AlarmId, after_s: i64) -> Option<i64> {
    sim.engine
        .traffic
        .alarms
        .take_transitions()
        .into_iter()
        .filter(|t| &t.id == id && t.at_ms > T0 + after_s * 1000)
        .find(|t| t.state == Some(AlarmState::ActiveUnacknowledged))
        .map(|t| (t.at_ms - T0) / 1000)
}

#[test]
fn own_yaw_does_not_undo_the_acknowledgement() {
    assert_yaw_premise();
    let mmsi = 244000041;
    let id = AlarmId::Dangerous(mmsi);
    let tgt = yaw_target();
    let steady = move |s: i64| (tgt.at(T0 + s * 1000), 220.0);
    let mut sim = Sim::new();
    let ((ack_s, ack_cpa), low_after) = yaw_acknowledged(&mut sim, mmsi, 420, &steady);
    // Acknowledged at the top of a swing less than a yaw period after the
    // alarm; the bottoms that follow are more than the band (0.2 NM at
    // this range) below the acknowledged CPA.
    let raised = sim.events.iter().find_map(|e| match e {
        Event::Dangerous { at_ms, .. } => Some((at_ms - T0) / 1000),
        _ => None,
    });
    assert!(
        raised.is_some_and(|r| ack_s - r < 24),
        "raised at {raised:?} s, acknowledged at {ack_s} s"
    );
    assert!(
        low_after < ack_cpa - 0.25,
        "CPA {low_after:.3} after {ack_cpa:.3}"
    );
    assert_eq!(count(&sim, |e| matches!(e, Event::Dangerous { .. })), 1);
    // Seven and a half minutes of yaw: it stays acknowledged, no bell.
    assert_eq!(first_unacknowledged(&mut sim, &id, ack_s), None);
    assert_eq!(
        sim.engine.traffic.alarms.get(&id).map(|a| a.state),
        Some(AlarmState::ActiveAcknowledged)
    );
}

/// The same target alters to port at s = 240, 1°/s from 220° to 206°:
/// CPA from about 0.8 NM to about 0.2 NM.
fn altering_at_240(tgt: Track) -> impl Fn(i64) -> ((f64, f64), f64) {
    let cog = |s: i64| (220.0 - (s - 240) as f64).max(206.0);
    let mut path = vec![tgt.at(T0 + 240_000)];
    for s in 240..=600 {
        let p = path[path.len() - 1];
        path.push(rhumb(p, cog(s), 20.0 / 3600.0));
    }
    move |s: i64| {
        if s <= 240 {
            (tgt.at(T0 + s * 1000), 220.0)
        } else {
            (path[(s - 240) as usize], cog(s))
        }
    }
}

#[test]
fn real_alteration_after_a_yaw_acknowledgement_alarms_again_promptly() {
    assert_yaw_premise();
    let mmsi = 244000042;
    let id = AlarmId::Dangerous(mmsi);
    let at = altering_at_240(yaw_target());
    // The premise: steady on 206° after the turn, the CPA is about 0.2 NM
    // whatever the yaw (0.12–0.33 NM), by the independent search.
    let (p, _) = at(254);
    let after = Track {
        p,
        t_ms: T0 + 254_000,
        cog: 206.0,
        sog: 20.0,
    };
    for s in 254..=278 {
        let (cpa, tcpa) = yaw_cpa(after, s);
        assert!(cpa < 0.36 && tcpa > 0.0 && tcpa < 12.0, "{s}: {cpa} {tcpa}");
    }
    let mut sim = Sim::new();
    let ((ack_s, _), _) = yaw_acknowledged(&mut sim, mmsi, 300, &at);
    let back = first_unacknowledged(&mut sim, &id, ack_s);
    eprintln!("acknowledged at {ack_s} s, unacknowledged again at {back:?} s");
    // Not before the turn; at the latest when the turn is done (the CPA
    // crosses the reference less the band halfway through it).
    assert!(back.is_some_and(|s| (240..=254).contains(&s)), "{back:?}");
}

#[test]
fn own_yaw_does_not_end_a_snooze() {
    assert_yaw_premise();
    let mmsi = 244000043;
    let id = AlarmId::Dangerous(mmsi);
    let tgt = yaw_target();
    let steady = move |s: i64| (tgt.at(T0 + s * 1000), 220.0);
    let mut sim = Sim::new();
    let mut snoozed = None;
    // The first data time at which the TCPA is at or below half the TCPA
    // limit (6 min): the snooze may end there, never before.
    let mut half_at = None;
    yaw_run(&mut sim, mmsi, (-150, 420), &steady, |sim, s| {
        let ms = T0 + s * 1000;
        if snoozed.is_none()
            && sim.engine.traffic.alarms.get(&id).is_some()
            && sim.cpa(mmsi).is_some_and(|c| c.0 > 0.9)
        {
            sim.engine
                .traffic
                .alarms
                .snooze(mmsi, ms, ms + 600_000)
                .expect("snoozed");
            snoozed = Some(s);
        }
        if half_at.is_none() && sim.cpa(mmsi).is_some_and(|c| c.1 <= 6.0) {
            half_at = Some(ms);
        }
    });
    assert!(snoozed.is_some_and(|s| s < 0), "{snoozed:?}");
    let ended: Vec<(i64, String)> = sim
        .engine
        .traffic
        .alarms
        .take_transitions()
        .into_iter()
        .filter_map(|t| Some((t.at_ms, t.reason?)))
        .collect();
    // Yaw alone never ends it: the only end is the TCPA bound, once.
    assert!(ended.len() <= 1, "{ended:?}");
    for (at, why) in &ended {
        assert!(why.contains("half the TCPA limit"), "{ended:?}");
        assert!(
            half_at.is_some_and(|h| *at >= h - 1000),
            "{ended:?} {half_at:?}"
        );
    }
    let state = sim.engine.traffic.alarms.get(&id).map(|a| a.state);
    if ended.is_empty() {
        assert!(
            matches!(state, Some(AlarmState::Snoozed { .. })),
            "{state:?}"
        );
    } else {
        assert_eq!(state, Some(AlarmState::ActiveUnacknowledged));
    }
}

#[test]
fn cancelling_a_snooze_of_an_acknowledged_alarm_leaves_it_acknowledged() {
    assert_yaw_premise();
    let mmsi = 244000044;
    let id = AlarmId::Dangerous(mmsi);
    let tgt = yaw_target();
    let steady = move |s: i64| (tgt.at(T0 + s * 1000), 220.0);
    let mut sim = Sim::new();
    let ((ack_s, _), _) = yaw_acknowledged(&mut sim, mmsi, 0, &steady);
    // `z` at the next top of a swing, `z` again at the bottom.
    yaw_run(&mut sim, mmsi, (1, 300), &steady, |sim, s| {
        let ms = T0 + s * 1000;
        if s == 6 {
            sim.engine
                .traffic
                .alarms
                .snooze(mmsi, ms, ms + 600_000)
                .expect("snoozed");
        }
        if s == 18 {
            assert!(sim.engine.traffic.alarms.cancel_snooze(mmsi, ms));
        }
    });
    assert_eq!(first_unacknowledged(&mut sim, &id, ack_s), None);
    assert_eq!(
        sim.engine.traffic.alarms.get(&id).map(|a| a.state),
        Some(AlarmState::ActiveAcknowledged)
    );
}
