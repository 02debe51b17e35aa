//! One data clock, whatever the mode: the real binary replays the same
//! files in the console (in a pseudo-terminal) and headless, and the alarm
//! logs agree line for line; reports before the first clock sentence take
//! the file's first data time; a file without any time runs on the system
//! clock and says so; a recording made while replaying at `--speed N`
//! replays to the same alarms as the original.

mod common;
use bridgewatch::sim;
use common::screen;
use screen::Screen;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const T0: i64 = 1_781_000_000_000; // 2026-06-09T10:13:20Z
const OWN: (f64, f64) = (54.5, 11.0);

fn report(mmsi: u32, pos: (f64, f64), cog: f64, sog: f64) -> String {
    sim::untagged(&sim::class_a(mmsi, pos, Some(cog), sog, 0, 0), 'A', 0).join("\r\n")
}

/// Own ship steaming east at 12 kn; a ship 3 NM to the north-east crossing
/// southward at 10 kn (dangerous), another far away (not). Its first
/// reports come *before* the first RMC, as when a recording starts in the
/// middle of the transponder's output.
fn crossing_log(dir: &Path, minutes: i64) -> PathBuf {
    let mut text = String::new();
    let crosser = |t_s: f64| (54.5 + (2.0 - 10.0 * t_s / 3600.0) / 60.0, 11.0 + 0.035);
    text += &report(244_000_001, crosser(0.0), 180.0, 10.0);
    text += "\r\n";
    text += &report(244_000_002, (54.8, 11.3), 90.0, 8.0);
    text += "\r\n";
    for s in 0..minutes * 60 {
        let t = T0 + s * 1000;
        let own = (
            OWN.0,
            OWN.1 + 12.0 * s as f64 / 3600.0 / (60.0 * 54.5f64.to_radians().cos()),
        );
        text += &sim::rmc(t, own, 90.0, 12.0);
        text += "\r\n";
        if s % 3 == 2 {
            text += &report(244_000_001, crosser(s as f64), 180.0, 10.0);
            text += "\r\n";
        }
    }
    let p = dir.join("crossing.nmea");
    std::fs::write(&p, text).expect("write log");
    p
}

fn headless(data: &Path, args: &[&str]) -> (Vec<Value>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .arg("--headless")
        .args(args)
        .env("BRIDGEWATCH_DATA_DIR", data)
        .env("XDG_CONFIG_HOME", data)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON event"))
        .collect();
    (events, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn alarm_log(data: &Path) -> Vec<Value> {
    // A replay's own log (the ship's is never written by one).
    std::fs::read_to_string(data.join("replay").join("alarms.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON alarm line"))
        .collect()
}

fn tmp(prefix: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .expect("temp dir")
}

/// The console replays `file` at `speed` to its end, then quits.
fn console_replay(file: &Path, data: &Path, extra: &[&str]) {
    let input = format!("file:{}", file.display());
    let mut args = vec!["--input", input.as_str()];
    args.extend_from_slice(extra);
    let mut s = Screen::start(&args, data);
    s.wait_for("end of file");
    s.quit();
}

#[test]
fn console_and_headless_log_the_same_alarms_at_the_same_data_times() {
    let work = tmp("bw-clock-");
    let crossing = crossing_log(work.path(), 3);
    let merrimac = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/signalk/nais300-merrimac.log"
    ));
    for file in [crossing, merrimac] {
        let (h, c) = (tmp("bw-h-"), tmp("bw-c-"));
        headless(h.path(), &["--input", &format!("file:{}", file.display())]);
        console_replay(&file, c.path(), &["--speed", "1000"]);
        let (hl, cl) = (alarm_log(h.path()), alarm_log(c.path()));
        assert!(!hl.is_empty(), "{}: alarms expected", file.display());
        assert_eq!(hl, cl, "{}: the two modes disagree", file.display());
    }
}

