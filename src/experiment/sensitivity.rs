//! One-at-a-time sensitivity: the baseline and, for each factor, the scenario with that one key
//! set to its low and to its high value (all runs in one pool, same seeds), reporting P50 and
//! P90 (and mean) clearance at each, sorted by the P90 swing (largest first) — the data of a
//! tornado chart — with paired bootstrap intervals of the change of P50 and P90 from the low
//! setting to the high one (the table's, percentile bootstrap) and from the baseline to each
//! setting (the tornado chart's whiskers, Bayesian bootstrap). Factors that cannot be varied as
//! given (low above high, the same value twice, a setting varied twice) are refused with a
//! [`SensitivityError`] before anything runs. [`run_kpi`] studies another KPI (`t90_days`,
//! `port_wait_days`, …) the same way.

use super::kpi::KpiStat;
use super::run_jobs;
use super::ExperimentError;
use super::{RunError, RunOptions};
use crate::scenario::{self, overrides::display_value, Override, Scenario};
use crate::stats::bootstrap::{paired_quantile_diff_bayes_ci, paired_quantile_diff_ci};
use serde::Serialize;

/// A factor: key path, low and high value.
#[derive(Debug, Clone, PartialEq)]
pub struct SensFactor {
    /// Key path of the setting varied, as for `--set` (e.g. `port[San Ysidro].quota_per_day`).
    pub path: String,
    /// Its low value, in the setting's own unit.
    pub low: toml::Value,
    /// Its high value, in the setting's own unit.
    pub high: toml::Value,
}

impl SensFactor {
    /// The factor of `path` from its values as listed (`PATH=low,high`): exactly two, the low
    /// one first.
    pub fn from_values(path: &str, values: &[toml::Value]) -> Result<SensFactor, SensitivityError> {
        match values {
            [low, high] => Ok(SensFactor {
                path: path.to_string(),
                low: low.clone(),
                high: high.clone(),
            }),
            _ => Err(SensitivityError::NotTwoValues {
                path: path.to_string(),
                found: values.len(),
            }),
        }
    }
}

/// Factors that cannot be varied as given, refused by [`check_factors`] (and so by
/// [`settings`] and [`run`]) before any scenario is loaded or replication run. Values are shown
/// as written ([`display_value`]: `15d`, `50`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SensitivityError {
    /// Not two values: a factor has a low and a high one.
    #[error("{path}: give exactly two values, low and high (found {found})")]
    NotTwoValues {
        /// The factor's key path.
        path: String,
        /// The values given \[values\].
        found: usize,
    },
    /// The low and high values are the same: the factor would change nothing.
    #[error("{path}: the low and high values are the same ({value}): give two different values")]
    SameValues {
        /// The factor's key path.
        path: String,
        /// The value given twice, as written.
        value: String,
    },
    /// The low value lies above the high one (numbers, or durations by their length): the
    /// tornado's ends would be swapped.
    #[error(
        "{path}: the low value ({low}) is above the high value ({high}): give the low value \
         first, {path}={high},{low}"
    )]
    LowAboveHigh {
        /// The factor's key path.
        path: String,
        /// The value given first, as written.
        low: String,
        /// The value given second, as written.
        high: String,
    },
    /// The same key path given as two factors.
    #[error("{path} is varied twice: give it once, with its low and high values")]
    VariedTwice {
        /// The key path.
        path: String,
    },
    /// Two key paths that name the same setting (`port[San Ysidro].…` and `port[1].…`).
    #[error(
        "{first} and {second} are the same setting: vary it once, with its low and high values"
    )]
    SameSetting {
        /// The key path given first.
        first: String,
        /// The key path given second.
        second: String,
    },
    /// Two key paths of which one holds the other (`port[1].ramp` and `port[1].ramp.from`).
    #[error(
        "{first} and {second} overlap (one holds the other): vary one of them, since the one \
         would set a part of the other"
    )]
    Overlap {
        /// The key path given first.
        first: String,
        /// The key path given second.
        second: String,
    },
}

/// A value's place in the order of its kind, when it has one: a number, or a duration in days.
fn ordinal(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        toml::Value::String(s) => scenario::units::parse_duration(s).ok(),
        _ => None,
    }
}

