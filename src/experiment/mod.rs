//! Experiments: replications run in parallel on rayon (replication i's streams derive from
//! (seed, i) alone, so results never depend on thread count), then summarised into the STATs and
//! daily bands of MODEL.md §3.

pub mod compare;
pub mod kpi;
pub mod precision;
pub mod progress;
pub mod records;
pub mod sensitivity;
pub mod store;
pub mod summary;
pub mod sweep;
pub mod target;

pub use records::{Records, Replications, Spill};
pub use summary::*;
/// The error of the experiments that load scenarios as they go ([`target::search`],
/// [`sensitivity::run`], [`sensitivity::settings`]), here beside [`RunError`]; also at its
/// first path, `experiment::target::ExperimentError`.
pub use target::ExperimentError;

use crate::model::{simulate, ReplicationResult, SimOptions};
use crate::scenario::{Problem, Scenario};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// How to run a scenario's replications.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Overrides `[scenario].replications` \[replications\]: 1 to 1,000,000, as the scenario's
    /// own (`Some(0)` is refused as invalid, like `replications = 0`).
    pub replications: Option<u32>,
    /// Overrides `[scenario].seed`.
    pub seed: Option<u64>,
    /// Worker threads (default, or `Some(0)`: one per core), at most [`MAX_THREADS`]; of them
    /// at most one per core and one per job are started ([`workers`]). Results do not depend on
    /// it.
    pub threads: Option<usize>,
    /// Show a progress bar on a terminal.
    pub progress: bool,
    /// Set from outside (e.g. on Ctrl-C) to stop starting new replications.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Keep the replications' records in memory instead of a temporary file ([`run`] spills
    /// them by default; results are the same either way).
    pub in_memory: bool,
}

/// What the analysis and the charts read from a run: its summary, its daily bands and each
/// replication's clearance time (a run in memory, or one read back from a stored directory).
#[derive(Debug, Clone, Copy)]
pub struct RunView<'a> {
    /// The run's summary (`summary.json`): counts in \[people\], times in \[days\].
    pub summary: &'a Summary,
    /// The run's daily bands: each series' quantiles over the replications, day by day
    /// \[people\].
    pub daily: &'a DailyBands,
    /// Clearance time of each replication, in index order \[days\].
    pub clearance_days: &'a [f64],
}

impl<'a> RunView<'a> {
    /// The view of a run made in this process ([`run`]), borrowing its summary, daily bands
    /// and clearance times; what [`crate::analysis::bind`] and the charts take.
    pub fn from_run(run: &'a RunResult) -> RunView<'a> {
        RunView {
            summary: &run.summary,
            daily: &run.daily,
            clearance_days: &run.clearance_days,
        }
    }
}

/// Everything a run produced.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// The run's summary, as `summary.json` holds it: counts in \[people\], times in
    /// \[days\], clearance and milestone statistics over the replications.
    pub summary: Summary,
    /// One record per finished replication, in index order (daily series dropped); in a
    /// temporary file for runs made by [`run`], so that memory does not grow with them.
    pub replications: Replications,
    /// Clearance time of each replication, in index order \[days\] (the records'
    /// `clearance_days`, kept in memory for the charts and the report).
    pub clearance_days: Vec<f64>,
    /// Each daily series' quantile bands over the replications, day by day (as `daily.csv`)
    /// \[people\]; [`DailyBands::band`] reads one by series name and day.
    pub daily: DailyBands,
    /// True when the run was interrupted and holds only the finished replications.
    pub partial: bool,
}

