//! The traffic picture: own ship, targets, CPA/TCPA, A.1106 target states,
//! lost-target rules and alarms. Plain data and functions with the data time
//! `now_ms` (milliseconds since the epoch) passed in: no I/O, no clock, so a
//! recorded log replays with the same alarms at the same data times.
//!
//! Flow: feed decoded messages ([`Traffic::ingest`]), GNSS fixes
//! ([`Traffic::ingest_fix`]) and transponder alarms ([`Traffic::ingest_alr`]);
//! the engine re-evaluates the target that reported at once and everything
//! else at most once a second of data time ([`Traffic::tick`]); take the
//! resulting [`Event`]s with [`Traffic::take_events`].

pub mod alarm;
pub mod config;
pub mod geo;
pub mod own_ship;
pub mod target;

use crate::ais::application::{AddressedApp, DayTime, InlandLocation};
use crate::ais::messages::Body;
use crate::ais::stream::Received;
use crate::nmea::gnss::OwnFix;
use crate::nmea::pi::Alr;
use alarm::{AlarmId, Alarms, Materiality, Priority};
use config::TrafficConfig;
use own_ship::OwnShip;
use std::collections::{HashMap, HashSet};
use target::{Activation, Target};
pub use target::{Heard, Via};

/// An AI-IP position of a target heard by radio this recently is not
/// plotted (see [`Traffic::ingest_via`]).
pub const RADIO_FIRST_MS: i64 = 30_000;

/// A received safety-related text (message 12 or 14).
#[derive(Debug, Clone, PartialEq)]
pub struct SafetyMessage {
    pub at_ms: i64,
    pub from: u32,
    /// Destination for message 12; `None` for the broadcast message 14.
    pub to: Option<u32>,
    pub text: String,
}

/// A received Inland AIS RTA (DAC 200 FI 22), kept for the voyage module.
#[derive(Debug, Clone, PartialEq)]
pub struct RtaReceived {
    pub at_ms: i64,
    pub from: u32,
    pub to: u32,
    pub location: InlandLocation,
    pub rta: DayTime,
    pub status: u8,
}

/// Something the officer (or the headless stream) is told about.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A target heard for the first time; bearing (degrees true) and range
    /// (NM) from own ship at that instant, when both positions are known.
    TargetNew {
        at_ms: i64,
        mmsi: u32,
        bearing_range: Option<(f64, f64)>,
    },
    /// A target became dangerous; bearing and range as for `TargetNew`.
    Dangerous {
        at_ms: i64,
        mmsi: u32,
        cpa_nm: f64,
        tcpa_min: f64,
        bearing_range: Option<(f64, f64)>,
    },
    DangerousCleared {
        at_ms: i64,
        mmsi: u32,
    },
    /// A target stopped reporting. `was_dangerous`: it was dangerous when
    /// it went silent (its loss is then an alarm), with the CPA (NM) and
    /// TCPA (min) of its last recompute when they were known.
    Lost {
        at_ms: i64,
        mmsi: u32,
        was_dangerous: bool,
        last_cpa: Option<(f64, f64)>,
    },
    Removed {
        at_ms: i64,
        mmsi: u32,
    },
    /// A sleeping target entered the activation range and was activated
    /// (a caution); bearing and range as for `TargetNew`.
    Activated {
        at_ms: i64,
        mmsi: u32,
        bearing_range: Option<(f64, f64)>,
    },
    /// AIS-SART, MOB, EPIRB or nav status 14 seen.
    Sart {
        at_ms: i64,
        mmsi: u32,
    },
    /// An AIS-SART, MOB or EPIRB-AIS heard in test mode: shown, no alarm.
    SartTest {
        at_ms: i64,
        mmsi: u32,
    },
    SafetyMessage(SafetyMessage),
    Rta(RtaReceived),
    OwnPositionLost {
        at_ms: i64,
    },
    OwnPositionRestored {
        at_ms: i64,
    },
    TransponderAlarm {
        at_ms: i64,
        id: String,
        text: String,
        active: bool,
    },
    /// A station `range_nm` from own ship transmits with own MMSI: it is
    /// shown as a target, and the setting should be checked.
    OwnMmsiClash {
        at_ms: i64,
        mmsi: u32,
        range_nm: f64,
    },
}

/// Counts for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrafficStats {
    pub messages: u64,
    pub own_reports: u64,
    pub fixes: u64,
    pub rejected_positions: u64,
    /// Full re-evaluations of the picture.
    pub ticks: u64,
    /// Own transmissions heard back (VDM with own MMSI near own ship).
    pub own_echoes: u64,
}

