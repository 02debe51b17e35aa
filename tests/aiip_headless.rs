//! The console as an AI-IP client, end to end with the real binaries:
//! `bridgewatch aiip-server` on 127.0.0.1, clients as `bridgewatch
//! --headless` processes with their own config and data directories. Own
//! position comes from RMC sentences the test sends to each client's UDP
//! input once a second. Every wait is bounded; processes are killed when
//! a test ends, also when it fails.

mod common;
use common::serial_pty;
use std::io::{BufRead, BufReader, Write};
use std::net::UdpSocket;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use bridgewatch::aiip::codec::{self, Content, Flags, Message, Timestamp};
use bridgewatch::ais::messages::StaticVoyageData;
use bridgewatch::link::wall_ms;
use serde_json::Value;

const LOCK: u32 = 244_200_001;

fn free_port() -> u16 {
    let s = UdpSocket::bind("127.0.0.1:0").expect("bind port 0");
    s.local_addr().expect("local address").port()
}

/// A process killed (and reaped) when dropped.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The address the test's own probes ask the server from: they speak the
/// standard alone (no address token), so the server allows this one
/// address; the headless clients, on 127.0.0.1, prove theirs.
const PROBE: &str = "127.0.0.2";

/// `bridgewatch aiip-server` on 127.0.0.1:`port`, started and listening.
fn server(port: u16, extra: &[&str]) -> Proc {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .args(["aiip-server", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--allow", PROBE])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("server starts");
    let err = child.stderr.take().expect("stderr");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for l in BufReader::new(err).lines() {
            let Ok(l) = l else { return };
            let _ = tx.send(l);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) if l.contains("listening") => break,
            Ok(_) => {}
            Err(_) => panic!("the server did not start listening within 10 s"),
        }
    }
    Proc(child)
}

/// A headless client: its events as they come, and its stdin for commands.
struct Client {
    proc: Proc,
    lines: Receiver<String>,
    seen: Vec<Value>,
    stdin: Option<ChildStdin>,
    /// The data directory.
    data: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl Client {
    /// A client with own MMSI `mmsi`, the `[aiip]` table `aiip`, own
    /// position on UDP port `gnss` and the AI-IP server at `server`.
    fn start(mmsi: u32, aiip: &str, gnss: u16, server: &str) -> Client {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let cfg = dir.path().join("config.toml");
        std::fs::write(
            &cfg,
            format!(
                "data_dir = {:?}\n[own_ship]\nmmsi = {mmsi}\n[aiip]\n{aiip}\n",
                data.display().to_string()
            ),
        )
        .expect("config written");
        let mut child = Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
            .args(["--headless", "--config"])
            .arg(&cfg)
            .args(["--input", &format!("udp:127.0.0.1:{gnss}")])
            .args(["--input", &format!("aiip:{server}")])
            .env("BRIDGEWATCH_DATA_DIR", &data)
            .env("XDG_CONFIG_HOME", dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("client starts");
        let out = child.stdout.take().expect("stdout");
        let stdin = child.stdin.take();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for l in BufReader::new(out).lines() {
                let Ok(l) = l else { return };
                if tx.send(l).is_err() {
                    return;
                }
            }
        });
        Client {
            proc: Proc(child),
            lines: rx,
            seen: Vec::new(),
            stdin,
            data,
            _dir: dir,
        }
    }

    /// The first event (seen before, or coming within `secs`) for which
    /// `pred` holds.
    fn wait(&mut self, secs: u64, pred: impl Fn(&Value) -> bool) -> Option<Value> {
        if let Some(v) = self.seen.iter().find(|v| pred(v)) {
            return Some(v.clone());
        }
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self.lines.recv_timeout(left).ok()?;
            let v: Value = serde_json::from_str(&line).expect("each line is JSON");
            self.seen.push(v.clone());
            if pred(&v) {
                return Some(v);
            }
        }
    }

    /// The events that came so far.
    fn drain(&mut self) -> &[Value] {
        while let Ok(l) = self.lines.try_recv() {
            self.seen
                .push(serde_json::from_str(&l).expect("each line is JSON"));
        }
        &self.seen
    }

    fn command(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("command written");
        stdin.flush().expect("flushed");
    }

    fn alive(&mut self) -> bool {
        matches!(self.proc.0.try_wait(), Ok(None))
    }

    /// SIGTERM, then the summary line (within 10 s).
    fn stop(&mut self) -> Value {
        let pid = self.proc.0.id().to_string();
        let status = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let v = self
            .wait(10, |v| is(v, "summary"))
            .expect("a summary after SIGTERM");
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(s)) = self.proc.0.try_wait() {
                assert!(s.success(), "exit status {s}");
                return v;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the client did not end within 10 s of SIGTERM");
    }
}

