//! Snapshots of every view and popup on ratatui's TestBackend, driven by
//! the built-in demo replayed to a fixed data time (deterministic: the
//! engine runs on the data clock).

use bridgewatch::app::Config;
use bridgewatch::app::alarm_log::AlarmLog;
use bridgewatch::app::console::{Action, App};
use bridgewatch::app::run::{Source, build_app};
use bridgewatch::link::tasks::LinkMsg;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The demo app fed up to `secs` seconds of its scenario.
fn demo_app(secs: i64) -> App {
    let mut sink = Vec::new();
    let log = AlarmLog::open(None, &mut sink);
    let mut app = build_app(&Config::default(), &Source::Demo, log).expect("app");
    app.link(LinkMsg::State {
        link: 0,
        up: true,
        detail: "built-in scenario".into(),
    });
    let end = bridgewatch::app::demo::START_MS + secs * 1000;
    for line in bridgewatch::app::demo::scenario().lines() {
        if let Some(ms) = line
            .strip_prefix("\\c:")
            .and_then(|r| r.split('*').next())
            .and_then(|t| t.parse::<i64>().ok())
            && ms > end
        {
            break;
        }
        app.link(LinkMsg::Line {
            link: 0,
            received_ms: 0,
            line: Some(line.as_bytes().to_vec()),
        });
    }
    app
}

fn render(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| bridgewatch::ui::draw(f, app)).expect("draw");
    format!("{}", t.backend())
}

#[test]
fn main_screen_with_a_dangerous_target() {
    let app = demo_app(60);
    let screen = render(&app, 140, 44);
    // The dangerous ship is in the alarm bar and marked in the list in words.
    assert!(screen.contains("ALARM"), "{screen}");
    assert!(screen.contains("NORDIC STAR"));
    assert!(screen.contains("DANGER"));
    insta::assert_snapshot!(screen);
}

#[test]
fn minimum_display_scrolls_but_keeps_bearing_and_range() {
    let mut app = demo_app(60);
    let before = render(&app, 140, 44);
    for _ in 0..4 {
        app.update(Action::ScrollRight);
    }
    let after = render(&app, 140, 44);
    let tail = |s: &str| s.lines().rev().take(5).collect::<Vec<_>>().join("\n");
    assert_ne!(tail(&before), tail(&after), "other data scrolled");
    for s in [&before, &after] {
        assert!(s.contains(" BRG  ") && s.contains(" RNG  ") && s.contains(" NAME "));
    }
    insta::assert_snapshot!(tail(&after));
}

#[test]
fn narrow_terminal_keeps_list_and_minimum_display() {
    let app = demo_app(60);
    let screen = render(&app, 90, 30);
    assert!(screen.contains("BRG"));
    insta::assert_snapshot!(screen);
}

