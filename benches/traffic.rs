//! The traffic engine: a full recompute (CPA/TCPA, states, lost rules) of
//! 10,000 targets, and ingestion of real sentences through the whole
//! headless engine. Also prints the resident memory the 10,000 targets take.

mod common;

use bridgewatch::app::engine::Engine;
use bridgewatch::traffic::config::TrafficConfig;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const T0: i64 = 1_795_000_000_000;

fn rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// An engine with own ship and `n` moving targets scattered within ~20 NM.
fn busy_engine(n: u32) -> Engine {
    let mut e = Engine::new(TrafficConfig::default(), false);
    e.start_ms = T0;
    e.push_line(Some(common::own_rmc(T0).as_bytes()), 0);
    for i in 0..n {
        for s in common::report(i, T0) {
            e.push_line(Some(s.as_bytes()), 0);
        }
    }
    e.traffic.take_events();
    e
}

fn corpus() -> Vec<Vec<u8>> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/");
    let mut lines = Vec::new();
    for f in [
        "gpsd/ais/ais-nmea-type6-fid55.part1.log",
        "gpsd/ais/sample.aivdm",
        "pyais/nmea_data_sample.txt",
        "signalk/nais300-merrimac.log",
        "gpsd/ais/saab-r4.log",
    ] {
        let bytes = std::fs::read(format!("{root}{f}")).expect("testdata");
        for l in bytes.split(|&b| b == b'\n') {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            if l.starts_with(b"!") || l.starts_with(b"$") {
                lines.push(l.to_vec());
            }
        }
    }
    lines
}

fn bench(c: &mut Criterion) {
    let before = rss_kb();
    let mut e = busy_engine(10_000);
    let after = rss_kb();
    if let (Some(b), Some(a)) = (before, after) {
        eprintln!(
            "resident memory for 10,000 targets: {} KB (process {} KB)",
            a.saturating_sub(b),
            a
        );
    }
    let dangerous = e.traffic.targets.values().filter(|t| t.dangerous).count();
    eprintln!("targets {}, dangerous {dangerous}", e.traffic.targets.len());
    let mut g = c.benchmark_group("traffic");
    let mut now = T0;
    g.bench_function("recompute_10000_targets", |b| {
        b.iter(|| {
            // Stay within the own-position timeout so CPA is computed.
            now = T0 + (now - T0 + 1) % 5000;
            e.traffic.tick(now);
            black_box(e.traffic.take_events().len())
        })
    });
    let lines = corpus();
    g.throughput(Throughput::Elements(lines.len() as u64));
    g.bench_function("ingest_real_sentences", |b| {
        b.iter(|| {
            let mut e = Engine::new(TrafficConfig::default(), false);
            for l in &lines {
                e.push_line(Some(l), 0);
            }
            black_box(e.traffic.take_events().len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
