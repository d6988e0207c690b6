//! Sweeps: a full grid over one or more factors (key paths with lists of values), every
//! (point, replication) pair run in one pool with one progress bar, every point with the same
//! seeds (common random numbers across points), summarised one row per point ([`SweepRow`]),
//! written wide as `sweep.csv` ([`sweep_csv`]: a column per KPI statistic) and long as
//! `sweep_long.csv` ([`sweep_long_csv`]: a row per point, KPI and statistic), both from the
//! same rows.
//!
//! A sweep file is a TOML file with a `[sweep]` table:
//! ```toml
//! [sweep]
//! scenario = "baseline.toml"          # relative to the sweep file
//! replications = 50                   # optional (default: the scenario's)
//! seed = 7                            # optional (default: the scenario's)
//! "port[San Ysidro].quota_per_day" = [200, 300, 400]
//! "route[Tijuana->San Ysidro].seats" = [40, 55]
//! ```
//! Every other key of `[sweep]` is a factor; factors are taken in file order, the first one
//! outermost in the grid.

use super::kpi::{self, KpiStat};
use super::records::{Records, Replications, Spill};
use super::{run_jobs, RunError, RunOptions};
use crate::model::ReplicationResult;
use crate::scenario::{self, overrides::display_value, Loaded, Override, ScenarioError};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One varied key path and its values. It writes to and reads back from JSON with serde, as a
/// [`SweepRow`] does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// The scenario key path varied, as `--set` takes it (`screening.servers`,
    /// `port[San Ysidro].quota`).
    pub path: String,
    /// Its values, one sweep point each (crossed with the other factors' in [`grid`]), each
    /// in the key's own unit as the scenario file writes it (`clearance::toml::Value::Integer(20)`
    /// servers; durations as numbers of \[days\] or strings such as `"2h"`).
    pub values: Vec<toml::Value>,
    /// Where the factor was written, named in its errors: `--vary` or the sweep file.
    pub origin: String,
}

/// A sweep as read from a sweep file.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSpec {
    /// The scenario file the sweep varies: `[sweep] scenario`, joined to the sweep file's
    /// directory.
    pub scenario: PathBuf,
    /// The factors, in the file's order: every key of `[sweep]` that is not a setting.
    pub factors: Vec<Factor>,
    /// `[sweep] replications`: replications per point \[replications\]; `None` to take the
    /// scenario's.
    pub replications: Option<u32>,
    /// `[sweep] seed`: the base seed of every point; `None` to take the scenario's.
    pub seed: Option<u64>,
}

/// The keys of `[sweep]` that are settings; every other key is a factor.
const SETTINGS: [&str; 3] = ["scenario", "replications", "seed"];

/// Read a sweep file; `Ok(None)` when the file has no `[sweep]` table (it is a scenario). Its
/// factors' own problems ([`factor_problems`], [`grid_size`]) are left to the caller, to be
/// named with those of the points' values and of any factors added to the file's; when the file
/// has other problems, they are named with them.
pub fn read_sweep_file(path: &Path) -> Result<Option<SweepSpec>, String> {
    parse_sweep_text(path, &read_sweep_text(path)?)
}

/// The text of the file at `path`, read as [`read_sweep_file`] reads it (with its messages), to
/// be given to [`parse_sweep_text`] and, when it holds no `[sweep]`, loaded as a scenario from
/// memory ([`crate::scenario::Source`]): a pipe or FIFO gives its text only once.
pub fn read_sweep_text(path: &Path) -> Result<String, String> {
    let file = path.display().to_string();
    let text = match crate::fsio::read_capped(path, crate::fsio::TEXT_CAP) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
            let why = crate::fsio::not_utf8(e.as_bytes(), crate::fsio::SAVE_TEXT_AS_UTF8);
            format!("{file}: {why}")
        })?,
        Err(crate::fsio::ReadError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            let why = crate::fsio::not_found(path, "no such file", &["toml"]);
            return Err(format!("{file}: {why}"));
        }
        Err(crate::fsio::ReadError::Io { source, .. }) => return Err(format!("{file}: {source}")),
        Err(crate::fsio::ReadError::TooLarge { cap, .. }) => {
            return Err(format!("{file}: {}", crate::fsio::too_large(cap)))
        }
    };
    crate::inputs::record(path);
    Ok(text)
}

/// [`read_sweep_file`] of `text`, read from `path` (which names it and against which its
/// `scenario` is resolved).
pub fn parse_sweep_text(path: &Path, text: &str) -> Result<Option<SweepSpec>, String> {
    parse_sweep_problems(path, text).map_err(|ps| {
        ps.iter()
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\nerror: ")
    })
}

/// A problem of a sweep file or of its factors, with the key it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepProblem {
    /// As printed after `error: `: where it was written (`sweep.toml:4:1: `, `--vary: `, or
    /// the file alone for the whole file), when known, then what is wrong (a syntax error
    /// with its `\n  hint: …`).
    pub text: String,
    /// The key path it is about: a factor's path as `--set` takes it (`screening.servers`, as
    /// the errors of its values give it), `sweep.KEY` for a setting of `[sweep]`
    /// (`sweep.replications`), `sweep` for the table as a whole (a missing `scenario`, nothing
    /// varied, too many points), the key written outside `[sweep]`; `None` for a problem of
    /// no one key (TOML syntax).
    pub key: Option<String>,
}

impl SweepProblem {
    fn new(text: String, key: impl Into<String>) -> SweepProblem {
        SweepProblem {
            text,
            key: Some(key.into()),
        }
    }
}

