//! `bridgewatch --headless` on the same link tasks as the console: a serial
//! port that is a real pseudo-terminal pair, a TCP feed on 127.0.0.1 that
//! drops and comes back, one that never answers, a file beside a UDP
//! input, inputs that cannot be used, a corrupt date in a replay, and
//! fragments from two links.

mod common;
use bridgewatch::app::engine::Engine;
use bridgewatch::sim;
use bridgewatch::traffic::Event;
use bridgewatch::traffic::config::TrafficConfig;
use common::serial_pty;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A position report of a Class A ship at `pos`, COG/SOG as given.
fn report(mmsi: u32, pos: (f64, f64)) -> String {
    sim::untagged(&sim::class_a(mmsi, pos, Some(270.0), 10.0, 0, 0), 'A', 0).join("\r\n")
}

/// The headless binary with its stdout read line by line on a thread.
struct Headless {
    child: Child,
    lines: mpsc::Receiver<String>,
    _dir: tempfile::TempDir,
}

impl Headless {
    fn start(args: &[&str]) -> Headless {
        let dir = tempfile::Builder::new()
            .prefix("bridgewatch-hl-")
            .tempdir()
            .expect("temp dir");
        let mut child = Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
            .arg("--headless")
            .args(args)
            .env("BRIDGEWATCH_DATA_DIR", dir.path())
            .env("XDG_CONFIG_HOME", dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let out = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for l in BufReader::new(out).lines() {
                let Ok(l) = l else { return };
                if tx.send(l).is_err() {
                    return;
                }
            }
        });
        Headless {
            child,
            lines,
            _dir: dir,
        }
    }

    /// The next event matching `pred`, within 20 s.
    fn wait_for(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let end = Instant::now() + Duration::from_secs(20);
        loop {
            let left = end.saturating_duration_since(Instant::now());
            let l = self
                .lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no {what} event within 20 s"));
            let v: Value = serde_json::from_str(&l).unwrap_or_else(|e| panic!("bad JSON {l}: {e}"));
            if pred(&v) {
                return v;
            }
        }
    }
}

impl Drop for Headless {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is(v: &Value, event: &str) -> bool {
    v["event"] == event
}

fn wall_s() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

fn event_s(v: &Value) -> f64 {
    let t = v["time"].as_str().expect("time");
    chrono::DateTime::parse_from_rfc3339(t)
        .unwrap_or_else(|e| panic!("{t}: {e}"))
        .timestamp_millis() as f64
        / 1000.0
}

#[test]
fn headless_reads_a_serial_port_on_a_pseudo_terminal_pair() {
    let pair = serial_pty::pair();
    let path = pair.master.tty_name().expect("slave path");
    let mut port = pair.master.take_writer().expect("writer");
    let spec = format!("serial:{}@38400", path.display());
    let h = Headless::start(&["--input", &spec]);
    let up = h.wait_for("link up", |v| is(v, "link"));
    assert_eq!(up["state"], "up", "{up}");
    assert_eq!(up["name"], spec.as_str());
    // The transponder speaks: a report arrives as a target at once.
    let start = wall_s();
    port.write_all(format!("{}\r\n", report(244_123_456, (54.5, 11.0))).as_bytes())
        .unwrap();
    port.flush().unwrap();
    let t = h.wait_for("target_new", |v| is(v, "target_new"));
    assert_eq!(t["mmsi"], 244_123_456);
    // Live: stamped with the system clock, not 1970 and not a data time.
    assert!((event_s(&t) - start).abs() < 10.0, "{t}");
    drop(pair.slave);
}

#[test]
fn headless_follows_a_tcp_feed_that_drops_and_comes_back() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let h = Headless::start(&["--input", &format!("tcp:{addr}")]);
    let (mut conn, _) = listener.accept().expect("the link connects");
    assert_eq!(h.wait_for("link up", |v| is(v, "link"))["state"], "up");
    conn.write_all(format!("{}\r\n", report(211_000_001, (54.5, 11.0))).as_bytes())
        .unwrap();
    assert_eq!(
        h.wait_for("target_new", |v| is(v, "target_new"))["mmsi"],
        211_000_001
    );
    // The feed drops: a link event says so, and the link reconnects.
    drop(conn);
    let down = h.wait_for("link down", |v| is(v, "link"));
    assert_eq!(down["state"], "down", "{down}");
    let (mut conn, _) = listener.accept().expect("the link reconnects");
    assert_eq!(
        h.wait_for("link up again", |v| is(v, "link"))["state"],
        "up"
    );
    conn.write_all(format!("{}\r\n", report(211_000_002, (54.5, 11.0))).as_bytes())
        .unwrap();
    assert_eq!(
        h.wait_for("second target", |v| is(v, "target_new"))["mmsi"],
        211_000_002
    );
}

