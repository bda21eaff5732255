//! Global SIM Link v3: every operation of the API, over the shared [`World`](crate::world::World).

mod actions;
mod attributes;
mod network;
mod pools;
mod sim_cards;
mod sms;
mod tags;
mod usage;
mod work_orders;

use std::sync::Arc;

use axum::Router;
use axum::routing::{delete, get, post, put};
use chrono::{DateTime, Utc};
use hwcloud::gsl::SimDeviceVO;
use hwcloud::time::HwTime;
use rust_decimal::Decimal;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::world::catalog::PLANS;
use crate::world::sim::flag;
use crate::world::{SIM_ID_BASE, World, day_start_utc};

/// GSL routes.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/sim-cards", get(sim_cards::list_sim_cards))
        .route("/v1/sim-cards/{sim_card_id}", get(sim_cards::show_sim_card))
        .route(
            "/v1/sim-cards/{sim_card_id}/real-named",
            get(sim_cards::show_real_named),
        )
        .route("/v1/sim-price-plans", get(sim_cards::list_sim_price_plans))
        .route("/v1/price-plans", get(sim_cards::list_pro_price_plans))
        .route(
            "/v1/sim-price-plans/usage/batch-query",
            post(usage::list_flow_by_sim_cards),
        )
        .route("/v1/sim-cards/month-usages", post(usage::show_month_usages))
        .route(
            "/v1/sim-cards/batch-daily-flow",
            post(usage::list_sim_card_flow_per_day),
        )
        .route(
            "/v1/sim-cards/{sim_card_id}/enable",
            post(actions::enable_sim_card),
        )
        .route(
            "/v1/sim-cards/{sim_card_id}/stop",
            post(actions::stop_sim_card),
        )
        .route(
            "/v1/sim-cards/{sim_card_id}/reset",
            post(actions::reset_sim_card),
        )
        .route(
            "/v1/sim-cards/{sim_card_id}/cut-net",
            post(actions::start_stop_net),
        )
        .route(
            "/v1/sim-cards/{sim_card_id}/exceed-cut-net",
            post(actions::set_exceed_cut_net),
        )
        .route(
            "/v1/sim-cards/{sim_card_id}/speed-limit",
            post(actions::set_speed_value),
        )
        .route(
            "/v1/sim-cards/{sim_card_id}/bind-device",
            post(actions::register_imei),
        )
        .route(
            "/v1/sim-cards/{sim_card_id}/clear-real-name",
            post(actions::delete_real_name),
        )
        .route("/v1/sim-pools", get(pools::list_sim_pools))
        .route(
            "/v1/sim-pools/{sim_pool_id}/members",
            get(pools::list_sim_pool_members),
        )
        .route("/v1/back-pools", get(pools::list_back_pools))
        .route(
            "/v1/back-pools/{back_pool_id}/members",
            get(pools::list_back_pool_members),
        )
        .route("/v1/tags", get(tags::list_tags).post(tags::create_tag))
        .route("/v1/tags/{tag_id}", delete(tags::delete_tag))
        .route("/v1/sim-tags/batch-set", post(tags::batch_set_tags))
        .route(
            "/v1/attributes",
            get(attributes::list_attributes).post(attributes::create_attribute),
        )
        .route(
            "/v1/attributes/{attribute_id}",
            put(attributes::update_attribute),
        )
        .route(
            "/v1/attributes/{attribute_id}/enable",
            post(attributes::enable_attribute),
        )
        .route(
            "/v1/attributes/{attribute_id}/disable",
            post(attributes::disable_attribute),
        )
        .route(
            "/v1/sim-cards/attributes/batch-set",
            post(attributes::batch_set_attributes),
        )
        .route("/v1/work-orders", get(work_orders::list_work_orders))
        .route(
            "/v1/work-orders/{work_order_id}/details",
            get(work_orders::list_work_order_details),
        )
        .route("/v1/sms-send-infos", post(sms::send_sms))
        .route("/v1/sms-send-infos/details", get(sms::list_sms_details))
        .route(
            "/v1/network-switch-policies",
            get(network::list_network_switch_policies).post(network::add_network_switch_policy),
        )
        .route(
            "/v1/sim-cards-multiply",
            get(network::list_sim_device_multiply),
        )
        .route(
            "/v1/sim-cards/{sim_card_id}/network-switch-policy/set",
            post(network::set_network_switch_policy),
        )
        .route(
            "/v1/sim-cards-multiply/{sim_card_id}/switch-network",
            post(network::switch_network),
        )
}

/// Formats an instant as GSL does (`2020-08-24T07:57:56.000Z`).
pub fn time(t: DateTime<Utc>) -> HwTime {
    HwTime(t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
}

/// Hundredths of a MB as a decimal MB amount.
pub fn mb(centi: i64) -> Decimal {
    Decimal::new(centi, 2)
}

/// The `sim_card_id` of card `i`.
pub fn sim_id(i: u32) -> i64 {
    SIM_ID_BASE + i64::from(i)
}

/// Finds a card by id, or by ICCID when the id is 0 (as every GSL card operation allows).
pub fn resolve(world: &World, sim_card_id: i64, iccid: Option<&str>) -> ApiResult<u32> {
    if sim_card_id == 0 {
        let iccid = iccid
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ApiError::invalid("Give sim_card_id or iccid."))?;
        return world.find_iccid(iccid).ok_or_else(ApiError::no_such_sim);
    }
    world.find_id(sim_card_id).ok_or_else(ApiError::no_such_sim)
}

