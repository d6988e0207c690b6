//! The command line: argument definitions (clap derive) and one function per command, each
//! reading as one line per stage. This is the binary's edge: errors become `anyhow` with their
//! cause chain, printed once by `main`, and exit codes are chosen here.

/// `println!` for the command's output on stdout ([`Out`]), never panicking: a closed pipe or
/// a full disk does not stop the command, and a full disk is its error when it ends
/// ([`stdout_status`]). A table written by a function taking a writer goes through
/// [`to_stdout`] alike.
macro_rules! outln {
    () => {
        outln!("")
    };
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!($crate::cli::Out, $($arg)*).map_err($crate::cli::stdout_failed)?
    }};
}

/// `print!` for stdout; see [`outln`].
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!($crate::cli::Out, $($arg)*).map_err($crate::cli::stdout_failed)?
    }};
}

/// `eprintln!` that never panics: a message that cannot be written to stderr is dropped.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// A status line ("wrote DIR", a hint of what to run next): on stderr, so that stdout holds the
/// command's result alone (its table, CSV or JSON), and left out under `--quiet`, the same in
/// every command.
macro_rules! status {
    ($($arg:tt)*) => {{
        if !$crate::cli::quiet() {
            errln!($($arg)*);
        }
    }};
}

/// `eprint!` that never panics; see [`errln`].
macro_rules! err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// Return a [`Usage`] error (exit code 2): the arguments, not the run, are at fault.
macro_rules! usage {
    ($($arg:tt)*) => {
        return Err(anyhow::Error::new($crate::cli::Usage(format!($($arg)*))))
    };
}

pub mod compare;
pub mod guard;
pub mod merge;
pub mod observed;
pub mod provenance;
pub mod run;
pub mod sensitivity;
pub mod sweep;
pub mod target;
pub mod trace;
pub mod validate_json;

use crate::experiment::store::{self, Meta};
use crate::experiment::RunResult;
use crate::output;
use crate::output::columns::{Col, Table};
use crate::scenario::{self, Loaded, Override, Scenario};
use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The exit codes, as `clearance --help` ends with them (the README's list, shorter).
const EXIT_CODES: &str = "\
Exit codes:
  0    success; also `target` unsure of its answer (\"uncertain\": true) and a
       `run --precision` whose target was not met (both written whole)
  1    a run failed, a saved run or shard could not be used, the directory to write is
       being written by another clearance process, or stdout could not be written
  2    invalid arguments or an invalid scenario (under `validate --deny-warnings` or
       `run --deny-warnings`, also a scenario with warnings)
  3    `target` is sure that no value in range meets the goal, assuming that the goal,
       once met, stays met as the value moves on (it tests both ends and up to 8
       values between, not every value)
  4    `target` found the goal met between --min and --max but at neither end: it is
       not monotone in the key, so no smallest or largest value is given (map it
       with `clearance sweep --vary`)
  130  interrupted by Ctrl-C: a run writes the finished replications, marked partial;
       sweep, compare, sensitivity, target, merge, chart and report write nothing
  143  stopped by SIGTERM (as the shell reports a process the signal ended): nothing is
       written, earlier outputs stay as they were";

/// How long will it take to clear this backlog, with what certainty, what is holding it back?
#[derive(Debug, Parser)]
#[command(name = "clearance", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a scenario's replications in parallel and print a summary.
    Run(RunArgs),
    /// Check scenario files, and sweep files ([sweep]), without running them.
    Validate {
        /// Scenario or sweep files (TOML).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Override a scenario value: PATH=VALUE (repeatable), e.g. 'port[San Ysidro].quota_per_day=400'.
        #[arg(long = "set", value_name = "PATH=VALUE", value_parser = scenario::parse_set)]
        set: Vec<Override>,
        /// Count a scenario with warnings as invalid (exit code 2), e.g. to keep them out of CI.
        #[arg(long)]
        deny_warnings: bool,
        /// List every error and warning: without it, a file with more than 20 errors (or 20
        /// warnings) shows the first 20 and a line saying how many more there are.
        #[arg(long)]
        all: bool,
        /// Print what is found as one JSON document on stdout instead of text, every
        /// diagnostic given: {"valid", "files": [{"file", "kind", "valid", "errors",
        /// "warnings", "diagnostics": [{"severity", "file", "line", "column", "key",
        /// "message", "hint"}], "notes": [the same, severity "note"]}]} (null where unknown).
        /// Exit codes as without it.
        #[arg(long)]
        json: bool,
        /// Accepted as by the other commands, for scripts; validate shows no progress bar, and
        /// prints what it finds all the same.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Print each stage's capacity bound and the clearance bound it implies, without simulating.
    Explain {
        /// Scenario file (TOML).
        scenario: PathBuf,
        /// Override a scenario value: PATH=VALUE (repeatable).
        #[arg(long = "set", value_name = "PATH=VALUE", value_parser = scenario::parse_set)]
        set: Vec<Override>,
        /// Print the bounds as JSON (each row's capacity day by day, its finish, the bound, the
        /// binding row and the notes) instead of the table.
        #[arg(long)]
        json: bool,
        /// Accepted as by the other commands, for scripts; explain shows no progress bar, and
        /// prints the bounds all the same.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Redraw the charts of a saved run (a `run --out DIR` directory) without re-simulating.
    Chart {
        /// Directory written by `clearance run --out`.
        dir: PathBuf,
        /// Print nothing when the charts are drawn (no `wrote …` line); errors are printed.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Write report.html for a saved run (a `run --out DIR` directory) without re-simulating.
    Report {
        /// Directory written by `clearance run --out`.
        dir: PathBuf,
        /// Print nothing when the report is written (no `wrote …` line); errors are printed.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Paired comparison of two scenarios (B − A) with common random numbers, headed by the
    /// settings in which B differs from A.
    Compare(compare::CompareArgs),
    /// Run a grid of scenario variants (a sweep file or --vary) and tabulate each point.
    #[command(mut_arg("json", |a| a.help(
        "Print the result as JSON on stdout instead of the table: an object with how the sweep \
         was made (clearance_version, scenario, seed, replications, overrides, factors, as \
         provenance.json has them) and the points under \"points\""
    )))]
    Sweep(sweep::SweepArgs),
    /// Find the smallest value of a parameter that meets a goal (or the largest, when it is met
    /// at --min but not at --max), by bisection with common random numbers.
    Target(target::TargetArgs),
    /// One-at-a-time sensitivity of P50/P90 clearance, with a tornado chart.
    Sensitivity(sensitivity::SensitivityArgs),
    /// Combine shard directories (run/sweep --shard i/n --out DIR) into the unsharded result.
    Merge(merge::MergeArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML). May be left out with --extend (the stored scenario is used).
    #[arg(required_unless_present = "extend")]
    pub scenario: Option<PathBuf>,
    /// Override a scenario value: PATH=VALUE (repeatable), e.g. 'port[San Ysidro].quota_per_day=400'.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = scenario::parse_set)]
    pub set: Vec<Override>,
    /// Number of replications (overrides [scenario].replications; with --extend: the new total).
    #[arg(long, allow_negative_numbers = true, value_parser = whole::<u32>("the number of replications", 1, 1_000_000))]
    pub replications: Option<u32>,
    /// Base seed (overrides [scenario].seed; 0 to 9223372036854775807, as in the scenario file).
    #[arg(long, allow_negative_numbers = true, value_parser = whole::<u64>("the seed", 0, i64::MAX as u64))]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores; at most one per core and one per replication are
    /// used). Results do not depend on it.
    #[arg(long, allow_negative_numbers = true, value_parser = whole::<u16>("the number of threads", 1, 1024))]
    pub threads: Option<u16>,
    /// Write summary.json, replications.csv, daily.csv, ports.csv (each port's statistics, one
    /// row per port and metric), scenario.toml, the charts (PNG and SVG) and the store that
    /// --extend and merge read (run.json, replications.jsonl, daily.json) into this directory.
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
    /// No progress bar, no legend under the table's header, and no closing hint on --out or
    /// --report (nor `wrote …` line: status lines go to stderr).
    #[arg(long, short)]
    pub quiet: bool,
    /// Add replications in batches (32, 64, 128, …) until the 95% CI half-width of mean
    /// clearance is within this: days ("2d", "12h") or a percentage of the mean ("5%"). It
    /// targets the mean, not the median; stopping at the first total that meets it lowers the
    /// CI's coverage slightly below 95%.
    #[arg(long, value_name = "TARGET", conflicts_with = "shard")]
    pub precision: Option<crate::experiment::precision::Precision>,
    /// Most replications --precision may use.
    #[arg(
        long,
        default_value_t = 10_000,
        requires = "precision",
        allow_negative_numbers = true,
        value_parser = whole::<u32>("--max-replications", 2, 1_000_000)
    )]
    pub max_replications: u32,
    /// Continue a finished run stored in DIR (by run --out DIR) from its next replication index,
    /// up to --replications N in total or until --precision is met; results are written back to DIR
    /// (or to --out).
    #[arg(long, value_name = "DIR", conflicts_with = "shard")]
    pub extend: Option<PathBuf>,
    /// Run only shard i of n (1 <= i <= n): a contiguous block of the replication indices, written
    /// to --out DIR as run.json, replications.jsonl and daily.json for `clearance merge`.
    #[arg(
        long,
        value_name = "i/n",
        requires = "out",
        conflicts_with_all = ["trace", "observed", "report", "json", "no_charts"]
    )]
    pub shard: Option<store::Shard>,
    /// Compare with observed data: a CSV with columns `date,cumulative_people` and, optionally,
    /// `scope` (a port's name, or "all", "total" or empty for the total), `counter` (who counted,
    /// so that one date may be given once per counter) and `bound` ("lower" when the count is a
    /// "more than" figure, "upper" when it is an "at most" figure, empty for an exact count; a
    /// bound is scored one-sided: no error when the simulated median is on its side); columns of
    /// other names are ignored. Prints the fit; with --out also writes observed-fit.csv and
    /// observed-chart.png/.svg.
    #[arg(long, value_name = "FILE.csv")]
    pub observed: Option<PathBuf>,
    /// Write the event log of replication 0 to this CSV file, or `-` for standard output
    /// (time,day,date,event,group,size,stage,port,origin,seats,cohort,class).
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
    /// Replace files in --out that clearance did not write (a scenario.toml or summary.json of
    /// your own); without it, such a file stops the run before it starts.
    #[arg(long)]
    pub force: bool,
    /// Refuse a scenario that loads with warnings (exit code 2, as `validate --deny-warnings`),
    /// before any replication runs and without writing --out, e.g. to keep them out of CI.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Exit code of an interrupted run (128 + SIGINT).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Exit code of a command stopped by SIGTERM (128 + SIGTERM), as a shell reports a process the
/// signal ended.
pub const EXIT_TERMINATED: u8 = 143;

/// A parser of a whole-number option in `lo..=hi` whose refusal says so in words ("the seed is a
/// whole number from 0 to 9223372036854775807"), for a negative number (which clap would
/// otherwise take for a flag and suggest `-- -1`), a fraction, a word or a number out of range.
fn whole<T: TryFrom<u64>>(
    what: &'static str,
    lo: u64,
    hi: u64,
) -> impl Fn(&str) -> std::result::Result<T, String> + Clone + Send + Sync + 'static {
    move |s: &str| {
        let refuse = || format!("{what} is a whole number from {lo} to {hi}");
        let n: u64 = s.trim().parse().map_err(|_| refuse())?;
        if !(lo..=hi).contains(&n) {
            return Err(refuse());
        }
        T::try_from(n).map_err(|_| refuse())
    }
}

