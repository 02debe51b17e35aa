//! The AI-IP client (§3.3.3) as a sans-I/O state machine.
//!
//! No sockets and no clock, like the rest of [`crate::aiip`]: the caller
//! passes the time (`now_ms`, milliseconds since the Unix epoch) with every
//! input — own position ([`Client::set_own`], [`Client::ingest_fix`]), own
//! static data ([`Client::set_static`]), received datagrams
//! ([`Client::handle_datagram`]) and the passing of time ([`Client::tick`]) —
//! and takes the datagrams to send to the server ([`Client::take_datagrams`])
//! and what happened ([`Client::take_events`]). [`Client::next_wakeup_ms`]
//! says when the client next wants a tick.
//!
//! Nothing here panics on outside data; every datagram that does not decode
//! is counted in [`ClientStats`]. How the standard is read is written down in
//! docs/aiip.md ("The client").

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::codec::{
    self, Content, Flags, Identifier, MAX_DATAGRAM, Message, RangeKm, Selector, Timestamp,
};
use super::status_detect::{Motion, StatusDetector};
use crate::ais::application::{AddressedApp, BroadcastApp, EmmaWarning, InlandStatic, WaterLevels};
use crate::ais::encode::{self, EncodeError};
use crate::ais::messages::{
    AisMessage, Body, BroadcastBinary, GroupAssignment, PositionReport, StaticVoyageData,
};
use crate::ais::stream::{AisStream, Outcome, Received};
use crate::nmea::gnss::OwnFix;
use crate::traffic::RtaReceived;
use crate::voyage::messages::EtaReport;

/// A request without answer within this time is resent (§3.3.3.5).
pub const ANSWER_TIMEOUT_MS: i64 = 4_000;
/// How many times an unanswered request is resent (§3.3.3.5).
pub const MAX_RESENDS: u8 = 4;
/// Static and voyage data are sent at least this often (§3.3.3.6; the
/// class A rate of ITU-R M.1371-5 Annex 2 §4.3.2 for message 5).
pub const STATIC_INTERVAL_MS: i64 = 6 * 60 * 1000;
/// Sign-on tries without acknowledgement before smart AI-IP is disabled
/// (§3.3.3.17, §3.4.7).
pub const SMART_TRIES: u8 = 3;
/// An own position older than this is no position.
pub const FIX_MAX_AGE_MS: i64 = 10_000;
/// A course change within this window makes the ship "changing course".
pub const COURSE_WINDOW_MS: i64 = 30_000;
/// Degrees of course change within [`COURSE_WINDOW_MS`] that count as
/// changing course.
pub const COURSE_CHANGE_DEG: f64 = 5.0;
/// An update rate assigned by message 23 lapses this long after the last
/// message 23 (M.1371-5: assignments end after 4–8 minutes).
pub const ASSIGNMENT_MS: i64 = 8 * 60 * 1000;
/// Static data are asked for again (message 2) after this long without them.
pub const DETAIL_RETRY_MS: i64 = STATIC_INTERVAL_MS;
/// A vessel not heard for this long is forgotten by the detail requests
/// (the server's obsolete-position age, §3.3.4.14).
pub const HEARD_MAX_AGE_MS: i64 = 10 * 60 * 1000;
/// Vessels remembered for detail requests, at most.
pub const MAX_HEARD: usize = 10_000;
/// In tactical-on-board mode the traffic is asked for at least this often,
/// whatever own reporting interval (3 min moored, or assigned longer): a
/// request carries own position report (its content is mandatory), so own
/// position goes at this rate too. Ten seconds is the rate of a class A
/// ship under way, so AI-IP targets are never older than the traffic
/// picture's lost rule allows (60 s for class A under way).
pub const TRAFFIC_POLL_MS: i64 = 10_000;

/// After an answer the server cut because our address was not validated,
/// the request goes again at once with the token that came with it — at
/// most once in this time, so a server that keeps refusing is not pressed.
pub const REVALIDATE_MS: i64 = 30_000;

// ---------------------------------------------------------------------------
// Mode and configuration
// ---------------------------------------------------------------------------

/// Operating mode (§3.2, §3.3.3.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// Only sends own reports; asks for no vessels.
    Tactical,
    /// Sends own reports and asks for the vessels in range (≤ 15 km).
    #[default]
    TacticalOnBoard,
    /// Reports at a configured interval, sees vessels in range (≤ 50 km)
    /// but never their static data (privacy, §3.2).
    Strategic,
}

impl Mode {
    /// All modes, in the order a key cycles through them.
    pub const ALL: [Mode; 3] = [Mode::Tactical, Mode::TacticalOnBoard, Mode::Strategic];

    /// The name in the configuration file and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Tactical => "tactical",
            Mode::TacticalOnBoard => "tactical-on-board",
            Mode::Strategic => "strategic",
        }
    }

    /// Whether the client asks the server for the vessels in range.
    pub fn requests_vessels(self) -> bool {
        !matches!(self, Mode::Tactical)
    }

    /// Largest range allowed in this mode, in km (AIIP.md, §3.4.3).
    pub fn max_range_km(self) -> u16 {
        match self {
            Mode::Tactical => 255,
            Mode::TacticalOnBoard => 15,
            Mode::Strategic => 50,
        }
    }

    /// The next mode (for a key that cycles).
    pub fn next(self) -> Mode {
        match self {
            Mode::Tactical => Mode::TacticalOnBoard,
            Mode::TacticalOnBoard => Mode::Strategic,
            Mode::Strategic => Mode::Tactical,
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "tactical" => Ok(Mode::Tactical),
            "tactical-on-board" | "tactical_on_board" => Ok(Mode::TacticalOnBoard),
            "strategic" => Ok(Mode::Strategic),
            other => Err(format!(
                "unknown AI-IP mode {other:?}: expected tactical, tactical-on-board or strategic"
            )),
        }
    }
}

/// Settings of a [`Client`]. The `[aiip]` table of the configuration file
/// carries `mode`, `range_km`, `strategic_interval_s` and `smart`; the own
/// MMSI comes from the own-ship settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClientConfig {
    /// Own MMSI; 0 = not set (the client is then "not configured").
    #[serde(skip)]
    pub own_mmsi: u32,
    pub mode: Mode,
    /// Range of the vessel request in km: 1–255, at most 15 in
    /// tactical-on-board mode and 50 in strategic mode.
    pub range_km: u16,
    /// Reporting interval in strategic mode, seconds (10–3600).
    pub strategic_interval_s: u32,
    /// Smart AI-IP (sign-on/sign-off, §3.3.3.14–18); off by default.
    pub smart: bool,
    /// With smart AI-IP on: own navigational status set to moored when the
    /// vessel lies still, and back when it moves (§3.3.3.14,
    /// [`super::status_detect`]). On by default; has no effect without
    /// `smart`.
    pub detect_status: bool,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            own_mmsi: 0,
            mode: Mode::TacticalOnBoard,
            range_km: 10,
            strategic_interval_s: 60,
            smart: false,
            detect_status: true,
        }
    }
}

impl ClientConfig {
    /// Every reason the configuration cannot be used, in words; empty when
    /// it can.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if self.own_mmsi == 0 || self.own_mmsi > 999_999_999 {
            p.push(format!(
                "own MMSI {} is not a 9-digit MMSI (set own_ship.mmsi)",
                self.own_mmsi
            ));
        }
        if !(1..=255).contains(&self.range_km) {
            p.push(format!(
                "range {} km is outside 1–255 km (one byte on the wire)",
                self.range_km
            ));
        } else if self.range_km > self.mode.max_range_km() {
            p.push(format!(
                "range {} km is more than the {} km allowed in {} mode",
                self.range_km,
                self.mode.max_range_km(),
                self.mode
            ));
        }
        if !(10..=3600).contains(&self.strategic_interval_s) {
            p.push(format!(
                "strategic interval {} s is outside 10–3600 s",
                self.strategic_interval_s
            ));
        }
        p
    }

    /// `Ok` when the configuration can be used, otherwise the reasons
    /// joined by "; ".
    pub fn validate(&self) -> Result<(), String> {
        let p = self.problems();
        if p.is_empty() {
            Ok(())
        } else {
            Err(p.join("; "))
        }
    }
}

