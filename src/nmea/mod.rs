//! NMEA 0183 / IEC 61162-1 framing: checksums, IEC 61162-450 tag blocks,
//! field splitting, a bounded line reader, the 6-bit armour of
//! encapsulated sentences ([`armour`]), VDM/VDO reassembly, GNSS
//! sentences and the presentation-interface sentences of an AIS transponder.
//!
//! Framing is kept apart from parsing: [`frame`] checks a line and returns a
//! borrowed [`Sentence`]; what the fields mean is decided by `vdm`, `gnss`
//! and `pi`. Nothing here allocates on the happy path of a single-sentence
//! AIS message.

pub mod armour;
pub mod gnss;
pub mod pi;
pub mod reader;
pub mod vdm;

use std::fmt;

/// A sentence longer than this (without tag block) is rejected. NMEA allows
/// 82 characters; real receivers append metadata, so we are lenient.
pub const MAX_SENTENCE_LEN: usize = 512;

/// Why a line is not a usable sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// No `$` or `!` start delimiter.
    NoStart,
    /// Sentence longer than [`MAX_SENTENCE_LEN`].
    TooLong { len: usize, max: usize },
    /// No `*hh` checksum field.
    NoChecksum,
    /// The two characters after `*` are not hexadecimal.
    BadChecksumField { found: String },
    /// Checksum does not match.
    ChecksumMismatch { calculated: u8, found: u8 },
    /// Address field too short or not alphanumeric.
    BadAddress { found: String },
    /// A tag block without its closing `\`: where the sentence starts is
    /// unknown. (A closed tag block that fails its own check does not reject
    /// the sentence; see [`Sentence::tag_ignored`].)
    BadTagBlock { reason: &'static str },
    /// Bytes that are not printable ASCII inside the sentence.
    NotAscii { position: usize },
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::NoStart => write!(f, "no '$' or '!' sentence start"),
            FrameError::TooLong { len, max } => {
                write!(f, "sentence of {len} characters is longer than {max}")
            }
            FrameError::NoChecksum => write!(f, "no '*hh' checksum"),
            FrameError::BadChecksumField { found } => {
                write!(f, "checksum field {found:?} is not two hex digits")
            }
            FrameError::ChecksumMismatch { calculated, found } => write!(
                f,
                "checksum mismatch: calculated {calculated:02X}, sentence says {found:02X}"
            ),
            FrameError::BadAddress { found } => {
                write!(
                    f,
                    "address field {found:?} is not a talker and sentence formatter"
                )
            }
            FrameError::BadTagBlock { reason } => write!(f, "bad tag block: {reason}"),
            FrameError::NotAscii { position } => {
                write!(f, "non-printable byte at position {position}")
            }
        }
    }
}

impl std::error::Error for FrameError {}

/// Why a tag block was ignored. The sentence after it carries its own
/// checksum and is still used; only the tag block's fields (its `c:` time
/// above all) are not trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagProblem {
    /// No `*hh` before the closing `\`.
    NoChecksum,
    /// What follows `*` is not two hex digits (`*A` is seen in the wild).
    BadChecksumField,
    /// The checksum does not match.
    Mismatch { calculated: u8, found: u8 },
    /// Bytes that are not ASCII.
    NotAscii,
}

impl fmt::Display for TagProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TagProblem::NoChecksum => write!(f, "tag block has no checksum"),
            TagProblem::BadChecksumField => {
                write!(f, "tag block checksum is not two hex digits")
            }
            TagProblem::Mismatch { calculated, found } => write!(
                f,
                "tag block checksum mismatch: calculated {calculated:02X}, found {found:02X}"
            ),
            TagProblem::NotAscii => write!(f, "tag block is not ASCII"),
        }
    }
}

/// XOR of all bytes (the NMEA checksum).
#[inline]
pub fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |a, &b| a ^ b)
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

fn hex_byte(two: &[u8]) -> Option<u8> {
    match two {
        [a, b] => Some(hex_val(*a)? << 4 | hex_val(*b)?),
        _ => None,
    }
}

