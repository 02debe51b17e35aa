//! The optional raw recording of everything received (`--record`), for
//! both front-ends: lines with their stamps, a storage alarm when it cannot
//! be written.

use super::engine::Engine;
use crate::link::recorder::Recorder;
use std::io;

/// The optional raw recording of everything received (`--record`). A
/// recording that cannot be written raises a storage alarm and stops; it
/// never ends the watch.
pub struct Recording {
    recorder: Option<Recorder>,
}

impl Recording {
    /// Open `path` (none: no recording). Failing to open is an alarm.
    pub fn open(path: Option<&std::path::Path>, engine: &mut Engine) -> Recording {
        let Some(path) = path else {
            return Recording { recorder: None };
        };
        match Recorder::open(path) {
            Ok(r) => {
                tracing::info!("recording to {}", path.display());
                Recording { recorder: Some(r) }
            }
            Err(e) => {
                let why = format!("{}: {e}", path.display());
                tracing::error!("recording not written: {why}");
                engine.storage_problem("recording", Some(&why), crate::link::wall_ms());
                Recording { recorder: None }
            }
        }
    }

    /// Record one received line with its stamp (see
    /// [`Links::handle_tapped`](super::links::Links::handle_tapped)): the
    /// data time when replaying, so a recording made at `--speed N` replays
    /// at the true pace; the receive time when live.
    pub fn record(&mut self, engine: &mut Engine, line: &[u8], stamp_ms: i64) {
        let Some(r) = self.recorder.as_mut() else {
            return;
        };
        if let Err(e) = r.write(line, stamp_ms) {
            self.fail(engine, e, crate::link::wall_ms());
        }
    }

    /// Push what is buffered to disk (once a second, and at the end).
    pub fn flush(&mut self, engine: &mut Engine, wall_ms: i64) {
        if let Some(r) = self.recorder.as_mut()
            && let Err(e) = r.flush()
        {
            self.fail(engine, e, wall_ms);
        }
    }

    fn fail(&mut self, engine: &mut Engine, e: io::Error, wall_ms: i64) {
        let path = self
            .recorder
            .take()
            .map(|r| r.path.display().to_string())
            .unwrap_or_default();
        let why = format!("{path}: {e}; recording stopped");
        tracing::error!("recording not written: {why}");
        engine.storage_problem("recording", Some(&why), wall_ms);
    }
}
