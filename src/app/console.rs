//! The console's state and its one-way update: keys become [`Action`]s
//! through the keymap, `update` changes the state, link messages feed the
//! engine; the views (`crate::ui`) only borrow the result.

use super::alarm_log::AlarmLog;
use super::engine::{Engine, clean};
pub use super::links::LinkStatus;
use super::links::{LinkChange, Links};
use crate::clock::rfc3339;
use crate::link::tasks::LinkMsg;
use crate::traffic::alarm::{AlarmId, AlarmState};
use crate::traffic::target::{Target, TargetKind};
use crate::traffic::{Event, config::TrafficConfig};
use crate::ui::theme::Palette;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::collections::HashMap;

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
    Silence,
    Snooze,
    CycleSort,
    CycleFilter,
    ZoomIn,
    ZoomOut,
    ToggleHeadUp,
    ToggleAlarmLog,
    ToggleHelp,
    CyclePalette,
    Close,
}

impl Action {
    /// Every action: (action, config name, default key, help text), in
    /// help order — the one table the keymap, the help and the config
    /// names come from.
    pub const ALL: [(Action, &'static str, &'static str, &'static str); 19] = [
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
        (Action::Acknowledge, "ack", "a", "acknowledge the top alarm"),
        (
            Action::Silence,
            "silence",
            "s",
            "silence the top alarm for 60 s",
        ),
        (
            Action::Snooze,
            "snooze",
            "z",
            "no CPA alarm from the selected target for 10 min",
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
        (Action::ToggleAlarmLog, "alarm_log", "l", "alarm log"),
        (
            Action::CyclePalette,
            "palette",
            "p",
            "day / dusk / night palette",
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
}

/// Console settings in the config file (`[console]`, `[keys]`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleConfig {
    pub palette: Option<String>,
    /// Seconds after which a link that stays down raises an alarm.
    pub link_alarm_s: Option<f64>,
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
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            hscroll: 0,
            details: false,
            help: false,
            alarm_log: false,
            sort: SortKey::Range,
            filter: Filter::All,
            range_nm: 6.0,
            head_up: false,
            palette: Palette::Night,
            confirm_quit: false,
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
    /// A new unacknowledged alarm since the last frame: ring the bell.
    pub bell: bool,
    pub last_wall_ms: i64,
    /// Which configuration is in use ("config PATH", "built-in defaults").
    pub config_label: String,
}

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
            bell: false,
            last_wall_ms: 0,
            config_label: "built-in defaults".into(),
        }
    }

    /// The engine's time now.
    pub fn now_ms(&self) -> i64 {
        self.engine.now_ms(self.last_wall_ms)
    }

