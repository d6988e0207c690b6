//! Statistics over replications: the STAT summary of MODEL.md §3 (mean, sd with n − 1, t-based
//! 95% confidence interval, min, percentiles by linear interpolation between order statistics,
//! max) with a two-pass mean and variance, quantiles placed exactly, the mergeable count
//! histogram behind the daily bands ([`hist`]) and the paired bootstrap interval of a quantile
//! difference ([`bootstrap`]).

pub mod bootstrap;
pub mod hist;
pub use hist::CountHist;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Summary of one metric over replications. Units are those of the metric.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Stat {
    /// Mean \[the metric's unit\].
    pub mean: f64,
    /// Sample standard deviation (n − 1) \[the metric's unit\]; null for a single replication.
    pub sd: Option<f64>,
    /// Lower end of the 95% CI of the mean, mean − t(0.975, n − 1)·sd/√n \[the metric's
    /// unit\]; null for a single replication. As MODEL.md defines it: for a mean near 0 of a
    /// quantity that cannot be negative it can reach below 0.
    pub ci95_low: Option<f64>,
    /// Upper end of the 95% CI of the mean, mean + t(0.975, n − 1)·sd/√n \[the metric's
    /// unit\]; null for a single replication.
    pub ci95_high: Option<f64>,
    /// Smallest value \[the metric's unit\].
    pub min: f64,
    /// 5th percentile \[the metric's unit\].
    pub p5: f64,
    /// Median \[the metric's unit\].
    pub p50: f64,
    /// 90th percentile \[the metric's unit\]; absent from summaries written before it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p90: Option<f64>,
    /// 95th percentile \[the metric's unit\].
    pub p95: f64,
    /// Largest value \[the metric's unit\].
    pub max: f64,
    /// Number of replications summarised \[replications\].
    pub n: u64,
}

/// Where quantile q of n values lies in the "type 7" definition (position (n − 1)·q): the
/// order statistics `lo` and `hi` to interpolate between and the fraction `num / den` of the way
/// from one to the other. A q that is a whole number of millionths (every quantile clearance
/// asks for) is placed exactly, in integers, so that a quantile halfway between 846 and 847 is
/// 846.4 and not 846.3999999999999; any other q by floating point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Position {
    pub lo: u64,
    pub hi: u64,
    num: u64,
    den: u64,
    /// The fraction when q is not a whole number of millionths.
    float: Option<f64>,
}

const MILLION: u64 = 1_000_000;

impl Position {
    pub fn of(n: u64, q: f64) -> Position {
        assert!(n > 0, "quantile of no data");
        let q = q.clamp(0.0, 1.0);
        let ppm = (q * MILLION as f64).round();
        if (q * MILLION as f64 - ppm).abs() < 1e-6 && n - 1 <= u64::MAX / MILLION {
            let at = (n - 1) * ppm as u64;
            let (lo, num) = (at / MILLION, at % MILLION);
            return Position {
                lo,
                hi: lo + u64::from(num > 0),
                num,
                den: MILLION,
                float: None,
            };
        }
        let pos = (n - 1) as f64 * q;
        let lo = pos.floor() as u64;
        Position {
            lo,
            hi: pos.ceil() as u64,
            num: 0,
            den: 1,
            float: Some(pos - lo as f64),
        }
    }

    /// The value between order statistics `a` (at `lo`) and `b` (at `hi`): whole numbers of at
    /// most 2^32 interpolate exactly up to one rounding (a·den + (b − a)·num < 2^53).
    pub fn interpolate(&self, a: f64, b: f64) -> f64 {
        // Equal neighbours (or no fraction) give the value itself: the same for finite data,
        // and +∞ rather than NaN (∞ − ∞) among values that count as +∞ (milestones never
        // reached).
        let frac = match self.float {
            Some(f) => f,
            None if self.num == 0 => return a,
            None => {
                let whole = |x: f64| x.fract() == 0.0 && x.abs() <= 4_294_967_296.0;
                if whole(a) && whole(b) {
                    let den = self.den as f64;
                    return (a * den + (b - a) * self.num as f64) / den;
                }
                self.num as f64 / self.den as f64
            }
        };
        if a == b || frac == 0.0 {
            return a;
        }
        a + (b - a) * frac
    }
}

