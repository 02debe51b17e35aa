//! Address validation for a server on a public address (docs/aiip.md,
//! "Address validation"): a stateless token proving that a client receives
//! at the address its datagrams claim, the networks exempted from the proof
//! (`--allow CIDR`), and the keyed hash behind the token.
//!
//! The token travels as a proprietary NMEA sentence inside the content of
//! message 4 (server → client) and of messages 1 and 22 (client → server):
//!
//! ```text
//! $PBWAV,1,<issued, seconds since 1970>,<32 hex digits>,<0|1>*hh
//! ```
//!
//! Field 1 is the token's version, field 2 when it was issued, field 3 the
//! keyed hash of version, issue time and the client's IP address (not its
//! port), field 4 whether the answer carrying it was cut to the
//! anti-amplification budget (`1`) or not (`0`). A client echoes the
//! sentence as received; field 4 is not covered by the hash and is ignored
//! on the way in. A standard client ignores a proprietary sentence it does
//! not know (NMEA 0183: a listener ignores sentences it does not use), and
//! a standard server does not take it for AIS.
//!
//! Sans-I/O: the secret and the time are passed in.

use std::fmt;
use std::hash::Hash;
use std::net::{IpAddr, SocketAddr};

/// The sentence's address field: `$P` + manufacturer mnemonic `BWA` +
/// sentence `V` (bridgewatch address validation).
pub const TOKEN_PREFIX: &str = "$PBWAV,";

/// The token's version (field 1).
const VERSION: u8 = 1;

/// How long a token proves the address: five minutes.
pub const TOKEN_LIFETIME_MS: i64 = 5 * 60 * 1000;

/// A token this old is replaced by a fresh one in the next answer to a
/// message 1 or 22, so a client reporting at least every three minutes
/// never holds an expired one.
pub const TOKEN_RENEW_MS: i64 = 2 * 60 * 1000;

/// A token issued up to this far in the future (the server's clock set
/// back) is still taken.
const CLOCK_SLACK_MS: i64 = 5 * 1000;

/// The server's secret: 32 bytes, drawn at start.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Secret([u8; 32]);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret {
    /// A secret from 32 bytes of randomness.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A secret from the process's random hash seeds (std's
    /// `RandomState`, drawn from the operating system once per process).
    /// The server's edge (`link::aiip_server`) sets one read from the
    /// operating system's randomness instead.
    pub fn random() -> Self {
        let mut bytes = [0u8; 32];
        use std::hash::{BuildHasher, Hasher};
        let state = std::collections::hash_map::RandomState::new();
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut h = state.build_hasher();
            h.write_usize(i);
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
        Self(bytes)
    }

    fn keys(&self) -> [(u64, u64); 2] {
        let k = |i: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&self.0[i * 8..i * 8 + 8]);
            u64::from_le_bytes(b)
        };
        [(k(0), k(1)), (k(2), k(3))]
    }
}

/// A source address as the server core sees it: what a token is bound to,
/// and the IP address the allow list is checked against.
pub trait SourceAddress: Clone + Eq + Hash {
    /// The bytes a token is bound to: the IP address, not the port (a NAT
    /// that moves the client to another port keeps its token valid).
    fn token_bytes(&self) -> Vec<u8>;
    /// The IP address, for the allow list; `None` for keys that are no
    /// address (tests).
    fn ip(&self) -> Option<IpAddr>;
}

/// An IPv4 address mapped into IPv6 counts as the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    }
}

impl SourceAddress for SocketAddr {
    fn token_bytes(&self) -> Vec<u8> {
        match canonical(self.ip()) {
            IpAddr::V4(v4) => v4.octets().to_vec(),
            IpAddr::V6(v6) => v6.octets().to_vec(),
        }
    }

    fn ip(&self) -> Option<IpAddr> {
        Some(canonical(SocketAddr::ip(self)))
    }
}