/// Finds cards by id list, or by ICCID list when the ids are absent, with a size cap.
pub fn resolve_many(
    world: &World,
    ids: Option<&[i64]>,
    iccids: Option<&[String]>,
    max: usize,
) -> ApiResult<Vec<u32>> {
    let found: Vec<ApiResult<u32>> = match (
        ids.filter(|v| !v.is_empty()),
        iccids.filter(|v| !v.is_empty()),
    ) {
        (Some(ids), _) if ids.len() <= max => {
            ids.iter().map(|id| resolve(world, *id, None)).collect()
        }
        (None, Some(iccids)) if iccids.len() <= max => {
            iccids.iter().map(|c| resolve(world, 0, Some(c))).collect()
        }
        (None, None) => {
            return Err(ApiError::invalid(
                "sim_card_ids and iccids cannot both be empty.",
            ));
        }
        _ => {
            return Err(ApiError::invalid(format!(
                "At most {max} SIM cards per request."
            )));
        }
    };
    found.into_iter().collect()
}

/// The full view of card `i`, as list_sim_cards and show_sim_card return it.
pub fn render_sim(world: &World, i: u32) -> SimDeviceVO {
    let card = &world.sims[i as usize];
    let plan = &PLANS[usize::from(card.plan)];
    let attrs = world.attributes_of(i);
    let tag_names: Vec<String> = world
        .tags_of(i)
        .iter()
        .filter_map(|id| {
            world
                .tags
                .iter()
                .find(|t| t.id == *id)
                .map(|t| t.name.clone())
        })
        .collect();
    let physical = card.sim_type == 3;
    let [a1, a2, a3, a4, a5, a6] = attrs;
    SimDeviceVO {
        sim_card_id: Some(sim_id(i)),
        account_id: Some(world.account_id.clone()),
        cid: Some(world.iccid(i)),
        sim_pool_id: (card.pool > 0).then(|| world.pools[usize::from(card.pool) - 1].id),
        imei: (card.imei > 0).then(|| card.imei.to_string()),
        sim_status: Some(i64::from(card.status)),
        device_status: (!physical).then_some(i64::from(card.device_status)),
        device_model: (!physical).then(|| "ME909s-821".to_owned()),
        act_date: (card.act_day > 0).then(|| time(day_start_utc(card.act_day))),
        device_status_date: (!physical).then(|| time(day_start_utc(world.today))),
        node_id: None,
        iccid: Some(world.iccid(i)),
        network_type: Some(if plan.network_type == 2 {
            "NB-IoT".into()
        } else {
            "4G".into()
        }),
        dbm: (!physical).then(|| "-85".to_owned()),
        signal_level: (!physical).then(|| "3".to_owned()),
        sim_type: Some(i64::from(card.sim_type)),
        tag_names: (!tag_names.is_empty()).then(|| tag_names.join(",")),
        order_id: Some(world.order_id(i)),
        expire_time: Some(time(day_start_utc(card.expire_day))),
        price_plan_name: Some(plan.name.to_owned()),
        sim_price_plan_id: Some(700_000_000 + i64::from(i)),
        flow_left: Some(mb(world.flow_left_centi(i).max(0))),
        flow_used: Some(mb(i64::from(card.flow_used_centi))),
        operator_status: Some(i64::from(card.operator_status)),
        msisdn: Some(world.msisdn(i)),
        imsi: Some(world.imsi(i)),
        customer_attribute1: a1,
        customer_attribute2: a2,
        customer_attribute3: a3,
        customer_attribute4: a4,
        customer_attribute5: a5,
        customer_attribute6: a6,
        real_named: Some(card.has(flag::REAL_NAMED)),
        cut_net_flag: Some(card.has(flag::CUT_NET)),
        exceed_cut_net_flag: Some(card.has(flag::EXCEED_CUT_NET)),
        exceed_cut_net_quota: card
            .has(flag::EXCEED_CUT_NET)
            .then_some(i64::from(card.exceed_quota)),
        imei_bind_remain_times: Some(i64::from(card.imei_bind_remain)),
        speed_value: Some(i64::from(card.speed_value)),
    }
}

/// The current bill cycle (UTC+8).
pub fn current_cycle() -> crate::world::BillCycle {
    crate::world::BillCycle::of(crate::world::today_cn(Utc::now()))
}

/// Parses an optional `YYYY-MM` bill cycle parameter.
pub fn parse_cycle(raw: Option<&str>, name: &str) -> ApiResult<Option<crate::world::BillCycle>> {
    raw.map(|s| {
        crate::world::BillCycle::parse(s)
            .ok_or_else(|| ApiError::invalid(format!("Parameter {name} must look like 2024-05.")))
    })
    .transpose()
}

/// The answer of operations whose whole body is a string: the SDK models it as `str`, so a JSON
/// string (not `true`) is what it can read into `response.body`.
pub fn ack() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::Value::String("success".into()))
}
