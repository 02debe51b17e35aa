//! Writing to the transponder, end to end: the real binary in headless
//! mode on a serial port that is a real pseudo-terminal pair, and this test
//! playing the transponder on the other side. The simulator reads what
//! bridgewatch writes (checksum, length, every ABM/BBM decoded back with
//! our own AIS decoder), answers with ABKs of every type, sends RTAs as a
//! lock would, stays silent to provoke "no ABK"; and bridgewatch is killed
//! with SIGKILL and restarted over the same data directory.
//! Commands go in on stdin, as JSON lines.

mod common;
use bridgewatch::ais::application::{AddressedApp, DayTime, InlandLocation, InlandRta};
use bridgewatch::ais::{AisMessage, Body, decode};
use bridgewatch::nmea::armour::Text;
use bridgewatch::nmea::frame;
use bridgewatch::nmea::pi::{self, Abk, AckType, BinaryFragment};
use bridgewatch::sim;
use bridgewatch::voyage::messages::as_transmitted;
use common::serial_pty;
use portable_pty::PtyPair;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Own ship (the transponder we play).
const OWN: u32 = 244_000_001;
/// Another ship.
const SHIP: u32 = 244_123_456;
/// The lock's virtual MMSI (a coast station 00MIDxxxx, MID 203 Austria).
const LOCK: u32 = 2_039_991;

/// The transponder side of the pseudo-terminal pair.
struct Transponder {
    pair: PtyPair,
    lines: mpsc::Receiver<String>,
    port: Box<dyn Write + Send>,
}

/// One message bridgewatch wrote: its sentences' fields and, for ABM/BBM,
/// the AIS message the transponder would transmit.
#[derive(Debug)]
struct Written {
    formatter: String,
    lines: Vec<String>,
    frags: Vec<BinaryFragment>,
    ais: Option<AisMessage>,
}

impl Written {
    fn seq(&self) -> u8 {
        self.frags[0].seq_id
    }
    fn dest(&self) -> Option<u32> {
        self.frags[0].dest_mmsi
    }
    fn msg_id(&self) -> u8 {
        self.frags[0].msg_id
    }
    fn text(&self) -> String {
        match self.ais.as_ref().map(|m| &m.body) {
            Some(Body::SafetyAddressed(s)) => s.text.as_str().to_string(),
            Some(Body::SafetyBroadcast { text }) => text.as_str().to_string(),
            other => panic!("not a safety message: {other:?}"),
        }
    }
}

impl Transponder {
    fn open() -> Transponder {
        let pair = serial_pty::pair();
        let lines = serial_pty::lines(&pair);
        let port = pair.master.take_writer().expect("writer");
        Transponder { pair, lines, port }
    }

    fn spec(&self) -> String {
        serial_pty::spec(&self.pair)
    }

    /// The next message written, within `secs`; every sentence framed
    /// (checksum), at most 82 characters, ended with CRLF (the reader
    /// split on LF and the line had the CR).
    fn next(&self, secs: u64) -> Option<Written> {
        let end = Instant::now() + Duration::from_secs(secs);
        let mut lines = Vec::new();
        let mut frags = Vec::new();
        loop {
            let left = end.saturating_duration_since(Instant::now());
            let l = self.lines.recv_timeout(left).ok()?;
            assert!(l.len() <= 82, "{} characters: {l}", l.len());
            let s = frame(l.as_bytes()).unwrap_or_else(|e| panic!("{l}: {e:?}"));
            let formatter = s.formatter.to_string();
            if formatter == "ABM" || formatter == "BBM" {
                let f = pi::parse_binary(&s).unwrap_or_else(|e| panic!("{l}: {e:?}"));
                assert!(l.starts_with("!EC"), "talker EC: {l}");
                assert_eq!(f.number as usize, frags.len() + 1, "{l}");
                let done = f.number == f.total;
                frags.push(f);
                lines.push(l);
                if done {
                    let p = as_transmitted(OWN, &frags).expect("fragments join");
                    let ais = Some(decode(&p).expect("decodes"));
                    return Some(Written {
                        formatter,
                        lines,
                        frags,
                        ais,
                    });
                }
            } else {
                return Some(Written {
                    formatter,
                    lines: vec![l],
                    frags,
                    ais: None,
                });
            }
        }
    }

