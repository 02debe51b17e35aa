//! The `decode` command: NMEA in, gpsd-compatible JSON lines out, rejected
//! lines reported with their line number and reason and counted. Generic over
//! `Read`/`Write` so tests and benchmarks drive exactly what the binary runs.
//!
//! Besides VDM/VDO, `decode` reads the sentences the console writes to its
//! transponder (what `encode` prints, or a capture of a transponder port):
//! the AIS message an ABM or BBM carries is decoded as an AIS object
//! (`"sentence":"ABM"`, `mmsi` 0: the sender is the transponder's own
//! ship, which the sentence does not name), and VSD, SSD, `$PIWWIVD` and
//! `$PIWWSSD` are reported as objects of their own class with their fields
//! (an empty field, "unchanged", is left out). `--gpsd-compat` leaves all of
//! these out, as gpsd does. A sentence longer than IEC 61162-1 allows is
//! decoded and reported on stderr (`docs/interpretations.md`).

use crate::ais::json;
use crate::ais::stream::{AisStream, Outcome, Type24Names};
use crate::nmea::pi::{self, BinaryFragment};
use crate::nmea::reader::Line;
use crate::nmea::{MAX_PRINTED_LEN, Sentence};
use crate::voyage::messages::{InlandStaticData, InlandVoyageData, as_transmitted};
use serde_json::{Map, Value};
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
    /// Sentences longer than IEC 61162-1's 82 characters (CR LF
    /// included), decoded all the same and reported.
    pub long_sentences: u64,
    /// ABM, BBM, VSD, SSD, `$PIWWIVD` and `$PIWWSSD` sentences read (left
    /// out of the output with `--gpsd-compat`).
    pub presentation: u64,
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
    /// Multi-sentence ABM/BBM messages waiting for their other sentences.
    binary: BinaryJoin,
    /// Characters of the last line's sentence, when over the limit.
    long: Option<usize>,
    long_sentences: u64,
    presentation: u64,
    /// AIS messages decoded from ABM/BBM.
    pi_messages: u64,
    /// ABM/BBM/VSD/SSD/`$PIWW…` sentences refused.
    pi_rejected: u64,
}

/// Sentences of ABM/BBM messages not yet complete, matched by the
/// sentence (ABM or BBM), sequential message identifier, destination,
/// channel and message ID (IEC 61162-1: the sequential identifier links the
/// sentences of one message). Bounded; fragments may come in any order.
#[derive(Debug, Default)]
struct BinaryJoin {
    pending: Vec<PendingBinary>,
    abandoned: u64,
}

#[derive(Debug)]
struct PendingBinary {
    key: (Option<u32>, u8, u8, u8),
    parts: Vec<Option<BinaryFragment>>,
}

impl BinaryJoin {
    const MAX_IN_FLIGHT: usize = 16;