fn is(v: &Value, event: &str) -> bool {
    v["event"] == event
}

fn new_target(mmsi: u32) -> impl Fn(&Value) -> bool {
    move |v| is(v, "target_new") && v["mmsi"] == mmsi
}

fn aiip_state(state: &'static str) -> impl Fn(&Value) -> bool {
    move |v| is(v, "aiip") && v["state"] == state
}

/// Sends each client's own position (RMC, 0 kn) to its UDP input once a
/// second until dropped.
struct Gnss {
    stop: Arc<AtomicBool>,
}

impl Gnss {
    fn start(ships: Vec<(u16, (f64, f64))>) -> Gnss {
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        std::thread::spawn(move || {
            let sock = UdpSocket::bind("127.0.0.1:0").expect("bind");
            while !s.load(Ordering::SeqCst) {
                for (port, pos) in &ships {
                    let line = bridgewatch::sim::rmc(wall_ms(), *pos, 90.0, 0.0) + "\r\n";
                    let _ = sock.send_to(line.as_bytes(), ("127.0.0.1", *port));
                }
                std::thread::sleep(Duration::from_millis(1000));
            }
        });
        Gnss { stop }
    }
}

impl Drop for Gnss {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

const ON_BOARD: &str = "mode = \"tactical-on-board\"\nrange_km = 10";

#[test]
fn two_clients_in_range_see_each_other_and_a_far_one_sees_neither() {
    const A: u32 = 244_010_001;
    const B: u32 = 244_010_002;
    const C: u32 = 244_010_003;
    let port = free_port();
    let _server = server(port, &[]);
    let srv = format!("127.0.0.1:{port}");
    let (ga, gb, gc) = (free_port(), free_port(), free_port());
    let _gnss = Gnss::start(vec![
        (ga, (51.90, 4.40)),
        (gb, (51.92, 4.45)),
        // About 200 km away: outside anyone's 10 km.
        (gc, (53.20, 6.60)),
    ]);
    // A relays the vessels it receives to an ECDIS (here: a socket).
    let ecdis = UdpSocket::bind("127.0.0.1:0").expect("bind");
    ecdis
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let relay = format!(
        "{ON_BOARD}\nrelay = \"udp:127.0.0.1:{}\"",
        ecdis.local_addr().expect("address").port()
    );
    // 30 vessels between A and B, reported by a standard client from the
    // allowed probe address: far more than a first answer to an address
    // not yet validated may carry. The clients (on 127.0.0.1, not allowed)
    // prove their address and see them all.
    let crowd: Vec<u32> = (0..30).map(|i| 244_019_000 + i).collect();
    let text: Vec<String> = crowd
        .iter()
        .enumerate()
        .flat_map(|(i, &m)| {
            let pos = (51.905 + i as f64 * 0.0005, 4.42);
            bridgewatch::sim::untagged(
                &bridgewatch::sim::class_a(m, pos, Some(90.0), 0.0, 5, 5),
                'A',
                0,
            )
        })
        .collect();
    let probe = UdpSocket::bind((PROBE, 0)).expect("bind");
    let fill = codec::encode(&Message::PushRequest {
        timestamp: Timestamp::from_unix_ms(wall_ms()).expect("timestamp"),
        content: Content::from_sentences(&text).expect("content"),
        range: None,
    })
    .expect("encodes");
    probe.send_to(&fill, ("127.0.0.1", port)).expect("send");
    let mut a = Client::start(A, &relay, ga, &srv);
    let mut b = Client::start(B, ON_BOARD, gb, &srv);
    let mut c = Client::start(C, ON_BOARD, gc, &srv);
    assert!(a.wait(30, new_target(B)).is_some(), "A never saw B");
    for &m in &crowd {
        assert!(a.wait(10, new_target(m)).is_some(), "A never saw {m}");
    }
    let mut buf = vec![0u8; 2000];
    // Every vessel A receives goes on to the ECDIS, B among them.
    let mut relayed = Vec::new();
    let mut stream = bridgewatch::ais::stream::AisStream::new();
    while !relayed.contains(&B) && relayed.len() < 200 {
        let n = ecdis.recv(&mut buf).expect("a relayed sentence");
        let text = String::from_utf8_lossy(&buf[..n]).into_owned();
        assert!(
            text.starts_with("!AIVDM,") && text.ends_with("\r\n"),
            "{text:?}"
        );
        relayed.extend(
            text.lines()
                .filter_map(|l| stream.push_line(l.as_bytes(), 0).ok())
                .filter_map(|o| match o {
                    bridgewatch::ais::stream::Outcome::Ais(r) => Some(r.msg.mmsi),
                    _ => None,
                }),
        );
    }
    assert!(relayed.contains(&B), "{relayed:?}");
    let v = b.wait(30, new_target(A)).expect("B never saw A");
    assert!(v["range_nm"].as_f64().is_some(), "{v}");
    // C has reported all along and had its answers, with nobody in range.
    assert!(c.wait(5, aiip_state("reporting")).is_some());
    let seen = c.drain();
    assert!(
        !seen.iter().any(|v| is(v, "target_new")),
        "the far client saw someone: {seen:?}"
    );
    assert!(!a.drain().iter().any(new_target(C)));
    let s = c.stop();
    assert!(s["aiip"]["datagrams_in"].as_u64().unwrap_or(0) > 0, "{s}");
    assert_eq!(s["aiip"]["positions"], 0, "{s}");
}

/// A vessel that reports to the server itself, with its static data:
/// message 1 (no range) with a position report and a message 5.
fn vessel_with_static(port: u16, mmsi: u32, pos: (f64, f64), stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        let sock = UdpSocket::bind("127.0.0.1:0").expect("bind");
        let mut text = bridgewatch::sim::untagged(
            &bridgewatch::sim::class_a(mmsi, pos, Some(90.0), 0.0, 0, 5),
            'A',
            0,
        );
        text.extend(bridgewatch::sim::untagged(
            &bridgewatch::sim::static_voyage(mmsi, "STATIC VESSEL", "ROTTERDAM"),
            'A',
            1,
        ));
        let m = Message::PushRequest {
            timestamp: Timestamp::from_fields(2026, 11, 22, 12, 0, 0).expect("timestamp"),
            content: Content::new(&(text.join("\r") + "\r")).expect("content"),
            range: None,
        };
        let bytes = codec::encode(&m).expect("encodes");
        while !stop.load(Ordering::SeqCst) {
            let _ = sock.send_to(&bytes, ("127.0.0.1", port));
            std::thread::sleep(Duration::from_millis(2000));
        }
    });
}

