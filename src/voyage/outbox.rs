//! The outbox: every ETA report and safety message handed to the
//! transponder, with its state as the transponder's ABK tells it.
//!
//! ```text
//! queued ──next_to_write──▶ sending ──written──▶ written ──ABK 0──▶ acknowledged
//!    ▲                        │                    │  ├──ABK 3──▶ broadcast
//!    └──────write_failed──────┘                    │  ├──ABK 1──▶ no_acknowledgement ──ABK 4──▶ late
//!                                                  │  ├──ABK 2──▶ not_broadcast
//!                                                  │  └──ABK 4──▶ late
//!                                                  └──no ABK in ABK_TIMEOUT_MS──▶ no_abk
//! sending, found by `restore` after a crash ──▶ interrupted (never re-sent)
//! ```
//!
//! Sequential message identifiers: ABM 0–3 and BBM 0–9, two separate
//! pools. An identifier is held from `next_to_write` until the message
//! leaves `sending`/`written`; while all four ABM identifiers are held,
//! further addressed messages stay queued (broadcasts behind them still go
//! out). Each pool hands out identifiers in turn (round robin, wrapping
//! around), so a just-freed identifier is the last to be reused.
//!
//! Pure: the time (ms since 1970) is passed in. Every state change is also
//! a JSON line in [`Outbox::take_journal`]; the caller appends those lines
//! to a file ([`super::store`]) and [`Outbox::restore`] rebuilds the outbox
//! from them after a crash.

use super::fields::{self, SafetyKind, UtcMinute};
use super::messages::{EtaReport, SafetyMessage};
use crate::ais::application::InlandLocation;
use crate::nmea::pi::{Abk, AckType};
use serde::{Deserialize, Serialize};

/// How long a written message waits for the transponder's ABK before it is
/// marked `no_abk` and the caller raises a transponder alarm.
pub const ABK_TIMEOUT_MS: i64 = 60_000;
/// ABM sequential message identifiers 0–3 (IEC 61162-1).
pub const ABM_IDS: u8 = 4;
/// BBM sequential message identifiers 0–9 (IEC 61162-1).
pub const BBM_IDS: u8 = 10;

/// The outbox's own number for a message, unique for the outbox's life
/// (and across restores).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(pub u64);

/// What can be sent through the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// Message 6, DAC 200, FI 21, in ABM.
    Eta(EtaReport),
    /// Message 12 in ABM or message 14 in BBM.
    Safety(SafetyMessage),
}

/// Which sentence, hence which pool of sequential message identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pool {
    Abm,
    Bbm,
}

impl Pool {
    fn size(self) -> u8 {
        match self {
            Pool::Abm => ABM_IDS,
            Pool::Bbm => BBM_IDS,
        }
    }
    fn index(self) -> usize {
        match self {
            Pool::Abm => 0,
            Pool::Bbm => 1,
        }
    }
}

impl Item {
    /// The addressee; `None` for a broadcast.
    pub fn to(&self) -> Option<u32> {
        match self {
            Item::Eta(r) => Some(r.to),
            Item::Safety(m) => m.to,
        }
    }

    /// The M.1371 message number (6, 12 or 14).
    pub fn msg_id(&self) -> u8 {
        match self {
            Item::Eta(_) => 6,
            Item::Safety(m) => m.kind().msg_id(),
        }
    }

    pub fn pool(&self) -> Pool {
        if self.to().is_some() {
            Pool::Abm
        } else {
            Pool::Bbm
        }
    }

    /// The sentences with sequential message identifier `seq`.
    pub fn sentences(&self, seq: u8) -> Result<Vec<String>, String> {
        match self {
            Item::Eta(r) => r.sentences(seq).map_err(|e| e.to_string()),
            Item::Safety(m) => Ok(m.sentences(seq)),
        }
    }
}

