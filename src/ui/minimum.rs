//! The A.1106 §29 minimum display: at least three lines — bearing, range and
//! name of the selected ship. Other data of that ship scroll horizontally
//! (←/→) beside them; bearing and range never scroll away. ↑/↓ go through
//! all ships, nearest first.

use super::format::{self, MISSING};
use super::theme::Theme;
use crate::ais::legends;
use crate::app::console::App;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// The scrollable fields of the selected target: (label, value).
pub fn fields(app: &App) -> Vec<(&'static str, String)> {
    let Some(t) = app.selected() else {
        return Vec::new();
    };
    let m = |o: Option<String>| o.unwrap_or_else(|| MISSING.to_string());
    // A target lost while dangerous shows its last figures, marked so.
    let cpa = t.shown_cpa(app.now_ms());
    let last = if t.lost_dangerous { " (last)" } else { "" };
    vec![
        (
            "CPA",
            cpa.map_or_else(|| "n/a".into(), |c| format!("{:.2} NM{last}", c.cpa_nm)),
        ),
        (
            "TCPA",
            cpa.map_or_else(|| "n/a".into(), |c| format!("{:.1} min{last}", c.tcpa_min)),
        ),
        ("SOG", m(t.sog_kn.map(|s| format!("{:.1} kn", s.value)))),
        (
            "COG",
            m(t.cog_deg.map(|s| format!("{}°", format::bearing(s.value)))),
        ),
        ("HDG", m(t.heading_deg.map(|s| format!("{}°", s.value)))),
        ("MMSI", format!("{:09}", t.mmsi)),
        (
            "STATUS",
            m(t.nav_status
                .map(|s| legends::nav_status(s.value).to_string())),
        ),
        (
            "CALL",
            m(t.statics
                .callsign
                .as_ref()
                .map(|s| format::sanitize(&s.value))),
        ),
        (
            "TYPE",
            m(t.statics
                .ship_type
                .map(|s| legends::ship_type(s.value).to_string())),
        ),
        (
            "DEST",
            m(t.statics
                .destination
                .as_ref()
                .map(|s| format::sanitize(&s.value))),
        ),
        ("CLASS", format::kind(t).to_string()),
    ]
}

pub fn render(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(th.dim())
        .title(Span::styled(
            " selected target (↑↓ ships, ←→ data) ",
            th.accent(),
        ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let [fixed, scroll] =
        Layout::horizontal([Constraint::Length(34), Constraint::Min(10)]).areas(inner);
    let Some(t) = app.selected() else {
        f.render_widget(Paragraph::new(Span::styled(" no target", th.dim())), fixed);
        return;
    };
    let style = if t.dangerous || t.is_distress_alert() {
        th.danger()
    } else {
        th.base()
    };
    let (brg, rng) = app
        .engine
        .traffic
        .shown_bearing_range(t, app.now_ms())
        .map_or(("n/a".to_string(), "n/a".to_string()), |(b, r)| {
            (format!("{}°", format::bearing(b)), format!("{r:.2} NM"))
        });
    let lines = vec![
        Line::from(vec![
            Span::styled(" BRG  ", th.dim()),
            Span::styled(brg, style),
        ]),
        Line::from(vec![
            Span::styled(" RNG  ", th.dim()),
            Span::styled(rng, style),
        ]),
        Line::from(vec![
            Span::styled(" NAME ", th.dim()),
            Span::styled(format::name(t), style),
        ]),
    ];
    f.render_widget(Paragraph::new(lines), fixed);
    let fields = fields(app);
    let start = app.view.hscroll.min(fields.len().saturating_sub(1));
    let per_line = fields.len().div_ceil(3).max(1);
    let shown: Vec<&(&str, String)> = fields.iter().skip(start).collect();
    let mut out = Vec::new();
    for chunk in shown.chunks(per_line).take(3) {
        let mut spans = Vec::new();
        for (label, value) in chunk {
            spans.push(Span::styled(format!("{label} "), th.dim()));
            spans.push(Span::styled(format!("{value}   "), th.base()));
        }
        out.push(Line::from(spans));
    }
    if start > 0 {
        out.insert(
            0,
            Line::from(Span::styled(format!("◀ {start} more"), th.dim())),
        );
        out.truncate(3);
    }
    f.render_widget(Paragraph::new(out), scroll);
}
