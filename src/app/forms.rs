//! The console's forms: ETA report, safety-related message, voyage data
//! (VSD), station data (SSD) and the inland voyage and static data of the
//! Inland AIS standard's Annex D (`$PIWWIVD`, `$PIWWSSD`). Pure: a form takes a key and the context
//! it needs (the time, the names the traffic picture knows) and answers
//! what to do — stay, close, or send. Each field is checked as it is typed
//! with the validators of [`crate::voyage::fields`], the same ones the
//! `encode` command uses; nothing is sent until the officer confirms.
//!
//! The text of each field is a `tui_input::Input` (its editing requests
//! only; the view draws it with its own paragraph).

use crate::ais::legends;
use crate::nmea::pi;
use crate::voyage::command::{self, EtaOptions, SsdOptions, VsdOptions};
use crate::voyage::fields::{self, FieldError, SafetyKind};
use crate::voyage::messages::{InlandStaticData, InlandVoyageData, StaticData, TALKER};
use crate::voyage::outbox::Item;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Serialize};
use tui_input::{Input, InputRequest};

/// National virtual MMSIs of the Inland AIS networks, for the ETA form's
/// pick-list: (MMSI, country). The Inland AIS standard §2.4.4.2.2 asks for
/// one virtual MMSI per country, through which the national network routes
/// ETA reports to its locks, bridges and terminals; the numbers are the
/// ones the national authorities publish (Austria: via donau; France: VNF).
pub const VIRTUAL_MMSIS: [(&str, &str); 2] = [("002039991", "Austria"), ("002268000", "France")];

/// How many destinations the voyage form remembers.
pub const REMEMBERED_DESTINATIONS: usize = 18;

/// Which form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Eta,
    Safety,
    Voyage,
    Station,
    /// Inland voyage data (`$PIWWIVD`).
    InlandVoyage,
    /// Inland static ship data (`$PIWWSSD`).
    InlandStatic,
}

impl FormKind {
    pub fn title(self) -> &'static str {
        match self {
            FormKind::Eta => "ETA report to lock / bridge / terminal",
            FormKind::Safety => "safety-related message",
            FormKind::Voyage => "voyage data (VSD)",
            FormKind::Station => "station data (SSD)",
            FormKind::InlandVoyage => "inland voyage data (PIWWIVD)",
            FormKind::InlandStatic => "inland static ship data (PIWWSSD)",
        }
    }

    /// Field labels, in order.
    pub fn labels(self) -> &'static [&'static str] {
        match self {
            FormKind::Eta => &[
                "To (MMSI)",
                "Country (UN)",
                "Location (UN)",
                "Fairway section",
                "Terminal code",
                "Hectometre",
                "ETA (UTC)",
                "Tugs",
                "Air draught m",
            ],
            FormKind::Safety => &["To (MMSI)", "Text"],
            FormKind::Voyage => &[
                "Nav status",
                "Destination",
                "ETA (UTC)",
                "Draught m",
                "Persons on board",
                "Ship/cargo type",
                "Regional flags",
            ],
            FormKind::Station => &[
                "Call sign",
                "Name",
                "Internal A (bow)",
                "Internal B (stern)",
                "Internal C (port)",
                "Internal D (stbd)",
                "External A (bow)",
                "External B (stern)",
                "External C (port)",
                "External D (stbd)",
            ],
            FormKind::InlandVoyage => &[
                "Reporting rate",
                "Blue cones",
                "Loaded/unloaded",
                "Draught m",
                "Air draught m",
                "Tugs",
                "Crew",
                "Passengers",
                "Shipboard personnel",
                "Convoy bow m",
                "Convoy stern m",
                "Convoy port m",
                "Convoy stbd m",
            ],
            FormKind::InlandStatic => &[
                "ENI",
                "ERI type",
                "Length m",
                "Beam m",
                "Speed quality",
                "Course quality",
                "Heading quality",
                "Internal GNSS B m",
                "Internal GNSS C m",
                "External GNSS B m",
                "External GNSS C m",
            ],
        }
    }
}

/// What the console knows that a form needs.
pub struct Context<'a> {
    pub now_ms: i64,
    /// The name of a ship or station from the traffic picture.
    pub name_of: &'a dyn Fn(u32) -> Option<String>,
    /// Local time's offset from UTC in minutes (`[console] utc_offset_h`),
    /// shown beside an ETA.
    pub utc_offset_min: Option<i32>,
}

/// The inland pages' fields as last sent, to start from next time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InlandTexts {
    pub voyage: Vec<String>,
    pub station: Vec<String>,
}

/// `UTC+1`, `UTC-3`, `UTC+5:30`.
pub fn utc_offset_label(min: i32) -> String {
    let sign = if min < 0 { '-' } else { '+' };
    let a = min.unsigned_abs();
    if a.is_multiple_of(60) {
        format!("UTC{sign}{}", a / 60)
    } else {
        format!("UTC{sign}{}:{:02}", a / 60, a % 60)
    }
}

/// An ETA in local time: `local 15:30 (UTC+1)`, with the date when it is
/// another day there.
pub fn local_time(t: &fields::UtcMinute, offset_min: i32) -> String {
    let utc = chrono::DateTime::from_timestamp_millis(t.ms).map(|d| d.naive_utc());
    let local = chrono::DateTime::from_timestamp_millis(t.ms + i64::from(offset_min) * 60_000)
        .map(|d| d.naive_utc());
    let label = utc_offset_label(offset_min);
    match (utc, local) {
        (Some(u), Some(l)) if u.date() == l.date() => {
            format!("local {} ({label})", l.format("%H:%M"))
        }
        (_, Some(l)) => format!("local {} ({label})", l.format("%Y-%m-%d %H:%M")),
        _ => String::new(),
    }
}

/// What the console does after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    /// Close the form without sending.
    Close,
    /// Queue an ETA report or a safety message in the outbox.
    Send(Item),
    /// Write voyage or station data.
    SendData(&'static str, Vec<String>),
}

/// One open form.
#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub inputs: Vec<Input>,
    pub focus: usize,
    /// Asking "send?": `y` sends, any other key goes back.
    pub confirm: bool,
    /// Why the last key or send was refused, shown under the fields.
    pub note: Option<String>,
    /// Stored texts (safety form) or remembered destinations (voyage form).
    pub stored: Vec<String>,
    /// The inland pages as last sent (voyage form and its pages).
    pub inland: InlandTexts,
    /// Voyage, station and inland data go to the AI-IP client (no
    /// transponder): the question says so.
    pub through_aiip: bool,
    /// What goes out now, shown under the fields (own data on AI-IP alone,
    /// where empty fields would otherwise leave it unseen).
    pub current: Option<String>,
    /// The addressee as the question names it ("002111240 PUTTGARDEN
    /// LOCK"), set when the form asks "send?".
    pub to: Option<String>,
    pick: Option<usize>,
    /// The note says which typed character was refused: it stays while
    /// the officer types on in the same field, so it is not missed.
    sticky_note: bool,
    /// The voyage form's other pages as the officer left them (what was
    /// typed, the cursor in each field, the focused field), kept while the
    /// form is open so Ctrl-T round the pages loses nothing.
    pages: Vec<Page>,
}

/// A page of the voyage form that is not shown.
#[derive(Debug, Clone)]
struct Page {
    kind: FormKind,
    inputs: Vec<Input>,
    focus: usize,
}

impl Form {
    fn new(kind: FormKind) -> Form {
        Form {
            kind,
            inputs: vec![Input::default(); kind.labels().len()],
            focus: 0,
            confirm: false,
            note: None,
            stored: Vec::new(),
            inland: InlandTexts::default(),
            through_aiip: false,
            current: None,
            to: None,
            pick: None,
            sticky_note: false,
            pages: Vec::new(),
        }
    }

    /// The ETA report form.
    pub fn eta() -> Form {
        Form::new(FormKind::Eta)
    }

