//! Alarm rules of PRODUCT.md and A.1106 §30, each driven through the engine
//! with sentences our own encoders make and tag-block data times. Positions
//! are placed with a great-circle destination written here, independent of
//! the engine's geometry; the expected figures (ranges, TCPAs) are worked
//! out by hand in the comments of each test.

use bridgewatch::ais::messages::{AisMessage, Body};
use bridgewatch::app::engine::Engine;
use bridgewatch::nmea::armour::Text;
use bridgewatch::sim::tagged;
use bridgewatch::traffic::Event;
use bridgewatch::traffic::alarm::{AlarmId, AlarmState};
use bridgewatch::traffic::config::TrafficConfig;

const R_NM: f64 = 3440.065;
const T0: i64 = 1_795_000_000_000; // 2026-11-18, ms
const OWN: (f64, f64) = (54.5, 11.0);
/// Own ship steams north at 12 kn.
const OWN_SOG: f64 = 12.0;

/// Great-circle destination from `p`, `course` degrees true, `dist_nm`.
fn destination(p: (f64, f64), course: f64, dist_nm: f64) -> (f64, f64) {
    let (lat1, lon1) = (p.0.to_radians(), p.1.to_radians());
    let d = dist_nm / R_NM;
    let c = course.to_radians();
    let lat2 = (lat1.sin() * d.cos() + lat1.cos() * d.sin() * c.cos()).asin();
    let lon2 = lon1 + (c.sin() * d.sin() * lat1.cos()).atan2(d.cos() - lat1.sin() * lat2.sin());
    (lat2.to_degrees(), lon2.to_degrees())
}

/// Own position at `ms` (north along the meridian at `OWN_SOG`).
fn own_at(ms: i64) -> (f64, f64) {
    destination(OWN, 0.0, OWN_SOG * (ms - T0) as f64 / 3.6e6)
}

fn rmc(ms: i64) -> String {
    tagged(&bridgewatch::sim::rmc(ms, own_at(ms), 0.0, OWN_SOG), ms)
}

fn send(m: &AisMessage, ms: i64) -> Vec<String> {
    bridgewatch::sim::vdm(m, ms, false, 'A', 0)
}

/// A Class A position report from `mmsi` at `pos`.
fn class_a(
    mmsi: u32,
    pos: (f64, f64),
    cog: Option<f64>,
    sog: f64,
    status: u8,
    ms: i64,
) -> Vec<String> {
    let m = bridgewatch::sim::class_a(mmsi, pos, cog, sog, status, ((ms / 1000) % 60) as u8);
    send(&m, ms)
}

/// A safety-related broadcast (message 14) from `mmsi`.
fn safety_broadcast(mmsi: u32, text: &str, ms: i64) -> Vec<String> {
    let m = AisMessage {
        msg_type: 14,
        repeat: 0,
        mmsi,
        body: Body::SafetyBroadcast {
            text: Text::from_str_lossy(text),
        },
    };
    send(&m, ms)
}

struct Sim {
    engine: Engine,
    events: Vec<Event>,
}

impl Sim {
    fn new() -> Sim {
        Sim::with(TrafficConfig::default())
    }
    fn with(config: TrafficConfig) -> Sim {
        Sim {
            engine: Engine::new(config, false),
            events: Vec::new(),
        }
    }
    fn feed(&mut self, lines: &[String]) {
        for l in lines {
            self.engine.push_line(Some(l.as_bytes()), 0);
        }
        self.events.extend(self.engine.traffic.take_events());
    }
    /// Own ship's fix every second from `from_s` to `to_s` (inclusive).
    fn steam(&mut self, from_s: i64, to_s: i64) {
        for s in from_s..=to_s {
            self.feed(&[rmc(T0 + s * 1000)]);
        }
    }
    fn count(&self, f: impl Fn(&Event) -> bool) -> usize {
        self.events.iter().filter(|e| f(e)).count()
    }
    fn has(&self, f: impl Fn(&Event) -> bool) -> bool {
        self.count(f) > 0
    }
    fn alarm(&self, id: &AlarmId) -> Option<AlarmState> {
        self.engine.traffic.alarms.get(id).map(|a| a.state)
    }
}

