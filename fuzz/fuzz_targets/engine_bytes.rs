//! Arbitrary bytes through the whole headless engine — data clock, own
//! ship, targets, CPA, lost rules, alarms — on two links (fragments per
//! link), and through the console's update (every action, snooze, silence,
//! the quit question) and rendering. Nothing may panic.
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
    let first = data.first().copied().map(|b| i64::from(b) * 1_000_000_000);
    app.link(LinkMsg::ReplayClock { link: 0, first_ms: first });
    let actions = Action::ALL;
    for (i, line) in data.split(|&b| b == b'\n').enumerate() {
        let link = usize::from(line.first().is_some_and(|b| b & 1 == 1));
        if i % 5 == 4 {
            app.link(LinkMsg::Lines { link, received_ms: i as i64 * 1000, lines: vec![Some(line.to_vec()), None] });
        } else {
            app.link(LinkMsg::Line { link, received_ms: i as i64 * 1000, line: Some(line.to_vec()) });
        }
        if i % 7 == 0 {
            let a = actions[line.len() % actions.len()].0;
            if a != Action::Quit {
                app.update(a);
            }
            app.tick(i as i64 * 1000);
        }
    }
    for a in [Action::Acknowledge, Action::ToggleDetails, Action::ZoomIn, Action::ToggleHeadUp, Action::ScrollRight, Action::Silence, Action::Snooze, Action::ChooseAlarm, Action::Quit] {
        app.update(a);
    }
    // TestBackend never fails.
    let Ok(mut t) = Terminal::new(TestBackend::new(100, 30));
    let _ = t.draw(|f| bridgewatch::ui::draw(f, &app));
});
