//! `bridgewatch aiip-server` on a real socket against forged and fresh
//! source addresses (docs/aiip.md, "Address validation"): plain UDP
//! clients on loopback addresses 127.0.0.1–127.0.0.4 (Linux routes all of
//! 127.0.0.0/8 on lo). Every wait is bounded by a receive timeout; the
//! server is stopped at the end.

use std::io::{BufRead, BufReader};
use std::net::UdpSocket;
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use bridgewatch::aiip::codec::{self, Content, Flags, Message, RangeKm, Timestamp};
use bridgewatch::aiip::validation;

const A: u32 = 244_030_001;
/// Vessels stored around A: their answer is far more than 3× a request.
const CROWD: u32 = 200;

struct ServerProcess {
    child: Child,
    err: Receiver<String>,
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let s = UdpSocket::bind("127.0.0.1:0").expect("bind port 0");
    s.local_addr().expect("local address").port()
}

fn lines(err: ChildStderr) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for l in BufReader::new(err).lines() {
            let Ok(l) = l else { return };
            if tx.send(l).is_err() {
                return;
            }
        }
    });
    rx
}

impl ServerProcess {
    fn start(port: u16, extra: &[&str]) -> ServerProcess {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
            .args(["aiip-server", "--listen", &format!("127.0.0.1:{port}")])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("server starts");
        let err = lines(child.stderr.take().expect("stderr"));
        let mut s = ServerProcess { child, err };
        assert!(s.line(10, "listening").is_some(), "not listening");
        s
    }

    /// The next stderr line containing `what`, within `secs`.
    fn line(&mut self, secs: u64, what: &str) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let l = self.err.recv_timeout(left).ok()?;
            if l.contains(what) {
                return Some(l);
            }
        }
    }

    fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(ok.success());
    }
}

fn client(from: &str, port: u16) -> UdpSocket {
    let s = UdpSocket::bind((from, 0)).expect("client bind");
    s.connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    s
}

fn position(mmsi: u32, lat: f64, lon: f64) -> String {
    let m = bridgewatch::sim::class_a(mmsi, (lat, lon), Some(180.0), 4.0, 0, 5);
    bridgewatch::sim::untagged(&m, 'A', 0).join("\r")
}

fn push(text: &str, range: Option<u8>) -> Vec<u8> {
    codec::encode(&Message::PushRequest {
        timestamp: Timestamp::from_fields(2026, 11, 22, 12, 0, 0).expect("timestamp"),
        content: Content::new(text).expect("content"),
        range: range.and_then(RangeKm::new),
    })
    .expect("encodes")
}

/// Stores `CROWD` vessels around 51.9 N 4.4 E, 100 in a datagram (no range:
/// no answer), then waits until a probe from 127.0.0.4 (allowed, where the
/// test allows it) or from anywhere sees them all or 10 s pass.
fn fill(port: u16) {
    let s = client("127.0.0.1", port);
    for part in 0..2 {
        let text: Vec<String> = (0..CROWD / 2)
            .map(|i| {
                let i = part * (CROWD / 2) + i;
                position(
                    300_000_000 + i,
                    51.9 + f64::from(i % 20) * 0.001,
                    4.4 + f64::from(i / 20) * 0.001,
                )
            })
            .collect();
        s.send(&push(&text.join("\r"), None)).expect("send");
    }
}

/// One answer (a message-4 datagram): its bytes and content.
fn answer(s: &UdpSocket) -> (usize, Flags, String) {
    let mut buf = vec![0u8; 9000];
    let n = s.recv(&mut buf).expect("an answer before the timeout");
    match codec::decode(&buf[..n]) {
        Ok(Message::Response { flags, content }) => (n, flags, content.as_str().to_owned()),
        other => panic!("expected a response, got {other:?}"),
    }
}

/// Asks until the answer is final; all its bytes, and its content joined.
fn full_answer(s: &UdpSocket, request: &[u8]) -> (usize, String) {
    s.send(request).expect("send");
    let (mut bytes, mut text) = (0, Vec::new());
    loop {
        let (n, flags, content) = answer(s);
        bytes += n;
        text.push(content);
        if flags.contains(Flags::FINAL) {
            return (bytes, text.join("\r"));
        }
    }
}

fn vessels(content: &str) -> usize {
    content
        .split('\r')
        .filter(|l| l.starts_with("!AIVDM"))
        .count()
}

fn token(content: &str) -> Option<String> {
    content
        .split('\r')
        .find(|l| validation::is_token_sentence(l))
        .map(str::to_owned)
}

