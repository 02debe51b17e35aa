//! The outbox (ABK tracking, identifiers, journal and restore) and the
//! ETA ↔ RTA wait, all on engine time passed in: no wall clock.

use bridgewatch::ais::application::{DayTime, InlandLocation};
use bridgewatch::link::journal as store;
use bridgewatch::nmea::frame;
use bridgewatch::nmea::pi::{self, Abk, AckType};
use bridgewatch::traffic::RtaReceived;
use bridgewatch::voyage::eta::{EtaEvent, EtaWatch, RTA_WAIT_MS, RtaMatch};
use bridgewatch::voyage::fields::{self, SafetyKind};
use bridgewatch::voyage::messages::{EtaReport, SafetyMessage};
use bridgewatch::voyage::outbox::{
    ABK_TIMEOUT_MS, AbkMatch, Id, Item, Outbox, OutboxConfig, OutboxEvent, State,
};

const NOW: i64 = 1_795_348_800_000;
const LOCK: u32 = 2_113_000;
const SHIP: u32 = 244_123_456;

fn location() -> InlandLocation {
    InlandLocation {
        country: fields::country_code("NL").unwrap(),
        locode: fields::location_code("RTM").unwrap(),
        section: fields::fairway_section("00001").unwrap(),
        terminal: fields::terminal_code("00000").unwrap(),
        hectometre: fields::fairway_hectometre("00123").unwrap(),
    }
}

fn eta_report(to: u32) -> EtaReport {
    EtaReport {
        to,
        location: location(),
        eta: fields::eta("2026-11-22T14:30Z", NOW).unwrap(),
        tugs: 1,
        air_draught: 750,
    }
}

fn addressed(to: u32, text: &str) -> Item {
    Item::Safety(SafetyMessage {
        to: Some(to),
        text: fields::safety_text(text, SafetyKind::Addressed).unwrap(),
    })
}

fn broadcast(text: &str) -> Item {
    Item::Safety(SafetyMessage {
        to: None,
        text: fields::safety_text(text, SafetyKind::Broadcast).unwrap(),
    })
}

fn abk(to: Option<u32>, msg_id: u8, seq_id: u8, ack: AckType) -> Abk {
    Abk {
        dest_mmsi: to,
        channel: Some('B'),
        msg_id,
        seq_id,
        ack,
    }
}

/// The sequential message identifier in the sentences written.
fn seq_in(lines: &[String]) -> u8 {
    let first = lines.first().expect("at least one sentence");
    pi::parse_binary(&frame(first.as_bytes()).unwrap())
        .unwrap()
        .seq_id
}

/// Queue, write and confirm one message; its identifier.
fn send(ob: &mut Outbox, item: Item, now: i64) -> (Id, u8) {
    let id = ob.queue(item, now);
    let (got, lines) = ob.next_to_write(now).expect("an identifier is free");
    assert_eq!(got, id);
    assert!(ob.written(id, now));
    (id, seq_in(&lines))
}

fn state(ob: &Outbox, id: Id) -> State {
    ob.get(id).expect("known id").state.clone()
}

