//! Yearly/monthly resources: the list with master/slave relations, what expires when (with
//! BSS's renewal prices), the renewal calendar, and the changes made to what happens at expiry:
//! auto-renew on or off, pay-per-use at expiry, unsubscribing.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use futures::TryStreamExt;
use hwcloud::bss::{
    AutoRenewalResourcesReq, AutoRenewalResourcesRequest, CancelAutoRenewalResourcesRequest, CancelResourcesSubscriptionRequest,
    ListPayPerUseCustomerResourcesRequest, ListRenewRateOnPeriodReq, ListRenewRateOnPeriodRequest, OrderInstanceV2, PeriodToOnDemandReq,
    QueryResourcesReq, UnsubscribeResourcesReq, UpdatePeriodToOnDemandRequest,
};
use hwcloud::{Client, Identity};
use model::finance::{
    CalendarDay, Expiring, ExpiryChange, Subscription, SubscriptionQuery, UnsubscribeDone, UnsubscribeKind, UnsubscribeRequest, check_id,
};
use model::money::day_cn;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::guard::{self, Change, Sent};
use crate::db::Db;
use crate::error::ServiceError;
use crate::identity::UserSession;

/// Days the renewal calendar looks ahead.
pub const CALENDAR_DAYS: i64 = 90;
/// Resources per list page (BSS's largest).
const PAGE: i64 = 500;
/// Resources per quote (BSS's limit).
const QUOTE_BATCH: usize = 100;

fn to_subscription(r: OrderInstanceV2) -> Subscription {
    Subscription {
        id: r.resource_id.unwrap_or_default(),
        name: r.resource_name.unwrap_or_default(),
        service: r.service_type_name.unwrap_or_default(),
        kind: r.resource_type_name.unwrap_or_default(),
        region: r.region_code.unwrap_or_default(),
        status: r.status.unwrap_or_default(),
        expires: r.expire_time.unwrap_or_default(),
        expire_policy: r.expire_policy.unwrap_or_default(),
        master: r.parent_resource_id.filter(|p| !p.is_empty() && r.is_main_resource != Some(1)),
    }
}

/// When a subscription expires, if BSS wrote a readable time.
pub fn expiry(s: &Subscription) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&s.expires).ok().map(|t| t.with_timezone(&Utc))
}

/// Every yearly/monthly resource matching `q` (masters and slaves), soonest expiry first.
pub async fn list(client: &Client, user: &UserSession, q: &SubscriptionQuery) -> Result<Vec<Subscription>, ServiceError> {
    q.validate()?;
    super::require_read(user)?;
    let mut body = QueryResourcesReq { limit: Some(PAGE), service_type_code: q.service.clone().filter(|s| !s.is_empty()), ..Default::default() };
    if let Some(days) = q.expiring_within {
        let fmt = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        // Expired resources still in their grace period (status 5) are "expiring" too; frozen
        // ones (4) are past saving by a renewal of the usual kind and are left out.
        body.expire_time_begin = Some(fmt(Utc::now() - Duration::days(30)));
        body.expire_time_end = Some(fmt(Utc::now() + Duration::days(i64::from(days))));
        body.status_list = Some(vec![2, 5]);
    }
    let mut all: Vec<Subscription> =
        client.pages(&user.identity(), ListPayPerUseCustomerResourcesRequest { body }).map_ok(to_subscription).try_collect().await?;
    all.sort_by(|a, b| a.expires.cmp(&b.expires).then_with(|| a.id.cmp(&b.id)));
    Ok(all)
}

/// One month's renewal price of each master in `ids` (its slaves included), as BSS quotes it;
/// resources BSS will not renew are left out.
pub async fn monthly_prices(client: &Client, who: &Identity, ids: &[String]) -> Result<HashMap<String, Decimal>, ServiceError> {
    let mut prices = HashMap::new();
    for chunk in ids.chunks(QUOTE_BATCH) {
        let req = ListRenewRateOnPeriodRequest {
            body: ListRenewRateOnPeriodReq { resource_ids: chunk.to_vec(), period_type: 2, period_num: 1, include_relative_resources: Some(true) },
        };
        let resp = match client.call(who, &req).await {
            Ok(resp) => resp.value,
            // Every resource of the batch refused (none renewable): no prices, not a failure of the page.
            Err(e) if e.service_error().is_some_and(|s| s.status < 500) => continue,
            Err(e) => return Err(e.into()),
        };
        for line in resp.renew_inquiry_results.unwrap_or_default() {
            if let (Some(id), Some(amount)) = (line.resource_id, line.amount) {
                prices.insert(id, amount);
            }
        }
    }
    Ok(prices)
}

/// Masters with a one-month renewal price summed over their group (slaves added to their master).
pub fn with_prices(masters: Vec<Subscription>, slaves_of: &BTreeMap<String, Vec<String>>, prices: &HashMap<String, Decimal>) -> Vec<Expiring> {
    masters
        .into_iter()
        .map(|m| {
            let own = prices.get(&m.id).copied();
            let slaves: Decimal = slaves_of.get(&m.id).into_iter().flatten().filter_map(|s| prices.get(s)).sum();
            Expiring { monthly_cost: own.map(|o| o + slaves), resource: m }
        })
        .collect()
}

