//! The real binary in a real pseudo-terminal: keys in, the screen read back
//! through a VT100 parser. The terminal bell (BEL, 0x07) is counted from
//! the raw bytes, each with the screen as it stood when the bell came.
#![allow(dead_code)]

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Screen {
    pub parser: Arc<Mutex<vt100::Parser>>,
    /// One entry per BEL received: the screen's text at that moment.
    bell_screens: Arc<Mutex<Vec<String>>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Screen {
    /// Start the binary with `args` on a `rows`×`cols` terminal, its data
    /// directory (and config directory) in `data_dir`.
    pub fn start_sized(args: &[&str], data_dir: &Path, rows: u16, cols: u16) -> Screen {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_bridgewatch"));
        cmd.args(args);
        cmd.env("BRIDGEWATCH_DATA_DIR", data_dir);
        cmd.env("XDG_CONFIG_HOME", data_dir);
        cmd.env("TERM", "xterm-256color");
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZeroU16::new(rows).expect("rows"),
            std::num::NonZeroU16::new(cols).expect("cols"),
            0,
        )));
        let bell_screens = Arc::new(Mutex::new(Vec::new()));
        let (p, b) = (parser.clone(), bell_screens.clone());
        std::thread::spawn(move || {
            let _master = pair.master;
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut p) = p.lock() {
                    // Feed up to each BEL, then note the screen it rang on.
                    let mut rest = &buf[..n];
                    while let Some(i) = rest.iter().position(|&c| c == 0x07) {
                        p.process(&rest[..=i]);
                        if let Ok(mut b) = b.lock() {
                            b.push(p.screen().contents());
                        }
                        rest = &rest[i + 1..];
                    }
                    p.process(rest);
                }
            }
        });
        Screen {
            parser,
            bell_screens,
            writer,
            child,
        }
    }

    /// [`start_sized`](Self::start_sized) on a 45×150 terminal.
    pub fn start(args: &[&str], data_dir: &Path) -> Screen {
        Screen::start_sized(args, data_dir, 45, 150)
    }

    pub fn text(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Wait (up to 20 s) until the screen shows `what`; the screen then.
    pub fn wait_for(&self, what: &str) -> String {
        let end = Instant::now() + Duration::from_secs(20);
        loop {
            let t = self.text();
            if t.contains(what) {
                return t;
            }
            assert!(Instant::now() < end, "screen never showed {what:?}:\n{t}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Wait (up to 30 s) until the screen satisfies `ok`; the screen then.
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + Duration::from_secs(30);
        loop {
            let t = self.text();
            if ok(&t) {
                return t;
            }
            assert!(Instant::now() < end, "screen never showed {what}:\n{t}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The screens at each BEL so far.
    pub fn bells(&self) -> Vec<String> {
        self.bell_screens
            .lock()
            .map(|b| b.clone())
            .unwrap_or_default()
    }

    /// Wait (up to 30 s) until at least `n` BELs have come.
    pub fn wait_bells(&self, n: usize) -> Vec<String> {
        let end = Instant::now() + Duration::from_secs(30);
        loop {
            let b = self.bells();
            if b.len() >= n {
                return b;
            }
            assert!(
                Instant::now() < end,
                "only {} bell(s), expected {n}:\n{}",
                b.len(),
                self.text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn key(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write key");
        self.writer.flush().expect("flush");
    }

    /// Wait (up to 10 s) for the program to end.
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let end = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(st) = self.child.try_wait().expect("wait") {
                return st;
            }
            assert!(Instant::now() < end, "did not quit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Quit, answering "y" if the console asks because an alarm is
    /// unacknowledged; the exit status must be success.
    pub fn quit(&mut self) {
        self.key(b"q");
        let end = Instant::now() + Duration::from_secs(5);
        loop {
            if let Some(st) = self.child.try_wait().expect("wait") {
                assert!(st.success());
                return;
            }
            if self.text().contains("Quit the watch anyway?") {
                self.key(b"y");
                assert!(self.wait_exit().success());
                return;
            }
            assert!(Instant::now() < end, "did not quit");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
