//! A UDP input on 127.0.0.1 whose receive buffer overflows: the datagrams
//! the system dropped are counted (Linux `SO_RXQ_OVFL`), reported by the
//! link task, shown in the status bar beside the link and raised as a
//! warning; the address it really listens on (port 0 asked) is said.
//! The count also comes when no datagram follows the loss: the link reads
//! the socket's counter (`SO_MEMINFO`) once a second, and at once when
//! asked (a headless run before its summary), each drop counted once.

mod common;
use bridgewatch::app::console::App;
use bridgewatch::link::tasks::{LinkMsg, report_udp_drops, udp_listen, udp_socket};
use bridgewatch::traffic::alarm::Priority;
use common::console_app::screen;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Duration;

/// The UDP tests one at a time: [`report_udp_drops`] asks every UDP input
/// of the process, and the test of silence must see only its own link's
/// reading.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn a_burst_beyond_a_small_receive_buffer_is_counted_and_shown() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let sock = udp_socket("127.0.0.1:0".parse().expect("addr")).expect("bind");
        // The smallest buffer the system allows: a few datagrams.
        nix::sys::socket::setsockopt(&sock, nix::sys::socket::sockopt::RcvBuf, &1024)
            .expect("SO_RCVBUF");
        let port = sock.local_addr().expect("local").port();
        let (tx, mut rx) = tokio::sync::mpsc::channel(4096);
        let task = tokio::spawn(async move { udp_listen(sock, 0, &tx).await });
        let mut msgs = Vec::new();
        let first = rx.recv().await.expect("the link's first word");
        match &first {
            LinkMsg::State {
                up: true, detail, ..
            } => {
                assert_eq!(detail, &format!("listening on 127.0.0.1:{port}"))
            }
            other => panic!("{other:?}"),
        }
        msgs.push(first);

        // The burst, sent while the link task cannot run (one thread):
        // what the buffer cannot hold the system drops.
        const SENT: u64 = 2000;
        let out = std::net::UdpSocket::bind("127.0.0.1:0").expect("sender");
        for i in 0..SENT {
            let s = format!(
                "!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*{:02X}\r\n",
                i % 256
            );
            out.send_to(s.as_bytes(), ("127.0.0.1", port))
                .expect("send");
        }
        // Then everything that came through, and the count of the rest.
        // The system stamps its count on the datagrams it queues after a
        // loss: once the queue is read, one more datagram brings it.
        let (mut lines, mut lost, mut sent) = (0u64, 0u64, SENT);
        while lines + lost < sent {
            let m = match tokio::time::timeout(Duration::from_millis(300), rx.recv()).await {
                Ok(m) => m.expect("a message"),
                Err(_) => {
                    assert!(sent < SENT + 50, "no count of the lost datagrams came");
                    let s = "!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24\r\n";
                    out.send_to(s.as_bytes(), ("127.0.0.1", port))
                        .expect("send");
                    sent += 1;
                    continue;
                }
            };
            match &m {
                LinkMsg::Line { .. } => lines += 1,
                LinkMsg::Lines { lines: l, .. } => lines += l.len() as u64,
                LinkMsg::Lost { count, .. } => lost += count,
                other => panic!("{other:?}"),
            }
            msgs.push(m);
        }
        task.abort();
        assert!(lost > 0, "a burst of {SENT} overflows a 1 KiB buffer");
        assert_eq!(lines + lost, sent, "every datagram received or counted");

        shown(msgs, lost, port);
    });
}

#[test]
fn a_replay_summary_counts_no_lost_input() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("one.nmea");
    std::fs::write(&file, "!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24\r\n").expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .args(["--headless", "--input"])
        .arg(format!("file:{}", file.display()))
        .env("BRIDGEWATCH_DATA_DIR", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    let summary = text
        .lines()
        .find(|l| l.contains("\"event\":\"summary\""))
        .expect("summary");
    let v: serde_json::Value = serde_json::from_str(summary).expect("json");
    assert_eq!(v["lost"], 0, "{summary}");
    assert_eq!(v["sentences"], 1, "{summary}");
}

/// The console given `msgs`: `lost` beside the link in the status bar,
/// and a warning.
fn shown(msgs: Vec<LinkMsg>, lost: u64, port: u16) {
    // The console: beside the link, and a warning.
    let mut sink = Vec::new();
    let keymap = bridgewatch::app::console::Keymap::new(&Default::default()).expect("keys");
    let mut app = App::new(
        bridgewatch::traffic::config::TrafficConfig::default(),
        true,
        vec!["udp:127.0.0.1:0".into()],
        keymap,
        bridgewatch::app::alarm_log::AlarmLog::open(None, &mut sink),
    );
    for m in msgs {
        app.link(m);
    }
    assert_eq!(app.links.list[0].lost, lost);
    let warning = app
        .engine
        .traffic
        .alarms
        .ranked()
        .iter()
        .find(|a| a.text.contains("datagrams lost"))
        .map(|a| (a.priority, a.text.clone()));
    let (priority, text) = warning.expect("a warning for the lost input");
    assert_eq!(priority, Priority::Warning);
    assert!(text.contains("udp:127.0.0.1:0"), "{text}");
    let mut term = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
    bridgewatch::ui::terminal::draw(&mut app, &mut term).expect("frame");
    let rows = screen(&term);
    let status = &rows[1];
    assert!(
        status.contains(&format!(
            "● udp:127.0.0.1:0 (listening on 127.0.0.1:{port}) {lost} lost"
        )),
        "{status}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("WARNING") && r.contains("datagrams lost")),
        "{}",
        rows.join("\n")
    );
}

