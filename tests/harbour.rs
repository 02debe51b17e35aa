//! What a real watch hits in port and with a wrong setting: the harbour
//! rule (a ship alongside is not in danger from its neighbours), a wrong
//! own MMSI that must not hide a ship, a snooze that cannot outlast the
//! encounter, silences and snoozes on the wall clock, the figures of each
//! logged transition, and the end of a replay. Driven through the engine
//! with sentences our own encoders make and tag-block data times; the
//! expected times and ranges are worked out here, in the comments, from a
//! great-circle destination written independently of the engine.

use bridgewatch::app::engine::Engine;
use bridgewatch::sim::tagged;
use bridgewatch::traffic::Event;
use bridgewatch::traffic::alarm::{AlarmId, AlarmState};
use bridgewatch::traffic::config::TrafficConfig;

const R_NM: f64 = 3440.065;
const T0: i64 = 1_795_000_000_000; // 2026-11-18, ms
const BERTH: (f64, f64) = (53.18, 5.43);

/// Great-circle destination from `p`, `course` degrees true, `dist_nm`.
fn destination(p: (f64, f64), course: f64, dist_nm: f64) -> (f64, f64) {
    let (lat1, lon1) = (p.0.to_radians(), p.1.to_radians());
    let d = dist_nm / R_NM;
    let c = course.to_radians();
    let lat2 = (lat1.sin() * d.cos() + lat1.cos() * d.sin() * c.cos()).asin();
    let lon2 = lon1 + (c.sin() * d.sin() * lat1.cos()).atan2(d.cos() - lat1.sin() * lat2.sin());
    (lat2.to_degrees(), lon2.to_degrees())
}

/// A small deterministic noise source (no dependence on the engine).
struct Noise(u64);

impl Noise {
    /// Uniform in [0, 1).
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }
}

struct Sim {
    engine: Engine,
    events: Vec<Event>,
}

impl Sim {
    fn with(config: TrafficConfig) -> Sim {
        Sim {
            engine: Engine::new(config, false),
            events: Vec::new(),
        }
    }
    fn new() -> Sim {
        Sim::with(TrafficConfig::default())
    }
    fn feed(&mut self, lines: &[String]) {
        for l in lines {
            self.engine.push_line(Some(l.as_bytes()), 0);
        }
        self.events.extend(self.engine.traffic.take_events());
    }
    fn own(&mut self, ms: i64, pos: (f64, f64), cog: f64, sog: f64) {
        self.feed(&[tagged(&bridgewatch::sim::rmc(ms, pos, cog, sog), ms)]);
    }
    fn ship(&mut self, mmsi: u32, ms: i64, pos: (f64, f64), cog: f64, sog: f64, status: u8) {
        let m =
            bridgewatch::sim::class_a(mmsi, pos, Some(cog), sog, status, ((ms / 1000) % 60) as u8);
        self.feed(&bridgewatch::sim::vdm(&m, ms, false, 'A', 0));
    }
    fn dangerous(&self, mmsi: u32) -> Vec<i64> {
        self.events
            .iter()
            .filter_map(|e| match e {
                Event::Dangerous { mmsi: m, at_ms, .. } if *m == mmsi => Some(*at_ms),
                _ => None,
            })
            .collect()
    }
    fn any_dangerous(&self) -> usize {
        self.events
            .iter()
            .filter(|e| matches!(e, Event::Dangerous { .. }))
            .count()
    }
}

// ---------------------------------------------------------------------------
// The harbour rule.

