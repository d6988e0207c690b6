//! `clearance sweep`: a full grid of scenario variants from a sweep file (`[sweep]` table) or
//! `--vary PATH=v1,v2,…`, all (point, replication) pairs in one pool; prints a table (or with
//! `--json` an object: how the sweep was made, as `provenance.json` says it, and its points)
//! and, with `--out DIR`, writes `sweep.csv` (wide: a row per point) and `sweep_long.csv`
//! (long: a row per point, KPI and statistic), a chart (`sweep.png`/`.svg`: lines for one
//! factor, a heatmap of P90 clearance for two; of another KPI with `--kpi NAME`; list values
//! such as a port's days shortened for the axes, "Mon–Fri"), `provenance.json` and
//! `scenario.toml`.
//! `--shard i/n --out DIR` runs a share of the replications of every point, for `clearance
//! merge`, and stores with them the scenario before the factors and where the sweep was given,
//! from which the merge writes `provenance.json` and `scenario.toml`.

use super::{num, provenance, to_json, ExpOpts};
use crate::experiment::store::{self, Meta, PointMeta, Shard, SweepBase};
use crate::experiment::sweep::{self, Factor, SweepProblem, SweepRow};
use crate::output::columns::{Col, Table};
use crate::output::experiment_charts::{self, HeatData, LineData};
use crate::output::table::CUT_MARK;
use crate::scenario::{self, overrides::display_value};
use anyhow::{Context, Result};
use clap::Args;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A point of a sweep as messages name it: `path=value` for each factor, `, ` between.
pub(crate) fn point_text(factors: &[Factor], values: &[toml::Value]) -> String {
    factors
        .iter()
        .zip(values)
        .map(|(f, v)| format!("{}={}", f.path, display_value(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which of a sweep's `n` points `at` are, in words, for a warning about them: "at all 6
/// points of the sweep", those of some factors' values ("at 4 of the 8 points of the sweep:
/// those with inflow.rate_per_day = 4000 or 5000"), or up to three of them and how many more
/// ("at 5 of the 9 points of the sweep: (a=1, b=2), (a=2, b=3), (a=3, b=1) and 2 more").
pub(crate) fn points_named(factors: &[Factor], n: usize, at: &[&[toml::Value]]) -> String {
    let k = at.len();
    // Each factor's values at the points named, in the sweep's order.
    let values_at: Vec<Vec<&toml::Value>> = factors
        .iter()
        .enumerate()
        .map(|(i, f)| {
            f.values
                .iter()
                .filter(|v| at.iter().any(|p| p.get(i) == Some(*v)))
                .collect()
        })
        .collect();
    let sub_grid = values_at.iter().map(Vec::len).product::<usize>() == k;
    if k == n {
        format!("at all {n} points of the sweep")
    } else if sub_grid {
        // The points of some factors' values (with any values of the others).
        let named: Vec<String> = factors
            .iter()
            .zip(&values_at)
            .filter(|(f, vs)| vs.len() < f.values.len())
            .map(|(f, vs)| {
                let vs: Vec<String> = vs.iter().map(|v| display_value(v)).collect();
                format!("{} = {}", f.path, crate::format::word_list(&vs, "or"))
            })
            .collect();
        format!(
            "at {k} of the {n} points of the sweep: those with {}",
            crate::format::word_list(&named, "and")
        )
    } else {
        let listed: Vec<String> = at
            .iter()
            .take(3)
            .map(|p| format!("({})", point_text(factors, p)))
            .collect();
        let more = if k > 3 {
            format!(" and {} more", k - 3)
        } else {
            String::new()
        };
        format!(
            "at {k} of the {n} points of the sweep: {}{more}",
            listed.join(", ")
        )
    }
}

/// The warning of a sweep whose replications reached the horizon before clearing at some of
/// its points ([`sweep::censored_kpis_warning`]), naming those points; `None` when none did.
fn censored_warning(factors: &[Factor], rows: &[SweepRow]) -> Option<String> {
    let cut: Vec<&SweepRow> = rows.iter().filter(|r| r.censored > 0).collect();
    if cut.is_empty() {
        return None;
    }
    let at: Vec<&[toml::Value]> = cut.iter().map(|r| r.values.as_slice()).collect();
    Some(sweep::censored_kpis_warning(
        &points_named(factors, rows.len(), &at),
        cut.iter().map(|r| r.censored).sum(),
        cut.iter().map(|r| r.replications).sum(),
    ))
}

/// The first of `set` (the `--set` values) that a factor varying `path` replaces at every value
/// it takes: the same setting of `table`, under its name or another (`port[P].quota_per_day`,
/// `port[1].quota_per_day`), or a part of the setting the factor varies whole. A `--set` of a
/// whole setting of which the factor varies a part (`port[P].ramp` beside `port[P].ramp.from`)
/// still sets its other parts, and is not one. (`sensitivity` and `target` refuse such a
/// `--set` with it too.)
pub(super) fn set_replaced<'a>(
    table: &toml::Table,
    path: &str,
    set: &'a [scenario::Override],
) -> Option<&'a scenario::Override> {
    use scenario::overrides::setting_of;
    let varied = setting_of(table, path);
    set.iter().find(|o| {
        let given = setting_of(table, &o.path);
        given == varied
            || given
                .strip_prefix(varied.as_str())
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    })
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// A sweep file (with a [sweep] table) or a scenario file (then give --vary).
    pub file: PathBuf,
    /// A factor: PATH=v1,v2,… (repeatable; added after the sweep file's factors).
    #[arg(long, value_name = "PATH=v1,v2,…", value_parser = scenario::parse_vary)]
    pub vary: Vec<(String, Vec<toml::Value>)>,
    #[command(flatten)]
    pub common: ExpOpts,
    /// Write sweep.csv, sweep_long.csv, the chart, provenance.json and scenario.toml into this
    /// directory (with --shard, the shard instead).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace files in --out that clearance did not write (a scenario.toml of your own);
    /// without it, such a file stops the command before it starts.
    #[arg(long)]
    pub force: bool,
    /// Run only shard i of n of every point's replications (needs --out).
    #[arg(long, value_name = "i/n", requires = "out", conflicts_with = "json")]
    pub shard: Option<Shard>,
    /// The KPI the chart shows, as `target` goals and summary.json name it: clearance_days
    /// (the default), t50_days, t90_days, screening_wait_days, port_wait_days, wait_days:PORT, …
    /// (sweep.csv has them all).
    #[arg(
        long,
        value_name = "KPI",
        default_value = "clearance_days",
        conflicts_with = "shard"
    )]
    pub kpi: String,
}

/// A sweep checked as it is before it runs: its file read, its factors, and the scenario loaded
/// at every point.
pub struct Checked {
    /// The scenario the sweep varies (the sweep file's `scenario`, or FILE itself with --vary).
    pub scenario_path: PathBuf,
    /// That scenario's text, read once.
    pub source: scenario::Source,
    pub factors: Vec<Factor>,
    /// The sweep file's `replications` and `seed`.
    pub replications: Option<u32>,
    pub seed: Option<u64>,
    /// The scenario at every point of the grid, in grid order.
    pub loaded: Vec<scenario::Loaded>,
}