/// [`parse_sweep_text`] with every problem apart, each with the key it is about.
pub fn parse_sweep_problems(
    path: &Path,
    text: &str,
) -> Result<Option<SweepSpec>, Vec<SweepProblem>> {
    let file = path.display().to_string();
    let one = |text: String, key: &str| vec![SweepProblem::new(text, key)];
    // Parsed with positions: every error names the line and column of the key it is about.
    // A syntax error gets the hints a scenario's gets (`[port]` for `[[port]]`, `25,000`).
    let parsed = crate::scenario::document::parse(text, &file).map_err(|d| {
        vec![SweepProblem {
            text: match &d.hint {
                Some(h) => format!("{}\n  hint: {h}", d.location_and_message()),
                None => d.location_and_message(),
            },
            key: d.key.clone(),
        }]
    })?;
    let (table, spans) = (parsed.table, parsed.spans);
    let at = |key: &str| match spans.get(key) {
        Some((l, c)) => format!("{file}:{l}:{c}"),
        None => file.clone(),
    };
    let doc = toml_edit::ImDocument::parse(text).map_err(|e: toml_edit::TomlError| {
        vec![SweepProblem {
            text: format!("{file}: {}", e.message().trim()),
            key: None,
        }]
    })?;
    let Some(sweep) = table.get("sweep") else {
        // `[swep]`: a sweep file with its section misspelt, not a scenario.
        let near = table
            .iter()
            .filter(|(k, v)| v.is_table() && k.as_str() != "sweep")
            .find(|(k, _)| crate::scenario::validate::closest(k, ["sweep"]).is_some());
        if let Some((k, _)) = near {
            let known = crate::scenario::validate::closest(k, ["scenario", "screening", "backlog"]);
            if known.is_none() {
                return Err(one(
                    format!("{}: [{k}] is not a section: did you mean [sweep]?", at(k)),
                    k,
                ));
            }
        }
        return Ok(None);
    };
    let Some(sweep) = sweep.as_table() else {
        return Err(one(
            format!("{}: `sweep` must be a table: [sweep]", at("sweep")),
            "sweep",
        ));
    };
    // Every problem of the file is reported, not only the first.
    let mut errs: Vec<SweepProblem> = Vec::new();
    // A sweep file holds [sweep] alone: anything else (a setting written above `[sweep]`, an
    // `extends`, another section) would be ignored without a word.
    for (k, v) in table.iter().filter(|(k, _)| k.as_str() != "sweep") {
        let why = if SETTINGS.contains(&k.as_str()) {
            format!(
                "`{k}` is written above [sweep], so it is not part of it: move it under [sweep]"
            )
        } else if k == "extends" {
            "a sweep file extends nothing: name the scenario under [sweep] with scenario = \
             \"…\" (a scenario that extends another may be named there)"
                .to_string()
        } else if v.is_table() || v.is_array() {
            format!(
                "[{k}] is not part of a sweep file, which holds only [sweep]: remove it (change \
                 the scenario with --set, or in a scenario that extends it)"
            )
        } else {
            format!(
                "`{k}` is not part of a sweep file, which holds only [sweep]: remove it, or move \
                 it under [sweep] as a factor (\"{k}\" = [v1, v2])"
            )
        };
        errs.push(SweepProblem::new(format!("{}: {why}", at(k)), k));
    }
    // The factors' key paths in file order, each with the line and column of its key. A dotted
    // key written without quotes (`screening.servers = [20, 40]`) is a nested table in TOML:
    // its leaves are the factors. (Its own position: `"screening.servers"` and
    // `screening.servers`, the same path, are two keys on two lines.)
    type Leaf = (Vec<String>, Option<(usize, usize)>);
    fn leaves(t: &dyn toml_edit::TableLike, prefix: &[String], src: &str, out: &mut Vec<Leaf>) {
        for (k, item) in t.iter() {
            let mut segs = prefix.to_vec();
            segs.push(k.to_string());
            match item.as_table_like() {
                Some(sub) if !prefix.is_empty() || !SETTINGS.contains(&k) => {
                    leaves(sub, &segs, src, out)
                }
                _ => {
                    let span = t.get_key_value(k).and_then(|(key, _)| key.span());
                    let at = span.map(|r| crate::scenario::diag::line_col(src, r.start));
                    out.push((segs, at))
                }
            }
        }
    }
    let mut order = Vec::new();
    if let Some(t) = doc.get("sweep").and_then(|i| i.as_table_like()) {
        leaves(t, &[], text, &mut order);
    }
    if let Some(v) = sweep.get("scenario").filter(|v| !v.is_str()) {
        return Err(one(
            format!(
                "{}: sweep.scenario must be a file name in quotes, e.g. scenario = \
                 \"baseline.toml\" (found {})",
                at("sweep.scenario"),
                display_value(v)
            ),
            "sweep.scenario",
        ));
    }
    let scn = sweep.get("scenario").and_then(|v| v.as_str());
    // A key misspelling `scenario` is reported as such below (with "did you mean"), not also as
    // the scenario missing.
    let misspelt = sweep.iter().any(|(k, v)| {
        k != "scenario"
            && !v.is_table()
            && !k.contains(['.', '['])
            && crate::scenario::validate::closest(k, SETTINGS) == Some("scenario")
    });
    if scn.is_none() && !misspelt {
        errs.push(SweepProblem::new(
            format!(
                "{}: sweep.scenario is missing: name the scenario, e.g. scenario = \
                 \"baseline.toml\"",
                at("sweep")
            ),
            "sweep",
        ));
    }
    let dir = path.parent().unwrap_or(Path::new(""));
    // replications from 1, the seed from 0 (as --seed and the scenario's seed).
    let int = |k: &str, min: i64| -> Result<Option<i64>, SweepProblem> {
        match sweep.get(k) {
            None => Ok(None),
            Some(v) => v
                .as_integer()
                .filter(|i| *i >= min)
                .map(Some)
                .ok_or_else(|| {
                    SweepProblem::new(
                        format!(
                            "{}: sweep.{k} must be a whole number of at least {min}",
                            at(&format!("sweep.{k}"))
                        ),
                        format!("sweep.{k}"),
                    )
                }),
        }
    };
    let replications = int("replications", 1)
        .unwrap_or_else(|e| {
            errs.push(e);
            None
        })
        .map(|v| v.min(u32::MAX as i64) as u32);
    let seed = int("seed", 0)
        .unwrap_or_else(|e| {
            errs.push(e);
            None
        })
        .map(|v| v as u64);
    let mut factors = Vec::new();
    for (segs, pos) in order {
        let k = segs.join(".");
        if SETTINGS.contains(&k.as_str()) {
            continue;
        }
        // Where the key is written: every problem of the factor, and its values' errors later
        // (an unknown port, a bad value), point there.
        let here = match pos {
            Some((l, c)) => format!("{file}:{l}:{c}"),
            None => at(&format!("sweep.{k}")),
        };
        // A factor is a key path (`screening.servers`, `port[El Paso].quota_per_day`); a plain
        // word close to a setting is that setting misspelt.
        let plain = !k.contains(['.', '[']);
        if let Some(near) = crate::scenario::validate::closest(&k, SETTINGS).filter(|_| plain) {
            errs.push(SweepProblem::new(
                format!(
                    "{here}: sweep.{k} is not a setting of [sweep] (did you mean `{near}`?); \
                     the settings are scenario, replications and seed, and every other key is \
                     a key path to vary, e.g. \"screening.servers\" = [20, 40]"
                ),
                format!("sweep.{k}"),
            ));
            continue;
        }
        if let Err(e) = crate::scenario::overrides::factor_path(&k) {
            errs.push(SweepProblem::new(format!("{here}: sweep.\"{k}\": {e}"), &k));
            continue;
        }
        let value = segs.iter().try_fold(&table["sweep"], |v, seg| {
            v.as_table().and_then(|t| t.get(seg))
        });
        match value {
            Some(toml::Value::Array(a)) if !a.is_empty() => factors.push(Factor {
                values: a.clone(),
                origin: here,
                path: k,
            }),
            _ => errs.push(SweepProblem::new(
                format!(
                    "{here}: sweep.\"{k}\" must be a non-empty list of values, e.g. [200, 300, \
                     400]"
                ),
                &k,
            )),
        }
    }
    if !errs.is_empty() {
        // With the factors' own problems, which the caller would otherwise find once the file
        // is read (`factor_problems`, `grid_size`): one run names every problem of the file,
        // in the order of its lines; the grid's size, a problem of every factor, last.
        errs.extend(factor_problems_keyed(&factors));
        sort_by_line(&mut errs, &file, |e| e.text.as_str());
        if let Err(e) = grid_size(&factors) {
            errs.push(SweepProblem::new(format!("{}: {e}", at("sweep")), "sweep"));
        }
        // One problem a line, each marked as an error like the first.
        return Err(errs);
    }
    if factors.is_empty() {
        return Err(one(
            format!(
                "{}: [sweep] varies nothing: add entries such as \"port[San Ysidro].quota_per_day\" = [200, 300]",
                at("sweep")
            ),
            "sweep",
        ));
    }
    let Some(scn) = scn else {
        return Err(one(
            format!(
                "{}: sweep.scenario is missing: name the scenario, e.g. scenario = \
                 \"baseline.toml\"",
                at("sweep")
            ),
            "sweep",
        ));
    };
    let scenario = dir.join(scn);
    // (a device or FIFO is read, with the cap of every scenario file)
    if scenario.is_dir() {
        return Err(one(
            format!(
                "{}: sweep.scenario = \"{scn}\": {} is a directory, not a scenario file (the \
                 path is taken from the sweep file's folder)",
                at("sweep.scenario"),
                scenario.display()
            ),
            "sweep.scenario",
        ));
    }
    if !scenario.exists() {
        return Err(one(
            format!(
                "{}: sweep.scenario = \"{scn}\": no such file {} (the path is taken from the \
                 sweep file's folder)",
                at("sweep.scenario"),
                scenario.display()
            ),
            "sweep.scenario",
        ));
    }
    Ok(Some(SweepSpec {
        scenario,
        factors,
        replications,
        seed,
    }))
}

