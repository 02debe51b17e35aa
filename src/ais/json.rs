//! gpsd-compatible JSON for decoded AIS messages (`gpsdecode -j`, or `-u -j`
//! with `scaled = false`): gpsd's field names, order, units and
//! not-available conventions, so tools written for gpsd read our output.
//!
//! Hand-written rather than serde: it is the hot path of `decode` (the brief
//! asks for a million sentences a second), it writes into one reused buffer,
//! and fixed-point numbers are printed from the raw integers exactly (no
//! float round trip) where gpsd prints them with `%.Nf`.

use super::application::{AddressedApp, BroadcastApp, DayTime, MetHydro};
use super::legends;
use super::messages::{AisMessage, Body, Dimensions, StaticDataReport};
use crate::nmea::armour::BitData;

/// Appends JSON members to a buffer.
pub struct JsonWriter<'a> {
    out: &'a mut Vec<u8>,
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl<'a> JsonWriter<'a> {
    /// Start an object in `out`.
    pub fn begin(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        JsonWriter { out }
    }

    fn key(&mut self, k: &str) {
        if self.out.last() != Some(&b'{') && self.out.last() != Some(&b'[') {
            self.out.push(b',');
        }
        self.out.push(b'"');
        self.out.extend_from_slice(k.as_bytes());
        self.out.extend_from_slice(b"\":");
    }

    fn raw_int(&mut self, v: i64) {
        if v < 0 {
            self.out.push(b'-');
        }
        let mut n = v.unsigned_abs();
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        loop {
            i -= 1;
            tmp[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.out.extend_from_slice(&tmp[i..]);
    }

    /// `"k":123`
    pub fn int(&mut self, k: &str, v: impl Into<i64>) -> &mut Self {
        self.key(k);
        self.raw_int(v.into());
        self
    }

    /// `"k":true`
    pub fn bool(&mut self, k: &str, v: bool) -> &mut Self {
        self.key(k);
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        self
    }

    fn raw_str(&mut self, s: &str) {
        self.out.push(b'"');
        for &b in s.as_bytes() {
            match b {
                b'"' => self.out.extend_from_slice(b"\\\""),
                b'\\' => self.out.extend_from_slice(b"\\\\"),
                0..=0x1f | 0x7f => {
                    self.out.extend_from_slice(b"\\u00");
                    self.out.push(HEX[usize::from(b >> 4)]);
                    self.out.push(HEX[usize::from(b & 15)]);
                }
                _ => self.out.push(b),
            }
        }
        self.out.push(b'"');
    }

    /// `"k":"text"` with JSON escaping.
    pub fn str(&mut self, k: &str, v: &str) -> &mut Self {
        self.key(k);
        self.raw_str(v);
        self
    }

    fn raw_fixed(&mut self, raw: i64, div: i64, decimals: u32) {
        // raw/div rounded half away from zero to `decimals` places, exactly.
        let scale = 10i64.pow(decimals);
        let num = i128::from(raw) * i128::from(scale);
        let d = i128::from(div);
        let mut q = num / d;
        let r = num % d;
        if 2 * r.abs() >= d {
            q += num.signum();
        }
        if q < 0 || (q == 0 && num < 0) {
            self.out.push(b'-');
        }
        let q = q.unsigned_abs();
        let scale = scale as u128;
        self.raw_int((q / scale) as i64);
        if decimals > 0 {
            self.out.push(b'.');
            let mut frac = q % scale;
            let mut digits = [b'0'; 20];
            let n = decimals as usize;
            for d in digits[..n].iter_mut().rev() {
                *d = b'0' + (frac % 10) as u8;
                frac /= 10;
            }
            self.out.extend_from_slice(&digits[..n]);
        }
    }

    /// `"k":12.3` — `raw / div` printed with `decimals` places, computed from
    /// integers (exactly what `printf("%.Nf", raw / div)` gives where the
    /// quotient is never a tie, as for every scale used here).
    pub fn fixed(&mut self, k: &str, raw: i64, div: i64, decimals: u32) -> &mut Self {
        self.key(k);
        self.raw_fixed(raw, div, decimals);
        self
    }

    /// `"k":"12.300000"` — gpsd prints some coordinates as strings.
    pub fn fixed_str(&mut self, k: &str, raw: i64, div: i64, decimals: u32) -> &mut Self {
        self.key(k);
        self.out.push(b'"');
        self.raw_fixed(raw, div, decimals);
        self.out.push(b'"');
        self
    }

    /// `"k":1.05` from a float, `{:.N}` formatting (ties as printf: exact
    /// binary value, half to even).
    pub fn float(&mut self, k: &str, v: f64, decimals: usize) -> &mut Self {
        self.key(k);
        let s = format!("{v:.decimals$}");
        self.out.extend_from_slice(s.as_bytes());
        self
    }

    /// `"k":"48:eb2f11"` — bit count and hex dump, gpsd's raw data form.
    pub fn data(&mut self, k: &str, d: &BitData) -> &mut Self {
        self.data_with_padding(k, d, 0)
    }

    /// Binary data as gpsd's `"bits:hex"`, with `padding` OR-ed into the
    /// unused low bits of the last byte (zero for a clean record).
    pub fn data_with_padding(&mut self, k: &str, d: &BitData, padding: u8) -> &mut Self {
        self.key(k);
        self.out.push(b'"');
        self.raw_int(d.bit_len() as i64);
        self.out.push(b':');
        let bytes = d.bytes();
        let pad_mask = ((1u16 << ((8 - d.bit_len() % 8) % 8)) - 1) as u8;
        for (i, &b) in bytes.iter().enumerate() {
            let b = if i + 1 == bytes.len() {
                b | (padding & pad_mask)
            } else {
                b
            };
            self.out.push(HEX[usize::from(b >> 4)]);
            self.out.push(HEX[usize::from(b & 15)]);
        }
        self.out.push(b'"');
        self
    }

    /// Open a nested array member.
    pub fn array(&mut self, k: &str) -> &mut Self {
        self.key(k);
        self.out.push(b'[');
        self
    }

    /// Open an object inside an array.
    pub fn item(&mut self) -> &mut Self {
        if self.out.last() != Some(&b'[') {
            self.out.push(b',');
        }
        self.out.push(b'{');
        self
    }

    /// Close an object or array.
    pub fn close(&mut self, c: u8) -> &mut Self {
        self.out.push(c);
        self
    }

    /// Finish the top-level object.
    pub fn end(self) {
        self.out.push(b'}');
    }
}

fn day_time(w: &mut JsonWriter<'_>, k: &str, t: &DayTime) {
    // gpsd: "%02u-%02uT%02u:%02uZ"
    let s = format!("{:02}-{:02}T{:02}:{:02}Z", t.month, t.day, t.hour, t.minute);
    w.str(k, &s);
}

fn dims(w: &mut JsonWriter<'_>, d: &Dimensions) {
    w.int("to_bow", d.to_bow)
        .int("to_stern", d.to_stern)
        .int("to_port", d.to_port)
        .int("to_starboard", d.to_starboard);
}

/// How a record is written: gpsd's scaled or unscaled units, and whether to
/// reproduce gpsd's known departures from the standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// gpsd's scaled units (degrees, knots, legends); false = raw integers.
    pub scaled: bool,
    /// Print what `gpsdecode` prints where gpsd contradicts the standard
    /// (docs/gpsd-differences.md): its legends for FI 10 `loaded_text` and
    /// `shiptype_text`, FI 23 `class_text` and `start`, FI 40
    /// `status_text`, and message 26 with `radio` 0 and the unmasked last
    /// data byte. Never changes another numeric field.
    pub gpsd_compat: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            scaled: true,
            gpsd_compat: false,
        }
    }
}

