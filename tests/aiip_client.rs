//! The AI-IP client (`aiip::client`) driven against the AI-IP server core
//! (`aiip::server::Server`) in memory: no sockets, the time is passed in.
//! A small network joins them and can drop datagrams or stop delivering.

use std::collections::BTreeSet;

use bridgewatch::aiip::client::{
    Client, ClientConfig, ClientEvent, ClientState, Mode, OwnPosition, OwnStatic, SmartState,
    TRAFFIC_POLL_MS, VesselKind, relay_events,
};
use bridgewatch::aiip::codec::{self, Content, Flags, Message, Selector};
use bridgewatch::aiip::server::{AutoRta, Server, ServerConfig};
use bridgewatch::aiip::store::VesselStore;
use bridgewatch::ais::application::{DayTime, InlandLocation};
use bridgewatch::ais::encode::to_vdm;
use bridgewatch::ais::messages::StaticVoyageData;
use bridgewatch::ais::stream::{AisStream, Outcome};
use bridgewatch::ais::{AisMessage, Body};
use bridgewatch::nmea::armour::{BitWriter, Text};
use bridgewatch::voyage::fields;
use bridgewatch::voyage::messages::EtaReport;
use proptest::prelude::*;

const T0: i64 = 1_795_000_000_000; // 2026-11-18 08:26:40 UTC, a whole second
const A: u32 = 244_000_001;
const B: u32 = 244_000_002;
const C: u32 = 244_000_003;
const LOCK: u32 = 244_200_001;

fn config(mmsi: u32, mode: Mode, range_km: u16) -> ClientConfig {
    ClientConfig {
        own_mmsi: mmsi,
        mode,
        range_km,
        ..ClientConfig::default()
    }
}

fn own(lat: f64, lon: f64, sog: f64, cog: f64) -> OwnPosition {
    OwnPosition {
        lat,
        lon,
        sog_kn: Some(sog),
        cog_deg: Some(cog),
        heading_deg: Some(cog),
    }
}

fn voyage(mmsi: u32, name: &str) -> StaticVoyageData {
    match bridgewatch::sim::static_voyage(mmsi, name, "ROTTERDAM").body {
        Body::StaticVoyage(v) => *v,
        other => panic!("not a message 5: {other:?}"),
    }
}

fn own_static(mmsi: u32, name: &str) -> OwnStatic {
    OwnStatic {
        voyage: voyage(mmsi, name),
        inland: None,
    }
}

/// The AIS messages in a message 1's content (empty for other messages).
fn pushed_ais(datagram: &[u8]) -> Vec<AisMessage> {
    let Ok(Message::PushRequest { content, .. }) = codec::decode(datagram) else {
        return Vec::new();
    };
    let mut stream = AisStream::new();
    content
        .sentences()
        .filter_map(|s| match stream.push_line(s.as_bytes(), 0) {
            Ok(Outcome::Ais(r)) => Some(r.msg),
            _ => None,
        })
        .collect()
}

/// A message-4 datagram with `flags` carrying `sentences`.
fn response(flags: Flags, sentences: &[String]) -> Vec<u8> {
    codec::encode(&Message::Response {
        flags: flags.union(Flags::FINAL),
        content: Content::from_sentences(sentences).expect("content"),
    })
    .expect("encodes")
}

/// Clients and a server joined by an in-memory network.
struct Net {
    server: Server<usize>,
    clients: Vec<Client>,
    events: Vec<Vec<ClientEvent>>,
    /// What each client sent, with the time.
    sent: Vec<Vec<(i64, Vec<u8>)>>,
    /// Drop every nth datagram (both directions), if set.
    drop_every: Option<usize>,
    /// Datagrams seen per direction (to the server, to the clients).
    seen: [usize; 2],
    dropped: usize,
    /// Whether the server receives anything at all.
    server_up: bool,
    /// Message IDs the server never receives.
    deaf_to: BTreeSet<u8>,
    /// The source address of each client as the server sees it (a client
    /// behind a NAT may change it).
    addr: Vec<usize>,
}

impl Net {
    fn new(server: ServerConfig, clients: Vec<ClientConfig>) -> Self {
        let n = clients.len();
        Self {
            server: Server::new(server),
            clients: clients.into_iter().map(Client::new).collect(),
            events: vec![Vec::new(); n],
            sent: vec![Vec::new(); n],
            drop_every: None,
            seen: [0; 2],
            dropped: 0,
            server_up: true,
            deaf_to: BTreeSet::new(),
            addr: (0..n).collect(),
        }
    }

    fn lost(&mut self, direction: usize) -> bool {
        self.seen[direction] += 1;
        let seen = self.seen[direction];
        let lost = self.drop_every.is_some_and(|n| seen.is_multiple_of(n));
        self.dropped += usize::from(lost);
        lost
    }

    /// Delivers everything the clients want to send, and the replies, until
    /// nobody has anything more to say.
    fn pump(&mut self, now: i64) {
        loop {
            let mut any = false;
            for i in 0..self.clients.len() {
                for d in self.clients[i].take_datagrams() {
                    any = true;
                    self.sent[i].push((now, d.clone()));
                    if self.lost(0)
                        || !self.server_up
                        || d.first().is_some_and(|id| self.deaf_to.contains(id))
                    {
                        continue;
                    }
                    for (to, reply) in self.server.handle(&d, self.addr[i], now) {
                        let Some(j) = self.addr.iter().position(|a| *a == to) else {
                            continue;
                        };
                        if !self.lost(1) {
                            self.clients[j].handle_datagram(&reply, now);
                        }
                    }
                }
            }
            if !any {
                break;
            }
        }
        for i in 0..self.clients.len() {
            let e = self.clients[i].take_events();
            self.events[i].extend(e);
        }
    }

    /// Runs from `from` to `to` (inclusive) in steps of `step` ms; `own`
    /// gives each client's position at each step (`None`: no fix).
    fn run(
        &mut self,
        from: i64,
        to: i64,
        step: i64,
        mut own: impl FnMut(usize, i64) -> Option<OwnPosition>,
    ) {
        let mut t = from;
        while t <= to {
            for i in 0..self.clients.len() {
                if let Some(p) = own(i, t) {
                    self.clients[i].set_own(p, t);
                }
                self.clients[i].tick(t);
            }
            self.pump(t);
            t += step;
        }
    }

