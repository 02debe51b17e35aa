//! The console's state and its one-way update: keys become [`Action`]s
//! through the keymap, `update` changes the state, link messages feed the
//! engine; the views (`crate::ui`) only borrow the result.

use super::alarm_log::AlarmLog;
use super::engine::{Engine, clean};
pub use super::links::LinkStatus;
use super::links::{LinkChange, Links};
use super::palette::Palette;
use crate::clock::rfc3339;
use crate::link::tasks::LinkMsg;
use crate::traffic::alarm::{AlarmId, AlarmState};
use crate::traffic::target::{Target, TargetKind};
use crate::traffic::{Event, config::TrafficConfig};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::cell::Cell;
use std::collections::HashMap;

/// Why ↑/↓ selected nothing.
const NO_TARGETS: &str = "no targets in the list";
/// Why a key about the selected target did nothing.
const NO_SELECTION: &str = "no target selected";

/// What the officer asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    NextTarget,
    PrevTarget,
    ScrollLeft,
    ScrollRight,
    ToggleDetails,
    ToggleActivate,
    Acknowledge,
    ChooseAlarm,
    AlarmTarget,
    Silence,
    Snooze,
    CycleSort,
    CycleFilter,
    ZoomIn,
    ZoomOut,
    ToggleHeadUp,
    ToggleAlarmLog,
    DismissMessage,
    OpenEta,
    OpenMessage,
    OpenVoyage,
    OpenInbox,
    ToggleHelp,
    CyclePalette,
    AiipMode,
    Close,
}

impl Action {
    /// Every action: (action, config name, default key, help text), in
    /// help order — the one table the keymap, the help and the config
    /// names come from.
    pub const ALL: [(Action, &'static str, &'static str, &'static str); 27] = [
        (
            Action::NextTarget,
            "next",
            "down",
            "next target (nearer → farther)",
        ),
        (Action::PrevTarget, "prev", "up", "previous target"),
        (
            Action::ScrollRight,
            "scroll_right",
            "right",
            "more data of the selected target",
        ),
        (
            Action::ScrollLeft,
            "scroll_left",
            "left",
            "back to the first data",
        ),
        (
            Action::ToggleDetails,
            "details",
            "enter",
            "selected-target window (every field, its age)",
        ),
        (
            Action::ToggleActivate,
            "activate",
            "v",
            "activate / sleep the selected target",
        ),
        (
            Action::Acknowledge,
            "ack",
            "a",
            "acknowledge the chosen alarm, else the top unacknowledged",
        ),
        (
            Action::ChooseAlarm,
            "choose_alarm",
            "tab",
            "choose an alarm in the bar (cycles) for ack and snooze",
        ),
        (
            Action::AlarmTarget,
            "alarm_target",
            "t",
            "select the target of the chosen (else top) alarm",
        ),
        (
            Action::Silence,
            "silence",
            "s",
            "silence every sounding alarm ([console] silence_s, 30 s)",
        ),
        (
            Action::Snooze,
            "snooze",
            "z",
            "snooze chosen (else top) CPA alarm 10 min; again cancels",
        ),
        (
            Action::CycleSort,
            "sort",
            "o",
            "sort list: range, CPA, TCPA, name",
        ),
        (
            Action::CycleFilter,
            "filter",
            "f",
            "filter: all, no moored sleeping, no class B, no AtoN",
        ),
        (Action::ZoomIn, "zoom_in", "+", "plot range smaller"),
        (Action::ZoomOut, "zoom_out", "-", "plot range larger"),
        (Action::ToggleHeadUp, "head_up", "h", "north-up / head-up"),
        (
            Action::ToggleAlarmLog,
            "alarm_log",
            "l",
            "alarm log (marks received messages read)",
        ),
        (
            Action::DismissMessage,
            "dismiss",
            "r",
            "mark received messages read (clears the alarm bar's ✉)",
        ),
        (
            Action::OpenEta,
            "eta_form",
            "e",
            "ETA report to a lock, bridge or terminal (form)",
        ),
        (
            Action::OpenMessage,
            "message_form",
            "m",
            "safety-related message to the selected ship or all (form)",
        ),
        (
            Action::OpenVoyage,
            "voyage_form",
            "d",
            "voyage data; ctrl-t: station, inland data (form)",
        ),
        (
            Action::OpenInbox,
            "inbox",
            "i",
            "inbox and outbox (opening marks received items read)",
        ),
        (
            Action::CyclePalette,
            "palette",
            "p",
            "day / dusk / night palette",
        ),
        (
            Action::AiipMode,
            "aiip_mode",
            "M",
            "AI-IP mode: tactical, tactical-on-board, strategic",
        ),
        (Action::ToggleHelp, "help", "?", "this help"),
        (Action::Close, "close", "esc", "close the window on top"),
        (Action::Quit, "quit", "q", "quit"),
    ];
}

/// Key bindings: action name → key, from `[keys]` in the config file over
/// the defaults.
#[derive(Debug, Clone)]
pub struct Keymap {
    map: HashMap<KeyCode, Action>,
    names: HashMap<Action, String>,
}

fn parse_key(s: &str) -> Option<KeyCode> {
    Some(match s {
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "space" => KeyCode::Char(' '),
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        _ => {
            let mut c = s.chars();
            let ch = c.next()?;
            if c.next().is_some() {
                return None;
            }
            KeyCode::Char(ch)
        }
    })
}

impl Keymap {
    /// Defaults with `overrides` (action name → key name) on top. Two
    /// actions on one key are refused, naming both, so the help always
    /// shows keys that really act.
    pub fn new(overrides: &HashMap<String, String>) -> Result<Keymap, String> {
        let mut names: HashMap<Action, String> = Action::ALL
            .iter()
            .map(|(a, _, key, _)| (*a, key.to_string()))
            .collect();
        let action = |name: &str| Action::ALL.iter().find(|a| a.1 == name).map(|a| a.0);
        for (name, key) in overrides {
            let a = action(name).ok_or_else(|| format!("[keys]: unknown action {name:?}"))?;
            parse_key(key).ok_or_else(|| format!("[keys] {name}: unknown key {key:?}"))?;
            names.insert(a, key.clone());
        }
        let mut map: HashMap<KeyCode, Action> = HashMap::new();
        // In help order, so the message is the same at every start.
        for (a, name, _, _) in Action::ALL {
            let key = &names[&a];
            let k = parse_key(key).ok_or_else(|| format!("[keys] {name}: unknown key {key:?}"))?;
            if let Some(other) = map.insert(k, a) {
                let other_name = Action::ALL
                    .iter()
                    .find(|x| x.0 == other)
                    .map_or("?", |x| x.1);
                return Err(format!(
                    "[keys]: key {key:?} is bound to both {other_name} and {name}; give one of them another key"
                ));
            }
        }
        Ok(Keymap { map, names })
    }

