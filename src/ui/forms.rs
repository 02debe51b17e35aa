//! The form window: one line per field (label, what was typed, and its
//! check beside it: ✓ with words, or ✗ with the reason), the refusal of the
//! last key or send, the question before sending, and the form's keys.

use super::theme::Theme;
use crate::app::console::App;
use crate::app::forms::{Context, Form, FormKind};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// Label column width.
const LABEL: usize = 19;
/// Value column width.
const VALUE: usize = 22;

/// The keys of a form, in words.
pub fn keys_text(kind: FormKind) -> &'static str {
    match kind {
        FormKind::Eta => {
            "Tab/Shift-Tab field · Ctrl-U clear · Ctrl-N/P national MMSI · Enter send · Esc close"
        }
        FormKind::Safety => {
            "Tab/Shift-Tab field · Ctrl-U clear · Ctrl-N/P stored text · Ctrl-S store text · Enter send · Esc close"
        }
        FormKind::Voyage => {
            "Tab/Shift-Tab field · Ctrl-U clear · Ctrl-N/P list · Ctrl-T station data · empty = unchanged, @ = not available · Enter send · Esc close"
        }
        FormKind::Station => {
            "Tab/Shift-Tab field · Ctrl-U clear · Ctrl-T inland voyage data · empty = unchanged, @ = not available · Enter send · Esc close"
        }
        FormKind::InlandVoyage => {
            "Tab/Shift-Tab field · Ctrl-U clear · Ctrl-T inland static data · empty = unchanged · Enter send · Esc close"
        }
        FormKind::InlandStatic => {
            "Tab/Shift-Tab field · Ctrl-U clear · Ctrl-T voyage data · empty = unchanged · Enter send · Esc close"
        }
    }
}

/// The lines of a form: one per field (not wrapped: the check is cut at
/// the window's edge), then the footer (wrapped: the focused field's whole
/// check, the refusal, the question, the keys); and the cursor's line and
/// column among the field lines.
pub fn lines<'a>(
    form: &Form,
    ctx: &Context,
    th: &Theme,
) -> (Vec<Line<'a>>, Vec<Line<'a>>, (u16, u16)) {
    let mut out = Vec::new();
    let mut foot = Vec::new();
    let mut cursor = (0, 0);
    for (i, label) in form.kind.labels().iter().enumerate() {
        let focused = i == form.focus;
        let input = &form.inputs[i];
        let value = input.value();
        let scroll = input.visual_scroll(VALUE);
        let shown: String = value.chars().skip(scroll).take(VALUE).collect();
        if focused {
            let col = LABEL + 2 + input.visual_cursor().saturating_sub(scroll);
            cursor = (out.len() as u16, col as u16);
        }
        let check = form.check(i, ctx);
        let (mark, words, style) = match &check {
            Ok(w) if value.trim().is_empty() && w.is_empty() => ("  ", String::new(), th.dim()),
            Ok(w) => ("✓ ", w.clone(), th.ok()),
            Err(e) => ("✗ ", e.clone(), th.danger()),
        };
        if form.kind == FormKind::Safety && i == 1 && !value.is_empty() {
            // The whole message, wrapped, as it will be sent.
            foot.push(Line::styled(format!(" «{value}»"), th.base()));
        }
        if focused && !words.is_empty() {
            let whole = format!("{label}: {words}");
            // A send refused for this field's own reason says it once: the
            // refusal below stands for the check.
            if form.note.as_deref() != Some(whole.as_str()) {
                foot.push(Line::styled(format!(" {whole}"), style));
            }
        }
        let lead = if focused { "▸" } else { " " };
        out.push(Line::from(vec![
            Span::styled(
                format!("{lead}{label:<w$} ", w = LABEL),
                if focused { th.accent() } else { th.base() },
            ),
            Span::styled(
                format!("[{shown:<w$}] ", w = VALUE),
                if focused { th.selected() } else { th.base() },
            ),
            Span::styled(mark, style),
            Span::styled(words, style),
        ]));
    }
    if let Some(c) = &form.current {
        foot.push(Line::styled(format!(" {c}"), th.dim()));
    }
    if let Some(n) = &form.note {
        foot.push(Line::styled(format!(" {n}"), th.danger()));
    }
    if form.confirm {
        foot.push(Line::styled(
            format!(" {} y sends · any other key goes back", form.question()),
            th.warn(),
        ));
    }
    foot.push(Line::styled(format!(" {}", keys_text(form.kind)), th.dim()));
    (out, foot, cursor)
}

pub fn render(f: &mut Frame, area: Rect, app: &App, form: &Form, th: &Theme) {
    let name_of = |m: u32| app.name_of(m);
    let ctx = Context {
        now_ms: app.now_ms(),
        name_of: &name_of,
        utc_offset_min: app.utc_offset_min,
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(th.accent())
        .title(Span::styled(
            format!(" {} ", form.kind.title()),
            th.accent(),
        ))
        .style(th.base());
    let inner = block.inner(area);
    let (fields, foot, (row, col)) = lines(form, &ctx, th);
    f.render_widget(block, area);
    let n = fields.len() as u16;
    let top = Rect {
        height: n.min(inner.height),
        ..inner
    };
    let bottom = Rect {
        y: top.bottom().saturating_add(1).min(inner.bottom()),
        height: inner.height.saturating_sub(n + 1),
        ..inner
    };
    f.render_widget(Paragraph::new(fields), top);
    f.render_widget(Paragraph::new(foot).wrap(Wrap { trim: false }), bottom);
    if !form.confirm && row < inner.height && col < inner.width {
        f.set_cursor_position(Position::new(inner.x + col, inner.y + row));
    }
}
