//! BSS's reference lists: service types, resource types and measure units.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use hwcloud::bss::{
    ListMeasureUnitsResponse, ListResourceTypesResponse, ListServiceTypesResponse, MeasureUnitRest, ResourceTypes, ServiceTypes,
};

use super::RecordPage;
use crate::AppState;
use crate::error::ApiResult;
use crate::params::Params;
use crate::world::ledger::SERVICES;

/// `GET /v2/products/service-types`.
pub async fn list_service_types(State(_): State<Arc<AppState>>, q: Params) -> ApiResult<Json<ListServiceTypesResponse>> {
    let page = RecordPage::from(&q)?;
    let name = q.str("service_type_name").filter(|s| !s.is_empty());
    let rows: Vec<ServiceTypes> = SERVICES
        .iter()
        .filter(|s| name.is_none_or(|n| s.name.contains(n)))
        .map(|s| ServiceTypes {
            service_type_name: Some(s.name.into()),
            service_type_code: Some(s.code.into()),
            abbreviation: Some(s.code.trim_start_matches("hws.service.type.").to_uppercase()),
        })
        .collect();
    Ok(Json(ListServiceTypesResponse { total_count: Some(i64::try_from(rows.len()).unwrap_or(0)), service_types: Some(page.slice(&rows)) }))
}

/// `GET /v2/products/resource-types`.
pub async fn list_resource_types(State(_): State<Arc<AppState>>, q: Params) -> ApiResult<Json<ListResourceTypesResponse>> {
    let page = RecordPage::from(&q)?;
    let rows: Vec<ResourceTypes> = SERVICES
        .iter()
        .map(|s| ResourceTypes {
            resource_type_code: Some(s.resource_type.into()),
            resource_type_name: Some(s.resource_name.into()),
            resource_type_desc: Some(s.resource_name.into()),
            service_type_code: Some(s.code.into()),
        })
        .collect();
    Ok(Json(ListResourceTypesResponse { total_count: Some(i64::try_from(rows.len()).unwrap_or(0)), resource_types: Some(page.slice(&rows)) }))
}

/// `GET /v2/bases/measurements`: the units amounts and usage are measured in.
pub async fn list_measure_units(State(_): State<Arc<AppState>>) -> ApiResult<Json<ListMeasureUnitsResponse>> {
    let unit = |id: i64, name: &str, abbr: &str, kind: i64| MeasureUnitRest {
        measure_id: Some(id),
        measure_name: Some(name.into()),
        abbreviation: Some(abbr.into()),
        measure_type: Some(kind),
    };
    Ok(Json(ListMeasureUnitsResponse {
        measure_units: Some(vec![
            unit(1, "元", "yuan", 1),
            unit(2, "角", "jiao", 1),
            unit(3, "分", "fen", 1),
            unit(10, "GB", "GB", 2),
            unit(11, "MB", "MB", 2),
            unit(4, "小时", "hour", 4),
        ]),
    }))
}
