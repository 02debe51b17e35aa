//! Selected-target window: every field received, with its age; CPA/TCPA;
//! nav status text; static, voyage and inland data. What was never received
//! reads "missing", never a made-up value. Where the window is too narrow
//! a row wraps under its value; where it is too low it scrolls.

use super::format::{self, MISSING, lat, lon, stamped};
use super::theme::Theme;
use crate::ais::legends;
use crate::ais::messages::Dimensions;
use crate::app::console::{Action, App};
use crate::traffic::target::{Target, TargetKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// The label column.
const LABEL: usize = 15;
/// The value column.
const VALUE: usize = 40;
/// Width of the window that shows a row on one line: label, value, age
/// ("  59 min ago"), borders.
pub const WIDTH: u16 = (LABEL + VALUE + 14 + 2) as u16;

pub fn render(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.accent())
        .title(Span::styled(
            format!(
                " selected target — {} closes ",
                app.keymap.key_of(Action::Close)
            ),
            th.accent(),
        ))
        .style(th.base());
    let width = block.inner(area).width as usize;
    let lines = lines(app, th, width);
    if lines.is_empty() {
        f.render_widget(Paragraph::new("no target selected").block(block), area);
        return;
    }
    super::scrolled(f, area, block, lines, &app.view.details_scroll, th.accent());
}

/// Every line of the window `width` columns wide; none when no target is
/// selected.
pub fn lines<'a>(app: &App, th: &Theme, width: usize) -> Vec<Line<'a>> {
    let Some(t) = app.selected() else {
        return Vec::new();
    };
    let now = app.now_ms();
    let s = &t.statics;
    if let Some(rows) = station_rows(app, t, now) {
        return finish(rows, th, width);
    }
    let mut rows: Vec<(&str, (String, String))> = vec![
        ("Name", stamped(&s.name, now, |v| format::sanitize(v))),
        ("MMSI", (format!("{:09}", t.mmsi), String::new())),
        ("Class", (format::kind(t).to_string(), String::new())),
        ("Source", (format::heard(t).to_string(), String::new())),
        ("State", (format::state(t, true).to_string(), String::new())),
        (
            "Position",
            stamped(&t.position, now, |p| format!("{} {}", lat(p.0), lon(p.1))),
        ),
        ("SOG", stamped(&t.sog_kn, now, |v| format!("{v:.1} kn"))),
        (
            "COG",
            stamped(&t.cog_deg, now, |v| format!("{}°", format::bearing(*v))),
        ),
        ("Heading", stamped(&t.heading_deg, now, |v| format!("{v}°"))),
        (
            "Rate of turn",
            stamped(&t.rot, now, |v| match v {
                127 => "turning right, no ROT sensor".into(),
                -127 => "turning left, no ROT sensor".into(),
                r => format!(
                    "{:.1}°/min",
                    (f64::from(*r) / 4.733).powi(2) * f64::from(*r).signum()
                ),
            }),
        ),
        (
            "Nav status",
            stamped(&t.nav_status, now, |v| legends::nav_status(*v).to_string()),
        ),
        (
            "CPA",
            (
                t.cpa
                    .map_or_else(|| "not available".into(), |c| format!("{:.2} NM", c.cpa_nm)),
                String::new(),
            ),
        ),
        (
            "TCPA",
            (
                t.cpa.map_or_else(
                    || "not available".into(),
                    |c| format!("{:.1} min", c.tcpa_min),
                ),
                String::new(),
            ),
        ),
        (
            "Bearing/range",
            (
                app.engine.traffic.shown_bearing_range(t, now).map_or_else(
                    || "not available".into(),
                    |(b, r)| format!("{}° {r:.2} NM", format::bearing(b)),
                ),
                String::new(),
            ),
        ),
        (
            "Call sign",
            stamped(&s.callsign, now, |v| format::sanitize(v)),
        ),
        ("IMO", stamped(&s.imo, now, |v| v.to_string())),
        (
            "Ship type",
            stamped(&s.ship_type, now, |v| {
                format!("{v} {}", legends::ship_type(*v))
            }),
        ),
        (
            "Dimensions",
            stamped(&s.dimensions, now, |d| {
                dimensions(d).unwrap_or_else(|| "not available".into())
            }),
        ),
        (
            "Draught",
            stamped(&s.draught_m, now, |v| format!("{v:.1} m")),
        ),
        (
            "Destination",
            stamped(&s.destination, now, |v| format::sanitize(v)),
        ),
        (
            "ETA",
            stamped(&s.eta, now, |e| {
                format!("{:02}-{:02} {:02}:{:02} UTC", e.0, e.1, e.2, e.3)
            }),
        ),
    ];
    match &s.inland {
        Some(i) => {
            let v = &i.value;
            let eri = legends::eri_ship_type(v.shiptype).map_or("unknown ERI code", |e| e.0);
            rows.push((
                "ENI",
                (format::sanitize(v.vin.as_str()), format::age(i.at_ms, now)),
            ));
            rows.push((
                "Inland type",
                (format!("{} {eri}", v.shiptype), String::new()),
            ));
            rows.push((
                "Inland L×B",
                (
                    format!(
                        "{:.1} m × {:.1} m",
                        f64::from(v.length) / 10.0,
                        f64::from(v.beam) / 10.0
                    ),
                    String::new(),
                ),
            ));
            rows.push((
                "Blue cones",
                (legends::hazard(v.hazard).to_string(), String::new()),
            ));
            rows.push((
                "Loaded",
                (legends::loaded(v.loaded).to_string(), String::new()),
            ));
        }
        None => rows.push(("Inland data", (MISSING.to_string(), String::new()))),
    }
    finish(rows, th, width)
}

