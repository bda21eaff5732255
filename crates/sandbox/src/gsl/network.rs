//! Three-network cards: switch policies, which policy a card follows, and switching carrier.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;
use hwcloud::gsl::{
    ListNetworkSwitchPoliciesResponse, ListSimDeviceMultiplyResponse, NetworkSwitchPolicyDTO,
    NetworkSwitchPolicyReq, NetworkSwitchPolicyVO, NetworkSwitchReq, SimDeviceMultiplyVO,
};
use serde_json::Value;

use super::actions::WorkOrderCreated;
use super::{sim_id, time};
use crate::error::{ApiError, ApiResult};
use crate::params::{JsonBody, Params};
use crate::world::Policy;
use crate::{AppState, read, write};

fn carrier(v: Option<i64>, name: &str, max: i64) -> ApiResult<()> {
    match v {
        Some(c) if !(1..=max).contains(&c) => Err(ApiError::invalid(format!(
            "Parameter {name} must be 1 to {max}."
        ))),
        _ => Ok(()),
    }
}

/// `GET /v1/network-switch-policies`.
pub async fn list_network_switch_policies(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListNetworkSwitchPoliciesResponse>> {
    let page = q.page()?;
    let version = q.int("version")?;
    let name = q.str("policy_name").filter(|s| !s.is_empty());
    let w = read(&state.world);
    let rows: Vec<NetworkSwitchPolicyVO> = w
        .policies
        .iter()
        .filter(|p| {
            version.is_none_or(|v| p.version == v) && name.is_none_or(|n| p.name.contains(n))
        })
        .map(|p| NetworkSwitchPolicyVO {
            id: Some(p.id),
            policy_name: Some(p.name.clone()),
            preferred_carrier: p.preferred_carrier,
            least_preferred_carrier: p.least_preferred_carrier,
            optimal_signal: Some(p.optimal_signal),
            auto_switch: Some(p.auto_switch),
            weak_signal_switch: Some(p.weak_signal_switch),
            connect_ip: p.connect_ip.clone(),
            create_time: Some(time(p.created)),
            modify_time: Some(time(p.created)),
            status: Some(1),
            r#type: Some(p.kind),
            used: Some(p.used),
            version: Some(p.version),
            switch_order: p.switch_order.clone(),
            blacklist: p.blacklist,
        })
        .collect();
    Ok(Json(ListNetworkSwitchPoliciesResponse {
        limit: Some(page.limit),
        offset: Some(page.offset),
        count: Some(rows.len() as i64),
        network_switch_policy_list: Some(page.slice(&rows)),
    }))
}

/// `POST /v1/network-switch-policies`.
pub async fn add_network_switch_policy(
    State(state): State<Arc<AppState>>,
    JsonBody(req): JsonBody<NetworkSwitchPolicyDTO>,
) -> ApiResult<Json<Value>> {
    if !matches!(req.version, 1 | 2) {
        return Err(ApiError::invalid(
            "Parameter version must be 1 (SDK) or 2 (no SDK).",
        ));
    }
    let name = req.policy_name.as_deref().map(str::trim).unwrap_or("");
    if name.is_empty() || name.chars().count() > 64 {
        return Err(ApiError::invalid("A policy name has 1 to 64 characters."));
    }
    carrier(req.preferred_carrier, "preferred_carrier", 4)?;
    carrier(req.least_preferred_carrier, "least_preferred_carrier", 3)?;
    carrier(req.blacklist, "blacklist", 3)?;
    let mut w = write(&state.world);
    if w.policies.iter().any(|p| p.name == name) {
        return Err(ApiError::wrong_state(
            "A policy with this name already exists.",
        ));
    }
    let id = w.next_id();
    w.policies.push(Policy {
        id,
        name: name.to_owned(),
        preferred_carrier: req.preferred_carrier,
        least_preferred_carrier: req.least_preferred_carrier,
        optimal_signal: req.optimal_signal.unwrap_or(false),
        auto_switch: req.auto_switch.unwrap_or(false),
        weak_signal_switch: req.weak_signal_switch.unwrap_or(false),
        connect_ip: req.connect_ip.clone(),
        kind: 1,
        version: req.version,
        switch_order: req.switch_order.clone(),
        blacklist: req.blacklist,
        used: false,
        created: Utc::now(),
    });
    Ok(super::ack())
}

/// `GET /v1/sim-cards-multiply`.
pub async fn list_sim_device_multiply(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListSimDeviceMultiplyResponse>> {
    let page = q.page()?;
    let (online, sim, order, version) = (
        q.int("online_carrier")?,
        q.int("sim_card_id")?,
        q.int("order_id")?,
        q.int("version")?,
    );
    let cid = q.str("cid").filter(|s| !s.is_empty());
    let w = read(&state.world);
    let mut cards: Vec<u32> = w.multi.keys().copied().collect();
    cards.sort_unstable();
    let rows: Vec<SimDeviceMultiplyVO> = cards
        .into_iter()
        .filter_map(|i| {
            let m = w.multi.get(&i)?;
            let policy = w.policies.iter().find(|p| p.id == m.policy);
            let keep = online.is_none_or(|o| m.online_carrier == o)
                && sim.is_none_or(|s| sim_id(i) == s)
                && order.is_none_or(|o| w.order_id(i) == o)
                && version.is_none_or(|v| policy.is_some_and(|p| p.version == v))
                && cid.is_none_or(|c| w.iccid(i) == c);
            let iccid = w.iccid(i);
            keep.then(|| SimDeviceMultiplyVO {
                sim_card_id: Some(sim_id(i)),
                cid: Some(iccid.clone()),
                online_carrier: Some(m.online_carrier),
                network_switch_policy_id: Some(m.policy),
                policy_name: policy.map(|p| p.name.clone()),
                version: policy.map(|p| p.version),
                iccid_mobile: Some(format!("{}1", &iccid[..iccid.len() - 1])),
                iccid_unicom: Some(format!("{}3", &iccid[..iccid.len() - 1])),
                iccid_telcom: Some(format!("{}2", &iccid[..iccid.len() - 1])),
                order_id: Some(w.order_id(i)),
            })
        })
        .collect();
    Ok(Json(ListSimDeviceMultiplyResponse {
        limit: Some(page.limit),
        offset: Some(page.offset),
        count: Some(rows.len() as i64),
        sim_cards: Some(page.slice(&rows)),
    }))
}

/// Applies a change to a three-network card and records a work order.
fn change_multi(
    state: &AppState,
    operation: &'static str,
    sim_card_id: i64,
    kind: i64,
    what: &str,
    change: impl FnOnce(&mut crate::world::World, u32) -> ApiResult<()>,
) -> ApiResult<Json<WorkOrderCreated>> {
    let mut w = write(&state.world);
    let i = w.find_id(sim_card_id).ok_or_else(ApiError::no_such_sim)?;
    if !w.multi.contains_key(&i) {
        return Err(ApiError::wrong_state(
            "The SIM card is not a three-network card.",
        ));
    }
    change(&mut w, i)?;
    Ok(super::actions::record(
        state, &mut w, operation, i, kind, what,
    ))
}

/// `POST /v1/sim-cards/{id}/network-switch-policy/set`.
pub async fn set_network_switch_policy(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<NetworkSwitchPolicyReq>,
) -> ApiResult<Json<WorkOrderCreated>> {
    change_multi(
        &state,
        "set_network_switch_policy",
        id,
        24,
        "set network switch policy",
        |w, i| {
            if !w
                .policies
                .iter()
                .any(|p| p.id == req.network_switch_policy_id)
            {
                return Err(ApiError::not_found("network switch policy"));
            }
            if let Some(m) = w.multi.get_mut(&i) {
                m.policy = req.network_switch_policy_id;
            }
            Ok(())
        },
    )
}

/// `POST /v1/sim-cards-multiply/{id}/switch-network`: carrier 1 mobile, 2 telecom, 3 unicom.
pub async fn switch_network(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<NetworkSwitchReq>,
) -> ApiResult<Json<WorkOrderCreated>> {
    carrier(Some(req.carrier_type), "carrier_type", 3)?;
    change_multi(
        &state,
        "switch_network",
        id,
        25,
        "switch network",
        |w, i| {
            let m = w.multi.get_mut(&i).ok_or_else(ApiError::no_such_sim)?;
            if m.online_carrier == req.carrier_type {
                return Err(ApiError::wrong_state(
                    "The card is already on this carrier.",
                ));
            }
            m.online_carrier = req.carrier_type;
            let policy = m.policy;
            if let Some(p) = w.policies.iter_mut().find(|p| p.id == policy) {
                p.used = true;
            }
            Ok(())
        },
    )
}
