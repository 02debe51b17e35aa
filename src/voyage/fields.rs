//! Field validators for what the officer types: MMSI, ISRS location code,
//! ETA, tugs, air draught, safety text, voyage and static data.
//!
//! Each validator is a pure `fn(&str) -> Result<T, FieldError>` (the ETA also
//! takes `now_ms`, the time the check is made against): the same functions
//! serve the console's forms and the `encode` command, so a value is either
//! refused with a reason in words or turned into exactly what goes on the
//! air. Out-of-range values are refused, never clamped or rounded.
//!
//! The ranges come from ITU-R M.1371-5 (messages 5, 12, 14; the dimensions of
//! the reference point), ITU-R M.585 (MMSI formats), IEC 61162-1 (VSD and
//! SSD) and the Inland AIS standard §2.4.4.2.2 (FI 21, table 2.8); they are
//! listed with their paragraphs in `docs/voyage.md`.

use crate::nmea::armour::Text;
use chrono::NaiveDate;
use std::fmt;

/// Why a value was refused, with what would have been accepted. The
/// `Display` text is what the form and `encode` show the officer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    /// Nothing given where a value is needed.
    Empty { expected: &'static str },
    /// The right kind of value, outside its range.
    OutOfRange { found: String, range: &'static str },
    /// Not the expected form (digits, letters, a date …).
    Format {
        found: String,
        expected: &'static str,
    },
    /// A character the field cannot carry; `position` counts from 1.
    Character {
        character: char,
        position: usize,
        allowed: &'static str,
    },
    /// More characters than the field holds.
    TooLong { length: usize, max: usize },
    /// An MMSI that cannot receive an addressed message.
    Destination { mmsi: String, reason: &'static str },
    /// A time that has already passed.
    Past { found: String, now: String },
    /// A time more than [`ETA_AHEAD_DAYS`] ahead: the ETA carries no year.
    TooFar { found: String, latest: String },
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldError::Empty { expected } => write!(f, "a value is needed: {expected}"),
            FieldError::OutOfRange { found, range } => {
                write!(f, "{found} is out of range: allowed {range}")
            }
            FieldError::Format { found, expected } => {
                write!(f, "{found:?} is not {expected}")
            }
            FieldError::Character {
                character,
                position,
                allowed,
            } => write!(
                f,
                "character {} at position {position} cannot be sent: allowed {allowed}",
                char_name(*character)
            ),
            FieldError::TooLong { length, max } => {
                write!(
                    f,
                    "{length} characters is too long: at most {max} characters"
                )
            }
            FieldError::Destination { mmsi, reason } => {
                write!(f, "{mmsi} cannot be the destination: {reason}")
            }
            FieldError::Past { found, now } => {
                write!(
                    f,
                    "{found} is in the past (it is now {now}); give a time ahead"
                )
            }
            FieldError::TooFar { found, latest } => {
                write!(
                    f,
                    "{found} is more than a year ahead (latest {latest}): the ETA is sent \
                     without its year, so the station would read another date"
                )
            }
        }
    }
}

impl std::error::Error for FieldError {}

fn char_name(c: char) -> String {
    if c.is_control() || c.is_whitespace() && c != ' ' {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("{c:?}")
    }
}

/// The six-bit alphabet of ITU-R M.1371-5 table 47, in words.
pub const SIXBIT_ALLOWED: &str =
    "A-Z, 0-9, space and ! \" # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \\ ] ^ _";

/// Allowed in text that travels inside an IEC 61162-1 sentence field (VSD
/// destination, SSD call sign and name): the six-bit alphabet without the
/// sentence's reserved characters and without `@`, which there means "not
/// available".
pub const FIELD_TEXT_ALLOWED: &str = "A-Z, 0-9, space and \" # % & ' ( ) + - . / : ; < = > ? [ ] _";

/// IEC 61162-1 §7.1.3 reserved characters, plus `@` (the padding / not
/// available character of six-bit text fields).
const SENTENCE_RESERVED: &[char] = &['!', '$', '*', ',', '\\', '^', '~', '@'];

/// Text in the six-bit alphabet: lower case folded to upper case, any other
/// character outside table 47 refused with its position.
pub fn sixbit_text(s: &str) -> Result<String, FieldError> {
    fold(s, &[], SIXBIT_ALLOWED)
}

fn fold(s: &str, reserved: &[char], allowed: &'static str) -> Result<String, FieldError> {
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.chars().enumerate() {
        let u = c.to_ascii_uppercase();
        if !(' '..='_').contains(&u) || reserved.contains(&u) {
            return Err(FieldError::Character {
                character: c,
                position: i + 1,
                allowed,
            });
        }
        out.push(u);
    }
    Ok(out)
}

/// Six-bit text for a sentence field, at most `max` characters, trimmed.
fn field_text(s: &str, max: usize) -> Result<String, FieldError> {
    let t = fold(s.trim(), SENTENCE_RESERVED, FIELD_TEXT_ALLOWED)?;
    let length = t.chars().count();
    if length > max {
        return Err(FieldError::TooLong { length, max });
    }
    Ok(t)
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A whole number in `min..=max`.
fn whole(s: &str, min: u64, max: u64, range: &'static str) -> Result<u64, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(FieldError::Empty { expected: range });
    }
    if !digits(s) {
        return Err(FieldError::Format {
            found: s.to_string(),
            expected: "a whole number",
        });
    }
    match s.parse::<u64>() {
        Ok(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(FieldError::OutOfRange {
            found: s.to_string(),
            range,
        }),
    }
}

/// A decimal number with at most `decimals` places, as an integer count of
/// `10^-decimals` units, in `0..=max_units`.
fn decimal(
    s: &str,
    decimals: u32,
    max_units: u64,
    expected: &'static str,
    range: &'static str,
) -> Result<u64, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(FieldError::Empty { expected: range });
    }
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let bad = || FieldError::Format {
        found: s.to_string(),
        expected,
    };
    if int.is_empty() && frac.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > decimals as usize
        || (s.contains('.') && frac.is_empty())
    {
        return Err(bad());
    }
    let scale = 10u64.pow(decimals);
    let whole: u64 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| FieldError::OutOfRange {
            found: s.to_string(),
            range,
        })?
    };
    let mut f: u64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| bad())?
    };
    for _ in frac.len()..decimals as usize {
        f *= 10;
    }
    match whole.checked_mul(scale).and_then(|w| w.checked_add(f)) {
        Some(v) if v <= max_units => Ok(v),
        _ => Err(FieldError::OutOfRange {
            found: s.to_string(),
            range,
        }),
    }
}

