//! From NMEA lines to AIS messages: framing, VDM/VDO reassembly, decoding,
//! with every rejected line counted by reason. Sans-I/O: the caller passes
//! each line and the time it was received.

use super::messages::{self, AisMessage, Body, DecodeError, StaticDataReport};
use crate::nmea::vdm::{self, Reassembler, VdmError};
use crate::nmea::{self, FrameError, Sentence};
use std::collections::HashMap;
use std::fmt;

/// Why a line produced nothing usable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    Frame(FrameError),
    Vdm(VdmError),
    Decode(DecodeError),
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineError::Frame(e) => e.fmt(f),
            LineError::Vdm(e) => e.fmt(f),
            LineError::Decode(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for LineError {}

impl LineError {
    /// A short stable name for counting rejects by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            LineError::Frame(FrameError::ChecksumMismatch { .. }) => "checksum",
            LineError::Frame(FrameError::TooLong { .. }) => "too_long",
            LineError::Frame(_) => "framing",
            LineError::Vdm(VdmError::Armor(_)) => "armor",
            LineError::Vdm(_) => "vdm_fields",
            LineError::Decode(_) => "ais_decode",
        }
    }
}

/// A decoded AIS message with its reception context.
#[derive(Debug, Clone)]
pub struct Received {
    pub msg: AisMessage,
    /// From a VDO sentence: own ship.
    pub own: bool,
    pub channel: Option<u8>,
    /// Data time from a tag block `c:`, if the line had one.
    pub time_ms: Option<i64>,
}

/// What one line gave.
#[derive(Debug)]
pub enum Outcome<'a> {
    /// A complete AIS message.
    Ais(Received),
    /// A fragment of a multi-sentence message; more are needed.
    Fragment,
    /// A valid sentence that is not VDM/VDO (GNSS, ABK, ALR …).
    Other(Sentence<'a>),
}

/// Counts kept by the stream.
#[derive(Debug, Clone, Default)]
pub struct StreamStats {
    pub lines: u64,
    pub sentences: u64,
    pub messages: u64,
    pub rejected: u64,
    pub rejected_by_kind: Vec<(&'static str, u64)>,
    /// Sentences used although their tag block failed its own check (the
    /// tag block was dropped, the sentence kept).
    pub tag_blocks_ignored: u64,
}

/// Stateful line-to-message decoder.
#[derive(Debug, Default)]
pub struct AisStream {
    reassembler: Reassembler,
    /// Tag-block groups (`g:`) whose first sentence named its source (`s:`)
    /// while the others do not: (link, group id) → source. Bounded.
    group_sources: Vec<((u32, u32), u64)>,
    stats: StreamStats,
    last_tag_problem: Option<nmea::TagProblem>,
}

impl AisStream {
    /// A new stream with default reassembly limits.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counters so far, including the reassembler's.
    pub fn stats(&self) -> &StreamStats {
        &self.stats
    }

    /// Partials dropped by the reassembler.
    pub fn reassembly(&self) -> vdm::ReassemblyStats {
        self.reassembler.stats()
    }

    fn reject(&mut self, e: LineError) -> LineError {
        self.stats.rejected += 1;
        let k = e.kind();
        match self
            .stats
            .rejected_by_kind
            .iter_mut()
            .find(|(n, _)| *n == k)
        {
            Some((_, c)) => *c += 1,
            None => self.stats.rejected_by_kind.push((k, 1)),
        }
        e
    }

    /// The reassembly source of a sentence: its link and tag-block source;
    /// a sentence of a tag-block group takes the source its group named.
    fn source_of(&mut self, link: u32, tag: Option<&nmea::TagBlock<'_>>) -> u64 {
        let group = tag
            .and_then(|t| t.group)
            .and_then(|g| g.rsplit('-').next())
            .and_then(|id| id.parse::<u32>().ok())
            .map(|id| (link, id));
        match (tag.and_then(|t| t.source), group) {
            (Some(src), g) => {
                let key = source_key(link, Some(src));
                if let Some(g) = g {
                    self.group_sources.retain(|(k, _)| *k != g);
                    if self.group_sources.len() >= 64 {
                        self.group_sources.remove(0);
                    }
                    self.group_sources.push((g, key));
                }
                key
            }
            (None, Some(g)) => self
                .group_sources
                .iter()
                .find(|(k, _)| *k == g)
                .map_or(u64::from(link), |(_, v)| *v),
            (None, None) => u64::from(link),
        }
    }