/// The merrimac capture (own ship at a berth, RMC SOG 0.20–0.23 kn of GNSS
/// noise, 51 ships around, most moored at SOG 0.0): 9 neighbours were
/// "dangerous" within 9 s. Two still ships are not on a collision course.
/// One ship there really moves — 244690118, restricted in her ability to
/// manoeuvre, at 2.2–3.0 kn (its own reports) with CPA 0.71 NM in 9.6 min —
/// and still alarms.
#[test]
fn the_merrimac_berth_alarms_only_for_the_ship_under_way() {
    let text = include_str!("data/signalk/nais300-merrimac.log");
    // Reports before the first RMC take its time, 2012-06-18T16:33:18Z, as
    // a replay of the file does.
    let first_ms = 1_340_037_198_000;
    let mut sim = Sim::new();
    sim.engine.replay_starts(Some(first_ms), 0);
    // Every ship the rule held from an alarm at some moment.
    let mut held = std::collections::BTreeSet::new();
    let mut shown = 0;
    for l in text.lines() {
        sim.engine.push_line(Some(l.as_bytes()), 0);
        shown = shown.max(sim.engine.traffic.still_holding());
        held.extend(
            sim.engine
                .traffic
                .targets
                .values()
                .filter(|t| t.still.is_some_and(|x| x.holding))
                .map(|t| t.mmsi),
        );
    }
    sim.events.extend(sim.engine.traffic.take_events());
    let alarmed: Vec<u32> = sim
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Dangerous { mmsi, .. } => Some(*mmsi),
            _ => None,
        })
        .collect();
    assert_eq!(alarmed, [244_690_118], "only the ship under way");
    // With the rule off, the same capture alarms again (the old picture).
    let mut config = TrafficConfig::default();
    config.alarms.still_sog_kn = 0.0;
    let mut off = Sim::with(config);
    off.engine.replay_starts(Some(first_ms), 0);
    for l in text.lines() {
        off.engine.push_line(Some(l.as_bytes()), 0);
    }
    off.events.extend(off.engine.traffic.take_events());
    let old: std::collections::BTreeSet<u32> = off
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Dangerous { mmsi, .. } if *mmsi != 244_690_118 => Some(*mmsi),
            _ => None,
        })
        .collect();
    assert!(old.len() >= 6, "{old:?}");
    assert_eq!(off.engine.traffic.still_holding(), 0);
    // The rule, and nothing else, kept each of them quiet, and said so
    // while it did (a count on screen).
    assert!(old.is_subset(&held), "old {old:?}, held {held:?}");
    assert!(shown >= 1);
}

/// A generated berth: own GNSS wanders ±5 m with SOG 0.05–0.3 kn on a random
/// COG; ten ships moored 0.03–0.5 NM around report SOG 0.0–0.3 kn on random
/// COGs every 10 s. Half an hour of it raises no CPA alarm. Then a ship
/// under way at 6 kn passes 0.15 NM north of the berth: placed 0.8 NM east
/// of its CPA point, its TCPA is 0.8 / 6 h = 8.0 min and CPA 0.15 NM, so it
/// is dangerous at its very first report.
#[test]
fn a_berth_with_noise_is_quiet_and_a_ship_passing_close_alarms_at_once() {
    let mut n = Noise(7);
    let mut sim = Sim::new();
    let neighbours: Vec<(u32, (f64, f64))> = (0..10)
        .map(|i| {
            let brg = n.between(0.0, 360.0);
            let rng = n.between(0.03, 0.5);
            (244_100_100 + i, destination(BERTH, brg, rng))
        })
        .collect();
    for s in 0..1800i64 {
        let ms = T0 + s * 1000;
        let jitter = destination(BERTH, n.between(0.0, 360.0), n.between(0.0, 5.0) / 1852.0);
        sim.own(ms, jitter, n.between(0.0, 360.0), n.between(0.05, 0.3));
        if s % 10 == 0 {
            for (mmsi, p) in &neighbours {
                let p = destination(*p, n.between(0.0, 360.0), n.between(0.0, 5.0) / 1852.0);
                let (cog, sog) = (n.between(0.0, 360.0), (n.between(0.0, 3.0)).floor() / 10.0);
                sim.ship(*mmsi, ms + 300, p, cog, sog, 5);
            }
        }
    }
    assert_eq!(sim.any_dangerous(), 0);
    // The passer's first report, half a second after own fix.
    let cpa_point = destination(BERTH, 0.0, 0.15);
    let start = destination(cpa_point, 90.0, 0.8);
    let ms = T0 + 1_800_000;
    sim.own(ms, BERTH, 45.0, 0.0);
    sim.ship(244_100_999, ms + 500, start, 270.0, 6.0, 0);
    assert_eq!(sim.dangerous(244_100_999), [ms + 500]);
    let c = sim.engine.traffic.targets[&244_100_999].cpa.expect("cpa");
    assert!((c.cpa_nm - 0.15).abs() < 0.01, "{c:?}");
    assert!((c.tcpa_min - 8.0).abs() < 0.05, "{c:?}");
}

