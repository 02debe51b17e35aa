//! bridgewatch — a terminal console for the bridge watch.
//!
//! Layers only look down (see `../shared/design/ARCHITECTURE.md`):
//! - [`nmea`]: framing, checksums, tag blocks, bounded line reader, VDM/VDO
//!   reassembly, GNSS sentences, presentation-interface sentences.
//! - [`ais`]: 6-bit armour, messages 1–27, binary application messages,
//!   encoders, gpsd-compatible JSON.
//! - [`cli`]: the `decode` command's engine (I/O at the edges only).
//!
//! The traffic picture, voyage data, links and the console come next
//! (issues 3 and 4).

pub mod ais;
pub mod cli;
pub mod nmea;
