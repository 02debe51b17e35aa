//! Snapshots of every view and popup on ratatui's TestBackend, driven by
//! the built-in demo replayed to a fixed data time (deterministic: the
//! engine runs on the data clock).

use bridgewatch::app::Config;
use bridgewatch::app::alarm_log::AlarmLog;
use bridgewatch::app::console::{Action, App};
use bridgewatch::app::run::{Source, build_app};
use bridgewatch::link::tasks::LinkMsg;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The demo app fed up to `secs` seconds of its scenario.
fn demo_app(secs: i64) -> App {
    let mut sink = Vec::new();
    demo_app_with(secs, AlarmLog::open(None, &mut sink))
}

/// [`demo_app`] writing its alarm log with `log`.
fn demo_app_with(secs: i64, log: AlarmLog) -> App {
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
    app.select(230_123_000);
    let before = render(&app, 80, 24);
    for _ in 0..4 {
        app.update(Action::ScrollRight);
    }
    let after = render(&app, 80, 24);
    let tail = |s: &str| s.lines().rev().take(5).collect::<Vec<_>>().join("\n");
    assert_ne!(tail(&before), tail(&after), "other data scrolled");
    for s in [&before, &after] {
        assert!(s.contains(" BRG  ") && s.contains(" RNG  ") && s.contains(" NAME "));
    }
    insta::assert_snapshot!(tail(&after));
}

/// The scrolled part of the minimum display: how many fields it shows by
/// their labels, and the counts of its "◀ n more" and "▶ n more" marks.
fn scrolled_fields(app: &App, w: u16) -> (usize, usize, usize) {
    let labels: Vec<&str> = bridgewatch::ui::minimum::fields(app)
        .iter()
        .map(|f| f.0)
        .collect();
    let screen = render(app, w, 30);
    let min = minimum_lines(&screen).join(" ");
    let words: Vec<&str> = min.split_whitespace().collect();
    let mark = |m: &str| {
        words
            .windows(3)
            .find(|x| x[0] == m && x[2] == "more")
            .and_then(|x| x[1].parse::<usize>().ok())
            .unwrap_or(0)
    };
    let shown = labels.iter().filter(|l| words.contains(l)).count();
    (shown, mark("◀"), mark("▶"))
}

/// The marks say what is hidden, no more and no less: every field is
/// shown or counted in a mark, at every scroll position; → stops where
/// nothing more would come into view, and at 160 columns, where all the
/// fields fit, it changes nothing and no mark appears.
#[test]
fn the_minimum_displays_more_marks_are_true() {
    for w in [80u16, 90, 100, 120, 140, 160] {
        let mut app = demo_app(60);
        app.select(230_123_000);
        let total = bridgewatch::ui::minimum::fields(&app).len();
        let mut last = None;
        for press in 0..total + 2 {
            let (shown, left, right) = scrolled_fields(&app, w);
            assert_eq!(
                shown + left + right,
                total,
                "{w} columns after {press} →: shown {shown}, ◀ {left}, ▶ {right}"
            );
            if right == 0 {
                // Nothing hidden on the right: → changes nothing.
                let now = (shown, left, right);
                if let Some(l) = last {
                    assert!(l == now || press > 0, "{w}: {l:?} → {now:?}");
                }
                app.update(Action::ScrollRight);
                assert_eq!(scrolled_fields(&app, w), now, "{w} columns: → past the end");
                break;
            }
            last = Some((shown, left, right));
            app.update(Action::ScrollRight);
        }
        if w >= 160 {
            let (shown, left, right) = scrolled_fields(&app, w);
            assert_eq!((shown, left, right), (total, 0, 0), "{w}");
        }
    }
}

#[test]
fn narrow_terminal_keeps_list_and_minimum_display() {
    let app = demo_app(60);
    let screen = render(&app, 90, 30);
    assert!(screen.contains("BRG"));
    insta::assert_snapshot!(screen);
}

/// The minimum display's three lines, read from the rendered screen: the
/// three above the key hints.
fn minimum_lines(screen: &str) -> Vec<String> {
    let lines: Vec<&str> = screen.lines().collect();
    let n = lines.len();
    assert!(n >= 4, "{screen}");
    lines[n - 4..n - 1]
        .iter()
        .map(|l| l.trim_matches('"').to_string())
        .collect()
}

