//! Code tables of M.1371-5 and the Inland AIS standard as display texts.
//! The texts follow gpsd's JSON legends where gpsd is right, so `decode`
//! output is interchangeable with `gpsdecode`; where gpsd's legend
//! contradicts the standard we follow the standard (docs/gpsd-differences.md).

/// Navigational status (M.1371-5 table 45).
pub fn nav_status(status: u8) -> &'static str {
    match status {
        0 => "Under way using engine",
        1 => "At anchor",
        2 => "Not under command",
        3 => "Restricted maneuverability",
        4 => "Constrained by her draught",
        5 => "Moored",
        6 => "Aground",
        7 => "Engaged in fishing",
        8 => "Under way sailing",
        9 => "Reserved for HSC",
        10 => "Reserved for WIG",
        11 => "Power-driven vessel towing astern",
        12 => "Power-driven vessel pushing ahead or towing alongside",
        13 => "Reserved",
        14 => "AIS-SART is active",
        _ => "Not defined",
    }
}

/// Electronic position fixing device (M.1371-5 table 50).
pub fn epfd(epfd: u8) -> &'static str {
    match epfd {
        0 => "Undefined",
        1 => "GPS",
        2 => "GLONASS",
        3 => "Combined GPS/GLONASS",
        4 => "Loran-C",
        5 => "Chayka",
        6 => "Integrated navigation system",
        7 => "Surveyed",
        8 => "Galileo",
        9 => "Reserved (9)",
        10 => "Reserved (10)",
        11 => "Reserved (11)",
        12 => "Reserved (12)",
        13 => "Reserved (13)",
        14 => "Reserved (14)",
        _ => "Internal GNSS",
    }
}

/// Ship and cargo type (M.1371-5 table 53).
pub fn ship_type(t: u8) -> &'static str {
    match t {
        0 => "Not available",
        1..=19 => "Reserved for future use",
        20 => "Wing in ground (WIG) - all ships of this type",
        21 => "Wing in ground (WIG) - Hazardous category A",
        22 => "Wing in ground (WIG) - Hazardous category B",
        23 => "Wing in ground (WIG) - Hazardous category C",
        24 => "Wing in ground (WIG) - Hazardous category D",
        25..=29 => "Wing in ground (WIG) - Reserved for future use",
        30 => "Fishing",
        31 => "Towing",
        32 => "Towing: length exceeds 200m or breadth exceeds 25m",
        33 => "Dredging or underwater ops",
        34 => "Diving ops",
        35 => "Military ops",
        36 => "Sailing",
        37 => "Pleasure Craft",
        38 | 39 => "Reserved",
        40 => "High speed craft (HSC) - all ships of this type",
        41 => "High speed craft (HSC) - Hazardous category A",
        42 => "High speed craft (HSC) - Hazardous category B",
        43 => "High speed craft (HSC) - Hazardous category C",
        44 => "High speed craft (HSC) - Hazardous category D",
        45..=48 => "High speed craft (HSC) - Reserved for future use",
        49 => "High speed craft (HSC) - No additional information",
        50 => "Pilot Vessel",
        51 => "Search and Rescue vessel",
        52 => "Tug",
        53 => "Port Tender",
        54 => "Anti-pollution equipment",
        55 => "Law Enforcement",
        56 | 57 => "Spare - Local Vessel",
        58 => "Medical Transport",
        59 => "Ship according to RR Resolution No. 18",
        60 => "Passenger - all ships of this type",
        61 => "Passenger - Hazardous category A",
        62 => "Passenger - Hazardous category B",
        63 => "Passenger - Hazardous category C",
        64 => "Passenger - Hazardous category D",
        65..=68 => "Passenger - Reserved for future use",
        69 => "Passenger - No additional information",
        70 => "Cargo - all ships of this type",
        71 => "Cargo - Hazardous category A",
        72 => "Cargo - Hazardous category B",
        73 => "Cargo - Hazardous category C",
        74 => "Cargo - Hazardous category D",
        75..=78 => "Cargo - Reserved for future use",
        79 => "Cargo - No additional information",
        80 => "Tanker - all ships of this type",
        81 => "Tanker - Hazardous category A",
        82 => "Tanker - Hazardous category B",
        83 => "Tanker - Hazardous category C",
        84 => "Tanker - Hazardous category D",
        85..=88 => "Tanker - Reserved for future use",
        89 => "Tanker - No additional information",
        90 => "Other Type - all ships of this type",
        91 => "Other Type - Hazardous category A",
        92 => "Other Type - Hazardous category B",
        93 => "Other Type - Hazardous category C",
        94 => "Other Type - Hazardous category D",
        95..=98 => "Other Type - Reserved for future use",
        99 => "Other Type - no additional information",
        _ => "Reserved for future use",
    }
}

