//! Unit tests of the auth service on the in-memory store with a manual clock.

use std::sync::Arc;

use im_domain::clock::ManualClock;
use im_domain::constants::platform::*;
use im_store_conformance::MemStore;

use super::*;
use crate::config::{MultiLogin, Policy};
use crate::kicker::NoopKicker;

const T0_MS: i64 = 1_700_000_000_000;

struct Fixture {
    svc: AuthService,
    clock: Arc<ManualClock>,
    users: UserRepo,
    store: DynStore,
    t: TenantId,
}

async fn fixture(config: AuthConfig) -> Fixture {
    let store: DynStore = Arc::new(MemStore::new());
    let clock = Arc::new(ManualClock::new(T0_MS));
    let svc = AuthService::new(config, store.clone(), clock.clone(), Arc::new(NoopKicker));
    let t = TenantId::default_tenant();
    svc.ensure_admin_users(&t).await.unwrap();
    let users = UserRepo::new(store.clone());
    for (id, level) in [("u1", 0), ("u2", 0), ("robot", 4)] {
        let u = UserRecord { user_id: id.into(), nickname: id.into(), app_manger_level: level, ..Default::default() };
        users.create(&t, &u).await.unwrap();
    }
    Fixture { svc, clock, users, store, t }
}

fn code<T>(r: ImResult<T>) -> i32 {
    r.map(|_| 0).unwrap_or_else(|e| e.code)
}

#[tokio::test]
async fn admin_users_created_and_admin_token_rules() {
    let f = fixture(AuthConfig::default()).await;
    let admin = f.users.get(&f.t, "imAdmin").await.unwrap().unwrap();
    assert_eq!((admin.nickname.as_str(), admin.app_manger_level), ("imAdmin", 3));
    assert_eq!(code(f.svc.get_admin_token(&f.t, "wrong", "imAdmin").await), 1002);
    assert_eq!(code(f.svc.get_admin_token(&f.t, "openIM123", "u1").await), 1001);
    assert_eq!(code(f.svc.get_admin_token(&f.t, "openIM123", "").await), 1001);
    let tok = f.svc.get_admin_token(&f.t, "openIM123", "imAdmin").await.unwrap();
    assert_eq!(tok.expire_seconds, 90 * 86_400);
    let v = f.svc.verify(&f.t, &tok.token).await.unwrap();
    assert_eq!(v, Verified { user_id: "imAdmin".into(), platform_id: ADMIN, is_admin: true });
    // Another tenant gets its admin user on first use, and the token does not cross tenants.
    let acme = TenantId::parse("acme").unwrap();
    let acme_tok = f.svc.get_admin_token(&acme, "openIM123", "imAdmin").await.unwrap();
    assert!(f.users.exists(&acme, "imAdmin").await.unwrap());
    assert_eq!(code(f.svc.verify(&f.t, &acme_tok.token).await), 1505);
    assert_eq!(code(f.svc.verify(&acme, &tok.token).await), 1505);
}

#[tokio::test]
async fn user_token_rules() {
    let f = fixture(AuthConfig::default()).await;
    assert_eq!(code(f.svc.get_user_token(&f.t, "u1", ADMIN).await), 1002);
    assert_eq!(code(f.svc.get_user_token(&f.t, "imAdmin", WEB).await), 1002);
    assert_eq!(code(f.svc.get_user_token(&f.t, "nobody", WEB).await), 1101);
    assert_eq!(code(f.svc.get_user_token(&f.t, "robot", WEB).await), 1001);
    assert_eq!(code(f.svc.get_user_token(&f.t, "u1", 0).await), 1001);
    assert_eq!(code(f.svc.get_user_token(&f.t, "", WEB).await), 1001);
    let tok = f.svc.get_user_token(&f.t, "u1", WEB).await.unwrap();
    let v = f.svc.verify(&f.t, &tok.token).await.unwrap();
    assert_eq!(v, Verified { user_id: "u1".into(), platform_id: WEB, is_admin: false });
    let p = f.svc.parse_token(&f.t, &tok.token).await.unwrap();
    assert_eq!(p.exp, T0_MS / 1000 + 90 * 86_400);
    assert_eq!(code(f.svc.parse_token(&f.t, "").await), 1001);
}

#[tokio::test]
async fn expiry_follows_the_clock() {
    let f = fixture(AuthConfig { expire_days: 1, ..AuthConfig::default() }).await;
    let tok = f.svc.get_user_token(&f.t, "u1", IOS).await.unwrap();
    f.clock.advance(86_399_000);
    assert_eq!(code(f.svc.verify(&f.t, &tok.token).await), 0);
    f.clock.advance(1_000);
    assert_eq!(code(f.svc.verify(&f.t, &tok.token).await), 1501);
}