/// Quantile q in [0, 1] of sorted data by linear interpolation between order statistics
/// (the "type 7" definition: position (n − 1)·q), placed exactly for a q of whole millionths
/// (p95 of counts 846.4, not 846.3999999999999).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    assert!(!sorted.is_empty(), "quantile of no data");
    let p = Position::of(sorted.len() as u64, q);
    p.interpolate(sorted[p.lo as usize], sorted[p.hi as usize])
}

/// Sum with Neumaier's compensation: exact for whole numbers below 2^53 (people counts), and
/// within a rounding or two of the exact sum otherwise, in the order given.
fn compensated_sum(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut carry) = (0.0f64, 0.0f64);
    for v in values {
        let t = sum + v;
        carry += if sum.abs() >= v.abs() {
            (sum - t) + v
        } else {
            (v - t) + sum
        };
        sum = t;
    }
    let total = sum + carry;
    // Infinite values make the carry NaN (∞ − ∞); the plain sum is the answer then.
    if total.is_nan() {
        sum
    } else {
        total
    }
}

/// t(0.975, df): the two-sided 95% Student-t critical value.
pub fn t975(df: u64) -> f64 {
    if df == 0 {
        return f64::NAN;
    }
    match StudentsT::new(0.0, 1.0, df as f64) {
        Ok(t) => t.inverse_cdf(0.975),
        Err(_) => 1.959_963_984_540_054,
    }
}

impl Stat {
    /// STAT of the values, in the order given (the order never changes the result beyond the
    /// last bit of the mean; callers pass replications in index order so output is identical
    /// for any thread count). `None` for no values, and `None` when any value is not finite
    /// (NaN or ±infinity): no statistic of such values would be meaningful (a NaN would make
    /// the sd and percentiles NaN beside a finite mean and min), so filter or replace them
    /// first (e.g. drop the replications that did not measure the quantity).
    pub fn of(values: &[f64]) -> Option<Stat> {
        Stat::of_vec(values.to_vec())
    }

    /// [`Stat::of`], sorting `values` in place instead of a copy (`None` for the same inputs).
    pub fn of_vec(values: Vec<f64>) -> Option<Stat> {
        if values.is_empty() || !values.iter().all(|v| v.is_finite()) {
            return None;
        }
        let n = values.len() as u64;
        // (In the order given: the sums below are rounded as they were before the clamp.)
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        // Two passes: the mean as the (compensated) sum over n, so that the mean of counts is
        // the correctly rounded fraction (22281.015, not 22281.01500000001), then the squared
        // deviations from it. The sum of n equal values is rounded once, so its mean can miss
        // the value by an ulp: kept within min..=max, the mean of equal values is the value and
        // their sd is 0.
        let mean = (compensated_sum(values.iter().copied()) / n as f64)
            .max(lo)
            .min(hi);
        let sd = (n > 1).then(|| {
            let ss = compensated_sum(values.iter().map(|&v| (v - mean) * (v - mean)));
            (ss / (n - 1) as f64).sqrt()
        });
        let half = sd.map(|s| t975(n - 1) * s / (n as f64).sqrt());
        let mut sorted = values;
        sorted.sort_by(f64::total_cmp);
        Some(Stat {
            mean,
            sd,
            ci95_low: half.map(|h| mean - h),
            ci95_high: half.map(|h| mean + h),
            min: sorted[0],
            p5: quantile_sorted(&sorted, 0.05),
            p50: quantile_sorted(&sorted, 0.50),
            p90: Some(quantile_sorted(&sorted, 0.90)),
            p95: quantile_sorted(&sorted, 0.95),
            max: sorted[sorted.len() - 1],
            n,
        })
    }