#[test]
fn every_abk_type() {
    let mut ob = Outbox::default();
    // 0: received by the addressee.
    let (id, seq) = send(&mut ob, addressed(SHIP, "HELLO"), NOW);
    assert_eq!(
        ob.abk(&abk(Some(SHIP), 12, seq, AckType::Received), NOW + 1),
        AbkMatch::Matched {
            id,
            state: State::Acknowledged { seq }
        }
    );
    // 1: no acknowledgement, then 4: late reception.
    let (id, seq) = send(&mut ob, Item::Eta(eta_report(LOCK)), NOW);
    ob.abk(
        &abk(Some(LOCK), 6, seq, AckType::NoAcknowledgement),
        NOW + 2,
    );
    assert_eq!(state(&ob, id), State::NoAcknowledgement { seq });
    ob.abk(
        &abk(Some(LOCK), 6, seq, AckType::LateAcknowledgement),
        NOW + 3,
    );
    assert_eq!(state(&ob, id), State::Late { seq });
    // 2: could not be broadcast (addressed and broadcast).
    let (id, seq) = send(&mut ob, addressed(SHIP, "AGAIN"), NOW);
    ob.abk(&abk(Some(SHIP), 12, seq, AckType::NotBroadcast), NOW + 4);
    assert_eq!(state(&ob, id), State::NotBroadcast { seq });
    let (id, seq) = send(&mut ob, broadcast("SECURITE"), NOW);
    ob.abk(&abk(None, 14, seq, AckType::NotBroadcast), NOW + 5);
    assert_eq!(state(&ob, id), State::NotBroadcast { seq });
    // 3: broadcast done.
    let (id, seq) = send(&mut ob, broadcast("SECURITE"), NOW);
    ob.abk(&abk(None, 14, seq, AckType::Broadcast), NOW + 6);
    assert_eq!(state(&ob, id), State::Broadcast { seq });
    // 4 with no earlier 1 (the ABK 1 was lost): late all the same.
    let (id, seq) = send(&mut ob, addressed(SHIP, "THIRD"), NOW);
    ob.abk(
        &abk(Some(SHIP), 12, seq, AckType::LateAcknowledgement),
        NOW + 7,
    );
    assert_eq!(state(&ob, id), State::Late { seq });
    assert!(!ob.transponder_silent());
}

#[test]
fn missing_abk_times_out_into_its_own_state_and_raises_the_alarm() {
    let mut ob = Outbox::default();
    let (id, seq) = send(&mut ob, addressed(SHIP, "HELLO"), NOW);
    assert!(ob.tick(NOW + ABK_TIMEOUT_MS - 1).is_empty());
    assert_eq!(state(&ob, id), State::Written { seq });
    assert_eq!(
        ob.tick(NOW + ABK_TIMEOUT_MS),
        vec![OutboxEvent::NoAbk {
            id,
            msg_id: 12,
            to: Some(SHIP),
            seq
        }]
    );
    assert_eq!(state(&ob, id), State::NoAbk { seq });
    assert!(ob.transponder_silent());
    // Reported once only.
    assert!(ob.tick(NOW + 10 * ABK_TIMEOUT_MS).is_empty());
    // The identifier is free again.
    let (_, seq2) = send(&mut ob, addressed(SHIP, "NEXT"), NOW + 11 * ABK_TIMEOUT_MS);
    assert_ne!(
        seq2, seq,
        "round robin: the freed identifier is not reused first"
    );
    // A late ABK for the timed-out message still finds it and ends the alarm.
    let m = ob.abk(
        &abk(Some(SHIP), 12, seq, AckType::Received),
        NOW + 12 * ABK_TIMEOUT_MS,
    );
    assert_eq!(
        m,
        AbkMatch::Matched {
            id,
            state: State::Acknowledged { seq }
        }
    );
    assert!(!ob.transponder_silent());
}

#[test]
fn configurable_abk_timeout() {
    let mut ob = Outbox::new(OutboxConfig {
        abk_timeout_ms: 5_000,
    });
    let (id, seq) = send(&mut ob, broadcast("TEST"), NOW);
    assert_eq!(ob.tick(NOW + 5_000).len(), 1);
    assert_eq!(state(&ob, id), State::NoAbk { seq });
}

#[test]
fn abm_identifiers_wrap_around() {
    let mut ob = Outbox::default();
    let mut seqs = Vec::new();
    for i in 0..9 {
        let (id, seq) = send(&mut ob, addressed(SHIP, "PING"), NOW + i);
        assert_eq!(state(&ob, id).seq(), Some(seq));
        seqs.push(seq);
        let m = ob.abk(&abk(Some(SHIP), 12, seq, AckType::Received), NOW + i);
        assert!(matches!(m, AbkMatch::Matched { id: got, .. } if got == id));
    }
    assert_eq!(seqs, [0, 1, 2, 3, 0, 1, 2, 3, 0]);
}

