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
