//! The resolved scenario: every value validated, every duration in days, every name resolved to
//! an index. The simulation reads only these types; the TOML structs never leave `scenario/`.

use super::diag::Problem;
use super::dist::{Dist, SizeDist};
use chrono::{Datelike, NaiveDate};

/// Weekday set, index 0 = Monday … 6 = Sunday.
pub type DaySet = [bool; 7];

/// Every weekday.
pub const ALL_DAYS: DaySet = [true; 7];

/// When a server may START a service: on `days`, inside `hours` (half-open [open, close) as
/// fractions of a day; close < open wraps past midnight). `days` applies to the calendar day on
/// which a service would start.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// Opening hours as fractions of a day \[days\], or `None` for all day.
    pub hours: Option<(f64, f64)>,
    /// Days on which the schedule is open.
    pub days: DaySet,
    /// Weekday (0 = Monday) of simulation day 0.
    pub start_weekday: u8,
}

/// Calendar date of time t \[days\] counted from 00:00 of `start_date` (day 0): the date of
/// day [`day_of`]`(t)`, as [`Scenario::date_of`] gives it; `None` for a t that is not finite or
/// whose date lies outside the calendar's range (a time beyond year 262,000), where `date_of`
/// would fail.
pub fn date_at(start_date: NaiveDate, t: f64) -> Option<NaiveDate> {
    if !t.is_finite() {
        return None;
    }
    start_date.checked_add_signed(chrono::TimeDelta::try_days(day_of(t))?)
}

/// Day index of time t \[days\], guarding float round-off just below midnight.
#[inline]
pub fn day_of(t: f64) -> i64 {
    // Truncation is floor for t >= 0 and avoids a libm call in the hot loop.
    let f = if t >= 0.0 {
        (t as i64) as f64
    } else {
        t.floor()
    };
    if t - f > 1.0 - 1e-9 {
        f as i64 + 1
    } else {
        f as i64
    }
}

/// Day number `t` \[days\] with `d` decimals, to print beside its date: rounded to nearest
/// unless that puts it in a later day than `t`'s ([`day_of`]), then rounded
/// down, so that the number never names another day than the date beside it (day 1.96875, on
/// 2021-01-02 for a start on 2021-01-01, is "1.9", not "2.0", which is 2021-01-03). The run's
/// table, the report and `target` print every day number beside a date so.
pub fn day_fixed(t: f64, d: usize) -> String {
    if !t.is_finite() {
        return format!("{t}");
    }
    let text = crate::format::fixed(t, d);
    match text.parse::<f64>() {
        Ok(v) if day_of(v) > day_of(t) => crate::format::fixed(crate::format::round_down(t, d), d),
        _ => text,
    }
}

/// The earliest time \[days\] that [`day_of`] puts in day `d` or later: for every t,
/// `t >= day_start(d)` exactly when `day_of(t) >= d`. It lies at most 1e-9 before `d` (the
/// round-off guard), so comparing a time with `day_start(d + 1)` assigns it to day d or a later
/// day as `day_of` does, without computing `day_of` for every event.
pub fn day_start(d: i64) -> f64 {
    // `day_of` never decreases as t grows: step from an estimate to the least float it puts in
    // day d or later (a few steps at most).
    let mut x = d as f64 - 1e-9;
    while day_of(x) < d {
        x = x.next_up();
    }
    while day_of(x.next_down()) >= d {
        x = x.next_down();
    }
    x
}

impl Schedule {
    /// Open all day, every day; `start_weekday` is the weekday of the scenario's day 0 (0 =
    /// Monday, as [`Scenario::start_weekday`] gives it).
    pub fn always(start_weekday: u8) -> Schedule {
        Schedule {
            hours: None,
            days: ALL_DAYS,
            start_weekday,
        }
    }

    /// True when the schedule never opens and never closes.
    pub fn is_always(&self) -> bool {
        self.hours.is_none() && self.days == ALL_DAYS
    }

    /// True when the schedule is open on no day at all.
    pub fn is_never(&self) -> bool {
        !self.days.iter().any(|d| *d) || matches!(self.hours, Some((o, c)) if o == c)
    }

    /// Is simulation day `d` one of the schedule's weekdays?
    #[inline]
    pub fn day_open(&self, d: i64) -> bool {
        let wd = (d + self.start_weekday as i64).rem_euclid(7) as usize;
        self.days[wd]
    }

    /// May a service start at time t \[days\]?
    #[inline]
    pub fn is_open(&self, t: f64) -> bool {
        let d = day_of(t);
        if !self.day_open(d) {
            return false;
        }
        match self.hours {
            None => true,
            Some((open, close)) => {
                let x = (t - d as f64).max(0.0);
                if open < close {
                    x >= open - 1e-9 && x < close - 1e-9
                } else if open > close {
                    x >= open - 1e-9 || x < close - 1e-9
                } else {
                    false
                }
            }
        }
    }

    /// The first time >= t at which the schedule is open, or `None` if it never opens.
    pub fn next_open(&self, t: f64) -> Option<f64> {
        if self.is_never() {
            return None;
        }
        if self.is_open(t) {
            return Some(t);
        }
        let d0 = day_of(t);
        // Look at most 8 days ahead: every open weekday recurs within a week.
        for d in d0..d0 + 9 {
            if !self.day_open(d) {
                continue;
            }
            let base = d as f64;
            let candidates: [Option<f64>; 2] = match self.hours {
                None => [Some(base), None],
                Some((open, close)) if open < close => [Some(base + open), None],
                // wrapping: open from midnight until close, and from open until midnight
                Some((open, _close)) => [Some(base), Some(base + open)],
            };
            for c in candidates.into_iter().flatten() {
                let c = c.max(t);
                if self.is_open(c) {
                    return Some(c);
                }
            }
        }
        None
    }

    /// Where a port whose day-`d` quota is used up at t (open then) can next start anyone:
    /// the day's second opening when hours wrap past midnight and t is in the first (from
    /// midnight to the close; the evening's opening is still day d's, whose quota a higher
    /// class or the end of a disruption may leave room in), else the first opening from day
    /// d + 1 on.
    pub fn next_opening_after_quota(&self, d: i64, t: f64) -> Option<f64> {
        if let Some((open, close)) = self.hours {
            let evening = d as f64 + open;
            if open > close && evening > t && self.day_open(d) {
                return Some(evening);
            }
        }
        self.next_open((d + 1) as f64)
    }

