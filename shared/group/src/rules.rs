//! Group role rules (reference §1.4), as pure functions of who acts and on whom.
//!
//! App admins pass every rule. A caller who is not a member of the group gets 1002. Two
//! holes of OpenIM are closed here (see `docs/security.md`): nobody changes the owner's role
//! except through a transfer, and a transfer must start from the current owner.

use im_domain::constants::group_role::{ADMIN, ORDINARY, OWNER};
use im_domain::{ImError, ImResult};

/// Whether a role level is the owner's or an admin's.
pub fn is_manager(role: i32) -> bool {
    role == OWNER || role == ADMIN
}

/// Where the caller stands in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// An app admin (passes every rule).
    AppAdmin,
    /// A member with this role level.
    Member(i32),
    /// Not a member.
    Outsider,
}

impl Standing {
    /// The standing of a caller who is (`is_app_admin`) an app admin and has `role` in the group.
    pub fn of(is_app_admin: bool, role: Option<i32>) -> Self {
        match (is_app_admin, role) {
            (true, _) => Standing::AppAdmin,
            (false, Some(r)) => Standing::Member(r),
            (false, None) => Standing::Outsider,
        }
    }

    /// The member role, if the caller is a member and not an app admin.
    pub fn role(self) -> Option<i32> {
        match self {
            Standing::Member(r) => Some(r),
            _ => None,
        }
    }
}

fn deny(why: &str) -> ImError {
    ImError::no_permission(why)
}

/// Owner, admin or app admin (set group info, mute the group, handle applications, …).
pub fn check_manage(op: Standing) -> ImResult<()> {
    match op {
        Standing::AppAdmin => Ok(()),
        Standing::Member(r) if is_manager(r) => Ok(()),
        Standing::Member(_) => Err(deny("no group owner or admin")),
        Standing::Outsider => Err(deny("not in the group")),
    }
}

/// Member or app admin (reading members, inviting).
pub fn check_member(op: Standing) -> ImResult<()> {
    match op {
        Standing::Outsider => Err(deny("op user not in group")),
        _ => Ok(()),
    }
}

/// Kicking a member with role `target`: the owner kicks anyone, an admin only ordinary members.
/// (Kicking oneself or the owner is rejected earlier with 1001.)
pub fn check_kick(op: Standing, target: i32) -> ImResult<()> {
    match op {
        Standing::AppAdmin | Standing::Member(OWNER) => Ok(()),
        Standing::Member(ADMIN) if target == ORDINARY => Ok(()),
        Standing::Member(ADMIN) => Err(deny("group admins cannot remove the group owner and other admins")),
        Standing::Member(_) => Err(deny("opUserID no permission")),
        Standing::Outsider => Err(deny("opUserID not in group")),
    }
}

/// Muting or unmuting a member with role `target`: nobody mutes the owner, only the owner
/// mutes admins, owner and admins mute ordinary members.
pub fn check_mute(op: Standing, target: i32) -> ImResult<()> {
    let role = match op {
        Standing::AppAdmin => return Ok(()),
        Standing::Outsider => return Err(deny("not in the group")),
        Standing::Member(r) => r,
    };
    match target {
        OWNER => Err(deny("set group owner mute")),
        ADMIN if role != OWNER => Err(deny("set group admin mute")),
        ADMIN => Ok(()),
        _ if is_manager(role) => Ok(()),
        _ => Err(deny("set group ordinary users mute")),
    }
}

/// A requested role level: only 60 and 20 may be set (100 → 1002, anything else → 1001).
pub fn check_requested_role(role: i32) -> ImResult<()> {
    match role {
        OWNER => Err(deny("cannot set group owner")),
        ADMIN | ORDINARY => Ok(()),
        _ => Err(ImError::args("invalid role level")),
    }
}

/// One member change of `set_group_member_info`, as the rules see it.
#[derive(Debug, Clone, Copy)]
pub struct MemberChange<'a> {
    /// Target user.
    pub user_id: &'a str,
    /// Target's current role.
    pub role: i32,
    /// Role requested (`None` = unchanged).
    pub new_role: Option<i32>,
}

