//! Load tool: what the console costs the user under a busy feed, beside
//! headless mode on the same feed. `cargo bench --bench load` (release
//! build of the real binary) starts both modes, the console in a
//! pseudo-terminal of 160×48, each on its own `--input udp:127.0.0.1:PORT`,
//! and sends both the same UDP feed: one
//! sentence a datagram, 4,000 distinct Class A ships (type 1) moving
//! around own ship within 20 NM, 40 of them closing (alarms), and own
//! position (RMC) once a second. For each rate it reports the CPU time of
//! each process per second of feed (utime + stime from /proc), its CPU
//! while the link is quiet, the datagrams the kernel dropped on its
//! socket (/proc/net/udp, independent of our own count), and the targets
//! each mode shows at the end (headless: its `summary`; console: the list
//! title, read back through a VT100 parser).
//!
//! Settings from the environment: `LOAD_RATES` (sentences/s, comma
//! separated; default 2000,10000), `LOAD_SECONDS` (feed length; default
//! 20), `LOAD_IDLE_SECONDS` (quiet measurement; default 5), `LOAD_BIN`
//! (another build of the binary to measure, e.g. an older one).

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::UdpSocket;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const OWN: (f64, f64) = (54.5, 11.0);
const TARGETS: u32 = 4000;
const CLOSING: u32 = 40;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A ship: start position, velocity (NM per second north, east).
struct Ship {
    mmsi: u32,
    start: (f64, f64),
    v: (f64, f64),
    cog: f64,
    sog: f64,
}

fn ships() -> Vec<Ship> {
    // A fixed pseudo-random spread (no dependency on a random crate).
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..TARGETS)
        .map(|i| {
            let brg = rnd() * 360.0;
            let range = 0.5 + rnd() * 19.5;
            let (n, e) = (
                range * brg.to_radians().cos(),
                range * brg.to_radians().sin(),
            );
            // The closing ones head for own ship at 12 kn; the rest sail
            // anywhere at 0–15 kn.
            let (cog, sog) = if i < CLOSING {
                ((brg + 180.0) % 360.0, 12.0)
            } else {
                (rnd() * 360.0, rnd() * 15.0)
            };
            let v = (
                sog / 3600.0 * cog.to_radians().cos(),
                sog / 3600.0 * cog.to_radians().sin(),
            );
            Ship {
                mmsi: 211_000_000 + i,
                start: (n, e),
                v,
                cog,
                sog,
            }
        })
        .collect()
}

fn latlon(ne: (f64, f64)) -> (f64, f64) {
    (
        OWN.0 + ne.0 / 60.0,
        OWN.1 + ne.1 / (60.0 * OWN.0.to_radians().cos()),
    )
}

/// The feed of `secs` seconds at `rate` sentences per second: (due time
/// in seconds from the start, sentence with CR LF).
fn feed(ships: &[Ship], rate: u32, secs: u32) -> Vec<(f64, String)> {
    let n = rate as usize * secs as usize;
    let mut out = Vec::with_capacity(n + secs as usize);
    let t0 = bridgewatch::link::wall_ms();
    for k in 0..n {
        let t = k as f64 / f64::from(rate);
        let s = &ships[k % ships.len()];
        let p = latlon((s.start.0 + s.v.0 * t, s.start.1 + s.v.1 * t));
        let m = bridgewatch::sim::class_a(s.mmsi, p, Some(s.cog), s.sog, 0, (t as u64 % 60) as u8);
        for l in bridgewatch::sim::untagged(&m, 'A', 0) {
            out.push((t, format!("{l}\r\n")));
        }
        if k % rate as usize == 0 {
            let ms = t0 + (t * 1000.0) as i64;
            out.push((
                t,
                format!("{}\r\n", bridgewatch::sim::rmc(ms, OWN, 0.0, 0.0)),
            ));
        }
    }
    out
}

fn clk_tck() -> f64 {
    nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK)
        .ok()
        .flatten()
        .map_or(100.0, |v| v as f64)
}

/// CPU seconds a process has used (user + system).
fn cpu_s(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / clk_tck()
}

