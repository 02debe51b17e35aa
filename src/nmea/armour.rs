//! Bit-level access to AIS payloads: 6-bit ASCII armouring (ITU-R M.1371-5
//! §3.3.7 and IEC 61162-1 table 7), a `BitReader` that reads big-endian bit
//! fields the way the message tables list them, and a `BitWriter` for the
//! messages we transmit or simulate.
//!
//! It lives under `nmea` because the armour is IEC 61162-1 encapsulation:
//! VDM/VDO reassembly and the ABM/BBM builders need it, and `ais` builds on
//! it, so neither layer has to import the other.
//!
//! Design: the de-armoured payload lives in a fixed 128-byte buffer (1008 bits,
//! five slots, is the longest AIS message), so decoding allocates nothing.
//! Reading past the end of the payload yields zero bits, exactly as a radio
//! receiver pads a short burst: a truncated message decodes with "not
//! available"-like zeros instead of panicking, and the message decoder decides
//! separately whether the length is acceptable.

use std::fmt;

/// Longest AIS payload in bits (5 slots, M.1371-5 §3.3.7.2 / message 26).
pub const MAX_BITS: usize = 1008;
const MAX_BYTES: usize = MAX_BITS / 8;

/// Error from de-armouring a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArmorError {
    /// A character outside the 6-bit armouring alphabet.
    BadCharacter { position: usize, found: u8 },
    /// More than 1008 bits.
    TooLong { bits: usize },
    /// Fill bits outside 0..=5.
    BadFill { fill: u8 },
}

impl fmt::Display for ArmorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArmorError::BadCharacter { position, found } => write!(
                f,
                "payload character {position} is {:?}, not in the 6-bit alphabet",
                *found as char
            ),
            ArmorError::TooLong { bits } => {
                write!(f, "payload of {bits} bits is longer than {MAX_BITS}")
            }
            ArmorError::BadFill { fill } => write!(f, "fill bits {fill} not in 0..=5"),
        }
    }
}

impl std::error::Error for ArmorError {}

/// De-armour one payload character into its 6-bit value.
#[inline]
pub fn dearmor_char(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'W' => Some(c - 48),
        b'`'..=b'w' => Some(c - 56),
        _ => None,
    }
}

/// Armour a 6-bit value as a payload character.
#[inline]
pub fn armor_char(v: u8) -> u8 {
    let v = v & 0x3f;
    if v < 40 { v + 48 } else { v + 56 }
}

/// A de-armoured AIS payload: up to 1008 bits.
#[derive(Clone)]
pub struct Payload {
    /// Bits past `len` are always zero; 8 spare bytes let `ubits` load a
    /// whole big-endian u64 at any byte offset inside the payload.
    bytes: [u8; BUF_BYTES],
    len: usize,
}

const BUF_BYTES: usize = MAX_BYTES + 2 + 8;

impl Default for Payload {
    fn default() -> Self {
        Payload {
            bytes: [0; BUF_BYTES],
            len: 0,
        }
    }
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Payload({} bits: ", self.len)?;
        for b in &self.bytes[..self.len.div_ceil(8)] {
            write!(f, "{b:02x}")?;
        }
        write!(f, ")")
    }
}

impl Payload {
    /// An empty payload to append armoured fragments to.
    pub fn new() -> Self {
        Self::default()
    }

    /// De-armour a whole single-fragment payload.
    pub fn from_armored(armored: &[u8], fill: u8) -> Result<Self, ArmorError> {
        let mut p = Payload::new();
        p.push_armored(armored)?;
        p.finish(fill)?;
        Ok(p)
    }

