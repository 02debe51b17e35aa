//! The AI-IP server core (§3.3.4): one datagram in, the reply datagrams out.
//!
//! Sans-I/O like the rest of [`crate::aiip`]: no sockets, no clock. The
//! caller passes each datagram with its source (any hashable key, a
//! `SocketAddr` for the UDP loop in `link::aiip_server`) and the time, and
//! sends the returned `(destination, bytes)` pairs. Nothing here panics on
//! outside data: every failure is counted in [`ServerStats`].
//!
//! How each message is answered is written down in docs/aiip.md ("The
//! server").

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};

use super::codec::{
    self, Content, Flags, IdentifierType, MAX_CONTENT, MAX_DATAGRAM, Message, Selector,
    split_response,
};
use super::local_info::LocalInfo;
use super::store::{
    DirectedMessage, GeoPoint, InMemoryStore, Mmsi, PositionRecord, SquareRange, StaticRecord,
    StoreLimits, VesselStore,
};
use super::validation::{self, Cidr, Secret, SourceAddress, TOKEN_LIFETIME_MS, TOKEN_RENEW_MS};
use crate::ais::application::{AddressedApp, BroadcastApp, DayTime, InlandEta, InlandRta};
use crate::ais::messages::{AddressedBinary, StaticDataReport};
use crate::ais::stream::{AisStream, Outcome};
use crate::ais::{AisMessage, Body, encode};

/// Position reports older than this are deleted (§3.3.4.14): ten minutes,
/// three times the slowest inland reporting interval of a moving vessel
/// (3 min at anchor for class A), so a vessel that stops reporting leaves
/// the picture after a few missed reports.
pub const DEFAULT_POSITION_MAX_AGE_MS: i64 = 10 * 60 * 1000;

/// How often obsolete positions are looked for, at most.
const PURGE_INTERVAL_MS: i64 = 1000;

/// A source idle this long is forgotten when room is needed.
const SOURCE_IDLE_MS: i64 = 60 * 1000;

/// Toward a source that has not proven its address, at most this many times
/// the bytes received from it are sent (RFC 9000 §8.1's factor).
pub const AMPLIFICATION_FACTOR: u64 = 3;

/// The largest answer to one request: 128 KiB (16 full message-4
/// datagrams, some 2,700 position reports).
pub const MAX_ANSWER_BYTES: u64 = 128 * 1024;

/// Answer bytes a source may receive per second on average …
pub const ANSWER_BYTES_PER_S: u64 = 128 * 1024;

/// … and at once after a quiet spell.
pub const ANSWER_BURST_BYTES: u64 = 256 * 1024;

/// Directed messages for a vessel are handed only to the address that
/// reported its positions within this time; it is also the window in
/// which a vessel reporting from another address is checked for a jump.
pub const REPORTER_WINDOW_MS: i64 = 10 * 60 * 1000;

/// The fastest a vessel is taken to move: 60 kn (a high-speed craft; inland
/// vessels make 10–20 kn) …
pub const MAX_SPEED_M_S: f64 = 60.0 * 1852.0 / 3600.0;

/// … plus this distance, for GNSS error and reports crossing on the way.
pub const JUMP_SLACK_M: f64 = 1000.0;

/// How often the address → vessel table is cleared of stale entries.
const REPORTER_PURGE_MS: i64 = 60 * 1000;

/// How often the position of a signed-off vessel is renewed and relayed
/// (§3.3.4.12–13): the reporting interval of a class A vessel at anchor or
/// moored, which is what a signed-off vessel usually is.
pub const RENEW_INTERVAL_MS: i64 = 3 * 60 * 1000;

/// The feature sets of §3.3.4 a server offers; the function matrix of
/// §3.3.4.15 decides what each turns on. A function that is mandatory or
/// recommended in any offered set is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Features {
    /// Minimal: listen and relay to the external system (always offered).
    pub minimal: bool,
    /// Base station: local information, directed messages, update rates.
    pub base_station: bool,
    /// Traffic on board: latest information and the range search.
    pub traffic_on_board: bool,
    /// Smart AI-IP: sign-on/off, search by status, renewing signed-off
    /// vessels.
    pub smart: bool,
}

impl Default for Features {
    fn default() -> Self {
        Features::ALL
    }
}

impl Features {
    /// Every feature set.
    pub const ALL: Features = Features {
        minimal: true,
        base_station: true,
        traffic_on_board: true,
        smart: true,
    };

    /// Parse a comma-separated list: `minimal`, `base-station`,
    /// `traffic-on-board`, `smart`, or `all`. The minimal set is always
    /// included.
    pub fn parse(s: &str) -> Result<Features, String> {
        let mut f = Features {
            minimal: true,
            base_station: false,
            traffic_on_board: false,
            smart: false,
        };
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part {
                "all" => f = Features::ALL,
                "minimal" => {}
                "base-station" => f.base_station = true,
                "traffic-on-board" => f.traffic_on_board = true,
                "smart" => f.smart = true,
                other => {
                    return Err(format!(
                        "unknown feature set {other:?}: minimal, base-station, \
                         traffic-on-board, smart or all"
                    ));
                }
            }
        }
        Ok(f)
    }

    /// §3.3.4.5, §3.3.4.7, §3.3.4.14: positions and static data are kept
    /// and searched.
    pub fn keeps_traffic(self) -> bool {
        self.traffic_on_board || self.smart
    }

    /// §3.3.4.6, §3.3.4.9–11: local information and directed messages
    /// (mandatory for a base station, recommended for the others).
    pub fn base_functions(self) -> bool {
        self.base_station || self.traffic_on_board || self.smart
    }
}

/// The lock answering ETAs by itself (`--auto-rta`, `--lock-mmsi`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoRta {
    /// MMSI of the lock (or bridge, terminal): ETAs addressed to it get an RTA.
    pub lock_mmsi: Mmsi,
    /// RTA = ETA + this many minutes.
    pub minutes: u32,
}

/// Settings of a [`Server`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerConfig {
    /// Datagrams per second each source may send on average.
    pub rate_per_s: u32,
    /// Datagrams a source may send at once after a quiet spell.
    pub burst: u32,
    /// Sources remembered at once (rate buckets and signed-on MMSIs).
    pub max_sources: usize,
    /// Age after which a position report is deleted (§3.3.4.14).
    pub position_max_age_ms: i64,
    /// Answer ETAs addressed to a lock with an RTA.
    pub auto_rta: Option<AutoRta>,
    /// Bounds of the store.
    pub store_limits: StoreLimits,
    /// The feature sets offered (§3.3.4).
    pub features: Features,
    /// Relay received AIS messages to an external system (§3.3.4.3): they
    /// are collected for [`Server::take_relay`].
    pub relay: bool,
    /// Anti-amplification (docs/aiip.md, "Address validation"): toward a
    /// source outside the allow list that has not echoed a valid token, at
    /// most [`AMPLIFICATION_FACTOR`] times the bytes received. `false`
    /// treats every source as allowed (in-memory harnesses).
    pub validate_addresses: bool,
    /// Answer bytes each source may be sent per second on average
    /// ([`ANSWER_BYTES_PER_S`]) …
    pub answer_bytes_per_s: u64,
    /// … and at once ([`ANSWER_BURST_BYTES`]).
    pub answer_burst_bytes: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            rate_per_s: 20,
            burst: 40,
            max_sources: 10_000,
            position_max_age_ms: DEFAULT_POSITION_MAX_AGE_MS,
            auto_rta: None,
            store_limits: StoreLimits::default(),
            features: Features::ALL,
            relay: false,
            validate_addresses: true,
            answer_bytes_per_s: ANSWER_BYTES_PER_S,
            answer_burst_bytes: ANSWER_BURST_BYTES,
        }
    }
}

/// What the server has seen, counted by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerStats {
    /// Datagrams received.
    pub datagrams: u64,
    /// Reply datagrams produced.
    pub replies: u64,
    /// Datagrams larger than [`MAX_DATAGRAM`], dropped unread.
    pub oversized: u64,
    /// Datagrams dropped because their source exceeded its rate.
    pub rate_limited: u64,
    /// Datagrams dropped because too many sources were active at once.
    pub sources_full: u64,
    /// Datagrams that did not decode, by reason (`truncated`, `unknown_id` …).
    pub rejected: BTreeMap<&'static str, u64>,
    /// Messages decoded, by AI-IP message ID.
    pub messages: BTreeMap<u8, u64>,
    /// Messages 22 (smart request) answered.
    pub smart_requests: u64,
    /// Messages a feature set that is not offered would answer.
    pub feature_off: u64,
    /// Local information items delivered (message 3).
    pub local_delivered: u64,
    /// Positions of signed-off vessels renewed (§3.3.4.12).
    pub renewed: u64,
    /// AIS sentences handed over for the external system (§3.3.4.3).
    pub relayed: u64,
    /// Messages only a server sends (4, 23) received from a client.
    pub unexpected: u64,
    /// Sentences in content that did not decode to an AIS message.
    pub bad_sentences: u64,
    /// AIS messages of a kind the server does not keep (e.g. message 4).
    pub ais_ignored: u64,
    /// Position reports stored.
    pub positions: u64,
    /// Static data stored.
    pub static_data: u64,
    /// Directed messages stored.
    pub directed_stored: u64,
    /// Directed messages delivered (message 3).
    pub directed_delivered: u64,
    /// RTAs made by `--auto-rta`.
    pub auto_rtas: u64,
    /// Data the store refused because a bound was reached.
    pub store_refused: u64,
    /// Range requests from a vessel whose position is unknown.
    pub range_without_position: u64,
    /// Position reports deleted as obsolete.
    pub obsolete_deleted: u64,
    /// Replies that could not be encoded.
    pub encode_failures: u64,
    /// Bytes received (datagrams admitted).
    pub bytes_in: u64,
    /// Bytes sent.
    pub bytes_out: u64,
    /// Sources that proved their address with a token.
    pub validated: u64,
    /// Tokens not taken, by reason (`forged`, `expired`, …).
    pub token_refused: BTreeMap<&'static str, u64>,
    /// Answers cut to the anti-amplification budget of an unvalidated
    /// source.
    pub unvalidated_limited: u64,
    /// Answers cut to [`MAX_ANSWER_BYTES`].
    pub answer_truncated: u64,
    /// Answers cut to the per-second byte budget of the source.
    pub answer_rate_limited: u64,
    /// Requests for directed messages from an address that did not report
    /// the vessel's positions in the last ten minutes.
    pub directed_withheld: u64,
    /// Position reports whose MMSI jumped from another address faster than
    /// a vessel moves: not stored.
    pub mmsi_jumps: u64,
    /// Position reports from an address that has not proven it receives
    /// (neither validated nor allowed) for a vessel a validated or allowed
    /// address reports: not stored, the reporter stays.
    pub takeover_refused: u64,
    /// Unvalidated source records forgotten, oldest first, to make room
    /// when the source table was full.
    pub sources_evicted: u64,
}

impl ServerStats {
    /// The refusals of a server on a public address, for the one-line
    /// status (`name=count`, every one, zero or not).
    pub fn guard_counts(&self) -> String {
        let refused: u64 = self.token_refused.values().sum();
        let rejected: u64 = self.rejected.values().sum();
        format!(
            "bytes_in={} bytes_out={} validated={} token_refused={refused} \
             unvalidated_limited={} answer_truncated={} answer_rate_limited={} \
             rate_limited={} sources_full={} sources_evicted={} directed_withheld={} \
             mmsi_jumps={} takeover_refused={} oversized={} rejected={rejected}",
            self.bytes_in,
            self.bytes_out,
            self.validated,
            self.unvalidated_limited,
            self.answer_truncated,
            self.answer_rate_limited,
            self.rate_limited,
            self.sources_full,
            self.sources_evicted,
            self.directed_withheld,
            self.mmsi_jumps,
            self.takeover_refused,
            self.oversized,
        )
    }
}