    /// Open intervals [a, b) of day d, as absolute times \[days\].
    pub fn open_intervals(&self, d: i64) -> Vec<(f64, f64)> {
        if !self.day_open(d) {
            return vec![];
        }
        let b = d as f64;
        match self.hours {
            None => vec![(b, b + 1.0)],
            Some((o, c)) if o < c => vec![(b + o, b + c)],
            Some((o, c)) if o > c => vec![(b, b + c), (b + o, b + 1.0)],
            Some(_) => vec![],
        }
    }
}

/// A cohort that opens at once: the backlog or a phase.
#[derive(Debug, Clone)]
pub struct Cohort {
    /// "backlog", or the phase's name.
    pub name: String,
    /// Size of the cohort \[people\].
    pub people: u64,
    /// Opening time \[days\].
    pub opens: f64,
}

/// Where groups wait (`[[origin]]`).
#[derive(Debug, Clone)]
pub struct Origin {
    /// Its name, as routes name it.
    pub name: String,
    /// Share of groups waiting in this origin \[fraction\].
    pub share: f64,
}

/// A priority class: queues serve higher classes (listed first) first, FIFO within a class.
#[derive(Debug, Clone)]
pub struct Class {
    /// Its name ("all" for the one class of a scenario that sets none).
    pub name: String,
    /// Share of groups in this class \[fraction\].
    pub share: f64,
}

/// How groups register after their cohort opens (`[registration]`).
#[derive(Debug, Clone)]
pub struct Registration {
    /// Delay from cohort opening to registration \[days\].
    pub delay: Dist,
    /// Probability that a group never registers \[fraction\].
    pub never: f64,
}

/// Eligibility screening (`[screening]`): servers in its opening hours.
#[derive(Debug, Clone)]
pub struct Screening {
    /// Number of servers; `None` = unlimited.
    pub servers: Option<u32>,
    /// Service time per group \[days\].
    pub service: Dist,
    /// When a server may start a service.
    pub schedule: Schedule,
}

/// The health check after screening (`[health]`): a test; after a positive one, isolation and
/// a test again, until negative.
#[derive(Debug, Clone)]
pub struct Health {
    /// Time for one test \[days\].
    pub turnaround: Dist,
    /// Probability that a test is positive \[fraction\].
    pub positive: f64,
    /// Isolation after a positive test \[days\].
    pub isolation: Dist,
    /// Share of groups that need the check \[fraction, 0 to 1\] (`share`, an addition; 1, the
    /// default, is every group). A group that does not need it passes the stage at once, as if
    /// it were omitted, and is never positive. Decided by a draw from the health stream at the
    /// end of screening, made only when the share is below 1.
    pub share: f64,
}

/// How ports' quotas act (`[dispatch] policy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// No reservation: a port's quota is enforced when its services start.
    Fifo,
    /// A group boards toward a port on day d only while the port has unreserved quota for day
    /// d; boarding reserves it, and the port does not check the quota again.
    Appointment,
}

/// Which port a group with several routes boards toward (`[dispatch] choose_port`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoosePort {
    /// The first route listed that can take the group now.
    First,
    /// Among the routes that can take it now, the port with the fewest people queued at it
    /// (not in service) plus in transit toward it; ties to the first listed.
    ShortestQueue,
}

/// When a route's buses leave.
#[derive(Debug, Clone)]
pub enum Departures {
    /// No schedule, no seat limit: each group leaves as soon as it is ready.
    Continuous,
    /// Departure times of day as fractions of a day, sorted ascending, no duplicates.
    Scheduled(Vec<f64>),
}

/// Bus transport from an origin to a port (`[[route]]`).
#[derive(Debug, Clone)]
pub struct Route {
    /// Display name, "from->to" unless the scenario names it.
    pub name: String,
    /// Index into `Scenario::origins`.
    pub origin: usize,
    /// Index into `Scenario::ports`.
    pub port: usize,
    /// Its departures: continuous, or scheduled times of day.
    pub departures: Departures,
    /// Weekdays with departures (scheduled routes).
    pub days: DaySet,
    /// Seats per departure \[people\]; `None` = unlimited.
    pub seats: Option<u32>,
    /// Travel time \[days\].
    pub travel: Dist,
}

/// A port's quota growing linearly after it opens.
#[derive(Debug, Clone)]
pub struct Ramp {
    /// Quota on the opening day \[people/day\].
    pub from: f64,
    /// Days to reach `quota_per_day` \[days\].
    pub over: f64,
}

/// A port of entry (`[[port]]`).
#[derive(Debug, Clone)]
pub struct Port {
    /// Its name, as routes and disruptions name it.
    pub name: String,
    /// Opening time \[days\].
    pub opens: f64,
    /// Daily quota q(d) \[people/day\] (MODEL.md §1, stages 5 and 6): under `fifo` it caps
    /// the people whose service starts in a day; under `appointment` (the baseline's policy)
    /// the people who board toward the port in a day, and the port does not check it again.
    /// `None` = unlimited. Change it in code through [`Scenario::port_index`].
    pub quota_per_day: Option<u32>,
    /// The quota's ramp after opening; `None` = the full quota from the first day.
    pub ramp: Option<Ramp>,
    /// Number of servers; `None` = unlimited.
    pub servers: Option<u32>,
    /// Service time per group \[days\].
    pub service: Dist,
    /// When a server may start a service.
    pub schedule: Schedule,
    /// Limit on people waiting at the port plus in transit to it \[people\]; `None` = none.
    pub holding: Option<u64>,
}

/// New groups arriving while the backlog clears (`[inflow]`).
#[derive(Debug, Clone)]
pub struct Inflow {
    /// Poisson arrival rate \[groups/day\].
    pub rate_per_day: f64,
    /// Start of the arrivals \[days\].
    pub from: f64,
    /// End of the arrivals \[days\].
    pub until: f64,
}

/// A span in which capacities are scaled (`[[disruption]]`): a closure when `capacity` is 0.
#[derive(Debug, Clone)]
pub struct Disruption {
    /// Indices of ports whose quota and servers are scaled.
    pub ports: Vec<usize>,
    /// Indices of routes whose seats are scaled.
    pub routes: Vec<usize>,
    /// Whether screening servers are scaled.
    pub screening: bool,
    /// Start of the span \[days\].
    pub from: f64,
    /// End of the span \[days\].
    pub until: f64,
    /// Capacity multiplier \[fraction\]; 0 = closed.
    pub capacity: f64,
}

