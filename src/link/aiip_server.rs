//! The UDP loop of `bridgewatch aiip-server`: datagrams in, the replies of
//! [`crate::aiip::server::Server`] out, until SIGINT or SIGTERM. Beside
//! it: the local-information file, read again when it changes, the relay
//! of received AIS messages to an external system, and a one-line status
//! on standard error every minute and on SIGUSR1.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use chrono::{SecondsFormat, TimeZone, Utc};
use tokio::net::UdpSocket;

use crate::aiip::codec::MAX_DATAGRAM;
use crate::aiip::local_info::{self, LocalInfo};
use crate::aiip::server::{Server, ServerConfig, ServerStats};
use crate::aiip::validation::{Cidr, Secret};

use super::wall_ms;

/// How often the local-information file is checked for changes.
const RELOAD_CHECK: Duration = Duration::from_secs(2);

/// How often the one-line status is written.
pub const STATUS_INTERVAL: Duration = Duration::from_secs(60);

/// Relay datagrams stay below a common path MTU.
const RELAY_DATAGRAM: usize = 1400;

/// The operator's local-information file and the version in force.
#[derive(Debug)]
pub struct LocalInfoFile {
    path: PathBuf,
    station_mmsi: u32,
    modified: Option<SystemTime>,
    info: Vec<LocalInfo>,
}

impl LocalInfoFile {
    /// Read and check the file; a mistake is refused with its reason.
    pub fn load(path: PathBuf, station_mmsi: u32) -> Result<LocalInfoFile, String> {
        let (info, modified) = read(&path, station_mmsi)?;
        Ok(LocalInfoFile {
            path,
            station_mmsi,
            modified,
            info,
        })
    }

    /// The items in force.
    pub fn info(&self) -> &[LocalInfo] {
        &self.info
    }

    /// Read the file again if it changed: `Ok(true)` when new items are in
    /// force, `Err` (the old ones stay) when the new version is refused.
    pub fn reload(&mut self) -> Result<bool, String> {
        let modified = std::fs::metadata(&self.path)
            .and_then(|m| m.modified())
            .ok();
        if modified == self.modified {
            return Ok(false);
        }
        self.modified = modified;
        let (info, _) = read(&self.path, self.station_mmsi)?;
        self.info = info;
        Ok(true)
    }
}

fn read(path: &PathBuf, mmsi: u32) -> Result<(Vec<LocalInfo>, Option<SystemTime>), String> {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let info = local_info::parse(&text, mmsi).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((info, modified))
}

/// What runs beside the server core.
#[derive(Debug, Default)]
pub struct Options {
    pub local_info: Option<LocalInfoFile>,
    /// Where relayed AIS sentences go (§3.3.4.3).
    pub relay: Option<SocketAddr>,
    /// Networks exempt from address validation (`--allow`).
    pub allow: Vec<Cidr>,
}

/// `now_ms` (ms since the Unix epoch) in RFC 3339, UTC, to the second.
fn rfc3339(now_ms: i64) -> String {
    match Utc.timestamp_millis_opt(now_ms).single() {
        Some(t) => t.to_rfc3339_opts(SecondsFormat::Secs, true),
        None => "-".to_owned(),
    }
}

/// The one-line status at `now_ms`: the time (RFC 3339, UTC), sources,
/// vessels, traffic and every refusal.
pub fn status_line(server: &Server<SocketAddr>, now_ms: i64) -> String {
    let st = server.stats();
    format!(
        "{} bridgewatch aiip-server: status: sources={} vessels={} datagrams={} replies={} {}",
        rfc3339(now_ms),
        server.source_count(),
        server.store().vessel_count(),
        st.datagrams,
        st.replies,
        st.guard_counts()
    )
}

/// The last line, at SIGINT or SIGTERM: the fields of [`status_line`] and
/// every counter, the refusals by reason among them.
pub fn final_line(server: &Server<SocketAddr>, now_ms: i64) -> String {
    format!(
        "{} bridgewatch aiip-server: stopped: sources={} vessels={} {}",
        rfc3339(now_ms),
        server.source_count(),
        server.store().vessel_count(),
        server.stats()
    )
}

