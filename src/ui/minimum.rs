//! The A.1106 §29 minimum display: at least three lines — bearing, range and
//! name of the selected ship. Other data of that ship scroll horizontally
//! (←/→) beside them; bearing and range never scroll away. ↑/↓ go through
//! all ships, nearest first. No value is cut at the edge: a field that
//! does not fit the rest of a line goes whole to the next, and what does
//! not fit the three lines is reached with ←/→; on a narrow screen (an
//! 80-column terminal) the fixed part is as wide as the name needs and
//! the fields stand closer.

use super::format::{self, MISSING};
use super::theme::Theme;
use crate::ais::legends;
use crate::app::console::App;
use crate::traffic::target::TargetKind;
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
    // An aid to navigation or a base station sends no ship's data: what it
    // is, and for an AtoN whether it is off position.
    match t.kind {
        TargetKind::AidToNavigation { .. } => {
            let off = match t.off_position {
                Some(o) if o.value => "OFF POSITION",
                Some(_) => "on position",
                None => "not known",
            };
            return vec![
                (
                    "ATON",
                    m(t.aid_type.map(|a| legends::aid_type(a).to_string())),
                ),
                ("POSITION", off.to_string()),
                ("MMSI", format!("{:09}", t.mmsi)),
                ("CLASS", format::kind(t).to_string()),
            ];
        }
        TargetKind::BaseStation => {
            return vec![
                ("MMSI", format!("{:09}", t.mmsi)),
                ("CLASS", "base station".to_string()),
            ];
        }
        _ => {}
    }
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

/// Below this many columns the display is narrow: the fixed part takes
/// what its name needs and the fields stand closer.
const NARROW: u16 = 100;
/// The fixed part (bearing, range, name) on a wide display.
const FIXED_WIDE: u16 = 34;
/// The fixed part on a narrow display: " NAME ", a 20-character AIS name
/// and a space (wider for a longer name).
const FIXED_NARROW: u16 = 27;

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
    let narrow = inner.width < NARROW;
    let Some(t) = app.selected() else {
        f.render_widget(Paragraph::new(Span::styled(" no target", th.dim())), inner);
        return;
    };
    let name = format::name(t);
    let fixed_w = if narrow {
        let need = u16::try_from(Span::raw(name.as_str()).width() + 7).unwrap_or(u16::MAX);
        need.clamp(
            FIXED_NARROW,
            inner.width.saturating_sub(20).max(FIXED_NARROW),
        )
    } else {
        FIXED_WIDE
    };
    let [fixed, scroll] =
        Layout::horizontal([Constraint::Length(fixed_w), Constraint::Min(10)]).areas(inner);
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
            Span::styled(name, style),
        ]),
    ];
    f.render_widget(Paragraph::new(lines), fixed);
    let fields = fields(app);
    let per_line = fields.len().div_ceil(3).max(1);
    let gap = if narrow { "  " } else { "   " };
    let width = usize::from(scroll.width);
    // The farthest start that still shows something new: the first from
    // which every field to the end is in view.
    let max = (0..fields.len())
        .find(|&s| shown(&fields, s, width, per_line, gap, th).1 == fields.len())
        .unwrap_or(fields.len().saturating_sub(1));
    app.view.hscroll_max.set(Some(max));
    let start = app.view.hscroll.min(max);
    f.render_widget(
        Paragraph::new(shown(&fields, start, width, per_line, gap, th).0),
        scroll,
    );
}