/// Errors of the experiment layer.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The worker threads could not be started (the system refused them).
    #[error("could not start {threads} worker threads")]
    ThreadPool {
        /// The worker threads asked for \[threads\].
        threads: usize,
        /// Why rayon could not build the pool.
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
    /// More worker threads asked for than the 1,024 allowed.
    #[error("{threads} worker threads: give 1 to 1,024, or none (or 0) for one per core")]
    TooManyThreads {
        /// The worker threads asked for \[threads\].
        threads: usize,
    },
    /// Interrupted (Ctrl-C) before any replication of a run finished: there is nothing to
    /// summarise.
    #[error("the run was interrupted before any replication finished")]
    NothingFinished,
    /// Interrupted (Ctrl-C) before every replication of an experiment (sweep, comparison,
    /// sensitivity, goal seeking) finished: it needs them all, so nothing is summarised.
    #[error(
        "interrupted after {finished} of {total} replications: the experiment needs them all, so \
         nothing was summarised or written"
    )]
    Interrupted {
        /// Replications that had finished \[replications\].
        finished: usize,
        /// Replications the experiment needed \[replications\].
        total: usize,
    },
    /// A scenario changed or built in code that [`Scenario::check`] refuses, or options out of
    /// range: every problem, each keyed by the TOML path (or the option) to fix. Displayed as
    /// `the scenario is not valid: `, `the options are not valid: ` (every problem is of an
    /// option, [`Problem::is_option`]) or `the scenario and options are not valid: `, then the
    /// problems joined by `; `.
    #[error("{}", invalid_text(.0))]
    Invalid(Vec<Problem>),
    /// The temporary file that holds finished replications' records (in `TMPDIR`) could not
    /// be written or read back.
    #[error("could not write or read back the replications' temporary file")]
    Spill(#[source] std::io::Error),
}

/// [`RunError::Invalid`]'s text: what is not valid (the scenario, the options or both), then
/// the problems.
fn invalid_text(problems: &[Problem]) -> String {
    let options = problems.iter().filter(|p| p.is_option()).count();
    let what = if options == 0 {
        "the scenario is"
    } else if options == problems.len() {
        "the options are"
    } else {
        "the scenario and options are"
    };
    format!("{what} not valid: {}", join_problems(problems))
}

/// The problems as one line, `; ` between them.
fn join_problems(problems: &[Problem]) -> String {
    let texts: Vec<String> = problems.iter().map(Problem::to_string).collect();
    texts.join("; ")
}

/// A replication count given as an option (`key`, e.g. `RunOptions.replications`) is 1 to
/// 1,000,000, as `[scenario].replications`; the problem names the option, not the scenario.
fn replications_in_range(n: Option<u32>, key: &str) -> Result<(), RunError> {
    let max = crate::scenario::validate::MAX_REPLICATIONS;
    match n {
        Some(n) if !(1..=max).contains(&i64::from(n)) => {
            Err(RunError::Invalid(vec![Problem::new(
                key,
                format!("{n}: give 1 to 1,000,000"),
            )]))
        }
        _ => Ok(()),
    }
}

/// Apply the overrides to a copy of the scenario.
pub fn effective_scenario(scn: &Scenario, opts: &RunOptions) -> Scenario {
    let mut s = scn.clone();
    if let Some(n) = opts.replications {
        s.replications = n;
    }
    if let Some(seed) = opts.seed {
        s.seed = seed;
    }
    s
}

/// Run replications `indices` of the scenario in parallel; returns them in index order, with
/// `None` for those skipped after cancellation, each with its daily series.
pub fn run_replications(
    scn: &Scenario,
    indices: std::ops::Range<u32>,
    opts: &RunOptions,
) -> Result<Vec<Option<ReplicationResult>>, RunError> {
    let jobs: Vec<(usize, u32)> = indices.map(|i| (0, i)).collect();
    Ok(run_jobs_folding(&[scn], &jobs, opts, "replications", true)?.results)
}

/// What a batch of jobs produced.
#[derive(Debug)]
pub struct Jobs {
    /// The replications in job order (`None` for jobs skipped after cancellation); their daily
    /// series are kept only when asked for.
    pub results: Vec<Option<ReplicationResult>>,
    /// Per scenario: the daily series of its finished replications, folded as they finished.
    pub daily: Vec<DailyAcc>,
}

/// Run many (scenario, replication index) jobs in ONE rayon pool with ONE progress bar; results
/// come back in job order (`None` for jobs skipped after cancellation). Each replication's
/// streams depend on its scenario's seed and index alone, so the results never depend on
/// thread count or scheduling. Each replication's daily series is folded into its scenario's
/// [`DailyAcc`] as soon as it finishes (adding commutes, so the order does not matter) and,
/// unless `keep_daily`, dropped: memory then does not grow with the daily series.
pub fn run_jobs_folding(
    scenarios: &[&Scenario],
    jobs: &[(usize, u32)],
    opts: &RunOptions,
    what: &str,
    keep_daily: bool,
) -> Result<Jobs, RunError> {
    let (results, daily) = run_each(
        scenarios,
        (jobs.len(), |k| jobs[k]),
        opts,
        what,
        keep_daily,
        None,
    )?;
    Ok(Jobs { results, daily })
}

