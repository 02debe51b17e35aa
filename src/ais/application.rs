//! Binary application messages carried in messages 6 and 8: the Inland AIS
//! DAC 200 functions (FI 10, 21, 22, 23, 24, 40, 55) exactly as tabled in the
//! Inland AIS standard §2.4.4.2, the IMO DAC 1 functions met/hydro (FI 11 of
//! SN/Circ.236 and FI 31 of SN.1/Circ.289), dangerous cargo (FI 12), tidal
//! window (FI 14/32), clearance time (FI 18) and text (FI 30), and the GLA
//! AtoN monitoring message (DAC 235/250 FI 10). Anything else is kept as raw
//! bits, as gpsd does.
//!
//! A known DAC/FI whose length does not match its table is also kept raw: a
//! wrong-length payload is more likely a private use of the same FI than a
//! message we can trust field by field (the interpretations are in
//! `docs/interpretations.md`).

use crate::nmea::armour::{BitData, Payload, Text};

/// Inland AIS FI 21 (ETA at lock/bridge/terminal) and FI 22 (RTA): the
/// ISRS location code and the time, shared by both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlandLocation {
    /// UN country code, 2 characters.
    pub country: Text<2>,
    /// UN location code, 3 characters.
    pub locode: Text<3>,
    /// Fairway section number, 5 characters.
    pub section: Text<5>,
    /// Terminal code, 5 characters.
    pub terminal: Text<5>,
    /// Fairway hectometre, 5 characters.
    pub hectometre: Text<5>,
}

/// Month/day/hour/minute as Inland AIS and IMO messages carry them
/// (0/0/24/60 = not available).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayTime {
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
}

impl DayTime {
    fn read(p: &Payload, at: usize) -> Self {
        DayTime {
            month: p.ubits(at, 4) as u8,
            day: p.ubits(at + 4, 5) as u8,
            hour: p.ubits(at + 9, 5) as u8,
            minute: p.ubits(at + 14, 6) as u8,
        }
    }
}

/// DAC 200 FI 21: ETA report to a lock, bridge or terminal (table 2.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlandEta {
    pub location: InlandLocation,
    pub eta: DayTime,
    /// Assisting tugboats 0–6, 7 = unknown.
    pub tugs: u8,
    /// Air draught in 1/100 m, 0 = not used.
    pub air_draught: u16,
}

/// DAC 200 FI 22: RTA reply (table 2.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlandRta {
    pub location: InlandLocation,
    pub rta: DayTime,
    /// Lock/bridge/terminal status: 0 operational, 1 limited operation,
    /// 2 out of order, 3 not available (two bits; see docs).
    pub status: u8,
}

/// DAC 200 FI 55: persons on board (table 2.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlandPersons {
    /// 0–254, 255 = unknown.
    pub crew: u8,
    /// 0–8190, 8191 = unknown.
    pub passengers: u16,
    /// 0–254, 255 = unknown.
    pub personnel: u8,
}

/// DAC 235/250 FI 10: GLA AtoN monitoring data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AtonMonitoring {
    pub ana_int: u16,
    pub ana_ext1: u16,
    pub ana_ext2: u16,
    pub racon: u8,
    pub light: u8,
    pub alarm: bool,
    pub stat_ext: u8,
    pub off_pos: bool,
}

/// DAC 1 FI 12 (SN/Circ.236): dangerous cargo indication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DangerousCargo {
    pub lastport: Text<5>,
    pub departure: DayTime,
    pub nextport: Text<5>,
    pub eta: DayTime,
    pub dangerous: Text<20>,
    pub imdcat: Text<4>,
    pub unid: u16,
    pub amount: u16,
    pub unit: u8,
}

/// One window of a tidal window message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TidalWindow {
    pub lon: i32,
    pub lat: i32,
    pub from_hour: u8,
    pub from_min: u8,
    pub to_hour: u8,
    pub to_min: u8,
    pub cdir: u16,
    pub cspeed: u8,
}

/// DAC 1 FI 14 (Circ.236) or FI 32 (Circ.289): tidal windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TidalWindows {
    pub month: u8,
    pub day: u8,
    pub windows: Vec<TidalWindow>,
}

