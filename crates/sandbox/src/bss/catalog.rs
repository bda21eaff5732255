//! BSS's reference lists: service types, resource types, usage types, measure units and conversions.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use hwcloud::bss::{
    CloudServiceBasic, Conversion, ListResourceSpecsResponse, PageInfo, ResourceSpecsQueryReq, ListConversionsResponse, ListMeasureUnitsResponse, ListResourceTypesResponse,
    ListServiceTypesResponse, ListUsageTypesResponse, MeasureUnitRest, ResourceTypes, ServiceTypes,
    UsageType,
};

use super::{given, Body, RecordPage, count, invalid};
use crate::AppState;
use crate::error::ApiResult;
use crate::params::Params;
use crate::world::ledger::SERVICES;

/// `GET /v2/products/service-types`.
pub async fn list_service_types(
    State(_): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListServiceTypesResponse>> {
    let page = RecordPage::from(&q)?;
    let name = given(&q, "service_type_name");
    let rows: Vec<ServiceTypes> = SERVICES
        .iter()
        .filter(|s| name.is_none_or(|n| s.name.contains(n)))
        .map(|s| ServiceTypes {
            service_type_name: Some(s.name.into()),
            service_type_code: Some(s.code.into()),
            abbreviation: Some(
                s.code
                    .trim_start_matches("hws.service.type.")
                    .to_uppercase(),
            ),
        })
        .collect();
    Ok(Json(ListServiceTypesResponse {
        total_count: Some(i64::try_from(rows.len()).unwrap_or(0)),
        service_types: Some(page.slice(&rows)),
    }))
}

/// `GET /v2/products/resource-types`.
pub async fn list_resource_types(
    State(_): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListResourceTypesResponse>> {
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
    Ok(Json(ListResourceTypesResponse {
        total_count: Some(i64::try_from(rows.len()).unwrap_or(0)),
        resource_types: Some(page.slice(&rows)),
    }))
}

/// `GET /v2/bases/measurements`: the units amounts and usage are measured in.
pub async fn list_measure_units(
    State(_): State<Arc<AppState>>,
) -> ApiResult<Json<ListMeasureUnitsResponse>> {
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

/// `GET /v2/bases/conversions`: how units convert (1 yuan = 10 jiao = 100 fen, 1 GB = 1024 MB).
pub async fn list_conversions(
    State(_): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListConversionsResponse>> {
    let kind = q
        .int("measure_type")
        .map_err(|_| invalid("measure_type must be an integer."))?;
    let rows: Vec<Conversion> = [
        (1, 2, 10, 1),
        (1, 3, 100, 1),
        (2, 3, 10, 1),
        (10, 11, 1024, 2),
    ]
    .into_iter()
    .filter(|(_, _, _, t)| kind.is_none_or(|k| k == *t))
    .map(|(from, to, ratio, t)| Conversion {
        measure_id: Some(from),
        ref_measure_id: Some(to),
        conversion_ratio: Some(ratio),
        measure_type: Some(t),
    })
    .collect();
    Ok(Json(ListConversionsResponse {
        conversions: Some(rows),
    }))
}

/// Usage types per resource type: code, name.
const USAGE_TYPES: &[(&str, &str, &str)] = &[
    ("hws.resource.type.vm", "duration", "时长"),
    ("hws.resource.type.volume", "capacity", "容量"),
    ("hws.resource.type.obs", "storage", "存储容量"),
    ("hws.resource.type.obs", "downflow", "公网流出流量"),
    ("hws.resource.type.rds.vm", "duration", "时长"),
    ("hws.resource.type.gsl.sim", "flow", "上网流量"),
    ("hws.resource.type.gsl.sim", "sms", "短信条数"),
];

/// `GET /v2/products/usage-types`: what usage is measured by, per resource type.
pub async fn list_usage_types(
    State(_): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListUsageTypesResponse>> {
    let page = RecordPage::from(&q)?;
    let resource_type = given(&q, "resource_type_code");
    let rows: Vec<UsageType> = USAGE_TYPES
        .iter()
        .filter(|(rt, _, _)| resource_type.is_none_or(|want| *rt == want))
        .filter_map(|(rt, code, name)| {
            let s = SERVICES.iter().find(|s| s.resource_type == *rt)?;
            Some(UsageType {
                code: Some(format!(
                    "{}.{code}",
                    rt.trim_start_matches("hws.resource.type.")
                )),
                name: Some((*name).into()),
                resource_type_code: Some((*rt).into()),
                service_type_code: Some(s.code.into()),
                resource_type_name: Some(s.resource_name.into()),
                service_type_name: Some(s.name.into()),
            })
        })
        .collect();
    Ok(Json(ListUsageTypesResponse {
        total_count: count(rows.len()),
        usage_types: Some(page.slice(&rows)),
    }))
}

/// `POST /v2/products/resource-specs-query`: the specs of a service, paged by an opaque marker.
pub async fn list_resource_specs(State(_): State<Arc<AppState>>, Body(req): Body<ResourceSpecsQueryReq>) -> ApiResult<Json<ListResourceSpecsResponse>> {
    for (name, value) in [("cloud_service_type", &req.cloud_service_type), ("resource_type", &req.resource_type), ("region_code", &req.region_code)] {
        if value.is_empty() {
            return Err(invalid(format!("{name} is required.")));
        }
    }
    if !["period", "demand"].contains(&req.charge_mode.as_str()) {
        return Err(invalid("charge_mode is period or demand."));
    }
    let limit = usize::try_from(req.limit.unwrap_or(10)).ok().filter(|l| (1..=100).contains(l)).ok_or_else(|| invalid("limit is between 1 and 100."))?;
    // The marker is where the next page starts, kept opaque to callers.
    let start = match req.marker.as_deref().filter(|m| !m.is_empty()) {
        None => 0,
        Some(m) => m.strip_prefix("spec:").and_then(|n| n.parse::<usize>().ok()).ok_or_else(|| invalid("marker is not one this API gave out."))?,
    };
    let service = SERVICES.iter().find(|s| s.code == req.cloud_service_type);
    let all: Vec<CloudServiceBasic> = crate::world::billing::specs(&req.cloud_service_type)
        .iter()
        .filter(|(code, _, _)| req.filters.iter().flatten().all(|f| f.key != "resource_spec" || f.value == *code))
        .map(|(code, desc, _)| CloudServiceBasic {
            cloud_service_type: Some(req.cloud_service_type.clone()),
            cloud_service_type_name: service.map(|s| s.name.into()),
            resource_type: Some(req.resource_type.clone()),
            resource_type_name: service.map(|s| s.resource_name.into()),
            resource_spec: Some((*code).into()),
            resource_spec_name: Some((*desc).into()),
            charge_mode: Some(req.charge_mode.clone()),
            region_code: Some(req.region_code.clone()),
        })
        .collect();
    let page: Vec<CloudServiceBasic> = all.iter().skip(start).take(limit).cloned().collect();
    let next = (start + limit < all.len()).then(|| format!("spec:{}", start + limit));
    Ok(Json(ListResourceSpecsResponse { page_info: Some(PageInfo { next_marker: next }), cloud_service_basics: Some(page) }))
}
