//! Headless mode: the same link tasks, channel and engine as the console,
//! events as JSON lines on stdout (contract in ARCHITECTURE.md), alarms and
//! messages appended to the persistent log in the data directory.
//!
//! Files alone are replayed one after the other as fast as the engine takes
//! them, on the data's own clock, and the run ends with the `summary` line.
//! With any live input (serial, TCP, UDP) the run goes on until it is
//! stopped (SIGINT, SIGTERM, or the reader of stdout going away): files
//! beside live inputs replay at their recorded pace (`--speed`), and the
//! engine runs on the system clock, ticking once a second even when every
//! feed is silent, so silence itself raises lost-target and own-position
//! alarms.

use super::Config;
use super::aiip_io::{self, AiipIo};
use super::alarm_log::{AlarmLog, LogKind};
use super::desk_io::{self, DeskIo};
use super::engine::{Engine, drained_json};
use super::links::{LinkChange, Links};
use super::recording::Recording;
use crate::clock::rfc3339;
use crate::link::tasks::{self, LinkMsg, Pace};
use crate::link::{self, InputSpec};
use serde_json::json;
use std::io::{self, Write};
use std::time::Duration;
use tokio::sync::mpsc;

/// Why inputs cannot be used, before anything runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputProblem {
    /// A usage error (exit status 2): no input, or a kind this mode cannot
    /// read.
    Usage(String),
    /// A file that cannot be read (exit status 1).
    Unreadable(String),
}

/// Check that every input can be used: files readable, no unsupported
/// kind. Live links that cannot open yet are not refused: they are
/// reported and retried, as at sea a transponder may come up later.
pub fn check_inputs(inputs: &[InputSpec]) -> Result<(), InputProblem> {
    if inputs.is_empty() {
        return Err(InputProblem::Usage(
            "no input; give --input file:PATH, udp:ADDR:PORT, tcp:HOST:PORT, serial:DEVICE or aiip:HOST:PORT"
                .into(),
        ));
    }
    let servers: Vec<String> = inputs
        .iter()
        .filter(|i| matches!(i, InputSpec::Aiip(_)))
        .map(InputSpec::name)
        .collect();
    if servers.len() > 1 {
        return Err(InputProblem::Usage(format!(
            "one AI-IP server at a time; given: {}",
            servers.join(", ")
        )));
    }
    for i in inputs {
        if let InputSpec::File(p) = i
            && let Err(e) = std::fs::File::open(p)
        {
            return Err(InputProblem::Unreadable(format!(
                "cannot read {}: {e}",
                p.display()
            )));
        }
    }
    Ok(())
}

/// Prints events and link changes as JSON lines.
struct Printer<'a, W: Write> {
    out: &'a mut W,
    err: &'a mut dyn Write,
    log: AlarmLog,
}

