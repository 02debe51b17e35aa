//! Tokio tasks for the console's inputs: file replay at the recorded pace,
//! UDP listening, TCP and serial connections with reconnect and backoff.
//! Each task owns its socket or port and sends owned lines and state changes
//! over a channel; only the app loop mutates state. A failing link reports
//! itself and is retried; it never stops the console.

use super::{InputSpec, wall_ms};
use crate::clock::DataClock;
use crate::nmea::reader::{Line, LineFramer};
use crate::nmea::{self, gnss};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::sync::mpsc::UnboundedSender;

/// What a link task reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkMsg {
    /// A complete line (`None` = an over-long line was dropped).
    Line {
        link: usize,
        received_ms: i64,
        line: Option<Vec<u8>>,
    },
    /// The link went up or down; `detail` says why.
    State {
        link: usize,
        up: bool,
        detail: String,
    },
    /// A file replay reached its end.
    Finished { link: usize },
}

/// Backoff between reconnects: 1, 2, 4 … 30 s.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_secs(1u64 << attempt.min(5)).min(Duration::from_secs(30))
}

/// Start the task for one input; `speed` scales file replay.
pub fn spawn(
    spec: InputSpec,
    link: usize,
    speed: f64,
    tx: UnboundedSender<LinkMsg>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        match spec {
            InputSpec::File(path) => replay(path, link, speed, tx).await,
            InputSpec::Udp(addr) => retrying(link, &tx, || udp(addr, link, &tx)).await,
            InputSpec::Tcp(addr) => {
                let (addr, tx) = (&addr, &tx);
                retrying(link, tx, || async move {
                    let s = tokio::net::TcpStream::connect(addr)
                        .await
                        .map_err(|e| e.to_string())?;
                    Ok(serve(s, link, tx, format!("connected to {addr}")).await)
                })
                .await
            }
            InputSpec::Serial { path, baud } => {
                use tokio_serial::SerialPortBuilderExt;
                let (path, tx) = (&path, &tx);
                retrying(link, tx, || async move {
                    let port = tokio_serial::new(path, baud)
                        .open_native_async()
                        .map_err(|e| e.to_string())?;
                    Ok(serve(port, link, tx, format!("{path} at {baud} baud")).await)
                })
                .await
            }
            InputSpec::Aiip(_) => {
                let _ = tx.send(LinkMsg::State {
                    link,
                    up: false,
                    detail: "AI-IP is not implemented yet".into(),
                });
            }
        }
    })
}

/// Run a link session again and again for as long as the console listens:
/// `session` opens its port or socket, reports itself up and serves until
/// it fails, returning why (`Ok`), or fails to open (`Err`); either way the
/// link is reported down and retried after the backoff.
async fn retrying<F, Fut>(link: usize, tx: &UnboundedSender<LinkMsg>, mut session: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<String, String>>,
{
    let mut attempt = 0;
    loop {
        let detail = match session().await {
            Ok(why) => {
                attempt = 0;
                why
            }
            Err(e) => e,
        };
        let _ = tx.send(LinkMsg::State {
            link,
            up: false,
            detail,
        });
        if tx.is_closed() {
            return;
        }
        tokio::time::sleep(backoff(attempt)).await;
        attempt += 1;
    }
}

/// Report the link up, then read lines from the stream until it ends.
async fn serve<R: AsyncRead + Unpin>(
    r: R,
    link: usize,
    tx: &UnboundedSender<LinkMsg>,
    detail: String,
) -> String {
    let _ = tx.send(LinkMsg::State {
        link,
        up: true,
        detail,
    });
    pump(r, link, tx).await
}

/// Hand one received line (`None`: over-long, dropped) to the app loop;
/// false once the console has gone.
fn send_line(
    tx: &UnboundedSender<LinkMsg>,
    link: usize,
    received_ms: i64,
    line: Option<Vec<u8>>,
) -> bool {
    tx.send(LinkMsg::Line {
        link,
        received_ms,
        line,
    })
    .is_ok()
}

/// Read lines from a stream until it ends; returns why it ended.
async fn pump<R: AsyncRead + Unpin>(
    mut r: R,
    link: usize,
    tx: &UnboundedSender<LinkMsg>,
) -> String {
    let mut framer = LineFramer::default();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match r.read(&mut buf).await {
            Ok(0) => return "connection closed".into(),
            Ok(n) => {
                let now = wall_ms();
                framer.push(&buf[..n]);
                while let Some(l) = framer.next() {
                    let line = match l {
                        Line::Complete(b) => Some(b.to_vec()),
                        Line::Overlong { .. } => None,
                    };
                    if !send_line(tx, link, now, line) {
                        return "console closed".into();
                    }
                }
            }
            Err(e) => return e.to_string(),
        }
    }
}