    /// MMSIs client `i` got a position (or static data) for.
    fn vessels(&self, i: usize, kind: VesselKind) -> BTreeSet<u32> {
        self.events[i]
            .iter()
            .filter_map(|e| match e {
                ClientEvent::Vessel(v) if v.kind == kind => Some(v.received.msg.mmsi),
                _ => None,
            })
            .collect()
    }

    /// Times at which client `i` sent a datagram with message ID `id`.
    fn sent_times(&self, i: usize, id: u8) -> Vec<i64> {
        self.sent[i]
            .iter()
            .filter(|(_, d)| d.first() == Some(&id))
            .map(|(t, _)| *t)
            .collect()
    }
}

/// A at 52.00 N 5.00 E; B about 6 km away; C about 55 km north.
fn three_positions(i: usize) -> OwnPosition {
    match i {
        0 => own(52.0, 5.0, 5.0, 90.0),
        1 => own(52.04, 5.05, 5.0, 270.0),
        _ => own(52.5, 5.0, 5.0, 180.0),
    }
}

#[test]
fn two_clients_see_each_other_within_range_and_not_beyond() {
    let mut net = Net::new(
        ServerConfig::default(),
        vec![
            config(A, Mode::TacticalOnBoard, 10),
            config(B, Mode::TacticalOnBoard, 10),
            config(C, Mode::TacticalOnBoard, 10),
        ],
    );
    net.clients[0].set_static(own_static(A, "ALPHA"), T0);
    net.clients[1].set_static(own_static(B, "BRAVO"), T0);
    net.clients[2].set_static(own_static(C, "CHARLIE"), T0);
    net.run(T0, T0 + 60_000, 500, |i, _| Some(three_positions(i)));

    assert_eq!(net.vessels(0, VesselKind::Position), BTreeSet::from([B]));
    assert_eq!(net.vessels(1, VesselKind::Position), BTreeSet::from([A]));
    assert!(
        net.vessels(2, VesselKind::Position).is_empty(),
        "C is 55 km away"
    );
    // Static data by message 2 for the vessels heard (§3.3.3.13).
    assert_eq!(net.vessels(0, VesselKind::Static), BTreeSet::from([B]));
    assert_eq!(net.vessels(1, VesselKind::Static), BTreeSet::from([A]));
    assert!(!net.sent_times(0, 2).is_empty());
    assert!(
        net.sent_times(2, 2).is_empty(),
        "C heard nobody, asks for nobody"
    );
    // A static message asked for once is not asked for again.
    assert_eq!(net.sent_times(0, 2).len(), 1);
    let status = net.clients[0].status(T0 + 60_000);
    assert_eq!(status.state, ClientState::Reporting);
    assert_eq!(status.last_answer_age_ms.map(|a| a < 10_000), Some(true));
    assert!(
        status.to_string().contains("tactical-on-board 10 km"),
        "{status}"
    );
}

#[test]
fn strategic_client_gets_positions_never_static_data_and_never_asks() {
    let mut net = Net::new(
        ServerConfig::default(),
        vec![
            config(A, Mode::TacticalOnBoard, 10),
            config(B, Mode::TacticalOnBoard, 10),
            ClientConfig {
                strategic_interval_s: 30,
                ..config(C, Mode::Strategic, 50)
            },
        ],
    );
    for (i, (m, n)) in [(A, "ALPHA"), (B, "BRAVO"), (C, "CHARLIE")]
        .into_iter()
        .enumerate()
    {
        net.clients[i].set_static(own_static(m, n), T0);
    }
    // C about 33 km north of A.
    net.run(T0, T0 + 120_000, 1000, |i, _| {
        Some(if i == 2 {
            own(52.3, 5.0, 5.0, 180.0)
        } else {
            three_positions(i)
        })
    });
    assert_eq!(net.vessels(2, VesselKind::Position), BTreeSet::from([A, B]));
    assert!(net.vessels(2, VesselKind::Static).is_empty());
    assert!(
        net.sent_times(2, 2).is_empty(),
        "a strategic client never sends message 2"
    );
    // Reports at the strategic interval (0, 30, 60, 90, 120 s).
    assert_eq!(net.sent_times(2, 1).len(), 5);
    // Its own static data reached the server (sent with every report).
    assert!(net.server.store().static_data(C).is_some());
    // Static data pushed at it anyway are withheld.
    let static5 =
        bridgewatch::sim::untagged(&bridgewatch::sim::static_voyage(B, "BRAVO", "X"), 'A', 1);
    net.clients[2].handle_datagram(&response(Flags::EMPTY, &static5), T0 + 121_000);
    let e = net.clients[2].take_events();
    assert!(!e.iter().any(|e| matches!(e, ClientEvent::Vessel(_))));
    assert_eq!(net.clients[2].stats().static_withheld, 1);
}

#[test]
fn retries_four_times_four_seconds_apart_then_no_answer_then_recovers() {
    let mut net = Net::new(
        ServerConfig::default(),
        vec![config(A, Mode::TacticalOnBoard, 10)],
    );
    net.server_up = false;
    net.run(T0, T0 + 20_000, 100, |_, _| Some(own(52.0, 5.0, 5.0, 90.0)));
    let times = net.sent_times(0, 1);
    assert_eq!(
        &times[..5],
        &[T0, T0 + 4_000, T0 + 8_000, T0 + 12_000, T0 + 16_000],
        "the request and four resends, 4 s apart (§3.3.3.5)"
    );
    assert_eq!(net.clients[0].state(T0 + 20_000), ClientState::NoAnswer);
    assert_eq!(net.clients[0].stats().resends, 4);
    assert_eq!(net.clients[0].stats().unanswered, 1);
    assert!(net.events[0].iter().any(|e| matches!(
        e,
        ClientEvent::StateChanged { state: ClientState::NoAnswer, at_ms } if *at_ms == T0 + 20_000
    )));
    assert_eq!(
        net.clients[0].status(T0 + 20_000).to_string(),
        "AI-IP no answer from server · tactical-on-board 10 km · every 10.0 s · no answer yet"
    );
    // The server comes back: the next answer ends the state.
    net.server_up = true;
    net.run(T0 + 20_100, T0 + 40_000, 100, |_, _| {
        Some(own(52.0, 5.0, 5.0, 90.0))
    });
    assert_eq!(net.clients[0].state(T0 + 40_000), ClientState::Reporting);
    assert!(net.events[0].iter().any(|e| matches!(
        e,
        ClientEvent::StateChanged { state: ClientState::Reporting, at_ms } if *at_ms > T0 + 20_000
    )));
}