    /// Count a valid sentence the caller handles itself (GNSS, ALR).
    pub fn count_sentence(&mut self, s: &Sentence<'_>) {
        self.stats.sentences += 1;
        self.note_tag(s);
    }

    fn note_tag(&mut self, s: &Sentence<'_>) {
        self.last_tag_problem = s.tag_ignored;
        if s.tag_ignored.is_some() {
            self.stats.tag_blocks_ignored += 1;
        }
    }

    /// Why the tag block of the last line was ignored, if it was (the line's
    /// sentence was still used).
    pub fn last_tag_problem(&self) -> Option<nmea::TagProblem> {
        self.last_tag_problem
    }

    /// Count a line the caller rejected before framing (over-long).
    pub fn count_rejected_line(&mut self) {
        self.stats.lines += 1;
        self.stats.rejected += 1;
    }

    /// Process one line received at `now_ms` (used for reassembly timeouts
    /// when the line has no tag-block time).
    pub fn push_line<'a>(&mut self, line: &'a [u8], now_ms: i64) -> Result<Outcome<'a>, LineError> {
        self.stats.lines += 1;
        self.last_tag_problem = None;
        let s = match nmea::frame(line) {
            Ok(s) => s,
            Err(e) => return Err(self.reject(LineError::Frame(e))),
        };
        self.push_sentence(s, now_ms)
    }

    /// Process a sentence framed by the caller (who may have wanted its tag
    /// block first).
    pub fn push_sentence<'a>(
        &mut self,
        s: Sentence<'a>,
        now_ms: i64,
    ) -> Result<Outcome<'a>, LineError> {
        self.push_sentence_from(0, s, now_ms)
    }

    /// [`push_sentence`](Self::push_sentence) for a sentence received on
    /// input `link`: multi-sentence messages are joined per link and per
    /// tag-block source (`s:`), so two receivers' fragments are never glued
    /// into one message.
    pub fn push_sentence_from<'a>(
        &mut self,
        link: u32,
        s: Sentence<'a>,
        now_ms: i64,
    ) -> Result<Outcome<'a>, LineError> {
        self.stats.sentences += 1;
        self.note_tag(&s);
        if s.formatter != "VDM" && s.formatter != "VDO" {
            return Ok(Outcome::Other(s));
        }
        let time_ms = s.tag.and_then(|t| t.time_ms());
        let v = match vdm::parse(&s) {
            Ok(v) => v,
            Err(e) => return Err(self.reject(LineError::Vdm(e))),
        };
        let source = self.source_of(link, s.tag.as_ref());
        let assembled = match self
            .reassembler
            .push_from(source, &v, time_ms.unwrap_or(now_ms))
        {
            Ok(Some(a)) => a,
            Ok(None) => return Ok(Outcome::Fragment),
            Err(e) => return Err(self.reject(LineError::Vdm(e))),
        };
        match messages::decode(&assembled.payload) {
            Ok(msg) => {
                self.stats.messages += 1;
                Ok(Outcome::Ais(Received {
                    msg,
                    own: assembled.own,
                    channel: assembled.channel,
                    time_ms,
                }))
            }
            Err(e) => Err(self.reject(LineError::Decode(e))),
        }
    }
}

/// The reassembly source of a sentence: its link and tag-block source.
fn source_key(link: u32, tag_source: Option<&str>) -> u64 {
    let Some(src) = tag_source else {
        return u64::from(link);
    };
    // FNV-1a over the source text, with the link in the high bits' seed.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ (u64::from(link) << 32);
    for b in src.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h | 1 << 63
}

/// Remembers message 24 part A names so a later part B can be reported with
/// the name, as gpsd reports a 24A+24B pair. Bounded.
#[derive(Debug, Default)]
pub struct Type24Names {
    names: HashMap<u32, String>,
}

impl Type24Names {
    const MAX: usize = 4096;

    /// Note a message; returns the part A name to merge into it if it is a
    /// part B whose part A was seen.
    pub fn observe(&mut self, m: &AisMessage) -> Option<String> {
        let Body::StaticData(s) = &m.body else {
            return None;
        };
        match s.as_ref() {
            StaticDataReport::PartA { shipname } => {
                if self.names.len() >= Self::MAX {
                    self.names.clear();
                }
                self.names.insert(m.mmsi, shipname.as_str().to_string());
                None
            }
            StaticDataReport::PartB { .. } => self.names.remove(&m.mmsi),
        }
    }
}
