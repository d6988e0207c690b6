//! Checks made before a run starts: the stages that have no capacity at all (added to the
//! scenario's warnings, so `validate`, the printed table and summary.json name them), and a
//! memory estimate compared with the memory available (MemAvailable in /proc/meminfo, or the
//! `CLEARANCE_MEMORY_LIMIT` environment variable, in bytes or with a K/M/G/T suffix), so that an
//! absurdly large run is refused with its estimate instead of being killed half-way. The
//! memory available is the least of MemAvailable and the room left by the cgroup limits of the
//! process (cgroup v2 `memory.max`, v1 `memory.limit_in_bytes`, less what the cgroup uses):
//! a container's or a batch job's limit, where exceeding it gets the process killed; and the
//! address-space limit (`ulimit -v`) less what the process has mapped.
//!
//! Also the check that an output directory's files are clearance's own before a command
//! replaces them ([`refuse_foreign_outputs`]): a file there that clearance did not write (a
//! hand-written `scenario.toml`, notes kept as `summary.json`) stops the command before it runs,
//! unless `--force` is given.

pub use crate::bytes::{human_bytes, parse_bytes};
use crate::model::group::Group;
use crate::model::{ReplicationResult, TraceEvent};
use crate::scenario::Scenario;
use std::path::Path;

/// Environment variable that overrides the memory limit (used by tests and by cautious users).
pub const MEMORY_LIMIT_ENV: &str = "CLEARANCE_MEMORY_LIMIT";

/// Add one warning per stage without capacity to `scn.warnings` (once).
pub fn add_capacity_warnings(scn: &mut Scenario) {
    let new = crate::experiment::summary::new_capacity_warnings(scn);
    scn.warnings.extend(new);
}

/// The capacity warnings among a scenario's warnings: validation's of a stage without capacity
/// and the "no capacity: …" ones
/// ([`crate::experiment::summary::capacity_warnings`]).
pub fn capacity_warnings(scn: &Scenario) -> Vec<&str> {
    crate::experiment::summary::capacity_warnings(scn)
}

/// Estimated peak memory of a run \[bytes\], with its parts for the message.
#[derive(Debug, Clone, PartialEq)]
pub struct MemoryEstimate {
    /// Groups alive in the replications running at once \[bytes\].
    pub groups: f64,
    /// Daily series of all replications when they are kept (for the store or a fit to
    /// observations), else the daily histograms at their largest \[bytes\].
    pub daily: f64,
    /// Per-replication results \[bytes\].
    pub results: f64,
    /// The trace of replication 0, when asked for \[bytes\].
    pub trace: f64,
    /// Events the trace is expected to hold, when asked for \[events\].
    pub trace_events: f64,
    /// Of those, the health check's steps: a `health_positive` and a `health_retest` per
    /// positive test \[events\].
    pub retest_events: f64,
    /// Days the daily series are expected to cover \[days\]: the horizon, or less when the
    /// capacities let the runs end well before it.
    pub days: f64,
}

impl MemoryEstimate {
    pub fn total(&self) -> f64 {
        self.groups + self.daily + self.results + self.trace
    }
}

/// Estimate a run's peak memory: groups (every group of a replication is kept for its
/// lifetime, with its calendar, registration and drop-out entries) × replications running at
/// once; daily series days × series × replications × 4 bytes when `keep_daily`, else the
/// daily histograms (days × series × MAX_BINS × 4 bytes at most); results per replication
/// (whole records when `records_in_memory`, else the few bytes a spilled record leaves in
/// memory: its slot, and its index and clearance time while the summary is made); trace events
/// when `trace` is on ([`trace_events`]): each held as an event (with its origin's name) and,
/// unless a health step past the run's end, as a line of CSV text.
pub fn estimate_memory(
    scn: &Scenario,
    threads: usize,
    trace: bool,
    keep_daily: bool,
    records_in_memory: bool,
) -> MemoryEstimate {
    let min_size = scn.group_size.min().max(1) as f64;
    let mut groups = scn.cohort_people() as f64 / min_size;
    if let Some(inf) = &scn.inflow {
        groups += inf.rate_per_day * (inf.until.min(scn.horizon) - inf.from).max(0.0);
    }
    let per_group = (std::mem::size_of::<Group>() + 64) as f64;
    let reps = scn.replications as f64;
    let concurrent = (threads.max(1) as f64).min(reps);
    let days = expected_days(scn);
    let series = crate::model::scenario_series_names(scn).len();
    let (base, retests) = trace_events(scn, groups);
    // An event held in memory, with its origin's name (a heap string) and the slack of the
    // vector it grows in.
    let event = (std::mem::size_of::<TraceEvent>() + 48) as f64;
    MemoryEstimate {
        groups: groups * per_group * concurrent,
        daily: if keep_daily {
            days * series as f64 * reps * 4.0
        } else {
            // A histogram holds the span of its day's values across the replications, at
            // most MAX_BINS bins (4 KiB); typically a few dozen (a sweep of 100 baseline points
            // peaks near 130 MB, estimated at about 400 MiB, where the worst case reads 6 GiB).
            days * series as f64 * TYPICAL_BINS.min(crate::stats::hist::MAX_BINS as f64) * 4.0
        },
        results: if records_in_memory {
            reps * (std::mem::size_of::<ReplicationResult>() + 128 * scn.ports.len()) as f64
        } else {
            reps * 32.0
        },
        trace: if trace {
            base * (event + CSV_LINE_BYTES) + retests * event
        } else {
            0.0
        },
        trace_events: if trace { base + retests } else { 0.0 },
        retest_events: if trace { retests } else { 0.0 },
        days,
    }
}

