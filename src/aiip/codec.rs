//! The AI-IP message codec: bytes of one UDP datagram ⇄ [`Message`].
//!
//! The standard (chapter 3, §3.4, Tables 3.6–3.20) names the fields but leaves
//! byte order, field sizes and a few message numbers open; we read it exactly as
//! `shared/design/AIIP.md` says, and cite both where a choice is made.
//! Decoding never panics: every read is bounds-checked and every failure is a
//! [`DecodeError`] carrying the offending data. Every buffer is bounded by
//! [`MAX_DATAGRAM`].

use std::fmt;

use chrono::{Datelike, NaiveDate, TimeZone, Timelike, Utc};

/// Largest datagram sent or accepted (AIIP.md, Transport, §3.4.12).
pub const MAX_DATAGRAM: usize = 8192;

/// Header of message 4: ID (1 byte) + Flags (2 bytes) (Table 3.13).
const RESPONSE_HEADER: usize = 3;

/// Largest content any message can carry: a message 4 filling a whole
/// datagram. Other messages have longer headers and are checked at encode.
pub const MAX_CONTENT: usize = MAX_DATAGRAM - RESPONSE_HEADER;

/// The field separator between content and range in messages 1 and 22
/// (Tables 3.8, 3.18: "value is 0").
pub const SEPARATOR: u8 = 0x00;

/// The sentence separator inside content (§3.4.3, §3.4.6: "the CR character
/// separates the sentences").
pub const CR: u8 = 0x0D;

/// AI-IP message IDs (Table 3.6; 23 from §3.4.10).
pub mod id {
    /// Push/Request (Table 3.8).
    pub const PUSH_REQUEST: u8 = 1;
    /// Request detail information (Table 3.9).
    pub const REQUEST_DETAIL: u8 = 2;
    /// Request location information (Table 3.11).
    pub const REQUEST_LOCATION: u8 = 3;
    /// Response (Table 3.13).
    pub const RESPONSE: u8 = 4;
    /// Sign-on (Table 3.15).
    pub const SIGN_ON: u8 = 20;
    /// Sign-off (Table 3.17).
    pub const SIGN_OFF: u8 = 21;
    /// Smart request (Table 3.18).
    pub const SMART_REQUEST: u8 = 22;
    /// Acknowledgement (Table 3.20).
    pub const ACKNOWLEDGEMENT: u8 = 23;
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Why a datagram could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The datagram was empty: not even a message ID.
    Empty,
    /// The datagram ended before a field: `needed` bytes were required in all,
    /// `got` were present.
    Truncated { needed: usize, got: usize },
    /// A message ID that Table 3.6 / §3.4.10 does not define.
    UnknownId(u8),
    /// The datagram is larger than [`MAX_DATAGRAM`].
    TooLong { len: usize, max: usize },
    /// A timestamp field that is not a real UTC date and time (Table 3.7).
    BadTimestamp { raw: u32 },
    /// An identifier type that Tables 3.10/3.16 do not define.
    UnknownIdentifierType(u8),
    /// A range of 0 km (AIIP.md: range is 1–255 km).
    ZeroRange,
    /// A content byte that is neither printable ASCII nor CR, at `offset`
    /// within the datagram.
    BadContentByte { offset: usize, byte: u8 },
    /// Content with an empty sentence (two CRs in a row, or a leading CR), at
    /// `offset` within the datagram.
    EmptySentence { offset: usize },
    /// Bytes left over after the last field of the message.
    TrailingBytes { id: u8, extra: usize },
    /// A smart request (message 22) without its separator, range and
    /// selector (AIIP.md layout of message 22).
    MissingRange { id: u8 },
}