/// Type of aid to navigation (M.1371-5 table 71).
pub fn aid_type(t: u8) -> &'static str {
    const T: [&str; 32] = [
        "Unspecified",
        "Reference point",
        "RACON",
        "Fixed offshore structure",
        "Spare, Reserved for future use.",
        "Light, without sectors",
        "Light, with sectors",
        "Leading Light Front",
        "Leading Light Rear",
        "Beacon, Cardinal N",
        "Beacon, Cardinal E",
        "Beacon, Cardinal S",
        "Beacon, Cardinal W",
        "Beacon, Port hand",
        "Beacon, Starboard hand",
        "Beacon, Preferred Channel port hand",
        "Beacon, Preferred Channel starboard hand",
        "Beacon, Isolated danger",
        "Beacon, Safe water",
        "Beacon, Special mark",
        "Cardinal Mark N",
        "Cardinal Mark E",
        "Cardinal Mark S",
        "Cardinal Mark W",
        "Port hand Mark",
        "Starboard hand Mark",
        "Preferred Channel Port hand",
        "Preferred Channel Starboard hand",
        "Isolated danger",
        "Safe Water",
        "Special Mark",
        "Light Vessel / LANBY / Rigs",
    ];
    T[usize::from(t & 31)]
}

/// Station type of message 23 (M.1371-5 table 78).
pub fn station_type(t: u8) -> &'static str {
    match t {
        0 => "All types of mobiles",
        2 => "All types of Class B mobile stations",
        3 => "SAR airborne mobile station",
        4 => "Aid to Navigation station",
        5 => "Class B shipborne mobile station",
        6..=9 => "Regional use and inland waterways",
        _ => "Reserved for future use",
    }
}

/// ERI ship or convoy type of Inland AIS FI 10 (`eri-ship-types.tsv`, the
/// ERI code list of the Inland AIS standard annex E), with the M.1371 ship
/// type a message 5 should carry for it.
pub fn eri_ship_type(code: u16) -> Option<(&'static str, u8)> {
    ERI_SHIP_TYPES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, text, ais)| (*text, *ais))
}

/// The ERI table, loaded at compile time from the asset copied from
/// `../shared/spec/eri-ship-types.tsv`.
static ERI_SHIP_TYPES: &[(u16, &str, u8)] =
    &include!(concat!(env!("OUT_DIR"), "/eri_ship_types.rs"));

/// Inland hazardous cargo (blue cones), FI 10.
pub fn hazard(h: u8) -> &'static str {
    match h {
        0 => "0 blue cones/lights",
        1 => "1 blue cone/light",
        2 => "2 blue cones/lights",
        3 => "3 blue cones/lights",
        4 => "4 B-Flag",
        5 => "Unknown",
        _ => "INVALID HAZARD TYPE",
    }
}

/// Inland loaded/unloaded, FI 10 (table 2.7: 1 = loaded, 2 = unloaded).
pub fn loaded(l: u8) -> &'static str {
    match l {
        0 => "N/A (default)",
        1 => "Loaded",
        2 => "Unloaded",
        _ => "INVALID LOAD STATUS",
    }
}

/// `gpsdecode`'s legend for the FI 10 load status, for `--gpsd-compat`:
/// gpsd swaps 1 and 2 (docs/gpsd-differences.md). Never shown to an officer.
pub fn gpsd_loaded(l: u8) -> &'static str {
    match l {
        1 => "Unloaded",
        2 => "Loaded",
        other => loaded(other),
    }
}

