//! Tokio tasks for the inputs of both modes, console and headless: file
//! replay (at the recorded pace, or as fast as the engine takes it), UDP
//! listening, TCP and serial connections with reconnect and backoff.
//! Each task owns its socket or port and sends owned lines and state changes
//! over one bounded channel (a fast replay waits for the engine instead of
//! filling memory); only the app loop mutates state. A failing link reports
//! itself and is retried; a task that dies is reported and restarted. Nothing
//! here stops the watch.
//!
//! Serial and TCP links can also be written ([`spawn_writable`]): a writer
//! task per link, living across reconnects, writes each [`Outgoing`] to the
//! current session with CRLF line ends and reports [`LinkMsg::Wrote`]; a
//! write while the link is down fails at once, with the reason.

use super::{InputSpec, wall_ms};
use crate::clock::DataClock;
use crate::nmea::reader::{Line, LineFramer};
use crate::nmea::{self, gnss};
use crate::voyage::desk::WriteTag;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc::Sender;

/// How many messages may wait for the app loop before a link task waits.
/// A message holds at most one read (16 KiB), so what waits is bounded to
/// about 16 MiB however fast a replay reads.
pub const CHANNEL_CAPACITY: usize = 1024;

/// Lines a paced replay sends together at most when they are all due.
const REPLAY_BATCH: usize = 256;

/// Lines a replay looks ahead for its first data time.
const LOOK_AHEAD_LINES: u32 = 200_000;

/// What a link task reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkMsg {
    /// A complete line (`None` = an over-long line was dropped).
    Line {
        link: usize,
        received_ms: i64,
        line: Option<Vec<u8>>,
    },
    /// Several lines received together (one read, one datagram, or a
    /// stretch of an unpaced replay): one message instead of many, so a
    /// fast feed costs the channel little.
    Lines {
        link: usize,
        received_ms: i64,
        lines: Vec<Option<Vec<u8>>>,
    },
    /// The link went up or down; `detail` says why.
    State {
        link: usize,
        up: bool,
        detail: String,
    },
    /// Sent by a replay before its first line: the first data time in the
    /// file (tag block `c:`, else RMC/ZDA), found by looking ahead, so that
    /// reports before the first clock sentence are stamped with it; `None`
    /// when the file carries no time at all.
    ReplayClock { link: usize, first_ms: Option<i64> },
    /// A file replay reached its end, having read `count`.
    Finished { link: usize, count: ReplayCount },
    /// Input lost before it reached the link task: `count` more datagrams
    /// the system dropped on a UDP input (its receive buffer was full).
    Lost { link: usize, count: u64 },
    /// One datagram from an AI-IP server (an `aiip:` link), for the app
    /// loop's AI-IP client. At most [`AIIP_RECV_BUFFER`] bytes: a longer
    /// one arrives cut to that length, which the client counts as
    /// oversized and drops.
    Datagram {
        link: usize,
        received_ms: i64,
        bytes: Vec<u8>,
    },
    /// The sentences of one [`Outgoing`] were written to a writable link
    /// (`Ok`), or not, and why (the link was down, the write failed).
    Wrote {
        link: usize,
        tag: WriteTag,
        result: Result<(), String>,
    },
}

/// Sentences for a writable link (serial, TCP): written in order, each
/// line ended with CRLF, the result reported as [`LinkMsg::Wrote`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub tag: WriteTag,
    pub lines: Vec<String>,
}

/// A write that takes longer has failed (a port that takes no data).
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// How many writes may wait for a writable link.
pub const WRITE_QUEUE: usize = 64;

/// The write half of the current session of a writable link; `None`
/// while the link is down. Shared between the session (which puts it
/// there when it connects and takes it away when it ends) and the link's
/// writer task, which lives across reconnects.
type WriteSlot = Arc<tokio::sync::Mutex<Option<Box<dyn AsyncWrite + Send + Unpin>>>>;

/// What a replay read: its lines (comment lines starting with `#` left
/// out) and how many of them are not NMEA, that is hold no sentence whose
/// checksum holds (binary garbage, another format, over-long lines).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReplayCount {
    pub lines: u64,
    pub not_nmea: u64,
}

impl ReplayCount {
    fn add(&mut self, line: Option<&[u8]>) {
        match line {
            Some(l) if l.first() == Some(&b'#') => {}
            Some(l) => {
                self.lines += 1;
                if nmea::frame(l).is_err() {
                    self.not_nmea += 1;
                }
            }
            None => {
                self.lines += 1;
                self.not_nmea += 1;
            }
        }
    }

    /// Lines that hold a sentence.
    pub fn nmea(&self) -> u64 {
        self.lines - self.not_nmea
    }
}

impl std::fmt::Display for ReplayCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines = if self.lines == 1 { "line" } else { "lines" };
        write!(f, "{} {lines}, {} not NMEA", self.lines, self.not_nmea)
    }
}

