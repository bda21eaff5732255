//! Tags, custom attributes and price plans: server functions (changes are audited).

use leptos::prelude::*;
use model::catalog::{Attribute, PricePlan, Tag};

#[cfg(feature = "ssr")]
use super::context::{fleet_user, respond};
use crate::error::AppError;

/// Tags with the number of cards carrying each.
#[server(endpoint = "fleet/tags")]
pub async fn list_tags() -> Result<Vec<Tag>, AppError> {
    let (ctx, user) = fleet_user().await?;
    respond(console::fleet::catalog::tags_with_counts(&ctx.client, &user.identity()).await)
}

/// Creates a tag.
#[server(endpoint = "fleet/tags/create")]
pub async fn create_tag(name: String) -> Result<i64, AppError> {
    let (ctx, user) = fleet_user().await?;
    respond(console::fleet::catalog::create_tag(&ctx.db, &ctx.client, &user, &name).await)
}

/// Deletes a tag.
#[server(endpoint = "fleet/tags/delete")]
pub async fn delete_tag(id: i64) -> Result<(), AppError> {
    let (ctx, user) = fleet_user().await?;
    respond(console::fleet::catalog::delete_tag(&ctx.db, &ctx.client, &user, id).await)
}

/// The six custom attributes.
#[server(endpoint = "fleet/attributes")]
pub async fn list_attributes() -> Result<Vec<Attribute>, AppError> {
    let (ctx, user) = fleet_user().await?;
    respond(console::fleet::catalog::attributes(&ctx.client, &user.identity()).await)
}

/// Renames a custom attribute.
#[server(endpoint = "fleet/attributes/rename")]
pub async fn rename_attribute(id: i64, name: String) -> Result<(), AppError> {
    let (ctx, user) = fleet_user().await?;
    respond(console::fleet::catalog::rename_attribute(&ctx.db, &ctx.client, &user, id, &name).await)
}

/// Enables or disables a custom attribute.
#[server(endpoint = "fleet/attributes/enable")]
pub async fn set_attribute_enabled(id: i64, enabled: bool) -> Result<(), AppError> {
    let (ctx, user) = fleet_user().await?;
    respond(console::fleet::catalog::set_attribute_enabled(&ctx.db, &ctx.client, &user, id, enabled).await)
}

/// The price plans on offer.
#[server(endpoint = "fleet/price-plans")]
pub async fn list_price_plans() -> Result<Vec<PricePlan>, AppError> {
    let (ctx, user) = fleet_user().await?;
    respond(console::fleet::catalog::price_plans(&ctx.client, &user.identity()).await)
}
