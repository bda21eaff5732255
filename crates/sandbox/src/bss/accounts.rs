//! Account balances and their journal.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use hwcloud::bss::{
    AccountBalanceV3, CustomerAccountChangeRecord, ListCustomerAccountChangeRecordsResponse,
    ShowCustomerAccountBalancesResponse,
};

use super::{given, revenue_expense, utc_param, RecordPage, count, invalid, utc, yuan};
use crate::error::ApiResult;
use crate::params::Params;
use crate::world::ledger::{BalanceKind, SERVICES};
use crate::{AppState, read};

/// `GET /v2/accounts/customer-accounts/balances`: cash (1), credit (2) and bonus (5) accounts.
pub async fn show_customer_account_balances(
    State(state): State<Arc<AppState>>,
) -> ApiResult<Json<ShowCustomerAccountBalancesResponse>> {
    let w = read(&state.world);
    let b = w.ledger.balances;
    let account = |kind: i64, fen: i64, credit: Option<i64>| AccountBalanceV3 {
        account_id: Some(format!("{}-{kind}", w.account_id)),
        account_type: Some(kind),
        amount: Some(yuan(fen)),
        currency: Some("CNY".into()),
        designated_amount: Some(yuan(0)),
        credit_amount: credit.map(yuan),
        measure_id: Some(1),
    };
    Ok(Json(ShowCustomerAccountBalancesResponse {
        account_balances: Some(vec![
            account(1, b.cash_fen, None),
            account(2, b.credit_fen, Some(b.credit_limit_fen)),
            account(5, b.bonus_fen, None),
        ]),
        debt_amount: Some(yuan(b.debt_fen)),
        measure_id: Some(1),
        currency: Some("CNY".into()),
    }))
}

/// `GET /v2/accounts/customer-accounts/account-change-records`: the journal of one balance, newest
/// first; every row carries the balance it left.
pub async fn list_customer_account_change_records(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListCustomerAccountChangeRecordsResponse>> {
    let page = RecordPage::from(&q)?;
    let kind_code = given(&q, "balance_type")
        .ok_or_else(|| invalid("balance_type is required."))?;
    const KNOWN: [&str; 4] = [
        "BALANCE_TYPE_DEBIT",
        "BALANCE_TYPE_CREDIT",
        "BALANCE_TYPE_BONUS",
        "BALANCE_TYPE_PREPAIDCARD",
    ];
    if !KNOWN.contains(&kind_code) {
        return Err(invalid(
            "balance_type is one of BALANCE_TYPE_DEBIT, BALANCE_TYPE_CREDIT, BALANCE_TYPE_BONUS, BALANCE_TYPE_PREPAIDCARD.",
        ));
    }
    let kind = BalanceKind::parse(kind_code);
    let direction = revenue_expense(&q)?;
    const TRADES: [&str; 13] = [
        "RECHARGE",
        "DEDEUCT",
        "REFUND",
        "RFROZEN",
        "TRANS",
        "ADJUST",
        "BEUNBIND",
        "EXPIRED",
        "BONUSCONVERT",
        "TRADE_MODE_TRANSFER",
        "DEPOSIT",
        "BEADJUST",
        "BERETRIEVE",
    ];
    let trade = given(&q, "trade_type");
    if trade.is_some_and(|t| !TRADES.contains(&t)) {
        return Err(invalid(format!(
            "trade_type is one of {}.",
            TRADES.join(", ")
        )));
    }
    let begin = utc_param(&q, "trade_time_begin")?;
    let end = utc_param(&q, "trade_time_end")?;
    let trade_id = given(&q, "trade_id");
    let w = read(&state.world);
    let rows: Vec<CustomerAccountChangeRecord> = w
        .ledger
        .journal
        .iter()
        .rev()
        .filter(|c| Some(c.kind) == kind)
        .filter(|c| direction.is_none_or(|income| (c.amount_fen > 0) == income))
        .filter(|c| trade.is_none_or(|t| trade_code(c.trade_type) == t))
        .filter(|c| {
            begin.is_none_or(|b| c.at >= b)
                && end.is_none_or(|e| c.at <= e)
                && trade_id.is_none_or(|t| c.trade_id == t)
        })
        .map(|c| CustomerAccountChangeRecord {
            account_change_id: Some(c.id.clone()),
            trade_detail_type: Some(c.trade_type.into()),
            trade_time: Some(utc(c.at)),
            trade_id: Some(c.trade_id.clone()),
            change_amount: Some(yuan(c.amount_fen)),
            balance_after_change: Some(yuan(c.balance_after_fen)),
            revenue_expense_type: Some(
                if c.amount_fen > 0 {
                    "REVENUE"
                } else {
                    "EXPENSE"
                }
                .into(),
            ),
            bill_cycle: Some(crate::world::BillCycle::of(crate::world::today_cn(c.at)).to_string()),
            payment_channel_id: None,
            payment_channel_no: None,
            consume_time: Some(utc(c.at)),
            account_name: None,
            cloud_service_type_name: c.service.map(|s| SERVICES[s].name.into()),
            resource_type_name: c.service.map(|s| SERVICES[s].resource_name.into()),
        })
        .collect();
    Ok(Json(ListCustomerAccountChangeRecordsResponse {
        total_count: count(rows.len()),
        currency: Some("CNY".into()),
        records: Some(page.slice(&rows)),
    }))
}

/// BSS's trade type code of a journal entry.
fn trade_code(detail: &str) -> &'static str {
    match detail {
        "充值" => "RECHARGE",
        "消费" => "DEDEUCT",
        "退款" => "REFUND",
        "划拨" | "回收" => "TRANS",
        _ => "ADJUST",
    }
}