#[test]
fn tactical_mode_does_not_wait_for_answers() {
    let mut net = Net::new(ServerConfig::default(), vec![config(A, Mode::Tactical, 10)]);
    net.server_up = false;
    net.run(T0, T0 + 30_000, 100, |_, _| Some(own(52.0, 5.0, 5.0, 90.0)));
    assert_eq!(
        net.sent_times(0, 1),
        vec![T0, T0 + 10_000, T0 + 20_000, T0 + 30_000]
    );
    assert_eq!(net.clients[0].stats().resends, 0);
    assert_eq!(net.clients[0].state(T0 + 30_000), ClientState::Reporting);
    // No range on the wire in tactical mode.
    let (_, d) = &net.sent[0][0];
    assert!(matches!(
        codec::decode(d),
        Ok(Message::PushRequest { range: None, .. })
    ));
}

#[test]
fn no_position_no_reports_and_unusable_configuration_is_explained() {
    let mut net = Net::new(
        ServerConfig::default(),
        vec![
            config(A, Mode::TacticalOnBoard, 10),
            config(0, Mode::TacticalOnBoard, 10),
        ],
    );
    net.run(T0, T0 + 20_000, 1000, |_, _| None);
    assert!(net.sent[0].is_empty() && net.sent[1].is_empty());
    assert_eq!(net.clients[0].state(T0), ClientState::NoOwnPosition);
    assert_eq!(net.clients[0].status(T0).state.as_str(), "no own position");
    let ClientState::NotConfigured(why) = net.clients[1].state(T0) else {
        panic!("not configured expected");
    };
    assert!(why.contains("MMSI"), "{why}");
    // A fix that goes stale stops the reports.
    net.run(T0 + 21_000, T0 + 21_000, 1000, |_, _| {
        Some(own(52.0, 5.0, 5.0, 0.0))
    });
    net.run(T0 + 22_000, T0 + 60_000, 1000, |_, _| None);
    assert_eq!(net.sent_times(0, 1), vec![T0 + 21_000]);
    assert_eq!(
        net.clients[0].state(T0 + 60_000),
        ClientState::NoOwnPosition
    );
}

#[test]
fn configuration_limits_in_words_and_the_aiip_table() {
    let problems = |c: ClientConfig| c.validate().err().unwrap_or_default();
    assert!(config(A, Mode::TacticalOnBoard, 15).validate().is_ok());
    assert!(problems(config(A, Mode::TacticalOnBoard, 16)).contains("15 km"));
    assert!(config(A, Mode::Strategic, 50).validate().is_ok());
    assert!(problems(config(A, Mode::Strategic, 51)).contains("50 km"));
    assert!(problems(config(A, Mode::Tactical, 0)).contains("1–255"));
    assert!(problems(config(A, Mode::Tactical, 256)).contains("1–255"));
    assert!(
        problems(ClientConfig {
            strategic_interval_s: 5,
            ..config(A, Mode::Strategic, 20)
        })
        .contains("strategic interval")
    );
    let table: ClientConfig = toml::from_str(
        "mode = \"strategic\"\nrange_km = 40\nstrategic_interval_s = 120\nsmart = true\n",
    )
    .expect("the [aiip] table parses");
    assert_eq!(table.mode, Mode::Strategic);
    assert_eq!(
        (table.range_km, table.strategic_interval_s, table.smart),
        (40, 120, true)
    );
    assert!(toml::from_str::<ClientConfig>("mode = \"harbour\"").is_err());
    let default: ClientConfig = toml::from_str("").expect("empty table");
    assert!(!default.smart, "smart AI-IP is off by default");
    assert_eq!(
        "tactical-on-board".parse::<Mode>(),
        Ok(Mode::TacticalOnBoard)
    );
    assert_eq!(Mode::Strategic.to_string(), "strategic");
}

/// Spacing between consecutive own reports of client 0 in `[from, to]`.
fn spacings(net: &Net, from: i64, to: i64) -> Vec<i64> {
    let t: Vec<i64> = net
        .sent_times(0, 1)
        .into_iter()
        .filter(|t| (from..=to).contains(t))
        .collect();
    t.windows(2).map(|w| w[1] - w[0]).collect()
}

#[test]
fn reporting_interval_follows_speed_and_course_change() {
    let mut net = Net::new(
        ServerConfig::default(),
        vec![config(A, Mode::TacticalOnBoard, 10)],
    );
    // 0–60 s: 5 kn steady; 60–120 s: 18 kn steady; 120–180 s: 30 kn;
    // 180–240 s: 5 kn turning 2°/s; 240–300 s: 18 kn turning.
    net.run(T0, T0 + 300_000, 100, |_, t| {
        let s = (t - T0) / 1000;
        let (sog, cog) = match s {
            0..60 => (5.0, 90.0),
            60..120 => (18.0, 90.0),
            120..180 => (30.0, 90.0),
            180..240 => (5.0, (90 + 2 * (s - 180)) as f64),
            _ => (18.0, (210 + 2 * (s - 240)) as f64),
        };
        Some(own(52.0, 5.0, sog, cog))
    });
    let all = |v: Vec<i64>, want: i64, slack: i64| {
        assert!(!v.is_empty());
        assert!(
            v.iter().all(|d| (want..=want + slack).contains(d)),
            "want {want} ms, got {v:?}"
        );
    };
    all(spacings(&net, T0 + 10_000, T0 + 60_000), 10_000, 0);
    all(spacings(&net, T0 + 70_000, T0 + 120_000), 6_000, 0);
    all(spacings(&net, T0 + 125_000, T0 + 180_000), 2_000, 0);
    all(spacings(&net, T0 + 190_000, T0 + 236_000), 3_333, 100);
    all(spacings(&net, T0 + 245_000, T0 + 300_000), 2_000, 0);
}