/// An MMSI: exactly nine digits (ITU-R M.585), not all zero.
pub fn mmsi(s: &str) -> Result<u32, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(FieldError::Empty {
            expected: "a 9-digit MMSI",
        });
    }
    if !digits(s) || s.len() != 9 {
        return Err(FieldError::Format {
            found: s.to_string(),
            expected: "an MMSI of exactly 9 digits",
        });
    }
    match s.parse::<u32>() {
        Ok(0) | Err(_) => Err(FieldError::Destination {
            mmsi: s.to_string(),
            reason: "000000000 is no station",
        }),
        Ok(v) => Ok(v),
    }
}

/// The MMSI of a station an addressed message (6 or 12) can go to.
///
/// Refused (ITU-R M.585-9 annex 1–4): group call identities `0MIDxxxxx` (an
/// addressed message goes to one station, which acknowledges it), `1…` other
/// than SAR aircraft `111MIDxxx`, and the AIS-SART, MOB and EPIRB-AIS
/// devices `970`, `972`, `974`, which only transmit. Coast stations
/// `00MIDxxxx` (also the virtual MMSI of an Inland AIS national network) are
/// accepted.
pub fn destination_mmsi(s: &str) -> Result<u32, FieldError> {
    let v = mmsi(s)?;
    let text = format!("{v:09}");
    let refuse = |reason| {
        Err(FieldError::Destination {
            mmsi: text.clone(),
            reason,
        })
    };
    let b = text.as_bytes();
    match (b[0], b[1], b[2]) {
        (b'0', b'0', b'2'..=b'7') => Ok(v),
        (b'0', b'0', _) => refuse("a coast station MMSI 00MIDxxxx needs a MID starting 2-7"),
        (b'0', _, _) => refuse(
            "it is a group call identity (0MIDxxxxx); an addressed message goes to one station",
        ),
        (b'1', b'1', b'1') => Ok(v),
        (b'1', _, _) => refuse("only SAR aircraft (111MIDxxx) use MMSIs starting with 1"),
        (b'9', b'7', b'0' | b'2' | b'4') => refuse(
            "AIS-SART, MOB and EPIRB-AIS devices (970, 972, 974) only transmit and cannot receive",
        ),
        _ => Ok(v),
    }
}

fn code<const N: usize>(
    s: &str,
    accept: fn(u8) -> bool,
    expected: &'static str,
) -> Result<Text<N>, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(FieldError::Empty { expected });
    }
    if let Some((i, c)) = s
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii() || !accept(*c as u8))
    {
        return Err(FieldError::Character {
            character: c,
            position: i + 1,
            allowed: expected,
        });
    }
    if s.len() != N {
        return Err(FieldError::Format {
            found: s.to_string(),
            expected,
        });
    }
    Ok(Text::from_str_lossy(&s.to_ascii_uppercase()))
}

/// UN country code (UN/LOCODE, ISO 3166-1 alpha-2): two letters.
pub fn country_code(s: &str) -> Result<Text<2>, FieldError> {
    code(
        s,
        |b| b.is_ascii_alphabetic(),
        "exactly 2 letters (A-Z), e.g. NL",
    )
}

/// UN location code (UN/LOCODE): three letters or digits.
pub fn location_code(s: &str) -> Result<Text<3>, FieldError> {
    code(
        s,
        |b| b.is_ascii_alphanumeric(),
        "exactly 3 letters or digits (A-Z, 0-9), e.g. RTM",
    )
}

/// ISRS fairway section number: five letters or digits.
pub fn fairway_section(s: &str) -> Result<Text<5>, FieldError> {
    code(
        s,
        |b| b.is_ascii_alphanumeric(),
        "exactly 5 letters or digits (A-Z, 0-9), e.g. 00001",
    )
}

/// ISRS terminal code: five letters or digits.
pub fn terminal_code(s: &str) -> Result<Text<5>, FieldError> {
    code(
        s,
        |b| b.is_ascii_alphanumeric(),
        "exactly 5 letters or digits (A-Z, 0-9), e.g. 00000",
    )
}

/// ISRS fairway hectometre: five digits.
pub fn fairway_hectometre(s: &str) -> Result<Text<5>, FieldError> {
    code(
        s,
        |b| b.is_ascii_digit(),
        "exactly 5 digits (0-9), e.g. 00123",
    )
}

/// A UTC date and time to the minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcMinute {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    /// Milliseconds since 1970-01-01T00:00Z.
    pub ms: i64,
}

impl fmt::Display for UtcMinute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute
        )
    }
}

const ETA_FORMAT: &str = "a UTC time written 2026-11-22T14:30Z or 2026-11-22 14:30";

/// The farthest ahead an ETA may be, in days. FI 21 (and message 5)
/// send month, day, hour and minute, no year: the receiver takes the
/// next such date, so a time more than a year ahead would be read as one
/// less than a year ahead.
pub const ETA_AHEAD_DAYS: i64 = 365;

