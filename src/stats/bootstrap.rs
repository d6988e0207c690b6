//! Paired bootstrap intervals of a quantile difference: how far the difference between one
//! quantile of two sets of paired replications (the same seeds at two settings) could lie from
//! its estimate, by resampling the pairs. Used by `sensitivity` for the uncertainty of a swing
//! (the percentile bootstrap, [`paired_quantile_diff_ci`]) and of each setting's change from the
//! baseline, the tornado chart's whiskers (the Bayesian bootstrap,
//! [`paired_quantile_diff_bayes_ci`], which holds a tail quantile's change more often).

use super::{quantile_sorted, Position};
use rand::Rng;
use rand_distr::Exp1;

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
///
/// # The difference of two medians
///
/// A comparison's KPI differences ([`crate::experiment::compare::KpiDiff::diff`]) are means of
/// the paired differences; for clearance, [`crate::experiment::compare::Comparison`] gives the
/// difference of the medians with this interval as `clearance_p50_diff`. For another quantile
/// or KPI, run both scenarios on the same seed, take replication i of each as a pair and draw
/// from one of the crate's seeded streams ([`crate::engine::rng::stream`]; `rand` need not be
/// named). With the comparison's stream, [`crate::experiment::compare::bootstrap_stream`], the
/// interval of the medians is the comparison's own:
///
/// ```
/// use clearance::experiment::compare::{bootstrap_stream, compare, CompareOptions};
/// use clearance::experiment::{self, RunOptions};
/// use clearance::scenario::load_file;
/// use clearance::stats::bootstrap::paired_quantile_diff_ci;
/// use std::path::Path;
///
/// let a = load_file(Path::new("scenarios/baseline.toml")).unwrap();
/// let b = load_file(Path::new("scenarios/two-ports.toml")).unwrap();
/// // One seed for both: replication i of A and of B draw from the same streams.
/// let opts = RunOptions { replications: Some(30), seed: Some(7), ..Default::default() };
/// // Clearance of each replication [days], +∞ for one that did not clear by its horizon.
/// let clearance = |scn| -> Vec<f64> {
///     let run = experiment::run(scn, &opts).unwrap();
///     let reps = run.replications.to_vec().unwrap(); // in replication order
///     reps.iter()
///         .map(|r| if r.censored { f64::INFINITY } else { r.clearance_days })
///         .collect()
/// };
/// let (ca, cb) = (clearance(&a), clearance(&b));
/// let mut rng = bootstrap_stream(7); // clearance::engine::rng::stream(7, 0, BOOTSTRAP_PURPOSE)
/// let (low, high) = paired_quantile_diff_ci(&ca, &cb, 0.5, &mut rng).expect("20 pairs or more");
/// println!("median of B − median of A: 95% CI {low:+.1} to {high:+.1} days");
///
/// // The same interval as the comparison's, which draws from that stream too.
/// let copts = CompareOptions { replications: 30, independent: false, measure_variance_reduction: false };
/// let opts = RunOptions { seed: Some(7), ..Default::default() };
/// let d = compare(&a, &b, &copts, &opts).unwrap().clearance_p50_diff;
/// assert_eq!((d.ci95_low, d.ci95_high), (Some(low), Some(high)));
/// assert!(low <= d.diff_days.unwrap() && d.diff_days.unwrap() <= high);
/// ```
pub fn paired_quantile_diff_ci<R: Rng>(
    a: &[f64],
    b: &[f64],
    q: f64,
    rng: &mut R,
) -> Option<(f64, f64)> {
    let (order_a, order_b) = pair_orders(a, b)?;
    let n = a.len();
    let pos = Position::of(n as u64, q);
    let mut counts = vec![0u32; n];
    central_95((0..RESAMPLES).map(|_| {
        counts.fill(0);
        for _ in 0..n {
            counts[rng.random_range(0..n)] += 1;
        }
        let qa = resampled_quantile(a, &order_a, &counts, pos);
        let qb = resampled_quantile(b, &order_b, &counts, pos);
        Some(qb? - qa?)
    }))
}

/// The indices of `a` and of `b` in increasing order of value; `None` for sets of different
/// lengths or fewer than [`MIN_PAIRS`] pairs.
fn pair_orders(a: &[f64], b: &[f64]) -> Option<(Vec<u32>, Vec<u32>)> {
    let n = a.len();
    if n != b.len() || n < MIN_PAIRS {
        return None;
    }
    let order = |v: &[f64]| {
        let mut idx: Vec<u32> = (0..n as u32).collect();
        idx.sort_by(|&i, &j| v[i as usize].total_cmp(&v[j as usize]));
        idx
    };
    Some((order(a), order(b)))
}

