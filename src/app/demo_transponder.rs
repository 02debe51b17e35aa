//! The demo's simulated transponder: what the console writes to its
//! transponder link in `bridgewatch demo` goes here, and what a transponder
//! and the stations around it would answer comes back, on the data clock.
//!
//! Pure and clocked by the caller: [`DemoTransponder::write`] takes each
//! sentence written with the engine's data time, [`DemoTransponder::due`]
//! hands out the answers due by a time. Nothing here sleeps or reads a
//! clock, so tests run in microseconds.
//!
//! What it answers (the stations are the demo scenario's, see
//! [`super::demo`]):
//! - Every ABM and BBM, joined from its sentences, checksums verified: the
//!   transponder's ABK. An ABM to [`DEMO_ACK_SHIP_MMSI`] or [`DEMO_LOCK_MMSI`]
//!   is "received by the addressee" (type 0) after [`ACK_DELAY_MS`]; an
//!   ABM to anyone else "no acknowledgement" (type 1) after
//!   [`NO_ACK_DELAY_MS`], the transponder's retries spent; a BBM
//!   "broadcast" (type 3) after [`ACK_DELAY_MS`].
//! - An ETA report (message 6, DAC 200, FI 21) to the lock: the lock's RTA
//!   (message 6, DAC 200, FI 22) to own ship, same ISRS location code, RTA =
//!   ETA + [`RTA_AFTER_ETA_MIN`] minutes, lock operational, as `!AIVDM`
//!   [`RTA_DELAY_MS`] after the report.
//! - A safety message (12) to the ack ship: its own message 12 to own ship,
//!   "RECEIVED, NORDIC STAR", as `!AIVDM` [`REPLY_DELAY_MS`] after it.
//! - VSD and SSD are accepted and answer nothing (as a transponder does);
//!   anything else is ignored.
//!
//! Like a real transponder it answers nothing to a sentence that fails its
//! checksum or does not parse, nor to a message whose sentences do not
//! arrive complete and in order; [`DemoTransponder::stats`] counts them.
//!
//! The answers are plain sentences without tag blocks, as a transponder
//! writes them: the engine gives them its current data time.

use super::demo::{DEMO_ACK_SHIP_MMSI, DEMO_ACK_SHIP_NAME, DEMO_LOCK_MMSI, OWN_MMSI};
use crate::aiip::server::rta_time;
use crate::ais::application::{AddressedApp, InlandRta};
use crate::ais::encode::{encode, to_vdm};
use crate::ais::messages::{AddressedBinary, AisMessage, Body, SafetyAddressed, decode};
use crate::nmea::armour::Text;
use crate::nmea::frame;
use crate::nmea::pi::{self, Abk, AckType, BinaryFragment};
use crate::voyage::messages::as_transmitted;

/// Talker of the transponder's sentences (ABK, VDM).
pub const TALKER: &str = "AI";
/// ABK "received by the addressee" or "broadcast": after this long.
pub const ACK_DELAY_MS: i64 = 2_000;
/// ABK "no acknowledgement": after this long (the retries of an addressed
/// message).
pub const NO_ACK_DELAY_MS: i64 = 4_000;
/// The lock's RTA: this long after the ETA report.
pub const RTA_DELAY_MS: i64 = 20_000;
/// The RTA the lock gives: the ETA plus this many minutes.
pub const RTA_AFTER_ETA_MIN: u32 = 10;
/// The ack ship's reply to a safety message: this long after it.
pub const REPLY_DELAY_MS: i64 = 30_000;
/// How many sentences a partly received ABM/BBM may wait for the rest.
const MAX_PARTS: u8 = 9;

