//! Group IDs, generated as OpenIM does: the decimal value of the first 8 hex digits of an MD5
//! of random data (so up to 10 digits, e.g. `"3043817590"`).

use im_domain::clock::Env;
use md5::{Digest, Md5};

/// A fresh candidate group ID from `env`'s clock and ID source.
pub fn generate(env: &Env) -> String {
    let seed = format!("{},;,{},;,{:032x}", env.clock.now_ms(), env.ids.next_u128(), env.ids.next_u128());
    from_digest(&Md5::digest(seed.as_bytes()))
}

/// The group ID of an MD5 digest: its first 4 bytes (8 hex digits) as a decimal number.
fn from_digest(digest: &[u8]) -> String {
    let mut first = [0u8; 4];
    first.copy_from_slice(&digest[..4]);
    u32::from_be_bytes(first).to_string()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use im_domain::clock::{ManualClock, SequentialIdGen};

    use super::*;

    #[test]
    fn decimal_of_first_eight_hex_digits() {
        // MD5("") = d41d8cd98f00b204e9800998ecf8427e → 0xd41d8cd9 = 3558706393
        assert_eq!(from_digest(&Md5::digest(b"")), "3558706393");
        let env = Env { clock: Arc::new(ManualClock::new(1)), ids: Arc::new(SequentialIdGen::default()) };
        let a = generate(&env);
        let b = generate(&env);
        assert_ne!(a, b);
        assert!(a.len() <= 10 && a.bytes().all(|c| c.is_ascii_digit()), "{a}");
    }
}