/// Target `t` is no longer dangerous at `now_ms`: the event, and its
/// alarm rectified (it stays, rectified, until acknowledged).
fn clear_dangerous(t: &mut Target, events: &mut Vec<Event>, alarms: &mut Alarms, now_ms: i64) {
    t.dangerous = false;
    t.outside_since_ms = None;
    events.push(Event::DangerousCleared {
        at_ms: now_ms,
        mmsi: t.mmsi,
    });
    alarms.rectify(&AlarmId::Dangerous(t.mmsi), now_ms);
}

/// "244123456 RIJNSTROOM", or the MMSI alone when no name was received.
fn label(mmsi: u32, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("{mmsi:09} {n}"),
        None => format!("{mmsi:09}"),
    }
}

/// The traffic picture.
#[derive(Debug)]
pub struct Traffic {
    pub config: TrafficConfig,
    pub own: OwnShip,
    pub targets: HashMap<u32, Target>,
    pub selected: Option<u32>,
    pub alarms: Alarms,
    pub safety_messages: Vec<SafetyMessage>,
    pub rtas: Vec<RtaReceived>,
    pub stats: TrafficStats,
    events: Vec<Event>,
    started_ms: Option<i64>,
    last_tick_ms: Option<i64>,
    own_lost: bool,
    /// Targets whose distress (device or nav status 14) has been alarmed;
    /// cleared when the distress ends or the target is removed.
    distress_seen: HashSet<u32>,
    /// Distress devices announced as test transmissions.
    test_seen: HashSet<u32>,
    /// The longest an AI-IP target's news waits for the AI-IP client's
    /// next ask (ms); added to the lost time of targets heard last
    /// through AI-IP (see [`Traffic::set_aiip_lag`]).
    aiip_lag_ms: i64,
    /// Own MMSIs heard from a station far from own ship: such a station is
    /// a target (see [`Traffic::is_own_echo`]).
    clashes: HashSet<u32>,
    /// MMSIs own transponder reported that differ from the setting (said
    /// once each).
    mismatch_said: HashSet<u32>,
}

impl Traffic {
    /// An empty picture.
    pub fn new(config: TrafficConfig) -> Self {
        let own = OwnShip {
            mmsi: config.own_ship.mmsi,
            ..OwnShip::default()
        };
        let mut alarms = Alarms::new(
            (config.alarms.ack_hold_s * 1000.0) as i64,
            (config.alarms.caution_display_s * 1000.0) as i64,
        );
        // A snooze cannot outlast the encounter (docs/alerts.md).
        alarms.snooze_tcpa_floor_min = config.alarms.tcpa_limit_min / 2.0;
        Traffic {
            config,
            own,
            targets: HashMap::new(),
            selected: None,
            alarms,
            safety_messages: Vec::new(),
            rtas: Vec::new(),
            stats: TrafficStats::default(),
            events: Vec::new(),
            started_ms: None,
            last_tick_ms: None,
            own_lost: false,
            distress_seen: HashSet::new(),
            test_seen: HashSet::new(),
            aiip_lag_ms: 0,
            clashes: HashSet::new(),
            mismatch_said: HashSet::new(),
        }
    }

    /// How long an AI-IP target's report can wait for the AI-IP client's
    /// next ask (its request interval, ms): a target heard last through
    /// AI-IP is lost only after its lost time plus this, since nothing
    /// newer can arrive sooner. Radio targets are not affected.
    pub fn set_aiip_lag(&mut self, ms: i64) {
        self.aiip_lag_ms = ms.max(0);
    }

    fn timeout_ms(&self) -> i64 {
        (self.config.own_ship.own_position_timeout_s * 1000.0) as i64
    }

