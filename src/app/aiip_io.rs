//! The AI-IP client's I/O, shared by the console and headless mode (like
//! [`desk_io`](super::desk_io)): the sans-I/O [`Client`] lives here, in the
//! app loop, beside the engine. The UDP socket is a link task
//! ([`crate::link::tasks::spawn_aiip`]); this module feeds the client own
//! ship's position (from the engine), the datagrams the link received and
//! the time, hands its datagrams to the link, and routes its events:
//! vessels into the traffic picture (`Engine::ingest_aiip`), RTAs to the
//! desk (as an RTA from the air), the rest to the status and the log. It
//! also keeps the chosen mode across restarts (`aiip_mode.json` in the data
//! directory), relays received vessels as `!AIVDM` sentences when
//! `[aiip] relay` is set, and sends the desk's ETA reports through the
//! server when there is no transponder.

use super::Config;
use super::desk_io::DeskIo;
use super::engine::Engine;
use super::own_data::{self, OwnData};
use crate::aiip::client::{
    Client, ClientEvent, ClientState, Mode, OwnPosition, OwnStatic, VesselKind,
};
use crate::clock::rfc3339;
use crate::link::InputSpec;
use crate::nmea::pi::{Abk, AckType};
use crate::traffic::alarm::AlarmId;
use crate::voyage::desk::WriteTag;
use crate::voyage::outbox::{Id, Item};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};
use std::path::PathBuf;
use tokio::sync::mpsc::Sender;

/// The file in the data directory that keeps the chosen mode and range.
pub const MODE_FILE: &str = "aiip_mode.json";

pub use crate::voyage::desk::AIIP_NO_SAFETY;

/// The mode and range remembered across restarts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedMode {
    pub mode: Mode,
    pub range_km: u16,
}

/// `[own_static]`: own ship's static and voyage data for AI-IP (message 5
/// and Inland FI 10, §3.3.3.6). Every value is checked by the same
/// function as the forms and `encode`; a wrong one is refused at start.
#[derive(Debug, Clone, Default, serde::Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct OwnStaticConfig {
    pub name: Option<String>,
    pub callsign: Option<String>,
    /// Type of ship and cargo, 0–255 (ITU-R M.1371 table 53).
    pub ship_type: Option<u32>,
    /// Metres from the GNSS antenna to bow, stern, port, starboard.
    pub dimensions: Option<[u32; 4]>,
    /// Maximum present static draught, metres (0.0–25.5).
    pub draught_m: Option<f64>,
    pub destination: Option<String>,
    /// Inland: European ship number (8 digits).
    pub eni: Option<String>,
    /// Inland: ERI ship or convoy type.
    pub eri_type: Option<u32>,
    /// Inland: length and beam of ship or convoy, metres.
    pub length_m: Option<f64>,
    pub beam_m: Option<f64>,
    /// Navigational status sent in own position reports, 0–15 (default
    /// 0, under way using engine).
    pub nav_status: Option<u32>,
}

impl OwnStaticConfig {
    /// The navigational status for own reports, if configured.
    pub fn nav_status(&self) -> Result<Option<u8>, String> {
        self.nav_status
            .map(|n| crate::voyage::fields::nav_status(&n.to_string()))
            .transpose()
            .map_err(|e| format!("[own_static] nav_status: {e}"))
    }

