//! Streaming behaviour of `decode`: input arriving in arbitrary pieces,
//! corrupted lines followed by recovery, fragments out of order or never
//! completed, an absurdly long line — and a few hundred thousand mutated
//! corpus lines, none of which may panic.

use bridgewatch::decode::{DecodeOptions, Decoder};
use bridgewatch::nmea::vdm::Reassembler;
use std::io::Read;

/// A reader that returns its data in fixed-size pieces.
struct Pieces<'a> {
    data: &'a [u8],
    size: usize,
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.size.min(self.data.len()).min(buf.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fn run(data: &[u8], piece: usize) -> (String, String, Decoder) {
    let mut d = Decoder::new(DecodeOptions::default());
    let mut out = Vec::new();
    let mut err = Vec::new();
    d.run("in", Pieces { data, size: piece }, &mut out, &mut err)
        .expect("decode");
    (
        String::from_utf8(out).expect("utf8"),
        String::from_utf8(err).expect("utf8"),
        d,
    )
}

const TWO_PART: [&str; 2] = [
    "!AIVDM,2,1,3,B,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0*3E",
    "!AIVDM,2,2,3,B,1@0000000000000,2*55",
];
const SINGLE: &str = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A";

#[test]
fn any_piece_size_gives_the_same_output() {
    let log = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/gpsd/ais/sample.aivdm"
    ))
    .expect("corpus");
    let (whole, whole_err, _) = run(&log, usize::MAX);
    assert!(whole.lines().count() > 90);
    for piece in [1, 2, 7, 81, 82, 83, 4096] {
        let (out, err, _) = run(&log, piece);
        assert_eq!(out, whole, "piece size {piece}");
        assert_eq!(err, whole_err, "piece size {piece}");
    }
}

#[test]
fn two_sentences_in_one_read_and_one_split_across_reads() {
    let data = format!("{SINGLE}\r\n{SINGLE}\r\n");
    let (out, _, _) = run(data.as_bytes(), data.len());
    assert_eq!(out.lines().count(), 2);
    let (out, _, _) = run(data.as_bytes(), 30);
    assert_eq!(out.lines().count(), 2);
}

#[test]
fn bad_checksum_then_recovery() {
    let bad = SINGLE.replace("*4A", "*4B");
    let data = format!("{bad}\n{SINGLE}\n");
    let (out, err, d) = run(data.as_bytes(), 5);
    assert_eq!(out.lines().count(), 1);
    assert!(err.starts_with("in:1: checksum mismatch"), "{err}");
    assert_eq!(d.summary().rejected, 1);
}

#[test]
fn errors_name_the_line_an_editor_shows() {
    // Blank lines, CR LF, a comment and a lone CR all count as lines.
    let bad = SINGLE.replace("*4A", "*4B");
    let data = format!("{SINGLE}\r\n\r\n# comment\n\n{bad}\rjunk\r\n\n{SINGLE}\n{bad}");
    for piece in [1, 7, data.len()] {
        let (out, err, _) = run(data.as_bytes(), piece);
        assert_eq!(out.lines().count(), 2, "piece {piece}");
        let lines: Vec<&str> = err
            .lines()
            .map(|l| &l[..l.find(": ").unwrap_or(0)])
            .collect();
        assert_eq!(lines, ["in:5", "in:6", "in:9"], "piece {piece}: {err}");
    }
}

#[test]
fn a_sentence_behind_a_broken_tag_block_is_used_and_the_tag_block_reported() {
    let good_tag = bridgewatch::sim::tagged(SINGLE, 1_700_000_000_000);
    let broken = [
        format!("\\c:1700000000*A\\{SINGLE}"), // one hex digit (seen in pyais data)
        format!("\\c:1700000000*00\\{SINGLE}"), // wrong checksum
        format!("\\c:1700000000\\{SINGLE}"),   // none
    ];
    let data = format!("{good_tag}\n{}\n", broken.join("\n"));
    let (out, err, d) = run(data.as_bytes(), 3);
    assert_eq!(out.lines().count(), 4, "{err}");
    let expect = [
        "in:2: tag block checksum is not two hex digits; tag block ignored, sentence used",
        "in:3: tag block checksum mismatch: calculated 5F, found 00; tag block ignored, sentence used",
        "in:4: tag block has no checksum; tag block ignored, sentence used",
    ];
    assert_eq!(err.lines().collect::<Vec<_>>(), expect);
    let s = d.summary();
    assert_eq!((s.rejected, s.tag_blocks_ignored), (0, 3));
    // Without a closing backslash the sentence cannot be found: rejected.
    let (out, err, _) = run(format!("\\c:1700000000*5F{SINGLE}\n").as_bytes(), 9);
    assert!(out.is_empty());
    assert!(err.contains("bad tag block: no closing backslash"), "{err}");
}

