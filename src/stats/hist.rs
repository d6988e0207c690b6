//! A mergeable histogram of counts (people), the streaming store behind the daily quantile
//! bands: fixed size, exact in the usual case, and independent of the order values arrive in.
//!
//! Bins are aligned powers of two: bin b of width 2^shift holds the values b·2^shift ..
//! (b+1)·2^shift − 1. The width is the smallest power of two for which the values seen so far
//! (min..max) need at most [`MAX_BINS`] bins, so while max − min < `MAX_BINS`
//! (as they do for the daily series of every bundled scenario) each bin holds one value and
//! every quantile is exact. Beyond that a quantile is interpolated inside its bin (error below
//! one bin width, at most about 2 · span / `MAX_BINS`: the smallest power of two that fits the
//! span in `MAX_BINS` bins). Since the width depends only on the overall
//! min and max, and bins nest, the histogram after adding a multiset of values is the same
//! whatever the order or the split into merged parts: results never depend on thread count.
//! Mean and sum are exact (integer sum).

use serde::{Deserialize, Serialize};

/// Most bins a histogram holds \[bins\]; 4 bytes each.
pub const MAX_BINS: u32 = 1024;

/// Histogram of `u32` values with exact count, sum, min and max.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountHist {
    /// log2 of the bin width.
    shift: u32,
    /// Bin index of `counts[0]` (= min >> shift).
    lo_bin: u32,
    counts: Vec<u32>,
    n: u64,
    sum: u64,
    min: u32,
    max: u32,
}

/// Smallest shift >= `from` for which min..max fits in `MAX_BINS` bins.
fn shift_for(min: u32, max: u32, from: u32) -> u32 {
    let mut s = from;
    while (max >> s) - (min >> s) >= MAX_BINS {
        s += 1;
    }
    s
}

impl CountHist {
    /// An empty histogram.
    pub fn new() -> CountHist {
        CountHist::default()
    }

    /// Values added \[count\].
    pub fn len(&self) -> u64 {
        self.n
    }

    /// Whether no value was added.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Sum of the values (exact).
    pub fn sum(&self) -> u64 {
        self.sum
    }

