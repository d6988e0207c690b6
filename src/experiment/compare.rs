//! Paired comparison of two scenarios: replication i of A and of B use the same seed (common
//! random numbers), so each KPI's difference B − A is measured replication by replication, with
//! its mean and 95% CI, plus the probability that B clears sooner (Wilson interval). With
//! `independent`, B uses a different seed; with `measure_variance_reduction`, B is run both
//! ways and the report gives Var(diff, independent) / Var(diff, CRN).
//!
//! A KPI's `diff` is a mean of the paired differences; the difference of the medians of
//! clearance, with its paired-bootstrap 95% interval, is [`Comparison::clearance_p50_diff`]
//! (drawn from its own seeded stream, [`bootstrap_stream`], so that it moves no other figure).

use super::kpi::{self, KpiStat};
use super::{run_jobs, RunError, RunOptions, ScenarioProvenance};
use crate::engine::rng::mix64;
use crate::model::ReplicationResult;
use crate::scenario::{Problem, Scenario};
use crate::stats::bootstrap::paired_quantile_diff_ci;
use crate::stats::{quantile_sorted, Stat};
use serde::{Deserialize, Serialize};

/// The seed B uses when streams are independent of A's: in 0..=9223372036854775807, the
/// range a scenario file and `--seed` accept, so that `run --seed` reproduces B alone.
pub fn independent_seed(seed: u64) -> u64 {
    mix64(seed ^ 0x5851_F42D_4C95_7F2D) >> 1
}

/// The purpose key of [`bootstrap_stream`], apart from every stream of the simulation
/// ([`crate::model::purpose`]) and from `sensitivity`'s bootstrap.
pub const BOOTSTRAP_PURPOSE: u64 = 0xC0_B007;

/// The random stream [`Comparison::clearance_p50_diff`]'s interval is drawn from: stream
/// (`seed`, 0, [`BOOTSTRAP_PURPOSE`]) of [`crate::engine::rng::stream`], with `seed` the
/// comparison's `seed_a`. Pass it (or any `engine::rng::stream`) to
/// [`crate::stats::bootstrap::paired_quantile_diff_ci`] for another quantile or KPI; nothing
/// else draws from it, so the simulation's results do not depend on it.
pub fn bootstrap_stream(seed: u64) -> crate::engine::rng::Stream {
    crate::engine::rng::stream(seed, 0, BOOTSTRAP_PURPOSE)
}

/// The difference B − A of one quantile of clearance over the paired replications, with its
/// paired-bootstrap 95% interval ([`crate::stats::bootstrap::paired_quantile_diff_ci`]).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct QuantileDiff {
    /// The quantile \[fraction\]: 0.5 for the median.
    pub q: f64,
    /// Quantile q of B's `clearance_days` − quantile q of A's (type 7, as the summaries'
    /// P50), each counted from its own start date as the KPIs' are \[days\]; `None` when
    /// the quantile of either side reaches a replication that did not clear by its horizon
    /// (it is then not known).
    pub diff_days: Option<f64>,
    /// Lower end of the 95% interval of the difference \[days\]; `None` for fewer than
    /// [`crate::stats::bootstrap::MIN_PAIRS`] pairs, or when replications that did not clear
    /// make an end unknown.
    pub ci95_low: Option<f64>,
    /// Upper end of the 95% interval \[days\]; `None` with `ci95_low`.
    pub ci95_high: Option<f64>,
}

impl QuantileDiff {
    /// Quantile `q` of `b` − that of `a`, where `a[i]` and `b[i]` are the clearance of pair i
    /// \[days\] (`f64::INFINITY` for a replication that did not clear), with the interval from
    /// [`paired_quantile_diff_ci`] drawing from `rng`. `a` and `b` must not be empty.
    pub fn paired<R: rand::Rng>(a: &[f64], b: &[f64], q: f64, rng: &mut R) -> QuantileDiff {
        let at = |v: &[f64]| {
            let mut v = v.to_vec();
            v.sort_by(f64::total_cmp);
            quantile_sorted(&v, q)
        };
        let diff = at(b) - at(a);
        let ci = paired_quantile_diff_ci(a, b, q, rng);
        QuantileDiff {
            q,
            diff_days: diff.is_finite().then_some(diff),
            ci95_low: ci.map(|c| c.0),
            ci95_high: ci.map(|c| c.1),
        }
    }
}