    /// The ETA report form filled from the last report sent: the same
    /// addressee, location and air draught; the ETA and tugs to be given.
    pub fn eta_after(last: &crate::voyage::messages::EtaReport) -> Form {
        let mut f = Form::eta();
        let l = &last.location;
        let air = if last.air_draught == 0 {
            String::new()
        } else {
            format!("{}.{:02}", last.air_draught / 100, last.air_draught % 100)
        };
        for (i, v) in [
            (0, format!("{:09}", last.to)),
            (1, l.country.to_string()),
            (2, l.locode.to_string()),
            (3, l.section.to_string()),
            (4, l.terminal.to_string()),
            (5, l.hectometre.to_string()),
            (8, air),
        ] {
            f.set(i, &v);
        }
        f.focus = 6;
        f
    }

    /// The safety-message form, to `to` (the selected target) or all.
    pub fn safety(to: Option<u32>, stored: Vec<String>) -> Form {
        let mut f = Form::new(FormKind::Safety);
        if let Some(m) = to {
            f.inputs[0] = Input::new(format!("{m:09}"));
        }
        f.stored = stored;
        f
    }

    /// The voyage-data form, with the destinations sent before.
    pub fn voyage(destinations: Vec<String>) -> Form {
        let mut f = Form::new(FormKind::Voyage);
        f.stored = destinations;
        f
    }

    /// The station-data form.
    pub fn station() -> Form {
        Form::new(FormKind::Station)
    }

    /// The inland voyage data page, filled with what was last sent.
    pub fn inland_voyage(inland: &InlandTexts) -> Form {
        Form::filled(FormKind::InlandVoyage, &inland.voyage, inland)
    }

    /// The inland static data page, filled with what was last sent.
    pub fn inland_static(inland: &InlandTexts) -> Form {
        Form::filled(FormKind::InlandStatic, &inland.station, inland)
    }

    fn filled(kind: FormKind, values: &[String], inland: &InlandTexts) -> Form {
        let mut f = Form::new(kind);
        for (i, v) in values.iter().enumerate().take(f.inputs.len()) {
            f.set(i, v);
        }
        f.inland = inland.clone();
        f
    }

    /// The ETA form's air draught from the inland voyage data's, when the
    /// officer gave one there (a known value, not 0).
    pub fn air_draught_from(&mut self, inland: &InlandTexts) {
        if self.kind != FormKind::Eta {
            return;
        }
        let given = inland.voyage.get(4).map(|v| v.trim()).unwrap_or_default();
        if let Ok(a @ 1..) = fields::inland_air_draught(given) {
            self.set(8, &format!("{}.{:02}", a / 100, a % 100));
        }
    }

    pub fn value(&self, i: usize) -> &str {
        self.inputs.get(i).map_or("", Input::value)
    }

    fn set(&mut self, i: usize, v: &str) {
        if let Some(x) = self.inputs.get_mut(i) {
            *x = Input::new(v.to_string());
        }
    }

    /// The safety message kind the To field chooses.
    pub fn safety_kind(&self) -> SafetyKind {
        if self.value(0).trim().is_empty() {
            SafetyKind::Broadcast
        } else {
            SafetyKind::Addressed
        }
    }

    /// Characters of the safety text and the slots they take (`None`: too
    /// long for one message).
    pub fn safety_count(&self) -> (usize, Option<u8>) {
        let n = self.value(1).trim().chars().count();
        (n, self.safety_kind().slots(n))
    }

    /// A field's check: `Ok` with what to show beside it (words for a code,
    /// the addressee's name …, may be empty), or the reason it is refused.
    pub fn check(&self, i: usize, ctx: &Context) -> Result<String, String> {
        let v = self.value(i);
        let s = |r: Result<String, FieldError>| r.map_err(|e| e.to_string());
        let empty = v.trim().is_empty();
        match (self.kind, i) {
            (FormKind::Eta, 0) => s(fields::destination_mmsi(v).map(|m| {
                let text = format!("{m:09}");
                VIRTUAL_MMSIS
                    .iter()
                    .find(|x| x.0 == text)
                    .map(|x| format!("{} national network", x.1))
                    .or_else(|| (ctx.name_of)(m))
                    .unwrap_or_default()
            })),
            (FormKind::Eta, 1) => s(fields::country_code(v).map(|_| String::new())),
            (FormKind::Eta, 2) => s(fields::location_code(v).map(|_| String::new())),
            (FormKind::Eta, 3) => s(fields::fairway_section(v).map(|_| String::new())),
            (FormKind::Eta, 4) => s(fields::terminal_code(v).map(|_| String::new())),
            (FormKind::Eta, 5) => s(fields::fairway_hectometre(v).map(|_| String::new())),
            (FormKind::Eta, 6) | (FormKind::Voyage, 2)
                if self.kind == FormKind::Voyage && empty =>
            {
                Ok("unchanged".into())
            }
            (FormKind::Eta, 6) | (FormKind::Voyage, 2) => s(fields::eta(v, ctx.now_ms).map(|t| {
                ctx.utc_offset_min
                    .map(|o| local_time(&t, o))
                    .unwrap_or_default()
            })),
            (FormKind::Eta, 7) => s(fields::tugs(v).map(|t| {
                if t == 7 {
                    "unknown".into()
                } else {
                    String::new()
                }
            })),
            (FormKind::Eta, 8) => s(fields::air_draught(v).map(|a| {
                if a == 0 {
                    "not used".into()
                } else {
                    String::new()
                }
            })),
            (FormKind::Safety, 0) if empty => Ok("all stations (broadcast, message 14)".into()),
            (FormKind::Safety, 0) => {
                s(fields::destination_mmsi(v).map(|m| match (ctx.name_of)(m) {
                    Some(n) => format!("{n} (message 12)"),
                    None => "message 12".into(),
                }))
            }
            (FormKind::Safety, 1) => {
                let kind = self.safety_kind();
                s(fields::safety_text(v, kind).map(|_| String::new()))?;
                let (n, slots) = self.safety_count();
                Ok(format!(
                    "{n}/{} characters, {} slot{}",
                    kind.max_chars(),
                    slots.unwrap_or(0),
                    if slots == Some(1) { "" } else { "s" }
                ))
            }
            (
                FormKind::Voyage
                | FormKind::Station
                | FormKind::InlandVoyage
                | FormKind::InlandStatic,
                _,
            ) if empty => Ok("unchanged".into()),
            (FormKind::Voyage, 0) => {
                s(fields::nav_status(v).map(|n| legends::nav_status(n).into()))
            }
            (FormKind::Voyage, 1) if v.trim() == "@" => Ok("not available".into()),
            (FormKind::Voyage, 1) => s(fields::destination(v).map(|_| String::new())),
            (FormKind::Voyage, 3) => s(fields::draught(v).map(|_| String::new())),
            (FormKind::Voyage, 4) => s(fields::persons(v).map(|_| String::new())),
            (FormKind::Voyage, 5) => s(fields::ship_type(v).map(|t| legends::ship_type(t).into())),
            (FormKind::Voyage, 6) => regional(v).map(|_| String::new()),
            (FormKind::Station, 0 | 1) if v.trim() == "@" => Ok("not available".into()),
            (FormKind::Station, 0) => s(fields::callsign(v).map(|_| String::new())),
            (FormKind::Station, 1) => s(fields::ship_name(v).map(|_| String::new())),
            (FormKind::Station, 2 | 6) => s(fields::antenna_a(v).map(|_| String::new())),
            (FormKind::Station, 3 | 7) => s(fields::antenna_b(v).map(|_| String::new())),
            (FormKind::Station, 4 | 8) => s(fields::antenna_c(v).map(|_| String::new())),
            (FormKind::Station, 5 | 9) => s(fields::antenna_d(v).map(|_| String::new())),
            (FormKind::InlandVoyage, _) => inland_voyage_check(i, v),
            (FormKind::InlandStatic, _) => inland_static_check(i, v),
            _ => Ok(String::new()),
        }
    }

