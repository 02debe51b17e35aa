//! bridgewatch command line: parse arguments and hand over to a mode.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::todo,
    clippy::dbg_macro
)]

use bridgewatch::app::{
    Config, ConfigSource, default_config_path, default_data_dir, headless, run,
};
use bridgewatch::decode::{DecodeOptions, Decoder};
use bridgewatch::link::InputSpec;
use bridgewatch::ui::theme::Palette;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXIT_STATUS: &str = "\
Exit status: 0 after a normal end, 1 when the run failed (an input file that
cannot be read or holds no NMEA sentence at all, an I/O error), 2 for a usage
or configuration error.
With aiip:HOST:PORT the console is an AI-IP client of that server (settings
in the [aiip] table of the config; own MMSI from [own_ship] mmsi).";

#[derive(Parser)]
#[command(
    name = "bridgewatch",
    version,
    about = "AIS console for the bridge watch",
    args_conflicts_with_subcommands = false
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    common: Common,
    /// Input: file:PATH, udp:ADDR:PORT, tcp:HOST:PORT, serial:DEV[@BAUD],
    /// aiip:HOST:PORT (an AI-IP server). Repeatable.
    #[arg(long = "input")]
    inputs: Vec<String>,
    /// No screen: events as JSON lines on stdout.
    #[arg(long)]
    headless: bool,
    /// Replay speed of file inputs (1 = recorded pace); a positive number.
    #[arg(long, default_value_t = 1.0, value_parser = parse_speed, allow_hyphen_values = true)]
    speed: f64,
    /// Record everything received to FILE (data-time tag blocks added).
    #[arg(long)]
    record: Option<PathBuf>,
}

/// Options of the console, headless and demo modes.
#[derive(clap::Args)]
struct Common {
    /// Configuration file (see config.example.toml); without it, the
    /// platform's config.toml is read when it exists.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Colour palette of the console.
    #[arg(long, value_parser = ["day", "dusk", "night"])]
    palette: Option<String>,
    /// Detail of the diagnostics log (bridgewatch.log in the data directory).
    #[arg(long, default_value = "info", value_parser = ["error", "warn", "info", "debug", "trace"])]
    log_level: String,
}

#[derive(Subcommand)]
enum Command {
    /// The built-in offline scenario: no hardware, no network.
    Demo {
        /// Events as JSON lines instead of the console.
        #[arg(long)]
        headless: bool,
        /// Replay speed (1 = real time); a positive number.
        #[arg(long, default_value_t = 1.0, value_parser = parse_speed, allow_hyphen_values = true)]
        speed: f64,
        #[command(flatten)]
        common: Common,
    },
    /// Decode NMEA/AIS to gpsd-compatible JSON lines (stdin if no file);
    /// the ABM/BBM, VSD, SSD and $PIWW sentences `encode` prints are read
    /// too.
    Decode {
        /// Input files; `-` or none reads standard input.
        files: Vec<String>,
        /// Raw integer units, like `gpsdecode -u`.
        #[arg(short = 'u', long)]
        unscaled: bool,
        /// Print the totals to standard error at the end.
        #[arg(long)]
        summary: bool,
        /// Reproduce gpsdecode's output where gpsd contradicts the standard
        /// (Inland FI 10/23/40 legends, message 26 radio); see
        /// docs/gpsd-differences.md. For diffing against gpsd, not for watchkeeping.
        #[arg(long)]
        gpsd_compat: bool,
    },
    /// Print the sentences the console would write to the transponder
    /// (ABM, BBM, VSD, SSD), one per line; nothing is sent.
    #[command(after_help = ENCODE_EXIT_STATUS)]
    Encode {
        #[command(subcommand)]
        kind: EncodeKind,
    },
    /// Serve AI-IP (Inland AIS over IP) on UDP: stores the positions, static
    /// data and directed messages clients push, answers range, detail and
    /// location requests. AI-IP has no authentication: run it behind a VPN
    /// or a firewall.
    #[command(after_help = AIIP_SERVER_HELP)]
    AiipServer(AiipServerArgs),
}

