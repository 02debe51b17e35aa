//! Help overlay listing every key, and the one-line key hints.
//!
//! The help is built from the keymap, so a key rebound in `[keys]` shows
//! as it acts; its last lines say which keys scroll, close it and quit,
//! from the same keymap the console answers with. When it does not fit it
//! goes to two columns if the window is wide enough, and scrolls.

use super::theme::Theme;
use crate::app::console::{Action, App};
use crate::voyage::desk::InboxKind;
use crate::voyage::outbox::Item;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

/// The key column: " {key:>6}  ".
const LEAD: usize = 9;

/// Columns a help entry needs to stand on one line, aligned: key, the
/// longest text, its config name.
fn column_width(app: &App) -> usize {
    let key = Action::ALL
        .iter()
        .map(|a| Span::raw(app.keymap.key_of(a.0)).width())
        .max()
        .unwrap_or(0);
    let text = Action::ALL
        .iter()
        .map(|a| Span::raw(a.3).width())
        .max()
        .unwrap_or(0);
    let name = Action::ALL.iter().map(|a| a.1.len() + 2).max().unwrap_or(0);
    LEAD.max(key + 3) + text + 2 + name
}

/// Width of the help window that shows every entry on one line.
pub fn width(app: &App) -> u16 {
    u16::try_from(column_width(app) + 2).unwrap_or(u16::MAX)
}

pub fn render(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.accent())
        .title(Span::styled(" help ", th.accent()))
        .style(th.base());
    let inner = block.inner(area);
    let lines = lines(app, th, inner.width as usize, inner.height as usize);
    super::scrolled(f, area, block, lines, &app.view.help_scroll, th.accent());
}

/// One entry: key, what it does, its name in `[keys]`; the text padded to
/// `text_w` when given (aligned columns).
fn entry<'a>(
    app: &'a App,
    th: &Theme,
    (a, name, _, text): (Action, &str, &str, &str),
    text_w: Option<usize>,
    width: usize,
) -> Vec<Line<'a>> {
    let text = match text_w {
        Some(w) => format!("{text:<w$}"),
        None => format!("{text} "),
    };
    super::row(
        Span::styled(format!(" {:>6}  ", app.keymap.key_of(a)), th.accent()),
        vec![
            Span::styled(text, th.base()),
            Span::styled(format!("[{name}]"), th.dim()),
        ],
        width,
    )
}

/// What the help's own keys do, in words made from the keymap.
pub fn own_keys_text(app: &App) -> String {
    let k = |a| app.keymap.key_of(a);
    format!(
        "In this help: {} scroll; {} or ctrl-c quits (asking first while an alarm is \
         unacknowledged); {}, {} or any other key closes this help.",
        app.keymap.scroll_key_names().join("/"),
        k(Action::Quit),
        k(Action::Close),
        k(Action::ToggleHelp),
    )
}

/// Every line of the help for a window `width` × `height`: one column, or
/// two when one does not fit the height and two fit the width.
pub fn lines<'a>(app: &'a App, th: &Theme, width: usize, height: usize) -> Vec<Line<'a>> {
    let plain = |s: String, style| super::row(Span::raw(" "), vec![Span::styled(s, style)], width);
    let mut out = plain(
        "Keys (change them in the config file's [keys] table)".into(),
        th.accent(),
    );
    out.push(Line::from(""));
    let mut footer = vec![Line::from("")];
    footer.extend(plain(
        format!("palette: {}", app.view.palette.name()),
        th.dim(),
    ));
    footer.extend(plain(own_keys_text(app), th.dim()));

    let col = column_width(app);
    let text_w = Action::ALL
        .iter()
        .map(|a| Span::raw(a.3).width())
        .max()
        .unwrap_or(0)
        + 2;
    let one = |width: usize| -> Vec<Vec<Line<'a>>> {
        let aligned = (width >= col).then_some(text_w);
        Action::ALL
            .into_iter()
            .map(|e| entry(app, th, e, aligned, width))
            .collect()
    };
    let single = one(width);
    let single_len: usize = single.iter().map(Vec::len).sum();
    const GAP: usize = 2;
    if out.len() + single_len + footer.len() > height && width >= 2 * col + GAP {
        // Two columns side by side, the first half on the left.
        let half = width.saturating_sub(GAP) / 2;
        let entries = one(half);
        let (left, right) = entries.split_at(entries.len().div_ceil(2));
        for (i, l) in left.iter().enumerate() {
            let r = right.get(i).map_or(&[][..], Vec::as_slice);
            for j in 0..l.len().max(r.len()) {
                let mut spans: Vec<Span> = l.get(j).map(|x| x.spans.clone()).unwrap_or_default();
                let used: usize = spans.iter().map(Span::width).sum();
                spans.push(Span::raw(" ".repeat((half + GAP).saturating_sub(used))));
                if let Some(x) = r.get(j) {
                    spans.extend(x.spans.iter().cloned());
                }
                out.push(Line::from(spans));
            }
        }
    } else {
        out.extend(single.into_iter().flatten());
    }
    // Short of a line or two: the blank lines go before anything scrolls.
    let spare = out.len() + footer.len() - height.min(out.len() + footer.len());
    if (1..=2).contains(&spare) {
        out.remove(1);
        if spare == 2 {
            footer.remove(0);
        }
    }
    out.extend(footer);
    out
}

