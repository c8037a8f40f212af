//! Notification accounts (appMangerLevel 3 notification, 4 robot): add, update and search.
//! They are ordinary user records listed under the system-account markers.

use im_domain::constants::app_manager_level;
use im_domain::{ImError, ImResult, TenantId};
use im_repo::{ProfilePatch, UserRecord};

use crate::service::UserService;
use crate::validate::{self, Pagination};

/// Attempts at a free generated user ID.
const GENERATE_ATTEMPTS: usize = 20;

impl UserService {
    /// `/user/add_notification_account`: creates an account of level 3 or 4; an empty
    /// `user_id` gets a generated 10-digit one. Existing ID → 1001 "userID is used".
    pub async fn add_notification_account(
        &self,
        tenant: &TenantId,
        user_id: &str,
        nickname: &str,
        face_url: &str,
        level: i32,
    ) -> ImResult<UserRecord> {
        if nickname.is_empty() {
            return Err(ImError::args("nickName is empty"));
        }
        if !(app_manager_level::NOTIFICATION_ADMIN..=app_manager_level::ROBOT_ADMIN).contains(&level) {
            return Err(ImError::args("app level not supported"));
        }
        let mut record = UserRecord {
            user_id: user_id.to_string(),
            nickname: nickname.to_string(),
            face_url: face_url.to_string(),
            create_time: self.env.clock.now_ms(),
            app_manger_level: level,
            ..UserRecord::default()
        };
        if !user_id.is_empty() {
            validate::user_id(user_id)?;
            return if self.users.create(tenant, &record).await? {
                Ok(record)
            } else {
                Err(ImError::args("userID is used"))
            };
        }
        for _ in 0..GENERATE_ATTEMPTS {
            record.user_id = self.generate_user_id();
            if self.users.create(tenant, &record).await? {
                return Ok(record);
            }
        }
        Err(ImError::internal("gen user id failed"))
    }

    /// A 10-digit numeric user ID without a leading zero (OpenIM's `genUserID`).
    fn generate_user_id(&self) -> String {
        let mut n = self.env.ids.next_u128();
        let mut id = String::with_capacity(10);
        id.push(char::from(b'1' + u8::try_from(n % 9).unwrap_or(0)));
        for _ in 1..10 {
            n /= 10;
            id.push(char::from(b'0' + u8::try_from(n % 10).unwrap_or(0)));
        }
        id
    }

    /// `/user/update_notification_account`: sets the non-empty ones of nickname and faceURL.
    /// Unknown user → 1001 (as OpenIM).
    pub async fn update_notification_account(
        &self,
        tenant: &TenantId,
        user_id: &str,
        nickname: &str,
        face_url: &str,
    ) -> ImResult<()> {
        if user_id.is_empty() {
            return Err(ImError::args("userID is empty"));
        }
        if nickname.is_empty() && face_url.is_empty() {
            return Err(ImError::args("faceURL and nickName is empty at the same"));
        }
        let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let patch = ProfilePatch { nickname: non_empty(nickname), face_url: non_empty(face_url), ..Default::default() };
        match self.users.update(tenant, user_id, &patch).await? {
            Some(_) => Ok(()),
            None => Err(ImError::args(format!("user {user_id} not found"))),
        }
    }

    /// `/user/search_notification_account`: notification and robot accounts (admins
    /// excluded). A keyword matches the user ID exactly, else the nickname exactly; without a
    /// keyword, every account of `level` (default 3, as OpenIM). Ordered by creation.
    pub async fn search_notification_accounts(
        &self,
        tenant: &TenantId,
        keyword: &str,
        level: Option<i32>,
        page: Pagination,
    ) -> ImResult<(i64, Vec<UserRecord>)> {
        let is_account = |u: &UserRecord| {
            u.app_manger_level >= app_manager_level::NOTIFICATION_ADMIN
                && !self.is_admin_id(&u.user_id)
                && level.is_none_or(|l| u.app_manger_level == l)
        };
        let mut found: Vec<UserRecord> = Vec::new();
        if !keyword.is_empty() {
            found.extend(self.users.get(tenant, keyword).await?.filter(|u| is_account(u)));
        }
        if found.is_empty() {
            let ids = self.users.system_user_ids(tenant).await?;
            let accounts = self.users.get_many(tenant, &ids).await?;
            found = accounts
                .into_iter()
                .filter(|u| is_account(u))
                .filter(|u| match keyword {
                    "" => level.is_some() || u.app_manger_level == app_manager_level::NOTIFICATION_ADMIN,
                    kw => u.nickname == kw,
                })
                .collect();
        }
        found.sort_by(|a, b| (a.create_time, &a.user_id).cmp(&(b.create_time, &b.user_id)));
        let total = i64::try_from(found.len()).unwrap_or(i64::MAX);
        Ok((total, page.slice(found)))
    }
}
