//! The account's tags and the price plans on offer (choices for filters and actions).

use futures::TryStreamExt;
use hwcloud::gsl::{ListProPricePlansRequest, ListTagsRequest};
use hwcloud::{Client, Identity};

use crate::error::ServiceError;

/// Tags as (id, name) and price plans as (id, name), in GSL's order.
pub async fn filter_options(client: &Client, who: &Identity) -> Result<(Vec<(i64, String)>, Vec<(String, String)>), ServiceError> {
    let tags = client
        .pages(who, ListTagsRequest { limit: Some(100), ..ListTagsRequest::default() })
        .try_filter_map(|t| async move { Ok(t.id.map(|id| (id, t.tag_name.unwrap_or_default()))) })
        .try_collect::<Vec<_>>();
    let plans = client
        .pages(who, ListProPricePlansRequest { limit: Some(100), ..ListProPricePlansRequest::default() })
        .try_filter_map(|p| async move { Ok(p.price_plan_id.map(|id| (id, p.price_plan_name.unwrap_or_default()))) })
        .try_collect::<Vec<_>>();
    let (tags, plans) = futures::try_join!(tags, plans)?;
    Ok((tags, plans))
}
