//! Graphical display (A.1106 §30): a radar-style plot centred on own ship
//! with range rings, north-up or head-up. Symbols: sleeping △, activated ▲
//! with a 6-minute COG/SOG vector and heading line, selected in [ ],
//! dangerous in the danger colour with "!", lost ✕ at its last position,
//! AIS-SART/MOB/EPIRB ⊗ (⊘ while in test mode), AtoN ◇, base station ⌂.

use super::theme::Theme;
use crate::app::console::App;
use crate::traffic::geo;
use crate::traffic::target::{Activation, TargetKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::symbols::Marker;
use ratatui::text::Span;
use ratatui::widgets::canvas::{Canvas, Circle, Line as CLine};
use ratatui::widgets::{Block, Borders};

/// Vector length in minutes.
const VECTOR_MIN: f64 = 6.0;

/// Which way the plot is turned, and why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Orientation {
    /// North at the top.
    NorthUp,
    /// Own heading at the top.
    HeadUp(f64),
    /// Head-up asked for, no heading: own COG at the top.
    HeadUpByCog(f64),
    /// Head-up asked for with neither heading nor COG: north at the top.
    NorthUpNoHeading,
}

impl Orientation {
    /// The orientation for the view's choice and own ship's heading/COG.
    pub fn choose(head_up: bool, heading: Option<f64>, cog: Option<f64>) -> Orientation {
        match (head_up, heading, cog) {
            (false, _, _) => Orientation::NorthUp,
            (true, Some(h), _) => Orientation::HeadUp(h),
            (true, None, Some(c)) => Orientation::HeadUpByCog(c),
            (true, None, None) => Orientation::NorthUpNoHeading,
        }
    }

    /// The true direction drawn at the top of the plot, degrees.
    pub fn up_deg(self) -> f64 {
        match self {
            Orientation::HeadUp(d) | Orientation::HeadUpByCog(d) => d,
            Orientation::NorthUp | Orientation::NorthUpNoHeading => 0.0,
        }
    }

    /// Words for the title.
    pub fn label(self) -> &'static str {
        match self {
            Orientation::NorthUp => "north-up",
            Orientation::HeadUp(_) => "head-up",
            Orientation::HeadUpByCog(_) => "head-up (COG)",
            Orientation::NorthUpNoHeading => "north-up (no heading or COG)",
        }
    }
}

/// Plot coordinates (x right, y up, NM) of a point `enu` east/north of own
/// ship, with the true direction `up_deg` at the top: the point is drawn at
/// its relative bearing (true bearing − `up_deg`), 0° up and 90° right.
pub fn screen_xy(enu: geo::Enu, up_deg: f64) -> (f64, f64) {
    let (s, c) = up_deg.to_radians().sin_cos();
    (enu.east * c - enu.north * s, enu.east * s + enu.north * c)
}

