//! The domain-free simulation core: simulation time, the event calendar ordered by
//! (time, insertion sequence) so that ties resolve deterministically, and seeded random streams
//! derived from (seed, replication, purpose) alone. It knows nothing of ports or people.

pub mod calendar;
pub mod rng;
pub mod sort;

pub use calendar::{Calendar, Lane};
pub use rng::{stream, Stream};
