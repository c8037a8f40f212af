//! Friend applications: apply (1203), respond (agree → mutual friendship + 1201, refuse → 1202)
//! and the application lists.

use im_domain::constants::{add_source, handle_result};
use im_domain::store::{Condition, StoreError, Update, WriteOp};
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use im_repo::version::ChangeState;
use im_wire::pb::sdkws::{
    FriendApplicationApprovedTips, FriendApplicationRejectedTips, FriendApplicationTips, FriendRequest, FromToUserID,
};

use crate::convert::{Profiles, request_info};
use crate::keys;
use crate::notify;
use crate::page::{PageSel, total};
use crate::records::{FriendRow, RequestRow, attr};
use crate::service::{FriendService, required};

/// Attempts of an agreement whose transaction lost a race on a row other than the application.
const AGREE_ATTEMPTS: usize = 3;

fn pair(from: &str, to: &str) -> Option<FromToUserID> {
    Some(FromToUserID { from_user_id: from.to_string(), to_user_id: to.to_string() })
}

/// The update marking an application handled by `op` at `now` (`msg` kept when `None`).
fn handled(result: i32, msg: Option<&str>, op: &str, now: i64) -> Update {
    let update =
        Update::new().set(attr::HANDLE_RESULT, result).set(attr::HANDLER_USER_ID, op).set(attr::HANDLE_TIME, now);
    match msg {
        Some(msg) => update.set(attr::HANDLE_MSG, msg),
        None => update,
    }
}

/// The condition that an application is still pending.
fn pending() -> Condition {
    Condition::eq(attr::HANDLE_RESULT, handle_result::PENDING)
}

fn already_handled() -> ImError {
    ImError::new(ErrCode::FriendRequestHandled, "friend request already handled")
}

impl FriendService {
    /// `/friend/add_friend`: `from` applies to become `to`'s friend. 1301 for oneself, 1101 for
    /// unknown users, 1302 when `to` has blocked `from`, 1304 when they are already mutual friends.
    /// A repeated application replaces the previous one (pending again).
    pub async fn apply(&self, t: &TenantId, from: &str, to: &str, req_msg: &str, ex: &str) -> ImResult<()> {
        required(to, "toUserID")?;
        required(from, "fromUserID")?;
        if from == to {
            return Err(ImError::new(ErrCode::CanNotAddYourself, format!("toUserID {to}")));
        }
        let users = self.require_users(t, &[from, to]).await?;
        let ks = [keys::black(t, to, from), keys::friend(t, from, to), keys::friend(t, to, from)];
        let found: Vec<bool> = self.repo.get_many(&ks).await?.iter().map(Option::is_some).collect();
        if found.first() == Some(&true) {
            return Err(ImError::new(ErrCode::BlockedByPeer, format!("{to} has blocked {from}")));
        }
        if found.get(1..3) == Some(&[true, true]) {
            return Err(ImError::new(ErrCode::RelationshipAlready, "already friends"));
        }
        let row = RequestRow {
            from: from.to_string(),
            to: to.to_string(),
            handle_result: handle_result::PENDING,
            req_msg: req_msg.to_string(),
            create_time: self.now(),
            ex: ex.to_string(),
            ..RequestRow::default()
        };
        self.repo.store().put(row.to_item(t), None).await?;
        let tips = FriendApplicationTips { from_to_user_id: pair(from, to), request: request_info(&row, &users) };
        self.emit(notify::build(t, notify::APPLICATION, from, to, &tips, users.get(from))).await;
        Ok(())
    }

