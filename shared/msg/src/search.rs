//! `/msg/search_msg` (reference §1.5, A.5 `SearchMessageReq`): the admin message search by
//! sender, receiver, content type, session type and send day, newest first, with the total.
//!
//! DynamoDB has no secondary filter on messages without a scan, so the transfer stage writes a
//! small entry per stored chat message into a per-day log (`MLOG#<day>#<shard>`, 16 shards by
//! conversation, sort key `<sendTime:020>#<cid>#<seq:020>`, attributes `send`, `recv`, `grp`,
//! `ct`, `sst`, `cid`, `seq`): 1 WRU per message, off the synchronous send path. A search reads:
//!
//! * a pinned conversation (`sendID` and `recvID` with session type 1 or 0 → `si_`, 3 →
//!   `sg_<recvID>`) without a day: that conversation's messages (`MSG#<cid>`, its whole history);
//! * with a day: that day's log — one shard for a pinned conversation, all 16 otherwise;
//! * neither: the logs of the last [`crate::MsgConfig::search_days`] days (UTC).
//!
//! Matches are sorted by send time (newest first); the page's messages are read in one batch.
//! Only chat messages are searched (content types below 1000, as the statistics count them);
//! messages stored before the log existed are found through the pinned-conversation path only.

use std::collections::{BTreeSet, HashMap};

use im_domain::constants::{content_type, session_type};
use im_domain::store::{Consistency, Item, Key, Query, Store};
use im_domain::{ImError, ImResult, TenantId, ids};
use im_wire::pb::msg::{ChatLog, SearchChatLog, SearchMessageReq, SearchMessageResp};
use im_wire::pb::sdkws::MsgData;
use tokio::task::JoinSet;

use crate::record::{self, RevokeInfo, attr};
use crate::stats::day_of;
use crate::{Messaging, hash, keys};

/// Number of partitions a day's message log is spread over (by conversation ID).
pub const LOG_SHARDS: u64 = 16;
/// Largest page (`showNumber` ≤ 0 or above this reads this many).
pub const MAX_PAGE: usize = 1000;
/// Log partitions read concurrently.
const PARALLEL: usize = 16;

/// Attribute names of a log entry.
pub mod log_attr {
    /// Conversation ID (S).
    pub const CID: &str = "cid";
    /// Seq (N).
    pub const SEQ: &str = "seq";
    /// sendID (S).
    pub const SEND: &str = "send";
    /// recvID (S).
    pub const RECV: &str = "recv";
    /// groupID (S).
    pub const GROUP: &str = "grp";
    /// contentType (N).
    pub const CONTENT_TYPE: &str = "ct";
    /// sessionType (N).
    pub const SESSION_TYPE: &str = "sst";
}

/// Partition of one shard of a day's message log: `MLOG#<yyyy-mm-dd>#<shard:02>`.
pub fn log_pk(day: &str, shard: u64) -> String {
    format!("MLOG#{day}#{:02}", shard % LOG_SHARDS)
}

/// Key of the log entry of message `seq` of `cid` sent at `send_time` (ms).
pub fn log_key(t: &TenantId, cid: &str, seq: i64, send_time: i64) -> Key {
    let pk = log_pk(&day_of(send_time), hash::bucket(cid, LOG_SHARDS));
    Key::new(t, pk, format!("{:020}#{cid}#{:020}", send_time.max(0), seq))
}

/// Whether a stored message is searchable: a chat message with a seq.
pub fn searchable(msg: &MsgData) -> bool {
    msg.seq > 0 && msg.content_type < content_type::NOTIFICATION_BEGIN
}

/// Writes the log entry of a stored message of `cid` (nothing for unsearchable ones).
pub async fn record(store: &dyn Store, t: &TenantId, cid: &str, msg: &MsgData) -> ImResult<()> {
    if let Some(item) = entry(t, cid, msg) {
        store.put(item, None).await?;
    }
    Ok(())
}