    fn expect(&self, what: &str) -> Written {
        self.next(20)
            .unwrap_or_else(|| panic!("the transponder received no {what} within 20 s"))
    }

    fn send(&mut self, line: &str) {
        self.port
            .write_all(format!("{line}\r\n").as_bytes())
            .expect("write to the pty");
        self.port.flush().expect("flush");
    }

    fn abk(&mut self, w: &Written, ack: AckType) {
        self.abk_raw(w.dest(), w.msg_id(), w.seq(), ack);
    }

    fn abk_raw(&mut self, dest: Option<u32>, msg_id: u8, seq_id: u8, ack: AckType) {
        let a = Abk {
            dest_mmsi: dest,
            channel: Some('A'),
            msg_id,
            seq_id,
            ack,
        };
        self.send(&pi::build_abk("AI", &a));
    }

    /// An RTA (message 6, DAC 200, FI 22) from `from` to own ship, as the
    /// transponder passes it on (VDM).
    fn rta(&mut self, from: u32, hour: u8, minute: u8) {
        let m = AisMessage::inland_rta(
            from,
            OWN,
            InlandRta {
                location: location(),
                rta: DayTime {
                    month: 11,
                    day: 22,
                    hour,
                    minute,
                },
                status: 0,
            },
        );
        let lines = sim::untagged(&m, 'A', 1);
        assert!(!lines.is_empty(), "RTA encodes");
        for l in lines {
            self.send(&l);
        }
    }
}

fn location() -> InlandLocation {
    InlandLocation {
        country: Text::from_str_lossy("AT"),
        locode: Text::from_str_lossy("VIE"),
        section: Text::from_str_lossy("00001"),
        terminal: Text::from_str_lossy("00000"),
        hectometre: Text::from_str_lossy("01234"),
    }
}

/// The headless binary: events read from stdout on a thread, commands
/// written to stdin.
struct Bridgewatch {
    child: Child,
    stdin: Option<ChildStdin>,
    events: mpsc::Receiver<Value>,
    /// Events read but not yet waited for, in order.
    unread: std::cell::RefCell<Vec<Value>>,
    /// Where the process's standard error goes, shown when a wait fails.
    stderr: std::path::PathBuf,
}

fn config(dir: &Path, abk_timeout_s: u32, extra: &str) -> std::path::PathBuf {
    let cfg = dir.join("config.toml");
    let text = format!(
        "data_dir = {:?}\n[own_ship]\nmmsi = {OWN}\nabk_timeout_s = {abk_timeout_s}\n{extra}",
        dir.join("data")
    );
    std::fs::write(&cfg, text).expect("config");
    cfg
}

impl Bridgewatch {
    fn start(dir: &Path, abk_timeout_s: u32, t: &Transponder) -> Bridgewatch {
        let cfg = config(dir, abk_timeout_s, "");
        let bw = Bridgewatch::spawn(dir, &cfg, &["--input", &t.spec()]);
        let up = bw.wait("link up", |v| v["event"] == "link" && v["state"] == "up");
        assert_eq!(up["name"], t.spec().as_str());
        bw
    }

