//! The data clock for replay: the time the data itself carries — a tag block
//! `c:` first, else the latest RMC/ZDA date and time (GGA/GLL/GNS times of
//! day once a date is known) — so a log replays with the same alarms at the
//! same data times however fast it is read.

use crate::nmea::Sentence;
use crate::nmea::gnss::OwnFix;
use chrono::NaiveDate;

/// Tracks the latest data time.
#[derive(Debug, Clone, Default)]
pub struct DataClock {
    date: Option<NaiveDate>,
    now_ms: Option<i64>,
}

impl DataClock {
    /// The latest data time, if any line carried one.
    pub fn now_ms(&self) -> Option<i64> {
        self.now_ms
    }

    fn set(&mut self, ms: i64) {
        // Data time never runs backwards by more than a minute (a receiver
        // that repeats an old sentence must not rewind every alarm timer).
        match self.now_ms {
            Some(n) if ms < n - 60_000 => {}
            Some(n) if ms < n => {}
            _ => self.now_ms = Some(ms),
        }
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
        if let Some((y, m, d)) = f.date {
            self.date = NaiveDate::from_ymd_opt(y, m, d).or(self.date);
        }
        let (Some(date), Some(tod)) = (self.date, f.time_of_day) else {
            return;
        };
        let Some(midnight) = date.and_hms_opt(0, 0, 0) else {
            return;
        };
        let mut ms = midnight.and_utc().timestamp_millis() + (tod * 1000.0).round() as i64;
        // A time of day far behind the clock on the same date: the day
        // rolled over before the next RMC/ZDA told us.
        if let Some(n) = self.now_ms
            && f.date.is_none()
            && ms < n - 12 * 3_600_000
        {
            ms += 86_400_000;
        }
        self.set(ms);
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