#[test]
fn a_tcp_feed_that_never_answers_is_reported_down_after_the_connect_timeout() {
    // A listener whose accept queue is full (backlog 0, one connection
    // waiting that is never accepted): the link's SYN is dropped, as by a
    // firewall, so its connect neither succeeds nor fails. After
    // CONNECT_TIMEOUT the link is reported down, with why: its first
    // report is a link event although the run's first ticks came long
    // before it.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind(([127, 0, 0, 1], 0).into())
        .expect("bind 127.0.0.1:0");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("runtime");
    let listener = rt
        .block_on(async { socket.listen(0)?.into_std() })
        .expect("listen");
    let addr = listener.local_addr().expect("address");
    let _waiting = std::net::TcpStream::connect(addr).expect("the one connection queued");
    let h = Headless::start(&["--input", &format!("tcp:{addr}")]);
    let down = h.wait_for("link down", |v| is(v, "link"));
    assert_eq!(down["state"], "down", "{down}");
    let secs = bridgewatch::link::tasks::CONNECT_TIMEOUT.as_secs();
    assert_eq!(
        down["detail"],
        format!("no answer within {secs} s").as_str(),
        "{down}"
    );
}

#[test]
fn a_file_beside_a_udp_input_is_stamped_now_and_does_not_block_it() {
    let dir = tempfile::tempdir().unwrap();
    // A recording from 2012: its data times belong to its own clock; beside
    // a live input it is replayed at its pace on the system clock.
    let t0 = 1_340_000_000_000;
    let file = dir.path().join("old.nmea");
    std::fs::write(
        &file,
        format!(
            "{}\r\n{}\r\n",
            sim::rmc(t0, (54.5, 11.0), 90.0, 12.0),
            report(244_000_001, (54.52, 11.0))
        ),
    )
    .unwrap();
    let probe = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap();
    drop(probe);
    let start = wall_s();
    let h = Headless::start(&[
        "--input",
        &format!("file:{}", file.display()),
        "--input",
        &format!("udp:{addr}"),
    ]);
    let from_file = h.wait_for("file target", |v| is(v, "target_new"));
    assert_eq!(from_file["mmsi"], 244_000_001);
    assert!(
        (event_s(&from_file) - start).abs() < 10.0,
        "stamped {} (never 1970, never 2012)",
        from_file["time"]
    );
    // The UDP input listens too (it used to be blocked behind the file).
    let sender = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let udp_target = (0..50).find_map(|_| {
        let _ = sender.send_to(report(244_000_002, (54.51, 11.01)).as_bytes(), addr);
        let v = h.wait_for("any event", |_| true);
        (is(&v, "target_new") && v["mmsi"] == 244_000_002).then_some(v)
    });
    let v = udp_target.expect("the UDP target arrives");
    assert!((event_s(&v) - start).abs() < 20.0, "{v}");
}

