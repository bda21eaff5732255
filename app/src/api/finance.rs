//! The finance console's server functions (BSS).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use model::renewal::{RenewalDone, RenewalRequest};

#[cfg(feature = "ssr")]
use super::context::{respond, signed_in};
use crate::error::AppError;

/// Renews resources: claimed once in the database (a double click or a second tab renews once),
/// audited before and after the upstream call.
#[server(endpoint = "finance/renew", input = Json)]
pub async fn renew_resources(request: RenewalRequest) -> Result<RenewalDone, AppError> {
    let (ctx, user) = signed_in().await?;
    let done = respond(console::finance::renewals::renew(&ctx.db, &ctx.client, &user, &request).await)?;
    tracing::info!(account = %user.account, user = %user.user_name, orders = ?done.order_ids, repeated = done.repeated, "renewal");
    Ok(done)
}