/// Where [`run_each`] puts each finished replication instead of collecting it: called with the
/// job's number and the result (daily series dropped), from any thread.
type Sink<'a> = &'a (dyn Fn(usize, &ReplicationResult) + Sync);

/// Run replications `indices` of every scenario of `points` in ONE pool, writing replication
/// `indices.start + k` of point p into slot `first_slot + k` of `spills[p]` instead of keeping
/// it in memory (daily series dropped); returns each point's folded daily series.
pub(crate) fn run_spilling(
    points: &[&Scenario],
    indices: std::ops::Range<u32>,
    opts: &RunOptions,
    (spills, first_slot): (&[Spill], usize),
    what: &str,
) -> Result<Vec<DailyAcc>, RunError> {
    let n = indices.len().max(1);
    let job = |k: usize| (k / n, indices.start + (k % n) as u32);
    let sink = |k: usize, r: &ReplicationResult| spills[k / n].put(first_slot + k % n, r);
    let jobs = points.len() * indices.len();
    let (_, daily) = run_each(points, (jobs, job), opts, what, false, Some(&sink))?;
    Ok(daily)
}

/// Where one scenario's finished replications go, batch after batch: a [`Spill`] (so that
/// memory does not grow with them), or memory when their daily series are kept, when
/// `opts.in_memory`, or when no temporary file with room for them all can be made. Results are
/// the same either way.
#[derive(Debug)]
pub struct Collector {
    spill: Option<Spill>,
    memory: Vec<ReplicationResult>,
    keep_daily: bool,
    /// Slots used so far (the spill's next slot).
    used: usize,
    /// Slots (spill) or positions (memory) of the last batch.
    last: std::ops::Range<usize>,
}

impl Collector {
    /// An empty collector for at most `slots` replications. Also returns why the records stay
    /// in memory when a temporary file was wanted but could not be made.
    pub fn new(
        scn: &Scenario,
        slots: usize,
        opts: &RunOptions,
        keep_daily: bool,
    ) -> (Collector, Option<std::io::Error>) {
        let (spill, err) = match keep_daily || opts.in_memory {
            true => (None, None),
            false => match Spill::new(scn, slots) {
                Ok(s) => (Some(s), None),
                Err(e) => (None, Some(e)),
            },
        };
        let c = Collector {
            spill,
            memory: Vec::new(),
            keep_daily,
            used: 0,
            last: 0..0,
        };
        (c, err)
    }

    /// True when the records go to a temporary file.
    pub fn is_spilled(&self) -> bool {
        self.spill.is_some()
    }

    /// Add the next replication in index order, finished earlier (e.g. read from a store),
    /// without its daily series.
    pub fn push_stored(&mut self, r: ReplicationResult) {
        match &self.spill {
            Some(spill) => spill.put(self.used, &r),
            None => self.memory.push(r),
        }
        self.used += 1;
        self.last = 0..self.used;
    }

