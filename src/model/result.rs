//! What one replication measured: people resolved, clearance and milestone times, per-stage and
//! per-port waits and utilizations, the daily series, and the event count.

use serde::{Deserialize, Serialize};

/// Waiting and utilization of one stage in one replication.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StageMetrics {
    /// Mean wait per group in the stage's queue \[days\]; `None` when no group's wait ended.
    pub wait_days: Option<f64>,
    /// Busy server time over offered server time (screening, ports) or seats filled over seats
    /// offered (transport) \[fraction\]; `None` where nothing is offered or capacity is unlimited.
    pub utilization: Option<f64>,
    /// Number of groups whose wait was counted \[groups\].
    pub waits_counted: u64,
}

/// Per-port results of one replication.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PortMetrics {
    /// Everyone processed at this port, every cohort \[people\].
    pub processed: u64,
    /// Mean wait from arrival at the port to service start \[days\].
    pub wait_days: Option<f64>,
    /// Busy server time over offered server time \[fraction\]; `None` for unlimited servers or
    /// when no server time was offered.
    pub utilization: Option<f64>,
    /// Number of groups whose wait at this port was counted (registered at or after the warm-up,
    /// service started) \[groups\].
    pub waits_counted: u64,
    /// Busy server time \[server-days\].
    pub busy_server_days: f64,
    /// Offered server time inside open hours \[server-days\]; `None` for unlimited servers.
    pub offered_server_days: Option<f64>,
}

/// Per-priority-class results of one replication (backlog and phase groups).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    /// Backlog and phase people in this class \[people\].
    pub people: u64,
    /// Of them processed \[people\].
    pub processed: u64,
    /// Time the last group of the class was resolved; the horizon if any is left \[days\].
    pub clearance_days: f64,
    /// Mean time from registration to the end of port service, per processed group \[days\].
    pub days_to_processed: Option<f64>,
}

/// Names of the daily series, in storage order. Flow series (per-day counts) are marked so that
/// they read 0, not the last value, after a replication ends.
pub const FIXED_SERIES: [&str; 7] = [
    "remaining",
    "processed",
    "waiting_screening",
    "waiting_ready",
    "in_transit",
    "waiting_port",
    "in_health",
];

/// Full list of series names for a scenario with these port and origin names: the
/// [`FIXED_SERIES`] (`in_health`: the part of `waiting_ready` in the health check or its
/// isolation), per port `processed_today:<port>` and `waiting:<port>`, then per origin
/// `waiting_ready:<origin>` (the origin's part of `waiting_ready`), `in_health:<origin>` (the
/// origin's part of `in_health`) and `boarded_today:<origin>` (people who boarded there that
/// day, a flow). For a scenario, [`scenario_series_names`] takes the names from it.
pub fn series_names(port_names: &[String], origin_names: &[String]) -> Vec<String> {
    let mut v: Vec<String> = FIXED_SERIES.iter().map(|s| s.to_string()).collect();
    for p in port_names {
        v.push(format!("processed_today:{p}"));
    }
    for p in port_names {
        v.push(format!("waiting:{p}"));
    }
    for o in origin_names {
        v.push(format!("waiting_ready:{o}"));
    }
    for o in origin_names {
        v.push(format!("in_health:{o}"));
    }
    for o in origin_names {
        v.push(format!("boarded_today:{o}"));
    }
    v
}

/// [`series_names`] of a scenario, its ports' and origins' names in its order: the columns of
/// `daily.csv` and the names [`ReplicationResult::daily_series`] reads.
///
/// ```
/// let scn = clearance::scenario::load_file(std::path::Path::new("scenarios/baseline.toml")).unwrap();
/// let names = clearance::model::scenario_series_names(&scn);
/// assert_eq!(names[0], "remaining");
/// assert!(names.contains(&"processed_today:El Paso".to_string()));
/// ```
pub fn scenario_series_names(scn: &crate::scenario::Scenario) -> Vec<String> {
    let ports: Vec<String> = scn.ports.iter().map(|p| p.name.clone()).collect();
    let origins: Vec<String> = scn.origins.iter().map(|o| o.name.clone()).collect();
    series_names(&ports, &origins)
}

