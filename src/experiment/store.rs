//! Stored per-replication results, shards and merging.
//!
//! A run's `--out DIR` (and every shard) holds `run.json` (or `sweep.json`): the scenario's
//! identity — its effective TOML after `extends` and `--set`, a fingerprint of it, the seed and
//! the planned replication count — `replications.jsonl`: one JSON object per replication
//! (every field of `ReplicationResult` but the daily series; sweep lines add `"point"`), and
//! for runs `daily.json`: the daily series of all its replications folded into histograms
//! ([`DailyAcc`]), which merge exactly, so extending or merging needs no per-replication
//! series. (Stores written before `daily.json` existed keep each replication's daily series in
//! its line; they are still read.)
//! `--shard i/n` runs the contiguous block of replication indices
//! `[⌊(i−1)·R/n⌋, ⌊i·R/n⌋)`; merging checks identity and that the indices cover `0..R` exactly
//! once, then summarises in index order, so the result is the single-machine result.

use super::{DailyAcc, Records};
use crate::format::counted;
use crate::model::ReplicationResult;
use serde::{Deserialize, Serialize};
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

/// Format tag of `run.json` / `sweep.json`.
pub const FORMAT: &str = "clearance-replications/1";
/// File names.
pub const RUN_META: &str = "run.json";
/// The metadata file of a stored sweep (`run.json` for a run).
pub const SWEEP_META: &str = "sweep.json";
/// The replication records, one JSON line each.
pub const LINES: &str = "replications.jsonl";
/// The daily bands' accumulator of a run, when it was stored.
pub const DAILY: &str = "daily.json";