/// An ETA, `YYYY-MM-DDTHH:MMZ` or `YYYY-MM-DD HH:MM` (both UTC). A time
/// whose minute has already ended at `now_ms` is refused; the current
/// minute is accepted; so is any minute up to [`ETA_AHEAD_DAYS`] days
/// after `now_ms`, and none later.
pub fn eta(s: &str, now_ms: i64) -> Result<UtcMinute, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(FieldError::Empty {
            expected: ETA_FORMAT,
        });
    }
    let bad = || FieldError::Format {
        found: t.to_string(),
        expected: ETA_FORMAT,
    };
    let body = if let Some(b) = t.strip_suffix('Z') {
        b.split_once('T').ok_or_else(bad)?
    } else {
        t.split_once(' ').ok_or_else(bad)?
    };
    let (date, time) = body;
    let d: Vec<&str> = date.split('-').collect();
    let h: Vec<&str> = time.split(':').collect();
    let shape = d.len() == 3
        && h.len() == 2
        && d[0].len() == 4
        && d[1].len() == 2
        && d[2].len() == 2
        && h[0].len() == 2
        && h[1].len() == 2
        && d.iter().chain(&h).all(|p| digits(p));
    if !shape {
        return Err(bad());
    }
    let num = |p: &str| p.parse::<u32>().map_err(|_| bad());
    let (year, month, day) = (num(d[0])?, num(d[1])?, num(d[2])?);
    let (hour, minute) = (num(h[0])?, num(h[1])?);
    let year = i32::try_from(year).map_err(|_| bad())?;
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(FieldError::OutOfRange {
        found: t.to_string(),
        range: "a calendar date (month 01-12, day within the month)",
    })?;
    if hour > 23 || minute > 59 {
        return Err(FieldError::OutOfRange {
            found: t.to_string(),
            range: "hours 00-23 and minutes 00-59",
        });
    }
    let ms = date
        .and_hms_opt(hour, minute, 0)
        .ok_or_else(bad)?
        .and_utc()
        .timestamp_millis();
    let value = UtcMinute {
        year,
        month: month as u8,
        day: day as u8,
        hour: hour as u8,
        minute: minute as u8,
        ms,
    };
    if ms + 60_000 <= now_ms {
        let now = chrono::DateTime::from_timestamp_millis(now_ms)
            .map(|n| n.format("%Y-%m-%dT%H:%MZ").to_string())
            .unwrap_or_default();
        return Err(FieldError::Past {
            found: value.to_string(),
            now,
        });
    }
    let latest_ms = now_ms + ETA_AHEAD_DAYS * 86_400_000;
    if ms > latest_ms {
        let latest = chrono::DateTime::from_timestamp_millis(latest_ms)
            .map(|n| n.format("%Y-%m-%dT%H:%MZ").to_string())
            .unwrap_or_default();
        return Err(FieldError::TooFar {
            found: value.to_string(),
            latest,
        });
    }
    Ok(value)
}

/// Assisting tugboats 0–6 (FI 21); empty means unknown, sent as 7.
pub fn tugs(s: &str) -> Result<u8, FieldError> {
    if s.trim().is_empty() {
        return Ok(7);
    }
    whole(s, 0, 6, "0 to 6 tugs (leave empty when unknown)").map(|v| v as u8)
}

/// Air draught in metres, 0.00–40.00 with at most two decimals, as the
/// 1/100 m FI 21 carries; empty means not used (0).
pub fn air_draught(s: &str) -> Result<u16, FieldError> {
    if s.trim().is_empty() {
        return Ok(0);
    }
    decimal(
        s,
        2,
        4000,
        "metres with at most 2 decimals, e.g. 7.5",
        "0.00 to 40.00 m",
    )
    .map(|v| v as u16)
}

/// Message bits a transmission of 1–5 slots carries (M.1371-5 annex 2).
pub const SLOT_BITS: [usize; 5] = [136, 360, 584, 808, 1008];

/// Which safety-related message a text goes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SafetyKind {
    /// Message 12, to one station.
    Addressed,
    /// Message 14, to all stations.
    Broadcast,
}

impl SafetyKind {
    /// The M.1371 message number.
    pub fn msg_id(self) -> u8 {
        match self {
            SafetyKind::Addressed => 12,
            SafetyKind::Broadcast => 14,
        }
    }

    /// The most characters a message of one, two … five slots carries: a
    /// transmission of 1–5 slots holds at most 136, 360, 584, 808 and 1008
    /// bits of message (ITU-R M.1371-5 annex 2, slots by message length,
    /// which keeps a reserve for bit stuffing; 1008 bits is the longest
    /// message), less the
    /// header of 72 bits (message 12) or 40 bits (message 14), six bits a
    /// character.
    pub fn slot_limits(self) -> [usize; 5] {
        let header = match self {
            SafetyKind::Addressed => 72,
            SafetyKind::Broadcast => 40,
        };
        SLOT_BITS.map(|bits| (bits - header) / 6)
    }

    /// The longest text the message carries.
    pub fn max_chars(self) -> usize {
        self.slot_limits()[4]
    }

    /// How many slots a text of `chars` characters takes (1–5), or `None`
    /// when it is too long for one message.
    pub fn slots(self, chars: usize) -> Option<u8> {
        self.slot_limits()
            .iter()
            .position(|&l| chars <= l)
            .map(|i| i as u8 + 1)
    }
}

/// A safety-related text ready to send, with the slots it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafetyText {
    pub text: String,
    pub slots: u8,
}

