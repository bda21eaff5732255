//! Every GSL v3 operation through the typed client against the sandbox, over real HTTP.

mod common;

use std::collections::BTreeSet;

use common::{Counters, TestApp, cycle_now};
use futures::TryStreamExt;
use hwcloud::gsl::*;
use hwcloud::{Error, Identity};
use rust_decimal::Decimal;

async fn card_in(app: &TestApp, who: &Identity, status: i64) -> SimDeviceVO {
    let req = ListSimCardsRequest {
        sim_status: Some(status),
        sim_type: Some(3),
        limit: Some(10),
        ..Default::default()
    };
    let page = app.client.call(who, &req).await.expect("list").value;
    page.sim_cards
        .unwrap_or_default()
        .into_iter()
        .next()
        .expect("a card in that status")
}

#[tokio::test]
async fn every_gsl_operation_round_trips_and_changes_state() {
    let app = TestApp::spawn(2_000, 0).await;
    let admin = app.aksk("admin").await;
    let c = &app.client;
    let cycle = cycle_now();

    // Inventory, filters and one card.
    let all = c
        .call(
            &admin,
            &ListSimCardsRequest {
                limit: Some(50),
                ..Default::default()
            },
        )
        .await
        .expect("list");
    assert_eq!(all.value.count, Some(2_000));
    assert_eq!(all.value.sim_cards.as_ref().map(Vec::len), Some(50));
    assert!(
        all.request_id.is_some(),
        "every answer carries X-Request-Id"
    );
    let in_use = card_in(&app, &admin, 20).await;
    let id = in_use.sim_card_id.expect("id");
    let iccid = in_use.iccid.clone().expect("iccid");
    let by_iccid = ListSimCardsRequest {
        main_search_type: Some(1),
        main_search_key: Some(iccid.clone()),
        ..Default::default()
    };
    let found = c.call(&admin, &by_iccid).await.expect("search").value;
    assert_eq!(found.count, Some(1));
    let shown = c
        .call(
            &admin,
            &ShowSimCardRequest {
                sim_card_id: id,
                iccid: None,
            },
        )
        .await
        .expect("show")
        .value;
    assert_eq!(shown.iccid.as_deref(), Some(iccid.as_str()));
    let by_iccid_only = ShowSimCardRequest {
        sim_card_id: 0,
        iccid: Some(iccid.clone()),
    };
    assert_eq!(
        c.call(&admin, &by_iccid_only)
            .await
            .expect("show by iccid")
            .value
            .sim_card_id,
        Some(id)
    );
    c.call(
        &admin,
        &ShowRealNamedRequest {
            sim_card_id: id,
            iccid: None,
        },
    )
    .await
    .expect("real-named");
    let plans = c
        .call(
            &admin,
            &ListSimPricePlansRequest {
                sim_card_id: id,
                ..Default::default()
            },
        )
        .await
        .expect("plans");
    assert_eq!(plans.value.len(), 1);
    let offered = c
        .call(&admin, &ListProPricePlansRequest::default())
        .await
        .expect("price plans")
        .value;
    assert!(offered.count.unwrap_or(0) > 0);

    // Usage.
    let flows = ListFlowBySimCardsRequest {
        body: ListFlowBySimCardsReq {
            sim_card_ids: Some(vec![id]),
            iccids: None,
        },
    };
    let flows = c.call(&admin, &flows).await.expect("flow").value;
    assert_eq!(flows[0].flow_used, in_use.flow_used);
    let months = ShowMonthUsagesRequest {
        body: ShowMonthUsageReq {
            sim_card_ids: Some(vec![id]),
            iccids: None,
            billing_cycles: vec![cycle.clone()],
        },
    };
    let months = c
        .call(&admin, &months)
        .await
        .expect("months")
        .value
        .month_usages
        .unwrap_or_default();
    let month_used = months[0].flow_usages.as_ref().and_then(|f| f[0].flow_used);
    assert_eq!(
        month_used, in_use.flow_used,
        "this month's usage agrees with the card's flow_used"
    );
    let daily = ListSimCardFlowPerDayRequest {
        body: SimCardFlowPerDayReq {
            sim_card_ids: Some(vec![id]),
            month: Some(cycle.clone()),
            ..Default::default()
        },
    };
    let daily = c.call(&admin, &daily).await.expect("daily").value;
    let daily_sum: Decimal = daily
        .iter()
        .filter_map(|d| d.sim_flow.as_ref()?.first()?.flow)
        .sum();
    assert_eq!(
        Some(daily_sum),
        in_use.flow_used,
        "daily flows add up to the month"
    );

    // Single-card actions change what later reads return.
    let stop = StopSimCardRequest {
        sim_card_id: id,
        body: DownUpTimeForSimCardReq::default(),
    };
    let wo = c
        .call(&admin, &stop)
        .await
        .expect("stop")
        .value
        .work_order_id
        .expect("work order");
    let after = c
        .call(
            &admin,
            &ShowSimCardRequest {
                sim_card_id: id,
                iccid: None,
            },
        )
        .await
        .expect("show")
        .value;
    assert_eq!(after.sim_status, Some(14));
    let again = c
        .call(&admin, &stop)
        .await
        .expect_err("stopping a stopped card fails");
    assert!(
        matches!(again, Error::Service { ref error, .. } if error.status == 400 && error.error_code.starts_with("GSL."))
    );
    let orders = c
        .call(&admin, &ListWorkOrdersRequest::default())
        .await
        .expect("orders")
        .value;
    assert_eq!(
        orders
            .work_orders
            .as_ref()
            .and_then(|o| o.first())
            .and_then(|o| o.id),
        Some(wo)
    );
    let lines = c
        .call(
            &admin,
            &ListWorkOrderDetailsRequest {
                work_order_id: wo,
                ..Default::default()
            },
        )
        .await;
    assert_eq!(
        lines
            .expect("details")
            .value
            .work_order_details
            .unwrap_or_default()[0]
            .sim_card_id,
        Some(id)
    );
    c.call(
        &admin,
        &ResetSimCardRequest {
            sim_card_id: id,
            body: DownUpTimeForSimCardReq::default(),
        },
    )
    .await
    .expect("resume");
    let activatable = card_in(&app, &admin, 13).await.sim_card_id.expect("id");
    c.call(
        &admin,
        &EnableSimCardRequest {
            sim_card_id: activatable,
            iccid: None,
        },
    )
    .await
    .expect("activate");
    let cut = |action: &str| StartStopNetRequest {
        sim_card_id: id,
        body: CutNetReq {
            action: action.into(),
            iccid: None,
        },
    };
    c.call(&admin, &cut("ADD")).await.expect("cut");
    let shown = c
        .call(
            &admin,
            &ShowSimCardRequest {
                sim_card_id: id,
                iccid: None,
            },
        )
        .await
        .expect("show")
        .value;
    assert_eq!(shown.cut_net_flag, Some(true));
    c.call(&admin, &cut("DEL")).await.expect("restore");
    let exceed = |action, quota: Option<&str>| SetExceedCutNetRequest {
        sim_card_id: id,
        body: ExceedCutNetReq {
            action,
            quota: quota.map(str::to_owned),
            iccid: None,
        },
    };
    c.call(&admin, &exceed(1, Some("100")))
        .await
        .expect("exceed set");
    assert_eq!(
        c.call(
            &admin,
            &ShowSimCardRequest {
                sim_card_id: id,
                iccid: None
            }
        )
        .await
        .expect("show")
        .value
        .exceed_cut_net_quota,
        Some(100)
    );
    c.call(&admin, &exceed(2, None))
        .await
        .expect("exceed cancel");
    let speed = SetSpeedValueRequest {
        sim_card_id: id,
        body: SetSpeedValueReq {
            speed_value: 512,
            iccid: None,
        },
    };
    c.call(&admin, &speed).await.expect("speed");
    assert_eq!(
        c.call(
            &admin,
            &ShowSimCardRequest {
                sim_card_id: id,
                iccid: None
            }
        )
        .await
        .expect("show")
        .value
        .speed_value,
        Some(512)
    );
    let bad_speed = SetSpeedValueRequest {
        sim_card_id: id,
        body: SetSpeedValueReq {
            speed_value: 700,
            iccid: None,
        },
    };
    assert!(matches!(
        c.call(&admin, &bad_speed).await,
        Err(Error::Service { .. })
    ));
    c.call(
        &admin,
        &DeleteRealNameRequest {
            sim_card_id: id,
            iccid: None,
        },
    )
    .await
    .expect("clear real-name");
    let telecom = c
        .call(
            &admin,
            &ListSimCardsRequest {
                sim_status: Some(20),
                price_plan_id: Some(vec!["PP-CT-50M".into()]),
                ..Default::default()
            },
        )
        .await
        .expect("telecom cards")
        .value
        .sim_cards
        .unwrap_or_default()[0]
        .clone();
    let rebind = RegisterImeiRequest {
        sim_card_id: telecom.sim_card_id.expect("id"),
        body: RegisterImeiReq {
            bind_type: 1,
            imei: Some("867530012345678".into()),
            iccid: None,
        },
    };
    c.call(&admin, &rebind).await.expect("imei rebind");
    let rebound = c
        .call(
            &admin,
            &ShowSimCardRequest {
                sim_card_id: rebind.sim_card_id,
                iccid: None,
            },
        )
        .await
        .expect("show")
        .value;
    assert_eq!(rebound.imei.as_deref(), Some("867530012345678"));
    assert_eq!(
        rebound.imei_bind_remain_times,
        telecom.imei_bind_remain_times.map(|n| n - 1)
    );

    // Pools.
    let pools = c
        .call(&admin, &ListSimPoolsRequest::default())
        .await
        .expect("pools")
        .value;
    let pool = pools.pools.unwrap_or_default()[0].clone();
    let members = ListSimPoolMembersRequest {
        sim_pool_id: pool.id.expect("id"),
        billing_cycle: cycle.clone(),
        ..Default::default()
    };
    let members: Vec<PoolMemVO> = c
        .pages(&admin, members)
        .try_collect()
        .await
        .expect("members");
    assert_eq!(members.len() as i64, pool.quantity.expect("quantity"));
    let member_sum: Decimal = members.iter().filter_map(|m| m.flow_used).sum();
    assert_eq!(
        Some(member_sum),
        pool.flow_used,
        "pool usage is the sum of its members"
    );
    let back = c
        .call(
            &admin,
            &ListBackPoolsRequest {
                all_billing_cycle: Some(true),
                ..Default::default()
            },
        )
        .await;
    let back = back.expect("back pools").value.pools.unwrap_or_default()[0].clone();
    let back_members = ListBackPoolMembersRequest {
        back_pool_id: back.id.expect("id"),
        billing_cycle: cycle.clone(),
        ..Default::default()
    };
    assert!(
        c.call(&admin, &back_members)
            .await
            .expect("back members")
            .value
            .count
            .unwrap_or(0)
            > 0
    );

    // Tags and attributes.
    let tag = c
        .call(
            &admin,
            &CreateTagRequest {
                body: AddOrModifyTagReq {
                    tag_name: "冷库-A".into(),
                },
            },
        )
        .await
        .expect("tag");
    let tag_id = tag.value.id.expect("tag id");
    let set = BatchSetTagsRequest {
        body: BatchSetTagsReq {
            sim_card_ids: Some(vec![id]),
            tag_ids: Some(vec![tag_id]),
            ..Default::default()
        },
    };
    c.call(&admin, &set).await.expect("batch tags");
    let tagged = ListSimCardsRequest {
        tag_id: Some(vec![tag_id]),
        ..Default::default()
    };
    assert_eq!(
        c.call(&admin, &tagged).await.expect("by tag").value.count,
        Some(1)
    );
    let tags = c
        .call(
            &admin,
            &ListTagsRequest {
                tag_name: Some("冷库".into()),
                ..Default::default()
            },
        )
        .await
        .expect("tags");
    assert_eq!(tags.value.tags.unwrap_or_default()[0].status, Some(1));
    c.call(&admin, &DeleteTagRequest { tag_id })
        .await
        .expect("delete tag");
    assert_eq!(
        c.call(&admin, &tagged).await.expect("by tag").value.count,
        Some(0)
    );
    let attr = c
        .call(
            &admin,
            &CreateAttributeRequest {
                body: AddOrModifyAttributeReq {
                    cust_attr_name: "安装位置".into(),
                },
            },
        )
        .await;
    let attr_id = attr.expect("create attribute").value.id.expect("id");
    let rename = UpdateAttributeRequest {
        attribute_id: attr_id,
        body: AddOrModifyAttributeReq {
            cust_attr_name: "安装点".into(),
        },
    };
    c.call(&admin, &rename).await.expect("rename attribute");
    c.call(
        &admin,
        &DisableAttributeRequest {
            attribute_id: attr_id,
        },
    )
    .await
    .expect("disable");
    c.call(
        &admin,
        &EnableAttributeRequest {
            attribute_id: attr_id,
        },
    )
    .await
    .expect("enable");
    let attrs = c
        .call(
            &admin,
            &ListAttributesRequest {
                status: Some(1),
                ..Default::default()
            },
        )
        .await
        .expect("attrs")
        .value;
    assert!(
        attrs
            .attributes
            .unwrap_or_default()
            .iter()
            .any(|a| a.cust_attr_name.as_deref() == Some("安装点"))
    );
    let values = BatchSetAttributesRequest {
        body: BatchSetAttributesReq {
            file_temp_id: None,
            attributes: Some(vec![AttributeReq {
                sim_card_id: id,
                customer_attribute4: Some("3号库".into()),
                ..Default::default()
            }]),
        },
    };
    c.call(&admin, &values).await.expect("batch attributes");
    let by_attr = ListSimCardsRequest {
        customer_attribute4: Some("3号库".into()),
        ..Default::default()
    };
    assert_eq!(
        c.call(&admin, &by_attr)
            .await
            .expect("by attribute")
            .value
            .count,
        Some(1)
    );

    // SMS.
    let sms = SendSmsRequest {
        body: CreateSendSmsReq {
            sms_content: "REBOOT".into(),
            cids: Some(vec![iccid.clone()]),
            ..Default::default()
        },
    };
    c.call(&admin, &sms).await.expect("send sms");
    let history = c
        .call(
            &admin,
            &ListSmsDetailsRequest {
                cid: Some(iccid.clone()),
                ..Default::default()
            },
        )
        .await
        .expect("sms");
    assert_eq!(
        history.value.sms_details.unwrap_or_default()[0]
            .sms_content
            .as_deref(),
        Some("REBOOT")
    );

    // Three-network cards and switch policies.
    let policy = NetworkSwitchPolicyDTO {
        policy_name: Some("联通优先".into()),
        version: 2,
        auto_switch: Some(true),
        ..Default::default()
    };
    c.call(&admin, &AddNetworkSwitchPolicyRequest { body: policy })
        .await
        .expect("add policy");
    let policies = c
        .call(
            &admin,
            &ListNetworkSwitchPoliciesRequest {
                version: Some(2),
                ..Default::default()
            },
        )
        .await;
    let policy_id = policies
        .expect("policies")
        .value
        .network_switch_policy_list
        .unwrap_or_default()
        .iter()
        .find(|p| p.policy_name.as_deref() == Some("联通优先"))
        .and_then(|p| p.id)
        .expect("new policy listed");
    let multi = c
        .call(&admin, &ListSimDeviceMultiplyRequest::default())
        .await
        .expect("multi")
        .value;
    let m = multi.sim_cards.unwrap_or_default()[0].clone();
    let mid = m.sim_card_id.expect("id");
    let setp = SetNetworkSwitchPolicyRequest {
        sim_card_id: mid,
        body: NetworkSwitchPolicyReq {
            cid: None,
            network_switch_policy_id: policy_id,
        },
    };
    c.call(&admin, &setp).await.expect("set policy");
    let target = if m.online_carrier == Some(3) { 1 } else { 3 };
    let switch = SwitchNetworkRequest {
        sim_card_id: mid,
        body: NetworkSwitchReq {
            cid: None,
            carrier_type: target,
        },
    };
    c.call(&admin, &switch).await.expect("switch");
    let after = c
        .call(
            &admin,
            &ListSimDeviceMultiplyRequest {
                sim_card_id: Some(mid),
                ..Default::default()
            },
        )
        .await;
    let after = after.expect("multi").value.sim_cards.unwrap_or_default()[0].clone();
    assert_eq!(
        (after.online_carrier, after.network_switch_policy_id),
        (Some(target), Some(policy_id))
    );

    // Every one of the 39 operations reached the sandbox and was answered.
    let handled: BTreeSet<String> = app.counters().await.handled.into_keys().collect();
    let missing: Vec<&str> = OPERATIONS
        .iter()
        .map(|o| o.id)
        .filter(|id| !handled.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "operations never exercised: {missing:?}"
    );
    assert_eq!(OPERATIONS.len(), 39);
    let _ = Counters::get;
}

