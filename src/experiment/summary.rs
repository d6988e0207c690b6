//! The run summary of MODEL.md §3 (what `summary.json` and `--json` contain), computed from
//! replications in index order, and the daily quantile bands behind `daily.csv`, folded from
//! each replication's daily series as it finishes ([`DailyAcc`]), so that a run's memory does
//! not grow with its replications.

use super::records::Records;
use crate::model::{scenario_series_names, series_is_flow, Daily, ReplicationResult, StageMetrics};
use crate::scenario::Scenario;
use crate::stats::{CountHist, Stat};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io;

/// Which scenario the run is of.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScenarioInfo {
    /// The scenario's `name` (under `[scenario]`).
    pub name: String,
    /// The file the scenario was read from, as given; "" for a scenario built in code.
    pub file: String,
    /// Calendar date of t = 0.
    pub start_date: String,
    /// Simulation horizon, from t = 0 \[days\].
    pub horizon_days: f64,
    /// The `--set` overrides the run applied to the file, as `PATH=VALUE`; absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// True when the scenario was changed in code after it was loaded from `file` (with
    /// `overrides`) and before it ran ([`Scenario::is_modified`]): `file` and `overrides` no
    /// longer describe it, and its validation warnings are those of the file. Absent (false)
    /// otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub modified_in_code: bool,
    /// [`crate::scenario::fingerprint`] of the effective scenario the run was loaded from
    /// (after `extends` and `--set`): 16 hex digits, as `run.json` and the experiments' JSON
    /// give it. For a scenario changed in code after loading (`modified_in_code`), 16 hex
    /// digits of [`Scenario::fingerprint`] of the scenario as run instead, so that two
    /// scenarios changed differently from one file do not share it (it is of another kind: it
    /// matches no file's, and only within one build of the program). Absent for a scenario
    /// built in code (and in summaries written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// Which scenario an experiment ran, as its JSON names it: `"scenario"` in `sweep --json`,
/// `provenance.json` and `target --json`, `"scenario_a"` and `"scenario_b"` in `compare --json`,
/// `"scenario_info"` in `sensitivity --json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScenarioProvenance {
    /// `[scenario] name`.
    pub name: String,
    /// The scenario file as named on the command line (or in the sweep file); "" for a
    /// scenario built in code.
    pub file: String,
    /// [`crate::scenario::fingerprint`] of the scenario as run (after `extends` and `--set`,
    /// before any factor): 16 hex digits, as `run.json` records a run's. `None` for a scenario
    /// built in code, and in the JSON of a merge of sweep shards stored before they recorded
    /// it (no `provenance.json` is written then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// True when the scenario was changed in code after loading
    /// ([`Scenario::is_modified`]): `file` is then of the scenario as loaded, not as run, and
    /// `fingerprint` the 16 hex digits of [`Scenario::fingerprint`] of the scenario as run (as
    /// [`ScenarioInfo::fingerprint`]). Absent (false) otherwise.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub modified_in_code: bool,
}

impl ScenarioProvenance {
    /// The provenance of a scenario, from what it was loaded as.
    pub fn of(scn: &Scenario) -> ScenarioProvenance {
        ScenarioProvenance {
            name: scn.name.clone(),
            file: scn.file.clone(),
            fingerprint: fingerprint_as_run(scn),
            modified_in_code: scn.is_modified(),
        }
    }
}

/// The fingerprint a summary or an experiment's JSON gives: that of the effective TOML the
/// scenario was loaded from, or, once it was changed in code, 16 hex digits of
/// [`Scenario::fingerprint`] of the scenario as it is; `None` for one built in code.
pub fn fingerprint_as_run(scn: &Scenario) -> Option<String> {
    let loaded = scn.loaded.as_ref()?;
    Some(match scn.is_modified() {
        true => format!("{:016x}", scn.fingerprint()),
        false => loaded.fingerprint.clone(),
    })
}

/// People of the backlog and phases \[people\]; inflow separately.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct People {
    /// Backlog plus phases \[people\].
    pub total: u64,
    /// Backlog and phase people processed, over replications \[people\].
    pub processed: Option<Stat>,
    /// Backlog and phase people who dropped out (attrition), over replications \[people\].
    pub dropped: Option<Stat>,
    /// Backlog and phase people never reached, over replications \[people\].
    pub unreached: Option<Stat>,
    /// Still in the system at the end (censored replications) \[people\].
    pub in_system: Option<Stat>,
    /// People who arrived through the inflow \[people\].
    pub inflow: Option<Stat>,
    /// Inflow people processed (not counted in `processed`) \[people\]. Absent from summaries
    /// written before it existed.
    #[serde(default)]
    pub inflow_processed: Option<Stat>,
}

/// Replications in which a milestone was never reached.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct NotReached {
    /// Replications in which processed people never reached 50% of the backlog plus phases
    /// \[replications\].
    pub t50: u64,
    /// Replications in which processed people never reached 90% \[replications\].
    pub t90: u64,
    /// Replications in which processed people never reached 99% \[replications\].
    pub t99: u64,
}

/// One stage's waits and utilization over replications.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StageSummary {
    /// Mean wait per group in the stage's queue, over the replications where a wait ended
    /// \[days\].
    pub wait_days: Option<Stat>,
    /// Utilization over the replications that have one \[fraction\].
    pub utilization: Option<Stat>,
}

/// The stages of [`ReplicationResult`] over replications.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Stages {
    /// Wait from registration to screening start \[days\]; busy over offered server time
    /// \[fraction\].
    pub screening: StageSummary,
    /// Wait in the ready queue until boarding \[days\]; seats filled over seats offered
    /// \[fraction\].
    pub transport: StageSummary,
    /// All ports together: wait from arrival to service start \[days\]; busy over offered
    /// server time \[fraction\].
    pub port: StageSummary,
}

/// One port over replications.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortSummary {
    /// The port's `name` in the scenario.
    pub name: String,
    /// Everyone processed there \[people\].
    pub processed: Option<Stat>,
    /// Mean wait from arrival at the port to service start \[days\].
    pub wait_days: Option<Stat>,
    /// Busy over offered server time \[fraction\].
    pub utilization: Option<Stat>,
}