/// Bytes of a trace's CSV line, held whole before the file is written \[bytes\] (about 73 for
/// the baseline's lines, plus the slack of the text growing).
const CSV_LINE_BYTES: f64 = 80.0;

/// Events of replication 0's trace \[events\]: about 8 per group of `groups` (register,
/// screening, health, ready, board, arrive, port and the buses' departures), and the health
/// check's steps, a `health_positive` and a `health_retest` for each positive test: 2·p/(1−p)
/// per group checked (p = `health.positive`; groups at the mean size, times `health.share`),
/// at most two per turnaround and isolation within the longest horizon. The steps are
/// generated, and held, up to that limit, also those past the run's end that the log leaves
/// out: at p = 0.998 the baseline's 15,000 checked groups hold 15 million of them (2.4 GB).
pub fn trace_events(scn: &Scenario, groups: f64) -> (f64, f64) {
    let base = groups * 8.0;
    let Some(h) = &scn.health else {
        return (base, 0.0);
    };
    let p = h.positive.clamp(0.0, 1.0);
    if p <= 0.0 {
        return (base, 0.0);
    }
    let mut checked = scn.cohort_people() as f64 / scn.group_size.mean().max(1.0);
    if let Some(inf) = &scn.inflow {
        checked += inf.rate_per_day * (inf.until.min(scn.horizon) - inf.from).max(0.0);
    }
    checked *= h.share.clamp(0.0, 1.0);
    // The check stops once its time passes the longest horizon; a check of no time stops at
    // its first positive.
    let cycle = h.turnaround.mean() + h.isolation.mean();
    let most = if cycle > 0.0 {
        crate::scenario::validate::MAX_HORIZON_DAYS / cycle
    } else {
        1.0
    };
    let positives = if p >= 1.0 {
        most
    } else {
        (p / (1.0 - p)).min(most)
    };
    (base, checked * 2.0 * positives)
}

/// Bins a daily histogram is taken to hold in the memory estimate \[bins\]: typical, not the
/// worst case.
const TYPICAL_BINS: f64 = 64.0;

/// Days a run's daily series are expected to cover \[days\]: a replication's series end when
/// it does, so a horizon far past the clearance (`36500d` to be sure to clear) costs nothing.
/// Four times `explain`'s clearance bound plus the health check of the last group out (the
/// larger of four mean checks and the longest of the replication's groups' checks, below) plus
/// a year, at most the horizon; the horizon when the capacities give no bound (a stage that
/// never serves) or an inflow runs to the horizon (the run lasts as long).
pub fn expected_days(scn: &Scenario) -> f64 {
    let horizon = scn.horizon.ceil() + 1.0;
    if scn.inflow.as_ref().is_some_and(|i| i.until >= scn.horizon) {
        return horizon;
    }
    let check = scn.health.as_ref().map_or(0.0, |h| {
        let (turnaround, isolation) = (h.turnaround.mean(), h.isolation.mean());
        // Mean check: (turnaround + positive × isolation) / (1 − positive).
        let mean = (turnaround + h.positive * isolation) / (1.0 - h.positive);
        // The longest of N groups' checks: a group tests positive k times or more with
        // probability positive^k, so the most positives among N groups is about
        // ln N / −ln positive, each a turnaround and an isolation (for positive = 0.995 and the
        // baseline's 16,700 groups, 1,940 positives and 21,000 days, where four mean checks
        // give 8,800).
        let mut groups = scn.cohort_people() as f64 / scn.group_size.mean().max(1.0);
        if let Some(inf) = &scn.inflow {
            groups += inf.rate_per_day * (inf.until.min(scn.horizon) - inf.from).max(0.0);
        }
        let longest = if h.positive > 0.0 && groups > 1.0 {
            let k = groups.ln() / -h.positive.ln();
            turnaround + k * (turnaround + isolation)
        } else {
            turnaround
        };
        (4.0 * mean).max(longest)
    });
    // The last inflow groups arrive when the inflow ends, and start their checks then.
    let inflow_end = scn.inflow.as_ref().map_or(0.0, |i| i.until.max(0.0));
    match crate::output::explain(scn).lower_bound_day {
        Some(b) => ((4.0 * b.max(0) as f64).max(inflow_end) + check + 365.0)
            .ceil()
            .min(horizon),
        None => horizon,
    }
}

