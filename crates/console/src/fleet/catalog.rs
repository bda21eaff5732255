//! The account's tags and custom attributes (with their management) and the price plans on offer.

use futures::TryStreamExt;
use hwcloud::gsl::{
    AddOrModifyAttributeReq, AddOrModifyTagReq, CreateTagRequest, DeleteTagRequest, DisableAttributeRequest,
    EnableAttributeRequest, ListAttributesRequest, ListProPricePlansRequest, ListTagsRequest, UpdateAttributeRequest,
};
use hwcloud::{Client, Identity};
use model::inventory::SimFilter;
use model::catalog::{Attribute, PricePlan, Tag};

use super::actions::audited;
use super::sim_cards;
use crate::db::Db;
use crate::error::ServiceError;
use crate::identity::UserSession;

/// Tags as (id, name) and price plans as (id, name), in GSL's order.
pub async fn filter_options(client: &Client, who: &Identity) -> Result<(Vec<(i64, String)>, Vec<(String, String)>), ServiceError> {
    let tags = tags(client, who);
    let plans = price_plans(client, who);
    let (tags, plans) = futures::try_join!(tags, plans)?;
    Ok((tags.into_iter().map(|t| (t.id, t.name)).collect(), plans.into_iter().map(|p| (p.id, p.name)).collect()))
}

/// The account's tags.
pub async fn tags(client: &Client, who: &Identity) -> Result<Vec<Tag>, ServiceError> {
    Ok(client
        .pages(who, ListTagsRequest { limit: Some(100), ..ListTagsRequest::default() })
        .try_filter_map(|t| async move {
            Ok(t.id.map(|id| Tag { id, name: t.tag_name.unwrap_or_default(), in_use: t.status == Some(1), cards: None }))
        })
        .try_collect()
        .await?)
}

/// The account's tags with how many cards carry each (one count per tag).
pub async fn tags_with_counts(client: &Client, who: &Identity) -> Result<Vec<Tag>, ServiceError> {
    let mut list = tags(client, who).await?;
    let counts = futures::future::try_join_all(
        list.iter().map(|t| {
            let filter = SimFilter { tags: vec![t.id], ..SimFilter::default() };
            async move { sim_cards::count(client, who, &filter).await }
        }),
    )
    .await?;
    for (t, n) in list.iter_mut().zip(counts) {
        t.cards = Some(n);
    }
    Ok(list)
}

fn tag_name(name: &str) -> Result<String, ServiceError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 32 {
        return Err(model::Invalid::new("name", "A tag name has 1 to 32 characters.").into());
    }
    Ok(name.to_owned())
}

/// Creates a tag (audited).
pub async fn create_tag(db: &Db, client: &Client, user: &UserSession, name: &str) -> Result<i64, ServiceError> {
    let name = tag_name(name)?;
    let params = serde_json::json!({ "name": name }).to_string();
    let req = CreateTagRequest { body: AddOrModifyTagReq { tag_name: name.clone() } };
    let created = audited(db, user, "tag.create", &format!("tag {name}"), &params, client.call(&user.identity(), &req)).await?;
    created.id.ok_or(ServiceError::Internal("tag id"))
}

/// Deletes a tag (audited).
pub async fn delete_tag(db: &Db, client: &Client, user: &UserSession, id: i64) -> Result<(), ServiceError> {
    if id <= 0 {
        return Err(model::Invalid::new("tag", "is not a tag id.").into());
    }
    let req = DeleteTagRequest { tag_id: id };
    audited(db, user, "tag.delete", &format!("tag {id}"), "{}", client.call(&user.identity(), &req)).await?;
    Ok(())
}

/// The six custom attributes.
pub async fn attributes(client: &Client, who: &Identity) -> Result<Vec<Attribute>, ServiceError> {
    Ok(client
        .pages(who, ListAttributesRequest { limit: Some(10), ..ListAttributesRequest::default() })
        .try_filter_map(|a| async move {
            Ok(a.id.map(|id| Attribute {
                id,
                name: a.cust_attr_name,
                default_name: a.default_attr_name_en.unwrap_or_else(|| format!("Custom attribute {id}")),
                enabled: a.status == Some(1),
            }))
        })
        .try_collect()
        .await?)
}

/// Renames a custom attribute (audited).
pub async fn rename_attribute(db: &Db, client: &Client, user: &UserSession, id: i64, name: &str) -> Result<(), ServiceError> {
    if !(1..=6).contains(&id) {
        return Err(model::Invalid::new("attribute", "must be 1 to 6.").into());
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 32 {
        return Err(model::Invalid::new("name", "An attribute name has 1 to 32 characters.").into());
    }
    let params = serde_json::json!({ "name": name }).to_string();
    let req = UpdateAttributeRequest { attribute_id: id, body: AddOrModifyAttributeReq { cust_attr_name: name.to_owned() } };
    audited(db, user, "attribute.rename", &format!("attribute {id}"), &params, client.call(&user.identity(), &req)).await?;
    Ok(())
}

/// Enables or disables a custom attribute (audited).
pub async fn set_attribute_enabled(db: &Db, client: &Client, user: &UserSession, id: i64, enabled: bool) -> Result<(), ServiceError> {
    if !(1..=6).contains(&id) {
        return Err(model::Invalid::new("attribute", "must be 1 to 6.").into());
    }
    let who = user.identity();
    let target = format!("attribute {id}");
    if enabled {
        audited(db, user, "attribute.enable", &target, "{}", client.call(&who, &EnableAttributeRequest { attribute_id: id })).await?;
    } else {
        audited(db, user, "attribute.disable", &target, "{}", client.call(&who, &DisableAttributeRequest { attribute_id: id })).await?;
    }
    Ok(())
}

/// The price plans on offer.
pub async fn price_plans(client: &Client, who: &Identity) -> Result<Vec<PricePlan>, ServiceError> {
    Ok(client
        .pages(who, ListProPricePlansRequest { limit: Some(100), ..ListProPricePlansRequest::default() })
        .try_filter_map(|p| async move {
            Ok(p.price_plan_id.map(|id| PricePlan {
                id,
                name: p.price_plan_name.unwrap_or_default(),
                flow_mb: p.flow_total,
                price_cents: p.price,
                location: p.location_desc,
            }))
        })
        .try_collect()
        .await?)
}