/// The first problem of `factors` seen without the scenario, in the factors' order: a factor
/// whose low and high values are the same, whose low value is above its high one (low and high
/// name the ends of the tornado's bars: `15d,5d` had run with them swapped), or whose path an
/// earlier factor already varies.
pub fn check_factors(factors: &[SensFactor]) -> Result<(), SensitivityError> {
    for (i, f) in factors.iter().enumerate() {
        let path = f.path.clone();
        if f.low == f.high {
            return Err(SensitivityError::SameValues {
                path,
                value: display_value(&f.low),
            });
        }
        if let (Some(a), Some(b)) = (ordinal(&f.low), ordinal(&f.high)) {
            if a > b {
                return Err(SensitivityError::LowAboveHigh {
                    path,
                    low: display_value(&f.low),
                    high: display_value(&f.high),
                });
            }
        }
        if factors[..i].iter().any(|g| g.path == f.path) {
            return Err(SensitivityError::VariedTwice { path });
        }
    }
    Ok(())
}

/// The same setting under two names (`port[P].…` and `port[1].…`), or one factor holding
/// another, in the scenario `table` (as sweep refuses them): one would set its value over (a
/// part of) the other's.
fn check_settings(table: &toml::Table, factors: &[SensFactor]) -> Result<(), SensitivityError> {
    let paths: Vec<&str> = factors.iter().map(|f| f.path.as_str()).collect();
    match scenario::overrides::varied_twice(table, &paths) {
        None => Ok(()),
        Some((i, j, same)) => {
            let (first, second) = (paths[i].to_string(), paths[j].to_string());
            Err(match same {
                true => SensitivityError::SameSetting { first, second },
                false => SensitivityError::Overlap { first, second },
            })
        }
    }
}

/// Clearance at one setting \[days\]: or, in a study of another KPI (`kpi` of
/// [`Sensitivity`]), that KPI's figures, in its unit, a replication that did not measure it
/// (a milestone not reached) counting as one not cleared does for clearance.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Clearance {
    /// Mean clearance over replications, censored ones counting as the horizon \[days\].
    pub mean: f64,
    /// Median clearance over replications, censored ones counting as the horizon \[days\].
    pub p50: f64,
    /// 90th percentile of clearance over replications, censored ones counting as the horizon
    /// \[days\].
    pub p90: f64,
    /// Replications that reached the horizon before clearing; their clearance counts as the
    /// horizon \[replications\]. For another KPI: replications that did not measure it, each
    /// counting as the end of its run for a time since the start (a milestone), else as the
    /// largest value measured at the setting.
    pub censored: u64,
    /// True when the P50 lies above every replication that cleared (replications stopped at
    /// the horizon pull it up): a lower bound, not a measured clearance.
    pub p50_censored: bool,
    /// True when the P90 lies above every replication that cleared: a lower bound, not a
    /// measured clearance.
    pub p90_censored: bool,
    /// Mean people of the backlog and phases processed per replication, whatever the KPI
    /// studied \[people\]: a setting at which fewer are processed can clear sooner only
    /// because fewer people are left to process ([`SensRow::fewer_processed`]).
    pub processed: f64,
    /// Mean people of the backlog and phases per replication \[people\].
    pub people: f64,
    /// Replications stopped by the horizon before clearing, whatever the KPI studied
    /// \[replications\] (for clearance the same as `censored`): a KPI other than clearance
    /// counts only what finished by the horizon there, so its figures at a setting cut off so
    /// reflect the cut-off ([`horizon_warning`]).
    pub horizon_censored: u64,
}

/// KPI `kpi` of each replication as a [`Clearance`] counts it \[the KPI's unit\], with whether
/// it is only a lower bound (a replication stopped at the horizon before clearing, or one that
/// did not measure the KPI).
fn kpi_values(
    reps: &[crate::model::ReplicationResult],
    kpi: &str,
    ports: &[String],
) -> Vec<(f64, bool)> {
    if kpi == CLEARANCE {
        return reps
            .iter()
            .map(|r| (r.clearance_days, r.censored))
            .collect();
    }
    let measured: Vec<Option<f64>> = reps
        .iter()
        .map(|r| super::kpi::kpi(r, kpi, ports))
        .collect();
    let largest = measured
        .iter()
        .flatten()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let time = super::kpi::TIMES_SINCE_START.contains(&kpi);
    reps.iter()
        .zip(measured)
        .map(|(r, v)| match v {
            Some(v) => (v, false),
            None if time => (r.end_days, true),
            None => (if largest.is_finite() { largest } else { 0.0 }, true),
        })
        .collect()
}