/// At 80×24 every ship's bearing, range and name, and its SOG, COG and
/// navigational status where it sent them, stand whole in the minimum
/// display: a field that does not fit goes to the next line or is
/// reached with ←/→, never cut at the edge.
#[test]
fn at_80x24_the_minimum_display_keeps_cog_and_status_whole() {
    use bridgewatch::ais::legends;
    use bridgewatch::ui::format;
    let mut app = demo_app(60);
    let mut seen = Vec::new();
    while let Some(t) = app.selected() {
        if seen.contains(&t.mmsi) {
            break;
        }
        seen.push(t.mmsi);
        let screen = render(&app, 80, 24);
        let min = minimum_lines(&screen);
        assert!(min.iter().all(|l| l.chars().count() == 80), "{min:#?}");
        let all = min.join("\n");
        let (brg, rng) = app
            .engine
            .traffic
            .shown_bearing_range(t, app.now_ms())
            .expect("bearing and range");
        let mut wanted = vec![
            format!("BRG  {}°", format::bearing(brg)),
            format!("RNG  {rng:.2} NM"),
            format!("NAME {}", format::name(t)),
        ];
        if let Some(c) = t.cog_deg {
            wanted.push(format!("COG {}°", format::bearing(c.value)));
        }
        if let Some(s) = t.sog_kn {
            wanted.push(format!("SOG {:.1} kn", s.value));
        }
        if let Some(s) = t.nav_status {
            wanted.push(format!("STATUS {}", legends::nav_status(s.value)));
        }
        for w in &wanted {
            // Whole, on one line, and not run into the next field.
            assert!(
                min.iter()
                    .any(|l| l.contains(&format!("{w} ")) || l.trim_end().ends_with(w.as_str())),
                "{:09}: {w:?} not whole in\n{all}",
                t.mmsi
            );
        }
        press(&mut app, KeyCode::Down);
    }
    assert!(seen.len() >= 5, "{seen:?}");
    // The dangerous ship, with all of them.
    assert!(seen.contains(&230_123_000), "{seen:?}");
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

fn press(app: &mut App, code: KeyCode) {
    app.key(&KeyEvent::new(code, KeyModifiers::NONE));
}

/// The "more (shown/total)" of a window's bottom border, if any.
fn more(screen: &str) -> Option<(usize, usize)> {
    let at = screen.find(" more (")?;
    let rest = &screen[at + 7..];
    let (shown, rest) = rest.split_once('/')?;
    let (total, _) = rest.split_once(')')?;
    Some((shown.parse().ok()?, total.parse().ok()?))
}

/// Every screen of an open window from its top to its end, scrolling with
/// `key` (the window must show "more" first: it is cut off).
fn every_scroll_position(app: &mut App, w: u16, h: u16, key: KeyCode) -> Vec<String> {
    press(app, KeyCode::Home);
    let mut screens = vec![render(app, w, h)];
    let (_, total) = more(&screens[0]).expect("the window is cut off at this size");
    loop {
        let last = screens.last().map(|s| more(s)).unwrap_or_default();
        if last.map(|m| m.0) == Some(total) {
            return screens;
        }
        assert!(screens.len() <= total, "the end is never reached");
        press(app, key);
        screens.push(render(app, w, h));
    }
}

#[test]
fn help_scrolls_at_80x24_and_every_entry_is_reachable() {
    let mut app = demo_app(60);
    let selected = app.selected().map(|t| t.mmsi);
    press(&mut app, KeyCode::Char('?'));
    assert!(app.view.help);
    let top = render(&app, 80, 24);
    insta::assert_snapshot!(top);
    // Cut off at this size, with the indicator; the alarm bar stays in view.
    assert!(top.contains("↓ more ("), "{top}");
    assert!(top.contains("ALARM"), "{top}");
    let screens = every_scroll_position(&mut app, 80, 24, KeyCode::Down);
    let all = screens.concat();
    for (_, name, _, text) in Action::ALL {
        assert!(all.contains(&format!("[{name}]")), "{name} never shown");
        assert!(all.contains(text), "{text:?} never shown");
    }
    // The last line is reachable, and the indicator says so.
    let end = screens.last().expect("screens");
    assert!(end.contains("closes this help."), "{end}");
    assert!(end.contains("↑ more ("), "{end}");
    assert_eq!(more(end).map(|m| m.0 == m.1), Some(true), "{end}");
    // Down scrolled the help, not the ship selection.
    assert_eq!(app.selected().map(|t| t.mmsi), selected);
    // Home, End and the page keys go where they say.
    press(&mut app, KeyCode::Home);
    assert_eq!(render(&app, 80, 24), top);
    press(&mut app, KeyCode::End);
    assert_eq!(&render(&app, 80, 24), end);
    press(&mut app, KeyCode::PageUp);
    let (shown, total) = more(&render(&app, 80, 24)).expect("more");
    assert!(shown < total);
    press(&mut app, KeyCode::PageDown);
    assert_eq!(&render(&app, 80, 24), end);
    // Pressing past the end changes nothing, and Up comes back at once.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Up);
    assert_ne!(&render(&app, 80, 24), end);
}

#[test]
fn selected_target_window_scrolls_at_80x24_and_every_field_is_reachable() {
    let mut app = demo_app(60);
    // The dangerous ship: every static and voyage field received.
    while app.selected().map(|t| t.mmsi) != Some(230_123_000) {
        let before = app.selected().map(|t| t.mmsi);
        press(&mut app, KeyCode::Down);
        assert_ne!(app.selected().map(|t| t.mmsi), before, "not in the list");
    }
    press(&mut app, KeyCode::Enter);
    assert!(app.view.details);
    let top = render(&app, 80, 24);
    insta::assert_snapshot!(top);
    assert!(top.contains("↓ more ("), "{top}");
    let screens = every_scroll_position(&mut app, 80, 24, KeyCode::Down);
    let all = screens.concat();
    for field in [
        "Name          NORDIC STAR",
        "MMSI          230123000",
        "Class",
        "State",
        "Position",
        "SOG",
        "COG",
        "Heading",
        "Rate of turn",
        "Nav status    Under way using engine",
        "CPA",
        "TCPA",
        "Bearing/range",
        "Call sign     OJAB2",
        "IMO           9123000",
        "Ship type     70 Cargo",
        "Dimensions    150 m × 22 m",
        "Draught       7.2 m",
        "Destination   GDANSK",
        "ETA           06-22 06:00 UTC",
        "Inland data   missing",
    ] {
        assert!(all.contains(field), "{field:?} never shown");
    }
    let end = screens.last().expect("screens");
    assert!(end.contains("Inland data"), "the last line: {end}");
    assert_eq!(more(end).map(|m| m.0 == m.1), Some(true), "{end}");
    // Scrolling the window left the selection where it was.
    assert_eq!(app.selected().map(|t| t.mmsi), Some(230_123_000));
    // Esc closes it; then Down moves the selection again.
    press(&mut app, KeyCode::Esc);
    assert!(!app.view.details);
    press(&mut app, KeyCode::Down);
    assert_ne!(app.selected().map(|t| t.mmsi), Some(230_123_000));
}

#[test]
fn popups_on_a_large_screen_fit_without_scrolling() {
    let mut app = demo_app(60);
    app.update(Action::ToggleHelp);
    for (w, h) in [(140, 44), (100, 40), (200, 24)] {
        let screen = render(&app, w, h);
        assert!(more(&screen).is_none(), "{w}×{h}: {screen}");
        for (_, name, _, text) in Action::ALL {
            assert!(screen.contains(&format!("[{name}]")), "{w}×{h}: {name}");
            assert!(screen.contains(text), "{w}×{h}: {text}");
        }
    }
    // 200×24 is low for one column: two, side by side.
    let wide = render(&app, 200, 24);
    assert!(
        wide.lines()
            .any(|l| l.contains("[next]") && l.contains("[zoom_out]")),
        "{wide}"
    );
    app.update(Action::ToggleHelp);
    app.update(Action::ToggleDetails);
    for (w, h) in [(140, 44), (100, 40)] {
        let screen = render(&app, w, h);
        assert!(more(&screen).is_none(), "{w}×{h}: {screen}");
        assert!(screen.contains("Inland data"), "{w}×{h}: {screen}");
    }
}

fn help_text(app: &App) -> String {
    // Wide enough for the help's own line to stand on one line.
    render(app, 300, 60)
}

#[test]
fn the_help_says_which_keys_scroll_close_and_quit_and_they_do() {
    // Default keys.
    let mut app = demo_app(60);
    assert!(app.unacknowledged_alarms() > 0);
    press(&mut app, KeyCode::Char('?'));
    let text = help_text(&app);
    assert!(
        text.contains(
            "In this help: up/down/pageup/pagedown/home/end scroll; q or ctrl-c quits (asking \
             first while an alarm is unacknowledged); esc, ? or any other key closes this help."
        ),
        "{text}"
    );
    assert!(!text.contains("any key closes"), "{text}");
    // The scroll keys scroll (at 80×24 the help is cut off) and keep it open.
    let _ = render(&app, 80, 24);
    for (code, back) in [
        (KeyCode::Down, KeyCode::Up),
        (KeyCode::PageDown, KeyCode::PageUp),
        (KeyCode::End, KeyCode::Home),
    ] {
        press(&mut app, code);
        assert!(app.view.help, "{code:?} closed the help");
        assert!(app.view.help_scroll.offset > 0, "{code:?} did not scroll");
        press(&mut app, back);
        assert!(app.view.help, "{back:?} closed the help");
        assert_eq!(app.view.help_scroll.offset, 0, "{back:?} did not scroll");
    }
    // q quits, asking first while an alarm is unacknowledged.
    press(&mut app, KeyCode::Char('q'));
    assert!(app.view.confirm_quit && !app.quit);
    press(&mut app, KeyCode::Char('n'));
    assert!(!app.quit && app.view.help, "back to the help");
    // esc and ? close it; so does another key, which does nothing else.
    for code in [KeyCode::Esc, KeyCode::Char('?'), KeyCode::Char('a')] {
        if !app.view.help {
            press(&mut app, KeyCode::Char('?'));
        }
        assert!(app.view.help);
        let unacknowledged = app.unacknowledged_alarms();
        press(&mut app, code);
        assert!(!app.view.help, "{code:?} did not close the help");
        assert_eq!(app.unacknowledged_alarms(), unacknowledged);
    }

    // Rebound keys: the words follow them.
    let mut config = Config::default();
    for (action, key) in [
        ("quit", "x"),
        ("close", "c"),
        ("help", "g"),
        ("next", "j"),
        ("prev", "k"),
    ] {
        config.keys.insert(action.into(), key.into());
    }
    let mut sink = Vec::new();
    let mut app = build_app(&config, &Source::Demo, AlarmLog::open(None, &mut sink)).unwrap();
    press(&mut app, KeyCode::Char('g'));
    assert!(app.view.help);
    let text = help_text(&app);
    assert!(
        text.contains(
            "In this help: k/j/up/down/pageup/pagedown/home/end scroll; x or ctrl-c quits \
             (asking first while an alarm is unacknowledged); c, g or any other key closes \
             this help."
        ),
        "{text}"
    );
    let _ = render(&app, 80, 24);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.view.help_scroll.offset, 1, "j scrolls");
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.view.help_scroll.offset, 0, "k scrolls back");
    press(&mut app, KeyCode::Char('c'));
    assert!(!app.view.help, "c closes");
    press(&mut app, KeyCode::Char('i'));
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.view.help && !app.quit, "q is another key here: closes");
    press(&mut app, KeyCode::Char('i'));
    press(&mut app, KeyCode::Char('x'));
    assert!(app.quit, "x quits (no alarm to ask about)");
}

/// The alarms of the demo at 4:10: the dangerous crossing ship, the lost
/// fishing vessel, the AIS-SART, all sounding.
fn sounding(app: &App) -> Vec<bridgewatch::traffic::alarm::AlarmId> {
    app.engine
        .traffic
        .alarms
        .ranked()
        .iter()
        .filter(|a| a.sounding())
        .map(|a| a.id.clone())
        .collect()
}

