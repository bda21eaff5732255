//! The finance console through the real server, against the sandbox over HTTP, on SQLite and
//! PostgreSQL: what its pages show agrees with the sandbox's books to the fen; money-moving
//! actions (renew, pay, cancel, expiry changes, unsubscribe, transfers) are sent once however
//! often they are submitted, and are audited; identities without the rights, and bad or stale
//! input, never reach BSS (or GSL).
#![recursion_limit = "256"]

mod common;

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use common::TestApp;
use model::finance::{
    Benefits, CalendarDay, FeePage, FinanceOverview, Members, OrderDetail, OrderPage, Quote, Statement, Subscription,
};
use model::money::{cycle_before, day_cn};
use sandbox::world::BillCycle;
use sandbox::world::billing::{expire_policy, order_status, order_type};
use sandbox::world::ledger::{ChargingMode, SERVICES};
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

// ---------------------------------------------------------------------------------------------
// Helpers: answers read as the model's types, amounts compared to the sandbox's fen exactly.

/// Whole fen as yuan, in the type the answers carry (rust_decimal's `Decimal`, which this test
/// crate cannot name: it is not one of its dependencies). Exact: a hundredth is a decimal.
fn yuan<D: From<i64> + std::ops::Div<Output = D>>(fen: i64) -> D {
    D::from(fen) / D::from(100)
}

/// Fen as the CSV writes them (`1234` → `12.34`, `-5` → `-0.05`).
fn yuan_text(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", fen.unsigned_abs() / 100, fen.unsigned_abs() % 100)
}

/// A CSV amount (`-12.50`) in fen; it must have exactly two decimals.
fn fen_of(text: &str) -> i64 {
    let (negative, digits) = text.strip_prefix('-').map_or((false, text), |d| (true, d));
    let (whole, frac) = digits.split_once('.').unwrap_or_else(|| panic!("{text:?} has no decimals"));
    assert_eq!(frac.len(), 2, "{text:?} has two decimals");
    let fen = whole.parse::<i64>().expect("whole yuan") * 100 + frac.parse::<i64>().expect("fen");
    if negative { -fen } else { fen }
}

/// A successful answer, read as `T`.
async fn ok<T: serde::de::DeserializeOwned>(resp: reqwest::Response, what: &str) -> T {
    let status = resp.status();
    let text = resp.text().await.expect("body");
    assert!(status.is_success(), "{what}: {status} {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"))
}

/// A refusal with `status`; its message.
async fn refused(resp: reqwest::Response, status: u16, what: &str) -> String {
    let got = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    assert_eq!(got, status, "{what}: {text}");
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}: {text}"));
    let message = body["message"].as_str().unwrap_or_default().to_owned();
    assert!(!message.is_empty(), "{what}: a refusal says why: {text}");
    message
}

/// The account's audit entries whose action starts with `action`, newest first.
async fn audit(app: &TestApp, client: &reqwest::Client, action: &str) -> Vec<Value> {
    let entries: Value = ok(app.call(client, "fleet/audit", &[("query", &format!("action={action}"))]).await, "audit").await;
    entries.as_array().expect("entries").clone()
}

/// Requests the sandbox received for any of `operations`.
fn received_of(app: &TestApp, operations: &[hwcloud::operation::OperationInfo]) -> u64 {
    operations.iter().map(|op| app.received(op.id)).sum()
}

/// Requests the sandbox received for BSS operations.
fn bss_received(app: &TestApp) -> u64 {
    received_of(app, hwcloud::bss::OPERATIONS)
}

/// Requests the sandbox received for GSL operations.
fn gsl_received(app: &TestApp) -> u64 {
    received_of(app, hwcloud::gsl::OPERATIONS)
}

/// Cash plus credit, fen.
fn money(app: &TestApp) -> i64 {
    let w = sandbox::read(&app.sandbox().world);
    w.ledger.balances.cash_fen + w.ledger.balances.credit_fen
}

/// Cash, fen.
fn cash(app: &TestApp) -> i64 {
    sandbox::read(&app.sandbox().world).ledger.balances.cash_fen
}

/// An instant as BSS writes it.
fn bss_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An instant BSS wrote.
fn parse_time(t: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(t).unwrap_or_else(|e| panic!("{t:?}: {e}")).with_timezone(&Utc)
}

/// A master resource in use that BSS would renew now (not in an unpaid order), still paid for at
/// least `days` more days, with its slaves (disks) if `with_slaves`, and the grace policy.
fn in_use_master(app: &TestApp, days: i64, with_slaves: bool) -> String {
    let w = sandbox::read(&app.sandbox().world);
    let now = Utc::now();
    w.billing
        .resources
        .iter()
        .find(|r| {
            r.master.is_none()
                && r.renewable
                && r.status(now) == 2
                && r.expire > now + Duration::days(days)
                && r.expire_policy == expire_policy::GRACE
                && w.billing.renewal_refusal(&r.id).is_none()
                && (!with_slaves || w.billing.group_of(&r.id).len() > 1)
        })
        .map(|r| r.id.clone())
        .expect("a master in use")
}

/// The sandbox's orders waiting for payment.
fn pending_orders(app: &TestApp) -> Vec<String> {
    let w = sandbox::read(&app.sandbox().world);
    w.billing.orders.iter().filter(|o| o.status == order_status::PENDING_PAYMENT).map(|o| o.id.clone()).collect()
}

fn pay_body(order_id: &str, coupon_ids: &[&str]) -> Value {
    json!({ "request": { "order_id": order_id, "coupon_ids": coupon_ids, "discount_id": null } })
}

fn transfer_body(member_id: &str, amount: &str, direction: &str, form_token: &str) -> Value {
    json!({ "request": { "member_id": member_id, "amount": amount, "direction": direction, "form_token": form_token } })
}

/// A fresh token for one transfer form, as the members page gets it.
async fn form_token(app: &TestApp, client: &reqwest::Client) -> String {
    let view: Value = ok(app.call(client, "finance/members", &[]).await, "members").await;
    let token = view["form_token"].as_str().expect("form token").to_owned();
    assert!(token.len() >= 16 && token.bytes().all(|b| b.is_ascii_alphanumeric()), "{token}");
    token
}

// ---------------------------------------------------------------------------------------------
// 1. The statement and its CSVs add up to the ledger.

