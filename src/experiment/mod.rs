//! Experiments: replications run in parallel on rayon (replication i's streams derive from
//! (seed, i) alone, so results never depend on thread count), then summarised into the STATs and
//! daily bands of MODEL.md §3.

pub mod compare;
pub mod kpi;
pub mod precision;
pub mod progress;
pub mod sensitivity;
pub mod store;
pub mod summary;
pub mod sweep;
pub mod target;

pub use summary::*;

use crate::model::{simulate, ReplicationResult, SimOptions};
use crate::scenario::Scenario;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// How to run a scenario's replications.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Overrides `[scenario].replications`.
    pub replications: Option<u32>,
    /// Overrides `[scenario].seed`.
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    pub threads: Option<usize>,
    /// Show a progress bar on a terminal.
    pub progress: bool,
    /// Set from outside (e.g. on Ctrl-C) to stop starting new replications.
    pub cancel: Option<Arc<AtomicBool>>,
}

/// Everything a run produced.
#[derive(Debug, Clone)]
pub struct RunResult {
    pub summary: Summary,
    /// One entry per finished replication, in index order (daily series dropped).
    pub replications: Vec<ReplicationResult>,
    pub daily: DailyBands,
    /// True when the run was interrupted and holds only the finished replications.
    pub partial: bool,
}

/// Errors of the experiment layer.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("could not start {threads} worker threads")]
    ThreadPool {
        threads: usize,
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
    #[error("the run was interrupted before any replication finished")]
    NothingFinished,
}

/// Apply the overrides to a copy of the scenario.
pub fn effective_scenario(scn: &Scenario, opts: &RunOptions) -> Scenario {
    let mut s = scn.clone();
    if let Some(n) = opts.replications {
        s.replications = n.max(1);
    }
    if let Some(seed) = opts.seed {
        s.seed = seed;
    }
    s
}

/// Run replications `indices` of the scenario in parallel; returns them in index order, with
/// `None` for those skipped after cancellation.
pub fn run_replications(
    scn: &Scenario,
    indices: std::ops::Range<u32>,
    opts: &RunOptions,
) -> Result<Vec<Option<ReplicationResult>>, RunError> {
    let threads = opts.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| RunError::ThreadPool { threads, source })?;
    let bar = progress::bar(indices.len() as u64, "replications", opts.progress);
    let sim_opts = SimOptions::default();
    let cancel = opts.cancel.clone();
    let out = pool.install(|| {
        indices
            .into_par_iter()
            .map(|i| {
                if cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed)) {
                    return None;
                }
                let r = simulate(scn, i, &sim_opts);
                bar.inc(1);
                Some(r)
            })
            .collect()
    });
    bar.finish_and_clear();
    Ok(out)
}

/// Run many (scenario, replication index) jobs in ONE rayon pool with ONE progress bar; results
/// come back in job order (`None` for jobs skipped after cancellation). Each replication's
/// streams depend on its scenario's seed and index alone, so the results never depend on
/// thread count or scheduling.
pub fn run_jobs(
    scenarios: &[&Scenario],
    jobs: &[(usize, u32)],
    opts: &RunOptions,
    what: &str,
) -> Result<Vec<Option<ReplicationResult>>, RunError> {
    let threads = opts.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| RunError::ThreadPool { threads, source })?;
    let bar = progress::bar(jobs.len() as u64, what, opts.progress);
    let sim_opts = SimOptions::default();
    let cancel = opts.cancel.clone();
    let out = pool.install(|| {
        jobs.par_iter()
            .map(|&(s, i)| {
                if cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed)) {
                    return None;
                }
                let r = simulate(scenarios[s], i, &sim_opts);
                bar.inc(1);
                Some(r)
            })
            .collect()
    });
    bar.finish_and_clear();
    Ok(out)
}

/// Summarise finished replications (in index order) as a run: summary, daily bands, and the
/// replications with their daily series dropped.
pub fn finish(
    scn: &Scenario,
    mut reps: Vec<ReplicationResult>,
    wall_seconds: f64,
    threads: usize,
    partial: bool,
) -> Result<RunResult, RunError> {
    if reps.is_empty() {
        return Err(RunError::NothingFinished);
    }
    let daily = DailyBands::of(scn, &reps);
    for r in &mut reps {
        r.daily = Default::default();
    }
    let summary = Summary::of(scn, &reps, wall_seconds, threads, partial);
    Ok(RunResult {
        summary,
        replications: reps,
        daily,
        partial,
    })
}

/// Run a scenario: replications in parallel, then the summary and daily bands.
pub fn run(scn: &Scenario, opts: &RunOptions) -> Result<RunResult, RunError> {
    let scn = effective_scenario(scn, opts);
    let started = Instant::now();
    let results = run_replications(&scn, 0..scn.replications, opts)?;
    let partial = results.iter().any(|r| r.is_none());
    let reps: Vec<ReplicationResult> = results.into_iter().flatten().collect();
    let threads = opts.threads.unwrap_or_else(rayon::current_num_threads);
    finish(
        &scn,
        reps,
        started.elapsed().as_secs_f64(),
        threads,
        partial,
    )
}
