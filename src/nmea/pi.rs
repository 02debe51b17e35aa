//! PI
