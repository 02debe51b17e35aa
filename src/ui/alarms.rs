//! Alarm bar: every alert at once, ranked (unacknowledged first, then by
//! priority, dangerous targets by TCPA), with its priority in a word and a
//! symbol and its state in words as well as colour. Unacknowledged alerts
//! are marked with a leading "!" in reverse video: steady, not blinking
//! (docs/alerts.md). Snoozed alarms share one line with the time left; the
//! newest unread safety message has the last line.

use super::theme::Theme;
use crate::app::console::App;
use crate::traffic::alarm::{Alarm, AlarmId, AlarmState, Priority};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// At most this many alarm rows; the rest are counted, the log has them.
const MAX_ROWS: usize = 4;

fn is_snoozed(a: &Alarm) -> bool {
    matches!(a.state, AlarmState::Snoozed { .. })
}

/// Lines the bar needs (without its border): the alarm rows (at least
/// one, "no alarms"), and a line for snoozed alarms when there are any.
pub fn height(app: &App) -> u16 {
    let alarms = app.engine.traffic.alarms.ranked();
    let snoozed = alarms.iter().filter(|a| is_snoozed(a)).count();
    let active = alarms.len() - snoozed;
    let rows = if active == 0 && snoozed > 0 {
        0
    } else {
        active.clamp(1, MAX_ROWS)
    };
    (rows + usize::from(snoozed > 0) + usize::from(app.unread_message().is_some())) as u16
}

/// "✉ from NORDIC STAR (230123000) to us 21:05Z: ALTERING COURSE…": the
/// newest unread safety message, the sender's name when known; one
/// addressed to own ship is flagged.
fn message_line<'a>(app: &App, th: &Theme, width: usize) -> Option<Line<'a>> {
    let m = app.unread_message()?;
    let t = &app.engine.traffic;
    let own = t.config.own_ship.mmsi.or(t.own.mmsi);
    let from = match t.targets.get(&m.from).and_then(|x| x.name()) {
        Some(n) => format!("{} ({:09})", super::format::sanitize(n), m.from),
        None => format!("{:09}", m.from),
    };
    let to_us = m.to.is_some() && m.to == own;
    let to = match m.to {
        _ if to_us => "us".to_string(),
        Some(d) => format!("{d:09}"),
        None => "all".to_string(),
    };
    let time = chrono::DateTime::from_timestamp_millis(m.at_ms)
        .map_or_else(String::new, |d| d.format(" %H:%MZ").to_string());
    let unread = app.unread_messages();
    let key = |a| app.keymap.key_of(a).to_string();
    use crate::app::console::Action;
    let tail = if unread > 1 {
        format!(
            "   ({} more unread, {} log, {} read)",
            unread - 1,
            key(Action::ToggleAlarmLog),
            key(Action::DismissMessage)
        )
    } else {
        format!("   ({} read)", key(Action::DismissMessage))
    };
    let mark = if to_us { "✉!" } else { "✉ " };
    let head = format!(" {mark} from {from} to {to}{time}: ");
    let text = super::format::sanitize(m.text.trim());
    // The message first: the key hint only where the whole text leaves
    // room for it (it is in the help and the hint line anyway); then the
    // text is cut to the width.
    let fits = head.chars().count() + text.chars().count() + tail.chars().count() <= width;
    let tail = if fits { tail } else { String::new() };
    let room = width.saturating_sub(head.chars().count() + tail.chars().count());
    let text = if text.chars().count() > room {
        let mut s: String = text.chars().take(room.saturating_sub(1)).collect();
        s.push('…');
        s
    } else {
        text
    };
    let style = if to_us {
        th.warn().add_modifier(Modifier::BOLD)
    } else {
        th.accent()
    };
    Some(Line::from(vec![
        Span::styled(head, style),
        Span::styled(text, style),
        Span::styled(tail, th.dim()),
    ]))
}

