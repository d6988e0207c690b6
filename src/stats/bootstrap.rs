//! Paired bootstrap interval of a quantile difference: how far the difference between one
//! quantile of two sets of paired replications (the same seeds at two settings) could lie from
//! its estimate, by resampling the pairs. Used by `sensitivity` for the uncertainty of a swing.

use super::{quantile_sorted, Position};
use rand::Rng;

/// Resamples drawn for each interval.
pub const RESAMPLES: usize = 2000;

/// Fewest pairs an interval is given for: below it a percentile bootstrap of a quantile is
/// too coarse to trust (the resampled quantile takes only a handful of values).
pub const MIN_PAIRS: usize = 20;

/// The 95% percentile-bootstrap interval of quantile(`b`, q) − quantile(`a`, q), where `a[i]`
/// and `b[i]` are a pair (replication i at two settings), from [`RESAMPLES`] resamples of the
/// pairs drawn from `rng`; quantiles are type 7, as everywhere else. `None` for fewer than
/// [`MIN_PAIRS`] pairs or sets of different lengths.
///
/// A value that is not finite stands for a replication that did not clear: its clearance is not
/// known, and neither is the difference of a resample whose quantile reaches it. Such
/// differences could lie anywhere, so the interval is taken wide enough for all of them: its
/// lower end as if each were −∞, its upper end as if each were +∞. Whatever they are, the
/// interval holds the one their values would give. `None` when that makes an end infinite (more
/// than about 2.5% of the resamples reach such a replication).
///
/// Each resample draws n pair indices and counts how often each is drawn; the quantile of the
/// resampled set is then read by walking each set's values in sorted order with those counts,
/// so a resample costs O(n) and nothing is sorted again.
pub fn paired_quantile_diff_ci<R: Rng>(
    a: &[f64],
    b: &[f64],
    q: f64,
    rng: &mut R,
) -> Option<(f64, f64)> {
    let n = a.len();
    if n != b.len() || n < MIN_PAIRS {
        return None;
    }
    let order = |v: &[f64]| {
        let mut idx: Vec<u32> = (0..n as u32).collect();
        idx.sort_by(|&i, &j| v[i as usize].total_cmp(&v[j as usize]));
        idx
    };
    let (order_a, order_b) = (order(a), order(b));
    let pos = Position::of(n as u64, q);
    let mut counts = vec![0u32; n];
    let mut diffs = Vec::with_capacity(RESAMPLES);
    let mut unknown = 0;
    for _ in 0..RESAMPLES {
        counts.fill(0);
        for _ in 0..n {
            counts[rng.random_range(0..n)] += 1;
        }
        let qa = resampled_quantile(a, &order_a, &counts, pos);
        let qb = resampled_quantile(b, &order_b, &counts, pos);
        match qa.zip(qb) {
            Some((qa, qb)) => diffs.push(qb - qa),
            None => unknown += 1,
        }
    }
    diffs.sort_by(f64::total_cmp);
    // The unknown differences below every known one for the lower end, above for the upper.
    let low: Vec<f64> = std::iter::repeat_n(f64::NEG_INFINITY, unknown)
        .chain(diffs.iter().copied())
        .collect();
    diffs.extend(std::iter::repeat_n(f64::INFINITY, unknown));
    let (lo, hi) = (quantile_sorted(&low, 0.025), quantile_sorted(&diffs, 0.975));
    (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
}

/// The quantile at `pos` of the values `v[i]`, each taken `counts[i]` times, walking `order`
/// (the indices of `v` in increasing order of value); `None` when it reaches a value that is
/// not finite.
fn resampled_quantile(v: &[f64], order: &[u32], counts: &[u32], pos: Position) -> Option<f64> {
    let mut below = 0u64; // values taken before this one
    let mut at_lo = None;
    for &i in order {
        let m = u64::from(counts[i as usize]);
        if m == 0 {
            continue;
        }
        let x = v[i as usize];
        below += m;
        if at_lo.is_none() && below > pos.lo {
            at_lo = Some(x);
        }
        if below > pos.hi {
            let lo = at_lo?;
            return (lo.is_finite() && x.is_finite()).then(|| pos.interpolate(lo, x));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::{Distribution, Exp};
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// The counted walk reads the same quantile as sorting the resample written out.
    #[test]
    fn resampled_quantile_is_the_quantile_of_the_resample() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        for n in [1usize, 2, 3, 10, 57] {
            let v: Vec<f64> = (0..n).map(|_| rng.random::<f64>() * 100.0).collect();
            let mut order: Vec<u32> = (0..n as u32).collect();
            order.sort_by(|&i, &j| v[i as usize].total_cmp(&v[j as usize]));
            for _ in 0..50 {
                let mut counts = vec![0u32; n];
                for _ in 0..n {
                    counts[rng.random_range(0..n)] += 1;
                }
                let mut written: Vec<f64> = (0..n)
                    .flat_map(|i| std::iter::repeat_n(v[i], counts[i] as usize))
                    .collect();
                written.sort_by(f64::total_cmp);
                for q in [0.0, 0.1, 0.5, 0.9, 0.95, 1.0] {
                    let pos = Position::of(n as u64, q);
                    assert_eq!(
                        resampled_quantile(&v, &order, &counts, pos),
                        Some(quantile_sorted(&written, q)),
                        "n {n} q {q}"
                    );
                }
            }
        }
    }

    /// Coverage: over many data sets whose true P90 and P50 differences are known, the
    /// interval holds the truth about 95% of the time (a percentile bootstrap is approximate:
    /// between 90% and 99% here, where an interval that ignored the pairing or the resampling
    /// would fall far outside).
    #[test]
    fn covers_the_true_difference_about_95_percent_of_the_time() {
        let exp = Exp::new(1.0).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(20211);
        let trials = 300;
        for (q, truth) in [(0.9, 10f64.ln()), (0.5, 2f64.ln())] {
            // b = 2·a: paired, and the quantile of b is twice that of a, so the difference is
            // the quantile of Exp(1) itself, −ln(1 − q).
            let mut covered = 0;
            let mut width = 0.0;
            for _ in 0..trials {
                let a: Vec<f64> = (0..200).map(|_| exp.sample(&mut rng)).collect();
                let b: Vec<f64> = a.iter().map(|x| 2.0 * x).collect();
                let (lo, hi) = paired_quantile_diff_ci(&a, &b, q, &mut rng).unwrap();
                assert!(lo <= hi);
                covered += usize::from(lo <= truth && truth <= hi);
                width += hi - lo;
            }
            let share = covered as f64 / trials as f64;
            assert!((0.90..=0.99).contains(&share), "q {q}: covered {share}");
            // Not wide by construction: the mean width is near 2 × 1.96 × the quantile's
            // standard error (P90: sqrt(0.9 · 0.1 / 200) / f(x_0.9) = 0.212 for Exp(1)).
            let mean_width = width / trials as f64;
            if q == 0.9 {
                assert!((0.6..1.1).contains(&mean_width), "width {mean_width}");
            }
        }
    }

    /// Pairing matters: b = a + 1 exactly gives an interval of exactly +1 (every resample's
    /// difference is 1), where treating the sets as independent would give a wide one.
    #[test]
    fn a_shift_of_every_pair_is_known_exactly() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let a: Vec<f64> = (0..100).map(|i| (i * 37 % 100) as f64).collect();
        let b: Vec<f64> = a.iter().map(|x| x + 1.0).collect();
        assert_eq!(
            paired_quantile_diff_ci(&a, &b, 0.9, &mut rng),
            Some((1.0, 1.0))
        );
    }

    /// A replication that did not clear, reached by a few resamples: an interval is given, and
    /// it holds the one that any clearance of it would give (the same resamples, its value put
    /// back, at 200 or at 10^9 days).
    #[test]
    fn one_not_cleared_widens_the_interval_enough() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let exp = Exp::new(1.0).unwrap();
        let a: Vec<f64> = (0..40).map(|_| 100.0 + exp.sample(&mut rng)).collect();
        let mut b: Vec<f64> = a.iter().map(|x| x + 1.0 + exp.sample(&mut rng)).collect();
        let top = (0..40).max_by(|&i, &j| b[i].total_cmp(&b[j])).unwrap();
        let with = |v: f64, b: &mut Vec<f64>| {
            b[top] = v;
            paired_quantile_diff_ci(&a, b, 0.9, &mut Xoshiro256PlusPlus::seed_from_u64(1))
        };
        let cleared = b[top];
        let (lo, hi) = with(f64::INFINITY, &mut b).expect("few resamples reach it");
        for v in [cleared, 200.0, 1e9] {
            let (l, h) = with(v, &mut b).unwrap();
            assert!(
                lo <= l && h <= hi,
                "{v}: [{l}, {h}] not inside [{lo}, {hi}]"
            );
        }
        assert!(lo.is_finite() && hi.is_finite());
    }

    /// Replications that did not clear: no interval when too many resamples reach them, an
    /// interval when they lie far above the quantile; none for too few pairs.
    #[test]
    fn not_cleared_and_too_few() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let a: Vec<f64> = (0..200).map(f64::from).collect();
        let mut b = a.clone();
        for x in b.iter_mut().skip(150) {
            *x = f64::INFINITY; // a quarter did not clear: P90 is not known
        }
        assert_eq!(paired_quantile_diff_ci(&a, &b, 0.9, &mut rng), None);
        assert!(paired_quantile_diff_ci(&a, &b, 0.5, &mut rng).is_some());
        let short: Vec<f64> = (0..MIN_PAIRS - 1).map(|i| i as f64).collect();
        assert_eq!(paired_quantile_diff_ci(&short, &short, 0.5, &mut rng), None);
        assert_eq!(paired_quantile_diff_ci(&a, &a[1..], 0.5, &mut rng), None);
    }
}
