//! BSS v2 operations through the typed client against the sandbox, over real HTTP (issue 5, in
//! progress: the operations the sandbox serves so far).

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

    let balances = c.call(&finance, &ShowCustomerAccountBalancesRequest {}).await.expect("balances").value;
    let accounts = balances.account_balances.expect("accounts");
    let kinds: Vec<i64> = accounts.iter().filter_map(|a| a.account_type).collect();
    assert_eq!(kinds, vec![1, 2, 5], "cash, credit and bonus accounts");
    let credit = &accounts[1];
    assert!(credit.amount.expect("credit") <= credit.credit_amount.expect("limit"));
    assert!(accounts.iter().all(|a| a.amount.is_some_and(|x| x.scale() <= 2) && a.measure_id == Some(1)));

    // Paged with BSS's 0-based record offset, two rows at a time.
    let cycle = cycle_now();
    let req = ShowCustomerMonthlySumRequest { bill_cycle: cycle.clone(), limit: Some(2), ..Default::default() };
    let rows: Vec<BillSumRecordInfoV2> = c.pages(&finance, req).try_collect().await.expect("monthly sum");
    let whole = c
        .call(&finance, &ShowCustomerMonthlySumRequest { bill_cycle: cycle.clone(), limit: Some(100), ..Default::default() })
        .await
        .expect("one page")
        .value;
    assert_eq!(rows.len() as i64, whole.total_count.expect("count"), "paging reads every row once");
    let sum: Decimal = rows.iter().filter_map(|r| r.consume_amount).sum();
    assert_eq!(Some(sum), whole.consume_amount, "rows add up to the total, to the fen");
    for r in &rows {
        let paid = r.cash_amount.unwrap_or_default() + r.credit_amount.unwrap_or_default() + r.coupon_amount.unwrap_or_default();
        assert_eq!(Some(paid), r.consume_amount, "cash + credit + coupons = consumption");
    }
    assert!(rows.iter().any(|r| r.service_type_code.as_deref() == Some("hws.service.type.gsl")), "the fleet is billed");

    // AK/SK (signed with X-Domain-Id) reads the same.
    let admin = app.aksk("admin").await;
    let again = c.call(&admin, &ShowCustomerAccountBalancesRequest {}).await.expect("aksk").value;
    assert_eq!(again.account_balances.map(|a| a.len()), Some(3));
}

#[tokio::test]
async fn bss_refuses_the_fleet_user_and_bad_cycles() {
    let app = TestApp::spawn(200, 0).await;
    let fleet = app.login("fleet").await.identity;
    let err = app.client.call(&fleet, &ShowCustomerAccountBalancesRequest {}).await.expect_err("no BSS right");
    assert!(matches!(err, Error::Forbidden { .. }), "{err}");
    let finance = app.login("finance").await.identity;
    let bad = ShowCustomerMonthlySumRequest { bill_cycle: "2019-13".into(), ..Default::default() };
    let err = app.client.call(&finance, &bad).await.expect_err("bad cycle");
    assert_eq!(err.error_code(), Some("CBC.0100"), "{err}");
    assert!(err.request_id().is_some());
}
