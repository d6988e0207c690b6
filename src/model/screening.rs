//! Screening (eligibility verification): a multi-server FIFO queue whose services start only
//! inside opening hours; service in progress always finishes. Owns its queue and measurements.

use super::capacity::{servers_at, Factor, OpenSpan};
use super::queue::ClassQueue;
use super::WaitAcc;
use crate::scenario::{Scenario, Screening};

/// The screening stage's state during a replication: its queue, servers in use and measurements.
pub struct ScreeningStage {
    /// The scenario's screening settings; `None` when it has no `[screening]` (passed at zero
    /// time).
    pub cfg: Option<Screening>,
    /// The product of the disruption factors on the screening servers, over time.
    pub factor: Factor,
    /// Group ids waiting, by class then FIFO by registration (dropped groups are skipped lazily).
    pub queue: ClassQueue,
    /// People waiting (not in service) \[people\].
    pub waiting_people: u64,
    /// Groups in service.
    pub busy: u64,
    /// Pending wake-up time (infinity when none).
    pub wake_at: f64,
    /// The time at which the stage last found it could start nobody (closed, or every server
    /// busy), until a server is released; NaN when none. Capacity and opening depend on the
    /// time alone, so until then another try at that same time would find the same: the
    /// registrations of a burst (thousands at one instant) skip the check.
    pub full_at: f64,
    /// The open span of the last try to start screening, and the servers in force throughout
    /// it: tries inside it skip the schedule.
    pub span: OpenSpan,
    /// Servers in force throughout `span` \[servers\].
    pub span_servers: u64,
    /// Completed busy server time \[server-days\].
    pub busy_time: f64,
    /// Sum of start times of services in progress \[days\].
    pub inprog_start_sum: f64,
    /// Waits from registration to service start of counted groups \[days\].
    pub wait: WaitAcc,
}

impl ScreeningStage {
    /// The stage at t = 0: empty queue, no server busy.
    pub fn new(scn: &Scenario) -> Self {
        let factor = Factor::new(scn.disruptions.iter().filter(|d| d.screening));
        ScreeningStage {
            cfg: scn.screening.clone(),
            factor,
            queue: ClassQueue::new(scn.classes.len()),
            waiting_people: 0,
            busy: 0,
            wake_at: f64::INFINITY,
            full_at: f64::NAN,
            span: OpenSpan::EMPTY,
            span_servers: 0,
            busy_time: 0.0,
            inprog_start_sum: 0.0,
            wait: WaitAcc::default(),
        }
    }

    /// Servers available at t, or `None` when the stage is closed at t (outside its hours).
    #[inline]
    pub fn open_capacity(&mut self, t: f64) -> Option<u64> {
        let cfg = self.cfg.as_ref()?;
        if !self.span.holds(t) {
            self.span = OpenSpan::starting_at(&cfg.schedule, &self.factor, t)?;
            self.span_servers = servers_at(cfg.servers, self.span.factor);
        }
        Some(self.span_servers)
    }

    /// Record the end (or interruption) of a service started at `start`.
    #[inline]
    pub fn release(&mut self, start: f64, t: f64) {
        self.busy -= 1;
        self.full_at = f64::NAN;
        self.busy_time += t - start;
        self.inprog_start_sum -= start;
    }

    /// Utilization up to `t_end`: busy over offered server time inside open hours.
    pub fn utilization(&self, t_end: f64) -> Option<f64> {
        let cfg = self.cfg.as_ref()?;
        let busy = self.busy_time + self.busy as f64 * t_end - self.inprog_start_sum;
        let offered = super::capacity::offered_server_time(
            cfg.servers,
            &cfg.schedule,
            &self.factor,
            0.0,
            t_end,
        )?;
        (offered > 0.0).then(|| busy / offered)
    }
}