/// Run the binary to the end; (status, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .args(args)
        .env("BRIDGEWATCH_DATA_DIR", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn inputs_that_cannot_be_used_are_refused_with_a_reason_and_no_summary() {
    for (args, code, why) in [
        (
            vec!["--headless", "--input", "file:/nonexistent/voyage.nmea"],
            1,
            "cannot read /nonexistent/voyage.nmea",
        ),
        (
            vec![
                "--headless",
                "--input",
                "aiip:127.0.0.1:4155",
                "--input",
                "aiip:127.0.0.1:4156",
            ],
            2,
            "one AI-IP server at a time",
        ),
        (vec!["--headless", "--input", "ftp:x"], 2, "unknown kind"),
        (vec!["--headless"], 2, "no input"),
        (
            vec!["--headless", "--speed", "0", "--input", "file:x"],
            2,
            "not a replay speed",
        ),
        (
            vec!["--headless", "--speed", "nan", "--input", "file:x"],
            2,
            "not a replay speed",
        ),
        (vec!["demo", "--speed", "-1"], 2, "not a replay speed"),
    ] {
        let (status, out, err) = run(&args);
        assert_eq!(status, code, "{args:?}: {err}");
        assert!(err.contains(why), "{args:?}: {err}");
        assert!(!out.contains("summary"), "{args:?}: {out}");
        assert!(!err.contains("issue") && !err.contains(" yet"), "{err}");
    }
}

#[test]
fn config_errors_exit_2_with_the_key_in_every_mode() {
    let dir = tempfile::tempdir().unwrap();
    let conflict = dir.path().join("keys.toml");
    std::fs::write(&conflict, "[keys]\nack = \"s\"\n").unwrap();
    let range = dir.path().join("range.toml");
    std::fs::write(&range, "[alarms]\ntcpa_limit_min = 500.0\n").unwrap();
    let aiip = dir.path().join("aiip.toml");
    std::fs::write(
        &aiip,
        "[aiip]\nmode = \"tactical-on-board\"\nrange_km = 40\n",
    )
    .unwrap();
    let log = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pyais/messages.ais");
    for (cfg, why) in [
        (&conflict, "bound to both ack and silence"),
        (&range, "[alarms] tcpa_limit_min = 500: allowed 1 to 120"),
        (
            &aiip,
            "[aiip] range 40 km is more than the 15 km allowed in tactical-on-board mode",
        ),
    ] {
        let cfg = cfg.to_str().unwrap();
        for mode in [
            vec![
                "--headless",
                "--config",
                cfg,
                "--input",
                &format!("file:{log}"),
            ],
            vec!["demo", "--headless", "--config", cfg],
        ] {
            let (status, out, err) = run(&mode);
            assert_eq!(status, 2, "{mode:?}: {err}");
            assert!(err.contains(why), "{mode:?}: {err}");
            assert!(out.is_empty(), "{out}");
        }
    }
}

#[test]
fn headless_before_demo_means_demo_headless() {
    let (status, out, err) = run(&["--headless", "demo"]);
    assert_eq!(status, 0, "{err}");
    assert!(
        out.lines().last().unwrap_or("").contains("\"summary\""),
        "{out}"
    );
    assert!(out.contains("\"event\":\"dangerous\""));
}

#[test]
fn one_corrupt_future_date_neither_jumps_nor_freezes_a_replay() {
    let dir = tempfile::tempdir().unwrap();
    let t0 = 1_781_000_000_000; // 2026-06-09T10:13:20Z
    let pos = (54.5, 11.0);
    let mut text = String::new();
    for i in 0..120 {
        let t = t0 + i * 1000;
        if i == 30 {
            // One RMC whose date is 2055: a corrupt sentence.
            text += &sim::rmc(t + 29 * 365 * 86_400_000, pos, 90.0, 12.0);
        } else {
            text += &sim::rmc(t, pos, 90.0, 12.0);
        }
        text += "\r\n";
        if i < 10 {
            // A fishing vessel that then stops transmitting: lost after
            // 60 s of data time (Class A, under 14 kn).
            text += &report(244_000_009, (54.51, 11.02));
            text += "\r\n";
        }
    }
    let file = dir.path().join("corrupt-date.nmea");
    std::fs::write(&file, text).unwrap();
    let (status, out, err) = run(&["--headless", "--input", &format!("file:{}", file.display())]);
    assert_eq!(status, 0, "{err}");
    let events: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for e in &events {
        let t = event_s(e) * 1000.0;
        assert!(
            t >= t0 as f64 && t <= (t0 + 120_000) as f64,
            "every event within the replay's own two minutes: {e}"
        );
    }
    // The clock kept running after the corrupt date: the loss comes at
    // 60–62 s after the last report (report at t0+9 s).
    let lost = events
        .iter()
        .find(|e| is(e, "lost"))
        .expect("the silent vessel is lost");
    let at = event_s(lost) * 1000.0 - t0 as f64;
    assert!((69_000.0..=72_000.0).contains(&at), "lost at +{at} ms");
    let summary = events.last().expect("summary");
    assert_eq!(
        event_s(summary) * 1000.0,
        (t0 + 119_000) as f64,
        "{summary}"
    );
}

#[test]
fn fragments_from_two_links_are_never_glued_together() {
    // Message 5 of ship A in two fragments with sequence id 3 on link 0;
    // meanwhile link 1 hears the second fragment of another message with the
    // same sequence id and channel.
    let a = sim::untagged(
        &sim::static_voyage(244_111_111, "RIJNSTROOM", "ROTTERDAM"),
        'A',
        3,
    );
    let b = sim::untagged(&sim::static_voyage(244_222_222, "ELBE", "HAMBURG"), 'A', 3);
    assert_eq!((a.len(), b.len()), (2, 2), "two fragments each");
    let mut e = Engine::new(TrafficConfig::default(), false);
    e.push_link_line(0, Some(a[0].as_bytes()), 0);
    e.push_link_line(1, Some(b[1].as_bytes()), 0);
    e.push_link_line(1, Some(b[0].as_bytes()), 0);
    e.push_link_line(0, Some(a[1].as_bytes()), 0);
    let names: Vec<(u32, String)> = e
        .traffic
        .targets
        .values()
        .map(|t| (t.mmsi, t.name().unwrap_or("").to_string()))
        .collect();
    assert!(
        names.contains(&(244_111_111, "RIJNSTROOM".to_string())),
        "{names:?}"
    );
    assert!(
        names.contains(&(244_222_222, "ELBE".to_string())),
        "{names:?}"
    );
    let new = e
        .traffic
        .take_events()
        .iter()
        .filter(|x| matches!(x, Event::TargetNew { .. }))
        .count();
    assert_eq!(new, 2);
    assert_eq!(e.stream.stats().rejected, 0);
}

#[test]
fn a_recording_that_cannot_be_written_is_an_alarm_and_the_run_goes_on() {
    let log = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/signalk/nais300-merrimac.log"
    );
    for (target, why) in [
        // A full disk: every write fails (ENOSPC), even as root.
        ("/dev/full", "No space left on device"),
        // A directory that does not exist: the recording cannot be opened.
        ("/nonexistent/dir/rec.nmea", "No such file or directory"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
            .args([
                "--headless",
                "--record",
                target,
                "--input",
                &format!("file:{log}"),
            ])
            .env("BRIDGEWATCH_DATA_DIR", dir.path())
            .env("XDG_CONFIG_HOME", dir.path())
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        let last: Value = serde_json::from_str(stdout.lines().last().unwrap_or("{}")).unwrap();
        assert_eq!(last["event"], "summary");
        assert_eq!(last["sentences"], 579, "the whole watch went on");
        let alarms =
            std::fs::read_to_string(dir.path().join("replay").join("alarms.jsonl")).unwrap();
        let storage = alarms
            .lines()
            .find(|l| l.contains("\"alarm\":\"storage\""))
            .unwrap_or_else(|| panic!("{target}: no storage alarm in {alarms}"));
        assert!(storage.contains("recording not written"), "{storage}");
        assert!(storage.contains(why), "{storage}");
    }
}

#[test]
fn decode_help_lists_only_what_acts_on_decode_and_the_main_help_names_the_files() {
    let (status, out, _) = run(&["decode", "--help"]);
    assert_eq!(status, 0);
    for other in [
        "--config",
        "--palette",
        "--input",
        "--headless",
        "--speed",
        "--record",
        "--log-level",
    ] {
        assert!(!out.contains(other), "decode --help shows {other}:\n{out}");
    }
    for own in ["--unscaled", "--summary", "--gpsd-compat"] {
        assert!(out.contains(own), "{out}");
    }
    let (status, out, _) = run(&["--help"]);
    assert_eq!(status, 0);
    for needed in [
        "config.toml",
        "bridgewatch.log",
        "alarms.jsonl",
        "--log-level",
        "Exit status",
    ] {
        assert!(out.contains(needed), "--help lacks {needed}:\n{out}");
    }
}