    /// Append armoured characters (one fragment's payload field).
    pub fn push_armored(&mut self, armored: &[u8]) -> Result<(), ArmorError> {
        let bits = self.len + armored.len() * 6;
        if bits > MAX_BITS + 6 {
            return Err(ArmorError::TooLong { bits });
        }
        // Accumulate six bits at a time and flush whole bytes.
        let mut acc: u32 = 0;
        let mut nacc: u32 = (self.len % 8) as u32;
        let mut idx = self.len / 8;
        if nacc > 0 {
            acc = u32::from(self.bytes[idx] >> (8 - nacc));
        }
        for (i, &c) in armored.iter().enumerate() {
            let v = dearmor_char(c).ok_or(ArmorError::BadCharacter {
                position: i,
                found: c,
            })?;
            acc = (acc << 6) | u32::from(v);
            nacc += 6;
            if nacc >= 8 {
                nacc -= 8;
                self.bytes[idx] = (acc >> nacc) as u8;
                idx += 1;
                acc &= (1 << nacc) - 1;
            }
        }
        if nacc > 0 {
            self.bytes[idx] = (acc << (8 - nacc)) as u8;
        }
        self.len += armored.len() * 6;
        Ok(())
    }

    /// Remove the fill bits of the last fragment.
    pub fn finish(&mut self, fill: u8) -> Result<(), ArmorError> {
        if fill > 5 {
            return Err(ArmorError::BadFill { fill });
        }
        let fill = usize::from(fill).min(self.len);
        self.len -= fill;
        if self.len > MAX_BITS {
            return Err(ArmorError::TooLong { bits: self.len });
        }
        // Clear the dropped bits so reads past the end stay zero.
        let keep = self.len;
        for bit in keep..keep + fill {
            self.bytes[bit / 8] &= !(0x80 >> (bit % 8));
        }
        Ok(())
    }

    /// Number of payload bits.
    pub fn bit_len(&self) -> usize {
        self.len
    }

    /// The payload bytes (last byte zero-padded).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes[..self.len.div_ceil(8)]
    }

    /// Unsigned field of `width` (≤ 64) bits at bit offset `start`; bits past
    /// the end read as zero.
    #[inline]
    pub fn ubits(&self, start: usize, width: usize) -> u64 {
        let byte = start / 8;
        let shift = start % 8;
        if width > 0 && width + shift <= 64 && byte + 8 <= BUF_BYTES {
            // Fast path: one big-endian load. Bytes past the payload are zero.
            let mut w = [0u8; 8];
            w.copy_from_slice(&self.bytes[byte..byte + 8]);
            let word = u64::from_be_bytes(w) << shift;
            return word >> (64 - width);
        }
        if width == 0 {
            return 0;
        }
        let mut v: u64 = 0;
        let mut pos = start;
        let end = start + width;
        while pos < end {
            let byte_idx = pos / 8;
            let bit_in_byte = pos % 8;
            let take = (8 - bit_in_byte).min(end - pos);
            let byte = if byte_idx < BUF_BYTES && pos < self.len {
                self.bytes[byte_idx]
            } else {
                0
            };
            let chunk = (byte >> (8 - bit_in_byte - take)) & ((1u16 << take) - 1) as u8;
            v = (v << take) | u64::from(chunk);
            pos += take;
        }
        v
    }

    /// Signed (two's complement) field.
    #[inline]
    pub fn sbits(&self, start: usize, width: usize) -> i64 {
        let u = self.ubits(start, width);
        let shift = 64 - width;
        ((u << shift) as i64) >> shift
    }

    /// `count` six-bit characters at `start`, AIS text (M.1371-5 table 47):
    /// stops at the first `@`, trailing spaces and `@` removed.
    pub fn text<const N: usize>(&self, start: usize, count: usize) -> Text<N> {
        let mut t = Text::new();
        for i in 0..count.min(N) {
            let v = self.ubits(start + 6 * i, 6) as u8;
            let c = sixbit_to_ascii(v);
            if c == b'@' {
                break;
            }
            t.push(c);
        }
        t.trim_end();
        t
    }

    /// All whole six-bit characters from `start` to the end of the payload.
    pub fn text_to_end<const N: usize>(&self, start: usize) -> Text<N> {
        let count = self.len.saturating_sub(start) / 6;
        self.text(start, count)
    }

    /// The bits from `start` to the end as a `BitData` blob.
    pub fn tail(&self, start: usize) -> BitData {
        BitData::from_payload(self, start, self.len.saturating_sub(start))
    }
}

/// M.1371-5 table 47: six-bit value to ASCII.
#[inline]
pub fn sixbit_to_ascii(v: u8) -> u8 {
    let v = v & 0x3f;
    if v < 32 { v + 64 } else { v }
}

