//! The AI-IP codec against `shared/design/AIIP.md`: golden byte layouts
//! written by hand from that page, round trips of every message, rejection
//! of garbage, and the splitting of long responses.

use bridgewatch::aiip::codec::{
    Content, DecodeError, EncodeError, Flags, Identifier, IdentifierType, MAX_CONTENT,
    MAX_DATAGRAM, Message, RangeKm, Selector, Timestamp, decode, encode, split_response,
    split_response_with_limit,
};
use proptest::prelude::*;

/// 2024-02-29T23:59:58Z: year 24 (bits 31–26), month 2 (25–22), day 29
/// (21–17), hour 23 (16–12), minute 59 (11–6), second 58 (5–0) =
/// 0x60BB7EFA, sent big-endian.
const TS_BYTES: [u8; 4] = [0x60, 0xBB, 0x7E, 0xFA];

fn ts() -> Timestamp {
    Timestamp::from_fields(2024, 2, 29, 23, 59, 58).expect("a real date")
}

fn content(s: &str) -> Content {
    Content::new(s).expect("valid content")
}

fn golden(message: &Message, bytes: &[u8]) {
    assert_eq!(encode(message).as_deref(), Ok(bytes), "encode {message:?}");
    assert_eq!(decode(bytes).as_ref(), Ok(message), "decode {bytes:02X?}");
}

#[test]
fn golden_message_1_push_request_with_and_without_range() {
    let mut bytes = vec![0x01];
    bytes.extend_from_slice(&TS_BYTES);
    bytes.extend_from_slice(b"!AIVDM,a\r!AIVDM,b");
    let push = Message::PushRequest {
        timestamp: ts(),
        content: content("!AIVDM,a\r!AIVDM,b"),
        range: None,
    };
    golden(&push, &bytes);

    bytes.extend_from_slice(&[0x00, 15]);
    let request = Message::PushRequest {
        timestamp: ts(),
        content: content("!AIVDM,a\r!AIVDM,b"),
        range: RangeKm::new(15),
    };
    golden(&request, &bytes);
}

#[test]
fn golden_message_2_request_detail() {
    let message = Message::RequestDetail {
        identifiers: vec![
            Identifier::mmsi(244_123_456),
            Identifier {
                kind: IdentifierType::HullNumber,
                id: 0x0102_0304,
            },
        ],
    };
    golden(
        &message,
        &[
            0x02, 2, 0, 0x0E, 0x8D, 0x07, 0x40, 1, 0x01, 0x02, 0x03, 0x04,
        ],
    );
}

#[test]
fn golden_message_3_request_location() {
    let mut bytes = vec![0x03];
    bytes.extend_from_slice(&TS_BYTES);
    bytes.extend_from_slice(&[0x00, 0x11]); // RTA (bit 4) | update rate (bit 0)
    golden(
        &Message::RequestLocation {
            timestamp: ts(),
            flags: Flags::RTA | Flags::UPDATE_RATE,
        },
        &bytes,
    );
}

#[test]
fn golden_message_4_response() {
    // Final (bit 15) | RTA (bit 4) = 0x8010, big-endian.
    let message = Message::Response {
        flags: Flags::FINAL | Flags::RTA,
        content: content("!AIVDM,x\r"),
    };
    let mut bytes = vec![0x04, 0x80, 0x10];
    bytes.extend_from_slice(b"!AIVDM,x\r");
    golden(&message, &bytes);
    // Flags only, no content.
    golden(
        &Message::Response {
            flags: Flags::EMMA_WARNING,
            content: Content::empty(),
        },
        &[0x04, 0x00, 0x04],
    );
}

#[test]
fn golden_message_20_and_21_sign_on_off() {
    let mut on = vec![20];
    on.extend_from_slice(&TS_BYTES);
    on.extend_from_slice(&[0, 0x0E, 0x8D, 0x07, 0x40]);
    golden(
        &Message::SignOn {
            timestamp: ts(),
            identifier: Identifier::mmsi(244_123_456),
        },
        &on,
    );
    let mut off = on.clone();
    off[0] = 21;
    golden(
        &Message::SignOff {
            timestamp: ts(),
            identifier: Identifier::mmsi(244_123_456),
        },
        &off,
    );
}

