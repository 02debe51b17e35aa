//! The forms in the real binary on a real pseudo-terminal: the ETA report
//! form filled in order, asked for and refused by the desk when no
//! transponder link is configured (the reason shown, the text kept); the
//! safety-message form folding to upper case; Esc closing without sending.
//! Then, on the demo and its transponder: an ETA report to the demo's lock
//! answered by its RTA on screen, a message to the demo's ship
//! acknowledged.

mod common;
use common::screen;
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
    // A UDP input only: nothing to write to.
    let mut s = Screen::start(&["--input", "udp:127.0.0.1:0"], dir);
    s.wait_for("targets 0");
    // ETA report: every field in order, Tab between them.
    s.key(b"e");
    s.wait_for("ETA report to lock / bridge / terminal");
    // The reason it cannot be sent shows as the form opens.
    s.wait_for("no transponder link");
    // Sixty days ahead: an ETA may be at most a year ahead.
    let eta = {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        chrono::DateTime::from_timestamp_millis(now + 60 * 86_400_000)
            .expect("a date")
            .format("%Y-%m-%d 12:00")
            .to_string()
    };
    for v in [
        "002039991",
        "at",
        "vie",
        "00001",
        "00000",
        "01234",
        eta.as_str(),
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
    assert!(screen.contains(&format!("[{eta}")), "{screen}");
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

/// The whole exchange in the real binary: on the demo, whose transponder
/// answers like a real one, the ETA report typed into `e` goes to the
/// demo's lock and its RTA shows under the alarm bar; a message typed into
/// `m` for the demo's ship ends "acknowledged" in the outbox.
#[test]
fn eta_answered_by_rta_and_message_acknowledged_on_the_demo() {
    use bridgewatch::app::demo::{DEMO_ACK_SHIP_MMSI, DEMO_LOCK_MMSI};
    let dir = tempfile::Builder::new()
        .prefix("bridgewatch-send-pty-")
        .tempdir()
        .expect("temp dir");
    let mut s = Screen::start(&["demo", "--speed", "1"], dir.path());
    s.wait_for("NORDIC STAR");
    s.key(b"e");
    s.wait_for("ETA report to lock / bridge / terminal");
    let lock = format!("{DEMO_LOCK_MMSI:09}");
    // The demo's data time is 2026-06-21 21:00 UTC.
    for v in [
        lock.as_str(),
        "de",
        "put",
        "00001",
        "lock1",
        "00000",
        "2026-06-21 22:30",
        "",
        "",
    ] {
        s.key(b"\x15"); // Ctrl-U: whatever a field held
        s.key(v.as_bytes());
        s.key(b"\t");
    }
    s.key(b"\r");
    s.wait_for("y sends");
    s.key(b"y");
    // The notice follows the report: queued, written, acknowledged.
    s.wait_until("the send's notice", |t| {
        t.contains("ETA report") && t.contains("— see the outbox (i)")
    });
    s.wait_for("ETA report acknowledged — see the outbox (i)");
    // The lock answers 20 s after the report went out: ETA + 10 min.
    let screen = s.wait_until("the lock's RTA", |t| t.contains("RTA 22:40Z"));
    assert!(screen.contains(&lock), "{screen}");
    assert!(screen.contains("operational"), "{screen}");
    // Answered: the notice has nothing more to say.
    assert!(!screen.contains("see the outbox"), "{screen}");

    // A message to the demo's ship.
    s.key(b"m");
    s.wait_for("safety-related message");
    s.key(b"\x15");
    s.key(format!("{DEMO_ACK_SHIP_MMSI}").as_bytes());
    s.key(b"\t");
    s.key(b"keeping clear to starboard");
    s.wait_for("«KEEPING CLEAR TO STARBOARD»");
    s.key(b"\r");
    s.wait_for("y sends");
    s.key(b"y");
    s.wait_for("see the outbox");
    std::thread::sleep(Duration::from_millis(3000));
    s.key(b"i");
    // Its row in the outbox (at 150 columns on one line) ends in its
    // state: the ship's ABK after 2 s.
    let row = |t: &str| {
        t.lines()
            .find(|l| l.contains("\"KEEPING CLEAR TO STARBOARD\""))
            .map(str::to_owned)
    };
    let screen = s.wait_until("the message acknowledged in the outbox", |t| {
        row(t).is_some_and(|r| r.contains("— acknowledged"))
    });
    assert!(
        row(&screen).is_some_and(|r| r.contains("NORDIC STAR")),
        "{screen}"
    );
    assert!(screen.contains("inbox and outbox"), "{screen}");
    s.key(b"i");
    s.quit();
}