macro_rules! plain_key {
    ($($t:ty),*) => {$(
        impl SourceAddress for $t {
            fn token_bytes(&self) -> Vec<u8> {
                self.to_be_bytes().to_vec()
            }
            fn ip(&self) -> Option<IpAddr> {
                None
            }
        }
    )*};
}
plain_key!(u8, u16, u32, u64, usize, i32, i64);

/// A network of the allow list: `10.8.0.0/24`, `fd00::/8`, or one address
/// (`127.0.0.1` = `/32`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses `ADDR/PREFIX` or `ADDR`.
    pub fn parse(s: &str) -> Result<Cidr, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("{s:?} is not a network: give e.g. 10.8.0.0/24 or fd00::/8"))?;
        let addr = canonical(addr);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= max => n,
                _ => return Err(format!("{s:?}: the prefix length must be 0 to {max}")),
            },
        };
        Ok(Cidr { addr, prefix })
    }

    /// Whether `ip` lies in the network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// A token as read from its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// When it was issued, seconds since 1970.
    pub issued_s: u64,
    /// The keyed hash.
    pub mac: u128,
    /// Field 4: the answer carrying it was cut to the budget.
    pub limited: bool,
}

/// Why a token is not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not a token sentence of a version this server issues.
    Malformed,
    /// The hash does not match: forged, or issued for another address (a
    /// replay from elsewhere), or by a server with another secret.
    Forged,
    /// Older than [`TOKEN_LIFETIME_MS`].
    Expired,
    /// Issued in the future.
    Future,
}

impl TokenError {
    /// The counter's name.
    pub fn kind(self) -> &'static str {
        match self {
            TokenError::Malformed => "malformed",
            TokenError::Forged => "forged",
            TokenError::Expired => "expired",
            TokenError::Future => "future",
        }
    }
}

fn mac(secret: &Secret, address: &[u8], issued_s: u64) -> u128 {
    let mut data = Vec::with_capacity(address.len() + 10);
    data.push(VERSION);
    data.extend_from_slice(&issued_s.to_be_bytes());
    data.push(address.len() as u8);
    data.extend_from_slice(address);
    let [(a0, a1), (b0, b1)] = secret.keys();
    (u128::from(siphash24(a0, a1, &data)) << 64) | u128::from(siphash24(b0, b1, &data))
}

/// The token sentence for `address` at `now_ms`; `limited` goes into
/// field 4.
pub fn issue(secret: &Secret, address: &[u8], now_ms: i64, limited: bool) -> String {
    let issued_s = u64::try_from(now_ms.div_euclid(1000)).unwrap_or(0);
    let body = format!(
        "PBWAV,{VERSION},{issued_s},{:032x},{}",
        mac(secret, address, issued_s),
        u8::from(limited)
    );
    format!("${body}*{:02X}", crate::nmea::checksum(body.as_bytes()))
}

/// Reads a token sentence; `None` when `sentence` is not one.
pub fn parse(sentence: &str) -> Option<Token> {
    let rest = sentence.strip_prefix('$')?;
    let (body, sum) = rest.rsplit_once('*')?;
    if sum.len() != 2 || u8::from_str_radix(sum, 16).ok()? != crate::nmea::checksum(body.as_bytes())
    {
        return None;
    }
    let mut fields = body.split(',');
    if fields.next()? != "PBWAV" || fields.next()? != "1" {
        return None;
    }
    let issued = fields.next()?;
    let mac_hex = fields.next()?;
    let limited = fields.next()?;
    if fields.next().is_some()
        || issued.is_empty()
        || issued.len() > 19
        || !issued.bytes().all(|b| b.is_ascii_digit())
        || mac_hex.len() != 32
        || !mac_hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return None;
    }
    let limited = match limited {
        "0" => false,
        "1" => true,
        _ => return None,
    };
    Some(Token {
        issued_s: issued.parse().ok()?,
        mac: u128::from_str_radix(mac_hex, 16).ok()?,
        limited,
    })
}