/// One KPI of both scenarios and their paired difference.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct KpiDiff {
    /// KPI name (see [`kpi::KPIS`]; per port `processed:NAME`, `wait_days:NAME`,
    /// `utilization:NAME`).
    pub kpi: String,
    /// The KPI in A over the replications that measured it, in the KPI's unit (\[days\],
    /// \[people\] or \[fraction\]); `None` when none did.
    pub a: Option<KpiStat>,
    /// The KPI in B (on the streams the report compares with), in the KPI's unit; `None` when
    /// no replication measured it.
    pub b: Option<KpiStat>,
    /// B − A over replications where both measured it, in the KPI's unit; `None` when no pair
    /// did, or when the difference is not even a bound (see `diff_bound`). Its `mean` (with
    /// `ci95_low`, `ci95_high`) is the mean of the paired differences, its `p50` their median:
    /// neither is the difference of the two medians (`b.stat.p50 − a.stat.p50`), whose interval is
    /// [`Comparison::clearance_p50_diff`] for clearance and
    /// [`crate::stats::bootstrap::paired_quantile_diff_ci`] for any KPI (see its example).
    pub diff: Option<Stat>,
    /// True for `clearance_days` when some replication of A or B reached its horizon before
    /// clearing: its clearance figure is then the horizon, so that side's figures in `a` or `b`
    /// are lower bounds (the mean always; see summary.json's `clearance_censored`) and `diff`
    /// is no measurement. False for every other KPI (a milestone not reached is left out, not
    /// counted at the horizon).
    #[serde(default)]
    pub censored: bool,
    /// What `diff` is when `censored`: `"at_most"` when only A's replications were censored
    /// (their clearance comes later than the horizon counted, so the true B − A is at most
    /// `diff`), `"at_least"` when only B's were. Absent otherwise; when both sides were
    /// censored (in the same pairs, or A in some and B in others) the differences bound B − A
    /// from both sides, or not at all, and `diff` is null, as the table prints no B − A.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff_bound: Option<DiffBound>,
    /// For a port's KPI, `"A"` or `"B"` when only that scenario has the port: the other
    /// processes nobody there (`processed:NAME` counts 0 for it, so B − A is measured) and has
    /// no wait or utilization there (`a` or `b` null). Absent for a KPI both have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_in: Option<String>,
}

/// Which side of the true B − A a difference of censored clearances lies on.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DiffBound {
    /// Only A's replications were censored: the true B − A is at most the figure.
    AtMost,
    /// Only B's replications were censored: the true B − A is at least the figure.
    AtLeast,
}

/// A proportion with its Wilson 95% interval.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Proportion {
    /// `count / n` \[fraction\]; `None` (null in JSON) when every one of the `n` replications
    /// tied, or `n` is 0: there is nothing to tell (the table's "n/a" and "cannot be told"; it
    /// had read 0, "B is never sooner", where A and B clear together).
    pub p: Option<f64>,
    /// Lower end of the Wilson 95% interval \[fraction\]; `None` when `p` is.
    pub ci95_low: Option<f64>,
    /// Upper end of the Wilson 95% interval \[fraction\]; `None` when `p` is.
    pub ci95_high: Option<f64>,
    /// Replications where the event happened \[replications\].
    pub count: u64,
    /// Replications compared \[replications\].
    pub n: u64,
    /// Replications where A and B cleared at exactly the same time (not counted as sooner)
    /// \[replications\].
    pub ties: u64,
}

