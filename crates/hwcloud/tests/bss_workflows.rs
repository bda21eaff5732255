//! BSS v2 through the typed client against the sandbox over real HTTP: every operation the
//! finance console uses, the money workflows (renew, pay, cancel, unsubscribe, transfer) read back
//! to the fen, the refusals with their CBC codes, and writes never repeated by the client.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{Counters, TestApp, cycle_now};
use futures::TryStreamExt;
use hwcloud::Error;
use hwcloud::Identity;
use hwcloud::bss::*;
use rust_decimal::Decimal;
use serde_json::json;

/// The 43 operations issue 5 lists.
const LISTED: [&str; 43] = [
    "show_customer_account_balances",
    "list_customer_account_change_records",
    "list_stored_value_cards",
    "show_customer_monthly_sum",
    "list_customer_bills_fee_records",
    "list_customerself_resource_records",
    "list_customerself_resource_record_details",
    "list_customer_bills_monthly_break_down",
    "list_costs",
    "list_customer_orders",
    "show_customer_order_details",
    "pay_orders",
    "cancel_customer_order",
    "list_order_coupons_by_order_id",
    "list_order_discounts",
    "show_refund_order_details",
    "list_pay_per_use_customer_resources",
    "list_renew_rate_on_period",
    "list_rate_on_period_detail",
    "renewal_resources",
    "auto_renewal_resources",
    "cancel_auto_renewal_resources",
    "set_resources_renew_config",
    "cancel_resources_subscription",
    "update_period_to_on_demand",
    "update_period_to_on_demand_instantly",
    "list_sub_customer_coupons",
    "list_customer_coupon_change_records",
    "list_free_resource_infos",
    "list_free_resource_usages",
    "list_free_resources_usage_records",
    "list_measure_units",
    "list_conversions",
    "list_service_types",
    "list_resource_types",
    "list_usage_types",
    "list_enterprise_sub_customers",
    "list_enterprise_organizations",
    "show_multi_account_transfer_amount",
    "update_sub_enterprise_amount",
    "list_enterprise_multi_account",
    "reclaim_sub_enterprise_amount",
    "send_sms_verification_code",
];

fn yuan(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("UTC time")
        .with_timezone(&Utc)
}

/// Every yearly/monthly resource, read through the paginator (0-based record offset).
async fn resources(app: &TestApp, who: &Identity) -> Vec<OrderInstanceV2> {
    let req = ListPayPerUseCustomerResourcesRequest {
        body: QueryResourcesReq {
            limit: Some(7),
            ..Default::default()
        },
    };
    app.client
        .pages(who, req)
        .try_collect()
        .await
        .expect("resources")
}

async fn balances(app: &TestApp, who: &Identity) -> (Decimal, Decimal) {
    let b = app
        .client
        .call(who, &ShowCustomerAccountBalancesRequest::default())
        .await
        .expect("balances")
        .value;
    let accounts = b.account_balances.unwrap_or_default();
    let of = |kind: i64| {
        accounts
            .iter()
            .find(|a| a.account_type == Some(kind))
            .and_then(|a| a.amount)
            .expect("balance")
    };
    (of(1), of(2))
}

async fn this_cycle_paid(app: &TestApp, who: &Identity) -> (Decimal, Decimal) {
    let req = ShowCustomerMonthlySumRequest {
        bill_cycle: cycle_now(),
        limit: Some(100),
        ..Default::default()
    };
    let sum = app.client.call(who, &req).await.expect("monthly sum").value;
    let rows = sum.bill_sums.unwrap_or_default();
    let consumed: Decimal = rows.iter().filter_map(|r| r.consume_amount).sum();
    let from_balances: Decimal = rows
        .iter()
        .map(|r| r.cash_amount.unwrap_or_default() + r.credit_amount.unwrap_or_default())
        .sum();
    assert_eq!(
        sum.consume_amount,
        Some(consumed),
        "rows add up to the total"
    );
    (consumed, from_balances)
}

async fn order(app: &TestApp, who: &Identity, id: &str) -> ShowCustomerOrderDetailsResponse {
    let req = ShowCustomerOrderDetailsRequest {
        order_id: id.into(),
        limit: Some(100),
        ..Default::default()
    };
    app.client
        .call(who, &req)
        .await
        .expect("order details")
        .value
}

async fn held(app: &TestApp, who: &Identity, member: &str) -> Decimal {
    let req = ListEnterpriseMultiAccountRequest {
        sub_customer_id: member.into(),
        balance_type: "BALANCE_TYPE_DEBIT".into(),
        ..Default::default()
    };
    app.client
        .call(who, &req)
        .await
        .expect("held")
        .value
        .amount_infos
        .unwrap_or_default()[0]
        .avail_retrieve_amount
        .expect("amount")
}

fn status_of(list: &[OrderInstanceV2], id: &str) -> Option<i64> {
    list.iter()
        .find(|r| r.resource_id.as_deref() == Some(id))
        .and_then(|r| r.status)
}

/// The type `pay_orders` names a coupon by (301 voucher, 300 discount coupon, 302 cash coupon).
fn payment_type(coupon_type: Option<i64>) -> i64 {
    match coupon_type {
        Some(2) => 300,
        Some(4) => 302,
        _ => 301,
    }
}

