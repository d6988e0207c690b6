//! Probability distributions of durations \[days\] and group sizes \[people\], built and checked
//! once at validation and sampled in the simulation's hot loop.

use rand::Rng;
use rand_distr::{Distribution, Exp, Gamma, LogNormal, Triangular, Uniform};

/// A distribution of a non-negative duration, in days. Every variant is already validated:
/// sampling never fails and never returns a negative value.
///
/// An explicit one-byte tag (`repr(u8)`): [`Dist::sample`]'s match, at every service start,
/// reads it, instead of decoding the variant from a niche inside `Gamma`'s fields.
#[derive(Debug, Clone)]
#[repr(u8)]
pub enum Dist {
    /// Always the same value \[days\].
    Fixed(f64),
    /// Exponential with the given mean \[days\].
    Exponential {
        /// The mean \[days\], above 0.
        mean: f64,
        /// The sampler, with rate 1/`mean` \[1/day\].
        exp: Exp<f64>,
    },
    /// Uniform on [min, max] \[days\].
    Uniform {
        /// The least value \[days\].
        min: f64,
        /// The greatest value \[days\], above `min`.
        max: f64,
        /// The sampler on \[`min`, `max`\] \[days\].
        uni: Uniform<f64>,
    },
    /// Triangular on [min, max] with the given mode \[days\].
    Triangular {
        /// The least value \[days\].
        min: f64,
        /// The most likely value \[days\], from `min` to `max`.
        mode: f64,
        /// The greatest value \[days\], above `min`.
        max: f64,
        /// The sampler built from `min`, `mode` and `max` \[days\].
        tri: Triangular<f64>,
    },
    /// Lognormal given by the mean and sd of the distribution itself \[days\].
    LogNormal {
        /// The mean of the distribution itself \[days\] (not of its logarithm).
        mean: f64,
        /// The standard deviation of the distribution itself \[days\].
        sd: f64,
        /// The sampler, with the log-scale parameters derived from `mean` and `sd`.
        ln: LogNormal<f64>,
    },
    /// Gamma given by its mean and sd \[days\].
    Gamma {
        /// The mean \[days\].
        mean: f64,
        /// The standard deviation \[days\].
        sd: f64,
        /// The sampler, with shape (mean/sd)² and scale sd²/mean \[days\].
        gamma: Gamma<f64>,
    },
    /// Discrete values \[days\] with cumulative probabilities (last = 1).
    Empirical {
        /// The values \[days\], in the order written.
        values: Vec<f64>,
        /// The cumulative probability of each value \[fraction\], non-decreasing, the last 1.
        cumulative: Vec<f64>,
    },
}

/// How a distribution's parameter reads in a message: `show(name, days)`, e.g.
/// `show("min", 1.0 / 12.0)` = "2h".
pub type Show<'a> = &'a dyn Fn(&str, f64) -> String;

/// A parameter's value in a readable unit ([`super::units::duration_text`]).
fn readable(_name: &str, days: f64) -> String {
    super::units::duration_text(days)
}

fn check_nonneg(name: &str, v: f64) -> Result<(), String> {
    if !v.is_finite() {
        return Err(format!("{name} must be a finite number"));
    }
    if v < 0.0 {
        return Err(format!("{name} must not be negative"));
    }
    Ok(())
}

/// Cumulative probabilities from weights; checks they are finite, non-negative, not all zero.
pub fn cumulative_weights(n_values: usize, weights: &[f64]) -> Result<Vec<f64>, String> {
    if n_values == 0 {
        return Err("`values` must not be empty".into());
    }
    if weights.len() != n_values {
        return Err(format!(
            "`weights` has {} entries but `values` has {}; give one weight per value",
            weights.len(),
            n_values
        ));
    }
    let mut total = 0.0;
    for w in weights {
        if !w.is_finite() || *w < 0.0 {
            return Err("every weight must be a finite non-negative number".into());
        }
        total += w;
    }
    if total <= 0.0 {
        return Err("the weights must not all be zero".into());
    }
    if !total.is_finite() {
        return Err(
            "the weights are too large to add up: scale them down (e.g. to shares that sum to 1)"
                .into(),
        );
    }
    let mut acc = 0.0;
    let mut cum: Vec<f64> = weights
        .iter()
        .map(|w| {
            acc += w / total;
            acc
        })
        .collect();
    *cum.last_mut().unwrap() = 1.0;
    Ok(cum)
}