#[tokio::test]
async fn paging_streams_every_card_once_with_page_numbers() {
    let app = TestApp::spawn(1_234, 0).await;
    let admin = app.aksk("admin").await;
    let req = ListSimCardsRequest {
        limit: Some(500),
        ..Default::default()
    };
    let cards: Vec<SimDeviceVO> = app
        .client
        .pages(&admin, req)
        .try_collect()
        .await
        .expect("all pages");
    let ids: BTreeSet<i64> = cards.iter().filter_map(|c| c.sim_card_id).collect();
    assert_eq!((cards.len(), ids.len()), (1_234, 1_234));
    // 500 + 500 + 234: three requests, the short page ends it.
    assert_eq!(
        Counters::get(&app.counters().await.handled, "list_sim_cards"),
        3
    );

    let filtered = ListSimCardsRequest {
        sim_status: Some(14),
        limit: Some(10),
        ..Default::default()
    };
    let expected = app
        .client
        .call(&admin, &filtered)
        .await
        .expect("count")
        .value
        .count
        .expect("count");
    let stopped: Vec<SimDeviceVO> = app
        .client
        .pages(&admin, filtered)
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(stopped.len() as i64, expected);
    assert!(stopped.iter().all(|c| c.sim_status == Some(14)));
}

#[tokio::test]
async fn bad_paging_and_bad_input_get_huawei_shaped_400s() {
    let app = TestApp::spawn(100, 0).await;
    let admin = app.aksk("admin").await;
    for req in [
        ListSimCardsRequest {
            limit: Some(501),
            ..Default::default()
        },
        ListSimCardsRequest {
            offset: Some(0),
            ..Default::default()
        },
        ListSimCardsRequest {
            tag_id: Some((1..=11).collect()),
            ..Default::default()
        },
        ListSimCardsRequest {
            sort: Some("imsi".into()),
            ..Default::default()
        },
    ] {
        let err = app.client.call(&admin, &req).await.expect_err("rejected");
        let e = err.service_error().expect("service error");
        assert_eq!(e.status, 400);
        assert_eq!(e.error_code, "GSL.10000001");
        assert!(err.request_id().is_some());
    }
    let missing = ShowSimCardRequest {
        sim_card_id: 1,
        iccid: None,
    };
    let err = app
        .client
        .call(&admin, &missing)
        .await
        .expect_err("no such card");
    assert_eq!(err.error_code(), Some("GSL.10010002"));
}