    fn spawn(dir: &Path, cfg: &Path, args: &[&str]) -> Bridgewatch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
            .arg("--config")
            .arg(cfg)
            .arg("--headless")
            .args(args)
            .env("XDG_CONFIG_HOME", dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(
                std::fs::File::create(dir.join("stderr.txt")).expect("stderr file"),
            ))
            .spawn()
            .expect("spawn");
        let out = child.stdout.take().expect("stdout");
        let stdin = child.stdin.take();
        let (tx, events) = mpsc::channel();
        std::thread::spawn(move || {
            for l in BufReader::new(out).lines() {
                let Ok(l) = l else { return };
                let v: Value =
                    serde_json::from_str(&l).unwrap_or_else(|e| panic!("bad JSON {l}: {e}"));
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Bridgewatch {
            child,
            stdin,
            events,
            unread: Default::default(),
            stderr: dir.join("stderr.txt"),
        }
    }

    fn command(&mut self, c: Value) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{c}").expect("command");
        stdin.flush().expect("flush");
    }

    fn command_raw(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("command");
        stdin.flush().expect("flush");
    }

    fn safety(&mut self, to: Option<u32>, text: &str) -> u64 {
        let mut c = json!({"send": "safety", "text": text});
        if let Some(to) = to {
            c["to"] = json!(format!("{to:09}"));
        }
        self.command(c);
        let q = self.wait("queued", |v| v["event"] == "queued" || is_refused(v));
        assert_eq!(q["event"], "queued", "{q}");
        q["id"].as_u64().expect("id")
    }

    /// The first event matching `pred` not yet waited for, within 30 s (the
    /// others stay for later waits).
    fn wait(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        self.wait_secs(what, 30, pred).unwrap_or_else(|| {
            let err = std::fs::read_to_string(&self.stderr).unwrap_or_default();
            let log = self
                .stderr
                .parent()
                .map(|d| d.join("data").join("bridgewatch.log"))
                .and_then(|p| std::fs::read_to_string(p).ok())
                .unwrap_or_default();
            let seen = self.unread.borrow().clone();
            panic!(
                "no {what} event within 30 s; events not waited for: {seen:?}; stderr: {err}; \
                 log: {log}"
            )
        })
    }

    fn wait_secs(&self, _what: &str, secs: u64, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        let mut unread = self.unread.borrow_mut();
        if let Some(i) = unread.iter().position(&pred) {
            return Some(unread.remove(i));
        }
        let end = Instant::now() + Duration::from_secs(secs);
        loop {
            let left = end.saturating_duration_since(Instant::now());
            let v = self.events.recv_timeout(left).ok()?;
            if pred(&v) {
                return Some(v);
            }
            unread.push(v);
        }
    }

    fn abk_event(&self, id: u64) -> Value {
        self.wait("abk", |v| v["event"] == "abk" && v["id"] == id)
    }

    fn sent_event(&self, id: u64) -> Value {
        self.wait("message_sent", |v| {
            (v["event"] == "message_sent" || v["event"] == "eta_sent") && v["id"] == id
        })
    }
}

impl Drop for Bridgewatch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is_refused(v: &Value) -> bool {
    v["event"] == "command_refused"
}

/// A local TCP port bound and not listening: a connect to it is refused,
/// and no other socket (nor an outgoing connection's own end) can take it
/// the way a port closed after probing can be taken.
fn held_port() -> (tokio::net::TcpSocket, u16) {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket
        .bind(([127, 0, 0, 1], 0).into())
        .expect("bind 127.0.0.1:0");
    let port = socket.local_addr().expect("local address").port();
    (socket, port)
}

/// Start listening on a [`held_port`] (a blocking listener).
fn listen(socket: tokio::net::TcpSocket) -> std::net::TcpListener {
    // Tokio registers a listener with a runtime; it is handed back to the
    // standard library at once.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("runtime");
    let listener = rt
        .block_on(async { socket.listen(16)?.into_std() })
        .expect("listen");
    listener.set_nonblocking(false).expect("blocking");
    listener
}

fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("bridgewatch-tx-")
        .tempdir()
        .expect("temp dir")
}