impl Proportion {
    /// `count` of `n` replications, `ties` of them tied, with the Wilson 95% interval of
    /// `count / n`; no proportion (`p` and its interval `None`) when `ties` is `n` (every
    /// replication tied, or none compared).
    pub fn wilson(count: u64, n: u64, ties: u64) -> Proportion {
        let z = 1.959_963_984_540_054f64;
        let nf = n.max(1) as f64;
        let p = count as f64 / nf;
        let den = 1.0 + z * z / nf;
        let centre = (p + z * z / (2.0 * nf)) / den;
        let half = z * (p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt() / den;
        // (exactly 0 and 1 at the ends, where rounding left 5.6e-17 below a p of 0)
        let told = ties < n;
        Proportion {
            p: told.then_some(p),
            ci95_low: told.then(|| {
                if count == 0 {
                    0.0
                } else {
                    (centre - half).max(0.0)
                }
            }),
            ci95_high: told.then(|| {
                if count >= n {
                    1.0
                } else {
                    (centre + half).min(1.0)
                }
            }),
            count,
            n,
            ties,
        }
    }
}

/// Var(B − A) of one KPI measured both ways: with common random numbers and with B on
/// independent streams.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(from = "VarianceReductionJson")]
pub struct VarianceReduction {
    /// KPI name, as in [`KpiDiff::kpi`].
    pub kpi: String,
    /// Sample variance of the per-replication differences B − A with common random numbers
    /// \[the KPI's unit, squared\]: days² for times, people² for counts, fraction² for
    /// utilizations.
    pub var_crn: f64,
    /// Sample variance of the differences B − A with B on independent streams \[the KPI's
    /// unit, squared\].
    pub var_independent: f64,
    /// `var_independent / var_crn`, how many times common random numbers shrink the variance
    /// \[factor\]; infinite when the CRN differences do not vary at all (`var_crn` is 0) and the
    /// independent ones do, NaN when neither varies; both written as null in JSON.
    pub ratio: f64,
}

/// [`VarianceReduction`] as its JSON holds it: the ratio, written as null when it is infinite or
/// NaN, is worked out again from the two variances when read back.
#[derive(Deserialize)]
struct VarianceReductionJson {
    kpi: String,
    var_crn: f64,
    var_independent: f64,
}

impl From<VarianceReductionJson> for VarianceReduction {
    fn from(j: VarianceReductionJson) -> VarianceReduction {
        VarianceReduction {
            ratio: reduction(j.var_independent, j.var_crn),
            kpi: j.kpi,
            var_crn: j.var_crn,
            var_independent: j.var_independent,
        }
    }
}

/// `independent / crn`: infinite when only the CRN variance is 0, undefined (NaN) when both
/// are (neither way varies).
fn reduction(independent: f64, crn: f64) -> f64 {
    if crn > 0.0 {
        independent / crn
    } else if independent > 0.0 {
        f64::INFINITY
    } else {
        f64::NAN
    }
}

/// The comparison report (`compare --json`). It reads back from its JSON with serde
/// (`serde_json::from_str::<Comparison>`), as a [`crate::experiment::Summary`] does, so that a
/// program can store comparisons and analyse them later; a [`VarianceReduction::ratio`] written
/// as null reads back as worked out from its two variances.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Comparison {
    /// The version of clearance that made it (as summary.json's).
    pub clearance_version: String,
    /// Name of scenario A (the reference).
    pub a: String,
    /// Name of scenario B (the one compared with A).
    pub b: String,
    /// The file scenario A was read from (empty for a scenario built in code).
    #[serde(default)]
    pub file_a: String,
    /// The file scenario B was read from (empty for a scenario built in code).
    #[serde(default)]
    pub file_b: String,
    /// Scenario A: name, file and fingerprint, as `sweep --json` gives its scenario.
    pub scenario_a: ScenarioProvenance,
    /// Scenario B: name, file and fingerprint.
    pub scenario_b: ScenarioProvenance,
    /// Replications of each scenario, paired by index (at least 2) \[replications\].
    pub replications: u64,
    /// Base seed of A's replications.
    pub seed_a: u64,
    /// Base seed of B's replications: `seed_a` with common random numbers,
    /// [`independent_seed`] of it with independent streams.
    pub seed_b: u64,
    /// "crn" (same seeds) or "independent".
    pub streams: String,
    /// Replications of A that reached the horizon before clearing \[replications\]. Their
    /// clearance figures are the horizon, so a clearance difference involving them is a bound,
    /// not a measurement.
    pub censored_a: u64,
    /// Replications of B (the compared run) that reached the horizon before clearing
    /// \[replications\].
    pub censored_b: u64,
    /// The `--set` overrides applied to both scenarios, as `PATH=VALUE`; absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// A's start date (day 0 of its times), as `YYYY-MM-DD`.
    #[serde(default)]
    pub start_date_a: String,
    /// B's start date (day 0 of its times), as `YYYY-MM-DD`. When it differs from A's, the
    /// KPI differences are of durations, each from its own start, while `b_clears_sooner` and
    /// `median_abs_clearance_diff_days` compare the clearance dates.
    #[serde(default)]
    pub start_date_b: String,
    /// Pairs in which both replications reached their horizons before clearing \[replications\]:
    /// which clears sooner, and by how much, cannot be told there. Their clearance figures are
    /// the horizons, so their B − A in `kpis` is a difference of horizons, not of clearances.
    #[serde(default)]
    pub censored_both: u64,
    /// Fraction of replications in which B clears strictly sooner than A, by date (on the
    /// calendar: B's clearance moved by the days between the start dates), over the pairs
    /// where that can be told. A replication that reached its horizon counts as not cleared by
    /// it: later than one that cleared before that horizon.
    pub b_clears_sooner: Proportion,
    /// Pairs where it cannot be told whether B clears sooner: neither run cleared (by their
    /// horizons), or one run's horizon ends before the other's clearance (A not cleared by its
    /// horizon, B cleared after it; or the reverse) \[replications\].
    #[serde(default)]
    pub undecided: u64,
    /// Median over the replications of |clearance B − clearance A|, by date, how much sooner or
    /// later B typically clears (a run not cleared counted at its horizon, a pair of two such
    /// runs as 0); `None` without replications \[days\].
    #[serde(default)]
    pub median_abs_clearance_diff_days: Option<f64>,
    /// True when some pair involves a replication not cleared by its horizon, so that
    /// `median_abs_clearance_diff_days` is not a measurement: a lower bound when every such
    /// pair is one where the other run cleared before that horizon or did not clear either
    /// (`undecided` counts only pairs of neither clearing, `censored_both`), and no bound
    /// otherwise.
    #[serde(default)]
    pub median_abs_clearance_diff_censored: bool,
    /// Per KPI: the scenario-wide ones of [`kpi::KPIS`], then the per-port ones of A's ports,
    /// then of the ports only B has (see [`KpiDiff::only_in`]).
    pub kpis: Vec<KpiDiff>,
    /// Per KPI with a variance both ways (two or more paired differences each), when asked for
    /// (`--variance-reduction`); empty otherwise.
    pub variance_reduction: Vec<VarianceReduction>,
    /// What the figures cannot claim, in words, as the table prints them: when some
    /// replication of A or B reached its horizon before clearing ([`censored_kpis_warning`]),
    /// that the KPIs other than clearance count only what finished by the horizon. Absent
    /// when there is nothing to say.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The median of B's clearance − the median of A's, over the paired replications (B on the
    /// streams the report compares with), with its paired-bootstrap 95% interval, drawn from
    /// [`bootstrap_stream`]`(seed_a)` \[days\]: where `kpis`' `clearance_days` `diff` is the mean
    /// of the paired differences, this is the difference of the medians, the figure to set
    /// beside the summaries' median dates. A replication that did not clear by its horizon
    /// counts as not known (see [`QuantileDiff`]), not at the horizon. The table prints it
    /// under the probability that B clears sooner.
    pub clearance_p50_diff: QuantileDiff,
    /// The settings of B's scenario as run that differ from A's ([`differing_settings`] of
    /// their effective tables, after `extends` and `--set`), so that a reader learns what the
    /// variant changed without comparing the files; empty when A and B are the same model.
    /// `None` (absent from the JSON) when the tables are not known: [`compare`] sees the
    /// scenarios, not the files they came from (`clearance compare` fills it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub differs: Option<Vec<SettingDiff>>,
}

