#![deny(missing_docs)]

//! OpenIM protobuf messages (protocol v0.0.73-alpha.12), hand-written from the field tables of the
//! wire-protocol reference (§7 and Appendix A).
//!
//! Every message type is **both**
//!
//! * a [`prost::Message`] with the official field numbers and types, so binary protobuf interoperates
//!   with the official SDKs (WebSocket payloads, `/jssdk` routes with `application/x-protobuf` bodies), and
//! * serde-(de)serialisable exactly like OpenIM's HTTP JSON, which is Go's `encoding/json` applied to the
//!   protoc-generated structs with `omitempty` stripped (reference §2).
//!
//! # JSON rules
//!
//! Output:
//! * keys are the proto field names verbatim (`userID`, `faceURL`, `Msgs`, `IsPinned`, …), not protojson
//!   names; every field is always present, in declaration order;
//! * unset sub-messages are `null`; unset wrapper fields ([`wrappers`]) and proto3 `optional` scalars are
//!   `null`, set ones are the **bare** value (`"isPinned":true`);
//! * `int64`/`uint64` are JSON numbers; enums are numbers;
//! * `bytes` are standard base64 with padding (an empty value is `""`);
//! * `map<string, X>` are objects with keys sorted (as Go sorts map keys); empty maps are `{}`;
//! * repeated fields are arrays; **empty repeated fields are `[]`**. Go emits `null` for a nil slice/map
//!   and `[]`/`{}` for an initialised empty one, and which one appears depends on the handler; the
//!   official clients accept both, so this crate always emits the non-null form.
//!
//! Input (lenient, like Go): unknown keys are ignored; missing keys and `null` leave the field at its
//! default; keys match exactly first and otherwise ASCII-case-insensitively (Go's rule); a top-level or
//! nested `null` message decodes as the default message; numbers must be JSON numbers (a quoted number is
//! an error, as in Go); base64 is accepted with or without padding.
//!
//! # Declaring messages
//!
//! Messages are declared once with the crate-private `messages!` macro, which derives `prost::Message`,
//! `prost::Name`, [`WireMessage`], `serde::Serialize` and `serde::Deserialize` from a single field list of
//! `rust_name "jsonKey" = tag: kind`. Kinds: a scalar (`string`, `bool`, `int32`, `int64`, `uint32`,
//! `uint64`, `double`, `float`, `bytes`), `optional <scalar>`, `repeated <scalar or Message>`,
//! `map<string, <scalar or Message>>`, `enumeration <Enum>`, or a message name (an `Option<Message>`
//! field; the wrapper aliases of [`wrappers`] make `Option<bool>`, `Option<String>`, …).

pub mod conversation;
pub mod group;
pub mod jssdk;
pub mod msg;
pub mod push;
pub mod relation;
pub mod sdkws;
pub mod wrappers;

mod codec;

/// Common interface of every OpenIM protocol message in this module tree.
///
/// Implemented by every message declared with the crate's message macro, in addition to
/// [`prost::Message`], [`prost::Name`], `serde::Serialize` and `serde::Deserialize`.
pub trait WireMessage:
    prost::Message + prost::Name + Default + Clone + PartialEq + serde::Serialize + serde::de::DeserializeOwned
{
    /// The JSON keys of the message, in field declaration order (empty for a message without fields).
    const JSON_KEYS: &'static [&'static str];

    /// True for a message without fields (e.g. `SetConversationsResp`). The HTTP envelope omits `data`
    /// entirely for such responses (reference §2).
    fn is_empty_message() -> bool {
        Self::JSON_KEYS.is_empty()
    }
}

