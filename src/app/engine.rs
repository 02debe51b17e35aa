//! The engine: the sans-I/O core of both modes. Lines in (with the link
//! they came from and the time they were received), traffic events out,
//! driven by the data clock. The console and headless mode feed it the same
//! way from the same link tasks, so a replayed file gives the same events at
//! the same data times in both.

use crate::ais::stream::{AisStream, Outcome};
use crate::clock::{DataClock, rfc3339};
use crate::nmea::{self, gnss, pi};
use crate::traffic::alarm::{AlarmId, AlarmTransition, Priority};
use crate::traffic::config::TrafficConfig;
use crate::traffic::{Event, Traffic, Via};
use crate::voyage::desk::{Desk, DeskEvent};
use crate::voyage::outbox::OutboxConfig;
use serde_json::{Value, json};

/// What the engine said since it was last asked: for the screen, the bell
/// and the headless event stream (the alarm log has them already).
#[derive(Debug, Default)]
pub struct Drained {
    pub events: Vec<Event>,
    pub transitions: Vec<AlarmTransition>,
    /// What was sent and received through the desk (outbox, inbox, RTAs).
    pub desk: Vec<DeskEvent>,
}

/// Where the alarm transitions and received messages the engine drains
/// are kept: the persistent alarm log (`alarm_log`), or anything a test
/// keeps them in. The engine says what to keep; the keeper does the I/O.
pub trait Records {
    /// Keep these (in time order).
    fn keep(&mut self, transitions: &[AlarmTransition], events: &[Event]);
    /// Why the records are not being kept, while they are not.
    fn problem(&self) -> Option<&str>;
}

/// Lines in, traffic events out.
#[derive(Debug)]
pub struct Engine {
    pub stream: AisStream,
    pub traffic: Traffic,
    pub clock: DataClock,
    /// Live input: time is the system clock at reception. Replay: the data
    /// clock.
    pub live: bool,
    /// Time used before any line carried one (replay: the file's first data
    /// time, found by looking ahead).
    pub start_ms: i64,
    /// A replay of a file that carries no time at all runs on the system
    /// clock from the start of the replay.
    pub wall_fallback: bool,
    /// What the officer sends and receives: outbox, inbox, ETA ↔ RTA.
    pub desk: Desk,
    /// The input link the transponder is on (sentences are written there).
    pub transponder: Option<usize>,
    /// Links whose AIS messages come through an AI-IP server.
    pub aiip_links: Vec<u32>,
    /// The last message of each kind per vessel through AI-IP, hashed: a
    /// server answers with the latest it holds, so the same report comes
    /// again and again; a repeat is not a new report (it would keep a
    /// silent vessel from being lost).
    aiip_last: std::collections::HashMap<(u32, u8), u64>,
    /// Repeats dropped that way.
    pub aiip_repeats: u64,
}

impl Engine {
    /// A new engine.
    pub fn new(config: TrafficConfig, live: bool) -> Self {
        let own = config.own_ship.mmsi;
        let outbox = OutboxConfig {
            abk_timeout_ms: (config.own_ship.abk_timeout_s * 1000.0) as i64,
        };
        Engine {
            desk: Desk::new(own, false, outbox),
            transponder: None,
            aiip_links: Vec::new(),
            aiip_last: std::collections::HashMap::new(),
            aiip_repeats: 0,
            stream: AisStream::new(),
            traffic: Traffic::new(config),
            clock: DataClock::default(),
            live,
            start_ms: 0,
            wall_fallback: false,
        }
    }

    /// Whether time comes from the system clock (live inputs, or a replay
    /// whose data carries no time): then the engine is ticked on it.
    pub fn on_wall_clock(&self) -> bool {
        self.live || (self.wall_fallback && self.clock.now_ms().is_none())
    }

    /// A replay starts: its first data time, looked ahead for, stamps the
    /// reports that come before the first clock sentence. A file without
    /// any time replays on the system clock (`wall_ms` on). Returns false
    /// in that case, for the notice.
    pub fn replay_starts(&mut self, first_ms: Option<i64>, wall_ms: i64) -> bool {
        if self.live || self.clock.now_ms().is_some() {
            return true;
        }
        match first_ms {
            Some(t) => {
                self.start_ms = t;
                true
            }
            None => {
                if !self.wall_fallback {
                    self.wall_fallback = true;
                    self.start_ms = wall_ms;
                }
                false
            }
        }
    }