    /// The action of a key press.
    pub fn action(&self, k: &KeyEvent) -> Option<Action> {
        if k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char('c') {
            return Some(Action::Quit);
        }
        self.map.get(&k.code).copied()
    }

    /// The key bound to an action, for the help and the hints.
    pub fn key_of(&self, a: Action) -> &str {
        self.names.get(&a).map_or("-", String::as_str)
    }

    /// What a key does in a window that scrolls (help, selected-target
    /// window): the previous/next-target keys and [`SCROLL_KEYS`] scroll it,
    /// but the keys that quit or open and close windows keep their meaning.
    pub fn scroll_of(&self, k: &KeyEvent) -> Option<Scroll> {
        match self.action(k) {
            Some(Action::PrevTarget) => Some(Scroll::LineUp),
            Some(Action::NextTarget) => Some(Scroll::LineDown),
            Some(Action::Quit | Action::Close | Action::ToggleHelp | Action::ToggleDetails) => None,
            _ => SCROLL_KEYS.iter().find(|s| s.0 == k.code).map(|s| s.2),
        }
    }

    /// The names of the keys that scroll a window, as [`Keymap::scroll_of`]
    /// answers them, for the help's own text.
    pub fn scroll_key_names(&self) -> Vec<&str> {
        let mut v = vec![
            self.key_of(Action::PrevTarget),
            self.key_of(Action::NextTarget),
        ];
        for (code, name, _) in SCROLL_KEYS {
            if !v.contains(&name)
                && self
                    .scroll_of(&KeyEvent::new(code, KeyModifiers::NONE))
                    .is_some()
            {
                v.push(name);
            }
        }
        v
    }
}

/// One step of a window's scroll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scroll {
    LineUp,
    LineDown,
    PageUp,
    PageDown,
    Top,
    Bottom,
}

/// Keys that scroll a window while it is on top, besides the
/// previous/next-target keys: (key, name as the help writes it, step).
pub const SCROLL_KEYS: [(KeyCode, &str, Scroll); 6] = [
    (KeyCode::Up, "up", Scroll::LineUp),
    (KeyCode::Down, "down", Scroll::LineDown),
    (KeyCode::PageUp, "pageup", Scroll::PageUp),
    (KeyCode::PageDown, "pagedown", Scroll::PageDown),
    (KeyCode::Home, "home", Scroll::Top),
    (KeyCode::End, "end", Scroll::Bottom),
];

/// Scroll position of a window (help, selected-target window). The view
/// writes back at each draw how far the window can scroll and how high it
/// is — the one thing a view records, as a ratatui `StatefulWidget` keeps
/// its offset — so the keys stop at the last line and page by its height.
#[derive(Debug, Clone, Default)]
pub struct PopupScroll {
    /// First line shown.
    pub offset: usize,
    /// The largest offset that still fills the window, at the last draw.
    pub max: Cell<usize>,
    /// Lines the window shows, at the last draw.
    pub page: Cell<usize>,
}

impl PopupScroll {
    /// Move by one step, within what the last draw showed.
    pub fn apply(&mut self, s: Scroll) {
        let max = self.max.get();
        let page = self.page.get().saturating_sub(1).max(1);
        let o = self.offset.min(max);
        self.offset = match s {
            Scroll::LineUp => o.saturating_sub(1),
            Scroll::LineDown => (o + 1).min(max),
            Scroll::PageUp => o.saturating_sub(page),
            Scroll::PageDown => (o + page).min(max),
            Scroll::Top => 0,
            Scroll::Bottom => max,
        };
    }

    /// For the view: the first line to show of `lines` in a window
    /// `height` lines high; records both for the keys.
    pub fn fit(&self, lines: usize, height: usize) -> usize {
        let max = lines.saturating_sub(height);
        self.max.set(max);
        self.page.set(height);
        self.offset.min(max)
    }
}

/// Console settings in the config file (`[console]`, `[keys]`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleConfig {
    pub palette: Option<String>,
    /// Seconds after which a link that stays down raises an alarm.
    pub link_alarm_s: Option<f64>,
    /// Seconds between repeats of the audible signal while an alarm is
    /// active and unacknowledged (default 5).
    pub bell_repeat_s: Option<f64>,
    /// Seconds a silence lasts (default 30, as IEC 62923-1).
    pub silence_s: Option<f64>,
    /// Local time's offset from UTC in hours (−12 to 14), shown beside
    /// an ETA.
    pub utc_offset_h: Option<f64>,
}

/// Not yet acknowledged by the officer (silenced and rectified included).
fn unacknowledged(s: AlarmState) -> bool {
    matches!(
        s,
        AlarmState::ActiveUnacknowledged
            | AlarmState::ActiveSilenced { .. }
            | AlarmState::RectifiedUnacknowledged
    )
}

/// Sort order of the target list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Range,
    Cpa,
    Tcpa,
    Name,
}

/// List filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    HideMooredSleeping,
    HideClassB,
    HideAton,
}

impl Filter {
    pub fn label(&self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::HideMooredSleeping => "no moored sleeping",
            Filter::HideClassB => "no class B",
            Filter::HideAton => "no AtoN",
        }
    }
}

