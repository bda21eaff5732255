//! The enterprise's member accounts: the organisation tree, members, moving cash to and from
//! them, and the SMS verification code that guards those moves in the console.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use hwcloud::bss::{
    EmChildNodeV2, ListEnterpriseMultiAccountResponse, ListEnterpriseOrganizationsResponse,
    ListEnterpriseSubCustomersResponse, RetrieveAmountInfoV2, RetrieveEnterpriseMultiAccountReq,
    SendSmVerificationCodeReq, ShowMultiAccountTransferAmountResponse, SubCustomerInfoV2,
    TransferAmountInfoV2, TransferEnterpriseMultiAccountReq,
};
use rust_decimal::Decimal;

use super::{given, Body, RecordPage, count, done, invalid, refused, yuan};
use crate::error::ApiResult;
use crate::params::Params;
use crate::world::enterprise::{Enterprise, OrgUnit};
use crate::{AppState, read, write};

/// `GET /v2/enterprises/multi-accounts/sub-customers`: members, by name or unit.
pub async fn list_enterprise_sub_customers(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListEnterpriseSubCustomersResponse>> {
    let page = RecordPage::from(&q)?;
    let fuzzy = match q
        .int("fuzzy_query")
        .map_err(|_| invalid("fuzzy_query is 0 or 1."))?
    {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(invalid("fuzzy_query is 0 or 1.")),
    };
    let matches = |have: &str, want: Option<&str>| {
        want.is_none_or(|w| if fuzzy { have.contains(w) } else { have == w })
    };
    let name = given(&q, "sub_customer_account_name");
    let display = given(&q, "sub_customer_display_name");
    let org = given(&q, "org_id");
    let w = read(&state.world);
    let e = &w.enterprise;
    let rows: Vec<SubCustomerInfoV2> = e
        .members
        .iter()
        .filter(|m| {
            matches(&m.name, name)
                && matches(&m.display_name, display)
                && org.is_none_or(|o| m.org_id == o)
        })
        .map(|m| SubCustomerInfoV2 {
            id: Some(m.id.clone()),
            name: Some(m.name.clone()),
            display_name: Some(m.display_name.clone()),
            status: Some(m.status),
            org_id: Some(m.org_id.clone()),
            org_name: e
                .units
                .iter()
                .find(|u| u.id == m.org_id)
                .map(|u| u.name.clone()),
        })
        .collect();
    Ok(Json(ListEnterpriseSubCustomersResponse {
        total_count: count(rows.len()),
        sub_customer_infos: Some(page.slice(&rows)),
    }))
}

fn children(e: &Enterprise, parent: &str, recursive: bool) -> Vec<EmChildNodeV2> {
    e.units
        .iter()
        .filter(|u: &&OrgUnit| u.parent.as_deref() == Some(parent))
        .map(|u| EmChildNodeV2 {
            relation_id: Some(format!("rel-{}", u.id)),
            id: Some(u.id.clone()),
            name: Some(u.name.clone()),
            child_nodes: recursive.then(|| children(e, &u.id, true)),
        })
        .collect()
}

/// `GET /v2/enterprises/multi-accounts/enterprise-organizations`: the tree under a unit (the root by default).
pub async fn list_enterprise_organizations(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListEnterpriseOrganizationsResponse>> {
    let recursive = match q
        .int("recursive_query")
        .map_err(|_| invalid("recursive_query is 0 or 1."))?
    {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(invalid("recursive_query is 0 or 1.")),
    };
    let w = read(&state.world);
    let e = &w.enterprise;
    let root = &e.units[0];
    let parent = given(&q, "parent_id")
        .unwrap_or(&root.id);
    if !e.units.iter().any(|u| u.id == parent) {
        return Err(invalid("parent_id is not a unit of the organisation."));
    }
    Ok(Json(ListEnterpriseOrganizationsResponse {
        root_id: Some(root.id.clone()),
        root_name: Some(root.name.clone()),
        child_nodes: Some(children(e, parent, recursive)),
    }))
}

fn cash_only(balance_type: Option<&str>) -> ApiResult<()> {
    match balance_type.filter(|s| !s.is_empty()) {
        None | Some("BALANCE_TYPE_DEBIT") => Ok(()),
        Some("BALANCE_TYPE_CREDIT") => Err(invalid(
            "Credit cannot be moved between member accounts here; use BALANCE_TYPE_DEBIT.",
        )),
        Some(_) => Err(invalid(
            "balance_type is BALANCE_TYPE_DEBIT or BALANCE_TYPE_CREDIT.",
        )),
    }
}

/// `GET /v2/enterprises/multi-accounts/transfer-amount`: what the master account can give members.
pub async fn show_multi_account_transfer_amount(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ShowMultiAccountTransferAmountResponse>> {
    let page = RecordPage::from(&q)?;
    let kind = given(&q, "balance_type")
        .ok_or_else(|| invalid("balance_type is required."))?;
    let w = read(&state.world);
    let b = w.ledger.balances;
    let row = match kind {
        "BALANCE_TYPE_DEBIT" => TransferAmountInfoV2 {
            avail_transfer_amount: Some(yuan(b.cash_fen)),
            measure_id: Some(1),
            currency: Some("CNY".into()),
            amount: Some(yuan(b.cash_fen)),
            credit_amount: None,
            expire_time: None,
        },
        "BALANCE_TYPE_CREDIT" => TransferAmountInfoV2 {
            avail_transfer_amount: Some(yuan(0)),
            measure_id: Some(1),
            currency: Some("CNY".into()),
            amount: Some(yuan(b.credit_fen)),
            credit_amount: Some(yuan(b.credit_limit_fen)),
            expire_time: None,
        },
        _ => {
            return Err(invalid(
                "balance_type is BALANCE_TYPE_DEBIT or BALANCE_TYPE_CREDIT.",
            ));
        }
    };
    Ok(Json(ShowMultiAccountTransferAmountResponse {
        total_count: Some(1),
        amount_infos: Some(page.slice(&[row])),
    }))
}

/// An amount to move: positive, at most two decimals.
fn fen_of(amount: Decimal) -> ApiResult<i64> {
    if amount <= Decimal::ZERO || amount.normalize().scale() > 2 {
        return Err(invalid("amount is more than 0 with at most two decimals."));
    }
    let fen = (amount * Decimal::ONE_HUNDRED).trunc();
    i64::try_from(fen).map_err(|_| invalid("amount is too large."))
}

/// `POST /v2/enterprises/multi-accounts/transfer-amount`: gives a member cash from the master account.
pub async fn update_sub_enterprise_amount(
    State(state): State<Arc<AppState>>,
    Body(req): Body<TransferEnterpriseMultiAccountReq>,
) -> ApiResult<StatusCode> {
    cash_only(req.balance_type.as_deref())?;
    let fen = fen_of(req.amount)?;
    let mut guard = write(&state.world);
    let w = &mut *guard;
    w.enterprise
        .transfer(
            &mut w.ledger,
            &req.customer_id,
            fen,
            true,
            req.trans_id.as_deref().filter(|s| !s.is_empty()),
            Utc::now(),
        )
        .map_err(refused)?;
    Ok(done())
}

/// `GET /v2/enterprises/multi-accounts/retrieve-amount`: what can be taken back from a member.
pub async fn list_enterprise_multi_account(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListEnterpriseMultiAccountResponse>> {
    let page = RecordPage::from(&q)?;
    let id = given(&q, "sub_customer_id")
        .ok_or_else(|| invalid("sub_customer_id is required."))?;
    let kind = given(&q, "balance_type")
        .ok_or_else(|| invalid("balance_type is required."))?;
    let credit = match kind {
        "BALANCE_TYPE_DEBIT" => false,
        "BALANCE_TYPE_CREDIT" => true,
        _ => return Err(invalid("balance_type is BALANCE_TYPE_DEBIT or BALANCE_TYPE_CREDIT.")),
    };
    let w = read(&state.world);
    let m = w
        .enterprise
        .member(id)
        .ok_or_else(|| invalid("sub_customer_id is not a member account."))?;
    let fen = if credit { m.credit_fen } else { m.cash_fen };
    let row = RetrieveAmountInfoV2 {
        avail_retrieve_amount: Some(yuan(fen)),
        measure_id: Some(1),
        currency: Some("CNY".into()),
        amount: Some(yuan(fen)),
        credit_amount: None,
        expire_time: None,
    };
    Ok(Json(ListEnterpriseMultiAccountResponse {
        total_count: Some(1),
        amount_infos: Some(page.slice(&[row])),
    }))
}

/// `POST /v2/enterprises/multi-accounts/retrieve-amount`: takes cash back from a member.
pub async fn reclaim_sub_enterprise_amount(
    State(state): State<Arc<AppState>>,
    Body(req): Body<RetrieveEnterpriseMultiAccountReq>,
) -> ApiResult<StatusCode> {
    cash_only(req.balance_type.as_deref())?;
    let fen = fen_of(req.amount)?;
    let mut guard = write(&state.world);
    let w = &mut *guard;
    w.enterprise
        .transfer(
            &mut w.ledger,
            &req.customer_id,
            fen,
            false,
            req.trans_id.as_deref().filter(|s| !s.is_empty()),
            Utc::now(),
        )
        .map_err(refused)?;
    Ok(done())
}

/// `POST /v2/enterprises/multi-accounts/sm-verification-code`: sends a verification code (the
/// sandbox only checks the request and counts it).
pub async fn send_sms_verification_code(
    State(state): State<Arc<AppState>>,
    Body(req): Body<SendSmVerificationCodeReq>,
) -> ApiResult<StatusCode> {
    let digits = req
        .mobile_phone
        .strip_prefix('+')
        .unwrap_or(&req.mobile_phone);
    if digits.len() < 6 || digits.len() > 20 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(invalid("mobile_phone is a phone number of digits."));
    }
    if req.timeout.is_some_and(|t| !(1..=100).contains(&t)) {
        return Err(invalid("timeout is 1 to 100 minutes."));
    }
    if req.sm_template_args.is_empty() || req.sm_template_args.iter().any(|a| a.key.is_empty()) {
        return Err(invalid("sm_template_args holds key/value pairs."));
    }
    write(&state.world).enterprise.codes_sent += 1;
    Ok(done())
}
