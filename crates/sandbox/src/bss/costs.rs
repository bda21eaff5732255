//! Resource-level bills and cost analysis, all derived from the ledger's fee records so every view
//! adds up to the monthly summaries to the fen.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use hwcloud::bss::{
    Cost, CostDataByDimension, DimensionGroup, ListCostsReq, ListCostsResponse,
    ListCustomerBillsMonthlyBreakDownResponse, ListCustomerselfResourceRecordDetailsResponse,
    ListCustomerselfResourceRecordsResponse, MonthlyBillRes, NvlCostAnalysedBillDetail,
    QueryResRecordsDetailReq, ResFeeRecordV2,
};

use super::{given, Body, RecordPage, count, invalid, parse_day, yuan};
use crate::error::ApiResult;
use crate::params::Params;
use crate::world::BillCycle;
use crate::world::ledger::{CYCLES, ChargingMode, FeeRecord, SERVICES};
use crate::{AppState, read};

const REGION: &str = "cn-north-4";

fn mode_code(m: ChargingMode) -> i64 {
    match m {
        ChargingMode::Period => 1,
        ChargingMode::OnDemand => 3,
    }
}

/// A bill cycle parameter that must be one of the 24 kept.
fn kept_cycle(raw: Option<&str>, name: &str) -> ApiResult<BillCycle> {
    let raw = raw
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid(format!("{name} is required.")))?;
    let cycle =
        BillCycle::parse(raw).ok_or_else(|| invalid(format!("{name} looks like 2024-05.")))?;
    let now = crate::gsl::current_cycle();
    if cycle > now || cycle < now.minus(CYCLES - 1) {
        return Err(invalid(format!(
            "{name} must be one of the last 24 bill cycles."
        )));
    }
    Ok(cycle)
}

/// A charging mode filter; `Some(None)` is a valid mode the account has no records of
/// (10 reserved instances, 11 savings plans).
fn charge_mode(raw: Option<i64>) -> ApiResult<Option<Option<ChargingMode>>> {
    match raw {
        None => Ok(None),
        Some(1) => Ok(Some(Some(ChargingMode::Period))),
        Some(3) => Ok(Some(Some(ChargingMode::OnDemand))),
        Some(10 | 11) => Ok(Some(None)),
        Some(_) => Err(invalid(
            "charge_mode is 1 (yearly/monthly), 3 (pay-per-use), 10 (reserved instance) or 11 (savings plan).",
        )),
    }
}

