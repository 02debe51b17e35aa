//! Rendering: a full frame with 10,000 targets, and a key press answered
//! with a new frame while a 1,000-sentence-per-second feed keeps arriving
//! (100 sentences per 100 ms frame interval processed first).

mod common;

use bridgewatch::app::Config;
use bridgewatch::app::alarm_log::AlarmLog;
use bridgewatch::app::console::{Action, App};
use bridgewatch::app::run::{Source, build_app};
use bridgewatch::link::InputSpec;
use bridgewatch::link::tasks::LinkMsg;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;

const T0: i64 = 1_795_000_000_000;

fn app_with(n: u32) -> App {
    let mut sink = Vec::new();
    let src = Source::Inputs(vec![InputSpec::File("bench".into())]);
    let mut app = build_app(&Config::default(), &src, AlarmLog::open(None, &mut sink)).unwrap();
    let line = |l: String| LinkMsg::Line {
        link: 0,
        received_ms: 0,
        line: Some(l.into_bytes()),
    };
    app.link(line(common::own_rmc(T0)));
    for i in 0..n {
        for l in common::report(i, T0) {
            app.link(line(l));
        }
    }
    app
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("render");
    let app = app_with(10_000);
    let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap();
    g.bench_function("frame_10000_targets_200x60", |b| {
        b.iter(|| {
            term.draw(|f| bridgewatch::ui::draw(f, &app)).unwrap();
            black_box(term.backend().buffer().area.width)
        })
    });
    let mut app = app_with(1_000);
    let feed: Vec<Vec<u8>> = (0..100u32)
        .flat_map(|i| common::report(i * 7 % 1000, T0 + 500))
        .map(String::into_bytes)
        .collect();
    let mut term = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let mut down = true;
    g.bench_function("key_to_frame_1000_targets_with_feed", |b| {
        b.iter(|| {
            for l in &feed {
                app.link(LinkMsg::Line {
                    link: 0,
                    received_ms: 0,
                    line: Some(l.clone()),
                });
            }
            app.update(if down {
                Action::NextTarget
            } else {
                Action::PrevTarget
            });
            down = !down;
            term.draw(|f| bridgewatch::ui::draw(f, &app)).unwrap();
            black_box(app.engine.traffic.selected)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
