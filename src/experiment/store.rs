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
use crate::model::ReplicationResult;
use serde::{Deserialize, Serialize};
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};

/// Format tag of `run.json` / `sweep.json`.
pub const FORMAT: &str = "clearance-replications/1";
/// File names.
pub const RUN_META: &str = "run.json";
pub const SWEEP_META: &str = "sweep.json";
pub const LINES: &str = "replications.jsonl";
pub const DAILY: &str = "daily.json";

/// `--shard i/n`: shard i (1-based) of n.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
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
}

/// One point of a stored sweep.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PointMeta {
    /// The factor values, as TOML text (`300`, `"2h"`).
    pub values: Vec<String>,
    pub scenario_toml: String,
    pub fingerprint: String,
}

/// `run.json` / `sweep.json`: what the stored replications are replications of.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    pub format: String,
    /// "run" or "sweep".
    pub kind: String,
    /// The scenario file as named on the command line.
    pub scenario_file: String,
    /// Effective scenario (after extends and --set) as TOML.
    pub scenario_toml: String,
    pub fingerprint: String,
    /// Seed used (after --seed).
    pub seed: u64,
    /// Planned replications of the whole (unsharded) run, per point for sweeps.
    pub replications: u32,
    pub shard: Option<Shard>,
    /// Replication indices held here: [first, end).
    pub first: u32,
    pub end: u32,
    /// Sweep only: factor key paths, and one entry per grid point.
    #[serde(default)]
    pub factors: Vec<String>,
    #[serde(default)]
    pub points: Vec<PointMeta>,
}

/// One line of `replications.jsonl`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Line {
    /// Sweep point (absent for runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<usize>,
    #[serde(flatten)]
    pub result: ReplicationResult,
}

/// Errors reading, writing or merging stored results; each names the file or directory.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {message}")]
    Bad { path: PathBuf, message: String },
    #[error("could not read or write {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
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

/// Write results as JSON lines (`point` for sweeps).
fn write_results<'a>(
    w: &mut dyn Write,
    lines: impl IntoIterator<Item = (Option<usize>, &'a ReplicationResult)>,
) -> std::io::Result<()> {
    for (point, result) in lines {
        write_line(w, point, result)?;
    }
    Ok(())
}

fn write_line(
    w: &mut dyn Write,
    point: Option<usize>,
    result: &ReplicationResult,
) -> io::Result<()> {
    serde_json::to_writer(&mut *w, &LineRef { point, result })?;
    w.write_all(b"\n")
}

/// Write `meta`, the lines and (runs) the folded daily series into `dir` (atomically, file by
/// file).
pub fn write<'a>(
    dir: &Path,
    meta: &Meta,
    lines: impl IntoIterator<Item = (Option<usize>, &'a ReplicationResult)>,
    daily: Option<&DailyAcc>,
) -> Result<(), StoreError> {
    write_with(dir, meta, |w| write_results(w, lines), daily)
}

/// [`write`] for a run's records (in memory or spilled), streamed line by line.
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
    let mut json = serde_json::to_string_pretty(meta).map_err(|e| bad(dir, e.to_string()))?;
    json.push('\n');
    let p = dir.join(LINES);
    crate::output::atomic_write_with(&p, write_lines).map_err(|e| bad(&p, e.to_string()))?;
    if let Some(acc) = daily {
        let p = dir.join(DAILY);
        crate::output::atomic_write_with(&p, |w| {
            serde_json::to_writer(&mut *w, acc)?;
            w.write_all(b"\n")
        })
        .map_err(|e| bad(&p, e.to_string()))?;
    }
    let p = dir.join(name);
    crate::output::atomic_write(&p, json.as_bytes()).map_err(|e| bad(&p, e.to_string()))?;
    Ok(())
}

/// What a store directory holds.
#[derive(Debug, Clone)]
pub struct Stored {
    pub meta: Meta,
    pub lines: Vec<Line>,
    /// `daily.json`, when the directory has one (runs; not yet checked against a scenario).
    pub daily: Option<DailyAcc>,
}

/// Read a directory written by `write`.
pub fn read(dir: &Path) -> Result<Stored, StoreError> {
    let meta_path = [RUN_META, SWEEP_META]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            bad(
                dir,
                "no run.json or sweep.json here: not a directory written by run/sweep --out",
            )
        })?;
    let text = std::fs::read_to_string(&meta_path).map_err(|source| StoreError::Io {
        path: meta_path.clone(),
        source,
    })?;
    let meta: Meta = serde_json::from_str(&text).map_err(|e| bad(&meta_path, e.to_string()))?;
    if meta.format != FORMAT {
        return Err(bad(
            &meta_path,
            format!("format {:?} is not {FORMAT:?}", meta.format),
        ));
    }
    let p = dir.join(LINES);
    let f = std::fs::File::open(&p).map_err(|source| StoreError::Io {
        path: p.clone(),
        source,
    })?;
    let mut lines = Vec::new();
    for (n, l) in std::io::BufReader::new(f).lines().enumerate() {
        let l = l.map_err(|source| StoreError::Io {
            path: p.clone(),
            source,
        })?;
        if l.trim().is_empty() {
            continue;
        }
        let line: Line =
            serde_json::from_str(&l).map_err(|e| bad(&p, format!("line {}: {e}", n + 1)))?;
        lines.push(line);
    }
    let p = dir.join(DAILY);
    let daily = if p.is_file() {
        let bytes = std::fs::read(&p).map_err(|source| StoreError::Io {
            path: p.clone(),
            source,
        })?;
        let acc: DailyAcc = serde_json::from_slice(&bytes).map_err(|e| bad(&p, e.to_string()))?;
        Some(acc)
    } else {
        None
    };
    Ok(Stored { meta, lines, daily })
}