/// What the transponder has seen, for tests and diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TransponderStats {
    /// Sentences that failed framing or their checksum: no answer.
    pub bad_checksum: u64,
    /// ABM/BBM sentences whose fields did not parse: no answer.
    pub malformed: u64,
    /// ABM/BBM sentences dropped because one was missing or out of order
    /// (each partly received message and each stray sentence counts), and
    /// messages whose data did not join: no answer.
    pub incomplete: u64,
    /// Complete ABM/BBM messages accepted (each gets its ABK).
    pub messages: u64,
    /// VSD and SSD sentences accepted.
    pub data: u64,
    /// Other sentences, ignored.
    pub ignored: u64,
}

/// One ABM or BBM being joined.
#[derive(Debug, Clone)]
struct Partial {
    fragments: Vec<BinaryFragment>,
}

/// An answer waiting for its time.
#[derive(Debug, Clone)]
struct Scheduled {
    due_ms: i64,
    /// Order of scheduling, so answers due together keep their order.
    n: u64,
    lines: Vec<String>,
}

/// The simulated transponder (see the module documentation).
#[derive(Debug, Clone)]
pub struct DemoTransponder {
    own_mmsi: u32,
    /// ABM (index 0) and BBM (index 1) in progress, one per sequential
    /// message identifier 0–3.
    partial: [[Option<Partial>; 4]; 2],
    scheduled: Vec<Scheduled>,
    next_n: u64,
    /// Sequential message identifier of multi-sentence VDMs (0–9).
    vdm_seq: u8,
    /// Sequence number (0–3) of the messages 6/12 the stations send.
    air_seq: u8,
    stats: TransponderStats,
}

impl Default for DemoTransponder {
    fn default() -> Self {
        Self::new()
    }
}

impl DemoTransponder {
    /// The demo's own ship's transponder ([`OWN_MMSI`]).
    pub fn new() -> Self {
        Self::with_own_mmsi(OWN_MMSI)
    }

    /// A transponder whose own MMSI (the addressee of the replies) is
    /// `own_mmsi`.
    pub fn with_own_mmsi(own_mmsi: u32) -> Self {
        DemoTransponder {
            own_mmsi,
            partial: Default::default(),
            scheduled: Vec::new(),
            next_n: 0,
            vdm_seq: 0,
            air_seq: 0,
            stats: TransponderStats::default(),
        }
    }

    /// What it has seen so far.
    pub fn stats(&self) -> TransponderStats {
        self.stats
    }

    /// Answers scheduled and not yet handed out.
    pub fn pending(&self) -> usize {
        self.scheduled.len()
    }

    /// Take one sentence the console wrote at data time `now_ms` (with or
    /// without a tag block and line end).
    pub fn write(&mut self, line: &str, now_ms: i64) {
        let line = line.trim_end_matches(['\r', '\n']);
        let Ok(s) = frame(line.as_bytes()) else {
            self.stats.bad_checksum += 1;
            return;
        };
        match s.formatter {
            "ABM" | "BBM" => match pi::parse_binary(&s) {
                Ok(f) => self.fragment(f, now_ms),
                Err(_) => self.stats.malformed += 1,
            },
            "VSD" | "SSD" => self.stats.data += 1,
            _ => self.stats.ignored += 1,
        }
    }

    /// The sentences due by `now_ms`, in the order they fall due; each is
    /// handed out once.
    pub fn due(&mut self, now_ms: i64) -> Vec<String> {
        let (mut ready, waiting): (Vec<Scheduled>, Vec<Scheduled>) =
            self.scheduled.drain(..).partition(|s| s.due_ms <= now_ms);
        self.scheduled = waiting;
        ready.sort_by_key(|s| (s.due_ms, s.n));
        ready.into_iter().flat_map(|s| s.lines).collect()
    }

    /// The time the next answer falls due, if any.
    pub fn next_due_ms(&self) -> Option<i64> {
        self.scheduled.iter().map(|s| s.due_ms).min()
    }

