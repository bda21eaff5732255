//! The two paging conventions: GSL pages by page number from 1, BSS by 0-based record offset.

use crate::operation::PagingStyle;

/// GSL's largest page number.
pub const GSL_MAX_PAGE: i64 = 1_000_000;

/// The offset of the first request.
pub fn first_offset(style: PagingStyle) -> i64 {
    match style {
        PagingStyle::PageNumber => 1,
        PagingStyle::RecordOffset => 0,
    }
}

/// The offset of the next request, or `None` when the listing is complete.
///
/// Never loops forever: a short or empty page ends it, so does reaching the declared total or the page cap.
pub fn next_offset(
    style: PagingStyle,
    offset: i64,
    limit: i64,
    page_len: i64,
    fetched: i64,
    total: Option<i64>,
) -> Option<i64> {
    if page_len == 0 || page_len < limit || total.is_some_and(|t| fetched >= t) {
        return None;
    }
    match style {
        PagingStyle::PageNumber => (offset < GSL_MAX_PAGE).then_some(offset + 1),
        PagingStyle::RecordOffset => Some(offset + page_len),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PagingStyle::*;

    /// Simulates paging over `total` records served `limit` at a time, as each convention serves them.
    fn walk(style: PagingStyle, total: i64, limit: i64, declare_total: bool) -> (i64, Vec<i64>) {
        let mut offsets = vec![];
        let mut offset = first_offset(style);
        let mut fetched = 0;
        loop {
            offsets.push(offset);
            let start = match style {
                PageNumber => (offset - 1) * limit,
                RecordOffset => offset,
            };
            let n = (total - start).clamp(0, limit);
            fetched += n;
            match next_offset(style, offset, limit, n, fetched, declare_total.then_some(total)) {
                Some(next) => offset = next,
                None => return (fetched, offsets),
            }
            assert!(offsets.len() < 10_000, "paging must terminate");
        }
    }

    #[test]
    fn gsl_pages_are_numbered_from_one() {
        let (fetched, offsets) = walk(PageNumber, 25, 10, true);
        assert_eq!(fetched, 25);
        assert_eq!(offsets, vec![1, 2, 3]);
    }

    #[test]
    fn bss_offsets_count_records_from_zero() {
        let (fetched, offsets) = walk(RecordOffset, 25, 10, true);
        assert_eq!(fetched, 25);
        assert_eq!(offsets, vec![0, 10, 20]);
    }

    #[test]
    fn an_exact_multiple_stops_on_the_total_or_on_the_empty_page() {
        assert_eq!(walk(PageNumber, 20, 10, true).1, vec![1, 2]);
        // Without a total, one extra (empty) page is needed to know the end.
        assert_eq!(walk(PageNumber, 20, 10, false).1, vec![1, 2, 3]);
        assert_eq!(walk(RecordOffset, 20, 10, false).1, vec![0, 10, 20]);
    }

    #[test]
    fn empty_listing_is_one_request() {
        assert_eq!(walk(PageNumber, 0, 10, true).1, vec![1]);
        assert_eq!(walk(RecordOffset, 0, 10, false).1, vec![0]);
    }

    #[test]
    fn a_lying_total_cannot_cause_an_endless_loop() {
        // The server claims more than it serves: the short page still ends it.
        assert_eq!(next_offset(PageNumber, 3, 10, 4, 24, Some(1_000)), None);
        // Full pages forever stop at the page cap.
        assert_eq!(next_offset(PageNumber, GSL_MAX_PAGE, 10, 10, 10, None), None);
    }
}