/// Moored, own reports go every three minutes (tactical mode); a client
/// that also keeps the traffic on board asks for it every ten seconds all
/// the same, so the vessels around do not go stale (and lost) while it lies
/// at the berth.
#[test]
fn moored_reports_every_three_minutes_and_traffic_stays_live() {
    let mut net = Net::new(
        ServerConfig::default(),
        vec![
            config(A, Mode::Tactical, 10),
            config(B, Mode::TacticalOnBoard, 10),
        ],
    );
    net.clients[0].set_nav_status(5, T0);
    net.clients[1].set_nav_status(5, T0);
    net.run(T0, T0 + 600_000, 1000, |_, _| {
        Some(own(52.0, 5.0, 0.0, 0.0))
    });
    assert_eq!(
        net.sent_times(0, 1),
        vec![T0, T0 + 180_000, T0 + 360_000, T0 + 540_000]
    );
    assert_eq!(net.clients[0].report_interval_ms(T0 + 600_000), 180_000);
    let on_board = net.sent_times(1, 1);
    assert_eq!(on_board.len(), 61, "{on_board:?}");
    assert!(on_board.windows(2).all(|w| w[1] - w[0] == TRAFFIC_POLL_MS));
    let status = net.clients[1].status(T0 + 600_000);
    assert_eq!(status.interval_ms, Some(TRAFFIC_POLL_MS));
}

/// Message 23 (group assignment) with interval code `code` over a box
/// around 52 N 5 E, as sentences from a base station.
fn message23(code: u8) -> Vec<String> {
    let tenth_min = |deg: f64| (deg * 600.0).round() as i64;
    let mut w = BitWriter::new();
    w.u(6, 23)
        .u(2, 0)
        .u(30, 2_440_001)
        .u(2, 0)
        .s(18, tenth_min(6.0))
        .s(17, tenth_min(53.0))
        .s(18, tenth_min(4.0))
        .s(17, tenth_min(51.0))
        .u(4, 0)
        .u(8, 0)
        .u(22, 0)
        .u(2, 0)
        .u(4, u64::from(code))
        .u(4, 0)
        .u(6, 0);
    to_vdm(&w, "AI", false, Some('A'), 0)
}

#[test]
fn message_23_changes_the_interval_through_a_location_request() {
    let mut c = Client::new(config(A, Mode::TacticalOnBoard, 10));
    let mut sent: Vec<(i64, Vec<u8>)> = Vec::new();
    let p = own(52.0, 5.0, 5.0, 90.0);
    let mut t = T0;
    let step = |c: &mut Client, t: i64, sent: &mut Vec<(i64, Vec<u8>)>| {
        c.set_own(p, t);
        for d in c.take_datagrams() {
            sent.push((t, d));
        }
    };
    step(&mut c, t, &mut sent);
    // The server answers the first report with the update-rate flag.
    c.handle_datagram(&response(Flags::UPDATE_RATE, &[]), t);
    step(&mut c, t, &mut sent);
    let last = &sent.last().expect("a request").1;
    assert!(
        matches!(codec::decode(last), Ok(Message::RequestLocation { flags, .. }) if flags.contains(Flags::UPDATE_RATE)),
        "the flag is followed by message 3 (§3.3.3.12)"
    );
    // The answer to message 3 carries message 23: report every 5 s (code 8).
    c.handle_datagram(&response(Flags::EMPTY, &message23(8)), t);
    let events = c.take_events();
    assert!(events.iter().any(|e| matches!(
        e,
        ClientEvent::IntervalAssigned {
            interval_ms: Some(5_000),
            ..
        }
    )));
    assert_eq!(c.report_interval_ms(t), 5_000);
    assert!(c.status(t).interval_assigned);
    let from = sent.len();
    while t < T0 + 30_000 {
        t += 100;
        step(&mut c, t, &mut sent);
        // Every report is answered (empty) so none is retried.
        if sent.len() > from && sent.last().is_some_and(|(st, _)| *st == t) {
            c.handle_datagram(&response(Flags::EMPTY, &[]), t);
        }
    }
    let times: Vec<i64> = sent[from..]
        .iter()
        .filter(|(_, d)| d.first() == Some(&1))
        .map(|(t, _)| *t)
        .collect();
    assert!(times.windows(2).all(|w| w[1] - w[0] == 5_000), "{times:?}");
    // While assigned, own reports are message 3 (assigned mode).
    assert!(
        pushed_ais(&sent.last().expect("sent").1)
            .iter()
            .any(|m| m.msg_type == 3)
    );
    // Code 0 returns to the autonomous rate.
    c.handle_datagram(&response(Flags::EMPTY, &message23(0)), t);
    assert_eq!(c.report_interval_ms(t), 10_000);
    // A message 23 for an area elsewhere is ignored.
    let mut far = Client::new(config(B, Mode::TacticalOnBoard, 10));
    far.set_own(own(48.0, 2.0, 5.0, 0.0), T0);
    far.handle_datagram(&response(Flags::EMPTY, &message23(8)), T0);
    assert_eq!(far.report_interval_ms(T0), 10_000);
}

#[test]
fn static_data_every_six_minutes_and_on_change() {
    let mut net = Net::new(
        ServerConfig::default(),
        vec![config(A, Mode::TacticalOnBoard, 10)],
    );
    net.clients[0].set_static(own_static(A, "ALPHA"), T0);
    let changed_at = T0 + 100_000;
    let mut t = T0;
    while t <= T0 + 830_000 {
        if t == changed_at {
            let mut s = own_static(A, "ALPHA");
            s.voyage.destination = Text::from_str_lossy("BASEL");
            net.clients[0].set_static(s, t);
        }
        net.run(t, t, 1000, |_, _| Some(own(52.0, 5.0, 5.0, 90.0)));
        t += 1000;
    }
    let static_times: Vec<i64> = net.sent[0]
        .iter()
        .filter(|(_, d)| pushed_ais(d).iter().any(|m| m.msg_type == 5))
        .map(|(t, _)| *t)
        .collect();
    assert_eq!(
        static_times,
        vec![T0, changed_at, changed_at + 360_000, changed_at + 720_000]
    );
    let stored = net.server.store().static_data(A).expect("static stored");
    assert_eq!(stored.received_ms, changed_at + 720_000);
}

