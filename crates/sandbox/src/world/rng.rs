//! Deterministic pseudo-randomness: every generated value is a pure function of the seed.

/// SplitMix64 finaliser: a good 64-bit mix of `x`.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A hash of the seed and up to three coordinates.
pub fn hash(seed: u64, a: u64, b: u64, c: u64) -> u64 {
    mix(seed ^ mix(a ^ mix(b.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ mix(c))))
}

/// A value in `0..n` derived from the hash.
pub fn pick(seed: u64, a: u64, b: u64, n: u64) -> u64 {
    if n == 0 {
        0
    } else {
        hash(seed, a, b, 0x5EED) % n
    }
}