/// `set_group_member_info` rules for the changes of one group: an ordinary member changes only
/// themselves, an admin themselves and ordinary members, the owner anyone; nobody raises their
/// own role; the owner's role changes only by transfer.
pub fn check_member_info(op: Standing, op_user_id: &str, changes: &[MemberChange<'_>]) -> ImResult<()> {
    for c in changes {
        if let Some(r) = c.new_role {
            check_requested_role(r)?;
            if c.role == OWNER && r != OWNER {
                return Err(if c.user_id == op_user_id {
                    ImError::args("group owner can not change own role level")
                } else {
                    deny("the owner's role changes only by transfer_group")
                });
            }
        }
    }
    let role = match op {
        Standing::AppAdmin => return Ok(()),
        Standing::Outsider => return Err(deny("user not in group")),
        Standing::Member(r) => r,
    };
    for c in changes {
        let is_self = c.user_id == op_user_id;
        match role {
            OWNER => {}
            ADMIN if c.role == OWNER => return Err(deny("admin can not change group owner")),
            ADMIN if c.role == ADMIN && !is_self => return Err(deny("admin can not change other group admin")),
            ADMIN => {}
            _ if !is_self => return Err(deny("ordinary users can not change other role level")),
            _ => {}
        }
        if is_self && c.new_role.is_some_and(|r| r > c.role) {
            return Err(deny("can not improve role level by self"));
        }
    }
    Ok(())
}

/// Transfer rules: `old_role` must be the owner's, and the caller must be that owner (or an
/// app admin).
pub fn check_transfer(op: Standing, op_user_id: &str, old_owner: &str, old_role: i32) -> ImResult<()> {
    if old_role != OWNER {
        return Err(deny("oldOwnerUserID is not the group owner"));
    }
    match op {
        Standing::AppAdmin => Ok(()),
        _ if op_user_id == old_owner => Ok(()),
        _ => Err(deny("no permission transfer group owner")),
    }
}

/// Dismissing: the owner or an app admin.
pub fn check_dismiss(op: Standing) -> ImResult<()> {
    match op {
        Standing::AppAdmin | Standing::Member(OWNER) => Ok(()),
        _ => Err(deny("not group owner")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: Standing = Standing::AppAdmin;
    const O: Standing = Standing::Member(OWNER);
    const A: Standing = Standing::Member(ADMIN);
    const M: Standing = Standing::Member(ORDINARY);
    const X: Standing = Standing::Outsider;

    fn code(r: ImResult<()>) -> i32 {
        r.map(|_| 0).unwrap_or_else(|e| e.code)
    }

    #[test]
    fn kick_and_mute_matrix() {
        // rows: op; columns: target owner, admin, ordinary
        let kick = [(APP, [0, 0, 0]), (O, [0, 0, 0]), (A, [1002, 1002, 0]), (M, [1002; 3]), (X, [1002; 3])];
        for (op, want) in kick {
            let got = [OWNER, ADMIN, ORDINARY].map(|t| code(check_kick(op, t)));
            assert_eq!(got, want, "kick by {op:?}");
        }
        let mute = [(APP, [0, 0, 0]), (O, [1002, 0, 0]), (A, [1002, 1002, 0]), (M, [1002; 3]), (X, [1002; 3])];
        for (op, want) in mute {
            let got = [OWNER, ADMIN, ORDINARY].map(|t| code(check_mute(op, t)));
            assert_eq!(got, want, "mute by {op:?}");
        }
    }

    #[test]
    fn member_info_rules() {
        let ch = |user_id, role, new_role| MemberChange { user_id, role, new_role };
        // Ordinary: only self, never raise.
        assert_eq!(code(check_member_info(M, "m", &[ch("m", ORDINARY, None)])), 0);
        assert_eq!(code(check_member_info(M, "m", &[ch("m", ORDINARY, Some(ADMIN))])), 1002);
        assert_eq!(code(check_member_info(M, "m", &[ch("x", ORDINARY, None)])), 1002);
        // Admin: self and ordinary; not the owner, not other admins.
        assert_eq!(code(check_member_info(A, "a", &[ch("x", ORDINARY, Some(ADMIN))])), 0);
        assert_eq!(code(check_member_info(A, "a", &[ch("a", ADMIN, Some(ORDINARY))])), 0);
        assert_eq!(code(check_member_info(A, "a", &[ch("b", ADMIN, None)])), 1002);
        assert_eq!(code(check_member_info(A, "a", &[ch("o", OWNER, None)])), 1002);
        // Owner: anyone, but not their own role; role 100 is never set; bad roles are 1001.
        assert_eq!(code(check_member_info(O, "o", &[ch("a", ADMIN, Some(ORDINARY))])), 0);
        assert_eq!(code(check_member_info(O, "o", &[ch("o", OWNER, Some(ADMIN))])), 1001);
        assert_eq!(code(check_member_info(O, "o", &[ch("x", ORDINARY, Some(OWNER))])), 1002);
        assert_eq!(code(check_member_info(O, "o", &[ch("x", ORDINARY, Some(7))])), 1001);
        // App admin: anyone, except demoting the owner (closed hole).
        assert_eq!(code(check_member_info(APP, "z", &[ch("a", ADMIN, Some(ORDINARY))])), 0);
        assert_eq!(code(check_member_info(APP, "z", &[ch("o", OWNER, Some(ORDINARY))])), 1002);
        assert_eq!(code(check_member_info(X, "z", &[ch("a", ADMIN, None)])), 1002);
    }

    #[test]
    fn transfer_dismiss_manage() {
        assert_eq!(code(check_transfer(O, "o", "o", OWNER)), 0);
        assert_eq!(code(check_transfer(A, "a", "o", OWNER)), 1002);
        assert_eq!(code(check_transfer(APP, "z", "o", OWNER)), 0);
        assert_eq!(code(check_transfer(APP, "z", "a", ADMIN)), 1002, "must start from the owner");
        assert_eq!([APP, O, A, M, X].map(|s| code(check_dismiss(s))), [0, 0, 1002, 1002, 1002]);
        assert_eq!([APP, O, A, M, X].map(|s| code(check_manage(s))), [0, 0, 0, 1002, 1002]);
        assert_eq!([APP, O, A, M, X].map(|s| code(check_member(s))), [0, 0, 0, 0, 1002]);
        assert_eq!(Standing::of(true, None), APP);
        assert_eq!(Standing::of(false, Some(60)).role(), Some(60));
    }
}
