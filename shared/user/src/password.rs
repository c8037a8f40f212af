//! Password hashing for the self-service routes (seed 004): Argon2id with a random 16-byte salt,
//! stored as a PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`), so the parameters can change
//! without invalidating stored hashes. Hashing runs on the blocking pool.

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use im_domain::{ErrCode, ImError, ImResult};

/// Longest accepted password, in bytes.
pub const MAX_PASSWORD_BYTES: usize = 128;

/// Argon2id settings for new hashes (verification reads the settings from the stored hash).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordHasher {
    /// Memory, KiB.
    pub memory_kib: u32,
    /// Passes.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl Default for PasswordHasher {
    /// OWASP's modest Argon2id setting: 19 MiB, 2 passes, 1 lane (~20–50 ms per hash).
    fn default() -> Self {
        PasswordHasher { memory_kib: 19 * 1024, iterations: 2, parallelism: 1 }
    }
}

impl PasswordHasher {
    /// Cheap settings for tests (8 KiB, 1 pass): never for production.
    pub fn insecure_fast() -> Self {
        PasswordHasher { memory_kib: 8, iterations: 1, parallelism: 1 }
    }

    fn argon2(&self) -> ImResult<Argon2<'static>> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| ImError::internal(format!("argon2 parameters: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// A salted hash of `password` (PHC string).
    pub async fn hash(&self, password: &str) -> ImResult<String> {
        let argon2 = self.argon2()?;
        let password = password.as_bytes().to_vec();
        blocking(move || {
            argon2
                .hash_password(&password)
                .map(|h| h.to_string())
                .map_err(|e| ImError::internal(format!("password hashing: {e}")))
        })
        .await
    }

    /// Whether `password` matches the stored `phc` hash (an unreadable hash never matches).
    pub async fn verify(&self, password: &str, phc: &str) -> ImResult<bool> {
        let argon2 = self.argon2()?;
        let (password, phc) = (password.as_bytes().to_vec(), phc.to_string());
        blocking(move || Ok(argon2.verify_password(&password, phc.as_str()).is_ok())).await
    }
}

/// Checks a password's length (1 to [`MAX_PASSWORD_BYTES`] bytes).
pub fn check(password: &str) -> ImResult<()> {
    if password.is_empty() {
        return Err(ImError::args("password is empty"));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(ImError::args(format!("password is longer than {MAX_PASSWORD_BYTES} bytes")));
    }
    Ok(())
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> ImResult<T> + Send + 'static) -> ImResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ImError::new(ErrCode::ServerInternal, format!("password task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_and_verify() {
        let h = PasswordHasher::insecure_fast();
        let phc = h.hash("s3cret").await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{phc}");
        assert!(h.verify("s3cret", &phc).await.unwrap());
        assert!(!h.verify("S3cret", &phc).await.unwrap());
        assert!(!h.verify("s3cret", "garbage").await.unwrap());
        // Salted: the same password hashes differently; stored settings win on verify.
        assert_ne!(phc, h.hash("s3cret").await.unwrap());
        assert!(PasswordHasher::default().verify("s3cret", &phc).await.unwrap());
        assert!(check("").is_err() && check(&"x".repeat(129)).is_err() && check("x").is_ok());
    }
}