async fn statement_and_its_csvs_add_up_to_the_ledger(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let cycle = cycle_before(day_cn(Utc::now()), 1);
    let bill_cycle = BillCycle::parse(&cycle).expect("cycle");
    // (id, consumed) of every fee record of the cycle, and the sums per service and mode.
    let (records, sums) = {
        let w = sandbox::read(&app.sandbox().world);
        let records: Vec<(String, i64)> =
            w.ledger.records.iter().filter(|r| r.cycle == bill_cycle).map(|r| (r.id.clone(), r.amount_fen())).collect();
        (records, w.ledger.monthly_sum(bill_cycle))
    };
    assert!(records.len() > 1, "the cycle has fees");
    let total: i64 = records.iter().map(|(_, fen)| fen).sum();

    let s: Statement = ok(app.call(&client, "finance/statement", &[("cycle", &cycle)]).await, "statement").await;
    assert_eq!(s.cycle, cycle);
    assert_eq!(s.consumed, yuan(total), "BSS's total is the ledger's, to the fen");
    assert!(s.adds_up(), "the lines add up to the total");
    assert_eq!(s.lines.iter().map(|l| l.consumed).reduce(|a, b| a + b), Some(yuan(total)));
    assert_eq!(s.lines.len(), sums.len(), "one line per service and charge mode");
    for m in &sums {
        let mode = if m.mode == ChargingMode::Period { 1 } else { 3 };
        let line = s
            .lines
            .iter()
            .find(|l| l.service_code == SERVICES[m.service].code && l.charge_mode == mode)
            .unwrap_or_else(|| panic!("a line for {} mode {mode}", SERVICES[m.service].code));
        assert_eq!(line.official, yuan(m.official_fen), "{}", line.service_code);
        assert_eq!(line.discount, yuan(m.discount_fen), "{}", line.service_code);
        assert_eq!(line.consumed, yuan(m.amount_fen), "{}", line.service_code);
        assert_eq!((line.cash, line.credit, line.coupon), (yuan(m.paid.0), yuan(m.paid.1), yuan(m.paid.2)), "{}", line.service_code);
    }
    assert_eq!(s.cash, yuan(sums.iter().map(|m| m.paid.0).sum()));
    assert_eq!(s.credit, yuan(sums.iter().map(|m| m.paid.1).sum()));
    assert_eq!(s.coupon, yuan(sums.iter().map(|m| m.paid.2).sum()));

    // The statement CSV: its TOTAL row's consumed column is the same figure, and so is its rows' sum.
    let resp = client.get(app.url(&format!("/finance/statement.csv?cycle={cycle}"))).send().await.expect("statement csv");
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/csv")));
    let csv = resp.text().await.expect("csv");
    assert!(!csv.contains('"'), "no quoted fields to split around: {csv}");
    let rows: Vec<Vec<&str>> = csv.split("\r\n").skip(1).filter(|l| !l.is_empty()).map(|l| l.split(',').collect()).collect();
    let (totals, lines): (Vec<_>, Vec<_>) = rows.iter().partition(|r| r[2] == "TOTAL");
    assert_eq!(totals.len(), 1, "{csv}");
    assert_eq!(totals[0][7], yuan_text(total), "the TOTAL row's consumed column");
    assert_eq!(lines.len(), sums.len());
    assert_eq!(lines.iter().map(|r| fen_of(r[7])).sum::<i64>(), total);

    // The fee records' CSV: one row per record of the cycle, whose consumed column sums to the total.
    let resp = client.get(app.url(&format!("/finance/fees.csv?cycle={cycle}"))).send().await.expect("fees csv");
    assert_eq!(resp.status(), 200);
    let csv = resp.text().await.expect("csv");
    assert!(!csv.contains('"') && !csv.contains("# export stopped"), "{csv}");
    let mut lines = csv.split("\r\n").filter(|l| !l.is_empty());
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let consumed = header.iter().position(|c| *c == "consumed_amount").expect("consumed column");
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), records.len(), "one row per fee record");
    assert!(rows.iter().all(|r| r.len() == header.len()));
    assert_eq!(rows.iter().map(|r| fen_of(r[consumed])).sum::<i64>(), total);
    let ids: BTreeSet<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(ids, records.iter().map(|(id, _)| id.as_str()).collect::<BTreeSet<_>>());

    // The fee records' page agrees too.
    let page: FeePage = ok(app.call_json(&client, "finance/fees", &json!({ "query": { "cycle": cycle, "page": 0 } })).await, "fees").await;
    assert_eq!(page.total, u64::try_from(records.len()).expect("count"));
    assert_eq!(page.rows.len(), records.len().min(50));
    for row in &page.rows {
        let fen = records.iter().find(|(id, _)| *id == row.id).map(|(_, fen)| *fen).expect("a record of the cycle");
        assert_eq!(row.consumed, yuan(fen), "{}", row.id);
    }
}

// ---------------------------------------------------------------------------------------------
// 2. The overview and the pages' reads show the sandbox's state.

