//! Bills: a cycle's statement (the monthly summary by service type and charge mode), the fee
//! records behind it page by page or streamed for CSV, and spend over cycles.

use chrono::Datelike;
use futures::{Stream, StreamExt, TryStreamExt};
use hwcloud::bss::{ListCustomerBillsFeeRecordsRequest, ListCustomerselfResourceRecordsRequest, MonthlyBillRecord, ShowCustomerMonthlySumRequest};
use hwcloud::{Client, Identity};
use model::finance::{
    CycleSpend, FEE_PAGE, FeePage, FeeQuery, FeeRecord, ResourceRecord, ResourceRecordPage, ResourceRecordQuery, ServiceSpend, Statement, StatementLine,
};
use model::money::{cycle_before, day_cn, parse_cycle};
use rust_decimal::Decimal;

use super::orders::yuan;
use crate::error::ServiceError;
use crate::identity::UserSession;

/// Summary rows per request (BSS's largest page).
const SUM_PAGE: i64 = 1000;
/// Fee records per request while exporting.
const EXPORT_PAGE: i64 = 1000;

/// A cycle's statement, from BSS's monthly summary.
pub async fn statement(client: &Client, user: &UserSession, cycle: &str) -> Result<Statement, ServiceError> {
    parse_cycle(cycle)?;
    super::require_read(user)?;
    let who = user.identity();
    let mut lines: Vec<StatementLine> = Vec::new();
    let (mut consumed, mut debt) = (Decimal::ZERO, Decimal::ZERO);
    let mut offset = 0;
    loop {
        let req = ShowCustomerMonthlySumRequest { bill_cycle: cycle.to_owned(), offset: Some(offset), limit: Some(SUM_PAGE), ..Default::default() };
        let resp = client.call(&who, &req).await?.value;
        if offset == 0 {
            consumed = yuan(resp.consume_amount, resp.measure_id);
            debt = yuan(resp.debt_amount, resp.measure_id);
        }
        let rows = resp.bill_sums.unwrap_or_default();
        let n = i64::try_from(rows.len()).unwrap_or(0);
        for r in rows {
            let m = r.measure_id;
            let line = StatementLine {
                service_code: r.service_type_code.unwrap_or_default(),
                service: r.service_type_name.unwrap_or_default(),
                charge_mode: r.charging_mode.unwrap_or_default(),
                official: yuan(r.official_amount, m),
                discount: yuan(r.official_discount_amount, m),
                consumed: yuan(r.consume_amount, m),
                coupon: yuan(r.coupon_amount, m) + yuan(r.flexipurchase_coupon_amount, m),
                card: yuan(r.stored_value_card_amount, m),
                cash: yuan(r.cash_amount, m),
                credit: yuan(r.credit_amount, m),
                debt: yuan(r.debt_amount, m),
            };
            // One line per service and charge mode, whatever the bill types behind it.
            match lines.iter_mut().find(|l| l.service_code == line.service_code && l.charge_mode == line.charge_mode) {
                Some(l) => merge(l, &line),
                None => lines.push(line),
            }
        }
        offset += n;
        if n < SUM_PAGE || resp.total_count.is_some_and(|t| offset >= t) {
            break;
        }
    }
    lines.sort_by(|a, b| b.consumed.cmp(&a.consumed).then_with(|| a.service.cmp(&b.service)));
    let sum = |f: fn(&StatementLine) -> Decimal| lines.iter().map(f).sum::<Decimal>();
    Ok(Statement {
        account: user.account.clone(),
        cycle: cycle.to_owned(),
        coupon: sum(|l| l.coupon),
        card: sum(|l| l.card),
        cash: sum(|l| l.cash),
        credit: sum(|l| l.credit),
        consumed,
        debt,
        lines,
    })
}

fn merge(into: &mut StatementLine, l: &StatementLine) {
    into.official += l.official;
    into.discount += l.discount;
    into.consumed += l.consumed;
    into.coupon += l.coupon;
    into.card += l.card;
    into.cash += l.cash;
    into.credit += l.credit;
    into.debt += l.debt;
}

