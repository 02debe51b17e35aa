//! The console with an AI-IP input: the client's status on the status bar
//! and the key that cycles the mode (kept in the data directory).

use bridgewatch::app::Config;
use bridgewatch::app::aiip_io::{AiipIo, MODE_FILE};
use bridgewatch::app::alarm_log::AlarmLog;
use bridgewatch::app::console::App;
use bridgewatch::app::run::{Source, build_app};
use bridgewatch::link::InputSpec;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The console with own MMSI 244000001, the configuration lines `extra`,
/// the inputs `inputs` (one an `aiip:` input) and its AI-IP client open,
/// the wall clock at 1 s.
fn console(dir: &std::path::Path, extra: &str, inputs: &[&str]) -> App {
    let text = format!(
        "data_dir = {:?}\n[own_ship]\nmmsi = 244000001\n{extra}",
        dir.display().to_string()
    );
    let config: Config = toml::from_str(&text).expect("config");
    let inputs: Vec<InputSpec> = inputs
        .iter()
        .map(|i| InputSpec::parse(i).expect("input"))
        .collect();
    let mut sink = Vec::new();
    let log = AlarmLog::open(None, &mut sink);
    let mut app = build_app(&config, &Source::Inputs(inputs.clone()), log).expect("app");
    app.aiip = AiipIo::open(&config, &inputs, 1_000);
    app.last_wall_ms = 1_000;
    app
}

#[test]
fn status_bar_shows_the_client_and_shift_m_cycles_the_mode() {
    let dir = tempfile::tempdir().expect("dir");
    let mut app = console(
        dir.path(),
        "[aiip]\nmode = \"tactical-on-board\"\nrange_km = 12\n",
        &["udp:127.0.0.1:10110", "aiip:127.0.0.1:4155"],
    );
    let draw = |app: &App| {
        let mut t = Terminal::new(TestBackend::new(200, 40)).expect("terminal");
        t.draw(|f| bridgewatch::ui::draw(f, app)).expect("draw");
        format!("{}", t.backend())
    };
    let screen = draw(&app);
    assert!(
        screen.contains("AI-IP no own position · tactical-on-board 12 km"),
        "{screen}"
    );
    app.key(&KeyEvent::new(KeyCode::Char('M'), KeyModifiers::SHIFT));
    let screen = draw(&app);
    assert!(
        screen.contains("AI-IP no own position · strategic 12 km"),
        "{screen}"
    );
    let saved = std::fs::read_to_string(dir.path().join(MODE_FILE)).expect("mode kept");
    assert!(saved.contains("strategic"), "{saved}");
    // The lower-case m is still "mark messages read".
    app.key(&KeyEvent::new(KeyCode::Char('m'), KeyModifiers::NONE));
    assert!(draw(&app).contains("strategic 12 km"));
    // On AI-IP alone the voyage form shows what goes out now, and asks
    // about AI-IP, not the transponder.
    app.key(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    app.engine.desk.set_through_aiip(true);
    app.key(&KeyEvent::new(KeyCode::Char('d'), KeyModifiers::NONE));
    let screen = draw(&app);
    assert!(
        screen.contains("Sent over AI-IP now: not defined · no static data"),
        "{screen}"
    );
}

/// On a narrow screen, with several inputs and an alarm class off, the flag for
/// the alarm that is off and the AI-IP client's whole state are on screen:
/// the flag comes first on its line, the AI-IP state has a line of its own.
#[test]
fn on_a_narrow_screen_the_alarm_off_flag_and_the_ai_ip_state_are_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let mut app = console(
        dir.path(),
        "[alarms]\nlost = false\n",
        &[
            "udp:127.0.0.1:10110",
            "tcp:192.168.100.200:10111",
            "udp:127.0.0.1:10112",
            "aiip:127.0.0.1:4155",
        ],
    );
    // Own position known: the state is longer than the screen is wide.
    if let Some(a) = app.aiip.as_mut() {
        let own = bridgewatch::aiip::client::OwnPosition {
            lat: 52.0,
            lon: 5.0,
            sog_kn: Some(5.0),
            cog_deg: Some(90.0),
            heading_deg: Some(90.0),
        };
        a.client.set_own(own, 1_000);
    }
    // 64 columns: narrower than the state (an 80-column screen with a
    // longer state — smart AI-IP, a detected status — is the same case).
    let mut t = Terminal::new(TestBackend::new(64, 24)).expect("terminal");
    t.draw(|f| bridgewatch::ui::draw(f, &app)).expect("draw");
    let screen = format!("{}", t.backend());
    assert!(screen.contains("ALARMS OFF: lost"), "{screen}");
    let state = app.aiip.as_ref().expect("client").status_line(1_000);
    assert!(state.chars().count() > 64, "{state}");
    // Wrapped over the two rows under the status bar (whose links take a
    // row of their own at 64 columns), nothing cut.
    let rows: Vec<&str> = screen.lines().collect();
    let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let shown = [rows[3], rows[4]]
        .iter()
        .flat_map(|r| words(r.trim_matches('"')))
        .collect::<Vec<_>>();
    assert_eq!(shown, words(&state), "{screen}");
}

/// The AI-IP link's socket open but the client sending nothing (no own
/// MMSI): the status bar shows the link down with the reason, never up.
#[test]
fn the_ai_ip_link_is_not_shown_up_while_its_client_is_not_configured() {
    let dir = tempfile::tempdir().expect("dir");
    let text = format!("data_dir = {:?}\n", dir.path().display().to_string());
    let config: Config = toml::from_str(&text).expect("config");
    let inputs = vec![InputSpec::parse("aiip:127.0.0.1:4155").expect("input")];
    let mut sink = Vec::new();
    let log = AlarmLog::open(None, &mut sink);
    let mut app = build_app(&config, &Source::Inputs(inputs.clone()), log).expect("app");
    app.aiip = AiipIo::open(&config, &inputs, 1_000);
    app.last_wall_ms = 1_000;
    for l in &mut app.links.list {
        l.up = true;
    }
    let draw = |app: &App| {
        let mut t = Terminal::new(TestBackend::new(200, 40)).expect("terminal");
        t.draw(|f| bridgewatch::ui::draw(f, app)).expect("draw");
        format!("{}", t.backend())
    };
    let screen = draw(&app);
    assert!(
        screen.contains("○ aiip:127.0.0.1:4155 (not configured: "),
        "{screen}"
    );
    assert!(!screen.contains("● aiip:"), "{screen}");
}
