//! VDM/VDO sentences (IEC 61162-1 §8.3.95/96) and their reassembly into AIS
//! payloads.
//!
//! The reassembler holds any number of multi-sentence messages in flight,
//! keyed by (VDM/VDO, channel, sequential message identifier): interleaved
//! A and B channel traffic and several messages at once reassemble correctly.
//! Fragments may arrive in any order; a message completes when fragments
//! 1..=N are all present. Partials older than the timeout are dropped and
//! counted, and the number in flight is bounded.

use super::{FrameError, Sentence};
use crate::nmea::armour::{ArmorError, Payload};
use std::fmt;

/// One VDM or VDO sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vdm<'a> {
    /// True for VDO (own ship).
    pub own: bool,
    pub total: u8,
    pub number: u8,
    pub seq_id: Option<u8>,
    /// Radio channel `A`/`B` (or `1`/`2`), if given.
    pub channel: Option<u8>,
    pub payload: &'a str,
    pub fill: u8,
}

/// Why a VDM/VDO sentence was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VdmError {
    Frame(FrameError),
    /// Not a VDM or VDO.
    NotVdm {
        formatter: String,
    },
    /// Fewer than six data fields.
    MissingFields {
        found: usize,
    },
    /// Fragment count outside 1..=9.
    BadFragmentCount {
        found: String,
    },
    /// Fragment number outside 1..=count.
    BadFragmentNumber {
        found: String,
        total: u8,
    },
    /// Fill bits not 0..=5.
    BadFill {
        found: String,
    },
    /// Payload not valid 6-bit armour.
    Armor(ArmorError),
}

impl fmt::Display for VdmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VdmError::Frame(e) => e.fmt(f),
            VdmError::NotVdm { formatter } => write!(f, "{formatter} is not VDM/VDO"),
            VdmError::MissingFields { found } => {
                write!(f, "VDM has {found} data fields, expected 6")
            }
            VdmError::BadFragmentCount { found } => {
                write!(f, "fragment count {found:?} is not 1 to 9")
            }
            VdmError::BadFragmentNumber { found, total } => {
                write!(f, "fragment number {found:?} is not 1 to {total}")
            }
            VdmError::BadFill { found } => write!(f, "fill bits {found:?} are not 0 to 5"),
            VdmError::Armor(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for VdmError {}

impl From<ArmorError> for VdmError {
    fn from(e: ArmorError) -> Self {
        VdmError::Armor(e)
    }
}

impl From<FrameError> for VdmError {
    fn from(e: FrameError) -> Self {
        VdmError::Frame(e)
    }
}

fn digit(s: &str) -> Option<u8> {
    match s.as_bytes() {
        [d @ b'0'..=b'9'] => Some(d - b'0'),
        _ => None,
    }
}

/// Read the fields of a framed VDM/VDO sentence.
pub fn parse<'a>(s: &Sentence<'a>) -> Result<Vdm<'a>, VdmError> {
    let own = match s.formatter {
        "VDM" => false,
        "VDO" => true,
        other => {
            return Err(VdmError::NotVdm {
                formatter: other.to_string(),
            });
        }
    };
    let mut f = s.fields();
    let mut next = || f.next();
    let (Some(total), Some(number), Some(seq), Some(channel), Some(payload), Some(fill)) =
        (next(), next(), next(), next(), next(), next())
    else {
        return Err(VdmError::MissingFields {
            found: s.fields().count(),
        });
    };
    let total_n = digit(total)
        .filter(|t| (1..=9).contains(t))
        .ok_or_else(|| VdmError::BadFragmentCount {
            found: total.to_string(),
        })?;
    let number_n = digit(number)
        .filter(|n| (1..=total_n).contains(n))
        .ok_or_else(|| VdmError::BadFragmentNumber {
            found: number.to_string(),
            total: total_n,
        })?;
    // Some receivers leave the fill field empty on non-final fragments.
    let fill_n = if fill.is_empty() {
        0
    } else {
        digit(fill)
            .filter(|f| *f <= 5)
            .ok_or_else(|| VdmError::BadFill {
                found: fill.to_string(),
            })?
    };
    Ok(Vdm {
        own,
        total: total_n,
        number: number_n,
        seq_id: digit(seq),
        channel: channel.bytes().next(),
        payload,
        fill: fill_n,
    })
}

/// A reassembled AIS payload and where it came from.
#[derive(Debug, Clone)]
pub struct Assembled {
    pub payload: Payload,
    pub own: bool,
    pub channel: Option<u8>,
    /// Number of sentences it was carried in.
    pub fragments: u8,
}

/// Which fragments belong together: the source (input link and tag-block
/// `s:` source, hashed by the caller; 0 when there is only one), VDM or
/// VDO, radio channel and sequential message identifier. Two receivers'
/// fragments with the same identifier are never joined.
type Key = (u64, bool, Option<u8>, Option<u8>);

#[derive(Debug)]
struct Partial {
    key: Key,
    total: u8,
    started_ms: i64,
    /// Fragment payloads (index = number − 1) and the last one's fill.
    parts: [Option<(String, u8)>; 9],
}

/// Counters of what the reassembler threw away.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReassemblyStats {
    /// Partials dropped because they grew older than the timeout.
    pub expired: u64,
    /// Partials replaced by a new message with the same key before they
    /// completed, or evicted because too many were in flight.
    pub abandoned: u64,
}

/// Joins multi-sentence VDM/VDO messages.
#[derive(Debug)]
pub struct Reassembler {
    partials: Vec<Partial>,
    timeout_ms: i64,
    max_in_flight: usize,
    stats: ReassemblyStats,
}