/// Length × beam, `None` when all four distances are 0 (not available,
/// M.1371-5 figure 17).
fn dimensions(d: &Dimensions) -> Option<String> {
    let length = d.to_bow + d.to_stern;
    let beam = u16::from(d.to_port) + u16::from(d.to_starboard);
    (length > 0 || beam > 0).then(|| format!("{length} m × {beam} m"))
}

/// The rows of a station that is not a ship: an aid to navigation
/// (message 21) or a base station (message 4) shows what it sends and no
/// ship's fields (SOG, COG, heading, IMO, ship type, voyage …). `None` for
/// any other target.
fn station_rows<'a>(app: &App, t: &Target, now: i64) -> Option<Vec<(&'a str, (String, String))>> {
    let aton = match t.kind {
        TargetKind::AidToNavigation { virtual_aid, .. } => Some(virtual_aid),
        TargetKind::BaseStation => None,
        _ => return None,
    };
    let none = String::new;
    let mut rows: Vec<(&str, (String, String))> = Vec::new();
    if aton.is_some() || t.statics.name.is_some() {
        rows.push((
            "Name",
            stamped(&t.statics.name, now, |v| format::sanitize(v)),
        ));
    }
    rows.push(("MMSI", (format!("{:09}", t.mmsi), none())));
    let class = match aton {
        Some(_) => "aid to navigation (AtoN)",
        None => "base station",
    };
    rows.push(("Class", (class.to_string(), none())));
    if let Some(virtual_aid) = aton {
        let kind = t
            .aid_type
            .map_or_else(|| MISSING.to_string(), |a| legends::aid_type(a).to_string());
        rows.push(("AtoN type", (kind, none())));
        let real = if virtual_aid {
            "virtual (no physical aid at the position)"
        } else {
            "real (a physical aid)"
        };
        rows.push(("Real/virtual", (real.to_string(), none())));
        rows.push((
            "Off position",
            match &t.off_position {
                Some(o) if o.value => ("OFF POSITION".to_string(), format::age(o.at_ms, now)),
                Some(o) => ("on position".to_string(), format::age(o.at_ms, now)),
                None => ("not known (no valid time stamp)".to_string(), none()),
            },
        ));
    }
    rows.push(("Source", (format::heard(t).to_string(), none())));
    rows.push(("State", (format::state(t, true).to_string(), none())));
    rows.push((
        "Position",
        stamped(&t.position, now, |p| format!("{} {}", lat(p.0), lon(p.1))),
    ));
    let accuracy = match t.position_accuracy {
        Some(true) => "high (better than 10 m)",
        Some(false) => "low (worse than 10 m)",
        None => MISSING,
    };
    rows.push(("Pos. accuracy", (accuracy.to_string(), none())));
    rows.push((
        "Bearing/range",
        (
            app.engine.traffic.shown_bearing_range(t, now).map_or_else(
                || "not available".into(),
                |(b, r)| format!("{}° {r:.2} NM", format::bearing(b)),
            ),
            none(),
        ),
    ));
    if aton.is_some()
        && let Some(d) = &t.statics.dimensions
        && let Some(text) = dimensions(&d.value)
    {
        rows.push(("Dimensions", (text, format::age(d.at_ms, now))));
    }
    Some(rows)
}

/// The rows as lines of the window.
fn finish<'a>(rows: Vec<(&str, (String, String))>, th: &Theme, width: usize) -> Vec<Line<'a>> {
    rows.into_iter()
        .flat_map(|(k, (v, age))| {
            let vs = if v == MISSING { th.dim() } else { th.base() };
            super::row(
                Span::styled(format!(" {k:<w$}", w = LABEL - 1), th.dim()),
                vec![
                    Span::styled(format!("{v:<VALUE$}"), vs),
                    Span::styled(
                        if age.is_empty() {
                            String::new()
                        } else {
                            format!("  {age} ago")
                        },
                        th.dim(),
                    ),
                ],
                width,
            )
        })
        .collect()
}
