//! Per-field JSON codecs used by the message macro (not a public API).
//!
//! [`Plain`] serialises with the field type's own serde impl and decodes `null` as the type's default
//! (Go leaves the zero value in place for a JSON `null`). [`Bytes`] writes standard base64 with padding
//! and reads base64 with or without padding.

use std::fmt;
use std::marker::PhantomData;

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use serde::de::{DeserializeOwned, DeserializeSeed, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A JSON codec for field values of type `T`.
pub trait Codec<T> {
    /// Writes `value`.
    fn serialize<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error>;
    /// Reads a value; `null` must give the field's default.
    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>;
}

/// The field type's own serde representation; `null` decodes as `T::default()`.
pub enum Plain {}

impl<T: Serialize + DeserializeOwned + Default> Codec<T> for Plain {
    fn serialize<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
    }
}

/// `bytes` (and `BytesValue`) fields: standard base64 with padding.
pub enum Bytes {}

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

struct Base64Visitor;

impl Visitor<'_> for Base64Visitor {
    type Value = Option<Vec<u8>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a base64 string or null")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        LENIENT.decode(v).map(Some).map_err(|e| E::custom(format_args!("illegal base64 data: {e}")))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

fn read_base64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<u8>>, D::Error> {
    deserializer.deserialize_any(Base64Visitor)
}

impl Codec<Vec<u8>> for Bytes {
    fn serialize<S: Serializer>(value: &Vec<u8>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(value))
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        Ok(read_base64(deserializer)?.unwrap_or_default())
    }
}

impl Codec<Option<Vec<u8>>> for Bytes {
    fn serialize<S: Serializer>(value: &Option<Vec<u8>>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.serialize_str(&STANDARD.encode(v)),
            None => serializer.serialize_none(),
        }
    }

    fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<u8>>, D::Error> {
        read_base64(deserializer)
    }
}

/// Serialises a field through codec `C`.
pub struct Ser<'a, C, T>(&'a T, PhantomData<C>);

impl<'a, C, T> Ser<'a, C, T> {
    /// Wraps a field value.
    pub fn new(value: &'a T) -> Self {
        Ser(value, PhantomData)
    }
}

impl<C: Codec<T>, T> Serialize for Ser<'_, C, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        C::serialize(self.0, serializer)
    }
}

/// Deserialises a field through codec `C`.
pub struct De<C, T>(PhantomData<(C, T)>);

impl<C, T> De<C, T> {
    /// A seed for one field value.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        De(PhantomData)
    }
}

impl<'de, C: Codec<T>, T> DeserializeSeed<'de> for De<C, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        C::deserialize(deserializer)
    }
}

/// Matches an object key against a message's JSON keys like Go's `encoding/json`: an exact match wins,
/// otherwise the first case-insensitive match; `None` for an unknown key.
pub fn match_key(keys: &'static [&'static str], key: &str) -> Option<&'static str> {
    keys.iter().find(|k| **k == key).or_else(|| keys.iter().find(|k| k.eq_ignore_ascii_case(key))).copied()
}

/// Reads an object key and resolves it with [`match_key`].
pub struct KeySeed(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Option<&'static str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Option<&'static str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(match_key(self.0, v))
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        Ok(std::str::from_utf8(v).ok().and_then(|s| match_key(self.0, s)))
    }
}