/// ASCII to the six-bit value; characters outside the table become `?`...
/// lower case is folded to upper case first.
#[inline]
pub fn ascii_to_sixbit(c: u8) -> u8 {
    let c = c.to_ascii_uppercase();
    match c {
        64..=95 => c - 64,
        32..=63 => c,
        _ => b'?',
    }
}

/// Fixed-capacity text decoded from the air: no allocation, always valid
/// ASCII (the six-bit alphabet is a subset of ASCII).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Text<const N: usize> {
    buf: [u8; N],
    len: u8,
}

impl<const N: usize> Text<N> {
    /// Empty text.
    pub const fn new() -> Self {
        Text {
            buf: [0; N],
            len: 0,
        }
    }

    /// Text from a string (truncated to capacity, non-six-bit characters
    /// replaced), as an encoder would send it.
    pub fn from_str_lossy(s: &str) -> Self {
        let mut t = Self::new();
        for &b in s.as_bytes() {
            t.push(sixbit_to_ascii(ascii_to_sixbit(b)));
        }
        t
    }

    fn push(&mut self, c: u8) {
        if usize::from(self.len) < N && usize::from(self.len) < 255 {
            self.buf[usize::from(self.len)] = c;
            self.len += 1;
        }
    }

    fn trim_end(&mut self) {
        while self.len > 0 && matches!(self.buf[usize::from(self.len) - 1], b' ' | b'@') {
            self.len -= 1;
        }
    }

    /// Append another text (used for the message 21 name extension).
    pub fn extend(&mut self, other: &str) {
        for &b in other.as_bytes() {
            self.push(b);
        }
        self.trim_end();
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Only six-bit-alphabet ASCII is ever pushed.
        std::str::from_utf8(&self.buf[..usize::from(self.len)]).unwrap_or("")
    }

    /// Number of characters.
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<const N: usize> Default for Text<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> fmt::Debug for Text<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl<const N: usize> fmt::Display for Text<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Opaque binary data kept as raw bits (unknown DAC/FI, message 17, 25, 26).
#[derive(Clone, PartialEq, Eq)]
pub struct BitData {
    bytes: [u8; MAX_BYTES + 2],
    bits: u16,
}

impl Default for BitData {
    fn default() -> Self {
        BitData {
            bytes: [0; MAX_BYTES + 2],
            bits: 0,
        }
    }
}

impl BitData {
    /// Copy `count` bits starting at `start` of a payload.
    pub fn from_payload(p: &Payload, start: usize, count: usize) -> Self {
        let mut d = BitData::default();
        let count = count.min(MAX_BITS);
        let mut i = 0;
        while i < count {
            let w = (count - i).min(8);
            let v = p.ubits(start + i, w) as u8;
            d.bytes[i / 8] = v << (8 - w);
            i += w;
        }
        d.bits = count as u16;
        d
    }

    /// Data from bytes and a bit count (bits past `bits` are cleared).
    pub fn from_bytes(bytes: &[u8], bits: usize) -> Self {
        let mut d = BitData::default();
        let bits = bits.min(MAX_BITS).min(bytes.len() * 8);
        let n = bits.div_ceil(8);
        d.bytes[..n].copy_from_slice(&bytes[..n]);
        if !bits.is_multiple_of(8) {
            d.bytes[n - 1] &= 0xffu8 << (8 - bits % 8);
        }
        d.bits = bits as u16;
        d
    }

    /// Number of bits.
    pub fn bit_len(&self) -> usize {
        usize::from(self.bits)
    }

    /// The bytes, last one zero-padded.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.bits).div_ceil(8)]
    }
}