/// The state of one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// Waiting for a free sequential message identifier or for its turn.
    Queued,
    /// Handed to the caller to write (identifier allocated), not yet
    /// confirmed written.
    Sending { seq: u8 },
    /// Written to the transponder; waiting for its ABK.
    Written { seq: u8 },
    /// ABK 0: received by the addressee.
    Acknowledged { seq: u8 },
    /// ABK 3: broadcast done.
    Broadcast { seq: u8 },
    /// ABK 1: transmitted, but the addressee did not acknowledge.
    NoAcknowledgement { seq: u8 },
    /// ABK 2: the transponder could not broadcast it.
    NotBroadcast { seq: u8 },
    /// ABK 4: the addressee's acknowledgement came late.
    Late { seq: u8 },
    /// No ABK from the transponder within [`ABK_TIMEOUT_MS`].
    NoAbk { seq: u8 },
    /// Found `sending` after a crash: it may or may not have reached the
    /// transponder. Not re-sent; the officer decides.
    Interrupted { seq: u8 },
    /// The builder refused it (never written).
    Refused { reason: String },
}

impl State {
    /// The sequential message identifier, once allocated.
    pub fn seq(&self) -> Option<u8> {
        match self {
            State::Queued | State::Refused { .. } => None,
            State::Sending { seq }
            | State::Written { seq }
            | State::Acknowledged { seq }
            | State::Broadcast { seq }
            | State::NoAcknowledgement { seq }
            | State::NotBroadcast { seq }
            | State::Late { seq }
            | State::NoAbk { seq }
            | State::Interrupted { seq } => Some(*seq),
        }
    }

    /// The `result` of the headless `abk` event for a state an ABK set.
    pub fn abk_result(&self) -> Option<&'static str> {
        match self {
            State::Acknowledged { .. } => Some("received"),
            State::NoAcknowledgement { .. } => Some("no_ack"),
            State::NotBroadcast { .. } => Some("not_broadcast"),
            State::Broadcast { .. } => Some("broadcast"),
            State::Late { .. } => Some("late"),
            _ => None,
        }
    }

    /// Holds its sequential message identifier.
    pub fn in_flight(&self) -> bool {
        matches!(self, State::Sending { .. } | State::Written { .. })
    }
}

/// One message in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: Id,
    pub item: Item,
    pub state: State,
    /// When the message was queued.
    pub queued_ms: i64,
    /// When the current state began.
    pub since_ms: i64,
}

/// What an ABK was matched to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AbkMatch {
    /// The message it acknowledges and the state it is now in.
    Matched { id: Id, state: State },
    /// No message in the outbox fits: reported, nothing else changes.
    Unmatched { reason: &'static str },
}

/// What `tick` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxEvent {
    /// No ABK within [`ABK_TIMEOUT_MS`] of writing: raise the transponder
    /// alarm.
    NoAbk {
        id: Id,
        msg_id: u8,
        to: Option<u32>,
        seq: u8,
    },
}

/// A journal line that `restore` could not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreProblem {
    /// 1-based line number.
    pub line: usize,
    pub reason: String,
}

/// Tunables; the default is what the docs describe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxConfig {
    pub abk_timeout_ms: i64,
}

impl Default for OutboxConfig {
    fn default() -> Self {
        OutboxConfig {
            abk_timeout_ms: ABK_TIMEOUT_MS,
        }
    }
}

/// The outbox.
#[derive(Debug, Clone, Default)]
pub struct Outbox {
    config: OutboxConfig,
    entries: Vec<Entry>,
    next_id: u64,
    /// Next identifier to try, per pool.
    cursor: [u8; 2],
    journal: Vec<String>,
    transponder_silent: bool,
}

/// One journal line.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record {
    id: Id,
    at_ms: i64,
    #[serde(flatten)]
    state: State,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    item: Option<StoredItem>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredEta {
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    ms: i64,
}

/// An item as the journal keeps it: plain values, checked again by the
/// field validators on restore.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum StoredItem {
    Eta {
        to: u32,
        country: String,
        locode: String,
        section: String,
        terminal: String,
        hectometre: String,
        eta: StoredEta,
        tugs: u8,
        air_draught: u16,
    },
    Safety {
        to: Option<u32>,
        text: String,
    },
}