#[test]
fn silence_mutes_every_sounding_alarm_and_shows_the_time_left() {
    use bridgewatch::traffic::alarm::AlarmState;
    let mut app = demo_app(250);
    let before = sounding(&app);
    assert!(before.len() >= 2, "{before:?}");
    app.update(Action::Silence);
    assert!(sounding(&app).is_empty());
    // A silence counts wall time (the clock the alarms keep for timers).
    let now = app.engine.traffic.alarms.timer_now(app.now_ms());
    for id in &before {
        assert_eq!(
            app.engine.traffic.alarms.get(id).map(|a| a.state),
            Some(AlarmState::ActiveSilenced {
                until_ms: now + 30_000
            }),
            "{id:?}"
        );
    }
    let screen = render(&app, 140, 44);
    assert_eq!(
        screen.matches("silenced 30 s").count(),
        before.len().min(4),
        "{screen}"
    );
}

#[test]
fn a_chosen_alarm_is_acknowledged_and_the_top_one_is_left() {
    use bridgewatch::traffic::alarm::AlarmState;
    let mut app = demo_app(250);
    let ranked: Vec<_> = app
        .engine
        .traffic
        .alarms
        .ranked()
        .iter()
        .map(|a| a.id.clone())
        .collect();
    assert!(ranked.len() >= 2);
    app.update(Action::ChooseAlarm);
    app.update(Action::ChooseAlarm);
    assert_eq!(app.chosen_alarm().as_ref(), Some(&ranked[1]));
    let screen = render(&app, 140, 44);
    let row = screen
        .lines()
        .find(|l| l.contains("▶▲ ALARM"))
        .unwrap_or_else(|| panic!("no chosen row: {screen}"));
    let top = screen.lines().find(|l| l.contains("▲ ALARM")).unwrap_or("");
    assert_ne!(row, top);
    app.update(Action::Acknowledge);
    let state = |app: &App, id| app.engine.traffic.alarms.get(id).map(|a| a.state);
    assert_eq!(
        state(&app, &ranked[1]),
        Some(AlarmState::ActiveAcknowledged)
    );
    assert_eq!(
        state(&app, &ranked[0]),
        Some(AlarmState::ActiveUnacknowledged)
    );
    // The choice is used up: the next press answers the top one.
    assert_eq!(app.chosen_alarm(), None);
    app.update(Action::Acknowledge);
    assert_eq!(
        state(&app, &ranked[0]),
        Some(AlarmState::ActiveAcknowledged)
    );
}

#[test]
fn snooze_is_logged_as_snoozed_and_shown_with_the_time_left() {
    let dir = tempfile::Builder::new()
        .prefix("bridgewatch-ui-snooze-")
        .tempdir()
        .expect("temp dir");
    let mut sink = Vec::new();
    let log = AlarmLog::open(Some(dir.path().to_path_buf()), &mut sink);
    let mut app = demo_app_with(60, log);
    let star = bridgewatch::traffic::alarm::AlarmId::Dangerous(230_123_000);
    // Whatever ship is selected, z snoozes the alarmed ship at the top.
    app.engine.traffic.select(Some(219_000_111));
    app.update(Action::Snooze);
    // A snooze counts wall time (the clock the alarms keep for timers).
    let now = app.engine.traffic.alarms.timer_now(app.now_ms());
    assert_eq!(
        app.engine.traffic.alarms.get(&star).map(|a| a.state),
        Some(bridgewatch::traffic::alarm::AlarmState::Snoozed {
            until_ms: now + 600_000
        })
    );
    let screen = render(&app, 140, 44);
    assert!(!screen.contains("no alarms"), "{screen}");
    assert!(
        screen.contains("z 1 snoozed: Dangerous target 230123000 NORDIC STAR: CPA"),
        "{screen}"
    );
    assert!(screen.contains("· 10 min 00 s left"), "{screen}");
    assert!(screen.contains("DANGER z"), "{screen}");
    let text = std::fs::read_to_string(dir.path().join("alarms.jsonl")).expect("alarm log");
    let snoozed: Vec<serde_json::Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["state"] == "snoozed")
        .collect();
    assert_eq!(snoozed.len(), 1, "{text}");
    // The log's times are data times: the end at the recorded pace.
    let until = bridgewatch::clock::rfc3339(app.now_ms() + 600_000);
    assert_eq!(snoozed[0]["until"], until.as_str(), "{text}");
    assert_eq!(snoozed[0]["by"], "officer");
    assert_eq!(snoozed[0]["mmsi"], 230_123_000);
    assert!(!text.contains("\"cleared\""), "{text}");
    // z again cancels: logged, and the alarm is listed as acknowledged.
    app.update(Action::Snooze);
    assert_eq!(
        app.engine.traffic.alarms.get(&star).map(|a| a.state),
        Some(bridgewatch::traffic::alarm::AlarmState::ActiveAcknowledged)
    );
    assert!(!app.engine.traffic.alarms.is_snoozed(230_123_000, now));
    let text = std::fs::read_to_string(dir.path().join("alarms.jsonl")).expect("alarm log");
    let last: serde_json::Value =
        serde_json::from_str(text.lines().last().expect("a line")).expect("json");
    assert_eq!(last["state"], "active_acknowledged");
    assert_eq!(last["reason"], "snooze cancelled");
    assert_eq!(last["by"], "officer");
}

#[test]
fn the_selected_row_shows_the_ships_state_and_a_manual_sleep_holds() {
    let mut app = demo_app(60);
    // BALTIC TRADER, 3.2 NM away: inside the 6 NM activation range.
    let trader = 219_000_111;
    app.select(trader);
    let row = |app: &App| {
        let screen = render(app, 140, 44);
        screen
            .lines()
            .find(|l| l.contains("BALTIC TRADER") && l.contains("▶"))
            .unwrap_or_else(|| panic!("no selected row: {screen}"))
            .to_string()
    };
    assert!(row(&app).contains("active"), "{}", row(&app));
    app.update(Action::ToggleActivate);
    assert!(row(&app).contains("sleeping"), "{}", row(&app));
    // Twenty more seconds of the demo (re-evaluated every second): the
    // range does not wake it.
    let mut more = demo_app_lines(60, 80);
    for l in more.drain(..) {
        app.link(LinkMsg::Line {
            link: 0,
            received_ms: 0,
            line: Some(l.into_bytes()),
        });
    }
    assert!(app.now_ms() >= bridgewatch::app::demo::START_MS + 79_000);
    let r = row(&app);
    assert!(r.contains("sleeping") && !r.contains("selected"), "{r}");
}

/// The demo's lines with data times after `from_s` up to `to_s`.
fn demo_app_lines(from_s: i64, to_s: i64) -> Vec<String> {
    let start = bridgewatch::app::demo::START_MS;
    let mut t = start;
    let mut out = Vec::new();
    for line in bridgewatch::app::demo::scenario().lines() {
        if let Some(ms) = line
            .strip_prefix("\\c:")
            .and_then(|r| r.split('*').next())
            .and_then(|t| t.parse::<i64>().ok())
        {
            t = ms;
        }
        if t > start + to_s * 1000 {
            break;
        }
        if t > start + from_s * 1000 {
            out.push(line.to_string());
        }
    }
    out
}

