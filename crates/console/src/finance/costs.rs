//! Cost analysis: costs grouped by a dimension month by month, a month's amortised breakdown and
//! each resource's spend in a cycle.

use futures::TryStreamExt;
use hwcloud::Client;
use hwcloud::bss::{
    CostDataByDimension, GroupBy, ListCostsReq, ListCostsRequest, ListCustomerBillsMonthlyBreakDownRequest, ListCustomerselfResourceRecordDetailsRequest, QueryResRecordsDetailReq,
    TimeCondition,
};
use model::costs::{BREAKDOWN_PAGE, BreakdownPage, BreakdownQuery, BreakdownRow, COST_PAGE, CostQuery, CostRow, CostTable, ResourceSpend, ResourceSpendPage, ResourceSpendQuery};
use rust_decimal::Decimal;

use super::orders::yuan;
use crate::error::ServiceError;
use crate::identity::UserSession;

/// Groups asked for per request (BSS's largest page).
const GROUPS_PER_CALL: i64 = 1000;
/// Beyond this many groups the analysis is refused rather than read for minutes.
const MOST_GROUPS: usize = 20_000;

/// `2026-10` as BSS's month measure wants it.
const MONTH: i64 = 2;

fn nonempty(s: &Option<String>) -> Option<String> {
    s.clone().filter(|s| !s.is_empty())
}

/// One page of the cost analysis, groups largest first over the whole range.
pub async fn analysis(client: &Client, user: &UserSession, q: &CostQuery) -> Result<CostTable, ServiceError> {
    let months = q.months()?;
    super::require_read(user)?;
    let req = ListCostsRequest {
        body: ListCostsReq {
            time_condition: TimeCondition { time_measure_id: MONTH, begin_time: q.from.clone(), end_time: q.to.clone() },
            groupby: vec![GroupBy { r#type: "dimension".into(), key: q.group.key().into() }],
            cost_type: if q.amortized { "AMORTIZED_COST" } else { "ORIGINAL_COST" }.into(),
            amount_type: if q.net { "NET_AMOUNT" } else { "PAYMENT_AMOUNT" }.into(),
            limit: Some(GROUPS_PER_CALL),
            ..Default::default()
        },
        ..Default::default()
    };
    let who = user.identity();
    // BSS orders groups as it likes: all of them are read so "largest first" holds across pages.
    let groups: Vec<CostDataByDimension> = client
        .pages(&who, req)
        .map_err(ServiceError::from)
        .try_fold(Vec::new(), |mut all, g| async move {
            if all.len() >= MOST_GROUPS {
                return Err(ServiceError::Invalid(model::Invalid::new("group", "There are too many groups to analyse at once; group by something coarser.")));
            }
            all.push(g);
            Ok(all)
        })
        .await?;
    let mut rows: Vec<CostRow> = groups.into_iter().map(|g| row(g, &months)).collect();
    rows.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.value.cmp(&b.value)));
    let total = u64::try_from(rows.len()).unwrap_or(u64::MAX);
    let all_months = (0..months.len()).map(|i| rows.iter().map(|r| r.months[i]).sum()).collect();
    let all_total = rows.iter().map(|r| r.total).sum();
    let start = usize::try_from(q.page.saturating_mul(COST_PAGE)).unwrap_or(usize::MAX);
    let rows = rows.into_iter().skip(start).take(usize::try_from(COST_PAGE).unwrap_or(usize::MAX)).collect();
    Ok(CostTable { months, rows, total, all_months, all_total })
}

fn row(g: CostDataByDimension, months: &[String]) -> CostRow {
    let value = g.dimensions.unwrap_or_default().into_iter().next().and_then(|d| d.value).unwrap_or_default();
    let mut by_month = vec![Decimal::ZERO; months.len()];
    for c in g.costs.unwrap_or_default() {
        if let Some(i) = c.time_dimension_value.as_deref().and_then(|m| months.iter().position(|x| x == m)) {
            by_month[i] += yuan(c.amount, None);
        }
    }
    CostRow { value, total: by_month.iter().copied().sum(), months: by_month, official: yuan(g.official_amount_by_costs, None) }
}

