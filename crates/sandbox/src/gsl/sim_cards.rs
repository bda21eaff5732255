//! Reading cards: the inventory list with its filters and sorts, one card, real-name, plans.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use hwcloud::gsl::{
    ListProPricePlansResponse, ListSimCardsResponse, ListSimPricePlansResponse, ProPricePlanVo,
    ShowRealNamedResponse, ShowSimCardResponse, SimPricePlanVO,
};

use super::{mb, render_sim, resolve, sim_id, time};
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::world::catalog::PLANS;
use crate::world::sim::{flag, status};
use crate::world::{World, day_start_utc};
use crate::{AppState, read};

/// The filters of list_sim_cards, validated.
#[derive(Debug, Default, PartialEq)]
struct Filter {
    iccid_key: Option<String>,
    order_key: Option<i64>,
    imei_key: Option<u64>,
    sim_status: Option<u8>,
    device_status: Option<u8>,
    tag_ids: Vec<i64>,
    sim_type: Option<u8>,
    msisdn: Option<String>,
    attrs: [Option<String>; 6],
    min_used: Option<i64>,
    max_used: Option<i64>,
    min_left: Option<i64>,
    max_left: Option<i64>,
    real_named: Option<bool>,
    order_ids: Vec<i64>,
    skip_downtime: bool,
    plan_ids: Vec<String>,
}

fn small(v: Option<i64>, name: &str, allowed: &[i64]) -> ApiResult<Option<u8>> {
    match v {
        None => Ok(None),
        Some(x) if allowed.contains(&x) => Ok(u8::try_from(x).ok()),
        Some(_) => Err(ApiError::invalid(format!(
            "Parameter {name} has an unsupported value."
        ))),
    }
}

impl Filter {
    fn parse(q: &Params) -> ApiResult<Self> {
        let mut f = Filter::default();
        if let Some(key) = q.str("main_search_key").filter(|k| !k.is_empty()) {
            match q.int("main_search_type")?.unwrap_or(1) {
                1 => f.iccid_key = Some(key.to_owned()),
                2 => {
                    f.order_key = Some(
                        key.parse()
                            .map_err(|_| ApiError::invalid("A batch number is digits only."))?,
                    )
                }
                3 => {
                    f.imei_key = Some(
                        key.parse()
                            .map_err(|_| ApiError::invalid("An IMEI is digits only."))?,
                    )
                }
                _ => {
                    return Err(ApiError::invalid(
                        "Parameter main_search_type must be 1, 2 or 3.",
                    ));
                }
            }
        }
        f.sim_status = small(
            q.int("sim_status")?,
            "sim_status",
            &[10, 11, 13, 14, 20, 30],
        )?;
        f.device_status = small(q.int("device_status")?, "device_status", &[1, 2, 3, 4])?;
        f.sim_type = small(q.int("sim_type")?, "sim_type", &[1, 2, 3])?;
        f.tag_ids = q.all_int("tag_id")?;
        if f.tag_ids.len() > 10 {
            return Err(ApiError::invalid("At most 10 tag_id values."));
        }
        f.msisdn = q.str("msisdn").filter(|s| !s.is_empty()).map(str::to_owned);
        for (slot, attr) in f.attrs.iter_mut().enumerate() {
            *attr = q
                .str(&format!("customer_attribute{}", slot + 1))
                .filter(|s| !s.is_empty())
                .map(str::to_owned);
        }
        f.min_used = q.int("min_used_flow")?;
        f.max_used = q.int("max_used_flow")?;
        f.min_left = q.int("min_left_flow")?;
        f.max_left = q.int("max_left_flow")?;
        f.real_named = q.bool("real_named")?;
        f.order_ids = q.all_int("order_ids")?;
        if let Some(o) = q.int("order_id")? {
            f.order_ids.push(o);
        }
        f.skip_downtime = q.bool("filter_downtime_period")?.unwrap_or(false);
        f.plan_ids = q
            .all("price_plan_id")
            .into_iter()
            .map(str::to_owned)
            .collect();
        if f.plan_ids.len() > 30 {
            return Err(ApiError::invalid("At most 30 price_plan_id values."));
        }
        Ok(f)
    }