/// Masters (with prices) among `all` expiring within `days`, soonest first.
pub async fn expiring(client: &Client, user: &UserSession, days: u32) -> Result<Vec<Expiring>, ServiceError> {
    let all = list(client, user, &SubscriptionQuery { expiring_within: Some(days), service: None }).await?;
    let mut slaves_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for s in all.iter().filter(|s| s.master.is_some()) {
        slaves_of.entry(s.master.clone().unwrap_or_default()).or_default().push(s.id.clone());
    }
    let masters: Vec<Subscription> = all.into_iter().filter(|s| s.master.is_none()).collect();
    let ids: Vec<String> = masters.iter().map(|m| m.id.clone()).collect();
    let prices = monthly_prices(client, &user.identity(), &ids).await?;
    Ok(with_prices(masters, &slaves_of, &prices))
}

/// The next 90 days, day by day (UTC+8): what expires or auto-renews, and one month's price.
pub async fn calendar(client: &Client, user: &UserSession) -> Result<Vec<CalendarDay>, ServiceError> {
    let items = expiring(client, user, u32::try_from(CALENDAR_DAYS).unwrap_or(90)).await?;
    let today = day_cn(Utc::now());
    let mut days: BTreeMap<String, Vec<Expiring>> = BTreeMap::new();
    for item in items {
        if let Some(at) = expiry(&item.resource) {
            let day = day_cn(at);
            if day >= today {
                days.entry(day.format("%Y-%m-%d").to_string()).or_default().push(item);
            }
        }
    }
    Ok(days.into_iter().map(|(day, items)| CalendarDay { day, items }).collect())
}

/// What auto-renewals will charge among `items` (one month each, as BSS renews by default).
pub fn auto_renew_due(items: &[Expiring]) -> Decimal {
    items.iter().filter(|i| i.resource.auto_renews()).filter_map(|i| i.monthly_cost).sum()
}

/// Changes what happens to a resource at expiry (audited; harmless to repeat, so not claimed).
pub async fn change_expiry(db: &Db, client: &Client, user: &UserSession, resource_id: &str, change: ExpiryChange) -> Result<(), ServiceError> {
    check_id("resource", resource_id)?;
    let who = user.identity();
    let (action, detail) = match change {
        ExpiryChange::AutoRenewOn => ("bss.auto_renew_on", "auto-renew on"),
        ExpiryChange::AutoRenewOff => ("bss.auto_renew_off", "auto-renew off"),
        ExpiryChange::ToPayPerUse => ("bss.to_pay_per_use", "pay-per-use at expiry"),
    };
    let audit = Change { user, action, target: format!("resource {resource_id}"), parameters: guard::parameters(&change)? };
    let id = resource_id.to_owned();
    guard::audited(db, audit, async move {
        let request_id = match change {
            ExpiryChange::AutoRenewOn => {
                let req = AutoRenewalResourcesRequest { resource_id: id, body: AutoRenewalResourcesReq::default() };
                client.call(&who, &req).await.map_err(ServiceError::from)?.request_id
            }
            ExpiryChange::AutoRenewOff => client.call(&who, &CancelAutoRenewalResourcesRequest { resource_id: id }).await.map_err(ServiceError::from)?.request_id,
            ExpiryChange::ToPayPerUse => {
                let req = UpdatePeriodToOnDemandRequest { body: PeriodToOnDemandReq { operation: "SET_UP".into(), resource_ids: vec![id] } };
                let resp = client.call(&who, &req).await.map_err(ServiceError::from)?;
                // BSS answers 200 with the resources it refused listed: that is a refusal.
                if let Some(refused) = resp.value.error_details.unwrap_or_default().into_iter().next() {
                    return Err(ServiceError::Refused(format!(
                        "{} ({})",
                        refused.error_msg.unwrap_or_default(),
                        refused.error_code.unwrap_or_default()
                    )));
                }
                resp.request_id
            }
        };
        Ok(Sent { value: (), request_id, detail: detail.to_owned() })
    })
    .await
}

/// The claim key of an unsubscription: who, which resources, how.
fn unsubscribe_key(account: &str, req: &UnsubscribeRequest) -> String {
    let mut ids: Vec<&String> = req.resource_ids.iter().collect();
    ids.sort();
    ids.dedup();
    let mut h = Sha256::new();
    h.update(format!("unsubscribe\n{account}\n{:?}\n", req.kind));
    for id in ids {
        h.update(format!("{id}\n"));
    }
    format!("unsubscribe:{}", hex::encode(h.finalize()))
}

/// Unsubscribes resources, at most once per identical request; audited.
pub async fn unsubscribe(db: &Db, client: &Client, user: &UserSession, req: &UnsubscribeRequest) -> Result<UnsubscribeDone, ServiceError> {
    req.validate()?;
    let mut ids = req.resource_ids.clone();
    ids.sort();
    ids.dedup();
    let change = Change { user, action: "bss.unsubscribe", target: format!("resources {}", ids.join(",")), parameters: guard::parameters(req)? };
    let body = UnsubscribeResourcesReq {
        resource_ids: ids,
        unsubscribe_type: match req.kind {
            UnsubscribeKind::Whole => 1,
            UnsubscribeKind::RenewalsOnly => 2,
        },
        unsubscribe_reason_type: Some(5),
        unsubscribe_reason: Some("fleetdesk".into()),
    };
    let done = guard::once(db, &unsubscribe_key(&user.account, req), change, async { Ok(()) }, |()| async {
        let resp = client.call(&user.identity(), &CancelResourcesSubscriptionRequest { body }).await?;
        let value = UnsubscribeDone { order_ids: resp.value.order_ids.unwrap_or_default(), repeated: false };
        let detail = format!("orders {}", value.order_ids.join(","));
        Ok(Sent { value, request_id: resp.request_id, detail })
    })
    .await?;
    Ok(UnsubscribeDone { repeated: done.repeated, ..done.value })
}
