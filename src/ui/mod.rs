//! The console's views. Rendering is pure: every function borrows the
//! [`App`] read-only and draws into a frame; no I/O, no state changes.
//!
//! Layout, top to bottom: status bar (own ship, links, UTC, alarms-off
//! flag), alarm bar (all active alarms ranked), plot and target list side
//! by side, the A.1106 §29 minimum display (three lines: bearing, range,
//! name — never scrolled away), key hints. Popups (selected-target window,
//! alarm log, help) are drawn last over a cleared area.

pub mod alarms;
pub mod details;
pub mod format;
pub mod help;
pub mod list;
pub mod log;
pub mod minimum;
pub mod plot;
pub mod status;
pub mod theme;

use crate::app::console::App;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Clear};
use theme::Theme;

/// Draw the whole console.
pub fn draw(f: &mut Frame, app: &App) {
    let th = Theme::of(app.view.palette);
    let area = f.area();
    f.render_widget(Block::default().style(th.base()), area);
    let alarm_rows = alarms::height(app);
    let [status_a, alarms_a, main_a, min_a, hints_a] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(alarm_rows + 1),
        Constraint::Min(6),
        Constraint::Length(4),
        Constraint::Length(1),
    ])
    .areas(area);
    status::render(f, status_a, app, &th);
    alarms::render(f, alarms_a, app, &th);
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
    if app.view.details {
        let a = popup(area, 70, 80);
        f.render_widget(Clear, a);
        details::render(f, a, app, &th);
    }
    if app.view.alarm_log {
        let a = popup(area, 90, 70);
        f.render_widget(Clear, a);
        log::render(f, a, app, &th);
    }
    if app.view.help {
        let a = popup(area, 70, 90);
        f.render_widget(Clear, a);
        help::render(f, a, app, &th);
    }
    if app.view.confirm_quit {
        confirm_quit(f, area, app, &th);
    }
}

/// "Quit with N alarms unacknowledged?" over everything else.
fn confirm_quit(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    use ratatui::text::Line;
    use ratatui::widgets::{Borders, Paragraph, Wrap};
    let n = app.unacknowledged_alarms();
    let text = vec![
        Line::styled(
            format!("{n} alarm(s) not acknowledged. Quit the watch anyway?"),
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
