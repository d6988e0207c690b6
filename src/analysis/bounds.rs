//! `explain`: each stage's capacity day by day from the scenario alone, the earliest day each
//! stage could finish, and the stage that binds (the rules are in the module above).

use crate::format::{days_text, fmt_rate};
use crate::model::capacity::{quota, scaled, Factor, UNLIMITED};
use crate::scenario::{Departures, Dist, Scenario};
use chrono::NaiveDate;
use statrs::distribution::{ContinuousCDF, Gamma, LogNormal};

/// The span of days the analysis looks at first \[days\]; see [`explain_with`] for when it
/// looks further.
const FIRST_DAYS: usize = 3650;
/// Ports up to which `explain` bounds every set of ports by the origins routed only into it
/// (beyond, each port alone) \[ports\].
const MAX_PORT_SETS: usize = 10;
/// ln 1000: the registration row finishes when the chance that every group has registered
/// reaches e^(−ln 1000) = 1 in 1000 (see `explain`) \[nats\].
const REGISTRATION_TAIL_GROUPS: f64 = 6.907_755_278_982_137;
/// ln 2: every group has registered in half the runs when the groups expected still to
/// register, each counted as −ln(1 − q), fall below it (see
/// [`BottleneckReport::registration_median_day`]) \[nats\].
const REGISTRATION_MEDIAN_GROUPS: f64 = std::f64::consts::LN_2;
/// Utilization at which a stage counts as near-full \[fraction\].
pub const NEAR_FULL: f64 = 0.9;
/// Days per binding period \[days\].
pub const PERIOD_DAYS: usize = 7;

/// A stage of the pipeline; `Port` and per-port transport rows carry the port index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Registration: the delay from a cohort opening to its groups registering.
    Registration,
    /// Screening: its servers and hours.
    Screening,
    /// Transport: the routes' departures and seats.
    Transport,
    /// A port of entry: its servers, hours and daily quota.
    Port,
    /// The health check and its isolation: a delay, not a capacity. It has no row in
    /// [`explain`]; in a run it binds when, nobody being left to register, more people are in
    /// it than wait anywhere else (the last people are in isolation).
    Health,
}

impl Stage {
    /// The stage's lower-case name, as `explain --json` writes it: "registration", "screening",
    /// "transport", "port" or "health".
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
    /// The stage the row bounds.
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
    /// A port (or the transport to it) that only routes carrying nobody reach: scheduled
    /// routes, each from an origin whose continuous route takes every group the moment it is
    /// ready (see [`Scenario::idle_scheduled_routes`]), or under `choose_port = "first"`
    /// continuous routes listed after one that does ([`Scenario::shadowed_routes`]); nobody is
    /// processed there.
    Unused,
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
    /// Only routes that carry nobody lead to the port: see [`RowPeople::Unused`].
    Unused,
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

/// What sets `explain`'s day ([`BottleneckReport::lower_bound_day`]), and so how far to trust it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoundKind {
    /// Quotas, seats, holding limits or the registrations: a floor that about one replication
    /// in a thousand beats (more with drop-outs).
    Floor,
    /// Servers whose service time is fixed: a floor but for service started until closing
    /// time, which can let a run clear a little before it.
    FixedServers,
    /// Servers with random service times (screening's or a port's): the day is the fluid's,
    /// with mean service times, an estimate around which runs fall (from 1 in 100 to 45 in
    /// 100 before it in the cases measured), not a floor.
    RandomServers,
}

impl BoundKind {
    /// As `explain --json` says it: "floor", "fixed_servers", "random_servers".
    pub fn as_str(&self) -> &'static str {
        match self {
            BoundKind::Floor => "floor",
            BoundKind::FixedServers => "fixed_servers",
            BoundKind::RandomServers => "random_servers",
        }
    }
}

/// A note that [`explain`] writes a port each: the port it is about and what it says of it, in
/// words that hold for every port it is said of (see [`BottleneckReport::note_ports`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortNote {
    /// The port's index in the scenario.
    pub port: usize,
    /// What the note says, of several ports at once ("a holding limit below their buses' seats
    /// caps the transport rows toward them").
    pub says: &'static str,
}

/// What the notes of [`explain`] written a port each say of several ports ([`PortNote::says`]).
mod says {
    /// A port's bound set by the people registering late (`tail_note`).
    pub const TAIL: &str = "the people expected to register late set their bound, later than \
                            their capacity from the start gives";
    /// A holding limit below the seats of a bus toward the port.
    pub const HOLDING_SEATS: &str = "a holding limit below their buses' seats caps the \
                                     transport rows toward them";
    /// A holding limit that holds a continuous route toward the port.
    pub const HOLDING_CONTINUOUS: &str = "a holding limit holds a continuous route toward them \
                                          to the limit over its mean travel time, which the \
                                          bound leaves out";
    /// Under fifo a group larger than the port's quota can board toward it.
    pub const FIFO_BLOCK: &str = "under fifo a group larger than their quota can board toward \
                                  them, is never served and holds up their queue";
    /// Under appointment the port's buses and capacity finish on the same day, the bound.
    pub const SAME_DAY: &str = "their buses and their capacity finish on the same day, the \
                                bound's, so raising only one of them does not bring it forward";
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
    /// allow), of that port's row. Of stages that never finish within the days analysed,
    /// registration first, then the one that leaves the largest share of its people unpassed
    /// (a tie to the later row), and of its rows the one of a port or origin that leaves the
    /// most of its own people.
    pub binding: Option<usize>,
    /// The day the capacities alone give for clearance \[day index\]: a floor, "clearance is
    /// not expected before", unless servers with random service times set it
    /// ([`BoundKind::RandomServers`]), when it is an estimate around which runs fall (see the
    /// module documentation); `None` if some stage never finishes within the analysed days.
    pub lower_bound_day: Option<i64>,
    /// The date of `lower_bound_day` (`start_date` + that many days); `None` with it.
    pub lower_bound_date: Option<NaiveDate>,
    /// What sets `lower_bound_day`, and so whether it is a floor.
    pub bound_kind: BoundKind,
    /// The day quotas, seats, holding limits and the registrations alone give, every server
    /// taken as unlimited \[day index\]: a floor, which about one replication in a thousand
    /// beats. It is `lower_bound_day` when no servers set that; `None` without a bound.
    pub floor_day: Option<i64>,
    /// The date of `floor_day`; `None` with it.
    pub floor_date: Option<NaiveDate>,
    /// Why some groups can never travel, when they cannot: the largest group is larger than
    /// every route from its origin can take at once (seats, the port's holding limit or
    /// quota). Their people are never processed, and the backlog clears only if attrition
    /// takes them; `lower_bound_day` is then `None`.
    pub never_travel: Option<String>,
    /// Whether the binding stage is a stage total that passes nobody within the days analysed
    /// (screening without servers, ports without quota): nobody can be processed, and a run
    /// ends only at the horizon or when everyone still waiting has dropped out.
    pub passes_nobody: bool,
    /// Assumptions and remarks.
    pub notes: Vec<String>,
    /// For each of `notes` (as long as it), the port it is about when it is one of the notes
    /// written a port each (a holding limit below the seats, …); `None` for the others. A table
    /// of many ports keeps the notes of the ports it gives rows to and counts the others in one
    /// note a kind.
    pub note_ports: Vec<Option<PortNote>>,
    /// Whether the scenario has attrition, which the bound leaves out: fewer people to pass,
    /// so a run can clear before `lower_bound_day`.
    pub attrition: bool,
    /// The first day by whose end every group of the backlog and phases has registered in half
    /// the runs \[day index\]: when registrations are expected to end. The registration row's
    /// finish is the day by which that happens in 1 run in 1000, so for a continuous delay
    /// (an exponential's long tail) this day comes well after it (the last of 3,500 groups with
    /// a 10-day exponential delay registers by day 85 in half the runs, by day 61 in 1 in
    /// 1000); for a table delay, whose largest value some group almost surely draws, it is that
    /// value's day, as the finish is. `None` when it is beyond the days analysed.
    pub registration_median_day: Option<i64>,
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

