//! The engine: the sans-I/O core of both modes. Lines in (with the link
//! they came from and the time they were received), traffic events out,
//! driven by the data clock. The console and headless mode feed it the same
//! way from the same link tasks, so a replayed file gives the same events at
//! the same data times in both.

use crate::ais::stream::{AisStream, Outcome};
use crate::clock::{DataClock, rfc3339};
use crate::nmea::{self, gnss, pi};
use crate::traffic::config::TrafficConfig;
use crate::traffic::{Event, Traffic};
use serde_json::{Value, json};

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
    /// time, found by a first pass).
    pub start_ms: i64,
}

impl Engine {
    /// A new engine.
    pub fn new(config: TrafficConfig, live: bool) -> Self {
        Engine {
            stream: AisStream::new(),
            traffic: Traffic::new(config),
            clock: DataClock::default(),
            live,
            start_ms: 0,
        }
    }

    /// The engine's time: live, the system's UTC when the line was
    /// received; replaying, the data's own time.
    pub fn now_ms(&self, received_ms: i64) -> i64 {
        if self.live {
            return received_ms;
        }
        self.clock.now_ms().unwrap_or(self.start_ms)
    }

    /// Process one line (`None`: an over-long line the reader dropped).
    pub fn push_line(&mut self, line: Option<&[u8]>, received_ms: i64) {
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
        if s.formatter == "ALR" {
            self.stream.count_sentence(&s);
            if let Ok(a) = pi::parse_alr(&s) {
                self.traffic.ingest_alr(&a, now);
            }
            return;
        }
        if let Ok(Outcome::Ais(r)) = self.stream.push_sentence(s, now) {
            self.traffic.ingest(&r, now);
        }
    }

    /// Re-evaluate at the current data time (end of a replay, or a live
    /// timer).
    pub fn tick(&mut self, received_ms: i64) {
        let now = self.now_ms(received_ms);
        self.traffic.tick(now);
    }
}

/// One event as the JSON object of the headless contract.
pub fn event_json(e: &Event) -> Value {
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
        Event::Lost { at_ms, mmsi } => {
            json!({"time": rfc3339(*at_ms), "event": "lost", "mmsi": mmsi})
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
    }
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
