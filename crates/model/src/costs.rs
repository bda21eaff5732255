//! Cost analysis as finance staff read it (BSS): costs grouped by a dimension month by month
//! (`list_costs`), a month's amortised breakdown (`list_customer_bills_monthly_break_down`) and
//! each resource's spend in a cycle (`list_customerself_resource_record_details`). Amounts are yuan.

use chrono::Months;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Invalid;
use crate::finance::check_id;
use crate::money::parse_cycle;

/// What costs are grouped by (BSS's cost dimensions a finance user asks about).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum CostDimension {
    /// Cloud service type.
    #[default]
    Service,
    /// Resource type.
    ResourceType,
    /// Charge mode (yearly/monthly, pay-per-use...).
    ChargeMode,
    /// Region.
    Region,
    /// One resource.
    Resource,
}

impl CostDimension {
    /// Every dimension, in the order a form offers them.
    pub const ALL: [CostDimension; 5] = [Self::Service, Self::ResourceType, Self::ChargeMode, Self::Region, Self::Resource];

    /// BSS's key for it.
    pub fn key(self) -> &'static str {
        match self {
            Self::Service => "CLOUD_SERVICE_TYPE",
            Self::ResourceType => "RESOURCE_TYPE",
            Self::ChargeMode => "CHARGING_MODE",
            Self::Region => "REGION_CODE",
            Self::Resource => "RESOURCE_ID",
        }
    }

    /// Its name in URLs.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::ResourceType => "resource_type",
            Self::ChargeMode => "charge_mode",
            Self::Region => "region",
            Self::Resource => "resource",
        }
    }

    /// The dimension named `slug` in a URL.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.slug() == slug)
    }
}

/// Groups per page of the cost analysis.
pub const COST_PAGE: u32 = 50;

/// A cost analysis: months `from..=to` (at most twelve), grouped by one dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CostQuery {
    /// First month, `YYYY-MM`.
    pub from: String,
    /// Last month, `YYYY-MM`.
    pub to: String,
    /// Grouped by.
    pub group: CostDimension,
    /// Amortised (spread over the months a purchase covers) rather than as charged.
    pub amortized: bool,
    /// What was actually paid (coupons left out) rather than what was owed.
    pub net: bool,
    /// 0-based page of groups.
    pub page: u32,
}

impl CostQuery {
    /// Checks the range: months written `YYYY-MM`, in order, at most twelve (BSS's limit).
    pub fn validate(&self) -> Result<(), Invalid> {
        self.months().map(|_| ())
    }

    /// The months of the range, in order.
    pub fn months(&self) -> Result<Vec<String>, Invalid> {
        let (from, to) = (parse_cycle(&self.from)?, parse_cycle(&self.to)?);
        if to < from {
            return Err(Invalid::new("months", "The last month is before the first."));
        }
        if from.checked_add_months(Months::new(12)).is_some_and(|limit| to >= limit) {
            return Err(Invalid::new("months", "Cost analysis covers at most twelve months (BSS's limit); narrow the range."));
        }
        if self.page > 10_000 {
            return Err(Invalid::new("page", "is too far."));
        }
        let mut out = Vec::new();
        let mut m = from;
        while m <= to {
            out.push(m.format("%Y-%m").to_string());
            m = m.checked_add_months(Months::new(1)).ok_or_else(|| Invalid::new("months", "are out of range."))?;
        }
        Ok(out)
    }
}

/// One group's costs, month by month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostRow {
    /// The dimension's value (a service type code, a region, a resource id...).
    pub value: String,
    /// Cost in each month of the analysis, in order (zero where nothing was spent).
    pub months: Vec<Decimal>,
    /// The group's total over the range.
    pub total: Decimal,
    /// List price over the range.
    pub official: Decimal,
}

/// A page of the cost analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostTable {
    /// The months, in order (the columns).
    pub months: Vec<String>,
    /// Groups, largest first.
    pub rows: Vec<CostRow>,
    /// Groups in all.
    pub total: u64,
    /// Each month's cost over every group (not only this page's).
    pub all_months: Vec<Decimal>,
    /// The range's cost over every group.
    pub all_total: Decimal,
}

impl CostTable {
    /// Each month's sum over the rows shown, then the sum of the totals (the footer).
    pub fn column_sums(&self) -> (Vec<Decimal>, Decimal) {
        let months = (0..self.months.len()).map(|i| self.rows.iter().filter_map(|r| r.months.get(i)).copied().sum()).collect();
        (months, self.rows.iter().map(|r| r.total).sum())
    }
}

/// Rows per page of a monthly breakdown or of resource summaries.
pub const BREAKDOWN_PAGE: u32 = 50;

/// Filters of a month's amortised cost breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BreakdownQuery {
    /// The month the costs are shared into, `YYYY-MM`.
    pub month: String,
    /// Service type code.
    pub service: Option<String>,
    /// Resource id.
    pub resource_id: Option<String>,
    /// 1 yearly/monthly, 3 pay-per-use, 10 reserved.
    pub charge_mode: Option<i64>,
    /// 0-based page.
    pub page: u32,
}

impl BreakdownQuery {
    /// Checks the filters.
    pub fn validate(&self) -> Result<(), Invalid> {
        parse_cycle(&self.month)?;
        check_filters(self.resource_id.as_deref(), self.charge_mode, self.page)
    }
}

