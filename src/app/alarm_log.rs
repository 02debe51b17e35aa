//! The persistent alarm log: every alarm transition, received safety
//! message and RTA appended to `alarms.jsonl` in the data directory, as one
//! JSON object a line.

use super::engine::{clean, event_json};
use crate::clock::rfc3339;
use crate::traffic::Event;
use crate::traffic::alarm::AlarmTransition;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

/// Appends alarm transitions and received messages to `alarms.jsonl`.
/// A log that cannot be written is retried at every write and reported by
/// [`AlarmLog::problem`], so the app can show it as an alarm: the watch
/// never ends over it, and nothing is silently lost from view.
#[derive(Debug)]
pub struct AlarmLog {
    file: Option<std::fs::File>,
    pub path: Option<PathBuf>,
    problem: Option<String>,
}

impl AlarmLog {
    /// Open (create) the log in `dir` (`None`: no log is kept). A log that
    /// cannot be opened is reported on `err` and by [`problem`](Self::problem).
    pub fn open(dir: Option<PathBuf>, err: &mut dyn Write) -> AlarmLog {
        let mut log = AlarmLog {
            file: None,
            path: dir.map(|d| d.join("alarms.jsonl")),
            problem: None,
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
        match file {
            Ok(f) => {
                self.file = Some(f);
                self.problem = None;
            }
            Err(e) => self.fail(e),
        }
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
        let mut buf = String::new();
        for t in transitions {
            let v = json!({"time": rfc3339(t.at_ms), "alarm": t.id.class(), "mmsi": t.id.mmsi(),
                           "priority": t.priority.name(),
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
        if buf.is_empty() {
            return;
        }
        if self.file.is_none() {
            self.reopen();
        }
        if let Some(f) = self.file.as_mut()
            && let Err(e) = f.write_all(buf.as_bytes())
        {
            self.fail(e);
        }
    }
}
