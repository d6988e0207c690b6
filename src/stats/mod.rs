//! Statistics over replications: the STAT summary of MODEL.md §3 (mean, sd with n − 1, t-based
//! 95% confidence interval, min, percentiles by linear interpolation between order statistics,
//! max), streaming mean/variance (Welford), quantiles of small samples, and the mergeable
//! count histogram behind the daily bands ([`hist`]).

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
    /// unit\]; null for a single replication.
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
    /// 95th percentile \[the metric's unit\].
    pub p95: f64,
    /// Largest value \[the metric's unit\].
    pub max: f64,
    /// Number of replications summarised \[replications\].
    pub n: u64,
}

/// Quantile q in [0, 1] of sorted data by linear interpolation between order statistics
/// (the "type 7" definition: position (n − 1)·q).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    assert!(!sorted.is_empty(), "quantile of no data");
    let pos = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    let (a, b) = (sorted[lo], sorted[hi]);
    // Equal neighbours (or no fraction) give the value itself: the same for finite data, and
    // +∞ rather than NaN (∞ − ∞) among values that count as +∞ (milestones never reached).
    if a == b || frac == 0.0 {
        return a;
    }
    a + (b - a) * frac
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

/// Welford's streaming mean and variance.
#[derive(Debug, Clone, Copy, Default)]
pub struct Welford {
    pub n: u64,
    mean: f64,
    m2: f64,
}

impl Welford {
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }
    pub fn mean(&self) -> f64 {
        self.mean
    }
    /// Sample variance (n − 1).
    pub fn variance(&self) -> Option<f64> {
        (self.n > 1).then(|| self.m2 / (self.n - 1) as f64)
    }
}

impl Stat {
    /// STAT of the values, in the order given (the order never changes the result beyond the
    /// last bit of the mean; callers pass replications in index order so output is identical
    /// for any thread count). `None` for no values.
    pub fn of(values: &[f64]) -> Option<Stat> {
        Stat::of_vec(values.to_vec())
    }

    /// [`Stat::of`], sorting `values` in place instead of a copy.
    pub fn of_vec(values: Vec<f64>) -> Option<Stat> {
        if values.is_empty() {
            return None;
        }
        let n = values.len() as u64;
        let mut w = Welford::default();
        for &v in &values {
            w.push(v);
        }
        let mean = w.mean();
        let sd = w.variance().map(f64::sqrt);
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
            p95: quantile_sorted(&sorted, 0.95),
            max: sorted[sorted.len() - 1],
            n,
        })
    }

    /// Half-width of the 95% confidence interval.
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
    fn single_value_has_no_spread() {
        let s = Stat::of(&[3.0]).unwrap();
        assert_eq!(s.sd, None);
        assert_eq!(s.ci95_low, None);
        assert_eq!(s.p5, 3.0);
        assert!(Stat::of(&[]).is_none());
    }
}