/// The KPI a study reads by default, and reads as before KPIs could be chosen.
const CLEARANCE: &str = "clearance_days";

impl Clearance {
    /// The figures of `values` ([`kpi_values`]) with the people of `reps`, the replications
    /// they come from.
    fn of_reps(
        values: &[(f64, bool)],
        reps: &[crate::model::ReplicationResult],
    ) -> Option<Clearance> {
        let n = reps.len().max(1) as f64;
        Some(Clearance {
            processed: reps.iter().map(|r| r.processed as f64).sum::<f64>() / n,
            people: reps.iter().map(|r| r.people_total as f64).sum::<f64>() / n,
            horizon_censored: reps.iter().filter(|r| r.censored).count() as u64,
            ..Clearance::of(values)?
        })
    }

    fn of(values: &[(f64, bool)]) -> Option<Clearance> {
        let v: Vec<f64> = values.iter().map(|x| x.0).collect();
        let k = KpiStat::of(&v)?;
        let censored = values.iter().filter(|x| x.1).count() as u64;
        let last_cleared = values
            .iter()
            .filter(|x| !x.1)
            .map(|x| x.0)
            .fold(f64::NEG_INFINITY, f64::max);
        let n = values.len() as u64;
        // A censored replication's clearance is its horizon.
        let horizon = values
            .iter()
            .filter(|x| x.1)
            .map(|x| x.0)
            .fold(f64::INFINITY, f64::min);
        Some(Clearance {
            mean: k.stat.mean,
            p50: k.stat.p50,
            p90: k.p90,
            censored,
            p50_censored: super::kpi::censored_figure(
                k.stat.p50,
                censored,
                n,
                last_cleared,
                horizon,
            ),
            p90_censored: super::kpi::censored_figure(k.p90, censored, n, last_cleared, horizon),
            processed: 0.0,
            people: 0.0,
            horizon_censored: 0,
        })
    }

    /// Mean people of the backlog and phases not processed per replication (dropped out, never
    /// reached, or still waiting at the horizon) \[people\].
    pub fn not_processed(&self) -> f64 {
        (self.people - self.processed).max(0.0)
    }
}

/// The share of the people by which more must go unprocessed at one setting than at the other
/// for a row to be marked [`SensRow::fewer_processed`] (1%: 250 of the baseline's 25,000).
pub const FEWER_PROCESSED_SHARE: f64 = 0.01;

/// Whether the KPI is lower (P50 or P90) at the setting at which more people go unprocessed,
/// by more than [`FEWER_PROCESSED_SHARE`] of the people: its value falls because fewer people
/// are processed (drop-outs, people never reached), not because they are processed faster.
pub fn fewer_processed(lo: &Clearance, hi: &Clearance) -> bool {
    let material = FEWER_PROCESSED_SHARE * lo.people.max(hi.people);
    let more_lost = hi.not_processed() - lo.not_processed();
    let lower = |a: &Clearance, b: &Clearance| a.p50 < b.p50 || a.p90 < b.p90;
    (more_lost > material && lower(hi, lo)) || (-more_lost > material && lower(lo, hi))
}