const AIIP_SERVER_HELP: &str = "\
Security: AI-IP has no authentication. Anyone who can reach the port can
report positions for any MMSI, read every vessel in range and, by reporting
a vessel's positions, collect the messages waiting for it. Keep the default
127.0.0.1 or run the server behind a VPN or a firewall that only lets known
clients in.

Each IP address (all its ports together) may send 20 datagrams a second
(bursts of 40) and is sent at most 128 KiB per answer and 128 KiB a second
(bursts of 256 KiB). A client outside the --allow networks (none by default,
loopback included) must echo the address-validation token the server sends
($PBWAV sentence; bridgewatch's own client does): until then it gets at most
three times the bytes it sent from its address and port. Directed messages go
only to the address that reported the vessel in the last 10 minutes; a vessel
reported from another address farther away than 60 kn allows is not stored,
and an address that has not proven it receives never takes a vessel over from
one that has. At most 10,000 sources are remembered; when full, unvalidated
ones are forgotten first. Position reports older than 10 minutes are deleted,
except those of signed-off vessels, which are renewed (and relayed) every
3 minutes until they sign on again.

--local-info FILE, one [[info]] table per item:
  kind = \"emma\" | \"water_level\" | \"aton\" | \"update_rate\"
  area = { south = 48.15, west = 16.30, north = 48.30, east = 16.55 }
  from = \"2026-11-22T06:00:00Z\"   until = \"2026-11-23T18:00:00Z\"   (optional)
  sentences = [\"!AIVDM,...\"]        (update_rate: interval_s = 10 instead)
A file with a mistake is refused with the item and the reason; while the
server runs, the last good version stays in force. Every minute and on
SIGUSR1 a one-line status (UTC time, sources, vessels, refusals) goes to
standard error; on SIGINT or SIGTERM the server stops and prints a last line
there with the same fields and all its counters.
Exit status: 0 after a normal end, 1 when the port cannot be opened, 2 for a
usage error.";

const ENCODE_EXIT_STATUS: &str = "\
Sentences go to standard output, one per line, each at most 80 characters
with its checksum (82 with the CR LF a transponder receives, IEC 61162-1). Exit status: 0 when printed, 2 when an option is missing
or refused (the reason, naming the option, on standard error).";

/// What `encode` builds.
#[derive(Subcommand)]
enum EncodeKind {
    /// ETA report to a lock, bridge or terminal: ABM carrying message 6,
    /// DAC 200, FI 21 (Inland AIS).
    #[command(after_help = ENCODE_EXIT_STATUS)]
    Eta {
        /// MMSI of the lock, bridge or terminal (or the national network's
        /// virtual MMSI): 9 digits.
        #[arg(long, allow_hyphen_values = true)]
        to: String,
        /// UN country code: 2 letters, e.g. NL.
        #[arg(long, allow_hyphen_values = true)]
        country: String,
        /// UN location code: 3 letters or digits, e.g. RTM.
        #[arg(long, allow_hyphen_values = true)]
        location: String,
        /// Fairway section number: 5 letters or digits.
        #[arg(long, allow_hyphen_values = true)]
        section: String,
        /// Terminal code: 5 letters or digits.
        #[arg(long, allow_hyphen_values = true)]
        terminal: String,
        /// Fairway hectometre: 5 digits.
        #[arg(long, allow_hyphen_values = true)]
        hectometre: String,
        /// ETA in UTC: 2027-05-01T14:30Z or "2027-05-01 14:30"; not in the past, at most a year ahead.
        #[arg(long, allow_hyphen_values = true)]
        eta: String,
        /// Assisting tugboats 0-6; without it, unknown.
        #[arg(long, allow_hyphen_values = true)]
        tugs: Option<String>,
        /// Air draught in metres, 0.00-40.00; without it, not used.
        #[arg(long, allow_hyphen_values = true)]
        air_draught: Option<String>,
    },
    /// Safety-related text: with --to, ABM carrying message 12 (at most 156
    /// characters); without, BBM carrying message 14 to all stations (at
    /// most 161).
    #[command(after_help = ENCODE_EXIT_STATUS)]
    Safety {
        /// MMSI of the addressee: 9 digits. Without it, the text is broadcast.
        #[arg(long, allow_hyphen_values = true)]
        to: Option<String>,
        /// The text: A-Z, 0-9, space and the six-bit punctuation; lower case
        /// is sent as upper case.
        #[arg(long, allow_hyphen_values = true)]
        text: String,
    },
    /// Voyage data: VSD. Options left out stay as the transponder has them.
    #[command(after_help = ENCODE_EXIT_STATUS)]
    Vsd {
        /// Navigational status 0-15 (0 under way using engine, 1 at anchor,
        /// 5 moored).
        #[arg(long, allow_hyphen_values = true)]
        status: Option<String>,
        /// Destination, at most 20 characters (UN/LOCODEs recommended);
        /// empty = not available.
        #[arg(long, allow_hyphen_values = true)]
        destination: Option<String>,
        /// ETA in UTC: 2027-05-01T14:30Z or "2027-05-01 14:30"; not in the past, at most a year ahead.
        #[arg(long, allow_hyphen_values = true)]
        eta: Option<String>,
        /// Static draught in metres, 0.0-25.5.
        #[arg(long, allow_hyphen_values = true)]
        draught: Option<String>,
        /// Persons on board, 0-8191.
        #[arg(long, allow_hyphen_values = true)]
        persons: Option<String>,
        /// Type of ship and cargo, 0-255 (ITU-R M.1371).
        #[arg(long, allow_hyphen_values = true)]
        ship_type: Option<String>,
    },
    /// Ship static data: SSD. Options left out stay as the transponder has them.
    #[command(after_help = ENCODE_EXIT_STATUS)]
    Ssd {
        /// Call sign, at most 7 characters; empty = not available.
        #[arg(long, allow_hyphen_values = true)]
        callsign: Option<String>,
        /// Ship's name, at most 20 characters; empty = not available.
        #[arg(long, allow_hyphen_values = true)]
        name: Option<String>,
        /// Metres from the reference point to the bow, 0-511 (with --b --c --d).
        #[arg(long = "a", allow_hyphen_values = true)]
        a: Option<String>,
        /// Metres from the reference point to the stern, 0-511.
        #[arg(long = "b", allow_hyphen_values = true)]
        b: Option<String>,
        /// Metres from the reference point to port, 0-63.
        #[arg(long = "c", allow_hyphen_values = true)]
        c: Option<String>,
        /// Metres from the reference point to starboard, 0-63.
        #[arg(long = "d", allow_hyphen_values = true)]
        d: Option<String>,
    },
}

fn parse_speed(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!(
            "{s:?} is not a replay speed: give a positive number such as 1, 4 or 0.5"
        )),
    }
}