#[test]
fn selected_target_window_reads_missing_for_what_never_came() {
    let mut app = demo_app(20);
    // Select the Class B yacht: it has sent no static data yet at 20 s?
    app.update(Action::ToggleDetails);
    let screen = render(&app, 140, 44);
    assert!(screen.contains("missing"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn help_lists_every_key() {
    let mut app = demo_app(5);
    app.update(Action::ToggleHelp);
    let screen = render(&app, 140, 44);
    for (_, name, _, _) in Action::ALL {
        assert!(
            screen.contains(&format!("[{name}]")),
            "{name} missing from help"
        );
    }
    insta::assert_snapshot!(screen);
}

#[test]
fn alarm_log_after_lost_target_and_sart() {
    let mut app = demo_app(250);
    app.update(Action::ToggleAlarmLog);
    let screen = render(&app, 140, 44);
    assert!(
        screen.contains("Lost target 261000777 KAROLINA"),
        "{screen}"
    );
    assert!(screen.contains("AIS-SART 970111222"), "{screen}");
    assert!(screen.contains("message from 2190047"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn alarms_switched_off_are_always_flagged() {
    let mut config = Config::default();
    config.alarms.lost = false;
    let mut sink = Vec::new();
    let app = build_app(&config, &Source::Demo, AlarmLog::open(None, &mut sink)).unwrap();
    let screen = render(&app, 140, 44);
    assert!(screen.contains("ALARMS OFF: lost"), "{screen}");
}

#[test]
fn moored_suppression_is_flagged_like_an_alarm_switched_off() {
    let screen = render(&demo_app(10), 140, 44);
    assert!(!screen.contains("ALARMS OFF"), "{screen}");
    let mut config = Config::default();
    config.alarms.suppress_moored = true;
    let mut sink = Vec::new();
    let app = build_app(&config, &Source::Demo, AlarmLog::open(None, &mut sink)).unwrap();
    let screen = render(&app, 140, 44);
    assert!(screen.contains("ALARMS OFF: cpa_from_moored"), "{screen}");
}

#[test]
fn sart_test_transmission_is_marked_as_a_test_in_the_list() {
    let mut app = demo_app(30);
    let now = app.now_ms() + 1000;
    let own = app
        .engine
        .traffic
        .own
        .position
        .map(|p| p.value.value)
        .expect("demo own position");
    let sart = 970_999_001;
    let pos = (own.0 + 0.02, own.1);
    let report = bridgewatch::sim::class_a(sart, pos, None, 0.0, 15, 0);
    for line in bridgewatch::sim::vdm(&report, now, false, 'A', 0) {
        app.link(LinkMsg::Line {
            link: 0,
            received_ms: 0,
            line: Some(line.into_bytes()),
        });
    }
    app.engine.traffic.select(Some(sart));
    let screen = render(&app, 140, 44);
    let row = screen
        .lines()
        .find(|l| l.contains("970999001") && l.contains("SART"))
        .unwrap_or_else(|| panic!("no list row for the SART: {screen}"));
    assert!(row.contains("⊘T") && row.contains("TEST"), "{row}");
    assert!(!screen.contains("AIS-SART 970999001"), "{screen}");
}

#[test]
fn acknowledge_changes_the_alarm_bar() {
    let mut app = demo_app(60);
    // Unacknowledged: marked "!" before the priority, state in words.
    assert!(render(&app, 140, 44).contains("!▲ ALARM   UNACK "));
    app.update(Action::Acknowledge);
    let screen = render(&app, 140, 44);
    assert!(screen.contains(" ▲ ALARM   ack "), "{screen}");
}

#[test]
fn a_link_down_too_long_raises_an_alarm_and_shows_in_the_status_bar() {
    let mut sink = Vec::new();
    let src = Source::Inputs(vec![bridgewatch::link::InputSpec::Tcp(
        "127.0.0.1:1".into(),
    )]);
    let mut app = build_app(&Config::default(), &src, AlarmLog::open(None, &mut sink)).unwrap();
    let t0 = 1_795_000_000_000;
    app.tick(t0);
    app.link(LinkMsg::State {
        link: 0,
        up: false,
        detail: "connection refused".into(),
    });
    app.tick(t0 + 10_000);
    assert!(
        app.engine.traffic.alarms.is_empty(),
        "not before link_alarm_s"
    );
    app.tick(t0 + 31_000);
    let id = bridgewatch::traffic::alarm::AlarmId::Link("tcp:127.0.0.1:1".into());
    assert!(app.engine.traffic.alarms.get(&id).is_some());
    let screen = render(&app, 140, 30);
    assert!(
        screen.contains("○ tcp:127.0.0.1:1 (connection refused)"),
        "{screen}"
    );
    assert!(screen.contains("Link tcp:127.0.0.1:1 down"), "{screen}");
    // Back up: the alarm condition is gone.
    app.link(LinkMsg::State {
        link: 0,
        up: true,
        detail: "connected".into(),
    });
    assert_ne!(
        app.engine.traffic.alarms.get(&id).map(|a| a.state),
        Some(bridgewatch::traffic::alarm::AlarmState::ActiveUnacknowledged)
    );
}

#[test]
fn any_terminal_size_renders_without_panic() {
    let mut app = demo_app(240);
    for (w, h) in [
        (1, 1),
        (2, 3),
        (10, 4),
        (20, 8),
        (40, 12),
        (79, 24),
        (80, 25),
        (99, 30),
        (100, 30),
        (300, 100),
    ] {
        for popup in [
            None,
            Some(Action::ToggleDetails),
            Some(Action::ToggleHelp),
            Some(Action::ToggleAlarmLog),
        ] {
            if let Some(a) = popup {
                app.update(a);
            }
            let _ = render(&app, w, h);
            if let Some(a) = popup {
                app.update(a);
            }
        }
    }
}

#[test]
fn snoozed_dangerous_target_is_marked_in_the_list() {
    let mut app = demo_app(60);
    // Select the dangerous ship and snooze it.
    for _ in 0..20 {
        if app.selected().map(|t| t.mmsi) == Some(230_123_000) {
            break;
        }
        app.update(Action::NextTarget);
    }
    assert_eq!(app.selected().map(|t| t.mmsi), Some(230_123_000));
    app.update(Action::Snooze);
    let screen = render(&app, 140, 44);
    assert!(screen.contains("DANGER z"), "{screen}");
}

#[test]
fn dangerous_target_gone_silent_keeps_its_cpa_and_the_alarm_mark() {
    let mut app = demo_app(60);
    // Nothing heard for 70 s of data time: every ship is lost, the
    // dangerous NORDIC STAR as an alarm that keeps its last CPA.
    let now = app.engine.now_ms(0);
    app.engine.traffic.tick(now + 70_000);
    let screen = render(&app, 140, 44);
    let row = screen
        .lines()
        .find(|l| l.contains("NORDIC STAR") && l.contains("LOST"))
        .unwrap_or_else(|| panic!("no lost row: {screen}"));
    assert!(row.contains("✕!") && row.contains(" 0.23 "), "{row}");
    assert!(
        screen.contains(
            "!▲ ALARM   UNACK    Lost dangerous target 230123000 NORDIC STAR: last CPA 0.23 NM"
        ),
        "{screen}"
    );
    // More alerts than rows: the bar says how many more, and how many of
    // them wait for an acknowledgement.
    assert!(
        screen.contains("unacknowledged, l for the log)"),
        "{screen}"
    );
}