async fn overview_and_pages_show_the_sandbox(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let t0 = Utc::now();
    let o: FinanceOverview = ok(app.call(&client, "finance/overview", &[]).await, "overview").await;
    let mut not_expiring = Vec::new();
    let t1 = Utc::now();
    let today = day_cn(t0);
    {
        let w = sandbox::read(&app.sandbox().world);
        let b = w.ledger.balances;
        assert_eq!(o.balances.cash, yuan(b.cash_fen), "cash, to the fen");
        assert_eq!(o.balances.credit, yuan(b.credit_fen));
        assert_eq!(o.balances.credit_limit, yuan(b.credit_limit_fen));
        let usable = w.billing.coupons.iter().filter(|c| c.status(t0) == 2).count();
        assert_eq!(o.balances.coupons.0, u32::try_from(usable).expect("count"), "usable coupons");

        // Twelve cycles, oldest first, each the ledger's sum to the fen.
        assert_eq!(o.trend.len(), 12);
        for (k, spend) in o.trend.iter().rev().enumerate() {
            let cycle = cycle_before(today, u32::try_from(k).expect("k"));
            assert_eq!(spend.cycle, cycle);
            let c = BillCycle::parse(&cycle).expect("cycle");
            let fen: i64 = w.ledger.records.iter().filter(|r| r.cycle == c).map(|r| r.amount_fen()).sum();
            assert_eq!(spend.amount, yuan(fen), "{cycle}");
        }
        assert_eq!(o.this_cycle.cycle, cycle_before(today, 0));
        assert_eq!(Some(&o.this_cycle.amount), o.trend.last().map(|c| &c.amount));
        assert_eq!(o.last_cycle, o.trend[10].amount);
        assert_eq!(o.by_service.iter().map(|s| s.amount).reduce(|a, b| a + b), Some(o.this_cycle.amount));
        // Last cycle up to the same day of the month.
        let last = BillCycle::parse(&cycle_before(today, 1)).expect("cycle");
        let same_day = chrono::Datelike::day(&today);
        let fen: i64 = w.ledger.records.iter().filter(|r| r.cycle == last && r.day <= same_day).map(|r| r.amount_fen()).sum();
        assert_eq!(o.last_cycle_same_point, yuan(fen));

        // Orders waiting for payment.
        let pending: BTreeSet<&str> =
            w.billing.orders.iter().filter(|o| o.status == order_status::PENDING_PAYMENT).map(|o| o.id.as_str()).collect();
        assert!(!pending.is_empty());
        assert_eq!(o.pending_orders.iter().map(|r| r.id.as_str()).collect::<BTreeSet<_>>(), pending);

        // What expires within 30 days: masters only, each expiring within 30 days or in its grace
        // period, priced at BSS's one-month renewal (slaves included).
        // (Checked last, so the rest of the pages are checked whatever this finds.)
        assert!(!o.expiring.is_empty());
        for e in &o.expiring {
            let r = &e.resource;
            assert_eq!(r.master, None, "{}: masters only", r.id);
            let expires = parse_time(&r.expires);
            if !((r.status == 2 && expires <= t1 + Duration::days(30)) || r.status == 5) {
                not_expiring.push(format!("{} (expired {}, status {})", r.id, r.expires, r.status));
            }
            let s = w.billing.resources.iter().find(|x| x.id == r.id).expect("a sandbox resource");
            assert_eq!((r.status, r.expires.as_str(), r.expire_policy), (s.status(t0), bss_time(s.expire).as_str(), s.expire_policy));
            let price = s.renewable.then(|| yuan(w.billing.renewal_price(&s.id, 1)));
            assert_eq!(e.monthly_cost, price, "{}: one month's renewal", r.id);
        }
        let due: i64 = o
            .expiring
            .iter()
            .filter(|e| e.resource.expire_policy == expire_policy::AUTO_RENEW)
            .filter(|e| e.monthly_cost.is_some())
            .map(|e| w.billing.renewal_price(&e.resource.id, 1))
            .sum();
        assert_eq!(o.auto_renew_due, yuan(due));
    }

    // Yearly/monthly resources expiring within 30 days, those in their grace period included
    // (frozen ones that expired in the last 30 days are tolerated: see the overview's check).
    let t0 = Utc::now();
    let subs: Vec<Subscription> =
        ok(app.call_json(&client, "finance/subscriptions", &json!({ "query": { "expiring_within": 30, "service": null } })).await, "subscriptions").await;
    let t1 = Utc::now();
    {
        let w = sandbox::read(&app.sandbox().world);
        let must: BTreeSet<&str> = w
            .billing
            .resources
            .iter()
            .filter(|r| (r.status(t0) == 2 && r.expire <= t0 + Duration::days(30)) || r.status(t1) == 5)
            .map(|r| r.id.as_str())
            .collect();
        let may: BTreeSet<&str> = w
            .billing
            .resources
            .iter()
            .filter(|r| [2, 4, 5].contains(&r.status(t0)))
            .filter(|r| r.expire >= t0 - Duration::days(30) && r.expire <= t1 + Duration::days(30))
            .map(|r| r.id.as_str())
            .collect();
        let got: BTreeSet<&str> = subs.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(got.len(), subs.len(), "each once");
        assert!(must.is_subset(&got) && got.is_subset(&may), "{got:?} vs {must:?}");
        assert!(subs.windows(2).all(|p| p[0].expires <= p[1].expires), "soonest first");
        for s in &subs {
            let r = w.billing.resources.iter().find(|r| r.id == s.id).expect("a sandbox resource");
            assert_eq!((s.status, s.expires.clone(), s.expire_policy, s.master.clone()), (r.status(t0), bss_time(r.expire), r.expire_policy, r.master.clone()));
        }
        assert!(subs.iter().any(|s| s.master.is_some()), "slaves are listed with their master");
    }

    // The renewal calendar: 90 days from today (UTC+8), day by day, masters only.
    let t0 = Utc::now();
    let days: Vec<CalendarDay> = ok(app.call(&client, "finance/calendar", &[]).await, "calendar").await;
    let t1 = Utc::now();
    {
        let w = sandbox::read(&app.sandbox().world);
        assert!(days.windows(2).all(|p| p[0].day < p[1].day), "days in order, each once");
        let mut got = BTreeSet::new();
        for d in &days {
            assert!(!d.items.is_empty(), "{}", d.day);
            assert!(d.day >= today.format("%Y-%m-%d").to_string(), "{}", d.day);
            for item in &d.items {
                let expires = parse_time(&item.resource.expires);
                assert_eq!(day_cn(expires).format("%Y-%m-%d").to_string(), d.day, "{}", item.resource.id);
                assert!(expires <= t1 + Duration::days(90));
                assert_eq!(item.resource.master, None);
                let price = w.billing.resource(&item.resource.id).filter(|r| r.renewable).map(|r| yuan(w.billing.renewal_price(&r.id, 1)));
                assert_eq!(item.monthly_cost, price, "{}", item.resource.id);
                got.insert(item.resource.id.as_str());
            }
        }
        let must: BTreeSet<&str> = w
            .billing
            .resources
            .iter()
            .filter(|r| r.master.is_none() && !r.closed && r.expire > t1 && r.expire <= t0 + Duration::days(90))
            .map(|r| r.id.as_str())
            .collect();
        assert!(must.is_subset(&got), "missing from the calendar: {:?}", must.difference(&got).collect::<Vec<_>>());
    }

    // Coupons, cards and packages.
    let benefits: Benefits = ok(app.call(&client, "finance/benefits", &[]).await, "benefits").await;
    {
        let w = sandbox::read(&app.sandbox().world);
        let now = Utc::now();
        assert_eq!(benefits.coupons.len(), w.billing.coupons.len(), "every coupon");
        for c in &benefits.coupons {
            let s = w.billing.coupons.iter().find(|s| s.id == c.id).expect("a sandbox coupon");
            assert_eq!((c.status, c.face_value, c.balance), (s.status(now), yuan(s.face_fen), yuan(s.balance_fen)), "{}", c.id);
        }
        assert_eq!(benefits.cards.len(), w.billing.cards.iter().filter(|c| c.status(now) == 1).count(), "usable cards");
        assert_eq!(benefits.packages.len(), w.billing.packages.len());
    }

    // Member accounts, with their balances and what the master may transfer.
    let view: Value = ok(app.call(&client, "finance/members", &[]).await, "members").await;
    let members: Members = serde_json::from_value(view["members"].clone()).expect("members");
    {
        let w = sandbox::read(&app.sandbox().world);
        assert_eq!(members.members.len(), w.enterprise.members.len(), "every member");
        for m in &members.members {
            let s = w.enterprise.member(&m.id).expect("a sandbox member");
            assert_eq!((m.status, m.balance, m.org_id.as_str()), (s.status, yuan(s.cash_fen), s.org_id.as_str()), "{}", m.name);
        }
        assert_eq!(members.transferable, yuan(w.ledger.balances.cash_fen));
        assert_eq!(members.root.id, w.enterprise.units[0].id);
    }

    // Orders waiting for payment, and one of them in full.
    let page: OrderPage = ok(app.call_json(&client, "finance/orders", &json!({ "query": { "status": 6, "page": 0 } })).await, "orders").await;
    let pending = pending_orders(&app);
    assert_eq!(page.rows.iter().map(|r| r.id.as_str()).collect::<BTreeSet<_>>(), pending.iter().map(String::as_str).collect());
    assert_eq!(page.total, u64::try_from(pending.len()).expect("count"));
    {
        let w = sandbox::read(&app.sandbox().world);
        for row in &page.rows {
            let s = w.billing.order(&row.id).expect("a sandbox order");
            assert_eq!((row.status, row.kind, row.official, row.amount), (6, s.kind, yuan(s.official_fen), yuan(s.amount_fen())), "{}", row.id);
        }
    }
    let id = {
        let w = sandbox::read(&app.sandbox().world);
        let o = w
            .billing
            .orders
            .iter()
            .find(|o| o.status == order_status::PENDING_PAYMENT && o.discount.is_some() && !o.coupons.is_empty())
            .expect("a pending order with offers");
        o.id.clone()
    };
    let detail: OrderDetail = ok(app.call(&client, "finance/order", &[("order_id", &id)]).await, "order").await;
    let w = sandbox::read(&app.sandbox().world);
    let o = w.billing.order(&id).expect("order");
    let now = Utc::now();
    assert_eq!((detail.order.id.as_str(), detail.order.status), (id.as_str(), 6));
    assert_eq!(detail.lines.len(), o.lines.len(), "every line item");
    for (line, s) in detail.lines.iter().zip(&o.lines) {
        assert_eq!((line.id.as_str(), line.official), (s.id.as_str(), yuan(s.official_fen)));
    }
    let offered: BTreeSet<&str> = w
        .billing
        .coupons
        .iter()
        .filter(|c| o.coupons.contains(&c.id) && c.status(now) == 2)
        .map(|c| c.id.as_str())
        .collect();
    assert!(!offered.is_empty());
    assert_eq!(detail.coupons.iter().map(|c| c.id.as_str()).collect::<BTreeSet<_>>(), offered, "the coupons on offer");
    for c in &detail.coupons {
        let s = w.billing.coupons.iter().find(|s| s.id == c.id).expect("coupon");
        assert_eq!((c.balance, c.kind), (yuan(s.balance_fen), s.kind));
    }
    assert_eq!(detail.discounts.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), o.discount.iter().map(|d| d.id.as_str()).collect::<Vec<_>>());
    assert!(detail.refunds.is_empty());

    assert!(
        not_expiring.is_empty(),
        "the overview's \"expiring within 30 days\" lists resources that neither expire within 30 days nor are in their grace period: {not_expiring:?}"
    );
}

