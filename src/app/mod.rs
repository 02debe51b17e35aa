//! The application: the configuration file, the engine (decoded input →
//! traffic → events), the alarm log, the console's state and update, the
//! event loop, headless mode and the built-in demo.

pub mod aiip_io;
pub mod alarm_log;
pub mod bell;
pub mod console;
pub mod demo;
pub mod demo_transponder;
pub mod desk_io;
pub mod engine;
pub mod forms;
pub mod headless;
pub mod links;
pub mod memory;
pub mod own_data;
pub mod palette;
pub mod recording;
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
    /// The AI-IP client (used with an `aiip:HOST:PORT` input).
    pub aiip: AiipConfig,
    /// Own ship's static and voyage data, sent over AI-IP (a vessel on
    /// AI-IP alone has no transponder holding them).
    pub own_static: aiip_io::OwnStaticConfig,
    /// `bridgewatch aiip-server`: the networks that need no address proof.
    pub aiip_server: AiipServerConfig,
}

/// The `[aiip_server]` table, read by `bridgewatch aiip-server`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AiipServerConfig {
    /// Client networks exempt from address validation (`--allow`), e.g.
    /// `["10.8.0.0/24"]`; none by default, loopback included.
    pub allow: Vec<String>,
}

impl AiipServerConfig {
    /// The networks, each checked.
    pub fn networks(&self) -> Result<Vec<crate::aiip::validation::Cidr>, String> {
        self.allow
            .iter()
            .map(|n| {
                crate::aiip::validation::Cidr::parse(n)
                    .map_err(|e| format!("[aiip_server] allow: {e}"))
            })
            .collect()
    }
}

/// The `[aiip]` table: the AI-IP client's settings (`mode`, `range_km`,
/// `strategic_interval_s`, `smart`, `detect_status`) and where received vessels are relayed.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AiipConfig {
    pub mode: Option<crate::aiip::client::Mode>,
    pub range_km: Option<u16>,
    pub strategic_interval_s: Option<u32>,
    pub smart: Option<bool>,
    /// With `smart`: own status set to moored when the vessel lies still
    /// and back when it moves (default true).
    pub detect_status: Option<bool>,
    /// `udp:HOST:PORT`: received vessels as `!AIVDM` sentences (§3.3.3.7).
    pub relay: Option<String>,
}

impl AiipConfig {
    /// The client's configuration with own MMSI `own_mmsi` (0: unknown).
    pub fn client(&self, own_mmsi: u32) -> crate::aiip::client::ClientConfig {
        let d = crate::aiip::client::ClientConfig::default();
        crate::aiip::client::ClientConfig {
            own_mmsi,
            mode: self.mode.unwrap_or(d.mode),
            range_km: self.range_km.unwrap_or(d.range_km),
            strategic_interval_s: self.strategic_interval_s.unwrap_or(d.strategic_interval_s),
            smart: self.smart.unwrap_or(d.smart),
            detect_status: self.detect_status.unwrap_or(d.detect_status),
        }
    }

    /// Every setting usable (own MMSI aside: without it the client only
    /// says why it sends nothing).
    pub fn validate(&self) -> Result<(), String> {
        self.client(1)
            .validate()
            .map_err(|e| format!("[aiip] {e}"))?;
        if let Some(r) = self.relay.as_deref() {
            aiip_io::relay_target(r).map_err(|e| format!("[aiip] relay: {e}"))?;
        }
        Ok(())
    }
}

/// Where the configuration came from, for the status bar and `--help`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// Given with `--config`.
    Given(PathBuf),
    /// `config.toml` in the platform config directory.
    Default(PathBuf),
    /// No file: built-in defaults.
    BuiltIn,
}

impl ConfigSource {
    /// "config PATH" or "built-in defaults".
    pub fn label(&self) -> String {
        match self {
            ConfigSource::Given(p) | ConfigSource::Default(p) => format!("config {}", p.display()),
            ConfigSource::BuiltIn => "built-in defaults".to_string(),
        }
    }
}

/// `config.toml` in the platform config directory (e.g.
/// `~/.config/bridgewatch/config.toml`), read when no `--config` is given.
pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "bridgewatch")
        .map(|d| d.config_dir().join("config.toml"))
}

