//! The outbox and inbox journals on disk: JSON lines appended and flushed,
//! read back for [`crate::voyage::outbox::Outbox::restore`]. The outbox
//! itself stays pure; this is its file I/O.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;

/// Append `lines` (one JSON record each) to the journal at `path`, creating
/// it if needed, and flush them to disk before returning.
pub fn append(path: &Path, lines: &[String]) -> io::Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let mut f = OpenOptions::new().create(true).append(true).open(path)?;
    let mut buf = String::new();
    for l in lines {
        buf.push_str(l);
        buf.push('\n');
    }
    f.write_all(buf.as_bytes())?;
    f.flush()?;
    f.sync_data()
}

/// The journal's lines; none if the file does not exist yet. A line that is
/// not UTF-8 comes back empty-replaced so that `restore` reports it.
pub fn read(path: &Path) -> io::Result<Vec<String>> {
    let f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for chunk in BufReader::new(f).split(b'\n') {
        out.push(String::from_utf8_lossy(&chunk?).into_owned());
    }
    Ok(out)
}