/// IEC 61162-450 / NMEA 4.10 tag block fields we use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TagBlock<'a> {
    /// `c:` UNIX time (seconds; values above 10^11 are taken as milliseconds).
    pub time: Option<i64>,
    /// `s:` source identification.
    pub source: Option<&'a str>,
    /// `g:` sentence grouping, as written.
    pub group: Option<&'a str>,
    /// `n:` line count.
    pub line: Option<u64>,
}

impl TagBlock<'_> {
    /// The `c:` time in milliseconds since the epoch.
    pub fn time_ms(&self) -> Option<i64> {
        self.time.map(|t| {
            if t.abs() > 100_000_000_000 {
                t
            } else {
                t * 1000
            }
        })
    }
}

fn parse_tag_block(body: &[u8]) -> Result<TagBlock<'_>, TagProblem> {
    // body is between the two backslashes: "c:123,s:abc*hh"
    let star = body
        .iter()
        .rposition(|&b| b == b'*')
        .ok_or(TagProblem::NoChecksum)?;
    let found = hex_byte(&body[star + 1..]).ok_or(TagProblem::BadChecksumField)?;
    let calculated = checksum(&body[..star]);
    if calculated != found {
        return Err(TagProblem::Mismatch { calculated, found });
    }
    let text = std::str::from_utf8(&body[..star]).map_err(|_| TagProblem::NotAscii)?;
    let mut tb = TagBlock::default();
    for part in text.split(',') {
        let Some((k, v)) = part.split_once(':') else {
            continue;
        };
        match k {
            "c" => tb.time = v.parse().ok(),
            "s" => tb.source = Some(v),
            "g" | "G" => tb.group = Some(v),
            "n" => tb.line = v.parse().ok(),
            _ => {}
        }
    }
    Ok(tb)
}

/// A framed, checksum-verified sentence borrowing its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence<'a> {
    /// `$` (parametric) or `!` (encapsulated).
    pub start: u8,
    /// Talker identifier: two characters (`GP`, `AI`, `02` …), or `P` for
    /// proprietary sentences.
    pub talker: &'a str,
    /// Sentence formatter (`VDM`, `RMC` …).
    pub formatter: &'a str,
    /// Everything after the address field and its comma, before `*`.
    pub data: &'a str,
    /// The sentence from its start character up to and including `*hh`.
    pub text: &'a str,
    /// The tag block, if any.
    pub tag: Option<TagBlock<'a>>,
    /// A tag block was present but failed its own check, so `tag` is
    /// `None`; the sentence itself passed its checksum and is usable.
    pub tag_ignored: Option<TagProblem>,
}

impl<'a> Sentence<'a> {
    /// The data fields (after the address field).
    pub fn fields(&self) -> std::str::Split<'a, char> {
        self.data.split(',')
    }
}

