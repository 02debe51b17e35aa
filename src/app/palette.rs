//! The screen's palette as a setting (day, dusk, night): chosen in the
//! config, on the command line or by key; the colours of each are the
//! view's (`ui::theme`).

/// A palette choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Palette {
    Day,
    Dusk,
    Night,
}

impl Palette {
    /// Parse `day`, `dusk`, `night`.
    pub fn parse(s: &str) -> Option<Palette> {
        match s {
            "day" => Some(Palette::Day),
            "dusk" => Some(Palette::Dusk),
            "night" => Some(Palette::Night),
            _ => None,
        }
    }
    pub fn next(self) -> Palette {
        match self {
            Palette::Day => Palette::Dusk,
            Palette::Dusk => Palette::Night,
            Palette::Night => Palette::Day,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Palette::Day => "day",
            Palette::Dusk => "dusk",
            Palette::Night => "night",
        }
    }
}
