//! Listings in creation order over the `USERS` index: get_all_users_uid and get_users.
//!
//! Totals come from the sharded user counter and the system-account markers, so an unfiltered
//! page reads only the users up to its end. Filtered listings (`userID`/`nickName` keywords)
//! must look at every user to count matches: their cost grows with the tenant's user count.

use im_domain::{ImResult, TenantId};
use im_repo::UserRecord;

use crate::service::UserService;
use crate::validate::Pagination;

/// Largest index page read at once.
const MAX_INDEX_PAGE: usize = 1000;

/// What a visitor of [`UserService::walk`] wants next.
enum Next {
    /// At least this many more users.
    More(usize),
    /// Nothing more.
    Stop,
}

impl UserService {
    /// Visits users in creation order until the visitor stops or the index ends; `hint` is how
    /// many users the first page should hold.
    async fn walk(&self, tenant: &TenantId, hint: usize, mut visit: impl FnMut(UserRecord) -> Next) -> ImResult<()> {
        let mut want = hint;
        let mut cursor = None;
        loop {
            let limit = u32::try_from(want.clamp(1, MAX_INDEX_PAGE)).unwrap_or(1);
            let (users, next) = self.users.index_page(tenant, cursor, limit).await?;
            for u in users {
                match visit(u) {
                    Next::More(n) => want = n,
                    Next::Stop => return Ok(()),
                }
            }
            match next {
                Some(c) => cursor = Some(c),
                None => return Ok(()),
            }
        }
    }

    /// `/user/get_all_users_uid`: every user (any level), `total` and one page of IDs.
    pub async fn all_user_ids(&self, tenant: &TenantId, page: Pagination) -> ImResult<(i64, Vec<String>)> {
        let total = self.users.count(tenant).await?;
        let Some((skip, take)) = page.window() else { return Ok((total, Vec::new())) };
        if usize::try_from(total).map_or(true, |t| skip >= t) {
            return Ok((total, Vec::new()));
        }
        let end = skip.saturating_add(take);
        let (mut seen, mut out) = (0usize, Vec::with_capacity(take));
        self.walk(tenant, end, |u| {
            if seen >= skip {
                out.push(u.user_id);
            }
            seen += 1;
            if seen >= end { Next::Stop } else { Next::More(end - seen) }
        })
        .await?;
        Ok((total, out))
    }

    /// `/user/get_users`: ordinary users only (appMangerLevel 0 or 1), optionally filtered by
    /// case-insensitive substrings of the user ID or the nickname (either matching), with the
    /// number of matches and one page.
    pub async fn page_users(
        &self,
        tenant: &TenantId,
        page: Pagination,
        user_id_kw: &str,
        nickname_kw: &str,
    ) -> ImResult<(i64, Vec<UserRecord>)> {
        let window = page.window();
        if user_id_kw.is_empty() && nickname_kw.is_empty() {
            let system = i64::try_from(self.users.system_user_ids(tenant).await?.len()).unwrap_or(i64::MAX);
            let total = (self.users.count(tenant).await? - system).max(0);
            let Some((skip, take)) = window else { return Ok((total, Vec::new())) };
            if usize::try_from(total).map_or(true, |t| skip >= t) {
                return Ok((total, Vec::new()));
            }
            let end = skip.saturating_add(take);
            let (mut seen, mut out) = (0usize, Vec::with_capacity(take));
            self.walk(tenant, end, |u| {
                if !u.is_system() {
                    if seen >= skip {
                        out.push(u);
                    }
                    seen += 1;
                }
                if seen >= end { Next::Stop } else { Next::More(end - seen) }
            })
            .await?;
            return Ok((total, out));
        }
        let (id_kw, nick_kw) = (user_id_kw.to_lowercase(), nickname_kw.to_lowercase());
        let matches = |u: &UserRecord| {
            (!id_kw.is_empty() && u.user_id.to_lowercase().contains(&id_kw))
                || (!nick_kw.is_empty() && u.nickname.to_lowercase().contains(&nick_kw))
        };
        let (mut total, mut out) = (0usize, Vec::new());
        self.walk(tenant, MAX_INDEX_PAGE, |u| {
            if !u.is_system() && matches(&u) {
                if let Some((skip, take)) = window
                    && total >= skip
                    && out.len() < take
                {
                    out.push(u);
                }
                total += 1;
            }
            Next::More(MAX_INDEX_PAGE)
        })
        .await?;
        Ok((i64::try_from(total).unwrap_or(i64::MAX), out))
    }
}
