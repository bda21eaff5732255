//! SMS to cards: send (to listed cards or a whole batch) and the sending history.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use chrono::{Duration, Utc};
use hwcloud::gsl::{CreateSendSmsReq, ListSmsDetailsResponse, SmsSendDetailQueryVo};
use hwcloud::time::HwTime;
use serde_json::Value;

use super::{sim_id, time};
use crate::error::{ApiError, ApiResult};
use crate::params::{JsonBody, Params};
use crate::world::Sms;
use crate::world::sim::status;
use crate::{AppState, read, write};

/// Longest SMS text accepted.
const MAX_CONTENT: usize = 500;
/// Most recipients of one send.
const MAX_RECIPIENTS: usize = 5_000;

/// `POST /v1/sms-send-infos`.
pub async fn send_sms(
    State(state): State<Arc<AppState>>,
    JsonBody(req): JsonBody<CreateSendSmsReq>,
) -> ApiResult<Json<Value>> {
    let len = req.sms_content.chars().count();
    if len == 0 || len > MAX_CONTENT {
        return Err(ApiError::invalid(format!(
            "The SMS text has 1 to {MAX_CONTENT} characters."
        )));
    }
    let mut w = write(&state.world);
    let cards: Vec<u32> = match (req.cids.as_deref().filter(|c| !c.is_empty()), req.order_id) {
        (Some(cids), _) if cids.len() <= MAX_RECIPIENTS => cids
            .iter()
            .map(|c| w.find_iccid(c).ok_or_else(ApiError::no_such_sim))
            .collect::<ApiResult<_>>()?,
        (Some(_), _) => {
            return Err(ApiError::invalid(format!(
                "At most {MAX_RECIPIENTS} recipients."
            )));
        }
        (None, Some(order)) => {
            let n = u32::try_from(w.sims.len()).unwrap_or(u32::MAX);
            let cards: Vec<u32> = (0..n).filter(|i| w.order_id(*i) == order).collect();
            if cards.is_empty() {
                return Err(ApiError::invalid("No SIM cards in this batch."));
            }
            cards
        }
        (None, None) => return Err(ApiError::invalid("Give cids or order_id.")),
    };
    let now = Utc::now();
    for &i in &cards {
        let delivered = w.sims[i as usize].status == status::IN_USE;
        w.sms.push(Sms {
            sim: i,
            content: req.sms_content.clone(),
            sent: now,
            status: if delivered { 2 } else { 3 },
        });
    }
    drop(w);
    for i in cards {
        state.count_write("send_sms", sim_id(i));
    }
    Ok(super::ack())
}

/// `GET /v1/sms-send-infos/details`: newest first.
pub async fn list_sms_details(
    State(state): State<Arc<AppState>>,
    q: Params,
) -> ApiResult<Json<ListSmsDetailsResponse>> {
    let page = q.page()?;
    let parse = |key: &str| -> ApiResult<Option<chrono::DateTime<Utc>>> {
        q.str(key)
            .filter(|s| !s.is_empty())
            .map(|s| {
                HwTime(s.to_owned())
                    .to_utc()
                    .ok_or_else(|| ApiError::invalid(format!("Parameter {key} is not a time.")))
            })
            .transpose()
    };
    let (start, end) = (parse("start_time")?, parse("end_time")?);
    let cid = q.str("cid").filter(|s| !s.is_empty());
    let w = read(&state.world);
    let rows: Vec<SmsSendDetailQueryVo> = w
        .sms
        .iter()
        .rev()
        .filter(|s| cid.is_none_or(|c| w.iccid(s.sim) == c))
        .filter(|s| start.is_none_or(|t| s.sent >= t) && end.is_none_or(|t| s.sent <= t))
        .map(|s| SmsSendDetailQueryVo {
            cid: Some(w.iccid(s.sim)),
            msisdn: Some(w.msisdn(s.sim)),
            sent_time: Some(time(s.sent)),
            received_time: (s.status == 2).then(|| time(s.sent + Duration::seconds(2))),
            sms_status: Some(s.status),
            sms_content: Some(s.content.clone()),
        })
        .collect();
    Ok(Json(ListSmsDetailsResponse {
        limit: Some(page.limit),
        offset: Some(page.offset),
        count: Some(rows.len() as i64),
        sms_details: Some(page.slice(&rows)),
    }))
}
