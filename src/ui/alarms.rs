//! Alarm bar: every active alarm at once, ranked (distress, then dangerous
//! targets by TCPA), with its state in words as well as colour.

use super::theme::Theme;
use crate::app::console::App;
use crate::traffic::alarm::{AlarmId, AlarmState};
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
    let now = app.now_ms();
    let chosen = app.chosen_alarm();
    // The chosen alarm stays in view: it takes the last row if it would
    // be below it.
    let mut shown: Vec<_> = alarms.iter().take(rows).collect();
    if let Some(c) = &chosen
        && !shown.iter().any(|a| &a.id == c)
        && let (Some(last), Some(a)) = (shown.last_mut(), alarms.iter().find(|a| &a.id == c))
    {
        *last = a;
    }
    for a in shown {
        let (tag, style) = match a.state {
            AlarmState::ActiveUnacknowledged => ("ALARM  ".to_string(), th.danger()),
            AlarmState::ActiveSilenced { until_ms } => {
                (format!("silenced {}", left(until_ms, now)), th.warn())
            }
            AlarmState::ActiveAcknowledged => ("ack    ".to_string(), th.warn()),
            AlarmState::RectifiedUnacknowledged => ("cleared".to_string(), th.dim()),
        };
        // Dangerous targets show the CPA/TCPA of the latest recompute, not
        // the values at the moment the alarm was raised.
        let subject = a.text.split(':').next().unwrap_or(&a.text);
        let text = match (&a.id, a.cpa_nm, a.tcpa_min) {
            (_, Some(c), Some(t)) => format!("{subject}: CPA {c:.2} NM  TCPA {t:.1} min"),
            (AlarmId::Dangerous(_), _, _) => format!("{subject}: CPA not available"),
            _ => a.text.clone(),
        };
        let (mark, style) = if chosen.as_ref() == Some(&a.id) {
            ("▶", style.add_modifier(Modifier::REVERSED))
        } else {
            ("▲", style)
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {mark} {tag} "), style),
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
        last.spans.push(Span::styled(
            format!("   (+{} more, {key} for the log)", alarms.len() - rows),
            th.dim(),
        ));
    }
    let block = Block::default()
        .borders(Borders::BOTTOM)
        .border_style(th.dim());
    f.render_widget(Paragraph::new(lines).block(block).style(th.base()), area);
}

/// Time left until `until_ms`, whole seconds rounded up: "23 s", "9 min 32 s".
pub fn left(until_ms: i64, now_ms: i64) -> String {
    let s = ((until_ms - now_ms).max(0) + 999) / 1000;
    if s < 60 {
        format!("{s} s")
    } else {
        format!("{} min {:02} s", s / 60, s % 60)
    }
}
