//! Black-box tests of every /user route against the real im-server binary, each on the embedded
//! store and on DynamoDB (see `support`): success shapes (exact key sets and JSON types) and the
//! documented errors (1001, 1002, 1004, 1101, 1102, 150x).

mod support;

use serde_json::{Value, json};
use support::*;

const WEB: i32 = 5;
const IOS: i32 = 1;

/// Keys of `sdkws.UserInfo`.
const USER_KEYS: [&str; 7] =
    ["appMangerLevel", "createTime", "ex", "faceURL", "globalRecvMsgOpt", "nickname", "userID"];

fn assert_user_shape(u: &Value) {
    assert_eq!(keys(u), USER_KEYS, "{u}");
    for k in ["userID", "nickname", "faceURL", "ex"] {
        assert!(u[k].is_string(), "{k} in {u}");
    }
    for k in ["createTime", "appMangerLevel", "globalRecvMsgOpt"] {
        assert!(u[k].is_i64(), "{k} in {u}");
    }
}

/// The empty success envelope, byte for byte.
const EMPTY_OK: &str = r#"{"errCode":0,"errMsg":"","errDlt":""}"#;

async fn info(s: &Server, token: &str, id: &str) -> Value {
    let r = s.post("/user/get_users_info", Some(token), &json!({ "userIDs": [id] })).await;
    r.ok()["usersInfo"][0].clone()
}