/// Run the command line; prints errors with their causes and returns the exit code.
pub fn main(cli: Cli) -> ExitCode {
    exit_on_sigterm();
    // The files a command writes replace the earlier ones together, once it has written them
    // all: a command that fails half-way leaves the directory as it was.
    let staging = output::Staging::begin();
    // The commands that run replications read the temporary space they may use: a value set
    // but not a size is refused, as the memory limit is, rather than ignored.
    let runs = !matches!(
        cli.command,
        Command::Validate { .. }
            | Command::Explain { .. }
            | Command::Chart { .. }
            | Command::Report { .. }
    );
    warn_backslash_outputs(&cli.command);
    let env = crate::experiment::records::TEMP_SPACE_ENV;
    match std::env::var(env) {
        Ok(v) if runs && !v.is_empty() && crate::bytes::parse_bytes(&v).is_none() => {
            errln!(
                "error: {env}={v:?} is not a size: give bytes or a number with K, M, G or T \
                 (e.g. 2G), or unset it"
            );
            return ExitCode::from(2);
        }
        _ => {}
    }
    // The directory the command writes is taken from any other clearance process before
    // anything is read or run (one that does not exist yet is taken when it is made).
    if let Some((dir, hint)) = written_dir(&cli.command) {
        if let Err(e) = lock_out(&dir, hint) {
            print_error(&e);
            return ExitCode::from(1);
        }
    }
    // A command that writes its files whole or not at all (merge, chart, report) stops on a
    // first Ctrl-C before they are put in place, writing nothing, and lets renames under way
    // finish; one that had no handler had been killed by it, leaving its temporary files, or
    // a mix of two runs when it came between the renames.
    let whole_or_nothing = match &cli.command {
        Command::Merge(a) => Some(a.out.clone()),
        Command::Chart { dir, .. } | Command::Report { dir, .. } => Some(dir.clone()),
        _ => None,
    };
    if whole_or_nothing.is_some() {
        interrupt_flag_saying(STOPS_BEFORE_WRITING);
    }
    QUIET.store(
        match &cli.command {
            Command::Run(a) => a.quiet,
            Command::Validate { quiet, .. }
            | Command::Explain { quiet, .. }
            | Command::Chart { quiet, .. }
            | Command::Report { quiet, .. } => *quiet,
            Command::Compare(a) => a.common.quiet,
            Command::Sweep(a) => a.common.quiet,
            Command::Target(a) => a.common.quiet,
            Command::Sensitivity(a) => a.common.quiet,
            Command::Merge(a) => a.quiet,
        },
        std::sync::atomic::Ordering::Relaxed,
    );
    let result = match cli.command {
        Command::Run(args) => run::cmd_run(&args),
        // `--quiet` is accepted by every command, so that scripts can pass it to each; validate
        // and explain have no progress bar or `wrote` line for it to silence.
        Command::Validate {
            files,
            set,
            deny_warnings,
            all,
            json,
            quiet: _,
        } => cmd_validate(&files, &set, deny_warnings, all, json),
        Command::Explain {
            scenario,
            set,
            json,
            quiet: _,
        } => cmd_explain(&scenario, &set, json),
        Command::Chart { dir, quiet } => cmd_chart(&dir, false, quiet),
        Command::Report { dir, quiet } => cmd_chart(&dir, true, quiet),
        Command::Compare(args) => compare::cmd(&args),
        Command::Sweep(args) => sweep::cmd(&args),
        Command::Target(args) => target::cmd(&args),
        Command::Sensitivity(args) => sensitivity::cmd(&args),
        Command::Merge(args) => merge::cmd(&args),
    };
    // Nothing of a failed command replaces what was there; a command whose reader went away
    // (`| head`) had written its files whole.
    let keep = match &result {
        Ok(_) => true,
        Err(e) => is_broken_pipe(e),
    };
    let result = if keep {
        let committed = match &whole_or_nothing {
            Some(dir) => match staging.commit_unless(&interrupt_flag()) {
                Ok(true) => Ok(()),
                Ok(false) => Err(NothingWritten(dir.clone()).into()),
                Err(e) => Err(e.into()),
            },
            None => staging.commit().map_err(anyhow::Error::from),
        };
        let committed = committed.context("the outputs written were not put in place");
        result.and_then(|code| committed.map(|()| code))
    } else {
        drop(staging);
        result
    };
    release_out_locks();
    remove_empty_created_dirs();
    // A stdout that could not be written (a full disk) ends the command with that error, its
    // files written (not when it failed otherwise: its own error is said). What is still
    // buffered (a last line without its newline) is written here, not at exit, where its
    // failure would be lost unsaid.
    let result = result.and_then(|code| stdout_status().map(|()| code));
    match result {
        Ok(code) => code,
        // The reader of our output went away (`clearance … | head`): stop quietly, as a Unix
        // filter does.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        // Ctrl-C in an experiment: nothing to summarise, but the same exit code as a run.
        Err(e) if is_interrupted(&e) => {
            print_error(&e);
            ExitCode::from(EXIT_INTERRUPTED)
        }
        Err(e) if is_usage(&e) => {
            print_error(&e);
            ExitCode::from(2)
        }
        Err(e) => {
            print_error(&e);
            ExitCode::from(1)
        }
    }
}

/// Warn on stderr of each path the command writes to (`--out`, `--trace`) that holds a `\`:
/// here it is a character of a name, not a folder separator, so `--out "My Outputs\run 1"`
/// writes into one new folder of that name where a planner used to Windows meant `run 1`
/// inside `My Outputs`. Not refused: the name is legal, and may be meant.
fn warn_backslash_outputs(command: &Command) {
    let mut outs: Vec<(&str, &Path)> = Vec::new();
    match command {
        Command::Run(a) => {
            outs.extend(a.out.as_deref().map(|p| ("--out", p)));
            outs.extend(a.trace.as_deref().map(|p| ("--trace", p)));
        }
        Command::Compare(a) => outs.extend(a.out.as_deref().map(|p| ("--out", p))),
        Command::Sweep(a) => outs.extend(a.out.as_deref().map(|p| ("--out", p))),
        Command::Sensitivity(a) => outs.extend(a.out.as_deref().map(|p| ("--out", p))),
        Command::Merge(a) => outs.push(("--out", &a.out)),
        _ => {}
    }
    for (flag, path) in outs {
        let text = path.to_string_lossy();
        if cfg!(not(windows)) && text.contains('\\') {
            errln!(
                "warning: {flag} \"{text}\" holds a `\\`, which here is part of a name, not a \
                 folder separator: folders are separated by `/` (write \"{}\" for a folder inside \
                 a folder)",
                text.replace('\\', "/")
            );
        }
    }
}

/// The hint for a key path or a path with spaces given without quotes (`args` as the shell
/// passed them, the program's name first). A `--set` or `--vary` whose value opens an element's
/// name it does not close (`--set port[Port A].quota_per_day=200` is `port[Port` and
/// `A].quota_per_day=200`): the whole value quoted. Paths (`clearance validate My
/// Scenarios/baseline copy.toml` is three paths, each named missing): when neighbouring
/// arguments that name nothing join with spaces into a path that exists, that path quoted.
/// `None` otherwise.
pub fn quote_hint(args: &[std::ffi::OsString]) -> Option<String> {
    let words: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if let Some(h) = split_key_hint(&words) {
        return Some(h);
    }
    let plain = |w: &String| !w.starts_with('-') && !w.is_empty();
    for i in 1..words.len() {
        // the longest run of arguments from i that joins into a path that exists
        for j in (i + 2..=words.len()).rev() {
            let run = &words[i..j];
            if !run.iter().all(plain) || run.iter().all(|w| Path::new(w).exists()) {
                continue;
            }
            let joined = run.join(" ");
            if Path::new(&joined).exists() {
                return Some(format!(
                    "a path with spaces needs quotes: \"{joined}\" (the shell split it into {})",
                    crate::format::word_list(
                        &run.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>(),
                        "and"
                    )
                ));
            }
        }
    }
    None
}

/// For `--set` or `--vary` (also `--set=…`) whose value leaves an element's name open
/// (`port[Port`), the arguments after it joined with spaces up to the one that closes it,
/// quoted as one: `--set 'port[Port A].quota_per_day=200'`. Every bundled port name has a
/// space, so an unquoted one is split by the shell.
fn split_key_hint(words: &[String]) -> Option<String> {
    let open = |v: &str| v.rfind('[').is_some_and(|i| !v[i..].contains(']'));
    for (i, w) in words.iter().enumerate() {
        let (flag, first, next) = match (w.split_once('='), words.get(i + 1)) {
            (Some((f @ ("--set" | "--vary"), v)), _) => (f, v, i + 1),
            (None, Some(v)) if w == "--set" || w == "--vary" => (w.as_str(), v.as_str(), i + 2),
            _ => continue,
        };
        if !open(first) {
            continue;
        }
        let rest = words.get(next..).unwrap_or_default();
        let Some(end) = rest
            .iter()
            .position(|x| x.contains(']') || x.starts_with('-'))
            .filter(|&e| rest[e].contains(']'))
        else {
            continue;
        };
        let joined = std::iter::once(first)
            .chain(rest[..=end].iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        let quoted = if joined.contains('\'') {
            format!("\"{joined}\"")
        } else {
            format!("'{joined}'")
        };
        return Some(format!(
            "a name with spaces needs quotes: {flag} {quoted} (the shell split it at the space)"
        ));
    }
    None
}

/// What `clearance` alone prints (on stderr, exit code 2): an example first, then the commands
/// with a line each, and where the full help is.
pub fn short_usage() -> String {
    use clap::CommandFactory;
    let mut s = String::from(
        "Example: clearance run scenarios/baseline.toml\n\n\
         Usage: clearance <COMMAND> [ARGS]\n\nCommands:\n",
    );
    let cmd = Cli::command();
    let subs: Vec<&clap::Command> = cmd.get_subcommands().collect();
    let width = subs.iter().map(|c| c.get_name().len()).max().unwrap_or(0);
    for c in subs {
        let about = c.get_about().map(|a| a.to_string()).unwrap_or_default();
        let first = about.split(". ").next().unwrap_or("").trim_end_matches('.');
        s.push_str(&format!("  {:width$}  {first}\n", c.get_name()));
    }
    s.push_str(
        "\n`clearance --help` adds the exit codes; `clearance help COMMAND` lists a command's \
         options.\n",
    );
    s
}

/// Invalid arguments or input files given on the command line (exit code 2, like an invalid
/// scenario).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// Check (creating it if need be) an output directory before any work is done: an unusable one
/// is invalid input (exit 2), whatever the reason the system gives (a file in the path, no
/// permission, a read-only or virtual file system).
pub fn prepare_out(dir: &Path, what: &str) -> Result<()> {
    prepare_dir(dir, what)?;
    // (held since the command began when the directory existed; taken now when just made)
    lock_out(dir, "wait for it to finish, or choose another --out")
}

/// [`prepare_out`] for a directory the command writes one named file into (the trace's),
/// which it does not take from other processes.
pub(super) fn prepare_dir(dir: &Path, what: &str) -> Result<()> {
    // The directories this creates, deepest first: removed again at exit if still empty (a
    // command that stopped before writing anything leaves nothing behind).
    let created: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty() && std::fs::symlink_metadata(a).is_err())
        .map(Path::to_path_buf)
        .collect();
    output::prepare_dir(dir).map_err(|e| anyhow::Error::new(e).context(Usage(what.to_string())))?;
    output::remove_stale_temp_files(dir);
    if let Ok(mut v) = CREATED_DIRS.lock() {
        v.extend(created);
    }
    Ok(())
}

/// The directory a command writes its files into (`--out`, `run --extend DIR` without it, the
/// directory of `chart` and `report`), and how the refusal of a busy one ends ([`lock_out`]).
fn written_dir(command: &Command) -> Option<(PathBuf, &'static str)> {
    const OUT: &str = "wait for it to finish, or choose another --out";
    match command {
        Command::Run(a) => a.out.clone().or_else(|| a.extend.clone()).map(|d| (d, OUT)),
        Command::Merge(a) => Some((a.out.clone(), OUT)),
        Command::Sweep(a) => a.out.clone().map(|d| (d, OUT)),
        Command::Compare(a) => a.out.clone().map(|d| (d, OUT)),
        Command::Sensitivity(a) => a.out.clone().map(|d| (d, OUT)),
        Command::Chart { dir, .. } | Command::Report { dir, .. } => {
            Some((dir.clone(), "wait for it to finish"))
        }
        Command::Validate { .. } | Command::Explain { .. } | Command::Target(_) => None,
    }
}

/// Take the advisory lock of the output directory `dir` ([`crate::fsio::lock_dir`]) for the
/// rest of the command, if it exists and this process does not hold it already: two commands
/// writing one directory at once had left it holding the files of both, each exiting 0.
/// Another clearance process holding it is an error (exit 1) saying so, with `hint`; a file
/// system that does not lock (some NFS and Lustre mounts) is warned of and the command goes on.
pub fn lock_out(dir: &Path, hint: &str) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut held = OUT_LOCKS.lock().unwrap_or_else(|e| e.into_inner());
    if held.iter().any(|(d, _)| *d == key) {
        return Ok(());
    }
    match crate::fsio::lock_dir(dir) {
        crate::fsio::Lock::Held(l) => held.push((key, l)),
        crate::fsio::Lock::Busy { pid } => {
            let pid = pid.map_or(String::new(), |p| format!(" (pid {p})"));
            anyhow::bail!(
                "{} is being written by another clearance process{pid}: {hint}",
                dir.display()
            );
        }
        crate::fsio::Lock::NotTaken {
            source,
            unsupported: true,
        } => errln!(
            "warning: could not lock {} against another clearance process writing there at \
             once ({source}; file systems such as NFS and Lustre may not support it): make sure \
             no other command writes there until this one ends",
            dir.display()
        ),
        // (a directory where the lock file cannot be made: the command's own writes say why)
        crate::fsio::Lock::NotTaken { .. } => {}
    }
    Ok(())
}

/// The output directories this process holds ([`lock_out`]).
static OUT_LOCKS: std::sync::Mutex<Vec<(PathBuf, crate::fsio::DirLock)>> =
    std::sync::Mutex::new(Vec::new());