/// Degrees from 1/10 000 min with 7 decimals (gpsd ≥ 3.25).
const LATLON: i64 = 600_000;

/// Append one message as a gpsd JSON object (no newline).
pub fn write_message(out: &mut Vec<u8>, m: &AisMessage, style: Style) {
    let scaled = style.scaled;
    let mut w = JsonWriter::begin(out);
    w.str("class", "AIS")
        .int("type", m.msg_type)
        .int("repeat", m.repeat)
        .int("mmsi", m.mmsi)
        .bool("scaled", scaled);
    let pos = |w: &mut JsonWriter<'_>, lon: i32, lat: i32| {
        if scaled {
            w.fixed("lon", lon.into(), LATLON, 7)
                .fixed("lat", lat.into(), LATLON, 7);
        } else {
            w.int("lon", lon).int("lat", lat);
        }
    };
    let tenths = |w: &mut JsonWriter<'_>, k: &str, v: u16| {
        if scaled {
            w.fixed(k, v.into(), 10, 1);
        } else {
            w.int(k, v);
        }
    };
    match &m.body {
        Body::Position(r) => {
            w.int("status", r.status)
                .str("status_text", legends::nav_status(r.status));
            if scaled {
                match r.turn {
                    -128 => w.str("turn", "n/a"),
                    -127 => w.str("turn", "fastleft"),
                    127 => w.str("turn", "fastright"),
                    t => {
                        // M.1371-5 table 45: ROT_AIS = 4.733 √ROT_sensor.
                        let rot = (f64::from(t) / 4.733).powi(2) * f64::from(t).signum();
                        let s = format!("{rot:.2}");
                        w.str("turn", &s)
                    }
                };
                match r.speed {
                    1023 => w.str("speed", "n/a"),
                    1022 => w.str("speed", "fast"),
                    v => w.fixed("speed", v.into(), 10, 1),
                };
            } else {
                w.int("turn", r.turn).int("speed", r.speed);
            }
            w.bool("accuracy", r.accuracy);
            pos(&mut w, r.lon, r.lat);
            tenths(&mut w, "course", r.course);
            w.int("heading", r.heading)
                .int("second", r.second)
                .int("maneuver", r.maneuver)
                .bool("raim", r.raim)
                .int("radio", r.radio);
        }
        Body::BaseStation(r) => {
            let ts = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                r.year, r.month, r.day, r.hour, r.minute, r.second
            );
            w.str("timestamp", &ts).bool("accuracy", r.accuracy);
            pos(&mut w, r.lon, r.lat);
            w.int("epfd", r.epfd)
                .str("epfd_text", legends::epfd(r.epfd))
                .bool("raim", r.raim)
                .int("radio", r.radio);
        }
        Body::StaticVoyage(r) => {
            w.int("imo", r.imo)
                .int("ais_version", r.ais_version)
                .str("callsign", r.callsign.as_str())
                .str("shipname", r.shipname.as_str())
                .int("shiptype", r.shiptype)
                .str("shiptype_text", legends::ship_type(r.shiptype));
            dims(&mut w, &r.dim);
            w.int("epfd", r.epfd)
                .str("epfd_text", legends::epfd(r.epfd));
            day_time(
                &mut w,
                "eta",
                &DayTime {
                    month: r.month,
                    day: r.day,
                    hour: r.hour,
                    minute: r.minute,
                },
            );
            tenths(&mut w, "draught", r.draught.into());
            w.str("destination", r.destination.as_str())
                .int("dte", u8::from(r.dte));
        }
        Body::AddressedBinary(b) => {
            w.int("seqno", b.seqno)
                .int("dest_mmsi", b.dest_mmsi)
                .bool("retransmit", b.retransmit)
                .int("dac", b.dac)
                .int("fid", b.fid);
            addressed_app(&mut w, &b.app, scaled);
        }
        Body::Acknowledge(a) => {
            w.int("mmsi1", a.acks[0].0)
                .int("mmsi2", a.acks[1].0)
                .int("mmsi3", a.acks[2].0)
                .int("mmsi4", a.acks[3].0);
        }
        Body::BroadcastBinary(b) => {
            w.int("dac", b.dac).int("fid", b.fid);
            broadcast_app(&mut w, &b.app, style);
        }
        Body::SarAircraft(r) => {
            if scaled {
                match r.alt {
                    4095 => w.str("alt", "n/a"),
                    4094 => w.str("alt", "high"),
                    a => w.int("alt", a),
                };
                match r.speed {
                    1023 => w.str("speed", "n/a"),
                    1022 => w.str("speed", "fast"),
                    s => w.int("speed", s),
                };
            } else {
                w.int("alt", r.alt).int("speed", r.speed);
            }
            w.bool("accuracy", r.accuracy);
            pos(&mut w, r.lon, r.lat);
            tenths(&mut w, "course", r.course);
            w.int("second", r.second)
                .int("regional", r.regional)
                .int("dte", u8::from(r.dte))
                .bool("raim", r.raim)
                .int("radio", r.radio);
        }
        Body::UtcInquiry { dest_mmsi } => {
            w.int("dest_mmsi", *dest_mmsi);
        }
        Body::SafetyAddressed(s) => {
            w.int("seqno", s.seqno)
                .int("dest_mmsi", s.dest_mmsi)
                .bool("retransmit", s.retransmit)
                .str("text", s.text.as_str());
        }
        Body::SafetyBroadcast { text } => {
            w.str("text", text.as_str());
        }
        Body::Interrogation(q) => {
            w.int("mmsi1", q.mmsi1)
                .int("type1_1", q.type1_1)
                .int("offset1_1", q.offset1_1)
                .int("type1_2", q.type1_2)
                .int("offset1_2", q.offset1_2)
                .int("mmsi2", q.mmsi2)
                .int("type2_1", q.type2_1)
                .int("offset2_1", q.offset2_1);
        }
        Body::AssignedMode(a) => {
            w.int("mmsi1", a.mmsi1)
                .int("offset1", a.offset1)
                .int("increment1", a.increment1)
                .int("mmsi2", a.mmsi2)
                .int("offset2", a.offset2)
                .int("increment2", a.increment2);
        }
        Body::Dgnss(d) => {
            if scaled {
                w.fixed("lon", d.lon.into(), 600, 1)
                    .fixed("lat", d.lat.into(), 600, 1);
            } else {
                w.int("lon", d.lon).int("lat", d.lat);
            }
            w.data("data", &d.data);
        }
        Body::ClassB(r) => {
            w.int("reserved", r.reserved);
            tenths(&mut w, "speed", r.speed);
            w.bool("accuracy", r.accuracy);
            pos(&mut w, r.lon, r.lat);
            tenths(&mut w, "course", r.course);
            w.int("heading", r.heading)
                .int("second", r.second)
                .int("regional", r.regional)
                .bool("cs", r.cs)
                .bool("display", r.display)
                .bool("dsc", r.dsc)
                .bool("band", r.band)
                .bool("msg22", r.msg22)
                .bool("raim", r.raim)
                .int("radio", r.radio);
        }
        Body::ClassBExtended(r) => {
            w.int("reserved", r.reserved);
            tenths(&mut w, "speed", r.speed);
            w.bool("accuracy", r.accuracy);
            pos(&mut w, r.lon, r.lat);
            tenths(&mut w, "course", r.course);
            w.int("heading", r.heading)
                .int("second", r.second)
                .int("regional", r.regional)
                .str("shipname", r.shipname.as_str())
                .int("shiptype", r.shiptype)
                .str("shiptype_text", legends::ship_type(r.shiptype));
            dims(&mut w, &r.dim);
            w.int("epfd", r.epfd)
                .str("epfd_text", legends::epfd(r.epfd))
                .bool("raim", r.raim)
                .int("dte", u8::from(r.dte))
                .bool("assigned", r.assigned);
        }
        Body::DataLink(d) => {
            for (i, r) in d.reservations.iter().enumerate() {
                let n = ["1", "2", "3", "4"][i];
                w.int(&format!("offset{n}"), r.offset)
                    .int(&format!("number{n}"), r.number)
                    .int(&format!("timeout{n}"), r.timeout)
                    .int(&format!("increment{n}"), r.increment);
            }
        }
        Body::AidToNavigation(a) => {
            w.int("aid_type", a.aid_type)
                .str("aid_type_text", legends::aid_type(a.aid_type))
                .str("name", a.name.as_str());
            pos(&mut w, a.lon, a.lat);
            w.bool("accuracy", a.accuracy);
            dims(&mut w, &a.dim);
            w.int("epfd", a.epfd)
                .str("epfd_text", legends::epfd(a.epfd))
                .int("second", a.second)
                .int("regional", a.regional)
                .bool("off_position", a.off_position)
                .bool("raim", a.raim)
                .bool("virtual_aid", a.virtual_aid);
        }
        Body::ChannelManagement(c) => {
            w.int("channel_a", c.channel_a)
                .int("channel_b", c.channel_b)
                .int("txrx", c.txrx)
                .bool("power", c.power);
            if c.addressed {
                w.int("dest1", c.dest1).int("dest2", c.dest2);
            } else if scaled {
                w.fixed_str("ne_lon", c.ne_lon.into(), 600, 6)
                    .fixed_str("ne_lat", c.ne_lat.into(), 600, 6)
                    .fixed_str("sw_lon", c.sw_lon.into(), 600, 6)
                    .fixed_str("sw_lat", c.sw_lat.into(), 600, 6);
            } else {
                w.int("ne_lon", c.ne_lon)
                    .int("ne_lat", c.ne_lat)
                    .int("sw_lon", c.sw_lon)
                    .int("sw_lat", c.sw_lat);
            }
            w.bool("addressed", c.addressed)
                .bool("band_a", c.band_a)
                .bool("band_b", c.band_b)
                .int("zonesize", c.zonesize);
        }
        Body::GroupAssignment(g) => {
            if scaled {
                w.fixed_str("ne_lon", g.ne_lon.into(), 600, 6)
                    .fixed_str("ne_lat", g.ne_lat.into(), 600, 6)
                    .fixed_str("sw_lon", g.sw_lon.into(), 600, 6)
                    .fixed_str("sw_lat", g.sw_lat.into(), 600, 6);
            } else {
                w.int("ne_lon", g.ne_lon)
                    .int("ne_lat", g.ne_lat)
                    .int("sw_lon", g.sw_lon)
                    .int("sw_lat", g.sw_lat);
            }
            w.int("stationtype", g.stationtype)
                .str("stationtype_text", legends::station_type(g.stationtype))
                .int("shiptype", g.shiptype)
                .str("shiptype_text", legends::ship_type(g.shiptype))
                .int("interval", g.interval)
                .int("quiet", g.quiet);
        }
        Body::StaticData(s) => static_data(&mut w, s, None),
        Body::SlotBinary(b) => {
            w.bool("addressed", b.addressed)
                .bool("structured", b.structured)
                .int("dest_mmsi", b.dest_mmsi)
                .int("app_id", b.app_id);
            if m.msg_type == 26 && style.gpsd_compat {
                // gpsd never reads the communication state, and it copies
                // whole bytes: from bit 40 (+16 if structured) up to the byte
                // holding the last data bit, then shifts an addressed
                // message's destination MMSI out. The padding of the last
                // byte therefore holds as many leading bits of the
                // communication state as that copy took in, then zeros.
                let bits = b.data.bit_len();
                let pad = (8 - bits % 8) % 8;
                let window = bits + if b.addressed { 30 } else { 0 };
                let taken = pad.min((8 - window % 8) % 8);
                let follow = ((b.radio >> (20 - taken)) << (pad - taken)) as u8;
                w.data_with_padding("data", &b.data, follow).int("radio", 0);
            } else {
                w.data("data", &b.data);
                if m.msg_type == 26 {
                    w.int("radio", b.radio);
                }
            }
        }
        Body::LongRange(r) => {
            w.int("status", r.status);
            if scaled {
                w.str("status_text", legends::nav_status(r.status));
            }
            w.bool("accuracy", r.accuracy);
            if scaled {
                w.fixed("lon", r.lon.into(), 600, 4)
                    .fixed("lat", r.lat.into(), 600, 4);
            } else {
                w.int("lon", r.lon).int("lat", r.lat);
            }
            w.int("speed", r.speed)
                .int("course", r.course)
                .bool("raim", r.raim)
                .bool("gnss", r.gnss);
        }
    }
    w.end();
}