#[test]
fn the_newest_unread_safety_message_is_shown_in_the_alarm_bar() {
    // 4:10: the coast station's broadcast (002190047, never a target with a
    // name) is unread.
    let mut app = demo_app(250);
    let screen = render(&app, 140, 44);
    let line = screen
        .lines()
        .find(|l| l.contains("✉"))
        .unwrap_or_else(|| panic!("no message line: {screen}"));
    assert!(
        line.contains("✉  from 002190047 to all 21:04Z: SECURITE SAR OPERATION"),
        "{line}"
    );
    // 5:10: NORDIC STAR has called us; the newest is shown, flagged as
    // ours, with the sender's name, and the older one counted.
    let mut app2 = demo_app(310);
    let screen = render(&app2, 140, 44);
    let line = screen
        .lines()
        .find(|l| l.contains("✉"))
        .unwrap_or_else(|| panic!("no message line: {screen}"));
    assert!(
        line.contains(
            "✉! from NORDIC STAR (230123000) to us 21:05Z: NORDIC STAR ALTERING COURSE TO STARBOARD"
        ),
        "{line}"
    );
    assert!(line.contains("(1 more unread, l log, r read)"), "{line}");
    // Read by the dismiss key, by opening the inbox, or by opening the
    // alarm log.
    let mut app4 = demo_app(310);
    app2.update(Action::DismissMessage);
    assert!(!render(&app2, 140, 44).contains("✉"));
    press(&mut app4, KeyCode::Char('i'));
    assert!(app4.inbox);
    assert!(app4.engine.desk.inbox().iter().all(|e| !e.unread));
    press(&mut app4, KeyCode::Esc);
    assert!(!app4.inbox);
    assert!(!render(&app4, 140, 44).contains("✉"));
    app.update(Action::ToggleAlarmLog);
    app.update(Action::ToggleAlarmLog);
    assert!(!render(&app, 140, 44).contains("✉"));
    // A narrow terminal gives the text the room: the key hint goes first
    // (it is in the help and the hint line), then the text is cut.
    let app3 = demo_app(310);
    let msg_line = |w: u16| {
        let screen = render(&app3, w, 30);
        screen
            .lines()
            .find(|l| l.contains("✉!"))
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no message line: {screen}"))
    };
    let line = msg_line(90);
    assert!(
        line.contains("NORDIC STAR ALTERING COURSE TO STARBOARD") && !line.contains("r read)"),
        "{line}"
    );
    let line = msg_line(70);
    assert!(line.contains("…") && !line.contains("r read)"), "{line}");
    let line = msg_line(140);
    assert!(line.contains("r read)"), "{line}");
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

#[test]
fn the_lists_alarm_mark_follows_the_acknowledgement() {
    let mut app = demo_app(60);
    let row = |app: &App| {
        render(app, 140, 44)
            .lines()
            .find(|l| l.contains("NORDIC STAR") && l.contains("DANGER"))
            .map(str::to_string)
            .unwrap_or_default()
    };
    assert!(row(&app).contains("▲!"), "unacknowledged: {}", row(&app));
    let id = bridgewatch::traffic::alarm::AlarmId::Dangerous(230_123_000);
    let now = app.now_ms();
    app.engine.traffic.alarms.acknowledge(&id, now);
    let r = row(&app);
    assert!(r.contains("▲ ") && !r.contains("▲!"), "acknowledged: {r}");
}

#[test]
fn at_80_columns_the_alarm_bar_keeps_cpa_and_tcpa_whole() {
    let app = demo_app(60);
    let screen = render(&app, 80, 24);
    let line = screen
        .lines()
        .find(|l| l.contains("NORDIC STAR: CPA"))
        .unwrap_or_else(|| panic!("no alarm line: {screen}"));
    assert!(
        line.contains(" NM TCPA ") && line.trim_end_matches(['"', ' ']).ends_with(" min"),
        "{line}"
    );
}

// --- Forms and the inbox -------------------------------------------------

fn ctrl_key(app: &mut App, c: char) {
    app.key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// The demo app whose desk has a transponder to write to (and an empty
/// inbox).
fn demo_app_writable(secs: i64) -> App {
    let mut app = demo_app(secs);
    let own = app.engine.desk.own_mmsi();
    app.engine.desk = bridgewatch::voyage::desk::Desk::new(
        own,
        true,
        bridgewatch::voyage::outbox::OutboxConfig::default(),
    );
    app
}

const ETA_FIELDS: [&str; 9] = [
    "002039991",
    "at",
    "vie",
    "00001",
    "00000",
    "01234",
    "2026-06-22 08:30",
    "",
    "7.5",
];

fn fill_eta(app: &mut App) {
    press(app, KeyCode::Char('e'));
    for v in ETA_FIELDS {
        type_text(app, v);
        press(app, KeyCode::Tab);
    }
}

#[test]
fn eta_form_is_checked_as_typed_and_a_refused_send_keeps_the_text() {
    let mut app = demo_app(60);
    fill_eta(&mut app);
    assert!(app.form.is_some());
    let big = render(&app, 120, 40);
    assert!(big.contains("Austria national network"), "{big}");
    assert!(big.contains("✓ unknown"), "empty tugs = unknown: {big}");
    // The alarm bar stays in view above the form.
    assert!(big.contains("ALARM"), "{big}");
    insta::assert_snapshot!("eta_form_120x40", big);
    press(&mut app, KeyCode::Enter);
    let asking = render(&app, 80, 24);
    assert!(asking.contains("y sends"), "{asking}");
    press(&mut app, KeyCode::Char('y'));
    let form = app.form.as_ref().expect("the form stays open");
    assert!(
        form.note
            .as_deref()
            .unwrap_or_default()
            .starts_with("no transponder link"),
        "{:?}",
        form.note
    );
    assert_eq!(form.value(2), "VIE");
    assert!(app.engine.desk.outbox_entries().is_empty());
    let small = render(&app, 80, 24);
    assert!(small.contains("no transponder link"), "{small}");
    insta::assert_snapshot!("eta_form_refused_80x24", small);
    press(&mut app, KeyCode::Esc);
    assert!(app.form.is_none());
}

/// Why an ETA report without its ETA is not sent, in one place on the
/// screen: the refusal, not the same words again as the field's check.
#[test]
fn eta_form_without_an_eta_gives_the_reason_once() {
    let mut app = demo_app(60);
    press(&mut app, KeyCode::Char('e'));
    for (i, v) in ETA_FIELDS.iter().enumerate() {
        if i != 6 {
            type_text(&mut app, v);
        }
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::Enter);
    let form = app.form.as_ref().expect("the form stays open");
    assert!(!form.confirm);
    assert_eq!(form.focus, 6, "the send goes to the ETA field");
    assert_eq!(
        form.note.as_deref(),
        Some(
            "ETA (UTC): a value is needed: a UTC time written 2026-11-22T14:30Z or 2026-11-22 14:30"
        )
    );
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = render(&app, w, h);
        assert_eq!(
            screen.matches("a value is needed").count(),
            2,
            "{w}×{h}: beside the field and once under it: {screen}"
        );
        assert_eq!(
            screen.matches("ETA (UTC): a value is needed").count(),
            1,
            "{w}×{h}: {screen}"
        );
    }
    // Typing in the field leaves the refusal; the field's check says the
    // rest.
    type_text(&mut app, "2026");
    let screen = render(&app, 120, 40);
    assert!(!screen.contains("a value is needed"), "{screen}");
    assert!(screen.contains("ETA (UTC): \"2026\" is not"), "{screen}");
}

#[test]
fn while_a_form_is_open_letters_are_text_not_commands() {
    let mut app = demo_app(60);
    press(&mut app, KeyCode::Char('e'));
    let palette = app.view.palette;
    type_text(&mut app, "qpsa?");
    assert!(!app.quit && !app.view.confirm_quit && !app.view.help);
    assert_eq!(app.view.palette, palette);
    assert_eq!(app.unacknowledged_alarms(), 1, "a is text, not acknowledge");
    assert_eq!(app.form.as_ref().map(|f| f.value(0)), Some("qpsa?"));
}

#[test]
fn a_send_closes_the_form_and_says_where_it_went() {
    let mut app = demo_app_writable(60);
    fill_eta(&mut app);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('y'));
    assert!(app.form.is_none());
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("ETA report queued — see the outbox (i)"),
        "{screen}"
    );
    assert_eq!(app.engine.desk.outbox_entries().len(), 1);
    press(&mut app, KeyCode::Char('i'));
    let inbox = render(&app, 120, 40);
    assert!(
        inbox.contains("to 002039991: ETA 2026-06-22T08:30Z at ATVIE 00001 00000 01234"),
        "{inbox}"
    );
    assert!(inbox.contains("queued"), "{inbox}");
}

#[test]
fn safety_form_folds_counts_and_names_the_addressee() {
    let mut app = demo_app(60);
    app.select(230_123_000);
    press(&mut app, KeyCode::Char('m'));
    press(&mut app, KeyCode::Tab);
    let text = "keep clear, ice ahead";
    type_text(&mut app, text);
    type_text(&mut app, "~{");
    let form = app.form.as_ref().expect("form");
    assert_eq!(form.value(1), text.to_uppercase());
    let n = text.chars().count();
    let slots = bridgewatch::voyage::fields::SafetyKind::Addressed
        .slots(n)
        .expect("fits");
    assert_eq!(slots, 2, "21 characters of message 12 take 2 slots");
    let big = render(&app, 120, 40);
    assert!(big.contains("NORDIC STAR (message 12)"), "{big}");
    assert!(
        big.contains(&format!("{n}/156 characters, {slots} slots")),
        "{big}"
    );
    assert!(big.contains("'{' cannot be sent"), "{big}");
    insta::assert_snapshot!("safety_form_120x40", big);
    // Emptied To: broadcast, message 14, 161 characters.
    press(&mut app, KeyCode::BackTab);
    ctrl_key(&mut app, 'u');
    let small = render(&app, 80, 24);
    assert!(
        small.contains("all stations (broadcast, message 14)"),
        "{small}"
    );
    insta::assert_snapshot!("safety_form_80x24", small);
}