/// Where in `file` a problem is, from the `file:line:col: ` its text starts with; `None` for
/// a problem elsewhere (`--vary`, the scenario) or of the whole file.
pub fn line_in(text: &str, file: &str) -> Option<(usize, usize)> {
    let rest = text.strip_prefix(file)?.strip_prefix(':')?;
    let mut parts = rest.splitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let col = parts.next()?.parse().ok()?;
    Some((line, col))
}

/// Sort problems into the order of `file`'s lines (stable: problems of one key keep their
/// order); those with no line in `file` keep theirs, after them.
pub fn sort_by_line<T>(problems: &mut [T], file: &str, text: impl Fn(&T) -> &str) {
    problems.sort_by_key(|p| match line_in(text(p), file) {
        Some(at) => (0, at),
        None => (1, (0, 0)),
    });
}

/// Whether the file at `path` is a sweep file: TOML with a `[sweep]` table and no `[scenario]`
/// (as the scenario loader tells one given where a scenario is expected). A file that cannot
/// be read or parsed is not: the scenario loader names its problem.
pub fn is_sweep_file(path: &Path) -> bool {
    let Ok(Some(text)) = crate::fsio::read_text_capped(path, crate::fsio::TEXT_CAP) else {
        return false;
    };
    is_sweep_text(&text)
}

/// [`is_sweep_file`] of text already read.
pub fn is_sweep_text(text: &str) -> bool {
    text.parse::<toml::Table>().is_ok_and(|t| {
        t.get("sweep").is_some_and(toml::Value::is_table) && !t.contains_key("scenario")
    })
}

/// Every problem of `factors` seen without the scenario, each naming where it was written
/// (its origin): a path varied again (after the factor that varies it first) and a value listed
/// twice in one factor (it would run the same point twice). The grid's size is
/// [`grid_size`]'s.
pub fn factor_problems(factors: &[Factor]) -> Vec<String> {
    factor_problems_keyed(factors)
        .into_iter()
        .map(|p| p.text)
        .collect()
}

/// [`factor_problems`], each with the factor's path as its key.
pub fn factor_problems_keyed(factors: &[Factor]) -> Vec<SweepProblem> {
    let mut out = Vec::new();
    for (i, f) in factors.iter().enumerate() {
        if let Some(first) = factors[..i].iter().find(|g| g.path == f.path) {
            // A sweep file's factor is written `"PATH" = [v1, v2, …]`, a --vary one PATH=v1,v2,….
            let fix = match f.origin.as_str() {
                "--vary" => format!("{}=v1,v2,…", f.path),
                _ => format!("\"{}\" = [v1, v2, …]", f.path),
            };
            // (where the first was written, unless on the command line too)
            let also = match first.origin.as_str() {
                "--vary" => String::new(),
                at => format!(" (also at {at})"),
            };
            out.push(SweepProblem::new(
                format!(
                    "{}: {} is varied twice{also}: give all its values in one list ({fix})",
                    f.origin, f.path
                ),
                &f.path,
            ));
        }
        for (j, v) in f.values.iter().enumerate() {
            if f.values[..j].contains(v) {
                out.push(SweepProblem::new(
                    format!(
                        "{}: {} lists {} twice: give each value once",
                        f.origin,
                        f.path,
                        display_value(v)
                    ),
                    &f.path,
                ));
            }
        }
    }
    out
}

