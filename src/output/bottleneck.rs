//! Bottleneck analysis: what limits clearance, from the scenario alone (`explain`) and from a run
//! (`bind`).
//!
//! # Capacity bounds (`explain`, no simulation)
//! For every simulated day d, each stage's capacity in people/day:
//! - **registration**: not a capacity but the arrival curve the delay implies: the expected
//!   people registering on day d, Σ over cohorts of people × (1 − never) × (F(d+1−o) − F(d−o)),
//!   F the CDF of `registration.delay`, o the cohort's opening time.
//! - **screening**: servers × open server-days offered on day d / mean service × mean group size
//!   (unlimited without `[screening]`, without `servers`, or with zero service time).
//! - **transport → port**: Σ over scheduled routes to the port of seats × departures on day d
//!   (floor(seats × factor) per departure, at most the port's `holding`: no more can board
//!   toward it at once); a continuous route or one without `seats` is unlimited (a factor of 0
//!   closes it). A holding limit holds a continuous route to about holding / mean travel time a
//!   day over time (Little's law), which a note says; random travel beats it on some days, so
//!   the bound leaves it out. Under `appointment` a route offers nothing on a day its
//!   port takes no appointments (quota 0), since nobody boards toward the port then. The stage
//!   total sums every route.
//! - **port**: min(q(d), servers × open server-days on day d / mean service × mean group size),
//!   q(d) from `model::capacity::quota`. Disruption factors are taken at their largest value
//!   inside the day, so the capacity is an upper bound and the implied finish a lower bound.
//!   Under `appointment` the quota counts boardings, which the servers can serve on later
//!   days: a port's finish is then the later of its finish through the quota alone and
//!   through the servers alone (the smaller of the two day by day could be later than a run).
//!
//! The **earliest finish** of a stage is the first day D on which a fluid that starts with each
//! cohort's people at its opening day and passes at most the stage's capacity per day has passed
//! everyone: out(d) = min(A(d), out(d−1) + c(d)) ≥ people. People to clear are the backlog plus
//! phases times (1 − never); attrition is ignored. Transport is bounded per origin (its share of
//! the people against its own routes) and in total; the stage's finish is the later. An
//! origin's finish shows on the row "transport → p" when its routes are exactly port p's, else
//! on a row "transport from o" of its own; when it sets transport's finish, later than the
//! total alone, that row is named as binding. Ports are
//! bounded in total and per set of ports by the origins whose every route leads into the set
//! (their share against the set's capacity; every set up to 10 ports, else each port alone). A
//! share of the people (per origin, per set, and all who register for the totals) is counted
//! three standard deviations below its expected number, as origins and reach are drawn group by
//! group at random. A port's own row shows the finish of the origins routed only to it, and when
//! one port's finish is the ports' and later than all ports together would allow, that port is
//! named as binding. For registration the earliest finish is the first day by whose end fewer
//! than one mean group is still expected to be unregistered. Clearance is not expected before
//! the latest of these days (the `lower_bound_day`), and the stage that sets it is the one that
//! binds. For quotas and seats it holds but for chance (three standard deviations of who registers,
//! from where and when: about one replication in a thousand beats it); with mean service times and the expected
//! registrations it is an estimate that a replication can beat (random service, a continuous
//! registration delay, service started until closing time and running past it), as the report
//! and `explain` say.
//!
//! # Binding stages from a run (`bind`)
//! Per week (up to the median clearance day), per stage, from the daily bands' means (means are
//! linear, so differences of means are means of differences):
//! - throughput: port p `processed_today:p`; transport boardings = Δin_transit + Δwaiting_port +
//!   Σ processed_today (per port: processed_today:p + Δwaiting:p, against the seats of the routes
//!   to p; per origin whose routes are not exactly one port's, `boarded_today:o` against the seats
//!   of its routes, with its ready people in front, so that one origin's full bus shows even when
//!   the port's other routes have room); screening = Δwaiting_ready + boardings (what left
//!   screening; the few who drop out after screening and before boarding are left out, so this
//!   is a lower bound);
//! - utilization = Σ throughput / Σ capacity over the week; queue in front = mean of
//!   `waiting_screening`, `waiting_ready` − `in_health` (ready to travel), `waiting:p` (under
//!   `appointment`, `waiting:p` plus `waiting_ready:o` − `in_health:o` of every origin o with a
//!   route to p, since the quota then holds people back before boarding).
//!
//! The stage that binds in a week is, among stages at ≥ 90% utilization or with no capacity at
//! all that week (zero servers, quota or seats, or closed) and people in front, the one with the
//! longest queue in front; if none is that full and nobody is left to register, the health check
//! when more people are in it than in front of the stage the next rule would name; otherwise the
//! most utilized stage among those at ≥ 50% with at least one day's throughput queued in front;
//! otherwise, while anyone is still expected to register that week or later (also after the
//! horizon), registration (the system is waiting for them); once nobody is, the stage with the
//! longest queue in front (at least one person: the last people wait there, or are stuck, e.g.
//! groups larger than a port's quota), the health check counting as such a stage with the people
//! in it or its isolation (`in_health`, which is not in front of transport although
//! `waiting_ready` counts it); otherwise (the last few, under one person on average) the health
//! check if it bound the week before; otherwise registration.
//!
//! A stage's **share of the clearance time** is the fraction of the days up to the median clearance
//! day that fall in weeks in which it binds.

/// Integers with thousands separators (in `format`, a leaf; here for the outputs and commands
/// that name it by this path).
pub use crate::format::fmt_int;

use crate::experiment::DailyBands;
use crate::model::capacity::{quota, scaled, Factor, UNLIMITED};
use crate::scenario::{Departures, Dist, Scenario};
use crate::stats::quantile_sorted;
use chrono::NaiveDate;
use statrs::distribution::{ContinuousCDF, Gamma, LogNormal};
use std::io::Write;

use super::ChartInput;

/// Longest span of days the analysis looks at \[days\].
const MAX_DAYS: usize = 3650;
/// Ports up to which `explain` bounds every set of ports by the origins routed only into it
/// (beyond, each port alone) \[ports\].
const MAX_PORT_SETS: usize = 10;
/// Utilization at which a stage counts as near-full \[fraction\].
pub const NEAR_FULL: f64 = 0.9;
/// Days per binding period \[days\].
pub const PERIOD_DAYS: usize = 7;

/// A stage of the pipeline; `Port` and per-port transport rows carry the port index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Registration,
    Screening,
    Transport,
    Port,
    /// The health check and its isolation: a delay, not a capacity. It has no row in
    /// [`explain`]; in a run it binds when, nobody being left to register, more people are in
    /// it than wait anywhere else (the last people are in isolation).
    Health,
}

impl Stage {
    pub fn as_str(&self) -> &'static str {
        match self {
            Stage::Registration => "registration",
            Stage::Screening => "screening",
            Stage::Transport => "transport",
            Stage::Port => "port",
            Stage::Health => "health",
        }
    }
}

/// Capacity and earliest finish of one stage (or of one port's share of a stage).
#[derive(Debug, Clone)]
pub struct StageBound {
    pub stage: Stage,
    /// Port index for per-port rows; `None` for stage totals.
    pub port: Option<usize>,
    /// Origin index for a row of transport from one origin (one whose routes are not exactly
    /// one port's), and for the row "transport → port" of a port whose routes are exactly one
    /// origin's (it carries that origin's finish); `None` otherwise.
    pub origin: Option<usize>,
    /// Display name, e.g. "screening", "transport → San Ysidro", "port San Ysidro".
    pub name: String,
    /// Capacity per day \[people/day\]; `f64::INFINITY` = unlimited. For registration, the expected
    /// people registering that day.
    pub capacity: Vec<f64>,
    /// First day by whose end the stage can have passed everyone \[day index\]; for a port's
    /// row, everyone of the origins whose every route leads to it (`None` when no origin is
    /// routed only there: dispatch decides its share); for transport to a port, everyone of the
    /// one origin whose routes are exactly the port's (`None` otherwise); for transport from an
    /// origin, everyone of that origin; `None` for stages that never finish within the analysed
    /// days.
    pub earliest_day: Option<i64>,
    /// Calendar date of `earliest_day`.
    pub earliest_date: Option<NaiveDate>,
    /// True when the stage limits nothing.
    pub unlimited: bool,
    /// Whose people the row's finish is about.
    pub people: RowPeople,
}

/// Whose people a row of [`StageBound`] passes, and so whether it has a finish of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowPeople {
    /// A stage total: everyone.
    All,
    /// People of its own: the origins routed only to this port (a port's row), the one origin
    /// whose routes are exactly the port's (transport to a port), or one origin's.
    Own,
    /// A port's row whose people can all be served elsewhere, or transport to a port shared by
    /// several origins' routes: dispatch or the origins' shares decide its load, so it has no
    /// finish of its own (the totals and the rows "transport from …" bound those people).
    Shared,
    /// A port that no route leads to: nobody is processed there.
    NoRoute,
}

/// What the "earliest finish" cell of a row says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// The first day by whose end the row has passed its people, and its date.
    Day(i64, NaiveDate),
    /// Its people are never all passed within the days analysed.
    NotReached,
    /// No finish of its own: see [`RowPeople::Shared`].
    Shared,
    /// No route leads to the port.
    NoRoute,
    /// An unlimited row that is not about people of its own: nothing to say.
    Blank,
}

impl StageBound {
    /// Mean capacity over days 0..=d \[people/day\]; infinite when unlimited.
    pub fn mean_capacity(&self, d: usize) -> f64 {
        let n = (d + 1).min(self.capacity.len()).max(1);
        self.capacity.iter().take(n).sum::<f64>() / n as f64
    }

    /// Largest daily capacity \[people/day\].
    pub fn peak_capacity(&self) -> f64 {
        self.capacity.iter().copied().fold(0.0, f64::max)
    }
}

/// What limits clearance, from the scenario alone.
#[derive(Debug, Clone)]
pub struct BottleneckReport {
    /// The scenario's name (`[scenario] name`).
    pub scenario: String,
    /// The scenario's start date: the date of day 0.
    pub start_date: NaiveDate,
    /// Backlog plus phases \[people\].
    pub people: u64,
    /// People expected to register: people × (1 − never) \[people\].
    pub to_clear: f64,
    /// Days analysed \[days\].
    pub days: usize,
    /// Stage totals (registration, screening, transport, ports), then per-port rows.
    pub rows: Vec<StageBound>,
    /// Index into `rows` of the stage total with the latest earliest finish, or, when the
    /// ports' finish is set by one port's own origins (later than all ports together would
    /// allow), of that port's row.
    pub binding: Option<usize>,
    /// Clearance is not expected before this day \[day index\] (see the module documentation
    /// for when it is a firm bound); `None` if some stage never finishes within the analysed
    /// days.
    pub lower_bound_day: Option<i64>,
    /// The date of `lower_bound_day` (`start_date` + that many days); `None` with it.
    pub lower_bound_date: Option<NaiveDate>,
    /// Why some groups can never travel, when they cannot: the largest group is larger than
    /// every route from its origin can take at once (seats, the port's holding limit or
    /// quota). Their people are never processed, and the backlog clears only if attrition
    /// takes them; `lower_bound_day` is then `None`.
    pub never_travel: Option<String>,
    /// Assumptions and remarks.
    pub notes: Vec<String>,
    /// Whether the scenario has attrition, which the bound leaves out: fewer people to pass,
    /// so a run can clear before `lower_bound_day`.
    pub attrition: bool,
}

impl BottleneckReport {
    /// Last day of the window the mean capacities are taken over: up to the bound (day 30
    /// without one), never past the last day analysed \[day index\].
    pub fn mean_window(&self) -> usize {
        (self.lower_bound_day.unwrap_or(30).max(0) as usize).min(self.days.saturating_sub(1))
    }

    /// Whether attrition can make a run clear before the bound: it leaves fewer people to pass
    /// a capacity, but nobody is resolved before registering, so not when registration binds.
    pub fn attrition_loosens(&self) -> bool {
        self.attrition
            && self
                .binding
                .is_some_and(|b| self.rows[b].stage != Stage::Registration)
    }

    /// "Clearance is not expected before", or with attrition that can loosen the bound, said.
    pub fn bound_phrase(&self) -> &'static str {
        if self.attrition_loosens() {
            "if nobody dropped out, clearance would not be expected before"
        } else {
            "clearance is not expected before"
        }
    }

    /// The row of a stage total.
    pub fn total(&self, stage: Stage) -> &StageBound {
        self.rows
            .iter()
            .find(|r| r.stage == stage && r.port.is_none() && r.origin.is_none())
            .expect("every stage has a total row")
    }

    /// The row of a port's own capacity.
    pub fn port(&self, p: usize) -> Option<&StageBound> {
        self.rows
            .iter()
            .find(|r| r.stage == Stage::Port && r.port == Some(p))
    }

    /// The row of the transport capacity toward a port.
    pub fn transport_to(&self, p: usize) -> Option<&StageBound> {
        self.rows
            .iter()
            .find(|r| r.stage == Stage::Transport && r.port == Some(p))
    }

    /// What row `i`'s "earliest finish" cell says.
    pub fn finish(&self, i: usize) -> Finish {
        let r = &self.rows[i];
        if let (Some(d), Some(dt)) = (r.earliest_day, r.earliest_date) {
            return Finish::Day(d, dt);
        }
        match r.people {
            _ if self.binding == Some(i) => Finish::NotReached,
            RowPeople::Shared => Finish::Shared,
            RowPeople::NoRoute => Finish::NoRoute,
            _ if r.unlimited => Finish::Blank,
            RowPeople::All | RowPeople::Own => Finish::NotReached,
        }
    }

    /// Name of the binding stage, or "none".
    pub fn binding_name(&self) -> &str {
        self.binding
            .map(|i| self.rows[i].name.as_str())
            .unwrap_or("none")
    }
}

/// P(X < x) of a duration distribution \[days\]: the CDF's left limit, which differs from it
/// at a value the distribution takes with positive probability. A group registering at t is
/// counted on day floor(t), so those registered by the end of day d are those with t < d + 1: a
/// delay of exactly 120 days registers on day 120, not by the end of day 119.
pub fn cdf_before(dist: &Dist, x: f64) -> f64 {
    match dist {
        Dist::Fixed(v) => (x > *v) as u8 as f64,
        Dist::Exponential { mean, .. } if *mean <= 0.0 => (x > 0.0) as u8 as f64,
        Dist::Uniform { min, max, .. } if max <= min => (x > *min) as u8 as f64,
        Dist::Empirical { values, cumulative } => {
            let mut prev = 0.0;
            let mut p = 0.0;
            for (v, c) in values.iter().zip(cumulative) {
                if *v < x {
                    p += c - prev;
                }
                prev = *c;
            }
            p
        }
        // Continuous: no value has positive probability, but a degenerate one (sd 0) does.
        Dist::LogNormal { mean, sd, .. } | Dist::Gamma { mean, sd, .. } if *sd <= 0.0 => {
            (x > *mean) as u8 as f64
        }
        _ => cdf(dist, x),
    }
}

/// CDF of a duration distribution at x \[days\].
pub fn cdf(dist: &Dist, x: f64) -> f64 {
    if x < 0.0 {
        return 0.0;
    }
    match dist {
        Dist::Fixed(v) => {
            if x >= *v {
                1.0
            } else {
                0.0
            }
        }
        Dist::Exponential { mean, .. } => {
            if *mean <= 0.0 {
                1.0
            } else {
                1.0 - (-x / mean).exp()
            }
        }
        Dist::Uniform { min, max, .. } => {
            if max <= min {
                (x >= *min) as u8 as f64
            } else {
                ((x - min) / (max - min)).clamp(0.0, 1.0)
            }
        }
        Dist::Triangular { min, mode, max, .. } => {
            let (a, c, b) = (*min, *mode, *max);
            if x <= a {
                0.0
            } else if x >= b {
                1.0
            } else if x <= c {
                (x - a).powi(2) / ((b - a) * (c - a))
            } else {
                1.0 - (b - x).powi(2) / ((b - a) * (b - c))
            }
        }
        Dist::LogNormal { mean, sd, .. } => {
            let s2 = (1.0 + (sd / mean).powi(2)).ln();
            let mu = mean.ln() - s2 / 2.0;
            match LogNormal::new(mu, s2.sqrt()) {
                Ok(d) if x > 0.0 => d.cdf(x),
                Ok(_) => 0.0,
                Err(_) => (x >= *mean) as u8 as f64,
            }
        }
        Dist::Gamma { mean, sd, .. } => {
            let shape = (mean / sd).powi(2);
            let rate = mean / (sd * sd);
            match Gamma::new(shape, rate) {
                Ok(d) => d.cdf(x),
                Err(_) => (x >= *mean) as u8 as f64,
            }
        }
        Dist::Empirical { values, cumulative } => {
            let mut prev = 0.0;
            let mut p = 0.0;
            for (v, c) in values.iter().zip(cumulative) {
                if *v <= x {
                    p += c - prev;
                }
                prev = *c;
            }
            p
        }
    }
}

/// Largest factor in force at any time of [d, d+1).
fn max_factor(f: &Factor, d: i64) -> f64 {
    let a = d as f64;
    let mut m = f.at(a);
    for b in f.boundaries() {
        if b > a && b < a + 1.0 {
            m = m.max(f.at(b));
        }
    }
    m
}

