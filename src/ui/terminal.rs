//! The console's terminal loop: link tasks and the keyboard feed one
//! channel each; only this loop mutates the [`App`]. Link data is coalesced
//! and the screen redrawn at most ten times a second, while a key press is
//! answered with a redraw at once, so a busy feed never starves the
//! keyboard. The terminal is restored on every exit path: quit, error, panic
//! (ratatui's hook), SIGTERM, SIGINT. The console's state and how it is
//! built ([`crate::app::run`]) know nothing of the terminal.

use super::theme::Palette;
use crate::app::Config;
use crate::app::alarm_log::{AlarmLog, LogKind};
use crate::app::console::App;
use crate::app::desk_io::DeskIo;
use crate::app::recording::Recording;
use crate::app::run::{Source, build_app};
use crate::link::InputSpec;
use crate::link::tasks::{self, LinkMsg, Pace};
use crossterm::event::{Event as TermEvent, KeyEventKind};
use std::io::{self, Write};
use std::time::Duration;
use tokio::sync::mpsc;

/// Run the full-screen console until the officer quits.
pub fn run(
    config: &Config,
    config_source: &crate::app::ConfigSource,
    source: Source,
    speed: f64,
    palette: Option<Palette>,
) -> io::Result<()> {
    let mut err = io::stderr();
    let kind = match &source {
        Source::Inputs(specs) => LogKind::of_inputs(specs),
        Source::Demo => LogKind::Demo,
    };
    let log = AlarmLog::open_kind(config.data_dir(), kind, &mut err);
    let (source, transponder) = match source {
        Source::Inputs(specs) => {
            let (specs, t) = crate::app::desk_io::transponder(config, &specs);
            (Source::Inputs(specs), t)
        }
        Source::Demo => (Source::Demo, None),
    };
    let notes = log.notes.clone();
    let mut app = build_app(config, &source, log).map_err(io::Error::other)?;
    // Where the log is (a demo's, a replay's, or beside one taken by
    // another process): in the log view, and on the message line at start.
    app.log_lines.extend(notes.iter().cloned());
    if !notes.is_empty() {
        // The whole sentence (with the path) is in the log view; the
        // message line gets what fits a narrow screen.
        let key = app
            .keymap
            .key_of(crate::app::console::Action::ToggleAlarmLog)
            .to_string();
        let whose = match kind {
            LogKind::Demo => "the demo keeps",
            LogKind::Replay => "this replay keeps",
            LogKind::Live => "this console keeps",
        };
        app.notice = Some(format!(
            "{whose} its own alarm log, not the ship's ({key} shows where)"
        ));
        if kind == LogKind::Live {
            app.notice = Some(format!(
                "the alarm log is in use by another bridgewatch: this one writes its own ({key} shows where)"
            ));
        }
    }
    app.engine.transponder = transponder;
    app.engine.desk.set_writable(transponder.is_some());
    if let Source::Inputs(specs) = &source {
        app.aiip = crate::app::aiip_io::AiipIo::open(config, specs, crate::link::wall_ms());
    }
    let aiip_link = app.aiip.as_ref().map(|a| a.link);
    app.engine
        .desk
        .set_through_aiip(app.aiip.as_ref().is_some_and(|a| a.configured()));
    if let Some(a) = app.aiip.as_mut() {
        for n in a.take_notes() {
            tracing::info!("AI-IP: {n}");
        }
    }
    if let Some(p) = palette {
        app.view.palette = p;
    }
    app.config_label = config_source.label();
    let mut recorder = Recording::open(config.record.as_deref(), &mut app.engine);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let (tx, mut rx) = mpsc::channel::<LinkMsg>(tasks::CHANNEL_CAPACITY);
        let pace = Pace::Recorded { speed };
        let mut writer = None;
        match &source {
            Source::Inputs(specs) => {
                for (i, s) in specs.iter().enumerate() {
                    if let (true, InputSpec::Aiip(addr), Some(a)) =
                        (Some(i) == aiip_link, s, app.aiip.as_mut())
                    {
                        a.set_sender(tasks::spawn_aiip(addr.clone(), i, tx.clone()).1);
                    } else if Some(i) == transponder {
                        writer = tasks::spawn_writable(s.clone(), i, pace, tx.clone()).1;
                    } else {
                        tasks::spawn(s.clone(), i, pace, tx.clone());
                    }
                }
            }
            Source::Demo => {
                let tx = tx.clone();
                tokio::spawn(async move {
                    let text = crate::app::demo::scenario();
                    tasks::replay_bytes(text.as_bytes(), 0, pace, "built-in scenario", &tx).await;
                });
            }
        }
        drop(tx);
        let data_dir = match kind {
            LogKind::Live => config.data_dir(),
            // The demo sends nothing and keeps no journals; a replay keeps
            // none either (the outbox and inbox are the ship's).
            LogKind::Demo | LogKind::Replay => None,
        };
        let mut desk = match source {
            Source::Demo => DeskIo::demo(&mut app.engine),
            Source::Inputs(_) => {
                DeskIo::open(data_dir, writer, &mut app.engine, crate::link::wall_ms())
            }
        };
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
        let mut terminal = ratatui::try_init()?;
        let result = event_loop(
            &mut app,
            &mut terminal,
            &mut rx,
            &mut krx,
            &mut recorder,
            &mut desk,
        )
        .await;
        recorder.flush(&mut app.engine, crate::link::wall_ms());
        desk.journal(&mut app.engine, crate::link::wall_ms());
        if let Some(a) = app.aiip.as_mut() {
            // A smart AI-IP client signs off; the link task sends it while
            // the runtime still runs.
            let wall = crate::link::wall_ms();
            let smart = a.client.config().smart;
            a.client.stop(wall);
            aiip_step(&mut app, &mut desk, wall);
            if smart {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        ratatui::restore();
        result
    })
}

