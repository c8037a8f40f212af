//! Request generation of the HTTP fuzz test (`http_fuzz.rs`): a tiny PRNG, the sample bodies of
//! `events/*.json` (so mutations hit each route's real fields), and the cases.

mod mutate;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::support::{ADMIN, SECRET, now_s, sign};
use mutate::*;

/// The ordinary user whose token is fuzzed with.
pub(crate) const FUZZ_USER: &str = "fuzz_user";
/// The server's body limit (`im_http::app::DEFAULT_BODY_LIMIT`); bodies stay below it.
pub(crate) const BODY_LIMIT: usize = 8 << 20;

/// SplitMix64: tiny, fast, good enough to drive a fuzzer, and stable across platforms.
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub(crate) fn percent(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// A random element of a non-empty slice.
    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// `n` random bytes.
    pub(crate) fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// Sample request bodies by path, from the Lambda events: JSON bodies parsed, others raw.
pub(crate) struct Templates {
    /// JSON bodies by path.
    pub json: BTreeMap<String, Value>,
    /// Non-JSON (protobuf) bodies by path.
    pub raw: BTreeMap<String, Vec<u8>>,
}

/// Reads every `events/*.json` sample event.
pub(crate) fn load_templates() -> Templates {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../events");
    let mut t = Templates { json: BTreeMap::new(), raw: BTreeMap::new() };
    for entry in std::fs::read_dir(&dir).expect("events dir") {
        let path = entry.expect("dir entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("event file");
        let event: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let Some(route) = event["rawPath"].as_str() else { continue };
        let body = event["body"].as_str().unwrap_or_default();
        let bytes = if event["isBase64Encoded"].as_bool() == Some(true) {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.decode(body).expect("base64 body")
        } else {
            body.as_bytes().to_vec()
        };
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(v) => {
                t.json.insert(route.to_string(), v);
            }
            Err(_) => {
                t.raw.insert(route.to_string(), bytes);
            }
        }
    }
    t
}

/// Who a request authenticates as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Who {
    /// The admin token.
    Admin,
    /// The fuzz user's token.
    User,
    /// No `token` header.
    NoToken,
    /// A token that is malformed, forged, expired or wrongly signed.
    Garbage,
}

/// One generated request.
pub(crate) struct Case {
    /// Case number.
    pub index: usize,
    /// Route path.
    pub route: &'static str,
    /// How the body was made.
    pub kind: &'static str,
    /// Who it authenticates as.
    pub who: Who,
    /// The token sent for [`Who::Garbage`].
    pub garbage_token: Vec<u8>,
    /// `operationID` header (absent when `None`).
    pub operation_id: Option<&'static str>,
    /// `Content-Type` header (absent when `None`).
    pub content_type: Option<&'static str>,
    /// `X-Tenant-ID` header (absent when `None`).
    pub tenant: Option<Vec<u8>>,
    /// The body.
    pub body: Vec<u8>,
}

impl Case {
    /// One line saying what was sent (the body cut to 300 bytes).
    pub(crate) fn describe(&self) -> String {
        let body = String::from_utf8_lossy(&self.body[..self.body.len().min(300)]).into_owned();
        format!(
            "case {} {} kind={} who={:?} opID={:?} ct={:?} tenant={:?} body({} B)={body:?}",
            self.index,
            self.route,
            self.kind,
            self.who,
            self.operation_id,
            self.content_type,
            self.tenant.as_ref().map(|t| String::from_utf8_lossy(t).into_owned()),
            self.body.len()
        )
    }
}

