//! The desk's I/O, shared by the console and headless mode: which input is
//! the transponder, the outbox and inbox journals in the data directory
//! (restored at start, appended and flushed before anything is written),
//! and handing the desk's writes to the transponder link. The desk itself
//! ([`crate::voyage::desk`]) stays pure; this is the one place that moves
//! its lines to disk and to the link.

use super::Config;
use super::engine::Engine;
use super::links::Links;
use crate::link::InputSpec;
use crate::link::journal as store;
use crate::link::tasks::Outgoing;
use std::path::PathBuf;
use tokio::sync::mpsc::Sender;

/// The outbox journal's file name in the data directory.
pub const OUTBOX_FILE: &str = "outbox.jsonl";
/// The inbox journal's file name in the data directory.
pub const INBOX_FILE: &str = "inbox.jsonl";

/// A journal is rewritten at its shortest once it has this many lines more
/// than that.
pub const COMPACT_SLACK: usize = 500;

/// After a failed write, the desk holds its writes back this long (a link
/// that just went down is not hammered).
pub const WRITE_RETRY_MS: i64 = 1000;

/// Which input is the transponder: `[own_ship] transponder` (added to the
/// inputs when it is not among them; matched by device or address), else
/// the only serial input, else none. Returns the inputs to run and the
/// transponder's index among them.
pub fn transponder(config: &Config, inputs: &[InputSpec]) -> (Vec<InputSpec>, Option<usize>) {
    let mut inputs = inputs.to_vec();
    let given = config
        .own_ship
        .transponder
        .as_deref()
        .and_then(|t| InputSpec::parse(t).ok())
        .filter(crate::link::tasks::writable);
    if let Some(t) = given {
        let same = |i: &InputSpec| match (i, &t) {
            (InputSpec::Serial { path: a, .. }, InputSpec::Serial { path: b, .. }) => a == b,
            (InputSpec::Tcp(a), InputSpec::Tcp(b)) => a == b,
            _ => false,
        };
        if let Some(i) = inputs.iter().position(same) {
            return (inputs, Some(i));
        }
        inputs.push(t);
        let i = inputs.len() - 1;
        return (inputs, Some(i));
    }
    let serial: Vec<usize> = inputs
        .iter()
        .enumerate()
        .filter(|(_, i)| matches!(i, InputSpec::Serial { .. }))
        .map(|(n, _)| n)
        .collect();
    let t = if serial.len() == 1 {
        Some(serial[0])
    } else {
        None
    };
    (inputs, t)
}

/// The journals and the queue to the transponder link.
#[derive(Debug, Default)]
pub struct DeskIo {
    outbox: Option<PathBuf>,
    inbox: Option<PathBuf>,
    writer: Option<Sender<Outgoing>>,
    /// The demo's simulated transponder (a lock that answers ETAs, a ship
    /// that acknowledges), in place of a link.
    demo: Option<super::demo_transponder::DemoTransponder>,
}

impl DeskIo {
    /// Journals in `data_dir` (none: nothing is kept), writes to `writer`
    /// (the transponder's queue, none: no transponder). The desk is
    /// restored from the journals found there; problems go to the log.
    pub fn open(
        data_dir: Option<PathBuf>,
        writer: Option<Sender<Outgoing>>,
        engine: &mut Engine,
        wall_ms: i64,
    ) -> DeskIo {
        let io = DeskIo {
            outbox: data_dir.as_ref().map(|d| d.join(OUTBOX_FILE)),
            inbox: data_dir.as_ref().map(|d| d.join(INBOX_FILE)),
            writer,
            demo: None,
        };
        if let Some(d) = &data_dir
            && let Err(e) = std::fs::create_dir_all(d)
        {
            tracing::warn!("data directory {}: {e}", d.display());
        }
        let read = |p: &Option<PathBuf>| match p {
            None => Vec::new(),
            Some(p) => store::read(p).unwrap_or_else(|e| {
                tracing::warn!("{}: {e}", p.display());
                Vec::new()
            }),
        };
        let (ob, ib) = (read(&io.outbox), read(&io.inbox));
        if !ob.is_empty() || !ib.is_empty() {
            let now = engine.now_ms(wall_ms);
            for p in engine.desk.restore(&ob, &ib, now) {
                tracing::warn!("restoring the desk: {p}");
            }
            tracing::info!(
                "desk restored: {} outbox and {} inbox journal lines",
                ob.len(),
                ib.len()
            );
            io.compact(engine, ob.len(), ib.len());
        }
        io
    }

