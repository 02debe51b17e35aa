//! Vessels through AI-IP join the traffic picture: one target per MMSI
//! whichever way it is heard, the source shown, a server's repeated
//! "latest" report not taken for a new one (so a silent vessel is still
//! lost), and radio first while it is fresh.

use bridgewatch::app::engine::Engine;
use bridgewatch::traffic::Heard;
use bridgewatch::traffic::config::TrafficConfig;

const T0: i64 = 1_795_000_000_000;
const RADIO: u32 = 0;
const AIIP: u32 = 1;
const SHIP: u32 = 244_000_007;

fn report(lat: f64, lon: f64, second: u8) -> Vec<String> {
    let m = bridgewatch::sim::class_a(SHIP, (lat, lon), Some(90.0), 8.0, 0, second);
    bridgewatch::sim::untagged(&m, 'A', 0)
}

fn engine() -> Engine {
    let mut e = Engine::new(TrafficConfig::default(), true);
    e.aiip_links = vec![AIIP];
    e
}

fn push(e: &mut Engine, link: u32, lines: &[String], at: i64) {
    for l in lines {
        e.push_link_line(link, Some(l.as_bytes()), at);
    }
}

#[test]
fn a_repeated_server_answer_is_not_a_new_report_and_the_vessel_is_lost() {
    let mut e = engine();
    let r = report(51.9, 4.4, 10);
    push(&mut e, AIIP, &r, T0);
    assert_eq!(e.traffic.targets[&SHIP].heard(), Heard::Aiip);
    assert_eq!(e.traffic.targets[&SHIP].last_report_ms, Some(T0));
    // The server keeps answering with the same latest report.
    for k in 1..=40 {
        push(&mut e, AIIP, &r, T0 + k * 10_000);
        e.tick(T0 + k * 10_000);
    }
    assert_eq!(e.aiip_repeats, 40);
    let t = &e.traffic.targets[&SHIP];
    assert_eq!(t.last_report_ms, Some(T0), "repeats do not refresh it");
    assert!(t.lost_since_ms.is_some(), "silent for 400 s: lost");
    // A new report (it moved) is taken.
    push(&mut e, AIIP, &report(51.91, 4.41, 20), T0 + 410_000);
    assert_eq!(e.traffic.targets[&SHIP].last_report_ms, Some(T0 + 410_000));
}

#[test]
fn heard_both_ways_is_one_target_and_radio_positions_win_while_fresh() {
    let mut e = engine();
    push(&mut e, RADIO, &report(51.9, 4.4, 10), T0);
    // A server's older position of the same vessel, 5 s later.
    push(&mut e, AIIP, &report(51.899, 4.399, 5), T0 + 5_000);
    assert_eq!(e.traffic.targets.len(), 1);
    let t = &e.traffic.targets[&SHIP];
    assert_eq!(t.heard(), Heard::Both);
    let p = t.position.expect("position").value;
    assert!((p.0 - 51.9).abs() < 1e-6, "radio position kept: {p:?}");
    // Radio silent for a minute: the AI-IP position is used.
    push(&mut e, AIIP, &report(51.902, 4.4, 40), T0 + 60_000);
    let p = e.traffic.targets[&SHIP].position.expect("position").value;
    assert!((p.0 - 51.902).abs() < 1e-6, "AI-IP position now: {p:?}");
    // Radio gone for good: after 6 minutes the source reads AI-IP.
    push(&mut e, AIIP, &report(51.915, 4.4, 50), T0 + 7 * 60_000);
    assert_eq!(e.traffic.targets[&SHIP].heard(), Heard::Aiip);
}

/// The same sentences as own-ship data (`!AIVDO`), as a server that stores
/// sentences as received could hand them on.
fn as_vdo(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| {
            let body = l
                .strip_prefix("!AIVDM,")
                .and_then(|b| b.rsplit_once('*'))
                .map(|(b, _)| b)
                .expect("a VDM sentence");
            let fields: Vec<&str> = body.split(',').collect();
            bridgewatch::nmea::build('!', "AIVDO", &fields)
        })
        .collect()
}

/// Own data come only from own transponder: a VDO relayed by an AI-IP
/// server is another vessel, and never moves own ship's data.
#[test]
fn a_vdo_through_ai_ip_is_another_vessel_not_own_ship() {
    let mut e = engine();
    let vdo = as_vdo(&report(51.9, 4.4, 10));
    push(&mut e, AIIP, &vdo, T0);
    assert_eq!(e.traffic.stats.own_reports, 0);
    assert!(e.traffic.own.position.is_none());
    assert!(e.traffic.own.cog_deg.is_none());
    assert_eq!(e.traffic.targets[&SHIP].heard(), Heard::Aiip);
    // The same from the radio link is own transponder's report.
    let mut e = engine();
    push(&mut e, RADIO, &vdo, T0);
    assert_eq!(e.traffic.stats.own_reports, 1);
    assert!(!e.traffic.targets.contains_key(&SHIP));
}

/// A target heard through AI-IP cannot be newer than the client's last
/// ask: its lost time allows for the request interval; a radio target's
/// does not.
#[test]
fn an_ai_ip_target_is_lost_only_after_its_lost_time_and_the_ask_interval() {
    let mut e = engine();
    e.traffic.set_aiip_lag(180_000);
    push(&mut e, AIIP, &report(51.9, 4.4, 10), T0);
    const OTHER: u32 = 244_000_008;
    let radio = bridgewatch::sim::class_a(OTHER, (51.95, 4.4), Some(90.0), 8.0, 0, 10);
    push(
        &mut e,
        RADIO,
        &bridgewatch::sim::untagged(&radio, 'A', 0),
        T0,
    );
    // Class A under way: lost after 60 s; through AI-IP, 60 + 180 s.
    for s in 1..=240 {
        e.tick(T0 + s * 1000);
    }
    assert!(
        e.traffic.targets[&OTHER].lost_since_ms.is_some(),
        "radio: lost"
    );
    assert_eq!(
        e.traffic.targets[&SHIP].lost_since_ms, None,
        "AI-IP: not yet"
    );
    e.tick(T0 + 241_000);
    assert_eq!(
        e.traffic.targets[&SHIP].lost_since_ms,
        Some(T0 + 241_000),
        "AI-IP: lost once 240 s have passed"
    );
}