#[test]
fn eta_through_the_server_comes_back_as_rta() {
    let server = ServerConfig {
        auto_rta: Some(AutoRta {
            lock_mmsi: LOCK,
            minutes: 30,
        }),
        ..ServerConfig::default()
    };
    let mut net = Net::new(server, vec![config(A, Mode::TacticalOnBoard, 10)]);
    net.run(T0, T0 + 1000, 1000, |_, _| Some(own(52.0, 5.0, 5.0, 90.0)));
    let location = InlandLocation {
        country: Text::from_str_lossy("NL"),
        locode: Text::from_str_lossy("RTM"),
        section: Text::from_str_lossy("00001"),
        terminal: Text::from_str_lossy("LOCK1"),
        hectometre: Text::from_str_lossy("00123"),
    };
    let eta = EtaReport {
        to: LOCK,
        location,
        eta: fields::eta("2026-11-18T12:00Z", T0).expect("ETA field"),
        tugs: 0,
        air_draught: 0,
    };
    net.clients[0]
        .send_eta(&eta, T0 + 2000)
        .expect("ETA queued");
    net.pump(T0 + 2000);
    let rtas: Vec<_> = net.events[0]
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Rta(r) => Some(r.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(rtas.len(), 1, "{:?}", net.events[0]);
    let r = &rtas[0];
    assert_eq!((r.from, r.to, r.status), (LOCK, A, 0));
    assert_eq!(r.location, location);
    assert_eq!(
        r.rta,
        DayTime {
            month: 11,
            day: 18,
            hour: 12,
            minute: 30
        }
    );
    assert_eq!(net.sent_times(0, 3).len(), 1, "one message 3 fetched it");
    let line = net.events[0]
        .iter()
        .find(|e| matches!(e, ClientEvent::Rta(_)))
        .map(|e| (e.at_ms(), e.to_string()));
    assert_eq!(
        line,
        Some((
            T0 + 2000,
            "AI-IP RTA from 244200001 to 244000001: 11-18 12:30 UTC, status 0".to_owned()
        ))
    );
    assert_eq!(net.server.stats().directed_delivered, 1);
}

#[test]
fn smart_sign_on_acknowledged_or_disabled_after_three_tries() {
    // Acknowledged: on, then a smart request for moored vessels, and a
    // sign-off at stop.
    let mut net = Net::new(
        ServerConfig::default(),
        vec![ClientConfig {
            smart: true,
            ..config(A, Mode::TacticalOnBoard, 10)
        }],
    );
    net.run(T0, T0 + 5000, 1000, |_, _| Some(own(52.0, 5.0, 5.0, 90.0)));
    assert_eq!(net.clients[0].status(T0 + 5000).smart, SmartState::On);
    // The acknowledgement is counted, like every datagram received.
    assert_eq!(net.clients[0].stats().acks, 1);
    assert_eq!(
        accounted(&net.clients[0]),
        net.clients[0].stats().datagrams_in
    );
    assert!(
        net.events[0]
            .iter()
            .any(|e| matches!(e, ClientEvent::SmartEnabled { .. }))
    );
    assert_eq!(net.sent_times(0, 20), vec![T0]);
    assert_eq!(net.sent_times(0, 22).len(), 1);
    net.clients[0].stop(T0 + 6000);
    net.pump(T0 + 6000);
    assert_eq!(net.sent_times(0, 21), vec![T0 + 6000]);
    assert!(
        net.events[0]
            .iter()
            .any(|e| matches!(e, ClientEvent::SmartSignedOff { at_ms } if *at_ms == T0 + 6000))
    );
    assert_eq!(net.clients[0].state(T0 + 6000), ClientState::Stopped);

    // Never acknowledged: three tries 4 s apart, then disabled; reporting
    // goes on.
    let mut net = Net::new(
        ServerConfig::default(),
        vec![ClientConfig {
            smart: true,
            ..config(A, Mode::TacticalOnBoard, 10)
        }],
    );
    net.deaf_to.insert(20);
    net.run(T0, T0 + 30_000, 100, |_, _| Some(own(52.0, 5.0, 5.0, 90.0)));
    assert_eq!(net.sent_times(0, 20), vec![T0, T0 + 4000, T0 + 8000]);
    assert_eq!(
        net.clients[0].status(T0 + 30_000).smart,
        SmartState::Disabled
    );
    assert!(net.events[0].iter().any(|e| matches!(
        e,
        ClientEvent::SmartDisabled { at_ms, reason } if *at_ms == T0 + 12_000 && reason.contains("3 tries")
    )));
    assert!(!net.clients[0].config().smart);
    assert!(net.sent_times(0, 1).len() >= 3);
    assert!(net.sent_times(0, 22).is_empty());
}

#[test]
fn mode_switch_at_runtime() {
    let mut net = Net::new(
        ServerConfig::default(),
        vec![config(A, Mode::TacticalOnBoard, 10)],
    );
    net.run(T0, T0 + 3000, 1000, |_, _| Some(own(52.0, 5.0, 5.0, 90.0)));
    assert!(
        net.clients[0]
            .set_mode(Mode::TacticalOnBoard, 30, T0 + 3500)
            .is_err()
    );
    assert_eq!(net.clients[0].config().range_km, 10);
    net.clients[0]
        .set_mode(Mode::Strategic, 40, T0 + 4000)
        .expect("valid switch");
    net.pump(T0 + 4000);
    let (t, d) = net.sent[0].last().expect("a report");
    assert_eq!(*t, T0 + 4000, "the switch reports at once");
    assert!(matches!(
        codec::decode(d),
        Ok(Message::PushRequest { range: Some(r), .. }) if r.km() == 40
    ));
    assert!(net.events[0].iter().any(|e| matches!(
        e,
        ClientEvent::ModeChanged {
            mode: Mode::Strategic,
            range_km: 40,
            ..
        }
    )));
    assert_eq!(net.clients[0].report_interval_ms(T0 + 4000), 60_000);
}

#[test]
fn packet_loss_still_converges() {
    for n in [2, 3, 5] {
        let mut net = Net::new(
            ServerConfig::default(),
            vec![
                config(A, Mode::TacticalOnBoard, 10),
                config(B, Mode::TacticalOnBoard, 10),
            ],
        );
        net.drop_every = Some(n);
        net.clients[0].set_static(own_static(A, "ALPHA"), T0);
        net.clients[1].set_static(own_static(B, "BRAVO"), T0);
        net.run(T0, T0 + 900_000, 1000, |i, _| Some(three_positions(i)));
        assert!(net.dropped > 0);
        assert_eq!(
            net.vessels(0, VesselKind::Position),
            BTreeSet::from([B]),
            "drop every {n}"
        );
        assert_eq!(
            net.vessels(1, VesselKind::Position),
            BTreeSet::from([A]),
            "drop every {n}"
        );
        assert_eq!(
            net.vessels(0, VesselKind::Static),
            BTreeSet::from([B]),
            "drop every {n}"
        );
        assert_eq!(
            net.vessels(1, VesselKind::Static),
            BTreeSet::from([A]),
            "drop every {n}"
        );
    }
}

#[test]
fn relay_turns_received_vessels_into_vdm() {
    let mut net = Net::new(
        ServerConfig::default(),
        vec![
            config(A, Mode::TacticalOnBoard, 10),
            config(B, Mode::TacticalOnBoard, 10),
        ],
    );
    net.clients[1].set_static(own_static(B, "BRAVO"), T0);
    net.run(T0, T0 + 30_000, 1000, |i, _| Some(three_positions(i)));
    let mut seq = 0;
    let sentences = relay_events(&net.events[0], &mut seq);
    assert!(sentences.iter().all(|s| s.starts_with("!AIVDM,")));
    let mut stream = AisStream::new();
    let mut types = BTreeSet::new();
    for s in &sentences {
        if let Ok(Outcome::Ais(r)) = stream.push_line(s.as_bytes(), T0) {
            assert_eq!(r.msg.mmsi, B);
            types.insert(r.msg.msg_type);
        }
    }
    assert_eq!(types, BTreeSet::from([1, 5]));
}

/// A deterministic byte generator (xorshift).
struct Bytes(u64);
impl Bytes {
    fn next(&mut self) -> u8 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 24) as u8
    }
}