#[test]
fn a_strategic_client_sees_positions_and_never_static_data() {
    const S: u32 = 244_020_001;
    const T: u32 = 244_020_002;
    const V: u32 = 244_020_099;
    let port = free_port();
    let _server = server(port, &[]);
    let srv = format!("127.0.0.1:{port}");
    let stop = Arc::new(AtomicBool::new(false));
    vessel_with_static(port, V, (51.93, 4.43), stop.clone());
    let (gs, gt) = (free_port(), free_port());
    let _gnss = Gnss::start(vec![(gs, (51.90, 4.40)), (gt, (51.91, 4.41))]);
    let strategic = "mode = \"strategic\"\nrange_km = 30\nstrategic_interval_s = 10";
    let mut s = Client::start(S, strategic, gs, &srv);
    // The control: a tactical-on-board client asks for static data.
    let mut t = Client::start(T, ON_BOARD, gt, &srv);
    assert!(s.wait(30, new_target(V)).is_some(), "S never saw V");
    assert!(s.wait(30, new_target(T)).is_some(), "S never saw T");
    // T's second report asks for the details of the vessels it heard.
    let deadline = Instant::now() + Duration::from_secs(40);
    let mut t_summary = None;
    while Instant::now() < deadline {
        if t.wait(2, new_target(V)).is_some() {
            std::thread::sleep(Duration::from_secs(12));
            t_summary = Some(t.stop());
            break;
        }
    }
    stop.store(true, Ordering::SeqCst);
    let t_summary = t_summary.expect("T saw V");
    assert!(
        t_summary["aiip"]["static"].as_u64().unwrap_or(0) > 0,
        "the tactical-on-board client got static data: {t_summary}"
    );
    let s_summary = s.stop();
    assert!(
        s_summary["aiip"]["positions"].as_u64().unwrap_or(0) > 0,
        "{s_summary}"
    );
    assert_eq!(s_summary["aiip"]["static"], 0, "{s_summary}");
    assert!(
        s.seen
            .iter()
            .any(|v| is(v, "aiip") && v["mode"] == "strategic")
    );
}