/// Per priority class (backlog and phase people).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClassSummary {
    /// The class's `name` in the scenario ("all" when the scenario sets no classes).
    pub name: String,
    /// Share of groups in the class \[fraction\].
    pub share: f64,
    /// People in the class \[people\] per replication.
    pub people: Option<Stat>,
    /// People of the class processed \[people\] per replication.
    pub processed: Option<Stat>,
    /// Time the last group of the class was resolved; the horizon if censored \[days\].
    pub clearance_days: Option<Stat>,
    /// Mean registration-to-processed time per processed group \[days\].
    pub days_to_processed: Option<Stat>,
    /// Replications stopped by the horizon with people of the class not yet resolved
    /// \[replications\]: their class `clearance_days` is the horizon, a lower bound (as the
    /// summary's `censored` counts it for all classes together). Zero in summaries written
    /// before it existed.
    #[serde(default)]
    pub censored: u64,
    /// Which figures of the class's `clearance_days` are only lower bounds, by the rule of the
    /// summary's `clearance_censored` ([`super::kpi::censored_figure`]) applied to the class's
    /// replications; absent when `clearance_days` is, and from summaries written before it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearance_censored: Option<ClearanceCensored>,
}

/// Calendar dates of clearance percentiles (P5/P50/P95 of `clearance_days`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClearanceDates {
    /// Calendar date (YYYY-MM-DD) of the day containing the P5 of `clearance_days`.
    pub p5: String,
    /// Calendar date (YYYY-MM-DD) of the day containing the median of `clearance_days`.
    pub p50: String,
    /// Calendar date (YYYY-MM-DD) of the day containing the P90 of `clearance_days`; absent
    /// from summaries written before it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p90: Option<String>,
    /// Calendar date (YYYY-MM-DD) of the day containing the P95 of `clearance_days`.
    pub p95: String,
}

/// Which figures of `clearance_days` (and `clearance_dates`) are only lower bounds: the
/// horizon of replications that had not cleared by it, or (the mean) pulled down by them. A
/// date that is a lower bound reads "not cleared by the day before".
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct ClearanceCensored {
    /// The mean \[days\] is a lower bound: some replication was censored (counted at the
    /// horizon, earlier than its clearance).
    pub mean: bool,
    /// The minimum \[days\] is a lower bound (by [`Summary::is_censored_clearance`]: above
    /// every replication that cleared, or none cleared).
    pub min: bool,
    /// The P5 \[days\] is a lower bound (by [`Summary::is_censored_clearance`]).
    pub p5: bool,
    /// The median \[days\] is a lower bound (by [`Summary::is_censored_clearance`]).
    pub p50: bool,
    /// The P90 \[days\] is a lower bound (by [`Summary::is_censored_clearance`]); false when the
    /// summary has no P90.
    pub p90: bool,
    /// The P95 \[days\] is a lower bound (by [`Summary::is_censored_clearance`]).
    pub p95: bool,
    /// The maximum \[days\] is a lower bound: some replication was censored (the maximum is
    /// then the horizon).
    pub max: bool,
}

/// The 95% confidence interval of a quantile of `clearance_days` across replications (exact,
/// distribution-free, from order statistics: [`super::kpi::quantile_ci`]): where the quantile
/// of the scenario's clearance distribution lies, given the replications run. It narrows as
/// replications are added; the quantile itself does not.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct QuantileCi {
    /// Lower end \[days\]; null when too few replications bound it (a P5 below 72).
    pub low_days: Option<f64>,
    /// Upper end \[days\]; null when too few replications bound it (a P90 below 36).
    pub high_days: Option<f64>,
    /// Calendar date (YYYY-MM-DD) of the day containing `low_days`; null with it.
    pub low_date: Option<String>,
    /// Calendar date (YYYY-MM-DD) of the day containing `high_days`; null with it.
    pub high_date: Option<String>,
    /// Whether `high_days` is only a lower bound: it involves replications that had not
    /// cleared by the horizon (by [`Summary::is_censored_clearance`]).
    pub high_censored: bool,
}

/// How a [`QuantileCi`] reads, for the tables and the report, each of which writes dates in
/// its own form: its ends in days \[days\].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CiSpan {
    /// From `low` to the horizon or later (the upper end is a lower bound).
    ToHorizon {
        /// The lower end \[days\].
        low: f64,
    },
    /// Both ends within one day, that of `low`.
    OneDay {
        /// The lower end \[days\].
        low: f64,
    },
    /// From the day of `low` to that of `high`.
    Between {
        /// The lower end \[days\].
        low: f64,
        /// The upper end \[days\].
        high: f64,
    },
}

impl QuantileCi {
    /// How the interval reads; `None` when too few replications bound it.
    pub fn span(&self) -> Option<CiSpan> {
        use crate::scenario::day_of;
        match (self.low_days, self.high_days) {
            (Some(low), Some(_)) if self.high_censored => Some(CiSpan::ToHorizon { low }),
            (Some(low), Some(high)) if day_of(low) == day_of(high) => Some(CiSpan::OneDay { low }),
            (Some(low), Some(high)) => Some(CiSpan::Between { low, high }),
            _ => None,
        }
    }
}

/// 95% confidence intervals of the P5, the median, the P90 and the P95 of `clearance_days`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClearanceQuantileCis {
    /// Of the P5 (its lower end needs 72 replications).
    pub p5: QuantileCi,
    /// Of the median (P50).
    pub p50: QuantileCi,
    /// Of the P90 (its upper end needs 36 replications).
    pub p90: QuantileCi,
    /// Of the P95 (its upper end needs 72 replications).
    pub p95: QuantileCi,
}

/// Whether `--precision` was met, when the run was asked for one.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PrecisionSummary {
    /// The target as given (`2d`, `5%`).
    pub target: String,
    /// Whether the 95% CI half-width of mean clearance came within the target with no
    /// replication censored.
    pub met: bool,
    /// The half-width reached \[days\]; null with fewer than two replications.
    pub half_width_days: Option<f64>,
    /// The half-width the target allows at that mean \[days\].
    pub allowed_days: Option<f64>,
}

/// The fit of a run to observed data (`run --observed FILE`), in short: its rows are in
/// `observed-fit.csv` beside `summary.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ObservedSummary {
    /// The observed-data file as named on the command line.
    pub file: String,
    /// Observations fitted \[observations\].
    pub observations: usize,
    /// Of them, those inside the simulated 90% band \[observations\].
    pub inside_90: usize,
    /// Root mean square of observed − simulated median over them \[people\]; null without
    /// replications.
    pub rmse: Option<f64>,
}

/// How long the run took.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Performance {
    /// Events processed over all replications \[events\].
    pub events: u64,
    /// Wall-clock time of the run \[seconds\]; after `merge`, the shards' times added up, and
    /// after `run --extend` with the runs it continues (0 for stores written before they
    /// recorded it), as `events` counts all their replications.
    pub wall_seconds: f64,
    /// Events processed per wall-clock second; 0 when no time was measured \[events/second\].
    pub events_per_second: f64,
    /// Worker threads the replications ran on \[threads\]; after `merge`, the most one shard
    /// used.
    pub threads: usize,
}