// A quote is BSS's price: one month of a master and its disks; a year is ten months.
async fn quotes_are_bss_prices(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let id = in_use_master(&app, 1, true);
    let (promo, month) = {
        let w = sandbox::read(&app.sandbox().world);
        let promo = w.billing.resources.iter().find(|r| r.master.is_none() && !r.renewable && !r.closed).expect("promo").id.clone();
        (promo, w.billing.renewal_price(&id, 1))
    };
    let q: Quote = ok(app.call_json(&client, "finance/quote", &json!({ "resource_ids": [id, promo], "period": { "Months": 1 } })).await, "quote").await;
    assert_eq!(q.official, yuan(month));
    assert_eq!(q.amount, yuan(month));
    assert_eq!(q.lines.iter().map(|(_, a)| *a).reduce(|a, b| a + b), Some(yuan(month)), "master and disks");
    assert_eq!(q.refused.iter().map(|(r, _)| r.as_str()).collect::<Vec<_>>(), [promo.as_str()]);
    let q: Quote = ok(app.call_json(&client, "finance/quote", &json!({ "resource_ids": [id], "period": { "Years": 1 } })).await, "quote").await;
    assert_eq!(q.official, yuan(month * 10), "a year costs ten months");
    let bad = app.call_json(&client, "finance/quote", &json!({ "resource_ids": [id], "period": { "Months": 12 } })).await;
    refused(bad, 400, "twelve months").await;
    assert_eq!(app.received("list_renew_rate_on_period"), 2, "the bad period was not sent");
}

// ---------------------------------------------------------------------------------------------
// 3. Paying a pending order.

/// Paying without coupons: debited once, completed, sent once however often it is submitted.
async fn identical_payments_at_once_pay_once(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let id = pending_orders(&app).pop().expect("a pending order");
    let due = sandbox::read(&app.sandbox().world).billing.order(&id).expect("order").amount_fen();
    let before = money(&app);
    let body = pay_body(&id, &[]);
    let (a, b) = tokio::join!(app.call_json(&client, "finance/pay", &body), app.call_json(&client, "finance/pay", &body));
    let statuses = [a.status().as_u16(), b.status().as_u16()];
    assert!(statuses.contains(&200) && statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    assert_eq!(app.received("pay_orders"), 1, "one payment reached BSS");
    let status = sandbox::read(&app.sandbox().world).billing.order(&id).map(|o| o.status);
    assert_eq!(status, Some(order_status::COMPLETED));
    assert_eq!(money(&app), before - due, "debited once, to the fen");

    let again: Value = ok(app.call_json(&client, "finance/pay", &body).await, "retry").await;
    assert_eq!(again, json!({ "order_id": id, "repeated": true }));
    assert_eq!(app.received("pay_orders"), 1);
    assert_eq!(money(&app), before - due);

    let entries = audit(&app, &client, "bss.pay").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["outcome"], json!("Succeeded"));
    assert!(entries[0]["target"].as_str().is_some_and(|t| t.contains(&id)));
}

/// Paying with a coupon the order offers: the coupon pays its part, the balances the rest, once;
/// a coupon the order does not offer is refused before anything is sent.
async fn paying_with_an_offered_coupon_pays_once(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let id = pending_orders(&app).first().cloned().expect("a pending order");
    let detail: OrderDetail = ok(app.call(&client, "finance/order", &[("order_id", &id)]).await, "order").await;
    let coupon = detail.coupons.first().expect("a coupon on offer").id.clone();
    let (due, coupon_left, not_offered) = {
        let w = sandbox::read(&app.sandbox().world);
        let o = w.billing.order(&id).expect("order");
        let c = w.billing.coupons.iter().find(|c| c.id == coupon).expect("coupon");
        let other = w.billing.coupons.iter().find(|c| !o.coupons.contains(&c.id)).expect("a coupon not offered").id.clone();
        (o.amount_fen(), c.balance_fen, other)
    };

    // A coupon the order does not offer (expired, used up, or for another service): refused, not sent.
    let resp = app.call_json(&client, "finance/pay", &pay_body(&id, &[&not_offered])).await;
    let message = refused(resp, 400, "a coupon not on offer").await;
    assert!(message.contains("coupon"), "{message}");
    let resp = app.call_json(&client, "finance/pay", &pay_body(&id, &["CP000000000000"])).await;
    refused(resp, 400, "an unknown coupon").await;
    assert_eq!(app.received("pay_orders"), 0);
    assert!(audit(&app, &client, "bss.pay").await.is_empty(), "nothing to audit");

    let before = money(&app);
    let body = pay_body(&id, &[&coupon]);
    let (a, b) = tokio::join!(app.call_json(&client, "finance/pay", &body), app.call_json(&client, "finance/pay", &body));
    let statuses = [a.status().as_u16(), b.status().as_u16()];
    let texts = (a.text().await.expect("body"), b.text().await.expect("body"));
    assert!(statuses.contains(&200) && statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?} {texts:?}");
    assert_eq!(app.received("pay_orders"), 1, "one payment reached BSS");
    let take = due.min(coupon_left);
    {
        let w = sandbox::read(&app.sandbox().world);
        let o = w.billing.order(&id).expect("order");
        assert_eq!((o.status, o.coupon_fen), (order_status::COMPLETED, take));
        let c = w.billing.coupons.iter().find(|c| c.id == coupon).expect("coupon");
        assert_eq!(c.balance_fen, coupon_left - take, "the coupon paid its part");
    }
    assert_eq!(money(&app), before - (due - take), "the balances paid the rest, once");

    let again: Value = ok(app.call_json(&client, "finance/pay", &body).await, "retry").await;
    assert_eq!(again["repeated"], json!(true));
    assert_eq!(app.received("pay_orders"), 1);
    let entries = audit(&app, &client, "bss.pay").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["outcome"], json!("Succeeded"));
}