/// Whether a sentence is meant as a token sentence (its address field).
pub fn is_token_sentence(sentence: &str) -> bool {
    sentence.starts_with(TOKEN_PREFIX)
}

/// Checks a token sentence for `address` at `now_ms`; on success, when it
/// was issued (ms since 1970).
pub fn verify(
    secret: &Secret,
    address: &[u8],
    sentence: &str,
    now_ms: i64,
) -> Result<i64, TokenError> {
    let token = parse(sentence).ok_or(TokenError::Malformed)?;
    if (mac(secret, address, token.issued_s) ^ token.mac) != 0 {
        return Err(TokenError::Forged);
    }
    let issued_ms = i64::try_from(token.issued_s)
        .ok()
        .and_then(|s| s.checked_mul(1000))
        .ok_or(TokenError::Forged)?;
    if issued_ms > now_ms.saturating_add(CLOCK_SLACK_MS) {
        return Err(TokenError::Future);
    }
    if now_ms.saturating_sub(issued_ms) > TOKEN_LIFETIME_MS {
        return Err(TokenError::Expired);
    }
    Ok(issued_ms)
}

/// SipHash-2-4 (Aumasson and Bernstein, 2012) with key (`k0`, `k1`): a
/// keyed hash made as a message authentication code for short inputs.
pub fn siphash24(k0: u64, k1: u64, data: &[u8]) -> u64 {
    let mut v = [
        k0 ^ 0x736f_6d65_7073_6575,
        k1 ^ 0x646f_7261_6e64_6f6d,
        k0 ^ 0x6c79_6765_6e65_7261,
        k1 ^ 0x7465_6462_7974_6573,
    ];
    fn round(v: &mut [u64; 4]) {
        v[0] = v[0].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(13);
        v[1] ^= v[0];
        v[0] = v[0].rotate_left(32);
        v[2] = v[2].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(16);
        v[3] ^= v[2];
        v[0] = v[0].wrapping_add(v[3]);
        v[3] = v[3].rotate_left(21);
        v[3] ^= v[0];
        v[2] = v[2].wrapping_add(v[1]);
        v[1] = v[1].rotate_left(17);
        v[1] ^= v[2];
        v[2] = v[2].rotate_left(32);
    }
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut b = [0u8; 8];
        b.copy_from_slice(c);
        let m = u64::from_le_bytes(b);
        v[3] ^= m;
        round(&mut v);
        round(&mut v);
        v[0] ^= m;
    }
    let tail = chunks.remainder();
    let mut last = (data.len() as u64 & 0xff) << 56;
    for (i, &b) in tail.iter().enumerate() {
        last |= u64::from(b) << (8 * i);
    }
    v[3] ^= last;
    round(&mut v);
    round(&mut v);
    v[0] ^= last;
    v[2] ^= 0xff;
    for _ in 0..4 {
        round(&mut v);
    }
    v[0] ^ v[1] ^ v[2] ^ v[3]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(deprecated)]
    fn siphash_matches_std_and_the_paper() {
        use std::hash::Hasher;
        // The paper's test vector (Appendix A): key 00..0f, message 00..0e.
        let k0 = u64::from_le_bytes([0, 1, 2, 3, 4, 5, 6, 7]);
        let k1 = u64::from_le_bytes([8, 9, 10, 11, 12, 13, 14, 15]);
        let msg: Vec<u8> = (0..15).collect();
        assert_eq!(siphash24(k0, k1, &msg), 0xa129_ca61_49be_45e5);
        // std's SipHash-2-4 for every length 0..64.
        let data: Vec<u8> = (0..64u8).map(|i| i.wrapping_mul(37)).collect();
        for n in 0..data.len() {
            let mut h = std::hash::SipHasher::new_with_keys(k0, k1);
            h.write(&data[..n]);
            assert_eq!(siphash24(k0, k1, &data[..n]), h.finish(), "length {n}");
        }
    }

    const NOW: i64 = 1_795_000_000_000;

    fn secret() -> Secret {
        Secret::from_bytes([7; 32])
    }

    #[test]
    fn a_token_holds_for_its_address_and_lifetime_only() {
        let here = [127, 0, 0, 2];
        let t = issue(&secret(), &here, NOW, true);
        assert!(t.starts_with(TOKEN_PREFIX) && t.len() <= 82, "{t}");
        assert!(parse(&t).is_some_and(|t| t.limited));
        assert_eq!(verify(&secret(), &here, &t, NOW + 1000), Ok(NOW));
        assert_eq!(
            verify(&secret(), &here, &t, NOW + TOKEN_LIFETIME_MS),
            Ok(NOW)
        );
        assert_eq!(
            verify(&secret(), &here, &t, NOW + TOKEN_LIFETIME_MS + 1000),
            Err(TokenError::Expired)
        );
        assert_eq!(
            verify(&secret(), &[127, 0, 0, 3], &t, NOW),
            Err(TokenError::Forged)
        );
        let other = Secret::from_bytes([8; 32]);
        assert_eq!(verify(&other, &here, &t, NOW), Err(TokenError::Forged));
        assert_eq!(
            verify(&secret(), &here, &t, NOW - 60_000),
            Err(TokenError::Future)
        );
        // Field 4 is not covered: the echo may carry either value.
        let echoed = issue(&secret(), &here, NOW, false);
        assert_eq!(verify(&secret(), &here, &echoed, NOW), Ok(NOW));
        // One changed hash digit, a bad checksum, extra fields.
        let mut forged = t.clone().into_bytes();
        let i = forged.iter().rposition(|&b| b == b',').unwrap_or(0) - 1;
        forged[i] = if forged[i] == b'0' { b'1' } else { b'0' };
        let body = &forged[1..forged.len() - 3];
        let sum = crate::nmea::checksum(body);
        let forged = format!("${}*{sum:02X}", String::from_utf8_lossy(body));
        assert_eq!(
            verify(&secret(), &here, &forged, NOW),
            Err(TokenError::Forged)
        );
        let bad_sum = format!("{}00", &t[..t.len() - 2]);
        assert_eq!(
            verify(&secret(), &here, &bad_sum, NOW),
            Err(TokenError::Malformed)
        );
        for s in ["", "$PBWAV", "$PBWAV,1,,,*00", "!AIVDM,1,1,,A,0,0*00"] {
            assert_eq!(parse(s), None, "{s:?}");
        }
    }

    #[test]
    fn networks_parse_and_contain() {
        let lo = Cidr::parse("127.0.0.0/8").expect("valid");
        assert!(lo.contains("127.0.0.2".parse().expect("ip")));
        assert!(lo.contains("::ffff:127.1.2.3".parse().expect("ip")));
        assert!(!lo.contains("128.0.0.1".parse().expect("ip")));
        assert!(!lo.contains("::1".parse().expect("ip")));
        let one = Cidr::parse("10.8.0.5").expect("valid");
        assert!(one.contains("10.8.0.5".parse().expect("ip")));
        assert!(!one.contains("10.8.0.6".parse().expect("ip")));
        let all = Cidr::parse("0.0.0.0/0").expect("valid");
        assert!(all.contains("192.0.2.1".parse().expect("ip")));
        let v6 = Cidr::parse("fd00::/8").expect("valid");
        assert!(v6.contains("fd12::1".parse().expect("ip")));
        assert!(!v6.contains("fe80::1".parse().expect("ip")));
        assert_eq!(v6.to_string(), "fd00::/8");
        for bad in ["10.8.0.0/33", "fd00::/129", "ten", "10.8.0.0/x", ""] {
            assert!(Cidr::parse(bad).is_err(), "{bad:?}");
        }
    }
}