/// Serves AI-IP on `listen` until SIGINT or SIGTERM; says where it listens
/// on `err`, writes [`final_line`] there at the end and returns the
/// counters.
pub fn run(
    listen: SocketAddr,
    config: ServerConfig,
    options: Options,
    err: &mut dyn Write,
) -> io::Result<ServerStats> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let socket = UdpSocket::bind(listen).await?;
        let local = socket.local_addr()?;
        writeln!(err, "bridgewatch aiip-server: listening on udp {local}")?;
        if options.allow.is_empty() {
            writeln!(
                err,
                "bridgewatch aiip-server: every client proves its address (no --allow)"
            )?;
        } else {
            let nets: Vec<String> = options.allow.iter().map(Cidr::to_string).collect();
            writeln!(
                err,
                "bridgewatch aiip-server: no address proof asked of {}",
                nets.join(", ")
            )?;
        }
        if let Some(f) = &options.local_info {
            writeln!(
                err,
                "bridgewatch aiip-server: {} local information item(s) from {}",
                f.info().len(),
                f.path.display()
            )?;
        }
        err.flush()?;
        let mut server = Server::new(config);
        server.set_secret(os_secret());
        server.set_allowed(options.allow.clone());
        serve(&socket, &mut server, options, err).await?;
        writeln!(err, "{}", final_line(&server, wall_ms()))?;
        err.flush()?;
        Ok(server.stats().clone())
    })
}

/// Answers datagrams on `socket` until SIGINT or SIGTERM.
pub async fn serve(
    socket: &UdpSocket,
    server: &mut Server<SocketAddr>,
    mut options: Options,
    err: &mut dyn Write,
) -> io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut usr1 = signal(SignalKind::user_defined1())?;
    let mut status = tokio::time::interval_at(
        tokio::time::Instant::now() + STATUS_INTERVAL,
        STATUS_INTERVAL,
    );
    status.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    if let Some(f) = &options.local_info {
        server.set_local_info(f.info().to_vec());
    }
    let relay = match options.relay {
        Some(_) => Some(UdpSocket::bind(unspecified_like(socket)).await?),
        None => None,
    };
    let mut check = tokio::time::interval(RELOAD_CHECK);
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    // One byte more than the largest datagram, so an oversized one shows
    // up as such instead of being cut to a valid-looking size.
    let mut buf = vec![0u8; MAX_DATAGRAM + 1];
    loop {
        tokio::select! {
            _ = term.recv() => return Ok(()),
            _ = int.recv() => return Ok(()),
            _ = status.tick() => {
                let _ = writeln!(err, "{}", status_line(server, wall_ms()));
                let _ = err.flush();
            }
            _ = usr1.recv() => {
                let _ = writeln!(err, "{}", status_line(server, wall_ms()));
                let _ = err.flush();
            }
            _ = check.tick() => {
                if let Some(f) = options.local_info.as_mut() {
                    match f.reload() {
                        Ok(true) => {
                            server.set_local_info(f.info().to_vec());
                            let _ = writeln!(err, "bridgewatch aiip-server: local information \
                                read again: {} item(s)", f.info().len());
                        }
                        Ok(false) => {}
                        Err(e) => {
                            tracing::warn!("local information refused: {e}");
                            let _ = writeln!(err, "bridgewatch aiip-server: {e}; the previous \
                                local information stays in force");
                        }
                    }
                }
                // Renewals of signed-off vessels fall due with time alone.
                server.tick(wall_ms());
            }
            received = socket.recv_from(&mut buf) => {
                // A failed receive (e.g. an ICMP error reported late) ends
                // nothing: the next datagram is read as usual.
                let Ok((n, from)) = received else { continue };
                let data = buf.get(..n).unwrap_or(&[]);
                for (to, reply) in server.handle(data, from, wall_ms()) {
                    // UDP: a reply that cannot be sent is lost, as on the wire.
                    let _ = socket.send_to(&reply, to).await;
                }
            }
        }
        if let (Some(out), Some(to)) = (&relay, options.relay) {
            for d in relay_datagrams(&server.take_relay()) {
                let _ = out.send_to(&d, to).await;
            }
        }
    }
}

/// An address of the same family as `socket`'s, any port.
fn unspecified_like(socket: &UdpSocket) -> SocketAddr {
    match socket.local_addr() {
        Ok(SocketAddr::V6(_)) => SocketAddr::from(([0u16; 8], 0)),
        _ => SocketAddr::from(([0, 0, 0, 0], 0)),
    }
}

/// Sentences packed into datagrams of at most [`RELAY_DATAGRAM`] bytes,
/// CR LF after each; a sentence is never split.
pub fn relay_datagrams(sentences: &[String]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    for s in sentences {
        if !cur.is_empty() && cur.len() + s.len() + 2 > RELAY_DATAGRAM {
            out.push(std::mem::take(&mut cur));
        }
        cur.extend_from_slice(s.as_bytes());
        cur.extend_from_slice(b"\r\n");
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The token secret from the operating system's randomness
/// (`/dev/urandom`), else from the process's random hash seeds.
fn os_secret() -> Secret {
    let mut bytes = [0u8; 32];
    match std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
    {
        Ok(()) => Secret::from_bytes(bytes),
        Err(_) => Secret::random(),
    }
}