/// The memory a run may use \[bytes\] and where the number comes from; `Ok(None)` when
/// unknown. A `CLEARANCE_MEMORY_LIMIT` that is not a size is an error, not ignored: whoever set
/// it expects the limit to hold.
pub fn memory_limit() -> anyhow::Result<Option<(f64, String)>> {
    match std::env::var(MEMORY_LIMIT_ENV) {
        // Set but empty (`CLEARANCE_MEMORY_LIMIT= clearance run …`) counts as unset.
        Ok(v) if v.trim().is_empty() => {}
        Ok(v) => {
            return match parse_bytes(&v) {
                Some(b) => Ok(Some((b, format!("{MEMORY_LIMIT_ENV}={v}")))),
                None => Err(not_a_size(&v)),
            };
        }
        Err(std::env::VarError::NotUnicode(v)) => return Err(not_a_size(&v.to_string_lossy())),
        Err(std::env::VarError::NotPresent) => {}
    }
    // The least of the host's memory available and the room its cgroups leave (a container's
    // or a batch job's limit, which the host's MemAvailable does not see).
    let limits = meminfo_available()
        .into_iter()
        .chain(cgroup_room())
        .chain(address_space_room());
    Ok(limits.min_by(|a, b| a.0.total_cmp(&b.0)))
}

/// A cgroup memory limit file's text (cgroup v2 `memory.max`, v1 `memory.limit_in_bytes`)
/// \[bytes\]; `None` for no limit: v2's `max`, or v1's "unlimited", a number near 2^63 (any
/// of 2^60 bytes or more), or text that is not a number.
pub fn parse_cgroup_limit(text: &str) -> Option<f64> {
    let n: u64 = text.trim().parse().ok()?;
    (n < 1 << 60).then_some(n as f64)
}

/// The memory a cgroup's processes use that cannot simply be given back \[bytes\]: its usage
/// (`memory.current`, v1 `memory.usage_in_bytes`) less the inactive file cache of its
/// `memory.stat` (`inactive_file`, v1 `total_inactive_file`), which the kernel reclaims before
/// it kills anything; `None` when the usage cannot be read.
pub fn cgroup_usage(current: &str, stat: Option<&str>) -> Option<f64> {
    let used: u64 = current.trim().parse().ok()?;
    let inactive = stat
        .and_then(|s| {
            s.lines().find_map(|l| {
                let (k, v) = l.split_once(' ')?;
                matches!(k, "inactive_file" | "total_inactive_file")
                    .then(|| v.trim().parse::<u64>().ok())
                    .flatten()
            })
        })
        .unwrap_or(0);
    Some(used.saturating_sub(inactive) as f64)
}

/// The address-space limit (`ulimit -v`, "Max address space" of `/proc/self/limits`'s text)
/// \[bytes\]; `None` when unlimited or not given.
pub fn parse_address_space_limit(limits: &str) -> Option<f64> {
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max address space"))?;
    let soft = line["Max address space".len()..]
        .split_whitespace()
        .next()?;
    soft.parse::<u64>().ok().map(|n| n as f64)
}