pub fn render(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    let t = &app.engine.traffic;
    let now = app.now_ms();
    let range = app.view.range_nm;
    let orientation = Orientation::choose(
        app.view.head_up,
        t.own.heading_deg.map(|h| h.value.value),
        t.own.cog_deg.map(|c| c.value.value),
    );
    let up = orientation.up_deg();
    let (xr, yr) = extents(
        range,
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    );
    // NM per cell, for putting a label's symbol on its point.
    let cell_x = 2.0 * xr / f64::from(area.width.saturating_sub(3).max(1));
    let cell_y = 2.0 * yr / f64::from(area.height.saturating_sub(3).max(1));
    let rings = ring_interval(range);
    // Own ship where the engine has it: dead-reckoned to now, and marked so
    // while the fix is lost.
    let timeout = (t.config.own_ship.own_position_timeout_s * 1000.0) as i64;
    let own = t.own.position_at(now);
    let own_dr = own.is_some() && t.own.position_lost(now, timeout);
    let rotate = |e: geo::Enu| screen_xy(e, up);
    let title = Span::styled(
        format!(
            " plot {range} NM · rings {rings} NM · {}{} ",
            orientation.label(),
            if own_dr {
                " · own ship DR, fix lost"
            } else {
                ""
            }
        ),
        if own_dr { th.danger() } else { th.accent() },
    );
    let canvas = Canvas::default()
        .block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(th.dim())
                .title(title),
        )
        .background_color(th.bg)
        .marker(Marker::Braille)
        .x_bounds([-xr, xr])
        .y_bounds([-yr, yr])
        .paint(|ctx| {
            let n = (range / rings + 1e-9).floor() as u32;
            for r in (1..=n).map(|k| f64::from(k) * rings) {
                ctx.draw(&Circle {
                    x: 0.0,
                    y: 0.0,
                    radius: r,
                    color: th.dim,
                });
            }
            // Own ship: heading line and COG/SOG vector.
            if let Some(h) = t.own.heading_deg {
                let (x, y) = rotate(geo::velocity(h.value.value, range * 0.15));
                ctx.draw(&CLine {
                    x1: 0.0,
                    y1: 0.0,
                    x2: x,
                    y2: y,
                    color: th.accent,
                });
            }
            if let (Some(c), Some(s)) = (t.own.cog_deg, t.own.sog_kn) {
                let (x, y) = rotate(geo::velocity(
                    c.value.value,
                    s.value.value * VECTOR_MIN / 60.0,
                ));
                ctx.draw(&CLine {
                    x1: 0.0,
                    y1: 0.0,
                    x2: x,
                    y2: y,
                    color: th.fg,
                });
            }
            ctx.layer();
            let Some(own) = own else {
                ctx.print(
                    -xr * 0.9,
                    0.0,
                    Span::styled("OWN POSITION LOST", th.danger()),
                );
                return;
            };
            // Every target is placed by constant-course sailing in own
            // ship's plane (within metres of the geodesic: far below a
            // dot of the plot); the geodesic is for the figures shown.
            let plane = geo::Plane::at(own);
            let reach = xr.hypot(yr);
            for tg in t.targets.values() {
                // A lost target whose loss the officer acknowledged has
                // left the plot (A.1106: the mark clears on acknowledge).
                if tg.lost_acked {
                    continue;
                }
                let Some(last) = tg.position else {
                    continue;
                };
                // Off the plot where it was last heard and farther than it
                // can have gone since: not reckoned at all.
                let e = plane.project(last.value);
                let gone = tg.sog_kn.map_or(0.0, |s| s.value.abs())
                    * ((now - last.at_ms).abs() as f64 / 3_600_000.0);
                if e.east * e.east + e.north * e.north > (reach + gone) * (reach + gone) {
                    continue;
                }
                let p = tg.position_at_fast(now).unwrap_or(last.value);
                let (x, y) = rotate(plane.project(p));
                if x.abs() > xr || y.abs() > yr {
                    continue;
                }
                let selected = t.selected == Some(tg.mmsi);
                let lost = tg.lost_since_ms.is_some();
                let activated = tg.activation == Activation::Activated;
                let colour = if tg.dangerous || tg.is_distress_alert() {
                    th.danger
                } else if lost {
                    th.warn
                } else if activated {
                    th.fg
                } else {
                    th.dim
                };
                if activated
                    && !lost
                    && let Some(v) = tg.velocity()
                {
                    let (vx, vy) = rotate(geo::Enu {
                        east: v.east * VECTOR_MIN / 60.0,
                        north: v.north * VECTOR_MIN / 60.0,
                    });
                    ctx.draw(&CLine {
                        x1: x,
                        y1: y,
                        x2: x + vx,
                        y2: y + vy,
                        color: colour,
                    });
                    if let Some(h) = tg.heading_deg {
                        let (hx, hy) = rotate(geo::velocity(f64::from(h.value), range * 0.04));
                        ctx.draw(&CLine {
                            x1: x,
                            y1: y,
                            x2: x + hx,
                            y2: y + hy,
                            color: colour,
                        });
                    }
                }
                let sym = match tg.kind {
                    _ if lost => "✕",
                    _ if tg.is_test_transmission() => "⊘",
                    TargetKind::Sart | TargetKind::Mob | TargetKind::Epirb => "⊗",
                    _ if tg.sart_status() => "⊗",
                    TargetKind::AidToNavigation { .. } => "◇",
                    TargetKind::BaseStation => "⌂",
                    _ if activated => "▲",
                    _ => "△",
                };
                let label = match (selected, tg.dangerous) {
                    (true, true) => format!("[{sym}!]"),
                    (true, false) => format!("[{sym}]"),
                    (false, true) => format!("{sym}!"),
                    _ => sym.to_string(),
                };
                // The symbol in the cell of its point: labels are placed
                // by their first cell, cut to the cell they start in.
                let lead = if selected { 1.0 } else { 0.0 };
                ctx.print(
                    (x - lead * cell_x + cell_x / 2.0).clamp(-xr, xr),
                    (y - cell_y / 2.0).clamp(-yr, yr),
                    Span::styled(label, ratatui::style::Style::default().fg(colour).bg(th.bg)),
                );
            }
            ctx.print(cell_x / 2.0, -cell_y / 2.0, Span::styled("◉", th.accent()));
            if own_dr {
                ctx.print(xr * 0.06, 0.0, Span::styled("DR", th.danger()));
            }
        });
    f.render_widget(canvas, area);
}