/// Guard for floor(value × factor): 0.7 × 50 must give 35, not 34.
const FLOOR_EPS: f64 = 1e-9;

/// floor(value × factor) for a capacity (MODEL.md §1.6: capacities are floor(value × factor)).
#[inline]
pub fn scaled(value: f64, factor: f64) -> u64 {
    let x = value * factor + FLOOR_EPS;
    if x <= 0.0 {
        0
    } else {
        // Truncation is floor for positive values (and avoids a libm call).
        x as u64
    }
}

impl Screening {
    /// Whether a disruption factor leaves screening no server: floor(servers × factor) = 0, or
    /// a factor of 0 for unlimited servers.
    pub fn closed_by(&self, factor: f64) -> bool {
        match self.servers {
            Some(c) => scaled(f64::from(c), factor) == 0,
            None => factor <= 0.0,
        }
    }
}

impl Port {
    /// Whether a disruption factor leaves the port no capacity: a factor of 0, or its servers
    /// or its largest daily quota (the ramp's included) floored to 0 by it.
    pub fn closed_by(&self, factor: f64) -> bool {
        let largest_quota = self.quota_per_day.map(|q| {
            self.ramp
                .as_ref()
                .map_or(f64::from(q), |r| r.from.max(f64::from(q)))
        });
        factor <= 0.0
            || self
                .servers
                .is_some_and(|c| scaled(f64::from(c), factor) == 0)
            || largest_quota.is_some_and(|q| scaled(q, factor) == 0)
    }
}

impl Route {
    /// Whether a disruption factor leaves the route no seat: a factor of 0, or a scheduled
    /// route's seats floored to 0 by it (a continuous route has no seat limit).
    pub fn closed_by(&self, factor: f64) -> bool {
        factor <= 0.0
            || (matches!(self.departures, Departures::Scheduled(_))
                && self
                    .seats
                    .is_some_and(|s| scaled(f64::from(s), factor) == 0))
    }
}

/// The product of the factors of the disruptions `ds` in force at t (their windows half-open,
/// [from, until)), `None` when none is.
pub(crate) fn factor_in_force(ds: &[&Disruption], t: f64) -> Option<f64> {
    let mut in_force = ds.iter().filter(|d| t >= d.from && t < d.until).peekable();
    in_force.peek()?;
    Some(in_force.fold(1.0, |f, d| f * d.capacity))
}

/// Whether a run starting on `start` with a horizon of `horizon` days would pass 9999-12-31,
/// the last date written (NaN and infinite horizons are judged elsewhere).
pub fn runs_past_year_9999(start: NaiveDate, horizon: f64) -> bool {
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a date");
    horizon.is_finite() && ((last - start).num_days() as f64 + 1.0) < horizon
}

/// An origin with a continuous route and scheduled ones
/// ([`Scenario::continuous_beside_scheduled`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ContinuousBeside {
    /// Index into `Scenario::origins`.
    pub origin: usize,
    /// Its continuous routes (indices into `Scenario::routes`).
    pub continuous: Vec<usize>,
    /// Its scheduled routes.
    pub scheduled: Vec<usize>,
    /// Each continuous route with the conditions under which it cannot take a ready group,
    /// when every one of them has some: the scheduled routes carry only groups that none of
    /// them takes when they are ready. Empty when one of them takes every group at once: the
    /// scheduled routes then carry nobody.
    pub left_for_buses: Vec<(usize, Vec<Overflow>)>,
}

/// Why a continuous route cannot take a ready group at some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// Its port's `holding` limit leaves no room for the group.
    Holding,
    /// Under `appointment`, its port has no quota left to book that day (booked up, before it
    /// opens, a day it does not serve, or closed by a disruption).
    Appointment,
    /// A disruption closes the route (capacity 0).
    Closed,
}

/// A fully validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// `[scenario] name`.
    pub name: String,
    /// The file it was read from ("" when built in code).
    pub file: String,
    /// Calendar date of t = 0.
    pub start_date: NaiveDate,
    /// Simulated time; a run not cleared by then is censored \[days\].
    pub horizon: f64,
    /// Base seed: replication i's streams derive from (seed, i) alone.
    pub seed: u64,
    /// Replications a run makes (1 to 1,000,000) \[replications\].
    pub replications: u32,
    /// Wait statistics exclude groups that registered before this \[days\].
    pub warmup: f64,
    /// The backlog, open at day 0.
    pub backlog: Cohort,
    /// People per group \[people\].
    pub group_size: SizeDist,
    /// Where groups wait, with their shares.
    pub origins: Vec<Origin>,
    /// How groups register.
    pub registration: Registration,
    /// Screening; `None` when the scenario has none.
    pub screening: Option<Screening>,
    /// The health check; `None` when the scenario has none.
    pub health: Option<Health>,
    /// Attrition hazard \[1/day\]; 0 = none.
    pub attrition_hazard: f64,
    /// How ports' quotas act.
    pub policy: Policy,
    /// Which port a group with several routes boards toward.
    pub choose_port: ChoosePort,
    /// Bus routes; `Route::origin` and `Route::port` index `origins` and `ports`.
    pub routes: Vec<Route>,
    /// Ports of entry.
    pub ports: Vec<Port>,
    /// Cohorts opening after the backlog (`[[phase]]`).
    pub phases: Vec<Cohort>,
    /// New arrivals; `None` when the scenario has none.
    pub inflow: Option<Inflow>,
    /// Spans of scaled capacity.
    pub disruptions: Vec<Disruption>,
    /// Priority classes, highest first (one class "all" when the scenario sets none).
    pub classes: Vec<Class>,
    /// Non-fatal remarks found by validation (of the scenario as loaded: a change in code does
    /// not re-derive them).
    pub warnings: Vec<String>,
    /// How the loader made it (the `--set` overrides applied to `file`, and the fingerprint of
    /// the result), to tell later whether it was changed in code ([`Scenario::is_modified`]);
    /// `None` for a scenario built in code.
    pub loaded: Option<AsLoaded>,
}

/// What the loader made a scenario of: its overrides, and a fingerprint of the scenario it
/// resolved, against which [`Scenario::is_modified`] compares the scenario as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AsLoaded {
    /// The `--set` overrides applied to the file, as `PATH=VALUE`, in order.
    pub overrides: Vec<String>,
    /// [`super::fingerprint`] of the effective table it was loaded from (after `extends` and
    /// the overrides): 16 hex digits, as stores and the experiments' JSON give it.
    pub fingerprint: String,
    /// [`Scenario::fingerprint`] of the scenario right after loading.
    pub resolved: u64,
    /// Validation's warnings of the scenario as loaded, each with its key and message apart
    /// (in the order of [`Scenario::warnings`] as loaded): the causes they say are found by
    /// these parts, not by splitting the printed text, in which a name may hold `": "`.
    pub warnings: Vec<LoadWarning>,
}

