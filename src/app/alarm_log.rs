//! The persistent alarm log: every alarm transition, received safety
//! message and RTA appended to `alarms.jsonl` in the data directory, as one
//! JSON object a line, in time order.
//!
//! The live log is the ship's record: the built-in demo and file replays
//! keep their own (`demo/alarms.jsonl`, `replay/alarms.jsonl` in the data
//! directory, begun afresh at each run) and never write into it. A log is
//! locked while a process writes it; a second process finds it taken,
//! says so, and writes `alarms-PID.jsonl` beside it instead, so that two
//! processes never interleave one file and nothing is lost.

use super::engine::{Records, clean, event_json};
use crate::clock::rfc3339;
use crate::traffic::Event;
use crate::traffic::alarm::{AlarmState, AlarmTransition};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

/// Whose alarms a log keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    /// Live inputs: the ship's record, `alarms.jsonl`, appended to.
    Live,
    /// The built-in demo: `demo/alarms.jsonl`, begun afresh each run.
    Demo,
    /// A replay of files alone: `replay/alarms.jsonl`, begun afresh.
    Replay,
}

impl LogKind {
    /// Files alone are a replay; anything live makes the run live.
    pub fn of_inputs(inputs: &[crate::link::InputSpec]) -> LogKind {
        if !inputs.is_empty()
            && inputs
                .iter()
                .all(|i| matches!(i, crate::link::InputSpec::File(_)))
        {
            LogKind::Replay
        } else {
            LogKind::Live
        }
    }

    /// The folder of the data directory its records go to (`None`: the
    /// data directory itself).
    pub fn folder(self) -> Option<&'static str> {
        match self {
            LogKind::Live => None,
            LogKind::Demo => Some("demo"),
            LogKind::Replay => Some("replay"),
        }
    }

    /// Where its records are kept, below the data directory `dir`.
    pub fn dir(self, dir: Option<PathBuf>) -> Option<PathBuf> {
        let d = dir?;
        Some(match self.folder() {
            Some(f) => d.join(f),
            None => d,
        })
    }
}

/// Appends alarm transitions and received messages to `alarms.jsonl`.
/// A log that cannot be written is retried at every write and reported by
/// [`AlarmLog::problem`], so the app can show it as an alarm: the watch
/// never ends over it, and nothing is silently lost from view.
#[derive(Debug)]
pub struct AlarmLog {
    file: Option<std::fs::File>,
    pub path: Option<PathBuf>,
    problem: Option<String>,
    /// Lines not yet written while the log could not be written: they go
    /// out first when it can again (bounded; the oldest are dropped past
    /// that, and counted).
    pending: String,
    /// Lines dropped because the log stayed unwritable too long.
    pub dropped: u64,
    pub kind: LogKind,
    /// A demo or replay log not yet begun afresh (emptied once locked).
    fresh: bool,
    /// What the log told at start (where it is, a lock taken), for the
    /// console's log view.
    pub notes: Vec<String>,
}

/// At most this much waits for an unwritable log.
const PENDING_MAX: usize = 4 * 1024 * 1024;

impl AlarmLog {
    /// Open (create) the live log in the data directory `dir` (`None`: no
    /// log is kept). A log that cannot be opened is reported on `err` and
    /// by [`problem`](Self::problem).
    pub fn open(dir: Option<PathBuf>, err: &mut dyn Write) -> AlarmLog {
        AlarmLog::open_kind(dir, LogKind::Live, err)
    }

    /// Open the log of a run of `kind` below the data directory `dir`. What
    /// it has to say (where a demo's or a replay's is, a lock found taken)
    /// is in [`notes`](Self::notes), for the caller to show.
    pub fn open_kind(dir: Option<PathBuf>, kind: LogKind, err: &mut dyn Write) -> AlarmLog {
        let mut log = AlarmLog {
            file: None,
            path: kind.dir(dir).map(|d| d.join("alarms.jsonl")),
            problem: None,
            pending: String::new(),
            dropped: 0,
            kind,
            fresh: kind != LogKind::Live,
            notes: Vec::new(),
        };
        log.reopen();
        if let (Some(p), Some(path)) = (&log.problem, &log.path) {
            let _ = writeln!(
                err,
                "bridgewatch: alarm log {} not written: {p}",
                path.display()
            );
        }
        log
    }

