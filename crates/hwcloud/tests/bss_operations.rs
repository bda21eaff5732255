//! BSS v2 reads through the typed client against the sandbox, over real HTTP: balances, bills,
//! reference lists, record-offset and marker paging.

mod common;

use common::{TestApp, cycle_now};
use futures::TryStreamExt;
use hwcloud::Error;
use hwcloud::bss::*;
use rust_decimal::Decimal;

#[tokio::test]
async fn balances_and_monthly_sums_read_back_to_the_fen() {
    let app = TestApp::spawn(2_000, 0).await;
    let finance = app.login("finance").await.identity;
    let c = &app.client;

    let balances = c
        .call(&finance, &ShowCustomerAccountBalancesRequest {})
        .await
        .expect("balances")
        .value;
    let accounts = balances.account_balances.expect("accounts");
    let kinds: Vec<i64> = accounts.iter().filter_map(|a| a.account_type).collect();
    assert_eq!(kinds, vec![1, 2, 5], "cash, credit and bonus accounts");
    let credit = &accounts[1];
    assert!(credit.amount.expect("credit") <= credit.credit_amount.expect("limit"));
    assert!(
        accounts
            .iter()
            .all(|a| a.amount.is_some_and(|x| x.scale() <= 2) && a.measure_id == Some(1))
    );

    // Paged with BSS's 0-based record offset, two rows at a time.
    let cycle = cycle_now();
    let req = ShowCustomerMonthlySumRequest {
        bill_cycle: cycle.clone(),
        limit: Some(2),
        ..Default::default()
    };
    let rows: Vec<BillSumRecordInfoV2> = c
        .pages(&finance, req)
        .try_collect()
        .await
        .expect("monthly sum");
    let whole = c
        .call(
            &finance,
            &ShowCustomerMonthlySumRequest {
                bill_cycle: cycle.clone(),
                limit: Some(100),
                ..Default::default()
            },
        )
        .await
        .expect("one page")
        .value;
    assert_eq!(
        rows.len() as i64,
        whole.total_count.expect("count"),
        "paging reads every row once"
    );
    let sum: Decimal = rows.iter().filter_map(|r| r.consume_amount).sum();
    assert_eq!(
        Some(sum),
        whole.consume_amount,
        "rows add up to the total, to the fen"
    );
    for r in &rows {
        let paid = r.cash_amount.unwrap_or_default()
            + r.credit_amount.unwrap_or_default()
            + r.coupon_amount.unwrap_or_default();
        assert_eq!(
            Some(paid),
            r.consume_amount,
            "cash + credit + coupons = consumption"
        );
    }
    assert!(
        rows.iter()
            .any(|r| r.service_type_code.as_deref() == Some("hws.service.type.gsl")),
        "the fleet is billed"
    );

    // AK/SK (signed with X-Domain-Id) reads the same.
    let admin = app.aksk("admin").await;
    let again = c
        .call(&admin, &ShowCustomerAccountBalancesRequest {})
        .await
        .expect("aksk")
        .value;
    assert_eq!(again.account_balances.map(|a| a.len()), Some(3));
}

#[tokio::test]
async fn bss_refuses_the_fleet_user_and_bad_cycles() {
    let app = TestApp::spawn(200, 0).await;
    let fleet = app.login("fleet").await.identity;
    let err = app
        .client
        .call(&fleet, &ShowCustomerAccountBalancesRequest {})
        .await
        .expect_err("no BSS right");
    assert!(matches!(err, Error::Forbidden { .. }), "{err}");
    let finance = app.login("finance").await.identity;
    let bad = ShowCustomerMonthlySumRequest {
        bill_cycle: "2019-13".into(),
        ..Default::default()
    };
    let err = app
        .client
        .call(&finance, &bad)
        .await
        .expect_err("bad cycle");
    assert_eq!(err.error_code(), Some("CBC.0100"), "{err}");
    assert!(err.request_id().is_some());
}

