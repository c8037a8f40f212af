//! A user's rows joined with their seq state and last message: the common core of the sorted
//! list and the JS-SDK composites.

use std::collections::HashMap;

use im_domain::{ImResult, TenantId};
use im_wire::pb::sdkws::MsgData;

use super::ConversationService;
use crate::messages;
use crate::record::ConversationRecord;
use crate::seqs::{self, ReadState};

/// One row with the owner's seq state of its conversation.
pub(super) struct Overview {
    /// The row.
    pub row: ConversationRecord,
    /// The owner's seq state.
    pub state: ReadState,
}

impl Overview {
    /// The conversation ID.
    pub fn cid(&self) -> &str {
        &self.row.conversation_id
    }
}

impl ConversationService {
    /// `rows` (all owned by `user`) with their seq states.
    pub(super) async fn overviews(
        &self,
        t: &TenantId,
        user: &str,
        rows: Vec<ConversationRecord>,
    ) -> ImResult<Vec<Overview>> {
        let cids: Vec<&str> = rows.iter().map(|r| r.conversation_id.as_str()).collect();
        let heads = seqs::heads(self.repo.store().as_ref(), t, user, &cids).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let state = ReadState::of(&row, heads.get(&row.conversation_id));
                Overview { row, state }
            })
            .collect())
    }

    /// The last visible message of each overview that has one, as `user` sees it.
    pub(super) async fn last_messages<'a>(
        &self,
        t: &TenantId,
        user: &str,
        overviews: impl IntoIterator<Item = &'a Overview>,
    ) -> ImResult<HashMap<String, MsgData>> {
        let wants: Vec<(&str, ReadState)> = overviews.into_iter().map(|o| (o.cid(), o.state)).collect();
        messages::last_messages(self.repo.store().as_ref(), t, user, &wants).await
    }
}
