//! The desk: everything the officer sends to and receives from other
//! stations, in one place. It holds the outbox (ETA reports and safety
//! messages, followed to their ABK), the wait for RTAs after an ETA
//! report, the inbox (received safety messages and RTAs) and the plain
//! data writes (VSD, SSD) that have no acknowledgement.
//!
//! Pure: time is passed in; the caller writes the sentences [`Desk::writes`]
//! hands out to the transponder link, reports back with
//! [`Desk::write_done`], and appends the journal lines
//! ([`Desk::take_journal`]) to the outbox and inbox files.

use super::eta::{EtaEvent, EtaWatch, RtaMatch};
use super::messages::EtaReport;
use super::outbox::{AbkMatch, Entry, Id, Item, Outbox, OutboxConfig, OutboxEvent, State};
use crate::nmea::pi::Abk;
use crate::traffic::{RtaReceived, SafetyMessage};
use serde::{Deserialize, Serialize};

/// Why a send was refused before anything was queued.
pub const NO_TRANSPONDER: &str = "no transponder link to write to: name it with [own_ship] \
     transponder = \"serial:…\" or \"tcp:…\", or give one serial: input";

/// Why a safety message cannot go out through AI-IP.
pub const AIIP_NO_SAFETY: &str = "through the AI-IP server only ETA reports and own voyage, \
     station and inland data go out; safety messages need the transponder";

/// What a write carries, so that its result finds its way back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteTag {
    /// A message of the outbox.
    Outbox(Id),
    /// Voyage, station or inland data (`"VSD"`, `"SSD"`, `"PIWWIVD"`,
    /// `"PIWWSSD"`): no acknowledgement.
    Data(&'static str),
}

/// Sentences to write to the transponder link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    pub tag: WriteTag,
    pub lines: Vec<String>,
}

/// One received item in the inbox.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxEntry {
    /// The inbox's own number, in order of arrival.
    pub n: u64,
    pub at_ms: i64,
    pub kind: InboxKind,
    /// Not yet opened by the officer.
    pub unread: bool,
    /// A message 12 addressed to own MMSI (flagged, and it alerts).
    pub to_us: bool,
}

/// What was received.
#[derive(Debug, Clone, PartialEq)]
pub enum InboxKind {
    Safety(SafetyMessage),
    /// An RTA, with the ETA report it answers (`None`: unasked).
    Rta {
        rta: RtaReceived,
        answers: Option<EtaReport>,
    },
}

/// What the desk reports, for the screen, the alarm list and the
/// headless stream.
#[derive(Debug, Clone, PartialEq)]
pub enum DeskEvent {
    /// An outbox message was written to the transponder (`repeat`: the
    /// automatic repeat of an unanswered ETA report).
    Sent {
        at_ms: i64,
        id: Id,
        item: Item,
        seq: u8,
        repeat: bool,
    },
    /// Voyage or station data was written.
    DataWritten { at_ms: i64, what: &'static str },
    /// A write to the transponder link failed; the message waits in the
    /// queue (data writes are dropped and reported).
    WriteFailed {
        at_ms: i64,
        tag: WriteTag,
        reason: String,
    },
    /// An ABK settled a message.
    Abk {
        at_ms: i64,
        id: Id,
        item: Item,
        state: State,
    },
    /// An ABK that fits no message.
    AbkUnmatched {
        at_ms: i64,
        abk: Abk,
        reason: &'static str,
    },
    /// No ABK within the timeout: a transponder alarm.
    NoAbk {
        at_ms: i64,
        id: Id,
        msg_id: u8,
        to: Option<u32>,
        seq: u8,
    },
    /// An RTA arrived (`answers`: the ETA report it answers, `None` when
    /// unasked).
    Rta {
        rta: RtaReceived,
        answers: Option<EtaReport>,
    },
    /// No RTA within 15 minutes: the ETA report was queued again.
    EtaRepeated { at_ms: i64, to: u32, id: Id },
    /// No RTA after the repeat: "no answer from the lock" (a caution).
    NoAnswer {
        at_ms: i64,
        to: u32,
        report: EtaReport,
    },
    /// A safety message was received (`to_us`: addressed to own MMSI).
    Received { at_ms: i64, n: u64, to_us: bool },
}

/// One inbox journal line.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum InboxRecord {
    Safety {
        n: u64,
        at_ms: i64,
        from: u32,
        to: Option<u32>,
        text: String,
    },
    Rta {
        n: u64,
        at_ms: i64,
        from: u32,
        to: u32,
        /// The RTA as sentences would not survive; the fields do.
        rta: String,
        status: u8,
        /// Country, location, section, terminal, hectometre.
        location: [String; 5],
    },
    Read {
        n: u64,
    },
}

