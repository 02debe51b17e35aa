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
use std::hash::Hash;

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};

use super::codec::{
    self, Content, Flags, IdentifierType, MAX_DATAGRAM, Message, Selector, split_response,
};
use super::local_info::LocalInfo;
use super::store::{
    DirectedMessage, GeoPoint, InMemoryStore, Mmsi, PositionRecord, SquareRange, StaticRecord,
    StoreLimits, VesselStore,
};
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
}

impl fmt::Display for ServerStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "datagrams={} replies={} oversized={} rate_limited={} sources_full={}",
            self.datagrams, self.replies, self.oversized, self.rate_limited, self.sources_full
        )?;
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
             encode_failures={}",
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
            self.encode_failures
        )
    }
}

/// What the server remembers about one source address.
#[derive(Debug, Clone)]
struct Source {
    /// Token bucket, in thousandths of a datagram.
    milli_tokens: u64,
    last_ms: i64,
    /// The vessel behind the address: from its sign-on or its last report.
    mmsi: Option<Mmsi>,
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
    last_purge_ms: Option<i64>,
    rta_seq: u8,
    local: Vec<LocalInfo>,
    /// Signed-off vessels (§3.3.4.12) and when each was last renewed.
    signed_off: BTreeMap<Mmsi, i64>,
    relay: Vec<String>,
}

