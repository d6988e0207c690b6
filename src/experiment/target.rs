//! Goal seeking: the smallest value of one integer parameter (on the grid min, min+step, …, max)
//! whose KPI meets a goal such as `p90(clearance_days) <= 120`, by bisection under the
//! assumption that the goal, once met, stays met as the value grows (or, when it is met at min
//! and not at max, as the value shrinks: then the largest value meeting it is sought). Every
//! evaluation uses the same seeds (common random numbers), so neighbouring values differ by the
//! parameter, not by noise.
//!
//! A KPI that a replication never reached (a `tXX_days` milestone, or the clearance of a
//! replication cut off by the horizon) counts as +∞ there.

use super::kpi::{self, Measure, TIMES_SINCE_START};
use super::{run_jobs, RunError, RunOptions};
use crate::scenario::{self, Override, ScenarioError};
use serde::Serialize;

/// Errors of experiments that load scenarios as they go.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    /// A scenario (the base or a varied one) could not be loaded.
    #[error("{0}")]
    Scenario(#[from] ScenarioError),
    /// Replications could not be run or stored.
    #[error(transparent)]
    Run(#[from] RunError),
    /// The experiment's options are not usable as given (such as a search range or grid step);
    /// the message says which and how to give them.
    #[error("{0}")]
    Usage(String),
    /// Sensitivity factors that cannot be varied as given.
    #[error(transparent)]
    Sensitivity(#[from] super::sensitivity::SensitivityError),
}

/// Comparison in a goal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Op {
    #[serde(rename = "<=")]
    /// `<=`: at most.
    Le,
    #[serde(rename = "<")]
    /// `<`: below.
    Lt,
    #[serde(rename = ">=")]
    /// `>=`: at least.
    Ge,
    #[serde(rename = ">")]
    /// `>`: above.
    Gt,
}

/// `MEASURE(KPI) OP NUMBER`, e.g. `p90(clearance_days) <= 120`, `mean(t50_days) < 60`.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    /// The goal as written (trimmed).
    pub text: String,
    /// The statistic over replications: mean, a quantile, min or max.
    pub measure: Measure,
    /// KPI name (see [`kpi::kpi_names`]).
    pub kpi: String,
    /// How the measure must compare with the threshold.
    pub op: Op,
    /// The number the measure is compared with \[the KPI's unit\]. For a goal written with a
    /// date, NaN until [`Goal::resolve`] turns the date into days from the start date.
    pub threshold: f64,
    /// The date the goal was written with (`p90(clearance_days) <= 2021-06-30`), for the KPIs
    /// that are times since the start (clearance and the milestones).
    pub date: Option<chrono::NaiveDate>,
}

impl std::str::FromStr for Goal {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let usage = || {
            format!(
                "`{s}`: expected MEASURE(KPI) OP NUMBER, e.g. 'p90(clearance_days) <= 120' \
                 or 'p90(clearance_days) <= 2021-06-30' (MEASURE: mean, median, pNN, min, max; \
                 OP: <=, <, >=, >; a date YYYY-MM-DD for clearance_days and tNN_days)"
            )
        };
        let open = s.find('(').ok_or_else(usage)?;
        let close = s.find(')').ok_or_else(usage)?;
        if close < open {
            return Err(usage());
        }
        let measure = Measure::parse(&s[..open]).ok_or_else(usage)?;
        let kpi = s[open + 1..close].trim().to_string();
        let rest = s[close + 1..].trim();
        let (op, num) = if let Some(r) = rest.strip_prefix("<=") {
            (Op::Le, r)
        } else if let Some(r) = rest.strip_prefix(">=") {
            (Op::Ge, r)
        } else if let Some(r) = rest.strip_prefix('<') {
            (Op::Lt, r)
        } else if let Some(r) = rest.strip_prefix('>') {
            (Op::Gt, r)
        } else {
            return Err(usage());
        };
        let num = num.trim();
        let (threshold, date) = match num.parse::<f64>() {
            Ok(x) if x.is_finite() => (x, None),
            _ => match chrono::NaiveDate::parse_from_str(num, "%Y-%m-%d") {
                Ok(d) if TIMES_SINCE_START.contains(&kpi.as_str()) => (f64::NAN, Some(d)),
                Ok(_) => {
                    return Err(format!(
                        "`{s}`: a date is a goal only for {}, not for \"{kpi}\" (a KPI \
                         that is not a time since the start needs a number)",
                        TIMES_SINCE_START.join(", ")
                    ))
                }
                Err(_) => return Err(usage()),
            },
        };
        Ok(Goal {
            text: s.trim().to_string(),
            measure,
            kpi,
            op,
            threshold,
            date,
        })
    }
}

impl Goal {
    /// The goal with its date (if any) as days from `start`, compared as dates are: the KPI's
    /// day is the day it falls on, so `<= 2021-06-30` means before the end of 30 June (`<` the
    /// next midnight) and `> 2021-06-30` from the next midnight on. The day a value falls on is
    /// the day every output dates it by, `day_of` (a value less than 1e-9 day short of a
    /// midnight is in the next day): [`Goal::met`] compares so.
    pub fn resolve(&self, start: chrono::NaiveDate) -> Goal {
        let mut g = self.clone();
        if let Some(d) = self.date {
            let day = (d - start).num_days() as f64;
            (g.op, g.threshold) = match self.op {
                Op::Le => (Op::Lt, day + 1.0),
                Op::Lt => (Op::Lt, day),
                Op::Ge => (Op::Ge, day),
                Op::Gt => (Op::Ge, day + 1.0),
            };
        }
        g
    }