impl StoredItem {
    fn from_item(item: &Item) -> Self {
        match item {
            Item::Eta(r) => StoredItem::Eta {
                to: r.to,
                country: r.location.country.as_str().to_string(),
                locode: r.location.locode.as_str().to_string(),
                section: r.location.section.as_str().to_string(),
                terminal: r.location.terminal.as_str().to_string(),
                hectometre: r.location.hectometre.as_str().to_string(),
                eta: StoredEta {
                    year: r.eta.year,
                    month: r.eta.month,
                    day: r.eta.day,
                    hour: r.eta.hour,
                    minute: r.eta.minute,
                    ms: r.eta.ms,
                },
                tugs: r.tugs,
                air_draught: r.air_draught,
            },
            Item::Safety(m) => StoredItem::Safety {
                to: m.to,
                text: m.text.text.clone(),
            },
        }
    }

    fn to_item(&self) -> Result<Item, String> {
        let e = |e: fields::FieldError| e.to_string();
        match self {
            StoredItem::Eta {
                to,
                country,
                locode,
                section,
                terminal,
                hectometre,
                eta,
                tugs,
                air_draught,
            } => Ok(Item::Eta(EtaReport {
                to: *to,
                location: InlandLocation {
                    country: fields::country_code(country).map_err(e)?,
                    locode: fields::location_code(locode).map_err(e)?,
                    section: fields::fairway_section(section).map_err(e)?,
                    terminal: fields::terminal_code(terminal).map_err(e)?,
                    hectometre: fields::fairway_hectometre(hectometre).map_err(e)?,
                },
                eta: UtcMinute {
                    year: eta.year,
                    month: eta.month,
                    day: eta.day,
                    hour: eta.hour,
                    minute: eta.minute,
                    ms: eta.ms,
                },
                tugs: *tugs,
                air_draught: *air_draught,
            })),
            StoredItem::Safety { to, text } => {
                let kind = if to.is_some() {
                    SafetyKind::Addressed
                } else {
                    SafetyKind::Broadcast
                };
                Ok(Item::Safety(SafetyMessage {
                    to: *to,
                    text: fields::safety_text(text, kind).map_err(e)?,
                }))
            }
        }
    }
}

impl Outbox {
    pub fn new(config: OutboxConfig) -> Self {
        Outbox {
            config,
            ..Outbox::default()
        }
    }

    /// The tunables it was made with.
    pub fn config(&self) -> OutboxConfig {
        self.config
    }

    /// All messages, oldest first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, id: Id) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// True after a `no_abk` timeout until the transponder sends any ABK
    /// again: the caller shows a transponder alarm while it is set.
    pub fn transponder_silent(&self) -> bool {
        self.transponder_silent
    }

    /// The whole outbox as the shortest journal that [`Outbox::restore`]
    /// reads back the same: per message its queuing (with the message and
    /// the time it was queued) and, unless still queued, its present state
    /// since when it holds. Intermediate states are left out, so a journal
    /// rewritten from this stays as long as the outbox, not its history.
    pub fn compacted_journal(&self) -> Vec<String> {
        let mut out = Vec::new();
        for e in &self.entries {
            let queued = Record {
                id: e.id,
                at_ms: e.queued_ms,
                state: State::Queued,
                item: Some(StoredItem::from_item(&e.item)),
            };
            out.extend(serde_json::to_string(&queued).ok());
            if e.state != State::Queued {
                let now = Record {
                    id: e.id,
                    at_ms: e.since_ms,
                    state: e.state.clone(),
                    item: None,
                };
                out.extend(serde_json::to_string(&now).ok());
            }
        }
        out
    }

    /// The journal lines produced since the last call: append them (and
    /// flush) before writing the sentences `next_to_write` returned.
    pub fn take_journal(&mut self) -> Vec<String> {
        std::mem::take(&mut self.journal)
    }

    fn log(&mut self, id: Id, at_ms: i64, state: &State, item: Option<&Item>) {
        let r = Record {
            id,
            at_ms,
            state: state.clone(),
            item: item.map(StoredItem::from_item),
        };
        // Serialising plain values into a string cannot fail; should it,
        // the line is left out rather than stopping the outbox.
        if let Ok(line) = serde_json::to_string(&r) {
            self.journal.push(line);
        }
    }

