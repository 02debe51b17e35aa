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

/// `decode` over sentences given one per string: its JSON objects and
/// standard error.
fn decode(lines: &[String]) -> (Vec<serde_json::Value>, String) {
    use bridgewatch::decode::{DecodeOptions, Decoder};
    let mut d = Decoder::new(DecodeOptions::default());
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let input = lines.join("\r\n") + "\r\n";
    d.run("t", input.as_bytes(), &mut out, &mut err)
        .expect("in-memory decode");
    let values = String::from_utf8(out)
        .expect("utf8")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    (values, String::from_utf8_lossy(&err).into_owned())
}

#[test]
fn decode_reports_the_transponders_vsd_and_ssd_of_a_real_capture() {
    let (values, err) = decode(&lines("signalk/nais300-merrimac.log"));
    assert!(err.is_empty(), "{err}");
    let other: Vec<&serde_json::Value> = values.iter().filter(|v| v["class"] != "AIS").collect();
    // $AISSD,PD2366@,MERRIMAC@@@@@@@@@@@@,017,000,03,02,1,AI*29
    // $AIVSD,036,00.0,0000,@@@@@@@@@@@@@@@@@@@@,000000,00,00,00,00*4E
    assert_eq!(
        other,
        [
            &serde_json::json!({"class": "SSD", "talker": "AI", "callsign": "PD2366",
                "shipname": "MERRIMAC", "to_bow": 17, "to_stern": 0, "to_port": 3,
                "to_starboard": 2, "dte": 1, "source": "AI"}),
            &serde_json::json!({"class": "VSD", "talker": "AI", "shiptype": 36, "draught": 0.0,
                "persons": 0, "destination": "", "eta_time": "000000", "eta_day": 0,
                "eta_month": 0, "status": 0, "regional": 0}),
        ]
    );
}

/// AisLib's ABM test sentences: the message each carries, as the
/// transponder would send it (own MMSI unknown: 0).
#[test]
fn decode_reads_an_abm_as_the_message_it_carries() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/aislib/presentation_sentences.expectations.part1.json"
    ))
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut seen = 0;
    for r in v["records"].as_array().unwrap() {
        let line = r["sentences"][0].as_str().unwrap();
        if !line.contains("ABM,") {
            continue;
        }
        let (out, err) = decode(&[line.to_string()]);
        assert!(err.is_empty(), "{line}: {err}");
        assert_eq!(out.len(), 1, "{line}");
        let m = &out[0];
        assert_eq!(m["class"], "AIS");
        assert_eq!(m["sentence"], "ABM");
        assert_eq!(m["type"], r["expected"]["msg_id"]);
        assert_eq!(m["mmsi"], 0);
        let dest = line.split(',').nth(4).unwrap().parse::<u64>().unwrap();
        assert_eq!(m["dest_mmsi"].as_u64(), Some(dest));
        seen += 1;
    }
    assert_eq!(seen, 2);
}

/// ABM sentences out of order, an ABM of a kind not decoded, and a
/// broken VSD: each said on stderr with the line, none stops the run.
#[test]
fn decode_joins_abm_out_of_order_and_reports_what_it_cannot_read() {
    use bridgewatch::voyage::command::safety;
    let mut abm = safety(Some("244123456"), &"A".repeat(100)).unwrap();
    assert_eq!(abm.len(), 3);
    abm.swap(0, 2);
    let (out, err) = decode(&abm);
    assert!(err.is_empty(), "{err}");
    assert_eq!(out.len(), 1);
    assert_eq!(out[0]["text"], "A".repeat(100));
    let m25 = bridgewatch::nmea::build(
        '!',
        "AIABM",
        &["1", "1", "0", "244123456", "0", "25", "w", "0"],
    );
    let bad_vsd = bridgewatch::nmea::build('$', "ECVSD", &["x"]);
    let (out, err) = decode(&[m25, bad_vsd]);
    assert!(out.is_empty(), "{out:?}");
    let e: Vec<&str> = err.lines().collect();
    assert_eq!(
        e,
        [
            "t:1: ABM carrying message 25: only messages 6 and 12 are decoded from ABM",
            "t:2: VSD field ship type is \"x\", not a number in range",
        ]
    );
}

/// The console's `$PIWWIVD` and `$PIWWSSD` read back by `decode`, field
/// for field, in metres.
#[test]
fn decode_reads_the_inland_sentences_back() {
    use bridgewatch::voyage::messages::{InlandStaticData, InlandVoyageData};
    let v = InlandVoyageData {
        reporting_rate: None,
        blue_cones: Some(4),
        loaded: Some(1),
        draught: Some(285),
        air_draught: Some(750),
        tugs: Some(0),
        crew: Some(4),
        passengers: Some(0),
        personnel: Some(255),
        convoy: [Some(0), Some(1105), Some(0), Some(5)],
    };
    let d = InlandStaticData {
        eni: Some("02326789".into()),
        eri_type: Some(8010),
        length: Some(1100),
        beam: Some(114),
        quality: [Some(1), Some(0), Some(1)],
        internal: [Some(520), Some(57)],
        external: [None, None],
    };
    let (out, err) = decode(&[v.sentence(), d.sentence()]);
    assert!(err.is_empty(), "{err}");
    assert_eq!(
        out,
        [
            serde_json::json!({"class": "PIWWIVD", "blue_cones": 4, "loaded": 1, "draught": 2.85,
                "air_draught": 7.5, "tugs": 0, "crew": 4, "passengers": 0, "personnel": 255,
                "convoy_bow": 0.0, "convoy_stern": 110.5, "convoy_port": 0.0,
                "convoy_starboard": 0.5}),
            serde_json::json!({"class": "PIWWSSD", "eni": "02326789", "eri_type": 8010,
                "length": 110.0, "beam": 11.4, "speed_q": 1, "course_q": 0, "heading_q": 1,
                "internal_gnss_b": 52.0, "internal_gnss_c": 5.7}),
        ]
    );
}