/// One of validation's warnings as the loader gave it: the key it is placed at and its message,
/// apart from the place (`FILE:LINE:COL`) its printed text ([`Scenario::warnings`]) opens with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LoadWarning {
    /// The key path it is placed at, as printed (`route[Matamoros: Gateway].seats`); `None` for
    /// one about the whole scenario.
    pub key: Option<String>,
    /// What it says (`route Matamoros: Gateway has seats = 0: no capacity at all; nobody boards
    /// it`).
    pub message: String,
}

impl LoadWarning {
    /// The ways its message may open: each part of it before a `": "`, and the whole message
    /// (`route A: B has seats = 0`, … for `route A: B has seats = 0: no capacity at all`), of
    /// which a cause's words ([`crate::model::blocked::NoCapacity::said_at_load`]) are one
    /// when the warning says that cause.
    pub fn openings(&self) -> impl Iterator<Item = &str> {
        let m = self.message.as_str();
        m.match_indices(": ")
            .map(move |(i, _)| &m[..i])
            .chain(std::iter::once(m))
    }

    /// How its printed text ([`Scenario::warnings`]) ends, whatever file and place it opens
    /// with (a saved run's record of it, too): `: KEY: MESSAGE` (`: MESSAGE` without a key), with
    /// unsafe characters escaped as they are printed.
    pub fn printed_tail(&self) -> String {
        let tail = match &self.key {
            Some(k) => format!(": {k}: {}", self.message),
            None => format!(": {}", self.message),
        };
        super::diag::escape_unsafe(&tail).into_owned()
    }
}

impl Scenario {
    /// Weekday of start_date, 0 = Monday.
    pub fn start_weekday(&self) -> u8 {
        self.start_date.weekday().num_days_from_monday() as u8
    }

    /// Change the start date, and with it the weekday of day 0 that the opening days of
    /// screening and the ports count from (assigning `start_date` alone leaves them on the old
    /// weekday, which [`Scenario::check`] refuses).
    pub fn set_start_date(&mut self, date: NaiveDate) {
        self.start_date = date;
        let wd = self.start_weekday();
        if let Some(sc) = &mut self.screening {
            sc.schedule.start_weekday = wd;
        }
        for p in &mut self.ports {
            p.schedule.start_weekday = wd;
        }
    }

    /// A 64-bit fingerprint of what the simulation reads: every field but `file`, `seed`,
    /// `replications` (settings of a run, which its summary records as they were run),
    /// `warnings` and `loaded`. Equal scenarios have equal fingerprints in one build of the
    /// program; it is not stable across versions (the fingerprint written in stores and
    /// `--json` output is that of the effective TOML, [`super::fingerprint`]).
    pub fn fingerprint(&self) -> u64 {
        let mut s = self.clone();
        s.file.clear();
        (s.seed, s.replications) = (0, 0);
        s.warnings.clear();
        s.loaded = None;
        // Debug writes every field, each float exactly (shortest round-trip form), in order;
        // hashed as it is written, without the text.
        struct Fnv(u64);
        impl std::fmt::Write for Fnv {
            fn write_str(&mut self, text: &str) -> std::fmt::Result {
                self.0 = crate::hash::fnv1a_extend(self.0, text.as_bytes());
                Ok(())
            }
        }
        let mut h = Fnv(crate::hash::FNV1A_EMPTY);
        // (writing to a hasher cannot fail)
        let _ = std::fmt::Write::write_fmt(&mut h, format_args!("{s:?}"));
        h.0
    }

    /// True when the scenario was loaded from a file and has been changed in code since (any
    /// field its [`Scenario::fingerprint`] covers): its `file` and `warnings` are then those of
    /// the scenario as loaded, not of this one. A summary of it says so
    /// (`"modified_in_code": true` under `"scenario"`).
    pub fn is_modified(&self) -> bool {
        self.loaded
            .as_ref()
            .is_some_and(|l| l.resolved != self.fingerprint())
    }

    /// The `--set` overrides the loader applied to `file` (empty for a scenario built in code).
    pub fn overrides(&self) -> &[String] {
        self.loaded.as_ref().map_or(&[], |l| &l.overrides)
    }

    /// Calendar date of simulation time t \[days\]: the date of day [`day_of`]`(t)` counted
    /// from `start_date` (day 0).
    ///
    /// Never panics. A time whose date lies outside the calendar's range (beyond about year
    /// 262,000 either way), and ±infinity, saturate to [`NaiveDate::MAX`] or [`NaiveDate::MIN`]
    /// (so [`SweepRow::last_cleared_days`](crate::experiment::sweep::SweepRow::last_cleared_days),
    /// negative infinity when nothing cleared, gives `NaiveDate::MIN`); NaN gives `start_date`
    /// (day 0, as Rust's `as` conversion of NaN to an integer does). To tell such times from
    /// real dates use [`date_at`], which returns `None` for them.
    pub fn date_of(&self, t: f64) -> NaiveDate {
        match date_at(self.start_date, t) {
            Some(d) => d,
            None if t.is_nan() => self.start_date,
            None if t > 0.0 => NaiveDate::MAX,
            None => NaiveDate::MIN,
        }
    }

    /// People in the backlog and all phases \[people\].
    pub fn cohort_people(&self) -> u64 {
        self.backlog.people + self.phases.iter().map(|p| p.people).sum::<u64>()
    }

    /// Index of the port with this name (into [`Scenario::ports`]); `None` when none has it.
    /// A setting of one port is changed in code through it, without editing the TOML:
    ///
    /// ```
    /// use clearance::scenario::load_file;
    /// let mut scn = load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
    /// let p = scn.port_index("El Paso").expect("a port of the baseline");
    /// scn.ports[p].quota_per_day = Some(400); // [people/day]
    /// scn.check().expect("still valid"); // `experiment::run` checks it too
    /// assert!(scn.is_modified());
    /// assert_eq!(scn.port_index("Nogales"), None);
    /// ```
    pub fn port_index(&self, name: &str) -> Option<usize> {
        self.ports.iter().position(|p| p.name == name)
    }