    fn fragment(&mut self, f: BinaryFragment, now_ms: i64) {
        let kind = usize::from(f.dest_mmsi.is_none());
        let slot = usize::from(f.seq_id % 4);
        let valid = f.total >= 1 && f.total <= MAX_PARTS && f.number >= 1 && f.number <= f.total;
        if !valid || f.seq_id > 3 {
            self.stats.malformed += 1;
            return;
        }
        let entry = &mut self.partial[kind][slot];
        if f.number == 1 {
            if entry.take().is_some() {
                // The previous message with this identifier never ended.
                self.stats.incomplete += 1;
            }
        } else {
            let follows = entry
                .as_ref()
                .and_then(|p| p.fragments.last())
                .is_some_and(|last| {
                    last.number + 1 == f.number
                        && last.total == f.total
                        && last.dest_mmsi == f.dest_mmsi
                        && last.msg_id == f.msg_id
                });
            if !follows {
                if entry.take().is_some() {
                    self.stats.incomplete += 1;
                }
                self.stats.incomplete += 1;
                return;
            }
        }
        let done = f.number == f.total;
        let p = entry.get_or_insert_with(|| Partial {
            fragments: Vec::new(),
        });
        p.fragments.push(f);
        if done {
            let fragments = entry.take().map(|p| p.fragments).unwrap_or_default();
            self.message(&fragments, now_ms);
        }
    }

    fn schedule(&mut self, due_ms: i64, lines: Vec<String>) {
        self.scheduled.push(Scheduled {
            due_ms,
            n: self.next_n,
            lines,
        });
        self.next_n += 1;
    }

    /// A complete ABM or BBM.
    fn message(&mut self, fragments: &[BinaryFragment], now_ms: i64) {
        let Some(first) = fragments.first() else {
            return;
        };
        let Some(payload) = as_transmitted(self.own_mmsi, fragments) else {
            self.stats.incomplete += 1;
            return;
        };
        self.stats.messages += 1;
        let channel = match first.channel {
            2 => 'B',
            _ => 'A',
        };
        let (ack, delay) = match first.dest_mmsi {
            None => (AckType::Broadcast, ACK_DELAY_MS),
            Some(DEMO_ACK_SHIP_MMSI | DEMO_LOCK_MMSI) => (AckType::Received, ACK_DELAY_MS),
            Some(_) => (AckType::NoAcknowledgement, NO_ACK_DELAY_MS),
        };
        let abk = pi::build_abk(
            TALKER,
            &Abk {
                dest_mmsi: first.dest_mmsi,
                channel: Some(channel),
                msg_id: first.msg_id,
                seq_id: first.seq_id,
                ack,
            },
        );
        self.schedule(now_ms + delay, vec![abk]);
        // What the addressee makes of it: the message as it went on the air.
        let Ok(m) = decode(&payload) else {
            return;
        };
        match (&m.body, first.dest_mmsi) {
            (Body::AddressedBinary(b), Some(DEMO_LOCK_MMSI)) if m.msg_type == 6 => {
                if let AddressedApp::InlandEta(eta) = &b.app {
                    let rta = InlandRta {
                        location: eta.location,
                        rta: rta_time(eta.eta, RTA_AFTER_ETA_MIN, now_ms),
                        status: 0,
                    };
                    let reply = self.addressed(
                        DEMO_LOCK_MMSI,
                        6,
                        |seqno, dest_mmsi| {
                            Body::AddressedBinary(Box::new(AddressedBinary {
                                seqno,
                                dest_mmsi,
                                retransmit: false,
                                dac: 200,
                                fid: 22,
                                app: AddressedApp::InlandRta(rta),
                            }))
                        },
                        channel,
                    );
                    self.schedule(now_ms + RTA_DELAY_MS, reply);
                }
            }
            (Body::SafetyAddressed(_), Some(DEMO_ACK_SHIP_MMSI)) if m.msg_type == 12 => {
                let text = Text::from_str_lossy(&format!("RECEIVED, {DEMO_ACK_SHIP_NAME}"));
                let reply = self.addressed(
                    DEMO_ACK_SHIP_MMSI,
                    12,
                    |seqno, dest_mmsi| {
                        Body::SafetyAddressed(Box::new(SafetyAddressed {
                            seqno,
                            dest_mmsi,
                            retransmit: false,
                            text,
                        }))
                    },
                    channel,
                );
                self.schedule(now_ms + REPLY_DELAY_MS, reply);
            }
            _ => {}
        }
    }

