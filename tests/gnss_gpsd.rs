//! GNSS sentences against gpsd's own reading of them: in gpsd's regression
//! output (`*.log.chk`) every input line is echoed, followed by the reports
//! it produced. Where a position sentence (GGA, RMC, GLL, GNS) is followed
//! by a TPV, the TPV's latitude and longitude are that sentence's as gpsd
//! read it; after an RMC (or VTG) its speed and track are too.

use bridgewatch::nmea::{frame, gnss};
use serde_json::Value;

const KNOT_MS: f64 = 1852.0 / 3600.0;

#[derive(Default, Debug)]
struct Tally {
    positions: usize,
    speeds: usize,
    tracks: usize,
    /// gpsd reports a position where we see none (valid) in the sentence.
    gpsd_only: usize,
    /// Neither has one (receiver without a fix).
    neither: usize,
    problems: Vec<String>,
}

fn compare_log(name: &str, tally: &mut Tally) {
    let path = format!(
        "{}/tests/data/gpsd/gnss/{name}.chk",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut last: Option<gnss::OwnFix> = None;
    let mut last_line = String::new();
    for line in text.lines() {
        if line.starts_with('{') {
            let Ok(report) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            if report["class"] != "TPV" {
                continue;
            }
            let Some(fix) = last.take() else { continue };
            let gpsd_pos = report["lat"].as_f64().zip(report["lon"].as_f64());
            let positional = matches!(
                fix.sentence,
                gnss::GnssSentence::Gga
                    | gnss::GnssSentence::Rmc
                    | gnss::GnssSentence::Gll
                    | gnss::GnssSentence::Gns
            );
            if positional {
                match (fix.position.filter(|_| fix.valid), gpsd_pos) {
                    (Some((lat, lon)), Some((glat, glon))) => {
                        tally.positions += 1;
                        if (lat - glat).abs() > 1e-8 || (lon - glon).abs() > 1e-8 {
                            tally.problems.push(format!(
                                "{name}: {last_line}: ours {lat},{lon}, gpsd {glat},{glon}"
                            ));
                        }
                    }
                    (Some(_), None) => {
                        tally.problems.push(format!(
                            "{name}: {last_line}: we have a valid position, gpsd's fix has none"
                        ));
                    }
                    (None, Some(_)) => tally.gpsd_only += 1,
                    (None, None) => tally.neither += 1,
                }
            }
            if matches!(
                fix.sentence,
                gnss::GnssSentence::Rmc | gnss::GnssSentence::Vtg
            ) {
                if let (Some(sog), Some(gs)) = (fix.sog_kn, report["speed"].as_f64()) {
                    tally.speeds += 1;
                    if (sog * KNOT_MS - gs).abs() > 0.0006 {
                        tally.problems.push(format!(
                            "{name}: {last_line}: speed ours {} m/s, gpsd {gs}",
                            sog * KNOT_MS
                        ));
                    }
                }
                if let (Some(cog), Some(gt)) = (fix.cog_deg, report["track"].as_f64()) {
                    tally.tracks += 1;
                    if (cog - gt).abs() > 0.00006 {
                        tally
                            .problems
                            .push(format!("{name}: {last_line}: track ours {cog}, gpsd {gt}"));
                    }
                }
            }
            continue;
        }
        last = frame(line.as_bytes())
            .ok()
            .filter(|s| gnss::is_gnss(s.formatter))
            .and_then(|s| gnss::parse(&s).ok());
        last_line = line.to_string();
    }
}

#[test]
fn gnss_fixes_agree_with_gpsd() {
    let mut tally = Tally::default();
    for log in [
        "beidou-bd.log",
        "bt451.log",
        "bundg_zeus_9.log",
        "hemi.log",
        "humminbird-M37.log",
        "nmea-fuzzy-cases.log",
        "polarx2.log",
        "quectel-L70.log",
        "skytraq-PX1172RH_DS.log",
        "ublox-zed-f9p-nmea.log",
    ] {
        compare_log(log, &mut tally);
    }
    eprintln!(
        "gpsd TPV: {} positions, {} speeds, {} tracks compared, {} differ; {} without a fix in both, {} with a position only gpsd reports",
        tally.positions,
        tally.speeds,
        tally.tracks,
        tally.problems.len(),
        tally.neither,
        tally.gpsd_only
    );
    assert!(
        tally.problems.is_empty(),
        "{}",
        tally.problems[..tally.problems.len().min(40)].join("\n")
    );
    // Measured 2026-11-22: 234 positions, 52 speeds, 51 tracks.
    assert!(
        tally.positions >= 230 && tally.speeds >= 50 && tally.tracks >= 50,
        "{tally:?}"
    );
}