/// Keys seen in any template (random trees and extra keys draw from them).
pub(crate) fn field_names(templates: &Templates) -> Vec<String> {
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    out.insert(k.clone());
                    walk(v, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    templates.json.values().for_each(|v| walk(v, &mut out));
    out.into_iter().collect()
}

/// User IDs the templates name (registered up front so unbroken bodies get past "not found").
pub(crate) fn template_users(templates: &Templates) -> Vec<String> {
    fn walk(v: &Value, key: &str, out: &mut BTreeSet<String>) {
        let user_key = key.to_ascii_lowercase().ends_with("userid") || key.to_ascii_lowercase().ends_with("userids");
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| walk(v, k, out)),
            Value::Array(a) => a.iter().for_each(|v| walk(v, key, out)),
            Value::String(s) if user_key && !s.is_empty() => {
                out.insert(s.clone());
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    templates.json.values().for_each(|v| walk(v, "", &mut out));
    out.remove(ADMIN);
    out.remove(FUZZ_USER);
    out.into_iter().collect()
}

/// Generates case `index` (depends only on `seed`, `index` and the route table).
pub(crate) fn generate(seed: u64, index: usize, routes: &[&'static str], t: &Templates, names: &[String]) -> Case {
    let mut rng = Rng::new(seed ^ (index as u64).wrapping_mul(0xA076_1D64_78BD_642F));
    let route = routes[index % routes.len()];
    let who = match rng.below(100) {
        0..=44 => Who::Admin,
        45..=89 => Who::User,
        90..=94 => Who::NoToken,
        _ => Who::Garbage,
    };
    let garbage_token = match rng.below(5) {
        0 => b"a.b.c".to_vec(),
        1 => rng.bytes(40).into_iter().map(|b| if b < 0x20 || b == 0x7f { b'x' } else { b }).collect(),
        2 => b"eyJhbGciOiJub25lIn0.eyJVc2VySUQiOiJpbUFkbWluIiwiUGxhdGZvcm1JRCI6MTB9.".to_vec(),
        3 => sign("wrong-secret", &json!({"UserID": ADMIN, "PlatformID": 10, "exp": now_s() + 3600})).into_bytes(),
        _ => sign(SECRET, &json!({"UserID": FUZZ_USER, "PlatformID": 5, "exp": now_s() - 10})).into_bytes(),
    };
    let operation_id = match rng.below(100) {
        0..=2 => None,
        3..=4 => Some(""),
        5 => Some("op with spaces ✓"),
        _ => Some("op-fuzz"),
    };
    let tenant = match rng.below(100) {
        0 => Some(b"".to_vec()),
        1 => Some(b"a/b c".to_vec()),
        2 => Some(vec![b'x'; 300]),
        3 => Some(b"caf\xc3\xa9".to_vec()),
        4 => Some(b"acme".to_vec()),
        _ => None,
    };
    let mut content_type = match rng.below(100) {
        0..=79 => Some("application/json"),
        80..=89 => None,
        90..=93 => Some("text/plain"),
        94..=96 => Some("application/x-protobuf"),
        _ => Some("application/json; charset=utf-16"),
    };

    let mut template = t.json.get(route).cloned().unwrap_or_else(|| json!({}));
    if who == Who::User {
        act_as(&mut template, "", FUZZ_USER, &mut rng);
    }
    let all_paths = paths(&template);
    let pick_path = |rng: &mut Rng| -> Option<Vec<PathSeg>> {
        (!all_paths.is_empty() && rng.percent(85)).then(|| rng.pick(&all_paths).clone())
    };

    let kinds = [
        "random-bytes",
        "truncated",
        "wrong-type",
        "wrong-type",
        "huge-number",
        "deep-nesting",
        "huge-string",
        "top-level-shape",
        "invalid-utf8",
        "field-chaos",
        "random-json",
        "protobuf",
        "unbroken",
    ];
    let kind = *rng.pick(&kinds);
    let body: Vec<u8> = match kind {
        "random-bytes" => {
            let n = if rng.percent(10) { rng.below(64 * 1024) } else { rng.below(512) };
            rng.bytes(n)
        }
        "truncated" => {
            let text = template.to_string().into_bytes();
            let cut = rng.below(text.len().max(1));
            text[..cut].to_vec()
        }
        "wrong-type" => {
            for _ in 0..=rng.below(3) {
                match pick_path(&mut rng) {
                    Some(p) => {
                        if let Some(slot) = at_mut(&mut template, &p) {
                            *slot = wrong_type(slot, &mut rng);
                        }
                    }
                    None => template = wrong_type(&template, &mut rng),
                }
            }
            template.to_string().into_bytes()
        }
        "huge-number" => {
            let raw = *rng.pick(&HUGE_NUMBERS);
            let p = pick_path(&mut rng);
            splice_raw(&mut template, p.as_deref(), raw)
        }
        "deep-nesting" => {
            let depth = *rng.pick(&[16usize, 100, 127, 128, 129, 500, 5_000, 100_000]);
            let raw = deep(depth, &mut rng);
            let p = pick_path(&mut rng);
            splice_raw(&mut template, p.as_deref(), &raw)
        }
        "huge-string" => {
            // Mostly 4–256 KiB, sometimes 1 MiB; one case in 2,000 just under the 8 MiB limit.
            let len = if index % 2_000 == 1_999 {
                BODY_LIMIT - 64 * 1024
            } else {
                *rng.pick(&[4_096usize, 4_096, 65_536, 65_536, 256 * 1024, 256 * 1024, 1 << 20])
            };
            let s = huge_string(len, &mut rng);
            match pick_path(&mut rng) {
                Some(p) => {
                    if let Some(slot) = at_mut(&mut template, &p) {
                        *slot = s;
                    }
                }
                None => template = s,
            }
            let mut body = template.to_string().into_bytes();
            body.truncate(BODY_LIMIT - 1);
            body
        }
        "top-level-shape" => {
            let whole = template.to_string();
            let shapes: [String; 16] = [
                String::new(),
                "null".into(),
                " null ".into(),
                "[]".into(),
                format!("[{whole}]"),
                "\"string\"".into(),
                "123".into(),
                "true".into(),
                "{}".into(),
                "{".into(),
                "}".into(),
                " \n\t ".into(),
                format!("\u{feff}{whole}"),
                format!("{whole}{whole}"),
                "{\"a\":1,}".into(),
                "{'userID':'x'}".into(),
            ];
            rng.pick(&shapes).clone().into_bytes()
        }
        "invalid-utf8" => {
            if rng.percent(30) {
                // JSON-escaped lone surrogates are valid JSON syntax but not valid strings.
                let p = pick_path(&mut rng);
                splice_raw(&mut template, p.as_deref(), "\"\\ud800\\udbff x \\udfff\"")
            } else {
                break_utf8(template.to_string().into_bytes(), &mut rng)
            }
        }
        "field-chaos" => {
            chaos_fields(&mut template, names, &mut rng);
            template.to_string().into_bytes()
        }
        "random-json" => random_json(4, names, &mut rng).to_string().into_bytes(),
        "protobuf" => {
            content_type = Some(*rng.pick(&["application/x-protobuf", "application/protobuf"]));
            match t.raw.get(route) {
                Some(valid) if rng.percent(50) => {
                    let mut b = valid.clone();
                    for _ in 0..=rng.below(4) {
                        if b.is_empty() {
                            b.push(0);
                        }
                        let i = rng.below(b.len());
                        b[i] ^= 1 << rng.below(8);
                    }
                    b
                }
                _ => {
                    let n = rng.below(256);
                    rng.bytes(n)
                }
            }
        }
        _ => t.raw.get(route).cloned().unwrap_or_else(|| template.to_string().into_bytes()),
    };
    Case { index, route, kind, who, garbage_token, operation_id, content_type, tenant, body }
}
