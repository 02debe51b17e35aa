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

pub fn render(f: &mut Frame, area: Rect, app: &App, th: &Theme) {
    let t = &app.engine.traffic;
    let now = app.now_ms();
    let range = app.view.range_nm;
    let rot = if app.view.head_up {
        t.own
            .heading_deg
            .or(t.own.cog_deg)
            .map_or(0.0, |h| h.value.value)
    } else {
        0.0
    };
    let inner_w = f64::from(area.width.saturating_sub(2)).max(1.0);
    let inner_h = f64::from(area.height.saturating_sub(2)).max(1.0);
    // Terminal cells are about twice as tall as wide.
    let aspect = inner_w / (inner_h * 2.0);
    let xr = range * aspect.max(0.2);
    let own = t.own.position.map(|p| p.value.value);
    let rotate = |e: geo::Enu| {
        let a = (-rot).to_radians();
        (
            e.east * a.cos() - e.north * a.sin(),
            e.east * a.sin() + e.north * a.cos(),
        )
    };
    let title = Span::styled(
        format!(
            " plot {range} NM · rings {} NM · {} ",
            range / 2.0,
            if app.view.head_up {
                "head-up"
            } else {
                "north-up"
            }
        ),
        th.accent(),
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
        .y_bounds([-range, range])
        .paint(|ctx| {
            for r in [range / 2.0, range] {
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
            for tg in t.targets.values() {
                let Some(p) = tg.position_at(now).or(tg.position.map(|p| p.value)) else {
                    continue;
                };
                let (x, y) = rotate(geo::project(own, p));
                if x.abs() > xr || y.abs() > range {
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
                ctx.print(
                    x,
                    y,
                    Span::styled(label, ratatui::style::Style::default().fg(colour).bg(th.bg)),
                );
            }
            ctx.print(0.0, 0.0, Span::styled("◉", th.accent()));
        });
    f.render_widget(canvas, area);
}
