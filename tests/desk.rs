//! The desk inside the engine, on data time: an ETA report without an RTA
//! is repeated after 15 minutes and cautioned after 30, an RTA in time ends
//! the wait, a missing ABK raises the transponder warning — each with the
//! headless JSON it gives. Time comes from the data (RMC sentences), as in
//! a replay, so the quarter hours pass in no time.

use bridgewatch::ais::AisMessage;
use bridgewatch::ais::application::{DayTime, InlandLocation, InlandRta};
use bridgewatch::app::alarm_log::AlarmLog;
use bridgewatch::app::engine::{Drained, Engine, drained_json};
use bridgewatch::nmea::pi::{self, Abk, AckType};
use bridgewatch::sim;
use bridgewatch::traffic::alarm::{AlarmId, AlarmState};
use bridgewatch::traffic::config::TrafficConfig;
use bridgewatch::voyage::desk::{DeskEvent, NO_TRANSPONDER, WriteTag};
use bridgewatch::voyage::fields;
use bridgewatch::voyage::messages::EtaReport;
use bridgewatch::voyage::outbox::Item;
use serde_json::Value;

const NOW: i64 = 1_795_348_800_000; // 2026-11-22T08:00Z
const OWN: u32 = 244_000_001;
const LOCK: u32 = 2_039_991;
const MIN: i64 = 60_000;

struct Bridge {
    engine: Engine,
    log: AlarmLog,
    json: Vec<Value>,
}

impl Bridge {
    fn new(abk_timeout_s: f64) -> Bridge {
        let mut c = TrafficConfig::default();
        c.own_ship.mmsi = Some(OWN);
        c.own_ship.abk_timeout_s = abk_timeout_s;
        let mut engine = Engine::new(c, false);
        engine.transponder = Some(0);
        engine.desk.set_writable(true);
        let mut err = Vec::new();
        let mut b = Bridge {
            engine,
            log: AlarmLog::open(None, &mut err),
            json: Vec::new(),
        };
        b.at(NOW);
        b
    }

    fn line(&mut self, l: &str) {
        self.engine.push_line(Some(l.as_bytes()), 0);
    }

    /// Data time `ms` arrives (an RMC of own ship), then the engine ticks.
    fn at(&mut self, ms: i64) -> Drained {
        self.line(&sim::rmc(ms, (48.2, 16.4), 90.0, 5.0));
        self.engine.tick(0);
        self.drain()
    }

    fn drain(&mut self) -> Drained {
        let d = self.engine.drain(&mut self.log, 0);
        self.json.extend(drained_json(&d));
        d
    }

    /// Write what the desk hands out, all successfully.
    fn write_all(&mut self) -> Vec<Vec<String>> {
        let now = self.engine.now_ms(0);
        let w = self.engine.desk.writes(now);
        for x in &w {
            self.engine.desk.write_done(&x.tag, Ok(()), now);
        }
        self.drain();
        w.into_iter().map(|x| x.lines).collect()
    }

    fn events(&self, name: &str) -> Vec<&Value> {
        self.json.iter().filter(|v| v["event"] == name).collect()
    }

    fn rta(&mut self, from: u32) {
        let m = AisMessage::inland_rta(
            from,
            OWN,
            InlandRta {
                location: location(),
                rta: DayTime {
                    month: 11,
                    day: 22,
                    hour: 14,
                    minute: 45,
                },
                status: 0,
            },
        );
        for l in sim::untagged(&m, 'A', 0) {
            self.line(&l);
        }
        self.drain();
    }
}

fn location() -> InlandLocation {
    InlandLocation {
        country: fields::country_code("AT").unwrap(),
        locode: fields::location_code("VIE").unwrap(),
        section: fields::fairway_section("00001").unwrap(),
        terminal: fields::terminal_code("00000").unwrap(),
        hectometre: fields::fairway_hectometre("01234").unwrap(),
    }
}

fn eta() -> Item {
    Item::Eta(EtaReport {
        to: LOCK,
        location: location(),
        eta: fields::eta("2026-11-22T14:30Z", NOW).unwrap(),
        tugs: 0,
        air_draught: 750,
    })
}

