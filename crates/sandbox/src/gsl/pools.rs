//! Flow pools and back pools, per bill cycle, with their members' usage.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use hwcloud::gsl::{
    BackPoolMemVO, BackPoolVO, ListBackPoolMembersResponse, ListBackPoolsResponse,
    ListSimPoolMembersResponse, ListSimPoolsResponse, PoolMemVO, SimPoolVO,
};
use rust_decimal::Decimal;

use super::{current_cycle, mb, parse_cycle, sim_id, time};
use crate::error::{ApiError, ApiResult};
use crate::params::{Page, Params};
use crate::world::catalog::PLANS;
use crate::world::sim::status;
use crate::world::{BillCycle, Pool, World, day_start_utc, epoch_day, month_usage_centi};
use crate::{AppState, read};

/// Usage of one member in a cycle (the stored figure for the current cycle).
fn member_usage(w: &World, i: u32, cycle: BillCycle) -> i64 {
    if cycle == current_cycle() {
        i64::from(w.sims[i as usize].flow_used_centi)
    } else {
        i64::from(month_usage_centi(w, i, cycle, w.today))
    }
}

struct PoolFigures {
    total: i64,
    used: i64,
    activated: i64,
    inactive: i64,
    dismantled: i64,
}

fn figures(w: &World, pool: &Pool, cycle: BillCycle) -> PoolFigures {
    let plan_centi = PLANS[usize::from(pool.plan)].flow_total_mb * 100;
    let mut f = PoolFigures {
        total: 0,
        used: 0,
        activated: 0,
        inactive: 0,
        dismantled: 0,
    };
    for &i in &pool.members {
        f.total += plan_centi;
        f.used += member_usage(w, i, cycle);
        match w.sims[i as usize].status {
            status::IN_USE | status::STOPPED => f.activated += 1,
            status::DISMANTLED => f.dismantled += 1,
            _ => f.inactive += 1,
        }
    }
    f
}

/// The cycles a pool listing covers: one, or the last six with `all_billing_cycle`.
fn cycles(q: &Params) -> ApiResult<Vec<BillCycle>> {
    let now = current_cycle();
    let cycle = parse_cycle(q.str("billing_cycle"), "billing_cycle")?.unwrap_or(now);
    if cycle > now {
        return Err(ApiError::invalid(
            "Future billing cycles cannot be queried.",
        ));
    }
    Ok(if q.bool("all_billing_cycle")?.unwrap_or(false) {
        (0..6).map(|k| now.minus(k)).collect()
    } else {
        vec![cycle]
    })
}

fn pools_in_cycle<'w>(pools: &'w [Pool], q: &Params, cycle: BillCycle) -> Vec<&'w Pool> {
    let name = q.str("pool_name").filter(|s| !s.is_empty());
    let first = epoch_day(cycle.next().first_day());
    pools
        .iter()
        .filter(|p| name.is_none_or(|n| p.name.contains(n)))
        .filter(|p| p.created_day < first)
        .collect()
}