// ---------------------------------------------------------------------------
// suppress_moored: off by default, flagged when on.

/// An anchored ship (nav status 1, SOG 0) 1.5 NM dead ahead: own ship closes
/// at 12 kn, so CPA 0 and TCPA 7.5 min — inside 2 NM / 12 min.
fn anchored_ahead(config: TrafficConfig) -> Sim {
    let mut sim = Sim::with(config);
    sim.feed(&[rmc(T0)]);
    let anchored = destination(OWN, 0.0, 1.5);
    sim.feed(&class_a(244100001, anchored, None, 0.0, 1, T0));
    sim.steam(1, 10);
    sim
}

#[test]
fn anchored_ship_in_the_fairway_alarms_by_default() {
    let sim = anchored_ahead(TrafficConfig::default());
    assert!(sim.has(|e| matches!(
        e,
        Event::Dangerous { mmsi: 244100001, tcpa_min, cpa_nm, .. }
            if (*tcpa_min - 7.5).abs() < 0.2 && *cpa_nm < 0.05
    )));
    assert_eq!(
        sim.alarm(&AlarmId::Dangerous(244100001)),
        Some(AlarmState::ActiveUnacknowledged)
    );
    assert!(
        !sim.engine
            .traffic
            .disabled_alarm_classes()
            .contains(&"cpa_from_moored")
    );
}

#[test]
fn suppressing_moored_ships_is_a_flagged_choice() {
    let mut config = TrafficConfig::default();
    config.alarms.suppress_moored = true;
    let sim = anchored_ahead(config);
    assert!(!sim.has(|e| matches!(e, Event::Dangerous { .. })));
    assert!(sim.alarm(&AlarmId::Dangerous(244100001)).is_none());
    assert_eq!(
        sim.engine.traffic.disabled_alarm_classes(),
        ["cpa_from_moored"]
    );
}

// ---------------------------------------------------------------------------
// Distress alarms come back when the distress begins again.

fn sart_events(sim: &Sim, mmsi: u32) -> usize {
    sim.count(|e| matches!(e, Event::Sart { mmsi: m, .. } if *m == mmsi))
}

fn distress_alarms(sim: &Sim, mmsi: u32) -> usize {
    sim.engine
        .traffic
        .alarms
        .ranked()
        .iter()
        .filter(|a| a.id == AlarmId::Distress(mmsi))
        .count()
}

#[test]
fn nav_status_14_set_again_raises_the_distress_alarm_again() {
    let mmsi = 244100002;
    let id = AlarmId::Distress(mmsi);
    // A drifting ship 4 NM on the beam: no CPA alarm applies.
    let pos = destination(OWN, 90.0, 4.0);
    let mut sim = Sim::new();
    sim.feed(&[rmc(T0)]);
    for s in [0, 10, 20] {
        sim.feed(&class_a(mmsi, pos, None, 0.0, 14, T0 + s * 1000));
        sim.feed(&[rmc(T0 + s * 1000 + 500)]);
    }
    // Status 14 repeated: one alarm, raised once.
    assert_eq!(sart_events(&sim, mmsi), 1);
    assert_eq!(distress_alarms(&sim, mmsi), 1);
    assert_eq!(sim.alarm(&id), Some(AlarmState::ActiveUnacknowledged));
    // Back to "under way using engine": the condition is gone.
    sim.feed(&class_a(mmsi, pos, None, 0.0, 0, T0 + 30_000));
    assert_eq!(sim.alarm(&id), Some(AlarmState::RectifiedUnacknowledged));
    // Status 14 again, before anyone acknowledged: the same alarm is active
    // again, not a second one.
    sim.feed(&class_a(mmsi, pos, None, 0.0, 14, T0 + 40_000));
    assert_eq!(sart_events(&sim, mmsi), 2);
    assert_eq!(distress_alarms(&sim, mmsi), 1);
    assert_eq!(sim.alarm(&id), Some(AlarmState::ActiveUnacknowledged));
    // Acknowledged, cleared, and set a third time: a new alarm.
    assert!(sim.engine.traffic.alarms.acknowledge(&id, T0 + 45_000));
    sim.feed(&class_a(mmsi, pos, None, 0.0, 0, T0 + 50_000));
    assert_eq!(sim.alarm(&id), None);
    sim.feed(&class_a(mmsi, pos, None, 0.0, 14, T0 + 60_000));
    assert_eq!(sart_events(&sim, mmsi), 3);
    assert_eq!(sim.alarm(&id), Some(AlarmState::ActiveUnacknowledged));
}

