//! After an ETA report, the wait for the RTA (Inland AIS §2.4.4.2.2–3):
//! the lock, bridge or terminal answers with an RTA (FI 22) within 15
//! minutes; without one the ETA is repeated once; without one 15 minutes
//! after the repeat the officer gets a "no answer from the lock" caution.
//! An RTA from a station we are not waiting for is reported as unasked.
//!
//! Pure: the engine's clock (ms) is passed in.

use super::messages::EtaReport;
use crate::traffic::RtaReceived;

/// How long to wait for an RTA after an ETA report, and after its repeat.
pub const RTA_WAIT_MS: i64 = 15 * 60 * 1000;

/// One destination we wait for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub report: EtaReport,
    /// When the ETA (or its repeat) was sent.
    pub since_ms: i64,
    /// The ETA was already repeated once.
    pub repeated: bool,
}

/// What `tick` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EtaEvent {
    /// No RTA within [`RTA_WAIT_MS`]: send this ETA again (the caller
    /// queues it in the outbox; the second wait has already started).
    Repeat { to: u32, report: EtaReport },
    /// No RTA after the repeat either: a caution, "no answer from the
    /// lock". The wait ends.
    NoAnswer { to: u32, report: EtaReport },
}

/// What an RTA was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RtaMatch {
    /// The answer to our ETA report to `from`.
    Answered { from: u32, report: EtaReport },
    /// We were not waiting for an RTA from `from`.
    Unasked { from: u32 },
}

/// The waits, one per destination MMSI.
#[derive(Debug, Clone, Default)]
pub struct EtaWatch {
    waits: Vec<Waiting>,
}

impl EtaWatch {
    pub fn new() -> Self {
        EtaWatch::default()
    }

    /// Destinations waited for, oldest first.
    pub fn waiting(&self) -> &[Waiting] {
        &self.waits
    }

    /// An ETA report was written to the transponder (the officer's, not the
    /// automatic repeat): the 15-minute wait starts, replacing any wait for
    /// the same destination.
    pub fn sent(&mut self, report: EtaReport, now: i64) {
        self.waits.retain(|w| w.report.to != report.to);
        self.waits.push(Waiting {
            report,
            since_ms: now,
            repeated: false,
        });
    }

    /// An RTA arrived (the engine's `RtaReceived`): it ends the wait for its
    /// sender, or it is unasked.
    pub fn rta(&mut self, rta: &RtaReceived) -> RtaMatch {
        match self.waits.iter().position(|w| w.report.to == rta.from) {
            Some(i) => {
                let w = self.waits.remove(i);
                RtaMatch::Answered {
                    from: rta.from,
                    report: w.report,
                }
            }
            None => RtaMatch::Unasked { from: rta.from },
        }
    }

    /// Repeats and cautions due at `now` (engine time).
    pub fn tick(&mut self, now: i64) -> Vec<EtaEvent> {
        let mut events = Vec::new();
        self.waits.retain_mut(|w| {
            if now - w.since_ms < RTA_WAIT_MS {
                return true;
            }
            if w.repeated {
                events.push(EtaEvent::NoAnswer {
                    to: w.report.to,
                    report: w.report,
                });
                false
            } else {
                events.push(EtaEvent::Repeat {
                    to: w.report.to,
                    report: w.report,
                });
                w.repeated = true;
                w.since_ms = now;
                true
            }
        });
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ais::application::{DayTime, InlandLocation};
    use crate::voyage::fields;

    const NOW: i64 = 1_795_348_800_000;

    fn report(to: u32) -> EtaReport {
        EtaReport {
            to,
            location: InlandLocation {
                country: fields::country_code("BE").unwrap(),
                locode: fields::location_code("ANR").unwrap(),
                section: fields::fairway_section("00001").unwrap(),
                terminal: fields::terminal_code("00000").unwrap(),
                hectometre: fields::fairway_hectometre("00010").unwrap(),
            },
            eta: fields::eta("2026-11-22T15:00Z", NOW).unwrap(),
            tugs: 7,
            air_draught: 0,
        }
    }

    #[test]
    fn a_new_eta_to_the_same_lock_restarts_the_wait() {
        let mut w = EtaWatch::new();
        w.sent(report(2_050_001), NOW);
        assert_eq!(w.tick(NOW + RTA_WAIT_MS).len(), 1);
        w.sent(report(2_050_001), NOW + RTA_WAIT_MS + 1);
        assert_eq!(w.waiting().len(), 1);
        assert!(!w.waiting()[0].repeated);
        assert!(w.tick(NOW + 2 * RTA_WAIT_MS).is_empty());
    }

    #[test]
    fn waits_for_two_locks_run_apart() {
        let mut w = EtaWatch::new();
        w.sent(report(2_050_001), NOW);
        w.sent(report(2_050_002), NOW + 60_000);
        let ev = w.tick(NOW + RTA_WAIT_MS);
        assert!(matches!(ev[..], [EtaEvent::Repeat { to: 2_050_001, .. }]));
        let rta = RtaReceived {
            at_ms: NOW + RTA_WAIT_MS,
            from: 2_050_002,
            to: 244_000_001,
            location: report(2_050_002).location,
            rta: DayTime::default(),
            status: 0,
        };
        assert!(matches!(
            w.rta(&rta),
            RtaMatch::Answered {
                from: 2_050_002,
                ..
            }
        ));
        assert_eq!(w.waiting().len(), 1);
    }
}
