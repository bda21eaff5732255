//! Actions on one card. Each checks the card's state, changes it, and records a work order.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;
use hwcloud::gsl::{
    CutNetReq, DownUpTimeForSimCardReq, ExceedCutNetReq, RegisterImeiReq, SetSpeedValueReq,
};
use serde::Serialize;

use super::{resolve, sim_id};
use crate::error::{ApiError, ApiResult};
use crate::params::{JsonBody, Params};
use crate::world::WorkOrderLine;
use crate::world::catalog::{PLANS, SPEED_VALUES};
use crate::world::sim::{SimCard, flag, status};
use crate::{AppState, write};

/// What every card action answers: the work order created.
#[derive(Debug, Serialize)]
pub struct WorkOrderCreated {
    /// The work order id.
    pub work_order_id: i64,
}

/// Work order source "user operation (API)".
const SOURCE_API: i64 = 8;

/// Resolves the card, applies `change`, records a work order and counts the write.
pub fn apply(
    state: &AppState,
    operation: &'static str,
    sim_card_id: i64,
    iccid: Option<&str>,
    kind: i64,
    what: &str,
    change: impl FnOnce(&mut SimCard, i32) -> ApiResult<()>,
) -> ApiResult<Json<WorkOrderCreated>> {
    let mut w = write(&state.world);
    let i = resolve(&w, sim_card_id, iccid)?;
    let today = w.today;
    change(&mut w.sims[i as usize], today)?;
    Ok(record(state, &mut w, operation, i, kind, what))
}

/// Records the work order of a successful action on card `i` and counts the write.
pub fn record(
    state: &AppState,
    w: &mut crate::world::World,
    operation: &'static str,
    i: u32,
    kind: i64,
    what: &str,
) -> Json<WorkOrderCreated> {
    let line = WorkOrderLine {
        id: 0,
        sim: i,
        status: 1,
        description: what.to_owned(),
    };
    let request = format!("{what}: {}", w.iccid(i));
    let id = w.push_work_order(kind, request, SOURCE_API, Utc::now(), vec![line]);
    state.count_write(operation, sim_id(i));
    Json(WorkOrderCreated { work_order_id: id })
}

fn not_dismantled(card: &SimCard) -> ApiResult<()> {
    if card.status == status::DISMANTLED {
        return Err(ApiError::wrong_state("The SIM card has been dismantled."));
    }
    Ok(())
}

/// `POST /v1/sim-cards/{id}/enable`: activate a testable, inactive or activatable card.
pub async fn enable_sim_card(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    q: Params,
) -> ApiResult<Json<WorkOrderCreated>> {
    apply(
        &state,
        "enable_sim_card",
        id,
        q.str("iccid"),
        10,
        "activate",
        |card, today| {
            not_dismantled(card)?;
            if !matches!(
                card.status,
                status::TESTABLE | status::INACTIVE | status::ACTIVATABLE
            ) {
                return Err(ApiError::wrong_state(
                    "Only a testable, inactive or activatable SIM card can be activated.",
                ));
            }
            card.status = status::IN_USE;
            if card.act_day == 0 {
                card.act_day = today;
                card.expire_day = today + 365;
            }
            Ok(())
        },
    )
}

/// `POST /v1/sim-cards/{id}/stop`: stop a card in use.
pub async fn stop_sim_card(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<DownUpTimeForSimCardReq>,
) -> ApiResult<Json<WorkOrderCreated>> {
    apply(
        &state,
        "stop_sim_card",
        id,
        req.iccid.as_deref(),
        5,
        "stop",
        |card, _| {
            not_dismantled(card)?;
            match card.status {
                status::STOPPED => Err(ApiError::wrong_state("The SIM card is already stopped.")),
                status::IN_USE => {
                    card.status = status::STOPPED;
                    card.operator_status = 5;
                    Ok(())
                }
                _ => Err(ApiError::wrong_state(
                    "Only a SIM card in use can be stopped.",
                )),
            }
        },
    )
}

/// `POST /v1/sim-cards/{id}/reset`: resume a stopped card.
pub async fn reset_sim_card(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<DownUpTimeForSimCardReq>,
) -> ApiResult<Json<WorkOrderCreated>> {
    apply(
        &state,
        "reset_sim_card",
        id,
        req.iccid.as_deref(),
        4,
        "resume",
        |card, _| {
            not_dismantled(card)?;
            if card.status != status::STOPPED {
                return Err(ApiError::wrong_state(
                    "Only a stopped SIM card can be resumed.",
                ));
            }
            card.status = status::IN_USE;
            card.operator_status = -1;
            Ok(())
        },
    )
}