/// How a replay is paced.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pace {
    /// At the pace of the data times, `speed` times faster (console, and
    /// headless mode beside live inputs).
    Recorded { speed: f64 },
    /// As fast as the engine takes the lines (headless replay of files).
    Unpaced,
}

/// How long a TCP connection may take to open.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Backoff between reconnects: 1, 2, 4 … 30 s.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_secs(1u64 << attempt.min(5)).min(Duration::from_secs(30))
}

/// Aborts the task it holds when dropped, so aborting a supervisor also
/// ends the link task it watches.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Run `start()` as a task and watch it: a task that panics is reported
/// (link down, with the panic's message) and, when `restart` is set,
/// started again after the backoff. Returns when the task ends normally or
/// the app loop has gone.
pub async fn supervise<F, Fut>(link: usize, tx: Sender<LinkMsg>, restart: bool, mut start: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let mut attempt = 0;
    loop {
        let mut task = AbortOnDrop(tokio::spawn(start()));
        let ended = (&mut task.0).await;
        let Err(e) = ended else {
            return;
        };
        if !e.is_panic() {
            return;
        }
        let why = panic_message(e.into_panic());
        tracing::error!(link, "link task failed: {why}");
        let detail = if restart {
            format!("link task failed ({why}); restarting")
        } else {
            format!("link task failed ({why})")
        };
        if !state_down(&tx, link, detail).await || !restart {
            return;
        }
        tokio::time::sleep(backoff(attempt)).await;
        attempt += 1;
    }
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// Start the supervised task for one input. A file is replayed once (a
/// replay that dies is reported, not replayed twice); live links are
/// restarted.
pub fn spawn(
    spec: InputSpec,
    link: usize,
    pace: Pace,
    tx: Sender<LinkMsg>,
) -> tokio::task::JoinHandle<()> {
    spawn_link(spec, link, pace, tx, None)
}

fn spawn_link(
    spec: InputSpec,
    link: usize,
    pace: Pace,
    tx: Sender<LinkMsg>,
    slot: Option<WriteSlot>,
) -> tokio::task::JoinHandle<()> {
    let restart = !matches!(spec, InputSpec::File(_));
    let sup_tx = tx.clone();
    tokio::spawn(supervise(link, sup_tx, restart, move || {
        let (spec, tx, slot) = (spec.clone(), tx.clone(), slot.clone());
        async move { run_link(spec, link, pace, tx, slot).await }
    }))
}

/// Whether an input can be written to (serial and TCP links).
pub fn writable(spec: &InputSpec) -> bool {
    matches!(spec, InputSpec::Serial { .. } | InputSpec::Tcp(_))
}

/// [`spawn`], and for a writable link (serial, TCP) a queue to write to
/// it: the sender lives as long as the app loop holds it, across
/// reconnects. A write while the link is down is answered at once with
/// `Wrote { result: Err("link down …") }`. `None` for inputs that cannot be
/// written (file, UDP, AI-IP).
pub fn spawn_writable(
    spec: InputSpec,
    link: usize,
    pace: Pace,
    tx: Sender<LinkMsg>,
) -> (tokio::task::JoinHandle<()>, Option<Sender<Outgoing>>) {
    if !writable(&spec) {
        return (spawn_link(spec, link, pace, tx, None), None);
    }
    let slot: WriteSlot = Arc::new(tokio::sync::Mutex::new(None));
    let (wtx, wrx) = tokio::sync::mpsc::channel(WRITE_QUEUE);
    tokio::spawn(writer(link, wrx, slot.clone(), tx.clone()));
    (spawn_link(spec, link, pace, tx, Some(slot)), Some(wtx))
}

/// The writer of one link: takes each [`Outgoing`] in turn, writes it to
/// the session's write half if the link is up, and reports the result.
/// Ends when the app loop drops the sender or stops listening.
async fn writer(
    link: usize,
    mut rx: tokio::sync::mpsc::Receiver<Outgoing>,
    slot: WriteSlot,
    tx: Sender<LinkMsg>,
) {
    while let Some(out) = rx.recv().await {
        let result = {
            let mut guard = slot.lock().await;
            match guard.as_mut() {
                None => Err("link down: not written".to_string()),
                Some(w) => {
                    let mut bytes = Vec::new();
                    for l in &out.lines {
                        bytes.extend_from_slice(l.as_bytes());
                        bytes.extend_from_slice(b"\r\n");
                    }
                    let r = tokio::time::timeout(WRITE_TIMEOUT, async {
                        w.write_all(&bytes).await?;
                        w.flush().await
                    })
                    .await
                    .unwrap_or_else(|_| {
                        Err(std::io::Error::new(
                            std::io::ErrorKind::TimedOut,
                            "the link took no data for 5 s",
                        ))
                    });
                    match r {
                        Ok(()) => Ok(()),
                        Err(e) => {
                            // The session's reader finds out too; until it
                            // reconnects, further writes fail at once.
                            *guard = None;
                            Err(format!("write failed: {e}"))
                        }
                    }
                }
            }
        };
        if let Err(e) = &result {
            tracing::warn!(link, "write to link: {e}");
        }
        let msg = LinkMsg::Wrote {
            link,
            tag: out.tag,
            result,
        };
        if tx.send(msg).await.is_err() {
            return;
        }
    }
}

/// Replay files one after the other, in order, on one task: headless mode
/// over files alone, where the order of the lines must be the files' order.
pub fn spawn_replays(
    files: Vec<(usize, PathBuf)>,
    pace: Pace,
    tx: Sender<LinkMsg>,
) -> tokio::task::JoinHandle<()> {
    let first = files.first().map_or(0, |f| f.0);
    let sup_tx = tx.clone();
    tokio::spawn(supervise(first, sup_tx, false, move || {
        let (files, tx) = (files.clone(), tx.clone());
        async move {
            for (link, path) in files {
                replay(path, link, pace, &tx).await;
            }
        }
    }))
}

async fn run_link(
    spec: InputSpec,
    link: usize,
    pace: Pace,
    tx: Sender<LinkMsg>,
    slot: Option<WriteSlot>,
) {
    let slot = &slot;
    match spec {
        InputSpec::File(path) => replay(path, link, pace, &tx).await,
        InputSpec::Udp(addr) => retrying(link, &tx, || udp(addr, link, &tx)).await,
        InputSpec::Tcp(addr) => {
            let (addr, tx) = (&addr, &tx);
            retrying(link, tx, || async move {
                // A peer that never answers (a SYN dropped by a firewall or
                // a full backlog) would hold the link for minutes without a
                // word; after CONNECT_TIMEOUT it is reported down and
                // retried.
                let s = tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::TcpStream::connect(addr))
                    .await
                    .map_err(|_| format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()))?
                    .map_err(|e| e.to_string())?;
                Ok(serve_io(s, link, tx, slot, format!("connected to {addr}")).await)
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
                Ok(serve_io(port, link, tx, slot, format!("{path} at {baud} baud")).await)
            })
            .await
        }
        InputSpec::Aiip(addr) => {
            let (addr, tx) = (&addr, &tx);
            retrying(link, tx, || aiip_session(addr, link, tx, None)).await
        }
    }
}