    /// Take the events and alarm transitions, hand them to `log` to keep,
    /// and raise (or clear) the storage alarm when the log cannot (or again
    /// can) be written.
    pub fn drain(&mut self, log: &mut dyn Records, wall_ms: i64) -> Drained {
        let events = self.traffic.take_events();
        for e in &events {
            match e {
                Event::SafetyMessage(m) => self.desk.safety(m),
                Event::Rta(r) => self.desk.rta(r),
                _ => {}
            }
        }
        let desk = self.desk.take_events();
        for e in &desk {
            self.desk_alarm(e);
        }
        let mut d = Drained {
            events,
            transitions: self.traffic.alarms.take_transitions(),
            desk,
        };
        log.keep(&d.transitions, &d.events);
        let problem = log.problem().map(str::to_string);
        self.storage_problem("alarm log", problem.as_deref(), wall_ms);
        d.transitions.extend(self.traffic.alarms.take_transitions());
        d
    }

    /// The alarms the desk's events raise or clear: no ABK from the
    /// transponder (warning, until it acknowledges again), no answer from a
    /// lock (caution, until it answers), a safety message addressed to own
    /// ship (warning).
    fn desk_alarm(&mut self, e: &DeskEvent) {
        let abk_id = AlarmId::Transponder("ABK".into());
        match e {
            DeskEvent::NoAbk {
                at_ms,
                msg_id,
                to,
                seq,
                ..
            } => {
                let to = to.map_or("all".to_string(), |m| format!("{m:09}"));
                // An ETA report that went through the AI-IP server (no
                // transponder) is settled by the server's answer.
                let text = if self.desk.through_aiip() {
                    format!("no answer from the AI-IP server: ETA report to {to}")
                } else {
                    format!("no ABK from the transponder: message {msg_id} to {to}, id {seq}")
                };
                self.traffic.alarms.raise(abk_id, *at_ms, text, None);
            }
            DeskEvent::Abk { at_ms, .. } | DeskEvent::AbkUnmatched { at_ms, .. }
                if self.traffic.alarms.get(&abk_id).is_some() =>
            {
                self.traffic.alarms.rectify(&abk_id, *at_ms);
            }
            DeskEvent::NoAnswer { at_ms, to, .. } => {
                self.traffic.alarms.raise(
                    AlarmId::NoRta(*to),
                    *at_ms,
                    format!("no answer from the lock {to:09} (ETA sent twice)"),
                    None,
                );
            }
            DeskEvent::Rta { rta, .. }
                if self.traffic.alarms.get(&AlarmId::NoRta(rta.from)).is_some() =>
            {
                self.traffic
                    .alarms
                    .rectify(&AlarmId::NoRta(rta.from), rta.at_ms);
            }
            DeskEvent::Received {
                at_ms,
                n,
                to_us: true,
            } => {
                let from = self
                    .desk
                    .inbox()
                    .iter()
                    .find(|i| i.n == *n)
                    .map(|i| match &i.kind {
                        crate::voyage::desk::InboxKind::Safety(m) => m.from,
                        crate::voyage::desk::InboxKind::Rta { rta, .. } => rta.from,
                    });
                let from = from.map_or(String::new(), |m| format!(" from {m:09}"));
                self.traffic.alarms.raise(
                    AlarmId::Message(*n),
                    *at_ms,
                    format!("safety message to own ship{from}"),
                    None,
                );
            }
            _ => {}
        }
    }

    /// Show a storage failure (`what` cannot be written, and why) as an
    /// alarm; `None` clears it.
    pub fn storage_problem(&mut self, what: &str, problem: Option<&str>, wall_ms: i64) {
        let id = AlarmId::Storage(what.to_string());
        let now = self.now_ms(wall_ms);
        match problem {
            Some(p) => {
                // New, or back after it had been rectified; an alarm still
                // standing is left as it is.
                self.traffic
                    .alarms
                    .raise(id, now, format!("{what} not written: {p}"), None);
            }
            None => {
                if self.traffic.alarms.get(&id).is_some() {
                    self.traffic.alarms.rectify(&id, now);
                }
            }
        }
    }

    /// The engine's time: live, the system's UTC when the line was
    /// received; replaying, the data's own time.
    pub fn now_ms(&self, received_ms: i64) -> i64 {
        if self.live {
            return received_ms;
        }
        match self.clock.now_ms() {
            Some(t) => t,
            None if self.wall_fallback => received_ms,
            None => self.start_ms,
        }
    }