impl InboxRecord {
    fn rta(n: u64, rta: &RtaReceived) -> InboxRecord {
        let l = &rta.location;
        InboxRecord::Rta {
            n,
            at_ms: rta.at_ms,
            from: rta.from,
            to: rta.to,
            rta: format!(
                "{:02}-{:02}T{:02}:{:02}",
                rta.rta.month, rta.rta.day, rta.rta.hour, rta.rta.minute
            ),
            status: rta.status,
            location: [
                l.country.to_string(),
                l.locode.to_string(),
                l.section.to_string(),
                l.terminal.to_string(),
                l.hectometre.to_string(),
            ],
        }
    }
}

/// The desk.
#[derive(Debug, Clone, Default)]
pub struct Desk {
    pub outbox: Outbox,
    pub eta: EtaWatch,
    inbox: Vec<InboxEntry>,
    next_n: u64,
    own_mmsi: Option<u32>,
    /// A link the sentences can be written to exists.
    writable: bool,
    /// Without a transponder, ETA reports and own data go out through the
    /// AI-IP client.
    aiip: bool,
    data: Vec<Write>,
    /// Outbox ids of automatic repeats, until written.
    repeats: Vec<Id>,
    events: Vec<DeskEvent>,
    inbox_journal: Vec<String>,
}

impl Desk {
    /// A desk for own MMSI `own_mmsi`; `writable`: a transponder link to
    /// write to is configured.
    pub fn new(own_mmsi: Option<u32>, writable: bool, config: OutboxConfig) -> Self {
        Desk {
            outbox: Outbox::new(config),
            own_mmsi,
            writable,
            ..Desk::default()
        }
    }

    /// Restore the outbox and the inbox from their journals (after a
    /// restart or a crash). Returns the problems found, as
    /// `(file, line, reason)` text for the log.
    pub fn restore(
        &mut self,
        outbox_lines: &[String],
        inbox_lines: &[String],
        now: i64,
    ) -> Vec<String> {
        let mut problems = Vec::new();
        // The configured tunables (ABK timeout) survive the restore.
        let config = self.outbox.config();
        let (outbox, p) = Outbox::restore(outbox_lines.iter(), config, now);
        self.outbox = outbox;
        problems.extend(
            p.into_iter()
                .map(|p| format!("outbox line {}: {}", p.line, p.reason)),
        );
        for (i, l) in inbox_lines.iter().enumerate() {
            match serde_json::from_str::<InboxRecord>(l) {
                Ok(r) => self.restore_inbox(r),
                Err(e) => problems.push(format!("inbox line {}: {e}", i + 1)),
            }
        }
        problems
    }