/// A link task on a socket whose receive buffer holds a few datagrams:
/// the socket's port, the task and its channel, after its first word and
/// a first datagram.
async fn small_buffer_link() -> (
    u16,
    tokio::task::JoinHandle<Result<String, String>>,
    tokio::sync::mpsc::Receiver<LinkMsg>,
    Vec<LinkMsg>,
) {
    let sock = udp_socket("127.0.0.1:0".parse().expect("addr")).expect("bind");
    nix::sys::socket::setsockopt(&sock, nix::sys::socket::sockopt::RcvBuf, &1024)
        .expect("SO_RCVBUF");
    let port = sock.local_addr().expect("local").port();
    let (tx, mut rx) = tokio::sync::mpsc::channel(4096);
    let task = tokio::spawn(async move { udp_listen(sock, 0, &tx).await });
    let first = rx.recv().await.expect("the link's first word");
    assert!(
        matches!(first, LinkMsg::State { up: true, .. }),
        "{first:?}"
    );
    // One datagram through first: the task is in its loop, reading, when
    // the burst comes.
    burst(port, 1);
    let line = rx.recv().await.expect("the first datagram");
    assert!(
        matches!(&line, LinkMsg::Line { line: Some(_), .. }),
        "{line:?}"
    );
    // A pause (not a measure): the runtime turns its timers, and the
    // task's first reading of the counter, due at once, is done before the
    // burst; the burst's loss then waits for the next reading.
    tokio::time::sleep(Duration::from_millis(100)).await;
    (port, task, rx, vec![first, line])
}

/// Send `n` sentences to `port` at once, from this thread (a link task
/// on the same one-thread runtime cannot read meanwhile).
fn burst(port: u16, n: u64) {
    let out = std::net::UdpSocket::bind("127.0.0.1:0").expect("sender");
    for i in 0..n {
        let s = format!(
            "!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*{:02X}\r\n",
            i % 256
        );
        out.send_to(s.as_bytes(), ("127.0.0.1", port))
            .expect("send");
    }
}

/// Take messages until every one of `sent` datagrams is received or
/// counted lost, with no further datagram sent: (lines, lost).
async fn until_all_told(
    rx: &mut tokio::sync::mpsc::Receiver<LinkMsg>,
    msgs: &mut Vec<LinkMsg>,
    sent: u64,
) -> (u64, u64) {
    let (mut lines, mut lost) = (0u64, 0u64);
    while lines + lost < sent {
        // A guard against a hang only: the count comes within a second.
        let m = tokio::time::timeout(Duration::from_secs(30), rx.recv())
            .await
            .expect("the count of the lost datagrams, with no datagram after them")
            .expect("a message");
        match &m {
            LinkMsg::Line { .. } => lines += 1,
            LinkMsg::Lines { lines: l, .. } => lines += l.len() as u64,
            LinkMsg::Lost { count, .. } => lost += count,
            other => panic!("{other:?}"),
        }
        msgs.push(m);
    }
    (lines, lost)
}

#[test]
fn a_burst_then_silence_is_counted_and_shown_without_another_datagram() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (port, task, mut rx, mut msgs) = small_buffer_link().await;
        const SENT: u64 = 2000;
        burst(port, SENT);
        // Then silence: the link reads the socket's counter by itself.
        let (lines, lost) = until_all_told(&mut rx, &mut msgs, SENT).await;
        assert!(lost > 0, "a burst of {SENT} overflows a 1 KiB buffer");
        assert_eq!(
            lines + lost,
            SENT,
            "every datagram received or counted once"
        );
        // Nothing more to tell: asked again, the link counts no drop twice.
        report_udp_drops();
        tokio::task::yield_now().await;
        let more: Vec<_> = std::iter::from_fn(|| rx.try_recv().ok())
            .filter(|m| matches!(m, LinkMsg::Lost { .. }))
            .collect();
        assert!(more.is_empty(), "{more:?}");
        task.abort();
        shown(msgs, lost, port);
    });
}

#[test]
fn asked_for_its_drops_a_link_tells_them_at_once() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (port, task, mut rx, mut msgs) = small_buffer_link().await;
        const SENT: u64 = 2000;
        burst(port, SENT);
        // Before the link task runs again (as a headless run before its
        // summary): the count is on the channel at once.
        report_udp_drops();
        let first = rx.try_recv().expect("the count, at once");
        let LinkMsg::Lost { link: 0, count } = first else {
            panic!("{first:?}")
        };
        assert!(count > 0);
        assert!(count < SENT);
        // The rest comes as lines, and the datagrams' own stamps of the
        // count add nothing to it.
        let (lines, lost) = until_all_told(&mut rx, &mut msgs, SENT - count).await;
        assert_eq!(lost, 0, "counted twice");
        assert_eq!(lines + count, SENT);
        task.abort();
    });
}
