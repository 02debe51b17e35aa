//! Help overlay listing every key, and the one-line key hints.

use super::theme::Theme;
use crate::app::console::{Action, App};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn render(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    let mut lines = vec![
        Line::from(Span::styled(
            " Keys (change them in the config file's [keys] table)",
            th.accent(),
        )),
        Line::from(""),
    ];
    for (a, name, _, text) in Action::ALL {
        lines.push(Line::from(vec![
            Span::styled(format!(" {:>6}  ", app.keymap.key_of(a)), th.accent()),
            Span::styled(format!("{text:<58}"), th.base()),
            Span::styled(format!("[{name}]"), th.dim()),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            " palette: {} · any key closes this help",
            app.view.palette.name()
        ),
        th.dim(),
    )));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.accent())
        .title(Span::styled(" help ", th.accent()))
        .style(th.base());
    f.render_widget(Paragraph::new(lines).block(block), area);
}

pub fn hints(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    let k = |a| app.keymap.key_of(a).to_string();
    let text = format!(
        " {}/{} ships  {}/{} data  {} details  {} ack  {} silence  {} snooze  {} log  {} help  {} quit",
        k(Action::PrevTarget),
        k(Action::NextTarget),
        k(Action::ScrollLeft),
        k(Action::ScrollRight),
        k(Action::ToggleDetails),
        k(Action::Acknowledge),
        k(Action::Silence),
        k(Action::Snooze),
        k(Action::ToggleAlarmLog),
        k(Action::ToggleHelp),
        k(Action::Quit)
    );
    f.render_widget(
        Paragraph::new(Span::styled(text, th.dim())).style(th.base()),
        area,
    );
}