#[test]
fn an_eta_through_the_server_is_answered_by_an_rta() {
    const E: u32 = 244_030_001;
    let port = free_port();
    let lock = LOCK.to_string();
    let _server = server(port, &["--auto-rta", "30", "--lock-mmsi", &lock]);
    let g = free_port();
    let _gnss = Gnss::start(vec![(g, (51.90, 4.40))]);
    let cfg = format!("{ON_BOARD}\nsmart = true");
    let mut e = Client::start(E, &cfg, g, &format!("127.0.0.1:{port}"));
    assert!(
        e.wait(20, aiip_state("reporting")).is_some(),
        "never reporting"
    );
    let smart = e.wait(10, |v| {
        is(v, "aiip")
            && v["detail"]
                .as_str()
                .unwrap_or("")
                .contains("smart: signed on")
    });
    assert!(smart.is_some(), "smart AI-IP signed on");
    let eta = &bridgewatch::clock::rfc3339(wall_ms() + 86_400_000)[..16];
    e.command(&format!(
        r#"{{"send":"eta","to":"{LOCK}","country":"NL","location":"RTM","section":"00001","terminal":"LOCK1","hectometre":"00123","eta":"{eta}Z"}}"#
    ));
    let q = e.wait(10, |v| is(v, "queued") || is(v, "command_refused"));
    assert!(q.as_ref().is_some_and(|v| is(v, "queued")), "{q:?}");
    assert!(e.wait(10, |v| is(v, "eta_sent")).is_some());
    let rta = e.wait(15, |v| is(v, "rta")).expect("an RTA");
    assert_eq!(rta["from"], LOCK, "{rta}");
    assert_eq!(rta["to"], E, "{rta}");
    assert_eq!(rta["answers_eta"], true, "{rta}");
    assert_eq!(rta["locode"], "NLRTM00001LOCK100123", "{rta}");
    // AI-IP has no ABK: the server's answer settles the outbox entry.
    let abk = e.wait(5, |v| is(v, "abk")).expect("settled");
    assert_eq!(abk["result"], "received", "{abk}");
    // Safety messages need the transponder.
    e.command(r#"{"send":"safety","text":"TEST"}"#);
    let r = e.wait(5, |v| is(v, "command_refused")).expect("refused");
    assert!(
        r["reason"]
            .as_str()
            .unwrap_or("")
            .contains("safety messages need the transponder"),
        "{r}"
    );
    e.stop();
    // Smart AI-IP signed off at the stop, and said so.
    assert!(
        e.seen.iter().any(|v| is(v, "aiip")
            && v["detail"]
                .as_str()
                .unwrap_or("")
                .contains("smart: signed off")),
        "{:?}",
        e.seen
    );
}

#[test]
fn no_server_means_no_answer_after_the_retries_and_the_watch_goes_on() {
    const D: u32 = 244_040_001;
    const OTHER: u32 = 244_040_002;
    // Nothing listens on this port.
    let port = free_port();
    let g = free_port();
    let _gnss = Gnss::start(vec![(g, (51.90, 4.40))]);
    let mut d = Client::start(D, ON_BOARD, g, &format!("127.0.0.1:{port}"));
    let link = d
        .wait(10, |v| {
            is(v, "link") && v["name"] == format!("aiip:127.0.0.1:{port}")
        })
        .expect("the AI-IP link's event");
    assert_eq!(link["state"], "up", "{link}");
    let started = Instant::now();
    let v = d
        .wait(35, aiip_state("no answer from server"))
        .expect("no answer from server");
    // First try and four resends, 4 s apart.
    assert!(started.elapsed() >= Duration::from_secs(14), "{v}");
    assert!(d.alive());
    // And it is a warning, in the alarm log as on the screen.
    let log = d._dir.path().join("data").join("alarms.jsonl");
    let mut logged = String::new();
    for _ in 0..50 {
        logged = std::fs::read_to_string(&log).unwrap_or_default();
        if logged.contains("no answer from the AI-IP server") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        logged.contains("no answer from the AI-IP server") && logged.contains("\"warning\""),
        "{logged}"
    );
    // The other inputs are still watched.
    let sock = UdpSocket::bind("127.0.0.1:0").expect("bind");
    for l in bridgewatch::sim::untagged(
        &bridgewatch::sim::class_a(OTHER, (51.91, 4.41), Some(180.0), 5.0, 0, 5),
        'A',
        0,
    ) {
        sock.send_to(format!("{l}\r\n").as_bytes(), ("127.0.0.1", g))
            .expect("sent");
    }
    assert!(d.wait(10, new_target(OTHER)).is_some(), "the radio target");
    d.stop();
}

/// A UDP proxy between one client and the server that drops every third
/// datagram, the first one included (both directions counted together). Returns its port and the
/// count of datagrams dropped.
fn lossy_proxy(server: u16, stop: Arc<AtomicBool>) -> (u16, Arc<AtomicU64>) {
    let front = UdpSocket::bind("127.0.0.1:0").expect("bind");
    let back = UdpSocket::bind("127.0.0.1:0").expect("bind");
    back.connect(("127.0.0.1", server)).expect("connect");
    for s in [&front, &back] {
        s.set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
    }
    let port = front.local_addr().expect("address").port();
    let count = Arc::new(AtomicU64::new(0));
    let dropped = Arc::new(AtomicU64::new(0));
    let client = Arc::new(std::sync::Mutex::new(None));
    let pass = {
        let (count, dropped) = (count.clone(), dropped.clone());
        move || {
            // The first datagram is among those dropped, so the loss is
            // felt however quickly the two clients would otherwise meet.
            if count.fetch_add(1, Ordering::SeqCst) % 3 == 0 {
                dropped.fetch_add(1, Ordering::SeqCst);
                false
            } else {
                true
            }
        }
    };
    {
        let (front, back) = (
            front.try_clone().expect("clone"),
            back.try_clone().expect("clone"),
        );
        let (stop, client, pass) = (stop.clone(), client.clone(), pass.clone());
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 9000];
            while !stop.load(Ordering::SeqCst) {
                if let Ok((n, from)) = front.recv_from(&mut buf) {
                    if let Ok(mut c) = client.lock() {
                        *c = Some(from);
                    }
                    if pass() {
                        let _ = back.send(&buf[..n]);
                    }
                }
            }
        });
    }
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 9000];
        while !stop.load(Ordering::SeqCst) {
            if let Ok(n) = back.recv(&mut buf) {
                let to = client.lock().ok().and_then(|c| *c);
                if let (Some(to), true) = (to, pass()) {
                    let _ = front.send_to(&buf[..n], to);
                }
            }
        }
    });
    (port, dropped)
}