/// DAC 1 FI 18 (Circ.289): clearance time to enter port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClearanceTime {
    pub linkage: u16,
    pub time: DayTime,
    pub portname: Text<20>,
    pub destination: Text<5>,
    /// 1/1000 min.
    pub lon: i32,
    pub lat: i32,
}

/// Application data of message 6.
#[derive(Debug, Clone, PartialEq)]
pub enum AddressedApp {
    InlandEta(InlandEta),
    InlandRta(InlandRta),
    InlandPersons(InlandPersons),
    AtonMonitoring(AtonMonitoring),
    DangerousCargo(Box<DangerousCargo>),
    /// FI 14 (`imo236` true) or FI 32.
    TidalWindows {
        imo236: bool,
        tidal: TidalWindows,
    },
    ClearanceTime(Box<ClearanceTime>),
    Text {
        linkage: u16,
        text: Text<160>,
    },
    Raw(BitData),
}

fn len_ok(bits: usize, exact: usize) -> bool {
    // A payload padded to the next 6-bit character boundary is still fine.
    bits >= exact && bits < exact + 6
}

fn location(p: &Payload) -> InlandLocation {
    InlandLocation {
        country: p.text(88, 2),
        locode: p.text(100, 3),
        section: p.text(118, 5),
        terminal: p.text(148, 5),
        hectometre: p.text(178, 5),
    }
}

impl AddressedApp {
    /// Decode the data part of message 6 (starting at bit 88).
    pub fn decode(p: &Payload, dac: u16, fid: u8) -> Self {
        let bits = p.bit_len();
        let u = |s: usize, w: usize| p.ubits(s, w);
        match (dac, fid) {
            (200, 21) if len_ok(bits, 248) => AddressedApp::InlandEta(InlandEta {
                location: location(p),
                eta: DayTime::read(p, 208),
                tugs: u(228, 3) as u8,
                air_draught: u(231, 12) as u16,
            }),
            (200, 22) if len_ok(bits, 232) => AddressedApp::InlandRta(InlandRta {
                location: location(p),
                rta: DayTime::read(p, 208),
                status: u(228, 2) as u8,
            }),
            (200, 55) if len_ok(bits, 168) => AddressedApp::InlandPersons(InlandPersons {
                crew: u(88, 8) as u8,
                passengers: u(96, 13) as u16,
                personnel: u(109, 8) as u8,
            }),
            (235 | 250, 10) if len_ok(bits, 136) => AddressedApp::AtonMonitoring(AtonMonitoring {
                ana_int: u(88, 10) as u16,
                ana_ext1: u(98, 10) as u16,
                ana_ext2: u(108, 10) as u16,
                racon: u(118, 2) as u8,
                light: u(120, 2) as u8,
                alarm: u(122, 1) == 1,
                stat_ext: u(123, 8) as u8,
                off_pos: u(131, 1) == 1,
            }),
            (1, 12) => AddressedApp::DangerousCargo(Box::new(DangerousCargo {
                lastport: p.text(88, 5),
                departure: DayTime::read(p, 118),
                nextport: p.text(138, 5),
                eta: DayTime::read(p, 168),
                dangerous: p.text(188, 20),
                imdcat: p.text(308, 4),
                unid: u(332, 13) as u16,
                amount: u(345, 10) as u16,
                unit: u(355, 2) as u8,
            })),
            (1, 14) | (1, 32) => {
                let imo236 = fid == 14;
                let size = if imo236 { 93 } else { 88 };
                let mut windows = Vec::new();
                let mut a = 97;
                while a <= bits && windows.len() < 16 {
                    let w = if imo236 {
                        TidalWindow {
                            lat: p.sbits(a, 27) as i32,
                            lon: p.sbits(a + 27, 28) as i32,
                            from_hour: u(a + 55, 5) as u8,
                            from_min: u(a + 60, 6) as u8,
                            to_hour: u(a + 66, 5) as u8,
                            to_min: u(a + 71, 6) as u8,
                            cdir: u(a + 77, 9) as u16,
                            cspeed: u(a + 86, 7) as u8,
                        }
                    } else {
                        TidalWindow {
                            lon: p.sbits(a, 25) as i32,
                            lat: p.sbits(a + 25, 24) as i32,
                            from_hour: u(a + 49, 5) as u8,
                            from_min: u(a + 54, 6) as u8,
                            to_hour: u(a + 60, 5) as u8,
                            to_min: u(a + 65, 6) as u8,
                            cdir: u(a + 71, 9) as u16,
                            cspeed: u(a + 80, 8) as u8,
                        }
                    };
                    windows.push(w);
                    a += size;
                }
                AddressedApp::TidalWindows {
                    imo236,
                    tidal: TidalWindows {
                        month: u(88, 4) as u8,
                        day: u(92, 5) as u8,
                        windows,
                    },
                }
            }
            (1, 18) => AddressedApp::ClearanceTime(Box::new(ClearanceTime {
                linkage: u(88, 10) as u16,
                time: DayTime::read(p, 98),
                portname: p.text(118, 20),
                destination: p.text(238, 5),
                lon: p.sbits(268, 25) as i32,
                lat: p.sbits(293, 24) as i32,
            })),
            (1, 30) => AddressedApp::Text {
                linkage: u(88, 10) as u16,
                text: p.text_to_end(98),
            },
            _ => AddressedApp::Raw(p.tail(88)),
        }
    }
}