#[test]
fn every_abk_type_and_the_identifiers_wrap_around() {
    let dir = tempdir();
    let mut t = Transponder::open();
    let mut bw = Bridgewatch::start(dir.path(), 60, &t);
    // Five addressed messages one after the other: identifiers 0 1 2 3 0,
    // each answered with another kind of ABK.
    let answers = [
        (AckType::Received, "received"),
        (AckType::NoAcknowledgement, "no_ack"),
        (AckType::NotBroadcast, "not_broadcast"),
        (AckType::Received, "received"),
        (AckType::Received, "received"),
    ];
    for (i, (ack, result)) in answers.into_iter().enumerate() {
        let text = format!("MSG {i}");
        let id = bw.safety(Some(SHIP), &text);
        let w = t.expect("ABM");
        assert_eq!(w.formatter, "ABM");
        assert_eq!(
            (w.msg_id(), w.dest(), w.seq()),
            (12, Some(SHIP), i as u8 % 4)
        );
        let Some(Body::SafetyAddressed(s)) = w.ais.as_ref().map(|m| &m.body) else {
            panic!("{w:?}")
        };
        assert_eq!((s.dest_mmsi, s.seqno), (SHIP, i as u8 % 4));
        assert_eq!(w.text(), text);
        let sent = bw.sent_event(id);
        assert_eq!(sent["to"], SHIP);
        assert_eq!(sent["msg"], 12);
        assert_eq!(sent["seq"], i % 4);
        assert_eq!(sent["text"], text.as_str());
        t.abk(&w, ack);
        let a = bw.abk_event(id);
        assert_eq!(a["result"], result, "{a}");
        assert_eq!(
            (a["to"].clone(), a["msg"].clone()),
            (json!(SHIP), json!(12))
        );
        assert_eq!(a["seq"], i % 4);
        if ack == AckType::NoAcknowledgement {
            // The addressee's acknowledgement came after all: ABK 4.
            t.abk(&w, AckType::LateAcknowledgement);
            assert_eq!(bw.abk_event(id)["result"], "late");
        }
    }
    // A broadcast: BBM, message 14, its own pool of identifiers; ABK 3.
    let id = bw.safety(None, "SECURITE ICE");
    let w = t.expect("BBM");
    assert_eq!((w.formatter.as_str(), w.msg_id(), w.seq()), ("BBM", 14, 0));
    assert_eq!(w.text(), "SECURITE ICE");
    assert_eq!(bw.sent_event(id)["to"], Value::Null);
    t.abk(&w, AckType::Broadcast);
    let a = bw.abk_event(id);
    assert_eq!(
        (a["result"].clone(), a["msg"].clone()),
        (json!("broadcast"), json!(14))
    );
    // An ABK for nothing we sent is reported, nothing else changes.
    t.abk_raw(Some(SHIP), 12, 3, AckType::Received);
    let u = bw.wait("abk_unmatched", |v| v["event"] == "abk_unmatched");
    assert_eq!((u["seq"].clone(), u["type"].clone()), (json!(3), json!(0)));
}

#[test]
fn four_addressed_messages_in_flight_and_a_fifth_waits_for_a_free_identifier() {
    let dir = tempdir();
    let mut t = Transponder::open();
    let mut bw = Bridgewatch::start(dir.path(), 60, &t);
    let ids: Vec<u64> = (0..5)
        .map(|i| bw.safety(Some(SHIP), &format!("NO {i}")))
        .collect();
    let written: Vec<Written> = (0..4).map(|_| t.expect("ABM")).collect();
    let seqs: Vec<u8> = written.iter().map(Written::seq).collect();
    assert_eq!(seqs, [0, 1, 2, 3]);
    assert!(
        t.next(3).is_none(),
        "a fifth addressed message waits while identifiers 0–3 are held"
    );
    // The transponder answers the third: its identifier is free again.
    t.abk(&written[2], AckType::Received);
    assert_eq!(bw.abk_event(ids[2])["result"], "received");
    let fifth = t.expect("the fifth ABM");
    assert_eq!(fifth.seq(), 2);
    assert_eq!(fifth.text(), "NO 4");
    assert_eq!(bw.sent_event(ids[4])["seq"], 2);
}

#[test]
fn no_abk_within_the_timeout_raises_the_transponder_warning() {
    let dir = tempdir();
    let mut t = Transponder::open();
    let mut bw = Bridgewatch::start(dir.path(), 5, &t);
    let id = bw.safety(Some(SHIP), "ANYONE");
    let w = t.expect("ABM");
    let sent = bw.sent_event(id);
    let n = bw.wait("no_abk", |v| v["event"] == "no_abk");
    assert_eq!(
        (n["id"].clone(), n["priority"].clone()),
        (json!(id), json!("warning"))
    );
    assert_eq!(
        (n["to"].clone(), n["msg"].clone(), n["seq"].clone()),
        (json!(SHIP), json!(12), json!(0))
    );
    let t0 = chrono::DateTime::parse_from_rfc3339(sent["time"].as_str().unwrap()).unwrap();
    let t1 = chrono::DateTime::parse_from_rfc3339(n["time"].as_str().unwrap()).unwrap();
    let waited = (t1 - t0).num_milliseconds();
    assert!((5000..9000).contains(&waited), "no ABK after {waited} ms");
    // A late ABK still sets the state it reports.
    t.abk(&w, AckType::Received);
    assert_eq!(bw.abk_event(id)["result"], "received");
}

