//! The one path every finance change takes: rights checked, the request claimed once in the
//! database when it moves money, written to the audit log before the upstream call, sent once
//! (the client never retries a write), and completed after it whatever the outcome.

use std::future::Future;

use model::audit::Outcome;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::requests::{self, Claim, Settled};
use crate::audit::{self, Actor, AuditId};
use crate::db::Db;
use crate::error::ServiceError;
use crate::identity::UserSession;

/// A change about to be made.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// Who.
    pub user: &'a UserSession,
    /// The audit action (`bss.pay`, ...).
    pub action: &'static str,
    /// What it is done to, in words for the audit log.
    pub target: String,
    /// The request as the person made it (JSON for the audit log).
    pub parameters: String,
}

/// What came back from BSS.
#[derive(Debug, Clone)]
pub struct Sent<T> {
    /// The result kept (and returned to a repeat of the same request).
    pub value: T,
    /// Huawei's request id.
    pub request_id: Option<String>,
    /// A detail for the audit log (the orders made, ...).
    pub detail: String,
}

/// A result, and whether an identical earlier request produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Once<T> {
    /// The result.
    pub value: T,
    /// Nothing was sent: this repeats an earlier identical request.
    pub repeated: bool,
}

impl Change<'_> {
    fn actor(&self) -> Actor {
        Actor { account: self.user.account.clone(), iam_user: self.user.user_name.clone() }
    }
}

/// Makes a money-moving change at most once per `key`: a double click, a browser retry or a
/// second tab share the key and get the first result (or 409 while it is under way). `check`
/// runs after the claim and before the audit entry: it may read (a failure frees the key), and
/// what it prepares is handed to `send`.
pub async fn once<T, P, C, S, F>(db: &Db, key: &str, change: Change<'_>, check: C, send: S) -> Result<Once<T>, ServiceError>
where
    T: Serialize + DeserializeOwned,
    C: Future<Output = Result<P, ServiceError>>,
    S: FnOnce(P) -> F,
    F: Future<Output = Result<Sent<T>, hwcloud::Error>>,
{
    super::require_write(change.user)?;
    match requests::claim(db, key, &change.user.account, &change.user.user_name, change.action).await? {
        Claim::Fresh => {}
        Claim::Done(stored) => {
            let value = serde_json::from_str(&stored).map_err(|_| ServiceError::Internal("stored result"))?;
            return Ok(Once { value, repeated: true });
        }
        Claim::InFlight => {
            return Err(ServiceError::Conflict("the same request is being sent, or its outcome is unknown; check the orders first"));
        }
    }
    // Until the write is sent, any failure means nothing happened: the key is freed.
    let (prepared, entry) = match prepare(db, &change, check).await {
        Ok(ready) => ready,
        Err(e) => {
            requests::settle(db, key, &Settled::Failed, None).await?;
            return Err(e);
        }
    };
    match send(prepared).await {
        Ok(sent) => {
            // Settled as done before anything else can fail, so it is never sent again.
            let stored = serde_json::to_string(&sent.value).map_err(|_| ServiceError::Internal("result"))?;
            requests::settle(db, key, &Settled::Succeeded(stored), Some(entry.0)).await?;
            audit::complete(db, entry, Outcome::Succeeded, sent.request_id.as_deref(), Some(&sent.detail)).await?;
            Ok(Once { value: sent.value, repeated: false })
        }
        Err(e) => {
            let how = if e.outcome_unknown() { Settled::Unknown } else { Settled::Failed };
            requests::settle(db, key, &how, Some(entry.0)).await?;
            audit::complete(db, entry, Outcome::Failed, e.request_id(), Some(&e.to_string())).await?;
            Err(e.into())
        }
    }
}

async fn prepare<P>(db: &Db, change: &Change<'_>, check: impl Future<Output = Result<P, ServiceError>>) -> Result<(P, AuditId), ServiceError> {
    let prepared = check.await?;
    Ok((prepared, audit::begin(db, &change.actor(), change.action, &change.target, &change.parameters).await?))
}

/// Makes a change that moves no money (auto-renew on or off, pay-per-use at expiry, cancelling
/// an unpaid order): repeating it is harmless, so it is not claimed, but it is audited the same way.
pub async fn audited<T, F>(db: &Db, change: Change<'_>, send: F) -> Result<T, ServiceError>
where
    F: Future<Output = Result<Sent<T>, ServiceError>>,
{
    super::require_write(change.user)?;
    let entry = audit::begin(db, &change.actor(), change.action, &change.target, &change.parameters).await?;
    match send.await {
        Ok(sent) => {
            audit::complete(db, entry, Outcome::Succeeded, sent.request_id.as_deref(), Some(&sent.detail)).await?;
            Ok(sent.value)
        }
        Err(e) => {
            let request_id = match &e {
                ServiceError::Upstream(u) => u.request_id(),
                _ => None,
            };
            audit::complete(db, entry, Outcome::Failed, request_id, Some(&e.to_string())).await?;
            Err(e)
        }
    }
}

/// A request as JSON for the audit log.
pub fn parameters(value: &impl Serialize) -> Result<String, ServiceError> {
    serde_json::to_string(value).map_err(|_| ServiceError::Internal("parameters"))
}
