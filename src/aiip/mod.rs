//! AI-IP, the Inland AIS over IP protocol (chapter 3 of the Inland AIS
//! standard, read as `shared/design/AIIP.md` says): the message codec, the
//! server's store, the server core and the client state machine. Sans-I/O —
//! no sockets, no clock; time is passed in. Never imports tokio, ratatui or
//! crossterm.

pub mod client;
pub mod codec;
pub mod local_info;
pub mod server;
pub mod status_detect;
pub mod store;
pub mod validation;