/// The platform data directory (alarm log, diagnostics log) when neither
/// the config nor `BRIDGEWATCH_DATA_DIR` names one.
pub fn default_data_dir() -> Option<PathBuf> {
    std::env::var_os("BRIDGEWATCH_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            directories::ProjectDirs::from("", "", "bridgewatch")
                .map(|d| d.data_dir().to_path_buf())
        })
}

/// `what`, prefixed with the line of `key` in `text` (in the table
/// `[table]`, or before any table), when it can be found.
fn at_line(text: &str, table: Option<&str>, key: &str, what: &str) -> String {
    let mut current: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if let Some(h) = l.strip_prefix('[') {
            let name = h
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim();
            // An unknown table is found by its header.
            if table.is_none() && name == key {
                return format!("line {}: {what}", i + 1);
            }
            current = Some(name);
            continue;
        }
        let k = l.split('=').next().unwrap_or("").trim().trim_matches('"');
        if l.contains('=') && k == key && current == table {
            return format!("line {}: {what}", i + 1);
        }
    }
    what.to_string()
}

/// A problem "[table] key = …" with the line of that key in `text`, when
/// it can be found.
fn locate(text: &str, problem: &str) -> String {
    let Some(rest) = problem.strip_prefix('[') else {
        return problem.to_string();
    };
    let Some((table, after)) = rest.split_once("] ") else {
        return problem.to_string();
    };
    let key: String = after
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    at_line(text, Some(table), &key, problem)
}

/// A numeric setting outside its range: refused with the key, the value
/// and the allowed range.
fn check_range(key: &str, value: f64, lo: f64, hi: f64) -> Result<(), String> {
    if value.is_finite() && (lo..=hi).contains(&value) {
        Ok(())
    } else {
        Err(format!("{key} = {value}: allowed {lo} to {hi}"))
    }
}

