//! The inputs' states as both modes track them: what each link task last
//! said, since when, and the `link` alarm for a link that stays down
//! (`[console] link_alarm_s`), including one that never comes up. One piece
//! of code, so the console and headless mode agree on every link event.

use super::engine::{Engine, clean};
use crate::link::tasks::LinkMsg;
use crate::traffic::alarm::AlarmId;

/// One input's state (status bar, headless `link` events).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkStatus {
    pub name: String,
    pub up: bool,
    pub detail: String,
    /// Wall time of the last change (0: not yet known; the first
    /// [`Links::check`] or report starts the count).
    pub since_ms: i64,
    /// The link task has said up or down at least once. Its first word is
    /// always a change (from "starting"), whether or not a tick came first.
    pub reported: bool,
    pub lines: u64,
    /// The link alarm was raised (or is not wanted: a finished replay).
    pub alarmed: bool,
    /// A replay of a file that carries no time (runs on the system clock).
    pub no_clock: bool,
    /// Input lost on the way in, since start-up: datagrams the system
    /// dropped on a UDP input (its receive buffer was full).
    pub lost: u64,
    /// Wall time of the last loss (the warning clears a minute later).
    pub lost_ms: i64,
    /// The address a listening link is bound to, when it differs from
    /// the one asked (port 0: the system chose the port).
    pub bound: Option<String>,
    /// A replayed file that reached its end.
    pub finished: bool,
}

impl LinkStatus {
    /// The warning's id for input lost on this link.
    pub fn lost_alarm(&self) -> AlarmId {
        AlarmId::Link(format!("{} input", self.name))
    }
}

/// How long the warning for lost input stands after the last loss.
pub const LOST_CLEARS_MS: i64 = 60_000;

/// What a link message changed, for headless mode's `link` events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkChange {
    /// Nothing to report (a line, or the same state again).
    None,
    /// The link went up or down.
    State { link: usize, up: bool },
    /// A replayed file carries no time and runs on the system clock.
    NoClock { link: usize },
    /// Input was lost: `count` more (see [`LinkStatus::lost`]).
    Lost { link: usize, count: u64 },
}

/// The links of a run.
#[derive(Debug, Clone)]
pub struct Links {
    pub list: Vec<LinkStatus>,
    /// A link down this long raises the link alarm.
    pub alarm_after_ms: i64,
    /// Wall time of the last failed write to a link (the desk then holds
    /// its writes back for a moment instead of retrying at once).
    pub write_failed_ms: Option<i64>,
    /// Data time at which the last replayed file ended (replays alone):
    /// the picture is frozen there.
    pub replay_ended_ms: Option<i64>,
}

impl Links {
    /// Links named as the inputs, all starting.
    pub fn new(names: Vec<String>) -> Links {
        Links {
            list: names
                .into_iter()
                .map(|name| LinkStatus {
                    name,
                    up: false,
                    detail: "starting".into(),
                    since_ms: 0,
                    reported: false,
                    lines: 0,
                    alarmed: false,
                    no_clock: false,
                    lost: 0,
                    lost_ms: 0,
                    bound: None,
                    finished: false,
                })
                .collect(),
            alarm_after_ms: 30_000,
            write_failed_ms: None,
            replay_ended_ms: None,
        }
    }

    /// Feed a link message to the engine and note what it changed.
    pub fn handle(&mut self, engine: &mut Engine, msg: LinkMsg, wall_ms: i64) -> LinkChange {
        self.handle_tapped(engine, msg, wall_ms, &mut |_, _, _| {})
    }