/// The receive buffer of an AI-IP link: one byte more than the largest
/// datagram AI-IP allows (8192), so that a longer one is seen as too long.
pub const AIIP_RECV_BUFFER: usize = 8193;

/// How many datagrams may wait for an AI-IP link.
pub const AIIP_SEND_QUEUE: usize = 256;

/// The datagrams the app loop's AI-IP client sends, shared by the
/// sessions of one link (they live across re-opens of the socket).
type DatagramQueue = Arc<tokio::sync::Mutex<tokio::sync::mpsc::Receiver<Vec<u8>>>>;

/// Start the task of an AI-IP link (`aiip:HOST:PORT`): a UDP socket on an
/// ephemeral local port, connected to the server. Datagrams given to the
/// returned queue are sent to the server; datagrams received are handed to
/// the app loop as [`LinkMsg::Datagram`]. The link is up while the socket
/// is open; whether the server answers is the AI-IP client's state.
pub fn spawn_aiip(
    addr: String,
    link: usize,
    tx: Sender<LinkMsg>,
) -> (tokio::task::JoinHandle<()>, Sender<Vec<u8>>) {
    let (dtx, drx) = tokio::sync::mpsc::channel(AIIP_SEND_QUEUE);
    let queue: DatagramQueue = Arc::new(tokio::sync::Mutex::new(drx));
    let sup_tx = tx.clone();
    let task = tokio::spawn(supervise(link, sup_tx, true, move || {
        let (addr, tx, queue) = (addr.clone(), tx.clone(), queue.clone());
        async move {
            let (addr, tx, queue) = (&addr, &tx, &queue);
            retrying(link, tx, || aiip_session(addr, link, tx, Some(queue))).await
        }
    }));
    (task, dtx)
}