    fn restore_inbox(&mut self, r: InboxRecord) {
        match r {
            InboxRecord::Safety {
                n,
                at_ms,
                from,
                to,
                text,
            } => {
                let to_us = to.is_some() && to == self.own_mmsi;
                self.inbox.push(InboxEntry {
                    n,
                    at_ms,
                    kind: InboxKind::Safety(SafetyMessage {
                        at_ms,
                        from,
                        to,
                        text,
                    }),
                    unread: true,
                    to_us,
                });
                self.next_n = self.next_n.max(n + 1);
            }
            InboxRecord::Rta {
                n,
                at_ms,
                from,
                to,
                rta,
                status,
                location,
            } => {
                if let Some(r) = parse_stored_rta(at_ms, from, to, &rta, status, &location) {
                    self.inbox.push(InboxEntry {
                        n,
                        at_ms,
                        kind: InboxKind::Rta {
                            rta: r,
                            answers: None,
                        },
                        unread: true,
                        to_us: true,
                    });
                }
                self.next_n = self.next_n.max(n + 1);
            }
            InboxRecord::Read { n } => {
                if let Some(e) = self.inbox.iter_mut().find(|e| e.n == n) {
                    e.unread = false;
                }
            }
        }
    }

    /// Whether a send can be accepted (a transponder link exists).
    pub fn writable(&self) -> bool {
        self.writable
    }

    /// A transponder link to write to exists (or no longer does).
    pub fn set_writable(&mut self, writable: bool) {
        self.writable = writable;
    }

    /// Whether ETA reports and own voyage, station and inland data can go
    /// out through an AI-IP server when there is no transponder (safety
    /// messages still need one).
    pub fn set_through_aiip(&mut self, on: bool) {
        self.aiip = on;
    }

    /// Whether ETA reports and own data go out through AI-IP (no
    /// transponder, an AI-IP client that can send).
    pub fn through_aiip(&self) -> bool {
        !self.writable && self.aiip
    }

    /// Own MMSI, as configured.
    pub fn own_mmsi(&self) -> Option<u32> {
        self.own_mmsi
    }

    /// Why a safety message (`true`) or an ETA report or own data
    /// (`false`) would be refused now, if it would: the reason a form
    /// shows as soon as it opens, and [`send`](Self::send) gives.
    pub fn refusal(&self, safety: bool) -> Option<String> {
        if self.writable {
            None
        } else if !self.aiip {
            Some(NO_TRANSPONDER.to_string())
        } else if safety {
            Some(format!("{NO_TRANSPONDER}; {AIIP_NO_SAFETY}"))
        } else {
            None
        }
    }

    /// Queue an ETA report or a safety message. Refused, with nothing
    /// queued, when there is no transponder link (an ETA report goes
    /// through AI-IP then, if there is a client).
    pub fn send(&mut self, item: Item, now: i64) -> Result<Id, String> {
        if let Some(why) = self.refusal(matches!(item, Item::Safety(_))) {
            return Err(why);
        }
        Ok(self.outbox.queue(item, now))
    }

    /// Write voyage (`"VSD"`), station (`"SSD"`) or inland (`"PIWWIVD"`,
    /// `"PIWWSSD"`) data: to the transponder, or without one to the AI-IP
    /// client, which sends them as its own static data. Refused when there
    /// is neither.
    pub fn send_data(&mut self, what: &'static str, lines: Vec<String>) -> Result<(), String> {
        if let Some(why) = self.refusal(false) {
            return Err(why);
        }
        // IEC 61162-1 §5.3: a transponder may drop a longer sentence.
        if let Some(e) = lines
            .iter()
            .find_map(|l| crate::nmea::check_length(l).err())
        {
            return Err(format!("{what} not sent: {e}"));
        }
        self.data.push(Write {
            tag: WriteTag::Data(what),
            lines,
        });
        Ok(())
    }

    /// Everything to write now. Append [`take_journal`](Self::take_journal)
    /// before writing, then report each with
    /// [`write_done`](Self::write_done).
    pub fn writes(&mut self, now: i64) -> Vec<Write> {
        let mut out: Vec<Write> = std::mem::take(&mut self.data);
        while let Some((id, lines)) = self.outbox.next_to_write(now) {
            out.push(Write {
                tag: WriteTag::Outbox(id),
                lines,
            });
        }
        out
    }

