//! Registration: `/user/user_register` (admin, many users at once) and the self-service
//! `/user/self_register` / `/user/self_login` of seed 004 (password accounts).

use std::collections::HashSet;

use im_domain::constants::app_manager_level;
use im_domain::{ErrCode, ImError, ImResult, TenantId};
use im_repo::{Created, CredentialRepo, UserRecord};

use crate::password;
use crate::service::UserService;
use crate::validate;

/// Most users one `user_register` call may create (OpenIM sets no limit; every 99 users are
/// one store transaction).
pub const MAX_REGISTER_USERS: usize = 1000;

/// A user to create (OpenIM `UserInfo` on input; `createTime` is set by the server).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewUser {
    /// User ID.
    pub user_id: String,
    /// Nickname (required).
    pub nickname: String,
    /// Avatar URL.
    pub face_url: String,
    /// Extension.
    pub ex: String,
    /// appMangerLevel.
    pub app_manger_level: i32,
    /// globalRecvMsgOpt.
    pub global_recv_msg_opt: i32,
}

impl NewUser {
    fn check(&self) -> ImResult<()> {
        validate::user_id(&self.user_id)?;
        if self.nickname.is_empty() {
            return Err(ImError::args(format!("user name is empty (userID {})", self.user_id)));
        }
        validate::level(self.app_manger_level)?;
        validate::recv_opt(self.global_recv_msg_opt)
    }

    fn into_record(self, create_time: i64) -> UserRecord {
        UserRecord {
            user_id: self.user_id,
            nickname: self.nickname,
            face_url: self.face_url,
            ex: self.ex,
            create_time,
            app_manger_level: self.app_manger_level,
            global_recv_msg_opt: self.global_recv_msg_opt,
        }
    }
}

fn already(existing: &[String]) -> ImError {
    ImError::new(ErrCode::RegisteredAlready, format!("userID registered already: {}", existing.join(", ")))
}

impl UserService {
    /// `/user/user_register`: creates every user or none. Empty list, bad IDs, missing
    /// nicknames and duplicates in the request → 1001; an ID already registered → 1102.
    pub async fn register(&self, tenant: &TenantId, users: Vec<NewUser>) -> ImResult<()> {
        if users.is_empty() {
            return Err(ImError::args("users is empty"));
        }
        if users.len() > MAX_REGISTER_USERS {
            return Err(ImError::args(format!("at most {MAX_REGISTER_USERS} users per request")));
        }
        let mut seen = HashSet::with_capacity(users.len());
        for u in &users {
            u.check()?;
            if !seen.insert(u.user_id.as_str()) {
                return Err(ImError::args(format!("userID repeated: {}", u.user_id)));
            }
        }
        let now = self.env.clock.now_ms();
        let records: Vec<UserRecord> = users.into_iter().map(|u| u.into_record(now)).collect();
        match self.users.create_many(tenant, &records, Vec::new()).await? {
            Created::All => Ok(()),
            Created::Existing(ids) => Err(already(&ids)),
        }
    }

    /// `/user/self_register`: an ordinary user (level 0) with a password; returns the user ID.
    /// Admin user IDs are reserved (1002); an existing ID → 1102.
    pub async fn self_register(&self, tenant: &TenantId, user: NewUser, password: &str) -> ImResult<String> {
        let user = NewUser { app_manger_level: app_manager_level::IM_ORDINARY, global_recv_msg_opt: 0, ..user };
        user.check()?;
        password::check(password)?;
        if self.is_admin_id(&user.user_id) {
            return Err(ImError::no_permission(format!("userID {} is reserved", user.user_id)));
        }
        if self.users.exists(tenant, &user.user_id).await? {
            return Err(already(std::slice::from_ref(&user.user_id)));
        }
        let hash = self.passwords.hash(password).await?;
        let record = user.into_record(self.env.clock.now_ms());
        let credential = CredentialRepo::item(tenant, &record.user_id, &hash);
        match self.users.create_many(tenant, std::slice::from_ref(&record), vec![credential]).await? {
            Created::All => Ok(record.user_id),
            Created::Existing(ids) => Err(already(&ids)),
        }
    }

    /// The password check of `/user/self_login`: unknown user → 1101; no password or a wrong
    /// one → 1002. The token itself is issued by the auth service.
    pub async fn check_password(&self, tenant: &TenantId, user_id: &str, password: &str) -> ImResult<()> {
        if user_id.is_empty() {
            return Err(ImError::args("userID is empty"));
        }
        password::check(password)?;
        if !self.users.exists(tenant, user_id).await? {
            return Err(ImError::new(ErrCode::UserIdNotFound, format!("user {user_id} not found")));
        }
        let wrong = || ImError::no_permission("userID or password is incorrect");
        let hash = self.credentials.hash(tenant, user_id).await?.ok_or_else(wrong)?;
        if self.passwords.verify(password, &hash).await? { Ok(()) } else { Err(wrong()) }
    }
}