/// The run summary (`summary.json`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    /// The version of clearance that made this summary (its package version, "0.1.0"): the
    /// build that ran, merged or extended the run. Empty when read from a summary written
    /// before it was recorded.
    #[serde(default)]
    pub clearance_version: String,
    /// Which scenario.
    pub scenario: ScenarioInfo,
    /// Replications summarised \[replications\].
    pub replications: u64,
    /// The scenario's base seed; each replication's seed derives from it and its index.
    pub seed: u64,
    /// True when the run was interrupted: only finished replications are summarised.
    pub partial: bool,
    /// Where the backlog and phase people ended up.
    pub people: People,
    /// Time the last backlog/phase group was resolved \[days\]; censored = horizon.
    pub clearance_days: Option<Stat>,
    /// Calendar dates of P5, P50, P90 and P95 of `clearance_days`.
    pub clearance_dates: Option<ClearanceDates>,
    /// 95% confidence intervals of the P5, median, P90 and P95 of `clearance_days` (the
    /// uncertainty of `clearance_dates`' quantiles from the number of replications run), each
    /// end in \[days\] and as a date; an end too few
    /// replications bound is null (both with one replication); absent from summaries written
    /// before it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearance_quantile_ci95: Option<ClearanceQuantileCis>,
    /// Replications that reached the horizon before clearance \[replications\].
    pub censored: u64,
    /// The latest clearance of the replications that cleared \[days\]; null when none did, and
    /// absent from summaries written before it was. A clearance figure above it involves a
    /// replication that had not cleared: a lower bound.
    #[serde(default)]
    pub last_cleared_days: Option<f64>,
    /// Which clearance figures are only lower bounds (censored); absent from summaries written
    /// before it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clearance_censored: Option<ClearanceCensored>,
    /// Time processed people first reached 50% of backlog plus phases, over the replications
    /// that reached it \[days\].
    pub t50_days: Option<Stat>,
    /// Time processed people first reached 90% of backlog plus phases, over the replications
    /// that reached it \[days\].
    pub t90_days: Option<Stat>,
    /// Time processed people first reached 99% of backlog plus phases, over the replications
    /// that reached it \[days\].
    pub t99_days: Option<Stat>,
    /// Replications in which each milestone was never reached \[replications\].
    pub t_not_reached: NotReached,
    /// Of those, the replications stopped by the horizon before clearing \[replications\]: they
    /// might have reached the milestone later, so the milestone's statistics (over the
    /// replications that reached it) may understate it. Zero in summaries written before it
    /// existed.
    #[serde(default)]
    pub t_cut_by_horizon: NotReached,
    /// Waits \[days\] and utilizations \[fraction\] per stage.
    pub stages: Stages,
    /// Per port, in the scenario's order.
    pub ports: Vec<PortSummary>,
    /// Per priority class, highest first (one class "all" when the scenario sets none).
    #[serde(default)]
    pub classes: Vec<ClassSummary>,
    /// The scenario's validation warnings, and the run's: an inflow that outpaces capacity
    /// (`analysis::inflow_overload`), with the inflow arrivals not processed by the end.
    pub warnings: Vec<String>,
    /// Events, wall-clock time and threads: the one field that differs between runs of one
    /// scenario and seed ([`Summary::same_results`] compares the others).
    pub performance: Performance,
    /// Whether `run --precision` met its target; absent when none was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<PrecisionSummary>,
    /// The fit to observed data of `run --observed`; absent when none was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<ObservedSummary>,
    /// What binds, week by week, as the run's table prints it under "What binds" (filled by
    /// `clearance run` and `merge`; absent from the library's [`Summary::of`] and
    /// [`run`](super::run), whose run gives it to [`crate::analysis::what_binds`], and when no
    /// week could be read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub what_binds: Option<WhatBinds>,
}

/// The stages that bind over the run, from the daily means (`clearance run`'s "What binds").
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct WhatBinds {
    /// The weeks read end at `"median_clearance"`, or at `"horizon"` when the median run does
    /// not clear within it.
    pub up_to: String,
    /// Consecutive weeks where one stage binds, in time order.
    pub spans: Vec<BindingSpanSummary>,
    /// Each stage's share of the days read \[fraction\], largest first.
    pub shares: Vec<BindingShare>,
    /// The span that sets the clearance date (an index into `spans`) and what would move the
    /// date; absent when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_set_by: Option<DateSetBy>,
}

impl WhatBinds {
    /// The span that sets the clearance date (`spans[date_set_by.span]`): its `name` is the
    /// stage or port that binds at the end ("health check", "port El Paso"); `None` when
    /// there is none.
    pub fn sets_date(&self) -> Option<&BindingSpanSummary> {
        self.date_set_by
            .as_ref()
            .and_then(|d| self.spans.get(d.span))
    }
}

/// One span of weeks where one stage binds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BindingSpanSummary {
    /// First day of the span \[day index\] and its date (YYYY-MM-DD).
    pub from_day: usize,
    /// The date of `from_day`, as YYYY-MM-DD.
    pub from_date: String,
    /// One past the span's last day \[day index\].
    pub to_day: usize,
    /// What binds: a stage (`registration`, `screening`, `health check`, `transport`, …), a
    /// port (`port El Paso`) or a route's transport, as the table names it; `nobody waits` for
    /// final weeks where nobody waits anywhere.
    pub name: String,
    /// Its throughput over its capacity bound \[fraction\] (it can pass 1; see the table's
    /// note); null for registration, the health check and a stage with no capacity.
    pub used: Option<f64>,
    /// Mean people in front of it over the span \[people\] (registration: still expected to
    /// register; the health check: in the check or its isolation).
    pub people_waiting: f64,
}

/// A stage's share of the days read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct BindingShare {
    /// The stage's name, as in [`BindingSpanSummary::name`].
    pub name: String,
    /// \[fraction\]
    pub share: f64,
}

/// What sets the clearance date.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DateSetBy {
    /// Index into `spans`.
    pub span: usize,
    /// What would move the date, in words (the table's text).
    pub lever: String,
    /// The scenario keys the lever names as what would move the date, as `--set` writes them
    /// ("port[Port B].servers", "port[Port B].hours", "port[Port B].quota_per_day",
    /// "screening.servers"): the input that limits the port or screening that binds at the end.
    /// Empty when the lever names none (another stage, or another kind of lever).
    #[serde(default)]
    pub inputs: Vec<String>,
}

fn stat_by<R: Records + ?Sized>(
    reps: &R,
    f: impl Fn(&ReplicationResult) -> f64,
) -> io::Result<Option<Stat>> {
    Ok(Stat::of_vec(reps.values(f)?))
}

fn stat_opt<R: Records + ?Sized>(
    reps: &R,
    f: impl Fn(&ReplicationResult) -> Option<f64>,
) -> io::Result<Option<Stat>> {
    Ok(Stat::of_vec(reps.values_some(f)?))
}

