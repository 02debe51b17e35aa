//! The `decode` command: NMEA in, gpsd-compatible JSON lines out, rejected
//! lines reported with their line number and reason and counted. Generic over
//! `Read`/`Write` so tests and benchmarks drive exactly what the binary runs.

use crate::ais::json;
use crate::ais::stream::{AisStream, Outcome, Type24Names};
use crate::nmea::reader::Line;
use std::io::{self, Read, Write};

/// Options of `decode`: gpsd's scaled units or raw integers (`-u`), and
/// `--gpsd-compat` (see [`json::Style`]).
pub type DecodeOptions = json::Style;

/// Totals of one `decode` run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecodeSummary {
    pub lines: u64,
    pub sentences: u64,
    pub messages: u64,
    pub rejected: u64,
    pub overlong: u64,
    /// Multi-sentence messages that never completed.
    pub incomplete: u64,
    /// Sentences used without their tag block, which failed its own check.
    pub tag_blocks_ignored: u64,
}

/// Decodes a stream, writing JSON lines to `out` and one line per rejected
/// input line to `err` (`name:line: reason`).
#[derive(Debug)]
pub struct Decoder {
    stream: AisStream,
    names: Type24Names,
    opts: DecodeOptions,
    buf: Vec<u8>,
    overlong: u64,
}

impl Decoder {
    /// A decoder with the given options.
    pub fn new(opts: DecodeOptions) -> Self {
        Decoder {
            stream: AisStream::new(),
            names: Type24Names::default(),
            opts,
            buf: Vec::with_capacity(64 * 1024),
            overlong: 0,
        }
    }

    /// Decode one line, appending its JSON (if any) to the internal buffer.
    /// Returns the error text for a rejected line.
    pub fn line(&mut self, line: &[u8]) -> Result<(), String> {
        match self.stream.push_line(line, 0) {
            Ok(Outcome::Ais(r)) => {
                match self.names.observe(&r.msg) {
                    Some(name) => {
                        if let crate::ais::Body::StaticData(s) = &r.msg.body {
                            json::write_type24_merged(&mut self.buf, &r.msg, s, &name, self.opts);
                        }
                    }
                    None => json::write_message(&mut self.buf, &r.msg, self.opts),
                }
                self.buf.push(b'\n');
                Ok(())
            }
            Ok(_) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Take the JSON written so far.
    pub fn take_output(&mut self) -> &mut Vec<u8> {
        &mut self.buf
    }

    /// Decode everything from `input`, named `name` in error reports.
    pub fn run<R: Read, W: Write, E: Write>(
        &mut self,
        name: &str,
        input: R,
        out: &mut W,
        err: &mut E,
    ) -> io::Result<()> {
        let mut result = Ok(());
        crate::link::read_numbered_lines(input, |line_no, l| {
            if result.is_err() {
                return;
            }
            result = self.handle(name, line_no, l, err).and_then(|_| {
                if self.buf.len() > 32 * 1024 {
                    out.write_all(&self.buf)?;
                    self.buf.clear();
                }
                Ok(())
            });
        })?;
        result?;
        out.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }

    fn handle<E: Write>(
        &mut self,
        name: &str,
        line_no: u64,
        l: Line<'_>,
        err: &mut E,
    ) -> io::Result<()> {
        match l {
            // Log files (gpsd's among them) carry `#` comment lines.
            Line::Complete(bytes) if bytes.first() == Some(&b'#') => {}
            Line::Complete(bytes) => match self.line(bytes) {
                Err(reason) => writeln!(err, "{name}:{line_no}: {reason}")?,
                Ok(()) => {
                    if let Some(p) = self.stream.last_tag_problem() {
                        writeln!(
                            err,
                            "{name}:{line_no}: {p}; tag block ignored, sentence used"
                        )?;
                    }
                }
            },
            Line::Overlong { discarded } => {
                self.overlong += 1;
                writeln!(
                    err,
                    "{name}:{line_no}: line of {discarded} bytes is too long, skipped"
                )?;
            }
        }
        Ok(())
    }

    /// Totals so far.
    pub fn summary(&self) -> DecodeSummary {
        let s = self.stream.stats();
        let r = self.stream.reassembly();
        DecodeSummary {
            lines: s.lines + self.overlong,
            sentences: s.sentences,
            messages: s.messages,
            rejected: s.rejected + self.overlong,
            overlong: self.overlong,
            incomplete: r.expired + r.abandoned,
            tag_blocks_ignored: s.tag_blocks_ignored,
        }
    }
}