/// `--shard i/n`: shard i (1-based) of n.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// Which shard this is, from 1 to `count` \[shards\].
    pub index: u32,
    /// How many shards the run is split into \[shards\].
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}`: expected i/n with 1 <= i <= n, e.g. 2/4");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// This shard's replication indices out of `total` (contiguous, deterministic).
    pub fn range(&self, total: u32) -> std::ops::Range<u32> {
        let at = |k: u32| ((k as u64 * total as u64) / self.count as u64) as u32;
        at(self.index - 1)..at(self.index)
    }

    /// Which of `total` replications this shard runs, in words: "replications 133–199 of 200
    /// (numbered from 0)", "replication 5 of 200 (…)", or "none of the 2 replications (…)" when
    /// there are more shards than replications.
    pub fn describe(&self, total: u32) -> String {
        let r = self.range(total);
        match r.len() {
            0 => format!(
                "none of the {} (more shards than replications)",
                counted(u64::from(total), "replication", "replications")
            ),
            1 => format!("replication {} of {total} (numbered from 0)", r.start),
            _ => format!(
                "replications {}–{} of {total} (numbered from 0)",
                r.start,
                r.end - 1
            ),
        }
    }
}

#[cfg(test)]
mod shard_tests {
    use super::Shard;

    /// Shards name the replications they run as they are numbered in the files: "133..200 of
    /// 200" had named a replication 200 that does not exist, and "1..1" an empty range.
    #[test]
    fn a_shard_names_its_replications_inclusively() {
        let s = |index, count| Shard { index, count };
        assert_eq!(
            s(3, 3).describe(200),
            "replications 133–199 of 200 (numbered from 0)"
        );
        assert_eq!(s(3, 3).describe(2), "replication 1 of 2 (numbered from 0)");
        assert_eq!(
            s(1, 3).describe(2),
            "none of the 2 replications (more shards than replications)"
        );
    }
}

/// One point of a stored sweep.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PointMeta {
    /// The factor values, as TOML text (`300`, `"2h"`).
    pub values: Vec<String>,
    /// The point's effective scenario (after extends, `--set` and its factor values) as TOML.
    pub scenario_toml: String,
    /// [`crate::scenario::fingerprint`] of that scenario: 16 hex digits of a 64-bit hash of
    /// its canonical TOML without its seed and replications; a store whose `scenario_toml` no
    /// longer has it is refused.
    pub fingerprint: String,
}

/// The scenario a stored sweep varies, before its factors, and where the sweep was given: what
/// the merge of its shards needs to write `provenance.json` and `scenario.toml` as `sweep --out`
/// writes them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SweepBase {
    /// The scenario after `extends` and `--set`, before the factors, as TOML (its seed and
    /// replications as the file gives them).
    pub scenario_toml: String,
    /// [`crate::scenario::fingerprint`] of that scenario (16 hex digits); a store whose
    /// `scenario_toml` no longer has it is refused.
    pub fingerprint: String,
    /// The sweep file, as named on the command line, when the sweep was read from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep_file: Option<String>,
    /// Where each factor was given (`--vary`, or its place in the sweep file), in the order
    /// of `factors`.
    pub origins: Vec<String>,
}

/// `run.json` / `sweep.json`: what the stored replications are replications of.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    /// The store's format tag, [`FORMAT`]; a store of another format is refused.
    pub format: String,
    /// The version of clearance that wrote the store (of a merge or an extended run: the one
    /// that merged or extended it); empty in stores written before it was recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub clearance_version: String,
    /// [`crate::RESULTS_VERSION`] of the build whose replications the store holds; `merge` and
    /// `run --extend` refuse a store of another ([`check_results_version`]). Absent in stores
    /// written before it was recorded, and in the merge or extension of one (which cannot
    /// vouch for them): those are used with a warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results_version: Option<u32>,
    /// "run" or "sweep".
    pub kind: String,
    /// The scenario file as named on the command line.
    pub scenario_file: String,
    /// Effective scenario (after extends and --set) as TOML; for sweeps, that of the first
    /// point.
    pub scenario_toml: String,
    /// [`crate::scenario::fingerprint`] of the effective scenario (16 hex digits), which
    /// shards must share to be merged and `scenario_toml` must still have; for sweeps, the
    /// points' fingerprints joined by `+`.
    pub fingerprint: String,
    /// The `--set` overrides the run applied to its file, as `PATH=VALUE` (the table and
    /// summary.json of a merge or an extended run name them too); absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// Seed used (after --seed).
    pub seed: u64,
    /// Planned replications of the whole (unsharded) run, per point for sweeps.
    pub replications: u32,
    /// The `--shard` that wrote it; `None` for a whole run (or a merge).
    pub shard: Option<Shard>,
    /// Replication indices held here: [first, end).
    pub first: u32,
    /// One past the last replication index held here \[replication index\].
    pub end: u32,
    /// Sweep only: factor key paths, and one entry per grid point.
    #[serde(default)]
    pub factors: Vec<String>,
    #[serde(default)]
    /// Sweep only: one entry per grid point, in grid order (empty for a run).
    pub points: Vec<PointMeta>,
    /// Sweep only: the scenario before the factors and where the sweep and its factors were
    /// given, from which the merge of its shards writes `provenance.json` and `scenario.toml`
    /// as `sweep --out` does; absent in sweeps stored before it was recorded (they merge
    /// without those two files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<SweepBase>,
    /// Wall-clock time spent running the replications held here, added up over the shards
    /// merged and the runs extended \[seconds\]; 0 in stores written before it was recorded.
    #[serde(default)]
    pub wall_seconds: f64,
    /// The most worker threads any of those runs used \[threads\]; 0 when not recorded.
    #[serde(default)]
    pub threads: usize,
    /// Digest (64-bit FNV-1a, hex) of the `replications.jsonl` written with this file, so that
    /// a directory holding parts of two runs (a run killed while it wrote its store, files
    /// copied in) is refused; empty in stores written before it was recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lines_digest: String,
    /// Digest of the `daily.json` written with this file, as `lines_digest`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub daily_digest: String,
    /// The scenario's validation warnings as the run gave them (with their `file:line`, their
    /// `--set` and those a base of `extends` gives rise to), which the summary of a merge or an
    /// extended run gives in their place; for a sweep, those of all its points, each once.
    /// Absent in stores written before they were recorded: they are then derived again from
    /// `scenario_toml`, without those positions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<String>>,
}

/// Refuse the store of `meta` (in `dir`) when it holds the replications of a build whose results
/// for a seed differ from this one's (another [`crate::RESULTS_VERSION`]): merged or extended
/// here, they would be mixed with this build's, or summarised as this build never gives them.
/// A store without a results version (written before it was recorded) is not refused here: see
/// [`Meta::results_version`].
pub fn check_results_version(dir: &Path, meta: &Meta) -> Result<(), StoreError> {
    match meta.results_version {
        Some(v) if v != crate::RESULTS_VERSION => Err(bad(
            dir,
            format!(
                "holds the replications of a build of results version {v} (clearance {}), and \
                 this build (clearance {}) is of results version {}: the same seed gives other \
                 results, so they cannot be merged or extended here; run them again with this \
                 build, or merge or extend them with the one that wrote them",
                version_text(&meta.clearance_version),
                env!("CARGO_PKG_VERSION"),
                crate::RESULTS_VERSION,
            ),
        )),
        _ => Ok(()),
    }
}

/// A recorded clearance version, or words for one not recorded.
fn version_text(v: &str) -> &str {
    match v {
        "" => "(version not recorded)",
        v => v,
    }
}

/// An error and its causes, "could not write …: No space left on device (os error 28)".
fn with_cause(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(&format!(": {c}"));
        cause = c.source();
    }
    text
}

/// 64-bit FNV-1a over the bytes written or read through it.
struct Digest<T> {
    inner: T,
    hash: u64,
}

impl<T> Digest<T> {
    fn new(inner: T) -> Digest<T> {
        Digest {
            inner,
            hash: crate::hash::FNV1A_EMPTY,
        }
    }

    fn add(&mut self, bytes: &[u8]) {
        self.hash = crate::hash::fnv1a_extend(self.hash, bytes);
    }

    fn hex(&self) -> String {
        format!("{:016x}", self.hash)
    }
}

impl<T: Write> Write for Digest<T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.add(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Refuse a file whose digest is not the one its `run.json` (`sweep.json`) recorded (none
/// recorded: older store, accepted).
fn check_digest(meta: &Meta, file: &Path, recorded: &str, found: &str) -> Result<(), StoreError> {
    if recorded.is_empty() || recorded == found {
        return Ok(());
    }
    let meta = if meta.kind == "sweep" {
        SWEEP_META
    } else {
        RUN_META
    };
    Err(bad(
        file,
        format!(
            "is not the file {meta} was written with (it was changed, or the directory holds \
             parts of two runs, e.g. of a run stopped while it wrote them): run the \
             replications again into an empty --out directory"
        ),
    ))
}

/// Whether a stored replication can be one of the run of `scn` (seed, people, times within the
/// horizon, finite waits), so that a damaged or foreign line is refused by name instead of
/// summarised (a clearance of 1e20 days had panicked the dates).
pub fn check_result(r: &ReplicationResult, scn: &crate::scenario::Scenario) -> Result<(), String> {
    let i = r.index;
    if r.seed != crate::engine::rng::replication_seed(scn.seed, i as u64) {
        return Err(format!(
            "replication {i} was run with another seed than the stored run's {}",
            scn.seed
        ));
    }
    let total = scn.cohort_people();
    let ended = [r.processed, r.dropped, r.unreached, r.in_system]
        .iter()
        .try_fold(0u64, |a, b| a.checked_add(*b));
    if r.people_total != total {
        return Err(format!(
            "replication {i} has people_total = {}, the scenario {total}",
            r.people_total
        ));
    }
    if ended != Some(total) {
        return Err(format!(
            "replication {i} accounts for {} people (processed, dropped, never reached and \
             still waiting), the scenario has {total}",
            ended.map_or("more than 2^64".to_string(), |n| n.to_string())
        ));
    }
    let horizon = scn.horizon;
    let within = |v: f64| v.is_finite() && (0.0..=horizon).contains(&v);
    let times = [
        ("clearance_days", Some(r.clearance_days)),
        ("end_days", Some(r.end_days)),
        ("t50_days", r.t50_days),
        ("t90_days", r.t90_days),
        ("t99_days", r.t99_days),
    ];
    if let Some((name, v)) = times.iter().find(|(_, v)| v.is_some_and(|v| !within(v))) {
        return Err(format!(
            "replication {i} has {name} = {}, outside 0 ..= {horizon} days (the horizon)",
            v.unwrap_or_default()
        ));
    }
    if r.ports.len() != scn.ports.len() || r.classes.len() != scn.classes.len() {
        return Err(format!(
            "replication {i} has {} ports and {} classes, the scenario {} and {}",
            r.ports.len(),
            r.classes.len(),
            scn.ports.len(),
            scn.classes.len()
        ));
    }
    let stages = [&r.screening, &r.transport, &r.port];
    let fractions = stages
        .iter()
        .flat_map(|s| [s.wait_days, s.utilization])
        .chain(r.ports.iter().flat_map(|p| [p.wait_days, p.utilization]))
        .chain(r.classes.iter().map(|c| c.days_to_processed))
        .chain(r.classes.iter().map(|c| Some(c.clearance_days)))
        .flatten();
    for v in fractions {
        if !(v.is_finite() && v >= 0.0) {
            return Err(format!(
                "replication {i} has a wait, utilization or class time of {v}"
            ));
        }
    }
    Ok(())
}

/// One line of `replications.jsonl`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Line {
    /// Sweep point (absent for runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<usize>,
    #[serde(flatten)]
    /// The replication's record, its fields flattened into the line.
    pub result: ReplicationResult,
}

/// Errors reading, writing or merging stored results; each names the file or directory.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file or directory that is not a usable store, or stores that do not merge.
    #[error("{path}: {message}")]
    Bad {
        /// The file or directory.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A file or directory could not be read or written.
    #[error("could not read or write {path}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// The error of an I/O operation on `path`.
fn io_at(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn bad(path: &Path, message: impl Into<String>) -> StoreError {
    StoreError::Bad {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// One line of `replications.jsonl` as written: borrows the result.
#[derive(Serialize)]
struct LineRef<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    point: Option<usize>,
    #[serde(flatten)]
    result: &'a ReplicationResult,
}

/// One result as a JSON line (`point` for sweeps).
fn write_line(
    w: &mut dyn Write,
    point: Option<usize>,
    result: &ReplicationResult,
) -> io::Result<()> {
    serde_json::to_writer(&mut *w, &LineRef { point, result })?;
    w.write_all(b"\n")
}

/// Write `meta`, a run's records (in memory or spilled, streamed line by line) and the folded
/// daily series into `dir` (atomically, file by file).
pub fn write_records<R: Records + ?Sized>(
    dir: &Path,
    meta: &Meta,
    reps: &R,
    daily: Option<&DailyAcc>,
) -> Result<(), StoreError> {
    write_with(dir, meta, |w| reps.each(|r| write_line(w, None, r)), daily)
}

fn write_with(
    dir: &Path,
    meta: &Meta,
    write_lines: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    daily: Option<&DailyAcc>,
) -> Result<(), StoreError> {
    let name = if meta.kind == "sweep" {
        SWEEP_META
    } else {
        RUN_META
    };
    let mut meta = meta.clone();
    meta.lines_digest.clear();
    meta.daily_digest.clear();
    let p = dir.join(LINES);
    crate::fsio::atomic_write_with(&p, |w| {
        let mut d = Digest::new(w);
        write_lines(&mut d)?;
        meta.lines_digest = d.hex();
        Ok(())
    })
    .map_err(|e| bad(&p, with_cause(&e)))?;
    if let Some(acc) = daily {
        let p = dir.join(DAILY);
        crate::fsio::atomic_write_with(&p, |w| {
            let mut d = Digest::new(w);
            serde_json::to_writer(&mut d, acc)?;
            d.write_all(b"\n")?;
            meta.daily_digest = d.hex();
            Ok(())
        })
        .map_err(|e| bad(&p, with_cause(&e)))?;
    }
    let mut json = serde_json::to_string_pretty(&meta).map_err(|e| bad(dir, e.to_string()))?;
    json.push('\n');
    let p = dir.join(name);
    crate::fsio::atomic_write(&p, json.as_bytes()).map_err(|e| bad(&p, with_cause(&e)))?;
    Ok(())
}

/// What a store directory holds.
#[derive(Debug, Clone)]
pub struct Stored {
    /// The run's or sweep's metadata (`run.json` or `sweep.json`).
    pub meta: Meta,
    /// Every line of `replications.jsonl`, in file order.
    pub lines: Vec<Line>,
    /// `daily.json`, when the directory has one (runs; not yet checked against a scenario).
    pub daily: Option<DailyAcc>,
}

/// Read a directory written by `write`, every line in memory (see [`each_line`] and
/// [`each_run_result`] to read the lines one at a time).
pub fn read(dir: &Path) -> Result<Stored, StoreError> {
    let meta = read_meta(dir)?;
    let mut lines = Vec::new();
    each_line(dir, &meta, |l| {
        lines.push(l);
        Ok(())
    })?;
    let daily = read_daily(dir, &meta)?;
    Ok(Stored { meta, lines, daily })
}

/// A file of a store read whole (`run.json`, `sweep.json`, `daily.json`), at most
/// [`crate::fsio::STORE_CAP`] bytes.
fn read_whole(p: &Path) -> Result<Vec<u8>, StoreError> {
    crate::fsio::read_capped(p, crate::fsio::STORE_CAP).map_err(|e| match e {
        crate::fsio::ReadError::Io { source, .. } => io_at(p)(source),
        crate::fsio::ReadError::TooLarge { cap, .. } => bad(p, crate::fsio::too_large(cap)),
    })
}

/// `run.json` or `sweep.json` of a store directory.
pub fn read_meta(dir: &Path) -> Result<Meta, StoreError> {
    // Both: one is left from an earlier command of the other kind (a sweep's shard written
    // into a run's directory by an earlier version, or files copied in), and was read in the
    // place of the other (its replications then "not the file run.json was written with").
    if [RUN_META, SWEEP_META].iter().all(|n| dir.join(n).is_file()) {
        return Err(two_stores(dir));
    }
    let meta_path = [RUN_META, SWEEP_META]
        .iter()
        .map(|n| dir.join(n))
        // A file (or a device or FIFO in its place, refused when read), not a directory.
        .find(|p| p.exists() && !p.is_dir())
        .ok_or_else(|| {
            // An interrupted run writes its summary (marked partial) but no store.
            let partial =
                crate::fsio::read_capped(&dir.join("summary.json"), crate::fsio::TEXT_CAP)
                    .ok()
                    .and_then(|t| serde_json::from_slice::<serde_json::Value>(&t).ok())
                    .is_some_and(|v| v["partial"] == serde_json::Value::Bool(true));
            if !dir.exists() {
                let hint = crate::fsio::missing_path_hint(dir, &[]);
                bad(
                    dir,
                    format!(
                        "no such directory: name a directory written by run/sweep --out{}",
                        hint.map(|h| format!("; {h}")).unwrap_or_default()
                    ),
                )
            } else if !dir.is_dir() {
                bad(
                    dir,
                    "a file, not a directory: name a directory written by run/sweep --out",
                )
            } else if partial {
                bad(
                    dir,
                    "the run written here was interrupted, so it kept no replication store \
                     (run.json) to extend or merge: run it again whole",
                )
            } else {
                bad(
                    dir,
                    "no run.json or sweep.json here: not a directory written by run/sweep --out",
                )
            }
        })?;
    let text = read_whole(&meta_path)?;
    let mut meta: Meta =
        serde_json::from_slice(&text).map_err(|e| bad(&meta_path, e.to_string()))?;
    if meta.format != FORMAT {
        return Err(bad(
            &meta_path,
            format!("format {:?} is not {FORMAT:?}", meta.format),
        ));
    }
    // The replications planned are those a run may have, and those held a part of them: merge
    // sets aside a place for every one planned (4294967295 had aborted it on allocation) and
    // --extend counts end − first.
    use crate::scenario::validate::MAX_REPLICATIONS;
    if !(1..=MAX_REPLICATIONS).contains(&(meta.replications as i64)) {
        return Err(bad(
            &meta_path,
            format!(
                "replications = {}: a run has 1 to 1,000,000 (the file was changed); run the \
                 replications again",
                meta.replications
            ),
        ));
    }
    if !(meta.first <= meta.end && meta.end <= meta.replications) {
        return Err(bad(
            &meta_path,
            format!(
                "holds replications first = {} to end = {} of {}: not a part of the run (the \
                 file was changed); run the replications again",
                meta.first, meta.end, meta.replications
            ),
        ));
    }
    // The timings are added up by merge and written again: a figure no run can have (1e308
    // seconds had merged into "inf s on 9223372036854775808 threads" and a run.json that
    // could not be read back) is refused here.
    if !(meta.wall_seconds.is_finite() && (0.0..=1e9).contains(&meta.wall_seconds))
        || meta.threads > 65_536
    {
        return Err(bad(
            &meta_path,
            format!(
                "wall_seconds = {}, threads = {}: not the timing of a run (0 to 1e9 seconds, at \
                 most 65,536 threads; the file was changed); run the replications again",
                // (1e308, not its 309 digits)
                if meta.wall_seconds.abs() >= 1e9 {
                    format!("{:e}", meta.wall_seconds)
                } else {
                    meta.wall_seconds.to_string()
                },
                meta.threads
            ),
        ));
    }
    if meta.points.len() > super::sweep::MAX_SWEEP_POINTS {
        return Err(bad(
            &meta_path,
            format!(
                "holds {} sweep points, more than the {} a sweep may have (the file was \
                 changed); run the sweep again",
                meta.points.len(),
                super::sweep::MAX_SWEEP_POINTS
            ),
        ));
    }
    // A sweep's point names one value per factor (the fingerprints cover only the scenarios:
    // a point with a value missing had panicked merge).
    if let Some((k, p)) = meta
        .points
        .iter()
        .enumerate()
        .find(|(_, p)| p.values.len() != meta.factors.len())
    {
        return Err(bad(
            &meta_path,
            format!(
                "point {k} has {} value{} ({}) for the {} factor{} ({}): every point needs one \
                 value per factor (the file was changed); run the sweep again",
                p.values.len(),
                if p.values.len() == 1 { "" } else { "s" },
                p.values.join(", "),
                meta.factors.len(),
                if meta.factors.len() == 1 { "" } else { "s" },
                meta.factors.join(", ")
            ),
        ));
    }
    if let Some(b) = meta
        .base
        .as_ref()
        .filter(|b| b.origins.len() != meta.factors.len())
    {
        return Err(bad(
            &meta_path,
            format!(
                "base.origins names {} origin{} for the {} factor{} ({}): one per factor (the \
                 file was changed); run the sweep again",
                b.origins.len(),
                if b.origins.len() == 1 { "" } else { "s" },
                meta.factors.len(),
                if meta.factors.len() == 1 { "" } else { "s" },
                meta.factors.join(", ")
            ),
        ));
    }
    // Nor does a sweep hold a point twice (its rows would carry the same label).
    let mut seen = std::collections::HashMap::new();
    for (k, p) in meta.points.iter().enumerate() {
        if let Some(j) = seen.insert(&p.values, k) {
            return Err(bad(
                &meta_path,
                format!(
                    "points {j} and {k} have the same values ({}): a sweep holds each point once \
                     (the file was changed); run the sweep again",
                    p.values.join(", ")
                ),
            ));
        }
    }
    // The scenario text must be the one its fingerprint was taken of (an edited scenario would
    // be summarised with the replications of another). A store written before the fingerprint
    // left out the seed and replications recorded that of the whole text; it is recognised
    // and given the fingerprint of now, so that its shards merge with shards written since and
    // what a merge or an extension writes carries the fingerprint of now.
    let current = |toml_text: &str, recorded: &str| {
        let t = toml_text.parse::<toml::Table>().ok()?;
        let now = crate::scenario::fingerprint(&t);
        (now == recorded || crate::scenario::legacy_fingerprint(&t) == recorded).then_some(now)
    };
    let mut changed = false;
    for p in &mut meta.points {
        match current(&p.scenario_toml, &p.fingerprint) {
            Some(f) => p.fingerprint = f,
            None => changed = true,
        }
    }
    if let Some(b) = &mut meta.base {
        match current(&b.scenario_toml, &b.fingerprint) {
            Some(f) => b.fingerprint = f,
            None => changed = true,
        }
    }
    if meta.kind == "sweep" {
        meta.fingerprint = meta
            .points
            .iter()
            .map(|p| p.fingerprint.as_str())
            .collect::<Vec<_>>()
            .join("+");
    } else {
        match current(&meta.scenario_toml, &meta.fingerprint) {
            Some(f) => meta.fingerprint = f,
            None => changed = true,
        }
    }
    if changed {
        return Err(bad(
            &meta_path,
            "its scenario_toml is not the scenario its fingerprint was taken of (the file was \
             changed): run the replications again",
        ));
    }
    // A whole run's store beside the summary.json of another experiment (an interrupted run
    // written over the directory by a build that left the earlier run's store in place, or
    // files copied in): `run --extend` and `merge` had gone on silently with the earlier run.
    if meta.kind == "run" && meta.shard.is_none() {
        if let Some(why) = summary_of_another_run(dir, &meta) {
            return Err(bad(dir, why));
        }
    }
    Ok(meta)
}

/// Why the `summary.json` beside a whole run's store is not of the run the store holds: its
/// scenario's fingerprint or its seed differ from `run.json`'s. `None` when they agree, or the
/// summary is absent, unreadable or records no fingerprint (written before it did, or of a
/// scenario changed in code). An interrupted extension of the store (its summary partial, of
/// the same scenario and seed) agrees: it is continued from the store.
fn summary_of_another_run(dir: &Path, meta: &Meta) -> Option<String> {
    let text = crate::fsio::read_capped(&dir.join("summary.json"), crate::fsio::TEXT_CAP).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&text).ok()?;
    let fingerprint = v["scenario"]["fingerprint"].as_str()?;
    if v["scenario"]["modified_in_code"] == serde_json::Value::Bool(true) {
        return None;
    }
    let seed = v["seed"].as_u64()?;
    let legacy = meta
        .scenario_toml
        .parse::<toml::Table>()
        .map(|t| crate::scenario::legacy_fingerprint(&t))
        .unwrap_or_default();
    let same_model = fingerprint == meta.fingerprint || fingerprint == legacy;
    if same_model && seed == meta.seed {
        return None;
    }
    let (what, store) = match same_model {
        true => (format!("seed {seed}"), format!("seed {}", meta.seed)),
        false => (
            format!("scenario {fingerprint}"),
            format!("scenario {}", meta.fingerprint),
        ),
    };
    Some(match v["partial"] == serde_json::Value::Bool(true) {
        true => format!(
            "the run written here was interrupted, so it kept no replication store (run.json) \
             to extend or merge; the store here ({what} in summary.json, {store} in run.json) \
             is of an earlier run: run it again whole"
        ),
        false => format!(
            "summary.json and the store (run.json) are of two runs ({what} in summary.json, \
             {store} in run.json): the files were copied or changed; run it again whole"
        ),
    })
}

/// The error for a directory holding both `run.json` and `sweep.json`: which one its
/// `replications.jsonl` was written with, when a recorded digest says so, and what to remove.
fn two_stores(dir: &Path) -> StoreError {
    // The digest of replications.jsonl, and the one each metadata file recorded.
    let lines = std::fs::File::open(dir.join(LINES)).ok().and_then(|mut f| {
        let mut d = Digest::new(io::sink());
        io::copy(&mut f, &mut d).ok()?;
        Some(d.hex())
    });
    let recorded = |name: &str| -> Option<String> {
        let text = read_whole(&dir.join(name)).ok()?;
        let m: Meta = serde_json::from_slice(&text).ok()?;
        Some(m.lines_digest).filter(|d| !d.is_empty())
    };
    let current = |name: &str| lines.is_some() && recorded(name) == lines;
    let stale = match (current(RUN_META), current(SWEEP_META)) {
        (false, true) => Some(format!(
            "{LINES} was written with {SWEEP_META} (a sweep's shard), so {RUN_META}{} {} left \
             from an earlier run: remove {}",
            if dir.join(DAILY).exists() {
                format!(" and {DAILY}")
            } else {
                String::new()
            },
            if dir.join(DAILY).exists() {
                "are"
            } else {
                "is"
            },
            if dir.join(DAILY).exists() {
                "them"
            } else {
                "it"
            }
        )),
        (true, false) => Some(format!(
            "{LINES} was written with {RUN_META} (a run), so {SWEEP_META} is left from an \
             earlier sweep: remove it"
        )),
        _ => None,
    };
    bad(
        dir,
        format!(
            "holds both {RUN_META} and {SWEEP_META}, the stores of a run and of a sweep, of which \
             one is left from an earlier command; {}, or write each shard into an empty --out \
             directory",
            stale.unwrap_or_else(|| format!(
                "remove the one that is not the store of {LINES} (the older)"
            ))
        ),
    )
}

/// `daily.json` of a store directory whose `run.json` is `meta`, when it has one (not yet
/// checked against a scenario).
pub fn read_daily(dir: &Path, meta: &Meta) -> Result<Option<DailyAcc>, StoreError> {
    let p = dir.join(DAILY);
    // A file (or a device or FIFO in its place, refused when read), not a directory.
    if !p.exists() || p.is_dir() {
        return Ok(None);
    }
    let bytes = read_whole(&p)?;
    let mut d = Digest::new(());
    d.add(&bytes);
    check_digest(meta, &p, &meta.daily_digest, &d.hex())?;
    let acc: DailyAcc = serde_json::from_slice(&bytes).map_err(|e| bad(&p, e.to_string()))?;
    Ok(Some(acc))
}

/// Call `f` on each line of a store directory's `replications.jsonl` (whose `run.json` is
/// `meta`), in file order, one line in memory at a time.
pub fn each_line(
    dir: &Path,
    meta: &Meta,
    mut f: impl FnMut(Line) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let p = dir.join(LINES);
    let recorded = &meta.lines_digest;
    let file = crate::fsio::LineCapped::open(&p).map_err(io_at(&p))?;
    let mut reader = std::io::BufReader::new(file);
    let mut text = String::new();
    let mut digest = Digest::new(());
    // The digest covers the whole file; checked before the first line is used, so that
    // nothing of a foreign file is summarised. (One pass to check, one to read: the file is
    // read twice only when a digest was recorded.)
    if !recorded.is_empty() {
        let mut buf = Vec::new();
        loop {
            buf.clear();
            if reader.read_until(b'\n', &mut buf).map_err(io_at(&p))? == 0 {
                break;
            }
            digest.add(&buf);
        }
        check_digest(meta, &p, recorded, &digest.hex())?;
        let file = crate::fsio::LineCapped::open(&p).map_err(io_at(&p))?;
        reader = std::io::BufReader::new(file);
    }
    for n in 1.. {
        text.clear();
        let got = reader.read_line(&mut text).map_err(io_at(&p))?;
        if got == 0 {
            break;
        }
        if text.trim().is_empty() {
            continue;
        }
        let line: Line =
            serde_json::from_str(&text).map_err(|e| bad(&p, format!("line {n}: {e}")))?;
        f(line)?;
    }
    Ok(())
}

/// Call `f` on each replication of the run of `scn` stored in `dir`, in file order and without
/// its daily series, one in memory at a time. Returns the daily bands' accumulator of the
/// store: `daily.json` checked against the scenario and the number of lines, or (older stores)
/// folded from the lines' daily series.
pub fn each_run_result(
    dir: &Path,
    scn: &crate::scenario::Scenario,
    mut f: impl FnMut(ReplicationResult) -> Result<(), StoreError>,
) -> Result<DailyAcc, StoreError> {
    let p = dir.join(DAILY);
    let meta = read_meta(dir)?;
    let stored = read_daily(dir, &meta)?;
    if let Some(acc) = &stored {
        acc.check(scn).map_err(|e| {
            let why = if e.contains("an earlier version") {
                "its replications cannot be added to"
            } else {
                "the file was changed or damaged"
            };
            bad(&p, format!("{e}: {why}; run the replications again"))
        })?;
    }
    let mut folded = stored.is_none().then(|| DailyAcc::new(scn));
    let mut count = 0u64;
    each_line(dir, &meta, |l| {
        let mut r = l.result;
        check_result(&r, scn).map_err(|e| bad(&dir.join(LINES), e))?;
        if let Some(acc) = &mut folded {
            if r.daily.is_empty() {
                return Err(bad(
                    &p,
                    "is missing, and the replications hold no daily series: the directory is \
                     incomplete",
                ));
            }
            acc.try_add(&r.daily)
                .map_err(|e| bad(&dir.join(LINES), e))?;
        }
        r.daily = Default::default();
        count += 1;
        f(r)
    })?;
    match stored {
        Some(acc) if acc.replications() != count => Err(bad(
            &p,
            format!(
                "holds {}, {LINES} {count}",
                counted(acc.replications(), "replication", "replications")
            ),
        )),
        Some(acc) => Ok(acc),
        None => Ok(folded.unwrap_or_else(|| DailyAcc::new(scn))),
    }
}

/// `dirs` (shard directories to merge) in the order of the replications they hold: by the
/// first replication index held, then the last, the `--shard` index and the directory's name,
/// whatever order they were given in. A merge takes what its output records of the experiment
/// as a whole (the scenario file as named, the `--set` values as written, the sweep file, the
/// provenance) from the first of them, and adds up its figures (the daily sums, the wall-clock
/// seconds) in this order: `merge B A` writes byte for byte what `merge A B` does. Shards of
/// different experiments or splits are refused first, named in the order given.
pub fn in_shard_order(dirs: &[PathBuf]) -> Result<Vec<PathBuf>, StoreError> {
    let (_, metas) = shards_checked(dirs)?;
    let mut keyed: Vec<_> = metas
        .into_iter()
        .map(|(d, m)| ((m.first, m.end, m.shard.map_or(0, |s| s.index)), d))
        .collect();
    keyed.sort_by(|(a, da), (b, db)| a.cmp(b).then_with(|| da.cmp(db)));
    Ok(keyed.into_iter().map(|(_, d)| d).collect())
}

/// Refuse shards of different splits (`--shard i/n` with different n: `1/3`, `2/3` and a stale
/// `3/7`) whose replications do not fit together, naming each shard's split; without this the
/// merge had said "replication 8 is present twice: the same shard was given twice?". Shards of
/// different splits that hold every replication exactly once between them (`1/2` with `3/4` and
/// `4/4`) are not refused: they are the same replications.
fn one_split(metas: &[(PathBuf, Meta)]) -> Result<(), StoreError> {
    let shards: Vec<(&PathBuf, Shard)> = metas
        .iter()
        .filter_map(|(d, m)| m.shard.map(|s| (d, s)))
        .collect();
    // The splits, in the order their first shard was given.
    let mut counts: Vec<u32> = Vec::new();
    for (_, s) in &shards {
        if !counts.contains(&s.count) {
            counts.push(s.count);
        }
    }
    if counts.len() < 2 {
        return Ok(());
    }
    // Held exactly once between them: the ranges, in order, end to end from 0 to the total.
    let mut ranges: Vec<(u32, u32)> = metas.iter().map(|(_, m)| (m.first, m.end)).collect();
    ranges.sort_unstable();
    let total = metas.first().map_or(0, |(_, m)| m.replications);
    let mut next = 0;
    let mut fit = true;
    for (first, end) in ranges {
        fit &= first == next;
        next = end;
    }
    if fit && next == total {
        return Ok(());
    }
    // The split most shards belong to (the largest n on a tie) is "the others".
    let of = |n: u32| shards.iter().filter(|(_, s)| s.count == n).count();
    let main = counts
        .iter()
        .copied()
        .max_by_key(|&n| (of(n), n))
        .unwrap_or(0);
    let unique = counts.iter().filter(|&&n| of(n) == of(main)).count() == 1;
    let named = |n: u32| {
        let list: Vec<String> = shards
            .iter()
            .filter(|(_, s)| s.count == n)
            .map(|(d, s)| format!("{s} in {}", d.display()))
            .collect();
        let (word, verb) = match list.len() {
            1 => ("shard", "belongs"),
            _ => ("shards", "belong"),
        };
        format!(
            "{word} {} {verb} to a split into {n}",
            crate::format::word_list(&list, "and")
        )
    };
    let mut parts: Vec<String> = counts
        .iter()
        .filter(|&&n| !unique || n != main)
        .map(|&n| named(n))
        .collect();
    if unique {
        // (more than one: the largest group, alone in its size, beside another)
        let last = parts.pop().unwrap_or_default();
        parts.push(format!("{last}, the others to a split into {main}"));
    }
    let odd = shards
        .iter()
        .find(|(_, s)| !unique || s.count != main)
        .map_or(Path::new("."), |(d, _)| d.as_path());
    Err(bad(
        odd,
        format!(
            "the shards given come from different splits: {}: a stale shard from an earlier \
             run? Merge the shards of one split, every shard 1/n … n/n of one n{}",
            parts.join("; "),
            if unique {
                format!(" (here 1/{main} … {main}/{main})")
            } else {
                String::new()
            }
        ),
    ))
}

/// Refuse two directories that hold some of the same replications, naming both and the
/// replications: the same directory given twice, a whole run given with its shards (`merge
/// full sh1`), the same shard written into two directories. (The first replication found twice
/// had been named with "the same shard was given twice?", also for a whole run and a shard.)
fn overlapping(metas: &[(PathBuf, Meta)]) -> Result<(), StoreError> {
    for (j, (db, b)) in metas.iter().enumerate() {
        for (da, a) in &metas[..j] {
            let (first, end) = (a.first.max(b.first), a.end.min(b.end));
            if first >= end {
                continue;
            }
            let same_dir = da == db
                || std::fs::canonicalize(da)
                    .is_ok_and(|x| std::fs::canonicalize(db).ok() == Some(x));
            if same_dir {
                return Err(bad(
                    db,
                    format!(
                        "given twice{}: give each shard directory once",
                        if da == db {
                            String::new()
                        } else {
                            format!(" (as {} and {})", da.display(), db.display())
                        }
                    ),
                ));
            }
            let held = match end - first {
                1 => format!("replication {first} is"),
                _ => format!("replications {first}–{} are", end - 1),
            };
            let whole = [(da, a), (db, b)]
                .into_iter()
                .find(|(_, m)| m.shard.is_none() && m.first == 0 && m.end == m.replications);
            let why = match (whole, a.shard, b.shard) {
                (Some((dw, mw)), _, _) => format!(
                    "{} holds the whole run ({}), not a shard, so the \
                     replications of any shard are in it too: merge the shards alone, or use {} \
                     as it is",
                    dw.display(),
                    match mw.replications {
                        1 => "its 1 replication".to_string(),
                        n => format!("all {n} replications"),
                    },
                    dw.display()
                ),
                (None, Some(x), Some(y)) if x == y => format!(
                    "both hold shard {x}: the same shard written into two directories? give \
                     each shard once"
                ),
                _ => "give each replication once: the shards of one run, 1/n … n/n of one n"
                    .to_string(),
            };
            return Err(bad(
                db,
                format!(
                    "{held} in both {} and {}: {why}",
                    da.display(),
                    db.display()
                ),
            ));
        }
    }
    Ok(())
}