pub fn render(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    let all = app.engine.traffic.alarms.ranked();
    let (snoozed, alarms): (Vec<&Alarm>, Vec<&Alarm>) = all.iter().partition(|a| is_snoozed(a));
    let message = message_line(app, th, area.width as usize);
    let extra = usize::from(!snoozed.is_empty()) + usize::from(message.is_some());
    let rows = (area.height.saturating_sub(1) as usize).saturating_sub(extra);
    let mut lines = Vec::new();
    if all.is_empty() {
        lines.push(Line::from(Span::styled(" no alarms", th.dim())));
    }
    let now = app.now_ms();
    let chosen = app.chosen_alarm();
    // The chosen alarm stays in view: it takes the last row if it would
    // be below it.
    let mut shown: Vec<&Alarm> = alarms.iter().take(rows).copied().collect();
    if let Some(c) = &chosen
        && !shown.iter().any(|a| &a.id == c)
        && let (Some(last), Some(a)) = (shown.last_mut(), alarms.iter().find(|a| &a.id == c))
    {
        *last = a;
    }
    // On a narrow terminal (a laptop's 80 columns) the columns are not
    // padded, so the CPA and TCPA of a named ship still fit.
    let narrow = area.width < 100;
    for a in shown {
        let (tag, style) = match a.state {
            AlarmState::ActiveUnacknowledged => ("UNACK".to_string(), th.danger()),
            AlarmState::ActiveSilenced { until_ms } => {
                (format!("silenced {}", left(until_ms, now)), th.warn())
            }
            AlarmState::ActiveAcknowledged => ("ack".to_string(), th.warn()),
            AlarmState::RectifiedUnacknowledged => ("cleared".to_string(), th.dim()),
            AlarmState::Snoozed { until_ms } => {
                (format!("snoozed {}", left(until_ms, now)), th.warn())
            }
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
            String::new()
        } else {
            tag
        };
        let is_chosen = chosen.as_ref() == Some(&a.id);
        let mark_style = if unacked || is_chosen {
            style.add_modifier(Modifier::REVERSED)
        } else {
            style
        };
        let mark = match (is_chosen, unacked) {
            (true, _) => "▶",
            (false, true) => "!",
            (false, false) => " ",
        };
        lines.push(Line::from(vec![
            Span::styled(
                if narrow {
                    format!("{mark}{} {}", a.priority.symbol(), a.priority.word())
                } else {
                    format!("{mark}{} {:<7}", a.priority.symbol(), a.priority.word())
                },
                mark_style,
            ),
            Span::styled(
                if narrow {
                    format!(" {tag} ")
                } else {
                    format!(" {tag:<8} ")
                },
                style,
            ),
            Span::styled(super::format::sanitize(&figures(a)), style),
        ]));
    }
    if alarms.len() > rows
        && rows > 0
        && let Some(last) = lines.last_mut()
    {
        let key = app
            .keymap
            .key_of(crate::app::console::Action::ToggleAlarmLog);
        let hidden = &alarms[rows.min(alarms.len())..];
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
    if !snoozed.is_empty() {
        let is_chosen = chosen
            .as_ref()
            .is_some_and(|c| snoozed.iter().any(|a| &a.id == c));
        let (mark, style) = if is_chosen {
            ("▶", th.warn().add_modifier(Modifier::REVERSED))
        } else {
            ("z", th.warn())
        };
        let each: Vec<String> = snoozed
            .iter()
            .map(|a| {
                let until = match a.state {
                    AlarmState::Snoozed { until_ms } => until_ms,
                    _ => now,
                };
                format!("{} · {} left", figures(a), left(until, now))
            })
            .collect();
        lines.push(Line::from(Span::styled(
            super::format::sanitize(&format!(
                " {mark} {} snoozed: {}",
                snoozed.len(),
                each.join(" | ")
            )),
            style,
        )));
    }
    lines.extend(message);
    let block = Block::default()
        .borders(Borders::BOTTOM)
        .border_style(th.dim());
    f.render_widget(Paragraph::new(lines).block(block).style(th.base()), area);
}

/// "244123456 NAME: CPA 0.23 NM TCPA 8.1 min": dangerous targets show the
/// CPA/TCPA of the latest recompute, not the values when raised.
fn figures(a: &Alarm) -> String {
    let subject = a.text.split(':').next().unwrap_or(&a.text);
    match (&a.id, a.cpa_nm, a.tcpa_min) {
        (_, Some(c), Some(t)) => format!("{subject}: CPA {c:.2} NM TCPA {t:.1} min"),
        (AlarmId::Dangerous(_), _, _) => format!("{subject}: CPA not available"),
        _ => a.text.clone(),
    }
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