/// A safety-related text for message 12 (`Addressed`, at most 156
/// characters) or 14 (`Broadcast`, at most 161): six-bit characters, not
/// empty.
pub fn safety_text(s: &str, kind: SafetyKind) -> Result<SafetyText, FieldError> {
    let t = sixbit_text(s.trim())?;
    if t.is_empty() {
        return Err(FieldError::Empty {
            expected: "the text of the message",
        });
    }
    let length = t.chars().count();
    match kind.slots(length) {
        Some(slots) => Ok(SafetyText { text: t, slots }),
        None => Err(FieldError::TooLong {
            length,
            max: kind.max_chars(),
        }),
    }
}

/// Navigational status 0–15 (M.1371-5 message 1 table).
pub fn nav_status(s: &str) -> Result<u8, FieldError> {
    whole(
        s,
        0,
        15,
        "0 to 15 (0 under way using engine, 1 at anchor, 5 moored, 15 not defined)",
    )
    .map(|v| v as u8)
}

/// Destination: at most 20 six-bit characters (message 5; IMO A.1106 §23
/// recommends UN/LOCODEs). Empty means not available.
pub fn destination(s: &str) -> Result<String, FieldError> {
    field_text(s, 20)
}

/// Static draught in metres, 0.0–25.5 with at most one decimal, as the
/// decimetres message 5 carries.
pub fn draught(s: &str) -> Result<u8, FieldError> {
    decimal(
        s,
        1,
        255,
        "metres with at most 1 decimal, e.g. 7.5",
        "0.0 to 25.5 m",
    )
    .map(|v| v as u8)
}

/// Persons on board 0–8191 (IEC 61162-1 VSD).
pub fn persons(s: &str) -> Result<u16, FieldError> {
    whole(s, 0, 8191, "0 to 8191 persons").map(|v| v as u16)
}

/// Type of ship and cargo 0–255 (M.1371-5 table 53).
pub fn ship_type(s: &str) -> Result<u8, FieldError> {
    whole(s, 0, 255, "0 to 255 (M.1371 ship and cargo type, e.g. 79)").map(|v| v as u8)
}

/// Call sign: at most 7 six-bit characters. Empty means not available.
pub fn callsign(s: &str) -> Result<String, FieldError> {
    field_text(s, 7)
}

/// Ship's name: at most 20 six-bit characters. Empty means not available.
pub fn ship_name(s: &str) -> Result<String, FieldError> {
    field_text(s, 20)
}

/// Distance A from the reference point to the bow, 0–511 m (M.1371-5
/// figure 42; 511 = 511 m or more).
pub fn antenna_a(s: &str) -> Result<u16, FieldError> {
    whole(s, 0, 511, "0 to 511 whole metres").map(|v| v as u16)
}

/// Distance B from the reference point to the stern, 0–511 m.
pub fn antenna_b(s: &str) -> Result<u16, FieldError> {
    whole(s, 0, 511, "0 to 511 whole metres").map(|v| v as u16)
}

/// Distance C from the reference point to port, 0–63 m (63 = 63 m or more).
pub fn antenna_c(s: &str) -> Result<u8, FieldError> {
    whole(s, 0, 63, "0 to 63 whole metres").map(|v| v as u8)
}

/// Distance D from the reference point to starboard, 0–63 m.
pub fn antenna_d(s: &str) -> Result<u8, FieldError> {
    whole(s, 0, 63, "0 to 63 whole metres").map(|v| v as u8)
}

// --- Inland AIS static and voyage data (Annex D: $PIWWIVD, $PIWWSSD) ---
//
// The ranges are those of the Inland AIS standard's Annex D input
// sentences (as transponder manuals reproduce them); `docs/voyage.md`
// lists them. An empty field is NULL (unchanged): the form leaves it out
// before calling these, so each validator needs a value.

/// Reporting rate 0–15: the message 23 reporting interval codes.
pub fn inland_reporting_rate(s: &str) -> Result<u8, FieldError> {
    whole(s, 0, 15, "0 to 15 (message 23 reporting interval code)").map(|v| v as u8)
}

/// Blue cones 0–3, the B-flag (4 or `B`), unknown (5).
pub fn blue_cones(s: &str) -> Result<u8, FieldError> {
    if s.trim().eq_ignore_ascii_case("b") {
        return Ok(4);
    }
    whole(
        s,
        0,
        5,
        "0 to 3 blue cones, 4 or B for the B-flag, 5 unknown",
    )
    .map(|v| v as u8)
}

/// Blue cones / B-flag code in words.
pub fn blue_cones_words(code: u8) -> &'static str {
    match code {
        0 => "no blue cone",
        1 => "1 blue cone",
        2 => "2 blue cones",
        3 => "3 blue cones",
        4 => "B-flag",
        _ => "unknown",
    }
}

/// Loaded / unloaded: 1 (or `L`) loaded, 2 (or `U`) unloaded, 0 not
/// available.
pub fn loaded(s: &str) -> Result<u8, FieldError> {
    match s.trim() {
        "l" | "L" => return Ok(1),
        "u" | "U" => return Ok(2),
        _ => {}
    }
    whole(s, 0, 2, "1 or L loaded, 2 or U unloaded, 0 not available").map(|v| v as u8)
}

/// Loaded / unloaded code in words.
pub fn loaded_words(code: u8) -> &'static str {
    match code {
        1 => "loaded",
        2 => "unloaded",
        _ => "not available",
    }
}

/// Inland static draught 0.01–20.00 m (0 = unknown), in 1/100 m.
pub fn inland_draught(s: &str) -> Result<u16, FieldError> {
    decimal(
        s,
        2,
        2000,
        "metres with at most 2 decimals, e.g. 2.85",
        "0.01 to 20.00 m, 0 unknown",
    )
    .map(|v| v as u16)
}