#[test]
fn ais_sart_removed_and_heard_again_alarms_again() {
    let mmsi = 970100003;
    let id = AlarmId::Distress(mmsi);
    let pos = destination(OWN, 270.0, 5.0);
    let mut sim = Sim::new();
    sim.feed(&[rmc(T0)]);
    sim.feed(&class_a(mmsi, pos, None, 0.0, 14, T0));
    assert_eq!(sart_events(&sim, mmsi), 1);
    // Silent: lost after 1080 s, removed 600 s after that.
    sim.steam(1, 1700);
    assert!(sim.has(|e| matches!(e, Event::Lost { mmsi: m, .. } if *m == mmsi)));
    assert!(sim.has(|e| matches!(e, Event::Removed { mmsi: m, .. } if *m == mmsi)));
    assert!(!sim.engine.traffic.targets.contains_key(&mmsi));
    // It transmits again.
    sim.feed(&class_a(mmsi, pos, None, 0.0, 14, T0 + 1_701_000));
    assert_eq!(sart_events(&sim, mmsi), 2);
    assert_eq!(distress_alarms(&sim, mmsi), 1);
    assert_eq!(sim.alarm(&id), Some(AlarmState::ActiveUnacknowledged));
}

// ---------------------------------------------------------------------------
// Test transmissions of AIS-SART, MOB and EPIRB-AIS (SN.1/Circ.322).

fn target(sim: &Sim, mmsi: u32) -> &bridgewatch::traffic::target::Target {
    &sim.engine.traffic.targets[&mmsi]
}

#[test]
fn sart_in_test_mode_is_shown_as_a_test_without_alarm() {
    let sart = 970100004;
    let ship = 244100004;
    let mut sim = Sim::new();
    sim.feed(&[rmc(T0)]);
    // A SART in test mode: nav status 15 and "SART TEST" (IEC 61097-14).
    sim.feed(&class_a(
        sart,
        destination(OWN, 45.0, 3.0),
        None,
        0.0,
        15,
        T0,
    ));
    sim.feed(&safety_broadcast(sart, "SART TEST", T0 + 500));
    // An ordinary ship sending nav status 15 ("not defined") is no test.
    sim.feed(&class_a(
        ship,
        destination(OWN, 135.0, 3.0),
        Some(90.0),
        8.0,
        15,
        T0,
    ));
    sim.steam(1, 20);
    sim.feed(&class_a(
        sart,
        destination(OWN, 45.0, 3.0),
        None,
        0.0,
        15,
        T0 + 20_500,
    ));
    sim.steam(21, 30);

    assert!(!sim.has(|e| matches!(e, Event::Sart { .. })));
    assert!(sim.alarm(&AlarmId::Distress(sart)).is_none());
    assert!(sim.engine.traffic.alarms.is_empty());
    let tests: Vec<&Event> = sim
        .events
        .iter()
        .filter(|e| matches!(e, Event::SartTest { .. }))
        .collect();
    assert_eq!(tests.len(), 1, "announced once");
    let json = bridgewatch::app::engine::event_json(tests[0]);
    assert_eq!(json["event"], "sart_test");
    assert_eq!(json["mmsi"], sart);
    assert!(target(&sim, sart).is_test_transmission());
    assert!(!target(&sim, sart).is_distress_alert());
    assert_eq!(
        bridgewatch::ui::format::state(target(&sim, sart), false),
        "TEST"
    );
    assert!(!target(&sim, ship).is_test_transmission());
    assert_ne!(
        bridgewatch::ui::format::state(target(&sim, ship), false),
        "TEST"
    );
}

