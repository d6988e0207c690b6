//! Seeded random streams. Stream (seed, replication, purpose) is a Xoshiro256++ generator seeded
//! by SplitMix64 mixing of the three keys, so replication i's draws depend on (seed, i) alone,
//! never on thread count or scheduling, and each purpose (arrivals, service, travel, …) has its
//! own stream so that changing one part of a scenario leaves the other purposes' draws alone.
//! Within a purpose the draws are taken in event order, so a change at one port can shift which
//! service time another port's group gets (see docs/experiments.md).

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator used throughout the simulation.
pub type Stream = Xoshiro256PlusPlus;

/// SplitMix64 finaliser: a bijective 64-bit mix with good avalanche.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The 64-bit key of (seed, replication): also reported as the replication's seed.
pub fn replication_seed(seed: u64, replication: u64) -> u64 {
    mix64(mix64(seed) ^ replication.wrapping_mul(0xD1B5_4A32_D192_ED03))
}

/// The random stream for one purpose of one replication.
pub fn stream(seed: u64, replication: u64, purpose: u64) -> Stream {
    let k = replication_seed(seed, replication);
    let s = mix64(k ^ mix64(purpose.wrapping_add(0xA076_1D64_78BD_642F)));
    Xoshiro256PlusPlus::seed_from_u64(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    /// Value-stability: these numbers are pinned. If a dependency upgrade or a change here moves
    /// them, every published result moves with them; change them only knowingly.
    #[test]
    fn streams_are_value_stable() {
        let mut s = stream(20210219, 0, 0);
        let a: u64 = s.random();
        let b: u64 = s.random();
        assert_eq!((a, b), PINNED);
        assert_eq!(replication_seed(1, 0), PINNED_SEED);
    }

    const PINNED: (u64, u64) = (0x1eac_f30b_6b2b_ab90, 0x75ea_8bb9_5938_3962);
    const PINNED_SEED: u64 = 0x5e41_ab08_7439_611e;

    #[test]
    fn streams_differ_by_every_key() {
        let first = |seed, rep, purpose| -> u64 { stream(seed, rep, purpose).random() };
        let base = first(1, 2, 3);
        assert_ne!(base, first(2, 2, 3));
        assert_ne!(base, first(1, 3, 3));
        assert_ne!(base, first(1, 2, 4));
        assert_eq!(base, first(1, 2, 3));
    }
}