    /// The result of a write.
    pub fn write_done(&mut self, tag: &WriteTag, result: Result<(), String>, now: i64) {
        match (tag, result) {
            (WriteTag::Outbox(id), Ok(())) => {
                if self.outbox.written(*id, now)
                    && let Some(e) = self.outbox.get(*id)
                {
                    let (item, seq) = (e.item.clone(), e.state.seq().unwrap_or(0));
                    let repeat = self.repeats.contains(id);
                    self.repeats.retain(|r| r != id);
                    if let (Item::Eta(r), false) = (&item, repeat) {
                        self.eta.sent(*r, now);
                    }
                    self.events.push(DeskEvent::Sent {
                        at_ms: now,
                        id: *id,
                        item,
                        seq,
                        repeat,
                    });
                }
            }
            (WriteTag::Outbox(id), Err(reason)) => {
                self.outbox.write_failed(*id, now);
                self.events.push(DeskEvent::WriteFailed {
                    at_ms: now,
                    tag: tag.clone(),
                    reason,
                });
            }
            (WriteTag::Data(what), Ok(())) => {
                self.events
                    .push(DeskEvent::DataWritten { at_ms: now, what });
            }
            (WriteTag::Data(_), Err(reason)) => {
                self.events.push(DeskEvent::WriteFailed {
                    at_ms: now,
                    tag: tag.clone(),
                    reason,
                });
            }
        }
    }

    /// An ABK from the transponder.
    pub fn abk(&mut self, abk: &Abk, now: i64) {
        match self.outbox.abk(abk, now) {
            AbkMatch::Matched { id, state } => {
                if let Some(e) = self.outbox.get(id) {
                    self.events.push(DeskEvent::Abk {
                        at_ms: now,
                        id,
                        item: e.item.clone(),
                        state,
                    });
                }
            }
            AbkMatch::Unmatched { reason } => self.events.push(DeskEvent::AbkUnmatched {
                at_ms: now,
                abk: *abk,
                reason,
            }),
        }
    }

    /// An RTA received (from the transponder or over AI-IP). Only RTAs
    /// addressed to own MMSI (or any, while own MMSI is unknown) count.
    pub fn rta(&mut self, rta: &RtaReceived) {
        if self.own_mmsi.is_some_and(|m| m != rta.to) {
            return;
        }
        let answers = match self.eta.rta(rta) {
            RtaMatch::Answered { report, .. } => Some(report),
            RtaMatch::Unasked { .. } => None,
        };
        let n = self.next_n;
        self.next_n += 1;
        self.journal_inbox(&InboxRecord::rta(n, rta));
        self.inbox.push(InboxEntry {
            n,
            at_ms: rta.at_ms,
            kind: InboxKind::Rta {
                rta: rta.clone(),
                answers,
            },
            unread: true,
            to_us: true,
        });
        self.events.push(DeskEvent::Rta {
            rta: rta.clone(),
            answers,
        });
    }

    /// A safety message received (message 12 or 14).
    pub fn safety(&mut self, m: &SafetyMessage) {
        let to_us = m.to.is_some() && m.to == self.own_mmsi;
        let n = self.next_n;
        self.next_n += 1;
        self.journal_inbox(&InboxRecord::Safety {
            n,
            at_ms: m.at_ms,
            from: m.from,
            to: m.to,
            text: m.text.clone(),
        });
        self.inbox.push(InboxEntry {
            n,
            at_ms: m.at_ms,
            kind: InboxKind::Safety(m.clone()),
            unread: true,
            to_us,
        });
        self.events.push(DeskEvent::Received {
            at_ms: m.at_ms,
            n,
            to_us,
        });
    }

    /// The officer opened inbox entry `n`.
    pub fn mark_read(&mut self, n: u64) {
        if let Some(e) = self.inbox.iter_mut().find(|e| e.n == n && e.unread) {
            e.unread = false;
            self.journal_inbox(&InboxRecord::Read { n });
        }
    }

    /// Received items, oldest first.
    pub fn inbox(&self) -> &[InboxEntry] {
        &self.inbox
    }

