//! Formatting of navigational values for display: degrees and minutes,
//! bearings, ranges, ages, and "missing" for what was never received.

use crate::traffic::target::{Stamped, Target, TargetKind};

pub const MISSING: &str = "missing";

/// 54°30.000'N
pub fn lat(v: f64) -> String {
    let h = if v >= 0.0 { 'N' } else { 'S' };
    let a = v.abs();
    format!("{:02}°{:06.3}'{h}", a.trunc() as u32, a.fract() * 60.0)
}

/// 011°00.000'E
pub fn lon(v: f64) -> String {
    let h = if v >= 0.0 { 'E' } else { 'W' };
    let a = v.abs();
    format!("{:03}°{:06.3}'{h}", a.trunc() as u32, a.fract() * 60.0)
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
    t.name().map_or_else(|| t.mmsi.to_string(), sanitize)
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
    } else if selected {
        "selected"
    } else if t.activation == crate::traffic::target::Activation::Activated {
        "active"
    } else {
        "sleeping"
    }
}
