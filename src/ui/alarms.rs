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

/// Lines the bar needs at `width` columns (without its border): the alarm
/// rows (at least one, "no alarms"; two for an alarm too long for one
/// line), and a line for snoozed alarms and for the newest unread message
/// when there are any.
pub fn height(app: &App, width: u16) -> u16 {
    let alarms = app.engine.traffic.alarms.ranked();
    let snoozed = alarms.iter().filter(|a| is_snoozed(a)).count();
    let active: Vec<&Alarm> = alarms.iter().copied().filter(|a| !is_snoozed(a)).collect();
    let rows = if active.is_empty() && snoozed > 0 {
        0
    } else {
        active.len().clamp(1, MAX_ROWS)
    };
    let wraps: usize = active
        .iter()
        .take(rows)
        .map(|a| row_lines(a, app, usize::from(width)) - 1)
        .sum();
    (rows + wraps + usize::from(snoozed > 0) + usize::from(app.unread_message().is_some())) as u16
}

/// Lines the bar must keep however short the screen (without its
/// border): the rows of every active alarm not yet acknowledged (they
/// rank first), at least one line, at most [`height`].
pub fn essential_height(app: &App, width: u16) -> u16 {
    let alarms = app.engine.traffic.alarms.ranked();
    let unacked: Vec<&Alarm> = alarms
        .iter()
        .copied()
        .filter(|a| !is_snoozed(a) && a.unacknowledged())
        .take(MAX_ROWS)
        .collect();
    let lines: usize = unacked
        .iter()
        .map(|a| row_lines(a, app, usize::from(width)))
        .sum();
    (lines.max(1) as u16).min(height(app, width).max(1))
}

