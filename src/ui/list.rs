//! Target list: one row per target with name/MMSI, BRG, RNG, CPA, TCPA, SOG,
//! COG and state. Dangerous and lost targets are marked in words and
//! symbols (so they stand out without colour) as well as in colour; a
//! target lost while dangerous keeps its last CPA/TCPA and the danger mark.

use super::format;
use super::theme::Theme;
use crate::app::console::{App, SortKey};
use crate::traffic::alarm::AlarmId;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Cell, Row, Table};

pub fn render(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    let list = app.list();
    let selected = app.engine.traffic.selected;
    let visible = area.height.saturating_sub(3) as usize;
    // Keep the selected row in view.
    let sel_idx = selected
        .and_then(|m| list.iter().position(|t| t.mmsi == m))
        .unwrap_or(0);
    let first = sel_idx.saturating_sub(visible.saturating_sub(1));
    let rows = list.iter().skip(first).take(visible).map(|t| {
        let is_sel = Some(t.mmsi) == selected;
        // The state in words for every row, the selected one too: the
        // selection is shown by the ▶ mark and the highlight.
        let state = format::state(t, false);
        let snoozed = app.engine.traffic.alarms.is_snoozed(t.mmsi, app.now_ms());
        // "!" marks an alarm not yet acknowledged, as in the alarm bar.
        let unacked = |id: AlarmId| {
            app.engine
                .traffic
                .alarms
                .get(&id)
                .is_some_and(|a| a.unacknowledged())
        };
        let symbol = match state {
            "DANGER" if unacked(AlarmId::Dangerous(t.mmsi)) => "▲!",
            "DANGER" => "▲ ",
            "LOST" if t.lost_dangerous && unacked(AlarmId::Lost(t.mmsi)) => "✕!",
            "LOST" => "✕ ",
            "SART" if unacked(AlarmId::Distress(t.mmsi)) => "⊗!",
            "SART" => "⊗ ",
            "TEST" => "⊘T",
            _ => "  ",
        };
        let mark = format!("{}{symbol}", if is_sel { "▶" } else { " " });
        let (brg, rng) = app
            .engine
            .traffic
            .shown_bearing_range(t, app.now_ms())
            .map_or(("---".into(), "---".into()), |(b, r)| {
                (format::bearing(b), format!("{r:5.2}"))
            });
        let (cpa, tcpa) = t
            .shown_cpa(app.now_ms())
            .map_or(("---".into(), "---".into()), |c| {
                (format!("{:5.2}", c.cpa_nm), format!("{:5.1}", c.tcpa_min))
            });
        let sog = t
            .sog_kn
            .map_or("---".into(), |s| format!("{:4.1}", s.value));
        let cog = t.cog_deg.map_or("---".into(), |s| format::bearing(s.value));
        let style = match state {
            "DANGER" | "SART" => th.danger(),
            "LOST" if t.lost_dangerous => th.danger(),
            "LOST" => th.warn().add_modifier(Modifier::CROSSED_OUT),
            "TEST" => th.warn(),
            "sleeping" => th.dim(),
            _ => th.base(),
        };
        let style = if is_sel {
            style.bg(th.selected_bg).add_modifier(Modifier::BOLD)
        } else {
            style
        };
        let mut name = format::name(t);
        name.truncate(20);
        Row::new(vec![
            Cell::from(mark),
            Cell::from(name),
            Cell::from(format::kind_via(t)),
            Cell::from(brg),
            Cell::from(rng),
            Cell::from(cpa),
            Cell::from(tcpa),
            Cell::from(sog),
            Cell::from(cog),
            Cell::from(if snoozed && state == "DANGER" {
                "DANGER z"
            } else {
                state
            }),
        ])
        .style(style)
    });
    let sort = match app.view.sort {
        SortKey::Range => "range",
        SortKey::Cpa => "CPA",
        SortKey::Tcpa => "TCPA",
        SortKey::Name => "name",
    };
    let header = Row::new([
        "",
        "NAME/MMSI",
        "TYPE",
        "BRG°",
        "RNG NM",
        "CPA NM",
        "TCPA m",
        "SOG",
        "COG°",
        "STATE",
    ])
    .style(th.accent());
    let title = Span::styled(
        format!(
            " targets {} · sort {sort} · filter {} ",
            list.len(),
            app.view.filter.label()
        ),
        th.accent(),
    );
    let table = Table::new(
        rows,
        [
            Constraint::Length(3),
            Constraint::Length(20),
            Constraint::Length(5),
            Constraint::Length(5),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(4),
            Constraint::Length(5),
            Constraint::Length(8),
        ],
    )
    .header(header)
    .block(
        Block::default()
            .borders(Borders::ALL)
            .border_style(th.dim())
            .title(title),
    )
    .style(th.base());
    f.render_widget(table, area);
}