/// Check a sweep without running it: read FILE (a sweep file, or a scenario with `vary`), and
/// name every problem at once, as `sweep` refuses them: the file's, a factor varied twice, a
/// value listed twice, the same setting under two names, a grid too large, the errors of the
/// points' values (the scenario loaded with `set` and each point's values) and two points that
/// are the same scenario. `Err` holds every problem ([`CheckError::text`] is what to print on
/// stderr, each problem on its own `error: …` line). (`validate` checks a sweep file with it.)
pub fn check(
    file: &Path,
    vary: &[(String, Vec<toml::Value>)],
    set: &[scenario::Override],
) -> std::result::Result<Checked, CheckError> {
    let text =
        sweep::read_sweep_text(file).map_err(|e| CheckError::other(file, format!("error: {e}")))?;
    check_text(file, text, vary, set)
}

/// Why a sweep did not pass [`check`]: every problem found, kept apart by where it is.
#[derive(Debug)]
pub struct CheckError {
    /// The sweep file (or scenario with --vary) as named.
    pub file: String,
    /// The problems of the factors, of their values and of the whole grid (their text without
    /// `error: `, each starting with where it was written, `sweep.toml:4:1: `, `--vary: `, when
    /// known), each with the key it is about.
    pub problems: Vec<SweepProblem>,
    /// The scenario's problems at the sweep's points (or the scenario could not be read).
    pub scenario: Option<Box<scenario::ScenarioError>>,
    /// A problem that stopped the check before the others were looked for (the file could not
    /// be read or parsed, is a scenario without --vary, two points are the same scenario), as
    /// printed (`error: …`).
    pub other: Option<String>,
    /// The sweep file's own problems that stopped the check (its keys, settings and factors as
    /// written), one by one with their keys: `other` is their text. Empty for another `other`.
    pub file_problems: Vec<SweepProblem>,
}

impl CheckError {
    /// A problem that stopped the check ([`CheckError::other`]).
    fn other(file: &Path, text: String) -> CheckError {
        CheckError {
            file: file.display().to_string(),
            problems: Vec::new(),
            scenario: None,
            other: Some(text),
            file_problems: Vec::new(),
        }
    }

    /// What to print on stderr: the problems of the factors and of their values together, in
    /// the order of the sweep file's lines; those of `--vary`, of the scenario and of the whole
    /// grid after; then the warnings found beside them. More than
    /// [`scenario::SHOWN_BEFORE_FOLD`] errors (or warnings) are folded into a line that says how
    /// many more there are ([`scenario::fold_entries`]), unless `all`.
    pub fn text(&self, all: bool) -> String {
        if let Some(t) = &self.other {
            return t.clone();
        }
        let mut lines: Vec<String> = self
            .problems
            .iter()
            .map(|p| format!("error: {}", p.text))
            .collect();
        let mut rest = Vec::new();
        match &self.scenario {
            Some(e) if e.kind == scenario::ScenarioErrorKind::Invalid => {
                lines.extend(e.diagnostics.iter().map(|d| d.to_string()));
                rest.extend(e.warnings.iter().map(|w| format!("warning: {w}")));
            }
            Some(e) => rest.push(e.to_string()),
            None => {}
        }
        sweep::sort_by_line(&mut lines, &self.file, |l| {
            l.strip_prefix("error: ").unwrap_or(l)
        });
        let mut lines = scenario::fold_entries(&lines, scenario::Severity::Error, &self.file, all);
        lines.extend(scenario::fold_entries(
            &rest,
            scenario::Severity::Warning,
            &self.file,
            all,
        ));
        lines.join("\n")
    }
}

/// [`check`] of `text`, read from `file` once: FILE is not read again (a pipe or FIFO gives its
/// text once), the scenario a sweep file names is read once for all its points.
pub fn check_text(
    file: &Path,
    text: String,
    vary: &[(String, Vec<toml::Value>)],
    set: &[scenario::Override],
) -> std::result::Result<Checked, CheckError> {
    let spec = sweep::parse_sweep_problems(file, &text).map_err(|ps| {
        let text = ps
            .iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\nerror: ");
        CheckError {
            file_problems: ps,
            ..CheckError::other(file, format!("error: {text}"))
        }
    })?;
    let from_file = spec.is_some();
    let (source, mut factors, spec_reps, spec_seed) = match spec {
        Some(s) => (
            scenario::Source::read(&s.scenario),
            s.factors,
            s.replications,
            s.seed,
        ),
        None => (
            Ok(scenario::Source::from_text(file, text)),
            Vec::new(),
            None,
            None,
        ),
    };
    factors.extend(vary.iter().map(|(p, v)| Factor {
        path: p.clone(),
        values: v.clone(),
        origin: "--vary".into(),
    }));
    if factors.is_empty() {
        return Err(CheckError::other(
            file,
            format!(
                "error: {} is a scenario, not a sweep file: say what to vary with --vary \
                 PATH=v1,v2,…",
                file.display()
            ),
        ));
    }
    // Every problem of the factors (a path varied twice, a value listed twice, the same
    // setting under two names, a grid too large) and of their values, named together: one run
    // names every problem of the file and the command line.
    let mut problems = sweep::factor_problems_keyed(&factors);
    // The same setting under two names (`port[P].…` and `port[1].…`): one would set its value
    // over the other's at every point. Each path once (one written twice is named above).
    if let Some(base) = source.as_ref().ok().and_then(|src| src.load_with(set).ok()) {
        let mut left: Vec<usize> = (0..factors.len())
            .filter(|&j| !factors[..j].iter().any(|g| g.path == factors[j].path))
            .collect();
        loop {
            let paths: Vec<&str> = left.iter().map(|&k| factors[k].path.as_str()).collect();
            let Some((i, j, same)) = scenario::overrides::varied_twice(&base.table, &paths) else {
                break;
            };
            let (what, fix) = match same {
                true => (
                    "is the same setting as",
                    "vary it once, with all its values in one list",
                ),
                false => (
                    "overlaps (one holds the other)",
                    "vary one of them: the one would set a part of the other at every point",
                ),
            };
            let (first, second) = (&factors[left[i]], &factors[left[j]]);
            problems.push(SweepProblem {
                text: format!(
                    "{}: {} {what} {} ({}): {fix}",
                    second.origin, second.path, first.path, first.origin
                ),
                key: Some(second.path.clone()),
            });
            left.remove(j);
        }
        // A --set of a setting a factor varies: the factor's values replace it at every point,
        // so no point runs with it, though the table, the chart and provenance.json would name
        // it. Each factor once.
        let mut seen: Vec<&str> = Vec::new();
        for f in &factors {
            if seen.contains(&f.path.as_str()) {
                continue;
            }
            seen.push(&f.path);
            if let Some(o) = set_replaced(&base.table, &f.path, set) {
                problems.push(SweepProblem {
                    text: format!(
                        "{}: {} is also given by --set {o}, which its values replace at every \
                         point (no point runs with it): drop the --set, or add its value to the \
                         factor's",
                        f.origin, f.path
                    ),
                    key: Some(f.path.clone()),
                });
            }
        }
    }
    // The grid's size before it is built: every point is loaded and kept. Too large, its
    // points are not loaded (their values' errors are not looked for).
    let loaded =
        match sweep::grid_size(&factors) {
            Err(e) => {
                // (the sweep as a whole: `[sweep]` of a sweep file)
                problems.push(SweepProblem {
                    text: e,
                    key: from_file.then(|| "sweep".to_string()),
                });
                None
            }
            Ok(_) => Some(source.and_then(|src| {
                sweep::load_points(&src, set, &factors).map(|loaded| (src, loaded))
            })),
        };
    let (source, loaded) = match loaded {
        Some(Ok(l)) if problems.is_empty() => l,
        loaded => {
            return Err(CheckError {
                file: file.display().to_string(),
                problems,
                scenario: match loaded {
                    Some(Err(e)) => Some(Box::new(e)),
                    _ => None,
                },
                other: None,
                file_problems: Vec::new(),
            });
        }
    };
    // Values written differently but meaning the same (`1w` and `7d`) make the same point:
    // the resolved scenarios (their warnings and the overrides they were loaded with aside) are
    // compared.
    let fingerprints: Vec<String> = loaded
        .iter()
        .map(|l| {
            let mut s = l.scenario.clone();
            s.warnings.clear();
            s.loaded = None;
            format!("{s:?}")
        })
        .collect();
    let points = sweep::grid(&factors);
    // (by hash: comparing every pair took 5·10^7 comparisons of long texts at 10,000 points)
    let mut first: std::collections::HashMap<&String, usize> = Default::default();
    for (j, f) in fingerprints.iter().enumerate() {
        if let Some(&i) = first.get(f) {
            return Err(CheckError::other(
                file,
                format!(
                    "error: the sweep's points {} and {} are the same scenario: give each value \
                     once",
                    point_text(&factors, &points[i]),
                    point_text(&factors, &points[j])
                ),
            ));
        }
        first.insert(f, j);
    }
    Ok(Checked {
        scenario_path: source.path().to_path_buf(),
        source,
        factors,
        replications: spec_reps,
        seed: spec_seed,
        loaded,
    })
}