/// The log entry of `msg` in `cid` (an unconditional put, so writing it twice is harmless), or
/// `None` when the message is not searchable.
pub fn entry(t: &TenantId, cid: &str, msg: &MsgData) -> Option<Item> {
    if !searchable(msg) {
        return None;
    }
    let item = Item::new(log_key(t, cid, msg.seq, msg.send_time))
        .with(log_attr::CID, cid)
        .with(log_attr::SEQ, msg.seq)
        .with(log_attr::SEND, msg.send_id.as_str())
        .with(log_attr::RECV, msg.recv_id.as_str())
        .with(log_attr::GROUP, msg.group_id.as_str())
        .with(log_attr::CONTENT_TYPE, msg.content_type)
        .with(log_attr::SESSION_TYPE, msg.session_type);
    Some(item)
}

/// Removes the log entry of a deleted message item (physical deletes).
pub async fn forget(store: &dyn Store, t: &TenantId, cid: &str, deleted: &Item) -> ImResult<()> {
    let (Ok(seq), Some(st)) = (deleted.key.sk.parse::<i64>(), deleted.n(attr::SEND_TIME)) else { return Ok(()) };
    store.delete(&log_key(t, cid, seq, st), None).await?;
    Ok(())
}

/// Parses `YYYY-MM-DD` (the day as written in log keys); 1001 otherwise.
pub fn parse_day(s: &str) -> ImResult<String> {
    let bad = || ImError::args(format!("invalid sendTime {s:?}: want YYYY-MM-DD"));
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| s.get(r).filter(|p| p.bytes().all(|c| c.is_ascii_digit()));
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else { return Err(bad()) };
    let (y, m, d): (i64, u32, u32) =
        (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d < 1 || d > days_in[(m - 1) as usize] {
        return Err(bad());
    }
    Ok(s.to_string())
}

/// What a search matches (the request's filters; empty / 0 = any).
#[derive(Debug, Clone, Default)]
struct Filter {
    send: String,
    recv: String,
    content_type: i32,
    session_type: i32,
    /// The conversation both IDs pin, if any.
    pinned: Option<String>,
}

impl Filter {
    fn of(req: &SearchMessageReq) -> Self {
        let pinned = if req.send_id.is_empty() || req.recv_id.is_empty() {
            None
        } else {
            match req.session_type {
                0 | session_type::SINGLE => {
                    ids::chat_conversation_id(session_type::SINGLE, &req.send_id, &req.recv_id, "")
                }
                session_type::READ_GROUP => ids::chat_conversation_id(session_type::READ_GROUP, "", "", &req.recv_id),
                _ => None,
            }
        };
        Filter {
            send: req.send_id.clone(),
            recv: req.recv_id.clone(),
            content_type: req.content_type,
            session_type: req.session_type,
            pinned,
        }
    }

    /// OpenIM: `recvID` names the group when searching group chats, else the receiver.
    fn matches(&self, send: &str, recv: &str, group: &str, ct: i64, st: i64) -> bool {
        let target = if self.session_type == session_type::READ_GROUP { group } else { recv };
        (self.send.is_empty() || self.send == send)
            && (self.recv.is_empty() || self.recv == target)
            && (self.content_type == 0 || i64::from(self.content_type) == ct)
            && (self.session_type == 0 || i64::from(self.session_type) == st)
            && ct < i64::from(content_type::NOTIFICATION_BEGIN)
    }
}

/// One match: (sendTime, conversation, seq).
type Hit = (i64, String, i64);

impl Messaging {
    /// `/msg/search_msg` (admin; see the module docs).
    pub async fn search(&self, t: &TenantId, req: &SearchMessageReq) -> ImResult<SearchMessageResp> {
        let (page, show) = match &req.pagination {
            Some(p) if p.page_number >= 1 => (p.page_number as usize, p.show_number),
            Some(_) => return Err(ImError::args("pageNumber is invalid")),
            None => return Err(ImError::args("pagination is empty")),
        };
        let show = if show <= 0 { MAX_PAGE } else { (show as usize).min(MAX_PAGE) };
        let day = if req.send_time.is_empty() { None } else { Some(parse_day(&req.send_time)?) };
        let filter = Filter::of(req);
        let mut hits = match (&filter.pinned, day) {
            (Some(cid), None) => self.conversation_hits(t, cid, &filter).await?,
            (_, Some(day)) => self.log_hits(t, vec![day], &filter).await?,
            (None, None) => {
                let today = self.now_ms().div_euclid(86_400_000);
                let days = (0..self.config().search_days.max(1)).map(|i| day_of((today - i) * 86_400_000)).collect();
                self.log_hits(t, days, &filter).await?
            }
        };
        hits.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)).then_with(|| b.2.cmp(&a.2)));
        let total = i32::try_from(hits.len()).unwrap_or(i32::MAX);
        let selected: Vec<Hit> = hits.into_iter().skip((page - 1).saturating_mul(show)).take(show).collect();
        let mut items: Vec<(Item, MsgData)> = Vec::with_capacity(selected.len());
        for chunk in selected.chunks(100) {
            let ks: Vec<Key> = chunk.iter().map(|(_, cid, seq)| keys::message(t, cid, *seq)).collect();
            for item in self.store().batch_get(&ks, Consistency::Eventual).await?.into_iter().flatten() {
                if let Some(msg) = record::stored_msg(&item) {
                    items.push((item, msg));
                }
            }
        }
        let chat_logs = self.chat_logs(t, items).await?;
        Ok(SearchMessageResp { chat_logs, chat_logs_num: total })
    }

    /// The matching messages of one conversation, read whole.
    async fn conversation_hits(&self, t: &TenantId, cid: &str, f: &Filter) -> ImResult<Vec<Hit>> {
        let mut hits = Vec::new();
        let mut cursor = None;
        loop {
            let page = self.store().query(&Query::partition(t, keys::message_pk(cid)).after(cursor)).await?;
            for item in &page.items {
                let Some(msg) = record::stored_msg(item) else { continue };
                let ct = i64::from(msg.content_type);
                if f.matches(&msg.send_id, &msg.recv_id, &msg.group_id, ct, i64::from(msg.session_type)) {
                    hits.push((msg.send_time, cid.to_string(), msg.seq));
                }
            }
            cursor = page.cursor;
            if cursor.is_none() {
                return Ok(hits);
            }
        }
    }

    /// The matching entries of the logs of `days` (only the pinned conversation's shard).
    async fn log_hits(&self, t: &TenantId, days: Vec<String>, f: &Filter) -> ImResult<Vec<Hit>> {
        let shards: Vec<u64> = match &f.pinned {
            Some(cid) => vec![hash::bucket(cid, LOG_SHARDS)],
            None => (0..LOG_SHARDS).collect(),
        };
        let mut parts: Vec<String> = Vec::new();
        for day in &days {
            parts.extend(shards.iter().map(|s| log_pk(day, *s)));
        }
        let mut hits = Vec::new();
        let mut parts = parts.into_iter().peekable();
        while parts.peek().is_some() {
            let mut tasks = JoinSet::new();
            for pk in parts.by_ref().take(PARALLEL) {
                let (store, t, f) = (self.store().clone(), t.clone(), f.clone());
                tasks.spawn(async move { log_partition(store.as_ref(), &t, pk, &f).await });
            }
            while let Some(joined) = tasks.join_next().await {
                hits.extend(joined.map_err(|e| ImError::internal(format!("search task: {e}")))??);
            }
        }
        Ok(hits)
    }

    /// The page as `ChatLog`s, with sender, receiver and group names filled in.
    async fn chat_logs(&self, t: &TenantId, items: Vec<(Item, MsgData)>) -> ImResult<Vec<SearchChatLog>> {
        let mut users: BTreeSet<String> = BTreeSet::new();
        let mut groups: BTreeSet<String> = BTreeSet::new();
        for (_, m) in &items {
            users.insert(m.send_id.clone());
            if m.session_type == session_type::READ_GROUP {
                groups.insert(m.group_id.clone());
            } else {
                users.insert(m.recv_id.clone());
            }
        }
        users.remove("");
        let ids: Vec<String> = users.into_iter().collect();
        let profiles: HashMap<String, (String, String)> = self
            .users()
            .get_many(t, &ids)
            .await?
            .into_iter()
            .map(|u| (u.user_id.clone(), (u.nickname, u.face_url)))
            .collect();
        let mut group_info = HashMap::new();
        for g in groups {
            if let Some(info) = self.groups().group(t, &g).await? {
                group_info.insert(g, info);
            }
        }
        let mut out = Vec::with_capacity(items.len());
        for (item, m) in items {
            let (nick, face) = profiles.get(&m.send_id).cloned().unwrap_or_default();
            let mut log = ChatLog {
                server_msg_id: m.server_msg_id.clone(),
                client_msg_id: m.client_msg_id.clone(),
                send_id: m.send_id.clone(),
                recv_id: m.recv_id.clone(),
                group_id: m.group_id.clone(),
                sender_platform_id: m.sender_platform_id,
                sender_nickname: if m.sender_nickname.is_empty() { nick } else { m.sender_nickname.clone() },
                sender_face_url: if m.sender_face_url.is_empty() { face } else { m.sender_face_url.clone() },
                session_type: m.session_type,
                msg_from: m.msg_from,
                content_type: m.content_type,
                content: String::from_utf8_lossy(&m.content).into_owned(),
                status: m.status,
                send_time: m.send_time,
                create_time: m.create_time,
                ex: m.ex.clone(),
                seq: m.seq,
                ..ChatLog::default()
            };
            if m.session_type == session_type::READ_GROUP {
                if let Some(g) = group_info.get(&m.group_id) {
                    log.recv_id = g.group_id.clone();
                    log.group_name = g.group_name.clone();
                    log.group_face_url = g.face_url.clone();
                    log.group_member_count = g.member_count;
                    log.group_type = g.group_type;
                }
            } else {
                log.recv_nickname = profiles.get(&m.recv_id).map(|p| p.0.clone()).unwrap_or_default();
            }
            out.push(SearchChatLog { chat_log: Some(log), is_revoked: RevokeInfo::of(&item).is_some() });
        }
        Ok(out)
    }
}