#[test]
fn epirb_test_text_before_any_position_raises_no_alarm() {
    let epirb = 974100005;
    let mut sim = Sim::new();
    sim.feed(&[rmc(T0)]);
    // The text comes first: the target exists before its first position.
    sim.feed(&safety_broadcast(epirb, "EPIRB TEST", T0));
    sim.feed(&class_a(
        epirb,
        destination(OWN, 300.0, 2.0),
        None,
        0.0,
        15,
        T0 + 1000,
    ));
    sim.steam(1, 5);
    assert!(!sim.has(|e| matches!(e, Event::Sart { .. })));
    assert!(sim.alarm(&AlarmId::Distress(epirb)).is_none());
    assert!(target(&sim, epirb).is_test_transmission());
}

#[test]
fn test_device_that_turns_active_alarms() {
    let sart = 970100006;
    let mob = 972100006;
    let mut sim = Sim::new();
    sim.feed(&[rmc(T0)]);
    for s in [0, 10] {
        sim.feed(&class_a(
            sart,
            destination(OWN, 10.0, 4.0),
            None,
            0.0,
            15,
            T0 + s * 1000,
        ));
        sim.feed(&class_a(
            mob,
            destination(OWN, 20.0, 4.0),
            None,
            0.0,
            15,
            T0 + s * 1000,
        ));
        sim.feed(&[rmc(T0 + s * 1000 + 500)]);
    }
    sim.feed(&safety_broadcast(mob, "MOB TEST", T0 + 11_000));
    assert!(!sim.has(|e| matches!(e, Event::Sart { .. })));
    // The SART goes active by nav status 14, the MOB by its text.
    sim.feed(&class_a(
        sart,
        destination(OWN, 10.0, 4.0),
        None,
        0.0,
        14,
        T0 + 20_000,
    ));
    sim.feed(&safety_broadcast(mob, "MOB ACTIVE", T0 + 21_000));
    // Even a later status 15 does not make an active device a test again.
    sim.feed(&class_a(
        mob,
        destination(OWN, 20.0, 4.0),
        None,
        0.0,
        15,
        T0 + 22_000,
    ));
    sim.steam(23, 25);
    for m in [sart, mob] {
        assert_eq!(sart_events(&sim, m), 1, "{m}");
        assert_eq!(
            sim.alarm(&AlarmId::Distress(m)),
            Some(AlarmState::ActiveUnacknowledged),
            "{m}"
        );
        assert!(!target(&sim, m).is_test_transmission(), "{m}");
        assert_eq!(
            bridgewatch::ui::format::state(target(&sim, m), false),
            "SART"
        );
    }
}

// ---------------------------------------------------------------------------
// Lost-target alarm within a preset range (A.1106 §30); state for all.

fn lost_event(sim: &Sim, mmsi: u32) -> bool {
    sim.has(|e| matches!(e, Event::Lost { mmsi: m, .. } if *m == mmsi))
}

