//! The demo's simulated transponder behind the real engine and desk: what
//! the desk writes goes to the transponder, what the transponder answers
//! goes back into the engine as a line of link 0, all on the demo's data
//! clock. The ETA report to the demo's lock ends acknowledged with its RTA
//! in the inbox; the safety message to the demo's ack ship ends
//! acknowledged with the ship's reply in the inbox; one to another ship
//! ends without acknowledgement.

use bridgewatch::ais::application::{DayTime, InlandLocation};
use bridgewatch::app::alarm_log::AlarmLog;
use bridgewatch::app::demo::{self, DEMO_ACK_SHIP_MMSI, DEMO_LOCK_MMSI, OWN_MMSI, START_MS};
use bridgewatch::app::demo_transponder::DemoTransponder;
use bridgewatch::app::engine::Engine;
use bridgewatch::traffic::config::TrafficConfig;
use bridgewatch::voyage::desk::{Desk, InboxKind};
use bridgewatch::voyage::fields::{self, SafetyKind};
use bridgewatch::voyage::messages::{EtaReport, SafetyMessage};
use bridgewatch::voyage::outbox::{Item, OutboxConfig, State};

/// The round trip the wiring makes after every line: the desk's writes to
/// the transponder, the transponder's due answers into the engine.
fn exchange(engine: &mut Engine, t: &mut DemoTransponder, log: &mut AlarmLog) {
    let now = engine.now_ms(0);
    for w in engine.desk.writes(now) {
        for l in &w.lines {
            t.write(l, now);
        }
        engine.desk.write_done(&w.tag, Ok(()), now);
    }
    for l in t.due(now) {
        engine.push_link_line(0, Some(l.as_bytes()), 0);
    }
    engine.tick(0);
    engine.drain(log, 0);
}

/// An ETA report to the demo's lock, 21:30 UTC on the demo's day, checked
/// against the engine's time `now`.
fn lock_eta(now: i64) -> EtaReport {
    EtaReport {
        to: DEMO_LOCK_MMSI,
        location: InlandLocation {
            country: fields::country_code("DE").expect("valid"),
            locode: fields::location_code("PUT").expect("valid"),
            section: fields::fairway_section("00001").expect("valid"),
            terminal: fields::terminal_code("LOCK1").expect("valid"),
            hectometre: fields::fairway_hectometre("00000").expect("valid"),
        },
        eta: fields::eta("2026-06-21T21:30Z", now).expect("valid"),
        tugs: 7,
        air_draught: 0,
    }
}