/// Frame one line: skip leading garbage, read an optional tag block, verify
/// the checksum, tolerate anything after `*hh` (receiver metadata).
pub fn frame(line: &[u8]) -> Result<Sentence<'_>, FrameError> {
    let mut rest = line;
    let mut tag = None;
    let mut tag_ignored = None;
    // Leading garbage: skip to the first '\', '$' or '!'.
    let begin = rest
        .iter()
        .position(|&b| b == b'$' || b == b'!' || b == b'\\')
        .ok_or(FrameError::NoStart)?;
    rest = &rest[begin..];
    if rest.first() == Some(&b'\\') {
        let close = rest[1..]
            .iter()
            .position(|&b| b == b'\\')
            .ok_or(FrameError::BadTagBlock {
                reason: "no closing backslash",
            })?;
        match parse_tag_block(&rest[1..1 + close]) {
            Ok(t) => tag = Some(t),
            Err(p) => tag_ignored = Some(p),
        }
        rest = &rest[close + 2..];
        let begin = rest
            .iter()
            .position(|&b| b == b'$' || b == b'!')
            .ok_or(FrameError::NoStart)?;
        rest = &rest[begin..];
    }
    let star = rest
        .iter()
        .take(MAX_SENTENCE_LEN + 1)
        .position(|&b| b == b'*');
    let star = match star {
        Some(s) => s,
        None if rest.len() > MAX_SENTENCE_LEN => {
            return Err(FrameError::TooLong {
                len: rest.len(),
                max: MAX_SENTENCE_LEN,
            });
        }
        None => return Err(FrameError::NoChecksum),
    };
    let body = &rest[1..star];
    if let Some(p) = body.iter().position(|&b| !(0x20..0x7f).contains(&b)) {
        return Err(FrameError::NotAscii { position: p + 1 });
    }
    let cs = rest.get(star + 1..star + 3).unwrap_or(&rest[star + 1..]);
    let found = hex_byte(cs).ok_or_else(|| FrameError::BadChecksumField {
        found: String::from_utf8_lossy(cs).into_owned(),
    })?;
    let calculated = checksum(body);
    if calculated != found {
        return Err(FrameError::ChecksumMismatch { calculated, found });
    }
    // Checked above: printable ASCII.
    let body_str = std::str::from_utf8(body).map_err(|_| FrameError::NotAscii { position: 1 })?;
    let text = std::str::from_utf8(&rest[..star + 3])
        .map_err(|_| FrameError::NotAscii { position: star })?;
    let (address, data) = body_str.split_once(',').unwrap_or((body_str, ""));
    let (talker, formatter) = split_address(address)?;
    Ok(Sentence {
        start: rest[0],
        talker,
        formatter,
        data,
        text,
        tag,
        tag_ignored,
    })
}

fn split_address(address: &str) -> Result<(&str, &str), FrameError> {
    let bad = || FrameError::BadAddress {
        found: address.to_string(),
    };
    if !address.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(bad());
    }
    if let Some(rest) = address.strip_prefix('P') {
        // Proprietary: P + manufacturer + sentence.
        if address.len() < 4 {
            return Err(bad());
        }
        return Ok(("P", rest));
    }
    if address.len() < 5 {
        return Err(bad());
    }
    Ok(address.split_at(2))
}

/// IEC 61162-1 §5.3: a sentence has at most 82 characters, counting its
/// start delimiter (`$` or `!`) and the CR LF that ends it; 79 lie
/// between the two. Printed without its CR LF, as `encode` prints it and
/// [`Sentence::text`] holds it, a sentence has at most this many
/// characters (start delimiter to the checksum's last digit).
pub const MAX_PRINTED_LEN: usize = 80;

/// [`MAX_PRINTED_LEN`] with the CR LF: the most a sentence may occupy on
/// the wire.
pub const MAX_WIRE_LEN: usize = MAX_PRINTED_LEN + 2;

/// A sentence we would write is longer than IEC 61162-1 allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentenceTooLong {
    /// Characters from the start delimiter to the checksum.
    pub len: usize,
}

impl fmt::Display for SentenceTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "sentence of {} characters ({} with CR LF) is longer than the {MAX_WIRE_LEN} IEC 61162-1 allows",
            self.len,
            self.len + 2
        )
    }
}

impl std::error::Error for SentenceTooLong {}

/// Check a sentence we built (start delimiter to checksum, no CR LF)
/// against IEC 61162-1 §5.3.
pub fn check_length(sentence: &str) -> Result<(), SentenceTooLong> {
    let len = sentence.trim_end_matches(['\r', '\n']).len();
    if len > MAX_PRINTED_LEN {
        Err(SentenceTooLong { len })
    } else {
        Ok(())
    }
}

/// How many characters the sentence in `line` has from its start
/// delimiter to the end of its checksum (after any tag block; receiver
/// metadata after the checksum is not the sentence's). A quick look for
/// the length check, without verifying anything: `None` when no sentence
/// start or no `*` is found.
pub fn sentence_len(line: &[u8]) -> Option<usize> {
    let mut rest = line;
    let begin = rest
        .iter()
        .position(|&b| matches!(b, b'$' | b'!' | b'\\'))?;
    rest = &rest[begin..];
    if rest.first() == Some(&b'\\') {
        let close = rest[1..].iter().position(|&b| b == b'\\')?;
        rest = &rest[close + 2..];
        let begin = rest.iter().position(|&b| b == b'$' || b == b'!')?;
        rest = &rest[begin..];
    }
    let star = rest.iter().position(|&b| b == b'*')?;
    Some((star + 3).min(rest.len()))
}

