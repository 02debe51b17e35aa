//! Alarms with the states of a bridge alert (IMO MSC.302(87) bridge alert
//! management): active-unacknowledged, active-silenced, active-acknowledged,
//! rectified-unacknowledged; an alert leaves the list when its condition is
//! gone and it has been acknowledged.
//!
//! Every alert has a priority (alarm, warning, caution); the list is
//! ranked unacknowledged first, then by priority, then by TCPA.
//!
//! Acknowledging a dangerous-target alarm holds for as long as the target
//! stays dangerous (the dangerous state itself has hysteresis and a dwell
//! before it is rectified, so CPA jitter around the limit does not
//! re-alarm), and for a while after: an acknowledged alarm that rectifies
//! and returns within the hold time comes back acknowledged, unless its CPA
//! got materially worse. Per-target snooze keeps a target's CPA alarm
//! snoozed (listed, silent) until a data time, unless its CPA or TCPA gets
//! materially worse ([`materially_worse`]); it can be cancelled.
//! `docs/alerts.md` gives the rule behind each behaviour.

use std::collections::{HashMap, VecDeque};

/// How far back the CPA history of a target reaches (data time) when the
/// officer acknowledges or snoozes its alarm: the reference for "materially
/// worse" is the lowest CPA seen in this window, so that a CPA swinging
/// with own or target yaw (periods of 10–60 s) is acknowledged as a whole,
/// not at the point of the swing where the key was pressed.
pub const CPA_WINDOW_MS: i64 = 90_000;

/// The CPA history is kept as the lowest values in steps of this length.
const CPA_STEP_MS: i64 = 5_000;

/// What an alarm is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AlarmId {
    /// AIS-SART, MOB, EPIRB or nav status 14.
    Distress(u32),
    /// CPA/TCPA below the limits.
    Dangerous(u32),
    /// No own position within the timeout.
    OwnPositionLost,
    /// An alarm relayed from the transponder (ALR), by its identifier.
    Transponder(String),
    /// An input link that stayed down, by its name.
    Link(String),
    /// A file the watch keeps (the alarm log, a recording) cannot be
    /// written, by what it is.
    Storage(String),
    /// A target no longer reporting.
    Lost(u32),
    /// A target activated by entering the activation range (a caution).
    Activated(u32),
    /// No RTA from this lock, bridge or terminal after an ETA report and its
    /// repeat (a caution).
    NoRta(u32),
    /// A safety message addressed to own ship, by its inbox number.
    Message(u64),
    /// Own MMSI heard from a station far from own ship, or own transponder
    /// reporting another MMSI than the setting (a warning).
    OwnMmsi(u32),
    /// An aid to navigation that says it is off position (a caution that
    /// stays while the flag is set).
    OffPosition(u32),
}

/// Alert priority (IMO MSC.302(87) bridge alert management; IEC 62923-1).
/// Ordered from the most urgent: `Alarm < Warning < Caution`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Priority {
    /// Immediate attention and action: dangerous target, distress, the
    /// loss of a dangerous target.
    Alarm,
    /// Not immediately hazardous, but may become so: lost target, own
    /// position lost, link, transponder or storage failure.
    Warning,
    /// Awareness only, no sound, no acknowledgement needed: a target
    /// activated by range.
    Caution,
}

impl Priority {
    /// Name for the log and the headless events.
    pub fn name(self) -> &'static str {
        match self {
            Priority::Alarm => "alarm",
            Priority::Warning => "warning",
            Priority::Caution => "caution",
        }
    }

    /// Word on screen.
    pub fn word(self) -> &'static str {
        match self {
            Priority::Alarm => "ALARM",
            Priority::Warning => "WARNING",
            Priority::Caution => "CAUTION",
        }
    }

    /// Symbol on screen, after the shapes of the IEC 62288 alert icons
    /// (triangle, circle, square): they differ without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Priority::Alarm => "▲",
            Priority::Warning => "●",
            Priority::Caution => "■",
        }
    }
}

impl AlarmId {
    /// The alarm class, as the config and the log name it.
    pub fn class(&self) -> &'static str {
        match self {
            AlarmId::Distress(_) => "distress",
            AlarmId::Dangerous(_) => "dangerous",
            AlarmId::OwnPositionLost => "own_position_lost",
            AlarmId::Transponder(_) => "transponder",
            AlarmId::Link(_) => "link",
            AlarmId::Storage(_) => "storage",
            AlarmId::Lost(_) => "lost",
            AlarmId::Activated(_) => "activated",
            AlarmId::NoRta(_) => "no_rta",
            AlarmId::Message(_) => "message",
            AlarmId::OwnMmsi(_) => "own_mmsi",
            AlarmId::OffPosition(_) => "aton_off_position",
        }
    }

    /// The priority an alert of this kind has unless raised otherwise (the
    /// loss of a dangerous target is raised as an alarm).
    pub fn priority(&self) -> Priority {
        match self {
            AlarmId::Distress(_) | AlarmId::Dangerous(_) => Priority::Alarm,
            AlarmId::OwnPositionLost
            | AlarmId::Transponder(_)
            | AlarmId::Link(_)
            | AlarmId::Storage(_)
            | AlarmId::Lost(_)
            | AlarmId::Message(_)
            | AlarmId::OwnMmsi(_) => Priority::Warning,
            AlarmId::Activated(_) | AlarmId::NoRta(_) | AlarmId::OffPosition(_) => {
                Priority::Caution
            }
        }
    }

    /// The target's MMSI, if the alarm is about one.
    pub fn mmsi(&self) -> Option<u32> {
        match self {
            AlarmId::Distress(m)
            | AlarmId::Dangerous(m)
            | AlarmId::Lost(m)
            | AlarmId::Activated(m)
            | AlarmId::OwnMmsi(m)
            | AlarmId::OffPosition(m) => Some(*m),
            _ => None,
        }
    }
}

/// Alert state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlarmState {
    ActiveUnacknowledged,
    /// Audible signal silenced until the data time; still unacknowledged.
    ActiveSilenced {
        until_ms: i64,
    },
    ActiveAcknowledged,
    /// The condition is gone but nobody acknowledged it yet.
    RectifiedUnacknowledged,
    /// A dangerous-target alarm the officer snoozed until the data time:
    /// listed, silent, back to active-unacknowledged when the time is up or
    /// the encounter gets materially worse.
    Snoozed {
        until_ms: i64,
    },
}

impl AlarmState {
    /// Name for the log and displays.
    pub fn name(&self) -> &'static str {
        match self {
            AlarmState::ActiveUnacknowledged => "active_unacknowledged",
            AlarmState::ActiveSilenced { .. } => "active_silenced",
            AlarmState::ActiveAcknowledged => "active_acknowledged",
            AlarmState::RectifiedUnacknowledged => "rectified_unacknowledged",
            AlarmState::Snoozed { .. } => "snoozed",
        }
    }

    /// Should sound (active or rectified, not acknowledged, not silenced).
    pub fn audible(&self) -> bool {
        matches!(self, AlarmState::ActiveUnacknowledged)
    }
}