#[test]
fn fragments_out_of_order_and_interleaved_channels() {
    // The same message on channel B, second fragment first, interleaved
    // with a single-sentence message and another channel's partial.
    let other_channel = TWO_PART[0].replace(",B,", ",A,");
    let other_channel = fix_checksum(&other_channel);
    let data = format!(
        "{}\n{other_channel}\n{SINGLE}\n{}\n",
        TWO_PART[1], TWO_PART[0]
    );
    let (out, _, d) = run(data.as_bytes(), 13);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[1].contains("\"type\":5"), "{}", lines[1]);
    assert!(
        lines[1].contains("\"shipname\":\"MT.MITCHELL\""),
        "{}",
        lines[1]
    );
    assert_eq!(d.summary().incomplete, 0);
}

fn fix_checksum(s: &str) -> String {
    let body = &s[1..s.find('*').expect("star")];
    let cs = body.bytes().fold(0u8, |a, b| a ^ b);
    format!("!{body}*{cs:02X}")
}

#[test]
fn fragment_that_never_completes_is_dropped() {
    let mut r = Reassembler::new(2_000, 4);
    let s = bridgewatch::nmea::frame(TWO_PART[0].as_bytes()).expect("frame");
    let v = bridgewatch::nmea::vdm::parse(&s).expect("vdm");
    assert!(r.push(&v, 0).expect("ok").is_none());
    r.expire(2_001);
    assert_eq!(r.in_flight(), 0);
    assert_eq!(r.stats().expired, 1);
    // The second half arriving late starts a new partial, not a bogus message.
    let s = bridgewatch::nmea::frame(TWO_PART[1].as_bytes()).expect("frame");
    let v = bridgewatch::nmea::vdm::parse(&s).expect("vdm");
    assert!(r.push(&v, 2_002).expect("ok").is_none());
}

#[test]
fn many_partials_in_flight_are_bounded() {
    let mut r = Reassembler::new(60_000, 8);
    for seq in 0..10u8 {
        for ch in ['A', 'B'] {
            let line = fix_checksum(&TWO_PART[0].replace(",3,B,", &format!(",{seq},{ch},")));
            let s = bridgewatch::nmea::frame(line.as_bytes()).expect("frame");
            let v = bridgewatch::nmea::vdm::parse(&s).expect("vdm");
            assert!(r.push(&v, 0).expect("ok").is_none());
        }
    }
    assert_eq!(r.in_flight(), 8);
    assert_eq!(r.stats().abandoned, 12);
}

#[test]
fn a_two_megabyte_line_is_rejected_and_the_reader_resynchronises() {
    let mut data = vec![b'!'; 2 * 1024 * 1024];
    data.push(b'\n');
    data.extend_from_slice(SINGLE.as_bytes());
    data.push(b'\n');
    let (out, err, d) = run(&data, 64 * 1024);
    assert_eq!(out.lines().count(), 1);
    assert!(err.contains("too long"), "{err}");
    assert_eq!(d.summary().overlong, 1);
}

/// xorshift64*: deterministic, dependency-free randomness.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn corpus_lines() -> Vec<Vec<u8>> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let mut lines = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(root)];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            for e in std::fs::read_dir(&p).expect("dir").flatten() {
                stack.push(e.path());
            }
        } else if let Ok(bytes) = std::fs::read(&p) {
            for l in bytes.split(|&b| b == b'\n') {
                if l.contains(&b'!') || l.contains(&b'$') {
                    lines.push(l.to_vec());
                }
            }
        }
    }
    lines
}

#[test]
fn mutated_corpus_lines_never_panic() {
    let lines = corpus_lines();
    assert!(lines.len() > 5000, "corpus not found");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut d = Decoder::new(DecodeOptions::default());
    let total = 300_000;
    let mut rejected = 0u64;
    for _ in 0..total {
        let mut l = lines[rng.below(lines.len())].clone();
        for _ in 0..1 + rng.below(3) {
            let i = rng.below(l.len());
            match rng.below(6) {
                0 if !l.is_empty() => l[i] ^= 1 << rng.below(8),
                1 if !l.is_empty() => l[i] = rng.next() as u8,
                2 if !l.is_empty() => {
                    l.remove(i);
                }
                3 => l.insert(i.min(l.len()), b"!$*,\\0w`"[rng.below(8)]),
                4 => l.truncate(i),
                _ => {
                    let other = &lines[rng.below(lines.len())];
                    l.extend_from_slice(&other[..rng.below(other.len())]);
                }
            }
        }
        if d.line(&l).is_err() {
            rejected += 1;
        }
        d.take_output().clear();
    }
    let s = d.summary();
    assert_eq!(s.lines, total);
    assert_eq!(s.rejected, rejected);
    // Most mutations break the checksum; a few survive it, as at sea.
    assert!(rejected > total / 2 && rejected < total, "{rejected}");
}
