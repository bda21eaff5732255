//! Work orders and their per-card lines, newest first.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use hwcloud::gsl::{
    ListWorkOrderDetailsResponse, ListWorkOrdersResponse, WorkOrderDetailVo, WorkOrderVo,
};

use super::{sim_id, time};
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::{AppState, read};

/// `GET /v1/work-orders`.
pub async fn list_work_orders(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListWorkOrdersResponse>> {
    let page = q.page()?;
    let id = match q.str("main_search_key").filter(|s| !s.is_empty()) {
        Some(k) => Some(
            k.parse::<i64>()
                .map_err(|_| ApiError::invalid("A work order id is digits only."))?,
        ),
        None => None,
    };
    let (sim_type, kind, status) = (
        q.int("sim_type")?,
        q.int("work_order_type")?,
        q.int("status")?,
    );
    let w = read(&state.world);
    let rows: Vec<WorkOrderVo> = w
        .work_orders
        .iter()
        .rev()
        .filter(|o| id.is_none_or(|i| o.id == i))
        .filter(|_| sim_type.is_none_or(|t| t == 3))
        .filter(|o| kind.is_none_or(|k| o.kind == k) && status.is_none_or(|s| o.status == s))
        .map(|o| {
            let count = |s: i64| o.lines.iter().filter(|l| l.status == s).count() as i64;
            WorkOrderVo {
                id: Some(o.id),
                sim_type: Some(3),
                work_order_type: Some(o.kind),
                req_detail: Some(o.request.clone()),
                total_count: Some(o.lines.len() as i64),
                success_count: Some(count(1)),
                fail_count: Some(count(3)),
                process_count: Some(count(2)),
                status: Some(o.status),
                create_time: Some(time(o.created)),
                finish_time: o.finished.map(time),
                fail_reason: (o.status == 6).then(|| "All lines failed.".to_owned()),
                response: None,
                work_order_source: Some(o.source),
                work_order_source_desc: Some(
                    if o.source == 8 {
                        "用户操作生成(api)"
                    } else {
                        "用户操作生成(console)"
                    }
                    .to_owned(),
                ),
            }
        })
        .collect();
    Ok(Json(ListWorkOrdersResponse {
        limit: Some(page.limit),
        offset: Some(page.offset),
        count: Some(rows.len() as i64),
        work_orders: Some(page.slice(&rows)),
    }))
}

/// `GET /v1/work-orders/{id}/details`.
pub async fn list_work_order_details(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    q: Params,
) -> ApiResult<Json<ListWorkOrderDetailsResponse>> {
    let page = q.page()?;
    let (sim_type, status) = (q.int("sim_type")?, q.int("status")?);
    let cid = q.str("main_search_key").filter(|s| !s.is_empty());
    let w = read(&state.world);
    let order = w
        .work_orders
        .iter()
        .find(|o| o.id == id)
        .ok_or_else(|| ApiError::not_found("work order"))?;
    let rows: Vec<WorkOrderDetailVo> = order
        .lines
        .iter()
        .filter(|l| status.is_none_or(|s| l.status == s) && sim_type.is_none_or(|t| t == 3))
        .filter(|l| cid.is_none_or(|c| w.iccid(l.sim) == c))
        .map(|l| WorkOrderDetailVo {
            id: Some(l.id),
            sim_type: Some(3),
            status: Some(l.status),
            cid: Some(w.iccid(l.sim)),
            sim_card_id: Some(sim_id(l.sim)),
            create_time: Some(time(order.created)),
            finish_time: order.finished.map(time),
            description: Some(l.description.clone()),
        })
        .collect();
    Ok(Json(ListWorkOrderDetailsResponse {
        limit: Some(page.limit),
        offset: Some(page.offset),
        count: Some(rows.len() as i64),
        work_order_details: Some(page.slice(&rows)),
    }))
}