/// Air draught 0.01–40.00 m (0 = unknown), in 1/100 m.
pub fn inland_air_draught(s: &str) -> Result<u16, FieldError> {
    decimal(
        s,
        2,
        4000,
        "metres with at most 2 decimals, e.g. 7.5",
        "0.01 to 40.00 m, 0 unknown",
    )
    .map(|v| v as u16)
}

/// Assisting tugboats 0–6, 7 = unknown.
pub fn inland_tugs(s: &str) -> Result<u8, FieldError> {
    whole(s, 0, 7, "0 to 6 tugs, 7 unknown").map(|v| v as u8)
}

/// Crew members 0–254, 255 = unknown.
pub fn crew(s: &str) -> Result<u8, FieldError> {
    whole(s, 0, 255, "0 to 254 crew members, 255 unknown").map(|v| v as u8)
}

/// Passengers 0–8190, 8191 = unknown.
pub fn passengers(s: &str) -> Result<u16, FieldError> {
    whole(s, 0, 8191, "0 to 8190 passengers, 8191 unknown").map(|v| v as u16)
}

/// Shipboard personnel 0–254, 255 = unknown.
pub fn personnel(s: &str) -> Result<u8, FieldError> {
    whole(s, 0, 255, "0 to 254 shipboard personnel, 255 unknown").map(|v| v as u8)
}

/// A length along the ship 0.0–800.0 m, in 1/10 m.
fn along(s: &str) -> Result<u16, FieldError> {
    decimal(
        s,
        1,
        8000,
        "metres with at most 1 decimal, e.g. 110.5",
        "0.0 to 800.0 m",
    )
    .map(|v| v as u16)
}

/// A width across the ship 0.0–100.0 m, in 1/10 m.
fn across(s: &str) -> Result<u16, FieldError> {
    decimal(
        s,
        1,
        1000,
        "metres with at most 1 decimal, e.g. 11.4",
        "0.0 to 100.0 m",
    )
    .map(|v| v as u16)
}

/// Convoy extension to the bow 0.0–800.0 m, in 1/10 m.
pub fn convoy_bow(s: &str) -> Result<u16, FieldError> {
    along(s)
}

/// Convoy extension to the stern 0.0–800.0 m, in 1/10 m.
pub fn convoy_stern(s: &str) -> Result<u16, FieldError> {
    along(s)
}

/// Convoy extension to port 0.0–100.0 m, in 1/10 m.
pub fn convoy_port(s: &str) -> Result<u16, FieldError> {
    across(s)
}

/// Convoy extension to starboard 0.0–100.0 m, in 1/10 m.
pub fn convoy_starboard(s: &str) -> Result<u16, FieldError> {
    across(s)
}

/// European number of identification (ENI): exactly 8 digits.
pub fn eni(s: &str) -> Result<String, FieldError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(FieldError::Empty {
            expected: "8 digits, 00000000 to 99999999",
        });
    }
    if t.len() != 8 || !digits(t) {
        return Err(FieldError::Format {
            found: t.to_string(),
            expected: "an ENI of exactly 8 digits (00000000 to 99999999)",
        });
    }
    Ok(t.to_string())
}

/// ERI ship or convoy type: a code of the ERI table (0–9999), with its
/// words.
pub fn eri_type(s: &str) -> Result<(u16, &'static str), FieldError> {
    let code = whole(
        s,
        0,
        9999,
        "0 to 9999, a code of the ERI ship and convoy type list",
    )? as u16;
    crate::ais::legends::eri_ship_type(code)
        .map(|(words, _)| (code, words))
        .ok_or_else(|| FieldError::OutOfRange {
            found: s.trim().to_string(),
            range: "a code of the ERI ship and convoy type list, e.g. 8010 motor freighter",
        })
}

/// Length of the ship or convoy 0.0–800.0 m, in 1/10 m.
pub fn inland_length(s: &str) -> Result<u16, FieldError> {
    along(s)
}

/// Beam of the ship or convoy 0.0–100.0 m, in 1/10 m.
pub fn inland_beam(s: &str) -> Result<u16, FieldError> {
    across(s)
}

/// Quality of speed, course or heading information: 1 high, 0 low.
pub fn sensor_quality(s: &str) -> Result<u8, FieldError> {
    whole(s, 0, 1, "1 high, 0 low").map(|v| v as u8)
}

/// Quality code in words.
pub fn quality_words(code: u8) -> &'static str {
    if code == 1 { "high" } else { "low" }
}

/// GNSS antenna distance B from the stern 0.0–800.0 m, in 1/10 m.
pub fn gnss_b(s: &str) -> Result<u16, FieldError> {
    along(s)
}