/// Whether `cumulative` is a table of cumulative probabilities for `n` values, as
/// [`cumulative_weights`] makes: `n` entries (at least one), non-decreasing from 0 (up to the
/// rounding of a running sum), the last exactly 1.
pub fn cumulative_is_sound(n: usize, cumulative: &[f64]) -> bool {
    const ROUNDING: f64 = 1e-9;
    n > 0
        && cumulative.len() == n
        && cumulative
            .iter()
            .all(|c| (0.0..=1.0 + ROUNDING).contains(c))
        && cumulative.windows(2).all(|w| w[0] <= w[1] + ROUNDING)
        && cumulative[n - 1] == 1.0
}

/// Index drawn from cumulative probabilities: the first `i` with `u < cumulative[i]`.
#[inline]
pub fn pick(cumulative: &[f64], rng: &mut impl Rng) -> usize {
    let u: f64 = rng.random();
    // The tables are short (a handful of values) and running sums of non-negative weights, so
    // non-decreasing up to the last entry, which is set to exactly 1 (it may sit a rounding
    // below the one before; both exceed every u < 1). So the first i with u < c[i] is the
    // number of entries <= u. Counting has no data-dependent branch to mispredict, unlike a
    // scan that stops; it is about a third faster on the population build (values unchanged,
    // see the test below).
    index_at(cumulative, u)
}

/// Bits of a draw's top that index [`Picker`]'s buckets.
const PICK_BITS: u32 = 8;
/// A bucket of [`Picker`] whose draws do not all give the same index.
const MIXED: u8 = u8::MAX;

/// [`pick`] from one table, faster: the draw's top 8 bits (`PICK_BITS`) choose a bucket of draws,
/// and a bucket that holds no entry of the table strictly inside it gives every one of its draws
/// the same index, kept in a table of 256 bytes. Only a draw in a bucket that straddles an entry
/// (a few in 256) counts the entries as [`pick`] does. The index is always the one [`pick`]
/// gives from the same generator state, and one `u64` is consumed as there: the draw is
/// `random::<f64>()`, the top 53 bits of `next_u64` times 2^-53.
#[derive(Debug, Clone)]
pub struct Picker {
    cumulative: Vec<f64>,
    bucket: [u8; 1 << PICK_BITS],
}