/// The room the address-space limit (`ulimit -v`) leaves \[bytes\]: the limit less what the
/// process has mapped already (VmSize in `/proc/self/status`); an allocation past it fails and
/// aborts the process.
fn address_space_room() -> Option<(f64, String)> {
    let limit = parse_address_space_limit(&std::fs::read_to_string("/proc/self/limits").ok()?)?;
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let mapped = status
        .lines()
        .find(|l| l.starts_with("VmSize:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb * 1024.0);
    Some((
        (limit - mapped).max(0.0),
        format!(
            "the address-space limit (ulimit -v) of {}, less {} mapped",
            human_bytes(limit),
            human_bytes(mapped)
        ),
    ))
}

/// The cgroup paths of this process in `/proc/self/cgroup`'s text: the v2 (unified) one, from
/// its `0::PATH` line, and the v1 memory controller's, from the line whose controllers include
/// `memory`.
pub fn cgroup_paths(proc_self_cgroup: &str) -> (Option<String>, Option<String>) {
    let (mut v2, mut v1) = (None, None);
    for line in proc_self_cgroup.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(id), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if id == "0" && controllers.is_empty() {
            v2 = Some(path.to_string());
        } else if controllers.split(',').any(|c| c == "memory") {
            v1 = Some(path.to_string());
        }
    }
    (v2, v1)
}

/// The memory this process's cgroups leave room for \[bytes\] and which limit it is: for each
/// cgroup from the process's own up to the root of its mount (a limit set on a parent, as Slurm
/// and Kubernetes set them, binds too), its limit less what it uses; the least of them. `None`
/// where there is no cgroup limit (or no cgroup file system).
fn cgroup_room() -> Option<(f64, String)> {
    let text = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let (v2, v1) = cgroup_paths(&text);
    let mut best: Option<(f64, String)> = None;
    let tries = [
        (
            v2.as_deref(),
            "/sys/fs/cgroup",
            ["memory.max", "memory.current"],
        ),
        (
            v2.as_deref(),
            "/sys/fs/cgroup/unified",
            ["memory.max", "memory.current"],
        ),
        (
            v1.as_deref(),
            "/sys/fs/cgroup/memory",
            ["memory.limit_in_bytes", "memory.usage_in_bytes"],
        ),
    ];
    for (path, mount, [limit_file, usage_file]) in tries {
        let Some(path) = path else { continue };
        let mount = Path::new(mount);
        // In a container the cgroup's own directory is often the mount's root (its path in
        // /proc/self/cgroup is the host's): the directories that do not exist are passed by.
        let mut dir = mount.join(path.trim_start_matches('/'));
        loop {
            let read = |f: &str| std::fs::read_to_string(dir.join(f)).ok();
            if let Some(limit) = read(limit_file).as_deref().and_then(parse_cgroup_limit) {
                let stat = read("memory.stat");
                let used = read(usage_file)
                    .as_deref()
                    .and_then(|u| cgroup_usage(u, stat.as_deref()));
                let room = (limit - used.unwrap_or(0.0)).max(0.0);
                if best.as_ref().is_none_or(|b| room < b.0) {
                    let source = match used {
                        Some(u) => format!(
                            "the cgroup limit {} of {}, less {} in use",
                            dir.join(limit_file).display(),
                            human_bytes(limit),
                            human_bytes(u)
                        ),
                        None => format!(
                            "the cgroup limit {} of {}",
                            dir.join(limit_file).display(),
                            human_bytes(limit)
                        ),
                    };
                    best = Some((room, source));
                }
            }
            if dir == mount || !dir.pop() || !dir.starts_with(mount) {
                break;
            }
        }
    }
    best
}

/// The error for a memory limit that is not a size (invalid input: exit 2).
fn not_a_size(v: &str) -> anyhow::Error {
    anyhow::Error::new(super::Usage(format!(
        "{MEMORY_LIMIT_ENV}={v:?} is not a size: give bytes or a number with K, M, G or T \
         (e.g. 2G or 512M), or unset it to use the memory available"
    )))
}

/// MemAvailable of /proc/meminfo \[bytes\], when the system says.
fn meminfo_available() -> Option<(f64, String)> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some((kb * 1024.0, "MemAvailable in /proc/meminfo".into()))
}

/// What makes a run's estimate smaller (the trace aside), the lever that removes most of it
/// first: fewer threads shrink the groups of the replications running at once (`concurrent`),
/// fewer people the groups of each, a shorter horizon the daily series, and fewer replications
/// the results and the daily series kept per replication (`keep_daily`), named only when those
/// are a notable share (a tenth) of the estimate: each replication's results otherwise go to a
/// temporary file, so their number hardly moves it.
pub fn ways_to_less_memory(
    est: &MemoryEstimate,
    concurrent: usize,
    replications: u32,
    keep_daily: bool,
) -> Vec<&'static str> {
    let total = est.total();
    let per_replication = est.results + if keep_daily { est.daily } else { 0.0 };
    let mut ways: Vec<(f64, &'static str)> = vec![
        (est.daily, "a shorter horizon"),
        (est.groups, "fewer people"),
    ];
    if concurrent > 1 {
        ways.push((
            est.groups * (1.0 - 1.0 / concurrent as f64),
            "fewer --threads",
        ));
    }
    if replications > 1 && per_replication >= 0.1 * total {
        ways.push((per_replication, "fewer --replications"));
    }
    // (stable: at equal shares, in the order above)
    ways.sort_by(|a, b| b.0.total_cmp(&a.0));
    ways.into_iter().map(|(_, w)| w).collect()
}