// ---------------------------------------------------------------------------------------------
// 4. Cancelling a pending order.

async fn cancelling_a_pending_order_is_audited(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let id = pending_orders(&app).get(1).cloned().expect("a second pending order");
    let before = money(&app);
    let resp = app.call(&client, "finance/cancel", &[("order_id", &id)]).await;
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap_or_default());
    let status = sandbox::read(&app.sandbox().world).billing.order(&id).map(|o| o.status);
    assert_eq!(status, Some(order_status::CANCELLED));
    assert_eq!(money(&app), before, "no money moved");
    let entries = audit(&app, &client, "bss.cancel_order").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["outcome"], json!("Succeeded"));
    assert!(entries[0]["target"].as_str().is_some_and(|t| t.contains(&id)));

    // Cancelling it again: BSS refuses, and the log says so.
    let resp = app.call(&client, "finance/cancel", &[("order_id", &id)]).await;
    assert!(!resp.status().is_success(), "{}", resp.status());
    assert_eq!(app.received("cancel_customer_order"), 2);
    let entries = audit(&app, &client, "bss.cancel_order").await;
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(entries[0]["outcome"], json!("Failed"), "newest first");
    let resp = app.call(&client, "finance/cancel", &[("order_id", "not an id")]).await;
    refused(resp, 400, "a bad order id").await;
    assert_eq!(app.received("cancel_customer_order"), 2);
}

// ---------------------------------------------------------------------------------------------
// 5. What happens at expiry.

async fn expiry_changes_reach_the_resource_and_are_audited(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let id = in_use_master(&app, 1, true);
    let policies = |app: &TestApp| -> Vec<i64> {
        let w = sandbox::read(&app.sandbox().world);
        w.billing.group_of(&id).iter().map(|r| r.expire_policy).collect()
    };
    let change = |change: &str| json!({ "resource_id": id, "change": change });

    ok::<Value>(app.call_json(&client, "finance/expiry", &change("AutoRenewOn")).await, "auto-renew on").await;
    assert!(policies(&app).iter().all(|p| *p == expire_policy::AUTO_RENEW), "the master and its disks renew by themselves");
    let subs: Vec<Subscription> =
        ok(app.call_json(&client, "finance/subscriptions", &json!({ "query": { "expiring_within": null, "service": null } })).await, "subscriptions").await;
    assert!(subs.iter().find(|s| s.id == id).is_some_and(Subscription::auto_renews), "the list shows it");

    ok::<Value>(app.call_json(&client, "finance/expiry", &change("AutoRenewOff")).await, "auto-renew off").await;
    assert!(policies(&app).iter().all(|p| *p == expire_policy::GRACE), "back to the grace period");
    assert_eq!((app.received("auto_renewal_resources"), app.received("cancel_auto_renewal_resources")), (1, 1));
    let entries = audit(&app, &client, "bss.auto_renew").await;
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(entries.iter().map(|e| e["action"].as_str().unwrap_or_default()).collect::<Vec<_>>(), ["bss.auto_renew_off", "bss.auto_renew_on"]);
    assert!(entries.iter().all(|e| e["outcome"] == json!("Succeeded") && e["target"].as_str().is_some_and(|t| t.contains(&id))));

    ok::<Value>(app.call_json(&client, "finance/expiry", &change("ToPayPerUse")).await, "pay-per-use at expiry").await;
    assert!(policies(&app).iter().all(|p| *p == expire_policy::TO_ON_DEMAND), "pay-per-use at expiry");
    let entries = audit(&app, &client, "bss.to_pay_per_use").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["outcome"], json!("Succeeded"));

    let resp = app.call_json(&client, "finance/expiry", &json!({ "resource_id": "a/b", "change": "AutoRenewOn" })).await;
    refused(resp, 400, "a bad resource id").await;
    assert_eq!(app.received("auto_renewal_resources"), 1);
}

/// BSS answers "pay-per-use at expiry" with 200 and the resources it refused in `error_details`:
/// a refusal there is a failure, not a change made.
async fn a_refused_expiry_change_is_not_reported_done(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let disk = {
        let w = sandbox::read(&app.sandbox().world);
        w.billing.resources.iter().find(|r| r.master.is_some() && !r.closed).expect("a disk").id.clone()
    };
    // Auto-renew on a disk: BSS refuses with an error status; so the answer and the log say.
    let resp = app.call_json(&client, "finance/expiry", &json!({ "resource_id": disk, "change": "AutoRenewOn" })).await;
    assert!(!resp.status().is_success(), "{}", resp.status());
    let entries = audit(&app, &client, "bss.auto_renew_on").await;
    assert_eq!(entries.first().map(|e| e["outcome"].clone()), Some(json!("Failed")));

    // Pay-per-use on a disk: BSS refuses it in error_details (only masters can be set).
    let resp = app.call_json(&client, "finance/expiry", &json!({ "resource_id": disk, "change": "ToPayPerUse" })).await;
    assert_eq!(app.received("update_period_to_on_demand"), 1);
    let policy = sandbox::read(&app.sandbox().world).billing.resource(&disk).map(|r| r.expire_policy);
    assert_eq!(policy, Some(expire_policy::GRACE), "BSS changed nothing");
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    assert!(!status.is_success(), "BSS refused the change, yet the answer is {status} {text}");
    let entries = audit(&app, &client, "bss.to_pay_per_use").await;
    assert_eq!(entries.first().map(|e| e["outcome"].clone()), Some(json!("Failed")), "{entries:?}");
}

// ---------------------------------------------------------------------------------------------
// 6. Unsubscribing.