#[test]
fn a_client_behind_a_lossy_link_still_converges() {
    const P: u32 = 244_050_001;
    const Q: u32 = 244_050_002;
    let port = free_port();
    let _server = server(port, &[]);
    let stop = Arc::new(AtomicBool::new(false));
    let (proxy, dropped) = lossy_proxy(port, stop.clone());
    let (gp, gq) = (free_port(), free_port());
    let _gnss = Gnss::start(vec![(gp, (51.90, 4.40)), (gq, (51.92, 4.45))]);
    let mut p = Client::start(P, ON_BOARD, gp, &format!("127.0.0.1:{proxy}"));
    let mut q = Client::start(Q, ON_BOARD, gq, &format!("127.0.0.1:{port}"));
    assert!(q.wait(40, new_target(P)).is_some(), "Q never saw P");
    assert!(p.wait(40, new_target(Q)).is_some(), "P never saw Q");
    let s = p.stop();
    stop.store(true, Ordering::SeqCst);
    assert!(
        dropped.load(Ordering::SeqCst) > 0,
        "the proxy dropped nothing"
    );
    // P sent more than it got answers for: some were lost on the way.
    let (out, inn) = (
        s["aiip"]["datagrams_out"].as_u64().unwrap_or(0),
        s["aiip"]["datagrams_in"].as_u64().unwrap_or(0),
    );
    assert!(out > inn && inn > 0, "{s}");
}

