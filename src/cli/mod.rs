//! The command line: argument definitions (clap derive) and one function per command, each
//! reading as one line per stage. This is the binary's edge: errors become `anyhow` with their
//! cause chain, printed once by `main`, and exit codes are chosen here.

pub mod guard;
pub mod trace;

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
    /// Write summary.json, replications.csv and daily.csv into this directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print the summary as JSON on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Write the event log of replication 0 to this CSV file
    /// (time,day,date,event,group,size,stage,port).
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
}

/// Exit code of an interrupted run (128 + SIGINT).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Run the command line; prints errors with their causes and returns the exit code.
pub fn main(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Run(args) => cmd_run(&args),
        Command::Validate { files } => cmd_validate(&files),
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
            Ok(mut s) => {
                guard::add_capacity_warnings(&mut s);
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
    let mut scn = match scenario::load_file(&args.scenario) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::from(2));
        }
    };
    guard::add_capacity_warnings(&mut scn);
    let cancel = interrupt_flag();
    let opts = RunOptions {
        replications: args.replications,
        seed: args.seed,
        threads: args.threads.map(|t| t as usize),
        progress: !args.quiet,
        cancel: Some(cancel.clone()),
    };
    let effective = experiment::effective_scenario(&scn, &opts);
    let threads = opts.threads.unwrap_or_else(rayon::current_num_threads);
    guard::check_memory(&effective, threads, args.trace.is_some())
        .context("the run was not started")?;
    if let Some(dir) = &args.out {
        output::prepare_dir(dir).context("the output directory is not usable")?;
    }
    if let Some(file) = &args.trace {
        trace::check_writable(file)?;
    }
    let run = match experiment::run(&scn, &opts) {
        Ok(run) => run,
        Err(e @ experiment::RunError::NothingFinished) => {
            // Interrupted before any replication finished: nothing to summarise or write.
            eprintln!("interrupted: {e}; no output was written");
            return Ok(ExitCode::from(EXIT_INTERRUPTED));
        }
        Err(e) => return Err(anyhow::Error::new(e).context("the run failed")),
    };
    report(args, &scn, &run)?;
    if run.summary.censored > 0 {
        let blocked = guard::capacity_warnings(&scn);
        if !blocked.is_empty() {
            eprintln!(
                "{} replications reached the horizon without clearing; stages with no capacity:",
                run.summary.censored
            );
            for w in blocked {
                eprintln!("  {w}");
            }
        }
    }
    if let (Some(file), false) = (&args.trace, run.partial) {
        let n = trace::write_trace(file, &effective)?;
        if !args.json {
            println!("wrote {} ({n} events of replication 0)", file.display());
        }
    }
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
    if args.json {
        print!("{json}");
    } else {
        output::table::print_summary(&mut std::io::stdout().lock(), &run.summary)?;
    }
    if let Some(dir) = &args.out {
        write_run(dir, scn, run, &json)?;
        if !args.json {
            println!("wrote {}", dir.display());
        }
    }
    Ok(())
}

/// Write summary.json, replications.csv and daily.csv into `dir`.
pub fn write_run(dir: &Path, scn: &Scenario, run: &RunResult, json: &str) -> Result<()> {
    output::atomic_write(&dir.join("summary.json"), json.as_bytes())?;
    let reps = output::csv::replications_csv(scn, &run.replications)?;
    output::atomic_write(&dir.join("replications.csv"), &reps)?;
    let daily = output::csv::daily_csv(&run.daily)?;
    output::atomic_write(&dir.join("daily.csv"), &daily)?;
    Ok(())
}