/// One factor of the tornado: clearance at its low and at its high value.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SensRow {
    /// Key path of the setting varied.
    pub factor: String,
    /// Its low value as written on the command line, in the setting's own unit.
    pub low: String,
    /// Its high value as written on the command line, in the setting's own unit.
    pub high: String,
    /// Clearance with the setting at its low value \[days\].
    pub at_low: Clearance,
    /// Clearance with the setting at its high value \[days\].
    pub at_high: Clearance,
    /// |P50 at high − P50 at low| \[days\]; when a setting's P50 is censored (a lower bound),
    /// the least the swing can be: the censored P50 less the other when it lies above it, else 0
    /// (not known).
    pub swing_p50: f64,
    /// |P90 at high − P90 at low| \[days\], or with a censored P90 the least it can be, as for
    /// `swing_p50`; the rows are sorted by it.
    pub swing_p90: f64,
    /// P50 at high − P50 at low \[days\], with its sign: the point estimate of the
    /// `diff_p50_ci95_*` interval (`swing_p50` is its size); a censored P50 makes it a bound,
    /// as `swing_p50_censored` says.
    pub diff_p50: f64,
    /// P90 at high − P90 at low \[days\], with its sign, as `diff_p50`: the table's signed
    /// column.
    pub diff_p90: f64,
    /// True when `swing_p50` is a lower bound (0: not known), not a measurement.
    pub swing_p50_censored: bool,
    /// True when `swing_p90` is a lower bound (0: not known), not a measurement.
    pub swing_p90_censored: bool,
    /// Mean people processed per replication at the high setting less at the low one
    /// \[people\] (`at_high.processed − at_low.processed`).
    pub diff_processed: f64,
    /// True when the KPI (P50 or P90) is lower at the setting at which more people go
    /// unprocessed (dropped out, never reached, still waiting), by more than
    /// [`FEWER_PROCESSED_SHARE`] of the people (1%): clearance (or a wait) comes sooner
    /// because fewer people are processed, not because they are processed faster. The table
    /// marks such a row `‡`, with a footnote. Always false for a KPI that is not a time (its
    /// name does not end in `_days`: a count or a utilization, which falls with fewer people
    /// processed as a matter of course).
    pub fewer_processed: bool,
    /// Lower end of the 95% interval of P50 at high − P50 at low \[days\]: paired percentile
    /// bootstrap ([`crate::stats::bootstrap`], 2,000 resamples of the replications, which use
    /// the same seeds at both settings), widened to hold whatever the clearance of replications
    /// that did not clear within the horizon. `None` with fewer than 20 replications, or when
    /// more than about 2.5% of the resampled P50s reach such a replication.
    pub diff_p50_ci95_low: Option<f64>,
    /// Upper end of that interval \[days\].
    pub diff_p50_ci95_high: Option<f64>,
    /// Lower end of the 95% interval of P90 at high − P90 at low \[days\], as for P50.
    pub diff_p90_ci95_low: Option<f64>,
    /// Upper end of that interval \[days\].
    pub diff_p90_ci95_high: Option<f64>,
    /// Lower end of the 95% interval of P50 at the low setting − P50 at the baseline \[days\]:
    /// a paired Bayesian bootstrap against the baseline's replications (2,000 draws of weights,
    /// [`crate::stats::bootstrap::paired_quantile_diff_bayes_ci`]), widened in the same way (the
    /// tornado chart's whisker at the low bar's end, drawn at the baseline plus it). `None` as
    /// for `diff_p50_ci95_low`, with "draws" for "resamples".
    pub low_vs_base_p50_ci95_low: Option<f64>,
    /// Upper end of that interval \[days\].
    pub low_vs_base_p50_ci95_high: Option<f64>,
    /// Lower end of the 95% interval of P50 at the high setting − P50 at the baseline \[days\].
    pub high_vs_base_p50_ci95_low: Option<f64>,
    /// Upper end of that interval \[days\].
    pub high_vs_base_p50_ci95_high: Option<f64>,
    /// Lower end of the 95% interval of P90 at the low setting − P90 at the baseline \[days\].
    pub low_vs_base_p90_ci95_low: Option<f64>,
    /// Upper end of that interval \[days\].
    pub low_vs_base_p90_ci95_high: Option<f64>,
    /// Lower end of the 95% interval of P90 at the high setting − P90 at the baseline \[days\].
    pub high_vs_base_p90_ci95_low: Option<f64>,
    /// Upper end of that interval \[days\].
    pub high_vs_base_p90_ci95_high: Option<f64>,
}

/// The bootstrap stream of a factor: from the base seed and the factor's path and values, so
/// that its interval does not depend on the order the factors were given in.
fn bootstrap_stream(seed: u64, f: &SensFactor) -> crate::engine::Stream {
    // FNV-1a of the factor as written: the same factor, the same stream.
    let text = format!(
        "{}={},{}",
        f.path,
        display_value(&f.low),
        display_value(&f.high)
    );
    crate::engine::stream(seed, crate::hash::fnv1a(text.as_bytes()), BOOTSTRAP_PURPOSE)
}

