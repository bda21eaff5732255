//! The finance console's money-moving actions through the real server, against the sandbox, on
//! SQLite and PostgreSQL: a renewal is sent once however often it is submitted, is audited, and
//! bad or stale input never reaches BSS.
#![recursion_limit = "256"]

mod common;

use common::TestApp;
use serde_json::{Value, json};

async fn signed_in(app: &TestApp, user: &str) -> reqwest::Client {
    let client = common::browser(&app.base);
    let resp = app.sign_in(&client, user).await;
    assert!(resp.status().is_success(), "sign-in as {user}: {}", resp.status());
    client
}

/// A renewable master resource: its id, its expiry as BSS writes it, and the balances' total in fen.
fn renewable(app: &TestApp) -> (String, String, i64) {
    let w = sandbox::read(&app.sandbox().world);
    let r = w
        .billing
        .resources
        .iter()
        .find(|r| r.master.is_none() && r.renewable && w.billing.renewal_refusal(&r.id).is_none())
        .expect("a renewable resource");
    (r.id.clone(), r.expire.format("%Y-%m-%dT%H:%M:%SZ").to_string(), w.ledger.balances.cash_fen + w.ledger.balances.credit_fen)
}

fn renewal(id: &str, expiry: &str, period: Value) -> Value {
    json!({ "request": { "resource_ids": [id], "period": period, "auto_pay": true, "expected_expiries": { id: expiry } } })
}

async fn identical_renewals_at_once_renew_once(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let (id, expiry, money_before) = renewable(&app);
    let body = renewal(&id, &expiry, json!({ "Months": 1 }));
    // A double click: the same request twice at the same moment.
    let (a, b) = tokio::join!(app.call_json(&client, "finance/renew", &body), app.call_json(&client, "finance/renew", &body));
    let statuses = [a.status().as_u16(), b.status().as_u16()];
    assert!(statuses.contains(&200), "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "the other is told, not sent: {statuses:?}");
    assert_eq!(app.received("renewal_resources"), 1, "one renewal reached BSS");
    let (price, new_expiry, orders) = {
        let w = sandbox::read(&app.sandbox().world);
        let r = w.billing.resource(&id).expect("resource");
        let renewals: Vec<String> =
            w.billing.orders.iter().filter(|o| o.lines.iter().any(|l| l.resource_id == id) && o.kind == 2).map(|o| o.id.clone()).collect();
        (w.billing.renewal_price(&id, 1), r.expire.format("%Y-%m-%dT%H:%M:%SZ").to_string(), renewals)
    };
    assert_ne!(new_expiry, expiry, "the expiry moved");
    let money_after = {
        let w = sandbox::read(&app.sandbox().world);
        w.ledger.balances.cash_fen + w.ledger.balances.credit_fen
    };
    assert_eq!(money_after, money_before - price, "debited once");
    assert_eq!(orders.len(), 1, "one renewal order");

    // A browser retry after it finished gets the same answer, and sends nothing.
    let again = app.call_json(&client, "finance/renew", &body).await;
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.expect("json");
    assert_eq!(again["repeated"], json!(true));
    assert_eq!(again["order_ids"], json!(orders));
    assert_eq!(app.received("renewal_resources"), 1);

    // A second tab still showing the old expiry, asking for something else: refused, not sent.
    let stale = app.call_json(&client, "finance/renew", &renewal(&id, &expiry, json!({ "Months": 2 }))).await;
    assert_eq!(stale.status(), 409);
    assert_eq!(app.received("renewal_resources"), 1);

    // Audited once, before and after: one succeeded entry naming the order.
    let audit: Value = app.call(&client, "fleet/audit", &[("query", "action=bss.renew")]).await.json().await.expect("audit");
    let entries = audit.as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["outcome"], json!("Succeeded"));
    assert!(entries[0]["detail"].as_str().is_some_and(|d| d.contains(&orders[0])));

    // Renewing again from the new expiry is a new, deliberate renewal.
    let next = app.call_json(&client, "finance/renew", &renewal(&id, &new_expiry, json!({ "Months": 1 }))).await;
    assert_eq!(next.status(), 200);
    assert_eq!(app.received("renewal_resources"), 2);
}

async fn bad_renewals_and_other_identities_never_reach_bss(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let (id, expiry, _) = renewable(&app);
    for (body, why) in [
        (renewal(&id, &expiry, json!({ "Months": 12 })), "twelve months"),
        (renewal(&id, &expiry, json!({ "Years": 4 })), "four years"),
        (json!({ "request": { "resource_ids": [], "period": { "Months": 1 }, "auto_pay": true, "expected_expiries": {} } }), "no resources"),
        (json!({ "request": { "resource_ids": [id], "period": { "Months": 1 }, "auto_pay": true, "expected_expiries": {} } }), "no expiry shown"),
    ] {
        let resp = app.call_json(&client, "finance/renew", &body).await;
        assert_eq!(resp.status(), 400, "{why}");
        let err: Value = resp.json().await.expect("json");
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()), "{why}: {err}");
    }
    let fleet = signed_in(&app, "fleet").await;
    assert_eq!(app.call_json(&fleet, "finance/renew", &renewal(&id, &expiry, json!({ "Months": 1 }))).await.status(), 403);
    let readonly = signed_in(&app, "readonly").await;
    assert_eq!(app.call_json(&readonly, "finance/renew", &renewal(&id, &expiry, json!({ "Months": 1 }))).await.status(), 403);
    assert_eq!(app.received("list_pay_per_use_customer_resources"), 0, "nothing was read either");
    assert_eq!(app.received("renewal_resources"), 0);
}

on_both_databases! {
    renew_once => identical_renewals_at_once_renew_once;
    bad_renewals => bad_renewals_and_other_identities_never_reach_bss;
}