pub fn cmd(args: &SweepArgs) -> Result<ExitCode> {
    let checked = match check(&args.file, &args.vary, &args.common.set) {
        Ok(c) => c,
        Err(e) => {
            errln!("{}", e.text(false));
            return Ok(ExitCode::from(2));
        }
    };
    let Checked {
        scenario_path,
        source,
        factors,
        replications: spec_reps,
        seed: spec_seed,
        loaded,
    } = checked;
    if let Err(e) = crate::experiment::kpi::check_kpi(&loaded[0].scenario, &args.kpi) {
        usage!("{e}");
    }
    super::print_warnings(loaded.iter().flat_map(|l| &l.scenario.warnings));
    let mut scns: Vec<_> = loaded.iter().map(|l| l.scenario.clone()).collect();
    let seed = args.common.seed.or(spec_seed).unwrap_or(scns[0].seed);
    let reps = args
        .common
        .replications
        .or(spec_reps)
        .unwrap_or(scns[0].replications);
    for s in &mut scns {
        s.seed = seed;
        s.replications = reps;
    }
    // How it was made, for provenance.json, scenario.toml and the JSON's heading (and for a
    // shard, its store, from which the merge writes them): the scenario before the factors,
    // the sweep file, seed, replications, --set and the factors with their values.
    let base = source.load_with(&args.common.set)?;
    let (mut prov, scenario_text) = provenance::Provenance::of(
        "sweep",
        &scenario_path.display().to_string(),
        &base,
        provenance::overrides(&args.common.set),
        (seed, reps),
        factor_provenance(&factors),
    )?;
    if scenario_path != args.file {
        prov.sweep_file = Some(args.file.display().to_string());
    }
    let refs: Vec<_> = scns.iter().collect();
    args.common.check_memory(&refs)?;
    let mut opts = args.common.run_options();
    opts.replications = None;
    opts.seed = None;
    // Each point's records go to a temporary file, unless there is no room for them all.
    let per_point = args.shard.map_or(reps as usize, |s| s.range(reps).len());
    if let Err(e) = crate::experiment::records::can_spill(&refs, per_point) {
        super::note_records_in_memory(&e);
        opts.in_memory = true;
    }
    if let Some(dir) = &args.out {
        super::prepare_out(dir, "the output directory is not usable")?;
        let names = ["sweep.csv", "sweep_long.csv", "sweep.png", "sweep.svg"]
            .into_iter()
            .chain([store::SWEEP_META, store::LINES, store::DAILY])
            .chain([provenance::FILE, provenance::SCENARIO])
            .map(String::from)
            .collect::<Vec<_>>();
        super::refuse_replacing_inputs(dir, &names)?;
        // A shard writes its store, the sweep its table, chart and provenance.
        let writes: Vec<String> = match args.shard {
            Some(_) => [store::SWEEP_META, store::LINES].map(String::from).to_vec(),
            None => names
                .into_iter()
                .filter(|n| n != store::SWEEP_META && n != store::LINES && n != store::DAILY)
                .collect(),
        };
        super::guard::refuse_foreign_outputs(dir, &writes, args.force)?;
    }
    if let Some(shard) = args.shard {
        let dir = args.out.as_ref().context("--shard needs --out DIR")?;
        let range = shard.range(reps);
        let per = sweep::run_points(&refs, range.clone(), &opts)?;
        let mut meta = sweep_meta(
            &scenario_path,
            &loaded,
            &factors,
            seed,
            reps,
            Some(shard),
            range.clone(),
        )?;
        // The values set on the command line, as a run's store names them (a merge's table
        // and chart give them), and the scenario before the factors with where the sweep was
        // given (a merge's provenance.json and scenario.toml).
        meta.overrides = prov.overrides.clone();
        meta.base = Some(SweepBase {
            scenario_toml: toml::to_string(&base.table).context("could not encode the scenario")?,
            fingerprint: scenario::fingerprint(&base.table),
            sweep_file: prov.sweep_file.clone(),
            origins: factors.iter().map(|f| f.origin.clone()).collect(),
        });
        store::write_points(dir, &meta, &per)?;
        // In place now, before what an earlier command left beside it is removed or named.
        crate::output::commit_staged()?;
        super::remove_other_store(dir, "sweep");
        let written = [store::SWEEP_META, store::LINES].map(String::from);
        super::note_left_over(
            dir,
            &written,
            "this shard",
            &format!(
                " (`clearance merge` reads only the shard's store: {})",
                written.join(", ")
            ),
        );
        status!(
            "shard {shard}: {} at each of {} points written to {}",
            shard.describe(reps),
            scns.len(),
            dir.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let per = sweep::run_points(&refs, 0..reps, &opts)?;
    let rows = sweep::rows(&factors, &refs, &per).context("could not read back the records")?;
    let mut written = report_kpi(
        &scns[0].name,
        &factors,
        &rows,
        &prov,
        args.common.json,
        args.out.as_deref(),
        &args.kpi,
    )?;
    if let Some(dir) = &args.out {
        write_provenance(dir, &prov, &scenario_text, args.common.json)?;
        // What an earlier run or sweep left beside these (a run's summary.json and report,
        // which `clearance report DIR` would describe, or the chart of a sweep of one or two
        // factors beside one of three) is named, as a run names it.
        written.extend([provenance::FILE, provenance::SCENARIO].map(String::from));
        super::note_left_over(dir, &written, "this sweep", "");
    }
    Ok(ExitCode::SUCCESS)
}

/// The factors as provenance.json names them: path, values as TOML text, where given.
pub fn factor_provenance(factors: &[Factor]) -> Vec<provenance::FactorProvenance> {
    factors
        .iter()
        .map(|f| provenance::FactorProvenance {
            path: f.path.clone(),
            values: provenance::values(&f.values),
            origin: f.origin.clone(),
        })
        .collect()
}

/// Write `provenance.json` and `scenario.toml` (`scenario_text`) into `dir`, saying so unless
/// the JSON is printed.
pub fn write_provenance(
    dir: &Path,
    prov: &provenance::Provenance,
    scenario_text: &str,
    json: bool,
) -> Result<()> {
    prov.write(dir, scenario_text)?;
    if !json {
        status!(
            "wrote {} and {}",
            dir.join(provenance::FILE).display(),
            dir.join(provenance::SCENARIO).display()
        );
    }
    Ok(())
}

/// The identity of a sweep (for shards).
pub fn sweep_meta(
    scenario_path: &Path,
    loaded: &[scenario::Loaded],
    factors: &[Factor],
    seed: u64,
    reps: u32,
    shard: Option<Shard>,
    range: std::ops::Range<u32>,
) -> Result<Meta> {
    let points = loaded
        .iter()
        .zip(sweep::grid(factors))
        .map(|(l, values)| {
            Ok(PointMeta {
                values: values.iter().map(|v| v.to_string()).collect(),
                scenario_toml: toml::to_string(&l.table)?,
                fingerprint: scenario::fingerprint(&l.table),
            })
        })
        .collect::<Result<Vec<_>, toml::ser::Error>>()?;
    // The points' warnings, each once, as the sweep printed them.
    let mut warnings: Vec<String> = Vec::new();
    for w in loaded.iter().flat_map(|l| &l.scenario.warnings) {
        if !warnings.contains(w) {
            warnings.push(w.clone());
        }
    }
    Ok(Meta {
        format: store::FORMAT.into(),
        clearance_version: env!("CARGO_PKG_VERSION").into(),
        results_version: Some(crate::RESULTS_VERSION),
        kind: "sweep".into(),
        scenario_file: scenario_path.display().to_string(),
        scenario_toml: points[0].scenario_toml.clone(),
        overrides: Vec::new(),
        fingerprint: points
            .iter()
            .map(|p| p.fingerprint.as_str())
            .collect::<Vec<_>>()
            .join("+"),
        seed,
        replications: reps,
        shard,
        first: range.start,
        end: range.end,
        factors: factors.iter().map(|f| f.path.clone()).collect(),
        points,
        // Set by the caller.
        base: None,
        // A sweep reports no performance.
        wall_seconds: 0.0,
        threads: 0,
        // Set as the store is written.
        lines_digest: String::new(),
        daily_digest: String::new(),
        warnings: Some(warnings),
    })
}

/// `sweep --json` (and a merged sweep's): how the sweep was made, as `provenance.json` says
/// it, then its points.
#[derive(Serialize)]
struct SweepJson<'a> {
    clearance_version: &'a str,
    scenario: &'a provenance::ScenarioProvenance,
    #[serde(skip_serializing_if = "Option::is_none")]
    sweep_file: Option<&'a str>,
    seed: u64,
    replications: u32,
    overrides: &'a [String],
    factors: &'a [provenance::FactorProvenance],
    points: Vec<serde_json::Value>,
}

/// Print the table (or JSON) and write sweep.csv, sweep_long.csv and the chart. `prov` says
/// how the sweep was made: the JSON starts with it, and its `--set` values (`overrides`) are
/// named above the table and in the chart's subtitle. The warning that replications reached the
/// horizon at some points (`censored_warning`) and that no chart is drawn go to stderr, with
/// `--json` too. Returns the names of the files written into `out` (the chart's only when one
/// was drawn), for the note on what an earlier command left there.
pub fn report(
    name: &str,
    factors: &[Factor],
    rows: &[SweepRow],
    prov: &provenance::Provenance,
    json: bool,
    out: Option<&Path>,
) -> Result<Vec<String>> {
    report_kpi(name, factors, rows, prov, json, out, "clearance_days")
}

/// [`report`] with a chart of KPI `kpi` (`sweep --kpi`) in place of clearance.
fn report_kpi(
    name: &str,
    factors: &[Factor],
    rows: &[SweepRow],
    prov: &provenance::Provenance,
    json: bool,
    out: Option<&Path>,
    kpi: &str,
) -> Result<Vec<String>> {
    let overrides = &prov.overrides;
    // Figures at points cut off by the horizon, on stderr beside the scenario's warnings (as
    // `run`, `compare` and `sensitivity` give theirs), whatever the format.
    super::print_warnings(&censored_warning(factors, rows));
    if json {
        let points: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                let mut m = serde_json::Map::new();
                let vals: serde_json::Map<String, serde_json::Value> = factors
                    .iter()
                    .zip(&r.values)
                    .map(|(f, v)| {
                        (
                            f.path.clone(),
                            serde_json::to_value(v).unwrap_or(serde_json::Value::Null),
                        )
                    })
                    .collect();
                m.insert("point".into(), vals.into());
                m.insert("replications".into(), r.replications.into());
                m.insert("censored".into(), r.censored.into());
                m.insert("last_cleared_days".into(), r.last_cleared().into());
                let (p50, p90) = r.clearance_censored();
                m.insert("clearance_p50_censored".into(), p50.into());
                m.insert("clearance_p90_censored".into(), p90.into());
                // Calendar dates of the times since day 0, as sweep_long.csv's `date`.
                m.insert(
                    "start_date".into(),
                    r.start_date.format("%Y-%m-%d").to_string().into(),
                );
                m.insert(
                    "dates".into(),
                    serde_json::to_value(r.dates()).unwrap_or(serde_json::Value::Null),
                );
                for (k, s) in &r.kpis {
                    m.insert(
                        k.clone(),
                        serde_json::to_value(s).unwrap_or(serde_json::Value::Null),
                    );
                }
                serde_json::Value::Object(m)
            })
            .collect();
        let v = SweepJson {
            clearance_version: prov.clearance_version,
            scenario: &prov.scenario,
            sweep_file: prov.sweep_file.as_deref(),
            seed: prov.seed,
            replications: prov.replications,
            overrides,
            factors: &prov.factors,
            points,
        };
        out!("{}", to_json(&v)?);
    } else {
        // What was run, as sensitivity heads its table: the scenario, the replications and the
        // seed every point runs with, and the --set values.
        outln!(
            "{name} · {} per point · seed {} (same seeds at every point){}",
            crate::format::counted(prov.replications.into(), "replication", "replications"),
            prov.seed,
            if overrides.is_empty() {
                String::new()
            } else {
                format!(" · with --set {}", overrides.join(", "))
            }
        );
        super::to_stdout(|o| print_table(o, factors, rows))?;
    }
    let mut written: Vec<String> = Vec::new();
    if let Some(dir) = out {
        let csv = sweep::sweep_csv(factors, rows)?;
        crate::output::atomic_write(&dir.join("sweep.csv"), &csv)?;
        let long = sweep::sweep_long_csv(factors, rows)?;
        crate::output::atomic_write(&dir.join("sweep_long.csv"), &long)?;
        written.extend(["sweep.csv", "sweep_long.csv"].map(String::from));
        if !json {
            status!("wrote {}", dir.join("sweep.csv").display());
            status!("wrote {}", dir.join("sweep_long.csv").display());
        }
        match chart(dir, name, factors, rows, prov.seed, overrides, kpi) {
            Ok(files) => {
                for f in files {
                    if !json {
                        status!("wrote {}", f.display());
                    }
                    if let Some(n) = f.file_name() {
                        written.push(n.to_string_lossy().into_owned());
                    }
                }
            }
            // On stderr with --json too: without it, a chart an earlier sweep left in the
            // directory would stand beside these CSVs unexplained.
            Err(e) => errln!("warning: no chart: {e:#}"),
        }
    }
    Ok(written)
}

