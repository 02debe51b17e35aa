//! A bounded line framer for byte streams (serial, TCP, files): bytes in,
//! complete lines out, every line bounded. A line longer than the limit is
//! discarded up to its end and reported, and the framer resynchronises on the
//! next line terminator, so a stuck transmitter or binary garbage cannot grow
//! memory without bound.

/// Default bound: NMEA's 82 characters plus a generous tag block and
/// receiver metadata.
pub const DEFAULT_MAX_LINE: usize = 1024;

/// One item from the framer.
#[derive(Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// A complete line without its terminator.
    Complete(&'a [u8]),
    /// A line was longer than the limit; `discarded` bytes were dropped.
    Overlong { discarded: usize },
}

impl<'a> Line<'a> {
    /// The line's bytes, `None` for an over-long line that was dropped.
    pub fn bytes(&self) -> Option<&'a [u8]> {
        match self {
            Line::Complete(b) => Some(b),
            Line::Overlong { .. } => None,
        }
    }
}

/// Splits a byte stream into lines at CR and/or LF.
#[derive(Debug)]
pub struct LineFramer {
    buf: Vec<u8>,
    max: usize,
    /// Bytes of an over-long line dropped so far (while discarding).
    discarding: Option<usize>,
    /// Start of unread data in `buf`.
    pos: usize,
    /// Number (1-based) of the line that starts at `pos`: blank lines count,
    /// CR LF is one terminator, a lone CR or LF is one too.
    line: u64,
    /// The last byte consumed was a CR (so an LF right after it ends
    /// nothing new).
    after_cr: bool,
}

impl Default for LineFramer {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_LINE)
    }
}

impl LineFramer {
    /// A framer whose lines are at most `max` bytes.
    pub fn new(max: usize) -> Self {
        LineFramer {
            buf: Vec::with_capacity(max.min(64 * 1024)),
            max,
            discarding: None,
            pos: 0,
            line: 1,
            after_cr: false,
        }
    }

    /// Add bytes read from the stream.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The next complete line or over-long report; `None` when more bytes
    /// are needed.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Line<'_>> {
        self.next_numbered().map(|(_, l)| l)
    }

    /// [`next`](Self::next) with the line's number in the input (1-based,
    /// blank lines counted, CR LF one terminator).
    pub fn next_numbered(&mut self) -> Option<(u64, Line<'_>)> {
        loop {
            let data = &self.buf[self.pos..];
            match data.iter().position(|&b| b == b'\n' || b == b'\r') {
                Some(end) => {
                    let start = self.pos;
                    let terminator = data[end];
                    self.pos += end + 1;
                    let number = self.line;
                    if end > 0 {
                        self.after_cr = false;
                    }
                    if !(terminator == b'\n' && self.after_cr) {
                        self.line += 1;
                    }
                    self.after_cr = terminator == b'\r';
                    if let Some(dropped) = self.discarding.take() {
                        return Some((
                            number,
                            Line::Overlong {
                                discarded: dropped + end,
                            },
                        ));
                    }
                    if end == 0 {
                        continue; // empty line or the LF of CRLF
                    }
                    if end > self.max {
                        return Some((number, Line::Overlong { discarded: end }));
                    }
                    return Some((number, Line::Complete(&self.buf[start..start + end])));
                }
                None => {
                    if data.len() > self.max {
                        // Drop what we have and keep discarding until the
                        // next terminator.
                        let n = data.len();
                        *self.discarding.get_or_insert(0) += n;
                        self.buf.clear();
                        self.pos = 0;
                    }
                    return None;
                }
            }
        }
    }

    /// At end of input: the last line if it had no terminator.
    pub fn finish(&mut self) -> Option<Line<'_>> {
        self.finish_numbered().map(|(_, l)| l)
    }

    /// [`finish`](Self::finish) with the line's number.
    pub fn finish_numbered(&mut self) -> Option<(u64, Line<'_>)> {
        let number = self.line;
        if let Some(d) = self.discarding.take() {
            let n = self.buf.len() - self.pos;
            self.buf.clear();
            self.pos = 0;
            return Some((number, Line::Overlong { discarded: d + n }));
        }
        if self.pos < self.buf.len() {
            let start = self.pos;
            self.pos = self.buf.len();
            return Some((number, Line::Complete(&self.buf[start..])));
        }
        None
    }

    /// Bytes held waiting for a terminator.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(f: &mut LineFramer) -> Vec<String> {
        let mut v = Vec::new();
        while let Some(l) = f.next() {
            v.push(match l {
                Line::Complete(b) => String::from_utf8_lossy(b).into_owned(),
                Line::Overlong { discarded } => format!("<overlong {discarded}>"),
            });
        }
        v
    }

    #[test]
    fn line_numbers_count_blank_lines_and_crlf_once() {
        let input = b"A\r\n\r\nB\n\nC\rD\r\n\n\nE";
        for piece in [1, 2, 3, input.len()] {
            let mut f = LineFramer::new(16);
            let mut got = Vec::new();
            for chunk in input.chunks(piece) {
                f.push(chunk);
                while let Some((n, l)) = f.next_numbered() {
                    let text = String::from_utf8_lossy(l.bytes().unwrap_or(b"")).into_owned();
                    got.push((text, n));
                }
            }
            if let Some((n, l)) = f.finish_numbered() {
                let text = String::from_utf8_lossy(l.bytes().unwrap_or(b"")).into_owned();
                got.push((text, n));
            }
            let want: Vec<(String, u64)> = [("A", 1), ("B", 3), ("C", 5), ("D", 6), ("E", 9)]
                .iter()
                .map(|(t, n)| (t.to_string(), *n))
                .collect();
            assert_eq!(got, want, "piece size {piece}");
        }
    }

    #[test]
    fn overlong_line_keeps_its_number() {
        let mut f = LineFramer::new(8);
        f.push(b"ok\n\n");
        f.push(&[b'x'; 40]);
        f.push(b"\nnext\n");
        let mut got = Vec::new();
        while let Some((n, l)) = f.next_numbered() {
            got.push((l.bytes().is_some(), n));
        }
        assert_eq!(got, vec![(true, 1), (false, 3), (true, 4)]);
    }

    #[test]
    fn byte_by_byte() {
        let mut f = LineFramer::default();
        let mut out = Vec::new();
        for b in b"$A*00\r\n$B*00\n" {
            f.push(&[*b]);
            out.extend(collect(&mut f));
        }
        assert_eq!(out, ["$A*00", "$B*00"]);
    }

    #[test]
    fn overlong_line_resynchronises() {
        let mut f = LineFramer::new(16);
        f.push(&[b'x'; 40]);
        assert!(collect(&mut f).is_empty());
        f.push(&[b'y'; 40]);
        f.push(b"\n$OK*00\n");
        assert_eq!(collect(&mut f), ["<overlong 80>", "$OK*00"]);
        assert!(f.buffered() == 0);
    }
}
