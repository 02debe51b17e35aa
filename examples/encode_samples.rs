//! Prints a handful of encoded messages as VDM sentences, one message per
//! line (fragments separated by spaces), for checking against other decoders
//! such as gpsd's `gpsdecode -u -j`.

use bridgewatch::ais::application::*;
use bridgewatch::ais::encode::{encode, to_vdm};
use bridgewatch::ais::messages::*;
use bridgewatch::nmea::armour::Text;

fn t<const N: usize>(s: &str) -> Text<N> {
    Text::from_str_lossy(s)
}

fn main() {
    let loc = InlandLocation {
        country: t("DE"),
        locode: t("DUI"),
        section: t("00001"),
        terminal: t("00000"),
        hectometre: t("00123"),
    };
    let msgs = vec![
        AisMessage {
            msg_type: 1,
            repeat: 0,
            mmsi: 244123456,
            body: Body::Position(PositionReport {
                status: 0,
                turn: -20,
                speed: 123,
                accuracy: true,
                lon: 4_123_456,
                lat: 31_234_567,
                course: 2345,
                heading: 233,
                second: 42,
                maneuver: 0,
                spare: 0,
                raim: false,
                radio: 12345,
            }),
        },
        AisMessage {
            msg_type: 5,
            repeat: 0,
            mmsi: 244123456,
            body: Body::StaticVoyage(Box::new(StaticVoyageData {
                ais_version: 2,
                imo: 9123456,
                callsign: t("PDAB"),
                shipname: t("RIJNSTROOM"),
                shiptype: 79,
                dim: Dimensions {
                    to_bow: 100,
                    to_stern: 10,
                    to_port: 5,
                    to_starboard: 6,
                },
                epfd: 1,
                month: 11,
                day: 22,
                hour: 14,
                minute: 30,
                draught: 35,
                destination: t("DUISBURG"),
                dte: false,
            })),
        },
        AisMessage {
            msg_type: 18,
            repeat: 0,
            mmsi: 244999888,
            body: Body::ClassB(ClassBPosition {
                reserved: 0,
                speed: 55,
                accuracy: false,
                lon: -3_000_000,
                lat: 30_000_000,
                course: 900,
                heading: 511,
                second: 12,
                regional: 0,
                cs: true,
                display: false,
                dsc: true,
                band: true,
                msg22: true,
                assigned: false,
                raim: false,
                radio: 917510,
            }),
        },
        AisMessage {
            msg_type: 24,
            repeat: 0,
            mmsi: 244999888,
            body: Body::StaticData(Box::new(StaticDataReport::PartA {
                shipname: t("SEA BREEZE"),
            })),
        },
        AisMessage {
            msg_type: 24,
            repeat: 0,
            mmsi: 244999888,
            body: Body::StaticData(Box::new(StaticDataReport::PartB {
                shiptype: 37,
                vendorid: t("ABC1234"),
                model: 0,
                serial: 0,
                callsign: t("PB1234"),
                dim: Dimensions {
                    to_bow: 8,
                    to_stern: 4,
                    to_port: 2,
                    to_starboard: 2,
                },
                mothership_mmsi: None,
            })),
        },
        AisMessage {
            msg_type: 6,
            repeat: 0,
            mmsi: 244123456,
            body: Body::AddressedBinary(Box::new(AddressedBinary {
                seqno: 1,
                dest_mmsi: 211000001,
                retransmit: false,
                dac: 200,
                fid: 21,
                app: AddressedApp::InlandEta(InlandEta {
                    location: loc,
                    eta: DayTime {
                        month: 11,
                        day: 22,
                        hour: 14,
                        minute: 30,
                    },
                    tugs: 0,
                    air_draught: 750,
                }),
            })),
        },
        AisMessage {
            msg_type: 6,
            repeat: 0,
            mmsi: 211000001,
            body: Body::AddressedBinary(Box::new(AddressedBinary {
                seqno: 2,
                dest_mmsi: 244123456,
                retransmit: false,
                dac: 200,
                fid: 22,
                app: AddressedApp::InlandRta(InlandRta {
                    location: loc,
                    rta: DayTime {
                        month: 11,
                        day: 22,
                        hour: 15,
                        minute: 0,
                    },
                    status: 0,
                }),
            })),
        },
        AisMessage {
            msg_type: 6,
            repeat: 0,
            mmsi: 244123456,
            body: Body::AddressedBinary(Box::new(AddressedBinary {
                seqno: 0,
                dest_mmsi: 2442000,
                retransmit: false,
                dac: 200,
                fid: 55,
                app: AddressedApp::InlandPersons(InlandPersons {
                    crew: 4,
                    passengers: 120,
                    personnel: 2,
                }),
            })),
        },
        AisMessage {
            msg_type: 8,
            repeat: 0,
            mmsi: 244123456,
            body: Body::BroadcastBinary(Box::new(BroadcastBinary {
                dac: 200,
                fid: 10,
                app: BroadcastApp::InlandStatic(InlandStatic {
                    vin: t("02103547"),
                    length: 1100,
                    beam: 114,
                    shiptype: 8010,
                    hazard: 0,
                    draught: 350,
                    loaded: 2,
                    speed_q: false,
                    course_q: false,
                    heading_q: false,
                }),
            })),
        },
        AisMessage {
            msg_type: 12,
            repeat: 0,
            mmsi: 244123456,
            body: Body::SafetyAddressed(Box::new(SafetyAddressed {
                seqno: 1,
                dest_mmsi: 244999888,
                retransmit: false,
                text: t("PLEASE KEEP CLEAR OF MY STARBOARD SIDE"),
            })),
        },
        AisMessage {
            msg_type: 14,
            repeat: 0,
            mmsi: 244123456,
            body: Body::SafetyBroadcast {
                text: t("SECURITE DREDGING IN FAIRWAY KM 780"),
            },
        },
    ];
    for m in &msgs {
        match encode(m) {
            Ok(bits) => println!("{}", to_vdm(&bits, "AI", false, Some('A'), 1).join(" ")),
            Err(e) => eprintln!("{e}"),
        }
    }
}
