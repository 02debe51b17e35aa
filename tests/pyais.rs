//! A second opinion besides gpsd: the 55 expectations read from pyais's own
//! tests (`tests/data/pyais/test_decode.expectations.jsonl`),
//! compared field by field with `decode`.
//!
//! pyais names and scales some fields its own way; each such convention is
//! converted below, in one place, and nothing else is excused. Five records
//! are inputs we reject on purpose (bad checksum, message type 0 or 28), and
//! the test checks that they are rejected for exactly that reason.

mod common;

use common::{decode_lines, sentences};
use serde_json::Value;

/// Records we reject, with the reason our decoder must give.
const REJECTED: &[(&str, &str)] = &[
    // pyais does not verify checksums by default; these three are wrong.
    ("TestAIS.test_decode_1_speed", "checksum mismatch"),
    ("TestAIS.test_msg_type_8_multipart", "checksum mismatch"),
    (
        "TestAIS.test_msg_with_more_that_82_chars_payload",
        "checksum mismatch",
    ),
    // pyais runs its position decoder on a payload whose type field is 0.
    (
        "TestAIS.test_decode_pos_1_2_3",
        "message type 0 is not defined",
    ),
    // Type 28 is a pyais extension, not an M.1371-5 message.
    (
        "TestAIS.test_msg_type_28_authed",
        "message type 28 is not defined",
    ),
];

/// pyais-only fields with no gpsd counterpart (part numbers, spares,
/// sequence numbers of message 7, 21's spare and assigned flag, 23's txrx).
const PYAIS_ONLY: &[&str] = &[
    "partno",
    "spare_1",
    "reserved_1",
    "mmsiseq1",
    "assigned",
    "txrx",
];

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

/// Compare one pyais field with our scaled (`s`) and unscaled (`u`) record.
fn check(rec: &Value, key: &str, want: &Value, s: &Value, u: &Value) -> Result<(), String> {
    let ty = u["type"].as_u64().unwrap_or(0);
    let digits = rec["rounded"].get(key).and_then(Value::as_i64);
    let close = |a: f64, b: f64| match digits {
        Some(n) => {
            let f = 10f64.powi(n as i32);
            (a * f).round() == (b * f).round()
        }
        None => (a - b).abs() <= 1e-6 * a.abs().max(1.0),
    };
    let ours_name = match key {
        "msg_type" => "type",
        "ship_type" => "shiptype",
        "station_type" => "stationtype",
        "reserved_2" => "reserved",
        k => k,
    };
    // Binary data: pyais gives the bytes, gpsd "bits:hex".
    if let Some(hex) = want.get("bytes_hex").and_then(Value::as_str) {
        if u.get("data").is_none() && ty == 8 && u["dac"] == 1 && u["fid"] == 31 {
            return Ok(()); // we decode FI 31 field by field, pyais keeps bytes
        }
        let ours = u["data"].as_str().unwrap_or("");
        let ours_hex = ours.split(':').nth(1).unwrap_or("");
        return if ours_hex.starts_with(hex) || hex.starts_with(ours_hex) && !ours_hex.is_empty() {
            Ok(())
        } else {
            Err(format!("data: pyais {hex}, ours {ours}"))
        };
    }
    // Base station / UTC response time: one gpsd timestamp string.
    if matches!(ty, 4 | 11) && ["year", "month", "day", "hour", "minute", "second"].contains(&key) {
        let ts = u["timestamp"].as_str().unwrap_or("");
        let (start, len) = match key {
            "year" => (0, 4),
            "month" => (5, 2),
            "day" => (8, 2),
            "hour" => (11, 2),
            "minute" => (14, 2),
            _ => (17, 2),
        };
        let got: Option<i64> = ts.get(start..start + len).and_then(|p| p.parse().ok());
        return if got == want.as_i64() {
            Ok(())
        } else {
            Err(format!("{key}: pyais {want}, our timestamp {ts}"))
        };
    }
    // Message 24 vendor: pyais splits the M.1371-4 3-character vendor off.
    if key == "vendorid" {
        let ours = u["vendorid"].as_str().unwrap_or("");
        let w = want.as_str().unwrap_or("");
        return if ours.starts_with(w) {
            Ok(())
        } else {
            Err(format!("vendorid: pyais {w}, ours {ours}"))
        };
    }
    // Absent trailing entries (7, 15): pyais None, gpsd 0.
    if want.is_null() {
        return match u.get(ours_name) {
            None | Some(Value::Null) => Ok(()),
            Some(v) if v.as_i64() == Some(0) || v == "" => Ok(()),
            Some(v) => Err(format!("{key}: pyais None, ours {v}")),
        };
    }
    if let Some(w) = want.as_str() {
        return if s[ours_name].as_str() == Some(w) {
            Ok(())
        } else {
            Err(format!("{key}: pyais {w:?}, ours {}", s[ours_name]))
        };
    }
    let w = number(want).ok_or_else(|| format!("{key}: unexpected {want}"))?;
    // Units: pyais gives FI 10 dimensions in metres (raw 1/10 m), the
    // 17/22/23 corners in minutes (raw 1/10 min) and message 27 in degrees
    // (raw 1/10 min); everything else compares with gpsd's scaled or raw value.
    let raw = number(&u[ours_name]);
    let converted = match (ty, key) {
        (8, "length" | "beam") => raw.map(|r| r / 10.0),
        (17 | 22 | 23, k) if k.contains("lon") || k.contains("lat") => raw.map(|r| r / 10.0),
        (27, "lon" | "lat") => raw.map(|r| r / 600.0),
        _ => None,
    };
    let candidates = [converted, number(&s[ours_name]), raw];
    if candidates.iter().flatten().any(|&o| close(w, o)) {
        Ok(())
    } else {
        Err(format!(
            "{key}: pyais {w}, ours scaled {} raw {}",
            s[ours_name], u[ours_name]
        ))
    }
}