impl<W: Write> Printer<'_, W> {
    fn events(&mut self, engine: &mut Engine, wall_ms: i64) -> io::Result<()> {
        let d = engine.drain(&mut self.log, wall_ms);
        for v in drained_json(&d) {
            writeln!(self.out, "{v}")?;
        }
        Ok(())
    }

    /// The AI-IP client's turn (see [`AiipIo::step`]): its events other
    /// than vessels and RTAs as `aiip` events, then the ETA relay.
    fn aiip(
        &mut self,
        aiip: &mut Option<AiipIo>,
        engine: &mut Engine,
        desk: &mut DeskIo,
        wall_ms: i64,
    ) -> io::Result<()> {
        let Some(a) = aiip.as_mut() else {
            return Ok(());
        };
        let mut events = a.step(engine, wall_ms);
        a.desk(engine, desk, wall_ms);
        events.extend(a.step(engine, wall_ms));
        for e in &events {
            writeln!(self.out, "{}", aiip_io::event_json(&a.client, e))?;
        }
        Ok(())
    }

    fn change(
        &mut self,
        engine: &Engine,
        links: &Links,
        change: LinkChange,
        wall_ms: i64,
    ) -> io::Result<()> {
        let at = rfc3339(engine.now_ms(wall_ms));
        match change {
            LinkChange::None => Ok(()),
            LinkChange::State { link, up } => {
                let Some(l) = links.list.get(link) else {
                    return Ok(());
                };
                let state = if up { "up" } else { "down" };
                // A link that fails is said on stderr too; a replay that
                // reached its end is not a failure.
                if !up && !l.alarmed {
                    let _ = writeln!(self.err, "bridgewatch: {} down: {}", l.name, l.detail);
                }
                writeln!(
                    self.out,
                    "{}",
                    json!({"time": at, "event": "link", "name": l.name, "state": state, "detail": l.detail})
                )
            }
            LinkChange::Lost { link, count } => {
                let Some(l) = links.list.get(link) else {
                    return Ok(());
                };
                let _ = writeln!(
                    self.err,
                    "bridgewatch: {}: {count} datagrams lost, {} since start (the system's receive buffer was full)",
                    l.name, l.lost
                );
                writeln!(
                    self.out,
                    "{}",
                    json!({"time": at, "event": "input_lost", "name": l.name, "count": count, "total": l.lost})
                )
            }
            LinkChange::NoClock { link } => {
                let name = links.list.get(link).map_or("", |l| l.name.as_str());
                let _ = writeln!(
                    self.err,
                    "bridgewatch: {name} carries no time (no tag block c:, RMC or ZDA): replayed on the system clock"
                );
                Ok(())
            }
        }
    }

    fn summary(
        &mut self,
        engine: &Engine,
        links: Option<&Links>,
        aiip: Option<&AiipIo>,
        not_nmea: Option<u64>,
    ) -> io::Result<()> {
        let s = engine.stream.stats();
        let lost: u64 = links.map_or(0, |l| l.list.iter().map(|l| l.lost).sum());
        let mut summary = json!({"time": rfc3339(engine.now_ms(link::wall_ms())), "event": "summary",
            "sentences": s.sentences, "rejected": s.rejected, "targets": engine.traffic.targets.len(),
            "lost": lost});
        if let (Some(n), serde_json::Value::Object(m)) = (not_nmea, &mut summary) {
            m.insert("not_nmea".into(), n.into());
        }
        if let (Some(a), serde_json::Value::Object(m)) = (aiip, &mut summary) {
            m.insert("aiip".into(), a.summary_json());
        }
        writeln!(self.out, "{summary}")?;
        self.out.flush()
    }
}

/// One thread runs the link tasks and the engine, as in the console.
fn runtime() -> io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}

/// The built-in demo, headless: the same story as events.
pub fn run_demo<W: Write>(config: &Config, out: &mut W, err: &mut dyn Write) -> io::Result<()> {
    let mut traffic = config.traffic();
    traffic.own_ship.mmsi.get_or_insert(super::demo::OWN_MMSI);
    let mut engine = Engine::new(traffic, false);
    engine.start_ms = super::demo::START_MS;
    let log = AlarmLog::open_kind(config.data_dir(), LogKind::Demo, err);
    for n in &log.notes {
        let _ = writeln!(err, "bridgewatch: {n}");
    }
    let mut links = Links::new(vec!["demo".to_string()]);
    let mut p = Printer { out, err, log };
    runtime()?.block_on(async {
        let (tx, mut rx) = mpsc::channel(tasks::CHANNEL_CAPACITY);
        tokio::spawn(async move {
            let text = super::demo::scenario();
            tasks::replay_bytes(text.as_bytes(), 0, Pace::Unpaced, "built-in scenario", &tx).await;
        });
        while let Some(msg) = rx.recv().await {
            let wall = link::wall_ms();
            let change = links.handle(&mut engine, msg, wall);
            p.events(&mut engine, wall)?;
            p.change(&engine, &links, change, wall)?;
        }
        p.summary(&engine, Some(&links), None, None)
    })
}