    fn set(&mut self, idx: usize, state: State, now: i64) {
        let id = self.entries[idx].id;
        self.log(id, now, &state, None);
        let e = &mut self.entries[idx];
        e.state = state;
        e.since_ms = now;
    }

    /// Put a message in the outbox.
    pub fn queue(&mut self, item: Item, now: i64) -> Id {
        let id = Id(self.next_id);
        self.next_id += 1;
        self.log(id, now, &State::Queued, Some(&item));
        self.entries.push(Entry {
            id,
            item,
            state: State::Queued,
            queued_ms: now,
            since_ms: now,
        });
        id
    }

    fn seq_free(&self, pool: Pool, seq: u8) -> bool {
        !self
            .entries
            .iter()
            .any(|e| e.state.in_flight() && e.item.pool() == pool && e.state.seq() == Some(seq))
    }

    fn allocate(&mut self, pool: Pool) -> Option<u8> {
        let n = pool.size();
        let start = self.cursor[pool.index()] % n;
        let seq = (0..n)
            .map(|k| (start + k) % n)
            .find(|&s| self.seq_free(pool, s))?;
        self.cursor[pool.index()] = (seq + 1) % n;
        Some(seq)
    }

    /// The oldest queued message that can go now, with its sequential
    /// message identifier allocated and its sentences built; it is then
    /// `sending`. Append the journal before writing the sentences, then
    /// call [`Outbox::written`] (or [`Outbox::write_failed`]).
    pub fn next_to_write(&mut self, now: i64) -> Option<(Id, Vec<String>)> {
        let mut idx = 0;
        while idx < self.entries.len() {
            if self.entries[idx].state == State::Queued {
                let pool = self.entries[idx].item.pool();
                if let Some(seq) = self.allocate(pool) {
                    match self.entries[idx].item.sentences(seq) {
                        Ok(lines) => {
                            self.set(idx, State::Sending { seq }, now);
                            return Some((self.entries[idx].id, lines));
                        }
                        Err(reason) => self.set(idx, State::Refused { reason }, now),
                    }
                }
            }
            idx += 1;
        }
        None
    }

    /// The sentences of `id` were written to the transponder: the ABK
    /// timer starts. False if `id` was not `sending` (unknown, or an ABK
    /// that overtook this call has already settled it). A `sending` message
    /// has no timer: the caller always follows `next_to_write` with this
    /// call or [`Outbox::write_failed`].
    pub fn written(&mut self, id: Id, now: i64) -> bool {
        let Some(idx) = self.entries.iter().position(|e| e.id == id) else {
            return false;
        };
        let State::Sending { seq } = self.entries[idx].state else {
            return false;
        };
        self.set(idx, State::Written { seq }, now);
        true
    }

    /// The sentences of `id` could not be written: it goes back to the
    /// queue and frees its identifier. False if `id` was not `sending`.
    pub fn write_failed(&mut self, id: Id, now: i64) -> bool {
        let Some(idx) = self.entries.iter().position(|e| e.id == id) else {
            return false;
        };
        if !matches!(self.entries[idx].state, State::Sending { .. }) {
            return false;
        }
        self.set(idx, State::Queued, now);
        true
    }