/// Datagrams the kernel dropped on the UDP socket bound to `port`.
fn kernel_drops(port: u16) -> Option<u64> {
    let t = std::fs::read_to_string("/proc/net/udp").ok()?;
    let want = format!(":{port:04X}");
    t.lines().skip(1).find_map(|l| {
        let f: Vec<&str> = l.split_whitespace().collect();
        (f.get(1)?.ends_with(&want)).then(|| f.last()?.parse().ok())?
    })
}

/// A UDP port free on 127.0.0.1 now.
fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .and_then(|s| s.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

struct Headless {
    child: std::process::Child,
    lines: Arc<Mutex<Vec<String>>>,
}

struct Console {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
}

impl Console {
    fn screen(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }
}

fn start(bin: &str, dir: &std::path::Path, hport: u16, cport: u16) -> (Headless, Console) {
    let mut h = Command::new(bin)
        .args(["--headless", "--input", &format!("udp:127.0.0.1:{hport}")])
        .env("BRIDGEWATCH_DATA_DIR", dir.join("h"))
        .env("XDG_CONFIG_HOME", dir.join("h"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("headless");
    let lines = Arc::new(Mutex::new(Vec::new()));
    let out = h.stdout.take().expect("stdout");
    let l = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            // Keep what the tool reads: the link events and the summary.
            if (line.contains("\"event\":\"link\"") || line.contains("\"summary\""))
                && let Ok(mut v) = l.lock()
            {
                v.push(line);
            }
        }
    });
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 48,
            cols: 160,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(bin);
    cmd.args(["--input", &format!("udp:127.0.0.1:{cport}")]);
    cmd.env("BRIDGEWATCH_DATA_DIR", dir.join("c"));
    cmd.env("XDG_CONFIG_HOME", dir.join("c"));
    cmd.env("TERM", "xterm-256color");
    let child = pair.slave.spawn_command(cmd).expect("console");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let writer = pair.master.take_writer().expect("writer");
    let parser = Arc::new(Mutex::new(vt100::Parser::new(
        std::num::NonZeroU16::new(48).expect("rows"),
        std::num::NonZeroU16::new(160).expect("cols"),
        0,
    )));
    let p = parser.clone();
    std::thread::spawn(move || {
        let _master = pair.master;
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut p) = p.lock() {
                p.process(&buf[..n]);
            }
        }
    });
    (
        Headless { child: h, lines },
        Console {
            child,
            parser,
            writer,
        },
    )
}

fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < end, "{what} never came");
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Result1 {
    rate: u32,
    sent: usize,
    feed_s: f64,
    cpu: [f64; 2],
    idle: [f64; 2],
    drops: [Option<u64>; 2],
    targets: [Option<u64>; 2],
    shown_lost: [Option<u64>; 2],
}