    /// Process one line of the only input (see [`push_link_line`](Self::push_link_line)).
    pub fn push_line(&mut self, line: Option<&[u8]>, received_ms: i64) {
        self.push_link_line(0, line, received_ms);
    }

    /// Process one line received on input `link` (`None`: an over-long
    /// line the reader dropped). Multi-sentence messages are joined per link
    /// and tag-block source.
    pub fn push_link_line(&mut self, link: u32, line: Option<&[u8]>, received_ms: i64) {
        let Some(line) = line else {
            self.stream.count_rejected_line();
            return;
        };
        if line.first() == Some(&b'#') {
            return;
        }
        let Ok(s) = nmea::frame(line) else {
            // Let the stream count it with its reason.
            let _ = self.stream.push_line(line, self.now_ms(received_ms));
            return;
        };
        self.clock.observe_tag(&s);
        if gnss::is_gnss(s.formatter) {
            self.stream.count_sentence(&s);
            if let Ok(fix) = gnss::parse(&s) {
                self.clock.observe_fix(&fix);
                let now = self.now_ms(received_ms);
                self.traffic.ingest_fix(&fix, now);
            }
            return;
        }
        let now = self.now_ms(received_ms);
        if s.formatter == "ABK" {
            self.stream.count_sentence(&s);
            if let Ok(a) = pi::parse_abk(&s) {
                self.desk.abk(&a, now);
            }
            return;
        }
        if s.formatter == "ALR" {
            self.stream.count_sentence(&s);
            if let Ok(a) = pi::parse_alr(&s) {
                self.traffic.ingest_alr(&a, now);
            }
            return;
        }
        if let Ok(Outcome::Ais(r)) = self.stream.push_sentence_from(link, s, now) {
            if self.aiip_links.contains(&link) {
                self.ingest_aiip(&r, now);
            } else {
                self.traffic.ingest(&r, now);
            }
        }
    }

    /// A message received through an AI-IP server (a line of an AI-IP
    /// link, or a vessel the AI-IP client decoded). A server answers with
    /// the latest report it holds, so the same report comes again and
    /// again: a repeat (same vessel, same message type, same content) is
    /// counted and dropped, so that a vessel that went silent is still
    /// lost. Returns whether it was taken.
    pub fn ingest_aiip(&mut self, r: &crate::ais::stream::Received, now: i64) -> bool {
        use std::fmt::Write as _;
        use std::hash::{DefaultHasher, Hasher};
        // The message's content hashed as it is written out, without a
        // string in between.
        struct Feed(DefaultHasher);
        impl std::fmt::Write for Feed {
            fn write_str(&mut self, s: &str) -> std::fmt::Result {
                self.0.write(s.as_bytes());
                Ok(())
            }
        }
        let mut h = Feed(DefaultHasher::new());
        let _ = write!(h, "{:?}", r.msg.body);
        let hash = h.0.finish();
        let key = (r.msg.mmsi, r.msg.msg_type);
        // Bounded: a flood of made-up MMSIs forgets, never grows without end.
        if self.aiip_last.len() >= 200_000 && !self.aiip_last.contains_key(&key) {
            self.aiip_last.clear();
        }
        if self.aiip_last.insert(key, hash) == Some(hash) {
            self.aiip_repeats += 1;
            return false;
        }
        self.traffic.ingest_via(r, now, Via::Aiip);
        true
    }

    /// Re-evaluate at the current data time (end of a replay, or a live
    /// timer).
    pub fn tick(&mut self, received_ms: i64) {
        let now = self.now_ms(received_ms);
        self.traffic.tick(now);
        self.desk.tick(now);
    }
}

/// One event as the JSON object of the headless contract. Alert events
/// carry the alert's `priority`, as the alarm log's entries do.
pub fn event_json(e: &Event) -> Value {
    let mut v = event_fields(e);
    if let (Some(p), Value::Object(m)) = (event_priority(e), &mut v) {
        m.insert("priority".into(), json!(p.name()));
    }
    v
}

/// The priority of the alert an event announces (MSC.302(87)); `None` for
/// events that are not alerts.
pub fn event_priority(e: &Event) -> Option<Priority> {
    match e {
        Event::Dangerous { .. } | Event::Sart { .. } => Some(Priority::Alarm),
        Event::Lost { was_dangerous, .. } => Some(if *was_dangerous {
            Priority::Alarm
        } else {
            Priority::Warning
        }),
        Event::OwnPositionLost { .. }
        | Event::TransponderAlarm { .. }
        | Event::OwnMmsiClash { .. } => Some(Priority::Warning),
        Event::Activated { .. } => Some(Priority::Caution),
        _ => None,
    }
}