/// One alarm in the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Alarm {
    pub id: AlarmId,
    pub priority: Priority,
    pub state: AlarmState,
    pub raised_ms: i64,
    pub text: String,
    /// For dangerous targets: the latest CPA (NM) and TCPA (min).
    pub cpa_nm: Option<f64>,
    pub tcpa_min: Option<f64>,
    /// The reference CPA (NM) of the officer's acknowledgement, for
    /// "materially worse": the lowest of the window and of that moment.
    pub acked_cpa_nm: Option<f64>,
}

impl Alarm {
    /// Sounding: active, unacknowledged, not silenced, and not a caution
    /// (cautions never sound, MSC.302(87)).
    pub fn sounding(&self) -> bool {
        self.state.audible() && self.priority != Priority::Caution
    }

    /// Waiting for the officer: not acknowledged (silenced and rectified
    /// ones included). Cautions never wait: they need no acknowledgement.
    pub fn unacknowledged(&self) -> bool {
        !matches!(
            self.state,
            AlarmState::ActiveAcknowledged | AlarmState::Snoozed { .. }
        ) && self.priority != Priority::Caution
    }
}

/// A state change, for the persistent alarm log.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmTransition {
    pub at_ms: i64,
    pub id: AlarmId,
    pub priority: Priority,
    /// New state, or `None` when the alarm left the list.
    pub state: Option<AlarmState>,
    pub text: String,
    /// Snooze transitions: who acted ("officer"), and why a snooze ended.
    pub by: Option<&'static str>,
    pub reason: Option<String>,
}

/// A per-target snooze: until when, and the CPA/TCPA it is judged against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snooze {
    pub at_ms: i64,
    pub until_ms: i64,
    /// CPA (NM) and TCPA (min) of reference when snoozed, if known: the
    /// lowest CPA and the soonest TCPA (brought to the snooze time) of the
    /// last [`CPA_WINDOW_MS`] and of the moment of snoozing.
    pub cpa: Option<(f64, f64)>,
    /// The state of the listed alarm when it was snoozed (`None`: not
    /// listed, or rectified): cancelling the snooze of an acknowledged
    /// alarm keeps the CPA it was acknowledged against.
    pub before: Option<AlarmState>,
}

/// The lowest CPA (NM) and the soonest time of CPA (ms, data time) seen
/// over one step of a target's CPA history.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Seen {
    from_ms: i64,
    cpa_nm: f64,
    cpa_at_ms: i64,
}

/// Whether an encounter got materially worse than when it was snoozed
/// (`then`: CPA NM, TCPA min; `elapsed_min` since): the CPA came down by
/// 0.2 NM or by a quarter of its snoozed value, whichever is less (at least
/// 0.05 NM, so jitter at a near-zero CPA does not count), or the TCPA is
/// 2 minutes or more sooner than the snoozed TCPA less the time elapsed.
/// Returns what got worse, for the log.
pub fn materially_worse(then: (f64, f64), elapsed_min: f64, now: (f64, f64)) -> Option<String> {
    let (cpa0, tcpa0) = then;
    let (cpa, tcpa) = now;
    let drop = (cpa0 / 4.0).clamp(0.05, 0.2);
    if cpa <= cpa0 - drop {
        return Some(format!("CPA {cpa:.2} NM, was {cpa0:.2} NM when snoozed"));
    }
    let expected = tcpa0 - elapsed_min;
    if tcpa <= expected - 2.0 {
        return Some(format!(
            "TCPA {tcpa:.1} min, {:.1} min sooner than when snoozed",
            expected - tcpa
        ));
    }
    None
}

impl AlarmTransition {
    /// Rings the bell: a new unacknowledged alarm or warning (cautions are
    /// silent, MSC.302(87)).
    pub fn rings(&self) -> bool {
        self.state == Some(AlarmState::ActiveUnacknowledged) && self.priority != Priority::Caution
    }
}

/// When a dangerous target's CPA is "materially worse" than what the
/// officer acknowledged: below the reference fixed at the acknowledgement
/// (the lowest CPA of the last [`CPA_WINDOW_MS`] and of that moment, taken
/// as the limit at most) by more than the hysteresis band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Materiality {
    pub limit_nm: f64,
    pub band_nm: f64,
}

impl Materiality {
    fn worse(&self, acked: Option<f64>, now: Option<f64>) -> bool {
        let reference = acked.unwrap_or(self.limit_nm).min(self.limit_nm);
        now.is_some_and(|c| c < reference - self.band_nm)
    }
}

/// An acknowledged dangerous-target alarm that left the list: when, and
/// the reference CPA of the acknowledgement.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Held {
    left_ms: i64,
    acked_cpa_nm: Option<f64>,
}

/// The alarm list.
#[derive(Debug, Clone, Default)]
pub struct Alarms {
    list: Vec<Alarm>,
    snoozed: HashMap<u32, Snooze>,
    transitions: Vec<AlarmTransition>,
    /// Acknowledged dangerous-target alarms that left the list.
    held: HashMap<AlarmId, Held>,
    /// Recent CPA history of targets whose CPA was under the limit, for
    /// the reference of an acknowledgement or snooze ([`CPA_WINDOW_MS`]).
    cpa_seen: HashMap<u32, VecDeque<Seen>>,
    /// How long an acknowledgement is held after the alarm rectified
    /// (0: not held).
    pub hold_ms: i64,
    /// How long a caution is shown unless acknowledged first.
    pub caution_ms: i64,
    /// A snooze ends when the target's TCPA falls to this (minutes; half
    /// the TCPA limit), and cannot begin below it (0: no bound).
    pub snooze_tcpa_floor_min: f64,
    /// The system clock (ms) as the front-end last said it: silences and
    /// snoozes last wall time, not data time, so that a replay at
    /// `--speed 10` silences for 30 real seconds. `None` (no front-end
    /// keeps it, as in tests of the engine alone): they run on data time.
    wall_ms: Option<i64>,
    /// The latest data time seen by [`tick`](Self::tick), for the log
    /// lines of timers that end on the wall clock.
    data_ms: i64,
}

impl Alarms {
    /// An empty list holding acknowledgements for `hold_ms` and showing
    /// cautions for `caution_ms`.
    pub fn new(hold_ms: i64, caution_ms: i64) -> Alarms {
        Alarms {
            hold_ms,
            caution_ms,
            ..Alarms::default()
        }
    }

    /// The clock silences and snoozes run on: the wall clock when the
    /// front-end keeps it ([`set_wall`](Self::set_wall)), else `data_ms`.
    pub fn timer_now(&self, data_ms: i64) -> i64 {
        self.wall_ms.unwrap_or(data_ms)
    }

    /// The system clock now (ms): silences and snoozes whose time is up
    /// end, logged at the latest data time.
    pub fn set_wall(&mut self, wall_ms: i64) {
        let second = self.wall_ms.map(|w| w.div_euclid(1000));
        self.wall_ms = Some(wall_ms);
        // The console says the time with every line received: the timers
        // are looked at once a wall second, not once a datagram.
        if second != Some(wall_ms.div_euclid(1000)) {
            let now = self.data_ms;
            self.end_timers(now);
        }
    }

