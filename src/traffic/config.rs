//! Settings of the traffic picture, read from the `[own_ship]`, `[alarms]`
//! and `[lost]` tables of the config file. Every key has a default;
//! unknown keys are rejected so a typo never silently disables an alarm.
//! `config.example.toml` documents every key.

use serde::Deserialize;

/// Own ship settings.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct OwnShipConfig {
    /// Own MMSI: our own VDM echoes are not targets; VDO is ours. A ship
    /// station's number (nine digits, MID 201–775); 0 means not set.
    #[serde(deserialize_with = "mmsi_or_unset")]
    pub mmsi: Option<u32>,
    /// A VDM carrying own MMSI from a position farther than this (NM) from
    /// own position is another station: shown as a target, with a warning.
    pub own_mmsi_clash_nm: f64,
    /// Seconds without a position before the own-position-lost alarm.
    pub own_position_timeout_s: f64,
    /// The link to the transponder (`serial:…` or `tcp:…`): where messages
    /// are written. None: the only serial input, if there is one.
    pub transponder: Option<String>,
    /// Seconds to wait for the transponder's ABK (5–600).
    pub abk_timeout_s: f64,
}

impl Default for OwnShipConfig {
    fn default() -> Self {
        OwnShipConfig {
            mmsi: None,
            own_mmsi_clash_nm: 1.0,
            own_position_timeout_s: 10.0,
            transponder: None,
            abk_timeout_s: 60.0,
        }
    }
}

/// `mmsi = 0` is "not set", as a transponder reports an unknown MMSI.
fn mmsi_or_unset<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let v = Option::<u32>::deserialize(d)?;
    Ok(v.filter(|&m| m != 0))
}

/// Why `mmsi` cannot be own ship's: a ship station's MMSI is nine digits,
/// its first three the MID (Maritime Identification Digits) 201–775
/// (ITU-R M.585 §1). Numbers of other kinds are refused: 00… coast and
/// base stations, 0… groups, 111… SAR aircraft, 8… handhelds, 970…/972…/
/// 974… AIS-SART, MOB and EPIRB-AIS, 98… craft associated with a parent
/// ship, 99… aids to navigation.
pub fn ship_station_problem(mmsi: u32) -> Option<String> {
    let mid = mmsi / 1_000_000;
    if !(100_000_000..=999_999_999).contains(&mmsi) {
        return Some(format!(
            "{mmsi} is not a ship station's MMSI: nine digits, starting with the country's MID 201 to 775 (ITU-R M.585)"
        ));
    }
    if !(201..=775).contains(&mid) {
        let what = match mmsi / 10_000_000 {
            97 => "an AIS-SART, MOB or EPIRB-AIS number",
            98 => "a craft associated with a parent ship",
            99 => "an aid to navigation",
            11 => "a SAR aircraft",
            80..=89 => "a handheld VHF",
            _ => "not a ship station's MMSI",
        };
        return Some(format!(
            "{mmsi:09} is {what}: own ship's MMSI starts with the country's MID 201 to 775 (ITU-R M.585)"
        ));
    }
    None
}