/// Let go of the output directories this process holds, removing their lock files: at the end
/// of the command, and before a signal ends it (not waiting on a thread that holds the list).
fn release_out_locks() {
    if let Ok(mut v) = OUT_LOCKS.try_lock() {
        v.clear();
    }
}

/// Output directories created by [`prepare_out`] in this process, deepest first.
static CREATED_DIRS: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Remove the output directories this process created that are still empty (the command
/// failed or was interrupted before writing into them). A directory with anything in it stays.
fn remove_empty_created_dirs() {
    if let Ok(mut v) = CREATED_DIRS.lock() {
        for d in v.drain(..) {
            let _ = std::fs::remove_dir(&d);
        }
    }
}

/// Refuse (exit 2) an output directory where one of `names` would replace an input of the run
/// (a scenario, sweep file, observed data or saved run kept or linked there under that name),
/// or is a symbolic link to another of them ([`refuse_linked_outputs`]).
pub fn refuse_replacing_inputs(dir: &Path, names: &[String]) -> Result<()> {
    refuse_inputs_among(dir, names)?;
    let paths: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    refuse_linked_outputs(&paths)
}

/// Refuse (exit 2) an output directory where one of `names` would replace an input of the run.
pub(super) fn refuse_inputs_among(dir: &Path, names: &[String]) -> Result<()> {
    for name in names {
        if let Some(input) = crate::inputs::input_at(&dir.join(name)) {
            if input == dir.join(name) {
                usage!(
                    "{} is an input of this command, which writes {name} into {}: move the \
                     input, or write the outputs somewhere else",
                    input.display(),
                    dir.display()
                );
            }
            usage!(
                "{} would replace {}, an input of this command (it writes {name} into {}): \
                 remove the file or link, or write the outputs somewhere else",
                dir.join(name).display(),
                input.display(),
                dir.display()
            );
        }
    }
    Ok(())
}

/// Refuse (exit 2), before anything is written, outputs of one command that are the same file:
/// one of `paths` that is a symbolic link to another of them (`fan.png -> summary.json`), so
/// that one would overwrite the other. A link to a file the command does not write is written
/// through.
pub fn refuse_linked_outputs(paths: &[PathBuf]) -> Result<()> {
    let targets: Vec<PathBuf> = paths.iter().map(|p| crate::fsio::write_target(p)).collect();
    for (i, p) in paths.iter().enumerate() {
        let is_link = std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            continue;
        }
        if let Some(j) = (0..paths.len()).find(|&j| j != i && targets[j] == targets[i]) {
            usage!(
                "{} is a link to {}, which this command also writes (as {}), so one output \
                 would overwrite the other: remove the link or write the outputs somewhere else",
                p.display(),
                targets[i].display(),
                paths[j].display()
            );
        }
    }
    Ok(())
}

/// Whether the run was stopped by Ctrl-C (exit 130).
fn is_interrupted(e: &anyhow::Error) -> bool {
    use crate::experiment::{ExperimentError, RunError};
    e.chain().any(|c| {
        c.is::<NothingWritten>()
            || matches!(
                c.downcast_ref::<RunError>(),
                Some(RunError::Interrupted { .. })
            )
            || matches!(
                c.downcast_ref::<ExperimentError>(),
                Some(ExperimentError::Run(RunError::Interrupted { .. }))
            )
    })
}

/// Whether the arguments are at fault: a [`Usage`] error, an `--out` that is a file, or an
/// output path that names one of the run's own inputs.
fn is_usage(e: &anyhow::Error) -> bool {
    e.downcast_ref::<Usage>().is_some()
        || e.chain().any(|c| {
            c.is::<Usage>()
                || matches!(
                    c.downcast_ref::<output::OutputError>(),
                    Some(
                        output::OutputError::NotADirectory { .. }
                            | output::OutputError::Write(
                                crate::fsio::WriteError::WouldReplaceInput { .. }
                                    | crate::fsio::WriteError::SameFileTwice { .. }
                            )
                    )
                )
        })
}

/// Standard output for a command's results, written through by every command (`outln!`,
/// [`to_stdout`]). Once its reader has gone (`clearance run … --out D | head -1`), writes to it
/// are dropped and the command goes on, so that the files it was asked for are still written, and
/// it ends with exit code 0, as a Unix filter does. Once a write fails otherwise (a full disk,
/// `> /dev/full`), the rest is dropped too and the command goes on to write its files; the
/// failure is kept for [`stdout_status`], which `main` turns into the command's error (exit code
/// 1) when it ends.
pub struct Out;

/// Set when the reader has gone or a write has failed: later writes are dropped.
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The first failed write to stdout that was not to a closed pipe.
static STDOUT_FAILED: std::sync::Mutex<Option<std::io::Error>> = std::sync::Mutex::new(None);

impl Out {
    fn call(f: impl FnOnce() -> std::io::Result<usize>, n: usize) -> std::io::Result<usize> {
        use std::sync::atomic::Ordering::Relaxed;
        if STDOUT_CLOSED.load(Relaxed) {
            return Ok(n);
        }
        match f() {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => Err(e),
            Err(e) => {
                STDOUT_CLOSED.store(true, Relaxed);
                if e.kind() != std::io::ErrorKind::BrokenPipe {
                    if let Ok(mut failed) = STDOUT_FAILED.lock() {
                        failed.get_or_insert(e);
                    }
                }
                Ok(n)
            }
            r => r,
        }
    }
}

/// Write out what is still buffered for stdout, and return the first write to it that failed
/// other than to a closed pipe, as "could not write to standard output" with the system's reason
/// as its cause.
pub fn stdout_status() -> Result<()> {
    let _ = Out.flush();
    match STDOUT_FAILED.lock().ok().and_then(|mut f| f.take()) {
        Some(e) => Err(stdout_failed(e)),
        None => Ok(()),
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Out::call(|| std::io::stdout().lock().write(buf), buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Out::call(|| std::io::stdout().lock().flush().map(|_| 0), 0).map(|_| ())
    }
}

/// Write a command's output to standard output with `print` (a table's writer such as
/// `print_summary`; `outln!` for a line), every command alike: a closed pipe or a full disk
/// does not stop the command ([`Out`]); the error returned is the table's own.
pub fn to_stdout(print: impl FnOnce(&mut Out) -> std::io::Result<()>) -> Result<()> {
    print(&mut Out).map_err(stdout_failed)
}

/// The error of a failed write to standard output ([`to_stdout`], `outln!`).
pub fn stdout_failed(e: std::io::Error) -> anyhow::Error {
    anyhow::Error::new(e).context("could not write to standard output")
}

/// Print what clap stopped with (`--help` or `--version` on stdout, refused arguments on stderr)
/// and return its exit code, as clap's own `exit` does, except that help or version text that
/// cannot be written (`> /dev/full`) is an error (exit code 1) instead of a silent success; a
/// closed pipe is not an error.
pub fn parse_error(e: &clap::Error) -> ExitCode {
    let printed = e.print().and_then(|()| std::io::stdout().flush());
    match printed {
        Err(io) if !e.use_stderr() && io.kind() != std::io::ErrorKind::BrokenPipe => {
            print_error(&stdout_failed(io));
            ExitCode::from(1)
        }
        _ => ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2)),
    }
}

/// Whether an error comes from writing to a closed pipe.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Print an error and its cause chain, ripgrep-style.
pub fn print_error(e: &anyhow::Error) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "error: {e}");
    for cause in e.chain().skip(1) {
        let _ = writeln!(err, "  caused by: {cause}");
    }
}

/// Whether standard output and standard error are the same terminal (a person reading both in
/// one place), where a line given in a table and again on stderr would be read twice.
pub fn same_terminal() -> bool {
    use std::io::IsTerminal;
    use std::os::fd::AsFd;
    let (out, err) = (std::io::stdout(), std::io::stderr());
    if !out.is_terminal() || !err.is_terminal() {
        return false;
    }
    match (
        rustix::fs::fstat(out.as_fd()),
        rustix::fs::fstat(err.as_fd()),
    ) {
        (Ok(o), Ok(e)) => o.st_dev == e.st_dev && o.st_ino == e.st_ino && o.st_rdev == e.st_rdev,
        _ => false,
    }
}

/// Print scenario warnings on stderr, each once (commands that do not print them in a table);
/// more than [`scenario::SHOWN_BEFORE_FOLD`] of a file folded ([`fold_file_warnings`]).
pub fn print_warnings<'a>(warnings: impl IntoIterator<Item = &'a String>) {
    let mut seen = std::collections::HashSet::new();
    let once: Vec<String> = warnings
        .into_iter()
        .filter(|w| seen.insert(*w))
        .cloned()
        .collect();
    for w in fold_file_warnings(&once) {
        errln!("warning: {w}");
    }
}

// Folding many warnings into a few lines lives in `output::warnings`, shared with the report.
pub use crate::output::warnings::{
    fold_file_warnings, fold_port_capacity_warnings, PORT_WARNINGS_SAID,
};

/// Print the warnings of the scenario at `path` with `set` applied; an error is left to the
/// command, which loads it again.
pub fn print_scenario_warnings(path: &Path, set: &[Override]) {
    if let Ok(l) = scenario::load_file_with(path, set) {
        print_warnings(&l.scenario.warnings);
    }
}

/// Load a scenario with `extends` and `--set`; on a scenario error, print it and return exit
/// code 2.
pub fn load_with(path: &Path, set: &[Override]) -> std::result::Result<Loaded, ExitCode> {
    scenario::load_file_with(path, set).map_err(|e| {
        errln!("{e}");
        ExitCode::from(2)
    })
}

/// The warning that the inflow outpaces capacity ([`crate::analysis::inflow_overload_of`]),
/// which needs no simulation: `validate` gives it with the scenario's warnings, as `explain` and
/// a run's table do.
fn inflow_overload_warning(s: &Scenario) -> Option<String> {
    crate::analysis::inflow_overload_of(s).map(|o| o.text(None))
}

/// The warning that the inflow outpaces capacity at points of a checked sweep, once for them
/// all ([`crate::analysis::inflow_overload_at_points`]): the points named (all of them; those
/// of a factor's values; or up to three, and how many more), with the figures of the point
/// where the inflow exceeds the capacity most, and that point (its index in the grid). A sweep
/// of one point gives that point's warning.
fn sweep_inflow_overload(c: &sweep::Checked) -> Option<(String, usize)> {
    let grid = crate::experiment::sweep::grid(&c.factors);
    let over: Vec<(&Vec<toml::Value>, crate::analysis::InflowOverload, usize)> = grid
        .iter()
        .zip(&c.loaded)
        .enumerate()
        .filter_map(|(i, (values, l))| {
            Some((values, crate::analysis::inflow_overload_of(&l.scenario)?, i))
        })
        .collect();
    let worst = over
        .iter()
        .max_by(|a, b| a.1.ratio().total_cmp(&b.1.ratio()))?;
    if grid.len() == 1 {
        return Some((worst.1.text(None), worst.2));
    }
    let at = |values: &[toml::Value]| sweep::point_text(&c.factors, values);
    let points: Vec<&[toml::Value]> = over.iter().map(|(p, _, _)| p.as_slice()).collect();
    let points = sweep::points_named(&c.factors, grid.len(), &points);
    Some((
        crate::analysis::inflow_overload_at_points(&points, &worst.1, &at(worst.0)),
        worst.2,
    ))
}

/// The warnings of a checked sweep for `validate --json`: each point's warnings of the loader,
/// with their parts, each once; then the rest of `warnings` (as printed: capacity, the inflow's
/// `overload` at its worst point), each at the key it is about at the first point that gives it
/// (the overload at its worst point), placed in the sweep's scenario loaded with `set` and that
/// point's values (a value of the sweep file at its line there), or about the whole sweep in
/// `file`.
fn sweep_json_warnings(
    c: &sweep::Checked,
    warnings: &[String],
    overload: Option<(String, usize)>,
    set: &[Override],
    file: &str,
) -> Vec<validate_json::JsonDiagnostic> {
    use validate_json::{JsonDiagnostic, Placed};
    let mut given = std::collections::HashSet::new();
    let mut d: Vec<JsonDiagnostic> = Vec::new();
    for l in &c.loaded {
        for w in &l.warning_diagnostics {
            if given.insert(w.location_and_message()) {
                d.push(JsonDiagnostic::of(w, scenario::Severity::Warning));
            }
        }
    }
    // each warning's key at the first point that gives it
    let mut keys: std::collections::HashMap<String, (usize, String)> = Default::default();
    for (i, l) in c.loaded.iter().enumerate() {
        for (w, k) in validate_json::after_load_keys(&l.scenario, &l.table) {
            keys.entry(w).or_insert((i, k));
        }
    }
    if let Some((w, i)) = overload {
        keys.insert(w, (i, validate_json::INFLOW_KEY.to_string()));
    }
    let grid = crate::experiment::sweep::grid(&c.factors);
    let rest: Vec<Placed> = warnings
        .iter()
        .filter(|w| !given.contains(*w))
        .map(|w| Placed {
            message: w.clone(),
            at: keys.get(w).and_then(|(i, k)| {
                let values = grid.get(*i)?;
                let ovs = crate::experiment::sweep::point_overrides(set, &c.factors, values);
                Some((ovs, k.clone()))
            }),
        })
        .collect();
    d.extend(validate_json::placed(
        &c.source,
        file,
        &rest,
        scenario::Severity::Warning,
    ));
    d
}