/// The metas of `dirs`, checked to be shards of one experiment (same scenario, seed,
/// replications and sweep points) and of one split ([`one_split`]); the first one's is
/// returned with the whole run's range.
fn shards_of_one(dirs: &[PathBuf]) -> Result<Meta, StoreError> {
    shards_checked(dirs).map(|(meta, _)| meta)
}

/// [`shards_of_one`], with each directory's own meta, in the order given.
fn shards_checked(dirs: &[PathBuf]) -> Result<(Meta, Vec<(PathBuf, Meta)>), StoreError> {
    let Some(first_dir) = dirs.first() else {
        return Err(bad(Path::new("."), "no directories to merge"));
    };
    let mut meta = read_meta(first_dir)?;
    check_results_version(first_dir, &meta)?;
    let mut metas = vec![(first_dir.clone(), meta.clone())];
    for d in &dirs[1..] {
        let m = read_meta(d)?;
        check_results_version(d, &m)?;
        // (one store without a results version makes the whole without one)
        if m.results_version.is_none() {
            meta.results_version = None;
        }
        meta.wall_seconds += m.wall_seconds;
        meta.threads = meta.threads.max(m.threads);
        // (a shard written before the base was recorded, merged with one written after)
        if meta.base.is_none() {
            meta.base = m.base.clone();
        }
        let differ = differences(&meta, first_dir, &m, d);
        if !differ.is_empty() {
            return Err(bad(
                d,
                format!(
                    "is not a shard of the same experiment as {}: {}; merge the shards of one \
                     experiment, each run with the same scenario, --set, --seed and \
                     --replications (and for a sweep the same factors)",
                    first_dir.display(),
                    differ.join("; ")
                ),
            ));
        }
        metas.push((d.clone(), m));
    }
    one_split(&metas)?;
    overlapping(&metas)?;
    meta.shard = None;
    meta.first = 0;
    meta.end = meta.replications;
    Ok((meta, metas))
}