/// The draw of `random::<f64>()` that the generator's `next_u64` output `x` gives.
#[inline(always)]
fn unit_of(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// [`pick`]'s index for the draw u.
#[inline]
fn index_at(cumulative: &[f64], u: f64) -> usize {
    let below = cumulative.iter().map(|c| (*c <= u) as usize).sum::<usize>();
    below.min(cumulative.len() - 1)
}

impl Picker {
    /// The picker of a table of cumulative probabilities (non-empty).
    pub fn new(cumulative: &[f64]) -> Picker {
        let mut bucket = [MIXED; 1 << PICK_BITS];
        if cumulative.len() < MIXED as usize {
            // The entries <= u, counted with a pointer into the sorted entries (the count is
            // that of the table, in whatever order): it only grows with u.
            let mut sorted = cumulative.to_vec();
            sorted.sort_by(f64::total_cmp);
            let count = |j: &mut usize, u: f64| {
                while *j < sorted.len() && sorted[*j] <= u {
                    *j += 1;
                }
                (*j).min(cumulative.len() - 1)
            };
            let (mut j_lo, mut j_hi) = (0, 0);
            let shift = 64 - PICK_BITS;
            for (b, slot) in bucket.iter_mut().enumerate() {
                // The least and the greatest draw of the bucket: the count (so the index) only
                // grows with the draw, so equal at both ends means equal throughout.
                let lo = unit_of((b as u64) << shift);
                let hi = unit_of(((b as u64) << shift) | ((1u64 << shift) - 1));
                if count(&mut j_lo, lo) == count(&mut j_hi, hi) {
                    *slot = index_at(cumulative, lo) as u8;
                }
            }
        }
        Picker {
            cumulative: cumulative.to_vec(),
            bucket,
        }
    }

    /// The index [`pick`] would draw.
    #[inline(always)]
    pub fn pick(&self, rng: &mut impl Rng) -> usize {
        let x = rng.next_u64();
        let i = self.bucket[(x >> (64 - PICK_BITS)) as usize];
        if i != MIXED {
            i as usize
        } else {
            index_at(&self.cumulative, unit_of(x))
        }
    }
}

impl Dist {
    /// Always `v` \[days\] (`Dist::fixed(0.5)` is half a day, 12 hours). An error for a `v`
    /// that is negative or not finite.
    pub fn fixed(v: f64) -> Result<Dist, String> {
        check_nonneg("the duration", v)?;
        Ok(Dist::Fixed(v))
    }

    /// Exponential with mean `mean` \[days\]: `Dist::exponential(30.0)` is a mean of 30 days,
    /// not minutes (write minutes as `m / 1440.0`). A mean of 0 is [`Dist::Fixed`]`(0.0)`. An
    /// error for a mean that is negative or not finite.
    pub fn exponential(mean: f64) -> Result<Dist, String> {
        check_nonneg("`mean`", mean)?;
        if mean == 0.0 {
            return Ok(Dist::Fixed(0.0));
        }
        let exp = Exp::new(1.0 / mean).map_err(|e| format!("exponential: {e}"))?;
        Ok(Dist::Exponential { mean, exp })
    }

    /// Uniform on \[`min`, `max`\] \[days\] (equal ends are [`Dist::Fixed`]). An error for an
    /// end that is negative or not finite, or `min > max`.
    pub fn uniform(min: f64, max: f64) -> Result<Dist, String> {
        Self::uniform_as(min, max, &readable)
    }

    /// [`Dist::uniform`], its message giving each parameter's value as `show(name, days)`
    /// writes it (validation: as the file wrote it, "2h", not 0.0833 days).
    pub fn uniform_as(min: f64, max: f64, show: Show) -> Result<Dist, String> {
        check_nonneg("`min`", min)?;
        check_nonneg("`max`", max)?;
        if max < min {
            return Err(format!(
                "`min` ({}) is larger than `max` ({}); swap them",
                show("min", min),
                show("max", max)
            ));
        }
        if max == min {
            return Ok(Dist::Fixed(min));
        }
        let uni = Uniform::new_inclusive(min, max).map_err(|e| format!("uniform: {e}"))?;
        Ok(Dist::Uniform { min, max, uni })
    }

    /// Triangular from `min` through `mode` to `max` \[days\] (equal ends are
    /// [`Dist::Fixed`]). An error for a parameter that is negative or not finite, or unless
    /// `min <= mode <= max`.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Dist, String> {
        Self::triangular_as(min, mode, max, &readable)
    }

    /// [`Dist::triangular`], its message giving each parameter's value as `show(name, days)`
    /// writes it.
    pub fn triangular_as(min: f64, mode: f64, max: f64, show: Show) -> Result<Dist, String> {
        check_nonneg("`min`", min)?;
        check_nonneg("`mode`", mode)?;
        check_nonneg("`max`", max)?;
        if !(min <= mode && mode <= max) {
            let (a, m, b) = (show("min", min), show("mode", mode), show("max", max));
            let which = if max < min {
                format!("`min` ({a}) is larger than `max` ({b})")
            } else if mode < min {
                format!("`mode` ({m}) is below `min` ({a})")
            } else {
                format!("`mode` ({m}) is above `max` ({b})")
            };
            return Err(format!("{which}; give min <= mode <= max"));
        }
        if max == min {
            return Ok(Dist::Fixed(min));
        }
        let tri = Triangular::new(min, max, mode).map_err(|e| format!("triangular: {e}"))?;
        Ok(Dist::Triangular {
            min,
            mode,
            max,
            tri,
        })
    }

    /// Lognormal from the mean and standard deviation of the distribution itself \[days\]
    /// (not of its logarithm): `Dist::lognormal(2.0, 1.0)` has mean 2 days. An sd of 0 is
    /// [`Dist::Fixed`]`(mean)`. An error for a parameter that is negative or not finite, or a
    /// mean of 0.
    pub fn lognormal(mean: f64, sd: f64) -> Result<Dist, String> {
        check_nonneg("`mean`", mean)?;
        check_nonneg("`sd`", sd)?;
        if mean == 0.0 {
            return Err("a lognormal distribution needs a mean above zero".into());
        }
        if sd == 0.0 {
            return Ok(Dist::Fixed(mean));
        }
        let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
        let mu = mean.ln() - sigma2 / 2.0;
        let ln = LogNormal::new(mu, sigma2.sqrt()).map_err(|e| format!("lognormal: {e}"))?;
        Ok(Dist::LogNormal { mean, sd, ln })
    }

    /// Gamma from its mean and standard deviation \[days\] (shape (mean/sd)², scale
    /// sd²/mean). An sd of 0 is [`Dist::Fixed`]`(mean)`. An error for a parameter that is
    /// negative or not finite, or a mean of 0.
    pub fn gamma(mean: f64, sd: f64) -> Result<Dist, String> {
        check_nonneg("`mean`", mean)?;
        check_nonneg("`sd`", sd)?;
        if mean == 0.0 {
            return Err("a gamma distribution needs a mean above zero".into());
        }
        if sd == 0.0 {
            return Ok(Dist::Fixed(mean));
        }
        let shape = (mean / sd).powi(2);
        let scale = sd * sd / mean;
        let gamma = Gamma::new(shape, scale).map_err(|e| format!("gamma: {e}"))?;
        Ok(Dist::Gamma { mean, sd, gamma })
    }

    /// One of `values` \[days\], drawn with probability proportional to its weight in
    /// `weights` (one per value, not necessarily summing to 1). An error for no values, a
    /// value that is negative or not finite, a weight count that differs from the value count,
    /// or weights that are negative, not finite or all zero.
    pub fn empirical(values: Vec<f64>, weights: &[f64]) -> Result<Dist, String> {
        for v in &values {
            check_nonneg("every value", *v)?;
        }
        let cumulative = cumulative_weights(values.len(), weights)?;
        Ok(Dist::Empirical { values, cumulative })
    }

    /// One draw \[days\].
    #[inline(always)]
    pub fn sample(&self, rng: &mut impl Rng) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Exponential { exp, .. } => exp.sample(rng),
            Dist::Uniform { uni, .. } => uni.sample(rng),
            Dist::Triangular { tri, .. } => tri.sample(rng),
            Dist::LogNormal { ln, .. } => ln.sample(rng),
            Dist::Gamma { gamma, .. } => gamma.sample(rng),
            Dist::Empirical { values, cumulative } => values[pick(cumulative, rng)],
        }
    }

    /// The kind's name as a scenario writes it in `dist = "…"` ("fixed" for a plain duration,
    /// which is written without a table). Exhaustive, so that a new variant must be named here;
    /// a test checks that every kind of [`super::raw::DISTRIBUTIONS`] is built as its own.
    pub fn kind(&self) -> &'static str {
        match self {
            Dist::Fixed(_) => "fixed",
            Dist::Exponential { .. } => "exponential",
            Dist::Uniform { .. } => "uniform",
            Dist::Triangular { .. } => "triangular",
            Dist::LogNormal { .. } => "lognormal",
            Dist::Gamma { .. } => "gamma",
            Dist::Empirical { .. } => "empirical",
        }
    }

    /// Whether every draw is a finite duration of 0 or more, as the constructors ensure (a
    /// `Dist` built directly, `Dist::Fixed(-1.0)`, may not be).
    pub fn is_sound(&self) -> bool {
        let ok = |x: f64| x.is_finite() && x >= 0.0;
        match self {
            Dist::Fixed(v) => ok(*v),
            Dist::Uniform { min, max, .. } => ok(*min) && ok(*max) && min <= max,
            Dist::Triangular { min, mode, max, .. } => {
                ok(*min) && ok(*max) && min <= mode && mode <= max
            }
            Dist::Empirical { values, cumulative } => {
                values.iter().all(|v| ok(*v)) && cumulative_is_sound(values.len(), cumulative)
            }
            Dist::Exponential { .. } | Dist::LogNormal { .. } | Dist::Gamma { .. } => {
                ok(self.mean())
            }
        }
    }

    /// Whether the sampler is the one its constructor builds from the public parameters (a
    /// `Dist` built directly, `Dist::Exponential { mean: 1.0, exp: Exp::new(1e-4)? }`, may draw
    /// from another distribution than its `mean` says, which every analysis reads), and the
    /// parameters are ones the constructor keeps (a zero spread is built as `Fixed`).
    pub fn matches_parameters(&self) -> bool {
        let rebuilt = match self {
            Dist::Fixed(_) | Dist::Empirical { .. } => return true,
            Dist::Exponential { mean, .. } => Dist::exponential(*mean),
            Dist::Uniform { min, max, .. } => Dist::uniform(*min, *max),
            Dist::Triangular { min, mode, max, .. } => Dist::triangular(*min, *mode, *max),
            Dist::LogNormal { mean, sd, .. } => Dist::lognormal(*mean, *sd),
            Dist::Gamma { mean, sd, .. } => Dist::gamma(*mean, *sd),
        };
        match (self, rebuilt) {
            (Dist::Exponential { exp: a, .. }, Ok(Dist::Exponential { exp: b, .. })) => *a == b,
            (Dist::Uniform { uni: a, .. }, Ok(Dist::Uniform { uni: b, .. })) => *a == b,
            (Dist::Triangular { tri: a, .. }, Ok(Dist::Triangular { tri: b, .. })) => *a == b,
            (Dist::LogNormal { ln: a, .. }, Ok(Dist::LogNormal { ln: b, .. })) => *a == b,
            (Dist::Gamma { gamma: a, .. }, Ok(Dist::Gamma { gamma: b, .. })) => *a == b,
            _ => false,
        }
    }

    /// The largest value a draw can take \[days\]; infinite for the exponential, lognormal and
    /// gamma distributions.
    pub fn max(&self) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { max, .. } | Dist::Triangular { max, .. } => *max,
            Dist::Exponential { .. } | Dist::LogNormal { .. } | Dist::Gamma { .. } => f64::INFINITY,
            Dist::Empirical { values, .. } => values.iter().copied().fold(0.0, f64::max),
        }
    }

    /// True when every draw is the same value.
    pub fn is_fixed(&self) -> bool {
        matches!(self, Dist::Fixed(_))
    }

    /// Mean \[days\].
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Exponential { mean, .. } => *mean,
            Dist::Uniform { min, max, .. } => (min + max) / 2.0,
            Dist::Triangular { min, mode, max, .. } => (min + mode + max) / 3.0,
            Dist::LogNormal { mean, .. } | Dist::Gamma { mean, .. } => *mean,
            Dist::Empirical { values, cumulative } => {
                let mut prev = 0.0;
                let mut m = 0.0;
                for (v, c) in values.iter().zip(cumulative) {
                    m += v * (c - prev);
                    prev = *c;
                }
                m
            }
        }
    }

    /// Variance \[days²\].
    pub fn variance(&self) -> f64 {
        match self {
            Dist::Fixed(_) => 0.0,
            Dist::Exponential { mean, .. } => mean * mean,
            Dist::Uniform { min, max, .. } => (max - min).powi(2) / 12.0,
            Dist::Triangular { min, mode, max, .. } => {
                (min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0
            }
            Dist::LogNormal { sd, .. } | Dist::Gamma { sd, .. } => sd * sd,
            Dist::Empirical { values, cumulative } => {
                let m = self.mean();
                let mut prev = 0.0;
                let mut v2 = 0.0;
                for (v, c) in values.iter().zip(cumulative) {
                    v2 += (v - m).powi(2) * (c - prev);
                    prev = *c;
                }
                v2
            }
        }
    }
}

