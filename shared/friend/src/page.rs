//! OpenIM page selection (`RequestPagination`): validated like the protocol's `Check()`, applied
//! like `mongoutil.FindPage` (skip `(pageNumber-1)*showNumber`, take `showNumber`; a
//! `showNumber` ≤ 0 takes everything — Mongo's limit 0).

use im_domain::{ImError, ImResult};
use im_wire::pb::sdkws::RequestPagination;

/// A validated page selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSel {
    /// Page, from 1.
    pub number: i32,
    /// Items per page; ≤ 0 = all.
    pub show: i32,
}

impl PageSel {
    /// Validates a request's `pagination`: absent → "pagination is empty", `pageNumber` < 1 →
    /// "pageNumber is invalid" (both 1001).
    pub fn from_request(p: Option<&RequestPagination>) -> ImResult<PageSel> {
        let p = p.ok_or_else(|| ImError::args("pagination is empty"))?;
        if p.page_number < 1 {
            return Err(ImError::args("pageNumber is invalid"));
        }
        Ok(PageSel { number: p.page_number, show: p.show_number })
    }

    /// The selected page of `items` (already in order).
    pub fn apply<T>(self, items: Vec<T>) -> Vec<T> {
        if self.show <= 0 {
            return items;
        }
        let show = self.show as usize;
        let skip = (self.number as usize - 1).saturating_mul(show);
        items.into_iter().skip(skip).take(show).collect()
    }
}

/// A total as the wire's `int32`.
pub fn total(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_and_slicing() {
        assert_eq!(PageSel::from_request(None).unwrap_err().dlt, "pagination is empty");
        let bad = RequestPagination { page_number: 0, show_number: 10 };
        assert_eq!(PageSel::from_request(Some(&bad)).unwrap_err().code, 1001);
        let p = PageSel::from_request(Some(&RequestPagination { page_number: 2, show_number: 3 })).unwrap();
        assert_eq!(p.apply((1..=8).collect()), vec![4, 5, 6]);
        assert_eq!(PageSel { number: 4, show: 3 }.apply((1..=8).collect::<Vec<_>>()), Vec::<i32>::new());
        assert_eq!(PageSel { number: 3, show: 0 }.apply(vec![1, 2]), vec![1, 2]);
        assert_eq!(total(7), 7);
    }
}