    /// The threshold as written: a number, or the date.
    pub fn threshold_text(&self) -> String {
        match self.date {
            Some(d) => d.to_string(),
            None => format!("{}", self.threshold),
        }
    }

    /// Whether the verdict on `estimate` may change with more replications: its 95% CI holds
    /// values on both sides of the goal, or lies on the other side of it from the estimate (the
    /// P99 of 2 replications: the estimate below the largest, the interval from the largest
    /// up). An interval that only touches the threshold from the side that meets it (a CI of
    /// 5.00 – 5.00, every replication alike, for `<= 5`: every value in it meets the goal) is
    /// sure, as is one that touches it from the other side for `<` or `>`.
    pub fn unsure(&self, estimate: f64, (low, high): (f64, f64)) -> bool {
        let met = self.met(estimate);
        self.met(low) != met || self.met(high) != met
    }

    /// Whether more replications may change the verdict on `value`, the smallest (`Min`) or
    /// the largest (`Max`) of the replications' values, which have no confidence interval:
    /// more replications can only lower the smallest and raise the largest. So a smallest that
    /// misses an upper bound (`<=`, `<`) or meets a lower bound (`>=`, `>`), and a largest that
    /// meets an upper bound or misses a lower bound, may change: `min(clearance_days) <= 33`
    /// missed at 5 replications was met at 200. The rest are sure, as is a smallest that
    /// misses an upper bound no replication can reach (every KPI is 0 or more: `min(…) < 0`).
    /// False for the other measures, whose intervals decide ([`Goal::unsure`]).
    pub fn extreme_unsure(&self, measure: Measure, value: f64) -> bool {
        let met = self.met(value);
        let upper = matches!(self.op, Op::Le | Op::Lt);
        match (measure, upper) {
            (Measure::Min, true) => !met && self.met(0.0),
            (Measure::Min, false) | (Measure::Max, true) => met,
            (Measure::Max, false) => !met,
            _ => false,
        }
    }

    /// The comparison as written: `<=`, `<`, `>=` or `>`.
    pub fn op_text(&self) -> &'static str {
        match self.op {
            Op::Le => "<=",
            Op::Lt => "<",
            Op::Ge => ">=",
            Op::Gt => ">",
        }
    }

    /// Whether `v` meets the goal. A goal written with a date, once resolved (its threshold a
    /// day index), compares `v` by the day it falls on ([`crate::scenario::day_of`]), as every
    /// output dates it: `v` is on day `n` or later exactly when `v >= day_start(n)`, which
    /// lies up to 1e-9 day short of `n`, so 0.9999999999999983, dated the next day everywhere,
    /// misses `<= ` the day before (the threshold 1, compared as a plain number, had met it).
    pub fn met(&self, v: f64) -> bool {
        if self.date.is_some() && self.threshold.is_finite() {
            // `resolve` leaves only `<` and `>=` for a date.
            let start = crate::scenario::day_start(self.threshold as i64);
            return match self.op {
                Op::Le | Op::Lt => v < start,
                Op::Ge | Op::Gt => v >= start,
            };
        }
        match self.op {
            Op::Le => v <= self.threshold,
            Op::Lt => v < self.threshold,
            Op::Ge => v >= self.threshold,
            Op::Gt => v > self.threshold,
        }
    }
}

/// The KPI at one value of the parameter.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Evaluation {
    /// The parameter's value \[the parameter's unit\].
    pub value: i64,
    /// The goal's measure of the KPI over the replications \[the KPI's unit\]. Not finite when
    /// never-reached values decide it: +∞ (also when no replication measured the KPI), or NaN
    /// for a quantile that falls among them; either is written as null in JSON.
    pub kpi: f64,
    /// Lower end of the 95% CI of `kpi` (mean: Student t; quantile: exact order statistics,
    /// [`crate::experiment::kpi::quantile_ci`]) \[the KPI's unit\]; `None` for min and max or
    /// with fewer than two values. Not finite when never-reached values enter it, or −∞ when
    /// too few replications bound a low quantile; written as null in JSON.
    pub ci95_low: Option<f64>,
    /// Upper end of the 95% CI of `kpi` \[the KPI's unit\]; `None` as for `ci95_low`. Not finite
    /// when never-reached values enter it, or when too few replications bound a high quantile
    /// (the P99 of fewer than 368); written as null in JSON.
    pub ci95_high: Option<f64>,
    /// Whether `kpi` meets the goal (never, when `kpi` is NaN).
    pub met: bool,
    /// Whether the verdict `met` may change with more replications: the 95% CI of `kpi` holds
    /// values on both sides of the goal's threshold ([`Goal::unsure`]). An interval that only
    /// reaches the threshold from the side that meets the goal is sure: a CI of 5 – 5 (every
    /// replication alike) meets `<= 5` and is not uncertain. For `min` and `max`, which have
    /// no interval, where more replications could reach past the threshold
    /// ([`Goal::extreme_unsure`]): a `min` missing `<=` or `<`, a `max` missing `>=` or `>`,
    /// a `max` meeting `<=` or `<`, a `min` meeting `>=` or `>`.
    pub uncertain: bool,
    /// Replications run at this value \[replications\].
    pub replications: u64,
    /// Replications that did not measure the KPI \[replications\]: for a KPI ending in `_days`
    /// (a milestone never reached, no wait ended, or, for `clearance_days`, a replication cut
    /// off by the horizon) they count as +∞; other KPIs leave them out.
    pub not_reached: u64,
    /// For a KPI that is a time since the start ([`TIMES_SINCE_START`]: clearance and the
    /// milestones), the calendar date `kpi` falls on (day 0 = the scenario's start date, as the
    /// run table dates times, [`crate::scenario::date_at`]); absent for other KPIs and when
    /// `kpi` is not finite.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kpi_date: Option<chrono::NaiveDate>,
    /// The date of `ci95_low`, as `kpi_date`; absent where that end is absent or not finite.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci95_low_date: Option<chrono::NaiveDate>,
    /// The date of `ci95_high`, as `kpi_date`; absent where that end is absent or not finite.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci95_high_date: Option<chrono::NaiveDate>,
}