    /// Add one sentence; the whole message's sentences in order when it is
    /// complete.
    fn push(&mut self, f: BinaryFragment) -> Result<Option<Vec<BinaryFragment>>, String> {
        let total = usize::from(f.total);
        if !(1..=crate::nmea::MAX_FRAGMENTS).contains(&total) {
            return Err(format!("sentence count {} is not 1 to 9", f.total));
        }
        if f.number == 0 || f.number > f.total {
            return Err(format!(
                "sentence number {} is not 1 to {}",
                f.number, f.total
            ));
        }
        if total == 1 {
            return Ok(Some(vec![f]));
        }
        let key = (f.dest_mmsi, f.seq_id, f.channel, f.msg_id);
        let idx = usize::from(f.number - 1);
        let slot = match self.pending.iter().position(|p| p.key == key) {
            Some(i)
                if self.pending[i].parts.len() == total && self.pending[i].parts[idx].is_none() =>
            {
                i
            }
            other => {
                if let Some(i) = other {
                    // The same identifier again: the old message never
                    // completed.
                    self.pending.remove(i);
                    self.abandoned += 1;
                }
                if self.pending.len() >= Self::MAX_IN_FLIGHT {
                    self.pending.remove(0);
                    self.abandoned += 1;
                }
                self.pending.push(PendingBinary {
                    key,
                    parts: vec![None; total],
                });
                self.pending.len() - 1
            }
        };
        self.pending[slot].parts[idx] = Some(f);
        if self.pending[slot].parts.iter().any(Option::is_none) {
            return Ok(None);
        }
        let p = self.pending.remove(slot);
        Ok(Some(p.parts.into_iter().flatten().collect()))
    }
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
            binary: BinaryJoin::default(),
            long: None,
            long_sentences: 0,
            presentation: 0,
            pi_messages: 0,
            pi_rejected: 0,
        }
    }

    /// Decode one line, appending its JSON (if any) to the internal buffer.
    /// Returns the error text for a rejected line.
    pub fn line(&mut self, line: &[u8]) -> Result<(), String> {
        self.long = None;
        if line.len() > MAX_PRINTED_LEN
            && let Some(n) = crate::nmea::sentence_len(line)
            && n > MAX_PRINTED_LEN
        {
            self.long = Some(n);
        }
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
            Ok(Outcome::Other(s)) => {
                let r = self.presentation_sentence(&s);
                if r.is_err() {
                    self.pi_rejected += 1;
                }
                r
            }
            Ok(Outcome::Fragment) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// ABM, BBM, VSD, SSD, `$PIWWIVD`, `$PIWWSSD`: reported as what they
    /// are; other sentences (GNSS, ABK, TXT …) are passed over.
    fn presentation_sentence(&mut self, s: &Sentence<'_>) -> Result<(), String> {
        let kind = match (s.talker, s.formatter) {
            ("P", "IWWIVD") => "PIWWIVD",
            ("P", "IWWSSD") => "PIWWSSD",
            ("P", _) => return Ok(()),
            (_, f @ ("ABM" | "BBM" | "VSD" | "SSD")) => f,
            _ => return Ok(()),
        };
        self.presentation += 1;
        if self.opts.gpsd_compat {
            // gpsd decodes VDM/VDO only and prints nothing for these.
            return Ok(());
        }
        let fields = match kind {
            "ABM" | "BBM" => return self.binary_sentence(s, kind),
            "VSD" => vsd_fields(s)?,
            "SSD" => ssd_fields(s)?,
            "PIWWIVD" => ivd_fields(s)?,
            _ => issd_fields(s)?,
        };
        let mut obj = Map::new();
        obj.insert("class".into(), kind.into());
        if s.talker != "P" {
            obj.insert("talker".into(), s.talker.into());
        }
        obj.extend(fields);
        // Writing JSON into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut self.buf, &Value::Object(obj));
        self.buf.push(b'\n');
        Ok(())
    }

    /// One ABM/BBM sentence; the AIS message when its last one is in.
    fn binary_sentence(&mut self, s: &Sentence<'_>, kind: &str) -> Result<(), String> {
        let f = pi::parse_binary(s).map_err(|e| format!("{kind}: {e}"))?;
        let (id, allowed) = if kind == "ABM" {
            (f.msg_id, [6, 12])
        } else {
            (f.msg_id, [8, 14])
        };
        if !allowed.contains(&id) {
            return Err(format!(
                "{kind} carrying message {id}: only messages {} and {} are decoded from {kind}",
                allowed[0], allowed[1]
            ));
        }
        let Some(frags) = self.binary.push(f).map_err(|e| format!("{kind}: {e}"))? else {
            return Ok(());
        };
        // The transponder sends the message as its own ship, whose MMSI
        // the sentence does not carry: 0 (docs/interpretations.md).
        let payload = as_transmitted(0, &frags)
            .ok_or_else(|| format!("{kind}: the data does not join into whole characters"))?;
        let msg = crate::ais::decode(&payload)
            .map_err(|e| format!("{kind} carrying message {id}: {e}"))?;
        self.pi_messages += 1;
        json::write_message(&mut self.buf, &msg, self.opts);
        if self.buf.last() == Some(&b'}') {
            self.buf.pop();
            self.buf.extend_from_slice(b",\"sentence\":\"");
            self.buf.extend_from_slice(kind.as_bytes());
            self.buf.extend_from_slice(b"\"}");
        }
        self.buf.push(b'\n');
        Ok(())
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
                    if let Some(n) = self.long.take() {
                        self.long_sentences += 1;
                        writeln!(
                            err,
                            "{name}:{line_no}: over-long sentence: {n} characters ({} with CR LF), IEC 61162-1 allows {}; decoded all the same",
                            n + 2,
                            crate::nmea::MAX_WIRE_LEN
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
            messages: s.messages + self.pi_messages,
            rejected: s.rejected + self.overlong + self.pi_rejected,
            overlong: self.overlong,
            incomplete: r.expired + r.abandoned + self.binary.abandoned,
            tag_blocks_ignored: s.tag_blocks_ignored,
            long_sentences: self.long_sentences,
            presentation: self.presentation,
        }
    }
}

/// A numeric field: empty (NULL, "unchanged") is `None`; anything that is
/// not such a number is refused with the field's name.
fn number<T: std::str::FromStr>(
    kind: &str,
    name: &str,
    v: Option<&str>,
) -> Result<Option<T>, String> {
    match v.unwrap_or("") {
        "" => Ok(None),
        t => t
            .parse()
            .map(Some)
            .map_err(|_| format!("{kind} field {name} is {t:?}, not a number in range")),
    }
}

/// A six-bit text field: empty is `None` (unchanged); `@` pads it, so an
/// all-`@` field reads as "" (not available).
fn text(v: Option<&str>) -> Option<String> {
    match v.unwrap_or("") {
        "" => None,
        t => Some(t.trim_end_matches('@').trim_end().to_string()),
    }
}

fn put<T: Into<Value>>(m: &mut Map<String, Value>, k: &str, v: Option<T>) {
    if let Some(v) = v {
        m.insert(k.into(), v.into());
    }
}

/// VSD (IEC 61162-1): ship type, draught, persons, destination, ETA time,
/// day, month, navigational status, regional flags.
fn vsd_fields(s: &Sentence<'_>) -> Result<Map<String, Value>, String> {
    let mut f = s.fields();
    let mut m = Map::new();
    put(
        &mut m,
        "shiptype",
        number::<u8>("VSD", "ship type", f.next())?,
    );
    let draught = number::<f64>("VSD", "draught", f.next())?;
    if let Some(d) = draught.filter(|d| !d.is_finite()) {
        return Err(format!("VSD field draught is {d}, not a number in range"));
    }
    put(&mut m, "draught", draught);
    put(
        &mut m,
        "persons",
        number::<u16>("VSD", "persons", f.next())?,
    );
    put(&mut m, "destination", text(f.next()));
    let eta = f.next().unwrap_or("");
    if !eta.is_empty() {
        if !eta.bytes().all(|b| b.is_ascii_digit() || b == b'.') || eta.len() < 6 {
            return Err(format!("VSD field ETA time is {eta:?}, not hhmmss"));
        }
        m.insert("eta_time".into(), eta.into());
    }
    put(&mut m, "eta_day", number::<u8>("VSD", "ETA day", f.next())?);
    put(
        &mut m,
        "eta_month",
        number::<u8>("VSD", "ETA month", f.next())?,
    );
    put(
        &mut m,
        "status",
        number::<u8>("VSD", "navigational status", f.next())?,
    );
    put(
        &mut m,
        "regional",
        number::<u8>("VSD", "regional flags", f.next())?,
    );
    Ok(m)
}

/// SSD (IEC 61162-1): call sign, name, reference point A B C D, DTE,
/// source of the reference point.
fn ssd_fields(s: &Sentence<'_>) -> Result<Map<String, Value>, String> {
    let mut f = s.fields();
    let mut m = Map::new();
    put(&mut m, "callsign", text(f.next()));
    put(&mut m, "shipname", text(f.next()));
    put(&mut m, "to_bow", number::<u16>("SSD", "A", f.next())?);
    put(&mut m, "to_stern", number::<u16>("SSD", "B", f.next())?);
    put(&mut m, "to_port", number::<u16>("SSD", "C", f.next())?);
    put(&mut m, "to_starboard", number::<u16>("SSD", "D", f.next())?);
    put(&mut m, "dte", number::<u8>("SSD", "DTE", f.next())?);
    put(&mut m, "source", f.next().filter(|v| !v.is_empty()));
    Ok(m)
}

/// Metres from 1/100 m or 1/10 m.
fn metres(v: Option<u16>, per_metre: f64) -> Option<f64> {
    v.map(|v| f64::from(v) / per_metre)
}

/// `$PIWWIVD` (Inland AIS Annex D), read as the console's builder writes it.
fn ivd_fields(s: &Sentence<'_>) -> Result<Map<String, Value>, String> {
    let d = InlandVoyageData::parse(s.text).map_err(|e| format!("$PIWWIVD: {e}"))?;
    let mut m = Map::new();
    put(&mut m, "reporting_rate", d.reporting_rate);
    put(&mut m, "blue_cones", d.blue_cones);
    put(&mut m, "loaded", d.loaded);
    put(&mut m, "draught", metres(d.draught, 100.0));
    put(&mut m, "air_draught", metres(d.air_draught, 100.0));
    put(&mut m, "tugs", d.tugs);
    put(&mut m, "crew", d.crew);
    put(&mut m, "passengers", d.passengers);
    put(&mut m, "personnel", d.personnel);
    let [bow, stern, port, stbd] = d.convoy;
    put(&mut m, "convoy_bow", metres(bow, 10.0));
    put(&mut m, "convoy_stern", metres(stern, 10.0));
    put(&mut m, "convoy_port", metres(port, 10.0));
    put(&mut m, "convoy_starboard", metres(stbd, 10.0));
    Ok(m)
}

/// `$PIWWSSD` (Inland AIS Annex D).
fn issd_fields(s: &Sentence<'_>) -> Result<Map<String, Value>, String> {
    let d = InlandStaticData::parse(s.text).map_err(|e| format!("$PIWWSSD: {e}"))?;
    let mut m = Map::new();
    put(&mut m, "eni", d.eni);
    put(&mut m, "eri_type", d.eri_type);
    put(&mut m, "length", metres(d.length, 10.0));
    put(&mut m, "beam", metres(d.beam, 10.0));
    let [speed, course, heading] = d.quality;
    put(&mut m, "speed_q", speed);
    put(&mut m, "course_q", course);
    put(&mut m, "heading_q", heading);
    put(&mut m, "internal_gnss_b", metres(d.internal[0], 10.0));
    put(&mut m, "internal_gnss_c", metres(d.internal[1], 10.0));
    put(&mut m, "external_gnss_b", metres(d.external[0], 10.0));
    put(&mut m, "external_gnss_c", metres(d.external[1], 10.0));
    Ok(m)
}
