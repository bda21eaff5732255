//! Monthly bill summaries.

use std::sync::Arc;

use axum::Json;
use chrono::Datelike;
use axum::extract::State;
use hwcloud::bss::{BillSumRecordInfoV2, ShowCustomerMonthlySumResponse};

use super::{given, RecordPage, invalid, yuan};
use crate::error::ApiResult;
use crate::params::Params;
use crate::world::BillCycle;
use crate::world::ledger::{CYCLES, ChargingMode, SERVICES};
use crate::{AppState, read};

/// `GET /v2/bills/customer-bills/monthly-sum`: one row per service and charging mode of a cycle.
pub async fn show_customer_monthly_sum(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ShowCustomerMonthlySumResponse>> {
    let page = RecordPage::from(&q)?;
    let raw = given(&q, "bill_cycle")
        .ok_or_else(|| invalid("bill_cycle is required."))?;
    let cycle = BillCycle::parse(raw).ok_or_else(|| invalid("bill_cycle looks like 2024-05."))?;
    let service = given(&q, "service_type_code");
    let w = read(&state.world);
    let now = crate::gsl::current_cycle();
    if cycle > now || cycle < now.minus(CYCLES - 1) {
        return Err(invalid(
            "bill_cycle must be one of the last 24 bill cycles.",
        ));
    }
    let sums: Vec<_> = w
        .ledger
        .monthly_sum(cycle)
        .into_iter()
        .filter(|m| service.is_none_or(|s| SERVICES[m.service].code == s))
        .collect();
    let total: i64 = sums.iter().map(|m| m.amount_fen).sum();
    let rows: Vec<BillSumRecordInfoV2> = sums
        .into_iter()
        .map(|m| {
            let s = &SERVICES[m.service];
            BillSumRecordInfoV2 {
                bill_cycle: Some(cycle.to_string()),
                resource_type_code: Some(s.resource_type.into()),
                service_type_code: Some(s.code.into()),
                service_type_name: Some(s.name.into()),
                resource_type_name: Some(s.resource_name.into()),
                charging_mode: Some(match m.mode {
                    ChargingMode::Period => 1,
                    ChargingMode::OnDemand => 3,
                }),
                official_amount: Some(yuan(m.official_fen)),
                official_discount_amount: Some(yuan(m.discount_fen)),
                truncated_amount: Some(yuan(0)),
                consume_amount: Some(yuan(m.amount_fen)),
                coupon_amount: Some(yuan(m.paid.2)),
                flexipurchase_coupon_amount: Some(yuan(0)),
                stored_value_card_amount: Some(yuan(0)),
                debt_amount: Some(yuan(0)),
                writeoff_amount: Some(yuan(0)),
                cash_amount: Some(yuan(m.paid.0)),
                credit_amount: Some(yuan(m.paid.1)),
                measure_id: Some(1),
                bill_type: Some(1),
                customer_id: Some(w.account_id.clone()),
                account_name: None,
            }
        })
        .collect();
    Ok(Json(ShowCustomerMonthlySumResponse {
        total_count: Some(i64::try_from(rows.len()).unwrap_or(i64::MAX)),
        bill_sums: Some(page.slice(&rows)),
        consume_amount: Some(yuan(total)),
        debt_amount: Some(yuan(0)),
        ..Default::default()
    }))
}

/// `GET /v2/bills/customer-bills/fee-records`: the fee records of a cycle (their sums are the
/// monthly summaries), filterable by service and charging mode.
pub async fn list_customer_bills_fee_records(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<hwcloud::bss::ListCustomerBillsFeeRecordsResponse>> {
    let page = RecordPage::from(&q)?;
    let raw = given(&q, "bill_cycle")
        .ok_or_else(|| invalid("bill_cycle is required."))?;
    let cycle = BillCycle::parse(raw).ok_or_else(|| invalid("bill_cycle looks like 2024-05."))?;
    let service = given(&q, "service_type_code");
    let mode = match q
        .int("charging_mode")
        .map_err(|_| invalid("charging_mode must be 1, 3 or 10."))?
    {
        None => None,
        Some(1) => Some(ChargingMode::Period),
        Some(3) => Some(ChargingMode::OnDemand),
        Some(10) => {
            return Ok(Json(
                hwcloud::bss::ListCustomerBillsFeeRecordsResponse::default(),
            ));
        }
        Some(_) => return Err(invalid("charging_mode must be 1, 3 or 10.")),
    };
    let now = crate::gsl::current_cycle();
    if cycle > now || cycle < now.minus(CYCLES - 1) {
        return Err(invalid(
            "bill_cycle must be one of the last 24 bill cycles.",
        ));
    }
    let bill_type = q
        .int("bill_type")
        .map_err(|_| invalid("bill_type must be an integer."))?;
    let region = given(&q, "region_code");
    // bill_date_begin/end (YYYY-MM-DD, UTC+8) must lie in the cycle, as BSS requires.
    let date = |name: &str| -> ApiResult<Option<u32>> {
        let Some(raw) = given(&q, name) else { return Ok(None) };
        let d = super::parse_day(raw, name)?;
        if format!("{}", d.format("%Y-%m")) != cycle.to_string() {
            return Err(invalid(format!("{name} must be in bill_cycle.")));
        }
        Ok(Some(d.day()))
    };
    let (first_day, last_day) = (date("bill_date_begin")?, date("bill_date_end")?);
    let w = read(&state.world);
    let rows: Vec<hwcloud::bss::MonthlyBillRecord> = w
        .ledger
        .records
        .iter()
        .enumerate()
        .filter(|(_, r)| r.cycle == cycle)
        .filter(|(_, r)| {
            service.is_none_or(|s| SERVICES[r.service].code == s)
                && mode.is_none_or(|m| m == r.mode)
                && bill_type.is_none_or(|t| t == r.bill_type)
                && region.is_none_or(|g| g == "cn-north-4")
                && first_day.is_none_or(|d| r.day >= d)
                && last_day.is_none_or(|d| r.day <= d)
        })
        .map(|(_, r)| {
            let s = &SERVICES[r.service];
            // Charged at noon UTC+8 of its day, written as BSS writes trade times.
            let day = format!("{cycle}-{:02}T04:00:00Z", r.day);
            hwcloud::bss::MonthlyBillRecord {
                bill_cycle: Some(cycle.to_string()),
                customer_id: Some(w.account_id.clone()),
                service_type_code: Some(s.code.into()),
                resource_type_code: Some(s.resource_type.into()),
                service_type_name: Some(s.name.into()),
                resource_type_name: Some(s.resource_name.into()),
                region_code: Some("cn-north-4".into()),
                enterprise_project_id: Some("0".into()),
                charging_mode: Some(if r.mode == ChargingMode::Period { 1 } else { 3 }),
                consume_time: Some(day.clone()),
                trade_time: Some(day),
                provider_type: Some(1),
                trade_id: Some(r.trade_id.clone()),
                id: Some(r.id.clone()),
                bill_type: Some(r.bill_type),
                status: Some(1),
                official_amount: Some(yuan(r.official_fen)),
                official_discount_amount: Some(yuan(r.discount_fen)),
                erase_amount: Some(yuan(0)),
                consume_amount: Some(yuan(r.amount_fen())),
                cash_amount: Some(yuan(r.cash_fen)),
                credit_amount: Some(yuan(r.credit_fen)),
                coupon_amount: Some(yuan(r.coupon_fen)),
                flexipurchase_coupon_amount: Some(yuan(0)),
                stored_value_card_amount: Some(yuan(0)),
                ..Default::default()
            }
        })
        .collect();
    Ok(Json(hwcloud::bss::ListCustomerBillsFeeRecordsResponse {
        total_count: Some(i64::try_from(rows.len()).unwrap_or(i64::MAX)),
        records: Some(page.slice(&rows)),
        currency: Some("CNY".into()),
    }))
}
