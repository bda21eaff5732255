//! Orders: the filtered list, one order with its line items, the coupons and discounts it may
//! use and its refunds; paying (once per order) and cancelling, both audited.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use hwcloud::bss::{
    CancelCustomerOrderReq, CancelCustomerOrderRequest, CouponSimpleInfoOrderPayV3, CustomerOrderV2, CustomerOrderV3, DiscountSimpleInfoV3,
    ListCustomerOrdersRequest, ListOrderCouponsByOrderIdRequest, ListOrderDiscountsRequest, PayCustomerOrderV3Req, PayOrdersRequest,
    ShowCustomerOrderDetailsRequest, ShowRefundOrderDetailsRequest,
};
use hwcloud::{Client, Identity};
use model::finance::{
    CouponOffer, DiscountOffer, ORDER_PAGE, OrderDetail, OrderLine, OrderPage, OrderQuery, OrderRow, PayDone, PayRequest, RefundRow, check_id,
};
use model::money::{china, parse_day, to_yuan};
use rust_decimal::Decimal;

use super::guard::{self, Change, Sent};
use crate::db::Db;
use crate::error::ServiceError;
use crate::identity::UserSession;

/// An amount in a measure unit, in yuan (zero when absent).
pub fn yuan(amount: Option<Decimal>, measure_id: Option<i64>) -> Decimal {
    amount.and_then(|a| to_yuan(a, measure_id)).unwrap_or_default()
}

fn row_v2(o: CustomerOrderV2) -> OrderRow {
    OrderRow {
        id: o.order_id.unwrap_or_default(),
        service: o.service_type_name.unwrap_or_default(),
        kind: o.order_type.unwrap_or_default(),
        status: o.status.unwrap_or_default(),
        official: yuan(o.official_amount, o.measure_id),
        amount: yuan(o.amount_after_discount, o.measure_id),
        created: o.create_time.unwrap_or_default(),
        paid: o.payment_time.filter(|p| !p.is_empty()),
    }
}

fn row_v3(o: CustomerOrderV3) -> OrderRow {
    OrderRow {
        id: o.order_id.unwrap_or_default(),
        service: o.service_type_name.unwrap_or_default(),
        kind: o.order_type.unwrap_or_default(),
        status: o.status.unwrap_or_default(),
        official: yuan(o.official_amount, o.measure_id),
        amount: yuan(o.amount_after_discount, o.measure_id),
        created: o.create_time.unwrap_or_default(),
        paid: o.payment_time.filter(|p| !p.is_empty()),
    }
}

