//! Sorting of (time, id) pairs by time then id, as used for pre-sorted event streams: a stable
//! least-significant-digit radix sort on the time's IEEE bits (which order like the value for
//! times >= 0), several times faster than a comparison sort for the sizes a replication has.

/// Sort `v` by (time, id). Times must be >= 0 and not NaN. Ties keep their input order, so
/// input in ascending id order gives the (time, id) order.
pub fn sort_by_time(v: &mut Vec<(f64, u32)>) {
    sort_by_time_with(v, &mut Vec::new());
}

/// [`sort_by_time`] with a caller's scratch buffer (its contents are overwritten), so that a
/// caller sorting again and again allocates nothing.
pub fn sort_by_time_with(v: &mut Vec<(f64, u32)>, buf: &mut Vec<(f64, u32)>) {
    if v.len() < 64 {
        v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        return;
    }
    buf.clear();
    buf.resize(v.len(), (0.0, 0));
    // All eight digit histograms in one read of the input.
    let mut counts = [[0usize; 256]; 8];
    for x in v.iter() {
        let bits = x.0.to_bits();
        for (pass, c) in counts.iter_mut().enumerate() {
            c[((bits >> (pass * 8)) & 0xFF) as usize] += 1;
        }
    }
    let n = v.len();
    for (pass, c) in counts.iter_mut().enumerate() {
        if c.contains(&n) {
            continue; // every key has the same digit here: the pass changes nothing
        }
        let shift = pass * 8;
        let mut pos = 0;
        for k in c.iter_mut() {
            let m = *k;
            *k = pos;
            pos += m;
        }
        for x in v.iter() {
            let d = ((x.0.to_bits() >> shift) & 0xFF) as usize;
            buf[c[d]] = *x;
            c[d] += 1;
        }
        // The pass's output becomes the next pass's input.
        std::mem::swap(v, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn matches_a_comparison_sort_with_ties() {
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        for n in [0, 5, 63, 64, 1000, 20_000] {
            let v: Vec<(f64, u32)> = (0..n)
                .map(|i| {
                    let t = if rng.random::<f64>() < 0.3 {
                        (rng.random_range(0..8) as f64) * 0.5
                    } else {
                        rng.random::<f64>() * 100.0
                    };
                    (t, i as u32)
                })
                .collect();
            let mut a = v.clone();
            let mut b = v;
            a.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
            sort_by_time(&mut b);
            assert_eq!(a, b);
        }
    }
}
