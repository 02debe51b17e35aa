//! The console's own loop under a busy feed, and what it keeps in sight:
//! the work between two frames is proportional to what arrived (no pass
//! over the whole picture per datagram), a target with an active alert is
//! listed whatever the filter and selected until the officer chooses, an
//! aid to navigation is never selected for him, and the status line is
//! whole at 160 columns. Positions are due north of own ship, so ranges
//! are known without our geodesy (a minute of latitude is a nautical mile,
//! to 0.2 % here).

mod common;
use bridgewatch::ais::messages::{AidToNavigation, AisMessage, Body, Dimensions};
use bridgewatch::app::console::{Action, App, Filter};
use bridgewatch::app::run::Recording;
use bridgewatch::link::tasks::LinkMsg;
use bridgewatch::nmea::armour::Text;
use bridgewatch::sim;
use bridgewatch::ui::terminal::{draw, link_batch};
use common::console_app;
use common::console_app::screen;
use console_app::{app, feed};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const T0: i64 = 1_795_000_000_000;
const OWN: (f64, f64) = (54.5, 11.0);

fn north(nm: f64) -> (f64, f64) {
    (OWN.0 + nm / 60.0, OWN.1)
}

fn line(l: String) -> LinkMsg {
    LinkMsg::Line {
        link: 0,
        received_ms: 0,
        line: Some(l.into_bytes()),
    }
}

/// Own ship lying still at OWN, a fix every second from `from` to `to`.
fn own(app: &mut App, from: i64, to: i64) {
    let mut t = from;
    while t <= to {
        feed(app, vec![sim::tagged(&sim::rmc(t, OWN, 0.0, 0.0), t)]);
        t += 1000;
    }
}

fn selected(app: &App) -> Option<u32> {
    app.selected().map(|t| t.mmsi)
}

#[test]
fn a_thousand_datagrams_between_two_frames_build_no_list() {
    let mut app = app();
    let mut recorder = Recording::open(None, &mut app.engine);
    let mut term = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    own(&mut app, T0, T0 + 1000);
    draw(&mut app, &mut term).expect("frame 1");
    let after_frame_1 = app.list_builds.get();

    // 1,000 ships, each in its own datagram, the nearest coming last:
    // ship i lies 20 − 0.015·i NM north, lying still (no alarm).
    let (tx, mut rx) = tokio::sync::mpsc::channel(2000);
    let mmsi = |i: u32| 211_000_000 + i;
    let ms = T0 + 1500;
    for i in 0..1000u32 {
        let nm = 20.0 - 0.015 * f64::from(i);
        let m = sim::class_a(mmsi(i), north(nm), Some(0.0), 0.0, 0, 1);
        for s in sim::vdm(&m, ms, false, 'A', 0) {
            tx.try_send(line(s)).expect("room in the channel");
        }
    }
    let first = rx.try_recv().expect("a datagram");
    link_batch(&mut app, first, &mut rx, &mut recorder);
    assert_eq!(
        app.engine.traffic.targets.len(),
        1000,
        "every datagram taken"
    );
    assert_eq!(
        app.list_builds.get(),
        after_frame_1,
        "no list built, no pass over the targets, between the frames"
    );

    draw(&mut app, &mut term).expect("frame 2");
    let per_frame = app.list_builds.get() - after_frame_1;
    assert!(
        (1..=2).contains(&per_frame),
        "one list and one nearest-ship scan a frame at most: {per_frame}"
    );
    assert_eq!(selected(&app), Some(mmsi(999)), "the nearest, settled once");
    let text = screen(&term).join("\n");
    assert!(text.contains(" targets 1000 "), "{text}");
    assert_eq!(app.frames, 2);
}

/// A Class B ship `nm` north heading south (towards own ship) at 10 kn:
/// on a collision course, dangerous once the engine has evaluated it.
fn class_b_closing(app: &mut App, mmsi: u32, nm: f64, ms: i64) {
    let m = sim::class_b(mmsi, north(nm), 180.0, 10.0, ((ms / 1000) % 60) as u8);
    feed(app, sim::vdm(&m, ms, false, 'A', 0));
}

fn still(app: &mut App, m: AisMessage, ms: i64) {
    feed(app, sim::vdm(&m, ms, false, 'B', 0));
}