/// `gpsdecode`'s legend for the FI 10 ship/combination type, for
/// `--gpsd-compat`. gpsd knows only the ERI codes 8000–8370, accepts their
/// M.1371 ship type digits in the same field (the first code with those
/// digits wins), calls everything else "Illegal ship type value.", spells
/// two names its own way and gives 8170 the digits 99 where the ERI list
/// has 89.
pub fn gpsd_inland_ship_type(code: u16) -> &'static str {
    const GPSD_LAST: u16 = 8370;
    let known = ERI_SHIP_TYPES
        .iter()
        .filter(|(c, _, _)| *c <= GPSD_LAST && *c >= 8000);
    let digits = |c: u16, ais: u8| if c == 8170 { 99 } else { u16::from(ais) };
    let hit = known
        .clone()
        .find(|(c, _, _)| *c == code)
        .or_else(|| known.clone().find(|(c, _, ais)| digits(*c, *ais) == code));
    match hit {
        Some((8280, _, _)) => "Pushtow, eigth cargo barges",
        Some((8370, _, _)) => "Pushtow, seven barges at least one tanker or gas barg",
        Some((_, text, _)) => text,
        None => "Illegal ship type value.",
    }
}

/// Lock/bridge/terminal status of FI 22.
pub fn rta_status(s: u8) -> &'static str {
    match s {
        0 => "Operational",
        1 => "Limited operation",
        2 => "Out of order",
        _ => "N/A",
    }
}

/// GLA AtoN RACON status.
pub fn racon(r: u8) -> &'static str {
    [
        "No RACON installed",
        "RACON not monitored",
        "RACON operational",
        "RACON ERROR",
    ][usize::from(r & 3)]
}

/// GLA AtoN light status.
pub fn light(l: u8) -> &'static str {
    [
        "No light or no monitoring",
        "Light ON",
        "Light OFF",
        "Light ERROR",
    ][usize::from(l & 3)]
}

/// Met/hydro trend.
pub fn trend(t: u8) -> &'static str {
    ["steady", "increasing", "decreasing", "N/A"][usize::from(t & 3)]
}

/// Met/hydro precipitation type (WMO 306 code table 4.201).
pub fn precip(t: u8) -> &'static str {
    [
        "reserved",
        "rain",
        "thunderstorm",
        "freezing rain",
        "mixed/ice",
        "snow",
        "reserved",
        "N/A",
    ][usize::from(t & 7)]
}

/// Met/hydro ice.
pub fn ice(t: u8) -> &'static str {
    ["no", "yes", "reserved", "N/A"][usize::from(t & 3)]
}

/// EMMA weather type (table 2.12).
pub fn emma_type(t: u8) -> &'static str {
    match t {
        0 => "Not Available",
        1 => "Wind",
        2 => "Rain",
        3 => "Snow and ice",
        4 => "Thunderstorm",
        5 => "Fog",
        6 => "Low temperature",
        7 => "High temperature",
        8 => "Flood",
        9 => "Forest Fire",
        _ => "INVALID EMMA TYPE",
    }
}

/// EMMA classification (table 2.13).
pub fn emma_class(c: u8) -> &'static str {
    ["Not Available", "Slight", "Medium", "Strong"][usize::from(c & 3)]
}

/// EMMA wind direction (table 2.14).
pub fn emma_wind(w: u8) -> &'static str {
    match w {
        0 => "N/A",
        1 => "North",
        2 => "North East",
        3 => "East",
        4 => "South East",
        5 => "South",
        6 => "South West",
        7 => "West",
        8 => "North West",
        _ => "INVALID EMMA WIND DIRECTION",
    }
}

/// FI 40 direction of impact.
pub fn signal_direction(d: u8) -> &'static str {
    match d {
        0 => "Unknown",
        1 => "Upstream",
        2 => "Downstream",
        3 => "To left bank",
        4 => "To right bank",
        _ => "INVALID DIRECTION",
    }
}

/// FI 40 light status colour codes (Inland AIS annex C).
pub fn light_colour(c: u8) -> &'static str {
    match c {
        0 => "Unknown",
        1 => "No light",
        2 => "White",
        3 => "Yellow",
        4 => "Green",
        5 => "Red",
        6 => "White flashing",
        7 => "Yellow flashing",
        _ => "INVALID STATUS",
    }
}