/// The daily bands' accumulator of a stored run of `scn`: `daily.json` checked against the
/// scenario and the lines, or (older stores) folded from the lines' daily series.
pub fn daily_of(
    dir: &Path,
    scn: &crate::scenario::Scenario,
    stored: Option<DailyAcc>,
    lines: &[Line],
) -> Result<DailyAcc, StoreError> {
    let p = dir.join(DAILY);
    match stored {
        Some(acc) => {
            acc.check(scn).map_err(|e| {
                bad(
                    &p,
                    format!("{e}: the file was changed or damaged; run the replications again"),
                )
            })?;
            if acc.replications() != lines.len() as u64 {
                return Err(bad(
                    &p,
                    format!(
                        "holds {} replications, {LINES} {}",
                        acc.replications(),
                        lines.len()
                    ),
                ));
            }
            Ok(acc)
        }
        None => {
            let mut acc = DailyAcc::new(scn);
            for l in lines {
                if l.result.daily.is_empty() {
                    return Err(bad(
                        &p,
                        "is missing, and the replications hold no daily series: the directory \
                         is incomplete",
                    ));
                }
                acc.try_add(&l.result.daily)
                    .map_err(|e| bad(&dir.join(LINES), e))?;
            }
            Ok(acc)
        }
    }
}

/// Combine shards: same identity, every (point, index) of 0..replications exactly once.
/// Returns the combined meta (unsharded) and the lines sorted by (point, index).
/// For runs, `scn` gives the daily accumulator of every shard (see [`daily_of`]), merged.
pub fn combine(
    dirs: &[PathBuf],
    scn_of: impl Fn(&Meta) -> Result<Option<crate::scenario::Scenario>, StoreError>,
) -> Result<(Meta, Vec<Line>, Option<DailyAcc>), StoreError> {
    let Some(first_dir) = dirs.first() else {
        return Err(bad(Path::new("."), "no directories to merge"));
    };
    let mut all: Vec<Line> = Vec::new();
    let mut meta: Option<Meta> = None;
    let mut daily: Option<DailyAcc> = None;
    let mut scn: Option<Option<crate::scenario::Scenario>> = None;
    for d in dirs {
        let Stored {
            meta: m,
            lines,
            daily: acc,
        } = read(d)?;
        if scn.is_none() {
            scn = Some(scn_of(&m)?);
        }
        if let Some(Some(s)) = &scn {
            let acc = daily_of(d, s, acc, &lines)?;
            match &mut daily {
                Some(all) => all.merge(&acc),
                None => daily = Some(acc),
            }
        }
        if let Some(m0) = &meta {
            let same = m0.kind == m.kind
                && m0.fingerprint == m.fingerprint
                && m0.seed == m.seed
                && m0.replications == m.replications
                && m0.points == m.points;
            if !same {
                return Err(bad(
                    d,
                    format!(
                        "is not a shard of the same experiment as {} (scenario fingerprint, seed, \
                         replications or sweep points differ)",
                        first_dir.display()
                    ),
                ));
            }
        } else {
            meta = Some(m.clone());
        }
        all.extend(lines);
    }
    let mut meta = meta.ok_or_else(|| bad(first_dir, "nothing to merge"))?;
    all.sort_by_key(|l| (l.point.unwrap_or(0), l.result.index));
    let npoints = meta.points.len().max(1);
    let total = meta.replications as usize;
    let mut expected = 0usize;
    for l in &all {
        let key = l.point.unwrap_or(0) * total + l.result.index as usize;
        if key < expected {
            return Err(bad(
                first_dir,
                format!(
                    "replication {} (point {}) is present twice: the same shard was given twice?",
                    l.result.index,
                    l.point.unwrap_or(0)
                ),
            ));
        }
        if key > expected || l.result.index as usize >= total {
            return Err(bad(
                first_dir,
                format!(
                    "replication {} (point {}) is missing: give every shard 1/n … n/n",
                    expected % total.max(1),
                    expected / total.max(1)
                ),
            ));
        }
        expected += 1;
    }
    if expected != npoints * total {
        return Err(bad(
            first_dir,
            format!(
                "replication {} (point {}) is missing: give every shard 1/n … n/n",
                expected % total.max(1),
                expected / total.max(1)
            ),
        ));
    }
    meta.shard = None;
    meta.first = 0;
    meta.end = meta.replications;
    Ok((meta, all, daily))
}

/// Write lines to any writer (as `replications.jsonl` holds them), e.g. to build a store by
/// hand in tests and tools.
pub fn write_lines(w: &mut impl Write, lines: &[Line]) -> std::io::Result<()> {
    write_results(w, lines.iter().map(|l| (l.point, &l.result)))
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