fn accounted(c: &Client) -> u64 {
    let s = c.stats();
    s.oversized
        + s.rejected.values().sum::<u64>()
        + s.unexpected
        + s.responses
        + s.acks
        + s.stray_acks
}

#[test]
fn garbage_datagrams_are_counted_never_panic() {
    let mut c = Client::new(config(A, Mode::TacticalOnBoard, 10));
    c.set_own(own(52.0, 5.0, 5.0, 90.0), T0);
    let mut g = Bytes(0x9E37_79B9_7F4A_7C15);
    let mut n = 0u64;
    for i in 0..5000 {
        let len = usize::from(g.next()) % 64;
        let mut d: Vec<u8> = (0..len).map(|_| g.next()).collect();
        // Half of them look like a response or an acknowledgement.
        if i % 2 == 0 && !d.is_empty() {
            d[0] = if i % 4 == 0 { 4 } else { 23 };
        }
        c.handle_datagram(&d, T0 + i);
        n += 1;
    }
    for d in [
        vec![],
        vec![0u8; 9000],
        vec![1, 0, 0, 0, 0],
        b"\x04\x80\x00!AIVDM,1,1,,A,garbage,0*00".to_vec(),
        b"\x04\x80\x00!AIVDM,2,1,3,A,55P5TL01VIaAL@7WKO@mBplU@<PDhh000000001S;AJ::4A80?4i@E53,0*3E"
            .to_vec(),
    ] {
        c.handle_datagram(&d, T0 + 6000);
        n += 1;
    }
    let s = c.stats();
    assert_eq!(s.datagrams_in, n);
    assert_eq!(accounted(&c), n, "{s:?}");
    assert_eq!(s.oversized, 1);
    assert!(s.unexpected >= 1);
    assert!(s.bad_sentences >= 1);
    assert!(s.rejected.values().sum::<u64>() > 1000);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any sequence of datagrams and ticks: no panic, every datagram
    /// counted once, and the client keeps reporting.
    #[test]
    fn arbitrary_datagrams_are_accounted(
        datagrams in proptest::collection::vec(
            proptest::collection::vec(any::<u8>(), 0..80), 0..40),
        first in prop_oneof![Just(4u8), Just(23u8), any::<u8>()],
    ) {
        let mut c = Client::new(ClientConfig { smart: true, ..config(A, Mode::TacticalOnBoard, 10) });
        c.set_own(own(52.0, 5.0, 5.0, 90.0), T0);
        let mut t = T0;
        for mut d in datagrams.clone() {
            if let Some(b) = d.first_mut() && *b % 2 == 0 {
                *b = first;
            }
            c.set_own(own(52.0, 5.0, 5.0, 90.0), t);
            c.handle_datagram(&d, t);
            c.tick(t);
            // A link task sleeping until the next wake-up never spins.
            prop_assert!(c.next_wakeup_ms(t).is_none_or(|w| w > t));
            t += 1500;
        }
        prop_assert_eq!(c.stats().datagrams_in, datagrams.len() as u64);
        prop_assert_eq!(accounted(&c), datagrams.len() as u64);
        prop_assert!(!c.take_datagrams().is_empty());
    }
}

#[test]
fn an_answer_over_several_datagrams_is_joined_and_ends_at_final() {
    let mut c = Client::new(config(A, Mode::TacticalOnBoard, 10));
    c.set_own(own(52.0, 5.0, 5.0, 90.0), T0);
    assert_eq!(c.take_datagrams().len(), 1);
    assert_eq!(c.state(T0), ClientState::WaitingForAnswer);
    let static5 =
        bridgewatch::sim::untagged(&bridgewatch::sim::static_voyage(B, "BRAVO", "X"), 'A', 1);
    assert_eq!(static5.len(), 2);
    let first = codec::encode(&Message::Response {
        flags: Flags::EMPTY,
        content: Content::from_sentences(&static5[..1]).expect("content"),
    })
    .expect("encodes");
    c.handle_datagram(&first, T0 + 100);
    assert_eq!(
        c.state(T0 + 100),
        ClientState::WaitingForAnswer,
        "not final yet"
    );
    c.handle_datagram(&response(Flags::EMPTY, &static5[1..]), T0 + 200);
    assert_eq!(c.state(T0 + 200), ClientState::Reporting);
    let statics: Vec<u32> = c
        .take_events()
        .iter()
        .filter_map(|e| match e {
            ClientEvent::Vessel(v) if v.kind == VesselKind::Static => Some(v.received.msg.mmsi),
            _ => None,
        })
        .collect();
    assert_eq!(statics, vec![B]);
    // No resend: the answer came.
    c.tick(T0 + 5000);
    assert!(c.take_datagrams().is_empty());
}

