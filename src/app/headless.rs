//! Headless mode: the same engine as the console, events as JSON lines on
//! stdout (contract in ARCHITECTURE.md), alarms and messages appended to the
//! persistent log in the data directory.
//!
//! [`Engine`] is the sans-I/O core shared with the console: lines in (with
//! the time they were received), traffic events out, driven by the data
//! clock. [`run`] wires it to inputs and writers.

use super::Config;
use super::clock::{DataClock, rfc3339};
use crate::ais::stream::{AisStream, Outcome};
use crate::link::{self, InputSpec};
use crate::nmea::{self, gnss, pi};
use crate::traffic::alarm::AlarmTransition;
use crate::traffic::config::TrafficConfig;
use crate::traffic::{Event, Traffic};
use serde_json::{Value, json};
use std::io::{self, Write};
use std::path::PathBuf;

/// Lines in, traffic events out.
#[derive(Debug)]
pub struct Engine {
    pub stream: AisStream,
    pub traffic: Traffic,
    pub clock: DataClock,
    /// Live input: time is the system clock at reception. Replay: the data
    /// clock.
    pub live: bool,
    /// Time used before any line carried one (replay: the file's first data
    /// time, found by a first pass).
    pub start_ms: i64,
}

impl Engine {
    /// A new engine.
    pub fn new(config: TrafficConfig, live: bool) -> Self {
        Engine {
            stream: AisStream::new(),
            traffic: Traffic::new(config),
            clock: DataClock::default(),
            live,
            start_ms: 0,
        }
    }

    /// The engine's time: live, the system's UTC when the line was
    /// received; replaying, the data's own time.
    pub fn now_ms(&self, received_ms: i64) -> i64 {
        if self.live {
            return received_ms;
        }
        self.clock.now_ms().unwrap_or(self.start_ms)
    }

    /// Process one line (`None`: an over-long line the reader dropped).
    pub fn push_line(&mut self, line: Option<&[u8]>, received_ms: i64) {
        let Some(line) = line else {
            self.stream.count_rejected_line();
            return;
        };
        if line.first() == Some(&b'#') {
            return;
        }
        let Ok(s) = nmea::frame(line) else {
            // Let the stream count it with its reason.
            let _ = self.stream.push_line(line, self.now_ms(received_ms));
            return;
        };
        self.clock.observe_tag(&s);
        if gnss::is_gnss(s.formatter) {
            self.stream.count_sentence(&s);
            if let Ok(fix) = gnss::parse(&s) {
                self.clock.observe_fix(&fix);
                let now = self.now_ms(received_ms);
                self.traffic.ingest_fix(&fix, now);
            }
            return;
        }
        let now = self.now_ms(received_ms);
        if s.formatter == "ALR" {
            self.stream.count_sentence(&s);
            if let Ok(a) = pi::parse_alr(&s) {
                self.traffic.ingest_alr(&a, now);
            }
            return;
        }
        if let Ok(Outcome::Ais(r)) = self.stream.push_sentence(s, now) {
            self.traffic.ingest(&r, now);
        }
    }

    /// Re-evaluate at the current data time (end of a replay, or a live
    /// timer).
    pub fn tick(&mut self, received_ms: i64) {
        let now = self.now_ms(received_ms);
        self.traffic.tick(now);
    }
}

/// One event as the JSON object of the headless contract.
pub fn event_json(e: &Event) -> Value {
    let round = |v: f64, d: i32| {
        let f = 10f64.powi(d);
        (v * f).round() / f
    };
    match e {
        Event::TargetNew { at_ms, mmsi } => {
            json!({"time": rfc3339(*at_ms), "event": "target_new", "mmsi": mmsi})
        }
        Event::Dangerous {
            at_ms,
            mmsi,
            cpa_nm,
            tcpa_min,
        } => json!({"time": rfc3339(*at_ms), "event": "dangerous", "mmsi": mmsi,
                    "cpa_nm": round(*cpa_nm, 2), "tcpa_min": round(*tcpa_min, 1)}),
        Event::DangerousCleared { at_ms, mmsi } => {
            json!({"time": rfc3339(*at_ms), "event": "dangerous_cleared", "mmsi": mmsi})
        }
        Event::Lost { at_ms, mmsi } => {
            json!({"time": rfc3339(*at_ms), "event": "lost", "mmsi": mmsi})
        }
        Event::Removed { at_ms, mmsi } => {
            json!({"time": rfc3339(*at_ms), "event": "removed", "mmsi": mmsi})
        }
        Event::Sart { at_ms, mmsi } => {
            json!({"time": rfc3339(*at_ms), "event": "sart", "mmsi": mmsi})
        }
        Event::SafetyMessage(m) => json!({"time": rfc3339(m.at_ms), "event": "safety_message",
                                         "from": m.from, "to": m.to, "text": clean(&m.text)}),
        Event::Rta(r) => {
            json!({"time": rfc3339(r.at_ms), "event": "rta", "from": r.from, "to": r.to,
            "locode": format!("{}{}{}{}{}", r.location.country, r.location.locode, r.location.section,
                              r.location.terminal, r.location.hectometre),
            "rta": format!("{:02}-{:02}T{:02}:{:02}Z", r.rta.month, r.rta.day, r.rta.hour, r.rta.minute),
            "status": match r.status { 0 => "operational", 1 => "limited", 2 => "out_of_order", _ => "unknown" }})
        }
        Event::OwnPositionLost { at_ms } => {
            json!({"time": rfc3339(*at_ms), "event": "own_position_lost"})
        }
        Event::OwnPositionRestored { at_ms } => {
            json!({"time": rfc3339(*at_ms), "event": "own_position_restored"})
        }
        Event::TransponderAlarm {
            at_ms,
            id,
            text,
            active,
        } => json!({"time": rfc3339(*at_ms), "event": "transponder_alarm", "id": clean(id),
                    "text": clean(text), "active": active}),
    }
}

