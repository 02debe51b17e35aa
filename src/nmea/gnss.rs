//! GNSS sentences (filled in below).