impl Evaluation {
    /// The calendar dates of the measure and its interval's ends, for a KPI that is a time
    /// since `start` (see `kpi_date`); the evaluation unchanged otherwise.
    fn dated(mut self, kpi: &str, start: chrono::NaiveDate) -> Evaluation {
        if TIMES_SINCE_START.contains(&kpi) {
            let on = |x: Option<f64>| x.and_then(|x| crate::scenario::date_at(start, x));
            self.kpi_date = on(Some(self.kpi));
            self.ci95_low_date = on(self.ci95_low);
            self.ci95_high_date = on(self.ci95_high);
        }
        self
    }
}

/// The outcome of a search (`target --json`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TargetResult {
    /// The version of clearance that made it (as summary.json's).
    pub clearance_version: String,
    /// The scenario searched: name, file and fingerprint (after `extends` and `--set`, before
    /// the searched key's values), as `sweep --json` gives its scenario.
    pub scenario: super::ScenarioProvenance,
    /// The seed every evaluation ran with (`--seed`, else the scenario's; common random
    /// numbers: the same at every value), as `sweep --json` records its seed.
    pub seed: u64,
    /// The `--set` overrides applied at every value, as `PATH=VALUE`; absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// The goal as written.
    pub goal: String,
    /// The scenario's start date: day 0 of the KPIs that are times since the start.
    pub start_date: chrono::NaiveDate,
    /// The threshold the KPI's measure was compared with \[the KPI's unit\]: for a goal
    /// written with a date, days from the start date (the next midnight for `<=` and `>`).
    pub threshold: f64,
    /// Key path of the integer parameter varied.
    pub vary: String,
    /// Smallest value of the grid \[the parameter's unit\].
    pub min: i64,
    /// Largest value of the grid (reached only when `max − min` is a multiple of `step`)
    /// \[the parameter's unit\].
    pub max: i64,
    /// Spacing of the grid \[the parameter's unit\].
    pub step: i64,
    /// The unit of min, max, step and the values, for a duration key ("d"); absent for
    /// plain integers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// "increasing" (the goal is met from some value upwards) or "decreasing" (up to some
    /// value). When the goal is met at both ends, only the two ends were run, and this is what
    /// they show: "increasing" when the KPI is better (further inside the goal) at --max than at
    /// --min, so the smallest value meeting it may lie below --min, "decreasing" when it is
    /// worse, so the largest may lie above --max, and null when it is the same at both. Null
    /// when no value met the goal or it is not monotone (`met_inside`).
    pub direction: Option<String>,
    /// The smallest (increasing) or largest (decreasing) value meeting the goal; when it is
    /// met at both ends, --min, or the last grid value for "decreasing" (--min when the
    /// direction is null).
    pub found: Option<Evaluation>,
    /// The neighbouring grid value that does not meet it (absent when `found` is at the edge).
    pub neighbour: Option<Evaluation>,
    /// Whether the answer may change with more replications: the 95% CI of `found` or
    /// `neighbour` or, when no value met the goal (`found` null), of any value tried holds
    /// values on both sides of the goal (an evaluation's `uncertain`; for a `min` or `max`
    /// goal, more replications could reach past the threshold there), so a value may meet it.
    /// `target` exits 3 only when `found` is null and this is false.
    pub uncertain: bool,
    /// Every evaluation made, by value.
    pub evaluations: Vec<Evaluation>,
    /// When no value met the goal (`found` null): the evaluation that came nearest, the least
    /// measure for a goal with `<=` or `<`, the greatest for `>=` or `>` (the first by value of
    /// equals), among those with a finite measure, as the table's "best reached" line gives
    /// it; absent when a value met the goal or no measure was finite.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best: Option<Evaluation>,
    /// For a goal written with a date, that date as written (`threshold` is its day count);
    /// absent for a goal written with a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold_date: Option<chrono::NaiveDate>,
    /// For a quantile goal evaluated with too few replications for the end of its 95% CI that
    /// decides the goal (the upper end for `<=` and `<`, the lower for `>=` and `>`): the fewest
    /// that give it that end ([`kpi::replications_for_bound`]: 36 for a P90's upper end). With
    /// fewer that end is unbounded (null), so no value is sure to meet the goal. Absent
    /// otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replications_for_bound: Option<u64>,
    /// Whether the answer rests on the assumption that the goal, once met, stays met as the
    /// value moves on (away from the end that misses it): true for a value found by bisection,
    /// for a goal met at both ends, and for "no value meets it" (which tests both ends and the
    /// values of `interior_tested`, not every value); false when a value inside the range met
    /// the goal while neither end did (`met_inside`): the goal is not monotone in the key
    /// there, and no smallest or largest value is given.
    pub assumes_monotone: bool,
    /// When neither end met the goal: the values between them tested as well (up to
    /// [`INTERIOR_VALUES`], evenly spaced on the grid) before concluding \[the parameter's
    /// unit\]; absent otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interior_tested: Vec<i64>,
    /// The values of `interior_tested` that met the goal when neither end did: the goal is not
    /// monotone in the key over the range (`found` is null; `target` exits 4), and a sweep
    /// maps it \[the parameter's unit\]; absent when none did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub met_inside: Vec<i64>,
    /// The outcome in one sentence, as printed.
    pub message: String,
}