#[test]
fn reports_before_the_first_clock_take_the_files_first_time() {
    let work = tmp("bw-first-");
    let file = crossing_log(work.path(), 2);
    let data = tmp("bw-first-h-");
    let (events, _) = headless(
        data.path(),
        &["--input", &format!("file:{}", file.display())],
    );
    let t0 = bridgewatch::clock::rfc3339(T0);
    let new: Vec<&Value> = events
        .iter()
        .filter(|e| e["event"] == "target_new")
        .collect();
    assert_eq!(new.len(), 2);
    for e in &new {
        assert_eq!(e["time"], t0.as_str(), "{e}");
    }
    // The crossing ship is dangerous from the first own fix, never lost
    // (it reports every 3 s of data time).
    let dangerous = events
        .iter()
        .find(|e| e["event"] == "dangerous")
        .expect("dangerous");
    assert_eq!(dangerous["mmsi"], 244_000_001);
    assert_eq!(dangerous["time"], t0.as_str());
    assert!(
        !events
            .iter()
            .any(|e| e["event"] == "lost" && e["mmsi"] == 244_000_001),
        "no false loss"
    );
    assert!(!events.iter().any(|e| e["event"] == "own_position_lost"));
}

#[test]
fn a_file_without_time_replays_on_the_system_clock_and_says_so() {
    let work = tmp("bw-noclock-");
    let file = work.path().join("no-clock.nmea");
    std::fs::write(
        &file,
        format!(
            "{}\r\n{}\r\n",
            report(244_000_005, (54.5, 11.0), 90.0, 5.0),
            report(244_000_006, (54.6, 11.1), 90.0, 5.0)
        ),
    )
    .unwrap();
    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let data = tmp("bw-noclock-h-");
    let (events, err) = headless(
        data.path(),
        &["--input", &format!("file:{}", file.display())],
    );
    assert_eq!(err.matches("carries no time").count(), 1, "{err}");
    for e in &events {
        let t = chrono::DateTime::parse_from_rfc3339(e["time"].as_str().expect("time"))
            .expect("RFC 3339")
            .timestamp_millis();
        assert!(
            (t - start).abs() < 60_000,
            "stamped on the system clock: {e}"
        );
    }
    // The console says it in the link's status.
    let cdata = tmp("bw-noclock-c-");
    let input = format!("file:{}", file.display());
    let mut s = Screen::start(&["--input", &input], cdata.path());
    let screen = s.wait_for("no time: replay");
    assert!(!screen.contains("1970"), "{screen}");
    s.quit();
}

#[test]
fn a_recording_made_at_speed_replays_to_the_same_alarms() {
    let work = tmp("bw-rec-");
    let file = crossing_log(work.path(), 2);
    let original = tmp("bw-rec-o-");
    headless(
        original.path(),
        &["--input", &format!("file:{}", file.display())],
    );
    let expected = alarm_log(original.path());
    assert!(!expected.is_empty());
    // Recorded by the console replaying 40 times faster than recorded…
    let rec = work.path().join("console.nmea");
    let c = tmp("bw-rec-c-");
    console_replay(
        &file,
        c.path(),
        &["--speed", "40", "--record", rec.to_str().unwrap()],
    );
    // …and by headless mode.
    let rec2 = work.path().join("headless.nmea");
    let h = tmp("bw-rec-h-");
    headless(
        h.path(),
        &[
            "--input",
            &format!("file:{}", file.display()),
            "--record",
            rec2.to_str().unwrap(),
        ],
    );
    for r in [rec, rec2] {
        let text = std::fs::read_to_string(&r).expect("recording written");
        assert!(text.lines().count() >= 120 + 40, "{}", r.display());
        let replay = tmp("bw-rec-r-");
        headless(
            replay.path(),
            &["--input", &format!("file:{}", r.display())],
        );
        assert_eq!(alarm_log(replay.path()), expected, "{}", r.display());
    }
}
