//! Yearly/monthly subscriptions: the resource list, renewal quotes and prices, renewal,
//! auto-renew, renewal settings, unsubscription and the switch to pay-per-use.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use hwcloud::bss::{
    AutoRenewalResourcesReq, CancelResourcesSubscriptionResponse, EnterpriseProject, ErrorDetail,
    FailResourceInfo, ListPayPerUseCustomerResourcesResponse, ListRateOnPeriodDetailResponse,
    ListRenewRateOnPeriodReq, ListRenewRateOnPeriodResponse, OfficialWebsiteRatingResult,
    OfficialWebsiteRatingResultV2, OrderInstanceV2, PeriodProductOfficialRatingResult,
    PeriodToOnDemandInstantlyReq, PeriodToOnDemandReq, QueryResourcesReq, RateOnPeriodReq,
    RenewInquiryResultInfo, RenewResourceConfigReq, RenewalResourcesReq, RenewalResourcesResponse,
    SetResourcesRenewConfigResponse, ToOndemandServiceResult, UnsubscribeResourcesReq,
    UpdatePeriodToOnDemandInstantlyResponse, UpdatePeriodToOnDemandResponse,
};

use super::{Body, RecordPage, count, done, invalid, parse_utc, refused, utc, yuan};
use crate::error::ApiResult;
use crate::world::billing::{Refusal, Resource, expire_policy, list_price, period_months};
use crate::world::ledger::SERVICES;
use crate::{AppState, read, write};

fn instance(r: &Resource, now: chrono::DateTime<Utc>) -> OrderInstanceV2 {
    let s = &SERVICES[r.service];
    OrderInstanceV2 {
        id: Some(r.id.clone()),
        resource_id: Some(r.id.clone()),
        resource_name: Some(r.name.clone()),
        region_code: Some(r.region.into()),
        service_type_code: Some(s.code.into()),
        resource_type_code: Some(s.resource_type.into()),
        resource_type_name: Some(s.resource_name.into()),
        service_type_name: Some(s.name.into()),
        resource_spec_code: Some(r.spec.split(' ').next().unwrap_or_default().into()),
        project_id: Some("0".into()),
        product_id: Some(r.product_id.clone()),
        parent_resource_id: r.master.clone(),
        is_main_resource: Some(i64::from(r.master.is_none())),
        status: Some(r.status(now)),
        effective_time: Some(utc(r.effective)),
        expire_time: Some(utc(r.expire)),
        expire_policy: Some(r.expire_policy),
        product_spec_desc: Some(r.spec.clone()),
        spec_size: None,
        spec_size_measure_id: None,
        update_time: Some(utc(r.effective)),
        enterprise_project: Some(EnterpriseProject {
            id: Some("0".into()),
            name: Some("default".into()),
        }),
    }
}

fn fail(id: &str, why: &Refusal) -> FailResourceInfo {
    FailResourceInfo {
        error_code: Some(why.code.into()),
        error_msg: Some(why.msg.clone()),
        resource_id: Some(id.into()),
    }
}

fn ids_between(ids: &[String], max: usize) -> ApiResult<()> {
    if ids.is_empty() || ids.len() > max || ids.iter().any(String::is_empty) {
        return Err(invalid(format!(
            "resource_ids holds 1 to {max} resource ids."
        )));
    }
    Ok(())
}