fn event_fields(e: &Event) -> Value {
    let round = |v: f64, d: i32| {
        let f = 10f64.powi(d);
        (v * f).round() / f
    };
    match e {
        Event::TargetNew {
            at_ms,
            mmsi,
            bearing_range,
        } => {
            let mut v = json!({"time": rfc3339(*at_ms), "event": "target_new", "mmsi": mmsi});
            add_bearing_range(&mut v, *bearing_range);
            v
        }
        Event::Dangerous {
            at_ms,
            mmsi,
            cpa_nm,
            tcpa_min,
            bearing_range,
        } => {
            let mut v = json!({"time": rfc3339(*at_ms), "event": "dangerous", "mmsi": mmsi,
                    "cpa_nm": round(*cpa_nm, 2), "tcpa_min": round(*tcpa_min, 1)});
            add_bearing_range(&mut v, *bearing_range);
            v
        }
        Event::DangerousCleared { at_ms, mmsi } => {
            json!({"time": rfc3339(*at_ms), "event": "dangerous_cleared", "mmsi": mmsi})
        }
        Event::Lost {
            at_ms,
            mmsi,
            last_cpa,
            ..
        } => {
            let mut v = json!({"time": rfc3339(*at_ms), "event": "lost", "mmsi": mmsi});
            if let (Some((cpa, tcpa)), Value::Object(m)) = (last_cpa, &mut v) {
                m.insert("last_cpa_nm".into(), json!(round(*cpa, 2)));
                m.insert("last_tcpa_min".into(), json!(round(*tcpa, 1)));
            }
            v
        }
        Event::Activated {
            at_ms,
            mmsi,
            bearing_range,
        } => {
            let mut v = json!({"time": rfc3339(*at_ms), "event": "activated", "mmsi": mmsi});
            add_bearing_range(&mut v, *bearing_range);
            v
        }
        Event::Removed { at_ms, mmsi } => {
            json!({"time": rfc3339(*at_ms), "event": "removed", "mmsi": mmsi})
        }
        Event::Sart { at_ms, mmsi } => {
            json!({"time": rfc3339(*at_ms), "event": "sart", "mmsi": mmsi})
        }
        Event::SartTest { at_ms, mmsi } => {
            json!({"time": rfc3339(*at_ms), "event": "sart_test", "mmsi": mmsi})
        }
        Event::SafetyMessage(m) => json!({"time": rfc3339(m.at_ms), "event": "safety_message",
                                         "from": m.from, "to": m.to, "text": clean(&m.text)}),
        Event::Rta(r) => {
            json!({"time": rfc3339(r.at_ms), "event": "rta", "from": r.from, "to": r.to,
            "locode": format!("{}{}{}{}{}", r.location.country, r.location.locode, r.location.section,
                              r.location.terminal, r.location.hectometre),
            "rta": format!("{:02}-{:02}T{:02}:{:02}Z", r.rta.month, r.rta.day, r.rta.hour, r.rta.minute),
            "status": match r.status { 0 => "operational", 1 => "limited", 2 => "out_of_order", _ => "unknown" }})
        }
        Event::OwnPositionLost { at_ms } => {
            json!({"time": rfc3339(*at_ms), "event": "own_position_lost"})
        }
        Event::OwnPositionRestored { at_ms } => {
            json!({"time": rfc3339(*at_ms), "event": "own_position_restored"})
        }
        Event::TransponderAlarm {
            at_ms,
            id,
            text,
            active,
        } => json!({"time": rfc3339(*at_ms), "event": "transponder_alarm", "id": clean(id),
                    "text": clean(text), "active": active}),
        Event::OwnMmsiClash {
            at_ms,
            mmsi,
            range_nm,
        } => json!({"time": rfc3339(*at_ms), "event": "own_mmsi_clash", "mmsi": mmsi,
                    "range_nm": round(*range_nm, 2)}),
    }
}

/// What the engine said, as the JSON lines of the headless contract, in
/// order: the traffic events (an `rta` carries `answers_eta`: whether it
/// answers an ETA report the desk was waiting on), then the desk's.
pub fn drained_json(d: &Drained) -> Vec<Value> {
    let mut out: Vec<Value> = d
        .events
        .iter()
        .map(|e| {
            let mut v = event_json(e);
            if let (Event::Rta(r), Value::Object(m)) = (e, &mut v) {
                let answers = d.desk.iter().find_map(|de| match de {
                    DeskEvent::Rta { rta, answers } if rta == r => Some(answers.is_some()),
                    _ => None,
                });
                // An RTA addressed to another station is not the desk's.
                m.insert("answers_eta".into(), json!(answers.unwrap_or(false)));
            }
            v
        })
        .collect();
    out.extend(d.desk.iter().filter_map(desk_event_json));
    out
}