/// Message 24 as gpsd prints it; `merged_name` is the part A name joined to
/// a part B (gpsd reports a 24A+24B pair as one record).
fn static_data(w: &mut JsonWriter<'_>, s: &StaticDataReport, merged_name: Option<&str>) {
    match s {
        StaticDataReport::PartA { shipname } => {
            w.str("shipname", shipname.as_str());
        }
        StaticDataReport::PartB {
            shiptype,
            vendorid,
            model,
            serial,
            callsign,
            dim,
            mothership_mmsi,
        } => {
            if let Some(name) = merged_name {
                w.str("shipname", name);
            }
            w.int("shiptype", *shiptype)
                .str("shiptype_text", legends::ship_type(*shiptype))
                .str("vendorid", vendorid.as_str())
                .int("model", *model)
                .int("serial", *serial)
                .str("callsign", callsign.as_str());
            match mothership_mmsi {
                Some(mm) => {
                    w.int("mothership_mmsi", *mm);
                }
                None => dims(w, dim),
            }
        }
    }
}

/// Append a merged 24A+24B record.
pub fn write_type24_merged(
    out: &mut Vec<u8>,
    m: &AisMessage,
    part_b: &StaticDataReport,
    shipname: &str,
    style: Style,
) {
    let mut w = JsonWriter::begin(out);
    w.str("class", "AIS")
        .int("type", m.msg_type)
        .int("repeat", m.repeat)
        .int("mmsi", m.mmsi)
        .bool("scaled", style.scaled);
    static_data(&mut w, part_b, Some(shipname));
    w.end();
}