/// Own status in the position reports client `i` pushed, with the time.
fn pushed_status(net: &Net, i: usize) -> Vec<(i64, u8)> {
    net.sent[i]
        .iter()
        .flat_map(|(t, d)| pushed_ais(d).into_iter().map(move |m| (*t, m)))
        .filter_map(|(t, m)| match m.body {
            Body::Position(p) if m.mmsi == net.clients[i].config().own_mmsi => Some((t, p.status)),
            _ => None,
        })
        .collect()
}

fn detected(net: &Net, i: usize) -> Vec<(i64, u8, u8)> {
    net.events[i]
        .iter()
        .filter_map(|e| match e {
            ClientEvent::StatusDetected {
                at_ms,
                status,
                previous,
                ..
            } => Some((*at_ms, *status, *previous)),
            _ => None,
        })
        .collect()
}

/// §3.3.3.14: a smart client that lies still for ten minutes reports itself
/// moored (every three minutes, as a moored class A does), another vessel's
/// smart request for moored vessels finds it, and a minute of steaming puts
/// the status back.
#[test]
fn smart_client_detects_moored_and_under_way_again() {
    let mut net = Net::new(
        ServerConfig::default(),
        vec![
            ClientConfig {
                smart: true,
                ..config(A, Mode::TacticalOnBoard, 10)
            },
            config(B, Mode::TacticalOnBoard, 10),
        ],
    );
    net.clients[0].set_nav_status(0, T0);
    // Lying at the berth with GNSS scatter of a few metres, SOG 0–0.2 kn.
    let berth = |t: i64| {
        let k = ((t / 1000) % 3) as f64 - 1.0;
        own(52.0 + k * 0.00004, 5.0, 0.1 + 0.1 * k, 90.0)
    };
    let end = T0 + 12 * 60_000;
    net.run(T0, end, 1000, |i, t| {
        Some(if i == 0 { berth(t) } else { three_positions(1) })
    });
    // Signed on at T0; the count starts with the next fix.
    let moored_at = T0 + 1000 + 600_000;
    assert_eq!(detected(&net, 0), vec![(moored_at, 5, 0)]);
    let said = net.events[0]
        .iter()
        .find(|e| matches!(e, ClientEvent::StatusDetected { .. }))
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        said.starts_with(
            "AI-IP smart: own status now moored (was under way using engine): \
             no movement for 10 min: SOG at most 0.2 kn, within "
        ),
        "{said}"
    );
    let status = net.clients[0].status(end);
    assert!((status.nav_status, status.status_detected) == (5, true));
    assert!(
        status.to_string().ends_with("· smart · moored (detected)"),
        "{status}"
    );
    // Reported at once when detected, then at the rate the traffic on
    // board needs (own reporting alone would be every three minutes).
    let reports = pushed_status(&net, 0);
    let after: Vec<(i64, u8)> = reports
        .iter()
        .copied()
        .filter(|(t, _)| *t >= moored_at)
        .collect();
    assert_eq!(after.first(), Some(&(moored_at, 5)));
    assert!(after.iter().all(|(_, s)| *s == 5));
    assert!(after.windows(2).all(|w| w[1].0 - w[0].0 == TRAFFIC_POLL_MS));
    assert_eq!(net.clients[0].report_interval_ms(end), 180_000);
    assert!(reports.iter().all(|(t, s)| *t >= moored_at || *s == 0));
    // B asks for the moored vessels around: A is among them.
    net.events[1].clear();
    net.clients[1]
        .smart_request(Selector::MOORED, end)
        .expect("smart request");
    net.pump(end);
    assert!(net.vessels(1, VesselKind::Position).contains(&A));

    // Casting off: 0.9 kn (between the thresholds) changes nothing; at
    // 3 kn along the quay, a minute after the first such fix, under way.
    let off = end + 1000;
    net.run(off, off + 120_000, 1000, |i, _| {
        Some(if i == 0 {
            own(52.0, 5.0, 0.9, 90.0)
        } else {
            three_positions(1)
        })
    });
    assert_eq!(detected(&net, 0).len(), 1);
    let go = off + 121_000;
    net.run(go, go + 90_000, 1000, |i, t| {
        Some(if i == 0 {
            let metres = (t - go) as f64 / 1000.0 * 3.0 * 1852.0 / 3600.0;
            own(52.0, 5.0 + metres / 68_600.0, 3.0, 90.0)
        } else {
            three_positions(1)
        })
    });
    assert_eq!(
        detected(&net, 0),
        vec![(moored_at, 5, 0), (go + 60_000, 0, 5)]
    );
    let last = pushed_status(&net, 0);
    assert_eq!(
        last.iter().find(|(t, _)| *t >= go + 60_000),
        Some(&(go + 60_000, 0))
    );
    // Reporting at the under-way rate again.
    assert_eq!(net.clients[0].report_interval_ms(go + 90_000), 10_000);
}