    /// `/friend/add_friend_response`: `to` (acting as `op`) answers `from`'s application with
    /// `result` 1 (agree) or -1 (refuse); other values 1001, no application 1004, already
    /// handled 1305. Agreeing also agrees `to`'s pending application to `from`, creates the
    /// missing friend rows in one transaction and logs them in both friend logs.
    pub async fn respond(&self, t: &TenantId, op: &str, from: &str, to: &str, result: i32, msg: &str) -> ImResult<()> {
        required(to, "toUserID")?;
        required(from, "fromUserID")?;
        if result != handle_result::AGREE && result != handle_result::REFUSE {
            return Err(ImError::args("handleResult must be 1 (agree) or -1 (refuse)"));
        }
        let users = self.profiles(t, &[from, to]).await?;
        if result == handle_result::REFUSE {
            return self.refuse(t, op, from, to, msg, &users).await;
        }
        let (row, created) = self.agree(t, op, from, to, msg).await?;
        // Log the new rows: the responder's list gained the applicant and vice versa.
        let mut applicant_head = None;
        for (owner, friend) in &created {
            let head = self.append(t, owner, &[(friend.as_str(), ChangeState::Insert)]).await?;
            if owner == from {
                applicant_head = Some(head);
            }
        }
        let head = match applicant_head {
            Some(h) => h,
            None => self.head(t, from).await?,
        };
        let tips = FriendApplicationApprovedTips {
            from_to_user_id: pair(from, to),
            handle_msg: msg.to_string(),
            friend_version: head.version,
            friend_version_id: head.version_id,
            request: request_info(&row, &users),
        };
        self.emit(notify::build(t, notify::APPROVED, to, from, &tips, users.get(to))).await;
        Ok(())
    }

    /// Refuses a pending application and sends 1202 to the applicant.
    async fn refuse(&self, t: &TenantId, op: &str, from: &str, to: &str, msg: &str, users: &Profiles) -> ImResult<()> {
        let Some(mut row) = self.repo.request(t, from, to).await? else {
            return Err(ImError::not_found("friend request not found"));
        };
        if row.handle_result != handle_result::PENDING {
            return Err(already_handled());
        }
        let now = self.now();
        let update = handled(handle_result::REFUSE, Some(msg), op, now);
        match self.repo.store().update(&keys::request(t, from, to), &update, Some(pending())).await {
            Ok(_) => {}
            Err(StoreError::ConditionFailed) => return Err(already_handled()),
            Err(e) => return Err(e.into()),
        }
        (row.handle_result, row.handle_msg, row.handler_user_id, row.handle_time) =
            (handle_result::REFUSE, msg.to_string(), op.to_string(), now);
        let tips = FriendApplicationRejectedTips {
            from_to_user_id: pair(from, to),
            handle_msg: msg.to_string(),
            request: request_info(&row, users),
        };
        self.emit(notify::build(t, notify::REJECTED, to, from, &tips, users.get(to))).await;
        Ok(())
    }