/// `validate`'s notes on a checked sweep for `validate --json`: its points and scenario (as its
/// `ok:` line gives them), about the whole sweep file `file`; and each point at which no run can
/// clear, with why (every one: the text names five), placed where the point's values are
/// written ([`sweep_point_key`]: the sweep file's line of that factor's value, `set` applied
/// first), with the lever as its hint, as a scenario's note has it (the origin's, or the levers
/// that would let anyone through).
fn sweep_notes(
    c: &sweep::Checked,
    set: &[Override],
    file: &str,
) -> Vec<validate_json::JsonDiagnostic> {
    use validate_json::{JsonDiagnostic, Placed};
    let grid = crate::experiment::sweep::grid(&c.factors);
    let points = grid.len();
    let name = c.loaded.first().map_or("", |l| l.scenario.name.as_str());
    let mut out = vec![JsonDiagnostic::note(
        file,
        format!(
            "sweep file: {points} point{} of {name}, from {}",
            if points == 1 { "" } else { "s" },
            c.scenario_path.display()
        ),
    )];
    let mut items = Vec::new();
    let mut hints = Vec::new();
    for (values, l) in grid.iter().zip(&c.loaded) {
        if let Some(why) = crate::analysis::never_clears(&l.scenario) {
            items.push(Placed {
                message: format!(
                    "at {}, {}: {why}",
                    sweep::point_text(&c.factors, values),
                    no_run_clears(&l.scenario)
                ),
                at: sweep_point_key(c, l).map(|k| {
                    (
                        crate::experiment::sweep::point_overrides(set, &c.factors, values),
                        k,
                    )
                }),
            });
            hints.push(
                crate::analysis::never_clears_origin(&l.scenario)
                    .map(|(_, lever)| lever)
                    .or_else(|| crate::analysis::never_clears_everyone_lever(&l.scenario)),
            );
        }
    }
    let placed = validate_json::placed(&c.source, file, &items, scenario::Severity::Warning);
    out.extend(placed.into_iter().zip(hints).map(|(mut d, hint)| {
        d.severity = validate_json::NOTE;
        d.hint = hint;
        d
    }));
    out
}

/// The factor of a sweep whose value at the point loaded as `l` is where that point's note is
/// placed: the first whose key one of the point's warnings is at (the value that takes a
/// stage's capacity away, `port[P].servers`), else the first factor. `None` without factors.
fn sweep_point_key(c: &sweep::Checked, l: &scenario::Loaded) -> Option<String> {
    let mut keys: Vec<String> = l
        .warning_diagnostics
        .iter()
        .filter_map(|d| d.key.clone())
        .collect();
    keys.extend(validate_json::after_load_keys(&l.scenario, &l.table).into_values());
    c.factors
        .iter()
        .find(|f| keys.contains(&f.path))
        .or_else(|| c.factors.first())
        .map(|f| f.path.clone())
}

/// `warnings` as validate prints them, each on a line of its own under the file's line
/// (`  warning: …`): more than [`scenario::SHOWN_BEFORE_FOLD`] folded into a line that says how
/// many more there are, unless `all`.
fn warning_lines(warnings: &[String], file: &Path, all: bool) -> Vec<String> {
    let entries: Vec<String> = warnings.iter().map(|w| format!("warning: {w}")).collect();
    let file = file.display().to_string();
    scenario::fold_entries(&entries, scenario::Severity::Warning, &file, all)
        .into_iter()
        .map(|l| format!("  {l}"))
        .collect()
}

/// The warnings `validate` gives a loaded scenario beyond the loader's: its stages without any
/// capacity and an inflow that outpaces capacity (`run --deny-warnings` refuses the same).
fn validate_warnings(s: &mut Scenario) {
    guard::add_capacity_warnings(s);
    s.warnings.extend(inflow_overload_warning(s));
}

/// Under `--deny-warnings`, the refusal of a scenario `file` with `warnings`: the same lines
/// `validate --deny-warnings` prints on stderr (folded unless `all`); `None` when it has none.
pub fn deny_warnings_lines(warnings: &[String], file: &Path, all: bool) -> Option<Vec<String>> {
    if warnings.is_empty() {
        return None;
    }
    let mut lines = vec![format!(
        "{}: {} warning{} (--deny-warnings):",
        file.display(),
        warnings.len(),
        if warnings.len() == 1 { "" } else { "s" }
    )];
    lines.extend(warning_lines(warnings, file, all));
    Some(lines)
}

/// `clearance validate`: check each file; more than [`scenario::SHOWN_BEFORE_FOLD`] errors or
/// warnings of a file are folded unless `all`; `json` gives every diagnostic as one JSON
/// document on stdout ([`validate_json`]) instead of the text. Exit code 2 when a file is invalid
/// (or, under `deny_warnings`, has warnings).
fn cmd_validate(
    files: &[PathBuf],
    set: &[Override],
    deny_warnings: bool,
    all: bool,
    json: bool,
) -> Result<ExitCode> {
    use validate_json::FileReport;
    let mut bad = 0;
    let mut warned = 0;
    let mut sweeps = 0;
    let mut reports: Vec<FileReport> = Vec::new();
    for f in files {
        let file = f.display().to_string();
        // A sweep file: checked as `sweep` checks it before running (its scenario loaded at
        // every point), without simulating.
        // The file read once (a pipe or FIFO gives its text once), then told apart and loaded
        // from that text.
        let src = match scenario::Source::read(f) {
            Ok(src) => src,
            Err(e) => {
                bad += 1;
                if json {
                    let d = validate_json::of_error(&e);
                    reports.push(FileReport::new(f, None, d, deny_warnings));
                } else if all {
                    errln!("{e:#}");
                } else {
                    errln!("{e}");
                }
                continue;
            }
        };
        if crate::experiment::sweep::is_sweep_text(src.text()) {
            sweeps += 1;
            match sweep::check_text(f, src.text().to_string(), &[], set) {
                Ok(c) => {
                    let mut warnings: Vec<String> = Vec::new();
                    // every point's, each once (most points share them)
                    let mut seen = std::collections::HashSet::new();
                    for l in &c.loaded {
                        let s = &l.scenario;
                        let capacity = crate::experiment::summary::new_capacity_warnings(s);
                        for w in s.warnings.iter().chain(&capacity) {
                            if seen.insert(w.clone()) {
                                warnings.push(w.clone());
                            }
                        }
                    }
                    // The inflow's overload, whose figures differ from point to point: one
                    // warning naming the points, with the worst one's figures.
                    let overload = sweep_inflow_overload(&c);
                    warnings.extend(overload.iter().map(|(w, _)| w.clone()));
                    if json {
                        let d = sweep_json_warnings(&c, &warnings, overload, set, &file);
                        let r = FileReport::new(f, Some("sweep"), d, deny_warnings)
                            .with_notes(sweep_notes(&c, set, &file));
                        if !r.valid {
                            warned += 1;
                        }
                        reports.push(r);
                        continue;
                    }
                    let points = crate::experiment::sweep::grid_size(&c.factors).unwrap_or(0);
                    if deny_warnings && !warnings.is_empty() {
                        warned += 1;
                        errln!(
                            "{}: {} warning{} (--deny-warnings):",
                            f.display(),
                            warnings.len(),
                            if warnings.len() == 1 { "" } else { "s" }
                        );
                        for line in warning_lines(&warnings, f, all) {
                            errln!("{line}");
                        }
                        continue;
                    }
                    let name = c.loaded.first().map_or("", |l| l.scenario.name.as_str());
                    outln!(
                        "ok: {} (sweep file: {points} point{} of {name}, from {})",
                        f.display(),
                        if points == 1 { "" } else { "s" },
                        c.scenario_path.display()
                    );
                    // The points at which no run can clear, named by their values, as a
                    // scenario's own line says it (its warnings alone, each given once, did
                    // not say at which point).
                    let never: Vec<String> = crate::experiment::sweep::grid(&c.factors)
                        .iter()
                        .zip(&c.loaded)
                        .filter_map(|(values, l)| {
                            let why = crate::analysis::never_clears(&l.scenario)?;
                            Some(format!(
                                "at {}, {}: {why}",
                                sweep::point_text(&c.factors, values),
                                no_run_clears(&l.scenario)
                            ))
                        })
                        .collect();
                    for line in never.iter().take(5) {
                        outln!("  {line}");
                    }
                    if never.len() > 5 {
                        outln!("  and at {} more points", never.len() - 5);
                    }
                    for line in warning_lines(&warnings, f, all) {
                        outln!("{line}");
                    }
                }
                Err(e) => {
                    bad += 1;
                    if json {
                        let d = validate_json::of_sweep_error(&e);
                        reports.push(FileReport::new(f, Some("sweep"), d, deny_warnings));
                    } else {
                        errln!("{}", e.text(all));
                    }
                }
            }
            continue;
        }
        match src.load_with(set) {
            Ok(loaded) => {
                let mut s = loaded.scenario.clone();
                validate_warnings(&mut s);
                if json {
                    let d = validate_json::of_warnings(&loaded, &s.warnings, &src, set, &file);
                    let notes = validate_json::scenario_notes(&s, &loaded.table, &src, set, &file);
                    let r =
                        FileReport::new(f, Some("scenario"), d, deny_warnings).with_notes(notes);
                    if !r.valid {
                        warned += 1;
                    }
                    reports.push(r);
                    continue;
                }
                if let Some(lines) =
                    deny_warnings_lines(&s.warnings, f, all).filter(|_| deny_warnings)
                {
                    warned += 1;
                    for line in lines {
                        errln!("{line}");
                    }
                    continue;
                }
                // The warnings counted; when they mean no run could clear, the line does not
                // start "ok:" (beside "nobody can ever be processed" it had read as all clear)
                // and says why.
                let n = s.warnings.len();
                let warnings = format!("{n} warning{}", if n == 1 { "" } else { "s" });
                match (n, crate::analysis::never_clears(&s)) {
                    (0, _) => outln!("ok: {} ({})", f.display(), s.name),
                    (_, Some(why)) => outln!(
                        "valid, but {}: {} ({}), with {warnings}: {why} (see below)",
                        no_run_clears(&s),
                        f.display(),
                        s.name
                    ),
                    // A port ramped down to 0 that some origin has alone: runs clear only if
                    // the ramp's days take those people (it had read "ok").
                    _ => match crate::analysis::ramps_to_nothing(&s) {
                        Some(why) => outln!(
                            "valid, but runs may not clear: {} ({}), with {warnings}: {why} \
                             (see below)",
                            f.display(),
                            s.name
                        ),
                        None => outln!("ok: {} ({}), with {warnings}", f.display(), s.name),
                    },
                }
                for line in warning_lines(&s.warnings, f, all) {
                    outln!("{line}");
                }
                if let Some(n) = crate::analysis::inflow_groups_note_unless_warned(&s, &s.warnings)
                {
                    outln!("  note: {n}");
                }
            }
            Err(e) => {
                bad += 1;
                if json {
                    let d = validate_json::of_error(&e);
                    reports.push(FileReport::new(f, Some("scenario"), d, deny_warnings));
                } else if all {
                    errln!("{e:#}");
                } else {
                    errln!("{e}");
                }
            }
        }
    }
    if json {
        let report = validate_json::Report {
            valid: bad + warned == 0,
            files: reports,
        };
        out!("{}", to_json(&report)?);
        return Ok(if bad + warned > 0 {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        });
    }
    if bad + warned > 0 {
        let with_warnings = if warned > 0 {
            format!(" ({warned} of them for warnings alone, under --deny-warnings)")
        } else {
            String::new()
        };
        // (sweep files among them: "files", not "scenario files")
        errln!(
            "{} of {} {}files are invalid{with_warnings}",
            bad + warned,
            files.len(),
            if sweeps == 0 { "scenario " } else { "" }
        );
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// What a first Ctrl-C says in a command that writes its files whole or not at all.
const STOPS_BEFORE_WRITING: &str =
    "interrupted: stopping before anything is put in place (Ctrl-C again to stop at once)";

/// What a first Ctrl-C says ([`interrupt_flag`]), when not that of a run.
static FIRST_INTERRUPT_SAYS: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();

/// [`interrupt_flag`], its first Ctrl-C saying `says` on stderr (for a command that does not
/// run replications); to be called before the flag is first taken.
pub fn interrupt_flag_saying(says: &'static str) -> Arc<AtomicBool> {
    let _ = FIRST_INTERRUPT_SAYS.set(says);
    interrupt_flag()
}

/// When the first Ctrl-C came.
static FIRST_INTERRUPT_AT: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// How long after the first Ctrl-C a second one counts as "again" (stop at once): a SIGINT
/// sooner is the first delivered twice, as GNU `timeout -s INT` delivers it (to the process,
/// then to its process group, microseconds apart); a person pressing Ctrl-C twice takes longer.
pub const INTERRUPT_AGAIN_AFTER: std::time::Duration = std::time::Duration::from_millis(250);

/// Whether a SIGINT at `now` is a second Ctrl-C, the first having come at `first`: at least
/// [`INTERRUPT_AGAIN_AFTER`] later. With no first recorded (the flag was set otherwise), it is.
pub fn interrupt_is_again(first: Option<std::time::Instant>, now: std::time::Instant) -> bool {
    first.is_none_or(|t| now.saturating_duration_since(t) >= INTERRUPT_AGAIN_AFTER)
}

/// A command that writes its files whole or not at all (merge, chart, report) stopped by
/// Ctrl-C before any was put in place: exit code 130, the directory as it was.
#[derive(Debug, thiserror::Error)]
#[error("interrupted: nothing written, {} as it was", .0.display())]
pub struct NothingWritten(pub PathBuf);

/// Stop with [`NothingWritten`] for `dir` when Ctrl-C has been pressed: between the stages of
/// a command that writes whole or not at all, so that it stops soon, not only at its commit.
pub(super) fn stop_if_interrupted(dir: &Path) -> Result<()> {
    if interrupt_flag().load(Ordering::SeqCst) {
        return Err(NothingWritten(dir.to_path_buf()).into());
    }
    Ok(())
}

/// Put the files staged so far in place ([`output::commit_staged`]) unless Ctrl-C has been
/// pressed: then they are removed and [`NothingWritten`] for `dir` is returned.
pub(super) fn commit_unless_interrupted(dir: &Path) -> Result<()> {
    match output::commit_staged_unless(&interrupt_flag())? {
        true => Ok(()),
        false => Err(NothingWritten(dir.to_path_buf()).into()),
    }
}

/// The flag set by Ctrl-C: the run stops starting replications and reports what finished. The
/// first Ctrl-C says so on stderr (a replication in progress is finished first, which may take a
/// while for a large one); a second one, at least [`INTERRUPT_AGAIN_AFTER`] after it (one sooner
/// is the first delivered twice), stops the process at once with exit code 130, writing
/// nothing more (outputs are renamed into place whole, so none is left half-written; a
/// temporary file left behind is removed by the next command writing there). One flag and one
/// handler for the process: every caller gets the same flag.
pub fn interrupt_flag() -> Arc<AtomicBool> {
    static FLAG: std::sync::OnceLock<Arc<AtomicBool>> = std::sync::OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let f = flag.clone();
        // A handler installed by another part of the process cannot be replaced; the run then
        // simply cannot be interrupted cleanly, which is not an error.
        let _ = ctrlc::set_handler(move || {
            // Over the progress bar's line, if one is drawn (it is redrawn below).
            let clear = if crate::experiment::progress::stderr_redraws() {
                "\r\x1b[2K"
            } else {
                ""
            };
            let now = std::time::Instant::now();
            if f.swap(true, Ordering::SeqCst) {
                // A second SIGINT close behind the first is the same interrupt delivered twice
                // (`timeout -s INT` signals the process, then its process group), not a
                // second Ctrl-C: the run goes on finishing and writes what finished.
                if !interrupt_is_again(FIRST_INTERRUPT_AT.get().copied(), now) {
                    return;
                }
                // Never between the renames of a command's outputs.
                crate::fsio::hold_commits();
                errln!("{clear}interrupted again: stopped at once, without finishing or writing anything more");
                release_out_locks();
                remove_empty_created_dirs();
                std::process::exit(EXIT_INTERRUPTED.into());
            }
            let _ = FIRST_INTERRUPT_AT.set(now);
            let says = FIRST_INTERRUPT_SAYS.get().copied().unwrap_or(
                "interrupted: finishing the replications in progress, then stopping (Ctrl-C \
                 again to stop at once)",
            );
            errln!("{clear}{says}");
        });
        flag
    })
    .clone()
}