#[test]
fn voyage_and_station_forms() {
    let mut app = demo_app(60);
    press(&mut app, KeyCode::Char('d'));
    type_text(&mut app, "5");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "nlrtm>dedui");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "30");
    let big = render(&app, 120, 40);
    assert!(big.contains("✓ Moored"), "{big}");
    assert!(
        big.contains("30 is out of range: allowed 0.0 to 25.5 m"),
        "{big}"
    );
    insta::assert_snapshot!("voyage_form_120x40", big);
    insta::assert_snapshot!("voyage_form_80x24", render(&app, 80, 24));
    ctrl_key(&mut app, 't');
    type_text(&mut app, "@");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "rijn star");
    let big = render(&app, 120, 40);
    assert!(big.contains("station data (SSD)"), "{big}");
    assert!(big.contains("RIJN STAR"), "{big}");
    insta::assert_snapshot!("station_form_120x40", big);
    insta::assert_snapshot!("station_form_80x24", render(&app, 80, 24));
}

fn ctrl_t_to(app: &mut App, title: &str) {
    for _ in 0..4 {
        if render(app, 120, 40).contains(title) {
            return;
        }
        ctrl_key(app, 't');
    }
    panic!("no page {title}");
}

fn fill(app: &mut App, values: &[&str]) {
    for v in values {
        type_text(app, v);
        press(app, KeyCode::Tab);
    }
}

const INLAND_VOYAGE: [&str; 13] = [
    "", "b", "l", "2.85", "7.5", "0", "4", "0", "", "", "110.5", "", "",
];
const INLAND_STATIC: [&str; 11] = [
    "02326789", "8010", "110", "11.4", "1", "0", "", "52", "5.7", "", "",
];

#[test]
fn inland_voyage_and_static_pages() {
    let mut app = demo_app(60);
    press(&mut app, KeyCode::Char('d'));
    ctrl_t_to(&mut app, "inland voyage data (PIWWIVD)");
    fill(&mut app, &INLAND_VOYAGE[..4]);
    type_text(&mut app, "45");
    let big = render(&app, 120, 40);
    assert!(big.contains("✓ B-flag"), "{big}");
    assert!(big.contains("✓ loaded"), "{big}");
    assert!(
        big.contains("45 is out of range: allowed 0.01 to 40.00 m, 0 unknown"),
        "{big}"
    );
    insta::assert_snapshot!("inland_voyage_form_120x40", big);
    insta::assert_snapshot!("inland_voyage_form_80x24", render(&app, 80, 24));
    ctrl_key(&mut app, 't');
    fill(&mut app, &INLAND_STATIC[..5]);
    let big = render(&app, 120, 40);
    assert!(big.contains("inland static ship data (PIWWSSD)"), "{big}");
    assert!(big.contains("✓ Motor freighter"), "{big}");
    assert!(big.contains("✓ high"), "{big}");
    insta::assert_snapshot!("inland_static_form_120x40", big);
    insta::assert_snapshot!("inland_static_form_80x24", render(&app, 80, 24));
}

/// A console on no inputs keeping its forms' memory in `dir`, with a
/// transponder to write to.
fn console_in(dir: &std::path::Path) -> App {
    let config = Config {
        data_dir: Some(dir.to_path_buf()),
        ..Config::default()
    };
    let mut sink = Vec::new();
    let mut app = build_app(
        &config,
        &Source::Inputs(Vec::new()),
        AlarmLog::open(None, &mut sink),
    )
    .expect("app");
    app.engine.desk = bridgewatch::voyage::desk::Desk::new(
        Some(244_000_001),
        true,
        bridgewatch::voyage::outbox::OutboxConfig::default(),
    );
    app
}

fn written(app: &mut App) -> Vec<(String, String)> {
    app.engine
        .desk
        .writes(0)
        .into_iter()
        .flat_map(|w| {
            let tag = match w.tag {
                bridgewatch::voyage::desk::WriteTag::Data(d) => d.to_string(),
                t => format!("{t:?}"),
            };
            w.lines.into_iter().map(move |l| (tag.clone(), l))
        })
        .collect()
}

#[test]
fn inland_data_is_written_and_the_forms_remember_across_restarts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = console_in(dir.path());
    // Inland voyage data, confirmed, then written as PIWWIVD.
    press(&mut app, KeyCode::Char('d'));
    ctrl_t_to(&mut app, "inland voyage data (PIWWIVD)");
    fill(&mut app, &INLAND_VOYAGE);
    press(&mut app, KeyCode::Enter);
    assert!(render(&app, 120, 40).contains("y sends"));
    press(&mut app, KeyCode::Char('y'));
    assert!(app.form.is_none());
    assert!(
        render(&app, 120, 40).contains("Inland voyage data (PIWWIVD) written"),
        "{}",
        render(&app, 120, 40)
    );
    let w = written(&mut app);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].0, "PIWWIVD");
    assert!(
        w[0].1
            .starts_with("$PIWWIVD,,4,1,2.85,7.50,0,4,0,,,110.5,,*"),
        "{}",
        w[0].1
    );
    // Inland static data.
    press(&mut app, KeyCode::Char('d'));
    ctrl_t_to(&mut app, "inland static ship data (PIWWSSD)");
    fill(&mut app, &INLAND_STATIC);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('y'));
    let w = written(&mut app);
    assert_eq!(w[0].0, "PIWWSSD");
    assert!(
        w[0].1
            .starts_with("$PIWWSSD,02326789,8010,110.0,11.4,1,0,,52.0,5.7,,*"),
        "{}",
        w[0].1
    );
    // A destination sent and a safety text stored.
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "nlrtm");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('y'));
    press(&mut app, KeyCode::Char('m'));
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "ice ahead");
    ctrl_key(&mut app, 's');
    press(&mut app, KeyCode::Esc);
    assert!(dir.path().join("forms.json").exists());
    // Restart: everything back.
    let mut again = console_in(dir.path());
    assert_eq!(again.stored_texts, ["ICE AHEAD"]);
    assert_eq!(again.destinations, ["NLRTM"]);
    assert_eq!(again.inland, app.inland);
    press(&mut again, KeyCode::Char('d'));
    ctrl_t_to(&mut again, "inland static ship data (PIWWSSD)");
    let form = again.form.as_ref().expect("form");
    assert_eq!(form.value(0), "02326789", "edited, not retyped");
    assert_eq!(form.value(1), "8010");
    press(&mut again, KeyCode::Esc);
    // The ETA form's air draught comes from the inland voyage data.
    press(&mut again, KeyCode::Char('e'));
    let form = again.form.as_ref().expect("form");
    assert_eq!(form.value(8), "7.50");
}

#[test]
fn a_forms_file_that_cannot_be_read_is_no_obstacle() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("forms.json"), "not json").expect("write");
    let mut app = console_in(dir.path());
    assert!(app.stored_texts.is_empty());
    press(&mut app, KeyCode::Char('m'));
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "fog");
    ctrl_key(&mut app, 's');
    press(&mut app, KeyCode::Esc);
    assert_eq!(console_in(dir.path()).stored_texts, ["FOG"]);
}

#[test]
fn eta_form_shows_local_time_beside_utc() {
    let mut config = Config::default();
    config.console.utc_offset_h = Some(2.0);
    let mut sink = Vec::new();
    let mut app = build_app(&config, &Source::Demo, AlarmLog::open(None, &mut sink)).expect("app");
    app.link(LinkMsg::State {
        link: 0,
        up: true,
        detail: "built-in scenario".into(),
    });
    fill_eta(&mut app);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("✓ local 10:30 (UTC+2)"), "{screen}");
}