/// View state (not the picture).
#[derive(Debug, Clone)]
pub struct ViewState {
    pub hscroll: usize,
    /// The farthest `hscroll` that still shows something new, at the last
    /// draw of the minimum display (`None` before it).
    pub hscroll_max: Cell<Option<usize>>,
    pub details: bool,
    pub help: bool,
    pub alarm_log: bool,
    pub sort: SortKey,
    pub filter: Filter,
    pub range_nm: f64,
    pub head_up: bool,
    pub palette: Palette,
    /// Quit was asked while an alarm is unacknowledged: confirm first.
    pub confirm_quit: bool,
    /// The officer chose the selected ship himself (↑/↓): it is never
    /// moved automatically until it is removed. Until then the selection
    /// follows the nearest ship (not while its window is open).
    pub officer_selected: bool,
    /// Scroll of the help.
    pub help_scroll: PopupScroll,
    /// Scroll of the selected-target window.
    pub details_scroll: PopupScroll,
    /// The alarm the officer chose in the alarm bar (acknowledge and
    /// snooze act on it); `None`: the top one.
    pub chosen_alarm: Option<AlarmId>,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            hscroll: 0,
            hscroll_max: Cell::new(None),
            details: false,
            help: false,
            alarm_log: false,
            sort: SortKey::Range,
            filter: Filter::All,
            range_nm: 6.0,
            head_up: false,
            palette: Palette::Night,
            confirm_quit: false,
            officer_selected: false,
            help_scroll: PopupScroll::default(),
            details_scroll: PopupScroll::default(),
            chosen_alarm: None,
        }
    }
}

/// Everything the console shows.
#[derive(Debug)]
pub struct App {
    pub engine: Engine,
    pub links: Links,
    pub view: ViewState,
    pub keymap: Keymap,
    pub log: AlarmLog,
    /// Recent alarm-log lines for the log view (newest last).
    pub log_lines: Vec<String>,
    pub quit: bool,
    /// The audible signal: rings for a new unacknowledged alarm and
    /// repeats while one stays unacknowledged.
    pub bell: super::bell::Bell,
    pub last_wall_ms: i64,
    /// Which configuration is in use ("config PATH", "built-in defaults").
    pub config_label: String,
    /// How long a silence lasts, ms.
    pub silence_ms: i64,
    /// Received safety messages the officer has seen (the first this many
    /// of `engine.traffic.safety_messages`).
    pub messages_read: usize,
    /// The form open over the main screen (every key goes to it).
    pub form: Option<super::forms::Form>,
    /// The inbox/outbox window is open.
    pub inbox: bool,
    /// A short confirmation after a send ("ETA report queued …").
    pub notice: Option<String>,
    /// The outbox message a send's notice is about, with that notice: the
    /// key-hint line follows its state while the notice stands.
    pub notice_item: Option<(crate::voyage::outbox::Id, String)>,
    /// Safety texts stored for reuse (Ctrl-S in the message form).
    pub stored_texts: Vec<String>,
    /// Destinations sent in voyage data, newest first.
    pub destinations: Vec<String>,
    /// The inland pages as last sent.
    pub inland: super::forms::InlandTexts,
    /// Local time's offset from UTC, minutes (`[console] utc_offset_h`).
    pub utc_offset_min: Option<i32>,
    /// Where the stored texts, destinations and inland pages are kept
    /// across restarts (none: not kept).
    pub memory_path: Option<std::path::PathBuf>,
    /// The AI-IP client, with an `aiip:` input.
    pub aiip: Option<super::aiip_io::AiipIo>,
    /// Passes over the whole target list (a filtered, sorted list or a
    /// scan for the automatic selection), counted so a test can hold the
    /// per-datagram path to none.
    pub list_builds: Cell<u64>,
    /// The automatic selection is to be settled (see [`App::settle`]).
    follow_pending: bool,
    /// Something shown may have changed since the last frame.
    pub changed: bool,
    /// Frames drawn by the console's loop.
    pub frames: u64,
}

/// How long a snooze holds (unless the encounter gets worse), ms.
pub const SNOOZE_MS: i64 = 600_000;

/// Default length of a silence, seconds (IEC 62923-1: 30 s).
pub const DEFAULT_SILENCE_S: f64 = 30.0;

const RANGES: [f64; 7] = [0.75, 1.5, 3.0, 6.0, 12.0, 24.0, 48.0];

impl App {
    /// A console over an engine.
    pub fn new(
        traffic: TrafficConfig,
        live: bool,
        link_names: Vec<String>,
        keymap: Keymap,
        log: AlarmLog,
    ) -> App {
        App {
            engine: Engine::new(traffic, live),
            links: Links::new(link_names),
            view: ViewState::default(),
            keymap,
            log,
            log_lines: Vec::new(),
            quit: false,
            bell: super::bell::Bell::default(),
            last_wall_ms: 0,
            config_label: "built-in defaults".into(),
            silence_ms: (DEFAULT_SILENCE_S * 1000.0) as i64,
            messages_read: 0,
            form: None,
            inbox: false,
            notice: None,
            notice_item: None,
            stored_texts: Vec::new(),
            destinations: Vec::new(),
            inland: super::forms::InlandTexts::default(),
            utc_offset_min: None,
            memory_path: None,
            aiip: None,
            list_builds: Cell::new(0),
            follow_pending: true,
            changed: true,
            frames: 0,
        }
    }

    /// Keep the forms' memory in `path` (read now, written on change).
    pub fn remember_in(&mut self, path: Option<std::path::PathBuf>) {
        if let Some(p) = &path {
            let m = super::memory::Memory::load(p);
            self.stored_texts = m.stored_texts;
            self.destinations = m.destinations;
            self.inland = m.inland;
        }
        self.memory_path = path;
    }

    /// What the forms remember.
    pub fn memory(&self) -> super::memory::Memory {
        super::memory::Memory {
            stored_texts: self.stored_texts.clone(),
            destinations: self.destinations.clone(),
            inland: self.inland.clone(),
        }
    }

    /// The engine's time now.
    pub fn now_ms(&self) -> i64 {
        self.engine.now_ms(self.last_wall_ms)
    }