/// FI 40 light status in words: the nine decimal digits are the colours of
/// lights 1–9 from the left (100000000 = colour 1 at light 1), listed up to
/// the last light that has one, e.g. `"1: Red, 2: Unknown, 3: Green"`.
/// 0 is "Unknown"; beyond 777777777 or with a digit 8/9, "INVALID STATUS".
pub fn signal_lights(status: u32) -> String {
    if status == 0 {
        return light_colour(0).to_owned();
    }
    if status > 777_777_777 {
        return "INVALID STATUS".to_owned();
    }
    let digits: Vec<u8> = (0..9)
        .map(|i| ((status / 10u32.pow(8 - i)) % 10) as u8)
        .collect();
    if digits.iter().any(|&d| d > 7) {
        return "INVALID STATUS".to_owned();
    }
    let last = digits.iter().rposition(|&d| d != 0).unwrap_or(0);
    digits[..=last]
        .iter()
        .enumerate()
        .map(|(i, &d)| format!("{}: {}", i + 1, light_colour(d)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `gpsdecode`'s FI 40 `status_text`, for `--gpsd-compat`: gpsd looks the
/// whole nine-digit status up as one colour, so every real status is
/// "INVALID STATUS".
pub fn gpsd_signal_status(status: u32) -> &'static str {
    match status {
        7 => "Yellow flashing.",
        0..=6 => light_colour(status as u8),
        _ => "INVALID STATUS",
    }
}

/// `gpsdecode`'s FI 23 `class_text`, for `--gpsd-compat`: gpsd's legend
/// starts at "Slight" for 0, one step below table 2.13 (1 = slight).
pub fn gpsd_emma_class(c: u8) -> &'static str {
    match c {
        0 => "Slight",
        1 => "Medium",
        2 => "Strong",
        _ => "INVALID EMMA TYPE",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_lights_read_digit_by_digit() {
        assert_eq!(signal_lights(0), "Unknown");
        assert_eq!(signal_lights(500_000_000), "1: Red");
        assert_eq!(signal_lights(504_000_000), "1: Red, 2: Unknown, 3: Green");
        assert_eq!(
            signal_lights(777_777_777)
                .matches("Yellow flashing")
                .count(),
            9
        );
        let mut nine = (1..=8)
            .map(|i| format!("{i}: Unknown, "))
            .collect::<String>();
        nine.push_str("9: Yellow flashing");
        assert_eq!(signal_lights(7), nine);
        assert_eq!(signal_lights(180_000_000), "INVALID STATUS");
        assert_eq!(signal_lights(800_000_000), "INVALID STATUS");
        assert_eq!(gpsd_signal_status(500_000_000), "INVALID STATUS");
        assert_eq!(gpsd_signal_status(5), "Red");
    }

    #[test]
    fn gpsd_compat_legends() {
        assert_eq!(gpsd_loaded(1), "Unloaded");
        assert_eq!(gpsd_loaded(2), "Loaded");
        assert_eq!(gpsd_loaded(0), loaded(0));
        assert_eq!(gpsd_inland_ship_type(8010), "Motor freighter");
        assert_eq!(gpsd_inland_ship_type(79), "Motor freighter");
        assert_eq!(gpsd_inland_ship_type(31), "Tug freighter, coupled");
        assert_eq!(gpsd_inland_ship_type(99), "Vessel, type unknown");
        assert_eq!(gpsd_inland_ship_type(8170), "Freightbarge with containers");
        assert_eq!(gpsd_inland_ship_type(8400), "Illegal ship type value.");
        assert_eq!(gpsd_inland_ship_type(1500), "Illegal ship type value.");
        assert_eq!(gpsd_inland_ship_type(0), "Illegal ship type value.");
        assert_eq!(gpsd_emma_class(2), "Strong");
        assert_eq!(emma_class(2), "Medium");
    }

    #[test]
    fn eri_table_is_loaded() {
        assert_eq!(eri_ship_type(8010), Some(("Motor freighter", 79)));
        assert_eq!(eri_ship_type(8400), Some(("Tug, single", 52)));
        assert_eq!(eri_ship_type(1234), None);
        assert!(ERI_SHIP_TYPES.len() > 60);
    }
}
