//! What the console's forms remember across restarts: the stored
//! safety-message texts, the last destinations sent and the inland pages
//! as last sent. A small JSON file in the data directory, written when
//! something changes and read at start. A file that cannot be read or
//! written is logged and the console goes on with what it has.

use super::forms::InlandTexts;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The file's name in the data directory.
pub const FILE: &str = "forms.json";

/// The remembered values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Memory {
    /// Safety texts stored with Ctrl-S.
    pub stored_texts: Vec<String>,
    /// Destinations sent, newest first.
    pub destinations: Vec<String>,
    /// The inland pages' fields as last sent.
    pub inland: InlandTexts,
}

impl Memory {
    /// Read `path`; nothing remembered when it does not exist yet, or (with
    /// a warning) when it cannot be read or understood.
    pub fn load(path: &Path) -> Memory {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Memory::default(),
            Err(e) => {
                tracing::warn!("cannot read {}: {e}", path.display());
                return Memory::default();
            }
        };
        match serde_json::from_str::<Memory>(&text) {
            Ok(m) => m,
            Err(e) => {
                tracing::warn!("cannot understand {}: {e}", path.display());
                Memory::default()
            }
        }
    }

    /// Write to `path` (through a temporary file, then renamed); a failure
    /// is logged and otherwise ignored.
    pub fn save(&self, path: &Path) {
        if let Err(e) = self.try_save(path) {
            tracing::warn!("cannot write {}: {e}", path.display());
        }
    }

    fn try_save(&self, path: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join(FILE);
        assert_eq!(Memory::load(&path), Memory::default());
        let m = Memory {
            stored_texts: vec!["ICE AHEAD".into()],
            destinations: vec!["NLRTM".into()],
            inland: InlandTexts {
                voyage: vec!["".into(), "B".into()],
                station: vec!["02326789".into()],
            },
        };
        m.save(&path);
        assert_eq!(Memory::load(&path), m);
        std::fs::write(&path, "{not json").unwrap();
        assert_eq!(Memory::load(&path), Memory::default());
        // A directory where the file should be: logged, not fatal.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir_all(blocked.join(FILE)).unwrap();
        m.save(&blocked.join(FILE));
        assert_eq!(Memory::load(&blocked.join(FILE)), Memory::default());
    }
}