/// `text` cut to `room` columns without cutting a word, a number or a
/// figure from its label and unit ("CPA 0.23 NM" goes whole or not at
/// all): whole trailing words are dropped and "…" ends what is left.
pub fn fit_words(text: &str, room: usize) -> String {
    let width = |s: &str| Span::raw(s).width();
    if width(text) <= room {
        return text.to_string();
    }
    const UNITS: [&str; 6] = ["NM", "min", "s", "kn", "m", "°"];
    const LABELS: [&str; 6] = ["CPA", "TCPA", "SOG", "COG", "BRG", "RNG"];
    let mut groups: Vec<String> = Vec::new();
    let mut label_open = false;
    for w in text.split_whitespace() {
        let after_number = groups
            .last()
            .is_some_and(|g| g.ends_with(|c: char| c.is_ascii_digit()));
        match groups.last_mut() {
            Some(g) if label_open || (after_number && UNITS.contains(&w)) => {
                g.push(' ');
                g.push_str(w);
                label_open = false;
            }
            _ => {
                groups.push(w.to_string());
                label_open = LABELS.contains(&w);
            }
        }
    }
    let mut out = String::new();
    for g in &groups {
        let next = if out.is_empty() {
            g.clone()
        } else {
            format!("{out} {g}")
        };
        if width(&next) + 2 > room {
            break;
        }
        out = next;
    }
    if out.is_empty() {
        if room == 0 {
            String::new()
        } else {
            "…".to_string()
        }
    } else {
        format!("{out} …")
    }
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
    let width = area.width as usize;
    let message = message_line(app, th, width);
    // The bottom rule only where a line is left for it. The alarm rows
    // come first: on a short screen the snoozed line and the message go
    // before any of them (the log has them all).
    let border = area.height >= 2;
    let avail = area.height.saturating_sub(u16::from(border)) as usize;
    let wanted = if alarms.is_empty() && !snoozed.is_empty() {
        0
    } else {
        alarms.len().clamp(1, MAX_ROWS)
    };
    // First a row for each alarm not yet acknowledged (they rank first),
    // then the second lines of theirs too long for one, then rows for the
    // others.
    let unacked = alarms
        .iter()
        .take_while(|a| a.unacknowledged())
        .count()
        .min(MAX_ROWS)
        .min(avail);
    let their_wraps: usize = alarms[..unacked]
        .iter()
        .map(|a| row_lines(a, app, width) - 1)
        .sum();
    let rows = unacked
        + wanted
            .saturating_sub(unacked)
            .min(avail.saturating_sub(unacked + their_wraps));
    let mut lines = Vec::new();
    if all.is_empty() {
        lines.push(Line::from(Span::styled(" no alarms", th.dim())));
    }
    // Silences and snoozes count on their own clock (the wall clock).
    let now = app.engine.traffic.alarms.timer_now(app.now_ms());
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
    // "(+2 more, 1 unacknowledged, L for the log)" on the last row when
    // some alarms have no row; shortened to "(+2 more)" on a narrow line.
    let hidden = &alarms[rows.min(alarms.len())..];
    let more = if alarms.len() > rows && rows > 0 {
        let key = app
            .keymap
            .key_of(crate::app::console::Action::ToggleAlarmLog);
        let waiting = hidden.iter().filter(|a| a.unacknowledged()).count();
        let long = if waiting > 0 {
            format!(
                "   (+{} more, {waiting} unacknowledged, {key} for the log)",
                hidden.len()
            )
        } else {
            format!("   (+{} more, {key} for the log)", hidden.len())
        };
        Some((long, format!(" (+{} more)", hidden.len())))
    } else {
        None
    };
    let n_shown = shown.len();
    let mut spare = avail.saturating_sub(rows);
    for (i, a) in shown.into_iter().enumerate() {
        let style = style_of(a, th);
        let is_chosen = chosen.as_ref() == Some(&a.id);
        let mark_style = if a.unacknowledged() || is_chosen {
            style.add_modifier(Modifier::REVERSED)
        } else {
            style
        };
        let (head, tag) = lead_text(a, chosen.as_ref(), now, narrow);
        let head = Span::styled(head, mark_style);
        let tag = Span::styled(tag, style);
        let text = super::format::sanitize(&figures(a));
        let lead = head.width() + tag.width();
        // What does not fit is dropped word by word, never cut inside a
        // number; the hidden alarms' count stays on the last row.
        let tail = match &more {
            Some((long, short)) if i + 1 == n_shown => {
                let w = |s: &str| Span::raw(s).width();
                if lead + w(&text) + w(long) <= width {
                    long.clone()
                } else {
                    short.clone()
                }
            }
            _ => String::new(),
        };
        let tail_w = Span::raw(tail.as_str()).width();
        // Too long for one line: the figures on a second, indented, while
        // the bar has a line to spare (the first alarms first).
        if spare > 0
            && lead + Span::raw(text.as_str()).width() > width
            && let Some((subject, rest)) = split_row(&text, width.saturating_sub(lead))
        {
            spare -= 1;
            lines.push(Line::from(vec![
                head,
                tag,
                Span::styled(fit_words(&subject, width.saturating_sub(lead)), style),
            ]));
            let room = width.saturating_sub(WRAP_INDENT.len() + tail_w);
            let mut spans = vec![
                Span::raw(WRAP_INDENT),
                Span::styled(fit_words(&rest, room), style),
            ];
            if !tail.is_empty() {
                spans.push(Span::styled(tail, th.dim()));
            }
            lines.push(Line::from(spans));
            continue;
        }
        let room = width.saturating_sub(lead + tail_w);
        let mut spans = vec![head, tag, Span::styled(fit_words(&text, room), style)];
        if !tail.is_empty() {
            spans.push(Span::styled(tail, th.dim()));
        }
        lines.push(Line::from(spans));
    }
    let show_snoozed = !snoozed.is_empty() && spare > 0;
    let message = message.filter(|_| spare > usize::from(show_snoozed));
    if show_snoozed {
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
                // The snooze ends at the time or at its TCPA bound, whichever
                // comes first (docs/alerts.md).
                let floor = app.engine.traffic.alarms.snooze_tcpa_floor_min;
                if floor > 0.0 {
                    format!(
                        "{} · {} left or at TCPA {floor:.1} min",
                        figures(a),
                        left(until, now)
                    )
                } else {
                    format!("{} · {} left", figures(a), left(until, now))
                }
            })
            .collect();
        let head = format!(" {mark} {} snoozed: ", snoozed.len());
        let room = width.saturating_sub(Span::raw(head.as_str()).width());
        let each = super::format::sanitize(&each.join(" | "));
        lines.push(Line::from(Span::styled(
            format!("{head}{}", fit_words(&each, room)),
            style,
        )));
    }
    lines.extend(message);
    let block = Block::default()
        .borders(if border {
            Borders::BOTTOM
        } else {
            Borders::NONE
        })
        .border_style(th.dim());
    f.render_widget(Paragraph::new(lines).block(block).style(th.base()), area);
}

/// The second line of an alarm too long for one is indented this much.
const WRAP_INDENT: &str = "    ";

/// An alarm's colour: by priority; a cleared one dimmed.
fn style_of(a: &Alarm, th: &Theme) -> ratatui::style::Style {
    match (a.priority, a.state) {
        (_, AlarmState::RectifiedUnacknowledged) => th.dim(),
        (Priority::Alarm, _) => th.danger(),
        (Priority::Warning, _) => th.warn(),
        (Priority::Caution, _) => th.accent(),
    }
}