/// One session of an AI-IP link: open the socket, then send and receive
/// until the socket fails or the app loop goes. A refused datagram (ICMP
/// "port unreachable": nobody listening yet) is not a failure of the link.
async fn aiip_session(
    addr: &str,
    link: usize,
    tx: &Sender<LinkMsg>,
    queue: Option<&DatagramQueue>,
) -> Result<String, String> {
    let server = tokio::net::lookup_host(addr)
        .await
        .map_err(|e| format!("AI-IP server {addr}: {e}"))?
        .next()
        .ok_or_else(|| format!("AI-IP server {addr}: no address"))?;
    let local = if server.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    };
    let sock = tokio::net::UdpSocket::bind(local)
        .await
        .map_err(|e| format!("AI-IP socket: {e}"))?;
    sock.connect(server)
        .await
        .map_err(|e| format!("AI-IP server {server}: {e}"))?;
    let port = sock.local_addr().map(|a| a.port()).unwrap_or(0);
    if !state_up(
        tx,
        link,
        format!("AI-IP server {server}, local port {port}"),
    )
    .await
    {
        return Ok("console closed".into());
    }
    let mut out = match queue {
        Some(q) => Some(q.lock().await),
        None => None,
    };
    let mut buf = vec![0u8; AIIP_RECV_BUFFER];
    loop {
        let next_out = async {
            match out.as_mut() {
                Some(q) => q.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            r = sock.recv(&mut buf) => match r {
                Ok(n) => {
                    let msg = LinkMsg::Datagram {
                        link,
                        received_ms: wall_ms(),
                        bytes: buf[..n].to_vec(),
                    };
                    if tx.send(msg).await.is_err() {
                        return Ok("console closed".into());
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {}
                Err(e) => return Ok(format!("AI-IP socket: {e}")),
            },
            d = next_out => match d {
                Some(d) => {
                    if let Err(e) = sock.send(&d).await
                        && e.kind() != std::io::ErrorKind::ConnectionRefused
                    {
                        tracing::debug!(link, "AI-IP datagram not sent: {e}");
                    }
                }
                None => return Ok("console closed".into()),
            },
        }
    }
}

/// Run a link session again and again for as long as the app listens:
/// `session` opens its port or socket, reports itself up and serves until
/// it fails, returning why (`Ok`), or fails to open (`Err`); either way the
/// link is reported down and retried after the backoff.
async fn retrying<F, Fut>(link: usize, tx: &Sender<LinkMsg>, mut session: F)
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
        tracing::warn!(link, "link down: {detail}");
        if !state_down(tx, link, detail).await {
            return;
        }
        tokio::time::sleep(backoff(attempt)).await;
        attempt += 1;
    }
}

/// Report the link down and why; false once the app loop has gone.
async fn state_down(tx: &Sender<LinkMsg>, link: usize, detail: String) -> bool {
    tx.send(LinkMsg::State {
        link,
        up: false,
        detail,
    })
    .await
    .is_ok()
}

async fn state_up(tx: &Sender<LinkMsg>, link: usize, detail: String) -> bool {
    tracing::info!(link, "link up: {detail}");
    tx.send(LinkMsg::State {
        link,
        up: true,
        detail,
    })
    .await
    .is_ok()
}

/// Report the link up, then read lines from the stream until it ends.
async fn serve<R: AsyncRead + Unpin>(
    r: R,
    link: usize,
    tx: &Sender<LinkMsg>,
    detail: String,
) -> String {
    if !state_up(tx, link, detail).await {
        return "console closed".into();
    }
    pump(r, link, tx).await
}

/// [`serve`] for a stream that can also be written: its write half goes to
/// the link's writer (when the link has one) for as long as the session
/// lasts.
async fn serve_io<S>(
    s: S,
    link: usize,
    tx: &Sender<LinkMsg>,
    slot: &Option<WriteSlot>,
    detail: String,
) -> String
where
    S: AsyncRead + AsyncWrite + Send + Unpin + 'static,
{
    let Some(slot) = slot else {
        return serve(s, link, tx, detail).await;
    };
    let (r, w) = tokio::io::split(s);
    *slot.lock().await = Some(Box::new(w));
    let why = serve(r, link, tx, detail).await;
    *slot.lock().await = None;
    why
}

/// Hand one received line (`None`: over-long, dropped) to the app loop;
/// false once the app loop has gone.
async fn send_line(
    tx: &Sender<LinkMsg>,
    link: usize,
    received_ms: i64,
    line: Option<Vec<u8>>,
) -> bool {
    tx.send(LinkMsg::Line {
        link,
        received_ms,
        line,
    })
    .await
    .is_ok()
}

fn owned(l: Line<'_>) -> Option<Vec<u8>> {
    match l {
        Line::Complete(b) => Some(b.to_vec()),
        Line::Overlong { .. } => None,
    }
}

/// Hand the lines received together to the app loop (nothing for none);
/// false once the app loop has gone.
async fn send_lines(
    tx: &Sender<LinkMsg>,
    link: usize,
    received_ms: i64,
    mut lines: Vec<Option<Vec<u8>>>,
) -> bool {
    match lines.len() {
        0 => true,
        1 => send_line(tx, link, received_ms, lines.pop().flatten()).await,
        _ => tx
            .send(LinkMsg::Lines {
                link,
                received_ms,
                lines,
            })
            .await
            .is_ok(),
    }
}

/// Read lines from a stream until it ends; returns why it ended.
async fn pump<R: AsyncRead + Unpin>(mut r: R, link: usize, tx: &Sender<LinkMsg>) -> String {
    let mut framer = LineFramer::default();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match r.read(&mut buf).await {
            Ok(0) => return "connection closed".into(),
            Ok(n) => {
                let now = wall_ms();
                framer.push(&buf[..n]);
                let mut lines = Vec::new();
                while let Some(l) = framer.next() {
                    lines.push(owned(l));
                }
                if !send_lines(tx, link, now, lines).await {
                    return "console closed".into();
                }
            }
            Err(e) => return e.to_string(),
        }
    }
}