    /// The data to send, `None` when no static value is given; a value
    /// that does not pass its check is refused, naming the key.
    pub fn build(&self) -> Result<Option<OwnStatic>, String> {
        use crate::ais::messages::{Dimensions, StaticVoyageData};
        use crate::nmea::armour::Text;
        use crate::voyage::fields;
        let statics = OwnStaticConfig {
            nav_status: None,
            ..self.clone()
        };
        if statics == OwnStaticConfig::default() {
            return Ok(None);
        }
        fn key(k: &'static str) -> impl Fn(fields::FieldError) -> String {
            move |e| format!("[own_static] {k}: {e}")
        }
        let opt = |v: &Option<String>,
                   k: &'static str,
                   f: fn(&str) -> Result<String, fields::FieldError>| {
            v.as_deref().map(f).transpose().map_err(key(k))
        };
        let name = opt(&self.name, "name", fields::ship_name)?;
        let callsign = opt(&self.callsign, "callsign", fields::callsign)?;
        let destination = opt(&self.destination, "destination", fields::destination)?;
        let ship_type = self
            .ship_type
            .map(|t| fields::ship_type(&t.to_string()))
            .transpose()
            .map_err(key("ship_type"))?;
        let draught = self
            .draught_m
            .map(|d| fields::draught(&d.to_string()))
            .transpose()
            .map_err(key("draught_m"))?;
        let blank = own_data::blank_voyage();
        let dim = match self.dimensions {
            Some([a, b, c, d]) => Dimensions {
                to_bow: fields::antenna_a(&a.to_string()).map_err(key("dimensions (A)"))?,
                to_stern: fields::antenna_b(&b.to_string()).map_err(key("dimensions (B)"))?,
                to_port: fields::antenna_c(&c.to_string()).map_err(key("dimensions (C)"))?,
                to_starboard: fields::antenna_d(&d.to_string()).map_err(key("dimensions (D)"))?,
            },
            None => blank.dim,
        };
        // What is not configured is "not available" (the ETA too).
        let voyage = StaticVoyageData {
            callsign: Text::from_str_lossy(callsign.as_deref().unwrap_or("")),
            shipname: Text::from_str_lossy(name.as_deref().unwrap_or("")),
            shiptype: ship_type.unwrap_or(0),
            dim,
            draught: draught.unwrap_or(0),
            destination: Text::from_str_lossy(destination.as_deref().unwrap_or("")),
            ..blank
        };
        let inland_given = self.eni.is_some()
            || self.eri_type.is_some()
            || self.length_m.is_some()
            || self.beam_m.is_some();
        let inland = if inland_given {
            let eni = opt(&self.eni, "eni", fields::eni)?;
            let eri = self
                .eri_type
                .map(|t| fields::eri_type(&t.to_string()))
                .transpose()
                .map_err(key("eri_type"))?;
            let tenth = |v: Option<f64>,
                         k: &'static str,
                         f: fn(&str) -> Result<u16, fields::FieldError>| {
                v.map(|m| f(&m.to_string())).transpose().map_err(key(k))
            };
            Some(crate::ais::application::InlandStatic {
                vin: Text::from_str_lossy(eni.as_deref().unwrap_or("")),
                length: tenth(self.length_m, "length_m", fields::inland_length)?.unwrap_or(0),
                beam: tenth(self.beam_m, "beam_m", fields::inland_beam)?.unwrap_or(0),
                shiptype: eri.map_or(0, |(c, _)| c),
                // Draught in 1/100 m from the 1/10 m of message 5.
                draught: u16::from(draught.unwrap_or(0)) * 10,
                ..own_data::blank_inland()
            })
        } else {
            None
        };
        Ok(Some(OwnStatic { voyage, inland }))
    }
}

/// The name of the warning raised while the AI-IP server does not answer.
pub const SERVER_ALARM: &str = "AI-IP server";

/// Where `[aiip] relay` sends the vessels received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelayTarget {
    /// `udp:HOST:PORT`, resolved.
    Udp(SocketAddr),
    /// `serial:DEVICE[@BAUD]` (an ECDIS or radar input).
    Serial { path: String, baud: u32 },
}

/// `[aiip] relay`: `udp:HOST:PORT` or `serial:DEVICE[@BAUD]`.
pub fn relay_target(spec: &str) -> Result<RelayTarget, String> {
    if spec.starts_with("serial:") {
        return match InputSpec::parse(spec) {
            Ok(InputSpec::Serial { path, baud }) => Ok(RelayTarget::Serial { path, baud }),
            Ok(_) => Err(format!("{spec:?}: give serial:DEVICE[@BAUD]")),
            Err(e) => Err(format!("{spec:?}: {e}")),
        };
    }
    let rest = spec
        .strip_prefix("udp:")
        .ok_or_else(|| format!("{spec:?}: give udp:HOST:PORT or serial:DEVICE[@BAUD]"))?;
    resolve(spec, rest).map(RelayTarget::Udp)
}

/// The first address of `host_port` (`HOST:PORT`), the errors naming
/// `spec` as the user wrote it.
pub fn resolve(spec: &str, host_port: &str) -> Result<SocketAddr, String> {
    host_port
        .to_socket_addrs()
        .map_err(|e| format!("{spec:?}: {e}"))?
        .next()
        .ok_or_else(|| format!("{spec:?}: no address"))
}

/// The relay output.
#[derive(Debug)]
enum Relay {
    Udp(UdpSocket, SocketAddr),
    /// Lines to the thread that owns the serial port (opened, and opened
    /// again after a failure, there: a port that is gone never blocks the
    /// watch; lines while it is closed are dropped and logged).
    Serial(std::sync::mpsc::SyncSender<String>),
}