    /// Match an ABK from the transponder to the message it answers.
    ///
    /// The key is the message number, the sequential identifier and, for an
    /// addressed message, the addressee's MMSI; the channel is not used (we
    /// leave the channel to the transponder). Among messages with that key,
    /// ABK 4 prefers the one that had ABK 1, then one that timed out, then
    /// one still waiting, then one interrupted by a crash; the other types
    /// prefer the one waiting (`written`, then `sending`), then the latest
    /// that timed out, then one interrupted by a crash (its ABK shows it did
    /// reach the transponder).
    pub fn abk(&mut self, abk: &Abk, now: i64) -> AbkMatch {
        self.transponder_silent = false;
        let pool = match abk.msg_id {
            6 | 12 => Pool::Abm,
            14 => Pool::Bbm,
            _ => {
                return AbkMatch::Unmatched {
                    reason: "not a message the outbox sends",
                };
            }
        };
        let new_state = |seq: u8| match (pool, abk.ack) {
            (Pool::Abm, AckType::Received) => Some(State::Acknowledged { seq }),
            (Pool::Abm, AckType::NoAcknowledgement) => Some(State::NoAcknowledgement { seq }),
            (_, AckType::NotBroadcast) => Some(State::NotBroadcast { seq }),
            (Pool::Abm, AckType::LateAcknowledgement) => Some(State::Late { seq }),
            (Pool::Bbm, AckType::Broadcast) => Some(State::Broadcast { seq }),
            _ => None,
        };
        let Some(target) = new_state(abk.seq_id) else {
            return AbkMatch::Unmatched {
                reason: "acknowledgement type does not apply to this message",
            };
        };
        let key = |e: &Entry| {
            e.item.msg_id() == abk.msg_id
                && e.state.seq() == Some(abk.seq_id)
                && (pool == Pool::Bbm || e.item.to() == abk.dest_mmsi)
        };
        type Pick = fn(&State) -> bool;
        let order: &[Pick] = if abk.ack == AckType::LateAcknowledgement {
            &[
                |s| matches!(s, State::NoAcknowledgement { .. }),
                |s| matches!(s, State::NoAbk { .. }),
                |s| matches!(s, State::Written { .. }),
                |s| matches!(s, State::Sending { .. }),
                |s| matches!(s, State::Interrupted { .. }),
            ]
        } else {
            &[
                |s| matches!(s, State::Written { .. }),
                |s| matches!(s, State::Sending { .. }),
                |s| matches!(s, State::NoAbk { .. }),
                |s| matches!(s, State::Interrupted { .. }),
            ]
        };
        let found = order
            .iter()
            .find_map(|pick| self.entries.iter().rposition(|e| key(e) && pick(&e.state)));
        match found {
            Some(idx) => {
                self.set(idx, target.clone(), now);
                AbkMatch::Matched {
                    id: self.entries[idx].id,
                    state: target,
                }
            }
            None => AbkMatch::Unmatched {
                reason: "no message waiting with this MMSI, message number and identifier",
            },
        }
    }

    /// Time out written messages without an ABK.
    pub fn tick(&mut self, now: i64) -> Vec<OutboxEvent> {
        let mut events = Vec::new();
        for idx in 0..self.entries.len() {
            let e = &self.entries[idx];
            if let State::Written { seq } = e.state
                && now - e.since_ms >= self.config.abk_timeout_ms
            {
                events.push(OutboxEvent::NoAbk {
                    id: e.id,
                    msg_id: e.item.msg_id(),
                    to: e.item.to(),
                    seq,
                });
                self.set(idx, State::NoAbk { seq }, now);
                self.transponder_silent = true;
            }
        }
        events
    }

