//! A group (a family or a single adult): its size, origin, cohort, state and the times the
//! stages need. Groups live in one vector indexed by id; queues hold ids.

/// Where a group is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Created, not yet registered.
    Pending,
    /// Never registers: resolved at t = 0.
    Unreached,
    WaitScreen,
    InScreen,
    Health,
    Ready,
    Transit,
    WaitPort,
    InPort,
    Processed,
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
    pub origin: u16,
    /// Port it travels to (valid from boarding on).
    pub port: u16,
    pub cohort: u16,
    /// Priority class (0 = highest).
    pub class: u8,
    pub state: State,
    /// Registered at or after warmup: its waits count.
    pub counted: bool,
    /// Registration time \[days\].
    pub t_reg: f64,
    /// Time it entered its current queue or started its current service \[days\].
    pub t_mark: f64,
}

impl Group {
    pub fn is_cohort(&self) -> bool {
        self.cohort != INFLOW
    }
}