/// The serial relay's thread: writes each line with CR LF; reopens the port
/// two seconds after a failure.
fn serial_relay(path: String, baud: u32, rx: std::sync::mpsc::Receiver<String>) {
    use std::io::Write as _;
    let mut port: Option<Box<dyn tokio_serial::SerialPort>> = None;
    let mut failed_at: Option<std::time::Instant> = None;
    while let Ok(line) = rx.recv() {
        if port.is_none() && failed_at.is_none_or(|t| t.elapsed().as_secs() >= 2) {
            match tokio_serial::new(&path, baud).open() {
                Ok(p) => port = Some(p),
                Err(e) => {
                    tracing::warn!("AI-IP relay {path}: {e}");
                    failed_at = Some(std::time::Instant::now());
                }
            }
        }
        let Some(p) = port.as_mut() else { continue };
        if let Err(e) = p
            .write_all(line.as_bytes())
            .and_then(|()| p.write_all(b"\r\n"))
        {
            tracing::warn!("AI-IP relay {path}: {e}");
            port = None;
            failed_at = Some(std::time::Instant::now());
        }
    }
}

/// Vessel data received through the client, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AiipCounts {
    pub positions: u64,
    pub statics: u64,
    pub relayed: u64,
}

/// An ETA report handed to the client: settled when the server's next
/// answer arrives (AI-IP has no ABK).
#[derive(Debug, Clone, Copy)]
struct SentEta {
    id: Id,
    seq: u8,
    to: u32,
    sent_ms: i64,
}

/// The client and its plumbing.
#[derive(Debug)]
pub struct AiipIo {
    pub client: Client,
    /// The input link of the AI-IP server.
    pub link: usize,
    tx: Option<Sender<Vec<u8>>>,
    mode_file: Option<PathBuf>,
    /// Own static and voyage data as sent, and where they are kept.
    own: OwnData,
    own_file: Option<PathBuf>,
    relay: Option<Relay>,
    relay_seq: u8,
    /// Time of the own position last given to the client.
    fed_ms: Option<i64>,
    sent: Vec<SentEta>,
    pub counts: AiipCounts,
    /// Said once at start (mode restored, relay problems).
    notes: Vec<String>,
    /// The last state said (see [`AiipIo::step`]).
    said: Option<ClientState>,
}

impl AiipIo {
    /// The client for the first AI-IP input among `inputs`, if any: the
    /// `[aiip]` settings, own MMSI from `[own_ship] mmsi`, the mode and
    /// range remembered in the data directory over the configured ones.
    pub fn open(config: &Config, inputs: &[InputSpec], wall_ms: i64) -> Option<AiipIo> {
        let link = inputs
            .iter()
            .position(|i| matches!(i, InputSpec::Aiip(_)))?;
        let own_mmsi = config.own_ship.mmsi.unwrap_or(0);
        let mut client = Client::new(config.aiip.client(own_mmsi));
        let mut notes = Vec::new();
        // Checked by `Config::validate` at start.
        let mut own = OwnData {
            statics: config.own_static.build().ok().flatten(),
            nav_status: config.own_static.nav_status().ok().flatten(),
            external_dims: false,
        };
        // What was entered at sea wins over the configuration.
        let own_file = config.data_dir().map(|d| d.join(own_data::FILE));
        if let Some(p) = &own_file {
            match OwnData::load(p) {
                Ok(Some(d)) => {
                    own = d;
                    notes.push(format!(
                        "own static and voyage data as last entered ({}; remove it to use \
                         [own_static])",
                        p.display()
                    ));
                }
                Ok(None) => {}
                Err(e) => notes.push(format!("{}: not used: {e}", p.display())),
            }
        }
        if let Some(status) = own.nav_status {
            client.set_nav_status(status, wall_ms);
        }
        if let Some(data) = own.statics {
            client.set_static(data, wall_ms);
        }
        let _ = client.take_events();
        let mode_file = config.data_dir().map(|d| d.join(MODE_FILE));
        if let Some(p) = &mode_file
            && let Ok(text) = std::fs::read_to_string(p)
        {
            match serde_json::from_str::<SavedMode>(&text) {
                Ok(m) if own_mmsi != 0 => match client.set_mode(m.mode, m.range_km, wall_ms) {
                    Ok(()) => {
                        notes.push(format!(
                            "mode {} with range {} km, as last chosen ({})",
                            m.mode,
                            m.range_km,
                            p.display()
                        ));
                        // Restoring is no change to persist.
                        let _ = client.take_events();
                    }
                    Err(e) => notes.push(format!("{}: not used: {e}", p.display())),
                },
                Ok(_) => {}
                Err(e) => notes.push(format!("{}: not used: {e}", p.display())),
            }
        }
        let relay = config.aiip.relay.as_deref().and_then(|r| {
            let target = match relay_target(r) {
                Ok(a) => a,
                Err(e) => {
                    notes.push(format!("relay: {e}"));
                    return None;
                }
            };
            match target {
                RelayTarget::Udp(to) => {
                    let local = if to.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" };
                    match UdpSocket::bind(local).and_then(|s| s.set_nonblocking(true).map(|_| s)) {
                        Ok(s) => Some(Relay::Udp(s, to)),
                        Err(e) => {
                            notes.push(format!("relay {r}: {e}"));
                            None
                        }
                    }
                }
                RelayTarget::Serial { path, baud } => {
                    let (tx, rx) = std::sync::mpsc::sync_channel(4096);
                    std::thread::spawn(move || serial_relay(path, baud, rx));
                    Some(Relay::Serial(tx))
                }
            }
        });
        Some(AiipIo {
            client,
            link,
            tx: None,
            mode_file,
            own,
            own_file,
            relay,
            relay_seq: 0,
            fed_ms: None,
            sent: Vec::new(),
            counts: AiipCounts::default(),
            notes,
            said: None,
        })
    }