#[test]
fn eta_and_safety_messages_get_their_answers_in_the_demo() {
    let mut config = TrafficConfig::default();
    config.own_ship.mmsi = Some(OWN_MMSI);
    let mut engine = Engine::new(config, false);
    engine.desk = Desk::new(Some(OWN_MMSI), true, OutboxConfig::default());
    let mut sink = Vec::new();
    let mut log = AlarmLog::open(None, &mut sink);
    let mut t = DemoTransponder::new();
    let send_at = START_MS + 60_000;
    let mut sent = false;
    for line in demo::scenario().lines() {
        engine.push_link_line(0, Some(line.as_bytes()), 0);
        let now = engine.now_ms(0);
        if !sent && now >= send_at {
            sent = true;
            let eta = lock_eta(now);
            let text = |s| fields::safety_text(s, SafetyKind::Addressed).expect("valid");
            for item in [
                Item::Eta(eta),
                Item::Safety(SafetyMessage {
                    to: Some(DEMO_ACK_SHIP_MMSI),
                    text: text("ALTERING TO STARBOARD"),
                }),
                Item::Safety(SafetyMessage {
                    to: Some(219_000_111),
                    text: text("GOOD WATCH"),
                }),
            ] {
                engine.desk.send(item, now).expect("a transponder link");
            }
        }
        exchange(&mut engine, &mut t, &mut log);
    }
    assert!(sent);
    let stats = t.stats();
    assert_eq!((stats.messages, stats.bad_checksum), (3, 0), "{stats:?}");
    assert_eq!(t.pending(), 0);
    let states: Vec<(u32, State)> = engine
        .desk
        .outbox_entries()
        .iter()
        .map(|e| {
            let to = match &e.item {
                Item::Eta(r) => r.to,
                Item::Safety(s) => s.to.unwrap_or(0),
            };
            (to, e.state.clone())
        })
        .collect();
    assert!(
        matches!(
            states.as_slice(),
            [
                (DEMO_LOCK_MMSI, State::Acknowledged { .. }),
                (DEMO_ACK_SHIP_MMSI, State::Acknowledged { .. }),
                (219_000_111, State::NoAcknowledgement { .. }),
            ]
        ),
        "{states:?}"
    );
    let inbox = engine.desk.inbox();
    let rta = inbox.iter().find_map(|e| match &e.kind {
        InboxKind::Rta { rta, answers } => Some((rta.clone(), answers.is_some())),
        _ => None,
    });
    let (rta, answered) = rta.expect("the lock's RTA in the inbox");
    assert!(answered, "the RTA answers the ETA report");
    assert_eq!(
        (rta.from, rta.to, rta.status),
        (DEMO_LOCK_MMSI, OWN_MMSI, 0)
    );
    assert_eq!(
        rta.rta,
        DayTime {
            month: 6,
            day: 21,
            hour: 21,
            minute: 40,
        }
    );
    assert_eq!(rta.at_ms, send_at + 20_000);
    let reply = inbox.iter().find_map(|e| match &e.kind {
        InboxKind::Safety(m) if m.from == DEMO_ACK_SHIP_MMSI && m.to == Some(OWN_MMSI) => {
            Some((m.text.clone(), m.at_ms, e.to_us))
        }
        _ => None,
    });
    assert_eq!(
        reply,
        Some(("RECEIVED, NORDIC STAR".to_string(), send_at + 30_000, true))
    );
}

/// The console's demo wiring (`DeskIo::demo`): writes go to the simulated
/// transponder, whose delays run on the system clock, so an ETA sent after
/// the recorded scenario has ended (its data clock stands still) is still
/// answered.
#[test]
fn the_demo_desk_answers_after_the_scenario_has_ended() {
    use bridgewatch::app::desk_io::DeskIo;
    use bridgewatch::app::links::Links;
    let mut config = TrafficConfig::default();
    config.own_ship.mmsi = Some(OWN_MMSI);
    let mut engine = Engine::new(config, false);
    engine.start_ms = START_MS;
    let mut io = DeskIo::demo(&mut engine);
    let links = Links::new(vec!["demo".into()]);
    let mut sink = Vec::new();
    let mut log = AlarmLog::open(None, &mut sink);
    for line in demo::scenario().lines() {
        engine.push_link_line(0, Some(line.as_bytes()), 0);
    }
    let end = engine.now_ms(0);
    let wall = 1_900_000_000_000;
    let eta = lock_eta(end);
    engine
        .desk
        .send(Item::Eta(eta), end)
        .expect("the demo transponder");
    io.pump(&mut engine, &links, wall);
    engine.drain(&mut log, wall);
    assert!(matches!(
        engine.desk.outbox_entries()[0].state,
        State::Written { .. }
    ));
    io.pump(&mut engine, &links, wall + 1_000);
    let rta = |e: &Engine| {
        e.desk
            .inbox()
            .iter()
            .any(|i| matches!(&i.kind, InboxKind::Rta { .. }))
    };
    assert!(!rta(&engine), "not yet: the lock answers after 20 s");
    io.pump(&mut engine, &links, wall + 21_000);
    engine.drain(&mut log, wall + 21_000);
    assert!(matches!(
        engine.desk.outbox_entries()[0].state,
        State::Acknowledged { .. }
    ));
    let answered = engine.desk.inbox().iter().any(|e| {
        matches!(&e.kind, InboxKind::Rta { rta, answers: Some(_) } if rta.from == DEMO_LOCK_MMSI)
    });
    assert!(answered, "{:?}", engine.desk.inbox());
}