async fn unsubscribing_refunds_once(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let id = in_use_master(&app, 3, true);
    let group: Vec<String> = sandbox::read(&app.sandbox().world).billing.group_of(&id).iter().map(|r| r.id.clone()).collect();
    let before = cash(&app);
    let body = json!({ "request": { "resource_ids": [id], "kind": "Whole" } });
    let (a, b) = tokio::join!(app.call_json(&client, "finance/unsubscribe", &body), app.call_json(&client, "finance/unsubscribe", &body));
    let statuses = [a.status().as_u16(), b.status().as_u16()];
    assert!(statuses.contains(&200) && statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    assert_eq!(app.received("cancel_resources_subscription"), 1, "one unsubscription reached BSS");
    let done: Value = if statuses[0] == 200 { a.json().await.expect("json") } else { b.json().await.expect("json") };
    let order_ids: Vec<String> = serde_json::from_value(done["order_ids"].clone()).expect("order ids");
    assert_eq!(order_ids.len(), 1, "{done}");
    let order_id = order_ids[0].clone();

    let (refunds, refunded) = {
        let w = sandbox::read(&app.sandbox().world);
        assert!(
            group.iter().all(|g| w.billing.resources.iter().any(|r| &r.id == g && r.closed)),
            "the master and its disks are closed"
        );
        assert!(w.billing.resource(&id).is_none());
        let o = w.billing.order(&order_id).expect("the unsubscribe order");
        assert_eq!((o.kind, o.status), (order_type::UNSUBSCRIBE, order_status::COMPLETED));
        let refunds: Vec<(String, i64, String)> = w
            .billing
            .refunds
            .iter()
            .filter(|r| r.order_id == order_id)
            .map(|r| (r.id.clone(), r.amount_fen, r.base_order_id.clone()))
            .collect();
        let refunded: i64 = refunds.iter().map(|r| r.1).sum();
        (refunds, refunded)
    };
    assert!(refunded > 0, "unused time is refunded");
    assert_eq!(cash(&app), before + refunded, "refunded to cash once, to the fen");

    let detail: OrderDetail = ok(app.call(&client, "finance/order", &[("order_id", &order_id)]).await, "unsubscribe order").await;
    assert_eq!(detail.order.kind, order_type::UNSUBSCRIBE);
    assert_eq!(detail.refunds.len(), refunds.len());
    for (id, fen, base) in &refunds {
        let row = detail.refunds.iter().find(|r| &r.id == id).expect("a refund row");
        assert_eq!((row.amount.abs(), row.base_order.as_str()), (yuan(*fen), base.as_str()));
    }

    let again: Value = ok(app.call_json(&client, "finance/unsubscribe", &body).await, "retry").await;
    assert_eq!(again, json!({ "order_ids": [order_id], "repeated": true }));
    assert_eq!(app.received("cancel_resources_subscription"), 1);
    let entries = audit(&app, &client, "bss.unsubscribe").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["outcome"], json!("Succeeded"));
    assert!(entries[0]["detail"].as_str().is_some_and(|d| d.contains(&order_id)));

    let empty = app.call_json(&client, "finance/unsubscribe", &json!({ "request": { "resource_ids": [], "kind": "Whole" } })).await;
    refused(empty, 400, "no resources").await;
    assert_eq!(app.received("cancel_resources_subscription"), 1);
}

// ---------------------------------------------------------------------------------------------
// 7. Budget to and from a member account.

async fn transfers_move_budget_once(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let member = {
        let w = sandbox::read(&app.sandbox().world);
        w.enterprise.members.iter().find(|m| m.status == 1).expect("an active member").id.clone()
    };
    let balances = |app: &TestApp| {
        let w = sandbox::read(&app.sandbox().world);
        (w.ledger.balances.cash_fen, w.enterprise.member(&member).expect("member").cash_fen)
    };
    let token = form_token(&app, &client).await;
    let (master0, member0) = balances(&app);
    let body = transfer_body(&member, "10.00", "ToMember", &token);
    let done: Value = ok(app.call_json(&client, "finance/transfer", &body).await, "transfer").await;
    assert_eq!(done, json!({ "repeated": false }));
    assert_eq!(balances(&app), (master0 - 1000, member0 + 1000), "moved once, to the fen");

    // The same form again: told, not sent.
    let again: Value = ok(app.call_json(&client, "finance/transfer", &body).await, "the same form again").await;
    assert_eq!(again, json!({ "repeated": true }));
    assert_eq!(app.received("update_sub_enterprise_amount"), 1);
    assert_eq!(balances(&app), (master0 - 1000, member0 + 1000));

    // Reclaimed with a new form.
    let token = form_token(&app, &client).await;
    let done: Value = ok(app.call_json(&client, "finance/transfer", &transfer_body(&member, "10.00", "Reclaim", &token)).await, "reclaim").await;
    assert_eq!(done, json!({ "repeated": false }));
    assert_eq!(balances(&app), (master0, member0), "back where it was");
    assert_eq!(app.received("reclaim_sub_enterprise_amount"), 1);

    // Amounts that are not positive fen: refused before anything is read or sent.
    let calls = bss_received(&app);
    for amount in ["-5", "0", "1.001"] {
        let token = uuid::Uuid::new_v4().simple().to_string();
        for direction in ["ToMember", "Reclaim"] {
            let resp = app.call_json(&client, "finance/transfer", &transfer_body(&member, amount, direction, &token)).await;
            refused(resp, 400, &format!("{amount} {direction}")).await;
        }
    }
    let resp = app.call_json(&client, "finance/transfer", &transfer_body(&member, "1.00", "ToMember", "short")).await;
    refused(resp, 400, "a form token that is not one").await;
    assert_eq!(bss_received(&app), calls, "no upstream call");
    assert_eq!(balances(&app), (master0, member0));

    let entries = audit(&app, &client, "bss.transfer").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["outcome"], json!("Succeeded"));
    let entries = audit(&app, &client, "bss.reclaim").await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["outcome"], json!("Succeeded"));
}

// ---------------------------------------------------------------------------------------------
// 8. Rights: each identity reaches only what it may.

async fn identities_reach_only_what_they_may(app: TestApp) {
    let cycle = cycle_before(day_cn(Utc::now()), 1);

    // Finance has no GSL rights: the fleet pages are refused and GSL hears nothing.
    let finance = signed_in(&app, "finance").await;
    let message = refused(app.call(&finance, "fleet/overview", &[]).await, 403, "finance: fleet overview").await;
    assert!(message.contains("Global SIM Link"), "{message}");
    refused(app.call(&finance, "fleet/sims", &[("query", "")]).await, 403, "finance: SIM cards").await;
    assert_eq!(app.received("list_sim_cards"), 0);
    assert_eq!(gsl_received(&app), 0, "GSL heard nothing");

    // Fleet has no BSS rights: the finance pages are refused, naming what is missing, and BSS hears nothing.
    let fleet = signed_in(&app, "fleet").await;
    for (what, resp) in [
        ("overview", app.call(&fleet, "finance/overview", &[]).await),
        ("statement", app.call(&fleet, "finance/statement", &[("cycle", &cycle)]).await),
        ("orders", app.call_json(&fleet, "finance/orders", &json!({ "query": { "status": 6, "page": 0 } })).await),
        ("benefits", app.call(&fleet, "finance/benefits", &[]).await),
        ("members", app.call(&fleet, "finance/members", &[]).await),
    ] {
        let message = refused(resp, 403, &format!("fleet: finance {what}")).await;
        assert!(message.contains("BSS"), "fleet: finance {what}: {message}");
    }
    let csv = fleet.get(app.url(&format!("/finance/statement.csv?cycle={cycle}"))).send().await.expect("csv");
    assert_eq!(csv.status(), 403);
    assert_eq!(bss_received(&app), 0, "BSS heard nothing");

    // Readonly may read, and may change nothing.
    let readonly = signed_in(&app, "readonly").await;
    let _: FinanceOverview = ok(app.call(&readonly, "finance/overview", &[]).await, "readonly: overview").await;
    let order = pending_orders(&app).first().cloned().expect("a pending order");
    let resource = in_use_master(&app, 3, false);
    let member = sandbox::read(&app.sandbox().world).enterprise.members[0].id.clone();
    let token = uuid::Uuid::new_v4().simple().to_string();
    let calls = bss_received(&app);
    for (what, resp) in [
        ("pay", app.call_json(&readonly, "finance/pay", &pay_body(&order, &[])).await),
        ("transfer", app.call_json(&readonly, "finance/transfer", &transfer_body(&member, "1.00", "ToMember", &token)).await),
        ("expiry", app.call_json(&readonly, "finance/expiry", &json!({ "resource_id": resource, "change": "AutoRenewOn" })).await),
        ("unsubscribe", app.call_json(&readonly, "finance/unsubscribe", &json!({ "request": { "resource_ids": [resource], "kind": "Whole" } })).await),
        ("cancel", app.call(&readonly, "finance/cancel", &[("order_id", &order)]).await),
    ] {
        refused(resp, 403, &format!("readonly: {what}")).await;
    }
    assert_eq!(bss_received(&app), calls, "nothing was read or sent for them");
    assert!(audit(&app, &readonly, "bss.").await.is_empty(), "nothing to audit");
    let w = sandbox::read(&app.sandbox().world);
    assert_eq!(w.billing.order(&order).map(|o| o.status), Some(order_status::PENDING_PAYMENT));
    assert_eq!(w.billing.resource(&resource).map(|r| r.expire_policy), Some(expire_policy::GRACE));
}

