//! Multi-login policies at token issue (reference §3), as a pure function.
//!
//! OpenIM walks Redis hashes in random order; here "oldest"/"newest" follow the issue time (then
//! the signature), so the outcome is deterministic:
//! * 0 — per platform keep at most `max_num_one_end` tokens, counting the new one; kick the oldest.
//! * 1 — on every platform keep only the newest token; on the requesting platform kick them all.
//! * 4 — kick every token of the requesting platform's class; keep the newest token of each
//!   other class.
//! * 5 — PC tokens are never kicked. A non-PC login kicks every non-PC token; a PC login keeps
//!   one non-PC token (Android's newest if Android has one, else the newest) and kicks the rest.

use std::collections::BTreeMap;

use im_domain::constants::platform::{self, Class};

use crate::config::{MultiLogin, Policy};

/// A valid (state 0, unexpired) token a policy may kick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Live<'a> {
    /// Platform the token was issued for.
    pub platform_id: i32,
    /// Issue time, Unix seconds.
    pub iat: i64,
    /// Signature (tie-breaker).
    pub sig: &'a str,
}

/// Indices into `live` of the tokens to kick when a token for `new_platform` is issued.
pub fn kicks(ml: &MultiLogin, live: &[Live<'_>], new_platform: i32) -> Vec<usize> {
    let mut by_platform: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, t) in live.iter().enumerate() {
        by_platform.entry(t.platform_id).or_default().push(i);
    }
    let age = |i: &usize| (live[*i].iat, live[*i].sig);
    for ts in by_platform.values_mut() {
        ts.sort_by_key(age);
    }
    let class = platform::class;
    let mut kick = Vec::new();
    match ml.policy {
        Policy::DefaultNotKick => {
            for (plt, ts) in &by_platform {
                let count = ts.len() + usize::from(*plt == new_platform);
                if count > ml.max_num_one_end {
                    kick.extend(ts.iter().take(count - ml.max_num_one_end));
                }
            }
        }
        Policy::AllLoginButSameTermKick => {
            for (plt, ts) in &by_platform {
                let keep = usize::from(*plt != new_platform);
                kick.extend(&ts[..ts.len() - keep.min(ts.len())]);
            }
        }
        Policy::AllLoginButSameClassKick => {
            let new_class = class(new_platform);
            let mut by_class: BTreeMap<Option<ClassKey>, Vec<usize>> = BTreeMap::new();
            for (plt, ts) in &by_platform {
                if class(*plt) == new_class {
                    kick.extend(ts);
                } else {
                    by_class.entry(class(*plt).map(ClassKey::from)).or_default().extend(ts);
                }
            }
            kick.extend(all_but_newest(by_class.into_values(), age));
        }
        Policy::PcAndOther => {
            let non_pc: Vec<usize> = by_platform
                .iter()
                .filter(|(p, _)| class(**p) != Some(Class::Pc))
                .flat_map(|(_, ts)| ts)
                .copied()
                .collect();
            if class(new_platform) != Some(Class::Pc) {
                kick.extend(non_pc);
            } else {
                let android_newest = by_platform.get(&platform::ANDROID).and_then(|ts| ts.last()).copied();
                let keep = android_newest.or_else(|| non_pc.iter().copied().max_by_key(age));
                kick.extend(non_pc.into_iter().filter(|i| Some(*i) != keep));
            }
        }
    }
    kick.sort_unstable();
    kick
}

/// Every index of each group except its newest.
fn all_but_newest<'a, K: Ord + 'a>(
    groups: impl Iterator<Item = Vec<usize>>,
    age: impl Fn(&usize) -> K + Copy,
) -> impl Iterator<Item = usize> {
    groups.flat_map(move |mut g| {
        g.sort_by_key(age);
        g.pop();
        g
    })
}

/// Orderable stand-in for [`Class`] (used as a map key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct ClassKey(u8);

impl From<Class> for ClassKey {
    fn from(c: Class) -> Self {
        ClassKey(match c {
            Class::Mobile => 0,
            Class::Pc => 1,
            Class::Pad => 2,
            Class::Web => 3,
            Class::MiniWeb => 4,
            Class::Admin => 5,
            Class::HarmonyOs => 6,
        })
    }
}

#[cfg(test)]
mod tests {
    use im_domain::constants::platform::*;

    use super::*;

    fn ml(policy: Policy, max: usize) -> MultiLogin {
        MultiLogin { policy, max_num_one_end: max }
    }

    fn live(spec: &[(i32, i64)]) -> Vec<Live<'static>> {
        spec.iter().map(|&(platform_id, iat)| Live { platform_id, iat, sig: "s" }).collect()
    }

    #[test]
    fn policy_0_caps_each_platform() {
        let l = live(&[(WEB, 3), (WEB, 1), (WEB, 2), (IOS, 1), (IOS, 2), (IOS, 3)]);
        // New Web token: Web has 3+1 > 3 → kick the oldest Web (index 1); iOS 3 ≤ 3.
        assert_eq!(kicks(&ml(Policy::DefaultNotKick, 3), &l, WEB), vec![1]);
        assert_eq!(kicks(&ml(Policy::DefaultNotKick, 2), &l, WEB), vec![1, 2, 3]);
    }

    #[test]
    fn policy_1_same_terminal() {
        let l = live(&[(WEB, 1), (WEB, 2), (IOS, 1), (IOS, 5)]);
        assert_eq!(kicks(&ml(Policy::AllLoginButSameTermKick, 30), &l, WEB), vec![0, 1, 2]);
        assert_eq!(kicks(&ml(Policy::AllLoginButSameTermKick, 30), &l, ANDROID), vec![0, 2]);
        assert!(kicks(&ml(Policy::AllLoginButSameTermKick, 30), &[], WEB).is_empty());
    }

    #[test]
    fn policy_4_same_class() {
        // Android login kicks iOS (same class); Windows+Linux (PC) keep the newest; Web keeps its one.
        let l = live(&[(IOS, 1), (WINDOWS, 2), (LINUX, 3), (WEB, 1)]);
        assert_eq!(kicks(&ml(Policy::AllLoginButSameClassKick, 30), &l, ANDROID), vec![0, 1]);
    }

    #[test]
    fn policy_5_pc_and_other() {
        let l = live(&[(WINDOWS, 1), (IOS, 4), (ANDROID, 2), (WEB, 3), (OSX, 2)]);
        // Non-PC login: every non-PC token goes.
        assert_eq!(kicks(&ml(Policy::PcAndOther, 30), &l, WEB), vec![1, 2, 3]);
        // PC login: Android preferred.
        assert_eq!(kicks(&ml(Policy::PcAndOther, 30), &l, LINUX), vec![1, 3]);
        // PC login without Android: the newest non-PC stays.
        let l = live(&[(IOS, 4), (WEB, 3)]);
        assert_eq!(kicks(&ml(Policy::PcAndOther, 30), &l, WINDOWS), vec![1]);
    }
}