/// The most values between `--min` and `--max` that a search tests when neither end meets
/// the goal, before it says that no value does.
pub const INTERIOR_VALUES: usize = 8;

/// The indices of the grid of `n` values strictly between its ends that a search tests when
/// neither end meets the goal: all of them when there are at most [`INTERIOR_VALUES`], else that
/// many, evenly spaced.
pub fn interior_indices(n: usize) -> Vec<usize> {
    if n <= INTERIOR_VALUES + 2 {
        return (1..n.saturating_sub(1)).collect();
    }
    let parts = (INTERIOR_VALUES + 1) as u128;
    let mut out: Vec<usize> = (1..=INTERIOR_VALUES as u128)
        // round(i·(n − 1)/parts), in integers (n may be up to 2^63)
        .map(|i| ((i * (n as u128 - 1) * 2 + parts) / (2 * parts)) as usize)
        .filter(|&k| k > 0 && k < n - 1)
        .collect();
    out.dedup();
    out
}

/// Search settings.
#[derive(Debug, Clone)]
pub struct Search {
    /// Key path of the integer parameter to vary, as for `--set`.
    pub vary: String,
    /// What the KPI must achieve.
    pub goal: Goal,
    /// Smallest value tried \[the parameter's unit\].
    pub min: i64,
    /// Largest value tried (the grid stops at the last `min + k·step` not above it)
    /// \[the parameter's unit\].
    pub max: i64,
    /// Spacing of the grid; must be positive \[the parameter's unit\].
    pub step: i64,
    /// The unit the values are written with, for a duration key ("d": `opens = "5d"`);
    /// `None`: plain integers.
    pub unit: Option<String>,
}

impl Search {
    /// A value as written in the scenario: `5` or `"5d"`.
    fn setting(&self, value: i64) -> toml::Value {
        match &self.unit {
            Some(u) => toml::Value::String(format!("{value}{u}")),
            None => toml::Value::Integer(value),
        }
    }

    /// A value for people: `5` or `5d`.
    pub fn show(&self, value: i64) -> String {
        format!("{value}{}", self.unit.as_deref().unwrap_or(""))
    }
}

/// The scenario at `path` with `sets` and the searched key at `value`.
pub(crate) fn load_at(
    path: &(impl scenario::ScenarioFile + ?Sized),
    sets: &[Override],
    s: &Search,
    value: i64,
) -> Result<scenario::Scenario, ScenarioError> {
    let mut ovs = sets.to_vec();
    ovs.push(Override {
        path: s.vary.clone(),
        value: s.setting(value),
        // The value tried comes from the search (--min, --max, --step), not from a --vary value.
        origin: "--min/--max".into(),
    });
    Ok(path.load_with(&ovs)?.scenario)
}

/// The number of values of the grid `min, min + step, …` up to `max`, and `max` itself when the
/// step does not reach it exactly (`min <= max`, `step > 0`); an error when `max − min` does
/// not fit in 64 bits.
pub fn grid_len(min: i64, max: i64, step: i64) -> Result<usize, String> {
    let too_wide = || {
        format!(
            "--min {min} and --max {max} are more than {} apart: search a narrower range (the \
             values the key may take)",
            i64::MAX
        )
    };
    let span = max.checked_sub(min).ok_or_else(too_wide)?;
    // At most 2^63 + 1 values: bisection evaluates about log2 of them (65 at most). A step
    // that does not divide the span adds --max itself as the last value (see `grid_at`).
    let ragged = usize::from(span % step != 0);
    usize::try_from(span / step)
        .ok()
        .and_then(|k| k.checked_add(1 + ragged))
        .ok_or_else(too_wide)
}

/// The grid's value `k` (of [`grid_len`] values): `min + k·step`, and `max` for the last,
/// always: a step that does not divide `max − min` had ended the grid at the last multiple
/// below `max`, never testing `max` though the answer named it as tested.
pub fn grid_at(min: i64, max: i64, step: i64, k: usize) -> i64 {
    let v = i128::from(min) + k as i128 * i128::from(step);
    v.min(i128::from(max)) as i64
}