/// Where the files are, for `--help`.
fn files_help() -> String {
    let show = |p: Option<PathBuf>| {
        p.map_or("(none on this platform)".to_string(), |p| {
            p.display().to_string()
        })
    };
    let data = default_data_dir();
    format!(
        "Files:\n  configuration  {} (read when it exists and no --config is given)\n  data directory {} (alarm log alarms.jsonl, the demo's demo/alarms.jsonl, a replay's replay/alarms.jsonl; diagnostics log bridgewatch.log; set with data_dir or BRIDGEWATCH_DATA_DIR)\n\n{EXIT_STATUS}",
        show(default_config_path()),
        show(data),
    )
}

fn main() -> ExitCode {
    let cmd = Cli::command().after_help(files_help());
    let cli = match Cli::from_arg_matches(&cmd.get_matches()) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    match cli.command {
        Some(Command::Decode {
            files,
            unscaled,
            summary,
            gpsd_compat,
        }) => decode(
            &files,
            DecodeOptions {
                scaled: !unscaled,
                gpsd_compat,
            },
            summary,
        ),
        Some(Command::Encode { kind }) => encode(kind),
        Some(Command::AiipServer(args)) => aiip_server(args),
        Some(Command::Demo {
            headless,
            speed,
            common,
        }) => {
            if !cli.inputs.is_empty() {
                eprintln!(
                    "bridgewatch: demo plays its own scenario; --input belongs to the console without demo"
                );
                return ExitCode::from(2);
            }
            // `bridgewatch --headless demo` means what `demo --headless` does.
            let common = merge(cli.common, common);
            demo(common, headless || cli.headless, speed)
        }
        None => console(cli.common, &cli.inputs, cli.headless, cli.speed, cli.record),
    }
}

