//! `bridgewatch encode`: the real binary's sentences read back by our own
//! NMEA and presentation-interface parsers, the AIS payload decoded back
//! with the values given, refusals with exit status 2 naming the option,
//! and gpsd's view of the same payloads (recorded in
//! `tests/data/gpsdecode-encode.jsonl`).

use bridgewatch::ais::application::AddressedApp;
use bridgewatch::ais::encode::to_vdm;
use bridgewatch::ais::json::{Style, write_message};
use bridgewatch::ais::{Body, decode};
use bridgewatch::nmea::armour::Payload;
use bridgewatch::nmea::frame;
use bridgewatch::nmea::pi::{self, BinaryFragment};
use bridgewatch::voyage::fields::SafetyKind;
use bridgewatch::voyage::messages::as_transmitted;
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

/// The MMSI of our own transponder when we play its part.
const OWN: u32 = 244_000_001;

/// A date `days` after the system clock: "YYYY-MM-DD", month, day. An ETA
/// must lie ahead, and no more than a year ahead (FI 21 carries no year).
fn ahead(days: i64) -> (String, u32, u32) {
    use chrono::Datelike;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let d = chrono::DateTime::from_timestamp_millis(now + days * 86_400_000)
        .expect("a date")
        .date_naive();
    (d.format("%Y-%m-%d").to_string(), d.month(), d.day())
}

/// The year (this one or the next) in which the month, day and time of
/// `eta` ("2099-MM-DD…HH:MM") lie ahead of the system clock by at most
/// 365 days.
fn year_within_a_year(eta: &str) -> Option<i32> {
    use chrono::Datelike;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let this = chrono::DateTime::from_timestamp_millis(now)?.year();
    let num = |r: std::ops::Range<usize>| eta.get(r)?.parse::<u32>().ok();
    let (m, d, h, min) = (num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?);
    (this..=this + 1).find(|&y| {
        chrono::NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|x| x.and_hms_opt(h, min, 0))
            .map(|x| x.and_utc().timestamp_millis() - now)
            .is_some_and(|ahead| ahead > 60_000 && ahead <= 365 * 86_400_000)
    })
}

/// The ETA the tests send: 60 days ahead at 14:30 UTC.
static FUTURE_AT: std::sync::LazyLock<(String, u32, u32)> = std::sync::LazyLock::new(|| {
    let (d, m, day) = ahead(60);
    (format!("{d}T14:30Z"), m, day)
});
static FUTURE: std::sync::LazyLock<&'static str> =
    std::sync::LazyLock::new(|| FUTURE_AT.0.as_str());

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .arg("encode")
        .args(args)
        .output()
        .expect("run bridgewatch")
}

/// Run, expect success, return the lines after checking each one's
/// length and checksum.
fn sentences(args: &[&str]) -> Vec<String> {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    let text = String::from_utf8(out.stdout).expect("ASCII output");
    let lines: Vec<String> = text.lines().map(String::from).collect();
    assert!(!lines.is_empty());
    for l in &lines {
        assert!(l.len() <= MAX_PRINTED, "{} characters: {l}", l.len());
        assert!(checksum_holds(l), "checksum of {l}");
        frame(l.as_bytes()).unwrap_or_else(|e| panic!("{l}: {e:?}"));
    }
    lines
}

/// IEC 61162-1 §5.3: at most 82 characters from the start delimiter to the
/// CR LF that ends the sentence, so 80 printed.
const MAX_PRINTED: usize = 80;

/// The checksum worked out here, apart from the crate: the XOR of every
/// byte between the start delimiter and `*`, two upper-case hex digits.
fn checksum_holds(l: &str) -> bool {
    let Some(star) = l.find('*') else {
        return false;
    };
    let x = l.as_bytes()[1..star].iter().fold(0u8, |a, b| a ^ b);
    l[star + 1..] == format!("{x:02X}")
}

