//! The inbox/outbox window: what was received (safety messages, RTAs) and
//! what was sent (ETA reports, safety messages) with its state in words;
//! and the RTA line under the alarm bar while an RTA answering our ETA
//! report is unread.

use super::theme::Theme;
use crate::app::console::{Action, App};
use crate::voyage::desk::{InboxEntry, InboxKind};
use crate::voyage::outbox::{Item, State};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Lock/bridge/terminal status of an RTA in words (Inland AIS FI 22).
pub fn lock_status(s: u8) -> &'static str {
    match s {
        0 => "operational",
        1 => "limited",
        2 => "out of order",
        _ => "not available",
    }
}

/// An outbox state in words. `through_aiip`: the message went through the
/// AI-IP server (no transponder), which gives no ABK: its answer says the
/// server has it, its silence is the server's.
pub fn state_words(s: &State, through_aiip: bool) -> String {
    match s {
        State::Queued => "queued".into(),
        State::Sending { .. } => "sending".into(),
        State::Written { .. } => "written".into(),
        State::Acknowledged { .. } if through_aiip => "taken by the AI-IP server".into(),
        State::NoAbk { .. } if through_aiip => "no answer from the AI-IP server".into(),
        State::Acknowledged { .. } => "acknowledged".into(),
        State::Broadcast { .. } => "broadcast".into(),
        State::NoAcknowledgement { .. } => "no acknowledgement".into(),
        State::NotBroadcast { .. } => "not broadcast".into(),
        State::Late { .. } => "late acknowledgement".into(),
        State::NoAbk { .. } => "no ABK from transponder".into(),
        State::Interrupted { .. } => "interrupted".into(),
        State::Refused { reason } => format!("refused: {reason}"),
    }
}

/// An ISRS location: UN/LOCODE, fairway section, terminal, hectometre.
pub fn location_text(l: &crate::ais::application::InlandLocation) -> String {
    format!(
        "{}{} {} {} {}",
        l.country, l.locode, l.section, l.terminal, l.hectometre
    )
}

fn hhmm(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map_or_else(|| "--:--".into(), |d| d.format("%H:%MZ").to_string())
}

fn who(app: &App, mmsi: u32) -> String {
    match app.name_of(mmsi) {
        Some(n) => format!("{mmsi:09} {}", super::format::sanitize(&n)),
        None => format!("{mmsi:09}"),
    }
}

/// The RTA in words, what matters first so that a narrow screen cuts the
/// rest: "RTA 14:35Z (11-22): operational, 5 min after ETA; from 002039991
/// …, ATVIE0000100000".
pub fn rta_text(app: &App, e: &InboxEntry) -> Option<String> {
    let InboxKind::Rta { rta, answers } = &e.kind else {
        return None;
    };
    let t = rta.rta;
    let mut s = format!(
        "RTA {:02}:{:02}Z ({:02}-{:02}): {}",
        t.hour,
        t.minute,
        t.month,
        t.day,
        lock_status(rta.status)
    );
    if let Some(r) = answers {
        let eta = i64::from(r.eta.hour) * 60 + i64::from(r.eta.minute);
        let at = i64::from(t.hour) * 60 + i64::from(t.minute);
        // Same day, or across midnight.
        let mut d = at - eta;
        if d > 720 {
            d -= 1440;
        } else if d < -720 {
            d += 1440;
        }
        s.push_str(&match d {
            0 => ", at the ETA".to_string(),
            d if d > 0 => format!(", {d} min after ETA"),
            d => format!(", {} min before ETA", -d),
        });
    }
    s.push_str(&format!(
        "; from {}, {}",
        who(app, rta.from),
        location_text(&rta.location)
    ));
    Some(s)
}

/// The newest unread RTA answering one of our ETA reports.
pub fn unread_rta(app: &App) -> Option<&InboxEntry> {
    app.engine.desk.inbox().iter().rev().find(|e| {
        e.unread
            && matches!(
                &e.kind,
                InboxKind::Rta {
                    answers: Some(_),
                    ..
                }
            )
    })
}

/// The RTA line under the alarm bar.
pub fn rta_line(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    if let Some(text) = unread_rta(app).and_then(|e| rta_text(app, e)) {
        let key = app.keymap.key_of(Action::OpenInbox);
        f.render_widget(
            Paragraph::new(Span::styled(format!(" {text}   ({key} inbox)"), th.warn()))
                .style(th.base()),
            area,
        );
    }
}

pub fn render(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    let key = app.keymap.key_of(Action::OpenInbox);
    let close = app.keymap.key_of(Action::Close);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.accent())
        .title(Span::styled(" inbox and outbox ", th.accent()))
        .title_bottom(Span::styled(format!(" {close} or {key} closes "), th.dim()))
        .style(th.base());
    let w = block.inner(area).width as usize;
    let mut lines = vec![Line::styled(" Received", th.accent())];
    let inbox = app.engine.desk.inbox();
    if inbox.is_empty() {
        lines.push(Line::styled("   nothing received", th.dim()));
    }
    for e in inbox.iter().rev() {
        let mark = match (e.unread, e.to_us) {
            (true, true) => "●!",
            (true, false) => "● ",
            (false, true) => " !",
            (false, false) => "  ",
        };
        let text = match &e.kind {
            InboxKind::Safety(m) => {
                let to = match m.to {
                    _ if e.to_us => "us".to_string(),
                    Some(t) => format!("{t:09}"),
                    None => "all".into(),
                };
                format!(
                    "from {} to {to}: {}",
                    who(app, m.from),
                    super::format::sanitize(m.text.trim())
                )
            }
            InboxKind::Rta { .. } => rta_text(app, e).unwrap_or_default(),
        };
        let style = if e.to_us { th.warn() } else { th.base() };
        lines.extend(super::row(
            Span::styled(format!(" {mark} {} ", hhmm(e.at_ms)), th.dim()),
            vec![Span::styled(text, style)],
            w,
        ));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(" Sent", th.accent()));
    let outbox = app.engine.desk.outbox_entries();
    if outbox.is_empty() {
        lines.push(Line::styled("   nothing sent", th.dim()));
    }
    for e in outbox.iter().rev() {
        let to = match e.item.to() {
            Some(m) => who(app, m),
            None => "all".into(),
        };
        let what = match &e.item {
            Item::Eta(r) => format!("ETA {} at {}", r.eta, location_text(&r.location)),
            Item::Safety(m) => format!("msg {} {:?}", m.kind().msg_id(), m.text.text),
        };
        let style = match e.state {
            State::Acknowledged { .. } | State::Broadcast { .. } => th.ok(),
            State::Queued | State::Sending { .. } | State::Written { .. } => th.base(),
            _ => th.warn(),
        };
        lines.extend(super::row(
            Span::styled(format!("    {} ", hhmm(e.queued_ms)), th.dim()),
            vec![
                Span::styled(format!("to {to}: {what} — "), th.base()),
                Span::styled(state_words(&e.state, app.engine.desk.through_aiip()), style),
            ],
            w,
        ));
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}