#[test]
fn golden_message_22_smart_request() {
    let mut bytes = vec![22];
    bytes.extend_from_slice(&TS_BYTES);
    bytes.extend_from_slice(b"!AIVDM,a");
    // Separator, range 50, selector moving (bit 1) | inland (bit 8) = 0x0102.
    bytes.extend_from_slice(&[0x00, 50, 0x01, 0x02]);
    golden(
        &Message::SmartRequest {
            timestamp: ts(),
            content: content("!AIVDM,a"),
            range: RangeKm::new(50).expect("non-zero"),
            selector: Selector::MOVING | Selector::INLAND,
        },
        &bytes,
    );
}

#[test]
fn golden_message_23_acknowledgement() {
    // 2007-12-31T00:01:02Z = 0x1F3E0042.
    let timestamp = Timestamp::from_fields(2007, 12, 31, 0, 1, 2).expect("a real date");
    golden(
        &Message::Acknowledgement { timestamp },
        &[23, 0x1F, 0x3E, 0x00, 0x42],
    );
}

#[test]
fn garbage_is_rejected_with_the_right_error() {
    assert_eq!(decode(&[]), Err(DecodeError::Empty));
    assert_eq!(decode(&[5]), Err(DecodeError::UnknownId(5)));
    assert_eq!(decode(&[10]), Err(DecodeError::UnknownId(10)));
    assert_eq!(
        decode(&[1, 0x60, 0xBB]),
        Err(DecodeError::Truncated { needed: 5, got: 3 })
    );
    assert_eq!(
        decode(&[23, 0, 0, 0, 0]),
        Err(DecodeError::BadTimestamp { raw: 0 })
    );
    // 2023-02-29 does not exist.
    let raw: u32 = (23 << 26) | (2 << 22) | (29 << 17);
    let mut bad = vec![23];
    bad.extend_from_slice(&raw.to_be_bytes());
    assert_eq!(decode(&bad), Err(DecodeError::BadTimestamp { raw }));
    // Trailing bytes after a fixed-size message.
    let mut long = vec![23];
    long.extend_from_slice(&TS_BYTES);
    long.push(0);
    assert_eq!(
        decode(&long),
        Err(DecodeError::TrailingBytes { id: 23, extra: 1 })
    );
    // Message 1: separator without range, range 0, bytes after the range.
    let mut m1 = vec![1];
    m1.extend_from_slice(&TS_BYTES);
    m1.extend_from_slice(b"!A\0");
    assert_eq!(
        decode(&m1),
        Err(DecodeError::Truncated { needed: 9, got: 8 })
    );
    m1.push(0);
    assert_eq!(decode(&m1), Err(DecodeError::ZeroRange));
    m1.pop();
    m1.extend_from_slice(&[15, 7]);
    assert_eq!(
        decode(&m1),
        Err(DecodeError::TrailingBytes { id: 1, extra: 1 })
    );
    // Content: non-ASCII, LF, empty sentence.
    assert_eq!(
        decode(&[4, 0, 0, b'!', 0xC3]),
        Err(DecodeError::BadContentByte {
            offset: 4,
            byte: 0xC3
        })
    );
    assert_eq!(
        decode(&[4, 0, 0, b'!', b'\n']),
        Err(DecodeError::BadContentByte {
            offset: 4,
            byte: b'\n'
        })
    );
    assert_eq!(
        decode(&[4, 0, 0, b'!', b'\r', b'\r']),
        Err(DecodeError::EmptySentence { offset: 5 })
    );
    // In message 4 the content runs to the end: 0x00 is not a separator.
    assert_eq!(
        decode(&[4, 0, 0, b'!', 0, 15]),
        Err(DecodeError::BadContentByte { offset: 4, byte: 0 })
    );
    // Identifier types beyond Table 3.10.
    let mut on = vec![20];
    on.extend_from_slice(&TS_BYTES);
    on.extend_from_slice(&[2, 0, 0, 0, 1]);
    assert_eq!(decode(&on), Err(DecodeError::UnknownIdentifierType(2)));
    // Message 2: fewer identifiers than counted.
    assert_eq!(
        decode(&[2, 2, 0, 0, 0, 0, 1]),
        Err(DecodeError::Truncated { needed: 8, got: 7 })
    );
    // Message 22 without separator, range and selector.
    let mut m22 = vec![22];
    m22.extend_from_slice(&TS_BYTES);
    m22.extend_from_slice(b"!A");
    assert_eq!(decode(&m22), Err(DecodeError::MissingRange { id: 22 }));
    m22.extend_from_slice(&[0, 5, 0]);
    assert_eq!(
        decode(&m22),
        Err(DecodeError::Truncated {
            needed: 11,
            got: 10
        })
    );
}