/// Run `decode` over `input`: its JSON lines and its standard error.
fn decode_binary(input: &str, extra: &[&str]) -> (Vec<Value>, String) {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .arg("decode")
        .args(extra)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run bridgewatch decode");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("decode ends");
    assert!(out.status.success());
    let values = String::from_utf8(out.stdout)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    (values, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// `encode` piped into `decode`, as a shell would: the JSON objects.
fn encode_then_decode(args: &[&str]) -> Vec<Value> {
    let lines = sentences(args);
    let (values, stderr) = decode_binary(&(lines.join("\r\n") + "\r\n"), &[]);
    assert!(stderr.is_empty(), "{stderr}");
    values
}

/// A text of `n` characters using the whole six-bit alphabet a safety
/// message may carry, so no run of equal characters hides a misplaced cut.
fn varied_text(n: usize) -> String {
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-/()?:;=+'\"#%&<>[]";
    let mut t: String = alphabet.chars().cycle().take(n).collect();
    // A trailing space would be trimmed as the form trims it.
    if t.ends_with(' ') {
        t.pop();
        t.push('X');
    }
    t
}

fn fragments(lines: &[String]) -> Vec<BinaryFragment> {
    let frags: Vec<BinaryFragment> = lines
        .iter()
        .map(|l| pi::parse_binary(&frame(l.as_bytes()).expect("frame")).expect("ABM/BBM"))
        .collect();
    let total = frags.len();
    for (i, f) in frags.iter().enumerate() {
        assert_eq!((f.total as usize, f.number as usize), (total, i + 1));
        assert_eq!(f.seq_id, frags[0].seq_id);
        assert_eq!(f.channel, 0, "no channel preference");
    }
    frags
}

fn eta_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![
        "eta",
        "--to",
        "211999999",
        "--country",
        "NL",
        "--location",
        "RTM",
        "--section",
        "00001",
        "--terminal",
        "00000",
        "--hectometre",
        "00123",
        "--eta",
        *FUTURE,
    ];
    v.extend_from_slice(extra);
    v
}

#[test]
fn eta_is_an_abm_with_message_6_dac_200_fi_21() {
    let lines = sentences(&eta_args(&["--tugs", "2", "--air-draught", "7.5"]));
    assert!(lines.iter().all(|l| l.starts_with("!ECABM,")));
    let frags = fragments(&lines);
    assert_eq!(frags[0].dest_mmsi, Some(211_999_999));
    assert_eq!(frags[0].msg_id, 6);
    let m = decode(&as_transmitted(OWN, &frags).expect("joins")).expect("decodes");
    assert_eq!((m.msg_type, m.mmsi), (6, OWN));
    let Body::AddressedBinary(b) = m.body else {
        panic!("{m:?}")
    };
    assert_eq!((b.dest_mmsi, b.dac, b.fid), (211_999_999, 200, 21));
    let AddressedApp::InlandEta(e) = b.app else {
        panic!("{:?}", b.app)
    };
    let l = e.location;
    assert_eq!(
        [
            l.country.as_str(),
            l.locode.as_str(),
            l.section.as_str(),
            l.terminal.as_str(),
            l.hectometre.as_str()
        ],
        ["NL", "RTM", "00001", "00000", "00123"]
    );
    assert_eq!(
        (
            u32::from(e.eta.month),
            u32::from(e.eta.day),
            e.eta.hour,
            e.eta.minute
        ),
        (FUTURE_AT.1, FUTURE_AT.2, 14, 30)
    );
    assert_eq!((e.tugs, e.air_draught), (2, 750));
}

#[test]
fn eta_defaults_and_the_other_time_form() {
    let mut args = eta_args(&[]);
    let at = args.iter().position(|a| *a == *FUTURE).expect("eta");
    let (date, month, day) = ahead(90);
    let other = format!("{date} 03:04");
    args[at] = &other;
    let frags = fragments(&sentences(&args));
    let m = decode(&as_transmitted(OWN, &frags).expect("joins")).expect("decodes");
    let Body::AddressedBinary(b) = m.body else {
        panic!("{m:?}")
    };
    let AddressedApp::InlandEta(e) = b.app else {
        panic!("{:?}", b.app)
    };
    assert_eq!(
        (
            u32::from(e.eta.month),
            u32::from(e.eta.day),
            e.eta.hour,
            e.eta.minute
        ),
        (month, day, 3, 4)
    );
    // Unknown tugs are 7, an air draught not given is 0 (not used).
    assert_eq!((e.tugs, e.air_draught), (7, 0));
}

#[test]
fn addressed_safety_is_message_12_in_abm() {
    let lines = sentences(&[
        "safety",
        "--to",
        "244123456",
        "--text",
        "Buoy No 3 off station",
    ]);
    assert!(lines.iter().all(|l| l.starts_with("!ECABM,")));
    let frags = fragments(&lines);
    assert_eq!(
        (frags[0].dest_mmsi, frags[0].msg_id),
        (Some(244_123_456), 12)
    );
    let m = decode(&as_transmitted(OWN, &frags).expect("joins")).expect("decodes");
    let Body::SafetyAddressed(s) = m.body else {
        panic!("{m:?}")
    };
    assert_eq!(s.dest_mmsi, 244_123_456);
    assert_eq!(s.text.as_str(), "BUOY NO 3 OFF STATION");
}

#[test]
fn broadcast_safety_is_message_14_in_bbm_split_within_82_characters() {
    let text = "SECURITE ".repeat(17) + "ICE";
    assert_eq!(text.len(), 156);
    let lines = sentences(&["safety", "--text", &text]);
    assert!(lines.len() > 1, "{lines:?}");
    assert!(lines.iter().all(|l| l.starts_with("!ECBBM,")));
    let frags = fragments(&lines);
    assert_eq!((frags[0].dest_mmsi, frags[0].msg_id), (None, 14));
    let m = decode(&as_transmitted(OWN, &frags).expect("joins")).expect("decodes");
    let Body::SafetyBroadcast { text: got } = m.body else {
        panic!("{m:?}")
    };
    assert_eq!(got.as_str(), text.trim_end());
}

#[test]
fn longest_texts_and_one_more() {
    let a = SafetyKind::Addressed.max_chars();
    let b = SafetyKind::Broadcast.max_chars();
    let ok = |args: &[&str]| run(args).status.code() == Some(0);
    assert!(ok(&[
        "safety",
        "--to",
        "244123456",
        "--text",
        &"A".repeat(a)
    ]));
    assert!(!ok(&[
        "safety",
        "--to",
        "244123456",
        "--text",
        &"A".repeat(a + 1)
    ]));
    assert!(ok(&["safety", "--text", &"A".repeat(b)]));
    assert!(!ok(&["safety", "--text", &"A".repeat(b + 1)]));
}

#[test]
fn vsd_carries_what_was_given_and_leaves_the_rest() {
    let lines = sentences(&[
        "vsd",
        "--status",
        "5",
        "--destination",
        "nl rtm",
        "--eta",
        *FUTURE,
        "--draught",
        "7.4",
        "--persons",
        "12",
        "--ship-type",
        "79",
    ]);
    assert_eq!(lines.len(), 1);
    let v = pi::parse_vsd(&frame(lines[0].as_bytes()).expect("frame")).expect("VSD");
    assert_eq!(v.nav_status, Some(5));
    assert_eq!(v.destination, "NL RTM");
    assert_eq!(v.eta_time, "143000");
    assert_eq!(
        (v.eta_day.map(u32::from), v.eta_month.map(u32::from)),
        (Some(FUTURE_AT.2), Some(FUTURE_AT.1))
    );
    assert_eq!(v.draught, Some(7.4));
    assert_eq!((v.persons, v.ship_type), (Some(12), Some(79)));
    // Nothing given: a sentence that would change nothing is refused.
    let out = run(&["vsd"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to send"));
    // One field: the others empty, i.e. unchanged.
    let lines = sentences(&["vsd", "--persons", "3"]);
    assert!(lines[0].starts_with("$ECVSD,,,3,,,,,,*"), "{}", lines[0]);
    // An empty destination: the standard's "not available".
    let lines = sentences(&["vsd", "--destination", ""]);
    assert!(lines[0].starts_with(&format!("$ECVSD,,,,{},", "@".repeat(20))));
}

#[test]
fn ssd_carries_what_was_given() {
    let lines = sentences(&[
        "ssd",
        "--callsign",
        "pd1234",
        "--name",
        "Rijn Star",
        "--a",
        "80",
        "--b",
        "30",
        "--c",
        "5",
        "--d",
        "6",
    ]);
    assert_eq!(lines.len(), 1);
    let s = pi::parse_ssd(&frame(lines[0].as_bytes()).expect("frame")).expect("SSD");
    assert_eq!(
        (s.callsign.as_str(), s.name.as_str()),
        ("PD1234", "RIJN STAR")
    );
    assert_eq!(
        (s.to_bow, s.to_stern, s.to_port, s.to_starboard),
        (Some(80), Some(30), Some(5), Some(6))
    );
    assert_eq!(s.source, "AI");
    let lines = sentences(&["ssd", "--name", "Rijn Star"]);
    assert!(
        lines[0].starts_with("$ECSSD,,RIJN STAR,,,,,,*"),
        "{}",
        lines[0]
    );
}

/// Refused input: exit status 2, nothing on stdout, the option named.
#[test]
fn invalid_input_exits_2_naming_the_option() {
    let base = eta_args(&[]);
    let with = |opt: &str, value: &'static str| -> Vec<String> {
        let mut v: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        match v.iter().position(|a| a == opt) {
            Some(i) => v[i + 1] = value.to_string(),
            None => v.extend([opt.to_string(), value.to_string()]),
        }
        v
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (with("--to", "21199999"), "--to"),
        (with("--to", "970123456"), "--to"),
        (with("--country", "NLD"), "--country"),
        (with("--location", "R-M"), "--location"),
        (with("--section", "0001"), "--section"),
        (with("--terminal", "000000"), "--terminal"),
        (with("--hectometre", "0012A"), "--hectometre"),
        (with("--eta", "2001-01-01T00:00Z"), "--eta"),
        (with("--eta", "22/11/2099 14:30"), "--eta"),
        (with("--tugs", "7"), "--tugs"),
        (with("--tugs", "-1"), "--tugs"),
        (with("--air-draught", "40.01"), "--air-draught"),
        (
            ["safety", "--text", "ICE ~ AHEAD"]
                .map(String::from)
                .to_vec(),
            "--text",
        ),
        (
            ["safety", "--to", "12345", "--text", "X"]
                .map(String::from)
                .to_vec(),
            "--to",
        ),
        (
            ["vsd", "--status", "16"].map(String::from).to_vec(),
            "--status",
        ),
        (
            ["vsd", "--destination", "RTM,DUI"]
                .map(String::from)
                .to_vec(),
            "--destination",
        ),
        (
            ["vsd", "--draught", "25.6"].map(String::from).to_vec(),
            "--draught",
        ),
        (
            ["vsd", "--persons", "8192"].map(String::from).to_vec(),
            "--persons",
        ),
        (
            ["vsd", "--ship-type", "256"].map(String::from).to_vec(),
            "--ship-type",
        ),
        (
            ["vsd", "--eta", "2001-01-01 00:00"]
                .map(String::from)
                .to_vec(),
            "--eta",
        ),
        (
            ["ssd", "--callsign", "PD123456"].map(String::from).to_vec(),
            "--callsign",
        ),
        (
            ["ssd", "--name", &"N".repeat(21)]
                .map(String::from)
                .to_vec(),
            "--name",
        ),
        (
            ["ssd", "--a", "512", "--b", "1", "--c", "1", "--d", "1"]
                .map(String::from)
                .to_vec(),
            "--a",
        ),
        (
            ["ssd", "--a", "1", "--b", "1", "--c", "64", "--d", "1"]
                .map(String::from)
                .to_vec(),
            "--c",
        ),
        (["ssd", "--a", "1"].map(String::from).to_vec(), "--b"),
        // A required option left out: clap says which.
        (["safety"].map(String::from).to_vec(), "--text"),
        (
            ["eta", "--to", "211999999"].map(String::from).to_vec(),
            "--country",
        ),
    ];
    for (args, option) in cases {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&refs);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            stderr.contains(option),
            "{args:?} should name {option}: {stderr}"
        );
    }
}