/// What the statement adds up to by service type (charge modes merged), largest first.
pub fn by_service(s: &Statement) -> Vec<ServiceSpend> {
    let mut out: Vec<ServiceSpend> = Vec::new();
    for l in &s.lines {
        match out.iter_mut().find(|o| o.code == l.service_code) {
            Some(o) => o.amount += l.consumed,
            None => out.push(ServiceSpend { code: l.service_code.clone(), name: l.service.clone(), amount: l.consumed }),
        }
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.amount));
    out
}

/// Spend in each of the last `n` cycles (the current one last).
pub async fn trend(client: &Client, who: &Identity, n: u32) -> Result<Vec<CycleSpend>, ServiceError> {
    let today = day_cn(chrono::Utc::now());
    let cycles: Vec<String> = (0..n).rev().map(|k| cycle_before(today, k)).collect();
    // The client's rate limit paces these; they are few and small.
    futures::future::try_join_all(cycles.into_iter().map(|cycle| async move {
        let req = ShowCustomerMonthlySumRequest { bill_cycle: cycle.clone(), limit: Some(1), ..Default::default() };
        let resp = client.call(who, &req).await?.value;
        Ok::<_, ServiceError>(CycleSpend { amount: yuan(resp.consume_amount, resp.measure_id), cycle })
    }))
    .await
}

/// Last cycle's spend up to the same day of the month as today (UTC+8).
pub async fn last_cycle_until_same_day(client: &Client, who: &Identity) -> Result<Decimal, ServiceError> {
    let today = day_cn(chrono::Utc::now());
    let last = cycle_before(today, 1);
    let first = parse_cycle(&last)?;
    // The same day, or the last day of a shorter month.
    let month_end = first.checked_add_months(chrono::Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first);
    let same = first.with_day(today.day()).unwrap_or(month_end);
    let mut req = fee_request(&FeeQuery { cycle: last, ..FeeQuery::default() });
    req.bill_date_begin = Some(first.format("%Y-%m-%d").to_string());
    req.bill_date_end = Some(same.format("%Y-%m-%d").to_string());
    req.limit = Some(EXPORT_PAGE);
    client.pages(who, req).map_ok(|r| yuan(r.consume_amount, None)).try_fold(Decimal::ZERO, |a, b| async move { Ok(a + b) }).await.map_err(Into::into)
}

fn fee_request(q: &FeeQuery) -> ListCustomerBillsFeeRecordsRequest {
    ListCustomerBillsFeeRecordsRequest {
        bill_cycle: q.cycle.clone(),
        service_type_code: q.service.clone().filter(|s| !s.is_empty()),
        region_code: q.region.clone().filter(|s| !s.is_empty()),
        charging_mode: q.charge_mode,
        bill_type: q.bill_type,
        include_zero_record: Some(true),
        ..Default::default()
    }
}

fn to_record(r: MonthlyBillRecord) -> FeeRecord {
    // Fee records carry no measure unit: BSS writes them in yuan.
    let y = |a: Option<Decimal>| yuan(a, None);
    FeeRecord {
        official: y(r.official_amount),
        discount: y(r.official_discount_amount),
        consumed: y(r.consume_amount),
        cash: y(r.cash_amount),
        credit: y(r.credit_amount),
        coupon: y(r.coupon_amount) + y(r.flexipurchase_coupon_amount),
        id: r.id.unwrap_or_default(),
        trade_time: r.trade_time.unwrap_or_default(),
        service: r.service_type_name.unwrap_or_default(),
        kind: r.resource_type_name.unwrap_or_default(),
        region: r.region_code.unwrap_or_default(),
        charge_mode: r.charging_mode.unwrap_or_default(),
        bill_type: r.bill_type.unwrap_or_default(),
        trade_id: r.trade_id.unwrap_or_default(),
    }
}

/// One page of fee records matching `q`.
pub async fn fee_page(client: &Client, user: &UserSession, q: &FeeQuery) -> Result<FeePage, ServiceError> {
    q.validate()?;
    super::require_read(user)?;
    let mut req = fee_request(q);
    req.limit = Some(i64::from(FEE_PAGE));
    req.offset = Some(i64::from(q.page) * i64::from(FEE_PAGE));
    let resp = client.call(&user.identity(), &req).await?.value;
    Ok(FeePage {
        rows: resp.records.unwrap_or_default().into_iter().map(to_record).collect(),
        total: u64::try_from(resp.total_count.unwrap_or_default()).unwrap_or(0),
    })
}

