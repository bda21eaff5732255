//! One action on one card: checked, audited before the call, completed after it.

use hwcloud::Client;
use model::action::SimAction;
use model::audit::Outcome;

use super::dispatch::{self, Target};
use super::sim_cards;
use crate::audit::{self, Actor};
use crate::db::Db;
use crate::error::ServiceError;
use crate::identity::UserSession;

/// What a successful action produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionDone {
    /// Work order created by GSL.
    pub work_order_id: Option<i64>,
    /// Huawei's request id.
    pub request_id: Option<String>,
    /// The audit entry.
    pub audit_id: i64,
}

/// The actor behind a session.
pub fn actor(user: &UserSession) -> Actor {
    Actor { account: user.account.clone(), iam_user: user.user_name.clone() }
}

/// Refuses changes an identity may not make, before anything is sent.
pub fn require_write(user: &UserSession) -> Result<(), ServiceError> {
    if user.rights.gsl.can_write() { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// Performs `action` on card `sim_card_id` for `user`.
///
/// Input and rights are checked first, then the card is read so an action that does not apply
/// (already stopped, dismantled) is explained without a write. The audit entry is written before
/// the write call and completed after it, whatever the outcome.
pub async fn perform(
    db: &Db,
    client: &Client,
    user: &UserSession,
    sim_card_id: i64,
    action: &SimAction,
) -> Result<ActionDone, ServiceError> {
    sim_cards::check_sim_card_id(sim_card_id)?;
    action.validate()?;
    require_write(user)?;
    let who = user.identity();
    let card = sim_cards::show(client, &who, sim_card_id).await?;
    action.eligibility(&card).map_err(ServiceError::Ineligible)?;
    let parameters = serde_json::to_string(action).map_err(|_| ServiceError::Internal("action parameters"))?;
    let target = format!("sim {} {}", card.sim_card_id, card.iccid);
    let entry = audit::begin(db, &actor(user), action.name(), &target, &parameters).await?;
    let targets = [Target { sim_card_id: card.sim_card_id, iccid: card.iccid.clone() }];
    match dispatch::send(client, &who, action, &targets).await {
        Ok(accepted) => {
            let detail = accepted.work_order_id.map(|w| format!("work order {w}"));
            audit::complete(db, entry, Outcome::Succeeded, accepted.request_id.as_deref(), detail.as_deref()).await?;
            Ok(ActionDone { work_order_id: accepted.work_order_id, request_id: accepted.request_id, audit_id: entry.0 })
        }
        Err(e) => {
            audit::complete(db, entry, Outcome::Failed, e.request_id(), Some(&e.to_string())).await?;
            Err(e.into())
        }
    }
}

/// Runs a change that is not about one card (a tag, an attribute name) under the audit log:
/// written before the call, completed after it with the outcome and Huawei's request id.
pub async fn audited<T>(
    db: &Db,
    user: &UserSession,
    action: &str,
    target: &str,
    parameters: &str,
    call: impl std::future::Future<Output = Result<hwcloud::Response<T>, hwcloud::Error>>,
) -> Result<T, ServiceError> {
    require_write(user)?;
    let entry = audit::begin(db, &actor(user), action, target, parameters).await?;
    match call.await {
        Ok(resp) => {
            audit::complete(db, entry, Outcome::Succeeded, resp.request_id.as_deref(), None).await?;
            Ok(resp.value)
        }
        Err(e) => {
            audit::complete(db, entry, Outcome::Failed, e.request_id(), Some(&e.to_string())).await?;
            Err(e.into())
        }
    }
}
