//! The health check: a test takes `turnaround`; a positive test (probability `positive`) means
//! isolation for `isolation`, then another test, until a negative. No queue: the whole check is
//! one duration drawn when screening ends.

use crate::engine::Stream;
use crate::scenario::{Dist, Health};
use rand::Rng;

/// Time from the end of screening until ready to travel \[days\]: tests until one is negative,
/// each positive one followed by an isolation. The draws stop once the time passes `limit`
/// \[days\]: the simulation passes the longest horizon a scenario may have
/// ([`MAX_HORIZON_DAYS`](crate::scenario::validate::MAX_HORIZON_DAYS)), which no group's
/// readiness can matter beyond, whatever the scenario's own horizon (so that the draws, shared
/// by the groups, and with them every result, do not depend on the horizon). Draws were capped
/// at 10,000 tests, which made a group with `positive` near 1 ready long before it could be;
/// `positive` is at most 0.999999 (a million tests on average).
#[inline]
pub fn check_duration(h: &Health, rng: &mut Stream, limit: f64) -> f64 {
    if let (Dist::Fixed(test), Dist::Fixed(isolation)) = (&h.turnaround, &h.isolation) {
        return fixed_check_duration(*test, h.positive, *isolation, rng, limit);
    }
    any_check_duration(h, rng, limit)
}

/// A check whose test and isolation take fixed times: its parameters read once, so that each
/// check runs the fixed-time loop of [`check_duration`] without looking at the distributions
/// again.
#[derive(Debug, Clone, Copy)]
pub struct FixedCheck {
    test: f64,
    positive: f64,
    isolation: f64,
}

impl FixedCheck {
    /// The fixed check of `h`, if its test and isolation take fixed times.
    pub fn of(h: &Health) -> Option<FixedCheck> {
        match (&h.turnaround, &h.isolation) {
            (Dist::Fixed(test), Dist::Fixed(isolation)) => Some(FixedCheck {
                test: *test,
                positive: h.positive,
                isolation: *isolation,
            }),
            _ => None,
        }
    }

    /// [`check_duration`] of the check this was made from: the same duration and draws.
    #[inline]
    pub fn duration(&self, rng: &mut Stream, limit: f64) -> f64 {
        fixed_check_duration(self.test, self.positive, self.isolation, rng, limit)
    }
}

/// [`check_duration`] when the test and the isolation take fixed times: the same sums in the
/// same order and the same draws (a fixed time draws nothing; its mean is its value). Kept
/// apart because the general loop, inlined, sets up every distribution's constants before its
/// first test, several times the work of a check that usually ends at the first one.
#[inline]
fn fixed_check_duration(
    test: f64,
    positive: f64,
    isolation: f64,
    rng: &mut Stream,
    limit: f64,
) -> f64 {
    let mut total = 0.0;
    loop {
        total += test;
        if !(positive > 0.0 && rng.random::<f64>() < positive) {
            return total;
        }
        total += isolation;
        if total > limit || (total == 0.0 && test + isolation == 0.0) {
            return total;
        }
    }
}

/// [`check_duration`] for any test and isolation times.
#[inline(never)]
fn any_check_duration(h: &Health, rng: &mut Stream, limit: f64) -> f64 {
    let mut total = 0.0;
    loop {
        total += h.turnaround.sample(rng);
        if !(h.positive > 0.0 && rng.random::<f64>() < h.positive) {
            return total;
        }
        total += h.isolation.sample(rng);
        // Past the limit; or tests and isolations that take no time (both durations 0,
        // non-negative with mean 0), which end at 0 however many tests are positive.
        if total > limit || (total == 0.0 && h.turnaround.mean() + h.isolation.mean() == 0.0) {
            return total;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn health(turnaround: f64, positive: f64, isolation: f64) -> Health {
        Health {
            turnaround: Dist::fixed(turnaround).unwrap(),
            positive,
            isolation: Dist::fixed(isolation).unwrap(),
        }
    }

    /// The fixed-time path gives the general loop's durations, bit for bit, with the same
    /// draws.
    #[test]
    fn fixed_times_check_as_the_general_loop() {
        for (test, positive, isolation) in [
            (1.0, 0.03, 10.0),
            (1.0, 0.0, 10.0),
            (0.5, 0.5, 0.1),
            (0.0, 0.7, 0.0),
            (0.0, 0.6, 3.0),
            (2.0, 0.999_999, 9.0),
        ] {
            let h = health(test, positive, isolation);
            let mut a = Stream::seed_from_u64(3);
            let mut b = Stream::seed_from_u64(3);
            for _ in 0..2000 {
                let x = check_duration(&h, &mut a, 36_500.0);
                let y = any_check_duration(&h, &mut b, 36_500.0);
                assert_eq!(x.to_bits(), y.to_bits(), "{test} {positive} {isolation}");
            }
            assert_eq!(a.random::<u64>(), b.random::<u64>());
        }
    }

    #[test]
    fn the_check_ends_past_the_limit_or_at_once_when_it_takes_no_time() {
        let mut rng = Stream::seed_from_u64(1);
        // Every test but one in a million positive, 1 + 9 days a round: the draws go on past
        // the limit (they had stopped at 10,000 tests), and no further.
        let h = health(1.0, 0.999_999, 9.0);
        let d = check_duration(&h, &mut rng, 36_500.0);
        assert!(d > 36_500.0 && d <= 36_510.0, "{d}");
        // Tests and isolations of no time: 0, however many tests are positive.
        assert_eq!(check_duration(&health(0.0, 0.5, 0.0), &mut rng, 100.0), 0.0);
        // One negative test: the turnaround alone.
        assert_eq!(check_duration(&health(2.0, 0.0, 9.0), &mut rng, 100.0), 2.0);
    }
}
