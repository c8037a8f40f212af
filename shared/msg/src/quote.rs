//! Quote messages (content type 114) of revoked messages (reference §6.7: "quoted messages whose
//! quote points at a revoked seq are rewritten on read").
//!
//! A quote's content is the SDK's `QuoteElem` JSON, `{"text", "quoteMessage": {…, "seq",
//! "contentType", "content", "clientMsgID"}, …}`, a copy of the quoted message taken when it was
//! sent. When a read meets a quote whose quoted message (same conversation, `quoteMessage.seq`)
//! has since been revoked, the copy becomes what a reader of the original sees: `contentType`
//! 2101 and `content` = the revoked message's rendered content (`{"detail": "<revoke details>"}`);
//! every other key is kept. As OpenIM does, the rewrite is written back (conditional on the stored
//! message being unchanged), so each quote is rewritten once and later reads, the last-message
//! views included, serve the stored result. A quote whose `quoteMessage.clientMsgID` names
//! another message than the one at that seq is left alone.

use std::collections::HashMap;

use im_domain::constants::{content_type, notification};
use im_domain::store::{Condition, Consistency, Item, StoreError, Update};
use im_domain::{ImResult, TenantId};
use im_wire::pb::sdkws::MsgData;
use prost::Message as _;
use serde_json::Value;

use crate::record::{self, RevokeInfo, attr};
use crate::{Messaging, keys};

/// The quoted message a quote's content points at, when its copy is not yet a revoke:
/// (`quoteMessage.seq`, `quoteMessage.clientMsgID`).
pub fn pending_quote(content: &[u8]) -> Option<(i64, String)> {
    let v: Value = serde_json::from_slice(content).ok()?;
    let q = v.get("quoteMessage")?;
    let seq = q.get("seq")?.as_i64().filter(|s| *s > 0)?;
    if q.get("contentType").and_then(Value::as_i64) == Some(i64::from(notification::MSG_REVOKE)) {
        return None;
    }
    let cmid = q.get("clientMsgID").and_then(Value::as_str).unwrap_or_default().to_string();
    Some((seq, cmid))
}

/// `content` with its `quoteMessage` turned into a revoke carrying `revoked_content` (the revoked
/// message as readers see it); `None` when `content` is not a quote object.
pub fn rewritten(content: &[u8], revoked_content: &[u8]) -> Option<Vec<u8>> {
    let mut v: Value = serde_json::from_slice(content).ok()?;
    let q = v.get_mut("quoteMessage")?.as_object_mut()?;
    q.insert("contentType".into(), Value::from(notification::MSG_REVOKE));
    q.insert("content".into(), Value::from(String::from_utf8_lossy(revoked_content).into_owned()));
    serde_json::to_vec(&v).ok()
}

impl Messaging {
    /// Applies the quote rewrite to the quotes among `found` (items of conversation `cid` by seq),
    /// reading quoted messages not in `found` in batches; rewritten items are written back and
    /// replaced in `found`.
    pub async fn rewrite_quotes(&self, t: &TenantId, cid: &str, found: &mut HashMap<i64, Item>) -> ImResult<()> {
        let mut quotes: Vec<(i64, MsgData, i64, String)> = Vec::new();
        for (seq, item) in found.iter() {
            if item.n(attr::CONTENT_TYPE) != Some(i64::from(content_type::QUOTE)) || RevokeInfo::of(item).is_some() {
                continue;
            }
            let Some(msg) = record::stored_msg(item) else { continue };
            if let Some((quoted, cmid)) = pending_quote(&msg.content) {
                quotes.push((*seq, msg, quoted, cmid));
            }
        }
        if quotes.is_empty() {
            return Ok(());
        }
        let mut missing: Vec<i64> = quotes.iter().map(|q| q.2).filter(|s| !found.contains_key(s)).collect();
        missing.sort_unstable();
        missing.dedup();
        let mut others: HashMap<i64, Item> = HashMap::new();
        for chunk in missing.chunks(100) {
            let ks: Vec<_> = chunk.iter().map(|s| keys::message(t, cid, *s)).collect();
            for (s, item) in chunk.iter().zip(self.store().batch_get(&ks, Consistency::Strong).await?) {
                if let Some(item) = item {
                    others.insert(*s, item);
                }
            }
        }
        for (seq, mut msg, quoted, cmid) in quotes {
            let Some(target) = found.get(&quoted).or_else(|| others.get(&quoted)) else { continue };
            if RevokeInfo::of(target).is_none()
                || (!cmid.is_empty() && target.s(attr::CLIENT_MSG_ID).is_some_and(|c| c != cmid))
            {
                continue;
            }
            let Some(shown) = record::view(target, "") else { continue };
            let Some(content) = rewritten(&msg.content, &shown.content) else { continue };
            let Some(item) = found.get_mut(&seq) else { continue };
            let Some(old) = item.attrs.get(attr::MSG).cloned() else { continue };
            msg.content = content;
            let bytes = msg.encode_to_vec();
            let update = Update::new().set(attr::MSG, bytes.clone());
            match self.store().update(&item.key, &update, Some(Condition::Equals(attr::MSG.into(), old))).await {
                Ok(_) | Err(StoreError::ConditionFailed) => {}
                Err(e) => return Err(e.into()),
            }
            item.attrs.insert(attr::MSG.to_string(), bytes.into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_and_rewritten() {
        let quote = br#"{"text":"re","quoteMessage":{"seq":3,"clientMsgID":"c3","contentType":101,"content":"{\"content\":\"x\"}","textElem":{"content":"x"}}}"#;
        assert_eq!(pending_quote(quote), Some((3, "c3".to_string())));
        let out = rewritten(quote, br#"{"detail":"{}"}"#).unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["quoteMessage"]["contentType"], 2101);
        assert_eq!(v["quoteMessage"]["content"], r#"{"detail":"{}"}"#);
        assert_eq!(v["quoteMessage"]["textElem"]["content"], "x", "other keys are kept");
        assert_eq!(v["text"], "re");
        assert_eq!(pending_quote(&out), None, "a rewritten quote is final");
        assert_eq!(pending_quote(br#"{"text":"no quote"}"#), None);
        assert_eq!(pending_quote(br#"{"quoteMessage":{"seq":0}}"#), None);
        assert_eq!(pending_quote(b"not json"), None);
        assert_eq!(rewritten(b"[1]", b"{}"), None);
    }
}