/// One setting in which two scenarios differ (`compare`'s [`Comparison::differs`]).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SettingDiff {
    /// The key path as `--set` takes it: `registration.delay.mean`,
    /// `port[El Paso].quota_per_day` ([`crate::scenario::overrides::settings`]).
    pub key: String,
    /// A's value, in the scenario's unit as written (`"10d"`, `300`); `None` (null) when A does
    /// not set it.
    pub a: Option<serde_json::Value>,
    /// B's value, as `a`; `None` (null) when B does not set it.
    pub b: Option<serde_json::Value>,
}

/// The keys of a scenario's `[scenario]` section that [`differing_settings`] leaves out:
/// `name`, which a comparison names (`a`, `b`), and `seed` and `replications`, which a
/// comparison sets for both (`seed_a`, `replications`), so that neither file's counts as run.
pub const SETTINGS_NOT_COMPARED: [&str; 3] =
    ["scenario.name", "scenario.seed", "scenario.replications"];

/// The settings in which effective scenario table `b` differs from `a` (after `extends` and
/// `--set`: [`crate::scenario::Loaded::table`]), key path by key path as `--set` takes them
/// ([`crate::scenario::overrides::settings`]), in the order of the paths, leaving out
/// [`SETTINGS_NOT_COMPARED`]. Empty when the two are the same model, or differ only in their
/// names.
pub fn differing_settings(a: &toml::Table, b: &toml::Table) -> Vec<SettingDiff> {
    let (x, y) = (
        crate::scenario::overrides::settings(a),
        crate::scenario::overrides::settings(b),
    );
    let mut keys: Vec<&String> = x
        .keys()
        .chain(y.keys().filter(|k| !x.contains_key(*k)))
        .collect();
    keys.sort();
    keys.into_iter()
        .filter(|k| !SETTINGS_NOT_COMPARED.contains(&k.as_str()))
        .filter(|k| x.get(*k) != y.get(*k))
        .map(|k| SettingDiff {
            key: k.clone(),
            a: x.get(k).map(json_value),
            b: y.get(k).map(json_value),
        })
        .collect()
}