    /// Mean of the values (0 when empty).
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum as f64 / self.n as f64
        }
    }

    /// Whether a histogram read from a file is one this module could have built (so that using
    /// it cannot panic); the reason when not.
    pub fn check(&self) -> Result<(), String> {
        if self.n == 0 {
            return if self.counts.is_empty() && self.sum == 0 {
                Ok(())
            } else {
                Err("an empty histogram holds counts".into())
            };
        }
        let consistent = self.shift < 32
            && self.min <= self.max
            && self.shift == shift_for(self.min, self.max, self.shift)
            && self.lo_bin == self.min >> self.shift
            && self.counts.len() as u64 == ((self.max >> self.shift) - self.lo_bin) as u64 + 1
            && self.counts.iter().map(|&c| c as u64).sum::<u64>() == self.n
            && self.counts.first().is_some_and(|&c| c > 0)
            && self.counts.last().is_some_and(|&c| c > 0)
            // n values from min to max add up to n·min ..= n·max: a sum out of that range (a
            // file edited) had given wrong means, and sums that overflowed as shards merged.
            && (self.n as u128 * self.min as u128..=self.n as u128 * self.max as u128)
                .contains(&(self.sum as u128));
        if consistent {
            Ok(())
        } else {
            Err("inconsistent histogram (bins, counts, min and max disagree)".into())
        }
    }

    /// Width of a bin: 1 while the histogram is exact.
    pub fn bin_width(&self) -> u64 {
        1u64 << self.shift
    }

    /// Add one value.
    pub fn add(&mut self, v: u32) {
        self.add_n(v, v, 1);
        self.sum += v as u64;
    }

    /// Count `c` values in the bin of `lo` (they lie in lo..=hi, within one bin of any width at
    /// least the current one; lo = hi for a single value). The sum is the caller's.
    fn add_n(&mut self, lo: u32, hi: u32, c: u32) {
        if c == 0 {
            return;
        }
        if self.n == 0 {
            self.min = lo;
            self.max = hi;
            self.shift = shift_for(lo, hi, self.shift);
            self.lo_bin = lo >> self.shift;
            self.counts.clear();
            self.counts
                .resize(((hi >> self.shift) - self.lo_bin + 1) as usize, 0);
        } else {
            let (min, max) = (self.min.min(lo), self.max.max(hi));
            let s = shift_for(min, max, self.shift);
            if s != self.shift {
                self.rebin(s);
            }
            self.min = min;
            self.max = max;
            let lo_bin = min >> self.shift;
            if lo_bin < self.lo_bin {
                let extra = (self.lo_bin - lo_bin) as usize;
                self.counts.splice(0..0, std::iter::repeat_n(0, extra));
                self.lo_bin = lo_bin;
            }
            let len = ((max >> self.shift) - self.lo_bin + 1) as usize;
            if len > self.counts.len() {
                self.counts.resize(len, 0);
            }
        }
        self.counts[((lo >> self.shift) - self.lo_bin) as usize] += c;
        self.n += c as u64;
    }

    /// Widen the bins to 2^s (s > shift), merging neighbours.
    fn rebin(&mut self, s: u32) {
        let d = s - self.shift;
        let lo_bin = self.lo_bin >> d;
        let hi_bin = (self.lo_bin + self.counts.len() as u32 - 1) >> d;
        let mut counts = vec![0u32; (hi_bin - lo_bin + 1) as usize];
        for (i, &c) in self.counts.iter().enumerate() {
            counts[(((self.lo_bin + i as u32) >> d) - lo_bin) as usize] += c;
        }
        self.counts = counts;
        self.lo_bin = lo_bin;
        self.shift = s;
    }

    /// Add every value of `other`.
    pub fn merge(&mut self, other: &CountHist) {
        if other.n == 0 {
            return;
        }
        // Widen first to what the union needs (at least other's width), so other's bins nest.
        let (min, max) = if self.n == 0 {
            (other.min, other.max)
        } else {
            (self.min.min(other.min), self.max.max(other.max))
        };
        let s = shift_for(min, max, self.shift.max(other.shift));
        if self.n == 0 {
            self.shift = s;
        } else if s != self.shift {
            self.rebin(s);
        }
        let sum = self.sum + other.sum;
        for (i, &c) in other.counts.iter().enumerate() {
            let b = other.lo_bin + i as u32;
            let lo = (b << other.shift).max(other.min);
            let hi = (((b as u64 + 1) << other.shift) - 1).min(other.max as u64) as u32;
            if c > 0 {
                self.add_n(lo, hi, c);
            }
        }
        // min and max are exact: other's bins were widened to its own extremes only.
        self.min = min;
        self.max = max;
        self.sum = sum;
    }

    /// The k-th smallest value (0-based), exact while bins hold one value; inside a wider bin
    /// the values are taken as spread evenly over it, from its lowest to its highest possible
    /// value (so the smallest and largest values are exact).
    pub fn order_stat(&self, k: u64) -> f64 {
        assert!(k < self.n, "order statistic {k} of {} values", self.n);
        let mut seen = 0u64;
        for (i, &c) in self.counts.iter().enumerate() {
            let c = c as u64;
            if k < seen + c {
                let b = self.lo_bin as u64 + i as u64;
                if self.shift == 0 {
                    return b as f64;
                }
                // The bin's values lie in a..=z (its bounds, narrowed to the exact min and max).
                let a = ((b << self.shift) as f64).max(self.min as f64);
                let z = ((((b + 1) << self.shift) - 1) as f64).min(self.max as f64);
                return if c == 1 {
                    if b == self.lo_bin as u64 {
                        a
                    } else if i + 1 == self.counts.len() {
                        z
                    } else {
                        (a + z) / 2.0
                    }
                } else {
                    a + (z - a) * (k - seen) as f64 / (c - 1) as f64
                };
            }
            seen += c;
        }
        unreachable!("counts add up to n")
    }

    /// Quantile q in [0, 1], interpolated between order statistics as
    /// [`quantile_sorted`](super::quantile_sorted) does on the sorted values (identical while
    /// the histogram is exact).
    pub fn quantile(&self, q: f64) -> f64 {
        assert!(self.n > 0, "quantile of no data");
        let p = super::Position::of(self.n, q);
        p.interpolate(self.order_stat(p.lo), self.order_stat(p.hi))
    }
}

