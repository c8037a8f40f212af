//! Black-box tests of every /group route (and /statistics/group/create) against the real
//! im-server binary, each on the embedded store and on DynamoDB (see `support`): success shapes
//! (exact key sets) and the documented errors (1001, 1002, 1004, 1101, 1201, 1202, 1204, 1206).

mod support;

use serde_json::{Value, json};
use support::*;

const WEB: i32 = 5;

/// The empty success envelope, byte for byte.
const EMPTY_OK: &str = r#"{"errCode":0,"errMsg":"","errDlt":""}"#;

const GROUP_INFO_KEYS: [&str; 17] = [
    "applyMemberFriend",
    "createTime",
    "creatorUserID",
    "ex",
    "faceURL",
    "groupID",
    "groupName",
    "groupType",
    "introduction",
    "lookMemberInfo",
    "memberCount",
    "needVerification",
    "notification",
    "notificationUpdateTime",
    "notificationUserID",
    "ownerUserID",
    "status",
];

const MEMBER_KEYS: [&str; 12] = [
    "appMangerLevel",
    "ex",
    "faceURL",
    "groupID",
    "inviterUserID",
    "joinSource",
    "joinTime",
    "muteEndTime",
    "nickname",
    "operatorUserID",
    "roleLevel",
    "userID",
];

const REQUEST_KEYS: [&str; 11] = [
    "ex",
    "groupInfo",
    "handleMsg",
    "handleResult",
    "handleTime",
    "handleUserID",
    "inviterUserID",
    "joinSource",
    "reqMsg",
    "reqTime",
    "userInfo",
];

/// A server with users and a token per user.
struct Env {
    s: Server,
    admin: String,
    tokens: Vec<(String, String)>,
}

impl Env {
    async fn start(backend: Backend, users: &[&str]) -> Env {
        let s = Server::start(backend, users).await;
        let admin = s.admin_token().await;
        let mut tokens = Vec::new();
        for u in users {
            tokens.push((u.to_string(), s.user_token(&admin, u, WEB).await));
        }
        Env { s, admin, tokens }
    }

    fn token(&self, user: &str) -> &str {
        if user == ADMIN {
            return &self.admin;
        }
        self.tokens.iter().find(|(u, _)| u == user).map(|(_, t)| t.as_str()).expect("known user")
    }

    async fn post(&self, user: &str, path: &str, body: Value) -> Resp {
        self.s.post(path, Some(self.token(user)), &body).await
    }

    /// errCode of a call.
    async fn code(&self, user: &str, path: &str, body: Value) -> i64 {
        self.post(user, path, body).await.code()
    }

    /// `data` of a call, asserting success.
    async fn ok(&self, user: &str, path: &str, body: Value) -> Value {
        self.post(user, path, body).await.ok()
    }

    async fn create(&self, owner: &str, admins: &[&str], members: &[&str], info: Value) -> String {
        let body = json!({"ownerUserID": owner, "adminUserIDs": admins, "memberUserIDs": members, "groupInfo": info});
        let data = self.ok(owner, "/group/create_group", body).await;
        data["groupInfo"]["groupID"].as_str().expect("groupID").to_string()
    }

    async fn member_ids(&self, user: &str, gid: &str) -> Vec<String> {
        let data = self.ok(user, "/group/get_group_member_user_id", json!({"groupID": gid})).await;
        data["userIDs"].as_array().expect("ids").iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect()
    }

    async fn group(&self, user: &str, gid: &str) -> Value {
        let data = self.ok(user, "/group/get_groups_info", json!({"groupIDs": [gid]})).await;
        data["groupInfos"][0].clone()
    }

    async fn member(&self, user: &str, gid: &str, who: &str) -> Value {
        let data = self.ok(user, "/group/get_group_members_info", json!({"groupID": gid, "userIDs": [who]})).await;
        data["members"][0].clone()
    }
}

async fn abstract_info(e: &Env, user: &str, gid: &str) -> Value {
    e.ok(user, "/group/get_group_abstract_info", json!({"groupIDs": [gid]})).await
}

fn page(n: i32, s: i32) -> Value {
    json!({"pageNumber": n, "showNumber": s})
}