/// Groups the servers can serve in [t0, t1), in people \[people/day\]: a service starts only
/// while the stage is open but may run past its close, so each server starts ⌈L / mean
/// service⌉ services in an opening of length L (one at least: a 4-hour service in a 1-hour
/// opening is served once a day, not a quarter of one), and no more than (t1 − t0) / mean
/// service in all (a server busy for 10 days at a time starts a tenth of a service a day,
/// however often the stage opens).
fn server_capacity(
    servers: Option<u32>,
    schedule: &crate::scenario::Schedule,
    service: &Dist,
    mean_group: f64,
    t0: f64,
    t1: f64,
) -> f64 {
    let mean = service.mean();
    let servers = match servers {
        Some(0) => return 0.0, // nobody serves, whatever the service time
        None => return f64::INFINITY,
        Some(_) if mean <= 0.0 => return f64::INFINITY,
        Some(c) => c as f64,
    };
    if t1 <= t0 {
        return 0.0;
    }
    let mut starts = 0.0;
    for d in t0.floor() as i64..=t1.ceil() as i64 {
        for (a, b) in schedule.open_intervals(d) {
            let (a, b) = (a.max(t0), b.min(t1));
            if b > a {
                // (less a hair, so that 10 hours of 15-minute services are 40, not 41)
                starts += ((b - a) / mean - 1e-9).ceil().max(1.0);
            }
        }
    }
    servers * starts.min((t1 - t0) / mean) * mean_group
}

/// Expected people registered by the end of each day \[people\], cumulative.
fn registered_by(scn: &Scenario, days: usize) -> Vec<f64> {
    let keep = 1.0 - scn.registration.never;
    let cohorts: Vec<(f64, f64)> = std::iter::once(&scn.backlog)
        .chain(scn.phases.iter())
        .map(|c| (c.people as f64 * keep, c.opens))
        .collect();
    (0..days)
        .map(|d| {
            cohorts
                .iter()
                // (less the schedule's round-off: a phase opening at 0.7 with a delay of 0.3
                // registers at 1.0, which `day_of` reads as day 1, though 1.0 − 0.7 > 0.3)
                .map(|(n, o)| n * cdf_before(&scn.registration.delay, d as f64 + 1.0 - o - 1e-9))
                .sum()
        })
        .collect()
}

/// Cumulative people whose cohort has opened by day d \[people\], times (1 − never).
fn opened_by(scn: &Scenario, days: usize) -> Vec<f64> {
    let keep = 1.0 - scn.registration.never;
    (0..days)
        .map(|d| {
            std::iter::once(&scn.backlog)
                .chain(scn.phases.iter())
                .filter(|c| c.opens.floor() as i64 <= d as i64)
                .map(|c| c.people as f64 * keep)
                .sum()
        })
        .collect()
}

/// People the bound of a share of the origins (1 for all) counts on \[people\]: the expected
/// people of origins with `share` among those who register, less three standard deviations,
/// since each group's origin and reach are drawn at random (a replication has fewer in about 1
/// in 700). Given the groups' sizes (which add up to the cohorts), each group of size s counts
/// with probability p = share × (1 − never): variance Σ s² p (1 − p) = groups × E[s²] × p(1 − p).
/// Bounding with the expected number alone, a stage that truly binds would be beaten by half
/// the replications.
fn share_people(scn: &Scenario, share: f64) -> f64 {
    let p = (share * (1.0 - scn.registration.never)).clamp(0.0, 1.0);
    let groups = scn.cohort_people() as f64 / scn.group_size.mean().max(1.0);
    let var = groups * scn.group_size.mean_square() * p * (1.0 - p);
    (scn.cohort_people() as f64 * p - 3.0 * var.sqrt()).max(0.0)
}

/// Per cohort: its people and, for each day d, the chance that one of its groups registers only
/// after the day (at d + 1 or later), P(delay ends after d + 1 − opens). Computed once for
/// [`late_people`], whose shares (every set of ports) all read it.
fn registering_after(scn: &Scenario, days: usize) -> Vec<(f64, Vec<f64>)> {
    std::iter::once(&scn.backlog)
        .chain(scn.phases.iter())
        .map(|c| {
            let after = (0..days)
                .map(|d| 1.0 - cdf_before(&scn.registration.delay, d as f64 + 1.0 - c.opens - 1e-9))
                .collect();
            (c.people as f64, after)
        })
        .collect()
}

/// People of origins with `share` who register only after each day d (at d + 1 or later), less
/// three standard deviations as in [`share_people`], 0 at least \[people\]. Each group counts
/// with probability p = share × (1 − never) × P(its delay ends after d + 1), from
/// [`registering_after`].
fn late_people(scn: &Scenario, after: &[(f64, Vec<f64>)], share: f64, days: usize) -> Vec<f64> {
    let keep = 1.0 - scn.registration.never;
    let (g, g2) = (scn.group_size.mean().max(1.0), scn.group_size.mean_square());
    (0..days)
        .map(|d| {
            let (mut mean, mut var) = (0.0, 0.0);
            for (n, a) in after {
                let p = (share * keep * a[d]).clamp(0.0, 1.0);
                mean += n * p;
                var += n / g * g2 * p * (1.0 - p);
            }
            (mean - 3.0 * var.sqrt()).max(0.0)
        })
        .collect()
}

/// The latest day by which the people registering late must have passed a stage of capacity
/// `cap` per day: for each day s, the `late[s]` people who register after it are served on days
/// s + 1 on, so the stage finishes no sooner than the day its capacity from s + 1 has passed
/// them. `None` when some never pass within the days. A stage closed after the last
/// registrations (a port closed from day 100 to 200) holds its late people until it reopens,
/// which the fluid through it from the cohorts' opening, every person there from the start,
/// does not see.
fn tail_finish(late: &[f64], cap: &[f64]) -> Option<(i64, usize)> {
    // Cumulative capacity: through[d] is what days 0..=d pass.
    let through: Vec<f64> = cap
        .iter()
        .scan(0.0, |acc, c| {
            *acc += c;
            Some(*acc)
        })
        .collect();
    let mut worst = (0i64, 0usize);
    for (s, &need) in late.iter().enumerate() {
        // (late people only decrease with the day)
        if need <= 0.5 {
            break;
        }
        let before = through[s];
        let t = through[s + 1..].partition_point(|&x| x - before < need - 1e-6);
        if s + 1 + t >= through.len() {
            return None;
        }
        if (s + 1 + t) as i64 > worst.0 {
            worst = ((s + 1 + t) as i64, s);
        }
    }
    Some(worst)
}

/// Days past the registrations' end (the registration row's finish) from which a stage's
/// holding of the people registering late counts in its bound: a stage that passes them within
/// a week (weekends, opening hours) is not what sets the date, a closure after the last
/// registrations is.
const TAIL_DAYS: i64 = 7;

/// [`fluid_finish`] from the cohorts' opening; and when the people registering late (`late`)
/// need the stage more than [`TAIL_DAYS`] past `reg_finish`, [`tail_finish`]'s day instead,
/// with the day after which they register (for a note). A registration that does not finish
/// within the days leaves the fluid's finish.
fn stage_finish(
    arrived: &[f64],
    cap: &[f64],
    people: f64,
    late: &[f64],
    reg_finish: Option<i64>,
) -> (Option<i64>, Option<usize>) {
    let f = fluid_finish(arrived, cap, people);
    let (Some(fd), Some(reg)) = (f, reg_finish) else {
        return (f, None);
    };
    if people <= 0.5 {
        return (f, None);
    }
    match tail_finish(late, cap) {
        None => (None, None),
        Some((t, s)) if t > fd && t > reg + TAIL_DAYS => (Some(t), Some(s)),
        Some(_) => (f, None),
    }
}

/// The note of a stage whose bound is set by the people registering late ([`stage_finish`]).
fn tail_note(notes: &mut Vec<String>, name: &str, after: Option<usize>, day: Option<i64>) {
    if let (Some(s), Some(d)) = (after, day) {
        notes.push(format!(
            "{name}: the people expected to register after day {s} pass it no sooner than day \
             {d}, given its capacity from then on, so its bound is that day, later than its \
             capacity from the start gives."
        ));
    }
}

/// First day on which a fluid with arrivals `arrived` (cumulative) and capacity `cap` per day has
/// passed `people`.
fn fluid_finish(arrived: &[f64], cap: &[f64], people: f64) -> Option<i64> {
    if people <= 0.5 {
        return Some(0);
    }
    let mut out = 0.0f64;
    for (d, (a, c)) in arrived.iter().zip(cap).enumerate() {
        out = a.min(out + c);
        if out >= people - 1e-6 {
            return Some(d as i64);
        }
    }
    None
}

fn sum_caps(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x + y).collect()
}

/// The routes from origin `o`, in scenario order.
fn routes_from(scn: &Scenario, o: usize) -> impl Iterator<Item = usize> + '_ {
    (0..scn.routes.len()).filter(move |&r| scn.routes[r].origin == o)
}

/// The routes to port `p`, in scenario order.
fn routes_to(scn: &Scenario, p: usize) -> impl Iterator<Item = usize> + '_ {
    (0..scn.routes.len()).filter(move |&r| scn.routes[r].port == p)
}

/// The port whose routes are exactly origin `o`'s (its transport is that port's), if any;
/// `None` for an origin without routes.
fn own_port(scn: &Scenario, o: usize) -> Option<usize> {
    routes_from(scn, o).next()?;
    (0..scn.ports.len()).find(|&p| routes_to(scn, p).eq(routes_from(scn, o)))
}

/// Capacity of one route on day d \[people\], infinite when unlimited; `factor` is the product
/// of its disruptions. A port's `holding` limit caps what one departure can take toward it (the
/// people waiting at the port and in transit to it, the bus's own among them, never exceed it).
/// On a continuous route it caps only the long-run rate (holding / mean travel time a day),
/// which random travel times beat on some days: left out of the bound, noted instead.
fn route_capacity(scn: &Scenario, r: usize, factor: &Factor, d: i64) -> f64 {
    let route = &scn.routes[r];
    let holding = scn.ports[route.port].holding.map(|h| h as f64);
    // Without a seat limit a route is unlimited while a factor above 0 leaves it open.
    let open = |f: f64| if f > 0.0 { f64::INFINITY } else { 0.0 };
    let times = match &route.departures {
        Departures::Continuous => return open(max_factor(factor, d)),
        Departures::Scheduled(t) => t,
    };
    let wd = (d + scn.start_weekday() as i64).rem_euclid(7) as usize;
    if !route.days[wd] {
        return 0.0;
    }
    times
        .iter()
        .map(|t| {
            let f = factor.at(d as f64 + t);
            let seats = match route.seats {
                Some(seats) => scaled(seats as f64, f) as f64,
                None => open(f),
            };
            holding.map_or(seats, |h| seats.min(h))
        })
        .sum()
}

/// The largest backlog or phase group drawn \[people\]: sizes listed with weight 0 are never
/// drawn, and a cohort's last group is cut to what is left of it.
fn largest_group(scn: &Scenario) -> u64 {
    let cohort_max = std::iter::once(&scn.backlog)
        .chain(scn.phases.iter())
        .map(|c| c.people)
        .max()
        .unwrap_or(0);
    u64::from(scn.group_size.max_drawn()).min(cohort_max)
}