// ---------------------------------------------------------------------------
// Reporting intervals
// ---------------------------------------------------------------------------

/// The class A autonomous reporting interval in ms for a ship at `sog_kn`
/// with navigational status `nav_status` (ITU-R M.1371-5 Annex 1, Table 1,
/// as IMO A.1106 quotes it):
///
/// | condition | interval |
/// |---|---|
/// | at anchor (1) or moored (5), ≤ 3 kn | 3 min |
/// | at anchor or moored, > 3 kn | 10 s |
/// | 0–14 kn | 10 s |
/// | 0–14 kn, changing course | 3⅓ s |
/// | 14–23 kn | 6 s |
/// | 14–23 kn, changing course | 2 s |
/// | > 23 kn | 2 s |
///
/// An unknown speed counts as 0 kn.
pub fn class_a_interval_ms(sog_kn: Option<f64>, nav_status: u8, changing_course: bool) -> i64 {
    let sog = sog_kn.filter(|s| s.is_finite()).unwrap_or(0.0);
    if matches!(nav_status, 1 | 5) && sog <= 3.0 {
        180_000
    } else if sog > 23.0 {
        2_000
    } else if sog > 14.0 {
        if changing_course { 2_000 } else { 6_000 }
    } else if changing_course {
        10_000 / 3
    } else {
        10_000
    }
}

/// The interval of a message 23 "report interval" code (M.1371-5 Table 77)
/// given the current autonomous interval: `Some(None)` = back to
/// autonomous, `None` = reserved code (ignored).
pub fn assigned_interval_ms(code: u8, autonomous_ms: i64) -> Option<Option<i64>> {
    let fixed = || {
        super::local_info::INTERVALS
            .iter()
            .map(|(s, _)| i64::from(*s) * 1000)
    };
    let ms = match code {
        0 => return Some(None),
        // The table runs longest first.
        9 => fixed().find(|&v| v < autonomous_ms).unwrap_or(2_000),
        10 => fixed().rfind(|&v| v > autonomous_ms).unwrap_or(600_000),
        c => i64::from(super::local_info::interval_seconds(c)?) * 1000,
    };
    Some(Some(ms))
}

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

/// Own ship's dynamic data as the client reports them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct OwnPosition {
    /// Latitude, longitude in degrees.
    pub lat: f64,
    pub lon: f64,
    pub sog_kn: Option<f64>,
    pub cog_deg: Option<f64>,
    pub heading_deg: Option<f64>,
}

/// Own static and voyage data: message 5 and, for an inland vessel, the
/// DAC 200 FI 10 inland static data (§3.3.3.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnStatic {
    pub voyage: StaticVoyageData,
    pub inland: Option<InlandStatic>,
}

// ---------------------------------------------------------------------------
// Outputs
// ---------------------------------------------------------------------------

/// What the client is doing, for a status bar (§3.3.3.5: "the status could
/// be 'reporting position to server' or 'waiting for answer'").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientState {
    /// The configuration cannot be used; the reasons in words.
    NotConfigured(String),
    /// Stopped ([`Client::stop`]); nothing is sent.
    Stopped,
    /// No own position, so nothing is sent.
    NoOwnPosition,
    /// The last request went unanswered after all resends.
    NoAnswer,
    /// A request waits for its answer.
    WaitingForAnswer,
    /// Reporting normally.
    Reporting,
}

impl ClientState {
    /// The state in words.
    pub fn as_str(&self) -> &'static str {
        match self {
            ClientState::NotConfigured(_) => "not configured",
            ClientState::Stopped => "stopped",
            ClientState::NoOwnPosition => "no own position",
            ClientState::NoAnswer => "no answer from server",
            ClientState::WaitingForAnswer => "waiting for answer",
            ClientState::Reporting => "reporting",
        }
    }
}

impl fmt::Display for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientState::NotConfigured(why) => write!(f, "not configured: {why}"),
            other => f.write_str(other.as_str()),
        }
    }
}

/// Smart AI-IP as the status bar shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmartState {
    /// Not asked for.
    Off,
    /// Sign-on sent, `tries` so far, no acknowledgement yet.
    SigningOn { tries: u8 },
    /// Signed on and acknowledged.
    On,
    /// Disabled after [`SMART_TRIES`] unacknowledged sign-ons.
    Disabled,
}

/// The summary for a status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientStatus {
    pub state: ClientState,
    pub mode: Mode,
    pub range_km: u16,
    /// Milliseconds since the last answer from the server.
    pub last_answer_age_ms: Option<i64>,
    /// How often own position goes to the server now
    /// ([`Client::request_interval_ms`]), when own position is known.
    pub interval_ms: Option<i64>,
    /// Whether the interval was assigned by the server (message 23).
    pub interval_assigned: bool,
    pub smart: SmartState,
    /// Own navigational status in the reports (M.1371 0–15).
    pub nav_status: u8,
    /// Whether that status was set by status detection (§3.3.3.14) rather
    /// than by the officer or the configuration.
    pub status_detected: bool,
}

impl fmt::Display for ClientStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AI-IP {} · {}", self.state.as_str(), self.mode)?;
        if self.mode.requests_vessels() {
            write!(f, " {} km", self.range_km)?;
        }
        if let Some(ms) = self.interval_ms {
            let assigned = if self.interval_assigned {
                " assigned"
            } else {
                ""
            };
            write!(f, " · every {:.1} s{assigned}", ms as f64 / 1000.0)?;
        }
        match self.last_answer_age_ms {
            Some(ms) => write!(f, " · answer {} s ago", ms.max(0) / 1000)?,
            None => write!(f, " · no answer yet")?,
        }
        match self.smart {
            SmartState::Off => {}
            SmartState::SigningOn { tries } => write!(f, " · smart: signing on ({tries})")?,
            SmartState::On => write!(f, " · smart")?,
            SmartState::Disabled => write!(f, " · smart disabled")?,
        }
        if self.status_detected {
            write!(
                f,
                " · {} (detected)",
                crate::ais::legends::nav_status(self.nav_status).to_lowercase()
            )?;
        }
        Ok(())
    }
}

/// What kind of vessel data a [`VesselData`] carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VesselKind {
    /// AIS message 1, 2, 3, 18 or 19.
    Position,
    /// AIS message 5, 24 or DAC 200 FI 10 (never in strategic mode).
    Static,
}

/// A vessel's message from the server, for the traffic picture
/// (`Traffic::ingest(&received, at_ms)`) and the relay ([`relay_vdm`]).
#[derive(Debug, Clone)]
pub struct VesselData {
    pub at_ms: i64,
    pub kind: VesselKind,
    pub received: Received,
}

/// Something the console (or the headless stream) is told about.
#[derive(Debug, Clone)]
pub enum ClientEvent {
    /// A vessel's position or static data.
    Vessel(VesselData),
    /// An RTA addressed to own ship, as the transponder path yields it.
    Rta(RtaReceived),
    /// An EMMA warning (DAC 200 FI 23) for own ship's area.
    Emma {
        at_ms: i64,
        from: u32,
        warning: EmmaWarning,
    },
    /// Water levels (DAC 200 FI 25) for own ship's area.
    WaterLevels {
        at_ms: i64,
        from: u32,
        levels: WaterLevels,
    },
    /// Other local information (AtoN, directed messages other than RTA …).
    LocalInfo { at_ms: i64, received: Received },
    /// The reporting interval was assigned by message 23 (`Some`) or went
    /// back to the autonomous rate (`None`) (§3.3.3.11–12).
    IntervalAssigned {
        at_ms: i64,
        interval_ms: Option<i64>,
        reason: String,
    },
    /// The state changed (for a log line).
    StateChanged { at_ms: i64, state: ClientState },
    /// Mode or range switched ([`Client::set_mode`]); the caller persists it.
    ModeChanged {
        at_ms: i64,
        mode: Mode,
        range_km: u16,
    },
    /// Sign-on acknowledged: smart AI-IP is on.
    SmartEnabled { at_ms: i64 },
    /// Smart AI-IP was disabled; why, in words.
    SmartDisabled { at_ms: i64, reason: String },
    /// A sign-off went to the server (at stop, or smart AI-IP switched
    /// off): the server keeps own reports going until the next sign-on.
    SmartSignedOff { at_ms: i64 },
    /// Status detection (§3.3.3.14) changed own navigational status from
    /// `previous` to `status`; the evidence in words.
    StatusDetected {
        at_ms: i64,
        status: u8,
        previous: u8,
        reason: String,
    },
}