impl fmt::Display for ServerStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "datagrams={} replies={} oversized={} rate_limited={} sources_full={}",
            self.datagrams, self.replies, self.oversized, self.rate_limited, self.sources_full
        )?;
        write!(f, " rejected={}", self.rejected.values().sum::<u64>())?;
        for (kind, n) in &self.rejected {
            write!(f, " rejected_{kind}={n}")?;
        }
        for (id, n) in &self.messages {
            write!(f, " message_{id}={n}")?;
        }
        write!(
            f,
            " smart_requests={} feature_off={} local_delivered={} renewed={} relayed={} \
             unexpected={} bad_sentences={} ais_ignored={} \
             positions={} static_data={} directed_stored={} directed_delivered={} \
             auto_rtas={} store_refused={} range_without_position={} obsolete_deleted={} \
             encode_failures={} bytes_in={} bytes_out={} validated={}",
            self.smart_requests,
            self.feature_off,
            self.local_delivered,
            self.renewed,
            self.relayed,
            self.unexpected,
            self.bad_sentences,
            self.ais_ignored,
            self.positions,
            self.static_data,
            self.directed_stored,
            self.directed_delivered,
            self.auto_rtas,
            self.store_refused,
            self.range_without_position,
            self.obsolete_deleted,
            self.encode_failures,
            self.bytes_in,
            self.bytes_out,
            self.validated,
        )?;
        write!(
            f,
            " token_refused={}",
            self.token_refused.values().sum::<u64>()
        )?;
        for (kind, n) in &self.token_refused {
            write!(f, " token_refused_{kind}={n}")?;
        }
        write!(
            f,
            " unvalidated_limited={} answer_truncated={} answer_rate_limited={} \
             directed_withheld={} mmsi_jumps={} takeover_refused={} sources_evicted={}",
            self.unvalidated_limited,
            self.answer_truncated,
            self.answer_rate_limited,
            self.directed_withheld,
            self.mmsi_jumps,
            self.takeover_refused,
            self.sources_evicted
        )
    }
}

/// What the server remembers about one source address (IP and port).
#[derive(Debug, Clone)]
struct Source {
    /// When it last sent a datagram that was admitted.
    last_ms: i64,
    /// The vessel behind the address: from its sign-on or its last report.
    mmsi: Option<Mmsi>,
    /// Bytes received from it and sent to it (the anti-amplification
    /// budget while it is not validated).
    bytes_in: u64,
    bytes_out: u64,
    /// Validated until then (ms): the issue time of the token it echoed
    /// plus [`TOKEN_LIFETIME_MS`]; 0 = never.
    validated_until: i64,
    /// When the token it echoed last was issued.
    token_issued_ms: i64,
}

/// The budgets of one host (an IP address, every port together): the
/// datagram rate and the answer bytes per second.
#[derive(Debug, Clone)]
struct Host {
    /// Token bucket, in thousandths of a datagram.
    milli_tokens: u64,
    last_ms: i64,
    /// Answer byte bucket ([`ANSWER_BYTES_PER_S`], [`ANSWER_BURST_BYTES`]).
    answer_bytes: u64,
    answer_last_ms: i64,
}

/// Who last reported a vessel's positions, from where and when.
#[derive(Debug, Clone)]
struct Reporter<A> {
    addr: A,
    at_ms: i64,
    position: GeoPoint,
    /// The address was validated or allowed when it reported.
    trusted: bool,
}

/// How a source stands with respect to address validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// In the allow list (or validation off): no token, no budget.
    Allowed,
    /// Echoed a valid token issued then (ms).
    Validated { token_issued_ms: i64 },
    /// Neither: answers within the anti-amplification budget.
    Unvalidated,
}

/// Why an answer was cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    Request,
    Rate,
    Amplification,
}

/// A great-circle distance in metres (haversine, mean Earth radius): to
/// tell a jump from a voyage, metres do not matter.
fn distance_m(a: GeoPoint, b: GeoPoint) -> f64 {
    let (la1, la2) = (a.lat_deg.to_radians(), b.lat_deg.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon_deg - a.lon_deg).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * h.sqrt().min(1.0).asin()
}

/// The bytes the message-4 datagrams of `content_len` content bytes take
/// at most: a datagram holds at least [`MAX_CONTENT`] less one sentence
/// (82 characters and its CR), plus its 3-byte header.
fn answer_bytes_bound(content_len: usize) -> u64 {
    let per = MAX_CONTENT - 83;
    (content_len + 3 * (content_len / per + 1)) as u64
}

/// Which static data a message is, so a new one replaces only its own kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StaticKind {
    Voyage5,
    InlandFi10,
    Part24A,
    Part24B,
}

fn static_kind(m: &AisMessage) -> Option<StaticKind> {
    match &m.body {
        Body::StaticVoyage(_) => Some(StaticKind::Voyage5),
        Body::BroadcastBinary(b) if matches!(b.app, BroadcastApp::InlandStatic(_)) => {
            Some(StaticKind::InlandFi10)
        }
        Body::StaticData(s) => Some(match **s {
            StaticDataReport::PartA { .. } => StaticKind::Part24A,
            StaticDataReport::PartB { .. } => StaticKind::Part24B,
        }),
        _ => None,
    }
}

/// The AIS messages in `sentences`, each with the sentences it came in
/// (joined by CR), and how many sentences failed.
fn ais_messages<'a>(
    sentences: impl Iterator<Item = &'a str>,
    now_ms: i64,
) -> (Vec<(AisMessage, String)>, u64) {
    let mut stream = AisStream::new();
    let mut pending: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    let mut bad = 0;
    for s in sentences {
        match stream.push_line(s.as_bytes(), now_ms) {
            Ok(Outcome::Ais(r)) => {
                pending.push(s);
                // Keep only this message's own fragments (field 1 of the
                // VDM sentence: how many there are).
                let total = s
                    .split(',')
                    .nth(1)
                    .and_then(|t| t.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, pending.len());
                let text = pending[pending.len() - total..].join("\r");
                pending.clear();
                out.push((r.msg, text));
            }
            Ok(Outcome::Fragment) => pending.push(s),
            Ok(Outcome::Other(_)) => {}
            Err(_) => {
                bad += 1;
                pending.clear();
            }
        }
    }
    (out, bad)
}

/// The AI-IP server core. `A` is the source/destination key (an address).
#[derive(Debug)]
pub struct Server<A> {
    config: ServerConfig,
    store: InMemoryStore,
    stats: ServerStats,
    sources: HashMap<A, Source>,
    /// Rate and answer budgets by IP address ([`SourceAddress::token_bytes`]).
    hosts: HashMap<Vec<u8>, Host>,
    last_purge_ms: Option<i64>,
    rta_seq: u8,
    local: Vec<LocalInfo>,
    /// Signed-off vessels (§3.3.4.12) and when each was last renewed.
    signed_off: BTreeMap<Mmsi, i64>,
    relay: Vec<String>,
    /// The key of the address-validation tokens.
    secret: Secret,
    /// Networks exempt from address validation (`--allow`).
    allow: Vec<Cidr>,
    /// Who reported each vessel's positions last (directed messages, jumps).
    reporters: HashMap<Mmsi, Reporter<A>>,
    last_reporter_purge_ms: i64,
}

impl<A: SourceAddress> Server<A> {
    /// A server with an empty store and a random token secret.
    pub fn new(config: ServerConfig) -> Self {
        Self {
            config,
            store: InMemoryStore::new(config.store_limits),
            stats: ServerStats::default(),
            sources: HashMap::new(),
            hosts: HashMap::new(),
            last_purge_ms: None,
            rta_seq: 0,
            local: Vec::new(),
            signed_off: BTreeMap::new(),
            relay: Vec::new(),
            secret: Secret::random(),
            allow: Vec::new(),
            reporters: HashMap::new(),
            last_reporter_purge_ms: 0,
        }
    }

    /// Sets the key of the address-validation tokens (several processes
    /// behind one address share it; tests fix it).
    pub fn set_secret(&mut self, secret: Secret) {
        self.secret = secret;
    }

    /// Networks whose sources need no token (`--allow`, `[aiip_server]
    /// allow`); none by default, loopback included.
    pub fn set_allowed(&mut self, networks: Vec<Cidr>) {
        self.allow = networks;
    }

    /// Sources remembered now (rate buckets, budgets, signed-on vessels).
    pub fn source_count(&self) -> usize {
        self.sources.len()
    }

    /// Replace the local information (§3.3.4.6), e.g. after the operator
    /// edited its file.
    pub fn set_local_info(&mut self, info: Vec<LocalInfo>) {
        self.local = info;
    }

    /// The AIS sentences for the external system (§3.3.4.3, §3.3.4.13)
    /// since the last call, in order. Empty unless `relay` is configured.
    pub fn take_relay(&mut self) -> Vec<String> {
        std::mem::take(&mut self.relay)
    }

    /// Time passes without datagrams: renewals of signed-off vessels and
    /// the deletion of obsolete positions fall due.
    pub fn tick(&mut self, now_ms: i64) {
        self.purge(now_ms);
    }