fn stage<R: Records + ?Sized>(
    reps: &R,
    f: impl Fn(&ReplicationResult) -> &StageMetrics,
) -> io::Result<StageSummary> {
    Ok(StageSummary {
        wait_days: stat_opt(reps, |r| f(r).wait_days)?,
        utilization: stat_opt(reps, |r| f(r).utilization)?,
    })
}

impl Summary {
    /// Whether two summaries hold the same results: every field but [`Summary::performance`]
    /// (wall-clock time and threads, which differ from run to run). A run's results depend only
    /// on its scenario and seed, so runs of one scenario and seed on 1 and on 2 threads
    /// ([`RunOptions::threads`](super::RunOptions::threads)) give summaries for which this is
    /// true, while `==` compares their performance too and is false.
    ///
    /// ```
    /// use clearance::experiment::{self, RunOptions};
    /// let scn = clearance::scenario::load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
    /// let on = |threads| RunOptions { replications: Some(8), seed: Some(7), threads: Some(threads), ..Default::default() };
    /// let one = experiment::run(&scn, &on(1)).unwrap().summary;
    /// let two = experiment::run(&scn, &on(2)).unwrap().summary;
    /// assert!(one.same_results(&two));
    /// assert_eq!(one.clearance_days, two.clearance_days); // each result field is equal
    /// ```
    pub fn same_results(&self, other: &Summary) -> bool {
        let mut a = self.clone();
        a.performance = other.performance.clone();
        a == *other
    }

    /// Whether a clearance figure (a quantile of `clearance_days`) \[days\] involves
    /// replications that had not cleared: a lower bound, not a measured clearance. It is when it
    /// lies above every replication that cleared (a quantile between the last that cleared and
    /// one at the horizon is pulled up by the latter), or when none cleared. (Summaries written
    /// before `last_cleared_days` existed: when it is the horizon.)
    pub fn is_censored_clearance(&self, days: f64) -> bool {
        match self.last_cleared_days {
            Some(last) => super::kpi::censored_figure(
                days,
                self.censored,
                self.replications,
                last,
                self.scenario.horizon_days,
            ),
            None => {
                self.censored > 0
                    && (self.censored >= self.replications || days >= self.scenario.horizon_days)
            }
        }
    }

    /// The summary of `reps` (in index order), read one STAT at a time: a spilled run holds
    /// one column in memory at a time, beside the clearance column (read once, for its STAT
    /// and its quantiles' intervals). Fails only when spilled records cannot be read back.
    pub fn of<R: Records + ?Sized>(
        scn: &Scenario,
        reps: &R,
        wall_seconds: f64,
        threads: usize,
        partial: bool,
    ) -> io::Result<Summary> {
        let mut events = 0u64;
        let mut censored = 0u64;
        // People still in the system at the horizon, summed over the censored replications
        // (the others have none): the horizon warning's mean is over those replications.
        let mut censored_waiting = 0u64;
        let mut not_reached = [0u64; 3];
        let mut cut = [0u64; 3];
        let mut last_cleared: Option<f64> = None;
        // Per class: replications stopped with people of the class unresolved (its clearance
        // then is the horizon), and the latest clearance of the others.
        let mut class_censored = vec![0u64; scn.classes.len()];
        let mut class_last: Vec<Option<f64>> = vec![None; scn.classes.len()];
        reps.each(|r| {
            events += r.events;
            censored += r.censored as u64;
            if r.censored {
                censored_waiting += r.in_system;
            }
            if !r.censored {
                last_cleared =
                    Some(last_cleared.map_or(r.clearance_days, |l| l.max(r.clearance_days)));
            }
            for ((c, n), last) in r
                .classes
                .iter()
                .zip(&mut class_censored)
                .zip(&mut class_last)
            {
                if r.censored && c.clearance_days >= scn.horizon {
                    *n += 1;
                } else {
                    *last = Some(last.map_or(c.clearance_days, |l| l.max(c.clearance_days)));
                }
            }
            for ((n, c), t) in not_reached
                .iter_mut()
                .zip(&mut cut)
                .zip([r.t50_days, r.t90_days, r.t99_days])
            {
                *n += t.is_none() as u64;
                *c += (t.is_none() && r.censored) as u64;
            }
            Ok::<(), io::Error>(())
        })?;
        // The clearance column, read once for its STAT and its quantiles' intervals.
        let clearance_column = reps.values(|r| r.clearance_days)?;
        let clearance = Stat::of(&clearance_column);
        let clearance_dates = clearance.as_ref().map(|c| ClearanceDates {
            p5: scn.date_of(c.p5).to_string(),
            p50: scn.date_of(c.p50).to_string(),
            p90: c.p90.map(|v| scn.date_of(v).to_string()),
            p95: scn.date_of(c.p95).to_string(),
        });
        let ports = scn
            .ports
            .iter()
            .enumerate()
            .map(|(i, p)| {
                Ok(PortSummary {
                    name: p.name.clone(),
                    processed: stat_by(reps, |r| r.ports[i].processed as f64)?,
                    wait_days: stat_opt(reps, |r| r.ports[i].wait_days)?,
                    utilization: stat_opt(reps, |r| r.ports[i].utilization)?,
                })
            })
            .collect::<io::Result<_>>()?;
        let classes = scn
            .classes
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let clearance_days = stat_by(reps, |r| r.classes[i].clearance_days)?;
                let n = reps.count() as u64;
                let (cens, last) = (class_censored[i], class_last[i]);
                let at = |v: f64| {
                    super::kpi::censored_figure(
                        v,
                        cens,
                        n,
                        last.unwrap_or(f64::NEG_INFINITY),
                        scn.horizon,
                    )
                };
                let clearance_censored = clearance_days.as_ref().map(|c| ClearanceCensored {
                    mean: cens > 0,
                    min: at(c.min),
                    p5: at(c.p5),
                    p50: at(c.p50),
                    p90: c.p90.is_some_and(at),
                    p95: at(c.p95),
                    max: cens > 0,
                });
                Ok(ClassSummary {
                    name: c.name.clone(),
                    share: c.share,
                    people: stat_by(reps, |r| r.classes[i].people as f64)?,
                    processed: stat_by(reps, |r| r.classes[i].processed as f64)?,
                    clearance_days,
                    days_to_processed: stat_opt(reps, |r| r.classes[i].days_to_processed)?,
                    censored: cens,
                    clearance_censored,
                })
            })
            .collect::<io::Result<_>>()?;
        let mut summary = Summary {
            clearance_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: ScenarioInfo {
                name: scn.name.clone(),
                file: scn.file.clone(),
                start_date: scn.start_date.to_string(),
                horizon_days: scn.horizon,
                overrides: scn.overrides().to_vec(),
                modified_in_code: scn.is_modified(),
                fingerprint: fingerprint_as_run(scn),
            },
            replications: reps.count() as u64,
            seed: scn.seed,
            partial,
            people: People {
                total: scn.cohort_people(),
                processed: stat_by(reps, |r| r.processed as f64)?,
                dropped: stat_by(reps, |r| r.dropped as f64)?,
                unreached: stat_by(reps, |r| r.unreached as f64)?,
                in_system: stat_by(reps, |r| r.in_system as f64)?,
                inflow: stat_by(reps, |r| r.inflow as f64)?,
                inflow_processed: stat_by(reps, |r| r.inflow_processed as f64)?,
            },
            clearance_days: clearance,
            clearance_dates,
            clearance_quantile_ci95: None,
            censored,
            last_cleared_days: last_cleared,
            t50_days: stat_opt(reps, |r| r.t50_days)?,
            t90_days: stat_opt(reps, |r| r.t90_days)?,
            t99_days: stat_opt(reps, |r| r.t99_days)?,
            t_not_reached: NotReached {
                t50: not_reached[0],
                t90: not_reached[1],
                t99: not_reached[2],
            },
            t_cut_by_horizon: NotReached {
                t50: cut[0],
                t90: cut[1],
                t99: cut[2],
            },
            stages: Stages {
                screening: stage(reps, |r| &r.screening)?,
                transport: stage(reps, |r| &r.transport)?,
                port: stage(reps, |r| &r.port)?,
            },
            ports,
            classes,
            warnings: with_capacity_warnings(scn),
            performance: Performance {
                events,
                wall_seconds,
                events_per_second: if wall_seconds > 0.0 {
                    events as f64 / wall_seconds
                } else {
                    0.0
                },
                threads,
            },
            precision: None,
            observed: None,
            what_binds: None,
            clearance_censored: None,
        };
        // The flags read each figure as the tables and charts do.
        summary.clearance_censored = summary.clearance_days.as_ref().map(|c| {
            let at = |v: f64| summary.is_censored_clearance(v);
            ClearanceCensored {
                mean: censored > 0,
                min: at(c.min),
                p5: at(c.p5),
                p50: at(c.p50),
                p90: c.p90.is_some_and(at),
                p95: at(c.p95),
                max: censored > 0,
            }
        });
        summary.clearance_quantile_ci95 = summary.quantile_cis(scn, &clearance_column);
        // An inflow that outpaces capacity, with what the runs left of it unprocessed (the
        // capacity bounds worked out only for a scenario with an inflow).
        if let Some(o) = crate::analysis::inflow_overload_of(scn) {
            let unprocessed = summary
                .people
                .inflow
                .as_ref()
                .zip(summary.people.inflow_processed.as_ref())
                .map(|(a, p)| (a.mean - p.mean, a.mean));
            summary.warnings.push(o.text(unprocessed));
        }
        // Replications stopped by the horizon: only clearance says so in its figures; the
        // other KPIs count what had finished by then, and are biased without a mark.
        if censored > 0 {
            summary.warnings.push(censored_kpis_warning(
                censored,
                summary.replications,
                scn.horizon,
                Some(censored_waiting as f64 / censored as f64),
            ));
        }
        Ok(summary)
    }

    /// The 95% intervals of the P5, median, P90 and P95 of `clearance` (every replication's clearance
    /// \[days\]): an end too few replications bound is null, both ends with one replication
    /// (as with 2 to 5 for the median); `None` without any.
    fn quantile_cis(&self, scn: &Scenario, clearance: &[f64]) -> Option<ClearanceQuantileCis> {
        if clearance.is_empty() {
            return None;
        }
        let date = |days: f64| scn.date_of(days).to_string();
        let ci = |q: f64| {
            // No interval from one value (`quantile_ci` needs two): both ends unbounded.
            let (low, high) = super::kpi::quantile_ci(clearance, q)
                .map_or((f64::NEG_INFINITY, f64::INFINITY), |(_, l, h)| (l, h));
            let low = low.is_finite().then_some(low);
            let high = high.is_finite().then_some(high);
            QuantileCi {
                low_days: low,
                high_days: high,
                low_date: low.map(date),
                high_date: high.map(date),
                high_censored: high.is_some_and(|h| self.is_censored_clearance(h)),
            }
        };
        Some(ClearanceQuantileCis {
            p5: ci(0.05),
            p50: ci(0.5),
            p90: ci(0.9),
            p95: ci(0.95),
        })
    }
}