#[test]
fn oversized_input_is_rejected() {
    let mut big = vec![4, 0, 0];
    big.resize(MAX_DATAGRAM + 1, b'A');
    assert_eq!(
        decode(&big),
        Err(DecodeError::TooLong {
            len: MAX_DATAGRAM + 1,
            max: MAX_DATAGRAM
        })
    );
    // Exactly one datagram of content is fine for message 4 …
    big.truncate(MAX_DATAGRAM);
    assert!(decode(&big).is_ok());
    // … but the same content does not fit message 1's longer header.
    let full = Content::new(&"A".repeat(MAX_CONTENT)).expect("at the bound");
    assert_eq!(
        encode(&Message::PushRequest {
            timestamp: ts(),
            content: full,
            range: RangeKm::new(1),
        }),
        Err(EncodeError::TooLong {
            len: MAX_CONTENT + 7,
            max: MAX_DATAGRAM
        })
    );
    assert_eq!(
        encode(&Message::RequestDetail {
            identifiers: vec![Identifier::mmsi(1); 256]
        }),
        Err(EncodeError::TooManyIdentifiers {
            count: 256,
            max: 255
        })
    );
}

fn sentence(i: usize) -> String {
    format!(
        "!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*{:02X}",
        i % 256
    )
}

#[test]
fn a_long_response_is_split_on_sentence_boundaries() {
    let text: String = (0..400).map(|i| sentence(i) + "\r").collect();
    assert!(text.len() > 2 * MAX_DATAGRAM);
    let parts = split_response(Flags::RTA, &text).expect("splits");
    assert!(parts.len() >= 3);
    let mut joined = String::new();
    for (i, part) in parts.iter().enumerate() {
        let bytes = encode(part).expect("fits");
        assert!(bytes.len() <= MAX_DATAGRAM, "datagram {i}: {}", bytes.len());
        let Message::Response { flags, content } = part else {
            panic!("not a response: {part:?}")
        };
        assert!(flags.contains(Flags::RTA));
        assert_eq!(flags.contains(Flags::FINAL), i == parts.len() - 1);
        assert!(content.as_str().ends_with('\r'), "cut inside a sentence");
        joined.push_str(content.as_str());
        assert_eq!(decode(&bytes).as_ref(), Ok(part));
    }
    assert_eq!(joined, text);
}

#[test]
fn split_edge_cases() {
    let parts = split_response(Flags::FINAL, "").expect("splits");
    assert_eq!(
        parts,
        [Message::Response {
            flags: Flags::FINAL,
            content: Content::empty()
        }]
    );
    // A caller's Final flag is cleared on all but the last.
    let parts = split_response_with_limit(Flags::FINAL, "ab\rcd\ref", 6).expect("splits");
    let flags: Vec<u16> = parts
        .iter()
        .map(|m| match m {
            Message::Response { flags, .. } => flags.bits(),
            _ => 0xFFFF,
        })
        .collect();
    assert_eq!(flags, [0, 0x8000]);
    assert!(split_response_with_limit(Flags::EMPTY, "abcdefg\r", 6).is_err());
    assert!(split_response(Flags::EMPTY, "a\r\rb").is_err());
}

fn timestamp_strategy() -> impl Strategy<Value = Timestamp> {
    // Every second from 2000-01-01 to 2063-12-31.
    (946_684_800_000i64..2_966_371_200_000i64)
        .prop_map(|ms| Timestamp::from_unix_ms(ms).expect("in range"))
}

fn sentence_strategy() -> impl Strategy<Value = String> {
    "[ -~]{1,82}"
}

fn content_strategy() -> impl Strategy<Value = Content> {
    (
        prop::collection::vec(sentence_strategy(), 0..8),
        any::<bool>(),
    )
        .prop_map(|(sentences, trailing)| {
            let mut text = sentences.join("\r");
            if trailing && !text.is_empty() {
                text.push('\r');
            }
            Content::new(&text).expect("valid by construction")
        })
}

fn identifier_strategy() -> impl Strategy<Value = Identifier> {
    (any::<bool>(), any::<u32>()).prop_map(|(hull, id)| Identifier {
        kind: if hull {
            IdentifierType::HullNumber
        } else {
            IdentifierType::Mmsi
        },
        id,
    })
}