fn inland_location(w: &mut JsonWriter<'_>, l: &super::application::InlandLocation) {
    w.str("country", l.country.as_str())
        .str("locode", l.locode.as_str())
        .str("section", l.section.as_str())
        .str("terminal", l.terminal.as_str())
        .str("hectometre", l.hectometre.as_str());
}

fn addressed_app(w: &mut JsonWriter<'_>, app: &AddressedApp, scaled: bool) {
    match app {
        AddressedApp::Raw(d) => {
            w.data("data", d);
        }
        AddressedApp::InlandEta(e) => {
            inland_location(w, &e.location);
            let eta = format!(
                "{}-{}T{}:{}",
                e.eta.month, e.eta.day, e.eta.hour, e.eta.minute
            );
            w.str("eta", &eta)
                .int("tugs", e.tugs)
                .int("airdraught", e.air_draught);
        }
        AddressedApp::InlandRta(r) => {
            inland_location(w, &r.location);
            let eta = format!(
                "{}-{}T{}:{}",
                r.rta.month, r.rta.day, r.rta.hour, r.rta.minute
            );
            w.str("eta", &eta)
                .int("status", r.status)
                .str("status_text", legends::rta_status(r.status));
        }
        AddressedApp::InlandPersons(p) => {
            w.int("crew", p.crew)
                .int("passengers", p.passengers)
                .int("personnel", p.personnel);
        }
        AddressedApp::AtonMonitoring(a) => {
            w.bool("off_pos", a.off_pos)
                .bool("alarm", a.alarm)
                .int("stat_ext", a.stat_ext);
            // gpsd prints a zero analogue value unscaled even in scaled mode.
            for (k, v) in [
                ("ana_int", a.ana_int),
                ("ana_ext1", a.ana_ext1),
                ("ana_ext2", a.ana_ext2),
            ] {
                if scaled && v != 0 {
                    w.fixed(k, i64::from(v) * 5, 100, 2);
                } else {
                    w.int(k, v);
                }
            }
            w.int("racon", a.racon)
                .str("racon_text", legends::racon(a.racon))
                .int("light", a.light)
                .str("light_text", legends::light(a.light));
        }
        AddressedApp::DangerousCargo(d) => {
            w.str("lastport", d.lastport.as_str());
            day_time(w, "departure", &d.departure);
            w.str("nextport", d.nextport.as_str());
            day_time(w, "eta", &d.eta);
            w.str("dangerous", d.dangerous.as_str())
                .str("imdcat", d.imdcat.as_str())
                .int("unid", d.unid)
                .int("amount", d.amount)
                .int("unit", d.unit);
        }
        AddressedApp::TidalWindows { tidal, .. } => {
            w.int("month", tidal.month).int("day", tidal.day);
            w.array("tidals");
            for t in &tidal.windows {
                w.item();
                if scaled {
                    w.float("lon", f64::from(t.lon) / 60000.0, 6).float(
                        "lat",
                        f64::from(t.lat) / 60000.0,
                        6,
                    );
                } else {
                    w.int("lon", t.lon).int("lat", t.lat);
                }
                w.int("from_hour", t.from_hour)
                    .int("from_min", t.from_min)
                    .int("to_hour", t.to_hour)
                    .int("to_min", t.to_min)
                    .int("cdir", t.cdir);
                if scaled {
                    w.fixed("cspeed", t.cspeed.into(), 10, 1);
                } else {
                    w.int("cspeed", t.cspeed);
                }
                w.close(b'}');
            }
            w.close(b']');
        }
        AddressedApp::ClearanceTime(c) => {
            w.int("linkage", c.linkage);
            day_time(w, "arrival", &c.time);
            w.str("portname", c.portname.as_str())
                .str("destination", c.destination.as_str());
            if scaled {
                w.float("lon", f64::from(c.lon) / 60000.0, 6).float(
                    "lat",
                    f64::from(c.lat) / 60000.0,
                    6,
                );
            } else {
                w.int("lon", c.lon).int("lat", c.lat);
            }
        }
        AddressedApp::Text { linkage, text } => {
            w.int("linkage", *linkage).str("text", text.as_str());
        }
    }
}