#[test]
fn garbage_from_the_server_never_stops_the_client() {
    const G: u32 = 244_060_001;
    // A false server: whatever it is sent, it answers with garbage.
    let fake = UdpSocket::bind("127.0.0.1:0").expect("bind");
    fake.set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    let port = fake.local_addr().expect("address").port();
    let g = free_port();
    let _gnss = Gnss::start(vec![(g, (51.90, 4.40))]);
    let mut c = Client::start(G, ON_BOARD, g, &format!("127.0.0.1:{port}"));
    let mut buf = vec![0u8; 9000];
    let (_, client) = fake.recv_from(&mut buf).expect("the client's first report");
    let mut junk: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"garbage".to_vec(),
        vec![0xff; 9000],
        vec![0u8; 8193],
        b"\x01\x02\x03\x04".to_vec(),
    ];
    // Pseudo-random bytes, the same every run.
    let mut x: u32 = 0x2545_f491;
    for len in [1usize, 7, 33, 200, 1500, 8192] {
        junk.push(
            (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x as u8
                })
                .collect(),
        );
    }
    // Well-formed answers with nonsense inside.
    for text in [
        "!AIVDM,2,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24\r",
        "$GPXYZ,,*00\r",
    ] {
        if let Ok(content) = Content::new(text) {
            let m = Message::Response {
                flags: Flags::FINAL,
                content,
            };
            if let Ok(b) = codec::encode(&m) {
                let mut cut = b.clone();
                cut.truncate(b.len() / 2);
                junk.push(b);
                junk.push(cut);
            }
        }
    }
    for j in &junk {
        fake.send_to(j, client).expect("sent");
    }
    // The client goes on: its next datagram comes (a resend or a report).
    fake.recv_from(&mut buf)
        .expect("the client goes on sending");
    assert!(c.alive());
    let s = c.stop();
    assert!(
        s["aiip"]["datagrams_in"].as_u64().unwrap_or(0) >= junk.len() as u64 - 1,
        "{s}"
    );
}