/// What tells the stores `a` (of directory `da`) and `b` (of `db`) apart as experiments, each
/// as "what: A in DA, B in DB" (`seed: 7 in s1, 8 in s2`); empty when they may be shards of one:
/// same kind, seed, replications, scenario and sweep points.
fn differences(a: &Meta, da: &Path, b: &Meta, db: &Path) -> Vec<String> {
    let (na, nb) = (da.display(), db.display());
    let mut out = Vec::new();
    let mut differ = |what: &str, x: String, y: String| {
        out.push(format!("{what}: {x} in {na}, {y} in {nb}"));
    };
    if a.kind != b.kind {
        let kind = |m: &Meta| match m.kind.as_str() {
            "sweep" => format!("a sweep ({SWEEP_META})"),
            "run" => format!("a run ({RUN_META})"),
            k => format!("{k:?}"),
        };
        differ("what it holds", kind(a), kind(b));
        return out;
    }
    if a.seed != b.seed {
        differ("seed", a.seed.to_string(), b.seed.to_string());
    }
    if a.replications != b.replications {
        let what = match a.kind.as_str() {
            "sweep" => "replications (per point)",
            _ => "replications",
        };
        differ(what, a.replications.to_string(), b.replications.to_string());
    }
    // The scenario: its name, file, --set values and fingerprint.
    let scenario = |m: &Meta, toml_text: &str, fingerprint: &str| {
        let name = toml_text
            .parse::<toml::Table>()
            .ok()
            .and_then(|t| t.get("scenario")?.get("name")?.as_str().map(String::from))
            .map_or(String::new(), |n| format!("{n:?} from "));
        let set = match m.overrides.is_empty() {
            true => String::new(),
            false => format!(" with --set {}", m.overrides.join(", ")),
        };
        format!("{name}{}{set} (fingerprint {fingerprint})", m.scenario_file)
    };
    let join = |v: &[String]| v.join(", ");
    if a.factors != b.factors {
        let factors = |m: &Meta| match m.factors.is_empty() {
            true => "none".to_string(),
            false => m.factors.join(" × "),
        };
        differ("sweep factors", factors(a), factors(b));
    } else if a.points.len() != b.points.len() {
        differ(
            "sweep points",
            a.points.len().to_string(),
            b.points.len().to_string(),
        );
    } else if let Some((k, (p, q))) = a
        .points
        .iter()
        .zip(&b.points)
        .enumerate()
        .find(|(_, (p, q))| p.values != q.values)
    {
        differ(
            &format!("values of sweep point {k}"),
            format!("({})", join(&p.values)),
            format!("({})", join(&q.values)),
        );
    } else if let Some((k, (p, q))) = a
        .points
        .iter()
        .zip(&b.points)
        .enumerate()
        .find(|(_, (p, q))| p != q)
    {
        differ(
            &format!("scenario at sweep point {k} ({})", join(&p.values)),
            scenario(a, &p.scenario_toml, &p.fingerprint),
            scenario(b, &q.scenario_toml, &q.fingerprint),
        );
    } else if a.fingerprint != b.fingerprint {
        differ(
            "scenario",
            scenario(a, &a.scenario_toml, &a.fingerprint),
            scenario(b, &b.scenario_toml, &b.fingerprint),
        );
        // Which values differ, from the scenarios both stored (a file edited between shards
        // has the same name, file and --set values).
        let keys = differing_values(&a.scenario_toml, &b.scenario_toml, &na, &nb);
        if let Some(last) = out.last_mut() {
            if !keys.is_empty() {
                last.push_str(&format!(" (the values that differ: {})", keys.join("; ")));
            }
        }
    }
    out
}

