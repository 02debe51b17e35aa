//! The console's views. Rendering is pure: every function borrows the
//! [`App`] read-only and draws into a frame; no I/O, no state changes.
//!
//! Layout, top to bottom: status bar (own ship, links, UTC, alarms-off
//! flag), alarm bar (all active alarms ranked), plot and target list side
//! by side, the A.1106 §29 minimum display (three lines: bearing, range,
//! name — never scrolled away), key hints. Popups (selected-target window,
//! alarm log, help) are drawn last over a cleared area. On a small screen
//! (under 100 columns or 30 lines: an 80×24 laptop terminal) the help and
//! the selected-target window take the whole width and every line below
//! the status and alarm bars, which stay in view; what still does not fit
//! scrolls, with "more (n/N)" in the window's bottom border. The one thing
//! a view writes back is that scroll's extent (see `PopupScroll`).

pub mod alarms;
pub mod details;
pub mod format;
pub mod forms;
pub mod help;
pub mod inbox;
pub mod list;
pub mod log;
pub mod minimum;
pub mod plot;
pub mod status;
pub mod terminal;
pub mod theme;

use crate::app::console::{App, PopupScroll};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use theme::Theme;

/// Draw the whole console.
pub fn draw(f: &mut Frame, app: &App) {
    let th = Theme::of(app.view.palette);
    let area = f.area();
    f.render_widget(Block::default().style(th.base()), area);
    let [status_a, alarms_a, rta_a, main_a, min_a, hints_a] = areas(area, app);
    let rta_rows = rta_a.height;
    status::render(f, status_a, app, &th);
    alarms::render(f, alarms_a, app, &th);
    if rta_rows > 0 {
        inbox::rta_line(f, rta_a, app, &th);
    }
    let [plot_a, list_a] = if main_a.width >= 100 {
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(main_a)
    } else {
        Layout::horizontal([Constraint::Length(0), Constraint::Min(10)]).areas(main_a)
    };
    if plot_a.width > 0 {
        plot::render(f, plot_a, app, &th);
    }
    list::render(f, list_a, app, &th);
    minimum::render(f, min_a, app, &th);
    help::hints(f, hints_a, app, &th);
    // Below the status and alarm bars, for a window on a small screen.
    let below_bars = Rect {
        y: rta_a.bottom(),
        height: area.bottom().saturating_sub(rta_a.bottom()),
        ..area
    };
    if app.view.details {
        let a = fitted_popup(area, below_bars, 70, 80, details::WIDTH);
        f.render_widget(Clear, a);
        details::render(f, a, app, &th);
    }
    if app.view.alarm_log {
        let a = popup(area, 90, 70);
        f.render_widget(Clear, a);
        log::render(f, a, app, &th);
    }
    if app.view.help {
        let a = fitted_popup(area, below_bars, 70, 90, help::width(app));
        f.render_widget(Clear, a);
        help::render(f, a, app, &th);
    }
    if app.inbox {
        let a = fitted_popup(area, below_bars, 90, 80, 0);
        f.render_widget(Clear, a);
        inbox::render(f, a, app, &th);
    }
    if let Some(form) = &app.form {
        let a = fitted_popup(area, below_bars, 80, 70, 100);
        f.render_widget(Clear, a);
        forms::render(f, a, app, form, &th);
    }
    if app.view.confirm_quit {
        confirm_quit(f, area, app, &th);
    }
}

/// The rows of the screen, top to bottom: status bar, alarm bar, RTA
/// line, plot and list, minimum display, key hints. On a short screen
/// they are given out in order of importance, not shrunk alike: the
/// status bar, the alarm rows not yet acknowledged (and the bar's rule),
/// the minimum display, then up to six lines of plot and list, the key
/// hints, the alarm bar's other rows, the RTA line; the plot and list have
/// what is left. What is dangerous stays on screen before any list row.
fn areas(area: Rect, app: &App) -> [Rect; 6] {
    let mut left = area.height;
    let mut take = |want: u16| {
        let got = want.min(left);
        left -= got;
        got
    };
    let status_h = take(status::height(app, area.width));
    let alarm_full = alarms::height(app, area.width) + 1;
    let mut alarm_h = take((alarms::essential_height(app, area.width) + 1).min(alarm_full));
    let min_h = take(4);
    let mut main_h = take(6);
    let hints_h = take(1);
    alarm_h += take(alarm_full - alarm_h);
    let rta_h = take(u16::from(inbox::unread_rta(app).is_some()));
    main_h += take(u16::MAX);
    let mut y = area.y;
    [status_h, alarm_h, rta_h, main_h, min_h, hints_h].map(|height| {
        let r = Rect { y, height, ..area };
        y += height;
        r
    })
}

/// "Quit with N alarms unacknowledged?" over everything else.
fn confirm_quit(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    use ratatui::text::Line;
    use ratatui::widgets::{Borders, Paragraph, Wrap};
    let n = app.unacknowledged_alarms();
    let text = vec![
        Line::styled(
            format!("{n} alert(s) not acknowledged. Quit the watch anyway?"),
            th.danger(),
        ),
        Line::styled("y quits · any other key goes back", th.base()),
    ];
    let w = area.width.min(60);
    let h = area.height.min(4);
    let a = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    f.render_widget(Clear, a);
    f.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(th.danger()),
            )
            .style(th.base()),
        a,
    );
}

/// Where a window that scrolls goes: on a small screen (under 100 columns
/// or 30 lines) all of `small`; otherwise `w`% × `h`% of `area`, widened to
/// `min_w` columns (its widest line and borders) when the screen has them.
fn fitted_popup(area: Rect, small: Rect, w: u16, h: u16, min_w: u16) -> Rect {
    if area.width < 100 || area.height < 30 {
        return small;
    }
    let p = popup(area, w, h);
    let width = p.width.max(min_w).min(area.width);
    Rect {
        x: area.x + (area.width - width) / 2,
        width,
        ..p
    }
}