    /// Targets in list order (sorted and filtered; a target with an
    /// active alert is listed whatever the filter, see [`App::alerted`]).
    pub fn list(&self) -> Vec<&Target> {
        self.list_by(self.view.sort)
    }

    /// The nearest *ship* the list shows (never an aid to navigation or a
    /// base station), whatever the list's sort: range unknown goes last,
    /// equal ranges by MMSI. One pass over the targets, no sort.
    pub fn nearest(&self) -> Option<u32> {
        self.list_builds.set(self.list_builds.get() + 1);
        let range = |x: &Target| x.bearing_range.map_or(f64::MAX, |b| b.1);
        self.engine
            .traffic
            .targets
            .values()
            .filter(|x| {
                !matches!(
                    x.kind,
                    TargetKind::AidToNavigation { .. } | TargetKind::BaseStation
                ) && (!self.filtered_out(x) || self.alerted(x))
            })
            .min_by(|a, b| range(a).total_cmp(&range(b)).then(a.mmsi.cmp(&b.mmsi)))
            .map(|t| t.mmsi)
    }

    /// Whether a target has an active alert (dangerous, distress — SART,
    /// MOB, EPIRB —, or lost with its alarm standing): it is listed and
    /// plotted whatever the list filter.
    pub fn alerted(&self, t: &Target) -> bool {
        t.dangerous
            || t.is_distress_alert()
            || (t.lost_since_ms.is_some()
                && self
                    .engine
                    .traffic
                    .alarms
                    .get(&AlarmId::Lost(t.mmsi))
                    .is_some())
    }

    /// Whether the list filter alone would hide a target.
    pub fn filtered_out(&self, x: &Target) -> bool {
        match self.view.filter {
            Filter::All => false,
            Filter::HideMooredSleeping => {
                x.is_moored(0.5) && x.activation == crate::traffic::target::Activation::Sleeping
            }
            Filter::HideClassB => matches!(x.kind, TargetKind::ClassB { .. }),
            Filter::HideAton => matches!(x.kind, TargetKind::AidToNavigation { .. }),
        }
    }

    /// The target of the top unacknowledged alarm that is about a target
    /// still in the picture (the alarm bar's order).
    pub fn top_alarm_target(&self) -> Option<u32> {
        let t = &self.engine.traffic;
        t.alarms
            .ranked()
            .iter()
            .filter(|a| {
                matches!(
                    a.state,
                    AlarmState::ActiveUnacknowledged | AlarmState::ActiveSilenced { .. }
                )
            })
            .filter_map(|a| a.id.mmsi())
            .find(|m| t.targets.contains_key(m))
    }

    /// Targets filtered as the list shows them, in `sort` order.
    fn list_by(&self, sort: SortKey) -> Vec<&Target> {
        self.list_builds.set(self.list_builds.get() + 1);
        let t = &self.engine.traffic;
        let mut v: Vec<&Target> = t
            .targets
            .values()
            .filter(|x| !self.filtered_out(x) || self.alerted(x))
            .collect();
        let range = |x: &Target| x.bearing_range.map_or(f64::MAX, |b| b.1);
        match sort {
            SortKey::Range => {
                v.sort_by(|a, b| range(a).total_cmp(&range(b)).then(a.mmsi.cmp(&b.mmsi)))
            }
            SortKey::Cpa => v.sort_by(|a, b| {
                let c = |x: &Target| x.cpa.map_or(f64::MAX, |c| c.cpa_nm);
                c(a).total_cmp(&c(b)).then(range(a).total_cmp(&range(b)))
            }),
            SortKey::Tcpa => v.sort_by(|a, b| {
                let c = |x: &Target| {
                    x.cpa
                        .filter(|c| c.tcpa_min > 0.0)
                        .map_or(f64::MAX, |c| c.tcpa_min)
                };
                c(a).total_cmp(&c(b)).then(range(a).total_cmp(&range(b)))
            }),
            SortKey::Name => v.sort_by(|a, b| {
                a.name()
                    .unwrap_or("~")
                    .cmp(b.name().unwrap_or("~"))
                    .then(a.mmsi.cmp(&b.mmsi))
            }),
        }
        v
    }

    /// The selected target (the nearest one until the officer picks one).
    pub fn selected(&self) -> Option<&Target> {
        let t = &self.engine.traffic;
        t.selected.and_then(|m| t.targets.get(&m))
    }

    /// The officer selects a ship (from the list, or by its MMSI): it stays
    /// selected until he moves the selection or the ship is removed.
    pub fn select(&mut self, mmsi: u32) {
        if self.engine.traffic.targets.contains_key(&mmsi) {
            self.engine.traffic.select(Some(mmsi));
            self.view.officer_selected = true;
            self.view.hscroll = 0;
        }
    }

    fn move_selection(&mut self, delta: i64) {
        let list: Vec<u32> = self.list().iter().map(|t| t.mmsi).collect();
        if list.is_empty() {
            return;
        }
        let cur = self
            .engine
            .traffic
            .selected
            .and_then(|m| list.iter().position(|x| *x == m));
        let next = match cur {
            None => 0,
            Some(i) => (i as i64 + delta).clamp(0, list.len() as i64 - 1) as usize,
        };
        self.select(list[next]);
    }

    /// The alarm chosen in the alarm bar, while it is still listed.
    pub fn chosen_alarm(&self) -> Option<AlarmId> {
        self.view
            .chosen_alarm
            .clone()
            .filter(|id| self.engine.traffic.alarms.get(id).is_some())
    }

