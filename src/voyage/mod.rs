//! Own voyage and station data and what the console sends about it: the
//! field validators shared by the forms and the `encode` command
//! ([`fields`]), the sentences for the transponder ([`messages`]) and the
//! `encode` command's checks from option to sentence ([`command`]), the
//! outbox that follows each sent message to its ABK ([`outbox`]; its
//! journal on disk is `link::journal`'s) and the wait for an RTA after an
//! ETA report ([`eta`]).
//!
//! Pure like `traffic`: no I/O, and the time a check is made against (an
//! ETA must not be in the past) is passed in.

pub mod command;
pub mod desk;
pub mod eta;
pub mod fields;
pub mod messages;
pub mod outbox;