#[test]
fn reasons_are_in_words() {
    let out = run(&["vsd", "--draught", "30"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim_end(),
        "bridgewatch encode vsd: --draught: 30 is out of range: allowed 0.0 to 25.5 m"
    );
    let out = run(&["safety", "--text", "ICE ~ AHEAD"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("'~' at position 5"), "{stderr}");
}

#[test]
fn help_for_each_kind_lists_its_options() {
    let kinds: [(&str, &[&str]); 4] = [
        (
            "eta",
            &[
                "--to",
                "--country",
                "--location",
                "--section",
                "--terminal",
                "--hectometre",
                "--eta",
                "--tugs",
                "--air-draught",
            ],
        ),
        ("safety", &["--to", "--text"]),
        (
            "vsd",
            &[
                "--status",
                "--destination",
                "--eta",
                "--draught",
                "--persons",
                "--ship-type",
            ],
        ),
        ("ssd", &["--callsign", "--name", "--a", "--b", "--c", "--d"]),
    ];
    for (kind, options) in kinds {
        let out = run(&[kind, "--help"]);
        assert!(out.status.success(), "{kind}");
        let help = String::from_utf8_lossy(&out.stdout);
        for o in options {
            assert!(
                help.contains(&format!("{o} <")),
                "{kind} --help lacks {o}: {help}"
            );
        }
        assert!(help.contains("Exit status"), "{help}");
        assert!(!help.to_lowercase().contains("not yet"), "{help}");
    }
    let out = run(&["--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for kind in ["eta", "safety", "vsd", "ssd"] {
        assert!(help.contains(kind), "{help}");
    }
}

/// gpsd 3.22's `gpsdecode -u -j` on the message our transponder would send
/// for each recorded `encode` invocation (the ABM/BBM payload put into a
/// VDM by `to_vdm`, as the transponder of MMSI `own` would): our decoder
/// agrees with gpsd field by field.
#[test]
fn gpsd_reads_the_encoded_messages_as_we_do() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/gpsdecode-encode.jsonl");
    let text = std::fs::read_to_string(&path).expect("recorded gpsdecode output");
    let mut cases = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let rec: Value = serde_json::from_str(line).expect("case line");
        let mut args: Vec<String> = rec["args"]
            .as_array()
            .expect("args")
            .iter()
            .map(|a| a.as_str().expect("arg").to_string())
            .collect();
        // The records were made with ETAs in 2099; FI 21 carries no year
        // and an ETA more than a year ahead is refused, so the same date
        // and time is sent in the year that puts it within the next year.
        if let Some(i) = args.iter().position(|a| a == "--eta")
            && let Some(eta) = args.get(i + 1)
        {
            let Some(year) = year_within_a_year(eta) else {
                eprintln!("{eta}: no year puts it within a year from now; case left out");
                continue;
            };
            args[i + 1] = eta.replacen("2099", &year.to_string(), 1);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let own = u32::try_from(rec["own"].as_u64().expect("own")).expect("MMSI");
        let frags = fragments(&sentences(&args));
        let payload: Payload = as_transmitted(own, &frags).expect("joins");
        // The VDM the record was made from is what we build today.
        let m = decode(&payload).expect("decodes");
        let bits = bridgewatch::ais::encode::encode(&m).expect("re-encodes");
        let vdm = to_vdm(&bits, "AI", false, Some('A'), 0);
        let recorded: Vec<&str> = rec["vdm"]
            .as_array()
            .expect("vdm")
            .iter()
            .map(|v| v.as_str().expect("line"))
            .collect();
        assert_eq!(vdm, recorded, "{args:?}");
        let mut ours = Vec::new();
        write_message(
            &mut ours,
            &m,
            Style {
                scaled: false,
                gpsd_compat: false,
            },
        );
        let ours: Value = serde_json::from_slice(&ours).expect("our JSON");
        let gpsd = rec["gpsdecode_u_j"].as_object().expect("gpsd object");
        for (k, v) in gpsd {
            if k == "device" {
                continue; // where gpsdecode read from (stdin)
            }
            assert_eq!(ours.get(k), Some(v), "{k} for {args:?}: ours {ours}");
        }
        cases += 1;
    }
    assert_eq!(cases, 5);
}

/// The exact worst case of IEC 61162-1 §5.3 for message 12: 156
/// characters (the most, five slots) to a nine-digit MMSI with the
/// two-digit message ID. Every sentence is within 80 characters, the full
/// ones exactly at it (the room is used, not a safe guess), the checksums
/// hold, and the fragments join back into the text given.
#[test]
fn longest_addressed_text_to_a_nine_digit_mmsi_stays_within_80_characters() {
    let text = varied_text(156);
    let lines = sentences(&["safety", "--to", "244123456", "--text", &text]);
    // 156 characters are 156 armoured characters; the header
    // "!ECABM,4,n,0,244123456,0,12," is 28, ",0*hh" 5: 47 a sentence.
    let sizes: Vec<usize> = lines.iter().map(String::len).collect();
    assert_eq!(sizes, [80, 80, 80, 28 + 156 - 3 * 47 + 5], "{lines:#?}");
    let frags = fragments(&lines);
    assert!(
        frags
            .iter()
            .all(|f| f.dest_mmsi == Some(244_123_456) && f.msg_id == 12)
    );
    let m = decode(&as_transmitted(OWN, &frags).expect("joins")).expect("decodes");
    let Body::SafetyAddressed(s) = m.body else {
        panic!("{m:?}")
    };
    assert_eq!(s.text.as_str(), text);
    // And `decode` reads `encode`'s output back to the same message.
    let v = encode_then_decode(&["safety", "--to", "244123456", "--text", &text]);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0]["class"], "AIS");
    assert_eq!(v[0]["type"], 12);
    assert_eq!(v[0]["dest_mmsi"], 244_123_456);
    assert_eq!(v[0]["text"], text.as_str());
    assert_eq!(v[0]["sentence"], "ABM");
    assert_eq!(v[0]["mmsi"], 0, "own ship's MMSI is not in the ABM");
}

