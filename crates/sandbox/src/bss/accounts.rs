//! Account balances.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use hwcloud::bss::{AccountBalanceV3, ShowCustomerAccountBalancesResponse};

use super::yuan;
use crate::error::ApiResult;
use crate::{AppState, read};

/// `GET /v2/accounts/customer-accounts/balances`: cash (1), credit (2) and bonus (5) accounts.
pub async fn show_customer_account_balances(State(state): State<Arc<AppState>>) -> ApiResult<Json<ShowCustomerAccountBalancesResponse>> {
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