fn range_strategy() -> impl Strategy<Value = RangeKm> {
    (1u8..=255).prop_map(|km| RangeKm::new(km).expect("non-zero"))
}

fn push_request() -> impl Strategy<Value = Message> {
    (
        timestamp_strategy(),
        content_strategy(),
        prop::option::of(range_strategy()),
    )
        .prop_map(|(timestamp, content, range)| Message::PushRequest {
            timestamp,
            content,
            range,
        })
}

fn request_detail() -> impl Strategy<Value = Message> {
    prop::collection::vec(identifier_strategy(), 0..=255)
        .prop_map(|identifiers| Message::RequestDetail { identifiers })
}

fn request_location() -> impl Strategy<Value = Message> {
    (timestamp_strategy(), any::<u16>()).prop_map(|(timestamp, f)| Message::RequestLocation {
        timestamp,
        flags: Flags::from_bits(f),
    })
}

fn response() -> impl Strategy<Value = Message> {
    (any::<u16>(), content_strategy()).prop_map(|(f, content)| Message::Response {
        flags: Flags::from_bits(f),
        content,
    })
}

fn sign_on_off() -> impl Strategy<Value = Message> {
    (timestamp_strategy(), identifier_strategy(), any::<bool>()).prop_map(
        |(timestamp, identifier, on)| {
            if on {
                Message::SignOn {
                    timestamp,
                    identifier,
                }
            } else {
                Message::SignOff {
                    timestamp,
                    identifier,
                }
            }
        },
    )
}

fn smart_request() -> impl Strategy<Value = Message> {
    (
        timestamp_strategy(),
        content_strategy(),
        range_strategy(),
        any::<u16>(),
    )
        .prop_map(|(timestamp, content, range, s)| Message::SmartRequest {
            timestamp,
            content,
            range,
            selector: Selector::from_bits(s),
        })
}

fn acknowledgement() -> impl Strategy<Value = Message> {
    timestamp_strategy().prop_map(|timestamp| Message::Acknowledgement { timestamp })
}

fn round_trip(message: Message) -> Result<(), TestCaseError> {
    let bytes = encode(&message).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(bytes.len() <= MAX_DATAGRAM);
    prop_assert_eq!(bytes[0], message.id());
    prop_assert_eq!(decode(&bytes), Ok(message));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn message_1_round_trips(m in push_request()) { round_trip(m)?; }

    #[test]
    fn message_2_round_trips(m in request_detail()) { round_trip(m)?; }

    #[test]
    fn message_3_round_trips(m in request_location()) { round_trip(m)?; }

    #[test]
    fn message_4_round_trips(m in response()) { round_trip(m)?; }

    #[test]
    fn messages_20_21_round_trip(m in sign_on_off()) { round_trip(m)?; }

    #[test]
    fn message_22_round_trips(m in smart_request()) { round_trip(m)?; }

    #[test]
    fn message_23_round_trips(m in acknowledgement()) { round_trip(m)?; }

    #[test]
    fn timestamps_round_trip_through_raw_and_ms(t in timestamp_strategy()) {
        prop_assert_eq!(Timestamp::from_raw(t.raw()), Ok(t));
        prop_assert_eq!(Timestamp::from_unix_ms(t.to_unix_ms()), Ok(t));
    }

    #[test]
    fn any_bytes_decode_without_panic_and_re_encode(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(message) = decode(&bytes) {
            let again = encode(&message).expect("a decoded message encodes");
            prop_assert_eq!(decode(&again), Ok(message));
        }
    }

    #[test]
    fn splitting_preserves_content(
        sentences in prop::collection::vec(sentence_strategy(), 0..200),
        // Every sentence here ends in CR, so the longest (82 characters)
        // needs 83 bytes in one part.
        limit in 83usize..2_000,
    ) {
        let text: String = sentences.iter().map(|s| format!("{s}\r")).collect();
        let parts = split_response_with_limit(Flags::ATON, &text, limit).expect("splits");
        let mut joined = String::new();
        for (i, part) in parts.iter().enumerate() {
            let Message::Response { flags, content } = part else {
                return Err(TestCaseError::fail("not a response"));
            };
            prop_assert!(content.len() <= limit);
            prop_assert_eq!(flags.contains(Flags::FINAL), i + 1 == parts.len());
            prop_assert!(encode(part).map(|b| b.len() <= MAX_DATAGRAM).unwrap_or(false));
            joined.push_str(content.as_str());
        }
        prop_assert_eq!(joined, text);
    }
}
