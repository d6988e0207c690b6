//! The command line: argument definitions (clap derive) and one function per command, each
//! reading as one line per stage. This is the binary's edge: errors become `anyhow` with their
//! cause chain, printed once by `main`, and exit codes are chosen here.

use crate::experiment::{self, RunOptions, RunResult};
use crate::output;
use crate::scenario::{self, Scenario};
use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// How long will it take to clear this backlog, with what certainty, what is holding it back?
#[derive(Debug, Parser)]
#[command(name = "clearance", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario's replications in parallel and print a summary.
    Run(RunArgs),
    /// Check scenario files without running them.
    Validate {
        /// Scenario files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print each stage's capacity bound and the clearance bound it implies, without simulating.
    Explain {
        /// Scenario file (TOML).
        scenario: PathBuf,
    },
    /// Redraw the charts of a saved run (a `run --out DIR` directory) without re-simulating.
    Chart {
        /// Directory written by `clearance run --out`.
        dir: PathBuf,
    },
    /// Write report.html for a saved run (a `run --out DIR` directory) without re-simulating.
    Report {
        /// Directory written by `clearance run --out`.
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Number of replications (overrides [scenario].replications).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    pub replications: Option<u32>,
    /// Base seed (overrides [scenario].seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// Write summary.json, replications.csv, daily.csv, scenario.toml and the charts (PNG and
    /// SVG) into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write the self-contained report.html (needs --out).
    #[arg(long, requires = "out")]
    pub report: bool,
    /// Skip the charts when writing --out.
    #[arg(long)]
    pub no_charts: bool,
    /// Print the summary as JSON on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Exit code of an interrupted run (128 + SIGINT).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Run the command line; prints errors with their causes and returns the exit code.
pub fn main(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Run(args) => cmd_run(&args),
        Command::Validate { files } => cmd_validate(&files),
        Command::Explain { scenario } => cmd_explain(&scenario),
        Command::Chart { dir } => cmd_chart(&dir, false),
        Command::Report { dir } => cmd_chart(&dir, true),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            print_error(&e);
            ExitCode::from(1)
        }
    }
}

/// Print an error and its cause chain, ripgrep-style.
pub fn print_error(e: &anyhow::Error) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "error: {e}");
    for cause in e.chain().skip(1) {
        let _ = writeln!(err, "  caused by: {cause}");
    }
}

/// Load and validate a scenario file, with its text (kept for reports).
pub fn load(path: &Path) -> Result<Scenario> {
    scenario::load_file(path).map_err(|e| anyhow::anyhow!("{e}"))
}

fn cmd_validate(files: &[PathBuf]) -> Result<ExitCode> {
    let mut bad = 0;
    for f in files {
        match scenario::load_file(f) {
            Ok(s) => {
                println!("ok: {} ({})", f.display(), s.name);
                for w in &s.warnings {
                    println!("  warning: {w}");
                }
            }
            Err(e) => {
                bad += 1;
                eprintln!("{e}");
            }
        }
    }
    if bad > 0 {
        eprintln!("{bad} of {} scenario files are invalid", files.len());
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_run(args: &RunArgs) -> Result<ExitCode> {
    let scn = match scenario::load_file(&args.scenario) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::from(2));
        }
    };
    if let Some(dir) = &args.out {
        output::prepare_dir(dir).context("the output directory is not usable")?;
    }
    let cancel = interrupt_flag();
    let opts = RunOptions {
        replications: args.replications,
        seed: args.seed,
        threads: args.threads.map(|t| t as usize),
        progress: !args.quiet,
        cancel: Some(cancel.clone()),
    };
    let run = experiment::run(&scn, &opts).context("the run failed")?;
    report(args, &scn, &run)?;
    if run.partial {
        eprintln!(
            "interrupted: {} finished replications were summarised (marked \"partial\")",
            run.summary.replications
        );
        return Ok(ExitCode::from(EXIT_INTERRUPTED));
    }
    Ok(ExitCode::SUCCESS)
}

/// A flag set by Ctrl-C: the run stops starting replications and reports what finished.
fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let f = flag.clone();
    // A second handler (e.g. in tests calling twice) cannot be installed; the run then simply
    // cannot be interrupted cleanly, which is not an error.
    let _ = ctrlc::set_handler(move || f.store(true, Ordering::SeqCst));
    flag
}