    /// The agreement transaction; returns the handled application and the (owner, friend) rows
    /// it created.
    async fn agree(
        &self,
        t: &TenantId,
        op: &str,
        from: &str,
        to: &str,
        msg: &str,
    ) -> ImResult<(RequestRow, Vec<(String, String)>)> {
        for _ in 0..AGREE_ATTEMPTS {
            let ks = [
                keys::request(t, from, to),
                keys::request(t, to, from),
                keys::friend(t, to, from),
                keys::friend(t, from, to),
            ];
            let items = self.repo.get_many(&ks).await?;
            let [req, reverse, to_row, from_row] = <[_; 4]>::try_from(items)
                .map_err(|_| ImError::internal("batch get returned a wrong number of items"))?;
            let Some(mut row) = req.as_ref().map(RequestRow::from_item) else {
                return Err(ImError::not_found("friend request not found"));
            };
            if row.handle_result != handle_result::PENDING {
                return Err(already_handled());
            }
            let now = self.now();
            let mut ops = vec![WriteOp::Update {
                key: keys::request(t, from, to),
                update: handled(handle_result::AGREE, Some(msg), op, now),
                condition: Some(pending()),
            }];
            if reverse.as_ref().map(RequestRow::from_item).is_some_and(|r| r.handle_result == handle_result::PENDING) {
                ops.push(WriteOp::Update {
                    key: keys::request(t, to, from),
                    update: handled(handle_result::AGREE, None, op, now),
                    condition: Some(pending()),
                });
            }
            let mut created = Vec::new();
            for (owner, friend, exists) in [(to, from, to_row.is_some()), (from, to, from_row.is_some())] {
                if exists {
                    continue;
                }
                let friend_row = FriendRow {
                    owner: owner.to_string(),
                    friend: friend.to_string(),
                    create_time: now,
                    add_source: add_source::APPLY,
                    operator_user_id: from.to_string(),
                    ..FriendRow::default()
                };
                ops.push(WriteOp::Put { item: friend_row.to_item(t), condition: Some(Condition::ItemNotExists) });
                created.push((owner.to_string(), friend.to_string()));
            }
            match self.repo.store().transact_write(ops).await {
                Ok(()) => {
                    (row.handle_result, row.handle_msg, row.handler_user_id, row.handle_time) =
                        (handle_result::AGREE, msg.to_string(), op.to_string(), now);
                    return Ok((row, created));
                }
                Err(StoreError::TransactionCanceled { failed }) if failed.contains(&0) => return Err(already_handled()),
                // Another writer touched the reverse application or a friend row: read again.
                Err(StoreError::TransactionCanceled { .. }) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(ImError::new(ErrCode::Database, "friend agreement kept conflicting with concurrent writes"))
    }

    /// `/friend/get_friend_apply_list`: applications `user` received, newest first, optionally
    /// only those whose `handleResult` is in `results`; with the total.
    pub async fn requests_to(
        &self,
        t: &TenantId,
        user: &str,
        page: PageSel,
        results: &[i32],
    ) -> ImResult<(Vec<FriendRequest>, i32)> {
        required(user, "userID")?;
        let rows = self.repo.requests_to(t, user).await?;
        self.request_page(t, rows, page, results).await
    }

    /// `/friend/get_self_friend_apply_list`: applications `user` sent, newest first.
    pub async fn requests_from(
        &self,
        t: &TenantId,
        user: &str,
        page: PageSel,
        results: &[i32],
    ) -> ImResult<(Vec<FriendRequest>, i32)> {
        required(user, "userID")?;
        let rows = self.repo.requests_from(t, user).await?;
        self.request_page(t, rows, page, results).await
    }

    async fn request_page(
        &self,
        t: &TenantId,
        mut rows: Vec<RequestRow>,
        page: PageSel,
        results: &[i32],
    ) -> ImResult<(Vec<FriendRequest>, i32)> {
        if !results.is_empty() {
            rows.retain(|r| results.contains(&r.handle_result));
        }
        rows.sort_by(|a, b| b.create_time.cmp(&a.create_time).then_with(|| (&a.from, &a.to).cmp(&(&b.from, &b.to))));
        let count = total(rows.len());
        let rows = page.apply(rows);
        let ids: Vec<&str> = rows.iter().flat_map(|r| [r.from.as_str(), r.to.as_str()]).collect();
        let users = self.profiles(t, &ids).await?;
        Ok((rows.iter().filter_map(|r| request_info(r, &users)).collect(), count))
    }

    /// `/friend/get_designated_friend_apply`: the applications between two users, both ways.
    pub async fn designated_requests(&self, t: &TenantId, from: &str, to: &str) -> ImResult<Vec<FriendRequest>> {
        required(from, "fromUserID")?;
        required(to, "toUserID")?;
        let items = self.repo.get_many(&[keys::request(t, from, to), keys::request(t, to, from)]).await?;
        let rows: Vec<RequestRow> = items.iter().flatten().map(RequestRow::from_item).collect();
        let users = self.profiles(t, &[from, to]).await?;
        Ok(rows.iter().filter_map(|r| request_info(r, &users)).collect())
    }

    /// `/friend/get_self_unhandled_apply_count`: pending applications `user` received after
    /// `time` (**[quirk]** Unix *seconds*, as OpenIM compares; 0 = all).
    pub async fn unhandled_count(&self, t: &TenantId, user: &str, time: i64) -> ImResult<i64> {
        required(user, "userID")?;
        let after_ms = time.saturating_mul(1000);
        let rows = self.repo.requests_to(t, user).await?;
        let n = rows
            .iter()
            .filter(|r| r.handle_result == handle_result::PENDING && (time == 0 || r.create_time > after_ms))
            .count();
        Ok(n as i64)
    }
}
