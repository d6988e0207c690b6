//! The health check: a test takes `turnaround`; a positive test (probability `positive`) means
//! isolation for `isolation`, then another test, until a negative. No queue: the whole check is
//! one duration drawn when screening ends.

use crate::engine::Stream;
use crate::scenario::Health;
use rand::Rng;

/// Guard against a pathological loop (positive is validated to be < 1).
const MAX_TESTS: u32 = 10_000;

/// Time from the end of screening until ready to travel \[days\].
#[inline]
pub fn check_duration(h: &Health, rng: &mut Stream) -> f64 {
    let mut total = 0.0;
    for _ in 0..MAX_TESTS {
        total += h.turnaround.sample(rng);
        if h.positive > 0.0 && rng.random::<f64>() < h.positive {
            total += h.isolation.sample(rng);
        } else {
            break;
        }
    }
    total
}
