//! Status bar: own position, COG/SOG/HDG with their sources, each link's
//! state, data time (UTC), and a permanent flag when any alarm class is off.

use super::format::{self, lat, lon};
use super::theme::Theme;
use crate::app::console::App;
use crate::clock::rfc3339;
use crate::traffic::alarm::Priority;
use crate::traffic::own_ship::Sourced;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub fn render(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    let t = &app.engine.traffic;
    let own = &t.own;
    let now = app.now_ms();
    let timeout = (t.config.own_ship.own_position_timeout_s * 1000.0) as i64;
    let mut l1 = vec![Span::styled(" OWN ", th.accent())];
    match own.position {
        Some(p) if !own.position_lost(now, timeout) => {
            l1.push(Span::styled(
                format!("{} {} ", lat(p.value.value.0), lon(p.value.value.1)),
                th.base(),
            ));
            l1.push(Span::styled(format!("({}) ", p.source.label()), th.dim()));
        }
        _ => l1.push(Span::styled(
            "POSITION LOST — CPA not available ",
            th.danger(),
        )),
    }
    let v = |x: Option<Sourced<f64>>, f: fn(f64) -> String, unit: &str| match x {
        Some(s) => format!("{}{unit} ", f(s.value.value)),
        None => "--- ".to_string(),
    };
    l1.push(Span::styled("COG ", th.dim()));
    l1.push(Span::styled(
        v(own.cog_deg, format::bearing, "°"),
        th.base(),
    ));
    l1.push(Span::styled("SOG ", th.dim()));
    l1.push(Span::styled(
        v(own.sog_kn, |s| format!("{s:.1}"), " kn"),
        th.base(),
    ));
    l1.push(Span::styled("HDG ", th.dim()));
    l1.push(Span::styled(
        v(own.heading_deg, format::heading, "°"),
        th.base(),
    ));
    if let Some(h) = own.heading_deg {
        l1.push(Span::styled(format!("({}) ", h.source.label()), th.dim()));
    }
    let rows = link_rows(app, th, usize::from(area.width));
    let [top, rest] = Layout::vertical([
        Constraint::Length(1 + rows.len() as u16),
        Constraint::Min(0),
    ])
    .areas(area);
    let mut lines = vec![Line::from(l1)];
    lines.extend(rows);
    f.render_widget(Paragraph::new(lines).style(th.base()), top);
    // The AI-IP client's state has rows of its own, wrapped at a narrow
    // width rather than cut (see [`height`]).
    if let Some(text) = aiip_text(app) {
        f.render_widget(
            Paragraph::new(Span::styled(text, th.dim()))
                .style(th.base())
                .wrap(Wrap { trim: false }),
            rest,
        );
    }
}