    /// Events since the last call.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    fn clock(&mut self, now_ms: i64) {
        if self.started_ms.is_none() {
            self.started_ms = Some(now_ms);
        }
        if self
            .last_tick_ms
            .is_none_or(|t| now_ms - t >= 1000 || now_ms < t)
        {
            self.tick(now_ms);
        }
    }

    /// A decoded AIS message at data time `now_ms`.
    pub fn ingest(&mut self, r: &Received, now_ms: i64) {
        self.ingest_via(r, now_ms, Via::Radio);
    }

    /// An RTA that came another way than a decoded AIS message (the
    /// AI-IP client's): kept and announced as one from the air.
    pub fn rta_received(&mut self, r: RtaReceived) {
        self.rtas.push(r.clone());
        self.events.push(Event::Rta(r));
    }

    /// [`ingest`](Self::ingest) a message that came by `via`. A target
    /// heard by radio and through AI-IP is one target. An AI-IP position
    /// report of a target heard by radio within [`RADIO_FIRST_MS`] only
    /// marks the AI-IP source: radio is first-hand and newer than a
    /// server's latest, so it keeps the plot from stepping back.
    pub fn ingest_via(&mut self, r: &Received, now_ms: i64, via: Via) {
        let mmsi = r.msg.mmsi;
        let position = matches!(
            r.msg.body,
            Body::Position(_) | Body::ClassB(_) | Body::ClassBExtended(_)
        );
        if via == Via::Aiip
            && position
            && let Some(t) = self.targets.get_mut(&mmsi)
            && t.via_radio_ms.is_some_and(|h| now_ms - h < RADIO_FIRST_MS)
        {
            t.via_aiip_ms = Some(now_ms);
            return;
        }
        self.ingest_inner(r, now_ms, via);
    }

    fn ingest_inner(&mut self, r: &Received, now_ms: i64, via: Via) {
        self.clock(now_ms);
        let m = &r.msg;
        // Own data (VDO) come only from own transponder: a sentence
        // relayed by an AI-IP server is another vessel's, whatever its
        // talker said.
        if r.own && via == Via::Radio {
            self.stats.own_reports += 1;
            let t = self.timeout_ms();
            self.own.apply_vdo(m, now_ms, t);
            self.own_mmsi_mismatch(m.mmsi, now_ms);
            // Our own echo heard before we knew our MMSI is not a target;
            // a station with our number far from us is one (and a warning).
            if !self.clashes.contains(&m.mmsi) && self.targets.contains_key(&m.mmsi) {
                let own = self.own_now(now_ms).or(m.body_position());
                let far = self.targets.get(&m.mmsi).and_then(|t| {
                    let p = t.position_at_fast(now_ms).or(t.position.map(|p| p.value))?;
                    let d = geo::bearing_range(own?, p).1;
                    (d > self.config.own_ship.own_mmsi_clash_nm).then_some(d)
                });
                match far {
                    Some(d) => self.clash(m.mmsi, d, now_ms),
                    None => {
                        self.targets.remove(&m.mmsi);
                        self.distress_seen.remove(&m.mmsi);
                        self.test_seen.remove(&m.mmsi);
                        self.alarms.drop_target(m.mmsi, now_ms);
                        self.events.push(Event::Removed {
                            at_ms: now_ms,
                            mmsi: m.mmsi,
                        });
                    }
                }
            }
            return;
        }
        if self.is_own_echo(m, now_ms) {
            // Our own transmission echoed by a receiver.
            self.stats.own_echoes += 1;
            return;
        }
        self.stats.messages += 1;
        match &m.body {
            Body::SafetyAddressed(s) => {
                self.safety(now_ms, m.mmsi, Some(s.dest_mmsi), s.text.as_str());
            }
            Body::SafetyBroadcast { text } => self.safety(now_ms, m.mmsi, None, text.as_str()),
            Body::AddressedBinary(b) => {
                if let AddressedApp::InlandRta(rta) = &b.app {
                    let r = RtaReceived {
                        at_ms: now_ms,
                        from: m.mmsi,
                        to: b.dest_mmsi,
                        location: rta.location,
                        rta: rta.rta,
                        status: rta.status,
                    };
                    self.rtas.push(r.clone());
                    self.events.push(Event::Rta(r));
                }
            }
            _ => {}
        }
        let is_new = !self.targets.contains_key(&m.mmsi);
        let target = self
            .targets
            .entry(m.mmsi)
            .or_insert_with(|| Target::new(m.mmsi, now_ms));
        let rejected_before = target.rejected_positions;
        let was_lost = target.lost_since_ms.is_some();
        let was_off = target.off_position.is_some_and(|o| o.value);
        target.apply(m, now_ms);
        let off = target.off_position.is_some_and(|o| o.value);
        let who = (was_off != off).then(|| label(m.mmsi, target.name()));
        match via {
            Via::Radio => target.via_radio_ms = Some(now_ms),
            Via::Aiip => target.via_aiip_ms = Some(now_ms),
        }
        if was_lost && target.lost_since_ms.is_none() {
            // Reported again: the lost-target condition is gone.
            self.alarms.rectify(&AlarmId::Lost(m.mmsi), now_ms);
        }
        self.stats.rejected_positions += u64::from(target.rejected_positions - rejected_before);
        // A.1106 §30 "AtoN … off position": a caution while its flag says so.
        if let Some(who) = who {
            let id = AlarmId::OffPosition(m.mmsi);
            if off {
                let text = format!("AtoN {who} off position");
                self.alarms.raise(id, now_ms, text, None);
            } else {
                self.alarms.rectify(&id, now_ms);
            }
        }
        if is_new {
            // Evaluated first, so the event carries bearing and range; the
            // event still comes before any alarm event of the same target.
            let at = self.events.len();
            self.evaluate(m.mmsi, now_ms, self.own_now(now_ms));
            // The geodesic between the positions the evaluation used.
            let own = self.own_now(now_ms);
            let bearing_range = self.targets.get(&m.mmsi).and_then(|t| {
                t.bearing_range?;
                let p = t.position_at_fast(now_ms).or(t.position.map(|p| p.value))?;
                Some(geo::bearing_range(own?, p))
            });
            self.events.insert(
                at,
                Event::TargetNew {
                    at_ms: now_ms,
                    mmsi: m.mmsi,
                    bearing_range,
                },
            );
        } else {
            self.evaluate(m.mmsi, now_ms, self.own_now(now_ms));
        }
    }

    /// Whether a VDM with own MMSI (the configured one, or the one own
    /// transponder reports) is our own transmission echoed, or another
    /// station using our number: one whose position lies more than
    /// `own_mmsi_clash_nm` from own position is another station (shown
    /// as a target, with a warning: [`clash`](Self::clash)). Once a clash
    /// is seen, a report is ours only when it lies nearer own ship than
    /// the other station. Without positions to compare, it is taken as
    /// our echo and counted (`own_echoes`).
    fn is_own_echo(&mut self, m: &crate::ais::messages::AisMessage, now_ms: i64) -> bool {
        let ours = self.config.own_ship.mmsi == Some(m.mmsi) || self.own.mmsi == Some(m.mmsi);
        if !ours {
            return false;
        }
        let own = self.own_now(now_ms);
        let p = m.body_position();
        if self.clashes.contains(&m.mmsi) {
            let (Some(own), Some(p)) = (own, p) else {
                // Static data and the like: the other station's.
                return false;
            };
            let other = self
                .targets
                .get(&m.mmsi)
                .and_then(|t| t.position_at_fast(now_ms).or(t.position.map(|p| p.value)));
            let to_own = geo::bearing_range(own, p).1;
            return match other {
                Some(o) => to_own < geo::bearing_range(o, p).1,
                None => to_own <= self.config.own_ship.own_mmsi_clash_nm,
            };
        }
        let (Some(own), Some(p)) = (own, p) else {
            return true;
        };
        let d = geo::bearing_range(own, p).1;
        if d > self.config.own_ship.own_mmsi_clash_nm {
            self.clash(m.mmsi, d, now_ms);
            return false;
        }
        true
    }

    /// A station `range_nm` away uses own MMSI: it is a target from now on,
    /// and the officer is warned.
    fn clash(&mut self, mmsi: u32, range_nm: f64, now_ms: i64) {
        if !self.clashes.insert(mmsi) {
            return;
        }
        self.events.push(Event::OwnMmsiClash {
            at_ms: now_ms,
            mmsi,
            range_nm,
        });
        self.alarms.raise(
            AlarmId::OwnMmsi(mmsi),
            now_ms,
            format!(
                "own MMSI {mmsi:09} heard from a station {range_nm:.1} NM away: check [own_ship] mmsi"
            ),
            None,
        );
    }

    /// Own transponder reports an MMSI other than `[own_ship] mmsi`: a
    /// warning, once.
    fn own_mmsi_mismatch(&mut self, reported: u32, now_ms: i64) {
        let Some(set) = self.config.own_ship.mmsi else {
            return;
        };
        if set == reported || reported == 0 {
            return;
        }
        let id = AlarmId::OwnMmsi(set);
        if self.alarms.get(&id).is_some() || !self.mismatch_said.insert(reported) {
            return;
        }
        self.alarms.raise(
            id,
            now_ms,
            format!(
                "own transponder reports MMSI {reported:09}, [own_ship] mmsi is {set:09}: check [own_ship] mmsi"
            ),
            None,
        );
    }

    fn safety(&mut self, now_ms: i64, from: u32, to: Option<u32>, text: &str) {
        let s = SafetyMessage {
            at_ms: now_ms,
            from,
            to,
            text: text.to_string(),
        };
        self.safety_messages.push(s.clone());
        self.events.push(Event::SafetyMessage(s));
    }

    /// A GNSS or heading sentence at data time `now_ms`.
    pub fn ingest_fix(&mut self, f: &OwnFix, now_ms: i64) {
        self.clock(now_ms);
        self.stats.fixes += 1;
        let had_position = !self.own_lost && self.own.position.is_some();
        self.own.apply_fix(f, now_ms);
        if !had_position && self.own.position.is_some() {
            // First (or restored) own position: evaluate everyone now
            // rather than at the next one-second tick.
            self.tick(now_ms);
        }
    }

    /// An ALR from the transponder: relayed as a transponder alarm.
    pub fn ingest_alr(&mut self, a: &Alr, now_ms: i64) {
        self.clock(now_ms);
        let id = AlarmId::Transponder(a.id.clone());
        let was = self.alarms.get(&id).is_some();
        if a.active {
            let text = format!("Transponder: {}", a.text);
            if self.alarms.raise(id.clone(), now_ms, text, None) || !was {
                self.events.push(Event::TransponderAlarm {
                    at_ms: now_ms,
                    id: a.id.clone(),
                    text: a.text.clone(),
                    active: true,
                });
            }
            if a.acknowledged {
                self.alarms.acknowledge(&id, now_ms);
            }
        } else if was {
            self.alarms.rectify(&id, now_ms);
            self.events.push(Event::TransponderAlarm {
                at_ms: now_ms,
                id: a.id.clone(),
                text: a.text.clone(),
                active: false,
            });
        }
    }

    /// Re-evaluate everything at `now_ms`: own position, CPA of every
    /// target, lost and removed targets, silenced alarms.
    pub fn tick(&mut self, now_ms: i64) {
        self.last_tick_ms = Some(now_ms);
        self.stats.ticks += 1;
        self.alarms.tick(now_ms);
        let timeout = self.timeout_ms();
        let started = self.started_ms.unwrap_or(now_ms);
        let lost = self.own.position_lost(now_ms, timeout)
            && (self.own.position.is_some() || now_ms - started > timeout);
        if lost && !self.own_lost {
            self.own_lost = true;
            self.events.push(Event::OwnPositionLost { at_ms: now_ms });
            self.alarms.raise(
                AlarmId::OwnPositionLost,
                now_ms,
                "Own position lost: CPA not available".into(),
                None,
            );
        } else if !lost && self.own_lost {
            self.own_lost = false;
            self.events
                .push(Event::OwnPositionRestored { at_ms: now_ms });
            self.alarms.rectify(&AlarmId::OwnPositionLost, now_ms);
        }
        self.alarms.expire(now_ms);
        // In MMSI order: the same events in the same order in every run
        // and mode (a HashMap's order differs from process to process).
        let mut mmsis: Vec<u32> = self.targets.keys().copied().collect();
        mmsis.sort_unstable();
        // Own ship dead-reckoned once for the whole picture.
        let own = self.own_now(now_ms).map(|p| (p, geo::Plane::at(p)));
        for mmsi in mmsis {
            self.check_lost(mmsi, now_ms);
            self.evaluate_in(mmsi, now_ms, own);
        }
    }

    fn check_lost(&mut self, mmsi: u32, now_ms: i64) {
        let Some(t) = self.targets.get(&mmsi) else {
            return;
        };
        let cfg = &self.config.lost;
        if let Some(since) = t.lost_since_ms {
            if (now_ms - since) as f64 >= cfg.remove_after_s * 1000.0 {
                self.targets.remove(&mmsi);
                self.distress_seen.remove(&mmsi);
                self.test_seen.remove(&mmsi);
                self.clashes.remove(&mmsi);
                self.alarms.forget_target(mmsi, now_ms);
                if self.selected == Some(mmsi) {
                    self.selected = None;
                }
                self.events.push(Event::Removed {
                    at_ms: now_ms,
                    mmsi,
                });
            }
            return;
        }
        let Some(last) = t.last_report_ms else {
            return;
        };
        let lag_ms = if t.heard() == Heard::Aiip {
            self.aiip_lag_ms
        } else {
            0
        };
        let limit_ms = (t.lost_after_s(cfg) * 1000.0) as i64 + lag_ms;
        if now_ms - last <= limit_ms {
            return;
        }
        // A.1106 §30: the lost alarm for targets "at a distance of less
        // than a preset value", taken from where the target is reckoned to
        // be now; unknown range (no own position, no target position) is
        // taken as near, and distress always alarms.
        let timeout = self.timeout_ms();
        let own_pos = (!self.own.position_lost(now_ms, timeout))
            .then(|| self.own.position_at(now_ms))
            .flatten();
        let target_pos = t.position_at(now_ms).or(t.position.map(|p| p.value));
        let near = match (own_pos, target_pos) {
            (Some(o), Some(p)) => {
                geo::bearing_range(o, p).1 < self.config.alarms.lost_alarm_range_nm
            }
            _ => true,
        };
        // A dangerous target that goes silent is as near as its CPA says:
        // its loss alarms whatever the range.
        let was_dangerous = t.dangerous;
        let eligible = self.config.alarms.lost && (near || t.is_distress_alert() || was_dangerous);
        let who = label(mmsi, t.name());
        let last_cpa = t
            .cpa
            .filter(|_| was_dangerous)
            .map(|c| (c.cpa_nm, c.tcpa_min));
        if let Some(t) = self.targets.get_mut(&mmsi) {
            t.lost_since_ms = Some(now_ms);
            t.dangerous = false;
            t.outside_since_ms = None;
            t.lost_dangerous = was_dangerous;
            // A dangerous target's last CPA stays in view (and in the
            // list) for as long as it is lost.
            if !was_dangerous {
                t.cpa = None;
            }
        }
        if was_dangerous {
            self.alarms.rectify(&AlarmId::Dangerous(mmsi), now_ms);
            self.events.push(Event::DangerousCleared {
                at_ms: now_ms,
                mmsi,
            });
        }
        self.events.push(Event::Lost {
            at_ms: now_ms,
            mmsi,
            was_dangerous,
            last_cpa,
        });
        if eligible {
            let (priority, text) = match (was_dangerous, last_cpa) {
                (false, _) => (Priority::Warning, format!("Lost target {who}")),
                (true, Some((cpa, tcpa))) => (
                    Priority::Alarm,
                    format!("Lost dangerous target {who}: last CPA {cpa:.2} NM in {tcpa:.1} min"),
                ),
                (true, None) => (
                    Priority::Alarm,
                    format!("Lost dangerous target {who}: last CPA not available"),
                ),
            };
            self.alarms
                .raise_as(AlarmId::Lost(mmsi), priority, now_ms, text, None);
        }
    }

    /// Own position dead-reckoned to `now_ms`; `None` while the fix is lost
    /// (CPA is then not available).
    fn own_now(&self, now_ms: i64) -> Option<(f64, f64)> {
        (!self.own.position_lost(now_ms, self.timeout_ms()))
            .then(|| self.own.position_at_fast(now_ms))
            .flatten()
    }

    /// Compute bearing, range and CPA of one target and update its state;
    /// `own_pos` is `own_now(now_ms)`.
    fn evaluate(&mut self, mmsi: u32, now_ms: i64, own_pos: Option<(f64, f64)>) {
        self.evaluate_in(mmsi, now_ms, own_pos.map(|p| (p, geo::Plane::at(p))));
    }

    /// [`evaluate`](Self::evaluate) with own ship's plane set up (once a
    /// tick for every target).
    fn evaluate_in(&mut self, mmsi: u32, now_ms: i64, own: Option<((f64, f64), geo::Plane)>) {
        let v_own = self.own.velocity();
        let own_sog = self.own.sog_kn.map(|s| s.value.value);
        let cfg = self.config.alarms.clone();
        let Some(t) = self.targets.get_mut(&mmsi) else {
            return;
        };
        if t.lost_since_ms.is_some() {
            return;
        }
        // Sleeping and seen outside the activation zone before: activation
        // now means it entered the zone. (A target first heard inside it
        // is announced by `TargetNew`; a console starting among traffic
        // would otherwise open with a caution for every ship near.)
        let was_outside = t.activation == Activation::Sleeping && t.bearing_range.is_some();
        // Distress devices and nav status 14 always alert: once for each
        // time the distress begins. A ship that leaves status 14 has its
        // alarm rectified and is forgotten here, so that setting status 14
        // again raises the alarm again; a removed target likewise. An alarm
        // still in the list is raised again in place, never duplicated.
        let distress = t.is_distress_alert();
        if !distress && !self.distress_seen.is_empty() && self.distress_seen.remove(&mmsi) {
            self.alarms.rectify(&AlarmId::Distress(mmsi), now_ms);
        }
        if distress && self.distress_seen.insert(mmsi) {
            self.events.push(Event::Sart {
                at_ms: now_ms,
                mmsi,
            });
            let what = match t.kind {
                target::TargetKind::Mob => "MOB",
                target::TargetKind::Epirb => "EPIRB-AIS",
                _ => "AIS-SART",
            };
            self.alarms.raise(
                AlarmId::Distress(mmsi),
                now_ms,
                format!("{what} {mmsi} active"),
                None,
            );
        }
        if t.is_test_transmission() && self.test_seen.insert(mmsi) {
            self.events.push(Event::SartTest {
                at_ms: now_ms,
                mmsi,
            });
        }
        let Some((own, own_plane)) = own else {
            // No own position: CPA is not available; the state stays as it
            // was last computed and the own-position alarm says why. The
            // alarm list must not go on showing the last numbers as if they
            // were current.
            t.cpa = None;
            t.bearing_range = None;
            self.alarms.forget_figures(&AlarmId::Dangerous(mmsi));
            return;
        };
        let Some(tpos) = t.position.map(|p| p.value) else {
            return;
        };
        // Bring the target to the same instant as own ship (the fast
        // ellipsoidal forms: this runs for every target every second; what
        // is shown is the geodesic, see `shown_bearing_range`).
        let dead_reckoned = t.position_at_fast(now_ms);
        let at_now = dead_reckoned.unwrap_or(tpos);
        let br = geo::bearing_range_fast(own, at_now);
        t.bearing_range = Some(br);
        t.range_activation(cfg.activation_range_nm > 0.0 && br.1 <= cfg.activation_range_nm);
        t.cpa = match (t.velocity(), v_own) {
            (Some(v), Some(vo)) if dead_reckoned.is_some() => {
                Some(geo::cpa_in(&own_plane, vo, at_now, v))
            }
            _ => None,
        };
        // The harbour rule (docs/alerts.md): own ship and the target both
        // slower than `still_sog_kn` are a still pair; their CPA and TCPA
        // are made of speed noise, so they raise no alarm unless the
        // reported positions show the pair closing. A distress device is
        // never held (it alarms by itself anyway).
        let target_sog = t.sog_kn.map(|s| s.value);
        let still_pair = cfg.still_sog_kn > 0.0
            && !t.kind.is_distress()
            && own_sog.is_some_and(|s| s < cfg.still_sog_kn)
            && target_sog.is_some_and(|s| s < cfg.still_sog_kn);
        if still_pair {
            let range = geo::bearing_range_fast(own, tpos).1;
            match t.still.as_mut() {
                Some(s) => s.sample(now_ms, range, cfg.still_closing_m / 1852.0),
                None => t.still = Some(target::Still::new(now_ms, range)),
            }
        } else {
            t.still = None;
        }
        let still_quiet = t.still.is_some_and(|s| !s.closing);
        if let Some(s) = t.still.as_mut() {
            s.holding = still_quiet
                && t.cpa.is_some_and(|c| {
                    c.cpa_nm < cfg.cpa_limit_nm
                        && c.tcpa_min > 0.0
                        && c.tcpa_min < cfg.tcpa_limit_min
                });
        }
        let eligible = t.activation == Activation::Activated || cfg.sleeping_targets;
        let suppressed = (cfg.suppress_moored && t.is_moored(cfg.moored_max_sog_kn))
            || own_sog.is_some_and(|s| s < cfg.own_alongside_max_sog_kn)
            || still_quiet;
        // A.1106 §30: dangerous when CPA and TCPA are inside the limits.
        // Once dangerous, it stays so while inside the limits plus the
        // hysteresis bands, and is rectified only after it has stayed
        // outside them for the dwell time (docs/alerts.md).
        let judged = eligible && !suppressed;
        let band = cfg.cpa_band_nm(br.1);
        let (inside, in_band) = match t.cpa {
            Some(c) if judged => (
                c.cpa_nm < cfg.cpa_limit_nm && c.tcpa_min > 0.0 && c.tcpa_min < cfg.tcpa_limit_min,
                c.cpa_nm <= cfg.cpa_limit_nm + band
                    && c.tcpa_min > 0.0
                    && c.tcpa_min <= cfg.tcpa_limit_min + cfg.tcpa_band_min(),
            ),
            // Not computable now: keep a dangerous target dangerous until it
            // can be computed again (never clear an alarm on missing data).
            None if judged => (false, true),
            _ => (false, false),
        };
        let dwelling = if t.dangerous && judged && !in_band {
            // A data clock that went back restarts the dwell.
            let since = t
                .outside_since_ms
                .filter(|&s| s <= now_ms)
                .unwrap_or(now_ms);
            t.outside_since_ms = Some(since);
            ((now_ms - since) as f64) < cfg.rectify_dwell_s * 1000.0
        } else {
            t.outside_since_ms = None;
            false
        };
        let dangerous_now = inside || (t.dangerous && (in_band || dwelling));
        if dangerous_now && !t.dangerous {
            t.dangerous = true;
            let c = t.cpa.unwrap_or(geo::Cpa {
                cpa_nm: f64::NAN,
                tcpa_min: f64::NAN,
            });
            self.events.push(Event::Dangerous {
                at_ms: now_ms,
                mmsi,
                cpa_nm: c.cpa_nm,
                tcpa_min: c.tcpa_min,
                bearing_range: Some(geo::bearing_range(own, at_now)),
            });
        } else if !dangerous_now && t.dangerous {
            clear_dangerous(t, &mut self.events, &mut self.alarms, now_ms);
        }
        // The recent CPAs under the limit: an acknowledgement or snooze is
        // judged against the lowest of them, not the one of the moment
        // (own or target yaw swings the CPA; docs/alerts.md).
        if judged
            && let Some(c) = t.cpa
            && c.cpa_nm < cfg.cpa_limit_nm
            && c.tcpa_min > 0.0
        {
            self.alarms.note_cpa(mmsi, now_ms, (c.cpa_nm, c.tcpa_min));
        }
        if t.dangerous && cfg.dangerous {
            let who = label(mmsi, t.name());
            let c = t.cpa.map(|c| (c.cpa_nm, c.tcpa_min));
            let text = match c {
                Some((cpa, tcpa)) => {
                    format!("Dangerous target {who}: CPA {cpa:.2} NM in {tcpa:.1} min")
                }
                None => format!("Dangerous target {who}"),
            };
            let worse = Materiality {
                limit_nm: cfg.cpa_limit_nm,
                band_nm: band,
            };
            self.alarms
                .raise_dangerous(AlarmId::Dangerous(mmsi), now_ms, text, c, worse);
        }
        // A target entering the activation zone is activated with a
        // caution, not silently (A.1106 §30, MSC.302(87)); one already
        // alarmed (dangerous, distress) needs no caution besides.
        if was_outside && t.activation == Activation::Activated && !t.dangerous && !distress {
            let who = label(mmsi, t.name());
            self.events.push(Event::Activated {
                at_ms: now_ms,
                mmsi,
                bearing_range: Some(geo::bearing_range(own, at_now)),
            });
            self.alarms.raise(
                AlarmId::Activated(mmsi),
                now_ms,
                format!(
                    "Target {who} activated: within {:.1} NM",
                    cfg.activation_range_nm
                ),
                None,
            );
        }
    }

    /// Bearing (degrees true) and range (NM) of a target as the officer
    /// reads them: along the WGS-84 geodesic from own ship to the target,
    /// both dead-reckoned to `now_ms` on the geodesic. `None` while either
    /// position is unknown (own fix lost included).
    pub fn shown_bearing_range(&self, t: &Target, now_ms: i64) -> Option<(f64, f64)> {
        t.bearing_range?;
        let own = (!self.own.position_lost(now_ms, self.timeout_ms()))
            .then(|| self.own.position_at(now_ms))
            .flatten()?;
        let p = t.position_at(now_ms).or(t.position.map(|p| p.value))?;
        Some(geo::bearing_range(own, p))
    }

    /// Activate a target (A.1106: show vector, heading, ROT), or put it to
    /// sleep: a sleep by the officer holds inside the activation range.
    pub fn activate(&mut self, mmsi: u32, on: bool) {
        if let Some(t) = self.targets.get_mut(&mmsi) {
            t.slept_by_officer = !on;
            t.activation = if on {
                Activation::Activated
            } else {
                Activation::Sleeping
            };
        }
    }

    /// The officer acknowledges alarm `id`; acknowledging a lost target's
    /// alarm clears its mark from the plot (its record stays, marked lost,
    /// until removal). Returns whether the alarm was unacknowledged.
    pub fn acknowledge(&mut self, id: &AlarmId, now_ms: i64) -> bool {
        let done = self.alarms.acknowledge(id, now_ms);
        if let AlarmId::Lost(m) = id
            && let Some(t) = self.targets.get_mut(m)
            && t.lost_since_ms.is_some()
        {
            t.lost_acked = true;
        }
        done
    }

    /// Select one target (or none).
    pub fn select(&mut self, mmsi: Option<u32>) {
        self.selected = mmsi.filter(|m| self.targets.contains_key(m));
    }

    /// A replay reached its end: the picture is frozen at `now_ms`. A
    /// dangerous target already past its CPA (TCPA run out), whose alarm
    /// would clear after the dwell time that will now never pass, is
    /// rectified at once; its alarm stays until acknowledged.
    pub fn replay_ended(&mut self, now_ms: i64) {
        let mut past: Vec<u32> = self
            .targets
            .values()
            .filter(|t| t.dangerous && t.cpa.is_some_and(|c| c.tcpa_min <= 0.0))
            .map(|t| t.mmsi)
            .collect();
        past.sort_unstable();
        for mmsi in past {
            if let Some(t) = self.targets.get_mut(&mmsi) {
                clear_dangerous(t, &mut self.events, &mut self.alarms, now_ms);
            }
        }
    }

    /// Targets the harbour rule holds from alarming now (their CPA/TCPA
    /// are inside the limits, made of speed noise): shown on screen.
    pub fn still_holding(&self) -> usize {
        self.targets
            .values()
            .filter(|t| t.still.is_some_and(|s| s.holding))
            .count()
    }

    /// Alarm classes switched off in the configuration, for the permanent
    /// indication on screen.
    pub fn disabled_alarm_classes(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if !self.config.alarms.dangerous {
            v.push("dangerous");
        }
        if !self.config.alarms.lost {
            v.push("lost");
        }
        if !self.config.alarms.sleeping_targets {
            v.push("cpa_for_sleeping");
        }
        if self.config.alarms.suppress_moored {
            v.push("cpa_from_moored");
        }
        if self.config.alarms.own_alongside_max_sog_kn > 0.0 {
            v.push("cpa_when_alongside");
        }
        if self.config.alarms.still_widened() {
            v.push("cpa_between_still");
        }
        v
    }
}
