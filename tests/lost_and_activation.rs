//! Where a lost target is marked, what acknowledging its loss does, which
//! alarm the acknowledge key takes, and that a dangerous target is
//! activated wherever it is — each checked on the console's own state,
//! with positions due north of own ship so that ranges are known without
//! our geodesy (a minute of latitude is a nautical mile, to 0.2 % here).

mod common;
use bridgewatch::app::console::App;
use bridgewatch::sim;
use bridgewatch::traffic::alarm::{AlarmId, AlarmState};
use bridgewatch::traffic::target::Activation;
use common::console_app;
use console_app::{app, feed};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const T0: i64 = 1_795_000_000_000;
const OWN: (f64, f64) = (54.5, 11.0);

fn north(nm: f64) -> (f64, f64) {
    (OWN.0 + nm / 60.0, OWN.1)
}

/// A ship `nm` north of own ship heading south (towards it) at `sog` kn.
fn ship(app: &mut App, mmsi: u32, nm: f64, sog: f64, ms: i64) {
    let m = sim::class_a(
        mmsi,
        north(nm),
        Some(180.0),
        sog,
        0,
        ((ms / 1000) % 60) as u8,
    );
    feed(app, sim::vdm(&m, ms, false, 'A', 0));
}

/// Own ship lying still at OWN, a fix every second from `from` to `to`.
fn own(app: &mut App, from: i64, to: i64) {
    let mut t = from;
    while t <= to {
        feed(app, vec![sim::tagged(&sim::rmc(t, OWN, 0.0, 0.0), t)]);
        t += 1000;
    }
}

fn key(app: &mut App, c: KeyCode) {
    app.key(&KeyEvent::new(c, KeyModifiers::NONE));
}

#[test]
fn a_lost_target_is_marked_where_it_was_last_heard() {
    const S: u32 = 211_000_101;
    let mut a = app();
    own(&mut a, T0, T0);
    // 3 NM north, closing at 20 kn, heard once.
    ship(&mut a, S, 3.0, 20.0, T0);
    own(&mut a, T0 + 1000, T0 + 180_000);
    let tr = &a.engine.traffic;
    let t = &tr.targets[&S];
    // Class A 14–23 kn: lost after 36 s.
    assert!(t.lost_since_ms.is_some_and(|s| s <= T0 + 40_000), "lost");
    // Three minutes on, sailed on it would be 2.0 NM off; it is marked
    // where it was heard.
    let (brg, rng) = tr.shown_bearing_range(t, T0 + 180_000).expect("shown");
    assert!((rng - 3.0).abs() < 0.01, "range {rng}");
    assert!(!(1.0..359.0).contains(&brg), "bearing {brg}");
    assert_eq!(
        t.position_at(T0 + 180_000),
        t.position.map(|p| p.value),
        "not dead-reckoned"
    );
}

#[test]
fn a_dangerous_target_beyond_the_activation_range_is_activated() {
    const D: u32 = 211_000_102;
    let mut a = app();
    own(&mut a, T0, T0);
    // 8 NM north (the activation range is 6 NM), closing at 45 kn: CPA 0,
    // TCPA 10.7 min, inside the 2 NM / 12 min limits.
    ship(&mut a, D, 8.0, 45.0, T0);
    own(&mut a, T0 + 1000, T0 + 3000);
    let t = &a.engine.traffic.targets[&D];
    assert!(t.dangerous, "dangerous");
    assert!(
        t.bearing_range.is_some_and(|b| b.1 > 6.0),
        "still outside the zone"
    );
    assert_eq!(t.activation, Activation::Activated, "drawn with its vector");
}

#[test]
fn acknowledging_a_loss_clears_the_mark_and_the_key_never_goes_to_an_acknowledged_alarm() {
    const L: u32 = 211_000_103;
    const D: u32 = 211_000_104;
    let mut a = app();
    own(&mut a, T0, T0);
    // 1 NM north, still: lost after 60 s (class A, 0–14 kn), inside the
    // lost-alarm range.
    ship(&mut a, L, 1.0, 0.0, T0);
    own(&mut a, T0 + 1000, T0 + 62_000);
    assert!(a.engine.traffic.targets[&L].lost_since_ms.is_some());
    let lost = AlarmId::Lost(L);
    key(&mut a, KeyCode::Char('a'));
    let st = a.engine.traffic.alarms.get(&lost).map(|x| x.state);
    assert_eq!(st, Some(AlarmState::ActiveAcknowledged));
    let t = &a.engine.traffic.targets[&L];
    assert!(t.lost_acked, "its mark leaves the plot");
    assert!(t.lost_since_ms.is_some(), "the record stays, marked lost");
    // The officer leaves the choice on that acknowledged alarm; a new
    // dangerous target comes. The key takes the new alarm.
    key(&mut a, KeyCode::Tab);
    ship(&mut a, D, 3.0, 20.0, T0 + 63_000);
    own(&mut a, T0 + 63_000, T0 + 65_000);
    let danger = AlarmId::Dangerous(D);
    let st = a.engine.traffic.alarms.get(&danger).map(|x| x.state);
    assert_eq!(st, Some(AlarmState::ActiveUnacknowledged));
    key(&mut a, KeyCode::Char('a'));
    let st = a.engine.traffic.alarms.get(&danger).map(|x| x.state);
    assert_eq!(st, Some(AlarmState::ActiveAcknowledged));
    // Heard again: the lost mark is gone for good, the target is back.
    ship(&mut a, L, 1.0, 0.0, T0 + 66_000);
    let t = &a.engine.traffic.targets[&L];
    assert!(!t.lost_acked && t.lost_since_ms.is_none());
}
