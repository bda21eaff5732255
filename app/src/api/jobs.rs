//! Bulk jobs' server functions: create (with a preview), follow, and control them.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::action::SimAction;
use model::job::{ItemState, JobItemView, JobView, Selection};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use super::context::{fleet_user, respond};
use crate::error::AppError;

/// What the person asks of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobCommand {
    /// Start it after the preview.
    Confirm,
    /// Pause it.
    Pause,
    /// Resume it (under the current session's credentials).
    Resume,
    /// Cancel it.
    Cancel,
    /// Put the failed cards back in line.
    RetryFailed,
}

/// Creates a job: its cards are read for the impact preview; nothing changes until it is confirmed.
#[server(endpoint = "fleet/jobs/create", input = Json)]
pub async fn create_job(action: SimAction, selection: Selection) -> Result<i64, AppError> {
    let (ctx, user) = fleet_user().await?;
    let id = respond(console::fleet::jobs::create(&ctx.db, &ctx.cipher, &user, &action, &selection).await)?;
    tracing::info!(account = %user.account, user = %user.user_name, job = id, action = action.name(), "bulk job created");
    Ok(id)
}

/// The person's jobs, newest first.
#[server(endpoint = "fleet/jobs/list")]
pub async fn list_jobs() -> Result<Vec<JobView>, AppError> {
    let (ctx, user) = fleet_user().await?;
    respond(console::fleet::jobs::list(&ctx.db, &console::fleet::actions::actor(&user), 50).await)
}

/// One job of the person.
#[server(endpoint = "fleet/jobs/show")]
pub async fn job(id: i64) -> Result<JobView, AppError> {
    let (ctx, user) = fleet_user().await?;
    respond(console::fleet::jobs::view(&ctx.db, &console::fleet::actions::actor(&user), id).await)
}

/// A page of a job's cards, optionally of one state.
#[server(endpoint = "fleet/jobs/items")]
pub async fn job_items(id: i64, state: Option<ItemState>, offset: u32) -> Result<Vec<JobItemView>, AppError> {
    let (ctx, user) = fleet_user().await?;
    let who = console::fleet::actions::actor(&user);
    respond(console::fleet::jobs::items(&ctx.db, &who, id, state, offset, 100).await)
}

/// Confirms, pauses, resumes, cancels a job or retries its failed cards.
#[server(endpoint = "fleet/jobs/control")]
pub async fn control_job(id: i64, command: JobCommand) -> Result<(), AppError> {
    use console::fleet::jobs;
    let (ctx, user) = fleet_user().await?;
    let result = match command {
        JobCommand::Confirm => jobs::confirm(&ctx.db, &user, id).await,
        JobCommand::Pause => jobs::pause(&ctx.db, &user, id).await,
        JobCommand::Resume => jobs::resume(&ctx.db, &ctx.cipher, &user, id).await,
        JobCommand::Cancel => jobs::cancel(&ctx.db, &user, id).await,
        JobCommand::RetryFailed => jobs::retry_failed(&ctx.db, &ctx.cipher, &user, id).await.map(|_| ()),
    };
    tracing::info!(account = %user.account, user = %user.user_name, job = id, ?command, "bulk job control");
    respond(result)
}
