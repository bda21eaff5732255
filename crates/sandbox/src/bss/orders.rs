//! Orders: listing and details, payment with coupons and discounts, cancellation, refunds.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use hwcloud::bss::{
    AmountInfomationV2, CancelCustomerOrderReq, CouponInfoV2, CouponMaxUseQuantity,
    CustomerOrderV2, CustomerOrderV3, DiscountInfoV3, DiscountItemV2, LimitInfoV2,
    ListCustomerOrdersResponse, ListOrderCouponsByOrderIdResponse, ListOrderDiscountsResponse,
    OrderLineItemEntityV2, OrderLineItemV3, OrderRefundInfoV2, OrderV3, PayCustomerOrderV3Req,
    ShowCustomerOrderDetailsResponse, ShowRefundOrderDetailsResponse,
};
use rust_decimal::Decimal;

use super::{given, utc_param, Body, RecordPage, count, done, invalid, refused, utc, yuan};
use crate::error::ApiResult;
use crate::params::Params;
use crate::world::billing::{Order, OrderLine, order_status, order_type};
use crate::world::ledger::SERVICES;
use crate::{AppState, read, write};

fn amount_info(o: &Order) -> AmountInfomationV2 {
    let mut discounts = Vec::new();
    if o.discount_fen > 0 {
        // 700: commercial discount applied on the order; 600: the order's own official discount.
        discounts.push(DiscountItemV2 {
            discount_type: Some(if o.discount_applied { "700" } else { "600" }.into()),
            discount_amount: Some(yuan(o.discount_fen)),
        });
    }
    AmountInfomationV2 {
        discounts: Some(discounts),
        flexipurchase_coupon_amount: Some(yuan(0)),
        coupon_amount: Some(yuan(o.coupon_fen)),
        stored_card_amount: Some(yuan(0)),
        commission_amount: Some(yuan(0)),
        consumed_amount: Some(yuan(
            if o.paid.is_some() && o.kind != order_type::UNSUBSCRIBE {
                o.amount_fen() - o.coupon_fen
            } else {
                0
            },
        )),
    }
}

fn order_v2(o: &Order, customer: &str) -> CustomerOrderV2 {
    let s = &SERVICES[o.service];
    CustomerOrderV2 {
        order_id: Some(o.id.clone()),
        customer_id: Some(customer.into()),
        service_type_code: Some(s.code.into()),
        service_type_name: Some(s.name.into()),
        source_type: Some(1),
        status: Some(o.status),
        order_type: Some(o.kind),
        amount_after_discount: Some(yuan(o.amount_fen())),
        official_amount: Some(yuan(o.official_fen)),
        measure_id: Some(1),
        create_time: Some(utc(o.created)),
        payment_time: o.paid.map(utc),
        currency: Some("CNY".into()),
        contract_id: None,
        amount_info: Some(amount_info(o)),
        ..Default::default()
    }
}

