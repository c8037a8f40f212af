//! `/conversation/get_sorted_conversation_list`: conversations with a last message, pinned
//! first, then by the last message's time, with unread counts and a message summary.

use std::collections::HashMap;

use im_domain::constants::session_type;
use im_domain::ports::GroupSummary;
use im_domain::{ImError, ImResult, TenantId};
use im_repo::UserRecord;
use im_wire::pb::conversation::{
    ConversationElem, GetSortedConversationListReq, GetSortedConversationListResp, MsgInfo,
};
use im_wire::pb::sdkws::MsgData;

use super::{Actor, ConversationService, require};
use crate::lookup;

/// Go's `datautil.Paginate`: page numbers start at 1; a page or size ≤ 0 is empty.
pub(crate) fn paginate<T>(items: Vec<T>, page_number: i32, show_number: i32) -> Vec<T> {
    if page_number <= 0 || show_number <= 0 {
        return Vec::new();
    }
    let start = (page_number as usize - 1).saturating_mul(show_number as usize);
    items.into_iter().skip(start).take(show_number as usize).collect()
}

/// The message summary of `msg` for `user`: in single chats the peer's name and face when the
/// user sent it, else the sender's; in group chats the group's name, face, type and size and the
/// sender's name.
fn msg_info(
    msg: &MsgData,
    user: &str,
    users: &HashMap<String, UserRecord>,
    groups: &HashMap<String, GroupSummary>,
) -> MsgInfo {
    let mut info = MsgInfo {
        server_msg_id: msg.server_msg_id.clone(),
        client_msg_id: msg.client_msg_id.clone(),
        session_type: msg.session_type,
        send_id: msg.send_id.clone(),
        recv_id: msg.recv_id.clone(),
        group_id: msg.group_id.clone(),
        latest_msg_recv_time: msg.send_time,
        msg_from: msg.msg_from,
        content_type: msg.content_type,
        content: String::from_utf8_lossy(&msg.content).into_owned(),
        ex: msg.ex.clone(),
        ..MsgInfo::default()
    };
    match msg.session_type {
        session_type::SINGLE => {
            let shown = if msg.send_id == user { &msg.recv_id } else { &msg.send_id };
            if let Some(u) = users.get(shown) {
                info.sender_name = u.nickname.clone();
                info.face_url = u.face_url.clone();
            }
        }
        session_type::WRITE_GROUP | session_type::READ_GROUP => {
            if let Some(g) = groups.get(&msg.group_id) {
                info.group_name = g.group_name.clone();
                info.group_face_url = g.face_url.clone();
                info.group_member_count = g.member_count;
                info.group_type = g.group_type;
            }
            if let Some(u) = users.get(&msg.send_id) {
                info.sender_name = u.nickname.clone();
            }
        }
        _ => {}
    }
    info
}