/// The same for message 14: 161 characters, the most, broadcast in BBM
/// (header "!ECBBM,3,n,0,0,14," of 18: 57 characters a sentence).
#[test]
fn longest_broadcast_text_stays_within_80_characters() {
    let text = varied_text(161);
    let lines = sentences(&["safety", "--text", &text]);
    let sizes: Vec<usize> = lines.iter().map(String::len).collect();
    assert_eq!(sizes, [80, 80, 18 + 161 - 2 * 57 + 5], "{lines:#?}");
    let frags = fragments(&lines);
    let m = decode(&as_transmitted(OWN, &frags).expect("joins")).expect("decodes");
    let Body::SafetyBroadcast { text: got } = m.body else {
        panic!("{m:?}")
    };
    assert_eq!(got.as_str(), text);
    let v = encode_then_decode(&["safety", "--text", &text]);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        (v[0]["type"].as_u64(), v[0]["sentence"].as_str()),
        (Some(14), Some("BBM"))
    );
    assert_eq!(v[0]["text"], text.as_str());
}

/// Every safety text length from 1 to the most, to a nine-digit MMSI and
/// to all: no sentence over 80 characters, whatever the cut.
#[test]
fn every_safety_length_stays_within_80_characters() {
    use bridgewatch::voyage::command::safety;
    for (to, kind) in [
        (Some("244123456"), SafetyKind::Addressed),
        (None, SafetyKind::Broadcast),
    ] {
        for n in 1..=kind.max_chars() {
            let text = varied_text(n);
            let lines = safety(to, &text).expect("valid");
            for l in &lines {
                assert!(l.len() <= MAX_PRINTED, "{n}: {l}");
                assert!(checksum_holds(l), "{l}");
            }
            let frags = fragments(&lines);
            let p = pi::join_binary(&frags).expect("joins");
            assert_eq!(p.bit_len(), 6 * n);
        }
    }
}