    /// Whether `lower_bound_day` is an estimate around which runs fall rather than a floor:
    /// servers with random service times set it.
    pub fn bound_is_estimate(&self) -> bool {
        self.bound_kind == BoundKind::RandomServers
    }

    /// "Clearance is not expected before", or with attrition that can loosen the bound, said;
    /// "clearance is expected about" when the day is an estimate.
    pub fn bound_phrase(&self) -> &'static str {
        match (self.bound_is_estimate(), self.attrition_loosens()) {
            (true, true) => "if nobody dropped out, clearance would be expected about",
            (true, false) => "clearance is expected about",
            (false, true) => "if nobody dropped out, clearance would not be expected before",
            (false, false) => "clearance is not expected before",
        }
    }

    /// Whose servers set the bound, "screening's", "port El Paso's" or "the ports'".
    fn servers_of(&self) -> String {
        match self.binding.map(|b| &self.rows[b]) {
            Some(r) if r.stage == Stage::Screening => "screening's".into(),
            Some(r) if r.stage == Stage::Port && r.port.is_some() => format!("{}'s", r.name),
            Some(r) if r.stage == Stage::Port => "the ports'".into(),
            _ => "the".into(),
        }
    }

    /// When the day is an estimate, why, and the floor the rest gives: "That day is an estimate,
    /// not a floor: …". `None` for a floor.
    pub fn estimate_text(&self) -> Option<String> {
        if !self.bound_is_estimate() {
            return None;
        }
        let floor = match (self.floor_day, self.floor_date) {
            (Some(d), Some(dt)) => format!(
                "; quotas, seats and registrations alone do not let it clear before day {d} ({})",
                dt.format("%Y-%m-%d")
            ),
            _ => String::new(),
        };
        Some(format!(
            "That day is an estimate, not a floor: {} servers set it with their mean service \
             time, and their random service times put runs on both sides of it (measured: \
             from 1 in 100 to nearly half of the runs before it){floor}.",
            self.servers_of()
        ))
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
            RowPeople::Unused => Finish::Unused,
            // A stage total without a finish: one of its rows never passes its people (an
            // origin's closed route, though another route has no seat limit).
            RowPeople::All => Finish::NotReached,
            _ if r.unlimited => Finish::Blank,
            RowPeople::Own => Finish::NotReached,
        }
    }

    /// Whether rows named `a` and `b` are one stage: the same row, or a stage total (the
    /// ports, transport) and the row of the only port in use (port P, transport → P), whose
    /// capacity and people are the total's (a scenario with one port, or one that the routes
    /// in use reach).
    pub fn same_stage(&self, a: &str, b: &str) -> bool {
        a == b || self.total_name(a) == self.total_name(b)
    }

    /// The name of the stage total that row `name` is (see [`Self::same_stage`]): the total's
    /// for the row of the only port in use, else `name` itself.
    fn total_name<'a>(&'a self, name: &'a str) -> &'a str {
        let Some(row) = self
            .rows
            .iter()
            .find(|r| r.name == name && r.port.is_some())
        else {
            return name;
        };
        let in_use = |r: &&StageBound| {
            r.stage == row.stage
                && r.port.is_some()
                && !matches!(r.people, RowPeople::NoRoute | RowPeople::Unused)
        };
        if self.rows.iter().filter(in_use).count() == 1 && in_use(&row) {
            self.total(row.stage).name.as_str()
        } else {
            name
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

/// Largest factor in force at any time of [d, d+1) ([`Factor::max_in_day`], which the ports
/// chart's quota line also takes).
fn max_factor(f: &Factor, d: i64) -> f64 {
    f.max_in_day(d)
}

/// Groups the servers can serve in [t0, t1), in people \[people/day\]: a service starts only
/// while the stage is open but may run past its close, so each server starts ⌈L / mean
/// service⌉ services in an opening of length L (one at least: a 4-hour service in a 1-hour
/// opening is served once a day, not a quarter of one). For a service longer than a day, no
/// more than (t1 − t0) / mean service in all (a server busy for 10 days at a time starts a
/// tenth of a service a day, however often the stage opens). For a service of a day or less
/// that cap is not applied: a service started late in a day runs into the next one, and on a
/// stage open one day in seven a server starts ⌈24 h / 5 h⌉ = 5 five-hour services that day,
/// not 4.8 (the cap had put the bound a week after every run's clearance).
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
    let starts = if mean > 1.0 {
        starts.min((t1 - t0) / mean)
    } else {
        starts
    };
    servers * starts * mean_group
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

/// Expected people who register only after the start of each day d (at a time after d) for
/// d in 0..=days, the last entry those who register after the days analysed (past the
/// horizon) \[people\]. A group registering at d itself (the backlog without a registration
/// delay registers at t = 0) has registered by the day's start, so it is not counted for d.
pub(super) fn unregistered_at(scn: &Scenario, days: usize) -> Vec<f64> {
    let keep = 1.0 - scn.registration.never;
    (0..=days)
        .map(|d| {
            std::iter::once(&scn.backlog)
                .chain(scn.phases.iter())
                // (plus the schedule's round-off, as in `registered_by`: a phase opening at 0.7
                // with a delay of 0.3 registers at 1.0, at the start of day 1)
                .map(|c| {
                    c.people as f64
                        * keep
                        * (1.0 - cdf(&scn.registration.delay, d as f64 - c.opens + 1e-9))
                })
                .sum::<f64>()
        })
        .collect()
}

/// Cumulative people whose cohort has opened by day d \[people\], times (1 − never).
pub(super) fn opened_by(scn: &Scenario, days: usize) -> Vec<f64> {
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
pub(super) fn share_people(scn: &Scenario, share: f64) -> f64 {
    let p = (share * (1.0 - scn.registration.never)).clamp(0.0, 1.0);
    let groups = scn.cohort_people() as f64 / scn.group_size.mean().max(1.0);
    let var = groups * scn.group_size.mean_square() * p * (1.0 - p);
    (scn.cohort_people() as f64 * p - 3.0 * var.sqrt()).max(0.0)
}

/// Per cohort: its people and, for each day d, the chance that one of its groups registers only
/// after the day (at d + 1 or later), P(delay ends after d + 1 − opens). Computed once for the
/// registration row's finish and [`late_people`], whose shares (every set of ports) all read it.
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

/// The note of a stage whose bound is set by the people registering late ([`stage_finish`]);
/// whether there is one.
fn tail_note(notes: &mut Vec<String>, name: &str, after: Option<usize>, day: Option<i64>) -> bool {
    let (Some(s), Some(d)) = (after, day) else {
        return false;
    };
    notes.push(format!(
        "{name}: the people expected to register after day {s} pass it no sooner than day {d}, \
         given its capacity from then on, so its bound is that day, later than its capacity \
         from the start gives."
    ));
    true
}

/// First day on which a fluid with arrivals `arrived` (cumulative) and capacity `cap` per day has
/// passed `people`.
pub(super) fn fluid_finish(arrived: &[f64], cap: &[f64], people: f64) -> Option<i64> {
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

/// The share of `people` that a fluid with arrivals `arrived` (cumulative) and capacity `cap`
/// per day has not passed by the last day \[fraction\]: 0 when it passes them all. Of stages
/// that never pass everyone within the days analysed, the one that passes the fewest binds.
pub(super) fn unpassed(arrived: &[f64], cap: &[f64], people: f64) -> f64 {
    if people <= 0.5 {
        return 0.0;
    }
    let out = arrived
        .iter()
        .zip(cap)
        .fold(0.0f64, |out, (a, c)| a.min(out + c));
    ((people - out) / people).clamp(0.0, 1.0)
}

fn sum_caps(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x + y).collect()
}

/// The routes from origin `o`, in scenario order.
pub(super) fn routes_from(scn: &Scenario, o: usize) -> impl Iterator<Item = usize> + '_ {
    (0..scn.routes.len()).filter(move |&r| scn.routes[r].origin == o)
}

/// The routes to port `p`, in scenario order.
pub(super) fn routes_to(scn: &Scenario, p: usize) -> impl Iterator<Item = usize> + '_ {
    (0..scn.routes.len()).filter(move |&r| scn.routes[r].port == p)
}

/// The port whose routes are exactly origin `o`'s (its transport is that port's), if any;
/// `None` for an origin without routes.
pub(super) fn own_port(scn: &Scenario, o: usize) -> Option<usize> {
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
pub(super) fn never_travel(scn: &Scenario) -> Option<(usize, String, bool)> {
    let largest = largest_group(scn);
    if largest == 0 {
        return None;
    }
    let appointment = scn.policy == crate::scenario::Policy::Appointment;
    let days = (scn.horizon.ceil() as i64).max(1);
    let quotas = most_quotas(scn);
    // Routes that carry nobody take nobody's largest group either.
    let idle = unused_routes(scn);
    for (o, origin) in scn.origins.iter().enumerate() {
        if origin.share <= 0.0 || routes_from(scn, o).next().is_none() {
            continue;
        }
        let (mut travel_most, mut served_most) = (0u64, 0u64);
        let mut limits = Vec::new();
        for r in routes_from(scn, o).filter(|r| !idle.contains(r)) {
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
fn fifo_blocks(scn: &Scenario) -> Vec<(PortNote, String)> {
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
        out.push((
            PortNote {
                port: p,
                says: says::FIFO_BLOCK,
            },
            format!(
                "Under fifo groups of up to {largest} people from {} can board toward {}, whose \
                 quota is at most {q} a day: one that does is never served and holds up {}'s \
                 queue behind it, so the backlog may not clear (the run shows whether it happens; \
                 `appointment` books the quota at boarding).",
                origins.join(", "),
                port.name,
                port.name
            ),
        ));
    }
    out
}

/// The scenario without its scheduled routes that carry nobody (those of an origin whose
/// continuous route takes every group the moment it is ready:
/// [`Scenario::idle_scheduled_routes`]); `None` when it has none. Its bounds are exactly
/// those of the scenario: the left-out buses pass nobody.
pub(super) fn used_routes(scn: &Scenario) -> Option<Scenario> {
    let idle = unused_routes(scn);
    (!idle.is_empty()).then(|| scn.without_routes(&idle))
}

/// The routes that carry nobody, ascending: scheduled routes beside a continuous route that
/// takes every group the moment it is ready ([`Scenario::idle_scheduled_routes`]), and under
/// `choose_port = "first"` the continuous routes listed after one that does
/// ([`Scenario::shadowed_routes`]).
pub(super) fn unused_routes(scn: &Scenario) -> Vec<usize> {
    let mut idle = scn.idle_scheduled_routes();
    idle.extend(scn.shadowed_routes().into_iter().flat_map(|(_, _, l)| l));
    idle.sort_unstable();
    idle.dedup();
    idle
}

/// The notes on origins with a continuous route and scheduled ones: the scheduled routes left
/// out of the bounds because they carry nobody, or counted in full although they carry only
/// what the continuous route leaves them (see the scenario's warning).
fn continuous_notes(scn: &Scenario, rows: &[StageBound]) -> Vec<String> {
    let names = |routes: &[usize]| -> String {
        routes
            .iter()
            .map(|&r| scn.routes[r].name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The ports "not used" that routes of `routes` lead to.
    let unused_by = |routes: &[usize]| -> Vec<&str> {
        rows.iter()
            .filter(|r| r.stage == Stage::Port && r.people == RowPeople::Unused)
            .filter_map(|r| r.port)
            .filter(|&p| routes.iter().any(|&x| scn.routes[x].port == p))
            .map(|p| scn.ports[p].name.as_str())
            .collect()
    };
    let unused = unused_by(&scn.idle_scheduled_routes());
    let mut idle = Vec::new();
    let mut overflow = Vec::new();
    for c in scn.continuous_beside_scheduled() {
        let text = format!(
            "{} ({} beside {})",
            scn.origins[c.origin].name,
            names(&c.scheduled),
            names(&c.continuous)
        );
        if c.left_for_buses.is_empty() {
            idle.push(text);
        } else {
            overflow.push(text);
        }
    }
    let mut notes = Vec::new();
    if !idle.is_empty() {
        notes.push(format!(
            "Scheduled routes beside a continuous route that takes every group the moment it is \
             ready carry nobody (see the warning): from {}. The transport rows and the ports' \
             total leave them out{}.",
            idle.join("; "),
            not_used_text(&unused)
        ));
    }
    if !overflow.is_empty() {
        notes.push(format!(
            "Scheduled routes beside a continuous route carry only the groups it cannot take \
             when they are ready (see the warning): from {}. The bound counts their seats, and \
             the ports they lead to, in full, so clearance can come well after it.",
            overflow.join("; ")
        ));
    }
    let shadowed = scn.shadowed_routes();
    if !shadowed.is_empty() {
        let texts: Vec<String> = shadowed
            .iter()
            .map(|(o, first, later)| {
                format!(
                    "{} ({} after {})",
                    scn.origins[*o].name,
                    names(later),
                    scn.routes[*first].name
                )
            })
            .collect();
        let later: Vec<usize> = shadowed.iter().flat_map(|(_, _, l)| l.clone()).collect();
        notes.push(format!(
            "Under dispatch.choose_port = \"first\" a continuous route whose port always accepts \
             a group takes every group of its origin, so the continuous routes listed after it \
             carry nobody (see the warning): from {}. The transport rows and the ports' total \
             leave them out{}.",
            texts.join("; "),
            not_used_text(&unused_by(&later))
        ));
    }
    notes
}

/// ", and port P, which only they reach, is \"not used\" …" for the ports that only routes
/// carrying nobody reach; "" for none.
fn not_used_text(ports: &[&str]) -> String {
    match ports {
        [] => String::new(),
        [p] => format!(
            ", and {}, which only they reach, is \"not used\": nobody is processed there",
            crate::format::port_named(p)
        ),
        ps => format!(
            ", and {}, which only they reach, are \"not used\": nobody is processed there",
            crate::format::ports_named(ps, "and")
        ),
    }
}

/// Each port's disruption factors.
pub(super) fn port_factors(scn: &Scenario) -> Vec<Factor> {
    (0..scn.ports.len())
        .map(|p| Factor::new(scn.disruptions.iter().filter(|x| x.ports.contains(&p))))
        .collect()
}

/// Each port's quota on days 0..days \[people/day\] (infinite when unlimited), its disruption
/// factor taken at its largest inside the day.
pub(super) fn port_quotas(scn: &Scenario, factors: &[Factor], days: usize) -> Vec<Vec<f64>> {
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

/// What port `p`'s servers can serve on days 0..days \[people/day\] (infinite without a server
/// count), its disruption factor `factor` taken at its largest inside each day.
fn port_server_caps(scn: &Scenario, p: usize, factor: &Factor, days: usize) -> Vec<f64> {
    let port = &scn.ports[p];
    let g = scn.group_size.mean();
    (0..days as i64)
        .map(|d| {
            let m = max_factor(factor, d);
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
}

/// A note for each port some route reaches whose daily quota is more than its servers can serve
/// on a day it opens (servers × opening hours ÷ mean service time, in people, the most of any
/// day analysed, `servers` \[people/day\] by day): the quota then lets through people nobody
/// serves that day, and `explain`'s capacity shows the smaller figure without saying why. The
/// same 1% margin as [`port_limit`]'s. Under `appointment` the note says that the quota counts
/// boardings ([`quota_over_servers_text`], which validation's warning shares).
pub(crate) fn quota_over_servers_notes(
    scn: &Scenario,
    servers: &[Vec<f64>],
    reached: &[bool],
) -> Vec<String> {
    scn.ports
        .iter()
        .enumerate()
        .filter(|(p, _)| reached.get(*p).copied().unwrap_or(false))
        .filter_map(|(p, port)| {
            let serve = servers.get(p)?.iter().copied().fold(0.0, f64::max);
            let (said, boardings) = quota_over_servers_text(scn, p, serve, true)?;
            let key = format!("port[{}]", port.name);
            Some(format!(
                "{said}, so its capacity shows that.{boardings} More servers (`{key}.servers`) \
                 or longer hours (`{key}.hours`), or a smaller quota (`{key}.quota_per_day`), \
                 would make the two agree."
            ))
        })
        .collect()
}

/// What port `p`'s servers can serve on a day it opens, at most \[people/day\]: servers ×
/// opening hours ÷ mean service time × mean group size, the most of the eight days from its
/// opening day (every weekday, a whole one after an opening partway through a day), without
/// disruptions; infinite without a server count.
pub fn port_serves_a_day(scn: &Scenario, p: usize) -> f64 {
    let port = &scn.ports[p];
    let g = scn.group_size.mean();
    let first = port.opens.floor();
    (0..8)
        .map(|i| {
            let d = first + f64::from(i);
            server_capacity(
                port.servers,
                &port.schedule,
                &port.service,
                g,
                d.max(port.opens),
                d + 1.0,
            )
        })
        .fold(0.0, f64::max)
}

/// The words of `explain`'s note and of validation's warning for port `p`, whose servers serve
/// `serve` \[people/day\] a day at most, when its quota is more than that (by more than 1%):
/// "Port P's quota of 600 a day is more than its servers serve: 2 servers in its opening hours
/// serve about 40 people a day (about 27 groups at 30min mean service)" (the port named with a
/// capital when `cap`), and under `appointment` a sentence of its own (with a space before it;
/// empty under `fifo`) saying that the quota counts boardings, so that buses bring the quota and
/// those the servers cannot serve wait at the port. `None` when the quota is not more, or the
/// port has no quota or no server count.
pub(crate) fn quota_over_servers_text(
    scn: &Scenario,
    p: usize,
    serve: f64,
    cap: bool,
) -> Option<(String, String)> {
    let port = &scn.ports[p];
    let quota = f64::from(port.quota_per_day?);
    let count = port.servers?;
    if !(serve.is_finite() && serve > 0.0 && serve < quota * 0.99) {
        return None;
    }
    let fmt = crate::format::fmt_rate;
    let named = if cap {
        crate::format::port_named_cap(&port.name)
    } else {
        crate::format::port_named(&port.name)
    };
    let said = format!(
        "{named}'s quota of {} a day is more than its servers serve: {} in its opening hours \
         serve about {} people a day (about {} groups at {} mean service)",
        fmt(quota),
        if count == 1 {
            "1 server".to_string()
        } else {
            format!("{count} servers")
        },
        fmt(serve),
        fmt(serve / scn.group_size.mean()),
        crate::scenario::units::duration_text(port.service.mean()),
    );
    let boardings = if scn.policy == crate::scenario::Policy::Appointment {
        format!(
            " Under appointment the quota counts boardings: buses bring up to {} people a day \
             toward it, and those its servers cannot serve that day wait at it for later days.",
            fmt(quota)
        )
    } else {
        String::new()
    };
    Some((said, boardings))
}

/// Validation's warning for port `p` (some route reaching it) whose quota is more than its
/// servers can serve on a day it opens ([`port_serves_a_day`]), with the hint naming what they
/// serve: the message, in the words of `explain`'s note on the port, and the hint.
/// `None` when the quota is not more (or the port has no quota, no server count, or no route).
pub fn quota_over_servers_warning(scn: &Scenario, p: usize) -> Option<(String, String)> {
    if !scn.port_has_route(p) {
        return None;
    }
    let serve = port_serves_a_day(scn, p);
    let (said, boardings) = quota_over_servers_text(scn, p, serve, false)?;
    let key = format!("port[{}]", scn.ports[p].name);
    let serve = crate::format::fmt_rate(serve);
    let message = match boardings.is_empty() {
        true => format!("{said}, so its servers, not its quota, limit it"),
        false => format!(
            "{said}, so its servers, not its quota, limit it.{}",
            boardings.trim_end_matches('.')
        ),
    };
    Some((
        message,
        format!(
            "its servers serve about {serve} people a day: more servers (`{key}.servers`) or \
             longer hours (`{key}.hours`), or a quota_per_day of about {serve}, would make the \
             two agree"
        ),
    ))
}

/// Which of a port's two capacities is the smaller over some days: its quota, or what its
/// servers can serve (servers × opening hours ÷ mean service time, in people).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PortLimit {
    /// The quota: its servers could serve more than it lets through.
    Quota {
        /// Mean quota a day over the days \[people/day\].
        quota: f64,
        /// Mean people its servers can serve a day \[people/day\].
        servers: f64,
    },
    /// The servers: they serve fewer people than the quota lets through.
    Servers {
        /// Mean quota a day over the days \[people/day\]; infinite when unlimited.
        quota: f64,
        /// Mean people its servers can serve a day \[people/day\].
        servers: f64,
    },
    /// Both about the same (within 1%), or both unlimited, or no capacity on those days.
    Neither,
}

/// Which of port `p`'s quota and servers is the smaller over days `from..to` \[day index\], as
/// `explain`'s capacities count them (the disruption factors in force, the port's opening day).
pub fn port_limit(scn: &Scenario, p: usize, from: usize, to: usize) -> PortLimit {
    let to = to.max(from + 1);
    let factors = port_factors(scn);
    let quota = &port_quotas(scn, &factors, to)[p][from..];
    let servers = &port_server_caps(scn, p, &factors[p], to)[from..];
    let n = (to - from) as f64;
    let (q, s) = (
        quota.iter().sum::<f64>() / n,
        servers.iter().sum::<f64>() / n,
    );
    if !(q.is_finite() || s.is_finite()) || (q <= 0.0 && s <= 0.0) {
        PortLimit::Neither
    } else if s < q * 0.99 {
        PortLimit::Servers {
            quota: q,
            servers: s,
        }
    } else if q < s * 0.99 {
        PortLimit::Quota {
            quota: q,
            servers: s,
        }
    } else {
        PortLimit::Neither
    }
}

/// The seats each route offers on days 0..days that can be used \[people/day\]: under
/// `appointment` none on a day its port takes no appointments (quota 0 in `port_quota`:
/// before it opens, on days it does not serve, closed by a disruption), since nobody boards
/// toward a port then.
pub(super) fn usable_route_caps(
    scn: &Scenario,
    port_quota: &[Vec<f64>],
    days: usize,
) -> Vec<Vec<f64>> {
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

/// For each route, whether it limits nothing on any of days 0..days: continuous or without
/// `seats`, and never closed by a disruption (the days its port takes no appointments aside).
fn free_routes(scn: &Scenario, days: usize) -> Vec<bool> {
    (0..scn.routes.len())
        .map(|r| {
            let factor = Factor::new(scn.disruptions.iter().filter(|x| x.routes.contains(&r)));
            (0..days).all(|d| route_capacity(scn, r, &factor, d as i64).is_infinite())
        })
        .collect()
}

/// The capacity bounds of every stage and the lower bound on clearance they imply, from the
/// scenario alone (no simulation).
pub fn explain(scn: &Scenario) -> BottleneckReport {
    explain_with(scn, true, 0)
}

/// [`explain`] over at least the first `days` days (the horizon at most): a run's analyses
/// ("What binds", the charts' capacity lines, the report) ask it for the days up to the run's
/// last clearance, so that none of them stops before the runs do.
pub fn explain_through(scn: &Scenario, days: usize) -> BottleneckReport {
    explain_with(scn, true, days)
}

/// [`explain_through`] for a run: through its last clearance (the day after it, as the
/// charts' axes end), or through the horizon when a run did not clear.
pub fn explain_for_run(scn: &Scenario, run: &crate::experiment::RunView<'_>) -> BottleneckReport {
    let last = run
        .clearance_days
        .iter()
        .copied()
        .filter(|d| d.is_finite())
        .fold(0.0f64, f64::max);
    explain_through(scn, (last.ceil() as usize + 1).max(run.daily.days))
}

/// `scn` with the servers of screening and of every port that has some (and, with
/// `random_only`, a service time that varies) taken as unlimited; `None` when there are none.
fn without_servers(scn: &Scenario, random_only: bool) -> Option<Scenario> {
    let counts = |servers: Option<u32>, service: &Dist| {
        servers.is_some_and(|n| n > 0)
            && service.mean() > 0.0
            && (!random_only || service.variance() > 0.0)
    };
    let mut out = scn.clone();
    let mut any = false;
    if let Some(s) = out
        .screening
        .as_mut()
        .filter(|s| counts(s.servers, &s.service))
    {
        s.servers = None;
        any = true;
    }
    for p in out
        .ports
        .iter_mut()
        .filter(|p| counts(p.servers, &p.service))
    {
        p.servers = None;
        any = true;
    }
    any.then_some(out)
}

/// What sets the bound `day` of `scn`, and the floor without servers: the bound again with
/// every server unlimited (the day quotas, seats and registrations give) and, when that is
/// earlier, with only the servers of random service times unlimited.
fn bound_kind(scn: &Scenario, day: Option<i64>) -> (BoundKind, Option<i64>) {
    let Some(day) = day else {
        return (BoundKind::Floor, None);
    };
    let floor =
        without_servers(scn, false).and_then(|s| explain_with(&s, false, 0).lower_bound_day);
    match floor {
        Some(f) if f < day => {
            let random = without_servers(scn, true)
                .and_then(|s| explain_with(&s, false, 0).lower_bound_day)
                .is_some_and(|r| r < day);
            let kind = if random {
                BoundKind::RandomServers
            } else {
                BoundKind::FixedServers
            };
            (kind, Some(f))
        }
        _ => (BoundKind::Floor, Some(day)),
    }
}

/// [`explain`]; with `servers` false, without telling whether servers set the bound (the
/// report's `bound_kind` is then `Floor`), as `bound_kind` asks it of a scenario without them.
///
/// The analysis covers the first [`FIRST_DAYS`] days of the horizon and, while some stage does
/// not finish within the span or the bound falls in its last quarter (runs clear after the
/// bound), twice the span, up to the whole horizon: the capacities, the bound and "What binds"
/// then reach past every run's clearance. (The span had stopped at 3,650 days: a backlog that
/// every run cleared on days 4,850–5,114 of a 36,500-day horizon was "not within the horizon",
/// and the charts' capacity lines and "What binds" ended at day 3,650.) Each step is linear in
/// the days, but with ten ports a 36,500-day span costs about a second, so the span grows only
/// as far as the scenario needs. `at_least` days are analysed in any case (the horizon at
/// most).
fn explain_with(full: &Scenario, servers: bool, at_least: usize) -> BottleneckReport {
    let horizon = full.horizon.ceil().max(1.0) as usize;
    let mut days = horizon.min(FIRST_DAYS.max(at_least));
    loop {
        let rep = explain_days(full, servers, days);
        let enough = rep
            .lower_bound_day
            .is_some_and(|d| d.max(0) as usize * 4 <= days * 3);
        if enough || days >= horizon {
            return rep;
        }
        days = (days * 2).min(horizon);
    }
}

/// [`explain_with`] over the first `days` days of the horizon.
fn explain_days(full: &Scenario, servers: bool, days: usize) -> BottleneckReport {
    // Scheduled routes beside a continuous route that takes every group at once carry nobody:
    // the bounds are those of the scenario without them (exactly: nothing else changes).
    let used = used_routes(full);
    let scn = used.as_ref().unwrap_or(full);
    let g = scn.group_size.mean();
    let people = scn.cohort_people();
    let to_clear = people as f64 * (1.0 - scn.registration.never);
    let opened = opened_by(scn, days);
    // Whom the capacities must pass: those who register, allowing for chance (see
    // `share_people`).
    let all_people = share_people(scn, 1.0);
    let mut notes = Vec::new();
    // The notes written a port each, by their index in `notes` (see `note_ports`).
    let mut port_notes: Vec<(usize, PortNote)> = Vec::new();
    let mut rows = Vec::new();
    let date = |d: Option<i64>| d.map(|d| scn.start_date + chrono::Duration::days(d));

    // Registration: the arrival curve.
    let reg = registered_by(scn, days);
    let reg_daily: Vec<f64> = reg
        .iter()
        .enumerate()
        .map(|(d, r)| if d == 0 { *r } else { r - reg[d - 1] })
        .collect();
    // The first day by whose end the chance that every group has registered reaches 1 in 1000:
    // a group of a cohort registers later with chance q (it registers at all, after the day),
    // so all of the cohort's n groups have by then with chance (1 − q)^n, and all groups with
    // chance e^(−Σ n (−ln(1 − q))); the day is the first on which that sum falls below ln 1000,
    // the chance the other rows allow too. (With one group expected still to register, as
    // before, a third of the replications of a long exponential delay had everyone registered
    // before that day; with the expected number, Σ n q, a backlog of fewer than ln 1000 groups
    // had its bound on day 0.)
    let keep = 1.0 - scn.registration.never;
    // Each cohort's chance of registering after each day, read here and by every stage's bound.
    let after = registering_after(scn, days);
    let still_by = |d: usize| -> f64 {
        after
            .iter()
            .map(|(people, late)| {
                let q = keep * late[d];
                people / g.max(1.0) * -(1.0 - q).ln()
            })
            .sum()
    };
    let reg_finish = (0..days)
        .position(|d| still_by(d) < REGISTRATION_TAIL_GROUPS * 0.999_999)
        .map(|d| d as i64);
    // The same sum at ln 2: every group has registered in half the runs.
    let registration_median_day = (0..days)
        .position(|d| still_by(d) < REGISTRATION_MEDIAN_GROUPS * 0.999_999)
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
                    // A factor of 0 closes screening also without a server count (as the
                    // simulation's servers_at does); other factors scale the count.
                    let factor = max_factor(&f, d);
                    let servers = match s.servers {
                        Some(c) => Some(scaled(c as f64, factor) as u32),
                        None if factor == 0.0 => Some(0),
                        None => None,
                    };
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
    let late_all = late_people(scn, &after, 1.0, days);
    let (screening_finish, tail) =
        stage_finish(&opened, &screening_cap, all_people, &late_all, reg_finish);
    tail_note(&mut notes, "Screening", tail, screening_finish);
    // What each row leaves unpassed when it does not finish (see `unpassed`): of the rows that
    // do not, the one that leaves the most binds.
    let screening_short = unpassed(&opened, &screening_cap, all_people);
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
    // Routes that limit nothing on any day: continuous, or without seats, and never closed by a
    // disruption. Under appointment their capacities above are 0 on the days their ports take no
    // appointments, but that is the port's quota holding people back, not transport: a row made
    // of such routes only is unlimited (its capacity shown as unlimited every day).
    let free_routes = free_routes(scn, days);
    let free = |routes: Vec<usize>, cap: &[f64]| {
        cap.iter().all(|c| c.is_infinite())
            || (!routes.is_empty() && routes.iter().all(|&r| free_routes[r]))
    };
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
    let mut transport_short = unpassed(&opened, &transport_total, all_people);
    let mut origin_short = vec![0.0; scn.origins.len()];
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
        if f.is_none() {
            origin_short[o] = unpassed(&share, &cap, share_people(scn, origin.share));
            transport_short = transport_short.max(origin_short[o]);
        }
        origin_rows.push((cap, f, own_port(scn, o)));
    }
    let unlimited = free((0..scn.routes.len()).collect(), &transport_total);
    rows.push(StageBound {
        stage: Stage::Transport,
        port: None,
        origin: None,
        name: "transport".into(),
        unlimited,
        capacity: if unlimited {
            vec![f64::INFINITY; days]
        } else {
            transport_total
        },
        earliest_day: transport_finish,
        earliest_date: date(transport_finish),
        people: RowPeople::All,
    });

    // Ports: each day's servers capacity, and the smaller of it and the quota.
    let port_servers: Vec<Vec<f64>> = (0..scn.ports.len())
        .map(|p| port_server_caps(scn, p, &port_factors[p], days))
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
    // A set of ports is the list of its members' indices (any number of ports: a bit mask of
    // 64 bits had wrapped its shifts from port 64 on, so that every port counted).
    let set_finish = |set: &[usize], arrived: &[f64], people: f64, late: &[f64]| {
        let sum = |caps: &[Vec<f64>]| {
            set.iter()
                .fold(zero.clone(), |a, &p| sum_caps(&a, &caps[p]))
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
    // What a set of ports leaves unpassed (under appointment, the more of quota and servers).
    let set_short = |set: &[usize], arrived: &[f64], people: f64| {
        let sum = |caps: &[Vec<f64>]| {
            set.iter()
                .fold(zero.clone(), |a, &p| sum_caps(&a, &caps[p]))
        };
        if appointment {
            unpassed(arrived, &sum(&port_quota), people).max(unpassed(
                arrived,
                &sum(&port_servers),
                people,
            ))
        } else {
            unpassed(arrived, &sum(&port_caps), people)
        }
    };
    // The ports some route reaches: a port no route leads to processes nobody, so its capacity
    // is no part of the ports' total (it had shown 200 a day where only 100 could be used).
    let reached: Vec<bool> = (0..scn.ports.len())
        .map(|p| scn.port_has_route(p))
        .collect();
    let all_ports: Vec<usize> = (0..scn.ports.len()).filter(|&p| reached[p]).collect();
    let ports_total = port_caps
        .iter()
        .zip(&reached)
        .filter(|(_, r)| **r)
        .fold(zero.clone(), |a, (c, _)| sum_caps(&a, c));
    let (mut ports_finish, tail) = set_finish(&all_ports, &opened, all_people, &late_all);
    tail_note(&mut notes, "All ports together", tail, ports_finish);
    // People whose every route leads into a set of ports must pass those ports: for each set
    // (every set up to MAX_PORT_SETS ports, else each port alone), its origins' share against
    // its capacity. A port alone keeps its own finish for its row.
    // Each origin's ports, sorted and without repeats.
    let port_mask: Vec<Vec<usize>> = (0..scn.origins.len())
        .map(|o| {
            let mut ports: Vec<usize> = scn
                .routes
                .iter()
                .filter(|r| r.origin == o)
                .map(|r| r.port)
                .collect();
            ports.sort_unstable();
            ports.dedup();
            ports
        })
        .collect();
    let sets: Vec<Vec<usize>> = match scn.ports.len() {
        n if n <= MAX_PORT_SETS => (1..1usize << n)
            .map(|m| (0..n).filter(|p| m & (1usize << p) != 0).collect())
            .collect(),
        n => (0..n).map(|p| vec![p]).collect(),
    };
    let mut in_set = vec![false; scn.ports.len()];
    let mut port_own_finish: Vec<Option<i64>> = vec![None; scn.ports.len()];
    let mut port_own_short = vec![0.0; scn.ports.len()];
    let mut ports_short = if ports_finish.is_none() {
        set_short(&all_ports, &opened, all_people)
    } else {
        0.0
    };
    for set in sets {
        for &p in &set {
            in_set[p] = true;
        }
        let share: f64 = scn
            .origins
            .iter()
            .zip(&port_mask)
            .filter(|(_, m)| !m.is_empty() && m.iter().all(|&p| in_set[p]))
            .map(|(o, _)| o.share)
            .sum();
        for &p in &set {
            in_set[p] = false;
        }
        if share <= 0.0 {
            continue;
        }
        let arrived: Vec<f64> = opened.iter().map(|a| a * share).collect();
        let late = late_people(scn, &after, share, days);
        let (f, tail) = set_finish(&set, &arrived, share_people(scn, share), &late);
        let unpassed = if f.is_none() {
            set_short(&set, &arrived, share_people(scn, share))
        } else {
            0.0
        };
        ports_short = ports_short.max(unpassed);
        if let [p] = set[..] {
            port_own_finish[p] = f;
            port_own_short[p] = unpassed;
            if tail_note(
                &mut notes,
                &crate::format::port_named_cap(&scn.ports[p].name),
                tail,
                f,
            ) {
                let about = PortNote {
                    port: p,
                    says: says::TAIL,
                };
                port_notes.push((notes.len() - 1, about));
            }
        }
        ports_finish = match (ports_finish, f) {
            (Some(a), Some(b)) => Some(a.max(b)),
            _ => None,
        };
    }
    let ports_total_alone = set_finish(&all_ports, &opened, all_people, &late_all).0;
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
        let routed = port_mask.iter().any(|m| m.contains(&p));
        let whose = |own: bool| match (routed, own) {
            // Routes lead there, but only buses that carry nobody.
            (false, _) if full.port_has_route(p) => RowPeople::Unused,
            (false, _) => RowPeople::NoRoute,
            (true, true) => RowPeople::Own,
            (true, false) => RowPeople::Shared,
        };
        let unlimited = free(routes_to(scn, p).collect(), &t);
        rows.push(StageBound {
            stage: Stage::Transport,
            port: Some(p),
            origin: own_origin,
            name: format!("transport → {}", port.name),
            unlimited,
            capacity: if unlimited {
                vec![f64::INFINITY; days]
            } else {
                t
            },
            earliest_day: own,
            earliest_date: date(own),
            people: whose(own_origin.is_some()),
        });
        let c = port_caps[p].clone();
        rows.push(StageBound {
            stage: Stage::Port,
            port: Some(p),
            origin: None,
            name: crate::format::port_named(&port.name),
            unlimited: c.iter().all(|c| c.is_infinite()),
            capacity: c,
            earliest_day: port_own_finish[p],
            earliest_date: date(port_own_finish[p]),
            people: whose(port_mask.iter().any(|m| m[..] == [p])),
        });
    }

    // Transport from each origin whose routes are not exactly one port's.
    for (o, (cap, f, own_port)) in origin_rows.into_iter().enumerate() {
        if own_port.is_some() || free(routes_from(scn, o).collect(), &cap) || scn.origins.len() < 2
        {
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

    // What each row leaves unpassed by the last day analysed, when it does not finish.
    let short: Vec<f64> = rows
        .iter()
        .map(|r| match (r.stage, r.port, r.origin) {
            (Stage::Screening, ..) => screening_short,
            (Stage::Transport, None, None) => transport_short,
            (Stage::Port, None, _) => ports_short,
            (Stage::Transport, _, Some(o)) => origin_short[o],
            (Stage::Port, Some(p), _) => port_own_short[p],
            _ => 0.0,
        })
        .collect();
    // The binding stage: latest earliest finish among totals (never-finishing counts as latest;
    // registration that never finishes first, then of the capacities that never pass everyone
    // the one that leaves the most people unpassed; a tie, as of days, to the later row: under
    // appointment a port whose quota is too small leaves its buses no seats on the days it
    // takes no appointments, so "transport" and "ports" both never finish, and the port binds).
    let mut binding: Option<usize> = None;
    let mut latest: Option<Option<i64>> = None;
    for (i, r) in rows.iter().enumerate().take(4) {
        let later = match (latest, r.earliest_day) {
            (None, _) => true,
            // Screening that passes nobody at all keeps it: nobody reaches the stages after
            // it, whose own shortfalls (computed as if everyone did) say nothing then.
            (Some(None), None) => binding.is_some_and(|b| {
                rows[b].stage != Stage::Registration
                    && !(rows[b].stage == Stage::Screening && short[b] >= 1.0 - 1e-9)
                    && !r.unlimited
                    && short[i] >= short[b] - 1e-9
            }),
            (Some(None), Some(_)) => false,
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
    // Transport or the ports never pass everyone through the rows of one port or origin: name
    // the row of that stage that leaves the most of its own people unpassed.
    if let (Some(b), None) = (binding, lower_bound_day) {
        let stage = rows[b].stage;
        if matches!(stage, Stage::Transport | Stage::Port) {
            if let Some(i) = (0..rows.len())
                .filter(|&i| {
                    let r = &rows[i];
                    r.stage == stage
                        && (r.port.is_some() || r.origin.is_some())
                        && r.earliest_day.is_none()
                        && r.people == RowPeople::Own
                        && short[i] > 0.0
                })
                .max_by(|&x, &y| short[x].total_cmp(&short[y]))
            {
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
        // Their row and its stage's total never pass everyone, whatever the capacity says (a
        // port's "earliest finish day 49" beside "never served" read as a contradiction).
        if let Some(b) = binding {
            let stage = rows[b].stage;
            for (i, r) in rows.iter_mut().enumerate() {
                if i == b || (r.stage == stage && r.port.is_none() && r.origin.is_none()) {
                    r.earliest_day = None;
                    r.earliest_date = None;
                }
            }
        }
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
    let mut holding_notes: Vec<(PortNote, String)> = Vec::new();
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
        let about = |what| PortNote {
            port: p,
            says: what,
        };
        if seats > h {
            holding_notes.push((
                about(says::HOLDING_SEATS),
                format!(
                    "{}'s holding limit ({h} {waiting}) lets at most {h} board one departure \
                 toward it ({}): the transport rows count that, and a larger holding limit \
                 raises them.",
                    crate::format::port_named_cap(&port.name),
                    match seats {
                        u64::MAX => "its buses have no seat limit".to_string(),
                        s => format!("its buses have up to {s} seats"),
                    }
                ),
            ));
        }
        if let Some(rate) = continuous.into_iter().reduce(f64::max) {
            travel_limits = true;
            holding_notes.push((
                about(says::HOLDING_CONTINUOUS),
                format!(
                    "{}'s holding limit ({h} {waiting}) holds a continuous route toward it to \
                 about {} people a day over time: the limit over the mean travel time, since \
                 everyone in transit counts against it. Random travel times let more through on \
                 some days, so the bound leaves it out: expect clearance later than the bound.",
                    crate::format::port_named_cap(&port.name),
                    fmt_rate(rate)
                ),
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
    for (about, note) in holding_notes.into_iter().chain(
        // Under fifo nothing at boarding looks at the quota: a group larger than one port's
        // quota can board toward it (if never_travel did not already say the backlog cannot
        // clear).
        if scn.policy == crate::scenario::Policy::Fifo && never_travel.is_none() {
            fifo_blocks(scn)
        } else {
            Vec::new()
        },
    ) {
        port_notes.push((notes.len(), about));
        notes.push(note);
    }
    let (bound_kind, floor_day) = if servers {
        bound_kind(scn, lower_bound_day)
    } else {
        (BoundKind::Floor, lower_bound_day)
    };
    let chance = "for quotas, seats and holding limits on scheduled routes it counts three \
                  standard deviations fewer people than expected (who registers, from where, and \
                  when, are drawn at random)";
    notes.push(match bound_kind {
        BoundKind::Floor if lower_bound_day.is_none() => format!(
            "The bound takes mean service times and the expected registrations: {chance}, so \
             about one replication in a thousand can clear before it; random service, service \
             started until closing time, or a continuous registration delay can let more clear a \
             little before it."
        ),
        BoundKind::Floor => format!(
            "The bound takes mean service times and the expected registrations: {chance}, so \
             about one replication in a thousand can clear before it (a continuous registration \
             delay can let a few more); no servers set it, so random service cannot bring a run \
             before it."
        ),
        BoundKind::FixedServers => format!(
            "The bound takes mean service times and the expected registrations: {chance}, so \
             about one replication in a thousand can clear before it; servers with fixed service \
             times set it, and service started until closing time (or a service longer than a \
             day) can let a run clear a little before it."
        ),
        BoundKind::RandomServers => format!(
            "The bound takes mean service times and the expected registrations. Servers with \
             random service times set it, so it is an estimate around which runs fall, not a \
             floor: how many services a server starts in an opening varies from day to day, and \
             one may start until closing time. The floor is the day quotas, seats, holding \
             limits and registrations alone give ({}): {chance}, so about one replication in a \
             thousand clears before it.",
            floor_day.map_or("none".to_string(), |d| format!("day {d}"))
        ),
    });
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
                    port_notes.push((
                        notes.len(),
                        PortNote {
                            port: p,
                            says: says::SAME_DAY,
                        },
                    ));
                    notes.push(format!(
                        "The transport to {} and {} finish on the same day: its buses and \
                         its capacity bind together, so raising only one of them does not bring \
                         that day forward.",
                        port.name,
                        crate::format::port_named(&port.name)
                    ));
                }
            }
        }
    }
    notes.extend(quota_over_servers_notes(scn, &port_servers, &reached));
    if rows.iter().any(|r| r.people == RowPeople::Shared) {
        notes.push(
            "\"shared\": the row's capacity serves people who can also be served elsewhere, or \
             several origins' buses, so it has no finish of its own; the totals (and the rows \
             \"transport from …\") bound those people."
                .into(),
        );
    }
    notes.extend(continuous_notes(full, &rows));
    if rows.iter().any(|r| r.people == RowPeople::NoRoute) {
        notes.push(
            "\"no route\": no [[route]] leads to the port, so nobody is processed there; the \
             ports' total leaves it out."
                .into(),
        );
    }
    // A stage total (not one port's or origin's row) that passes nobody: nobody is processed.
    let passes_nobody = lower_bound_day.is_none()
        && never_travel.is_none()
        && binding.is_some_and(|b| {
            rows[b].stage != Stage::Registration
                && rows[b].port.is_none()
                && rows[b].origin.is_none()
                && short[b] >= 1.0 - 1e-9
        });
    if lower_bound_day.is_none() && never_travel.is_none() && !passes_nobody {
        // With drop-outs that loosen the bound (`attrition_loosens`), only if nobody dropped out.
        let loosens = scn.attrition_hazard > 0.0
            && binding.is_some_and(|b| rows[b].stage != Stage::Registration);
        notes.push(format!(
            "Some stage does not pass everyone within the {} analysed{}.",
            days_text(days as f64),
            if loosens {
                " if nobody drops out (with drop-outs, a run can clear within them)"
            } else {
                ""
            }
        ));
    }
    let mut note_ports = vec![None; notes.len()];
    for (i, about) in port_notes {
        note_ports[i] = Some(about);
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
        bound_kind,
        floor_day,
        floor_date: date(floor_day),
        never_travel: never_travel.map(|(_, why, _)| why),
        passes_nobody,
        notes,
        note_ports,
        attrition: scn.attrition_hazard > 0.0,
        registration_median_day,
    }
}