/// SIGTERM (a CI job cancelled, a batch scheduler's time limit, `docker stop`, `kubectl
/// delete`) stops the command at once with exit code 143 ([`EXIT_TERMINATED`]), finishing no
/// replication and writing nothing more (outputs are renamed into place whole, and a command
/// renaming its outputs into place when the signal comes ends that first, so they are never
/// left half renamed: [`crate::fsio::hold_commits`]; a temporary file left behind is removed by
/// the next command writing there), and removes the output
/// directories it created that are still empty, as a second Ctrl-C does. It is caught, not left
/// to its default action: the kernel does not take that action for the first process of a PID
/// namespace (clearance as a container's entrypoint, `exec clearance …`), which had gone on
/// running until killed at the end of the grace period. The signal is taken by a thread of its
/// own (signal-hook's iterator), so what it does need not be async-signal-safe; installed once,
/// by [`main`], for every command. A handler that cannot be installed is not an error: SIGTERM
/// then has its default action.
#[cfg(unix)]
fn exit_on_sigterm() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let Ok(mut signals) = signal_hook::iterator::Signals::new([signal_hook::consts::SIGTERM])
        else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("sigterm".into())
            .spawn(move || {
                if signals.forever().next().is_none() {
                    return;
                }
                // At once, even should stderr or the list of directories be held by a thread
                // that does not let go (a stderr nobody reads).
                let _ = std::thread::Builder::new().spawn(|| {
                    std::thread::sleep(std::time::Duration::from_secs(1));
                    signal_hook::low_level::exit(EXIT_TERMINATED.into())
                });
                // Never between the renames of a command's outputs (those take milliseconds;
                // the exit above cuts a longer wait short).
                crate::fsio::hold_commits();
                release_out_locks();
                remove_empty_created_dirs();
                let clear = if crate::experiment::progress::stderr_redraws() {
                    "\r\x1b[2K"
                } else {
                    ""
                };
                errln!("{clear}terminated (SIGTERM): stopped at once, writing nothing more");
                // `_exit`: no buffered stdout is written, no destructor runs.
                signal_hook::low_level::exit(EXIT_TERMINATED.into())
            });
    });
}

/// SIGTERM keeps its default action where signal-hook is not used.
#[cfg(not(unix))]
fn exit_on_sigterm() {}

/// What `validate` says of a scenario that [`crate::analysis::never_clears`] finds can never
/// clear: with attrition the groups held back drop out in time, and a run ends either when the
/// last of them has (within the horizon or not: the hazard and the horizon decide) or at the
/// horizon; without, only at the horizon.
fn no_run_clears(s: &Scenario) -> &'static str {
    if s.attrition_hazard > 0.0 {
        NO_RUN_CLEARS_ATTRITION
    } else {
        "no run can clear"
    }
}

/// [`no_run_clears`] with attrition.
const NO_RUN_CLEARS_ATTRITION: &str =
    "no run can clear (a run ends only at the horizon, or once everyone left has dropped out)";

/// The weekly bindings of a run, read once for its table ([`print_binding`]) and its
/// summary.json ([`what_binds`]).
pub struct Binds {
    /// The scenario's capacity bounds (`clearance explain`).
    rep: output::BottleneckReport,
    /// What binds each week, up to the median clearance or the horizon.
    bindings: Vec<crate::analysis::PeriodBinding>,
    /// Whether the median run did not clear within the horizon (the weeks then run up to it).
    median_censored: bool,
    /// The median clearance \[days\].
    p50: f64,
}

impl Binds {
    /// The day \[day index\] by which the scenario expects registrations to end, when they set
    /// the date ([`crate::analysis::registration_sets_date`], as the report asks it).
    pub fn registration_day(&self, scn: &Scenario) -> Option<i64> {
        let spans = crate::analysis::binding_spans(&self.bindings);
        let p50 = (!self.median_censored).then_some(self.p50);
        crate::analysis::registration_sets_date(scn, &self.rep, &spans, p50)
    }

    /// The day \[day index\] by which every group has registered in half the runs, when the
    /// registrations set the date ([`Binds::registration_day`]) and it comes after that day,
    /// `explain`'s bound (a continuous delay: the bound is the day 1 run in 1000 beats).
    pub fn registration_median_day(&self, scn: &Scenario) -> Option<i64> {
        let d = self.registration_day(scn)?;
        self.rep.registration_median_day.filter(|&m| m > d)
    }

    /// What the last people go through after the registrations, as "What binds" names it at
    /// the end (the span [`crate::analysis::date_lever`] picks): the health check, or travel
    /// and processing in last weeks when nobody waits. `None` for any other stage.
    pub fn after_registration(&self, scn: &Scenario) -> Option<output::table::AfterRegistration> {
        use output::table::AfterRegistration;
        let spans = crate::analysis::binding_spans(&self.bindings);
        let (k, _) = crate::analysis::date_lever(scn, &spans)?;
        let last = &spans[k];
        match last.stage {
            crate::analysis::Stage::Health => Some(AfterRegistration::HealthCheck),
            crate::analysis::Stage::Registration if crate::analysis::idle_span(last) => {
                Some(AfterRegistration::TravelAndProcessing)
            }
            _ => None,
        }
    }
}

/// The run's weekly bindings; `None` when no week could be read.
pub fn binds(scn: &Scenario, input: &output::ChartInput<'_>) -> Option<Binds> {
    let rep = crate::analysis::explain_for_run(scn, input);
    let bindings = crate::analysis::bind_with(scn, &rep, input);
    if bindings.is_empty() {
        return None;
    }
    let p50 = crate::analysis::median_clearance(input);
    let median_censored = input.summary.is_censored_clearance(p50);
    Some(Binds {
        rep,
        bindings,
        median_censored,
        p50,
    })
}

/// The table of a run of `scn` (`run`'s, and `merge`'s for the same experiment): the summary
/// with the inflow's people a day (unless the overload warning gives them), the legend when
/// `legend`, the inputs its figures follow ([`output::table::RunInputs`]), then what binds.
/// Beyond [`output::table::PORT_ROWS`] ports, the ports' rows are those that processed the
/// most and those "What binds" names, and a line says that `out_dir`'s summary.json and
/// ports.csv (written into it with the summary by `write_run`), or `--json` when the run writes no
/// directory, have every port's figures.
pub fn print_run_table(
    w: &mut impl Write,
    scn: &Scenario,
    summary: &crate::experiment::Summary,
    binds: Option<&Binds>,
    legend: bool,
    out_dir: Option<&Path>,
) -> std::io::Result<()> {
    let notes: Vec<String> =
        crate::analysis::inflow_groups_note_unless_warned(scn, &summary.warnings)
            .into_iter()
            .collect();
    let mut inputs = output::table::RunInputs::of(
        scn,
        binds.and_then(|b| b.registration_day(scn)),
        binds.and_then(|b| b.after_registration(scn)),
    );
    inputs.registration_median_day = binds.and_then(|b| b.registration_median_day(scn));
    // (the scenario's warnings folded when many, as on stderr)
    let folded;
    let fold = fold_file_warnings(&summary.warnings);
    let summary = if fold != summary.warnings {
        folded = crate::experiment::Summary {
            warnings: fold,
            ..summary.clone()
        };
        &folded
    } else {
        summary
    };
    // The ports "What binds" names keep their rows among many ports.
    let ports = output::table::PortRows {
        keep: binds
            .map(|b| crate::analysis::named_ports(scn, summary, &b.rep, &b.bindings))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| scn.ports.get(p).map(|x| x.name.clone()))
            .collect(),
        out_dir: out_dir.map(|d| d.display().to_string()),
    };
    output::table::print_summary_ports(w, summary, &notes, legend, &inputs, &ports)?;
    match binds {
        Some(b) => print_binding(w, scn, summary, b),
        None => Ok(()),
    }
}

/// What [`print_binding`] prints, for summary.json.
pub fn what_binds(scn: &Scenario, b: &Binds) -> crate::experiment::summary::WhatBinds {
    crate::analysis::what_binds_of(scn, &b.bindings, b.median_censored)
}