#[test]
fn inbox_lists_received_and_sent() {
    let mut app = demo_app(310);
    assert!(app.engine.desk.inbox().iter().any(|e| e.unread));
    press(&mut app, KeyCode::Char('i'));
    let big = render(&app, 120, 40);
    assert!(big.contains("Received"), "{big}");
    assert!(big.contains("NORDIC STAR ALTERING COURSE"), "{big}");
    assert!(big.contains("nothing sent"), "{big}");
    insta::assert_snapshot!("inbox_120x40", big);
    insta::assert_snapshot!("inbox_80x24", render(&app, 80, 24));
    press(&mut app, KeyCode::Char('i'));
    assert!(!app.inbox);
}

#[test]
fn an_rta_answering_our_eta_is_shown_under_the_alarm_bar_until_read() {
    let mut app = demo_app_writable(60);
    fill_eta(&mut app);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('y'));
    let hints = |app: &App| {
        let s = render(app, 120, 40);
        s.lines().last().unwrap_or_default().to_string()
    };
    assert!(hints(&app).contains("ETA report queued — see the outbox (i)"));
    let now = app.now_ms();
    let mut seq = 0;
    for w in app.engine.desk.writes(now) {
        seq = w.lines[0]
            .split(',')
            .nth(3)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        app.engine.desk.write_done(&w.tag, Ok(()), now);
    }
    // The notice follows the message: written, then acknowledged.
    assert!(hints(&app).contains("ETA report written — see the outbox (i)"));
    app.engine.desk.abk(
        &bridgewatch::nmea::pi::Abk {
            dest_mmsi: Some(2_039_991),
            channel: Some('A'),
            msg_id: 6,
            seq_id: seq,
            ack: bridgewatch::nmea::pi::AckType::Received,
        },
        now + 2_000,
    );
    assert!(
        hints(&app).contains("ETA report acknowledged — see the outbox (i)"),
        "{}",
        hints(&app)
    );
    let Some(bridgewatch::voyage::outbox::Item::Eta(report)) = app
        .engine
        .desk
        .outbox_entries()
        .first()
        .map(|e| e.item.clone())
    else {
        panic!("no ETA report in the outbox");
    };
    let own = app.engine.desk.own_mmsi().unwrap_or(0);
    app.engine.desk.rta(&bridgewatch::traffic::RtaReceived {
        at_ms: now + 60_000,
        from: 2_039_991,
        to: own,
        location: report.location,
        rta: bridgewatch::ais::application::DayTime {
            month: 6,
            day: 22,
            hour: 8,
            minute: 35,
        },
        status: 0,
    });
    // The RTA answers it: the notice has nothing more to say.
    assert!(!hints(&app).contains("ETA report"), "{}", hints(&app));
    let screen = render(&app, 120, 40);
    let line = screen.lines().nth(4).unwrap_or_default().to_string();
    assert!(
        line.contains("RTA 08:35Z (06-22): operational, 5 min after ETA; from 002039991, ATVIE 00001 00000 01234"),
        "{screen}"
    );
    // At 80 columns what matters is still there: the time, the lock's
    // status and the difference to the ETA.
    let narrow = render(&app, 80, 24);
    assert!(
        narrow.contains("RTA 08:35Z (06-22): operational, 5 min after ETA"),
        "{narrow}"
    );
    insta::assert_snapshot!("rta_line_80x24", narrow);
    press(&mut app, KeyCode::Char('i'));
    press(&mut app, KeyCode::Esc);
    assert!(!render(&app, 120, 40).contains("RTA 08:35Z"));
}

// --- Small and narrow terminals ------------------------------------------

/// The demo at 250 s: the SART, the dangerous NORDIC STAR and the lost
/// KAROLINA all unacknowledged.
fn demo_with_alarms() -> App {
    let app = demo_app(250);
    let unacked = app
        .engine
        .traffic
        .alarms
        .ranked()
        .iter()
        .filter(|a| a.unacknowledged())
        .count();
    assert!(unacked >= 2, "{unacked}");
    app
}

#[test]
fn on_a_short_terminal_the_alarms_stay_on_screen() {
    let app = demo_with_alarms();
    for (w, h) in [(80, 14), (50, 12), (80, 10), (60, 8)] {
        let screen = render(&app, w, h);
        for text in ["AIS-SART 970111222", "Dangerous target 230123000"] {
            assert!(
                screen
                    .lines()
                    .any(|l| l.contains(text) && l.contains("UNACK")),
                "{w}x{h}: no alarm line with {text:?}:\n{screen}"
            );
        }
    }
    // With one alarm the list keeps its rows below it.
    let screen = render(&demo_app(60), 80, 14);
    assert!(screen.contains("NORDIC STAR: CPA 0.23 NM"), "{screen}");
    assert!(screen.contains("SEA BREEZE"), "{screen}");
}

/// Whether `line` stops inside a number: a digit (or a sign or point
/// before one) as its last character, with the number cut off.
fn ends_inside_a_number(line: &str) -> bool {
    let l = line.trim_matches('"').trim_end();
    let last = l.split_whitespace().last().unwrap_or("");
    last.chars().any(|c| c.is_ascii_digit()) && !last.ends_with('…') && !l.ends_with("active")
}

#[test]
fn a_narrow_alarm_bar_never_cuts_a_number() {
    for secs in [60, 250] {
        let app = demo_app(secs);
        for w in [50, 56, 60, 64, 70, 75] {
            let screen = render(&app, w, 30);
            let lines: Vec<&str> = screen.lines().collect();
            // The alarm bar: the lines above its rule.
            let rule = lines
                .iter()
                .position(|l| l.trim_matches('"').starts_with('─'))
                .unwrap_or_else(|| panic!("no rule:\n{screen}"));
            let line = lines[..rule]
                .iter()
                .find(|l| l.contains("Dangerous target 230123000"))
                .unwrap_or_else(|| panic!("{w}: no alarm line:\n{screen}"));
            // CPA 0.23 whole, or not at all.
            let cpa = line.find("CPA").map(|i| &line[i..]);
            if let Some(cpa) = cpa {
                assert!(cpa.starts_with("CPA 0.23 NM"), "{w}: {line}");
            }
            if let Some(t) = line.find("TCPA").map(|i| &line[i..]) {
                assert!(t.contains(" min"), "{w}: {line}");
            }
            for l in &lines[..rule] {
                let l = l.trim_matches('"').trim_end();
                if l.contains("UNACK") || l.contains("CAUTION") {
                    assert!(
                        !ends_inside_a_number(l) || l.ends_with(" 0.23 NM"),
                        "{w}: {l}"
                    );
                }
            }
        }
    }
}

#[test]
fn at_80_columns_every_alarm_class_switched_off_is_flagged_whole() {
    let mut config = Config::default();
    config.alarms.lost = false;
    config.alarms.sleeping_targets = false;
    config.alarms.own_alongside_max_sog_kn = 1.0;
    let mut sink = Vec::new();
    let app = build_app(&config, &Source::Demo, AlarmLog::open(None, &mut sink)).unwrap();
    let screen = render(&app, 80, 24);
    let line = screen
        .lines()
        .find(|l| l.contains("ALARMS OFF"))
        .unwrap_or_else(|| panic!("no flag:\n{screen}"));
    assert!(line.contains("ALARMS OFF (3): lost"), "{line}");
    // Every name shown is whole, and the ones left out are counted.
    let flag = &line[line.find("ALARMS OFF (3): ").unwrap() + 16..];
    let mut shown = 0;
    for part in flag.trim_end_matches(['"', ' ']).split(", ") {
        let name = part.split(" +").next().unwrap().trim();
        assert!(
            ["lost", "cpa_for_sleeping", "cpa_when_alongside"].contains(&name),
            "cut: {name:?} in {line}"
        );
        shown += 1;
        if let Some(n) = part.split(" +").nth(1) {
            let n: usize = n.split_whitespace().next().unwrap().parse().unwrap();
            shown += n;
        }
    }
    assert_eq!(shown, 3, "{line}");
    // Wide enough: every name, as before.
    let screen = render(&app, 140, 44);
    assert!(
        screen.contains("ALARMS OFF: lost, cpa_for_sleeping, cpa_when_alongside"),
        "{screen}"
    );
}