impl ClientEvent {
    /// When it happened (ms since the Unix epoch).
    pub fn at_ms(&self) -> i64 {
        match self {
            ClientEvent::Vessel(v) => v.at_ms,
            ClientEvent::Rta(r) => r.at_ms,
            ClientEvent::Emma { at_ms, .. }
            | ClientEvent::WaterLevels { at_ms, .. }
            | ClientEvent::LocalInfo { at_ms, .. }
            | ClientEvent::IntervalAssigned { at_ms, .. }
            | ClientEvent::StateChanged { at_ms, .. }
            | ClientEvent::ModeChanged { at_ms, .. }
            | ClientEvent::SmartEnabled { at_ms }
            | ClientEvent::SmartDisabled { at_ms, .. }
            | ClientEvent::SmartSignedOff { at_ms }
            | ClientEvent::StatusDetected { at_ms, .. } => *at_ms,
        }
    }
}

/// One line for a log or the headless stream (without the time).
impl fmt::Display for ClientEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientEvent::Vessel(v) => {
                let what = match v.kind {
                    VesselKind::Position => "position",
                    VesselKind::Static => "static data",
                };
                write!(
                    f,
                    "AI-IP {what} of {} (AIS message {})",
                    v.received.msg.mmsi, v.received.msg.msg_type
                )
            }
            ClientEvent::Rta(r) => write!(
                f,
                "AI-IP RTA from {} to {}: {:02}-{:02} {:02}:{:02} UTC, status {}",
                r.from, r.to, r.rta.month, r.rta.day, r.rta.hour, r.rta.minute, r.status
            ),
            ClientEvent::Emma { from, warning, .. } => {
                write!(f, "AI-IP EMMA warning type {} from {from}", warning.kind)
            }
            ClientEvent::WaterLevels { from, levels, .. } => {
                write!(f, "AI-IP water levels ({}) from {from}", levels.country)
            }
            ClientEvent::LocalInfo { received, .. } => write!(
                f,
                "AI-IP local information: AIS message {} from {}",
                received.msg.msg_type, received.msg.mmsi
            ),
            ClientEvent::IntervalAssigned { reason, .. } => {
                write!(f, "AI-IP reporting interval: {reason}")
            }
            ClientEvent::StateChanged { state, .. } => write!(f, "AI-IP {state}"),
            ClientEvent::ModeChanged { mode, range_km, .. } => {
                write!(f, "AI-IP mode {mode}, range {range_km} km")
            }
            ClientEvent::SmartEnabled { .. } => write!(f, "AI-IP smart: signed on"),
            ClientEvent::SmartDisabled { reason, .. } => {
                write!(f, "AI-IP smart disabled: {reason}")
            }
            ClientEvent::SmartSignedOff { .. } => write!(
                f,
                "AI-IP smart: signed off (the server renews own reports until the next sign-on)"
            ),
            ClientEvent::StatusDetected {
                status,
                previous,
                reason,
                ..
            } => {
                use crate::ais::legends::nav_status;
                write!(
                    f,
                    "AI-IP smart: own status now {} (was {}): {reason}",
                    nav_status(*status).to_lowercase(),
                    nav_status(*previous).to_lowercase()
                )
            }
        }
    }
}

/// What the client has seen, counted by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientStats {
    /// Datagrams received.
    pub datagrams_in: u64,
    /// Datagrams produced for the server.
    pub datagrams_out: u64,
    /// Datagrams larger than [`MAX_DATAGRAM`], dropped unread.
    pub oversized: u64,
    /// Datagrams that did not decode, by reason.
    pub rejected: BTreeMap<&'static str, u64>,
    /// Messages only a client sends (1, 2, 3, 20, 21, 22) received.
    pub unexpected: u64,
    /// Message-4 datagrams received.
    pub responses: u64,
    /// Acknowledgements of own sign-on.
    pub acks: u64,
    /// Acknowledgements that matched no sign-on or sign-off.
    pub stray_acks: u64,
    /// Sentences in responses that did not decode as AIS.
    pub bad_sentences: u64,
    /// Requests resent after [`ANSWER_TIMEOUT_MS`].
    pub resends: u64,
    /// Requests given up after [`MAX_RESENDS`].
    pub unanswered: u64,
    /// Vessel positions yielded.
    pub positions: u64,
    /// Vessel static data yielded.
    pub static_data: u64,
    /// Static data received in strategic mode and withheld (§3.2).
    pub static_withheld: u64,
    /// AIS messages in responses of no use to the client.
    pub ais_ignored: u64,
    /// Own messages that could not be encoded.
    pub encode_failures: u64,
    /// Address-validation tokens received (docs/aiip.md).
    pub tokens: u64,
    /// Answers the server cut because our address was not validated yet.
    pub limited_answers: u64,
    /// Requests sent again at once with a fresh token.
    pub revalidations: u64,
}

/// Why an own message could not be queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientError {
    /// The client is not configured or stopped.
    NotRunning(String),
    /// The message did not encode.
    Encode(String),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::NotRunning(why) => write!(f, "AI-IP client not running: {why}"),
            ClientError::Encode(why) => write!(f, "cannot encode: {why}"),
        }
    }
}

impl std::error::Error for ClientError {}

// ---------------------------------------------------------------------------
// The relay (§3.3.3.7)
// ---------------------------------------------------------------------------

/// The `!AIVDM` sentences for a received message, for an output link to an
/// ECDIS or radar (§3.3.3.7). Encoded again with our encoder, so the output
/// is uniform whatever talker or channel the server's sentences had.
pub fn relay_vdm(m: &AisMessage, seq_id: u8) -> Result<Vec<String>, EncodeError> {
    let bits = encode::encode(m)?;
    Ok(encode::to_vdm(&bits, "AI", false, Some('A'), seq_id))
}