fn renewable_master(
    list: &[OrderInstanceV2],
    now: DateTime<Utc>,
    with_slaves: bool,
) -> OrderInstanceV2 {
    list.iter()
        .find(|r| {
            let id = r.resource_id.clone().unwrap_or_default();
            r.is_main_resource == Some(1)
                && !r
                    .resource_name
                    .as_deref()
                    .unwrap_or_default()
                    .starts_with("promo-")
                && r.expire_time
                    .as_deref()
                    .is_some_and(|t| time(t) > now + Duration::days(40))
                && with_slaves
                    == list
                        .iter()
                        .any(|s| s.parent_resource_id.as_deref() == Some(id.as_str()))
        })
        .cloned()
        .expect("a renewable master")
}

#[tokio::test]
async fn every_listed_operation_answers_through_the_typed_client() {
    let app = TestApp::spawn(500, 0).await;
    let finance = app.login("finance").await.identity;
    let c = &app.client;
    let now = Utc::now();
    let cycle = cycle_now();

    // Accounts and bills.
    let cash_journal = c
        .call(
            &finance,
            &ListCustomerAccountChangeRecordsRequest {
                balance_type: "BALANCE_TYPE_DEBIT".into(),
                limit: Some(5),
                ..Default::default()
            },
        )
        .await
        .expect("journal")
        .value;
    let (cash, _) = balances(&app, &finance).await;
    let newest = &cash_journal.records.unwrap_or_default()[0];
    assert_eq!(
        newest.balance_after_change,
        Some(cash),
        "the newest change left today's balance"
    );
    let cards = c
        .call(
            &finance,
            &ListStoredValueCardsRequest {
                status: 1,
                ..Default::default()
            },
        )
        .await
        .expect("cards")
        .value;
    assert!(
        cards
            .stored_value_cards
            .unwrap_or_default()
            .iter()
            .all(|k| k.balance.is_some_and(|b| b > Decimal::ZERO))
    );
    let fees = c
        .call(
            &finance,
            &ListCustomerBillsFeeRecordsRequest {
                bill_cycle: cycle.clone(),
                limit: Some(1),
                ..Default::default()
            },
        )
        .await
        .expect("fees")
        .value;
    assert!(fees.total_count.unwrap_or_default() > 0);
    let res_records: Vec<ResFeeRecordV2> = c
        .pages(
            &finance,
            ListCustomerselfResourceRecordsRequest {
                cycle: cycle.clone(),
                limit: Some(50),
                ..Default::default()
            },
        )
        .try_collect()
        .await
        .expect("resource records");
    let (consumed, _) = this_cycle_paid(&app, &finance).await;
    assert_eq!(
        res_records.iter().filter_map(|r| r.amount).sum::<Decimal>(),
        consumed,
        "resource records add up to the summary"
    );
    let details = c
        .call(
            &finance,
            &ListCustomerselfResourceRecordDetailsRequest {
                x_language: None,
                body: QueryResRecordsDetailReq {
                    cycle: cycle.clone(),
                    limit: Some(1000),
                    ..Default::default()
                },
            },
        )
        .await
        .expect("details")
        .value;
    assert_eq!(
        details
            .monthly_records
            .unwrap_or_default()
            .iter()
            .filter_map(|r| r.consume_amount)
            .sum::<Decimal>(),
        consumed
    );
    let breakdown = c
        .call(
            &finance,
            &ListCustomerBillsMonthlyBreakDownRequest {
                shared_month: cycle.clone(),
                limit: Some(1000),
                ..Default::default()
            },
        )
        .await
        .expect("breakdown")
        .value;
    assert_eq!(
        breakdown
            .details
            .unwrap_or_default()
            .iter()
            .filter_map(|d| d.current_month_amortized_amount)
            .sum::<Decimal>(),
        consumed
    );
    let costs = c
        .call(
            &finance,
            &ListCostsRequest {
                x_language: None,
                body: ListCostsReq {
                    time_condition: TimeCondition {
                        time_measure_id: 2,
                        begin_time: cycle.clone(),
                        end_time: cycle.clone(),
                    },
                    groupby: vec![GroupBy {
                        r#type: "dimension".into(),
                        key: "CLOUD_SERVICE_TYPE".into(),
                    }],
                    cost_type: "ORIGINAL_COST".into(),
                    amount_type: "PAYMENT_AMOUNT".into(),
                    limit: Some(100),
                    ..Default::default()
                },
            },
        )
        .await
        .expect("costs")
        .value;
    let by_service = costs.cost_data.unwrap_or_default();
    assert_eq!(
        by_service
            .iter()
            .filter_map(|d| d.amount_by_costs)
            .sum::<Decimal>(),
        consumed,
        "costs by service add up too"
    );

    // Orders.
    let pending = c
        .call(
            &finance,
            &ListCustomerOrdersRequest {
                status: Some(6),
                limit: Some(10),
                ..Default::default()
            },
        )
        .await
        .expect("pending orders")
        .value
        .order_infos
        .unwrap_or_default();
    assert!(pending.len() >= 2);
    let first = pending[0].order_id.clone().expect("id");
    let d = order(&app, &finance, &first).await;
    assert!(!d.order_line_items.unwrap_or_default().is_empty());
    let coupons = c
        .call(
            &finance,
            &ListOrderCouponsByOrderIdRequest {
                order_id: first.clone(),
            },
        )
        .await
        .expect("order coupons")
        .value;
    assert!(coupons.count.unwrap_or_default() > 0);
    let discounts = c
        .call(
            &finance,
            &ListOrderDiscountsRequest {
                order_id: first.clone(),
            },
        )
        .await
        .expect("discounts")
        .value;
    let pay = PayOrdersRequest {
        body: PayCustomerOrderV3Req {
            order_id: first.clone(),
            use_coupon: "NO".into(),
            use_discount: "NO".into(),
            ..Default::default()
        },
    };
    c.call(&finance, &pay).await.expect("paid");
    assert_eq!(
        order(&app, &finance, &first)
            .await
            .order_info
            .and_then(|o| o.status),
        Some(5),
        "completed"
    );
    let second = pending[1].order_id.clone().expect("id");
    c.call(
        &finance,
        &CancelCustomerOrderRequest {
            body: CancelCustomerOrderReq {
                order_id: second.clone(),
            },
        },
    )
    .await
    .expect("cancelled");
    assert_eq!(
        order(&app, &finance, &second)
            .await
            .order_info
            .and_then(|o| o.status),
        Some(4),
        "cancelled"
    );
    drop(discounts);

    // Subscriptions.
    let all = resources(&app, &finance).await;
    assert!(all.len() > 40, "every resource, over several pages");
    let target = renewable_master(&all, now, false);
    let id = target.resource_id.clone().expect("id");
    let quote = c
        .call(
            &finance,
            &ListRenewRateOnPeriodRequest {
                body: ListRenewRateOnPeriodReq {
                    resource_ids: vec![id.clone()],
                    period_type: 2,
                    period_num: 1,
                    ..Default::default()
                },
            },
        )
        .await
        .expect("quote")
        .value;
    assert!(
        quote
            .official_website_rating_result
            .and_then(|r| r.official_website_amount)
            .is_some_and(|a| a > Decimal::ZERO)
    );
    let price = c
        .call(
            &finance,
            &ListRateOnPeriodDetailRequest {
                body: RateOnPeriodReq {
                    project_id: "0".into(),
                    product_infos: vec![PeriodProductInfo {
                        id: "1".into(),
                        cloud_service_type: "hws.service.type.ec2".into(),
                        resource_type: "hws.resource.type.vm".into(),
                        resource_spec: "s6.large.2".into(),
                        region: "cn-north-4".into(),
                        period_type: 3,
                        period_num: 1,
                        subscription_num: 2,
                        ..Default::default()
                    }],
                },
            },
        )
        .await
        .expect("price")
        .value;
    assert_eq!(
        price
            .official_website_rating_result
            .and_then(|r| r.official_website_amount),
        Some(yuan("3120.00")),
        "a year is ten months, twice"
    );
    let renewed = c
        .call(
            &finance,
            &RenewalResourcesRequest {
                body: RenewalResourcesReq {
                    resource_ids: vec![id.clone()],
                    period_type: 2,
                    period_num: 1,
                    is_auto_pay: Some(1),
                },
            },
        )
        .await
        .expect("renewed")
        .value;
    assert_eq!(renewed.order_ids.unwrap_or_default().len(), 1);
    c.call(
        &finance,
        &AutoRenewalResourcesRequest {
            resource_id: id.clone(),
            body: AutoRenewalResourcesReq {
                auto_renew_times: Some(2),
                ..Default::default()
            },
        },
    )
    .await
    .expect("auto-renew on");
    let policy = |list: &[OrderInstanceV2], id: &str| {
        list.iter()
            .find(|r| r.resource_id.as_deref() == Some(id))
            .and_then(|r| r.expire_policy)
    };
    assert_eq!(policy(&resources(&app, &finance).await, &id), Some(3));
    c.call(
        &finance,
        &CancelAutoRenewalResourcesRequest {
            resource_id: id.clone(),
        },
    )
    .await
    .expect("auto-renew off");
    assert_eq!(policy(&resources(&app, &finance).await, &id), Some(0));
    let config = c
        .call(
            &finance,
            &SetResourcesRenewConfigRequest {
                body: RenewResourceConfigReq {
                    config_name: "DEDUCTION_DATE".into(),
                    config_value: "3".into(),
                },
            },
        )
        .await
        .expect("config")
        .value;
    assert_eq!(config.error_code, None);
    let to_od = c
        .call(
            &finance,
            &UpdatePeriodToOnDemandRequest {
                body: PeriodToOnDemandReq {
                    operation: "SET_UP".into(),
                    resource_ids: vec![id.clone()],
                },
            },
        )
        .await
        .expect("to on-demand at expiry")
        .value;
    assert!(to_od.error_details.unwrap_or_default().is_empty());
    assert_eq!(policy(&resources(&app, &finance).await, &id), Some(1));
    let unsubscribed = c
        .call(
            &finance,
            &CancelResourcesSubscriptionRequest {
                body: UnsubscribeResourcesReq {
                    resource_ids: vec![id.clone()],
                    unsubscribe_type: 2,
                    unsubscribe_reason_type: Some(5),
                    ..Default::default()
                },
            },
        )
        .await
        .expect("renewal unsubscribed")
        .value;
    let refund_order = unsubscribed.order_ids.unwrap_or_default()[0].clone();
    let refunds = c
        .call(
            &finance,
            &ShowRefundOrderDetailsRequest {
                order_id: refund_order,
                ..Default::default()
            },
        )
        .await
        .expect("refunds")
        .value;
    assert!(
        refunds
            .refund_infos
            .unwrap_or_default()
            .iter()
            .any(|r| r.amount.is_some_and(|a| a < Decimal::ZERO)),
        "refunds are negative"
    );
    let other = renewable_master(&all, now, true).resource_id.expect("id");
    let instantly = c
        .call(
            &finance,
            &UpdatePeriodToOnDemandInstantlyRequest {
                body: PeriodToOnDemandInstantlyReq {
                    resource_ids: vec![other.clone()],
                },
            },
        )
        .await
        .expect("to on-demand now")
        .value;
    let result = &instantly.to_ondemand_service_results.unwrap_or_default()[0];
    assert_eq!(
        (result.result.as_deref(), result.order_id.is_some()),
        (Some("SUCCESS"), true)
    );
    assert_eq!(
        status_of(&resources(&app, &finance).await, &other),
        Some(3),
        "closed"
    );

    // Coupons and packages.
    let all_coupons = c
        .call(
            &finance,
            &ListSubCustomerCouponsRequest {
                limit: Some(50),
                ..Default::default()
            },
        )
        .await
        .expect("coupons")
        .value;
    assert!(all_coupons.count.unwrap_or_default() >= 5);
    let coupon_journal = c
        .call(
            &finance,
            &ListCustomerCouponChangeRecordsRequest {
                balance_type: "BALANCE_TYPE_COUPON".into(),
                limit: Some(50),
                ..Default::default()
            },
        )
        .await
        .expect("coupon journal")
        .value;
    assert!(coupon_journal.total_count.unwrap_or_default() > 0);
    let packages = c
        .call(
            &finance,
            &ListFreeResourceInfosRequest {
                x_language: None,
                body: ListFreeResourceInfosReq {
                    limit: Some(50),
                    ..Default::default()
                },
            },
        )
        .await
        .expect("packages")
        .value
        .free_resource_packages
        .unwrap_or_default();
    let quota_ids: Vec<String> = packages
        .iter()
        .flat_map(|p| p.free_resources.clone().unwrap_or_default())
        .filter_map(|f| f.free_resource_id)
        .collect();
    assert_eq!(quota_ids.len(), 3);
    let usages = c
        .call(
            &finance,
            &ListFreeResourceUsagesRequest {
                x_language: None,
                body: ListFreeResourceUsagesReq {
                    free_resource_ids: quota_ids.clone(),
                },
            },
        )
        .await
        .expect("usages")
        .value
        .free_resources
        .unwrap_or_default();
    assert!(usages.iter().all(|u| {
        u.amount
            .zip(u.original_amount)
            .is_some_and(|(left, all)| left <= all)
    }));
    // Deduction days are UTC+8 dates.
    let fmt = |t: DateTime<Utc>| (t + Duration::hours(8)).format("%Y-%m-%d").to_string();
    let records = c
        .call(
            &finance,
            &ListFreeResourcesUsageRecordsRequest {
                deduct_time_begin: fmt(now - Duration::days(60)),
                deduct_time_end: fmt(now),
                limit: Some(100),
                ..Default::default()
            },
        )
        .await
        .expect("usage records")
        .value;
    assert_eq!(records.total_count, Some(30), "ten deductions per package");

    // Reference lists.
    c.call(&finance, &ListMeasureUnitsRequest::default())
        .await
        .expect("units");
    let conversions = c
        .call(
            &finance,
            &ListConversionsRequest {
                measure_type: Some(1),
                ..Default::default()
            },
        )
        .await
        .expect("conversions")
        .value;
    assert!(
        conversions
            .conversions
            .unwrap_or_default()
            .iter()
            .any(|k| k.conversion_ratio == Some(100))
    );
    c.call(&finance, &ListServiceTypesRequest::default())
        .await
        .expect("service types");
    c.call(&finance, &ListResourceTypesRequest::default())
        .await
        .expect("resource types");
    let usage_types = c
        .call(
            &finance,
            &ListUsageTypesRequest {
                resource_type_code: Some("hws.resource.type.gsl.sim".into()),
                ..Default::default()
            },
        )
        .await
        .expect("usage");
    assert_eq!(usage_types.value.total_count, Some(2));

    // The enterprise.
    let tree = c
        .call(
            &finance,
            &ListEnterpriseOrganizationsRequest {
                recursive_query: Some(1),
                ..Default::default()
            },
        )
        .await
        .expect("tree")
        .value;
    let east = tree
        .child_nodes
        .unwrap_or_default()
        .into_iter()
        .find(|n| n.name.as_deref() == Some("华东区"))
        .expect("east");
    assert_eq!(east.child_nodes.map(|c| c.len()), Some(2));
    let members = c
        .call(
            &finance,
            &ListEnterpriseSubCustomersRequest {
                org_id: Some("org-east-sh".into()),
                ..Default::default()
            },
        )
        .await
        .expect("members")
        .value
        .sub_customer_infos
        .unwrap_or_default();
    assert_eq!(members.len(), 2);
    let member = members
        .iter()
        .find(|m| m.status == Some(1))
        .and_then(|m| m.id.clone())
        .expect("active member");
    let give = c
        .call(
            &finance,
            &ShowMultiAccountTransferAmountRequest {
                balance_type: "BALANCE_TYPE_DEBIT".into(),
                ..Default::default()
            },
        )
        .await
        .expect("transferable")
        .value;
    assert!(
        give.amount_infos.unwrap_or_default()[0]
            .avail_transfer_amount
            .is_some_and(|a| a > Decimal::ZERO)
    );
    let amount = yuan("88.88");
    c.call(
        &finance,
        &UpdateSubEnterpriseAmountRequest {
            body: TransferEnterpriseMultiAccountReq {
                customer_id: member.clone(),
                amount,
                ..Default::default()
            },
        },
    )
    .await
    .expect("given");
    let retrievable = c
        .call(
            &finance,
            &ListEnterpriseMultiAccountRequest {
                sub_customer_id: member.clone(),
                balance_type: "BALANCE_TYPE_DEBIT".into(),
                ..Default::default()
            },
        )
        .await
        .expect("retrievable")
        .value;
    assert!(
        retrievable.amount_infos.unwrap_or_default()[0]
            .avail_retrieve_amount
            .is_some_and(|a| a >= amount)
    );
    c.call(
        &finance,
        &ReclaimSubEnterpriseAmountRequest {
            body: RetrieveEnterpriseMultiAccountReq {
                customer_id: member,
                amount,
                ..Default::default()
            },
        },
    )
    .await
    .expect("reclaimed");
    let sms = SendSmVerificationCodeReq {
        mobile_phone: "13800000000".into(),
        sm_template_args: vec![TemplateArgs {
            key: "code".into(),
            value: "123456".into(),
        }],
        ..Default::default()
    };
    c.call(&finance, &SendSmsVerificationCodeRequest { body: sms })
        .await
        .expect("sms sent");

    // Each listed operation reached the sandbox.
    let counters = app.counters().await;
    let missing: Vec<&str> = LISTED
        .iter()
        .copied()
        .filter(|op| Counters::get(&counters.received, op) == 0)
        .collect();
    assert!(missing.is_empty(), "not called: {missing:?}");
}