fn print_table(w: &mut impl Write, factors: &[Factor], rows: &[SweepRow]) -> std::io::Result<()> {
    // One column per factor (as wide as its path or its widest value), then the figures.
    let mut cols: Vec<Col> = factors.iter().map(|_| Col::left(0)).collect();
    cols.extend([
        Col::right(5),
        Col::right(3),
        Col::right(8),
        Col::right(18),
        Col::right(7),
        Col::right(7),
        Col::right(7),
        Col::right(7),
        Col::right(8),
    ]);
    let mut t = Table::new("  ", &cols);
    t.row(
        factors.iter().map(|f| f.path.clone()).chain(
            [
                "n",
                "cens",
                "clear.mean",
                "95% CI",
                "P50",
                "P90",
                "t50",
                "t90",
                "processed",
            ]
            .map(String::from),
        ),
    );
    for r in rows {
        let c = r.kpi("clearance_days");
        // Figures that count replications stopped at the horizon are lower bounds: "≥" (the
        // mean whenever any replication was censored, and of its interval only the lower end,
        // a one-sided bound: the upper end bounds nothing).
        let ge = if r.censored > 0 { "≥" } else { "" };
        // People processed by the horizon only, where it stopped replications (as the run's
        // table marks them; the warning on stderr says how they lean).
        let cut = if r.censored > 0 { CUT_MARK } else { "" };
        let ci = c
            .and_then(|c| {
                Some(if r.censored > 0 {
                    // Lower bounds rounded down, as the run's table prints them.
                    format!("≥{:.1}", crate::format::round_down(c.stat.ci95_low?, 1))
                } else {
                    format!("[{:.1} – {:.1}]", c.stat.ci95_low?, c.stat.ci95_high?)
                })
            })
            .unwrap_or("–".into());
        let q = |x: Option<f64>| match x {
            Some(x) if r.is_censored_clearance(x) => {
                format!("≥{}", num(Some(crate::format::round_down(x, 1)), 1))
            }
            x => num(x, 1),
        };
        // A milestone's mean over fewer replications than the point ran is marked "*".
        let milestone = |k: &str| match r.kpi(k) {
            Some(c) if c.stat.n < r.replications => {
                format!("{}*", num(Some(c.stat.mean), 1))
            }
            c => num(c.map(|c| c.stat.mean), 1),
        };
        t.row(
            r.values.iter().map(display_value).chain([
                r.replications.to_string(),
                r.censored.to_string(),
                format!(
                    "{ge}{}",
                    num(
                        c.map(|c| match r.censored > 0 {
                            true => crate::format::round_down(c.stat.mean, 1),
                            false => c.stat.mean,
                        }),
                        1
                    )
                ),
                ci,
                q(c.map(|c| c.stat.p50)),
                q(c.map(|c| c.p90)),
                milestone("t50_days"),
                milestone("t90_days"),
                r.kpi("processed")
                    .map(|c| format!("{}{cut}", crate::format::fmt_int(c.stat.mean)))
                    .unwrap_or_else(|| "–".into()),
            ]),
        );
    }
    t.write(w)?;
    writeln!(
        w,
        "  (clearance and milestones in days; t50/t90 means over replications that reached them{}{})",
        if rows.iter().any(|r| ["t50_days", "t90_days"]
            .iter()
            .any(|k| r.kpi(k).is_some_and(|c| c.stat.n < r.replications)))
        {
            "; *: not every replication of the point reached it (sweep.csv has the count)"
        } else {
            ""
        },
        if rows.iter().any(|r| r.censored > 0) {
            "; ≥: counts replications stopped at the horizon, a lower bound"
        } else {
            ""
        }
    )?;
    // Which statistic the last column is: a mean, as clear.mean, t50 and t90 are.
    writeln!(
        w,
        "  (processed: mean people of the backlog and phases processed per replication)"
    )?;
    if rows.iter().any(|r| r.censored > 0) {
        writeln!(
            w,
            "  ({CUT_MARK}: only the people processed by the horizon, at points where it stopped \
             replications: see the warning)"
        )?;
    }
    Ok(())
}