    /// Run replications `indices` (in parallel) into the collector; returns their folded daily
    /// series and how many finished (fewer than asked when interrupted).
    pub fn run(
        &mut self,
        scn: &Scenario,
        indices: std::ops::Range<u32>,
        opts: &RunOptions,
    ) -> Result<(DailyAcc, usize), RunError> {
        let n = indices.len();
        match &self.spill {
            Some(spill) => {
                let spills = (std::slice::from_ref(spill), self.used);
                let daily = run_spilling(&[scn], indices, opts, spills, "replications")?;
                let daily = daily
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| DailyAcc::new(scn));
                self.last = self.used..self.used + n;
                self.used += n;
                let done = spill.filled_in(self.last.clone());
                Ok((daily, done))
            }
            None => {
                let jobs: Vec<(usize, u32)> = indices.map(|i| (0, i)).collect();
                let out = run_jobs_folding(&[scn], &jobs, opts, "replications", self.keep_daily)?;
                let before = self.memory.len();
                append_finished(&mut self.memory, out.results);
                self.last = before..self.memory.len();
                self.used += n;
                let daily = out
                    .daily
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| DailyAcc::new(scn));
                Ok((daily, self.memory.len() - before))
            }
        }
    }

    /// Call `f` on the finished replications of the last [`Collector::run`], in index order.
    pub fn each_last(&self, mut f: impl FnMut(&ReplicationResult)) -> Result<(), RunError> {
        match &self.spill {
            Some(spill) => spill
                .each_in(self.last.clone(), |r| {
                    f(r);
                    Ok::<(), std::io::Error>(())
                })
                .map_err(RunError::Spill),
            None => {
                self.memory[self.last.clone()].iter().for_each(f);
                Ok(())
            }
        }
    }

    /// Every finished replication, in index order.
    pub fn finish(self) -> Result<Replications, RunError> {
        match self.spill {
            Some(spill) => spill.finish().map_err(RunError::Spill),
            None => Ok(Replications::from(self.memory)),
        }
    }
}

/// Most worker threads a run starts (as `--threads` allows) \[threads\].
pub const MAX_THREADS: usize = 1024;

/// Every scenario checked ([`Scenario::check`]) before any replication starts, as [`run`] does,
/// so that a scenario changed in code reaches the model only when valid (a route to a port that
/// does not exist had panicked in a comparison or a sweep). With several scenarios each problem
/// names its scenario ([`Problem::scenario`]); a problem repeated (B run twice in a comparison)
/// is given once.
fn check_all(scenarios: &[&Scenario]) -> Result<(), RunError> {
    let mut all: Vec<Problem> = Vec::new();
    for s in scenarios {
        for mut m in s.check().err().unwrap_or_default() {
            if scenarios.len() > 1 {
                m.scenario = Some(s.name.clone());
            }
            if !all.contains(&m) {
                all.push(m);
            }
        }
    }
    match all.is_empty() {
        true => Ok(()),
        false => Err(RunError::Invalid(all)),
    }
}

/// The cores this process may run on (1 when that cannot be told).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The worker threads a run of `jobs` replications uses when `requested` are asked for (`None`
/// or `Some(0)`: one per core): never more than the cores nor than the jobs, and at least 1.
/// Results do not depend on it; threads beyond the cores only add work (an idle rayon worker
/// spins looking for jobs: 1,024 threads on 2 cores had taken 30 times as long).
pub fn workers(requested: Option<usize>, jobs: usize) -> usize {
    let cores = cores();
    let asked = match requested {
        Some(t) if t > 0 => t,
        _ => cores,
    };
    asked.min(cores).min(jobs).max(1)
}

/// The rayon pool, progress bar and daily folding behind [`run_jobs_folding`] (results
/// collected in job order) and [`run_spilling`] (results given to the sink as they finish;
/// none collected).
fn run_each(
    scenarios: &[&Scenario],
    (n_jobs, job): (usize, impl Fn(usize) -> (usize, u32) + Sync),
    opts: &RunOptions,
    what: &str,
    keep_daily: bool,
    sink: Option<Sink>,
) -> Result<(Vec<Option<ReplicationResult>>, Vec<DailyAcc>), RunError> {
    check_all(scenarios)?;
    let threads = opts.threads.unwrap_or(0);
    if threads > MAX_THREADS {
        return Err(RunError::TooManyThreads { threads });
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(workers(opts.threads, n_jobs))
        .build()
        .map_err(|source| RunError::ThreadPool { threads, source })?;
    let bar = progress::bar(n_jobs as u64, what, opts.progress);
    let sim_opts = SimOptions::default();
    let cancel = opts.cancel.clone();
    let accs: Vec<Mutex<DailyAcc>> = scenarios
        .iter()
        .map(|s| Mutex::new(DailyAcc::new(s)))
        .collect();
    let one = |k: usize| {
        let (s, i) = job(k);
        if cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed)) {
            return None;
        }
        let mut r = simulate(scenarios[s], i, &sim_opts);
        accs[s]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .add(&r.daily);
        if !keep_daily {
            r.daily = Default::default();
        }
        bar.inc(1);
        Some(r)
    };
    let results = pool.install(|| match sink {
        None => (0..n_jobs).into_par_iter().map(one).collect(),
        Some(sink) => {
            (0..n_jobs).into_par_iter().for_each(|k| {
                if let Some(r) = one(k) {
                    sink(k, &r);
                }
            });
            Vec::new()
        }
    });
    bar.finish_and_clear();
    let daily = accs
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect();
    Ok((results, daily))
}

