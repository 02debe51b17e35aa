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