#[test]
fn lost_alarm_only_within_the_preset_range() {
    let near = 244100007; // 5 NM on the beam: activated, alarms
    let sleeping = 244100008; // 10 NM, sleeping: inside 12 NM, alarms
    let far = 244100009; // 15 NM: lost, no alarm
    let closing = 244100010; // reported at 12.3 NM, reckoned inside 12 NM when lost
    let mut sim = Sim::new();
    sim.feed(&[rmc(T0)]);
    sim.feed(&class_a(
        near,
        destination(OWN, 90.0, 5.0),
        Some(90.0),
        10.0,
        0,
        T0,
    ));
    sim.feed(&class_a(
        sleeping,
        destination(OWN, 270.0, 10.0),
        Some(270.0),
        10.0,
        0,
        T0,
    ));
    sim.feed(&class_a(
        far,
        destination(OWN, 180.0, 15.0),
        Some(180.0),
        10.0,
        0,
        T0,
    ));
    // Dead ahead, 12.3 NM, steaming south at 22 kn: Class A 14–23 kn is
    // lost 36 s after its report, at 37 s on the one-second check. By then
    // it has run 0.226 NM towards us and we 0.123 NM towards it: 11.95 NM
    // (its last reported position would still be 12.18 NM away).
    sim.feed(&class_a(
        closing,
        destination(OWN, 0.0, 12.3),
        Some(180.0),
        22.0,
        0,
        T0,
    ));
    sim.steam(1, 70);
    for m in [near, sleeping, far, closing] {
        assert!(lost_event(&sim, m), "{m} lost");
        assert_eq!(
            bridgewatch::ui::format::state(target(&sim, m), false),
            "LOST"
        );
    }
    for m in [near, sleeping, closing] {
        assert_eq!(
            sim.alarm(&AlarmId::Lost(m)),
            Some(AlarmState::ActiveUnacknowledged),
            "{m} alarms"
        );
    }
    assert!(sim.alarm(&AlarmId::Lost(far)).is_none());
}

#[test]
fn lost_alarm_range_is_configurable() {
    let mut config = TrafficConfig::default();
    config.alarms.lost_alarm_range_nm = 20.0;
    let mut sim = Sim::with(config);
    sim.feed(&[rmc(T0)]);
    sim.feed(&class_a(
        244100011,
        destination(OWN, 180.0, 15.0),
        Some(180.0),
        10.0,
        0,
        T0,
    ));
    sim.steam(1, 70);
    assert!(sim.alarm(&AlarmId::Lost(244100011)).is_some());
}

#[test]
fn distant_distress_target_lost_always_alarms() {
    let sart = 970100012;
    let mut sim = Sim::new();
    sim.feed(&[rmc(T0)]);
    sim.feed(&class_a(
        sart,
        destination(OWN, 180.0, 25.0),
        None,
        0.0,
        14,
        T0,
    ));
    // AIS-SART: lost after 1080 s.
    sim.steam(1, 1090);
    assert!(lost_event(&sim, sart));
    assert!(sim.alarm(&AlarmId::Lost(sart)).is_some());
}

#[test]
fn lost_alarm_while_own_position_is_unknown() {
    let far = 244100013; // 15 NM: beyond the range, if we knew where we are
    let beacon = 244100014; // another ship 30 NM off, keeping the data clock going
    let mut sim = Sim::new();
    sim.feed(&[rmc(T0)]);
    sim.feed(&class_a(
        far,
        destination(OWN, 180.0, 15.0),
        Some(180.0),
        10.0,
        0,
        T0,
    ));
    // No more fixes: own position is lost after 10 s.
    for s in 1..=70 {
        sim.feed(&class_a(
            beacon,
            destination(OWN, 0.0, 30.0),
            None,
            0.0,
            0,
            T0 + s * 1000,
        ));
    }
    assert!(sim.has(|e| matches!(e, Event::OwnPositionLost { .. })));
    assert!(lost_event(&sim, far));
    assert_eq!(
        sim.alarm(&AlarmId::Lost(far)),
        Some(AlarmState::ActiveUnacknowledged)
    );
}

// ---------------------------------------------------------------------------
// Dangerous "activated or not" (A.1106 §30).