    /// The link task's queue of datagrams to the server.
    pub fn set_sender(&mut self, tx: Sender<Vec<u8>>) {
        self.tx = Some(tx);
    }

    /// Whether the client can send at all (configured, own MMSI known).
    pub fn configured(&self) -> bool {
        !matches!(self.client.state(0), ClientState::NotConfigured(_))
    }

    /// The notes of the start (mode restored, relay problems), once.
    pub fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    /// One datagram the link received.
    pub fn datagram(&mut self, bytes: &[u8], wall_ms: i64) {
        self.client.handle_datagram(bytes, wall_ms);
    }

    /// Feed own position, let time pass, route the events and send the
    /// datagrams. Returns the events that are neither vessels nor RTAs
    /// (state, mode, interval, smart AI-IP, local information), for the
    /// status, the log and the headless stream. State changes are said when
    /// the state differs from the one said last, except the normal round of
    /// a report ("reporting" → "waiting for answer" → "reporting"). Call after link messages,
    /// on each tick and after a key.
    pub fn step(&mut self, engine: &mut Engine, wall_ms: i64) -> Vec<ClientEvent> {
        let own = &engine.traffic.own;
        if let Some(p) = own.position
            && self.fed_ms.is_none_or(|t| p.value.at_ms > t)
        {
            self.fed_ms = Some(p.value.at_ms);
            let fix = OwnPosition {
                lat: p.value.value.0,
                lon: p.value.value.1,
                sog_kn: own.sog_kn.map(|s| s.value.value),
                cog_deg: own.cog_deg.map(|s| s.value.value),
                heading_deg: own.heading_deg.map(|s| s.value.value),
            };
            // The fix's own time (live: when it was received), so an old
            // position is not made young again.
            self.client.set_own(fix, p.value.at_ms.min(wall_ms));
        }
        self.client.tick(wall_ms);
        // An AI-IP target's news waits for the next ask: its lost time
        // allows for that.
        engine
            .traffic
            .set_aiip_lag(self.client.request_interval_ms(wall_ms));
        let events = self.client.take_events();
        let mut others = Vec::new();
        let lines = crate::aiip::client::relay_events(&events, &mut self.relay_seq);
        self.relay(&lines);
        for e in events {
            match e {
                ClientEvent::Vessel(v) => {
                    match v.kind {
                        VesselKind::Position => self.counts.positions += 1,
                        VesselKind::Static => self.counts.statics += 1,
                    }
                    let now = engine.now_ms(wall_ms);
                    engine.ingest_aiip(&v.received, now);
                }
                ClientEvent::Rta(r) => engine.traffic.rta_received(r),
                ClientEvent::ModeChanged { mode, range_km, .. } => {
                    self.save_mode(engine, SavedMode { mode, range_km }, wall_ms);
                    others.push(e);
                }
                ClientEvent::StateChanged { ref state, at_ms } => {
                    // The server silent after every resend: a warning, so
                    // that a watch relying on AI-IP sees at any width that
                    // its reports are not getting through and its AI-IP
                    // targets are going stale. Cleared by the next answer.
                    let id = AlarmId::Link(SERVER_ALARM.into());
                    match state {
                        ClientState::NoAnswer => {
                            engine.traffic.alarms.raise(
                                id,
                                engine.now_ms(at_ms),
                                "no answer from the AI-IP server: own reports not getting \
                                 through, AI-IP targets not updated"
                                    .into(),
                                None,
                            );
                        }
                        ClientState::Reporting if engine.traffic.alarms.get(&id).is_some() => {
                            engine.traffic.alarms.rectify(&id, engine.now_ms(at_ms));
                        }
                        _ => {}
                    }
                    // A report that waits for its answer and gets it is
                    // the normal round: said once, not at every report.
                    let routine = *state == ClientState::WaitingForAnswer
                        && self.said == Some(ClientState::Reporting);
                    if !routine && self.said.as_ref() != Some(state) {
                        self.said = Some(state.clone());
                        others.push(e);
                    }
                }
                other => others.push(other),
            }
        }
        self.settle(engine, wall_ms);
        self.flush();
        others
    }

