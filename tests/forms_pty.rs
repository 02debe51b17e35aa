//! The forms in the real binary on a real pseudo-terminal: the ETA report
//! form filled in order, asked for and refused by the desk when no
//! transponder link is configured (the reason shown, the text kept); the
//! safety-message form folding to upper case; Esc closing without sending.

#[path = "common/screen.rs"]
mod screen;

use screen::Screen;
use std::time::Duration;

fn pause() {
    std::thread::sleep(Duration::from_millis(250));
}

#[test]
fn forms_in_a_real_terminal() {
    let dir = tempfile::Builder::new()
        .prefix("bridgewatch-forms-pty-")
        .tempdir()
        .expect("temp dir");
    let dir = dir.path();
    let mut s = Screen::start(&["demo", "--speed", "1"], dir);
    s.wait_for("NORDIC STAR");
    // ETA report: every field in order, Tab between them.
    s.key(b"e");
    s.wait_for("ETA report to lock / bridge / terminal");
    for v in [
        "002039991",
        "at",
        "vie",
        "00001",
        "00000",
        "01234",
        "2030-01-01 12:00",
        "2",
        "7.5",
    ] {
        s.key(v.as_bytes());
        s.key(b"\t");
    }
    s.wait_for("Austria national network");
    s.key(b"\r");
    s.wait_for("y sends");
    s.key(b"y");
    let screen = s.wait_for("no transponder link");
    // What was typed is still there, folded to upper case.
    assert!(screen.contains("[VIE "), "{screen}");
    assert!(screen.contains("[2030-01-01 12:00"), "{screen}");
    // The alarm bar stays in view over the form.
    assert!(
        screen.contains("no alarms") || screen.contains("ALARM"),
        "{screen}"
    );
    // Esc closes without sending.
    s.key(b"\x1b");
    pause();
    pause();
    assert!(!s.text().contains("ETA report to lock"), "{}", s.text());
    // Safety message: lower case comes out upper case; q is text.
    s.key(b"m");
    s.wait_for("safety-related message");
    s.key(b"\x15"); // Ctrl-U: broadcast
    s.key(b"\t");
    s.key(b"ice ahead, keep clear q");
    let screen = s.wait_for("«ICE AHEAD, KEEP CLEAR Q»");
    let slots = bridgewatch::voyage::fields::SafetyKind::Broadcast
        .slots(23)
        .expect("fits");
    assert!(
        screen.contains(&format!("23/161 characters, {slots} slots")),
        "{screen}"
    );
    s.key(b"\x1b");
    pause();
    pause();
    assert!(!s.text().contains("safety-related message"));
    // Nothing was sent: the outbox is empty.
    s.key(b"i");
    s.wait_for("nothing sent");
    s.key(b"i");
    pause();
    s.key(b"q");
    pause();
    if s.text().contains("Quit the watch anyway?") {
        s.key(b"y");
    }
    assert!(s.wait_exit().success());
}