#[test]
fn an_eta_without_rta_is_repeated_at_15_minutes_and_cautioned_at_30() {
    let mut b = Bridge::new(60.0);
    b.engine.desk.send(eta(), NOW).unwrap();
    let first = b.write_all();
    assert_eq!(first.len(), 1);
    assert!(first[0][0].starts_with("!ECABM,1,1,0,002039991,0,6,"));
    let sent = b.events("eta_sent");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["locode"], "ATVIE000010000001234");
    assert_eq!(sent[0]["eta"], "2026-11-22T14:30Z");
    assert!(sent[0].get("repeat").is_none());
    // The transponder acknowledges; the lock stays silent.
    let abk = |seq_id| {
        pi::build_abk(
            "AI",
            &Abk {
                dest_mmsi: Some(LOCK),
                channel: Some('A'),
                msg_id: 6,
                seq_id,
                ack: AckType::Received,
            },
        )
    };
    b.line(&abk(0));
    b.drain();
    assert_eq!(b.events("abk")[0]["result"], "received");
    b.at(NOW + 14 * MIN + 59_000);
    assert!(b.write_all().is_empty(), "nothing before 15 minutes");
    b.at(NOW + 15 * MIN);
    let again = b.write_all();
    assert_eq!(again.len(), 1, "repeated once");
    assert_eq!(again[0].len(), first[0].len());
    assert!(again[0][0].starts_with("!ECABM,1,1,1,002039991,0,6,"));
    let sent = b.events("eta_sent");
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1]["repeat"], true);
    b.at(NOW + 29 * MIN);
    assert!(b.events("no_answer").is_empty());
    // The ABK of the repeat, so that "no ABK" stays out of the picture.
    b.line(&abk(1));
    b.drain();
    assert_eq!(b.events("abk").len(), 2);
    b.at(NOW + 30 * MIN);
    let n = b.events("no_answer");
    assert_eq!(n.len(), 1, "{:?}", b.json);
    assert_eq!(
        (n[0]["to"].clone(), n[0]["priority"].clone()),
        (LOCK.into(), "caution".into())
    );
    let alarm = b
        .engine
        .traffic
        .alarms
        .get(&AlarmId::NoRta(LOCK))
        .expect("caution");
    assert_eq!(alarm.state, AlarmState::ActiveUnacknowledged);
    assert!(b.write_all().is_empty(), "never a third time");
    b.at(NOW + 60 * MIN);
    assert_eq!(b.events("eta_sent").len(), 2);
    // A late RTA is unasked, and it clears the caution.
    b.rta(LOCK);
    let r = b.events("rta");
    assert_eq!(r.len(), 1);
    assert_eq!(r[0]["answers_eta"], false);
    let alarm = b.engine.traffic.alarms.get(&AlarmId::NoRta(LOCK));
    assert!(
        alarm.is_none_or(|a| a.state != AlarmState::ActiveUnacknowledged),
        "{alarm:?}"
    );
}

#[test]
fn an_rta_in_time_ends_the_wait() {
    let mut b = Bridge::new(60.0);
    b.engine.desk.send(eta(), NOW).unwrap();
    b.write_all();
    b.at(NOW + 10 * MIN);
    b.rta(LOCK);
    assert_eq!(b.events("rta")[0]["answers_eta"], true);
    b.at(NOW + 16 * MIN);
    assert!(b.write_all().is_empty(), "no repeat once answered");
    b.at(NOW + 31 * MIN);
    assert!(b.events("no_answer").is_empty());
    // Another station's RTA is unasked.
    b.rta(2_113_000);
    assert_eq!(b.events("rta")[1]["answers_eta"], false);
}

#[test]
fn no_abk_within_the_timeout_raises_the_transponder_warning_and_an_abk_clears_it() {
    let mut b = Bridge::new(5.0);
    let m = bridgewatch::voyage::command::safety_message(Some("244123456"), "HELLO").unwrap();
    let id = b.engine.desk.send(Item::Safety(m), NOW).unwrap();
    b.write_all();
    b.at(NOW + 4_999);
    assert!(b.events("no_abk").is_empty());
    b.at(NOW + 5_000);
    let n = b.events("no_abk");
    assert_eq!(n.len(), 1);
    assert_eq!(
        (n[0]["id"].clone(), n[0]["seq"].clone()),
        (id.0.into(), 0.into())
    );
    let id_abk = AlarmId::Transponder("ABK".into());
    assert!(b.engine.traffic.alarms.get(&id_abk).is_some());
    assert!(b.engine.desk.outbox.transponder_silent());
    b.line(&pi::build_abk(
        "AI",
        &Abk {
            dest_mmsi: Some(244_123_456),
            channel: None,
            msg_id: 12,
            seq_id: 0,
            ack: AckType::Received,
        },
    ));
    b.drain();
    assert_eq!(b.events("abk")[0]["result"], "received");
    assert!(!b.engine.desk.outbox.transponder_silent());
    let a = b.engine.traffic.alarms.get(&id_abk);
    assert!(
        a.is_none_or(|a| a.state != AlarmState::ActiveUnacknowledged),
        "{a:?}"
    );
}