#[test]
fn fifth_addressed_message_waits_for_a_free_identifier() {
    let mut ob = Outbox::default();
    let mut sent = Vec::new();
    for (i, to) in [211_000_001, 211_000_002, 211_000_003, 211_000_004]
        .into_iter()
        .enumerate()
    {
        let item = if i == 0 {
            Item::Eta(eta_report(to))
        } else {
            addressed(to, "HELLO")
        };
        sent.push((to, send(&mut ob, item, NOW)));
    }
    let fifth = ob.queue(addressed(211_000_005, "WAIT"), NOW + 1);
    let bbm = ob.queue(broadcast("SECURITE"), NOW + 2);
    // The fifth stays queued; the broadcast behind it goes out.
    let (got, lines) = ob.next_to_write(NOW + 3).unwrap();
    assert_eq!(got, bbm);
    assert!(lines[0].starts_with("!ECBBM"));
    assert!(ob.next_to_write(NOW + 3).is_none());
    assert_eq!(state(&ob, fifth), State::Queued);
    // An ABK for the third frees identifier 2, which the fifth then takes.
    let (to3, (id3, seq3)) = sent[2];
    assert_eq!(seq3, 2);
    let m = ob.abk(&abk(Some(to3), 12, 2, AckType::NoAcknowledgement), NOW + 4);
    assert_eq!(
        m,
        AbkMatch::Matched {
            id: id3,
            state: State::NoAcknowledgement { seq: 2 }
        }
    );
    let (got, lines) = ob.next_to_write(NOW + 5).unwrap();
    assert_eq!((got, seq_in(&lines)), (fifth, 2));
    assert!(ob.written(fifth, NOW + 5));
    // Two messages now carry identifier 2; each ABK finds its own.
    ob.abk(&abk(Some(211_000_005), 12, 2, AckType::Received), NOW + 6);
    assert_eq!(state(&ob, fifth), State::Acknowledged { seq: 2 });
    assert_eq!(state(&ob, id3), State::NoAcknowledgement { seq: 2 });
    ob.abk(
        &abk(Some(to3), 12, 2, AckType::LateAcknowledgement),
        NOW + 7,
    );
    assert_eq!(state(&ob, id3), State::Late { seq: 2 });
    // The ETA (message 6) is acknowledged under message 6.
    let (to0, (id0, seq0)) = sent[0];
    assert!(matches!(
        ob.abk(&abk(Some(to0), 12, seq0, AckType::Received), NOW + 8),
        AbkMatch::Unmatched { .. }
    ));
    ob.abk(&abk(Some(to0), 6, seq0, AckType::Received), NOW + 8);
    assert_eq!(state(&ob, id0), State::Acknowledged { seq: seq0 });
}

#[test]
fn unmatched_abk_is_reported_and_changes_nothing() {
    let mut ob = Outbox::default();
    assert!(matches!(
        ob.abk(&abk(Some(SHIP), 12, 0, AckType::Received), NOW),
        AbkMatch::Unmatched { .. }
    ));
    let (id, seq) = send(&mut ob, addressed(SHIP, "HELLO"), NOW);
    let wrong = [
        abk(Some(SHIP + 1), 12, seq, AckType::Received), // another MMSI
        abk(Some(SHIP), 12, seq + 1, AckType::Received), // another identifier
        abk(Some(SHIP), 6, seq, AckType::Received),      // another message
        abk(Some(SHIP), 8, seq, AckType::Received),      // not ours
        abk(Some(SHIP), 12, seq, AckType::Other(9)),     // unknown type
    ];
    for a in wrong {
        assert!(
            matches!(ob.abk(&a, NOW + 1), AbkMatch::Unmatched { .. }),
            "{a:?}"
        );
    }
    assert_eq!(state(&ob, id), State::Written { seq });
    // An ABK that was already answered matches nothing the second time.
    ob.abk(&abk(Some(SHIP), 12, seq, AckType::Received), NOW + 2);
    assert!(matches!(
        ob.abk(&abk(Some(SHIP), 12, seq, AckType::Received), NOW + 3),
        AbkMatch::Unmatched { .. }
    ));
}