    fn log(&mut self, at_ms: i64, id: &AlarmId, state: Option<AlarmState>, text: &str) {
        self.log_note(at_ms, id, state, text, None, None);
    }

    fn log_note(
        &mut self,
        at_ms: i64,
        id: &AlarmId,
        state: Option<AlarmState>,
        text: &str,
        by: Option<&'static str>,
        reason: Option<String>,
    ) {
        let priority = self
            .list
            .iter()
            .find(|a| &a.id == id)
            .map_or(id.priority(), |a| a.priority);
        // Timers run on the wall clock; the log's times are data times:
        // the end is said as the data time it falls at, at the recorded
        // pace (the same instant when live).
        let to_data = |until: i64| at_ms.saturating_add(until - self.timer_now(at_ms));
        let state = match state {
            Some(AlarmState::Snoozed { until_ms }) => Some(AlarmState::Snoozed {
                until_ms: to_data(until_ms),
            }),
            Some(AlarmState::ActiveSilenced { until_ms }) => Some(AlarmState::ActiveSilenced {
                until_ms: to_data(until_ms),
            }),
            s => s,
        };
        self.transitions.push(AlarmTransition {
            at_ms,
            id: id.clone(),
            priority,
            state,
            text: text.to_string(),
            by,
            reason,
        });
    }

    /// For a dangerous-target alarm about to be raised with figures `cpa`:
    /// `Ok(Some(until))` while its snooze holds, `Ok(None)` when there is
    /// none, `Err(why)` when it just ended because the encounter got
    /// materially worse (the snooze is then gone).
    fn snooze_holds(
        &mut self,
        id: &AlarmId,
        now_ms: i64,
        cpa: Option<(f64, f64)>,
    ) -> Result<Option<i64>, String> {
        let AlarmId::Dangerous(m) = id else {
            return Ok(None);
        };
        let Some(z) = self.snoozed.get(m).copied() else {
            return Ok(None);
        };
        if self.timer_now(now_ms) >= z.until_ms {
            return Ok(None);
        }
        if let Some((_, tcpa)) = cpa
            && self.snooze_tcpa_floor_min > 0.0
            && tcpa <= self.snooze_tcpa_floor_min
        {
            self.snoozed.remove(m);
            return Err(format!(
                "TCPA {tcpa:.1} min, half the TCPA limit ({:.1} min) reached",
                self.snooze_tcpa_floor_min
            ));
        }
        if let (Some(then), Some(now)) = (z.cpa, cpa)
            && let Some(why) = materially_worse(then, (now_ms - z.at_ms) as f64 / 60_000.0, now)
        {
            self.snoozed.remove(m);
            return Err(why);
        }
        Ok(Some(z.until_ms))
    }

    /// Remember an acknowledged dangerous-target alarm leaving the list.
    fn hold(&mut self, a: &Alarm, now_ms: i64) {
        if matches!(a.id, AlarmId::Dangerous(_)) && self.hold_ms > 0 {
            self.held.insert(
                a.id.clone(),
                Held {
                    left_ms: now_ms,
                    acked_cpa_nm: a.acked_cpa_nm,
                },
            );
        }
    }

    /// Target `mmsi`'s CPA (NM) and TCPA (min) at data time `now_ms`, for
    /// its history: the caller passes the CPAs that could matter (under the
    /// CPA limit, TCPA ahead), since the reference is never above the
    /// limit. A data clock that went back starts the history over.
    pub fn note_cpa(&mut self, mmsi: u32, now_ms: i64, cpa: (f64, f64)) {
        let (cpa_nm, tcpa_min) = cpa;
        if !cpa_nm.is_finite() || !tcpa_min.is_finite() {
            return;
        }
        let cpa_at_ms = now_ms.saturating_add((tcpa_min * 60_000.0) as i64);
        let h = self.cpa_seen.entry(mmsi).or_default();
        if h.back().is_some_and(|b| now_ms < b.from_ms) {
            h.clear();
        }
        match h.back_mut() {
            Some(b) if now_ms - b.from_ms < CPA_STEP_MS => {
                b.cpa_nm = b.cpa_nm.min(cpa_nm);
                b.cpa_at_ms = b.cpa_at_ms.min(cpa_at_ms);
            }
            _ => h.push_back(Seen {
                from_ms: now_ms,
                cpa_nm,
                cpa_at_ms,
            }),
        }
        while h
            .front()
            .is_some_and(|f| f.from_ms + CPA_STEP_MS <= now_ms - CPA_WINDOW_MS)
        {
            h.pop_front();
        }
    }