/// The ETA report in its longest form (nine-digit MMSI, every field):
/// one ABM within 80 characters, read back by `decode` field for field.
#[test]
fn eta_abm_within_80_characters_and_decoded_back() {
    let args = eta_args(&["--tugs", "6", "--air-draught", "40.00"]);
    let lines = sentences(&args);
    assert_eq!(lines.len(), 1);
    let v = encode_then_decode(&args);
    assert_eq!(v.len(), 1, "{v:?}");
    let m = &v[0];
    assert_eq!(
        (m["type"].as_u64(), m["dac"].as_u64(), m["fid"].as_u64()),
        (Some(6), Some(200), Some(21))
    );
    assert_eq!(m["dest_mmsi"], 211_999_999);
    assert_eq!(m["sentence"], "ABM");
    // gpsd's names for FI 21 (as our VDM decoding writes them).
    let s = m.to_string();
    // gpsd writes the month and day unpadded.
    let eta = format!("\"eta\":\"{}-{}T14:30\"", FUTURE_AT.1, FUTURE_AT.2);
    for want in ["\"NL\"", "\"RTM\"", "\"00001\"", "\"00123\"", eta.as_str()] {
        assert!(s.contains(want), "{want} in {s}");
    }
}

/// VSD and SSD with the longest value of every field: within 80
/// characters, and `decode` gives back every field.
#[test]
fn longest_vsd_and_ssd_within_80_characters_and_decoded_back() {
    let dest = "ABCDEFGHIJ KLMNOPQRS";
    assert_eq!(dest.len(), 20);
    let vsd = [
        "vsd",
        "--status",
        "15",
        "--destination",
        dest,
        "--eta",
        *FUTURE,
        "--draught",
        "25.5",
        "--persons",
        "8191",
        "--ship-type",
        "255",
    ];
    let v = encode_then_decode(&vsd);
    assert_eq!(v.len(), 1);
    assert_eq!(
        v[0],
        serde_json::json!({"class": "VSD", "talker": "EC", "shiptype": 255, "draught": 25.5,
            "persons": 8191, "destination": dest, "eta_time": "143000", "eta_day": FUTURE_AT.2,
            "eta_month": FUTURE_AT.1, "status": 15})
    );
    let ssd = [
        "ssd",
        "--callsign",
        "PD12345",
        "--name",
        "ABCDEFGHIJKLMNOPQRST",
        "--a",
        "511",
        "--b",
        "511",
        "--c",
        "63",
        "--d",
        "63",
    ];
    let v = encode_then_decode(&ssd);
    assert_eq!(
        v[0],
        serde_json::json!({"class": "SSD", "talker": "EC", "callsign": "PD12345",
            "shipname": "ABCDEFGHIJKLMNOPQRST", "to_bow": 511, "to_stern": 511, "to_port": 63,
            "to_starboard": 63, "source": "AI"})
    );
    // Unchanged fields are left out; "not available" reads as empty.
    let v = encode_then_decode(&["vsd", "--destination", "", "--persons", "3"]);
    assert_eq!(
        v[0],
        serde_json::json!({"class": "VSD", "talker": "EC", "persons": 3, "destination": ""})
    );
}