// ---------------------------------------------------------------------------------------------
// 9. Bad input never reaches BSS.

async fn bad_finance_input_never_reaches_bss(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let two_years = json!({ "query": { "created_from": "2024-01-01", "created_to": "2026-01-01", "page": 0 } });
    let message = refused(app.call_json(&client, "finance/orders", &two_years).await, 400, "two years of orders").await;
    assert!(message.contains("one year"), "{message}");
    let half = json!({ "query": { "paid_from": "2026-01-01", "page": 0 } });
    refused(app.call_json(&client, "finance/orders", &half).await, 400, "a range without its end").await;
    assert_eq!(app.received("list_customer_orders"), 0);

    refused(app.call_json(&client, "finance/fees", &json!({ "query": { "cycle": "2026-13", "page": 0 } })).await, 400, "month 13").await;
    let csv = client.get(app.url("/finance/fees.csv?cycle=2026-13")).send().await.expect("csv");
    assert_eq!(csv.status(), 400);
    assert_eq!(app.received("list_customer_bills_fee_records"), 0);

    refused(app.call(&client, "finance/statement", &[("cycle", "last")]).await, 400, "cycle \"last\"").await;
    let csv = client.get(app.url("/finance/statement.csv?cycle=last")).send().await.expect("csv");
    assert_eq!(csv.status(), 400);
    assert_eq!(app.received("show_customer_monthly_sum"), 0);

    // Resource records are one month at a time: a range across months is explained, not sent.
    let across = json!({ "query": { "cycle": "2026-10", "from": "2026-10-31", "to": "2026-11-01", "page": 0 } });
    let message = refused(app.call_json(&client, "finance/resource-records", &across).await, 400, "across months").await;
    assert!(message.contains("same month"), "{message}");
    assert_eq!(app.received("list_customerself_resource_records"), 0);

    refused(app.call(&client, "finance/order", &[("order_id", "CS1 OR 1=1")]).await, 400, "a bad order id").await;
    let days = json!({ "query": { "expiring_within": 0, "service": null } });
    refused(app.call_json(&client, "finance/subscriptions", &days).await, 400, "zero days").await;
    let pay = pay_body("CS1'", &[]);
    refused(app.call_json(&client, "finance/pay", &pay).await, 400, "a bad order id to pay").await;
    assert_eq!(bss_received(&app), 0, "BSS heard nothing");
}

/// A decimal as JSON writes it (`12.3`, `-0.05`, `7`) in fen; more than two decimals is a failure.
fn decimal_fen(text: &str) -> i64 {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    assert!(frac.len() <= 2, "{text:?} is whole fen");
    fen_of(&format!("{whole}.{frac:0<2}"))
}

/// A month's resource records through the console add up to the sandbox's fee records.
async fn resource_records_match_the_ledger(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let cycle = cycle_before(day_cn(Utc::now()), 1);
    let (expected_rows, expected_fen) = {
        let w = sandbox::read(&app.sandbox().world);
        let rows: Vec<_> = w.ledger.records.iter().filter(|r| r.cycle.to_string() == cycle).collect();
        (rows.len(), rows.iter().map(|r| r.amount_fen()).sum::<i64>())
    };
    let (mut rows, mut fen, mut page) = (0usize, 0i64, 0u32);
    loop {
        let query = json!({ "query": { "cycle": cycle, "from": null, "to": null, "page": page } });
        let got: Value = ok(app.call_json(&client, "finance/resource-records", &query).await, "resource records").await;
        let list = got["rows"].as_array().expect("rows").clone();
        if list.is_empty() {
            break;
        }
        rows += list.len();
        fen += list.iter().map(|r| decimal_fen(r["amount"].as_str().expect("amount"))).sum::<i64>();
        page += 1;
    }
    assert_eq!(rows, expected_rows);
    assert_eq!(fen, expected_fen, "to the fen");
}


/// Every page of a finance list, its rows' `field` summed in fen.
async fn all_pages(app: &TestApp, client: &reqwest::Client, endpoint: &str, mut query: Value, field: &str) -> (usize, i64) {
    let (mut rows, mut fen) = (0usize, 0i64);
    for page in 0u32.. {
        query["page"] = json!(page);
        let got: Value = ok(app.call_json(client, endpoint, &json!({ "query": query })).await, endpoint).await;
        let list = got["rows"].as_array().expect("rows").clone();
        if list.is_empty() {
            break;
        }
        rows += list.len();
        fen += list.iter().map(|r| decimal_fen(r[field].as_str().expect("amount"))).sum::<i64>();
    }
    (rows, fen)
}

