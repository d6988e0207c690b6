//! FNV-1a, the 64-bit fingerprint of bytes: the digests of a stored run's files, the fingerprint
//! of a scenario's effective table and the key of a sensitivity factor's bootstrap stream. A leaf:
//! it imports nothing from the crate.

/// The FNV-1a hash of no bytes (its offset basis).
pub const FNV1A_EMPTY: u64 = 0xcbf2_9ce4_8422_2325;

/// `hash` (of the bytes before) carried on over `bytes`.
pub fn fnv1a_extend(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The FNV-1a hash of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_extend(FNV1A_EMPTY, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published 64-bit FNV-1a test vectors, and hashing in pieces is hashing at once.
    #[test]
    fn known_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(fnv1a_extend(fnv1a(b"foo"), b"bar"), fnv1a(b"foobar"));
    }
}
