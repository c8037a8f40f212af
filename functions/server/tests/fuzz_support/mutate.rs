//! Body mutations of the HTTP fuzz test.

use serde_json::{Map, Value, json};

use super::{FUZZ_USER, Rng};

/// Makes a user's template act on themselves: every `*userID` string (and `*userIDs` list).
pub(crate) fn act_as(v: &mut Value, key: &str, user: &str, rng: &mut Rng) {
    let k = key.to_ascii_lowercase();
    match v {
        Value::Object(m) => {
            for (key, v) in m.iter_mut() {
                act_as(v, key, user, rng);
            }
        }
        Value::Array(a) if k.ends_with("userids") && rng.percent(60) => *a = vec![json!(user)],
        Value::Array(a) => a.iter_mut().for_each(|v| act_as(v, key, user, rng)),
        Value::String(s) if k.ends_with("userid") && rng.percent(70) => *s = user.to_string(),
        _ => {}
    }
}

/// Paths (object keys / array indexes) of every node below the root.
pub(crate) fn paths(v: &Value) -> Vec<Vec<PathSeg>> {
    fn walk(v: &Value, here: &mut Vec<PathSeg>, out: &mut Vec<Vec<PathSeg>>) {
        match v {
            Value::Object(m) => {
                for (k, child) in m {
                    here.push(PathSeg::Key(k.clone()));
                    out.push(here.clone());
                    walk(child, here, out);
                    here.pop();
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter().enumerate() {
                    here.push(PathSeg::Index(i));
                    out.push(here.clone());
                    walk(child, here, out);
                    here.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, &mut Vec::new(), &mut out);
    out
}

/// One step of a path into a JSON value.
#[derive(Debug, Clone)]
pub(crate) enum PathSeg {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// The node at `path`, if it exists.
pub(crate) fn at_mut<'a>(v: &'a mut Value, path: &[PathSeg]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, seg| match seg {
        PathSeg::Key(k) => v.as_object_mut()?.get_mut(k),
        PathSeg::Index(i) => v.as_array_mut()?.get_mut(*i),
    })
}

/// A value of another JSON type than `old`.
pub(crate) fn wrong_type(old: &Value, rng: &mut Rng) -> Value {
    let options = [
        json!(null),
        json!(true),
        json!(0),
        json!(-1),
        json!(3.25),
        json!(""),
        json!("x"),
        json!("12"),
        json!([]),
        json!([1, "a", null]),
        json!({}),
        json!({"k": [1]}),
    ];
    loop {
        let v = rng.pick(&options).clone();
        let same = std::mem::discriminant(&v) == std::mem::discriminant(old)
            && !(old.is_number() && v.is_number() && old.is_i64() != v.is_i64());
        if !same {
            return v;
        }
    }
}

/// Raw JSON number literals that do not fit the usual Rust integer types (and a few that are
/// not JSON at all).
pub(crate) const HUGE_NUMBERS: [&str; 22] = [
    "1e400",
    "-1e400",
    "1e308",
    "18446744073709551616",
    "18446744073709551615",
    "9223372036854775808",
    "9223372036854775807",
    "-9223372036854775809",
    "-9223372036854775808",
    "99999999999999999999999999999999999999999999",
    "2147483648",
    "-2147483649",
    "4294967296",
    "1.5",
    "-0",
    "1e-400",
    "1E+2",
    "0.0000000001",
    "00012",
    "+1",
    "NaN",
    "Infinity",
];

/// Replaces `"<marker>"` in serialized JSON with a raw literal (for text `Value` cannot hold).
pub(crate) fn splice_raw(v: &mut Value, path: Option<&[PathSeg]>, raw: &str) -> Vec<u8> {
    const MARKER: &str = "@@FUZZ_RAW@@";
    match path.and_then(|p| at_mut(v, p)) {
        Some(slot) => *slot = json!(MARKER),
        None => *v = json!(MARKER),
    }
    v.to_string().replacen(&format!("\"{MARKER}\""), raw, 1).into_bytes()
}

/// Raw JSON nested `depth` levels deep (arrays, objects, or both).
pub(crate) fn deep(depth: usize, rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        1 => format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)),
        _ => format!("{}{}", "[{\"userID\":".repeat(depth), "0}]".repeat(depth)),
    }
}

