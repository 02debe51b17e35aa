//! bridgewatch — a terminal console for the bridge watch.
//!
//! Layers only look down (see `../shared/design/ARCHITECTURE.md`):
//! - [`nmea`]: framing, checksums, tag blocks, bounded line reader, VDM/VDO
//!   reassembly, GNSS sentences, presentation-interface sentences.
//! - [`ais`]: 6-bit armour, messages 1–27, binary application messages,
//!   encoders, gpsd-compatible JSON.
//! - [`traffic`]: own ship, targets, CPA/TCPA, target states, lost-target
//!   rules and alarms — pure, data time passed in.
//! - [`link`]: inputs (the only I/O besides the app's writers).
//! - [`app`]: configuration, data clock, headless mode.
//! - [`cli`]: the `decode` command's engine.

pub mod ais;
pub mod app;
pub mod cli;
pub mod link;
pub mod nmea;
pub mod sim;
pub mod traffic;
pub mod ui;