#[test]
fn eta_report_goes_out_and_the_locks_rta_answers_it() {
    let dir = tempdir();
    let mut t = Transponder::open();
    let mut bw = Bridgewatch::start(dir.path(), 60, &t);
    // Sixty days ahead at 14:30 UTC: an ETA more than a year ahead is
    // refused (FI 21 carries no year).
    let (eta, month, day) = {
        use chrono::Datelike;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        let d = chrono::DateTime::from_timestamp_millis(now + 60 * 86_400_000)
            .expect("a date")
            .date_naive();
        (
            format!("{}T14:30Z", d.format("%Y-%m-%d")),
            d.month() as u8,
            d.day() as u8,
        )
    };
    bw.command(
        json!({"send": "eta", "to": "002039991", "country": "AT", "location": "VIE",
        "section": "00001", "terminal": "00000", "hectometre": "01234",
        "eta": eta, "tugs": "0", "air_draught": "7.5"}),
    );
    let q = bw.wait("queued", |v| v["event"] == "queued" || is_refused(v));
    assert_eq!(q["event"], "queued", "{q}");
    let id = q["id"].as_u64().unwrap();
    let w = t.expect("ABM with the ETA report");
    assert_eq!((w.msg_id(), w.dest()), (6, Some(LOCK)));
    let Some(Body::AddressedBinary(b)) = w.ais.as_ref().map(|m| &m.body) else {
        panic!("{w:?}")
    };
    assert_eq!((b.dest_mmsi, b.dac, b.fid), (LOCK, 200, 21));
    let AddressedApp::InlandEta(e) = &b.app else {
        panic!("{:?}", b.app)
    };
    assert_eq!(e.location, location());
    assert_eq!(
        (e.eta.month, e.eta.day, e.eta.hour, e.eta.minute),
        (month, day, 14, 30)
    );
    assert_eq!((e.tugs, e.air_draught), (0, 750));
    let sent = bw.sent_event(id);
    assert_eq!(sent["event"], "eta_sent");
    assert_eq!(sent["to"], LOCK);
    assert_eq!(sent["locode"], "ATVIE000010000001234");
    assert_eq!(sent["eta"], eta.as_str());
    assert!(sent.get("repeat").is_none(), "{sent}");
    t.abk(&w, AckType::Received);
    assert_eq!(bw.abk_event(id)["result"], "received");
    // The lock answers.
    t.rta(LOCK, 14, 45);
    let r = bw.wait("rta", |v| v["event"] == "rta");
    assert_eq!(r["from"], LOCK);
    assert_eq!(r["to"], OWN);
    assert_eq!(r["rta"], "11-22T14:45Z");
    assert_eq!(r["locode"], "ATVIE000010000001234");
    assert_eq!(r["status"], "operational");
    assert_eq!(r["answers_eta"], true, "{r}");
    // An RTA nobody asked for (another station, or after the answer).
    t.rta(2_113_000, 15, 0);
    let r = bw.wait("rta", |v| v["event"] == "rta");
    assert_eq!(r["from"], 2_113_000);
    assert_eq!(r["answers_eta"], false, "{r}");
    t.rta(LOCK, 15, 10);
    let r = bw.wait("rta", |v| v["event"] == "rta");
    assert_eq!(r["answers_eta"], false, "the wait had ended: {r}");
}

