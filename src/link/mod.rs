//! Inputs: the only place that touches files, ports and sockets. The tokio
//! link tasks ([`tasks`]) serve the console and headless mode alike; this
//! module holds the input syntax ([`InputSpec`]), the line readers shared
//! with `decode`, and the raw [`recorder`].

pub mod aiip_server;
pub mod journal;
pub mod recorder;
pub mod tasks;

use crate::nmea::reader::{Line, LineFramer};
use std::io::{self, Read};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

/// An input as given with `--input` or in the config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSpec {
    /// `file:PATH` — replay a recorded log.
    File(PathBuf),
    /// `udp:ADDR:PORT` — listen for NMEA datagrams.
    Udp(SocketAddr),
    /// `tcp:HOST:PORT` — connect to a feed.
    Tcp(String),
    /// `serial:/dev/ttyUSB0[@38400]`.
    Serial { path: String, baud: u32 },
    /// `aiip:HOST:PORT`.
    Aiip(String),
}

impl InputSpec {
    /// Parse `kind:rest`.
    pub fn parse(s: &str) -> Result<InputSpec, String> {
        let (kind, rest) = s
            .split_once(':')
            .ok_or_else(|| format!("input {s:?}: expected file:, udp:, tcp:, serial: or aiip:"))?;
        match kind {
            "file" => Ok(InputSpec::File(PathBuf::from(rest))),
            "udp" => rest
                .parse()
                .map(InputSpec::Udp)
                .map_err(|e| format!("input {s:?}: {e} (expected udp:ADDR:PORT)")),
            "tcp" => Ok(InputSpec::Tcp(rest.to_string())),
            "aiip" => Ok(InputSpec::Aiip(rest.to_string())),
            "serial" => {
                let (path, baud) = match rest.split_once('@') {
                    Some((p, b)) => (
                        p,
                        b.parse()
                            .map_err(|_| format!("input {s:?}: baud rate {b:?} is not a number"))?,
                    ),
                    None => (rest, 38_400),
                };
                Ok(InputSpec::Serial {
                    path: path.to_string(),
                    baud,
                })
            }
            other => Err(format!("input {s:?}: unknown kind {other:?}")),
        }
    }

    /// The name shown in link events.
    pub fn name(&self) -> String {
        match self {
            InputSpec::File(p) => format!("file:{}", p.display()),
            InputSpec::Udp(a) => format!("udp:{a}"),
            InputSpec::Tcp(a) => format!("tcp:{a}"),
            InputSpec::Serial { path, baud } => format!("serial:{path}@{baud}"),
            InputSpec::Aiip(a) => format!("aiip:{a}"),
        }
    }
}

/// Wall-clock time in ms since the epoch (for live inputs).
pub fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Feed every line of `input` to `f`, over-long ones as [`Line::Overlong`].
pub fn read_lines<R: Read>(input: R, mut f: impl FnMut(Line<'_>)) -> io::Result<()> {
    read_numbered_lines(input, |_, l| f(l))
}

/// [`read_lines`] with each line's number in the input (1-based, blank
/// lines counted), for error reports that point at the right line.
pub fn read_numbered_lines<R: Read>(
    mut input: R,
    mut f: impl FnMut(u64, Line<'_>),
) -> io::Result<()> {
    let mut framer = LineFramer::default();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        framer.push(&buf[..n]);
        while let Some((n, l)) = framer.next_numbered() {
            f(n, l);
        }
    }
    if let Some((n, l)) = framer.finish_numbered() {
        f(n, l);
    }
    Ok(())
}

/// Every line of one datagram (the last may lack its terminator); `None`
/// for an over-long line.
pub fn datagram_lines(bytes: &[u8], mut f: impl FnMut(Option<&[u8]>)) {
    let mut framer = LineFramer::default();
    framer.push(bytes);
    while let Some(l) = framer.next() {
        f(l.bytes());
    }
    if let Some(l) = framer.finish() {
        f(l.bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        assert_eq!(
            InputSpec::parse("serial:/dev/ttyUSB0").unwrap(),
            InputSpec::Serial {
                path: "/dev/ttyUSB0".into(),
                baud: 38_400
            }
        );
        assert_eq!(
            InputSpec::parse("serial:/dev/ttyS1@4800").unwrap(),
            InputSpec::Serial {
                path: "/dev/ttyS1".into(),
                baud: 4800
            }
        );
        assert!(matches!(
            InputSpec::parse("udp:127.0.0.1:10110").unwrap(),
            InputSpec::Udp(_)
        ));
        assert!(InputSpec::parse("udp:nonsense").is_err());
        assert!(InputSpec::parse("ftp:x").is_err());
    }
}
