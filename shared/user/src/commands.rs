//! User commands: `/user/process_user_command_{add,delete,update,get,get_all}`. Per-user
//! records keyed by (type, uuid); changes are reported to the user's own devices.

use im_domain::{ErrCode, ImError, ImResult, TenantId};
use im_repo::UserCommand;

use crate::events::CommandChange;
use crate::service::UserService;

fn check_key(user_id: &str, kind: i32, uuid: Option<&str>) -> ImResult<()> {
    if user_id.is_empty() {
        return Err(ImError::args("userID is empty"));
    }
    if kind == 0 {
        return Err(ImError::args("type is not specified"));
    }
    if uuid.is_some_and(str::is_empty) {
        return Err(ImError::args("UUID is empty"));
    }
    Ok(())
}

impl UserService {
    async fn require_user(&self, tenant: &TenantId, user_id: &str) -> ImResult<()> {
        if self.users.exists(tenant, user_id).await? {
            Ok(())
        } else {
            Err(ImError::new(ErrCode::UserIdNotFound, format!("user {user_id} not found")))
        }
    }

    /// Adds a command (replacing one with the same type and uuid). Unknown user → 1101.
    pub async fn command_add(
        &self,
        tenant: &TenantId,
        user_id: &str,
        kind: i32,
        uuid: &str,
        value: Option<String>,
        ex: Option<String>,
    ) -> ImResult<()> {
        check_key(user_id, kind, Some(uuid))?;
        self.require_user(tenant, user_id).await?;
        let cmd = UserCommand {
            kind,
            uuid: uuid.to_string(),
            value: value.unwrap_or_default(),
            ex: ex.unwrap_or_default(),
            create_time: self.env.clock.now_s(),
        };
        self.commands.put(tenant, user_id, &cmd).await?;
        self.command_changed(tenant, user_id, CommandChange::Added).await;
        Ok(())
    }

    /// Sets the value and/or ex of a command (nothing given: no-op). Unknown command → 1004.
    pub async fn command_update(
        &self,
        tenant: &TenantId,
        user_id: &str,
        kind: i32,
        uuid: &str,
        value: Option<String>,
        ex: Option<String>,
    ) -> ImResult<()> {
        check_key(user_id, kind, Some(uuid))?;
        if value.is_none() && ex.is_none() {
            return Ok(());
        }
        if !self.commands.update(tenant, user_id, kind, uuid, value.as_deref(), ex.as_deref()).await? {
            return Err(ImError::not_found(format!("command {kind}/{uuid} not found")));
        }
        self.command_changed(tenant, user_id, CommandChange::Updated).await;
        Ok(())
    }

    /// Deletes a command. Unknown command → 1004.
    pub async fn command_delete(&self, tenant: &TenantId, user_id: &str, kind: i32, uuid: &str) -> ImResult<()> {
        check_key(user_id, kind, Some(uuid))?;
        if !self.commands.delete(tenant, user_id, kind, uuid).await? {
            return Err(ImError::not_found(format!("command {kind}/{uuid} not found")));
        }
        self.command_changed(tenant, user_id, CommandChange::Deleted).await;
        Ok(())
    }

    /// A user's commands of one type (`Some`, non-zero) or of every type (`None`).
    pub async fn commands(&self, tenant: &TenantId, user_id: &str, kind: Option<i32>) -> ImResult<Vec<UserCommand>> {
        match kind {
            Some(k) => check_key(user_id, k, None)?,
            None if user_id.is_empty() => return Err(ImError::args("userID is empty")),
            None => {}
        }
        self.commands.list(tenant, user_id, kind).await
    }
}