#[test]
fn at_100_columns_the_target_list_keeps_names_numbers_and_states_whole() {
    for secs in [60, 250] {
        let app = demo_app(secs);
        let screen = render(&app, 100, 30);
        // The list is the right-hand box.
        let rows: Vec<String> = screen
            .lines()
            .filter_map(|l| {
                let l = l.trim_matches('"');
                let i = l.find("││").or_else(|| l.find("┐┌"))?;
                Some(l[i + 3 * 2..].trim_end_matches('│').to_string())
            })
            .collect();
        let list = rows.join("\n");
        assert!(list.contains("FEHMARNBELT E"), "{list}");
        if secs == 60 {
            assert!(list.contains("FEHMARN FERRY"), "{list}");
        }
        // `\d{3}\.\d`
        let cog = |c: &str| {
            let b = c.as_bytes();
            b.len() == 5 && b[3] == b'.' && [0, 1, 2, 4].iter().all(|&i| b[i].is_ascii_digit())
        };
        let header = &rows[1];
        let cols: Vec<&str> = header.split_whitespace().collect();
        assert!(
            cols.iter().all(|c| [
                "NAME/MMSI",
                "NAME",
                "TYPE",
                "BRG°",
                "RNG",
                "CPA",
                "TCPA",
                "SOG",
                "COG°",
                "STATE"
            ]
            .contains(c)),
            "{header}"
        );
        for row in &rows[2..] {
            let words: Vec<&str> = row.split_whitespace().collect();
            let Some(state) = words.last() else { continue };
            assert!(
                [
                    "act", "sleep", "DANG", "DANG z", "LOST", "SART", "TEST", "sel", "z"
                ]
                .contains(state),
                "cut state {state:?}: {row}"
            );
            if cols.contains(&"COG°") {
                // COG is the last number before the state.
                let nums: Vec<&&str> = words
                    .iter()
                    .filter(|w| {
                        w.chars()
                            .next()
                            .is_some_and(|c| c.is_ascii_digit() || c == '-')
                    })
                    .collect();
                if let Some(c) = nums.last()
                    && **c != "---"
                    && c.contains('.')
                {
                    assert!(cog(c), "cut COG {c:?}: {row}");
                }
            }
            for w in &words {
                // No number cut at its point: "300." or "0.2" for 0.23.
                assert!(!w.ends_with('.'), "cut number {w:?}: {row}");
            }
        }
        // Every CPA shown is whole, with its two decimals.
        for t in app.list() {
            if let Some(c) = t.shown_cpa(app.now_ms())
                && cols.contains(&"CPA")
            {
                let v = format!("{:.2}", c.cpa_nm);
                assert!(list.contains(&v), "CPA {v} missing: {list}");
            }
        }
    }
}

/// The screen as cells (one symbol per cell), from the buffer.
fn cells(app: &App, w: u16, h: u16) -> Vec<Vec<String>> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| bridgewatch::ui::draw(f, app)).expect("draw");
    let b = t.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| b[(x, y)].symbol().to_string()).collect())
        .collect()
}

/// The selected-target window as drawn: its rows between the top and
/// bottom border, inside the side borders, read cell by cell from the
/// rendered buffer of a 140×44 screen.
fn details_box(app: &App) -> Vec<String> {
    let lines = cells(app, 140, 44);
    let top = lines
        .iter()
        .position(|l| l.concat().contains("selected target —"))
        .expect("the selected-target window is open");
    let title = (0..lines[top].len())
        .find(|&x| lines[top][x..].concat().starts_with(" selected target —"))
        .expect("title");
    let left = lines[top][..title]
        .iter()
        .rposition(|c| c == "┌")
        .expect("top-left corner");
    let right = left
        + lines[top][left..]
            .iter()
            .position(|c| c == "┐")
            .expect("top-right corner");
    lines[top + 1..]
        .iter()
        .take_while(|l| l[left] != "└")
        .map(|l| l[left + 1..right].concat())
        .collect()
}