/// Most points a sweep may have: the product of its factors' numbers of values. Loading the
/// points alone takes about 1 ms and 40 KB each for the baseline (10,000 points: 10 s and
/// 390 MB before the memory check can weigh the replications).
pub const MAX_SWEEP_POINTS: usize = 10_000;

/// The number of points of the grid of `factors`, computed before the grid is built; an error
/// naming the count and [`MAX_SWEEP_POINTS`] when it is above the limit (five factors of 100
/// values had built 10^10 points until memory ran out).
pub fn grid_size(factors: &[Factor]) -> Result<usize, String> {
    let n = factors
        .iter()
        .try_fold(1usize, |n, f| n.checked_mul(f.values.len()));
    match n {
        Some(n) if n <= MAX_SWEEP_POINTS => Ok(n),
        _ => {
            let lens: Vec<String> = factors.iter().map(|f| f.values.len().to_string()).collect();
            let count: f64 = factors.iter().map(|f| f.values.len() as f64).product();
            Err(format!(
                "the sweep has {} points ({} values), more than the {} a sweep may have: vary \
                 fewer values, or split the sweep into several over parts of a factor's values",
                crate::format::fmt_int(count),
                lens.join(" × "),
                crate::format::fmt_int(MAX_SWEEP_POINTS as f64)
            ))
        }
    }
}

/// The grid: every combination of factor values, the first factor outermost (its size is
/// [`grid_size`], to be checked first).
pub fn grid(factors: &[Factor]) -> Vec<Vec<toml::Value>> {
    let mut out: Vec<Vec<toml::Value>> = vec![Vec::new()];
    for f in factors {
        let mut next = Vec::with_capacity(out.len() * f.values.len());
        for p in &out {
            for v in &f.values {
                let mut q = p.clone();
                q.push(v.clone());
                next.push(q);
            }
        }
        out = next;
    }
    out
}

/// The overrides a point of the grid is loaded with: `sets` first, then each factor's value
/// there (`values`, in the factors' order), named by where the factor was written.
pub fn point_overrides(
    sets: &[Override],
    factors: &[Factor],
    values: &[toml::Value],
) -> Vec<Override> {
    let mut ovs = sets.to_vec();
    for (f, v) in factors.iter().zip(values) {
        ovs.push(Override {
            path: f.path.clone(),
            value: v.clone(),
            origin: f.origin.clone(),
        });
    }
    ovs
}

/// Load the scenario at every point (base overrides `sets` first, then the point's values).
pub fn load_points(
    path: &(impl scenario::ScenarioFile + ?Sized),
    sets: &[Override],
    factors: &[Factor],
) -> Result<Vec<Loaded>, ScenarioError> {
    let results: Vec<Result<Loaded, ScenarioError>> = grid(factors)
        .into_iter()
        .map(|values| path.load_with(&point_overrides(sets, factors, &values)))
        .collect();
    let (mut loaded, mut errors) = (Vec::new(), Vec::new());
    for r in results {
        match r {
            Ok(l) => loaded.push(l),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        return Ok(loaded);
    }
    // Every problem of every point, each once (most points share them); a file that cannot be
    // read is that error alone.
    if let Some(i) = errors
        .iter()
        .position(|e| e.kind != scenario::ScenarioErrorKind::Invalid)
    {
        return Err(errors.swap_remove(i));
    }
    let file = errors[0].file.clone();
    let mut seen = std::collections::HashSet::new();
    let all: Vec<_> = errors
        .into_iter()
        .flat_map(|e| e.diagnostics)
        .filter(|d| seen.insert(d.to_string()))
        .collect();
    Err(ScenarioError::invalid(&file, all))
}

/// Run replications `indices` of every point in one pool; results per point in index order.
/// Each point's records go to a temporary file as they finish, so that memory does not grow
/// with them; they stay in memory with `opts.in_memory` or when no temporary file with room for
/// them all can be made. Results are the same either way.
pub fn run_points(
    points: &[&scenario::Scenario],
    indices: std::ops::Range<u32>,
    opts: &RunOptions,
) -> Result<Vec<Replications>, RunError> {
    let n = indices.len();
    let what = "replications (all points)";
    let spills = match opts.in_memory {
        true => None,
        false => Spill::per_point(points, n).ok(),
    };
    if let Some(spills) = spills {
        super::run_spilling(points, indices, opts, (&spills, 0), what)?;
        let finished: usize = spills.iter().map(|s| s.filled_in(0..n)).sum();
        if finished < n * spills.len() {
            return Err(RunError::Interrupted {
                finished,
                total: n * spills.len(),
            });
        }
        return spills
            .into_iter()
            .map(|s| s.finish().map_err(RunError::Spill))
            .collect();
    }
    let jobs: Vec<(usize, u32)> = (0..points.len())
        .flat_map(|p| indices.clone().map(move |i| (p, i)))
        .collect();
    let out = run_jobs(points, &jobs, opts, what)?;
    super::all_finished(&out)?;
    let mut per: Vec<Vec<ReplicationResult>> = vec![Vec::new(); points.len()];
    for ((p, _), r) in jobs.iter().zip(out) {
        per[*p].extend(r);
    }
    Ok(per.into_iter().map(Replications::from).collect())
}

/// One row of the sweep table. It writes to and reads back from JSON with serde
/// (`serde_json::from_str::<SweepRow>`), as a [`crate::experiment::Summary`] and a
/// [`crate::experiment::compare::Comparison`] do, so that a program can store a sweep's results
/// and analyse them later; `last_cleared_days` is written as null when no replication cleared
/// and reads back as negative infinity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepRow {
    /// The point's value of each factor, in the factors' order, each in its setting's own unit.
    pub values: Vec<toml::Value>,
    /// Replications run at this point \[replications\].
    pub replications: u64,
    /// Of them, those that reached the horizon before clearance \[replications\].
    pub censored: u64,
    /// The point's horizon \[days\]: a censored replication's clearance time.
    pub horizon_days: f64,
    /// The point's `scenario.start_date`: its day 0, from which the KPIs that are times since
    /// the start ([`kpi::TIMES_SINCE_START`]) count.
    pub start_date: chrono::NaiveDate,
    /// The latest clearance of the point's replications that cleared \[days\] (negative
    /// infinity when none did, written as null in JSON): a clearance figure above it is a
    /// lower bound.
    #[serde(
        serialize_with = "last_cleared_to_json",
        deserialize_with = "last_cleared_from_json"
    )]
    pub last_cleared_days: f64,
    /// Every KPI of the point's scenario (see [`kpi::kpi_names`]) with its STAT and P90 over
    /// the replications that measured it, in the KPI's unit (\[days\], \[people\] or
    /// \[fraction\]); `None` when none did.
    pub kpis: Vec<(String, Option<KpiStat>)>,
}