fn met_hydro(w: &mut JsonWriter<'_>, d: &MetHydro, imo236: bool, scaled: bool) {
    if scaled {
        w.float("lat", f64::from(d.lat) / 60000.0, 6)
            .float("lon", f64::from(d.lon) / 60000.0, 6);
    } else {
        w.int("lat", d.lat).int("lon", d.lon);
    }
    if !imo236 {
        w.bool("accuracy", d.accuracy);
    }
    let ts = format!("{:02}T{:02}:{:02}Z", d.day, d.hour, d.minute);
    w.str("timestamp", &ts)
        .int("wspeed", d.wspeed)
        .int("wgust", d.wgust)
        .int("wdir", d.wdir)
        .int("wgustdir", d.wgustdir)
        .int("humidity", d.humidity);
    if !scaled {
        w.int("airtemp", d.airtemp)
            .int("dewpoint", d.dewpoint)
            .int("pressure", d.pressure)
            .int("pressuretend", d.pressuretend);
        if !imo236 {
            w.bool("visgreater", d.visgreater);
        }
        w.int("visibility", d.visibility)
            .int("waterlevel", d.waterlevel)
            .int("leveltrend", d.leveltrend);
    } else if imo236 {
        // SN/Circ.236: air temperature −60.0…+60.0 °C in 0.1 °C from −60,
        // dew point from −20, pressure 800 hPa + value, water level from −10 m.
        w.fixed("airtemp", i64::from(d.airtemp) - 600, 10, 1)
            .fixed("dewpoint", i64::from(d.dewpoint) - 200, 10, 1)
            .int("pressure", i64::from(d.pressure) + 800)
            .str("pressuretend", legends::trend(d.pressuretend))
            .fixed("visibility", d.visibility.into(), 10, 1)
            .fixed("waterlevel", i64::from(d.waterlevel) - 100, 10, 1)
            .str("leveltrend", legends::trend(d.leveltrend));
    } else {
        // SN.1/Circ.289: signed temperatures in 0.1 °C, pressure
        // 799 hPa + value, water level (value − 1000)/100 m.
        w.fixed("airtemp", d.airtemp.into(), 10, 1)
            .fixed("dewpoint", d.dewpoint.into(), 10, 1)
            .int("pressure", i64::from(d.pressure) + 799)
            .str("pressuretend", legends::trend(d.pressuretend))
            .bool("visgreater", d.visgreater)
            .fixed("visibility", d.visibility.into(), 10, 1)
            .float("waterlevel", (f64::from(d.waterlevel) - 1000.0) / 100.0, 1)
            .str("leveltrend", legends::trend(d.leveltrend));
    }
    let tenth = |w: &mut JsonWriter<'_>, k: &str, v: i64| {
        if scaled {
            w.fixed(k, v, 10, 1);
        } else {
            w.int(k, v);
        }
    };
    tenth(w, "cspeed", d.cspeed.into());
    w.int("cdir", d.cdir);
    tenth(w, "cspeed2", d.cspeed2.into());
    w.int("cdir2", d.cdir2).int("cdepth2", d.cdepth2);
    tenth(w, "cspeed3", d.cspeed3.into());
    w.int("cdir3", d.cdir3).int("cdepth3", d.cdepth3);
    tenth(w, "waveheight", d.waveheight.into());
    w.int("waveperiod", d.waveperiod).int("wavedir", d.wavedir);
    tenth(w, "swellheight", d.swellheight.into());
    w.int("swellperiod", d.swellperiod)
        .int("swelldir", d.swelldir)
        .int("seastate", d.seastate);
    if scaled {
        let t = if imo236 {
            i64::from(d.watertemp) - 100
        } else {
            d.watertemp.into()
        };
        w.fixed("watertemp", t, 10, 1);
    } else {
        w.int("watertemp", d.watertemp);
    }
    if imo236 || !scaled {
        w.int("preciptype", d.preciptype);
        if imo236 {
            w.str("preciptype_text", legends::precip(d.preciptype));
        }
    } else {
        w.str("preciptype", legends::precip(d.preciptype));
    }
    tenth(w, "salinity", d.salinity.into());
    if imo236 || !scaled {
        w.int("ice", d.ice);
        if imo236 {
            w.str("ice_text", legends::ice(d.ice));
        }
    } else {
        w.str("ice", legends::ice(d.ice));
    }
}

