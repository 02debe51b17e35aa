//! Link tasks against real endpoints: a serial port that is a real
//! pseudo-terminal pair opened by the test, UDP and TCP on 127.0.0.1, and a
//! TCP feed that drops and comes back.

mod common;
use bridgewatch::link::InputSpec;
use bridgewatch::link::tasks::{self, LinkMsg, Pace};
use common::serial_pty;
use std::io::Write;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

const PACE: Pace = Pace::Recorded { speed: 1.0 };
const SENTENCE: &str = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A";

thread_local! {
    static PENDING: std::cell::RefCell<std::collections::VecDeque<Vec<u8>>> =
        const { std::cell::RefCell::new(std::collections::VecDeque::new()) };
}

async fn next_line(rx: &mut mpsc::Receiver<LinkMsg>) -> Vec<u8> {
    if let Some(l) = PENDING.with(|p| p.borrow_mut().pop_front()) {
        return l;
    }
    loop {
        match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
            Ok(Some(LinkMsg::Line { line: Some(l), .. })) => return l,
            Ok(Some(LinkMsg::Lines { lines, .. })) => {
                // Lines received together: hand the rest back one by one.
                let mut it = lines.into_iter().flatten();
                if let Some(first) = it.next() {
                    PENDING.with(|p| p.borrow_mut().extend(it));
                    return first;
                }
            }
            Ok(Some(_)) => continue,
            Ok(None) => panic!("link task ended"),
            Err(_) => panic!("no line within 10 s"),
        }
    }
}

async fn next_state(rx: &mut mpsc::Receiver<LinkMsg>) -> (bool, String) {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
            Ok(Some(LinkMsg::State { up, detail, .. })) => return (up, detail),
            Ok(Some(_)) => continue,
            Ok(None) => panic!("link task ended"),
            Err(_) => panic!("no state change within 10 s"),
        }
    }
}

#[tokio::test]
async fn serial_port_on_a_pseudo_terminal_pair() {
    let pair = serial_pty::pair();
    let path = pair.master.tty_name().expect("slave path");
    let mut writer = pair.master.take_writer().expect("writer");
    let (tx, mut rx) = mpsc::channel(tasks::CHANNEL_CAPACITY);
    let spec = InputSpec::parse(&format!("serial:{}@38400", path.display())).unwrap();
    let task = tasks::spawn(spec, 0, PACE, tx);
    let (up, detail) = next_state(&mut rx).await;
    assert!(up, "{detail}");
    // The transponder talks: two sentences, one split across writes.
    writer
        .write_all(format!("{SENTENCE}\r\n{}", &SENTENCE[..20]).as_bytes())
        .unwrap();
    writer.flush().unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    writer
        .write_all(format!("{}\r\n", &SENTENCE[20..]).as_bytes())
        .unwrap();
    writer.flush().unwrap();
    assert_eq!(next_line(&mut rx).await, SENTENCE.as_bytes());
    assert_eq!(next_line(&mut rx).await, SENTENCE.as_bytes());
    task.abort();
    drop(pair.slave);
}

#[tokio::test]
async fn udp_on_loopback() {
    let probe = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap();
    drop(probe);
    let (tx, mut rx) = mpsc::channel(tasks::CHANNEL_CAPACITY);
    let task = tasks::spawn(InputSpec::Udp(addr), 0, PACE, tx);
    assert!(next_state(&mut rx).await.0);
    let sender = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    // Two sentences in one datagram, the last without a terminator.
    sender
        .send_to(format!("{SENTENCE}\r\n{SENTENCE}").as_bytes(), addr)
        .await
        .unwrap();
    assert_eq!(next_line(&mut rx).await, SENTENCE.as_bytes());
    assert_eq!(next_line(&mut rx).await, SENTENCE.as_bytes());
    task.abort();
}

#[tokio::test]
async fn tcp_feed_that_drops_and_comes_back() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, mut rx) = mpsc::channel(tasks::CHANNEL_CAPACITY);
    let task = tasks::spawn(InputSpec::Tcp(addr.to_string()), 0, PACE, tx);
    let (mut conn, _) = listener.accept().await.unwrap();
    assert!(next_state(&mut rx).await.0);
    conn.write_all(format!("{SENTENCE}\r\n").as_bytes())
        .await
        .unwrap();
    assert_eq!(next_line(&mut rx).await, SENTENCE.as_bytes());
    // The feed drops: the link reports down…
    drop(conn);
    let (up, detail) = next_state(&mut rx).await;
    assert!(!up, "{detail}");
    // …and reconnects by itself after its backoff.
    let (mut conn, _) = tokio::time::timeout(Duration::from_secs(10), listener.accept())
        .await
        .expect("reconnected within the backoff")
        .unwrap();
    assert!(next_state(&mut rx).await.0);
    conn.write_all(format!("{SENTENCE}\n").as_bytes())
        .await
        .unwrap();
    assert_eq!(next_line(&mut rx).await, SENTENCE.as_bytes());
    task.abort();
}

#[tokio::test]
async fn tcp_target_not_listening_is_retried_not_fatal() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap();
    drop(probe);
    let (tx, mut rx) = mpsc::channel(tasks::CHANNEL_CAPACITY);
    let task = tasks::spawn(InputSpec::Tcp(addr.to_string()), 0, PACE, tx);
    let (up, detail) = next_state(&mut rx).await;
    assert!(!up && !detail.is_empty());
    // Now the server appears; the next attempt connects.
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    let _conn = tokio::time::timeout(Duration::from_secs(10), listener.accept())
        .await
        .expect("retried")
        .unwrap();
    assert!(next_state(&mut rx).await.0);
    task.abort();
}

#[tokio::test(start_paused = true)]
async fn file_replay_keeps_the_recorded_pace() {
    // Three lines one minute apart in data time, replayed at 60×: about
    // one second each (tokio's paused clock makes this exact).
    let mk = |ms: i64| {
        let tag = format!("c:{ms}");
        format!(
            "\\{tag}*{:02X}\\{SENTENCE}\r\n",
            bridgewatch::nmea::checksum(tag.as_bytes())
        )
    };
    let text = format!(
        "{}{}{}",
        mk(1_700_000_000_000),
        mk(1_700_000_060_000),
        mk(1_700_000_120_000)
    );
    let (tx, mut rx) = mpsc::channel(tasks::CHANNEL_CAPACITY);
    let start = tokio::time::Instant::now();
    let h = tokio::spawn(async move {
        tasks::replay_bytes(
            text.as_bytes(),
            0,
            Pace::Recorded { speed: 60.0 },
            "test",
            &tx,
        )
        .await
    });
    let mut at = Vec::new();
    for _ in 0..3 {
        next_line(&mut rx).await;
        at.push((tokio::time::Instant::now() - start).as_millis());
    }
    h.await.unwrap();
    assert_eq!(at, [0, 1000, 2000]);
}
