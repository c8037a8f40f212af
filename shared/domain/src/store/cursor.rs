//! Opaque pagination cursors (the same encoding on every backend).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::StoreError;

/// An opaque position in a query: the logical key of the last item returned.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cursor(String);

impl Cursor {
    /// Encodes key parts (`[pk, sk]` or `[pk, sk, index pk, index sk]`).
    pub fn from_parts(parts: &[&str]) -> Self {
        let json = serde_json::to_vec(parts).unwrap_or_default();
        Cursor(URL_SAFE_NO_PAD.encode(json))
    }

    /// Decodes the key parts; a tampered or foreign cursor is a validation error.
    pub fn parts(&self) -> Result<Vec<String>, StoreError> {
        let bad = || StoreError::Validation("invalid pagination cursor".into());
        let bytes = URL_SAFE_NO_PAD.decode(&self.0).map_err(|_| bad())?;
        let parts: Vec<String> = serde_json::from_slice(&bytes).map_err(|_| bad())?;
        if parts.len() != 2 && parts.len() != 4 {
            return Err(bad());
        }
        Ok(parts)
    }

    /// The cursor as a string (to hand to clients).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Wraps a string received from a client.
    pub fn from_string(s: impl Into<String>) -> Self {
        Cursor(s.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_reject_garbage() {
        let c = Cursor::from_parts(&["p", "s#1"]);
        assert_eq!(c.parts().unwrap(), vec!["p".to_string(), "s#1".to_string()]);
        assert!(Cursor::from_string("!!").parts().is_err());
        assert!(Cursor::from_parts(&["only-one"]).parts().is_err());
    }
}
