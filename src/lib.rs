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
//!   and update, headless mode, the built-in demo; it never imports `ui`.
//! - [`ui`]: ratatui views, pure functions of the app state, and the
//!   console's terminal loop (`ui::terminal`).
//!
//! `tests/house.rs` holds the code to this: no import cycle between files
//! or top-level modules, no file, socket or terminal I/O in `nmea`, `ais`,
//! `aiip`, `traffic`, `voyage` and `clock`. Outside tests the crate denies
//! `unwrap`, `expect`, `todo!` and `dbg!`: data from outside never panics.
//! - [`sim`]: sentence builders for simulated traffic (demo, tests, benches).
//! - [`decode`]: the `decode` command's engine.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::todo,
    clippy::dbg_macro
)]

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