/// Own ship drags its anchor at 0.8 kn straight towards a ship moored
/// 0.2 NM downwind: not a still pair (0.8 kn is above the 0.5 kn of the
/// rule), so CPA/TCPA judge it at once: CPA 0, and TCPA = range / 0.8 kn
/// falls under 12 min when the range is 0.16 NM, 0.04 NM = 3.0 min after
/// the start.
#[test]
fn own_ship_dragging_towards_a_moored_ship_alarms() {
    let moored = destination(BERTH, 180.0, 0.2);
    let mut sim = Sim::new();
    for s in 0..400i64 {
        let ms = T0 + s * 1000;
        sim.own(
            ms,
            destination(BERTH, 180.0, 0.8 * s as f64 / 3600.0),
            180.0,
            0.8,
        );
        if s % 10 == 0 {
            sim.ship(244_100_001, ms + 500, moored, 0.0, 0.0, 5);
        }
    }
    let at = sim.dangerous(244_100_001);
    assert_eq!(at.len(), 1, "{at:?}");
    let after_s = (at[0] - T0) as f64 / 1000.0;
    assert!(
        (179.0..=182.0).contains(&after_s),
        "dangerous after {after_s} s"
    );
}

/// A slow drag, 0.3 kn, is inside the still speed: the rule must see it
/// in the positions. It closes 0.3 kn × 30 min = 0.15 NM from 0.2 NM; the
/// CPA rule alone would alarm at TCPA 12 min, range 0.06 NM, after
/// (0.2 − 0.06) / 0.3 h = 28.0 min. The rule lets it through well before:
/// the positions show the pair closing within minutes, then CPA/TCPA
/// judge it, so the alarm comes at the same 28.0 min (±10 s).
#[test]
fn a_slow_drag_inside_the_still_speed_still_alarms() {
    let moored = destination(BERTH, 180.0, 0.2);
    let mut sim = Sim::new();
    let mut closing_seen_s = None;
    for s in 0..1800i64 {
        let ms = T0 + s * 1000;
        sim.own(
            ms,
            destination(BERTH, 180.0, 0.3 * s as f64 / 3600.0),
            180.0,
            0.3,
        );
        if s % 10 == 0 {
            sim.ship(244_100_001, ms + 500, moored, 0.0, 0.0, 5);
        }
        let still = sim.engine.traffic.targets[&244_100_001].still;
        if closing_seen_s.is_none() && still.is_some_and(|x| x.closing) {
            closing_seen_s = Some(s);
        }
    }
    let closing = closing_seen_s.expect("the rule sees the drag");
    assert!(closing < 600, "seen closing after {closing} s");
    let at = sim.dangerous(244_100_001);
    assert_eq!(at.len(), 1, "{at:?}");
    let after_s = (at[0] - T0) as f64 / 1000.0;
    assert!(
        (1670.0..=1690.0).contains(&after_s),
        "dangerous after {after_s} s"
    );
}

/// A harbour rule wider than speed noise hides more than noise: flagged.
#[test]
fn a_widened_harbour_rule_is_flagged_as_an_alarm_switched_off() {
    assert!(
        !Sim::new()
            .engine
            .traffic
            .disabled_alarm_classes()
            .contains(&"cpa_between_still")
    );
    let mut config = TrafficConfig::default();
    config.alarms.still_sog_kn = 1.5;
    assert_eq!(
        Sim::with(config).engine.traffic.disabled_alarm_classes(),
        ["cpa_between_still"]
    );
}

// ---------------------------------------------------------------------------
// A wrong own MMSI.

const NORDIC: u32 = 230_123_000;

/// Own ship steams north at 12 kn from `BERTH`.
fn own_north(s: i64) -> (f64, f64) {
    destination(BERTH, 0.0, 12.0 * s as f64 / 3600.0)
}