/// CPA/TCPA and alarm settings.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AlarmConfig {
    /// A target is dangerous when CPA is below this…
    pub cpa_limit_nm: f64,
    /// …and TCPA is between 0 and this.
    pub tcpa_limit_min: f64,
    /// A dangerous target stays dangerous while its CPA is within the limit
    /// plus a band: at least this much, …
    pub cpa_hysteresis_nm: f64,
    /// …at least this share of the limit (CPA and TCPA alike), …
    pub hysteresis_share: f64,
    /// …and at least this share of the target's range (NM of band per NM
    /// of range): the CPA of a distant target swings more with the same
    /// COG noise (about range × sin 2° for 2° of course error).
    pub cpa_hysteresis_range_share: f64,
    /// The TCPA band above `tcpa_limit_min`: at least this many minutes
    /// (and at least `hysteresis_share` of the limit).
    pub tcpa_hysteresis_min: f64,
    /// A dangerous target is rectified only after it has stayed outside the
    /// band (or past its CPA) this long, in seconds of data time.
    pub rectify_dwell_s: f64,
    /// An acknowledged dangerous-target alarm that rectifies and returns
    /// within this many seconds comes back acknowledged, unless its CPA got
    /// materially worse (0 = every return alarms again).
    pub ack_hold_s: f64,
    /// A caution (a target activated by range) is shown this many seconds,
    /// or until acknowledged.
    pub caution_display_s: f64,
    /// Targets inside this range are activated automatically (0 = off).
    pub activation_range_nm: f64,
    /// CPA alarms for sleeping targets too. On by default: A.1106 §30, a
    /// target is dangerous "activated or not". Off is flagged on screen.
    pub sleeping_targets: bool,
    /// Dangerous-target alarms on.
    pub dangerous: bool,
    /// Lost-target alarms on.
    pub lost: bool,
    /// A lost target raises its alarm only when it was closer than this at
    /// the moment it was lost (A.1106 §30: "at a distance of less than a
    /// preset value"), measured from its dead-reckoned position. Distress
    /// targets, and any target while own position is unknown, always alarm.
    /// Must be more than 0; `lost = false` switches the alarm off.
    #[serde(deserialize_with = "positive_range")]
    pub lost_alarm_range_nm: f64,
    /// No CPA alarm from targets moored, at anchor or aground (nav status
    /// 1, 5, 6) moving slower than `moored_max_sog_kn`. Off by default: an
    /// anchored ship in the fairway is a collision risk, and A.1106 §30
    /// defines a dangerous target by CPA/TCPA alone. When on, it is flagged
    /// on screen as an alarm switched off.
    pub suppress_moored: bool,
    pub moored_max_sog_kn: f64,
    /// No CPA alarms while own ship is slower than this (alongside);
    /// 0 = never suppress.
    pub own_alongside_max_sog_kn: f64,
    /// The harbour rule (docs/alerts.md): own ship and a target both
    /// slower than this (kn) are a still pair, and their CPA/TCPA, made
    /// of GNSS speed noise, raise no alarm unless the positions show the
    /// pair closing. 0 = the rule is off (every pair judged by CPA/TCPA).
    pub still_sog_kn: f64,
    /// A still pair is closing when its smoothed range has come down by
    /// more than this (metres) from its long-term average: then CPA/TCPA
    /// judge it as any other target.
    pub still_closing_m: f64,
}

impl Default for AlarmConfig {
    fn default() -> Self {
        AlarmConfig {
            cpa_limit_nm: 2.0,
            tcpa_limit_min: 12.0,
            cpa_hysteresis_nm: 0.1,
            hysteresis_share: 0.1,
            cpa_hysteresis_range_share: 0.035,
            tcpa_hysteresis_min: 0.5,
            rectify_dwell_s: 30.0,
            ack_hold_s: 300.0,
            caution_display_s: 60.0,
            activation_range_nm: 6.0,
            sleeping_targets: true,
            dangerous: true,
            lost: true,
            lost_alarm_range_nm: 12.0,
            suppress_moored: false,
            moored_max_sog_kn: 0.5,
            own_alongside_max_sog_kn: 0.0,
            still_sog_kn: STILL_SOG_KN,
            still_closing_m: 30.0,
        }
    }
}

/// The harbour rule's default speed (kn): above the SOG noise of a GNSS
/// receiver at rest (0.1–0.3 kn) and of a moored ship's AIS report, below
/// the 0.5 kn an anchor drags at or a ship moves off a berth with.
pub const STILL_SOG_KN: f64 = 0.5;

impl AlarmConfig {
    /// The harbour rule hides more than speed noise: its speed is set
    /// above the default (flagged on screen as an alarm switched off).
    pub fn still_widened(&self) -> bool {
        self.still_sog_kn > STILL_SOG_KN
    }

    /// The CPA hysteresis band (NM) of a target at `range_nm`: the largest
    /// of the minimum, the share of the limit and the share of the range.
    pub fn cpa_band_nm(&self, range_nm: f64) -> f64 {
        let by_range = if range_nm.is_finite() {
            self.cpa_hysteresis_range_share * range_nm
        } else {
            0.0
        };
        self.cpa_hysteresis_nm
            .max(self.hysteresis_share * self.cpa_limit_nm)
            .max(by_range)
    }

    /// The TCPA hysteresis band (minutes).
    pub fn tcpa_band_min(&self) -> f64 {
        self.tcpa_hysteresis_min
            .max(self.hysteresis_share * self.tcpa_limit_min)
    }
}

/// A range in NM that must be a finite number above 0: a 0 that silently
/// meant "never alarm" would hide an alarm.
fn positive_range<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = f64::deserialize(d)?;
    if v.is_finite() && v > 0.0 {
        Ok(v)
    } else {
        Err(serde::de::Error::custom(format!(
            "lost_alarm_range_nm must be more than 0 NM (got {v}); \
             to switch lost-target alarms off, set lost = false"
        )))
    }
}