/// The values of two stored scenarios (TOML text, of the directories named `na` and `nb`) that
/// differ, each as "PATH: A in NA, B in NB" (`—` for one absent), paths as `--set` names them
/// ([`crate::scenario::overrides::settings`]: `port[El Paso].quota_per_day`; an element without
/// a name by `FROM->TO` or its 1-based position, `route[1].to`), at most the first 5 and a count
/// of the others; empty when either cannot be read.
fn differing_values(
    a: &str,
    b: &str,
    na: &dyn std::fmt::Display,
    nb: &dyn std::fmt::Display,
) -> Vec<String> {
    // Each setting by its path as `--set` names it, its value as TOML writes it.
    let read = |text: &str| {
        let t = text.parse::<toml::Table>().ok()?;
        let m: std::collections::BTreeMap<String, String> =
            crate::scenario::overrides::settings(&t)
                .into_iter()
                .map(|(k, v)| (k, v.to_string()))
                .collect();
        Some(m)
    };
    let (Some(x), Some(y)) = (read(a), read(b)) else {
        return Vec::new();
    };
    let absent = "—".to_string();
    let mut keys: Vec<String> = x
        .keys()
        .chain(y.keys().filter(|k| !x.contains_key(*k)))
        .filter(|k| x.get(*k) != y.get(*k))
        .map(|k| {
            format!(
                "{k}: {} in {na}, {} in {nb}",
                x.get(k).unwrap_or(&absent),
                y.get(k).unwrap_or(&absent)
            )
        })
        .collect();
    keys.sort();
    let shown = 5;
    if keys.len() > shown {
        let more = keys.len() - shown;
        keys.truncate(shown);
        keys.push(format!("and {more} more"));
    }
    keys
}