    /// The vessels signed off and kept alive (§3.3.4.12).
    pub fn signed_off(&self) -> impl Iterator<Item = Mmsi> + '_ {
        self.signed_off.keys().copied()
    }

    /// The counters so far.
    pub fn stats(&self) -> &ServerStats {
        &self.stats
    }

    /// The store (read-only, for tests and diagnostics).
    pub fn store(&self) -> &InMemoryStore {
        &self.store
    }

    /// Handles one datagram from `from` received at `now_ms` (ms since the
    /// Unix epoch); returns the datagrams to send back, with their
    /// destination.
    pub fn handle(&mut self, datagram: &[u8], from: A, now_ms: i64) -> Vec<(A, Vec<u8>)> {
        self.stats.datagrams += 1;
        if datagram.len() > MAX_DATAGRAM {
            self.stats.oversized += 1;
            return Vec::new();
        }
        // A source is remembered only for a datagram that is an AI-IP
        // message: garbage from a new address leaves no trace but a count.
        let decoded = codec::decode(datagram);
        if decoded.is_err() && !self.sources.contains_key(&from) {
            if let Err(e) = decoded {
                *self.stats.rejected.entry(e.kind()).or_default() += 1;
            }
            return Vec::new();
        }
        if !self.admit(&from, now_ms) {
            return Vec::new();
        }
        self.stats.bytes_in += datagram.len() as u64;
        // The budget counts while the source is not validated.
        let unvalidated = self.standing(&from, now_ms) == Standing::Unvalidated;
        if unvalidated && let Some(s) = self.sources.get_mut(&from) {
            s.bytes_in = s.bytes_in.saturating_add(datagram.len() as u64);
        }
        self.purge(now_ms);
        let message = match decoded {
            Ok(m) => m,
            Err(e) => {
                *self.stats.rejected.entry(e.kind()).or_default() += 1;
                return Vec::new();
            }
        };
        *self.stats.messages.entry(message.id()).or_default() += 1;
        let features = self.config.features;
        let replies = match message {
            Message::PushRequest { content, range, .. } => {
                self.check_token(&from, &content, now_ms);
                let (requester, center) = self.take_report(&from, &content, now_ms);
                let flags = self.flags_for(&from, requester, center, now_ms);
                match range {
                    Some(_) if !features.keeps_traffic() => {
                        self.stats.feature_off += 1;
                        self.flags_only(&from, flags, now_ms)
                    }
                    Some(range) => match center {
                        Some(center) => {
                            let records = self.search(center, range.km(), requester, None);
                            self.answer(&from, flags, &records, true, now_ms).0
                        }
                        None => {
                            self.stats.range_without_position += 1;
                            self.flags_only(&from, flags, now_ms)
                        }
                    },
                    None => self.flags_only(&from, flags, now_ms),
                }
            }
            Message::RequestDetail { .. } if !features.keeps_traffic() => {
                self.stats.feature_off += 1;
                Vec::new()
            }
            Message::RequestDetail { identifiers } => {
                let records: Vec<String> = identifiers
                    .iter()
                    .filter(|i| i.kind == IdentifierType::Mmsi)
                    .filter_map(|i| self.store.static_data(i.id))
                    .map(|r| r.sentences.as_str().to_owned())
                    .collect();
                self.answer(&from, Flags::default(), &records, false, now_ms)
                    .0
            }
            Message::RequestLocation { .. } if !features.base_functions() => {
                self.stats.feature_off += 1;
                Vec::new()
            }
            Message::RequestLocation { .. } => {
                let requester = self.sources.get(&from).and_then(|s| s.mmsi);
                // Directed messages only to the address that reported the
                // vessel's positions lately.
                let waiting = match requester {
                    Some(m) if self.may_collect(&from, m, now_ms) => self.store.take_directed(m),
                    Some(m) => {
                        if self.store.has_directed(m) {
                            self.stats.directed_withheld += 1;
                        }
                        Vec::new()
                    }
                    None => Vec::new(),
                };
                let mut records: Vec<String> = waiting
                    .iter()
                    .map(|d| d.sentences.as_str().to_owned())
                    .collect();
                // Local information for the requester's last position
                // (§3.3.4.10, AIIP.md Behaviour).
                let here = requester
                    .and_then(|m| self.store.position(m))
                    .map(|r| r.position);
                let local: Vec<String> = match here {
                    Some(p) => self
                        .local
                        .iter()
                        .filter(|i| i.applies(p, now_ms))
                        .map(|i| i.sentences.as_str().to_owned())
                        .collect(),
                    None => Vec::new(),
                };
                records.extend(local.iter().cloned());
                let (replies, sent) = self.answer(&from, Flags::default(), &records, false, now_ms);
                let delivered = sent.min(waiting.len());
                self.stats.directed_delivered += delivered as u64;
                self.stats.local_delivered += sent.saturating_sub(waiting.len()) as u64;
                // What did not fit waits for the next request.
                if let Some(m) = requester {
                    for d in waiting.into_iter().skip(delivered) {
                        if self.store.store_directed(m, d).is_err() {
                            self.stats.store_refused += 1;
                        }
                    }
                }
                replies
            }
            Message::SignOn { .. } | Message::SignOff { .. } | Message::SmartRequest { .. }
                if !features.smart =>
            {
                self.stats.feature_off += 1;
                Vec::new()
            }
            Message::SignOn {
                timestamp,
                identifier,
            } => {
                if identifier.kind == IdentifierType::Mmsi {
                    self.set_mmsi(&from, Some(identifier.id));
                    self.signed_off.remove(&identifier.id);
                }
                self.plain(&from, &Message::Acknowledgement { timestamp }, now_ms)
            }
            Message::SignOff {
                timestamp,
                identifier,
            } => {
                let mmsi = (identifier.kind == IdentifierType::Mmsi)
                    .then_some(identifier.id)
                    .or_else(|| self.sources.get(&from).and_then(|s| s.mmsi));
                if let Some(m) = mmsi {
                    self.signed_off.insert(m, now_ms);
                }
                self.set_mmsi(&from, None);
                self.plain(&from, &Message::Acknowledgement { timestamp }, now_ms)
            }
            Message::SmartRequest {
                content,
                range,
                selector,
                ..
            } => {
                self.stats.smart_requests += 1;
                self.check_token(&from, &content, now_ms);
                let (requester, center) = self.take_report(&from, &content, now_ms);
                let flags = self.flags_for(&from, requester, center, now_ms);
                match center {
                    Some(center) => {
                        let records = self.search(center, range.km(), requester, Some(selector));
                        self.answer(&from, flags, &records, true, now_ms).0
                    }
                    None => {
                        self.stats.range_without_position += 1;
                        self.flags_only(&from, flags, now_ms)
                    }
                }
            }
            Message::Response { .. } | Message::Acknowledgement { .. } => {
                self.stats.unexpected += 1;
                Vec::new()
            }
        };
        self.stats.replies += replies.len() as u64;
        let sent: u64 = replies.iter().map(|r| r.len() as u64).sum();
        self.stats.bytes_out += sent;
        if self.standing(&from, now_ms) == Standing::Unvalidated
            && let Some(s) = self.sources.get_mut(&from)
        {
            s.bytes_out = s.bytes_out.saturating_add(sent);
        }
        replies.into_iter().map(|r| (from.clone(), r)).collect()
    }

    /// How `from` stands: allowed, validated (until its token expires) or
    /// neither.
    fn standing(&self, from: &A, now_ms: i64) -> Standing {
        if self.allowed(from) {
            return Standing::Allowed;
        }
        match self.sources.get(from) {
            Some(s) if s.validated_until >= now_ms => Standing::Validated {
                token_issued_ms: s.token_issued_ms,
            },
            _ => Standing::Unvalidated,
        }
    }

    /// A token echoed in a message 1 or 22 validates its source.
    fn check_token(&mut self, from: &A, content: &Content, now_ms: i64) {
        let Some(sentence) = content
            .sentences()
            .filter(|s| validation::is_token_sentence(s))
            .last()
        else {
            return;
        };
        if self.standing(from, now_ms) == Standing::Allowed {
            return;
        }
        match validation::verify(&self.secret, &from.token_bytes(), sentence, now_ms) {
            Ok(issued_ms) => {
                if let Some(s) = self.sources.get_mut(from) {
                    if s.validated_until < now_ms {
                        self.stats.validated += 1;
                    }
                    // An older token echoed after a renewal shortens nothing.
                    s.validated_until = s
                        .validated_until
                        .max(issued_ms.saturating_add(TOKEN_LIFETIME_MS));
                    s.token_issued_ms = s.token_issued_ms.max(issued_ms);
                }
            }
            Err(e) => *self.stats.token_refused.entry(e.kind()).or_default() += 1,
        }
    }

    /// The message-4 answer holding `records` (each one or more sentences,
    /// never cut apart), bounded: at most [`MAX_ANSWER_BYTES`], within the
    /// source's per-second byte budget and, for an unvalidated source, its
    /// anti-amplification budget, which also brings it a token. `renews`:
    /// the answer to a message 1 or 22, which renews an ageing token.
    /// Returns the datagrams and how many records they hold.
    fn answer(
        &mut self,
        from: &A,
        flags: Flags,
        records: &[String],
        renews: bool,
        now_ms: i64,
    ) -> (Vec<Vec<u8>>, usize) {
        let standing = self.standing(from, now_ms);
        let mut budget = MAX_ANSWER_BYTES;
        let mut cut = Cut::Request;
        let rate = self.answer_allowance(from, now_ms);
        if rate < budget {
            budget = rate;
            cut = Cut::Rate;
        }
        let with_token = match standing {
            Standing::Allowed => false,
            Standing::Unvalidated => {
                let amp = self.sources.get(from).map_or(0, |s| {
                    s.bytes_in
                        .saturating_mul(AMPLIFICATION_FACTOR)
                        .saturating_sub(s.bytes_out)
                });
                if amp < budget {
                    budget = amp;
                    cut = Cut::Amplification;
                }
                true
            }
            Standing::Validated { token_issued_ms } => {
                renews && now_ms.saturating_sub(token_issued_ms) >= TOKEN_RENEW_MS
            }
        };
        // The token (its length: field 4 is one digit either way), only
        // when one goes out.
        let address = if with_token {
            from.token_bytes()
        } else {
            Vec::new()
        };
        let token_len = if with_token {
            validation::issue(&self.secret, &address, now_ms, false).len()
        } else {
            0
        };
        let mut with_token = with_token && answer_bytes_bound(token_len) <= budget;
        let mut len = if with_token { token_len } else { 0 };
        let mut taken = 0;
        for r in records {
            let add = r.len() + usize::from(len > 0);
            if answer_bytes_bound(len + add) > budget {
                break;
            }
            len += add;
            taken += 1;
        }
        let limited = taken < records.len();
        if standing == Standing::Unvalidated && !with_token && answer_bytes_bound(0) > budget {
            // Not even an empty answer fits.
            self.count_cut(Cut::Amplification);
            return (Vec::new(), 0);
        }
        loop {
            let mut parts: Vec<String> = Vec::with_capacity(taken + 1);
            if with_token {
                parts.push(validation::issue(&self.secret, &address, now_ms, limited));
            }
            parts.extend(records.iter().take(taken).cloned());
            let out = self.response(flags, &parts.join("\r"));
            let total: u64 = out.iter().map(|d| d.len() as u64).sum();
            if total <= budget || out.is_empty() {
                if limited || taken < records.len() {
                    self.count_cut(cut);
                }
                self.spend_answer(from, total, now_ms);
                return (out, taken);
            }
            // The bound was not kept (cannot happen by the estimate):
            // one record less, then without the token.
            if taken > 0 {
                taken -= 1;
            } else if with_token {
                with_token = false;
            } else {
                self.count_cut(cut);
                return (Vec::new(), 0);
            }
        }
    }

    fn count_cut(&mut self, cut: Cut) {
        match cut {
            Cut::Request => self.stats.answer_truncated += 1,
            Cut::Rate => self.stats.answer_rate_limited += 1,
            Cut::Amplification => self.stats.unvalidated_limited += 1,
        }
    }

    /// The answer bytes `from` may be sent now (its host's bucket,
    /// refilled).
    fn answer_allowance(&mut self, from: &A, now_ms: i64) -> u64 {
        let Some(s) = self.hosts.get_mut(&from.token_bytes()) else {
            return 0;
        };
        let elapsed = u64::try_from(now_ms.saturating_sub(s.answer_last_ms)).unwrap_or(0);
        s.answer_bytes = s
            .answer_bytes
            .saturating_add(elapsed.saturating_mul(self.config.answer_bytes_per_s) / 1000)
            .min(self.config.answer_burst_bytes);
        s.answer_last_ms = s.answer_last_ms.max(now_ms);
        s.answer_bytes
    }

    fn spend_answer(&mut self, from: &A, bytes: u64, now_ms: i64) {
        if let Some(s) = self.hosts.get_mut(&from.token_bytes()) {
            s.answer_bytes = s.answer_bytes.saturating_sub(bytes);
            s.answer_last_ms = s.answer_last_ms.max(now_ms);
        }
    }

    /// A datagram other than message 4 (an acknowledgement), within the
    /// anti-amplification budget of an unvalidated source.
    fn plain(&mut self, from: &A, m: &Message, now_ms: i64) -> Vec<Vec<u8>> {
        let out = self.encoded(m);
        let size: u64 = out.iter().map(|d| d.len() as u64).sum();
        if self.standing(from, now_ms) == Standing::Unvalidated {
            let amp = self.sources.get(from).map_or(0, |s| {
                s.bytes_in
                    .saturating_mul(AMPLIFICATION_FACTOR)
                    .saturating_sub(s.bytes_out)
            });
            if size > amp {
                self.stats.unvalidated_limited += 1;
                return Vec::new();
            }
        }
        out
    }

    /// Whether `from` reported `mmsi`'s positions within
    /// [`REPORTER_WINDOW_MS`]: only then are its directed messages handed
    /// over (and flagged).
    fn may_collect(&self, from: &A, mmsi: Mmsi, now_ms: i64) -> bool {
        self.reporters.get(&mmsi).is_some_and(|r| {
            r.addr == *from && now_ms.saturating_sub(r.at_ms) <= REPORTER_WINDOW_MS
        })
    }

    /// A report of `mmsi` at `p` from `from` farther away from its last
    /// report (within [`REPORTER_WINDOW_MS`]) than a vessel could have
    /// gone. The same address may jump (a GNSS fault is not a spoofer)
    /// only when it is `trusted` (validated or allowed).
    fn jumped(&self, from: &A, trusted: bool, mmsi: Mmsi, p: GeoPoint, now_ms: i64) -> bool {
        let Some(r) = self.reporters.get(&mmsi) else {
            return false;
        };
        let dt_ms = now_ms.saturating_sub(r.at_ms);
        if (trusted && r.addr == *from) || dt_ms > REPORTER_WINDOW_MS {
            return false;
        }
        let reach = JUMP_SLACK_M + MAX_SPEED_M_S * (dt_ms.max(0) as f64) / 1000.0;
        distance_m(r.position, p) > reach
    }

    /// Whether `from` is in the allow list (or validation is off).
    fn allowed(&self, from: &A) -> bool {
        !self.config.validate_addresses
            || from
                .ip()
                .is_some_and(|ip| self.allow.iter().any(|n| n.contains(ip)))
    }

    /// The datagram rate per host (IP address, all its ports together),
    /// then a record of the source; bounds the number of both. A full
    /// source table forgets idle records, then unvalidated ones, oldest
    /// first; only a table of validated and allowed sources refuses.
    fn admit(&mut self, from: &A, now_ms: i64) -> bool {
        let capacity = u64::from(self.config.burst.max(1)) * 1000;
        let key = from.token_bytes();
        if !self.hosts.contains_key(&key) {
            if self.hosts.len() >= self.config.max_sources {
                self.hosts
                    .retain(|_, h| now_ms.saturating_sub(h.last_ms) < SOURCE_IDLE_MS);
            }
            if self.hosts.len() >= self.config.max_sources {
                // A forgotten host only starts again with a full bucket.
                let mut by_age: Vec<(i64, Vec<u8>)> = self
                    .hosts
                    .iter()
                    .map(|(k, h)| (h.last_ms, k.clone()))
                    .collect();
                let n = (self.config.max_sources / 16).clamp(1, by_age.len());
                by_age.select_nth_unstable_by_key(n - 1, |(t, _)| *t);
                for (_, k) in by_age.into_iter().take(n) {
                    self.hosts.remove(&k);
                }
            }
            self.hosts.insert(
                key.clone(),
                Host {
                    milli_tokens: capacity,
                    last_ms: now_ms,
                    answer_bytes: self.config.answer_burst_bytes,
                    answer_last_ms: now_ms,
                },
            );
        }
        let rate = u64::from(self.config.rate_per_s);
        let Some(host) = self.hosts.get_mut(&key) else {
            return false;
        };
        let elapsed = u64::try_from(now_ms.saturating_sub(host.last_ms)).unwrap_or(0);
        host.milli_tokens = host
            .milli_tokens
            .saturating_add(elapsed.saturating_mul(rate))
            .min(capacity);
        host.last_ms = host.last_ms.max(now_ms);
        if host.milli_tokens < 1000 {
            self.stats.rate_limited += 1;
            return false;
        }
        if !self.sources.contains_key(from) && !self.make_room(now_ms) {
            self.stats.sources_full += 1;
            return false;
        }
        if let Some(host) = self.hosts.get_mut(&key) {
            host.milli_tokens -= 1000;
        }
        let source = self.sources.entry(from.clone()).or_insert(Source {
            last_ms: now_ms,
            mmsi: None,
            bytes_in: 0,
            bytes_out: 0,
            validated_until: 0,
            token_issued_ms: 0,
        });
        source.last_ms = source.last_ms.max(now_ms);
        true
    }

    /// Room for one more source record: idle records go, then the oldest
    /// unvalidated ones (a sixteenth of the table at once). False when
    /// every record is a validated or allowed source in use.
    fn make_room(&mut self, now_ms: i64) -> bool {
        let max = self.config.max_sources;
        if self.sources.len() < max {
            return true;
        }
        self.sources
            .retain(|_, s| now_ms.saturating_sub(s.last_ms) < SOURCE_IDLE_MS);
        if self.sources.len() < max {
            return true;
        }
        let mut unvalidated: Vec<(i64, A)> = self
            .sources
            .iter()
            .filter(|(a, s)| s.validated_until < now_ms && !self.allowed(a))
            .map(|(a, s)| (s.last_ms, a.clone()))
            .collect();
        if unvalidated.is_empty() {
            return false;
        }
        let n = (max / 16).clamp(1, unvalidated.len());
        unvalidated.select_nth_unstable_by_key(n - 1, |(t, _)| *t);
        for (_, a) in unvalidated.into_iter().take(n) {
            self.sources.remove(&a);
            self.stats.sources_evicted += 1;
        }
        self.sources.len() < max
    }

    fn purge(&mut self, now_ms: i64) {
        if self
            .last_purge_ms
            .is_some_and(|t| now_ms.saturating_sub(t) < PURGE_INTERVAL_MS)
        {
            return;
        }
        self.last_purge_ms = Some(now_ms);
        self.renew(now_ms);
        if now_ms.saturating_sub(self.last_reporter_purge_ms) >= REPORTER_PURGE_MS {
            self.last_reporter_purge_ms = now_ms;
            self.reporters
                .retain(|_, r| now_ms.saturating_sub(r.at_ms) <= REPORTER_WINDOW_MS);
        }
        let n = self
            .store
            .delete_obsolete(now_ms, self.config.position_max_age_ms);
        self.stats.obsolete_deleted += n as u64;
    }

    /// §3.3.4.12–13: the latest position of every signed-off vessel is
    /// renewed, so it stays in the picture, and relayed with its static
    /// data, every [`RENEW_INTERVAL_MS`], until the vessel signs on or
    /// reports again.
    fn renew(&mut self, now_ms: i64) {
        let due: Vec<Mmsi> = self
            .signed_off
            .iter()
            .filter(|(_, t)| now_ms.saturating_sub(**t) >= RENEW_INTERVAL_MS)
            .map(|(m, _)| *m)
            .collect();
        for m in due {
            self.signed_off.insert(m, now_ms);
            if let Some(mut p) = self.store.position(m) {
                p.received_ms = now_ms;
                if self.config.relay {
                    self.relay
                        .extend(p.sentences.sentences().map(str::to_owned));
                    if let Some(st) = self.store.static_data(m) {
                        self.relay
                            .extend(st.sentences.sentences().map(str::to_owned));
                    }
                }
                if self.store.upsert_position(m, p).is_ok() {
                    self.stats.renewed += 1;
                }
            }
        }
    }

    fn set_mmsi(&mut self, from: &A, mmsi: Option<Mmsi>) {
        if let Some(s) = self.sources.get_mut(from) {
            s.mmsi = mmsi;
        }
    }

    /// Flags telling the requester what waits for it: directed messages
    /// (RTA, bit 4, the only flag of Table 3.14 for a message addressed to
    /// a vessel) and the kinds of local information valid where it is now
    /// (§3.3.4.10–11).
    fn flags_for(
        &self,
        from: &A,
        mmsi: Option<Mmsi>,
        here: Option<GeoPoint>,
        now_ms: i64,
    ) -> Flags {
        if !self.config.features.base_functions() {
            return Flags::default();
        }
        let mut flags = match mmsi {
            Some(m) if self.store.has_directed(m) && self.may_collect(from, m, now_ms) => {
                Flags::RTA
            }
            _ => Flags::default(),
        };
        if let Some(p) = here {
            for i in self.local.iter().filter(|i| i.applies(p, now_ms)) {
                flags = flags.union(i.kind.flag());
            }
        }
        flags
    }

    /// Takes the content of a message 1 or 22: stores it, ties the
    /// reporter's MMSI to the source; returns the requester (the reporter,
    /// else the vessel signed on from that address) and where it is (its
    /// report, else its stored position).
    fn take_report(
        &mut self,
        from: &A,
        content: &Content,
        now_ms: i64,
    ) -> (Option<Mmsi>, Option<GeoPoint>) {
        let reporter = self.take_content(from, content, now_ms);
        if let Some((mmsi, _)) = reporter {
            self.set_mmsi(from, Some(mmsi));
            // A vessel that reports is no longer signed off.
            self.signed_off.remove(&mmsi);
        }
        let requester = reporter
            .map(|(m, _)| m)
            .or_else(|| self.sources.get(from).and_then(|s| s.mmsi));
        let center = reporter.map(|(_, p)| p).or_else(|| {
            requester
                .and_then(|m| self.store.position(m))
                .map(|r| r.position)
        });
        (requester, center)
    }

    /// The latest position reports in the square of §3.3.4.7 around
    /// `center`, without the requester, filtered by `selector` (§3.3.4.8).
    fn search(
        &self,
        center: GeoPoint,
        range_km: u8,
        requester: Option<Mmsi>,
        selector: Option<Selector>,
    ) -> Vec<String> {
        let square = SquareRange::around(center, f64::from(range_km));
        self.store
            .in_range(&square, requester)
            .iter()
            .filter(|(m, r)| selector.is_none_or(|s| self.selected(*m, r, s)))
            .map(|(_, r)| r.sentences.as_str().to_owned())
            .collect()
    }

    /// Whether a vessel passes the smart selector (§3.3.4.8, Table 3.19).
    /// Filters of one kind widen (moored or moving; inland, maritime or
    /// pleasure craft; AI-IP only or AIS only), kinds narrow each other:
    /// "moving inland vessels" is moving and inland. No bit of a kind set:
    /// that kind does not filter. Every vessel here was reported over AI-IP
    /// (this server takes no external AIS network), so "AIS only" alone
    /// selects none.
    fn selected(&self, mmsi: Mmsi, position: &PositionRecord, s: Selector) -> bool {
        let any = |bits: &[Selector]| bits.iter().any(|b| s.contains(*b));
        let motion = [Selector::MOORED, Selector::MOVING];
        let kind = [
            Selector::INLAND,
            Selector::MARITIME,
            Selector::PLEASURE_CRAFT,
        ];
        let source = [Selector::AIIP_ONLY, Selector::AIS_ONLY];
        if any(&motion) {
            let (status, speed) = motion_of(position);
            let moored = matches!(status, Some(1 | 5)) || speed.is_some_and(|v| v < 0.5);
            if !((s.contains(Selector::MOORED) && moored)
                || (s.contains(Selector::MOVING) && !moored))
            {
                return false;
            }
        }
        if any(&kind) {
            let (inland, pleasure) = self
                .store
                .static_data(mmsi)
                .map(|r| kind_of(&r.sentences))
                .unwrap_or((false, false));
            if !((s.contains(Selector::INLAND) && inland)
                || (s.contains(Selector::MARITIME) && !inland)
                || (s.contains(Selector::PLEASURE_CRAFT) && pleasure))
            {
                return false;
            }
        }
        if any(&source) && !s.contains(Selector::AIIP_ONLY) {
            return false;
        }
        true
    }

    /// A message 4 with flags only, when there is something to flag.
    fn flags_only(&mut self, from: &A, flags: Flags, now_ms: i64) -> Vec<Vec<u8>> {
        if flags.is_empty() {
            Vec::new()
        } else {
            self.answer(from, flags, &[], true, now_ms).0
        }
    }

    /// Message-4 datagrams carrying `text`.
    fn response(&mut self, flags: Flags, text: &str) -> Vec<Vec<u8>> {
        match split_response(flags, text) {
            Ok(messages) => messages.iter().flat_map(|m| self.encoded(m)).collect(),
            Err(_) => {
                self.stats.encode_failures += 1;
                Vec::new()
            }
        }
    }

    fn encoded(&mut self, m: &Message) -> Vec<Vec<u8>> {
        match codec::encode(m) {
            Ok(b) => vec![b],
            Err(_) => {
                self.stats.encode_failures += 1;
                Vec::new()
            }
        }
    }

    /// Stores what a message 1 carries; returns the reporter (the vessel of
    /// the first position report) and its position.
    fn take_content(
        &mut self,
        from: &A,
        content: &Content,
        now_ms: i64,
    ) -> Option<(Mmsi, GeoPoint)> {
        let (messages, bad) = ais_messages(content.sentences(), now_ms);
        self.stats.bad_sentences += bad;
        let trusted = self.standing(from, now_ms) != Standing::Unvalidated;
        let mut reporter = None;
        for (m, text) in messages {
            if self.config.relay {
                self.stats.relayed += text.split('\r').count() as u64;
                self.relay.extend(text.split('\r').map(str::to_owned));
            }
            if !self.config.features.keeps_traffic() && !self.config.features.base_functions() {
                continue;
            }
            let Ok(sentences) = Content::new(&text) else {
                self.stats.bad_sentences += 1;
                continue;
            };
            let position = match &m.body {
                Body::Position(p) => Some(p.position()),
                Body::ClassB(p) => Some(p.position()),
                Body::ClassBExtended(p) => Some(p.position()),
                _ => None,
            };
            if let Some(position) = position {
                // A report without a valid position is not a position.
                let Some((lat, lon)) = position else {
                    self.stats.ais_ignored += 1;
                    continue;
                };
                let point = GeoPoint::new(lat, lon);
                // An address that has not proven it receives never takes a
                // vessel over from one that has.
                if !trusted
                    && self.reporters.get(&m.mmsi).is_some_and(|r| {
                        r.trusted
                            && r.addr != *from
                            && now_ms.saturating_sub(r.at_ms) <= REPORTER_WINDOW_MS
                    })
                {
                    // Not stored, but it is where the requester says it
                    // is: its answer (within the budget) brings the token
                    // that lets a client behind a new address validate.
                    self.stats.takeover_refused += 1;
                    if reporter.is_none() {
                        reporter = Some((m.mmsi, point));
                    }
                    continue;
                }
                if self.jumped(from, trusted, m.mmsi, point, now_ms) {
                    self.stats.mmsi_jumps += 1;
                    continue;
                }
                let record = PositionRecord {
                    position: point,
                    sentences,
                    received_ms: now_ms,
                };
                match self.store.upsert_position(m.mmsi, record) {
                    Ok(_) => {
                        self.stats.positions += 1;
                        self.reporters.insert(
                            m.mmsi,
                            Reporter {
                                addr: from.clone(),
                                at_ms: now_ms,
                                position: point,
                                trusted,
                            },
                        );
                    }
                    Err(_) => self.stats.store_refused += 1,
                }
                if reporter.is_none() {
                    reporter = Some((m.mmsi, point));
                }
            } else if let Some(kind) = static_kind(&m) {
                self.store_static(m.mmsi, kind, &text, now_ms);
            } else if let Body::AddressedBinary(b) = &m.body {
                self.store_directed(m.mmsi, b, sentences, now_ms);
            } else {
                self.stats.ais_ignored += 1;
            }
        }
        reporter
    }

    /// Keeps one message of each static kind per vessel: a new one replaces
    /// the old of its kind (24 B does not push out 24 A).
    fn store_static(&mut self, mmsi: Mmsi, kind: StaticKind, text: &str, now_ms: i64) {
        let mut kept: Vec<String> = match self.store.static_data(mmsi) {
            Some(old) => ais_messages(old.sentences.sentences(), now_ms)
                .0
                .into_iter()
                .filter(|(m, _)| static_kind(m) != Some(kind))
                .map(|(_, t)| t)
                .collect(),
            None => Vec::new(),
        };
        kept.push(text.to_owned());
        let Ok(sentences) = Content::new(&kept.join("\r")) else {
            self.stats.bad_sentences += 1;
            return;
        };
        let record = StaticRecord {
            sentences,
            received_ms: now_ms,
        };
        match self.store.upsert_static(mmsi, record) {
            Ok(_) => self.stats.static_data += 1,
            Err(_) => self.stats.store_refused += 1,
        }
    }

    fn store_directed(
        &mut self,
        source: Mmsi,
        b: &AddressedBinary,
        sentences: Content,
        now_ms: i64,
    ) {
        let message = DirectedMessage {
            source,
            sentences,
            received_ms: now_ms,
        };
        match self.store.store_directed(b.dest_mmsi, message) {
            Ok(()) => self.stats.directed_stored += 1,
            Err(_) => self.stats.store_refused += 1,
        }
        if let (Some(auto), AddressedApp::InlandEta(eta)) = (self.config.auto_rta, &b.app)
            && b.dest_mmsi == auto.lock_mmsi
        {
            self.auto_rta(auto, source, eta, now_ms);
        }
    }

    /// Answers an ETA to the lock with a directed RTA from the lock to the
    /// ship (message 6, DAC 200, FI 22, status operational).
    fn auto_rta(&mut self, auto: AutoRta, ship: Mmsi, eta: &InlandEta, now_ms: i64) {
        let rta = InlandRta {
            location: eta.location,
            rta: rta_time(eta.eta, auto.minutes, now_ms),
            status: 0,
        };
        let m = AisMessage::inland_rta(auto.lock_mmsi, ship, rta);
        let Ok(bits) = encode::encode(&m) else {
            self.stats.encode_failures += 1;
            return;
        };
        self.rta_seq = (self.rta_seq + 1) % 10;
        let vdm = encode::to_vdm(&bits, "AI", false, None, self.rta_seq);
        let Ok(sentences) = Content::from_sentences(&vdm) else {
            self.stats.encode_failures += 1;
            return;
        };
        let message = DirectedMessage {
            source: auto.lock_mmsi,
            sentences,
            received_ms: now_ms,
        };
        match self.store.store_directed(ship, message) {
            Ok(()) => self.stats.auto_rtas += 1,
            Err(_) => self.stats.store_refused += 1,
        }
    }
}

