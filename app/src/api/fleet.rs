//! The fleet console's server functions: inventory pages, one card, actions on it, the audit log.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::action::SimAction;
use model::audit::AuditEntry;
use model::inventory::{Column, InventoryQuery};
use model::sim::SimCard;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::context::{fleet_user, respond, signed_in};
use crate::error::AppError;

/// Name of the stored column choice.
pub const COLUMNS_SETTING: &str = "inventory.columns";

/// A page of the inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimPageView {
    /// The query as understood (normalised).
    pub query: InventoryQuery,
    /// The cards on the page.
    pub cards: Vec<SimCard>,
    /// Cards matching the filter in all.
    pub count: u64,
    /// The person's columns.
    pub columns: Vec<Column>,
    /// Whether actions are offered.
    pub can_write: bool,
}

/// One card with what fleetdesk did to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimDetailView {
    /// The card.
    pub card: SimCard,
    /// Audit entries about it, newest first (with their work orders).
    pub history: Vec<AuditEntry>,
    /// Whether actions are offered.
    pub can_write: bool,
}

/// What an accepted action produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionDoneView {
    /// Work order created by GSL.
    pub work_order_id: Option<i64>,
    /// Huawei's request id.
    pub request_id: Option<String>,
}

/// Parses a URL query string into pairs (percent-decoding, `+` as space).
pub fn query_pairs(qs: &str) -> Vec<(String, String)> {
    fn hex(b: u8) -> Option<u8> {
        char::from(b).to_digit(16).and_then(|d| u8::try_from(d).ok())
    }
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push(h * 16 + l);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                },
                b => out.push(b),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    qs.trim_start_matches('?')
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// A page of the inventory for a URL query string (`status=in-use&page=2`).
#[server(endpoint = "fleet/sims")]
pub async fn list_sims(query: String) -> Result<SimPageView, AppError> {
    let (ctx, user) = fleet_user().await?;
    let pairs = query_pairs(&query);
    let parsed = InventoryQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let query = respond(parsed.map_err(console::ServiceError::from))?;
    let page = respond(console::fleet::sim_cards::list_page(&ctx.client, &user.identity(), &query).await)?;
    let stored = respond(
        console::settings::get(&ctx.db, &user.account, &user.user_name, COLUMNS_SETTING).await.map_err(console::ServiceError::from),
    )?;
    Ok(SimPageView {
        query,
        cards: page.cards,
        count: page.count,
        columns: Column::parse_list(stored.as_deref().unwrap_or("")),
        can_write: user.rights.gsl.can_write(),
    })
}

/// Stores the person's inventory columns (`msisdn,status,flow`).
#[server(endpoint = "fleet/columns")]
pub async fn set_columns(columns: String) -> Result<(), AppError> {
    let (ctx, user) = fleet_user().await?;
    let cols = Column::parse_list(&columns);
    let value = Column::list_to_string(&cols);
    respond(
        console::settings::set(&ctx.db, &user.account, &user.user_name, COLUMNS_SETTING, &value)
            .await
            .map_err(console::ServiceError::from),
    )
}

/// One card, with the audit entries about it.
#[server(endpoint = "fleet/sim")]
pub async fn sim_detail(sim_card_id: i64) -> Result<SimDetailView, AppError> {
    let (ctx, user) = fleet_user().await?;
    let card = respond(console::fleet::sim_cards::show(&ctx.client, &user.identity(), sim_card_id).await)?;
    let filter = model::audit::AuditFilter { target: Some(format!("sim {sim_card_id} ")), ..Default::default() };
    let history = respond(console::audit::list(&ctx.db, &user.account, &filter, 20).await.map_err(console::ServiceError::from))?;
    Ok(SimDetailView { card, history, can_write: user.rights.gsl.can_write() })
}

