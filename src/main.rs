//! bridgewatch command line: parse arguments and hand over to a mode.

use bridgewatch::app::{Config, headless, run};
use bridgewatch::decode::{DecodeOptions, Decoder};
use bridgewatch::link::InputSpec;
use bridgewatch::ui::theme::Palette;
use clap::{Parser, Subcommand};
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "bridgewatch",
    version,
    about = "AIS console for the bridge watch"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Configuration file (see config.example.toml).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Input: file:PATH, udp:ADDR:PORT, tcp:HOST:PORT, serial:DEV[@BAUD], aiip:HOST:PORT.
    #[arg(long = "input")]
    inputs: Vec<String>,
    /// No screen: events as JSON lines on stdout.
    #[arg(long)]
    headless: bool,
    /// Colour palette of the console.
    #[arg(long, global = true, value_parser = ["day", "dusk", "night"])]
    palette: Option<String>,
    /// Replay speed of file inputs (1 = recorded pace).
    #[arg(long, default_value_t = 1.0)]
    speed: f64,
    /// Record everything received to FILE (receive-time tag blocks added).
    #[arg(long)]
    record: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// The built-in offline scenario: no hardware, no network.
    Demo {
        /// Events as JSON lines instead of the console.
        #[arg(long)]
        headless: bool,
        /// Replay speed (1 = real time).
        #[arg(long, default_value_t = 1.0)]
        speed: f64,
    },
    /// Decode NMEA/AIS to gpsd-compatible JSON lines (stdin if no file).
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
        Some(Command::Demo { headless, speed }) => demo(cli.config, headless, speed, cli.palette),
        None => console(
            cli.config,
            &cli.inputs,
            cli.headless,
            cli.palette,
            cli.speed,
            cli.record,
        ),
    }
}

fn load_config(config: Option<PathBuf>) -> Result<Config, ExitCode> {
    match config {
        Some(p) => Config::load(&p).map_err(|e| {
            eprintln!("bridgewatch: {e}");
            ExitCode::from(2)
        }),
        None => Ok(Config::default()),
    }
}

fn demo(
    config: Option<PathBuf>,
    headless_mode: bool,
    speed: f64,
    palette: Option<String>,
) -> ExitCode {
    let config = match load_config(config) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if !headless_mode {
        let palette = palette.as_deref().and_then(Palette::parse);
        return finish(run::run(&config, run::Source::Demo, speed, palette));
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match headless::run_demo(&config, &mut out, &mut io::stderr()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bridgewatch: {e}");
            ExitCode::FAILURE
        }
    }
}

fn finish(r: io::Result<()>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bridgewatch: {e}");
            ExitCode::FAILURE
        }
    }
}

fn console(
    config: Option<PathBuf>,
    inputs: &[String],
    headless_mode: bool,
    palette: Option<String>,
    speed: f64,
    record: Option<PathBuf>,
) -> ExitCode {
    let mut config = match load_config(config) {
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
    if specs.is_empty() {
        eprintln!("bridgewatch: no input; give --input file:PATH or udp:ADDR:PORT");
        return ExitCode::from(2);
    }
    if !headless_mode {
        let palette = palette.as_deref().and_then(Palette::parse);
        return finish(run::run(
            &config,
            run::Source::Inputs(specs),
            speed,
            palette,
        ));
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut err = io::stderr();
    match headless::run(&config, &specs, &mut out, &mut err) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bridgewatch: {e}");
            ExitCode::FAILURE
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
        let _ = writeln!(
            err,
            "{} lines, {} sentences, {} AIS messages, {} rejected ({} over-long), {} incomplete multi-part, {} tag blocks ignored",
            s.lines,
            s.sentences,
            s.messages,
            s.rejected,
            s.overlong,
            s.incomplete,
            s.tag_blocks_ignored
        );
    }
    let _ = err.flush();
    status
}