    /// What the form sends, or the first refused field and its reason.
    pub fn build(&self, ctx: &Context) -> Result<Outcome, (usize, String)> {
        for i in 0..self.inputs.len() {
            if let Err(e) = self.check(i, ctx) {
                return Err((i, e));
            }
        }
        let opt = |i: usize| {
            let v = self.value(i).trim();
            match v {
                "" => None,
                "@" => Some(String::new()),
                _ => Some(v.to_string()),
            }
        };
        // The field an `encode` option comes from, and the reason alone:
        // the note puts the field's label before it, not the option's name.
        let refused =
            |e: command::OptionError| (option_field(self.kind, e.option), e.error.to_string());
        match self.kind {
            FormKind::Eta => {
                let o = EtaOptions {
                    to: self.value(0).into(),
                    country: self.value(1).into(),
                    location: self.value(2).into(),
                    section: self.value(3).into(),
                    terminal: self.value(4).into(),
                    hectometre: self.value(5).into(),
                    eta: self.value(6).into(),
                    tugs: Some(self.value(7).into()),
                    air_draught: Some(self.value(8).into()),
                };
                command::eta_report(&o, ctx.now_ms)
                    .map(|r| Outcome::Send(Item::Eta(r)))
                    .map_err(refused)
            }
            FormKind::Safety => {
                let to = opt(0);
                command::safety_message(to.as_deref(), self.value(1))
                    .map(|m| Outcome::Send(Item::Safety(m)))
                    .map_err(refused)
            }
            FormKind::Voyage => {
                if (0..self.inputs.len()).all(|i| opt(i).is_none()) {
                    return Err((
                        0,
                        "nothing to send: every field is empty (unchanged)".into(),
                    ));
                }
                let o = VsdOptions {
                    status: opt(0),
                    destination: opt(1),
                    eta: opt(2),
                    draught: opt(3),
                    persons: opt(4),
                    ship_type: opt(5),
                };
                let data = command::voyage_data(&o, ctx.now_ms).map_err(refused)?;
                let mut v = data.vsd();
                v.regional = match opt(6) {
                    Some(r) => Some(regional(&r).map_err(|e| (6, e))?),
                    None => None,
                };
                Ok(Outcome::SendData("VSD", vec![pi::build_vsd(TALKER, &v)]))
            }
            FormKind::Station => self.station_lines().map(|l| Outcome::SendData("SSD", l)),
            FormKind::InlandVoyage | FormKind::InlandStatic => {
                if (0..self.inputs.len()).all(|i| self.value(i).trim().is_empty()) {
                    return Err((
                        0,
                        "nothing to send: every field is empty (unchanged)".into(),
                    ));
                }
                if self.kind == FormKind::InlandVoyage {
                    let d = self.inland_voyage_data()?;
                    Ok(Outcome::SendData("PIWWIVD", vec![d.sentence()]))
                } else {
                    let d = self.inland_static_data()?;
                    Ok(Outcome::SendData("PIWWSSD", vec![d.sentence()]))
                }
            }
        }
    }

    /// The SSD sentences: call sign, name and the internal antenna
    /// (source `AI`) in the first; the external GNSS antenna (source `GP`)
    /// in a second when given.
    fn station_lines(&self) -> Result<Vec<String>, (usize, String)> {
        let opt = |i: usize| {
            let v = self.value(i).trim();
            (!v.is_empty()).then(|| v.to_string())
        };
        let text = |i: usize| opt(i).map(|v| if v == "@" { String::new() } else { v });
        // An error of `command::static_data` on the field it names: the
        // antenna's A–D from `first`.
        let at = |first: usize, e: command::OptionError| -> (usize, String) {
            let i = match e.option {
                "--callsign" => 0,
                "--name" => 1,
                "--a" => first,
                "--b" => first + 1,
                "--c" => first + 2,
                "--d" => first + 3,
                _ => first,
            };
            let together = matches!(e.error, FieldError::Empty { .. })
                && ["--a", "--b", "--c", "--d"].contains(&e.option);
            let reason = if together {
                "A, B, C and D go together (metres from the antenna to bow, stern, port and starboard)"
                    .to_string()
            } else {
                e.error.to_string()
            };
            (i, reason)
        };
        let antenna = |first: usize| SsdOptions {
            callsign: None,
            name: None,
            a: opt(first),
            b: opt(first + 1),
            c: opt(first + 2),
            d: opt(first + 3),
        };
        let given = |o: &SsdOptions| {
            [&o.callsign, &o.name, &o.a, &o.b, &o.c, &o.d]
                .iter()
                .any(|v| v.is_some())
        };
        // Internal antenna (source AI) with call sign and name; the
        // external one (GP) on a second SSD. Each only when something of
        // it is given: empty is unchanged.
        let first = SsdOptions {
            callsign: text(0),
            name: text(1),
            ..antenna(2)
        };
        let external = antenna(6);
        let mut lines = Vec::new();
        if given(&first) {
            let data: StaticData = command::static_data(&first).map_err(|e| at(2, e))?;
            lines.push(data.sentence());
        }
        if given(&external) {
            let ext = command::static_data(&external).map_err(|e| at(6, e))?;
            let mut s = ext.ssd();
            s.source = "GP".into();
            lines.push(pi::build_ssd(TALKER, &s));
        }
        if lines.is_empty() {
            return Err((
                0,
                "nothing to send: every field is empty (unchanged)".into(),
            ));
        }
        Ok(lines)
    }

    /// A field as its validator takes it: `None` when empty (NULL,
    /// unchanged), else the value or the field and its reason.
    fn opt_field<T>(
        &self,
        i: usize,
        f: impl Fn(&str) -> Result<T, FieldError>,
    ) -> Result<Option<T>, (usize, String)> {
        let v = self.value(i).trim();
        if v.is_empty() {
            return Ok(None);
        }
        f(v).map(Some).map_err(|e| (i, e.to_string()))
    }

    /// The inland voyage page as `$PIWWIVD` data.
    pub fn inland_voyage_data(&self) -> Result<InlandVoyageData, (usize, String)> {
        Ok(InlandVoyageData {
            reporting_rate: self.opt_field(0, fields::inland_reporting_rate)?,
            blue_cones: self.opt_field(1, fields::blue_cones)?,
            loaded: self.opt_field(2, fields::loaded)?,
            draught: self.opt_field(3, fields::inland_draught)?,
            air_draught: self.opt_field(4, fields::inland_air_draught)?,
            tugs: self.opt_field(5, fields::inland_tugs)?,
            crew: self.opt_field(6, fields::crew)?,
            passengers: self.opt_field(7, fields::passengers)?,
            personnel: self.opt_field(8, fields::personnel)?,
            convoy: [
                self.opt_field(9, fields::convoy_bow)?,
                self.opt_field(10, fields::convoy_stern)?,
                self.opt_field(11, fields::convoy_port)?,
                self.opt_field(12, fields::convoy_starboard)?,
            ],
        })
    }

    /// The inland static page as `$PIWWSSD` data.
    pub fn inland_static_data(&self) -> Result<InlandStaticData, (usize, String)> {
        Ok(InlandStaticData {
            eni: self.opt_field(0, fields::eni)?,
            eri_type: self.opt_field(1, |v| fields::eri_type(v).map(|t| t.0))?,
            length: self.opt_field(2, fields::inland_length)?,
            beam: self.opt_field(3, fields::inland_beam)?,
            quality: [
                self.opt_field(4, fields::sensor_quality)?,
                self.opt_field(5, fields::sensor_quality)?,
                self.opt_field(6, fields::sensor_quality)?,
            ],
            internal: [
                self.opt_field(7, fields::gnss_b)?,
                self.opt_field(8, fields::gnss_c)?,
            ],
            external: [
                self.opt_field(9, fields::gnss_b)?,
                self.opt_field(10, fields::gnss_c)?,
            ],
        })
    }

    /// The fields as typed, trimmed (what the inland pages remember).
    pub fn texts(&self) -> Vec<String> {
        self.inputs
            .iter()
            .map(|x| x.value().trim().to_string())
            .collect()
    }

    /// The addressee of an ETA report or a safety message in nine digits
    /// with the name the traffic picture has for it (or the national
    /// network a virtual MMSI stands for); `None` for a broadcast or a
    /// form that sends to nobody.
    fn addressee(&self, ctx: &Context) -> Option<String> {
        if !matches!(self.kind, FormKind::Eta | FormKind::Safety) {
            return None;
        }
        let m = fields::destination_mmsi(self.value(0)).ok()?;
        let name = match self.kind {
            FormKind::Eta => self.check(0, ctx).ok().filter(|n| !n.is_empty()),
            _ => (ctx.name_of)(m),
        };
        Some(match name {
            Some(n) => format!("{m:09} {n}"),
            None => format!("{m:09}"),
        })
    }