    /// Whether some route leads to port `p` (a port without one processes nobody).
    pub fn port_has_route(&self, p: usize) -> bool {
        self.routes.iter().any(|r| r.port == p)
    }

    /// The origins that have both a continuous route and scheduled ones, and when their
    /// scheduled routes can carry anyone at all. A group ready to travel leaves at once on
    /// whatever route can take it then (MODEL.md §1.5), and a continuous route can whenever
    /// its port has room for the group, so the buses carry only the groups that no continuous
    /// route of the origin takes when they are ready (they wait, and a bus takes them if it
    /// leaves before a continuous route can). In scenario order of the origins.
    pub fn continuous_beside_scheduled(&self) -> Vec<ContinuousBeside> {
        let mut out = Vec::new();
        for o in 0..self.origins.len() {
            let of = |continuous: bool| -> Vec<usize> {
                (0..self.routes.len())
                    .filter(|&r| self.routes[r].origin == o)
                    .filter(|&r| {
                        matches!(self.routes[r].departures, Departures::Continuous) == continuous
                    })
                    .collect()
            };
            let (continuous, scheduled) = (of(true), of(false));
            if continuous.is_empty() || scheduled.is_empty() {
                continue;
            }
            let held: Vec<(usize, Vec<Overflow>)> =
                continuous.iter().map(|&r| (r, self.overflow(r))).collect();
            // One continuous route that always takes everyone leaves the buses nobody.
            let left_for_buses = if held.iter().any(|(_, why)| why.is_empty()) {
                Vec::new()
            } else {
                held
            };
            out.push(ContinuousBeside {
                origin: o,
                continuous,
                scheduled,
                left_for_buses,
            });
        }
        out
    }