/// Performs an action on one card (audited before and after the upstream call).
#[server(endpoint = "fleet/act", input = Json)]
pub async fn act_on_sim(sim_card_id: i64, action: SimAction) -> Result<ActionDoneView, AppError> {
    let (ctx, user) = fleet_user().await?;
    let done = respond(console::fleet::actions::perform(&ctx.db, &ctx.client, &user, sim_card_id, &action).await)?;
    tracing::info!(account = %user.account, user = %user.user_name, action = action.name(), sim_card_id, "card action");
    Ok(ActionDoneView { work_order_id: done.work_order_id, request_id: done.request_id })
}

/// The account's audit log for a URL query string (`action=sim.stop&outcome=failed`), newest first.
#[server(endpoint = "fleet/audit")]
pub async fn audit_log(query: String) -> Result<Vec<AuditEntry>, AppError> {
    // The audit log is the account's, fleet and finance alike.
    let (ctx, user) = signed_in().await?;
    let pairs = query_pairs(&query);
    let filter = respond(
        model::audit::AuditFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(console::ServiceError::from),
    )?;
    respond(console::audit::list(&ctx.db, &user.account, &filter, 100).await.map_err(console::ServiceError::from))
}

#[cfg(test)]
mod tests {
    use super::query_pairs;

    #[test]
    fn query_strings_are_decoded() {
        let p = query_pairs("?q=8986&attr1=a%20b+c&tag=1&tag=2&bad=%zz&end=%4");
        assert_eq!(p[0], ("q".into(), "8986".into()));
        assert_eq!(p[1], ("attr1".into(), "a b c".into()));
        assert_eq!(p[2].1, "1");
        assert_eq!(p[4], ("bad".into(), "%zz".into()));
        assert_eq!(p[5], ("end".into(), "%4".into()));
    }
}

/// Choices for the inventory's filters: the account's tags and the price plans on offer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FilterChoices {
    /// Tags (id, name).
    pub tags: Vec<(i64, String)>,
    /// Price plans (id, name).
    pub plans: Vec<(String, String)>,
}

/// The tags and price plans the filters offer.
#[server(endpoint = "fleet/filter-options")]
pub async fn filter_options() -> Result<FilterChoices, AppError> {
    let (ctx, user) = fleet_user().await?;
    let (tags, plans) = respond(console::fleet::catalog::filter_options(&ctx.client, &user.identity()).await)?;
    Ok(FilterChoices { tags, plans })
}

/// How far an export has got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportStatus {
    /// Rows the filter matched when the export began.
    pub expected: u64,
    /// Rows written so far.
    pub written: u64,
    /// Whether the file is complete.
    pub finished: bool,
}

/// Progress of one of the person's exports (`None` until its download has begun).
#[server(endpoint = "fleet/export-progress")]
pub async fn export_progress(id: String) -> Result<Option<ExportStatus>, AppError> {
    // Finance exports report progress here too.
    let (ctx, user) = signed_in().await?;
    let who = console::fleet::actions::actor(&user);
    let p = respond(console::fleet::export::progress(&ctx.db, &who, &id).await)?;
    Ok(p.map(|p| ExportStatus { expected: p.expected, written: p.written, finished: p.finished }))
}

/// A card's usage for the charts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UsageView {
    /// (`YYYY-MM-DD`, hundredths of MB), the last 90 days, oldest first.
    pub daily: Vec<(String, i64)>,
    /// (`YYYY-MM` bill cycle, hundredths of MB), 24 cycles, oldest first.
    pub monthly: Vec<(String, i64)>,
}

/// Daily and monthly usage of one card.
#[server(endpoint = "fleet/usage")]
pub async fn sim_usage(sim_card_id: i64) -> Result<UsageView, AppError> {
    let (ctx, user) = fleet_user().await?;
    let u = respond(console::fleet::usage::of_card(&ctx.client, &user.identity(), sim_card_id).await)?;
    Ok(UsageView { daily: u.daily.into_iter().map(|(d, v)| (d.to_string(), v)).collect(), monthly: u.monthly })
}