/// Half-extents (east–west, north–south) in NM of a plot `w`×`h` cells
/// wide that shows the whole `range` ring, round: a braille dot (a cell
/// is two dots wide and four tall, and about twice as tall as wide) is as
/// wide as it is tall, and the ring fits the shorter side.
pub fn extents(range: f64, w: u16, h: u16) -> (f64, f64) {
    let dots_x = (2.0 * f64::from(w) - 1.0).max(1.0);
    let dots_y = (4.0 * f64::from(h) - 1.0).max(1.0);
    let per_dot = (2.0 * range / dots_x).max(2.0 * range / dots_y);
    (per_dot * dots_x / 2.0, per_dot * dots_y / 2.0)
}

/// Range-ring interval as on a radar: the largest of 0.25 NM × 2ⁿ
/// (…, 0.125, 0.25, 0.5, 1, 2, 4 …) that gives at least three rings out
/// to `range` (0.75 NM: 0.25; 6 NM: 2; 48 NM: 16).
pub fn ring_interval(range: f64) -> f64 {
    let mut i = 0.25;
    while i * 2.0 * 3.0 <= range + 1e-9 {
        i *= 2.0;
    }
    while i * 3.0 > range + 1e-9 && i > 1e-3 {
        i /= 2.0;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A point at true bearing `brg`, 1 NM away.
    fn at(brg: f64) -> geo::Enu {
        geo::velocity(brg, 1.0)
    }

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9
    }

    #[test]
    fn rings_are_radar_intervals() {
        for (range, ring) in [
            (0.75, 0.25),
            (1.5, 0.5),
            (3.0, 1.0),
            (6.0, 2.0),
            (12.0, 4.0),
            (24.0, 8.0),
            (48.0, 16.0),
            (0.5, 0.125),
            (5.0, 1.0),
        ] {
            assert_eq!(ring_interval(range), ring, "{range} NM");
        }
    }

    #[test]
    fn north_up_draws_true_bearings() {
        assert!(close(screen_xy(at(0.0), 0.0), (0.0, 1.0)));
        assert!(close(screen_xy(at(90.0), 0.0), (1.0, 0.0)));
        assert!(close(screen_xy(at(270.0), 0.0), (-1.0, 0.0)));
    }

    /// Head-up: a target is drawn at its relative bearing, whatever the
    /// heading — dead ahead up, 35° to starboard up and right by sin 35°,
    /// abeam to port left, astern down.
    #[test]
    fn head_up_draws_relative_bearings() {
        let s35 = 35f64.to_radians().sin();
        let c35 = 35f64.to_radians().cos();
        for hdg in [0.0, 90.0, 200.0, 315.0, 359.0] {
            assert!(close(screen_xy(at(hdg), hdg), (0.0, 1.0)), "ahead at {hdg}");
            assert!(
                close(screen_xy(at(hdg + 35.0), hdg), (s35, c35)),
                "35° to starboard at {hdg}"
            );
            assert!(
                close(screen_xy(at(hdg - 90.0), hdg), (-1.0, 0.0)),
                "port at {hdg}"
            );
            assert!(
                close(screen_xy(at(hdg + 180.0), hdg), (0.0, -1.0)),
                "astern at {hdg}"
            );
        }
    }

    #[test]
    fn head_up_falls_back_to_cog_then_north() {
        assert_eq!(
            Orientation::choose(true, Some(90.0), Some(80.0)),
            Orientation::HeadUp(90.0)
        );
        let by_cog = Orientation::choose(true, None, Some(80.0));
        assert_eq!(by_cog.up_deg(), 80.0);
        assert_eq!(by_cog.label(), "head-up (COG)");
        let none = Orientation::choose(true, None, None);
        assert_eq!(none.up_deg(), 0.0);
        assert!(none.label().starts_with("north-up"));
        assert_eq!(Orientation::choose(false, Some(90.0), None).up_deg(), 0.0);
    }
}
