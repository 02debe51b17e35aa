//! One AIS target: what kind of station it is, every field received with the
//! time it was received, its A.1106 display state and its CPA.
//!
//! "Not available" stays `None`: a field never received, or received as
//! 91°/181°, 102.3 kn, 3600, 511, is missing, never a made-up zero. A
//! position that would need an impossible speed to reach from the last one
//! is not plotted (counted in `rejected_positions`) until it is confirmed.

use super::config::LostConfig;
use super::geo::{self, Cpa};
use crate::ais::application::{BroadcastApp, InlandStatic};
use crate::ais::messages::{AisMessage, Body, Dimensions, StaticDataReport};

/// A value with the data time (ms since the epoch) it was received.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stamped<T> {
    pub value: T,
    pub at_ms: i64,
}

/// What kind of station a target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    ClassA,
    /// Class B; `cs` = carrier-sense unit (else SOTDMA).
    ClassB {
        cs: bool,
    },
    SarAircraft,
    BaseStation,
    AidToNavigation {
        virtual_aid: bool,
        off_position: bool,
    },
    /// AIS-SART (970xxxxxx).
    Sart,
    /// Man overboard device (972xxxxxx).
    Mob,
    /// EPIRB-AIS (974xxxxxx).
    Epirb,
    /// Seen only in static or binary messages so far.
    Unknown,
}

impl TargetKind {
    /// Kind implied by the MMSI alone (M.585): survival craft devices.
    pub fn from_mmsi(mmsi: u32) -> Option<TargetKind> {
        match mmsi / 1_000_000 {
            970 => Some(TargetKind::Sart),
            972 => Some(TargetKind::Mob),
            974 => Some(TargetKind::Epirb),
            _ => None,
        }
    }

    /// AIS-SART, MOB or EPIRB: always alerts.
    pub fn is_distress(&self) -> bool {
        matches!(self, TargetKind::Sart | TargetKind::Mob | TargetKind::Epirb)
    }

    /// Short label for displays and events.
    pub fn label(&self) -> &'static str {
        match self {
            TargetKind::ClassA => "A",
            TargetKind::ClassB { .. } => "B",
            TargetKind::SarAircraft => "SAR",
            TargetKind::BaseStation => "BASE",
            TargetKind::AidToNavigation { .. } => "AtoN",
            TargetKind::Sart => "SART",
            TargetKind::Mob => "MOB",
            TargetKind::Epirb => "EPIRB",
            TargetKind::Unknown => "?",
        }
    }
}

/// A.1106 §30 presentation state chosen by the user or by range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    Sleeping,
    Activated,
}

/// Static and voyage data, each field stamped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StaticData {
    pub name: Option<Stamped<String>>,
    pub callsign: Option<Stamped<String>>,
    pub imo: Option<Stamped<u32>>,
    pub ship_type: Option<Stamped<u8>>,
    pub dimensions: Option<Stamped<Dimensions>>,
    pub destination: Option<Stamped<String>>,
    /// (month, day, hour, minute) as sent.
    pub eta: Option<Stamped<(u8, u8, u8, u8)>>,
    /// Draught in metres.
    pub draught_m: Option<Stamped<f64>>,
    pub inland: Option<Stamped<InlandStatic>>,
}

