//! bridgewatch — a terminal console for the bridge watch.
//!
//! Layers only look down (see `../shared/design/ARCHITECTURE.md`):
//! - [`nmea`]: framing, checksums, tag blocks, bounded line reader, the 6-bit
//!   armour of encapsulated sentences, VDM/VDO reassembly, GNSS sentences,
//!   presentation-interface sentences.
//! - [`clock`]: the data clock (time carried by the data), used by the
//!   replaying links and the engine.
//! - [`ais`]: messages 1–27, binary application messages, encoders,
//!   gpsd-compatible JSON.
//! - [`aiip`]: AI-IP (Inland AIS over IP) — the message codec and the
//!   server's store, sans-I/O, time passed in.
//! - [`traffic`]: own ship, targets, CPA/TCPA, target states, lost-target
//!   rules and alarms — pure, data time passed in.
//! - [`voyage`]: own voyage and static data, field validators and the
//!   ABM/BBM/VSD/SSD sentences we send — pure, time passed in.
//! - [`link`]: inputs — tokio tasks for serial, UDP, TCP and file replay,
//!   the line readers, the raw recorder. The only place that touches ports
//!   and sockets.
//! - [`app`]: configuration, the engine, the alarm log, the console's state
//!   and update, the event loop, headless mode, the built-in demo.
//! - [`ui`]: ratatui views, pure functions of the app state.
//! - [`sim`]: sentence builders for simulated traffic (demo, tests, benches).
//! - [`decode`]: the `decode` command's engine.

pub mod aiip;
pub mod ais;
pub mod app;
pub mod clock;
pub mod decode;
pub mod link;
pub mod nmea;
pub mod sim;
pub mod traffic;
pub mod ui;
pub mod voyage;