/// Quantile band of one series on one day, over replications \[people\].
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Band {
    /// Mean over replications \[people\].
    pub mean: f64,
    /// 5th percentile over replications \[people\].
    pub p5: f64,
    /// 25th percentile over replications \[people\].
    pub p25: f64,
    /// Median over replications \[people\].
    pub p50: f64,
    /// 75th percentile over replications \[people\].
    pub p75: f64,
    /// 95th percentile over replications \[people\].
    pub p95: f64,
}

/// Daily quantile bands: `bands[day * series.len() + s]`.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyBands {
    /// Calendar date of day 0.
    pub start_date: chrono::NaiveDate,
    /// Names of the series, in storage order (see [`crate::model::series_names`]).
    pub series: Vec<String>,
    /// Days with bands: every day up to the one in which the longest replication ended
    /// \[days\].
    pub days: usize,
    /// One band per (day, series), `days × series.len()` in all.
    pub bands: Vec<Band>,
}

impl DailyBands {
    /// The bands of replications that still hold their daily series.
    pub fn of(scn: &Scenario, reps: &[ReplicationResult]) -> DailyBands {
        DailyAcc::of(scn, reps).bands()
    }

    /// The calendar date of day `day` of the bands (day 0 is [`DailyBands::start_date`]): the
    /// date `daily.csv` writes beside the day's rows. A date beyond the calendar's range (past
    /// about year 262,000) saturates to [`chrono::NaiveDate::MAX`]; never panics.
    pub fn date(&self, day: usize) -> chrono::NaiveDate {
        u64::try_from(day)
            .ok()
            .and_then(|d| self.start_date.checked_add_days(chrono::Days::new(d)))
            .unwrap_or(chrono::NaiveDate::MAX)
    }

    /// The band of series `series` (an index, see [`DailyBands::series_index`]) on `day`.
    /// Panics when `day >= days` or the series does not exist; [`DailyBands::try_get`] and
    /// [`DailyBands::band`] do not.
    pub fn get(&self, day: usize, series: usize) -> &Band {
        &self.bands[day * self.series.len() + series]
    }

    /// The band of series `series` on `day`, or `None` past the last day or the last series.
    pub fn try_get(&self, day: usize, series: usize) -> Option<&Band> {
        (day < self.days && series < self.series.len())
            .then(|| self.bands.get(day * self.series.len() + series))
            .flatten()
    }