/// A window whose lines may not all fit: drawn from its scroll offset, with
/// "↓ more (shown/total)" in the bottom border while some are cut off.
pub fn scrolled(
    f: &mut Frame,
    area: Rect,
    block: Block,
    lines: Vec<Line>,
    scroll: &PopupScroll,
    style: Style,
) {
    let height = block.inner(area).height as usize;
    let total = lines.len();
    let first = scroll.fit(total, height);
    let block = if total > height {
        let last = (first + height).min(total);
        let arrows = match (first > 0, last < total) {
            (true, true) => "↑↓",
            (true, false) => "↑",
            _ => "↓",
        };
        block.title_bottom(
            Line::styled(format!(" {arrows} more ({last}/{total}) "), style).right_aligned(),
        )
    } else {
        block
    };
    let shown: Vec<Line> = lines.into_iter().skip(first).take(height).collect();
    f.render_widget(Paragraph::new(shown).block(block), area);
}

/// One row of a window `width` columns wide: `lead` (a label column), then
/// `cells`. When the row is wider than the window its words wrap, the
/// following lines indented under the first cell (not indented when the
/// window is too narrow for that); a word wider than a line is cut.
pub fn row<'a>(lead: Span<'a>, cells: Vec<Span<'a>>, width: usize) -> Vec<Line<'a>> {
    let lead_w = lead.width();
    let text: String = cells.iter().map(|c| c.content.as_ref()).collect();
    if lead_w + Span::raw(text.trim_end()).width() <= width {
        let mut spans = vec![lead];
        spans.extend(cells);
        return vec![Line::from(spans)];
    }
    let indent = if lead_w * 2 <= width { lead_w } else { 0 };
    let width = width.max(indent + 1);
    let mut lines = Vec::new();
    let mut cur = vec![lead];
    let mut cur_w = lead_w;
    let mut words_on_line = 0;
    for c in &cells {
        for word in c.content.split_whitespace() {
            let mut word: &str = word;
            loop {
                let ww = Span::raw(word).width();
                let sep = usize::from(words_on_line > 0);
                if cur_w + sep + ww <= width {
                    if sep == 1 {
                        cur.push(Span::styled(" ", c.style));
                    }
                    cur.push(Span::styled(word.to_string(), c.style));
                    cur_w += sep + ww;
                    words_on_line += 1;
                    break;
                }
                if words_on_line == 0 && ww > width - indent && cur_w < width {
                    // Wider than any line: cut it.
                    let room = width - cur_w;
                    let mut cut = 0;
                    let mut cw = 0;
                    for (i, ch) in word.char_indices() {
                        let w = Span::raw(&word[i..i + ch.len_utf8()]).width();
                        if cw + w > room {
                            break;
                        }
                        cw += w;
                        cut = i + ch.len_utf8();
                    }
                    if cut == 0 {
                        // Not even one character fits: keep it whole.
                        cut = word.chars().next().map_or(word.len(), char::len_utf8);
                    }
                    cur.push(Span::styled(word[..cut].to_string(), c.style));
                    word = &word[cut..];
                    words_on_line += 1;
                    if word.is_empty() {
                        cur_w += cw;
                        break;
                    }
                }
                lines.push(Line::from(std::mem::take(&mut cur)));
                cur.push(Span::raw(" ".repeat(indent)));
                cur_w = indent;
                words_on_line = 0;
            }
        }
    }
    lines.push(Line::from(cur));
    lines
}

/// A centred rectangle `w`% × `h`% of `area`.
pub fn popup(area: Rect, w: u16, h: u16) -> Rect {
    let [_, mid, _] = Layout::vertical([
        Constraint::Percentage((100 - h) / 2),
        Constraint::Percentage(h),
        Constraint::Percentage((100 - h) / 2),
    ])
    .areas(area);
    let [_, c, _] = Layout::horizontal([
        Constraint::Percentage((100 - w) / 2),
        Constraint::Percentage(w),
        Constraint::Percentage((100 - w) / 2),
    ])
    .areas(mid);
    c
}

#[cfg(test)]
mod tests {
    use super::row;
    use ratatui::text::{Line, Span};

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn a_row_that_fits_stays_one_line_with_its_padding() {
        let l = row(
            Span::raw(" Key  "),
            vec![Span::raw("value     "), Span::raw("[x]")],
            30,
        );
        assert_eq!(text(&l), [" Key  value     [x]"]);
    }

    #[test]
    fn a_row_too_wide_wraps_under_its_first_cell_and_loses_no_word() {
        let l = row(
            Span::raw(" Key  "),
            vec![Span::raw("one two three four"), Span::raw(" [name]")],
            16,
        );
        assert_eq!(
            text(&l),
            [" Key  one two", "      three four", "      [name]"]
        );
        for line in &l {
            assert!(line.width() <= 16);
        }
    }

    #[test]
    fn a_word_wider_than_a_line_is_cut_not_lost() {
        let l = row(Span::raw(" K "), vec![Span::raw("abcdefghij")], 6);
        assert_eq!(text(&l), [" K abc", "   def", "   ghi", "   j"]);
        // Narrower than twice the label: no indent.
        let l = row(Span::raw(" Key "), vec![Span::raw("abcdefg")], 6);
        assert_eq!(text(&l), [" Key a", "bcdefg"]);
        // Nothing fits: still no endless loop.
        assert!(!row(Span::raw(" Key "), vec![Span::raw("abc")], 0).is_empty());
    }
}
