//! `bridgewatch aiip-server` as a user runs it: the real binary on
//! 127.0.0.1, clients are plain UDP sockets speaking our codec without the
//! address-validation token, so loopback is allowed (`--allow`). Every wait
//! is bounded by a receive timeout; the server is stopped at the end.

use std::io::Read;
use std::net::UdpSocket;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use bridgewatch::aiip::codec::{self, Content, Flags, Identifier, Message, RangeKm, Timestamp};
use bridgewatch::ais::application::{AddressedApp, DayTime, InlandEta, InlandLocation, InlandRta};
use bridgewatch::ais::encode::{encode, to_vdm};
use bridgewatch::ais::messages::AddressedBinary;
use bridgewatch::ais::stream::{AisStream, Outcome};
use bridgewatch::ais::{AisMessage, Body};
use bridgewatch::nmea::armour::Text;

const A: u32 = 244_000_001;
const B: u32 = 244_000_002;
const FAR: u32 = 244_000_003;
const LOCK: u32 = 244_200_001;

/// The server process, killed when dropped (also when a test fails).
struct ServerProcess(Child);

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    let s = UdpSocket::bind("127.0.0.1:0").expect("bind port 0");
    s.local_addr().expect("local address").port()
}

fn client(port: u16) -> UdpSocket {
    let s = UdpSocket::bind("127.0.0.1:0").expect("client bind");
    s.connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    s
}

fn ts() -> Timestamp {
    Timestamp::from_fields(2026, 11, 22, 12, 0, 0).expect("timestamp")
}

fn send(s: &UdpSocket, m: &Message) {
    s.send(&codec::encode(m).expect("encodes")).expect("send");
}

/// The next datagram, decoded; panics after the receive timeout.
fn recv(s: &UdpSocket) -> Message {
    let mut buf = vec![0u8; 9000];
    let n = s.recv(&mut buf).expect("a reply before the timeout");
    codec::decode(&buf[..n]).expect("reply decodes")
}

/// A message-4 response as (flags, content).
fn response(s: &UdpSocket) -> (Flags, String) {
    match recv(s) {
        Message::Response { flags, content } => (flags, content.as_str().to_owned()),
        other => panic!("expected a response, got {other:?}"),
    }
}

fn vdm(m: &AisMessage) -> String {
    to_vdm(&encode(m).expect("AIS encodes"), "AI", false, Some('A'), 0).join("\r")
}

fn position(mmsi: u32, lat: f64, lon: f64) -> String {
    let m = bridgewatch::sim::class_a(mmsi, (lat, lon), Some(180.0), 4.0, 0, 5);
    bridgewatch::sim::untagged(&m, 'A', 0).join("\r")
}

fn location() -> InlandLocation {
    InlandLocation {
        country: Text::from_str_lossy("NL"),
        locode: Text::from_str_lossy("RTM"),
        section: Text::from_str_lossy("00001"),
        terminal: Text::from_str_lossy("LOCK1"),
        hectometre: Text::from_str_lossy("00123"),
    }
}

fn push(s: &UdpSocket, text: &str, range: Option<u8>) {
    send(
        s,
        &Message::PushRequest {
            timestamp: ts(),
            content: Content::new(text).expect("content"),
            range: range.and_then(RangeKm::new),
        },
    );
}

/// Signs `mmsi` on, retrying while the server starts (bounded).
fn sign_on(s: &UdpSocket, mmsi: u32) {
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    let on = Message::SignOn {
        timestamp: ts(),
        identifier: Identifier::mmsi(mmsi),
    };
    let mut buf = vec![0u8; 9000];
    let mut acked = false;
    for _ in 0..100 {
        send(s, &on);
        match s.recv(&mut buf) {
            Ok(n) => {
                assert_eq!(
                    codec::decode(&buf[..n]),
                    Ok(Message::Acknowledgement { timestamp: ts() })
                );
                acked = true;
                break;
            }
            // Nobody listening yet: the port is refused at once.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(_) => {}
        }
    }
    assert!(acked, "the server never acknowledged the sign-on");
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
}

