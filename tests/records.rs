//! The ship's records stay true: the demo and file replays never write
//! into the live alarm log; every log is in time order; two processes
//! never interleave one log. And a wrong own MMSI in the config does not
//! make the demo's NORDIC STAR vanish. The real binary, in temporary data
//! directories.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_bridgewatch");

fn lines(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

fn in_time_order(v: &[Value]) -> bool {
    let times: Vec<&str> = v.iter().filter_map(|l| l["time"].as_str()).collect();
    times.len() == v.len() && times.windows(2).all(|w| w[0] <= w[1])
}

#[test]
fn the_demo_keeps_its_own_log_in_time_order_and_leaves_the_ships_alone() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("alarms.jsonl");
    std::fs::write(
        &live,
        "{\"time\":\"2026-01-01T00:00:00Z\",\"alarm\":\"kept\"}\n",
    )
    .unwrap();
    let before = std::fs::read(&live).unwrap();
    for _ in 0..2 {
        let out = Command::new(BIN)
            .args(["demo", "--headless"])
            .env("BRIDGEWATCH_DATA_DIR", dir.path())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        let demo = dir.path().join("demo").join("alarms.jsonl");
        assert!(
            err.contains(&format!(
                "the demo's alarms are logged to {}",
                demo.display()
            )),
            "{err}"
        );
        let v = lines(&demo);
        // Begun afresh each run: one run's lines, in time order (a batch
        // of lines used to put a caution's expiry before the message
        // received in the same batch).
        assert!(v.len() >= 8, "{v:?}");
        assert!(in_time_order(&v), "{v:#?}");
        assert_eq!(
            v.iter().filter(|l| l["event"] == "safety_message").count(),
            2,
            "{v:#?}"
        );
    }
    assert_eq!(
        std::fs::read(&live).unwrap(),
        before,
        "the live log is untouched"
    );
    // The demo sends nothing and keeps no journals.
    assert!(!dir.path().join("outbox.jsonl").exists());
    assert!(!dir.path().join("inbox.jsonl").exists());
}

#[test]
fn a_replay_keeps_its_own_log_and_journals() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("capture.nmea");
    // Own fixes, a ship closing head-on (an alarm) and a safety message.
    let t0 = 1_795_000_000_000i64;
    let mut text = String::new();
    for s in 0..30i64 {
        let ms = t0 + s * 1000;
        let own = (54.5 + 12.0 * s as f64 / 3600.0 / 60.0, 11.0);
        text += &bridgewatch::sim::tagged(&bridgewatch::sim::rmc(ms, own, 0.0, 12.0), ms);
        text += "\r\n";
        let tgt = (54.55 - 12.0 * s as f64 / 3600.0 / 60.0, 11.0);
        let m = bridgewatch::sim::class_a(244123456, tgt, Some(180.0), 12.0, 0, (s % 60) as u8);
        for l in bridgewatch::sim::vdm(&m, ms + 500, false, 'A', 0) {
            text += &l;
            text += "\r\n";
        }
    }
    let m = bridgewatch::ais::messages::AisMessage {
        msg_type: 14,
        repeat: 0,
        mmsi: 244123456,
        body: bridgewatch::ais::messages::Body::SafetyBroadcast {
            text: bridgewatch::nmea::armour::Text::from_str_lossy("SECURITE TEST"),
        },
    };
    for l in bridgewatch::sim::vdm(&m, t0 + 29_800, false, 'A', 1) {
        text += &l;
        text += "\r\n";
    }
    std::fs::write(&file, text).unwrap();
    let out = Command::new(BIN)
        .args(["--headless", "--input"])
        .arg(format!("file:{}", file.display()))
        .env("BRIDGEWATCH_DATA_DIR", &data)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!data.join("alarms.jsonl").exists(), "live log not written");
    assert!(!data.join("inbox.jsonl").exists(), "live inbox not written");
    let replay = data.join("replay").join("alarms.jsonl");
    let v = lines(&replay);
    assert!(v.iter().any(|l| l["alarm"] == "dangerous"), "{v:#?}");
    assert!(v.iter().any(|l| l["event"] == "safety_message"), "{v:#?}");
    assert!(in_time_order(&v));
}

/// Two live runs on one data directory: the second finds the log taken,
/// says so, and writes its own beside it.
#[test]
fn two_processes_never_interleave_one_log() {
    let dir = tempfile::tempdir().unwrap();
    let spawn = || {
        Command::new(BIN)
            .args(["--headless", "--input", "udp:127.0.0.1:0"])
            .env("BRIDGEWATCH_DATA_DIR", dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let mut first = spawn();
    // The first run has its log open once it speaks.
    let mut out = BufReader::new(first.stdout.take().unwrap());
    let mut l = String::new();
    out.read_line(&mut l).unwrap();
    assert!(l.contains("\"event\""), "{l}");
    let mut second = spawn();
    let pid = second.id();
    let mut err = BufReader::new(second.stderr.take().unwrap());
    let mut said = String::new();
    err.read_line(&mut said).unwrap();
    let theirs = dir.path().join(format!("alarms-{pid}.jsonl"));
    let _ = second.kill();
    let _ = first.kill();
    let _ = second.wait();
    let _ = first.wait();
    assert!(
        said.contains("is in use by another bridgewatch")
            && said.contains(&theirs.display().to_string()),
        "{said}"
    );
    assert!(theirs.exists());
    assert!(dir.path().join("alarms.jsonl").exists());
}

/// `[own_ship] mmsi` set to NORDIC STAR's number: NORDIC STAR is still a
/// target and still dangerous, and the clash is said.
#[test]
fn the_demo_with_nordic_stars_number_as_own_mmsi_still_shows_nordic_star() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[own_ship]\nmmsi = 230123000\n").unwrap();
    let out = Command::new(BIN)
        .args(["--config"])
        .arg(&config)
        .args(["demo", "--headless"])
        .env("BRIDGEWATCH_DATA_DIR", dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let of = |kind: &str| {
        events
            .iter()
            .filter(|e| e["event"] == kind && e["mmsi"] == 230123000)
            .count()
    };
    assert_eq!(of("own_mmsi_clash"), 1, "{events:#?}");
    assert_eq!(of("target_new"), 1);
    assert!(of("dangerous") >= 1);
    let clash = events
        .iter()
        .find(|e| e["event"] == "own_mmsi_clash")
        .unwrap();
    assert_eq!(clash["priority"], "warning");
    assert!(clash["range_nm"].as_f64().unwrap() > 1.0);
    // A number that is no ship station's is refused with the reason.
    std::fs::write(&config, "[own_ship]\nmmsi = 970111222\n").unwrap();
    let out = Command::new(BIN)
        .args(["--config"])
        .arg(&config)
        .args(["demo", "--headless"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("[own_ship] mmsi = 970111222") && err.contains("AIS-SART"),
        "{err}"
    );
}