/// `--gpsd-compat` stays gpsd's output: gpsd decodes VDM/VDO only, so the
/// presentation sentences give no objects there (they are counted).
#[test]
fn gpsd_compat_leaves_the_presentation_sentences_out() {
    let mut input = sentences(&["safety", "--text", "HELLO"]);
    input.extend(sentences(&["vsd", "--persons", "3"]));
    input.push("!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A".into());
    let text = input.join("\n") + "\n";
    let (v, err) = decode_binary(&text, &["--gpsd-compat", "--summary"]);
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0]["class"], "AIS");
    assert_eq!(v[0]["mmsi"], 371_798_000);
    assert!(v[0].get("sentence").is_none());
    assert!(
        err.contains("2 ABM/BBM/VSD/SSD/$PIWW sentences left out (--gpsd-compat)"),
        "{err}"
    );
    let (v, _) = decode_binary(&text, &[]);
    let classes: Vec<&str> = v.iter().filter_map(|o| o["class"].as_str()).collect();
    assert_eq!(classes, ["AIS", "VSD", "AIS"]);
}

/// A received sentence over 82 characters with CR LF is reported as
/// over-long, counted, and still decoded (docs/interpretations.md).
#[test]
fn decode_reports_an_over_long_sentence_and_decodes_it() {
    // A message 8 (binary broadcast, any length) in one sentence:
    // "!AIVDM,1,1,,A," is 14 characters, ",0*hh" 5, so 61 payload
    // characters make 80 and 62 make 81 (83 with CR LF).
    let vdm = |chars: usize| {
        let body = format!("AIVDM,1,1,,A,8{},0", "0".repeat(chars - 1));
        let x = body.bytes().fold(0u8, |a, b| a ^ b);
        format!("!{body}*{x:02X}")
    };
    let (fits, long) = (vdm(61), vdm(62));
    assert_eq!((fits.len(), long.len()), (80, 81));
    let (v, err) = decode_binary(&format!("{fits}\r\n{long}\r\n"), &["--summary"]);
    assert_eq!(v.len(), 2, "both decoded: {v:?}");
    assert!(v.iter().all(|o| o["type"] == 8));
    let reports: Vec<&str> = err.lines().filter(|l| l.starts_with("stdin:")).collect();
    assert_eq!(
        reports,
        [
            "stdin:2: over-long sentence: 81 characters (83 with CR LF), IEC 61162-1 allows 82; decoded all the same"
        ]
    );
    assert!(err.contains("1 over-long sentences decoded"), "{err}");
    // A tag block in front does not count: it is not part of the sentence.
    let tag = "c:1700000000,s:rx1";
    let tx = tag.bytes().fold(0u8, |a, b| a ^ b);
    let (v, err) = decode_binary(&format!("\\{tag}*{tx:02X}\\{fits}\n"), &[]);
    assert_eq!(v.len(), 1);
    assert!(err.is_empty(), "{err}");
}

/// FI 21 and message 5 carry no year: `encode eta` and `encode vsd` take
/// an ETA up to a year ahead and refuse one beyond, with the reason.
#[test]
fn an_eta_more_than_a_year_ahead_is_refused() {
    for (days, taken) in [(364, true), (367, false)] {
        let (date, _, _) = ahead(days);
        let eta = format!("{date}T12:00Z");
        let mut args = eta_args(&[]);
        let at = args.iter().position(|a| *a == *FUTURE).expect("eta");
        args[at] = &eta;
        for args in [args, vec!["vsd", "--eta", &eta]] {
            let out = run(&args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.success(), taken, "{days} days: {err}");
            if !taken {
                assert_eq!(out.status.code(), Some(2), "{err}");
                assert!(
                    err.contains("--eta") && err.contains("more than a year ahead"),
                    "{err}"
                );
            }
        }
    }
}