/// Line chart (one factor) or heatmap of P90 clearance (two factors); none for more. Of KPI
/// `kpi` in place of clearance when it is another (`sweep --kpi`): its figures over the
/// replications that measured it, as sweep.csv gives them (none is a lower bound).
fn chart(
    dir: &Path,
    name: &str,
    factors: &[Factor],
    rows: &[SweepRow],
    seed: u64,
    overrides: &[String],
    kpi: &str,
) -> Result<Vec<PathBuf>> {
    let get = |r: &SweepRow, f: &dyn Fn(&crate::experiment::kpi::KpiStat) -> f64| {
        r.kpi(kpi).map(f).unwrap_or(f64::NAN)
    };
    let clearance = kpi == "clearance_days";
    // Whether a point's figure is a lower bound: clearance's, pulled up by runs stopped at the
    // horizon; another KPI's figures are over the replications that measured it.
    let bound = |r: &SweepRow, v: f64| clearance && r.is_censored_clearance(v);
    let censored = |r: &SweepRow| clearance && r.censored > 0;
    let words = crate::experiment::kpi::kpi_words(kpi);
    let unit = crate::experiment::kpi::kpi_unit(kpi).unwrap_or("days");
    // "Clearance" as the titles have it; another KPI as named.
    let title_words = if clearance {
        "Clearance".to_string()
    } else {
        words.clone()
    };
    let subtitle = sweep_subtitle(name, rows, seed, overrides);
    // What a point without a value means: a milestone no run reached by the horizon, or a
    // KPI no replication measured.
    let missing = if crate::experiment::kpi::TIMES_SINCE_START.contains(&kpi) {
        format!("no run reached {words} by the horizon")
    } else {
        format!("no replication measured {words}")
    };
    match factors.len() {
        1 => {
            let numeric: Option<Vec<f64>> = rows
                .iter()
                .map(|r| match &r.values[0] {
                    toml::Value::Integer(i) => Some(*i as f64),
                    toml::Value::Float(x) => Some(*x),
                    _ => None,
                })
                .collect();
            // Durations ("0d", "12h", "2w") are placed at their length, so that uneven steps
            // look uneven and the axis carries the unit: days, or minutes or hours when every
            // value is shorter than a day (20 minutes had been 0.014 days).
            let scale = duration_unit(&factors[0]).map_or(1.0, |(_, s)| s);
            let durations = in_days(rows.iter().map(|r| &r.values[0]))
                .map(|v| v.into_iter().map(|d| d * scale).collect());
            let x_label = factor_label(&factors[0]);
            let (xs, names) = match numeric.or(durations) {
                Some(xs) => (xs, None),
                None => (
                    (0..rows.len()).map(|i| i as f64).collect(),
                    Some(value_names(
                        &rows.iter().map(|r| r.values[0].clone()).collect::<Vec<_>>(),
                    )),
                ),
            };
            // Where no run cleared (every replication stopped at the horizon), the figures are
            // the horizon: no line reaches them, an arrow up from the horizon marks them.
            let none: Vec<bool> = rows.iter().map(no_run_cleared).collect();
            let horizons: Vec<f64> = rows
                .iter()
                .filter(|r| no_run_cleared(r))
                .map(|r| r.horizon_days)
                .collect();
            let horizon = horizons
                .first()
                .copied()
                .filter(|h| horizons.iter().all(|x| x == h));
            Ok(experiment_charts::line_chart(
                &dir.join("sweep"),
                &LineData {
                    title: format!("{title_words} over the sweep"),
                    subtitle,
                    no_run_cleared: if clearance { none } else { Vec::new() },
                    horizon: horizon.filter(|_| clearance),
                    missing,
                    x_label,
                    y_label: format!("{title_words} [{unit}]"),
                    xs,
                    x_names: names,
                    lower_bounds: vec![
                        rows.iter().map(censored).collect(),
                        rows.iter()
                            .map(|r| bound(r, get(r, &|k| k.stat.p50)))
                            .collect(),
                        rows.iter().map(|r| bound(r, get(r, &|k| k.p90))).collect(),
                    ],
                    // The 95% CI of the mean (MODEL.md's t interval, `clearance_days_ci95_*`
                    // of sweep.csv) as whiskers on the mean; where replications were censored
                    // the mean is a lower bound, and so its interval is one-sided, at least
                    // its lower end (as the tables show it). P50 and P90 have no interval.
                    intervals: vec![rows
                        .iter()
                        .map(|r| {
                            let s = &r.kpi(kpi)?.stat;
                            let (lo, hi) = (s.ci95_low?, s.ci95_high?);
                            Some((lo, if censored(r) { f64::INFINITY } else { hi }))
                        })
                        .collect()],
                    interval_labels: vec![Some(
                        if rows.iter().any(censored) {
                            "95% CI of the mean (at ≥ points its lower end)"
                        } else {
                            "95% CI of the mean"
                        }
                        .into(),
                    )],
                    series: vec![
                        (
                            format!("Mean {words}"),
                            rows.iter().map(|r| get(r, &|k| k.stat.mean)).collect(),
                        ),
                        (
                            format!("P50 {words}"),
                            rows.iter().map(|r| get(r, &|k| k.stat.p50)).collect(),
                        ),
                        (
                            format!("P90 {words}"),
                            rows.iter().map(|r| get(r, &|k| k.p90)).collect(),
                        ),
                    ],
                },
            )?)
        }
        2 => {
            // Each cell is the row of its two values, wherever it is: a merged sweep's points
            // are those stored, which need not be the whole grid in grid order.
            let at: std::collections::HashMap<(String, String), &SweepRow> = rows
                .iter()
                .filter_map(|r| match &r.values[..] {
                    [a, b] => Some(((a.to_string(), b.to_string()), r)),
                    _ => None,
                })
                .collect();
            // Rows and columns in order of value on a numeric or duration factor (200, 50, 100
            // had been the rows from the bottom up), as given otherwise.
            let (ys, xs) = (sorted_values(&factors[0]), sorted_values(&factors[1]));
            let cells: Option<Vec<Vec<&SweepRow>>> = ys
                .iter()
                .map(|a| {
                    xs.iter()
                        .map(|b| at.get(&(a.to_string(), b.to_string())).copied())
                        .collect()
                })
                .collect();
            let Some(cells) = cells else {
                return Err(anyhow::anyhow!(
                    "the {} points are not every combination of the factors' values ({} × {}), \
                     which a heatmap needs",
                    rows.len(),
                    factors[0].values.len(),
                    factors[1].values.len()
                ));
            };
            let z: Vec<Vec<f64>> = cells
                .iter()
                .map(|row| row.iter().map(|r| get(r, &|k| k.p90)).collect())
                .collect();
            let lower_bounds: Vec<Vec<bool>> = cells
                .iter()
                .zip(&z)
                .map(|(row, zs)| row.iter().zip(zs).map(|(r, z)| bound(r, *z)).collect())
                .collect();
            Ok(experiment_charts::heatmap(
                &dir.join("sweep"),
                &HeatData {
                    title: format!("P90 {words} over the sweep"),
                    subtitle,
                    x_label: factor_label(&factors[1]),
                    y_label: factor_label(&factors[0]),
                    z_label: format!("P90 {words} [{unit}]"),
                    z_unit: unit.into(),
                    noise: ci_half_width(rows, kpi),
                    noise_of: noise_of(rows, &words),
                    x_names: axis_names(&factors[1], &xs),
                    y_names: axis_names(&factors[0], &ys),
                    z,
                    lower_bounds,
                    missing,
                },
            )?)
        }
        _ => Err(anyhow::anyhow!(
            "a chart is drawn for one or two factors only"
        )),
    }
}