/// One target.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub mmsi: u32,
    pub kind: TargetKind,
    /// Last plotted position (lat, lon).
    pub position: Option<Stamped<(f64, f64)>>,
    pub position_accuracy: Option<bool>,
    /// Type of aid to navigation (message 21, M.1371-5 table 71).
    pub aid_type: Option<u8>,
    /// An AtoN's off-position flag as last validly sent (time stamp ≤ 59,
    /// M.1371-5 table 72 note 1); `None` while none was valid.
    pub off_position: Option<Stamped<bool>>,
    pub sog_kn: Option<Stamped<f64>>,
    pub cog_deg: Option<Stamped<f64>>,
    pub heading_deg: Option<Stamped<u16>>,
    /// Rate of turn indicator as sent (−127…127), when available.
    pub rot: Option<Stamped<i8>>,
    pub nav_status: Option<Stamped<u8>>,
    pub statics: StaticData,
    /// Data time of the last message of any kind.
    pub last_seen_ms: i64,
    /// Data time of the last position report (for the lost rule).
    pub last_report_ms: Option<i64>,
    pub activation: Activation,
    /// The officer put this target to sleep: the activation range leaves
    /// it asleep until the officer activates it or it becomes dangerous.
    pub slept_by_officer: bool,
    /// Lost since this data time.
    pub lost_since_ms: Option<i64>,
    /// CPA/TCPA at the last recompute, `None` when not computable.
    pub cpa: Option<Cpa>,
    /// Bearing (°) and range (NM) from own ship at the last recompute.
    pub bearing_range: Option<(f64, f64)>,
    /// Dangerous at the last recompute (with hysteresis and dwell).
    pub dangerous: bool,
    /// Dangerous, but outside the hysteresis band since this data time:
    /// rectified once it has stayed outside for the dwell time.
    pub outside_since_ms: Option<i64>,
    /// Lost while dangerous: `cpa` keeps the figures of the last recompute
    /// before it went silent, and its loss is an alarm.
    pub lost_dangerous: bool,
    /// The officer acknowledged its loss: the lost mark leaves the plot
    /// ("the mark clears … on acknowledge"); the record stays in the list,
    /// marked lost, until it is removed.
    pub lost_acked: bool,
    /// Positions not plotted because they implied an impossible jump.
    pub rejected_positions: u32,
    /// A rejected position waiting for confirmation.
    pending_jump: Option<(f64, f64)>,
    /// Number of messages received.
    pub messages: u64,
    /// A distress device (97x MMSI) said it is in test mode: nav status 15,
    /// or "SART TEST" / "MOB TEST" / "EPIRB TEST" in message 14.
    device_test_seen: bool,
    /// A distress device said it is active: nav status 14, or "SART ACTIVE"
    /// / "MOB ACTIVE" / "EPIRB ACTIVE" in message 14. Once seen it holds for
    /// as long as the target is tracked (the safe side).
    device_active_seen: bool,
    /// Data time it was last heard by radio (own AIS receiver).
    pub via_radio_ms: Option<i64>,
    /// Data time it was last heard through an AI-IP server.
    pub via_aiip_ms: Option<i64>,
    /// The harbour rule's view of this target while it and own ship are
    /// both still (docs/alerts.md); `None` otherwise.
    pub still: Option<Still>,
}

/// A still pair (own ship and a target both slower than the harbour
/// rule's speed): the range between the positions as reported (no dead
/// reckoning, which would sail a moored ship on its speed noise), smoothed
/// over a short and a long time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Still {
    /// Data time of the last sample.
    pub at_ms: i64,
    /// Range smoothed over [`STILL_SHORT_S`], NM.
    pub short_nm: f64,
    /// Range smoothed over [`STILL_LONG_S`], NM.
    pub long_nm: f64,
    /// The positions show the pair closing: CPA/TCPA judge it again.
    pub closing: bool,
    /// CPA/TCPA are inside the limits, and the rule keeps them from
    /// alarming (shown on screen).
    pub holding: bool,
}

/// Time constant of the short range average (s): GNSS noise of a few
/// fixes.
pub const STILL_SHORT_S: f64 = 30.0;
/// Time constant of the long range average (s): what the range has been.
pub const STILL_LONG_S: f64 = 300.0;

impl Still {
    /// A first sample.
    pub fn new(at_ms: i64, range_nm: f64) -> Still {
        Still {
            at_ms,
            short_nm: range_nm,
            long_nm: range_nm,
            closing: false,
            holding: false,
        }
    }

    /// Take a range sample at `at_ms`; `closing_nm`: how far the short
    /// average must come below the long one for the pair to be closing.
    /// Once closing, it stays so until the long average has caught up
    /// (within a third of `closing_nm`): a drag that stopped.
    pub fn sample(&mut self, at_ms: i64, range_nm: f64, closing_nm: f64) {
        if !range_nm.is_finite() {
            return;
        }
        let dt = ((at_ms - self.at_ms) as f64 / 1000.0).max(0.0);
        if at_ms < self.at_ms {
            // A data clock that went back starts over.
            *self = Still::new(at_ms, range_nm);
            return;
        }
        let k = |tau: f64| 1.0 - (-dt / tau).exp();
        self.short_nm += (range_nm - self.short_nm) * k(STILL_SHORT_S);
        self.long_nm += (range_nm - self.long_nm) * k(STILL_LONG_S);
        self.at_ms = at_ms;
        let closed = self.long_nm - self.short_nm;
        if closed > closing_nm {
            self.closing = true;
        } else if closed < closing_nm / 3.0 {
            self.closing = false;
        }
    }
}

/// How a target reaches us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// Own AIS receiver (the transponder, a receiver on a link).
    Radio,
    /// An AI-IP server.
    Aiip,
}