    /// What the confirmation asks.
    pub fn question(&self) -> String {
        let to = || {
            self.to
                .clone()
                .unwrap_or_else(|| self.value(0).trim().to_string())
        };
        match self.kind {
            FormKind::Eta => format!("Send the ETA report to {}?", to()),
            FormKind::Safety => {
                let (n, slots) = self.safety_count();
                let to = match self.value(0).trim() {
                    "" => "all stations".to_string(),
                    _ => to(),
                };
                let slots = slots.unwrap_or(0);
                let plural = if slots == 1 { "" } else { "s" };
                format!("Send the message ({n} characters, {slots} slot{plural}) to {to}?")
            }
            FormKind::Voyage
            | FormKind::Station
            | FormKind::InlandVoyage
            | FormKind::InlandStatic => {
                let what = match self.kind {
                    FormKind::Voyage => "the voyage data",
                    FormKind::Station => "the station data",
                    FormKind::InlandVoyage => "the inland voyage data",
                    _ => "the inland static ship data",
                };
                if self.through_aiip {
                    format!("Send {what} over AI-IP as own data?")
                } else {
                    format!("Write {what} to the transponder?")
                }
            }
        }
    }

    /// A key press.
    pub fn key(&mut self, k: &KeyEvent, ctx: &Context) -> Outcome {
        if self.confirm {
            self.confirm = false;
            if matches!(k.code, KeyCode::Char('y' | 'Y'))
                && k.modifiers - KeyModifiers::SHIFT == KeyModifiers::NONE
            {
                return match self.build(ctx) {
                    Ok(o) => o,
                    Err((i, e)) => {
                        self.refuse_at(i, e);
                        Outcome::Stay
                    }
                };
            }
            return Outcome::Stay;
        }
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        let alt = k.modifiers.contains(KeyModifiers::ALT);
        let n = self.inputs.len();
        match k.code {
            KeyCode::Esc => return Outcome::Close,
            KeyCode::Tab if !ctrl => self.focus_to((self.focus + 1) % n),
            KeyCode::BackTab => self.focus_to((self.focus + n - 1) % n),
            KeyCode::Enter => match self.build(ctx) {
                Ok(_) => {
                    self.confirm = true;
                    self.note = None;
                    self.to = self.addressee(ctx);
                }
                Err((i, e)) => self.refuse_at(i, e),
            },
            KeyCode::Char('u') if ctrl => self.edit(InputRequest::DeleteLine),
            KeyCode::Char('n') if ctrl => self.pick(1),
            KeyCode::Char('p') if ctrl => self.pick(-1),
            KeyCode::Char('s') if ctrl && self.kind == FormKind::Safety => self.save_text(),
            KeyCode::Char('t') if ctrl => self.next_page(),
            KeyCode::Char(c) if !ctrl && !alt => self.type_char(c),
            KeyCode::Backspace => self.edit(InputRequest::DeletePrevChar),
            KeyCode::Delete => self.edit(InputRequest::DeleteNextChar),
            KeyCode::Left => self.edit(InputRequest::GoToPrevChar),
            KeyCode::Right => self.edit(InputRequest::GoToNextChar),
            KeyCode::Home => self.edit(InputRequest::GoToStart),
            KeyCode::End => self.edit(InputRequest::GoToEnd),
            KeyCode::Up => self.focus_to((self.focus + n - 1) % n),
            KeyCode::Down => self.focus_to((self.focus + 1) % n),
            _ => {}
        }
        Outcome::Stay
    }

    /// Ctrl-T: voyage data → station data → inland voyage → inland static
    /// → voyage data; the remembered lists go along. Each page is found as
    /// it was left: a page seen for the first time starts empty (the inland
    /// pages from what was last sent), a page seen before keeps what was
    /// typed on it until the form closes.
    fn next_page(&mut self) {
        let next = match self.kind {
            FormKind::Voyage => FormKind::Station,
            FormKind::Station => FormKind::InlandVoyage,
            FormKind::InlandVoyage => FormKind::InlandStatic,
            FormKind::InlandStatic => FormKind::Voyage,
            FormKind::Eta | FormKind::Safety => return,
        };
        let page = match self.pages.iter().position(|p| p.kind == next) {
            Some(i) => self.pages.swap_remove(i),
            None => {
                let fresh = match next {
                    FormKind::InlandVoyage => Form::inland_voyage(&self.inland),
                    FormKind::InlandStatic => Form::inland_static(&self.inland),
                    k => Form::new(k),
                };
                Page {
                    kind: next,
                    inputs: fresh.inputs,
                    focus: fresh.focus,
                }
            }
        };
        self.pages.push(Page {
            kind: self.kind,
            inputs: std::mem::replace(&mut self.inputs, page.inputs),
            focus: self.focus,
        });
        self.kind = page.kind;
        self.focus = page.focus.min(self.inputs.len().saturating_sub(1));
        self.confirm = false;
        self.note = None;
        self.pick = None;
        self.sticky_note = false;
    }

    fn focus_to(&mut self, i: usize) {
        self.focus = i;
        self.pick = None;
        self.note = None;
        self.sticky_note = false;
    }

    fn refuse_at(&mut self, i: usize, reason: String) {
        let label = self.kind.labels().get(i).copied().unwrap_or("");
        self.focus = i.min(self.inputs.len().saturating_sub(1));
        self.note = Some(format!("{label}: {reason}"));
    }

    fn edit(&mut self, r: InputRequest) {
        let typing = matches!(r, InputRequest::InsertChar(_));
        if let Some(x) = self.inputs.get_mut(self.focus) {
            x.handle(r);
        }
        if !(typing && self.sticky_note) {
            self.note = None;
            self.sticky_note = false;
        }
    }

    /// Whether the focused field is text in the six-bit alphabet, folded
    /// to upper case as typed.
    fn upper(&self) -> bool {
        matches!(
            (self.kind, self.focus),
            (FormKind::Eta, 1..=5)
                | (FormKind::Safety, 1)
                | (FormKind::Voyage, 1)
                | (FormKind::Station, 0 | 1)
                | (FormKind::InlandVoyage, 1 | 2)
        )
    }

    fn type_char(&mut self, c: char) {
        if self.kind == FormKind::Safety && self.focus == 1 {
            let u = c.to_ascii_uppercase();
            if let Err(e) = fields::sixbit_text(&u.to_string()) {
                let e = match e {
                    FieldError::Character {
                        character, allowed, ..
                    } => format!(
                        "{} cannot be sent: allowed {allowed}",
                        if character.is_control() || character.is_whitespace() && character != ' ' {
                            format!("U+{:04X}", u32::from(character))
                        } else {
                            format!("{character:?}")
                        }
                    ),
                    e => e.to_string(),
                };
                // tui-input's cursor counts characters.
                let at = self.inputs.get(1).map_or(1, |x| x.cursor() + 1);
                self.note = Some(format!("Text: position {at}: {e}"));
                self.sticky_note = true;
                return;
            }
            let max = self.safety_kind().max_chars();
            if self.value(1).chars().count() >= max {
                self.note = Some(format!("Text: at most {max} characters in one message"));
                return;
            }
            self.edit(InputRequest::InsertChar(u));
            return;
        }
        let c = if self.upper() {
            c.to_ascii_uppercase()
        } else {
            c
        };
        self.edit(InputRequest::InsertChar(c));
    }

