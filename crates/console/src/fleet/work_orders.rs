//! GSL work orders and their per-card lines.

use hwcloud::gsl::{ListWorkOrderDetailsRequest, ListWorkOrdersRequest, WorkOrderVo};
use hwcloud::{Client, Identity};
use model::work_order::{WorkOrder, WorkOrderLine};

use crate::error::ServiceError;

/// Work orders per page.
pub const PAGE: u32 = 20;

fn to_order(o: WorkOrderVo) -> WorkOrder {
    WorkOrder {
        id: o.id.unwrap_or_default(),
        kind: o.work_order_type.unwrap_or_default(),
        request: o.req_detail,
        status: o.status.unwrap_or_default(),
        total: o.total_count.unwrap_or(0),
        succeeded: o.success_count.unwrap_or(0),
        failed: o.fail_count.unwrap_or(0),
        created_at: o.create_time.and_then(|t| t.to_utc()),
        finished_at: o.finish_time.and_then(|t| t.to_utc()),
    }
}

/// A page of work orders (newest first) and how many there are.
pub async fn list(client: &Client, who: &Identity, page: u32, limit: u32) -> Result<(Vec<WorkOrder>, u64), ServiceError> {
    if page == 0 || page > 10_000 {
        return Err(model::Invalid::new("page", "must be a page number from 1.").into());
    }
    let req = ListWorkOrdersRequest { offset: Some(i64::from(page)), limit: Some(i64::from(limit.clamp(10, 100))), ..Default::default() };
    let resp = client.call(who, &req).await?.value;
    let count = resp.count.and_then(|c| u64::try_from(c).ok()).unwrap_or(0);
    Ok((resp.work_orders.unwrap_or_default().into_iter().map(to_order).collect(), count))
}

/// One work order (looked up by id) and a page of its lines.
pub async fn show(client: &Client, who: &Identity, id: i64, page: u32) -> Result<(WorkOrder, Vec<WorkOrderLine>, u64), ServiceError> {
    if id <= 0 {
        return Err(model::Invalid::new("work_order", "is not a work order id.").into());
    }
    let find = ListWorkOrdersRequest { main_search_key: Some(id.to_string()), offset: Some(1), limit: Some(10), ..Default::default() };
    let lines = ListWorkOrderDetailsRequest {
        work_order_id: id,
        offset: Some(i64::from(page.max(1))),
        limit: Some(100),
        ..Default::default()
    };
    let (found, lines) = futures::try_join!(client.call(who, &find), client.call(who, &lines))?;
    let order = found.value.work_orders.unwrap_or_default().into_iter().next().map(to_order).ok_or(ServiceError::NotFound)?;
    let count = lines.value.count.and_then(|c| u64::try_from(c).ok()).unwrap_or(0);
    let lines = lines
        .value
        .work_order_details
        .unwrap_or_default()
        .into_iter()
        .map(|l| WorkOrderLine { sim_card_id: l.sim_card_id, iccid: l.cid, status: l.status.unwrap_or_default(), description: l.description })
        .collect();
    Ok((order, lines, count))
}