    /// Apply an action.
    pub fn update(&mut self, a: Action) {
        let now = self.now_ms();
        match a {
            Action::Quit => {
                // Leaving the watch with an alarm nobody answered is asked
                // for once more.
                if self.unacknowledged_alarms() > 0 {
                    self.view.confirm_quit = true;
                } else {
                    self.quit = true;
                }
            }
            Action::NextTarget | Action::PrevTarget => {
                self.move_selection(if a == Action::NextTarget { 1 } else { -1 });
                if self.selected().is_none() {
                    self.notice = Some(NO_TARGETS.into());
                }
            }
            Action::ScrollRight => {
                let max = self.view.hscroll_max.get().unwrap_or(usize::MAX);
                if self.selected().is_none() {
                    self.notice = Some(NO_SELECTION.into());
                } else if self.view.hscroll >= max {
                    self.notice = Some("all the selected target's data is in view".into());
                }
                self.view.hscroll = (self.view.hscroll + 1).min(max);
            }
            Action::ScrollLeft => {
                if self.selected().is_none() {
                    self.notice = Some(NO_SELECTION.into());
                } else if self.view.hscroll == 0 {
                    self.notice = Some("the first data is in view".into());
                }
                self.view.hscroll = self.view.hscroll.saturating_sub(1)
            }
            Action::ToggleDetails => {
                if self.selected().is_none() {
                    self.notice = Some(NO_SELECTION.into());
                }
                self.view.details = !self.view.details && self.selected().is_some();
                self.view.details_scroll.offset = 0;
            }
            Action::ToggleActivate => match self.selected() {
                // A dangerous target stays activated (its vector and
                // heading line are how the officer judges it).
                Some(t)
                    if t.dangerous
                        && t.activation == crate::traffic::target::Activation::Activated =>
                {
                    self.notice = Some(format!(
                        "{} is dangerous: it stays activated",
                        t.name_or_mmsi()
                    ));
                }
                Some(t) => {
                    let (m, on) = (
                        t.mmsi,
                        t.activation == crate::traffic::target::Activation::Sleeping,
                    );
                    self.engine.traffic.activate(m, on);
                }
                None => self.notice = Some(NO_SELECTION.into()),
            },
            Action::Acknowledge => {
                // The chosen alarm while it waits for acknowledgement, else
                // the top unacknowledged one: a choice left on an alarm
                // already acknowledged never swallows the key.
                let alarms = &self.engine.traffic.alarms;
                let id = self
                    .chosen_alarm()
                    .filter(|c| alarms.get(c).is_some_and(|a| unacknowledged(a.state)))
                    .or_else(|| {
                        alarms
                            .ranked()
                            .iter()
                            .find(|x| unacknowledged(x.state))
                            .map(|x| x.id.clone())
                    });
                match id {
                    Some(id) => {
                        self.engine.traffic.acknowledge(&id, now);
                    }
                    None => self.notice = Some("no alarm waits for acknowledgement".into()),
                }
                self.view.chosen_alarm = None;
            }
            Action::ChooseAlarm => {
                // Cycle through the alarm bar, then back to "the top one".
                let ids: Vec<AlarmId> = self
                    .engine
                    .traffic
                    .alarms
                    .ranked()
                    .iter()
                    .map(|a| a.id.clone())
                    .collect();
                let next = match self.chosen_alarm() {
                    None => 0,
                    Some(c) => ids.iter().position(|x| *x == c).map_or(0, |i| i + 1),
                };
                self.view.chosen_alarm = ids.get(next).cloned();
                if ids.is_empty() {
                    self.notice = Some("no alarms to choose from".into());
                }
            }
            Action::AlarmTarget => {
                // The chosen alarm's target, else the top unacknowledged
                // alarm's: the officer's pick from then on.
                let t = &self.engine.traffic;
                let m = self
                    .chosen_alarm()
                    .and_then(|id| id.mmsi())
                    .filter(|m| t.targets.contains_key(m))
                    .or_else(|| self.top_alarm_target())
                    // Only acknowledged ones: the top of them.
                    .or_else(|| {
                        t.alarms
                            .ranked()
                            .iter()
                            .filter_map(|a| a.id.mmsi())
                            .find(|m| t.targets.contains_key(m))
                    });
                match m {
                    Some(m) => self.select(m),
                    None => self.notice = Some("no alarm about a target".into()),
                }
            }
            Action::Silence => {
                let ms = self.silence_ms;
                self.engine.traffic.alarms.set_wall(self.last_wall_ms);
                if self.engine.traffic.alarms.silence_all(now, ms) == 0 {
                    self.notice = Some("no alarm is sounding: nothing to silence".into());
                }
            }
            Action::Snooze => {
                // The chosen dangerous-target alarm, else the top one not
                // snoozed, else the top snoozed one; on a snoozed alarm the
                // key cancels the snooze.
                let alarms = &self.engine.traffic.alarms;
                let ranked = alarms.ranked();
                let dangerous =
                    |a: &&&crate::traffic::alarm::Alarm| matches!(a.id, AlarmId::Dangerous(_));
                let snoozed = |a: &crate::traffic::alarm::Alarm| {
                    matches!(a.state, AlarmState::Snoozed { .. })
                };
                let chosen = self
                    .chosen_alarm()
                    .and_then(|c| ranked.iter().find(|a| a.id == c))
                    .filter(dangerous);
                let target = chosen
                    .or_else(|| {
                        ranked
                            .iter()
                            .filter(dangerous)
                            .find(|a| !snoozed(a) && a.state != AlarmState::RectifiedUnacknowledged)
                    })
                    .or_else(|| ranked.iter().filter(dangerous).find(|a| snoozed(a)))
                    .map(|a| (a.id.mmsi(), snoozed(a)));
                match target {
                    Some((Some(m), true)) => {
                        self.engine.traffic.alarms.cancel_snooze(m, now);
                    }
                    Some((Some(m), false)) => {
                        self.engine.traffic.alarms.set_wall(self.last_wall_ms);
                        if let Err(why) = self.engine.traffic.alarms.snooze(m, now, now + SNOOZE_MS)
                        {
                            self.notice = Some(why);
                        }
                    }
                    _ => self.notice = Some("no dangerous-target alarm to snooze".into()),
                }
            }
            Action::CycleSort => {
                self.view.sort = match self.view.sort {
                    SortKey::Range => SortKey::Cpa,
                    SortKey::Cpa => SortKey::Tcpa,
                    SortKey::Tcpa => SortKey::Name,
                    SortKey::Name => SortKey::Range,
                }
            }
            Action::CycleFilter => {
                self.view.filter = match self.view.filter {
                    Filter::All => Filter::HideMooredSleeping,
                    Filter::HideMooredSleeping => Filter::HideClassB,
                    Filter::HideClassB => Filter::HideAton,
                    Filter::HideAton => Filter::All,
                }
            }
            Action::ZoomIn => {
                let i = RANGES
                    .iter()
                    .position(|r| *r >= self.view.range_nm)
                    .unwrap_or(3);
                if i == 0 {
                    self.notice = Some(format!("{} NM is the smallest plot range", RANGES[0]));
                }
                self.view.range_nm = RANGES[i.saturating_sub(1)];
            }
            Action::ZoomOut => {
                let i = RANGES
                    .iter()
                    .position(|r| *r >= self.view.range_nm)
                    .unwrap_or(3);
                if i + 1 >= RANGES.len() {
                    let largest = RANGES[RANGES.len() - 1];
                    self.notice = Some(format!("{largest} NM is the largest plot range"));
                }
                self.view.range_nm = RANGES[(i + 1).min(RANGES.len() - 1)];
            }
            Action::ToggleHeadUp => self.view.head_up = !self.view.head_up,
            Action::ToggleAlarmLog => {
                self.view.alarm_log = !self.view.alarm_log;
                if self.view.alarm_log {
                    self.messages_read = self.engine.traffic.safety_messages.len();
                }
            }
            Action::DismissMessage => {
                let all = self.engine.traffic.safety_messages.len();
                if self.messages_read >= all {
                    self.notice = Some("no unread safety messages to mark read".into());
                }
                self.messages_read = all;
            }
            Action::OpenEta => {
                // From the last ETA report sent, when there is one.
                let last = self
                    .engine
                    .desk
                    .outbox_entries()
                    .iter()
                    .rev()
                    .find_map(|e| match &e.item {
                        crate::voyage::outbox::Item::Eta(r) => Some(*r),
                        _ => None,
                    });
                let mut form = match last {
                    Some(r) => super::forms::Form::eta_after(&r),
                    None => super::forms::Form::eta(),
                };
                form.air_draught_from(&self.inland);
                self.open_form(form);
            }
            Action::OpenMessage => {
                let to = self.selected().map(|t| t.mmsi);
                self.open_form(super::forms::Form::safety(to, self.stored_texts.clone()));
            }
            Action::OpenVoyage => {
                let mut form = super::forms::Form::voyage(self.destinations.clone());
                form.inland = self.inland.clone();
                self.open_form(form)
            }
            Action::OpenInbox => {
                self.inbox = !self.inbox;
                if self.inbox {
                    self.mark_inbox_read();
                }
            }
            Action::ToggleHelp => {
                self.view.help = !self.view.help;
                self.view.help_scroll.offset = 0;
            }
            Action::CyclePalette => self.view.palette = self.view.palette.next(),
            Action::AiipMode if self.aiip.is_none() => {
                self.notice = Some("no AI-IP input: the AI-IP mode is that client's".into());
            }
            Action::AiipMode => self.aiip_cycle_mode(),
            Action::Close => {
                if self.view.help {
                    self.view.help = false;
                } else if self.view.alarm_log {
                    self.view.alarm_log = false;
                } else if self.view.details {
                    self.view.details = false;
                } else {
                    self.notice = Some("no window open to close".into());
                }
            }
        }
        self.after_change();
        self.settle();
        self.changed = true;
    }