/// The purpose key of the bootstrap streams, apart from every stream of the simulation.
const BOOTSTRAP_PURPOSE: u64 = 0x5E45_B007;

/// The values of [`kpi_values`] in order, +∞ for a lower bound (a replication that did not
/// clear within the horizon, or did not measure the KPI: its value is not known).
fn clearances(values: &[(f64, bool)]) -> Vec<f64> {
    values
        .iter()
        .map(|&(v, bound)| if bound { f64::INFINITY } else { v })
        .collect()
}

/// The swing between two settings' figures, and whether it is only a lower bound. A censored
/// figure is at least its value: against a measured one below it the swing is at least their
/// difference; against a measured one above it, or another censored one, it could be anything
/// from 0 (it had been printed as their difference, 0.0 for two settings both at the horizon,
/// ranking last a factor that changed how many runs cleared).
pub fn swing(lo: f64, lo_censored: bool, hi: f64, hi_censored: bool) -> (f64, bool) {
    match (lo_censored, hi_censored) {
        (false, false) => ((hi - lo).abs(), false),
        (true, false) => ((lo - hi).max(0.0), true),
        (false, true) => ((hi - lo).max(0.0), true),
        (true, true) => (0.0, true),
    }
}

/// The sensitivity report (`sensitivity --json`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Sensitivity {
    /// The version of clearance that made it (as summary.json's).
    pub clearance_version: String,
    /// The scenario's name.
    pub scenario: String,
    /// The scenario: name, file and fingerprint (after `extends` and `--set`), as
    /// `sweep --json` gives its `"scenario"` (here a name, as it always was).
    pub scenario_info: super::ScenarioProvenance,
    /// Replications at each setting (at least 2) \[replications\].
    pub replications: u64,
    /// Base seed shared by every setting (common random numbers).
    pub seed: u64,
    /// The `--set` overrides applied to the scenario file at every setting, as `PATH=VALUE`
    /// (empty when none).
    pub overrides: Vec<String>,
    /// Resamples of the paired bootstrap behind every 95% interval of a change, and draws of
    /// the Bayesian bootstrap behind the whiskers' \[resamples\].
    pub bootstrap_resamples: u64,
    /// The KPI studied, a name of [`kpi_names`](super::kpi::kpi_names) (`sensitivity --kpi`);
    /// absent from the JSON for `clearance_days`, the default: every figure named clearance
    /// below is then this KPI's, in its unit.
    #[serde(skip_serializing_if = "is_clearance")]
    pub kpi: String,
    /// Clearance with no factor changed \[days\].
    pub baseline: Clearance,
    /// Sorted by `swing_p90`, largest first.
    pub factors: Vec<SensRow>,
}

/// The baseline, then every factor's low and high setting, as scenarios (with their warnings).
/// Factors that cannot be varied as given are refused first ([`check_factors`]), and, once the
/// baseline is loaded, two that set the same setting: [`ExperimentError::Sensitivity`]. Like
/// [`run`], from a file and overrides only.
pub fn settings(
    path: &(impl scenario::ScenarioFile + ?Sized),
    sets: &[Override],
    factors: &[SensFactor],
) -> Result<Vec<Scenario>, ExperimentError> {
    check_factors(factors)?;
    let base = path.load_with(sets)?;
    check_settings(&base.table, factors)?;
    let mut scns: Vec<Scenario> = vec![base.scenario];
    for f in factors {
        for v in [&f.low, &f.high] {
            let mut ovs = sets.to_vec();
            ovs.push(Override {
                path: f.path.clone(),
                value: v.clone(),
                origin: "--vary".into(),
            });
            scns.push(path.load_with(&ovs)?.scenario);
        }
    }
    Ok(scns)
}