/// "scenario · 30 replications per point · seed 7" (as sensitivity's tornado gives its seed),
/// with the `--set` overrides as the run charts name them (as many as fit on the subtitle's
/// line, the others counted) and the censored replications if any.
fn sweep_subtitle(name: &str, rows: &[SweepRow], seed: u64, overrides: &[String]) -> String {
    let reps = rows.iter().map(|r| r.replications).max().unwrap_or(0);
    let rest = format!(
        " · {reps} replication{} per point · seed {seed}",
        if reps == 1 { "" } else { "s" }
    );
    // The `--set` values are named within the line's room before the censoring phrase, whose
    // longer wording below would otherwise have had them counted ("with 1 --set value") rather
    // than named; a subtitle longer than a line goes on to a second one.
    let mut s = crate::output::charts::subtitle_with_set(name, overrides, &rest);
    // The censored runs out of all the points' runs, and at how many points: "90 censored"
    // over four points of 40 had read as 90 of 40.
    let cens: u64 = rows.iter().map(|r| r.censored).sum();
    if cens > 0 {
        let runs: u64 = rows.iter().map(|r| r.replications).sum();
        let at = rows.iter().filter(|r| r.censored > 0).count();
        s.push_str(&format!(
            " · {cens} of {} runs (at {at} of {} point{}) censored at the horizon",
            crate::format::fmt_int(runs as f64),
            rows.len(),
            if rows.len() == 1 { "" } else { "s" }
        ));
    }
    s
}