    /// Received safety messages not yet read.
    pub fn unread_messages(&self) -> usize {
        self.engine
            .traffic
            .safety_messages
            .len()
            .saturating_sub(self.messages_read)
    }

    /// The newest unread safety message, for the alarm bar (the log view
    /// has them all).
    pub fn unread_message(&self) -> Option<&crate::traffic::SafetyMessage> {
        (self.unread_messages() > 0)
            .then(|| self.engine.traffic.safety_messages.last())
            .flatten()
    }

    /// Whether the bell rings at this frame (`wall_ms`: the system clock).
    pub fn ring_bell(&mut self, wall_ms: i64) -> bool {
        self.bell.ring(self.engine.traffic.alarms.ranked(), wall_ms)
    }

    /// Alarms active and not acknowledged (silenced ones included).
    pub fn unacknowledged_alarms(&self) -> usize {
        self.engine
            .traffic
            .alarms
            .ranked()
            .iter()
            .filter(|a| a.unacknowledged() && a.state != AlarmState::RectifiedUnacknowledged)
            .count()
    }

    /// Opens a form; when what it sends would be refused now (no
    /// transponder), the reason shows at once, before anything is typed.
    fn open_form(&mut self, mut f: super::forms::Form) {
        self.notice = None;
        let safety = f.kind == super::forms::FormKind::Safety;
        if let Some(why) = self.engine.desk.refusal(safety) {
            f.note = Some(why);
        }
        f.through_aiip = self.engine.desk.through_aiip();
        let own_data = matches!(
            f.kind,
            super::forms::FormKind::Voyage
                | super::forms::FormKind::Station
                | super::forms::FormKind::InlandVoyage
                | super::forms::FormKind::InlandStatic
        );
        if f.through_aiip && own_data {
            f.current = self.aiip.as_ref().map(|a| a.own_summary());
        }
        self.form = Some(f);
    }

    /// Opening the inbox reads it: every received item is marked read.
    fn mark_inbox_read(&mut self) {
        let unread: Vec<u64> = self
            .engine
            .desk
            .inbox()
            .iter()
            .filter(|e| e.unread)
            .map(|e| e.n)
            .collect();
        for n in unread {
            self.engine.desk.mark_read(n);
        }
        self.messages_read = self.engine.traffic.safety_messages.len();
    }

    /// The name the traffic picture knows for an MMSI.
    pub fn name_of(&self, mmsi: u32) -> Option<String> {
        self.engine
            .traffic
            .targets
            .get(&mmsi)
            .and_then(|t| t.name())
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
    }