async fn udp(
    addr: std::net::SocketAddr,
    link: usize,
    tx: &UnboundedSender<LinkMsg>,
) -> Result<String, String> {
    let sock = tokio::net::UdpSocket::bind(addr)
        .await
        .map_err(|e| e.to_string())?;
    let _ = tx.send(LinkMsg::State {
        link,
        up: true,
        detail: format!("listening on {addr}"),
    });
    let mut buf = vec![0u8; 65_536];
    loop {
        let n = match sock.recv(&mut buf).await {
            Ok(n) => n,
            Err(e) => return Ok(e.to_string()),
        };
        let now = wall_ms();
        let mut lines = Vec::new();
        super::datagram_lines(&buf[..n], |l| lines.push(l.map(<[u8]>::to_vec)));
        for line in lines {
            if !send_line(tx, link, now, line) {
                return Ok("console closed".into());
            }
        }
    }
}

/// Replay a file at the pace of its data times (tag blocks, RMC/ZDA),
/// `speed` times faster, reading it as a stream (a log of any size).
async fn replay(path: std::path::PathBuf, link: usize, speed: f64, tx: UnboundedSender<LinkMsg>) {
    let file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(e) => {
            let _ = tx.send(LinkMsg::State {
                link,
                up: false,
                detail: format!("{}: {e}", path.display()),
            });
            return;
        }
    };
    let _ = tx.send(LinkMsg::State {
        link,
        up: true,
        detail: format!("replaying {}", path.display()),
    });
    replay_stream(file, link, speed, &tx).await;
    let _ = tx.send(LinkMsg::Finished { link });
}

/// Send the lines of `bytes` paced by their data times.
pub async fn replay_lines(bytes: &[u8], link: usize, speed: f64, tx: &UnboundedSender<LinkMsg>) {
    replay_stream(bytes, link, speed, tx).await;
}

/// Paces lines by the data time they carry.
struct Pacer {
    clock: DataClock,
    speed: f64,
    start: tokio::time::Instant,
    first: Option<i64>,
}

impl Pacer {
    /// When `line` is due, relative to the start of the replay.
    fn due(&mut self, line: &[u8]) -> Option<tokio::time::Instant> {
        if let Ok(s) = nmea::frame(line) {
            self.clock.observe_tag(&s);
            if gnss::is_gnss(s.formatter)
                && let Ok(f) = gnss::parse(&s)
            {
                self.clock.observe_fix(&f);
            }
        }
        let t = self.clock.now_ms()?;
        let first = *self.first.get_or_insert(t);
        Some(self.start + Duration::from_millis(((t - first).max(0) as f64 / self.speed) as u64))
    }
}

async fn replay_stream<R: AsyncRead + Unpin>(
    mut r: R,
    link: usize,
    speed: f64,
    tx: &UnboundedSender<LinkMsg>,
) {
    let mut pacer = Pacer {
        clock: DataClock::default(),
        speed: if speed > 0.0 { speed } else { 1.0 },
        start: tokio::time::Instant::now(),
        first: None,
    };
    let mut framer = LineFramer::default();
    let mut buf = vec![0u8; 64 * 1024];
    let mut at_end = false;
    loop {
        // Take one line out of the framer (owned), then wait for its time.
        let item = match framer.next() {
            Some(Line::Complete(b)) => Some(Some(b.to_vec())),
            Some(Line::Overlong { .. }) => Some(None),
            None if at_end => match framer.finish() {
                Some(Line::Complete(b)) => Some(Some(b.to_vec())),
                Some(Line::Overlong { .. }) => Some(None),
                None => return,
            },
            None => None,
        };
        let Some(line) = item else {
            match r.read(&mut buf).await {
                Ok(0) | Err(_) => at_end = true,
                Ok(n) => framer.push(&buf[..n]),
            }
            continue;
        };
        if let Some(l) = &line
            && let Some(due) = pacer.due(l)
        {
            tokio::time::sleep_until(due).await;
        }
        if !send_line(tx, link, wall_ms(), line) {
            return;
        }
    }
}