    /// The scheduled routes that never carry anyone: those of an origin one of whose
    /// continuous routes takes every group the moment it is ready (see
    /// [`Scenario::continuous_beside_scheduled`]). In scenario order.
    pub fn idle_scheduled_routes(&self) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .continuous_beside_scheduled()
            .into_iter()
            .filter(|c| c.left_for_buses.is_empty())
            .flat_map(|c| c.scheduled)
            .collect();
        out.sort_unstable();
        out
    }

    /// Under `choose_port = "first"`, the routes never used because a route listed before them
    /// takes every group the moment it is ready: per origin, its first continuous route whose
    /// port always accepts a group (no holding limit, under `appointment` no quota to book, never
    /// closed by a disruption within the horizon) is a candidate whenever a group is ready, with
    /// room for any group, and "first" stops there (MODEL.md §1.5), so the origin's continuous
    /// routes listed after it take nobody. Each entry is (origin, the route that takes them,
    /// the routes never used), in scenario order; empty under `shortest_queue`. (The origin's
    /// scheduled routes carry nobody either: [`Scenario::idle_scheduled_routes`].)
    pub fn shadowed_routes(&self) -> Vec<(usize, usize, Vec<usize>)> {
        if self.choose_port != ChoosePort::First {
            return Vec::new();
        }
        let mut out = Vec::new();
        for o in 0..self.origins.len() {
            let mut of = (0..self.routes.len()).filter(|&r| self.routes[r].origin == o);
            let Some(first) = of.by_ref().find(|&r| {
                matches!(self.routes[r].departures, Departures::Continuous)
                    && self.overflow(r).is_empty()
            }) else {
                continue;
            };
            let later: Vec<usize> = of
                .filter(|&r| matches!(self.routes[r].departures, Departures::Continuous))
                .collect();
            if !later.is_empty() {
                out.push((o, first, later));
            }
        }
        out
    }

    /// Whether scheduled route `r` can never carry anyone under `appointment`: a group boards
    /// only while its port has quota to book on the boarding day, and the port's quota is 0 on
    /// every weekday it does not serve (MODEL.md, precise rules), so buses that run only on
    /// days the port does not serve take nobody. False under `fifo`, for continuous routes, and
    /// when either set of days is empty (said by its own warning).
    pub fn appointment_days_never_meet(&self, r: usize) -> bool {
        let route = &self.routes[r];
        let port = &self.ports[route.port];
        self.policy == Policy::Appointment
            && matches!(route.departures, Departures::Scheduled(_))
            && route.days.iter().any(|d| *d)
            && port.schedule.days.iter().any(|d| *d)
            && !(0..7).any(|i| route.days[i] && port.schedule.days[i])
    }

    /// The scenario without the routes `drop` (indices, ascending), the disruptions' route
    /// indices renumbered to match (a disruption of dropped routes alone then scales nothing).
    pub fn without_routes(&self, drop: &[usize]) -> Scenario {
        let mut out = self.clone();
        let new_index: Vec<Option<usize>> = (0..self.routes.len())
            .scan(0usize, |next, r| {
                Some(if drop.contains(&r) {
                    None
                } else {
                    *next += 1;
                    Some(*next - 1)
                })
            })
            .collect();
        out.routes = (0..self.routes.len())
            .filter(|r| new_index[*r].is_some())
            .map(|r| self.routes[r].clone())
            .collect();
        for d in &mut out.disruptions {
            d.routes = d.routes.iter().filter_map(|&r| new_index[r]).collect();
        }
        out
    }

    /// When continuous route `r` cannot take a ready group within the horizon: its port's
    /// holding room is full, under `appointment` its port has no quota left to book that day,
    /// a disruption closes it. Empty when it takes every group at once.
    pub(crate) fn overflow(&self, r: usize) -> Vec<Overflow> {
        let route = &self.routes[r];
        let port = &self.ports[route.port];
        let mut why = Vec::new();
        if port.holding.is_some() {
            why.push(Overflow::Holding);
        }
        // Under appointment the room is the unbooked quota: finite with a quota, before the
        // port opens, on days it does not serve, or while a disruption closes it.
        let port_closes =
            self.closes_within(|d| d.ports.contains(&route.port), |f| port.closed_by(f));
        if self.policy == Policy::Appointment
            && (port.quota_per_day.is_some()
                || port.opens >= 1.0
                || port.schedule.days.iter().any(|d| !d)
                || port_closes)
        {
            why.push(Overflow::Appointment);
        }
        if self.closes_within(|d| d.routes.contains(&r), |f| route.closed_by(f)) {
            why.push(Overflow::Closed);
        }
        why
    }

    /// Whether the disruptions that `applies` to bring a capacity to 0 at some time before the
    /// horizon: `closed` of the product of the factors in force (as the model takes it) holds,
    /// the floored capacity being 0.
    fn closes_within(
        &self,
        applies: impl Fn(&Disruption) -> bool,
        closed: impl Fn(f64) -> bool,
    ) -> bool {
        let ds: Vec<&Disruption> = self.disruptions.iter().filter(|d| applies(d)).collect();
        // The product changes only where a window starts or ends.
        ds.iter()
            .flat_map(|d| [d.from, d.until])
            .filter(|&t| t < self.horizon)
            .any(|t| factor_in_force(&ds, t).is_some_and(&closed))
    }

    /// Check what validation guarantees once more, for a scenario changed in code after it was
    /// loaded (its fields are public): ranges of numbers, shares, indices, names unique within
    /// their kind, a ramp's length and quota, distributions whose samplers match their
    /// parameters. Returns every problem, each keyed by the TOML path that holds the value
    /// (`attrition.hazard_per_day` for [`Scenario::attrition_hazard`],
    /// `origin[Tijuana].share`; elements named as the loader names them) and saying the fix.
    /// [`crate::experiment::run`] (and every experiment, and [`crate::model::try_simulate`])
    /// calls it first. It does not re-derive validation's warnings: a summary of a scenario
    /// changed so says it was ([`Scenario::is_modified`]).
    pub fn check(&self) -> Result<(), Vec<Problem>> {
        use super::validate::{
            MAX_CAPACITY, MAX_COHORT_PEOPLE, MAX_HORIZON_DAYS, MAX_INFLOW_GROUPS, MAX_REPLICATIONS,
            MAX_SERVERS,
        };
        let mut e: Vec<Problem> = Vec::new();
        let mut need = |ok: bool, key: &str, message: String, hint: Option<String>| {
            if !ok {
                e.push(Problem {
                    scenario: None,
                    key: key.to_string(),
                    message,
                    hint,
                });
            }
        };
        // Each kind's names, listed once: labelled here, checked for clashes and length below.
        // Elements are labelled as the loader names them in its messages and `--set` takes them:
        // `port[San Ysidro]`, or `port[2]` for a name that is empty, too long or not unique.
        let names: [(&str, Vec<&str>); 5] = [
            (
                "origin",
                self.origins.iter().map(|o| o.name.as_str()).collect(),
            ),
            (
                "route",
                self.routes.iter().map(|r| r.name.as_str()).collect(),
            ),
            ("port", self.ports.iter().map(|p| p.name.as_str()).collect()),
            (
                "phase",
                self.phases.iter().map(|c| c.name.as_str()).collect(),
            ),
            (
                "class",
                self.classes.iter().map(|c| c.name.as_str()).collect(),
            ),
        ];
        let labelled = names.each_ref().map(|(section, list)| {
            let list: Vec<Option<String>> = list.iter().map(|n| Some(n.to_string())).collect();
            super::diag::element_labels(section, &list)
        });
        let [origin_at, route_at, port_at, phase_at, class_at] = &labelled;
        let h = self.horizon;
        need(
            h.is_finite() && h > 0.0 && h <= MAX_HORIZON_DAYS,
            "scenario.horizon",
            format!("{h} days: must be above 0 and at most 36,500 days"),
            None,
        );
        need(
            !runs_past_year_9999(self.start_date, h),
            "scenario.start_date",
            format!(
                "{} with a horizon of {h} days runs past 9999-12-31",
                self.start_date
            ),
            Some("start earlier or shorten scenario.horizon".into()),
        );
        need(
            (1..=MAX_REPLICATIONS).contains(&(self.replications as i64)),
            "scenario.replications",
            format!("{}: give 1 to 1,000,000", self.replications),
            None,
        );
        need(
            self.warmup.is_finite() && self.warmup >= 0.0,
            "scenario.warmup",
            format!("{} days: must be 0 or more days", self.warmup),
            None,
        );
        need(
            !(self.warmup.is_finite() && h.is_finite() && h > 0.0) || self.warmup < h,
            "scenario.warmup",
            format!(
                "{} days: must be shorter than scenario.horizon ({h} days), else no wait is \
                 measured",
                self.warmup
            ),
            None,
        );
        let cohorts = std::iter::once(("backlog".to_string(), &self.backlog))
            .chain(phase_at.iter().cloned().zip(&self.phases));
        for (at, c) in cohorts {
            need(
                c.people <= MAX_COHORT_PEOPLE as u64,
                &format!("{at}.people"),
                format!("{} people: at most 100,000,000", c.people),
                None,
            );
            need(
                c.opens.is_finite() && c.opens >= 0.0,
                // The backlog opens at day 0; its TOML has no `opens`.
                &format!("{at}.opens"),
                format!("{} days: must be 0 or more days", c.opens),
                (at == "backlog").then(|| "the backlog opens at day 0: set its opens to 0".into()),
            );
        }
        let mut shares = |section: &str, at: &[String], v: Vec<f64>| {
            if v.is_empty() {
                need(
                    false,
                    section,
                    format!("none given: at least one [[{section}]] is needed"),
                    Some("add one with share 1.0".into()),
                );
                return;
            }
            let mut each_ok = true;
            for (at, x) in at.iter().zip(&v) {
                let ok = x.is_finite() && *x >= 0.0;
                each_ok &= ok;
                need(
                    ok,
                    &format!("{at}.share"),
                    format!("{x}: a share must be 0 or more"),
                    None,
                );
            }
            let sum: f64 = v.iter().sum();
            need(
                !each_ok || (sum - 1.0).abs() < 1e-6,
                section,
                format!(
                    "the shares of the {} {section}s sum to {sum}: they must sum to 1",
                    v.len()
                ),
                (sum > 0.0).then(|| format!("scale each {section}'s share by {}", 1.0 / sum)),
            );
        };
        shares(
            "origin",
            origin_at,
            self.origins.iter().map(|o| o.share).collect(),
        );
        shares(
            "class",
            class_at,
            self.classes.iter().map(|c| c.share).collect(),
        );
        need(
            self.group_size.is_sound(),
            "backlog.group_size",
            "every size must be 1 to 1,000,000 people".into(),
            None,
        );
        let mut dists: Vec<(String, &Dist)> =
            vec![("registration.delay".into(), &self.registration.delay)];
        if let Some(sc) = &self.screening {
            dists.push(("screening.service".into(), &sc.service));
        }
        if let Some(hc) = &self.health {
            dists.push(("health.turnaround".into(), &hc.turnaround));
            dists.push(("health.isolation".into(), &hc.isolation));
        }
        for (at, r) in route_at.iter().zip(&self.routes) {
            dists.push((format!("{at}.travel"), &r.travel));
        }
        for (at, port) in port_at.iter().zip(&self.ports) {
            dists.push((format!("{at}.service"), &port.service));
        }
        for (key, dist) in dists {
            need(
                dist.is_sound(),
                &key,
                "every duration must be finite and 0 or more".into(),
                None,
            );
            need(
                !dist.is_sound() || dist.matches_parameters(),
                &key,
                format!(
                    "its sampler does not match its parameters (mean {} days)",
                    dist.mean()
                ),
                Some("build it with its constructor, e.g. Dist::exponential(mean)".into()),
            );
        }
        // Names are unique within their kind (results, --set paths and reports find elements
        // by name), and at most MAX_NAME_CHARS long, as validation requires.
        for ((what, list), at) in names.iter().zip(&labelled) {
            for (i, n) in list.iter().enumerate() {
                need(
                    !list[..i].contains(n),
                    &format!("{}.name", at[i]),
                    format!("\"{n}\" is used twice"),
                    Some(format!("give every {what} its own name")),
                );
                need(
                    n.chars().count() <= super::diag::MAX_NAME_CHARS,
                    &format!("{}.name", at[i]),
                    format!(
                        "\"{n}\": at most {} characters",
                        super::diag::MAX_NAME_CHARS
                    ),
                    None,
                );
            }
        }
        need(
            self.classes.len() <= 64,
            "class",
            format!(
                "{} classes given: at most 64 are supported",
                self.classes.len()
            ),
            None,
        );
        let p = self.registration.never;
        need(
            (0.0..=1.0).contains(&p),
            "registration.never",
            format!("{p}: a probability, 0 to 1"),
            None,
        );
        if let Some(hc) = &self.health {
            let p = hc.positive;
            need(
                (0.0..1.0).contains(&p),
                "health.positive",
                format!("{p}: a probability, 0 or more and below 1"),
                None,
            );
            let s = hc.share;
            need(
                (0.0..=1.0).contains(&s),
                "health.share",
                format!("{s}: a share of the groups, 0 to 1"),
                None,
            );
        }
        let a = self.attrition_hazard;
        need(
            a.is_finite() && a >= 0.0,
            "attrition.hazard_per_day",
            format!("{a}: must be 0 or more per day"),
            None,
        );
        need(
            !self.ports.is_empty(),
            "port",
            "none given: at least one [[port]] is needed".into(),
            None,
        );
        for (at, r) in route_at.iter().zip(&self.routes) {
            need(
                r.origin < self.origins.len(),
                &format!("{at}.from"),
                format!(
                    "origin index {} is out of range ({} origins)",
                    r.origin,
                    self.origins.len()
                ),
                None,
            );
            need(
                r.port < self.ports.len(),
                &format!("{at}.to"),
                format!(
                    "port index {} is out of range ({} ports)",
                    r.port,
                    self.ports.len()
                ),
                None,
            );
        }
        for (o, at) in origin_at.iter().enumerate() {
            need(
                self.routes.iter().any(|r| r.origin == o),
                at,
                "has no route".into(),
                Some(format!(
                    "add a [[route]] from \"{}\", or remove the origin",
                    self.origins[o].name
                )),
            );
        }
        // Opening hours are fractions of a day; the weekday of day 0 is the start date's.
        let wd = self.start_weekday();
        let mut schedules: Vec<(String, &Schedule)> = Vec::new();
        if let Some(sc) = &self.screening {
            schedules.push(("screening".into(), &sc.schedule));
            need(
                sc.servers.is_none_or(|n| n as i64 <= MAX_SERVERS),
                "screening.servers",
                format!("{}: at most {MAX_SERVERS}", sc.servers.unwrap_or_default()),
                Some("None for unlimited".into()),
            );
        }
        for (at, port) in port_at.iter().zip(&self.ports) {
            schedules.push((at.clone(), &port.schedule));
        }
        for (at, sch) in schedules {
            if let Some((open, close)) = sch.hours {
                need(
                    (0.0..1.0).contains(&open) && (0.0..=1.0).contains(&close) && open != close,
                    &format!("{at}.hours"),
                    format!(
                        "({open}, {close}) must be fractions of a day, 0 ≤ open < 1, 0 ≤ close ≤ \
                         1, not equal"
                    ),
                    Some("8:00 is 8.0/24.0".into()),
                );
            }
            need(
                sch.start_weekday == wd,
                &format!("{at}.days"),
                format!(
                    "its schedule counts days from weekday {} but scenario.start_date {} is \
                     weekday {wd} (0 = Monday)",
                    sch.start_weekday, self.start_date
                ),
                Some("change the start with Scenario::set_start_date".into()),
            );
        }
        for (at, r) in route_at.iter().zip(&self.routes) {
            if let Departures::Scheduled(times) = &r.departures {
                need(
                    !times.is_empty()
                        && times.iter().all(|t| (0.0..1.0).contains(t))
                        && times.windows(2).all(|w| w[0] < w[1]),
                    &format!("{at}.departures"),
                    "departures must be times of day as fractions of a day, at least one, in \
                     increasing order"
                        .into(),
                    Some("7:00 is 7.0/24.0".into()),
                );
            }
            need(
                r.seats.is_none_or(|n| n as i64 <= MAX_CAPACITY),
                &format!("{at}.seats"),
                format!("{}: at most {MAX_CAPACITY}", r.seats.unwrap_or_default()),
                None,
            );
        }
        for (at, port) in port_at.iter().zip(&self.ports) {
            need(
                port.servers.is_none_or(|n| n as i64 <= MAX_SERVERS),
                &format!("{at}.servers"),
                format!(
                    "{}: at most {MAX_SERVERS}",
                    port.servers.unwrap_or_default()
                ),
                Some("None for unlimited".into()),
            );
            need(
                port.quota_per_day.is_none_or(|n| n as i64 <= MAX_CAPACITY),
                &format!("{at}.quota_per_day"),
                format!(
                    "{}: at most {MAX_CAPACITY}",
                    port.quota_per_day.unwrap_or_default()
                ),
                Some("None for unlimited".into()),
            );
            need(
                port.holding.is_none_or(|n| n <= MAX_CAPACITY as u64),
                &format!("{at}.holding"),
                format!(
                    "{}: at most {MAX_CAPACITY}",
                    port.holding.unwrap_or_default()
                ),
                Some("None for unlimited".into()),
            );
            need(
                port.opens.is_finite() && port.opens >= 0.0,
                &format!("{at}.opens"),
                format!("{} days: must be 0 or more days", port.opens),
                None,
            );
            if let Some(r) = &port.ramp {
                need(
                    r.from.is_finite() && r.from >= 0.0,
                    &format!("{at}.ramp.from"),
                    format!("{}: must be 0 or more", r.from),
                    None,
                );
                need(
                    r.over.is_finite() && r.over > 0.0,
                    &format!("{at}.ramp.over"),
                    format!("{} days: must be longer than 0", r.over),
                    Some("for no ramp, set ramp to None".into()),
                );
                need(
                    port.quota_per_day.is_some(),
                    &format!("{at}.ramp"),
                    "a ramp needs quota_per_day (the quota it ramps up to)".into(),
                    Some("set quota_per_day, or set ramp to None".into()),
                );
            }
        }
        if let Some(i) = &self.inflow {
            need(
                i.rate_per_day.is_finite() && i.rate_per_day >= 0.0,
                "inflow.rate_per_day",
                format!("{}: must be 0 or more groups a day", i.rate_per_day),
                None,
            );
            need(
                i.from <= i.until,
                "inflow.until",
                format!("{} days is before inflow.from ({} days)", i.until, i.from),
                None,
            );
            let span = i.until.min(h) - i.from.min(h);
            need(
                i.rate_per_day * span <= MAX_INFLOW_GROUPS,
                "inflow.rate_per_day",
                format!(
                    "{} groups a day: at most {MAX_INFLOW_GROUPS} groups expected over the run",
                    i.rate_per_day
                ),
                None,
            );
        }
        for (k, d) in self.disruptions.iter().enumerate() {
            let at = format!("disruption[{}]", k + 1);
            need(
                d.capacity.is_finite() && d.capacity >= 0.0,
                &format!("{at}.capacity"),
                format!("{}: must be 0 or more", d.capacity),
                None,
            );
            need(
                d.from < d.until,
                &format!("{at}.until"),
                format!("{} days is not after {at}.from ({} days)", d.until, d.from),
                None,
            );
            need(
                d.ports.iter().all(|&p| p < self.ports.len()),
                &format!("{at}.ports"),
                format!(
                    "port indices {:?}: out of range ({} ports)",
                    d.ports,
                    self.ports.len()
                ),
                None,
            );
            need(
                d.routes.iter().all(|&r| r < self.routes.len()),
                &format!("{at}.routes"),
                format!(
                    "route indices {:?}: out of range ({} routes)",
                    d.routes,
                    self.routes.len()
                ),
                None,
            );
        }
        if e.is_empty() {
            Ok(())
        } else {
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sched(hours: Option<(f64, f64)>, days: DaySet) -> Schedule {
        Schedule {
            hours,
            days,
            start_weekday: 0,
        }
    }

    /// A time's date is day 0's plus its day (round-off just below midnight counted as the
    /// next day, as everywhere); a time with no date is `None`, not a panic.
    #[test]
    fn the_date_of_a_time_counts_whole_days_from_day_0() {
        let start = NaiveDate::from_ymd_opt(2021, 2, 19).unwrap();
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(date_at(start, 0.0), Some(start));
        assert_eq!(date_at(start, 145.99), ymd(2021, 7, 14));
        assert_eq!(date_at(start, 146.0 - 1e-12), ymd(2021, 7, 15));
        assert_eq!(date_at(start, -0.5), ymd(2021, 2, 18));
        assert_eq!(date_at(start, f64::INFINITY), None);
        assert_eq!(date_at(start, f64::NAN), None);
        assert_eq!(date_at(start, 1e300), None);
        assert_eq!(date_at(start, 1e15), None);
    }

    #[test]
    fn hours_are_half_open() {
        let s = sched(Some((8.0 / 24.0, 18.0 / 24.0)), ALL_DAYS);
        assert!(s.is_open(8.0 / 24.0));
        assert!(!s.is_open(18.0 / 24.0));
        assert!(!s.is_open(7.99 / 24.0));
        assert_eq!(s.next_open(0.0), Some(8.0 / 24.0));
        assert!((s.next_open(0.8).unwrap() - (1.0 + 8.0 / 24.0)).abs() < 1e-12);
    }

    #[test]
    fn wrapping_hours_and_weekdays() {
        // Open 22:00 to 02:00, Monday only (day 0 is a Monday).
        let mut days = [false; 7];
        days[0] = true;
        let s = sched(Some((22.0 / 24.0, 2.0 / 24.0)), days);
        assert!(s.is_open(0.5 / 24.0));
        assert!(!s.is_open(3.0 / 24.0));
        assert!(s.is_open(23.0 / 24.0));
        // Tuesday 01:00 is not open: `days` applies to the calendar day of the start.
        assert!(!s.is_open(1.0 + 1.0 / 24.0));
        assert!((s.next_open(0.5).unwrap() - 22.0 / 24.0).abs() < 1e-12);
        assert!((s.next_open(1.0).unwrap() - 7.0).abs() < 1e-12);
    }

    #[test]
    fn day_of_guards_round_off() {
        assert_eq!(day_of(0.999_999_999_9), 1);
        assert_eq!(day_of(1.0), 1);
        assert_eq!(day_of(0.5), 0);
    }

    #[test]
    fn day_start_is_the_least_time_day_of_puts_in_the_day() {
        for d in [
            -3i64,
            0,
            1,
            2,
            7,
            29,
            100,
            365,
            1000,
            3650,
            100_000,
            10_000_000,
            1 << 40,
        ] {
            let b = day_start(d);
            assert!(day_of(b) >= d, "day {d}: {b} is in day {}", day_of(b));
            assert!(day_of(b.next_down()) < d, "day {d}: {b} is not the least");
            let ulp = 4.0 * f64::EPSILON * (d.abs() as f64).max(1.0);
            assert!(b <= d as f64 && d as f64 - b <= 1e-9 + ulp, "day {d}: {b}");
        }
        // The 72nd of 72 fixed 20-minute services summed from 0 ends just below 1.0, in day 1.
        let mut t = 0.0;
        for _ in 0..72 {
            t += 20.0 / 1440.0;
        }
        assert!(t < 1.0 && t >= day_start(1) && day_of(t) == 1, "{t}");
        assert!(1.0 - 1e-8 < day_start(1) && day_of(1.0 - 1e-8) == 0);
    }
}