    /// Outbox messages, oldest first.
    pub fn outbox_entries(&self) -> &[Entry] {
        self.outbox.entries()
    }

    /// ABK timeouts, RTA repeats and "no answer" notices due at `now`.
    pub fn tick(&mut self, now: i64) {
        for e in self.outbox.tick(now) {
            let OutboxEvent::NoAbk {
                id,
                msg_id,
                to,
                seq,
            } = e;
            self.events.push(DeskEvent::NoAbk {
                at_ms: now,
                id,
                msg_id,
                to,
                seq,
            });
        }
        for e in self.eta.tick(now) {
            match e {
                EtaEvent::Repeat { to, report } => {
                    let id = self.outbox.queue(Item::Eta(report), now);
                    self.repeats.push(id);
                    self.events
                        .push(DeskEvent::EtaRepeated { at_ms: now, to, id });
                }
                EtaEvent::NoAnswer { to, report } => {
                    self.events.push(DeskEvent::NoAnswer {
                        at_ms: now,
                        to,
                        report,
                    });
                }
            }
        }
    }

    /// What happened since the last call.
    pub fn take_events(&mut self) -> Vec<DeskEvent> {
        std::mem::take(&mut self.events)
    }

    /// Journal lines since the last call: `(outbox, inbox)`. Append and
    /// flush them before writing to the transponder.
    pub fn take_journal(&mut self) -> (Vec<String>, Vec<String>) {
        (
            self.outbox.take_journal(),
            std::mem::take(&mut self.inbox_journal),
        )
    }

    /// Both journals at their shortest (see
    /// [`Outbox::compacted_journal`]): `(outbox, inbox)`, each item once,
    /// read items marked read. Restoring them gives the same desk.
    pub fn compacted_journals(&self) -> (Vec<String>, Vec<String>) {
        let mut inbox = Vec::new();
        for e in &self.inbox {
            let r = match &e.kind {
                InboxKind::Safety(m) => InboxRecord::Safety {
                    n: e.n,
                    at_ms: e.at_ms,
                    from: m.from,
                    to: m.to,
                    text: m.text.clone(),
                },
                InboxKind::Rta { rta, .. } => InboxRecord::rta(e.n, rta),
            };
            inbox.extend(serde_json::to_string(&r).ok());
            if !e.unread {
                inbox.extend(serde_json::to_string(&InboxRecord::Read { n: e.n }).ok());
            }
        }
        (self.outbox.compacted_journal(), inbox)
    }

    fn journal_inbox(&mut self, r: &InboxRecord) {
        if let Ok(line) = serde_json::to_string(r) {
            self.inbox_journal.push(line);
        }
    }
}

/// The ISRS location code as one string (country, location, section,
/// terminal, hectometre).
pub fn location_text(l: &crate::ais::application::InlandLocation) -> String {
    format!(
        "{}{}{}{}{}",
        l.country, l.locode, l.section, l.terminal, l.hectometre
    )
}

