//! `clearance merge DIR… --out OUT`: combine shard directories into exactly the result one
//! machine produces: for runs summary.json, replications.csv, daily.csv, ports.csv (and run.json,
//! replications.jsonl and daily.json, so the merged run can be extended); for sweeps sweep.csv,
//! sweep_long.csv, the chart, provenance.json and scenario.toml.

use super::{write_run, write_store};
use crate::experiment::{self, store, sweep};
use crate::format::counted;
use crate::output;
use crate::scenario::{self, Scenario};
use anyhow::{Context, Result};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard directories (written by run/sweep --shard i/n --out DIR).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Where to write the combined result.
    #[arg(long)]
    pub out: PathBuf,
    /// Replace files in --out that clearance did not write (a scenario.toml or summary.json of your own);
    /// without it, such a file stops the command before it starts.
    #[arg(long)]
    pub force: bool,
    /// Print the summary (runs) or the table (sweeps) as JSON.
    #[arg(long)]
    pub json: bool,
    /// No legend under the table's header, as `run --quiet`, and no status line (`merged … into
    /// OUT`, on stderr; merge shows no progress bar and gives no closing hint).
    #[arg(long, short)]
    pub quiet: bool,
}

fn load(toml_text: &str, file: &str, seed: u64) -> Result<(scenario::Loaded, Scenario)> {
    let table: toml::Table = toml_text
        .parse()
        .context("the stored scenario is not TOML")?;
    let l = scenario::load_effective_table(table, file).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut s = l.scenario.clone();
    s.seed = seed;
    Ok((l, s))
}

/// The files a merged run writes (without charts and report): what it must not replace when
/// clearance did not write them, and what it names as left over beside them.
fn run_files() -> Vec<String> {
    [
        "summary.json",
        "replications.csv",
        "daily.csv",
        output::csv::PORTS_CSV,
        "scenario.toml",
    ]
    .into_iter()
    .map(String::from)
    .chain(super::run::store_names())
    .collect()
}

