//! The read side (reference §6.4): newest seqs (`/msg/newest_seq`, WS 1001), range pulls
//! (`/msg/pull_msg_by_seq`, WS 1002), explicit-seq pulls (WS 1005), read and max seqs
//! (`/msg/get_conversations_has_read_and_max_seq`, WS 1006) and last messages (WS 1007).
//!
//! Every requested seq inside the reader's window comes back: a stored message as the reader
//! sees it (deleted for them → status 4 without content; revoked → content type 2101), a missing
//! one as a `{seq, status: 4}` placeholder. Quotes of revoked messages are rewritten on the way
//! ([`crate::quote`]).

mod access;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use im_conversation::record::ConversationRecord;
use im_conversation::seqs::{self, ReadState};
use im_domain::store::{Consistency, Item, Query, SortCondition};
use im_domain::{ImError, ImResult, TenantId, ids};
use im_wire::pb::msg::{
    ConversationSeqs, GetConversationsHasReadAndMaxSeqReq, GetConversationsHasReadAndMaxSeqResp, GetLastMessageResp,
    GetSeqMessageReq, GetSeqMessageResp, Seqs,
};
use im_wire::pb::sdkws::{
    GetMaxSeqResp, MsgData, PullMessageBySeqsReq, PullMessageBySeqsResp, PullMsgs, PullOrder, SeqRange,
};
use tokio::task::JoinSet;

pub use access::{Visible, is_party, notification_twin};

use crate::{Messaging, keys, record};

/// Conversations of one pull read concurrently.
const PARALLEL: usize = 16;

/// The map a conversation's messages go to in a pull response.
fn bucket<'a>(
    cid: &str,
    msgs: &'a mut BTreeMap<String, PullMsgs>,
    notification_msgs: &'a mut BTreeMap<String, PullMsgs>,
) -> &'a mut BTreeMap<String, PullMsgs> {
    if ids::is_notification_conversation(cid) { notification_msgs } else { msgs }
}

/// The seqs a range pull returns: the request clamped to the window; for chat conversations at
/// most the last `num` of them (`num` capped by `max`), for notification conversations at most
/// the last `max`.
pub fn range_seqs(cid: &str, begin: i64, end: i64, num: i64, window: (i64, i64), max: i64) -> Vec<i64> {
    let (min_seq, max_seq) = window;
    if min_seq > end {
        return Vec::new();
    }
    let (b, e) = (begin.max(min_seq), end.min(max_seq));
    if e < b {
        return Vec::new();
    }
    let cap = if ids::is_notification_conversation(cid) { max } else { num.min(max) };
    if cap <= 0 {
        return Vec::new();
    }
    let first = if e - b < cap { b } else { e - cap + 1 };
    (first..=e).collect()
}

impl Messaging {
    /// `/msg/newest_seq` and WS 1001: the max seq of each of the user's conversations, of their
    /// notification twins and of the user's own `n_<uid>_<uid>` (zeros left out); `minSeqs` names
    /// the conversations whose first visible seq is above 1.
    pub async fn newest_seq(&self, t: &TenantId, user: &str) -> ImResult<GetMaxSeqResp> {
        let rows = self.conversations().list(t, user).await?;
        let mut cids: BTreeSet<String> = BTreeSet::new();
        for row in &rows {
            cids.insert(row.conversation_id.clone());
            if let Some(twin) = notification_twin(&row.conversation_id) {
                cids.insert(twin);
            }
        }
        cids.insert(ids::self_notification_conversation_id(user));
        let list: Vec<&str> = cids.iter().map(String::as_str).collect();
        let heads = seqs::heads(self.store().as_ref(), t, user, &list).await?;
        let by_cid: HashMap<&str, &ConversationRecord> = rows.iter().map(|r| (r.conversation_id.as_str(), r)).collect();
        let mut resp = GetMaxSeqResp::default();
        for (cid, head) in &heads {
            if head.max > 0 {
                resp.max_seqs.insert(cid.clone(), head.max);
            }
            let min = head.min.max(by_cid.get(cid.as_str()).map(|r| r.min_seq).unwrap_or(0));
            if head.max > 0 && min > 1 {
                resp.min_seqs.insert(cid.clone(), min);
            }
        }
        Ok(resp)
    }

    /// `/msg/pull_msg_by_seq` and WS 1002, for `user` (the request's `userID` is not trusted).
    pub async fn pull_by_range(
        &self,
        t: &TenantId,
        user: &str,
        req: &PullMessageBySeqsReq,
    ) -> ImResult<PullMessageBySeqsResp> {
        let order = req.order();
        let results = self
            .each(t, user, req.seq_ranges.clone(), move |m, t, user, range| async move {
                m.pull_range(&t, &user, &range, order).await
            })
            .await?;
        let mut resp = PullMessageBySeqsResp::default();
        for (cid, entry) in results.into_iter().flatten() {
            bucket(&cid, &mut resp.msgs, &mut resp.notification_msgs).insert(cid.clone(), entry);
        }
        Ok(resp)
    }