/// Navigational status and speed (knots) of a stored position report.
fn motion_of(r: &PositionRecord) -> (Option<u8>, Option<f64>) {
    // The time only stamps the decoded messages, which are not kept.
    let (messages, _) = ais_messages(r.sentences.sentences(), 0);
    for (m, _) in messages {
        match &m.body {
            Body::Position(p) => {
                let speed = (p.speed < 1023).then(|| f64::from(p.speed) / 10.0);
                return (Some(p.status), speed);
            }
            Body::ClassB(p) => {
                return (None, (p.speed < 1023).then(|| f64::from(p.speed) / 10.0));
            }
            Body::ClassBExtended(p) => {
                return (None, (p.speed < 1023).then(|| f64::from(p.speed) / 10.0));
            }
            _ => {}
        }
    }
    (None, None)
}

/// Whether stored static data says inland (Inland static data, DAC 200
/// FI 10, present) and pleasure craft (ship type 37, message 5 or 24 B).
fn kind_of(sentences: &Content) -> (bool, bool) {
    let (messages, _) = ais_messages(sentences.sentences(), 0);
    let mut inland = false;
    let mut pleasure = false;
    for (m, _) in messages {
        match &m.body {
            Body::BroadcastBinary(b) if matches!(b.app, BroadcastApp::InlandStatic(_)) => {
                inland = true;
            }
            Body::StaticVoyage(v) if v.shiptype == 37 => pleasure = true,
            Body::StaticData(d) => {
                if let StaticDataReport::PartB { shiptype: 37, .. } = **d {
                    pleasure = true;
                }
            }
            _ => {}
        }
    }
    (inland, pleasure)
}

