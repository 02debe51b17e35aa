//! Alarm bar: every alert at once, ranked (unacknowledged first, then by
//! priority, dangerous targets by TCPA), with its priority in a word and a
//! symbol and its state in words as well as colour. Unacknowledged alerts
//! are marked with a leading "!" in reverse video: steady, not blinking
//! (docs/alerts.md).

use super::theme::Theme;
use crate::app::console::App;
use crate::traffic::alarm::{AlarmId, AlarmState, Priority};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn render(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    let alarms = app.engine.traffic.alarms.ranked();
    let rows = area.height.saturating_sub(1) as usize;
    let mut lines = Vec::new();
    if alarms.is_empty() {
        lines.push(Line::from(Span::styled(" no alarms", th.dim())));
    }
    for a in alarms.iter().take(rows) {
        let (tag, style) = match a.state {
            AlarmState::ActiveUnacknowledged => ("UNACK", th.danger()),
            AlarmState::ActiveSilenced { .. } => ("SILENCED", th.warn()),
            AlarmState::ActiveAcknowledged => ("ack", th.warn()),
            AlarmState::RectifiedUnacknowledged => ("cleared", th.dim()),
        };
        let style = match (a.priority, a.state) {
            (_, AlarmState::RectifiedUnacknowledged) => style,
            (Priority::Alarm, _) => th.danger(),
            (Priority::Warning, _) => th.warn(),
            (Priority::Caution, _) => th.accent(),
        };
        let unacked = a.unacknowledged();
        // A caution needs no acknowledgement: no state word.
        let tag = if a.priority == Priority::Caution {
            ""
        } else {
            tag
        };
        let mark_style = if unacked {
            style.add_modifier(Modifier::REVERSED)
        } else {
            style
        };
        // Dangerous targets show the CPA/TCPA of the latest recompute, not
        // the values at the moment the alarm was raised.
        let subject = a.text.split(':').next().unwrap_or(&a.text);
        let text = match (&a.id, a.cpa_nm, a.tcpa_min) {
            (_, Some(c), Some(t)) => format!("{subject}: CPA {c:.2} NM  TCPA {t:.1} min"),
            (AlarmId::Dangerous(_), _, _) => format!("{subject}: CPA not available"),
            _ => a.text.clone(),
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{}{} {:<7}",
                    if unacked { "!" } else { " " },
                    a.priority.symbol(),
                    a.priority.word()
                ),
                mark_style,
            ),
            Span::styled(format!(" {tag:<8} "), style),
            Span::styled(super::format::sanitize(&text), style),
        ]));
    }
    if alarms.len() > rows
        && rows > 0
        && let Some(last) = lines.last_mut()
    {
        let key = app
            .keymap
            .key_of(crate::app::console::Action::ToggleAlarmLog);
        let hidden = &alarms[rows..];
        let waiting = hidden.iter().filter(|a| a.unacknowledged()).count();
        let more = if waiting > 0 {
            format!(
                "   (+{} more, {waiting} unacknowledged, {key} for the log)",
                hidden.len()
            )
        } else {
            format!("   (+{} more, {key} for the log)", hidden.len())
        };
        last.spans.push(Span::styled(more, th.dim()));
    }
    let block = Block::default()
        .borders(Borders::BOTTOM)
        .border_style(th.dim());
    f.render_widget(Paragraph::new(lines).block(block).style(th.base()), area);
}