    /// Half-width of the 95% confidence interval, t(0.975, n − 1)·sd/√n.
    pub fn ci95_half_width(&self) -> Option<f64> {
        Some((self.ci95_high? - self.ci95_low?) / 2.0)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn quantiles_among_infinite_values_are_infinite_not_nan() {
        let mut v = vec![
            1.0,
            2.0,
            3.0,
            4.0,
            5.0,
            6.0,
            7.0,
            8.0,
            f64::INFINITY,
            f64::INFINITY,
        ];
        v.sort_by(f64::total_cmp);
        assert_eq!(quantile_sorted(&v, 0.9), f64::INFINITY);
        assert_eq!(quantile_sorted(&v, 1.0), f64::INFINITY);
        // between a finite value and +∞: +∞ (at least that late)
        assert_eq!(quantile_sorted(&v, 0.85), f64::INFINITY);
        assert_eq!(quantile_sorted(&v, 0.5), 5.5);
    }

    use super::*;
    use rand::SeedableRng;

    #[test]
    fn t_critical_values_match_tables() {
        assert!((t975(1) - 12.706).abs() < 1e-3);
        assert!((t975(9) - 2.262).abs() < 1e-3);
        assert!((t975(99) - 1.984).abs() < 1e-3);
    }

    #[test]
    fn stat_of_known_sample() {
        let s = Stat::of(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
        assert_eq!(s.mean, 5.0);
        // sample sd with n-1: sqrt(32/7)
        assert!((s.sd.unwrap() - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
        let half = 2.364_624 * (32.0f64 / 7.0).sqrt() / 8f64.sqrt();
        assert!((s.ci95_high.unwrap() - (5.0 + half)).abs() < 1e-5);
        assert_eq!(s.min, 2.0);
        assert_eq!(s.max, 9.0);
        // type 7: position 7 * 0.5 = 3.5 -> (4 + 5) / 2
        assert_eq!(s.p50, 4.5);
        // position 7 * 0.05 = 0.35 -> 2 + 0.35 * 2
        assert!((s.p5 - 2.7).abs() < 1e-12);
        // position 6.65 -> 7 + 0.65 * 2
        assert!((s.p95 - 8.3).abs() < 1e-12);
    }

    #[test]
    fn quantiles_and_means_of_counts_carry_no_float_noise() {
        // Position (200 − 1)·0.95 = 189.05: 5% of the way from 846 to 854 is 846.4, which the
        // floating-point position (189.04999999999998) made 846.3999999999999.
        let mut v = vec![0.0; 189];
        v.push(846.0);
        v.extend([854.0; 10]);
        assert_eq!(quantile_sorted(&v, 0.95).to_string(), "846.4");
        assert_eq!(Stat::of(&v).unwrap().p95.to_string(), "846.4");
        // The mean of counts is their sum over n, rounded once.
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        for n in [3usize, 200, 1_000, 10_000] {
            let v: Vec<f64> = (0..n)
                .map(|_| rand::Rng::random_range(&mut rng, 20_000..25_000) as f64)
                .collect();
            let exact = v.iter().sum::<f64>() / n as f64;
            assert_eq!(Stat::of(&v).unwrap().mean, exact, "n {n}");
        }
        // A quantile that is not a whole number of millionths still interpolates.
        assert!((quantile_sorted(&[0.0, 1.0], 0.123_456_789_1) - 0.123_456_789_1).abs() < 1e-15);
    }

    /// Equal values: their mean is the value and their sd 0 (200 replications clearing at
    /// 41.333333333333336 had given a mean an ulp above the largest, and an sd of 7e-15).
    #[test]
    fn equal_values_have_their_value_as_mean_and_no_spread() {
        let x = 41.333333333333336;
        assert_ne!(compensated_sum(std::iter::repeat_n(x, 200)) / 200.0, x);
        let s = Stat::of(&[x; 200]).unwrap();
        assert_eq!((s.mean, s.sd, s.min, s.max), (x, Some(0.0), x, x));
        assert_eq!((s.ci95_low, s.ci95_high), (Some(x), Some(x)));
    }

    #[test]
    fn single_value_has_no_spread() {
        let s = Stat::of(&[3.0]).unwrap();
        assert_eq!(s.sd, None);
        assert_eq!(s.ci95_low, None);
        assert_eq!(s.p5, 3.0);
        assert!(Stat::of(&[]).is_none());
        // Not finite anywhere: no statistic (a NaN had given a finite mean and min beside a NaN
        // sd and percentiles).
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(Stat::of(&[1.0, bad, 3.0]).is_none(), "{bad}");
            assert!(Stat::of(&[bad]).is_none(), "{bad}");
            assert!(Stat::of_vec(vec![2.0, bad]).is_none(), "{bad}");
        }
    }
}
