//! `bridgewatch --headless`: every real log in `tests/data` replays
//! without a panic, events follow the contract, and the summary's counts
//! agree with an independent count over the same file.

use bridgewatch::ais::stream::{AisStream, Outcome};
use bridgewatch::app::{Config, headless};
use bridgewatch::link::InputSpec;
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

fn logs() -> Vec<PathBuf> {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data"));
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            for e in std::fs::read_dir(&p).expect("dir").flatten() {
                stack.push(e.path());
            }
        } else {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let raw = n.ends_with(".log")
                || n.ends_with(".aivdm")
                || n.ends_with(".ais")
                || n.ends_with(".txt");
            if raw {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A fresh directory, removed when the test ends (also on failure).
fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("bridgewatch-test-{name}-"))
        .tempdir()
        .expect("temp dir")
}

/// Independent count: framed sentences, rejects, and distinct MMSIs heard
/// on VDM that are not own ship's.
fn count(path: &Path) -> (u64, u64, usize) {
    let bytes = std::fs::read(path).expect("log");
    let mut s = AisStream::new();
    let mut own = HashSet::new();
    let mut heard = HashSet::new();
    for line in bytes.split(|&b| b == b'\n' || b == b'\r') {
        if line.is_empty() || line[0] == b'#' {
            continue;
        }
        if let Ok(Outcome::Ais(r)) = s.push_line(line, 0) {
            if r.own {
                own.insert(r.msg.mmsi);
            } else {
                heard.insert(r.msg.mmsi);
            }
        }
    }
    let targets = heard.difference(&own).count();
    (s.stats().sentences, s.stats().rejected, targets)
}

#[test]
fn every_real_log_replays_with_a_checked_summary() {
    let files = logs();
    assert!(files.len() >= 20, "testdata not found");
    let dir = temp_dir("replay");
    let config = Config {
        data_dir: Some(dir.path().to_path_buf()),
        ..Config::default()
    };
    for f in &files {
        let mut out = Vec::new();
        let mut err = Vec::new();
        headless::run(
            &config,
            &[InputSpec::File(f.clone())],
            1.0,
            &mut out,
            &mut err,
        )
        .expect("run");
        let text = String::from_utf8(out).expect("utf8");
        let events: Vec<Value> = text
            .lines()
            .map(|l| {
                serde_json::from_str(l)
                    .unwrap_or_else(|e| panic!("{}: bad JSON {l}: {e}", f.display()))
            })
            .collect();
        for e in &events {
            let keys: Vec<&String> = e.as_object().expect("object").keys().collect();
            assert_eq!(keys[..2], ["time", "event"], "{e}");
            assert!(e["time"].as_str().unwrap().ends_with('Z'));
        }
        assert_eq!(events[0]["event"], "link");
        assert_eq!(events[0]["state"], "up");
        let summary = events.last().expect("summary");
        assert_eq!(summary["event"], "summary", "{}", f.display());
        let (sentences, rejected, targets) = count(f);
        assert_eq!(
            summary["sentences"].as_u64(),
            Some(sentences),
            "{}",
            f.display()
        );
        assert_eq!(
            summary["rejected"].as_u64(),
            Some(rejected),
            "{}",
            f.display()
        );
        assert_eq!(
            summary["targets"].as_u64(),
            Some(targets as u64),
            "{}",
            f.display()
        );
        let new = events.iter().filter(|e| e["event"] == "target_new").count();
        let removed = events.iter().filter(|e| e["event"] == "removed").count();
        assert_eq!(new - removed, targets, "{}", f.display());
    }
}