/// Where a target's data comes from, as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    Radio,
    Aiip,
    Both,
}

/// A source silent for this long no longer counts in [`Target::heard`]:
/// twice the slowest class A reporting interval (3 min).
pub const HEARD_RECENT_MS: i64 = 6 * 60 * 1000;

/// What a message-14 text from a distress device says about its mode
/// (IEC 61097-14, SN.1/Circ.322): `Some(true)` test, `Some(false)` active.
fn device_text_mode(text: &str) -> Option<bool> {
    let t = text.trim().to_ascii_uppercase();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    ["SART", "MOB", "EPIRB"].iter().find_map(|d| {
        if t.starts_with(&format!("{d} TEST")) {
            Some(true)
        } else if t.starts_with(&format!("{d} ACTIVE")) {
            Some(false)
        } else {
            None
        }
    })
}

/// Fastest plausible speed for a jump check, knots.
fn max_plausible_kn(kind: TargetKind) -> f64 {
    match kind {
        TargetKind::SarAircraft => 1_000.0,
        _ => 120.0,
    }
}

impl Target {
    /// A new target first heard at `now_ms`.
    pub fn new(mmsi: u32, now_ms: i64) -> Self {
        Target {
            mmsi,
            kind: TargetKind::from_mmsi(mmsi).unwrap_or(TargetKind::Unknown),
            position: None,
            position_accuracy: None,
            aid_type: None,
            off_position: None,
            sog_kn: None,
            cog_deg: None,
            heading_deg: None,
            rot: None,
            nav_status: None,
            statics: StaticData::default(),
            last_seen_ms: now_ms,
            last_report_ms: None,
            activation: Activation::Sleeping,
            slept_by_officer: false,
            lost_since_ms: None,
            cpa: None,
            bearing_range: None,
            dangerous: false,
            outside_since_ms: None,
            lost_dangerous: false,
            lost_acked: false,
            rejected_positions: 0,
            pending_jump: None,
            messages: 0,
            device_test_seen: false,
            device_active_seen: false,
            via_radio_ms: None,
            via_aiip_ms: None,
            still: None,
        }
    }

    /// Where its data comes from: radio, AI-IP, or both within
    /// [`HEARD_RECENT_MS`] of the latest.
    pub fn heard(&self) -> Heard {
        match (self.via_radio_ms, self.via_aiip_ms) {
            (Some(r), Some(a)) if (r - a).abs() <= HEARD_RECENT_MS => Heard::Both,
            (Some(r), Some(a)) if a > r => Heard::Aiip,
            (None, Some(_)) => Heard::Aiip,
            _ => Heard::Radio,
        }
    }

    /// Activation by range (`in_range`: inside the activation range). A
    /// target the officer put to sleep stays asleep, until it is dangerous.
    /// A dangerous target is activated wherever it is: the officer judges
    /// the threat by its vector.
    pub fn range_activation(&mut self, in_range: bool) {
        if self.dangerous {
            self.slept_by_officer = false;
            self.activation = Activation::Activated;
        }
        if in_range && !self.slept_by_officer {
            self.activation = Activation::Activated;
        }
    }

    /// CPA and TCPA as shown at `now_ms`: the last recompute; for a target
    /// lost while dangerous, its last CPA with the TCPA counted down since
    /// it was lost (`None` for other lost targets).
    pub fn shown_cpa(&self, now_ms: i64) -> Option<Cpa> {
        let c = self.cpa?;
        match self.lost_since_ms {
            Some(since) if self.lost_dangerous => Some(Cpa {
                cpa_nm: c.cpa_nm,
                tcpa_min: c.tcpa_min - (now_ms - since).max(0) as f64 / 60_000.0,
            }),
            Some(_) => None,
            None => Some(c),
        }
    }

    /// The name as shown: received text without control characters, or
    /// the MMSI when no name was received (A.1106 §29).
    pub fn name_or_mmsi(&self) -> String {
        self.name().map_or_else(
            || format!("{:09}", self.mmsi),
            |n| n.chars().filter(|c| !c.is_control()).collect(),
        )
    }

    /// The name, or `None` if never received.
    pub fn name(&self) -> Option<&str> {
        self.statics
            .name
            .as_ref()
            .map(|s| s.value.as_str())
            .filter(|s| !s.is_empty())
    }

    fn set_kind(&mut self, k: TargetKind) {
        // Distress devices keep their kind whatever message type they send.
        if !self.kind.is_distress() {
            self.kind = k;
        }
    }