/// [`SweepRow::last_cleared_days`] in JSON: the number, or null when no replication cleared
/// (negative infinity, which JSON cannot hold).
fn last_cleared_to_json<S: Serializer>(days: &f64, s: S) -> Result<S::Ok, S::Error> {
    days.is_finite().then_some(*days).serialize(s)
}

/// [`SweepRow::last_cleared_days`] read back from JSON: null is negative infinity (no
/// replication cleared).
fn last_cleared_from_json<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NEG_INFINITY))
}

impl SweepRow {
    /// Whether a clearance quantile of this point is only a lower bound: it lies above every
    /// replication that cleared, so replications stopped at the horizon pull it up (the rule
    /// of `summary.json`, [`kpi::censored_figure`]). A mean is one whenever `censored > 0`.
    pub fn is_censored_clearance(&self, days: f64) -> bool {
        kpi::censored_figure(
            days,
            self.censored,
            self.replications,
            self.last_cleared_days,
            self.horizon_days,
        )
    }

    /// The latest clearance of the replications that cleared \[days\]; `None` when none did.
    pub fn last_cleared(&self) -> Option<f64> {
        self.last_cleared_days
            .is_finite()
            .then_some(self.last_cleared_days)
    }

    /// Whether the point's P50 and P90 clearance are lower bounds (see
    /// [`SweepRow::is_censored_clearance`]).
    pub fn clearance_censored(&self) -> (bool, bool) {
        match self.kpi("clearance_days") {
            Some(k) => (
                self.is_censored_clearance(k.stat.p50),
                self.is_censored_clearance(k.p90),
            ),
            None => (false, false),
        }
    }

    /// Every KPI statistic of the point as `sweep.csv` holds it, in its column order: the KPI,
    /// the statistic (one of [`KpiStat::COLUMNS`]) and the cell (the number as written, empty
    /// where undefined). `sweep.csv` lays them out as the columns `KPI_STATISTIC`,
    /// `sweep_long.csv` as rows ([`sweep_long_csv`]).
    pub fn kpi_cells(&self) -> Vec<(&str, &'static str, String)> {
        self.kpis
            .iter()
            .flat_map(|(k, s)| {
                KpiStat::COLUMNS
                    .into_iter()
                    .zip(KpiStat::csv_cells(s.as_ref()))
                    .map(move |(c, cell)| (k.as_str(), c, cell))
            })
            .collect()
    }

    /// The calendar date of a cell of [`SweepRow::kpi_cells`]: for the KPIs that are times since
    /// day 0 ([`kpi::TIMES_SINCE_START`]: clearance and the milestones), the date
    /// (`YYYY-MM-DD`) of the day that holds day 0 plus the value, day 0 being the point's
    /// `start_date`, as the run table dates them; `None` for every other KPI, for `sd` (a
    /// length of time, not a time) and `n`, and for an empty cell. The number is read as
    /// written, which reads back exactly. `sweep_long.csv`'s `date` and `sweep --json`'s
    /// `dates`.
    pub fn cell_date(&self, kpi: &str, stat: &str, cell: &str) -> Option<String> {
        let dated = kpi::TIMES_SINCE_START.contains(&kpi) && !matches!(stat, "sd" | "n");
        cell.parse::<f64>()
            .ok()
            .filter(|_| dated)
            .and_then(|v| crate::scenario::date_at(self.start_date, v))
            .map(|d| d.format("%Y-%m-%d").to_string())
    }

    /// The dated figures of the point, for `sweep --json`'s `dates`: for each KPI that is a time
    /// since day 0 (clearance and the milestones that some replication reached), each statistic
    /// of [`KpiStat::COLUMNS`] that has a date by [`SweepRow::cell_date`], with that date
    /// (`YYYY-MM-DD`). A figure of clearance that is only a lower bound (the point's
    /// `clearance_p50_censored`, `clearance_p90_censored`) dates a day the backlog had not
    /// cleared by.
    pub fn dates(&self) -> BTreeMap<String, BTreeMap<&'static str, String>> {
        let mut dates: BTreeMap<String, BTreeMap<&'static str, String>> = BTreeMap::new();
        for (k, stat, cell) in self.kpi_cells() {
            if let Some(d) = self.cell_date(k, stat, &cell) {
                dates.entry(k.to_string()).or_default().insert(stat, d);
            }
        }
        dates
    }

    /// The STAT and P90 of the KPI named `name` (one of [`kpi::kpi_names`], e.g.
    /// `"clearance_days"`) at this point, in the KPI's unit (\[days\], \[people\] or
    /// \[fraction\]); `None` when the point's scenario has no such KPI or no replication
    /// measured it.
    pub fn kpi(&self, name: &str) -> Option<&KpiStat> {
        self.kpis
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, s)| s.as_ref())
    }
}

/// Summarise each point of the grid of `factors` (its records in memory or spilled; reading a
/// spill can fail): `points[p]` and `results[p]` are point p of [`grid`]`(factors)`.
///
/// # Errors
/// An error of kind [`std::io::ErrorKind::InvalidInput`] naming the three lengths when the
/// grid, `points` and `results` do not have as many points each (no row is dropped or
/// mislabelled); otherwise the error of reading a spill.
pub fn rows<R: Records>(
    factors: &[Factor],
    points: &[&scenario::Scenario],
    results: &[R],
) -> std::io::Result<Vec<SweepRow>> {
    rows_at(grid(factors), points, results)
}