/// What a UDP link says while it is up: `listening on ADDR`, with the
/// address the socket is bound to (the real port when port 0 was asked).
pub const LISTENING: &str = "listening on ";

/// The receive buffer a UDP input asks for, bytes.
pub const UDP_RECEIVE_BUFFER: usize = 4 << 20;

/// A UDP socket bound to `addr` for a `udp:` input, non-blocking, that
/// counts the datagrams the kernel drops for it (a full receive buffer;
/// Linux `SO_RXQ_OVFL`: every datagram received then carries the count so
/// far, see [`udp_listen`]).
pub fn udp_socket(addr: std::net::SocketAddr) -> std::io::Result<std::net::UdpSocket> {
    let sock = std::net::UdpSocket::bind(addr)?;
    sock.set_nonblocking(true)?;
    #[cfg(target_os = "linux")]
    {
        use nix::sys::socket::{
            setsockopt,
            sockopt::{RcvBuf, RxqOvfl},
        };
        if let Err(e) = setsockopt(&sock, RxqOvfl, &1) {
            tracing::warn!("{addr}: the kernel's count of dropped datagrams is not available: {e}");
        }
        // Room for a busy feed while the app loop draws a frame: the
        // system's default (about 208 KiB) holds some 20 ms of 10,000
        // datagrams a second. The system caps it (net.core.rmem_max).
        if let Err(e) = setsockopt(&sock, RcvBuf, &UDP_RECEIVE_BUFFER) {
            tracing::warn!("{addr}: receive buffer left at the system's default: {e}");
        }
    }
    Ok(sock)
}

async fn udp(
    addr: std::net::SocketAddr,
    link: usize,
    tx: &Sender<LinkMsg>,
) -> Result<String, String> {
    let sock = udp_socket(addr).map_err(|e| e.to_string())?;
    udp_listen(sock, link, tx).await
}

/// Receive one datagram into `buf`: its length and the kernel's count of
/// datagrams dropped on this socket so far, when it says it.
fn recv_counted(fd: std::os::fd::RawFd, buf: &mut [u8]) -> std::io::Result<(usize, Option<u32>)> {
    #[cfg(target_os = "linux")]
    {
        use nix::sys::socket::{ControlMessageOwned, MsgFlags, SockaddrStorage, recvmsg};
        let mut cmsg = nix::cmsg_space!(u32);
        let mut iov = [std::io::IoSliceMut::new(buf)];
        let msg = recvmsg::<SockaddrStorage>(fd, &mut iov, Some(&mut cmsg), MsgFlags::empty())
            .map_err(std::io::Error::from)?;
        let mut dropped = None;
        if let Ok(cmsgs) = msg.cmsgs() {
            for c in cmsgs {
                if let ControlMessageOwned::RxqOvfl(n) = c {
                    dropped = Some(n);
                }
            }
        }
        Ok((msg.bytes, dropped))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = fd;
        let _ = buf;
        Err(std::io::Error::other("unsupported"))
    }
}

/// The kernel's count of datagrams dropped on a socket (Linux
/// `SO_MEMINFO`, its `SK_MEMINFO_DROPS` entry: the same counter that
/// `SO_RXQ_OVFL` stamps on the datagrams received), read at once, without
/// waiting for a datagram to carry it.
fn drops_now(fd: std::os::fd::RawFd) -> Option<u32> {
    #[cfg(target_os = "linux")]
    {
        use nix::libc;
        // `SO_MEMINFO` from the kernel's socket.h (the value on every
        // architecture but sparc and parisc).
        #[cfg(not(any(target_arch = "sparc", target_arch = "sparc64")))]
        const SO_MEMINFO: libc::c_int = 55;
        #[cfg(any(target_arch = "sparc", target_arch = "sparc64"))]
        const SO_MEMINFO: libc::c_int = 0x0039;
        let mut info = [0u32; 16];
        let mut len = std::mem::size_of_val(&info) as libc::socklen_t;
        // SAFETY: `info` is a writable buffer of `len` bytes; the kernel
        // writes at most `len` bytes and sets `len` to what it wrote.
        let r = unsafe {
            libc::getsockopt(
                fd,
                libc::SOL_SOCKET,
                SO_MEMINFO,
                info.as_mut_ptr().cast(),
                &mut len,
            )
        };
        let at = libc::SK_MEMINFO_DROPS as usize;
        if r != 0 || (len as usize) < (at + 1) * std::mem::size_of::<u32>() {
            return None;
        }
        Some(info[at])
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = fd;
        None
    }
}

/// A UDP input's count of dropped datagrams, read two ways: stamped on
/// the next datagram received (`SO_RXQ_OVFL`) and read from the socket
/// (`SO_MEMINFO`) once a second and before a headless run's summary. Both
/// read the one kernel counter; what was reported is kept here, so a drop
/// is reported once, by whichever reading sees it first. A stamp older
/// than a reading (the datagram was queued before the reading) is not new.
struct UdpDrops {
    link: usize,
    sock: tokio::net::UdpSocket,
    tx: Sender<LinkMsg>,
    reported: std::sync::Mutex<u32>,
}