/// Which (point, replication) pairs the shards being merged have given: each exactly once.
struct Coverage {
    seen: Vec<bool>,
    total: usize,
}

impl Coverage {
    /// Room to mark every (point, replication) of `meta` (read from `dir`), or an error when
    /// memory cannot hold the marks.
    fn new(meta: &Meta, dir: &Path) -> Result<Coverage, StoreError> {
        let total = meta.replications as usize;
        let pairs = meta.points.len().max(1).checked_mul(total);
        let mut seen = Vec::new();
        if pairs.is_none_or(|n| seen.try_reserve_exact(n).is_err()) {
            return Err(bad(
                dir,
                format!(
                    "{} points of {total} replications are more than memory can hold the marks \
                     of",
                    meta.points.len().max(1)
                ),
            ));
        }
        seen.resize(pairs.unwrap_or(0), false);
        Ok(Coverage { seen, total })
    }

    /// Record (point, index) from `dir`; returns its place in (point, index) order.
    fn add(&mut self, dir: &Path, point: Option<usize>, index: u32) -> Result<usize, StoreError> {
        // A sweep's replications are named with their point; a run's have none.
        let at = match point {
            Some(p) => format!(" (point {p})"),
            None => String::new(),
        };
        let point = point.unwrap_or(0);
        let index = index as usize;
        let key = point * self.total + index;
        if index >= self.total || key >= self.seen.len() {
            return Err(bad(
                dir,
                format!(
                    "holds replication {index}{at}, outside the experiment's {} \
                     replications{}",
                    self.total,
                    if self.seen.len() > self.total {
                        format!(" of {} points", self.seen.len() / self.total.max(1))
                    } else {
                        String::new()
                    }
                ),
            ));
        }
        if std::mem::replace(&mut self.seen[key], true) {
            return Err(bad(
                dir,
                format!(
                    "replication {index}{at} is present twice: the directory holds it twice, \
                     or another directory given holds it too (the file was changed?)"
                ),
            ));
        }
        Ok(key)
    }