    /// Targets in list order (sorted and filtered).
    pub fn list(&self) -> Vec<&Target> {
        let t = &self.engine.traffic;
        let mut v: Vec<&Target> = t
            .targets
            .values()
            .filter(|x| match self.view.filter {
                Filter::All => true,
                Filter::HideMooredSleeping => {
                    !(x.is_moored(0.5)
                        && x.activation == crate::traffic::target::Activation::Sleeping)
                }
                Filter::HideClassB => !matches!(x.kind, TargetKind::ClassB { .. }),
                Filter::HideAton => !matches!(x.kind, TargetKind::AidToNavigation { .. }),
            })
            .collect();
        let range = |x: &Target| x.bearing_range.map_or(f64::MAX, |b| b.1);
        match self.view.sort {
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

    /// The selected target, or the nearest one when nothing is selected.
    pub fn selected(&self) -> Option<&Target> {
        let t = &self.engine.traffic;
        t.selected.and_then(|m| t.targets.get(&m))
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
        self.engine.traffic.select(Some(list[next]));
        self.view.hscroll = 0;
    }

    fn top_alarm(&self) -> Option<AlarmId> {
        self.engine
            .traffic
            .alarms
            .ranked()
            .first()
            .map(|a| a.id.clone())
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
            Action::NextTarget => self.move_selection(1),
            Action::PrevTarget => self.move_selection(-1),
            Action::ScrollRight => self.view.hscroll += 1,
            Action::ScrollLeft => self.view.hscroll = self.view.hscroll.saturating_sub(1),
            Action::ToggleDetails => {
                self.view.details = !self.view.details && self.selected().is_some()
            }
            Action::ToggleActivate => {
                if let Some(t) = self.selected() {
                    let (m, on) = (
                        t.mmsi,
                        t.activation == crate::traffic::target::Activation::Sleeping,
                    );
                    self.engine.traffic.activate(m, on);
                }
            }
            Action::Acknowledge => {
                // The top unacknowledged alarm first.
                let id = self
                    .engine
                    .traffic
                    .alarms
                    .ranked()
                    .iter()
                    .find(|x| x.state != AlarmState::ActiveAcknowledged)
                    .map(|x| x.id.clone());
                if let Some(id) = id {
                    self.engine.traffic.alarms.acknowledge(&id, now);
                }
            }
            Action::Silence => {
                if let Some(id) = self.top_alarm() {
                    self.engine.traffic.alarms.silence(&id, now, 60_000);
                }
            }
            Action::Snooze => {
                if let Some(m) = self.selected().map(|t| t.mmsi) {
                    self.engine.traffic.alarms.snooze(m, now + 600_000);
                    self.engine
                        .traffic
                        .alarms
                        .rectify(&AlarmId::Dangerous(m), now);
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
                self.view.range_nm = RANGES[i.saturating_sub(1)];
            }
            Action::ZoomOut => {
                let i = RANGES
                    .iter()
                    .position(|r| *r >= self.view.range_nm)
                    .unwrap_or(3);
                self.view.range_nm = RANGES[(i + 1).min(RANGES.len() - 1)];
            }
            Action::ToggleHeadUp => self.view.head_up = !self.view.head_up,
            Action::ToggleAlarmLog => self.view.alarm_log = !self.view.alarm_log,
            Action::ToggleHelp => self.view.help = !self.view.help,
            Action::CyclePalette => self.view.palette = self.view.palette.next(),
            Action::Close => {
                if self.view.help {
                    self.view.help = false;
                } else if self.view.alarm_log {
                    self.view.alarm_log = false;
                } else {
                    self.view.details = false;
                }
            }
        }
        self.after_change();
    }

    /// Alarms active and not acknowledged (silenced ones included).
    pub fn unacknowledged_alarms(&self) -> usize {
        self.engine
            .traffic
            .alarms
            .ranked()
            .iter()
            .filter(|a| {
                matches!(
                    a.state,
                    AlarmState::ActiveUnacknowledged | AlarmState::ActiveSilenced { .. }
                )
            })
            .count()
    }

    /// A key press.
    pub fn key(&mut self, k: &KeyEvent) {
        // The quit question takes the next key: "y" quits, anything else
        // goes back to the watch.
        if self.view.confirm_quit {
            self.view.confirm_quit = false;
            if k.code == KeyCode::Char('y') || k.code == KeyCode::Char('Y') {
                self.quit = true;
            }
            return;
        }
        // Popups take input first: any key closes the help.
        if self.view.help && self.keymap.action(k) != Some(Action::Quit) {
            self.view.help = false;
            return;
        }
        if let Some(a) = self.keymap.action(k) {
            self.update(a);
        }
    }

    /// A message from a link task.
    pub fn link(&mut self, msg: LinkMsg) {
        self.link_tapped(msg, &mut |_, _, _| {});
    }

    /// A message from a link task, each line also written to the recording.
    pub fn link_recorded(&mut self, msg: LinkMsg, recorder: &mut super::run::Recording) {
        if recorder.is_on() {
            self.link_tapped(msg, &mut |e, l, t| recorder.record(e, l, t));
        } else {
            self.link(msg);
        }
    }

    fn link_tapped(&mut self, msg: LinkMsg, tap: &mut dyn FnMut(&mut Engine, &[u8], i64)) {
        if let LinkMsg::Line { received_ms, .. } | LinkMsg::Lines { received_ms, .. } = &msg {
            self.last_wall_ms = *received_ms;
        }
        let change = self
            .links
            .handle_tapped(&mut self.engine, msg, self.last_wall_ms, tap);
        if let LinkChange::NoClock { link } = change
            && let Some(l) = self.links.list.get_mut(link)
        {
            l.detail = "the file carries no time: replayed on the system clock".into();
        }
        self.after_change();
    }

    /// Once a second of wall time: an engine on the system clock
    /// re-evaluates; links that stayed down raise an alarm.
    pub fn tick(&mut self, wall_ms: i64) {
        self.last_wall_ms = wall_ms;
        if self.engine.on_wall_clock() {
            self.engine.tick(wall_ms);
        }
        self.links.check(&mut self.engine, wall_ms);
        self.after_change();
    }

    fn after_change(&mut self) {
        let super::engine::Drained {
            events,
            transitions,
        } = self.engine.drain(&mut self.log, self.last_wall_ms);
        for t in &transitions {
            if t.rings() {
                self.bell = true;
            }
            let state = t.state.map_or("cleared", |s| s.name());
            self.log_lines.push(format!(
                "{}  {:<22} {}",
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
        // Keep a selection while there are targets, so the minimum display
        // always shows a ship.
        if self.engine.traffic.selected.is_none()
            && let Some(first) = self.list().first().map(|t| t.mmsi)
        {
            self.engine.traffic.select(Some(first));
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