#[derive(clap::Args)]
struct AiipServerArgs {
    /// Address and UDP port to listen on.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:4155")]
    listen: std::net::SocketAddr,
    /// Answer every ETA (message 6, DAC 200, FI 21) addressed to
    /// --lock-mmsi with an RTA of ETA + MINUTES (FI 22, operational).
    #[arg(long, value_name = "MINUTES", requires = "lock_mmsi",
          value_parser = clap::value_parser!(u32).range(0..=10_080))]
    auto_rta: Option<u32>,
    /// MMSI of the lock (or bridge, terminal) answering with --auto-rta.
    #[arg(long, value_name = "N", requires = "auto_rta",
          value_parser = clap::value_parser!(u32).range(1..=999_999_999))]
    lock_mmsi: Option<u32>,
    /// Local information (EMMA warnings, water levels, AtoN messages,
    /// update-rate areas) with area and validity, from a TOML file the
    /// operator edits; read again when it changes.
    #[arg(long, value_name = "FILE")]
    local_info: Option<std::path::PathBuf>,
    /// MMSI the server's own messages (update-rate message 23) carry,
    /// normally the base station's.
    #[arg(long, value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=999_999_999))]
    station_mmsi: u32,
    /// Feature sets offered (comma list): minimal, base-station,
    /// traffic-on-board, smart, or all.
    #[arg(long, value_name = "LIST", default_value = "all")]
    features: String,
    /// Relay every AIS message received, and the renewed positions of
    /// signed-off vessels, as NMEA sentences in UDP datagrams to this
    /// external system (a VTS centre, an AIS network).
    #[arg(long, value_name = "udp:HOST:PORT")]
    relay: Option<String>,
    /// A client network that need not prove its address (e.g. the VPN the
    /// server runs in): 10.8.0.0/24, fd00::/8 or one address. Repeatable;
    /// added to [aiip_server] allow of the config. None by default,
    /// loopback included.
    #[arg(long, value_name = "CIDR")]
    allow: Vec<String>,
    /// Configuration file ([aiip_server] allow); without it, the
    /// platform's config.toml is read when it exists.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// `bridgewatch aiip-server`: serve until SIGINT/SIGTERM, then print the
/// counters.
fn aiip_server(a: AiipServerArgs) -> ExitCode {
    use bridgewatch::aiip::server::{AutoRta, Features, ServerConfig};
    use bridgewatch::link::aiip_server::{LocalInfoFile, Options};
    let usage = |m: String| {
        eprintln!("bridgewatch aiip-server: {m}");
        ExitCode::from(2)
    };
    let features = match Features::parse(&a.features) {
        Ok(f) => f,
        Err(e) => return usage(format!("--features: {e}")),
    };
    let relay = match a.relay.as_deref().map(parse_relay).transpose() {
        Ok(r) => r,
        Err(e) => return usage(format!("--relay: {e}")),
    };
    let local_info = match a.local_info {
        Some(path) => match LocalInfoFile::load(path, a.station_mmsi) {
            Ok(f) => Some(f),
            Err(e) => return usage(format!("--local-info: {e}")),
        },
        None => None,
    };
    let config = ServerConfig {
        auto_rta: match (a.auto_rta, a.lock_mmsi) {
            (Some(minutes), Some(lock_mmsi)) => Some(AutoRta { lock_mmsi, minutes }),
            _ => None,
        },
        features,
        relay: relay.is_some(),
        ..ServerConfig::default()
    };
    let (file, _) = match Config::find(a.config.as_deref()) {
        Ok(c) => c,
        Err(e) => return usage(e),
    };
    let mut allow = match file.aiip_server.networks() {
        Ok(n) => n,
        Err(e) => return usage(e),
    };
    for n in &a.allow {
        match bridgewatch::aiip::validation::Cidr::parse(n) {
            Ok(c) => allow.push(c),
            Err(e) => return usage(format!("--allow: {e}")),
        }
    }
    let options = Options {
        local_info,
        relay,
        allow,
    };
    let mut err = io::stderr();
    match bridgewatch::link::aiip_server::run(a.listen, config, options, &mut err) {
        // The counters are in its last line on standard error.
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bridgewatch aiip-server: {}: {e}", a.listen);
            ExitCode::from(1)
        }
    }
}