    fn matches(&self, w: &World, i: u32) -> bool {
        let c = &w.sims[i as usize];
        let used_mb = || i64::from(c.flow_used_centi) / 100;
        let left_mb = || w.flow_left_centi(i) / 100;
        self.sim_status.is_none_or(|s| c.status == s)
            && self.sim_type.is_none_or(|t| c.sim_type == t)
            && self
                .device_status
                .is_none_or(|d| c.sim_type != 3 && c.device_status == d)
            && self.real_named.is_none_or(|r| c.has(flag::REAL_NAMED) == r)
            && !(self.skip_downtime && c.status == status::STOPPED)
            && self.min_used.is_none_or(|m| used_mb() >= m)
            && self.max_used.is_none_or(|m| used_mb() <= m)
            && self.min_left.is_none_or(|m| left_mb() >= m)
            && self.max_left.is_none_or(|m| left_mb() <= m)
            && (self.order_ids.is_empty() || self.order_ids.contains(&w.order_id(i)))
            && self.order_key.is_none_or(|o| w.order_id(i) == o)
            && self.imei_key.is_none_or(|m| c.imei == m)
            && (self.plan_ids.is_empty()
                || self
                    .plan_ids
                    .iter()
                    .any(|p| p == PLANS[usize::from(c.plan)].id))
            && self.msisdn.as_ref().is_none_or(|m| *m == w.msisdn(i))
            && self
                .iccid_key
                .as_ref()
                .is_none_or(|k| w.iccid(i).contains(k.as_str()))
            && (self.tag_ids.is_empty() || {
                let tags = w.tags_of(i);
                self.tag_ids.iter().any(|t| tags.contains(t))
            })
            && self.attrs.iter().enumerate().all(|(slot, a)| {
                a.as_ref()
                    .is_none_or(|a| w.attribute(i, slot).as_ref() == Some(a))
            })
    }

    /// Whether no filter is set (every card matches).
    fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// The only cards that can match, when a filter pins them down (an exact ICCID or MSISDN).
    fn candidates(&self, w: &World) -> Option<Vec<u32>> {
        if let Some(k) = &self.iccid_key
            && let Some(i) = w.find_iccid(k)
        {
            return Some(vec![i]);
        }
        let m = self.msisdn.as_ref()?;
        let i: u32 = m
            .strip_prefix("1440")
            .filter(|r| r.len() == 9)?
            .parse()
            .ok()?;
        Some(if (i as usize) < w.sims.len() {
            vec![i]
        } else {
            vec![]
        })
    }
}

