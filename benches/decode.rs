//! Decode throughput on real traffic: the gpsd and pyais AIS captures,
//! concatenated and repeated, decoded (a) to JSON through the `decode`
//! engine and (b) to typed messages without output. Criterion reports time
//! per pass; `docs/performance.md` converts to sentences per second.

use bridgewatch::ais::stream::{AisStream, Outcome};
use bridgewatch::decode::{DecodeOptions, Decoder};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn corpus() -> Vec<Vec<u8>> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/");
    let files = [
        "gpsd/ais/ais-nmea-type6-fid55.part1.log",
        "gpsd/ais/ais-18-27.log",
        "gpsd/ais/sample.aivdm",
        "pyais/nmea_data_sample.txt",
        "signalk/nais300-merrimac.log",
    ];
    let mut lines = Vec::new();
    for f in files {
        let bytes = std::fs::read(format!("{root}{f}")).expect("testdata");
        for l in bytes.split(|&b| b == b'\n') {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            if l.starts_with(b"!") {
                lines.push(l.to_vec());
            }
        }
    }
    lines
}

fn bench(c: &mut Criterion) {
    let lines = corpus();
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Elements(lines.len() as u64));
    g.bench_function("typed_messages", |b| {
        b.iter(|| {
            let mut s = AisStream::new();
            let mut n = 0u32;
            for l in &lines {
                if let Ok(Outcome::Ais(r)) = s.push_line(l, 0) {
                    n = n.wrapping_add(r.msg.mmsi);
                }
            }
            black_box(n)
        })
    });
    g.bench_function("gpsd_json", |b| {
        let mut d = Decoder::new(DecodeOptions::default());
        b.iter(|| {
            for l in &lines {
                let _ = d.line(l);
            }
            let out = d.take_output();
            let n = out.len();
            out.clear();
            black_box(n)
        })
    });
    // The same through the byte-stream entry point the binary uses
    // (line framing included).
    let mut blob = Vec::new();
    for l in &lines {
        blob.extend_from_slice(l);
        blob.extend_from_slice(b"\r\n");
    }
    g.bench_function("stream_to_json", |b| {
        b.iter(|| {
            let mut d = Decoder::new(DecodeOptions::default());
            let mut out = Vec::with_capacity(blob.len() * 3);
            let mut err = Vec::new();
            d.run("bench", &blob[..], &mut out, &mut err)
                .expect("decode");
            black_box(out.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
