//! Benefits: coupons and their journal, stored-value cards, and resource packages with usage.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use hwcloud::bss::{
    CustomerCouponChangeRecord, FreeResourceDetail, FreeResourcePackageV3, FreeResourceRecord,
    FreeResourceV3, ICouponUseLimitInfoV2, IQueryUserCouponsResultV2,
    ListCustomerCouponChangeRecordsResponse, ListFreeResourceInfosReq,
    ListFreeResourceInfosResponse, ListFreeResourceUsagesReq, ListFreeResourceUsagesResponse,
    ListFreeResourcesUsageRecordsResponse, ListStoredValueCardsResponse,
    ListSubCustomerCouponsResponse, UserStoredValueCard,
};
use rust_decimal::Decimal;

use super::{given, revenue_expense, utc_param, Body, RecordPage, count, invalid, parse_day, utc, yuan};
use crate::error::ApiResult;
use crate::params::Params;
use crate::world::ledger::SERVICES;
use crate::{AppState, read};

/// `GET /v2/promotions/benefits/stored-value-cards`: cards by status (1 usable, 2 used up or expired).
pub async fn list_stored_value_cards(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListStoredValueCardsResponse>> {
    let page = RecordPage::from(&q)?;
    let status = q
        .int("status")
        .map_err(|_| invalid("status must be an integer."))?
        .ok_or_else(|| invalid("status is required."))?;
    if !(1..=2).contains(&status) {
        return Err(invalid("status is 1 (usable) or 2 (used up or expired)."));
    }
    let card_id = given(&q, "card_id");
    let now = Utc::now();
    let w = read(&state.world);
    let rows: Vec<UserStoredValueCard> = w
        .billing
        .cards
        .iter()
        .filter(|c| c.status(now) == status && card_id.is_none_or(|id| c.id == id))
        .map(|c| UserStoredValueCard {
            card_id: Some(c.id.clone()),
            card_name: Some(c.name.clone()),
            status: Some(c.status(now)),
            face_value: Some(yuan(c.face_fen)),
            balance: Some(yuan(c.balance_fen)),
            effective_time: Some(utc(c.effective)),
            expire_time: Some(utc(c.expire)),
        })
        .collect();
    Ok(Json(ListStoredValueCardsResponse {
        total_count: count(rows.len()),
        stored_value_cards: Some(page.slice(&rows)),
    }))
}

/// `GET /v2/promotions/benefits/coupons`: the account's coupons.
pub async fn list_sub_customer_coupons(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListSubCustomerCouponsResponse>> {
    let page = RecordPage::from(&q)?;
    let status = q
        .int("status")
        .map_err(|_| invalid("status must be an integer."))?;
    if status.is_some_and(|s| !(1..=4).contains(&s)) {
        return Err(invalid(
            "status is 1 (not active), 2 (usable), 3 (used up) or 4 (expired).",
        ));
    }
    let kind = q
        .int("coupon_type")
        .map_err(|_| invalid("coupon_type must be an integer."))?;
    let coupon_id = given(&q, "coupon_id");
    let order_id = given(&q, "order_id");
    let now = Utc::now();
    let w = read(&state.world);
    let rows: Vec<IQueryUserCouponsResultV2> = w
        .billing
        .coupons
        .iter()
        .filter(|c| status.is_none_or(|s| c.status(now) == s) && kind.is_none_or(|k| c.kind == k))
        .filter(|c| {
            coupon_id.is_none_or(|id| c.id == id)
                && order_id.is_none_or(|o| c.used_by.as_deref() == Some(o))
        })
        .map(|c| IQueryUserCouponsResultV2 {
            coupon_id: Some(c.id.clone()),
            coupon_code: Some(c.id.clone()),
            status: Some(c.status(now)),
            customer_id: Some(w.account_id.clone()),
            coupon_type: Some(c.kind),
            measure_id: Some(1),
            face_value: Some(yuan(c.face_fen)),
            valid_time: Some(utc(c.valid)),
            expire_time: Some(utc(c.expire)),
            order_id: c.used_by.clone(),
            plan_name: Some(c.plan.clone()),
            plan_desc: Some(c.plan.clone()),
            use_limits: Some(
                c.service
                    .map(|s| ICouponUseLimitInfoV2 {
                        limit_key: Some("CLOUD_SERVICE_TYPE".into()),
                        value1: Some(SERVICES[s].code.into()),
                        limit_type: Some("1".into()),
                        ..Default::default()
                    })
                    .into_iter()
                    .collect(),
            ),
            active_time: Some(utc(c.valid)),
            create_time: Some(utc(c.valid)),
            balance: Some(yuan(c.balance_fen)),
            currency: Some("CNY".into()),
            ..Default::default()
        })
        .collect();
    Ok(Json(ListSubCustomerCouponsResponse {
        count: count(rows.len()),
        user_coupons: Some(page.slice(&rows)),
    }))
}

/// `GET /v2/promotions/benefits/account-change-records`: coupon balance changes, newest first.
pub async fn list_customer_coupon_change_records(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListCustomerCouponChangeRecordsResponse>> {
    let page = RecordPage::from(&q)?;
    let kind = given(&q, "balance_type")
        .ok_or_else(|| invalid("balance_type is required."))?;
    if !["BALANCE_TYPE_COUPON", "BALANCE_TYPE_FLEXIPURCHASE_COUPON"].contains(&kind) {
        return Err(invalid(
            "balance_type is BALANCE_TYPE_COUPON or BALANCE_TYPE_FLEXIPURCHASE_COUPON.",
        ));
    }
    let direction = revenue_expense(&q)?.map(|revenue| if revenue { 1 } else { 2 });
    // Coupons here are only ever activated (ADJUST, income) or spent (DEDEUCT, expense); the
    // other trade types are valid but have no records (0).
    let trade = match q.str("trade_type") {
        None => None,
        Some("ADJUST") => Some(1),
        Some("DEDEUCT") => Some(2),
        Some("REFUND" | "RFROZEN" | "EXPIRED" | "COUPONADJUST" | "COUPONCANCEL") => Some(0),
        Some(_) => {
            return Err(invalid(
                "trade_type is ADJUST, DEDEUCT, REFUND, RFROZEN, EXPIRED, COUPONADJUST or COUPONCANCEL.",
            ));
        }
    };
    let begin = utc_param(&q, "trade_time_begin")?;
    let end = utc_param(&q, "trade_time_end")?;
    let coupon_id = given(&q, "coupon_id");
    let trade_id = given(&q, "trade_id");
    let w = read(&state.world);
    let rows: Vec<CustomerCouponChangeRecord> = if kind == "BALANCE_TYPE_COUPON" {
        w.billing
            .coupon_journal
            .iter()
            .rev()
            .filter(|c| {
                direction.is_none_or(|d| c.direction == d)
                    && trade.is_none_or(|d| c.direction == d)
                    && coupon_id.is_none_or(|id| c.coupon_id == id)
            })
            .filter(|c| {
                trade_id.is_none_or(|t| c.trade_id == t)
                    && begin.is_none_or(|b| c.at >= b)
                    && end.is_none_or(|e| c.at <= e)
            })
            .map(|c| CustomerCouponChangeRecord {
                coupon_id: Some(c.coupon_id.clone()),
                trade_detail_type: Some(if c.direction == 1 { "发放" } else { "消费" }.into()),
                trade_time: Some(utc(c.at)),
                trade_id: Some(c.trade_id.clone()),
                change_amount: Some(yuan(c.amount_fen)),
                balance_after_change: Some(yuan(c.balance_after_fen)),
                revenue_expense_type: Some(
                    if c.direction == 1 {
                        "REVENUE"
                    } else {
                        "EXPENSE"
                    }
                    .into(),
                ),
                bill_cycle: Some(
                    crate::world::BillCycle::of(crate::world::today_cn(c.at)).to_string(),
                ),
                account_name: None,
                cloud_service_type_name: None,
                resource_type_name: None,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Json(ListCustomerCouponChangeRecordsResponse {
        total_count: count(rows.len()),
        currency: Some("CNY".into()),
        records: Some(page.slice(&rows)),
    }))
}

/// Hundredths of a unit as a decimal quantity.
fn centi(n: i64) -> Decimal {
    Decimal::new(n, 2)
}

/// `POST /v3/payments/free-resources/query`: resource packages and what is left of them.
pub async fn list_free_resource_infos(
    State(state): State<Arc<AppState>>,
    Body(req): Body<ListFreeResourceInfosReq>,
) -> ApiResult<Json<ListFreeResourceInfosResponse>> {
    let page = RecordPage::of(req.offset, req.limit, 100)?;
    if req.status.is_some_and(|s| !(0..=4).contains(&s)) {
        return Err(invalid("status is 0 to 4."));
    }
    let now = Utc::now();
    let w = read(&state.world);
    let rows: Vec<FreeResourcePackageV3> = w
        .billing
        .packages
        .iter()
        .filter(|p| req.status.is_none_or(|s| p.status(now) == s))
        .filter(|p| {
            req.order_id
                .as_ref()
                .is_none_or(|o| o.is_empty() || &p.order_id == o)
        })
        .filter(|p| {
            req.product_id
                .as_ref()
                .is_none_or(|x| x.is_empty() || &p.product_id == x)
        })
        .filter(|p| {
            req.product_name
                .as_ref()
                .is_none_or(|x| p.name.contains(x.as_str()))
        })
        .filter(|p| {
            req.service_type_code_list
                .as_ref()
                .is_none_or(|l| l.is_empty() || l.iter().any(|c| c == SERVICES[p.service].code))
        })
        .map(|p| FreeResourcePackageV3 {
            order_instance_id: Some(p.id.clone()),
            order_id: Some(p.order_id.clone()),
            product_id: Some(p.product_id.clone()),
            product_name: Some(p.name.clone()),
            enterprise_project_id: Some("0".into()),
            enterprise_project_scope: Some(0),
            effective_time: Some(utc(p.effective)),
            expire_time: Some(utc(p.expire)),
            status: Some(p.status(now)),
            service_type_code: Some(SERVICES[p.service].code.into()),
            service_type_name: Some(SERVICES[p.service].name.into()),
            region_code: Some("cn-north-4".into()),
            source_type: Some(1),
            bundle_type: Some("ATOMIC_PKG".into()),
            quota_reuse_mode: Some(2),
            free_resources: Some(
                p.quotas
                    .iter()
                    .map(|q| FreeResourceV3 {
                        free_resource_id: Some(q.id.clone()),
                        usage_type_name: Some(q.usage_type.clone()),
                        amount: Some(centi(q.remaining_centi)),
                        original_amount: Some(centi(q.original_centi)),
                        measure_id: Some(q.measure_id),
                    })
                    .collect(),
            ),
        })
        .collect();
    Ok(Json(ListFreeResourceInfosResponse {
        free_resource_packages: Some(page.slice(&rows)),
        total_count: count(rows.len()),
    }))
}

/// `POST /v2/payments/free-resources/usages/details/query`: quotas by id.
pub async fn list_free_resource_usages(
    State(state): State<Arc<AppState>>,
    Body(req): Body<ListFreeResourceUsagesReq>,
) -> ApiResult<Json<ListFreeResourceUsagesResponse>> {
    if req.free_resource_ids.is_empty() || req.free_resource_ids.len() > 100 {
        return Err(invalid("free_resource_ids holds 1 to 100 ids."));
    }
    let w = read(&state.world);
    let rows = w
        .billing
        .packages
        .iter()
        .flat_map(|p| p.quotas.iter().map(move |q| (p, q)))
        .filter(|(_, q)| req.free_resource_ids.contains(&q.id))
        .map(|(p, q)| FreeResourceDetail {
            free_resource_id: Some(q.id.clone()),
            free_resource_type_name: Some(p.name.clone()),
            quota_reuse_cycle: Some(0),
            quota_reuse_cycle_type: Some(1),
            usage_type_name: Some(q.usage_type.clone()),
            start_time: Some(utc(p.effective)),
            end_time: Some(utc(p.expire)),
            amount: Some(centi(q.remaining_centi)),
            original_amount: Some(centi(q.original_centi)),
            measure_id: Some(q.measure_id),
        })
        .collect();
    Ok(Json(ListFreeResourceUsagesResponse {
        free_resources: Some(rows),
    }))
}

/// `GET /v2/bills/customer-bills/free-resources-usage-records`: deductions from packages in a time range.
pub async fn list_free_resources_usage_records(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListFreeResourcesUsageRecordsResponse>> {
    let page = RecordPage::from(&q)?;
    // Days in UTC+8, both included.
    let need = |name: &str| {
        q.str(name)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid(format!("{name} is required.")))
            .and_then(|s| parse_day(s, name))
    };
    let (first, last) = (need("deduct_time_begin")?, need("deduct_time_end")?);
    if last < first {
        return Err(invalid("deduct_time_end is before deduct_time_begin."));
    }
    let begin = crate::world::day_start_utc(crate::world::epoch_day(first));
    let end = crate::world::day_start_utc(crate::world::epoch_day(last) + 1);
    let fr = given(&q, "free_resource_id");
    let product = given(&q, "product_id");
    let w = read(&state.world);
    let rows: Vec<FreeResourceRecord> = w
        .billing
        .packages
        .iter()
        .filter(|p| product.is_none_or(|x| p.product_id == x))
        .flat_map(|p| p.usage.iter().map(move |u| (p, u)))
        .filter(|(_, u)| u.at >= begin && u.at < end && fr.is_none_or(|x| u.free_resource_id == x))
        .map(|(p, u)| {
            let quota = p.quotas.iter().find(|q| q.id == u.free_resource_id);
            FreeResourceRecord {
                deduct_time: Some(utc(u.at)),
                free_resource_id: Some(u.free_resource_id.clone()),
                resource_id: Some(u.resource_id.clone()),
                resource_type_code: Some(SERVICES[p.service].resource_type.into()),
                resource_type_name: Some(SERVICES[p.service].resource_name.into()),
                resource_tag: None,
                product_id: Some(p.product_id.clone()),
                product_name: Some(p.name.clone()),
                usage_type_code: quota.map(|q| q.usage_code.clone()),
                available_amount: Some(centi(u.remaining_centi + u.used_centi)),
                remaining_amount: Some(centi(u.remaining_centi)),
                used_amount: Some(centi(u.used_centi)),
                measure_id: quota.map(|q| q.measure_id),
                effective_time: Some(utc(p.effective)),
                expire_time: Some(utc(p.expire)),
            }
        })
        .collect();
    Ok(Json(ListFreeResourcesUsageRecordsResponse {
        free_resource_records: Some(page.slice(&rows)),
        total_count: count(rows.len()),
    }))
}