/// The evaluation whose finite measure comes nearest a goal with `op`: the least for `<=` and
/// `<`, the greatest for `>=` and `>`, the first by value of equals; `None` when no measure is
/// finite.
pub fn nearest(evals: &[Evaluation], op: Op) -> Option<Evaluation> {
    let finite = evals.iter().filter(|e| e.kpi.is_finite());
    let lower = matches!(op, Op::Le | Op::Lt);
    let mut best: Option<&Evaluation> = None;
    for e in finite {
        let better = best.is_none_or(|b| if lower { e.kpi < b.kpi } else { e.kpi > b.kpi });
        if better {
            best = Some(e);
        }
    }
    best.cloned()
}

/// Evaluate the goal's KPI at one value.
fn evaluate(
    path: &(impl scenario::ScenarioFile + ?Sized),
    sets: &[Override],
    s: &Search,
    value: i64,
    opts: &RunOptions,
) -> Result<Evaluation, ExperimentError> {
    let mut scn = load_at(path, sets, s, value)?;
    if let Some(seed) = opts.seed {
        scn.seed = seed;
    }
    // `--replications` (at least 2: `search` refuses fewer), else the scenario's own, raised to
    // 2 when it asks for 1 (as `compare` does): one replication has no confidence interval, and
    // a goal it does not meet would have been called surely out of reach.
    scn.replications = opts.replications.unwrap_or(scn.replications.max(2));
    if !kpi::is_kpi(&scn, &s.goal.kpi) {
        return Err(ExperimentError::Usage(format!(
            "unknown KPI \"{}\" in the goal; known: {}",
            s.goal.kpi,
            kpi::kpi_names(&scn).join(", ")
        )));
    }
    let jobs: Vec<(usize, u32)> = (0..scn.replications).map(|i| (0, i)).collect();
    let out = run_jobs(&[&scn], &jobs, opts, &format!("replications at {value}"))?;
    super::all_finished(&out)?;
    let reps: Vec<_> = out.into_iter().flatten().collect();
    let ports = kpi::port_names(&scn);
    let infinite_if_missing = s.goal.kpi.ends_with("_days");
    let mut not_reached = 0;
    let vals: Vec<f64> = reps
        .iter()
        .filter_map(|r| match kpi::kpi(r, &s.goal.kpi, &ports) {
            // A replication cut off by the horizon has not cleared: its clearance "time" is
            // only the horizon, so it counts as never reached, not as clearing then.
            Some(_) if r.censored && s.goal.kpi == "clearance_days" => {
                not_reached += 1;
                Some(f64::INFINITY)
            }
            Some(v) => Some(v),
            None => {
                not_reached += 1;
                infinite_if_missing.then_some(f64::INFINITY)
            }
        })
        .collect();
    let (v, ci) = s.goal.measure.eval(&vals).unwrap_or((f64::INFINITY, None));
    Ok(Evaluation {
        value,
        kpi: v,
        ci95_low: ci.map(|c| c.0),
        ci95_high: ci.map(|c| c.1),
        met: s.goal.met(v),
        uncertain: match s.goal.measure {
            Measure::Min | Measure::Max => s.goal.extreme_unsure(s.goal.measure, v),
            _ => ci.is_some_and(|ci| s.goal.unsure(v, ci)),
        },
        replications: reps.len() as u64,
        not_reached,
        kpi_date: None,
        ci95_low_date: None,
        ci95_high_date: None,
    }
    .dated(&s.goal.kpi, scn.start_date))
}