/// A scenario touching every state, its journal line by line.
fn scenario() -> (Vec<String>, Outbox) {
    let mut ob = Outbox::default();
    let mut journal = Vec::new();
    let mut t = NOW;
    let step = |ob: &mut Outbox, journal: &mut Vec<String>| {
        journal.extend(ob.take_journal());
    };
    let a = ob.queue(Item::Eta(eta_report(LOCK)), t);
    let b = ob.queue(addressed(SHIP, "HELLO"), t);
    let c = ob.queue(broadcast("SECURITE"), t);
    let d = ob.queue(addressed(SHIP, "NO ANSWER"), t);
    ob.queue(addressed(SHIP, "ACKNOWLEDGED"), t);
    step(&mut ob, &mut journal);
    for _ in 0..4 {
        t += 1;
        let (id, _) = ob.next_to_write(t).unwrap();
        step(&mut ob, &mut journal);
        if id != d {
            ob.written(id, t);
            step(&mut ob, &mut journal);
        }
    }
    t += 1;
    ob.abk(&abk(Some(LOCK), 6, 0, AckType::NoAcknowledgement), t);
    step(&mut ob, &mut journal);
    ob.abk(&abk(Some(LOCK), 6, 0, AckType::LateAcknowledgement), t);
    step(&mut ob, &mut journal);
    ob.abk(&abk(None, 14, 0, AckType::Broadcast), t);
    step(&mut ob, &mut journal);
    // e goes out with identifier 3 and is acknowledged.
    let (e, _) = ob.next_to_write(t).unwrap();
    step(&mut ob, &mut journal);
    ob.written(e, t);
    step(&mut ob, &mut journal);
    ob.abk(&abk(Some(SHIP), 12, 3, AckType::Received), t);
    step(&mut ob, &mut journal);
    // A broadcast that could not go out.
    ob.queue(broadcast("NOT SENT"), t);
    let (f, _) = ob.next_to_write(t).unwrap();
    ob.written(f, t);
    ob.abk(&abk(None, 14, 1, AckType::NotBroadcast), t);
    step(&mut ob, &mut journal);
    // Two more go out (identifiers 0 and 3), a third stays queued: all four
    // ABM identifiers are held.
    ob.queue(addressed(SHIP, "GOES OUT"), t);
    ob.queue(addressed(SHIP, "GOES OUT TOO"), t);
    ob.queue(addressed(SHIP, "WAITS"), t);
    t += 1;
    ob.next_to_write(t).unwrap();
    ob.next_to_write(t).unwrap();
    assert!(ob.next_to_write(t).is_none());
    step(&mut ob, &mut journal);
    ob.tick(t + ABK_TIMEOUT_MS);
    step(&mut ob, &mut journal);
    let _ = (a, b, c);
    (journal, ob)
}

/// The state each id had after the first `k` journal lines.
fn states_after(journal: &[String]) -> Vec<(u64, String)> {
    let mut out: Vec<(u64, String)> = Vec::new();
    for l in journal {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        let id = v["id"].as_u64().unwrap();
        let s = v["state"].as_str().unwrap().to_string();
        match out.iter_mut().find(|(i, _)| *i == id) {
            Some(e) => e.1 = s,
            None => out.push((id, s)),
        }
    }
    out
}

#[test]
fn restore_after_a_crash_at_every_line() {
    let (journal, full) = scenario();
    let later = NOW + 100 * ABK_TIMEOUT_MS;
    // Every state occurs in the journal.
    let seen: Vec<String> = journal
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["state"].to_string())
        .map(|s| s.trim_matches('"').to_string())
        .collect();
    for s in [
        "queued",
        "sending",
        "written",
        "acknowledged",
        "broadcast",
        "no_acknowledgement",
        "not_broadcast",
        "late",
        "no_abk",
    ] {
        assert!(seen.iter().any(|x| x == s), "{s} in {seen:?}");
    }
    for k in 0..=journal.len() {
        let before = states_after(&journal[..k]);
        let (mut ob, problems) = Outbox::restore(&journal[..k], OutboxConfig::default(), later);
        assert!(problems.is_empty(), "{problems:?}");
        // Nothing lost.
        assert_eq!(ob.entries().len(), before.len(), "crash after line {k}");
        for (id, s) in &before {
            let got = state(&ob, Id(*id));
            let want = match s.as_str() {
                "sending" => "interrupted",
                other => other,
            };
            let got_name = serde_json::to_value(&got).unwrap()["state"]
                .as_str()
                .unwrap()
                .to_string();
            assert_eq!(got_name, want, "id {id} after line {k}");
        }
        // Nothing written twice: only what was still queued comes out.
        let mut resent = Vec::new();
        while let Some((id, _)) = ob.next_to_write(later) {
            ob.written(id, later);
            resent.push(id.0);
        }
        let queued: Vec<u64> = before
            .iter()
            .filter(|(_, s)| s == "queued")
            .map(|(id, _)| *id)
            .collect();
        assert_eq!(resent, queued, "crash after line {k}");
        // New messages get fresh ids.
        let new = ob.queue(broadcast("AFTER"), later);
        assert_eq!(new.0, before.len() as u64);
    }
    // The complete journal gives back the outbox as it was, but for the
    // message that was being sent, now interrupted.
    let (ob, _) = Outbox::restore(&journal, OutboxConfig::default(), later);
    assert_eq!(ob.entries().len(), full.entries().len());
    for (got, was) in ob.entries().iter().zip(full.entries()) {
        assert_eq!(got.item, was.item);
        match was.state {
            State::Sending { seq } => assert_eq!(got.state, State::Interrupted { seq }),
            _ => assert_eq!(got, was),
        }
    }
}