    /// One range of a range pull (`None`: unreadable, or nothing in the window).
    async fn pull_range(
        &self,
        t: &TenantId,
        user: &str,
        range: &SeqRange,
        order: PullOrder,
    ) -> ImResult<Option<(String, PullMsgs)>> {
        let cid = range.conversation_id.as_str();
        let Some(v) = self.visible(t, user, cid).await? else { return Ok(None) };
        let wanted = range_seqs(cid, range.begin, range.end, range.num, (v.min(), v.max()), self.config().max_pull);
        let msgs = self.fetch(t, user, cid, &wanted).await?;
        if msgs.is_empty() {
            return Ok(None);
        }
        let is_end = match order {
            PullOrder::Asc => v.max() <= range.end,
            PullOrder::Desc => range.begin <= v.min(),
        };
        Ok(Some((cid.to_string(), PullMsgs { msgs, is_end, end_seq: 0 })))
    }

    /// Runs `f` for each item, [`PARALLEL`] at a time; results in item order.
    async fn each<I, T, F, Fut>(&self, t: &TenantId, user: &str, items: Vec<I>, f: F) -> ImResult<Vec<T>>
    where
        I: Send + 'static,
        T: Send + 'static,
        F: Fn(Messaging, TenantId, String, I) -> Fut,
        Fut: Future<Output = ImResult<T>> + Send + 'static,
    {
        let mut out: Vec<(usize, T)> = Vec::with_capacity(items.len());
        let mut items = items.into_iter().enumerate().peekable();
        while items.peek().is_some() {
            let mut tasks = JoinSet::new();
            for (i, item) in items.by_ref().take(PARALLEL) {
                let fut = f(self.clone(), t.clone(), user.to_string(), item);
                tasks.spawn(async move { (i, fut.await) });
            }
            while let Some(joined) = tasks.join_next().await {
                let (i, r) = joined.map_err(|e| ImError::internal(format!("pull task: {e}")))?;
                out.push((i, r?));
            }
        }
        out.sort_by_key(|(i, _)| *i);
        Ok(out.into_iter().map(|(_, r)| r).collect())
    }

    /// WS 1005: explicit seqs. Seqs outside the window are left out; one beyond it in the pull
    /// direction sets `isEnd` with `endSeq` = the window's edge.
    pub async fn pull_by_seqs(&self, t: &TenantId, user: &str, req: &GetSeqMessageReq) -> ImResult<GetSeqMessageResp> {
        let desc = req.order() == PullOrder::Desc;
        let results = self
            .each(t, user, req.conversations.clone(), move |m, t, user, conv| async move {
                m.pull_seqs(&t, &user, &conv, desc).await
            })
            .await?;
        let mut resp = GetSeqMessageResp::default();
        for (cid, part) in results.into_iter().flatten() {
            let entry = bucket(&cid, &mut resp.msgs, &mut resp.notification_msgs).entry(cid).or_default();
            entry.msgs.extend(part.msgs);
            entry.is_end = part.is_end;
            entry.end_seq = part.end_seq;
        }
        Ok(resp)
    }

    /// One conversation of an explicit-seq pull (`None`: unreadable).
    async fn pull_seqs(
        &self,
        t: &TenantId,
        user: &str,
        conv: &ConversationSeqs,
        desc: bool,
    ) -> ImResult<Option<(String, PullMsgs)>> {
        let cid = conv.conversation_id.as_str();
        let Some(v) = self.visible(t, user, cid).await? else { return Ok(None) };
        let (mut is_end, mut end_seq) = (false, 0);
        let mut wanted = BTreeSet::new();
        for &s in conv.seqs.iter().filter(|s| **s > 0) {
            if s >= v.min() && s <= v.max() {
                wanted.insert(s);
            } else if s < v.min() && desc {
                (is_end, end_seq) = (true, v.min());
            } else if s > v.max() && !desc {
                (is_end, end_seq) = (true, v.max());
            }
        }
        let wanted: Vec<i64> = wanted.into_iter().take(usize::try_from(self.config().max_pull).unwrap_or(0)).collect();
        let msgs = self.fetch(t, user, cid, &wanted).await?;
        Ok(Some((cid.to_string(), PullMsgs { msgs, is_end, end_seq })))
    }

    /// WS 1007: the last visible message of each conversation that has one.
    pub async fn last_messages(&self, t: &TenantId, user: &str, cids: &[String]) -> ImResult<GetLastMessageResp> {
        let mut wants: Vec<(String, ReadState)> = Vec::new();
        for cid in cids.iter().collect::<BTreeSet<_>>() {
            if let Some(v) = self.visible(t, user, cid).await? {
                wants.push((cid.clone(), v.state));
            }
        }
        let refs: Vec<(&str, ReadState)> = wants.iter().map(|(c, s)| (c.as_str(), *s)).collect();
        let msgs = im_conversation::messages::last_messages(self.store().as_ref(), t, user, &refs).await?;
        Ok(GetLastMessageResp { msgs: msgs.into_iter().collect() })
    }