/// `[own_ship] mmsi` set to another ship's number: that ship, 3 NM ahead
/// and coming south at 12 kn (closing 24 kn: CPA 0, TCPA 7.5 min), is a
/// target, is dangerous, and a warning names the clash — it does not
/// vanish. Its reports stay its own as it closes inside 1 NM.
#[test]
fn a_ship_with_own_mmsi_far_away_is_a_target_with_a_warning() {
    let mut config = TrafficConfig::default();
    config.own_ship.mmsi = Some(NORDIC);
    let mut sim = Sim::with(config);
    let start = destination(BERTH, 0.0, 3.0);
    for s in 0..400i64 {
        let ms = T0 + s * 1000;
        sim.own(ms, own_north(s), 0.0, 12.0);
        if s % 2 == 0 {
            let p = destination(start, 180.0, 12.0 * s as f64 / 3600.0);
            sim.ship(NORDIC, ms + 500, p, 180.0, 12.0, 0);
        }
    }
    let clash: Vec<f64> = sim
        .events
        .iter()
        .filter_map(|e| match e {
            Event::OwnMmsiClash {
                mmsi: NORDIC,
                range_nm,
                ..
            } => Some(*range_nm),
            _ => None,
        })
        .collect();
    assert_eq!(clash.len(), 1, "said once");
    assert!((clash[0] - 3.0).abs() < 0.02, "{clash:?}");
    let warning = sim
        .engine
        .traffic
        .alarms
        .get(&AlarmId::OwnMmsi(NORDIC))
        .expect("a warning");
    assert!(
        warning.text.contains("check [own_ship] mmsi") && warning.text.contains("3.0 NM"),
        "{}",
        warning.text
    );
    assert_eq!(sim.dangerous(NORDIC), [T0 + 500]);
    // 300 s in, the two are 3 − 24 × 300 / 3600 = 1.0 NM apart, and at
    // the end 0.33 NM: still the other ship's reports, still a target.
    let t = &sim.engine.traffic.targets[&NORDIC];
    assert_eq!(t.messages, 200);
    assert!(t.dangerous);
}

/// Own transmissions heard back (a VDM with own MMSI where own ship is)
/// are not a target, and are counted.
#[test]
fn own_echo_near_own_ship_is_not_a_target() {
    let mut config = TrafficConfig::default();
    config.own_ship.mmsi = Some(NORDIC);
    let mut sim = Sim::with(config);
    for s in 0..20i64 {
        let ms = T0 + s * 1000;
        sim.own(ms, own_north(s), 0.0, 12.0);
        sim.ship(NORDIC, ms + 500, own_north(s), 0.0, 12.0, 0);
    }
    assert!(sim.engine.traffic.targets.is_empty());
    assert_eq!(sim.engine.traffic.stats.own_echoes, 20);
    assert!(
        sim.engine
            .traffic
            .alarms
            .get(&AlarmId::OwnMmsi(NORDIC))
            .is_none()
    );
}

// ---------------------------------------------------------------------------
// Snooze and silence.

/// A target 4 NM ahead closing at 20 kn (own 10 kn north, it 10 kn south)
/// passing 0.2 NM abeam: TCPA = 4 / 20 h = 12 min at the start, falling a
/// minute a minute. `z` at TCPA 10.0 min (after 2 min) would snooze for
/// 10 min; it holds only until TCPA 6.0 min (half the 12 min limit), 4 min
/// later.
fn closing_target(sim: &mut Sim, from_s: i64, to_s: i64) {
    let start = destination(destination(BERTH, 0.0, 4.0), 90.0, 0.2);
    for s in from_s..=to_s {
        let ms = T0 + s * 1000;
        sim.own(
            ms,
            destination(BERTH, 0.0, 10.0 * s as f64 / 3600.0),
            0.0,
            10.0,
        );
        sim.ship(
            244_200_001,
            ms + 500,
            destination(start, 180.0, 10.0 * s as f64 / 3600.0),
            180.0,
            10.0,
            0,
        );
    }
}

#[test]
fn a_snooze_ends_when_the_tcpa_falls_to_half_the_limit() {
    let mut sim = Sim::new();
    let id = AlarmId::Dangerous(244_200_001);
    closing_target(&mut sim, 0, 120);
    let a = sim.engine.traffic.alarms.get(&id).expect("dangerous");
    assert!((a.tcpa_min.unwrap_or(0.0) - 10.0).abs() < 0.05, "{a:?}");
    let now = T0 + 120_500;
    sim.engine
        .traffic
        .alarms
        .snooze(244_200_001, now, now + 600_000)
        .expect("snoozed");
    sim.engine.traffic.alarms.take_transitions();
    closing_target(&mut sim, 121, 400);
    let back: Vec<_> = sim
        .engine
        .traffic
        .alarms
        .take_transitions()
        .into_iter()
        .filter(|t| t.id == id && t.state == Some(AlarmState::ActiveUnacknowledged))
        .collect();
    assert_eq!(back.len(), 1, "{back:?}");
    // TCPA 6.0 min is reached 6 min after the start: at s = 360.
    let s = (back[0].at_ms - T0) as f64 / 1000.0;
    assert!((359.0..=362.0).contains(&s), "back at {s} s");
    assert!(
        back[0]
            .reason
            .as_deref()
            .unwrap_or("")
            .contains("half the TCPA limit")
    );
    // Now `z` is refused, with the reason.
    let now = T0 + 400_500;
    let e = sim
        .engine
        .traffic
        .alarms
        .snooze(244_200_001, now, now + 600_000)
        .unwrap_err();
    assert!(e.contains("half the TCPA limit"), "{e}");
    assert_eq!(
        sim.engine.traffic.alarms.get(&id).map(|a| a.state),
        Some(AlarmState::ActiveUnacknowledged)
    );
}