fn report(args: &RunArgs, scn: &Scenario, run: &RunResult) -> Result<()> {
    let json = output::json::summary_json(&run.summary)?;
    let input = output::ChartInput::from_run(run);
    if args.json {
        print!("{json}");
    } else {
        let mut out = std::io::stdout().lock();
        output::table::print_summary(&mut out, &run.summary)?;
        print_binding(&mut out, scn, &input)?;
    }
    if let Some(dir) = &args.out {
        let text = std::fs::read_to_string(&args.scenario)
            .with_context(|| format!("could not re-read {}", args.scenario.display()))?;
        write_run(dir, scn, run, &json, &text)?;
        if !args.no_charts {
            output::write_charts(dir, scn, &input)?;
        }
        if args.report {
            output::write_report(dir, scn, &text, &input)?;
        }
        if !args.json {
            println!("wrote {}", dir.display());
        }
    }
    Ok(())
}

/// The stage that binds, per period, and each stage's share of the clearance time.
fn print_binding(
    w: &mut impl Write,
    scn: &Scenario,
    input: &output::ChartInput<'_>,
) -> std::io::Result<()> {
    let bindings = output::bind(scn, input);
    if bindings.is_empty() {
        return Ok(());
    }
    writeln!(w)?;
    writeln!(w, "What binds (weekly, up to the median clearance)")?;
    let mut last = String::new();
    for b in &bindings {
        if b.name != last {
            let util = b
                .utilization
                .map(|u| format!("{:.0}% used", u * 100.0))
                .unwrap_or_else(|| "–".into());
            writeln!(
                w,
                "  from {}  {:<28} {util:>10}, {:>7.0} people waiting in front",
                b.from_date, b.name, b.queue
            )?;
            last = b.name.clone();
        }
    }
    let shares = output::bottleneck::binding_shares(&bindings);
    let parts: Vec<String> = shares
        .iter()
        .map(|(n, f)| format!("{n} {:.0}%", f * 100.0))
        .collect();
    writeln!(w, "  share of the clearance time: {}", parts.join(" · "))?;
    Ok(())
}

/// Write summary.json, replications.csv, daily.csv and the scenario text into `dir`.
pub fn write_run(
    dir: &Path,
    scn: &Scenario,
    run: &RunResult,
    json: &str,
    scenario_text: &str,
) -> Result<()> {
    output::atomic_write(&dir.join("summary.json"), json.as_bytes())?;
    let reps = output::csv::replications_csv(scn, &run.replications)?;
    output::atomic_write(&dir.join("replications.csv"), &reps)?;
    let daily = output::csv::daily_csv(&run.daily)?;
    output::atomic_write(&dir.join("daily.csv"), &daily)?;
    output::atomic_write(&dir.join("scenario.toml"), scenario_text.as_bytes())?;
    Ok(())
}

fn cmd_explain(path: &Path) -> Result<ExitCode> {
    let scn = match scenario::load_file(path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::from(2));
        }
    };
    let report = output::explain(&scn);
    output::print_explain(&report, &mut std::io::stdout().lock())?;
    Ok(ExitCode::SUCCESS)
}

/// `chart DIR` / `report DIR`: redraw from a saved run.
fn cmd_chart(dir: &Path, report: bool) -> Result<ExitCode> {
    let saved = output::saved::load(dir)
        .with_context(|| format!("{} is not a saved run (run --out DIR)", dir.display()))?;
    let file = saved.scenario_file.display().to_string();
    let scn =
        scenario::load_str(&saved.scenario_text, &file).map_err(|e| anyhow::anyhow!("{e}"))?;
    let input = output::ChartInput {
        summary: &saved.summary,
        daily: &saved.daily,
        replications: &saved.replications,
    };
    if report {
        let p = output::write_report(dir, &scn, &saved.scenario_text, &input)?;
        println!("wrote {}", p.display());
    } else {
        let files = output::write_charts(dir, &scn, &input)?;
        println!("wrote {} charts into {}", files.len(), dir.display());
    }
    Ok(ExitCode::SUCCESS)
}
