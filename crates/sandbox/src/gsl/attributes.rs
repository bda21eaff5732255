//! The six custom attributes: name, enable/disable, and set values on up to 500 cards at once.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;
use hwcloud::gsl::{
    AddOrModifyAttributeReq, BatchSetAttributesReq, CmAttributeVO, CreateAttributeResponse,
    ListAttributesResponse,
};
use serde_json::Value;

use super::{resolve, sim_id, time};
use crate::error::{ApiError, ApiResult};
use crate::params::{JsonBody, Params};
use crate::world::World;
use crate::{AppState, read, write};

const NUMERALS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];

fn valid_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 32 {
        return Err(ApiError::invalid(
            "An attribute name has 1 to 32 characters.",
        ));
    }
    Ok(name.to_owned())
}

fn slot(w: &mut World, id: i64) -> ApiResult<&mut crate::world::AttributeDef> {
    w.attributes
        .iter_mut()
        .find(|a| a.id == id)
        .ok_or_else(|| ApiError::not_found("custom attribute"))
}

/// `GET /v1/attributes`.
pub async fn list_attributes(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListAttributesResponse>> {
    let page = q.page()?;
    let status = q.int("status")?;
    let name = q.str("cust_attr_name").filter(|s| !s.is_empty());
    let w = read(&state.world);
    let rows: Vec<CmAttributeVO> = w
        .attributes
        .iter()
        .filter(|a| status.is_none_or(|s| a.status == s) && name.is_none_or(|n| a.name.contains(n)))
        .map(|a| CmAttributeVO {
            id: Some(a.id),
            default_attr_name_cn: Some(format!("自定义属性{}", NUMERALS[(a.id - 1) as usize])),
            default_attr_name_en: Some(format!("Custom attribute {}", a.id)),
            cust_attr_name: (!a.name.is_empty()).then(|| a.name.clone()),
            status: Some(a.status),
            create_time: Some(time(a.created)),
            modify_time: Some(time(a.modified)),
        })
        .collect();
    Ok(Json(ListAttributesResponse {
        limit: Some(page.limit),
        offset: Some(page.offset),
        count: Some(rows.len() as i64),
        attributes: Some(page.slice(&rows)),
    }))
}

/// `POST /v1/attributes`: names the first unnamed slot.
pub async fn create_attribute(
    State(state): State<Arc<AppState>>,
    JsonBody(req): JsonBody<AddOrModifyAttributeReq>,
) -> ApiResult<Json<CreateAttributeResponse>> {
    let name = valid_name(&req.cust_attr_name)?;
    let mut w = write(&state.world);
    if w.attributes.iter().any(|a| a.name == name) {
        return Err(ApiError::wrong_state(
            "A custom attribute with this name already exists.",
        ));
    }
    let a = w
        .attributes
        .iter_mut()
        .find(|a| a.name.is_empty())
        .ok_or_else(|| ApiError::wrong_state("All six custom attributes are in use."))?;
    a.name = name;
    a.status = 1;
    a.created = Utc::now();
    a.modified = a.created;
    Ok(Json(CreateAttributeResponse { id: Some(a.id) }))
}

/// `PUT /v1/attributes/{id}`: renames.
pub async fn update_attribute(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<AddOrModifyAttributeReq>,
) -> ApiResult<Json<Value>> {
    let name = valid_name(&req.cust_attr_name)?;
    let mut w = write(&state.world);
    let a = slot(&mut w, id)?;
    a.name = name;
    a.modified = Utc::now();
    Ok(super::ack())
}

async fn set_status(state: &AppState, id: i64, status: i64) -> ApiResult<Json<Value>> {
    let mut w = write(&state.world);
    let a = slot(&mut w, id)?;
    if a.name.is_empty() {
        return Err(ApiError::wrong_state(
            "Name the custom attribute before enabling it.",
        ));
    }
    a.status = status;
    a.modified = Utc::now();
    Ok(super::ack())
}

/// `POST /v1/attributes/{id}/enable`.
pub async fn enable_attribute(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    set_status(&state, id, 1).await
}

/// `POST /v1/attributes/{id}/disable`.
pub async fn disable_attribute(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Value>> {
    set_status(&state, id, 0).await
}

/// `POST /v1/sim-cards/attributes/batch-set`: sets the given values (others kept) on up to 500 cards.
pub async fn batch_set_attributes(
    State(state): State<Arc<AppState>>,
    JsonBody(req): JsonBody<BatchSetAttributesReq>,
) -> ApiResult<Json<Value>> {
    let items = req.attributes.unwrap_or_default();
    if items.is_empty() || items.len() > 500 {
        return Err(ApiError::invalid("Give between 1 and 500 cards."));
    }
    let mut w = write(&state.world);
    let cards = items
        .iter()
        .map(|a| resolve(&w, a.sim_card_id, a.iccid.as_deref()))
        .collect::<ApiResult<Vec<u32>>>()?;
    for (i, item) in cards.iter().zip(&items) {
        let given = [
            &item.customer_attribute1,
            &item.customer_attribute2,
            &item.customer_attribute3,
            &item.customer_attribute4,
            &item.customer_attribute5,
            &item.customer_attribute6,
        ];
        if given
            .iter()
            .any(|v| v.as_ref().is_some_and(|s| s.chars().count() > 100))
        {
            return Err(ApiError::invalid(
                "An attribute value has at most 100 characters.",
            ));
        }
        let mut values = w.attributes_of(*i);
        for (slot, v) in given.into_iter().enumerate() {
            if let Some(v) = v {
                values[slot] = (!v.is_empty()).then(|| v.clone());
            }
        }
        w.attr_overrides.insert(*i, values);
    }
    drop(w);
    for i in cards {
        state.count_write("batch_set_attributes", sim_id(i));
    }
    Ok(super::ack())
}