impl DecodeError {
    /// A short name for counters (`truncated`, `unknown_id` …).
    pub fn kind(&self) -> &'static str {
        match self {
            DecodeError::Empty => "empty",
            DecodeError::Truncated { .. } => "truncated",
            DecodeError::UnknownId(_) => "unknown_id",
            DecodeError::TooLong { .. } => "too_long",
            DecodeError::BadTimestamp { .. } => "bad_timestamp",
            DecodeError::UnknownIdentifierType(_) => "unknown_identifier_type",
            DecodeError::ZeroRange => "zero_range",
            DecodeError::BadContentByte { .. } => "bad_content_byte",
            DecodeError::EmptySentence { .. } => "empty_sentence",
            DecodeError::TrailingBytes { .. } => "trailing_bytes",
            DecodeError::MissingRange { .. } => "missing_range",
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(f, "empty datagram"),
            Self::Truncated { needed, got } => {
                write!(f, "truncated: needed {needed} bytes, got {got}")
            }
            Self::UnknownId(id) => write!(f, "unknown AI-IP message id {id}"),
            Self::TooLong { len, max } => write!(f, "datagram of {len} bytes exceeds {max}"),
            Self::BadTimestamp { raw } => write!(f, "impossible timestamp 0x{raw:08X}"),
            Self::UnknownIdentifierType(t) => write!(f, "unknown identifier type {t}"),
            Self::ZeroRange => write!(f, "range of 0 km"),
            Self::BadContentByte { offset, byte } => {
                write!(
                    f,
                    "byte 0x{byte:02X} at offset {offset} is not allowed in content"
                )
            }
            Self::EmptySentence { offset } => write!(f, "empty sentence at offset {offset}"),
            Self::TrailingBytes { id, extra } => {
                write!(f, "{extra} bytes after the end of message {id}")
            }
            Self::MissingRange { id } => write!(f, "message {id} lacks separator and range"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Why a message could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EncodeError {
    /// The encoded datagram would exceed `max` bytes.
    TooLong { len: usize, max: usize },
    /// Message 2 can list at most 255 vessels (Count is 1 byte, Table 3.9).
    TooManyIdentifiers { count: usize, max: usize },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong { len, max } => write!(f, "datagram of {len} bytes exceeds {max}"),
            Self::TooManyIdentifiers { count, max } => {
                write!(f, "{count} identifiers, at most {max} fit in message 2")
            }
        }
    }
}

impl std::error::Error for EncodeError {}

/// Why content text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentError {
    /// Longer than [`MAX_CONTENT`].
    TooLong { len: usize, max: usize },
    /// A byte that is neither printable ASCII (0x20–0x7E) nor CR.
    BadByte { offset: usize, byte: u8 },
    /// An empty sentence: a leading CR or two CRs in a row.
    EmptySentence { offset: usize },
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLong { len, max } => write!(f, "content of {len} bytes exceeds {max}"),
            Self::BadByte { offset, byte } => {
                write!(
                    f,
                    "byte 0x{byte:02X} at offset {offset} is not allowed in content"
                )
            }
            Self::EmptySentence { offset } => write!(f, "empty sentence at offset {offset}"),
        }
    }
}

impl std::error::Error for ContentError {}

/// A time outside what Table 3.7 can carry (2000-01-01 to 2063-12-31, UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimestampRangeError {
    /// The milliseconds since the Unix epoch that were refused.
    pub unix_ms: i64,
}

impl fmt::Display for TimestampRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ms since the epoch is outside 2000–2063, the years an AI-IP timestamp can carry",
            self.unix_ms
        )
    }
}

impl std::error::Error for TimestampRangeError {}

// ---------------------------------------------------------------------------
// Timestamp (Table 3.7)
// ---------------------------------------------------------------------------

/// A request timestamp, UTC, to the second (§3.4.2, Table 3.7).
///
/// On the wire: 4 bytes, big-endian u32 (AIIP.md, Common fields), bit 0 the
/// least significant (§3.4.2):
///
/// | Field  | Bits   | Value                        |
/// |--------|--------|------------------------------|
/// | Year   | 31–26  | years since 2000 (2000–2063) |
/// | Month  | 25–22  | 1–12                         |
/// | Day    | 21–17  | 1–31                         |
/// | Hour   | 16–12  | 0–23                         |
/// | Minute | 11–6   | 0–59                         |
/// | Second | 5–0    | 0–59                         |
///
/// Only real dates are representable: 31 April, 29 February of a common year,
/// hour 24 or second 60 are refused ([`DecodeError::BadTimestamp`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(u32);