/// A distribution of group sizes \[people\], each draw >= 1.
#[derive(Debug, Clone)]
pub enum SizeDist {
    /// Every group has this size \[people\].
    Fixed(u32),
    /// Sizes drawn from a table.
    Empirical {
        /// The sizes \[people\], in the order written.
        values: Vec<u32>,
        /// The cumulative probability of each size \[fraction\], non-decreasing, the last 1.
        cumulative: Vec<f64>,
    },
}

impl SizeDist {
    /// Every group of `v` people; an error (a sentence) unless 1 <= `v` <= 1,000,000.
    pub fn fixed(v: i64) -> Result<SizeDist, String> {
        if v < 1 {
            return Err(format!("a group has at least 1 person, not {v}"));
        }
        if v > 1_000_000 {
            return Err(format!("a group of {v} people is not plausible"));
        }
        Ok(SizeDist::Fixed(v as u32))
    }

    /// Sizes `values` \[people\] drawn with probability proportional to `weights`; an error (a
    /// sentence) for a size out of 1 to 1,000,000 or weights that [`cumulative_weights`] refuses.
    pub fn empirical(values: &[i64], weights: &[f64]) -> Result<SizeDist, String> {
        let mut vs = Vec::with_capacity(values.len());
        for v in values {
            match SizeDist::fixed(*v)? {
                SizeDist::Fixed(x) => vs.push(x),
                SizeDist::Empirical { .. } => unreachable!(),
            }
        }
        let cumulative = cumulative_weights(vs.len(), weights)?;
        Ok(SizeDist::Empirical {
            values: vs,
            cumulative,
        })
    }

