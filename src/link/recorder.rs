//! Raw recording of everything received, for later replay: each line is
//! written as received, prefixed with an IEC 61162-450 tag block carrying
//! the receive time (`\c:<ms>*hh\`) unless it already has a tag block. A
//! recording replays with `--input file:PATH` on its own clock.

use crate::nmea::checksum;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Appends received lines to a file.
#[derive(Debug)]
pub struct Recorder {
    out: BufWriter<File>,
    pub path: PathBuf,
    pub lines: u64,
}

impl Recorder {
    /// Open (append to) a recording.
    pub fn open(path: &Path) -> io::Result<Recorder> {
        let f = OpenOptions::new().create(true).append(true).open(path)?;
        Ok(Recorder {
            out: BufWriter::new(f),
            path: path.to_path_buf(),
            lines: 0,
        })
    }

    /// Record one line received at `received_ms`.
    pub fn write(&mut self, line: &[u8], received_ms: i64) -> io::Result<()> {
        if line.first() != Some(&b'\\') {
            let tag = format!("c:{received_ms}");
            write!(self.out, "\\{tag}*{:02X}\\", checksum(tag.as_bytes()))?;
        }
        self.out.write_all(line)?;
        self.out.write_all(b"\r\n")?;
        self.lines += 1;
        Ok(())
    }

    /// Push buffered lines to disk.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nmea::frame;

    #[test]
    fn recorded_lines_carry_their_receive_time() {
        let path =
            std::env::temp_dir().join(format!("bridgewatch-rec-{}.nmea", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let mut r = Recorder::open(&path).unwrap();
        r.write(
            b"!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A",
            1_700_000_000_123,
        )
        .unwrap();
        r.flush().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let s = frame(text.trim_end().as_bytes()).unwrap();
        assert_eq!(s.tag.and_then(|t| t.time_ms()), Some(1_700_000_000_123));
        assert_eq!(s.formatter, "VDM");
        let _ = std::fs::remove_file(&path);
    }
}
