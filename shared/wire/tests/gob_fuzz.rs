//! Property-style robustness test: 10,000 random, truncated, mutated and spliced frames through
//! every decoder. Decoders must return (never panic), and whatever they accept must survive an
//! encode/decode round trip unchanged.

use std::panic::{AssertUnwindSafe, catch_unwind};

use im_wire::gob;
use im_wire::ws::{self, Encoding, WsReq, WsResp};

/// SplitMix64: small, deterministic, good enough for input generation.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }

    /// Bytes biased towards values that matter to gob and JSON.
    fn byte(&mut self) -> u8 {
        const INTERESTING: &[u8] = b"\x00\x01\x02\x03\x04\x05\x06\x0a\x0c\x7f\x80\xf8\xf9\xfe\xff{}[]\":,\\ntu0-";
        if self.below(2) == 0 { INTERESTING[self.below(INTERESTING.len())] } else { self.next() as u8 }
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = self.below(max + 1);
        (0..n).map(|_| self.byte()).collect()
    }
}

fn fixture_files() -> Vec<Vec<u8>> {
    let dir = format!("{}/tests/fixtures", env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for sub in ["go", "python"] {
        let Ok(entries) = std::fs::read_dir(format!("{dir}/{sub}")) else { continue };
        for entry in entries.flatten() {
            if entry.path().extension().is_some_and(|e| e == "gob" || e == "bin") {
                out.push(std::fs::read(entry.path()).expect("read fixture"));
            }
        }
    }
    out
}

fn seeds() -> Vec<Vec<u8>> {
    let req = WsReq {
        req_identifier: 1003,
        token: "tok".into(),
        send_id: "user_1".into(),
        operation_id: "op-123".into(),
        msg_incr: "user_1_42".into(),
        data: (0..40).collect(),
    };
    let resp = WsResp {
        req_identifier: 2001,
        msg_incr: String::new(),
        operation_id: "op".into(),
        err_code: -5,
        err_msg: "e".into(),
        data: vec![9; 10],
    };
    let mut seeds = fixture_files();
    for encoding in [Encoding::Gob, Encoding::Json] {
        for gzip in [false, true] {
            seeds.push(ws::encode_req(&req, encoding, gzip));
            seeds.push(ws::encode_resp(&resp, encoding, gzip));
        }
    }
    seeds.push(br#"{"type":"ping","body":{"a":[1,"<x>"]}}"#.to_vec());
    seeds.push(br#"{"type":"pong"}"#.to_vec());
    seeds
}

fn mutate(rng: &mut Rng, input: &mut Vec<u8>) {
    for _ in 0..=rng.below(8) {
        match rng.below(5) {
            0 if !input.is_empty() => {
                let i = rng.below(input.len());
                input[i] ^= 1 << rng.below(8);
            }
            1 if !input.is_empty() => {
                let i = rng.below(input.len());
                input[i] = rng.byte();
            }
            2 => {
                let i = rng.below(input.len() + 1);
                input.insert(i, rng.byte());
            }
            3 if !input.is_empty() => {
                let i = rng.below(input.len());
                input.remove(i);
            }
            _ => {
                // Duplicate a chunk (repeats definitions, lengths, nested openers).
                if !input.is_empty() {
                    let a = rng.below(input.len());
                    let b = (a + 1 + rng.below(16)).min(input.len());
                    let chunk = input[a..b].to_vec();
                    let at = rng.below(input.len() + 1);
                    input.splice(at..at, chunk);
                }
            }
        }
    }
}

fn make_input(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let seed = &seeds[rng.below(seeds.len())];
    match rng.below(7) {
        0 => rng.bytes(300),
        1 => seed[..rng.below(seed.len() + 1)].to_vec(),
        2 | 3 => {
            let mut s = seed.clone();
            mutate(rng, &mut s);
            s
        }
        4 => {
            let other = &seeds[rng.below(seeds.len())];
            let mut s = seed[..rng.below(seed.len() + 1)].to_vec();
            s.extend_from_slice(&other[rng.below(other.len() + 1)..]);
            s
        }
        5 => {
            // Mutate the decompressed content of a gzip seed and recompress, so the decoders behind
            // the gzip layer see garbage too.
            let mut inner = ws::gunzip_bounded(seed, 1 << 20).unwrap_or_else(|_| seed.clone());
            mutate(rng, &mut inner);
            ws::gzip(&inner)
        }
        _ => {
            let mut s = rng.bytes(64);
            s.extend_from_slice(seed);
            mutate(rng, &mut s);
            s
        }
    }
}

fn check(input: &[u8]) {
    let _ = gob::decode_struct(input);
    let _ = ws::text_heartbeat_reply(input);
    for encoding in [Encoding::Gob, Encoding::Json] {
        for gzip in [false, true] {
            if let Ok(req) = ws::decode_req(input, encoding, gzip) {
                let again = ws::decode_req(&ws::encode_req(&req, encoding, gzip), encoding, gzip);
                assert_eq!(again.as_ref(), Ok(&req), "request round trip");
            }
            if let Ok(resp) = ws::decode_resp(input, encoding, gzip) {
                let again = ws::decode_resp(&ws::encode_resp(&resp, encoding, gzip), encoding, gzip);
                assert_eq!(again.as_ref(), Ok(&resp), "response round trip");
            }
        }
    }
}

#[test]
fn ten_thousand_hostile_frames_never_panic() {
    let seeds = seeds();
    let mut rng = Rng(0x5eed_0f0b);
    let mut accepted = 0usize;
    // GOB_FUZZ_ITERATIONS / GOB_FUZZ_SEED allow longer local runs; CI uses the defaults.
    let iterations = std::env::var("GOB_FUZZ_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000usize);
    if let Some(seed) = std::env::var("GOB_FUZZ_SEED").ok().and_then(|v| v.parse().ok()) {
        rng = Rng(seed);
    }
    for iteration in 0..iterations {
        let input = make_input(&mut rng, &seeds);
        let result = catch_unwind(AssertUnwindSafe(|| check(&input)));
        if let Err(panic) = result {
            let hex: String = input.iter().map(|b| format!("{b:02x}")).collect();
            let msg =
                panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
            panic!("iteration {iteration}: {msg:?} on input {hex}");
        }
        if gob::decode_struct(&input).is_ok() {
            accepted += 1;
        }
    }
    // The mutations must not be so destructive that nothing parses.
    assert!(accepted > 100, "only {accepted} inputs decoded");
}
