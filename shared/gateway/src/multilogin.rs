//! Multi-login enforcement when a connection opens (reference §3, gateway side), as a pure
//! decision on the user's live connection records.
//!
//! * 0 — nothing.
//! * 1 — close the other connections of the same platform, then mark every other token of that
//!   user and platform kicked (the new one preserved).
//! * 4 — close every connection of the same platform class and mark their tokens kicked.
//! * 5 — a PC connection changes nothing; a non-PC one closes every non-PC connection, then
//!   marks the other tokens of its own platform kicked.
//!
//! Connections authenticated with the same token as the new one (the same device reconnecting,
//! or browser tabs sharing a token) are left alone: closing them would only start a reconnect
//! war, and kicking their token would kick the new connection's too.

use im_auth::Policy;
use im_domain::constants::platform::{self, Class};
use im_repo::connection::ConnectionRecord;

/// What to do about tokens after closing connections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenAction {
    /// Nothing.
    None,
    /// Every token of `platform_id` except the one with `preserve_sig` becomes kicked.
    InvalidateOthers {
        /// Platform whose tokens are invalidated.
        platform_id: i32,
        /// Key of the token that stays valid (`im_auth::jwt::token_key`).
        preserve_sig: String,
    },
    /// These (platform, token key) tokens become kicked.
    Kick(Vec<(i32, String)>),
}

/// The connections to close and the token action, for a new connection on `new_platform`
/// authenticated by the token `new_sig` (`existing` excludes the new connection).
pub fn decide(
    policy: Policy,
    existing: &[ConnectionRecord],
    new_platform: i32,
    new_sig: &str,
) -> (Vec<ConnectionRecord>, TokenAction) {
    let others = existing.iter().filter(|c| c.token_sig != new_sig);
    let class = platform::class;
    match policy {
        Policy::DefaultNotKick => (Vec::new(), TokenAction::None),
        Policy::AllLoginButSameTermKick => {
            let kick: Vec<_> = others.filter(|c| c.platform_id == new_platform).cloned().collect();
            (kick, invalidate(new_platform, new_sig))
        }
        Policy::PcAndOther => {
            if class(new_platform) == Some(Class::Pc) {
                return (Vec::new(), TokenAction::None);
            }
            let kick: Vec<_> = others.filter(|c| class(c.platform_id) != Some(Class::Pc)).cloned().collect();
            (kick, invalidate(new_platform, new_sig))
        }
        Policy::AllLoginButSameClassKick => {
            let kick: Vec<_> = others.filter(|c| class(c.platform_id) == class(new_platform)).cloned().collect();
            let mut tokens: Vec<(i32, String)> = kick.iter().map(|c| (c.platform_id, c.token_sig.clone())).collect();
            tokens.sort();
            tokens.dedup();
            let action = if tokens.is_empty() { TokenAction::None } else { TokenAction::Kick(tokens) };
            (kick, action)
        }
    }
}

fn invalidate(platform_id: i32, preserve_sig: &str) -> TokenAction {
    TokenAction::InvalidateOthers { platform_id, preserve_sig: preserve_sig.to_string() }
}

#[cfg(test)]
mod tests {
    use im_domain::constants::platform::*;

    use super::*;

    fn conn(id: &str, platform_id: i32, sig: &str) -> ConnectionRecord {
        ConnectionRecord { conn_id: id.into(), platform_id, token_sig: sig.into(), ..Default::default() }
    }

    fn ids(v: &[ConnectionRecord]) -> Vec<&str> {
        v.iter().map(|c| c.conn_id.as_str()).collect()
    }

    #[test]
    fn policies() {
        let live = [conn("w1", WEB, "a"), conn("w2", WEB, "new"), conn("i", IOS, "b"), conn("l", LINUX, "c")];
        let (k, a) = decide(Policy::DefaultNotKick, &live, WEB, "new");
        assert!(k.is_empty() && a == TokenAction::None);

        let (k, a) = decide(Policy::AllLoginButSameTermKick, &live, WEB, "new");
        assert_eq!(ids(&k), ["w1"]);
        assert_eq!(a, TokenAction::InvalidateOthers { platform_id: WEB, preserve_sig: "new".into() });

        let (k, _) = decide(Policy::PcAndOther, &live, ANDROID, "new");
        assert_eq!(ids(&k), ["w1", "i"]);
        let (k, a) = decide(Policy::PcAndOther, &live, WINDOWS, "new");
        assert!(k.is_empty() && a == TokenAction::None);

        let (k, a) = decide(Policy::AllLoginButSameClassKick, &live, ANDROID, "new");
        assert_eq!(ids(&k), ["i"]);
        assert_eq!(a, TokenAction::Kick(vec![(IOS, "b".into())]));
        let (k, a) = decide(Policy::AllLoginButSameClassKick, &[], ANDROID, "new");
        assert!(k.is_empty() && a == TokenAction::None);
    }
}