/// The central 95% of the resampled differences, each `None` when it is not known (it could
/// lie anywhere: below every known one for the lower end, above for the upper). `None` when an
/// end is infinite.
fn central_95(resampled: impl Iterator<Item = Option<f64>>) -> Option<(f64, f64)> {
    let mut diffs = Vec::with_capacity(RESAMPLES);
    let mut unknown = 0;
    for d in resampled {
        match d {
            Some(d) => diffs.push(d),
            None => unknown += 1,
        }
    }
    diffs.sort_by(f64::total_cmp);
    let low: Vec<f64> = std::iter::repeat_n(f64::NEG_INFINITY, unknown)
        .chain(diffs.iter().copied())
        .collect();
    diffs.extend(std::iter::repeat_n(f64::INFINITY, unknown));
    let (lo, hi) = (quantile_sorted(&low, 0.025), quantile_sorted(&diffs, 0.975));
    (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
}

/// The 95% Bayesian-bootstrap interval of quantile(`b`, q) − quantile(`a`, q) for pairs
/// (`a[i]`, `b[i]`), as [`paired_quantile_diff_ci`] (the same pairs, [`RESAMPLES`] draws from
/// `rng`, `None` for fewer than [`MIN_PAIRS`] pairs or sets of different lengths, replications
/// that did not clear taken as anywhere) but with each draw weighting the pairs instead of
/// resampling them (Rubin's Bayesian bootstrap): pair i gets weight wᵢ ~ Exp(1), the same on
/// both sides, and each side's quantile is its smallest value whose share of the weight, with
/// the values below it, reaches q (the weighted empirical distribution inverted).
///
/// Why, for the tornado chart's whiskers: for one quantile, the chance that a draw's quantile
/// is at most the j-th smallest value is P(Beta(j, n − j) ≥ q) = P(Binomial(n − 1, q) < j),
/// about the chance the distribution-free order-statistic interval uses, with the binomial
/// taken at q; resampling takes it at j/n instead, and for a tail quantile of 20 to 50 values
/// its interval is too narrow on the side of the tail (the resampled P90 of 50 values rarely
/// passes the 48th). Checked by hand on `sensitivity` (docs/experiments.md) and in this module's tests.
pub fn paired_quantile_diff_bayes_ci<R: Rng>(
    a: &[f64],
    b: &[f64],
    q: f64,
    rng: &mut R,
) -> Option<(f64, f64)> {
    let (order_a, order_b) = pair_orders(a, b)?;
    let mut weights = vec![0f64; a.len()];
    central_95((0..RESAMPLES).map(|_| {
        for w in &mut weights {
            *w = rng.sample(Exp1);
        }
        let qa = weighted_quantile(a, &order_a, &weights, q);
        let qb = weighted_quantile(b, &order_b, &weights, q);
        Some(qb? - qa?)
    }))
}

/// The smallest value `v[i]`, walking `order` (the indices of `v` in increasing order of
/// value), at which the running sum of `weights` reaches q of their total (the largest when
/// rounding leaves it short); `None` when that value is not finite.
fn weighted_quantile(v: &[f64], order: &[u32], weights: &[f64], q: f64) -> Option<f64> {
    let total: f64 = order.iter().map(|&i| weights[i as usize]).sum();
    let target = q * total;
    let mut sum = 0.0;
    let mut at = *order.last()?;
    for &i in order {
        sum += weights[i as usize];
        if sum >= target {
            at = i;
            break;
        }
    }
    let x = v[at as usize];
    x.is_finite().then_some(x)
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

    /// An interval function of this module, drawing from a test stream.
    type Interval = fn(&[f64], &[f64], f64, &mut Xoshiro256PlusPlus) -> Option<(f64, f64)>;

    /// Share of `trials` data sets of `n` pairs (a ~ Exp(1), b = 2·a) whose interval from `ci`
    /// holds the true difference of the q-quantiles, −ln(1 − q) (the quantile of b is twice
    /// that of a), and the mean width.
    fn coverage(ci: Interval, n: usize, q: f64, trials: usize, seed: u64) -> (f64, f64) {
        let exp = Exp::new(1.0).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let truth = -(1.0 - q).ln();
        let (mut covered, mut width) = (0, 0.0);
        for _ in 0..trials {
            let a: Vec<f64> = (0..n).map(|_| exp.sample(&mut rng)).collect();
            let b: Vec<f64> = a.iter().map(|x| 2.0 * x).collect();
            let (lo, hi) = ci(&a, &b, q, &mut rng).unwrap();
            assert!(lo <= hi);
            covered += usize::from(lo <= truth && truth <= hi);
            width += hi - lo;
        }
        (covered as f64 / trials as f64, width / trials as f64)
    }

    /// The whiskers' reason for the Bayesian bootstrap: at 50 pairs the percentile bootstrap's
    /// 95% interval of a P90 difference holds the truth in well under 95% of data sets (about
    /// 89% here), the Bayesian bootstrap's in about 94% (its intervals 28% wider); at the
    /// median it holds it about 94% of the time.
    #[test]
    fn bayesian_bootstrap_covers_a_p90_difference_at_50_pairs() {
        let trials = 600;
        let (old, old_width) = coverage(paired_quantile_diff_ci, 50, 0.9, trials, 90);
        let (new, new_width) = coverage(paired_quantile_diff_bayes_ci, 50, 0.9, trials, 90);
        assert!(old < 0.92, "percentile bootstrap covered {old}");
        assert!(
            (0.93..=0.98).contains(&new),
            "Bayesian bootstrap covered {new}"
        );
        // Wider, not absurdly: the P90 of Exp(1) from 50 values has standard error about 0.42.
        assert!(
            old_width < new_width && new_width < 1.4 * old_width,
            "widths {old_width} {new_width}"
        );
        let (median, _) = coverage(paired_quantile_diff_bayes_ci, 50, 0.5, trials, 50);
        assert!((0.92..=0.98).contains(&median), "median covered {median}");
    }

    /// The Bayesian bootstrap keeps the pairing, the widening for replications that did not
    /// clear and the refusals of the percentile one.
    #[test]
    fn bayesian_bootstrap_pairs_and_refuses_as_the_percentile_one() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let a: Vec<f64> = (0..100).map(|i| (i * 37 % 100) as f64).collect();
        let shifted: Vec<f64> = a.iter().map(|x| x + 1.0).collect();
        assert_eq!(
            paired_quantile_diff_bayes_ci(&a, &shifted, 0.9, &mut rng),
            Some((1.0, 1.0))
        );
        let mut b = a.clone();
        for x in b.iter_mut().skip(75) {
            *x = f64::INFINITY; // a quarter did not clear: P90 is not known
        }
        assert_eq!(paired_quantile_diff_bayes_ci(&a, &b, 0.9, &mut rng), None);
        assert!(paired_quantile_diff_bayes_ci(&a, &b, 0.5, &mut rng).is_some());
        let short: Vec<f64> = (0..MIN_PAIRS - 1).map(|i| i as f64).collect();
        assert_eq!(
            paired_quantile_diff_bayes_ci(&short, &short, 0.5, &mut rng),
            None
        );
        assert_eq!(
            paired_quantile_diff_bayes_ci(&a, &a[1..], 0.5, &mut rng),
            None
        );
        // One replication that did not clear, at the top: the interval holds the one that any
        // clearance of it would give (the same draws).
        let mut c = shifted.clone();
        let top = (0..100).max_by(|&i, &j| c[i].total_cmp(&c[j])).unwrap();
        let with = |v: f64, c: &mut Vec<f64>| {
            c[top] = v;
            paired_quantile_diff_bayes_ci(&a, c, 0.9, &mut Xoshiro256PlusPlus::seed_from_u64(1))
        };
        let (lo, hi) = with(f64::INFINITY, &mut c).expect("few draws reach it");
        for v in [100.0, 1e9] {
            let (l, h) = with(v, &mut c).unwrap();
            assert!(
                lo <= l && h <= hi,
                "{v}: [{l}, {h}] not inside [{lo}, {hi}]"
            );
        }
    }

    /// The weighted walk with equal weights is the inverse of the empirical distribution: the
    /// ⌈n·q⌉-th smallest value.
    #[test]
    fn weighted_quantile_with_equal_weights_is_the_inverse_ecdf() {
        let v: Vec<f64> = (0..10).map(|i| f64::from((i * 7) % 10)).collect();
        let mut order: Vec<u32> = (0..10).collect();
        order.sort_by(|&i, &j| v[i as usize].total_cmp(&v[j as usize]));
        let w = vec![0.25; 10];
        for (q, want) in [
            (0.0, 0.0),
            (0.1, 0.0),
            (0.15, 1.0),
            (0.5, 4.0),
            (0.9, 8.0),
            (1.0, 9.0),
        ] {
            assert_eq!(weighted_quantile(&v, &order, &w, q), Some(want), "q {q}");
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
