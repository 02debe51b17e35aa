//! The real binary in a real pseudo-terminal: start on a replayed log,
//! scroll, select, acknowledge an alarm, open help, quit — reading the
//! screen with a VT100 parser at each step. The terminal bell (BEL, 0x07)
//! is counted from the raw bytes, each with the screen as it stood when the
//! bell came.

mod common;
use common::screen;
use screen::Screen;
use std::time::{Duration, Instant};

#[test]
fn console_in_a_real_terminal() {
    let dir = tempfile::Builder::new()
        .prefix("bridgewatch-pty-")
        .tempdir()
        .expect("temp dir");
    let dir = dir.path();
    let log = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/signalk/nais300-merrimac.log"
    );
    // Own ship lies at a berth in this capture: the harbour rule keeps its
    // moored neighbours quiet. Switched off here, they alarm, and their
    // alarms are what this test drives.
    let config = dir.join("bridgewatch");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::write(config.join("config.toml"), "[alarms]\nstill_sog_kn = 0.0\n").expect("config");
    let mut s = Screen::start(&["--input", &format!("file:{log}"), "--speed", "4"], dir);
    // The replay brings a dangerous target into the alarm bar.
    let screen = s.wait_for("ALARM");
    assert!(screen.contains("Dangerous target"), "{screen}");
    assert!(screen.contains("BRG") && screen.contains("RNG") && screen.contains("NAME"));
    // Scroll down the list: the minimum display follows the selection.
    let before = s.text();
    s.key(b"\x1b[B");
    s.key(b"\x1b[B");
    std::thread::sleep(Duration::from_millis(300));
    let after = s.text();
    let name_line = |t: &str| {
        t.lines()
            .find(|l| l.contains(" NAME "))
            .unwrap_or("")
            .to_string()
    };
    assert_ne!(name_line(&before), name_line(&after), "selection moved");
    // Open the selected-target window and close it.
    s.key(b"\r");
    s.wait_for("selected target — esc closes");
    s.key(b"\x1b");
    std::thread::sleep(Duration::from_millis(300));
    // Acknowledge: each press answers the top unacknowledged alarm (an
    // alarm whose condition has gone leaves the list when acknowledged), so
    // an active dangerous target soon reads "ack" after its priority.
    for _ in 0..12 {
        if s.text().contains("▲ ALARM   ack") {
            break;
        }
        s.key(b"a");
        std::thread::sleep(Duration::from_millis(200));
    }
    s.wait_for("▲ ALARM   ack");
    // Help lists the keys; a key it does not name closes it.
    s.key(b"?");
    s.wait_for("[quit]");
    s.key(b"x");
    std::thread::sleep(Duration::from_millis(300));
    assert!(!s.text().contains("[quit]"));
    // Other dangerous targets are still unacknowledged: quitting asks
    // first, and any key but "y" goes back to the watch.
    s.key(b"q");
    s.wait_for("Quit the watch anyway?");
    s.key(b"n");
    std::thread::sleep(Duration::from_millis(300));
    assert!(!s.text().contains("Quit the watch anyway?"));
    assert!(
        s.child.try_wait().expect("wait").is_none(),
        "still on watch"
    );
    // "y" quits; the terminal is restored (alternate screen left), exit 0.
    s.key(b"q");
    s.wait_for("Quit the watch anyway?");
    s.key(b"y");
    let status = s.wait_exit();
    assert!(status.success());
    // A replay keeps its own log; the ship's is not written.
    assert!(!dir.join("alarms.jsonl").exists());
    let alarm_log =
        std::fs::read_to_string(dir.join("replay").join("alarms.jsonl")).expect("alarm log");
    assert!(alarm_log.contains("active_acknowledged"), "{alarm_log}");
}