#[tokio::test]
async fn renewals_payments_refunds_and_transfers_read_back_consistently_to_the_fen() {
    let app = TestApp::spawn(500, 0).await;
    let finance = app.login("finance").await.identity;
    let c = &app.client;
    let now = Utc::now();
    let (cash0, credit0) = balances(&app, &finance).await;
    let (consumed0, paid0) = this_cycle_paid(&app, &finance).await;

    // 1. Renew a server with its disks for three months, paid at once.
    let all = resources(&app, &finance).await;
    let master = renewable_master(&all, now, true);
    let id = master.resource_id.clone().expect("id");
    let group: Vec<&OrderInstanceV2> = all
        .iter()
        .filter(|r| {
            r.resource_id.as_deref() == Some(id.as_str())
                || r.parent_resource_id.as_deref() == Some(id.as_str())
        })
        .collect();
    assert!(group.len() >= 2, "master and slaves");
    let quote = c
        .call(
            &finance,
            &ListRenewRateOnPeriodRequest {
                body: ListRenewRateOnPeriodReq {
                    resource_ids: vec![id.clone()],
                    period_type: 2,
                    period_num: 3,
                    ..Default::default()
                },
            },
        )
        .await
        .expect("quote")
        .value;
    let quoted = quote
        .official_website_rating_result
        .and_then(|r| r.official_website_amount)
        .expect("quoted");
    let renewal = RenewalResourcesRequest {
        body: RenewalResourcesReq {
            resource_ids: vec![id.clone()],
            period_type: 2,
            period_num: 3,
            is_auto_pay: Some(1),
        },
    };
    let order_id = c
        .call(&finance, &renewal)
        .await
        .expect("renewed")
        .value
        .order_ids
        .unwrap_or_default()[0]
        .clone();
    let renewed = order(&app, &finance, &order_id)
        .await
        .order_info
        .expect("order");
    assert_eq!(
        (renewed.status, renewed.order_type),
        (Some(5), Some(2)),
        "a completed renewal order"
    );
    assert_eq!(
        renewed.amount_after_discount,
        Some(quoted),
        "charged what was quoted"
    );
    let (cash1, credit1) = balances(&app, &finance).await;
    assert_eq!(
        (cash0 - cash1) + (credit0 - credit1),
        quoted,
        "debited once, to the fen"
    );
    let after = resources(&app, &finance).await;
    for r in &group {
        let before = time(r.expire_time.as_deref().expect("expiry"));
        let now_expiry = after
            .iter()
            .find(|x| x.resource_id == r.resource_id)
            .and_then(|x| x.expire_time.clone())
            .expect("still listed");
        assert_eq!(
            time(&now_expiry),
            before
                .checked_add_months(chrono::Months::new(3))
                .expect("date"),
            "master and slaves together"
        );
    }
    let (consumed1, paid1) = this_cycle_paid(&app, &finance).await;
    assert_eq!(
        consumed1 - consumed0,
        quoted,
        "the renewal is on this cycle's bill"
    );
    assert_eq!(paid1 - paid0, quoted, "paid from cash and credit");
    let journal = c
        .call(
            &finance,
            &ListCustomerAccountChangeRecordsRequest {
                balance_type: "BALANCE_TYPE_DEBIT".into(),
                trade_id: Some(order_id.clone()),
                ..Default::default()
            },
        )
        .await
        .expect("journal")
        .value
        .records
        .unwrap_or_default();
    assert_eq!(
        journal
            .iter()
            .filter_map(|r| r.change_amount)
            .sum::<Decimal>(),
        cash1 - cash0,
        "the cash journal shows the debit"
    );

    // 2. A renewal without auto-pay waits; paying it with a coupon and its discount settles it.
    let other = all
        .iter()
        .find(|r| {
            r.is_main_resource == Some(1)
                && r.resource_id != master.resource_id
                && !r
                    .resource_name
                    .as_deref()
                    .unwrap_or_default()
                    .starts_with("promo-")
                && r.expire_time
                    .as_deref()
                    .is_some_and(|t| time(t) > now + Duration::days(40))
        })
        .and_then(|r| r.resource_id.clone())
        .expect("another");
    let waiting = RenewalResourcesRequest {
        body: RenewalResourcesReq {
            resource_ids: vec![other.clone()],
            period_type: 2,
            period_num: 1,
            is_auto_pay: Some(0),
        },
    };
    let pending_id = c
        .call(&finance, &waiting)
        .await
        .expect("pending")
        .value
        .order_ids
        .unwrap_or_default()[0]
        .clone();
    assert_eq!(
        order(&app, &finance, &pending_id)
            .await
            .order_info
            .and_then(|o| o.status),
        Some(6),
        "pending payment"
    );
    assert_eq!(
        balances(&app, &finance).await,
        (cash1, credit1),
        "nothing paid yet"
    );
    let coupon = c
        .call(
            &finance,
            &ListOrderCouponsByOrderIdRequest {
                order_id: pending_id.clone(),
            },
        )
        .await
        .expect("coupons")
        .value
        .user_coupons
        .unwrap_or_default()[0]
        .clone();
    let coupon_before = coupon.balance.expect("balance");
    let pay = PayOrdersRequest {
        body: PayCustomerOrderV3Req {
            order_id: pending_id.clone(),
            use_coupon: "YES".into(),
            use_discount: "NO".into(),
            coupon_infos: Some(vec![CouponSimpleInfoOrderPayV3 {
                id: coupon.coupon_id.clone().expect("id"),
                r#type: payment_type(coupon.coupon_type),
            }]),
            discount_infos: None,
        },
    };
    c.call(&finance, &pay).await.expect("paid");
    let paid = order(&app, &finance, &pending_id)
        .await
        .order_info
        .expect("order");
    let amount = paid.amount_after_discount.expect("amount");
    let by_coupon = paid
        .amount_info
        .and_then(|a| a.coupon_amount)
        .expect("coupon part");
    assert_eq!(paid.status, Some(5));
    assert_eq!(
        by_coupon,
        coupon_before.min(amount),
        "the coupon pays what it can"
    );
    let (cash2, credit2) = balances(&app, &finance).await;
    assert_eq!(
        (cash1 - cash2) + (credit1 - credit2),
        amount - by_coupon,
        "balances pay the rest"
    );
    let coupons_now = c
        .call(
            &finance,
            &ListSubCustomerCouponsRequest {
                coupon_id: coupon.coupon_id.clone(),
                ..Default::default()
            },
        )
        .await
        .expect("coupon")
        .value
        .user_coupons
        .unwrap_or_default();
    assert_eq!(
        coupons_now[0].balance,
        Some(coupon_before - by_coupon),
        "the coupon is debited"
    );
    let (consumed2, _) = this_cycle_paid(&app, &finance).await;
    assert_eq!(
        consumed2 - consumed1,
        amount,
        "the bill shows the whole order"
    );
    assert_eq!(
        c.call(&finance, &pay)
            .await
            .expect_err("paid twice")
            .error_code(),
        Some("CBC.30000067"),
        "an order is paid once"
    );

    // 3. Unsubscribing the renewed server refunds its unused value to cash.
    let unsubscribe = CancelResourcesSubscriptionRequest {
        body: UnsubscribeResourcesReq {
            resource_ids: vec![id.clone()],
            unsubscribe_type: 1,
            ..Default::default()
        },
    };
    let refund_order = c
        .call(&finance, &unsubscribe)
        .await
        .expect("unsubscribed")
        .value
        .order_ids
        .unwrap_or_default()[0]
        .clone();
    let refunds = c
        .call(
            &finance,
            &ShowRefundOrderDetailsRequest {
                order_id: refund_order.clone(),
                ..Default::default()
            },
        )
        .await
        .expect("refund details")
        .value
        .refund_infos
        .unwrap_or_default();
    // Refunds are negative amounts.
    let refunded: Decimal = -refunds.iter().filter_map(|r| r.amount).sum::<Decimal>();
    assert!(refunded > Decimal::ZERO);
    let (cash3, credit3) = balances(&app, &finance).await;
    assert_eq!(
        (cash3 - cash2, credit3),
        (refunded, credit2),
        "refunded to cash"
    );
    let (consumed3, _) = this_cycle_paid(&app, &finance).await;
    assert_eq!(consumed2 - consumed3, refunded, "the refund is on the bill");
    let refund = order(&app, &finance, &refund_order)
        .await
        .order_info
        .expect("refund order");
    assert_eq!(
        (refund.order_type, refund.official_amount),
        (Some(4), Some(refunded))
    );
    assert_eq!(
        status_of(&resources(&app, &finance).await, &id),
        Some(3),
        "closed"
    );

    // 4. Money given to a member and taken back; the same trans_id twice moves it once.
    let member = c
        .call(&finance, &ListEnterpriseSubCustomersRequest::default())
        .await
        .expect("members")
        .value
        .sub_customer_infos
        .unwrap_or_default()
        .into_iter()
        .find(|m| m.status == Some(1))
        .and_then(|m| m.id)
        .expect("member");
    let member_before = held(&app, &finance, &member).await;
    let give = UpdateSubEnterpriseAmountRequest {
        body: TransferEnterpriseMultiAccountReq {
            customer_id: member.clone(),
            amount: yuan("1234.56"),
            trans_id: Some("T-consistency-1".into()),
            balance_type: Some("BALANCE_TYPE_DEBIT".into()),
            expire_time: None,
        },
    };
    c.call(&finance, &give).await.expect("given");
    c.call(&finance, &give)
        .await
        .expect("the same transfer again is accepted");
    let (cash4, _) = balances(&app, &finance).await;
    assert_eq!(cash3 - cash4, yuan("1234.56"), "moved once");
    assert_eq!(
        held(&app, &finance, &member).await - member_before,
        yuan("1234.56")
    );
    let reclaim = ReclaimSubEnterpriseAmountRequest {
        body: RetrieveEnterpriseMultiAccountReq {
            customer_id: member.clone(),
            amount: yuan("234.56"),
            ..Default::default()
        },
    };
    c.call(&finance, &reclaim).await.expect("reclaimed");
    let (cash5, credit5) = balances(&app, &finance).await;
    assert_eq!(cash5 - cash4, yuan("234.56"));
    assert_eq!(
        held(&app, &finance, &member).await - member_before,
        yuan("1000.00")
    );
    let (consumed5, _) = this_cycle_paid(&app, &finance).await;
    assert_eq!(consumed5, consumed3, "transfers are not consumption");

    // Overall: what left the balances is the bill's growth, less what the coupon paid, plus what
    // the member now holds.
    assert_eq!(
        (cash0 + credit0) - (cash5 + credit5),
        (consumed5 - consumed0) - by_coupon + yuan("1000.00")
    );
}