fn broadcast_app(w: &mut JsonWriter<'_>, app: &BroadcastApp, style: Style) {
    let scaled = style.scaled;
    match app {
        BroadcastApp::Raw(d) => {
            w.data("data", d);
        }
        BroadcastApp::MetHydro { imo236, data } => met_hydro(w, data, *imo236, scaled),
        BroadcastApp::InlandStatic(s) => {
            let (text, loaded) = if style.gpsd_compat {
                (
                    legends::gpsd_inland_ship_type(s.shiptype),
                    legends::gpsd_loaded(s.loaded),
                )
            } else {
                (
                    legends::eri_ship_type(s.shiptype).map_or("Illegal ship type value.", |e| e.0),
                    legends::loaded(s.loaded),
                )
            };
            w.str("vin", s.vin.as_str())
                .int("length", s.length)
                .int("beam", s.beam)
                .int("shiptype", s.shiptype)
                .str("shiptype_text", text)
                .int("hazard", s.hazard)
                .str("hazard_text", legends::hazard(s.hazard))
                .int("draught", s.draught)
                .int("loaded", s.loaded)
                .str("loaded_text", loaded)
                .bool("speed_q", s.speed_q)
                .bool("course_q", s.course_q)
                .bool("heading_q", s.heading_q);
        }
        BroadcastApp::EmmaWarning(e) => {
            // gpsd prints the start as year-month-hour-minute-day (its
            // arguments are out of order); --gpsd-compat keeps that.
            let (d, h, mi) = if style.gpsd_compat {
                (e.start_hour, e.start_minute, e.start_day)
            } else {
                (e.start_day, e.start_hour, e.start_minute)
            };
            let start = format!(
                "{:4}-{:02}-{:02}T{:02}:{:02}",
                u16::from(e.start_year) + 2000,
                e.start_month,
                d,
                h,
                mi
            );
            let end = format!(
                "{:4}-{:02}-{:02}T{:02}:{:02}",
                u16::from(e.end_year) + 2000,
                e.end_month,
                e.end_day,
                e.end_hour,
                e.end_minute
            );
            w.str("start", &start).str("end", &end);
            if scaled {
                w.fixed("start_lon", e.start_lon.into(), LATLON, 7)
                    .fixed("start_lat", e.start_lat.into(), LATLON, 7)
                    .fixed("end_lon", e.end_lon.into(), LATLON, 7)
                    .fixed("end_lat", e.end_lat.into(), LATLON, 7);
            } else {
                w.int("start_lon", e.start_lon)
                    .int("start_lat", e.start_lat)
                    .int("end_lon", e.end_lon)
                    .int("end_lat", e.end_lat);
            }
            w.int("type", e.kind)
                .str("type_text", legends::emma_type(e.kind));
            match e.min {
                Some(v) => w.int("min", v),
                None => w.str("min", "n/a"),
            };
            match e.max {
                Some(v) => w.int("max", v),
                None => w.str("max", "n/a"),
            };
            let class_text = if style.gpsd_compat {
                legends::gpsd_emma_class(e.intensity)
            } else {
                legends::emma_class(e.intensity)
            };
            w.int("class", e.intensity)
                .str("class_text", class_text)
                .int("wind", e.wind)
                .str("wind_text", legends::emma_wind(e.wind));
        }
        BroadcastApp::WaterLevels(l) => {
            w.str("country", l.country.as_str());
            w.array("gauges");
            for g in l.gauges.iter() {
                w.item();
                w.int("id", g.id);
                match g.level {
                    Some(v) if scaled => w.fixed("level", v.into(), 100, 2),
                    Some(v) => w.int("level", v),
                    None => w.str("level", "n/a"),
                };
                w.close(b'}');
            }
            w.close(b']');
        }
        BroadcastApp::SignalStatus(s) => {
            if scaled {
                w.fixed("lon", s.lon.into(), LATLON, 7)
                    .fixed("lat", s.lat.into(), LATLON, 7);
            } else {
                w.int("lon", s.lon).int("lat", s.lat);
            }
            w.int("form", s.form)
                .int("facing", s.facing)
                .int("direction", s.direction)
                .str("direction_text", legends::signal_direction(s.direction))
                .int("status", s.status);
            if style.gpsd_compat {
                w.str("status_text", legends::gpsd_signal_status(s.status));
            } else {
                w.str("status_text", &legends::signal_lights(s.status));
            }
        }
    }
}