    /// The VDM sentences of an addressed message from `from` to own ship.
    fn addressed(
        &mut self,
        from: u32,
        msg_type: u8,
        body: impl FnOnce(u8, u32) -> Body,
        channel: char,
    ) -> Vec<String> {
        let seqno = self.air_seq;
        self.air_seq = (self.air_seq + 1) % 4;
        let m = AisMessage {
            msg_type,
            repeat: 0,
            mmsi: from,
            body: body(seqno, self.own_mmsi),
        };
        let Ok(bits) = encode(&m) else {
            return Vec::new();
        };
        self.vdm_seq = (self.vdm_seq + 1) % 10;
        to_vdm(&bits, TALKER, false, Some(channel), self.vdm_seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ais::application::{DayTime, InlandLocation};
    use crate::ais::stream::{AisStream, Outcome};
    use crate::app::demo::START_MS;
    use crate::nmea::armour::BitWriter;
    use crate::voyage::fields::{self, SafetyKind};
    use crate::voyage::messages::{EtaReport, SafetyMessage};

    const T0: i64 = START_MS + 60_000;

    fn location() -> InlandLocation {
        InlandLocation {
            country: Text::from_str_lossy("DE"),
            locode: Text::from_str_lossy("PUT"),
            section: Text::from_str_lossy("00001"),
            terminal: Text::from_str_lossy("LOCK1"),
            hectometre: Text::from_str_lossy("00042"),
        }
    }

    fn eta_report(to: u32, eta: &str) -> EtaReport {
        EtaReport {
            to,
            location: location(),
            eta: fields::eta(eta, T0).expect("a valid ETA"),
            tugs: 1,
            air_draught: 750,
        }
    }

    fn safety(to: Option<u32>, text: &str) -> SafetyMessage {
        let kind = if to.is_some() {
            SafetyKind::Addressed
        } else {
            SafetyKind::Broadcast
        };
        SafetyMessage {
            to,
            text: fields::safety_text(text, kind).expect("valid text"),
        }
    }

    fn write_all(t: &mut DemoTransponder, lines: &[String], now_ms: i64) {
        for l in lines {
            t.write(l, now_ms);
        }
    }

    fn abk(line: &str) -> Abk {
        let s = frame(line.as_bytes()).expect("ABK framed");
        pi::parse_abk(&s).expect("ABK parsed")
    }

    /// The AIS messages of VDM sentences, through the crate's own stream.
    fn decoded(lines: &[String]) -> Vec<AisMessage> {
        let mut stream = AisStream::new();
        let mut out = Vec::new();
        for l in lines {
            assert!(l.starts_with("!AIVDM") && l.len() <= 82, "{l}");
            if let Ok(Outcome::Ais(r)) = stream.push_line(l.as_bytes(), 0) {
                out.push(r.msg);
            }
        }
        out
    }

    /// The RTA for an ETA report to the lock: ABK 0 after 2 s, then the
    /// RTA, decoded, field by field.
    fn rta_for(eta: &str, seq: u8) -> (Abk, AisMessage) {
        let mut t = DemoTransponder::new();
        let r = eta_report(DEMO_LOCK_MMSI, eta);
        write_all(&mut t, &r.sentences(seq).expect("encodes"), T0);
        assert!(t.due(T0 + ACK_DELAY_MS - 1).is_empty());
        let first = t.due(T0 + ACK_DELAY_MS);
        assert_eq!(first.len(), 1, "{first:?}");
        let a = abk(&first[0]);
        assert!(t.due(T0 + RTA_DELAY_MS - 1).is_empty());
        let rta = t.due(T0 + RTA_DELAY_MS);
        let mut ms = decoded(&rta);
        assert_eq!(ms.len(), 1, "{rta:?}");
        assert!(t.due(T0 + 3_600_000).is_empty());
        assert_eq!(t.pending(), 0);
        (a, ms.remove(0))
    }

    fn expect_rta(m: &AisMessage, rta: DayTime) {
        assert_eq!((m.msg_type, m.repeat, m.mmsi), (6, 0, DEMO_LOCK_MMSI));
        let Body::AddressedBinary(b) = &m.body else {
            panic!("not a message 6: {m:?}");
        };
        assert_eq!(b.dest_mmsi, OWN_MMSI);
        assert!(!b.retransmit);
        assert_eq!((b.dac, b.fid), (200, 22));
        assert_eq!(
            b.app,
            AddressedApp::InlandRta(InlandRta {
                location: location(),
                rta,
                status: 0,
            })
        );
        let AddressedApp::InlandRta(r) = &b.app else {
            unreachable!()
        };
        assert_eq!(r.location.country.as_str(), "DE");
        assert_eq!(r.location.locode.as_str(), "PUT");
        assert_eq!(r.location.section.as_str(), "00001");
        assert_eq!(r.location.terminal.as_str(), "LOCK1");
        assert_eq!(r.location.hectometre.as_str(), "00042");
    }

    fn day_time(month: u8, day: u8, hour: u8, minute: u8) -> DayTime {
        DayTime {
            month,
            day,
            hour,
            minute,
        }
    }

    #[test]
    fn eta_to_the_lock_gets_abk_received_then_rta_ten_minutes_later() {
        let (a, m) = rta_for("2026-06-21T21:45Z", 2);
        assert_eq!(
            a,
            Abk {
                dest_mmsi: Some(DEMO_LOCK_MMSI),
                channel: Some('A'),
                msg_id: 6,
                seq_id: 2,
                ack: AckType::Received,
            }
        );
        expect_rta(&m, day_time(6, 21, 21, 55));
    }

    #[test]
    fn rta_rolls_over_the_hour_day_month_and_year() {
        let (_, m) = rta_for("2026-06-21T23:55Z", 0);
        expect_rta(&m, day_time(6, 22, 0, 5));
        let (_, m) = rta_for("2026-06-30T23:53Z", 1);
        expect_rta(&m, day_time(7, 1, 0, 3));
        let (_, m) = rta_for("2027-02-28T23:59Z", 3);
        expect_rta(&m, day_time(3, 1, 0, 9));
        let (_, m) = rta_for("2026-12-31T23:50Z", 0);
        expect_rta(&m, day_time(1, 1, 0, 0));
    }

    #[test]
    fn eta_to_another_station_gets_no_acknowledgement_and_no_rta() {
        let mut t = DemoTransponder::new();
        let r = eta_report(2_119_999, "2026-06-21T21:45Z");
        write_all(&mut t, &r.sentences(1).expect("encodes"), T0);
        assert!(t.due(T0 + NO_ACK_DELAY_MS - 1).is_empty());
        let out = t.due(T0 + NO_ACK_DELAY_MS);
        assert_eq!(out.len(), 1);
        let a = abk(&out[0]);
        assert_eq!(a.dest_mmsi, Some(2_119_999));
        assert_eq!(
            (a.msg_id, a.seq_id, a.ack),
            (6, 1, AckType::NoAcknowledgement)
        );
        assert!(t.due(T0 + 3_600_000).is_empty());
    }

    #[test]
    fn safety_message_to_the_ack_ship_gets_abk_and_a_reply() {
        let mut t = DemoTransponder::new();
        let msg = safety(Some(DEMO_ACK_SHIP_MMSI), "PLEASE CONFIRM YOUR INTENTIONS");
        write_all(&mut t, &msg.sentences(3), T0);
        assert_eq!(t.stats().messages, 1);
        let out = t.due(T0 + ACK_DELAY_MS);
        assert_eq!(out.len(), 1);
        let a = abk(&out[0]);
        assert_eq!(
            (a.dest_mmsi, a.msg_id, a.seq_id, a.ack),
            (Some(DEMO_ACK_SHIP_MMSI), 12, 3, AckType::Received)
        );
        assert!(t.due(T0 + REPLY_DELAY_MS - 1).is_empty());
        let reply = t.due(T0 + REPLY_DELAY_MS);
        let ms = decoded(&reply);
        assert_eq!(ms.len(), 1);
        assert_eq!((ms[0].msg_type, ms[0].mmsi), (12, DEMO_ACK_SHIP_MMSI));
        let Body::SafetyAddressed(s) = &ms[0].body else {
            panic!("not a message 12: {:?}", ms[0]);
        };
        assert_eq!(s.dest_mmsi, OWN_MMSI);
        assert!(!s.retransmit);
        assert_eq!(s.text.as_str(), "RECEIVED, NORDIC STAR");
    }

    #[test]
    fn safety_message_to_the_lock_is_acknowledged_without_reply() {
        let mut t = DemoTransponder::new();
        write_all(
            &mut t,
            &safety(Some(DEMO_LOCK_MMSI), "HELLO").sentences(0),
            T0,
        );
        let out = t.due(T0 + 3_600_000);
        assert_eq!(out.len(), 1);
        assert_eq!(abk(&out[0]).ack, AckType::Received);
    }

    #[test]
    fn safety_message_to_another_ship_gets_no_acknowledgement() {
        let mut t = DemoTransponder::new();
        write_all(&mut t, &safety(Some(219_000_111), "HELLO").sentences(2), T0);
        assert!(t.due(T0 + ACK_DELAY_MS).is_empty());
        let out = t.due(T0 + NO_ACK_DELAY_MS);
        assert_eq!(out.len(), 1);
        let a = abk(&out[0]);
        assert_eq!(
            (a.dest_mmsi, a.msg_id, a.seq_id, a.ack),
            (Some(219_000_111), 12, 2, AckType::NoAcknowledgement)
        );
        assert!(t.due(T0 + 3_600_000).is_empty());
    }

    #[test]
    fn broadcast_gets_abk_broadcast_without_destination() {
        let mut t = DemoTransponder::new();
        let long = "SECURITE ".repeat(15);
        let lines = safety(None, long.trim()).sentences(1);
        assert!(lines.len() > 1);
        write_all(&mut t, &lines, T0);
        let out = t.due(T0 + ACK_DELAY_MS);
        assert_eq!(out.len(), 1);
        let a = abk(&out[0]);
        assert_eq!(
            a,
            Abk {
                dest_mmsi: None,
                channel: Some('A'),
                msg_id: 14,
                seq_id: 1,
                ack: AckType::Broadcast,
            }
        );
        assert!(out[0].starts_with("$AIABK,,A,14,1,3*"), "{}", out[0]);
    }

    /// The sentence with its last checksum digit changed.
    fn corrupt(line: &str) -> String {
        let mut l = line.to_string();
        let last = l.pop().expect("a checksum");
        l.push(if last == '0' { '1' } else { '0' });
        l
    }

    #[test]
    fn bad_checksum_gets_no_answer_and_is_counted() {
        let mut t = DemoTransponder::new();
        let line = &safety(Some(DEMO_ACK_SHIP_MMSI), "HELLO").sentences(0)[0];
        t.write(&corrupt(line), T0);
        assert_eq!(t.stats().bad_checksum, 1);
        assert_eq!(t.stats().messages, 0);
        assert!(t.due(T0 + 3_600_000).is_empty());
        // A bad middle sentence loses the whole message.
        let long = "X".repeat(120);
        let mut lines = safety(Some(DEMO_ACK_SHIP_MMSI), &long).sentences(1);
        assert!(lines.len() >= 3);
        lines[1] = corrupt(&lines[1]);
        write_all(&mut t, &lines, T0);
        assert_eq!(t.stats().bad_checksum, 2);
        assert_eq!(t.stats().messages, 0);
        assert!(t.stats().incomplete >= 1);
        assert!(t.due(T0 + 3_600_000).is_empty());
    }

    #[test]
    fn multi_sentence_abm_is_joined_and_interleaved_ids_kept_apart() {
        let mut t = DemoTransponder::new();
        let long = "Y".repeat(150);
        let a = safety(Some(DEMO_ACK_SHIP_MMSI), &long).sentences(0);
        let b = safety(Some(219_000_111), &long).sentences(1);
        assert!(a.len() >= 3 && a.len() == b.len());
        // Interleaved, with tag blocks and line ends as a link writes them.
        for (x, y) in a.iter().zip(&b) {
            t.write(&format!("{}\r\n", crate::sim::tagged(x, T0)), T0);
            t.write(y, T0);
        }
        assert_eq!(t.stats().messages, 2);
        let out: Vec<Abk> = t.due(T0 + NO_ACK_DELAY_MS).iter().map(|l| abk(l)).collect();
        assert_eq!(out.len(), 2);
        assert_eq!((out[0].seq_id, out[0].ack), (0, AckType::Received));
        assert_eq!((out[1].seq_id, out[1].ack), (1, AckType::NoAcknowledgement));
        // A sentence missing: nothing.
        let mut t = DemoTransponder::new();
        t.write(&a[0], T0);
        t.write(&a[2], T0);
        assert!(t.due(T0 + 3_600_000).is_empty());
        assert_eq!(t.stats().incomplete, 2);
    }

    #[test]
    fn sequence_ids_are_echoed_and_answers_come_in_due_order() {
        let mut t = DemoTransponder::new();
        for seq in 0..4u8 {
            let to = if seq % 2 == 0 {
                219_000_111
            } else {
                DEMO_ACK_SHIP_MMSI
            };
            write_all(
                &mut t,
                &safety(Some(to), "OK").sentences(seq),
                T0 + i64::from(seq),
            );
        }
        let out: Vec<(u8, AckType)> = t
            .due(T0 + 10_000)
            .iter()
            .filter(|l| l.starts_with("$AIABK"))
            .map(|l| {
                let a = abk(l);
                (a.seq_id, a.ack)
            })
            .collect();
        assert_eq!(
            out,
            vec![
                (1, AckType::Received),
                (3, AckType::Received),
                (0, AckType::NoAcknowledgement),
                (2, AckType::NoAcknowledgement),
            ]
        );
    }

    #[test]
    fn vsd_ssd_accepted_other_sentences_ignored_binary_abm_acknowledged() {
        let mut t = DemoTransponder::new();
        t.write("$ECVSD,,,,,,,,,*6B", T0);
        t.write(
            &crate::voyage::messages::StaticData::default().sentence(),
            T0,
        );
        t.write("$GPRMC,,V,,,,,,,,,,N*53", T0);
        assert_eq!(t.stats().data, 2);
        assert_eq!(t.stats().ignored, 1);
        assert!(t.due(T0 + 3_600_000).is_empty());
        // A message 6 to the lock that is not an ETA report: ABK only.
        let mut data = BitWriter::new();
        data.u(10, 200).u(6, 55).u(40, 0).u(40, 0);
        let lines = pi::build_binary("EC", Some(DEMO_LOCK_MMSI), 2, 6, 3, &data).unwrap();
        write_all(&mut t, &lines, T0);
        let out = t.due(T0 + 3_600_000);
        assert_eq!(out.len(), 1);
        let a = abk(&out[0]);
        assert_eq!(a.channel, Some('B'));
        assert_eq!((a.msg_id, a.seq_id, a.ack), (6, 3, AckType::Received));
        assert_eq!(t.next_due_ms(), None);
    }
}