    /// Rewrite the journals at their shortest when their history has
    /// grown well beyond what they hold (each message's intermediate
    /// states), so a journal stays as long as the outbox and inbox, not
    /// their history. Written beside and renamed over the old file, so a
    /// crash in between leaves one whole journal or the other.
    fn compact(&self, engine: &Engine, outbox_lines: usize, inbox_lines: usize) {
        let (ob, ib) = engine.desk.compacted_journals();
        for (path, had, lines) in [
            (&self.outbox, outbox_lines, ob),
            (&self.inbox, inbox_lines, ib),
        ] {
            let Some(path) = path else { continue };
            if had < lines.len() + COMPACT_SLACK {
                continue;
            }
            let tmp = path.with_extension("jsonl.new");
            let done = std::fs::remove_file(&tmp)
                .or_else(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => Ok(()),
                    _ => Err(e),
                })
                .and_then(|()| store::append(&tmp, &lines))
                .and_then(|()| std::fs::rename(&tmp, path));
            match done {
                Ok(()) => tracing::info!(
                    "{}: compacted from {had} to {} lines",
                    path.display(),
                    lines.len()
                ),
                Err(e) => tracing::warn!("{}: not compacted: {e}", path.display()),
            }
        }
    }

    /// The built-in demo: no journals (the demo keeps nothing), writes go
    /// to the simulated transponder, whose answers come in on the demo's
    /// link 0. Its delays run on the system clock, so answers come after
    /// the recorded scenario has ended too.
    pub fn demo(engine: &mut Engine) -> DeskIo {
        engine.transponder = Some(0);
        engine.desk.set_writable(true);
        DeskIo {
            demo: Some(super::demo_transponder::DemoTransponder::new()),
            ..DeskIo::default()
        }
    }

    fn pump_demo(
        &mut self,
        demo: &mut super::demo_transponder::DemoTransponder,
        engine: &mut Engine,
        wall_ms: i64,
    ) {
        let now = engine.now_ms(wall_ms);
        let writes = engine.desk.writes(now);
        self.journal(engine, wall_ms);
        for w in writes {
            for l in &w.lines {
                demo.write(l, wall_ms);
            }
            engine.desk.write_done(&w.tag, Ok(()), now);
        }
        for line in demo.due(wall_ms) {
            engine.push_link_line(0, Some(line.as_bytes()), wall_ms);
        }
        self.journal(engine, wall_ms);
    }

    /// Append the desk's journal lines (flushed), then, when the
    /// transponder link is up and no write failed in the last second, hand
    /// the desk's writes to it. Call after link messages, on each tick and
    /// after a send. A journal that cannot be written raises the storage
    /// alarm; the watch, and the sending, go on.
    pub fn pump(&mut self, engine: &mut Engine, links: &Links, wall_ms: i64) {
        if let Some(mut demo) = self.demo.take() {
            self.pump_demo(&mut demo, engine, wall_ms);
            self.demo = Some(demo);
            return;
        }
        let now = engine.now_ms(wall_ms);
        let up = engine
            .transponder
            .and_then(|t| links.list.get(t))
            .is_some_and(|l| l.up);
        let resting = links
            .write_failed_ms
            .is_some_and(|t| wall_ms - t < WRITE_RETRY_MS && wall_ms >= t);
        let writes = if up && !resting && self.writer.is_some() {
            engine.desk.writes(now)
        } else {
            Vec::new()
        };
        self.journal(engine, wall_ms);
        for w in writes {
            let out = Outgoing {
                tag: w.tag.clone(),
                lines: w.lines,
            };
            let sent = match &self.writer {
                Some(tx) => tx
                    .try_send(out)
                    .map_err(|e| format!("transponder queue: {e}")),
                None => Err(crate::voyage::desk::NO_TRANSPONDER.to_string()),
            };
            if let Err(reason) = sent {
                engine.desk.write_done(&w.tag, Err(reason), now);
            }
        }
        // The `queued` lines of failed hand-overs.
        self.journal(engine, wall_ms);
    }

    /// Append the journal lines waiting in the desk.
    pub fn journal(&mut self, engine: &mut Engine, wall_ms: i64) {
        let (ob, ib) = engine.desk.take_journal();
        for (what, path, lines) in [("outbox", &self.outbox, ob), ("inbox", &self.inbox, ib)] {
            let (Some(path), false) = (path, lines.is_empty()) else {
                continue;
            };
            match store::append(path, &lines) {
                Ok(()) => engine.storage_problem(what, None, wall_ms),
                Err(e) => {
                    let why = format!("{}: {e}", path.display());
                    tracing::error!("{what} journal not written: {why}");
                    engine.storage_problem(what, Some(&why), wall_ms);
                }
            }
        }
    }
}