/// Run the baseline and every factor's low and high setting; factors that cannot be varied as
/// given are refused before anything runs, as by [`settings`]. Replications: `opts.replications`
/// (refused below 2, the least for the intervals), else the scenario's, raised to 2 when it
/// asks for 1.
///
/// It takes a scenario file and `--set` overrides ([`crate::scenario::parse_set`]), not a
/// [`Scenario`]: it loads each setting from the file, so a scenario changed in code cannot be
/// given, unlike [`run`](crate::experiment::run),
/// [`compare`](crate::experiment::compare::compare) and
/// [`sweep::run_points`](crate::experiment::sweep::run_points). Write the changes as overrides
/// of the file instead (`parse_set("scenario.horizon=400")` for `scn.horizon = 400.0`).
pub fn run(
    path: &(impl scenario::ScenarioFile + ?Sized),
    sets: &[Override],
    factors: &[SensFactor],
    opts: &RunOptions,
) -> Result<Sensitivity, ExperimentError> {
    run_kpi(path, sets, factors, opts, CLEARANCE)
}

/// [`run`] for KPI `kpi` (a name of [`kpi_names`](super::kpi::kpi_names): `t90_days`,
/// `port_wait_days`, …) in place of clearance: its P50, P90 and mean at every setting, the
/// swings and their intervals. A replication that does not measure it (a milestone not
/// reached) counts as not known, as one not cleared by the horizon does for clearance. An
/// unknown name is refused ([`ExperimentError::Usage`]) before anything runs.
pub fn run_kpi(
    path: &(impl scenario::ScenarioFile + ?Sized),
    sets: &[Override],
    factors: &[SensFactor],
    opts: &RunOptions,
    kpi: &str,
) -> Result<Sensitivity, ExperimentError> {
    if let Some(n) = opts.replications.filter(|&n| n < 2) {
        return Err(ExperimentError::Usage(format!(
            "RunOptions.replications = {n}: a sensitivity analysis needs 2 at least, for its \
             intervals"
        )));
    }
    let mut scns = settings(path, sets, factors)?;
    super::kpi::check_kpi(&scns[0], kpi).map_err(ExperimentError::Usage)?;
    let seed = opts.seed.unwrap_or(scns[0].seed);
    let reps = opts
        .replications
        .unwrap_or_else(|| scns[0].replications.max(2));
    for s in &mut scns {
        s.seed = seed;
    }
    let refs: Vec<&Scenario> = scns.iter().collect();
    let jobs: Vec<(usize, u32)> = (0..scns.len())
        .flat_map(|s| (0..reps).map(move |i| (s, i)))
        .collect();
    let out = run_jobs(&refs, &jobs, opts, "replications (all settings)")?;
    super::all_finished(&out)?;
    let mut per = vec![Vec::new(); scns.len()];
    for ((s, _), r) in jobs.iter().zip(out) {
        per[*s].extend(r);
    }
    let ports = super::kpi::port_names(&scns[0]);
    let values: Vec<Vec<(f64, bool)>> = per.iter().map(|r| kpi_values(r, kpi, &ports)).collect();
    let c = |i: usize| Clearance::of_reps(&values[i], &per[i]).ok_or(RunError::NothingFinished);
    let mut rows = Vec::new();
    for (k, f) in factors.iter().enumerate() {
        let (lo, hi) = (c(1 + 2 * k)?, c(2 + 2 * k)?);
        let (swing_p50, swing_p50_censored) =
            swing(lo.p50, lo.p50_censored, hi.p50, hi.p50_censored);
        let (swing_p90, swing_p90_censored) =
            swing(lo.p90, lo.p90_censored, hi.p90, hi.p90_censored);
        // Replication i of both settings has the same seed: the pairs are resampled together.
        let (a, b) = (
            clearances(&values[1 + 2 * k]),
            clearances(&values[2 + 2 * k]),
        );
        let mut rng = bootstrap_stream(seed, f);
        let p50 = paired_quantile_diff_ci(&a, &b, 0.5, &mut rng);
        let p90 = paired_quantile_diff_ci(&a, &b, 0.9, &mut rng);
        // Each setting against the baseline (the whiskers), drawn after those (which stay as
        // they were): the Bayesian bootstrap, whose P90 intervals hold the true change about 95%
        // of the time from 50 replications where the percentile bootstrap's held it about 90%.
        let base = clearances(&values[0]);
        let low50 = paired_quantile_diff_bayes_ci(&base, &a, 0.5, &mut rng);
        let high50 = paired_quantile_diff_bayes_ci(&base, &b, 0.5, &mut rng);
        let low90 = paired_quantile_diff_bayes_ci(&base, &a, 0.9, &mut rng);
        let high90 = paired_quantile_diff_bayes_ci(&base, &b, 0.9, &mut rng);
        rows.push(SensRow {
            factor: f.path.clone(),
            low: display_value(&f.low),
            high: display_value(&f.high),
            swing_p50,
            swing_p90,
            diff_p50: hi.p50 - lo.p50,
            diff_p90: hi.p90 - lo.p90,
            swing_p50_censored,
            swing_p90_censored,
            diff_processed: hi.processed - lo.processed,
            // Only for times (clearance, milestones, waits), where lower reads as sooner: a
            // count or a utilization falls with fewer people processed as a matter of course.
            fewer_processed: kpi.ends_with("_days") && fewer_processed(&lo, &hi),
            at_low: lo,
            at_high: hi,
            diff_p50_ci95_low: p50.map(|c| c.0),
            diff_p50_ci95_high: p50.map(|c| c.1),
            diff_p90_ci95_low: p90.map(|c| c.0),
            diff_p90_ci95_high: p90.map(|c| c.1),
            low_vs_base_p50_ci95_low: low50.map(|c| c.0),
            low_vs_base_p50_ci95_high: low50.map(|c| c.1),
            high_vs_base_p50_ci95_low: high50.map(|c| c.0),
            high_vs_base_p50_ci95_high: high50.map(|c| c.1),
            low_vs_base_p90_ci95_low: low90.map(|c| c.0),
            low_vs_base_p90_ci95_high: low90.map(|c| c.1),
            high_vs_base_p90_ci95_low: high90.map(|c| c.0),
            high_vs_base_p90_ci95_high: high90.map(|c| c.1),
        });
    }
    rows.sort_by(|a, b| b.swing_p90.total_cmp(&a.swing_p90));
    Ok(Sensitivity {
        clearance_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: scns[0].name.clone(),
        scenario_info: super::ScenarioProvenance::of(&scns[0]),
        replications: reps as u64,
        seed,
        overrides: sets.iter().map(ToString::to_string).collect(),
        bootstrap_resamples: crate::stats::bootstrap::RESAMPLES as u64,
        kpi: kpi.to_string(),
        baseline: c(0)?,
        factors: rows,
    })
}

