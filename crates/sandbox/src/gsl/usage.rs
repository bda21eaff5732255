//! Usage: per-plan flow of a few cards, monthly usage (24 months back) and daily usage (90 days back).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use hwcloud::gsl::{
    FlowUsageVo, ListFlowBySimCardsReq, ListFlowBySimCardsResponse, ListSimCardFlowPerDayResponse,
    MonthUsageVo, ShowMonthUsageReq, ShowMonthUsagesResponse, SimCardFlowItem,
    SimCardFlowPerDayReq, SimCardFlowPerDayRsp, SimCardsFlowVO,
};

use super::{current_cycle, mb, resolve_many, sim_id};
use crate::error::{ApiError, ApiResult};
use crate::params::JsonBody;
use crate::world::catalog::PLANS;
use crate::world::{BillCycle, daily_usage_centi, day_label, epoch_day, month_usage_centi};
use crate::{AppState, read};

/// Months of history show_month_usages serves.
const MONTHS_BACK: u32 = 24;
/// Days of history the daily flow serves.
const DAYS_BACK: i32 = 90;

/// `POST /v1/sim-price-plans/usage/batch-query` (at most 50 cards).
pub async fn list_flow_by_sim_cards(
    State(state): State<Arc<AppState>>,
    JsonBody(req): JsonBody<ListFlowBySimCardsReq>,
) -> ApiResult<Json<ListFlowBySimCardsResponse>> {
    let w = read(&state.world);
    let cards = resolve_many(&w, req.sim_card_ids.as_deref(), req.iccids.as_deref(), 50)?;
    Ok(Json(
        cards
            .into_iter()
            .map(|i| {
                let plan = &PLANS[usize::from(w.sims[i as usize].plan)];
                SimCardsFlowVO {
                    id: Some(700_000_000 + i64::from(i)),
                    account_id: Some(w.account_id.clone()),
                    sim_card_id: Some(sim_id(i)),
                    price_plan_id: Some(plan.id.to_owned()),
                    price_plan_name: Some(plan.name.to_owned()),
                    iccid: Some(w.iccid(i)),
                    flow_total: Some(mb(plan.flow_total_mb * 100)),
                    flow_used: Some(mb(i64::from(w.sims[i as usize].flow_used_centi))),
                    flow_left: Some(mb(w.flow_left_centi(i).max(0))),
                }
            })
            .collect(),
    ))
}

/// `POST /v1/sim-cards/month-usages`: at most 500 cards and 6 cycles, none in the future.
pub async fn show_month_usages(
    State(state): State<Arc<AppState>>,
    JsonBody(req): JsonBody<ShowMonthUsageReq>,
) -> ApiResult<Json<ShowMonthUsagesResponse>> {
    let now_cycle = current_cycle();
    if req.billing_cycles.is_empty() || req.billing_cycles.len() > 6 {
        return Err(ApiError::invalid("Give between 1 and 6 billing_cycles."));
    }
    let cycles = req
        .billing_cycles
        .iter()
        .map(|c| {
            let cycle = BillCycle::parse(c)
                .ok_or_else(|| ApiError::invalid("A billing cycle looks like 2024-05."))?;
            if cycle > now_cycle {
                return Err(ApiError::invalid(
                    "Future billing cycles cannot be queried.",
                ));
            }
            if cycle < now_cycle.minus(MONTHS_BACK - 1) {
                return Err(ApiError::invalid("Usage is kept for 24 months."));
            }
            Ok(cycle)
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let w = read(&state.world);
    let cards = resolve_many(&w, req.sim_card_ids.as_deref(), req.iccids.as_deref(), 500)?;
    let usages = cards
        .into_iter()
        .map(|i| MonthUsageVo {
            sim_card_id: Some(sim_id(i)),
            iccid: Some(w.iccid(i)),
            flow_usages: Some(
                cycles
                    .iter()
                    .map(|c| FlowUsageVo {
                        billing_cycle: Some(c.to_string()),
                        flow_used: Some(mb(i64::from(month_usage_centi(&w, i, *c, w.today)))),
                    })
                    .collect(),
            ),
        })
        .collect();
    Ok(Json(ShowMonthUsagesResponse {
        month_usages: Some(usages),
    }))
}

/// `POST /v1/sim-cards/batch-daily-flow`: per-day usage of a month (or one date), up to yesterday.
pub async fn list_sim_card_flow_per_day(
    State(state): State<Arc<AppState>>,
    JsonBody(req): JsonBody<SimCardFlowPerDayReq>,
) -> ApiResult<Json<ListSimCardFlowPerDayResponse>> {
    let w = read(&state.world);
    let cards = resolve_many(&w, req.sim_card_ids.as_deref(), req.iccids.as_deref(), 50)?;
    let days: Vec<i32> = match (
        req.date.as_deref().filter(|s| !s.is_empty()),
        req.month.as_deref().filter(|s| !s.is_empty()),
    ) {
        (Some(date), _) => {
            let d = NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|_| ApiError::invalid("Parameter date looks like 2024-05-31."))?;
            vec![epoch_day(d)]
        }
        (None, Some(month)) => {
            let cycle = BillCycle::parse(month)
                .ok_or_else(|| ApiError::invalid("Parameter month looks like 2024-05."))?;
            let first = epoch_day(cycle.first_day());
            let end = epoch_day(cycle.next().first_day());
            (first..end).collect()
        }
        (None, None) => return Err(ApiError::invalid("Give month or date.")),
    };
    let days: Vec<i32> = days
        .into_iter()
        .filter(|d| *d < w.today && *d >= w.today - DAYS_BACK)
        .collect();
    Ok(Json(
        days.into_iter()
            .map(|d| SimCardFlowPerDayRsp {
                date: Some(day_label(d)),
                sim_flow: Some(
                    cards
                        .iter()
                        .map(|i| SimCardFlowItem {
                            sim_card_id: Some(sim_id(*i)),
                            iccid: Some(w.iccid(*i)),
                            flow: Some(mb(i64::from(daily_usage_centi(&w, *i, d)))),
                        })
                        .collect(),
                ),
            })
            .collect(),
    ))
}