/// One command line of headless mode's stdin, e.g.
/// `{"send":"safety","to":"244123456","text":"…"}`: checked with the same
/// validators as `bridgewatch encode` and handed to the desk. Returns the
/// `queued` event to print, or the reason it was refused.
pub fn command(engine: &mut Engine, line: &str, now: i64) -> Result<serde_json::Value, String> {
    use crate::voyage::command as cmd;
    use crate::voyage::outbox::Item;
    use serde_json::{Value, json};
    let v: Value = serde_json::from_str(line).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(o) = &v else {
        return Err("expected a JSON object such as {\"send\":\"safety\",\"text\":\"…\"}".into());
    };
    // Values may be given as strings or numbers; they are checked as text.
    let text = |k: &str| -> Result<Option<String>, String> {
        match o.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(other) => Err(format!("{k}: expected text or a number, found {other}")),
        }
    };
    let need = |k: &str| -> Result<String, String> { text(k)?.ok_or(format!("{k}: missing")) };
    let known = |keys: &[&str]| -> Result<(), String> {
        match o
            .keys()
            .find(|k| *k != "send" && !keys.contains(&k.as_str()))
        {
            Some(k) => Err(format!("unknown field {k:?}; allowed: {}", keys.join(", "))),
            None => Ok(()),
        }
    };
    let err = |e: cmd::OptionError| e.to_string();
    let kind = o.get("send").and_then(Value::as_str).unwrap_or("");
    let queued = |engine: &mut Engine, item: Item| -> Result<Value, String> {
        let (msg, to) = (item.msg_id(), item.to());
        let id = engine.desk.send(item, now)?;
        Ok(
            json!({"time": crate::clock::rfc3339(now), "event": "queued", "id": id.0,
                  "msg": msg, "to": to}),
        )
    };
    match kind {
        "eta" => {
            known(&[
                "to",
                "country",
                "location",
                "section",
                "terminal",
                "hectometre",
                "eta",
                "tugs",
                "air_draught",
            ])?;
            let opts = cmd::EtaOptions {
                to: need("to")?,
                country: need("country")?,
                location: need("location")?,
                section: need("section")?,
                terminal: need("terminal")?,
                hectometre: need("hectometre")?,
                eta: need("eta")?,
                tugs: text("tugs")?,
                air_draught: text("air_draught")?,
            };
            let r = cmd::eta_report(&opts, now).map_err(err)?;
            queued(engine, Item::Eta(r))
        }
        "safety" => {
            known(&["to", "text"])?;
            let m = cmd::safety_message(text("to")?.as_deref(), &need("text")?).map_err(err)?;
            queued(engine, Item::Safety(m))
        }
        "vsd" => {
            known(&[
                "status",
                "destination",
                "eta",
                "draught",
                "persons",
                "ship_type",
            ])?;
            let opts = cmd::VsdOptions {
                status: text("status")?,
                destination: text("destination")?,
                eta: text("eta")?,
                draught: text("draught")?,
                persons: text("persons")?,
                ship_type: text("ship_type")?,
            };
            let s = cmd::voyage_data(&opts, now).map_err(err)?.sentence();
            engine.desk.send_data("VSD", vec![s])?;
            Ok(json!({"time": crate::clock::rfc3339(now), "event": "queued", "what": "VSD"}))
        }
        "ssd" => {
            known(&["callsign", "name", "a", "b", "c", "d"])?;
            let opts = cmd::SsdOptions {
                callsign: text("callsign")?,
                name: text("name")?,
                a: text("a")?,
                b: text("b")?,
                c: text("c")?,
                d: text("d")?,
            };
            let s = cmd::static_data(&opts).map_err(err)?.sentence();
            engine.desk.send_data("SSD", vec![s])?;
            Ok(json!({"time": crate::clock::rfc3339(now), "event": "queued", "what": "SSD"}))
        }
        other => Err(format!(
            "send {other:?}: expected \"eta\", \"safety\", \"vsd\" or \"ssd\""
        )),
    }
}

/// The outbox's messages that are not settled (queued, written and
/// waiting for an ABK, interrupted by a crash), as headless `outbox`
/// events: what a restart found.
pub fn restored_json(engine: &Engine, now: i64) -> Vec<serde_json::Value> {
    use crate::voyage::outbox::{Item, State};
    engine
        .desk
        .outbox_entries()
        .iter()
        .filter(|e| {
            matches!(
                e.state,
                State::Queued
                    | State::Sending { .. }
                    | State::Written { .. }
                    | State::Interrupted { .. }
                    | State::NoAbk { .. }
            )
        })
        .map(|e| {
            let state = match &e.state {
                State::Queued => "queued",
                State::Sending { .. } => "sending",
                State::Written { .. } => "written",
                State::Interrupted { .. } => "interrupted",
                _ => "no_abk",
            };
            let text = match &e.item {
                Item::Safety(m) => Some(m.text.text.clone()),
                Item::Eta(_) => None,
            };
            serde_json::json!({"time": crate::clock::rfc3339(now), "event": "outbox",
                "id": e.id.0, "state": state, "msg": e.item.msg_id(), "to": e.item.to(),
                "seq": e.state.seq(), "text": text})
        })
        .collect()
}