fn run(bin: &str, ships: &[Ship], rate: u32, secs: u32, idle_s: u64) -> Result1 {
    let sentences = feed(ships, rate, secs);
    let dir = tempfile::tempdir().expect("tmp");
    let (hport, cport) = (free_port(), free_port());
    let (mut h, mut c) = start(bin, dir.path(), hport, cport);
    let hpid = h.child.id();
    let cpid = c.child.process_id().expect("console pid");
    wait_for("the headless link", || {
        h.lines.lock().ok().and_then(|v| {
            v.iter()
                .find(|l| l.contains("\"state\":\"up\""))
                .map(|_| ())
        })
    });
    wait_for("the console link", || {
        c.screen().contains("● udp:").then_some(())
    });
    std::thread::sleep(Duration::from_secs(2));
    // Quiet link.
    let (h0, c0, t0) = (cpu_s(hpid), cpu_s(cpid), Instant::now());
    std::thread::sleep(Duration::from_secs(idle_s));
    let quiet = t0.elapsed().as_secs_f64();
    let idle = [(cpu_s(hpid) - h0) / quiet, (cpu_s(cpid) - c0) / quiet];
    // The feed, to both.
    let out = UdpSocket::bind("127.0.0.1:0").expect("sender");
    let (h0, c0) = (cpu_s(hpid), cpu_s(cpid));
    let start = Instant::now();
    let mut next = 0;
    while next < sentences.len() {
        let now = start.elapsed().as_secs_f64();
        while next < sentences.len() && sentences[next].0 <= now {
            let s = sentences[next].1.as_bytes();
            let _ = out.send_to(s, ("127.0.0.1", hport));
            let _ = out.send_to(s, ("127.0.0.1", cport));
            next += 1;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let feed_s = start.elapsed().as_secs_f64();
    // A second to take what is queued, counted with the feed.
    std::thread::sleep(Duration::from_secs(1));
    let cpu = [(cpu_s(hpid) - h0) / feed_s, (cpu_s(cpid) - c0) / feed_s];
    let drops = [kernel_drops(hport), kernel_drops(cport)];
    // What each shows.
    let screen = c.screen();
    // The list's title: " targets N · sort …".
    let console_targets = screen.match_indices(" targets ").find_map(|(i, m)| {
        let d: String = screen[i + m.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        d.parse().ok()
    });
    let console_lost = screen.find(" lost ").and_then(|i| {
        let before = &screen[..i];
        let d: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        d.parse().ok()
    });
    let _ = nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(hpid as i32),
        nix::sys::signal::Signal::SIGINT,
    );
    let _ = h.child.wait();
    let summary = h
        .lines
        .lock()
        .ok()
        .and_then(|v| v.iter().find(|l| l.contains("\"summary\"")).cloned())
        .and_then(|l| serde_json::from_str::<serde_json::Value>(&l).ok());
    let field = |k: &str| summary.as_ref().and_then(|s| s[k].as_u64());
    let _ = c.writer.write_all(b"q");
    let _ = c.writer.flush();
    std::thread::sleep(Duration::from_millis(300));
    let _ = c.writer.write_all(b"y");
    let _ = c.writer.flush();
    std::thread::sleep(Duration::from_millis(500));
    let _ = c.child.kill();
    let _ = c.child.wait();
    Result1 {
        rate,
        sent: sentences.len(),
        feed_s,
        cpu,
        idle,
        drops,
        targets: [field("targets"), console_targets],
        shown_lost: [field("lost"), Some(console_lost.unwrap_or(0))],
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes
    // nothing the tool needs to act on: only a bench run feeds.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    // Another build of the binary (an older one, to compare) with LOAD_BIN.
    let bin =
        std::env::var("LOAD_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_bridgewatch").into());
    let bin = bin.as_str();
    let rates: Vec<u32> = std::env::var("LOAD_RATES")
        .unwrap_or_else(|_| "2000,10000".into())
        .split(',')
        .filter_map(|r| r.trim().parse().ok())
        .collect();
    let secs = env_or("LOAD_SECONDS", 20u32);
    let idle_s = env_or("LOAD_IDLE_SECONDS", 5u64);
    let ships = ships();
    println!(
        "load: {TARGETS} targets ({CLOSING} closing), {secs} s of feed a rate, one sentence a datagram, console 160×48"
    );
    println!(
        "| sentences/s | datagrams sent | headless CPU | console CPU | console / headless | idle headless | idle console | kernel drops headless / console | shown lost headless / console | targets headless / console |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let opt = |v: Option<u64>| v.map_or("?".to_string(), |v| v.to_string());
    for rate in rates {
        let r = run(bin, &ships, rate, secs, idle_s);
        println!(
            "| {} | {} in {:.1} s | {:.1} % | {:.1} % | {:.2} | {:.2} % | {:.2} % | {} / {} | {} / {} | {} / {} |",
            r.rate,
            r.sent,
            r.feed_s,
            r.cpu[0] * 100.0,
            r.cpu[1] * 100.0,
            r.cpu[1] / r.cpu[0].max(1e-9),
            r.idle[0] * 100.0,
            r.idle[1] * 100.0,
            opt(r.drops[0]),
            opt(r.drops[1]),
            opt(r.shown_lost[0]),
            opt(r.shown_lost[1]),
            opt(r.targets[0]),
            opt(r.targets[1]),
        );
    }
}