impl Timestamp {
    /// Builds a timestamp from its fields, if they form a real UTC date and
    /// time between 2000 and 2063.
    pub fn from_fields(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    ) -> Option<Self> {
        if !(2000..=2063).contains(&year) || hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), u32::from(day))?;
        let raw = (u32::from(year - 2000) << 26)
            | (u32::from(month) << 22)
            | (u32::from(day) << 17)
            | (u32::from(hour) << 12)
            | (u32::from(minute) << 6)
            | u32::from(second);
        Some(Self(raw))
    }

    /// Reads the raw 32-bit field, refusing impossible dates.
    pub fn from_raw(raw: u32) -> Result<Self, DecodeError> {
        let year = 2000 + ((raw >> 26) & 0x3F) as u16;
        let month = ((raw >> 22) & 0x0F) as u8;
        let day = ((raw >> 17) & 0x1F) as u8;
        let hour = ((raw >> 12) & 0x1F) as u8;
        let minute = ((raw >> 6) & 0x3F) as u8;
        let second = (raw & 0x3F) as u8;
        Self::from_fields(year, month, day, hour, minute, second)
            .ok_or(DecodeError::BadTimestamp { raw })
    }

    /// The raw 32-bit field as sent on the wire (before big-endian encoding).
    pub fn raw(self) -> u32 {
        self.0
    }

    /// The timestamp of a moment given in milliseconds since the Unix epoch
    /// (UTC). Milliseconds are dropped: Table 3.7 resolves to the second.
    pub fn from_unix_ms(unix_ms: i64) -> Result<Self, TimestampRangeError> {
        let err = TimestampRangeError { unix_ms };
        let dt = Utc.timestamp_millis_opt(unix_ms).single().ok_or(err)?;
        let year = u16::try_from(dt.year()).map_err(|_| err)?;
        // All narrowing below is of values chrono keeps within their calendar range.
        Self::from_fields(
            year,
            dt.month() as u8,
            dt.day() as u8,
            dt.hour() as u8,
            dt.minute() as u8,
            dt.second() as u8,
        )
        .ok_or(err)
    }

    /// Milliseconds since the Unix epoch (UTC) of this timestamp.
    pub fn to_unix_ms(self) -> i64 {
        // The fields were validated at construction, so the date exists.
        NaiveDate::from_ymd_opt(
            i32::from(self.year()),
            self.month().into(),
            self.day().into(),
        )
        .and_then(|d| {
            d.and_hms_opt(
                self.hour().into(),
                self.minute().into(),
                self.second().into(),
            )
        })
        .map_or(0, |dt| dt.and_utc().timestamp_millis())
    }

    /// Year (2000–2063).
    pub fn year(self) -> u16 {
        2000 + ((self.0 >> 26) & 0x3F) as u16
    }
    /// Month (1–12).
    pub fn month(self) -> u8 {
        ((self.0 >> 22) & 0x0F) as u8
    }
    /// Day of month (1–31).
    pub fn day(self) -> u8 {
        ((self.0 >> 17) & 0x1F) as u8
    }
    /// Hour (0–23).
    pub fn hour(self) -> u8 {
        ((self.0 >> 12) & 0x1F) as u8
    }
    /// Minute (0–59).
    pub fn minute(self) -> u8 {
        ((self.0 >> 6) & 0x3F) as u8
    }
    /// Second (0–59).
    pub fn second(self) -> u8 {
        (self.0 & 0x3F) as u8
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year(),
            self.month(),
            self.day(),
            self.hour(),
            self.minute(),
            self.second()
        )
    }
}

// ---------------------------------------------------------------------------
// Flags and selectors
// ---------------------------------------------------------------------------

macro_rules! bit_set {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name(u16);

        impl $name {
            /// No bit set.
            pub const EMPTY: Self = Self(0);

            /// From the raw 16-bit field; bits the standard does not name are kept.
            pub const fn from_bits(bits: u16) -> Self {
                Self(bits)
            }
            /// The raw 16-bit field.
            pub const fn bits(self) -> u16 {
                self.0
            }
            /// Whether every bit of `other` is set.
            pub const fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }
            /// Whether no bit is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }
            /// The bits of both.
            pub const fn union(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }
            /// These bits without those of `other`.
            pub const fn difference(self, other: Self) -> Self {
                Self(self.0 & !other.0)
            }
        }

        impl std::ops::BitOr for $name {
            type Output = Self;
            fn bitor(self, rhs: Self) -> Self {
                self.union(rhs)
            }
        }

        impl std::ops::BitOrAssign for $name {
            fn bitor_assign(&mut self, rhs: Self) {
                *self = self.union(rhs);
            }
        }
    };
}

bit_set!(
    /// Flags of messages 3 and 4 (Tables 3.12, 3.14): 2 bytes, big-endian,
    /// bit 0 the least significant (AIIP.md, Common fields). Message 3 uses
    /// them to ask, message 4 to tell that information is available.
    Flags
);

impl Flags {
    /// Bit 0: a special update rate is valid for this area (Tables 3.12, 3.14).
    pub const UPDATE_RATE: Self = Self(1 << 0);
    /// Bit 1: aids-to-navigation messages are available.
    pub const ATON: Self = Self(1 << 1);
    /// Bit 2: EMMA warnings are available.
    pub const EMMA_WARNING: Self = Self(1 << 2);
    /// Bit 3: water-level information is available.
    pub const WATER_LEVEL: Self = Self(1 << 3);
    /// Bit 4: an RTA message is available.
    pub const RTA: Self = Self(1 << 4);
    /// Bit 15: this is the final message of the response (Table 3.14 only).
    pub const FINAL: Self = Self(1 << 15);
}