    /// The band of the series named `name` on `day`, or `None` when there is no such series or
    /// day.
    pub fn band(&self, day: usize, name: &str) -> Option<&Band> {
        self.try_get(day, self.series_index(name)?)
    }

    /// The index of the series named `name` (e.g. `"waiting:El Paso"`).
    pub fn series_index(&self, name: &str) -> Option<usize> {
        self.series.iter().position(|s| s == name)
    }
}

/// The daily series of many replications folded into one count histogram per (day, series):
/// memory is days × series × at most [`crate::stats::hist::MAX_BINS`] bins, whatever the number
/// of replications. Adding and merging commute, so the bands never depend on the order
/// replications finish in. Quantiles are exact while a day's values span at most `MAX_BINS`
/// people (the usual case; see [`CountHist`]), and the means always are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DailyAcc {
    start_date: chrono::NaiveDate,
    series: Vec<String>,
    flows: Vec<bool>,
    /// `hists[day * series + s]`: values of replications whose series reach `day`.
    hists: Vec<CountHist>,
    /// Replications whose series end after `len` days, by `len`: per series their value on
    /// every later day (the last state; 0 for flows).
    tails: BTreeMap<usize, Vec<CountHist>>,
    replications: u64,
}

impl DailyAcc {
    /// An accumulator of no replications, for the daily series of `scn` (its ports' series
    /// included).
    pub fn new(scn: &Scenario) -> DailyAcc {
        let series = scenario_series_names(scn);
        let flows = series.iter().map(|s| series_is_flow(s)).collect();
        DailyAcc {
            start_date: scn.start_date,
            series,
            flows,
            hists: Vec::new(),
            tails: BTreeMap::new(),
            replications: 0,
        }
    }

    /// The daily series of replications that still hold them, folded.
    pub fn of(scn: &Scenario, reps: &[ReplicationResult]) -> DailyAcc {
        let mut acc = DailyAcc::new(scn);
        for r in reps {
            acc.add(&r.daily);
        }
        acc
    }

    /// Replications folded in.
    pub fn replications(&self) -> u64 {
        self.replications
    }

    /// Fold in one replication's daily series.
    pub fn add(&mut self, daily: &Daily) {
        let ns = self.series.len();
        let days = daily.days();
        if self.hists.len() < days * ns {
            self.hists.resize(days * ns, CountHist::new());
        }
        for day in 0..days {
            for s in 0..ns {
                self.hists[day * ns + s].add(daily.get(day, s, self.flows[s]));
            }
        }
        let tail = self
            .tails
            .entry(days)
            .or_insert_with(|| vec![CountHist::new(); ns]);
        for (s, h) in tail.iter_mut().enumerate() {
            h.add(daily.get(days, s, self.flows[s]));
        }
        self.replications += 1;
    }

    /// [`add`](Self::add) for series read from a file: refuses series of another shape.
    pub fn try_add(&mut self, daily: &Daily) -> Result<(), String> {
        let ns = self.series.len();
        if daily.n_series != ns || !daily.values.len().is_multiple_of(ns.max(1)) {
            return Err(format!(
                "a daily series has {} series and {} values, the scenario has {ns} series",
                daily.n_series,
                daily.values.len()
            ));
        }
        self.add(daily);
        Ok(())
    }

    /// Fold in another accumulator of the same scenario.
    pub fn merge(&mut self, other: &DailyAcc) {
        if self.hists.len() < other.hists.len() {
            self.hists.resize(other.hists.len(), CountHist::new());
        }
        for (h, o) in self.hists.iter_mut().zip(&other.hists) {
            h.merge(o);
        }
        for (len, hs) in &other.tails {
            let mine = self
                .tails
                .entry(*len)
                .or_insert_with(|| vec![CountHist::new(); hs.len()]);
            for (h, o) in mine.iter_mut().zip(hs) {
                h.merge(o);
            }
        }
        self.replications += other.replications;
    }