impl UdpDrops {
    /// How many drops `total` (a reading of the counter) adds to what was
    /// reported, marking them reported; `None` when it adds none.
    fn advance(&self, total: u32) -> Option<u64> {
        let mut reported = self.reported.lock().unwrap_or_else(|e| e.into_inner());
        let new = total.wrapping_sub(*reported);
        // The counter wraps at 2^32; a difference past half of that is a
        // reading older than the last one.
        if new == 0 || new > u32::MAX / 2 {
            return None;
        }
        *reported = total;
        Some(u64::from(new))
    }

    /// Read the counter now and report what it adds, without waiting for
    /// room on the channel (a full channel: the next reading reports it).
    /// `false` when the app loop is gone.
    fn report_now(&self) -> bool {
        use std::os::fd::AsRawFd;
        let permit = match self.tx.try_reserve() {
            Ok(p) => p,
            Err(tokio::sync::mpsc::error::TrySendError::Full(())) => return true,
            Err(tokio::sync::mpsc::error::TrySendError::Closed(())) => return false,
        };
        if let Some(count) = drops_now(self.sock.as_raw_fd()).and_then(|d| self.advance(d)) {
            lost_warning(self.link, count);
            permit.send(LinkMsg::Lost {
                link: self.link,
                count,
            });
        }
        true
    }
}

fn lost_warning(link: usize, count: u64) {
    tracing::warn!(
        link,
        "{count} datagrams dropped by the system (receive buffer full)"
    );
}

/// The UDP inputs of this process, for [`report_udp_drops`].
static UDP_INPUTS: std::sync::Mutex<Vec<std::sync::Weak<UdpDrops>>> =
    std::sync::Mutex::new(Vec::new());

/// Read the drop counter of every UDP input now: each one that dropped
/// datagrams not yet reported puts a [`LinkMsg::Lost`] on its channel at
/// once (a headless run calls this before its summary, then takes what
/// is on the channel).
pub fn report_udp_drops() {
    let inputs: Vec<_> = {
        let mut list = UDP_INPUTS.lock().unwrap_or_else(|e| e.into_inner());
        list.retain(|w| w.strong_count() > 0);
        list.iter().filter_map(std::sync::Weak::upgrade).collect()
    };
    for i in inputs {
        i.report_now();
    }
}

/// How often a UDP input reads its drop counter when no datagram brings it.
const DROPS_EVERY: Duration = Duration::from_secs(1);

/// Serve a `udp:` input on a socket from [`udp_socket`]: report it up
/// with the address it is bound to, then hand each datagram's lines to the
/// app loop; datagrams the kernel dropped are reported as
/// [`LinkMsg::Lost`] as soon as the next datagram says so, or the socket's
/// counter, read once a second, does.
pub async fn udp_listen(
    sock: std::net::UdpSocket,
    link: usize,
    tx: &Sender<LinkMsg>,
) -> Result<String, String> {
    use std::os::fd::AsRawFd;
    let bound = sock.local_addr().map_err(|e| e.to_string())?;
    let sock = tokio::net::UdpSocket::from_std(sock).map_err(|e| e.to_string())?;
    // What the socket dropped before it listens (none: it is new) is not
    // this link's loss.
    let before = drops_now(sock.as_raw_fd()).unwrap_or(0);
    let drops = Arc::new(UdpDrops {
        link,
        sock,
        tx: tx.clone(),
        reported: std::sync::Mutex::new(before),
    });
    {
        // (Those of earlier sessions of a link that was retried go.)
        let mut list = UDP_INPUTS.lock().unwrap_or_else(|e| e.into_inner());
        list.retain(|w| w.strong_count() > 0);
        list.push(Arc::downgrade(&drops));
    }
    if !state_up(tx, link, format!("{LISTENING}{bound}")).await {
        return Ok("console closed".into());
    }
    let fd = drops.sock.as_raw_fd();
    let mut buf = vec![0u8; 65_536];
    let mut every = tokio::time::interval(DROPS_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let received = tokio::select! {
            r = drops.sock.async_io(tokio::io::Interest::READABLE, || recv_counted(fd, &mut buf)) => r,
            _ = every.tick() => {
                if !drops.report_now() {
                    return Ok("console closed".into());
                }
                continue;
            }
        };
        let (n, dropped) = match received {
            Ok(r) => r,
            Err(e) => return Ok(e.to_string()),
        };
        let now = wall_ms();
        if let Some(count) = dropped.and_then(|d| drops.advance(d)) {
            lost_warning(link, count);
            if tx.send(LinkMsg::Lost { link, count }).await.is_err() {
                return Ok("console closed".into());
            }
        }
        let mut lines = Vec::new();
        super::datagram_lines(&buf[..n], |l| lines.push(l.map(<[u8]>::to_vec)));
        if !send_lines(tx, link, now, lines).await {
            return Ok("console closed".into());
        }
    }
}