bit_set!(
    /// Selector of message 22 (Table 3.19): 2 bytes, big-endian, bit 0 the
    /// least significant (AIIP.md, Common fields). The filters combine
    /// (§3.3.4.8).
    Selector
);

impl Selector {
    /// Bit 0: moored vessels.
    pub const MOORED: Self = Self(1 << 0);
    /// Bit 1: moving vessels.
    pub const MOVING: Self = Self(1 << 1);
    /// Bit 8: inland vessels.
    pub const INLAND: Self = Self(1 << 8);
    /// Bit 9: maritime vessels.
    pub const MARITIME: Self = Self(1 << 9);
    /// Bit 10: pleasure craft.
    pub const PLEASURE_CRAFT: Self = Self(1 << 10);
    /// Bit 11: vessels reported via AI-IP only.
    pub const AIIP_ONLY: Self = Self(1 << 11);
    /// Bit 12: vessels received via an external AIS network only.
    pub const AIS_ONLY: Self = Self(1 << 12);
}

// ---------------------------------------------------------------------------
// Identifier, range, content
// ---------------------------------------------------------------------------

/// What an identifier's number is (Tables 3.10, 3.16), 1 byte on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdentifierType {
    /// 0: MMSI (the default, Table 3.10).
    Mmsi,
    /// 1: Unique (European) Hull Identification Number.
    HullNumber,
}

impl IdentifierType {
    /// The type byte.
    pub fn code(self) -> u8 {
        match self {
            Self::Mmsi => 0,
            Self::HullNumber => 1,
        }
    }

    /// From the type byte; other values are not defined (yet) by Table 3.10.
    pub fn from_code(code: u8) -> Result<Self, DecodeError> {
        match code {
            0 => Ok(Self::Mmsi),
            1 => Ok(Self::HullNumber),
            other => Err(DecodeError::UnknownIdentifierType(other)),
        }
    }
}

/// A vessel identifier (Tables 3.9, 3.15): Type (1 byte) then Id (4 bytes,
/// big-endian u32, AIIP.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Identifier {
    /// What the number is.
    pub kind: IdentifierType,
    /// The number.
    pub id: u32,
}

impl Identifier {
    /// An MMSI.
    pub fn mmsi(mmsi: u32) -> Self {
        Self {
            kind: IdentifierType::Mmsi,
            id: mmsi,
        }
    }
}

/// The request range of messages 1 and 22 (Tables 3.8, 3.18): 1 byte,
/// kilometres, 1–255 (AIIP.md). The client limits it further (15 km tactical
/// on board, 50 km strategic, §3.4.3); the codec does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RangeKm(u8);

impl RangeKm {
    /// A range of `km`, if not zero.
    pub fn new(km: u8) -> Option<Self> {
        (km > 0).then_some(Self(km))
    }
    /// The range in kilometres.
    pub fn km(self) -> u8 {
        self.0
    }
}

/// Message content: NMEA 0183 sentences in ASCII separated by CR (§3.4.3,
/// §3.4.6; AIIP.md, Common fields).
///
/// Bounded by [`MAX_CONTENT`]. Only printable ASCII (0x20–0x7E) and CR are
/// allowed — in particular not 0x00, which ends the content of messages 1
/// and 22. No sentence is empty; a single trailing CR is allowed and kept, so
/// bytes round-trip exactly.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Content(String);

impl Content {
    /// Empty content (a message 4 that only carries flags, §3.4.6).
    pub fn empty() -> Self {
        Self(String::new())
    }

    /// Checks and wraps `text`.
    pub fn new(text: &str) -> Result<Self, ContentError> {
        validate_content(text.as_bytes())?;
        Ok(Self(text.to_owned()))
    }

    /// Joins sentences with CR (no trailing CR).
    pub fn from_sentences<S: AsRef<str>>(sentences: &[S]) -> Result<Self, ContentError> {
        let mut text = String::new();
        for (i, s) in sentences.iter().enumerate() {
            if i > 0 {
                text.push('\r');
            }
            text.push_str(s.as_ref());
            if text.len() > MAX_CONTENT {
                return Err(ContentError::TooLong {
                    len: text.len(),
                    max: MAX_CONTENT,
                });
            }
        }
        Self::new(&text)
    }

    /// The content as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no content.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The sentences, without their CR separators.
    pub fn sentences(&self) -> impl Iterator<Item = &str> {
        let trimmed = self.0.strip_suffix('\r').unwrap_or(&self.0);
        trimmed.split('\r').filter(|s| !s.is_empty())
    }