/// A string whose JSON encoding is about `len` bytes.
pub(crate) fn huge_string(len: usize, rng: &mut Rng) -> Value {
    const UNITS: [&str; 8] = ["a", "é", "用户", "😀", "\u{0}", "\"\\", "<script>", "\u{202e}"];
    let unit = *rng.pick(&UNITS);
    let encoded = Value::String(unit.to_string()).to_string().len() - 2;
    Value::String(unit.repeat((len / encoded).max(1)))
}

/// A random JSON tree at most `depth` levels deep, keys mostly from `names`.
pub(crate) fn random_json(depth: usize, names: &[String], rng: &mut Rng) -> Value {
    let leaf = depth == 0 || rng.percent(40);
    if leaf {
        return match rng.below(7) {
            0 => Value::Null,
            1 => json!(rng.percent(50)),
            2 => json!(rng.next() as i64),
            3 => json!((rng.next() % 10_000) as f64 / 7.0),
            4 => json!(rng.pick(&["", "imAdmin", FUZZ_USER, "si_a_b", "sg_1", "n_x", "../..", "%00"])),
            5 => json!(String::from_utf8_lossy(&rng.bytes(12)).into_owned()),
            _ => json!(rng.below(11) as i64 - 1),
        };
    }
    if rng.percent(50) {
        let n = rng.below(5);
        Value::Array((0..n).map(|_| random_json(depth - 1, names, rng)).collect())
    } else {
        let n = rng.below(6);
        let mut m = Map::new();
        for _ in 0..n {
            let key = if rng.percent(80) && !names.is_empty() {
                rng.pick(names).clone()
            } else {
                String::from_utf8_lossy(&rng.bytes(6)).into_owned()
            };
            m.insert(key, random_json(depth - 1, names, rng));
        }
        Value::Object(m)
    }
}

/// Inserts invalid UTF-8 sequences into `bytes` (inside strings when possible).
pub(crate) fn break_utf8(mut bytes: Vec<u8>, rng: &mut Rng) -> Vec<u8> {
    const BAD: [&[u8]; 7] = [b"\xff", b"\xfe\xff", b"\xc3", b"\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf"];
    let quotes: Vec<usize> = bytes.iter().enumerate().filter(|(_, b)| **b == b'"').map(|(i, _)| i + 1).collect();
    for _ in 0..=rng.below(3) {
        let at = if quotes.is_empty() || rng.percent(20) { rng.below(bytes.len() + 1) } else { *rng.pick(&quotes) };
        let at = at.min(bytes.len());
        let bad = rng.pick(&BAD);
        bytes.splice(at..at, bad.iter().copied());
    }
    bytes
}

/// Adds case-variant duplicates and unknown keys, drops some keys.
pub(crate) fn chaos_fields(v: &mut Value, names: &[String], rng: &mut Rng) {
    if let Value::Object(m) = v {
        let keys: Vec<String> = m.keys().cloned().collect();
        for k in keys {
            match rng.below(6) {
                0 => {
                    m.remove(&k);
                }
                1 => {
                    let variant = if rng.percent(50) { k.to_ascii_uppercase() } else { k.to_ascii_lowercase() };
                    if variant != k {
                        m.insert(variant, json!("victim"));
                    }
                }
                2 => {
                    if let Some(child) = m.get_mut(&k) {
                        chaos_fields(child, names, rng);
                    }
                }
                _ => {}
            }
        }
        for _ in 0..rng.below(3) {
            let key = if names.is_empty() { "extra".to_string() } else { rng.pick(names).clone() };
            m.insert(key, random_json(2, names, rng));
        }
    }
}