/// Run headless over `inputs` (checked with [`check_inputs`]), writing
/// events to `out`. `speed` paces files replayed beside live inputs.
pub fn run<W: Write>(
    config: &Config,
    inputs: &[InputSpec],
    speed: f64,
    out: &mut W,
    err: &mut dyn Write,
) -> io::Result<()> {
    let (inputs, transponder) = desk_io::transponder(config, inputs);
    let inputs = &inputs[..];
    let files_only = inputs.iter().all(|i| matches!(i, InputSpec::File(_)));
    let mut engine = Engine::new(config.traffic(), !files_only);
    engine.transponder = transponder;
    engine.desk.set_writable(transponder.is_some());
    let mut aiip = AiipIo::open(config, inputs, link::wall_ms());
    engine
        .desk
        .set_through_aiip(aiip.as_ref().is_some_and(AiipIo::configured));
    let kind = LogKind::of_inputs(inputs);
    let log = AlarmLog::open_kind(config.data_dir(), kind, err);
    for n in &log.notes {
        let _ = writeln!(err, "bridgewatch: {n}");
    }
    let mut links = Links::new(inputs.iter().map(InputSpec::name).collect());
    if let Some(s) = config.console.link_alarm_s {
        links.alarm_after_ms = (s * 1000.0) as i64;
    }
    let mut recorder = Recording::open(config.record.as_deref(), &mut engine);
    let mut p = Printer { out, err, log };
    runtime()?.block_on(async {
        let (tx, mut rx) = mpsc::channel(tasks::CHANNEL_CAPACITY);
        let mut writer = None;
        if files_only {
            let files = inputs
                .iter()
                .enumerate()
                .filter_map(|(i, s)| match s {
                    InputSpec::File(p) => Some((i, p.clone())),
                    _ => None,
                })
                .collect();
            tasks::spawn_replays(files, Pace::Unpaced, tx);
        } else {
            for (i, s) in inputs.iter().enumerate() {
                let pace = Pace::Recorded { speed };
                if let (InputSpec::Aiip(addr), Some(a)) = (s, aiip.as_mut())
                    && a.link == i
                {
                    a.set_sender(tasks::spawn_aiip(addr.clone(), i, tx.clone()).1);
                } else if Some(i) == transponder {
                    writer = tasks::spawn_writable(s.clone(), i, pace, tx.clone()).1;
                } else {
                    tasks::spawn(s.clone(), i, pace, tx.clone());
                }
            }
            drop(tx);
        }
        let wall = link::wall_ms();
        // A replay keeps no journals: the outbox and inbox are the ship's.
        let journals = match kind {
            LogKind::Live => config.data_dir(),
            _ => None,
        };
        let mut desk = DeskIo::open(journals, writer, &mut engine, wall);
        for v in desk_io::restored_json(&engine, engine.now_ms(wall)) {
            writeln!(p.out, "{v}")?;
        }
        desk.journal(&mut engine, wall);
        if let Some(a) = aiip.as_mut() {
            let now = rfc3339(engine.now_ms(wall));
            for n in a.take_notes() {
                tracing::info!("AI-IP: {n}");
                writeln!(
                    p.out,
                    "{}",
                    json!({"time": now, "event": "aiip",
                    "state": a.client.state(wall).as_str(), "mode": a.client.config().mode.as_str(),
                    "detail": super::engine::clean(&n)})
                )?;
            }
        }
        // Commands on stdin (live runs): one JSON object a line. A closed
        // stdin ends the commands, not the run.
        let (ctx, mut commands) = mpsc::unbounded_channel::<String>();
        if !files_only {
            std::thread::spawn(move || {
                use std::io::BufRead;
                for l in io::stdin().lock().lines() {
                    let Ok(l) = l else { return };
                    if ctx.send(l).is_err() {
                        return;
                    }
                }
            });
        } else {
            drop(ctx);
        }
        let mut commands_open = !files_only;
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        let mut second = tokio::time::interval(Duration::from_secs(1));
        second.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let mut files_left = if files_only { inputs.len() } else { 0 };
        let mut replayed = Replayed::default();
        p.events(&mut engine, link::wall_ms())?;
        loop {
            // The AI-IP client's next report, resend or timeout, between
            // the seconds (at least 50 ms apart, so it never spins).
            let aiip_wait = aiip.as_ref().and_then(|a| {
                let now = link::wall_ms();
                let w = a.client.next_wakeup_ms(now)?;
                Some(Duration::from_millis((w - now).clamp(50, 1000) as u64))
            });
            tokio::select! {
                _ = tokio::time::sleep(aiip_wait.unwrap_or(Duration::from_secs(1))), if aiip_wait.is_some() => {
                    let wall = link::wall_ms();
                    p.aiip(&mut aiip, &mut engine, &mut desk, wall)?;
                    p.events(&mut engine, wall)?;
                    p.out.flush()?;
                }
                msg = rx.recv() => {
                    let Some(msg) = msg else { break };
                    let wall = link::wall_ms();
                    let finished = matches!(msg, LinkMsg::Finished { .. });
                    if let LinkMsg::Finished { link, count } = &msg {
                        replayed.note(&mut *p.err, &links, *link, *count);
                    }
                    if let (LinkMsg::Datagram { bytes, .. }, Some(a)) = (&msg, aiip.as_mut()) {
                        a.datagram(bytes, wall);
                    }
                    let change = links.handle_tapped(&mut engine, msg, wall, &mut |e, l, t| {
                        recorder.record(e, l, t)
                    });
                    desk.pump(&mut engine, &links, wall);
                    p.aiip(&mut aiip, &mut engine, &mut desk, wall)?;
                    p.events(&mut engine, wall)?;
                    p.change(&engine, &links, change, wall)?;
                    if !files_only {
                        // Live: a reader of the stream sees events at once.
                        p.out.flush()?;
                    }
                    if finished && files_only {
                        files_left = files_left.saturating_sub(1);
                        if files_left == 0 {
                            break;
                        }
                    }
                }
                _ = second.tick(), if !files_only => {
                    let wall = link::wall_ms();
                    if engine.on_wall_clock() {
                        engine.tick(wall);
                    }
                    links.check(&mut engine, wall);
                    recorder.flush(&mut engine, wall);
                    desk.pump(&mut engine, &links, wall);
                    p.aiip(&mut aiip, &mut engine, &mut desk, wall)?;
                    p.events(&mut engine, wall)?;
                    p.out.flush()?;
                }
                line = commands.recv(), if commands_open => {
                    let Some(line) = line else {
                        commands_open = false;
                        continue;
                    };
                    if line.trim().is_empty() {
                        continue;
                    }
                    let wall = link::wall_ms();
                    let now = engine.now_ms(wall);
                    let v = desk_io::command(&mut engine, &line, now).unwrap_or_else(|reason| {
                        json!({"time": rfc3339(now), "event": "command_refused",
                               "reason": super::engine::clean(&reason)})
                    });
                    writeln!(p.out, "{v}")?;
                    desk.pump(&mut engine, &links, wall);
                    p.aiip(&mut aiip, &mut engine, &mut desk, wall)?;
                    p.events(&mut engine, wall)?;
                    p.out.flush()?;
                }
                _ = term.recv() => break,
                _ = int.recv() => break,
            }
        }
        // Datagrams the system dropped since the UDP inputs last read
        // their counters: in the summary even when no datagram followed.
        // (What waits on the channel first, so there is room for it.)
        for read_counters in [false, true] {
            if read_counters {
                link::tasks::report_udp_drops();
            }
            while let Ok(msg) = rx.try_recv() {
                if let LinkMsg::Lost { .. } = msg {
                    let wall = link::wall_ms();
                    let change = links.handle(&mut engine, msg, wall);
                    p.events(&mut engine, wall)?;
                    p.change(&engine, &links, change, wall)?;
                }
            }
        }
        recorder.flush(&mut engine, link::wall_ms());
        desk.journal(&mut engine, link::wall_ms());
        if let Some(a) = aiip.as_mut() {
            // A smart AI-IP client signs off; the link task sends what is
            // queued while the runtime still runs.
            let wall = link::wall_ms();
            let smart = a.client.config().smart;
            a.client.stop(wall);
            p.aiip(&mut aiip, &mut engine, &mut desk, wall)?;
            if smart {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        p.events(&mut engine, link::wall_ms())?;
        p.summary(&engine, Some(&links), aiip.as_ref(), replayed.not_nmea())?;
        replayed.verdict()
    })
}

/// What the replayed files held, for the summary and the exit status.
#[derive(Default)]
struct Replayed {
    files: Vec<(String, tasks::ReplayCount)>,
}

impl Replayed {
    /// A file has been read: lines that are not NMEA are said on stderr.
    fn note(&mut self, err: &mut dyn Write, links: &Links, link: usize, count: tasks::ReplayCount) {
        let name = links.list.get(link).map_or("", |l| l.name.as_str());
        if count.not_nmea > 0 {
            let _ = writeln!(
                err,
                "bridgewatch: {name}: {} of {} lines not NMEA (no sentence with a valid checksum)",
                count.not_nmea, count.lines
            );
        }
        self.files.push((name.to_string(), count));
    }

    /// Lines not NMEA in all the files, `None` when none was replayed.
    fn not_nmea(&self) -> Option<u64> {
        (!self.files.is_empty()).then(|| self.files.iter().map(|(_, c)| c.not_nmea).sum())
    }

    /// A file with nothing usable in it fails the run (exit status 1).
    fn verdict(&self) -> io::Result<()> {
        match self.files.iter().find(|(_, c)| c.nmea() == 0) {
            Some((name, c)) if c.lines == 0 => Err(io::Error::other(format!(
                "{name}: nothing usable: no lines in it"
            ))),
            Some((name, c)) => Err(io::Error::other(format!(
                "{name}: nothing usable: none of its {} lines is NMEA",
                c.lines
            ))),
            None => Ok(()),
        }
    }
}
