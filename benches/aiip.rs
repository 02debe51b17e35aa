//! The AI-IP server core: position reports (message 1) from 10,000 vessels
//! already stored, spread over a national waterway network (a disc of
//! 200 km radius), each datagram decoded, its VDM content decoded and
//! stored; every tenth one asks for the vessels within 10 km (a square
//! range query answered with message-4 datagrams; the bench prints how many
//! vessels an answer holds). The server validates addresses (its
//! default): every datagram of the measured passes echoes the token for its
//! source, as our client does, so each is checked and answered in full.

use bridgewatch::aiip::codec::{self, Content, Message, RangeKm, Timestamp};
use bridgewatch::aiip::server::{Server, ServerConfig};
use bridgewatch::aiip::validation::{self, Secret};
use bridgewatch::sim;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const T0: i64 = 1_795_000_000_000;
const VESSELS: u32 = 10_000;
/// A national fleet: ten times as many, over a disc of the same density
/// (√10 × the radius), so a range answer holds as many vessels as above.
const FLEET: u32 = 100_000;
const SECRET: [u8; 32] = [0x42; 32];

/// Vessel `i` of `n` on a spiral around 51.9°N 4.4°E (Rotterdam), within
/// 200 km (108 NM) × √(n / 10,000).
fn report(i: u32, n: u32, ms: i64, range: Option<u8>, from: Option<u32>) -> Vec<u8> {
    let a = f64::from(i) * 0.618_034 * std::f64::consts::TAU;
    let r =
        108.0 * (f64::from(n) / f64::from(VESSELS)).sqrt() * (f64::from(i) / f64::from(n)).sqrt();
    let pos = (
        51.9 + r * a.cos() / 60.0,
        4.4 + r * a.sin() / (60.0 * 51.9f64.to_radians().cos()),
    );
    let m = sim::class_a(200_000_000 + i, pos, Some(f64::from(i % 360)), 6.0, 0, 0);
    let mut sentences = sim::untagged(&m, 'A', 0);
    // The address-validation token for the sending address.
    if let Some(a) = from {
        sentences.push(validation::issue(
            &Secret::from_bytes(SECRET),
            &a.to_be_bytes(),
            ms,
            false,
        ));
    }
    let content = Content::from_sentences(&sentences).expect("content");
    let msg = Message::PushRequest {
        timestamp: Timestamp::from_unix_ms(ms).expect("timestamp"),
        content,
        range: range.and_then(RangeKm::new),
    };
    codec::encode(&msg).expect("encodes")
}

/// The source address of vessel `i`: the server remembers at most 10,000
/// sources (its bound against floods), so the national fleet's 100,000
/// vessels come from 5,000 addresses, as through carriers' NAT gateways.
fn source(i: u32) -> u32 {
    i % 5_000
}

fn server(n: u32) -> Server<u32> {
    let config = ServerConfig {
        // One benchmark source stands for many ships: no rate limit here.
        rate_per_s: u32::MAX / 2,
        burst: u32::MAX / 2,
        answer_bytes_per_s: u64::MAX / 2,
        answer_burst_bytes: u64::MAX / 2,
        ..ServerConfig::default()
    };
    let mut server: Server<u32> = Server::new(config);
    server.set_secret(Secret::from_bytes(SECRET));
    for i in 0..n {
        server.handle(&report(i, n, T0, None, None), source(i), T0);
    }
    server
}

fn bench(c: &mut Criterion) {
    let mut server = server(VESSELS);
    let datagrams: Vec<Vec<u8>> = (0..VESSELS)
        .map(|i| report(i, VESSELS, T0 + 1000, (i % 10 == 0).then_some(10), Some(i)))
        .collect();
    // How much a range query returns here: vessels per answer.
    let (mut queries, mut vessels) = (0u32, 0usize);
    for (i, d) in datagrams.iter().enumerate().step_by(10) {
        queries += 1;
        for (_, reply) in server.handle(d, i as u32, T0 + 1000) {
            if let Ok(Message::Response { content, .. }) = codec::decode(&reply) {
                vessels += content.sentences().count();
            }
        }
    }
    eprintln!(
        "{queries} range queries of 10 km answered with {vessels} position reports ({:.1} each)",
        vessels as f64 / f64::from(queries)
    );
    let mut g = c.benchmark_group("aiip");
    g.throughput(Throughput::Elements(u64::from(VESSELS)));
    g.bench_function("server_10000_reports_10pc_range_queries", |b| {
        b.iter(|| {
            let mut replies = 0usize;
            for (i, d) in datagrams.iter().enumerate() {
                replies += server.handle(d, i as u32, T0 + 1000).len();
            }
            black_box(replies)
        })
    });
    eprintln!("stats: {:?}", server.stats());
    // The national fleet: the same mix, sampled less often (each pass is
    // 100,000 datagrams).
    let mut fleet = server_fleet();
    let datagrams: Vec<Vec<u8>> = (0..FLEET)
        .map(|i| {
            report(
                i,
                FLEET,
                T0 + 1000,
                (i % 10 == 0).then_some(10),
                Some(source(i)),
            )
        })
        .collect();
    g.throughput(Throughput::Elements(u64::from(FLEET)));
    g.sample_size(10);
    g.bench_function("server_100000_reports_10pc_range_queries", |b| {
        b.iter(|| {
            let mut replies = 0usize;
            for (i, d) in datagrams.iter().enumerate() {
                replies += fleet.handle(d, source(i as u32), T0 + 1000).len();
            }
            black_box(replies)
        })
    });
    g.finish();
}

fn server_fleet() -> Server<u32> {
    server(FLEET)
}

criterion_group!(benches, bench);
criterion_main!(benches);
