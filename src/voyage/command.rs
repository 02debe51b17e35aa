//! The `encode` command from its options to sentences: each option's text
//! goes through the same validator the console's form uses, and a refusal
//! names the option it came from. `main` only parses the command line and
//! prints.

use super::fields::{self, FieldError, SafetyKind};
use super::messages::{EtaReport, ReferencePoint, SafetyMessage, StaticData, VoyageData};
use crate::ais::application::InlandLocation;
use std::fmt;

/// The sequential message identifier `encode` puts in ABM/BBM.
pub const ENCODE_SEQ_ID: u8 = 0;

/// Every sentence `encode` prints is within IEC 61162-1's 82 characters
/// (§5.3). The builders keep to it for every value the validators let
/// through; this check refuses, instead of printing, anything that does
/// not.
fn within_length(option: &'static str, lines: Vec<String>) -> Result<Vec<String>, OptionError> {
    for l in &lines {
        if crate::nmea::check_length(l).is_err() {
            return Err(OptionError {
                option,
                error: FieldError::Format {
                    found: l.clone(),
                    expected: "a sentence within the 82 characters IEC 61162-1 allows",
                },
            });
        }
    }
    Ok(lines)
}

/// An option whose value was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError {
    /// The option as typed on the command line, e.g. `--eta`.
    pub option: &'static str,
    pub error: FieldError,
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.option, self.error)
    }
}

impl std::error::Error for OptionError {}

fn check<T>(
    option: &'static str,
    value: &str,
    v: impl Fn(&str) -> Result<T, FieldError>,
) -> Result<T, OptionError> {
    v(value).map_err(|error| OptionError { option, error })
}

fn check_opt<T>(
    option: &'static str,
    value: Option<&str>,
    v: impl Fn(&str) -> Result<T, FieldError>,
) -> Result<Option<T>, OptionError> {
    value.map(|s| check(option, s, v)).transpose()
}

/// `encode eta` options, as typed.
#[derive(Debug, Clone, Default)]
pub struct EtaOptions {
    pub to: String,
    pub country: String,
    pub location: String,
    pub section: String,
    pub terminal: String,
    pub hectometre: String,
    pub eta: String,
    pub tugs: Option<String>,
    pub air_draught: Option<String>,
}

/// Validate `encode eta` against `now_ms` (the ETA must not be past).
pub fn eta_report(o: &EtaOptions, now_ms: i64) -> Result<EtaReport, OptionError> {
    Ok(EtaReport {
        to: check("--to", &o.to, fields::destination_mmsi)?,
        location: InlandLocation {
            country: check("--country", &o.country, fields::country_code)?,
            locode: check("--location", &o.location, fields::location_code)?,
            section: check("--section", &o.section, fields::fairway_section)?,
            terminal: check("--terminal", &o.terminal, fields::terminal_code)?,
            hectometre: check("--hectometre", &o.hectometre, fields::fairway_hectometre)?,
        },
        eta: check("--eta", &o.eta, |s| fields::eta(s, now_ms))?,
        tugs: check("--tugs", o.tugs.as_deref().unwrap_or(""), fields::tugs)?,
        air_draught: check(
            "--air-draught",
            o.air_draught.as_deref().unwrap_or(""),
            fields::air_draught,
        )?,
    })
}

/// `encode eta`: the ABM sentence(s).
pub fn eta(o: &EtaOptions, now_ms: i64) -> Result<Vec<String>, OptionError> {
    let r = eta_report(o, now_ms)?;
    // FI 21 is always encodable; a failure here would be a bug, reported
    // rather than panicking.
    let lines = r.sentences(ENCODE_SEQ_ID).map_err(|e| OptionError {
        option: "eta",
        error: FieldError::Format {
            found: e.to_string(),
            expected: "an encodable ETA report",
        },
    })?;
    within_length("eta", lines)
}

/// Validate `encode safety`.
pub fn safety_message(to: Option<&str>, text: &str) -> Result<SafetyMessage, OptionError> {
    let to = check_opt("--to", to, fields::destination_mmsi)?;
    let kind = if to.is_some() {
        SafetyKind::Addressed
    } else {
        SafetyKind::Broadcast
    };
    let text = check("--text", text, |s| fields::safety_text(s, kind))?;
    Ok(SafetyMessage { to, text })
}

/// `encode safety`: ABM (message 12) with `--to`, BBM (message 14) without.
pub fn safety(to: Option<&str>, text: &str) -> Result<Vec<String>, OptionError> {
    within_length("--text", safety_message(to, text)?.sentences(ENCODE_SEQ_ID))
}

/// `encode vsd` options, as typed; absent = unchanged.
#[derive(Debug, Clone, Default)]
pub struct VsdOptions {
    pub status: Option<String>,
    pub destination: Option<String>,
    pub eta: Option<String>,
    pub draught: Option<String>,
    pub persons: Option<String>,
    pub ship_type: Option<String>,
}