fn parse_stored_rta(
    at_ms: i64,
    from: u32,
    to: u32,
    rta: &str,
    status: u8,
    location: &[String; 5],
) -> Option<RtaReceived> {
    use crate::ais::application::{DayTime, InlandLocation};
    use crate::nmea::armour::Text;
    let b = rta.as_bytes();
    let num = |r: std::ops::Range<usize>| rta.get(r)?.parse::<u8>().ok();
    if b.len() != 11 {
        return None;
    }
    let t = DayTime {
        month: num(0..2)?,
        day: num(3..5)?,
        hour: num(6..8)?,
        minute: num(9..11)?,
    };
    let loc = InlandLocation {
        country: Text::from_str_lossy(&location[0]),
        locode: Text::from_str_lossy(&location[1]),
        section: Text::from_str_lossy(&location[2]),
        terminal: Text::from_str_lossy(&location[3]),
        hectometre: Text::from_str_lossy(&location[4]),
    };
    Some(RtaReceived {
        at_ms,
        from,
        to,
        location: loc,
        rta: t,
        status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ais::application::{DayTime, InlandLocation};
    use crate::voyage::fields::{self, SafetyKind};
    use crate::voyage::messages::SafetyMessage as Outgoing;

    const NOW: i64 = 1_795_348_800_000;
    const OWN: u32 = 244_000_001;

    fn desk(abk_timeout_ms: i64) -> Desk {
        Desk::new(Some(OWN), true, OutboxConfig { abk_timeout_ms })
    }

    fn addressed(text: &str) -> Item {
        Item::Safety(Outgoing {
            to: Some(244_123_456),
            text: fields::safety_text(text, SafetyKind::Addressed).unwrap(),
        })
    }

    fn rta(from: u32, to: u32) -> RtaReceived {
        RtaReceived {
            at_ms: NOW,
            from,
            to,
            location: InlandLocation {
                country: fields::country_code("AT").unwrap(),
                locode: fields::location_code("VIE").unwrap(),
                section: fields::fairway_section("00001").unwrap(),
                terminal: fields::terminal_code("00000").unwrap(),
                hectometre: fields::fairway_hectometre("01234").unwrap(),
            },
            rta: DayTime {
                month: 11,
                day: 22,
                hour: 14,
                minute: 45,
            },
            status: 1,
        }
    }

    #[test]
    fn not_writable_refuses_and_can_be_made_writable() {
        let mut d = Desk::new(Some(OWN), false, OutboxConfig::default());
        assert_eq!(d.send(addressed("HI"), NOW).unwrap_err(), NO_TRANSPONDER);
        assert_eq!(d.send_data("VSD", vec![]).unwrap_err(), NO_TRANSPONDER);
        assert!(d.take_journal().0.is_empty(), "nothing queued");
        d.set_writable(true);
        assert!(d.writable());
        assert!(d.send(addressed("HI"), NOW).is_ok());
    }

    #[test]
    fn a_sentence_over_82_characters_is_not_sent() {
        let mut d = desk(60_000);
        let long = crate::nmea::build('$', "ECVSD", &["D".repeat(71).as_str()]);
        assert_eq!(long.len(), 81);
        let e = d.send_data("VSD", vec![long]).unwrap_err();
        assert!(e.contains("81 characters (83 with CR LF)"), "{e}");
        assert!(d.writes(NOW).is_empty());
        let fits = crate::nmea::build('$', "ECVSD", &["D".repeat(70).as_str()]);
        assert!(d.send_data("VSD", vec![fits]).is_ok());
    }

    #[test]
    fn data_goes_out_first_and_each_write_reports_back() {
        let mut d = desk(60_000);
        let id = d.send(addressed("HI"), NOW).unwrap();
        d.send_data("SSD", vec!["$ECSSD".into()]).unwrap();
        let w = d.writes(NOW);
        assert_eq!(
            w.iter().map(|w| w.tag.clone()).collect::<Vec<_>>(),
            [WriteTag::Data("SSD"), WriteTag::Outbox(id)]
        );
        assert!(d.writes(NOW).is_empty(), "handed out once");
        d.write_done(&w[0].tag, Ok(()), NOW);
        d.write_done(&w[1].tag, Ok(()), NOW + 1);
        let e = d.take_events();
        assert_eq!(
            e[0],
            DeskEvent::DataWritten {
                at_ms: NOW,
                what: "SSD"
            }
        );
        assert!(matches!(&e[1], DeskEvent::Sent { id: i, seq: 0, repeat: false, .. } if *i == id));
    }

    #[test]
    fn restore_keeps_the_configured_abk_timeout() {
        let mut d = desk(5_000);
        let id = d.send(addressed("HI"), NOW).unwrap();
        let w = d.writes(NOW);
        d.write_done(&w[0].tag, Ok(()), NOW);
        let (ob, ib) = d.take_journal();
        let mut r = desk(5_000);
        assert!(r.restore(&ob, &ib, NOW + 1_000).is_empty());
        r.tick(NOW + 5_000);
        assert!(
            r.take_events()
                .iter()
                .any(|e| matches!(e, DeskEvent::NoAbk { id: i, .. } if *i == id)),
            "timed out after the configured 5 s, not the default 60 s"
        );
    }

    #[test]
    fn inbox_survives_a_restart_with_what_was_read() {
        let mut d = desk(60_000);
        d.safety(&SafetyMessage {
            at_ms: NOW,
            from: 244_123_456,
            to: Some(OWN),
            text: "HELLO".into(),
        });
        d.safety(&SafetyMessage {
            at_ms: NOW + 1,
            from: 244_123_457,
            to: None,
            text: "SECURITE".into(),
        });
        d.rta(&rta(2_039_991, OWN));
        // Not for us: not the desk's.
        d.rta(&rta(2_039_991, 211_000_000));
        assert_eq!(d.inbox().len(), 3);
        d.mark_read(0);
        let (ob, ib) = d.take_journal();
        assert!(ob.is_empty());
        assert_eq!(ib.len(), 4);
        let mut r = desk(60_000);
        let problems = r.restore(&[], &[ib.clone(), vec!["{torn".into()]].concat(), NOW);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("inbox line 5"), "{problems:?}");
        let i = r.inbox();
        assert_eq!(i.len(), 3);
        assert!(!i[0].unread && i[0].to_us);
        assert!(i[1].unread && !i[1].to_us);
        let InboxKind::Rta { rta: got, .. } = &i[2].kind else {
            panic!("{:?}", i[2])
        };
        assert_eq!(got, &rta(2_039_991, OWN));
        // New entries are numbered after the restored ones.
        r.safety(&SafetyMessage {
            at_ms: NOW + 2,
            from: 1,
            to: None,
            text: "X".into(),
        });
        assert_eq!(r.inbox()[3].n, 3);
    }

    #[test]
    fn compacted_journals_restore_the_same_desk() {
        use crate::nmea::pi::{Abk, AckType};
        let mut d = desk(60_000);
        // Five messages in five states: acknowledged, no ABK, written,
        // queued behind busy identifiers ... and one more queued.
        for k in 0..6 {
            d.send(addressed(&format!("MSG {k}")), NOW + k).unwrap();
        }
        let writes = d.writes(NOW + 10);
        assert_eq!(writes.len(), 4, "four identifiers");
        for w in &writes {
            d.write_done(&w.tag, Ok(()), NOW + 20);
        }
        let abk = Abk {
            dest_mmsi: Some(244_123_456),
            channel: None,
            msg_id: 12,
            seq_id: 0,
            ack: AckType::Received,
        };
        d.abk(&abk, NOW + 30);
        d.tick(NOW + 20 + 60_000);
        d.safety(&SafetyMessage {
            at_ms: NOW + 40,
            from: 211_000_001,
            to: Some(OWN),
            text: "HELLO".into(),
        });
        d.rta(&rta(2_039_991, OWN));
        d.mark_read(0);
        let _ = d.take_journal();
        let (ob, ib) = d.compacted_journals();
        let mut back = desk(60_000);
        assert!(back.restore(&ob, &ib, NOW + 100_000).is_empty());
        assert_eq!(back.outbox_entries(), d.outbox_entries());
        let strip = |v: &[InboxEntry]| {
            v.iter()
                .map(|e| {
                    (
                        e.n,
                        e.at_ms,
                        e.unread,
                        e.to_us,
                        format!("{:?}", e.kind).replace("answers: Some", "answers: None"),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(back.inbox()), strip(d.inbox()));
        // One line per message queued, one more for each that left the
        // queue (4 of 6): 10, against the 6 + 4 + 4 + 1 + 3 lines of its
        // history (queued, sending, written, the ABK, three timeouts).
        assert_eq!(ob.len(), 10, "{ob:?}");
    }
}