/// A vessel on AI-IP alone sends its static data from `[own_static]`:
/// message 5 (name, call sign, type, dimensions, draught, destination)
/// and Inland FI 10 (ENI, ERI type, length, beam), which the server then
/// hands to anyone asking with message 2 — checked by decoding the
/// server's answer with our AIS decoder.
/// Asks the server at `port` with the datagram `request()` builds, every
/// 300 ms, until `done` holds for the AIS messages of an answer or `secs`
/// pass: the messages of the last answer.
fn ask_server(
    port: u16,
    secs: u64,
    request: impl Fn() -> Vec<u8>,
    done: impl Fn(&[bridgewatch::ais::AisMessage]) -> bool,
) -> Vec<bridgewatch::ais::AisMessage> {
    use bridgewatch::ais::stream::{AisStream, Outcome};
    let ask = UdpSocket::bind((PROBE, 0)).expect("bind");
    ask.connect(("127.0.0.1", port)).expect("connect");
    ask.set_read_timeout(Some(Duration::from_millis(500)))
        .expect("timeout");
    let mut found = Vec::new();
    let end = Instant::now() + Duration::from_secs(secs);
    let mut buf = vec![0u8; 9000];
    while Instant::now() < end && !done(&found) {
        ask.send(&request()).expect("send");
        if let Ok(n) = ask.recv(&mut buf)
            && let Ok(Message::Response { content, .. }) = codec::decode(&buf[..n])
        {
            let mut stream = AisStream::new();
            found = content
                .sentences()
                .filter_map(|l| match stream.push_line(l.as_bytes(), 0) {
                    Ok(Outcome::Ais(r)) => Some(r.msg),
                    _ => None,
                })
                .collect();
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    found
}

/// What the server at `port` holds for `mmsi` (message 2), until `done`
/// holds or `secs` pass.
fn server_details(
    port: u16,
    mmsi: u32,
    secs: u64,
    done: impl Fn(&[bridgewatch::ais::AisMessage]) -> bool,
) -> Vec<bridgewatch::ais::AisMessage> {
    let request = codec::encode(&Message::RequestDetail {
        identifiers: vec![codec::Identifier::mmsi(mmsi)],
    })
    .expect("encodes");
    ask_server(port, secs, || request.clone(), done)
}

/// The navigational status in the position report the server at `port`
/// holds for `mmsi` at 51.90 N 4.40 E, as a vessel next to it sees it (it
/// asks for 1 km around itself), once it is `want` or `secs` pass.
fn server_status(port: u16, mmsi: u32, want: u8, secs: u64) -> Option<u8> {
    use bridgewatch::ais::{AisMessage, Body};
    let status = |found: &[AisMessage]| {
        found.iter().find_map(|m| match &m.body {
            Body::Position(p) if m.mmsi == mmsi => Some(p.status),
            _ => None,
        })
    };
    let push = || {
        let near = bridgewatch::sim::class_a(mmsi + 8, (51.901, 4.401), Some(0.0), 0.0, 0, 1);
        codec::encode(&Message::PushRequest {
            timestamp: Timestamp::from_unix_ms(wall_ms()).expect("timestamp"),
            content: Content::from_sentences(&bridgewatch::sim::untagged(&near, 'A', 0))
                .expect("content"),
            range: codec::RangeKm::new(1),
        })
        .expect("encodes")
    };
    status(&ask_server(port, secs, push, |f| status(f) == Some(want)))
}

fn message5(found: &[bridgewatch::ais::AisMessage], mmsi: u32) -> Option<StaticVoyageData> {
    use bridgewatch::ais::Body;
    found.iter().find_map(|m| match &m.body {
        Body::StaticVoyage(v) if m.mmsi == mmsi => Some(**v),
        _ => None,
    })
}

#[test]
fn own_static_data_from_the_config_reaches_the_server() {
    use bridgewatch::ais::Body;
    use bridgewatch::ais::application::BroadcastApp;
    const S: u32 = 244_060_001;
    let port = free_port();
    let _server = server(port, &[]);
    let g = free_port();
    let _gnss = Gnss::start(vec![(g, (51.90, 4.40))]);
    let table = format!(
        "{ON_BOARD}\n[own_static]\nname = \"rijn star\"\ncallsign = \"PD1234\"\nship_type = 79\n\
         dimensions = [80, 30, 5, 6]\ndraught_m = 2.8\ndestination = \"NLRTM\"\n\
         eni = \"02326789\"\neri_type = 8010\nlength_m = 110.0\nbeam_m = 11.4\nnav_status = 5"
    );
    let mut c = Client::start(S, &table, g, &format!("127.0.0.1:{port}"));
    let found = server_details(port, S, 20, |f| f.len() >= 2);
    let m5 = message5(&found, S)
        .unwrap_or_else(|| panic!("no message 5 of ours at the server: {found:?}"));
    assert_eq!(m5.shipname.as_str(), "RIJN STAR");
    assert_eq!(m5.callsign.as_str(), "PD1234");
    assert_eq!(m5.shiptype, 79);
    assert_eq!(
        (
            m5.dim.to_bow,
            m5.dim.to_stern,
            m5.dim.to_port,
            m5.dim.to_starboard
        ),
        (80, 30, 5, 6)
    );
    assert_eq!((m5.draught, m5.destination.as_str()), (28, "NLRTM"));
    let fi10 = found
        .iter()
        .find_map(|m| match &m.body {
            Body::BroadcastBinary(b) => match &b.app {
                BroadcastApp::InlandStatic(s) if m.mmsi == S => Some(*s),
                _ => None,
            },
            _ => None,
        })
        .unwrap_or_else(|| panic!("no FI 10 of ours at the server: {found:?}"));
    assert_eq!(fi10.vin.as_str(), "02326789");
    assert_eq!((fi10.shiptype, fi10.length, fi10.beam), (8010, 1100, 114));
    // Its position reports carry the configured status (5, moored).
    assert_eq!(server_status(port, S, 5, 10), Some(5));
    c.stop();
}

/// On AI-IP alone the voyage-data commands (the `d` form's VSD and SSD)
/// become own static data: the server has them at once, the status goes
/// into the reports, and they are kept for the next start.
#[test]
fn voyage_data_entered_at_sea_go_out_over_ai_ip_and_are_kept() {
    const V: u32 = 244_060_101;
    let port = free_port();
    let _server = server(port, &[]);
    let g = free_port();
    let _gnss = Gnss::start(vec![(g, (51.90, 4.40))]);
    let mut c = Client::start(V, ON_BOARD, g, &format!("127.0.0.1:{port}"));
    assert!(
        c.wait(20, aiip_state("reporting")).is_some(),
        "never reporting"
    );
    c.command(r#"{"send":"vsd","status":"5","destination":"basel","draught":"2.8"}"#);
    c.command(r#"{"send":"ssd","callsign":"PD1234","name":"rijn star"}"#);
    for what in ["VSD", "SSD"] {
        let v = c.wait(10, |v| {
            (is(v, "data_sent") && v["what"] == what) || is(v, "command_refused")
        });
        assert!(
            v.as_ref().is_some_and(|v| is(v, "data_sent")),
            "{what}: {v:?}"
        );
    }
    let found = server_details(port, V, 20, |f| {
        message5(f, V).is_some_and(|m| m.shipname.as_str() == "RIJN STAR")
    });
    let m5 = message5(&found, V)
        .unwrap_or_else(|| panic!("no message 5 of ours at the server: {found:?}"));
    assert_eq!(
        (m5.shipname.as_str(), m5.callsign.as_str()),
        ("RIJN STAR", "PD1234")
    );
    assert_eq!((m5.draught, m5.destination.as_str()), (28, "BASEL"));
    assert_eq!(server_status(port, V, 5, 20), Some(5));
    // Safety messages still need the transponder, and say why.
    c.command(r#"{"send":"safety","text":"TEST"}"#);
    let r = c.wait(5, |v| is(v, "command_refused")).expect("refused");
    assert!(
        r["reason"]
            .as_str()
            .unwrap_or("")
            .contains("safety messages need the transponder"),
        "{r}"
    );
    let kept = std::fs::read_to_string(c.data.join("own_data.json")).expect("kept");
    assert!(
        kept.contains("\"BASEL\"") && kept.contains("\"RIJN STAR\""),
        "{kept}"
    );
    c.stop();
}

#[test]
fn a_wrong_own_static_value_is_refused_at_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "[own_static]\nship_type = 300\n").expect("config");
    let out = Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .args(["--config"])
        .arg(&cfg)
        .args(["--headless", "--input", "udp:127.0.0.1:0"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("[own_static] ship_type"), "{err}");
}

/// The relay to a serial output (an ECDIS input on a serial line), here a
/// real pseudo-terminal: the vessels the client receives come out as
/// `!AIVDM` sentences that decode to them.
#[test]
fn vessels_are_relayed_to_a_serial_output() {
    use bridgewatch::ais::stream::{AisStream, Outcome};
    const R: u32 = 244_070_001;
    const T: u32 = 244_070_002;
    let pair = serial_pty::pair();
    let rx = serial_pty::lines(&pair);
    let port = free_port();
    let _server = server(port, &[]);
    let (gr, gt) = (free_port(), free_port());
    let _gnss = Gnss::start(vec![(gr, (51.90, 4.40)), (gt, (51.91, 4.41))]);
    let srv = format!("127.0.0.1:{port}");
    let relay = format!("{ON_BOARD}\nrelay = \"{}\"", serial_pty::spec(&pair));
    let mut r = Client::start(R, &relay, gr, &srv);
    let mut t = Client::start(T, ON_BOARD, gt, &srv);
    let mut stream = AisStream::new();
    let end = Instant::now() + Duration::from_secs(30);
    let mut heard = false;
    while !heard && Instant::now() < end {
        let Ok(line) = rx.recv_timeout(Duration::from_millis(500)) else {
            continue;
        };
        assert!(line.starts_with("!AIVDM"), "{line}");
        if let Ok(Outcome::Ais(m)) = stream.push_line(line.as_bytes(), 0) {
            heard = m.msg.mmsi == T;
        }
    }
    assert!(heard, "T never came out of the serial relay");
    r.stop();
    t.stop();
    drop(pair);
}