    fn reopen(&mut self) {
        let Some(path) = &self.path else {
            return;
        };
        let dir = path.parent().unwrap_or(std::path::Path::new("."));
        let file = std::fs::create_dir_all(dir).and_then(|_| {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
        });
        let f = match file {
            Ok(f) => f,
            Err(e) => return self.fail(e),
        };
        match f.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                // Another process writes this log: ours goes beside it.
                let alt = dir.join(format!("alarms-{}.jsonl", std::process::id()));
                self.notes.push(format!(
                    "alarm log {} is in use by another bridgewatch; this one writes {}",
                    path.display(),
                    alt.display()
                ));
                self.path = Some(alt);
                return self.reopen();
            }
            // A file system without locks: written all the same.
            Err(std::fs::TryLockError::Error(e)) => {
                tracing::warn!("alarm log {} not locked: {e}", path.display());
            }
        }
        if self.fresh {
            if let Err(e) = f.set_len(0) {
                return self.fail(e);
            }
            self.fresh = false;
            let whose = match self.kind {
                LogKind::Demo => "the demo's",
                _ => "this replay's",
            };
            self.notes.push(format!(
                "{whose} alarms are logged to {} (the ship's alarm log is not written)",
                path.display()
            ));
        }
        self.file = Some(f);
        self.problem = None;
    }

    fn fail(&mut self, e: std::io::Error) {
        if self.problem.is_none() {
            tracing::error!("alarm log {:?} not written: {e}", self.path);
        }
        self.file = None;
        self.problem = Some(e.to_string());
    }

    /// Why the log is not being written, while it is not.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    /// Log alarm transitions and safety messages (appended and flushed to
    /// the operating system at once).
    pub fn write(&mut self, transitions: &[AlarmTransition], events: &[Event]) {
        if self.path.is_none() {
            return;
        }
        // In time order: the transitions and messages of one batch of lines
        // come together, each at its own data time.
        let mut lines: Vec<(i64, String)> = Vec::new();
        for t in transitions {
            let mut v = json!({"time": rfc3339(t.at_ms), "alarm": t.id.class(), "mmsi": t.id.mmsi(),
                           "priority": t.priority.name(),
                           "state": t.state.map_or("cleared", |s| s.name()), "text": clean(&t.text)});
            if let Some(AlarmState::Snoozed { until_ms }) = t.state {
                v["until"] = json!(rfc3339(until_ms));
            }
            if let Some(by) = t.by {
                v["by"] = json!(by);
            }
            if let Some(r) = &t.reason {
                v["reason"] = json!(clean(r));
            }
            lines.push((t.at_ms, v.to_string()));
        }
        for e in events {
            match e {
                Event::SafetyMessage(m) => lines.push((m.at_ms, event_json(e).to_string())),
                Event::Rta(r) => lines.push((r.at_ms, event_json(e).to_string())),
                _ => {}
            }
        }
        lines.sort_by_key(|(at, _)| *at);
        let mut buf = String::new();
        for (_, l) in lines {
            buf.push_str(&l);
            buf.push('\n');
        }
        if buf.is_empty() && self.pending.is_empty() {
            return;
        }
        self.pending.push_str(&buf);
        if self.pending.len() > PENDING_MAX {
            // Keep the newest whole lines.
            let cut = self.pending.len() - PENDING_MAX;
            let at = self.pending[cut..]
                .find('\n')
                .map_or(self.pending.len(), |i| cut + i + 1);
            self.dropped += self.pending[..at].matches('\n').count() as u64;
            self.pending.drain(..at);
        }
        if self.file.is_none() {
            self.reopen();
        }
        let Some(f) = self.file.as_mut() else {
            return;
        };
        match f.write_all(self.pending.as_bytes()) {
            Ok(()) => self.pending.clear(),
            // Lines may be written twice after a partial write; never lost.
            Err(e) => self.fail(e),
        }
    }
}

impl Records for AlarmLog {
    fn keep(&mut self, transitions: &[AlarmTransition], events: &[Event]) {
        self.write(transitions, events);
    }

    fn problem(&self) -> Option<&str> {
        AlarmLog::problem(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::alarm::{AlarmId, AlarmState};

    fn transition(mmsi: u32) -> AlarmTransition {
        AlarmTransition {
            at_ms: 1_781_000_000_000,
            id: AlarmId::Dangerous(mmsi),
            priority: crate::traffic::alarm::Priority::Alarm,
            state: Some(AlarmState::ActiveUnacknowledged),
            text: format!("Dangerous target {mmsi}"),
            by: None,
            reason: None,
        }
    }

    #[test]
    fn lines_written_while_the_log_fails_come_out_when_it_works_again() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("alarms.jsonl");
        // Its place taken by a directory: cannot be opened, even by root.
        std::fs::create_dir(&blocker).unwrap();
        let mut log = AlarmLog::open(Some(dir.path().to_path_buf()), &mut Vec::new());
        assert!(log.problem().is_some());
        log.write(&[transition(1)], &[]);
        log.write(&[transition(2)], &[]);
        assert!(log.problem().is_some(), "still failing");
        // The place is free again: the next write brings everything.
        std::fs::remove_dir(&blocker).unwrap();
        log.write(&[transition(3)], &[]);
        assert_eq!(log.problem(), None);
        let text = std::fs::read_to_string(&blocker).unwrap();
        let mmsis: Vec<u64> = text
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["mmsi"]
                    .as_u64()
                    .unwrap()
            })
            .collect();
        assert_eq!(mmsis, [1, 2, 3]);
        assert_eq!(log.dropped, 0);
    }
}