    fn from_wire(bytes: &[u8], offset: usize) -> Result<Self, DecodeError> {
        match validate_content(bytes) {
            Ok(()) => {}
            Err(ContentError::TooLong { .. }) => {
                // Cannot happen inside a datagram ≤ MAX_DATAGRAM; report as such.
                return Err(DecodeError::TooLong {
                    len: bytes.len(),
                    max: MAX_CONTENT,
                });
            }
            Err(ContentError::BadByte { offset: o, byte }) => {
                return Err(DecodeError::BadContentByte {
                    offset: offset + o,
                    byte,
                });
            }
            Err(ContentError::EmptySentence { offset: o }) => {
                return Err(DecodeError::EmptySentence { offset: offset + o });
            }
        }
        // Every byte is ASCII, so this is valid UTF-8.
        let text = std::str::from_utf8(bytes).map_err(|e| DecodeError::BadContentByte {
            offset: offset + e.valid_up_to(),
            byte: bytes.get(e.valid_up_to()).copied().unwrap_or(0),
        })?;
        Ok(Self(text.to_owned()))
    }
}

fn validate_content(bytes: &[u8]) -> Result<(), ContentError> {
    if bytes.len() > MAX_CONTENT {
        return Err(ContentError::TooLong {
            len: bytes.len(),
            max: MAX_CONTENT,
        });
    }
    validate_unbounded(bytes)
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

/// One AI-IP message (Table 3.6 and §3.4.10), as carried by one datagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// 1 Push/Request (Table 3.8): ID, Timestamp, Content [, 0x00, Range].
    /// With a range it asks for the vessels in the square of §3.3.4.7.
    PushRequest {
        timestamp: Timestamp,
        content: Content,
        range: Option<RangeKm>,
    },
    /// 2 Request detail information (Table 3.9): ID, Count (1 byte),
    /// Count × (Type, Id).
    RequestDetail { identifiers: Vec<Identifier> },
    /// 3 Request location information (Table 3.11): ID, Timestamp, Flags.
    RequestLocation { timestamp: Timestamp, flags: Flags },
    /// 4 Response (Table 3.13): ID, Flags, Content (to the end of the
    /// datagram).
    Response { flags: Flags, content: Content },
    /// 20 Sign-on (Table 3.15): ID, Timestamp, Type, Id.
    SignOn {
        timestamp: Timestamp,
        identifier: Identifier,
    },
    /// 21 Sign-off (Table 3.17): ID, Timestamp, Type, Id.
    SignOff {
        timestamp: Timestamp,
        identifier: Identifier,
    },
    /// 22 Smart request (Table 3.18): ID, Timestamp, Content, 0x00, Range,
    /// Selector. AIIP.md lists separator, range and selector without
    /// brackets, so they are required here.
    SmartRequest {
        timestamp: Timestamp,
        content: Content,
        range: RangeKm,
        selector: Selector,
    },
    /// 23 Acknowledgement (Table 3.20): ID, Timestamp — the timestamp of the
    /// sign-on or sign-off it acknowledges.
    Acknowledgement { timestamp: Timestamp },
}

impl Message {
    /// The AI-IP message ID (Table 3.6).
    pub fn id(&self) -> u8 {
        match self {
            Self::PushRequest { .. } => id::PUSH_REQUEST,
            Self::RequestDetail { .. } => id::REQUEST_DETAIL,
            Self::RequestLocation { .. } => id::REQUEST_LOCATION,
            Self::Response { .. } => id::RESPONSE,
            Self::SignOn { .. } => id::SIGN_ON,
            Self::SignOff { .. } => id::SIGN_OFF,
            Self::SmartRequest { .. } => id::SMART_REQUEST,
            Self::Acknowledgement { .. } => id::ACKNOWLEDGEMENT,
        }
    }
}

