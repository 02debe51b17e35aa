//! The plot turned the right way: the real plot rendered on ratatui's
//! TestBackend with own ship and one target at a known bearing, the
//! target's symbol found in the buffer and its direction from own ship
//! (`◉`) compared with the direction computed here from the bearing and
//! the orientation — north-up: the true bearing; head-up: bearing − heading.

use bridgewatch::app::Config;
use bridgewatch::app::alarm_log::AlarmLog;
use bridgewatch::app::console::{Action, App};
use bridgewatch::app::run::{Source, build_app};
use bridgewatch::link::tasks::LinkMsg;
use bridgewatch::nmea::build;
use bridgewatch::sim::{class_a, rmc, tagged, vdm};
use bridgewatch::ui::plot;
use bridgewatch::ui::theme::Theme;
use geo::{Destination, Geodesic, Point};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

const T0: i64 = 1_795_000_000_000;
const OWN: (f64, f64) = (54.5, 11.0);
const W: u16 = 81;
const H: u16 = 41;

fn app() -> App {
    let mut sink = Vec::new();
    let log = AlarmLog::open(None, &mut sink);
    build_app(&Config::default(), &Source::Inputs(Vec::new()), log).expect("app")
}

fn feed(app: &mut App, lines: &[String]) {
    for l in lines {
        app.link(LinkMsg::Line {
            link: 0,
            received_ms: 0,
            line: Some(l.as_bytes().to_vec()),
        });
    }
}

fn hdt(ms: i64, heading: f64) -> String {
    tagged(&build('$', "HEHDT", &[&format!("{heading:.1}"), "T"]), ms)
}

/// (lat, lon) at geodesic bearing `brg` and `nm` from `p`.
fn place(p: (f64, f64), brg: f64, nm: f64) -> (f64, f64) {
    let q = Geodesic.destination(Point::new(p.1, p.0), brg, nm * 1852.0);
    (q.y(), q.x())
}

/// Own ship at `OWN` (COG `cog`, 10 kn, heading if given) and one stopped
/// target at true bearing `brg`, 4 NM away (the plot shows 6 NM).
fn scene(cog: f64, heading: Option<f64>, brg: f64) -> App {
    let mut app = app();
    let mut lines = vec![tagged(&rmc(T0, OWN, cog, 10.0), T0)];
    if let Some(h) = heading {
        lines.push(hdt(T0, h));
    }
    lines.extend(vdm(
        &class_a(244_000_001, place(OWN, brg, 4.0), None, 0.0, 0, 0),
        T0,
        false,
        'A',
        0,
    ));
    feed(&mut app, &lines);
    app
}

fn render(app: &App) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(W, H)).expect("terminal");
    let th = Theme::of(app.view.palette);
    t.draw(|f| plot::render(f, Rect::new(0, 0, W, H), app, &th))
        .expect("draw");
    t.backend().buffer().clone()
}

/// Cell (column, row) of the first cell inside the border holding one of
/// `symbols`.
fn find(buf: &Buffer, symbols: &[&str]) -> Option<(i32, i32)> {
    for y in 1..H - 1 {
        for x in 1..W - 1 {
            if symbols.contains(&buf[(x, y)].symbol()) {
                return Some((i32::from(x), i32::from(y)));
            }
        }
    }
    None
}

fn title(buf: &Buffer) -> String {
    (0..W).map(|x| buf[(x, 0)].symbol()).collect()
}

/// The direction (degrees, 0 up, 90 right) in which the target's symbol
/// lies from own ship's. A cell is about twice as tall as wide, and the
/// plot scales so: one row is two columns of distance.
fn drawn_direction(buf: &Buffer) -> f64 {
    let own = find(buf, &["◉"]).expect("own ship drawn");
    let tgt = find(buf, &["△", "▲"]).expect("target drawn");
    let dx = f64::from(tgt.0 - own.0);
    let dy = -f64::from(tgt.1 - own.1) * 2.0;
    assert!(dx.hypot(dy) > 10.0, "target too near own ship to tell");
    dx.atan2(dy).to_degrees().rem_euclid(360.0)
}

fn angle_between(a: f64, b: f64) -> f64 {
    ((a - b + 540.0).rem_euclid(360.0) - 180.0).abs()
}

/// Relative bearings: dead ahead, 35° to starboard, abeam to port, astern.
const RELATIVE: [f64; 4] = [0.0, 35.0, 270.0, 180.0];