/// Each port's largest daily quota on any day up to the horizon, with the disruption factors in
/// force that day \[people/day\]; `UNLIMITED` without a quota.
fn most_quotas(scn: &Scenario) -> Vec<u64> {
    let days = (scn.horizon.ceil() as i64).max(1);
    scn.ports
        .iter()
        .zip(port_factors(scn))
        .map(|(port, f)| {
            (0..days)
                .map(|d| quota(port, d, max_factor(&f, d)))
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// The first origin (index) some of whose backlog or phase groups are never processed, and why:
/// the largest group drawn (at most the largest cohort, whose last group is cut to what is left)
/// is larger than the most any route from the origin takes at once on any day up to the horizon
/// (seats of a scheduled departure, its port's holding limit, and under `appointment` the port's
/// quota, each with the disruption factors in force that day), so those groups never travel; or,
/// under `fifo`, they travel but no route's port ever has the quota to serve them, and a group
/// that does not fit the day's quota holds up the port's queue behind it.
fn never_travel(scn: &Scenario) -> Option<(usize, String, bool)> {
    let largest = largest_group(scn);
    if largest == 0 {
        return None;
    }
    let appointment = scn.policy == crate::scenario::Policy::Appointment;
    let days = (scn.horizon.ceil() as i64).max(1);
    let quotas = most_quotas(scn);
    for (o, origin) in scn.origins.iter().enumerate() {
        if origin.share <= 0.0 || routes_from(scn, o).next().is_none() {
            continue;
        }
        let (mut travel_most, mut served_most) = (0u64, 0u64);
        let mut limits = Vec::new();
        for r in routes_from(scn, o) {
            let route = &scn.routes[r];
            let port = &scn.ports[route.port];
            let mut why = Vec::new();
            let mut travel = u64::MAX;
            if let (Departures::Scheduled(_), Some(seats)) = (&route.departures, route.seats) {
                let f = Factor::new(scn.disruptions.iter().filter(|x| x.routes.contains(&r)));
                let n = (0..days)
                    .map(|d| scaled(f64::from(seats), max_factor(&f, d)))
                    .max()
                    .unwrap_or(0);
                travel = travel.min(n);
                why.push(format!("{n} seats"));
            }
            if let Some(h) = port.holding {
                travel = travel.min(h);
                why.push(format!("holding {h}"));
            }
            let q = quotas[route.port];
            if q != UNLIMITED {
                why.push(format!("quota {q} a day"));
            }
            let served = travel.min(q);
            if appointment {
                travel = served;
            }
            travel_most = travel_most.max(travel);
            served_most = served_most.max(served);
            limits.push(format!("{}: {}", port.name, why.join(", ")));
        }
        let until = if scn.attrition_hazard > 0.0 {
            " until the last of them has dropped out"
        } else {
            ""
        };
        // (A route closed the whole time is "not reached" in its rows, as before.)
        if largest > travel_most && travel_most > 0 {
            return Some((
                o,
                format!(
                    "groups of up to {largest} people come from {}, but no route from it takes \
                     more than {travel_most} at once (to {}): those groups never travel and are \
                     never processed, so the backlog does not clear{until}",
                    origin.name,
                    limits.join("; "),
                ),
                false,
            ));
        }
        if largest > served_most && served_most > 0 && largest <= travel_most {
            return Some((
                o,
                format!(
                    "groups of up to {largest} people come from {}, but no port its routes lead \
                     to takes more than {served_most} a day (to {}): under fifo those groups \
                     travel but are never served, and each holds up its port's queue behind it, \
                     so the backlog does not clear{until}",
                    origin.name,
                    limits.join("; "),
                ),
                true,
            ));
        }
    }
    None
}

/// Under fifo, the ports whose quota (at most, day by day up to the horizon) is smaller than
/// the largest group of an origin with a route to them that can carry it: such a group can
/// board toward the port, is never served there, and holds up the port's queue behind it.
fn fifo_blocks(scn: &Scenario) -> Vec<String> {
    let largest = largest_group(scn);
    let quotas = most_quotas(scn);
    let mut out = Vec::new();
    for (p, port) in scn.ports.iter().enumerate() {
        let q = quotas[p];
        if q == UNLIMITED || q == 0 || largest <= q {
            continue;
        }
        let origins: Vec<&str> = routes_to(scn, p)
            .filter(|&r| {
                let route = &scn.routes[r];
                let seats_ok = match (&route.departures, route.seats) {
                    (Departures::Scheduled(_), Some(s)) => u64::from(s) >= largest,
                    _ => true,
                };
                seats_ok && port.holding.is_none_or(|h| h >= largest)
            })
            .map(|r| scn.origins[scn.routes[r].origin].name.as_str())
            .collect();
        let mut origins = origins;
        origins.dedup();
        if origins.is_empty() {
            continue;
        }
        out.push(format!(
            "Under fifo groups of up to {largest} people from {} can board toward {}, whose quota \
             is at most {q} a day: one that does is never served and holds up {}'s queue behind \
             it, so the backlog may not clear (the run shows whether it happens; `appointment` \
             books the quota at boarding).",
            origins.join(", "),
            port.name,
            port.name
        ));
    }
    out
}

/// Each port's disruption factors.
fn port_factors(scn: &Scenario) -> Vec<Factor> {
    (0..scn.ports.len())
        .map(|p| Factor::new(scn.disruptions.iter().filter(|x| x.ports.contains(&p))))
        .collect()
}

/// Each port's quota on days 0..days \[people/day\] (infinite when unlimited), its disruption
/// factor taken at its largest inside the day.
fn port_quotas(scn: &Scenario, factors: &[Factor], days: usize) -> Vec<Vec<f64>> {
    scn.ports
        .iter()
        .zip(factors)
        .map(|(port, f)| {
            (0..days as i64)
                .map(|d| match quota(port, d, max_factor(f, d)) {
                    UNLIMITED => f64::INFINITY,
                    q => q as f64,
                })
                .collect()
        })
        .collect()
}

/// The seats each route offers on days 0..days that can be used \[people/day\]: under
/// `appointment` none on a day its port takes no appointments (quota 0 in `port_quota`:
/// before it opens, on days it does not serve, closed by a disruption), since nobody boards
/// toward a port then.
fn usable_route_caps(scn: &Scenario, port_quota: &[Vec<f64>], days: usize) -> Vec<Vec<f64>> {
    let appointment = scn.policy == crate::scenario::Policy::Appointment;
    (0..scn.routes.len())
        .map(|r| {
            let factor = Factor::new(scn.disruptions.iter().filter(|x| x.routes.contains(&r)));
            let q = &port_quota[scn.routes[r].port];
            (0..days)
                .map(|d| {
                    if appointment && q[d] <= 0.0 {
                        0.0
                    } else {
                        route_capacity(scn, r, &factor, d as i64)
                    }
                })
                .collect()
        })
        .collect()
}

/// The capacity bounds of every stage and the lower bound on clearance they imply, from the
/// scenario alone (no simulation).
pub fn explain(scn: &Scenario) -> BottleneckReport {
    let days = (scn.horizon.ceil().max(1.0) as usize).min(MAX_DAYS);
    let g = scn.group_size.mean();
    let people = scn.cohort_people();
    let to_clear = people as f64 * (1.0 - scn.registration.never);
    let opened = opened_by(scn, days);
    // Whom the capacities must pass: those who register, allowing for chance (see
    // `share_people`).
    let all_people = share_people(scn, 1.0);
    let mut notes = Vec::new();
    let mut rows = Vec::new();
    let date = |d: Option<i64>| d.map(|d| scn.start_date + chrono::Duration::days(d));

    // Registration: the arrival curve.
    let reg = registered_by(scn, days);
    let reg_daily: Vec<f64> = reg
        .iter()
        .enumerate()
        .map(|(d, r)| if d == 0 { *r } else { r - reg[d - 1] })
        .collect();
    let reg_finish = reg
        .iter()
        .position(|r| to_clear - r < g.max(1.0) * 0.999_999)
        .map(|d| d as i64);
    rows.push(StageBound {
        stage: Stage::Registration,
        port: None,
        origin: None,
        name: "registration".into(),
        capacity: reg_daily,
        earliest_day: reg_finish,
        earliest_date: date(reg_finish),
        unlimited: false,
        people: RowPeople::All,
    });

    // Screening.
    let screening_cap: Vec<f64> = match &scn.screening {
        None => {
            notes.push("No [screening] stage: passed through at zero time.".into());
            vec![f64::INFINITY; days]
        }
        Some(s) => {
            let f = Factor::new(scn.disruptions.iter().filter(|x| x.screening));
            (0..days as i64)
                .map(|d| {
                    let servers = s
                        .servers
                        .map(|c| scaled(c as f64, max_factor(&f, d)) as u32);
                    server_capacity(
                        servers,
                        &s.schedule,
                        &s.service,
                        g,
                        d as f64,
                        d as f64 + 1.0,
                    )
                })
                .collect()
        }
    };
    // People registering late, of all origins: they pass each stage after they register.
    let after = registering_after(scn, days);
    let late_all = late_people(scn, &after, 1.0, days);
    let (screening_finish, tail) =
        stage_finish(&opened, &screening_cap, all_people, &late_all, reg_finish);
    tail_note(&mut notes, "Screening", tail, screening_finish);
    rows.push(StageBound {
        stage: Stage::Screening,
        port: None,
        origin: None,
        name: "screening".into(),
        unlimited: screening_cap.iter().all(|c| c.is_infinite()),
        capacity: screening_cap,
        earliest_day: screening_finish,
        earliest_date: date(screening_finish),
        people: RowPeople::All,
    });

    let port_factors = port_factors(scn);
    let port_quota = port_quotas(scn, &port_factors, days);

    // Transport: per route (the seats that can be used), then per port and per origin.
    let route_caps = usable_route_caps(scn, &port_quota, days);
    let zero = vec![0.0; days];
    // Transport toward each port: its routes' capacities.
    let to_port: Vec<Vec<f64>> = (0..scn.ports.len())
        .map(|p| routes_to(scn, p).fold(zero.clone(), |a, i| sum_caps(&a, &route_caps[i])))
        .collect();
    let transport_total = to_port.iter().fold(zero.clone(), |a, c| sum_caps(&a, c));
    let (transport_total_alone, tail) =
        stage_finish(&opened, &transport_total, all_people, &late_all, reg_finish);
    tail_note(&mut notes, "Transport", tail, transport_total_alone);
    let mut transport_finish = transport_total_alone;
    // Per origin: its seats, its own finish, and the port whose routes are exactly its own.
    let mut origin_rows: Vec<(Vec<f64>, Option<i64>, Option<usize>)> = Vec::new();
    for (o, origin) in scn.origins.iter().enumerate() {
        let cap = routes_from(scn, o).fold(zero.clone(), |a, i| sum_caps(&a, &route_caps[i]));
        let share: Vec<f64> = opened.iter().map(|a| a * origin.share).collect();
        let late = late_people(scn, &after, origin.share, days);
        let (f, tail) = stage_finish(
            &share,
            &cap,
            share_people(scn, origin.share),
            &late,
            reg_finish,
        );
        tail_note(
            &mut notes,
            &format!("Transport from {}", origin.name),
            tail,
            f,
        );
        transport_finish = match (transport_finish, f) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
        origin_rows.push((cap, f, own_port(scn, o)));
    }
    rows.push(StageBound {
        stage: Stage::Transport,
        port: None,
        origin: None,
        name: "transport".into(),
        unlimited: transport_total.iter().all(|c| c.is_infinite()),
        capacity: transport_total,
        earliest_day: transport_finish,
        earliest_date: date(transport_finish),
        people: RowPeople::All,
    });

    // Ports: each day's servers capacity, and the smaller of it and the quota.
    let port_servers: Vec<Vec<f64>> = scn
        .ports
        .iter()
        .enumerate()
        .map(|(p, port)| {
            let f = &port_factors[p];
            (0..days as i64)
                .map(|d| {
                    let m = max_factor(f, d);
                    let servers = port.servers.map(|s| scaled(s as f64, m) as u32);
                    server_capacity(
                        servers,
                        &port.schedule,
                        &port.service,
                        g,
                        (d as f64).max(port.opens),
                        d as f64 + 1.0,
                    )
                })
                .collect()
        })
        .collect();
    let port_caps: Vec<Vec<f64>> = port_quota
        .iter()
        .zip(&port_servers)
        .map(|(q, sc)| q.iter().zip(sc).map(|(q, s)| q.min(*s)).collect())
        .collect();
    // The finish of a set of ports (a bit mask) for `people` who arrive as `arrived`. Under
    // fifo the quota counts service starts, so a day passes the smaller of quota and servers.
    // Under appointment it counts boardings: people booked on a day of high quota can be
    // served on later days of spare servers, so the two bind apart: the later of the finish
    // through the quotas alone and through the servers alone.
    let appointment = scn.policy == crate::scenario::Policy::Appointment;
    let set_finish = |set: u64, arrived: &[f64], people: f64, late: &[f64]| {
        let sum = |caps: &[Vec<f64>]| {
            (0..scn.ports.len())
                .filter(|p| set & (1u64 << p) != 0)
                .fold(zero.clone(), |a, p| sum_caps(&a, &caps[p]))
        };
        if appointment {
            let q = stage_finish(arrived, &sum(&port_quota), people, late, reg_finish);
            let s = stage_finish(arrived, &sum(&port_servers), people, late, reg_finish);
            match (q.0, s.0) {
                (Some(a), Some(b)) if a >= b => q,
                (Some(_), Some(_)) => s,
                _ => (None, None),
            }
        } else {
            stage_finish(arrived, &sum(&port_caps), people, late, reg_finish)
        }
    };
    let all_ports: u64 = if scn.ports.len() >= 64 {
        u64::MAX
    } else {
        (1u64 << scn.ports.len()) - 1
    };
    let ports_total = port_caps.iter().fold(zero.clone(), |a, c| sum_caps(&a, c));
    let (mut ports_finish, tail) = set_finish(all_ports, &opened, all_people, &late_all);
    tail_note(&mut notes, "All ports together", tail, ports_finish);
    // People whose every route leads into a set of ports must pass those ports: for each set
    // (every set up to MAX_PORT_SETS ports, else each port alone), its origins' share against
    // its capacity. A port alone keeps its own finish for its row.
    let port_mask: Vec<u64> = (0..scn.origins.len())
        .map(|o| {
            scn.routes
                .iter()
                .filter(|r| r.origin == o)
                .fold(0u64, |m, r| m | 1u64 << (r.port % 64))
        })
        .collect();
    let sets: Vec<u64> = match scn.ports.len() {
        n if n <= MAX_PORT_SETS => (1..1u64 << n).collect(),
        n if n <= 64 => (0..n).map(|p| 1u64 << p).collect(),
        _ => Vec::new(),
    };
    let mut port_own_finish: Vec<Option<i64>> = vec![None; scn.ports.len()];
    for set in sets {
        let share: f64 = scn
            .origins
            .iter()
            .zip(&port_mask)
            .filter(|(_, m)| **m != 0 && **m & !set == 0)
            .map(|(o, _)| o.share)
            .sum();
        if share <= 0.0 {
            continue;
        }
        let arrived: Vec<f64> = opened.iter().map(|a| a * share).collect();
        let late = late_people(scn, &after, share, days);
        let (f, tail) = set_finish(set, &arrived, share_people(scn, share), &late);
        if set.is_power_of_two() {
            let p = set.trailing_zeros() as usize;
            port_own_finish[p] = f;
            tail_note(&mut notes, &format!("Port {}", scn.ports[p].name), tail, f);
        }
        ports_finish = match (ports_finish, f) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
    }
    let ports_total_alone = set_finish(all_ports, &opened, all_people, &late_all).0;
    rows.push(StageBound {
        stage: Stage::Port,
        port: None,
        origin: None,
        name: "ports".into(),
        unlimited: ports_total.iter().all(|c| c.is_infinite()),
        capacity: ports_total,
        earliest_day: ports_finish,
        earliest_date: date(ports_finish),
        people: RowPeople::All,
    });

    for (p, port) in scn.ports.iter().enumerate() {
        let t = to_port[p].clone();
        // The finish of the one origin whose routes are exactly this port's.
        let own_origin = origin_rows.iter().position(|(_, _, q)| *q == Some(p));
        let own = own_origin.and_then(|o| origin_rows[o].1);
        let routed = port_mask.iter().any(|m| *m & (1u64 << (p % 64)) != 0);
        let whose = |own: bool| match (routed, own) {
            (false, _) => RowPeople::NoRoute,
            (true, true) => RowPeople::Own,
            (true, false) => RowPeople::Shared,
        };
        rows.push(StageBound {
            stage: Stage::Transport,
            port: Some(p),
            origin: own_origin,
            name: format!("transport → {}", port.name),
            unlimited: t.iter().all(|c| c.is_infinite()),
            capacity: t,
            earliest_day: own,
            earliest_date: date(own),
            people: whose(own_origin.is_some()),
        });
        let c = port_caps[p].clone();
        rows.push(StageBound {
            stage: Stage::Port,
            port: Some(p),
            origin: None,
            name: format!("port {}", port.name),
            unlimited: c.iter().all(|c| c.is_infinite()),
            capacity: c,
            earliest_day: port_own_finish[p],
            earliest_date: date(port_own_finish[p]),
            people: whose(port_mask.iter().any(|m| *m == 1u64 << (p % 64))),
        });
    }

    // Transport from each origin whose routes are not exactly one port's.
    for (o, (cap, f, own_port)) in origin_rows.into_iter().enumerate() {
        if own_port.is_some() || cap.iter().all(|c| c.is_infinite()) || scn.origins.len() < 2 {
            continue;
        }
        rows.push(StageBound {
            stage: Stage::Transport,
            port: None,
            origin: Some(o),
            name: format!("transport from {}", scn.origins[o].name),
            unlimited: false,
            capacity: cap,
            earliest_day: f,
            earliest_date: date(f),
            people: RowPeople::Own,
        });
    }

    // The binding stage: latest earliest finish among totals (never-finishing counts as latest).
    let mut binding = None;
    let mut latest: Option<Option<i64>> = None;
    for (i, r) in rows.iter().enumerate().take(4) {
        let later = match (latest, r.earliest_day) {
            (None, _) => true,
            (Some(None), _) => false,
            (Some(Some(_)), None) => true,
            (Some(Some(a)), Some(b)) => b > a || (b == a && !r.unlimited),
        };
        if later {
            latest = Some(r.earliest_day);
            binding = Some(i);
        }
    }
    let mut lower_bound_day = latest.flatten();
    let never_travel = never_travel(scn);
    // The ports (or transport) bind through one port's own origins (one origin's routes), later
    // than all of them together would: name that row.
    if let (Some(b), Some(day)) = (binding, lower_bound_day) {
        let alone = match rows[b].stage {
            Stage::Port => ports_total_alone,
            Stage::Transport => transport_total_alone,
            _ => None,
        };
        if alone.is_some_and(|t| t < day) {
            let stage = rows[b].stage;
            if let Some(i) = rows.iter().position(|r| {
                r.stage == stage
                    && (r.port.is_some() || r.origin.is_some())
                    && r.earliest_day == Some(day)
            }) {
                binding = Some(i);
            }
        }
    }
    // Groups too large for every way out of their origin: no day passes everyone.
    if let Some((o, _, at_port)) = &never_travel {
        lower_bound_day = None;
        // The origin's transport, or under fifo the port that cannot serve them.
        let first_port = routes_from(scn, *o).next().map(|r| scn.routes[r].port);
        binding = if *at_port {
            rows.iter()
                .position(|r| r.stage == Stage::Port && r.port == first_port)
        } else {
            rows.iter()
                .position(|r| r.stage == Stage::Transport && r.origin == Some(*o))
                .or_else(|| {
                    rows.iter()
                        .position(|r| r.stage == Stage::Transport && r.port == first_port)
                })
        }
        .or(binding);
    }
    if scn.registration.never > 0.0 {
        notes.push(format!(
            "People to clear exclude the {:.1}% expected never to register.",
            scn.registration.never * 100.0
        ));
    }
    if scn.attrition_hazard > 0.0 {
        notes.push("Attrition is ignored: everyone who registers is counted as passing every stage (nobody drops out).".into());
    }
    if let Some(f) = &scn.inflow {
        // Small rates keep a decimal ("0.5 people a day", not "0"); days keep two at most.
        let short = |x: f64| {
            let r = if x.abs() >= 10.0 {
                x.round()
            } else if x.abs() >= 1.0 {
                (x * 10.0).round() / 10.0
            } else {
                // Two significant digits: 0.04, 0.33.
                format!("{x:.1e}").parse().unwrap_or(x)
            };
            format!("{r}")
        };
        let day = |x: f64| format!("{}", (x * 100.0).round() / 100.0);
        notes.push(format!(
            "The inflow ({} groups a day, about {} people a day, from day {} to day {}) is left \
             out of the bounds: it uses the same capacity, so with it clearance comes later.",
            short(f.rate_per_day),
            short(f.rate_per_day * scn.group_size.mean()),
            day(f.from),
            day(f.until)
        ));
    }
    // A holding limit below a bus's seats: the transport rows count the holding, not the seats.
    let mut holding_notes = Vec::new();
    let mut travel_limits = false;
    for (p, port) in scn.ports.iter().enumerate() {
        let Some(h) = port.holding else { continue };
        let mut seats = 0u64;
        let mut continuous = Vec::new();
        for r in routes_to(scn, p) {
            let route = &scn.routes[r];
            match &route.departures {
                Departures::Scheduled(_) => {
                    seats = seats.max(route.seats.map_or(u64::MAX, u64::from))
                }
                Departures::Continuous if route.travel.mean() > 0.0 => {
                    continuous.push(h as f64 / route.travel.mean())
                }
                Departures::Continuous => {}
            }
        }
        let waiting = "people waiting there or in transit to it";
        if seats > h {
            holding_notes.push(format!(
                "Port {}'s holding limit ({h} {waiting}) lets at most {h} board one departure \
                 toward it ({}): the transport rows count that, and a larger holding limit \
                 raises them.",
                port.name,
                match seats {
                    u64::MAX => "its buses have no seat limit".to_string(),
                    s => format!("its buses have up to {s} seats"),
                }
            ));
        }
        if let Some(rate) = continuous.into_iter().reduce(f64::max) {
            travel_limits = true;
            holding_notes.push(format!(
                "Port {}'s holding limit ({h} {waiting}) holds a continuous route toward it to \
                 about {} people a day over time: the limit over the mean travel time, since \
                 everyone in transit counts against it. Random travel times let more through on \
                 some days, so the bound leaves it out: expect clearance later than the bound.",
                port.name,
                fmt_rate(rate)
            ));
        }
    }
    if scn.health.is_some() {
        notes.push(format!(
            "Health-check and travel times delay groups but limit no capacity{}; they are not \
             in the bounds.",
            if !travel_limits {
                ""
            } else {
                " (travel only through a holding limit, below)"
            }
        ));
    }
    notes.extend(holding_notes);
    // Under fifo nothing at boarding looks at the quota: a group larger than one port's quota
    // can board toward it (if never_travel did not already say the backlog cannot clear).
    if scn.policy == crate::scenario::Policy::Fifo && never_travel.is_none() {
        notes.extend(fifo_blocks(scn));
    }
    notes.push(
        "The bound takes mean service times and the expected registrations: for quotas, seats \
         and holding limits on scheduled routes it counts three standard deviations fewer people \
         than expected (who registers, from where, and when, are drawn at random), so about one \
         replication in a thousand can clear before it; random service, service started until \
         closing time, or a continuous registration delay can let more clear a little before it."
            .into(),
    );
    if scn.policy == crate::scenario::Policy::Appointment {
        notes.push(
            "Under appointment nobody boards toward a port on a day it takes no appointments, \
             so the transport rows count seats only on the days their ports serve; and a \
             port's quota counts boardings, whose people its servers can serve on later days, \
             so its finish takes the quota and the servers apart (its capacity shows the \
             smaller)."
                .into(),
        );
        // A port whose buses and quota give the same finish: raising one alone changes nothing.
        for (p, port) in scn.ports.iter().enumerate() {
            let finish = |stage: Stage| {
                rows.iter()
                    .find(|r| r.stage == stage && r.port == Some(p))
                    .and_then(|r| r.earliest_day)
            };
            if let (Some(t), Some(q)) = (finish(Stage::Transport), finish(Stage::Port)) {
                // Said only where that day is the bound: elsewhere neither row binds.
                if t == q && Some(t) == lower_bound_day {
                    notes.push(format!(
                        "The transport to {0} and port {0} finish on the same day: its buses and \
                         its capacity bind together, so raising only one of them does not bring \
                         that day forward.",
                        port.name
                    ));
                }
            }
        }
    }
    if rows.iter().any(|r| r.people == RowPeople::Shared) {
        notes.push(
            "\"shared\": the row's capacity serves people who can also be served elsewhere, or \
             several origins' buses, so it has no finish of its own; the totals (and the rows \
             \"transport from …\") bound those people."
                .into(),
        );
    }
    if rows.iter().any(|r| r.people == RowPeople::NoRoute) {
        notes.push(
            "\"no route\": no [[route]] leads to the port, so nobody is processed there.".into(),
        );
    }
    if lower_bound_day.is_none() && never_travel.is_none() {
        notes.push(format!(
            "Some stage does not pass everyone within the {} analysed.",
            days_text(days as f64)
        ));
    }
    BottleneckReport {
        scenario: scn.name.clone(),
        start_date: scn.start_date,
        people,
        to_clear,
        days,
        rows,
        binding,
        lower_bound_day,
        lower_bound_date: date(lower_bound_day),
        never_travel: never_travel.map(|(_, why, _)| why),
        notes,
        attrition: scn.attrition_hazard > 0.0,
    }
}

fn fmt_rate(x: f64) -> String {
    if x.is_infinite() {
        "unlimited".into()
    } else {
        fmt_int(x.round())
    }
}

/// Print the report of `explain` as a table.
pub fn print_explain(report: &BottleneckReport, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "Bottleneck analysis of \"{}\" (from the scenario, no simulation)",
        report.scenario
    )?;
    writeln!(
        out,
        "People to clear: {} (backlog and phases), {} expected to register",
        fmt_int(report.people as f64),
        fmt_int(report.to_clear)
    )?;
    writeln!(out)?;
    let horizon = report.mean_window();
    // Each row's name (indented under its stage) and finish, then columns that fit them: the
    // stage at least 32 characters wide, the finish at least 16.
    let cells: Vec<(String, String)> = (0..report.rows.len())
        .map(|i| {
            let r = &report.rows[i];
            let name = if r.port.is_some() || r.origin.is_some() {
                format!("  {}", r.name)
            } else {
                r.name.clone()
            };
            let finish = match report.finish(i) {
                Finish::Day(d, dt) => format!("day {d} {}", dt.format("%Y-%m-%d")),
                Finish::NotReached => "not reached".into(),
                Finish::Shared => "shared".into(),
                Finish::NoRoute => "no route".into(),
                Finish::Blank => "".into(),
            };
            (name, finish)
        })
        .collect();
    let width = |f: fn(&(String, String)) -> &String, least: usize| {
        cells
            .iter()
            .map(|c| f(c).chars().count())
            .fold(least, usize::max)
    };
    let nw = width(|c| &c.0, 32);
    let fw = width(|c| &c.1, 16);
    writeln!(
        out,
        "{:<nw$} {:>14} {:>14} {:>fw$}",
        "stage", "mean [ppl/day]", "peak [ppl/day]", "earliest finish"
    )?;
    writeln!(out, "{}", "-".repeat(nw + fw + 31))?;
    for (r, (name, finish)) in report.rows.iter().zip(&cells) {
        writeln!(
            out,
            "{:<nw$} {:>14} {:>14} {:>fw$}",
            name,
            fmt_rate(r.mean_capacity(horizon)),
            fmt_rate(r.peak_capacity()),
            finish
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Mean capacity {}{}. Registration: expected people registering per day.",
        if horizon == 0 {
            "on day 0".to_string()
        } else {
            format!("over days 0–{horizon}")
        },
        if report.lower_bound_day.is_none() && horizon > 0 {
            " (the first weeks: with no day by which everyone can be through, there is no \
             finish to average up to)"
        } else {
            ""
        }
    )?;
    match (report.lower_bound_day, report.lower_bound_date) {
        (Some(d), Some(dt)) => writeln!(
            out,
            "Binding stage: {}. From capacities alone, {} day {d} ({}){}.",
            report.binding_name(),
            report.bound_phrase(),
            dt.format("%Y-%m-%d"),
            if report.attrition_loosens() {
                "; drop-outs leave fewer people to pass, so a run can clear sooner"
            } else {
                ""
            }
        )?,
        _ => match &report.never_travel {
            Some(why) => writeln!(out, "Binding stage: {}. Some {why}.", report.binding_name())?,
            None => writeln!(
                out,
                "Binding stage: {}. It does not clear the backlog within the {} analysed.",
                report.binding_name(),
                days_text(report.days as f64)
            )?,
        },
    }
    for n in &report.notes {
        writeln!(out, "Note: {n}")?;
    }
    Ok(())
}

/// Load of one stage in one period.
#[derive(Debug, Clone)]
pub struct StageLoad {
    /// The stage this row loads.
    pub stage: Stage,
    /// The port (index into `Scenario::ports`) of a row of one port: the port itself, or the
    /// transport toward it; `None` for a stage total, an origin's transport, registration and
    /// the health check.
    pub port: Option<usize>,
    /// Display name of the row: "screening", "transport", "transport → San Ysidro", "transport
    /// from Tijuana", "port San Ysidro", "registration", "health check".
    pub name: String,
    /// Throughput over capacity in the period \[fraction\]; `None` when unlimited or no capacity.
    pub utilization: Option<f64>,
    /// Mean people waiting in front of the stage; for registration, the people still expected
    /// to register; for the health check, the people in it or its isolation \[people\].
    pub queue: f64,
    /// Mean throughput \[people/day\]; NaN for the health check (not measured: it has no
    /// capacity to compare it with).
    pub throughput: f64,
    /// No capacity at all in the period (zero servers, quota or seats, or closed) while people
    /// wait in front: nothing passes, so the stage binds whatever else is full.
    pub blocked: bool,
}

/// The stage that binds in one period of a run.
#[derive(Debug, Clone)]
pub struct PeriodBinding {
    /// First day of the period \[day index\].
    pub from_day: usize,
    /// One past the last day \[day index\].
    pub to_day: usize,
    /// The date of `from_day` (the scenario's start date + `from_day` days).
    pub from_date: NaiveDate,
    pub stage: Stage,
    pub port: Option<usize>,
    /// Display name of the binding stage.
    pub name: String,
    /// Utilization of the binding stage \[fraction\].
    pub utilization: Option<f64>,
    /// Mean people waiting in front of it (for registration and the health check, as
    /// [`StageLoad::queue`]) \[people\].
    pub queue: f64,
    /// Every stage's load in the period.
    pub loads: Vec<StageLoad>,
}

/// Transport from one origin in `bind_with`: its name, its seats and its boardings per day
/// \[people/day\], and its people ready to travel \[people\].
type OriginLoad<'a> = (String, Vec<f64>, Vec<f64>, &'a [f64], Vec<usize>);

/// Median clearance day over replications, falling back to the daily series' length.
pub fn median_clearance(run: &ChartInput<'_>) -> f64 {
    let mut v: Vec<f64> = run.clearance_days.to_vec();
    if v.is_empty() {
        return run.daily.days as f64;
    }
    v.sort_by(f64::total_cmp);
    quantile_sorted(&v, 0.5)
}

/// The daily means of a series, `None` when the run has no such series (saved before it
/// existed).
fn series_means(daily: &DailyBands, name: &str) -> Option<Vec<f64>> {
    let s = daily.series_index(name)?;
    Some((0..daily.days).map(|d| daily.get(d, s).mean).collect())
}

/// The daily means of a series, 0 when the run has no such series.
fn mean_series(daily: &DailyBands, name: &str) -> Vec<f64> {
    series_means(daily, name).unwrap_or_else(|| vec![0.0; daily.days])
}

/// `a` less `b` day by day, at least 0 (`a` itself without `b`): those ready to travel, from
/// `waiting_ready` and `in_health`.
fn less(a: Vec<f64>, b: Option<Vec<f64>>) -> Vec<f64> {
    match b {
        Some(b) => a.iter().zip(&b).map(|(x, y)| (x - y).max(0.0)).collect(),
        None => a,
    }
}

/// Per week, the stage that binds (see the module documentation for the rule), up to the median
/// clearance day.
pub fn bind(scn: &Scenario, run: &ChartInput<'_>) -> Vec<PeriodBinding> {
    let rep = explain(scn);
    bind_with(scn, &rep, run)
}

/// `bind` with an already computed `explain` report.
pub fn bind_with(
    scn: &Scenario,
    rep: &BottleneckReport,
    run: &ChartInput<'_>,
) -> Vec<PeriodBinding> {
    let daily = run.daily;
    let end = (median_clearance(run).ceil() as usize)
        .min(daily.days)
        .min(rep.days);
    if end == 0 {
        return vec![];
    }
    let ws = mean_series(daily, "waiting_screening");
    let wr = mean_series(daily, "waiting_ready");
    // People in the health check or its isolation, part of `waiting_ready` but not waiting for
    // transport (`None` for a run saved before the series existed).
    let in_health = series_means(daily, "in_health");
    // Ready to travel: `waiting_ready` less those in the health check.
    let ready_all = less(wr.clone(), in_health.clone());
    let it = mean_series(daily, "in_transit");
    let wp = mean_series(daily, "waiting_port");
    let port_thr: Vec<Vec<f64>> = scn
        .ports
        .iter()
        .map(|p| mean_series(daily, &format!("processed_today:{}", p.name)))
        .collect();
    // Under `appointment` the quota is enforced at boarding, so the people a port's quota holds
    // back wait in the ready queues: count those of the origins with a route to the port as in
    // front of it too (all of `waiting_ready` for a run saved before the per-origin series).
    let appointment = scn.policy == crate::scenario::Policy::Appointment;
    let per_origin: Option<Vec<Vec<f64>>> = scn
        .origins
        .iter()
        .map(|o| {
            let w = series_means(daily, &format!("waiting_ready:{}", o.name))?;
            Some(less(
                w,
                series_means(daily, &format!("in_health:{}", o.name)),
            ))
        })
        .collect();
    // People ready to travel (not in the health check) at the origins with a route to each port.
    let ready_for: Vec<Vec<f64>> = (0..scn.ports.len())
        .map(|p| match &per_origin {
            None => ready_all.clone(),
            Some(ready) => {
                let mut w = vec![0.0; daily.days];
                for (o, ready) in ready.iter().enumerate() {
                    if scn.routes.iter().any(|r| r.origin == o && r.port == p) {
                        w.iter_mut().zip(ready).for_each(|(a, b)| *a += b);
                    }
                }
                w
            }
        })
        .collect();
    let port_wait: Vec<Vec<f64>> = (0..scn.ports.len())
        .map(|p| {
            let mut w = mean_series(daily, &format!("waiting:{}", scn.ports[p].name));
            if appointment {
                w.iter_mut().zip(&ready_for[p]).for_each(|(a, b)| *a += b);
            }
            w
        })
        .collect();
    let reg = &rep.total(Stage::Registration).capacity;
    let delta = |v: &[f64], d: usize| if d == 0 { v[0] } else { v[d] - v[d - 1] };
    let processed_all = |d: usize| port_thr.iter().map(|v| v[d]).sum::<f64>();
    let boarded: Vec<f64> = (0..end)
        .map(|d| (delta(&it, d) + delta(&wp, d) + processed_all(d)).max(0.0))
        .collect();
    // Screened: what left screening, i.e. what entered the health check and ready queues
    // (`waiting_ready` counts both) and boarded. Counted from what arrived instead
    // (registrations − Δwaiting_screening), the drop-outs from the screening queue would pass
    // for throughput: ten times screening's capacity in a long queue with attrition.
    let screened: Vec<f64> = (0..end)
        .map(|d| (delta(&wr, d) + boarded[d]).max(0.0))
        .collect();

    // People arriving at each port per day: processed there plus the change of its queue.
    let arrived: Vec<Vec<f64>> = scn
        .ports
        .iter()
        .enumerate()
        .map(|(p, port)| {
            let w = mean_series(daily, &format!("waiting:{}", port.name));
            (0..end)
                .map(|d| (port_thr[p][d] + delta(&w, d)).max(0.0))
                .collect()
        })
        .collect();
    let load = |stage: Stage,
                port: Option<usize>,
                name: String,
                cap: &[f64],
                thr: &[f64],
                queue: &[f64],
                a: usize,
                b: usize| {
        let c: f64 = cap[a..b].iter().sum();
        let t: f64 = thr[a..b].iter().sum();
        let n = (b - a) as f64;
        StageLoad {
            stage,
            port,
            name,
            utilization: (c.is_finite() && c > 0.0).then(|| t / c),
            queue: queue[a..b].iter().sum::<f64>() / n,
            throughput: t / n,
            blocked: c == 0.0 && queue[a..b].iter().sum::<f64>() / n >= 1.0,
        }
    };

    // Transport from each origin whose routes are not one port's own (those are the rows
    // "transport → port"): its seats against its boardings (`boarded_today:o`), with its ready
    // people in front. A full route from one origin shows here even when the other routes
    // into the same port have seats to spare. (Not for a run saved before the series existed.)
    let cap_days = rep.days.min(end);
    let route_caps = usable_route_caps(
        scn,
        &port_quotas(scn, &port_factors(scn), cap_days),
        cap_days,
    );
    let origin_loads: Vec<OriginLoad> = per_origin
        .iter()
        .flatten()
        .enumerate()
        .filter_map(|(o, ready)| {
            let origin = &scn.origins[o];
            let thr = series_means(daily, &format!("boarded_today:{}", origin.name))?;
            if routes_from(scn, o).next().is_none() || own_port(scn, o).is_some() {
                return None;
            }
            let cap: Vec<f64> = (0..cap_days)
                .map(|d| routes_from(scn, o).map(|r| route_caps[r][d]).sum())
                .collect();
            if cap.iter().all(|c| c.is_infinite()) {
                return None;
            }
            Some((
                format!("transport from {}", origin.name),
                cap,
                thr,
                ready.as_slice(),
                routes_from(scn, o).map(|r| scn.routes[r].port).collect(),
            ))
        })
        .collect();

    // People still expected to register from each day on.
    // The last entry: those expected to register after the days analysed (past the horizon).
    let mut still_to_register = vec![0.0; reg.len() + 1];
    still_to_register[reg.len()] = (rep.to_clear - reg.iter().sum::<f64>()).max(0.0);
    for d in (0..reg.len()).rev() {
        still_to_register[d] = still_to_register[d + 1] + reg[d];
    }
    let mut out: Vec<PeriodBinding> = Vec::new();
    let mut a = 0;
    while a < end {
        let b = (a + PERIOD_DAYS).min(end);
        let mut loads = vec![
            load(
                Stage::Screening,
                None,
                "screening".into(),
                &rep.total(Stage::Screening).capacity,
                &screened,
                &ws,
                a,
                b,
            ),
            load(
                Stage::Transport,
                None,
                "transport".into(),
                &rep.total(Stage::Transport).capacity,
                &boarded,
                &ready_all,
                a,
                b,
            ),
        ];
        for (p, port) in scn.ports.iter().enumerate() {
            if let Some(t) = rep.transport_to(p).filter(|t| !t.unlimited) {
                loads.push(load(
                    Stage::Transport,
                    Some(p),
                    t.name.clone(),
                    &t.capacity,
                    &arrived[p],
                    &ready_for[p],
                    a,
                    b,
                ));
            }
            let cap = &rep.port(p).expect("port row").capacity;
            loads.push(load(
                Stage::Port,
                Some(p),
                format!("port {}", port.name),
                cap,
                &port_thr[p][..end],
                &port_wait[p][..end],
                a,
                b,
            ));
        }
        // After the ports: an origin's own transport wins a tie (the same people, the same
        // full seats) with "transport → port" and the port, being the more exact answer.
        // Under appointment, transport whose ports all take no appointments in the period has
        // no seats because of them: the ports bind, not the buses.
        let ports_closed = |ports: &[usize]| {
            appointment
                && ports.iter().all(|&p| {
                    rep.port(p).expect("port row").capacity[a..b]
                        .iter()
                        .all(|c| *c <= 0.0)
                })
        };
        let all_ports: Vec<usize> = (0..scn.ports.len()).collect();
        for l in loads.iter_mut() {
            if l.stage == Stage::Transport && l.blocked {
                let ports = l.port.map_or(all_ports.clone(), |p| vec![p]);
                if ports_closed(&ports) {
                    l.blocked = false;
                }
            }
        }
        for (name, cap, thr, ready, ports) in &origin_loads {
            let mut l = load(Stage::Transport, None, name.clone(), cap, thr, ready, a, b);
            if l.blocked && ports_closed(ports) {
                l.blocked = false;
            }
            loads.push(l);
        }
        // The health check: no capacity to fill, so it binds only as where the last people
        // are (see `stuck` below).
        if let Some(h) = in_health.as_ref().filter(|_| scn.health.is_some()) {
            loads.push(StageLoad {
                stage: Stage::Health,
                port: None,
                name: "health check".into(),
                utilization: None,
                queue: h[a..b].iter().sum::<f64>() / (b - a) as f64,
                throughput: f64::NAN,
                blocked: false,
            });
        }
        // A stage without capacity and with people in front counts as full.
        let full = loads
            .iter()
            .filter(|l| l.blocked || l.utilization.is_some_and(|u| u >= NEAR_FULL))
            .max_by(|x, y| {
                x.queue.total_cmp(&y.queue).then(
                    x.utilization
                        .unwrap_or(0.0)
                        .total_cmp(&y.utilization.unwrap_or(0.0)),
                )
            });
        // Busy (≥ half its capacity) with at least one day's throughput queued in front.
        let most = loads
            .iter()
            .filter(|l| l.utilization.is_some_and(|u| u >= 0.5) && l.queue >= l.throughput.max(1.0))
            .max_by(|x, y| {
                x.utilization
                    .unwrap_or(0.0)
                    .total_cmp(&y.utilization.unwrap_or(0.0))
            });
        // Nobody left to register, nothing busy, yet people wait: name where they wait.
        let registering = still_to_register[a.min(reg.len())] >= 1.0;
        let stuck = if registering {
            None
        } else {
            loads
                .iter()
                .filter(|l| l.queue >= 1.0)
                .max_by(|x, y| x.queue.total_cmp(&y.queue))
        };
        // Nobody left to register, and more people in the health check than in front of the
        // busiest stage: the health check holds the last people back, not that stage.
        let health_first = if registering {
            None
        } else {
            loads.iter().find(|l| {
                l.stage == Stage::Health
                    && l.queue >= 1.0
                    && most.is_some_and(|m| l.queue > m.queue)
            })
        };
        let chosen = full.or(health_first).or(most).or(stuck);
        // People still expected to register, the mean over the period's days: registration's
        // "queue" (they are not in front of any stage yet).
        let to_register = (a..b)
            .map(|d| still_to_register[d.min(reg.len())])
            .sum::<f64>()
            / (b - a) as f64;
        let (stage, port, name, utilization, queue) = match (chosen, out.last()) {
            (Some(l), _) => (l.stage, l.port, l.name.clone(), l.utilization, l.queue),
            // Nobody left to register and under one person anywhere on average, after weeks in
            // which the health check held the last people: the last few are still there (in
            // isolation and retests part of the week), not waiting for registrations.
            (None, Some(prev)) if !registering && prev.stage == Stage::Health => {
                let l = loads.iter().find(|l| l.name == prev.name);
                (
                    prev.stage,
                    prev.port,
                    prev.name.clone(),
                    l.and_then(|l| l.utilization),
                    l.map_or(0.0, |l| l.queue),
                )
            }
            _ => (
                Stage::Registration,
                None,
                "registration".into(),
                None,
                to_register,
            ),
        };
        loads.insert(
            0,
            StageLoad {
                stage: Stage::Registration,
                port: None,
                name: "registration".into(),
                utilization: None,
                queue: to_register,
                throughput: reg[a..b].iter().sum::<f64>() / (b - a) as f64,
                blocked: false,
            },
        );
        out.push(PeriodBinding {
            from_day: a,
            to_day: b,
            from_date: scn.start_date + chrono::Duration::days(a as i64),
            stage,
            port,
            name,
            utilization,
            queue,
            loads,
        });
        a = b;
    }
    out
}

/// Share of the clearance time each stage accounts for: the fraction of the days covered by
/// `bindings` in periods where it binds, largest first.
pub fn binding_shares(bindings: &[PeriodBinding]) -> Vec<(String, f64)> {
    let total: usize = bindings.iter().map(|b| b.to_day - b.from_day).sum();
    let mut v: Vec<(String, f64)> = Vec::new();
    for b in bindings {
        let n = (b.to_day - b.from_day) as f64 / total.max(1) as f64;
        match v.iter_mut().find(|(s, _)| *s == b.name) {
            Some(e) => e.1 += n,
            None => v.push((b.name.clone(), n)),
        }
    }
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    v
}

/// Consecutive periods in which one stage binds in the same way (with a utilization, or
/// with no capacity at all), as `run` prints them.
#[derive(Debug, Clone, PartialEq)]
pub struct BindingSpan {
    /// First day \[day index\] and its date.
    pub from_day: usize,
    pub from_date: NaiveDate,
    /// One past the last day \[day index\].
    pub to_day: usize,
    pub stage: Stage,
    /// The port of a port row or a "transport → port" row.
    pub port: Option<usize>,
    pub name: String,
    /// Utilization over the span's periods, weighted by their days \[fraction\]; `None` when
    /// the stage has no capacity (or none to measure: registration, the health check).
    pub utilization: Option<f64>,
    /// Mean people waiting in front of it over the span, weighted by days \[people\].
    pub queue: f64,
}

/// `bindings` joined into spans: a new span starts where another stage binds, or where the
/// same stage goes from having capacity to having none or back (a closure week is not
/// hidden in the weeks around it).
pub fn binding_spans(bindings: &[PeriodBinding]) -> Vec<BindingSpan> {
    // Sums weighted by days while joining, then divided by each span's days.
    let mut spans: Vec<BindingSpan> = Vec::new();
    // Registration named only because nobody waits anywhere (under one person, nobody left to
    // register) is a span of its own, not joined with weeks of people still registering (two
    // such weeks of travel had read "registration, 0 people still to register" and the lever
    // "wait for people still registering").
    let mut last_idle = false;
    for b in bindings {
        let n = (b.to_day - b.from_day) as f64;
        let b_idle = idle(b.stage, b.queue);
        match spans.last_mut() {
            Some(s)
                if s.name == b.name
                    && s.utilization.is_some() == b.utilization.is_some()
                    && last_idle == b_idle =>
            {
                s.to_day = b.to_day;
                s.utilization = s.utilization.zip(b.utilization).map(|(a, u)| a + u * n);
                s.queue += b.queue * n;
            }
            _ => spans.push(BindingSpan {
                from_day: b.from_day,
                from_date: b.from_date,
                to_day: b.to_day,
                stage: b.stage,
                port: b.port,
                name: b.name.clone(),
                utilization: b.utilization.map(|u| u * n),
                queue: b.queue * n,
            }),
        }
        last_idle = b_idle;
    }
    for s in &mut spans {
        let d = ((s.to_day - s.from_day) as f64).max(1.0);
        s.utilization = s.utilization.map(|u| u / d);
        s.queue /= d;
    }
    spans
}

/// Whether `s` is the week or less at the end where nobody waits anywhere and nobody is left to
/// register: registration is named only because nothing else is, and what held the last
/// people is the span before it.
pub(crate) fn idle_tail(s: &BindingSpan) -> bool {
    idle_span(s) && s.to_day - s.from_day <= 7
}

/// Whether `s` is a span where nobody waits anywhere and nobody is left to register (named
/// registration only because nothing else is): the last people are travelling or in service.
pub(crate) fn idle_span(s: &BindingSpan) -> bool {
    idle(s.stage, s.queue)
}

/// Registration named with under one person waiting anywhere: nobody waits.
fn idle(stage: Stage, queue: f64) -> bool {
    stage == Stage::Registration && queue < 1.0
}

/// The span of `spans` that sets the clearance date and what it means for the date: the lever
/// that moves it. That is the last span (up to the median clearance), whose queue holds the
/// last people, so relieving a stage that binds only earlier shortens waits more than the
/// date; but a last week where nobody waits anywhere gives way to the span before it (the
/// closure or the port that held the last people). `None` without spans.
pub fn date_lever(scn: &Scenario, spans: &[BindingSpan]) -> Option<(usize, String)> {
    let mut k = spans.len().checked_sub(1)?;
    if k > 0 && idle_tail(&spans[k]) {
        k -= 1;
    }
    let text = lever_text(scn, &spans[..=k])?;
    Some((k, text))
}

/// The lever for the last of `spans`.
fn lever_text(scn: &Scenario, spans: &[BindingSpan]) -> Option<String> {
    let last = spans.last()?;
    // Groups that can never travel: whatever binds at the end, their people stay.
    if let Some((_, why, _)) = never_travel(scn) {
        return Some(format!(
            "some {why}; room for the largest group on a route from there (seats, holding \
             limit, quota) would let it clear, more capacity elsewhere would not"
        ));
    }
    // Buses toward a port whose holding limit is below their seats carry the holding at most:
    // the row of one port's transport, or of one origin's ("transport from O").
    if let (Stage::Transport, Some(_)) = (last.stage, last.utilization) {
        let routes: Vec<usize> = match last.port {
            Some(p) => routes_to(scn, p).collect(),
            None => scn
                .origins
                .iter()
                .position(|o| last.name == format!("transport from {}", o.name))
                .map(|o| routes_from(scn, o).collect())
                .unwrap_or_default(),
        };
        let mut held: Vec<String> = Vec::new();
        let mut continuous = false;
        for &r in &routes {
            let route = &scn.routes[r];
            let port = &scn.ports[route.port];
            let Some(h) = port.holding else { continue };
            let over = match route.departures {
                Departures::Continuous => {
                    continuous = true;
                    true
                }
                Departures::Scheduled(_) => route.seats.is_none_or(|s| u64::from(s) > h),
            };
            let text = format!("port {}'s, {h}", port.name);
            if over && !held.contains(&text) {
                held.push(text);
            }
        }
        if !held.is_empty() {
            return Some(format!(
                "no more than the holding limit ({} people waiting there or in transit to it) \
                 can board toward a port at once: a larger holding limit{} would bring the date \
                 forward, more seats would not",
                held.join("; "),
                if continuous {
                    ""
                } else {
                    " (or more departures)"
                }
            ));
        }
    }
    // The same stage closed just before: its queue built up while it was closed.
    let closed_before = spans.len() >= 2 && {
        let prev = &spans[spans.len() - 2];
        prev.name == last.name && prev.utilization.is_none()
    };
    // Screening bound (full, or closed) up to the health check's last weeks.
    let screening_before = spans.len() >= 2 && {
        let prev = &spans[spans.len() - 2];
        prev.stage == Stage::Screening && prev.utilization.is_none_or(|u| u >= 0.9)
    };
    Some(match (last.stage, last.utilization) {
        // Named only because nothing else is: nobody queued anywhere, nobody left to register
        // (the last people are travelling or in service).
        (Stage::Registration, _) if last.queue < 1.0 => "in the last weeks under one person on \
                                     average waits in front of any stage and nobody is left to \
                                     register: the last people are travelling or in service, so \
                                     shorter travel or service would bring the date forward, \
                                     more capacity little"
            .into(),
        (Stage::Registration, _) => "the last weeks wait for people still registering: earlier \
                                     registration would bring the date forward, more capacity \
                                     little"
            .into(),
        // Screening held them back until the end: they reach the check late, so both count.
        (Stage::Health, _) if screening_before => format!(
            "the last people are in the health check or its isolation, which screening let them \
             reach only from the week of {}: more screening capacity or a shorter check or \
             isolation would bring the date forward",
            last.from_date
        ),
        (Stage::Health, _) => "the last people are in the health check or its isolation: a \
                               shorter check or isolation would bring the date forward, more \
                               capacity little"
            .into(),
        (_, None) => {
            "it has no capacity then: reopening it sooner would bring the date forward".into()
        }
        _ if closed_before => format!(
            "it had no capacity until the week of {}: reopening it sooner would bring the date \
             forward, more of its capacity after that less",
            last.from_date
        ),
        _ => "more of its capacity would bring the date forward".into(),
    })
}

/// "1 day", "30 days".
fn days_text(n: f64) -> String {
    if n == 1.0 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::scenario::*;

    /// One origin, one port with quota 300 and unlimited servers, a bus route: 4 departures of 50
    /// seats a day = 200 people/day.
    /// What `explain` prints for `rep`.
    fn explain_text(rep: &BottleneckReport) -> String {
        let mut s = Vec::new();
        print_explain(rep, &mut s).unwrap();
        String::from_utf8(s).unwrap()
    }

    /// A scenario from TOML, run with its own replications, and its weekly bindings.
    fn run_and_bind(toml: &str) -> (Scenario, Vec<PeriodBinding>) {
        let scn = crate::scenario::load_str(toml, "test.toml").unwrap();
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let b = bind(&scn, &ChartInput::from_run(&run));
        (scn, b)
    }

    /// A bundled scenario, `scenarios/NAME.toml`.
    fn bundled(name: &str) -> Scenario {
        crate::scenario::load_file(std::path::Path::new(&format!("scenarios/{name}.toml"))).unwrap()
    }

    /// `two-ports` with everyone registering half a day after opening.
    fn two_ports_prompt() -> Scenario {
        let set = crate::scenario::parse_set("registration.delay=\"0.5d\"").unwrap();
        crate::scenario::load_file_with(std::path::Path::new("scenarios/two-ports.toml"), &[set])
            .unwrap()
            .scenario
    }

    pub(crate) fn bus_scenario(people: u64) -> Scenario {
        let start_date = chrono::NaiveDate::from_ymd_opt(2021, 2, 19).unwrap();
        Scenario {
            name: "buses 200/day, quota 300".into(),
            file: String::new(),
            start_date,
            horizon: 365.0,
            seed: 7,
            replications: 4,
            warmup: 0.0,
            backlog: Cohort {
                name: "backlog".into(),
                people,
                opens: 0.0,
            },
            group_size: SizeDist::Fixed(1),
            origins: vec![Origin {
                name: "Tijuana".into(),
                share: 1.0,
            }],
            registration: Registration {
                delay: Dist::Fixed(0.0),
                never: 0.0,
            },
            screening: None,
            health: None,
            attrition_hazard: 0.0,
            policy: Policy::Fifo,
            choose_port: ChoosePort::First,
            routes: vec![Route {
                name: "Tijuana->San Ysidro".into(),
                origin: 0,
                port: 0,
                departures: Departures::Scheduled(vec![
                    7.0 / 24.0,
                    9.0 / 24.0,
                    11.0 / 24.0,
                    13.0 / 24.0,
                ]),
                days: ALL_DAYS,
                seats: Some(50),
                travel: Dist::Fixed(2.0 / 24.0),
            }],
            ports: vec![Port {
                name: "San Ysidro".into(),
                opens: 0.0,
                quota_per_day: Some(300),
                ramp: None,
                servers: None,
                service: Dist::Fixed(0.0),
                schedule: Schedule {
                    hours: Some((8.0 / 24.0, 20.0 / 24.0)),
                    days: ALL_DAYS,
                    start_weekday: 4,
                },
                holding: None,
            }],
            phases: vec![],
            inflow: None,
            disruptions: vec![],
            classes: vec![Class {
                name: "all".into(),
                share: 1.0,
            }],
            warnings: vec![],
        }
    }

    #[test]
    fn transport_binds_when_buses_carry_less_than_the_quota() {
        let scn = bus_scenario(10_000);
        let rep = explain(&scn);
        let t = rep.total(Stage::Transport);
        assert!(t.capacity.iter().all(|c| *c == 200.0));
        assert!(rep.total(Stage::Port).capacity.iter().all(|c| *c == 300.0));
        // 200 people/day: the 10,000th boards on day 49 (50 days × 200); ports alone: day 33.
        assert_eq!(t.earliest_day, Some(49));
        assert_eq!(rep.total(Stage::Port).earliest_day, Some(33));
        assert_eq!(rep.total(Stage::Registration).earliest_day, Some(0));
        assert_eq!(rep.binding_name(), "transport");
        assert_eq!(rep.lower_bound_day, Some(49));
        let s = explain_text(&rep);
        assert!(s.contains("Binding stage: transport"), "{s}");
        assert!(s.contains("day 49 2021-04-09"), "{s}");
    }

    /// Groups larger than every route from their origin can take never travel: explain said
    /// clearance was not expected before day 671, and the run's lever asked for more of the
    /// port's capacity, for a backlog that cannot clear (or only as its last groups drop out).
    #[test]
    fn groups_too_large_for_every_route_never_clear() {
        let mut scn = bundled("baseline");
        let r = scn.routes.iter().position(|r| r.seats == Some(40)).unwrap();
        assert_eq!(scn.group_size.max(), 4);
        scn.routes[r].seats = Some(3);
        let rep = explain(&scn);
        assert_eq!(rep.lower_bound_day, None);
        let why = rep.never_travel.as_deref().unwrap();
        assert!(
            why.contains(
                "groups of up to 4 people come from Matamoros, but no route from it takes more \
                 than 3 at once (to Brownsville: 3 seats, holding 150, quota 100 a day)"
            ) && why.ends_with("until the last of them has dropped out"),
            "{why}"
        );
        assert_eq!(rep.binding_name(), "transport → Brownsville");
        let mut text = Vec::new();
        print_explain(&rep, &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains("Binding stage: transport → Brownsville. Some groups of up to 4"));
        scn.replications = 2;
        scn.horizon = 200.0;
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let spans = binding_spans(&bind(&scn, &ChartInput::from_run(&run)));
        assert!(date_lever(&scn, &spans)
            .unwrap()
            .1
            .contains("room for the largest group on a route from there"));
        // A disruption that doubles the seats for a while lets them travel then.
        let mut doubled = scn.clone();
        doubled.disruptions.push(crate::scenario::Disruption {
            ports: vec![],
            routes: vec![r],
            screening: false,
            from: 10.0,
            until: 20.0,
            capacity: 2.0,
        });
        assert_eq!(explain(&doubled).never_travel, None);
        // ... but not one after the horizon, nor two of x1.3 at different times (floor(2.6) = 2
        // seats; 3 had been read from their product).
        let mut late = doubled.clone();
        late.disruptions.last_mut().unwrap().from = 300.0;
        late.disruptions.last_mut().unwrap().until = 310.0;
        assert!(explain(&late).never_travel.is_some());
        // A size listed with weight 0 is never drawn, and a cohort of 2 people has no group of 4:
        // they clear (both had been said not to).
        let mut zero = scn.clone();
        zero.group_size =
            crate::scenario::SizeDist::empirical(&[1, 2, 3, 4], &[0.5, 0.3, 0.2, 0.0]).unwrap();
        assert_eq!(zero.group_size.max(), 4);
        assert_eq!(explain(&zero).never_travel, None);
        let mut few = scn.clone();
        few.backlog.people = 2;
        few.phases.clear();
        assert_eq!(explain(&few).never_travel, None);
        // Under fifo the quota is not checked at boarding: groups larger than every port's quota
        // travel, are never served, and hold up the port's queue; explain names the port.
        let mut fifo = bundled("baseline");
        fifo.policy = crate::scenario::Policy::Fifo;
        let b = fifo
            .ports
            .iter()
            .position(|p| p.name == "Brownsville")
            .unwrap();
        fifo.ports[b].quota_per_day = Some(3);
        fifo.ports[b].ramp = None;
        let rep = explain(&fifo);
        assert!(rep
            .never_travel
            .as_deref()
            .unwrap()
            .contains("under fifo those groups travel"));
        assert_eq!(rep.binding_name(), "port Brownsville");
        // Under fifo with a second port that can serve them, they may still board toward the
        // one that cannot: a note, not a verdict.
        let q = fifo.ports.iter().position(|p| p.name == "El Paso").unwrap();
        let r = fifo.routes.iter().position(|r| r.port == b).unwrap();
        let mut second = fifo.routes[r].clone();
        second.port = q;
        fifo.routes.push(second);
        let rep = explain(&fifo);
        assert_eq!(rep.never_travel, None);
        assert!(rep.notes.iter().any(|n| n.starts_with(
            "Under fifo groups of up to 4 people from Matamoros can board toward Brownsville, \
             whose quota is at most 3 a day"
        )));
        // Four seats take every group.
        let mut scn = bundled("baseline");
        scn.routes[r].seats = Some(4);
        let rep = explain(&scn);
        assert!(rep.never_travel.is_none() && rep.lower_bound_day.is_some());
    }

    /// A week in which registration binds gives the people still expected to register (it
    /// had said "0 people waiting in front" while 2,250 had yet to register).
    #[test]
    fn registration_weeks_count_the_people_still_to_register() {
        let mut scn = bundled("baseline");
        scn.replications = 4;
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let b = bind(&scn, &ChartInput::from_run(&run));
        let rep = explain(&scn);
        let reg = &rep.total(Stage::Registration).capacity;
        let weeks: Vec<_> = b
            .iter()
            .filter(|w| w.stage == Stage::Registration)
            .collect();
        assert!(weeks.iter().any(|w| w.queue > 1_000.0), "{weeks:?}");
        for w in weeks {
            // the mean over the week of those expected to register from each day on
            let still = |d: usize| reg[d.min(reg.len())..].iter().sum::<f64>();
            let mean = (w.from_day..w.to_day).map(still).sum::<f64>() / 7.0;
            assert!(
                w.queue >= 1.0 && (w.queue - mean).abs() < 1e-6 * mean,
                "{w:?}"
            );
            assert_eq!(w.loads[0].queue, w.queue);
        }
    }

    /// A holding limit below a bus's seats caps each departure toward the port: with El Paso's
    /// at 5, its six weekday buses carry 30 people a day, which sets the date (a run clears
    /// after 400 days). `explain` had counted the 55 seats and put the bound at day 119, and
    /// the run named registration and then the port, whose quota and servers change nothing.
    #[test]
    fn a_holding_limit_below_the_seats_binds_transport_and_names_its_lever() {
        let mut scn = bundled("baseline");
        let p = scn.ports.iter().position(|p| p.name == "El Paso").unwrap();
        scn.ports[p].holding = Some(5);
        let rep = explain(&scn);
        let t = rep.transport_to(p).unwrap();
        // Six departures of at most 5 people on a weekday the port serves; none at weekends.
        let max = t.capacity.iter().copied().fold(0.0, f64::max);
        assert_eq!(max, 30.0);
        assert_eq!(
            rep.binding.map(|b| rep.rows[b].name.as_str()),
            Some("transport → El Paso")
        );
        assert!(
            rep.lower_bound_day.unwrap() > 400,
            "{:?}",
            rep.lower_bound_day
        );
        assert!(rep.notes.iter().any(|n| n.contains(
            "Port El Paso's holding limit (5 people waiting there or in transit to it) lets at \
             most 5 board one departure toward it (its buses have up to 55 seats)"
        )));
        scn.replications = 4;
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let b = bind(&scn, &ChartInput::from_run(&run));
        let spans = binding_spans(&b);
        // Transport to El Paso binds from the third week to the last (whose last few people
        // may be at the port).
        let k = spans
            .iter()
            .position(|s| s.name == "transport → El Paso")
            .unwrap();
        let days = spans[k].to_day - spans[k].from_day;
        assert!(spans[k].from_day <= 21 && days >= 380, "{spans:#?}");
        assert!(
            spans[k + 1..].iter().all(|s| s.to_day - s.from_day <= 7),
            "{spans:#?}"
        );
        assert!(date_lever(&scn, &spans[..=k])
            .unwrap()
            .1
            .contains("a larger holding limit (or more departures) would bring the date forward"));
        // At the bundled 400 the seats count, as before.
        let base = explain(&bundled("baseline"));
        let max = base
            .transport_to(p)
            .unwrap()
            .capacity
            .iter()
            .copied()
            .fold(0.0, f64::max);
        assert_eq!(max, 330.0);
        assert!(!base.notes.iter().any(|n| n.contains("holding limit (")));
    }

    /// The baseline's last people are in the health check's isolation (10 days after a
    /// positive test), not waiting for a bus: the last weeks name the health check, and
    /// transport, whose `waiting_ready` counts them, is never named.
    #[test]
    fn the_last_people_in_isolation_name_the_health_check_not_transport() {
        let mut scn = bundled("baseline");
        scn.replications = 40;
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let b = bind(&scn, &ChartInput::from_run(&run));
        let last = b.last().unwrap();
        assert_eq!(last.stage, Stage::Health, "{:?}", last.name);
        assert_eq!(last.name, "health check");
        assert!(last.queue >= 1.0, "{}", last.queue);
        assert!(b.iter().all(|p| p.stage != Stage::Transport), "{b:#?}");
        // Transport's queue is those ready to travel: less than `waiting_ready` by the people
        // in the health check.
        let t = last.loads.iter().find(|l| l.name == "transport").unwrap();
        assert!(t.queue < last.queue, "{} vs {}", t.queue, last.queue);
        // Without a health check it is never named.
        scn.health = None;
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let b = bind(&scn, &ChartInput::from_run(&run));
        assert!(b.iter().all(|p| p.stage != Stage::Health), "{b:#?}");
    }

    #[test]
    fn simulated_run_shows_transport_binding_and_meets_the_bound() {
        let scn = bus_scenario(10_000);
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let input = ChartInput::from_run(&run);
        let b = bind(&scn, &input);
        assert!(!b.is_empty());
        // Every full week before clearance is transport-bound.
        for p in b.iter().filter(|p| p.to_day - p.from_day == PERIOD_DAYS) {
            assert_eq!(p.stage, Stage::Transport, "{p:?}");
            assert!(p.utilization.unwrap() > 0.95, "{p:?}");
        }
        let shares = binding_shares(&b);
        assert!(shares[0].0.starts_with("transport"), "{shares:?}");
        // The simulation clears on day 49 (last bus 13:00 + 2 h travel), never before the bound.
        for &c in &run.clearance_days {
            assert!((49.0..50.0).contains(&c), "{c}");
        }
    }

    #[test]
    fn under_appointment_a_port_counts_only_its_own_origins_ready_queue() {
        // Origin A (9,000 people) goes to port PA at 300 a day, origin B (1,000) to port PB at
        // 100 a day: both quotas are full in the first week, but A's ready queue is the long
        // one, and it is in front of PA alone.
        let toml = r#"
[scenario]
name = "two origins"
start_date = "2021-02-19"
horizon = "100d"
seed = 3
replications = 4
[backlog]
people = 10000
[[origin]]
name = "A"
share = 0.9
[[origin]]
name = "B"
share = 0.1
[registration]
delay = "0d"
[dispatch]
policy = "appointment"
[[route]]
from = "A"
to = "PA"
departures = "continuous"
travel = "1h"
[[route]]
from = "B"
to = "PB"
departures = "continuous"
travel = "1h"
[[port]]
name = "PA"
quota_per_day = 300
[[port]]
name = "PB"
quota_per_day = 100
"#;
        let scn = crate::scenario::load_str(toml, "two-origins.toml").unwrap();
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let b = bind(&scn, &ChartInput::from_run(&run));
        let week = &b[1];
        let queue = |p: usize| {
            week.loads
                .iter()
                .find(|l| l.stage == Stage::Port && l.port == Some(p))
                .unwrap()
                .queue
        };
        // Mean ready people of each origin in that week, from the daily bands.
        let ready = |o: &str| {
            let s = run
                .daily
                .series_index(&format!("waiting_ready:{o}"))
                .unwrap();
            (week.from_day..week.to_day)
                .map(|d| run.daily.get(d, s).mean)
                .sum::<f64>()
                / (week.to_day - week.from_day) as f64
        };
        assert!(
            ready("A") > 5000.0 && ready("B") < 1000.0,
            "{} {}",
            ready("A"),
            ready("B")
        );
        assert!(
            (queue(0) - ready("A")).abs() < 1.0,
            "{} vs {}",
            queue(0),
            ready("A")
        );
        assert!(
            (queue(1) - ready("B")).abs() < 1.0,
            "{} vs {}",
            queue(1),
            ready("B")
        );
        assert_eq!((week.stage, week.port), (Stage::Port, Some(0)), "{week:?}");
    }

    #[test]
    fn people_stuck_at_a_port_are_named_once_nobody_is_left_to_register() {
        // Groups of 7 never fit a quota of 5: nothing is processed, nothing is busy.
        let toml = r#"
[scenario]
name = "stuck"
horizon = "30d"
replications = 3
[backlog]
people = 10
group_size = 7
[[origin]]
name = "A"
[[port]]
name = "P"
quota_per_day = 5
[[route]]
from = "A"
to = "P"
"#;
        let scn = crate::scenario::load_str(toml, "stuck.toml").unwrap();
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let b = bind(&scn, &ChartInput::from_run(&run));
        // Registration (all on day 0) is over after the first week; from then on port P.
        assert_eq!(b[0].stage, Stage::Registration, "{:?}", b[0]);
        for w in &b[1..] {
            assert_eq!((w.stage, w.port), (Stage::Port, Some(0)), "{w:?}");
            assert!(w.queue >= 9.9, "{w:?}");
        }
    }

    #[test]
    fn inflow_registrations_count_in_the_screening_throughput() {
        // 60 inflow people a day against one screener at 48 a day: screening is full from day
        // 0, while the backlog itself registers only on day 20.
        let toml = r#"
[scenario]
name = "inflow"
horizon = "60d"
replications = 3
[backlog]
people = 100
[[origin]]
name = "A"
[registration]
delay = "20d"
[screening]
servers = 1
service = "30min"
[inflow]
rate_per_day = 60
until = "40d"
[[port]]
name = "P"
[[route]]
from = "A"
to = "P"
"#;
        let (scn, b) = run_and_bind(toml);
        for w in b.iter().filter(|w| w.to_day <= 14) {
            assert_eq!(w.stage, Stage::Screening, "{w:?}");
            assert!(w.utilization.unwrap() > 0.9, "{w:?}");
        }
        let s = explain_text(&explain(&scn));
        assert!(
            s.contains("The inflow (60 groups a day, about 60 people a day"),
            "{s}"
        );
    }

    #[test]
    fn drop_outs_from_the_screening_queue_are_not_screening_throughput() {
        // 2,000 people register at once in front of one screener at 48 groups a day, and drop
        // out at 5% a day while they wait: most leave the queue without being screened.
        let toml = r#"
[scenario]
name = "attrition"
horizon = "120d"
replications = 4
[backlog]
people = 2000
[[origin]]
name = "A"
[screening]
servers = 1
service = "30min"
[attrition]
hazard_per_day = 0.05
[[port]]
name = "P"
[[route]]
from = "A"
to = "P"
"#;
        let (scn, b) = run_and_bind(toml);
        let screening: Vec<&PeriodBinding> =
            b.iter().filter(|w| w.stage == Stage::Screening).collect();
        assert!(!screening.is_empty(), "{b:?}");
        // The capacity bound leaves attrition out, and says so: with 5% a day most drop out,
        // and the run clears long before the bound.
        let text = explain_text(&explain(&scn));
        assert!(
            text.contains("if nobody dropped out, clearance would not be expected before day"),
            "{text}"
        );
        let mut without = scn.clone();
        without.attrition_hazard = 0.0;
        let text = explain_text(&explain(&without));
        assert!(
            text.contains(", clearance is not expected before day"),
            "{text}"
        );
        for w in screening {
            // No more than full (counted from what arrived, it read 2.6 in the first week), and full
            // while a queue is there.
            let u = w.utilization.unwrap();
            assert!(u <= 1.02, "{w:?}");
            assert!(u >= 0.9 || w.queue < 48.0, "{w:?}");
        }
    }

    #[test]
    fn ramp_disruption_and_servers_bound_the_port() {
        let mut scn = bus_scenario(1000);
        scn.routes[0].departures = Departures::Continuous;
        scn.ports[0].ramp = Some(Ramp {
            from: 100.0,
            over: 2.0,
        });
        // 2 servers × 12 h / 1 h = 24 groups of 1: servers bind after the ramp.
        scn.ports[0].servers = Some(2);
        scn.ports[0].service = Dist::Fixed(1.0 / 24.0);
        scn.disruptions.push(Disruption {
            ports: vec![0],
            routes: vec![],
            screening: false,
            from: 3.0,
            until: 4.0,
            capacity: 0.0,
        });
        let rep = explain(&scn);
        let c = &rep.port(0).unwrap().capacity;
        assert!((c[0] - 24.0).abs() < 1e-9, "{}", c[0]);
        assert_eq!(c[3], 0.0);
        assert!((c[4] - 24.0).abs() < 1e-9);
        assert!(rep.total(Stage::Transport).unlimited);
        assert_eq!(rep.binding_name(), "ports");
    }

    /// Origins routed only to one port must pass it: with Juárez and Matamoros (71% of the
    /// people) bound for El Paso, El Paso alone sets the ports' finish, later than both ports
    /// together would, and is named. An origin with a route to both ports is nobody's alone.
    #[test]
    fn a_port_its_origins_are_routed_to_alone_bounds_the_ports() {
        let mut scn = two_ports_prompt();
        let rep = explain(&scn);
        let el_paso = rep.port(1).unwrap();
        assert_eq!(el_paso.name, "port El Paso");
        let own = el_paso.earliest_day.unwrap();
        assert_eq!(rep.binding_name(), "port El Paso");
        assert_eq!(rep.lower_bound_day, Some(own));
        assert_eq!(rep.total(Stage::Port).earliest_day, Some(own));
        // Both ports together would pass everyone sooner.
        let together = fluid_finish(
            &opened_by(&scn, rep.days),
            &rep.total(Stage::Port).capacity,
            rep.to_clear,
        )
        .unwrap();
        assert!(together < own, "{together} vs {own}");
        // San Ysidro's own origin (Tijuana) finishes sooner.
        assert!(rep.port(0).unwrap().earliest_day.unwrap() < own);
        // Matamoros may also go to San Ysidro: El Paso alone holds Juárez's people only.
        let mut r = scn.routes[2].clone();
        assert_eq!(scn.origins[r.origin].name, "Matamoros");
        r.port = 0;
        scn.routes.push(r);
        let rep2 = explain(&scn);
        assert!(rep2.port(1).unwrap().earliest_day.unwrap() < own);
        assert!(rep2.total(Stage::Port).earliest_day.unwrap() < own);
    }

    /// Two origins share El Paso; Matamoros's own bus (3 × 55 seats, four days a week) is full
    /// while Juárez's has seats to spare, so pooled transport to El Paso is not: the weeks when
    /// Matamoros's people wait for their bus name "transport from Matamoros", at its seats.
    #[test]
    fn a_full_route_from_one_origin_binds_though_the_port_has_other_routes() {
        let mut scn = two_ports_prompt();
        scn.replications = 40;
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let b = bind(&scn, &ChartInput::from_run(&run));
        let from: Vec<&PeriodBinding> = b
            .iter()
            .filter(|p| p.name == "transport from Matamoros")
            .collect();
        assert!(
            from.len() >= 3,
            "{:#?}",
            b.iter().map(|p| &p.name).collect::<Vec<_>>()
        );
        let full = from
            .iter()
            .filter(|p| p.utilization.unwrap() >= NEAR_FULL)
            .count();
        assert!(2 * full > from.len(), "{full} of {} weeks full", from.len());
        for p in &from {
            assert_eq!(p.stage, Stage::Transport);
            assert!(p.utilization.unwrap() >= 0.5, "{:?}", p.utilization);
            // Pooled, transport to El Paso has room: it is not what binds.
            let pooled = p
                .loads
                .iter()
                .find(|l| l.name == "transport → El Paso")
                .unwrap();
            assert!(
                pooled.utilization.unwrap() < NEAR_FULL,
                "{:?}",
                pooled.utilization
            );
        }
        // Juárez's and Tijuana's routes are each a port's own, or not full: never named.
        assert!(b
            .iter()
            .all(|p| !p.name.starts_with("transport from Ciudad")));
        assert!(b.iter().all(|p| p.name != "transport from Tijuana"));
    }

    /// Without attrition, no replication of any bundled scenario clears before explain's bound,
    /// with everyone registering at once (so that the ports' bounds, per port among them, are
    /// what binds): the bound of a share of the origins allows for the randomness of who comes
    /// from where.
    #[test]
    fn no_replication_clears_before_the_bound_without_attrition() {
        let mut checked = 0;
        for e in std::fs::read_dir("scenarios").unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_none_or(|x| x != "toml") {
                continue;
            }
            let mut scn = crate::scenario::load_file(&path).unwrap();
            scn.attrition_hazard = 0.0;
            scn.registration.delay = Dist::fixed(0.0).unwrap();
            scn.replications = 100;
            let rep = explain(&scn);
            let Some(bound) = rep.lower_bound_day else {
                continue;
            };
            let run = crate::experiment::run(&scn, &Default::default()).unwrap();
            for r in &run.replications.to_vec().unwrap() {
                assert!(
                    r.censored || r.clearance_days >= bound as f64,
                    "{}: replication {} clears at {} before the bound {bound} ({})",
                    path.display(),
                    r.index,
                    r.clearance_days,
                    rep.binding_name()
                );
            }
            checked += 1;
        }
        assert!(checked >= 5, "{checked}");
    }

    /// A group registering at t counts on day floor(t): a delay of exactly 120 days registers
    /// on day 120, so registration finishes then, not on day 119 (explain said day 119 for runs
    /// that clear on day 120, and "ports, day 0" for a delay of one day).
    #[test]
    fn registration_at_midnight_counts_on_its_own_day() {
        let scn = |delay: &str| {
            crate::scenario::load_str(
                &format!(
                    "[scenario]\nname = \"m\"\n[backlog]\npeople = 30\n[[origin]]\nname = \"O\"\n\
                     [registration]\ndelay = {delay}\n[[route]]\nfrom = \"O\"\nto = \"P\"\n\
                     [[port]]\nname = \"P\"\n"
                ),
                "m.toml",
            )
            .unwrap()
        };
        for (delay, day) in [
            ("\"120d\"", 120),
            ("\"1d\"", 1),
            (
                "{ dist = \"empirical\", values = [\"0.5d\", \"3d\"], weights = [0.5, 0.5] }",
                3,
            ),
            ("{ dist = \"uniform\", min = \"0d\", max = \"3d\" }", 2),
        ] {
            let mut s = scn(delay);
            let rep = explain(&s);
            assert_eq!(rep.lower_bound_day, Some(day), "{delay}");
            assert_eq!(rep.binding_name(), "registration", "{delay}");
            // and no replication clears before it
            s.replications = 5;
            let run = crate::experiment::run(&s, &Default::default()).unwrap();
            for r in &run.replications.to_vec().unwrap() {
                assert!(
                    r.clearance_days >= day as f64,
                    "{delay}: {}",
                    r.clearance_days
                );
            }
        }
    }

    /// A service longer than the stage's opening is still started once a day by each server
    /// (it runs past the close): the bound of one server, 4-hour services and a 1-hour opening
    /// for 30 people is day 29, as every replication clears at 29.5 (it had read a quarter of a
    /// service a day and a bound of day 119); a run never clears before it.
    #[test]
    fn a_service_longer_than_the_opening_counts_once_a_day() {
        let mut scn = crate::scenario::load_str(
            r#"
[scenario]
name = "long service"
replications = 20
horizon = "400d"
[backlog]
people = 30
[[origin]]
name = "O"
[screening]
servers = 1
service = "4h"
hours = ["08:00", "09:00"]
[[route]]
from = "O"
to = "P"
[[port]]
name = "P"
"#,
            "long.toml",
        )
        .unwrap();
        let rep = explain(&scn);
        assert_eq!(rep.lower_bound_day, Some(29), "{}", rep.binding_name());
        scn.replications = 20;
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        for r in &run.replications.to_vec().unwrap() {
            assert!(
                r.clearance_days >= 29.0 && r.clearance_days < 30.0,
                "{}",
                r.clearance_days
            );
        }
        // A 10-day service, always open: a tenth of a service a day, not one a day (the bound
        // had read day 29 for runs that clear on day 300).
        let s = scn.screening.as_mut().unwrap();
        s.service = Dist::fixed(10.0).unwrap();
        s.schedule = crate::scenario::Schedule::always(s.schedule.start_weekday);
        scn.horizon = 2000.0;
        let rep = explain(&scn);
        assert_eq!(rep.lower_bound_day, Some(299), "{}", rep.binding_name());
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        for r in &run.replications.to_vec().unwrap() {
            assert!(r.clearance_days >= 299.0, "{}", r.clearance_days);
        }
    }

    /// People still to register after the horizon keep registration binding (they are not
    /// "nobody left to register"): with a 100-day horizon, 10% of the baseline registers on day
    /// 120, and the last weeks named the health check for the few in it.
    #[test]
    fn registrations_after_the_horizon_still_count_as_to_come() {
        let mut scn = bundled("baseline");
        scn.horizon = 100.0;
        scn.replications = 20;
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let b = bind(&scn, &ChartInput::from_run(&run));
        assert!(b.iter().all(|p| p.stage != Stage::Health), "{b:#?}");
        assert_eq!(b.last().unwrap().stage, Stage::Registration);
    }

    /// Once nobody is left to register, a long isolation that holds more people than wait in
    /// front of a half-busy port is what binds: with 20% positive tests and 30 days' isolation
    /// the week from day 63 named Brownsville (54% used, 67 waiting) over 780 in isolation.
    #[test]
    fn the_health_check_outranks_a_half_busy_stage_once_nobody_is_to_register() {
        let mut scn = bundled("baseline");
        let h = scn.health.as_mut().unwrap();
        h.positive = 0.2;
        h.isolation = Dist::fixed(30.0).unwrap();
        scn.registration.delay = Dist::fixed(0.0).unwrap();
        scn.replications = 30;
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let b = bind(&scn, &ChartInput::from_run(&run));
        let health: Vec<&PeriodBinding> = b.iter().filter(|p| p.stage == Stage::Health).collect();
        assert!(!health.is_empty(), "{b:#?}");
        for p in &health {
            // Nothing full that week, and more people in the check than in front of any stage.
            for l in p.loads.iter().filter(|l| l.stage != Stage::Health) {
                assert!(l.utilization.is_none_or(|u| u < NEAR_FULL) || l.queue < 1.0);
                assert!(l.queue < p.queue, "{}: {} vs {}", l.name, l.queue, p.queue);
            }
        }
        // Everyone registers on day 0: from the second week no stage short of full is named
        // while more people are in the health check than in front of it.
        for p in &b[1..] {
            let full = p.utilization.is_some_and(|u| u >= NEAR_FULL);
            if p.stage != Stage::Health && !full {
                let h = p.loads.iter().find(|l| l.stage == Stage::Health).unwrap();
                assert!(
                    h.queue <= p.queue,
                    "{} from day {}: {} in the check, {} in front",
                    p.name,
                    p.from_day,
                    h.queue,
                    p.queue
                );
            }
        }
        // From the first week it binds on, it binds to the end.
        let first = b.iter().position(|p| p.stage == Stage::Health).unwrap();
        assert!(
            b[first..].iter().all(|p| p.stage == Stage::Health),
            "{b:#?}"
        );
    }

    /// One origin with full buses to two ports: its own transport is named, not "transport →"
    /// the first port, which ties with it (the same people, the same full seats) and would
    /// suggest buses to that port alone.
    #[test]
    fn an_origins_own_transport_wins_a_tie_with_one_of_its_ports() {
        let (_, b) = run_and_bind(
            r#"
[scenario]
name = "one origin, two ports"
start_date = "2021-02-19"
horizon = "200d"
replications = 10

[backlog]
people = 6000

[[origin]]
name = "A"

[[route]]
from = "A"
to = "P1"
departures = ["08:00"]
seats = 100
travel = "1h"

[[route]]
from = "A"
to = "P2"
departures = ["08:00"]
seats = 100
travel = "1h"

[[port]]
name = "P1"
quota_per_day = 1000

[[port]]
name = "P2"
quota_per_day = 1000
"#,
        );
        assert!(b.len() >= 3, "{b:#?}");
        for p in &b[1..b.len() - 1] {
            assert_eq!(p.name, "transport from A", "{b:#?}");
            assert!(p.utilization.unwrap() >= NEAR_FULL);
        }
    }

    /// Transport is bounded per origin, and the row that sets the bound is named: in
    /// bus-bottleneck each origin has one route to its own port, so "transport → El Paso"
    /// carries Juárez's finish and binds; in two-ports El Paso is fed by two origins, so each
    /// has a row "transport from …" and "transport → El Paso" has no finish of its own.
    #[test]
    fn transport_names_the_origin_or_route_that_sets_its_bound() {
        let scn = bundled("bus-bottleneck");
        let rep = explain(&scn);
        assert_eq!(rep.binding_name(), "transport → El Paso");
        let row = rep.transport_to(1).unwrap();
        assert_eq!(row.earliest_day, rep.lower_bound_day);
        assert_eq!(
            rep.total(Stage::Transport).earliest_day,
            rep.lower_bound_day
        );
        assert!(rep.transport_to(0).unwrap().earliest_day < rep.lower_bound_day);
        // Each "transport → port" row carries its one origin.
        assert_eq!(rep.transport_to(1).unwrap().origin, Some(0)); // Ciudad Juarez
        assert!(rep
            .rows
            .iter()
            .all(|r| r.origin.is_none() || r.port.is_some()));

        let scn = two_ports_prompt();
        let rep = explain(&scn);
        assert_eq!(rep.transport_to(1).unwrap().earliest_day, None);
        let from: Vec<&StageBound> = rep
            .rows
            .iter()
            .filter(|r| r.origin.is_some() && r.port.is_none())
            .collect();
        let names: Vec<&str> = from.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            ["transport from Ciudad Juarez", "transport from Matamoros"]
        );
        assert!(from.iter().all(|r| r.earliest_day.is_some()));
        // The transport total is the later of the two, and still the total's row.
        let latest = from.iter().filter_map(|r| r.earliest_day).max();
        assert_eq!(rep.total(Stage::Transport).earliest_day, latest);
        assert_eq!(rep.total(Stage::Transport).name, "transport");
        let mut text = Vec::new();
        print_explain(&rep, &mut text).unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(text.contains("\n  transport from Matamoros   "), "{text}");
    }

    /// A row of one origin's transport that never passes its people says "not reached", and
    /// so does the binding total, even when its capacity is unlimited (the other origin's
    /// route has no seat limit); explain notes when its bound is an estimate.
    #[test]
    fn an_origin_whose_buses_never_run_is_not_reached() {
        let scn = crate::scenario::load_str(
            r#"
[scenario]
name = "closed route"
start_date = "2021-02-19"
horizon = "100d"

[backlog]
people = 1000

[[origin]]
name = "A"
share = 0.5

[[origin]]
name = "B"
share = 0.5

[[route]]
from = "A"
to = "P"
departures = ["08:00"]
seats = 50
travel = "1h"

[[route]]
from = "B"
to = "P"

[[port]]
name = "P"
quota_per_day = 500

[[disruption]]
routes = ["A->P"]
from = "0d"
until = "100d"
capacity = 0.0
"#,
            "closed.toml",
        )
        .unwrap();
        let rep = explain(&scn);
        assert_eq!(rep.lower_bound_day, None);
        let text = explain_text(&rep);
        let line = |start: &str| {
            text.lines()
                .find(|l| l.starts_with(start))
                .unwrap_or_else(|| panic!("{start}: {text}"))
                .to_string()
        };
        assert!(
            line("  transport from A ").ends_with("not reached"),
            "{text}"
        );
        assert!(line("transport ").ends_with("not reached"), "{text}");
        assert!(
            text.contains("Note: The bound takes mean service times"),
            "{text}"
        );
        // With a port of its own, the row "transport → port" carries A's finish.
        let mut own = scn.clone();
        let mut q = own.ports[0].clone();
        q.name = "Q".into();
        own.ports.push(q);
        own.routes[1].port = 1;
        let text = explain_text(&explain(&own));
        let row = text
            .lines()
            .find(|l| l.starts_with("  transport → P "))
            .unwrap_or_else(|| panic!("{text}"));
        assert!(row.ends_with("not reached"), "{text}");
    }

    /// The people a share of the origins is bounded with: all of them when everyone is reached
    /// and the share is everyone (sizes add up to the cohorts); otherwise three standard
    /// deviations of the group-by-group draw below the expected number.
    #[test]
    fn a_share_of_the_people_allows_for_chance() {
        let mut scn = bundled("baseline");
        // Sizes 1–4 with weights 0.64/0.25/0.08/0.03: E[s] = 1.5, E[s²] = 2.84.
        assert!((scn.group_size.mean_square() - 2.84).abs() < 1e-9);
        let p: f64 = 0.28 * 0.9;
        let groups = 25_000.0 / 1.5;
        let expected = 25_000.0 * p - 3.0 * (groups * 2.84 * p * (1.0 - p)).sqrt();
        assert!((share_people(&scn, 0.28) - expected).abs() < 1e-6);
        assert!(share_people(&scn, 0.28) < 25_000.0 * p - 250.0);
        scn.registration.never = 0.0;
        assert_eq!(share_people(&scn, 1.0), 25_000.0);
    }

    #[test]
    fn registration_finish_follows_the_exponential_tail() {
        let mut scn = bus_scenario(10_000);
        scn.registration.delay = Dist::exponential(20.0).unwrap();
        let rep = explain(&scn);
        // Fewer than 1 person expected unregistered: 10,000 e^{-(d+1)/20} < 1 -> d + 1 > 184.2.
        assert_eq!(rep.total(Stage::Registration).earliest_day, Some(184));
        assert_eq!(rep.binding_name(), "registration");
    }

    #[test]
    fn cdfs_are_sane() {
        let ds = [
            Dist::exponential(2.0).unwrap(),
            Dist::uniform(1.0, 3.0).unwrap(),
            Dist::triangular(1.0, 2.0, 4.0).unwrap(),
            Dist::lognormal(2.0, 1.0).unwrap(),
            Dist::gamma(2.0, 1.0).unwrap(),
            Dist::empirical(vec![1.0, 3.0], &[1.0, 1.0]).unwrap(),
        ];
        for d in &ds {
            assert_eq!(cdf(d, -1.0), 0.0);
            assert!(cdf(d, 100.0) > 0.999);
            let mut prev = 0.0;
            for i in 0..100 {
                let p = cdf(d, i as f64 * 0.1);
                assert!(p >= prev - 1e-12);
                prev = p;
            }
        }
        assert!((cdf(&ds[1], 2.0) - 0.5).abs() < 1e-12);
        assert!((cdf(&ds[2], 2.0) - 1.0 / 3.0).abs() < 1e-12);
        assert!((cdf(&ds[5], 2.0) - 0.5).abs() < 1e-12);
    }

    /// A bundled scenario with `--set` overrides.
    fn bundled_with(name: &str, sets: &[&str]) -> Scenario {
        let sets: Vec<_> = sets
            .iter()
            .map(|s| crate::scenario::parse_set(s).unwrap())
            .collect();
        crate::scenario::load_file_with(
            std::path::Path::new(&format!("scenarios/{name}.toml")),
            &sets,
        )
        .unwrap()
        .scenario
    }

    /// Index of the port named `name`.
    fn port_index(scn: &Scenario, name: &str) -> usize {
        scn.ports.iter().position(|p| p.name == name).unwrap()
    }

    /// Index into `rep.rows` of port p's row of `stage`.
    fn row_of(rep: &BottleneckReport, stage: Stage, p: usize) -> usize {
        rep.rows
            .iter()
            .position(|r| r.stage == stage && r.port == Some(p))
            .unwrap()
    }

    #[test]
    fn rows_without_a_finish_of_their_own_say_why() {
        // two-ports: El Paso is reached from Ciudad Juarez and Matamoros, so its transport row
        // is shared; the port itself has Ciudad Juarez alone and keeps a finish.
        let scn = bundled("two-ports");
        let el_paso = port_index(&scn, "El Paso");
        let rep = explain(&scn);
        let i = row_of(&rep, Stage::Transport, el_paso);
        assert_eq!(rep.rows[i].people, RowPeople::Shared);
        assert_eq!(rep.finish(i), Finish::Shared);
        let text = explain_text(&rep);
        assert!(text.contains("shared\n"), "{text}");
        assert!(text.contains("Note: \"shared\""), "{text}");
        assert!(!text.contains("no route"), "{text}");
        let j = row_of(&rep, Stage::Port, el_paso);
        assert!(matches!(rep.finish(j), Finish::Day(..)));

        // The Brownsville route sent to El Paso: no route leads to Brownsville.
        let scn = bundled_with(
            "baseline",
            &["route[Matamoros->Brownsville].to=\"El Paso\""],
        );
        let b = port_index(&scn, "Brownsville");
        let rep = explain(&scn);
        for (i, r) in rep.rows.iter().enumerate() {
            if r.port == Some(b) {
                assert_eq!(r.people, RowPeople::NoRoute, "{}", r.name);
                assert_eq!(rep.finish(i), Finish::NoRoute, "{}", r.name);
            }
        }
        assert!(explain_text(&rep).contains("Note: \"no route\""));

        // A port whose own origin never gets through says so instead of leaving a blank.
        let scn = bundled_with("baseline", &["port[Brownsville].quota_per_day=1"]);
        let b = port_index(&scn, "Brownsville");
        let rep = explain(&scn);
        let i = row_of(&rep, Stage::Port, b);
        assert_eq!(rep.rows[i].people, RowPeople::Own);
        assert_eq!(rep.finish(i), Finish::NotReached);
    }

    #[test]
    fn explain_columns_fit_long_names() {
        let long = "Matamoros (Tamaulipas, Puerta Mexico camp)";
        let mut scn = bundled("two-ports");
        let m = scn
            .origins
            .iter()
            .position(|o| o.name == "Matamoros")
            .unwrap();
        scn.origins[m].name = long.into();
        let text = explain_text(&explain(&scn));
        let lines: Vec<&str> = text.lines().collect();
        let rule = lines.iter().position(|l| l.starts_with("---")).unwrap();
        let width = lines[rule].chars().count();
        // The header and every row are as wide as the rule, so the columns line up.
        assert_eq!(lines[rule - 1].chars().count(), width, "{text}");
        let rows: Vec<&&str> = lines[rule + 1..]
            .iter()
            .take_while(|l| !l.is_empty())
            .collect();
        assert!(rows.iter().any(|l| l.contains(long)), "{text}");
        for l in rows {
            assert_eq!(l.chars().count(), width, "{l:?} in\n{text}");
        }
    }

    #[test]
    fn binding_spans_keep_a_closure_apart_and_average_their_weeks() {
        let start = NaiveDate::from_ymd_opt(2024, 3, 4).unwrap();
        let week = |i: usize, days: usize, name: &str, stage: Stage, u: Option<f64>, q: f64| {
            PeriodBinding {
                from_day: 7 * i,
                to_day: 7 * i + days,
                from_date: start + chrono::Duration::days(7 * i as i64),
                stage,
                port: None,
                name: name.into(),
                utilization: u,
                queue: q,
                loads: Vec::new(),
            }
        };
        let b = [
            week(0, 7, "screening", Stage::Screening, Some(0.9), 100.0),
            week(1, 7, "port B", Stage::Port, None, 1000.0),
            week(2, 7, "port B", Stage::Port, Some(1.0), 900.0),
            week(3, 7, "port B", Stage::Port, Some(0.9), 500.0),
            week(4, 7, "port B", Stage::Port, Some(0.5), 100.0),
            week(5, 7, "registration", Stage::Registration, None, 0.0),
            week(6, 7, "registration", Stage::Registration, None, 0.0),
            week(7, 7, "port B", Stage::Port, Some(0.6), 10.0),
            week(8, 3, "port B", Stage::Port, Some(0.2), 3.0),
        ];
        let s = binding_spans(&b);
        let got: Vec<(usize, usize, &str, Option<f64>)> = s
            .iter()
            .map(|s| (s.from_day, s.to_day, s.name.as_str(), s.utilization))
            .collect();
        let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-12);
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!((got[0].0, got[0].1), (0, 7));
        // The closure week stands alone, not merged into the weeks after it.
        assert_eq!((got[1].0, got[1].1, got[1].3), (7, 14, None));
        assert_eq!(s[1].queue, 1000.0);
        // The three weeks with capacity: their mean, not the first week's figure.
        assert_eq!((got[2].0, got[2].1), (14, 35));
        assert!(close(got[2].3, 0.8), "{got:?}");
        assert!((s[2].queue - 500.0).abs() < 1e-9);
        assert_eq!((got[3].0, got[3].1, got[3].2), (35, 49, "registration"));
        // Weighted by days: a short last period counts for its days.
        assert!(close(got[4].3, (0.6 * 7.0 + 0.2 * 3.0) / 10.0), "{got:?}");
        assert_eq!(s[4].from_date, start + chrono::Duration::days(49));
    }

    #[test]
    fn under_appointment_buses_offer_no_seats_while_their_port_takes_no_appointments() {
        // El Paso opens on day 7: under appointment nobody boards toward it before, under fifo
        // the buses run (and people wait at the port).
        let appt = bundled("baseline");
        let p = port_index(&appt, "El Paso");
        let rep = explain(&appt);
        let t = rep.transport_to(p).unwrap();
        assert!(
            t.capacity[..7].iter().all(|c| *c == 0.0),
            "{:?}",
            &t.capacity[..8]
        );
        let fifo = bundled_with("baseline", &["dispatch.policy=\"fifo\""]);
        let t = explain(&fifo).transport_to(p).unwrap().clone();
        // 2021-02-22 (day 3) is a Monday: six buses of 55 seats.
        assert_eq!(t.capacity[3], 330.0);
        assert!(explain_text(&rep).contains("Note: Under appointment nobody boards"));
        assert!(!explain_text(&explain(&fifo)).contains("Under appointment"));

        // Brownsville with its buses (3 × 40 seats a day) equal to its quota from the day it
        // opens: the two rows finish together, and explain says raising one alone is no help.
        let same = bundled_with(
            "baseline",
            &[
                "port[Brownsville].quota_per_day=30",
                "port[Brownsville].ramp.from=30",
                "port[Brownsville].servers=40",
                "route[Matamoros->Brownsville].seats=10",
            ],
        );
        let b = port_index(&same, "Brownsville");
        let rep = explain(&same);
        assert_eq!(
            rep.transport_to(b).unwrap().earliest_day,
            rep.port(b).unwrap().earliest_day
        );
        // ... and that day is the bound (their 30 a day is the slowest): said.
        assert_eq!(rep.port(b).unwrap().earliest_day, rep.lower_bound_day);
        let text = explain_text(&rep);
        assert!(
            text.contains(
                "The transport to Brownsville and port Brownsville finish on the same day"
            ),
            "{text}"
        );
        assert!(!text.contains("The transport to El Paso and"), "{text}");
        // Equal finishes that are not the bound are not worth a note.
        let (_, text) = {
            let same = bundled_with(
                "baseline",
                &[
                    "port[Brownsville].quota_per_day=120",
                    "port[Brownsville].ramp.from=120",
                    "port[Brownsville].servers=40",
                ],
            );
            let rep = explain(&same);
            assert_eq!(
                rep.transport_to(b).unwrap().earliest_day,
                rep.port(b).unwrap().earliest_day
            );
            assert_ne!(rep.port(b).unwrap().earliest_day, rep.lower_bound_day);
            (rep.clone(), explain_text(&rep))
        };
        assert!(!text.contains("finish on the same day"), "{text}");
    }

    #[test]
    fn a_week_all_ports_are_closed_binds_a_port_not_the_buses_under_appointment() {
        // Every port closed in the sixth week: under appointment nobody boards either, but the
        // closure is the ports'.
        let text = std::fs::read_to_string("scenarios/baseline.toml").unwrap()
            + "\n[[disruption]]\nports = [\"San Ysidro\", \"El Paso\", \"Brownsville\"]\n\
               from = \"35d\"\nuntil = \"42d\"\ncapacity = 0\n";
        let (_, b) = run_and_bind(&text.replace("replications = 200", "replications = 10"));
        let week = b.iter().find(|b| b.from_day == 35).unwrap();
        assert_eq!(week.stage, Stage::Port, "{}", week.name);
        assert_eq!(week.utilization, None);
        // The transport loads of that week had no seats, but they do not bind as closed.
        assert!(week
            .loads
            .iter()
            .filter(|l| l.stage == Stage::Transport)
            .all(|l| !l.blocked));
    }

    #[test]
    fn the_lever_for_the_date_follows_the_last_people() {
        let lever = |toml: &str| {
            let (scn, b) = run_and_bind(toml);
            let spans = binding_spans(&b);
            let (k, text) = date_lever(&scn, &spans).unwrap();
            (spans[k].name.clone(), text)
        };
        // Everyone registers at once; 40% test positive and wait 20 days in isolation, and
        // retests: the last weeks hold a person or less on average, still in the check, not
        // waiting for registrations (nobody registers late).
        let health = "[scenario]\nname = \"h\"\nhorizon = \"2000d\"\nreplications = 10\n\
            [backlog]\npeople = 3000\n[[origin]]\nname = \"O\"\n\
            [health]\nturnaround = \"1d\"\npositive = 0.4\nisolation = \"20d\"\n\
            [[route]]\nfrom = \"O\"\nto = \"P\"\ndepartures = [\"08:00\"]\nseats = 2000\n\
            [[port]]\nname = \"P\"\nquota_per_day = 1000\nservers = 100\nservice = \"30min\"\n\
            hours = [\"08:00\", \"18:00\"]\n";
        let (name, text) = lever(health);
        assert_eq!(name, "health check", "{text}");
        assert!(text.contains("a shorter check or isolation"), "{text}");
        // The port is closed from day 9.5 to 30.5, then clears its queue: reopening it sooner
        // is the lever, not only more of its capacity.
        let closed = "[scenario]\nname = \"c\"\nhorizon = \"200d\"\nreplications = 10\n\
            [backlog]\npeople = 1000\n[[origin]]\nname = \"O\"\n\
            [[route]]\nfrom = \"O\"\nto = \"P\"\ndepartures = [\"08:00\"]\nseats = 200\n\
            [[port]]\nname = \"P\"\nquota_per_day = 100\nservers = 10\nservice = \"30min\"\n\
            hours = [\"08:00\", \"18:00\"]\n\
            [[disruption]]\nports = [\"P\"]\nfrom = \"9.5d\"\nuntil = \"30.5d\"\ncapacity = 0\n";
        let (name, text) = lever(closed);
        assert_eq!(name, "port P", "{text}");
        assert!(
            text.starts_with("it had no capacity until the week of"),
            "{text}"
        );
        assert!(text.contains("reopening it sooner"), "{text}");
        // One screening server for 3,000 people binds until the last of them reach the health
        // check: more screening capacity moves the date as much as a shorter isolation (it had
        // said "more capacity little", while 2 servers took 59 days off the baseline's 5).
        let screened = health.replace(
            "[health]",
            "[screening]\nservers = 1\nservice = \"10min\"\n[health]",
        );
        let (name, text) = lever(&screened);
        assert_eq!(name, "health check", "{text}");
        assert!(
            text.contains("more screening capacity or a shorter check or isolation"),
            "{text}"
        );
    }

    /// El Paso closed from day 100 to day 200: the last week, where nobody waits anywhere,
    /// had named registration with 0 people to register, and its lever ("shorter travel or
    /// service") moved the date by 0.07 days while reopening 20 days sooner moved it by 18.
    #[test]
    fn a_last_week_where_nobody_waits_gives_way_to_the_closure_before_it() {
        let text = std::fs::read_to_string("scenarios/baseline.toml").unwrap()
            + "\n[[disruption]]\nports = [\"El Paso\"]\nfrom = \"100d\"\nuntil = \"200d\"\n\
               capacity = 0\n";
        let (scn, b) = run_and_bind(&text.replace("replications = 200", "replications = 10"));
        let spans = binding_spans(&b);
        assert!(idle_tail(spans.last().unwrap()), "{spans:#?}");
        let (k, lever) = date_lever(&scn, &spans).unwrap();
        assert_eq!(k, spans.len() - 2);
        assert_eq!(spans[k].name, "port El Paso");
        assert!(lever.contains("reopening it sooner"), "{lever}");
    }

    /// A port closed after the last registrations holds the people who register late until it
    /// reopens: explain had bound the baseline with El Paso closed from day 100 to 200 at day
    /// 120 (registration), while every replication cleared after day 202.
    #[test]
    fn a_closure_after_the_registrations_holds_the_late_people_in_the_bound() {
        for policy in ["appointment", "fifo"] {
            let mut scn = bundled_with(
                "baseline",
                &[
                    &format!("dispatch.policy=\"{policy}\""),
                    "attrition.hazard_per_day=0",
                ],
            );
            let p = port_index(&scn, "El Paso");
            scn.disruptions.push(crate::scenario::Disruption {
                ports: vec![p],
                routes: vec![],
                screening: false,
                from: 100.0,
                until: 200.0,
                capacity: 0.0,
            });
            let rep = explain(&scn);
            let bound = rep.lower_bound_day.unwrap();
            assert!((200..=203).contains(&bound), "{policy}: {bound}");
            assert_eq!(rep.binding_name(), "port El Paso", "{policy}");
            assert!(
                explain_text(&rep)
                    .contains("Port El Paso: the people expected to register after day"),
                "{policy}"
            );
            // A lower bound still: no replication clears before it.
            scn.replications = 20;
            let run = crate::experiment::run(&scn, &Default::default()).unwrap();
            let first = run
                .clearance_days
                .iter()
                .copied()
                .fold(f64::INFINITY, f64::min);
            assert!(
                first >= bound as f64,
                "{policy}: bound {bound}, a run clears at {first}"
            );
        }
        // The baseline's late registrants pass its stages within a week of the registrations'
        // end: its bound stays registration's.
        let rep = explain(&bundled("baseline"));
        assert_eq!(rep.binding_name(), "registration");
        assert_eq!(rep.lower_bound_day, Some(120));
    }

    /// Weeks where nobody waits (the last people travel for 12 days) after weeks of people
    /// still registering are a span of their own: joined, they had read "registration, 0 people
    /// still to register" and the lever "wait for people still registering".
    #[test]
    fn weeks_where_nobody_waits_are_not_joined_with_registration() {
        let toml = "[scenario]\nname = \"t\"\nstart_date = \"2021-01-01\"\nhorizon = \"200d\"\n\
            replications = 10\n[backlog]\npeople = 2000\n[[origin]]\nname = \"O\"\n\
            [registration]\ndelay = { dist = \"empirical\", values = [\"0.5d\", \"40d\"], \
            weights = [0.8, 0.2] }\n[[route]]\nfrom = \"O\"\nto = \"P\"\ntravel = \"12d\"\n\
            [[port]]\nname = \"P\"\nquota_per_day = 100000\n";
        let (scn, b) = run_and_bind(toml);
        let spans = binding_spans(&b);
        let last = spans.last().unwrap();
        assert!(idle_span(last) && !idle_tail(last), "{spans:#?}");
        assert!(
            spans.len() >= 2 && !idle_span(&spans[spans.len() - 2]),
            "{spans:#?}"
        );
        let (k, lever) = date_lever(&scn, &spans).unwrap();
        assert_eq!(k, spans.len() - 1);
        assert!(lever.contains("shorter travel or service"), "{lever}");
    }

    #[test]
    fn under_appointment_a_quota_booked_early_is_served_later() {
        // The quota ramps down from 300 to 50 a day while the servers pass 150 a day: people
        // booked on the early days of high quota are served on later days. Every replication
        // clears on day 20; the bound must not come later (taking the smaller of quota and
        // servers day by day said day 27).
        let toml = "[scenario]\nname = \"rampdown\"\nhorizon = \"200d\"\nreplications = 10\n\
            [backlog]\npeople = 3000\n[[origin]]\nname = \"O\"\n\
            [dispatch]\npolicy = \"appointment\"\n\
            [[route]]\nfrom = \"O\"\nto = \"P\"\n\
            [[port]]\nname = \"P\"\nquota_per_day = 50\nramp = { from = 300, over = \"20d\" }\n\
            servers = 1\nservice = \"9.6min\"\n";
        let scn = crate::scenario::load_str(toml, "t.toml").unwrap();
        let run = crate::experiment::run(&scn, &Default::default()).unwrap();
        let first = run
            .clearance_days
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        let bound = explain(&scn).lower_bound_day.unwrap();
        assert!(
            (bound as f64) < first + 1e-9,
            "bound day {bound}, a run clears at {first}"
        );
        // Under fifo the quota counts service starts, and the day by day bound holds (27).
        let fifo = toml.replace("\"appointment\"", "\"fifo\"");
        let scn = crate::scenario::load_str(&fifo, "t.toml").unwrap();
        assert_eq!(explain(&scn).lower_bound_day, Some(27));
    }
}