/// `POST /v2/orders/suscriptions/resources/query`: yearly/monthly resources, soonest expiry first.
pub async fn list_pay_per_use_customer_resources(
    State(state): State<Arc<AppState>>,
    Body(req): Body<QueryResourcesReq>,
) -> ApiResult<Json<ListPayPerUseCustomerResourcesResponse>> {
    let page = RecordPage::of(req.offset, req.limit, 500)?;
    let begin = req
        .expire_time_begin
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| parse_utc(s, "expire_time_begin"))
        .transpose()?;
    let end = req
        .expire_time_end
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| parse_utc(s, "expire_time_end"))
        .transpose()?;
    let main_only = match req.only_main_resource {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(invalid("only_main_resource is 0 or 1.")),
    };
    if req
        .status_list
        .as_ref()
        .is_some_and(|l| l.iter().any(|s| ![2, 3, 4, 5].contains(s)))
    {
        return Err(invalid(
            "status_list holds 2 (in use), 3 (closed), 4 (frozen) and 5 (expired).",
        ));
    }
    if req.resource_ids.as_ref().is_some_and(|l| l.len() > 50) {
        return Err(invalid("resource_ids holds at most 50 ids."));
    }
    let statuses = req.status_list.clone().filter(|l| !l.is_empty());
    let now = Utc::now();
    let w = read(&state.world);
    // Asking for a master (without only_main_resource) brings its slaves along.
    let asked = |r: &Resource| {
        req.resource_ids.as_ref().is_none_or(|ids| {
            ids.is_empty()
                || ids.contains(&r.id)
                || (!main_only && r.master.as_ref().is_some_and(|m| ids.contains(m)))
        })
    };
    let in_order = |r: &Resource| {
        req.order_id.as_ref().is_none_or(|o| {
            o.is_empty()
                || &r.order_id == o
                || w.billing
                    .order(o)
                    .is_some_and(|order| order.lines.iter().any(|l| l.resource_id == r.id))
        })
    };
    let mut rows: Vec<&Resource> = w
        .billing
        .resources
        .iter()
        .filter(|r| statuses.as_ref().is_none_or(|l| l.contains(&r.status(now))))
        .filter(|r| {
            asked(r)
                && (!main_only
                    || r.master.is_none()
                    || req
                        .resource_ids
                        .as_ref()
                        .is_some_and(|ids| ids.contains(&r.id)))
        })
        .filter(|r| in_order(r))
        .filter(|r| {
            req.service_type_code
                .as_ref()
                .is_none_or(|s| s.is_empty() || SERVICES[r.service].code == s)
        })
        .filter(|r| begin.is_none_or(|b| r.expire >= b) && end.is_none_or(|e| r.expire <= e))
        .collect();
    rows.sort_by(|a, b| a.expire.cmp(&b.expire).then_with(|| a.id.cmp(&b.id)));
    let data = page
        .slice(&rows)
        .into_iter()
        .map(|r| instance(r, now))
        .collect();
    Ok(Json(ListPayPerUseCustomerResourcesResponse {
        data: Some(data),
        total_count: count(rows.len()),
    }))
}

/// `POST /v2/bills/ratings/period-resources/renew-rate`: what renewing would cost.
pub async fn list_renew_rate_on_period(
    State(state): State<Arc<AppState>>,
    Body(req): Body<ListRenewRateOnPeriodReq>,
) -> ApiResult<Json<ListRenewRateOnPeriodResponse>> {
    ids_between(&req.resource_ids, 100)?;
    let months = period_months(req.period_type, req.period_num).map_err(refused)?;
    let with_slaves = req.include_relative_resources.unwrap_or(true);
    let w = read(&state.world);
    let mut results = Vec::new();
    let mut failed = Vec::new();
    let mut total = 0;
    for id in &req.resource_ids {
        // A quote is still possible while a renewal waits for payment.
        match w
            .billing
            .renewal_refusal(id)
            .filter(|why| why.code != "CBC.30050010")
        {
            Some(why) => failed.push(fail(id, &why)),
            None => {
                for r in w
                    .billing
                    .group_of(id)
                    .into_iter()
                    .filter(|r| with_slaves || r.master.is_none())
                {
                    let fen = crate::world::billing::period_price(r.monthly_fen, months);
                    total += fen;
                    results.push(RenewInquiryResultInfo {
                        resource_id: Some(r.id.clone()),
                        amount: Some(yuan(fen)),
                    });
                }
            }
        }
    }
    if results.is_empty()
        && let Some(first) = failed.first()
    {
        let code = w
            .billing
            .renewal_refusal(first.resource_id.as_deref().unwrap_or_default())
            .map(|r| r.code)
            .unwrap_or("CBC.0100");
        return Err(crate::error::ApiError::new(
            StatusCode::BAD_REQUEST,
            code,
            first.error_msg.clone().unwrap_or_default(),
        ));
    }
    Ok(Json(ListRenewRateOnPeriodResponse {
        currency: Some("CNY".into()),
        renew_inquiry_results: Some(results),
        official_website_rating_result: Some(OfficialWebsiteRatingResultV2 {
            official_website_amount: Some(yuan(total)),
            installment_official_website_amount: None,
            installment_period_type: None,
        }),
        optional_discount_rating_results: Some(Vec::new()),
        fail_resource_infos: Some(failed),
    }))
}

