//! Formatting of navigational values for display: degrees and minutes,
//! bearings, ranges, ages, and "missing" for what was never received.

use crate::traffic::target::{Heard, Stamped, Target, TargetKind};

pub const MISSING: &str = "missing";

/// Degrees and minutes to thousandths of a minute, rounded before the
/// split so 59.9996′ carries into the next degree (never `54°60.000'`).
fn deg_min(v: f64, width: usize, pos: char, neg: char) -> String {
    if !v.is_finite() {
        return MISSING.to_string();
    }
    let milli_min = (v.abs() * 60_000.0).round() as u64;
    let h = if v < 0.0 && milli_min != 0 { neg } else { pos };
    let deg = milli_min / 60_000;
    let rest = milli_min % 60_000;
    format!("{deg:0width$}°{:02}.{:03}'{h}", rest / 1000, rest % 1000)
}

/// 54°30.000'N
pub fn lat(v: f64) -> String {
    deg_min(v, 2, 'N', 'S')
}

/// 011°00.000'E
pub fn lon(v: f64) -> String {
    deg_min(v, 3, 'E', 'W')
}

/// A bearing or course, degrees true to a tenth, three digits: "047.3".
/// Rounded before printing and folded into 0–360, so 359.96° reads
/// "000.0", never "360.0".
pub fn bearing(v: f64) -> String {
    if !v.is_finite() {
        return MISSING.to_string();
    }
    let tenths = ((v * 10.0).round() as i64).rem_euclid(3600);
    format!("{:03}.{}", tenths / 10, tenths % 10)
}

/// A heading to whole degrees, three digits: "090"; 359.6° reads "000".
pub fn heading(v: f64) -> String {
    if !v.is_finite() {
        return MISSING.to_string();
    }
    format!("{:03}", (v.round() as i64).rem_euclid(360))
}

/// Age of a stamped value at `now_ms`: "4 s", "3 min", "2 h".
pub fn age(at_ms: i64, now_ms: i64) -> String {
    let s = ((now_ms - at_ms) / 1000).max(0);
    if s < 120 {
        format!("{s} s")
    } else if s < 7200 {
        format!("{} min", s / 60)
    } else {
        format!("{} h", s / 3600)
    }
}

/// A value with its age, or "missing".
pub fn stamped<T>(
    v: &Option<Stamped<T>>,
    now_ms: i64,
    f: impl Fn(&T) -> String,
) -> (String, String) {
    match v {
        Some(s) => (f(&s.value), age(s.at_ms, now_ms)),
        None => (MISSING.to_string(), String::new()),
    }
}

/// Name, or the MMSI when unnamed (A.1106 §29).
pub fn name(t: &Target) -> String {
    t.name_or_mmsi()
}

/// Strip control characters from text received over the air.
pub fn sanitize(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

/// Short kind label for lists.
pub fn kind(t: &Target) -> &'static str {
    match t.kind {
        TargetKind::AidToNavigation {
            virtual_aid: true, ..
        } => "vAtoN",
        k => k.label(),
    }
}

/// The class with how it reaches us, for the list's five columns: `A`
/// by radio, `A·IP` through AI-IP only, `A+IP` both.
pub fn kind_via(t: &Target) -> String {
    let k = kind(t);
    match t.heard() {
        Heard::Radio => k.to_string(),
        Heard::Aiip if k.chars().count() <= 2 => format!("{k}·IP"),
        Heard::Both if k.chars().count() <= 2 => format!("{k}+IP"),
        // Longer class names (AtoN, SART …) keep their name; the
        // selected-target window says the source in words.
        _ => k.to_string(),
    }
}

/// Where a target's data comes from, in words.
pub fn heard(t: &Target) -> &'static str {
    match t.heard() {
        Heard::Radio => "AIS (radio)",
        Heard::Aiip => "AI-IP server",
        Heard::Both => "AIS (radio) and AI-IP server",
    }
}

/// A.1106 state word, for colour-blind-safe marking.
pub fn state(t: &Target, selected: bool) -> &'static str {
    if t.lost_since_ms.is_some() {
        "LOST"
    } else if t.is_test_transmission() {
        "TEST"
    } else if t.is_distress_alert() {
        "SART"
    } else if t.dangerous {
        "DANGER"
    } else if t.still.is_some_and(|s| s.holding) {
        // Inside the CPA/TCPA limits, held by the harbour rule: both
        // ships still (docs/alerts.md).
        "still"
    } else if selected {
        "selected"
    } else if t.activation == crate::traffic::target::Activation::Activated {
        "active"
    } else {
        "sleeping"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_before_they_carry() {
        assert_eq!(lat(54.5), "54°30.000'N");
        assert_eq!(lon(11.0), "011°00.000'E");
        // 54°59.99995' rounds to the next degree, not 54°60.000'.
        assert_eq!(lat(54.0 + 59.99995 / 60.0), "55°00.000'N");
        assert_eq!(lat(54.0 + 59.9994 / 60.0), "54°59.999'N");
        assert_eq!(lon(-(179.0 + 59.9996 / 60.0)), "180°00.000'W");
        assert_eq!(lat(-(12.0 + 0.0004 / 60.0)), "12°00.000'S");
        assert_eq!(lat(-(12.0 + 0.0006 / 60.0)), "12°00.001'S");
        // A value that rounds to zero has no hemisphere to be south of.
        assert_eq!(lat(-1e-9), "00°00.000'N");
        assert_eq!(lat(-90.0), "90°00.000'S");
    }

    #[test]
    fn bearings_fold_360_to_000() {
        assert_eq!(bearing(47.34), "047.3");
        assert_eq!(bearing(47.35 + 1e-9), "047.4");
        assert_eq!(bearing(359.94), "359.9");
        assert_eq!(bearing(359.96), "000.0");
        assert_eq!(bearing(360.0), "000.0");
        assert_eq!(bearing(0.0), "000.0");
        assert_eq!(bearing(-0.04), "000.0");
        assert_eq!(bearing(-0.06), "359.9");
        assert_eq!(bearing(f64::NAN), MISSING);
        assert_eq!(heading(359.4), "359");
        assert_eq!(heading(359.6), "000");
        assert_eq!(heading(89.5), "090");
    }
}