    /// `/msg/get_conversations_has_read_and_max_seq` and WS 1006: for each of the user's
    /// conversations (or the requested ones the user may read), the visible max seq, the read
    /// seq and the time of the last message.
    pub async fn has_read_and_max_seq(
        &self,
        t: &TenantId,
        user: &str,
        req: &GetConversationsHasReadAndMaxSeqReq,
    ) -> ImResult<GetConversationsHasReadAndMaxSeqResp> {
        let rows: Vec<ConversationRecord> = if req.conversation_ids.is_empty() {
            self.conversations().list(t, user).await?
        } else {
            self.conversations().get_many(t, user, &req.conversation_ids).await?
        };
        let by_cid: HashMap<String, ConversationRecord> =
            rows.into_iter().map(|r| (r.conversation_id.clone(), r)).collect();
        let mut cids: BTreeSet<String> = by_cid.keys().cloned().collect();
        for cid in &req.conversation_ids {
            if cid
                .strip_prefix("si_")
                .or_else(|| cid.strip_prefix("sn_"))
                .or_else(|| cid.strip_prefix("n_"))
                .is_some_and(|p| is_party(p, user))
            {
                cids.insert(cid.clone());
            }
        }
        let list: Vec<&str> = cids.iter().map(String::as_str).collect();
        let heads = seqs::heads(self.store().as_ref(), t, user, &list).await?;
        let mut resp = GetConversationsHasReadAndMaxSeqResp::default();
        for cid in &cids {
            let template = ConversationRecord::new(cid.as_str(), 0);
            let row = by_cid.get(cid).unwrap_or(&template);
            let head = heads.get(cid);
            let state = ReadState::of(row, head);
            let seqs = Seqs { max_seq: state.max_seq, has_read_seq: state.read_seq, max_seq_time: state.last_time };
            resp.seqs.insert(cid.clone(), seqs);
        }
        Ok(resp)
    }

    /// The messages at `seqs` (ascending) of `cid` as `user` sees them, with placeholders for
    /// seqs that hold none (quotes of revoked messages rewritten, [`crate::quote`]).
    pub async fn fetch(&self, t: &TenantId, user: &str, cid: &str, seqs: &[i64]) -> ImResult<Vec<MsgData>> {
        let (Some(&first), Some(&last)) = (seqs.first(), seqs.last()) else {
            return Ok(Vec::new());
        };
        let mut found: HashMap<i64, Item> = HashMap::with_capacity(seqs.len());
        let contiguous = usize::try_from(last - first + 1).is_ok_and(|n| n == seqs.len());
        if contiguous {
            let mut cursor = None;
            loop {
                let q = Query::partition(t, keys::message_pk(cid))
                    .sort(SortCondition::Between(keys::message_sk(first), keys::message_sk(last)))
                    .after(cursor);
                let page = self.store().query(&q).await?;
                for item in page.items {
                    if let Ok(seq) = item.key.sk.parse::<i64>() {
                        found.insert(seq, item);
                    }
                }
                cursor = page.cursor;
                if cursor.is_none() {
                    break;
                }
            }
        } else {
            for chunk in seqs.chunks(100) {
                let ks: Vec<_> = chunk.iter().map(|s| keys::message(t, cid, *s)).collect();
                let items = self.store().batch_get(&ks, Consistency::Strong).await?;
                for (seq, item) in chunk.iter().zip(items) {
                    if let Some(item) = item {
                        found.insert(*seq, item);
                    }
                }
            }
        }
        self.rewrite_quotes(t, cid, &mut found).await?;
        Ok(seqs
            .iter()
            .map(|s| found.get(s).and_then(|i| record::view(i, user)).unwrap_or_else(|| record::placeholder(*s)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_clamping() {
        // Window 1..=10.
        assert_eq!(range_seqs("si_a_b", 0, 100, 3, (1, 10), 1000), vec![8, 9, 10]);
        assert_eq!(range_seqs("si_a_b", 2, 4, 10, (1, 10), 1000), vec![2, 3, 4]);
        assert_eq!(range_seqs("si_a_b", 11, 20, 10, (1, 10), 1000), Vec::<i64>::new());
        assert_eq!(range_seqs("si_a_b", 1, 5, 10, (6, 10), 1000), Vec::<i64>::new());
        assert_eq!(range_seqs("si_a_b", 1, 10, 0, (1, 10), 1000), Vec::<i64>::new());
        assert_eq!(range_seqs("si_a_b", 1, 10, 100, (1, 10), 4), vec![7, 8, 9, 10]);
        // Notification conversations ignore num but keep the cap.
        assert_eq!(range_seqs("n_a_b", 1, 5, 1, (1, 10), 1000), vec![1, 2, 3, 4, 5]);
        assert_eq!(range_seqs("n_a_b", 0, i64::MAX, 1, (3, 10), 2), vec![9, 10]);
        // Nothing stored yet.
        assert_eq!(range_seqs("si_a_b", 0, 10, 10, (1, 0), 1000), Vec::<i64>::new());
    }
}