#[test]
fn head_up_draws_targets_at_their_relative_bearing() {
    for heading in [0.0, 90.0, 200.0, 315.0] {
        for rel in RELATIVE {
            let brg = (heading + rel) % 360.0;
            let mut app = scene(heading, Some(heading), brg);
            app.update(Action::ToggleHeadUp);
            let buf = render(&app);
            assert!(title(&buf).contains("head-up"), "{}", title(&buf));
            let drawn = drawn_direction(&buf);
            // Cells quantise the position; 4 NM on a 6 NM plot of 81×41
            // cells is about 13 rows, so a few degrees.
            assert!(
                angle_between(drawn, rel) < 6.0,
                "heading {heading}, relative {rel}: drawn at {drawn:.1}"
            );
        }
    }
}

#[test]
fn north_up_draws_targets_at_their_true_bearing() {
    for heading in [0.0, 90.0, 200.0, 315.0] {
        for rel in RELATIVE {
            let brg = (heading + rel) % 360.0;
            let app = scene(heading, Some(heading), brg);
            let buf = render(&app);
            assert!(title(&buf).contains("north-up"), "{}", title(&buf));
            let drawn = drawn_direction(&buf);
            assert!(
                angle_between(drawn, brg) < 6.0,
                "heading {heading}, bearing {brg}: drawn at {drawn:.1}"
            );
        }
    }
}

/// The review's case: heading 090°, a target 35° on the starboard bow is
/// up and to the right in head-up, not on the port quarter.
#[test]
fn starboard_bow_is_up_and_right_in_head_up() {
    let mut app = scene(90.0, Some(90.0), 125.0);
    app.update(Action::ToggleHeadUp);
    let buf = render(&app);
    let own = find(&buf, &["◉"]).expect("own");
    let tgt = find(&buf, &["△", "▲"]).expect("target");
    assert!(tgt.0 > own.0 && tgt.1 < own.1, "own {own:?} target {tgt:?}");
}

/// Head-up with no heading uses COG and says so.
#[test]
fn head_up_without_heading_falls_back_to_cog() {
    let mut app = scene(200.0, None, 200.0 + 35.0);
    app.update(Action::ToggleHeadUp);
    let buf = render(&app);
    assert!(title(&buf).contains("head-up (COG)"), "{}", title(&buf));
    assert!(angle_between(drawn_direction(&buf), 35.0) < 6.0);
}

/// While own fix is lost the plot centres on the dead-reckoned position
/// and says so; the target stays where it is, so own ship's run since the
/// fix shows in the target's direction.
#[test]
fn own_ship_is_dead_reckoned_and_marked_while_the_fix_is_lost() {
    // Own ship heading north at 10 kn; a stopped target 4 NM due east.
    let mut app = scene(0.0, Some(0.0), 90.0);
    let buf = render(&app);
    assert!(!title(&buf).contains("DR"), "{}", title(&buf));
    // 12 minutes without a fix (the target keeps reporting): own ship has
    // run 2 NM north, so the target bears about 90° + atan(2/4) = 116.6°.
    // (Two reports: the data clock takes a jump of more than ten minutes
    // only once a second time confirms it.)
    let later = T0 + 12 * 60_000;
    let tgt = place(OWN, 90.0, 4.0);
    for t in [later - 1_000, later] {
        feed(
            &mut app,
            &vdm(
                &class_a(244_000_001, tgt, None, 0.0, 0, 0),
                t,
                false,
                'A',
                0,
            ),
        );
    }
    let buf = render(&app);
    assert!(title(&buf).contains("DR"), "{}", title(&buf));
    let drawn = drawn_direction(&buf);
    let expected = 90.0 + (2.0f64 / 4.0).atan().to_degrees();
    assert!(
        angle_between(drawn, expected) < 6.0,
        "drawn at {drawn:.1}, expected {expected:.1}"
    );
}

/// Render the plot alone on a `w`×`h` area.
fn render_at(app: &App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let th = Theme::of(app.view.palette);
    t.draw(|f| plot::render(f, Rect::new(0, 0, w, h), app, &th))
        .expect("draw");
    t.backend().buffer().clone()
}

/// A braille cell with at least one dot.
fn dotted(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| ('\u{2801}'..='\u{28FF}').contains(&c))
}

