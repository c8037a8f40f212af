//! A stable string hash (FNV-1a, 64 bit): the same value in every process and on every
//! platform, unlike the standard library's randomly seeded hasher.

/// FNV-1a of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes.iter().fold(OFFSET, |h, b| (h ^ u64::from(*b)).wrapping_mul(PRIME))
}

/// `fnv1a64(s) % n` (0 when `n` is 0).
pub fn bucket(s: &str, n: u64) -> u64 {
    if n == 0 { 0 } else { fnv1a64(s.as_bytes()) % n }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
        assert!(bucket("anything", 16) < 16);
        assert_eq!(bucket("x", 0), 0);
    }
}