    /// A key while a form is open: the form answers; a send goes to the
    /// desk, whose refusal stays in the form with what was typed.
    fn form_key(&mut self, k: &KeyEvent) {
        use super::forms::Outcome;
        let Some(mut form) = self.form.take() else {
            return;
        };
        let now = self.now_ms();
        let before = self.memory();
        let outcome = {
            let name_of = |m: u32| self.name_of(m);
            let ctx = super::forms::Context {
                now_ms: now,
                name_of: &name_of,
                utc_offset_min: self.utc_offset_min,
            };
            form.key(k, &ctx)
        };
        match form.kind {
            super::forms::FormKind::Safety => self.stored_texts = form.stored.clone(),
            super::forms::FormKind::Voyage
            | super::forms::FormKind::Station
            | super::forms::FormKind::InlandVoyage
            | super::forms::FormKind::InlandStatic => self.destinations = form.stored.clone(),
            super::forms::FormKind::Eta => {}
        }
        match outcome {
            Outcome::Stay => self.form = Some(form),
            Outcome::Close => {}
            Outcome::Send(item) => {
                let what = match &item {
                    crate::voyage::outbox::Item::Eta(_) => "ETA report",
                    crate::voyage::outbox::Item::Safety(_) => "Message",
                };
                match self.engine.desk.send(item, now) {
                    Ok(id) => {
                        let n = format!(
                            "{what} queued — see the outbox ({})",
                            self.keymap.key_of(Action::OpenInbox)
                        );
                        self.notice_item = Some((id, n.clone()));
                        self.notice = Some(n);
                    }
                    Err(reason) => {
                        form.note = Some(reason);
                        self.form = Some(form);
                    }
                }
            }
            Outcome::SendData(what, lines) => {
                // Over AI-IP, what cannot go is said now, in the form.
                let preview = match (&self.aiip, self.engine.desk.through_aiip()) {
                    (Some(a), true) => a.preview_own_data(what, &lines).map(|(_, _, n)| n),
                    _ => Ok(Vec::new()),
                };
                let result =
                    preview.and_then(|n| self.engine.desk.send_data(what, lines).map(|()| n));
                match result {
                    Ok(not_sent) => {
                        match form.kind {
                            super::forms::FormKind::Voyage => {
                                let d = form.value(1).to_string();
                                super::forms::remember(&mut self.destinations, &d);
                            }
                            super::forms::FormKind::InlandVoyage => {
                                self.inland.voyage = form.texts()
                            }
                            super::forms::FormKind::InlandStatic => {
                                self.inland.station = form.texts()
                            }
                            _ => {}
                        }
                        let name = match what {
                            "VSD" => "Voyage data",
                            "PIWWIVD" => "Inland voyage data",
                            "PIWWSSD" => "Inland static ship data",
                            _ => "Station data",
                        };
                        self.notice = Some(if !self.engine.desk.through_aiip() {
                            format!("{name} ({what}) written to the transponder queue")
                        } else if not_sent.is_empty() {
                            format!("{name} ({what}) taken as own data, sent over AI-IP")
                        } else {
                            format!(
                                "{name} ({what}) taken as own data, sent over AI-IP; AI-IP has no \
                             place for {}",
                                not_sent.join("; ")
                            )
                        });
                    }
                    Err(reason) => {
                        form.note = Some(reason);
                        self.form = Some(form);
                    }
                }
            }
        }
        if let Some(p) = &self.memory_path
            && self.memory() != before
        {
            self.memory().save(p);
        }
        self.after_change();
        self.settle();
        self.changed = true;
    }

    /// A key press.
    pub fn key(&mut self, k: &KeyEvent) {
        // The key acts on what the screen shows now.
        self.settle();
        self.changed = true;
        // The quit question takes the next key: "y" quits, anything else
        // goes back to the watch.
        if self.view.confirm_quit {
            self.view.confirm_quit = false;
            if k.code == KeyCode::Char('y') || k.code == KeyCode::Char('Y') {
                self.quit = true;
            }
            return;
        }
        // An open form takes every key: the main screen's letters are text.
        if self.form.is_some() {
            self.form_key(k);
            return;
        }
        // The inbox: its own key, the close key or the quit key close it.
        if self.inbox {
            match self.keymap.action(k) {
                Some(Action::Quit) => self.update(Action::Quit),
                Some(Action::OpenInbox | Action::Close) => self.inbox = false,
                _ => {}
            }
            return;
        }
        self.notice = None;
        // Popups take input first, the topmost first. The help, as its last
        // lines say: the scroll keys scroll it, the quit key quits (asking
        // first while an alarm is unacknowledged), any other key closes it.
        if self.view.help {
            if self.keymap.action(k) == Some(Action::Quit) {
                self.update(Action::Quit);
            } else if let Some(s) = self.keymap.scroll_of(k) {
                self.view.help_scroll.apply(s);
            } else {
                self.view.help = false;
            }
            return;
        }
        // The selected-target window on top scrolls with the same keys (they
        // do not move the selection); its other keys act as everywhere.
        if self.view.details
            && !self.view.alarm_log
            && let Some(s) = self.keymap.scroll_of(k)
        {
            self.view.details_scroll.apply(s);
            return;
        }
        if let Some(a) = self.keymap.action(k) {
            self.update(a);
        }
    }

    /// A message from a link task, with its consequences for the
    /// selection at once (tests and tools; the console's loop uses
    /// [`App::link_recorded`] and settles once a frame).
    pub fn link(&mut self, msg: LinkMsg) {
        self.link_tapped(msg, &mut |_, _, _| {});
        self.settle();
    }

    /// A message from a link task, each line also written to the
    /// recording. Work proportional to what arrived: the automatic
    /// selection waits for [`App::settle`], once a frame.
    pub fn link_recorded(&mut self, msg: LinkMsg, recorder: &mut super::recording::Recording) {
        self.link_tapped(msg, &mut |e, l, t| recorder.record(e, l, t));
    }