/// `GET /v1/sim-pools`.
pub async fn list_sim_pools(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListSimPoolsResponse>> {
    let page = q.page()?;
    let statuses = q.all_int("status")?;
    let w = read(&state.world);
    let rows: Vec<(BillCycle, &Pool)> = cycles(&q)?
        .into_iter()
        .flat_map(|c| {
            pools_in_cycle(&w.pools, &q, c)
                .into_iter()
                .map(move |p| (c, p))
        })
        .filter(|(_, p)| statuses.is_empty() || statuses.contains(&p.status))
        .collect();
    let pools = page
        .slice(&rows)
        .into_iter()
        .map(|(cycle, p)| {
            let f = figures(&w, p, cycle);
            let plan = &PLANS[usize::from(p.plan)];
            SimPoolVO {
                id: Some(p.id),
                pool_name: Some(p.name.clone()),
                price_plan_name: Some(plan.name.to_owned()),
                price_plan_id: Some(plan.id.to_owned()),
                effective_time: Some(time(day_start_utc(p.created_day))),
                expired_time: Some(time(day_start_utc(p.created_day + 3 * 365))),
                billing_cycle: Some(cycle.to_string()),
                flow_total: Some(mb(f.total)),
                flow_used: Some(mb(f.used)),
                flow_left: Some(mb((f.total - f.used).max(0))),
                quantity: Some(p.members.len() as i64),
                modify_time: Some(time(day_start_utc(w.today - 1))),
                order_id: Some(p.order_id),
                activated_sim_quantity: Some(f.activated),
                inactive_sim_quantity: Some(f.inactive),
                disassembled_sim_quantity: Some(f.dismantled),
                order_ids: Some(p.order_id.to_string()),
                status: Some(p.status),
            }
        })
        .collect();
    Ok(Json(ListSimPoolsResponse {
        limit: Some(page.limit),
        offset: Some(page.offset),
        count: Some(rows.len() as i64),
        pools: Some(pools),
    }))
}

/// `GET /v1/back-pools`.
pub async fn list_back_pools(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListBackPoolsResponse>> {
    let page = q.page()?;
    let w = read(&state.world);
    let rows: Vec<(BillCycle, &Pool)> = cycles(&q)?
        .into_iter()
        .flat_map(|c| {
            pools_in_cycle(&w.back_pools, &q, c)
                .into_iter()
                .map(move |p| (c, p))
        })
        .collect();
    let pools = page
        .slice(&rows)
        .into_iter()
        .map(|(cycle, p)| {
            let f = figures(&w, p, cycle);
            let plan = &PLANS[usize::from(p.plan)];
            BackPoolVO {
                id: Some(p.id),
                pool_name: Some(p.name.clone()),
                price_plan_name: Some(plan.name.to_owned()),
                price_plan_id: Some(plan.id.to_owned()),
                effective_time: Some(time(day_start_utc(p.created_day))),
                expired_time: Some(time(day_start_utc(p.created_day + 3 * 365))),
                billing_cycle: Some(cycle.to_string()),
                pool_status: Some(p.status),
                flow_used: Some(mb(f.used)),
                status_time: Some(time(day_start_utc(p.created_day))),
                quantity: Some(p.members.len() as i64),
                modify_time: Some(time(day_start_utc(w.today - 1))),
                order_id: Some(p.order_id),
                activated_sim_quantity: Some(f.activated),
                inactive_sim_quantity: Some(f.inactive),
                disassembled_sim_quantity: Some(f.dismantled),
                order_ids: Some(p.order_id.to_string()),
            }
        })
        .collect();
    Ok(Json(ListBackPoolsResponse {
        limit: Some(page.limit),
        offset: Some(page.offset),
        count: Some(rows.len() as i64),
        pools: Some(pools),
    }))
}

/// The members of a pool matching the `cid` filter, for a required bill cycle.
fn members<'w>(w: &'w World, pool: &'w Pool, q: &Params) -> ApiResult<(BillCycle, Vec<u32>)> {
    let cycle = parse_cycle(q.str("billing_cycle"), "billing_cycle")?
        .ok_or_else(|| ApiError::invalid("Parameter billing_cycle is required."))?;
    let cid = q.str("cid").filter(|s| !s.is_empty());
    let ids = pool
        .members
        .iter()
        .copied()
        .filter(|i| cid.is_none_or(|c| w.iccid(*i) == c))
        .collect();
    Ok((cycle, ids))
}

fn find_pool(pools: &[Pool], id: i64) -> ApiResult<&Pool> {
    pools
        .iter()
        .find(|p| p.id == id)
        .ok_or_else(|| ApiError::not_found("flow pool"))
}

/// One page of a pool's members, each mapped to its row type, and their total count.
fn member_page<T: Clone>(
    w: &World,
    pools: &[Pool],
    pool_id: i64,
    q: &Params,
    row: impl Fn(u32, Decimal) -> T,
) -> ApiResult<(Page, i64, Vec<T>)> {
    let page = q.page()?;
    let pool = find_pool(pools, pool_id)?;
    let (cycle, ids) = members(w, pool, q)?;
    let rows = page
        .slice(&ids)
        .into_iter()
        .map(|i| row(i, mb(member_usage(w, i, cycle))))
        .collect();
    Ok((page, ids.len() as i64, rows))
}

/// `GET /v1/sim-pools/{id}/members`.
pub async fn list_sim_pool_members(
    State(state): State<Arc<AppState>>,
    Path(pool_id): Path<i64>,
    q: Params,
) -> ApiResult<Json<ListSimPoolMembersResponse>> {
    let w = read(&state.world);
    let (page, count, rows) = member_page(&w, &w.pools, pool_id, &q, |i, used| PoolMemVO {
        id: Some(sim_id(i)),
        cid: Some(w.iccid(i)),
        sim_price_plan_id: Some(700_000_000 + i64::from(i)),
        flow_used: Some(used),
    })?;
    Ok(Json(ListSimPoolMembersResponse {
        limit: Some(page.limit),
        offset: Some(page.offset),
        count: Some(count),
        pool_members: Some(rows),
    }))
}

/// `GET /v1/back-pools/{id}/members`.
pub async fn list_back_pool_members(
    State(state): State<Arc<AppState>>,
    Path(pool_id): Path<i64>,
    q: Params,
) -> ApiResult<Json<ListBackPoolMembersResponse>> {
    let w = read(&state.world);
    let (page, count, rows) =
        member_page(&w, &w.back_pools, pool_id, &q, |i, used| BackPoolMemVO {
            id: Some(sim_id(i)),
            cid: Some(w.iccid(i)),
            sim_price_plan_id: Some(700_000_000 + i64::from(i)),
            flow_used: Some(used),
            sim_status: Some(i64::from(w.sims[i as usize].status)),
        })?;
    Ok(Json(ListBackPoolMembersResponse {
        limit: Some(page.limit),
        offset: Some(page.offset),
        count: Some(count),
        pool_members: Some(rows),
    }))
}