/// The room one field of a sentence has: `fields` are the sentence's
/// fields with that one left empty (the header and trailer exactly as they
/// will be written), and the answer is how many characters the field can
/// take while the whole sentence stays within [`MAX_PRINTED_LEN`]. Zero
/// when the other fields leave none.
pub fn field_room(start: char, address: &str, fields: &[&str]) -> usize {
    MAX_PRINTED_LEN.saturating_sub(build(start, address, fields).len())
}

/// Most sentences one encapsulated message may take: the total and the
/// sentence number are one digit (IEC 61162-1 VDM/VDO, ABM, BBM).
pub const MAX_FRAGMENTS: usize = 9;

/// An encapsulated payload that needs more than [`MAX_FRAGMENTS`]
/// sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooManyFragments {
    /// Armoured characters to carry.
    pub chars: usize,
    /// Characters that fit in one sentence with this header.
    pub per_sentence: usize,
}

impl fmt::Display for TooManyFragments {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} payload characters need more than {MAX_FRAGMENTS} sentences of {} each",
            self.chars, self.per_sentence
        )
    }
}

impl std::error::Error for TooManyFragments {}

/// Split an armoured payload over encapsulation sentences of the form
/// `start address,total,number,<middle…>,<payload part>,<fill>*hh`
/// (VDM/VDO, ABM, BBM): the room of the payload field is worked out from
/// the header as it will be written (`middle` holds the fields between
/// the sentence number and the payload: sequential message identifier,
/// MMSI, channel, message ID as the sentence has them), so every sentence
/// is within [`MAX_PRINTED_LEN`]. The fill bits go in the last sentence,
/// 0 in the others.
pub fn encapsulate(
    start: char,
    address: &str,
    middle: &[&str],
    armored: &str,
    fill: u8,
) -> Result<Vec<String>, TooManyFragments> {
    // The widest header: one-digit total, number and fill (all that
    // IEC 61162-1 allows) with the payload field empty.
    let mut probe: Vec<&str> = vec!["9", "9"];
    probe.extend_from_slice(middle);
    probe.extend_from_slice(&["", "5"]);
    let per = field_room(start, address, &probe);
    let bytes = armored.as_bytes();
    if per == 0 && !bytes.is_empty() {
        return Err(TooManyFragments {
            chars: bytes.len(),
            per_sentence: 0,
        });
    }
    let total = if bytes.is_empty() {
        1
    } else {
        bytes.len().div_ceil(per)
    };
    if total > MAX_FRAGMENTS {
        return Err(TooManyFragments {
            chars: bytes.len(),
            per_sentence: per,
        });
    }
    let total_s = total.to_string();
    let fill_s = fill.to_string();
    Ok((0..total)
        .map(|i| {
            let part = bytes
                .get(i * per..((i + 1) * per).min(bytes.len()))
                .and_then(|c| std::str::from_utf8(c).ok())
                .unwrap_or("");
            let number = (i + 1).to_string();
            let mut fields: Vec<&str> = vec![&total_s, &number];
            fields.extend_from_slice(middle);
            fields.push(part);
            fields.push(if i + 1 == total { &fill_s } else { "0" });
            build(start, address, &fields)
        })
        .collect())
}

