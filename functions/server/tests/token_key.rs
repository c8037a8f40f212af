//! Token state and connection records keep a hash of each token's signature, never the token or
//! its signature (docs/security.md, "Token state keyed by a hash"): the online-status routes,
//! which report what the connection record holds, show the hash; multi-login kicking through
//! the gateway still finds the right token. Each test runs on the embedded store and DynamoDB.

mod support;
mod ws_support;

use serde_json::{Value, json};
use support::*;
use ws_support::*;

const WEB: i32 = 5;
const IOS: i32 = 1;

/// The signature segment of a token.
fn signature(token: &str) -> &str {
    token.rsplit_once('.').map(|(_, s)| s).unwrap_or_default()
}

fn is_lower_hex_64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

on_both_backends! {
    /// The online-status routes report the stored token key (64 hex chars, the SHA-256 of the
    /// signature), and nothing in their answers contains the token's signature.
    async fn online_routes_report_the_token_key(backend) {
        let g = Gw::start(backend, &["alice"], &[]).await;
        let web = g.token("alice", WEB).await;
        let ios = g.token("alice", IOS).await;
        let _c1 = g.connect_with("alice", &web, WEB, Mode::GO).await;
        let _c2 = g.connect_with("alice", &ios, IOS, Mode::JS).await;
        let s = &g.server;

        // The connection records are written right after the handshake answer: wait for both.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let (r, data) = loop {
            let r = s.post("/user/get_users_online_token_detail", Some(&g.admin), &json!({"userIDs": ["alice"]})).await;
            let data = r.ok();
            let platforms = data[0]["singlePlatformToken"].as_array().map(Vec::len).unwrap_or(0);
            if platforms == 2 || std::time::Instant::now() > deadline {
                break (r, data);
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        };
        for tok in [&web, &ios] {
            assert!(!r.text().contains(signature(tok)), "signature leaked: {}", r.text());
            assert!(!r.text().contains(tok.as_str()), "token leaked: {}", r.text());
        }
        let platforms = data[0]["singlePlatformToken"].as_array().cloned().unwrap_or_default();
        let mut reported: Vec<(i64, String)> = platforms
            .iter()
            .flat_map(|p| {
                let pid = p["platformID"].as_i64().unwrap_or(-1);
                p["token"].as_array().cloned().unwrap_or_default().into_iter().map(move |t| (pid, t.as_str().unwrap_or_default().to_string()))
            })
            .collect();
        reported.sort();
        let mut expected = vec![
            (i64::from(IOS), im_auth::jwt::token_key(&ios)),
            (i64::from(WEB), im_auth::jwt::token_key(&web)),
        ];
        expected.sort();
        assert_eq!(reported, expected, "{data}");
        assert!(reported.iter().all(|(_, k)| is_lower_hex_64(k)), "{reported:?}");

        let r = s.post("/user/get_users_online_status", Some(&g.admin), &json!({"userIDs": ["alice"]})).await;
        let detail: Vec<Value> = r.ok()[0]["detailPlatformStatus"].as_array().cloned().unwrap_or_default();
        assert_eq!(detail.len(), 2, "{}", r.text());
        for d in &detail {
            let token = d["token"].as_str().unwrap_or_default();
            let want = if d["platformID"] == json!(WEB) { &web } else { &ios };
            assert_eq!(token, im_auth::jwt::token_key(want), "{d}");
        }
    }

    /// Multi-login through the gateway (policy 1: a new Web login kicks the old Web token)
    /// matches tokens by their key: the old token reads 1506, the new one and the other
    /// platform's stay valid.
    async fn gateway_multi_login_kicks_by_key(backend) {
        let g = Gw::start(backend, &["alice"], &[]).await;
        let s = &g.server;
        let web1 = g.token("alice", WEB).await;
        let ios = g.token("alice", IOS).await;
        let _i = g.connect_with("alice", &ios, IOS, Mode::GO).await;
        let _w1 = g.connect_with("alice", &web1, WEB, Mode::GO).await;
        tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
        let web2 = g.token("alice", WEB).await;
        assert_ne!(web1, web2);
        let _w2 = g.connect_with("alice", &web2, WEB, Mode::GO).await;
        let parse = |t: &str| json!({"token": t});
        assert_eq!(s.post("/auth/parse_token", None, &parse(&web1)).await.code(), 1506);
        assert_eq!(s.post("/auth/parse_token", None, &parse(&web2)).await.code(), 0);
        assert_eq!(s.post("/auth/parse_token", None, &parse(&ios)).await.code(), 0);
    }
}
