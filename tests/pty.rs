//! The real binary in a real pseudo-terminal: start on a replayed log,
//! scroll, select, acknowledge an alarm, open help, quit — reading the
//! screen with a VT100 parser at each step.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Screen {
    fn start(args: &[&str], data_dir: &std::path::Path) -> Screen {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows: 45,
                cols: 150,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_bridgewatch"));
        cmd.args(args);
        cmd.env("BRIDGEWATCH_DATA_DIR", data_dir);
        cmd.env("TERM", "xterm-256color");
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(45).expect("rows"),
            std::num::NonZeroU16::new(150).expect("cols"),
            0,
        )));
        let p = parser.clone();
        std::thread::spawn(move || {
            let _master = pair.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut p) = p.lock() {
                    p.process(&buf[..n]);
                }
            }
        });
        Screen {
            parser,
            writer,
            child,
        }
    }

    fn text(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    fn wait_for(&self, what: &str) -> String {
        let end = Instant::now() + Duration::from_secs(20);
        loop {
            let t = self.text();
            if t.contains(what) {
                return t;
            }
            assert!(Instant::now() < end, "screen never showed {what:?}:\n{t}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let end = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(st) = self.child.try_wait().expect("wait") {
                return st;
            }
            assert!(Instant::now() < end, "did not quit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn key(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write key");
        self.writer.flush().expect("flush");
    }
}

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
    s.wait_for("selected target — Esc closes");
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
    // Help lists the keys.
    s.key(b"?");
    s.wait_for("[quit]");
    s.key(b"x"); // any key closes help
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
    let alarm_log = std::fs::read_to_string(dir.join("alarms.jsonl")).expect("alarm log");
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
    std::fs::create_dir(dir.join("alarms.jsonl")).expect("blocker");
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