    fn set_position(&mut self, pos: Option<(f64, f64)>, now_ms: i64) {
        let Some(p) = pos else {
            return;
        };
        // 0°N 0°E is almost always a receiver with no fix.
        if p.0 == 0.0 && p.1 == 0.0 {
            self.rejected_positions += 1;
            return;
        }
        if let Some(last) = self.position {
            let dt_h = ((now_ms - last.at_ms) as f64 / 3.6e6).max(1.0 / 3600.0);
            let (_, dist) = geo::bearing_range_fast(last.value, p);
            let allowed = 1.0 + max_plausible_kn(self.kind) * dt_h;
            if dist > allowed {
                // Accept only when a second report confirms the new place.
                let confirmed = self
                    .pending_jump
                    .is_some_and(|q| geo::bearing_range_fast(q, p).1 <= allowed);
                if !confirmed {
                    self.pending_jump = Some(p);
                    self.rejected_positions += 1;
                    return;
                }
            }
        }
        self.pending_jump = None;
        self.position = Some(Stamped {
            value: p,
            at_ms: now_ms,
        });
    }

    fn set_motion(
        &mut self,
        sog: Option<f64>,
        cog: Option<f64>,
        heading: Option<u16>,
        now_ms: i64,
    ) {
        let st = |v| Stamped {
            value: v,
            at_ms: now_ms,
        };
        // A report without SOG/COG means "not available now": clear the old
        // value rather than keep extrapolating with it.
        self.sog_kn = sog.map(st);
        self.cog_deg = cog.map(st);
        self.heading_deg = heading.map(|h| Stamped {
            value: h,
            at_ms: now_ms,
        });
    }

    fn report(&mut self, now_ms: i64) {
        self.last_report_ms = Some(now_ms);
        self.lost_since_ms = None;
        self.lost_dangerous = false;
        self.lost_acked = false;
    }