on_both_backends! {
    /// user_register, get_users_info and account_check.
    async fn register_and_read(backend) {
        let s = Server::start(backend, &[]).await;
        let admin = s.admin_token().await;
        let users = json!({"users": [
            {"userID": "alice", "nickname": "Alice", "faceURL": "http://f/a.png", "ex": "{\"a\":1}"},
            {"userID": "张三_3", "nickname": "Zhang", "globalRecvMsgOpt": 2, "createTime": 1},
        ]});
        let r = s.post("/user/user_register", Some(&admin), &users).await;
        assert_eq!(r.text(), EMPTY_OK);

        let r = s.post("/user/get_users_info", Some(&admin), &json!({"userIDs": ["张三_3", "nobody", "alice"]})).await;
        let data = r.ok();
        assert_eq!(keys(&data), ["usersInfo"]);
        let list = data["usersInfo"].as_array().expect("array").clone();
        assert_eq!(list.len(), 2);
        list.iter().for_each(assert_user_shape);
        assert_eq!((list[0]["userID"].clone(), list[0]["globalRecvMsgOpt"].clone()), (json!("张三_3"), json!(2)));
        assert_eq!(list[1]["ex"], "{\"a\":1}");
        let created = list[1]["createTime"].as_i64().unwrap_or_default();
        assert!((created - now_s() * 1000).abs() < 60_000, "createTime is now in ms: {created}");
        let r = s.post("/user/get_users_info", Some(&admin), &json!({"userIDs": []})).await;
        assert_eq!(r.ok(), json!({"usersInfo": []}));

        // 1001: missing list, empty list, bad IDs, missing nickname, repeats, wrong types.
        for (body, dlt) in [
            (json!({}), "users"),
            (json!({"users": []}), "users"),
            (json!({"users": [null]}), "user is empty"),
            (json!({"users": [{"userID": "a:b", "nickname": "x"}]}), "illegal"),
            (json!({"users": [{"userID": "", "nickname": "x"}]}), "userID is empty"),
            (json!({"users": [{"userID": "bob"}]}), "name is empty"),
            (json!({"users": [{"userID": "bob", "nickname": "b"}, {"userID": "bob", "nickname": "b"}]}), "repeated"),
            (json!({"users": [{"userID": "bob", "nickname": "b", "appMangerLevel": 9}]}), "appMangerLevel"),
            (json!({"users": "bob"}), "users"),
            (json!({"users": [{"userID": 5, "nickname": "b"}]}), "users[0].userID"),
        ] {
            let r = s.post("/user/user_register", Some(&admin), &body).await;
            assert_eq!((r.code(), r.json()["errMsg"].clone()), (1001, json!("ArgsError")), "{body}: {}", r.text());
            assert!(r.dlt().contains(dlt), "{body}: {}", r.text());
        }
        // 1102: already registered, and nothing of the batch is stored.
        let r = s.post("/user/user_register", Some(&admin), &json!({"users": [
            {"userID": "bob", "nickname": "b"}, {"userID": "alice", "nickname": "a"}]})).await;
        assert_eq!((r.code(), r.json()["errMsg"].clone()), (1102, json!("RegisteredAlreadyError")), "{}", r.text());
        assert_eq!(info(&s, &admin, "bob").await, Value::Null);

        // More than one transaction's worth, all at once.
        let many: Vec<Value> = (0..150).map(|i| json!({"userID": format!("m{i:03}"), "nickname": "m"})).collect();
        s.post("/user/user_register", Some(&admin), &json!({"users": many})).await.ok();
        assert_eq!(info(&s, &admin, "m149").await["userID"], "m149");

        // account_check: one result per requested ID, 1 registered / 0 not.
        let r = s.post("/user/account_check", Some(&admin), &json!({"checkUserIDs": ["alice", "ghost"]})).await;
        assert_eq!(
            r.ok(),
            json!({"results": [{"userID": "alice", "accountStatus": 1}, {"userID": "ghost", "accountStatus": 0}]})
        );
        let r = s.post("/user/account_check", Some(&admin), &json!({"checkUserIDs": ["a", "a"]})).await;
        assert_eq!(r.code(), 1001);
        let r = s.post("/user/account_check", Some(&admin), &json!({})).await;
        assert_eq!(r.code(), 1001);

        // Admin-only routes refuse user tokens; T routes accept them.
        let alice = s.user_token(&admin, "alice", WEB).await;
        let r = s.post("/user/user_register", Some(&alice), &json!({"users": [{"userID": "x1", "nickname": "x"}]})).await;
        assert_eq!((r.code(), r.json()["errMsg"].clone()), (1002, json!("NoPermissionError")));
        assert_eq!(s.post("/user/account_check", Some(&alice), &json!({"checkUserIDs": ["a"]})).await.code(), 1002);
        assert_eq!(info(&s, &alice, "alice").await["nickname"], "Alice");
        let r = s.post("/user/get_users_info", Some(&alice), &json!({})).await;
        assert_eq!((r.code(), r.dlt()), (1001, "UserIDs is empty".to_string()));
    }

    /// update_user_info and update_user_info_ex: zero values, wrappers, ownership, levels.
    async fn update_profiles(backend) {
        let s = Server::start(backend, &["alice", "bob"]).await;
        let admin = s.admin_token().await;
        let alice = s.user_token(&admin, "alice", WEB).await;

        let r = s.post("/user/update_user_info", Some(&alice),
            &json!({"userInfo": {"userID": "alice", "nickname": "A2", "faceURL": "", "ex": "e"}})).await;
        assert_eq!(r.text(), EMPTY_OK);
        let u = info(&s, &alice, "alice").await;
        assert_user_shape(&u);
        assert_eq!((u["nickname"].clone(), u["faceURL"].clone(), u["ex"].clone()), (json!("A2"), json!(""), json!("e")));
        // Zero values change nothing.
        s.post("/user/update_user_info", Some(&alice), &json!({"userInfo": {"userID": "alice"}})).await.ok();
        assert_eq!(info(&s, &alice, "alice").await["nickname"], "A2");

        // Ownership: another user's profile → 1002; an admin may.
        let body = json!({"userInfo": {"userID": "bob", "nickname": "hacked"}});
        assert_eq!(s.post("/user/update_user_info", Some(&alice), &body).await.code(), 1002);
        assert_eq!(s.post("/user/update_user_info_ex", Some(&alice), &body).await.code(), 1002);
        s.post("/user/update_user_info", Some(&admin), &json!({"userInfo": {"userID": "bob", "nickname": "B"}})).await.ok();
        assert_eq!(info(&s, &admin, "bob").await["nickname"], "B");

        // appMangerLevel: not writable by the user (closed quirk); sending the current value is fine.
        let up = |level: i64| json!({"userInfo": {"userID": "alice", "appMangerLevel": level}});
        let r = s.post("/user/update_user_info", Some(&alice), &up(2)).await;
        assert_eq!(r.code(), 1002, "{}", r.text());
        assert_eq!(info(&s, &admin, "alice").await["appMangerLevel"], 0);
        s.post("/user/update_user_info", Some(&admin), &up(1)).await.ok();
        s.post("/user/update_user_info", Some(&alice), &up(1)).await.ok();
        assert_eq!(info(&s, &admin, "alice").await["appMangerLevel"], 1);
        assert_eq!(s.post("/user/update_user_info", Some(&admin), &up(7)).await.code(), 1001);

        // Errors: unknown user (admin) → 1004; missing userInfo / userID → 1001; wrong types name the field.
        let r = s.post("/user/update_user_info", Some(&admin), &json!({"userInfo": {"userID": "ghost", "nickname": "g"}})).await;
        assert_eq!((r.code(), r.json()["errMsg"].clone()), (1004, json!("RecordNotFoundError")), "{}", r.text());
        assert_eq!(s.post("/user/update_user_info", Some(&admin), &json!({})).await.code(), 1001);
        assert_eq!(s.post("/user/update_user_info", Some(&admin), &json!({"userInfo": {}})).await.code(), 1001);
        let r = s.post("/user/update_user_info", Some(&alice), &json!({"userInfo": {"userID": "alice", "nickname": 5}})).await;
        assert_eq!(r.code(), 1001);
        assert!(r.dlt().starts_with("userInfo.nickname"), "{}", r.text());
        let r = s.post("/user/update_user_info", Some(&alice),
            &json!({"userInfo": {"userID": "alice", "globalRecvMsgOpt": 9}})).await;
        assert_eq!(r.code(), 1001);

        // _ex: null/absent = unchanged, "" is a value, {"value": …} is accepted too.
        let r = s.post("/user/update_user_info_ex", Some(&alice), &json!({"userInfo": {
            "userID": "alice", "nickname": null, "faceURL": {"value": "http://f/x"}, "ex": "", "globalRecvMsgOpt": 1}})).await;
        assert_eq!(r.text(), EMPTY_OK);
        let u = info(&s, &alice, "alice").await;
        assert_eq!(
            (u["nickname"].clone(), u["faceURL"].clone(), u["ex"].clone(), u["globalRecvMsgOpt"].clone()),
            (json!("A2"), json!("http://f/x"), json!(""), json!(1))
        );
        // appMangerLevel is not a UserInfoWithEx field: ignored.
        s.post("/user/update_user_info_ex", Some(&alice), &json!({"userInfo": {"userID": "alice", "appMangerLevel": 4}}))
            .await
            .ok();
        assert_eq!(info(&s, &admin, "alice").await["appMangerLevel"], 1);
        let r = s.post("/user/update_user_info_ex", Some(&alice),
            &json!({"userInfo": {"userID": "alice", "globalRecvMsgOpt": "1"}})).await;
        assert_eq!(r.code(), 1001);
        assert!(r.dlt().starts_with("userInfo.globalRecvMsgOpt"), "{}", r.text());
        let r = s.post("/user/update_user_info_ex", Some(&admin), &json!({"userInfo": {"userID": "ghost", "ex": "x"}})).await;
        assert_eq!(r.code(), 1004);
        assert_eq!(s.post("/user/update_user_info_ex", Some(&admin), &json!({})).await.code(), 1001);
    }

    /// set_global_recv_msg_opt (and the seed path alias): self or admin only.
    async fn global_recv_msg_opt(backend) {
        let s = Server::start(backend, &["alice", "bob"]).await;
        let admin = s.admin_token().await;
        let alice = s.user_token(&admin, "alice", WEB).await;
        for (path, opt) in [("/user/set_global_recv_msg_opt", 2), ("/user/set_global_msg_recv_opt", 1)] {
            let r = s.post(path, Some(&alice), &json!({"userID": "alice", "globalRecvMsgOpt": opt})).await;
            assert_eq!(r.text(), EMPTY_OK, "{path}");
            assert_eq!(info(&s, &alice, "alice").await["globalRecvMsgOpt"], opt);
            // Closed quirk: OpenIM lets any token set anyone's option.
            let r = s.post(path, Some(&alice), &json!({"userID": "bob", "globalRecvMsgOpt": 1})).await;
            assert_eq!(r.code(), 1002, "{path}");
        }
        s.post("/user/set_global_recv_msg_opt", Some(&admin), &json!({"userID": "bob", "globalRecvMsgOpt": 1})).await.ok();
        assert_eq!(info(&s, &admin, "bob").await["globalRecvMsgOpt"], 1);
        let r = s.post("/user/set_global_recv_msg_opt", Some(&admin), &json!({"userID": "bob", "globalRecvMsgOpt": 3})).await;
        assert_eq!((r.code(), r.dlt()), (1001, "GlobalRecvMsgOpt is invalid".to_string()));
        let r = s.post("/user/set_global_recv_msg_opt", Some(&admin), &json!({"userID": "ghost", "globalRecvMsgOpt": 1})).await;
        assert_eq!(r.code(), 1004);
        let r = s.post("/user/set_global_recv_msg_opt", Some(&alice), &json!({"userID": "alice", "globalRecvMsgOpt": 1.5})).await;
        assert_eq!(r.code(), 1001);
        assert!(r.dlt().starts_with("globalRecvMsgOpt"), "{}", r.text());
    }

    /// get_all_users_uid and get_users: totals, pages in creation order, filters, levels.
    async fn listings(backend) {
        let s = Server::start(backend, &[]).await;
        let admin = s.admin_token().await;
        let names: Vec<String> = (0..23).map(|i| format!("u{i:02}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        s.register(&admin, &refs[..10]).await;
        s.register(&admin, &refs[10..]).await;
        s.post("/user/update_user_info", Some(&admin), &json!({"userInfo": {"userID": "u07", "nickname": "Special Nick"}}))
            .await
            .ok();
        s.post("/user/add_notification_account", Some(&admin), &json!({"userID": "news", "nickName": "News", "appMangerLevel": 3}))
            .await
            .ok();
        let alice = s.user_token(&admin, "u00", WEB).await;

        // Every user: the 23, the notification account and imAdmin.
        let page = |n: i64, size: i64| json!({"pagination": {"pageNumber": n, "showNumber": size}});
        let mut all = Vec::new();
        for n in 1..=3 {
            let data = s.post("/user/get_all_users_uid", Some(&alice), &page(n, 10)).await.ok();
            assert_eq!(keys(&data), ["total", "userIDs"]);
            assert_eq!(data["total"], 25);
            all.extend(data["userIDs"].as_array().expect("array").iter().map(|v| v.as_str().unwrap_or_default().to_string()));
        }
        assert_eq!(all.len(), 25);
        let mut sorted = all.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 25);
        let first_user = all.iter().position(|u| u == "u00").expect("u00 listed");
        assert_eq!(all[first_user..first_user + 10], names[..10], "creation order");
        let data = s.post("/user/get_all_users_uid", Some(&alice), &page(9, 10)).await.ok();
        assert_eq!(data, json!({"total": 25, "userIDs": []}));
        let data = s.post("/user/get_all_users_uid", Some(&alice), &page(1, 0)).await.ok();
        assert_eq!(data, json!({"total": 25, "userIDs": []}));
        for bad in [json!({}), json!({"pagination": null}), page(0, 10)] {
            let r = s.post("/user/get_all_users_uid", Some(&alice), &bad).await;
            assert_eq!(r.code(), 1001, "{bad}");
        }
        let r = s.post("/user/get_all_users_uid", Some(&alice), &json!({"pagination": {"pageNumber": "1"}})).await;
        assert!(r.dlt().starts_with("pagination.pageNumber"), "{}", r.text());

        // get_users: ordinary users only.
        let data = s.post("/user/get_users", Some(&alice), &page(3, 10)).await.ok();
        assert_eq!(keys(&data), ["total", "users"]);
        assert_eq!(data["total"], 23);
        let users = data["users"].as_array().expect("array");
        users.iter().for_each(assert_user_shape);
        let ids: Vec<&str> = users.iter().filter_map(|u| u["userID"].as_str()).collect();
        assert_eq!(ids, ["u20", "u21", "u22"]);
        // Filters: case-insensitive substrings of userID or nickname (either).
        let filtered = |user_id: &str, nick: &str| {
            json!({"pagination": {"pageNumber": 1, "showNumber": 100}, "userID": user_id, "nickName": nick})
        };
        let data = s.post("/user/get_users", Some(&alice), &filtered("U1", "")).await.ok();
        assert_eq!(data["total"], 10);
        let data = s.post("/user/get_users", Some(&alice), &filtered("u22", "special")).await.ok();
        let ids: Vec<&str> = data["users"].as_array().expect("array").iter().filter_map(|u| u["userID"].as_str()).collect();
        assert_eq!((data["total"].clone(), ids), (json!(2), vec!["u07", "u22"]));
        let data = s.post("/user/get_users", Some(&alice), &filtered("news", "")).await.ok();
        assert_eq!(data, json!({"total": 0, "users": []}));
        assert_eq!(s.post("/user/get_users", Some(&alice), &json!({})).await.code(), 1001);
    }

    /// Online status from the (empty) connection registry and the subscription stubs.
    async fn online_status(backend) {
        let s = Server::start(backend, &["alice", "bob"]).await;
        let admin = s.admin_token().await;
        let alice = s.user_token(&admin, "alice", WEB).await;

        // data is a top-level array, one entry per requested user.
        let r = s.post("/user/get_users_online_status", Some(&admin), &json!({"userIDs": ["alice", "ghost"]})).await;
        assert_eq!(
            r.ok(),
            json!([
                {"userID": "alice", "status": 0, "detailPlatformStatus": []},
                {"userID": "ghost", "status": 0, "detailPlatformStatus": []},
            ])
        );
        assert_eq!(s.post("/user/get_users_online_status", Some(&admin), &json!({})).await.ok(), json!([]));
        let r = s.post("/user/get_users_online_status", Some(&alice), &json!({"userIDs": ["bob"]})).await;
        assert_eq!(r.code(), 1002);

        // Token detail lists online users only; non-admins get an empty list (as OpenIM).
        for token in [&admin, &alice] {
            let r = s.post("/user/get_users_online_token_detail", Some(token), &json!({"userIDs": ["alice"]})).await;
            assert_eq!(r.ok(), json!([]));
        }

        let r = s.post("/user/get_users_status", Some(&alice), &json!({"userID": "alice", "userIDs": ["bob"]})).await;
        assert_eq!(r.ok(), json!({"statusList": [{"userID": "bob", "status": 0, "platformIDs": []}]}));
        for bad in [json!({}), json!({"userIDs": []})] {
            let r = s.post("/user/get_users_status", Some(&alice), &bad).await;
            assert_eq!((r.code(), r.dlt()), (1001, "UserIDs is empty".to_string()), "{bad}");
        }

        // Stubs: empty statusList after the protocol's argument checks.
        let sub = json!({"userID": "alice", "userIDs": ["bob"], "genre": 1});
        assert_eq!(s.post("/user/subscribe_users_status", Some(&alice), &sub).await.ok(), json!({"statusList": []}));
        for bad in [json!({"userIDs": ["bob"], "genre": 1}), json!({"userID": "alice", "genre": 1}), json!({"userID": "alice", "userIDs": [], "genre": 3})] {
            assert_eq!(s.post("/user/subscribe_users_status", Some(&alice), &bad).await.code(), 1001, "{bad}");
        }
        let r = s.post("/user/get_subscribe_users_status", Some(&alice), &json!({"userID": "alice"})).await;
        assert_eq!(r.ok(), json!({"statusList": []}));
        assert_eq!(s.post("/user/get_subscribe_users_status", Some(&alice), &json!({})).await.code(), 1001);
    }

    /// process_user_command_*: shapes (`CommandResp`), not-found errors, self-or-admin.
    async fn user_commands(backend) {
        let s = Server::start(backend, &["alice", "bob"]).await;
        let admin = s.admin_token().await;
        let alice = s.user_token(&admin, "alice", WEB).await;
        let add = json!({"userID": "alice", "type": 1, "uuid": "u-1", "value": "v1", "ex": {"value": "x1"}});
        let r = s.post("/user/process_user_command_add", Some(&alice), &add).await;
        assert_eq!(r.text(), EMPTY_OK);
        s.post("/user/process_user_command_add", Some(&alice), &json!({"userID": "alice", "type": 2, "uuid": "u-2"})).await.ok();

        let data = s.post("/user/process_user_command_get", Some(&alice), &json!({"userID": "alice", "type": 1})).await.ok();
        assert_eq!(keys(&data), ["CommandResp"]);
        let c = &data["CommandResp"][0];
        assert_eq!(keys(c), ["createTime", "ex", "type", "uuid", "value"]);
        assert_eq!((c["type"].clone(), c["uuid"].clone(), c["value"].clone(), c["ex"].clone()), (json!(1), json!("u-1"), json!("v1"), json!("x1")));
        let created = c["createTime"].as_i64().unwrap_or_default();
        assert!((created - now_s()).abs() < 60, "createTime in seconds: {created}");

        let upd = json!({"userID": "alice", "type": 1, "uuid": "u-1", "value": "v2"});
        assert_eq!(s.post("/user/process_user_command_update", Some(&alice), &upd).await.text(), EMPTY_OK);
        let data = s.post("/user/process_user_command_get_all", Some(&alice), &json!({"userID": "alice"})).await.ok();
        let all = data["CommandResp"].as_array().expect("array");
        assert_eq!(all.len(), 2);
        assert_eq!((all[0]["value"].clone(), all[0]["ex"].clone()), (json!("v2"), json!("x1")));

        let del = json!({"userID": "alice", "type": 1, "uuid": "u-1"});
        assert_eq!(s.post("/user/process_user_command_delete", Some(&alice), &del).await.text(), EMPTY_OK);
        let r = s.post("/user/process_user_command_delete", Some(&alice), &del).await;
        assert_eq!(r.code(), 1004);
        let r = s.post("/user/process_user_command_update", Some(&alice), &upd).await;
        assert_eq!(r.code(), 1004);
        let data = s.post("/user/process_user_command_get", Some(&alice), &json!({"userID": "alice", "type": 1})).await.ok();
        assert_eq!(data, json!({"CommandResp": []}));

        // Self or admin on every command route.
        for (path, body) in [
            ("/user/process_user_command_add", json!({"userID": "bob", "type": 1, "uuid": "x"})),
            ("/user/process_user_command_update", json!({"userID": "bob", "type": 1, "uuid": "x", "value": "v"})),
            ("/user/process_user_command_delete", json!({"userID": "bob", "type": 1, "uuid": "x"})),
            ("/user/process_user_command_get", json!({"userID": "bob", "type": 1})),
            ("/user/process_user_command_get_all", json!({"userID": "bob"})),
        ] {
            assert_eq!(s.post(path, Some(&alice), &body).await.code(), 1002, "{path}");
            assert_ne!(s.post(path, Some(&admin), &body).await.code(), 1002, "{path}");
        }
        // Argument errors; an unknown owner → 1101.
        for body in [json!({"userID": "alice", "type": 0, "uuid": "x"}), json!({"userID": "alice", "type": 1, "uuid": ""})] {
            assert_eq!(s.post("/user/process_user_command_add", Some(&alice), &body).await.code(), 1001, "{body}");
        }
        let r = s.post("/user/process_user_command_add", Some(&admin), &json!({"userID": "ghost", "type": 1, "uuid": "x"})).await;
        assert_eq!((r.code(), r.json()["errMsg"].clone()), (1101, json!("UserIDNotFoundError")));
        let r = s.post("/user/process_user_command_add", Some(&alice), &json!({"userID": "alice", "type": 1, "uuid": "x", "value": 3})).await;
        assert!(r.dlt().starts_with("value"), "{}", r.text());
    }

    /// add/update/search_notification_account (admin only).
    async fn notification_accounts(backend) {
        let s = Server::start(backend, &["alice"]).await;
        let admin = s.admin_token().await;
        let alice = s.user_token(&admin, "alice", WEB).await;
        let r = s.post("/user/add_notification_account", Some(&admin),
            &json!({"userID": "news", "nickName": "News", "faceURL": "http://f/n", "appMangerLevel": 3})).await;
        assert_eq!(r.ok(), json!({"userID": "news", "faceURL": "http://f/n", "nickName": "News", "appMangerLevel": 3}));
        let data = s.post("/user/add_notification_account", Some(&admin), &json!({"nickName": "Bot", "appMangerLevel": 4})).await.ok();
        let generated = data["userID"].as_str().expect("generated ID").to_string();
        assert!(generated.len() == 10 && generated.bytes().all(|b| b.is_ascii_digit()) && !generated.starts_with('0'), "{generated}");
        for (body, what) in [
            (json!({"userID": "n2", "nickName": "N", "appMangerLevel": 1}), "level"),
            (json!({"userID": "n2", "appMangerLevel": 3}), "nickName"),
            (json!({"userID": "news", "nickName": "N", "appMangerLevel": 3}), "used"),
            (json!({"userID": "a:b", "nickName": "N", "appMangerLevel": 3}), "illegal"),
        ] {
            let r = s.post("/user/add_notification_account", Some(&admin), &body).await;
            assert_eq!(r.code(), 1001, "{what}: {}", r.text());
        }

        let r = s.post("/user/update_notification_account", Some(&admin), &json!({"userID": "news", "nickName": "Daily"})).await;
        assert_eq!(r.text(), EMPTY_OK);
        assert_eq!(info(&s, &admin, "news").await["faceURL"], "http://f/n");
        for body in [json!({"userID": "ghost", "nickName": "x"}), json!({"userID": "news"}), json!({"nickName": "x"})] {
            assert_eq!(s.post("/user/update_notification_account", Some(&admin), &body).await.code(), 1001, "{body}");
        }

        let search = |kw: &str| json!({"keyword": kw, "pagination": {"pageNumber": 1, "showNumber": 10}});
        let data = s.post("/user/search_notification_account", Some(&admin), &search("news")).await.ok();
        assert_eq!(keys(&data), ["notificationAccounts", "total"]);
        assert_eq!(data["total"], 1);
        assert_eq!(data["notificationAccounts"][0], json!({"userID": "news", "faceURL": "http://f/n", "nickName": "Daily", "appMangerLevel": 3}));
        let data = s.post("/user/search_notification_account", Some(&admin), &search("Bot")).await.ok();
        assert_eq!((data["total"].clone(), data["notificationAccounts"][0]["userID"].clone()), (json!(1), json!(generated)));
        // Without a keyword: level-3 accounts (not the admin, not robots); with a level filter: that level.
        let data = s.post("/user/search_notification_account", Some(&admin), &search("")).await.ok();
        assert_eq!((data["total"].clone(), data["notificationAccounts"][0]["userID"].clone()), (json!(1), json!("news")));
        let body = json!({"keyword": "", "appManagerLevel": 4, "pagination": {"pageNumber": 1, "showNumber": 10}});
        let data = s.post("/user/search_notification_account", Some(&admin), &body).await.ok();
        assert_eq!(data["total"], 1);
        // Ordinary users are not notification accounts.
        let data = s.post("/user/search_notification_account", Some(&admin), &search("alice")).await.ok();
        assert_eq!(data, json!({"total": 0, "notificationAccounts": []}));
        assert_eq!(s.post("/user/search_notification_account", Some(&admin), &json!({"keyword": "x"})).await.code(), 1001);

        for path in ["/user/add_notification_account", "/user/update_notification_account", "/user/search_notification_account"] {
            assert_eq!(s.post(path, Some(&alice), &json!({})).await.code(), 1002, "{path}");
        }
    }

    /// self_register / self_login (seed 004): whitelisted, tenant-scoped, password checked.
    async fn self_service(backend) {
        let s = Server::start(backend, &["plain"]).await;
        let t = Some("1000");
        let reg = json!({"userID": "user_10001", "nickname": "Alice", "faceURL": "http://f/a", "ex": "e", "password": "pa55word"});
        let r = s.post_in(t, "/user/self_register", None, &reg).await;
        assert_eq!(r.ok(), json!({"userID": "user_10001"}));
        assert_eq!(s.post_in(t, "/user/self_register", None, &reg).await.code(), 1102);

        let login = |pw: &str, platform: i64| json!({"userID": "user_10001", "platformID": platform, "password": pw});
        let data = s.post_in(t, "/user/self_login", None, &login("pa55word", IOS as i64)).await.ok();
        assert_eq!(keys(&data), ["expireTimeSeconds", "token"]);
        assert_eq!(data["expireTimeSeconds"], json!(90 * 86_400));
        let token = data["token"].as_str().expect("token").to_string();
        // The token is a user token of tenant 1000.
        let r = s.post_in(t, "/user/get_users_info", Some(&token), &json!({"userIDs": ["user_10001"]})).await;
        let u = r.ok()["usersInfo"][0].clone();
        assert_eq!((u["nickname"].clone(), u["appMangerLevel"].clone(), u["ex"].clone()), (json!("Alice"), json!(0), json!("e")));
        let r = s.post("/user/get_users_info", Some(&token), &json!({"userIDs": ["user_10001"]})).await;
        assert_eq!(r.code(), 1505, "another tenant's token: {}", r.text());
        let admin = s.admin_token().await;
        assert_eq!(info(&s, &admin, "user_10001").await, Value::Null, "not registered in the default tenant");

        // Errors.
        assert_eq!(s.post_in(t, "/user/self_login", None, &login("wrong", 1)).await.code(), 1002);
        assert_eq!(s.post_in(t, "/user/self_login", None, &login("pa55word", 10)).await.code(), 1002);
        assert_eq!(s.post_in(t, "/user/self_login", None, &login("pa55word", 99)).await.code(), 1001);
        assert_eq!(s.post_in(t, "/user/self_login", None, &login("", 1)).await.code(), 1001);
        let r = s.post_in(t, "/user/self_login", None, &json!({"userID": "ghost", "platformID": 1, "password": "x"})).await;
        assert_eq!((r.code(), r.json()["errMsg"].clone()), (1101, json!("UserIDNotFoundError")));
        // A user registered by an admin has no password.
        let r = s.post("/user/self_login", None, &json!({"userID": "plain", "platformID": 1, "password": "x"})).await;
        assert_eq!(r.code(), 1002);
        for (body, what) in [
            (json!({"userID": "u2", "nickname": "n"}), "no password"),
            (json!({"userID": "u2", "password": "p"}), "no nickname"),
            (json!({"userID": "a:b", "nickname": "n", "password": "p"}), "bad userID"),
            (json!({"userID": "u2", "nickname": "n", "password": 5}), "wrong type"),
        ] {
            assert_eq!(s.post_in(t, "/user/self_register", None, &body).await.code(), 1001, "{what}");
        }
        // Admin IDs are reserved, even in a tenant where the admin does not exist yet.
        let r = s.post_in(Some("fresh"), "/user/self_register", None,
            &json!({"userID": ADMIN, "nickname": "x", "password": "p"})).await;
        assert_eq!(r.code(), 1002, "{}", r.text());
        // Still needs operationID.
        let url = format!("{}/user/self_login", s.base);
        let r = s.send(s.http.post(url).json(&login("pa55word", 1))).await;
        assert_eq!((r.code(), r.dlt()), (1001, "header must have operationID".to_string()));
    }

    /// Headers, broken bodies and token states on every token-checked /user route.
    async fn token_and_body_errors(backend) {
        let s = Server::start(backend, &["alice"]).await;
        let admin = s.admin_token().await;
        let kicked = s.user_token(&admin, "alice", WEB).await;
        s.post("/auth/force_logout", Some(&admin), &json!({"userID": "alice", "platformID": WEB})).await.ok();
        let now = now_s();
        let expired = sign(SECRET, &json!({"UserID": "alice", "PlatformID": WEB, "exp": now - 10, "iat": now - 100}));
        let forged = sign("not-the-secret", &json!({"UserID": ADMIN, "PlatformID": 10, "exp": now + 3600, "iat": now}));
        let never_issued = sign(SECRET, &json!({"UserID": "alice", "PlatformID": IOS, "exp": now + 3600, "iat": now - 5}));
        let not_yet = sign(SECRET, &json!({"UserID": "alice", "PlatformID": WEB, "exp": now + 3600, "nbf": now + 600}));
        let cases = [
            (expired.as_str(), 1501),
            ("garbage", 1503),
            (not_yet.as_str(), 1504),
            (forged.as_str(), 1505),
            (kicked.as_str(), 1506),
            (never_issued.as_str(), 1507),
        ];
        for route in im_fn_user::ROUTES.iter().filter(|r| r.auth.needs_token()) {
            let p = route.path;
            for (token, code) in cases {
                let r = s.post(p, Some(token), &json!({})).await;
                assert_eq!((r.status, r.code()), (200, code), "{p}: {}", r.text());
            }
            let r = s.post(p, None, &json!({})).await;
            assert_eq!((r.code(), r.dlt()), (1001, "header must have token".to_string()), "{p}");
            let url = format!("{}{p}", s.base);
            let r = s.send(s.http.post(&url).header("token", &admin).json(&json!({}))).await;
            assert_eq!((r.code(), r.dlt()), (1001, "header must have operationID".to_string()), "{p}");
            let r = s.send(s.http.post(&url).header("operationID", "1").header("token", &admin).body("{oops")).await;
            assert_eq!((r.status, r.code()), (200, 1001), "{p}: {}", r.text());
            assert!(r.json().get("data").is_none(), "{p}");
        }
    }
}