/// Cost analysis, a month's amortised breakdown and per-resource spend each add up to the
/// sandbox's fee records to the fen; ranges BSS refuses are explained and never sent.
async fn costs_add_up_to_the_ledger(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let today = day_cn(Utc::now());
    let months: Vec<String> = (0..12).rev().map(|k| cycle_before(today, k)).collect();
    let ledger = |cycle: &str| -> i64 {
        let w = sandbox::read(&app.sandbox().world);
        w.ledger.records.iter().filter(|r| r.cycle.to_string() == cycle).map(|r| r.amount_fen()).sum()
    };
    let last = months[10].clone();
    assert!(ledger(&last) > 0, "the sandbox spent something last cycle");

    // Twelve months by charge mode: each month's column is that cycle's spend.
    let query = json!({ "query": { "from": months[0], "to": months[11], "group": "ChargeMode", "amortized": false, "net": false, "page": 0 } });
    let table: Value = ok(app.call_json(&client, "finance/costs", &query).await, "cost analysis").await;
    assert_eq!(table["months"], json!(months));
    let rows = table["rows"].as_array().expect("rows");
    assert!(rows.len() >= 2, "more than one charge mode: {table}");
    for (i, month) in months.iter().enumerate() {
        let column: i64 = rows.iter().map(|r| decimal_fen(r["months"][i].as_str().expect("amount"))).sum();
        assert_eq!(column, ledger(month), "{month} to the fen");
    }
    let all: i64 = months.iter().map(|m| ledger(m)).sum();
    assert_eq!(decimal_fen(table["all_total"].as_str().expect("all total")), all, "every group's total");
    let totals: Vec<i64> = rows.iter().map(|r| decimal_fen(r["total"].as_str().expect("total"))).collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "largest first: {totals:?}");

    // Last cycle by service, net of coupons: less than or equal to what was owed.
    let by_service = json!({ "query": { "from": last, "to": last, "group": "Service", "amortized": false, "net": true, "page": 0 } });
    let table: Value = ok(app.call_json(&client, "finance/costs", &by_service).await, "by service").await;
    let net: i64 = table["rows"].as_array().expect("rows").iter().map(|r| decimal_fen(r["total"].as_str().expect("total"))).sum();
    let coupons: i64 = {
        let w = sandbox::read(&app.sandbox().world);
        w.ledger.records.iter().filter(|r| r.cycle.to_string() == last).map(|r| r.coupon_fen).sum()
    };
    assert_eq!(net, ledger(&last) - coupons, "net of coupons");

    // The month's breakdown and each resource's spend add up to the same.
    let (_, shared) = all_pages(&app, &client, "finance/breakdown", json!({ "month": last }), "current").await;
    assert_eq!(shared, ledger(&last), "breakdown to the fen");
    let (resources, spent) = all_pages(&app, &client, "finance/resource-spend", json!({ "cycle": last }), "consumed").await;
    assert!(resources > 0);
    assert_eq!(spent, ledger(&last), "resource spend to the fen");

    // Thirteen months, or a bad charge mode: explained, never sent.
    let calls = app.received("list_costs");
    let long = json!({ "query": { "from": cycle_before(today, 12), "to": months[11], "group": "Service", "amortized": false, "net": false, "page": 0 } });
    let message = refused(app.call_json(&client, "finance/costs", &long).await, 400, "thirteen months").await;
    assert!(message.contains("twelve months"), "{message}");
    assert_eq!(app.received("list_costs"), calls);
    let calls = app.received("list_customer_bills_monthly_break_down");
    refused(app.call_json(&client, "finance/breakdown", &json!({ "query": { "month": last, "charge_mode": 2, "page": 0 } })).await, 400, "charge mode 2").await;
    assert_eq!(app.received("list_customer_bills_monthly_break_down"), calls);
}

/// The order list's CSV holds every matching order, however many pages; a range over a year is
/// refused before BSS is asked.
async fn the_order_csv_holds_every_order(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let page: OrderPage = ok(app.call_json(&client, "finance/orders", &json!({ "query": { "page": 0 } })).await, "orders").await;
    assert!(page.total > u64::from(model::finance::ORDER_PAGE), "more than one page of orders: {}", page.total);
    let resp = client.get(app.url("/finance/orders.csv?export=orders1")).send().await.expect("csv");
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.expect("csv");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], model_header(), "header");
    assert_eq!(lines.len() as u64 - 1, page.total, "every order: {}", lines.last().copied().unwrap_or_default());
    let ids: BTreeSet<&str> = lines[1..].iter().map(|l| l.split(',').next().unwrap_or_default()).collect();
    assert!(page.rows.iter().all(|o| ids.contains(o.id.as_str())), "the first page's orders are in it");
    let progress: Value = ok(app.call(&client, "fleet/export-progress", &[("id", "orders1")]).await, "progress").await;
    assert_eq!(progress["written"], json!(page.total), "{progress}");
    assert_eq!(progress["finished"], json!(true));

    let pending = client.get(app.url("/finance/orders.csv?status=6")).send().await.expect("csv").text().await.expect("csv");
    let pending_total = {
        let w = sandbox::read(&app.sandbox().world);
        w.billing.orders.iter().filter(|o| o.status == order_status::PENDING_PAYMENT).count()
    };
    assert_eq!(pending.lines().count() - 1, pending_total, "filtered by status");

    let calls = app.received("list_customer_orders");
    let resp = client.get(app.url("/finance/orders.csv?created_from=2024-01-01&created_to=2026-01-01")).send().await.expect("csv");
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.expect("text").contains("one year"));
    assert_eq!(app.received("list_customer_orders"), calls, "never sent");
}

fn model_header() -> &'static str {
    console::finance::csv::ORDER_HEADER.trim_end()
}

/// The statement as PDF: Chinese labels and names come back out as text (the font is embedded and
/// maps its glyphs), with every line's amount and the total as the statement has them.
async fn the_statement_pdf_reads_back(app: TestApp) {
    let client = signed_in(&app, "finance").await;
    let cycle = cycle_before(day_cn(Utc::now()), 1);
    let s: Statement = ok(app.call(&client, "finance/statement", &[("cycle", &cycle)]).await, "statement").await;
    let resp = client.get(app.url(&format!("/finance/statement.pdf?cycle={cycle}"))).send().await.expect("pdf");
    assert_eq!(resp.status(), 200, "{:?}", resp.text().await);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let pdf = resp.bytes().await.expect("bytes");
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.len() < 400_000, "the font is subset: {} bytes", pdf.len());
    let path = app.data_dir.join("statement.pdf");
    std::fs::write(&path, &pdf).expect("write");
    let out = std::process::Command::new("pdftotext").arg("-layout").arg(&path).arg("-").output().expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains(&format!("对账单 Statement {cycle}")), "{text}");
    assert!(text.contains("合计 Total") && text.contains("正式发票"), "{text}");
    assert!(text.contains(&model::money::format_cny(s.consumed)), "the total: {text}");
    for l in &s.lines {
        let name: String = l.service.chars().take(12).collect();
        assert!(text.contains(&name), "{name}: {text}");
        assert!(text.contains(&model::money::format_cny(l.consumed)), "{}: {text}", l.service);
    }
    assert!(!text.contains('\u{fffd}'), "no missing glyphs: {text}");
}

on_both_databases! {
    statement_pdf => the_statement_pdf_reads_back;
    costs_add_up => costs_add_up_to_the_ledger;
    order_csv => the_order_csv_holds_every_order;
    resource_records => resource_records_match_the_ledger;
    renew_once => identical_renewals_at_once_renew_once;
    bad_renewals => bad_renewals_and_other_identities_never_reach_bss;
    statement_adds_up => statement_and_its_csvs_add_up_to_the_ledger;
    pages_show_the_sandbox => overview_and_pages_show_the_sandbox;
    quotes => quotes_are_bss_prices;
    pay_once => identical_payments_at_once_pay_once;
    pay_with_coupon => paying_with_an_offered_coupon_pays_once;
    cancel => cancelling_a_pending_order_is_audited;
    expiry_changes => expiry_changes_reach_the_resource_and_are_audited;
    refused_expiry_change => a_refused_expiry_change_is_not_reported_done;
    unsubscribe_once => unsubscribing_refunds_once;
    transfer_once => transfers_move_budget_once;
    rights => identities_reach_only_what_they_may;
    bad_input => bad_finance_input_never_reaches_bss;
}