/// One page of resource consumption records matching `q` (one bill cycle).
pub async fn resource_records(client: &Client, user: &UserSession, q: &ResourceRecordQuery) -> Result<ResourceRecordPage, ServiceError> {
    q.validate()?;
    super::require_read(user)?;
    let req = ListCustomerselfResourceRecordsRequest {
        cycle: q.cycle.clone(),
        cloud_service_type: q.service.clone().filter(|s| !s.is_empty()),
        resource_id: q.resource_id.clone().filter(|s| !s.is_empty()),
        bill_date_begin: q.from.clone().filter(|s| !s.is_empty()),
        bill_date_end: q.to.clone().filter(|s| !s.is_empty()),
        include_zero_record: Some(true),
        limit: Some(i64::from(FEE_PAGE)),
        offset: Some(i64::from(q.page) * i64::from(FEE_PAGE)),
        ..Default::default()
    };
    let resp = client.call(&user.identity(), &req).await?.value;
    Ok(ResourceRecordPage {
        rows: resp
            .fee_records
            .unwrap_or_default()
            .into_iter()
            .map(|r| ResourceRecord {
                official: yuan(r.official_amount, r.measure_id),
                discount: yuan(r.discount_amount, r.measure_id),
                amount: yuan(r.amount, r.measure_id),
                id: r.id.unwrap_or_default(),
                day: r.bill_date.unwrap_or_default(),
                resource_id: r.resource_id.unwrap_or_default(),
                resource_name: r.resource_name.unwrap_or_default(),
                service: r.cloud_service_type_name.unwrap_or_default(),
            })
            .collect(),
        total: u64::try_from(resp.total_count.unwrap_or_default()).unwrap_or(0),
    })
}

/// How many fee records match `q` (for an export's progress bar).
pub async fn fee_count(client: &Client, who: &Identity, q: &FeeQuery) -> Result<u64, ServiceError> {
    let mut req = fee_request(q);
    req.limit = Some(1);
    let resp = client.call(who, &req).await?.value;
    Ok(u64::try_from(resp.total_count.unwrap_or_default()).unwrap_or(0))
}

/// Every fee record matching `q`, page by page as BSS answers.
pub fn fee_records<'a>(client: &'a Client, who: &'a Identity, q: &FeeQuery) -> impl Stream<Item = Result<FeeRecord, ServiceError>> + 'a {
    let mut req = fee_request(q);
    req.limit = Some(EXPORT_PAGE);
    client.pages(who, req).map(|r| r.map(to_record).map_err(ServiceError::from))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn line(code: &str, mode: i64, consumed: &str) -> StatementLine {
        let d = Decimal::from_str(consumed).expect("decimal");
        StatementLine {
            service_code: code.into(),
            service: code.into(),
            charge_mode: mode,
            official: d,
            discount: Decimal::ZERO,
            consumed: d,
            coupon: Decimal::ZERO,
            card: Decimal::ZERO,
            cash: d,
            credit: Decimal::ZERO,
            debt: Decimal::ZERO,
        }
    }

    #[test]
    fn services_merge_their_charge_modes() {
        let s = Statement {
            account: "a".into(),
            cycle: "2026-10".into(),
            lines: vec![line("ecs", 1, "10.10"), line("gsl", 3, "20.01"), line("ecs", 3, "0.20")],
            consumed: Decimal::from_str("30.31").expect("d"),
            coupon: Decimal::ZERO,
            card: Decimal::ZERO,
            cash: Decimal::ZERO,
            credit: Decimal::ZERO,
            debt: Decimal::ZERO,
        };
        assert!(s.adds_up());
        let by = by_service(&s);
        assert_eq!(by.iter().map(|b| (b.code.as_str(), b.amount.to_string())).collect::<Vec<_>>(), [("gsl", "20.01".to_owned()), ("ecs", "10.30".to_owned())]);
    }
}