/// Build a sentence: `start` + address + `,` + fields + `*hh`.
pub fn build(start: char, address: &str, fields: &[&str]) -> String {
    let mut body = String::with_capacity(82);
    body.push_str(address);
    for f in fields {
        body.push(',');
        body.push_str(f);
    }
    let cs = checksum(body.as_bytes());
    format!("{start}{body}*{cs:02X}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_a_vdm() {
        let s = frame(b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A").unwrap();
        assert_eq!(s.start, b'!');
        assert_eq!(s.talker, "AI");
        assert_eq!(s.formatter, "VDM");
        assert_eq!(s.fields().nth(4), Some("15RTgt0PAso;90TKcjM8h6g208CQ"));
    }

    #[test]
    fn numeric_talker_and_garbage() {
        let line = build('$', "02MWV", &["10.0", "R", "5.0", "N", "A"]);
        let noisy = format!("\x00garbage{line}\r\n");
        let s = frame(noisy.as_bytes()).unwrap();
        assert_eq!(s.talker, "02");
        assert_eq!(s.formatter, "MWV");
    }

    #[test]
    fn tag_block_time() {
        let inner = "c:1700000000,s:rx1";
        let cs = checksum(inner.as_bytes());
        let line = format!("\\{inner}*{cs:02X}\\!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A");
        let s = frame(line.as_bytes()).unwrap();
        let tag = s.tag.unwrap();
        assert_eq!(tag.time_ms(), Some(1_700_000_000_000));
        assert_eq!(tag.source, Some("rx1"));
    }

    #[test]
    fn checksum_mismatch_carries_data() {
        let e = frame(b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4B").unwrap_err();
        assert_eq!(
            e,
            FrameError::ChecksumMismatch {
                calculated: 0x4A,
                found: 0x4B
            }
        );
    }

    #[test]
    fn encapsulation_fills_each_sentence_to_80_characters_and_no_further() {
        // "!AIVDM,n,n,3,A," is 15 characters, ",f*hh" 5: 60 payload
        // characters a sentence.
        for chars in [0, 1, 59, 60, 61, 119, 120, 121, 168] {
            let armored = "w".repeat(chars);
            let lines = encapsulate('!', "AIVDM", &["3", "A"], &armored, 2).unwrap();
            assert_eq!(lines.len(), chars.div_ceil(60).max(1), "{chars}");
            let mut joined = String::new();
            for (i, l) in lines.iter().enumerate() {
                assert!(l.len() <= MAX_PRINTED_LEN, "{l}");
                if i + 1 < lines.len() {
                    assert_eq!(l.len(), 80, "a full sentence uses all its room: {l}");
                }
                let s = frame(l.as_bytes()).unwrap();
                let f: Vec<&str> = s.fields().collect();
                assert_eq!(f[0], lines.len().to_string());
                assert_eq!(f[1], (i + 1).to_string());
                assert_eq!(f[5], if i + 1 == lines.len() { "2" } else { "0" });
                joined.push_str(f[4]);
            }
            assert_eq!(joined, armored);
        }
        // A header that leaves room for nothing, or more than nine
        // sentences, is refused.
        let wide = "9".repeat(70);
        assert!(encapsulate('!', "AIVDM", &[&wide], "w", 0).is_err());
        assert!(encapsulate('!', "AIVDM", &["3", "A"], &"w".repeat(541), 0).is_err());
        assert_eq!(
            encapsulate('!', "AIVDM", &["3", "A"], &"w".repeat(540), 0)
                .unwrap()
                .len(),
            9
        );
    }

    #[test]
    fn sentence_length_leaves_out_tag_block_and_metadata() {
        let s = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A";
        assert_eq!(sentence_len(s.as_bytes()), Some(s.len()));
        let tagged = format!("\\c:1700000000*00\\{s},1234567890,rx\r\n");
        assert_eq!(sentence_len(tagged.as_bytes()), Some(s.len()));
        assert_eq!(sentence_len(b"no sentence"), None);
        assert!(check_length(&"x".repeat(80)).is_ok());
        assert_eq!(
            check_length(&"x".repeat(81)),
            Err(SentenceTooLong { len: 81 })
        );
    }

    #[test]
    fn trailing_metadata_is_tolerated() {
        let s = frame(b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A,1234567890,rx").unwrap();
        assert_eq!(s.formatter, "VDM");
    }
}
