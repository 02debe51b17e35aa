//! Decode every gpsd capture in `../shared/testdata/gpsd/ais` and compare,
//! field by field, with gpsd's own decodings (`*.pairs.jsonl`). Each gpsd
//! record is matched to our output in file order by (type, MMSI).
//!
//! Differences are allowed only where gpsd contradicts the standard, each
//! listed in `docs/gpsd-differences.md`; anything else fails the test.

use bridgewatch::cli::{DecodeOptions, Decoder};
use serde_json::Value;
use std::path::PathBuf;

fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata")
}

fn decode_file(path: &PathBuf, scaled: bool) -> (Vec<Value>, String) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut dec = Decoder::new(DecodeOptions { scaled });
    let mut out = Vec::new();
    let mut err = Vec::new();
    dec.run("t", &bytes[..], &mut out, &mut err)
        .expect("in-memory decode");
    let values = String::from_utf8(out)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON {l}: {e}")))
        .collect();
    (values, String::from_utf8_lossy(&err).into_owned())
}

/// Fields where we deliberately differ from gpsd: (type, dac, fid, field).
const EXPLAINED: &[(u64, Option<u64>, Option<u64>, &str)] = &[
    (8, Some(200), Some(10), "loaded_text"),
    (8, Some(200), Some(10), "shiptype_text"),
    (26, None, None, "radio"),
    (26, None, None, "data"),
];

#[derive(Default, Debug)]
struct Tally {
    records: usize,
    exact: usize,
    explained: usize,
    unexplained: Vec<String>,
}

fn compare(expected: &Value, got: &Value, tally: &mut Tally, context: &str) {
    let mut e = expected.clone();
    if let Some(o) = e.as_object_mut() {
        o.remove("device");
    }
    tally.records += 1;
    if &e == got {
        tally.exact += 1;
        return;
    }
    let eo = e.as_object().expect("object");
    let go = got.as_object().expect("object");
    let ty = eo["type"].as_u64();
    let dac = eo.get("dac").and_then(Value::as_u64);
    let fid = eo.get("fid").and_then(Value::as_u64);
    let mut keys: Vec<&String> = eo.keys().chain(go.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut all_explained = true;
    for k in keys {
        if eo.get(k) == go.get(k) {
            continue;
        }
        let ok = EXPLAINED
            .iter()
            .any(|(t, d, f, field)| Some(*t) == ty && *d == dac && *f == fid && field == k);
        if !ok {
            all_explained = false;
            tally.unexplained.push(format!(
                "{context}: type {ty:?} field {k}: gpsd {:?}, ours {:?}",
                eo.get(k),
                go.get(k)
            ));
        }
    }
    if all_explained {
        tally.explained += 1;
    }
}

/// Matching key: type and MMSI, and for message 24 whether it is a part B
/// (gpsd reports only the merged A+B record; we also report part A alone).
type Key = (Option<u64>, Option<u64>, Option<u64>, Option<u64>, bool);
fn type_mmsi(v: &Value) -> Key {
    (
        v["type"].as_u64(),
        v["mmsi"].as_u64(),
        v.get("dac").and_then(Value::as_u64),
        v.get("fid").and_then(Value::as_u64),
        v.get("shiptype").is_some(),
    )
}

/// Walk gpsd's records in order, finding each in our output.
fn match_in_order(expected: &[Value], ours: &[Value], tally: &mut Tally, context: &str) {
    let mut cursor = 0;
    for e in expected {
        let key = type_mmsi(e);
        match ours[cursor..].iter().position(|g| type_mmsi(g) == key) {
            Some(i) => {
                compare(e, &ours[cursor + i], tally, context);
                cursor += i + 1;
            }
            None => {
                tally.records += 1;
                tally
                    .unexplained
                    .push(format!("{context}: no output for gpsd record {e}"));
            }
        }
    }
}

fn pairs(name: &str) -> Vec<Value> {
    let p = testdata().join("gpsd/ais").join(name);
    std::fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .lines()
        .map(|l| serde_json::from_str(l).expect("pairs line"))
        .collect()
}

#[test]
fn gpsd_corpus_matches_field_by_field() {
    let mut tally = Tally::default();
    // Daemon regression logs: gpsd reported unscaled values.
    for log in [
        "ais-18-27.log",
        "ais-nmea-type6-fid55.part1.log",
        "ais_unpack_sixbit.log",
        "saab-r4.log",
    ] {
        let stem = log.trim_end_matches(".log");
        let expected: Vec<Value> = pairs(&format!("{stem}.pairs.jsonl"))
            .into_iter()
            .map(|r| r["expected"].clone())
            .collect();
        let (ours, _) = decode_file(&testdata().join("gpsd/ais").join(log), false);
        match_in_order(&expected, &ours, &mut tally, log);
    }
    // sample.aivdm: gpsdecode -j and -u -j.
    let recs = pairs("sample.aivdm.pairs.jsonl");
    for (scaled, key) in [(true, "expected_scaled"), (false, "expected_unscaled")] {
        let expected: Vec<Value> = recs.iter().map(|r| r[key].clone()).collect();
        let (ours, _) = decode_file(&testdata().join("gpsd/ais/sample.aivdm"), scaled);
        match_in_order(&expected, &ours, &mut tally, key);
    }
    let rate = tally.exact as f64 / tally.records as f64;
    eprintln!(
        "gpsd records: {} compared, {} exact ({:.2}%), {} differ only in documented fields, {} unexplained",
        tally.records,
        tally.exact,
        rate * 100.0,
        tally.explained,
        tally.unexplained.len()
    );
    assert!(
        tally.unexplained.is_empty(),
        "unexplained differences:\n{}",
        tally.unexplained.join("\n")
    );
    assert!(tally.records >= 1000, "corpus not found or shrunk");
    assert!(rate >= 0.97, "exact match rate {rate}");
}