/// A status the officer chose for lying still is his; one he set to moored
/// ends when the vessel sails; without smart AI-IP nothing is detected;
/// switching smart AI-IP off takes a detected moored back.
#[test]
fn status_detection_respects_the_officer_and_needs_smart_ai_ip() {
    let still = |_: usize, _: i64| Some(own(52.0, 5.0, 0.0, 0.0));
    let smart = ClientConfig {
        smart: true,
        ..config(A, Mode::TacticalOnBoard, 10)
    };
    // At anchor (1): lying still changes nothing.
    let mut net = Net::new(ServerConfig::default(), vec![smart]);
    net.clients[0].set_nav_status(1, T0);
    net.run(T0, T0 + 15 * 60_000, 1000, still);
    assert!(detected(&net, 0).is_empty());

    // Moored by the officer, then under way: back to under way using
    // engine (0), the status that a moored without a known earlier one
    // gives way to.
    let mut net = Net::new(ServerConfig::default(), vec![smart]);
    net.clients[0].set_nav_status(5, T0);
    net.run(T0, T0 + 5000, 1000, still);
    net.run(T0 + 6000, T0 + 70_000, 1000, |_, _| {
        Some(own(52.0, 5.0, 4.0, 90.0))
    });
    assert_eq!(detected(&net, 0), vec![(T0 + 66_000, 0, 5)]);

    // Without smart AI-IP: no detection at all.
    let mut net = Net::new(
        ServerConfig::default(),
        vec![config(A, Mode::TacticalOnBoard, 10)],
    );
    net.run(T0, T0 + 15 * 60_000, 1000, still);
    assert!(detected(&net, 0).is_empty());
    assert_eq!(net.clients[0].status(T0 + 15 * 60_000).nav_status, 15);

    // `detect_status = false`: smart AI-IP on, no detection.
    let mut net = Net::new(
        ServerConfig::default(),
        vec![ClientConfig {
            detect_status: false,
            ..smart
        }],
    );
    net.run(T0, T0 + 15 * 60_000, 1000, still);
    assert!(detected(&net, 0).is_empty());

    // Detected moored, then smart AI-IP switched off: the earlier status
    // (not defined, 15) comes back and is reported at once.
    let mut net = Net::new(ServerConfig::default(), vec![smart]);
    net.run(T0, T0 + 11 * 60_000, 1000, still);
    assert_eq!(detected(&net, 0), vec![(T0 + 601_000, 5, 15)]);
    let t = T0 + 11 * 60_000 + 500;
    net.clients[0].set_smart(false, t);
    net.pump(t);
    assert_eq!(detected(&net, 0)[1], (t, 15, 5));
    assert_eq!(pushed_status(&net, 0).last(), Some(&(t, 15)));
    assert!(!net.clients[0].status(t).status_detected);

    // The officer's status wins over a detected one, and the count starts
    // again from it.
    let mut net = Net::new(ServerConfig::default(), vec![smart]);
    net.run(T0, T0 + 11 * 60_000, 1000, still);
    net.clients[0].set_nav_status(0, T0 + 11 * 60_000 + 500);
    assert!(
        !net.clients[0]
            .status(T0 + 11 * 60_000 + 500)
            .status_detected
    );
    net.run(T0 + 11 * 60_000 + 1000, T0 + 20 * 60_000, 1000, still);
    assert_eq!(detected(&net, 0).len(), 1);
}

/// §3.3.3.17: after the sign-on, the moored vessels around are asked for
/// — once own position is known, when the acknowledgement came before the
/// first fix (a console started before its GNSS).
#[test]
fn moored_vessels_are_asked_for_once_own_position_is_known() {
    let mut net = Net::new(
        ServerConfig::default(),
        vec![ClientConfig {
            smart: true,
            ..config(A, Mode::TacticalOnBoard, 10)
        }],
    );
    // No fix for 5 s: signed on, nothing to ask with.
    net.run(T0, T0 + 5000, 1000, |_, _| None);
    assert_eq!(net.clients[0].status(T0 + 5000).smart, SmartState::On);
    assert!(net.sent_times(0, 22).is_empty());
    // The first fix: the ask goes with it, once.
    net.run(T0 + 6000, T0 + 30_000, 1000, |_, _| {
        Some(own(52.0, 5.0, 0.0, 0.0))
    });
    assert_eq!(net.sent_times(0, 22), vec![T0 + 6000]);
    assert_eq!(net.server.stats().smart_requests, 1);
}

/// The server validates addresses (its default): our client gets the token
/// with its first (cut) answer, asks again at once with it and has the full
/// picture from then on; behind a new address it does the same again.
#[test]
fn the_client_validates_its_address_transparently_and_again_after_a_change() {
    let mut net = Net::new(
        ServerConfig::default(),
        vec![
            config(A, Mode::TacticalOnBoard, 10),
            config(B, Mode::TacticalOnBoard, 10),
        ],
    );
    // 40 vessels around A and B: more than a first answer may carry.
    for k in 0..40u32 {
        let m = bridgewatch::sim::class_a(
            300_000_000 + k,
            (52.02 + f64::from(k) * 0.0005, 5.02),
            Some(90.0),
            5.0,
            0,
            10,
        );
        let content =
            Content::from_sentences(&bridgewatch::sim::untagged(&m, 'A', 0)).expect("content");
        let d = codec::encode(&Message::PushRequest {
            timestamp: codec::Timestamp::from_unix_ms(T0).expect("timestamp"),
            content,
            range: None,
        })
        .expect("encodes");
        net.server.handle(&d, 1000 + k as usize, T0);
    }
    net.run(T0, T0 + 30_000, 1000, |i, _| Some(three_positions(i)));
    assert!(net.vessels(0, VesselKind::Position).contains(&B));
    assert!(net.vessels(1, VesselKind::Position).contains(&A));
    for i in 0..2 {
        let st = net.clients[i].stats();
        assert!(st.tokens >= 1, "client {i}: {st:?}");
        assert_eq!(st.limited_answers, 1, "client {i}: {st:?}");
        assert_eq!(st.revalidations, 1, "client {i}: {st:?}");
        assert_eq!(net.vessels(i, VesselKind::Position).len(), 41, "client {i}");
    }
    assert_eq!(net.server.stats().validated, 2);
    assert_eq!(net.server.stats().token_refused.values().sum::<u64>(), 0);
    // Every request of the last 20 s was answered in full: no cut since.
    let limited = net.server.stats().unvalidated_limited;
    net.run(T0 + 31_000, T0 + 60_000, 1000, |i, _| {
        Some(three_positions(i))
    });
    assert_eq!(net.server.stats().unvalidated_limited, limited);
    // A's NAT gives it another address: its token no longer holds there.
    net.addr[0] = 100;
    net.events[0].clear();
    net.run(T0 + 61_000, T0 + 90_000, 1000, |i, _| {
        Some(three_positions(i))
    });
    assert_eq!(net.server.stats().token_refused.get("forged"), Some(&1));
    assert_eq!(net.server.stats().validated, 3);
    assert_eq!(net.clients[0].stats().revalidations, 2);
    assert_eq!(net.vessels(0, VesselKind::Position).len(), 41);
}
