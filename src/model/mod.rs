//! The domain model of MODEL.md §1: one module per stage (registration, screening, health,
//! transport, port), each owning its queue and measurements, driven by `sim` on the engine's
//! event calendar. `simulate` runs one replication.

pub mod blocked;
pub mod capacity;
pub mod group;
pub mod health;
pub mod port;
pub mod queue;
pub mod registration;
pub mod result;
pub mod screening;
mod sim;
pub mod transport;

pub use blocked::zero_capacity_stages;
pub use result::*;
pub use sim::{simulate, try_simulate, SimOptions};

/// Running sum of waits \[days\] over counted groups.
#[derive(Debug, Clone, Copy, Default)]
pub struct WaitAcc {
    /// Sum of the waits of the groups counted \[days\].
    pub sum: f64,
    /// The groups counted \[groups\].
    pub n: u64,
}

impl WaitAcc {
    #[inline]
    /// Count one group's wait `w` \[days\].
    pub fn add(&mut self, w: f64) {
        self.sum += w;
        self.n += 1;
    }

    /// The mean wait \[days\]; `None` when no group was counted.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }
}

/// Random stream purposes (one stream per purpose per replication).
pub mod purpose {
    /// The stream of the backlog and phases: each cohort group's size, origin, class, reach,
    /// registration delay and drop-out time.
    pub const POPULATION: u64 = 1;
    /// The stream of the inflow: its arrival times and the draws of its groups.
    pub const INFLOW: u64 = 2;
    /// The stream of screening service times.
    pub const SCREENING: u64 = 3;
    /// The stream of the health check: who needs it, test turnarounds, results and isolations.
    pub const HEALTH: u64 = 4;
    /// The stream of travel times.
    pub const TRAVEL: u64 = 5;
    /// The stream of port service times.
    pub const PORT_SERVICE: u64 = 6;
}

#[cfg(test)]
mod tests;