#[test]
fn sigterm_restores_the_terminal() {
    let dir = tempfile::Builder::new()
        .prefix("bridgewatch-pty-term-")
        .tempdir()
        .expect("temp dir");
    let dir = dir.path();
    let mut s = Screen::start(&["demo", "--speed", "10"], dir);
    s.wait_for("NORDIC STAR");
    let pid = s.child.process_id().expect("pid");
    // SAFETY-free: send SIGTERM with the kill command.
    let st = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let end = Instant::now() + Duration::from_secs(10);
    loop {
        if s.child.try_wait().expect("wait").is_some() {
            break;
        }
        assert!(Instant::now() < end, "did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(200));
    let p = s.parser.lock().unwrap();
    assert!(!p.screen().alternate_screen(), "alternate screen left");
    assert!(!p.screen().hide_cursor(), "cursor shown again");
}

#[test]
fn an_alarm_log_that_cannot_be_written_is_an_alarm_and_the_watch_goes_on() {
    let dir = tempfile::Builder::new()
        .prefix("bridgewatch-pty-ro-")
        .tempdir()
        .expect("temp dir");
    let dir = dir.path();
    // The alarm log's place is taken by a directory, so it cannot be
    // opened even by root (a read-only directory does not stop root, and
    // CI may run as root); without root, the directory is read-only too.
    // (The demo's own log, demo/alarms.jsonl.)
    std::fs::create_dir_all(dir.join("demo").join("alarms.jsonl")).expect("blocker");
    let mut s = Screen::start(&["demo", "--speed", "10"], dir);
    let screen = s.wait_for("alarm log not written");
    assert!(
        screen.contains("NORDIC STAR") || screen.contains("targets"),
        "{screen}"
    );
    // The watch goes on: the demo's dangerous crossing ship still comes up
    // (at 0:34 of the scenario, 3.4 s at this speed) and keys still act.
    s.wait_for("Dangerous target");
    s.key(b"?");
    s.wait_for("[quit]");
    s.key(b"x");
    std::thread::sleep(Duration::from_millis(300));
    assert!(s.child.try_wait().expect("wait").is_none(), "still running");
    s.key(b"q");
    s.wait_for("Quit the watch anyway?");
    s.key(b"y");
    assert!(s.wait_exit().success());
    // What was not logged is not lost from view: the diagnostics log says why.
    let diag = std::fs::read_to_string(dir.join("bridgewatch.log")).expect("diagnostics log");
    assert!(diag.contains("alarm log"), "{diag}");
}

/// A recording of twenty minutes in which two ships close on own ship
/// (northbound at 12 kn) from ahead, both dangerous from their first report
/// for about ten minutes: NORTHBOUND ONE 4 NM at 005° heading 185° at 10 kn,
/// SOUTHBOUND TWO 3.5 NM at 355° heading 175° at 8 kn (CPA about 0.35 and
/// 0.3 NM, TCPA about 11 and 10.5 min).
fn two_ships_closing(path: &std::path::Path) {
    use bridgewatch::sim;
    use bridgewatch::traffic::geo::extrapolate;
    let t0: i64 = 1_795_000_000_000;
    let own0 = (54.5, 11.0);
    let ships = [
        (
            244_000_101u32,
            "NORTHBOUND ONE",
            extrapolate(own0, 5.0, 4.0, 3600.0),
            185.0,
            10.0,
        ),
        (
            244_000_102u32,
            "SOUTHBOUND TWO",
            extrapolate(own0, 355.0, 3.5, 3600.0),
            175.0,
            8.0,
        ),
    ];
    let mut out = String::new();
    for s in 0..1200i64 {
        let ms = t0 + s * 1000;
        let own = extrapolate(own0, 0.0, 12.0, s as f64);
        out.push_str(&sim::tagged(&sim::rmc(ms, own, 0.0, 12.0), ms));
        out.push_str("\r\n");
        for (i, (mmsi, name, p0, cog, sog)) in ships.iter().enumerate() {
            let mut lines = Vec::new();
            if s % 5 == i as i64 {
                let p = extrapolate(*p0, *cog, *sog, s as f64);
                let m = sim::class_a(*mmsi, p, Some(*cog), *sog, 0, (s % 60) as u8);
                lines.extend(sim::vdm(&m, ms, false, 'A', 0));
            }
            if s % 60 == i as i64 {
                lines.extend(sim::vdm(
                    &sim::static_voyage(*mmsi, name, "KIEL"),
                    ms,
                    false,
                    'B',
                    (i + 1) as u8,
                ));
            }
            for l in lines {
                out.push_str(&l);
                out.push_str("\r\n");
            }
        }
    }
    std::fs::write(path, out).expect("write recording");
}

/// Start the console on [`two_ships_closing`] at the recorded pace with
/// `console` as the `[console]` table of its config.
fn two_ships(dir: &std::path::Path, console: &str) -> Screen {
    let log = dir.join("two-ships.nmea");
    two_ships_closing(&log);
    let config = dir.join("config.toml");
    std::fs::write(&config, format!("[console]\n{console}")).expect("config");
    Screen::start(
        &[
            "--config",
            config.to_str().expect("utf-8 path"),
            "--input",
            &format!("file:{}", log.display()),
            "--speed",
            "1",
        ],
        dir,
    )
}

fn alarm_bar_tags(screen: &str, tag: &str) -> usize {
    // "▲ ALARM   UNACK    Dangerous target …": priority, then the state.
    screen.matches(&format!("▲ ALARM   {tag}")).count()
}

#[test]
fn bell_repeats_while_an_alarm_is_unacknowledged_and_stops_when_acknowledged() {
    let dir = tempfile::Builder::new()
        .prefix("bridgewatch-pty-bell-")
        .tempdir()
        .expect("temp dir");
    let dir = dir.path();
    let mut s = two_ships(dir, "bell_repeat_s = 1\n");
    s.wait_until("two alarms", |t| alarm_bar_tags(t, "UNACK") == 2);
    // Rings at once, then again every second while nobody acknowledges.
    let bells = s.wait_bells(3);
    for b in &bells {
        assert!(
            alarm_bar_tags(b, "UNACK") > 0,
            "rang with nothing sounding:\n{b}"
        );
    }
    // Acknowledge both (each press answers the top unacknowledged one).
    s.key(b"a");
    s.wait_until("one acknowledged", |t| alarm_bar_tags(t, "ack ") == 1);
    s.key(b"a");
    s.wait_until("both acknowledged", |t| alarm_bar_tags(t, "ack ") == 2);
    let rung = s.bells().len();
    // Four repeat intervals: no bell, the alarms still standing.
    std::thread::sleep(Duration::from_secs(4));
    let screen = s.text();
    assert_eq!(alarm_bar_tags(&screen, "ack "), 2, "{screen}");
    assert_eq!(s.bells().len(), rung, "the bell rang after acknowledgement");
    s.key(b"q");
    assert!(s.wait_exit().success());
}

#[test]
fn silence_mutes_both_sounding_alarms_until_it_runs_out() {
    let dir = tempfile::Builder::new()
        .prefix("bridgewatch-pty-silence-")
        .tempdir()
        .expect("temp dir");
    let dir = dir.path();
    let mut s = two_ships(dir, "bell_repeat_s = 1\nsilence_s = 5\n");
    s.wait_until("two alarms", |t| alarm_bar_tags(t, "UNACK") == 2);
    s.wait_bells(2);
    // One press silences both, with the time left shown.
    s.key(b"s");
    let screen = s.wait_until("both silenced", |t| {
        alarm_bar_tags(t, "silenced ") == 2 && alarm_bar_tags(t, "UNACK") == 0
    });
    assert!(
        screen.contains("ALARM   silenced 5 s") || screen.contains("ALARM   silenced 4 s"),
        "{screen}"
    );
    let before = s.bells().len();
    // The silence runs out (5 s of data time, replayed at its pace): both
    // sound again, and the bell with them.
    s.wait_until("both sounding again", |t| alarm_bar_tags(t, "UNACK") == 2);
    let bells = s.wait_bells(before + 2);
    for b in &bells {
        assert_eq!(
            alarm_bar_tags(b, "silenced "),
            0,
            "rang while silenced:\n{b}"
        );
    }
    for b in &bells[before..] {
        assert_eq!(alarm_bar_tags(b, "UNACK"), 2, "{b}");
    }
    s.key(b"q");
    s.wait_for("Quit the watch anyway?");
    s.key(b"y");
    assert!(s.wait_exit().success());
}