/// `GET /v1/sim-cards`.
pub async fn list_sim_cards(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListSimCardsResponse>> {
    let page = q.page()?;
    let filter = Filter::parse(&q)?;
    let sort = q.str("sort").filter(|s| !s.is_empty());
    if sort
        .is_some_and(|s| !["cid", "flow_used", "flow_left", "act_date", "expire_time"].contains(&s))
    {
        return Err(ApiError::invalid(
            "Parameter sort must be one of cid, flow_used, flow_left, act_date, expire_time.",
        ));
    }
    let desc = match q.str("order") {
        None | Some("" | "asc") => false,
        Some("desc") => true,
        Some(_) => return Err(ApiError::invalid("Parameter order must be asc or desc.")),
    };
    let w = read(&state.world);
    let all: Box<dyn Iterator<Item = u32>> = match filter.candidates(&w) {
        Some(c) => Box::new(c.into_iter()),
        None => Box::new(0..u32::try_from(w.sims.len()).unwrap_or(u32::MAX)),
    };
    let matching = all.filter(|i| filter.matches(&w, *i));
    let (count, page_ids) = match sort {
        // No filter in the natural order: the page is a range of the fleet, no scan needed.
        None | Some("cid") if !desc && filter.is_empty() => {
            let n = w.sims.len();
            let start = page.skip().min(n);
            let end = start.saturating_add(page.take()).min(n);
            (
                n,
                (start..end).filter_map(|i| u32::try_from(i).ok()).collect(),
            )
        }
        // The natural order is the card id, so a page can be cut while counting.
        None | Some("cid") if !desc => {
            let (skip, take) = (page.skip(), page.take());
            let mut ids = Vec::with_capacity(take);
            let mut count = 0usize;
            for i in matching {
                if count >= skip && ids.len() < take {
                    ids.push(i);
                }
                count += 1;
            }
            (count, ids)
        }
        _ => {
            let mut ids: Vec<u32> = matching.collect();
            let key = |i: &u32| -> i64 {
                let c = &w.sims[*i as usize];
                match sort {
                    Some("flow_used") => i64::from(c.flow_used_centi),
                    Some("flow_left") => w.flow_left_centi(*i),
                    Some("act_date") => i64::from(c.act_day),
                    Some("expire_time") => i64::from(c.expire_day),
                    _ => i64::from(*i),
                }
            };
            ids.sort_by_key(|i| (key(i), *i));
            if desc {
                ids.reverse();
            }
            (ids.len(), page.slice(&ids))
        }
    };
    Ok(Json(ListSimCardsResponse {
        limit: Some(page.limit),
        offset: Some(page.offset),
        count: Some(i64::try_from(count).unwrap_or(i64::MAX)),
        sim_cards: Some(page_ids.into_iter().map(|i| render_sim(&w, i)).collect()),
    }))
}

/// `GET /v1/sim-cards/{sim_card_id}`.
pub async fn show_sim_card(
    State(state): State<Arc<AppState>>,
    Path(sim_card_id): Path<i64>,
    q: Params,
) -> ApiResult<Json<ShowSimCardResponse>> {
    let w = read(&state.world);
    let i = resolve(&w, sim_card_id, q.str("iccid"))?;
    let v =
        serde_json::to_value(render_sim(&w, i)).map_err(|e| ApiError::invalid(e.to_string()))?;
    serde_json::from_value(v)
        .map(Json)
        .map_err(|e| ApiError::invalid(e.to_string()))
}

/// `GET /v1/sim-cards/{sim_card_id}/real-named`.
pub async fn show_real_named(
    State(state): State<Arc<AppState>>,
    Path(sim_card_id): Path<i64>,
    q: Params,
) -> ApiResult<Json<ShowRealNamedResponse>> {
    let w = read(&state.world);
    let i = resolve(&w, sim_card_id, q.str("iccid"))?;
    Ok(Json(ShowRealNamedResponse {
        iccid: Some(w.iccid(i)),
        real_named: Some(w.sims[i as usize].has(flag::REAL_NAMED)),
    }))
}

/// `GET /v1/sim-price-plans`: the plan instances of one card (a bare array).
pub async fn list_sim_price_plans(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListSimPricePlansResponse>> {
    q.page()?;
    let sim_card_id = q
        .int("sim_card_id")?
        .ok_or_else(|| ApiError::invalid("Parameter sim_card_id is required."))?;
    let _real_time = q.bool("real_time")?;
    let w = read(&state.world);
    let i = resolve(&w, sim_card_id, q.str("iccid"))?;
    let c = &w.sims[i as usize];
    let plan = &PLANS[usize::from(c.plan)];
    let active = matches!(c.status, status::IN_USE);
    let instance = SimPricePlanVO {
        id: Some(700_000_000 + i64::from(i)),
        account_id: Some(w.account_id.clone()),
        sim_card_id: Some(sim_id(i)),
        status: Some(match c.status {
            status::IN_USE => 2,
            status::STOPPED | status::DISMANTLED => 5,
            _ => 1,
        }),
        price_plan_id: Some(plan.id.to_owned()),
        cid: Some(w.iccid(i)),
        order_id: Some(w.order_id(i).to_string()),
        create_time: Some(time(day_start_utc(c.act_day.max(w.today - 400) - 1))),
        active_time: (c.act_day > 0).then(|| time(day_start_utc(c.act_day))),
        stop_time: Some(time(day_start_utc(c.expire_day))),
        flow_total: Some(mb(plan.flow_total_mb * 100)),
        flow_used: Some(mb(i64::from(c.flow_used_centi))),
        flow_left: Some(mb(w.flow_left_centi(i).max(0))),
        using: Some(if active { "1" } else { "0" }.to_owned()),
        price_plan_name: Some(plan.name.to_owned()),
        description: Some(format!("{} MB per month", plan.flow_total_mb)),
        package_type: Some(1),
        effect_type: Some(1),
        silent_period_day: Some(6),
        silent_period_unit: Some(2),
        auto_renew: Some(1),
        location_desc: Some(
            if plan.location_type == 1 {
                "中国"
            } else {
                "亚太"
            }
            .to_owned(),
        ),
    };
    Ok(Json(vec![instance]))
}

/// `GET /v1/price-plans`: the plans on offer.
pub async fn list_pro_price_plans(q: Params) -> ApiResult<Json<ListProPricePlansResponse>> {
    let page = q.page()?;
    let key = q.str("main_search_key").filter(|s| !s.is_empty());
    let (flow, network, location, carrier) = (
        q.int("flow_total")?,
        q.int("network_type")?,
        q.int("location_type")?,
        q.int("carrier_type")?,
    );
    let _country = q.int("country_type")?;
    let plans: Vec<ProPricePlanVo> = PLANS
        .iter()
        .filter(|p| key.is_none_or(|k| p.name.contains(k)))
        .filter(|p| flow.is_none_or(|f| p.flow_total_mb == f))
        .filter(|p| network.is_none_or(|n| p.network_type == n))
        .filter(|p| location.is_none_or(|l| p.location_type == l))
        .filter(|p| {
            carrier.is_none_or(|c| i64::from(p.carrier) == c || i64::from(p.carrier) + 100 == c)
        })
        .map(|p| ProPricePlanVo {
            price_plan_id: Some(p.id.to_owned()),
            price_plan_name: Some(p.name.to_owned()),
            description: Some(format!("{} MB per month", p.flow_total_mb)),
            flow_total: Some(p.flow_total_mb),
            package_type: Some(1),
            period: Some(12),
            period_type: Some(2),
            effect_type: Some(1),
            silent_period_day: Some(6),
            silent_period_unit: Some(2),
            auto_renew: Some(true),
            location_desc: Some(
                if p.location_type == 1 {
                    "中国"
                } else {
                    "亚太"
                }
                .to_owned(),
            ),
            location_type: Some(p.location_type),
            sim_type: Some(3),
            carrier_type: Some(i64::from(p.carrier)),
            price: Some(p.price_cents),
        })
        .collect();
    Ok(Json(ListProPricePlansResponse {
        limit: Some(page.limit),
        offset: Some(page.offset),
        count: Some(plans.len() as i64),
        price_plans: Some(page.slice(&plans)),
    }))
}
