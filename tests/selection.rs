//! Which ship is selected without the officer choosing: the nearest, as
//! the README says, whatever the list's sort and even when the first
//! targets came before own position; once the officer picks a ship it
//! stays picked until that ship is removed.

mod common;
use bridgewatch::app::console::{Action, App, SortKey};
use bridgewatch::sim;
use common::console_app;
use console_app::{app, feed};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const T0: i64 = 1_795_000_000_000;
const OWN: (f64, f64) = (54.5, 11.0);
// Targets due north of own ship: a minute of latitude is a nautical mile
// (to 0.2 % here), so the ranges below are known without our geodesy.
const FAR: u32 = 211_000_001; // 12 NM
const MID: u32 = 211_000_002; // 6 NM
const NEAR: u32 = 211_000_003; // 3 NM
const LATE: u32 = 211_000_004; // 1 NM, comes later
const CLOSE: u32 = 211_000_005; // 0.5 NM, comes last

fn north(nm: f64) -> (f64, f64) {
    (OWN.0 + nm / 60.0, OWN.1)
}

fn ship(app: &mut App, mmsi: u32, nm: f64, ms: i64) {
    let m = sim::class_a(mmsi, north(nm), Some(0.0), 0.0, 0, ((ms / 1000) % 60) as u8);
    feed(app, sim::vdm(&m, ms, false, 'A', 0));
}

fn own(app: &mut App, ms: i64) {
    feed(app, vec![sim::tagged(&sim::rmc(ms, OWN, 0.0, 0.0), ms)]);
}

fn selected(app: &App) -> Option<u32> {
    app.selected().map(|t| t.mmsi)
}

fn range_of(app: &App, mmsi: u32) -> f64 {
    app.engine.traffic.targets[&mmsi]
        .bearing_range
        .map_or(f64::NAN, |b| b.1)
}

#[test]
fn the_nearest_ship_is_selected_until_the_officer_picks_one() {
    let mut app = app();
    // Sorted by name (no names yet: by MMSI), so the list's first is not
    // the nearest.
    while app.view.sort != SortKey::Name {
        app.update(Action::CycleSort);
    }
    // The targets come before own position: no range is known yet.
    ship(&mut app, FAR, 12.0, T0);
    ship(&mut app, MID, 6.0, T0);
    ship(&mut app, NEAR, 3.0, T0);
    assert!(selected(&app).is_some(), "a ship is selected at once");
    own(&mut app, T0 + 1000);
    assert!((range_of(&app, NEAR) - 3.0).abs() < 0.05, "ranges known");
    assert_eq!(
        selected(&app),
        Some(NEAR),
        "the nearest, not the list's first"
    );
    assert_eq!(app.list().first().map(|t| t.mmsi), Some(FAR));

    // A nearer ship comes: the selection follows it while the officer has
    // not chosen.
    ship(&mut app, LATE, 1.0, T0 + 2000);
    own(&mut app, T0 + 3000);
    assert_eq!(selected(&app), Some(LATE));

    // The officer steps down the list, sorted by range: the next nearest.
    while app.view.sort != SortKey::Range {
        app.update(Action::CycleSort);
    }
    app.key(&KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
    assert_eq!(selected(&app), Some(NEAR));

    // Another ship comes within half a mile: the nearest now, but the
    // officer's pick stays.
    ship(&mut app, CLOSE, 0.5, T0 + 4000);
    own(&mut app, T0 + 5000);
    assert!(range_of(&app, CLOSE) < range_of(&app, LATE));
    assert_eq!(app.nearest(), Some(CLOSE));
    assert_eq!(selected(&app), Some(NEAR), "the officer's pick is kept");

    // His ship stops transmitting and is removed after the lost time:
    // the nearest is selected again, and followed.
    let mut ms = T0 + 5000;
    while app.engine.traffic.targets.contains_key(&NEAR) {
        ms += 10_000;
        assert!(ms < T0 + 3_600_000, "NEAR never removed");
        for (mmsi, nm) in [(FAR, 12.0), (MID, 6.0), (LATE, 1.0), (CLOSE, 0.5)] {
            ship(&mut app, mmsi, nm, ms);
        }
        own(&mut app, ms);
    }
    assert_eq!(selected(&app), Some(CLOSE));
    ship(&mut app, 211_000_006, 0.2, ms + 1000);
    own(&mut app, ms + 2000);
    assert_eq!(selected(&app), Some(211_000_006), "followed again");
}

#[test]
fn the_selected_target_window_keeps_its_ship_while_open() {
    let mut app = app();
    own(&mut app, T0);
    ship(&mut app, MID, 6.0, T0 + 1000);
    own(&mut app, T0 + 2000);
    assert_eq!(selected(&app), Some(MID));
    app.update(Action::ToggleDetails);
    assert!(app.view.details);
    ship(&mut app, NEAR, 3.0, T0 + 3000);
    own(&mut app, T0 + 4000);
    assert_eq!(selected(&app), Some(MID), "not changed under his eyes");
    // Closed: the nearest is followed again.
    app.update(Action::Close);
    assert_eq!(selected(&app), Some(NEAR));
}