    /// The lowest CPA (NM) and the soonest time of CPA (ms) of target
    /// `mmsi` over the last [`CPA_WINDOW_MS`] (in steps of 5 s).
    fn lowest_seen(&self, mmsi: u32, now_ms: i64) -> Option<(f64, i64)> {
        self.cpa_seen
            .get(&mmsi)?
            .iter()
            .filter(|b| b.from_ms + CPA_STEP_MS > now_ms - CPA_WINDOW_MS && b.from_ms <= now_ms)
            .map(|b| (b.cpa_nm, b.cpa_at_ms))
            .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1)))
    }

    /// The CPA (NM) an acknowledgement of `id` at `now_ms` is judged
    /// against: the lower of its CPA now and the lowest of the window.
    fn reference_cpa(&self, id: &AlarmId, now_ms: i64, cpa_nm: Option<f64>) -> Option<f64> {
        let AlarmId::Dangerous(m) = id else {
            return cpa_nm;
        };
        let low = self.lowest_seen(*m, now_ms).map(|l| l.0);
        match (cpa_nm, low) {
            (Some(c), Some(l)) => Some(c.min(l)),
            (c, l) => c.or(l),
        }
    }

    /// Raise (or refresh) an alarm whose condition is present, with the
    /// priority of its kind. Returns true when it is new or came back after
    /// being rectified.
    pub fn raise(
        &mut self,
        id: AlarmId,
        now_ms: i64,
        text: String,
        cpa: Option<(f64, f64)>,
    ) -> bool {
        let p = id.priority();
        self.raise_as(id, p, now_ms, text, cpa)
    }

    /// [`raise`](Self::raise) with a given priority. An alarm that comes
    /// back from rectified takes the new priority and text. A dangerous
    /// target's alarm raised while the officer's snooze holds is listed as
    /// snoozed and stays silent; when the encounter got materially worse
    /// the snooze ends and the alarm sounds.
    pub fn raise_as(
        &mut self,
        id: AlarmId,
        priority: Priority,
        now_ms: i64,
        text: String,
        cpa: Option<(f64, f64)>,
    ) -> bool {
        let snooze = self.snooze_holds(&id, now_ms, cpa);
        if let Some(a) = self.list.iter_mut().find(|a| a.id == id) {
            a.cpa_nm = cpa.map(|c| c.0);
            a.tcpa_min = cpa.map(|c| c.1);
            // The text keeps the figures of the latest evaluation, so that
            // each transition is logged with the figures of its moment.
            if a.state != AlarmState::RectifiedUnacknowledged {
                a.text = text.clone();
            }
            let t = a.text.clone();
            match (a.state, snooze) {
                (AlarmState::Snoozed { .. }, Err(why)) => {
                    a.state = AlarmState::ActiveUnacknowledged;
                    let s = Some(a.state);
                    self.log_note(
                        now_ms,
                        &id,
                        s,
                        &t,
                        None,
                        Some(format!("snooze ended: {why}")),
                    );
                    return true;
                }
                (AlarmState::RectifiedUnacknowledged, Ok(Some(until_ms))) => {
                    a.state = AlarmState::Snoozed { until_ms };
                    let s = Some(a.state);
                    self.log_note(now_ms, &id, s, &t, Some("officer"), None);
                }
                (AlarmState::RectifiedUnacknowledged, _) => {
                    a.state = AlarmState::ActiveUnacknowledged;
                    a.priority = priority;
                    a.text = text.clone();
                    self.log(now_ms, &id, Some(AlarmState::ActiveUnacknowledged), &text);
                    return true;
                }
                _ => {}
            }
            return false;
        }
        if let Ok(Some(until_ms)) = snooze {
            // Dangerous again within its snooze: listed as snoozed, silent.
            let state = AlarmState::Snoozed { until_ms };
            self.list.push(Alarm {
                id: id.clone(),
                priority,
                state,
                raised_ms: now_ms,
                text: text.clone(),
                cpa_nm: cpa.map(|c| c.0),
                tcpa_min: cpa.map(|c| c.1),
                acked_cpa_nm: None,
            });
            self.log_note(now_ms, &id, Some(state), &text, Some("officer"), None);
            return false;
        }
        let reason = snooze.err().map(|why| format!("snooze ended: {why}"));
        self.list.push(Alarm {
            id: id.clone(),
            priority,
            state: AlarmState::ActiveUnacknowledged,
            raised_ms: now_ms,
            text: text.clone(),
            cpa_nm: cpa.map(|c| c.0),
            tcpa_min: cpa.map(|c| c.1),
            acked_cpa_nm: None,
        });
        self.log_note(
            now_ms,
            &id,
            Some(AlarmState::ActiveUnacknowledged),
            &text,
            None,
            reason,
        );
        true
    }

    /// Raise (or refresh) a dangerous-target alarm. The acknowledgement
    /// holds: an acknowledged alarm that rectified less than `hold_ms` ago
    /// comes back acknowledged, and an acknowledged alarm stays so, unless
    /// the CPA is now materially worse than the one acknowledged — then it
    /// is a new unacknowledged alarm. Returns true when it (re)appears.
    pub fn raise_dangerous(
        &mut self,
        id: AlarmId,
        now_ms: i64,
        text: String,
        cpa: Option<(f64, f64)>,
        worse: Materiality,
    ) -> bool {
        let now_cpa = cpa.map(|c| c.0);
        if let Some(a) = self.list.iter_mut().find(|a| a.id == id) {
            if a.state == AlarmState::ActiveAcknowledged && worse.worse(a.acked_cpa_nm, now_cpa) {
                a.state = AlarmState::ActiveUnacknowledged;
                a.text = text.clone();
                a.cpa_nm = now_cpa;
                a.tcpa_min = cpa.map(|c| c.1);
                a.acked_cpa_nm = None;
                self.log(now_ms, &id, Some(AlarmState::ActiveUnacknowledged), &text);
                return true;
            }
            return self.raise(id, now_ms, text, cpa);
        }
        let held = self.held.remove(&id).filter(|h| {
            (0..=self.hold_ms).contains(&(now_ms - h.left_ms))
                && !worse.worse(h.acked_cpa_nm, now_cpa)
        });
        let Some(h) = held else {
            return self.raise(id, now_ms, text, cpa);
        };
        self.list.push(Alarm {
            id: id.clone(),
            priority: id.priority(),
            state: AlarmState::ActiveAcknowledged,
            raised_ms: now_ms,
            text: text.clone(),
            cpa_nm: now_cpa,
            tcpa_min: cpa.map(|c| c.1),
            acked_cpa_nm: h.acked_cpa_nm,
        });
        self.log(now_ms, &id, Some(AlarmState::ActiveAcknowledged), &text);
        true
    }

    /// Cautions shown for `caution_ms` leave; held acknowledgements older
    /// than `hold_ms` are forgotten.
    pub fn expire(&mut self, now_ms: i64) {
        let (hold, caution) = (self.hold_ms, self.caution_ms);
        self.held
            .retain(|_, h| (0..=hold).contains(&(now_ms - h.left_ms)));
        self.cpa_seen.retain(|_, h| {
            h.back()
                .is_some_and(|b| now_ms - b.from_ms < CPA_WINDOW_MS + CPA_STEP_MS)
        });
        let old: Vec<(AlarmId, String)> = self
            .list
            .iter()
            .filter(|a| a.priority == Priority::Caution && now_ms - a.raised_ms >= caution)
            // A standing condition stays in view until it is rectified.
            .filter(|a| {
                !matches!(a.id, AlarmId::OffPosition(_))
                    || a.state == AlarmState::RectifiedUnacknowledged
            })
            .map(|a| (a.id.clone(), a.text.clone()))
            .collect();
        for (id, text) in old {
            self.log(now_ms, &id, None, &text);
            self.list.retain(|a| a.id != id);
        }
    }

    /// The figures of an alarm are no longer known (e.g. own position
    /// lost): keep the alarm and its state, drop the numbers.
    pub fn forget_figures(&mut self, id: &AlarmId) {
        if let Some(a) = self.list.iter_mut().find(|a| &a.id == id) {
            a.cpa_nm = None;
            a.tcpa_min = None;
        }
    }

    /// The condition is gone: acknowledged alarms leave, others become
    /// rectified-unacknowledged.
    pub fn rectify(&mut self, id: &AlarmId, now_ms: i64) {
        let Some(i) = self.list.iter().position(|a| &a.id == id) else {
            return;
        };
        let text = self.list[i].text.clone();
        match self.list[i].state {
            // A snoozed alarm was seen to: it leaves like an acknowledged
            // one (its snooze stays for its time).
            AlarmState::ActiveAcknowledged | AlarmState::Snoozed { .. } => {
                self.log(now_ms, id, None, &text);
                let a = self.list.remove(i);
                self.hold(&a, now_ms);
            }
            AlarmState::RectifiedUnacknowledged => {}
            _ => {
                self.list[i].state = AlarmState::RectifiedUnacknowledged;
                self.log(now_ms, id, Some(AlarmState::RectifiedUnacknowledged), &text);
            }
        }
    }

    /// The officer acknowledges. A caution acknowledged leaves the list.
    pub fn acknowledge(&mut self, id: &AlarmId, now_ms: i64) -> bool {
        let Some(i) = self.list.iter().position(|a| &a.id == id) else {
            return false;
        };
        let text = self.list[i].text.clone();
        let caution = self.list[i].priority == Priority::Caution;
        let reference = self.reference_cpa(id, now_ms, self.list[i].cpa_nm);
        match self.list[i].state {
            AlarmState::RectifiedUnacknowledged => {
                self.log(now_ms, id, None, &text);
                let mut a = self.list.remove(i);
                a.acked_cpa_nm = reference;
                self.hold(&a, now_ms);
            }
            _ if caution => {
                self.log(now_ms, id, None, &text);
                self.list.remove(i);
            }
            AlarmState::ActiveAcknowledged | AlarmState::Snoozed { .. } => return false,
            _ => {
                self.list[i].state = AlarmState::ActiveAcknowledged;
                self.list[i].acked_cpa_nm = reference;
                self.log(now_ms, id, Some(AlarmState::ActiveAcknowledged), &text);
            }
        }
        true
    }

    /// Silence an unacknowledged active alarm for `for_ms`.
    pub fn silence(&mut self, id: &AlarmId, now_ms: i64, for_ms: i64) -> bool {
        let Some(a) = self.list.iter_mut().find(|a| &a.id == id) else {
            return false;
        };
        if a.state != AlarmState::ActiveUnacknowledged {
            return false;
        }
        a.state = AlarmState::ActiveSilenced {
            until_ms: self.wall_ms.unwrap_or(now_ms) + for_ms,
        };
        let (s, t) = (a.state, a.text.clone());
        self.log(now_ms, id, Some(s), &t);
        true
    }

    /// Silence every sounding alarm (active-unacknowledged) for `for_ms`;
    /// returns how many were silenced.
    pub fn silence_all(&mut self, now_ms: i64, for_ms: i64) -> usize {
        let sounding: Vec<AlarmId> = self
            .list
            .iter()
            .filter(|a| a.sounding())
            .map(|a| a.id.clone())
            .collect();
        for id in &sounding {
            self.silence(id, now_ms, for_ms);
        }
        sounding.len()
    }

    /// Silenced alarms whose time is up sound again (data time `now_ms`;
    /// the timers themselves on [`timer_now`](Self::timer_now)).
    pub fn tick(&mut self, now_ms: i64) {
        self.data_ms = now_ms;
        self.end_timers(now_ms);
    }

    /// Silences and snoozes whose time is up end; logged at data time
    /// `now_ms`.
    fn end_timers(&mut self, now_ms: i64) {
        let t = self.timer_now(now_ms);
        let mut back = Vec::new();
        for a in &mut self.list {
            if let AlarmState::ActiveSilenced { until_ms } = a.state
                && t >= until_ms
            {
                a.state = AlarmState::ActiveUnacknowledged;
                back.push((a.id.clone(), a.text.clone()));
            }
        }
        for (id, t) in back {
            self.log(now_ms, &id, Some(AlarmState::ActiveUnacknowledged), &t);
        }
        // Snoozes whose time is up: their alarms sound again.
        if self.snoozed.is_empty() {
            return;
        }
        self.snoozed.retain(|_, z| t < z.until_ms);
        let mut back = Vec::new();
        for a in &mut self.list {
            if let AlarmState::Snoozed { until_ms } = a.state
                && t >= until_ms
            {
                a.state = AlarmState::ActiveUnacknowledged;
                back.push((a.id.clone(), a.text.clone()));
            }
        }
        for (id, t) in back {
            let why = Some("snooze ended: time up".to_string());
            self.log_note(
                now_ms,
                &id,
                Some(AlarmState::ActiveUnacknowledged),
                &t,
                None,
                why,
            );
        }
    }

    /// The officer snoozes target `mmsi`'s CPA alarm for `until_ms -
    /// now_ms` (on [`timer_now`](Self::timer_now)'s clock): a listed
    /// dangerous-target alarm becomes snoozed (logged with until and by),
    /// and one raised again before then is listed as snoozed. The figures
    /// now are kept to tell when the encounter gets worse. Refused, with
    /// the reason, when the TCPA is already at or below half the TCPA
    /// limit: the snooze could not outlast the encounter's last minutes.
    pub fn snooze(&mut self, mmsi: u32, now_ms: i64, until_ms: i64) -> Result<(), String> {
        let id = AlarmId::Dangerous(mmsi);
        let listed = self.get(&id);
        if let Some(tcpa) = listed.and_then(|a| a.tcpa_min)
            && self.snooze_tcpa_floor_min > 0.0
            && tcpa <= self.snooze_tcpa_floor_min
        {
            return Err(format!(
                "no snooze: TCPA {tcpa:.1} min is within half the TCPA limit ({:.1} min)",
                self.snooze_tcpa_floor_min
            ));
        }
        let until_ms = self.timer_now(now_ms) + (until_ms - now_ms).max(0);
        let before = listed
            .map(|a| a.state)
            .filter(|s| *s != AlarmState::RectifiedUnacknowledged);
        // A snooze of a snoozed alarm keeps the state from before.
        let before = match (before, self.snoozed.get(&mmsi)) {
            (Some(AlarmState::Snoozed { .. }), Some(z)) => z.before,
            (b, _) => b,
        };
        let cpa = listed.and_then(|a| Some((a.cpa_nm?, a.tcpa_min?)));
        // Judged against the lowest CPA and the soonest TCPA of the window,
        // so that yaw alone does not end it.
        let cpa = match (cpa, self.lowest_seen(mmsi, now_ms)) {
            (Some((c, t)), Some((low, at_ms))) => {
                Some((c.min(low), t.min((at_ms - now_ms) as f64 / 60_000.0)))
            }
            (c, _) => c,
        };
        self.snoozed.insert(
            mmsi,
            Snooze {
                at_ms: now_ms,
                until_ms,
                cpa,
                before,
            },
        );
        if let Some(a) = self.list.iter_mut().find(|a| a.id == id)
            && a.state != AlarmState::RectifiedUnacknowledged
        {
            a.state = AlarmState::Snoozed { until_ms };
            let (s, t) = (Some(a.state), a.text.clone());
            self.log_note(now_ms, &id, s, &t, Some("officer"), None);
        }
        Ok(())
    }

    /// The officer cancels target `mmsi`'s snooze: its alarm is listed as
    /// acknowledged (the officer has just seen it and acted on it, and it
    /// is logged so, by the officer). One acknowledged before the snooze
    /// keeps the CPA it was acknowledged against; any other is judged
    /// from now on against the lowest CPA of the window, as a fresh
    /// acknowledgement — never against nothing, which would make it
    /// unacknowledged again at the next evaluation. Returns false when it
    /// had none.
    pub fn cancel_snooze(&mut self, mmsi: u32, now_ms: i64) -> bool {
        let Some(z) = self.snoozed.remove(&mmsi) else {
            return false;
        };
        let id = AlarmId::Dangerous(mmsi);
        let reference = self
            .get(&id)
            .and_then(|a| self.reference_cpa(&id, now_ms, a.cpa_nm));
        if let Some(a) = self.list.iter_mut().find(|a| a.id == id)
            && matches!(a.state, AlarmState::Snoozed { .. })
        {
            let kept = z.before == Some(AlarmState::ActiveAcknowledged) && a.acked_cpa_nm.is_some();
            if !kept {
                a.acked_cpa_nm = reference;
            }
            a.state = AlarmState::ActiveAcknowledged;
            let (s, t) = (Some(a.state), a.text.clone());
            let why = Some("snooze cancelled".to_string());
            self.log_note(now_ms, &id, s, &t, Some("officer"), why);
        }
        true
    }

    /// Is the target snoozed at `now_ms`?
    pub fn is_snoozed(&self, mmsi: u32, now_ms: i64) -> bool {
        !self.snoozed.is_empty()
            && self
                .snoozed
                .get(&mmsi)
                .is_some_and(|z| self.timer_now(now_ms) < z.until_ms)
    }

    /// The target's snooze, if any.
    pub fn snooze_of(&self, mmsi: u32) -> Option<&Snooze> {
        self.snoozed.get(&mmsi)
    }

    /// Alarms in display order: unacknowledged first, then by priority
    /// (alarm, warning, caution); within a priority distress before
    /// dangerous targets before the rest, dangerous targets by TCPA
    /// (soonest first).
    pub fn ranked(&self) -> Vec<&Alarm> {
        let mut v: Vec<&Alarm> = self.list.iter().collect();
        v.sort_by(|a, b| {
            let rank = |x: &Alarm| match x.id {
                AlarmId::Distress(_) => 0,
                AlarmId::Dangerous(_) => 1,
                AlarmId::OwnPositionLost => 2,
                AlarmId::Transponder(_)
                | AlarmId::Link(_)
                | AlarmId::Storage(_)
                | AlarmId::OwnMmsi(_) => 3,
                AlarmId::Message(_) => 4,
                AlarmId::Lost(_) => 5,
                AlarmId::Activated(_) | AlarmId::NoRta(_) | AlarmId::OffPosition(_) => 6,
            };
            let key = |x: &Alarm| (!x.unacknowledged(), x.priority, rank(x));
            key(a).cmp(&key(b)).then_with(|| {
                a.tcpa_min
                    .unwrap_or(f64::MAX)
                    .total_cmp(&b.tcpa_min.unwrap_or(f64::MAX))
            })
        });
        v
    }

    /// Find an alarm.
    pub fn get(&self, id: &AlarmId) -> Option<&Alarm> {
        self.list.iter().find(|a| &a.id == id)
    }

    /// Number of alarms in the list.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// True when no alarm is listed.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Take the transitions since the last call (for the alarm log).
    pub fn take_transitions(&mut self) -> Vec<AlarmTransition> {
        std::mem::take(&mut self.transitions)
    }

    /// A target was removed (lost, then not heard for the removal time):
    /// its conditions are gone. Acknowledged alarms leave; unacknowledged
    /// ones stay, rectified, until acknowledged — nothing vanishes
    /// unacknowledged (MSC.302(87)). Its snooze ends.
    pub fn forget_target(&mut self, mmsi: u32, now_ms: i64) {
        let ids: Vec<AlarmId> = self
            .list
            .iter()
            .filter(|a| a.id.mmsi() == Some(mmsi))
            .map(|a| a.id.clone())
            .collect();
        for id in ids {
            self.rectify(&id, now_ms);
        }
        self.held.retain(|id, _| id.mmsi() != Some(mmsi));
        self.snoozed.remove(&mmsi);
        self.cpa_seen.remove(&mmsi);
    }

    /// Drop every alarm about a station that was never a target (our own
    /// echo heard before own MMSI was known).
    pub fn drop_target(&mut self, mmsi: u32, now_ms: i64) {
        let gone: Vec<(AlarmId, String)> = self
            .list
            .iter()
            .filter(|a| a.id.mmsi() == Some(mmsi))
            .map(|a| (a.id.clone(), a.text.clone()))
            .collect();
        for (id, t) in gone {
            self.log(now_ms, &id, None, &t);
        }
        self.list.retain(|a| a.id.mmsi() != Some(mmsi));
        self.held.retain(|id, _| id.mmsi() != Some(mmsi));
        self.snoozed.remove(&mmsi);
        self.cpa_seen.remove(&mmsi);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acknowledged_alarm_leaves_when_rectified() {
        let mut a = Alarms::default();
        let id = AlarmId::Dangerous(1);
        assert!(a.raise(id.clone(), 0, "x".into(), Some((0.5, 5.0))));
        assert!(!a.raise(id.clone(), 1000, "x".into(), Some((0.4, 4.0))));
        assert!(a.acknowledge(&id, 2000));
        a.rectify(&id, 3000);
        assert!(a.is_empty());
        assert_eq!(a.take_transitions().len(), 3);
    }

    #[test]
    fn unacknowledged_alarm_stays_rectified_until_acknowledged() {
        let mut a = Alarms::default();
        let id = AlarmId::Lost(7);
        a.raise(id.clone(), 0, "lost".into(), None);
        a.rectify(&id, 10);
        assert_eq!(
            a.get(&id).unwrap().state,
            AlarmState::RectifiedUnacknowledged
        );
        assert!(a.raise(id.clone(), 20, "lost".into(), None));
        a.rectify(&id, 30);
        a.acknowledge(&id, 40);
        assert!(a.is_empty());
    }

    #[test]
    fn removed_target_keeps_its_unacknowledged_alarms() {
        let mut a = Alarms::default();
        a.raise(AlarmId::Distress(9), 0, "sart".into(), None);
        a.raise(AlarmId::Lost(9), 10, "lost".into(), None);
        a.acknowledge(&AlarmId::Lost(9), 20);
        a.forget_target(9, 30);
        assert!(a.get(&AlarmId::Lost(9)).is_none());
        assert_eq!(
            a.get(&AlarmId::Distress(9)).map(|x| x.state),
            Some(AlarmState::RectifiedUnacknowledged)
        );
        assert!(a.acknowledge(&AlarmId::Distress(9), 40));
        assert!(a.is_empty());
    }

    #[test]
    fn forgetting_figures_keeps_the_state() {
        let mut a = Alarms::default();
        let id = AlarmId::Dangerous(5);
        a.raise(id.clone(), 0, "d".into(), Some((0.5, 4.0)));
        a.rectify(&id, 1);
        a.forget_figures(&id);
        let x = a.get(&id).unwrap();
        assert_eq!(x.state, AlarmState::RectifiedUnacknowledged);
        assert!(x.cpa_nm.is_none());
    }

    const WORSE: Materiality = Materiality {
        limit_nm: 2.0,
        band_nm: 0.2,
    };

    #[test]
    fn acknowledgement_holds_across_a_short_rectification() {
        let mut a = Alarms::new(300_000, 60_000);
        let id = AlarmId::Dangerous(1);
        assert!(a.raise_dangerous(id.clone(), 0, "d".into(), Some((1.5, 8.0)), WORSE));
        assert!(a.acknowledge(&id, 1_000));
        a.rectify(&id, 10_000);
        assert!(a.is_empty());
        // Back within the hold time, CPA not materially worse: acknowledged.
        assert!(a.raise_dangerous(id.clone(), 200_000, "d".into(), Some((1.35, 7.0)), WORSE));
        assert_eq!(
            a.get(&id).map(|x| x.state),
            Some(AlarmState::ActiveAcknowledged)
        );
        let log = a.take_transitions();
        assert_eq!(
            log.last().map(|t| t.state),
            Some(Some(AlarmState::ActiveAcknowledged))
        );
        assert!(!log.iter().skip(1).any(AlarmTransition::rings), "{log:?}");
        // Later than the hold time: a new unacknowledged alarm.
        a.rectify(&id, 210_000);
        a.expire(600_000);
        assert!(a.raise_dangerous(id.clone(), 600_000, "d".into(), Some((1.5, 7.0)), WORSE));
        assert_eq!(
            a.get(&id).map(|x| x.state),
            Some(AlarmState::ActiveUnacknowledged)
        );
    }

    #[test]
    fn materially_worse_cpa_alarms_again() {
        let mut a = Alarms::new(300_000, 60_000);
        let id = AlarmId::Dangerous(2);
        a.raise_dangerous(id.clone(), 0, "d".into(), Some((1.5, 8.0)), WORSE);
        a.acknowledge(&id, 1_000);
        // 1.31 is within 0.2 NM of the acknowledged 1.5: holds.
        assert!(!a.raise_dangerous(id.clone(), 2_000, "d".into(), Some((1.31, 7.9)), WORSE));
        assert_eq!(
            a.get(&id).map(|x| x.state),
            Some(AlarmState::ActiveAcknowledged)
        );
        // 1.2 is not: unacknowledged again, with the bell.
        assert!(a.raise_dangerous(id.clone(), 3_000, "d".into(), Some((1.2, 7.8)), WORSE));
        assert_eq!(
            a.get(&id).map(|x| x.state),
            Some(AlarmState::ActiveUnacknowledged)
        );
        assert!(
            a.take_transitions()
                .last()
                .is_some_and(AlarmTransition::rings)
        );
        // Acknowledged at 2.1 NM (inside the band): the reference is the
        // limit, so a swing to 1.85 NM is no news.
        a.acknowledge(&id, 4_000);
        a.raise_dangerous(id.clone(), 5_000, "d".into(), Some((2.1, 7.0)), WORSE);
        a.acknowledge(&id, 5_000);
        a.raise_dangerous(id.clone(), 6_000, "d".into(), Some((1.85, 7.0)), WORSE);
        assert_eq!(
            a.get(&id).map(|x| x.state),
            Some(AlarmState::ActiveAcknowledged)
        );
        // Returning after rectification materially worse: unacknowledged.
        a.rectify(&id, 7_000);
        assert!(a.raise_dangerous(id.clone(), 8_000, "d".into(), Some((0.5, 6.0)), WORSE));
        assert_eq!(
            a.get(&id).map(|x| x.state),
            Some(AlarmState::ActiveUnacknowledged)
        );
    }

    #[test]
    fn cautions_are_silent_and_leave_by_themselves() {
        let mut a = Alarms::new(300_000, 60_000);
        let id = AlarmId::Activated(4);
        a.raise(id.clone(), 0, "activated".into(), None);
        let x = a.get(&id).unwrap();
        assert_eq!(x.priority, Priority::Caution);
        assert!(!x.unacknowledged());
        assert!(!a.take_transitions().iter().any(AlarmTransition::rings));
        a.expire(59_999);
        assert!(a.get(&id).is_some());
        a.expire(60_000);
        assert!(a.is_empty());
        // Or when acknowledged.
        a.raise(id.clone(), 70_000, "activated".into(), None);
        assert!(a.acknowledge(&id, 71_000));
        assert!(a.is_empty());
    }

    #[test]
    fn unacknowledged_first_then_priority_then_tcpa() {
        let mut a = Alarms::new(300_000, 60_000);
        a.raise(AlarmId::Activated(5), 0, "c".into(), None);
        a.raise(AlarmId::Dangerous(1), 0, "d1".into(), Some((1.0, 3.0)));
        a.raise(AlarmId::Lost(3), 0, "l".into(), None);
        a.raise(AlarmId::Dangerous(2), 0, "d2".into(), Some((1.0, 9.0)));
        a.raise_as(AlarmId::Lost(6), Priority::Alarm, 0, "ld".into(), None);
        a.raise(AlarmId::OwnPositionLost, 0, "own".into(), None);
        a.acknowledge(&AlarmId::Dangerous(1), 1);
        a.acknowledge(&AlarmId::OwnPositionLost, 1);
        let order: Vec<AlarmId> = a.ranked().iter().map(|x| x.id.clone()).collect();
        assert_eq!(
            order,
            [
                AlarmId::Dangerous(2),
                AlarmId::Lost(6),
                AlarmId::Lost(3),
                AlarmId::Dangerous(1),
                AlarmId::OwnPositionLost,
                AlarmId::Activated(5),
            ]
        );
        let log = a.take_transitions();
        let lost6 = log.iter().find(|t| t.id == AlarmId::Lost(6)).unwrap();
        assert_eq!(lost6.priority, Priority::Alarm);
    }

    #[test]
    fn silence_expires_and_ranking_by_tcpa() {
        let mut a = Alarms::default();
        a.raise(AlarmId::Lost(3), 0, "l".into(), None);
        a.raise(AlarmId::Dangerous(1), 0, "d1".into(), Some((1.0, 9.0)));
        a.raise(AlarmId::Dangerous(2), 0, "d2".into(), Some((1.0, 3.0)));
        a.raise(AlarmId::Distress(9), 0, "sart".into(), None);
        let order: Vec<AlarmId> = a.ranked().iter().map(|x| x.id.clone()).collect();
        assert_eq!(
            order,
            [
                AlarmId::Distress(9),
                AlarmId::Dangerous(2),
                AlarmId::Dangerous(1),
                AlarmId::Lost(3)
            ]
        );
        assert!(a.silence(&AlarmId::Lost(3), 0, 60_000));
        a.tick(59_999);
        assert!(!a.get(&AlarmId::Lost(3)).unwrap().state.audible());
        a.tick(60_000);
        assert!(a.get(&AlarmId::Lost(3)).unwrap().state.audible());
    }

    #[test]
    fn silence_all_mutes_every_sounding_alarm_and_nothing_else() {
        let mut a = Alarms::default();
        a.raise(AlarmId::Dangerous(1), 0, "d1".into(), Some((1.0, 9.0)));
        a.raise(AlarmId::Dangerous(2), 0, "d2".into(), Some((1.0, 3.0)));
        a.raise(AlarmId::Lost(3), 0, "l".into(), None);
        a.acknowledge(&AlarmId::Lost(3), 1);
        assert_eq!(a.silence_all(1_000, 30_000), 2);
        for m in [1, 2] {
            assert_eq!(
                a.get(&AlarmId::Dangerous(m)).unwrap().state,
                AlarmState::ActiveSilenced { until_ms: 31_000 }
            );
        }
        assert_eq!(
            a.get(&AlarmId::Lost(3)).unwrap().state,
            AlarmState::ActiveAcknowledged
        );
        assert_eq!(a.silence_all(2_000, 30_000), 0, "nothing left sounding");
        a.tick(31_000);
        assert!(a.ranked().iter().filter(|x| x.state.audible()).count() == 2);
    }

    #[test]
    fn materially_worse_by_cpa_or_tcpa() {
        // 0.2 NM or a quarter, whichever is less, at least 0.05 NM.
        assert!(materially_worse((1.0, 10.0), 0.0, (0.81, 10.0)).is_none());
        assert!(materially_worse((1.0, 10.0), 0.0, (0.80, 10.0)).is_some());
        assert!(materially_worse((0.4, 10.0), 0.0, (0.31, 10.0)).is_none());
        assert!(materially_worse((0.4, 10.0), 0.0, (0.30, 10.0)).is_some());
        assert!(materially_worse((0.1, 10.0), 0.0, (0.06, 10.0)).is_none());
        assert!(materially_worse((0.1, 10.0), 0.0, (0.05, 10.0)).is_some());
        // TCPA: 3 min elapsed of 10 — 7 expected; 5.1 is in time, 5 is 2 min sooner.
        assert!(materially_worse((1.0, 10.0), 3.0, (1.0, 5.1)).is_none());
        let why = materially_worse((1.0, 10.0), 3.0, (1.0, 5.0)).unwrap();
        assert!(why.starts_with("TCPA 5.0 min"), "{why}");
    }

    #[test]
    fn snooze_silences_until_time_up_and_cancel_brings_it_back_acknowledged() {
        let mut a = Alarms::default();
        let id = AlarmId::Dangerous(4);
        a.raise(id.clone(), 0, "d".into(), Some((0.5, 8.0)));
        a.snooze(4, 1_000, 601_000).expect("snoozed");
        assert_eq!(
            a.get(&id).unwrap().state,
            AlarmState::Snoozed { until_ms: 601_000 }
        );
        assert!(!a.get(&id).unwrap().state.audible());
        assert!(!a.acknowledge(&id, 2_000), "nothing to acknowledge");
        // Same figures: still snoozed.
        assert!(!a.raise(id.clone(), 10_000, "d".into(), Some((0.5, 7.9))));
        a.tick(600_999);
        assert!(matches!(
            a.get(&id).unwrap().state,
            AlarmState::Snoozed { .. }
        ));
        a.tick(601_000);
        assert_eq!(a.get(&id).unwrap().state, AlarmState::ActiveUnacknowledged);
        let t = a.take_transitions();
        let last = t.last().unwrap();
        assert_eq!(last.reason.as_deref(), Some("snooze ended: time up"));
        // Snooze again and cancel.
        a.snooze(4, 700_000, 1_300_000).expect("snoozed");
        assert!(a.cancel_snooze(4, 710_000));
        assert_eq!(a.get(&id).unwrap().state, AlarmState::ActiveAcknowledged);
        assert!(!a.cancel_snooze(4, 720_000), "nothing left to cancel");
    }

    #[test]
    fn a_cancelled_snooze_leaves_an_acknowledgement_that_holds() {
        let mut a = Alarms::new(300_000, 60_000);
        let id = AlarmId::Dangerous(6);
        // Unacknowledged when snoozed: acknowledged on cancelling, against
        // the CPA then (0.8 NM), not against nothing — 0.65 NM is no news.
        a.raise_dangerous(id.clone(), 0, "d".into(), Some((0.8, 8.0)), WORSE);
        a.snooze(6, 1_000, 601_000).expect("snoozed");
        assert!(a.cancel_snooze(6, 2_000));
        assert_eq!(a.get(&id).unwrap().state, AlarmState::ActiveAcknowledged);
        assert!(!a.raise_dangerous(id.clone(), 2_500, "d".into(), Some((0.65, 7.9)), WORSE));
        assert_eq!(a.get(&id).unwrap().state, AlarmState::ActiveAcknowledged);
        // Acknowledged so at 0.8 NM, snoozed at 0.65 NM and cancelled:
        // still judged against 0.8 NM, so 0.55 NM alarms again.
        a.snooze(6, 4_000, 604_000).expect("snoozed");
        assert!(a.cancel_snooze(6, 5_000));
        assert_eq!(a.get(&id).unwrap().acked_cpa_nm, Some(0.8));
        assert!(a.raise_dangerous(id.clone(), 7_000, "d".into(), Some((0.55, 7.9)), WORSE));
        assert_eq!(a.get(&id).unwrap().state, AlarmState::ActiveUnacknowledged);
    }

    #[test]
    fn acknowledgement_is_judged_against_the_lowest_cpa_of_the_window() {
        let mut a = Alarms::new(300_000, 60_000);
        let id = AlarmId::Dangerous(7);
        // 0.3 NM two minutes ago is out of the window; the swing between
        // 0.6 and 0.9 NM of the last 90 s is in it.
        a.note_cpa(7, 0, (0.3, 10.0));
        for s in 30..=120 {
            let cpa = if (s / 10) % 2 == 0 { 0.6 } else { 0.9 };
            a.note_cpa(7, s * 1000, (cpa, 10.0));
        }
        a.raise_dangerous(id.clone(), 120_000, "d".into(), Some((0.9, 8.0)), WORSE);
        assert!(a.acknowledge(&id, 120_000));
        assert_eq!(a.get(&id).unwrap().acked_cpa_nm, Some(0.6));
        // The bottom of the swing: no news.
        assert!(!a.raise_dangerous(id.clone(), 130_000, "d".into(), Some((0.6, 7.8)), WORSE));
        assert_eq!(a.get(&id).unwrap().state, AlarmState::ActiveAcknowledged);
        // More than the band below the lowest seen: unacknowledged.
        assert!(a.raise_dangerous(id.clone(), 131_000, "d".into(), Some((0.39, 7.8)), WORSE));
        assert_eq!(a.get(&id).unwrap().state, AlarmState::ActiveUnacknowledged);
        // A snooze is judged the same way.
        a.snooze(7, 132_000, 732_000).expect("snoozed");
        assert_eq!(a.snooze_of(7).and_then(|z| z.cpa).map(|c| c.0), Some(0.39));
        // The history of a forgotten target goes with it.
        a.forget_target(7, 140_000);
        assert!(a.lowest_seen(7, 140_000).is_none());
    }

    #[test]
    fn a_snoozed_target_dangerous_again_within_its_snooze_is_listed_snoozed() {
        let mut a = Alarms::default();
        let id = AlarmId::Dangerous(4);
        a.raise(id.clone(), 0, "d".into(), Some((0.5, 8.0)));
        a.snooze(4, 0, 600_000).expect("snoozed");
        a.rectify(&id, 60_000);
        assert!(
            a.get(&id).is_none(),
            "seen to: leaves like an acknowledged alarm"
        );
        a.raise(id.clone(), 120_000, "d".into(), Some((0.5, 6.0)));
        assert_eq!(
            a.get(&id).unwrap().state,
            AlarmState::Snoozed { until_ms: 600_000 }
        );
        let t = a.take_transitions();
        assert_eq!(t.last().unwrap().state.map(|s| s.name()), Some("snoozed"));
    }
}
