//! A console `App` without a terminal, fed NMEA lines as a link would feed
//! them: for tests of what the console decides (selection, alarms, the
//! acknowledge key) on its own state.
#![allow(dead_code)]

use bridgewatch::app::alarm_log::AlarmLog;
use bridgewatch::app::console::{App, Keymap};
use bridgewatch::link::tasks::LinkMsg;
use bridgewatch::traffic::config::TrafficConfig;
use std::collections::HashMap;

/// The console with default settings and keys, one link named "test".
pub fn app() -> App {
    let mut sink = Vec::new();
    let keymap = Keymap::new(&HashMap::new()).expect("default keys");
    App::new(
        TrafficConfig::default(),
        false,
        vec!["test".into()],
        keymap,
        AlarmLog::open(None, &mut sink),
    )
}

/// `lines` as received on link 0.
pub fn feed(app: &mut App, lines: Vec<String>) {
    for l in lines {
        app.link(LinkMsg::Line {
            link: 0,
            received_ms: 0,
            line: Some(l.into_bytes()),
        });
    }
}

/// The rows of a drawn test terminal, cell by cell.
pub fn screen(t: &ratatui::Terminal<ratatui::backend::TestBackend>) -> Vec<String> {
    let b = t.backend().buffer();
    (0..b.area.height)
        .map(|y| {
            (0..b.area.width)
                .map(|x| b[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect()
}
