//! AIS: messages 1–27, binary application messages, encoders and
//! gpsd-style JSON (the 6-bit armour they travel in is
//! [`crate::nmea::armour`]), plus [`stream::AisStream`], which turns NMEA
//! lines into decoded messages.

pub mod application;
pub mod encode;
pub mod json;
pub mod legends;
pub mod messages;
pub mod stream;

pub use messages::{AisMessage, Body, DecodeError, decode};