fn check_filters(resource_id: Option<&str>, charge_mode: Option<i64>, page: u32) -> Result<(), Invalid> {
    if let Some(id) = resource_id.filter(|s| !s.is_empty()) {
        check_id("resource", id)?;
    }
    if charge_mode.is_some_and(|m| ![1, 3, 10].contains(&m)) {
        return Err(Invalid::new("charge_mode", "is 1 (yearly/monthly), 3 (pay-per-use) or 10 (reserved)."));
    }
    if page > 10_000 {
        return Err(Invalid::new("page", "is too far."));
    }
    Ok(())
}

/// One charge as shared into a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakdownRow {
    /// Service type name.
    pub service: String,
    /// Resource type name.
    pub resource_type: String,
    /// Resource id.
    pub resource_id: String,
    /// Resource name.
    pub resource_name: String,
    /// Charge mode.
    pub charge_mode: i64,
    /// Bill type.
    pub bill_type: i64,
    /// The order or trade behind it.
    pub order_id: String,
    /// The bill cycle it was charged in.
    pub cycle: String,
    /// What was charged.
    pub consumed: Decimal,
    /// Shared into months before this one.
    pub past: Decimal,
    /// Shared into this month.
    pub current: Decimal,
    /// Still to be shared into later months.
    pub future: Decimal,
}

/// A page of a monthly breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakdownPage {
    /// Rows.
    pub rows: Vec<BreakdownRow>,
    /// All matching.
    pub total: u64,
}

/// Filters of the per-resource spend of one cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ResourceSpendQuery {
    /// `YYYY-MM`.
    pub cycle: String,
    /// Service type code.
    pub service: Option<String>,
    /// Resource id.
    pub resource_id: Option<String>,
    /// Charge mode.
    pub charge_mode: Option<i64>,
    /// 0-based page.
    pub page: u32,
}

impl ResourceSpendQuery {
    /// Checks the filters.
    pub fn validate(&self) -> Result<(), Invalid> {
        parse_cycle(&self.cycle)?;
        check_filters(self.resource_id.as_deref(), self.charge_mode, self.page)
    }
}

/// One resource's spend in a cycle under one charge mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceSpend {
    /// Service type name.
    pub service: String,
    /// Resource type name.
    pub resource_type: String,
    /// Resource id.
    pub resource_id: String,
    /// Resource name.
    pub resource_name: String,
    /// Region.
    pub region: String,
    /// Charge mode.
    pub charge_mode: i64,
    /// List price.
    pub official: Decimal,
    /// Discounts.
    pub discount: Decimal,
    /// What it cost.
    pub consumed: Decimal,
    /// Paid in cash.
    pub cash: Decimal,
    /// Paid on credit.
    pub credit: Decimal,
    /// Paid with coupons.
    pub coupon: Decimal,
}

/// A page of resource spend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceSpendPage {
    /// Rows.
    pub rows: Vec<ResourceSpend>,
    /// All matching.
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn q(from: &str, to: &str) -> CostQuery {
        CostQuery { from: from.into(), to: to.into(), ..CostQuery::default() }
    }

    #[test]
    fn a_cost_analysis_covers_at_most_twelve_months() {
        assert_eq!(q("2025-12", "2026-11").months().expect("twelve").len(), 12);
        assert_eq!(q("2025-12", "2025-12").months().expect("one"), ["2025-12"]);
        assert_eq!(q("2025-11", "2026-11").validate().map_err(|e| e.field), Err("months"), "thirteen");
        assert_eq!(q("2026-02", "2026-01").validate().map_err(|e| e.field), Err("months"), "backwards");
        assert_eq!(q("2026-13", "2026-01").validate().map_err(|e| e.field), Err("cycle"));
    }

    #[test]
    fn dimensions_round_trip_through_urls() {
        for d in CostDimension::ALL {
            assert_eq!(CostDimension::from_slug(d.slug()), Some(d));
        }
        assert_eq!(CostDimension::from_slug("everything"), None);
    }

    #[test]
    fn the_footer_adds_the_rows_shown() {
        let d = |s: &str| Decimal::from_str(s).expect("decimal");
        let row = |a: &str, b: &str| CostRow { value: "x".into(), months: vec![d(a), d(b)], total: d(a) + d(b), official: d(a) + d(b) };
        let t = CostTable {
            months: vec!["2026-09".into(), "2026-10".into()],
            rows: vec![row("0.10", "0.20"), row("1.01", "0")],
            total: 2,
            all_months: vec![],
            all_total: Decimal::ZERO,
        };
        assert_eq!(t.column_sums(), (vec![d("1.11"), d("0.20")], d("1.31")));
    }

    #[test]
    fn breakdown_filters_are_checked() {
        let b = BreakdownQuery { month: "2026-10".into(), charge_mode: Some(2), ..BreakdownQuery::default() };
        assert_eq!(b.validate().map_err(|e| e.field), Err("charge_mode"));
        let r = ResourceSpendQuery { cycle: "2026-10".into(), resource_id: Some("a b".into()), ..ResourceSpendQuery::default() };
        assert_eq!(r.validate().map_err(|e| e.field), Err("resource"));
    }
}
