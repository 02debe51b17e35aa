//! Target list: one row per target with name/MMSI, BRG, RNG, CPA, TCPA, SOG,
//! COG and state. Dangerous and lost targets are marked in words and
//! symbols (so they stand out without colour) as well as in colour; a
//! target lost while dangerous keeps its last CPA/TCPA and the danger mark.
//! Every column is as wide as its widest value, so no number is cut; on a
//! narrow list (the right half of a 100-column screen) the headings and
//! states are short but whole ("act", "sleep", "DANG", "sel") and the
//! least needed columns go (SOG, then TYPE, COG …) so a name has at least
//! 12 columns.

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
    // A target with an active alert is never scrolled out of sight: those
    // outside the window are pinned above it (their place is higher up the
    // list, "↑") or below it ("↓"), and the window shrinks for them.
    let alerted = alerted_rows(app, &list);
    let mut pinned = 0;
    let (first, window) = loop {
        let window = visible.saturating_sub(pinned).max(1);
        let first = sel_idx.saturating_sub(window - 1);
        let outside = alerted
            .iter()
            .filter(|&&i| i < first || i >= first + window)
            .count()
            .min(visible.saturating_sub(1));
        if outside <= pinned {
            break (first, window);
        }
        pinned = outside;
    };
    let above = alerted.iter().filter(|&&i| i < first).take(pinned);
    let below = alerted
        .iter()
        .filter(|&&i| i >= first + window)
        .take(pinned.saturating_sub(alerted.iter().filter(|&&i| i < first).count()));
    let order: Vec<(usize, &str)> = above
        .map(|&i| (i, "↑"))
        .chain((first..(first + window).min(list.len())).map(|i| (i, " ")))
        .chain(below.map(|&i| (i, "↓")))
        .collect();
    let mut despite_shown = false;
    let now = app.now_ms();
    let rows: Vec<(Vec<String>, &'static str, ratatui::style::Style)> = order
        .iter()
        .map(|&(i, place)| {
            let t = list[i];
            let is_sel = Some(t.mmsi) == selected;
            // The state in words for every row, the selected one too: the
            // selection is shown by the ▶ mark and the highlight.
            let state = format::state(t, false);
            let snoozed = app.engine.traffic.alarms.is_snoozed(t.mmsi, now);
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
            let mark = format!("{}{symbol}", if is_sel { "▶" } else { place });
            let (brg, rng) = app
                .engine
                .traffic
                .shown_bearing_range(t, now)
                .map_or(("---".into(), "---".into()), |(b, r)| {
                    (format::bearing(b), format!("{r:.2}"))
                });
            let (cpa, tcpa) = t.shown_cpa(now).map_or(("---".into(), "---".into()), |c| {
                (format!("{:.2}", c.cpa_nm), format!("{:.1}", c.tcpa_min))
            });
            let sog = t.sog_kn.map_or("---".into(), |s| format!("{:.1}", s.value));
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
            let state = if snoozed && state == "DANGER" {
                "DANGER z"
            } else {
                state
            };
            // Listed only for its alert: the filter would hide it.
            let state = if app.filtered_out(t) {
                despite_shown = true;
                despite(state)
            } else {
                state
            };
            let cells = vec![
                mark,
                format::name(t),
                format::kind_via(t),
                brg,
                rng,
                cpa,
                tcpa,
                sog,
                cog,
                String::new(),
            ];
            (cells, state, style)
        })
        .collect();
    let inner = usize::from(area.width.saturating_sub(2));
    let cols = columns(&rows, inner);
    let width = |s: &str| Span::raw(s).width();
    let table_rows = rows.iter().map(|(cells, state, style)| {
        let state = if cols.short {
            short_state(state)
        } else {
            state
        };
        Row::new(cols.shown.iter().map(|&(i, w)| {
            let text = match i {
                NAME => fit_name(&cells[i], w),
                STATE => (*state).to_string(),
                // Numbers right-aligned, as on a plotting sheet: to the
                // column on a narrow list, else to their own width.
                3..=8 if cols.short => format!("{:>w$}", cells[i]),
                3..=8 if cells[i] != "---" => {
                    let n = if i == 7 { 4 } else { 5 };
                    format!("{:>n$}", cells[i])
                }
                _ => cells[i].clone(),
            };
            debug_assert!(i == NAME || width(&text) <= w);
            Cell::from(text)
        }))
        .style(*style)
    });
    let sort = match app.view.sort {
        SortKey::Range => "range",
        SortKey::Cpa => "CPA",
        SortKey::Tcpa => "TCPA",
        SortKey::Name => "name",
    };
    let header = Row::new(cols.shown.iter().map(|&(i, w)| {
        let h = if cols.short { SHORT_HEADS[i] } else { HEADS[i] };
        // Over a number column the heading is right-aligned with it.
        if (3..=8).contains(&i) && cols.short {
            format!("{h:>w$}")
        } else {
            h.to_string()
        }
    }))
    .style(th.accent());
    let title = Span::styled(
        format!(
            " targets {} · sort {sort} · filter {}{} ",
            list.len(),
            app.view.filter.label(),
            if despite_shown {
                " · * shown for its alert"
            } else {
                ""
            }
        ),
        th.accent(),
    );
    let table = Table::new(
        table_rows,
        cols.shown
            .iter()
            .map(|&(_, w)| Constraint::Length(w as u16)),
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

/// The rows of `list` whose target has an active alert. Every such alert
/// stands in the alarm list (a dangerous, distress or lost target's alarm),
/// so only those targets are looked at, found in the list by address, not
/// by reading every target; with an alarm class switched off, every
/// target is asked.
fn alerted_rows(app: &App, list: &[&crate::traffic::target::Target]) -> Vec<usize> {
    let t = &app.engine.traffic;
    if !t.disabled_alarm_classes().is_empty() {
        return (0..list.len()).filter(|&i| app.alerted(list[i])).collect();
    }
    let wanted: std::collections::HashSet<*const crate::traffic::target::Target> = t
        .alarms
        .ranked()
        .iter()
        .filter(|a| {
            matches!(
                a.id,
                AlarmId::Dangerous(_) | AlarmId::Distress(_) | AlarmId::Lost(_)
            )
        })
        .filter_map(|a| a.id.mmsi().and_then(|m| t.targets.get(&m)))
        .filter(|x| app.alerted(x))
        .map(|x| x as *const _)
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    (0..list.len())
        .filter(|&i| wanted.contains(&(list[i] as *const _)))
        .collect()
}

const NAME: usize = 1;
const STATE: usize = 9;
const HEADS: [&str; 10] = [
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
];
/// Headings on a narrow list (units in the help and the minimum display).
const SHORT_HEADS: [&str; 10] = [
    "", "NAME", "TYPE", "BRG°", "RNG", "CPA", "TCPA", "SOG", "COG°", "STATE",
];
/// Column widths when the list has the room: the name 12 to 20 columns.
const WIDTHS: [usize; 10] = [3, 20, 5, 5, 6, 6, 6, 4, 5, 8];
/// The narrowest a name may be before columns are dropped for it.
const NAME_MIN: usize = 12;
/// Dropped first to last when a narrow list has no room for a 12-column
/// name: SOG, TYPE, COG, TCPA, BRG, RNG. Mark, name, CPA and state stay.
const DROP: [usize; 6] = [7, 2, 8, 6, 3, 4];

/// The state word of a target listed only for its alert (the filter
/// would hide it), marked "*".
fn despite(s: &'static str) -> &'static str {
    match s {
        "DANGER" => "DANGER *",
        "DANGER z" => "DANGER z *",
        "LOST" => "LOST *",
        "SART" => "SART *",
        other => other,
    }
}

/// A state word cut short but whole, for a narrow list.
pub fn short_state(s: &str) -> &'static str {
    match s {
        "DANGER" => "DANG",
        "DANGER z" => "DANG z",
        "DANGER *" => "DANG *",
        "DANGER z *" => "DANG z *",
        "LOST *" => "LOST *",
        "SART *" => "SART *",
        "selected" => "sel",
        "active" => "act",
        "sleeping" => "sleep",
        "LOST" => "LOST",
        "SART" => "SART",
        "TEST" => "TEST",
        _ => "",
    }
}

/// The columns shown, as (index, width), and whether short headings and
/// state words are used.
struct Columns {
    shown: Vec<(usize, usize)>,
    short: bool,
}

/// Every column as wide as its widest cell, so no number is ever cut:
/// the full headings and states when a name has 12 columns beside them,
/// else the short ones, dropping columns (see [`DROP`]) until it has.
fn columns(rows: &[(Vec<String>, &'static str, ratatui::style::Style)], inner: usize) -> Columns {
    let width = |s: &str| Span::raw(s).width();
    let widest = |i: usize, short: bool| {
        let head = if short { SHORT_HEADS[i] } else { HEADS[i] };
        let cells = rows.iter().map(|(c, state, _)| {
            if i == STATE {
                width(if short { short_state(state) } else { state })
            } else {
                width(&c[i])
            }
        });
        cells.fold(width(head), usize::max)
    };
    let name_w = rows
        .iter()
        .map(|(c, _, _)| width(&c[NAME]))
        .fold(NAME_MIN, usize::max);
    let fit = |cols: &[usize], short: bool| -> Option<Vec<(usize, usize)>> {
        let mut shown: Vec<(usize, usize)> = cols
            .iter()
            .map(|&i| {
                let w = if short {
                    widest(i, true)
                } else {
                    widest(i, false).max(WIDTHS[i])
                };
                (i, w)
            })
            .collect();
        let others: usize = shown.iter().filter(|c| c.0 != NAME).map(|c| c.1).sum();
        let used = others + shown.len().saturating_sub(1);
        let room = inner.checked_sub(used)?;
        if room < NAME_MIN {
            return None;
        }
        let cap = if short { name_w } else { WIDTHS[NAME] };
        for c in &mut shown {
            if c.0 == NAME {
                c.1 = room.min(cap);
            }
        }
        Some(shown)
    };
    let all: Vec<usize> = (0..10).collect();
    if let Some(shown) = fit(&all, false) {
        return Columns {
            shown,
            short: false,
        };
    }
    let mut cols = all;
    for d in DROP {
        if let Some(shown) = fit(&cols, true) {
            return Columns { shown, short: true };
        }
        cols.retain(|&i| i != d);
    }
    // Only mark, name, CPA and state: the name has what is left.
    let shown = fit(&cols, true).unwrap_or_else(|| {
        cols.iter()
            .map(|&i| (i, if i == NAME { NAME_MIN } else { widest(i, true) }))
            .collect()
    });
    Columns { shown, short: true }
}

/// A name in `w` columns: whole, or cut with "…" to say so.
fn fit_name(name: &str, w: usize) -> String {
    if Span::raw(name).width() <= w {
        return name.to_string();
    }
    let mut out = String::new();
    for ch in name.chars() {
        if Span::raw(format!("{out}{ch}…")).width() > w {
            break;
        }
        out.push(ch);
    }
    out.push('…');
    out
}