pub fn hints(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    // A confirmation after a send takes the line until the next key.
    if let Some(n) = notice_text(app) {
        f.render_widget(
            ratatui::widgets::Paragraph::new(Span::styled(format!(" {n}"), th.ok()))
                .style(th.base()),
            area,
        );
        return;
    }
    let text = hint_text(app, usize::from(area.width));
    f.render_widget(
        ratatui::widgets::Paragraph::new(Span::styled(text, th.dim())).style(th.base()),
        area,
    );
}

/// Every key hint, in the order shown: (key, what it does).
pub fn hint_items(app: &App) -> Vec<String> {
    let k = |a| app.keymap.key_of(a).to_string();
    vec![
        format!("{}/{} ships", k(Action::PrevTarget), k(Action::NextTarget)),
        format!("{} ack", k(Action::Acknowledge)),
        format!("{} silence", k(Action::Silence)),
        format!("{} snooze", k(Action::Snooze)),
        format!("{} ETA", k(Action::OpenEta)),
        format!("{} msg", k(Action::OpenMessage)),
        format!("{} voyage", k(Action::OpenVoyage)),
        format!("{} inbox", k(Action::OpenInbox)),
        format!("{} help", k(Action::ToggleHelp)),
        format!("{} quit", k(Action::Quit)),
        format!("{} details", k(Action::ToggleDetails)),
        format!("{}/{} data", k(Action::ScrollLeft), k(Action::ScrollRight)),
        format!("{} log", k(Action::ToggleAlarmLog)),
    ]
}

/// The key-hint line for `width` columns: whole hints only, in order, as
/// many as fit; the help key's hint is always among them (the help lists
/// the rest).
pub fn hint_text(app: &App, width: usize) -> String {
    const GAP: &str = "  ";
    let items = hint_items(app);
    let help = format!("{} help", app.keymap.key_of(Action::ToggleHelp));
    let w = |s: &str| Span::raw(s).width();
    let mut room = width.saturating_sub(1 + w(&help));
    let mut shown: Vec<&str> = Vec::new();
    for item in &items {
        if *item == help {
            shown.push(item);
            continue;
        }
        let need = w(item) + w(GAP);
        if need <= room {
            room -= need;
            shown.push(item);
        }
    }
    format!(" {}", shown.join(GAP))
}

/// The notice on the key-hint line, if any. A send's notice follows its
/// message in the outbox: "ETA report queued", then written,
/// acknowledged (or what the ABK said); once an RTA answering the ETA
/// report has come (shown under the alarm bar) it has nothing more to say.
pub fn notice_text(app: &App) -> Option<String> {
    let n = app.notice.as_ref()?;
    let Some((id, text)) = &app.notice_item else {
        return Some(n.clone());
    };
    if text != n {
        return Some(n.clone());
    }
    let desk = &app.engine.desk;
    let Some(e) = desk.outbox_entries().iter().find(|e| e.id == *id) else {
        return Some(n.clone());
    };
    let what = match &e.item {
        Item::Eta(report) => {
            let answered = desk.inbox().iter().any(|r| {
                r.at_ms >= e.queued_ms
                    && matches!(&r.kind, InboxKind::Rta { answers: Some(a), .. } if a == report)
            });
            if answered {
                return None;
            }
            "ETA report"
        }
        Item::Safety(_) => "Message",
    };
    let state = super::inbox::state_words(&e.state, desk.through_aiip());
    Some(format!(
        "{what} {state} — see the outbox ({})",
        app.keymap.key_of(Action::OpenInbox)
    ))
}