/// Refuse a run whose memory estimate exceeds the memory available; `trace` is the file of
/// `--trace`, when given.
pub fn check_memory(
    scn: &Scenario,
    threads: usize,
    trace: Option<&Path>,
    keep_daily: bool,
    records_in_memory: bool,
) -> anyhow::Result<()> {
    let est = estimate_memory(scn, threads, trace.is_some(), keep_daily, records_in_memory);
    let Some((limit, source)) = memory_limit()? else {
        return Ok(());
    };
    if est.total() > limit {
        // Only what can be made smaller: one replication cannot be fewer, and the groups of
        // one replication at a time do not depend on the threads.
        let concurrent = threads.min(scn.replications as usize);
        let mut ways = Vec::new();
        // A trace that is most of it: the trace left out first, then the health retests that
        // fill it.
        let mut trace_note = String::new();
        if let Some(file) = trace.filter(|_| est.trace * 2.0 > est.total()) {
            ways.push("no --trace");
            trace_note = format!(
                " (--trace {}: about {} events of replication 0",
                file.display(),
                crate::format::fmt_int(est.trace_events)
            );
            if est.retest_events * 2.0 > est.trace_events {
                let p = scn.health.as_ref().map_or(0.0, |h| h.positive);
                trace_note.push_str(&format!(
                    ", {} of them health_positive and health_retest lines: 2·p/(1−p) per \
                     group checked, each positive test being retested, at health.positive = \
                     {p} in {}",
                    crate::format::fmt_int(est.retest_events),
                    scn.file
                ));
                ways.push("a lower health.positive");
            }
            trace_note.push(')');
        }
        ways.extend(ways_to_less_memory(
            &est,
            concurrent,
            scn.replications,
            keep_daily,
        ));
        anyhow::bail!(
            "this run would need about {} of memory but only {} is available ({source}): \
             groups {}, daily series {} ({} days of series{}), results {}, trace {}{trace_note}. \
             Use {}",
            human_bytes(est.total()),
            human_bytes(limit),
            human_bytes(est.groups),
            human_bytes(est.daily),
            est.days,
            if keep_daily {
                format!(
                    " × {} replications, kept for --out or --observed",
                    scn.replications
                )
            } else {
                String::new()
            },
            human_bytes(est.results),
            human_bytes(est.trace),
            crate::format::word_list(&ways, "or"),
        );
    }
    Ok(())
}

/// Refuse an experiment (compare, sweep, sensitivity, target) whose memory estimate exceeds the
/// memory available: the groups of the largest scenario's replications running at once on
/// `threads`, and every scenario's daily histograms and results (`replications` each, or the
/// scenario's own).
pub fn check_experiment_memory(
    scns: &[&Scenario],
    threads: usize,
    replications: Option<u32>,
) -> anyhow::Result<()> {
    let Some((limit, source)) = memory_limit()? else {
        return Ok(());
    };
    let mut total = MemoryEstimate {
        groups: 0.0,
        daily: 0.0,
        results: 0.0,
        trace: 0.0,
        trace_events: 0.0,
        retest_events: 0.0,
        days: 0.0,
    };
    for s in scns {
        let mut s = (*s).clone();
        if let Some(r) = replications {
            s.replications = r;
        }
        let e = estimate_memory(&s, threads, false, false, true);
        total.groups = total.groups.max(e.groups);
        total.daily += e.daily;
        total.results += e.results;
    }
    if total.total() > limit {
        // An experiment runs at least 2 replications of each scenario.
        let reps = scns
            .iter()
            .map(|s| replications.unwrap_or(s.replications))
            .max()
            .unwrap_or(2);
        let mut ways = Vec::new();
        if reps > 2 {
            ways.push("fewer --replications");
        }
        if threads > 1 {
            ways.push("fewer --threads");
        }
        ways.extend(["fewer points", "fewer people"]);
        anyhow::bail!(
            "this experiment would need about {} of memory but only {} is available ({source}): \
             groups {} (the largest scenario's replications on {threads} threads), daily series \
             {} and results {} over {}. Use {}",
            human_bytes(total.total()),
            human_bytes(limit),
            human_bytes(total.groups),
            human_bytes(total.daily),
            human_bytes(total.results),
            match scns.len() {
                1 => "its scenario".to_string(),
                n => format!("its {n} scenarios"),
            },
            crate::format::word_list(&ways, "or")
        );
    }
    Ok(())
}

