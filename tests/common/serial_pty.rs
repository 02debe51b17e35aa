//! A real pseudo-terminal pair standing in for a serial line: the program
//! under test opens the slave side as `serial:PATH`, the test talks on the
//! master side.
#![allow(dead_code)]

use portable_pty::{PtyPair, PtySize, native_pty_system};
use std::io::Read;
use std::sync::mpsc::{Receiver, channel};

/// A new pair.
pub fn pair() -> PtyPair {
    native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("openpty")
}

/// `serial:SLAVE@38400` for the program's input or output.
pub fn spec(pair: &PtyPair) -> String {
    let path = pair.master.tty_name().expect("slave path");
    format!("serial:{}@38400", path.display())
}

/// What the program writes, line by line (split at LF, trimmed, empty
/// lines left out), read on a thread of its own.
pub fn lines(pair: &PtyPair) -> Receiver<String> {
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        let mut pending = Vec::new();
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            pending.extend_from_slice(&buf[..n]);
            while let Some(at) = pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = pending.drain(..=at).collect();
                let s = String::from_utf8_lossy(&line).trim().to_string();
                if !s.is_empty() && tx.send(s).is_err() {
                    return;
                }
            }
        }
    });
    rx
}
