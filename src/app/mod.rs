//! The application: the configuration file, the engine (decoded input →
//! traffic → events), the alarm log, the console's state and update, the
//! event loop, headless mode and the built-in demo.

pub mod alarm_log;
pub mod console;
pub mod demo;
pub mod engine;
pub mod headless;
pub mod run;

use crate::traffic::config::{AlarmConfig, LostConfig, OwnShipConfig, TrafficConfig};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The whole configuration file (`config.example.toml` documents it).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Inputs in the `--input` syntax (`file:`, `udp:` …).
    pub inputs: Vec<String>,
    /// Where the alarm log is kept; default: the platform data directory.
    pub data_dir: Option<PathBuf>,
    /// Record everything received to this file (with receive-time tag
    /// blocks) for later replay.
    pub record: Option<PathBuf>,
    pub own_ship: OwnShipConfig,
    pub alarms: AlarmConfig,
    pub lost: LostConfig,
    /// Console settings.
    pub console: console::ConsoleConfig,
    /// Key bindings: action name = key (see the help overlay).
    pub keys: std::collections::HashMap<String, String>,
}

impl Config {
    /// Read and check a config file.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The traffic engine's part.
    pub fn traffic(&self) -> TrafficConfig {
        TrafficConfig {
            own_ship: self.own_ship.clone(),
            alarms: self.alarms.clone(),
            lost: self.lost.clone(),
        }
    }

    /// The data directory: config, then `BRIDGEWATCH_DATA_DIR`, then the
    /// platform's (e.g. `~/.local/share/bridgewatch`).
    pub fn data_dir(&self) -> Option<PathBuf> {
        self.data_dir
            .clone()
            .or_else(|| std::env::var_os("BRIDGEWATCH_DATA_DIR").map(PathBuf::from))
            .or_else(|| {
                directories::ProjectDirs::from("", "", "bridgewatch")
                    .map(|d| d.data_dir().to_path_buf())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_parses() {
        let text = include_str!("../../config.example.toml");
        let c: Config = toml::from_str(text).expect("config.example.toml is valid");
        assert_eq!(c.alarms.cpa_limit_nm, 2.0);
        assert_eq!(c.alarms.tcpa_limit_min, 12.0);
    }
}