#[tokio::test]
async fn bad_requests_are_refused_with_cbc_codes_and_change_nothing() {
    let app = TestApp::spawn(300, 0).await;
    let finance = app.login("finance").await.identity;
    let c = &app.client;
    let now = Utc::now();
    let before = balances(&app, &finance).await;
    let all = resources(&app, &finance).await;
    let promo = all
        .iter()
        .find(|r| {
            r.resource_name
                .as_deref()
                .unwrap_or_default()
                .starts_with("promo-")
        })
        .and_then(|r| r.resource_id.clone())
        .expect("promo");
    let renew = |ids: Vec<String>, period_type: i64, period_num: i64| RenewalResourcesRequest {
        body: RenewalResourcesReq {
            resource_ids: ids,
            period_type,
            period_num,
            is_auto_pay: Some(1),
        },
    };
    let code = |e: Error| e.error_code().map(str::to_owned);
    assert_eq!(
        code(
            c.call(&finance, &renew(vec![promo.clone()], 2, 1))
                .await
                .expect_err("cannot renew")
        )
        .as_deref(),
        Some("CBC.30050013")
    );
    let slave = all
        .iter()
        .find(|r| r.parent_resource_id.is_some())
        .and_then(|r| r.resource_id.clone())
        .expect("slave");
    assert_eq!(
        code(
            c.call(&finance, &renew(vec![slave], 2, 1))
                .await
                .expect_err("slave")
        )
        .as_deref(),
        Some("CBC.30050007")
    );
    let ok = renewable_master(&all, now, false).resource_id.expect("id");
    assert_eq!(
        code(
            c.call(&finance, &renew(vec![ok.clone()], 2, 12))
                .await
                .expect_err("12 months")
        )
        .as_deref(),
        Some("CBC.30050008")
    );
    assert_eq!(
        before,
        balances(&app, &finance).await,
        "nothing was charged"
    );
    // A mixed list renews what it can and names what it could not.
    let mixed = c
        .call(&finance, &renew(vec![promo.clone(), ok], 2, 1))
        .await
        .expect("partly")
        .value;
    let failed = mixed.fail_resource_infos.unwrap_or_default();
    assert_eq!(
        (
            failed.len(),
            failed[0].error_code.as_deref(),
            mixed.order_ids.map(|o| o.len())
        ),
        (1, Some("CBC.30050013"), Some(1))
    );
    // Bills: no cross-month resource records, no cost range over a year, no unknown cycle.
    let cycle = cycle_now();
    let cross = ListCustomerselfResourceRecordsRequest {
        cycle: cycle.clone(),
        bill_date_begin: Some(format!("{cycle}-01")),
        bill_date_end: Some(format!(
            "{}-01",
            (Utc::now() + Duration::days(40)).format("%Y-%m")
        )),
        ..Default::default()
    };
    assert_eq!(
        code(c.call(&finance, &cross).await.expect_err("cross-month")).as_deref(),
        Some("CBC.0100")
    );
    let year = ListCostsRequest {
        x_language: None,
        body: ListCostsReq {
            time_condition: TimeCondition {
                time_measure_id: 1,
                begin_time: "2024-01-01".into(),
                end_time: "2025-03-01".into(),
            },
            groupby: vec![GroupBy {
                r#type: "dimension".into(),
                key: "CLOUD_SERVICE_TYPE".into(),
            }],
            cost_type: "ORIGINAL_COST".into(),
            amount_type: "PAYMENT_AMOUNT".into(),
            ..Default::default()
        },
    };
    assert_eq!(
        code(c.call(&finance, &year).await.expect_err("over a year")).as_deref(),
        Some("CBC.0100")
    );
    // Orders: only pending ones can be paid or cancelled; unknown ones do not exist.
    let done = c
        .call(
            &finance,
            &ListCustomerOrdersRequest {
                status: Some(5),
                limit: Some(1),
                ..Default::default()
            },
        )
        .await
        .expect("orders")
        .value
        .order_infos
        .unwrap_or_default()[0]
        .order_id
        .clone()
        .expect("id");
    let cancel = CancelCustomerOrderRequest {
        body: CancelCustomerOrderReq { order_id: done },
    };
    assert_eq!(
        code(c.call(&finance, &cancel).await.expect_err("completed")).as_deref(),
        Some("CBC.30000067")
    );
    let ghost = ShowCustomerOrderDetailsRequest {
        order_id: "CS0000000000NONE".into(),
        ..Default::default()
    };
    assert_eq!(
        code(c.call(&finance, &ghost).await.expect_err("unknown")).as_deref(),
        Some("CBC.3106")
    );
    // Transfers beyond the balance.
    let member = c
        .call(&finance, &ListEnterpriseSubCustomersRequest::default())
        .await
        .expect("members")
        .value
        .sub_customer_infos
        .unwrap_or_default()[0]
        .id
        .clone()
        .expect("member");
    let too_much = UpdateSubEnterpriseAmountRequest {
        body: TransferEnterpriseMultiAccountReq {
            customer_id: member,
            amount: yuan("99999999.99"),
            ..Default::default()
        },
    };
    assert_eq!(
        code(c.call(&finance, &too_much).await.expect_err("too much")).as_deref(),
        Some("CBC.30000052")
    );
    // Rights: the fleet user may not read BSS; the read-only user may read but not write.
    let fleet = app.login("fleet").await.identity;
    assert!(matches!(
        c.call(&fleet, &ListCustomerOrdersRequest::default())
            .await
            .expect_err("fleet"),
        Error::Forbidden { .. }
    ));
    let readonly = app.login("readonly").await.identity;
    c.call(&readonly, &ListCustomerOrdersRequest::default())
        .await
        .expect("read-only reads");
    let err = c
        .call(&readonly, &renew(vec![promo], 2, 1))
        .await
        .expect_err("read-only writes");
    assert!(matches!(err, Error::Forbidden { .. }), "{err:?}");
}