/// Validate `encode vsd`. A sentence that changes nothing is refused, as
/// the form refuses an empty page.
pub fn voyage_data(o: &VsdOptions, now_ms: i64) -> Result<VoyageData, OptionError> {
    let given = [
        &o.status,
        &o.destination,
        &o.eta,
        &o.draught,
        &o.persons,
        &o.ship_type,
    ];
    if given.iter().all(|v| v.is_none()) {
        return Err(OptionError {
            option: "options",
            error: FieldError::Empty {
                expected: "nothing to send; give at least one of --status, --destination, \
                           --eta, --draught, --persons, --ship-type",
            },
        });
    }
    Ok(VoyageData {
        nav_status: check_opt("--status", o.status.as_deref(), fields::nav_status)?,
        destination: check_opt(
            "--destination",
            o.destination.as_deref(),
            fields::destination,
        )?,
        eta: check_opt("--eta", o.eta.as_deref(), |s| fields::eta(s, now_ms))?,
        draught: check_opt("--draught", o.draught.as_deref(), fields::draught)?,
        persons: check_opt("--persons", o.persons.as_deref(), fields::persons)?,
        ship_type: check_opt("--ship-type", o.ship_type.as_deref(), fields::ship_type)?,
    })
}

/// `encode vsd`: one VSD sentence.
pub fn vsd(o: &VsdOptions, now_ms: i64) -> Result<Vec<String>, OptionError> {
    within_length("options", vec![voyage_data(o, now_ms)?.sentence()])
}

/// `encode ssd` options, as typed; absent = unchanged. The four distances
/// go together.
#[derive(Debug, Clone, Default)]
pub struct SsdOptions {
    pub callsign: Option<String>,
    pub name: Option<String>,
    pub a: Option<String>,
    pub b: Option<String>,
    pub c: Option<String>,
    pub d: Option<String>,
}

/// Validate `encode ssd`. A sentence that changes nothing is refused.
pub fn static_data(o: &SsdOptions) -> Result<StaticData, OptionError> {
    let given = [&o.callsign, &o.name, &o.a, &o.b, &o.c, &o.d];
    if given.iter().all(|v| v.is_none()) {
        return Err(OptionError {
            option: "options",
            error: FieldError::Empty {
                expected: "nothing to send; give at least one of --callsign, --name, \
                           --a --b --c --d",
            },
        });
    }
    let callsign = check_opt("--callsign", o.callsign.as_deref(), fields::callsign)?;
    let name = check_opt("--name", o.name.as_deref(), fields::ship_name)?;
    let a = check_opt("--a", o.a.as_deref(), fields::antenna_a)?;
    let b = check_opt("--b", o.b.as_deref(), fields::antenna_b)?;
    let c = check_opt("--c", o.c.as_deref(), fields::antenna_c)?;
    let d = check_opt("--d", o.d.as_deref(), fields::antenna_d)?;
    let reference = match (a, b, c, d) {
        (Some(a), Some(b), Some(c), Some(d)) => Some(ReferencePoint { a, b, c, d }),
        (None, None, None, None) => None,
        _ => {
            let missing = [("--a", a.is_none()), ("--b", b.is_none())]
                .into_iter()
                .chain([("--c", c.is_none()), ("--d", d.is_none())])
                .find(|(_, m)| *m)
                .map_or("--a", |(o, _)| o);
            return Err(OptionError {
                option: missing,
                error: FieldError::Empty {
                    expected: "--a, --b, --c and --d go together (metres from the reference point to bow, stern, port and starboard)",
                },
            });
        }
    };
    Ok(StaticData {
        callsign,
        name,
        reference,
    })
}

/// `encode ssd`: one SSD sentence.
pub fn ssd(o: &SsdOptions) -> Result<Vec<String>, OptionError> {
    within_length("options", vec![static_data(o)?.sentence()])
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_348_800_000;

    fn eta_options() -> EtaOptions {
        EtaOptions {
            to: "211999999".into(),
            country: "NL".into(),
            location: "RTM".into(),
            section: "00001".into(),
            terminal: "00000".into(),
            hectometre: "00123".into(),
            eta: "2026-11-22T14:30Z".into(),
            tugs: None,
            air_draught: None,
        }
    }

    #[test]
    fn each_option_is_named_when_refused() {
        type Spoil = fn(&mut EtaOptions);
        let cases: [(&str, Spoil); 9] = [
            ("--to", |o| o.to = "970123456".into()),
            ("--country", |o| o.country = "N".into()),
            ("--location", |o| o.location = "RTMM".into()),
            ("--section", |o| o.section = "1".into()),
            ("--terminal", |o| o.terminal = "0000-".into()),
            ("--hectometre", |o| o.hectometre = "A0123".into()),
            ("--eta", |o| o.eta = "2026-11-21T14:30Z".into()),
            ("--tugs", |o| o.tugs = Some("7".into())),
            ("--air-draught", |o| o.air_draught = Some("41".into())),
        ];
        for (option, spoil) in cases {
            let mut o = eta_options();
            spoil(&mut o);
            let e = eta(&o, NOW).unwrap_err();
            assert_eq!(e.option, option);
            assert!(e.to_string().starts_with(option), "{e}");
        }
        assert!(eta(&eta_options(), NOW).is_ok());
    }

    #[test]
    fn reference_point_goes_together() {
        let o = SsdOptions {
            a: Some("10".into()),
            b: Some("20".into()),
            d: Some("3".into()),
            ..SsdOptions::default()
        };
        assert_eq!(static_data(&o).unwrap_err().option, "--c");
        // A sentence that changes nothing is refused, as the form refuses it.
        assert_eq!(ssd(&SsdOptions::default()).unwrap_err().option, "options");
        assert_eq!(
            vsd(&VsdOptions::default(), NOW).unwrap_err().option,
            "options"
        );
    }

    #[test]
    fn safety_limit_depends_on_the_addressee() {
        let t = "X".repeat(160);
        assert_eq!(safety(Some("244123456"), &t).unwrap_err().option, "--text");
        assert!(safety(None, &t).is_ok());
    }
}