#[test]
fn voyage_and_static_data_and_commands_that_are_refused() {
    let dir = tempdir();
    let mut t = Transponder::open();
    let mut bw = Bridgewatch::start(dir.path(), 60, &t);
    bw.command(json!({"send": "vsd", "destination": "ATVIE", "draught": "2.5", "persons": 4}));
    let w = t.expect("VSD");
    assert_eq!(w.formatter, "VSD");
    let v = pi::parse_vsd(&frame(w.lines[0].as_bytes()).unwrap()).expect("VSD parses");
    assert_eq!(v.destination, "ATVIE");
    assert_eq!((v.draught, v.persons), (Some(2.5), Some(4)));
    assert_eq!(
        bw.wait("data_sent", |v| v["event"] == "data_sent")["what"],
        "VSD"
    );
    bw.command(json!({"send": "ssd", "callsign": "OEX1234", "name": "DONAU"}));
    let w = t.expect("SSD");
    let s = pi::parse_ssd(&frame(w.lines[0].as_bytes()).unwrap()).expect("SSD parses");
    for what in ["VSD", "SSD"] {
        let q = bw.wait("queued", |v| v["event"] == "queued");
        assert_eq!(q["what"], what);
    }
    assert_eq!(s.callsign, "OEX1234");
    assert_eq!(s.name, "DONAU");
    // Refusals: the same validation as `encode`, in words; never a crash.
    for (c, words) in [
        (
            json!({"send": "safety", "to": "970123456", "text": "HI"}),
            "--to",
        ),
        (json!({"send": "safety", "text": "Ä"}), "--text"),
        (
            json!({"send": "eta", "to": "002039991"}),
            "country: missing",
        ),
        (json!({"send": "vsd", "draught": "30"}), "--draught"),
        (json!({"send": "ssd", "a": "10"}), "--b"),
        (json!({"send": "fax"}), "fax"),
        (
            json!({"send": "safety", "text": "HI", "colour": "red"}),
            "colour",
        ),
    ] {
        bw.command(c.clone());
        let r = bw.wait("command_refused", |v| {
            v["event"] == "command_refused" || v["event"] == "queued"
        });
        assert_eq!(r["event"], "command_refused", "{c}: {r}");
        assert!(r["reason"].as_str().unwrap().contains(words), "{c}: {r}");
    }
    bw.command_raw("this is not JSON");
    let r = bw.wait("command_refused", is_refused);
    assert!(r["reason"].as_str().unwrap().contains("not JSON"), "{r}");
    assert!(t.next(1).is_none(), "nothing refused was written");
    // Closing stdin ends the commands, not the watch.
    drop(bw.stdin.take());
    std::thread::sleep(Duration::from_millis(1500));
    assert!(bw.child.try_wait().unwrap().is_none(), "still running");
    t.rta(LOCK, 16, 0);
    assert_eq!(bw.wait("rta", |v| v["event"] == "rta")["from"], LOCK);
}

#[test]
fn sigkill_and_restart_keep_the_outbox_and_write_nothing_twice() {
    let dir = tempdir();
    let mut t = Transponder::open();
    let mut bw = Bridgewatch::start(dir.path(), 600, &t);
    // Four written and waiting for their ABK (all identifiers held), a
    // fifth queued behind them.
    let ids: Vec<u64> = (0..5)
        .map(|i| bw.safety(Some(SHIP), &format!("BEFORE {i}")))
        .collect();
    for (i, id) in ids.iter().take(4).enumerate() {
        let w = t.expect("ABM");
        assert_eq!(w.text(), format!("BEFORE {i}"));
        bw.sent_event(*id);
    }
    assert!(t.next(1).is_none());
    let pid = bw.child.id().to_string();
    let killed = Command::new("kill")
        .args(["-9", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let _ = bw.child.wait();
    drop(bw);
    // Restart over the same data directory and port.
    let bw = Bridgewatch::start(dir.path(), 600, &t);
    let mut found = Vec::new();
    while let Some(v) = bw.wait_secs("outbox", 3, |v| v["event"] == "outbox") {
        found.push((
            v["id"].as_u64().unwrap(),
            v["state"].as_str().unwrap().to_string(),
        ));
        if found.len() == 5 {
            break;
        }
    }
    let expect: Vec<(u64, String)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, if i < 4 { "written" } else { "queued" }.to_string()))
        .collect();
    assert_eq!(found, expect);
    assert!(
        t.next(2).is_none(),
        "nothing written twice, the fifth still waits"
    );
    // The ABK of the first still finds it; the fifth takes its identifier.
    t.abk_raw(Some(SHIP), 12, 0, AckType::Received);
    assert_eq!(bw.abk_event(ids[0])["result"], "received");
    let w = t.expect("the fifth ABM");
    assert_eq!((w.text().as_str(), w.seq()), ("BEFORE 4", 0));
    assert!(t.next(2).is_none(), "only the fifth");
}

