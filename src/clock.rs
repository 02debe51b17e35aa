//! The data clock for replay: the time the data itself carries — a tag block
//! `c:` first, else the latest RMC/ZDA date and time (GGA/GLL/GNS times of
//! day once a date is known) — so a log replays with the same alarms at the
//! same data times however fast it is read.

use crate::nmea::Sentence;
use crate::nmea::gnss::OwnFix;
use chrono::NaiveDate;

/// A jump of the data time by more than this (forwards, or backwards past
/// the tolerated minute) is taken only once a second, independent time
/// confirms it: one corrupt RMC/ZDA date or tag block must neither throw
/// the clock into another year nor freeze it there.
pub const MAX_UNCONFIRMED_JUMP_MS: i64 = 10 * 60_000;

/// A confirming time must lie this close to the jump it confirms.
const CONFIRM_WINDOW_MS: i64 = 120_000;

/// Tracks the latest data time.
#[derive(Debug, Clone, Default)]
pub struct DataClock {
    date: Option<NaiveDate>,
    now_ms: Option<i64>,
    /// A far jump seen once, waiting for a second time to confirm it.
    pending: Option<i64>,
    /// Times refused as far jumps that nothing confirmed (for the report).
    pub refused: u64,
}

impl DataClock {
    /// The latest data time, if any line carried one.
    pub fn now_ms(&self) -> Option<i64> {
        self.now_ms
    }

    /// Offer a data time; true when the clock took it.
    fn set(&mut self, ms: i64) -> bool {
        let Some(n) = self.now_ms else {
            self.now_ms = Some(ms);
            return true;
        };
        let far = ms > n + MAX_UNCONFIRMED_JUMP_MS || ms < n - MAX_UNCONFIRMED_JUMP_MS;
        if far {
            // A far jump is real when a second time agrees with it (a
            // recording resumed after a gap, a receiver that finally has its
            // date); one that nothing confirms was a corrupt sentence.
            if let Some(p) = self.pending
                && (ms - p).abs() <= CONFIRM_WINDOW_MS
            {
                self.pending = None;
                self.now_ms = Some(ms);
                return true;
            }
            if self.pending.replace(ms).is_some() {
                self.refused += 1;
            }
            return false;
        }
        if self.pending.take().is_some() {
            self.refused += 1;
        }
        // Data time never runs backwards (a receiver that repeats an old
        // sentence must not rewind every alarm timer); up to a minute back
        // is ignored quietly.
        if ms >= n {
            self.now_ms = Some(ms);
        }
        true
    }

    /// Take the time of a framed sentence's tag block.
    pub fn observe_tag(&mut self, s: &Sentence<'_>) -> bool {
        if let Some(ms) = s.tag.and_then(|t| t.time_ms()) {
            self.set(ms);
            return true;
        }
        false
    }

    /// Take the time of a GNSS fix.
    pub fn observe_fix(&mut self, f: &OwnFix) {
        let own_date = f
            .date
            .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
        let (Some(date), Some(tod)) = (own_date.or(self.date), f.time_of_day) else {
            return;
        };
        let Some(midnight) = date.and_hms_opt(0, 0, 0) else {
            return;
        };
        let mut ms = midnight.and_utc().timestamp_millis() + (tod * 1000.0).round() as i64;
        // A time of day far behind the clock on the same date: the day
        // rolled over before the next RMC/ZDA told us.
        if let Some(n) = self.now_ms
            && own_date.is_none()
            && ms < n - 12 * 3_600_000
        {
            ms += 86_400_000;
        }
        // The date is believed only with the time it came with: a refused
        // corrupt date must not carry over to the next GGA.
        if self.set(ms) && own_date.is_some() {
            self.date = own_date;
        }
    }
}

/// RFC 3339 UTC with seconds (milliseconds when not whole).
pub fn rfc3339(ms: i64) -> String {
    match chrono::DateTime::from_timestamp_millis(ms) {
        Some(t) if ms % 1000 == 0 => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        None => "1970-01-01T00:00:00Z".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nmea::{frame, gnss};

    fn rmc(ms: i64) -> OwnFix {
        let line = crate::sim::rmc(ms, (54.5, 11.0), 90.0, 12.0);
        gnss::parse(&frame(line.as_bytes()).unwrap()).unwrap()
    }

    #[test]
    fn one_corrupt_date_neither_jumps_nor_freezes_the_clock() {
        let t0 = 1_781_000_000_000; // 2026-06-09
        let mut c = DataClock::default();
        c.observe_fix(&rmc(t0));
        // One RMC thirty years ahead: refused.
        c.observe_fix(&rmc(t0 + 1_000 + 30 * 365 * 86_400_000));
        assert_eq!(c.now_ms(), Some(t0));
        // The next good one is taken: the clock runs on.
        c.observe_fix(&rmc(t0 + 2_000));
        assert_eq!(c.now_ms(), Some(t0 + 2_000));
        assert_eq!(c.refused, 1);
        // A GGA (time of day only) after the corrupt date uses the good one.
        c.observe_fix(&rmc(t0 + 3_000 + 40 * 365 * 86_400_000));
        let gga = crate::sim::gga(t0 + 4_000, (54.5, 11.0), "1", "08");
        c.observe_fix(&gnss::parse(&frame(gga.as_bytes()).unwrap()).unwrap());
        assert_eq!(c.now_ms(), Some(t0 + 4_000));
    }

    #[test]
    fn a_confirmed_gap_is_taken_and_a_corrupt_first_time_is_left_behind() {
        let t0 = 1_781_000_000_000;
        let mut c = DataClock::default();
        c.observe_fix(&rmc(t0));
        // A recording that resumes three hours later: two agreeing times.
        let later = t0 + 3 * 3_600_000;
        c.observe_fix(&rmc(later));
        assert_eq!(c.now_ms(), Some(t0));
        c.observe_fix(&rmc(later + 1_000));
        assert_eq!(c.now_ms(), Some(later + 1_000));
        // A clock that started on a corrupt date is re-based by the good
        // times that follow.
        let mut c = DataClock::default();
        c.observe_fix(&rmc(t0 + 50 * 365 * 86_400_000));
        c.observe_fix(&rmc(t0));
        c.observe_fix(&rmc(t0 + 1_000));
        assert_eq!(c.now_ms(), Some(t0 + 1_000));
    }

    #[test]
    fn rmc_sets_and_gga_advances() {
        let mut c = DataClock::default();
        let rmc = "$GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E*68";
        c.observe_fix(&gnss::parse(&frame(rmc.as_bytes()).unwrap()).unwrap());
        assert_eq!(rfc3339(c.now_ms().unwrap()), "1994-11-19T22:54:46Z");
        // 1994-11-19T22:55:00.500Z
        let gga = crate::sim::gga(785_285_700_500, (49.27, -123.18), "1", "08");
        c.observe_fix(&gnss::parse(&frame(gga.as_bytes()).unwrap()).unwrap());
        assert_eq!(rfc3339(c.now_ms().unwrap()), "1994-11-19T22:55:00.500Z");
    }
}
