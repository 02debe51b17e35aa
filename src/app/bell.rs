//! The audible signal (bridge alert management, IEC 62923-1 / MSC.302(87)):
//! it sounds at once when an alarm becomes active-unacknowledged, and is
//! repeated every `bell_repeat_s` for as long as any alarm stays
//! active-unacknowledged — until it is acknowledged, silenced or snoozed.
//!
//! The decision is [`due`], a pure function of the alarm list and the time;
//! [`Bell`] keeps what it needs between frames (when it last rang, and
//! whether a new alarm came since). In the console the time is the wall
//! clock and the repeat is driven by the once-a-second tick.

use crate::traffic::alarm::Alarm;

/// Default seconds between repeats of the audible signal.
pub const DEFAULT_REPEAT_S: f64 = 5.0;

/// The once-a-second tick that drives the repeat runs up to a frame
/// (100 ms) late or early: a repeat due within this much counts as due, so
/// a 1 s repeat rings every second, not every other.
const SLACK_MS: i64 = 200;

/// Whether the bell rings at `now_ms`: some alarm is sounding (active and
/// unacknowledged, neither silenced nor snoozed), and either an alarm became
/// sounding since the last ring (`new_alarm`) or the last ring was at least
/// `repeat_ms` ago (or never).
pub fn due<'a>(
    alarms: impl IntoIterator<Item = &'a Alarm>,
    new_alarm: bool,
    last_ring_ms: Option<i64>,
    now_ms: i64,
    repeat_ms: i64,
) -> bool {
    let sounding = alarms.into_iter().any(|a| a.sounding());
    sounding
        && (new_alarm
            || last_ring_ms.is_none_or(|t| now_ms < t || now_ms - t >= repeat_ms - SLACK_MS))
}

/// The bell's memory between frames.
#[derive(Debug, Clone)]
pub struct Bell {
    /// Milliseconds between repeats.
    pub repeat_ms: i64,
    last_ring_ms: Option<i64>,
    new_alarm: bool,
}

impl Default for Bell {
    fn default() -> Self {
        Bell::new((DEFAULT_REPEAT_S * 1000.0) as i64)
    }
}

impl Bell {
    /// A bell repeating every `repeat_ms`.
    pub fn new(repeat_ms: i64) -> Bell {
        Bell {
            repeat_ms,
            last_ring_ms: None,
            new_alarm: false,
        }
    }

    /// An alarm became active-unacknowledged (new, back after being
    /// rectified, or its silence or snooze ended): ring at the next frame.
    pub fn alarm_sounding(&mut self) {
        self.new_alarm = true;
    }

    /// Decide at `now_ms` (wall time) and remember the ring.
    pub fn ring<'a>(&mut self, alarms: impl IntoIterator<Item = &'a Alarm>, now_ms: i64) -> bool {
        let alarms: Vec<&Alarm> = alarms.into_iter().collect();
        let ring = due(
            alarms.iter().copied(),
            self.new_alarm,
            self.last_ring_ms,
            now_ms,
            self.repeat_ms,
        );
        if ring {
            self.last_ring_ms = Some(now_ms);
            self.new_alarm = false;
        } else if !alarms.iter().any(|a| a.state.audible()) {
            // Acknowledged before the frame came: nothing left to announce.
            self.new_alarm = false;
        }
        ring
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::alarm::{AlarmId, Alarms};

    fn alarms_with(n: u32) -> Alarms {
        let mut a = Alarms::default();
        for m in 0..n {
            a.raise(AlarmId::Dangerous(m), 0, format!("d{m}"), Some((0.5, 5.0)));
        }
        a
    }

    #[test]
    fn rings_at_once_then_repeats_until_acknowledged() {
        let mut a = alarms_with(1);
        let mut bell = Bell::new(5_000);
        bell.alarm_sounding();
        assert!(bell.ring(a.ranked(), 100_000), "a new alarm rings at once");
        assert!(!bell.ring(a.ranked(), 101_000));
        assert!(!bell.ring(a.ranked(), 104_000));
        assert!(bell.ring(a.ranked(), 105_000), "repeated after 5 s");
        assert!(!bell.ring(a.ranked(), 106_000));
        assert!(
            bell.ring(a.ranked(), 109_900),
            "a tick 100 ms early is in time"
        );
        a.acknowledge(&AlarmId::Dangerous(0), 0);
        for s in 110..130 {
            assert!(!bell.ring(a.ranked(), s * 1000), "acknowledged: quiet");
        }
    }

    #[test]
    fn silenced_alarms_do_not_ring_and_a_new_one_rings_at_once() {
        let mut a = alarms_with(2);
        let mut bell = Bell::new(5_000);
        assert!(bell.ring(a.ranked(), 0), "never rang: due");
        a.silence(&AlarmId::Dangerous(0), 0, 30_000);
        a.silence(&AlarmId::Dangerous(1), 0, 30_000);
        assert!(!bell.ring(a.ranked(), 10_000));
        // A third alarm while the others are silenced rings at once.
        a.raise(AlarmId::Lost(7), 0, "lost".into(), None);
        bell.alarm_sounding();
        assert!(bell.ring(a.ranked(), 11_000));
    }

    #[test]
    fn a_new_alarm_acknowledged_before_the_frame_does_not_ring() {
        let mut a = alarms_with(1);
        let mut bell = Bell::new(5_000);
        bell.alarm_sounding();
        a.acknowledge(&AlarmId::Dangerous(0), 0);
        assert!(!bell.ring(a.ranked(), 0));
        // Nor later, when another alarm merely stays sounding.
        a.raise(AlarmId::Lost(1), 0, "lost".into(), None);
        assert!(bell.ring(a.ranked(), 1_000), "never rang before: due");
        assert!(!bell.ring(a.ranked(), 2_000));
    }

    #[test]
    fn due_is_a_function_of_the_list_and_the_time() {
        let a = alarms_with(1);
        assert!(due(a.ranked(), false, None, 0, 5_000));
        assert!(!due(a.ranked(), false, Some(0), 4_000, 5_000));
        assert!(due(a.ranked(), true, Some(0), 1_000, 5_000));
        assert!(due(a.ranked(), false, Some(10_000), 0, 5_000), "clock back");
        let none = Alarms::default();
        assert!(!due(none.ranked(), true, None, 0, 5_000));
    }
}