    fn link_tapped(&mut self, msg: LinkMsg, tap: &mut dyn FnMut(&mut Engine, &[u8], i64)) {
        if let LinkMsg::Line { received_ms, .. } | LinkMsg::Lines { received_ms, .. } = &msg {
            self.last_wall_ms = *received_ms;
            // Silences and snoozes last wall time (docs/alerts.md).
            self.engine.traffic.alarms.set_wall(*received_ms);
        }
        let ended_before = self.links.replay_ended_ms;
        let change = self
            .links
            .handle_tapped(&mut self.engine, msg, self.last_wall_ms, tap);
        if let (None, Some(t)) = (ended_before, self.links.replay_ended_ms) {
            self.notice = Some(format!(
                "replay ended: the picture is frozen at {}",
                crate::clock::rfc3339(t)
            ));
        }
        if let LinkChange::NoClock { link } = change
            && let Some(l) = self.links.list.get_mut(link)
        {
            l.detail = "the file carries no time: replaying on the system clock".into();
        }
        self.changed = true;
        self.after_change();
    }

    /// Once a second of wall time: an engine on the system clock
    /// re-evaluates; links that stayed down raise an alarm.
    pub fn tick(&mut self, wall_ms: i64) {
        self.last_wall_ms = wall_ms;
        self.engine.traffic.alarms.set_wall(wall_ms);
        if self.engine.on_wall_clock() {
            self.engine.tick(wall_ms);
        }
        self.links.check(&mut self.engine, wall_ms);
        self.after_change();
        self.settle();
    }

    fn after_change(&mut self) {
        let super::engine::Drained {
            events,
            transitions,
            ..
        } = self.engine.drain(&mut self.log, self.last_wall_ms);
        for t in &transitions {
            if t.rings() {
                self.bell.alarm_sounding();
            }
            let state = t.state.map_or("cleared", |s| s.name());
            let mut note = String::new();
            if let Some(AlarmState::Snoozed { until_ms }) = t.state {
                note.push_str(&format!(" (until {})", rfc3339(until_ms)));
            }
            if let Some(r) = &t.reason {
                note.push_str(&format!(" ({})", clean(r)));
            }
            self.log_lines.push(format!(
                "{}  {:<22} {}{note}",
                rfc3339(t.at_ms),
                state,
                clean(&t.text)
            ));
        }
        for e in &events {
            if let Event::SafetyMessage(m) = e {
                let to = m.to.map_or("all".to_string(), |t| t.to_string());
                self.log_lines.push(format!(
                    "{}  message from {} to {}: {}",
                    rfc3339(m.at_ms),
                    m.from,
                    to,
                    clean(&m.text)
                ));
            }
        }
        if self.log_lines.len() > 2000 {
            let n = self.log_lines.len() - 2000;
            self.log_lines.drain(..n);
        }
        if !(events.is_empty() && transitions.is_empty()) {
            self.changed = true;
        }
        self.follow_pending = true;
    }

    /// Settle the automatic selection after what arrived: once a frame in
    /// the console's loop (not per datagram), and after every key. Keep a
    /// selection while there are targets, so the minimum display always
    /// shows one: until the officer picks one, the target of the top
    /// unacknowledged alarm, else the nearest ship (an aid to navigation
    /// or a base station is never picked for him); his pick stays until
    /// that target is removed. An open selected-target window does not
    /// change target under his eyes unless its target is gone.
    pub fn settle(&mut self) {
        if !std::mem::take(&mut self.follow_pending) {
            return;
        }
        let none = self.engine.traffic.selected.is_none();
        if none {
            self.view.officer_selected = false;
        }
        if none || !(self.view.officer_selected || self.view.details) {
            let pick = self.top_alarm_target().or_else(|| self.nearest());
            if let Some(m) = pick
                && self.engine.traffic.selected != Some(m)
            {
                self.engine.traffic.select(Some(m));
                self.changed = true;
            }
        }
    }
}

impl App {
    /// The key that cycles the AI-IP mode: the next mode, or why not.
    pub fn aiip_cycle_mode(&mut self) {
        let wall = self.last_wall_ms;
        if let Some(a) = self.aiip.as_mut() {
            match a.cycle_mode(wall) {
                Ok(m) => tracing::info!("AI-IP mode {m} chosen"),
                Err(e) => tracing::warn!("AI-IP mode not changed: {e}"),
            }
            for e in a.step(&mut self.engine, wall) {
                tracing::info!("{e}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn defaults_and_overrides() {
        let km = Keymap::new(&HashMap::new()).unwrap();
        assert_eq!(km.action(&key('a')), Some(Action::Acknowledge));
        assert_eq!(km.key_of(Action::Quit), "q");
        let over = HashMap::from([("ack".to_string(), "k".to_string())]);
        let km = Keymap::new(&over).unwrap();
        assert_eq!(km.action(&key('k')), Some(Action::Acknowledge));
        assert_eq!(km.action(&key('a')), None, "the old key is freed");
        assert_eq!(km.key_of(Action::Acknowledge), "k");
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(km.action(&ctrl_c), Some(Action::Quit));
    }

    #[test]
    fn conflicting_bindings_are_refused_naming_both_actions() {
        // "s" is silence's default key: ack cannot take it unless silence
        // moves too.
        let e = Keymap::new(&HashMap::from([("ack".to_string(), "s".to_string())])).unwrap_err();
        assert!(
            e.contains("\"s\"") && e.contains("ack") && e.contains("silence"),
            "{e}"
        );
        let swapped = HashMap::from([
            ("ack".to_string(), "s".to_string()),
            ("silence".to_string(), "a".to_string()),
        ]);
        let km = Keymap::new(&swapped).unwrap();
        assert_eq!(km.action(&key('s')), Some(Action::Acknowledge));
        assert_eq!(km.action(&key('a')), Some(Action::Silence));
        // Every key the help shows acts as the help says.
        for (a, _, _, _) in Action::ALL {
            let k = parse_key(km.key_of(a)).unwrap();
            assert_eq!(km.map.get(&k), Some(&a));
        }
    }

    #[test]
    fn bad_bindings_are_refused_with_their_name() {
        let e = Keymap::new(&HashMap::from([(
            "acknowledge".to_string(),
            "a".to_string(),
        )]))
        .unwrap_err();
        assert!(e.contains("acknowledge"), "{e}");
        let e =
            Keymap::new(&HashMap::from([("ack".to_string(), "ctrl-a".to_string())])).unwrap_err();
        assert!(e.contains("ctrl-a"), "{e}");
    }
}