    /// One group's size \[people\], drawn from `rng` (no draw for a fixed size).
    #[inline]
    pub fn sample(&self, rng: &mut impl Rng) -> u32 {
        match self {
            SizeDist::Fixed(v) => *v,
            SizeDist::Empirical { values, cumulative } => values[pick(cumulative, rng)],
        }
    }

    /// Whether every size is between 1 and 1,000,000, as the constructors ensure.
    pub fn is_sound(&self) -> bool {
        let ok = |v: u32| (1..=1_000_000).contains(&v);
        match self {
            SizeDist::Fixed(v) => ok(*v),
            SizeDist::Empirical { values, cumulative } => {
                values.iter().all(|v| ok(*v)) && cumulative_is_sound(values.len(), cumulative)
            }
        }
    }

    /// Mean group size \[people\].
    pub fn mean(&self) -> f64 {
        match self {
            SizeDist::Fixed(v) => *v as f64,
            SizeDist::Empirical { values, cumulative } => {
                let mut prev = 0.0;
                let mut m = 0.0;
                for (v, c) in values.iter().zip(cumulative) {
                    m += *v as f64 * (c - prev);
                    prev = *c;
                }
                m
            }
        }
    }

    /// Mean of the squared group size \[people²\].
    pub fn mean_square(&self) -> f64 {
        match self {
            SizeDist::Fixed(v) => (*v as f64).powi(2),
            SizeDist::Empirical { values, cumulative } => {
                let mut prev = 0.0;
                let mut m = 0.0;
                for (v, c) in values.iter().zip(cumulative) {
                    m += (*v as f64).powi(2) * (c - prev);
                    prev = *c;
                }
                m
            }
        }
    }