/// GNSS antenna distance C from port 0.0–100.0 m, in 1/10 m.
pub fn gnss_c(s: &str) -> Result<u16, FieldError> {
    across(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-22T12:00:00Z
    const NOW: i64 = 1_795_348_800_000;

    #[test]
    fn now_constant_is_what_it_says() {
        assert_eq!(crate::clock::rfc3339(NOW), "2026-11-22T12:00:00Z");
    }

    #[test]
    fn mmsi_needs_nine_digits() {
        assert_eq!(mmsi("211999999"), Ok(211_999_999));
        assert_eq!(mmsi(" 211999999 "), Ok(211_999_999));
        assert!(matches!(mmsi("21199999"), Err(FieldError::Format { .. })));
        assert!(matches!(mmsi("2119999990"), Err(FieldError::Format { .. })));
        assert!(matches!(mmsi("21199999X"), Err(FieldError::Format { .. })));
        assert!(matches!(mmsi(""), Err(FieldError::Empty { .. })));
        assert!(mmsi("000000000").is_err());
        assert!(mmsi("-11999999").is_err());
    }

    #[test]
    fn destination_rules() {
        for ok in [
            "211999999",
            "002111111",
            "111211000",
            "992111111",
            "812345678",
        ] {
            assert!(destination_mmsi(ok).is_ok(), "{ok}");
        }
        for bad in [
            "021112345",
            "970123456",
            "972123456",
            "974123456",
            "123456789",
            "001111111",
        ] {
            let e = destination_mmsi(bad).unwrap_err();
            assert!(matches!(e, FieldError::Destination { .. }), "{bad}");
            assert!(e.to_string().contains(bad), "{e}");
        }
        assert!(destination_mmsi("971123456").is_ok());
    }

    #[test]
    fn location_codes() {
        assert_eq!(country_code("nl").unwrap().as_str(), "NL");
        assert!(country_code("N1").is_err());
        assert!(country_code("NLD").is_err());
        assert!(country_code("N").is_err());
        assert!(country_code("").is_err());
        assert_eq!(location_code("rtm").unwrap().as_str(), "RTM");
        assert_eq!(location_code("R2M").unwrap().as_str(), "R2M");
        assert!(location_code("RT").is_err());
        assert!(location_code("RTMX").is_err());
        let e = location_code("R-M").unwrap_err();
        assert_eq!(
            e,
            FieldError::Character {
                character: '-',
                position: 2,
                allowed: "exactly 3 letters or digits (A-Z, 0-9), e.g. RTM"
            }
        );
        assert_eq!(fairway_section("00001").unwrap().as_str(), "00001");
        assert_eq!(fairway_section("a0b01").unwrap().as_str(), "A0B01");
        assert!(fairway_section("0001").is_err());
        assert!(fairway_section("000001").is_err());
        assert_eq!(terminal_code("00000").unwrap().as_str(), "00000");
        assert!(terminal_code("0000 ").is_err());
        assert!(terminal_code("0000_").is_err());
        assert_eq!(fairway_hectometre("00123").unwrap().as_str(), "00123");
        assert!(fairway_hectometre("0012A").is_err());
        assert!(fairway_hectometre("0123").is_err());
        assert!(fairway_hectometre("001234").is_err());
    }

    #[test]
    fn eta_forms_and_the_past() {
        let e = eta("2026-11-22T14:30Z", NOW).unwrap();
        assert_eq!(
            (e.year, e.month, e.day, e.hour, e.minute),
            (2026, 11, 22, 14, 30)
        );
        assert_eq!(eta("2026-11-22 14:30", NOW), Ok(e));
        assert_eq!(e.to_string(), "2026-11-22T14:30Z");
        // The current minute is accepted; the one before is past.
        assert!(eta("2026-11-22T12:00Z", NOW).is_ok());
        assert!(eta("2026-11-22T12:00Z", NOW + 59_999).is_ok());
        assert!(matches!(
            eta("2026-11-22T12:00Z", NOW + 60_000),
            Err(FieldError::Past { .. })
        ));
        let past = eta("2026-11-22T11:59Z", NOW).unwrap_err();
        assert!(past.to_string().contains("past"), "{past}");
        // 365 days ahead to the minute is taken; a minute more is not (the
        // ETA carries no year). NOW is 2026-11-22T12:00Z; 2027 has no
        // 29 February, so 365 days on is 2027-11-22T12:00Z.
        assert!(eta("2027-11-22T12:00Z", NOW).is_ok());
        let far = eta("2027-11-22T12:01Z", NOW).unwrap_err();
        assert!(matches!(far, FieldError::TooFar { .. }), "{far:?}");
        assert!(far.to_string().contains("more than a year ahead"), "{far}");
        assert!(
            far.to_string().contains("latest 2027-11-22T12:00Z"),
            "{far}"
        );
        // Across a 29 February: 365 days from 2027-03-01 is 2028-02-29.
        let mar = 1_803_859_200_000; // 2027-03-01T00:00Z
        assert!(eta("2028-02-29T00:00Z", mar).is_ok());
        assert!(eta("2028-02-29T00:01Z", mar).is_err());
        assert!(eta("2028-03-01T00:00Z", mar).is_err());
        for bad in [
            "2026-11-22T14:30",
            "2026-11-22 14:30Z",
            "22-11-2026 14:30",
            "2026-11-22T1430Z",
            "2026-11-2214:30",
            "2026/11/22 14:30",
            "tomorrow",
            "2026-1-22 14:30",
        ] {
            assert!(
                matches!(eta(bad, NOW), Err(FieldError::Format { .. })),
                "{bad}"
            );
        }
        for bad in [
            "2026-13-01T10:00Z",
            "2026-11-31T10:00Z",
            "2027-02-29T10:00Z",
            "2026-12-01T24:00Z",
            "2026-12-01T10:60Z",
        ] {
            assert!(
                matches!(eta(bad, NOW), Err(FieldError::OutOfRange { .. })),
                "{bad}"
            );
        }
        // A leap day is a date (within the year ahead).
        assert!(eta("2028-02-29T10:00Z", NOW + 300 * 86_400_000).is_ok());
        assert!(matches!(eta("", NOW), Err(FieldError::Empty { .. })));
    }

    #[test]
    fn tugs_and_air_draught() {
        assert_eq!(tugs(""), Ok(7));
        assert_eq!(tugs("0"), Ok(0));
        assert_eq!(tugs("6"), Ok(6));
        assert!(matches!(tugs("7"), Err(FieldError::OutOfRange { .. })));
        assert!(tugs("-1").is_err());
        assert!(tugs("two").is_err());
        assert_eq!(air_draught(""), Ok(0));
        assert_eq!(air_draught("0"), Ok(0));
        assert_eq!(air_draught("0.00"), Ok(0));
        assert_eq!(air_draught("7.5"), Ok(750));
        assert_eq!(air_draught("7.55"), Ok(755));
        assert_eq!(air_draught(".5"), Ok(50));
        assert_eq!(air_draught("40"), Ok(4000));
        assert_eq!(air_draught("40.00"), Ok(4000));
        assert!(matches!(
            air_draught("40.01"),
            Err(FieldError::OutOfRange { .. })
        ));
        assert!(matches!(
            air_draught("7.555"),
            Err(FieldError::Format { .. })
        ));
        assert!(air_draught("-1").is_err());
        assert!(air_draught("7,5").is_err());
        assert!(air_draught("7.").is_err());
        assert!(air_draught("1e1").is_err());
        assert!(air_draught("99999999999999999999").is_err());
    }

    #[test]
    fn sixbit_text_folds_and_names_the_character() {
        assert_eq!(
            sixbit_text("Buoy off station!").unwrap(),
            "BUOY OFF STATION!"
        );
        assert_eq!(sixbit_text("@[\\]^_ 0?").unwrap(), "@[\\]^_ 0?");
        let e = sixbit_text("ICE ~ AHEAD").unwrap_err();
        assert_eq!(
            e,
            FieldError::Character {
                character: '~',
                position: 5,
                allowed: SIXBIT_ALLOWED
            }
        );
        assert!(e.to_string().contains("'~' at position 5"), "{e}");
        assert!(sixbit_text("a`b").is_err());
        assert!(sixbit_text("{").is_err());
        let e = sixbit_text("ÄRGER").unwrap_err();
        assert!(matches!(e, FieldError::Character { position: 1, .. }));
        let e = sixbit_text("A\tB").unwrap_err();
        assert!(e.to_string().contains("U+0009"), "{e}");
    }

    #[test]
    fn slot_table() {
        let a = SafetyKind::Addressed;
        let b = SafetyKind::Broadcast;
        for (n, want) in [
            (1, 1),
            (10, 1),
            (11, 2),
            (48, 2),
            (49, 3),
            (85, 3),
            (86, 4),
            (122, 4),
            (123, 5),
            (156, 5),
        ] {
            assert_eq!(a.slots(n), Some(want), "msg 12, {n} chars");
        }
        assert_eq!(a.slots(157), None);
        for (n, want) in [
            (16, 1),
            (17, 2),
            (53, 2),
            (54, 3),
            (90, 3),
            (91, 4),
            (128, 4),
            (129, 5),
            (161, 5),
        ] {
            assert_eq!(b.slots(n), Some(want), "msg 14, {n} chars");
        }
        assert_eq!(b.slots(162), None);
        // The table as the MKD manuals print it.
        assert_eq!(a.slot_limits(), [10, 48, 85, 122, 156]);
        assert_eq!(b.slot_limits(), [16, 53, 90, 128, 161]);
        // The maxima are what fits in 1008 bits after the header.
        assert_eq!(a.max_chars(), (1008 - 72) / 6);
        assert_eq!(b.max_chars(), (1008 - 40) / 6);
    }

    #[test]
    fn safety_text_limits() {
        let t = safety_text("x".repeat(156).as_str(), SafetyKind::Addressed).unwrap();
        assert_eq!(t.slots, 5);
        assert_eq!(
            safety_text(&"x".repeat(157), SafetyKind::Addressed),
            Err(FieldError::TooLong {
                length: 157,
                max: 156
            })
        );
        assert!(safety_text(&"x".repeat(161), SafetyKind::Broadcast).is_ok());
        assert!(safety_text(&"x".repeat(162), SafetyKind::Broadcast).is_err());
        assert!(matches!(
            safety_text("   ", SafetyKind::Broadcast),
            Err(FieldError::Empty { .. })
        ));
        assert_eq!(
            safety_text("ice", SafetyKind::Broadcast).unwrap(),
            SafetyText {
                text: "ICE".into(),
                slots: 1
            }
        );
    }

    #[test]
    fn voyage_numbers() {
        assert_eq!(nav_status("0"), Ok(0));
        assert_eq!(nav_status("15"), Ok(15));
        assert!(nav_status("16").is_err());
        assert!(nav_status("").is_err());
        assert!(nav_status("1.0").is_err());
        assert_eq!(draught("0"), Ok(0));
        assert_eq!(draught("25.5"), Ok(255));
        assert_eq!(draught("7.4"), Ok(74));
        assert!(matches!(
            draught("25.6"),
            Err(FieldError::OutOfRange { .. })
        ));
        assert!(matches!(draught("7.45"), Err(FieldError::Format { .. })));
        assert!(draught("-0.1").is_err());
        assert_eq!(persons("0"), Ok(0));
        assert_eq!(persons("8191"), Ok(8191));
        assert!(persons("8192").is_err());
        assert!(persons("12a").is_err());
        assert_eq!(ship_type("0"), Ok(0));
        assert_eq!(ship_type("255"), Ok(255));
        assert!(ship_type("256").is_err());
    }

    #[test]
    fn sentence_texts() {
        assert_eq!(destination("nl rtm > de dui"), Ok("NL RTM > DE DUI".into()));
        assert_eq!(destination(&"A".repeat(20)).unwrap().len(), 20);
        assert_eq!(
            destination(&"A".repeat(21)),
            Err(FieldError::TooLong {
                length: 21,
                max: 20
            })
        );
        assert_eq!(destination(""), Ok(String::new()));
        for (bad, pos) in [("RTM,DUI", 4), ("A*", 2), ("$", 1), ("A@", 2), ("ab~", 3)] {
            assert!(
                matches!(destination(bad), Err(FieldError::Character { position, .. }) if position == pos),
                "{bad}"
            );
        }
        assert_eq!(callsign("pd1234"), Ok("PD1234".into()));
        assert_eq!(callsign("PD12345"), Ok("PD12345".into()));
        assert!(matches!(
            callsign("PD123456"),
            Err(FieldError::TooLong { length: 8, max: 7 })
        ));
        assert_eq!(ship_name("Rijn Star"), Ok("RIJN STAR".into()));
        assert!(ship_name(&"N".repeat(21)).is_err());
        assert!(ship_name("A!B").is_err());
    }

    #[test]
    fn antenna_ranges() {
        assert_eq!(antenna_a("0"), Ok(0));
        assert_eq!(antenna_a("511"), Ok(511));
        assert!(antenna_a("512").is_err());
        assert_eq!(antenna_b("511"), Ok(511));
        assert!(antenna_b("512").is_err());
        assert_eq!(antenna_c("63"), Ok(63));
        assert!(antenna_c("64").is_err());
        assert_eq!(antenna_d("0"), Ok(0));
        assert!(antenna_d("64").is_err());
        assert!(antenna_a("12.5").is_err());
        assert!(antenna_c("").is_err());
    }

    #[test]
    fn messages_read_as_words() {
        let e = draught("30").unwrap_err();
        assert_eq!(e.to_string(), "30 is out of range: allowed 0.0 to 25.5 m");
        let e = tugs("9").unwrap_err();
        assert!(e.to_string().contains("0 to 6 tugs"));
    }

    fn out_of_range(r: Result<impl std::fmt::Debug, FieldError>) -> bool {
        matches!(r, Err(FieldError::OutOfRange { .. }))
    }

    #[test]
    fn inland_voyage_fields_edges() {
        assert_eq!(inland_reporting_rate("0"), Ok(0));
        assert_eq!(inland_reporting_rate("15"), Ok(15));
        assert!(out_of_range(inland_reporting_rate("16")));
        assert_eq!(blue_cones("0"), Ok(0));
        assert_eq!(blue_cones("3"), Ok(3));
        assert_eq!(blue_cones("b"), Ok(4));
        assert_eq!(blue_cones("4"), Ok(4));
        assert_eq!(blue_cones("5"), Ok(5));
        assert!(out_of_range(blue_cones("6")));
        assert_eq!(
            (
                blue_cones_words(2),
                blue_cones_words(4),
                blue_cones_words(5)
            ),
            ("2 blue cones", "B-flag", "unknown")
        );
        assert_eq!(loaded("L"), Ok(1));
        assert_eq!(loaded("u"), Ok(2));
        assert_eq!(loaded("0"), Ok(0));
        assert!(out_of_range(loaded("3")));
        assert!(matches!(loaded("x"), Err(FieldError::Format { .. })));
        assert_eq!(loaded_words(1), "loaded");
        assert_eq!(inland_draught("0"), Ok(0));
        assert_eq!(inland_draught("0.01"), Ok(1));
        assert_eq!(inland_draught("20.00"), Ok(2000));
        assert!(out_of_range(inland_draught("20.01")));
        assert!(
            inland_draught("2.855").is_err(),
            "two decimals, not rounded"
        );
        assert_eq!(inland_air_draught("40"), Ok(4000));
        assert!(out_of_range(inland_air_draught("40.01")));
        assert_eq!(inland_tugs("7"), Ok(7));
        assert!(out_of_range(inland_tugs("8")));
        assert_eq!(crew("255"), Ok(255));
        assert!(out_of_range(crew("256")));
        assert_eq!(passengers("8191"), Ok(8191));
        assert!(out_of_range(passengers("8192")));
        assert_eq!(personnel("0"), Ok(0));
        assert!(out_of_range(personnel("256")));
        assert_eq!(convoy_bow("800.0"), Ok(8000));
        assert!(out_of_range(convoy_bow("800.1")));
        assert_eq!(convoy_stern("0.0"), Ok(0));
        assert!(out_of_range(convoy_stern("801")));
        assert_eq!(convoy_port("100"), Ok(1000));
        assert!(out_of_range(convoy_port("100.1")));
        assert_eq!(convoy_starboard("12.5"), Ok(125));
        assert!(out_of_range(convoy_starboard("101")));
        assert!(convoy_bow("1.25").is_err());
        assert!(convoy_bow("-1").is_err());
        let e = crew("300").unwrap_err().to_string();
        assert_eq!(
            e,
            "300 is out of range: allowed 0 to 254 crew members, 255 unknown"
        );
    }

    #[test]
    fn inland_static_fields_edges() {
        assert_eq!(eni("00000000"), Ok("00000000".into()));
        assert_eq!(eni(" 99999999 "), Ok("99999999".into()));
        assert!(eni("1234567").is_err());
        assert!(eni("123456789").is_err());
        assert!(eni("1234567A").is_err());
        assert!(eni("").is_err());
        assert_eq!(eri_type("8010"), Ok((8010, "Motor freighter")));
        assert!(out_of_range(eri_type("1234")), "not in the ERI list");
        assert!(out_of_range(eri_type("10000")));
        assert!(eri_type("80a0").is_err());
        assert_eq!(inland_length("0.0"), Ok(0));
        assert_eq!(inland_length("800.0"), Ok(8000));
        assert!(out_of_range(inland_length("800.1")));
        assert_eq!(inland_beam("100.0"), Ok(1000));
        assert!(out_of_range(inland_beam("100.1")));
        assert!(inland_beam("11.45").is_err(), "one decimal, not rounded");
        assert_eq!(sensor_quality("1"), Ok(1));
        assert_eq!(sensor_quality("0"), Ok(0));
        assert!(out_of_range(sensor_quality("2")));
        assert_eq!((quality_words(1), quality_words(0)), ("high", "low"));
        assert_eq!(gnss_b("800"), Ok(8000));
        assert!(out_of_range(gnss_b("800.1")));
        assert_eq!(gnss_c("100"), Ok(1000));
        assert!(out_of_range(gnss_c("100.1")));
    }
}
