//! Black-box tests of the /auth routes and the HTTP layer against the real im-server binary,
//! each on the embedded store and on DynamoDB (see `support`).

mod support;

use std::io::Read;
use std::time::Duration;

use serde_json::{Value, json};
use support::*;

const WEB: i32 = 5;
const IOS: i32 = 1;

on_both_backends! {
    async fn admin_token_and_parse_token_shapes(backend) {
        let s = Server::start(backend, &[]).await;
        let r = s.post("/auth/get_admin_token", None, &json!({"secret": SECRET, "userID": ADMIN})).await;
        assert_eq!(r.status, 200);
        let v = r.json();
        assert_eq!(keys(&v), ["data", "errCode", "errDlt", "errMsg"]);
        assert_eq!((v["errCode"].clone(), v["errMsg"].clone(), v["errDlt"].clone()), (json!(0), json!(""), json!("")));
        assert_eq!(keys(&v["data"]), ["expireTimeSeconds", "token"]);
        assert_eq!(v["data"]["expireTimeSeconds"], json!(90 * 86_400));
        let token = v["data"]["token"].as_str().expect("token string");
        assert_eq!(token.split('.').count(), 3);

        let r = s.post("/auth/parse_token", None, &json!({"token": token})).await;
        let v = r.json();
        assert_eq!(v["errCode"], 0, "{v}");
        assert_eq!(keys(&v["data"]), ["expireTimeSeconds", "platformID", "userID"]);
        assert_eq!(v["data"]["userID"], ADMIN);
        assert_eq!(v["data"]["platformID"], 10);
        // [quirk] absolute expiry, not a duration.
        let exp = v["data"]["expireTimeSeconds"].as_i64().expect("number");
        assert!((exp - (now_s() + 90 * 86_400)).abs() < 60, "{exp}");
    }

    async fn user_token_force_logout_and_token_states(backend) {
        let s = Server::start(backend, &["alice", "bob"]).await;
        let admin = s.admin_token().await;
        let r = s.post("/auth/get_user_token", Some(&admin), &json!({"userID": "alice", "platformID": WEB})).await;
        let v = r.json();
        assert_eq!(v["errCode"], 0, "{v}");
        assert_eq!(keys(&v["data"]), ["expireTimeSeconds", "token"]);
        assert_eq!(v["data"]["expireTimeSeconds"], json!(90 * 86_400));
        let alice_web = v["data"]["token"].as_str().expect("token").to_string();
        let alice_ios = s.user_token(&admin, "alice", IOS).await;

        let r = s.post("/auth/parse_token", None, &json!({"token": alice_web})).await.json();
        assert_eq!((r["data"]["userID"].clone(), r["data"]["platformID"].clone()), (json!("alice"), json!(WEB)));

        // Unknown user: 1101; admin platform: 1002.
        let r = s.post("/auth/get_user_token", Some(&admin), &json!({"userID": "nobody", "platformID": WEB})).await;
        assert_eq!(r.code(), 1101, "{}", r.text());
        let r = s.post("/auth/get_user_token", Some(&admin), &json!({"userID": "alice", "platformID": 10})).await;
        assert_eq!(r.code(), 1002, "{}", r.text());

        // force_logout: empty data is omitted entirely.
        let r = s.post("/auth/force_logout", Some(&admin), &json!({"userID": "alice", "platformID": WEB})).await;
        assert_eq!(r.text(), r#"{"errCode":0,"errMsg":"","errDlt":""}"#);

        // The kicked token answers 1506 everywhere (parse_token and the middleware); iOS still works.
        let r = s.post("/auth/parse_token", None, &json!({"token": alice_web})).await;
        assert_eq!((r.code(), r.json()["errMsg"].clone()), (1506, json!("TokenKickedError")));
        let r = s.post("/auth/force_logout", Some(&alice_web), &json!({"userID": "alice", "platformID": WEB})).await;
        assert_eq!(r.code(), 1506);
        let r = s.post("/auth/parse_token", None, &json!({"token": alice_ios})).await;
        assert_eq!(r.code(), 0);

        // Correctly signed but never issued: 1507.
        let never = sign(SECRET, &json!({"UserID": "bob", "PlatformID": WEB, "exp": now_s() + 3600, "iat": now_s() - 5}));
        let r = s.post("/auth/parse_token", None, &json!({"token": never})).await;
        assert_eq!((r.code(), r.json()["errMsg"].clone()), (1507, json!("TokenNotExistError")));
        let r = s.post("/auth/get_user_token", Some(&never), &json!({})).await;
        assert_eq!(r.code(), 1507);
    }

    async fn permission_errors(backend) {
        let s = Server::start(backend, &["alice"]).await;
        let admin = s.admin_token().await;
        let alice = s.user_token(&admin, "alice", WEB).await;
        for path in ["/auth/get_user_token", "/auth/force_logout"] {
            let r = s.post(path, Some(&alice), &json!({"userID": "alice", "platformID": WEB})).await;
            assert_eq!((r.status, r.code()), (200, 1002), "{path}: {}", r.text());
            assert_eq!(r.json()["errMsg"], "NoPermissionError");
        }
        let r = s.post("/auth/get_admin_token", None, &json!({"secret": "wrong", "userID": ADMIN})).await;
        assert_eq!(r.code(), 1002);
        let r = s.post("/auth/get_admin_token", None, &json!({"secret": SECRET, "userID": "alice"})).await;
        assert_eq!(r.code(), 1001);
    }

    async fn argument_errors(backend) {
        let s = Server::start(backend, &[]).await;
        let admin = s.admin_token().await;
        let url = format!("{}/auth/get_user_token", s.base);

        // Broken JSON.
        let r = s.send(s.http.post(&url).header("operationID", "1").header("token", &admin).body("{oops")).await;
        assert_eq!((r.status, r.code()), (200, 1001), "{}", r.text());
        assert_eq!(r.json()["errMsg"], "ArgsError");
        assert!(r.json().get("data").is_none());

        // Wrong type: errDlt names the field.
        let r = s.post("/auth/get_user_token", Some(&admin), &json!({"userID": "u", "platformID": "5"})).await;
        assert_eq!(r.code(), 1001);
        let dlt = r.json()["errDlt"].as_str().unwrap_or_default().to_string();
        assert!(dlt.starts_with("platformID"), "{dlt}");

        // Unknown keys are ignored, missing keys are zero values (empty userID → 1001 from the check).
        let r = s.post("/auth/get_admin_token", None, &json!({"secret": SECRET, "userID": ADMIN, "extra": [1]})).await;
        assert_eq!(r.code(), 0);
        let r = s.post("/auth/get_admin_token", None, &json!({"secret": SECRET})).await;
        assert_eq!(r.code(), 1001);

        // Missing headers.
        let r = s.send(s.http.post(&url).header("token", &admin).json(&json!({}))).await;
        assert_eq!((r.code(), r.json()["errDlt"].clone()), (1001, json!("header must have operationID")));
        let r = s.send(s.http.post(&url).header("operationID", "1").json(&json!({}))).await;
        assert_eq!((r.code(), r.json()["errDlt"].clone()), (1001, json!("header must have token")));

        // Bad tenant header.
        let bad = s.http.post(&url).header("operationID", "1").header("token", &admin).header("X-Tenant-ID", "a#b");
        let r = s.send(bad.json(&json!({}))).await;
        assert_eq!(r.code(), 1001);

        // Body over the limit: an envelope, not an HTML 413.
        let big = format!(r#"{{"token":"{}"}}"#, "x".repeat(9 << 20));
        let r = s.send(s.http.post(format!("{}/auth/parse_token", s.base)).header("operationID", "1").body(big)).await;
        assert_eq!((r.status, r.code()), (200, 1001), "{}", r.text());
    }

    async fn token_errors(backend) {
        let s = Server::start(backend, &["alice"]).await;
        let now = now_s();
        let parse = |token: String| {
            let s = &s;
            async move { s.post("/auth/parse_token", None, &json!({ "token": token })).await }
        };
        let expired = sign(SECRET, &json!({"UserID": "alice", "PlatformID": WEB, "exp": now - 10, "iat": now - 100}));
        let r = parse(expired.clone()).await;
        assert_eq!((r.code(), r.json()["errMsg"].clone()), (1501, json!("TokenExpiredError")));
        // The middleware answers the same on a protected route.
        assert_eq!(s.post("/auth/force_logout", Some(&expired), &json!({})).await.code(), 1501);

        let r = parse("not-a-jwt".into()).await;
        assert_eq!((r.code(), r.json()["errMsg"].clone()), (1503, json!("TokenMalformedError")));
        assert_eq!(parse("a.b.c".into()).await.code(), 1503);

        let forged = sign("not-the-secret", &json!({"UserID": ADMIN, "PlatformID": 10, "exp": now + 3600, "iat": now}));
        let r = parse(forged.clone()).await;
        assert_eq!((r.code(), r.json()["errMsg"].clone()), (1505, json!("TokenUnknownError")));
        assert_eq!(s.post("/auth/get_user_token", Some(&forged), &json!({})).await.code(), 1505);

        // A tampered payload keeps the old signature: 1505.
        let admin = s.admin_token().await;
        let parts: Vec<&str> = admin.split('.').collect();
        use base64::Engine;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(json!({"UserID": ADMIN, "PlatformID": 10, "exp": now + 999_999_999i64}).to_string());
        let tampered = format!("{}.{payload}.{}", parts[0], parts[2]);
        assert_eq!(parse(tampered).await.code(), 1505);

        // Tokens do not cross tenants.
        let url = format!("{}/auth/force_logout", s.base);
        let other = s.http.post(url).header("operationID", "1").header("token", &admin).header("X-Tenant-ID", "acme");
        assert_eq!(s.send(other.json(&json!({"userID": "alice", "platformID": WEB}))).await.code(), 1505);
    }

    async fn cors_gzip_and_unknown_routes(backend) {
        let s = Server::start(backend, &[]).await;
        // Browser preflight.
        let pre = s
            .http
            .request(reqwest::Method::OPTIONS, format!("{}/auth/get_user_token", s.base))
            .header("Origin", "http://example.test")
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type,operationid,token");
        let r = s.send(pre).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.text(), r#""Options Request!""#);
        assert_eq!(r.header("access-control-allow-origin"), "*");
        assert_eq!(r.header("access-control-allow-headers"), "*");
        assert_eq!(r.header("access-control-allow-methods"), "*");
        assert_eq!(r.header("access-control-max-age"), "172800");
        assert_eq!(r.header("access-control-allow-credentials"), "false");
        assert!(r.header("access-control-expose-headers").starts_with("Content-Length, Access-Control-Allow-Origin"));

        // CORS headers on ordinary answers too.
        let r = s.post("/auth/get_admin_token", None, &json!({"secret": SECRET, "userID": ADMIN})).await;
        assert_eq!((r.header("access-control-allow-origin"), r.header("content-type")), ("*", "application/json"));

        // gzip when asked.
        let req = s
            .http
            .post(format!("{}/auth/get_admin_token", s.base))
            .header("operationID", "1")
            .header("Accept-Encoding", "gzip")
            .json(&json!({"secret": SECRET, "userID": ADMIN}));
        let r = s.send(req).await;
        assert_eq!(r.header("content-encoding"), "gzip");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&r.body[..]).read_to_string(&mut text).expect("gunzip");
        let v: Value = serde_json::from_str(&text).expect("json");
        assert_eq!(v["errCode"], 0);

        // Unknown route: the header checks run first, then a plain 404.
        let admin = s.admin_token().await;
        let r = s.post("/auth/nope", Some(&admin), &json!({})).await;
        assert_eq!((r.status, r.text()), (404, "404 page not found".to_string()));
        let r = s.send(s.http.post(format!("{}/nope", s.base)).json(&json!({}))).await;
        assert_eq!((r.status, r.code()), (200, 1001));
        let r = s.post("/nope", None, &json!({})).await;
        assert_eq!((r.status, r.json()["errDlt"].clone()), (200, json!("header must have token")));
        // Wrong method on a known path is a 404 as well.
        let r = s.send(s.http.get(format!("{}/auth/get_admin_token", s.base))).await;
        assert_eq!(r.status, 404);
    }

    async fn graceful_shutdown_on_sigterm(backend) {
        let mut s = Server::start(backend, &[]).await;
        let status = std::process::Command::new("kill").args(["-TERM", &s.pid().to_string()]).status().expect("kill");
        assert!(status.success());
        let exit = s.wait_exit(Duration::from_secs(10)).expect("im-server exits after SIGTERM");
        assert!(exit.success(), "{exit:?}");
    }
}