/// Text from the air: control characters removed.
pub fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

/// Appends alarm transitions and received messages to `alarms.jsonl`.
#[derive(Debug)]
pub struct AlarmLog {
    file: Option<std::fs::File>,
    pub path: Option<PathBuf>,
}

impl AlarmLog {
    /// Open (create) the log in `dir`; a log that cannot be opened is
    /// reported once and the run goes on without it.
    pub fn open(dir: Option<PathBuf>, err: &mut dyn Write) -> AlarmLog {
        let Some(dir) = dir else {
            return AlarmLog {
                file: None,
                path: None,
            };
        };
        let path = dir.join("alarms.jsonl");
        let file = std::fs::create_dir_all(&dir).and_then(|_| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
        });
        match file {
            Ok(f) => AlarmLog {
                file: Some(f),
                path: Some(path),
            },
            Err(e) => {
                let _ = writeln!(
                    err,
                    "bridgewatch: alarm log {} not written: {e}",
                    path.display()
                );
                AlarmLog {
                    file: None,
                    path: None,
                }
            }
        }
    }

    /// Log alarm transitions and safety messages.
    pub fn write(&mut self, transitions: &[AlarmTransition], events: &[Event]) {
        let Some(f) = self.file.as_mut() else {
            return;
        };
        let mut buf = String::new();
        for t in transitions {
            let v = json!({"time": rfc3339(t.at_ms), "alarm": t.id.class(), "mmsi": t.id.mmsi(),
                           "state": t.state.map_or("cleared", |s| s.name()), "text": clean(&t.text)});
            buf.push_str(&v.to_string());
            buf.push('\n');
        }
        for e in events {
            if let Event::SafetyMessage(_) | Event::Rta(_) = e {
                buf.push_str(&event_json(e).to_string());
                buf.push('\n');
            }
        }
        if !buf.is_empty() {
            let _ = f.write_all(buf.as_bytes());
        }
    }
}

fn flush_events<W: Write>(engine: &mut Engine, log: &mut AlarmLog, out: &mut W) -> io::Result<()> {
    let events = engine.traffic.take_events();
    let transitions = engine.traffic.alarms.take_transitions();
    log.write(&transitions, &events);
    for e in &events {
        writeln!(out, "{}", event_json(e))?;
    }
    Ok(())
}

/// Find the first data time in a file (tag block, or RMC/ZDA), so a replay
/// starts its clock there rather than at 1970.
fn first_data_time(path: &std::path::Path) -> Option<i64> {
    let file = std::fs::File::open(path).ok()?;
    let mut clock = DataClock::default();
    let mut lines = 0u32;
    let _ = link::read_lines(file, |l| {
        if clock.now_ms().is_some() || lines > 200_000 {
            return;
        }
        lines += 1;
        if let Some(Ok(s)) = l.bytes().map(nmea::frame) {
            clock.observe_tag(&s);
            if gnss::is_gnss(s.formatter)
                && let Ok(f) = gnss::parse(&s)
            {
                clock.observe_fix(&f);
            }
        }
    });
    clock.now_ms()
}

/// Replay one recorded input as fast as possible, with link events.
fn replay<R: std::io::Read, W: Write>(
    engine: &mut Engine,
    log: &mut AlarmLog,
    name: &str,
    input: R,
    out: &mut W,
) -> io::Result<()> {
    let link_event = |state: &str, at: i64| json!({"time": rfc3339(at), "event": "link", "name": name, "state": state});
    writeln!(out, "{}", link_event("up", engine.now_ms(0)))?;
    let mut result = Ok(());
    link::read_lines(input, |l| {
        engine.push_line(l.bytes(), 0);
        if result.is_ok() {
            result = flush_events(engine, log, out);
        }
    })?;
    result?;
    engine.tick(0);
    flush_events(engine, log, out)?;
    writeln!(out, "{}", link_event("down", engine.now_ms(0)))
}