    /// Hand the client's datagrams to the link (a full queue drops them:
    /// the client's retries cover a lost datagram).
    fn flush(&mut self) {
        for d in self.client.take_datagrams() {
            if let Some(tx) = &self.tx
                && let Err(e) = tx.try_send(d)
            {
                tracing::warn!("AI-IP datagram dropped: {e}");
            }
        }
    }

    fn relay(&mut self, lines: &[String]) {
        match &self.relay {
            None => {}
            Some(Relay::Udp(sock, to)) => {
                for l in lines {
                    let mut bytes = l.clone().into_bytes();
                    bytes.extend_from_slice(b"\r\n");
                    match sock.send_to(&bytes, to) {
                        Ok(_) => self.counts.relayed += 1,
                        Err(e) => tracing::debug!("AI-IP relay to {to}: {e}"),
                    }
                }
            }
            Some(Relay::Serial(tx)) => {
                for l in lines {
                    // A full queue (the port slower than the feed) drops.
                    if tx.try_send(l.clone()).is_ok() {
                        self.counts.relayed += 1;
                    }
                }
            }
        }
    }

    fn save_mode(&mut self, engine: &mut Engine, m: SavedMode, wall_ms: i64) {
        let Some(p) = &self.mode_file else {
            return;
        };
        let text = serde_json::to_string(&m).unwrap_or_default();
        let written = p
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::write(p, text + "\n"));
        let problem = written.err().map(|e| format!("{}: {e}", p.display()));
        engine.storage_problem("AI-IP mode", problem.as_deref(), wall_ms);
    }

    /// The next mode (tactical → tactical-on-board → strategic → …), its
    /// range kept where the new mode allows it, else that mode's largest.
    pub fn cycle_mode(&mut self, wall_ms: i64) -> Result<Mode, String> {
        let c = *self.client.config();
        let mode = c.mode.next();
        let range = c.range_km.clamp(1, mode.max_range_km());
        self.client.set_mode(mode, range, wall_ms)?;
        Ok(mode)
    }

    /// The client's status for the status bar, one line.
    pub fn status_line(&self, wall_ms: i64) -> String {
        self.client.status(wall_ms).to_string()
    }

    /// What keeps the AI-IP link from working although its socket is open:
    /// the client not configured (e.g. no own MMSI), stopped, without own
    /// position or without answers. `None` while it reports. The status
    /// bar shows the link down with this, never "up" for a client that
    /// sends nothing.
    pub fn link_problem(&self, wall_ms: i64) -> Option<String> {
        match self.client.state(wall_ms) {
            ClientState::NotConfigured(why) => Some(format!("not configured: {why}")),
            ClientState::Stopped => Some("stopped".into()),
            ClientState::NoOwnPosition => Some("no own position".into()),
            ClientState::NoAnswer => Some("no answer from server".into()),
            ClientState::WaitingForAnswer | ClientState::Reporting => None,
        }
    }

    /// Without a transponder, the desk's writes go through the client — ETA
    /// reports as AI-IP directed messages (§3.3.3.8), voyage, station and
    /// inland data into own static data ([`own_data`]), safety messages
    /// refused (the desk does not take them then). Call after
    /// [`DeskIo::pump`].
    pub fn desk(&mut self, engine: &mut Engine, desk: &mut DeskIo, wall_ms: i64) {
        if !engine.desk.through_aiip() {
            return;
        }
        if matches!(
            self.client.state(wall_ms),
            ClientState::NotConfigured(_) | ClientState::Stopped
        ) {
            return;
        }
        let now = engine.now_ms(wall_ms);
        let writes = engine.desk.writes(now);
        if writes.is_empty() {
            return;
        }
        desk.journal(engine, wall_ms);
        for w in writes {
            let eta = match &w.tag {
                WriteTag::Outbox(id) => engine.desk.outbox.get(*id).and_then(|e| match e.item {
                    Item::Eta(r) => Some((*id, r, e.state.seq().unwrap_or(0))),
                    Item::Safety(_) => None,
                }),
                WriteTag::Data(_) => None,
            };
            let result = match &eta {
                Some((_, r, _)) => self
                    .client
                    .send_eta(r, wall_ms)
                    .map_err(|e| format!("AI-IP: {e}")),
                None => match &w.tag {
                    WriteTag::Data(what) => self.own_data(what, &w.lines, wall_ms),
                    WriteTag::Outbox(_) => Err(AIIP_NO_SAFETY.to_string()),
                },
            };
            let ok = result.is_ok();
            engine.desk.write_done(&w.tag, result, now);
            if let (true, Some((id, r, seq))) = (ok, eta) {
                self.sent.push(SentEta {
                    id,
                    seq,
                    to: r.to,
                    sent_ms: wall_ms,
                });
            }
        }
        self.flush();
        desk.journal(engine, wall_ms);
    }

    /// Voyage, station or inland data sentences (`what`) applied to own
    /// data as a transponder would, then sent by the client (message 5 and
    /// FI 10 at once, the status in the next reports) and kept in the data
    /// directory. All lines or none.
    fn own_data(&mut self, what: &str, lines: &[String], wall_ms: i64) -> Result<(), String> {
        let (next, status, not_sent) = self.preview_own_data(what, lines)?;
        self.own = next;
        if let Some(s) = next.statics {
            self.client.set_static(s, wall_ms);
        }
        if let Some(n) = status {
            // The officer's status: it overrides a detected one.
            self.client.set_nav_status(n, wall_ms);
        }
        if !not_sent.is_empty() {
            tracing::info!(
                "{what} through AI-IP: not sent, AI-IP has no place for {}",
                not_sent.join("; ")
            );
        }
        if let Some(p) = &self.own_file
            && let Err(e) = self.own.save(p)
        {
            tracing::warn!("cannot keep own data in {}: {e}", p.display());
        }
        Ok(())
    }

    /// What goes over AI-IP as own data now, in one line for the voyage
    /// form: status, name and call sign, destination and ETA, draught, ship
    /// type, and the inland data when there are any.
    pub fn own_summary(&self) -> String {
        use crate::ais::legends::nav_status;
        let st = self.client.status(0);
        let detected = if st.status_detected {
            " (detected)"
        } else {
            ""
        };
        let mut parts = vec![format!(
            "{}{detected}",
            nav_status(st.nav_status).to_lowercase()
        )];
        match self.own.statics {
            None => parts.push("no static data".into()),
            Some(s) => {
                let v = s.voyage;
                let or_dash = |t: &str| {
                    if t.is_empty() {
                        "—".to_string()
                    } else {
                        t.to_string()
                    }
                };
                parts.push(format!(
                    "{} {}",
                    or_dash(v.shipname.as_str()),
                    or_dash(v.callsign.as_str())
                ));
                let eta = if v.month == 0 || v.day == 0 || v.hour >= 24 || v.minute >= 60 {
                    "no ETA".to_string()
                } else {
                    format!(
                        "ETA {:02}-{:02} {:02}:{:02} UTC",
                        v.month, v.day, v.hour, v.minute
                    )
                };
                parts.push(format!("to {}, {eta}", or_dash(v.destination.as_str())));
                parts.push(if v.draught == 0 {
                    "draught —".into()
                } else {
                    format!("draught {}.{} m", v.draught / 10, v.draught % 10)
                });
                parts.push(format!("type {}", v.shiptype));
                if let Some(i) = s.inland {
                    parts.push(format!(
                        "ENI {} ERI {:04} {}.{}×{}.{} m",
                        or_dash(i.vin.as_str()),
                        i.shiptype,
                        i.length / 10,
                        i.length % 10,
                        i.beam / 10,
                        i.beam % 10
                    ));
                }
            }
        }
        format!("Sent over AI-IP now: {}", parts.join(" · "))
    }

    /// What voyage, station or inland data sentences (`what`) would make of
    /// own data: the result, the navigational status they set, and what
    /// AI-IP has no place for. Refused when a sentence is, or when nothing
    /// of them can go over AI-IP (only values it has no place for).
    pub fn preview_own_data(
        &self,
        what: &str,
        lines: &[String],
    ) -> Result<(OwnData, Option<u8>, Vec<&'static str>), String> {
        let mut next = self.own;
        let mut status = None;
        let mut not_sent = Vec::new();
        for l in lines {
            let a = next.apply(l).map_err(|e| format!("{what}: {e}"))?;
            status = a.nav_status.or(status);
            not_sent.extend(a.not_sent);
        }
        if next == self.own && status.is_none() && !not_sent.is_empty() {
            return Err(format!(
                "nothing of it can go over AI-IP: no place for {}",
                not_sent.join("; ")
            ));
        }
        Ok((next, status, not_sent))
    }

    /// An ETA report handed to the client is settled ("received", as an
    /// ABK 0 would say) by the first answer from the server after it went.
    fn settle(&mut self, engine: &mut Engine, wall_ms: i64) {
        if self.sent.is_empty() {
            return;
        }
        let Some(age) = self.client.status(wall_ms).last_answer_age_ms else {
            return;
        };
        let answered_ms = wall_ms - age;
        let now = engine.now_ms(wall_ms);
        let (done, waiting): (Vec<SentEta>, Vec<SentEta>) =
            self.sent.iter().partition(|s| answered_ms >= s.sent_ms);
        self.sent = waiting;
        for s in done {
            let still = engine
                .desk
                .outbox
                .get(s.id)
                .is_some_and(|e| e.state.in_flight());
            if still {
                let abk = Abk {
                    dest_mmsi: Some(s.to),
                    channel: None,
                    msg_id: 6,
                    seq_id: s.seq,
                    ack: AckType::Received,
                };
                engine.desk.abk(&abk, now);
            }
        }
    }

    /// The counters, for the headless summary.
    pub fn summary_json(&self) -> Value {
        let s = self.client.stats();
        json!({"positions": self.counts.positions, "static": self.counts.statics,
               "relayed": self.counts.relayed, "datagrams_in": s.datagrams_in,
               "datagrams_out": s.datagrams_out})
    }
}