/// Encodes one message into one datagram of at most [`MAX_DATAGRAM`] bytes.
pub fn encode(message: &Message) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(16);
    out.push(message.id());
    match message {
        Message::PushRequest {
            timestamp,
            content,
            range,
        } => {
            put_timestamp(&mut out, *timestamp);
            out.extend_from_slice(content.as_str().as_bytes());
            if let Some(range) = range {
                out.push(SEPARATOR);
                out.push(range.km());
            }
        }
        Message::RequestDetail { identifiers } => {
            let count =
                u8::try_from(identifiers.len()).map_err(|_| EncodeError::TooManyIdentifiers {
                    count: identifiers.len(),
                    max: usize::from(u8::MAX),
                })?;
            out.push(count);
            for identifier in identifiers {
                put_identifier(&mut out, *identifier);
            }
        }
        Message::RequestLocation { timestamp, flags } => {
            put_timestamp(&mut out, *timestamp);
            out.extend_from_slice(&flags.bits().to_be_bytes());
        }
        Message::Response { flags, content } => {
            out.extend_from_slice(&flags.bits().to_be_bytes());
            out.extend_from_slice(content.as_str().as_bytes());
        }
        Message::SignOn {
            timestamp,
            identifier,
        }
        | Message::SignOff {
            timestamp,
            identifier,
        } => {
            put_timestamp(&mut out, *timestamp);
            put_identifier(&mut out, *identifier);
        }
        Message::SmartRequest {
            timestamp,
            content,
            range,
            selector,
        } => {
            put_timestamp(&mut out, *timestamp);
            out.extend_from_slice(content.as_str().as_bytes());
            out.push(SEPARATOR);
            out.push(range.km());
            out.extend_from_slice(&selector.bits().to_be_bytes());
        }
        Message::Acknowledgement { timestamp } => put_timestamp(&mut out, *timestamp),
    }
    if out.len() > MAX_DATAGRAM {
        return Err(EncodeError::TooLong {
            len: out.len(),
            max: MAX_DATAGRAM,
        });
    }
    Ok(out)
}

fn put_timestamp(out: &mut Vec<u8>, timestamp: Timestamp) {
    out.extend_from_slice(&timestamp.raw().to_be_bytes());
}

fn put_identifier(out: &mut Vec<u8>, identifier: Identifier) {
    out.push(identifier.kind.code());
    out.extend_from_slice(&identifier.id.to_be_bytes());
}

/// A bounds-checked reader over one datagram.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.saturating_add(n);
        let slice = self
            .bytes
            .get(self.pos..end)
            .ok_or(DecodeError::Truncated {
                needed: end,
                got: self.bytes.len(),
            })?;
        self.pos = end;
        Ok(slice)
    }
    fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, DecodeError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, DecodeError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn timestamp(&mut self) -> Result<Timestamp, DecodeError> {
        Timestamp::from_raw(self.u32()?)
    }
    fn identifier(&mut self) -> Result<Identifier, DecodeError> {
        let kind = IdentifierType::from_code(self.u8()?)?;
        let id = self.u32()?;
        Ok(Identifier { kind, id })
    }
    fn range(&mut self) -> Result<RangeKm, DecodeError> {
        RangeKm::new(self.u8()?).ok_or(DecodeError::ZeroRange)
    }
    /// Content up to the separator 0x00 or the end of the datagram; the
    /// separator itself is consumed. Returns whether a separator was found.
    fn content_to_separator(&mut self) -> Result<(Content, bool), DecodeError> {
        let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
        let (len, found) = match rest.iter().position(|&b| b == SEPARATOR) {
            Some(i) => (i, true),
            None => (rest.len(), false),
        };
        let start = self.pos;
        let content = Content::from_wire(self.take(len)?, start)?;
        if found {
            self.take(1)?;
        }
        Ok((content, found))
    }
    fn content_to_end(&mut self) -> Result<Content, DecodeError> {
        let start = self.pos;
        let len = self.bytes.len().saturating_sub(start);
        Content::from_wire(self.take(len)?, start)
    }
    fn finish(&self, id: u8) -> Result<(), DecodeError> {
        match self.bytes.len().saturating_sub(self.pos) {
            0 => Ok(()),
            extra => Err(DecodeError::TrailingBytes { id, extra }),
        }
    }
}