/// Waits until the server holds the whole crowd, asked from an allowed
/// address (or, without one, until a validated ask sees it).
fn wait_for_crowd(probe: &UdpSocket, request: &[u8]) {
    for _ in 0..50 {
        let (_, content) = full_answer(probe, request);
        if vessels(&content) == CROWD as usize {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the server never held the {CROWD} vessels");
}

#[test]
fn a_fresh_address_gets_at_most_three_times_its_bytes_until_it_echoes_the_token() {
    let port = free_port();
    // Only 127.0.0.4 is allowed: the probe that checks the crowd is stored.
    let mut server = ServerProcess::start(port, &["--allow", "127.0.0.4"]);
    fill(port);
    let request = push(&position(A, 51.91, 4.41), Some(10));
    wait_for_crowd(&client("127.0.0.4", port), &request);

    // A burst from a fresh address: 30 requests, each answered by one
    // datagram holding the token and what fits.
    let fresh = client("127.0.0.2", port);
    for _ in 0..30 {
        fresh.send(&request).expect("send");
    }
    let (mut got, mut tok) = (0, None);
    for _ in 0..30 {
        let (n, flags, content) = answer(&fresh);
        assert!(flags.contains(Flags::FINAL));
        assert!(vessels(&content) < CROWD as usize);
        got += n;
        let t = token(&content).expect("every cut answer brings the token");
        assert_eq!(validation::parse(&t).map(|t| t.limited), Some(true));
        tok = Some(t);
    }
    let sent = 30 * request.len();
    assert!(got <= 3 * sent, "{got} bytes back for {sent} sent");
    let tok = tok.expect("a token");

    // The token echoed: the whole picture, no cut.
    let echo = push(&format!("{}\r{tok}", position(A, 51.91, 4.41)), Some(10));
    let (_, content) = full_answer(&fresh, &echo);
    assert_eq!(vessels(&content), CROWD as usize);
    assert!(token(&content).is_none(), "a fresh token needs no renewal");
    // And so it stays for the address.
    let (_, content) = full_answer(&fresh, &request);
    assert_eq!(vessels(&content), CROWD as usize);

    // The same token replayed from another address is refused.
    let replay = client("127.0.0.3", port);
    let (bytes, content) = full_answer(&replay, &echo);
    assert!(bytes <= 3 * echo.len(), "{bytes} for {}", echo.len());
    assert!(vessels(&content) < CROWD as usize);

    // The status line on SIGUSR1, the counters at SIGTERM.
    server.signal("-USR1");
    let status = server.line(10, "status:").expect("a status line");
    assert!(status.contains("validated=1"), "{status}");
    assert!(status.contains("token_refused=1"), "{status}");
    assert!(status.contains("unvalidated_limited=31"), "{status}");
    // It starts with the time of day, RFC 3339 in UTC.
    let time = status.split(' ').next().unwrap_or_default();
    assert!(
        time.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(time).is_ok(),
        "{status}"
    );
    assert!(status[time.len()..].starts_with(" bridgewatch aiip-server: status: sources="));
    server.signal("-TERM");
    let end = server.line(10, "datagrams=").expect("the counters");
    assert!(end.contains("token_refused_forged=1"), "{end}");
    assert!(end.contains("unvalidated_limited=31"), "{end}");
    // The last line has the time and every field of the status line.
    let time = end.split(' ').next().unwrap_or_default();
    assert!(chrono::DateTime::parse_from_rfc3339(time).is_ok(), "{end}");
    let fields = |l: &str| -> Vec<String> {
        l.split(' ')
            .filter_map(|f| f.split_once('='))
            .map(|(k, _)| k.to_owned())
            .collect()
    };
    let at_end = fields(&end);
    for f in fields(&status) {
        assert!(at_end.contains(&f), "{f} missing: {end}");
    }
}

#[test]
fn a_client_without_the_token_sees_the_full_picture_only_from_an_allowed_network() {
    let request = push(&position(A, 51.91, 4.41), Some(10));
    // Without --allow: loopback is not exempt. The standard client's answer
    // is cut, however often it asks.
    let port = free_port();
    let _server = ServerProcess::start(port, &[]);
    fill(port);
    let plain = client("127.0.0.1", port);
    // Wait until the crowd is stored, seen through a client that echoes.
    let checker = client("127.0.0.2", port);
    let (_, first) = full_answer(&checker, &request);
    let tok = token(&first).expect("token");
    wait_for_crowd(
        &checker,
        &push(&format!("{}\r{tok}", position(A, 51.91, 4.41)), Some(10)),
    );
    let mut got = 0;
    for _ in 0..5 {
        let (bytes, content) = full_answer(&plain, &request);
        assert!(vessels(&content) < CROWD as usize, "{bytes} bytes");
        got += bytes;
    }
    assert!(got <= 3 * 5 * request.len(), "{got}");
    drop(_server);

    // With --allow 127.0.0.0/8: the whole picture, and no token in it.
    let port = free_port();
    let _server = ServerProcess::start(port, &["--allow", "127.0.0.0/8"]);
    fill(port);
    let plain = client("127.0.0.1", port);
    wait_for_crowd(&plain, &request);
    let (_, content) = full_answer(&plain, &request);
    assert_eq!(vessels(&content), CROWD as usize);
    assert!(token(&content).is_none());
}

#[test]
fn a_wrong_allow_network_is_refused_at_start() {
    let out = Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .args([
            "aiip-server",
            "--listen",
            "127.0.0.1:0",
            "--allow",
            "10.8.0.0/40",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--allow") && err.contains("0 to 32"), "{err}");
}