/// `POST /v1/sim-cards/{id}/cut-net`: `ADD` cuts the network, `DEL` restores it.
pub async fn start_stop_net(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<CutNetReq>,
) -> ApiResult<Json<WorkOrderCreated>> {
    let cut = match req.action.as_str() {
        "ADD" => true,
        "DEL" => false,
        _ => return Err(ApiError::invalid("Parameter action must be ADD or DEL.")),
    };
    let (kind, what) = if cut {
        (11, "cut network")
    } else {
        (20, "restore network")
    };
    apply(
        &state,
        "start_stop_net",
        id,
        req.iccid.as_deref(),
        kind,
        what,
        |card, _| {
            not_dismantled(card)?;
            if cut && card.status != status::IN_USE {
                return Err(ApiError::wrong_state(
                    "Only a SIM card in use can have its network cut.",
                ));
            }
            if card.has(flag::CUT_NET) == cut {
                return Err(ApiError::wrong_state(if cut {
                    "The network is already cut."
                } else {
                    "The network is not cut."
                }));
            }
            card.set(flag::CUT_NET, cut);
            Ok(())
        },
    )
}

/// `POST /v1/sim-cards/{id}/exceed-cut-net`: action 1 sets a quota (MB; 0 or -1 allowed), 2 cancels it.
pub async fn set_exceed_cut_net(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<ExceedCutNetReq>,
) -> ApiResult<Json<WorkOrderCreated>> {
    let quota = match req.action {
        1 => {
            let raw = req
                .quota
                .as_deref()
                .ok_or_else(|| ApiError::invalid("Parameter quota is required to set a quota."))?;
            let q: i32 = raw.parse().map_err(|_| {
                ApiError::invalid("Parameter quota must be 0, -1 or a positive whole number of MB.")
            })?;
            if q < -1 {
                return Err(ApiError::invalid(
                    "Parameter quota must be 0, -1 or a positive whole number of MB.",
                ));
            }
            Some(q)
        }
        2 => None,
        _ => {
            return Err(ApiError::invalid(
                "Parameter action must be 1 (set) or 2 (cancel).",
            ));
        }
    };
    let (kind, what) = if quota.is_some() {
        (12, "set exceed cut-net")
    } else {
        (21, "cancel exceed cut-net")
    };
    apply(
        &state,
        "set_exceed_cut_net",
        id,
        req.iccid.as_deref(),
        kind,
        what,
        |card, _| {
            not_dismantled(card)?;
            match quota {
                Some(q) => {
                    card.set(flag::EXCEED_CUT_NET, true);
                    card.exceed_quota = q;
                }
                None if !card.has(flag::EXCEED_CUT_NET) => {
                    return Err(ApiError::wrong_state("No exceed cut-net quota is set."));
                }
                None => {
                    card.set(flag::EXCEED_CUT_NET, false);
                    card.exceed_quota = -1;
                }
            }
            Ok(())
        },
    )
}

/// `POST /v1/sim-cards/{id}/speed-limit`: a carrier-supported rate in Kbps, or -1 for none.
pub async fn set_speed_value(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<SetSpeedValueReq>,
) -> ApiResult<Json<WorkOrderCreated>> {
    if !SPEED_VALUES.contains(&req.speed_value) {
        return Err(ApiError::invalid(format!(
            "Parameter speed_value {} is not a supported rate (Kbps: -1, 1, 64, 128, 256, 512, 1024, 3072, ... 153600).",
            req.speed_value
        )));
    }
    let value = i32::try_from(req.speed_value).unwrap_or(-1);
    apply(
        &state,
        "set_speed_value",
        id,
        req.iccid.as_deref(),
        15,
        "speed limit",
        |card, _| {
            not_dismantled(card)?;
            card.speed_value = value;
            Ok(())
        },
    )
}

/// `POST /v1/sim-cards/{id}/bind-device`: rebind the IMEI (China Telecom cards, limited times per month).
pub async fn register_imei(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    JsonBody(req): JsonBody<RegisterImeiReq>,
) -> ApiResult<Json<WorkOrderCreated>> {
    if !matches!(req.bind_type, 1 | 2) {
        return Err(ApiError::invalid(
            "Parameter bind_type must be 1 (normal) or 2 (fixed).",
        ));
    }
    let imei = match req.imei.as_deref().filter(|s| !s.is_empty()) {
        Some(s) if s.len() == 15 && s.bytes().all(|b| b.is_ascii_digit()) => s.parse::<u64>().ok(),
        Some(_) => return Err(ApiError::invalid("An IMEI is 15 digits.")),
        None => None,
    };
    apply(
        &state,
        "register_imei",
        id,
        req.iccid.as_deref(),
        13,
        "IMEI rebind",
        |card, _| {
            not_dismantled(card)?;
            if PLANS[usize::from(card.plan)].carrier != 2 {
                return Err(ApiError::wrong_state(
                    "IMEI rebinding is only supported for China Telecom cards.",
                ));
            }
            if card.imei_bind_remain == 0 {
                return Err(ApiError::wrong_state(
                    "No IMEI rebinds are left this month.",
                ));
            }
            card.imei_bind_remain -= 1;
            card.imei = imei.unwrap_or(0);
            Ok(())
        },
    )
}

/// `POST /v1/sim-cards/{id}/clear-real-name`.
pub async fn delete_real_name(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    q: Params,
) -> ApiResult<Json<WorkOrderCreated>> {
    apply(
        &state,
        "delete_real_name",
        id,
        q.str("iccid"),
        14,
        "clear real-name",
        |card, _| {
            not_dismantled(card)?;
            card.set(flag::REAL_NAMED, false);
            Ok(())
        },
    )
}
