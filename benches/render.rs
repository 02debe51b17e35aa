//! Rendering: a full frame with 10,000 targets, and a key press answered
//! with a new frame while a 1,000-sentence-per-second feed keeps arriving
//! (100 sentences per 100 ms frame interval processed first).

use bridgewatch::ais::encode::{encode, to_vdm};
use bridgewatch::ais::messages::*;
use bridgewatch::app::Config;
use bridgewatch::app::console::{Action, App};
use bridgewatch::app::headless::AlarmLog;
use bridgewatch::app::run::{Source, build_app};
use bridgewatch::link::InputSpec;
use bridgewatch::link::tasks::LinkMsg;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;

const T0: i64 = 1_795_000_000_000;

fn tagged(s: &str, ms: i64) -> Vec<u8> {
    let tag = format!("c:{ms}");
    format!(
        "\\{tag}*{:02X}\\{s}",
        bridgewatch::nmea::checksum(tag.as_bytes())
    )
    .into_bytes()
}

fn report(i: u32, ms: i64) -> Vec<Vec<u8>> {
    let a = f64::from(i) * 0.618_034 * std::f64::consts::TAU;
    let r = 20.0 * (f64::from(i % 1000) / 1000.0).sqrt();
    let lat = 54.5 + r * a.cos() / 60.0;
    let lon = 11.0 + r * a.sin() / (60.0 * 54.5f64.to_radians().cos());
    let m = AisMessage {
        msg_type: 1,
        repeat: 0,
        mmsi: 200_000_000 + i,
        body: Body::Position(PositionReport {
            status: 0,
            turn: 0,
            speed: (i % 200) as u16,
            accuracy: false,
            lon: (lon * 600_000.0) as i32,
            lat: (lat * 600_000.0) as i32,
            course: ((i * 37) % 3600) as u16,
            heading: 511,
            second: 0,
            maneuver: 0,
            spare: 0,
            raim: false,
            radio: 0,
        }),
    };
    to_vdm(&encode(&m).unwrap(), "AI", false, Some('A'), 0)
        .iter()
        .map(|s| tagged(s, ms))
        .collect()
}

fn app_with(n: u32) -> App {
    let mut sink = Vec::new();
    let src = Source::Inputs(vec![InputSpec::File("bench".into())]);
    let mut app = build_app(&Config::default(), &src, AlarmLog::open(None, &mut sink)).unwrap();
    let rmc = bridgewatch::nmea::build(
        '$',
        "GPRMC",
        &[
            "000000.00",
            "A",
            "5430.0000",
            "N",
            "01100.0000",
            "E",
            "12.0",
            "90.0",
            "181126",
            "",
            "",
            "A",
        ],
    );
    app.link(LinkMsg::Line {
        link: 0,
        received_ms: 0,
        line: Some(tagged(&rmc, T0)),
    });
    for i in 0..n {
        for l in report(i, T0) {
            app.link(LinkMsg::Line {
                link: 0,
                received_ms: 0,
                line: Some(l),
            });
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
        .flat_map(|i| report(i * 7 % 1000, T0 + 500))
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
