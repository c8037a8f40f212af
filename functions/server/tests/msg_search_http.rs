//! `/msg/search_msg` against the real im-server on both backends: admin only; filters by sender,
//! receiver (the group for session type 3), content type and send day; newest first with the
//! total and pagination; names and group info filled in; revoked messages flagged; physically
//! deleted messages gone from both search paths (day log and pinned conversation).

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use support::*;

const WEB: i32 = 5;

fn text(send: &str, recv: &str, body: &str) -> Value {
    json!({"sendID": send, "recvID": recv, "content": {"content": body}, "contentType": 101, "sessionType": 1})
}

/// Today (UTC) as `YYYY-MM-DD`.
fn today() -> String {
    let ms = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
    im_domain::clock::utc_day(ms)
}

fn search(send: &str, recv: &str, session: i32, day: &str, page: i32, show: i32) -> Value {
    json!({"sendID": send, "recvID": recv, "contentType": 0, "sessionType": session, "sendTime": day,
        "pagination": {"pageNumber": page, "showNumber": show}})
}

/// (total, [(sendID, seq, content text)]) of a search.
async fn run(s: &Server, admin: &str, body: &Value) -> (i64, Vec<(String, i64, String)>, Value) {
    let d = s.post("/msg/search_msg", Some(admin), body).await.ok();
    let logs = d["chatLogs"].as_array().cloned().unwrap_or_default();
    let rows = logs
        .iter()
        .map(|l| {
            let c = &l["chatLog"];
            let inner: Value = serde_json::from_str(c["content"].as_str().unwrap_or("{}")).unwrap_or_default();
            let send = c["sendID"].as_str().unwrap_or_default().to_string();
            (send, c["seq"].as_i64().unwrap_or(0), inner["content"].as_str().unwrap_or_default().to_string())
        })
        .collect();
    (d["chatLogsNum"].as_i64().unwrap_or(-1), rows, d)
}

/// Waits until the day log holds `n` entries (the transfer stage writes them after the send).
async fn wait_logged(s: &Server, admin: &str, n: i64) {
    for _ in 0..200 {
        if run(s, admin, &search("", "", 0, &today(), 1, 100)).await.0 == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the day log never reached {n} entries:\n{}", s.log());
}

on_both_backends! {
    /// Filters, order, pagination, names, revoke flag, physical deletes, admin-only rule.
    async fn search_messages(backend) {
        let s = Server::start(backend, &["alice", "bob", "carol"]).await;
        let admin = s.admin_token().await;
        let alice = s.user_token(&admin, "alice", WEB).await;
        let group = json!({"ownerUserID": "alice", "memberUserIDs": ["carol"],
            "groupInfo": {"groupID": "g1", "groupName": "Search Group", "groupType": 2}});
        s.post("/group/create_group", Some(&admin), &group).await.ok();
        for (from, to, body) in [("alice", "bob", "a1"), ("alice", "bob", "a2"), ("bob", "alice", "b1"), ("alice", "carol", "c1")] {
            s.post("/msg/send_msg", Some(&admin), &text(from, to, body)).await.ok();
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let g = json!({"sendID": "alice", "groupID": "g1", "content": {"content": "g1"}, "contentType": 101, "sessionType": 3});
        s.post("/msg/send_msg", Some(&admin), &g).await.ok();
        wait_logged(&s, &admin, 5).await;

        // Admin only (OpenIM checks nothing here).
        assert_eq!(s.post("/msg/search_msg", Some(&alice), &search("alice", "bob", 1, "", 1, 10)).await.code(), 1002);
        assert_eq!(s.post("/msg/search_msg", Some(&admin), &search("", "", 0, "2024-13-01", 1, 10)).await.code(), 1001);
        assert_eq!(s.post("/msg/search_msg", Some(&admin), &json!({"sendID": "alice"})).await.code(), 1001);

        // A pinned conversation, any day: one direction only, newest first, names filled in.
        let (n, rows, d) = run(&s, &admin, &search("alice", "bob", 1, "", 1, 10)).await;
        assert_eq!(n, 2, "{d}");
        let texts: Vec<&str> = rows.iter().map(|r| r.2.as_str()).collect();
        assert_eq!(texts, ["a2", "a1"]);
        let c = &d["chatLogs"][0]["chatLog"];
        assert_eq!((c["senderNickname"].as_str(), c["recvNickname"].as_str()), (Some("alice"), Some("bob")), "{d}");
        assert_eq!((c["sessionType"].as_i64(), c["contentType"].as_i64()), (Some(1), Some(101)));

        // The day: everything, paginated.
        let day = today();
        let (n, rows, _) = run(&s, &admin, &search("", "", 0, &day, 1, 2)).await;
        assert_eq!((n, rows.len()), (5, 2));
        assert_eq!(rows[0].2, "g1", "newest first");
        let (_, rows3, _) = run(&s, &admin, &search("", "", 0, &day, 3, 2)).await;
        assert_eq!(rows3.iter().map(|r| r.2.as_str()).collect::<Vec<_>>(), ["a1"]);
        let (n, _, _) = run(&s, &admin, &search("alice", "", 0, &day, 1, 10)).await;
        assert_eq!(n, 4, "alice sent four messages today");
        let (n, _, _) = run(&s, &admin, &search("", "", 0, "", 1, 10)).await;
        assert_eq!(n, 5, "no day: the recent days' logs");
        let (n, _, _) = run(&s, &admin, &search("", "", 0, "2000-01-01", 1, 10)).await;
        assert_eq!(n, 0);
        let only_pictures = json!({"contentType": 102, "sendTime": day, "pagination": {"pageNumber": 1, "showNumber": 10}});
        assert_eq!(run(&s, &admin, &only_pictures).await.0, 0);

        // Group search: recvID names the group.
        let (n, rows, d) = run(&s, &admin, &search("", "g1", 3, &day, 1, 10)).await;
        assert_eq!((n, rows[0].2.as_str()), (1, "g1"), "{d}");
        let c = &d["chatLogs"][0]["chatLog"];
        assert_eq!((c["groupName"].as_str(), c["recvID"].as_str(), c["groupMemberCount"].as_i64()), (Some("Search Group"), Some("g1"), Some(2)), "{d}");
        let (n, _, _) = run(&s, &admin, &search("alice", "g1", 3, "", 1, 10)).await;
        assert_eq!(n, 1, "pinned group conversation");

        // Revoked messages are flagged.
        let revoke = json!({"conversationID": "si_alice_bob", "seq": 2, "userID": "alice"});
        s.post("/msg/revoke_msg", Some(&alice), &revoke).await.ok();
        let (_, _, d) = run(&s, &admin, &search("alice", "bob", 1, "", 1, 10)).await;
        assert_eq!((d["chatLogs"][0]["isRevoked"].as_bool(), d["chatLogs"][0]["chatLog"]["seq"].as_i64()), (Some(true), Some(2)), "{d}");
        assert!(!d["chatLogs"][1]["isRevoked"].as_bool().unwrap_or(false), "{d}");

        // Physically deleted messages leave both paths.
        let phys = json!({"conversationID": "si_alice_bob", "seqs": [1]});
        s.post("/msg/delete_msg_phsical_by_seq", Some(&admin), &phys).await.ok();
        let (n, rows, _) = run(&s, &admin, &search("alice", "bob", 1, "", 1, 10)).await;
        assert_eq!((n, rows.len()), (1, 1));
        let (n, rows, _) = run(&s, &admin, &search("", "", 0, &day, 1, 10)).await;
        assert_eq!((n, rows.len()), (4, 4));
        assert!(rows.iter().all(|r| r.2 != "a1"));
    }
}
