//! Argument rules shared by the user operations (protocol `Check()` functions and the user
//! service's own checks). Failures are 1001 ArgsError naming the problem.

use im_domain::constants::{app_manager_level, recv_msg_opt};
use im_domain::{ImError, ImResult};

/// Longest accepted user ID, in bytes (keys embed it; OpenIM sets no limit).
pub const MAX_USER_ID_BYTES: usize = 256;

/// Whether `id` is a legal user ID: only Unicode letters, digits and `_` (OpenIM
/// `IsLegalUserID`; the empty string passes here and is rejected by [`user_id`]).
pub fn is_legal_user_id(id: &str) -> bool {
    id.chars().all(|c| c.is_alphabetic() || c.is_numeric() || c == '_')
}

/// A user ID to register: non-empty, legal characters, at most [`MAX_USER_ID_BYTES`].
pub fn user_id(id: &str) -> ImResult<()> {
    if id.is_empty() {
        return Err(ImError::args("userID is empty"));
    }
    if !is_legal_user_id(id) {
        return Err(ImError::args(format!("userID {id:?} is illegal: only letters, digits and _ are allowed")));
    }
    if id.len() > MAX_USER_ID_BYTES {
        return Err(ImError::args(format!("userID is longer than {MAX_USER_ID_BYTES} bytes")));
    }
    Ok(())
}

/// An `appMangerLevel` value (0 ordinary … 4 robot).
pub fn level(level: i32) -> ImResult<()> {
    if (app_manager_level::IM_ORDINARY..=app_manager_level::ROBOT_ADMIN).contains(&level) {
        Ok(())
    } else {
        Err(ImError::args(format!("appMangerLevel {level} is invalid")))
    }
}

/// A `globalRecvMsgOpt` value (0 receive, 1 don't receive, 2 receive without notification).
pub fn recv_opt(opt: i32) -> ImResult<()> {
    if (recv_msg_opt::NORMAL..=recv_msg_opt::NOT_NOTIFY).contains(&opt) {
        Ok(())
    } else {
        Err(ImError::args("GlobalRecvMsgOpt is invalid"))
    }
}

/// OpenIM `RequestPagination`: `pageNumber` ≥ 1; a `showNumber` ≤ 0 yields an empty page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pagination {
    /// 1-based page number.
    pub page_number: i32,
    /// Page size.
    pub show_number: i32,
}

impl Pagination {
    /// The pagination of a request: absent → "pagination is empty", `pageNumber` < 1 →
    /// "pageNumber is invalid" (both 1001).
    pub fn check(p: Option<Pagination>) -> ImResult<Pagination> {
        let p = p.ok_or_else(|| ImError::args("pagination is empty"))?;
        if p.page_number < 1 {
            return Err(ImError::args("pageNumber is invalid"));
        }
        Ok(p)
    }

    /// Items to skip and to take; `None` when the page is empty by construction.
    pub fn window(&self) -> Option<(usize, usize)> {
        let take = usize::try_from(self.show_number).ok().filter(|n| *n > 0)?;
        let page = usize::try_from(self.page_number).ok().filter(|n| *n > 0)?;
        Some(((page - 1).saturating_mul(take), take))
    }

    /// The page of `items` (OpenIM `datautil.Paginate`).
    pub fn slice<T>(&self, items: Vec<T>) -> Vec<T> {
        match self.window() {
            Some((skip, take)) => items.into_iter().skip(skip).take(take).collect(),
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids() {
        for ok in ["user_10001", "张三", "Ünïcode_9", "٣٤"] {
            assert!(user_id(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a:b", "a b", "a-b", "a.b", "a#b", "a/b"] {
            assert_eq!(user_id(bad).unwrap_err().code, 1001, "{bad}");
        }
        assert!(user_id(&"x".repeat(257)).is_err());
        assert!(is_legal_user_id(""));
    }

    #[test]
    fn ranges() {
        assert!(level(4).is_ok() && level(5).is_err() && level(-1).is_err());
        assert!(recv_opt(2).is_ok() && recv_opt(3).is_err());
    }

    #[test]
    fn pagination() {
        assert_eq!(Pagination::check(None).unwrap_err().dlt, "pagination is empty");
        let p = |page_number, show_number| Pagination { page_number, show_number };
        assert_eq!(Pagination::check(Some(p(0, 10))).unwrap_err().dlt, "pageNumber is invalid");
        assert_eq!(p(3, 10).window(), Some((20, 10)));
        assert_eq!(p(1, 0).window(), None);
        assert_eq!(p(2, 2).slice(vec![1, 2, 3, 4, 5]), vec![3, 4]);
        assert_eq!(p(9, 2).slice(vec![1, 2, 3]), Vec::<i32>::new());
    }
}
