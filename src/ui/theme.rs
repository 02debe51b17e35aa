//! Day, dusk and night palettes. Night keeps a dark background and no bright
//! white (IEC 62288 night palette practice): text is dim amber/grey and the
//! danger colour a dark red, so the officer's night vision survives.

use ratatui::style::{Color, Modifier, Style};

pub use crate::app::palette::Palette;

/// Colours of one palette.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub bg: Color,
    pub fg: Color,
    pub dim: Color,
    pub accent: Color,
    pub danger: Color,
    pub warn: Color,
    pub ok: Color,
    pub selected_bg: Color,
}

impl Theme {
    pub fn of(p: Palette) -> Theme {
        match p {
            Palette::Day => Theme {
                bg: Color::Rgb(245, 245, 240),
                fg: Color::Rgb(10, 10, 10),
                dim: Color::Rgb(90, 90, 90),
                accent: Color::Rgb(0, 70, 160),
                danger: Color::Rgb(200, 0, 0),
                warn: Color::Rgb(170, 100, 0),
                ok: Color::Rgb(0, 120, 0),
                selected_bg: Color::Rgb(200, 215, 240),
            },
            Palette::Dusk => Theme {
                bg: Color::Rgb(30, 34, 40),
                fg: Color::Rgb(200, 200, 190),
                dim: Color::Rgb(120, 120, 115),
                accent: Color::Rgb(110, 160, 220),
                danger: Color::Rgb(230, 60, 50),
                warn: Color::Rgb(220, 160, 40),
                ok: Color::Rgb(90, 180, 90),
                selected_bg: Color::Rgb(55, 65, 85),
            },
            Palette::Night => Theme {
                bg: Color::Rgb(0, 0, 0),
                fg: Color::Rgb(150, 120, 70),
                dim: Color::Rgb(85, 70, 45),
                accent: Color::Rgb(120, 110, 90),
                danger: Color::Rgb(170, 30, 20),
                warn: Color::Rgb(160, 100, 20),
                ok: Color::Rgb(60, 110, 50),
                selected_bg: Color::Rgb(40, 30, 15),
            },
        }
    }

    pub fn base(&self) -> Style {
        Style::default().fg(self.fg).bg(self.bg)
    }
    pub fn dim(&self) -> Style {
        Style::default().fg(self.dim).bg(self.bg)
    }
    pub fn danger(&self) -> Style {
        Style::default()
            .fg(self.danger)
            .bg(self.bg)
            .add_modifier(Modifier::BOLD)
    }
    pub fn warn(&self) -> Style {
        Style::default().fg(self.warn).bg(self.bg)
    }
    pub fn ok(&self) -> Style {
        Style::default().fg(self.ok).bg(self.bg)
    }
    pub fn accent(&self) -> Style {
        Style::default().fg(self.accent).bg(self.bg)
    }
    pub fn selected(&self) -> Style {
        Style::default().fg(self.fg).bg(self.selected_bg)
    }
}
