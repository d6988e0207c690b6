//! The inflow against capacity, from the scenario alone: the people a day the inflow brings
//! (`rate_per_day` groups × the mean group size) and whether that outpaces the smallest mean
//! capacity of a stage over the inflow's days, in which case the queue grows while the inflow
//! lasts (a warning of `explain` and `validate`, and of a run's table, summary and report, where
//! a run also says how many inflow arrivals were not processed by its end). Besides the stage
//! totals, each group of origins and ports that routes connect is compared on its own: the
//! inflow's share waiting at those origins against those ports and the transport to them, so
//! that one overloaded port among several is not hidden by the others' spare capacity. And the
//! note that the inflow counts groups, not people.

use super::bounds::{BottleneckReport, Stage, StageBound};
use crate::format::{fmt_int, word_list};
use crate::scenario::Scenario;

/// How the warning of [`InflowOverload::text`] begins.
pub const INFLOW_OVERLOAD: &str = "the inflow outpaces capacity";

/// An inflow whose people a day exceed a stage's mean capacity over the inflow's days.
#[derive(Debug, Clone, PartialEq)]
pub struct InflowOverload {
    /// The inflow's rate \[groups/day\].
    pub groups_per_day: f64,
    /// The people a day compared: the rate × the mean group size × `share` \[people/day\].
    pub people_per_day: f64,
    /// The mean group size \[people\].
    pub mean_group_size: f64,
    /// The stage with the smallest mean capacity over the inflow's days: a stage total
    /// ("screening", "transport" or "ports"), or, for a group of origins and ports that routes
    /// connect, its ports ("port San Ysidro", "ports A and B") or the transport to them
    /// ("transport → San Ysidro", "transport → A and B").
    pub stage: String,
    /// The origins whose inflow is compared: empty for a stage total (all of the inflow), else
    /// the origins that routes connect to `stage`'s ports.
    pub origins: Vec<String>,
    /// The share of the inflow those origins receive \[fraction\]: 1 for a stage total.
    pub share: f64,
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
        let arrive = if self.origins.is_empty() {
            format!(
                "arrive ({} groups a day × the mean group size {:.2})",
                short(self.groups_per_day),
                self.mean_group_size
            )
        } else {
            format!(
                "arrive at {} ({}% of the inflow's {} groups a day × the mean group size {:.2})",
                word_list(&self.origins, "and"),
                short(self.share * 100.0),
                short(self.groups_per_day),
                self.mean_group_size
            )
        };
        let mut t = format!(
            "{INFLOW_OVERLOAD}: about {} people a day {arrive} on days {}–{}, more than the {} \
             people a day {stage} can pass on average over those days (the capacity `clearance \
             explain` gives, shared with the backlog): the queue grows while the inflow lasts \
             (clearance counts only the backlog and phases)",
            short(self.people_per_day),
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
/// or the ports over the inflow's days (stages without a limit left out), and by which stage:
/// first the stage totals against the whole inflow (the whole queue grows); when they keep up
/// and routes split the origins and ports into several groups that no route connects, each
/// group's ports and the transport to them against the inflow's share at its origins (of the
/// groups that exceed their capacity, the one that exceeds it the most, by
/// [`InflowOverload::ratio`], is named).
pub fn inflow_overload(scn: &Scenario, rep: &BottleneckReport) -> Option<InflowOverload> {
    let f = scn.inflow.as_ref()?;
    let (from, to) = inflow_days(scn, rep)?;
    let g = scn.group_size.mean();
    let people = f.rate_per_day * g;
    // A row's mean capacity over the inflow's days; `None` when unlimited.
    let mean = |r: &StageBound| -> Option<f64> {
        if r.unlimited || r.capacity.is_empty() {
            return None;
        }
        let days = &r.capacity[from.min(r.capacity.len() - 1)..=to.min(r.capacity.len() - 1)];
        let m = days.iter().sum::<f64>() / days.len().max(1) as f64;
        m.is_finite().then_some(m)
    };
    let overload = |stage: String, cap: f64, origins: Vec<String>, share: f64| InflowOverload {
        groups_per_day: f.rate_per_day,
        people_per_day: people * share,
        mean_group_size: g,
        stage,
        origins,
        share,
        capacity_per_day: cap,
        from_day: from,
        to_day: to,
    };
    let total = [Stage::Screening, Stage::Transport, Stage::Port]
        .into_iter()
        .map(|s| rep.total(s))
        .filter_map(|r| Some((r.name.clone(), mean(r)?)))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((stage, cap)) = total {
        if people > cap {
            return Some(overload(stage, cap, Vec::new(), 1.0));
        }
    }
    let groups = route_groups(scn);
    if groups.len() < 2 {
        return None; // one group of origins and ports: its figures are the totals above
    }
    let all_shares: f64 = scn.origins.iter().map(|o| o.share).sum();
    let mut worst: Option<InflowOverload> = None;
    for (origins, ports) in groups {
        let share = origins.iter().map(|&o| scn.origins[o].share).sum::<f64>()
            / all_shares.max(f64::MIN_POSITIVE);
        let names: Vec<String> = ports.iter().map(|&p| scn.ports[p].name.clone()).collect();
        // The group's capacity of a stage: the sum of its ports' rows, `None` when any of them
        // is unlimited or missing (nothing to compare then).
        let transport: Option<f64> = ports.iter().map(|&p| mean(rep.transport_to(p)?)).sum();
        let port: Option<f64> = ports.iter().map(|&p| mean(rep.port(p)?)).sum();
        let candidates = [
            (
                format!("transport → {}", word_list(&names, "and")),
                transport,
            ),
            (crate::format::ports_named(&names, "and"), port),
        ];
        let Some((stage, cap)) = candidates
            .into_iter()
            .filter_map(|(s, c)| Some((s, c?)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
        else {
            continue;
        };
        if people * share > cap {
            let names = origins
                .iter()
                .map(|&o| scn.origins[o].name.clone())
                .collect();
            let o = overload(stage, cap, names, share);
            if worst.as_ref().is_none_or(|w| o.ratio() > w.ratio()) {
                worst = Some(o);
            }
        }
    }
    worst
}

/// The groups of origins and ports that routes connect (an origin with every port it has a
/// route to, a port with every origin that has a route to it, and so on), as (origins, ports)
/// in index order; origins without a route and ports without one are in no group.
fn route_groups(scn: &Scenario) -> Vec<(Vec<usize>, Vec<usize>)> {
    let n = scn.origins.len();
    // Union-find over origins 0..n and ports n..n + ports.
    let mut parent: Vec<usize> = (0..n + scn.ports.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    // Those that some route links, origin or port.
    let mut linked = vec![false; parent.len()];
    for r in &scn.routes {
        let (a, b) = (find(&mut parent, r.origin), find(&mut parent, n + r.port));
        parent[a.max(b)] = a.min(b);
        linked[r.origin] = true;
        linked[n + r.port] = true;
    }
    let mut groups: Vec<(usize, Vec<usize>, Vec<usize>)> = Vec::new();
    for i in (0..parent.len()).filter(|&i| linked[i]) {
        let root = find(&mut parent, i);
        let k = match groups.iter().position(|(r, _, _)| *r == root) {
            Some(k) => k,
            None => {
                groups.push((root, Vec::new(), Vec::new()));
                groups.len() - 1
            }
        };
        if i < n {
            groups[k].1.push(i);
        } else {
            groups[k].2.push(i - n);
        }
    }
    groups.into_iter().map(|(_, o, p)| (o, p)).collect()
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