/// The stage that binds, per period, and each stage's share of the clearance time.
pub fn print_binding(
    w: &mut impl Write,
    scn: &Scenario,
    summary: &crate::experiment::Summary,
    b: &Binds,
) -> std::io::Result<()> {
    let (rep, bindings) = (&b.rep, &b.bindings);
    writeln!(w)?;
    // A median that did not clear within the horizon: the weeks run up to the horizon.
    let median_censored = b.median_censored;
    writeln!(
        w,
        "What binds (weekly, up to the {})",
        if median_censored {
            "horizon: the median run does not clear within it"
        } else {
            "median clearance"
        }
    )?;
    // The stage column fits the longest name (28 characters at least).
    let nw = bindings
        .iter()
        .map(|b| b.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(28);
    let spans = crate::analysis::binding_spans(bindings);
    // Date, stage, use, and what waits (after a comma, or a note after two spaces).
    let mut t = Table::new(
        "  ",
        &[
            Col::left(0),
            Col::left(nw),
            Col::right(9),
            Col::left(0).gap(0),
        ],
    );
    for b in &spans {
        let util = match (b.utilization, b.stage) {
            (Some(u), _) => format!("{:.0}% used", u * 100.0),
            (None, output::Stage::Registration | output::Stage::Health) => "–".into(),
            // Only a stage without capacity binds with no utilization.
            (None, _) => "no capacity".into(),
        };
        // The final week where nobody waits and nobody is left to register: registration is
        // named only because nothing else is.
        if crate::analysis::idle_span(b) {
            t.row([
                format!("from {}", b.from_date),
                crate::analysis::IDLE.into(),
                "–".into(),
                "  (the last people are travelling or in service)".into(),
            ]);
            continue;
        }
        let whom = match b.stage {
            output::Stage::Health => "in the check or isolation",
            // A phase opening later is counted too: said, since it is not yet registering.
            output::Stage::Registration
                if scn.phases.iter().any(|p| p.opens > b.from_day as f64) =>
            {
                "still to register (expected, with phases not yet open)"
            }
            output::Stage::Registration => "still to register (expected)",
            _ => "waiting in front",
        };
        // "1 person", as the count is printed (a mean of 0.6 reads 1).
        let count = crate::format::fmt_int(b.queue);
        let noun = if count == "1" { "person" } else { "people" };
        t.row([
            format!("from {}", b.from_date),
            b.name.clone(),
            util,
            format!(", {count:>7} {noun} {whom}"),
        ]);
    }
    t.write(w)?;
    let shares = crate::analysis::binding_shares(bindings);
    let parts: Vec<String> = shares
        .iter()
        .map(|(n, f)| format!("{n} {:.0}%", f * 100.0))
        .collect();
    writeln!(w, "  share of the clearance time: {}", parts.join(" · "))?;
    if let Some((k, lever)) = crate::analysis::date_lever(scn, &spans) {
        let last = &spans[k];
        let horizon = if median_censored {
            " of the weeks up to the horizon"
        } else {
            ""
        };
        let what = if crate::analysis::idle_span(last) {
            format!("the last weeks{horizon}, when nobody waits")
        } else {
            format!("what binds at the end{horizon}, {}", last.name)
        };
        writeln!(
            w,
            "  the date is set by {what} (from {}{}):",
            last.from_date,
            // The last row is a final week where nobody waits anywhere.
            if k + 1 < spans.len() {
                ", then nobody waits"
            } else {
                ""
            }
        )?;
        // (A lever that would let a run clear at all has no amount to measure.)
        let mut text = if crate::analysis::lever_is_measurable(&lever) {
            format!("{lever} (`clearance sensitivity` measures by how much)")
        } else {
            lever
        };
        // When the registrations set the date (the note under the median says so), this is
        // what follows them: one account, not a second cause.
        if let (Some(d), Some(_)) = (b.registration_day(scn), b.after_registration(scn)) {
            // The day the note above gives: in half the runs, for a continuous delay.
            let d = b.registration_median_day(scn).unwrap_or(d);
            text = format!("after the registrations, which end about day {d} (above), {text}");
        }
        // explain names another stage: say why the two differ, so that a planner reading both
        // knows which capacity the date answers to in the runs ("ports" and the only port in
        // use are one stage).
        let named = rep.binding_name();
        if rep.binding.is_some()
            && (!rep.same_stage(named, &last.name) || crate::analysis::idle_span(last))
        {
            text.push_str(&format!(
                ". `clearance explain` names {named} from capacities alone: a fluid account with \
                 mean capacities and the expected registrations, which leaves out the delays \
                 (the health check, travel), weekly schedules, random service and drop-outs that \
                 decide where the runs' last people wait."
            ));
        } else {
            text.push('.');
        }
        // Ports with a route that processed nobody: said, as the table alone hides why.
        if let Some(note) = crate::analysis::unused_ports_note(scn, summary) {
            text.push(' ');
            text.push_str(&note);
        }
        // Wrapped at about 90 columns, indented under the line above.
        // (A `--set` key in backticks stays on one line, so that it can be copied whole.)
        let mut line = String::new();
        for word in crate::format::words_keeping_code(&text) {
            if !line.is_empty() && line.len() + word.len() > 86 {
                writeln!(w, "    {line}")?;
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        writeln!(w, "    {line}")?;
    }
    writeln!(
        w,
        "  (% used: the week's throughput over the stage's capacity bound (`clearance explain`),\n   \
         from daily means; it can pass 100%: the bound takes mean service times and leaves out\n   \
         attrition. It is not the utilization of the tables above, busy server time over the\n   \
         whole run. Waiting: mean people queued in front of the stage. Both are means over the\n   \
         weeks of the row (each weighted by its days); a row lasts until the next row's date.{}{})",
        // Each note only when a row it explains is shown.
        if spans.iter().any(|b| b.stage == output::Stage::Health) {
            "\n   The health check is a delay, not a capacity: it binds when, nobody being left to\n   \
             register, more people are in it or its isolation than in front of any stage that is\n   \
             not full."
        } else {
            ""
        },
        if scn.policy == crate::scenario::Policy::Appointment
            && spans.iter().any(|b| b.stage == output::Stage::Port)
        {
            "\n   Under appointment a port's queue also counts those ready to board at the origins\n   \
             with a route to it on the days its quota offers no more than their seats: its quota\n   \
             holds them back before boarding (on other days the seats do)."
        } else {
            ""
        }
    )?;
    Ok(())
}

/// Warn that the store in `dir` (`meta`), about to be `done` ("merged", "extended"), records no
/// results version: it was written before clearance recorded one, so nothing tells whether the
/// build that wrote it gives this build's results for a seed. Such a store is used, as the
/// stores of earlier formats are (refusing it would lose every run kept from before), but what
/// is written from it records no results version either, so the warning is given again.
pub(super) fn note_no_results_version(dir: &Path, meta: &store::Meta, done: &str) {
    if meta.results_version.is_none() {
        errln!(
            "warning: {} was stored by a version of clearance that did not record its results \
             version, so it cannot be told whether that version gives this one's results for a \
             seed; it is {done} as it is: if the results may have changed since, run it again \
             with this version",
            dir.display()
        );
    }
}

/// Write the per-replication store (run.json, replications.jsonl, daily.json) for `scn` into
/// `dir`; `meta_extra` is the planned replications, the shard, the `--set` overrides and the
/// results version to record (this build's, or `None` for the merge or extension of a store
/// that recorded none); `perf` is the wall-clock seconds spent on `reps` and the most threads
/// used. The scenario's warnings recorded are `scn`'s.
pub fn write_store(
    dir: &Path,
    loaded_table: &toml::Table,
    scn: &Scenario,
    meta_extra: (u32, Option<store::Shard>, &[String], Option<u32>),
    reps: &(impl crate::experiment::Records + ?Sized),
    daily: &crate::experiment::DailyAcc,
    perf: (f64, usize),
) -> Result<()> {
    let (planned, shard, overrides, results_version) = meta_extra;
    let index = reps
        .values(|r| r.index)
        .context("could not read back the replications")?;
    let first = index.iter().copied().min().unwrap_or(0);
    let end = index.iter().map(|i| i + 1).max().unwrap_or(0);
    let meta = Meta {
        format: store::FORMAT.into(),
        clearance_version: env!("CARGO_PKG_VERSION").into(),
        results_version,
        kind: "run".into(),
        scenario_file: scn.file.clone(),
        scenario_toml: toml::to_string(loaded_table).context("could not encode the scenario")?,
        fingerprint: scenario::fingerprint(loaded_table),
        overrides: overrides.to_vec(),
        seed: scn.seed,
        replications: planned,
        shard,
        first,
        end,
        factors: Vec::new(),
        points: Vec::new(),
        base: None,
        wall_seconds: perf.0,
        threads: perf.1,
        // Set as the store is written.
        lines_digest: String::new(),
        daily_digest: String::new(),
        warnings: Some(scn.warnings.clone()),
    };
    store::write_records(dir, &meta, reps, Some(daily))?;
    Ok(())
}

/// Every file name `run --out` or `sweep --out` (and their shards and merges) may write into a
/// directory: a run's outputs and store, and a sweep's table, chart, provenance and store.
pub(super) fn known_outputs() -> Vec<String> {
    let mut v = run::output_names();
    v.extend(
        [
            "sweep.csv",
            "sweep_long.csv",
            "sweep.png",
            "sweep.svg",
            store::SWEEP_META,
            provenance::FILE,
        ]
        .map(String::from),
    );
    v
}

/// Say which outputs of an earlier command in `dir` (of [`known_outputs`]) this command, which
/// wrote `written` (`what`: "this shard", "this merge"), did not rewrite: they describe that
/// command, not this one. They are left in place (nothing the user had is deleted); `hint` adds
/// what to do besides deleting them.
pub(super) fn note_left_over(dir: &Path, written: &[String], what: &str, hint: &str) {
    let stale: Vec<String> = known_outputs()
        .into_iter()
        .filter(|n| !written.contains(n) && dir.join(n).is_file())
        .collect();
    say_left_over(dir, &stale, what, hint);
}

/// The note that `dir` still holds `stale`, outputs of an earlier run that `what` ("this run",
/// "this shard") did not rewrite; nothing when there are none.
pub(super) fn say_left_over(dir: &Path, stale: &[String], what: &str, hint: &str) {
    if !stale.is_empty() {
        errln!(
            "note: {} still holds outputs of an earlier run that {what} did not rewrite: {}. They \
             describe that run; delete them or write to an empty directory{hint}.",
            dir.display(),
            stale.join(", ")
        );
    }
}

/// Whether the store metadata file `path` (run.json, sweep.json) is one clearance wrote: JSON
/// whose `format` is [`store::FORMAT`].
pub(super) fn is_clearance_store(path: &Path) -> bool {
    crate::fsio::read_capped(path, crate::fsio::STORE_CAP)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .is_some_and(|v| v["format"] == store::FORMAT)
}

/// After a store of `kind` ("run" or "sweep") was put in place in `dir`: remove the store of
/// the other kind that an earlier command left there (`run.json` and `daily.json` beside a
/// sweep's `sweep.json`, or `sweep.json` beside a run's `run.json`), whose `replications.jsonl`
/// this store replaced, so that it can no longer be read in this one's place; and say so. Only
/// a clearance store's metadata is removed (a file of another format by that name is left,
/// and named).
pub(super) fn remove_other_store(dir: &Path, kind: &str) {
    let (meta, also): (&str, &[&str]) = match kind {
        "sweep" => (store::RUN_META, &[store::DAILY]),
        _ => (store::SWEEP_META, &[]),
    };
    let path = dir.join(meta);
    if !path.is_file() {
        return;
    }
    let ours = is_clearance_store(&path);
    if !ours {
        errln!(
            "note: {} is not the store this command wrote ({}), and not one clearance can read: \
             remove it",
            path.display(),
            if kind == "sweep" {
                store::SWEEP_META
            } else {
                store::RUN_META
            }
        );
        return;
    }
    let mut removed = Vec::new();
    for name in std::iter::once(meta).chain(also.iter().copied()) {
        let p = dir.join(name);
        if p.is_file() && std::fs::remove_file(&p).is_ok() {
            removed.push(name);
        }
    }
    if !removed.is_empty() {
        errln!(
            "note: removed {} from {}: {} the store of an earlier {}, whose {} this {} replaced",
            removed.join(" and "),
            dir.display(),
            if removed.len() == 1 {
                "it was"
            } else {
                "they were"
            },
            if kind == "sweep" { "run" } else { "sweep" },
            store::LINES,
            if kind == "sweep" {
                "sweep's store"
            } else {
                "run's store"
            }
        );
    }
}

/// The effective scenario table (after `extends` and `--set`) as TOML, with the seed and number
/// of replications that were run (or asked for), so that running the text again reproduces the
/// run: the `scenario.toml` of an output directory.
pub fn scenario_as_run(table: &toml::Table, seed: u64, replications: u32) -> Result<String> {
    let mut table = table.clone();
    let meta = table
        .entry("scenario")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    if let toml::Value::Table(meta) = meta {
        meta.insert("seed".into(), toml::Value::Integer(seed as i64));
        meta.insert(
            "replications".into(),
            toml::Value::Integer(replications as i64),
        );
    }
    // Marked as clearance's own on its first line, so that the next command writing into the
    // directory may replace it (a scenario.toml without the mark is the user's: kept).
    let text = toml::to_string(&table).context("could not encode the scenario")?;
    Ok(format!("{}\n{text}", guard::SCENARIO_MARK))
}

/// Write summary.json, replications.csv, daily.csv, ports.csv and the scenario text into `dir`.
pub fn write_run(
    dir: &Path,
    scn: &Scenario,
    run: &RunResult,
    json: &str,
    scenario_text: &str,
) -> Result<()> {
    output::atomic_write(&dir.join("summary.json"), json.as_bytes())?;
    output::atomic_write_with(&dir.join("replications.csv"), |w| {
        output::csv::write_replications_csv(w, scn, &run.replications)
            .map_err(std::io::Error::other)
    })?;
    let daily = output::csv::daily_csv(&run.daily)?;
    output::atomic_write(&dir.join("daily.csv"), &daily)?;
    let ports = output::csv::ports_csv(&run.summary)?;
    output::atomic_write(&dir.join(output::csv::PORTS_CSV), &ports)?;
    output::atomic_write(&dir.join("scenario.toml"), scenario_text.as_bytes())?;
    Ok(())
}

fn cmd_explain(path: &Path, set: &[Override], json: bool) -> Result<ExitCode> {
    let mut scn = match load_with(path, set) {
        Ok(l) => l.scenario,
        Err(code) => return Ok(code),
    };
    // The validation warnings, as `validate` and a run's table give them (`capacity = 50` meant
    // as 50% had been explained without a word).
    guard::add_capacity_warnings(&mut scn);
    let report = output::explain(&scn);
    // An inflow that outpaces capacity is warned about with the validation warnings.
    let mut warnings = scn.warnings.clone();
    warnings.extend(crate::analysis::inflow_overload(&scn, &report).map(|o| o.text(None)));
    if json {
        // Named as a run's summary.json names them.
        let overrides: Vec<String> = set.iter().map(ToString::to_string).collect();
        out!("{}", output::json::explain_json(&report, &scn, &overrides)?);
        // The table's warnings, on stderr where scripts look for them (stdout is the JSON's).
        print_warnings(&warnings);
    } else {
        let warnings = fold_file_warnings(&warnings);
        to_stdout(|o| output::print_explain_warned(&report, &warnings, o))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What a directory written by another command holds instead of a saved run (a shard of a run or
/// a sweep, a sweep's, a sensitivity study's or a comparison's output), and the command that
/// gives the charts (or with `report`, the report) of its run or of one of its runs; `None` for
/// a directory with a run's summary.json, or with none of those commands' files.
fn not_a_run(dir: &Path, report: bool) -> Option<String> {
    // A summary.json older than a shard's store is left from an earlier run: the shard was
    // written into its directory (`run`/`sweep --shard i/n --out DIR` rewrites only the
    // store), and the summary is not of the run that run.json now records.
    let left_over = dir.join("summary.json").exists();
    if left_over && !shard_after_summary(dir) {
        return None;
    }
    let left = if left_over {
        " (its summary.json is left from an earlier run)"
    } else {
        ""
    };
    let has = |f: &str| dir.join(f).is_file();
    // The scenario file, `--set` values, seed and replications the experiment recorded
    // (`provenance.json` of a sweep or sensitivity study, or a sweep shard's sweep.json), so
    // that the command names them instead of a placeholder.
    let recorded = recorded_run(dir);
    let run = |sets: &str| run_command(recorded.as_ref(), sets, report);
    // A sweep's factors are the columns of sweep.csv before `replications`.
    let factors = || -> String {
        let text = std::fs::read_to_string(dir.join("sweep.csv")).unwrap_or_default();
        let header = text.lines().next().unwrap_or("");
        let paths: Vec<&str> = header
            .split(',')
            .take_while(|c| *c != "replications")
            .collect();
        if paths.is_empty() || paths.len() == header.split(',').count() {
            return " --set PATH=VALUE".into();
        }
        paths
            .iter()
            .map(|p| format!(" --set '{p}=VALUE'"))
            .collect()
    };
    let of_one = "to see one of its points as a run";
    let me = shell_word(&dir.display().to_string());
    // `merge DIR …` of a shard's directory: with the others when there are some.
    let merge = |shard: store::Shard| {
        if shard.count == 1 {
            format!("merge it first (it is the only shard) with `clearance merge {me} --out DIR`")
        } else {
            format!(
                "combine its {} shards first with `clearance merge {me} OTHER_SHARD… --out DIR`",
                shard.count
            )
        }
    };
    // A shard written by `run --shard i/n --out DIR`: its store, but no summary, scenario.toml
    // or CSVs, which its merge writes.
    if has(store::RUN_META) {
        if let Some((meta, shard)) = store::read_meta(dir)
            .ok()
            .filter(|m| m.kind == "run")
            .and_then(|m| m.shard.map(|s| (m, s)))
        {
            return Some(format!(
                " holds shard {shard} of a run, not a whole run{left}: {}; {}, then `clearance {} \
                 DIR`",
                shard.describe(meta.replications),
                merge(shard),
                if report { "report" } else { "chart" }
            ));
        }
    }
    if has(store::SWEEP_META) {
        // The shard and the factors, when sweep.json can be read.
        let meta = store::read_meta(dir).ok().filter(|m| m.kind == "sweep");
        let which = match meta.as_ref().and_then(|m| m.shard) {
            Some(shard) => format!(
                "shard {shard} of a sweep (sweep.json), not a run{left}: {}, which writes the \
                 sweep's sweep.csv and chart",
                merge(shard)
            ),
            None => format!(
                "a shard of a sweep (sweep.json), not a run{left}: `clearance merge` combines a \
                 sweep's shards and writes its sweep.csv and chart"
            ),
        };
        let sets = match meta.as_ref().filter(|m| !m.factors.is_empty()) {
            Some(m) => m
                .factors
                .iter()
                .map(|p| format!(" --set '{p}=VALUE'"))
                .collect(),
            None => " --set PATH=VALUE".to_string(),
        };
        Some(format!(
            " holds {which}; {of_one}, run that point: `{}`",
            run(&sets)
        ))
    } else if has("sweep.csv") {
        Some(format!(
            " is a sweep's output (sweep.csv and its chart), not a run: a sweep keeps no run of \
             each point to {}; {of_one}, run the scenario at that point's value: `{}`",
            if report { "report on" } else { "draw" },
            run(&factors())
        ))
    } else if has("sensitivity.csv") {
        // One factor at a time, as the study varied them: the first, with the others named.
        let factors = recorded.as_ref().map_or(&[][..], |r| &r.factors[..]);
        let sets = match factors.first() {
            Some(p) => format!(" --set '{p}=VALUE'"),
            None => " --set PATH=VALUE".to_string(),
        };
        Some(format!(
            " is a sensitivity study's output (sensitivity.csv and the tornado chart), not a run; \
             to see one setting as a run, run the scenario at it{}: `{}`",
            if factors.len() > 1 {
                format!(
                    ", one factor at a time (its factors: {})",
                    factors.join(", ")
                )
            } else {
                String::new()
            },
            run(&sets)
        ))
    } else if has("comparison.json") {
        // A's and B's runs as comparison.json records them: the file, the --set values
        // (applied to both), the seed of each and the replications.
        let runs: Option<(RecordedRun, RecordedRun)> =
            std::fs::read_to_string(dir.join("comparison.json"))
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .and_then(|v| {
                    let overrides: Vec<String> = v["overrides"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|s| s.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    let side = |ab: &str| {
                        Some(RecordedRun {
                            file: v[format!("file_{ab}")]
                                .as_str()
                                .filter(|x| !x.is_empty())?
                                .to_string(),
                            overrides: overrides.clone(),
                            seed: v[format!("seed_{ab}")].as_u64()?,
                            replications: v["replications"].as_u64()?,
                            factors: Vec::new(),
                        })
                    };
                    side("a").zip(side("b"))
                });
        Some(match runs {
            Some((a, b)) => format!(
                " is a comparison's output (comparison.json), not a run; to see A or B as a run, \
                 run it: `{}` or `{}`",
                run_command(Some(&a), "", report),
                run_command(Some(&b), "", report)
            ),
            None => format!(
                " is a comparison's output (comparison.json), not a run; to see A or B as a run, \
                 run it: `{}`",
                run("")
            ),
        })
    } else {
        None
    }
}

/// Whether `dir` holds the store of a shard (a `run.json` written by `--shard`, or a sweep
/// shard's `sweep.json`) written no earlier than its `summary.json` (or whose times cannot be
/// read): then the summary is left from an earlier run.
fn shard_after_summary(dir: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let summary = modified(&dir.join("summary.json"));
    [store::RUN_META, store::SWEEP_META].iter().any(|name| {
        let p = dir.join(name);
        let shard = crate::fsio::read_capped(&p, crate::fsio::STORE_CAP)
            .ok()
            .and_then(|b| serde_json::from_slice::<Meta>(&b).ok())
            .is_some_and(|m| m.shard.is_some());
        shard
            && match (modified(&p), summary) {
                (Some(m), Some(s)) => m >= s,
                _ => true,
            }
    })
}

/// The `clearance run` command that repeats a recorded run (its file, `--set` values, seed and
/// replications) with `sets` added, writing to DIR (with `--report` when `report`); with
/// nothing recorded, one on SCENARIO.
fn run_command(recorded: Option<&RecordedRun>, sets: &str, report: bool) -> String {
    let report = if report { " --report" } else { "" };
    match recorded {
        Some(r) => format!(
            "clearance run {}{}{sets} --seed {} --replications {} --out DIR{report}",
            shell_word(&r.file),
            r.overrides
                .iter()
                .map(|o| format!(" --set {}", shell_word(o)))
                .collect::<String>(),
            r.seed,
            r.replications,
        ),
        None => format!("clearance run SCENARIO{sets} --out DIR{report}"),
    }
}

/// What an experiment's directory records of the runs it made: the scenario file as named, the
/// `--set` values (`PATH=VALUE`), the base seed, the replications and the factors varied.
struct RecordedRun {
    file: String,
    overrides: Vec<String>,
    seed: u64,
    replications: u64,
    factors: Vec<String>,
}

/// [`RecordedRun`] from `provenance.json` (a sweep's or a sensitivity study's), else from a
/// sweep shard's `sweep.json`; `None` when neither names a scenario file.
fn recorded_run(dir: &Path) -> Option<RecordedRun> {
    let from_provenance = || -> Option<RecordedRun> {
        let text = std::fs::read_to_string(dir.join(provenance::FILE)).ok()?;
        let v: serde_json::Value = serde_json::from_str(&text).ok()?;
        let strings = |x: Option<&serde_json::Value>| -> Vec<String> {
            x.and_then(|x| x.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let file = v["scenario"]["file"].as_str().filter(|f| !f.is_empty())?;
        let overrides = strings(v.get("overrides"));
        // The file as named when the experiment ran, relative to the folder it ran in: from
        // here it may name nothing, or another scenario. Unless it names the same scenario
        // from here (its fingerprint with the --set values), the directory's scenario.toml,
        // the scenario as run (the --set values applied), which names it from anywhere.
        let same_here = || -> Option<bool> {
            let sets: Vec<Override> = overrides
                .iter()
                .map(|o| scenario::parse_set(o))
                .collect::<std::result::Result<_, _>>()
                .ok()?;
            let loaded = scenario::load_file_with(Path::new(file), &sets).ok()?;
            Some(v["scenario"]["fingerprint"].as_str()? == scenario::fingerprint(&loaded.table))
        };
        let as_run = dir.join(provenance::SCENARIO);
        let (file, overrides) = match same_here() {
            Some(false) | None if as_run.is_file() => (as_run.display().to_string(), Vec::new()),
            _ => (file.to_string(), overrides),
        };
        Some(RecordedRun {
            file,
            overrides,
            seed: v["seed"].as_u64()?,
            replications: v["replications"].as_u64()?,
            factors: v["factors"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|f| f["path"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        })
    };
    from_provenance().or_else(|| {
        let m = store::read_meta(dir).ok()?;
        (!m.scenario_file.is_empty()).then(|| RecordedRun {
            file: m.scenario_file.clone(),
            overrides: m.overrides.clone(),
            seed: m.seed,
            replications: u64::from(m.replications),
            factors: m.factors.clone(),
        })
    })
}

/// Whether the scenario read from a saved run's scenario.toml is the one its summary records:
/// the same fingerprint, seed and (unless the run was interrupted, when the file gives the
/// replications asked for) replications; `Err` says what differs. A summary that records no
/// fingerprint (written before it did, or of a scenario changed in code) is not checked here.
fn same_run(
    scn: &Scenario,
    summary: &crate::experiment::summary::Summary,
) -> std::result::Result<(), String> {
    let info = &summary.scenario;
    let Some(theirs) = info.fingerprint.as_deref() else {
        return Ok(());
    };
    if info.modified_in_code {
        return Ok(());
    }
    let ours = crate::experiment::summary::fingerprint_as_run(scn).unwrap_or_default();
    if ours != theirs {
        return Err(format!(
            "its fingerprint is {ours}, the summary's {theirs} (the model differs)"
        ));
    }
    if scn.seed != summary.seed {
        return Err(format!(
            "it has seed {}, the summary seed {}",
            scn.seed, summary.seed
        ));
    }
    if !summary.partial && u64::from(scn.replications) != summary.replications {
        return Err(format!(
            "it has {} replications, the summary {}",
            scn.replications, summary.replications
        ));
    }
    Ok(())
}

/// `s` as one word for a POSIX shell: as it is when it needs no quoting, else in single quotes.
pub(super) fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+:@%,=".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Whether the command runs under `--quiet`, which leaves out its status lines ([`status!`]).
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether the command running was given `--quiet`.
pub fn quiet() -> bool {
    QUIET.load(std::sync::atomic::Ordering::Relaxed)
}

/// `chart DIR` / `report DIR`: redraw from a saved run; `quiet`: without the `wrote` line.
fn cmd_chart(dir: &Path, report: bool, quiet: bool) -> Result<ExitCode> {
    let nothing = if report {
        "no report was written"
    } else {
        "nothing was redrawn"
    };
    // A path that names no directory is said as such, not as a saved run missing its files
    // (that had read "is not a complete saved run … could not read DIR/scenario.toml").
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => anyhow::bail!(
            "no such directory: {} (name a directory written by run --out DIR{}); {nothing}",
            dir.display(),
            crate::fsio::missing_path_hint(dir, &[])
                .map(|h| format!("; {h}"))
                .unwrap_or_default()
        ),
        Ok(m) if !m.is_dir() => anyhow::bail!(
            "{} is a file, not a directory: name a directory written by run --out DIR; {nothing}",
            dir.display()
        ),
        _ => {}
    }
    output::remove_stale_temp_files(dir);
    // The saved run's files are this command's inputs: no output may replace one, under any
    // name or link (a report.html linked to summary.json had turned the summary into HTML).
    for f in output::saved::FILES {
        crate::inputs::record(&dir.join(f));
    }
    let names: Vec<String> = if report {
        vec!["report.html".to_string()]
    } else {
        run::chart_files().collect()
    };
    refuse_replacing_inputs(dir, &names)?;
    // Another command's directory (a sweep's, a sensitivity study's, a comparison's): said, with
    // what to run for a run's charts or report.
    if let Some(what) = not_a_run(dir, report) {
        anyhow::bail!("{}{what}; {nothing}", dir.display());
    }
    let saved = output::saved::load(dir).with_context(|| {
        format!(
            "{} is not a complete saved run (run --out DIR); {nothing}",
            dir.display()
        )
    })?;
    let file = saved.scenario_file.display().to_string();
    let scn = match scenario::load_str(&saved.scenario_text, &file) {
        Ok(s) => s,
        Err(e) => {
            // The scenario's own diagnostics, each with its `error:` (not prefixed twice).
            errln!("{e}");
            errln!(
                "error: {} holds no valid scenario.toml; {nothing}",
                dir.display()
            );
            // A saved run that cannot be used: exit code 1, as for its other files (2 is for
            // what the user gave: a scenario or arguments).
            return Ok(ExitCode::from(1));
        }
    };
    // The summary is this scenario's (another run's scenario.toml copied in had been drawn and
    // reported beside this run's results): its name, start, horizon and people.
    let info = &saved.summary.scenario;
    let theirs = (
        info.name.as_str(),
        info.start_date.as_str(),
        info.horizon_days,
        saved.summary.people.total,
    );
    let start = scn.start_date.format("%Y-%m-%d").to_string();
    let ours = (
        scn.name.as_str(),
        start.as_str(),
        scn.horizon,
        scn.cohort_people(),
    );
    if theirs != ours {
        anyhow::bail!(
            "{} is not the scenario of {}: it has \"{}\", from {}, horizon {} days, {} people, \
             and the summary \"{}\", from {}, horizon {} days, {} people: the file was changed \
             or is from another run; {nothing}",
            dir.join("scenario.toml").display(),
            dir.join("summary.json").display(),
            ours.0,
            ours.1,
            ours.2,
            ours.3,
            theirs.0,
            theirs.1,
            theirs.2,
            theirs.3,
        );
    }
    // And, where the summary records it (runs written since it did), the same model as run, by
    // its fingerprint (computed, as the run did, from the effective TOML without seed and
    // replications), and the same seed and replications: a scenario.toml edited after the run
    // (a quota raised) or copied from a run of another seed had been drawn and reported beside
    // these results.
    if let Err(why) = same_run(&scn, &saved.summary) {
        anyhow::bail!(
            "{} is not the scenario of {}: {why}: the file was changed after the run or is \
             from another run; put back the scenario.toml the run wrote, or run the scenario \
             again with --out; {nothing}",
            dir.join("scenario.toml").display(),
            dir.join("summary.json").display(),
        );
    }
    // The daily series are this scenario's (a renamed or deleted series had been drawn as
    // nobody waiting).
    let expected = crate::model::scenario_series_names(&scn);
    let missing: Vec<&String> = expected
        .iter()
        .filter(|s| !saved.daily.series.contains(s))
        .collect();
    let extra: Vec<&String> = saved
        .daily
        .series
        .iter()
        .filter(|s| !expected.contains(s))
        .collect();
    if saved.daily.days > 0 && (!missing.is_empty() || !extra.is_empty()) {
        anyhow::bail!(
            "{}: its series are not those of the scenario in {} (missing: {}; not of the \
             scenario: {}): the file was changed or is from another run; {nothing}",
            dir.join("daily.csv").display(),
            dir.join("scenario.toml").display(),
            if missing.is_empty() {
                "none".to_string()
            } else {
                format!("{missing:?}")
            },
            if extra.is_empty() {
                "none".to_string()
            } else {
                format!("{extra:?}")
            },
        );
    }
    let input = output::ChartInput {
        summary: &saved.summary,
        daily: &saved.daily,
        clearance_days: &saved.clearance_days,
    };
    // A run fitted to observed data (summary.json says so) saved its fit in observed-fit.csv:
    // read back for the observed chart and the report, before anything is written.
    let fit = match &saved.summary.observed {
        Some(_) => {
            crate::inputs::record(&dir.join(observed::FIT_CSV));
            if !report {
                refuse_replacing_inputs(
                    dir,
                    &[observed::CHART_PNG.into(), observed::CHART_SVG.into()],
                )?;
            }
            Some(output::saved::load_fit(dir, &scn).with_context(|| {
                format!(
                    "{} was fitted to observed data (summary.json), but its fit cannot be read \
                     back; {nothing}",
                    dir.display()
                )
            })?)
        }
        None => None,
    };
    if report {
        let p = output::report::write_report_with(
            dir,
            &scn,
            &saved.scenario_text,
            &input,
            fit.as_ref(),
        )?;
        if !quiet {
            status!("wrote {}", p.display());
        }
    } else {
        let mut files = output::write_charts(dir, &scn, &input)?;
        if let Some(fit) = &fit {
            output::observed_chart::fit_chart(
                Some(dir),
                &scn.name,
                &saved.summary.scenario.overrides,
                scn.start_date,
                saved.clearance_days.len(),
                &saved.daily,
                fit,
            )
            .context("could not draw the observed chart")?;
            files.push(dir.join(observed::CHART_PNG));
            files.push(dir.join(observed::CHART_SVG));
        }
        if !quiet {
            status!("wrote {} charts into {}", files.len(), dir.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Options shared by the experiment commands (compare, sweep, target, sensitivity).
#[derive(Debug, Args, Clone)]
pub struct ExpOpts {
    /// Override a scenario value: PATH=VALUE (repeatable), e.g. 'port[San Ysidro].quota_per_day=400'.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = scenario::parse_set)]
    pub set: Vec<Override>,
    /// Replications of each scenario, setting, point or evaluation (default: the scenario's);
    /// 1 or more for a sweep, 2 or more for compare, sensitivity and target (their intervals).
    // 1 here, as a sweep file's `replications` and `--set scenario.replications=1` allow for a
    // sweep; the commands that need 2 for their intervals refuse 1 themselves
    // (`need_two_replications`), naming the fix.
    #[arg(long, allow_negative_numbers = true, value_parser = whole::<u32>("the number of replications", 1, 1_000_000))]
    pub replications: Option<u32>,
    /// Base seed (default: the scenario's); every variant uses the same seeds. 0 to
    /// 9223372036854775807, as in the scenario file.
    #[arg(long, allow_negative_numbers = true, value_parser = whole::<u64>("the seed", 0, i64::MAX as u64))]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores; at most one per core and one per replication are
    /// used). Results do not depend on it.
    #[arg(long, allow_negative_numbers = true, value_parser = whole::<u16>("the number of threads", 1, 1024))]
    pub threads: Option<u16>,
    /// Print the result as JSON on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// No progress bar, and no status lines (`wrote …`, which go to stderr).
    #[arg(long, short)]
    pub quiet: bool,
}

impl ExpOpts {
    /// Refuse `--replications 1` for a command whose intervals need 2 at least (`what`: "a
    /// comparison needs 2 at least, for its confidence intervals"), with exit code 2.
    pub fn need_two_replications(&self, what: &str) -> Result<()> {
        if self.replications == Some(1) {
            usage!("--replications 1: {what}; give --replications 2 or more");
        }
        Ok(())
    }

    /// Refuse (before anything runs) an experiment over `scns` that would need more memory
    /// than is available.
    pub fn check_memory(&self, scns: &[&Scenario]) -> Result<()> {
        let asked = self.threads.map(|t| t as usize);
        let threads = crate::experiment::workers(asked, usize::MAX);
        note_fewer_threads(asked, threads, usize::MAX, self.quiet);
        guard::check_experiment_memory(scns, threads, self.replications)
            .context("the experiment was not started")
    }

    pub fn run_options(&self) -> crate::experiment::RunOptions {
        crate::experiment::RunOptions {
            replications: self.replications,
            seed: self.seed,
            threads: self.threads.map(|t| t as usize),
            progress: !self.quiet,
            cancel: Some(interrupt_flag()),
            in_memory: false,
        }
    }
}

/// Pretty JSON with a final newline.
pub fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    let mut s = serde_json::to_string_pretty(v).context("could not encode JSON")?;
    s.push('\n');
    Ok(s)
}

/// A number for tables: fixed decimals, "–" when absent or not finite.
pub fn num(v: Option<f64>, decimals: usize) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{x:.decimals$}"),
        _ => "–".into(),
    }
}

/// Say on stderr (unless `quiet`) that fewer threads than the `asked` are `used` for `jobs`
/// replications: at most one per core and one per replication.
pub(crate) fn note_fewer_threads(asked: Option<usize>, used: usize, jobs: usize, quiet: bool) {
    let Some(asked) = asked.filter(|&t| t > used) else {
        return;
    };
    if quiet {
        return;
    }
    let why = if used >= jobs {
        format!("one per replication, {jobs}")
    } else {
        format!("one per core, {}", crate::experiment::cores())
    };
    errln!("note: --threads {asked}: using {used} ({why}; more would only wait); results do not depend on it");
}

/// Say why the replication records stay in memory instead of a temporary file.
pub(crate) fn note_records_in_memory(e: &std::io::Error) {
    errln!(
        "note: no temporary file for the replication records, so keeping them in memory: {e}. \
         (Set TMPDIR to a writable directory with room for them.)"
    );
}

#[cfg(test)]
mod tests {
    /// More than 20 warnings at places in a file are folded after the 20th; the others kept.
    #[test]
    fn many_warnings_of_a_file_are_folded() {
        assert_eq!(
            crate::output::warnings::located_file("a b.toml:3:1: port[P].hours: open"),
            Some("a b.toml")
        );
        assert_eq!(
            crate::output::warnings::located_file("c:/x.toml:3:1: k: m"),
            Some("c:/x.toml")
        );
        assert_eq!(
            crate::output::warnings::located_file("no capacity: screening: 0 servers"),
            None
        );
        assert_eq!(
            crate::output::warnings::located_file("3 of 4 runs: 12:30: late"),
            None
        );
        let mut w: Vec<String> = (1..=25).map(|i| format!("s.toml:{i}:1: k: m")).collect();
        w.push("2 of 2 runs had not cleared".into());
        let f = super::fold_file_warnings(&w);
        assert_eq!(f.len(), 22, "{f:?}");
        assert_eq!(f[19], "s.toml:20:1: k: m");
        assert_eq!(
            f[20],
            "… and 5 more warnings of the scenario (25 in all); `clearance validate s.toml \
             --all` lists every one"
        );
        assert_eq!(f[21], "2 of 2 runs had not cleared");
        assert_eq!(super::fold_file_warnings(&w[5..]), w[5..].to_vec());
    }

    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn a_second_sigint_close_behind_the_first_is_not_a_second_ctrl_c() {
        let first = Instant::now();
        // `timeout -s INT`'s two deliveries, microseconds apart: the same interrupt
        assert!(!interrupt_is_again(Some(first), first));
        assert!(!interrupt_is_again(
            Some(first),
            first + Duration::from_micros(50)
        ));
        assert!(!interrupt_is_again(
            Some(first),
            first + Duration::from_millis(249)
        ));
        // a person pressing Ctrl-C again
        assert!(interrupt_is_again(
            Some(first),
            first + Duration::from_millis(250)
        ));
        assert!(interrupt_is_again(
            Some(first),
            first + Duration::from_secs(3)
        ));
        assert!(interrupt_is_again(None, first));
    }
}