/// Replay a file, reading it as a stream (a log of any size): first its
/// first data time (look-ahead), then its lines, then `Finished`.
async fn replay(path: PathBuf, link: usize, pace: Pace, tx: &Sender<LinkMsg>) {
    // The look-ahead reads the file: off the thread that serves the keys
    // and the other links.
    let ahead = path.clone();
    let first_ms = tokio::task::spawn_blocking(move || first_data_time(&ahead))
        .await
        .unwrap_or(None);
    let file = match tokio::fs::File::open(&path).await {
        Ok(f) => f,
        Err(e) => {
            state_down(tx, link, format!("{}: {e}", path.display())).await;
            let count = ReplayCount::default();
            let _ = tx.send(LinkMsg::Finished { link, count }).await;
            return;
        }
    };
    // The clock first, so the link's own event is stamped with data time.
    if tx
        .send(LinkMsg::ReplayClock { link, first_ms })
        .await
        .is_err()
        || !state_up(tx, link, format!("replaying {}", path.display())).await
    {
        return;
    }
    let count = replay_stream(file, link, pace, tx).await;
    tracing::info!("{}: end of file: {count}", path.display());
    let _ = tx.send(LinkMsg::Finished { link, count }).await;
}

/// Replay lines held in memory (the built-in demo) like a file: its first
/// data time, the link up (`detail`), the lines, `Finished`.
pub async fn replay_bytes(
    bytes: &[u8],
    link: usize,
    pace: Pace,
    detail: &str,
    tx: &Sender<LinkMsg>,
) {
    let first_ms = first_data_time_in(bytes);
    if tx
        .send(LinkMsg::ReplayClock { link, first_ms })
        .await
        .is_err()
        || !state_up(tx, link, detail.to_string()).await
    {
        return;
    }
    let count = replay_stream(bytes, link, pace, tx).await;
    let _ = tx.send(LinkMsg::Finished { link, count }).await;
}

/// The first data time in a file (tag block, or RMC/ZDA), looked for in
/// its first lines.
pub fn first_data_time(path: &Path) -> Option<i64> {
    let file = std::fs::File::open(path).ok()?;
    first_data_time_in(file)
}

/// [`first_data_time`] of any reader.
pub fn first_data_time_in<R: std::io::Read>(input: R) -> Option<i64> {
    let mut clock = DataClock::default();
    let mut lines = 0u32;
    let _ = super::read_lines(input, |l| {
        if clock.now_ms().is_some() || lines > LOOK_AHEAD_LINES {
            return;
        }
        lines += 1;
        observe(&mut clock, l.bytes());
    });
    clock.now_ms()
}

fn observe(clock: &mut DataClock, line: Option<&[u8]>) {
    if let Some(Ok(s)) = line.map(nmea::frame) {
        clock.observe_tag(&s);
        if gnss::is_gnss(s.formatter)
            && let Ok(f) = gnss::parse(&s)
        {
            clock.observe_fix(&f);
        }
    }
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
        observe(&mut self.clock, Some(line));
        let t = self.clock.now_ms()?;
        let first = *self.first.get_or_insert(t);
        Some(self.start + Duration::from_millis(((t - first).max(0) as f64 / self.speed) as u64))
    }
}

