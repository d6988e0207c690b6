//! `clearance run`: one scenario's replications — a fixed number, to a precision target
//! (`--precision`), continuing a stored run (`--extend DIR`), or one shard of them
//! (`--shard i/n`) — then the summary table or JSON and the files of `--out DIR`.

use super::{
    binds, guard, interrupt_flag, load_with, note_records_in_memory, trace, what_binds, write_run,
    write_store, RunArgs, EXIT_INTERRUPTED,
};
use crate::experiment::precision::continue_to_precision;
use crate::experiment::store;
use crate::experiment::{self, Collector, DailyAcc, Replications, RunOptions};
use crate::output;
use crate::scenario::{self, Loaded};
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// A stored run to continue: its scenario and its number of replications (read later, one at
/// a time, by [`read_stored`]).
type StoredRun = (Loaded, u32);

fn stored(
    args: &RunArgs,
    dir: &std::path::Path,
) -> Result<std::result::Result<StoredRun, ExitCode>> {
    let meta = store::read_meta(dir)?;
    if meta.kind != "run" || meta.shard.is_some() {
        usage!(
            "{}: holds a {}{}, not a finished run; merge shards first (clearance merge)",
            dir.display(),
            meta.kind,
            meta.shard
                .map(|s| format!(" shard {s}"))
                .unwrap_or_default()
        );
    }
    let table: toml::Table = meta
        .scenario_toml
        .parse()
        .with_context(|| format!("{}: the stored scenario is not TOML", dir.display()))?;
    let stored_table = table.clone();
    store::check_results_version(dir, &meta)?;
    super::note_no_results_version(dir, &meta, "extended");
    let mut loaded = match scenario::load_effective_table(table, &meta.scenario_file) {
        Ok(l) => l,
        Err(e) => {
            errln!("{e}");
            return Ok(Err(ExitCode::from(2)));
        }
    };
    loaded.scenario.seed = meta.seed;
    // The warnings the run gave (with their file:line and --set), not those derived again from
    // the stored scenario, which knows neither.
    if let Some(w) = &meta.warnings {
        loaded.scenario.warnings = w.clone();
    }
    if let Some(path) = &args.scenario {
        let given = match load_with(path, &args.set) {
            Ok(l) => l,
            Err(code) => return Ok(Err(code)),
        };
        // The same scenario, whatever number of replications it names, with the stored seed
        // or the one its file had (the `scenario.toml` that `--out` wrote names the run's).
        let seed_of = |t: &toml::Table| t.get("scenario").and_then(|s| s.get("seed")).cloned();
        let given_seed = seed_of(&given.table);
        let seed_ok = given_seed.is_none_or(|s| {
            s == toml::Value::Integer(meta.seed as i64) || Some(s) == seed_of(&stored_table)
        });
        // (The fingerprint leaves out the seed and replications.)
        if !seed_ok || scenario::fingerprint(&given.table) != scenario::fingerprint(&stored_table) {
            usage!(
                "{}{} is not the scenario stored in {}: extend with the same scenario, or leave \
                 the scenario out to use the stored one",
                path.display(),
                if args.set.is_empty() {
                    ""
                } else {
                    " (with the --set given)"
                },
                dir.display()
            );
        }
    }
    if args.scenario.is_none() && !args.set.is_empty() {
        usage!(
            "--set with --extend changes nothing: the stored run is extended with the scenario \
             it was run with; to run a changed scenario, run it afresh (without --extend)"
        );
    }
    if args.seed.is_some_and(|s| s != meta.seed) {
        usage!("--seed differs from the stored run's seed {}", meta.seed);
    }
    Ok(Ok((loaded, meta.end - meta.first)))
}