/// The lost-target table (PRODUCT.md, after type-approved equipment), in
/// seconds without a report, and the removal time.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LostConfig {
    /// Class A at anchor or moored, ≤ 3 kn.
    pub class_a_moored_s: f64,
    /// Class A 0–14 kn (or moored and > 3 kn).
    pub class_a_slow_s: f64,
    /// Class A 14–23 kn.
    pub class_a_fast_s: f64,
    /// Class A > 23 kn.
    pub class_a_very_fast_s: f64,
    /// Class B SOTDMA ≤ 2 / 2–14 / 14–23 / > 23 kn.
    pub class_b_so_s: [f64; 4],
    /// Class B CS ≤ 2 / > 2 kn.
    pub class_b_cs_s: [f64; 2],
    /// SAR aircraft and base stations.
    pub sar_base_s: f64,
    /// AtoN, AIS-SART, MOB, EPIRB.
    pub aton_sart_s: f64,
    /// A lost target is removed this long after it was declared lost.
    pub remove_after_s: f64,
}

impl Default for LostConfig {
    fn default() -> Self {
        LostConfig {
            class_a_moored_s: 1080.0,
            class_a_slow_s: 60.0,
            class_a_fast_s: 36.0,
            class_a_very_fast_s: 30.0,
            class_b_so_s: [1080.0, 180.0, 90.0, 30.0],
            class_b_cs_s: [1080.0, 180.0],
            sar_base_s: 60.0,
            aton_sart_s: 1080.0,
            remove_after_s: 600.0,
        }
    }
}

/// The traffic part of the configuration.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct TrafficConfig {
    pub own_ship: OwnShipConfig,
    pub alarms: AlarmConfig,
    pub lost: LostConfig,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_rejected() {
        let e = toml::from_str::<TrafficConfig>("[alarms]\ncpa_limt_nm = 1.0\n").unwrap_err();
        assert!(e.to_string().contains("cpa_limt_nm"), "{e}");
    }

    #[test]
    fn defaults_and_overrides() {
        let c: TrafficConfig =
            toml::from_str("[own_ship]\nmmsi = 244123456\n[alarms]\ncpa_limit_nm = 1.5\n").unwrap();
        assert_eq!(c.own_ship.mmsi, Some(244123456));
        assert_eq!(c.alarms.cpa_limit_nm, 1.5);
        assert_eq!(c.alarms.tcpa_limit_min, 12.0);
        assert_eq!(c.lost.class_a_slow_s, 60.0);
    }

    #[test]
    fn lost_alarm_range_must_be_positive() {
        for bad in ["0", "0.0", "-3.0", "nan", "inf"] {
            let e = toml::from_str::<TrafficConfig>(&format!(
                "[alarms]\nlost_alarm_range_nm = {bad}\n"
            ))
            .unwrap_err();
            assert!(e.to_string().contains("lost = false"), "{bad}: {e}");
        }
        let c: TrafficConfig = toml::from_str("[alarms]\nlost_alarm_range_nm = 6\n").unwrap();
        assert_eq!(c.alarms.lost_alarm_range_nm, 6.0);
    }

    #[test]
    fn hysteresis_band_scales_with_limit_and_range() {
        let c = AlarmConfig::default();
        // 2 NM limit: 10 % is 0.2 NM, more than the 0.1 NM minimum; at
        // 10 NM the range share (0.35 NM) is the largest.
        assert!((c.cpa_band_nm(1.0) - 0.2).abs() < 1e-9);
        assert!((c.cpa_band_nm(10.0) - 0.35).abs() < 1e-9);
        assert!((c.cpa_band_nm(f64::NAN) - 0.2).abs() < 1e-9);
        // 12 min limit: 1.2 min.
        assert!((c.tcpa_band_min() - 1.2).abs() < 1e-9);
        let small = AlarmConfig {
            cpa_limit_nm: 0.5,
            tcpa_limit_min: 3.0,
            ..AlarmConfig::default()
        };
        assert!((small.cpa_band_nm(0.5) - 0.1).abs() < 1e-9);
        assert!((small.tcpa_band_min() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn safe_defaults_at_sea() {
        let c = AlarmConfig::default();
        assert!(c.dangerous && c.lost);
        assert!(!c.suppress_moored, "an anchored ship in the fairway alarms");
        assert!(c.sleeping_targets, "dangerous activated or not");
        assert_eq!(c.own_alongside_max_sog_kn, 0.0);
    }

    #[test]
    fn example_config_shows_the_defaults() {
        let text = include_str!("../../config.example.toml");
        let mut v: toml::Table = toml::from_str(text).expect("config.example.toml is valid");
        v.retain(|k, _| matches!(k, "own_ship" | "alarms" | "lost"));
        let c: TrafficConfig = v.try_into().expect("traffic tables are valid");
        assert_eq!(c, TrafficConfig::default());
    }
}
