//! Arbitrary bytes through the whole headless engine — data clock, own
//! ship, targets, CPA, lost rules, alarms — and through the console's
//! update and rendering. Nothing may panic.
#![no_main]

use bridgewatch::app::Config;
use bridgewatch::app::console::Action;
use bridgewatch::app::alarm_log::AlarmLog;
use bridgewatch::app::run::{Source, build_app};
use bridgewatch::link::tasks::LinkMsg;
use libfuzzer_sys::fuzz_target;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fuzz_target!(|data: &[u8]| {
    let mut sink = Vec::new();
    let src = Source::Inputs(vec![bridgewatch::link::InputSpec::Tcp("x:1".into())]);
    let Ok(mut app) = build_app(&Config::default(), &src, AlarmLog::open(None, &mut sink)) else {
        return;
    };
    app.engine.live = false;
    for (i, line) in data.split(|&b| b == b'\n').enumerate() {
        app.link(LinkMsg::Line { link: 0, received_ms: i as i64 * 1000, line: Some(line.to_vec()) });
        if i % 7 == 0 {
            app.update(Action::NextTarget);
            app.tick(i as i64 * 1000);
        }
    }
    for a in [Action::Acknowledge, Action::ToggleDetails, Action::ZoomIn, Action::ToggleHeadUp, Action::ScrollRight] {
        app.update(a);
    }
    // TestBackend never fails.
    let Ok(mut t) = Terminal::new(TestBackend::new(100, 30));
    let _ = t.draw(|f| bridgewatch::ui::draw(f, &app));
});