async fn event_loop(
    app: &mut App,
    terminal: &mut ratatui::DefaultTerminal,
    rx: &mut mpsc::Receiver<LinkMsg>,
    krx: &mut mpsc::UnboundedReceiver<TermEvent>,
    recorder: &mut Recording,
    desk: &mut DeskIo,
) -> io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    let mut frame = tokio::time::interval(Duration::from_millis(100));
    frame.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut last_second = 0i64;
    let mut drawn_second = i64::MIN;
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
                // A form may have sent something.
                desk.pump(&mut app.engine, &app.links, crate::link::wall_ms());
                aiip_step(app, desk, crate::link::wall_ms());
                draw(app, terminal)?;
            }
            Some(msg) = rx.recv() => {
                link_batch(app, msg, rx, recorder);
                desk.pump(&mut app.engine, &app.links, crate::link::wall_ms());
                aiip_step(app, desk, crate::link::wall_ms());
            }
            _ = frame.tick() => {
                let wall = crate::link::wall_ms();
                if wall / 1000 != last_second {
                    last_second = wall / 1000;
                    recorder.flush(&mut app.engine, wall);
                    app.tick(wall);
                    desk.pump(&mut app.engine, &app.links, wall);
                    aiip_step(app, desk, wall);
                } else if app
                    .aiip
                    .as_ref()
                    .and_then(|a| a.client.next_wakeup_ms(wall))
                    .is_some_and(|w| w <= wall)
                {
                    // The AI-IP client's report or resend falls between
                    // the seconds.
                    aiip_step(app, desk, wall);
                }
                // A frame only when something shown may have changed: what
                // arrived, an alarm, or the second the status bar shows.
                let shown_second = app.now_ms().div_euclid(1000);
                if app.changed || shown_second != drawn_second {
                    drawn_second = shown_second;
                    draw(app, terminal)?;
                }
            }
            _ = term.recv() => return Ok(()),
            _ = int.recv() => return Ok(()),
        }
    }
}

/// Messages a batch takes at most, so the keyboard gets its turn.
pub const BATCH: usize = 5000;

/// One batch of link messages: `first` and what is already waiting (at
/// most [`BATCH`]), each fed to the engine. Nothing here passes over the
/// whole picture: the list order, the nearest ship and the automatic
/// selection wait for the next frame ([`draw`]).
pub fn link_batch(
    app: &mut App,
    first: LinkMsg,
    rx: &mut mpsc::Receiver<LinkMsg>,
    recorder: &mut Recording,
) {
    link_msg(app, first, recorder);
    for _ in 1..BATCH {
        match rx.try_recv() {
            Ok(m) => link_msg(app, m, recorder),
            Err(_) => break,
        }
    }
}

/// A link message: an AI-IP datagram goes to the AI-IP client first.
fn link_msg(app: &mut App, msg: LinkMsg, recorder: &mut Recording) {
    if let (LinkMsg::Datagram { bytes, .. }, Some(a)) = (&msg, app.aiip.as_mut()) {
        a.datagram(bytes, crate::link::wall_ms());
    }
    app.link_recorded(msg, recorder);
}

/// The AI-IP client's turn: own position in, datagrams out, events routed
/// (its state is on the status bar; the rest goes to the log), then the
/// ETA reports it relays for the desk.
fn aiip_step(app: &mut App, desk: &mut DeskIo, wall: i64) {
    let Some(a) = app.aiip.as_mut() else {
        return;
    };
    for e in a.step(&mut app.engine, wall) {
        tracing::info!("{e}");
    }
    a.desk(&mut app.engine, desk, wall);
    for e in a.step(&mut app.engine, wall) {
        tracing::info!("{e}");
    }
}

/// One frame: the automatic selection settled (once a frame), the screen
/// drawn, the bell rung when due.
pub fn draw<B: ratatui::backend::Backend>(
    app: &mut App,
    terminal: &mut ratatui::Terminal<B>,
) -> io::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    app.settle();
    app.changed = false;
    app.frames += 1;
    terminal
        .draw(|f| super::draw(f, app))
        .map_err(io::Error::other)?;
    if app.ring_bell(crate::link::wall_ms()) {
        let mut out = io::stdout();
        out.write_all(b"\x07")?;
        out.flush()?;
    }
    Ok(())
}