/// Summarise each point, labelled with its own factor values (`values[p]` those of point p): a
/// stored sweep's points, which need not be the grid in grid order.
///
/// # Errors
/// An error of kind [`std::io::ErrorKind::InvalidInput`] naming the three lengths when
/// `values`, `points` and `results` do not have as many points each (no row is dropped or
/// mislabelled); otherwise the error of reading a spill.
pub fn rows_at<R: Records>(
    values: Vec<Vec<toml::Value>>,
    points: &[&scenario::Scenario],
    results: &[R],
) -> std::io::Result<Vec<SweepRow>> {
    if values.len() != points.len() || points.len() != results.len() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "sweep rows: {} points of factor values, {} scenarios and {} results; each \
                 point needs one of each, in the same order",
                values.len(),
                points.len(),
                results.len()
            ),
        ));
    }
    points
        .iter()
        .zip(results)
        .zip(values)
        .map(|((scn, reps), values)| {
            let (mut censored, mut last_cleared) = (0, f64::NEG_INFINITY);
            reps.each(|r| {
                censored += r.censored as u64;
                if !r.censored {
                    last_cleared = last_cleared.max(r.clearance_days);
                }
                Ok::<(), std::io::Error>(())
            })?;
            let mut kpis = Vec::new();
            for k in kpi::kpi_names(scn) {
                let s = KpiStat::of(&kpi::values_in(scn, reps, &k)?);
                kpis.push((k, s));
            }
            Ok(SweepRow {
                values,
                replications: reps.count() as u64,
                censored,
                horizon_days: scn.horizon,
                start_date: scn.start_date,
                last_cleared_days: last_cleared,
                kpis,
            })
        })
        .collect()
}

/// A factor's values in \[days\] when every one is a duration written with its unit (`"20min"`,
/// `"1h"`, `"2w"`); `None` for any other factor (counts, fractions, dates, lists, tables). The
/// CSVs give such a factor a numeric column beside its text ([`days_column`]).
pub fn factor_days(factor: &Factor) -> Option<Vec<f64>> {
    if factor.values.is_empty() {
        return None;
    }
    factor.values.iter().map(value_days).collect()
}

/// A factor's value as a duration in days (`"20min"` → 0.0139), `None` when it is not one.
pub fn value_days(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::String(s) => crate::scenario::units::parse_duration(s).ok(),
        _ => None,
    }
}

/// The numeric column of a duration factor in `sweep.csv` and `sweep_long.csv`: its key path
/// and `_days`, as the other columns in days are named (`health.isolation` →
/// `health.isolation_days`).
pub fn days_column(path: &str) -> String {
    format!("{path}_days")
}

/// The factor columns' headers of both CSVs: each factor's key path, and after a duration
/// factor's its [`days_column`].
fn factor_header(factors: &[Factor]) -> Vec<String> {
    let mut out = Vec::new();
    for f in factors {
        out.push(f.path.clone());
        if factor_days(f).is_some() {
            out.push(days_column(&f.path));
        }
    }
    out
}

/// A point's factor cells under [`factor_header`]: each value as written (`20min`), and a
/// duration's length in days after it (`0.013888888888888888`).
fn factor_cells(factors: &[Factor], values: &[toml::Value]) -> Vec<String> {
    let mut out = Vec::new();
    for (f, v) in factors.iter().zip(values) {
        out.push(display_value(v));
        if factor_days(f).is_some() {
            out.push(value_days(v).map_or(String::new(), |d| d.to_string()));
        }
    }
    out
}

/// The warning of a sweep in which replications reached the horizon before clearing at some
/// points (`points`, in words: "at 1 of the 4 points of the sweep: those with …"), `censored`
/// of the `replications` run at those points: the KPIs other than clearance and the milestones
/// ([`kpi::counts_only_finished`]) count only what finished by the horizon there, as a run's
/// warning says ([`super::summary::censored_kpis_warning`]), and the table marks them †.
pub fn censored_kpis_warning(points: &str, censored: u64, replications: u64) -> String {
    format!(
        "replications reached the horizon before clearing {points} ({censored} of their \
         {replications} replications; sweep.csv's `censored` counts them per point): the KPIs \
         other than clearance and the milestones (waits, utilizations, processed, dropped; per \
         port too) {}, so at those points the waits lean towards those of the people served \
         early and the counts and utilizations describe the run cut off at the horizon, and \
         their change between points reflects the cut-off, not only the factors; give a longer \
         scenario.horizon (--set scenario.horizon=…) for figures of the whole backlog",
        super::summary::CENSORED_KPIS
    )
}