/// The warning of a study of a KPI other than clearance and the milestones (a wait, a
/// utilization, people processed or dropped out) in which some setting's replications reached
/// the horizon before clearing: that KPI counts only what finished by then, so its figures at
/// such a setting, and a swing between settings cut off differently, reflect the cut-off, not
/// only the factor (as `compare` warns, [`super::compare::censored_kpis_warning`]). A milestone
/// reached is measured whole, and one not reached is already counted as not known; `None` for
/// those, for clearance, and when no replication was stopped.
pub fn horizon_warning(s: &Sensitivity) -> Option<String> {
    if is_clearance(&s.kpi) || super::kpi::TIMES_SINCE_START.contains(&s.kpi.as_str()) {
        return None;
    }
    let n = s.replications;
    let mut who = Vec::new();
    if s.baseline.horizon_censored > 0 {
        who.push(format!("baseline {} of {n}", s.baseline.horizon_censored));
    }
    for r in &s.factors {
        for (which, value, c) in [("low", &r.low, &r.at_low), ("high", &r.high, &r.at_high)] {
            if c.horizon_censored > 0 {
                who.push(format!(
                    "{} {which} {value}: {} of {n}",
                    r.factor, c.horizon_censored
                ));
            }
        }
    }
    if who.is_empty() {
        return None;
    }
    Some(format!(
        "replications reached the horizon before clearing ({}): the KPIs other than clearance \
         (waits, utilizations, processed, dropped; per port too) {}, so {} at a setting cut off \
         so, and its change between settings, reflect the cut-off, not only the factor; give a \
         longer scenario.horizon (--set scenario.horizon=…)",
        who.join("; "),
        super::summary::CENSORED_KPIS,
        s.kpi
    ))
}

fn is_clearance(kpi: &str) -> bool {
    kpi == CLEARANCE
}