impl ConversationService {
    /// `/conversation/get_sorted_conversation_list`. Only conversations with a visible message
    /// are listed (`conversationTotal` counts them); `unreadTotal` sums every requested row;
    /// no rows at all → 1004.
    pub async fn get_sorted_conversation_list(
        &self,
        actor: &Actor,
        t: &TenantId,
        req: &GetSortedConversationListReq,
    ) -> ImResult<GetSortedConversationListResp> {
        require(&req.user_id, "userID")?;
        let page = req.pagination.as_ref().ok_or_else(|| ImError::args("pagination is empty"))?;
        if page.page_number < 1 {
            return Err(ImError::args("pageNumber is invalid"));
        }
        actor.check_self(&req.user_id)?;
        let user = req.user_id.as_str();
        let rows = if req.conversation_ids.is_empty() {
            self.repo.list(t, user).await?
        } else {
            self.repo.get_many(t, user, &req.conversation_ids).await?
        };
        if rows.is_empty() {
            return Err(ImError::not_found("no conversations"));
        }
        let overviews = self.overviews(t, user, rows).await?;
        let unread_total = overviews.iter().map(|o| o.state.unread).sum();
        let last = self.last_messages(t, user, &overviews).await?;

        let mut user_ids: Vec<String> = Vec::new();
        let mut group_ids: Vec<&str> = Vec::new();
        for m in last.values() {
            match m.session_type {
                session_type::SINGLE => user_ids.extend([m.send_id.clone(), m.recv_id.clone()]),
                session_type::WRITE_GROUP | session_type::READ_GROUP => {
                    group_ids.push(&m.group_id);
                    user_ids.push(m.send_id.clone());
                }
                _ => {}
            }
        }
        user_ids.sort();
        user_ids.dedup();
        let users: HashMap<String, UserRecord> =
            self.users.get_many(t, &user_ids).await?.into_iter().map(|u| (u.user_id.clone(), u)).collect();
        let groups = lookup::groups(self.groups.as_ref(), t, &group_ids).await?;

        let mut elems: Vec<ConversationElem> = overviews
            .iter()
            .filter_map(|o| {
                let msg = last.get(o.cid())?;
                Some(ConversationElem {
                    conversation_id: o.cid().to_string(),
                    recv_msg_opt: o.row.recv_msg_opt,
                    unread_count: o.state.unread,
                    is_pinned: o.row.is_pinned,
                    msg_info: Some(msg_info(msg, user, &users, &groups)),
                })
            })
            .collect();
        let time = |e: &ConversationElem| e.msg_info.as_ref().map_or(0, |m| m.latest_msg_recv_time);
        elems.sort_by(|a, b| {
            b.is_pinned
                .cmp(&a.is_pinned)
                .then_with(|| time(b).cmp(&time(a)))
                .then_with(|| a.conversation_id.cmp(&b.conversation_id))
        });
        Ok(GetSortedConversationListResp {
            conversation_total: elems.len() as i64,
            unread_total,
            conversation_elems: paginate(elems, page.page_number, page.show_number),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_like_go() {
        let v: Vec<i32> = (1..=5).collect();
        assert_eq!(paginate(v.clone(), 1, 2), vec![1, 2]);
        assert_eq!(paginate(v.clone(), 3, 2), vec![5]);
        assert_eq!(paginate(v.clone(), 4, 2), Vec::<i32>::new());
        assert_eq!(paginate(v.clone(), 0, 2), Vec::<i32>::new());
        assert_eq!(paginate(v, 1, 0), Vec::<i32>::new());
    }

    #[test]
    fn summaries_name_the_peer_or_the_sender() {
        let users: HashMap<String, UserRecord> = [
            (
                "a".to_string(),
                UserRecord { user_id: "a".into(), nickname: "Ann".into(), face_url: "fa".into(), ..Default::default() },
            ),
            (
                "b".to_string(),
                UserRecord { user_id: "b".into(), nickname: "Bob".into(), face_url: "fb".into(), ..Default::default() },
            ),
        ]
        .into();
        let groups: HashMap<String, GroupSummary> = [(
            "g".to_string(),
            GroupSummary { group_id: "g".into(), group_name: "G".into(), member_count: 4, ..Default::default() },
        )]
        .into();
        let m = MsgData {
            send_id: "a".into(),
            recv_id: "b".into(),
            session_type: 1,
            content: b"x".to_vec(),
            send_time: 7,
            ..Default::default()
        };
        let mine = msg_info(&m, "a", &users, &groups);
        assert_eq!((mine.sender_name.as_str(), mine.face_url.as_str(), mine.content.as_str()), ("Bob", "fb", "x"));
        let theirs = msg_info(&m, "b", &users, &groups);
        assert_eq!((theirs.sender_name.as_str(), theirs.latest_msg_recv_time), ("Ann", 7));
        let gm = MsgData { send_id: "b".into(), group_id: "g".into(), session_type: 3, ..Default::default() };
        let gi = msg_info(&gm, "a", &users, &groups);
        assert_eq!(
            (gi.group_name.as_str(), gi.group_member_count, gi.sender_name.as_str(), gi.face_url.as_str()),
            ("G", 4, "Bob", "")
        );
    }
}