    /// [`handle`](Self::handle), calling `tap(engine, line, time)` after each
    /// line with the engine's time for it (the recorder's stamp: data time
    /// when replaying, receive time when live).
    pub fn handle_tapped(
        &mut self,
        engine: &mut Engine,
        msg: LinkMsg,
        wall_ms: i64,
        tap: &mut dyn FnMut(&mut Engine, &[u8], i64),
    ) -> LinkChange {
        let mut push = |engine: &mut Engine, link: usize, line: Option<&[u8]>, received_ms: i64| {
            let link = u32::try_from(link).unwrap_or(u32::MAX);
            engine.push_link_line(link, line, received_ms);
            if let Some(l) = line {
                let t = engine.now_ms(received_ms);
                tap(engine, l, t);
            }
        };
        match msg {
            LinkMsg::Line {
                link,
                received_ms,
                line,
            } => {
                if let Some(l) = self.list.get_mut(link) {
                    l.lines += 1;
                }
                push(engine, link, line.as_deref(), received_ms);
                LinkChange::None
            }
            LinkMsg::Lines {
                link,
                received_ms,
                lines,
            } => {
                if let Some(l) = self.list.get_mut(link) {
                    l.lines += lines.len() as u64;
                }
                for line in &lines {
                    push(engine, link, line.as_deref(), received_ms);
                }
                LinkChange::None
            }
            LinkMsg::State { link, up, detail } => {
                let Some(l) = self.list.get_mut(link) else {
                    return LinkChange::None;
                };
                // The first report is a change even when a tick has
                // already started the link's clock (the task may take
                // longer to say "down" than the first tick takes to come).
                // A link that was never up stays down since start-up, so
                // its alarm counts from there.
                let flipped = l.up != up;
                let changed = flipped || !l.reported;
                if flipped || l.since_ms == 0 {
                    l.since_ms = wall_ms;
                }
                l.reported = true;
                l.up = up;
                l.detail = clean(&detail);
                l.bound = l
                    .detail
                    .strip_prefix(crate::link::tasks::LISTENING)
                    .filter(|a| !l.name.ends_with(&format!(":{a}")))
                    .map(str::to_string);
                if up {
                    l.alarmed = false;
                    let id = AlarmId::Link(l.name.clone());
                    engine.traffic.alarms.rectify(&id, engine.now_ms(wall_ms));
                }
                if changed {
                    LinkChange::State { link, up }
                } else {
                    LinkChange::None
                }
            }
            LinkMsg::ReplayClock { link, first_ms } => {
                if engine.replay_starts(first_ms, wall_ms) {
                    return LinkChange::None;
                }
                if let Some(l) = self.list.get_mut(link) {
                    l.no_clock = true;
                }
                LinkChange::NoClock { link }
            }
            LinkMsg::Datagram { link, .. } => {
                // The datagram itself goes to the AI-IP client (see
                // `aiip_io`); here it counts as traffic on its link.
                if let Some(l) = self.list.get_mut(link) {
                    l.lines += 1;
                }
                LinkChange::None
            }
            LinkMsg::Lost { link, count } => {
                let Some(l) = self.list.get_mut(link) else {
                    return LinkChange::None;
                };
                l.lost += count;
                l.lost_ms = wall_ms;
                let text = format!(
                    "Input {}: {} datagrams lost, {} since start (the system's receive buffer \
                     was full)",
                    l.name, count, l.lost
                );
                let id = l.lost_alarm();
                engine
                    .traffic
                    .alarms
                    .raise(id, engine.now_ms(wall_ms), text, None);
                LinkChange::Lost { link, count }
            }
            LinkMsg::Wrote { tag, result, .. } => {
                if result.is_err() {
                    self.write_failed_ms = Some(wall_ms);
                }
                let now = engine.now_ms(wall_ms);
                engine.desk.write_done(&tag, result, now);
                LinkChange::None
            }
            LinkMsg::Finished { link, count } => {
                // The end of a replayed file is the last data time it
                // carries: evaluate once more there (both modes alike).
                if !engine.live {
                    engine.tick(wall_ms);
                }
                let Some(l) = self.list.get_mut(link) else {
                    return LinkChange::None;
                };
                l.detail = if l.no_clock {
                    format!(
                        "end of file: {count}; it carried no time: replayed on the system clock"
                    )
                } else {
                    format!("end of file: {count}")
                };
                l.alarmed = true; // a finished replay is not a failure
                l.finished = true;
                let change = if l.up {
                    l.up = false;
                    l.since_ms = wall_ms;
                    LinkChange::State { link, up: false }
                } else {
                    LinkChange::None
                };
                if !engine.live && self.list.iter().all(|l| l.finished) {
                    // The last replay ended: the picture is frozen there.
                    let now = engine.now_ms(wall_ms);
                    engine.traffic.replay_ended(now);
                    self.replay_ended_ms = Some(now);
                }
                change
            }
        }
    }