/// `sensitivity.csv`: one row per factor, in tornado order; for a KPI other than clearance
/// (`kpi`), the columns named after clearance hold its figures, and a last column `kpi` names
/// it. The `*_processed` columns are mean people processed per replication \[people\],
/// `fewer_processed` is [`SensRow::fewer_processed`] and the `*_horizon_censored` columns are
/// [`Clearance::horizon_censored`] \[replications\], whatever the KPI.
pub fn sensitivity_csv(s: &Sensitivity) -> Result<Vec<u8>, csv::Error> {
    let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "factor",
        "low",
        "high",
        "base_mean",
        "base_p50",
        "base_p90",
        "low_mean",
        "low_p50",
        "low_p90",
        "high_mean",
        "high_p50",
        "high_p90",
        "swing_p50",
        "swing_p90",
        "base_censored",
        "low_censored",
        "high_censored",
        "base_p50_censored",
        "base_p90_censored",
        "low_p50_censored",
        "low_p90_censored",
        "high_p50_censored",
        "high_p90_censored",
        "swing_p50_censored",
        "swing_p90_censored",
        "diff_p50_ci95_low",
        "diff_p50_ci95_high",
        "diff_p90_ci95_low",
        "diff_p90_ci95_high",
        "low_vs_base_p50_ci95_low",
        "low_vs_base_p50_ci95_high",
        "high_vs_base_p50_ci95_low",
        "high_vs_base_p50_ci95_high",
        "low_vs_base_p90_ci95_low",
        "low_vs_base_p90_ci95_high",
        "high_vs_base_p90_ci95_low",
        "high_vs_base_p90_ci95_high",
        "diff_p50",
        "diff_p90",
        "base_processed",
        "low_processed",
        "high_processed",
        "diff_processed",
        "fewer_processed",
        "base_horizon_censored",
        "low_horizon_censored",
        "high_horizon_censored",
    ];
    let named = !is_clearance(&s.kpi);
    if named {
        header.push("kpi");
    }
    w.write_record(header)?;
    for r in &s.factors {
        let b = &s.baseline;
        let mut row = vec![
            r.factor.clone(),
            r.low.clone(),
            r.high.clone(),
            b.mean.to_string(),
            b.p50.to_string(),
            b.p90.to_string(),
            r.at_low.mean.to_string(),
            r.at_low.p50.to_string(),
            r.at_low.p90.to_string(),
            r.at_high.mean.to_string(),
            r.at_high.p50.to_string(),
            r.at_high.p90.to_string(),
            r.swing_p50.to_string(),
            r.swing_p90.to_string(),
            b.censored.to_string(),
            r.at_low.censored.to_string(),
            r.at_high.censored.to_string(),
            b.p50_censored.to_string(),
            b.p90_censored.to_string(),
            r.at_low.p50_censored.to_string(),
            r.at_low.p90_censored.to_string(),
            r.at_high.p50_censored.to_string(),
            r.at_high.p90_censored.to_string(),
            r.swing_p50_censored.to_string(),
            r.swing_p90_censored.to_string(),
            opt(r.diff_p50_ci95_low),
            opt(r.diff_p50_ci95_high),
            opt(r.diff_p90_ci95_low),
            opt(r.diff_p90_ci95_high),
            opt(r.low_vs_base_p50_ci95_low),
            opt(r.low_vs_base_p50_ci95_high),
            opt(r.high_vs_base_p50_ci95_low),
            opt(r.high_vs_base_p50_ci95_high),
            opt(r.low_vs_base_p90_ci95_low),
            opt(r.low_vs_base_p90_ci95_high),
            opt(r.high_vs_base_p90_ci95_low),
            opt(r.high_vs_base_p90_ci95_high),
            r.diff_p50.to_string(),
            r.diff_p90.to_string(),
            b.processed.to_string(),
            r.at_low.processed.to_string(),
            r.at_high.processed.to_string(),
            r.diff_processed.to_string(),
            r.fewer_processed.to_string(),
            b.horizon_censored.to_string(),
            r.at_low.horizon_censored.to_string(),
            r.at_high.horizon_censored.to_string(),
        ];
        if named {
            row.push(s.kpi.clone());
        }
        w.write_record(row)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