/// `GET /v2/orders/customer-orders`: newest first, filtered by id, time, service, status and type.
pub async fn list_customer_orders(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListCustomerOrdersResponse>> {
    let page = RecordPage::from(&q)?;
    let time = |name: &str| utc_param(&q, name);
    let (begin, end) = (time("create_time_begin")?, time("create_time_end")?);
    if let (Some(b), Some(e)) = (begin, end)
        && e - b > Duration::days(366)
    {
        return Err(invalid(
            "create_time_begin and create_time_end are at most one year apart.",
        ));
    }
    let (paid_begin, paid_end) = (time("payment_time_begin")?, time("payment_time_end")?);
    let status = q
        .int("status")
        .map_err(|_| invalid("status must be an integer."))?;
    let kind = match given(&q, "order_type") {
        None => None,
        Some(t) => Some(
            t.parse::<i64>()
                .map_err(|_| invalid("order_type is a number such as 1 (new) or 2 (renewal)."))?,
        ),
    };
    let id = given(&q, "order_id");
    let service = given(&q, "service_type_code");
    let oldest_first = match given(&q, "order_by") {
        None | Some("-createTime") => false,
        Some("createTime") => true,
        Some(_) => return Err(invalid("order_by is createTime or -createTime.")),
    };
    let w = read(&state.world);
    let mut rows: Vec<&Order> = w
        .billing
        .orders
        .iter()
        .filter(|o| {
            id.is_none_or(|i| o.id == i)
                && status.is_none_or(|s| o.status == s)
                && kind.is_none_or(|k| o.kind == k)
        })
        .filter(|o| service.is_none_or(|s| SERVICES[o.service].code == s))
        .filter(|o| begin.is_none_or(|b| o.created >= b) && end.is_none_or(|e| o.created <= e))
        .filter(|o| {
            paid_begin.is_none_or(|b| o.paid.is_some_and(|p| p >= b))
                && paid_end.is_none_or(|e| o.paid.is_some_and(|p| p <= e))
        })
        .collect();
    rows.sort_by_key(|o| o.created);
    if !oldest_first {
        rows.reverse();
    }
    let infos: Vec<CustomerOrderV2> = page
        .slice(&rows)
        .into_iter()
        .map(|o| order_v2(o, &w.account_id))
        .collect();
    Ok(Json(ListCustomerOrdersResponse {
        total_count: count(rows.len()),
        order_infos: Some(infos),
    }))
}

fn line_v2(o: &Order, l: &OrderLine) -> OrderLineItemEntityV2 {
    let s = &SERVICES[o.service];
    OrderLineItemEntityV2 {
        order_line_item_id: Some(l.id.clone()),
        service_type_code: Some(s.code.into()),
        service_type_name: Some(s.name.into()),
        product_id: Some(l.product_id.clone()),
        product_spec_desc: Some(l.spec.clone()),
        period_type: Some(l.period_type),
        period_num: Some(l.period_num),
        effective_time: Some(utc(l.effective)),
        expire_time: Some(utc(l.expire)),
        subscription_num: Some(1),
        amount_after_discount: Some(yuan(line_share(o, l.official_fen))),
        official_amount: Some(yuan(l.official_fen)),
        amount_info: None,
        currency: Some("CNY".into()),
        category_code: Some(s.resource_type.into()),
        product_owner_service: Some(s.code.into()),
        commercial_resource: Some(s.resource_type.into()),
        base_product_info: None,
        order_id: Some(o.id.clone()),
    }
}

/// A line's part of the order's discounted amount (the last fen of rounding stays with the order).
fn line_share(o: &Order, official_fen: i64) -> i64 {
    if o.official_fen == 0 {
        0
    } else {
        official_fen * o.amount_fen() / o.official_fen
    }
}

/// `GET /v2/orders/customer-orders/details/{order_id}`: the order and a page of its lines.
pub async fn show_customer_order_details(
    State(state): State<Arc<AppState>>,
    Path(order_id): Path<String>,
    q: Params,
) -> ApiResult<Json<ShowCustomerOrderDetailsResponse>> {
    let page = RecordPage::from(&q)?;
    let w = read(&state.world);
    let o = w
        .billing
        .order(&order_id)
        .ok_or_else(|| refused(no_order()))?;
    let v2 = order_v2(o, &w.account_id);
    let info = CustomerOrderV3 {
        order_id: v2.order_id,
        customer_id: v2.customer_id,
        service_type_code: v2.service_type_code,
        service_type_name: v2.service_type_name,
        source_type: v2.source_type,
        status: v2.status,
        order_type: v2.order_type,
        amount_after_discount: v2.amount_after_discount,
        official_amount: v2.official_amount,
        measure_id: v2.measure_id,
        create_time: v2.create_time,
        payment_time: v2.payment_time,
        currency: v2.currency,
        contract_id: None,
        amount_info: v2.amount_info,
        user_name: Some("finance".into()),
        pending_payment_end_time: (o.status == order_status::PENDING_PAYMENT)
            .then(|| utc(o.created + Duration::days(7))),
        ..Default::default()
    };
    let lines: Vec<OrderLineItemEntityV2> = o.lines.iter().map(|l| line_v2(o, l)).collect();
    Ok(Json(ShowCustomerOrderDetailsResponse {
        total_count: count(lines.len()),
        order_info: Some(info),
        order_line_items: Some(page.slice(&lines)),
    }))
}

fn no_order() -> crate::world::billing::Refusal {
    crate::world::billing::Refusal {
        code: "CBC.3106",
        msg: "The order does not exist.".into(),
    }
}

/// `POST /v3/orders/customer-orders/pay`: pays a pending order, optionally with coupons and its discount.
pub async fn pay_orders(
    State(state): State<Arc<AppState>>,
    Body(req): Body<PayCustomerOrderV3Req>,
) -> ApiResult<StatusCode> {
    if req.order_id.is_empty() {
        return Err(invalid("order_id is required."));
    }
    let coupons: Vec<(String, i64)> = req
        .coupon_infos
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|c| (c.id, c.r#type))
        .collect();
    let discounts: Vec<(String, i64)> = req
        .discount_infos
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|d| (d.id, d.r#type))
        .collect();
    let coupons = match (req.use_coupon.as_str(), coupons.is_empty()) {
        ("YES", false) => coupons,
        ("YES", true) => return Err(invalid("coupon_infos is required when use_coupon is YES.")),
        ("NO", true) => Vec::new(),
        ("NO", false) => return Err(invalid("coupon_infos must be empty when use_coupon is NO.")),
        _ => return Err(invalid("use_coupon is YES or NO.")),
    };
    let discount = match (req.use_discount.as_str(), discounts.as_slice()) {
        ("YES", [one]) => Some(one.clone()),
        ("YES", []) => {
            return Err(invalid(
                "discount_infos is required when use_discount is YES.",
            ));
        }
        ("YES", _) => return Err(invalid("Only one discount can be used.")),
        ("NO", []) => None,
        ("NO", _) => {
            return Err(invalid(
                "discount_infos must be empty when use_discount is NO.",
            ));
        }
        _ => return Err(invalid("use_discount is YES or NO.")),
    };
    let mut guard = write(&state.world);
    let w = &mut *guard;
    w.billing
        .pay(
            &mut w.ledger,
            &req.order_id,
            &coupons,
            discount.as_ref().map(|(id, kind)| (id.as_str(), *kind)),
            Utc::now(),
        )
        .map_err(refused)?;
    Ok(done())
}

/// `PUT /v2/orders/customer-orders/cancel`: cancels an order pending payment.
pub async fn cancel_customer_order(
    State(state): State<Arc<AppState>>,
    Body(req): Body<CancelCustomerOrderReq>,
) -> ApiResult<StatusCode> {
    if req.order_id.is_empty() {
        return Err(invalid("order_id is required."));
    }
    write(&state.world)
        .billing
        .cancel(&req.order_id)
        .map_err(refused)?;
    Ok(done())
}

/// `GET /v2/orders/customer-orders/order-coupons`: coupons usable on a pending order.
pub async fn list_order_coupons_by_order_id(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListOrderCouponsByOrderIdResponse>> {
    let id = given(&q, "order_id")
        .ok_or_else(|| invalid("order_id is required."))?;
    let w = read(&state.world);
    let o = w.billing.order(id).ok_or_else(|| refused(no_order()))?;
    let now = Utc::now();
    let coupons: Vec<CouponInfoV2> = if o.status == order_status::PENDING_PAYMENT {
        w.billing
            .coupons
            .iter()
            .filter(|c| o.coupons.contains(&c.id) && c.status(now) == 2)
            .map(|c| CouponInfoV2 {
                coupon_id: Some(c.id.clone()),
                coupon_code: Some(c.id.clone()),
                status: Some(c.status(now)),
                coupon_type: Some(c.kind),
                measure_id: Some(1),
                face_value: Some(yuan(c.face_fen)),
                effective_time: Some(utc(c.valid)),
                expire_time: Some(utc(c.expire)),
                plan_name: Some(c.plan.clone()),
                plan_desc: Some(c.plan.clone()),
                use_limits: Some(
                    c.service
                        .map(|s| LimitInfoV2 {
                            limit_key: Some("CLOUD_SERVICE_TYPE".into()),
                            value1: Some(SERVICES[s].code.into()),
                            limit_type: Some("1".into()),
                            ..Default::default()
                        })
                        .into_iter()
                        .collect(),
                ),
                balance: Some(yuan(c.balance_fen)),
                coupon_usage: Some("1".into()),
                ..Default::default()
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Json(ListOrderCouponsByOrderIdResponse {
        count: count(coupons.len()),
        user_coupons: Some(coupons),
        coupon_max_use_quantity: Some(vec![CouponMaxUseQuantity {
            coupon_type: Some(1),
            coupon_group: Some(1),
            use_quantity_value: Some(3),
        }]),
    }))
}

/// `GET /v2/orders/customer-orders/order-discounts`: the discount offered on a pending order.
pub async fn list_order_discounts(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListOrderDiscountsResponse>> {
    let id = given(&q, "order_id")
        .ok_or_else(|| invalid("order_id is required."))?;
    let w = read(&state.world);
    let o = w.billing.order(id).ok_or_else(|| refused(no_order()))?;
    let discounts = o
        .discount
        .iter()
        .filter(|_| o.status == order_status::PENDING_PAYMENT)
        .map(|d| DiscountInfoV3 {
            discount_id: Some(d.id.clone()),
            discount_value: Some(Decimal::new(d.rate_pct, 2)),
            discount_type: Some(d.kind),
            orders: Some(vec![OrderV3 {
                order_id: Some(o.id.clone()),
                order_line_items: Some(vec![OrderLineItemV3 {
                    order_line_item_ids: Some(o.lines.iter().map(|l| l.id.clone()).collect()),
                    discount_mode: Some(1),
                    discount_amount: Some(yuan(o.amount_fen() - o.amount_fen() * d.rate_pct / 100)),
                    discount_ratio: Some(Decimal::new(d.rate_pct, 2)),
                }]),
            }]),
        })
        .collect();
    Ok(Json(ListOrderDiscountsResponse {
        discounts: Some(discounts),
    }))
}

/// `GET /v2/orders/customer-orders/refund-orders`: where an unsubscription's refund came from.
pub async fn show_refund_order_details(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ShowRefundOrderDetailsResponse>> {
    let id = given(&q, "order_id")
        .ok_or_else(|| invalid("order_id is required."))?;
    let w = read(&state.world);
    w.billing.order(id).ok_or_else(|| refused(no_order()))?;
    let rows: Vec<OrderRefundInfoV2> = w
        .billing
        .refunds
        .iter()
        .filter(|r| r.order_id == id)
        .map(|r| {
            let s = &SERVICES[r.service];
            OrderRefundInfoV2 {
                id: Some(r.id.clone()),
                // BSS writes refunds as negative amounts.
                amount: Some(yuan(-r.amount_fen)),
                measure_id: Some("1".into()),
                customer_id: Some(w.account_id.clone()),
                resource_type_code: Some(s.resource_type.into()),
                service_type_code: Some(s.code.into()),
                resource_type_name: Some(s.resource_name.into()),
                service_type_name: Some(s.name.into()),
                region_code: Some("cn-north-4".into()),
                base_order_id: Some(r.base_order_id.clone()),
            }
        })
        .collect();
    Ok(Json(ShowRefundOrderDetailsResponse {
        total_count: count(rows.len()),
        refund_infos: Some(rows),
    }))
}
