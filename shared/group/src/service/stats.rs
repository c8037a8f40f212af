//! `/statistics/group/create` (the group service's `GroupCreateCount`): groups created in a
//! time range, per UTC day.

use std::collections::BTreeMap;

use im_domain::{ImError, ImResult};
use im_wire::pb::group::{GroupCreateCountReq, GroupCreateCountResp};

use super::{Actor, GroupService};

/// `YYYY-MM-DD` (UTC) of a Unix time in milliseconds.
pub use im_domain::clock::utc_day;

impl GroupService {
    /// Groups created: `total` overall, `before` before `start`, `count` per day in
    /// `[start, end)` (ms, both > 0, else 1001).
    pub async fn group_create_count(&self, actor: &Actor, req: GroupCreateCountReq) -> ImResult<GroupCreateCountResp> {
        if req.start <= 0 {
            return Err(ImError::args("start is invalid"));
        }
        if req.end <= 0 {
            return Err(ImError::args("end is invalid"));
        }
        let groups = self.repo.all_groups_newest_first(&actor.tenant).await?;
        let mut count: BTreeMap<String, i64> = BTreeMap::new();
        let mut before = 0;
        for g in &groups {
            if g.create_time < req.start {
                before += 1;
            } else if g.create_time < req.end {
                *count.entry(utc_day(g.create_time)).or_default() += 1;
            }
        }
        Ok(GroupCreateCountResp { total: groups.len() as i64, before, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days() {
        assert_eq!(utc_day(0), "1970-01-01");
        assert_eq!(utc_day(951_782_400_000), "2000-02-29");
        assert_eq!(utc_day(1_795_315_200_000), "2026-11-22");
        assert_eq!(utc_day(-1), "1969-12-31");
    }
}
