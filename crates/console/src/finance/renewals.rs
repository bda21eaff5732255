//! Renewing yearly/monthly resources: input checked, the resources read, the request claimed once
//! in the database, audited before the call and completed after it, and sent once.

use std::collections::BTreeMap;

use hwcloud::Client;
use hwcloud::bss::{ListPayPerUseCustomerResourcesRequest, QueryResourcesReq, RenewalResourcesReq, RenewalResourcesRequest};
use model::audit::Outcome;
use model::renewal::{RenewalDone, RenewalRefused, RenewalRequest};
use sha2::{Digest, Sha256};

use super::requests::{self, Claim, Settled};
use crate::audit::{self, Actor, AuditId};
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
    let key = request_key(&user.account, req);
    match requests::claim(db, &key, &user.account, &user.user_name, "bss.renew").await? {
        Claim::Fresh => {}
        Claim::Done(stored) => {
            let mut done: RenewalDone = serde_json::from_str(&stored).map_err(|_| ServiceError::Internal("stored renewal result"))?;
            done.repeated = true;
            return Ok(done);
        }
        Claim::InFlight => return Err(ServiceError::Conflict("an identical renewal is being sent, or its outcome is unknown; check the orders first")),
    }
    // Until the write is sent, any failure means nothing happened: the key is freed.
    let (ids, entry) = match prepare(db, client, user, req).await {
        Ok(prepared) => prepared,
        Err(e) => {
            requests::settle(db, &key, &Settled::Failed, None).await?;
            return Err(e);
        }
    };
    let call = RenewalResourcesRequest {
        body: RenewalResourcesReq { resource_ids: ids, period_type, period_num, is_auto_pay: Some(i64::from(req.auto_pay)) },
    };
    match client.call(&user.identity(), &call).await {
        Ok(resp) => {
            let done = RenewalDone {
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
            // Settled as done before anything else can fail, so it is never sent again.
            let stored = serde_json::to_string(&done).map_err(|_| ServiceError::Internal("renewal result"))?;
            requests::settle(db, &key, &Settled::Succeeded(stored), Some(entry.0)).await?;
            let detail = format!("orders {}", done.order_ids.join(","));
            audit::complete(db, entry, Outcome::Succeeded, resp.request_id.as_deref(), Some(&detail)).await?;
            Ok(done)
        }
        Err(e) => {
            let how = if e.outcome_unknown() { Settled::Unknown } else { Settled::Failed };
            requests::settle(db, &key, &how, Some(entry.0)).await?;
            audit::complete(db, entry, Outcome::Failed, e.request_id(), Some(&e.to_string())).await?;
            Err(e.into())
        }
    }
}

/// Checks the expiries are still those the page showed and opens the audit entry; the resource
/// ids to send (sorted, once each) on success.
async fn prepare(db: &Db, client: &Client, user: &UserSession, req: &RenewalRequest) -> Result<(Vec<String>, AuditId), ServiceError> {
    let mut ids: Vec<String> = req.resource_ids.clone();
    ids.sort();
    ids.dedup();
    let query = ListPayPerUseCustomerResourcesRequest {
        body: QueryResourcesReq { resource_ids: Some(ids.clone()), only_main_resource: Some(1), limit: Some(100), ..Default::default() },
    };
    let found = client.call(&user.identity(), &query).await?.value.data.unwrap_or_default();
    let now: BTreeMap<String, String> = found.into_iter().filter_map(|r| Some((r.resource_id?, r.expire_time.unwrap_or_default()))).collect();
    for id in &ids {
        match now.get(id) {
            None => return Err(ServiceError::NotFound),
            Some(expiry) if req.expected_expiries.get(id) != Some(expiry) => {
                return Err(ServiceError::Conflict("a resource's expiry changed since the page was loaded (renewed elsewhere?); reload and check"));
            }
            Some(_) => {}
        }
    }
    let actor = Actor { account: user.account.clone(), iam_user: user.user_name.clone() };
    let parameters = serde_json::to_string(req).map_err(|_| ServiceError::Internal("renewal parameters"))?;
    let entry = audit::begin(db, &actor, "bss.renew", &format!("resources {}", ids.join(",")), &parameters).await?;
    Ok((ids, entry))
}

#[cfg(test)]
mod tests {
    use model::renewal::RenewalPeriod;

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
