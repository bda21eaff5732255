//! A card's usage: per day for the last 90 days and per bill cycle for 24 months. Bill cycles are
//! calendar months in UTC+8, as GSL defines them.

use chrono::{Datelike, FixedOffset, NaiveDate, Utc};
use hwcloud::gsl::{ListSimCardFlowPerDayRequest, ShowMonthUsageReq, ShowMonthUsagesRequest, SimCardFlowPerDayReq};
use hwcloud::{Client, Identity};
use model::sim::CentiMb;

use super::sim_cards::{centi_mb, check_sim_card_id};
use crate::error::ServiceError;

/// Days of daily usage shown.
pub const DAYS: i64 = 90;
/// Bill cycles of monthly usage shown.
pub const CYCLES: u32 = 24;

/// A card's usage history.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Usage {
    /// (day, usage), oldest first, up to yesterday.
    pub daily: Vec<(NaiveDate, CentiMb)>,
    /// (bill cycle `YYYY-MM`, usage), oldest first, up to the current cycle.
    pub monthly: Vec<(String, CentiMb)>,
}

/// Today in China (UTC+8), the calendar GSL's bill cycles follow.
pub fn today_cn() -> NaiveDate {
    let cn = FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"));
    Utc::now().with_timezone(&cn).date_naive()
}

/// The bill cycle `k` months before the one containing `day`, as `YYYY-MM`.
pub fn cycle_before(day: NaiveDate, k: u32) -> String {
    let months = day.year() * 12 + i32::try_from(day.month0()).unwrap_or(0) - i32::try_from(k).unwrap_or(0);
    format!("{:04}-{:02}", months.div_euclid(12), months.rem_euclid(12) + 1)
}

/// Usage of one card.
pub async fn of_card(client: &Client, who: &Identity, sim_card_id: i64) -> Result<Usage, ServiceError> {
    check_sim_card_id(sim_card_id)?;
    let today = today_cn();
    let first_day = today - chrono::Duration::days(DAYS);
    // The months the last 90 days touch (at most four).
    let months: Vec<String> = (0..4).map(|k| cycle_before(today, k)).filter(|m| *m >= cycle_before(first_day, 0)).collect();
    let daily = futures::future::try_join_all(months.iter().map(|m| {
        let req = ListSimCardFlowPerDayRequest {
            body: SimCardFlowPerDayReq { sim_card_ids: Some(vec![sim_card_id]), month: Some(m.clone()), ..Default::default() },
        };
        async move { client.call(who, &req).await }
    }));
    let cycles: Vec<String> = (0..CYCLES).rev().map(|k| cycle_before(today, k)).collect();
    let monthly = futures::future::try_join_all(cycles.chunks(6).map(|chunk| {
        let req = ShowMonthUsagesRequest {
            body: ShowMonthUsageReq { sim_card_ids: Some(vec![sim_card_id]), billing_cycles: chunk.to_vec(), ..Default::default() },
        };
        async move { client.call(who, &req).await }
    }));
    let (daily, monthly) = futures::try_join!(daily, monthly)?;
    let mut days: Vec<(NaiveDate, CentiMb)> = daily
        .into_iter()
        .flat_map(|r| r.value)
        .filter_map(|d| {
            let day = NaiveDate::parse_from_str(d.date.as_deref()?, "%Y-%m-%d").ok()?;
            let flow = d.sim_flow?.into_iter().find(|f| f.sim_card_id == Some(sim_card_id))?.flow?;
            (day >= first_day).then(|| (day, centi_mb(flow)))
        })
        .collect();
    days.sort_by_key(|(d, _)| *d);
    let mut months: Vec<(String, CentiMb)> = monthly
        .into_iter()
        .flat_map(|r| r.value.month_usages.unwrap_or_default())
        .filter(|m| m.sim_card_id == Some(sim_card_id))
        .flat_map(|m| m.flow_usages.unwrap_or_default())
        .filter_map(|u| Some((u.billing_cycle?, centi_mb(u.flow_used?))))
        .collect();
    months.sort();
    Ok(Usage { daily: days, monthly: months })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_count_back_across_years() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 10).expect("date");
        assert_eq!(cycle_before(d, 0), "2026-02");
        assert_eq!(cycle_before(d, 2), "2025-12");
        assert_eq!(cycle_before(d, 14), "2024-12");
    }
}
