//! Renewing yearly/monthly resources: input checked, the resources read, the request claimed once
//! in the database, audited before the call and completed after it, and sent once.

use std::collections::BTreeMap;

use hwcloud::Client;
use hwcloud::bss::{
    ListPayPerUseCustomerResourcesRequest, ListRenewRateOnPeriodReq, ListRenewRateOnPeriodRequest, QueryResourcesReq, RenewalResourcesReq,
    RenewalResourcesRequest,
};
use model::finance::Quote;
use model::renewal::{MAX_RESOURCES, RenewalDone, RenewalPeriod, RenewalRefused, RenewalRequest};
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::guard::{self, Change, Sent};
use crate::db::Db;
use crate::error::ServiceError;
use crate::identity::UserSession;

/// The claim key of a renewal: who, which resources from which expiries, for how long, how paid.
/// Hashed, so a hundred resources still make a short key.
pub fn request_key(account: &str, req: &RenewalRequest) -> String {
    let mut ids: Vec<&String> = req.resource_ids.iter().collect();
    ids.sort();
    ids.dedup();
    let mut h = Sha256::new();
    h.update(format!("renew\n{account}\n{:?}\n{}\n", req.period, req.auto_pay));
    for id in ids {
        h.update(format!("{id}@{}\n", req.expected_expiries.get(id).map_or("", String::as_str)));
    }
    format!("renew:{}", hex::encode(h.finalize()))
}

/// Renews `req` for `user`, at most once: identical requests (double clicks, browser retries,
/// the same page in two tabs) share one claim, and a request made from a page whose expiries are
/// out of date is refused without a call.
pub async fn renew(db: &Db, client: &Client, user: &UserSession, req: &RenewalRequest) -> Result<RenewalDone, ServiceError> {
    let (period_type, period_num) = req.validate()?;
    super::require_write(user)?;
    let mut ids: Vec<String> = req.resource_ids.clone();
    ids.sort();
    ids.dedup();
    let change = Change { user, action: "bss.renew", target: format!("resources {}", ids.join(",")), parameters: guard::parameters(req)? };
    let call = RenewalResourcesRequest {
        body: RenewalResourcesReq { resource_ids: ids.clone(), period_type, period_num, is_auto_pay: Some(i64::from(req.auto_pay)) },
    };
    let done = guard::once(db, &request_key(&user.account, req), change, check_expiries(client, user, &ids, req), |()| async {
        let resp = client.call(&user.identity(), &call).await?;
        let value = RenewalDone {
            order_ids: resp.value.order_ids.unwrap_or_default(),
            refused: resp
                .value
                .fail_resource_infos
                .unwrap_or_default()
                .into_iter()
                .map(|f| RenewalRefused {
                    resource_id: f.resource_id.unwrap_or_default(),
                    code: f.error_code.unwrap_or_default(),
                    message: f.error_msg.unwrap_or_default(),
                })
                .collect(),
            repeated: false,
        };
        let detail = format!("orders {}", value.order_ids.join(","));
        Ok(Sent { value, request_id: resp.request_id, detail })
    })
    .await?;
    Ok(RenewalDone { repeated: done.repeated, ..done.value })
}

/// Checks the expiries are still those the page showed.
async fn check_expiries(client: &Client, user: &UserSession, ids: &[String], req: &RenewalRequest) -> Result<(), ServiceError> {
    let query = ListPayPerUseCustomerResourcesRequest {
        body: QueryResourcesReq { resource_ids: Some(ids.to_vec()), only_main_resource: Some(1), limit: Some(100), ..Default::default() },
    };
    let found = client.call(&user.identity(), &query).await?.value.data.unwrap_or_default();
    let now: BTreeMap<String, String> = found.into_iter().filter_map(|r| Some((r.resource_id?, r.expire_time.unwrap_or_default()))).collect();
    for id in ids {
        match now.get(id) {
            None => return Err(ServiceError::NotFound),
            Some(expiry) if req.expected_expiries.get(id) != Some(expiry) => {
                return Err(ServiceError::Conflict("a resource's expiry changed since the page was loaded (renewed elsewhere?); reload and check"));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// BSS's price for renewing `ids` (slaves included) for `period`: nothing is computed here.
pub async fn quote(client: &Client, user: &UserSession, ids: &[String], period: RenewalPeriod) -> Result<Quote, ServiceError> {
    super::require_read(user)?;
    if ids.is_empty() || ids.len() > MAX_RESOURCES {
        return Err(model::Invalid::new("resources", "are 1 to 100 resources.").into());
    }
    ids.iter().try_for_each(|id| model::finance::check_id("resources", id))?;
    let (period_type, period_num) = period.to_bss()?;
    let req = ListRenewRateOnPeriodRequest {
        body: ListRenewRateOnPeriodReq { resource_ids: ids.to_vec(), period_type, period_num, include_relative_resources: Some(true) },
    };
    let resp = client.call(&user.identity(), &req).await?.value;
    let lines: Vec<(String, Decimal)> = resp
        .renew_inquiry_results
        .unwrap_or_default()
        .into_iter()
        .filter_map(|r| Some((r.resource_id?, r.amount.unwrap_or_default())))
        .collect();
    let official = resp.official_website_rating_result.and_then(|o| o.official_website_amount).unwrap_or_else(|| lines.iter().map(|(_, a)| *a).sum());
    let best = resp.optional_discount_rating_results.unwrap_or_default().into_iter().filter_map(|d| d.amount).min();
    let refused = resp
        .fail_resource_infos
        .unwrap_or_default()
        .into_iter()
        .map(|f| (f.resource_id.unwrap_or_default(), f.error_msg.unwrap_or_default()))
        .collect();
    Ok(Quote { amount: best.map_or(official, |b| b.min(official)), official, lines, refused })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_follows_the_expiries_shown_and_not_the_order_of_ids() {
        let r = |ids: &[&str], expiry: &str, months: u8| RenewalRequest {
            resource_ids: ids.iter().map(|s| (*s).to_owned()).collect(),
            period: RenewalPeriod::Months(months),
            auto_pay: true,
            expected_expiries: ids.iter().map(|s| ((*s).to_owned(), expiry.to_owned())).collect(),
        };
        let k1 = request_key("acct", &r(&["b", "a"], "2026-01-01T00:00:00Z", 1));
        assert_eq!(k1, request_key("acct", &r(&["a", "b", "a"], "2026-01-01T00:00:00Z", 1)));
        assert_ne!(k1, request_key("acct", &r(&["a", "b"], "2026-02-01T00:00:00Z", 1)), "renewing from a later expiry is a new request");
        assert_ne!(k1, request_key("acct", &r(&["a", "b"], "2026-01-01T00:00:00Z", 2)));
        assert_ne!(k1, request_key("other", &r(&["a", "b"], "2026-01-01T00:00:00Z", 1)));
        assert!(k1.len() < 80);
    }
}