/// The matching entries of one log partition.
async fn log_partition(store: &dyn Store, t: &TenantId, pk: String, f: &Filter) -> ImResult<Vec<Hit>> {
    let mut hits = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.query(&Query::partition(t, pk.clone()).after(cursor)).await?;
        for e in &page.items {
            let s = |a: &str| e.s(a).unwrap_or_default().to_string();
            let n = |a: &str| e.n(a).unwrap_or_default();
            let cid = s(log_attr::CID);
            if f.pinned.as_ref().is_some_and(|p| *p != cid) {
                continue;
            }
            let (send, recv, group) = (s(log_attr::SEND), s(log_attr::RECV), s(log_attr::GROUP));
            if f.matches(&send, &recv, &group, n(log_attr::CONTENT_TYPE), n(log_attr::SESSION_TYPE)) {
                let st = e.key.sk.split('#').next().and_then(|p| p.parse::<i64>().ok()).unwrap_or_default();
                hits.push((st, cid, n(log_attr::SEQ)));
            }
        }
        cursor = page.cursor;
        if cursor.is_none() {
            return Ok(hits);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_keys() {
        assert_eq!(parse_day("2024-02-29").as_deref(), Ok("2024-02-29"));
        for bad in ["2023-02-29", "2024-13-01", "2024-1-01", "20240101", "2024-01-00", "abcd-ef-gh", "2024-01-01x"] {
            assert_eq!(parse_day(bad).map_err(|e| e.code), Err(1001), "{bad}");
        }
        let t = TenantId::default_tenant();
        let k = log_key(&t, "si_a_b", 7, 951_782_400_000);
        assert!(k.pk.starts_with("MLOG#2000-02-29#"), "{}", k.pk);
        assert_eq!(k.sk, "00000000951782400000#si_a_b#00000000000000000007");
    }

    #[test]
    fn filters() {
        let req = SearchMessageReq { send_id: "a".into(), recv_id: "g".into(), session_type: 3, ..Default::default() };
        let f = Filter::of(&req);
        assert_eq!(f.pinned.as_deref(), Some("sg_g"));
        assert!(f.matches("a", "", "g", 101, 3));
        assert!(!f.matches("a", "g", "", 101, 1));
        let f = Filter::of(&SearchMessageReq { send_id: "b".into(), recv_id: "a".into(), ..Default::default() });
        assert_eq!(f.pinned.as_deref(), Some("si_a_b"));
        assert!(f.matches("b", "a", "", 102, 1));
        assert!(!f.matches("a", "b", "", 102, 1), "direction matters, as in OpenIM");
        assert!(!f.matches("b", "a", "", 1501, 1), "notifications are not searched");
        let f = Filter::of(&SearchMessageReq { content_type: 102, ..Default::default() });
        assert_eq!(f.pinned, None);
        assert!(f.matches("x", "y", "", 102, 1) && !f.matches("x", "y", "", 101, 1));
    }
}