/// Decodes one datagram. Never panics; bytes after the last field are an
/// error ([`DecodeError::TrailingBytes`]) rather than ignored.
pub fn decode(bytes: &[u8]) -> Result<Message, DecodeError> {
    if bytes.len() > MAX_DATAGRAM {
        return Err(DecodeError::TooLong {
            len: bytes.len(),
            max: MAX_DATAGRAM,
        });
    }
    let mut r = Reader { bytes, pos: 0 };
    let message_id = r.u8().map_err(|_| DecodeError::Empty)?;
    let message = match message_id {
        id::PUSH_REQUEST => {
            let timestamp = r.timestamp()?;
            let (content, separated) = r.content_to_separator()?;
            let range = if separated { Some(r.range()?) } else { None };
            Message::PushRequest {
                timestamp,
                content,
                range,
            }
        }
        id::REQUEST_DETAIL => {
            let count = r.u8()?;
            // Bounded by the count byte: at most 255 × 5 bytes are read.
            let mut identifiers = Vec::with_capacity(usize::from(count));
            for _ in 0..count {
                identifiers.push(r.identifier()?);
            }
            Message::RequestDetail { identifiers }
        }
        id::REQUEST_LOCATION => Message::RequestLocation {
            timestamp: r.timestamp()?,
            flags: Flags::from_bits(r.u16()?),
        },
        id::RESPONSE => Message::Response {
            flags: Flags::from_bits(r.u16()?),
            content: r.content_to_end()?,
        },
        id::SIGN_ON => Message::SignOn {
            timestamp: r.timestamp()?,
            identifier: r.identifier()?,
        },
        id::SIGN_OFF => Message::SignOff {
            timestamp: r.timestamp()?,
            identifier: r.identifier()?,
        },
        id::SMART_REQUEST => {
            let timestamp = r.timestamp()?;
            let (content, separated) = r.content_to_separator()?;
            if !separated {
                return Err(DecodeError::MissingRange { id: message_id });
            }
            let range = r.range()?;
            let selector = Selector::from_bits(r.u16()?);
            Message::SmartRequest {
                timestamp,
                content,
                range,
                selector,
            }
        }
        id::ACKNOWLEDGEMENT => Message::Acknowledgement {
            timestamp: r.timestamp()?,
        },
        other => return Err(DecodeError::UnknownId(other)),
    };
    r.finish(message_id)?;
    Ok(message)
}

// ---------------------------------------------------------------------------
// Splitting a long response (AIIP.md, Transport)
// ---------------------------------------------------------------------------

/// Why a response could not be split into datagrams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The text is not valid content (bad byte or empty sentence); the length
    /// bound does not apply before splitting.
    BadContent(ContentError),
    /// One sentence (with its CR) is longer than a datagram can carry.
    SentenceTooLong {
        offset: usize,
        len: usize,
        max: usize,
    },
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadContent(e) => write!(f, "bad response content: {e}"),
            Self::SentenceTooLong { offset, len, max } => write!(
                f,
                "sentence at offset {offset} is {len} bytes, more than the {max} a datagram carries"
            ),
        }
    }
}

impl std::error::Error for SplitError {}

/// Splits a response over as many message-4 datagrams as needed, none larger
/// than [`MAX_DATAGRAM`], cutting only after a CR so no sentence is split.
///
/// Every datagram carries `flags` (the information flags of Table 3.14); the
/// Final flag (bit 15) is set on the last one only and cleared on the others,
/// whatever `flags` says. Concatenating the contents in order gives back
/// `text` exactly. Empty text gives one final datagram with empty content.
pub fn split_response(flags: Flags, text: &str) -> Result<Vec<Message>, SplitError> {
    split_response_with_limit(flags, text, MAX_CONTENT)
}

/// [`split_response`] with a smaller content limit per datagram (for tests
/// and for links with a smaller MTU). `limit` is clamped to [`MAX_CONTENT`].
pub fn split_response_with_limit(
    flags: Flags,
    text: &str,
    limit: usize,
) -> Result<Vec<Message>, SplitError> {
    let limit = limit.clamp(1, MAX_CONTENT);
    let bytes = text.as_bytes();
    // Validate bytes and sentences, but not the total length.
    validate_unbounded(bytes).map_err(SplitError::BadContent)?;

    let mut chunks: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut last_cut = 0; // end of the last whole sentence (after its CR) since start
    let mut sentence_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == CR {
            let end = i + 1;
            if end - sentence_start > limit {
                return Err(SplitError::SentenceTooLong {
                    offset: sentence_start,
                    len: end - sentence_start,
                    max: limit,
                });
            }
            if end - start > limit {
                chunks.push(text.get(start..last_cut).unwrap_or(""));
                start = last_cut;
            }
            last_cut = end;
            sentence_start = end;
        }
    }
    // The tail: sentences since `start`, the last possibly without CR.
    let end = bytes.len();
    if end - sentence_start > limit {
        return Err(SplitError::SentenceTooLong {
            offset: sentence_start,
            len: end - sentence_start,
            max: limit,
        });
    }
    if end - start > limit {
        chunks.push(text.get(start..last_cut).unwrap_or(""));
        start = last_cut;
    }
    chunks.push(text.get(start..end).unwrap_or(""));

    let base = flags.difference(Flags::FINAL);
    let last = chunks.len() - 1;
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let content = Content::new(chunk).map_err(SplitError::BadContent)?;
            let flags = if i == last { base | Flags::FINAL } else { base };
            Ok(Message::Response { flags, content })
        })
        .collect()
}