/// A scenario's TOML value as JSON: a date as its text (`2024-03-04`), a number that JSON
/// cannot hold (none in a valid scenario) as TOML writes it.
fn json_value(v: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(J::Number)
            .unwrap_or_else(|| J::String(v.to_string())),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.iter().map(json_value).collect()),
        toml::Value::Table(t) => {
            J::Object(t.iter().map(|(k, v)| (k.clone(), json_value(v))).collect())
        }
    }
}

/// The warning of a comparison in which `censored_a` of A's and `censored_b` of B's
/// `replications` reached their horizons before clearing (one of them at least): the KPIs
/// other than clearance (waits, utilizations, people processed or dropped out, per port too)
/// count only what finished by the horizon, so a difference of them between a run cut off and
/// one that was not (or cut off elsewhere) reflects the cut-off; `None` when neither side was
/// censored.
pub fn censored_kpis_warning(
    censored_a: u64,
    censored_b: u64,
    replications: u64,
) -> Option<String> {
    let who = match (censored_a, censored_b) {
        (0, 0) => return None,
        (a, 0) => format!("{a} of A's {replications} replications"),
        (0, b) => format!("{b} of B's {replications} replications"),
        (a, b) => format!("{a} of A's and {b} of B's replications (of {replications} each)"),
    };
    Some(format!(
        "{who} reached the horizon before clearing: the KPIs other \
         than clearance (waits, utilizations, processed, dropped; per port too) {}, so their \
         waits lean towards those of the people served early and B − A of the counts and \
         utilizations reflects the cut-off, not only the scenarios' difference; give both a \
         longer scenario.horizon (--set scenario.horizon=…)",
        super::summary::CENSORED_KPIS
    ))
}

/// What to compare and how. No `Default`: the replication count is the caller's choice (the
/// CLI takes the scenario's `replications`, at least 2); write the two flags as `false` for a
/// plain CRN comparison.
#[derive(Debug, Clone)]
pub struct CompareOptions {
    /// Paired replications \[replications\]: at least 2, for the confidence intervals (the
    /// `RunOptions` given with it set the seed and threads; their `replications`, when given,
    /// must be the same count, or [`compare`] refuses).
    pub replications: u32,
    /// Run B on random streams independent of A's ([`independent_seed`]) instead of common
    /// random numbers (replication i of both on the same seed, the default: `false`). CRN
    /// measures a difference with a far narrower interval; independent streams show what
    /// the difference would look like without that pairing.
    pub independent: bool,
    /// Run B both ways, with common random numbers and on independent streams (another
    /// `replications` runs of B), and report for each KPI how many times CRN shrinks the
    /// variance of the difference ([`Comparison::variance_reduction`]); the comparison's own
    /// figures still use the way `independent` chooses.
    pub measure_variance_reduction: bool,
}