    /// Ctrl-N / Ctrl-P: the next / previous choice of the focused field.
    fn pick(&mut self, step: i64) {
        let choices: Vec<String> = match (self.kind, self.focus) {
            (FormKind::Eta, 0) => VIRTUAL_MMSIS.iter().map(|x| x.0.to_string()).collect(),
            (FormKind::Safety, 1) | (FormKind::Voyage, 1) => self.stored.clone(),
            (FormKind::Voyage, 0) => (0..16).map(|i: u8| i.to_string()).collect(),
            _ => Vec::new(),
        };
        if choices.is_empty() {
            self.note = Some(match (self.kind, self.focus) {
                (FormKind::Safety, 1) => "no stored texts yet: Ctrl-S stores this one".into(),
                (FormKind::Voyage, 1) => "no destinations sent yet".into(),
                _ => "this field has no list to choose from".into(),
            });
            return;
        }
        let len = choices.len() as i64;
        let next = match self.pick {
            None if step > 0 => 0,
            None => len - 1,
            Some(p) => (p as i64 + step).rem_euclid(len),
        } as usize;
        self.pick = Some(next);
        let v = choices[next].clone();
        let focus = self.focus;
        self.set(focus, &v);
        self.note = None;
    }

    /// Ctrl-S in the safety form: keep the text for later.
    fn save_text(&mut self) {
        let t = self.value(1).trim().to_string();
        if t.is_empty() {
            self.note = Some("Text: nothing to store".into());
        } else if self.stored.contains(&t) {
            self.note = Some("this text is stored already".into());
        } else {
            self.stored.push(t);
            self.note = Some(format!(
                "text stored ({} stored; Ctrl-N / Ctrl-P picks)",
                self.stored.len()
            ));
        }
    }
}

/// The field of a form that an `encode` option of [`command`] comes from
/// (the first field when none does).
fn option_field(kind: FormKind, option: &str) -> usize {
    let options: &[&str] = match kind {
        FormKind::Eta => &[
            "--to",
            "--country",
            "--location",
            "--section",
            "--terminal",
            "--hectometre",
            "--eta",
            "--tugs",
            "--air-draught",
        ],
        FormKind::Safety => &["--to", "--text"],
        FormKind::Voyage => &[
            "--status",
            "--destination",
            "--eta",
            "--draught",
            "--persons",
            "--ship-type",
        ],
        FormKind::Station | FormKind::InlandVoyage | FormKind::InlandStatic => &[],
    };
    options.iter().position(|o| *o == option).unwrap_or(0)
}

/// Regional application flags of VSD: 0–15.
fn regional(s: &str) -> Result<u8, String> {
    match s.trim().parse::<u8>() {
        Ok(v) if v <= 15 => Ok(v),
        Ok(_) => Err(format!("{} is out of range: allowed 0 to 15", s.trim())),
        Err(_) => Err(format!("{:?} is not a whole number 0 to 15", s.trim())),
    }
}

/// Remember a destination sent (newest first, at most
/// [`REMEMBERED_DESTINATIONS`], no repeats).
pub fn remember(list: &mut Vec<String>, destination: &str) {
    let d = destination.trim().to_ascii_uppercase();
    if d.is_empty() || d == "@" {
        return;
    }
    list.retain(|x| *x != d);
    list.insert(0, d);
    list.truncate(REMEMBERED_DESTINATIONS);
}

/// A check of the inland voyage page's field `i`: words for a code.
fn inland_voyage_check(i: usize, v: &str) -> Result<String, String> {
    let unknown = |known: bool| {
        if known {
            String::new()
        } else {
            "unknown".into()
        }
    };
    let r = match i {
        0 => fields::inland_reporting_rate(v).map(|_| String::new()),
        1 => fields::blue_cones(v).map(|c| fields::blue_cones_words(c).into()),
        2 => fields::loaded(v).map(|c| fields::loaded_words(c).into()),
        3 => fields::inland_draught(v).map(|d| unknown(d != 0)),
        4 => fields::inland_air_draught(v).map(|d| unknown(d != 0)),
        5 => fields::inland_tugs(v).map(|t| unknown(t != 7)),
        6 => fields::crew(v).map(|n| unknown(n != 255)),
        7 => fields::passengers(v).map(|n| unknown(n != 8191)),
        8 => fields::personnel(v).map(|n| unknown(n != 255)),
        9 => fields::convoy_bow(v).map(|_| String::new()),
        10 => fields::convoy_stern(v).map(|_| String::new()),
        11 => fields::convoy_port(v).map(|_| String::new()),
        12 => fields::convoy_starboard(v).map(|_| String::new()),
        _ => Ok(String::new()),
    };
    r.map_err(|e| e.to_string())
}

