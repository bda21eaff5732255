//! Coupons with their limits, stored-value cards, and resource packages with what is left.

use futures::TryStreamExt;
use hwcloud::bss::{
    ListFreeResourceInfosReq, ListFreeResourceInfosRequest, ListStoredValueCardsRequest, ListSubCustomerCouponsRequest,
};
use hwcloud::{Client, Identity};
use model::finance::{Benefits, Card, Coupon, Package};
use rust_decimal::Decimal;

use super::orders::yuan;
use crate::error::ServiceError;
use crate::identity::UserSession;

/// Items per request (the APIs' largest pages).
const PAGE: i64 = 100;

/// Every coupon, usable ones first.
pub async fn coupons(client: &Client, who: &Identity) -> Result<Vec<Coupon>, ServiceError> {
    let req = ListSubCustomerCouponsRequest { limit: Some(PAGE), ..Default::default() };
    let mut all: Vec<Coupon> = client
        .pages(who, req)
        .map_ok(|c| Coupon {
            id: c.coupon_id.unwrap_or_default(),
            name: c.plan_name.unwrap_or_default(),
            status: c.status.unwrap_or_default(),
            face_value: yuan(c.face_value, c.measure_id),
            balance: yuan(c.balance, c.measure_id),
            valid_from: c.valid_time,
            expires: c.expire_time,
            limits: c
                .use_limits
                .unwrap_or_default()
                .into_iter()
                .map(|l| [l.limit_key, l.value1, l.value2].into_iter().flatten().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" "))
                .collect(),
        })
        .try_collect()
        .await?;
    all.sort_by_key(|c| (c.status != 2, c.expires.clone()));
    Ok(all)
}

/// Usable stored-value cards.
pub async fn cards(client: &Client, who: &Identity) -> Result<Vec<Card>, ServiceError> {
    let req = ListStoredValueCardsRequest { status: 1, limit: Some(PAGE), ..Default::default() };
    Ok(client
        .pages(who, req)
        .map_ok(|c| Card {
            id: c.card_id.unwrap_or_default(),
            name: c.card_name.unwrap_or_default(),
            status: c.status.unwrap_or_default(),
            face_value: yuan(c.face_value, None),
            balance: yuan(c.balance, None),
            expires: c.expire_time,
        })
        .try_collect()
        .await?)
}

/// Resource packages with their quotas.
pub async fn packages(client: &Client, who: &Identity) -> Result<Vec<Package>, ServiceError> {
    let req = ListFreeResourceInfosRequest { x_language: None, body: ListFreeResourceInfosReq { limit: Some(PAGE), ..Default::default() } };
    Ok(client
        .pages(who, req)
        .map_ok(|p| Package {
            id: p.order_instance_id.unwrap_or_default(),
            name: p.product_name.unwrap_or_default(),
            service: p.service_type_name.unwrap_or_default(),
            status: p.status.unwrap_or_default(),
            expires: p.expire_time,
            quotas: p
                .free_resources
                .unwrap_or_default()
                .into_iter()
                .map(|f| (f.usage_type_name.unwrap_or_default(), f.amount.unwrap_or_default(), f.original_amount.unwrap_or_default()))
                .collect(),
        })
        .try_collect()
        .await?)
}

/// Coupons, cards and packages together.
pub async fn all(client: &Client, user: &UserSession) -> Result<Benefits, ServiceError> {
    super::require_read(user)?;
    let who = user.identity();
    let (coupons, cards, packages) = futures::try_join!(coupons(client, &who), cards(client, &who), packages(client, &who))?;
    Ok(Benefits { coupons, cards, packages })
}

/// Count and remaining value of usable coupons.
pub fn usable_coupons(coupons: &[Coupon]) -> (u32, Decimal) {
    let usable: Vec<&Coupon> = coupons.iter().filter(|c| c.status == 2).collect();
    (u32::try_from(usable.len()).unwrap_or(u32::MAX), usable.iter().map(|c| c.balance).sum())
}