#[cfg(test)]
mod tests {
    use super::super::quantile_sorted;
    use super::*;
    use rand::seq::SliceRandom;
    use rand::{Rng, SeedableRng};

    fn of(values: &[u32]) -> CountHist {
        let mut h = CountHist::new();
        for &v in values {
            h.add(v);
        }
        h
    }

    #[test]
    fn exact_quantiles_equal_sorted_quantiles() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
        for n in [1usize, 2, 3, 10, 999] {
            let v: Vec<u32> = (0..n).map(|_| 20_000 + rng.random_range(0..900)).collect();
            let h = of(&v);
            assert_eq!(h.bin_width(), 1);
            let mut f: Vec<f64> = v.iter().map(|&x| x as f64).collect();
            f.sort_by(f64::total_cmp);
            for q in [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0] {
                assert_eq!(h.quantile(q), quantile_sorted(&f, q), "n {n} q {q}");
            }
            assert_eq!(h.mean(), f.iter().sum::<f64>() / n as f64);
        }
    }

    #[test]
    fn wide_values_keep_the_size_fixed_and_quantiles_within_a_bin() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(2);
        let v: Vec<u32> = (0..20_000)
            .map(|_| rng.random_range(0..1_000_000))
            .collect();
        let h = of(&v);
        assert!(h.counts.len() <= MAX_BINS as usize);
        let w = h.bin_width() as f64;
        assert!(w > 1.0);
        let mut f: Vec<f64> = v.iter().map(|&x| x as f64).collect();
        f.sort_by(f64::total_cmp);
        for q in [0.05, 0.5, 0.95] {
            let err = (h.quantile(q) - quantile_sorted(&f, q)).abs();
            assert!(err <= w, "q {q}: error {err} with bins of {w}");
        }
        assert_eq!(h.quantile(0.0), f[0]);
        assert_eq!(h.quantile(1.0), f[f.len() - 1]);
        assert_eq!(h.sum(), v.iter().map(|&x| x as u64).sum::<u64>());
    }

    /// A histogram read from a file whose sum cannot be that of its values is refused.
    #[test]
    fn a_sum_outside_n_min_to_n_max_is_inconsistent() {
        let h = of(&[5, 7, 7]);
        assert_eq!(h.check(), Ok(()));
        for (sum, ok) in [(19, true), (15, true), (21, true), (14, false), (22, false)] {
            let mut g = h.clone();
            g.sum = sum;
            assert_eq!(g.check().is_ok(), ok, "sum {sum}");
        }
        let mut g = h.clone();
        g.sum = u64::MAX;
        assert!(g.check().is_err());
    }

    #[test]
    fn order_and_merging_do_not_change_the_result() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        for span in [50u32, 5_000, 3_000_000] {
            let mut v: Vec<u32> = (0..3_000).map(|_| rng.random_range(0..span)).collect();
            let a = of(&v);
            v.shuffle(&mut rng);
            assert_eq!(of(&v), a, "shuffled, span {span}");
            for cut in [1usize, 700, 2_999] {
                let mut m = of(&v[..cut]);
                m.merge(&of(&v[cut..]));
                assert_eq!(m, a, "merged at {cut}, span {span}");
                let mut m = of(&v[cut..]);
                m.merge(&of(&v[..cut]));
                assert_eq!(m, a, "merged the other way at {cut}, span {span}");
            }
            let mut e = CountHist::new();
            e.merge(&a);
            assert_eq!(e, a);
        }
    }
}