/// DAC 200 FI 10: inland ship static and voyage related data (table 2.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlandStatic {
    /// European ship number (ENI), 8 characters.
    pub vin: Text<8>,
    /// Length in 0.1 m, 0 = not available.
    pub length: u16,
    /// Beam in 0.1 m, 0 = not available.
    pub beam: u16,
    /// ERI ship or convoy type (see `eri-ship-types.tsv`).
    pub shiptype: u16,
    /// Blue cones/lights 0–3, 4 = B-flag, 5 = unknown.
    pub hazard: u8,
    /// Draught in 0.01 m, 0 = unknown.
    pub draught: u16,
    /// 1 = loaded, 2 = unloaded, 0 = not available.
    pub loaded: u8,
    pub speed_q: bool,
    pub course_q: bool,
    pub heading_q: bool,
}

/// DAC 200 FI 23: EMMA weather warning (table 2.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmmaWarning {
    /// Years since 2000.
    pub start_year: u8,
    pub start_month: u8,
    pub start_day: u8,
    pub end_year: u8,
    pub end_month: u8,
    pub end_day: u8,
    pub start_hour: u8,
    pub start_minute: u8,
    pub end_hour: u8,
    pub end_minute: u8,
    pub start_lon: i32,
    pub start_lat: i32,
    pub end_lon: i32,
    pub end_lat: i32,
    /// Weather type (table 2.12).
    pub kind: u8,
    /// Minimum value, sign-magnitude decoded; `None` = 255 unknown.
    pub min: Option<i16>,
    pub max: Option<i16>,
    /// Classification 0–3 (table 2.13).
    pub intensity: u8,
    /// Wind direction (table 2.14).
    pub wind: u8,
}

/// One gauge of DAC 200 FI 24.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gauge {
    /// 1–2047, 0 = unknown.
    pub id: u16,
    /// Water level in 1/100 m, sign-magnitude decoded; `None` when unknown.
    pub level: Option<i16>,
}

/// DAC 200 FI 24: water levels (table 2.15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaterLevels {
    pub country: Text<2>,
    pub gauges: [Gauge; 4],
}

/// DAC 200 FI 40: signal status (table 2.16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignalStatus {
    pub lon: i32,
    pub lat: i32,
    /// Signal form 1–14, 0/15 unknown.
    pub form: u8,
    /// Orientation 0–359, 511 unknown.
    pub facing: u16,
    /// 1 upstream, 2 downstream, 3 to left bank, 4 to right bank.
    pub direction: u8,
    /// Up to nine light states as decimal digits (100000000 = colour 1 at
    /// light 1).
    pub status: u32,
}

/// DAC 1 FI 11 (Circ.236) and FI 31 (Circ.289): meteorological and
/// hydrographic data. Raw values; FI 11 and FI 31 differ in widths, offsets
/// and signedness, told apart by `fid`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MetHydro {
    pub lon: i32,
    pub lat: i32,
    /// FI 31 only.
    pub accuracy: bool,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub wspeed: u8,
    pub wgust: u8,
    pub wdir: u16,
    pub wgustdir: u16,
    pub airtemp: i16,
    pub humidity: u8,
    pub dewpoint: i16,
    pub pressure: u16,
    pub pressuretend: u8,
    /// FI 31 only.
    pub visgreater: bool,
    pub visibility: u8,
    pub waterlevel: i16,
    pub leveltrend: u8,
    pub cspeed: u8,
    pub cdir: u16,
    pub cspeed2: u8,
    pub cdir2: u16,
    pub cdepth2: u8,
    pub cspeed3: u8,
    pub cdir3: u16,
    pub cdepth3: u8,
    pub waveheight: u8,
    pub waveperiod: u8,
    pub wavedir: u16,
    pub swellheight: u8,
    pub swellperiod: u8,
    pub swelldir: u16,
    pub seastate: u8,
    pub watertemp: i16,
    pub preciptype: u8,
    pub salinity: u16,
    pub ice: u8,
}

