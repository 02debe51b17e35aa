//! The UDP loop of `bridgewatch aiip-server`: datagrams in, the replies of
//! [`crate::aiip::server::Server`] out, until SIGINT or SIGTERM.

use std::io::{self, Write};
use std::net::SocketAddr;

use tokio::net::UdpSocket;

use crate::aiip::codec::MAX_DATAGRAM;
use crate::aiip::server::{Server, ServerConfig, ServerStats};

use super::wall_ms;

/// Serves AI-IP on `listen` until SIGINT or SIGTERM; says where it listens
/// on `err` and returns the counters.
pub fn run(
    listen: SocketAddr,
    config: ServerConfig,
    err: &mut dyn Write,
) -> io::Result<ServerStats> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let socket = UdpSocket::bind(listen).await?;
        let local = socket.local_addr()?;
        writeln!(err, "bridgewatch aiip-server: listening on udp {local}")?;
        err.flush()?;
        let mut server = Server::new(config);
        serve(&socket, &mut server).await?;
        Ok(server.stats().clone())
    })
}

/// Answers datagrams on `socket` until SIGINT or SIGTERM.
pub async fn serve(socket: &UdpSocket, server: &mut Server<SocketAddr>) -> io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    // One byte more than the largest datagram, so an oversized one shows
    // up as such instead of being cut to a valid-looking size.
    let mut buf = vec![0u8; MAX_DATAGRAM + 1];
    loop {
        tokio::select! {
            _ = term.recv() => return Ok(()),
            _ = int.recv() => return Ok(()),
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
    }
}