/// `GET /v2/bills/customer-bills/res-fee-records`: the fee records of one cycle, by resource and
/// day; `bill_date_begin`/`bill_date_end` must stay inside that cycle.
pub async fn list_customerself_resource_records(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListCustomerselfResourceRecordsResponse>> {
    let page = RecordPage::from(&q)?;
    let cycle = kept_cycle(q.str("cycle"), "cycle")?;
    let day = |name: &str| -> ApiResult<Option<u32>> {
        let Some(raw) = q.str(name).filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        let d = parse_day(raw, name)?;
        if BillCycle::of(d) != cycle {
            return Err(invalid(format!(
                "{name} must be in the queried cycle {cycle}: records cannot be queried across months."
            )));
        }
        Ok(Some(chrono::Datelike::day(&d)))
    };
    let (from, to) = (day("bill_date_begin")?, day("bill_date_end")?);
    let mode = match given(&q, "charge_mode") {
        None => None,
        Some(raw) => charge_mode(Some(
            raw.parse().map_err(|_| invalid("charge_mode is 1 or 3."))?,
        ))?,
    };
    let bill_type = q
        .int("bill_type")
        .map_err(|_| invalid("bill_type must be an integer."))?;
    if let Some(t) = q
        .int("statistic_type")
        .map_err(|_| invalid("statistic_type is 1 or 2."))?
        && !(1..=3).contains(&t)
    {
        return Err(invalid(
            "statistic_type is 1 (by cycle), 2 (by day) or 3 (in detail).",
        ));
    }
    let service = given(&q, "cloud_service_type");
    let resource = given(&q, "resource_id");
    let trade = given(&q, "trade_id");
    let region = given(&q, "region");
    let w = read(&state.world);
    let rows: Vec<ResFeeRecordV2> = w
        .ledger
        .records
        .iter()
        .filter(|r| {
            r.cycle == cycle && from.is_none_or(|f| r.day >= f) && to.is_none_or(|t| r.day <= t)
        })
        .filter(|r| {
            mode.is_none_or(|m| m == Some(r.mode)) && bill_type.is_none_or(|b| r.bill_type == b)
        })
        .filter(|r| {
            service.is_none_or(|s| SERVICES[r.service].code == s)
                && resource.is_none_or(|x| r.resource == x)
        })
        .filter(|r| trade.is_none_or(|t| r.trade_id == t) && region.is_none_or(|x| x == REGION))
        .map(|r| res_fee_record(r, &w.account_id))
        .collect();
    Ok(Json(ListCustomerselfResourceRecordsResponse {
        fee_records: Some(page.slice(&rows)),
        total_count: count(rows.len()),
        currency: Some("CNY".into()),
    }))
}

fn res_fee_record(r: &FeeRecord, customer: &str) -> ResFeeRecordV2 {
    let s = &SERVICES[r.service];
    ResFeeRecordV2 {
        bill_date: Some(format!("{}-{:02}", r.cycle, r.day)),
        bill_type: Some(r.bill_type),
        customer_id: Some(customer.into()),
        region: Some(REGION.into()),
        region_name: Some("华北-北京四".into()),
        cloud_service_type: Some(s.code.into()),
        resource_type: Some(s.resource_type.into()),
        cloud_service_type_name: Some(s.name.into()),
        resource_type_name: Some(s.resource_name.into()),
        resource_id: Some(r.resource.clone()),
        resource_name: Some(r.resource.clone()),
        trade_id: Some(r.trade_id.clone()),
        id: Some(r.id.clone()),
        charge_mode: Some(mode_code(r.mode).to_string()),
        official_amount: Some(yuan(r.official_fen)),
        discount_amount: Some(yuan(r.discount_fen)),
        amount: Some(yuan(r.amount_fen())),
        cash_amount: Some(yuan(r.cash_fen)),
        credit_amount: Some(yuan(r.credit_fen)),
        coupon_amount: Some(yuan(r.coupon_fen)),
        flexipurchase_coupon_amount: Some(yuan(0)),
        stored_card_amount: Some(yuan(0)),
        bonus_amount: Some(yuan(0)),
        debt_amount: Some(yuan(0)),
        adjustment_amount: Some(yuan(0)),
        measure_id: Some(1),
        ..Default::default()
    }
}

/// `POST /v2/bills/customer-bills/res-records/query`: one row per resource and charging mode of a cycle.
pub async fn list_customerself_resource_record_details(
    State(state): State<Arc<AppState>>,
    Body(req): Body<QueryResRecordsDetailReq>,
) -> ApiResult<Json<ListCustomerselfResourceRecordDetailsResponse>> {
    let page = RecordPage::of(req.offset, req.limit, 1000)?;
    let cycle = kept_cycle(Some(req.cycle.as_str()), "cycle")?;
    let mode = charge_mode(req.charge_mode)?;
    let w = read(&state.world);
    let mut groups: BTreeMap<(usize, String, i64), [i64; 5]> = BTreeMap::new();
    for r in w.ledger.records.iter().filter(|r| r.cycle == cycle) {
        let keep = mode.is_none_or(|m| m == Some(r.mode))
            && req.bill_type.is_none_or(|b| r.bill_type == b)
            && req
                .cloud_service_type
                .as_ref()
                .is_none_or(|s| s.is_empty() || SERVICES[r.service].code == s)
            && req
                .res_instance_id
                .as_ref()
                .is_none_or(|x| x.is_empty() || &r.resource == x);
        if keep {
            let sums = groups
                .entry((r.service, r.resource.clone(), mode_code(r.mode)))
                .or_default();
            for (slot, fen) in sums.iter_mut().zip([
                r.official_fen,
                r.discount_fen,
                r.cash_fen,
                r.credit_fen,
                r.coupon_fen,
            ]) {
                *slot += fen;
            }
        }
    }
    let rows: Vec<MonthlyBillRes> = groups
        .into_iter()
        .map(
            |((service, resource, mode), [official, discount, cash, credit, coupon])| {
                let s = &SERVICES[service];
                MonthlyBillRes {
                    cycle: Some(cycle.to_string()),
                    customer_id: Some(w.account_id.clone()),
                    region: Some(REGION.into()),
                    cloud_service_type: Some(s.code.into()),
                    resource_type_code: Some(s.resource_type.into()),
                    cloud_service_type_name: Some(s.name.into()),
                    resource_type_name: Some(s.resource_name.into()),
                    res_instance_id: Some(resource.clone()),
                    resource_name: Some(resource),
                    charge_mode: Some(mode),
                    consume_amount: Some(yuan(official - discount)),
                    cash_amount: Some(yuan(cash)),
                    credit_amount: Some(yuan(credit)),
                    coupon_amount: Some(yuan(coupon)),
                    official_amount: Some(yuan(official)),
                    discount_amount: Some(yuan(discount)),
                    measure_id: Some(1),
                    ..Default::default()
                }
            },
        )
        .collect();
    Ok(Json(ListCustomerselfResourceRecordDetailsResponse {
        monthly_records: Some(page.slice(&rows)),
        total_count: count(rows.len()),
        currency: Some("CNY".into()),
    }))
}

/// `GET /v2/costs/cost-analysed-bills/monthly-breakdown`: a month's costs per record, amortised
/// into the month they were charged in.
pub async fn list_customer_bills_monthly_break_down(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListCustomerBillsMonthlyBreakDownResponse>> {
    let page = RecordPage::from(&q)?;
    let month = kept_cycle(q.str("shared_month"), "shared_month")?;
    let mode = charge_mode(
        q.int("charging_mode")
            .map_err(|_| invalid("charging_mode must be an integer."))?,
    )?;
    let service = given(&q, "service_type_code");
    let resource_type = given(&q, "resource_type_code");
    let resource = given(&q, "resource_id");
    let bill_type = q
        .int("bill_type")
        .map_err(|_| invalid("bill_type must be an integer."))?;
    let w = read(&state.world);
    let rows: Vec<NvlCostAnalysedBillDetail> = w
        .ledger
        .records
        .iter()
        .filter(|r| {
            r.cycle == month
                && mode.is_none_or(|m| m == Some(r.mode))
                && bill_type.is_none_or(|b| r.bill_type == b)
        })
        .filter(|r| {
            service.is_none_or(|s| SERVICES[r.service].code == s)
                && resource_type.is_none_or(|t| SERVICES[r.service].resource_type == t)
        })
        .filter(|r| resource.is_none_or(|x| r.resource == x))
        .map(|r| {
            let s = &SERVICES[r.service];
            NvlCostAnalysedBillDetail {
                shared_month: Some(month.to_string()),
                bill_cycle: Some(r.cycle.to_string()),
                bill_type: Some(r.bill_type),
                customer_id: Some(w.account_id.clone()),
                region_code: Some(REGION.into()),
                region_name: Some("华北-北京四".into()),
                service_type_code: Some(s.code.into()),
                resource_type_code: Some(s.resource_type.into()),
                service_type_name: Some(s.name.into()),
                resource_type_name: Some(s.resource_name.into()),
                resource_id: Some(r.resource.clone()),
                resource_name: Some(r.resource.clone()),
                charging_mode: Some(mode_code(r.mode)),
                order_id: Some(r.trade_id.clone()),
                consume_amount: Some(yuan(r.amount_fen())),
                past_months_amortized_amount: Some(yuan(0)),
                current_month_amortized_amount: Some(yuan(r.amount_fen())),
                future_months_amortized_amount: Some(yuan(0)),
                amortized_cash_amount: Some(yuan(r.cash_fen)),
                amortized_credit_amount: Some(yuan(r.credit_fen)),
                amortized_coupon_amount: Some(yuan(r.coupon_fen)),
                amortized_flexipurchase_coupon_amount: Some(yuan(0)),
                amortized_stored_value_card_amount: Some(yuan(0)),
                amortized_bonus_amount: Some(yuan(0)),
                ..Default::default()
            }
        })
        .collect();
    Ok(Json(ListCustomerBillsMonthlyBreakDownResponse {
        currency: Some("CNY".into()),
        total_count: count(rows.len()),
        details: Some(page.slice(&rows)),
    }))
}

/// Cost dimensions served.
const DIMENSIONS: [&str; 7] = [
    "CLOUD_SERVICE_TYPE",
    "RESOURCE_TYPE",
    "CHARGING_MODE",
    "REGION_CODE",
    "ENTERPRISE_PROJECT_ID",
    "BILL_TYPE",
    "RESOURCE_ID",
];

/// The value of a record for a cost dimension.
fn dimension(r: &FeeRecord, key: &str) -> Option<String> {
    let s = &SERVICES[r.service];
    Some(match key {
        "CLOUD_SERVICE_TYPE" => s.code.into(),
        "RESOURCE_TYPE" => s.resource_type.into(),
        "CHARGING_MODE" => mode_code(r.mode).to_string(),
        "REGION_CODE" => REGION.into(),
        "ENTERPRISE_PROJECT_ID" => "0".into(),
        "BILL_TYPE" => r.bill_type.to_string(),
        "RESOURCE_ID" => r.resource.clone(),
        _ => return None,
    })
}

/// `POST /v4/costs/cost-analysed-bills/query`: costs grouped by dimensions, per day or month
/// (UTC+8), over at most one year.
pub async fn list_costs(
    State(state): State<Arc<AppState>>,
    Body(req): Body<ListCostsReq>,
) -> ApiResult<Json<ListCostsResponse>> {
    let page = RecordPage::of(req.offset, req.limit, 1000)?;
    let tc = &req.time_condition;
    // Days or months as comparable (cycle, day) pairs.
    let (from, to, by_day) = match tc.time_measure_id {
        1 => {
            let (b, e) = (
                parse_day(&tc.begin_time, "begin_time")?,
                parse_day(&tc.end_time, "end_time")?,
            );
            if e < b {
                return Err(invalid("end_time is before begin_time."));
            }
            if (e - b).num_days() > 366 {
                return Err(invalid("The time range cannot exceed one year."));
            }
            (
                (BillCycle::of(b), chrono::Datelike::day(&b)),
                (BillCycle::of(e), chrono::Datelike::day(&e)),
                true,
            )
        }
        2 => {
            let month = |raw: &str, name: &str| {
                BillCycle::parse(raw).ok_or_else(|| {
                    invalid(format!(
                        "{name} looks like 2024-05 when time_measure_id is 2."
                    ))
                })
            };
            let (b, e) = (
                month(&tc.begin_time, "begin_time")?,
                month(&tc.end_time, "end_time")?,
            );
            if e < b {
                return Err(invalid("end_time is before begin_time."));
            }
            if b < e.minus(11) {
                return Err(invalid("The time range cannot exceed one year."));
            }
            ((b, 1), (e, 31), false)
        }
        _ => return Err(invalid("time_measure_id is 1 (day) or 2 (month).")),
    };
    if !["ORIGINAL_COST", "AMORTIZED_COST"].contains(&req.cost_type.as_str()) {
        return Err(invalid("cost_type is ORIGINAL_COST or AMORTIZED_COST."));
    }
    // PAYMENT_AMOUNT is what was owed; NET_AMOUNT what was actually paid (not by coupons).
    let net = match req.amount_type.as_str() {
        "PAYMENT_AMOUNT" => false,
        "NET_AMOUNT" => true,
        _ => return Err(invalid("amount_type is PAYMENT_AMOUNT or NET_AMOUNT.")),
    };
    if req.groupby.is_empty() || req.groupby.len() > 2 {
        return Err(invalid("groupby holds one or two dimensions."));
    }
    let keys: Vec<&str> = req.groupby.iter().map(|g| g.key.as_str()).collect();
    if req.groupby.iter().any(|g| g.r#type != "dimension")
        || keys.iter().any(|k| !DIMENSIONS.contains(k))
    {
        return Err(invalid(format!(
            "groupby is of type dimension with a key of {}.",
            DIMENSIONS.join(", ")
        )));
    }
    let filters = req.filters.clone().unwrap_or_default();
    if filters.iter().any(|f| {
        !DIMENSIONS.contains(&f.filter_factor.key.as_str()) || !(0..=1).contains(&f.operator)
    }) {
        return Err(invalid(
            "filters use a dimension key and operator 0 (only these) or 1 (all but these).",
        ));
    }
    let w = read(&state.world);
    let mut groups: BTreeMap<Vec<String>, BTreeMap<String, (i64, i64)>> = BTreeMap::new();
    for r in &w.ledger.records {
        let at = (r.cycle, r.day);
        if at < from || at > to {
            continue;
        }
        let passes = filters.iter().all(|f| {
            let v = dimension(r, &f.filter_factor.key).unwrap_or_default();
            f.filter_factor.value.contains(&v) == (f.operator == 0)
        });
        if !passes {
            continue;
        }
        let group: Vec<String> = keys
            .iter()
            .map(|k| dimension(r, k).unwrap_or_default())
            .collect();
        let when = if by_day {
            format!("{}-{:02}", r.cycle, r.day)
        } else {
            r.cycle.to_string()
        };
        let slot = groups.entry(group).or_default().entry(when).or_default();
        slot.0 += if net {
            r.amount_fen() - r.coupon_fen
        } else {
            r.amount_fen()
        };
        slot.1 += r.official_fen;
    }
    let measure = tc.time_measure_id;
    let rows: Vec<CostDataByDimension> = groups
        .into_iter()
        .map(|(values, costs)| CostDataByDimension {
            dimensions: Some(
                keys.iter()
                    .zip(values)
                    .map(|(k, v)| DimensionGroup {
                        key: Some((*k).into()),
                        value: Some(v),
                    })
                    .collect(),
            ),
            amount_by_costs: Some(yuan(costs.values().map(|c| c.0).sum())),
            official_amount_by_costs: Some(yuan(costs.values().map(|c| c.1).sum())),
            costs: Some(
                costs
                    .into_iter()
                    .map(|(when, (amount, official))| Cost {
                        time_dimension_value: Some(when),
                        time_measure_id: Some(measure),
                        amount: Some(yuan(amount)),
                        official_amount: Some(yuan(official)),
                    })
                    .collect(),
            ),
        })
        .collect();
    Ok(Json(ListCostsResponse {
        currency: Some("CNY".into()),
        total_count: count(rows.len()),
        cost_data: Some(page.slice(&rows)),
    }))
}