    /// Merge one message received at `now_ms`.
    pub fn apply(&mut self, m: &AisMessage, now_ms: i64) {
        self.messages += 1;
        self.last_seen_ms = now_ms;
        let st = |v| Stamped {
            value: v,
            at_ms: now_ms,
        };
        let text = |s: &str| {
            (!s.is_empty()).then(|| Stamped {
                value: s.to_string(),
                at_ms: now_ms,
            })
        };
        match &m.body {
            Body::Position(r) => {
                self.set_kind(TargetKind::ClassA);
                self.set_position(r.position(), now_ms);
                self.position_accuracy = Some(r.accuracy);
                self.set_motion(r.sog_kn(), r.cog_deg(), r.heading_deg(), now_ms);
                self.rot = (r.turn != -128).then_some(Stamped {
                    value: r.turn,
                    at_ms: now_ms,
                });
                self.nav_status = Some(st(r.status));
                self.device_status(r.status);
                self.report(now_ms);
            }
            Body::ClassB(r) => {
                self.set_kind(TargetKind::ClassB { cs: r.cs });
                self.set_position(r.position(), now_ms);
                self.position_accuracy = Some(r.accuracy);
                self.set_motion(
                    (r.speed < 1023).then(|| f64::from(r.speed) / 10.0),
                    (r.course < 3600).then(|| f64::from(r.course) / 10.0),
                    (r.heading < 360).then_some(r.heading),
                    now_ms,
                );
                self.report(now_ms);
            }
            Body::ClassBExtended(r) => {
                let cs = matches!(self.kind, TargetKind::ClassB { cs: true });
                self.set_kind(TargetKind::ClassB { cs });
                self.set_position(r.position(), now_ms);
                self.set_motion(
                    (r.speed < 1023).then(|| f64::from(r.speed) / 10.0),
                    (r.course < 3600).then(|| f64::from(r.course) / 10.0),
                    (r.heading < 360).then_some(r.heading),
                    now_ms,
                );
                if let Some(n) = text(r.shipname.as_str()) {
                    self.statics.name = Some(n);
                }
                self.statics.ship_type = Some(st(r.shiptype));
                self.statics.dimensions = Some(Stamped {
                    value: r.dim,
                    at_ms: now_ms,
                });
                self.report(now_ms);
            }
            Body::SarAircraft(r) => {
                self.set_kind(TargetKind::SarAircraft);
                self.set_position(r.position(), now_ms);
                self.set_motion(
                    (r.speed < 1023).then(|| f64::from(r.speed)),
                    (r.course < 3600).then(|| f64::from(r.course) / 10.0),
                    None,
                    now_ms,
                );
                self.report(now_ms);
            }
            Body::BaseStation(r) if m.msg_type == 4 => {
                self.set_kind(TargetKind::BaseStation);
                self.set_position(r.position(), now_ms);
                self.position_accuracy = Some(r.accuracy);
                self.report(now_ms);
            }
            Body::AidToNavigation(a) => {
                // The off-position flag counts only with a time stamp of
                // 0–59 (M.1371-5 table 72, note 1); with 60–63 the last
                // valid one stands.
                if a.second <= 59 {
                    self.off_position = Some(Stamped {
                        value: a.off_position,
                        at_ms: now_ms,
                    });
                }
                self.set_kind(TargetKind::AidToNavigation {
                    virtual_aid: a.virtual_aid,
                    off_position: self.off_position.is_some_and(|o| o.value),
                });
                self.aid_type = Some(a.aid_type);
                self.set_position(a.position(), now_ms);
                self.position_accuracy = Some(a.accuracy);
                if let Some(n) = text(a.name.as_str()) {
                    self.statics.name = Some(n);
                }
                // All zero: dimensions not given (M.1371-5 figure 17).
                let d = a.dim;
                if d.to_bow + d.to_stern > 0 || d.to_port > 0 || d.to_starboard > 0 {
                    self.statics.dimensions = Some(Stamped {
                        value: d,
                        at_ms: now_ms,
                    });
                }
                self.report(now_ms);
            }
            Body::LongRange(r) => {
                if matches!(self.kind, TargetKind::Unknown) {
                    self.set_kind(TargetKind::ClassA);
                }
                self.set_position(r.position(), now_ms);
                self.set_motion(
                    (r.speed < 63).then(|| f64::from(r.speed)),
                    (r.course < 360).then(|| f64::from(r.course)),
                    None,
                    now_ms,
                );
                self.nav_status = Some(st(r.status));
                self.report(now_ms);
            }
            Body::StaticVoyage(s) => {
                if matches!(self.kind, TargetKind::Unknown) {
                    self.set_kind(TargetKind::ClassA);
                }
                if let Some(n) = text(s.shipname.as_str()) {
                    self.statics.name = Some(n);
                }
                if let Some(c) = text(s.callsign.as_str()) {
                    self.statics.callsign = Some(c);
                }
                if s.imo != 0 {
                    self.statics.imo = Some(Stamped {
                        value: s.imo,
                        at_ms: now_ms,
                    });
                }
                self.statics.ship_type = Some(st(s.shiptype));
                self.statics.dimensions = Some(Stamped {
                    value: s.dim,
                    at_ms: now_ms,
                });
                self.statics.destination = text(s.destination.as_str());
                self.statics.eta = Some(Stamped {
                    value: (s.month, s.day, s.hour, s.minute),
                    at_ms: now_ms,
                });
                self.statics.draught_m = (s.draught > 0).then(|| Stamped {
                    value: f64::from(s.draught) / 10.0,
                    at_ms: now_ms,
                });
            }
            Body::StaticData(s) => match s.as_ref() {
                StaticDataReport::PartA { shipname } => {
                    if let Some(n) = text(shipname.as_str()) {
                        self.statics.name = Some(n);
                    }
                }
                StaticDataReport::PartB {
                    shiptype,
                    callsign,
                    dim,
                    mothership_mmsi,
                    ..
                } => {
                    self.statics.ship_type = Some(st(*shiptype));
                    if let Some(c) = text(callsign.as_str()) {
                        self.statics.callsign = Some(c);
                    }
                    if mothership_mmsi.is_none() {
                        self.statics.dimensions = Some(Stamped {
                            value: *dim,
                            at_ms: now_ms,
                        });
                    }
                }
            },
            Body::SafetyBroadcast { text } if self.kind.is_distress() => {
                match device_text_mode(text.as_str()) {
                    Some(true) => self.device_test_seen = true,
                    Some(false) => self.device_active_seen = true,
                    None => {}
                }
            }
            Body::BroadcastBinary(b) => {
                if let BroadcastApp::InlandStatic(i) = &b.app {
                    self.statics.inland = Some(Stamped {
                        value: *i,
                        at_ms: now_ms,
                    });
                }
            }
            _ => {}
        }
    }