/// Mean over the points of the 95% CI half-width of the mean of `kpi` [its unit]: the heatmap's
/// sampling uncertainty of a cell. The cells show the P90, whose sampling error is larger than
/// the mean's, so this understates the noise and widens the colour scale the less. Only the
/// points where no replication was stopped by the horizon count: at the others the figures
/// count runs at the horizon (a point where none cleared has a half-width of 0), which had
/// pulled the mean down (±0.3 days for the one uncensored point's ±0.7); `None` without any.
fn ci_half_width(rows: &[SweepRow], kpi: &str) -> Option<f64> {
    let w: Vec<f64> = rows
        .iter()
        .filter(|r| r.censored == 0)
        .filter_map(|r| r.kpi(kpi)?.stat.ci95_half_width())
        .filter(|w| w.is_finite())
        .collect();
    (!w.is_empty()).then(|| w.iter().sum::<f64>() / w.len() as f64)
}

/// What the heatmap's [`ci_half_width`] is the half-width of, in words ("the 95% CI of the mean
/// clearance; that of a P90 is wider"), naming the points it is over when some were left out
/// for runs stopped by the horizon, or why there is none.
fn noise_of(rows: &[SweepRow], words: &str) -> String {
    let whole = rows.iter().filter(|r| r.censored == 0).count();
    if whole == 0 {
        format!("no 95% CI of the mean {words}: every point had runs stopped by the horizon")
    } else if whole < rows.len() {
        format!(
            "the 95% CI of the mean {words} over the {whole} of {} points where every run \
             cleared; that of a P90 is wider",
            rows.len()
        )
    } else {
        format!("the 95% CI of the mean {words}; that of a P90 is wider")
    }
}

/// Longest tick label of a list value \[characters\]: a longer one is cut, with an ellipsis.
const LIST_LABEL: usize = 12;

/// The values' tick labels: each as written, but a list short enough for an axis: weekdays as
/// ranges (`["Mon","Tue","Wed","Thu","Fri"]` → "Mon–Fri", `["Sat","Sun"]` → "Sat, Sun"),
/// opening hours as one (`["08:00","18:00"]` → "08:00–18:00"), any
/// other list its items without quotes or brackets, cut after [`LIST_LABEL`] characters with
/// "…". Labels that end up alike are told apart by their place in the list ("#2 a, b, c, d…").
fn value_names(values: &[toml::Value]) -> Vec<String> {
    let short: Vec<String> = values.iter().map(value_name).collect();
    short
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let alike = short.iter().filter(|m| *m == n).count() > 1;
            let list = matches!(values[i], toml::Value::Array(_));
            if alike && list {
                format!("#{} {n}", i + 1)
            } else {
                n.clone()
            }
        })
        .collect()
}

/// One value's tick label (see [`value_names`]).
fn value_name(v: &toml::Value) -> String {
    let toml::Value::Array(items) = v else {
        return display_value(v);
    };
    let texts: Vec<String> = items.iter().map(display_value).collect();
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let all_days = items.iter().all(|i| i.is_str());
    if let Some(days) = all_days
        .then(|| crate::scenario::units::weekdays_in_list(&texts))
        .flatten()
        .filter(|d| !d.is_empty())
    {
        let mut set = [false; 7];
        for d in days {
            if let Some(k) = DAYS.iter().position(|x| *x == d) {
                set[k] = true;
            }
        }
        return crate::scenario::units::days_text(&set);
    }
    // Opening hours: "08:00–18:00".
    if let [a, b] = &texts[..] {
        let time = |t: &str| crate::scenario::units::parse_time_of_day(t).is_ok();
        if items.iter().all(|i| i.is_str()) && time(a) && time(b) {
            return format!("{a}–{b}");
        }
    }
    let text = texts.join(", ");
    if text.chars().count() <= LIST_LABEL {
        text
    } else {
        let cut: String = text.chars().take(LIST_LABEL - 1).collect();
        format!("{}…", cut.trim_end_matches([',', ' ']))
    }
}

/// Whether no run cleared at a point: every replication stopped at the horizon.
fn no_run_cleared(r: &SweepRow) -> bool {
    r.replications > 0 && r.censored == r.replications
}

/// A factor's values in order of value when they are all numbers or all durations (an axis
/// of values reads in order), else as given.
fn sorted_values(factor: &Factor) -> Vec<toml::Value> {
    let key = |v: &toml::Value| match v {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(x) => Some(*x),
        _ => None,
    };
    let keys: Option<Vec<f64>> = factor
        .values
        .iter()
        .map(key)
        .collect::<Option<Vec<f64>>>()
        .or_else(|| in_days(factor.values.iter()));
    let mut values = factor.values.clone();
    if let Some(k) = keys {
        let mut order: Vec<usize> = (0..values.len()).collect();
        order.sort_by(|&a, &b| k[a].total_cmp(&k[b]));
        values = order.iter().map(|&i| factor.values[i].clone()).collect();
    }
    values
}

/// The unit of a factor of durations on an axis, with how many of it a day holds: minutes
/// when every value is at most 2 hours, hours when every one is under a day, else days.
/// `None` for a factor of other values.
fn duration_unit(factor: &Factor) -> Option<(&'static str, f64)> {
    let days = in_days(factor.values.iter()).filter(|d| !d.is_empty())?;
    let longest = days.iter().fold(0.0f64, |m, d| m.max(d.abs()));
    Some(if longest <= 2.0 / 24.0 {
        ("min", 1440.0)
    } else if longest < 1.0 {
        ("h", 24.0)
    } else {
        ("days", 1.0)
    })
}

/// The heatmap's tick labels of `values` of `factor`: a duration in the unit its axis label
/// names ("30min" had stood under "[days]"), any other value as [`value_names`] gives it.
fn axis_names(factor: &Factor, values: &[toml::Value]) -> Vec<String> {
    match (duration_unit(factor), in_days(values.iter())) {
        (Some((_, scale)), Some(days)) => days
            .iter()
            .map(|d| {
                let v = d * scale;
                let t = format!("{v:.2}");
                t.trim_end_matches('0').trim_end_matches('.').to_string()
            })
            .collect(),
        _ => value_names(values),
    }
}

/// Values that are all durations ("0d", "12h", "2w") in days; `None` when any is not one.
fn in_days<'a>(values: impl Iterator<Item = &'a toml::Value>) -> Option<Vec<f64>> {
    values.map(sweep::value_days).collect()
}

