//! A group (a family or a single adult): its size, origin, cohort, state and the times the
//! stages need. Groups live in one vector indexed by id; queues hold ids.

/// Where a group is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Created, not yet registered.
    Pending,
    /// Never registers: resolved at t = 0.
    Unreached,
    /// Registered, waiting in the screening queue.
    WaitScreen,
    /// In screening service.
    InScreen,
    /// In the health check (a test or an isolation).
    Health,
    /// In its origin's ready queue, waiting to board.
    Ready,
    /// Boarded, travelling toward its port.
    Transit,
    /// In its port's queue, waiting for service.
    WaitPort,
    /// In service at its port.
    InPort,
    /// Processed at its port: resolved, out of the system.
    Processed,
    /// Dropped out by attrition before boarding: resolved, never processed.
    Dropped,
}

/// Cohort index of inflow groups (backlog = 0, phase i = i + 1).
pub const INFLOW: u16 = u16::MAX;

/// 32 bytes: the drop-out time is not kept here (cohort drop-outs are a pre-sorted stream, and
/// an inflow group's goes on the calendar when it registers), so that the groups the event loop
/// touches in no particular order take less cache.
#[derive(Debug, Clone)]
pub struct Group {
    /// \[people\]
    pub size: u32,
    /// Index of its origin in the scenario's origins.
    pub origin: u16,
    /// Port it travels to (valid from boarding on).
    pub port: u16,
    /// Its cohort: 0 for the backlog, i + 1 for phase i, [`INFLOW`] for the inflow.
    pub cohort: u16,
    /// Priority class (0 = highest).
    pub class: u8,
    /// Where the group is now.
    pub state: State,
    /// Registered at or after warmup: its waits count.
    pub counted: bool,
    /// Registration time \[days\].
    pub t_reg: f64,
    /// Time it entered its current queue or started its current service \[days\].
    pub t_mark: f64,
}

impl Group {
    /// Whether the group belongs to the backlog or a phase (not the inflow).
    pub fn is_cohort(&self) -> bool {
        self.cohort != INFLOW
    }
}