    /// Seconds without a position report after which this target is lost
    /// (PRODUCT.md table; depends on class, speed and nav status).
    pub fn lost_after_s(&self, t: &LostConfig) -> f64 {
        let sog = self.sog_kn.map(|s| s.value).unwrap_or(0.0);
        match self.kind {
            TargetKind::ClassA | TargetKind::Unknown => {
                let moored = self.nav_status.is_some_and(|s| matches!(s.value, 1 | 5));
                if moored && sog <= 3.0 {
                    t.class_a_moored_s
                } else if sog <= 14.0 {
                    t.class_a_slow_s
                } else if sog <= 23.0 {
                    t.class_a_fast_s
                } else {
                    t.class_a_very_fast_s
                }
            }
            TargetKind::ClassB { cs: false } => {
                let i = if sog <= 2.0 {
                    0
                } else if sog <= 14.0 {
                    1
                } else if sog <= 23.0 {
                    2
                } else {
                    3
                };
                t.class_b_so_s[i]
            }
            TargetKind::ClassB { cs: true } => {
                if sog <= 2.0 {
                    t.class_b_cs_s[0]
                } else {
                    t.class_b_cs_s[1]
                }
            }
            TargetKind::SarAircraft | TargetKind::BaseStation => t.sar_base_s,
            TargetKind::AidToNavigation { .. }
            | TargetKind::Sart
            | TargetKind::Mob
            | TargetKind::Epirb => t.aton_sart_s,
        }
    }

    /// Position dead-reckoned to `now_ms` with COG/SOG, when both are known
    /// (or SOG is zero). Never uses heading in place of COG.
    pub fn position_at(&self, now_ms: i64) -> Option<(f64, f64)> {
        self.reckon(now_ms, false)
    }

    /// [`position_at`](Self::position_at) by constant-course sailing on the
    /// ellipsoid ([`geo::sail`]), for the once-a-second recompute of every
    /// target; within metres of the geodesic over minutes.
    pub fn position_at_fast(&self, now_ms: i64) -> Option<(f64, f64)> {
        self.reckon(now_ms, true)
    }

    fn reckon(&self, now_ms: i64, fast: bool) -> Option<(f64, f64)> {
        let p = self.position?;
        // A lost target is marked at its latest position (A.1106 §30), not
        // sailed on: nobody knows where it went.
        if self.lost_since_ms.is_some() {
            return Some(p.value);
        }
        let dt = (now_ms - p.at_ms) as f64 / 1000.0;
        match (self.sog_kn, self.cog_deg) {
            (Some(s), _) if s.value == 0.0 => Some(p.value),
            (Some(s), Some(c)) if fast => Some(geo::sail_short(
                p.value,
                geo::velocity(c.value, s.value),
                dt / 3600.0,
            )),
            (Some(s), Some(c)) => Some(geo::extrapolate(p.value, c.value, s.value, dt)),
            _ => None,
        }
    }

    /// Velocity for CPA: `None` when SOG is missing, or COG is missing while
    /// moving.
    pub fn velocity(&self) -> Option<geo::Enu> {
        match (self.sog_kn, self.cog_deg) {
            (Some(s), _) if s.value == 0.0 => Some(geo::Enu {
                east: 0.0,
                north: 0.0,
            }),
            (Some(s), Some(c)) => Some(geo::velocity(c.value, s.value)),
            _ => None,
        }
    }

    /// Moored, at anchor or aground and (nearly) stopped.
    pub fn is_moored(&self, max_sog_kn: f64) -> bool {
        self.nav_status
            .is_some_and(|s| matches!(s.value, 1 | 5 | 6))
            && self.sog_kn.map(|s| s.value).unwrap_or(0.0) <= max_sog_kn
    }

    /// Nav status 14 (AIS-SART active) was reported.
    pub fn sart_status(&self) -> bool {
        self.nav_status.is_some_and(|s| s.value == 14)
    }

    fn device_status(&mut self, status: u8) {
        if self.kind.is_distress() {
            match status {
                14 => self.device_active_seen = true,
                15 => self.device_test_seen = true,
                _ => {}
            }
        }
    }

    /// An AIS-SART, MOB or EPIRB-AIS transmitting in test mode (nav status
    /// 15 from a 97x MMSI, or its "… TEST" text) and never yet active:
    /// shown as a test, no distress alarm (SN.1/Circ.322).
    pub fn is_test_transmission(&self) -> bool {
        self.kind.is_distress() && self.device_test_seen && !self.device_active_seen
    }

    /// A distress alert: an AIS-SART, MOB or EPIRB-AIS not in test mode, or
    /// any station reporting nav status 14. Always alarms.
    pub fn is_distress_alert(&self) -> bool {
        (self.kind.is_distress() && !self.is_test_transmission()) || self.sart_status()
    }
}