/// A check of the inland static page's field `i`: the ERI type and the
/// qualities in words.
fn inland_static_check(i: usize, v: &str) -> Result<String, String> {
    let r = match i {
        0 => fields::eni(v).map(|_| String::new()),
        1 => fields::eri_type(v).map(|(_, w)| w.to_string()),
        2 => fields::inland_length(v).map(|_| String::new()),
        3 => fields::inland_beam(v).map(|_| String::new()),
        4..=6 => fields::sensor_quality(v).map(|q| fields::quality_words(q).into()),
        7 | 9 => fields::gnss_b(v).map(|_| String::new()),
        8 | 10 => fields::gnss_c(v).map(|_| String::new()),
        _ => Ok(String::new()),
    };
    r.map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-22T12:00:00Z
    const NOW: i64 = 1_795_348_800_000;

    fn names(m: u32) -> Option<String> {
        (m == 244_123_456).then(|| "RIJN STAR".to_string())
    }

    fn ctx() -> Context<'static> {
        Context {
            now_ms: NOW,
            name_of: &names,
            utc_offset_min: None,
        }
    }

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(f: &mut Form, s: &str) {
        for c in s.chars() {
            assert_eq!(f.key(&k(KeyCode::Char(c)), &ctx()), Outcome::Stay);
        }
    }

    fn fill_eta(f: &mut Form) {
        for v in [
            "002039991",
            "at",
            "vie",
            "00001",
            "00000",
            "01234",
            "2026-11-22 14:30",
            "",
            "7.5",
        ] {
            typed(f, v);
            f.key(&k(KeyCode::Tab), &ctx());
        }
    }

    #[test]
    fn the_eta_form_starts_from_the_last_report() {
        let mut f = Form::eta();
        fill_eta(&mut f);
        f.key(&k(KeyCode::Enter), &ctx());
        let Outcome::Send(Item::Eta(r)) = f.key(&k(KeyCode::Char('y')), &ctx()) else {
            panic!("not sent");
        };
        let g = Form::eta_after(&r);
        assert_eq!(g.focus, 6, "the ETA is asked first");
        assert_eq!(g.value(0), "002039991");
        assert_eq!(g.value(2), "VIE");
        assert_eq!(g.value(5), "01234");
        assert_eq!(g.value(6), "");
        assert_eq!(g.value(8), "7.50");
        assert_eq!(fields::air_draught(g.value(8)), Ok(750));
    }

    #[test]
    fn tab_and_shift_tab_move_round_the_fields() {
        let mut f = Form::eta();
        assert_eq!(f.focus, 0);
        f.key(&k(KeyCode::Tab), &ctx());
        assert_eq!(f.focus, 1);
        f.key(&k(KeyCode::BackTab), &ctx());
        f.key(&k(KeyCode::BackTab), &ctx());
        assert_eq!(f.focus, 8);
        f.key(&k(KeyCode::Tab), &ctx());
        assert_eq!(f.focus, 0);
    }

    #[test]
    fn ctrl_u_clears_the_field_and_letters_are_text() {
        let mut f = Form::eta();
        typed(f_mut(&mut f), "qmeid");
        assert_eq!(f.value(0), "qmeid");
        f.key(&ctrl('u'), &ctx());
        assert_eq!(f.value(0), "");
    }

    fn f_mut(f: &mut Form) -> &mut Form {
        f
    }

    #[test]
    fn eta_form_confirms_then_sends_on_y_only() {
        let mut f = Form::eta();
        fill_eta(&mut f);
        assert_eq!(f.value(1), "AT", "codes are folded to upper case");
        for i in 0..9 {
            assert!(f.check(i, &ctx()).is_ok(), "{i}: {:?}", f.check(i, &ctx()));
        }
        assert_eq!(f.check(7, &ctx()), Ok("unknown".into()));
        assert_eq!(f.check(0, &ctx()), Ok("Austria national network".into()));
        assert_eq!(f.key(&k(KeyCode::Enter), &ctx()), Outcome::Stay);
        assert!(f.confirm);
        // Any other key goes back, keeping what was typed.
        assert_eq!(f.key(&k(KeyCode::Char('n')), &ctx()), Outcome::Stay);
        assert!(!f.confirm);
        assert_eq!(f.value(1), "AT");
        f.key(&k(KeyCode::Enter), &ctx());
        match f.key(&k(KeyCode::Char('y')), &ctx()) {
            Outcome::Send(Item::Eta(r)) => {
                assert_eq!(r.to, 2_039_991);
                assert_eq!(r.tugs, 7, "empty tugs is unknown, 7");
                assert_eq!(r.air_draught, 750);
                assert_eq!((r.eta.hour, r.eta.minute), (14, 30));
            }
            o => panic!("{o:?}"),
        }
    }

    #[test]
    fn esc_closes_and_enter_on_a_bad_field_goes_there() {
        let mut f = Form::eta();
        fill_eta(&mut f);
        // Tugs 9: refused, not clamped.
        f.focus = 7;
        typed(&mut f, "9");
        assert!(f.check(7, &ctx()).is_err());
        f.focus = 0;
        f.key(&k(KeyCode::Enter), &ctx());
        assert!(!f.confirm);
        assert_eq!(f.focus, 7);
        let note = f.note.clone().unwrap_or_default();
        assert!(note.starts_with("Tugs: 9 is out of range"), "{note}");
        assert_eq!(f.key(&k(KeyCode::Esc), &ctx()), Outcome::Close);
        // Esc while asking goes back to the form, it does not close.
        let mut g = Form::eta();
        fill_eta(&mut g);
        g.key(&k(KeyCode::Enter), &ctx());
        assert_eq!(g.key(&k(KeyCode::Esc), &ctx()), Outcome::Stay);
        assert!(!g.confirm);
    }

    #[test]
    fn an_eta_report_without_its_eta_gives_the_reason_once() {
        let mut f = Form::eta();
        fill_eta(&mut f);
        f.focus = 6;
        f.key(&ctrl('u'), &ctx());
        f.focus = 0;
        f.key(&k(KeyCode::Enter), &ctx());
        assert!(!f.confirm);
        assert_eq!(f.focus, 6);
        assert_eq!(
            f.note.as_deref(),
            Some(
                "ETA (UTC): a value is needed: a UTC time written 2026-11-22T14:30Z or 2026-11-22 14:30"
            )
        );
        // A refusal of the `encode` validation goes to the field of its
        // option, under the field's label without the option's name.
        assert_eq!(option_field(FormKind::Eta, "--eta"), 6);
        assert_eq!(option_field(FormKind::Eta, "--air-draught"), 8);
        assert_eq!(option_field(FormKind::Safety, "--text"), 1);
        assert_eq!(option_field(FormKind::Voyage, "--eta"), 2);
        assert_eq!(option_field(FormKind::Voyage, "--ship-type"), 5);
        assert_eq!(option_field(FormKind::Voyage, "options"), 0);
    }

    #[test]
    fn out_of_range_values_are_refused() {
        let mut f = Form::eta();
        f.focus = 8;
        typed(&mut f, "40.01");
        assert!(f.check(8, &ctx()).is_err());
        f.focus = 6;
        typed(&mut f, "2026-11-22 11:00");
        assert!(f.check(6, &ctx()).unwrap_err().contains("past"));
        let mut v = Form::voyage(Vec::new());
        typed(&mut v, "16");
        assert!(v.check(0, &ctx()).is_err());
        v.key(&ctrl('u'), &ctx());
        typed(&mut v, "5");
        assert_eq!(v.check(0, &ctx()), Ok("Moored".into()));
        v.focus = 3;
        typed(&mut v, "25.6");
        assert!(v.check(3, &ctx()).is_err());
        v.focus = 4;
        typed(&mut v, "8192");
        assert!(v.check(4, &ctx()).is_err());
        v.focus = 5;
        typed(&mut v, "256");
        assert!(v.check(5, &ctx()).is_err());
        v.focus = 6;
        typed(&mut v, "16");
        assert!(v.check(6, &ctx()).is_err());
        let mut s = Form::station();
        s.focus = 4;
        typed(&mut s, "64");
        assert!(s.check(4, &ctx()).is_err());
    }

    #[test]
    fn the_question_says_where_the_data_go() {
        let mut v = Form::voyage(Vec::new());
        assert_eq!(v.question(), "Write the voyage data to the transponder?");
        v.through_aiip = true;
        assert_eq!(v.question(), "Send the voyage data over AI-IP as own data?");
        v.key(&ctrl('t'), &ctx());
        assert_eq!(
            v.question(),
            "Send the station data over AI-IP as own data?"
        );
    }

    #[test]
    fn station_data_sends_what_is_given_and_refuses_on_the_field() {
        let sent = |values: &[(usize, &str)]| {
            let mut s = Form::station();
            for (i, v) in values {
                s.focus = *i;
                typed(&mut s, v);
            }
            assert_eq!(s.key(&k(KeyCode::Enter), &ctx()), Outcome::Stay);
            if let Some(note) = s.note.clone() {
                return Err((s.focus, note));
            }
            match s.key(&k(KeyCode::Char('y')), &ctx()) {
                Outcome::SendData("SSD", lines) => Ok(lines),
                other => panic!("{other:?}"),
            }
        };
        // A call sign alone: one SSD, antenna fields empty (unchanged).
        let lines = sent(&[(0, "pd1234")]).expect("sent");
        assert_eq!(lines.len(), 1);
        assert!(lines[0].starts_with("$ECSSD,PD1234,,,,,,,*"), "{lines:?}");
        // The external antenna alone: one SSD from GP.
        let lines = sent(&[(6, "80"), (7, "30"), (8, "5"), (9, "6")]).expect("sent");
        assert_eq!(lines.len(), 1);
        assert!(
            lines[0].contains(",080,030,05,06,") && lines[0].contains("GP*"),
            "{lines:?}"
        );
        // A without B, C, D: refused on B, saying they go together.
        let (focus, note) = sent(&[(2, "80")]).expect_err("refused");
        assert_eq!(focus, 3);
        assert!(note.contains("A, B, C and D go together"), "{note}");
        // A value out of range: refused on that field with its own reason.
        let (focus, note) =
            sent(&[(6, "600"), (7, "30"), (8, "5"), (9, "6")]).expect_err("refused");
        assert_eq!(focus, 6);
        assert!(!note.contains("go together"), "{note}");
        // Nothing at all.
        let (_, note) = sent(&[]).expect_err("refused");
        assert!(note.contains("nothing to send"), "{note}");
    }

    #[test]
    fn safety_text_is_folded_and_refused_characters_named() {
        let mut f = Form::safety(Some(244_123_456), Vec::new());
        assert_eq!(f.value(0), "244123456");
        assert_eq!(f.check(0, &ctx()), Ok("RIJN STAR (message 12)".into()));
        f.key(&k(KeyCode::Tab), &ctx());
        typed(&mut f, "ice ahead");
        assert_eq!(f.value(1), "ICE AHEAD");
        typed(&mut f, "~");
        assert_eq!(f.value(1), "ICE AHEAD", "refused as typed");
        let note = f.note.clone().unwrap_or_default();
        assert!(note.contains("position 10: '~' cannot be sent"), "{note}");
        // 9 characters: one slot of message 12.
        assert_eq!(f.safety_count(), (9, Some(1)));
        assert_eq!(f.check(1, &ctx()), Ok("9/156 characters, 1 slot".into()));
        typed(&mut f, "XX");
        // The refusal stays in view while typing goes on in the field ...
        let note = f.note.clone().unwrap_or_default();
        assert!(note.contains("'~' cannot be sent"), "{note}");
        // ... and goes with the next field.
        f.key(&k(KeyCode::BackTab), &ctx());
        assert_eq!(f.note, None);
        assert_eq!(f.safety_count(), (11, Some(2)));
    }

    #[test]
    fn safety_limits_and_slots_follow_the_addressee() {
        let mut f = Form::safety(None, Vec::new());
        assert_eq!(f.safety_kind(), SafetyKind::Broadcast);
        f.focus = 1;
        typed(&mut f, &"A".repeat(170));
        assert_eq!(f.value(1).len(), 161, "broadcast holds 161");
        assert_eq!(f.safety_count(), (161, Some(5)));
        let mut g = Form::safety(Some(244_123_456), Vec::new());
        g.focus = 1;
        typed(&mut g, &"A".repeat(170));
        assert_eq!(g.value(1).len(), 156, "addressed holds 156");
        for (n, slots) in [(10, 1), (48, 2), (85, 3), (122, 4), (156, 5)] {
            let mut h = Form::safety(Some(244_123_456), Vec::new());
            h.focus = 1;
            typed(&mut h, &"B".repeat(n));
            assert_eq!(h.safety_count(), (n, Some(slots)));
            typed(&mut h, "B");
            if n < 156 {
                assert_eq!(h.safety_count(), (n + 1, Some(slots + 1)));
            }
        }
        for (n, slots) in [(16, 1), (53, 2), (90, 3), (128, 4), (161, 5)] {
            let mut h = Form::safety(None, Vec::new());
            h.focus = 1;
            typed(&mut h, &"B".repeat(n));
            assert_eq!(h.safety_count(), (n, Some(slots)));
        }
        // Broadcast sends message 14 with no addressee.
        let mut b = Form::safety(None, Vec::new());
        b.focus = 1;
        typed(&mut b, "securite");
        b.key(&k(KeyCode::Enter), &ctx());
        match b.key(&k(KeyCode::Char('Y')), &ctx()) {
            Outcome::Send(Item::Safety(m)) => {
                assert_eq!(m.to, None);
                assert_eq!(m.text.text, "SECURITE");
                assert_eq!(m.kind().msg_id(), 14);
            }
            o => panic!("{o:?}"),
        }
    }

    #[test]
    fn stored_texts_are_saved_and_cycled() {
        let mut f = Form::safety(None, vec!["ICE".into()]);
        f.focus = 1;
        typed(&mut f, "fog");
        f.key(&ctrl('s'), &ctx());
        assert_eq!(f.stored, ["ICE", "FOG"]);
        f.key(&ctrl('n'), &ctx());
        assert_eq!(f.value(1), "ICE");
        f.key(&ctrl('n'), &ctx());
        assert_eq!(f.value(1), "FOG");
        f.key(&ctrl('p'), &ctx());
        assert_eq!(f.value(1), "ICE");
        // The national MMSI list in the ETA form.
        let mut e = Form::eta();
        e.key(&ctrl('n'), &ctx());
        assert_eq!(e.value(0), VIRTUAL_MMSIS[0].0);
        e.key(&ctrl('n'), &ctx());
        assert_eq!(e.value(0), VIRTUAL_MMSIS[1].0);
    }

    #[test]
    fn voyage_data_sends_vsd_with_only_what_was_given() {
        let mut v = Form::voyage(Vec::new());
        v.key(&k(KeyCode::Enter), &ctx());
        assert!(!v.confirm, "nothing to send");
        typed(&mut v, "0");
        v.key(&k(KeyCode::Tab), &ctx());
        typed(&mut v, "atvie>dedui");
        assert_eq!(v.value(1), "ATVIE>DEDUI");
        v.focus = 5;
        typed(&mut v, "79");
        assert_eq!(
            v.check(5, &ctx()),
            Ok(crate::ais::legends::ship_type(79).into())
        );
        v.key(&k(KeyCode::Enter), &ctx());
        assert!(v.confirm);
        match v.key(&k(KeyCode::Char('y')), &ctx()) {
            Outcome::SendData("VSD", lines) => {
                assert_eq!(lines.len(), 1);
                assert!(
                    lines[0].starts_with("$ECVSD,079,,,ATVIE>DEDUI,,,,0,*"),
                    "{}",
                    lines[0]
                );
            }
            o => panic!("{o:?}"),
        }
        let mut list = Vec::new();
        for i in 0..20 {
            remember(&mut list, &format!("D{i}"));
        }
        remember(&mut list, "d5");
        assert_eq!(list.len(), REMEMBERED_DESTINATIONS);
        assert_eq!(list[0], "D5");
        assert_eq!(list.iter().filter(|d| *d == "D5").count(), 1);
    }

    #[test]
    fn station_data_at_means_not_available_and_antennas_go_together() {
        let mut s = Form::station();
        typed(&mut s, "@");
        assert_eq!(s.check(0, &ctx()), Ok("not available".into()));
        s.focus = 2;
        typed(&mut s, "10");
        s.key(&k(KeyCode::Enter), &ctx());
        assert!(!s.confirm);
        assert!(s.note.clone().unwrap_or_default().contains("go together"));
        for (i, v) in [
            (3, "20"),
            (4, "3"),
            (5, "4"),
            (6, "12"),
            (7, "18"),
            (8, "2"),
            (9, "5"),
        ] {
            s.focus = i;
            typed(&mut s, v);
        }
        s.key(&k(KeyCode::Enter), &ctx());
        assert!(s.confirm, "{:?}", s.note);
        match s.key(&k(KeyCode::Char('y')), &ctx()) {
            Outcome::SendData("SSD", lines) => {
                assert_eq!(lines.len(), 2);
                assert!(
                    lines[0].starts_with("$ECSSD,@@@@@@@,,010,020,03,04,,AI*"),
                    "{}",
                    lines[0]
                );
                assert!(
                    lines[1].starts_with("$ECSSD,,,012,018,02,05,,GP*"),
                    "{}",
                    lines[1]
                );
            }
            o => panic!("{o:?}"),
        }
        // Ctrl-T goes round voyage, station, inland voyage, inland static.
        let mut v = Form::voyage(vec!["X".into()]);
        v.inland.station = vec!["02326789".into()];
        v.key(&ctrl('t'), &ctx());
        assert_eq!(v.kind, FormKind::Station);
        v.key(&ctrl('t'), &ctx());
        assert_eq!(v.kind, FormKind::InlandVoyage);
        v.key(&ctrl('t'), &ctx());
        assert_eq!(v.kind, FormKind::InlandStatic);
        assert_eq!(v.value(0), "02326789", "the last ENI sent");
        v.key(&ctrl('t'), &ctx());
        assert_eq!(v.kind, FormKind::Voyage);
        assert_eq!(v.stored, ["X"]);
        assert_eq!(v.inland.station, ["02326789"]);
    }

    #[test]
    fn ctrl_t_round_the_pages_keeps_what_was_typed_on_each() {
        let mut f = Form::voyage(Vec::new());
        f.inland.voyage = vec!["".into(), "1".into()];
        f.focus = 1;
        typed(&mut f, "rtm");
        f.key(&k(KeyCode::Left), &ctx());
        f.key(&ctrl('t'), &ctx());
        assert_eq!(f.kind, FormKind::Station);
        typed(&mut f, "pd1234");
        f.focus = 3;
        typed(&mut f, "20");
        // The inland voyage page, changed from what was last sent.
        f.key(&ctrl('t'), &ctx());
        assert_eq!(f.kind, FormKind::InlandVoyage);
        assert_eq!(f.value(1), "1", "the blue cones last sent");
        f.focus = 1;
        f.key(&ctrl('u'), &ctx());
        typed(&mut f, "2");
        for _ in 0..2 {
            // Round the pages twice: each is as it was left.
            f.key(&ctrl('t'), &ctx());
            f.key(&ctrl('t'), &ctx());
            assert_eq!(f.kind, FormKind::Voyage);
            assert_eq!(f.value(1), "RTM", "the destination typed");
            assert_eq!(f.focus, 1);
            assert_eq!(f.inputs[1].cursor(), 2, "the cursor where it was");
            f.key(&ctrl('t'), &ctx());
            assert_eq!(f.kind, FormKind::Station);
            assert_eq!(f.value(0), "PD1234");
            assert_eq!(f.value(3), "20");
            assert_eq!(f.focus, 3);
            f.key(&ctrl('t'), &ctx());
            assert_eq!(f.kind, FormKind::InlandVoyage);
            assert_eq!(f.value(1), "2", "typed, not the value last sent");
        }
        // Typing at the kept cursor goes where the officer left it.
        f.key(&ctrl('t'), &ctx());
        f.key(&ctrl('t'), &ctx());
        typed(&mut f, "x");
        assert_eq!(f.value(1), "RTXM");
        // Esc closes the form and what was typed goes with it.
        assert_eq!(f.key(&k(KeyCode::Esc), &ctx()), Outcome::Close);
        assert_eq!(Form::voyage(Vec::new()).value(1), "");
    }

    #[test]
    fn the_first_page_sent_after_the_others_sends_its_own_values() {
        let mut f = Form::voyage(vec!["X".into()]);
        typed(&mut f, "5");
        f.key(&k(KeyCode::Tab), &ctx());
        typed(&mut f, "atvie");
        f.key(&ctrl('t'), &ctx());
        typed(&mut f, "pd1234");
        f.key(&ctrl('t'), &ctx());
        typed(&mut f, "1");
        f.key(&ctrl('t'), &ctx());
        typed(&mut f, "02326789");
        f.key(&ctrl('t'), &ctx());
        assert_eq!(f.kind, FormKind::Voyage);
        assert_eq!(f.stored, ["X"], "the remembered destinations went along");
        f.key(&k(KeyCode::Enter), &ctx());
        assert!(f.confirm, "{:?}", f.note);
        match f.key(&k(KeyCode::Char('y')), &ctx()) {
            Outcome::SendData("VSD", lines) => {
                assert_eq!(lines.len(), 1);
                assert!(
                    lines[0].starts_with("$ECVSD,,,,ATVIE,,,,5,*"),
                    "{}",
                    lines[0]
                );
            }
            o => panic!("{o:?}"),
        }
        // The other pages are still as they were left.
        f.key(&ctrl('t'), &ctx());
        assert_eq!(f.value(0), "PD1234");
        f.key(&ctrl('t'), &ctx());
        assert_eq!(f.value(0), "1");
        f.key(&ctrl('t'), &ctx());
        assert_eq!(f.value(0), "02326789");
    }

    /// Checksum computed here: XOR of the bytes between `$` and `*`.
    fn with_checksum(body: &str) -> String {
        let cs = body.bytes().fold(0u8, |a, b| a ^ b);
        format!("${body}*{cs:02X}")
    }

    fn inland_page(kind: FormKind) -> Form {
        let mut f = Form::voyage(Vec::new());
        while f.kind != kind {
            f.key(&ctrl('t'), &ctx());
        }
        f
    }

    #[test]
    fn inland_voyage_page_in_words_confirmed_then_sent() {
        let mut f = inland_page(FormKind::InlandVoyage);
        f.key(&k(KeyCode::Enter), &ctx());
        assert!(!f.confirm, "nothing to send when all is unchanged");
        assert!(
            f.note
                .clone()
                .unwrap_or_default()
                .contains("nothing to send")
        );
        assert_eq!(f.check(0, &ctx()), Ok("unchanged".into()));
        for (i, v) in [
            (1, "b"),
            (2, "l"),
            (3, "2.85"),
            (4, "7.5"),
            (5, "7"),
            (6, "4"),
            (8, "255"),
            (10, "110.5"),
        ] {
            f.focus = i;
            typed(&mut f, v);
        }
        assert_eq!(f.value(1), "B", "letters folded as typed");
        assert_eq!(f.check(1, &ctx()), Ok("B-flag".into()));
        assert_eq!(f.check(2, &ctx()), Ok("loaded".into()));
        assert_eq!(f.check(5, &ctx()), Ok("unknown".into()));
        assert_eq!(f.check(8, &ctx()), Ok("unknown".into()));
        // Out of range: refused, the send goes to the field.
        f.focus = 7;
        typed(&mut f, "8192");
        let e = f.check(7, &ctx()).unwrap_err();
        assert!(e.contains("0 to 8190 passengers"), "{e}");
        f.focus = 0;
        f.key(&k(KeyCode::Enter), &ctx());
        assert!(!f.confirm);
        assert_eq!(f.focus, 7);
        f.key(&ctrl('u'), &ctx());
        typed(&mut f, "12");
        f.key(&k(KeyCode::Enter), &ctx());
        assert!(f.confirm, "{:?}", f.note);
        assert_eq!(
            f.question(),
            "Write the inland voyage data to the transponder?"
        );
        match f.key(&k(KeyCode::Char('y')), &ctx()) {
            Outcome::SendData("PIWWIVD", lines) => assert_eq!(
                lines,
                [with_checksum("PIWWIVD,,4,1,2.85,7.50,7,4,12,255,,110.5,,")]
            ),
            o => panic!("{o:?}"),
        }
        assert_eq!(f.texts()[4], "7.5");
    }

    #[test]
    fn inland_static_page_names_the_eri_type_and_sends_ssd() {
        let mut f = inland_page(FormKind::InlandStatic);
        for (i, v) in [
            (0, "02326789"),
            (1, "8010"),
            (2, "110"),
            (3, "11.4"),
            (4, "1"),
            (5, "0"),
            (7, "52"),
            (8, "5.7"),
        ] {
            f.focus = i;
            typed(&mut f, v);
        }
        assert_eq!(f.check(1, &ctx()), Ok("Motor freighter".into()));
        assert_eq!(f.check(4, &ctx()), Ok("high".into()));
        assert_eq!(f.check(5, &ctx()), Ok("low".into()));
        assert_eq!(f.check(6, &ctx()), Ok("unchanged".into()));
        f.focus = 3;
        typed(&mut f, "5");
        assert!(
            f.check(3, &ctx()).is_err(),
            "11.45: one decimal, not rounded"
        );
        f.key(&k(KeyCode::Backspace), &ctx());
        f.focus = 1;
        f.key(&ctrl('u'), &ctx());
        typed(&mut f, "1234");
        assert!(f.check(1, &ctx()).unwrap_err().contains("ERI"));
        f.key(&ctrl('u'), &ctx());
        typed(&mut f, "8010");
        f.key(&k(KeyCode::Enter), &ctx());
        assert!(f.confirm, "{:?}", f.note);
        // Any key but y goes back without sending.
        assert_eq!(f.key(&k(KeyCode::Char('n')), &ctx()), Outcome::Stay);
        f.key(&k(KeyCode::Enter), &ctx());
        match f.key(&k(KeyCode::Char('y')), &ctx()) {
            Outcome::SendData("PIWWSSD", lines) => assert_eq!(
                lines,
                [with_checksum(
                    "PIWWSSD,02326789,8010,110.0,11.4,1,0,,52.0,5.7,,"
                )]
            ),
            o => panic!("{o:?}"),
        }
    }

    #[test]
    fn eta_air_draught_comes_from_the_inland_voyage_data() {
        let mut inland = InlandTexts::default();
        let mut f = Form::eta();
        f.air_draught_from(&inland);
        assert_eq!(f.value(8), "");
        inland.voyage = vec![String::new(); 13];
        inland.voyage[4] = "0".into();
        f.air_draught_from(&inland);
        assert_eq!(f.value(8), "", "0 is unknown: no default");
        inland.voyage[4] = "9.1".into();
        f.air_draught_from(&inland);
        assert_eq!(f.value(8), "9.10");
        assert_eq!(fields::air_draught(f.value(8)), Ok(910));
    }

    #[test]
    fn eta_shows_local_time_with_the_offset() {
        let with = |o: Option<i32>| Context {
            now_ms: NOW,
            name_of: &names,
            utc_offset_min: o,
        };
        let mut f = Form::eta();
        f.focus = 6;
        typed(&mut f, "2026-11-22 14:30");
        assert_eq!(f.check(6, &ctx()), Ok(String::new()));
        assert_eq!(
            f.check(6, &with(Some(60))),
            Ok("local 15:30 (UTC+1)".into())
        );
        assert_eq!(
            f.check(6, &with(Some(-150))),
            Ok("local 12:00 (UTC-2:30)".into())
        );
        assert_eq!(
            f.check(6, &with(Some(600))),
            Ok("local 2026-11-23 00:30 (UTC+10)".into())
        );
        assert_eq!(utc_offset_label(0), "UTC+0");
        assert_eq!(utc_offset_label(345), "UTC+5:45");
    }
}