/// One desk event as the JSON object of the headless contract; `None` for
/// those said elsewhere (an RTA, a received safety message: the traffic
/// events `rta` and `safety_message`).
pub fn desk_event_json(e: &DeskEvent) -> Option<Value> {
    use crate::voyage::desk::{WriteTag, location_text};
    use crate::voyage::outbox::Item;
    let mmsi = |m: Option<u32>| m.map_or(Value::Null, |m| json!(m));
    Some(match e {
        DeskEvent::Sent {
            at_ms,
            id,
            item,
            seq,
            repeat,
        } => {
            let mut v = match item {
                Item::Eta(r) => json!({"time": rfc3339(*at_ms), "event": "eta_sent", "to": r.to,
                    "locode": location_text(&r.location), "eta": r.eta.to_string(),
                    "msg": 6, "seq": seq, "id": id.0}),
                Item::Safety(m) => json!({"time": rfc3339(*at_ms), "event": "message_sent",
                    "to": mmsi(m.to), "msg": item.msg_id(), "seq": seq, "text": m.text.text,
                    "id": id.0}),
            };
            if let (true, Value::Object(m)) = (*repeat, &mut v) {
                m.insert("repeat".into(), json!(true));
            }
            v
        }
        DeskEvent::DataWritten { at_ms, what } => {
            json!({"time": rfc3339(*at_ms), "event": "data_sent", "what": what})
        }
        DeskEvent::WriteFailed { at_ms, tag, reason } => {
            let mut v =
                json!({"time": rfc3339(*at_ms), "event": "write_failed", "reason": clean(reason)});
            if let Value::Object(m) = &mut v {
                match tag {
                    WriteTag::Outbox(id) => m.insert("id".into(), json!(id.0)),
                    WriteTag::Data(what) => m.insert("what".into(), json!(what)),
                };
            }
            v
        }
        DeskEvent::Abk {
            at_ms,
            id,
            item,
            state,
        } => json!({"time": rfc3339(*at_ms), "event": "abk", "to": mmsi(item.to()),
            "msg": item.msg_id(), "seq": state.seq(), "result": state.abk_result(), "id": id.0}),
        DeskEvent::AbkUnmatched { at_ms, abk, reason } => {
            json!({"time": rfc3339(*at_ms), "event": "abk_unmatched", "to": mmsi(abk.dest_mmsi),
                "msg": abk.msg_id, "seq": abk.seq_id, "type": crate::nmea::pi::AckType::to_u8(abk.ack), "reason": reason})
        }
        DeskEvent::NoAbk {
            at_ms,
            id,
            msg_id,
            to,
            seq,
        } => json!({"time": rfc3339(*at_ms), "event": "no_abk", "to": mmsi(*to), "msg": msg_id,
            "seq": seq, "id": id.0, "priority": Priority::Warning.name()}),
        DeskEvent::EtaRepeated { at_ms, to, id } => {
            json!({"time": rfc3339(*at_ms), "event": "eta_repeat_queued", "to": to, "id": id.0})
        }
        DeskEvent::NoAnswer { at_ms, to, report } => {
            json!({"time": rfc3339(*at_ms), "event": "no_answer", "to": to,
                "locode": location_text(&report.location), "eta": report.eta.to_string(),
                "priority": Priority::Caution.name()})
        }
        DeskEvent::Rta { .. } | DeskEvent::Received { .. } => return None,
    })
}

/// `range_nm` and `bearing_deg` (own ship to target), left out while own
/// position is unknown. The bearing is rounded so that it never reads 360.0.
fn add_bearing_range(v: &mut Value, bearing_range: Option<(f64, f64)>) {
    let Some((brg, rng)) = bearing_range else {
        return;
    };
    if let Value::Object(m) = v {
        let brg = (brg * 10.0).round() / 10.0;
        let brg = if brg >= 360.0 { brg - 360.0 } else { brg };
        m.insert("range_nm".into(), json!((rng * 100.0).round() / 100.0));
        m.insert("bearing_deg".into(), json!(brg));
    }
}

/// Text from the air: control characters removed.
pub fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}