#[test]
fn restore_keeps_a_written_message_waiting_for_its_abk() {
    let mut ob = Outbox::default();
    let (id, seq) = send(&mut ob, addressed(SHIP, "HELLO"), NOW);
    let other = ob.queue(addressed(SHIP, "NEXT"), NOW);
    let journal = ob.take_journal();
    let (mut ob, _) = Outbox::restore(&journal, OutboxConfig::default(), NOW + 10);
    assert_eq!(state(&ob, id), State::Written { seq });
    // The queued one gets the next identifier, not the one in flight.
    let (got, lines) = ob.next_to_write(NOW + 10).unwrap();
    assert_eq!(got, other);
    assert_ne!(seq_in(&lines), seq);
    // The ABK after the restart still matches.
    ob.abk(&abk(Some(SHIP), 12, seq, AckType::Received), NOW + 20);
    assert_eq!(state(&ob, id), State::Acknowledged { seq });
    // And a written one whose ABK never came times out from its write time.
    let (id, seq) = send(&mut ob, broadcast("X"), NOW + 30);
    let journal2: Vec<String> = journal.into_iter().chain(ob.take_journal()).collect();
    let (mut ob, _) = Outbox::restore(&journal2, OutboxConfig::default(), NOW + 40);
    assert_eq!(ob.tick(NOW + 30 + ABK_TIMEOUT_MS).len(), 1);
    assert_eq!(state(&ob, id), State::NoAbk { seq });
}

#[test]
fn restore_reports_a_torn_line_and_keeps_the_rest() {
    let mut ob = Outbox::default();
    let a = ob.queue(addressed(SHIP, "ONE"), NOW);
    ob.queue(addressed(SHIP, "TWO"), NOW);
    let mut journal = ob.take_journal();
    let torn = journal[1][..journal[1].len() / 2].to_string();
    journal[1] = torn;
    journal.push(r#"{"id":7,"at_ms":1,"state":"written","seq":0}"#.to_string());
    journal.push(
        r#"{"id":8,"at_ms":1,"state":"queued","item":{"kind":"safety","to":null,"text":"bad~"}}"#
            .to_string(),
    );
    let (ob, problems) = Outbox::restore(&journal, OutboxConfig::default(), NOW);
    assert_eq!(
        problems.iter().map(|p| p.line).collect::<Vec<_>>(),
        [2, 3, 4]
    );
    assert_eq!(ob.entries().len(), 1);
    assert_eq!(state(&ob, a), State::Queued);
}

#[test]
fn store_appends_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.jsonl");
    assert!(store::read(&path).unwrap().is_empty());
    let mut ob = Outbox::default();
    let id = ob.queue(Item::Eta(eta_report(LOCK)), NOW);
    store::append(&path, &ob.take_journal()).unwrap();
    let (w, _) = ob.next_to_write(NOW).unwrap();
    store::append(&path, &ob.take_journal()).unwrap();
    assert_eq!(w, id);
    let lines = store::read(&path).unwrap();
    assert_eq!(lines.len(), 2);
    let (ob2, problems) = Outbox::restore(&lines, OutboxConfig::default(), NOW);
    assert!(problems.is_empty());
    assert_eq!(state(&ob2, id), State::Interrupted { seq: 0 });
    assert_eq!(ob2.get(id).unwrap().item, ob.get(id).unwrap().item);
    // It is not written again; an ABK after the restart shows it did go out.
    let mut ob2 = ob2;
    assert!(ob2.next_to_write(NOW + 1).is_none());
    assert_eq!(
        ob2.abk(&abk(Some(LOCK), 6, 0, AckType::Received), NOW + 2),
        AbkMatch::Matched {
            id,
            state: State::Acknowledged { seq: 0 }
        }
    );
    assert_eq!(state(&ob2, id).abk_result(), Some("received"));
    store::append(&path, &ob2.take_journal()).unwrap();
    let (ob3, _) = Outbox::restore(store::read(&path).unwrap(), OutboxConfig::default(), NOW);
    assert_eq!(state(&ob3, id), State::Acknowledged { seq: 0 });
}