/// A client event as the headless `aiip` event: the state now, the mode,
/// and what happened in words.
pub fn event_json(client: &Client, e: &ClientEvent) -> Value {
    let at = e.at_ms();
    let detail = match e {
        ClientEvent::StateChanged {
            state: ClientState::NotConfigured(why),
            ..
        } => format!("not configured: {why}"),
        other => other.to_string(),
    };
    json!({"time": rfc3339(at), "event": "aiip", "state": client.state(at).as_str(),
           "mode": client.config().mode.as_str(), "detail": super::engine::clean(&detail)})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::config::TrafficConfig;

    fn config(dir: &std::path::Path, aiip: &str) -> Config {
        let text = format!(
            "data_dir = {:?}\n[own_ship]\nmmsi = 244000001\n[aiip]\n{aiip}\n",
            dir.display().to_string()
        );
        let c: Config = toml::from_str(&text).expect("config");
        c.validate().expect("valid");
        c
    }

    fn inputs() -> Vec<InputSpec> {
        vec![
            InputSpec::parse("udp:127.0.0.1:10110").expect("udp"),
            InputSpec::parse("aiip:127.0.0.1:4155").expect("aiip"),
        ]
    }

    #[test]
    fn no_aiip_input_no_client() {
        let dir = tempfile::tempdir().expect("dir");
        let c = config(dir.path(), "");
        assert!(AiipIo::open(&c, &inputs()[..1], 0).is_none());
        let a = AiipIo::open(&c, &inputs(), 0).expect("client");
        assert_eq!(a.link, 1);
        assert!(a.configured());
    }

    #[test]
    fn own_data_entered_at_sea_win_over_the_config_at_start() {
        let dir = tempfile::tempdir().expect("dir");
        let text = format!(
            "data_dir = {:?}\n[own_ship]\nmmsi = 244000001\n[own_static]\nname = \"RIJN\"\n\
             destination = \"NLRTM\"\nnav_status = 0\n",
            dir.path().display().to_string()
        );
        let c: Config = toml::from_str(&text).expect("config");
        let a = AiipIo::open(&c, &inputs(), 0).expect("client");
        assert_eq!(
            a.own
                .statics
                .map(|s| s.voyage.destination.as_str().to_string()),
            Some("NLRTM".into())
        );
        assert_eq!(a.client.status(0).nav_status, 0);
        // At sea: a VSD with a new destination and moored.
        let mut own = a.own;
        own.apply(&crate::nmea::build(
            '$',
            "ECVSD",
            &["", "", "", "BASEL", "", "", "", "5"],
        ))
        .expect("applies");
        own.save(&dir.path().join(own_data::FILE)).expect("kept");
        let mut a = AiipIo::open(&c, &inputs(), 0).expect("client");
        let v = a.own.statics.expect("static").voyage;
        assert_eq!(
            (v.shipname.as_str(), v.destination.as_str()),
            ("RIJN", "BASEL")
        );
        assert_eq!(a.client.status(0).nav_status, 5);
        assert_eq!(
            a.own_summary(),
            "Sent over AI-IP now: moored · RIJN — · to BASEL, no ETA · draught — · type 0"
        );
        assert!(
            a.take_notes().iter().any(|n| n.contains("as last entered")),
            "said at start"
        );
        // A file that cannot be read is said and not used.
        std::fs::write(dir.path().join(own_data::FILE), "{").expect("written");
        let mut a = AiipIo::open(&c, &inputs(), 0).expect("client");
        assert_eq!(a.client.status(0).nav_status, 0);
        assert!(a.take_notes().iter().any(|n| n.contains("not used")));
    }

    #[test]
    fn own_data_that_cannot_go_over_ai_ip_is_said_before_anything_is_sent() {
        let dir = tempfile::tempdir().expect("dir");
        let c = config(dir.path(), "");
        let a = AiipIo::open(&c, &inputs(), 0).expect("client");
        let vsd = |f: &[&str]| vec![crate::nmea::build('$', "ECVSD", f)];
        // Persons on board alone: AI-IP has no place for them.
        let e = a
            .preview_own_data("VSD", &vsd(&["", "", "12"]))
            .expect_err("nothing to send");
        assert_eq!(
            e,
            "nothing of it can go over AI-IP: no place for persons on board"
        );
        // With a destination: sent, and the persons said to be left out.
        let (own, status, not_sent) = a
            .preview_own_data("VSD", &vsd(&["", "", "12", "BASEL"]))
            .expect("sent");
        assert_eq!(not_sent, vec!["persons on board"]);
        assert_eq!(status, None);
        let v = own.statics.expect("static").voyage;
        assert_eq!(v.destination.as_str(), "BASEL");
        // Nothing is changed by a preview.
        assert_eq!(a.own, OwnData::default());
    }

    #[test]
    fn the_mode_cycles_is_kept_and_read_back_over_the_config() {
        let dir = tempfile::tempdir().expect("dir");
        let c = config(dir.path(), "mode = \"tactical\"\nrange_km = 40");
        let mut engine = Engine::new(TrafficConfig::default(), true);
        let mut a = AiipIo::open(&c, &inputs(), 1000).expect("client");
        // Tactical 40 km → tactical-on-board: the range is cut to 15 km.
        assert_eq!(a.cycle_mode(1000), Ok(Mode::TacticalOnBoard));
        assert_eq!(a.client.config().range_km, 15);
        let said = a.step(&mut engine, 1000);
        assert!(
            said.iter()
                .any(|e| matches!(e, ClientEvent::ModeChanged { .. })),
            "{said:?}"
        );
        let saved = std::fs::read_to_string(dir.path().join(MODE_FILE)).expect("saved");
        assert!(saved.contains("tactical-on-board"), "{saved}");
        // At the next start the saved mode wins over the config's.
        let mut b = AiipIo::open(&c, &inputs(), 2000).expect("client");
        assert_eq!(b.client.config().mode, Mode::TacticalOnBoard);
        assert_eq!(b.client.config().range_km, 15);
        assert!(b.take_notes().iter().any(|n| n.contains("as last chosen")));
        // Strategic keeps 15 km, then tactical again.
        assert_eq!(b.cycle_mode(2000), Ok(Mode::Strategic));
        assert_eq!(b.cycle_mode(2000), Ok(Mode::Tactical));
    }

    #[test]
    fn a_saved_mode_that_does_not_validate_is_not_used() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(
            dir.path().join(MODE_FILE),
            r#"{"mode":"strategic","range_km":200}"#,
        )
        .expect("written");
        let c = config(dir.path(), "mode = \"tactical-on-board\"");
        let mut a = AiipIo::open(&c, &inputs(), 0).expect("client");
        assert_eq!(a.client.config().mode, Mode::TacticalOnBoard);
        assert!(a.take_notes().iter().any(|n| n.contains("not used")));
    }

    #[test]
    fn without_own_mmsi_the_state_says_why() {
        let dir = tempfile::tempdir().expect("dir");
        let mut c = config(dir.path(), "");
        c.own_ship.mmsi = None;
        let a = AiipIo::open(&c, &inputs(), 0).expect("client");
        assert!(!a.configured());
        assert!(
            a.status_line(0).contains("not configured"),
            "{}",
            a.status_line(0)
        );
    }

    #[test]
    fn relay_takes_udp_and_serial() {
        assert!(relay_target("udp:127.0.0.1:10111").is_ok());
        assert_eq!(
            relay_target("serial:/dev/ttyUSB2@4800"),
            Ok(RelayTarget::Serial {
                path: "/dev/ttyUSB2".into(),
                baud: 4800
            })
        );
        let c: Config = toml::from_str("[aiip]\nrelay = \"tcp:1.2.3.4:5\"\n").expect("parses");
        assert!(c.validate().unwrap_err().contains("[aiip] relay"));
    }
}