/// The first line of every `scenario.toml` clearance writes (a run's, a merge's, a sweep's or a
/// sensitivity study's): a TOML comment, so the file reads as before, that marks it as
/// clearance's own, to be replaced by the next command writing into its directory.
pub const SCENARIO_MARK: &str = "# The scenario as run, written by clearance: the next command \
     writing into this directory replaces this file (copy it elsewhere to edit it).";

/// The files of an output directory whose text says that clearance wrote the directory's outputs
/// (each carries `clearance_version` or the store's `format`): a run's store and summary, a
/// sweep shard's store, a sweep's or a sensitivity study's provenance.
const MANIFESTS: [&str; 4] = [
    crate::experiment::store::RUN_META,
    crate::experiment::store::SWEEP_META,
    "summary.json",
    super::provenance::FILE,
];

/// The first bytes of a file, read to tell whether clearance wrote it \[bytes\].
const HEAD_BYTES: u64 = 4096;

/// The first [`HEAD_BYTES`] of the file at `path`, as text; `None` when it cannot be read.
fn head(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(HEAD_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Whether `head` (a file's first bytes) is the start of a JSON file clearance wrote: an object
/// with `clearance_version` (summary.json, provenance.json, comparison.json) or the store's
/// `format` (run.json, sweep.json).
pub fn is_clearance_json(head: &str) -> bool {
    head.trim_start().starts_with('{')
        && (head.contains("\"clearance_version\"")
            || head.contains(crate::experiment::store::FORMAT))
}

/// Whether `head` (a file's first bytes) is the start of a `scenario.toml` clearance wrote: its
/// first line is [`SCENARIO_MARK`].
pub fn is_clearance_scenario(head: &str) -> bool {
    head.lines()
        .next()
        .is_some_and(|l| l.trim_end() == SCENARIO_MARK)
}

/// The files among `names` that exist in `dir` as regular files (links followed) and that
/// clearance did not write, so that writing them would lose what they hold. A file is
/// clearance's own when its own text says so (a JSON output with its `clearance_version` or the
/// store's `format`; a `scenario.toml` whose first line is [`SCENARIO_MARK`]), or when `dir`
/// holds a manifest clearance wrote (run.json, sweep.json, summary.json or provenance.json):
/// the directory of an earlier run, sweep or sensitivity study, whose other files (CSV, charts,
/// report) carry no mark of their own. A FIFO or device is written where it is, as asked.
pub fn foreign_outputs(dir: &Path, names: &[String]) -> Vec<String> {
    let exists = |n: &str| std::fs::metadata(dir.join(n)).is_ok_and(|m| m.is_file());
    let marked = |n: &str| {
        let Some(h) = head(&dir.join(n)) else {
            return false;
        };
        if n.ends_with(".json") {
            is_clearance_json(&h)
        } else if n == super::provenance::SCENARIO {
            is_clearance_scenario(&h)
        } else {
            false
        }
    };
    let existing: Vec<&String> = names.iter().filter(|n| exists(n)).collect();
    if existing.is_empty() {
        return Vec::new();
    }
    let manifest = MANIFESTS
        .iter()
        .any(|m| exists(m) && head(&dir.join(m)).is_some_and(|h| is_clearance_json(&h)));
    existing
        .into_iter()
        .filter(|n| !manifest && !marked(n))
        .cloned()
        .collect()
}

/// Refuse (exit 2, before anything runs) a command that would replace files in its output
/// directory `dir` that clearance did not write ([`foreign_outputs`] among `names`, the files
/// it writes there), naming them, unless `force` (`--force`).
pub fn refuse_foreign_outputs(dir: &Path, names: &[String], force: bool) -> anyhow::Result<()> {
    let foreign = foreign_outputs(dir, names);
    if foreign.is_empty() || force {
        return Ok(());
    }
    let them = if foreign.len() == 1 { "it" } else { "them" };
    Err(anyhow::Error::new(super::Usage(format!(
        "{} holds {}, which this command would replace but clearance did not write: nothing \
         was run. Write the outputs to another directory, move {them} away, or give --force to \
         replace {them} (a file counts as clearance's own when the directory holds a run.json, \
         sweep.json, summary.json or provenance.json that clearance wrote, or, for \
         scenario.toml, when its first line is clearance's comment)",
        dir.display(),
        foreign.join(", "),
    ))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_byte_counts() {
        assert_eq!(parse_bytes("1000"), Some(1000.0));
        assert_eq!(parse_bytes("2K"), Some(2048.0));
        assert_eq!(parse_bytes("1g"), Some(1024f64.powi(3)));
        assert_eq!(parse_bytes("x"), None);
        assert_eq!(parse_bytes("-1"), None);
    }

    #[test]
    fn estimate_grows_with_replications_and_people() {
        let text = "[scenario]\nname = \"m\"\nreplications = 10\n[backlog]\npeople = 1000\n\
                    [[origin]]\nname = \"A\"\n[[route]]\nfrom = \"A\"\nto = \"P\"\n\
                    [[port]]\nname = \"P\"\nquota_per_day = 50\n";
        let mut s = crate::scenario::load_str(text, "m.toml").unwrap();
        let a = estimate_memory(&s, 2, false, true, true).total();
        s.replications = 1000;
        let b = estimate_memory(&s, 2, false, true, true).total();
        assert!(b > a);
        // Spilled records leave a few bytes each in memory.
        let spilled = estimate_memory(&s, 2, false, true, false);
        assert!(spilled.results > 0.0 && spilled.results * 10.0 < b - a);
        s.backlog.people = 1_000_000;
        assert!(estimate_memory(&s, 2, false, true, true).total() > b);
    }

    #[test]
    fn the_refusal_names_first_what_most_of_the_estimate_is() {
        let baseline = || {
            crate::scenario::load_file(std::path::Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/scenarios/baseline.toml"
            )))
            .unwrap()
        };
        // The baseline, records spilled: groups and daily histograms, whatever the
        // replications; fewer of them would not help, fewer threads would.
        let mut s = baseline();
        for reps in [1, 20, 2000] {
            s.replications = reps;
            let est = estimate_memory(&s, 2, false, false, false);
            let ways = ways_to_less_memory(&est, 2.min(reps as usize), reps, false);
            assert!(!ways.contains(&"fewer --replications"), "{reps}: {ways:?}");
            assert_eq!(
                ways.contains(&"fewer --threads"),
                reps > 1,
                "{reps}: {ways:?}"
            );
        }
        // Daily series kept per replication (--out), many replications: they come first.
        s.replications = 2000;
        let est = estimate_memory(&s, 2, false, true, false);
        let ways = ways_to_less_memory(&est, 2, 2000, true);
        assert_eq!(ways[0], "fewer --replications", "{ways:?}");
        // Results held in memory that are most of it: fewer replications, first.
        let est = MemoryEstimate {
            groups: 2.0,
            daily: 1.0,
            results: 100.0,
            ..est
        };
        assert_eq!(
            ways_to_less_memory(&est, 8, 2000, false),
            [
                "fewer --replications",
                "fewer people",
                "fewer --threads",
                "a shorter horizon"
            ]
        );
        // Groups most of it, on 8 threads: people and threads before the horizon.
        let est = MemoryEstimate {
            groups: 100.0,
            daily: 10.0,
            results: 0.5,
            ..est
        };
        assert_eq!(
            ways_to_less_memory(&est, 8, 2000, false),
            ["fewer people", "fewer --threads", "a shorter horizon"]
        );
    }

    #[test]
    fn expected_days_cover_the_longest_health_check() {
        // The baseline with almost everyone testing positive, given a century to clear: its
        // replications end after 10,300–11,800 days (the last of 16,700 groups' checks), where
        // four mean checks (8,760 days) and the rest of the estimate gave 9,601.
        let mut s = crate::scenario::load_file(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/baseline.toml"
        )))
        .unwrap();
        s.horizon = 36_500.0;
        s.health.as_mut().unwrap().positive = 0.995;
        let days = expected_days(&s);
        assert!((11_800.0..36_501.0).contains(&days), "{days}");
        // Everyone negative: the check is its turnaround, and the horizon does not count.
        s.health.as_mut().unwrap().positive = 0.0;
        assert!(expected_days(&s) < 1_000.0);
    }

    /// The cgroup files as the kernel writes them: v2's "max" and v1's huge "unlimited" are no
    /// limit; a number is one; the usage is less the inactive file cache.
    #[test]
    fn cgroup_files_are_parsed() {
        assert_eq!(parse_cgroup_limit("max\n"), None);
        assert_eq!(parse_cgroup_limit("2147483648\n"), Some(2147483648.0));
        assert_eq!(parse_cgroup_limit("9223372036854771712\n"), None);
        assert_eq!(parse_cgroup_limit(""), None);
        assert_eq!(
            cgroup_usage("1000\n", Some("anon 600\nfile 400\ninactive_file 300\n")),
            Some(700.0)
        );
        assert_eq!(
            cgroup_usage("1000\n", Some("cache 400\ntotal_inactive_file 250\n")),
            Some(750.0)
        );
        assert_eq!(cgroup_usage("1000\n", None), Some(1000.0));
        assert_eq!(cgroup_usage("x", None), None);
        let limits = "Limit                     Soft Limit           Hard Limit           Units\n\
                      Max stack size            8388608              unlimited            bytes\n\
                      Max address space         4294967296           unlimited            bytes\n";
        assert_eq!(parse_address_space_limit(limits), Some(4294967296.0));
        assert_eq!(
            parse_address_space_limit(&limits.replace("4294967296", "unlimited ")),
            None
        );
        // cgroup v1 with the memory controller on its own line, beside the unified one.
        let v1 = "9:name=systemd:/\n4:memory:/process_api/03ec\n3:cpuset:/\n0::/\n";
        assert_eq!(
            cgroup_paths(v1),
            (Some("/".into()), Some("/process_api/03ec".into()))
        );
        // cgroup v2 only (a Kubernetes pod), and v1 with controllers sharing a line.
        assert_eq!(
            cgroup_paths("0::/kubepods/burstable/pod1/c1\n"),
            (Some("/kubepods/burstable/pod1/c1".into()), None)
        );
        assert_eq!(
            cgroup_paths("5:cpuacct,memory:/slurm/uid_1/job_7\n"),
            (None, Some("/slurm/uid_1/job_7".into()))
        );
    }

    fn baseline() -> Scenario {
        crate::scenario::load_file(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/baseline.toml"
        )))
        .unwrap()
    }

    /// The trace's estimate counts the health retests: the baseline's replication 0 at
    /// health.positive = 0.998 peaked at 2.4 GB with --trace (its estimate had been 34 MiB);
    /// without retests it holds about 8 events per group.
    #[test]
    fn trace_estimate_counts_health_retests() {
        let mut s = baseline();
        s.replications = 1;
        s.health.as_mut().unwrap().positive = 0.0;
        let none = estimate_memory(&s, 1, true, false, false);
        assert!(none.retest_events == 0.0 && none.trace < 100e6, "{none:?}");
        s.health.as_mut().unwrap().positive = 0.998;
        let e = estimate_memory(&s, 1, true, false, false);
        assert!((2.0e9..6.0e9).contains(&e.trace), "{e:?}");
        assert!(e.retest_events > 10.0 * (e.trace_events - e.retest_events));
        // Not asked for, no trace.
        assert_eq!(estimate_memory(&s, 1, false, false, false).trace, 0.0);
        // Every test positive: bounded by the longest horizon's turnarounds and isolations.
        s.health.as_mut().unwrap().positive = 1.0;
        assert!(estimate_memory(&s, 1, true, false, false).trace.is_finite());
    }

    /// A file is clearance's own by its mark (a JSON output's clearance_version or store
    /// format, scenario.toml's first line) or by a manifest of clearance's beside it.
    #[test]
    fn foreign_outputs_are_those_without_a_mark_or_manifest() {
        let d = tempfile::tempdir().unwrap();
        let names: Vec<String> = ["scenario.toml", "summary.json", "daily.csv", "fan.png"]
            .map(String::from)
            .to_vec();
        assert!(foreign_outputs(d.path(), &names).is_empty());
        std::fs::write(d.path().join("scenario.toml"), "# mine\n[scenario]\n").unwrap();
        std::fs::write(d.path().join("summary.json"), "my notes").unwrap();
        std::fs::write(d.path().join("daily.csv"), "a,b\n").unwrap();
        assert_eq!(
            foreign_outputs(d.path(), &names),
            ["scenario.toml", "summary.json", "daily.csv"]
        );
        assert!(refuse_foreign_outputs(d.path(), &names, true).is_ok());
        let e = refuse_foreign_outputs(d.path(), &names, false).unwrap_err();
        assert!(e.to_string().contains("--force"), "{e}");
        // clearance's scenario.toml is its own; the others still not.
        std::fs::write(
            d.path().join("scenario.toml"),
            format!("{SCENARIO_MARK}\n[scenario]\n"),
        )
        .unwrap();
        assert_eq!(
            foreign_outputs(d.path(), &names),
            ["summary.json", "daily.csv"]
        );
        // A summary.json of clearance's is a manifest: the directory is an earlier run's.
        std::fs::write(
            d.path().join("summary.json"),
            "{\n  \"clearance_version\": \"0.1.0\"\n}",
        )
        .unwrap();
        std::fs::write(d.path().join("scenario.toml"), "[scenario]\n").unwrap();
        assert!(foreign_outputs(d.path(), &names).is_empty());
        assert!(is_clearance_json(
            "{\n  \"format\": \"clearance-replications/1\","
        ));
        assert!(!is_clearance_json("clearance_version"));
    }
}