/// Search the grid. `opts.replications` sets the replications per evaluation (refused below 2);
/// without it, the scenario's `replications`, raised to 2 when it asks for 1 (the least for the
/// goal's confidence interval).
///
/// It takes a scenario file and `--set` overrides ([`crate::scenario::parse_set`]), not a
/// [`Scenario`](crate::scenario::Scenario): it loads each setting from the file, so a scenario
/// changed in code cannot be given, unlike [`run`](crate::experiment::run),
/// [`compare`](crate::experiment::compare::compare) and
/// [`sweep::run_points`](crate::experiment::sweep::run_points). Write the changes as overrides
/// of the file instead (`parse_set("scenario.horizon=400")` for `scn.horizon = 400.0`).
pub fn search(
    path: &(impl scenario::ScenarioFile + ?Sized),
    sets: &[Override],
    s: &Search,
    opts: &RunOptions,
) -> Result<TargetResult, ExperimentError> {
    if s.step <= 0 || s.max < s.min {
        return Err(ExperimentError::Usage(
            "need --min <= --max and --step > 0".into(),
        ));
    }
    if let Some(n) = opts.replications.filter(|&n| n < 2) {
        return Err(ExperimentError::Usage(format!(
            "RunOptions.replications = {n}: goal seeking needs 2 at least per value, for the \
             goal's confidence interval"
        )));
    }
    // A goal written with a date counts from the scenario's start date.
    let base = path.load_with(sets)?.scenario;
    let start_date = base.start_date;
    let resolved;
    let s = if let Some(date) = s.goal.date {
        if date < start_date {
            return Err(ExperimentError::Usage(format!(
                "the goal's date {date} is before the scenario's start date {start_date}"
            )));
        }
        resolved = Search {
            goal: s.goal.resolve(start_date),
            ..s.clone()
        };
        &resolved
    } else {
        s
    };
    // Both ends are values the key may take, checked before any replication runs (a count out
    // of range at --min had been refused only after --max's replications; --min and --max at
    // the ends of 64 bits had overflowed the grid's arithmetic instead).
    for v in [s.min, s.max] {
        load_at(path, sets, s, v)?;
    }
    let n = grid_len(s.min, s.max, s.step).map_err(ExperimentError::Usage)?;
    let at = |k: usize| grid_at(s.min, s.max, s.step, k);
    let mut evals: Vec<Evaluation> = Vec::new();
    let eval = |k: usize, evals: &mut Vec<Evaluation>| -> Result<bool, ExperimentError> {
        if let Some(e) = evals.iter().find(|e| e.value == at(k)) {
            return Ok(e.met);
        }
        let e = evaluate(path, sets, s, at(k), opts)?;
        let met = e.met;
        evals.push(e);
        Ok(met)
    };
    let hi_met = eval(n - 1, &mut evals)?;
    let lo_met = eval(0, &mut evals)?;
    let (direction, found, neighbour, message);
    let (mut interior_tested, mut met_inside) = (Vec::new(), Vec::new());
    match (lo_met, hi_met) {
        (met, _) if n == 1 => {
            // One value searched (--min is --max): met there or not, with nothing to say of
            // ends, values between them or a direction (it had said "met at both --min 40 and
            // --max 40 … the KPI is the same at both ends").
            direction = None;
            found = met.then_some(0);
            neighbour = None;
            message = format!(
                "{} is {} at {} = {}, the one value searched (--min and --max are both {})",
                s.goal.text,
                if met { "met" } else { "not met" },
                s.vary,
                s.show(s.min),
                s.show(s.min)
            );
        }
        (true, true) => {
            // Met at both ends: which way the KPI moves is read from the two ends, the only
            // evidence there is; it had been called "increasing" even when the KPI worsened
            // as the value grew.
            let kpi_at = |k: usize| {
                evals
                    .iter()
                    .find(|e| e.value == at(k))
                    .map_or(f64::NAN, |e| e.kpi)
            };
            // (one evaluation when --min is --max)
            let (lo, hi) = (kpi_at(0), kpi_at(n - 1));
            let lower_is_better = matches!(s.goal.op, Op::Le | Op::Lt);
            let improves = if lower_is_better { hi < lo } else { hi > lo };
            let worsens = if lower_is_better { hi > lo } else { hi < lo };
            let ends = format!(
                "{} is met at both --min {} and --max {}, so over the whole range if it stays \
                 met between them",
                s.goal.text,
                s.show(s.min),
                s.show(s.max)
            );
            // Two decimals, never rounded up into the next day (the table's rule): a clearance
            // 3 minutes before midnight is 0.99, not 1.00.
            let two = |x: f64| crate::scenario::day_fixed(x, 2);
            let measures = format!(
                "{} at {}, {} at {}",
                two(lo),
                s.show(s.min),
                two(hi),
                s.show(at(n - 1))
            );
            neighbour = None;
            if improves {
                direction = Some("increasing".to_string());
                found = Some(0);
                message = format!(
                    "{ends}; the KPI improves as {} grows ({measures}): the smallest value \
                     meeting it may be below --min {}",
                    s.vary,
                    s.show(s.min)
                );
            } else if worsens {
                direction = Some("decreasing".to_string());
                found = Some(n - 1);
                message = format!(
                    "{ends}; the KPI worsens as {} grows ({measures}): the largest value \
                     meeting it may be above --max {}",
                    s.vary,
                    s.show(s.max)
                );
            } else {
                direction = None;
                found = Some(0);
                message = format!(
                    "{ends}; the KPI is the same at both ends ({measures}): values beyond \
                     either end may meet it too"
                );
            }
        }
        (false, false) => {
            // Neither end meets it: a KPI that is not monotone in the key may still meet it
            // between them (more quota can clear later through a shared holding area), so
            // values between are tested before saying that none does.
            for k in interior_indices(n) {
                interior_tested.push(at(k));
                if eval(k, &mut evals)? {
                    met_inside.push(at(k));
                }
            }
            direction = None;
            found = None;
            neighbour = None;
            let shown = |v: &[i64]| v.iter().map(|&x| s.show(x)).collect::<Vec<_>>().join(", ");
            message = if met_inside.is_empty() {
                format!(
                    "no value of {} in {}..={} (step {}) meets {}",
                    s.vary,
                    s.show(s.min),
                    s.show(s.max),
                    s.show(s.step),
                    s.goal.text
                )
            } else {
                format!(
                    "{} is met at {} = {} but not at --min {} or --max {}: the goal is not \
                     monotone in {} over the range, so no smallest or largest value is given",
                    s.goal.text,
                    s.vary,
                    shown(&met_inside),
                    s.show(s.min),
                    s.show(s.max),
                    s.vary
                )
            };
        }
        (false, true) => {
            let (mut lo, mut hi) = (0usize, n - 1);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if eval(mid, &mut evals)? {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            direction = Some("increasing".to_string());
            found = Some(hi);
            neighbour = Some(lo);
            message = format!(
                "smallest {} meeting {}: {}",
                s.vary,
                s.goal.text,
                s.show(at(hi))
            );
        }
        (true, false) => {
            let (mut lo, mut hi) = (0usize, n - 1);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if eval(mid, &mut evals)? {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            direction = Some("decreasing".to_string());
            found = Some(lo);
            neighbour = Some(hi);
            message = format!(
                "the goal is met at --min but not at --max (the KPI worsens as {} grows): \
                 largest value meeting {}: {}",
                s.vary,
                s.goal.text,
                s.show(at(lo))
            );
        }
    }
    evals.sort_by_key(|e| e.value);
    let get = |k: Option<usize>| k.and_then(|k| evals.iter().find(|e| e.value == at(k)).cloned());
    let (found, neighbour) = (get(found), get(neighbour));
    // Unsure about the answer, or (when nothing met the goal) about any value tried.
    let uncertain = if found.is_some() {
        [&found, &neighbour]
            .iter()
            .any(|e| e.as_ref().is_some_and(|e| e.uncertain))
    } else {
        evals.iter().any(|e| e.uncertain)
    };
    // A quantile's interval without the end that decides the goal: too few replications.
    let replications_for_bound = match s.goal.measure {
        Measure::Quantile(q) => {
            kpi::replications_for_bound(q, matches!(s.goal.op, Op::Le | Op::Lt))
                .filter(|&n| evals.iter().any(|e| e.replications < n))
        }
        _ => None,
    };
    let best = if found.is_none() && met_inside.is_empty() {
        nearest(&evals, s.goal.op)
    } else {
        None
    };
    Ok(TargetResult {
        clearance_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: super::ScenarioProvenance::of(&base),
        seed: opts.seed.unwrap_or(base.seed),
        overrides: base.overrides().to_vec(),
        goal: s.goal.text.clone(),
        start_date,
        threshold: s.goal.threshold,
        vary: s.vary.clone(),
        min: s.min,
        max: s.max,
        step: s.step,
        unit: s.unit.clone(),
        direction,
        found,
        neighbour,
        uncertain,
        best,
        threshold_date: s.goal.date,
        evaluations: evals.clone(),
        replications_for_bound,
        assumes_monotone: met_inside.is_empty(),
        interior_tested,
        met_inside,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The grid's size is computed without overflow: 64-bit extremes are refused by name.
    #[test]
    fn a_grid_wider_than_64_bits_is_refused() {
        assert_eq!(grid_len(100, 1000, 10), Ok(91));
        // A step that does not divide the span: --max is the last value.
        assert_eq!(grid_len(0, 9, 10), Ok(2));
        assert_eq!(grid_len(1, 100, 1000), Ok(2));
        assert_eq!(grid_len(100, 1000, 400), Ok(4));
        assert_eq!(
            (0..4)
                .map(|k| grid_at(100, 1000, 400, k))
                .collect::<Vec<_>>(),
            [100, 500, 900, 1000]
        );
        assert_eq!(grid_at(0, 9, 10, 1), 9);
        assert_eq!(grid_at(i64::MIN, -1, i64::MAX, 1), -1);
        assert_eq!(grid_len(5, 5, 3), Ok(1));
        assert_eq!(grid_len(i64::MIN, -1, i64::MAX), Ok(2));
        assert_eq!(
            grid_len(0, i64::MAX, 1).ok(),
            usize::try_from(1u64 << 63).ok()
        );
        let e = grid_len(i64::MIN, i64::MAX, 1).unwrap_err();
        assert!(
            e.starts_with(
                "--min -9223372036854775808 and --max 9223372036854775807 are more than \
                 9223372036854775807 apart"
            ),
            "{e}"
        );
        assert!(grid_len(-1, i64::MAX, 5).is_err());
    }

    /// Up to 8 values strictly between the ends, evenly spaced; all of a small grid's.
    #[test]
    fn the_interior_grid_is_evenly_spaced_inside_the_ends() {
        assert_eq!(interior_indices(1), Vec::<usize>::new());
        assert_eq!(interior_indices(2), Vec::<usize>::new());
        assert_eq!(interior_indices(5), vec![1, 2, 3]);
        assert_eq!(interior_indices(10), (1..9).collect::<Vec<_>>());
        // 30..=100 by 1: 38, 46, 53, 61, 69, 77, 84, 92
        assert_eq!(interior_indices(71), vec![8, 16, 23, 31, 39, 47, 54, 62]);
        let big = interior_indices(1usize << 62);
        assert_eq!(big.len(), INTERIOR_VALUES);
        assert!(big.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn goals_parse() {
        let g: Goal = "p90(clearance_days) <= 120".parse().unwrap();
        assert_eq!(g.measure, Measure::Quantile(0.9));
        assert_eq!(g.kpi, "clearance_days");
        assert_eq!(g.op, Op::Le);
        assert_eq!(g.threshold, 120.0);
        assert!(g.met(120.0) && !g.met(120.5));
        let g: Goal = "mean(processed:El Paso)>5000".parse().unwrap();
        assert_eq!(g.op, Op::Gt);
        assert_eq!(g.kpi, "processed:El Paso");
        assert!("p90 clearance <= 3".parse::<Goal>().is_err());
        assert!("p90(clearance_days) == 3".parse::<Goal>().is_err());
    }

    /// Unsure only when the interval holds values on both sides of the goal (or lies across
    /// it from the estimate): one that reaches the threshold from the meeting side is sure.
    #[test]
    fn an_interval_reaching_the_threshold_from_one_side_is_sure() {
        let g = |s: &str| s.parse::<Goal>().unwrap();
        let le = g("p90(clearance_days) <= 5");
        assert!(!le.unsure(5.0, (5.0, 5.0)));
        assert!(!le.unsure(4.5, (4.0, 5.0)));
        assert!(le.unsure(4.5, (4.0, 5.5)));
        assert!(le.unsure(5.0, (5.0, f64::INFINITY)));
        assert!(!le.unsure(6.0, (5.5, 7.0)));
        let lt = g("p90(clearance_days) < 5");
        assert!(!lt.unsure(5.0, (5.0, 5.0)));
        assert!(lt.unsure(4.9, (4.0, 5.0)));
        let ge = g("mean(processed) >= 5");
        assert!(!ge.unsure(5.0, (5.0, 5.0)));
        assert!(ge.unsure(5.0, (4.0, 6.0)));
        // The estimate below every value of its interval (the P99 of 2 replications).
        assert!(le.unsure(4.0, (6.0, f64::INFINITY)));
    }

    /// More replications lower the smallest and raise the largest: a verdict they may overturn
    /// is unsure, whatever the interval (min and max have none).
    #[test]
    fn an_extreme_is_unsure_where_more_replications_may_reach_past_the_goal() {
        let g = |s: &str| s.parse::<Goal>().unwrap();
        let (min, max) = (Measure::Min, Measure::Max);
        // min with <=: missed may be met later, met stays met
        assert!(g("min(clearance_days) <= 33").extreme_unsure(min, 34.4));
        assert!(!g("min(clearance_days) <= 33").extreme_unsure(min, 32.0));
        assert!(g("min(clearance_days) < 33").extreme_unsure(min, f64::INFINITY));
        // no KPI is below 0: a threshold under it is out of reach for sure
        assert!(!g("min(clearance_days) < 0").extreme_unsure(min, 3.0));
        assert!(!g("min(processed) <= -1").extreme_unsure(min, 3.0));
        assert!(g("min(processed) <= 0").extreme_unsure(min, 3.0));
        // max with <=: met may be missed later, missed stays missed
        assert!(g("max(clearance_days) <= 40").extreme_unsure(max, 39.0));
        assert!(!g("max(clearance_days) <= 40").extreme_unsure(max, 41.0));
        // lower bounds: the mirror image
        assert!(g("max(processed) >= 100").extreme_unsure(max, 90.0));
        assert!(!g("max(processed) > 100").extreme_unsure(max, 190.0));
        assert!(g("min(processed) >= 100").extreme_unsure(min, 190.0));
        assert!(!g("min(processed) >= 100").extreme_unsure(min, 90.0));
        // the other measures are decided by their intervals
        assert!(!g("mean(clearance_days) <= 33").extreme_unsure(Measure::Mean, 34.0));
    }

    #[test]
    fn a_date_goal_compares_the_day_a_kpi_falls_on() {
        let start = chrono::NaiveDate::from_ymd_opt(2021, 2, 19).unwrap();
        // 2021-07-14 is day 145: the day runs from 145.0 to 146.0.
        let resolved = |g: &str| g.parse::<Goal>().unwrap().resolve(start);
        let le = resolved("p90(clearance_days) <= 2021-07-14");
        assert!(le.met(145.99) && !le.met(146.0));
        let lt = resolved("p90(t50_days) < 2021-07-14");
        assert!(lt.met(144.99) && !lt.met(145.0));
        let ge = resolved("median(clearance_days) >= 2021-07-14");
        assert!(ge.met(145.0) && !ge.met(144.99));
        let gt = resolved("max(t99_days) > 2021-07-14");
        assert!(gt.met(146.0) && !gt.met(145.99));
        // A value within 1e-9 day short of a midnight is in the next day, as `day_of` and every
        // output date it: 145.9999999999 is on 2021-07-15, 144.9999999999 on 2021-07-14.
        let (late, early) = (146.0 - 1e-10, 145.0 - 1e-10);
        assert_eq!(
            (
                crate::scenario::day_of(late),
                crate::scenario::day_of(early)
            ),
            (146, 145)
        );
        assert!(!le.met(late) && le.met(early));
        assert!(!lt.met(early) && lt.met(145.0 - 1e-8));
        assert!(ge.met(early) && !ge.met(145.0 - 1e-8));
        assert!(gt.met(late) && !gt.met(early));
        assert!(!le.met(f64::INFINITY) && !le.met(f64::NAN) && ge.met(f64::INFINITY));
        assert_eq!((le.op, le.threshold), (Op::Lt, 146.0));
        assert_eq!(le.threshold_text(), "2021-07-14");
        let days: Goal = "p90(clearance_days) <= 146".parse().unwrap();
        assert_eq!(days.threshold_text(), "146");
        assert_eq!(days.resolve(start), days);
        // Only times since the start may be dates.
        let e = "mean(processed) <= 2021-07-14".parse::<Goal>().unwrap_err();
        assert!(
            e.contains("a date is a goal only for clearance_days"),
            "{e}"
        );
    }
}