#[test]
fn range_auto_rta_and_garbage_through_the_real_binary() {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .args([
            "aiip-server",
            "--listen",
            &format!("127.0.0.1:{port}"),
            // These clients speak the standard alone (no address token).
            "--allow",
            "127.0.0.0/8",
            "--auto-rta",
            "30",
            "--lock-mmsi",
            &LOCK.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("server starts");
    let mut server = ServerProcess(child);

    let (a, b, far) = (client(port), client(port), client(port));
    sign_on(&a, A);
    sign_on(&b, B);
    sign_on(&far, FAR);

    // A and the far vessel report (with a range, so the answer says the
    // report was processed); B then asks for 10 km around itself.
    let pos_a = position(A, 51.90, 4.40);
    push(&a, &pos_a, Some(10));
    assert_eq!(response(&a), (Flags::FINAL, String::new()));
    push(&far, &position(FAR, 53.20, 6.60), Some(10));
    assert_eq!(response(&far), (Flags::FINAL, String::new()));
    push(&b, &position(B, 51.92, 4.45), Some(10));
    let (flags, content) = response(&b);
    assert!(flags.contains(Flags::FINAL));
    assert_eq!(content, pos_a, "A in range; neither the far vessel nor B");

    // B reports its ETA to the lock: the RTA is flagged at once ...
    let eta = vdm(&AisMessage {
        msg_type: 6,
        repeat: 0,
        mmsi: B,
        body: Body::AddressedBinary(Box::new(AddressedBinary {
            seqno: 1,
            dest_mmsi: LOCK,
            retransmit: false,
            dac: 200,
            fid: 21,
            app: AddressedApp::InlandEta(InlandEta {
                location: location(),
                eta: DayTime {
                    month: 11,
                    day: 22,
                    hour: 14,
                    minute: 50,
                },
                tugs: 0,
                air_draught: 0,
            }),
        })),
    });
    push(&b, &format!("{}\r{eta}", position(B, 51.92, 4.45)), None);
    let (flags, content) = response(&b);
    assert!(flags.contains(Flags::RTA), "RTA waiting: {flags:?}");
    assert_eq!(content, "");

    // ... and message 3 hands it over: FI 22 from the lock, ETA + 30 min.
    send(
        &b,
        &Message::RequestLocation {
            timestamp: ts(),
            flags: Flags::RTA,
        },
    );
    let (_, content) = response(&b);
    let mut stream = AisStream::new();
    let mut rta = None;
    for line in content.split('\r') {
        if let Ok(Outcome::Ais(r)) = stream.push_line(line.as_bytes(), 0) {
            rta = Some(r.msg);
        }
    }
    let rta = rta.expect("an AIS message in the answer");
    assert_eq!((rta.msg_type, rta.mmsi), (6, LOCK));
    let Body::AddressedBinary(bin) = rta.body else {
        panic!("not an addressed binary message");
    };
    assert_eq!((bin.dest_mmsi, bin.dac, bin.fid), (B, 200, 22));
    assert_eq!(
        bin.app,
        AddressedApp::InlandRta(InlandRta {
            location: location(),
            rta: DayTime {
                month: 11,
                day: 22,
                hour: 15,
                minute: 20
            },
            status: 0,
        })
    );

    // Garbage, truncated and oversized datagrams do not stop the server.
    let junk = client(port);
    for d in [
        &b"\xFF\xFE garbage"[..],
        &[codec::id::SIGN_ON, 0x01][..],
        &[codec::id::PUSH_REQUEST, 0, 0, 0][..],
        &vec![b'!'; 8200][..],
    ] {
        junk.send(d).expect("send junk");
    }
    send(
        &a,
        &Message::SignOff {
            timestamp: ts(),
            identifier: Identifier::mmsi(A),
        },
    );
    assert_eq!(recv(&a), Message::Acknowledgement { timestamp: ts() });

    // SIGTERM: the server ends and prints its counters.
    let stopped = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(stopped.success());
    let status = server.0.wait().expect("server ends");
    assert!(status.success(), "exit status {status:?}");
    let mut err = String::new();
    if let Some(mut e) = server.0.stderr.take() {
        e.read_to_string(&mut err).expect("stderr");
    }
    assert!(err.contains("oversized=1"), "{err}");
    assert!(err.contains("rejected_unknown_id=1"), "{err}");
    assert!(err.contains("auto_rtas=1"), "{err}");
}

const EMMA: &str = "!AIVDM,1,1,,A,85Mwp`1Kf3aCnsNvBWLi=wQuNhA5t43N`5nCuI=p<IBfVqnMgPGs,0*47";

fn info_file(kind: &str) -> String {
    format!(
        "[[info]]\nkind = \"{kind}\"\narea = {{ south = 51.5, west = 4.0, north = 52.5, east = 5.0 }}\n\
         sentences = [\"{EMMA}\"]\n"
    )
}

#[test]
fn local_information_file_is_served_read_again_and_received_messages_relayed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("local.toml");
    std::fs::write(&path, info_file("emma")).expect("write local information");
    let vts = UdpSocket::bind("127.0.0.1:0").expect("relay receiver");
    vts.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .args([
            "aiip-server",
            "--listen",
            &format!("127.0.0.1:{port}"),
            // These clients speak the standard alone (no address token).
            "--allow",
            "127.0.0.0/8",
            "--local-info",
            &path.to_string_lossy(),
            "--relay",
            &format!("udp:{}", vts.local_addr().expect("address")),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("server starts");
    let mut server = ServerProcess(child);
    let a = client(port);
    sign_on(&a, A);

    // Inside the area: the EMMA flag; message 3 hands the warning over.
    let pos_a = position(A, 51.90, 4.40);
    push(&a, &pos_a, None);
    let (flags, _) = response(&a);
    assert!(flags.contains(Flags::EMMA_WARNING), "{flags:?}");
    send(
        &a,
        &Message::RequestLocation {
            timestamp: ts(),
            flags: Flags::EMMA_WARNING,
        },
    );
    assert_eq!(response(&a).1, EMMA);

    // The report went on to the external system as NMEA.
    let mut buf = vec![0u8; 2000];
    let n = vts.recv(&mut buf).expect("relayed datagram");
    assert_eq!(
        String::from_utf8_lossy(&buf[..n]),
        format!("{}\r\n", pos_a.replace('\r', "\r\n"))
    );

    // A broken edit is refused and the old information stays in force ...
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::write(&path, "[[info]]\nkind = \"rain\"\n").expect("write");
    std::thread::sleep(Duration::from_millis(2600));
    push(&a, &pos_a, None);
    assert!(response(&a).0.contains(Flags::EMMA_WARNING));
    // ... a good one replaces it (checked every 2 s).
    std::fs::write(&path, info_file("water_level")).expect("write");
    let mut flags = Flags::default();
    for _ in 0..30 {
        std::thread::sleep(Duration::from_millis(200));
        push(&a, &pos_a, None);
        flags = response(&a).0;
        if flags.contains(Flags::WATER_LEVEL) {
            break;
        }
    }
    assert!(flags.contains(Flags::WATER_LEVEL), "{flags:?}");
    assert!(!flags.contains(Flags::EMMA_WARNING));

    let _ = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status();
    let _ = server.0.wait();
    let mut err = String::new();
    if let Some(mut e) = server.0.stderr.take() {
        e.read_to_string(&mut err).expect("stderr");
    }
    assert!(err.contains("1 local information item(s)"), "{err}");
    assert!(err.contains("unknown variant"), "{err}");
    assert!(
        err.contains("previous local information stays in force"),
        "{err}"
    );
    assert!(err.contains("read again: 1 item(s)"), "{err}");
}

#[test]
fn a_local_information_file_with_a_mistake_is_refused_at_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("local.toml");
    std::fs::write(
        &path,
        "[[info]]\nkind = \"update_rate\"\narea = { south = 1.0, west = 1.0, north = 2.0, east = 2.0 }\ninterval_s = 3\n",
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_bridgewatch"))
        .args(["aiip-server", "--listen", "127.0.0.1:0", "--local-info"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("info 1: interval_s 3"), "{err}");
}