/// The label column of the window's rows (the first word or words before
/// the value column), trimmed.
fn labels(rows: &[String]) -> Vec<String> {
    rows.iter()
        .map(|r| r.chars().take(15).collect::<String>().trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Fields only a ship sends: never shown for an AtoN or a base station.
const SHIP_ONLY: [&str; 13] = [
    "SOG",
    "COG",
    "Heading",
    "Rate of turn",
    "Nav status",
    "Call sign",
    "IMO",
    "Ship type",
    "Draught",
    "Destination",
    "ETA",
    "Inland data",
    "CPA",
];

#[test]
fn an_aid_to_navigation_shows_what_it_is_and_no_ship_fields() {
    let mut app = demo_app(60);
    app.select(992_111_222);
    app.update(Action::ToggleDetails);
    let rows = details_box(&app);
    let text = rows.join("\n");
    let labels = labels(&rows);
    for l in SHIP_ONLY {
        assert!(!labels.iter().any(|x| x == l), "{l} shown:\n{text}");
    }
    // The demo's buoy sends type 21 (cardinal mark E), real, on position,
    // high accuracy, and no dimensions (all zero).
    assert!(!labels.iter().any(|x| x == "Dimensions"), "{text}");
    assert!(!text.contains("0 m × 0 m"), "{text}");
    for (label, value) in [
        ("Name", "FEHMARNBELT E"),
        ("Class", "aid to navigation (AtoN)"),
        ("AtoN type", "Cardinal Mark E"),
        ("Real/virtual", "real (a physical aid)"),
        ("Off position", "on position"),
        ("Pos. accuracy", "high (better than 10 m)"),
    ] {
        let row = rows
            .iter()
            .find(|r| r.chars().take(15).collect::<String>().trim() == label)
            .unwrap_or_else(|| panic!("no {label} row:\n{text}"));
        assert!(row.contains(value), "{label}: {row}");
    }
    assert!(labels.iter().any(|x| x == "Bearing/range"), "{text}");
    // The minimum display likewise: what the aid is, no ship's fields.
    let min = minimum_lines(&render(&app, 140, 44)).join("\n");
    assert!(min.contains("ATON Cardinal Mark E"), "{min}");
    assert!(min.contains("POSITION on position"), "{min}");
    for f in ["SOG", "COG", "HDG", "STATUS", "CALL", "TYPE", "DEST", "CPA"] {
        assert!(!min.contains(&format!("{f} ")), "{f}: {min}");
    }
}

#[test]
fn a_base_station_shows_no_ship_fields() {
    let mut app = demo_app(60);
    app.select(2_190_047);
    app.update(Action::ToggleDetails);
    let rows = details_box(&app);
    let text = rows.join("\n");
    let labels = labels(&rows);
    for l in SHIP_ONLY
        .iter()
        .chain(&["Dimensions", "AtoN type", "Off position"])
    {
        assert!(!labels.iter().any(|x| x == l), "{l} shown:\n{text}");
    }
    assert!(text.contains("base station"), "{text}");
    assert!(labels.iter().any(|x| x == "Position"), "{text}");
    assert!(labels.iter().any(|x| x == "Pos. accuracy"), "{text}");
}

/// A message 21 from a floating AtoN near the demo's own ship at data
/// time `s` seconds into the demo, with its off-position flag and time
/// stamp as given.
fn aton_line(s: i64, off_position: bool, second: u8, dim: u16) -> Vec<String> {
    use bridgewatch::ais::messages::{AidToNavigation, AisMessage, Body, Dimensions};
    use bridgewatch::nmea::armour::Text;
    let (lon, lat) = bridgewatch::sim::raw_position((54.55, 11.25));
    let m = AisMessage {
        msg_type: 21,
        repeat: 0,
        mmsi: 992_111_333,
        body: Body::AidToNavigation(Box::new(AidToNavigation {
            aid_type: 25,
            name: Text::from_str_lossy("TEST BUOY"),
            accuracy: false,
            lon,
            lat,
            dim: Dimensions {
                to_bow: dim,
                to_stern: dim,
                to_port: u8::from(dim > 0),
                to_starboard: u8::from(dim > 0),
            },
            epfd: 1,
            second,
            off_position,
            regional: 0,
            raim: false,
            virtual_aid: true,
            assigned: false,
        })),
    };
    bridgewatch::sim::vdm(
        &m,
        bridgewatch::app::demo::START_MS + s * 1000,
        false,
        'A',
        1,
    )
}

fn feed(app: &mut App, lines: Vec<String>) {
    for l in lines {
        app.link(LinkMsg::Line {
            link: 0,
            received_ms: 0,
            line: Some(l.into_bytes()),
        });
    }
}

#[test]
fn an_aton_off_position_is_a_caution_while_its_flag_is_set() {
    use bridgewatch::traffic::alarm::{AlarmId, AlarmState, Priority};
    let id = AlarmId::OffPosition(992_111_333);
    let mut app = demo_app(60);
    // Time stamp 61 (positioning inoperative): the flag means nothing.
    feed(&mut app, aton_line(61, true, 61, 0));
    assert!(app.engine.traffic.targets.contains_key(&992_111_333));
    assert!(app.engine.traffic.alarms.get(&id).is_none());
    app.select(992_111_333);
    app.update(Action::ToggleDetails);
    let rows = details_box(&app);
    let text = rows.join("\n");
    assert!(text.contains("not known (no valid time stamp)"), "{text}");
    assert!(text.contains("virtual"), "{text}");
    assert!(text.contains("Starboard hand Mark"), "{text}");
    assert!(text.contains("low (worse than 10 m)"), "{text}");
    assert!(!labels(&rows).iter().any(|x| x == "Dimensions"), "{text}");
    // Time stamp 59, the last valid one: off position is a caution.
    feed(&mut app, aton_line(62, true, 59, 5));
    let a = app.engine.traffic.alarms.get(&id).expect("caution raised");
    assert_eq!(a.priority, Priority::Caution);
    assert!(a.text.contains("off position"), "{}", a.text);
    let screen = render(&app, 140, 44);
    assert!(screen.contains("CAUTION"), "{screen}");
    let rows = details_box(&app);
    let text = rows.join("\n");
    assert!(text.contains("OFF POSITION"), "{text}");
    // Given dimensions are shown: 5 + 5 m by 1 + 1 m.
    assert!(text.contains("10 m × 2 m"), "{text}");
    // An invalid time stamp later leaves the last valid flag standing,
    // and the caution stays past its display time while the flag is set.
    feed(&mut app, aton_line(200, false, 63, 5));
    feed(&mut app, aton_line(300, true, 10, 5));
    let a = app.engine.traffic.alarms.get(&id).expect("still raised");
    assert_eq!(a.state, AlarmState::ActiveUnacknowledged);
    // Back on position: rectified, and it leaves the list.
    feed(&mut app, aton_line(301, false, 11, 5));
    assert!(
        app.engine
            .traffic
            .alarms
            .get(&id)
            .is_none_or(|a| a.state == AlarmState::RectifiedUnacknowledged)
    );
    feed(&mut app, aton_line(303, false, 13, 5));
    assert!(app.engine.traffic.alarms.get(&id).is_none());
    let text = details_box(&app).join("\n");
    assert!(
        text.contains("on position") && !text.contains("OFF POSITION"),
        "{text}"
    );
}

/// The key-hint line holds whole hints only, as many as fit, and the help
/// key's always, at every width; at 160 columns every hint.
#[test]
fn the_key_hint_line_shows_whole_hints_and_always_the_help_key() {
    let app = demo_app(60);
    let all = bridgewatch::ui::help::hint_items(&app);
    let help = format!("{} help", app.keymap.key_of(Action::ToggleHelp));
    for w in [40u16, 60, 80, 90, 100, 120, 140, 160] {
        let screen = cells(&app, w, 30);
        let line = screen[screen.len() - 1].concat();
        let line = line.trim_end();
        let shown: Vec<&str> = line.trim_start().split("  ").collect();
        // Every piece is a whole hint, in their order.
        let mut at = 0;
        for s in &shown {
            let i = all[at..]
                .iter()
                .position(|h| h == s)
                .unwrap_or_else(|| panic!("{w} columns: {s:?} is not a whole hint: {line:?}"));
            at += i + 1;
        }
        assert!(shown.contains(&help.as_str()), "{w}: {line:?}");
        // Nothing left out would have fitted.
        let used = line.chars().count();
        for h in all.iter().filter(|h| !shown.contains(&h.as_str())) {
            assert!(
                used + 2 + h.chars().count() > usize::from(w),
                "{w} columns: {h:?} fits beside {line:?}"
            );
        }
        if w >= 160 {
            assert_eq!(shown.len(), all.len(), "{line:?}");
        }
    }
}

/// The question before a send names the addressee as the picture knows
/// it: the demo's lock by its name, an unknown station by its number.
#[test]
fn the_send_question_names_the_lock_when_known() {
    let mut app = demo_app_writable(60);
    press(&mut app, KeyCode::Char('e'));
    let mut fields = ETA_FIELDS;
    fields[0] = "002111240";
    fill(&mut app, &fields);
    press(&mut app, KeyCode::Enter);
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("Send the ETA report to 002111240 PUTTGARDEN LOCK?"),
        "{screen}"
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('e'));
    fields[0] = "211999888";
    fill(&mut app, &fields);
    press(&mut app, KeyCode::Enter);
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("Send the ETA report to 211999888?"),
        "{screen}"
    );
}

/// `config.example.toml` says its values are the defaults: read, it is
/// the configuration with nothing set.
#[test]
fn the_example_configuration_is_the_defaults() {
    let text = include_str!("../config.example.toml");
    let mut c: Config = toml::from_str(text).expect("config.example.toml is valid");
    // The console's settings are written out with their values: they act
    // as the built-in ones do; the UTC offset has none (UTC only).
    assert_eq!(
        c.console.utc_offset_h, None,
        "the example sets a UTC offset"
    );
    let app = |c: &Config| {
        let mut sink = Vec::new();
        build_app(c, &Source::Demo, AlarmLog::open(None, &mut sink)).expect("app")
    };
    let (ex, def) = (app(&c), app(&Config::default()));
    assert_eq!(ex.view.palette, def.view.palette);
    assert_eq!(ex.utc_offset_min, def.utc_offset_min);
    c.console = Default::default();
    assert_eq!(c, Config::default());
}

/// The key-hint line, where a key that did nothing says why.
fn hint_line(app: &App, w: u16, h: u16) -> String {
    let screen = cells(app, w, h);
    screen[screen.len() - 1].concat().trim().to_string()
}

/// `v` on a dangerous target, `s` with nothing sounding, `r` with nothing
/// to mark read: nothing happens, and the message line says why.
#[test]
fn a_key_that_does_nothing_says_why() {
    let mut app = demo_app(60);
    app.select(230_123_000);
    assert!(app.selected().is_some_and(|t| t.dangerous));
    app.update(Action::ToggleActivate);
    assert_eq!(
        hint_line(&app, 120, 40),
        "NORDIC STAR is dangerous: it stays activated"
    );
    assert_eq!(
        app.selected().map(|t| t.activation),
        Some(bridgewatch::traffic::target::Activation::Activated)
    );
    // Silenced once, a second s has nothing left to silence.
    app.update(Action::Silence);
    assert!(!hint_line(&app, 120, 40).contains("nothing to silence"));
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(
        hint_line(&app, 120, 40),
        "no alarm is sounding: nothing to silence"
    );
    // No safety message has come at 60 s.
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(
        hint_line(&app, 120, 40),
        "no unread safety messages to mark read"
    );
    // The next key takes the message away.
    press(&mut app, KeyCode::Char('o'));
    assert!(hint_line(&app, 120, 40).contains("? help"));
}

/// Every key of the action table, pressed on an empty watch (no targets,
/// no alarms, nothing open), changes what the screen shows or says why it
/// did nothing.
#[test]
fn every_key_on_an_empty_watch_acts_or_says_why() {
    for (action, name, _, _) in Action::ALL {
        if action == Action::Quit {
            continue;
        }
        let mut sink = Vec::new();
        let mut app = build_app(
            &Config::default(),
            &Source::Inputs(Vec::new()),
            AlarmLog::open(None, &mut sink),
        )
        .expect("app");
        let before = {
            let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
            t.draw(|f| bridgewatch::ui::draw(f, &app)).expect("draw");
            t.backend().buffer().clone()
        };
        app.update(action);
        let after = {
            let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
            t.draw(|f| bridgewatch::ui::draw(f, &app)).expect("draw");
            t.backend().buffer().clone()
        };
        assert!(
            before != after || app.form.is_some() || app.inbox,
            "{name}: nothing changed and nothing said"
        );
        if app.notice.is_some() {
            assert!(
                !hint_line(&app, 120, 40).contains("? help"),
                "{name}: the message is shown"
            );
        }
    }
}