/// Read the `have` replications of the run of `scn` stored in `dir` into `records`, one at a
/// time, checking that they are 0..have in order; their clearance times go to `clear` when it
/// is given. Returns the stored daily bands' accumulator.
fn read_stored(
    dir: &std::path::Path,
    scn: &scenario::Scenario,
    have: u32,
    records: &mut Collector,
    mut clear: Option<&mut Vec<f64>>,
) -> Result<DailyAcc> {
    let mut k = 0u32;
    let daily = store::each_run_result(dir, scn, |r| {
        if r.index != k {
            return Err(store::StoreError::Bad {
                path: dir.join(store::LINES),
                message: format!(
                    "replications are not 0..{have} in order (index {} at line {})",
                    r.index,
                    k + 1
                ),
            });
        }
        k += 1;
        if let Some(c) = clear.as_deref_mut() {
            c.push(r.clearance_days);
        }
        records.push_stored(r);
        Ok(())
    })?;
    if k != have {
        bail!(
            "{}: holds {k} replications where {} says {have}: the directory was changed or is \
             incomplete",
            dir.join(store::LINES).display(),
            store::RUN_META
        );
    }
    Ok(daily)
}

pub fn cmd_run(args: &RunArgs) -> Result<ExitCode> {
    // Options that would otherwise be ignored without a word.
    if args.precision.is_some() && args.replications.is_some() {
        usage!(
            "give either --replications N or --precision TARGET: --precision chooses the number \
             of replications (cap it with --max-replications)"
        );
    }
    if args.no_charts && args.out.is_none() && args.extend.is_none() {
        usage!("--no-charts applies to --out DIR: without it no charts are written anyway");
    }
    if args.extend.is_some() && args.observed.is_some() {
        usage!(
            "--observed cannot be combined with --extend: the fit reads every replication's \
             daily series, and a stored run keeps only their histograms; run --observed on a \
             fresh run (with --replications or --precision)"
        );
    }
    let (loaded, have) = match &args.extend {
        Some(dir) => match stored(args, dir)? {
            Ok(s) => s,
            Err(code) => return Ok(code),
        },
        None => {
            let path = args.scenario.as_ref().context("no scenario file given")?;
            match load_with(path, &args.set) {
                Ok(l) => (l, 0),
                Err(code) => return Ok(code),
            }
        }
    };
    let mut loaded = loaded;
    guard::add_capacity_warnings(&mut loaded.scenario);
    // Under --deny-warnings, a scenario with warnings is refused as `validate --deny-warnings`
    // refuses it (the same warnings, exit code 2), before anything runs or is written.
    if args.deny_warnings {
        let mut s = loaded.scenario.clone();
        super::validate_warnings(&mut s);
        let file = match (&args.scenario, &args.extend) {
            (Some(p), _) => p.clone(),
            (None, Some(dir)) => dir.join("scenario.toml"),
            (None, None) => PathBuf::from("scenario"),
        };
        if let Some(lines) = super::deny_warnings_lines(&s.warnings, &file, false) {
            for line in lines {
                errln!("{line}");
            }
            errln!(
                "error: the scenario has warnings and --deny-warnings is given: nothing was run"
            );
            return Ok(ExitCode::from(2));
        }
    }
    // Observed data are checked before anything runs.
    let obs = match &args.observed {
        Some(path) => match crate::observed::read_observed(path, &loaded.scenario) {
            Ok(o) => {
                let file = path.display().to_string();
                for w in crate::observed::decreasing_counts(&o, &file) {
                    errln!("warning: {w}");
                }
                Some(o)
            }
            Err(e) => {
                errln!("error: {e}");
                return Ok(ExitCode::from(2));
            }
        },
        None => None,
    };
    let out_dir: Option<PathBuf> = args.out.clone().or_else(|| args.extend.clone());
    if let Some(dir) = &out_dir {
        super::prepare_out(dir, "the output directory is not usable")?;
        // No output may replace an input (a study kept as DIR/scenario.toml, observed data
        // linked in as DIR/observed-fit.csv). The scenario.toml of a directory being extended
        // is that run's own, rewritten.
        if args.extend.is_some() {
            crate::inputs::forget(&dir.join("scenario.toml"));
        }
        // Extended into another directory, the stored run's files are inputs too (a link in
        // --out to its replications.jsonl had been written through).
        if let Some(ext) = &args.extend {
            if std::fs::canonicalize(ext).ok() != std::fs::canonicalize(dir).ok() {
                for f in [store::RUN_META, store::LINES, store::DAILY, "scenario.toml"] {
                    crate::inputs::record(&ext.join(f));
                }
            }
        }
        let names = output_names();
        super::refuse_inputs_among(dir, &names)?;
        // Nor may one output be a link to another (`fan.png -> summary.json`), the trace
        // included: one would overwrite the other.
        let mut written: Vec<PathBuf> = written_names(args).iter().map(|n| dir.join(n)).collect();
        written.extend(args.trace.clone());
        super::refuse_linked_outputs(&written)?;
        // Nor may it replace a file of the user's (one clearance did not write), without
        // --force; a shard writes only its store.
        let writes = match args.shard {
            Some(_) => store_names(),
            None => written_names(args),
        };
        super::guard::refuse_foreign_outputs(dir, &writes, args.force)?;
        // Nor may the trace be one of the outputs.
        if let Some(trace) = &args.trace {
            let parent = match trace.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => std::path::Path::new("."),
            };
            let same_dir = std::fs::canonicalize(parent).ok() == std::fs::canonicalize(dir).ok();
            let name = trace.file_name().map(|n| n.to_string_lossy().into_owned());
            if same_dir && name.is_some_and(|n| names.contains(&n)) {
                usage!(
                    "--trace {} is one of the files the run writes into --out {}: name another",
                    trace.display(),
                    dir.display()
                );
            }
        }
    }
    let cancel = interrupt_flag();
    // Each replication's daily series is folded into the bands as it finishes and then dropped,
    // unless the fit to observations needs it.
    let keep_daily = obs.is_some();
    let opts = RunOptions {
        replications: args.replications,
        seed: args.seed,
        threads: args.threads.map(|t| t as usize),
        progress: !args.quiet,
        cancel: Some(cancel.clone()),
        in_memory: keep_daily,
    };
    let mut scn = experiment::effective_scenario(&loaded.scenario, &opts);
    // Records go to a temporary file as replications finish, and as a stored run's are read, so
    // that memory does not grow with them; in memory when the fit keeps them, or no file with
    // room for them all can be made. Decided before the memory check, which counts them.
    let slots = if args.precision.is_some() {
        args.max_replications.max(have)
    } else {
        match args.shard {
            Some(s) => s.range(scn.replications).len() as u32,
            None => scn.replications.max(have),
        }
    };
    // The threads used: at most one per core and one per replication (more only spin idle).
    let threads = experiment::workers(opts.threads, slots as usize);
    super::note_fewer_threads(opts.threads, threads, slots as usize, args.quiet);
    let (mut collector, err) = Collector::new(&scn, slots as usize, &opts, keep_daily);
    if let Some(e) = err {
        note_records_in_memory(&e);
    }
    guard::check_memory(
        &scn,
        threads,
        args.trace.as_deref(),
        keep_daily,
        !collector.is_spilled(),
    )
    .context("the run was not started")?;
    if let Some(file) = &args.trace {
        trace::check_writable(file)?;
        // Standard output holds the JSON alone: a trace there would follow it and make it
        // invalid JSON.
        if args.json && output::is_stdout(file) {
            usage!(
                "--json and --trace {} both write to standard output: the trace's CSV would \
                 follow the JSON and make it invalid; write the trace to a file \
                 (--trace trace.csv)",
                file.display()
            );
        }
    }
    let effective = scn.clone();
    if args.extend.is_some() && args.replications.is_none() && args.precision.is_none() {
        usage!("--extend needs --replications N (the new total) or --precision TARGET");
    }
    if args.extend.is_some() && args.precision.is_none() && scn.replications <= have {
        usage!("the stored run already has {have} replications: ask for more with --replications");
    }
    let mut precision = None;
    let records: Replications;
    let mut clear = Vec::new();
    let want_clear = args.precision.is_some().then_some(&mut clear);
    let mut daily = match &args.extend {
        Some(dir) => read_stored(dir, &scn, have, &mut collector, want_clear)?,
        None => DailyAcc::new(&scn),
    };
    let started = Instant::now();
    if let Some(target) = args.precision {
        let max = args.max_replications.max(have);
        // A stored replication is censored when it ended at the horizon.
        let censored = clear.iter().filter(|c| **c >= scn.horizon).count() as u64;
        let (r, acc, outcome) =
            continue_to_precision(&scn, collector, clear, censored, target, max, &opts)?;
        records = r;
        daily.merge(&acc);
        precision = Some(outcome);
    } else {
        let range = match args.shard {
            Some(s) => s.range(scn.replications),
            None => have..scn.replications.max(have),
        };
        let (acc, _) = collector.run(&scn, range, &opts)?;
        daily.merge(&acc);
        let got = collector
            .finish()
            .context("could not keep the replications' records")?;
        if got.is_empty() && cancel.load(std::sync::atomic::Ordering::SeqCst) {
            // Interrupted before any replication finished: nothing to summarise or write.
            errln!("interrupted before any replication finished; no output was written");
            return Ok(ExitCode::from(EXIT_INTERRUPTED));
        }
        records = got;
    }
    // Partial: interrupted before every replication asked for had finished, or the indices are
    // not one contiguous block from the expected start. A Ctrl-C after the last replication
    // finished (while the run was being summarised) leaves it whole.
    let (start, expected) = match args.shard {
        Some(s) => {
            let r = s.range(scn.replications);
            (r.start, r.len() as u32)
        }
        None => (0, scn.replications.max(have)),
    };
    let gap = records
        .column(|r| r.index)
        .context("could not read back the replications")?
        .into_iter()
        .enumerate()
        .any(|(k, i)| i != start + k as u32);
    let incomplete = match &precision {
        // Stopped by its own rule (met, a replication censored, or the maximum reached), or
        // by Ctrl-C before it.
        Some(p) => {
            let max = args.max_replications.max(have) as u64;
            let done = p.met || p.censored > 0 || p.replications >= max;
            !done && cancel.load(std::sync::atomic::Ordering::SeqCst)
        }
        None => (records.len() as u32) < expected,
    };
    let partial = gap || incomplete;
    // The store an extended run continues, read once for what it keeps of that run.
    let extended = match &args.extend {
        Some(d) => Some(store::read_meta(d)?),
        None => None,
    };
    // The values set on the command line, as the store, the table and summary.json name them;
    // an extended run keeps those of the run it continues.
    let overrides: Vec<String> = match &extended {
        Some(m) => m.overrides.clone(),
        None => args.set.iter().map(ToString::to_string).collect(),
    };
    // This build's results version; an extension of a store that recorded none records none.
    let results_version = match &extended {
        Some(m) => m.results_version,
        None => Some(crate::RESULTS_VERSION),
    };
    if let Some(shard) = args.shard {
        let dir = args.out.as_ref().context("--shard needs --out DIR")?;
        if partial {
            errln!("interrupted: shard not written");
            return Ok(ExitCode::from(EXIT_INTERRUPTED));
        }
        let wall = started.elapsed().as_secs_f64();
        write_store(
            dir,
            &loaded.table,
            &scn,
            (scn.replications, Some(shard), &overrides, results_version),
            &records,
            &daily,
            (wall, threads),
        )?;
        // In place now, before what an earlier command left beside it is removed or named.
        output::commit_staged()?;
        super::remove_other_store(dir, "run");
        super::note_left_over(
            dir,
            &store_names(),
            "this shard",
            &format!(
                " (`clearance merge` reads only the shard's store: {})",
                store_names().join(", ")
            ),
        );
        status!(
            "shard {shard}: {} written to {} (combine with `clearance merge`)",
            shard.describe(scn.replications),
            dir.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let asked = scn.replications;
    scn.replications = records.len() as u32;
    // The fit needs each replication's daily series, which `finish` drops (such runs keep
    // their records in memory).
    let fit = match (&obs, records.as_slice()) {
        (Some(o), Some(reps)) => Some(crate::observed::fit(&scn, reps, o)),
        (Some(o), None) => Some(crate::observed::fit(&scn, &records.to_vec()?, o)),
        (None, _) => None,
    };
    // An extended run's performance counts the time of the runs it continues too, as its
    // events do (and as a merge counts its shards').
    let before = extended
        .as_ref()
        .map_or((0.0, 0), |m| (m.wall_seconds, m.threads));
    let wall = before.0 + started.elapsed().as_secs_f64();
    let threads = threads.max(before.1);
    let mut run = experiment::finish_with(&scn, records, &daily, wall, threads, partial)?;
    // The table, summary.json and the report say which values the run changed in the file.
    run.summary.scenario.overrides = overrides.clone();
    run.summary.precision = precision
        .as_ref()
        .map(|p| experiment::summary::PrecisionSummary {
            target: p.target.clone(),
            met: p.met,
            half_width_days: p.half_width,
            allowed_days: p.allowed,
        });
    // With --observed, summary.json says so: `chart DIR` and `report DIR` then read the fit
    // back from observed-fit.csv.
    run.summary.observed = match (&fit, &args.observed) {
        (Some(f), Some(file)) => Some(experiment::summary::ObservedSummary {
            file: file.display().to_string(),
            observations: f.rows.len(),
            inside_90: f.inside90,
            rmse: f.rmse.is_finite().then_some(f.rmse),
        }),
        _ => None,
    };
    // What binds, as the table says it, for scripts reading summary.json.
    let binds = binds(&scn, &output::ChartInput::from_run(&run));
    run.summary.what_binds = binds.as_ref().map(|b| what_binds(&scn, b));
    let json = output::json::summary_json(&run.summary)?;
    let input = output::ChartInput::from_run(&run);
    // Printing cannot fail the run half-way: a stdout that cannot be written (a full disk) is
    // said once the files asked for are written (`Out`).
    if args.json {
        out!("{json}");
        // The table's warnings, on stderr where scripts look for them (stdout is the JSON's).
        super::print_warnings(&run.summary.warnings);
    } else {
        super::to_stdout(|o| {
            super::print_run_table(
                o,
                &scn,
                &run.summary,
                binds.as_ref(),
                !args.quiet,
                out_dir.as_deref(),
            )
        })?;
        // The table's warnings on stderr too, where a script looks for them whatever the
        // format (a censored run's among them), as compare, sweep and sensitivity give theirs;
        // not when stdout and stderr are one terminal, whose reader has just seen them.
        if !super::same_terminal() {
            super::print_warnings(&run.summary.warnings);
        }
    }
    if let Some(p) = &precision {
        let mut msg = format!(
            "precision {}: {} after {} replications (95% CI half-width of mean clearance {} \
             days, allowed {} days)",
            p.target,
            if p.met { "met" } else { "NOT met" },
            p.replications,
            p.half_width
                .map(|h| format!("{h:.3}"))
                .unwrap_or("–".into()),
            p.allowed.map(|h| format!("{h:.3}")).unwrap_or("–".into()),
        );
        if p.censored > 0 {
            msg.push_str(&format!(
                "; it cannot be met: {} of them reached the horizon before clearing, so the \
                 mean is only a lower bound (raise scenario.horizon)",
                p.censored
            ));
        }
        if args.json {
            errln!("{msg}");
        } else {
            outln!("{msg}");
        }
    }
    if let Some(dir) = &out_dir {
        // The effective scenario (after `extends` and `--set`), so that `chart DIR` and
        // `report DIR` redraw exactly what was run, with the seed and replications run (or,
        // interrupted, asked for), so that running it again reproduces the run.
        let n = if partial {
            asked
        } else {
            run.summary.replications as u32
        };
        let text = super::scenario_as_run(&loaded.table, scn.seed, n)?;
        write_run(dir, &scn, &run, &json, &text)?;
        if !partial {
            write_store(
                dir,
                &loaded.table,
                &scn,
                (scn.replications, None, &overrides, results_version),
                &run.replications,
                &daily,
                (wall, threads),
            )?;
        }
        if !args.no_charts {
            output::write_charts(dir, &scn, &input)?;
        }
        if args.report {
            output::report::write_report_with(dir, &scn, &text, &input, fit.as_ref())?;
        }
        warn_stale_outputs(dir, args, partial);
        // Written whole: in place now, whatever printing the table did.
        output::commit_staged()?;
        if !partial {
            super::remove_other_store(dir, "run");
        } else if args.extend.is_none() {
            remove_earlier_store(dir);
        }
    }
    // Status lines, on stderr (stdout holds the table alone) and not under --quiet or --json.
    if let (Some(dir), false) = (&out_dir, args.json) {
        status!("wrote {}", dir.display());
        // The shareable report is one command away: say which.
        if !args.report && !partial {
            status!(
                "  `clearance report {}` makes report.html from it (or add --report to the run)",
                super::shell_word(&dir.display().to_string())
            );
        }
    }
    // Without --out the report is not one command away: say how to make it, a hint as the one
    // after --out is.
    if out_dir.is_none() && !args.json && !partial {
        status!(
            "note: add `--out DIR --report` to the run for its charts and a shareable report.html"
        );
    }
    if let Some(fit) = &fit {
        super::observed::report_fit(args, &scn, &run, fit)?;
    }
    if run.summary.censored > 0 {
        let blocked = guard::capacity_warnings(&scn);
        if !blocked.is_empty() {
            errln!(
                "{} reached the horizon without clearing; stages with no capacity:",
                crate::format::counted(run.summary.censored, "replication", "replications")
            );
            // (beyond a few ports, the others counted in one line, and validation's beyond
            // the first ones, as in the table)
            let blocked: Vec<String> = blocked.into_iter().map(String::from).collect();
            for w in super::fold_file_warnings(&blocked) {
                errln!("  {w}");
            }
        }
    }
    if let (Some(file), false) = (&args.trace, run.partial) {
        let n = trace::write_trace(file, &effective)?;
        // (on stderr: a trace written to stdout ends with its last event's row)
        if !args.json {
            status!("wrote {} ({n} events of replication 0)", file.display());
        }
    }
    // An unmet precision exits 0 (the run completed and wrote its outputs; `precision.met` is
    // false in the JSON), with a last line on stderr, as every warning, --quiet or --json alike:
    // the table's line had sat far up, below "What binds", easy to miss.
    if let (Some(p), false) = (&precision, run.partial) {
        if !p.met {
            errln!(
                "warning: --precision {} was not met after {} replications ({}); the results \
                 are complete but less precise than asked (exit code 0, \"met\": false under \
                 \"precision\" in the JSON)",
                p.target,
                p.replications,
                if p.censored > 0 {
                    format!(
                        "{} reached the horizon before clearing: raise scenario.horizon",
                        p.censored
                    )
                } else {
                    format!(
                        "95% CI half-width {} days: raise --max-replications",
                        p.half_width.map_or("–".into(), |h| format!("{h:.3}"))
                    )
                }
            );
        }
    }
    if !run.partial && cancel.load(std::sync::atomic::Ordering::SeqCst) {
        errln!("note: every replication asked for had finished when interrupted: the run is whole");
    }
    if run.partial {
        errln!(
            "interrupted: the {} that finished {} summarised (marked \"partial\")",
            output::table::replications_text(run.summary.replications),
            if run.summary.replications == 1 {
                "was"
            } else {
                "were"
            }
        );
        return Ok(ExitCode::from(EXIT_INTERRUPTED));
    }
    Ok(ExitCode::SUCCESS)
}

/// Every file name a run may write into its `--out` directory.
pub(super) fn output_names() -> Vec<String> {
    let mut v: Vec<String> = [
        "summary.json",
        "replications.csv",
        "daily.csv",
        output::csv::PORTS_CSV,
        "scenario.toml",
        "report.html",
        store::RUN_META,
        store::LINES,
        store::DAILY,
        super::observed::FIT_CSV,
        super::observed::CHART_PNG,
        super::observed::CHART_SVG,
    ]
    .map(String::from)
    .to_vec();
    v.extend(chart_files());
    v
}

/// The files of a run's store: `run.json`, `replications.jsonl`, `daily.json`.
pub(super) fn store_names() -> Vec<String> {
    [store::RUN_META, store::LINES, store::DAILY]
        .map(String::from)
        .to_vec()
}

/// The file names this run writes into its `--out` directory (the store only when the run is
/// not interrupted).
fn written_names(args: &RunArgs) -> Vec<String> {
    let mut v: Vec<String> = [
        "summary.json",
        "replications.csv",
        "daily.csv",
        output::csv::PORTS_CSV,
        "scenario.toml",
        store::RUN_META,
        store::LINES,
        store::DAILY,
    ]
    .map(String::from)
    .to_vec();
    if args.report {
        v.push("report.html".into());
    }
    if args.observed.is_some() {
        v.extend(
            [
                super::observed::FIT_CSV,
                super::observed::CHART_PNG,
                super::observed::CHART_SVG,
            ]
            .map(String::from),
        );
    }
    if !args.no_charts {
        v.extend(chart_files());
    }
    v
}

/// Remove the store (run.json, replications.jsonl, daily.json) of an earlier run from `dir`,
/// where an interrupted run (which keeps none) has just put its summary: `run --extend DIR` and
/// `merge DIR` had gone on silently with that earlier run, of another scenario or seed,
/// replacing the summary of the interrupted one. Said on stderr. A run.json that clearance did
/// not write is left, and named.
fn remove_earlier_store(dir: &std::path::Path) {
    let meta = dir.join(store::RUN_META);
    if !meta.is_file() {
        return;
    }
    let ours = super::is_clearance_store(&meta);
    if !ours {
        errln!(
            "note: {} is not a store clearance wrote; it does not describe this run: remove it",
            meta.display()
        );
        return;
    }
    let removed: Vec<&str> = [store::RUN_META, store::LINES, store::DAILY]
        .into_iter()
        .filter(|n| {
            let p = dir.join(n);
            p.is_file() && std::fs::remove_file(&p).is_ok()
        })
        .collect();
    errln!(
        "note: removed {} from {}: the store of an earlier run, which `run --extend` and \
         `merge` would have continued in place of this interrupted run (which keeps none)",
        removed.join(", "),
        dir.display()
    );
}

/// The PNG and SVG file of every chart.
pub(super) fn chart_files() -> impl Iterator<Item = String> {
    output::charts::Chart::ALL
        .into_iter()
        .flat_map(|c| ["png", "svg"].map(|ext| format!("{}.{ext}", c.name())))
}

/// Say which outputs of an earlier run in `dir` this run did not rewrite (charts after
/// `--no-charts`, `report.html` without `--report`, the observed fit without `--observed`):
/// they describe that run, not this one. They are left in place (nothing the user had is
/// deleted); the store of an earlier run under an interrupted one is not, since `--extend` and
/// `merge` would continue it ([`remove_earlier_store`]).
fn warn_stale_outputs(dir: &std::path::Path, args: &RunArgs, partial: bool) {
    let mut names: Vec<String> = Vec::new();
    if args.no_charts {
        names.extend(chart_files());
    }
    if !args.report {
        names.push("report.html".into());
    }
    if args.observed.is_none() {
        names.extend(
            [
                super::observed::FIT_CSV,
                super::observed::CHART_PNG,
                super::observed::CHART_SVG,
            ]
            .map(String::from),
        );
    }
    let store_files = [store::RUN_META, store::LINES, store::DAILY].map(String::from);
    if partial && args.extend.is_some() {
        // The store of the run being extended is whole: it is what a later --extend continues.
        errln!(
            "note: {}'s store ({}) still holds the replications it had before this run, not \
             those summarised now; keep it: `clearance run --extend {} --replications N` \
             continues from it",
            dir.display(),
            store_files.join(", "),
            dir.display()
        );
    }
    // (an interrupted run's earlier store is removed once its files are in place:
    // [`remove_earlier_store`])
    let stale: Vec<String> = names.into_iter().filter(|n| dir.join(n).exists()).collect();
    super::say_left_over(dir, &stale, "this run", "");
}
