//! The console's event loop: link tasks and the keyboard feed one channel
//! each; only this loop mutates the [`App`]. Link data is coalesced and the
//! screen redrawn at most ten times a second, while a key press is answered
//! with a redraw at once, so a busy feed never starves the keyboard. The
//! terminal is restored on every exit path: quit, error, panic (ratatui's
//! hook), SIGTERM, SIGINT.

use super::Config;
use super::alarm_log::AlarmLog;
use super::console::{App, Keymap};
use crate::link::InputSpec;
use crate::link::tasks::{self, LinkMsg};
use crate::ui::theme::Palette;
use crossterm::event::{Event as TermEvent, KeyEventKind};
use std::io::{self, Write};
use std::time::Duration;
use tokio::sync::mpsc;

/// What to run.
pub enum Source {
    /// Configured inputs.
    Inputs(Vec<InputSpec>),
    /// The built-in demo at `speed`.
    Demo,
}

/// Build the app for a console run (also used by tests and benchmarks).
pub fn build_app(config: &Config, source: &Source, log: AlarmLog) -> Result<App, String> {
    let keymap = Keymap::new(&config.keys)?;
    let mut traffic = config.traffic();
    let (names, live) = match source {
        Source::Inputs(specs) => (
            specs.iter().map(InputSpec::name).collect(),
            specs.iter().any(|s| !matches!(s, InputSpec::File(_))),
        ),
        Source::Demo => {
            traffic.own_ship.mmsi.get_or_insert(super::demo::OWN_MMSI);
            (vec!["demo".to_string()], false)
        }
    };
    let mut app = App::new(traffic, live, names, keymap, log);
    if let Source::Demo = source {
        app.engine.start_ms = super::demo::START_MS;
    }
    if let Some(p) = config.console.palette.as_deref() {
        app.view.palette = Palette::parse(p)
            .ok_or_else(|| format!("[console] palette {p:?}: day, dusk or night"))?;
    }
    if let Some(s) = config.console.link_alarm_s {
        app.link_alarm_ms = (s * 1000.0) as i64;
    }
    Ok(app)
}

/// Run the full-screen console until the officer quits.
pub fn run(
    config: &Config,
    source: Source,
    speed: f64,
    palette: Option<Palette>,
) -> io::Result<()> {
    let mut err = io::stderr();
    let log = AlarmLog::open(config.data_dir(), &mut err);
    let mut app = build_app(config, &source, log).map_err(io::Error::other)?;
    if let Some(p) = palette {
        app.view.palette = p;
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let (tx, mut rx) = mpsc::unbounded_channel::<LinkMsg>();
        match &source {
            Source::Inputs(specs) => {
                for (i, s) in specs.iter().enumerate() {
                    tasks::spawn(s.clone(), i, speed, tx.clone());
                }
            }
            Source::Demo => {
                let tx = tx.clone();
                tokio::spawn(async move {
                    let text = super::demo::scenario();
                    let _ = tx.send(LinkMsg::State {
                        link: 0,
                        up: true,
                        detail: "built-in scenario".into(),
                    });
                    tasks::replay_lines(text.as_bytes(), 0, speed, &tx).await;
                    let _ = tx.send(LinkMsg::Finished { link: 0 });
                });
            }
        }
        drop(tx);
        // Keyboard on its own thread: crossterm's read blocks.
        let (ktx, mut krx) = mpsc::unbounded_channel::<TermEvent>();
        std::thread::spawn(move || {
            while !ktx.is_closed() {
                match crossterm::event::poll(Duration::from_millis(100)) {
                    Ok(true) => match crossterm::event::read() {
                        Ok(ev) => {
                            if ktx.send(ev).is_err() {
                                return;
                            }
                        }
                        Err(_) => return,
                    },
                    Ok(false) => {}
                    Err(_) => return,
                }
            }
        });
        let mut recorder = match &config.record {
            Some(p) => Some(crate::link::recorder::Recorder::open(p)?),
            None => None,
        };
        let mut terminal = ratatui::try_init()?;
        let result = event_loop(&mut app, &mut terminal, &mut rx, &mut krx, &mut recorder).await;
        if let Some(r) = recorder.as_mut() {
            r.flush()?;
        }
        ratatui::restore();
        result
    })
}

async fn event_loop(
    app: &mut App,
    terminal: &mut ratatui::DefaultTerminal,
    rx: &mut mpsc::UnboundedReceiver<LinkMsg>,
    krx: &mut mpsc::UnboundedReceiver<TermEvent>,
    recorder: &mut Option<crate::link::recorder::Recorder>,
) -> io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut frame = tokio::time::interval(Duration::from_millis(100));
    frame.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut last_second = 0i64;
    let mut dirty = true;
    loop {
        tokio::select! {
            Some(ev) = krx.recv() => {
                match ev {
                    TermEvent::Key(k) if k.kind != KeyEventKind::Release => app.key(&k),
                    TermEvent::Resize(..) => {}
                    _ => continue,
                }
                if app.quit {
                    return Ok(());
                }
                draw(app, terminal)?;
                dirty = false;
            }
            Some(msg) = rx.recv() => {
                record(recorder, &msg);
                app.link(msg);
                // Coalesce: take what is already waiting, bounded so the
                // keyboard gets its turn.
                for _ in 0..5000 {
                    match rx.try_recv() {
                        Ok(m) => {
                            record(recorder, &m);
                            app.link(m)
                        }
                        Err(_) => break,
                    }
                }
                dirty = true;
            }
            _ = frame.tick() => {
                let wall = crate::link::wall_ms();
                if wall / 1000 != last_second {
                    last_second = wall / 1000;
                    if let Some(r) = recorder.as_mut() {
                        r.flush()?;
                    }
                    app.tick(wall);
                    dirty = true;
                }
                if dirty {
                    draw(app, terminal)?;
                    dirty = false;
                }
            }
            _ = term.recv() => return Ok(()),
            _ = int.recv() => return Ok(()),
        }
    }
}

fn record(recorder: &mut Option<crate::link::recorder::Recorder>, msg: &LinkMsg) {
    if let (
        Some(r),
        LinkMsg::Line {
            line: Some(l),
            received_ms,
            ..
        },
    ) = (recorder.as_mut(), msg)
        && r.write(l, *received_ms).is_err()
    {
        // A full disk must not stop the watch: stop recording instead.
        *recorder = None;
    }
}

fn draw(app: &mut App, terminal: &mut ratatui::DefaultTerminal) -> io::Result<()> {
    terminal.draw(|f| crate::ui::draw(f, app))?;
    if app.bell {
        app.bell = false;
        let mut out = io::stdout();
        out.write_all(b"\x07")?;
        out.flush()?;
    }
    Ok(())
}