#[test]
fn a_filtered_class_b_with_an_alarm_stays_listed_marked_and_selected() {
    const B_DANGER: u32 = 244_000_001;
    const B_QUIET: u32 = 244_000_002;
    const A_NEAR: u32 = 211_000_001;
    let mut app = app();
    while app.view.filter != Filter::HideClassB {
        app.update(Action::CycleFilter);
    }
    own(&mut app, T0, T0 + 1000);
    // A Class A lying still at 1.5 NM (the nearest ship), a quiet Class B
    // lying still at 4 NM, and a Class B closing from 1.8 NM (10.8 min).
    still(
        &mut app,
        sim::class_a(A_NEAR, north(1.5), Some(0.0), 0.0, 0, 1),
        T0 + 1100,
    );
    still(
        &mut app,
        sim::class_b(B_QUIET, north(4.0), 0.0, 0.0, 1),
        T0 + 1200,
    );
    class_b_closing(&mut app, B_DANGER, 1.8, T0 + 1300);
    own(&mut app, T0 + 2000, T0 + 4000);
    let t = &app.engine.traffic.targets[&B_DANGER];
    assert!(t.dangerous, "the closing Class B is dangerous");
    assert!(t.cpa.is_some_and(|c| c.cpa_nm < 0.05), "CPA about 0");

    let listed: Vec<u32> = app.list().iter().map(|t| t.mmsi).collect();
    assert!(
        listed.contains(&B_DANGER),
        "alerted: listed despite the filter"
    );
    assert!(
        !listed.contains(&B_QUIET),
        "the filter still hides the quiet one"
    );
    assert_eq!(listed.len(), 2);
    // Until the officer chooses, the target of the top alarm, not the
    // nearest ship.
    assert_eq!(selected(&app), Some(B_DANGER));

    let mut term = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    draw(&mut app, &mut term).expect("frame");
    let rows = screen(&term);
    let row = rows
        .iter()
        .find(|r| r.contains("244000001") && !r.contains("Dangerous target"))
        .expect("the Class B row in the list");
    assert!(
        row.contains("DANGER *"),
        "marked as shown despite the filter: {row}"
    );
    assert!(
        rows.iter().any(|r| r.contains("* shown for its alert")),
        "the list says what * means"
    );
    assert!(!rows.iter().any(|r| r.contains("244000002")));

    // The officer picks the Class A; the key takes him back to the alarm.
    app.select(A_NEAR);
    assert_eq!(selected(&app), Some(A_NEAR));
    own(&mut app, T0 + 5000, T0 + 6000);
    assert_eq!(selected(&app), Some(A_NEAR), "his pick holds");
    app.key(&KeyEvent::new(KeyCode::Char('t'), KeyModifiers::NONE));
    assert_eq!(selected(&app), Some(B_DANGER), "t: the top alarm's target");
}

#[test]
fn an_aid_to_navigation_nearer_than_any_ship_is_not_selected() {
    const ATON: u32 = 992_111_333;
    const SHIP: u32 = 211_000_009;
    let mut app = app();
    own(&mut app, T0, T0 + 1000);
    let (lon, lat) = sim::raw_position(north(0.3));
    let aton = AisMessage {
        msg_type: 21,
        repeat: 0,
        mmsi: ATON,
        body: Body::AidToNavigation(Box::new(AidToNavigation {
            aid_type: 21,
            name: Text::from_str_lossy("TEST BUOY"),
            accuracy: true,
            lon,
            lat,
            dim: Dimensions::default(),
            epfd: 7,
            second: 1,
            off_position: false,
            regional: 0,
            raim: false,
            virtual_aid: false,
            assigned: false,
        })),
    };
    still(&mut app, aton, T0 + 1100);
    assert!(app.engine.traffic.targets.contains_key(&ATON));
    assert_eq!(
        selected(&app),
        None,
        "an AtoN alone is not selected for him"
    );
    still(
        &mut app,
        sim::class_a(SHIP, north(3.0), Some(0.0), 0.0, 0, 1),
        T0 + 1200,
    );
    own(&mut app, T0 + 2000, T0 + 3000);
    let range = |m: u32| app.engine.traffic.targets[&m].bearing_range.map(|b| b.1);
    assert!(range(ATON) < range(SHIP), "the buoy is nearer");
    assert_eq!(selected(&app), Some(SHIP), "the nearest ship, not the buoy");
    assert_eq!(app.nearest(), Some(SHIP));
}

#[test]
fn the_status_line_is_whole_at_160_columns() {
    let mut sink = Vec::new();
    let keymap = bridgewatch::app::console::Keymap::new(&Default::default()).expect("keys");
    let mut app = App::new(
        bridgewatch::traffic::config::TrafficConfig::default(),
        true,
        vec![
            "serial:/dev/ttyUSB0@38400".into(),
            "udp:0.0.0.0:10110".into(),
            "tcp:192.168.1.20:10110".into(),
        ],
        keymap,
        bridgewatch::app::alarm_log::AlarmLog::open(None, &mut sink),
    );
    app.config_label = "config /home/officer/.config/bridgewatch/config.toml".into();
    for ms in 0..167u32 {
        let m = sim::class_a(211_100_000 + ms, north(2.0), Some(0.0), 0.0, 0, 1);
        feed(&mut app, sim::vdm(&m, T0, false, 'A', 0));
    }
    for link in 0..3 {
        app.link(LinkMsg::State {
            link,
            up: false,
            detail: "No such file or directory (os error 2)".into(),
        });
    }
    let mut term = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    draw(&mut app, &mut term).expect("frame");
    let rows = screen(&term);
    let status: String = rows[1..3].join("\n");
    // Whatever the line holds, nothing is cut: the links whole, and the
    // count and configuration whole or not at all.
    for name in [
        "serial:/dev/ttyUSB0@38400",
        "udp:0.0.0.0:10110",
        "tcp:192.168.1.20:10110",
    ] {
        assert!(status.contains(name), "{name} whole: {status}");
    }
    assert_eq!(
        status
            .matches("(No such file or directory (os error 2))")
            .count(),
        3
    );
    let tail = status.trim_end();
    assert!(
        tail.ends_with("167 targets")
            || tail.ends_with("config /home/officer/.config/bridgewatch/config.toml")
            || tail.ends_with(')'),
        "the line ends with a whole word: {status}"
    );
    assert!(!status.contains("167 targets · c") || status.contains("config.toml"));
}
