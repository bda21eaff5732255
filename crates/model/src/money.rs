//! Money and bill cycles as BSS defines them: decimal yuan (never floats), measure units
//! converted exactly, cycles and days in UTC+8, and the API's own limits on date ranges.

use chrono::{DateTime, Datelike, FixedOffset, Months, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::Invalid;

/// BSS measure units (`list_measure_units`): 1 yuan, 2 jiao, 3 fen.
pub const YUAN: i64 = 1;

/// An amount given in BSS measure unit `measure_id`, in yuan; `None` for a unit that is not money.
pub fn to_yuan(amount: Decimal, measure_id: Option<i64>) -> Option<Decimal> {
    // `list_conversions`: 1 yuan = 10 jiao = 100 fen; exact in decimal.
    match measure_id.unwrap_or(YUAN) {
        1 => Some(amount),
        2 => Some(amount / Decimal::from(10)),
        3 => Some(amount / Decimal::from(100)),
        _ => None,
    }
}

/// An amount rounded to the fen the way a bill shows it (half away from zero, not banker's).
pub fn to_fen(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// `¥1,234.56` (a minus sign in front for refunds).
pub fn format_cny(amount: Decimal) -> String {
    let a = to_fen(amount);
    let sign = if a.is_sign_negative() && !a.is_zero() { "-" } else { "" };
    let text = format!("{:.2}", a.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((text.as_str(), "00"));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}¥{grouped}.{frac}")
}

/// China Standard Time, where BSS draws bill cycles and days.
pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"))
}

/// The UTC+8 day of an instant.
pub fn day_cn(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&china()).date_naive()
}

/// The bill cycle (`YYYY-MM`) `k` cycles before the one containing `day`.
pub fn cycle_before(day: NaiveDate, k: u32) -> String {
    let months = day.year() * 12 + i32::try_from(day.month0()).unwrap_or(0) - i32::try_from(k).unwrap_or(0);
    format!("{:04}-{:02}", months.div_euclid(12), months.rem_euclid(12) + 1)
}

/// Checks a bill cycle written `YYYY-MM`; its first day.
pub fn parse_cycle(cycle: &str) -> Result<NaiveDate, Invalid> {
    let bad = || Invalid::new("cycle", "is a month written YYYY-MM, such as 2026-10.");
    if cycle.len() != 7 {
        return Err(bad());
    }
    NaiveDate::parse_from_str(&format!("{cycle}-01"), "%Y-%m-%d").map_err(|_| bad())
}

/// Checks a day written `YYYY-MM-DD`.
pub fn parse_day(field: &'static str, day: &str) -> Result<NaiveDate, Invalid> {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| Invalid::new(field, "is a date written YYYY-MM-DD."))
}

/// BSS refuses date ranges longer than one year (orders, costs): checked before calling.
pub fn check_within_a_year(begin: NaiveDate, end: NaiveDate) -> Result<(), Invalid> {
    if end < begin {
        return Err(Invalid::new("dates", "The end date is before the start date."));
    }
    // Whole days on both ends: a year from 24 November ends on 23 November.
    if begin.checked_add_months(Months::new(12)).is_some_and(|limit| end >= limit) {
        return Err(Invalid::new("dates", "A date range is at most one year (BSS's limit); narrow it or export year by year."));
    }
    Ok(())
}

/// BSS refuses resource-record date ranges that cross a month: checked before calling.
pub fn check_same_month(begin: NaiveDate, end: NaiveDate) -> Result<(), Invalid> {
    if end < begin {
        return Err(Invalid::new("dates", "The end date is before the start date."));
    }
    if (begin.year(), begin.month()) != (end.year(), end.month()) {
        return Err(Invalid::new("dates", "Resource records are read one bill cycle at a time: start and end must be in the same month."));
    }
    Ok(())
}

/// Checks an amount of money typed by a person: positive, at most two decimals, below a bound.
pub fn check_amount(amount: Decimal, most: Decimal) -> Result<(), Invalid> {
    if amount <= Decimal::ZERO {
        return Err(Invalid::new("amount", "An amount must be more than zero."));
    }
    if amount.normalize().scale() > 2 {
        return Err(Invalid::new("amount", "An amount has at most two decimals (fen)."));
    }
    if amount > most {
        return Err(Invalid::new("amount", format!("An amount is at most {}.", format_cny(most))));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    #[test]
    fn measure_units_convert_exactly() {
        assert_eq!(to_yuan(d("123"), Some(3)), Some(d("1.23")));
        assert_eq!(to_yuan(d("15"), Some(2)), Some(d("1.5")));
        assert_eq!(to_yuan(d("0.01"), None), Some(d("0.01")));
        assert_eq!(to_yuan(d("1"), Some(11)), None);
        // 0.1 + 0.2 is 0.3 here, unlike in floating point.
        assert_eq!(d("0.1") + d("0.2"), d("0.3"));
    }

    #[test]
    fn amounts_are_written_in_yuan_with_fen() {
        assert_eq!(format_cny(d("1234567.8")), "¥1,234,567.80");
        assert_eq!(format_cny(d("-0.005")), "-¥0.01");
        assert_eq!(format_cny(d("0.125")), "¥0.13", "half away from zero, not to even");
        assert_eq!(format_cny(d("999")), "¥999.00");
        assert_eq!(format_cny(Decimal::ZERO), "¥0.00");
    }

    #[test]
    fn cycles_are_months_in_china() {
        let late = DateTime::parse_from_rfc3339("2026-10-31T17:30:00Z").expect("t").with_timezone(&Utc);
        assert_eq!(cycle_before(day_cn(late), 0), "2026-11", "17:30 UTC on the 31st is November in UTC+8");
        assert_eq!(cycle_before(NaiveDate::from_ymd_opt(2026, 1, 5).expect("d"), 1), "2025-12");
        assert!(parse_cycle("2026-13").is_err());
        assert!(parse_cycle("2026-1").is_err());
        assert_eq!(parse_cycle("2026-02"), Ok(NaiveDate::from_ymd_opt(2026, 2, 1).expect("d")));
    }

    #[test]
    fn ranges_follow_bss_limits() {
        let day = |s| parse_day("d", s).expect("day");
        assert!(check_within_a_year(day("2025-11-24"), day("2026-11-23")).is_ok());
        assert!(check_within_a_year(day("2025-11-24"), day("2026-11-24")).is_err());
        assert!(check_within_a_year(day("2026-11-24"), day("2026-11-23")).is_err());
        assert!(check_same_month(day("2026-10-01"), day("2026-10-31")).is_ok());
        assert!(check_same_month(day("2026-10-31"), day("2026-11-01")).is_err());
    }

    #[test]
    fn typed_amounts_are_positive_fen() {
        let most = d("1000000");
        assert!(check_amount(d("12.30"), most).is_ok());
        assert!(check_amount(d("-5"), most).is_err());
        assert!(check_amount(Decimal::ZERO, most).is_err());
        assert!(check_amount(d("1.001"), most).is_err());
        assert!(check_amount(d("1000000.01"), most).is_err());
    }
}