on_both_backends! {
    /// create_group (shapes, errors, legacy shape) and every read route right after it.
    async fn create_and_read(backend) {
        let e = Env::start(backend, &["alice", "bob", "carol", "dave", "eve"]).await;
        let info = json!({"groupName": "Study Group", "notification": "Be nice", "groupType": 2, "ex": "x<&>"});
        let body = json!({"ownerUserID": "alice", "adminUserIDs": ["dave"], "memberUserIDs": ["bob", "carol"], "groupInfo": info});
        let data = e.ok("alice", "/group/create_group", body).await;
        assert_eq!(keys(&data), ["groupInfo"]);
        let g = &data["groupInfo"];
        assert_eq!(keys(g), GROUP_INFO_KEYS);
        let gid = g["groupID"].as_str().expect("id").to_string();
        assert!(gid.len() <= 10 && gid.bytes().all(|b| b.is_ascii_digit()), "generated numeric ID: {gid}");
        assert_eq!((g["memberCount"].clone(), g["ownerUserID"].clone(), g["groupType"].clone()), (json!(4), json!("alice"), json!(2)));
        assert_eq!((g["status"].clone(), g["ex"].clone(), g["notification"].clone()), (json!(0), json!("x<&>"), json!("Be nice")));
        assert!((g["createTime"].as_i64().unwrap_or(0) - now_s() * 1000).abs() < 60_000);

        // Errors: group type, owner, members, users, IDs.
        let create = |owner: &str, members: Value, info: Value| json!({"ownerUserID": owner, "memberUserIDs": members, "groupInfo": info});
        let ok_info = json!({"groupName": "g", "groupType": 2});
        assert_eq!(e.code("alice", "/group/create_group", create("alice", json!([]), json!({"groupType": 1}))).await, 1001);
        assert_eq!(e.code("alice", "/group/create_group", create("", json!([]), ok_info.clone())).await, 1001);
        assert_eq!(e.code("bob", "/group/create_group", create("alice", json!([]), ok_info.clone())).await, 1002);
        assert_eq!(e.code("alice", "/group/create_group", create("alice", json!(["nobody"]), ok_info.clone())).await, 1101);
        assert_eq!(e.code("alice", "/group/create_group", create("alice", json!(["bob", "bob"]), ok_info.clone())).await, 1001);
        let many: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
        assert_eq!(e.code("alice", "/group/create_group", create("alice", json!(many), ok_info.clone())).await, 1001);
        let taken = json!({"groupID": gid, "groupName": "dup", "groupType": 2});
        assert_eq!(e.code("alice", "/group/create_group", create("alice", json!([]), taken)).await, 1202);
        let r = e.post("alice", "/group/create_group", json!({"ownerUserID": "alice", "groupInfo": {"groupType": "2"}})).await;
        assert_eq!(r.code(), 1001, "a quoted number is a decode error");
        // An app admin creates for someone else, with a chosen ID.
        let chosen = json!({"groupID": "g-admin-1", "groupName": "by admin", "groupType": 2});
        let data = e.ok(ADMIN, "/group/create_group", create("eve", json!([]), chosen)).await;
        assert_eq!((data["groupInfo"]["groupID"].clone(), data["groupInfo"]["ownerUserID"].clone()), (json!("g-admin-1"), json!("eve")));
        // The old shape: memberList with setRole; answered with groupID as well.
        let legacy = json!({"memberList": [{"uid": "eve", "setRole": 1}, {"uid": "bob", "setRole": 2}, {"userID": "carol", "setRole": 0}],
            "groupName": "old", "introduction": "i", "faceUrl": "http://f"});
        let data = e.ok(ADMIN, "/group/create_group", legacy).await;
        assert_eq!(keys(&data), ["groupID", "groupInfo"]);
        assert_eq!(data["groupID"], data["groupInfo"]["groupID"]);
        assert_eq!((data["groupInfo"]["ownerUserID"].clone(), data["groupInfo"]["memberCount"].clone()), (json!("eve"), json!(3)));
        assert_eq!(data["groupInfo"]["faceURL"], "http://f");

        // get_groups_info (any token): existing groups only.
        let data = e.ok("eve", "/group/get_groups_info", json!({"groupIDs": [gid, "nope"]})).await;
        assert_eq!(keys(&data), ["groupInfos"]);
        assert_eq!(data["groupInfos"].as_array().map(Vec::len), Some(1));
        assert_eq!(e.code("eve", "/group/get_groups_info", json!({"groupIDs": []})).await, 1001);

        // get_group_members_info (members): profile nickname filled in.
        let data = e.ok("bob", "/group/get_group_members_info", json!({"groupID": gid, "userIDs": ["dave", "alice", "zed"]})).await;
        assert_eq!(keys(&data), ["members"]);
        let members = data["members"].as_array().expect("members").clone();
        assert_eq!(members.len(), 2);
        assert_eq!(keys(&members[0]), MEMBER_KEYS);
        assert_eq!((members[0]["userID"].clone(), members[0]["roleLevel"].clone(), members[0]["nickname"].clone()), (json!("dave"), json!(60), json!("dave")));
        assert_eq!((members[1]["roleLevel"].clone(), members[1]["joinSource"].clone(), members[1]["inviterUserID"].clone()), (json!(100), json!(2), json!("alice")));
        assert_eq!(e.code("eve", "/group/get_group_members_info", json!({"groupID": gid, "userIDs": ["bob"]})).await, 1002);
        assert_eq!(e.code("bob", "/group/get_group_members_info", json!({"groupID": gid, "userIDs": []})).await, 1001);

        // get_group_member_list: pages, keyword, errors.
        let list = |n, s, k: &str| json!({"pagination": page(n, s), "groupID": gid, "filter": 0, "keyword": k});
        let data = e.ok("bob", "/group/get_group_member_list", list(1, 3, "")).await;
        assert_eq!(keys(&data), ["members", "total"]);
        assert_eq!((data["total"].clone(), data["members"].as_array().map(Vec::len)), (json!(4), Some(3)));
        let data = e.ok("bob", "/group/get_group_member_list", list(2, 3, "")).await;
        assert_eq!(data["members"].as_array().map(Vec::len), Some(1));
        let data = e.ok("bob", "/group/get_group_member_list", list(1, 10, "car")).await;
        assert_eq!((data["total"].clone(), data["members"][0]["userID"].clone()), (json!(1), json!("carol")));
        assert_eq!(e.code("bob", "/group/get_group_member_list", list(0, 10, "")).await, 1001);
        assert_eq!(e.code("eve", "/group/get_group_member_list", list(1, 10, "")).await, 1002);
        assert_eq!(e.code(ADMIN, "/group/get_group_member_list", list(1, 10, "")).await, 0);

        // get_group_member_user_id (members): every ID.
        assert_eq!(e.member_ids("carol", &gid).await, ["alice", "bob", "carol", "dave"]);
        assert_eq!(e.code("eve", "/group/get_group_member_user_id", json!({"groupID": gid})).await, 1002);

        // get_joined_group_list (self): bob is in the first and the legacy group.
        let data = e.ok("bob", "/group/get_joined_group_list", json!({"pagination": page(1, 10), "fromUserID": "bob"})).await;
        assert_eq!(keys(&data), ["groups", "total"]);
        assert_eq!(data["total"], 2);
        assert_eq!(keys(&data["groups"][0]), GROUP_INFO_KEYS);
        assert_eq!(e.code("bob", "/group/get_joined_group_list", json!({"pagination": page(1, 10), "fromUserID": "alice"})).await, 1002);

        // get_group_abstract_info: count and a member-list hash that follows member changes.
        let a1 = abstract_info(&e, "bob", &gid).await;
        assert_eq!(keys(&a1), ["groupAbstractInfos"]);
        let info = &a1["groupAbstractInfos"][0];
        assert_eq!(keys(info), ["groupID", "groupMemberListHash", "groupMemberNumber"]);
        assert_eq!(info["groupMemberNumber"], 4);
        assert!(info["groupMemberListHash"].as_u64().unwrap_or(0) > 0);
        assert_eq!(abstract_info(&e, "alice", &gid).await, a1, "the hash is stable");
        let nick = json!({"members": [{"groupID": gid, "userID": "bob", "nickname": "Bobby"}]});
        assert_eq!(e.post("bob", "/group/set_group_member_info", nick).await.text(), EMPTY_OK);
        assert_ne!(abstract_info(&e, "alice", &gid).await, a1, "a member change changes the hash");
        assert_eq!(e.code("eve", "/group/get_group_abstract_info", json!({"groupIDs": [gid]})).await, 1002);
        assert_eq!(e.code(ADMIN, "/group/get_group_abstract_info", json!({"groupIDs": ["nope"]})).await, 1201);
        assert_eq!(e.code("bob", "/group/get_group_abstract_info", json!({"groupIDs": [gid, gid]})).await, 1001);

        // get_groups (app admins): name search and by ID.
        let data = e.ok(ADMIN, "/group/get_groups", json!({"pagination": page(1, 10), "groupName": "Study", "groupID": ""})).await;
        assert_eq!(keys(&data), ["groups", "total"]);
        assert_eq!(data["total"], 1);
        assert_eq!(keys(&data["groups"][0]), ["groupInfo", "groupOwnerUserID", "groupOwnerUserName"]);
        assert_eq!((data["groups"][0]["groupOwnerUserID"].clone(), data["groups"][0]["groupOwnerUserName"].clone()), (json!("alice"), json!("alice")));
        let data = e.ok(ADMIN, "/group/get_groups", json!({"pagination": page(1, 10), "groupID": "g-admin-1"})).await;
        assert_eq!(data["total"], 1);
        assert_eq!(e.code("alice", "/group/get_groups", json!({"pagination": page(1, 10)})).await, 1002);

        // The sync routes a client calls right after the 1501 push.
        let data = e.ok("carol", "/group/get_incremental_join_groups", json!({"userID": "carol", "versionID": "", "version": 0})).await;
        assert_eq!(keys(&data), ["delete", "full", "insert", "sortVersion", "update", "version", "versionID"]);
        assert_eq!(data["full"], true);
        assert!(data["version"].as_u64().unwrap_or(0) >= 2, "carol joined two groups");
        assert_eq!(data["versionID"].as_str().map(str::len), Some(24));
        assert_eq!(e.code("carol", "/group/get_incremental_join_groups", json!({"userID": "bob", "versionID": "", "version": 0})).await, 1002);
        let data = e.ok("carol", "/group/get_incremental_group_members", json!({"groupID": gid, "versionID": "", "version": 0})).await;
        assert_eq!(keys(&data), ["delete", "full", "group", "insert", "sortVersion", "update", "version", "versionID"]);
        assert_eq!((data["full"].clone(), data["group"]["groupID"].clone()), (json!(true), json!(gid)));
        assert_eq!(e.code("eve", "/group/get_incremental_group_members", json!({"groupID": gid})).await, 1002);
        let batch = json!({"userID": "carol", "reqList": [{"groupID": gid, "versionID": "", "version": 0}]});
        let data = e.ok("carol", "/group/get_incremental_group_members_batch", batch).await;
        assert_eq!(keys(&data), ["respList"]);
        assert_eq!(data["respList"][&gid]["full"], true);
        let data = e.ok("carol", "/group/get_full_group_member_user_ids", json!({"idHash": 0, "groupID": gid})).await;
        assert_eq!(keys(&data), ["equal", "userIDs", "version", "versionID"]);
        assert_eq!((data["equal"].clone(), data["userIDs"].as_array().map(Vec::len)), (json!(false), Some(4)));
        assert_eq!(e.code("eve", "/group/get_full_group_member_user_ids", json!({"idHash": 0, "groupID": gid})).await, 1002);
        let data = e.ok("carol", "/group/get_full_join_group_ids", json!({"idHash": 0, "userID": "carol"})).await;
        assert_eq!(keys(&data), ["equal", "groupIDs", "version", "versionID"]);
        assert_eq!(data["groupIDs"].as_array().map(Vec::len), Some(2));
        assert_eq!(e.code("carol", "/group/get_full_join_group_ids", json!({"idHash": 0, "userID": "bob"})).await, 1002);

        // /statistics/group/create (app admins).
        let data = e.ok(ADMIN, "/statistics/group/create", json!({"start": 1, "end": (now_s() + 86_400) * 1000})).await;
        assert_eq!(keys(&data), ["before", "count", "total"]);
        assert_eq!((data["total"].clone(), data["before"].clone()), (json!(3), json!(0)));
        assert_eq!(data["count"].as_object().map(|m| m.values().filter_map(Value::as_i64).sum::<i64>()), Some(3));
        assert_eq!(e.code(ADMIN, "/statistics/group/create", json!({"start": 0, "end": 1})).await, 1001);
        assert_eq!(e.code("alice", "/statistics/group/create", json!({"start": 1, "end": 2})).await, 1002);
    }

    /// join_group, the application lists, group_application_response, invitations under each
    /// needVerification, and the closed quirks.
    async fn joins_and_applications(backend) {
        let e = Env::start(backend, &["alice", "bob", "erin", "frank", "gina"]).await;
        let gid = e.create("alice", &[], &["bob"], json!({"groupName": "g", "groupType": 2, "needVerification": 0})).await;
        let apply = |who: &str, src: i32| json!({"groupID": gid, "reqMessage": "hi", "joinSource": src, "inviterUserID": who, "ex": "e"});
        assert_eq!(e.post("erin", "/group/join_group", apply("erin", 3)).await.text(), EMPTY_OK);
        // [quirk closed] applying for someone else needs an app admin.
        assert_eq!(e.code("erin", "/group/join_group", apply("frank", 3)).await, 1002);
        assert_eq!(e.code("erin", "/group/join_group", apply("erin", 0)).await, 1001);
        assert_eq!(e.code("bob", "/group/join_group", apply("bob", 3)).await, 1001, "already a member");
        assert_eq!(e.code("erin", "/group/join_group", json!({"groupID": "nope", "joinSource": 3})).await, 1201);
        // The old `reqMsg` key, and no inviterUserID (= the caller).
        assert_eq!(e.code("gina", "/group/join_group", json!({"groupID": gid, "reqMsg": "old key", "joinSource": 4})).await, 0);

        let recv = |from: &str, results: Value| json!({"pagination": page(1, 10), "fromUserID": from, "groupIDs": [], "handleResults": results});
        let data = e.ok("alice", "/group/get_recv_group_applicationList", recv("alice", json!([]))).await;
        assert_eq!(keys(&data), ["groupRequests", "total"]);
        assert_eq!(data["total"], 2);
        let req0 = &data["groupRequests"][0];
        assert_eq!(keys(req0), REQUEST_KEYS);
        assert_eq!(keys(&req0["userInfo"]), ["ex", "faceURL", "nickname", "userID"]);
        assert_eq!(req0["groupInfo"]["groupID"], json!(gid));
        let by_user: Vec<(Value, Value)> = data["groupRequests"].as_array().expect("list").iter().map(|r| (r["userInfo"]["userID"].clone(), r["reqMsg"].clone())).collect();
        assert!(by_user.contains(&(json!("gina"), json!("old key"))), "{by_user:?}");
        assert!(by_user.contains(&(json!("erin"), json!("hi"))), "{by_user:?}");
        // [quirk closed] fromUserID must be the caller.
        assert_eq!(e.code("bob", "/group/get_recv_group_applicationList", recv("alice", json!([]))).await, 1002);
        assert_eq!(e.code(ADMIN, "/group/get_recv_group_applicationList", recv("alice", json!([]))).await, 0);
        let listed = json!({"pagination": page(1, 10), "fromUserID": "bob", "groupIDs": [gid]});
        assert_eq!(e.code("bob", "/group/get_recv_group_applicationList", listed).await, 1002, "explicit groups need owner/admin");
        assert_eq!(e.ok("bob", "/group/get_recv_group_applicationList", recv("bob", json!([]))).await["total"], 0);

        let mine = |user: &str| json!({"pagination": page(1, 10), "userID": user});
        let data = e.ok("erin", "/group/get_user_req_group_applicationList", mine("erin")).await;
        assert_eq!((data["total"].clone(), data["groupRequests"][0]["handleResult"].clone()), (json!(1), json!(0)));
        assert_eq!(e.code("erin", "/group/get_user_req_group_applicationList", mine("gina")).await, 1002);
        assert_eq!(e.code(ADMIN, "/group/get_user_req_group_applicationList", mine("nobody")).await, 1101);

        let users = |list: Value| json!({"groupID": gid, "userIDs": list});
        let data = e.ok("alice", "/group/get_group_users_req_application_list", users(json!(["erin", "gina", "bob"]))).await;
        assert_eq!((keys(&data), data["total"].clone()), (vec!["groupRequests".to_string(), "total".into()], json!(2)));
        assert_eq!(data["groupRequests"][0]["userInfo"]["userID"], "erin", "the applicant's profile is filled in");
        assert_eq!(e.ok("erin", "/group/get_group_users_req_application_list", users(json!(["erin"]))).await["total"], 1);
        assert_eq!(e.code("erin", "/group/get_group_users_req_application_list", users(json!(["gina"]))).await, 1002);

        let one = |user: &str| json!({"groupID": gid, "userID": user});
        let data = e.ok("erin", "/group/get_specified_user_group_request_info", one("erin")).await;
        assert_eq!((keys(&data), data["total"].clone()), (vec!["groupRequests".to_string(), "total".into()], json!(1)));
        assert_eq!(e.ok("alice", "/group/get_specified_user_group_request_info", one("gina")).await["total"], 1);
        assert_eq!(e.code("bob", "/group/get_specified_user_group_request_info", one("erin")).await, 1002);

        let count = |user: &str| json!({"userID": user, "time": 0});
        assert_eq!(e.ok("alice", "/group/get_group_application_unhandled_count", count("alice")).await, json!({"count": 2}));
        assert_eq!(e.code("bob", "/group/get_group_application_unhandled_count", count("alice")).await, 1002);
        let later = json!({"userID": "alice", "time": (now_s() + 3600) * 1000});
        assert_eq!(e.ok("alice", "/group/get_group_application_unhandled_count", later).await["count"], 0);

        let respond = |who: &str, result: i32| json!({"groupID": gid, "fromUserID": who, "handledMsg": "ok", "handleResult": result});
        assert_eq!(e.code("bob", "/group/group_application_response", respond("erin", 1)).await, 1002);
        assert_eq!(e.code("alice", "/group/group_application_response", respond("erin", 0)).await, 1001);
        assert_eq!(e.code("alice", "/group/group_application_response", respond("frank", 1)).await, 1004, "no application");
        assert_eq!(e.post("alice", "/group/group_application_response", respond("erin", 1)).await.text(), EMPTY_OK);
        assert_eq!(e.code("alice", "/group/group_application_response", respond("erin", 1)).await, 1206);
        assert_eq!(e.code("alice", "/group/group_application_response", respond("gina", -1)).await, 0);
        assert_eq!(e.member_ids("alice", &gid).await, ["alice", "bob", "erin"]);
        let data = e.ok("alice", "/group/get_recv_group_applicationList", recv("alice", json!([1]))).await;
        assert_eq!(data["total"], 1);
        assert_eq!((data["groupRequests"][0]["handleUserID"].clone(), data["groupRequests"][0]["handleMsg"].clone()), (json!("alice"), json!("ok")));
        assert_eq!(e.ok("alice", "/group/get_group_application_unhandled_count", count("alice")).await["count"], 0);

        // needVerification 2: join directly.
        let direct = json!({"groupID": gid, "needVerification": 2});
        assert_eq!(e.post("alice", "/group/set_group_info_ex", direct).await.text(), EMPTY_OK);
        assert_eq!(e.code("frank", "/group/join_group", apply("frank", 3)).await, 0);
        assert!(e.member_ids("alice", &gid).await.contains(&"frank".to_string()));
        assert_eq!(e.member("alice", &gid, "frank").await["joinSource"], 3);

        // needVerification 1: an ordinary member's invitation becomes an application; the owner's is a join.
        let all = json!({"groupID": gid, "needVerification": 1});
        assert_eq!(e.code("alice", "/group/set_group_info_ex", all).await, 0);
        let invite = |who: &str| json!({"groupID": gid, "reason": "come", "invitedUserIDs": [who]});
        assert_eq!(e.post("bob", "/group/invite_user_to_group", invite("gina")).await.text(), EMPTY_OK);
        assert!(!e.member_ids("alice", &gid).await.contains(&"gina".to_string()));
        let data = e.ok("alice", "/group/get_specified_user_group_request_info", one("gina")).await;
        assert_eq!((data["groupRequests"][0]["inviterUserID"].clone(), data["groupRequests"][0]["joinSource"].clone()), (json!("bob"), json!(2)));
        assert_eq!(e.code("alice", "/group/invite_user_to_group", json!({"groupID": gid, "uidList": ["gina"]})).await, 0, "the old uidList key");
        assert!(e.member_ids("alice", &gid).await.contains(&"gina".to_string()));
        // Invitation errors.
        assert_eq!(e.code("alice", "/group/invite_user_to_group", json!({"groupID": gid, "invitedUserIDs": []})).await, 1001);
        assert_eq!(e.code("alice", "/group/invite_user_to_group", invite("nobody")).await, 1101);
        assert_eq!(e.code("alice", "/group/invite_user_to_group", json!({"groupID": gid, "invitedUserIDs": ["x", "x"]})).await, 1001);
        let outsider_group = e.create("gina", &[], &[], json!({"groupName": "other", "groupType": 2})).await;
        assert_eq!(e.code("alice", "/group/invite_user_to_group", json!({"groupID": outsider_group, "invitedUserIDs": ["bob"]})).await, 1002);
        assert_eq!(e.code("alice", "/group/invite_user_to_group", json!({"groupID": "nope", "invitedUserIDs": ["bob"]})).await, 1201);
        // Inviting members again is a no-op.
        assert_eq!(e.code("alice", "/group/invite_user_to_group", invite("bob")).await, 0);
        assert_eq!(e.group("alice", &gid).await["memberCount"], 5);
    }

    /// Info, mutes, member info, kick, quit, transfer, dismiss.
    async fn changes_and_removals(backend) {
        let e = Env::start(backend, &["alice", "bob", "carol", "dave", "erin"]).await;
        let gid = e.create("alice", &["dave"], &["bob", "carol", "erin"], json!({"groupName": "g", "groupType": 2})).await;

        // set_group_info (and the old `groupInfo` key), set_group_info_ex.
        let set = json!({"groupInfoForSet": {"groupID": gid, "groupName": "renamed", "notification": "notice", "needVerification": 2}});
        assert_eq!(e.post("dave", "/group/set_group_info", set).await.text(), EMPTY_OK);
        let g = e.group("bob", &gid).await;
        assert_eq!((g["groupName"].clone(), g["notification"].clone(), g["notificationUserID"].clone(), g["needVerification"].clone()), (json!("renamed"), json!("notice"), json!("dave"), json!(2)));
        assert!(g["notificationUpdateTime"].as_i64().unwrap_or(0) > 0);
        assert_eq!(e.code("alice", "/group/set_group_info", json!({"groupInfo": {"groupID": gid, "introduction": "old key"}})).await, 0);
        assert_eq!(e.group("bob", &gid).await["introduction"], "old key");
        assert_eq!(e.code("bob", "/group/set_group_info", json!({"groupInfoForSet": {"groupID": gid, "groupName": "x"}})).await, 1002);
        assert_eq!(e.code("alice", "/group/set_group_info", json!({"groupInfoForSet": {"groupID": ""}})).await, 1001);
        assert_eq!(e.code("alice", "/group/set_group_info", json!({"groupInfoForSet": {"groupID": "nope", "groupName": "x"}})).await, 1002);
        assert_eq!(e.code(ADMIN, "/group/set_group_info", json!({"groupInfoForSet": {"groupID": "nope", "groupName": "x"}})).await, 1201);
        let ex = json!({"groupID": gid, "groupName": "ex name", "ex": "", "faceURL": "http://f", "applyMemberFriend": 1});
        assert_eq!(e.post("alice", "/group/set_group_info_ex", ex).await.text(), EMPTY_OK);
        let g = e.group("bob", &gid).await;
        assert_eq!((g["groupName"].clone(), g["faceURL"].clone(), g["applyMemberFriend"].clone(), g["notification"].clone()), (json!("ex name"), json!("http://f"), json!(1), json!("notice")));
        assert_eq!(e.code("alice", "/group/set_group_info_ex", json!({"groupID": gid, "groupName": "  "})).await, 1001);
        assert_eq!(e.code("alice", "/group/set_group_info_ex", json!({"groupID": gid, "needVerification": "1"})).await, 1001);

        // Member mute.
        let mute = |who: &str, secs: i64| json!({"groupID": gid, "userID": who, "mutedSeconds": secs});
        assert_eq!(e.post("dave", "/group/mute_group_member", mute("bob", 600)).await.text(), EMPTY_OK);
        let until = e.member("alice", &gid, "bob").await["muteEndTime"].as_i64().unwrap_or(0);
        assert!((until - (now_s() + 600) * 1000).abs() < 60_000, "{until}");
        assert_eq!(e.code("dave", "/group/mute_group_member", mute("bob", 0)).await, 1001);
        assert_eq!(e.code("dave", "/group/mute_group_member", mute("alice", 60)).await, 1002);
        assert_eq!(e.code("bob", "/group/mute_group_member", mute("carol", 60)).await, 1002);
        assert_eq!(e.code("dave", "/group/mute_group_member", mute("nobody", 60)).await, 1004);
        assert_eq!(e.post("dave", "/group/cancel_mute_group_member", json!({"groupID": gid, "userID": "bob"})).await.text(), EMPTY_OK);
        assert_eq!(e.member("alice", &gid, "bob").await["muteEndTime"], 0);
        assert_eq!(e.code("bob", "/group/cancel_mute_group_member", json!({"groupID": gid, "userID": "carol"})).await, 1002);

        // Group mute.
        assert_eq!(e.post("dave", "/group/mute_group", json!({"groupID": gid})).await.text(), EMPTY_OK);
        assert_eq!(e.group("bob", &gid).await["status"], 3);
        assert_eq!(e.code("bob", "/group/mute_group", json!({"groupID": gid})).await, 1002);
        assert_eq!(e.post("alice", "/group/cancel_mute_group", json!({"groupID": gid})).await.text(), EMPTY_OK);
        assert_eq!(e.group("bob", &gid).await["status"], 0);
        assert_eq!(e.code("bob", "/group/cancel_mute_group", json!({"groupID": gid})).await, 1002);

        // Member info: nickname, roles.
        let info = |who: &str, extra: Value| {
            let mut m = json!({"groupID": gid, "userID": who});
            if let (Some(m), Some(x)) = (m.as_object_mut(), extra.as_object()) {
                m.extend(x.clone());
            }
            json!({"members": [m]})
        };
        assert_eq!(e.post("carol", "/group/set_group_member_info", info("carol", json!({"nickname": "Caro", "ex": "e"}))).await.text(), EMPTY_OK);
        let carol = e.member("alice", &gid, "carol").await;
        assert_eq!((carol["nickname"].clone(), carol["ex"].clone()), (json!("Caro"), json!("e")));
        assert_eq!(e.code("alice", "/group/set_group_member_info", info("carol", json!({"roleLevel": 60}))).await, 0);
        assert_eq!(e.member("alice", &gid, "carol").await["roleLevel"], 60);
        assert_eq!(e.code("alice", "/group/set_group_member_info", info("carol", json!({"roleLevel": 100}))).await, 1002);
        assert_eq!(e.code("alice", "/group/set_group_member_info", info("carol", json!({"roleLevel": 30}))).await, 1001);
        assert_eq!(e.code("bob", "/group/set_group_member_info", info("bob", json!({"roleLevel": 60}))).await, 1002);
        assert_eq!(e.code("alice", "/group/set_group_member_info", info("nobody", json!({"nickname": "n"}))).await, 1001);
        assert_eq!(e.code("alice", "/group/set_group_member_info", json!({"members": []})).await, 1001);

        // Kick: errors, then an ordinary member, then by the old shape.
        let kick = |list: Value| json!({"groupID": gid, "kickedUserIDs": list, "reason": "r"});
        assert_eq!(e.code("bob", "/group/kick_group", kick(json!(["erin"]))).await, 1002);
        assert_eq!(e.code("dave", "/group/kick_group", kick(json!(["carol"]))).await, 1002, "admins do not kick admins");
        assert_eq!(e.code("alice", "/group/kick_group", kick(json!(["alice"]))).await, 1001);
        assert_eq!(e.code("dave", "/group/kick_group", kick(json!(["alice"]))).await, 1001, "nobody kicks the owner");
        assert_eq!(e.code("alice", "/group/kick_group", kick(json!(["nobody"]))).await, 1101);
        assert_eq!(e.code("alice", "/group/kick_group", kick(json!([]))).await, 1001);
        assert_eq!(e.code("alice", "/group/kick_group", json!({"groupID": "nope", "kickedUserIDs": ["bob"]})).await, 1201);
        assert_eq!(e.post("dave", "/group/kick_group", kick(json!(["erin"]))).await.text(), EMPTY_OK);
        assert_eq!(e.member_ids("alice", &gid).await, ["alice", "bob", "carol", "dave"]);
        assert_eq!(e.code("erin", "/group/get_group_member_list", json!({"pagination": page(1, 10), "groupID": gid})).await, 1002);

        // Quit.
        assert_eq!(e.post("bob", "/group/quit_group", json!({"groupID": gid})).await.text(), EMPTY_OK);
        assert_eq!(e.code("bob", "/group/quit_group", json!({"groupID": gid})).await, 1004);
        assert_eq!(e.code("alice", "/group/quit_group", json!({"groupID": gid, "userID": "alice"})).await, 1002, "the owner cannot quit");
        assert_eq!(e.code("dave", "/group/quit_group", json!({"groupID": gid, "userID": "carol"})).await, 1002);
        assert_eq!(e.group("alice", &gid).await["memberCount"], 3);

        // Transfer.
        let transfer = |old: &str, new: &str| json!({"groupID": gid, "oldOwnerUserID": old, "newOwnerUserID": new});
        assert_eq!(e.code("dave", "/group/transfer_group", transfer("alice", "dave")).await, 1002);
        assert_eq!(e.code("alice", "/group/transfer_group", transfer("alice", "alice")).await, 1001);
        assert_eq!(e.code("alice", "/group/transfer_group", transfer("alice", "bob")).await, 1001, "bob left");
        assert_eq!(e.post("alice", "/group/transfer_group", transfer("alice", "dave")).await.text(), EMPTY_OK);
        assert_eq!(e.group("alice", &gid).await["ownerUserID"], "dave");
        assert_eq!(e.member("dave", &gid, "alice").await["roleLevel"], 60, "the old owner takes the new owner's role");
        assert_eq!(e.code("alice", "/group/quit_group", json!({"groupID": gid})).await, 0, "no longer the owner");
        assert_eq!(e.code("dave", "/group/transfer_group", json!({"groupID": gid, "newOwnerUserID": "carol"})).await, 0, "old owner defaults to the current one");
        assert_eq!(e.group("dave", &gid).await["ownerUserID"], "carol");

        // Dismiss.
        assert_eq!(e.code("dave", "/group/dismiss_group", json!({"groupID": gid})).await, 1002);
        assert_eq!(e.post("carol", "/group/dismiss_group", json!({"groupID": gid, "deleteMember": false})).await.text(), EMPTY_OK);
        assert_eq!(e.group("dave", &gid).await["status"], 2);
        assert_eq!(e.code("carol", "/group/dismiss_group", json!({"groupID": gid})).await, 1204);
        assert_eq!(e.code("carol", "/group/mute_group", json!({"groupID": gid})).await, 1204, "a dismissed group stays dismissed");
        assert_eq!(e.code("carol", "/group/get_incremental_group_members", json!({"groupID": gid})).await, 1204);
        assert_eq!(e.code("carol", "/group/invite_user_to_group", json!({"groupID": gid, "invitedUserIDs": ["bob"]})).await, 1204);
        assert_eq!(e.code("bob", "/group/join_group", json!({"groupID": gid, "joinSource": 3})).await, 1204);
        assert_eq!(e.code("carol", "/group/dismiss_group", json!({"groupID": "nope"})).await, 1201);
        // deleteMember removes everyone: the group leaves the members' joined lists.
        let g2 = e.create("bob", &[], &["erin"], json!({"groupName": "g2", "groupType": 2})).await;
        assert_eq!(e.code("bob", "/group/dismiss_group", json!({"groupID": g2, "deleteMember": true})).await, 0);
        let joined = e.ok("erin", "/group/get_joined_group_list", json!({"pagination": page(1, 10), "fromUserID": "erin"})).await;
        assert_eq!(joined["total"], 0);
        assert_eq!(e.group("erin", &g2).await["memberCount"], 0);
    }

    /// Members sync their lists after create, invite and kick through the version logs.
    async fn version_sync(backend) {
        let e = Env::start(backend, &["alice", "bob", "carol", "dave"]).await;
        let gid = e.create("alice", &[], &["bob"], json!({"groupName": "g", "groupType": 2})).await;
        let inc = |vid: &Value, v: &Value| json!({"groupID": gid, "versionID": vid, "version": v});
        let full = e.ok("bob", "/group/get_incremental_group_members", inc(&json!(""), &json!(0))).await;
        let (vid, v) = (full["versionID"].clone(), full["version"].clone());
        let joined = e.ok("bob", "/group/get_incremental_join_groups", json!({"userID": "bob", "versionID": "", "version": 0})).await;
        let (jvid, jv) = (joined["versionID"].clone(), joined["version"].clone());

        let invite = json!({"groupID": gid, "invitedUserIDs": ["carol", "dave"]});
        assert_eq!(e.code("bob", "/group/invite_user_to_group", invite).await, 0);
        let d = e.ok("bob", "/group/get_incremental_group_members", inc(&vid, &v)).await;
        assert_eq!(d["full"], false);
        let mut inserted: Vec<String> = d["insert"].as_array().expect("insert").iter().map(|m| m["userID"].as_str().unwrap_or_default().to_string()).collect();
        inserted.sort();
        assert_eq!(inserted, ["carol", "dave"]);
        assert_eq!(d["insert"][0]["inviterUserID"], "bob");
        assert_eq!(d["group"]["memberCount"], 4);
        let v2 = d["version"].clone();

        assert_eq!(e.code("alice", "/group/kick_group", json!({"groupID": gid, "kickedUserIDs": ["carol"]})).await, 0);
        let d = e.ok("bob", "/group/get_incremental_group_members", inc(&vid, &v2)).await;
        assert_eq!((d["delete"].clone(), d["insert"].clone()), (json!(["carol"]), json!([])));
        let batch = json!({"userID": "bob", "reqList": [{"groupID": gid, "versionID": vid, "version": v2}]});
        let b = e.ok("bob", "/group/get_incremental_group_members_batch", batch).await;
        assert_eq!(b["respList"][&gid]["delete"], json!(["carol"]));

        // carol's joined-group log has the group inserted then deleted; bob's nothing new.
        let c = e.ok("carol", "/group/get_incremental_join_groups", json!({"userID": "carol", "versionID": "", "version": 0})).await;
        assert_eq!(c["full"], true);
        let same = e.ok("bob", "/group/get_incremental_join_groups", json!({"userID": "bob", "versionID": jvid, "version": jv})).await;
        assert_eq!((same["full"].clone(), same["insert"].clone(), same["delete"].clone()), (json!(false), json!([]), json!([])));

        // idHash: equal when the client holds the server's list.
        let f = e.ok("bob", "/group/get_full_group_member_user_ids", json!({"idHash": 0, "groupID": gid})).await;
        assert_eq!(f["userIDs"], json!(["alice", "bob", "dave"]));
        let f2 = e.ok("bob", "/group/get_full_group_member_user_ids", json!({"idHash": 1, "groupID": gid})).await;
        assert_eq!(f2["equal"], false);
    }
}