/// An alarm row's lead: "!▲ ALARM" (the mark: "!" not acknowledged, "▶"
/// chosen) and " UNACK " (its state; none for a caution, which needs no
/// acknowledgement). Padded to columns on a wide screen.
fn lead_text(a: &Alarm, chosen: Option<&AlarmId>, now: i64, narrow: bool) -> (String, String) {
    let tag = match a.state {
        _ if a.priority == Priority::Caution => String::new(),
        AlarmState::ActiveUnacknowledged => "UNACK".to_string(),
        AlarmState::ActiveSilenced { until_ms } => format!("silenced {}", left(until_ms, now)),
        AlarmState::ActiveAcknowledged => "ack".to_string(),
        AlarmState::RectifiedUnacknowledged => "cleared".to_string(),
        AlarmState::Snoozed { until_ms } => format!("snoozed {}", left(until_ms, now)),
    };
    let mark = match (chosen == Some(&a.id), a.unacknowledged()) {
        (true, _) => "▶",
        (false, true) => "!",
        (false, false) => " ",
    };
    if narrow {
        (
            format!("{mark}{} {}", a.priority.symbol(), a.priority.word()),
            format!(" {tag} "),
        )
    } else {
        (
            format!("{mark}{} {:<7}", a.priority.symbol(), a.priority.word()),
            format!(" {tag:<8} "),
        )
    }
}

/// Lines an alarm's row takes at `width` columns when it may wrap: two
/// when its text does not fit beside its lead, else one.
fn row_lines(a: &Alarm, app: &App, width: usize) -> usize {
    let (head, tag) = lead_text(
        a,
        app.chosen_alarm().as_ref(),
        app.engine.traffic.alarms.timer_now(app.now_ms()),
        width < 100,
    );
    let lead = Span::raw(head).width() + Span::raw(tag).width();
    let text = super::format::sanitize(&figures(a));
    if lead + Span::raw(text.as_str()).width() > width
        && split_row(&text, width.saturating_sub(lead)).is_some()
    {
        2
    } else {
        1
    }
}

/// A row's text in two: the subject ("Dangerous target 230123000 NORDIC
/// STAR:") and its figures ("CPA 0.23 NM TCPA 8.4 min"); without a colon,
/// the words that fit in `room` and the rest. None when nothing is left
/// for a second line.
fn split_row(text: &str, room: usize) -> Option<(String, String)> {
    if let Some(i) = text.find(": ") {
        let (a, b) = (&text[..=i], text[i + 2..].trim());
        return (!b.is_empty()).then(|| (a.to_string(), b.to_string()));
    }
    let mut first = String::new();
    let mut words = text.split_whitespace().peekable();
    while let Some(w) = words.peek() {
        let next = if first.is_empty() {
            w.to_string()
        } else {
            format!("{first} {w}")
        };
        if Span::raw(next.as_str()).width() > room {
            break;
        }
        first = next;
        words.next();
    }
    let rest: Vec<&str> = words.collect();
    (!first.is_empty() && !rest.is_empty()).then(|| (first, rest.join(" ")))
}

/// "244123456 NAME: CPA 0.23 NM TCPA 8.1 min": dangerous targets show the
/// CPA/TCPA of the latest recompute, not the values when raised.
fn figures(a: &Alarm) -> String {
    let subject = a.text.split(':').next().unwrap_or(&a.text);
    match (&a.id, a.cpa_nm, a.tcpa_min) {
        // Cleared: the figures are those of its last evaluation, not now.
        (_, Some(c), Some(t)) if a.state == AlarmState::RectifiedUnacknowledged => {
            format!("{subject}: last CPA {c:.2} NM TCPA {t:.1} min")
        }
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

#[cfg(test)]
mod tests {
    use super::{fit_words, split_row};

    #[test]
    fn a_line_too_long_loses_whole_figures_never_part_of_a_number() {
        let t = "Dangerous target 230123000 NORDIC STAR: CPA 0.23 NM TCPA 11.6 min";
        assert_eq!(fit_words(t, 80), t);
        assert_eq!(
            fit_words(t, 60),
            "Dangerous target 230123000 NORDIC STAR: CPA 0.23 NM …"
        );
        // "CPA 0.23 NM" goes whole or not at all.
        for room in 0..t.len() {
            let f = fit_words(t, room);
            assert!(f.chars().count() <= room, "{room}: {f}");
            assert!(!f.contains("CPA 0") || f.contains("CPA 0.23 NM"), "{f}");
            assert!(!f.contains("TCPA 1") || f.contains("TCPA 11.6 min"), "{f}");
        }
    }

    #[test]
    fn a_row_splits_after_its_subject() {
        assert_eq!(
            split_row("Dangerous target 1 X: CPA 0.23 NM", 10),
            Some(("Dangerous target 1 X:".into(), "CPA 0.23 NM".into()))
        );
        assert_eq!(
            split_row("Lost target 261000777 KAROLINA", 12),
            Some(("Lost target".into(), "261000777 KAROLINA".into()))
        );
        assert_eq!(split_row("short", 12), None);
    }
}