/// [`run_jobs_folding`] for callers that need neither the daily series nor the bands (sweeps,
/// comparisons, goal seeking): the replications come back without their daily series.
pub fn run_jobs(
    scenarios: &[&Scenario],
    jobs: &[(usize, u32)],
    opts: &RunOptions,
    what: &str,
) -> Result<Vec<Option<ReplicationResult>>, RunError> {
    Ok(run_jobs_folding(scenarios, jobs, opts, what, false)?.results)
}

/// Append the finished replications of `results` to `reps`, in their order. Into an empty
/// `reps` this reuses the allocation of `results` (so a large run does not hold two copies at
/// its peak).
#[allow(clippy::filter_map_identity)] // `filter_map` collects in place; `flatten` does not
pub fn append_finished(reps: &mut Vec<ReplicationResult>, results: Vec<Option<ReplicationResult>>) {
    if reps.is_empty() {
        *reps = results.into_iter().filter_map(|r| r).collect();
    } else {
        reps.extend(results.into_iter().flatten());
    }
}

/// Summarise finished replications (in index order, holding their daily series) as a run:
/// summary, daily bands, and the replications with their daily series dropped.
pub fn finish(
    scn: &Scenario,
    reps: Vec<ReplicationResult>,
    wall_seconds: f64,
    threads: usize,
    partial: bool,
) -> Result<RunResult, RunError> {
    let daily = DailyAcc::of(scn, &reps);
    finish_with(scn, reps, &daily, wall_seconds, threads, partial)
}

/// Summarise finished replications (in index order, in memory or spilled) whose daily series
/// were already folded into `daily`.
pub fn finish_with(
    scn: &Scenario,
    reps: impl Into<Replications>,
    daily: &DailyAcc,
    wall_seconds: f64,
    threads: usize,
    partial: bool,
) -> Result<RunResult, RunError> {
    let mut reps = reps.into();
    if reps.is_empty() {
        return Err(RunError::NothingFinished);
    }
    reps.drop_series();
    let summary =
        Summary::of(scn, &reps, wall_seconds, threads, partial).map_err(RunError::Spill)?;
    let clearance_days = reps.column(|r| r.clearance_days).map_err(RunError::Spill)?;
    Ok(RunResult {
        summary,
        replications: reps,
        clearance_days,
        daily: daily.bands(),
        partial,
    })
}

/// Run a scenario: replications in parallel (daily series folded as they finish and records
/// spilled to a temporary file, unless `opts.in_memory` or no temporary file with room for them
/// can be made), then the summary and daily bands.
pub fn run(scn: &Scenario, opts: &RunOptions) -> Result<RunResult, RunError> {
    replications_in_range(opts.replications, "RunOptions.replications")?;
    let scn = effective_scenario(scn, opts);
    scn.check().map_err(RunError::Invalid)?;
    let started = Instant::now();
    let n = scn.replications as usize;
    let (mut records, _) = Collector::new(&scn, n, opts, false);
    let (daily, _) = records.run(&scn, 0..scn.replications, opts)?;
    let reps = records.finish()?;
    let partial = reps.len() < n;
    let threads = workers(opts.threads, n);
    finish_with(
        &scn,
        reps,
        &daily,
        started.elapsed().as_secs_f64(),
        threads,
        partial,
    )
}

/// `Err(Interrupted)` when some job of `out` did not finish (Ctrl-C).
pub(crate) fn all_finished<T>(out: &[Option<T>]) -> Result<(), RunError> {
    let finished = out.iter().filter(|o| o.is_some()).count();
    if finished < out.len() {
        return Err(RunError::Interrupted {
            finished,
            total: out.len(),
        });
    }
    Ok(())
}
