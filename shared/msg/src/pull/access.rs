//! Which conversations a user may read, and the seq window they see (reference §6.3, §6.4).
//!
//! A user reads a conversation when they own its row (`CONV#<user>/<cid>`), or — without a row —
//! when they are one of the two parties named by a single/notification conversation ID
//! (`si_`, `sn_`, `n_<a>_<b>`). A group's notification conversation `n_<groupID>` is readable with
//! a row of the group's chat conversation `sg_<groupID>`. Everything else is skipped, which
//! closes OpenIM's unchecked pulls of other users' conversations.
//!
//! The window is `[max(head.min, row.minSeq), min(head.max, row.maxSeq ≠ 0)]`.

use im_conversation::record::ConversationRecord;
use im_conversation::seqs::{ReadState, SeqHead};
use im_domain::store::Consistency;
use im_domain::{ImResult, TenantId, ids};

use crate::{Messaging, keys};

/// Whether `user` is one of the two users joined in `pair` (`<a>_<b>`, sorted).
pub fn is_party(pair: &str, user: &str) -> bool {
    if user.is_empty() {
        return false;
    }
    let left = pair.strip_prefix(user).and_then(|r| r.strip_prefix('_')).is_some_and(|peer| user <= peer);
    let right = pair.strip_suffix(user).and_then(|r| r.strip_suffix('_')).is_some_and(|peer| peer <= user);
    left || right
}

/// The two-party body of a single/notification conversation ID (`si_`, `sn_`, `n_`), if any.
fn pair_of(cid: &str) -> Option<&str> {
    cid.strip_prefix("si_").or_else(|| cid.strip_prefix("sn_")).or_else(|| cid.strip_prefix("n_"))
}

/// The notification conversation paired with a chat conversation (`n_…` itself for one).
pub fn notification_twin(cid: &str) -> Option<String> {
    if ids::is_notification_conversation(cid) {
        return Some(cid.to_string());
    }
    if let Some(pair) = cid.strip_prefix("si_").or_else(|| cid.strip_prefix("sn_")) {
        return Some(format!("n_{pair}"));
    }
    ids::group_id_of(cid).map(|g| format!("n_{g}"))
}

/// A user's view of one conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visible {
    /// The user's row, if they have one.
    pub row: Option<ConversationRecord>,
    /// The seq head as the user sees it.
    pub head: SeqHead,
    /// The effective window and read state.
    pub state: ReadState,
}

impl Visible {
    /// First visible seq.
    pub fn min(&self) -> i64 {
        self.state.min_seq
    }
    /// Last visible seq (0: nothing yet).
    pub fn max(&self) -> i64 {
        self.state.max_seq
    }
}

impl Messaging {
    /// What `user` sees of `cid`, or `None` when they may not read it.
    pub async fn visible(&self, t: &TenantId, user: &str, cid: &str) -> ImResult<Option<Visible>> {
        let row = self.conversations().get(t, user, cid).await?;
        let allowed = row.is_some()
            || pair_of(cid).is_some_and(|pair| is_party(pair, user))
            || match cid.strip_prefix("n_") {
                Some(group) => self.conversations().get(t, user, &format!("sg_{group}")).await?.is_some(),
                None => false,
            };
        if !allowed {
            return Ok(None);
        }
        let item = self.store().get(&keys::seq_head(t, cid), Consistency::Strong).await?;
        let head =
            item.as_ref().map(|i| SeqHead::from_item(i, user)).unwrap_or(SeqHead { min: 1, ..SeqHead::default() });
        let template = ConversationRecord::new(cid, 0);
        let state = ReadState::of(row.as_ref().unwrap_or(&template), item.as_ref().map(|_| &head));
        Ok(Some(Visible { row, head, state }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parties() {
        assert!(is_party("a_b", "a"));
        assert!(is_party("a_b", "b"));
        assert!(!is_party("a_b", "c"));
        assert!(is_party("u_u", "u"));
        assert!(!is_party("a_b", ""));
        // IDs containing '_' are matched on the sorted split.
        assert!(is_party("a_x_y", "a"));
        assert!(is_party("a_x_y", "x_y"));
        assert!(!is_party("b_c", "a"));
        // "x_a" would sort as "a_x": "a" is not the right-hand party of "x_a".
        assert!(!is_party("x_a", "a"));
    }

    #[test]
    fn twins() {
        assert_eq!(notification_twin("si_a_b").as_deref(), Some("n_a_b"));
        assert_eq!(notification_twin("sn_a_b").as_deref(), Some("n_a_b"));
        assert_eq!(notification_twin("sg_g1").as_deref(), Some("n_g1"));
        assert_eq!(notification_twin("n_g1").as_deref(), Some("n_g1"));
        assert_eq!(notification_twin("zz"), None);
    }
}