    /// Every pair given, or what is missing: when the directories given (`given`, each with
    /// the `--shard` that wrote it) are shards of one count n, the shards missing
    /// ("shards 5/16 and 12/16 are missing"), or the shard given without all of its
    /// replications; otherwise the first replication missing (and its point, for a sweep).
    fn check(
        &self,
        first_dir: &Path,
        given: &[(PathBuf, Option<Shard>)],
    ) -> Result<(), StoreError> {
        let Some(first) = self.seen.iter().position(|s| !s) else {
            return Ok(());
        };
        let total = self.total.max(1);
        let points = self.seen.len() / total;
        let missing = self.seen.iter().filter(|s| !**s).count();
        let of = if points > 1 {
            format!(
                "{missing} of {} replications ({} at each of {points} points)",
                self.seen.len(),
                self.total
            )
        } else {
            format!(
                "{missing} of {}",
                counted(self.seen.len() as u64, "replication", "replications")
            )
        };
        // The shards of one count n, when every directory given is one.
        let count = given.first().and_then(|(_, s)| s.map(|s| s.count));
        let one_count = count.filter(|n| given.iter().all(|(_, s)| s.map(|s| s.count) == Some(*n)));
        if let Some(n) = one_count {
            let lacking = |k: u32| {
                let r = Shard { index: k, count: n }.range(self.total as u32);
                (0..points).find_map(|p| {
                    r.clone()
                        .find(|&i| !self.seen[p * self.total + i as usize])
                        .map(|i| (p, i))
                })
            };
            let mut absent = Vec::new();
            for k in 1..=n {
                let Some((p, i)) = lacking(k) else { continue };
                match given.iter().find(|(_, s)| s.is_some_and(|s| s.index == k)) {
                    // Given, but without all of its replications.
                    Some((d, _)) => {
                        return Err(bad(
                            d,
                            format!(
                                "holds shard {k}/{n} but not all of its replications: \
                                 replication {i}{} is missing ({of} {} missing in all); the \
                                 directory is incomplete: run shard {k}/{n} again",
                                if points > 1 {
                                    format!(" of point {p}")
                                } else {
                                    String::new()
                                },
                                if missing == 1 { "is" } else { "are" }
                            ),
                        ))
                    }
                    None => absent.push(format!("{k}/{n}")),
                }
            }
            if !absent.is_empty() {
                let shown = 12;
                let mut list = absent.iter().take(shown).cloned().collect::<Vec<_>>();
                let more = absent.len().saturating_sub(shown);
                let names = if more > 0 {
                    format!("{} and {more} more", list.join(", "))
                } else if let Some(last) = list.pop() {
                    match list.is_empty() {
                        true => last,
                        false => format!("{} and {last}", list.join(", ")),
                    }
                } else {
                    String::new()
                };
                return Err(bad(
                    first_dir,
                    format!(
                        "this and the other directories given do not hold every replication: \
                         shard{} {names} {} missing ({of}); give every shard 1/{n} … {n}/{n} \
                         (run a missing one with `--shard {}` and the same scenario, --set, \
                         --seed and --replications as the others)",
                        if absent.len() == 1 { "" } else { "s" },
                        if absent.len() == 1 { "is" } else { "are" },
                        absent[0]
                    ),
                ));
            }
        }
        Err(bad(
            first_dir,
            format!(
                "this and the other directories given do not hold every replication: {of} {} \
                 missing, the first is replication {}{}; give every shard 1/n … n/n",
                if missing == 1 { "is" } else { "are" },
                first % total,
                if points > 1 {
                    format!(" of point {}", first / total)
                } else {
                    String::new()
                }
            ),
        ))
    }
}