fn rta_from(from: u32, at_ms: i64) -> RtaReceived {
    RtaReceived {
        at_ms,
        from,
        to: SHIP,
        location: location(),
        rta: DayTime {
            month: 11,
            day: 22,
            hour: 14,
            minute: 40,
        },
        status: 1,
    }
}

/// Engine time running in one-second ticks from `from` to `to`: the events
/// with the engine time they came at.
fn run(watch: &mut EtaWatch, from: i64, to: i64) -> Vec<(i64, EtaEvent)> {
    let mut out = Vec::new();
    let mut t = from;
    while t <= to {
        out.extend(watch.tick(t).into_iter().map(|e| (t, e)));
        t += 1_000;
    }
    out
}

#[test]
fn eta_without_rta_is_repeated_at_15_minutes_and_cautioned_at_30() {
    let mut w = EtaWatch::new();
    let r = eta_report(LOCK);
    w.sent(r, NOW);
    let events = run(&mut w, NOW, NOW + 40 * 60_000);
    assert_eq!(
        events,
        vec![
            (
                NOW + RTA_WAIT_MS,
                EtaEvent::Repeat {
                    to: LOCK,
                    report: r
                }
            ),
            (
                NOW + 2 * RTA_WAIT_MS,
                EtaEvent::NoAnswer {
                    to: LOCK,
                    report: r
                }
            ),
        ]
    );
    assert!(w.waiting().is_empty());
    // An RTA after the caution was not asked for any more.
    assert_eq!(
        w.rta(&rta_from(LOCK, NOW + 41 * 60_000)),
        RtaMatch::Unasked { from: LOCK }
    );
}

#[test]
fn rta_in_time_ends_the_wait() {
    let mut w = EtaWatch::new();
    let r = eta_report(LOCK);
    w.sent(r, NOW);
    assert!(run(&mut w, NOW, NOW + 10 * 60_000).is_empty());
    assert_eq!(
        w.rta(&rta_from(LOCK, NOW + 10 * 60_000)),
        RtaMatch::Answered {
            from: LOCK,
            report: r
        }
    );
    assert!(run(&mut w, NOW + 10 * 60_000, NOW + 60 * 60_000).is_empty());
    // After the repeat, an RTA still answers.
    w.sent(r, NOW + 60 * 60_000);
    let ev = run(&mut w, NOW + 60 * 60_000, NOW + 80 * 60_000);
    assert_eq!(ev.len(), 1);
    assert!(matches!(
        w.rta(&rta_from(LOCK, NOW + 80 * 60_000)),
        RtaMatch::Answered { .. }
    ));
    assert!(run(&mut w, NOW + 80 * 60_000, NOW + 120 * 60_000).is_empty());
}

#[test]
fn unasked_rta_is_reported() {
    let mut w = EtaWatch::new();
    w.sent(eta_report(LOCK), NOW);
    assert_eq!(
        w.rta(&rta_from(2_113_999, NOW + 60_000)),
        RtaMatch::Unasked { from: 2_113_999 }
    );
    // The wait for the lock goes on.
    assert_eq!(w.waiting().len(), 1);
}