#[tokio::test]
async fn payments_renewals_and_transfers_are_never_repeated_by_the_client() {
    let app = TestApp::spawn(200, 0).await;
    let finance = app.aksk("finance").await;
    let c = &app.client;
    let all = resources(&app, &finance).await;
    let id = renewable_master(&all, Utc::now(), false)
        .resource_id
        .expect("id");
    let pending = c
        .call(
            &finance,
            &ListCustomerOrdersRequest {
                status: Some(6),
                limit: Some(1),
                ..Default::default()
            },
        )
        .await
        .expect("pending")
        .value
        .order_infos
        .unwrap_or_default()[0]
        .order_id
        .clone()
        .expect("id");
    let before = balances(&app, &finance).await;
    app.settings(json!({"fail_percent": 100})).await;
    let renew = RenewalResourcesRequest {
        body: RenewalResourcesReq {
            resource_ids: vec![id.clone()],
            period_type: 2,
            period_num: 1,
            is_auto_pay: Some(1),
        },
    };
    let pay = PayOrdersRequest {
        body: PayCustomerOrderV3Req {
            order_id: pending,
            use_coupon: "NO".into(),
            use_discount: "NO".into(),
            ..Default::default()
        },
    };
    let give = UpdateSubEnterpriseAmountRequest {
        body: TransferEnterpriseMultiAccountReq {
            customer_id: "any".into(),
            amount: yuan("1.00"),
            ..Default::default()
        },
    };
    let auto = AutoRenewalResourcesRequest {
        resource_id: id,
        body: AutoRenewalResourcesReq::default(),
    };
    for err in [
        c.call(&finance, &renew).await.expect_err("5xx"),
        c.call(&finance, &pay).await.expect_err("5xx"),
        c.call(&finance, &give).await.expect_err("5xx"),
        c.call(&finance, &auto).await.expect_err("5xx"),
    ] {
        assert_eq!(err.service_error().map(|e| e.status), Some(500), "{err}");
    }
    // A read is retried through the same failures.
    c.call(&finance, &ListCustomerOrdersRequest::default())
        .await
        .expect_err("still failing");
    app.settings(json!({"fail_percent": 0})).await;
    let counters = app.counters().await;
    for op in [
        "renewal_resources",
        "pay_orders",
        "update_sub_enterprise_amount",
        "auto_renewal_resources",
    ] {
        assert_eq!(
            Counters::get(&counters.received, op),
            1,
            "{op}: one attempt, no retry"
        );
    }
    assert!(
        Counters::get(&counters.received, "list_customer_orders") > 2,
        "reads are retried"
    );
    assert_eq!(
        balances(&app, &finance).await,
        before,
        "nothing was charged"
    );
}