impl<A: Clone + Eq + Hash> Server<A> {
    /// A server with an empty store.
    pub fn new(config: ServerConfig) -> Self {
        Self {
            config,
            store: InMemoryStore::new(config.store_limits),
            stats: ServerStats::default(),
            sources: HashMap::new(),
            last_purge_ms: None,
            rta_seq: 0,
            local: Vec::new(),
            signed_off: BTreeMap::new(),
            relay: Vec::new(),
        }
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
        if !self.admit(&from, now_ms) {
            return Vec::new();
        }
        self.purge(now_ms);
        let message = match codec::decode(datagram) {
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
                let (requester, center) = self.take_report(&from, &content, now_ms);
                let flags = self.flags_for(requester, center, now_ms);
                match range {
                    Some(_) if !features.keeps_traffic() => {
                        self.stats.feature_off += 1;
                        self.flags_only(flags)
                    }
                    Some(range) => match center {
                        Some(center) => {
                            let text = self.search(center, range.km(), requester, None);
                            self.response(flags, &text)
                        }
                        None => {
                            self.stats.range_without_position += 1;
                            self.flags_only(flags)
                        }
                    },
                    None => self.flags_only(flags),
                }
            }
            Message::RequestDetail { .. } if !features.keeps_traffic() => {
                self.stats.feature_off += 1;
                Vec::new()
            }
            Message::RequestDetail { identifiers } => {
                let text = identifiers
                    .iter()
                    .filter(|i| i.kind == IdentifierType::Mmsi)
                    .filter_map(|i| self.store.static_data(i.id))
                    .map(|r| r.sentences.as_str().to_owned())
                    .collect::<Vec<_>>()
                    .join("\r");
                self.response(Flags::default(), &text)
            }
            Message::RequestLocation { .. } if !features.base_functions() => {
                self.stats.feature_off += 1;
                Vec::new()
            }
            Message::RequestLocation { .. } => {
                let requester = self.sources.get(&from).and_then(|s| s.mmsi);
                let waiting = requester
                    .map(|m| self.store.take_directed(m))
                    .unwrap_or_default();
                self.stats.directed_delivered += waiting.len() as u64;
                let mut parts: Vec<&str> = waiting.iter().map(|d| d.sentences.as_str()).collect();
                // Local information for the requester's last position
                // (§3.3.4.10, AIIP.md Behaviour).
                let here = requester
                    .and_then(|m| self.store.position(m))
                    .map(|r| r.position);
                let local: Vec<&LocalInfo> = match here {
                    Some(p) => self.local.iter().filter(|i| i.applies(p, now_ms)).collect(),
                    None => Vec::new(),
                };
                self.stats.local_delivered += local.len() as u64;
                parts.extend(local.iter().map(|i| i.sentences.as_str()));
                let text = parts.join("\r");
                self.response(Flags::default(), &text)
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
                self.encoded(&Message::Acknowledgement { timestamp })
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
                self.encoded(&Message::Acknowledgement { timestamp })
            }
            Message::SmartRequest {
                content,
                range,
                selector,
                ..
            } => {
                self.stats.smart_requests += 1;
                let (requester, center) = self.take_report(&from, &content, now_ms);
                let flags = self.flags_for(requester, center, now_ms);
                match center {
                    Some(center) => {
                        let text = self.search(center, range.km(), requester, Some(selector));
                        self.response(flags, &text)
                    }
                    None => {
                        self.stats.range_without_position += 1;
                        self.flags_only(flags)
                    }
                }
            }
            Message::Response { .. } | Message::Acknowledgement { .. } => {
                self.stats.unexpected += 1;
                Vec::new()
            }
        };
        self.stats.replies += replies.len() as u64;
        replies.into_iter().map(|r| (from.clone(), r)).collect()
    }

    /// Token bucket per source; also bounds the number of sources.
    fn admit(&mut self, from: &A, now_ms: i64) -> bool {
        let capacity = u64::from(self.config.burst.max(1)) * 1000;
        if !self.sources.contains_key(from) {
            if self.sources.len() >= self.config.max_sources {
                self.sources
                    .retain(|_, s| now_ms.saturating_sub(s.last_ms) < SOURCE_IDLE_MS);
            }
            if self.sources.len() >= self.config.max_sources {
                self.stats.sources_full += 1;
                return false;
            }
            self.sources.insert(
                from.clone(),
                Source {
                    milli_tokens: capacity,
                    last_ms: now_ms,
                    mmsi: None,
                },
            );
        }
        let rate = u64::from(self.config.rate_per_s);
        let Some(source) = self.sources.get_mut(from) else {
            return false;
        };
        let elapsed = u64::try_from(now_ms.saturating_sub(source.last_ms)).unwrap_or(0);
        source.milli_tokens = source
            .milli_tokens
            .saturating_add(elapsed.saturating_mul(rate))
            .min(capacity);
        source.last_ms = source.last_ms.max(now_ms);
        if source.milli_tokens >= 1000 {
            source.milli_tokens -= 1000;
            true
        } else {
            self.stats.rate_limited += 1;
            false
        }
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
    fn flags_for(&self, mmsi: Option<Mmsi>, here: Option<GeoPoint>, now_ms: i64) -> Flags {
        if !self.config.features.base_functions() {
            return Flags::default();
        }
        let mut flags = match mmsi {
            Some(m) if self.store.has_directed(m) => Flags::RTA,
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
        let reporter = self.take_content(content, now_ms);
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
    ) -> String {
        let square = SquareRange::around(center, f64::from(range_km));
        self.store
            .in_range(&square, requester)
            .iter()
            .filter(|(m, r)| selector.is_none_or(|s| self.selected(*m, r, s)))
            .map(|(_, r)| r.sentences.as_str().to_owned())
            .collect::<Vec<_>>()
            .join("\r")
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
    fn flags_only(&mut self, flags: Flags) -> Vec<Vec<u8>> {
        if flags.is_empty() {
            Vec::new()
        } else {
            self.response(flags, "")
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
    fn take_content(&mut self, content: &Content, now_ms: i64) -> Option<(Mmsi, GeoPoint)> {
        let (messages, bad) = ais_messages(content.sentences(), now_ms);
        self.stats.bad_sentences += bad;
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
                let record = PositionRecord {
                    position: point,
                    sentences,
                    received_ms: now_ms,
                };
                match self.store.upsert_position(m.mmsi, record) {
                    Ok(_) => self.stats.positions += 1,
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
        Server::new(ServerConfig::default())
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
}