impl Default for Reassembler {
    fn default() -> Self {
        Self::new(10_000, 64)
    }
}

impl Reassembler {
    /// A reassembler dropping partials older than `timeout_ms` and holding
    /// at most `max_in_flight` of them.
    pub fn new(timeout_ms: i64, max_in_flight: usize) -> Self {
        Reassembler {
            partials: Vec::new(),
            timeout_ms,
            max_in_flight: max_in_flight.max(1),
            stats: ReassemblyStats::default(),
        }
    }

    /// What was dropped so far.
    pub fn stats(&self) -> ReassemblyStats {
        self.stats
    }

    /// Partials currently waiting for fragments.
    pub fn in_flight(&self) -> usize {
        self.partials.len()
    }

    /// Drop partials older than the timeout at time `now_ms`.
    pub fn expire(&mut self, now_ms: i64) {
        let timeout = self.timeout_ms;
        let before = self.partials.len();
        self.partials.retain(|p| now_ms - p.started_ms <= timeout);
        self.stats.expired += (before - self.partials.len()) as u64;
    }

    /// Add one fragment received at `now_ms`; returns the payload when a
    /// message is complete.
    pub fn push(&mut self, v: &Vdm<'_>, now_ms: i64) -> Result<Option<Assembled>, VdmError> {
        self.push_from(0, v, now_ms)
    }

    /// [`push`](Self::push) for a fragment from `source` (see the key):
    /// fragments are joined only with fragments of the same source.
    pub fn push_from(
        &mut self,
        source: u64,
        v: &Vdm<'_>,
        now_ms: i64,
    ) -> Result<Option<Assembled>, VdmError> {
        if v.total == 1 {
            let payload = Payload::from_armored(v.payload.as_bytes(), v.fill)?;
            return Ok(Some(Assembled {
                payload,
                own: v.own,
                channel: v.channel,
                fragments: 1,
            }));
        }
        self.expire(now_ms);
        let key = (source, v.own, v.channel, v.seq_id);
        let idx = usize::from(v.number - 1);
        let existing = self.partials.iter().position(|p| p.key == key);
        let slot = match existing {
            Some(i)
                if self.partials[i].total == v.total && self.partials[i].parts[idx].is_none() =>
            {
                i
            }
            other => {
                if let Some(i) = other {
                    // Same key but a different message: the old one never
                    // completed.
                    self.partials.swap_remove(i);
                    self.stats.abandoned += 1;
                }
                if self.partials.len() >= self.max_in_flight {
                    // Evict the oldest.
                    if let Some((oldest, _)) = self
                        .partials
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, p)| p.started_ms)
                    {
                        self.partials.swap_remove(oldest);
                        self.stats.abandoned += 1;
                    }
                }
                self.partials.push(Partial {
                    key,
                    total: v.total,
                    started_ms: now_ms,
                    parts: Default::default(),
                });
                self.partials.len() - 1
            }
        };
        self.partials[slot].parts[idx] = Some((v.payload.to_string(), v.fill));
        let p = &self.partials[slot];
        if p.parts[..usize::from(p.total)].iter().any(Option::is_none) {
            return Ok(None);
        }
        let p = self.partials.swap_remove(slot);
        let mut payload = Payload::new();
        let mut fill = 0;
        for (armored, f) in p.parts[..usize::from(p.total)].iter().flatten() {
            payload.push_armored(armored.as_bytes())?;
            fill = *f;
        }
        payload.finish(fill)?;
        Ok(Some(Assembled {
            payload,
            own: p.key.1,
            channel: p.key.2,
            fragments: p.total,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nmea::frame;

    fn vdm(line: &str) -> Vdm<'_> {
        let s = frame(line.as_bytes()).unwrap();
        // Re-borrow through the line: fields borrow `line`.
        parse(&s).unwrap()
    }

    const A1: &str = "!AIVDM,2,1,3,B,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0*3E";
    const A2: &str = "!AIVDM,2,2,3,B,1@0000000000000,2*55";

    #[test]
    fn two_fragments_in_order_and_reversed() {
        let mut r = Reassembler::default();
        assert!(r.push(&vdm(A1), 0).unwrap().is_none());
        let a = r.push(&vdm(A2), 0).unwrap().unwrap();
        assert_eq!(a.payload.bit_len(), 424);
        let mut r = Reassembler::default();
        assert!(r.push(&vdm(A2), 0).unwrap().is_none());
        let b = r.push(&vdm(A1), 0).unwrap().unwrap();
        assert_eq!(a.payload.bytes(), b.payload.bytes());
    }

    #[test]
    fn fragments_of_two_sources_are_never_joined() {
        let mut r = Reassembler::default();
        assert!(r.push_from(1, &vdm(A1), 0).unwrap().is_none());
        // The second fragment from another receiver completes nothing…
        assert!(r.push_from(2, &vdm(A2), 0).unwrap().is_none());
        assert_eq!(r.in_flight(), 2);
        // …and each source's own second fragment completes its message.
        assert!(r.push_from(1, &vdm(A2), 0).unwrap().is_some());
        assert!(r.push_from(2, &vdm(A1), 0).unwrap().is_some());
        assert_eq!(r.in_flight(), 0);
    }

    #[test]
    fn stale_partial_expires() {
        let mut r = Reassembler::new(1000, 8);
        assert!(r.push(&vdm(A1), 0).unwrap().is_none());
        r.expire(5000);
        assert_eq!(r.in_flight(), 0);
        assert_eq!(r.stats().expired, 1);
        assert!(r.push(&vdm(A2), 5000).unwrap().is_none());
    }
}