/// The UTC instant BSS expects for the start (or end) of a UTC+8 day.
fn bound(day: NaiveDate, end: bool) -> String {
    let time = if end { NaiveTime::from_hms_opt(23, 59, 59) } else { NaiveTime::from_hms_opt(0, 0, 0) }.unwrap_or_default();
    china().from_local_datetime(&day.and_time(time)).single().map(|t| t.with_timezone(&Utc)).unwrap_or_default().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn day_bound(raw: &Option<String>, end: bool) -> Result<Option<String>, ServiceError> {
    Ok(raw.as_deref().filter(|s| !s.is_empty()).map(|s| parse_day("date", s)).transpose()?.map(|d| bound(d, end)))
}

/// One page of orders matching `q`, newest first.
pub async fn list(client: &Client, user: &UserSession, q: &OrderQuery) -> Result<OrderPage, ServiceError> {
    q.validate()?;
    super::require_read(user)?;
    let mut req = list_request(q)?;
    req.limit = Some(i64::from(ORDER_PAGE));
    req.offset = Some(i64::from(q.page) * i64::from(ORDER_PAGE));
    let resp = client.call(&user.identity(), &req).await?.value;
    Ok(OrderPage {
        rows: resp.order_infos.unwrap_or_default().into_iter().map(row_v2).collect(),
        total: u64::try_from(resp.total_count.unwrap_or_default()).unwrap_or(0),
    })
}

fn list_request(q: &OrderQuery) -> Result<ListCustomerOrdersRequest, ServiceError> {
    Ok(ListCustomerOrdersRequest {
        status: q.status,
        order_type: q.kind.clone().filter(|k| !k.is_empty()),
        service_type_code: q.service.clone().filter(|s| !s.is_empty()),
        create_time_begin: day_bound(&q.created_from, false)?,
        create_time_end: day_bound(&q.created_to, true)?,
        payment_time_begin: day_bound(&q.paid_from, false)?,
        payment_time_end: day_bound(&q.paid_to, true)?,
        order_by: Some("-createTime".into()),
        ..Default::default()
    })
}

/// How many orders match `q` (checked; for an export's progress bar).
pub async fn count(client: &Client, who: &Identity, q: &OrderQuery) -> Result<u64, ServiceError> {
    q.validate()?;
    let mut req = list_request(q)?;
    req.limit = Some(1);
    let resp = client.call(who, &req).await?.value;
    Ok(u64::try_from(resp.total_count.unwrap_or_default()).unwrap_or(0))
}

/// Every order matching `q` (already checked by [`count`]), page by page as BSS answers.
pub fn all<'a>(client: &'a Client, who: &'a Identity, q: &OrderQuery) -> Result<impl futures::Stream<Item = Result<OrderRow, ServiceError>> + 'a, ServiceError> {
    use futures::StreamExt;
    let mut req = list_request(q)?;
    req.limit = Some(EXPORT_PAGE);
    Ok(client.pages(who, req).map(|r| r.map(row_v2).map_err(ServiceError::from)))
}

/// Orders per request while exporting (BSS's largest page).
const EXPORT_PAGE: i64 = 100;

/// Orders waiting for payment (the first page of them).
pub async fn pending(client: &Client, user: &UserSession) -> Result<Vec<OrderRow>, ServiceError> {
    Ok(list(client, user, &OrderQuery { status: Some(6), ..OrderQuery::default() }).await?.rows)
}

/// One order with its line items; coupons and discounts on offer if it waits for payment;
/// refunds if it is an unsubscription.
pub async fn detail(client: &Client, user: &UserSession, order_id: &str) -> Result<OrderDetail, ServiceError> {
    check_id("order", order_id)?;
    super::require_read(user)?;
    let who = user.identity();
    let resp = client.call(&who, &ShowCustomerOrderDetailsRequest { order_id: order_id.to_owned(), limit: Some(100), ..Default::default() }).await?;
    let order = row_v3(resp.value.order_info.ok_or(ServiceError::NotFound)?);
    let lines = resp
        .value
        .order_line_items
        .unwrap_or_default()
        .into_iter()
        // Line items carry no measure unit: BSS writes them in yuan.
        .map(|l| OrderLine {
            id: l.order_line_item_id.unwrap_or_default(),
            service: l.service_type_name.unwrap_or_default(),
            description: l.product_spec_desc.unwrap_or_default(),
            period_type: l.period_type,
            period_num: l.period_num,
            official: yuan(l.official_amount, None),
            amount: yuan(l.amount_after_discount, None),
        })
        .collect();
    let (coupons, discounts) = if order.is_pending() { offers(client, &who, order_id).await? } else { (Vec::new(), Vec::new()) };
    let refunds = if order.kind == 4 { refunds(client, &who, order_id).await? } else { Vec::new() };
    Ok(OrderDetail { order, lines, coupons, discounts, refunds })
}

async fn offers(client: &Client, who: &Identity, order_id: &str) -> Result<(Vec<CouponOffer>, Vec<DiscountOffer>), ServiceError> {
    let (coupons, discounts) = (
        ListOrderCouponsByOrderIdRequest { order_id: order_id.to_owned() },
        ListOrderDiscountsRequest { order_id: order_id.to_owned() },
    );
    let (coupons, discounts) = futures::try_join!(client.call(who, &coupons), client.call(who, &discounts))?;
    let coupons = coupons
        .value
        .user_coupons
        .unwrap_or_default()
        .into_iter()
        .map(|c| CouponOffer {
            id: c.coupon_id.unwrap_or_default(),
            name: c.plan_name.unwrap_or_default(),
            balance: yuan(c.balance, c.measure_id),
            expires: c.expire_time,
            kind: c.coupon_type.unwrap_or_default(),
        })
        .collect();
    let discounts = discounts
        .value
        .discounts
        .unwrap_or_default()
        .into_iter()
        .map(|d| DiscountOffer { id: d.discount_id.unwrap_or_default(), value: d.discount_value.unwrap_or_default(), kind: d.discount_type.unwrap_or_default() })
        .collect();
    Ok((coupons, discounts))
}

async fn refunds(client: &Client, who: &Identity, order_id: &str) -> Result<Vec<RefundRow>, ServiceError> {
    let resp = client.call(who, &ShowRefundOrderDetailsRequest { order_id: order_id.to_owned(), ..Default::default() }).await?;
    Ok(resp
        .value
        .refund_infos
        .unwrap_or_default()
        .into_iter()
        .map(|r| RefundRow {
            id: r.id.unwrap_or_default(),
            service: r.service_type_name.unwrap_or_default(),
            kind: r.resource_type_name.unwrap_or_default(),
            amount: yuan(r.amount, r.measure_id.as_deref().and_then(|m| m.parse().ok())),
            base_order: r.base_order_id.unwrap_or_default(),
        })
        .collect())
}

/// The type `pay_orders` names a coupon by, from the coupon's own type in the order's coupon
/// list: discount coupons (2) are 300, cash coupons (4) 302, vouchers and product coupons 301.
pub fn coupon_payment_type(coupon_type: i64) -> i64 {
    match coupon_type {
        2 => 300,
        4 => 302,
        _ => 301,
    }
}

/// Pays a pending order with the chosen coupons and discount, at most once per order: a double
/// click, a retry or a second tab gets the first outcome. Only what BSS offers this order may be
/// chosen (checked before anything is written). Audited before and after.
pub async fn pay(db: &Db, client: &Client, user: &UserSession, req: &PayRequest) -> Result<PayDone, ServiceError> {
    req.validate()?;
    super::require_write(user)?;
    let who = user.identity();
    let change = Change { user, action: "bss.pay", target: format!("order {}", req.order_id), parameters: guard::parameters(req)? };
    let key = format!("pay:{}:{}", user.account, req.order_id);
    // Checked after the claim, so a retry of a payment made gets its outcome (its coupons are
    // no longer on offer by then).
    let done = guard::once(db, &key, change, payment(client, &who, req), |body| async {
        let resp = client.call(&who, &PayOrdersRequest { body }).await?;
        Ok(Sent { value: PayDone { order_id: req.order_id.clone(), repeated: false }, request_id: resp.request_id, detail: "paid".into() })
    })
    .await?;
    Ok(PayDone { repeated: done.repeated, ..done.value })
}

/// The payment to send: only coupons and a discount BSS offers this order, named by their types.
async fn payment(client: &Client, who: &Identity, req: &PayRequest) -> Result<PayCustomerOrderV3Req, ServiceError> {
    let (coupons, discounts) = if req.coupon_ids.is_empty() && req.discount_id.is_none() {
        (Vec::new(), Vec::new())
    } else {
        offers(client, who, &req.order_id).await?
    };
    let coupon_infos = req
        .coupon_ids
        .iter()
        .map(|id| {
            coupons
                .iter()
                .find(|c| &c.id == id)
                .map(|c| CouponSimpleInfoOrderPayV3 { id: c.id.clone(), r#type: coupon_payment_type(c.kind) })
                .ok_or_else(|| model::Invalid::new("coupons", "Only coupons this order may use can be chosen; reload the order."))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let discount_infos = req
        .discount_id
        .as_ref()
        .map(|id| {
            discounts
                .iter()
                .find(|d| &d.id == id)
                .map(|d| vec![DiscountSimpleInfoV3 { id: d.id.clone(), r#type: d.kind }])
                .ok_or_else(|| model::Invalid::new("discount", "Only a discount this order may use can be chosen; reload the order."))
        })
        .transpose()?;
    Ok(PayCustomerOrderV3Req {
        order_id: req.order_id.clone(),
        use_coupon: if coupon_infos.is_empty() { "NO" } else { "YES" }.into(),
        use_discount: if discount_infos.is_some() { "YES" } else { "NO" }.into(),
        coupon_infos: (!coupon_infos.is_empty()).then_some(coupon_infos),
        discount_infos,
    })
}

/// Cancels a pending order (audited; cancelling twice does no harm, BSS refuses the second).
pub async fn cancel(db: &Db, client: &Client, user: &UserSession, order_id: &str) -> Result<(), ServiceError> {
    check_id("order", order_id)?;
    let change = Change { user, action: "bss.cancel_order", target: format!("order {order_id}"), parameters: guard::parameters(&order_id)? };
    let req = CancelCustomerOrderRequest { body: CancelCustomerOrderReq { order_id: order_id.to_owned() } };
    guard::audited(db, change, async {
        let resp = client.call(&user.identity(), &req).await.map_err(ServiceError::from)?;
        Ok(Sent { value: (), request_id: resp.request_id, detail: "cancelled".into() })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_bounded_in_china_time() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 1).expect("day");
        assert_eq!(bound(d, false), "2026-10-31T16:00:00Z");
        assert_eq!(bound(d, true), "2026-11-01T15:59:59Z");
    }
}