/// Declares protobuf messages that are also OpenIM-JSON (de)serialisable. See the module docs.
macro_rules! messages {
    // Entry point: a package and a list of messages.
    (
        package = $pkg:literal;
        $(
            $(#[$meta:meta])*
            $name:ident $(as $proto:literal)? { $($body:tt)* }
        )*
    ) => {
        $(
            $crate::pb::messages!(@field [$pkg [$(#[$meta])*] $name [$($proto)?]] [] $($body)*);
        )*
    };

    // ---- field munching: each arm normalises one field into
    //      `{ [attrs] rust_name "json" tag (prost attr tokens) (rust type tokens) Codec }`.
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : string, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (string)
            (::std::string::String) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : bool, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (bool) (bool) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : int32, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (int32) (i32) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : int64, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (int64) (i64) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : uint32, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (uint32) (u32) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : uint64, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (uint64) (u64) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : double, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (double) (f64) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : float, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (float) (f32) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : bytes, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (bytes = "vec")
            (::std::vec::Vec<u8>) Bytes}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : enumeration $enum:ident, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (enumeration($enum)) (i32)
            Plain}] $($rest)*);
    };
    // proto3 `optional` scalars.
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : optional bool, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (bool, optional)
            (::core::option::Option<bool>) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : optional int32, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (int32, optional)
            (::core::option::Option<i32>) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : optional int64, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (int64, optional)
            (::core::option::Option<i64>) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : optional string, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (string, optional)
            (::core::option::Option<::std::string::String>) Plain}] $($rest)*);
    };
    // Repeated scalars (numeric ones are packed, as in proto3; both forms are accepted on input).
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : repeated string, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (string, repeated)
            (::std::vec::Vec<::std::string::String>) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : repeated int32, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (int32, repeated)
            (::std::vec::Vec<i32>) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : repeated int64, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (int64, repeated)
            (::std::vec::Vec<i64>) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : repeated uint64, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (uint64, repeated)
            (::std::vec::Vec<u64>) Plain}] $($rest)*);
    };
    // Repeated messages.
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : repeated $msg:ident, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (message, repeated)
            (::std::vec::Vec<$msg>) Plain}] $($rest)*);
    };
    // Maps (BTreeMap: Go's encoding/json sorts map keys, so sorted output matches byte for byte).
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : map<string, string>, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (btree_map = "string, string")
            (::std::collections::BTreeMap<::std::string::String, ::std::string::String>) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : map<string, int64>, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (btree_map = "string, int64")
            (::std::collections::BTreeMap<::std::string::String, i64>) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : map<string, bool>, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (btree_map = "string, bool")
            (::std::collections::BTreeMap<::std::string::String, bool>) Plain}] $($rest)*);
    };
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : map<string, $msg:ident>, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (btree_map = "string, message")
            (::std::collections::BTreeMap<::std::string::String, $msg>) Plain}] $($rest)*);
    };
    // `BytesValue` wrapper: base64 in JSON like every bytes value.
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : BytesValue, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (message, optional)
            (::core::option::Option<::std::vec::Vec<u8>>) Bytes}] $($rest)*);
    };
    // A singular sub-message (including the other wrapper aliases): `Option<Message>`.
    (@field $ctx:tt [$($acc:tt)*]
        $(#[$fm:meta])* $field:ident $json:tt = $tag:tt : $msg:ident, $($rest:tt)*) => {
        $crate::pb::messages!(@field $ctx [$($acc)* {[$(#[$fm])*] $field $json $tag (message, optional)
            (::core::option::Option<$msg>) Plain}] $($rest)*);
    };

    // ---- all fields normalised: emit the struct and its impls.
    (@field [$pkg:literal [$($meta:tt)*] $name:ident [$($proto:literal)?]]
        [$({[$($fm:tt)*] $field:ident $json:tt $tag:tt ($($prost:tt)*) ($($ty:tt)*) $codec:ident})*]) => {
        $($meta)*
        #[doc = ""]
        #[doc = concat!("Protobuf message `", $pkg, ".", $crate::pb::messages!(@proto_name $name $($proto)?), "`.")]
        #[derive(Clone, PartialEq, ::prost::Message)]
        pub struct $name {
            $(
                $($fm)*
                #[doc = concat!("JSON key `", $json, "`, protobuf field ", stringify!($tag), ".")]
                #[prost($($prost)*, tag = $tag)]
                pub $field: $($ty)*,
            )*
        }

        impl ::prost::Name for $name {
            const NAME: &'static str = $crate::pb::messages!(@proto_name $name $($proto)?);
            const PACKAGE: &'static str = $pkg;
        }

        impl $crate::pb::WireMessage for $name {
            const JSON_KEYS: &'static [&'static str] = &[$($json),*];
        }

        $crate::pb::messages!(@serde $name [$({$field $json $codec})*]);
    };

    // serde impls shared by `messages!` and `json_structs!`.
    (@serde $name:ident [$({$field:ident $json:tt $codec:ident})*]) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                #[allow(unused_imports)]
                use ::serde::ser::SerializeStruct as _;
                #[allow(unused_mut)]
                let mut state = serializer.serialize_struct(
                    stringify!($name),
                    <[&str]>::len(&[$($json),*]),
                )?;
                $(
                    state.serialize_field(
                        $json,
                        &$crate::pb::codec::Ser::<$crate::pb::codec::$codec, _>::new(&self.$field),
                    )?;
                )*
                ::serde::ser::SerializeStruct::end(state)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                struct MessageVisitor;
                impl<'de> ::serde::de::Visitor<'de> for MessageVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(concat!("a JSON object (", stringify!($name), ")"))
                    }

                    fn visit_unit<E: ::serde::de::Error>(self) -> ::core::result::Result<$name, E> {
                        ::core::result::Result::Ok(<$name as ::core::default::Default>::default())
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::core::result::Result<$name, A::Error> {
                        #[allow(unused_mut)]
                        let mut out = <$name as ::core::default::Default>::default();
                        while let ::core::option::Option::Some(key) = map.next_key_seed(
                            $crate::pb::codec::KeySeed(&[$($json),*]),
                        )? {
                            match key {
                                $(
                                    ::core::option::Option::Some($json) => {
                                        out.$field = map.next_value_seed(
                                            $crate::pb::codec::De::<$crate::pb::codec::$codec, _>::new(),
                                        )?;
                                    }
                                )*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        ::core::result::Result::Ok(out)
                    }
                }
                deserializer.deserialize_any(MessageVisitor)
            }
        }
    };

    (@proto_name $name:ident) => { stringify!($name) };
    (@proto_name $name:ident $proto:literal) => { $proto };
}
pub(crate) use messages;

/// Declares plain JSON structs (not protobuf) with the same JSON rules as [`messages!`]: every field
/// always written, lenient case-insensitive input. Fields are `rust_name "jsonKey": Type`.
macro_rules! json_structs {
    (
        $(
            $(#[$meta:meta])*
            $name:ident { $( $(#[$fm:meta])* $field:ident $json:tt : $ty:ty ),* $(,)? }
        )*
    ) => {
        $(
            $(#[$meta])*
            #[derive(Clone, Debug, Default, PartialEq)]
            pub struct $name {
                $(
                    $(#[$fm])*
                    #[doc = concat!("JSON key `", $json, "`.")]
                    pub $field: $ty,
                )*
            }

            $crate::pb::messages!(@serde $name [$({$field $json Plain})*]);
        )*
    };
}
pub(crate) use json_structs;