/// The byte and sentence rules of [`Content`], without its length bound.
fn validate_unbounded(bytes: &[u8]) -> Result<(), ContentError> {
    let mut previous_was_boundary = true;
    for (offset, &byte) in bytes.iter().enumerate() {
        if byte == CR {
            if previous_was_boundary {
                return Err(ContentError::EmptySentence { offset });
            }
            previous_was_boundary = true;
        } else if (0x20..=0x7E).contains(&byte) {
            previous_was_boundary = false;
        } else {
            return Err(ContentError::BadByte { offset, byte });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts() -> Timestamp {
        Timestamp::from_fields(2024, 2, 29, 23, 59, 58).expect("a real date")
    }

    #[test]
    fn timestamp_bit_layout_follows_table_3_7() {
        let t = ts();
        let raw = (24 << 26) | (2 << 22) | (29 << 17) | (23 << 12) | (59 << 6) | 58;
        assert_eq!(t.raw(), raw);
        assert_eq!(Timestamp::from_raw(raw), Ok(t));
        assert_eq!(t.to_string(), "2024-02-29T23:59:58Z");
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(Timestamp::from_fields(2023, 2, 29, 0, 0, 0), None);
        assert_eq!(Timestamp::from_fields(2024, 4, 31, 0, 0, 0), None);
        assert_eq!(Timestamp::from_fields(2024, 13, 1, 0, 0, 0), None);
        assert_eq!(Timestamp::from_fields(2024, 0, 1, 0, 0, 0), None);
        assert_eq!(Timestamp::from_fields(2024, 1, 0, 0, 0, 0), None);
        assert_eq!(Timestamp::from_fields(2024, 1, 1, 24, 0, 0), None);
        assert_eq!(Timestamp::from_fields(2024, 1, 1, 0, 60, 0), None);
        assert_eq!(Timestamp::from_fields(2024, 1, 1, 0, 0, 60), None);
        assert_eq!(Timestamp::from_fields(1999, 12, 31, 0, 0, 0), None);
        assert_eq!(Timestamp::from_fields(2064, 1, 1, 0, 0, 0), None);
        assert_eq!(
            Timestamp::from_raw(0),
            Err(DecodeError::BadTimestamp { raw: 0 })
        );
        assert_eq!(
            Timestamp::from_raw(u32::MAX),
            Err(DecodeError::BadTimestamp { raw: u32::MAX })
        );
    }

    #[test]
    fn unix_ms_round_trip_and_bounds() {
        // 2024-02-29T23:59:58Z = 1_709_251_198 s.
        assert_eq!(ts().to_unix_ms(), 1_709_251_198_000);
        assert_eq!(Timestamp::from_unix_ms(1_709_251_198_999), Ok(ts()));
        // 2000-01-01T00:00:00Z and one millisecond before.
        let first = Timestamp::from_unix_ms(946_684_800_000).expect("in range");
        assert_eq!(first.raw(), (1 << 22) | (1 << 17));
        assert_eq!(
            Timestamp::from_unix_ms(946_684_799_999),
            Err(TimestampRangeError {
                unix_ms: 946_684_799_999
            })
        );
        // 2064-01-01T00:00:00Z is one past the last representable year.
        assert!(Timestamp::from_unix_ms(2_966_371_200_000).is_err());
        assert!(Timestamp::from_unix_ms(2_966_371_199_000).is_ok());
        assert!(Timestamp::from_unix_ms(i64::MAX).is_err());
        assert!(Timestamp::from_unix_ms(i64::MIN).is_err());
    }

    #[test]
    fn content_rules() {
        assert!(Content::new("!AIVDM,a\r!AIVDM,b\r").is_ok());
        assert_eq!(
            Content::new("a\r\rb"),
            Err(ContentError::EmptySentence { offset: 2 })
        );
        assert_eq!(
            Content::new("\ra"),
            Err(ContentError::EmptySentence { offset: 0 })
        );
        assert_eq!(
            Content::new("a\nb"),
            Err(ContentError::BadByte {
                offset: 1,
                byte: b'\n'
            })
        );
        assert_eq!(
            Content::new("a\0"),
            Err(ContentError::BadByte { offset: 1, byte: 0 })
        );
        let c = Content::new("x\ry\r").expect("valid");
        assert_eq!(c.sentences().collect::<Vec<_>>(), ["x", "y"]);
        let long = "a".repeat(MAX_CONTENT + 1);
        assert_eq!(
            Content::new(&long),
            Err(ContentError::TooLong {
                len: MAX_CONTENT + 1,
                max: MAX_CONTENT
            })
        );
    }
}