/// Replayed at ten times the recorded pace, a 30 s silence lasts 30 s of
/// the wall clock: 300 s of data.
#[test]
fn a_silence_lasts_wall_time_at_ten_times_speed() {
    let mut sim = Sim::new();
    let id = AlarmId::Dangerous(244_200_001);
    let wall0 = 5_000_000;
    closing_target(&mut sim, 0, 10);
    let alarms = &mut sim.engine.traffic.alarms;
    alarms.set_wall(wall0);
    assert_eq!(alarms.silence_all(T0 + 10_500, 30_000), 1);
    // Data second s comes at wall0 + (s − 10) × 100 ms.
    for s in 11..=400i64 {
        closing_target(&mut sim, s, s);
        sim.engine.traffic.alarms.set_wall(wall0 + (s - 10) * 100);
        let state = sim.engine.traffic.alarms.get(&id).map(|a| a.state);
        let silenced = matches!(state, Some(AlarmState::ActiveSilenced { .. }));
        // 30 s of wall time is data second 310.
        assert_eq!(silenced, s < 310, "second {s}: {state:?}");
    }
}

/// Each logged transition carries the figures of its own moment: the
/// acknowledgement and the snooze a minute later read different TCPAs.
#[test]
fn each_transition_is_logged_with_the_figures_of_its_moment() {
    let mut sim = Sim::new();
    let id = AlarmId::Dangerous(244_200_001);
    closing_target(&mut sim, 0, 30);
    sim.engine.traffic.alarms.take_transitions();
    assert!(sim.engine.traffic.acknowledge(&id, T0 + 30_500));
    closing_target(&mut sim, 31, 90);
    let now = T0 + 90_500;
    sim.engine
        .traffic
        .alarms
        .snooze(244_200_001, now, now + 60_000)
        .expect("snoozed");
    let logged: Vec<_> = sim
        .engine
        .traffic
        .alarms
        .take_transitions()
        .into_iter()
        .filter(|t| t.id == id)
        .collect();
    let ack = logged
        .iter()
        .find(|t| t.state == Some(AlarmState::ActiveAcknowledged))
        .expect("ack logged");
    let snooze = logged
        .iter()
        .find(|t| matches!(t.state, Some(AlarmState::Snoozed { .. })))
        .expect("snooze logged");
    // TCPA 12 − 0.5 = 11.5 min at the acknowledgement, 12 − 1.5 = 10.5 min
    // at the snooze.
    assert!(ack.text.contains("in 11.5 min"), "{}", ack.text);
    assert!(snooze.text.contains("in 10.5 min"), "{}", snooze.text);
}

// ---------------------------------------------------------------------------
// The end of a replay.

/// At the end of a replay, a dangerous target already past its CPA (the
/// merrimac capture's picture at its end, with the harbour rule off) is
/// not left active with a TCPA that has run out.
#[test]
fn a_replay_that_ends_leaves_no_active_alarm_past_its_cpa() {
    let mut config = TrafficConfig::default();
    config.alarms.still_sog_kn = 0.0;
    let mut sim = Sim::with(config);
    // Own ship passes a target at 0.3 NM and the file ends 20 s after the
    // CPA (inside the 30 s dwell).
    let tgt = destination(destination(BERTH, 0.0, 1.0), 90.0, 0.3);
    for s in 0..=320i64 {
        let ms = T0 + s * 1000;
        sim.own(
            ms,
            destination(BERTH, 0.0, 12.0 * s as f64 / 3600.0),
            0.0,
            12.0,
        );
        if s % 10 == 0 {
            sim.ship(244_300_001, ms + 500, tgt, 0.0, 0.0, 5);
        }
    }
    let id = AlarmId::Dangerous(244_300_001);
    let a = sim.engine.traffic.alarms.get(&id).expect("still listed");
    assert_eq!(a.state, AlarmState::ActiveUnacknowledged);
    assert!(a.tcpa_min.is_some_and(|t| t < 0.0), "{a:?}");
    sim.engine.traffic.replay_ended(T0 + 320_000);
    let a = sim.engine.traffic.alarms.get(&id).expect("waits for ack");
    assert_eq!(a.state, AlarmState::RectifiedUnacknowledged);
    assert!(!sim.engine.traffic.targets[&244_300_001].dangerous);
}