#[test]
fn a_message_found_sending_after_a_crash_is_interrupted_and_never_resent() {
    let dir = tempdir();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    // The journal as a crash between "sending" and the write leaves it.
    let at = 1_795_348_800_000i64;
    let lines = [
        json!({"id": 0, "at_ms": at, "state": "queued", "item": {"kind": "safety", "to": SHIP, "text": "HELLO"}}),
        json!({"id": 1, "at_ms": at, "state": "queued", "item": {"kind": "safety", "to": SHIP, "text": "LATER"}}),
        json!({"id": 0, "at_ms": at + 5, "state": "sending", "seq": 0}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(
        data.join("outbox.jsonl"),
        text + "{\"id\":1,\"at_ms\":17953",
    )
    .unwrap();
    let mut t = Transponder::open();
    let bw = Bridgewatch::start(dir.path(), 600, &t);
    let a = bw.wait("outbox", |v| v["event"] == "outbox");
    assert_eq!(
        (a["id"].clone(), a["state"].clone()),
        (json!(0), json!("interrupted"))
    );
    let b = bw.wait("outbox", |v| v["event"] == "outbox");
    assert_eq!(
        (b["id"].clone(), b["state"].clone()),
        (json!(1), json!("queued"))
    );
    let w = t.expect("the queued message");
    assert_eq!((w.text().as_str(), w.seq()), ("LATER", 1));
    assert!(t.next(2).is_none(), "the interrupted one is not re-sent");
    // Its ABK after the restart still sets the state it reports.
    t.abk_raw(Some(SHIP), 12, 0, AckType::Received);
    assert_eq!(bw.abk_event(0)["result"], "received");
    // The journal says so too, after the torn line.
    let journal = std::fs::read_to_string(data.join("outbox.jsonl")).unwrap();
    assert!(journal.contains("\"state\":\"interrupted\""), "{journal}");
}

#[test]
fn a_message_sent_while_the_transponder_link_is_down_goes_out_when_it_is_up() {
    // The transponder on TCP, named in the config and not given as an
    // input: it is added as one. Nobody listens yet; the port is held
    // (bound, not listening: connects are refused) so that nothing else
    // takes it before the transponder comes up.
    let (socket, port) = held_port();
    let dir = tempdir();
    let extra = format!("transponder = \"tcp:127.0.0.1:{port}\"\n");
    let cfg = config(dir.path(), 60, &extra);
    let mut bw = Bridgewatch::spawn(dir.path(), &cfg, &[]);
    let down = bw.wait("link down", |v| v["event"] == "link");
    assert_eq!(down["state"], "down", "{down}");
    assert_eq!(down["name"], format!("tcp:127.0.0.1:{port}").as_str());
    let id = bw.safety(Some(SHIP), "WAIT FOR ME");
    // Nothing is handed to a link that is down: no failed writes, no
    // retry loop.
    assert!(
        bw.wait_secs("write", 2, |v| v["event"] == "write_failed"
            || v["event"] == "message_sent")
            .is_none()
    );
    let listener = listen(socket);
    let (conn, _) = listener.accept().expect("the link reconnects");
    conn.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut line = String::new();
    BufReader::new(&conn).read_line(&mut line).expect("a line");
    assert!(line.ends_with("\r\n"), "{line:?}");
    let s = frame(line.trim_end().as_bytes()).expect("framed");
    let f = pi::parse_binary(&s).expect("ABM");
    assert_eq!((f.dest_mmsi, f.msg_id, f.seq_id), (Some(SHIP), 12, 0));
    assert_eq!(bw.sent_event(id)["seq"], 0);
}
