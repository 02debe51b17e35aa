//! AIS: bits and armouring, messages 1–27, binary application messages,
//! encoders and gpsd-style JSON, plus [`stream::AisStream`], which turns NMEA
//! lines into decoded messages.

pub mod application;
pub mod bits;
pub mod encode;
pub mod json;
pub mod legends;
pub mod messages;
pub mod stream;

pub use messages::{AisMessage, Body, DecodeError, decode};