/// The relay sentences of every vessel event in `events`, with sequence
/// ids counted from `seq` (0–9, wrapping).
pub fn relay_events(events: &[ClientEvent], seq: &mut u8) -> Vec<String> {
    let mut out = Vec::new();
    for e in events {
        if let ClientEvent::Vessel(v) = e
            && let Ok(s) = relay_vdm(&v.received.msg, *seq)
        {
            if s.len() > 1 {
                *seq = (*seq + 1) % 10;
            }
            out.extend(s);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------

/// A request waiting for its answer.
#[derive(Debug, Clone)]
enum RequestKind {
    /// Message 1 with a range: rebuilt from the latest position on resend.
    Push,
    /// Message 2.
    Detail,
    /// Message 3.
    Location,
}

#[derive(Debug, Clone)]
struct Pending {
    kind: RequestKind,
    bytes: Vec<u8>,
    sent_ms: i64,
    resends: u8,
}

/// Something to send once nothing else waits for an answer.
#[derive(Debug, Clone)]
enum Queued {
    Detail(Vec<u32>),
    Location(Flags),
    /// A datagram needing no answer (ETA, smart request).
    Plain(Vec<u8>),
}

#[derive(Debug, Clone)]
struct Smart {
    state: SmartState,
    timestamp: Option<Timestamp>,
    sent_ms: i64,
}

#[derive(Debug, Clone, Copy)]
struct Assignment {
    interval_ms: i64,
    until_ms: i64,
    area: GroupAssignment,
}

#[derive(Debug, Clone, Copy, Default)]
struct Heard {
    has_static: bool,
    asked_ms: Option<i64>,
    heard_ms: i64,
}

/// The AI-IP client state machine (§3.3.3).
#[derive(Debug)]
pub struct Client {
    config: ClientConfig,
    problems: Option<String>,
    stopped: bool,
    started: bool,
    own: Option<(OwnPosition, i64)>,
    nav_status: u8,
    courses: VecDeque<(i64, f64)>,
    own_static: Option<OwnStatic>,
    static_sent_ms: Option<i64>,
    static_changed: bool,
    last_report_ms: Option<i64>,
    assignment: Option<Assignment>,
    pending: Option<Pending>,
    queue: VecDeque<Queued>,
    no_answer: bool,
    last_answer_ms: Option<i64>,
    smart: Smart,
    /// Status detection (§3.3.3.14) and, while own status is the moored it
    /// set, the status it replaced.
    detector: StatusDetector,
    detected_from: Option<u8>,
    status_detected: bool,
    /// The ask for moored vessels after sign-on (§3.3.3.17) waits for own
    /// position (its content).
    moored_request_due: bool,
    heard: BTreeMap<u32, Heard>,
    stream: AisStream,
    seq: u8,
    stats: ClientStats,
    out: Vec<Vec<u8>>,
    events: Vec<ClientEvent>,
    last_state: Option<ClientState>,
    /// The server's address-validation token, echoed in every message 1
    /// and 22 (docs/aiip.md, "Address validation").
    token: Option<String>,
    /// A cut answer came: ask again at once with the token.
    revalidate_due: bool,
    last_revalidate_ms: Option<i64>,
}

impl Client {
    /// A client with `config`. An unusable configuration gives a client in
    /// state "not configured" that sends nothing.
    pub fn new(config: ClientConfig) -> Self {
        let problems = config.validate().err();
        Self {
            config,
            problems,
            stopped: false,
            started: false,
            own: None,
            nav_status: 15,
            courses: VecDeque::new(),
            own_static: None,
            static_sent_ms: None,
            static_changed: false,
            last_report_ms: None,
            assignment: None,
            pending: None,
            queue: VecDeque::new(),
            no_answer: false,
            last_answer_ms: None,
            smart: Smart {
                state: SmartState::Off,
                timestamp: None,
                sent_ms: 0,
            },
            detector: StatusDetector::new(Motion::Moving),
            detected_from: None,
            status_detected: false,
            moored_request_due: false,
            heard: BTreeMap::new(),
            stream: AisStream::new(),
            seq: 0,
            stats: ClientStats::default(),
            out: Vec::new(),
            events: Vec::new(),
            last_state: None,
            token: None,
            revalidate_due: false,
            last_revalidate_ms: None,
        }
    }

    /// The configuration in force.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The counters so far.
    pub fn stats(&self) -> &ClientStats {
        &self.stats
    }

    /// The datagrams to send to the server, oldest first.
    pub fn take_datagrams(&mut self) -> Vec<Vec<u8>> {
        std::mem::take(&mut self.out)
    }

    /// What happened since the last call, oldest first.
    pub fn take_events(&mut self) -> Vec<ClientEvent> {
        std::mem::take(&mut self.events)
    }

    /// The state now.
    pub fn state(&self, now_ms: i64) -> ClientState {
        if let Some(why) = &self.problems {
            ClientState::NotConfigured(why.clone())
        } else if self.stopped {
            ClientState::Stopped
        } else if self.position(now_ms).is_none() {
            ClientState::NoOwnPosition
        } else if self.no_answer {
            ClientState::NoAnswer
        } else if self.pending.is_some() {
            ClientState::WaitingForAnswer
        } else {
            ClientState::Reporting
        }
    }

    /// The summary for a status bar.
    pub fn status(&self, now_ms: i64) -> ClientStatus {
        ClientStatus {
            state: self.state(now_ms),
            mode: self.config.mode,
            range_km: self.config.range_km,
            last_answer_age_ms: self.last_answer_ms.map(|t| now_ms.saturating_sub(t)),
            interval_ms: self
                .position(now_ms)
                .map(|_| self.request_interval_ms(now_ms)),
            interval_assigned: self.active_assignment(now_ms).is_some(),
            smart: self.smart.state,
            nav_status: self.nav_status,
            status_detected: self.status_detected,
        }
    }

    /// The reporting interval in force now (ms): assigned by message 23,
    /// the strategic interval, or the class A table for own speed, status
    /// and course change.
    pub fn report_interval_ms(&self, now_ms: i64) -> i64 {
        if let Some(a) = self.active_assignment(now_ms) {
            return a.interval_ms;
        }
        self.autonomous_interval_ms(now_ms)
    }

    fn autonomous_interval_ms(&self, now_ms: i64) -> i64 {
        match self.config.mode {
            Mode::Strategic => i64::from(self.config.strategic_interval_s) * 1000,
            Mode::Tactical | Mode::TacticalOnBoard => {
                let sog = self.own.and_then(|(p, _)| p.sog_kn);
                class_a_interval_ms(sog, self.nav_status, self.changing_course(now_ms))
            }
        }
    }

    /// Whether own course (heading, else COG) changed by more than
    /// [`COURSE_CHANGE_DEG`] within the last [`COURSE_WINDOW_MS`].
    pub fn changing_course(&self, now_ms: i64) -> bool {
        let Some(&(_, latest)) = self.courses.back() else {
            return false;
        };
        self.courses
            .iter()
            .filter(|(t, _)| now_ms.saturating_sub(*t) <= COURSE_WINDOW_MS)
            .any(|(_, c)| angle_diff(*c, latest) > COURSE_CHANGE_DEG)
    }

    /// When the client next wants [`Client::tick`], if ever.
    pub fn next_wakeup_ms(&self, now_ms: i64) -> Option<i64> {
        if self.problems.is_some() || self.stopped {
            return None;
        }
        let mut next: Option<i64> = None;
        let mut at = |t: i64| next = Some(next.map_or(t, |n: i64| n.min(t)));
        if let Some(p) = &self.pending {
            at(p.sent_ms + ANSWER_TIMEOUT_MS);
        }
        if matches!(self.smart.state, SmartState::SigningOn { .. }) {
            at(self.smart.sent_ms + ANSWER_TIMEOUT_MS);
        }
        if self.position(now_ms).is_some() && self.pending.is_none() {
            at(self.next_report_ms(now_ms));
        }
        if let Some((_, t)) = self.own
            && t + FIX_MAX_AGE_MS > now_ms
        {
            at(t + FIX_MAX_AGE_MS);
        }
        if let Some(a) = self.assignment {
            at(a.until_ms);
        }
        next
    }

    fn next_report_ms(&self, now_ms: i64) -> i64 {
        match self.last_report_ms {
            None => now_ms,
            Some(_) if self.static_due(now_ms) && self.static_changed => now_ms,
            Some(t) => t + self.request_interval_ms(now_ms),
        }
    }

    /// How often the client talks to the server now (ms): own reporting
    /// interval, but in tactical-on-board mode at least every
    /// [`TRAFFIC_POLL_MS`] so that the traffic on board stays live. The
    /// longest an AI-IP target's news can wait for the next ask.
    pub fn request_interval_ms(&self, now_ms: i64) -> i64 {
        let own = self.report_interval_ms(now_ms);
        if self.config.mode == Mode::TacticalOnBoard {
            own.min(TRAFFIC_POLL_MS)
        } else {
            own
        }
    }

    // -- inputs --------------------------------------------------------------

    /// Own position and motion (from the GNSS or the traffic picture's own
    /// ship).
    pub fn set_own(&mut self, own: OwnPosition, now_ms: i64) {
        let valid = own.lat.is_finite()
            && own.lon.is_finite()
            && own.lat.abs() <= 90.0
            && own.lon.abs() <= 180.0;
        if valid {
            if self.detecting()
                && self.own.is_none_or(|(_, t)| now_ms > t)
                && let Some(change) = self.detector.observe(own.lat, own.lon, own.sog_kn, now_ms)
            {
                self.status_change(change.to, change.reason, now_ms);
            }
            self.own = Some((own, now_ms));
            if let Some(c) = own.heading_deg.or(own.cog_deg).filter(|c| c.is_finite()) {
                self.courses.push_back((now_ms, c.rem_euclid(360.0)));
            }
            while self
                .courses
                .front()
                .is_some_and(|(t, _)| now_ms.saturating_sub(*t) > COURSE_WINDOW_MS)
            {
                self.courses.pop_front();
            }
        }
        self.step(now_ms);
    }

    /// One GNSS sentence's contribution (`nmea::gnss::parse`): a valid
    /// position updates own position; SOG, COG and heading update when the
    /// sentence carries them.
    pub fn ingest_fix(&mut self, fix: &OwnFix, now_ms: i64) {
        let mut own = self.own.map(|(p, _)| p).unwrap_or_default();
        if fix.sog_kn.is_some() {
            own.sog_kn = fix.sog_kn;
        }
        if fix.cog_deg.is_some() {
            own.cog_deg = fix.cog_deg;
        }
        if fix.heading_deg.is_some() {
            own.heading_deg = fix.heading_deg;
        }
        match fix.position {
            Some((lat, lon)) if fix.valid => {
                own.lat = lat;
                own.lon = lon;
                self.set_own(own, now_ms);
            }
            _ => {
                // Motion without a position: kept, the position's age stays.
                if let Some((p, _)) = &mut self.own {
                    p.sog_kn = own.sog_kn;
                    p.cog_deg = own.cog_deg;
                    p.heading_deg = own.heading_deg;
                }
                self.step(now_ms);
            }
        }
    }

    /// Own navigational status (0–15, M.1371) as the officer or the
    /// configuration sets it; 1 at anchor and 5 moored slow the reports to
    /// 3 min. It overrides a detected status, and status detection starts
    /// counting again from it.
    pub fn set_nav_status(&mut self, status: u8, now_ms: i64) {
        self.nav_status = status.min(15);
        self.detected_from = None;
        self.status_detected = false;
        self.restart_detection();
        self.step(now_ms);
    }

    /// Whether status detection acts: smart AI-IP signed on and
    /// `detect_status` set (§3.3.3.14 is part of smart AI-IP).
    fn detecting(&self) -> bool {
        self.config.smart && self.config.detect_status && self.smart.state == SmartState::On
    }

    fn restart_detection(&mut self) {
        let motion = if self.nav_status == 5 {
            Motion::AtRest
        } else {
            Motion::Moving
        };
        self.detector = StatusDetector::new(motion);
    }

    /// The detector concluded `to`: moored when own status was under way
    /// (0, 8) or not defined (15) — a status the officer chose for lying
    /// still (at anchor, aground …) is his and kept —, and from moored back
    /// to the status it replaced (under way using engine when the officer
    /// had set moored). Reported at once.
    fn status_change(&mut self, to: Motion, reason: String, now_ms: i64) {
        let previous = self.nav_status;
        let status = match to {
            Motion::AtRest if matches!(previous, 0 | 8 | 15) => 5,
            Motion::Moving if previous == 5 => self.detected_from.take().unwrap_or(0),
            _ => return,
        };
        if status == 5 {
            self.detected_from = Some(previous);
        }
        self.nav_status = status;
        self.status_detected = true;
        self.last_report_ms = None;
        self.events.push(ClientEvent::StatusDetected {
            at_ms: now_ms,
            status,
            previous,
            reason,
        });
    }

    /// Status detection stopped (smart AI-IP switched off): a moored it
    /// set is taken back, since nothing would end it when the vessel sails.
    fn end_detection(&mut self, why: &str, now_ms: i64) {
        if let Some(previous) = self.detected_from.take() {
            let moored = self.nav_status;
            self.nav_status = previous;
            self.last_report_ms = None;
            self.events.push(ClientEvent::StatusDetected {
                at_ms: now_ms,
                status: previous,
                previous: moored,
                reason: why.into(),
            });
        }
        self.status_detected = false;
    }

    /// Own static and voyage data; a change is sent at once (§3.3.3.6).
    pub fn set_static(&mut self, data: OwnStatic, now_ms: i64) {
        if self.own_static != Some(data) {
            self.own_static = Some(data);
            self.static_changed = true;
        }
        self.step(now_ms);
    }

    /// Switches mode and range at runtime (§3.3.3.10); the next report goes
    /// out at once with the new range. A switch that would not validate is
    /// refused with the reasons and changes nothing. The caller persists it.
    pub fn set_mode(&mut self, mode: Mode, range_km: u16, now_ms: i64) -> Result<(), String> {
        let config = ClientConfig {
            mode,
            range_km,
            ..self.config
        };
        config.validate()?;
        let changed = config != self.config;
        self.config = config;
        self.problems = None;
        if changed {
            if mode == Mode::Strategic {
                // A strategic client never asks for static data (§3.2).
                self.queue.retain(|q| !matches!(q, Queued::Detail(_)));
                if matches!(
                    self.pending.as_ref().map(|p| &p.kind),
                    Some(RequestKind::Detail)
                ) {
                    self.pending = None;
                }
            }
            if matches!(
                self.pending.as_ref().map(|p| &p.kind),
                Some(RequestKind::Push)
            ) {
                self.pending = None;
            }
            self.last_report_ms = None;
            self.events.push(ClientEvent::ModeChanged {
                at_ms: now_ms,
                mode,
                range_km,
            });
        }
        self.step(now_ms);
        Ok(())
    }

    /// Turns smart AI-IP on (sign-on, §3.3.3.17) or off (sign-off,
    /// §3.3.3.18).
    pub fn set_smart(&mut self, on: bool, now_ms: i64) {
        self.config.smart = on;
        if on {
            if matches!(self.smart.state, SmartState::Off | SmartState::Disabled) {
                self.smart.state = SmartState::Off;
                self.started = false;
            }
        } else {
            if self.smart.state == SmartState::On {
                self.send_sign(false, now_ms);
                self.events
                    .push(ClientEvent::SmartSignedOff { at_ms: now_ms });
            }
            self.smart.state = SmartState::Off;
            self.end_detection("smart AI-IP switched off", now_ms);
        }
        self.step(now_ms);
    }

    /// Relays an ETA (DAC 200 FI 21) through the server as a directed
    /// message (§3.3.3.8). No answer is waited for: the server flags the
    /// RTA in a later answer, and message 3 fetches it.
    pub fn send_eta(&mut self, eta: &EtaReport, now_ms: i64) -> Result<(), ClientError> {
        if let Some(why) = &self.problems {
            return Err(ClientError::NotRunning(why.clone()));
        }
        if self.stopped {
            return Err(ClientError::NotRunning("stopped".into()));
        }
        let seq = self.next_seq();
        let m = eta.message(self.config.own_mmsi, seq);
        let mut sentences = self.own_report_sentences(now_ms).unwrap_or_default();
        let bits = encode::encode(&m).map_err(|e| ClientError::Encode(e.to_string()))?;
        sentences.extend(encode::to_vdm(&bits, "AI", false, Some('A'), seq));
        let bytes = self
            .push_bytes(&sentences, None, now_ms)
            .map_err(ClientError::Encode)?;
        self.queue.push_back(Queued::Plain(bytes));
        self.step(now_ms);
        Ok(())
    }

    /// Asks for the vessels in range that match `selector` (smart request,
    /// message 22, §3.3.3.16). Any answer is handled like any other.
    pub fn smart_request(&mut self, selector: Selector, now_ms: i64) -> Result<(), ClientError> {
        if let Some(why) = &self.problems {
            return Err(ClientError::NotRunning(why.clone()));
        }
        let sentences = self
            .own_report_sentences(now_ms)
            .ok_or_else(|| ClientError::NotRunning("no own position".into()))?;
        let bytes = self
            .smart_bytes(&sentences, selector, now_ms)
            .map_err(ClientError::Encode)?;
        self.queue.push_back(Queued::Plain(bytes));
        self.step(now_ms);
        Ok(())
    }

    /// Stops the client (§3.3.3.2): with smart AI-IP on, a sign-off goes
    /// out first (§3.3.3.18). Nothing is sent afterwards.
    pub fn stop(&mut self, now_ms: i64) {
        if self.smart.state == SmartState::On {
            self.send_sign(false, now_ms);
            self.events
                .push(ClientEvent::SmartSignedOff { at_ms: now_ms });
        }
        self.stopped = true;
        self.pending = None;
        self.queue.clear();
        self.note_state(now_ms);
    }

    /// Lets time pass: reports, resends and timeouts that are due.
    pub fn tick(&mut self, now_ms: i64) {
        self.step(now_ms);
    }

    /// One datagram from the server.
    pub fn handle_datagram(&mut self, datagram: &[u8], now_ms: i64) {
        self.stats.datagrams_in += 1;
        if datagram.len() > MAX_DATAGRAM {
            self.stats.oversized += 1;
            return;
        }
        match codec::decode(datagram) {
            Ok(Message::Response { flags, content }) => {
                self.stats.responses += 1;
                self.answered(now_ms);
                self.response(flags, &content, now_ms);
                if flags.contains(Flags::FINAL) {
                    self.pending = None;
                }
            }
            Ok(Message::Acknowledgement { timestamp }) => {
                if self.smart.timestamp == Some(timestamp)
                    && matches!(self.smart.state, SmartState::SigningOn { .. })
                {
                    self.stats.acks += 1;
                    self.answered(now_ms);
                    self.smart.state = SmartState::On;
                    self.smart.timestamp = None;
                    self.restart_detection();
                    self.events
                        .push(ClientEvent::SmartEnabled { at_ms: now_ms });
                    // §3.3.3.17: then ask for the moored vessels around,
                    // as soon as own position is known.
                    self.moored_request_due = self.config.mode.requests_vessels();
                } else {
                    self.stats.stray_acks += 1;
                }
            }
            Ok(_) => self.stats.unexpected += 1,
            Err(e) => {
                *self.stats.rejected.entry(e.kind()).or_default() += 1;
            }
        }
        self.step(now_ms);
    }

    // -- the machine ---------------------------------------------------------

    fn position(&self, now_ms: i64) -> Option<OwnPosition> {
        self.own
            .filter(|(_, t)| now_ms.saturating_sub(*t) < FIX_MAX_AGE_MS)
            .map(|(p, _)| p)
    }

    fn active_assignment(&self, now_ms: i64) -> Option<Assignment> {
        let a = self.assignment?;
        let p = self.position(now_ms)?;
        (now_ms < a.until_ms && in_area(&a.area, p.lat, p.lon)).then_some(a)
    }

    fn static_due(&self, now_ms: i64) -> bool {
        self.own_static.is_some()
            && (self.static_changed
                || self
                    .static_sent_ms
                    .is_none_or(|t| now_ms.saturating_sub(t) >= STATIC_INTERVAL_MS))
    }

    fn answered(&mut self, now_ms: i64) {
        self.last_answer_ms = Some(now_ms);
        self.no_answer = false;
    }

    fn next_seq(&mut self) -> u8 {
        self.seq = (self.seq + 1) % 10;
        self.seq
    }

    fn emit(&mut self, bytes: Vec<u8>) {
        self.stats.datagrams_out += 1;
        self.out.push(bytes);
    }

    fn step(&mut self, now_ms: i64) {
        if self.problems.is_some() || self.stopped {
            self.note_state(now_ms);
            return;
        }
        self.expire_assignment(now_ms);
        self.smart_step(now_ms);
        if self.moored_request_due
            && self.smart.state == SmartState::On
            && let Some(s) = self.own_report_sentences(now_ms)
        {
            self.moored_request_due = false;
            match self.smart_bytes(&s, Selector::MOORED, now_ms) {
                Ok(b) => self.queue.push_back(Queued::Plain(b)),
                Err(_) => self.stats.encode_failures += 1,
            }
        }
        self.retry_step(now_ms);
        // A cut answer: the report goes again, with the token, before
        // anything queued (whose answers would be cut too).
        if self.revalidate_due && self.pending.is_none() {
            self.report_step(now_ms);
        }
        // Queued requests (location information, details, ETAs) go before
        // the next report, so a client always late with its reports (lost
        // answers) still gets them out.
        self.queue_step(now_ms);
        self.report_step(now_ms);
        self.note_state(now_ms);
    }

    fn expire_assignment(&mut self, now_ms: i64) {
        if let Some(a) = self.assignment {
            let inside = self
                .position(now_ms)
                .is_none_or(|p| in_area(&a.area, p.lat, p.lon));
            if now_ms >= a.until_ms || !inside {
                self.assignment = None;
                let reason = if inside {
                    "assignment lapsed"
                } else {
                    "left the assigned area"
                };
                self.events.push(ClientEvent::IntervalAssigned {
                    at_ms: now_ms,
                    interval_ms: None,
                    reason: reason.into(),
                });
            }
        }
    }

    fn smart_step(&mut self, now_ms: i64) {
        if !self.config.smart {
            return;
        }
        if !self.started && self.smart.state == SmartState::Off {
            self.started = true;
            self.smart.state = SmartState::SigningOn { tries: 0 };
            self.send_sign(true, now_ms);
            return;
        }
        if let SmartState::SigningOn { tries } = self.smart.state
            && now_ms >= self.smart.sent_ms + ANSWER_TIMEOUT_MS
        {
            if tries >= SMART_TRIES {
                self.smart.state = SmartState::Disabled;
                self.smart.timestamp = None;
                self.config.smart = false;
                self.events.push(ClientEvent::SmartDisabled {
                    at_ms: now_ms,
                    reason: format!(
                        "no acknowledgement of sign-on after {SMART_TRIES} tries: \
                         the server may not support smart AI-IP"
                    ),
                });
            } else {
                self.send_sign(true, now_ms);
            }
        }
    }

    /// Sends a sign-on (`true`) or sign-off. A sign-on keeps its first
    /// timestamp through its tries, so a late acknowledgement still counts.
    fn send_sign(&mut self, on: bool, now_ms: i64) {
        let Ok(now_ts) = Timestamp::from_unix_ms(now_ms) else {
            self.stats.encode_failures += 1;
            return;
        };
        let identifier = Identifier::mmsi(self.config.own_mmsi);
        let m = if on {
            let timestamp = *self.smart.timestamp.get_or_insert(now_ts);
            if let SmartState::SigningOn { tries } = &mut self.smart.state {
                *tries += 1;
            }
            self.smart.sent_ms = now_ms;
            Message::SignOn {
                timestamp,
                identifier,
            }
        } else {
            Message::SignOff {
                timestamp: now_ts,
                identifier,
            }
        };
        match codec::encode(&m) {
            Ok(b) => self.emit(b),
            Err(_) => self.stats.encode_failures += 1,
        }
    }

    fn retry_step(&mut self, now_ms: i64) {
        let Some(p) = self.pending.clone() else {
            return;
        };
        if now_ms < p.sent_ms + ANSWER_TIMEOUT_MS {
            return;
        }
        if p.resends >= MAX_RESENDS {
            self.pending = None;
            self.no_answer = true;
            self.stats.unanswered += 1;
            return;
        }
        let resends = p.resends + 1;
        let kind = p.kind.clone();
        let bytes = match kind {
            // The position report is resent with the latest position.
            RequestKind::Push => match self.push_request(now_ms) {
                Some(b) => b,
                None => p.bytes,
            },
            RequestKind::Detail | RequestKind::Location => p.bytes,
        };
        self.stats.resends += 1;
        self.pending = Some(Pending {
            kind,
            bytes: bytes.clone(),
            sent_ms: now_ms,
            resends,
        });
        self.emit(bytes);
    }

    fn report_step(&mut self, now_ms: i64) {
        if self.pending.is_some() || self.position(now_ms).is_none() {
            return;
        }
        let revalidate = std::mem::take(&mut self.revalidate_due);
        if !revalidate && now_ms < self.next_report_ms(now_ms) {
            return;
        }
        let Some(bytes) = self.push_request(now_ms) else {
            return;
        };
        if revalidate {
            self.stats.revalidations += 1;
            self.last_revalidate_ms = Some(now_ms);
        }
        self.last_report_ms = Some(now_ms);
        if self.config.mode.requests_vessels() {
            self.pending = Some(Pending {
                kind: RequestKind::Push,
                bytes: bytes.clone(),
                sent_ms: now_ms,
                resends: 0,
            });
        }
        self.emit(bytes);
        // §3.3.3.6/§3.3.3.13: ask for static data of vessels heard without.
        if self.config.mode == Mode::TacticalOnBoard {
            self.queue_detail(now_ms);
        }
    }

    fn queue_detail(&mut self, now_ms: i64) {
        // Vessels not heard for a while are forgotten (and not asked for).
        self.heard
            .retain(|_, h| now_ms.saturating_sub(h.heard_ms) < HEARD_MAX_AGE_MS);
        if self.queue.iter().any(|q| matches!(q, Queued::Detail(_))) {
            return;
        }
        let wanted: Vec<u32> = self
            .heard
            .iter()
            .filter(|(_, h)| {
                !h.has_static
                    && h.asked_ms
                        .is_none_or(|t| now_ms.saturating_sub(t) >= DETAIL_RETRY_MS)
            })
            .map(|(m, _)| *m)
            .take(usize::from(u8::MAX))
            .collect();
        if !wanted.is_empty() {
            self.queue.push_back(Queued::Detail(wanted));
        }
    }

    fn queue_step(&mut self, now_ms: i64) {
        while self.pending.is_none() {
            let Some(q) = self.queue.pop_front() else {
                return;
            };
            match q {
                Queued::Plain(b) => self.emit(b),
                Queued::Detail(mmsis) => {
                    if self.config.mode != Mode::TacticalOnBoard {
                        continue;
                    }
                    for m in &mmsis {
                        if let Some(h) = self.heard.get_mut(m) {
                            h.asked_ms = Some(now_ms);
                        }
                    }
                    let m = Message::RequestDetail {
                        identifiers: mmsis.iter().map(|&m| Identifier::mmsi(m)).collect(),
                    };
                    self.send_request(RequestKind::Detail, &m, now_ms);
                }
                Queued::Location(flags) => {
                    let Ok(timestamp) = Timestamp::from_unix_ms(now_ms) else {
                        self.stats.encode_failures += 1;
                        continue;
                    };
                    let m = Message::RequestLocation { timestamp, flags };
                    self.send_request(RequestKind::Location, &m, now_ms);
                }
            }
        }
    }

    fn send_request(&mut self, kind: RequestKind, m: &Message, now_ms: i64) {
        match codec::encode(m) {
            Ok(bytes) => {
                self.pending = Some(Pending {
                    kind,
                    bytes: bytes.clone(),
                    sent_ms: now_ms,
                    resends: 0,
                });
                self.emit(bytes);
            }
            Err(_) => self.stats.encode_failures += 1,
        }
    }

    fn note_state(&mut self, now_ms: i64) {
        let state = self.state(now_ms);
        if self.last_state.as_ref() != Some(&state) {
            self.last_state = Some(state.clone());
            self.events.push(ClientEvent::StateChanged {
                at_ms: now_ms,
                state,
            });
        }
    }

    // -- building own messages ------------------------------------------------

    /// Own position report as VDM sentences: message 3 while an interval is
    /// assigned, message 1 otherwise.
    fn own_report_sentences(&mut self, now_ms: i64) -> Option<Vec<String>> {
        let p = self.position(now_ms)?;
        let msg_type = if self.active_assignment(now_ms).is_some() {
            3
        } else {
            1
        };
        let m = own_position_message(self.config.own_mmsi, msg_type, self.nav_status, &p, now_ms);
        let seq = self.next_seq();
        match relay_vdm(&m, seq) {
            Ok(s) => Some(s),
            Err(_) => {
                self.stats.encode_failures += 1;
                None
            }
        }
    }

    fn static_sentences(&mut self) -> Vec<String> {
        let Some(data) = self.own_static else {
            return Vec::new();
        };
        let mmsi = self.config.own_mmsi;
        let mut messages = vec![AisMessage {
            msg_type: 5,
            repeat: 0,
            mmsi,
            body: Body::StaticVoyage(Box::new(data.voyage)),
        }];
        if let Some(inland) = data.inland {
            messages.push(AisMessage {
                msg_type: 8,
                repeat: 0,
                mmsi,
                body: Body::BroadcastBinary(Box::new(BroadcastBinary {
                    dac: 200,
                    fid: 10,
                    app: BroadcastApp::InlandStatic(inland),
                })),
            });
        }
        let mut out = Vec::new();
        for m in &messages {
            let seq = self.next_seq();
            match relay_vdm(m, seq) {
                Ok(s) => out.extend(s),
                Err(_) => self.stats.encode_failures += 1,
            }
        }
        out
    }

    /// The message-1 datagram of a report: own position, static data when
    /// due (every report in strategic mode, §3.3.3.6), and the range when
    /// the mode asks for vessels.
    fn push_request(&mut self, now_ms: i64) -> Option<Vec<u8>> {
        let mut sentences = self.own_report_sentences(now_ms)?;
        if self.static_due(now_ms)
            || (self.config.mode == Mode::Strategic && self.own_static.is_some())
        {
            sentences.extend(self.static_sentences());
            self.static_sent_ms = Some(now_ms);
            self.static_changed = false;
        }
        let range = if self.config.mode.requests_vessels() {
            u8::try_from(self.config.range_km)
                .ok()
                .and_then(RangeKm::new)
        } else {
            None
        };
        match self.push_bytes(&sentences, range, now_ms) {
            Ok(b) => Some(b),
            Err(_) => {
                self.stats.encode_failures += 1;
                None
            }
        }
    }

    fn push_bytes(
        &self,
        sentences: &[String],
        range: Option<RangeKm>,
        now_ms: i64,
    ) -> Result<Vec<u8>, String> {
        let timestamp = Timestamp::from_unix_ms(now_ms).map_err(|e| e.to_string())?;
        let content = self.content_with_token(sentences)?;
        codec::encode(&Message::PushRequest {
            timestamp,
            content,
            range,
        })
        .map_err(|e| e.to_string())
    }

    fn smart_bytes(
        &self,
        sentences: &[String],
        selector: Selector,
        now_ms: i64,
    ) -> Result<Vec<u8>, String> {
        let timestamp = Timestamp::from_unix_ms(now_ms).map_err(|e| e.to_string())?;
        let content = self.content_with_token(sentences)?;
        let km = u8::try_from(self.config.range_km)
            .ok()
            .and_then(RangeKm::new)
            .ok_or_else(|| format!("range {} km", self.config.range_km))?;
        codec::encode(&Message::SmartRequest {
            timestamp,
            content,
            range: km,
            selector,
        })
        .map_err(|e| e.to_string())
    }

    /// Own sentences, then the server's token when we hold one (after the
    /// position report, which the server takes as the reporter).
    fn content_with_token(&self, sentences: &[String]) -> Result<Content, String> {
        let mut all: Vec<&str> = sentences.iter().map(String::as_str).collect();
        if let Some(t) = &self.token {
            all.push(t);
        }
        Content::from_sentences(&all).map_err(|e| e.to_string())
    }

    /// A token sentence in an answer: kept to be echoed; when it says the
    /// answer was cut, the request goes again at once (once per
    /// [`REVALIDATE_MS`]) and static data cut off are asked for again.
    fn token_received(&mut self, sentence: &str, now_ms: i64) {
        let Some(token) = super::validation::parse(sentence) else {
            self.stats.bad_sentences += 1;
            return;
        };
        self.stats.tokens += 1;
        self.token = Some(sentence.to_owned());
        if token.limited {
            self.stats.limited_answers += 1;
            for h in self.heard.values_mut().filter(|h| !h.has_static) {
                h.asked_ms = None;
            }
            let reporting = matches!(
                self.pending.as_ref().map(|p| &p.kind),
                Some(RequestKind::Push)
            );
            if reporting
                && self.config.mode.requests_vessels()
                && self
                    .last_revalidate_ms
                    .is_none_or(|t| now_ms.saturating_sub(t) >= REVALIDATE_MS)
            {
                self.revalidate_due = true;
            }
        }
    }

    // -- answers ---------------------------------------------------------------

    fn response(&mut self, flags: Flags, content: &Content, now_ms: i64) {
        // Flags: local information waits (§3.3.3.5, §3.3.3.12).
        let info = flags.difference(Flags::FINAL);
        if !info.is_empty() && !self.queue.iter().any(|q| matches!(q, Queued::Location(_))) {
            let asking = matches!(
                self.pending.as_ref().map(|p| &p.kind),
                Some(RequestKind::Location)
            );
            if !asking {
                self.queue.push_back(Queued::Location(info));
            }
        }
        let mut received = Vec::new();
        for s in content.sentences() {
            if super::validation::is_token_sentence(s) {
                self.token_received(s, now_ms);
                continue;
            }
            match self.stream.push_line(s.as_bytes(), now_ms) {
                Ok(Outcome::Ais(r)) => received.push(r),
                Ok(Outcome::Fragment) | Ok(Outcome::Other(_)) => {}
                Err(_) => self.stats.bad_sentences += 1,
            }
        }
        for r in received {
            self.received(r, now_ms);
        }
    }

    fn received(&mut self, r: Received, now_ms: i64) {
        let own = self.config.own_mmsi;
        let mmsi = r.msg.mmsi;
        let kind = match &r.msg.body {
            Body::Position(_) | Body::ClassB(_) | Body::ClassBExtended(_) => {
                Some(VesselKind::Position)
            }
            Body::StaticVoyage(_) | Body::StaticData(_) => Some(VesselKind::Static),
            Body::BroadcastBinary(b) if matches!(b.app, BroadcastApp::InlandStatic(_)) => {
                Some(VesselKind::Static)
            }
            _ => None,
        };
        if let Some(kind) = kind {
            if mmsi == own {
                self.stats.ais_ignored += 1;
                return;
            }
            if kind == VesselKind::Static && self.config.mode == Mode::Strategic {
                self.stats.static_withheld += 1;
                return;
            }
            if self.heard.len() < MAX_HEARD || self.heard.contains_key(&mmsi) {
                let h = self.heard.entry(mmsi).or_default();
                h.heard_ms = h.heard_ms.max(now_ms);
                if kind == VesselKind::Static {
                    h.has_static = true;
                }
            }
            match kind {
                VesselKind::Position => self.stats.positions += 1,
                VesselKind::Static => self.stats.static_data += 1,
            }
            self.events.push(ClientEvent::Vessel(VesselData {
                at_ms: now_ms,
                kind,
                received: r,
            }));
            return;
        }
        match &r.msg.body {
            Body::AddressedBinary(b) => {
                if let AddressedApp::InlandRta(rta) = &b.app {
                    if b.dest_mmsi == own {
                        self.events.push(ClientEvent::Rta(RtaReceived {
                            at_ms: now_ms,
                            from: mmsi,
                            to: b.dest_mmsi,
                            location: rta.location,
                            rta: rta.rta,
                            status: rta.status,
                        }));
                    } else {
                        self.stats.ais_ignored += 1;
                    }
                } else if b.dest_mmsi == own {
                    self.events.push(ClientEvent::LocalInfo {
                        at_ms: now_ms,
                        received: r,
                    });
                } else {
                    self.stats.ais_ignored += 1;
                }
            }
            Body::BroadcastBinary(b) => match &b.app {
                BroadcastApp::EmmaWarning(w) => self.events.push(ClientEvent::Emma {
                    at_ms: now_ms,
                    from: mmsi,
                    warning: *w,
                }),
                BroadcastApp::WaterLevels(l) => self.events.push(ClientEvent::WaterLevels {
                    at_ms: now_ms,
                    from: mmsi,
                    levels: *l,
                }),
                _ => self.events.push(ClientEvent::LocalInfo {
                    at_ms: now_ms,
                    received: r,
                }),
            },
            Body::GroupAssignment(g) => self.assign(*g, now_ms),
            Body::AidToNavigation(_) | Body::SafetyBroadcast { .. } => {
                self.events.push(ClientEvent::LocalInfo {
                    at_ms: now_ms,
                    received: r,
                })
            }
            Body::SafetyAddressed(s) if s.dest_mmsi == own => {
                self.events.push(ClientEvent::LocalInfo {
                    at_ms: now_ms,
                    received: r,
                })
            }
            _ => self.stats.ais_ignored += 1,
        }
    }

    /// Message 23 (§3.3.3.11–12, §3.3.4.11): a new reporting interval while
    /// own ship is inside its area.
    fn assign(&mut self, g: GroupAssignment, now_ms: i64) {
        let Some(p) = self.position(now_ms) else {
            self.stats.ais_ignored += 1;
            return;
        };
        if !in_area(&g, p.lat, p.lon) {
            self.stats.ais_ignored += 1;
            return;
        }
        let autonomous = self.autonomous_interval_ms(now_ms);
        match assigned_interval_ms(g.interval, autonomous) {
            None => self.stats.ais_ignored += 1,
            Some(None) => {
                if self.assignment.take().is_some() {
                    self.events.push(ClientEvent::IntervalAssigned {
                        at_ms: now_ms,
                        interval_ms: None,
                        reason: "message 23: autonomous mode".into(),
                    });
                }
            }
            Some(Some(ms)) => {
                self.assignment = Some(Assignment {
                    interval_ms: ms,
                    until_ms: now_ms + ASSIGNMENT_MS,
                    area: g,
                });
                self.events.push(ClientEvent::IntervalAssigned {
                    at_ms: now_ms,
                    interval_ms: Some(ms),
                    reason: format!("message 23: report every {} s", ms as f64 / 1000.0),
                });
            }
        }
    }
}

/// Own position report (message 1 or 3) from `p` at `now_ms`.
pub fn own_position_message(
    mmsi: u32,
    msg_type: u8,
    nav_status: u8,
    p: &OwnPosition,
    now_ms: i64,
) -> AisMessage {
    let speed = p
        .sog_kn
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(1023, |s| ((s * 10.0).round() as u16).min(1022));
    let course = p.cog_deg.filter(|c| c.is_finite()).map_or(3600, |c| {
        ((c.rem_euclid(360.0) * 10.0).round() as u16) % 3600
    });
    let heading = p
        .heading_deg
        .filter(|h| h.is_finite())
        .map_or(511, |h| (h.rem_euclid(360.0).round() as u16) % 360);
    AisMessage {
        msg_type,
        repeat: 0,
        mmsi,
        body: Body::Position(PositionReport {
            status: nav_status.min(15),
            turn: -128,
            speed,
            accuracy: false,
            lon: (p.lon * 600_000.0).round() as i32,
            lat: (p.lat * 600_000.0).round() as i32,
            course,
            heading,
            second: (now_ms.rem_euclid(60_000) / 1000) as u8,
            maneuver: 0,
            spare: 0,
            raim: false,
            radio: 0,
        }),
    }
}

/// Whether (lat, lon) lies in the rectangle of a message 23 (corners in
/// 1/10 minute). An area across the antimeridian (sw east of ne) wraps.
fn in_area(g: &GroupAssignment, lat: f64, lon: f64) -> bool {
    let deg = |v: i32| f64::from(v) / 600.0;
    let (s, n) = (deg(g.sw_lat), deg(g.ne_lat));
    let (w, e) = (deg(g.sw_lon), deg(g.ne_lon));
    let lat_ok = lat >= s.min(n) && lat <= s.max(n);
    let lon_ok = if w <= e {
        lon >= w && lon <= e
    } else {
        lon >= w || lon <= e
    };
    lat_ok && lon_ok
}

fn angle_diff(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(360.0);
    d.min(360.0 - d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_parses_and_prints() {
        for m in Mode::ALL {
            assert_eq!(m.as_str().parse::<Mode>(), Ok(m));
        }
        assert!("harbour".parse::<Mode>().is_err());
    }

    #[test]
    fn interval_table() {
        assert_eq!(class_a_interval_ms(Some(0.1), 5, false), 180_000);
        assert_eq!(class_a_interval_ms(Some(5.0), 5, false), 10_000);
        assert_eq!(class_a_interval_ms(Some(10.0), 0, false), 10_000);
        assert_eq!(class_a_interval_ms(Some(10.0), 0, true), 3_333);
        assert_eq!(class_a_interval_ms(Some(20.0), 0, false), 6_000);
        assert_eq!(class_a_interval_ms(Some(20.0), 0, true), 2_000);
        assert_eq!(class_a_interval_ms(Some(30.0), 0, false), 2_000);
        assert_eq!(class_a_interval_ms(None, 0, false), 10_000);
    }

    #[test]
    fn assigned_codes() {
        assert_eq!(assigned_interval_ms(0, 10_000), Some(None));
        assert_eq!(assigned_interval_ms(8, 10_000), Some(Some(5_000)));
        assert_eq!(assigned_interval_ms(9, 10_000), Some(Some(5_000)));
        assert_eq!(assigned_interval_ms(10, 10_000), Some(Some(15_000)));
        assert_eq!(assigned_interval_ms(11, 10_000), Some(Some(2_000)));
        assert_eq!(assigned_interval_ms(12, 10_000), None);
    }
}