/// `udp:HOST:PORT` of `--relay`.
fn parse_relay(s: &str) -> Result<std::net::SocketAddr, String> {
    let rest = s
        .strip_prefix("udp:")
        .ok_or_else(|| format!("{s:?}: give udp:HOST:PORT"))?;
    bridgewatch::app::aiip_io::resolve(s, rest)
}

/// Options given before the subcommand count as given after it.
fn merge(top: Common, sub: Common) -> Common {
    Common {
        config: sub.config.or(top.config),
        palette: sub.palette.or(top.palette),
        log_level: if sub.log_level != "info" {
            sub.log_level
        } else {
            top.log_level
        },
    }
}

fn load_config(given: Option<&Path>) -> Result<(Config, ConfigSource), ExitCode> {
    Config::find(given).map_err(|e| {
        eprintln!("bridgewatch: {e}");
        ExitCode::from(2)
    })
}

/// Diagnostics go to `bridgewatch.log` in the data directory, never onto
/// the screen. A log that cannot be opened leaves diagnostics off (the
/// alarm log and the screen still say what matters).
fn start_logging(config: &Config, level: &str) {
    let Some(dir) = config.data_dir() else {
        return;
    };
    let file = std::fs::create_dir_all(&dir).and_then(|_| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("bridgewatch.log"))
    });
    let Ok(file) = file else {
        return;
    };
    let level = level.parse().unwrap_or(tracing::Level::INFO);
    let _ = tracing_subscriber::fmt()
        .with_writer(std::sync::Mutex::new(file))
        .with_ansi(false)
        .with_max_level(level)
        .try_init();
}

fn demo(common: Common, headless_mode: bool, speed: f64) -> ExitCode {
    let (config, source) = match load_config(common.config.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    start_logging(&config, &common.log_level);
    tracing::info!("demo with {}", source.label());
    if !headless_mode {
        let palette = common.palette.as_deref().and_then(Palette::parse);
        return finish(bridgewatch::ui::terminal::run(
            &config,
            &source,
            run::Source::Demo,
            speed,
            palette,
        ));
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    finish(headless::run_demo(&config, &mut out, &mut io::stderr()))
}

fn finish(r: io::Result<()>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("ended: {e}");
            eprintln!("bridgewatch: {e}");
            ExitCode::FAILURE
        }
    }
}