/// One page of a month's amortised cost breakdown.
pub async fn breakdown(client: &Client, user: &UserSession, q: &BreakdownQuery) -> Result<BreakdownPage, ServiceError> {
    q.validate()?;
    super::require_read(user)?;
    let req = ListCustomerBillsMonthlyBreakDownRequest {
        shared_month: q.month.clone(),
        service_type_code: nonempty(&q.service),
        resource_id: nonempty(&q.resource_id),
        charging_mode: q.charge_mode,
        limit: Some(i64::from(BREAKDOWN_PAGE)),
        offset: Some(i64::from(q.page) * i64::from(BREAKDOWN_PAGE)),
        ..Default::default()
    };
    let resp = client.call(&user.identity(), &req).await?.value;
    let y = |a: Option<Decimal>| yuan(a, None);
    Ok(BreakdownPage {
        rows: resp
            .details
            .unwrap_or_default()
            .into_iter()
            .map(|d| BreakdownRow {
                consumed: y(d.consume_amount),
                past: y(d.past_months_amortized_amount),
                current: y(d.current_month_amortized_amount),
                future: y(d.future_months_amortized_amount),
                service: d.service_type_name.unwrap_or_default(),
                resource_type: d.resource_type_name.unwrap_or_default(),
                resource_id: d.resource_id.unwrap_or_default(),
                resource_name: d.resource_name.unwrap_or_default(),
                charge_mode: d.charging_mode.unwrap_or_default(),
                bill_type: d.bill_type.unwrap_or_default(),
                order_id: d.order_id.unwrap_or_default(),
                cycle: d.bill_cycle.unwrap_or_default(),
            })
            .collect(),
        total: u64::try_from(resp.total_count.unwrap_or_default()).unwrap_or(0),
    })
}

/// One page of what each resource cost in a cycle (per charge mode).
pub async fn resource_spend(client: &Client, user: &UserSession, q: &ResourceSpendQuery) -> Result<ResourceSpendPage, ServiceError> {
    q.validate()?;
    super::require_read(user)?;
    let req = ListCustomerselfResourceRecordDetailsRequest {
        body: QueryResRecordsDetailReq {
            cycle: q.cycle.clone(),
            cloud_service_type: nonempty(&q.service),
            res_instance_id: nonempty(&q.resource_id),
            charge_mode: q.charge_mode,
            include_zero_record: Some(true),
            limit: Some(i64::from(BREAKDOWN_PAGE)),
            offset: Some(i64::from(q.page) * i64::from(BREAKDOWN_PAGE)),
            ..Default::default()
        },
        ..Default::default()
    };
    let resp = client.call(&user.identity(), &req).await?.value;
    Ok(ResourceSpendPage {
        rows: resp
            .monthly_records
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                let m = r.measure_id;
                ResourceSpend {
                    official: yuan(r.official_amount, m),
                    discount: yuan(r.discount_amount, m),
                    consumed: yuan(r.consume_amount, m),
                    cash: yuan(r.cash_amount, m),
                    credit: yuan(r.credit_amount, m),
                    coupon: yuan(r.coupon_amount, m),
                    service: r.cloud_service_type_name.unwrap_or_default(),
                    resource_type: r.resource_type_name.unwrap_or_default(),
                    resource_id: r.res_instance_id.unwrap_or_default(),
                    resource_name: r.resource_name.unwrap_or_default(),
                    region: r.region.unwrap_or_default(),
                    charge_mode: r.charge_mode.unwrap_or_default(),
                }
            })
            .collect(),
        total: u64::try_from(resp.total_count.unwrap_or_default()).unwrap_or(0),
    })
}