/// A KPI of one replication in a comparison: as [`kpi::kpi`], but a port the scenario does
/// not have processes nobody there (0 people), so that a port added or removed is compared.
fn kpi_of(r: &ReplicationResult, name: &str, ports: &[String]) -> Option<f64> {
    match name.split_once(':') {
        Some(("processed", p)) if !ports.iter().any(|x| x == p) => Some(0.0),
        _ => kpi::kpi(r, name, ports),
    }
}

/// [`kpi_of`] over replications (in their order), skipping unmeasured ones.
fn values(scn: &Scenario, reps: &[ReplicationResult], name: &str) -> Vec<f64> {
    let ports = kpi::port_names(scn);
    reps.iter()
        .filter_map(|r| kpi_of(r, name, &ports))
        .collect()
}

fn diffs(
    a: &Scenario,
    b: &Scenario,
    ra: &[ReplicationResult],
    rb: &[ReplicationResult],
    name: &str,
) -> Vec<f64> {
    let pa = kpi::port_names(a);
    let pb = kpi::port_names(b);
    ra.iter()
        .zip(rb)
        .filter_map(|(x, y)| Some(kpi_of(y, name, &pb)? - kpi_of(x, name, &pa)?))
        .collect()
}

/// Compare B with A. Both run with A's seed (after `opts.seed`), B with `independent_seed` of it
/// when `independent`.
pub fn compare(
    a: &Scenario,
    b: &Scenario,
    copts: &CompareOptions,
    opts: &RunOptions,
) -> Result<Comparison, RunError> {
    let seed = opts.seed.unwrap_or(a.seed);
    let n = copts.replications;
    if n < 2 {
        return Err(RunError::Invalid(vec![Problem::new(
            "CompareOptions.replications",
            format!(
                "a comparison of {n} replication{}: give 2 at least, for its confidence intervals",
                if n == 1 { "" } else { "s" }
            ),
        )]));
    }
    // One count: `opts.replications`, when given, must agree (it had been ignored silently).
    if let Some(r) = opts.replications.filter(|&r| r != n) {
        return Err(RunError::Invalid(vec![Problem::new(
            "RunOptions.replications",
            format!(
                "{r} replications in the run options but {n} in CompareOptions.replications, \
                 which a comparison runs: leave RunOptions.replications None, or give both the \
                 same"
            ),
        )]));
    }
    let mut sa = a.clone();
    sa.seed = seed;
    let mut b_crn = b.clone();
    b_crn.seed = seed;
    let mut b_ind = b.clone();
    b_ind.seed = independent_seed(seed);
    let scns = [&sa, &b_crn, &b_ind];
    let want_crn = !copts.independent || copts.measure_variance_reduction;
    let want_ind = copts.independent || copts.measure_variance_reduction;
    let mut jobs: Vec<(usize, u32)> = (0..n).map(|i| (0, i)).collect();
    if want_crn {
        jobs.extend((0..n).map(|i| (1, i)));
    }
    if want_ind {
        jobs.extend((0..n).map(|i| (2, i)));
    }
    let out = run_jobs(&scns, &jobs, opts, "replications")?;
    super::all_finished(&out)?;
    let mut by: [Vec<ReplicationResult>; 3] = Default::default();
    for ((s, _), r) in jobs.iter().zip(out) {
        by[*s].extend(r);
    }
    let ra = &by[0];
    let primary = if copts.independent { &by[2] } else { &by[1] };
    let (pa, pb) = (kpi::port_names(a), kpi::port_names(b));
    let mut names: Vec<(String, Option<String>)> =
        kpi::KPIS.iter().map(|s| (s.to_string(), None)).collect();
    // The ports of A, then those of B alone: a port added or removed is compared too.
    let ports = pa
        .iter()
        .map(|p| (p, (!pb.contains(p)).then(|| "A".to_string())))
        .chain(
            pb.iter()
                .filter(|p| !pa.contains(p))
                .map(|p| (p, Some("B".to_string()))),
        );
    for (p, only) in ports {
        for w in super::kpi::PORT_KPIS {
            names.push((format!("{w}:{p}"), only.clone()));
        }
    }
    let censored_a = ra.iter().filter(|r| r.censored).count() as u64;
    let censored_b = primary.iter().filter(|r| r.censored).count() as u64;
    let kpis = names
        .iter()
        .map(|(k, only_in)| {
            // A censored clearance is the horizon: a difference involving it is a bound, on one
            // side when only one scenario's runs were censored, none when both were.
            let censored = k == "clearance_days" && censored_a + censored_b > 0;
            let diff_bound = match (censored, censored_a > 0, censored_b > 0) {
                (true, true, false) => Some(DiffBound::AtMost),
                (true, false, true) => Some(DiffBound::AtLeast),
                _ => None,
            };
            KpiDiff {
                kpi: k.clone(),
                a: KpiStat::of(&values(a, ra, k)),
                b: KpiStat::of(&values(b, primary, k)),
                diff: Stat::of(&diffs(a, b, ra, primary, k))
                    .filter(|_| !censored || diff_bound.is_some()),
                censored,
                diff_bound,
                only_in: only_in.clone(),
            }
        })
        .collect();
    // Whether and by how much B clears sooner is read on the calendar: B's times moved to A's
    // day count when B starts on another day (its days count from its own start).
    let shift = (b.start_date - a.start_date).num_days() as f64;
    // A pair where neither run cleared by its horizon counts as 0, the least its difference
    // could be (the two horizons need not fall on one date: counting their distance had made
    // the median's "≥" false for scenarios of different horizons), so that the median is a
    // lower bound whenever the other undecided pairs are none.
    let mut abs_diff: Vec<f64> = ra
        .iter()
        .zip(primary)
        .map(|(x, y)| {
            if x.censored && y.censored {
                0.0
            } else {
                (y.clearance_days + shift - x.clearance_days).abs()
            }
        })
        .collect();
    abs_diff.sort_by(f64::total_cmp);
    let median_abs = (!abs_diff.is_empty()).then(|| crate::stats::quantile_sorted(&abs_diff, 0.5));
    let mut sooner = 0;
    let mut ties = 0;
    let mut undecided = 0;
    for (x, y) in ra.iter().zip(primary) {
        // A censored replication clears at its horizon or later: only a clearance of the
        // other before that horizon is known to be sooner.
        let (cx, cy) = (x.clearance_days, y.clearance_days + shift);
        let b_horizon = b.horizon + shift;
        match (x.censored, y.censored) {
            (false, false) if cy < cx => sooner += 1,
            (false, false) if cy == cx => ties += 1,
            (false, false) => {}
            (true, false) if cy < a.horizon => sooner += 1,
            (false, true) if cx < b_horizon => {} // A cleared first: B not sooner
            // Neither cleared: whichever clears later, that is beyond both horizons (it had
            // counted as a tie when the horizons were the same date, reading P = 0 with a
            // narrow interval for a B that cleared sooner in every pair).
            _ => undecided += 1,
        }
    }
    let censored_both = ra
        .iter()
        .zip(primary)
        .filter(|(x, y)| x.censored && y.censored)
        .count() as u64;
    let mut vr = Vec::new();
    if copts.measure_variance_reduction {
        for (k, _) in &names {
            let v = |rb: &[ReplicationResult]| {
                Stat::of(&diffs(a, b, ra, rb, k)).and_then(|s| s.sd.map(|sd| sd * sd))
            };
            if let (Some(c), Some(i)) = (v(&by[1]), v(&by[2])) {
                vr.push(VarianceReduction {
                    kpi: k.clone(),
                    var_crn: c,
                    var_independent: i,
                    ratio: reduction(i, c),
                });
            }
        }
    }
    // The difference of the medians, a censored clearance not known (+∞), on its own stream.
    let clearance = |reps: &[ReplicationResult]| -> Vec<f64> {
        reps.iter()
            .map(|r| match r.censored {
                true => f64::INFINITY,
                false => r.clearance_days,
            })
            .collect()
    };
    let clearance_p50_diff = QuantileDiff::paired(
        &clearance(ra),
        &clearance(primary),
        0.5,
        &mut bootstrap_stream(seed),
    );
    Ok(Comparison {
        clearance_version: env!("CARGO_PKG_VERSION").to_string(),
        a: a.name.clone(),
        b: b.name.clone(),
        file_a: a.file.clone(),
        file_b: b.file.clone(),
        scenario_a: ScenarioProvenance::of(a),
        scenario_b: ScenarioProvenance::of(b),
        replications: ra.len() as u64,
        seed_a: seed,
        seed_b: if copts.independent { b_ind.seed } else { seed },
        streams: if copts.independent {
            "independent".into()
        } else {
            "crn".into()
        },
        // (the overrides both were loaded with; the command line's --set, applied to both)
        overrides: match a.overrides() == b.overrides() {
            true => a.overrides().to_vec(),
            false => Vec::new(),
        },
        start_date_a: a.start_date.to_string(),
        start_date_b: b.start_date.to_string(),
        censored_a,
        censored_b,
        censored_both,
        b_clears_sooner: Proportion::wilson(sooner, ra.len() as u64 - undecided, ties),
        undecided,
        median_abs_clearance_diff_days: median_abs,
        median_abs_clearance_diff_censored: ra
            .iter()
            .zip(primary)
            .any(|(x, y)| x.censored || y.censored),
        kpis,
        variance_reduction: vr,
        warnings: censored_kpis_warning(censored_a, censored_b, ra.len() as u64)
            .into_iter()
            .collect(),
        clearance_p50_diff,
        differs: None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn variance_reduction_of_a_kpi_that_never_varies_is_undefined() {
        assert_eq!(super::reduction(6.0, 2.0), 3.0);
        assert_eq!(super::reduction(6.0, 0.0), f64::INFINITY);
        assert!(super::reduction(0.0, 0.0).is_nan());
    }

    use super::*;

    #[test]
    fn wilson_interval() {
        for n in [1, 3, 7, 10, 20, 1000] {
            assert_eq!(Proportion::wilson(0, n, 0).ci95_low, Some(0.0), "{n}");
            assert_eq!(Proportion::wilson(n, n, 0).ci95_high, Some(1.0), "{n}");
        }
        let p = Proportion::wilson(0, 10, 0);
        assert_eq!(p.p, Some(0.0));
        assert_eq!(p.ci95_low, Some(0.0));
        assert!((p.ci95_high.unwrap() - 0.2775).abs() < 1e-3, "{p:?}");
        let p = Proportion::wilson(50, 100, 0);
        let (low, high) = (p.ci95_low.unwrap(), p.ci95_high.unwrap());
        assert!((low - 0.4038).abs() < 1e-3 && (high - 0.5962).abs() < 1e-3);
        // Ties are counted as not sooner while some pair is not tied.
        assert_eq!(Proportion::wilson(0, 5, 4).p, Some(0.0));
    }

    /// The difference of the medians: a shift of every pair is known exactly; the median of
    /// B reaching a replication that did not clear leaves the difference unknown (not the
    /// horizon's), and too few pairs give no interval.
    #[test]
    fn quantile_diff_of_medians() {
        let a: Vec<f64> = (0..30).map(|i| f64::from(i * 7 % 30)).collect();
        let b: Vec<f64> = a.iter().map(|x| x - 2.5).collect();
        let d = QuantileDiff::paired(&a, &b, 0.5, &mut bootstrap_stream(1));
        assert_eq!(
            (d.q, d.diff_days, d.ci95_low, d.ci95_high),
            (0.5, Some(-2.5), Some(-2.5), Some(-2.5))
        );
        let mut late = b.clone();
        for x in late.iter_mut().filter(|x| **x > 10.0) {
            *x = f64::INFINITY; // more than half did not clear
        }
        let d = QuantileDiff::paired(&a, &late, 0.5, &mut bootstrap_stream(1));
        assert_eq!((d.diff_days, d.ci95_low), (None, None));
        let d = QuantileDiff::paired(&a[..5], &b[..5], 0.5, &mut bootstrap_stream(1));
        assert_eq!(
            (d.diff_days, d.ci95_low, d.ci95_high),
            (Some(-2.5), None, None)
        );
    }

    /// Every replication tied, or none compared: no proportion, not 0 ("B is never sooner").
    #[test]
    fn all_tied_has_no_proportion() {
        for (n, ties) in [(5, 5), (1, 1), (0, 0)] {
            let p = Proportion::wilson(0, n, ties);
            assert_eq!((p.p, p.ci95_low, p.ci95_high), (None, None, None), "{n}");
            assert_eq!((p.count, p.n, p.ties), (0, n, ties));
            let v = serde_json::to_value(&p).unwrap();
            assert!(v["p"].is_null() && v["ci95_low"].is_null(), "{v}");
        }
    }
}
