//! The inflow against capacity, from the scenario alone: the people a day the inflow brings
//! (`rate_per_day` groups × the mean group size) and whether that outpaces the smallest mean
//! capacity of a stage over the inflow's days, in which case the queue grows while the inflow
//! lasts (a warning of `explain` and `validate`, and of a run's table, summary and report, where
//! a run also says how many inflow arrivals were not processed by its end). And the note that
//! the inflow counts groups, not people.

use super::bounds::{BottleneckReport, Stage};
use crate::format::fmt_int;
use crate::scenario::Scenario;

/// How the warning of [`InflowOverload::text`] begins.
pub const INFLOW_OVERLOAD: &str = "the inflow outpaces capacity";

/// An inflow whose people a day exceed a stage's mean capacity over the inflow's days.
#[derive(Debug, Clone, PartialEq)]
pub struct InflowOverload {
    /// The inflow's rate \[groups/day\].
    pub groups_per_day: f64,
    /// Its people a day: the rate × the mean group size \[people/day\].
    pub people_per_day: f64,
    /// The mean group size \[people\].
    pub mean_group_size: f64,
    /// The stage total with the smallest mean capacity over the inflow's days: "screening",
    /// "transport" or "ports".
    pub stage: String,
    /// Its mean capacity over the inflow's days, as `explain` bounds it \[people/day\].
    pub capacity_per_day: f64,
    /// First day of the inflow counted \[day index\].
    pub from_day: usize,
    /// Last day of the inflow counted \[day index\]: the day before `until` (at most the
    /// horizon), at most the last day `explain` analyses.
    pub to_day: usize,
}

impl InflowOverload {
    /// The warning, with the inflow arrivals a run left unprocessed (`unprocessed` of
    /// `arrivals`, means over replications \[people\]) when known.
    pub fn text(&self, unprocessed: Option<(f64, f64)>) -> String {
        let stage = match self.stage.as_str() {
            "ports" => "the ports".to_string(),
            s => s.to_string(),
        };
        let mut t = format!(
            "{INFLOW_OVERLOAD}: about {} people a day arrive ({} groups a day × the mean \
             group size {:.2}) on days {}–{}, more than the {} people a day {stage} can pass on \
             average over those days (the capacity `clearance explain` gives, shared with the \
             backlog): the queue grows while the inflow lasts (clearance counts only the backlog \
             and phases)",
            short(self.people_per_day),
            short(self.groups_per_day),
            self.mean_group_size,
            self.from_day,
            self.to_day,
            short(self.capacity_per_day),
        );
        if let Some((unprocessed, arrivals)) = unprocessed {
            t.push_str(&format!(
                "; on average {} of the {} inflow arrivals were not processed by the end of a \
                 run (still waiting, or dropped out)",
                fmt_int(unprocessed.max(0.0)),
                fmt_int(arrivals)
            ));
        }
        t
    }
}

impl InflowOverload {
    /// How many times the inflow's people a day exceed the capacity (the worst point of a
    /// sweep is the one where it is largest).
    pub fn ratio(&self) -> f64 {
        self.people_per_day / self.capacity_per_day.max(f64::MIN_POSITIVE)
    }
}

/// One warning for the points of a sweep whose inflow outpaces capacity (one per point had
/// been given, their figures differing): `points` says which ("at all 12 points of the
/// sweep"), and the figures are those of the worst point, `worst` at `worst_at` (its values).
pub fn inflow_overload_at_points(points: &str, worst: &InflowOverload, worst_at: &str) -> String {
    let text = worst.text(None);
    let rest = text
        .strip_prefix(INFLOW_OVERLOAD)
        .and_then(|r| r.strip_prefix(": "))
        .unwrap_or(&text);
    format!("{INFLOW_OVERLOAD} {points}; at worst, at {worst_at}: {rest}")
}

/// A rate of people or groups a day: whole above 10, one decimal below ("0.5", not "0").
fn short(x: f64) -> String {
    if x.abs() >= 10.0 {
        fmt_int(x.round())
    } else {
        format!("{}", (x * 10.0).round() / 10.0)
    }
}

/// The inflow's days counted against capacity: from `from` up to the day before `until` (at
/// most the horizon), within the days `rep` analyses; `None` without an inflow or days.
fn inflow_days(scn: &Scenario, rep: &BottleneckReport) -> Option<(usize, usize)> {
    let f = scn.inflow.as_ref().filter(|f| f.rate_per_day > 0.0)?;
    let until = f.until.min(scn.horizon);
    let from = f.from.max(0.0).floor() as usize;
    let end = (until.ceil() as usize).min(rep.days);
    (end > from).then_some((from, end - 1))
}

/// Whether the inflow's people a day exceed the smallest mean capacity of screening, transport
/// or the ports over the inflow's days (stages without a limit left out), and by which stage.
pub fn inflow_overload(scn: &Scenario, rep: &BottleneckReport) -> Option<InflowOverload> {
    let f = scn.inflow.as_ref()?;
    let (from, to) = inflow_days(scn, rep)?;
    let g = scn.group_size.mean();
    let people = f.rate_per_day * g;
    let (stage, cap) = [Stage::Screening, Stage::Transport, Stage::Port]
        .into_iter()
        .map(|s| rep.total(s))
        .filter(|r| !r.unlimited)
        .map(|r| {
            let days = &r.capacity[from..=to.min(r.capacity.len().saturating_sub(1))];
            (
                r.name.clone(),
                days.iter().sum::<f64>() / days.len().max(1) as f64,
            )
        })
        .filter(|(_, c)| c.is_finite())
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    (people > cap).then_some(InflowOverload {
        groups_per_day: f.rate_per_day,
        people_per_day: people,
        mean_group_size: g,
        stage,
        capacity_per_day: cap,
        from_day: from,
        to_day: to,
    })
}

/// [`inflow_overload`] of a scenario with an inflow (a rate above 0), from its own capacity
/// bounds (`explain`): worked out only when there is an inflow to compare. A run's summary and
/// `validate` give it so.
pub fn inflow_overload_of(scn: &Scenario) -> Option<InflowOverload> {
    scn.inflow.as_ref().filter(|f| f.rate_per_day > 0.0)?;
    inflow_overload(scn, &super::explain(scn))
}

/// [`inflow_groups_note`], unless `warnings` hold the overload warning, which already gives the
/// inflow in groups and people a day (`validate`'s and a run's table).
pub fn inflow_groups_note_unless_warned(scn: &Scenario, warnings: &[String]) -> Option<String> {
    if warnings.iter().any(|w| w.starts_with(INFLOW_OVERLOAD)) {
        return None;
    }
    inflow_groups_note(scn)
}

/// The note that the inflow counts groups: its rate in groups a day and the people a day that
/// makes at the mean group size, when that is above 1 (`rate_per_day = 37` meant as people had
/// passed without a word); `None` otherwise.
pub fn inflow_groups_note(scn: &Scenario) -> Option<String> {
    let f = scn.inflow.as_ref().filter(|f| f.rate_per_day > 0.0)?;
    let g = scn.group_size.mean();
    (g > 1.0 + 1e-9).then(|| {
        format!(
            "inflow.rate_per_day counts groups: {} group{} a day ≈ {} people a day at the mean \
             group size {:.2}",
            short(f.rate_per_day),
            if f.rate_per_day == 1.0 { "" } else { "s" },
            short(f.rate_per_day * g),
            g
        )
    })
}