fn console(
    common: Common,
    inputs: &[String],
    headless_mode: bool,
    speed: f64,
    record: Option<PathBuf>,
) -> ExitCode {
    let (mut config, source) = match load_config(common.config.as_deref()) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if record.is_some() {
        config.record = record;
    }
    let mut specs = Vec::new();
    for s in config.inputs.iter().chain(inputs) {
        match InputSpec::parse(s) {
            Ok(i) => specs.push(i),
            Err(e) => {
                eprintln!("bridgewatch: {e}");
                return ExitCode::from(2);
            }
        }
    }
    // The transponder named in the config is an input too.
    let specs = bridgewatch::app::desk_io::transponder(&config, &specs).0;
    match headless::check_inputs(&specs) {
        Ok(()) => {}
        Err(headless::InputProblem::Usage(e)) => {
            eprintln!("bridgewatch: {e}");
            return ExitCode::from(2);
        }
        Err(headless::InputProblem::Unreadable(e)) => {
            eprintln!("bridgewatch: {e}");
            return ExitCode::FAILURE;
        }
    }
    start_logging(&config, &common.log_level);
    tracing::info!(
        "started with {}; inputs: {}",
        source.label(),
        specs
            .iter()
            .map(InputSpec::name)
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !headless_mode {
        let palette = common.palette.as_deref().and_then(Palette::parse);
        return finish(bridgewatch::ui::terminal::run(
            &config,
            &source,
            run::Source::Inputs(specs),
            speed,
            palette,
        ));
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = io::stderr();
    finish(headless::run(&config, &specs, speed, &mut out, &mut err))
}

fn encode(kind: EncodeKind) -> ExitCode {
    use bridgewatch::voyage::command as cmd;
    // The ETA must not be in the past: checked against the system clock.
    let now_ms = bridgewatch::link::wall_ms();
    let (name, result) = match kind {
        EncodeKind::Eta {
            to,
            country,
            location,
            section,
            terminal,
            hectometre,
            eta,
            tugs,
            air_draught,
        } => (
            "eta",
            cmd::eta(
                &cmd::EtaOptions {
                    to,
                    country,
                    location,
                    section,
                    terminal,
                    hectometre,
                    eta,
                    tugs,
                    air_draught,
                },
                now_ms,
            ),
        ),
        EncodeKind::Safety { to, text } => ("safety", cmd::safety(to.as_deref(), &text)),
        EncodeKind::Vsd {
            status,
            destination,
            eta,
            draught,
            persons,
            ship_type,
        } => (
            "vsd",
            cmd::vsd(
                &cmd::VsdOptions {
                    status,
                    destination,
                    eta,
                    draught,
                    persons,
                    ship_type,
                },
                now_ms,
            ),
        ),
        EncodeKind::Ssd {
            callsign,
            name,
            a,
            b,
            c,
            d,
        } => (
            "ssd",
            cmd::ssd(&cmd::SsdOptions {
                callsign,
                name,
                a,
                b,
                c,
                d,
            }),
        ),
    };
    match result {
        Ok(lines) => {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            for l in lines {
                if let Err(e) = writeln!(out, "{l}") {
                    return finish(Err(e));
                }
            }
            finish(out.flush())
        }
        Err(e) => {
            eprintln!("bridgewatch encode {name}: {e}");
            ExitCode::from(2)
        }
    }
}

fn decode(files: &[String], opts: DecodeOptions, summary: bool) -> ExitCode {
    let mut dec = Decoder::new(opts);
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(256 * 1024, stdout.lock());
    let stderr = io::stderr();
    let mut err = io::BufWriter::new(stderr.lock());
    let mut status = ExitCode::SUCCESS;
    let stdin_only = files.is_empty() || files.iter().all(|f| f == "-");
    let result = if stdin_only {
        dec.run("stdin", io::stdin().lock(), &mut out, &mut err)
    } else {
        let mut r = Ok(());
        for f in files {
            let res = if f == "-" {
                dec.run("stdin", io::stdin().lock(), &mut out, &mut err)
            } else {
                match std::fs::File::open(f) {
                    Ok(file) => dec.run(f, file, &mut out, &mut err),
                    Err(e) => {
                        let _ = writeln!(err, "bridgewatch: cannot read {f}: {e}");
                        status = ExitCode::FAILURE;
                        Ok(())
                    }
                }
            };
            if res.is_err() {
                r = res;
                break;
            }
        }
        r
    };
    if let Err(e) = result
        && e.kind() != io::ErrorKind::BrokenPipe
    {
        let _ = writeln!(err, "bridgewatch: {e}");
        status = ExitCode::FAILURE;
    }
    let _ = out.flush();
    if summary {
        let s = dec.summary();
        let presentation = if opts.gpsd_compat {
            " left out (--gpsd-compat)"
        } else {
            ""
        };
        let _ = writeln!(
            err,
            "{} lines, {} sentences, {} AIS messages, {} rejected ({} over-long lines), {} incomplete multi-part, {} tag blocks ignored, {} over-long sentences decoded, {} ABM/BBM/VSD/SSD/$PIWW sentences{presentation}",
            s.lines,
            s.sentences,
            s.messages,
            s.rejected,
            s.overlong,
            s.incomplete,
            s.tag_blocks_ignored,
            s.long_sentences,
            s.presentation
        );
    }
    let _ = err.flush();
    status
}
