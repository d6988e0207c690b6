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
    /// Busy server time over offered server time \[fraction\].
    pub utilization: Option<f64>,
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
pub const FIXED_SERIES: [&str; 6] = [
    "remaining",
    "processed",
    "waiting_screening",
    "waiting_ready",
    "in_transit",
    "waiting_port",
];

/// Full list of series names for a scenario with these port names.
pub fn series_names(port_names: &[String]) -> Vec<String> {
    let mut v: Vec<String> = FIXED_SERIES.iter().map(|s| s.to_string()).collect();
    for p in port_names {
        v.push(format!("processed_today:{p}"));
    }
    for p in port_names {
        v.push(format!("waiting:{p}"));
    }
    v
}

/// True for series that count per day (they are 0 after the replication ends).
pub fn series_is_flow(name: &str) -> bool {
    name.starts_with("processed_today:")
}

/// Daily values of one replication: `values[day * n_series + series]`, value at the end of the
/// day \[people\]. Days after the replication ended are not stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Daily {
    pub n_series: usize,
    pub values: Vec<u32>,
}

impl Daily {
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn days(&self) -> usize {
        self.values.len().checked_div(self.n_series).unwrap_or(0)
    }

    /// Value of a series on a day, carrying the last recorded state past the end (0 for flows).
    pub fn get(&self, day: usize, series: usize, is_flow: bool) -> u32 {
        let n = self.days();
        if n == 0 {
            return 0;
        }
        if day < n {
            self.values[day * self.n_series + series]
        } else if is_flow {
            0
        } else {
            self.values[(n - 1) * self.n_series + series]
        }
    }
}

/// One line of the event trace (`--trace`).
#[derive(Debug, Clone, PartialEq)]
pub struct TraceEvent {
    /// \[days\]
    pub time: f64,
    pub event: &'static str,
    pub group: Option<u32>,
    pub size: Option<u32>,
    pub stage: &'static str,
    pub port: Option<String>,
    /// Origin (city where the group waits) of the group, when the event concerns a group.
    pub origin: Option<String>,
}

/// Everything one replication measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReplicationResult {
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
    /// Time processed people first reached 50/90/99% of the backlog plus phases \[days\].
    pub t50_days: Option<f64>,
    pub t90_days: Option<f64>,
    pub t99_days: Option<f64>,
    pub screening: StageMetrics,
    pub transport: StageMetrics,
    pub port: StageMetrics,
    pub ports: Vec<PortMetrics>,
    /// Per priority class, highest first.
    #[serde(default)]
    pub classes: Vec<ClassMetrics>,
    /// Seats offered and filled on scheduled departures \[people\].
    pub seats_offered: u64,
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