/// A 30 kn craft 8 NM dead ahead on the reciprocal course: closing at 42 kn,
/// CPA 0, TCPA 8 / 42 h = 11.4 min — inside 12 min, outside the 6 NM
/// activation range.
fn fast_craft_ahead(config: TrafficConfig) -> Sim {
    let mut sim = Sim::with(config);
    sim.feed(&[rmc(T0)]);
    sim.feed(&class_a(
        244100015,
        destination(OWN, 0.0, 8.0),
        Some(180.0),
        30.0,
        0,
        T0,
    ));
    sim
}

#[test]
fn fast_craft_beyond_activation_range_alarms_on_its_first_report() {
    let sim = fast_craft_ahead(TrafficConfig::default());
    assert!(sim.has(|e| matches!(
        e,
        Event::Dangerous { mmsi: 244100015, tcpa_min, cpa_nm, .. }
            if (*tcpa_min - 11.43).abs() < 0.1 && *cpa_nm < 0.05
    )));
    assert_eq!(
        sim.alarm(&AlarmId::Dangerous(244100015)),
        Some(AlarmState::ActiveUnacknowledged)
    );
    assert!(sim.engine.traffic.disabled_alarm_classes().is_empty());
}

#[test]
fn cpa_alarms_for_activated_targets_only_is_a_flagged_choice() {
    let mut config = TrafficConfig::default();
    config.alarms.sleeping_targets = false;
    let sim = fast_craft_ahead(config);
    assert!(!sim.has(|e| matches!(e, Event::Dangerous { .. })));
    assert_eq!(
        sim.engine.traffic.disabled_alarm_classes(),
        ["cpa_for_sleeping"]
    );
}

// ---------------------------------------------------------------------------
// Nothing vanishes unacknowledged: a removed target's alarms.

#[test]
fn removed_sart_keeps_its_unacknowledged_alarms_until_acknowledged() {
    let sart = 970100016;
    let mut sim = Sim::new();
    sim.feed(&[rmc(T0)]);
    // Heard for two minutes, then silent: lost 1080 s after its last
    // report, removed 600 s later (about 30 minutes in all).
    for s in (0..=120).step_by(60) {
        sim.feed(&class_a(
            sart,
            destination(OWN, 90.0, 3.0),
            None,
            0.0,
            14,
            T0 + s * 1000,
        ));
    }
    sim.steam(1, 1900);
    assert!(sim.has(|e| matches!(e, Event::Removed { mmsi: m, .. } if *m == sart)));
    assert!(!sim.engine.traffic.targets.contains_key(&sart));
    for id in [AlarmId::Distress(sart), AlarmId::Lost(sart)] {
        assert_eq!(
            sim.alarm(&id),
            Some(AlarmState::RectifiedUnacknowledged),
            "{id:?}"
        );
    }
    // No transition says "cleared" before anyone acknowledged.
    let log = sim.engine.traffic.alarms.take_transitions();
    assert!(log.iter().all(|t| t.state.is_some()), "{log:?}");
    // Acknowledged: now they go.
    let now = T0 + 1_901_000;
    for id in [AlarmId::Distress(sart), AlarmId::Lost(sart)] {
        assert!(sim.engine.traffic.alarms.acknowledge(&id, now));
        assert_eq!(sim.alarm(&id), None);
    }
}

#[test]
fn removed_target_with_acknowledged_alarm_leaves_the_list() {
    let ship = 244100017;
    let mut sim = Sim::new();
    sim.feed(&[rmc(T0)]);
    sim.feed(&class_a(
        ship,
        destination(OWN, 90.0, 3.0),
        Some(90.0),
        10.0,
        0,
        T0,
    ));
    sim.steam(1, 65);
    let id = AlarmId::Lost(ship);
    assert_eq!(sim.alarm(&id), Some(AlarmState::ActiveUnacknowledged));
    assert!(sim.engine.traffic.alarms.acknowledge(&id, T0 + 65_500));
    sim.steam(66, 700);
    assert!(sim.has(|e| matches!(e, Event::Removed { mmsi: m, .. } if *m == ship)));
    assert_eq!(sim.alarm(&id), None);
}