/// The console itself, replaying the demo at five times its pace (each
/// line received a fifth of its data time after the last; the demo lasts
/// 8 min): `s` at data second 60 silences every sounding alarm until 30 s
/// of wall time have passed, that is until data second 210, not 90.
#[test]
fn the_console_silences_for_thirty_wall_seconds_at_speed_five() {
    use bridgewatch::app::alarm_log::AlarmLog;
    use bridgewatch::app::console::Action;
    use bridgewatch::app::run::{Source, build_app};
    use bridgewatch::link::tasks::LinkMsg;
    let start = bridgewatch::app::demo::START_MS;
    let wall0 = 1_900_000_000_000;
    let mut sink = Vec::new();
    let log = AlarmLog::open(None, &mut sink);
    let mut app = build_app(&Default::default(), &Source::Demo, log).expect("app");
    let mut silenced_at = None;
    let mut back_at = None;
    for line in bridgewatch::app::demo::scenario().lines() {
        let Some(ms) = line
            .strip_prefix("\\c:")
            .and_then(|r| r.split('*').next())
            .and_then(|t| t.parse::<i64>().ok())
        else {
            continue;
        };
        let s = (ms - start) / 1000;
        if s > 700 {
            break;
        }
        app.link(LinkMsg::Line {
            link: 0,
            received_ms: wall0 + (ms - start) / 5,
            line: Some(line.as_bytes().to_vec()),
        });
        let sounding: Vec<AlarmId> = app
            .engine
            .traffic
            .alarms
            .ranked()
            .iter()
            .filter(|a| a.sounding())
            .map(|a| a.id.clone())
            .collect();
        if s >= 60 && silenced_at.is_none() && !sounding.is_empty() {
            app.update(Action::Silence);
            silenced_at = Some((s, sounding));
        } else if let Some((_, ids)) = &silenced_at
            && back_at.is_none()
            && sounding.iter().any(|id| ids.contains(id))
        {
            back_at = Some(s);
        }
    }
    let (silenced, _) = silenced_at.expect("an alarm was sounding");
    let back = back_at.expect("it sounds again");
    assert!(
        (silenced + 149..=silenced + 151).contains(&back),
        "silenced at {silenced} s, sounding again at {back} s"
    );
}

/// The console shows when the harbour rule holds a ship: the merrimac
/// capture replayed into the console, then drawn at 160×48. The rule's
/// count stands in the status bar, and each held ship reads "still" in
/// the list, where "DANGER" stood before.
#[test]
fn the_console_shows_the_ships_the_harbour_rule_holds() {
    use bridgewatch::app::alarm_log::AlarmLog;
    use bridgewatch::app::console::{App, Keymap};
    use bridgewatch::link::tasks::LinkMsg;
    let mut sink = Vec::new();
    let mut app = App::new(
        TrafficConfig::default(),
        false,
        vec!["file".into()],
        Keymap::new(&Default::default()).expect("keys"),
        AlarmLog::open(None, &mut sink),
    );
    app.engine.replay_starts(Some(1_340_037_198_000), 0);
    let mut seen = None;
    for l in include_str!("data/signalk/nais300-merrimac.log").lines() {
        app.link(LinkMsg::Line {
            link: 0,
            received_ms: 0,
            line: Some(l.as_bytes().to_vec()),
        });
        let held = app.engine.traffic.still_holding();
        if held > 0 && seen.is_none() {
            let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(160, 48))
                .expect("terminal");
            t.draw(|f| bridgewatch::ui::draw(f, &app)).expect("draw");
            seen = Some((held, format!("{}", t.backend())));
        }
    }
    let (held, screen) = seen.expect("the rule held a ship at some point");
    assert!(
        screen.contains(&format!("{held} still (harbour rule)")),
        "{screen}"
    );
    let still_rows = screen.lines().filter(|l| l.contains(" still ")).count();
    assert!(
        still_rows > held,
        "status bar and {held} list rows: {screen}"
    );
}