#[tokio::test]
async fn policy_1_kicks_same_platform_only() {
    let f = fixture(AuthConfig::default()).await;
    let web1 = f.svc.get_user_token(&f.t, "u1", WEB).await.unwrap().token;
    let ios = f.svc.get_user_token(&f.t, "u1", IOS).await.unwrap().token;
    f.clock.advance(1_000);
    let web2 = f.svc.get_user_token(&f.t, "u1", WEB).await.unwrap().token;
    assert_eq!(code(f.svc.verify(&f.t, &web1).await), 1506);
    assert_eq!(code(f.svc.verify(&f.t, &web2).await), 0);
    assert_eq!(code(f.svc.verify(&f.t, &ios).await), 0);
    // Same second, same claims: the same token is re-issued and stays valid.
    let web3 = f.svc.get_user_token(&f.t, "u1", WEB).await.unwrap().token;
    assert_eq!(web3, web2);
    assert_eq!(code(f.svc.verify(&f.t, &web3).await), 0);
    // Next issue on Web drops the kicked token: it now reads "does not exist".
    f.clock.advance(1_000);
    f.svc.get_user_token(&f.t, "u1", WEB).await.unwrap();
    assert_eq!(code(f.svc.verify(&f.t, &web1).await), 1507);
    assert_eq!(code(f.svc.verify(&f.t, &web2).await), 1506);
}

#[tokio::test]
async fn policy_0_caps_tokens_per_platform() {
    let ml = MultiLogin { policy: Policy::DefaultNotKick, max_num_one_end: 2 };
    let f = fixture(AuthConfig { multi_login: ml, ..AuthConfig::default() }).await;
    let mut toks = Vec::new();
    for _ in 0..3 {
        toks.push(f.svc.get_user_token(&f.t, "u2", ANDROID).await.unwrap().token);
        f.clock.advance(1_000);
    }
    assert_eq!(code(f.svc.verify(&f.t, &toks[0]).await), 1506);
    assert_eq!(code(f.svc.verify(&f.t, &toks[1]).await), 0);
    assert_eq!(code(f.svc.verify(&f.t, &toks[2]).await), 0);
}

#[tokio::test]
async fn force_logout_kicks_and_unknown_tokens_do_not_exist() {
    let f = fixture(AuthConfig::default()).await;
    let web = f.svc.get_user_token(&f.t, "u1", WEB).await.unwrap().token;
    let ios = f.svc.get_user_token(&f.t, "u1", IOS).await.unwrap().token;
    f.svc.force_logout(&f.t, "u1", WEB).await.unwrap();
    assert_eq!(code(f.svc.verify(&f.t, &web).await), 1506);
    assert_eq!(code(f.svc.verify(&f.t, &ios).await), 0);
    // Idempotent, and fine for a user without tokens.
    f.svc.force_logout(&f.t, "u1", WEB).await.unwrap();
    f.svc.force_logout(&f.t, "u2", WEB).await.unwrap();
    assert_eq!(code(f.svc.force_logout(&f.t, "u1", 11).await), 1001);
    assert_eq!(code(f.svc.force_logout(&f.t, "", WEB).await), 1001);
    // Correctly signed but never issued: 1507 (no state for that platform, or not in it).
    let codec = TokenCodec::new("openIM123");
    let now = f.clock.now_s();
    let (forged, _) = codec.issue(&f.t, "u2", WEB, now, 100).unwrap();
    assert_eq!(code(f.svc.verify(&f.t, &forged).await), 1507);
    let (forged, _) = codec.issue(&f.t, "u1", IOS, now - 1, 100).unwrap();
    assert_eq!(code(f.svc.verify(&f.t, &forged).await), 1507);
}

#[tokio::test]
async fn token_state_stores_only_a_hash_of_the_signature() {
    let f = fixture(AuthConfig::default()).await;
    let web = f.svc.get_user_token(&f.t, "u1", WEB).await.unwrap().token;
    let ios = f.svc.get_user_token(&f.t, "u1", IOS).await.unwrap().token;
    let q = im_domain::store::Query::partition(&f.t, im_repo::keys::user_pk("u1"));
    let dump = format!("{:?}", f.store.query(&q).await.unwrap().items);
    for tok in [&web, &ios] {
        assert!(!dump.contains(jwt::signature(tok)), "signature stored: {dump}");
        assert!(dump.contains(&jwt::token_key(tok)), "token key missing: {dump}");
    }
    let set = f.svc.tokens.load(&f.t, "u1", WEB).await.unwrap();
    assert_eq!(set.tokens.iter().map(|t| t.sig.clone()).collect::<Vec<_>>(), [jwt::token_key(&web)]);
    // Presenting the stored key as a signature is just a bad signature.
    let (head, _) = web.rsplit_once('.').unwrap();
    assert_eq!(code(f.svc.verify(&f.t, &format!("{head}.{}", jwt::token_key(&web))).await), 1505);
    // State written under the raw signature (before hashing) is not honoured.
    let mut legacy = set.clone();
    legacy.tokens[0].sig = jwt::signature(&web).to_string();
    assert!(f.svc.tokens.save(&f.t, "u1", &[legacy]).await.unwrap());
    assert_eq!(code(f.svc.verify(&f.t, &web).await), 1507);
}