#[test]
fn a_failed_write_goes_back_to_the_queue_and_data_writes_are_reported() {
    let mut b = Bridge::new(60.0);
    let m = bridgewatch::voyage::command::safety_message(None, "SECURITE").unwrap();
    b.engine.desk.send(Item::Safety(m), NOW).unwrap();
    b.engine
        .desk
        .send_data("VSD", vec!["$ECVSD,,,,,,,,,*00".into()])
        .unwrap();
    let w = b.engine.desk.writes(NOW);
    assert_eq!(w.len(), 2);
    assert_eq!(w[0].tag, WriteTag::Data("VSD"));
    for x in &w {
        b.engine
            .desk
            .write_done(&x.tag, Err("link down: not written".into()), NOW);
    }
    let d = b.drain();
    assert_eq!(
        d.desk
            .iter()
            .filter(|e| matches!(e, DeskEvent::WriteFailed { .. }))
            .count(),
        2
    );
    assert_eq!(b.events("write_failed").len(), 2);
    // The message is queued again and goes out next time; the data write
    // was dropped (the officer sends it again).
    let again = b.write_all();
    assert_eq!(again.len(), 1);
    assert!(again[0][0].starts_with("!ECBBM,"));
    assert_eq!(b.events("message_sent")[0]["msg"], 14);
}

#[test]
fn without_a_transponder_nothing_is_queued() {
    let mut c = TrafficConfig::default();
    c.own_ship.mmsi = Some(OWN);
    let mut engine = Engine::new(c, true);
    assert_eq!(engine.desk.send(eta(), NOW).unwrap_err(), NO_TRANSPONDER);
    assert_eq!(
        engine.desk.send_data("SSD", vec![]).unwrap_err(),
        NO_TRANSPONDER
    );
    assert!(engine.desk.writes(NOW).is_empty());
}

/// A journal whose history outgrew what it holds is rewritten at its
/// shortest when the console starts, and the desk it gives back is the
/// same; a short one is left as it is.
#[test]
fn a_long_outbox_journal_is_compacted_at_start_and_restores_the_same() {
    use bridgewatch::app::desk_io::{COMPACT_SLACK, DeskIo, OUTBOX_FILE};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(OUTBOX_FILE);
    let mut b = Bridge::new(60.0);
    let now = b.engine.now_ms(0);
    // Broadcasts, each queued, sending, written and acknowledged: four
    // journal lines each, two after compaction.
    let n = COMPACT_SLACK / 2 + 10;
    for k in 0..n {
        let m = bridgewatch::voyage::command::safety_message(None, &format!("NOTICE {k}"))
            .expect("valid");
        b.engine.desk.send(Item::Safety(m), now).expect("queued");
        for w in b.engine.desk.writes(now) {
            b.engine.desk.write_done(&w.tag, Ok(()), now);
            if let WriteTag::Outbox(_) = w.tag {
                let seq = b
                    .engine
                    .desk
                    .outbox_entries()
                    .last()
                    .and_then(|e| e.state.seq());
                b.engine.desk.abk(
                    &Abk {
                        dest_mmsi: None,
                        channel: None,
                        msg_id: 14,
                        seq_id: seq.unwrap_or(0),
                        ack: AckType::Broadcast,
                    },
                    now,
                );
            }
        }
    }
    let (history, _) = b.engine.desk.take_journal();
    assert_eq!(history.len(), 4 * n);
    bridgewatch::link::journal::append(&path, &history).expect("journal written");
    let before = b.engine.desk.outbox_entries().to_vec();

    let mut fresh = Bridge::new(60.0);
    let _io = DeskIo::open(Some(dir.path().to_path_buf()), None, &mut fresh.engine, 0);
    assert_eq!(fresh.engine.desk.outbox_entries(), &before[..]);
    let kept = bridgewatch::link::journal::read(&path).expect("journal read");
    assert_eq!(kept.len(), 2 * n, "compacted to two lines a message");
    // Read back once more: the same desk, and nothing to compact now.
    let mut again = Bridge::new(60.0);
    let _io = DeskIo::open(Some(dir.path().to_path_buf()), None, &mut again.engine, 0);
    assert_eq!(again.engine.desk.outbox_entries(), &before[..]);
    assert_eq!(
        bridgewatch::link::journal::read(&path).expect("read").len(),
        2 * n
    );
    assert!(!dir.path().join("outbox.jsonl.new").exists());
}