pub fn cmd(args: &MergeArgs) -> Result<ExitCode> {
    // The result may not replace one of the shards it is made from.
    let out = std::fs::canonicalize(&args.out).ok();
    if let Some(d) = args
        .dirs
        .iter()
        .find(|d| out.is_some() && std::fs::canonicalize(d).ok() == out)
    {
        usage!(
            "--out {} is one of the shard directories merged ({}): write the result elsewhere",
            args.out.display(),
            d.display()
        );
    }
    // Every file of the shards is an input: no output may replace one, under any name or link
    // (a link in OUT to a shard's replications.jsonl had been written through).
    for d in &args.dirs {
        if let Ok(entries) = std::fs::read_dir(d) {
            for e in entries.flatten() {
                crate::inputs::record(&e.path());
            }
        }
    }
    let outputs: Vec<String> = [
        "summary.json",
        "replications.csv",
        "daily.csv",
        output::csv::PORTS_CSV,
        "scenario.toml",
        store::RUN_META,
        store::SWEEP_META,
        store::LINES,
        store::DAILY,
        "sweep.csv",
        "sweep_long.csv",
        "sweep.png",
        "sweep.svg",
        super::provenance::FILE,
    ]
    .into_iter()
    .map(String::from)
    .chain(super::run::chart_files())
    .collect();
    super::refuse_replacing_inputs(&args.out, &outputs)?;
    // In the order of their replications, whatever the order given: what the merge records of
    // the experiment as a whole is the first shard's, and its sums are added in this order.
    let dirs = store::in_shard_order(&args.dirs)?;
    let first = store::read_meta(&dirs[0])?;
    for d in &dirs {
        super::note_no_results_version(d, &store::read_meta(d)?, "merged");
    }
    // A sweep's merge writes its table, chart and provenance; a run's, the run and its store.
    let writes: Vec<String> = if first.kind == "sweep" {
        ["sweep.csv", "sweep_long.csv", "sweep.png", "sweep.svg"]
            .into_iter()
            .chain([super::provenance::FILE, super::provenance::SCENARIO])
            .map(String::from)
            .collect()
    } else {
        run_files()
    };
    super::guard::refuse_foreign_outputs(&args.out, &writes, args.force)?;
    if first.kind == "sweep" {
        return merge_sweep(args, &dirs);
    }
    let (loaded, mut scn) = load(&first.scenario_toml, &first.scenario_file, first.seed)
        .with_context(|| format!("{}", dirs[0].join(store::RUN_META).display()))?;
    scn.replications = first.replications;
    // The warnings the run gave, as the first shard recorded them (with their file:line and
    // --set, which the stored scenario does not know).
    if let Some(w) = &first.warnings {
        scn.warnings = w.clone();
    }
    // The replications go to a temporary file as they are read, shard after shard.
    let (meta, reps, daily, why) = store::combine_run(&dirs, &scn)?;
    if let Some(e) = why {
        super::note_records_in_memory(&e);
    }
    note_written_differently(&dirs)?;
    super::stop_if_interrupted(&args.out)?;
    super::prepare_out(&args.out, "the output directory is not usable")?;
    // The performance of a merged run is that of its shards: their wall-clock seconds added up
    // (each shard's own machine and threads), and the most threads one used.
    let run = experiment::finish_with(
        &scn,
        reps,
        &daily,
        meta.wall_seconds,
        meta.threads.max(1),
        false,
    )?;
    let mut run = run;
    run.summary.scenario.overrides = first.overrides.clone();
    let binds = super::binds(&scn, &output::ChartInput::from_run(&run));
    run.summary.what_binds = binds.as_ref().map(|b| super::what_binds(&scn, b));
    let json = output::json::summary_json(&run.summary)?;
    let text = super::scenario_as_run(&loaded.table, scn.seed, meta.replications)?;
    super::stop_if_interrupted(&args.out)?;
    write_run(&args.out, &scn, &run, &json, &text)?;
    super::stop_if_interrupted(&args.out)?;
    write_store(
        &args.out,
        &loaded.table,
        &scn,
        (
            meta.replications,
            None,
            &first.overrides,
            meta.results_version,
        ),
        &run.replications,
        &daily,
        (meta.wall_seconds, meta.threads),
    )?;
    // In place now, before what an earlier command left beside it is removed or named: the
    // charts (and report) of another run, which `run` names the same way. Not after a Ctrl-C:
    // then nothing is.
    super::commit_unless_interrupted(&args.out)?;
    super::remove_other_store(&args.out, "run");
    let written = run_files();
    let out = super::shell_word(&args.out.display().to_string());
    super::note_left_over(
        &args.out,
        &written,
        "this merge",
        &format!(
            " (`clearance chart {out}` draws the merged run's charts, `clearance report {out}` \
             its report)"
        ),
    );
    if args.json {
        out!("{json}");
        // The table's warnings, on stderr where scripts look for them (stdout is the JSON's).
        super::print_warnings(&run.summary.warnings);
    } else {
        // The table `run` prints for the same experiment, from the scenario the shards ran:
        // the inputs its figures follow too (`registration.never`, the registrations that set
        // the date), which the summary alone does not give.
        super::to_stdout(|o| {
            super::print_run_table(
                o,
                &scn,
                &run.summary,
                binds.as_ref(),
                !args.quiet,
                Some(&args.out),
            )
        })?;
        // The table's warnings on stderr too, as `run` gives them: where a script looks for
        // them whatever the format, but not when stdout and stderr are one terminal, whose
        // reader has just seen them.
        if !super::same_terminal() {
            super::print_warnings(&run.summary.warnings);
        }
    }
    // A status line, as every command's: on stderr (stdout holds the table or the JSON alone),
    // none under --quiet or --json.
    if !args.json {
        status!(
            "merged {} ({}) into {}",
            counted(
                args.dirs.len() as u64,
                "shard directory",
                "shard directories"
            ),
            counted(u64::from(meta.replications), "replication", "replications"),
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// What the shards record of how the experiment was given that differs between them though
/// the experiment is the same (its fingerprint is): the scenario file as named, the `--set`
/// values as written (`x=5` and `x=5.0`), the sweep file. The merged output records the first
/// shard's (`dirs` in [`store::in_shard_order`]), and says so on stderr.
fn note_written_differently(dirs: &[PathBuf]) -> Result<()> {
    let first = store::read_meta(&dirs[0])?;
    let sweep_file = |m: &store::Meta| m.base.as_ref().and_then(|b| b.sweep_file.clone());
    let set = |m: &store::Meta| match m.overrides.is_empty() {
        true => "none".to_string(),
        false => m.overrides.join(", "),
    };
    for d in &dirs[1..] {
        let m = store::read_meta(d)?;
        let mut differ = Vec::new();
        if m.scenario_file != first.scenario_file {
            differ.push(format!(
                "scenario file {} in {}, {} in {}",
                first.scenario_file,
                dirs[0].display(),
                m.scenario_file,
                d.display()
            ));
        }
        if m.overrides != first.overrides {
            differ.push(format!(
                "--set {} in {}, {} in {}",
                set(&first),
                dirs[0].display(),
                set(&m),
                d.display()
            ));
        }
        // Whichever shard has one (a sweep given by a file on one shard and by the scenario
        // and --vary on another): "none" for the other.
        if sweep_file(&m) != sweep_file(&first) {
            differ.push(format!(
                "sweep file {} in {}, {} in {}",
                sweep_file(&first).unwrap_or_else(|| "none".into()),
                dirs[0].display(),
                sweep_file(&m).unwrap_or_else(|| "none".into()),
                d.display()
            ));
        }
        if !differ.is_empty() {
            errln!(
                "note: the shards were given the same experiment in different words ({}): the \
                 merged output records those of {}, the shard holding the first replications",
                differ.join("; "),
                dirs[0].display()
            );
        }
    }
    Ok(())
}

fn merge_sweep(args: &MergeArgs, dirs: &[PathBuf]) -> Result<ExitCode> {
    let meta = store::read_meta(&dirs[0])?;
    let factors: Vec<sweep::Factor> = meta
        .factors
        .iter()
        .enumerate()
        .map(|(i, p)| sweep::Factor {
            path: p.clone(),
            values: dedup(meta.points.iter().map(|pt| pt.values[i].clone())),
            origin: "--vary".into(),
        })
        .collect();
    let mut scns = Vec::new();
    for p in &meta.points {
        let (_, mut s) = load(&p.scenario_toml, &meta.scenario_file, meta.seed)?;
        s.replications = meta.replications;
        scns.push(s);
    }
    let refs: Vec<&Scenario> = scns.iter().collect();
    // Each point's replications go to a temporary file as they are read.
    let (meta, per, why) = store::combine_sweep(dirs, &refs)?;
    if let Some(e) = why {
        super::note_records_in_memory(&e);
    }
    note_written_differently(dirs)?;
    super::stop_if_interrupted(&args.out)?;
    // The scenario's warnings, as `sweep` gave them (each once): those its first shard
    // recorded, or derived again from the stored scenarios.
    match &meta.warnings {
        Some(w) => super::print_warnings(w),
        None => super::print_warnings(scns.iter().flat_map(|s| &s.warnings)),
    }
    let name = scns.first().map_or("", |s| s.name.as_str());
    // How the sweep was made, as `sweep --out` records it: from the scenario before the
    // factors that the shards stored (shards stored before they recorded it give what they
    // have, and no provenance.json or scenario.toml).
    let (prov, scenario_text) = provenance(&meta, &factors, name)?;
    super::prepare_out(&args.out, "the output directory is not usable")?;
    // Each row is labelled with its point's own values, not by its place in the grid of the
    // factors: a stored sweep edited to hold some points only, or in another order, had its
    // rows labelled with other points' values.
    let values = meta
        .points
        .iter()
        .map(|p| {
            p.values
                .iter()
                .map(|v| scenario::overrides::parse_value(v))
                .collect()
        })
        .collect();
    let rows = sweep::rows_at(values, &refs, &per).context("could not read back the records")?;
    // (the chart's files only when one was drawn: an earlier sweep's, beside a merge of three
    // factors, is named below)
    let mut written =
        super::sweep::report(name, &factors, &rows, &prov, args.json, Some(&args.out))?;
    if scenario_text.is_some() {
        written.extend([super::provenance::FILE, super::provenance::SCENARIO].map(String::from));
    }
    match scenario_text {
        Some(text) => super::sweep::write_provenance(&args.out, &prov, &text, args.json)?,
        None => errln!(
            "note: {} and {} are not written: the shards were stored by an earlier version of \
             clearance, which did not record the scenario before the sweep's factors (run the \
             shards again for them)",
            super::provenance::FILE,
            super::provenance::SCENARIO
        ),
    }
    // In place now, before what an earlier command left beside it is named (not after a
    // Ctrl-C: then nothing is).
    super::commit_unless_interrupted(&args.out)?;
    super::note_left_over(&args.out, &written, "this merge", "");
    Ok(ExitCode::SUCCESS)
}

/// The provenance of the sweep whose shards' combined store is `meta`, with its `factors` (as
/// read back from its points), and the text of its `scenario.toml`; `None` for the text, and
/// no fingerprint, when the shards did not record the scenario before the factors (`name`,
/// that of its first point, then names it).
fn provenance(
    meta: &store::Meta,
    factors: &[sweep::Factor],
    name: &str,
) -> Result<(super::provenance::Provenance, Option<String>)> {
    let mut factors = super::sweep::factor_provenance(factors);
    let run = (meta.seed, meta.replications);
    let Some(base) = &meta.base else {
        let (mut p, _) = super::provenance::Provenance::of(
            "sweep",
            &meta.scenario_file,
            &load(&meta.scenario_toml, &meta.scenario_file, meta.seed)?.0,
            meta.overrides.clone(),
            run,
            factors,
        )?;
        p.scenario.name = name.to_string();
        p.scenario.fingerprint = None;
        for f in &mut p.factors {
            f.origin = "not recorded".into();
        }
        return Ok((p, None));
    };
    for (f, origin) in factors.iter_mut().zip(&base.origins) {
        f.origin = origin.clone();
    }
    let (loaded, _) = load(&base.scenario_toml, &meta.scenario_file, meta.seed)
        .context("the scenario before the sweep's factors, stored with its shards")?;
    let (mut p, text) = super::provenance::Provenance::of(
        "sweep",
        &meta.scenario_file,
        &loaded,
        meta.overrides.clone(),
        run,
        factors,
    )?;
    p.sweep_file = base.sweep_file.clone();
    Ok((p, Some(text)))
}

/// Values in first-seen order, without repeats, parsed back from TOML text.
fn dedup(values: impl Iterator<Item = String>) -> Vec<toml::Value> {
    let mut seen: Vec<String> = Vec::new();
    for v in values {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen.iter()
        .map(|v| scenario::overrides::parse_value(v))
        .collect()
}
