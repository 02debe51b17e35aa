//! Alarm log view: alarm transitions and received messages, newest last
//! (also kept in `alarms.jsonl` in the data directory).

use super::theme::Theme;
use crate::app::console::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn render(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    let rows = area.height.saturating_sub(2) as usize;
    let start = app.log_lines.len().saturating_sub(rows);
    let lines: Vec<Line> = app.log_lines[start..]
        .iter()
        .map(|l| Line::from(Span::styled(l.clone(), th.base())))
        .collect();
    let title = match &app.log.path {
        Some(p) => format!(" alarm log — {} — Esc closes ", p.display()),
        None => " alarm log (not saved) — Esc closes ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.accent())
        .title(Span::styled(title, th.accent()))
        .style(th.base());
    f.render_widget(Paragraph::new(lines).block(block), area);
}
