//! Tags: create, list, delete, and set on up to 500 cards at once.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use hwcloud::gsl::{
    AddOrModifyTagReq, BatchSetTagsReq, CmTagVO, CreateTagResponse, ListTagsResponse,
};
use serde_json::Value;

use super::{resolve_many, sim_id};
use crate::error::{ApiError, ApiResult};
use crate::params::{JsonBody, Params};
use crate::world::Tag;
use crate::{AppState, read, write};

fn valid_name(name: &str) -> ApiResult<&str> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::invalid("A tag name has 1 to 100 characters."));
    }
    Ok(name)
}

/// `GET /v1/tags`.
pub async fn list_tags(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListTagsResponse>> {
    let page = q.page()?;
    let status = q.int("status")?;
    let name = q.str("tag_name").filter(|s| !s.is_empty());
    let w = read(&state.world);
    let tags: Vec<CmTagVO> = w
        .tags
        .iter()
        .filter(|t| {
            !t.deleted
                && name.is_none_or(|n| t.name.contains(n))
                && status.is_none_or(|s| t.status == s)
        })
        .map(|t| CmTagVO {
            id: Some(t.id),
            tag_name: Some(t.name.clone()),
            status: Some(t.status),
        })
        .collect();
    Ok(Json(ListTagsResponse {
        limit: Some(page.limit),
        offset: Some(page.offset),
        count: Some(tags.len() as i64),
        tags: Some(page.slice(&tags)),
    }))
}

/// `POST /v1/tags`.
pub async fn create_tag(
    State(state): State<Arc<AppState>>,
    JsonBody(req): JsonBody<AddOrModifyTagReq>,
) -> ApiResult<Json<CreateTagResponse>> {
    let name = valid_name(&req.tag_name)?.to_owned();
    let mut w = write(&state.world);
    if w.tags.iter().any(|t| !t.deleted && t.name == name) {
        return Err(ApiError::wrong_state(
            "A tag with this name already exists.",
        ));
    }
    let id = w.next_id();
    w.tags.push(Tag {
        id,
        name: name.clone(),
        status: 0,
        deleted: false,
    });
    Ok(Json(CreateTagResponse {
        id: Some(id),
        tag_name: Some(name),
        status: Some(0),
    }))
}

/// `DELETE /v1/tags/{tag_id}`.
pub async fn delete_tag(
    State(state): State<Arc<AppState>>,
    Path(tag_id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let mut w = write(&state.world);
    let tag = w
        .tags
        .iter_mut()
        .find(|t| t.id == tag_id && !t.deleted)
        .ok_or_else(|| ApiError::not_found("tag"))?;
    tag.deleted = true;
    Ok(super::ack())
}

/// `POST /v1/sim-tags/batch-set`: replaces the tags of up to 500 cards with up to 10 tags.
pub async fn batch_set_tags(
    State(state): State<Arc<AppState>>,
    JsonBody(req): JsonBody<BatchSetTagsReq>,
) -> ApiResult<Json<Value>> {
    let tag_ids = req.tag_ids.unwrap_or_default();
    if tag_ids.len() > 10 {
        return Err(ApiError::invalid("At most 10 tags per card."));
    }
    let mut w = write(&state.world);
    if let Some(missing) = tag_ids
        .iter()
        .find(|id| !w.tags.iter().any(|t| t.id == **id && !t.deleted))
    {
        return Err(ApiError::invalid(format!("Tag {missing} does not exist.")));
    }
    let cards = resolve_many(&w, req.sim_card_ids.as_deref(), req.iccids.as_deref(), 500)?;
    for i in &cards {
        w.tag_overrides.insert(*i, tag_ids.clone());
    }
    for t in w.tags.iter_mut().filter(|t| tag_ids.contains(&t.id)) {
        t.status = 1;
    }
    drop(w);
    for i in cards {
        state.count_write("batch_set_tags", sim_id(i));
    }
    Ok(super::ack())
}