/// Application data of message 8.
#[derive(Debug, Clone, PartialEq)]
pub enum BroadcastApp {
    InlandStatic(InlandStatic),
    EmmaWarning(EmmaWarning),
    WaterLevels(WaterLevels),
    SignalStatus(SignalStatus),
    /// FI 11 (`imo236` true) or FI 31.
    MetHydro {
        imo236: bool,
        data: Box<MetHydro>,
    },
    Raw(BitData),
}

/// Sign-magnitude value: `sign_set_means_negative` picks the convention of
/// the table (FI 23: 1 = negative; FI 24: 1 = positive).
fn sign_magnitude(raw: u64, width: usize, sign_set_means_negative: bool) -> i16 {
    let magnitude = (raw & ((1 << (width - 1)) - 1)) as i16;
    let sign_set = raw >> (width - 1) == 1;
    if sign_set == sign_set_means_negative {
        -magnitude
    } else {
        magnitude
    }
}

impl BroadcastApp {
    /// Decode the data part of message 8 (starting at bit 56).
    pub fn decode(p: &Payload, dac: u16, fid: u8) -> Self {
        let bits = p.bit_len();
        let u = |s: usize, w: usize| p.ubits(s, w);
        let s = |st: usize, w: usize| p.sbits(st, w);
        match (dac, fid) {
            (200, 10) if len_ok(bits, 168) && u(141, 3) <= 5 => {
                BroadcastApp::InlandStatic(InlandStatic {
                    vin: p.text(56, 8),
                    length: u(104, 13) as u16,
                    beam: u(117, 10) as u16,
                    shiptype: u(127, 14) as u16,
                    hazard: u(141, 3) as u8,
                    draught: u(144, 11) as u16,
                    loaded: u(155, 2) as u8,
                    speed_q: u(157, 1) == 1,
                    course_q: u(158, 1) == 1,
                    heading_q: u(159, 1) == 1,
                })
            }
            (200, 23) if len_ok(bits, 256) => {
                let value = |at: usize| {
                    let raw = u(at, 9);
                    // Bits 1–8 = 255: unknown.
                    (raw & 0xff != 0xff).then(|| sign_magnitude(raw, 9, true))
                };
                BroadcastApp::EmmaWarning(EmmaWarning {
                    start_year: u(56, 8) as u8,
                    start_month: u(64, 4) as u8,
                    start_day: u(68, 5) as u8,
                    end_year: u(73, 8) as u8,
                    end_month: u(81, 4) as u8,
                    end_day: u(85, 5) as u8,
                    start_hour: u(90, 5) as u8,
                    start_minute: u(95, 6) as u8,
                    end_hour: u(101, 5) as u8,
                    end_minute: u(106, 6) as u8,
                    start_lon: s(112, 28) as i32,
                    start_lat: s(140, 27) as i32,
                    end_lon: s(167, 28) as i32,
                    end_lat: s(195, 27) as i32,
                    kind: u(222, 4) as u8,
                    min: value(226),
                    max: value(235),
                    intensity: u(244, 2) as u8,
                    wind: u(246, 4) as u8,
                })
            }
            (200, 24) if len_ok(bits, 168) => {
                let mut gauges = [Gauge { id: 0, level: None }; 4];
                for (i, g) in gauges.iter_mut().enumerate() {
                    let at = 68 + 25 * i;
                    let raw = u(at + 11, 14);
                    let level = sign_magnitude(raw, 14, false);
                    *g = Gauge {
                        id: u(at, 11) as u16,
                        level: (raw & 0x1fff != 0).then_some(level),
                    };
                }
                BroadcastApp::WaterLevels(WaterLevels {
                    country: p.text(56, 2),
                    gauges,
                })
            }
            (200, 40) if len_ok(bits, 168) => BroadcastApp::SignalStatus(SignalStatus {
                lon: s(56, 28) as i32,
                lat: s(84, 27) as i32,
                form: u(111, 4) as u8,
                facing: u(115, 9) as u16,
                direction: u(124, 3) as u8,
                status: u(127, 30) as u32,
            }),
            (1, 11) => BroadcastApp::MetHydro {
                imo236: true,
                data: Box::new(MetHydro {
                    lat: s(56, 24) as i32,
                    lon: s(80, 25) as i32,
                    accuracy: false,
                    day: u(105, 5) as u8,
                    hour: u(110, 5) as u8,
                    minute: u(115, 6) as u8,
                    wspeed: u(121, 7) as u8,
                    wgust: u(128, 7) as u8,
                    wdir: u(135, 9) as u16,
                    wgustdir: u(144, 9) as u16,
                    airtemp: u(153, 11) as i16,
                    humidity: u(164, 7) as u8,
                    dewpoint: u(171, 10) as i16,
                    pressure: u(181, 9) as u16,
                    pressuretend: u(190, 2) as u8,
                    visgreater: false,
                    visibility: u(192, 8) as u8,
                    waterlevel: u(200, 9) as i16,
                    leveltrend: u(209, 2) as u8,
                    cspeed: u(211, 8) as u8,
                    cdir: u(219, 9) as u16,
                    cspeed2: u(228, 8) as u8,
                    cdir2: u(236, 9) as u16,
                    cdepth2: u(245, 5) as u8,
                    cspeed3: u(250, 8) as u8,
                    cdir3: u(258, 9) as u16,
                    cdepth3: u(267, 5) as u8,
                    waveheight: u(272, 8) as u8,
                    waveperiod: u(280, 6) as u8,
                    wavedir: u(286, 9) as u16,
                    swellheight: u(295, 8) as u8,
                    swellperiod: u(303, 6) as u8,
                    swelldir: u(309, 9) as u16,
                    seastate: u(318, 4) as u8,
                    watertemp: u(322, 10) as i16,
                    preciptype: u(332, 3) as u8,
                    salinity: u(335, 9) as u16,
                    ice: u(344, 2) as u8,
                }),
            },
            (1, 31) => BroadcastApp::MetHydro {
                imo236: false,
                data: Box::new(MetHydro {
                    lon: s(56, 25) as i32,
                    lat: s(81, 24) as i32,
                    accuracy: u(105, 1) == 1,
                    day: u(106, 5) as u8,
                    hour: u(111, 5) as u8,
                    minute: u(116, 6) as u8,
                    wspeed: u(122, 7) as u8,
                    wgust: u(129, 7) as u8,
                    wdir: u(136, 9) as u16,
                    wgustdir: u(145, 9) as u16,
                    airtemp: s(154, 11) as i16,
                    humidity: u(165, 7) as u8,
                    dewpoint: s(172, 10) as i16,
                    pressure: u(182, 9) as u16,
                    pressuretend: u(191, 2) as u8,
                    visgreater: u(193, 1) == 1,
                    visibility: u(194, 7) as u8,
                    waterlevel: u(201, 12) as i16,
                    leveltrend: u(213, 2) as u8,
                    cspeed: u(215, 8) as u8,
                    cdir: u(223, 9) as u16,
                    cspeed2: u(232, 8) as u8,
                    cdir2: u(240, 9) as u16,
                    cdepth2: u(249, 5) as u8,
                    cspeed3: u(254, 8) as u8,
                    cdir3: u(262, 9) as u16,
                    cdepth3: u(271, 5) as u8,
                    waveheight: u(276, 8) as u8,
                    waveperiod: u(284, 6) as u8,
                    wavedir: u(290, 9) as u16,
                    swellheight: u(299, 8) as u8,
                    swellperiod: u(307, 6) as u8,
                    swelldir: u(313, 9) as u16,
                    seastate: u(322, 4) as u8,
                    watertemp: s(326, 10) as i16,
                    preciptype: u(336, 3) as u8,
                    salinity: u(339, 9) as u16,
                    ice: u(348, 2) as u8,
                }),
            },
            _ => BroadcastApp::Raw(p.tail(56)),
        }
    }
}
