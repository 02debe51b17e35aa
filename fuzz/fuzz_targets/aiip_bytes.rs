//! Arbitrary bytes through the AI-IP decoder. Nothing may panic; whatever
//! decodes must encode, and decode again to the same message.
#![no_main]

use bridgewatch::aiip::codec::{Flags, decode, encode, split_response_with_limit};
use libfuzzer_sys::fuzz_target;

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
                if let bridgewatch::aiip::codec::Message::Response { content, .. } = part {
                    assert!(content.len() <= limit);
                    joined.push_str(content.as_str());
                }
            }
            assert_eq!(joined, text);
        }
    }
});
