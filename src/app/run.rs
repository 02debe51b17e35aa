//! What the console runs and its state built from the configuration: the
//! same for the terminal loop (`ui::terminal`), the tests and the
//! benchmarks.

use super::Config;
use super::alarm_log::AlarmLog;
use super::console::{App, Keymap};
use super::palette::Palette;
pub use super::recording::Recording;
use crate::link::InputSpec;

/// What to run.
pub enum Source {
    /// Configured inputs.
    Inputs(Vec<InputSpec>),
    /// The built-in demo at `speed`.
    Demo,
}

/// Build the app for a console run (also used by tests and benchmarks).
pub fn build_app(config: &Config, source: &Source, log: AlarmLog) -> Result<App, String> {
    let keymap = Keymap::new(&config.keys)?;
    let mut traffic = config.traffic();
    let (names, live) = match source {
        Source::Inputs(specs) => (
            specs.iter().map(InputSpec::name).collect(),
            specs.iter().any(|s| !matches!(s, InputSpec::File(_))),
        ),
        Source::Demo => {
            traffic.own_ship.mmsi.get_or_insert(super::demo::OWN_MMSI);
            (vec!["demo".to_string()], false)
        }
    };
    let mut app = App::new(traffic, live, names, keymap, log);
    if let Source::Demo = source {
        app.engine.start_ms = super::demo::START_MS;
    }
    if let Some(p) = config.console.palette.as_deref() {
        app.view.palette = Palette::parse(p)
            .ok_or_else(|| format!("[console] palette {p:?}: day, dusk or night"))?;
    }
    if let Some(s) = config.console.link_alarm_s {
        app.links.alarm_after_ms = (s * 1000.0) as i64;
    }
    if let Some(s) = config.console.bell_repeat_s {
        app.bell.repeat_ms = (s * 1000.0) as i64;
    }
    if let Some(s) = config.console.silence_s {
        app.silence_ms = (s * 1000.0) as i64;
    }
    app.utc_offset_min = config
        .console
        .utc_offset_h
        .map(|h| (h * 60.0).round() as i32);
    if let Source::Inputs(_) = source {
        app.remember_in(config.data_dir().map(|d| d.join(super::memory::FILE)));
    }
    Ok(app)
}