fn summary<W: Write>(engine: &Engine, out: &mut W) -> io::Result<()> {
    let s = engine.stream.stats();
    let summary = json!({"time": rfc3339(engine.now_ms(link::wall_ms())), "event": "summary",
        "sentences": s.sentences, "rejected": s.rejected, "targets": engine.traffic.targets.len()});
    writeln!(out, "{summary}")?;
    out.flush()
}

/// The built-in demo, headless: the same story as events.
pub fn run_demo<W: Write>(config: &Config, out: &mut W, err: &mut dyn Write) -> io::Result<()> {
    let mut traffic = config.traffic();
    traffic.own_ship.mmsi.get_or_insert(super::demo::OWN_MMSI);
    let mut engine = Engine::new(traffic, false);
    engine.start_ms = super::demo::START_MS;
    let mut log = AlarmLog::open(config.data_dir(), err);
    let text = super::demo::scenario();
    replay(&mut engine, &mut log, "demo", text.as_bytes(), out)?;
    summary(&engine, out)
}

/// Run headless over `inputs`, writing events to `out`. File inputs are
/// replayed one after the other as fast as possible and the run ends with
/// the summary; a UDP input runs until the process is stopped.
pub fn run<W: Write>(
    config: &Config,
    inputs: &[InputSpec],
    out: &mut W,
    err: &mut dyn Write,
) -> io::Result<()> {
    let live = inputs.iter().any(|i| !matches!(i, InputSpec::File(_)));
    let mut engine = Engine::new(config.traffic(), live);
    let mut log = AlarmLog::open(config.data_dir(), err);
    for input in inputs {
        let link_event = |state: &str, at: i64| json!({"time": rfc3339(at), "event": "link", "name": input.name(), "state": state});
        match input {
            InputSpec::File(path) => {
                let file = match std::fs::File::open(path) {
                    Ok(f) => f,
                    Err(e) => {
                        writeln!(err, "bridgewatch: cannot read {}: {e}", path.display())?;
                        writeln!(out, "{}", link_event("down", engine.now_ms(0)))?;
                        continue;
                    }
                };
                if engine.clock.now_ms().is_none() {
                    engine.start_ms = first_data_time(path).unwrap_or(0);
                }
                replay(&mut engine, &mut log, &input.name(), file, out)?;
            }
            InputSpec::Udp(addr) => {
                let sock = match link::bind_udp(*addr) {
                    Ok(s) => s,
                    Err(e) => {
                        writeln!(err, "bridgewatch: cannot listen on {addr}: {e}")?;
                        writeln!(out, "{}", link_event("down", link::wall_ms()))?;
                        continue;
                    }
                };
                writeln!(out, "{}", link_event("up", link::wall_ms()))?;
                out.flush()?;
                // Stops when stdout goes away (e.g. the reader quit). The
                // engine ticks once a second of wall time even when the feed
                // is silent, so silence itself raises lost-target and
                // own-position alarms.
                let failed = std::cell::Cell::new(None);
                let engine = std::cell::RefCell::new(&mut engine);
                let log = std::cell::RefCell::new(&mut log);
                let out = std::cell::RefCell::new(&mut *out);
                let last_tick = std::cell::Cell::new(link::wall_ms());
                let flush = || {
                    let mut out = out.borrow_mut();
                    let r = flush_events(*engine.borrow_mut(), *log.borrow_mut(), &mut **out)
                        .and_then(|_| out.flush());
                    if let Err(e) = r {
                        failed.set(Some(e));
                    }
                };
                let tick = |now: i64| {
                    if now - last_tick.get() >= 1000 {
                        engine.borrow_mut().tick(now);
                        last_tick.set(now);
                    }
                };
                link::listen_udp(
                    &sock,
                    || {
                        let f = failed.take();
                        let ok = f.is_none();
                        failed.set(f);
                        ok
                    },
                    |l, now| {
                        engine.borrow_mut().push_line(l, now);
                        tick(now);
                        flush();
                    },
                    |now| {
                        tick(now);
                        flush();
                    },
                )?;
                if let Some(e) = failed.take() {
                    return Err(e);
                }
            }
            other => {
                writeln!(
                    err,
                    "bridgewatch: {} inputs are not available in headless mode yet (issue 4)",
                    other.name()
                )?;
            }
        }
    }
    summary(&engine, out)
}
