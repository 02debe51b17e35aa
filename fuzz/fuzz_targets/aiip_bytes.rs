//! Arbitrary bytes through the AI-IP decoder. Nothing may panic; whatever
//! decodes must encode, and decode again to the same message.
//!
//! Then the token path (docs/aiip.md, "Address validation"): the bytes as
//! a token sentence, and as datagrams from four sources through a server
//! that validates addresses. The input is cut into frames — a control
//! byte (bits 0–1 the source, bit 2 "echo a valid token", bits 3–7
//! seconds to wait before it), a length byte and that many bytes. A
//! message 1 or 22 from source 2 or 3 with bit 2 set gets a valid token
//! for its source appended to its content (a token for source 3 when it
//! comes from 2: a replay). Sources 0 and 1 never get a valid token, so
//! they must never be sent more than three times the bytes they sent.
#![no_main]

use std::sync::OnceLock;

use bridgewatch::aiip::codec::{
    Content, Flags, MAX_DATAGRAM, Message, decode, encode, split_response_with_limit,
};
use bridgewatch::aiip::server::{Server, ServerConfig};
use bridgewatch::aiip::validation::{self, Secret};
use libfuzzer_sys::fuzz_target;

const T0: i64 = 1_795_000_000_000;
const SECRET: [u8; 32] = [0x5A; 32];

/// 60 vessels around 52.0 N 5.0 E in one message 1, so range answers are
/// larger than an unvalidated source's budget.
fn crowd() -> &'static [u8] {
    static CROWD: OnceLock<Vec<u8>> = OnceLock::new();
    CROWD.get_or_init(|| {
        let mut text = Vec::new();
        for i in 0..60u32 {
            let pos = (52.0 + f64::from(i % 10) * 0.002, 5.0 + f64::from(i / 10) * 0.002);
            let m = bridgewatch::sim::class_a(300_000_000 + i, pos, Some(90.0), 5.0, 0, 5);
            text.extend(bridgewatch::sim::untagged(&m, 'A', 0));
        }
        let m = Message::PushRequest {
            timestamp: bridgewatch::aiip::codec::Timestamp::from_unix_ms(T0).expect("time"),
            content: Content::from_sentences(&text).expect("content"),
            range: None,
        };
        encode(&m).expect("encodes")
    })
}

/// `m` with `token` appended to its content, when it has content.
fn with_token(m: &Message, token: &str) -> Option<Vec<u8>> {
    let add = |c: &Content| {
        let mut s: Vec<&str> = c.sentences().collect();
        s.push(token);
        Content::from_sentences(&s).ok()
    };
    let m = match m {
        Message::PushRequest {
            timestamp,
            content,
            range,
        } => Message::PushRequest {
            timestamp: *timestamp,
            content: add(content)?,
            range: *range,
        },
        Message::SmartRequest {
            timestamp,
            content,
            range,
            selector,
        } => Message::SmartRequest {
            timestamp: *timestamp,
            content: add(content)?,
            range: *range,
            selector: *selector,
        },
        _ => return None,
    };
    encode(&m).ok()
}

fn token_path(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let secret = Secret::from_bytes(SECRET);
        // Never panics; a token the fuzzer makes up is never taken.
        if let Ok(issued) = validation::verify(&secret, &[127, 0, 0, 1], text, T0) {
            panic!("a made-up token was taken: {text:?} issued {issued}");
        }
        let _ = validation::parse(text);
    }
    let mut server: Server<u16> = Server::new(ServerConfig::default());
    server.set_secret(Secret::from_bytes(SECRET));
    server.handle(crowd(), 100, T0);
    let secret = Secret::from_bytes(SECRET);
    let (mut sent, mut got) = ([0usize; 4], [0usize; 4]);
    let mut now = T0;
    let mut rest = data;
    while let [ctrl, len, tail @ ..] = rest {
        let n = usize::from(*len).min(tail.len());
        let (bytes, after) = tail.split_at(n);
        rest = after;
        let source = u16::from(ctrl & 3);
        now += i64::from(ctrl >> 3) * 1000;
        let mut datagram = bytes.to_vec();
        if ctrl & 4 != 0
            && source >= 2
            && let Ok(m) = decode(bytes)
        {
            // From 2 the token of 3 (a replay); from 3 its own.
            let token = validation::issue(&secret, &3u16.to_be_bytes(), now, false);
            if let Some(d) = with_token(&m, &token) {
                datagram = d;
            }
        }
        if datagram.len() <= MAX_DATAGRAM {
            sent[usize::from(source)] += datagram.len();
        }
        for (to, reply) in server.handle(&datagram, source, now) {
            assert_eq!(to, source, "a reply to another address");
            assert!(reply.len() <= MAX_DATAGRAM);
            got[usize::from(source)] += reply.len();
        }
    }
    // Neither 0 nor 1 ever echoed a valid token, nor did 2 (it replayed 3's).
    for s in 0..3 {
        assert!(
            got[s] <= 3 * sent[s],
            "source {s}: {} bytes out for {} in",
            got[s],
            sent[s]
        );
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(message) = decode(data) {
        let bytes = match encode(&message) {
            Ok(bytes) => bytes,
            Err(e) => panic!("decoded {message:?} but cannot encode it: {e}"),
        };
        assert_eq!(decode(&bytes), Ok(message), "re-decoding {bytes:02X?}");
    }
    // The same bytes as a response to split: never panics, and what splits
    // concatenates back to the input.
    if let Ok(text) = std::str::from_utf8(data) {
        let limit = usize::from(data.first().copied().unwrap_or(1)).max(1);
        if let Ok(parts) = split_response_with_limit(Flags::EMPTY, text, limit) {
            let mut joined = String::new();
            for part in &parts {
                if let Message::Response { content, .. } = part {
                    assert!(content.len() <= limit);
                    joined.push_str(content.as_str());
                }
            }
            assert_eq!(joined, text);
        }
    }
    token_path(data);
});
