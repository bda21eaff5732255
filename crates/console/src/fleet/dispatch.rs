//! Carrying out an action upstream: the GSL call for one card, or one batch call for many.
//! Shared by single actions and bulk jobs; recording (audit, job lines) is the caller's part.

use hwcloud::gsl::{
    AttributeReq, BatchSetAttributesReq, BatchSetAttributesRequest, BatchSetTagsReq, BatchSetTagsRequest, CreateSendSmsReq,
    CutNetReq, DeleteRealNameRequest, DownUpTimeForSimCardReq, EnableSimCardRequest, ExceedCutNetReq, NetworkSwitchPolicyReq,
    NetworkSwitchReq, RegisterImeiReq, RegisterImeiRequest, ResetSimCardRequest, SendSmsRequest, SetExceedCutNetRequest,
    SetNetworkSwitchPolicyRequest, SetSpeedValueReq, SetSpeedValueRequest, StartStopNetRequest, StopSimCardRequest,
    SwitchNetworkRequest,
};
use hwcloud::{Client, Identity, Operation, Response};
use model::action::SimAction;

/// What GSL answered to an accepted action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The work order GSL created, when it reports one.
    pub work_order_id: Option<i64>,
    /// Huawei's request id.
    pub request_id: Option<String>,
}

/// A card an action is sent for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// GSL card id.
    pub sim_card_id: i64,
    /// ICCID (batch operations and SMS address cards by it).
    pub iccid: String,
}

async fn with_order<O: Operation>(
    client: &Client,
    who: &Identity,
    op: O,
    order: impl Fn(&O::Output) -> Option<i64>,
) -> Result<Accepted, hwcloud::Error> {
    let Response { value, request_id } = client.call(who, &op).await?;
    Ok(Accepted { work_order_id: order(&value), request_id })
}

async fn ack<O: Operation>(client: &Client, who: &Identity, op: O) -> Result<Accepted, hwcloud::Error> {
    let resp = client.call(who, &op).await?;
    Ok(Accepted { work_order_id: None, request_id: resp.request_id })
}

/// Sends `action` for the cards in `targets` in one call: every action takes one card, except the
/// batch operations (tags, attributes, SMS) which take up to 500.
pub async fn send(client: &Client, who: &Identity, action: &SimAction, targets: &[Target]) -> Result<Accepted, hwcloud::Error> {
    let id = targets.first().map_or(0, |t| t.sim_card_id);
    match action {
        SimAction::Activate => {
            with_order(client, who, EnableSimCardRequest { sim_card_id: id, iccid: None }, |o| o.work_order_id).await
        }
        SimAction::Stop => {
            let body = DownUpTimeForSimCardReq::default();
            with_order(client, who, StopSimCardRequest { sim_card_id: id, body }, |o| o.work_order_id).await
        }
        SimAction::Resume => {
            let body = DownUpTimeForSimCardReq::default();
            with_order(client, who, ResetSimCardRequest { sim_card_id: id, body }, |o| o.work_order_id).await
        }
        SimAction::CutNet | SimAction::RestoreNet => {
            let action = if matches!(action, SimAction::CutNet) { "ADD" } else { "DEL" };
            let body = CutNetReq { action: action.to_owned(), iccid: None };
            with_order(client, who, StartStopNetRequest { sim_card_id: id, body }, |o| o.work_order_id).await
        }
        SimAction::SetExceedCutNet { quota_mb } => {
            let body = ExceedCutNetReq { action: 1, quota: Some(quota_mb.to_string()), iccid: None };
            with_order(client, who, SetExceedCutNetRequest { sim_card_id: id, body }, |o| o.work_order_id).await
        }
        SimAction::CancelExceedCutNet => {
            let body = ExceedCutNetReq { action: 2, quota: None, iccid: None };
            with_order(client, who, SetExceedCutNetRequest { sim_card_id: id, body }, |o| o.work_order_id).await
        }
        SimAction::SetSpeedLimit { kbps } => {
            let body = SetSpeedValueReq { speed_value: *kbps, iccid: None };
            with_order(client, who, SetSpeedValueRequest { sim_card_id: id, body }, |o| o.work_order_id).await
        }
        SimAction::RebindImei { imei, fixed } => {
            let body = RegisterImeiReq { bind_type: if *fixed { 2 } else { 1 }, imei: imei.clone(), iccid: None };
            with_order(client, who, RegisterImeiRequest { sim_card_id: id, body }, |o| o.work_order_id).await
        }
        SimAction::ClearRealName => {
            with_order(client, who, DeleteRealNameRequest { sim_card_id: id, iccid: None }, |o| o.work_order_id).await
        }
        SimAction::SetSwitchPolicy { policy_id } => {
            let body = NetworkSwitchPolicyReq { cid: None, network_switch_policy_id: *policy_id };
            with_order(client, who, SetNetworkSwitchPolicyRequest { sim_card_id: id, body }, |o| o.work_order_id).await
        }
        SimAction::SwitchNetwork { carrier } => {
            let body = NetworkSwitchReq { cid: None, carrier_type: *carrier };
            with_order(client, who, SwitchNetworkRequest { sim_card_id: id, body }, |o| o.work_order_id).await
        }
        SimAction::SetTags { tag_ids } => {
            let body = BatchSetTagsReq {
                sim_card_ids: Some(targets.iter().map(|t| t.sim_card_id).collect()),
                tag_ids: Some(tag_ids.clone()),
                ..BatchSetTagsReq::default()
            };
            ack(client, who, BatchSetTagsRequest { body }).await
        }
        SimAction::SetAttributes { values } => {
            let [a1, a2, a3, a4, a5, a6] = values.clone();
            let attributes = targets
                .iter()
                .map(|t| AttributeReq {
                    sim_card_id: t.sim_card_id,
                    iccid: None,
                    customer_attribute1: a1.clone(),
                    customer_attribute2: a2.clone(),
                    customer_attribute3: a3.clone(),
                    customer_attribute4: a4.clone(),
                    customer_attribute5: a5.clone(),
                    customer_attribute6: a6.clone(),
                })
                .collect();
            let body = BatchSetAttributesReq { attributes: Some(attributes), file_temp_id: None };
            ack(client, who, BatchSetAttributesRequest { body }).await
        }
        SimAction::SendSms { text } => {
            let body = CreateSendSmsReq {
                sms_content: text.clone(),
                cids: Some(targets.iter().map(|t| t.iccid.clone()).collect()),
                ..CreateSendSmsReq::default()
            };
            ack(client, who, SendSmsRequest { body }).await
        }
    }
}