    /// Rebuild the outbox from its journal after a crash. Queued messages
    /// stay queued; written ones keep their last known state (a `written`
    /// one keeps waiting for its ABK from the time it was written); one
    /// found `sending` becomes `interrupted` and is never re-sent. Lines
    /// that cannot be read (a torn last line) are reported and skipped.
    /// The `interrupted` changes are in the new outbox's journal.
    pub fn restore<I, S>(lines: I, config: OutboxConfig, now: i64) -> (Outbox, Vec<RestoreProblem>)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut ob = Outbox::new(config);
        let mut problems = Vec::new();
        for (n, line) in lines.into_iter().enumerate() {
            let line = line.as_ref().trim();
            if line.is_empty() {
                continue;
            }
            let mut problem = |reason: String| {
                problems.push(RestoreProblem {
                    line: n + 1,
                    reason,
                })
            };
            let r: Record = match serde_json::from_str(line) {
                Ok(r) => r,
                Err(err) => {
                    problem(format!("unreadable: {err}"));
                    continue;
                }
            };
            ob.next_id = ob.next_id.max(r.id.0.saturating_add(1));
            let existing = ob.entries.iter().position(|e| e.id == r.id);
            match (existing, r.item) {
                (None, Some(stored)) => match stored.to_item() {
                    Ok(item) => ob.entries.push(Entry {
                        id: r.id,
                        item,
                        state: r.state,
                        queued_ms: r.at_ms,
                        since_ms: r.at_ms,
                    }),
                    Err(reason) => problem(format!("message {}: {reason}", r.id.0)),
                },
                (Some(_), Some(_)) => problem(format!("message {} queued twice", r.id.0)),
                (None, None) => problem(format!("message {} never queued", r.id.0)),
                (Some(idx), None) => {
                    if let State::Sending { seq } = r.state {
                        let pool = ob.entries[idx].item.pool();
                        ob.cursor[pool.index()] = (seq + 1) % pool.size();
                    }
                    let e = &mut ob.entries[idx];
                    e.state = r.state;
                    e.since_ms = r.at_ms;
                }
            }
        }
        for idx in 0..ob.entries.len() {
            if let State::Sending { seq } = ob.entries[idx].state {
                ob.set(idx, State::Interrupted { seq }, now);
            }
        }
        (ob, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safety(to: Option<u32>, text: &str) -> Item {
        let kind = if to.is_some() {
            SafetyKind::Addressed
        } else {
            SafetyKind::Broadcast
        };
        Item::Safety(SafetyMessage {
            to,
            text: fields::safety_text(text, kind).unwrap(),
        })
    }

    fn abk(to: Option<u32>, msg_id: u8, seq_id: u8, ack: AckType) -> Abk {
        Abk {
            dest_mmsi: to,
            channel: Some('A'),
            msg_id,
            seq_id,
            ack,
        }
    }

    #[test]
    fn bbm_identifiers_run_0_to_9_and_wrap() {
        let mut ob = Outbox::default();
        let mut seqs = Vec::new();
        for i in 0..12 {
            ob.queue(safety(None, "TEST"), i);
            let (id, lines) = ob.next_to_write(i).unwrap();
            assert!(lines[0].starts_with("!ECBBM"));
            ob.written(id, i);
            let seq = ob.get(id).unwrap().state.seq().unwrap();
            seqs.push(seq);
            let m = ob.abk(&abk(None, 14, seq, AckType::Broadcast), i);
            assert_eq!(
                m,
                AbkMatch::Matched {
                    id,
                    state: State::Broadcast { seq }
                }
            );
        }
        assert_eq!(seqs, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    }

    #[test]
    fn abk_type_that_does_not_apply_is_unmatched() {
        let mut ob = Outbox::default();
        let id = ob.queue(safety(Some(244_123_456), "HELLO"), 0);
        ob.next_to_write(0).unwrap();
        ob.written(id, 1);
        let m = ob.abk(&abk(Some(244_123_456), 12, 0, AckType::Broadcast), 2);
        assert!(matches!(m, AbkMatch::Unmatched { .. }));
        let m = ob.abk(&abk(Some(244_123_456), 12, 0, AckType::Other(7)), 2);
        assert!(matches!(m, AbkMatch::Unmatched { .. }));
        assert_eq!(ob.get(id).unwrap().state, State::Written { seq: 0 });
    }

    #[test]
    fn write_failed_requeues_and_frees_the_identifier() {
        let mut ob = Outbox::default();
        let id = ob.queue(safety(Some(244_123_456), "HELLO"), 0);
        let (got, _) = ob.next_to_write(0).unwrap();
        assert_eq!(got, id);
        assert!(ob.next_to_write(0).is_none());
        assert!(ob.write_failed(id, 1));
        assert_eq!(ob.get(id).unwrap().state, State::Queued);
        assert!(ob.next_to_write(2).is_some());
    }

    #[test]
    fn journal_lines_are_json_with_state_and_item() {
        let mut ob = Outbox::default();
        ob.queue(safety(None, "SECURITE"), 5);
        let j = ob.take_journal();
        assert_eq!(j.len(), 1);
        let v: serde_json::Value = serde_json::from_str(&j[0]).unwrap();
        assert_eq!(v["state"], "queued");
        assert_eq!(v["item"]["kind"], "safety");
        assert_eq!(v["item"]["text"], "SECURITE");
        assert!(ob.take_journal().is_empty());
    }
}