#[test]
fn pyais_expectations_agree() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/pyais/test_decode.expectations.jsonl"
    );
    let text = std::fs::read_to_string(path).expect("pyais expectations");
    let (mut records, mut fields, mut rejected) = (0, 0, 0);
    let mut failures = Vec::new();
    for line in text.lines() {
        let rec: Value = serde_json::from_str(line).expect("record");
        let name = rec["test"].as_str().unwrap_or("?");
        let sentences = sentences(&rec);
        records += 1;
        let (scaled, err) = decode_lines(&sentences, true, false);
        if let Some((_, reason)) = REJECTED.iter().find(|(t, _)| *t == name) {
            assert!(scaled.is_empty(), "{name}: expected a rejection");
            assert!(err.contains(reason), "{name}: {err}");
            rejected += 1;
            continue;
        }
        let (unscaled, _) = decode_lines(&sentences, false, false);
        let (Some(s), Some(u)) = (scaled.last(), unscaled.last()) else {
            failures.push(format!("{name}: no output ({err})"));
            continue;
        };
        for (key, want) in rec["fields"].as_object().expect("fields") {
            if PYAIS_ONLY.contains(&key.as_str()) {
                continue;
            }
            fields += 1;
            if let Err(e) = check(&rec, key, want, s, u) {
                failures.push(format!("{name}: {e}"));
            }
        }
        for (list, truth) in [("truthy", true), ("falsy", false)] {
            for key in rec[list].as_array().into_iter().flatten() {
                let k = key.as_str().unwrap_or("");
                let v = &u[k];
                let is_true = v.as_bool().unwrap_or(false) || v.as_i64().is_some_and(|n| n != 0);
                if is_true != truth {
                    failures.push(format!("{name}: {k} should be {list}, ours {v}"));
                }
                fields += 1;
            }
        }
    }
    eprintln!(
        "pyais: {records} records, {rejected} rejected as expected, {fields} fields compared, {} differ",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(records, 55);
    assert_eq!(rejected, REJECTED.len());
}