    /// Whether an accumulator read from a file belongs to `scn` and is one this module could
    /// have built (so that using it cannot panic); the reason when not.
    pub fn check(&self, scn: &Scenario) -> Result<(), String> {
        let mine = DailyAcc::new(scn);
        if self.series != mine.series || self.flows != mine.flows {
            // A store of an earlier version, before some series existed: say so.
            let missing: Vec<&String> = mine
                .series
                .iter()
                .filter(|s| !self.series.contains(s))
                .collect();
            if !missing.is_empty() && self.series.iter().all(|s| mine.series.contains(s)) {
                return Err(format!(
                    "it was written by an earlier version of clearance, without the daily \
                     series {}",
                    missing
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            return Err(format!(
                "its daily series {:?} are not the scenario's {:?}",
                self.series, mine.series
            ));
        }
        let ns = self.series.len();
        if ns == 0
            || !self.hists.len().is_multiple_of(ns)
            || self.tails.values().any(|t| t.len() != ns)
        {
            return Err("the daily histograms do not match the number of series".into());
        }
        for h in self.hists.iter().chain(self.tails.values().flatten()) {
            h.check()?;
        }
        // Every replication counts once on every day: in that day's histogram or in the tail
        // of a replication that ended by then.
        // (Counts added with checks: the histograms are read from a file.)
        let too_many = || "the daily histograms count more than 2^64 replications".to_string();
        let days = self.hists.len() / ns;
        let mut ended = vec![0u64; ns];
        let mut tails = self.tails.iter().peekable();
        for day in 0..=days {
            while let Some((_, hs)) = tails.next_if(|(len, _)| **len <= day) {
                for (e, h) in ended.iter_mut().zip(hs) {
                    *e = e.checked_add(h.len()).ok_or_else(too_many)?;
                }
            }
            for (s, e) in ended.iter().enumerate() {
                let here = if day < days {
                    self.hists[day * ns + s].len()
                } else {
                    0
                };
                let counted = here.checked_add(*e).ok_or_else(too_many)?;
                if counted != self.replications {
                    return Err(format!(
                        "day {day} counts {counted} replications, not {}",
                        self.replications
                    ));
                }
            }
        }
        if tails.next().is_some() {
            return Err("a replication ends after the last day".into());
        }
        Ok(())
    }

    /// The quantile bands of every day up to the longest replication.
    pub fn bands(&self) -> DailyBands {
        let ns = self.series.len();
        let days = self.hists.len().checked_div(ns).unwrap_or(0);
        let mut ended = vec![CountHist::new(); ns];
        let mut tails = self.tails.iter().peekable();
        let mut bands = Vec::with_capacity(days * ns);
        for day in 0..days {
            while let Some((_, hs)) = tails.next_if(|(len, _)| **len <= day) {
                for (e, h) in ended.iter_mut().zip(hs) {
                    e.merge(h);
                }
            }
            for (s, e) in ended.iter().enumerate() {
                let mut h = self.hists[day * ns + s].clone();
                h.merge(e);
                let q = |x| if h.is_empty() { 0.0 } else { h.quantile(x) };
                bands.push(Band {
                    mean: h.mean(),
                    p5: q(0.05),
                    p25: q(0.25),
                    p50: q(0.5),
                    p75: q(0.75),
                    p95: q(0.95),
                });
            }
        }
        DailyBands {
            start_date: self.start_date,
            series: self.series.clone(),
            days,
            bands,
        }
    }
}

/// The scenario's warnings and one for each stage without any capacity (`model::
/// zero_capacity_stages`), computed here too, so that a scenario changed in code after loading
/// gets them in its summary as one loaded by the command line does.
fn with_capacity_warnings(scn: &Scenario) -> Vec<String> {
    let mut w = scn.warnings.clone();
    if scn.is_modified() {
        w.push(modified_warning(scn));
    }
    w.extend(new_capacity_warnings(scn));
    w
}

/// The warning of a summary whose scenario was changed in code after loading.
pub fn modified_warning(scn: &Scenario) -> String {
    format!(
        "the scenario was changed in code after it was loaded from {}: the file no longer \
         describes it, and the warnings here are the file's (Scenario::check checked the \
         changed values; validation's warnings are not re-derived)",
        if scn.file.is_empty() {
            "its text".to_string()
        } else {
            format!("\"{}\"", scn.file)
        }
    )
}

/// What the warning of a run with replications stopped by the horizon says of the KPIs other
/// than clearance ([`censored_kpis_warning`]), for finding it among a summary's warnings.
pub const CENSORED_KPIS: &str = "describe only the groups that finished by the horizon";

/// The warning of a summary in which `censored` of `replications` replications reached the
/// horizon (`horizon_days` \[days\]) before clearing, with `waiting` people on average still in
/// the system then in those replications \[people\] (the mean over the censored ones, not over
/// all: 16 of 200 with 1 or 2 people each had read "on average 0 people"); under 10 with a
/// decimal ("1.3 people"), never as 0: clearance marks its figures as lower bounds, but the
/// other KPIs count only what had finished by the horizon, and nothing else says so.
pub fn censored_kpis_warning(
    censored: u64,
    replications: u64,
    horizon_days: f64,
    waiting: Option<f64>,
) -> String {
    let waiting = waiting
        .filter(|w| *w > 0.0)
        .map(|w| {
            let n = if w < 0.05 {
                "under 0.1".to_string()
            } else if w < 10.0 && format!("{w:.1}") != format!("{w:.0}.0") {
                format!("{w:.1}")
            } else {
                crate::format::fmt_int(w)
            };
            let who = if n == "1" { "person" } else { "people" };
            format!(", with on average {n} {who} still waiting")
        })
        .unwrap_or_default();
    let horizon = format!("{horizon_days:.2}");
    format!(
        "{censored} of {} reached the horizon ({} days) before \
         clearing{waiting}: the waits, days to processed, utilizations and people processed \
         and dropped out {CENSORED_KPIS}, so the waits lean towards those of the people served \
         early, and the counts and utilizations describe the run cut off at the horizon, not the \
         whole clearance; give a longer scenario.horizon (--set \
         scenario.horizon=…) for figures of the whole backlog",
        crate::format::counted(replications, "replication", "replications"),
        horizon.trim_end_matches('0').trim_end_matches('.'),
    )
}

/// The warnings "no capacity: …" for the stages of `scn` without any capacity that its warnings
/// do not hold yet, leaving out a stage whose cause a warning of the scenario already says
/// (validation's `port El Paso has servers = 0: no capacity at all; nobody passes it`, at its
/// key: [`crate::model::blocked::NoCapacity::said_at_load`]), so that each cause is said once.
pub fn new_capacity_warnings(scn: &Scenario) -> Vec<String> {
    new_capacity_warnings_placed(scn)
        .into_iter()
        .map(|(w, _)| w)
        .collect()
}

/// The warnings of `scn`'s validation (as loaded; none for a scenario built in code) that say
/// one of the causes `said` ([`said_at_load`]), by their messages apart from their place and
/// key: a name with `": "` in it (`route "Matamoros: Gateway"`) cannot be mistaken for a
/// boundary between the parts of the printed text.
fn said_by_loader<'s>(
    scn: &'s Scenario,
    said: &'s std::collections::HashSet<String>,
) -> impl Iterator<Item = &'s crate::scenario::LoadWarning> + 's {
    scn.loaded
        .iter()
        .flat_map(|l| &l.warnings)
        .filter(move |w| w.openings().any(|o| said.contains(o)))
}

/// The words of the warning of `scn`'s validation for the cause that leaves the stage at `at`
/// without capacity, when validation warns of that cause.
fn said_at_load(scn: &Scenario, at: &crate::model::blocked::StagePlace) -> Option<String> {
    use crate::model::blocked::{port_no_capacity, route_no_capacity, screening_no_capacity};
    let n = match (at.section, at.index) {
        ("screening", _) => screening_no_capacity(scn),
        ("port", Some(i)) => port_no_capacity(scn, i),
        ("route", Some(i)) => route_no_capacity(scn, i),
        _ => None,
    };
    n?.said_at_load
}

/// [`new_capacity_warnings`], each with the place in the scenario it is about
/// ([`crate::model::blocked::StagePlace`]; `None` for the warning about the whole scenario),
/// for `validate --json` to give its line and key.
pub fn new_capacity_warnings_placed(
    scn: &Scenario,
) -> Vec<(String, Option<crate::model::blocked::StagePlace>)> {
    // how validation's warnings open, by their messages (not their printed text)
    let openings: std::collections::HashSet<&str> = scn
        .loaded
        .iter()
        .flat_map(|l| &l.warnings)
        .flat_map(|w| w.openings())
        .collect();
    let said = |at: &Option<crate::model::blocked::StagePlace>| {
        at.as_ref()
            .and_then(|at| said_at_load(scn, at))
            .is_some_and(|w| openings.contains(w.as_str()))
    };
    crate::model::blocked::zero_capacity_stages_placed(scn)
        .into_iter()
        .filter(|(_, at)| !said(at))
        .map(|(z, at)| (format!("no capacity: {z}"), at))
        .filter(|(z, _)| !scn.warnings.contains(z))
        .collect()
}

/// The warnings of `scn` (its capacity warnings added) about stages without any capacity:
/// validation's, for the causes it names at their key (`servers = 0`, …), and the "no capacity:
/// …" ones (a disruption that closes a stage for the whole horizon, an origin every route of
/// which leads to such a stage, nobody ever processed), in the scenario's order.
pub fn capacity_warnings(scn: &Scenario) -> Vec<&str> {
    let words = all_said_at_load(scn);
    let tails: Vec<String> = said_by_loader(scn, &words)
        .map(|w| w.printed_tail())
        .collect();
    scn.warnings
        .iter()
        .filter(|w| w.starts_with("no capacity: ") || tails.iter().any(|t| w.ends_with(t)))
        .map(|w| w.as_str())
        .collect()
}

/// The words of validation's warning ([`crate::model::blocked::NoCapacity::said_at_load`]) of
/// every stage of `scn` without capacity whose cause validation warns of.
fn all_said_at_load(scn: &Scenario) -> std::collections::HashSet<String> {
    let mut words = std::collections::HashSet::new();
    if let Some(n) = crate::model::blocked::screening_no_capacity(scn) {
        words.extend(n.said_at_load);
    }
    for i in 0..scn.ports.len() {
        if let Some(n) = crate::model::blocked::port_no_capacity(scn, i) {
            words.extend(n.said_at_load);
        }
    }
    for i in 0..scn.routes.len() {
        if let Some(n) = crate::model::blocked::route_no_capacity(scn, i) {
            words.extend(n.said_at_load);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stage whose cause the scenario's warnings already say (validation's, at its key) has
    /// no "no capacity: …" warning besides; one that lost its capacity after loading (no such
    /// warning) has, and both count among the capacity warnings.
    #[test]
    fn a_cause_validation_said_is_not_warned_of_again() {
        let text = "[scenario]\nname = \"t\"\nhorizon = \"50d\"\n[backlog]\npeople = 10\n\
                    [[origin]]\nname = \"A\"\n[[route]]\nfrom = \"A\"\nto = \"P\"\n\
                    [[route]]\nfrom = \"A\"\nto = \"Q\"\n[[port]]\nname = \"P\"\nservers = 0\n\
                    [[port]]\nname = \"Q\"\nservers = 2\n";
        let mut scn = crate::scenario::load_str(text, "t.toml").unwrap();
        assert!(new_capacity_warnings(&scn).is_empty(), "{:?}", scn.warnings);
        scn.ports[1].servers = Some(0);
        let new = new_capacity_warnings(&scn);
        assert_eq!(
            new,
            [
                "no capacity: port \"Q\": servers = 0",
                "no capacity: origin \"A\": every route from it leads to a stage with no capacity",
                "no capacity: nobody can ever be processed: the run can only stop at the horizon",
            ],
        );
        scn.warnings.extend(new);
        let said = capacity_warnings(&scn);
        assert_eq!(said.len(), 4, "{said:?}");
        assert!(said[0].ends_with("port P has servers = 0: no capacity at all; nobody passes it"));
    }

    /// A route named with ": " in it (`A: express`) whose cause validation says
    /// (`route A: express has seats = 0: …`) is matched by that warning's message, not by
    /// splitting its printed text at ": ": no second "no capacity: route …" line for the same
    /// cause, and validation's warning counts among the capacity warnings, also when the
    /// printed text is a saved run's record of it (another file, another place).
    #[test]
    fn a_cause_said_of_a_name_with_a_colon_and_space_is_warned_of_once() {
        let text = "[scenario]\nname = \"t\"\nhorizon = \"50d\"\n[backlog]\npeople = 10\n\
                    [[origin]]\nname = \"A\"\n[[route]]\nname = \"A: express\"\n\
                    from = \"A\"\nto = \"P\"\ndepartures = [\"08:00\"]\nseats = 0\n\
                    [[port]]\nname = \"P\"\nservers = 2\n";
        let mut scn = crate::scenario::load_str(text, "t.toml").unwrap();
        let seats = "route A: express has seats = 0: no capacity at all; nobody boards it";
        assert!(
            scn.warnings.iter().any(|w| w.ends_with(seats)),
            "{:?}",
            scn.warnings
        );
        let new = new_capacity_warnings(&scn);
        assert!(
            new.iter().all(|w| !w.contains("route \"A: express\"")),
            "the cause validation said is said again: {new:?}"
        );
        scn.warnings.extend(new);
        let said = capacity_warnings(&scn);
        assert!(said.iter().any(|w| w.ends_with(seats)), "{said:?}");
        // as a saved run recorded it, for `run --extend` and `merge`
        for w in &mut scn.warnings {
            *w = w.replace("t.toml:", "/elsewhere/run.toml:");
        }
        let said = capacity_warnings(&scn);
        assert!(said.iter().any(|w| w.ends_with(seats)), "{said:?}");
        // a scenario built in code has no validation's warnings to say its causes
        scn.loaded = None;
        assert!(new_capacity_warnings(&scn)
            .iter()
            .any(|w| w == "no capacity: route \"A: express\": seats = 0"));
    }

    /// Daily histograms of an earlier version (without the series added since) are named as
    /// such; other differences of series are damage.
    #[test]
    fn daily_histograms_of_an_earlier_version_are_named_as_such() {
        let scn = crate::scenario::load_file(std::path::Path::new("tests/scenarios/minimal.toml"))
            .unwrap();
        let mine = DailyAcc::new(&scn);
        assert_eq!(mine.check(&scn), Ok(()));
        let mut old = DailyAcc::new(&scn);
        let keep: Vec<bool> = old
            .series
            .iter()
            .map(|s| !s.starts_with("in_health"))
            .collect();
        let mut k = keep.iter();
        old.series.retain(|_| *k.next().unwrap());
        let mut k = keep.iter();
        old.flows.retain(|_| *k.next().unwrap());
        let e = old.check(&scn).unwrap_err();
        assert!(e.contains("written by an earlier version"), "{e}");
        assert!(e.contains("`in_health`"), "{e}");
        let mut renamed = DailyAcc::new(&scn);
        renamed.series[0] = "something_else".into();
        let e = renamed.check(&scn).unwrap_err();
        assert!(e.contains("are not the scenario's"), "{e}");
    }

    /// A band is at hand by series name, and asking past the last day or series gives `None`
    /// (`get` panics there, as slice indexing does).
    #[test]
    fn bands_by_name_and_none_past_the_end() {
        let scn = crate::scenario::load_file(std::path::Path::new("tests/scenarios/minimal.toml"))
            .unwrap();
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let bands = &run.daily;
        let s = bands.series_index("processed").unwrap();
        let last = bands.days - 1;
        assert_eq!(bands.band(last, "processed"), Some(bands.get(last, s)));
        assert!(bands.get(last, s).mean > 0.0);
        assert_eq!(bands.try_get(last + 1, s), None);
        assert_eq!(bands.try_get(0, bands.series.len()), None);
        assert_eq!(bands.band(0, "no such series"), None);
    }
}