/// True for series that count per day (they are 0 after the replication ends).
pub fn series_is_flow(name: &str) -> bool {
    name.starts_with("processed_today:") || name.starts_with("boarded_today:")
}

/// Daily values of one replication: `values[day * n_series + series]`, value at the end of the
/// day \[people\]. Days after the replication ended are not stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Daily {
    /// Number of series stored per day: [`FIXED_SERIES`], then the per-port and per-origin
    /// ones of [`series_names`] \[series\].
    pub n_series: usize,
    /// Values, day by day, `n_series` per day \[people\].
    pub values: Vec<u32>,
}

impl Daily {
    /// Whether no day is stored (a replication that recorded no daily values).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Days stored \[days\]: `values.len() / n_series` (0 when `n_series` is 0).
    pub fn days(&self) -> usize {
        self.values.len().checked_div(self.n_series).unwrap_or(0)
    }

    /// Value of series `series` (an index below `n_series`; see [`series_names`]) at the end
    /// of `day` \[people\], carrying the last recorded state past the end (0 for flows,
    /// `is_flow`); 0 when no day is stored (whatever `series`).
    ///
    /// # Panics
    /// When days are stored and `series >= n_series` (it would read another series' cell).
    /// [`Daily::try_get`] returns `None` instead.
    pub fn get(&self, day: usize, series: usize, is_flow: bool) -> u32 {
        let n = self.days();
        if n == 0 {
            return 0;
        }
        assert!(
            series < self.n_series,
            "Daily::get: series {series} out of range: {} series are stored",
            self.n_series
        );
        if day < n {
            self.values[day * self.n_series + series]
        } else if is_flow {
            0
        } else {
            self.values[(n - 1) * self.n_series + series]
        }
    }

    /// [`Daily::get`], or `None` when `series >= n_series` (also when no day is stored).
    pub fn try_get(&self, day: usize, series: usize, is_flow: bool) -> Option<u32> {
        (series < self.n_series).then(|| self.get(day, series, is_flow))
    }
}

/// One line of the event trace (`--trace`).
#[derive(Debug, Clone, PartialEq)]
pub struct TraceEvent {
    /// Simulation time of the event, from the start \[days\].
    pub time: f64,
    /// What happened: `register`, `screening_start`, `screening_end`, `health_start`,
    /// `health_positive` (a test's positive result), `health_retest` (the next test starts as
    /// the isolation ends), `ready`, `board`, `departure` (a scheduled bus leaves, after its
    /// groups' `board` lines), `arrive`, `port_start`, `processed` or `drop`. A `health_start`
    /// follows its group's `screening_end` at once (before other groups' events of that
    /// instant); a `health_positive` or `health_retest` comes after the log's other events of
    /// its time.
    pub event: &'static str,
    /// The group concerned: its number within the replication, from 0 \[group index\].
    pub group: Option<u32>,
    /// Size of that group \[people\]; on a `departure`, the people the bus carries.
    pub size: Option<u32>,
    /// Stage of the event: `registration`, `screening`, `health`, `transport`, `port` or
    /// `attrition`.
    pub stage: &'static str,
    /// Port the group is bound for, once it has boarded (in transit, at or through the port);
    /// `None` before.
    pub port: Option<String>,
    /// Origin (city where the group waits) of the group, when the event concerns a group, or
    /// of the bus on a `departure`.
    pub origin: Option<String>,
    /// Seats the bus offered \[seats\]: on a `departure` from a route with a seat limit (after
    /// any disruption factor); `None` otherwise.
    pub seats: Option<u64>,
    /// Cohort of the group: `backlog`, a phase's name, or `inflow`; `None` when the event
    /// concerns no group (a `departure`).
    pub cohort: Option<String>,
    /// Priority class of the group (`all` when the scenario sets none); `None` when the event
    /// concerns no group.
    pub class: Option<String>,
}

