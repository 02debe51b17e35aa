//! Headless mode: the same engine as the console, events as JSON lines on
//! stdout (contract in ARCHITECTURE.md), alarms and messages appended to the
//! persistent log in the data directory.

use super::Config;
use super::alarm_log::AlarmLog;
use super::engine::{Engine, event_json};
use crate::clock::{DataClock, rfc3339};
use crate::link::{self, InputSpec};
use crate::nmea::{self, gnss};
use serde_json::json;
use std::io::{self, Write};

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