/// The second line: data time, the alarm classes switched off, each
/// link's state (with the address it listens on when the system chose the
/// port, and the input it lost), then the count of targets and the
/// configuration in use. Nothing is cut: a link that does not fit goes to
/// a row of its own (at most one more), and the closing count and
/// configuration are left out, whole, when there is no room for them.
fn link_rows<'a>(app: &App, th: &Theme, width: usize) -> Vec<Line<'a>> {
    let t = &app.engine.traffic;
    let utc = Span::styled(format!(" UTC {} ", rfc3339(app.now_ms())), th.base());
    // An alarm class switched off is flagged before anything else on the
    // line, so no list of links pushes it out of a narrow screen.
    let off = t.disabled_alarm_classes();
    let room = width.saturating_sub(utc.width());
    let mut first = vec![utc];
    if !off.is_empty() {
        first.push(Span::styled(alarms_off(&off, room), th.danger()));
    }
    // The harbour rule says when it holds a ship from alarming.
    let held = t.still_holding();
    if held > 0 {
        first.push(Span::styled(
            format!(" {held} still (harbour rule) "),
            th.warn(),
        ));
    }
    let mut rows: Vec<Vec<Span<'a>>> = vec![first];
    let used = |r: &[Span]| r.iter().map(Span::width).sum::<usize>();
    for link in &app.links.list {
        // The AI-IP link is up only while its client works: an open socket
        // for a client that sends nothing is not.
        let problem = app
            .aiip
            .as_ref()
            .filter(|_| link.name.starts_with("aiip:"))
            .and_then(|a| a.link_problem(app.last_wall_ms));
        let up = link.up && problem.is_none();
        let (mark, style) = if up {
            ("●", th.ok())
        } else {
            ("○", th.warn())
        };
        let name = Span::styled(format!(" {mark} {} ", link.name), style);
        let detail = if !up {
            let detail = problem.as_deref().unwrap_or(&link.detail);
            Some(Span::styled(format!("({detail}) "), th.dim()))
        } else {
            link.bound
                .as_ref()
                .map(|b| Span::styled(format!("({}{b}) ", crate::link::tasks::LISTENING), th.dim()))
        };
        let lost =
            (link.lost > 0).then(|| Span::styled(format!("{} lost ", link.lost), th.danger()));
        let full: Vec<Span> = [Some(name.clone()), detail, lost.clone()]
            .into_iter()
            .flatten()
            .collect();
        // Without its detail when even a row of its own is too narrow.
        let short: Vec<Span> = [Some(name), lost].into_iter().flatten().collect();
        let last = rows.len() - 1;
        let free = width.saturating_sub(used(&rows[last]));
        let piece = if used(&full) <= free {
            full
        } else if rows.len() < 2 {
            rows.push(Vec::new());
            if used(&full) <= width { full } else { short }
        } else {
            short
        };
        let last = rows.len() - 1;
        rows[last].extend(piece);
    }
    let tail = [
        format!("  {} targets · {}", t.targets.len(), app.config_label),
        format!("  {} targets", t.targets.len()),
    ];
    let last = rows.len() - 1;
    let free = width.saturating_sub(used(&rows[last]));
    if let Some(text) = tail
        .into_iter()
        .find(|s| Span::raw(s.as_str()).width() <= free)
    {
        rows[last].push(Span::styled(text, th.dim()));
    }
    rows.into_iter().map(Line::from).collect()
}

/// The flag for alarm classes switched off, in `room` columns: every
/// name when they fit ("ALARMS OFF: lost, cpa_for_sleeping"), else the
/// count, the names that fit and how many more ("ALARMS OFF (3): lost,
/// cpa_for_sleeping +1"); never a name cut short.
fn alarms_off(off: &[&str], room: usize) -> String {
    let lead = format!(
        " {} {}",
        Priority::Caution.symbol(),
        Priority::Caution.word()
    );
    let all = format!("{lead} ALARMS OFF: {} ", off.join(", "));
    let width = |s: &str| Span::raw(s).width();
    if width(&all) <= room {
        return all;
    }
    let n = off.len();
    for k in (1..n).rev() {
        let s = format!(
            "{lead} ALARMS OFF ({n}): {} +{} ",
            off[..k].join(", "),
            n - k
        );
        if width(&s) <= room {
            return s;
        }
    }
    let counted = format!("{lead} ALARMS OFF ({n}) ");
    if width(&counted) <= room {
        counted
    } else {
        format!(" ALARMS OFF ({n}) ")
    }
}

fn aiip_text(app: &App) -> Option<String> {
    app.aiip
        .as_ref()
        .map(|a| format!(" {}", a.status_line(app.last_wall_ms)))
}

/// Rows the status bar takes at `width` columns: own ship, and links; the
/// AI-IP client's state, when there is one, on as many rows as it needs
/// (at most two).
pub fn height(app: &App, width: u16) -> u16 {
    let aiip = aiip_text(app).map_or(0, |t| {
        let w = usize::from(width.max(20));
        t.chars().count().div_ceil(w).clamp(1, 2)
    });
    let th = Theme::of(app.view.palette);
    let links = link_rows(app, &th, usize::from(width)).len();
    1 + links as u16 + aiip as u16
}