/// Everything one replication measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReplicationResult {
    /// Number of the replication within the run, from 0 \[replication index\].
    pub index: u32,
    /// The replication's own 64-bit seed, derived from (scenario seed, index).
    pub seed: u64,
    /// People in the backlog and phases \[people\].
    pub people_total: u64,
    /// Backlog and phase people processed \[people\].
    pub processed: u64,
    /// Backlog and phase people who dropped out \[people\].
    pub dropped: u64,
    /// Backlog and phase people never reached \[people\].
    pub unreached: u64,
    /// Backlog and phase people still in the system at the end \[people\].
    pub in_system: u64,
    /// People who arrived through the inflow \[people\].
    pub inflow: u64,
    /// Inflow people processed \[people\].
    pub inflow_processed: u64,
    /// Time the last backlog or phase group was resolved; the horizon if censored \[days\].
    pub clearance_days: f64,
    /// True when the horizon came before clearance.
    pub censored: bool,
    /// Time processed backlog and phase people first reached 50% of the backlog plus phases
    /// \[days\]; `None` if they never did.
    pub t50_days: Option<f64>,
    /// Time processed backlog and phase people first reached 90% of the backlog plus phases
    /// \[days\]; `None` if they never did.
    pub t90_days: Option<f64>,
    /// Time processed backlog and phase people first reached 99% of the backlog plus phases
    /// \[days\]; `None` if they never did.
    pub t99_days: Option<f64>,
    /// Screening: mean wait from registration to screening start \[days\] and busy over offered
    /// server time \[fraction\].
    pub screening: StageMetrics,
    /// Transport: mean wait in the ready queue until boarding \[days\] and seats filled over
    /// seats offered on scheduled departures with a seat limit \[fraction\].
    pub transport: StageMetrics,
    /// All ports together: mean wait from arrival to service start over every port's counted
    /// groups \[days\], and busy over offered server time summed over the ports with a server
    /// limit \[fraction\].
    pub port: StageMetrics,
    /// Per port, in the scenario's order.
    pub ports: Vec<PortMetrics>,
    /// Per priority class, highest first.
    #[serde(default)]
    pub classes: Vec<ClassMetrics>,
    /// Seats offered on scheduled departures of routes with a seat limit (after disruption
    /// factors) \[people\].
    pub seats_offered: u64,
    /// Of those seats, the ones filled \[people\].
    pub seats_filled: u64,
    /// Time the replication ended \[days\].
    pub end_days: f64,
    /// Events processed \[events\].
    pub events: u64,
    /// Daily series; folded into the run's bands as the replication finishes and then dropped
    /// (empty) unless a fit to observations needs it.
    #[serde(default, skip_serializing_if = "Daily::is_empty")]
    pub daily: Daily,
    /// Event log, when asked for.
    #[serde(skip)]
    pub trace: Vec<TraceEvent>,
}

impl ReplicationResult {
    /// One daily series of this replication by name (see [`series_names`]), the value at the
    /// end of each day it ran \[people\]; `None` for an unknown name or when the series were
    /// not kept (records of [`crate::experiment::run`] drop them: simulate the replication
    /// with [`crate::model::simulate`] to get them).
    pub fn daily_series(&self, scn: &crate::scenario::Scenario, name: &str) -> Option<Vec<u32>> {
        let s = scenario_series_names(scn).iter().position(|n| n == name)?;
        if self.daily.is_empty() || self.daily.n_series <= s {
            return None;
        }
        Some(
            (0..self.daily.days())
                .map(|d| self.daily.get(d, s, series_is_flow(name)))
                .collect(),
        )
    }
}