/// Own ship with stopped targets at true bearings 0°, 90°, 180° and 270°,
/// 5.5 NM away (the plot shows 6 NM), own ship stopped, no heading.
fn ring_scene() -> App {
    let mut app = app();
    let mut lines = vec![tagged(&rmc(T0, OWN, 0.0, 0.0), T0)];
    for (i, brg) in [0.0, 90.0, 180.0, 270.0].into_iter().enumerate() {
        lines.extend(vdm(
            &class_a(
                244_000_010 + i as u32,
                place(OWN, brg, 5.5),
                None,
                0.0,
                0,
                0,
            ),
            T0,
            false,
            'A',
            0,
        ));
    }
    feed(&mut app, &lines);
    app
}

/// "plot 6 NM" shows its whole 6 NM ring, round, on a wide, a tall and a
/// square plot, and a target 5.5 NM away is drawn inside the frame where
/// 5.5/6 of the ring's radius puts it. The ring's radius is measured on the
/// screen: the farthest dotted cell from own ship along its row (east and
/// west) and its column (north and south). A row is two columns of
/// distance, so the radius north–south in rows is half the one east–west
/// in columns; a ring clipped east and west would measure as an inner
/// ring there and fail that.
#[test]
fn the_six_mile_ring_fits_whole_and_a_target_at_five_and_a_half_is_inside() {
    let app = ring_scene();
    for (w, h) in [(81u16, 41u16), (41, 41), (121, 21), (61, 45), (100, 30)] {
        let buf = render_at(&app, w, h);
        let t: String = (0..w).map(|x| buf[(x, 0)].symbol()).collect();
        assert!(t.contains("plot 6 NM · rings 2 NM"), "{t}");
        let (cx, cy) = find_in(&buf, w, h, &["◉"]).expect("own ship");
        let farthest = |dx: i32, dy: i32| -> i32 {
            let mut k = 0;
            let mut far = 0;
            loop {
                k += 1;
                let (x, y) = (cx + dx * k, cy + dy * k);
                if x < 1 || y < 1 || x > i32::from(w) - 2 || y > i32::from(h) - 2 {
                    return far;
                }
                if dotted(buf[(x as u16, y as u16)].symbol()) {
                    far = k;
                }
            }
        };
        let (east, west) = (farthest(1, 0), farthest(-1, 0));
        let (north, south) = (farthest(0, -1), farthest(0, 1));
        let cols = f64::from(east + west) / 2.0;
        let rows = f64::from(north + south) / 2.0;
        let area = format!("{w}×{h}: E {east} W {west} N {north} S {south}");
        assert!(
            (east - west).abs() <= 1 && (north - south).abs() <= 1,
            "{area}"
        );
        // Round: north–south rows are half the east–west columns.
        assert!((cols - 2.0 * rows).abs() <= 2.0, "{area}");
        // The ring uses the shorter side (to within a cell).
        let inner_w = f64::from(w - 2);
        let inner_h = f64::from(h - 2);
        assert!(
            cols >= (inner_w - 1.0) / 2.0 - 1.5 || rows >= (inner_h - 1.0) / 2.0 - 1.5,
            "{area}"
        );
        // The targets at 5.5 NM: inside the frame, at 5.5/6 of the ring.
        for (dx, dy, radius) in [(0, -1, rows), (1, 0, cols), (0, 1, rows), (-1, 0, cols)] {
            let want = 5.5 / 6.0 * radius;
            let hit = (1..i32::from(w.max(h)))
                .map(|k| (cx + dx * k, cy + dy * k))
                .take_while(|&(x, y)| {
                    x >= 1 && y >= 1 && x <= i32::from(w) - 2 && y <= i32::from(h) - 2
                })
                .position(|(x, y)| ["△", "▲"].contains(&buf[(x as u16, y as u16)].symbol()))
                .map(|k| k as f64 + 1.0);
            let Some(k) = hit else {
                panic!("{area}: no target drawn inside the frame towards ({dx}, {dy})");
            };
            assert!(
                (k - want).abs() <= 1.0,
                "{area}: target at {k}, want {want:.1}"
            );
        }
    }
}

/// [`find`] on a `w`×`h` buffer.
fn find_in(buf: &Buffer, w: u16, h: u16, symbols: &[&str]) -> Option<(i32, i32)> {
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            if symbols.contains(&buf[(x, y)].symbol()) {
                return Some((i32::from(x), i32::from(y)));
            }
        }
    }
    None
}