/// The replications of each point being gathered from shards, by slot (replication index):
/// a [`Spill`](super::Spill) per point, or memory when no temporary file with room for them
/// can be made.
enum Gather {
    Disk(Vec<super::Spill>),
    Memory(Vec<Vec<(usize, ReplicationResult)>>),
}

impl Gather {
    /// Room for `total` replications of each of `points`; also why they stay in memory.
    fn new(points: &[&crate::scenario::Scenario], total: usize) -> (Gather, Option<io::Error>) {
        let spills: io::Result<Vec<super::Spill>> =
            points.iter().map(|s| super::Spill::new(s, total)).collect();
        match spills {
            Ok(v) => (Gather::Disk(v), None),
            Err(e) => (Gather::Memory(vec![Vec::new(); points.len()]), Some(e)),
        }
    }

    fn put(&mut self, point: usize, slot: usize, r: ReplicationResult) {
        match self {
            Gather::Disk(spills) => spills[point].put(slot, &r),
            Gather::Memory(points) => points[point].push((slot, r)),
        }
    }

    /// Each point's replications in slot order.
    fn finish(self) -> Result<Vec<super::Replications>, StoreError> {
        match self {
            Gather::Disk(spills) => spills
                .into_iter()
                .map(|s| s.finish().map_err(io_at(&std::env::temp_dir())))
                .collect(),
            Gather::Memory(points) => Ok(points
                .into_iter()
                .map(|mut v| {
                    v.sort_by_key(|(slot, _)| *slot);
                    super::Replications::from(v.into_iter().map(|(_, r)| r).collect::<Vec<_>>())
                })
                .collect()),
        }
    }
}

/// Combine the shards of a sweep of `points` (one scenario per point, in order) one line at a
/// time: same identity, every (point, index) of 0..replications exactly once. Each replication
/// goes to its slot of its point's spill as it is read (see [`combine_run`]). Returns the
/// combined meta (unsharded), each point's replications in index order, and why they stay in
/// memory when they do.
pub fn combine_sweep(
    dirs: &[PathBuf],
    points: &[&crate::scenario::Scenario],
) -> Result<(Meta, Vec<super::Replications>, Option<io::Error>), StoreError> {
    let meta = shards_of_one(dirs)?;
    if meta.points.len() != points.len() {
        return Err(bad(
            &dirs[0],
            format!(
                "holds {} sweep points, {} were given",
                meta.points.len(),
                points.len()
            ),
        ));
    }
    let mut cover = Coverage::new(&meta, &dirs[0])?;
    let (mut gather, why) = Gather::new(points, meta.replications as usize);
    let mut given = Vec::new();
    for d in dirs {
        let m = read_meta(d)?;
        given.push((d.clone(), m.shard));
        each_line(d, &m, |mut l| {
            let point = points.get(l.point.unwrap_or(0)).ok_or_else(|| {
                bad(
                    &d.join(LINES),
                    format!("holds point {}, outside the sweep", l.point.unwrap_or(0)),
                )
            })?;
            check_result(&l.result, point).map_err(|e| bad(&d.join(LINES), e))?;
            cover.add(d, l.point, l.result.index)?;
            l.result.daily = Default::default();
            let index = l.result.index as usize;
            gather.put(l.point.unwrap_or(0), index, l.result);
            Ok(())
        })?;
    }
    cover.check(&dirs[0], &given)?;
    Ok((meta, gather.finish()?, why))
}

/// Combine the shards of a run of `scn` one line at a time: same identity, every index of
/// 0..replications exactly once. Each replication goes to its slot of a
/// [`Spill`](super::Spill) as it is read, so that memory does not grow with the replications,
/// or to memory when no temporary file with room for them can be made (the error says why).
/// Returns the combined meta, the replications in index order and the shards' daily
/// accumulators merged.
pub fn combine_run(
    dirs: &[PathBuf],
    scn: &crate::scenario::Scenario,
) -> Result<(Meta, super::Replications, DailyAcc, Option<io::Error>), StoreError> {
    let meta = shards_of_one(dirs)?;
    let mut cover = Coverage::new(&meta, &dirs[0])?;
    let (mut gather, why) = Gather::new(&[scn], meta.replications as usize);
    let mut daily: Option<DailyAcc> = None;
    let mut given = Vec::new();
    for d in dirs {
        given.push((d.clone(), read_meta(d)?.shard));
        let acc = each_run_result(d, scn, |r| {
            let slot = cover.add(d, None, r.index)?;
            gather.put(0, slot, r);
            Ok(())
        })?;
        match &mut daily {
            Some(all) => all.merge(&acc),
            None => daily = Some(acc),
        }
    }
    cover.check(&dirs[0], &given)?;
    let reps = gather.finish()?.swap_remove(0);
    let daily = daily.unwrap_or_else(|| DailyAcc::new(scn));
    Ok((meta, reps, daily, why))
}

/// Write `meta` and a sweep's replications (`points[p]` those of point p, in index order) into
/// `dir` as [`write_records`] does, streamed line by line.
pub fn write_points<R: Records>(dir: &Path, meta: &Meta, points: &[R]) -> Result<(), StoreError> {
    write_with(
        dir,
        meta,
        |w| {
            for (p, reps) in points.iter().enumerate() {
                reps.each(|r| write_line(w, Some(p), r))?;
            }
            Ok(())
        },
        None,
    )
}

/// Write lines to any writer (as `replications.jsonl` holds them), e.g. to build a store by
/// hand in tests and tools.
pub fn write_lines(w: &mut impl Write, lines: &[Line]) -> std::io::Result<()> {
    for l in lines {
        write_line(w, l.point, &l.result)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_indices() {
        for total in [0u32, 1, 7, 100, 101] {
            for n in 1..=6u32 {
                let mut next = 0;
                for i in 1..=n {
                    let r = Shard { index: i, count: n }.range(total);
                    assert_eq!(r.start, next);
                    next = r.end;
                }
                assert_eq!(next, total);
            }
        }
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { index: 2, count: 4 }));
        assert!("0/4".parse::<Shard>().is_err());
        assert!("5/4".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }

    #[test]
    fn lines_round_trip_exactly() {
        let r = ReplicationResult {
            index: 3,
            seed: u64::MAX - 5,
            clearance_days: 0.1 + 0.2,
            t50_days: Some(1.0 / 3.0),
            daily: crate::model::Daily {
                n_series: 2,
                values: vec![1, 2, 3, 4],
            },
            ..Default::default()
        };
        let lines = [Line {
            point: Some(2),
            result: r.clone(),
        }];
        let mut bytes = Vec::new();
        write_lines(&mut bytes, &lines).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let back: Line = serde_json::from_str(text.trim()).unwrap();
        assert_eq!(back.point, Some(2));
        assert_eq!(back.result, r);
    }
}