#[test]
fn the_binary_replays_a_log_and_keeps_an_alarm_log() {
    let dir = temp_dir("binary");
    let log = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/signalk/nais300-merrimac.log"
    );
    // Own ship lies at a berth in this log: with the harbour rule (the
    // default) its moored neighbours raise no CPA alarm — only the one ship
    // under way (244690118, 2.5 kn) does; with the rule off they alarm
    // too. The replay's own alarm log has them.
    let off = dir.path().join("rule-off.toml");
    std::fs::write(&off, "[alarms]\nstill_sog_kn = 0.0\n").unwrap();
    for config in [None, Some(&off)] {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_bridgewatch"));
        if let Some(c) = config {
            cmd.arg("--config").arg(c);
        }
        let out = cmd
            .args(["--headless", "--input", &format!("file:{log}")])
            .env("BRIDGEWATCH_DATA_DIR", dir.path())
            .env("XDG_CONFIG_HOME", dir.path())
            .output()
            .expect("run binary");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let last: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
        assert_eq!(last["event"], "summary");
        assert_eq!(last["sentences"], 579);
        assert_eq!(last["not_nmea"], 0);
        let dangerous = text.matches("\"event\":\"dangerous\"").count();
        let mover = text.contains("\"event\":\"dangerous\",\"mmsi\":244690118");
        assert!(mover, "{text}");
        assert_eq!(dangerous > 1, config.is_some(), "{text}");
        let alarm_log = std::fs::read_to_string(dir.path().join("replay").join("alarms.jsonl"))
            .expect("alarm log written");
        let logged = alarm_log.matches("\"alarm\":\"dangerous\"").count();
        assert!(logged >= dangerous, "{alarm_log}");
        assert!(!dir.path().join("alarms.jsonl").exists(), "the ship's log");
    }
    // A config file with a typo is refused with the key named.
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "[alarms]\ncpa_limt_nm = 1.0\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .args([
            "--headless",
            "--config",
            cfg.to_str().unwrap(),
            "--input",
            &format!("file:{log}"),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cpa_limt_nm"));
}

/// `bridgewatch --headless` listening on a free loopback UDP port, with a
/// watchdog so a hung binary fails the test instead of hanging it. Returns
/// the child, its event lines (the first, `link up`, already checked) and
/// the address to send to.
fn headless_udp(
    name: &str,
    extra: &[&str],
) -> (
    std::process::Child,
    std::io::Lines<std::io::BufReader<std::process::ChildStdout>>,
    std::net::SocketAddr,
) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let probe = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap();
    drop(probe);
    let dir = temp_dir(name);
    let input = format!("udp:{addr}");
    let mut args = vec!["--headless", "--input", &input];
    args.extend_from_slice(extra);
    let mut child = Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .args(&args)
        .env("BRIDGEWATCH_DATA_DIR", dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    let pid = child.id().to_string();
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(20));
        let _ = Command::new("kill").arg(&pid).status();
    });
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(
        (&first["event"], &first["state"]),
        (&Value::from("link"), &Value::from("up"))
    );
    (child, lines, addr)
}

#[test]
fn udp_input_on_loopback() {
    use std::net::UdpSocket;
    let (mut child, mut lines, addr) = headless_udp("udp", &[]);
    // The link is up only once the socket is bound, so one datagram is
    // enough; send a few in case the loopback drops one.
    let sender = UdpSocket::bind("127.0.0.1:0").unwrap();
    let msg = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\r\n";
    for _ in 0..3 {
        sender.send_to(msg.as_bytes(), addr).unwrap();
    }
    let got = lines.next();
    let _ = child.kill();
    let _ = child.wait();
    let v: Value = serde_json::from_str(&got.expect("an event").expect("line")).unwrap();
    assert_eq!(v["event"], "target_new");
    assert_eq!(v["mmsi"], 371798000);
}

#[test]
fn demo_headless_tells_the_story() {
    let dir = temp_dir("demo");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .args(["demo", "--headless"])
        .env("BRIDGEWATCH_DATA_DIR", dir.path())
        .output()
        .expect("run demo");
    assert!(out.status.success());
    let events: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let start = chrono::DateTime::parse_from_rfc3339(events[0]["time"].as_str().unwrap()).unwrap();
    let at = |name: &str| {
        events.iter().find(|e| e["event"] == name).map(|e| {
            (chrono::DateTime::parse_from_rfc3339(e["time"].as_str().unwrap()).unwrap() - start)
                .num_seconds()
        })
    };
    let dangerous = at("dangerous").expect("a crossing ship becomes dangerous");
    assert!(dangerous < 60, "within the first minute, not {dangerous} s");
    assert!(at("lost").expect("a target is lost") > dangerous);
    assert!(at("sart").expect("an AIS-SART appears") > 120);
    assert!(at("safety_message").is_some());
    assert_eq!(events.last().unwrap()["event"], "summary");
}

