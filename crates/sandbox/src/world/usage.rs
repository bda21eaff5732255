//! Data usage, derived from the seed per card and day instead of stored (90 days x 1M cards would not fit).

use chrono::{Datelike, NaiveDate};

use super::catalog::PLANS;
use super::rng::hash;
use super::sim::status;
use super::{World, day_date, epoch_day};

/// A bill cycle `YYYY-MM` (UTC+8, as GSL and BSS define it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BillCycle {
    /// Year.
    pub year: i32,
    /// Month 1..=12.
    pub month: u32,
}

impl BillCycle {
    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Self> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let cycle = BillCycle {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        (1..=12).contains(&cycle.month).then_some(cycle)
    }

    /// The cycle containing a date.
    pub fn of(d: NaiveDate) -> Self {
        BillCycle {
            year: d.year(),
            month: d.month(),
        }
    }

    /// First day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    /// The cycle `n` months earlier.
    pub fn minus(self, n: u32) -> Self {
        let total = self.year * 12 + i32::try_from(self.month).unwrap_or(1)
            - 1
            - i32::try_from(n).unwrap_or(0);
        BillCycle {
            year: total.div_euclid(12),
            month: u32::try_from(total.rem_euclid(12)).unwrap_or(0) + 1,
        }
    }

    /// The next cycle.
    pub fn next(self) -> Self {
        if self.month == 12 {
            BillCycle {
                year: self.year + 1,
                month: 1,
            }
        } else {
            BillCycle {
                month: self.month + 1,
                ..self
            }
        }
    }
}

impl std::fmt::Display for BillCycle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// Data card `i` used on epoch day `day`, in hundredths of a MB.
pub fn daily_usage_centi(world: &World, i: u32, day: i32) -> u32 {
    let card = &world.sims[i as usize];
    if card.act_day == 0 || day < card.act_day {
        return 0;
    }
    // Stopped and dismantled cards have been silent for the last 30 days.
    if matches!(card.status, status::STOPPED | status::DISMANTLED) && day > world.today - 30 {
        return 0;
    }
    let plan_centi = u64::try_from(PLANS[usize::from(card.plan)].flow_total_mb).unwrap_or(0) * 100;
    // Each card has its own appetite (10%..130% of its plan per month) and each day varies (50%..150%).
    let appetite = 10 + hash(world.seed, u64::from(i), 100, 0) % 121;
    let daily = hash(
        world.seed,
        u64::from(i),
        101,
        u64::try_from(day).unwrap_or(0),
    ) % 101
        + 50;
    u32::try_from(plan_centi * appetite * daily / (30 * 100 * 100)).unwrap_or(u32::MAX)
}

/// Data card `i` used in a bill cycle, up to (not including) `until` day, in hundredths of a MB.
pub fn month_usage_centi(world: &World, i: u32, cycle: BillCycle, until: i32) -> u32 {
    let first = epoch_day(cycle.first_day());
    let end = epoch_day(cycle.next().first_day()).min(until);
    (first..end).map(|d| daily_usage_centi(world, i, d)).sum()
}

/// The calendar date of an epoch day, `YYYY-MM-DD`.
pub fn day_label(day: i32) -> String {
    day_date(day).format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bill_cycles_parse_and_step() {
        let c = BillCycle::parse("2026-01").expect("valid");
        assert_eq!(c.minus(1).to_string(), "2025-12");
        assert_eq!(c.minus(13).to_string(), "2024-12");
        assert_eq!(BillCycle::parse("2025-12").map(BillCycle::next), Some(c));
        assert_eq!(BillCycle::parse("2026-13"), None);
        assert_eq!(BillCycle::parse("26-01"), None);
    }
}
