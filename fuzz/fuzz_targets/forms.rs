//! Arbitrary key sequences into each form's handler (ETA report, safety
//! message, voyage, station and inland data), with the build and the question the
//! confirmation asks, and the same keys through the console with its
//! rendering (forms, inbox) at two sizes. Nothing may panic.
#![no_main]

use bridgewatch::app::Config;
use bridgewatch::app::alarm_log::AlarmLog;
use bridgewatch::app::forms::{Context, Form};
use bridgewatch::app::run::{Source, build_app};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use libfuzzer_sys::fuzz_target;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SPECIAL: [KeyCode; 14] = [
    KeyCode::Esc,
    KeyCode::Tab,
    KeyCode::BackTab,
    KeyCode::Enter,
    KeyCode::Backspace,
    KeyCode::Delete,
    KeyCode::Left,
    KeyCode::Right,
    KeyCode::Home,
    KeyCode::End,
    KeyCode::Up,
    KeyCode::Down,
    KeyCode::Char('y'),
    KeyCode::F(1),
];

/// Two bytes make one key: a kind and a value.
fn keys(data: &[u8]) -> Vec<KeyEvent> {
    data.chunks(2)
        .map(|c| {
            let (kind, v) = (c[0], c.get(1).copied().unwrap_or(0));
            match kind % 4 {
                0 => KeyEvent::new(SPECIAL[usize::from(v) % SPECIAL.len()], KeyModifiers::NONE),
                1 => KeyEvent::new(KeyCode::Char(char::from(b'a' + v % 26)), KeyModifiers::CONTROL),
                2 => KeyEvent::new(KeyCode::Char(char::from(v)), KeyModifiers::NONE),
                _ => {
                    let c = char::from_u32(u32::from(v) * 257 + u32::from(kind)).unwrap_or('~');
                    KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT)
                }
            }
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let now_ms = 1_795_348_800_000 + i64::from(data.first().copied().unwrap_or(0)) * 86_400_000;
    let names = |m: u32| (m % 3 == 0).then(|| format!("SHIP {m}"));
    let ctx = Context {
        now_ms,
        name_of: &names,
        utc_offset_min: data.get(1).map(|b| (i32::from(*b) - 128) * 15),
    };
    let inland = bridgewatch::app::forms::InlandTexts {
        voyage: vec!["".into(), "B".into(), "L".into(), "2.85".into(), "7.5".into()],
        station: vec!["02326789".into(), "8010".into()],
    };
    let ks = keys(data);
    for mut form in [
        Form::eta(),
        Form::safety(Some(244_123_456), vec!["ICE".into()]),
        Form::safety(None, Vec::new()),
        Form::voyage(vec!["NLRTM".into()]),
        Form::station(),
        Form::inland_voyage(&inland),
        Form::inland_static(&inland),
    ] {
        for k in &ks {
            let _ = form.key(k, &ctx);
            for i in 0..form.inputs.len() {
                let _ = form.check(i, &ctx);
            }
            let _ = form.question();
            let _ = form.build(&ctx);
        }
    }
    // Through the console: the main screen's keys open the forms and the
    // inbox; the keys go on into them; each few keys are drawn. Building
    // the console is slow, so one input in eight takes this way.
    if data.first().is_none_or(|b| b % 8 != 0) {
        return;
    }
    let mut sink = Vec::new();
    let Ok(mut app) = build_app(&Config::default(), &Source::Demo, AlarmLog::open(None, &mut sink)) else {
        return;
    };
    let Ok(mut small) = Terminal::new(TestBackend::new(80, 24));
    let Ok(mut big) = Terminal::new(TestBackend::new(120, 40));
    for (i, k) in ks.iter().enumerate() {
        // Quitting ends nothing here: the app just says so.
        app.key(k);
        if i % 8 == 0 {
            let _ = small.draw(|f| bridgewatch::ui::draw(f, &app));
            let _ = big.draw(|f| bridgewatch::ui::draw(f, &app));
        }
    }
    let _ = small.draw(|f| bridgewatch::ui::draw(f, &app));
});