/// A factor's axis label, the line chart's and the heatmap's alike: a factor whose values are
/// all durations in the unit of [`duration_unit`] ("health isolation [days]", "P service mean
/// [min]"), any other as [`axis_label`] gives it. The heatmap had read "health isolation",
/// without the unit the line chart gives.
fn factor_label(factor: &Factor) -> String {
    match duration_unit(factor) {
        Some((unit, _)) => format!("{} [{unit}]", readable_path(&factor.path)),
        None => axis_label(&factor.path),
    }
}

/// A factor's key in words with its unit, for an axis: `port[El Paso].quota_per_day` →
/// "El Paso quota per day [people/day]". The key path itself heads its column of sweep.csv.
fn axis_label(path: &str) -> String {
    let words = readable_path(path);
    match crate::scenario::units::number_unit(path) {
        Some(u) => format!("{words} [{u}]"),
        None => words,
    }
}

/// A key path in words: a named item by its name (`port[El Paso].quota_per_day` → "El Paso
/// quota per day"), one by index with its kind (`port[1].servers` → "port 1 servers"), the
/// keys' underscores as spaces and `scenario.` left out (`scenario.horizon` → "horizon"). A
/// dot inside brackets belongs to the name.
fn readable_path(path: &str) -> String {
    let segments = crate::scenario::diag::path_segments(path);
    let mut words: Vec<String> = Vec::new();
    for (k, s) in segments.iter().enumerate() {
        if k == 0 && *s == "scenario" && segments.len() > 1 {
            continue;
        }
        match s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            // An element by index keeps its kind before the number; by name, the name
            // stands for the kind.
            Some(index) if index.parse::<usize>().is_ok() => words.push(index.to_string()),
            Some(name) => {
                words.pop();
                words.push(name.to_string());
            }
            None => words.push(s.replace('_', " ")),
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_values_are_short_tick_labels() {
        let list = |v: &[&str]| {
            toml::Value::Array(
                v.iter()
                    .map(|s| toml::Value::String(s.to_string()))
                    .collect(),
            )
        };
        let week = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let names = value_names(&[list(&week[..5]), list(&week[..6]), list(&week)]);
        assert_eq!(names, ["Mon–Fri", "Mon–Sat", "Mon–Sun"]);
        assert_eq!(value_names(&[list(&["sat", "Sunday"])]), ["Sat, Sun"]);
        assert_eq!(value_name(&list(&["08:00", "18:00"])), "08:00–18:00");
        // Not days: the items, cut with an ellipsis, alike ones numbered.
        let a = list(&["alpha", "beta", "gamma", "delta"]);
        let b = list(&["alpha", "beta", "gamma", "omega"]);
        assert_eq!(value_name(&a), "alpha, beta…");
        assert_eq!(value_names(&[a, b]), ["#1 alpha, beta…", "#2 alpha, beta…"]);
        // Anything else as written.
        assert_eq!(
            value_names(&[toml::Value::Integer(300), toml::Value::String("3d".into())]),
            ["300", "3d"]
        );
    }

    fn factor(path: &str, values: Vec<toml::Value>) -> Factor {
        Factor {
            path: path.into(),
            values,
            origin: "--vary".into(),
        }
    }

    fn strings(v: &[&str]) -> Vec<toml::Value> {
        v.iter()
            .map(|s| toml::Value::String(s.to_string()))
            .collect()
    }

    /// A numeric or duration factor's values in order of value (the heatmap's rows 200, 50,
    /// 100 had run in the order given), any other as given.
    #[test]
    fn factor_values_are_put_in_order_of_value() {
        let ints = factor(
            "port[P].quota_per_day",
            [200, 50, 100].map(toml::Value::Integer).to_vec(),
        );
        assert_eq!(
            sorted_values(&ints),
            [50, 100, 200].map(toml::Value::Integer).to_vec()
        );
        let durations = factor("health.isolation", strings(&["2w", "5d", "10d"]));
        assert_eq!(sorted_values(&durations), strings(&["5d", "10d", "2w"]));
        let names = factor("dispatch.policy", strings(&["fifo", "appointment"]));
        assert_eq!(sorted_values(&names), names.values);
    }

    /// A duration axis in a unit its values read in (20 minutes had been "0.014" days), and
    /// the heatmap's ticks in the unit its label names ("30min" had stood under "[days]").
    #[test]
    fn durations_are_on_an_axis_in_a_fitting_unit() {
        let minutes = factor(
            "port[P].service.mean",
            strings(&["20min", "40min", "1h", "90min"]),
        );
        assert_eq!(duration_unit(&minutes), Some(("min", 1440.0)));
        assert_eq!(factor_label(&minutes), "P service mean [min]");
        assert_eq!(
            axis_names(&minutes, &sorted_values(&minutes)),
            ["20", "40", "60", "90"]
        );
        let hours = factor("route[A->P].travel", strings(&["3h", "12h"]));
        assert_eq!(factor_label(&hours), "A->P travel [h]");
        let days = factor("health.isolation", strings(&["5d", "10d", "2w"]));
        assert_eq!(factor_label(&days), "health isolation [days]");
        assert_eq!(axis_names(&days, &days.values), ["5", "10", "14"]);
        let ints = factor("port[P].servers", vec![toml::Value::Integer(4)]);
        assert_eq!(duration_unit(&ints), None);
        assert_eq!(axis_names(&ints, &ints.values), ["4"]);
    }

    /// The subtitle counts the censored runs out of all the points' runs and names at how
    /// many points: "90 censored" over four points of 40 had read as 90 of 40.
    #[test]
    fn the_subtitle_counts_censored_runs_out_of_all_runs() {
        let row = |censored: u64| SweepRow {
            values: vec![toml::Value::Integer(1)],
            replications: 40,
            censored,
            horizon_days: 50.0,
            start_date: chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap(),
            last_cleared_days: 40.0,
            kpis: Vec::new(),
        };
        let rows = [row(40), row(40), row(5), row(5)];
        let s = sweep_subtitle("tiny", &rows, 7, &[]);
        assert!(
            s.contains(
                "40 replications per point · seed 7 · 90 of 160 runs (at 4 of 4 points) censored \
                 at the horizon"
            ),
            "{s}"
        );
        assert!(no_run_cleared(&rows[0]) && !no_run_cleared(&rows[2]));
        let s = sweep_subtitle("tiny", &[row(0), row(3)], 7, &[]);
        assert!(s.contains("3 of 80 runs (at 1 of 2 points)"), "{s}");
    }

    #[test]
    fn axis_labels_read_as_words_with_units() {
        assert_eq!(
            axis_label("port[El Paso].quota_per_day"),
            "El Paso quota per day [people/day]"
        );
        assert_eq!(
            axis_label("route[Tijuana->San Ysidro].seats"),
            "Tijuana->San Ysidro seats [people]"
        );
        assert_eq!(axis_label("port[1].servers"), "port 1 servers [servers]");
        assert_eq!(axis_label("scenario.horizon"), "horizon");
        assert_eq!(
            axis_label("registration.never"),
            "registration never [probability]"
        );
        assert_eq!(
            readable_path("port[St. Louis].ramp.from"),
            "St. Louis ramp from"
        );
    }
}