#[tokio::test]
async fn fee_records_add_up_to_the_monthly_summary_and_reference_lists_answer() {
    let app = TestApp::spawn(1_000, 0).await;
    let finance = app.login("finance").await.identity;
    let c = &app.client;
    let cycle = {
        let now = cycle_now();
        let (y, m) = now.split_once('-').expect("cycle");
        let (y, m): (i32, u32) = (y.parse().expect("year"), m.parse().expect("month"));
        if m == 1 {
            format!("{:04}-12", y - 1)
        } else {
            format!("{y:04}-{:02}", m - 1)
        }
    };
    let req = ListCustomerBillsFeeRecordsRequest {
        bill_cycle: cycle.clone(),
        limit: Some(7),
        ..Default::default()
    };
    let records: Vec<MonthlyBillRecord> = c
        .pages(&finance, req)
        .try_collect()
        .await
        .expect("fee records");
    assert!(records.len() > 7, "several pages were read");
    let sum = c
        .call(
            &finance,
            &ShowCustomerMonthlySumRequest {
                bill_cycle: cycle.clone(),
                limit: Some(100),
                ..Default::default()
            },
        )
        .await
        .expect("monthly sum")
        .value;
    let total: Decimal = records.iter().filter_map(|r| r.consume_amount).sum();
    assert_eq!(
        Some(total),
        sum.consume_amount,
        "last cycle's records add up to its summary, to the fen"
    );
    let ids: std::collections::BTreeSet<_> = records.iter().filter_map(|r| r.id.clone()).collect();
    assert_eq!(ids.len(), records.len(), "each record once");

    let gsl = ListCustomerBillsFeeRecordsRequest {
        bill_cycle: cycle.clone(),
        service_type_code: Some("hws.service.type.gsl".into()),
        limit: Some(100),
        ..Default::default()
    };
    let fleet_fees = c
        .call(&finance, &gsl)
        .await
        .expect("gsl fees")
        .value
        .records
        .unwrap_or_default();
    assert!(
        !fleet_fees.is_empty()
            && fleet_fees
                .iter()
                .all(|r| r.service_type_code.as_deref() == Some("hws.service.type.gsl"))
    );

    let services = c
        .call(
            &finance,
            &ListServiceTypesRequest {
                limit: Some(100),
                ..Default::default()
            },
        )
        .await
        .expect("services")
        .value;
    assert!(
        services
            .service_types
            .unwrap_or_default()
            .iter()
            .any(|s| s.service_type_code.as_deref() == Some("hws.service.type.gsl"))
    );
    let resources = c
        .call(
            &finance,
            &ListResourceTypesRequest {
                limit: Some(100),
                ..Default::default()
            },
        )
        .await
        .expect("resources")
        .value;
    assert_eq!(resources.total_count, Some(5));
    let units = c
        .call(
            &finance,
            &ListMeasureUnitsRequest {
                x_language: Some("en_US".into()),
            },
        )
        .await
        .expect("units")
        .value;
    assert!(
        units
            .measure_units
            .unwrap_or_default()
            .iter()
            .any(|u| u.measure_id == Some(1))
    );
    let bad = ListCustomerBillsFeeRecordsRequest {
        bill_cycle: cycle,
        limit: Some(5_000),
        ..Default::default()
    };
    let err = c.call(&finance, &bad).await.expect_err("limit too large");
    assert_eq!(err.error_code(), Some("CBC.0100"));
}

#[tokio::test]
async fn marker_paging_reads_every_spec_once_and_stops_without_a_marker() {
    let app = TestApp::spawn(100, 0).await;
    let finance = app.login("finance").await.identity;
    let query = |limit: i64| ListResourceSpecsRequest {
        x_language: None,
        body: ResourceSpecsQueryReq {
            cloud_service_type: "hws.service.type.ec2".into(),
            resource_type: "hws.resource.type.vm".into(),
            region_code: "cn-north-4".into(),
            charge_mode: "period".into(),
            limit: Some(limit),
            ..Default::default()
        },
    };
    let one_by_one: Vec<CloudServiceBasic> = app.client.marker_pages(&finance, query(1)).try_collect().await.expect("specs");
    let at_once = app.client.call(&finance, &query(100)).await.expect("one page").value;
    assert_eq!(at_once.page_info.and_then(|p| p.next_marker), None, "a single page names no next marker");
    let specs: Vec<Option<String>> = one_by_one.iter().map(|s| s.resource_spec.clone()).collect();
    assert_eq!(specs, at_once.cloud_service_basics.unwrap_or_default().into_iter().map(|s| s.resource_spec).collect::<Vec<_>>());
    assert_eq!(specs.len(), 3, "three server specs, one request each");
    assert_eq!(common::Counters::get(&app.counters().await.received, "list_resource_specs"), 4);
    let bad = ListResourceSpecsRequest { body: ResourceSpecsQueryReq { marker: Some("forged".into()), ..query(1).body }, x_language: None };
    assert_eq!(app.client.call(&finance, &bad).await.expect_err("forged marker").error_code(), Some("CBC.0100"));
}