    /// Smallest possible group \[people\].
    pub fn min(&self) -> u32 {
        match self {
            SizeDist::Fixed(v) => *v,
            SizeDist::Empirical { values, .. } => *values.iter().min().unwrap(),
        }
    }

    /// Largest group drawn with positive probability \[people\]: [`SizeDist::max`] less the
    /// sizes listed with weight 0.
    pub fn max_drawn(&self) -> u32 {
        match self {
            SizeDist::Fixed(v) => *v,
            SizeDist::Empirical { values, cumulative } => {
                let mut prev = 0.0;
                let mut m = 0;
                for (v, c) in values.iter().zip(cumulative) {
                    if *c > prev {
                        m = m.max(*v);
                    }
                    prev = *c;
                }
                m
            }
        }
    }

    /// Largest possible group \[people\].
    pub fn max(&self) -> u32 {
        match self {
            SizeDist::Fixed(v) => *v,
            SizeDist::Empirical { values, .. } => *values.iter().max().unwrap(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngCore, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// `pick` must give exactly the index a stopping scan gives (the first `i` with `u < c[i]`),
    /// so that results drawn through it never change: tables with zero weights (repeated
    /// entries), tables whose running sum rounds above 1 before the last entry, and u at the
    /// entries themselves.
    #[test]
    fn weights_too_large_to_add_up_are_refused() {
        // Each finite, their sum not: every draw would have been the same value.
        let e = cumulative_weights(2, &[1e308, 1e308]).unwrap_err();
        assert!(e.contains("too large to add up"), "{e}");
        assert!(cumulative_weights(2, &[1e307, 1e307]).is_ok());
    }

    #[test]
    fn pick_is_the_first_entry_above_u() {
        fn scan(c: &[f64], u: f64) -> usize {
            c.iter().position(|x| u < *x).unwrap_or(c.len() - 1)
        }
        /// A generator that returns the given u (as `random::<f64>()` maps the top 53 bits).
        struct Fixed(u64);
        impl rand::RngCore for Fixed {
            fn next_u32(&mut self) -> u32 {
                self.0 as u32
            }
            fn next_u64(&mut self) -> u64 {
                self.0
            }
            fn fill_bytes(&mut self, _: &mut [u8]) {
                unreachable!()
            }
        }
        let to_bits = |u: f64| ((u * (1u64 << 53) as f64) as u64) << 11;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let mut tables = vec![
            cumulative_weights(3, &[0.3, 0.0, 0.7]).unwrap(),
            cumulative_weights(4, &[0.0, 0.0, 1.0, 0.0]).unwrap(),
            cumulative_weights(3, &[0.1, 0.2, 0.7]).unwrap(),
            vec![0.1, 0.7, 1.0000000000000002, 1.0],
        ];
        tables.extend(random_tables(&mut rng, 12));
        for c in &tables {
            let mut us: Vec<f64> = c.iter().copied().filter(|x| *x < 1.0).collect();
            us.extend((0..200).map(|_| rng.random::<f64>()));
            us.push(0.0);
            us.push(1.0 - f64::EPSILON / 2.0);
            for u in us {
                let mut g = Fixed(to_bits(u));
                let drawn = Fixed(to_bits(u)).random::<f64>();
                assert_eq!(pick(c, &mut g), scan(c, drawn), "table {c:?}, u {drawn}");
            }
        }
    }

    /// Cumulative tables of 1 to `below - 1` random weights, about 30% of them zero (those whose
    /// weights are all zero are left out).
    fn random_tables(rng: &mut Xoshiro256PlusPlus, below: usize) -> Vec<Vec<f64>> {
        (1..below)
            .filter_map(|n| {
                let w: Vec<f64> = (0..n)
                    .map(|_| {
                        if rng.random::<f64>() < 0.3 {
                            0.0
                        } else {
                            rng.random()
                        }
                    })
                    .collect();
                cumulative_weights(n, &w).ok()
            })
            .collect()
    }

    /// `Picker::pick` gives `pick`'s index and consumes the same draws: for many tables, at
    /// every bucket's ends and at draws just either side of each entry, and over long streams.
    #[test]
    fn picker_is_pick() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let mut tables = vec![
            vec![1.0],
            cumulative_weights(3, &[0.3, 0.0, 0.7]).unwrap(),
            cumulative_weights(4, &[0.0, 0.0, 1.0, 0.0]).unwrap(),
            cumulative_weights(4, &[0.64, 0.25, 0.08, 0.03]).unwrap(),
            cumulative_weights(3, &[0.43, 0.29, 0.28]).unwrap(),
            cumulative_weights(8, &[0.30, 0.12, 0.11, 0.06, 0.08, 0.13, 0.10, 0.10]).unwrap(),
            cumulative_weights(2, &[0.5, 0.5]).unwrap(),
            cumulative_weights(4, &[0.25, 0.25, 0.25, 0.25]).unwrap(),
            vec![0.1, 0.7, 1.0000000000000002, 1.0],
            (1..=300).map(|i| i as f64 / 300.0).collect(),
        ];
        tables.extend(random_tables(&mut rng, 20));
        /// A generator that returns the given words.
        struct Words(Vec<u64>);
        impl rand::RngCore for Words {
            fn next_u32(&mut self) -> u32 {
                unreachable!()
            }
            fn next_u64(&mut self) -> u64 {
                self.0.pop().unwrap()
            }
            fn fill_bytes(&mut self, _: &mut [u8]) {
                unreachable!()
            }
        }
        for c in &tables {
            let picker = Picker::new(c);
            let mut xs: Vec<u64> = Vec::new();
            for b in 0..256u64 {
                xs.extend([b << 56, (b << 56) | ((1 << 56) - 1), (b << 56) | (1 << 55)]);
            }
            for e in c {
                let m = (e * (1u64 << 53) as f64) as u64;
                for d in [0u64, 1, 2] {
                    xs.extend([(m + d) << 11, m.saturating_sub(d) << 11]);
                }
            }
            xs.extend((0..2000).map(|_| rng.next_u64()));
            for &x in &xs {
                let a = picker.pick(&mut Words(vec![x]));
                let b = pick(c, &mut Words(vec![x]));
                assert_eq!(a, b, "table {c:?}, word {x:#x}");
            }
            let mut r1 = Xoshiro256PlusPlus::seed_from_u64(9);
            let mut r2 = r1.clone();
            for _ in 0..5000 {
                assert_eq!(picker.pick(&mut r1), pick(c, &mut r2));
            }
            assert_eq!(r1.next_u64(), r2.next_u64());
        }
    }

    fn moments(d: &Dist, n: usize) -> (f64, f64) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        (m, v)
    }

    #[test]
    fn sample_moments_match_declared_moments() {
        let ds = [
            Dist::exponential(2.0).unwrap(),
            Dist::uniform(1.0, 3.0).unwrap(),
            Dist::triangular(1.0, 2.0, 4.0).unwrap(),
            Dist::lognormal(0.5, 0.2).unwrap(),
            Dist::gamma(3.0, 1.5).unwrap(),
            Dist::empirical(vec![1.0, 2.0, 5.0], &[0.5, 0.3, 0.2]).unwrap(),
        ];
        for d in &ds {
            let (m, v) = moments(d, 200_000);
            // 200k draws: the standard error of the mean is sd/447, so 1% is > 4 s.e. here.
            assert!(
                (m - d.mean()).abs() < 0.01 * d.mean() + 1e-9,
                "{d:?}: mean {m}"
            );
            assert!(
                (v - d.variance()).abs() < 0.05 * d.variance(),
                "{d:?}: var {v}"
            );
        }
    }

    #[test]
    fn impossible_parameters_are_refused() {
        assert!(Dist::uniform(3.0, 1.0).is_err());
        assert!(Dist::exponential(-1.0).is_err());
        assert!(Dist::lognormal(0.0, 1.0).is_err());
        assert!(Dist::triangular(1.0, 5.0, 4.0).is_err());
        assert!(Dist::empirical(vec![1.0], &[0.0]).is_err());
        assert!(Dist::empirical(vec![1.0, 2.0], &[1.0]).is_err());
        assert!(Dist::fixed(f64::NAN).is_err());
        assert!(SizeDist::fixed(0).is_err());
    }
}