impl Config {
    /// Read and check a config file.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Config::parse(&text).map_err(|errs| {
            errs.iter()
                .map(|e| format!("{}: {e}", path.display()))
                .collect::<Vec<_>>()
                .join("\n")
        })
    }

    /// Parse and check a config file's text. Every problem is reported,
    /// not only the first: each key that cannot be read (unknown, wrong
    /// type) with its line, then every setting out of its range among the
    /// rest. A file that is not TOML at all has one error, where it stops.
    pub fn parse(text: &str) -> Result<Config, Vec<String>> {
        let first = match toml::from_str::<Config>(text) {
            Ok(c) => {
                let p: Vec<String> = c.problems().iter().map(|p| locate(text, p)).collect();
                return if p.is_empty() { Ok(c) } else { Err(p) };
            }
            Err(e) => e,
        };
        let Ok(table) = text.parse::<toml::Table>() else {
            return Err(vec![first.to_string()]);
        };
        // Each key alone: the ones that fail are the errors; the others
        // make a config whose ranges are checked too.
        let alone = |key: &str, v: toml::Value| -> Result<(), String> {
            let mut t = toml::Table::new();
            t.insert(key.to_string(), v);
            toml::Value::Table(t)
                .try_into::<Config>()
                .map(|_| ())
                .map_err(|e| e.message().to_string())
        };
        let mut errs = Vec::new();
        let mut good = toml::Table::new();
        for (k, v) in table {
            if let toml::Value::Table(t) = &v
                && alone(&k, toml::Value::Table(toml::Table::new())).is_ok()
            {
                let mut keep = toml::Table::new();
                for (kk, vv) in t {
                    let mut inner = toml::Table::new();
                    inner.insert(kk.clone(), vv.clone());
                    match alone(&k, toml::Value::Table(inner)) {
                        Ok(()) => {
                            keep.insert(kk.clone(), vv.clone());
                        }
                        Err(e) => {
                            errs.push(at_line(text, Some(&k), kk, &format!("[{k}] {kk}: {e}")));
                        }
                    }
                }
                good.insert(k, toml::Value::Table(keep));
                continue;
            }
            match alone(&k, v.clone()) {
                Ok(()) => {
                    good.insert(k, v);
                }
                Err(e) => errs.push(at_line(text, None, &k, &format!("{k}: {e}"))),
            }
        }
        if let Ok(c) = toml::Value::Table(good).try_into::<Config>() {
            errs.extend(c.problems().iter().map(|p| locate(text, p)));
        }
        if errs.len() <= 1 {
            // One error: toml's own words, with the line shown.
            return Err(vec![first.to_string()]);
        }
        Err(errs)
    }

    /// The file given, else the platform's `config.toml` when it exists,
    /// else the built-in defaults; checked the same way in every mode.
    pub fn find(given: Option<&Path>) -> Result<(Config, ConfigSource), String> {
        if let Some(p) = given {
            return Ok((Config::load(p)?, ConfigSource::Given(p.to_path_buf())));
        }
        match default_config_path() {
            Some(p) if p.exists() => Ok((Config::load(&p)?, ConfigSource::Default(p))),
            _ => Ok((Config::default(), ConfigSource::BuiltIn)),
        }
    }

    /// Every numeric setting within its range, the palette and the keys
    /// known. (Key conflicts are checked when the keymap is built.)
    pub fn validate(&self) -> Result<(), String> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }

    /// Every setting out of its range or unknown, each with its key: all of
    /// them, so that one edit fixes the file.
    pub fn problems(&self) -> Vec<String> {
        let mut errs: Vec<String> = Vec::new();
        let mut check = |r: Result<(), String>| {
            if let Err(e) = r {
                errs.push(e);
            }
        };
        check(self.aiip_server.networks().map(|_| ()));
        check(self.own_static.build().map(|_| ()));
        check(self.own_static.nav_status().map(|_| ()));
        let o = &self.own_ship;
        check(check_range(
            "[own_ship] own_position_timeout_s",
            o.own_position_timeout_s,
            1.0,
            3600.0,
        ));
        if let Some(why) = o
            .mmsi
            .and_then(crate::traffic::config::ship_station_problem)
        {
            check(Err(format!(
                "[own_ship] mmsi = {}: {why}",
                o.mmsi.unwrap_or(0)
            )));
        }
        check(check_range(
            "[own_ship] own_mmsi_clash_nm",
            o.own_mmsi_clash_nm,
            0.1,
            50.0,
        ));
        check(check_range(
            "[own_ship] abk_timeout_s",
            o.abk_timeout_s,
            5.0,
            600.0,
        ));
        if let Some(t) = o.transponder.as_deref() {
            match crate::link::InputSpec::parse(t) {
                Ok(crate::link::InputSpec::Serial { .. } | crate::link::InputSpec::Tcp(_)) => {}
                Ok(_) => check(Err(format!(
                    "[own_ship] transponder = {t:?}: allowed serial:DEVICE[@BAUD] or tcp:HOST:PORT"
                ))),
                Err(e) => check(Err(format!("[own_ship] transponder: {e}"))),
            }
        }
        let a = &self.alarms;
        // A limit of 0 would make no target ever dangerous: refused, so the
        // dangerous-target alarm is never switched off without the flag
        // that `dangerous = false` shows.
        check(check_range(
            "[alarms] cpa_limit_nm",
            a.cpa_limit_nm,
            0.1,
            20.0,
        ));
        check(check_range(
            "[alarms] tcpa_limit_min",
            a.tcpa_limit_min,
            1.0,
            120.0,
        ));
        check(check_range(
            "[alarms] cpa_hysteresis_nm",
            a.cpa_hysteresis_nm,
            0.0,
            2.0,
        ));
        check(check_range(
            "[alarms] hysteresis_share",
            a.hysteresis_share,
            0.0,
            0.5,
        ));
        check(check_range(
            "[alarms] cpa_hysteresis_range_share",
            a.cpa_hysteresis_range_share,
            0.0,
            0.2,
        ));
        check(check_range(
            "[alarms] tcpa_hysteresis_min",
            a.tcpa_hysteresis_min,
            0.0,
            10.0,
        ));
        check(check_range(
            "[alarms] rectify_dwell_s",
            a.rectify_dwell_s,
            0.0,
            600.0,
        ));
        check(check_range(
            "[alarms] ack_hold_s",
            a.ack_hold_s,
            0.0,
            3600.0,
        ));
        check(check_range(
            "[alarms] caution_display_s",
            a.caution_display_s,
            1.0,
            3600.0,
        ));
        check(check_range(
            "[alarms] activation_range_nm",
            a.activation_range_nm,
            0.0,
            100.0,
        ));
        check(check_range(
            "[alarms] lost_alarm_range_nm",
            a.lost_alarm_range_nm,
            0.1,
            500.0,
        ));
        check(check_range(
            "[alarms] moored_max_sog_kn",
            a.moored_max_sog_kn,
            0.0,
            10.0,
        ));
        check(check_range(
            "[alarms] still_sog_kn",
            a.still_sog_kn,
            0.0,
            5.0,
        ));
        check(check_range(
            "[alarms] still_closing_m",
            a.still_closing_m,
            5.0,
            500.0,
        ));
        check(check_range(
            "[alarms] own_alongside_max_sog_kn",
            a.own_alongside_max_sog_kn,
            0.0,
            10.0,
        ));
        let l = &self.lost;
        let day = 86_400.0;
        for (k, v) in [
            ("class_a_moored_s", l.class_a_moored_s),
            ("class_a_slow_s", l.class_a_slow_s),
            ("class_a_fast_s", l.class_a_fast_s),
            ("class_a_very_fast_s", l.class_a_very_fast_s),
            ("sar_base_s", l.sar_base_s),
            ("aton_sart_s", l.aton_sart_s),
            ("class_b_so_s[0]", l.class_b_so_s[0]),
            ("class_b_so_s[1]", l.class_b_so_s[1]),
            ("class_b_so_s[2]", l.class_b_so_s[2]),
            ("class_b_so_s[3]", l.class_b_so_s[3]),
            ("class_b_cs_s[0]", l.class_b_cs_s[0]),
            ("class_b_cs_s[1]", l.class_b_cs_s[1]),
        ] {
            check(check_range(&format!("[lost] {k}"), v, 1.0, day));
        }
        check(check_range(
            "[lost] remove_after_s",
            l.remove_after_s,
            0.0,
            day,
        ));
        if let Some(s) = self.console.link_alarm_s {
            check(check_range("[console] link_alarm_s", s, 1.0, 3600.0));
        }
        if let Some(s) = self.console.bell_repeat_s {
            check(check_range("[console] bell_repeat_s", s, 1.0, 60.0));
        }
        if let Some(s) = self.console.silence_s {
            check(check_range("[console] silence_s", s, 5.0, 600.0));
        }
        if let Some(h) = self.console.utc_offset_h {
            check(check_range("[console] utc_offset_h", h, -12.0, 14.0));
            if (h * 4.0).fract() != 0.0 {
                check(Err(format!(
                    "[console] utc_offset_h = {h}: allowed whole quarter hours (1, 5.5, 5.75 …)"
                )));
            }
        }
        if let Some(p) = self.console.palette.as_deref()
            && palette::Palette::parse(p).is_none()
        {
            check(Err(format!(
                "[console] palette = {p:?}: allowed day, dusk, night"
            )));
        }
        check(self.aiip.validate());
        check(console::Keymap::new(&self.keys).map(|_| ()));
        errs
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
        self.data_dir.clone().or_else(default_data_dir)
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
        c.validate().expect("the example's values are in range");
    }

    #[test]
    fn out_of_range_settings_are_refused_with_key_value_and_range() {
        let c: Config = toml::from_str("[alarms]\ncpa_limit_nm = 35.0\n").unwrap();
        let e = c.validate().unwrap_err();
        assert_eq!(e, "[alarms] cpa_limit_nm = 35: allowed 0.1 to 20");
        // A zero limit would silence every CPA alarm without a flag.
        let c: Config = toml::from_str("[alarms]\ncpa_limit_nm = 0.0\n").unwrap();
        assert!(c.validate().unwrap_err().contains("cpa_limit_nm = 0"));
        let c: Config = toml::from_str("[alarms]\ntcpa_limit_min = 0.0\n").unwrap();
        assert!(c.validate().unwrap_err().contains("tcpa_limit_min = 0"));
        let c: Config = toml::from_str("[lost]\nclass_b_cs_s = [1080.0, -5.0]\n").unwrap();
        let e = c.validate().unwrap_err();
        assert!(
            e.starts_with("[lost] class_b_cs_s[1] = -5: allowed 1 to"),
            "{e}"
        );
        let c: Config = toml::from_str("[alarms]\nrectify_dwell_s = 900\n").unwrap();
        assert_eq!(
            c.validate().unwrap_err(),
            "[alarms] rectify_dwell_s = 900: allowed 0 to 600"
        );
        let c: Config = toml::from_str("[alarms]\nhysteresis_share = -0.1\n").unwrap();
        assert!(c.validate().unwrap_err().contains("hysteresis_share"));
        let c: Config = toml::from_str("[console]\nlink_alarm_s = nan\n").unwrap();
        assert!(c.validate().unwrap_err().contains("link_alarm_s"));
        let c: Config = toml::from_str("[console]\nbell_repeat_s = 0.5\n").unwrap();
        assert_eq!(
            c.validate().unwrap_err(),
            "[console] bell_repeat_s = 0.5: allowed 1 to 60"
        );
        let c: Config = toml::from_str("[console]\nsilence_s = 1200\n").unwrap();
        assert_eq!(
            c.validate().unwrap_err(),
            "[console] silence_s = 1200: allowed 5 to 600"
        );
        for bad in ["-12.5", "14.25", "nan"] {
            let c: Config = toml::from_str(&format!("[console]\nutc_offset_h = {bad}\n")).unwrap();
            let e = c.validate().unwrap_err();
            assert!(e.starts_with("[console] utc_offset_h"), "{e}");
        }
        let c: Config = toml::from_str("[console]\nutc_offset_h = 1.1\n").unwrap();
        assert!(c.validate().unwrap_err().contains("quarter hours"));
        for good in ["-12.0", "14.0", "5.75", "0.0"] {
            let c: Config = toml::from_str(&format!("[console]\nutc_offset_h = {good}\n")).unwrap();
            assert_eq!(c.validate(), Ok(()), "{good}");
        }
        let c: Config = toml::from_str("[console]\npalette = \"noon\"\n").unwrap();
        assert!(c.validate().unwrap_err().contains("noon"));
        Config::default().validate().expect("defaults are in range");
    }

    #[test]
    fn own_mmsi_must_be_a_ship_station() {
        let check = |m: &str| {
            let c: Config = toml::from_str(&format!("[own_ship]\nmmsi = {m}\n")).unwrap();
            c.validate()
        };
        // ITU-R M.585: nine digits, MID 201–775.
        for bad in [
            "12345",
            "970111222",
            "992111222",
            "2111240",
            "111232506",
            "800000001",
        ] {
            let e = check(bad).unwrap_err();
            assert!(e.starts_with("[own_ship] mmsi = "), "{bad}: {e}");
            assert!(e.contains("MID 201 to 775"), "{bad}: {e}");
        }
        assert!(check("970111222").unwrap_err().contains("AIS-SART"));
        for good in ["230123000", "201000000", "775999999", "244123456"] {
            assert_eq!(check(good), Ok(()), "{good}");
        }
        assert!(check("200999999").is_err());
        assert!(check("776000000").is_err());
        // 0 is "not set".
        let c: Config = toml::from_str("[own_ship]\nmmsi = 0\n").unwrap();
        assert_eq!(c.own_ship.mmsi, None);
        assert_eq!(c.validate(), Ok(()));
    }

    #[test]
    fn every_problem_of_a_config_file_is_reported_with_its_line() {
        let text = "[own_ship]\nmmsi = 12345\n\n[alarms]\ncpa_limt_nm = 1.0\ntcpa_limit_min = 500\n\
                    [lost]\nremove_after_s = \"soon\"\n[console]\nsilence_s = 1\n";
        let errs = Config::parse(text).unwrap_err();
        assert_eq!(errs.len(), 5, "{errs:#?}");
        assert!(
            errs[0].starts_with("line 5: [alarms] cpa_limt_nm: unknown field"),
            "{errs:#?}"
        );
        assert!(
            errs[1].starts_with("line 8: [lost] remove_after_s: invalid type"),
            "{errs:#?}"
        );
        let rest = errs[2..].join("\n");
        // Out of range too, each with its line.
        assert!(rest.contains("line 2: [own_ship] mmsi = 12345"), "{rest}");
        assert!(
            rest.contains("line 6: [alarms] tcpa_limit_min = 500"),
            "{rest}"
        );
        assert!(rest.contains("line 10: [console] silence_s = 1"), "{rest}");
        // An unknown table, by its header.
        let errs = Config::parse("[alarms]\ncpa_limt_nm = 1.0\n[bogus]\nx = 1\n").unwrap_err();
        assert!(
            errs.iter().any(|e| e.starts_with("line 3: bogus")),
            "{errs:?}"
        );
        // One problem alone keeps toml's own words, with the line shown.
        let one = Config::parse("[alarms]\ncpa_limt_nm = 1.0\n").unwrap_err();
        assert_eq!(one.len(), 1);
        assert!(
            one[0].contains("line 2") && one[0].contains("cpa_limt_nm"),
            "{one:?}"
        );
        // Not TOML at all: where it stops.
        assert_eq!(Config::parse("[alarms\n").unwrap_err().len(), 1);
        // A file that loads reports them all too.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.toml");
        std::fs::write(&p, text).unwrap();
        let e = Config::load(&p).unwrap_err();
        assert_eq!(e.lines().count(), 5, "{e}");
        assert!(
            e.lines().all(|l| l.starts_with(&p.display().to_string())),
            "{e}"
        );
    }

    #[test]
    fn transponder_and_abk_timeout_are_checked() {
        let c: Config = toml::from_str("[own_ship]\nabk_timeout_s = 4\n").unwrap();
        assert_eq!(
            c.validate().unwrap_err(),
            "[own_ship] abk_timeout_s = 4: allowed 5 to 600"
        );
        let c: Config =
            toml::from_str("[own_ship]\ntransponder = \"udp:0.0.0.0:10110\"\n").unwrap();
        assert!(c.validate().unwrap_err().contains("serial:DEVICE"));
        let c: Config = toml::from_str("[own_ship]\ntransponder = \"ttyUSB0\"\n").unwrap();
        assert!(c.validate().unwrap_err().contains("transponder"));
        let c: Config =
            toml::from_str("[own_ship]\ntransponder = \"tcp:10.0.0.5:2000\"\n").unwrap();
        c.validate().unwrap();
    }

    #[test]
    fn the_transponder_is_the_named_link_else_the_only_serial_input() {
        use crate::link::InputSpec;
        let p = |s: &str| InputSpec::parse(s).unwrap();
        let udp = p("udp:0.0.0.0:10110");
        let none = Config::default();
        // The only serial input.
        let ins = [udp.clone(), p("serial:/dev/ttyUSB0")];
        assert_eq!(desk_io::transponder(&none, &ins), (ins.to_vec(), Some(1)));
        // Two serial inputs, none named: no transponder.
        let two = [p("serial:/dev/ttyUSB0"), p("serial:/dev/ttyUSB1")];
        assert_eq!(desk_io::transponder(&none, &two).1, None);
        assert_eq!(
            desk_io::transponder(&none, std::slice::from_ref(&udp)).1,
            None
        );
        // Named: found among the inputs by device, whatever the baud rate.
        let mut named = Config::default();
        named.own_ship.transponder = Some("serial:/dev/ttyUSB1@4800".into());
        assert_eq!(desk_io::transponder(&named, &two), (two.to_vec(), Some(1)));
        // Named and not among the inputs: added.
        named.own_ship.transponder = Some("tcp:10.0.0.5:2000".into());
        let (ins, t) = desk_io::transponder(&named, &two);
        assert_eq!((ins.len(), t), (3, Some(2)));
        assert_eq!(ins[2], p("tcp:10.0.0.5:2000"));
    }
}