impl fmt::Debug for BitData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.bits)?;
        for b in self.bytes() {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Builds a payload field by field, big-endian, for encoding.
#[derive(Default, Clone)]
pub struct BitWriter {
    bytes: Vec<u8>,
    len: usize,
}

impl BitWriter {
    /// Empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Append the low `width` bits of `value`.
    pub fn u(&mut self, width: usize, value: u64) -> &mut Self {
        for i in (0..width).rev() {
            if self.len.is_multiple_of(8) {
                self.bytes.push(0);
            }
            if (value >> i) & 1 == 1 {
                let idx = self.len / 8;
                self.bytes[idx] |= 0x80 >> (self.len % 8);
            }
            self.len += 1;
        }
        self
    }

    /// Append a signed value in two's complement.
    pub fn s(&mut self, width: usize, value: i64) -> &mut Self {
        let mask = if width >= 64 {
            u64::MAX
        } else {
            (1u64 << width) - 1
        };
        self.u(width, (value as u64) & mask)
    }

    /// Append a boolean as one bit.
    pub fn b(&mut self, value: bool) -> &mut Self {
        self.u(1, u64::from(value))
    }

    /// Append `chars` six-bit characters, padded with `@`.
    pub fn text(&mut self, chars: usize, s: &str) -> &mut Self {
        let bytes = s.as_bytes();
        for i in 0..chars {
            let v = bytes.get(i).map_or(0, |&c| ascii_to_sixbit(c));
            self.u(6, u64::from(v));
        }
        self
    }

    /// Append the text with no padding (free-text fields of 6/8/12/14).
    pub fn text_unpadded(&mut self, s: &str) -> &mut Self {
        for &c in s.as_bytes() {
            self.u(6, u64::from(ascii_to_sixbit(c)));
        }
        self
    }

    /// Append raw bits.
    pub fn data(&mut self, d: &BitData) -> &mut Self {
        let mut i = 0;
        let n = d.bit_len();
        while i < n {
            let w = (n - i).min(8);
            let byte = d.bytes()[i / 8] >> (8 - w);
            self.u(w, u64::from(byte));
            i += w;
        }
        self
    }

    /// Bits written so far.
    pub fn bit_len(&self) -> usize {
        self.len
    }

    /// Armour the payload; returns the characters and the fill-bit count.
    pub fn armor(&self) -> (String, u8) {
        let chars = self.len.div_ceil(6);
        let fill = (chars * 6 - self.len) as u8;
        let mut s = String::with_capacity(chars);
        for i in 0..chars {
            let mut v = 0u8;
            for j in 0..6 {
                let bit = i * 6 + j;
                let set = bit < self.len && (self.bytes[bit / 8] >> (7 - bit % 8)) & 1 == 1;
                v = (v << 1) | u8::from(set);
            }
            s.push(armor_char(v) as char);
        }
        (s, fill)
    }

    /// The payload as a `Payload` (for round-trip tests).
    pub fn to_payload(&self) -> Payload {
        let (s, fill) = self.armor();
        Payload::from_armored(s.as_bytes(), fill).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn armor_alphabet_round_trips() {
        for v in 0..64u8 {
            assert_eq!(dearmor_char(armor_char(v)), Some(v));
        }
        assert_eq!(dearmor_char(b'X'), None);
        assert_eq!(dearmor_char(b'x'), None);
    }

    #[test]
    fn reads_fields_like_the_table() {
        let p = Payload::from_armored(b"15RTgt0PAso;90TKcjM8h6g208CQ", 0).unwrap();
        assert_eq!(p.bit_len(), 168);
        assert_eq!(p.ubits(0, 6), 1);
        assert_eq!(p.ubits(8, 30), 371798000);
        assert_eq!(p.sbits(42, 8), -127);
        assert_eq!(p.sbits(61, 28), -74037230);
    }

    #[test]
    fn reads_past_end_are_zero() {
        let p = Payload::from_armored(b"w", 2).unwrap();
        assert_eq!(p.bit_len(), 4);
        assert_eq!(p.ubits(0, 8), 0b1111_0000);
        assert_eq!(p.ubits(100, 30), 0);
    }

    #[test]
    fn writer_round_trips() {
        let mut w = BitWriter::new();
        w.u(6, 5).s(28, -1234567).text(7, "AB C").b(true);
        let p = w.to_payload();
        assert_eq!(p.ubits(0, 6), 5);
        assert_eq!(p.sbits(6, 28), -1234567);
        assert_eq!(p.text::<7>(34, 7).as_str(), "AB C");
        assert_eq!(p.ubits(76, 1), 1);
    }
}