    /// Once a second of wall time: a link down for longer than the alarm
    /// time raises the link alarm (counting from start-up, so a link that
    /// never comes up alarms too).
    pub fn check(&mut self, engine: &mut Engine, wall_ms: i64) {
        let now = engine.now_ms(wall_ms);
        for l in &mut self.list {
            if l.since_ms == 0 {
                l.since_ms = wall_ms;
            }
            if l.lost > 0 && wall_ms - l.lost_ms >= LOST_CLEARS_MS {
                let id = l.lost_alarm();
                if engine.traffic.alarms.get(&id).is_some() {
                    engine.traffic.alarms.rectify(&id, now);
                }
            }
            if !l.up && !l.alarmed && wall_ms - l.since_ms >= self.alarm_after_ms {
                l.alarmed = true;
                engine.traffic.alarms.raise(
                    AlarmId::Link(l.name.clone()),
                    now,
                    format!("Link {} down: {}", l.name, l.detail),
                    None,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::config::TrafficConfig;

    fn down(link: usize, detail: &str) -> LinkMsg {
        LinkMsg::State {
            link,
            up: false,
            detail: detail.into(),
        }
    }

    #[test]
    fn a_first_report_of_down_is_a_change_even_after_a_tick() {
        let mut engine = Engine::new(TrafficConfig::default(), true);
        let mut links = Links::new(vec!["tcp:127.0.0.1:9".into()]);
        // The first tick comes before the link task has said anything.
        links.check(&mut engine, 1_000);
        assert_eq!(
            links.handle(&mut engine, down(0, "refused"), 1_005),
            LinkChange::State { link: 0, up: false }
        );
        assert_eq!(links.list[0].detail, "refused");
        // Said again: no change.
        assert_eq!(
            links.handle(&mut engine, down(0, "refused"), 2_005),
            LinkChange::None
        );
        // Down since start-up: the alarm counts from the first tick.
        assert_eq!(links.list[0].since_ms, 1_000);
    }

    #[test]
    fn a_first_report_of_down_before_any_tick_is_a_change_too() {
        let mut engine = Engine::new(TrafficConfig::default(), true);
        let mut links = Links::new(vec!["tcp:127.0.0.1:9".into()]);
        assert_eq!(
            links.handle(&mut engine, down(0, "refused"), 1_005),
            LinkChange::State { link: 0, up: false }
        );
        links.check(&mut engine, 2_000);
        assert_eq!(links.list[0].since_ms, 1_005);
    }

    #[test]
    fn up_and_down_are_changes_and_the_alarm_counts_from_the_last_one() {
        let mut engine = Engine::new(TrafficConfig::default(), true);
        let mut links = Links::new(vec!["serial:/dev/ttyUSB0@38400".into()]);
        links.check(&mut engine, 1_000);
        let up = LinkMsg::State {
            link: 0,
            up: true,
            detail: "open".into(),
        };
        assert_eq!(
            links.handle(&mut engine, up, 1_500),
            LinkChange::State { link: 0, up: true }
        );
        assert_eq!(
            links.handle(&mut engine, down(0, "closed"), 4_000),
            LinkChange::State { link: 0, up: false }
        );
        assert_eq!(links.list[0].since_ms, 4_000);
        links.check(&mut engine, 4_000 + links.alarm_after_ms - 1);
        assert!(!links.list[0].alarmed);
        links.check(&mut engine, 4_000 + links.alarm_after_ms);
        assert!(links.list[0].alarmed);
    }
}