/// `POST /v2/bills/ratings/period-resources/subscribe-rate`: list prices for new subscriptions.
pub async fn list_rate_on_period_detail(
    State(_): State<Arc<AppState>>,
    Body(req): Body<RateOnPeriodReq>,
) -> ApiResult<Json<ListRateOnPeriodDetailResponse>> {
    if req.project_id.is_empty() {
        return Err(invalid("project_id is required."));
    }
    if req.product_infos.is_empty() || req.product_infos.len() > 100 {
        return Err(invalid("product_infos holds 1 to 100 products."));
    }
    let mut results = Vec::new();
    let mut total = 0;
    for p in &req.product_infos {
        let months = period_months(p.period_type, p.period_num).map_err(refused)?;
        if !(1..=100).contains(&p.subscription_num) {
            return Err(invalid("subscription_num is between 1 and 100."));
        }
        let monthly = list_price(&p.cloud_service_type, &p.resource_spec).ok_or_else(|| {
            invalid(format!(
                "resource_spec {} of {} has no price.",
                p.resource_spec, p.cloud_service_type
            ))
        })?;
        let size = p.resource_size.unwrap_or(1).max(1);
        let fen = crate::world::billing::period_price(monthly, months) * p.subscription_num * size;
        total += fen;
        results.push(PeriodProductOfficialRatingResult {
            id: Some(p.id.clone()),
            product_id: Some(format!("OFFI-{}", p.resource_spec)),
            official_website_amount: Some(yuan(fen)),
            measure_id: Some(1),
            installment_official_website_amount: None,
            installment_period_type: None,
        });
    }
    Ok(Json(ListRateOnPeriodDetailResponse {
        official_website_rating_result: Some(OfficialWebsiteRatingResult {
            official_website_amount: Some(yuan(total)),
            installment_official_website_amount: None,
            installment_period_type: None,
            measure_id: Some(1),
            product_rating_results: Some(results),
        }),
        optional_discount_rating_results: Some(Vec::new()),
        currency: Some("CNY".into()),
    }))
}

/// `POST /v2/orders/subscriptions/resources/renew`: renews masters with their slaves in one order.
pub async fn renewal_resources(
    State(state): State<Arc<AppState>>,
    Body(req): Body<RenewalResourcesReq>,
) -> ApiResult<Json<RenewalResourcesResponse>> {
    ids_between(&req.resource_ids, 100)?;
    let auto_pay = match req.is_auto_pay {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => return Err(invalid("is_auto_pay is 0 or 1.")),
    };
    let mut guard = write(&state.world);
    let w = &mut *guard;
    let out = w
        .billing
        .renew(
            &mut w.ledger,
            &req.resource_ids,
            req.period_type,
            req.period_num,
            auto_pay,
            Utc::now(),
        )
        .map_err(refused)?;
    Ok(Json(RenewalResourcesResponse {
        order_ids: Some(out.order_ids),
        fail_resource_infos: Some(out.failed.iter().map(|(id, why)| fail(id, why)).collect()),
    }))
}

/// `POST /v2/orders/subscriptions/resources/autorenew/{resource_id}`: turns auto-renew on.
pub async fn auto_renewal_resources(
    State(state): State<Arc<AppState>>,
    Path(resource_id): Path<String>,
    Body(req): Body<AutoRenewalResourcesReq>,
) -> ApiResult<StatusCode> {
    if let Some(t) = req.auto_renew_times
        && !(0..=99).contains(&t)
    {
        return Err(invalid("auto_renew_times is between 0 and 99."));
    }
    if let Some(p) = req.period_type.as_deref()
        && !p.is_empty()
        && p != "MONTH"
        && p != "YEAR"
    {
        return Err(invalid("period_type is MONTH or YEAR."));
    }
    write(&state.world)
        .billing
        .set_expire_policy(
            &resource_id,
            expire_policy::AUTO_RENEW,
            req.auto_renew_times,
        )
        .map_err(refused)?;
    Ok(done())
}

/// `DELETE /v2/orders/subscriptions/resources/autorenew/{resource_id}`: turns auto-renew off.
pub async fn cancel_auto_renewal_resources(
    State(state): State<Arc<AppState>>,
    Path(resource_id): Path<String>,
) -> ApiResult<StatusCode> {
    write(&state.world)
        .billing
        .set_expire_policy(&resource_id, expire_policy::GRACE, None)
        .map_err(refused)?;
    Ok(done())
}

/// `POST /v2/orders/subscriptions/resources/renew/config`: auto-renew charge day or common expiry day.
pub async fn set_resources_renew_config(
    State(state): State<Arc<AppState>>,
    Body(req): Body<RenewResourceConfigReq>,
) -> ApiResult<Json<SetResourcesRenewConfigResponse>> {
    let value: i64 = req
        .config_value
        .parse()
        .map_err(|_| invalid("config_value is a number."))?;
    let mut w = write(&state.world);
    match req.config_name.as_str() {
        "DEDUCTION_DATE" if (2..=7).contains(&value) => {
            w.billing.renew_config.deduction_days = value
        }
        "DEDUCTION_DATE" => return Err(invalid("DEDUCTION_DATE is 2 to 7 days before expiry.")),
        "EXPIRE_DATE" if (1..=28).contains(&value) || value == -1 => {
            w.billing.renew_config.expire_day = Some(value)
        }
        "EXPIRE_DATE" => {
            return Err(invalid(
                "EXPIRE_DATE is a day 1 to 28, or -1 for the last day of the month.",
            ));
        }
        _ => return Err(invalid("config_name is DEDUCTION_DATE or EXPIRE_DATE.")),
    }
    Ok(Json(SetResourcesRenewConfigResponse {
        error_code: None,
        error_msg: None,
    }))
}