/// Wide CSV (`sweep.csv`), one row per point: the factor values (columns named by key path;
/// a factor of durations also in days, [`days_column`], after its own), `replications`, `censored`, `last_cleared_days` (empty when none cleared),
/// `clearance_p50_censored` and `clearance_p90_censored` (true when that figure is a lower
/// bound), then
/// `KPI_mean,KPI_sd,KPI_ci95_low,KPI_ci95_high,KPI_min,KPI_p5,KPI_p50,KPI_p90,KPI_p95,KPI_max,
/// KPI_n` for every KPI.
pub fn sweep_csv(factors: &[Factor], rows: &[SweepRow]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = factor_header(factors);
    header.push("replications".into());
    header.push("censored".into());
    header.push("last_cleared_days".into());
    header.push("clearance_p50_censored".into());
    header.push("clearance_p90_censored".into());
    if let Some(r) = rows.first() {
        header.extend(
            r.kpi_cells()
                .into_iter()
                .map(|(k, c, _)| format!("{k}_{c}")),
        );
    }
    w.write_record(&header)?;
    for r in rows {
        let mut row: Vec<String> = factor_cells(factors, &r.values);
        row.push(r.replications.to_string());
        row.push(r.censored.to_string());
        row.push(r.last_cleared().map_or(String::new(), |d| d.to_string()));
        let (p50, p90) = r.clearance_censored();
        row.push(p50.to_string());
        row.push(p90.to_string());
        row.extend(r.kpi_cells().into_iter().map(|(_, _, cell)| cell));
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// The unit of a statistic of KPI `kpi` in `sweep_long.csv`: the KPI's own ([`kpi::kpi_unit`]),
/// but `replications` for `n` (how many replications measured the KPI).
fn long_unit(kpi: &str, statistic: &str) -> &'static str {
    match statistic {
        "n" => "replications",
        _ => kpi::kpi_unit(kpi).unwrap_or(""),
    }
}

/// Long (tidy) CSV of the same rows as [`sweep_csv`], one row per point, KPI and statistic:
/// `point` (the point's index, 0 for the first row of `sweep.csv`), the factor values (columns
/// named by key path, as `sweep.csv` heads them), `kpi`, `statistic` (a column suffix of
/// `sweep.csv`: `mean`, `sd`, `ci95_low`, `ci95_high`, `min`, `p5`, `p50`, `p90`, `p95`, `max`,
/// `n`), `value` (`sweep.csv`'s cell, the same text; empty where undefined), `unit` (`days`,
/// `people`, `fraction`, or `replications` for `n`) and `date`: for the KPIs that are times since
/// day 0 ([`kpi::TIMES_SINCE_START`]: clearance and the milestones), the calendar date
/// (`YYYY-MM-DD`) of day 0 plus the value, day 0 being the point's `scenario.start_date`, as the
/// run table dates them ([`crate::scenario::Scenario::date_of`]); empty for every other KPI, for
/// `sd` (a length of time, not a time) and `n`, and where the value is empty. Last,
/// `lower_bound`: for `clearance_days`, `true` when the figure is only a lower bound because
/// replications stopped at the horizon before clearing (its quantiles, `min` and `max` by the
/// rule of `sweep.csv`'s `clearance_p50_censored` and `summary.json`
/// ([`SweepRow::is_censored_clearance`]); its mean and the mean's interval whenever a
/// replication was stopped so), `false` otherwise; empty for `sd`, `n`, an empty value and
/// every other KPI (the milestones leave out the replications that did not reach them, as
/// their `n` counts). Then `cut_by_horizon`: for the KPIs that count only what finished by the
/// horizon ([`kpi::counts_only_finished`]: waits, utilizations, processed, dropped), `true` at a
/// point where replications were stopped by it (`censored` > 0), `false` elsewhere; empty for
/// `n`, an empty value and the other KPIs. The factor columns are [`sweep_csv`]'s, a duration
/// factor's [`days_column`] too.
pub fn sweep_long_csv(factors: &[Factor], rows: &[SweepRow]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["point".to_string()];
    header.extend(factor_header(factors));
    header.extend(
        [
            "kpi",
            "statistic",
            "value",
            "unit",
            "date",
            "lower_bound",
            "cut_by_horizon",
        ]
        .map(String::from),
    );
    w.write_record(&header)?;
    for (p, r) in rows.iter().enumerate() {
        let point = p.to_string();
        let values: Vec<String> = factor_cells(factors, &r.values);
        for (k, stat, cell) in r.kpi_cells() {
            let date = r.cell_date(k, stat, &cell).unwrap_or_default();
            let lower_bound = match (k, stat, cell.parse::<f64>()) {
                ("clearance_days", "sd" | "n", _) | (_, _, Err(_)) => None,
                ("clearance_days", "mean" | "ci95_low" | "ci95_high", _) => Some(r.censored > 0),
                ("clearance_days", _, Ok(v)) => Some(r.is_censored_clearance(v)),
                _ => None,
            };
            let lower_bound = lower_bound.map_or(String::new(), |b| b.to_string());
            let cut = if kpi::counts_only_finished(k) && stat != "n" && !cell.is_empty() {
                (r.censored > 0).to_string()
            } else {
                String::new()
            };
            let mut row = Vec::with_capacity(values.len() + 8);
            row.push(point.clone());
            row.extend(values.iter().cloned());
            row.extend([
                k.to_string(),
                stat.to_string(),
                cell,
                long_unit(k, stat).to_string(),
                date,
                lower_bound,
                cut,
            ]);
            w.write_record(&row)?;
        }
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grid above the limit is refused by its size, before it is built.
    #[test]
    fn a_grid_above_the_limit_is_refused_before_it_is_built() {
        let f = |n: i64| Factor {
            path: "p".into(),
            values: (0..n).map(toml::Value::Integer).collect(),
            origin: "--vary".into(),
        };
        assert_eq!(grid_size(&[f(100), f(100)]), Ok(10_000));
        assert_eq!(grid_size(&[]), Ok(1));
        let e = grid_size(&[f(100), f(100), f(2)]).unwrap_err();
        assert!(
            e.starts_with(
                "the sweep has 20,000 points (100 × 100 × 2 values), more than the 10,000 a sweep \
                 may have"
            ),
            "{e}"
        );
        // 100^10 overflows 64 bits: still refused with its count
        let e = grid_size(&vec![f(100); 10]).unwrap_err();
        assert!(
            e.starts_with("the sweep has 100,000,000,000,000,000,000 points"),
            "{e}"
        );
    }

    #[test]
    fn grid_is_first_factor_outermost() {
        let f = |p: &str, v: &[i64]| Factor {
            path: p.into(),
            values: v.iter().map(|x| toml::Value::Integer(*x)).collect(),
            origin: "--vary".into(),
        };
        let g = grid(&[f("a", &[1, 2]), f("b", &[10, 20, 30])]);
        assert_eq!(g.len(), 6);
        assert_eq!(
            g[1],
            vec![toml::Value::Integer(1), toml::Value::Integer(20)]
        );
        assert_eq!(g[3][0], toml::Value::Integer(2));
    }

    #[test]
    fn sweep_file_keeps_factor_order() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("s.toml");
        std::fs::write(d.path().join("b.toml"), "").unwrap();
        std::fs::write(
            &p,
            "[sweep]\nscenario = \"b.toml\"\nreplications = 5\n\"z.b\" = [1, 2]\n\"a.c\" = [\"x\"]\n",
        )
        .unwrap();
        let s = read_sweep_file(&p).unwrap().unwrap();
        assert_eq!(s.factors[0].path, "z.b");
        assert_eq!(s.factors[1].path, "a.c");
        assert_eq!(s.replications, Some(5));
        assert_eq!(s.scenario, d.path().join("b.toml"));
        std::fs::write(&p, "[scenario]\nname = \"x\"\n").unwrap();
        assert_eq!(read_sweep_file(&p).unwrap(), None);
    }

    /// A dotted key without quotes is a nested table in TOML; its leaves are factors, in file
    /// order, and each factor's errors point at its line.
    #[test]
    fn a_sweep_file_syntax_error_gets_the_scenario_hints() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("s.toml");
        std::fs::write(
            &p,
            "[sweep]\nscenario = \"b.toml\"\n\"backlog.people\" = [25,000, 30000]\n",
        )
        .unwrap();
        let e = read_sweep_file(&p).unwrap_err();
        assert!(
            e.contains("TOML syntax error") && e.contains("\n  hint: "),
            "{e}"
        );
    }

    /// A factor written twice (quoted and as a dotted key: one path) and a grid too large are
    /// named with the file's other problems, each at its own line, not on their own after
    /// them are fixed; a value listed twice too.
    #[test]
    fn a_sweep_file_names_a_factor_given_twice_and_a_large_grid_with_its_other_errors() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("s.toml");
        std::fs::write(d.path().join("b.toml"), "").unwrap();
        let many = |n: usize| {
            let v: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
            v.join(", ")
        };
        std::fs::write(
            &p,
            format!(
                "[sweep]\nscenario = \"b.toml\"\nreplications = 0\n\"screening.servers\" = [1, 2]\n\
                 screening.servers = [3, 3]\n\"backlog.people\" = [{}]\n\
                 \"port[A].quota_per_day\" = [{}]\n",
                many(101),
                many(100)
            ),
        )
        .unwrap();
        let e = read_sweep_file(&p).unwrap_err();
        let f = p.display();
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(
            lines,
            [
                format!("{f}:3:1: sweep.replications must be a whole number of at least 1"),
                format!(
                    "error: {f}:5:11: screening.servers is varied twice (also at {f}:4:1): give \
                     all its values in one list (\"screening.servers\" = [v1, v2, …])"
                ),
                format!("error: {f}:5:11: screening.servers lists 3 twice: give each value once"),
                format!(
                    "error: {f}:1:2: the sweep has 40,400 points (2 × 2 × 101 × 100 values), more \
                     than the 10,000 a sweep may have: vary fewer values, or split the sweep into \
                     several over parts of a factor's values"
                ),
            ],
            "{e}"
        );
        // Without the other problem, the file is read: its factors' problems are the caller's
        // to name with its points' ([`factor_problems`], [`grid_size`]).
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, text.replace("replications = 0\n", "")).unwrap();
        let s = read_sweep_file(&p).unwrap().unwrap();
        let problems = factor_problems(&s.factors);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("screening.servers is varied twice"));
        assert!(grid_size(&s.factors).is_err());
    }

    /// The file's own problems come in the order of its lines, whatever their kind; the grid's
    /// size, a problem of all the factors, last.
    #[test]
    fn a_sweep_file_names_its_problems_in_line_order() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("s.toml");
        std::fs::write(d.path().join("b.toml"), "").unwrap();
        std::fs::write(
            &p,
            "[sweep]\nscenario = \"b.toml\"\n\"port[A].quota_per_day\" = [1, 1]\n\
             replications = 0\n\"screening.servers\" = []\nseed = -1\n",
        )
        .unwrap();
        let e = read_sweep_file(&p).unwrap_err();
        let f = p.display().to_string();
        let at: Vec<_> = e
            .lines()
            .map(|l| line_in(l.strip_prefix("error: ").unwrap_or(l), &f))
            .collect();
        assert_eq!(
            at,
            [Some((3, 1)), Some((4, 1)), Some((5, 1)), Some((6, 1))],
            "{e}"
        );
        assert!(e.lines().next().unwrap().contains("lists 1 twice"), "{e}");
        assert_eq!(line_in("--vary: a.b: x", &f), None);
        assert_eq!(line_in(&format!("{f}: the sweep has"), &f), None);
    }

    /// A path given again by --vary names where the file gave it; two --vary say nothing of
    /// where the first was.
    #[test]
    fn a_factor_varied_twice_names_where_it_was_first() {
        let f = |path: &str, origin: &str| Factor {
            path: path.into(),
            values: vec![toml::Value::Integer(1)],
            origin: origin.into(),
        };
        let p = factor_problems(&[f("a.b", "s.toml:3:1"), f("a.b", "--vary")]);
        assert_eq!(
            p,
            ["--vary: a.b is varied twice (also at s.toml:3:1): give all its values in one list \
              (a.b=v1,v2,…)"]
        );
        let p = factor_problems(&[f("a.b", "--vary"), f("a.b", "--vary"), f("c.d", "--vary")]);
        assert_eq!(
            p,
            ["--vary: a.b is varied twice: give all its values in one list (a.b=v1,v2,…)"]
        );
        assert!(factor_problems(&[f("a.b", "--vary"), f("c.d", "--vary")]).is_empty());
    }

    #[test]
    fn sweep_file_takes_unquoted_dotted_keys_as_factors() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("s.toml");
        std::fs::write(d.path().join("b.toml"), "").unwrap();
        std::fs::write(
            &p,
            "[sweep]\nscenario = \"b.toml\"\nscreening.servers = [20, 40]\n\
             \"port[A].quota_per_day\" = [1]\nhealth = { retest_days = [1, 2], x = 3 }\n",
        )
        .unwrap();
        let e = read_sweep_file(&p).unwrap_err();
        assert_eq!(
            e,
            format!(
                "{}:5:34: sweep.\"health.x\" must be a non-empty list of values, e.g. [200, 300, 400]",
                p.display()
            )
        );
        std::fs::write(
            &p,
            "[sweep]\nscenario = \"b.toml\"\nscreening.servers = [20, 40]\n\
             \"port[A].quota_per_day\" = [1]\nhealth = { retest_days = [1, 2] }\n",
        )
        .unwrap();
        let s = read_sweep_file(&p).unwrap().unwrap();
        let paths: Vec<&str> = s.factors.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "screening.servers",
                "port[A].quota_per_day",
                "health.retest_days"
            ]
        );
        let origins: Vec<String> = s.factors.iter().map(|f| f.origin.clone()).collect();
        let f = p.display();
        assert_eq!(
            origins,
            [format!("{f}:3:11"), format!("{f}:4:1"), format!("{f}:5:12")]
        );
    }
}
