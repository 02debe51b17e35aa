//! GNSS and presentation-interface sentences from real captures.

use bridgewatch::nmea::{frame, gnss, pi};

fn lines(rel: &str) -> Vec<String> {
    let p = format!("{}/tests/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p)
        .unwrap_or_else(|e| panic!("{p}: {e}"))
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn gnss_logs_give_own_ship_fixes() {
    let logs = [
        "gpsd/gnss/beidou-bd.log",
        "gpsd/gnss/bt451.log",
        "gpsd/gnss/hemi.log",
        "gpsd/gnss/humminbird-M37.log",
        "gpsd/gnss/polarx2.log",
        "gpsd/gnss/quectel-L70.log",
        "gpsd/gnss/skytraq-PX1172RH_DS.log",
        "gpsd/gnss/ublox-zed-f9p-nmea.log",
        "gpsd/ais/saab-r4.log",
    ];
    let (mut seen, mut parsed, mut positions, mut headings) = (0, 0, 0, 0);
    let mut ths = 0;
    for log in logs {
        for l in lines(log) {
            let Ok(s) = frame(l.as_bytes()) else { continue };
            if !gnss::is_gnss(s.formatter) {
                continue;
            }
            seen += 1;
            if let Ok(f) = gnss::parse(&s) {
                parsed += 1;
                if let Some((lat, lon)) = f.position {
                    assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon));
                    if f.valid {
                        positions += 1;
                    }
                }
                if let Some(h) = f.heading_deg {
                    assert!((0.0..360.0).contains(&h), "{l}");
                    headings += 1;
                    if f.sentence == gnss::GnssSentence::Ths {
                        ths += 1;
                    }
                }
            }
        }
    }
    eprintln!(
        "{seen} GNSS sentences, {parsed} parsed, {positions} valid positions, {headings} headings"
    );
    assert!(seen > 1000);
    assert!(parsed * 100 >= seen * 95, "{parsed} of {seen}");
    // hemi.log sends empty HDT fields: those are "no heading", not 0°, and
    // 15 GGA with quality 1 but no satellites in use: not valid (282 left).
    assert!(
        positions >= 280 && headings >= 30 && ths > 0,
        "{positions} {headings} {ths}"
    );
}

#[test]
fn saab_r4_heading_is_read() {
    let l = lines("gpsd/ais/saab-r4.log")
        .into_iter()
        .find(|l| l.starts_with("$HEHDT"))
        .expect("HDT in log");
    let f = gnss::parse(&frame(l.as_bytes()).unwrap()).unwrap();
    let expected: f64 = l.split(',').nth(1).unwrap().parse().unwrap();
    assert_eq!(f.heading_deg, Some(expected));
    assert_eq!(f.talker(), "HE");
}

#[test]
fn aislib_abm_and_abk() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/aislib/presentation_sentences.expectations.part1.json"
    ))
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for r in v["records"].as_array().unwrap() {
        let line = r["sentences"][0].as_str().unwrap();
        let e = &r["expected"];
        let s = frame(line.as_bytes()).unwrap_or_else(|err| panic!("{line}: {err}"));
        match s.formatter {
            "ABM" => {
                let f = pi::parse_binary(&s).unwrap();
                assert_eq!(u64::from(f.msg_id), e["msg_id"].as_u64().unwrap());
                if let Some(d) = e.get("destination") {
                    assert_eq!(f.dest_mmsi.map(u64::from), d.as_u64());
                }
                // The data joins back into whole bits.
                let p = pi::join_binary(&[f]).unwrap();
                assert!(p.bit_len() > 0);
            }
            "ABK" => {
                let a = pi::parse_abk(&s).unwrap();
                assert_eq!(a.dest_mmsi.map(u64::from), e["destination"].as_u64());
                assert_eq!(
                    a.channel.map(String::from).as_deref(),
                    e["channel"].as_str()
                );
                assert_eq!(u64::from(a.msg_id), e["msg_id"].as_u64().unwrap());
                assert_eq!(u64::from(a.seq_id), e["sequence"].as_u64().unwrap());
                // ABK rebuilds to the same sentence.
                assert_eq!(pi::build_abk(s.talker, &a), line);
            }
            other => panic!("unexpected {other}"),
        }
    }
}

#[test]
fn libais_bbm_txt_alr() {
    for l in lines("libais/nmea_messages.expectations.part1.jsonl") {
        let v: serde_json::Value = serde_json::from_str(&l).unwrap();
        let line = v["line"].as_str().unwrap();
        let e = &v["expected"];
        let Ok(s) = frame(line.as_bytes()) else {
            assert!(e.is_null() || v["kind"] == "regex_groupdict", "{line}");
            continue;
        };
        match s.formatter {
            "BBM" => {
                let f = pi::parse_binary(&s).unwrap();
                assert_eq!(f.data, e["body"].as_str().unwrap());
                assert_eq!(f.fill.to_string(), e["fill_bits"].as_str().unwrap());
                assert_eq!(f.msg_id.to_string(), e["message_id"].as_str().unwrap());
                assert_eq!(f.seq_id.to_string(), e["seq_num"].as_str().unwrap());
            }
            "TXT" => {
                let t = pi::parse_txt(&s).unwrap();
                assert_eq!(t.text, e["text"].as_str().unwrap());
                assert_eq!(pi::build_txt(s.talker, &t), line);
            }
            "ALR" => {
                let a = pi::parse_alr(&s).unwrap();
                assert_eq!(a.text, e["text"].as_str().unwrap());
                assert_eq!(pi::build_alr(s.talker, &a), line);
            }
            "ABK" => {
                let a = pi::parse_abk(&s).unwrap();
                assert_eq!(a.ack, pi::AckType::Broadcast);
            }
            "ZZZ" => panic!("junk formatter accepted: {line}"),
            _ => {}
        }
    }
}

#[test]
fn transponder_vsd_ssd_txt_from_signalk_log() {
    let log = lines("signalk/nais300-merrimac.log");
    let ssd = log.iter().find(|l| l.contains("SSD,")).unwrap();
    let s = pi::parse_ssd(&frame(ssd.as_bytes()).unwrap()).unwrap();
    assert_eq!(s.callsign, "PD2366");
    assert_eq!(s.name, "MERRIMAC");
    assert_eq!(
        (s.to_bow, s.to_stern, s.to_port, s.to_starboard),
        (Some(17), Some(0), Some(3), Some(2))
    );
    let vsd = log.iter().find(|l| l.contains("VSD,")).unwrap();
    let v = pi::parse_vsd(&frame(vsd.as_bytes()).unwrap()).unwrap();
    assert_eq!(v.ship_type, Some(36));
    assert_eq!(v.draught, Some(0.0));
    // Build → parse round trip.
    let rebuilt = pi::build_vsd("EC", &v);
    assert_eq!(
        pi::parse_vsd(&frame(rebuilt.as_bytes()).unwrap()).unwrap(),
        v
    );
    let rebuilt = pi::build_ssd("EC", &s);
    assert_eq!(
        pi::parse_ssd(&frame(rebuilt.as_bytes()).unwrap()).unwrap(),
        s
    );
    let txts = log
        .iter()
        .filter(|l| l.contains("TXT,"))
        .filter_map(|l| {
            frame(l.as_bytes())
                .ok()
                .and_then(|s| pi::parse_txt(&s).ok())
        })
        .count();
    assert_eq!(txts, 7);
}