#[test]
fn silent_udp_feed_still_raises_time_based_alarms() {
    use std::net::UdpSocket;
    let cfg_dir = temp_dir("udp-silence-config");
    let cfg = cfg_dir.path().join("fast.toml");
    std::fs::write(&cfg, "[own_ship]\nown_position_timeout_s = 1.0\n").unwrap();
    let (mut child, mut lines, addr) =
        headless_udp("udp-silence", &["--config", cfg.to_str().unwrap()]);
    let rmc = bridgewatch::nmea::build(
        '$',
        "GPRMC",
        &[
            "120000.00",
            "A",
            "5430.0000",
            "N",
            "01100.0000",
            "E",
            "12.0",
            "90.0",
            "221126",
            "",
            "",
            "A",
        ],
    );
    let sender = UdpSocket::bind("127.0.0.1:0").unwrap();
    sender
        .send_to(format!("{rmc}\r\n").as_bytes(), addr)
        .unwrap();
    // Then silence: the own-position timeout must still fire.
    let start = std::time::Instant::now();
    let mut seen = false;
    for l in lines.by_ref() {
        let v: Value = serde_json::from_str(&l.unwrap()).unwrap();
        if v["event"] == "own_position_lost" {
            seen = true;
            break;
        }
        if start.elapsed() > std::time::Duration::from_secs(10) {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen, "own_position_lost while the feed was silent");
}

/// Lines as the replay counts them, worked out here: pieces between CR/LF
/// that are not empty; a `#` comment is not counted unless it is over the
/// reader's 1,024 bytes (then it is dropped unread, and counted).
fn lines_counted(bytes: &[u8]) -> u64 {
    bytes
        .split(|&b| b == b'\n' || b == b'\r')
        .filter(|l| !l.is_empty() && (l.len() > 1024 || l[0] != b'#'))
        .count() as u64
}

/// Bytes from a fixed-seed generator (xorshift), the same on every run.
fn random_bytes(n: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

#[test]
fn a_file_of_random_bytes_fails_and_says_how_many_lines_were_not_nmea() {
    let dir = temp_dir("random");
    let file = dir.path().join("random.bin");
    let bytes = random_bytes(100_000);
    std::fs::write(&file, &bytes).unwrap();
    let lines = lines_counted(&bytes);
    assert!(lines > 500, "{lines}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .args(["--headless", "--input", &format!("file:{}", file.display())])
        .env("BRIDGEWATCH_DATA_DIR", dir.path().join("data"))
        .output()
        .expect("run binary");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let name = format!("file:{}", file.display());
    assert!(
        stderr.contains(&format!(
            "bridgewatch: {name}: {lines} of {lines} lines not NMEA (no sentence with a valid checksum)"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "bridgewatch: {name}: nothing usable: none of its {lines} lines is NMEA"
        )),
        "{stderr}"
    );
    let events: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    // The summary still comes, with the count.
    let summary = events.last().expect("summary");
    assert_eq!(summary["event"], "summary");
    assert_eq!(summary["sentences"], 0);
    assert_eq!(summary["not_nmea"].as_u64(), Some(lines));
    let end = events
        .iter()
        .rev()
        .find(|e| e["event"] == "link")
        .expect("link event");
    assert!(
        end["detail"]
            .as_str()
            .unwrap()
            .starts_with(&format!("end of file: {lines} lines, {lines} not NMEA")),
        "{end}"
    );
    // An empty file has nothing usable either.
    let empty = dir.path().join("empty.log");
    std::fs::write(&empty, b"").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .args([
            "--headless",
            "--input",
            &format!("file:{}", empty.display()),
        ])
        .env("BRIDGEWATCH_DATA_DIR", dir.path().join("data"))
        .output()
        .expect("run binary");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing usable: no lines in it"));
}

#[test]
fn a_good_file_with_some_garbage_replays_and_counts_the_garbage() {
    let dir = temp_dir("garbage");
    let good = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/signalk/nais300-merrimac.log"
    ))
    .unwrap();
    let mut bytes = b"garbage one\r\n# a comment is not garbage\r\n".to_vec();
    bytes.extend_from_slice(&good);
    // A sentence whose checksum does not hold is not NMEA either.
    bytes.extend_from_slice(
        b"\r\n!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B\r\n\x00\x01\x02\r\n",
    );
    let file = dir.path().join("mixed.log");
    std::fs::write(&file, &bytes).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .args(["--headless", "--input", &format!("file:{}", file.display())])
        .env("BRIDGEWATCH_DATA_DIR", dir.path().join("data"))
        .output()
        .expect("run binary");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let lines = lines_counted(&bytes);
    assert_eq!(lines, 579 + 3);
    assert!(
        stderr.contains(&format!("3 of {lines} lines not NMEA")),
        "{stderr}"
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let summary: Value = serde_json::from_str(text.lines().last().unwrap()).unwrap();
    assert_eq!(summary["sentences"], 579);
    assert_eq!(summary["not_nmea"], 3);
}
