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
    pub sum: f64,
    pub n: u64,
}

impl WaitAcc {
    #[inline]
    pub fn add(&mut self, w: f64) {
        self.sum += w;
        self.n += 1;
    }

    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum / self.n as f64)
    }
}

/// Random stream purposes (one stream per purpose per replication).
pub mod purpose {
    pub const POPULATION: u64 = 1;
    pub const INFLOW: u64 = 2;
    pub const SCREENING: u64 = 3;
    pub const HEALTH: u64 = 4;
    pub const TRAVEL: u64 = 5;
    pub const PORT_SERVICE: u64 = 6;
}

#[cfg(test)]
mod tests;