async fn replay_stream<R: AsyncRead + Unpin>(
    mut r: R,
    link: usize,
    pace: Pace,
    tx: &Sender<LinkMsg>,
) -> ReplayCount {
    let mut count = ReplayCount::default();
    let mut pacer = match pace {
        Pace::Recorded { speed } => Some(Pacer {
            clock: DataClock::default(),
            speed: if speed.is_finite() && speed > 0.0 {
                speed
            } else {
                1.0
            },
            start: tokio::time::Instant::now(),
            first: None,
        }),
        Pace::Unpaced => None,
    };
    let mut framer = LineFramer::default();
    let mut buf = vec![0u8; 16 * 1024];
    if pacer.is_none() {
        // Unpaced: whatever one read holds goes as one message.
        loop {
            let n = match r.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            framer.push(&buf[..n]);
            let mut lines = Vec::new();
            while let Some(l) = framer.next() {
                lines.push(owned(l));
            }
            for l in &lines {
                count.add(l.as_deref());
            }
            if !send_lines(tx, link, wall_ms(), lines).await {
                return count;
            }
        }
        if let Some(l) = framer.finish() {
            let l = owned(l);
            count.add(l.as_deref());
            send_line(tx, link, wall_ms(), l).await;
        }
        return count;
    }
    // Paced: the lines already due go together as one message (a fast
    // replay costs the channel and the app loop per batch, not per line);
    // the batch goes before waiting for the next line's time.
    let mut at_end = false;
    let mut batch: Vec<Option<Vec<u8>>> = Vec::new();
    loop {
        // Take one line out of the framer (owned), then wait for its time.
        let item = match framer.next() {
            Some(l) => Some(owned(l)),
            None if at_end => match framer.finish() {
                Some(l) => Some(owned(l)),
                None => {
                    send_lines(tx, link, wall_ms(), batch).await;
                    return count;
                }
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
        if let (Some(p), Some(l)) = (pacer.as_mut(), &line)
            && let Some(due) = p.due(l)
            && due > tokio::time::Instant::now()
        {
            if !send_lines(tx, link, wall_ms(), std::mem::take(&mut batch)).await {
                return count;
            }
            tokio::time::sleep_until(due).await;
        }
        count.add(line.as_deref());
        batch.push(line);
        if batch.len() >= REPLAY_BATCH
            && !send_lines(tx, link, wall_ms(), std::mem::take(&mut batch)).await
        {
            return count;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test(start_paused = true)]
    async fn a_task_that_dies_is_reported_and_restarted() {
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let runs = Arc::new(AtomicU32::new(0));
        let (r, line_tx) = (runs.clone(), tx.clone());
        let sup = tokio::spawn(supervise(3, tx, true, move || {
            let (r, tx) = (r.clone(), line_tx.clone());
            async move {
                if r.fetch_add(1, Ordering::SeqCst) == 0 {
                    panic!("port driver fault");
                }
                let _ = send_line(&tx, 3, 0, Some(b"second life".to_vec())).await;
            }
        }));
        match rx.recv().await {
            Some(LinkMsg::State { link, up, detail }) => {
                assert_eq!((link, up), (3, false));
                assert!(detail.contains("port driver fault"), "{detail}");
                assert!(detail.contains("restarting"), "{detail}");
            }
            other => panic!("expected the failure report, got {other:?}"),
        }
        match rx.recv().await {
            Some(LinkMsg::Line { line, .. }) => {
                assert_eq!(line.as_deref(), Some(&b"second life"[..]))
            }
            other => panic!("expected the restarted task's line, got {other:?}"),
        }
        sup.await.expect("supervisor ends when the task ends");
        assert_eq!(runs.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_replay_that_dies_is_reported_once_and_not_replayed() {
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let runs = Arc::new(AtomicU32::new(0));
        let r = runs.clone();
        supervise(0, tx, false, move || {
            let r = r.clone();
            async move {
                r.fetch_add(1, Ordering::SeqCst);
                panic!("bad block");
            }
        })
        .await;
        assert!(matches!(
            rx.recv().await,
            Some(LinkMsg::State { up: false, .. })
        ));
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    }

    async fn next_msg(rx: &mut tokio::sync::mpsc::Receiver<LinkMsg>) -> LinkMsg {
        tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("a link message within 10 s")
            .expect("channel open")
    }

    #[tokio::test]
    async fn a_writable_tcp_link_writes_crlf_lines_and_refuses_while_down() {
        use tokio::io::AsyncReadExt;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let spec = InputSpec::Tcp(addr.to_string());
        let (_task, w) = spawn_writable(spec, 2, Pace::Unpaced, tx);
        let w = w.expect("TCP is writable");
        let (mut conn, _) = listener.accept().await.unwrap();
        assert!(matches!(
            next_msg(&mut rx).await,
            LinkMsg::State {
                link: 2,
                up: true,
                ..
            }
        ));
        let tag = WriteTag::Data("VSD");
        w.send(Outgoing {
            tag: tag.clone(),
            lines: vec!["$A*00".into(), "$B*00".into()],
        })
        .await
        .unwrap();
        let mut got = vec![0u8; 14];
        conn.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"$A*00\r\n$B*00\r\n");
        assert_eq!(
            next_msg(&mut rx).await,
            LinkMsg::Wrote {
                link: 2,
                tag: tag.clone(),
                result: Ok(())
            }
        );
        // The far end goes away: the link is down, and a write says so.
        drop(conn);
        assert!(matches!(
            next_msg(&mut rx).await,
            LinkMsg::State { up: false, .. }
        ));
        w.send(Outgoing {
            tag: tag.clone(),
            lines: vec!["$C*00".into()],
        })
        .await
        .unwrap();
        match next_msg(&mut rx).await {
            LinkMsg::Wrote {
                result: Err(why), ..
            } => assert!(why.contains("link down"), "{why}"),
            other => panic!("expected a failed write, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn files_and_udp_are_not_writable() {
        let (tx, _rx) = tokio::sync::mpsc::channel(16);
        let udp = InputSpec::Udp("127.0.0.1:0".parse().unwrap());
        let (task, w) = spawn_writable(udp, 0, Pace::Unpaced, tx);
        assert!(w.is_none());
        task.abort();
        assert!(!writable(&InputSpec::File("x".into())));
        assert!(writable(&InputSpec::Serial {
            path: "/dev/ttyUSB0".into(),
            baud: 38_400
        }));
    }
}