/// RTA = ETA + `minutes`. The ETA carries month, day, hour and minute but no
/// year: it is taken in the year of `now_ms`, or the next one when that puts
/// it more than half a year in the past (an ETA in January sent in
/// December). An ETA with "not available" fields gives now + `minutes`.
pub fn rta_time(eta: DayTime, minutes: u32, now_ms: i64) -> DayTime {
    let now = Utc
        .timestamp_millis_opt(now_ms)
        .single()
        .unwrap_or_default()
        .naive_utc();
    let at = |year: i32| {
        NaiveDate::from_ymd_opt(year, u32::from(eta.month), u32::from(eta.day))
            .and_then(|d| d.and_hms_opt(u32::from(eta.hour), u32::from(eta.minute), 0))
    };
    let base = match at(now.year()) {
        Some(t) if t < now - Duration::days(183) => at(now.year() + 1).unwrap_or(now),
        Some(t) => t,
        None => now,
    };
    let rta = base + Duration::minutes(i64::from(minutes));
    DayTime {
        month: rta.month() as u8,
        day: rta.day() as u8,
        hour: rta.hour() as u8,
        minute: rta.minute() as u8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aiip::codec::{Identifier, RangeKm, Timestamp};
    use crate::ais::application::InlandLocation;
    use crate::nmea::armour::Text;
    use std::net::SocketAddr;

    const T0: i64 = 1_795_000_000_000; // 2026-11-18
    const A: u32 = 244_000_001;
    const B: u32 = 244_000_002;
    const FAR: u32 = 244_000_003;
    const LOCK: u32 = 244_200_001;

    /// A static message 5 (two sentences) of MMSI 369190000.
    const STATIC5: [&str; 2] = [
        "!AIVDM,2,1,3,B,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0*3E",
        "!AIVDM,2,2,3,B,1@0000000000000,2*55",
    ];
    const STATIC5_MMSI: u32 = 369_190_000;

    fn position_vdm(mmsi: u32, lat: f64, lon: f64) -> String {
        let m = crate::sim::class_a(mmsi, (lat, lon), Some(90.0), 5.0, 0, 10);
        crate::sim::untagged(&m, 'A', 0).join("\r")
    }

    fn location() -> InlandLocation {
        InlandLocation {
            country: Text::from_str_lossy("NL"),
            locode: Text::from_str_lossy("RTM"),
            section: Text::from_str_lossy("00001"),
            terminal: Text::from_str_lossy("LOCK1"),
            hectometre: Text::from_str_lossy("00123"),
        }
    }

    fn eta_vdm(from: u32, to: u32, eta: DayTime) -> String {
        let m = AisMessage {
            msg_type: 6,
            repeat: 0,
            mmsi: from,
            body: Body::AddressedBinary(Box::new(AddressedBinary {
                seqno: 0,
                dest_mmsi: to,
                retransmit: false,
                dac: 200,
                fid: 21,
                app: AddressedApp::InlandEta(InlandEta {
                    location: location(),
                    eta,
                    tugs: 7,
                    air_draught: 0,
                }),
            })),
        };
        let bits = encode::encode(&m).expect("ETA encodes");
        encode::to_vdm(&bits, "AI", false, Some('A'), 1).join("\r")
    }

    fn ts() -> Timestamp {
        Timestamp::from_unix_ms(T0).expect("timestamp")
    }

    fn push(text: &str, range: Option<u8>) -> Vec<u8> {
        codec::encode(&Message::PushRequest {
            timestamp: ts(),
            content: Content::new(text).expect("content"),
            range: range.and_then(RangeKm::new),
        })
        .expect("encodes")
    }

    /// The replies as (flags, content) of message 4.
    fn responses(replies: &[(u16, Vec<u8>)]) -> Vec<(Flags, String)> {
        replies
            .iter()
            .map(|(_, b)| match codec::decode(b).expect("reply decodes") {
                Message::Response { flags, content } => (flags, content.as_str().to_owned()),
                other => panic!("not a response: {other:?}"),
            })
            .collect()
    }

    fn server() -> Server<u16> {
        Server::new(ServerConfig {
            validate_addresses: false,
            ..ServerConfig::default()
        })
    }

    #[test]
    fn range_answer_holds_the_vessel_inside_only() {
        let mut s = server();
        let a = position_vdm(A, 52.0, 5.0);
        let far = position_vdm(FAR, 53.0, 6.5);
        assert!(s.handle(&push(&a, None), 1, T0).is_empty());
        assert!(s.handle(&push(&far, None), 3, T0).is_empty());
        let b = position_vdm(B, 52.02, 5.03);
        let replies = s.handle(&push(&b, Some(10)), 2, T0 + 10);
        assert!(replies.iter().all(|(to, _)| *to == 2));
        let r = responses(&replies);
        assert_eq!(r.len(), 1);
        assert!(r[0].0.contains(Flags::FINAL));
        assert_eq!(r[0].1, a, "only A, not the far vessel nor B itself");
        assert_eq!(s.stats().positions, 3);
    }

    #[test]
    fn request_detail_answers_static_data() {
        let mut s = server();
        let content = STATIC5.join("\r");
        assert!(s.handle(&push(&content, None), 1, T0).is_empty());
        let ask = codec::encode(&Message::RequestDetail {
            identifiers: vec![Identifier::mmsi(STATIC5_MMSI), Identifier::mmsi(A)],
        })
        .expect("encodes");
        let r = responses(&s.handle(&ask, 1, T0 + 1));
        assert_eq!(r, vec![(Flags::FINAL, content)]);
    }

    #[test]
    fn directed_message_flagged_then_delivered_once() {
        let mut s = server();
        // A signs on, then B sends an ETA addressed to A.
        let on = codec::encode(&Message::SignOn {
            timestamp: ts(),
            identifier: Identifier::mmsi(A),
        })
        .expect("encodes");
        let ack = s.handle(&on, 1, T0);
        assert_eq!(ack.len(), 1);
        assert_eq!(
            codec::decode(&ack[0].1),
            Ok(Message::Acknowledgement { timestamp: ts() })
        );
        let eta = eta_vdm(
            B,
            A,
            DayTime {
                month: 11,
                day: 18,
                hour: 12,
                minute: 0,
            },
        );
        assert!(s.handle(&push(&eta, None), 2, T0).is_empty());
        // A's next report, even without range, is answered with the flag.
        let r = responses(&s.handle(&push(&position_vdm(A, 52.0, 5.0), None), 1, T0 + 5));
        assert_eq!(r.len(), 1);
        assert!(r[0].0.contains(Flags::RTA));
        assert_eq!(r[0].1, "");
        let ask = codec::encode(&Message::RequestLocation {
            timestamp: ts(),
            flags: Flags::RTA,
        })
        .expect("encodes");
        let r = responses(&s.handle(&ask, 1, T0 + 6));
        assert_eq!(r, vec![(Flags::FINAL, eta.clone())]);
        // Delivered once: the next request finds nothing.
        let r = responses(&s.handle(&ask, 1, T0 + 7));
        assert_eq!(r, vec![(Flags::FINAL, String::new())]);
        assert_eq!(s.stats().directed_delivered, 1);
        // Sign-off is acknowledged with its own timestamp.
        let off = codec::encode(&Message::SignOff {
            timestamp: ts(),
            identifier: Identifier::mmsi(A),
        })
        .expect("encodes");
        let ack = s.handle(&off, 1, T0 + 8);
        assert_eq!(
            codec::decode(&ack[0].1),
            Ok(Message::Acknowledgement { timestamp: ts() })
        );
    }

    #[test]
    fn auto_rta_answers_an_eta_to_the_lock() {
        let mut s = Server::new(ServerConfig {
            auto_rta: Some(AutoRta {
                lock_mmsi: LOCK,
                minutes: 30,
            }),
            validate_addresses: false,
            ..ServerConfig::default()
        });
        let eta = eta_vdm(
            A,
            LOCK,
            DayTime {
                month: 11,
                day: 18,
                hour: 23,
                minute: 45,
            },
        );
        let content = format!("{}\r{eta}", position_vdm(A, 52.0, 5.0));
        let r = responses(&s.handle(&push(&content, None), 1, T0));
        assert!(r[0].0.contains(Flags::RTA), "flagged at once");
        assert_eq!(s.stats().auto_rtas, 1);
        let ask = codec::encode(&Message::RequestLocation {
            timestamp: ts(),
            flags: Flags::RTA,
        })
        .expect("encodes");
        let r = responses(&s.handle(&ask, 1, T0 + 1));
        let (messages, bad) = ais_messages(r[0].1.split('\r'), T0);
        assert_eq!(bad, 0);
        assert_eq!(messages.len(), 1);
        let m = &messages[0].0;
        assert_eq!((m.msg_type, m.mmsi), (6, LOCK));
        let Body::AddressedBinary(b) = &m.body else {
            panic!("not a message 6: {m:?}");
        };
        assert_eq!((b.dest_mmsi, b.dac, b.fid), (A, 200, 22));
        assert_eq!(
            b.app,
            AddressedApp::InlandRta(InlandRta {
                location: location(),
                rta: DayTime {
                    month: 11,
                    day: 19,
                    hour: 0,
                    minute: 15
                },
                status: 0,
            })
        );
        // The lock gets the ETA itself too.
        assert!(s.store().has_directed(LOCK));
    }

    #[test]
    fn rta_time_rolls_over_the_year_and_falls_back_to_now() {
        let dec = 1_797_724_800_000; // 2026-12-20T00:00Z
        let jan = DayTime {
            month: 1,
            day: 2,
            hour: 10,
            minute: 0,
        };
        assert_eq!(
            rta_time(jan, 90, dec),
            DayTime {
                month: 1,
                day: 2,
                hour: 11,
                minute: 30
            }
        );
        let unknown = DayTime {
            month: 0,
            day: 0,
            hour: 24,
            minute: 60,
        };
        assert_eq!(
            rta_time(unknown, 30, dec),
            DayTime {
                month: 12,
                day: 20,
                hour: 0,
                minute: 30
            }
        );
    }

    #[test]
    fn garbage_is_counted_never_answered() {
        let mut s = server();
        let cases: Vec<Vec<u8>> = vec![
            vec![],
            vec![0xFF, 1, 2],
            vec![codec::id::SIGN_ON, 0, 0],
            vec![0u8; MAX_DATAGRAM + 1],
            push("!AIVDM,1,1,,A,garbage,0*00\rnot nmea", Some(5)),
        ];
        for (i, c) in cases.iter().enumerate() {
            assert!(s.handle(c, 1, T0 + 100 * i as i64).is_empty(), "case {i}");
        }
        let st = s.stats();
        assert_eq!(st.oversized, 1);
        assert_eq!(st.rejected.get("empty"), Some(&1));
        assert_eq!(st.rejected.get("unknown_id"), Some(&1));
        assert_eq!(st.rejected.get("truncated"), Some(&1));
        assert_eq!(st.bad_sentences, 2);
        assert_eq!(st.range_without_position, 1);
        assert!(st.to_string().contains("oversized=1"));
    }

    #[test]
    fn rate_limit_per_source() {
        let mut s = Server::new(ServerConfig {
            rate_per_s: 2,
            burst: 3,
            validate_addresses: false,
            ..ServerConfig::default()
        });
        let off = codec::encode(&Message::SignOff {
            timestamp: ts(),
            identifier: Identifier::mmsi(A),
        })
        .expect("encodes");
        let answered = (0..5).filter(|_| !s.handle(&off, 1, T0).is_empty()).count();
        assert_eq!(answered, 3, "the burst");
        assert_eq!(s.stats().rate_limited, 2);
        // Another source has its own bucket.
        assert_eq!(s.handle(&off, 2, T0).len(), 1);
        // Half a second later one more datagram is allowed (2 per second).
        assert_eq!(s.handle(&off, 1, T0 + 500).len(), 1);
        assert!(s.handle(&off, 1, T0 + 500).is_empty());
    }

    #[test]
    fn obsolete_positions_are_deleted() {
        let mut s = server();
        s.handle(&push(&position_vdm(A, 52.0, 5.0), None), 1, T0);
        let late = T0 + DEFAULT_POSITION_MAX_AGE_MS + 2000;
        let r = responses(&s.handle(&push(&position_vdm(B, 52.0, 5.0), Some(10)), 2, late));
        assert_eq!(r, vec![(Flags::FINAL, String::new())]);
        assert_eq!(s.stats().obsolete_deleted, 1);
    }

    fn vessel(mmsi: u32, lat: f64, lon: f64, speed: f64, status: u8) -> String {
        let m = crate::sim::class_a(mmsi, (lat, lon), Some(90.0), speed, status, 10);
        crate::sim::untagged(&m, 'A', 0).join("\r")
    }

    fn smart(text: &str, range: u8, selector: Selector) -> Vec<u8> {
        codec::encode(&Message::SmartRequest {
            timestamp: ts(),
            content: Content::new(text).expect("content"),
            range: RangeKm::new(range).expect("range"),
            selector,
        })
        .expect("encodes")
    }

    fn mmsis(content: &str) -> Vec<u32> {
        let mut stream = AisStream::new();
        let mut out = Vec::new();
        for line in content.split('\r').filter(|l| !l.is_empty()) {
            if let Ok(Outcome::Ais(r)) = stream.push_line(line.as_bytes(), 0) {
                out.push(r.msg.mmsi);
            }
        }
        out.sort_unstable();
        out
    }

    const EMMA: &str = "!AIVDM,1,1,,A,85Mwp`1Kf3aCnsNvBWLi=wQuNhA5t43N`5nCuI=p<IBfVqnMgPGs,0*47";

    fn local(text: &str) -> Vec<LocalInfo> {
        crate::aiip::local_info::parse(text, 2_039_001).expect("valid local information")
    }

    #[test]
    fn local_information_is_flagged_and_delivered_where_and_while_it_applies() {
        let mut s = server();
        s.set_local_info(local(&format!(
            "[[info]]\nkind = \"emma\"\narea = {{ south = 51.5, west = 4.0, north = 52.5, east = 5.0 }}\n\
             until = \"2026-11-18T14:00:00Z\"\nsentences = [\"{EMMA}\"]\n\
             [[info]]\nkind = \"update_rate\"\narea = {{ south = 51.8, west = 4.3, north = 52.0, east = 4.5 }}\n\
             interval_s = 5\n"
        )));
        // Inside both areas: EMMA and update rate flagged, no range needed.
        let r = responses(&s.handle(&push(&vessel(A, 51.9, 4.4, 5.0, 0), None), 1, T0));
        assert_eq!(r.len(), 1);
        assert!(r[0].0.contains(Flags::EMMA_WARNING) && r[0].0.contains(Flags::UPDATE_RATE));
        assert!(!r[0].0.contains(Flags::RTA));
        // Message 3 delivers both: the EMMA sentence and a message 23.
        let ask = codec::encode(&Message::RequestLocation {
            timestamp: ts(),
            flags: Flags::EMMA_WARNING,
        })
        .expect("encodes");
        let r = responses(&s.handle(&ask, 1, T0 + 10));
        assert!(r[0].1.contains(EMMA));
        let mut stream = AisStream::new();
        let types: Vec<u8> = r[0]
            .1
            .split('\r')
            .filter_map(|l| match stream.push_line(l.as_bytes(), 0) {
                Ok(Outcome::Ais(m)) => Some(m.msg.msg_type),
                _ => None,
            })
            .collect();
        assert_eq!(types, vec![8, 23]);
        assert_eq!(s.stats().local_delivered, 2);
        // Inside the EMMA area only: only that flag.
        let r = responses(&s.handle(&push(&vessel(B, 52.3, 4.9, 5.0, 0), None), 2, T0));
        assert_eq!(r[0].0.difference(Flags::FINAL), Flags::EMMA_WARNING);
        // Outside both: nothing to flag, no answer at all (tactical).
        assert!(
            s.handle(&push(&vessel(FAR, 53.2, 6.6, 5.0, 0), None), 3, T0)
                .is_empty()
        );
        // After the EMMA warning's end (T0 is 2026-11-18 11:06:40 UTC).
        let later = T0 + 4 * 3_600_000;
        let r = responses(&s.handle(&push(&vessel(B, 52.3, 4.9, 5.0, 0), Some(1)), 2, later));
        assert!(!r[0].0.contains(Flags::EMMA_WARNING));
    }

    #[test]
    fn smart_request_filters_by_status_and_kind() {
        let mut s = server();
        let moored = vessel(A, 52.0, 5.0, 0.0, 5);
        let moving = vessel(B, 52.01, 5.01, 8.0, 0);
        s.handle(&push(&moored, None), 1, T0);
        s.handle(&push(&moving, None), 2, T0);
        // A pleasure craft, moving, with its message 5.
        let yacht = 244_000_009;
        s.handle(&push(&vessel(yacht, 52.02, 5.0, 6.0, 0), None), 9, T0);
        // A message 5 made the yacht's: its MMSI and ship type 37.
        let (mut m5, _) = ais_messages(STATIC5.iter().copied(), T0)
            .0
            .pop()
            .expect("message 5 decodes");
        m5.mmsi = yacht;
        if let Body::StaticVoyage(v) = &mut m5.body {
            v.shiptype = 37;
        }
        let bits = encode::encode(&m5).expect("encodes");
        let m5 = encode::to_vdm(&bits, "AI", false, Some('A'), 2).join("\r");
        s.handle(&push(&m5, None), 9, T0);
        let me = vessel(FAR, 52.005, 5.005, 3.0, 0);
        let ask = |s: &mut Server<u16>, sel: Selector| {
            let r = responses(&s.handle(&smart(&me, 10, sel), 3, T0 + 5));
            mmsis(&r[0].1)
        };
        assert_eq!(ask(&mut s, Selector::MOORED), vec![A]);
        assert_eq!(ask(&mut s, Selector::MOVING), vec![B, yacht]);
        assert_eq!(
            ask(&mut s, Selector::MOVING.union(Selector::PLEASURE_CRAFT)),
            vec![yacht]
        );
        assert_eq!(
            ask(&mut s, Selector::MOORED.union(Selector::MOVING)),
            vec![A, B, yacht]
        );
        assert_eq!(ask(&mut s, Selector::default()), vec![A, B, yacht]);
        assert_eq!(ask(&mut s, Selector::AIIP_ONLY), vec![A, B, yacht]);
        assert_eq!(ask(&mut s, Selector::AIS_ONLY), Vec::<u32>::new());
        assert_eq!(ask(&mut s, Selector::INLAND), Vec::<u32>::new());
        assert_eq!(s.stats().smart_requests, 8);
    }

    #[test]
    fn a_signed_off_vessel_is_renewed_and_relayed_until_it_signs_on() {
        let mut s: Server<u16> = Server::new(ServerConfig {
            relay: true,
            validate_addresses: false,
            ..ServerConfig::default()
        });
        let a = vessel(A, 52.0, 5.0, 0.0, 5);
        s.handle(&push(&a, None), 1, T0);
        assert_eq!(
            s.take_relay(),
            a.split('\r').map(str::to_owned).collect::<Vec<_>>()
        );
        let off = codec::encode(&Message::SignOff {
            timestamp: ts(),
            identifier: Identifier::mmsi(A),
        })
        .expect("encodes");
        assert_eq!(s.handle(&off, 1, T0 + 1000).len(), 1, "acknowledged");
        // Long after the obsolete limit, A is still there, renewed.
        let mut t = T0 + 1000;
        while t < T0 + 3 * DEFAULT_POSITION_MAX_AGE_MS {
            t += 60_000;
            s.tick(t);
        }
        let r = responses(&s.handle(&push(&vessel(B, 52.01, 5.0, 5.0, 0), Some(5)), 2, t));
        assert_eq!(mmsis(&r[0].1), vec![A]);
        assert!(
            s.stats().renewed >= 9,
            "every 3 min for 30 min: {}",
            s.stats().renewed
        );
        let relayed = s.take_relay();
        assert!(relayed.iter().filter(|l| a.contains(l.as_str())).count() >= 9);
        // Signed on again: no longer renewed, so it ages out.
        let on = codec::encode(&Message::SignOn {
            timestamp: ts(),
            identifier: Identifier::mmsi(A),
        })
        .expect("encodes");
        s.handle(&on, 1, t);
        assert_eq!(s.signed_off().count(), 0);
        let t2 = t + DEFAULT_POSITION_MAX_AGE_MS + 5000;
        s.tick(t2);
        let r = responses(&s.handle(&push(&vessel(B, 52.01, 5.0, 5.0, 0), Some(5)), 2, t2));
        assert!(mmsis(&r[0].1).is_empty());
    }

    #[test]
    fn feature_sets_turn_functions_off() {
        assert_eq!(Features::parse("all"), Ok(Features::ALL));
        assert!(Features::parse("radar").is_err());
        let minimal = Features::parse("minimal").expect("valid");
        let mut s: Server<u16> = Server::new(ServerConfig {
            features: minimal,
            relay: true,
            validate_addresses: false,
            ..ServerConfig::default()
        });
        let a = vessel(A, 52.0, 5.0, 5.0, 0);
        // A relay station: nothing stored, nothing answered, all relayed.
        assert!(s.handle(&push(&a, Some(10)), 1, T0).is_empty());
        assert!(s.store().position(A).is_none());
        assert_eq!(s.take_relay().len(), 1);
        let on = codec::encode(&Message::SignOn {
            timestamp: ts(),
            identifier: Identifier::mmsi(A),
        })
        .expect("encodes");
        assert!(s.handle(&on, 1, T0).is_empty(), "no smart AI-IP");
        assert_eq!(s.stats().feature_off, 2);
        // Base station: local information, but no traffic answers.
        let mut s: Server<u16> = Server::new(ServerConfig {
            features: Features::parse("base-station").expect("valid"),
            validate_addresses: false,
            ..ServerConfig::default()
        });
        s.set_local_info(local(&format!(
            "[[info]]\nkind = \"water_level\"\narea = {{ south = 51.0, west = 4.0, north = 53.0, east = 6.0 }}\n\
             sentences = [\"{EMMA}\"]\n"
        )));
        let r = responses(&s.handle(&push(&a, Some(10)), 1, T0));
        assert_eq!(
            r,
            vec![(Flags::WATER_LEVEL.union(Flags::FINAL), String::new())]
        );
    }

    /// A server that validates addresses, with a fixed secret.
    fn guarded() -> Server<u16> {
        let mut s = Server::new(ServerConfig::default());
        s.set_secret(Secret::from_bytes([9; 32]));
        s
    }

    /// `n` vessels around 52.0 N 5.0 E (from source 1000 + i), each
    /// reporting once.
    fn crowd(s: &mut Server<u16>, n: u32) {
        for i in 0..n {
            let lat = 52.0 + f64::from(i % 50) * 0.001;
            let lon = 5.0 + f64::from(i / 50) * 0.001;
            s.handle(
                &push(&position_vdm(300_000_000 + i, lat, lon), None),
                1000 + i as u16,
                T0,
            );
        }
    }

    fn token_of(content: &str) -> Option<String> {
        content
            .split('\r')
            .find(|l| validation::is_token_sentence(l))
            .map(str::to_owned)
    }

    #[test]
    fn an_unvalidated_source_gets_at_most_three_times_its_bytes_and_a_token() {
        let mut s = guarded();
        crowd(&mut s, 200);
        let ask = push(&position_vdm(A, 52.02, 5.002), Some(10));
        let (mut sent, mut got) = (0usize, 0usize);
        let mut token = None;
        for i in 0..30 {
            sent += ask.len();
            let r = s.handle(&ask, 1, T0 + 10 * i);
            got += r.iter().map(|(_, d)| d.len()).sum::<usize>();
            for (flags, content) in responses(&r) {
                assert!(flags.contains(Flags::FINAL));
                if let Some(t) = token_of(&content) {
                    assert_eq!(validation::parse(&t).map(|t| t.limited), Some(true));
                    token = Some(t);
                }
            }
        }
        assert!(got <= 3 * sent, "{got} bytes out for {sent} in");
        assert!(got > 2 * sent, "the budget is used: {got} for {sent}");
        assert_eq!(s.stats().unvalidated_limited, 30);
        // The full answer is 200 vessels (one datagram of 200 × ~47 bytes).
        let token = token.expect("a token came");
        let echo = push(
            &format!("{}\r{token}", position_vdm(A, 52.02, 5.002)),
            Some(10),
        );
        let r = responses(&s.handle(&echo, 1, T0 + 1000));
        let vessels: usize = r
            .iter()
            .map(|(_, c)| c.split('\r').filter(|l| l.starts_with("!AIVDM")).count())
            .sum();
        assert_eq!(vessels, 200);
        assert!(
            r.iter().all(|(_, c)| token_of(c).is_none()),
            "no renewal yet"
        );
        assert_eq!(s.stats().validated, 1);
        // The echoed token is no bad AIS sentence.
        assert_eq!(s.stats().bad_sentences, 0);
        // Messages without content now get full answers too.
        let detail = codec::encode(&Message::RequestDetail {
            identifiers: (0..200)
                .map(|i| Identifier::mmsi(300_000_000 + i))
                .collect(),
        })
        .expect("encodes");
        assert_eq!(s.handle(&detail, 1, T0 + 1001).len(), 1);
        // The same token from another address (reporting its own vessel)
        // is refused and changes nothing.
        let before = s.stats().unvalidated_limited;
        let other = push(
            &format!("{}\r{token}", position_vdm(B, 52.02, 5.003)),
            Some(10),
        );
        let r = s.handle(&other, 2, T0 + 1002);
        let out: usize = r.iter().map(|(_, d)| d.len()).sum();
        assert!(out <= 3 * other.len());
        assert_eq!(s.stats().token_refused.get("forged"), Some(&1));
        assert_eq!(s.stats().unvalidated_limited, before + 1);
        // Past its lifetime the token is refused and the source limited
        // again; the answer brings a fresh one.
        let late = T0 + 1000 + TOKEN_LIFETIME_MS + 5000;
        let r = responses(&s.handle(&echo, 1, late));
        assert_eq!(s.stats().token_refused.get("expired"), Some(&1));
        assert!(r.iter().any(|(_, c)| token_of(c).is_some()));
    }

    #[test]
    fn a_validated_token_is_renewed_and_allowed_networks_need_none() {
        let mut s = guarded();
        crowd(&mut s, 3);
        let first = responses(&s.handle(&push(&position_vdm(A, 52.0, 5.0), Some(5)), 1, T0));
        let token = token_of(&first[0].1).expect("token");
        let echo = |t: &str| push(&format!("{}\r{t}", position_vdm(A, 52.0, 5.0)), Some(5));
        // After TOKEN_RENEW_MS, a fresh (unlimited) token comes with the answer.
        let r = responses(&s.handle(&echo(&token), 1, T0 + TOKEN_RENEW_MS + 1000));
        let fresh = token_of(&r[0].1).expect("renewed");
        assert_ne!(fresh, token);
        assert_eq!(validation::parse(&fresh).map(|t| t.limited), Some(false));
        // An allowed network: no token, no limit, whatever it echoes.
        let mut s: Server<SocketAddr> = Server::new(ServerConfig::default());
        s.set_allowed(vec![Cidr::parse("127.0.0.0/8").expect("valid")]);
        let here: SocketAddr = "127.0.0.9:4000".parse().expect("address");
        let there: SocketAddr = "192.0.2.1:4000".parse().expect("address");
        s.handle(&push(&position_vdm(B, 52.0, 5.001), None), there, T0);
        let r = s.handle(&push(&position_vdm(A, 52.0, 5.0), Some(5)), here, T0);
        let (_, content) = match codec::decode(&r[0].1) {
            Ok(Message::Response { flags, content }) => (flags, content),
            other => panic!("{other:?}"),
        };
        assert_eq!(content.as_str(), position_vdm(B, 52.0, 5.001));
        // The other address is not in the network: a token and a cut.
        let r = s.handle(&push(&position_vdm(B, 52.0, 5.001), Some(5)), there, T0 + 1);
        let Ok(Message::Response { content, .. }) = codec::decode(&r[0].1) else {
            panic!("a response");
        };
        assert!(token_of(content.as_str()).is_some());
        assert_eq!(s.stats().unvalidated_limited, 0, "the answer fitted");
    }

    #[test]
    fn directed_messages_go_only_to_the_address_that_reports_the_vessel() {
        let mut s = server();
        let eta = eta_vdm(
            B,
            A,
            DayTime {
                month: 11,
                day: 18,
                hour: 12,
                minute: 0,
            },
        );
        s.handle(&push(&position_vdm(A, 52.0, 5.0), None), 1, T0);
        s.handle(&push(&eta, None), 2, T0 + 1);
        // Address 3 signs on as A: no flag, nothing handed over.
        let on = codec::encode(&Message::SignOn {
            timestamp: ts(),
            identifier: Identifier::mmsi(A),
        })
        .expect("encodes");
        s.handle(&on, 3, T0 + 2);
        let ask = codec::encode(&Message::RequestLocation {
            timestamp: ts(),
            flags: Flags::RTA,
        })
        .expect("encodes");
        assert_eq!(
            responses(&s.handle(&ask, 3, T0 + 3)),
            vec![(Flags::FINAL, String::new())]
        );
        assert_eq!(s.stats().directed_withheld, 1);
        // A's own address gets it.
        assert_eq!(
            responses(&s.handle(&ask, 1, T0 + 4)),
            vec![(Flags::FINAL, eta.clone())]
        );
        // Ten minutes without a report: A's address no longer collects.
        s.handle(&push(&eta, None), 2, T0 + 5);
        let late = T0 + REPORTER_WINDOW_MS + 61_000;
        s.tick(late);
        assert_eq!(
            responses(&s.handle(&ask, 1, late)),
            vec![(Flags::FINAL, String::new())]
        );
        assert_eq!(s.stats().directed_withheld, 2);
    }

    #[test]
    fn an_mmsi_jumping_between_addresses_is_counted_and_not_stored() {
        let mut s = server();
        s.handle(&push(&position_vdm(A, 52.0, 5.0), None), 1, T0);
        // One minute later from another address, 100 km away: a jump.
        s.handle(&push(&position_vdm(A, 52.9, 5.0), None), 2, T0 + 60_000);
        assert_eq!(s.stats().mmsi_jumps, 1);
        let kept = s.store().position(A).map(|r| r.position.lat_deg);
        assert!(
            kept.is_some_and(|lat| (lat - 52.0).abs() < 1e-3),
            "{kept:?}"
        );
        // 1.5 km in a minute (49 kn) from there: a voyage, stored; the new
        // address reports it now.
        s.handle(&push(&position_vdm(A, 52.0135, 5.0), None), 2, T0 + 120_000);
        assert_eq!(s.stats().mmsi_jumps, 1);
        let kept = s.store().position(A).map(|r| r.position.lat_deg);
        assert!(
            kept.is_some_and(|lat| (lat - 52.0135).abs() < 1e-3),
            "{kept:?}"
        );
        // The same address may jump (a GNSS fault is not a spoofer).
        s.handle(&push(&position_vdm(A, 53.0, 5.0), None), 2, T0 + 121_000);
        assert_eq!(s.stats().mmsi_jumps, 1);
    }

    /// A validating server on socket addresses, and `addr` validated by
    /// the token round trip while reporting `mmsi` at 52.0 N 5.0 E.
    fn validated_reporter(mmsi: u32, addr: SocketAddr) -> Server<SocketAddr> {
        let mut s: Server<SocketAddr> = Server::new(ServerConfig::default());
        s.set_secret(Secret::from_bytes([9; 32]));
        let r = s.handle(&push(&position_vdm(mmsi, 52.0, 5.0), Some(5)), addr, T0);
        let token = r
            .iter()
            .find_map(|(_, d)| match codec::decode(d) {
                Ok(Message::Response { content, .. }) => token_of(content.as_str()),
                _ => None,
            })
            .expect("a token");
        let echo = push(&format!("{}\r{token}", position_vdm(mmsi, 52.0, 5.0)), None);
        s.handle(&echo, addr, T0 + 1000);
        assert_eq!(s.stats().validated, 1);
        s
    }

    #[test]
    fn an_unvalidated_address_never_takes_a_vessel_over() {
        let v10: SocketAddr = "127.0.0.10:4000".parse().expect("address");
        let v12: SocketAddr = "127.0.0.12:4000".parse().expect("address");
        let mut s = validated_reporter(A, v10);
        // A directed message waits for A.
        let eta = eta_vdm(
            B,
            A,
            DayTime {
                month: 11,
                day: 18,
                hour: 12,
                minute: 0,
            },
        );
        s.handle(&push(&eta, None), v12, T0 + 1500);
        // From .12 (never validated): a plausible position 0.001° away is
        // refused, and so is the far jump after it.
        s.handle(&push(&position_vdm(A, 52.001, 5.0), None), v12, T0 + 2000);
        assert_eq!(s.stats().takeover_refused, 1);
        s.handle(&push(&position_vdm(A, 52.3, 5.0), None), v12, T0 + 3000);
        assert_eq!(s.stats().takeover_refused, 2);
        let kept = s.store().position(A).map(|r| r.position.lat_deg);
        assert!(
            kept.is_some_and(|lat| (lat - 52.0).abs() < 1e-6),
            "{kept:?}"
        );
        // .12 collects nothing; A's own report is stored, no jump.
        let ask = codec::encode(&Message::RequestLocation {
            timestamp: ts(),
            flags: Flags::RTA,
        })
        .expect("encodes");
        assert!(s.handle(&ask, v12, T0 + 3500).iter().all(|(_, d)| {
            !matches!(codec::decode(d), Ok(Message::Response { content, .. }) if content.as_str().contains("!AIVDM"))
        }));
        assert_eq!(s.stats().directed_withheld, 1);
        s.handle(&push(&position_vdm(A, 52.0005, 5.0), None), v10, T0 + 4000);
        assert_eq!(s.stats().mmsi_jumps, 0);
        let kept = s.store().position(A).map(|r| r.position.lat_deg);
        assert!(
            kept.is_some_and(|lat| (lat - 52.0005).abs() < 1e-6),
            "{kept:?}"
        );
        assert!(s.may_collect(&v10, A, T0 + 4000));
        // An unvalidated address may not jump either, even its own vessel.
        s.handle(&push(&position_vdm(B, 52.0, 5.0), None), v12, T0 + 5000);
        s.handle(&push(&position_vdm(B, 52.3, 5.0), None), v12, T0 + 6000);
        assert_eq!(s.stats().mmsi_jumps, 1);
        let kept = s.store().position(B).map(|r| r.position.lat_deg);
        assert!(
            kept.is_some_and(|lat| (lat - 52.0).abs() < 1e-6),
            "{kept:?}"
        );
        // An allowed network is trusted: a standard client there reports
        // its vessel as before, and may take it over from another.
        s.set_allowed(vec![Cidr::parse("127.0.0.12/32").expect("valid")]);
        s.handle(&push(&position_vdm(A, 52.001, 5.0), None), v12, T0 + 7000);
        assert_eq!(s.stats().takeover_refused, 2);
        assert!(s.may_collect(&v12, A, T0 + 7000));
        assert!(s.stats().to_string().contains("takeover_refused=2"));
    }

    #[test]
    fn forged_garbage_leaves_no_source_and_a_full_table_still_takes_new_clients() {
        let mut s: Server<SocketAddr> = Server::new(ServerConfig {
            max_sources: 16,
            ..ServerConfig::default()
        });
        s.set_allowed(vec![Cidr::parse("10.0.0.0/8").expect("valid")]);
        let addr = |net: &str, i: u32| -> SocketAddr {
            format!("{net}.{}:{}", i % 250, 5000 + i)
                .parse()
                .expect("address")
        };
        // Five-byte datagrams that are no AI-IP message, from 1,000 new
        // addresses: counted, nothing remembered.
        for i in 0..1000 {
            s.handle(&[0xFF, 1, 2, 3, 4], addr("192.0.2", i), T0 + i64::from(i));
        }
        assert_eq!(s.source_count(), 0);
        assert_eq!(s.stats().rejected.get("unknown_id"), Some(&1000));
        // Sixteen forged sign-offs fill the table …
        let off = codec::encode(&Message::SignOff {
            timestamp: ts(),
            identifier: Identifier::mmsi(A),
        })
        .expect("encodes");
        for i in 0..16 {
            s.handle(&off, addr("198.51.100", i), T0 + 2000 + i64::from(i));
        }
        assert_eq!(s.source_count(), 16);
        // … and a client of the allowed network still gets in: the oldest
        // unvalidated record makes room.
        let r = s.handle(&off, addr("10.0.0", 1), T0 + 3000);
        assert_eq!(r.len(), 1, "acknowledged");
        assert_eq!(s.stats().sources_evicted, 1);
        assert!(!s.sources.contains_key(&addr("198.51.100", 0)));
        assert!(s.sources.contains_key(&addr("198.51.100", 1)));
        // So does a new unvalidated client, at the cost of the next oldest.
        s.handle(&off, addr("203.0.113", 1), T0 + 3001);
        assert_eq!(s.stats().sources_evicted, 2);
        assert!(!s.sources.contains_key(&addr("198.51.100", 1)));
        // A table of allowed sources only is full for newcomers; nothing
        // allowed is pushed out.
        for i in 2..18 {
            s.handle(&off, addr("10.0.0", i), T0 + 4000 + i64::from(i));
        }
        assert_eq!(s.source_count(), 16);
        assert_eq!(s.stats().sources_evicted, 17);
        assert_eq!(s.stats().sources_full, 1, "the last allowed client");
        assert!(s.handle(&off, addr("203.0.113", 2), T0 + 5000).is_empty());
        assert_eq!(s.stats().sources_full, 2);
        assert!(s.sources.keys().all(|a| s.allowed(a)));
        assert!(s.stats().guard_counts().contains("sources_evicted=17"));
    }

    #[test]
    fn the_rate_and_the_answer_budget_are_per_ip_address_not_per_port() {
        let mut s: Server<SocketAddr> = Server::new(ServerConfig {
            rate_per_s: 2,
            burst: 3,
            validate_addresses: false,
            ..ServerConfig::default()
        });
        let port = |p: u16| SocketAddr::from(([127, 0, 0, 5], p));
        let off = codec::encode(&Message::SignOff {
            timestamp: ts(),
            identifier: Identifier::mmsi(A),
        })
        .expect("encodes");
        // Five ports of one host share the burst of 3.
        let answered = (0..5)
            .filter(|i| !s.handle(&off, port(4000 + i), T0).is_empty())
            .count();
        assert_eq!(answered, 3);
        assert_eq!(s.stats().rate_limited, 2);
        // Another host has its own bucket.
        assert_eq!(
            s.handle(&off, SocketAddr::from(([127, 0, 0, 6], 4000)), T0)
                .len(),
            1
        );
        // The answer bytes: 3,000 vessels, asked for from new ports of one
        // host; the third answer at once is cut as from one port.
        let mut s: Server<SocketAddr> = Server::new(ServerConfig {
            validate_addresses: false,
            ..ServerConfig::default()
        });
        for i in 0..3000u32 {
            let lat = 52.0 + f64::from(i % 50) * 0.001;
            let lon = 5.0 + f64::from(i / 50) * 0.001;
            let from = SocketAddr::from(([10, 1, (i / 250) as u8, (i % 250) as u8], 4000));
            s.handle(
                &push(&position_vdm(300_000_000 + i, lat, lon), None),
                from,
                T0,
            );
        }
        let ask = push(&position_vdm(A, 52.02, 5.02), Some(20));
        s.handle(&ask, port(5000), T0 + 1);
        s.handle(&ask, port(5001), T0 + 2);
        let r = s.handle(&ask, port(5002), T0 + 3);
        let third: u64 = r.iter().map(|(_, d)| d.len() as u64).sum();
        assert!(third < 8192, "{third}");
        assert_eq!(s.stats().answer_rate_limited, 1);
    }

    #[test]
    fn every_answer_is_bounded_per_request_and_per_second() {
        let mut s = server();
        // 3,000 vessels of ~47 bytes: more than MAX_ANSWER_BYTES.
        crowd(&mut s, 3000);
        let ask = push(&position_vdm(A, 52.02, 5.02), Some(20));
        let r = s.handle(&ask, 1, T0 + 1);
        let bytes: u64 = r.iter().map(|(_, d)| d.len() as u64).sum();
        assert!(
            bytes <= MAX_ANSWER_BYTES && bytes > MAX_ANSWER_BYTES - 8192,
            "{bytes}"
        );
        let last = responses(&r).pop().expect("answers");
        assert!(last.0.contains(Flags::FINAL));
        assert_eq!(s.stats().answer_truncated, 1);
        // The second fills the burst; the third, at once, is cut to nothing.
        s.handle(&ask, 1, T0 + 2);
        let r = s.handle(&ask, 1, T0 + 3);
        let third: u64 = r.iter().map(|(_, d)| d.len() as u64).sum();
        assert!(third < 8192, "{third}");
        assert_eq!(s.stats().answer_rate_limited, 1);
        // A second later 128 KiB more may go.
        let r = s.handle(&ask, 1, T0 + 1003);
        let later: u64 = r.iter().map(|(_, d)| d.len() as u64).sum();
        assert!(later > MAX_ANSWER_BYTES - 8192, "{later}");
    }
}