/// `POST /v2/orders/subscriptions/resources/unsubscribe`: unsubscribes masters and refunds them.
pub async fn cancel_resources_subscription(
    State(state): State<Arc<AppState>>,
    Body(req): Body<UnsubscribeResourcesReq>,
) -> ApiResult<Json<CancelResourcesSubscriptionResponse>> {
    ids_between(&req.resource_ids, 10)?;
    let whole = match req.unsubscribe_type {
        1 => true,
        2 => false,
        _ => {
            return Err(invalid(
                "unsubscribe_type is 1 (the resource and its renewals) or 2 (only its renewals).",
            ));
        }
    };
    if let Some(t) = req.unsubscribe_reason_type
        && !(1..=5).contains(&t)
    {
        return Err(invalid("unsubscribe_reason_type is 1 to 5."));
    }
    let mut guard = write(&state.world);
    let w = &mut *guard;
    let out = w
        .billing
        .unsubscribe(&mut w.ledger, &req.resource_ids, whole, Utc::now())
        .map_err(refused)?;
    if out.order_ids.is_empty()
        && let Some((_, why)) = out.failed.first()
    {
        return Err(refused(why.clone()));
    }
    Ok(Json(CancelResourcesSubscriptionResponse {
        order_ids: Some(out.order_ids),
        fail_resource_infos: Some(out.failed.iter().map(|(id, why)| fail(id, why)).collect()),
    }))
}

/// `POST /v2/orders/subscriptions/resources/to-on-demand`: at expiry, become pay-per-use (or not).
pub async fn update_period_to_on_demand(
    State(state): State<Arc<AppState>>,
    Body(req): Body<PeriodToOnDemandReq>,
) -> ApiResult<Json<UpdatePeriodToOnDemandResponse>> {
    ids_between(&req.resource_ids, 100)?;
    let policy = match req.operation.as_str() {
        "SET_UP" => expire_policy::TO_ON_DEMAND,
        "CANCEL" => expire_policy::GRACE,
        _ => return Err(invalid("operation is SET_UP or CANCEL.")),
    };
    let mut w = write(&state.world);
    let errors: Vec<ErrorDetail> = req
        .resource_ids
        .iter()
        .filter_map(|id| {
            w.billing
                .set_expire_policy(id, policy, None)
                .err()
                .map(|why| ErrorDetail {
                    error_code: Some(why.code.into()),
                    error_msg: Some(why.msg),
                    id: Some(id.clone()),
                })
        })
        .collect();
    Ok(Json(UpdatePeriodToOnDemandResponse {
        error_details: Some(errors),
    }))
}

/// `POST /v2/orders/subscriptions/resources/to-on-demand/instantly`: pay-per-use from now on,
/// refunding what is left of the paid period.
pub async fn update_period_to_on_demand_instantly(
    State(state): State<Arc<AppState>>,
    Body(req): Body<PeriodToOnDemandInstantlyReq>,
) -> ApiResult<Json<UpdatePeriodToOnDemandInstantlyResponse>> {
    ids_between(&req.resource_ids, 100)?;
    let mut guard = write(&state.world);
    let w = &mut *guard;
    let now = Utc::now();
    let results = req
        .resource_ids
        .iter()
        .map(
            |id| match w.billing.to_on_demand_now(&mut w.ledger, id, now) {
                Ok(order) => ToOndemandServiceResult {
                    resource_id: Some(id.clone()),
                    result: Some("SUCCESS".into()),
                    error_code: None,
                    error_msg: None,
                    order_id: Some(order),
                },
                Err(why) => ToOndemandServiceResult {
                    resource_id: Some(id.clone()),
                    result: Some("FAIL".into()),
                    error_code: Some(why.code.into()),
                    error_msg: Some(why.msg),
                    order_id: None,
                },
            },
        )
        .collect();
    Ok(Json(UpdatePeriodToOnDemandInstantlyResponse {
        to_ondemand_service_results: Some(results),
    }))
}
