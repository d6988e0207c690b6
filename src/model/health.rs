//! The health check: a test takes `turnaround`; a positive test (probability `positive`) means
//! isolation for `isolation`, then another test, until a negative. No queue: the whole check is
//! one duration drawn when screening ends. With `share` below 1 only that share of groups need
//! the check (drawn first, [`needs_check`]); the others pass at once.

use crate::engine::Stream;
use crate::scenario::{Dist, Health};
use rand::Rng;

/// Whether a group needs the check (`share`, [`Health::share`]): with a share below 1 a draw
/// from `rng`, one number in \[0, 1) below the share; with a share of 1 no draw at all, so that
/// scenarios without the key draw exactly as before it existed. A group that does not need the
/// check passes the stage at once and is never positive.
#[inline]
pub fn needs_check(share: f64, rng: &mut Stream) -> bool {
    share >= 1.0 || rng.random::<f64>() < share
}

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

/// [`check_duration`] with its steps recorded, for the event log: the same duration, bit for
/// bit, and the same draws (the general loop, which the fixed-time one matches; tested). Each
/// positive test pushes `(offset, "health_positive")`, its result's time from the start of the
/// check \[days\], and each retest after an isolation `(offset, "health_retest")`, when it
/// starts. Only a traced replication calls this, so the untraced path is untouched.
pub fn check_steps(
    h: &Health,
    rng: &mut Stream,
    limit: f64,
    steps: &mut Vec<(f64, &'static str)>,
) -> f64 {
    let mut total = 0.0;
    loop {
        total += h.turnaround.sample(rng);
        if !(h.positive > 0.0 && rng.random::<f64>() < h.positive) {
            return total;
        }
        steps.push((total, "health_positive"));
        total += h.isolation.sample(rng);
        if total > limit || (total == 0.0 && h.turnaround.mean() + h.isolation.mean() == 0.0) {
            return total;
        }
        steps.push((total, "health_retest"));
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
            share: 1.0,
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

    /// The traced steps give the check's duration bit for bit with the same draws: n positive
    /// tests, each at the end of its test, and n retests, each after its isolation.
    #[test]
    fn check_steps_match_the_check() {
        for (test, positive, isolation) in [(1.0, 0.3, 10.0), (1.0, 0.0, 10.0), (0.5, 0.5, 0.1)] {
            let h = health(test, positive, isolation);
            let mut a = Stream::seed_from_u64(9);
            let mut b = Stream::seed_from_u64(9);
            let mut seen_positive = false;
            for _ in 0..2000 {
                let mut steps = Vec::new();
                let x = check_duration(&h, &mut a, 36_500.0);
                let y = check_steps(&h, &mut b, 36_500.0, &mut steps);
                assert_eq!(x.to_bits(), y.to_bits(), "{test} {positive} {isolation}");
                let n = steps.len() / 2;
                assert_eq!(steps.len(), 2 * n, "{steps:?}");
                let round = test + isolation;
                assert!(
                    (y - (n as f64 * round + test)).abs() < 1e-9,
                    "{y} {steps:?}"
                );
                for k in 0..n {
                    let (p, r) = (steps[2 * k], steps[2 * k + 1]);
                    assert_eq!((p.1, r.1), ("health_positive", "health_retest"));
                    assert!((p.0 - (k as f64 * round + test)).abs() < 1e-9, "{steps:?}");
                    assert!((r.0 - (k + 1) as f64 * round).abs() < 1e-9, "{steps:?}");
                }
                seen_positive |= n > 0;
            }
            assert_eq!(seen_positive, positive > 0.0);
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