/// The fields from `start` laid in three lines at most, with "◀ n more"
/// first when fields are hidden on the left and "▶ n more" last when
/// some are hidden on the right; with the end of what is shown.
fn shown<'a>(
    fields: &[(&'static str, String)],
    start: usize,
    width: usize,
    per_line: usize,
    gap: &'static str,
    th: &Theme,
) -> (Vec<Line<'a>>, usize) {
    let n = fields.len();
    let left = (start > 0).then(|| ("◀", format!("{start} more")));
    for end in (start..=n).rev() {
        let right = (end < n).then(|| ("▶", format!("{} more", n - end)));
        let marks = usize::from(left.is_some() || right.is_some());
        let items: Vec<(&'static str, String)> = left
            .iter()
            .cloned()
            .chain(fields[start..end].iter().cloned())
            .chain(right)
            .collect();
        let lines = laid(items.iter(), width, per_line + marks, gap, th);
        if lines.len() <= 3 {
            return (lines, end);
        }
    }
    let mut lines = laid(fields[start..].iter(), width, per_line, gap, th);
    lines.truncate(3);
    (lines, start)
}

/// The fields laid in lines `width` columns wide, at most `per_line` on a
/// line, `gap` between two: a field goes whole to the next line when it
/// does not fit the rest of this one, so no value is ever cut at the edge.
/// Only a field wider than a whole line (a long status in words) is
/// wrapped, at its spaces.
fn laid<'a, 'f>(
    fields: impl Iterator<Item = &'f (&'static str, String)>,
    width: usize,
    per_line: usize,
    gap: &'static str,
    th: &Theme,
) -> Vec<Line<'a>> {
    let w = |s: &str| Span::raw(s).width();
    let mut lines: Vec<Vec<Span<'a>>> = Vec::new();
    let mut cur: Vec<Span<'a>> = Vec::new();
    let mut cur_w = 0;
    let mut on_line = 0;
    for (label, value) in fields {
        let field_w = w(label) + 1 + w(value);
        let sep = if on_line > 0 { w(gap) } else { 0 };
        if on_line > 0 && (on_line >= per_line || cur_w + sep + field_w > width) {
            lines.push(std::mem::take(&mut cur));
            cur_w = 0;
            on_line = 0;
        }
        if on_line > 0 {
            cur.push(Span::styled(gap, th.base()));
            cur_w += w(gap);
        }
        on_line += 1;
        cur.push(Span::styled(format!("{label} "), th.dim()));
        cur_w += w(label) + 1;
        if cur_w + w(value) <= width {
            cur.push(Span::styled(value.clone(), th.base()));
            cur_w += w(value);
            continue;
        }
        // Wider than a line: word by word.
        let mut first = true;
        for word in value.split(' ') {
            let sep = usize::from(!first);
            if !first && cur_w + sep + w(word) > width {
                lines.push(std::mem::take(&mut cur));
                cur_w = 0;
            } else if !first {
                cur.push(Span::styled(" ", th.base()));
                cur_w += 1;
            }
            cur.push(Span::styled(word.to_string(), th.base()));
            cur_w += w(word);
            first = false;
        }
        // What follows starts a line of its own.
        on_line = per_line;
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines.into_iter().map(Line::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::theme::Palette;

    fn text(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn fields_go_whole_to_the_next_line_and_only_a_long_text_wraps() {
        let th = Theme::of(Palette::Day);
        let fields: Vec<(&'static str, String)> = vec![
            ("CPA", "0.23 NM".into()),
            ("TCPA", "11.6 min".into()),
            ("SOG", "10.0 kn".into()),
            ("COG", "000.0°".into()),
            (
                "STATUS",
                legends::nav_status(12).into(), // 53 characters
            ),
            ("CALL", "OJAB2".into()),
        ];
        let lines = text(&laid(fields.iter(), 53, 4, "  ", &th));
        assert_eq!(
            lines,
            [
                "CPA 0.23 NM  TCPA 11.6 min  SOG 10.0 kn  COG 000.0°",
                "STATUS Power-driven vessel pushing ahead or towing",
                "alongside",
                "CALL OJAB2",
            ]
        );
        assert!(lines.iter().all(|l| Span::raw(l.as_str()).width() <= 53));
        let lines = text(&laid(fields.iter().take(4), 50, 4, "  ", &th));
        assert_eq!(
            lines,
            ["CPA 0.23 NM  TCPA 11.6 min  SOG 10.0 kn", "COG 000.0°"]
        );
        // Wide: four to a line, as many as fit.
        let lines = text(&laid(fields.iter(), 106, 4, "   ", &th));
        assert_eq!(
            lines[0],
            "CPA 0.23 NM   TCPA 11.6 min   SOG 10.0 kn   COG 000.0°"
        );
    }
}
