//! The fleet console's data and actions through the real server, against the sandbox over HTTP,
//! on SQLite and PostgreSQL: inventory pages, one card, every action with its audit entry, rights,
//! refused input that never reaches the sandbox, upstream errors with their request id, exports.
#![recursion_limit = "256"]

mod common;

use common::TestApp;
use serde_json::{Value, json};

/// Status numbers of the sandbox's cards.
const IN_USE: u8 = 20;
const STOPPED: u8 = 14;
const TESTABLE: u8 = 10;

async fn signed_in(app: &TestApp, user: &str) -> reqwest::Client {
    let client = common::browser(&app.base);
    let resp = app.sign_in(&client, user).await;
    assert!(resp.status().is_success(), "sign-in as {user}: {}", resp.status());
    client
}

/// GSL card id of the first sandbox card matching `pred`.
fn card_where(app: &TestApp, pred: impl Fn(&sandbox::world::sim::SimCard, usize) -> bool) -> i64 {
    let w = sandbox::read(&app.sandbox().world);
    let i = w.sims.iter().enumerate().position(|(i, c)| pred(c, i)).expect("a card matching the test's need");
    10_000_001 + i64::try_from(i).expect("index")
}

fn status_of(app: &TestApp, sim_card_id: i64) -> u8 {
    let w = sandbox::read(&app.sandbox().world);
    w.sims[usize::try_from(sim_card_id - 10_000_001).expect("index")].status
}

async fn list(app: &TestApp, client: &reqwest::Client, query: &str) -> (reqwest::StatusCode, Value) {
    let resp = app.call(client, "fleet/sims", &[("query", query)]).await;
    let status = resp.status();
    (status, resp.json().await.expect("json"))
}

async fn act(app: &TestApp, client: &reqwest::Client, sim_card_id: i64, action: Value) -> (reqwest::StatusCode, Value) {
    let resp = app.call_json(client, "fleet/act", &json!({ "sim_card_id": sim_card_id, "action": action })).await;
    let status = resp.status();
    (status, resp.json().await.expect("json"))
}

async fn inventory_pages_follow_the_url(app: TestApp) {
    let client = signed_in(&app, "fleet").await;
    let expected_stopped = sandbox::read(&app.sandbox().world).sims.iter().filter(|c| c.status == STOPPED).count();
    let (status, page) = list(&app, &client, "status=stopped&size=10").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["count"], json!(expected_stopped));
    let cards = page["cards"].as_array().expect("cards");
    assert!(!cards.is_empty() && cards.len() <= 10);
    assert!(cards.iter().all(|c| c["status"] == json!("Stopped")), "{cards:?}");
    assert_eq!(page["query"]["page_size"], json!(10));

    let (_, second) = list(&app, &client, "status=stopped&size=10&page=2").await;
    assert_ne!(second["cards"][0]["sim_card_id"], page["cards"][0]["sim_card_id"], "page 2 is another page");

    let (_, sorted) = list(&app, &client, "sort=used&dir=desc&size=50").await;
    let used: Vec<i64> = sorted["cards"].as_array().expect("cards").iter().map(|c| c["flow_used"].as_i64().unwrap_or(0)).collect();
    assert!(used.windows(2).all(|w| w[0] >= w[1]), "sorted by use, descending: {used:?}");

    let iccid = sorted["cards"][3]["iccid"].as_str().expect("iccid").to_owned();
    let (_, found) = list(&app, &client, &format!("q={iccid}")).await;
    assert_eq!(found["count"], json!(1));
    assert_eq!(found["cards"][0]["iccid"], json!(iccid));

    // The column choice is kept for the person.
    assert!(app.call(&client, "fleet/columns", &[("columns", "imei,status,speed")]).await.status().is_success());
    let (_, again) = list(&app, &client, "").await;
    assert_eq!(again["columns"], json!(["Imei", "Status", "Speed"]));
}

async fn bad_input_is_refused_before_any_upstream_call(app: TestApp) {
    let client = signed_in(&app, "fleet").await;
    let (lists, shows, speeds) = (app.received("list_sim_cards"), app.received("show_sim_card"), app.received("set_speed_value"));

    let (status, err) = list(&app, &client, "q=8986O4").await;
    assert_eq!(status, 400);
    assert_eq!(err["kind"], json!("InvalidInput"));
    assert!(err["message"].as_str().expect("message").contains("digits only"), "{err}");
    let (status, _) = list(&app, &client, "size=7").await;
    assert_eq!(status, 400);

    let card = card_where(&app, |c, _| c.status == IN_USE);
    let (status, err) = act(&app, &client, card, json!({ "SetSpeedLimit": { "kbps": 100 } })).await;
    assert_eq!(status, 400, "{err}");
    assert!(err["message"].as_str().expect("message").contains("100 Kbps is not a speed"), "{err}");
    let (status, _) = act(&app, &client, -5, json!("Stop")).await;
    assert_eq!(status, 400);

    let resp = app.call_json(&client, "fleet/jobs/create", &json!({ "action": "Stop", "selection": { "Cards": [] } })).await;
    assert_eq!(resp.status(), 400);
    let err: Value = resp.json().await.expect("json");
    assert!(err["message"].as_str().expect("message").contains("Select at least one SIM card"), "{err}");

    assert_eq!(app.received("list_sim_cards"), lists, "no list call for refused input");
    assert_eq!(app.received("show_sim_card"), shows, "no read for a refused action");
    assert_eq!(app.received("set_speed_value"), speeds, "no write for a refused action");
}

async fn a_card_is_stopped_and_audited(app: TestApp) {
    let client = signed_in(&app, "fleet").await;
    let card = card_where(&app, |c, _| c.status == IN_USE);
    let (status, done) = act(&app, &client, card, json!("Stop")).await;
    assert_eq!(status, 200, "{done}");
    assert!(done["work_order_id"].as_i64().is_some(), "{done}");
    assert!(done["request_id"].as_str().is_some_and(|r| !r.is_empty()));
    assert_eq!(status_of(&app, card), STOPPED);
    assert_eq!(app.writes("stop_sim_card").get(&card), Some(&1));

    let resp = app.call(&client, "fleet/sim", &[("sim_card_id", &card.to_string())]).await;
    assert_eq!(resp.status(), 200);
    let detail: Value = resp.json().await.expect("json");
    assert_eq!(detail["card"]["status"], json!("Stopped"));
    let entry = &detail["history"][0];
    assert_eq!(entry["action"], json!("sim.stop"));
    assert_eq!(entry["outcome"], json!("Succeeded"));
    assert_eq!(entry["iam_user"], json!("fleet"));
    assert_eq!(entry["request_id"], done["request_id"]);
    assert!(entry["detail"].as_str().expect("detail").contains(&done["work_order_id"].to_string()));
    assert!(entry["finished_at"].is_string());

    // Stopping it again is explained without a write.
    let stops = app.received("stop_sim_card");
    let (status, err) = act(&app, &client, card, json!("Stop")).await;
    assert_eq!(status, 409, "{err}");
    assert!(err["message"].as_str().expect("message").contains("already"));
    assert_eq!(app.received("stop_sim_card"), stops);

    let resp = app.call(&client, "fleet/audit", &[("query", "action=sim.stop")]).await;
    let entries: Value = resp.json().await.expect("json");
    assert_eq!(entries.as_array().expect("entries").len(), 1, "{entries}");
    let (status, _) = act(&app, &client, card, json!("Resume")).await;
    assert_eq!(status, 200);
    assert_eq!(status_of(&app, card), IN_USE);
}

async fn every_action_reaches_gsl(app: TestApp) {
    let client = signed_in(&app, "fleet").await;
    let in_use = card_where(&app, |c, _| c.status == IN_USE && c.has(sandbox::world::sim::flag::REAL_NAMED));
    let testable = card_where(&app, |c, _| c.status == TESTABLE);
    let telecom = card_where(&app, |c, _| {
        c.status == IN_USE && sandbox::world::catalog::PLANS[usize::from(c.plan)].carrier == 2 && c.imei_bind_remain > 0
    });
    let multi = card_where(&app, |c, _| c.status == IN_USE && c.has(sandbox::world::sim::flag::MULTIPLY));
    let tag = { sandbox::read(&app.sandbox().world).tags[0].id };
    let steps: Vec<(i64, Value, &str)> = vec![
        (testable, json!("Activate"), "enable_sim_card"),
        (in_use, json!("CutNet"), "start_stop_net"),
        (in_use, json!("RestoreNet"), "start_stop_net"),
        (in_use, json!({ "SetExceedCutNet": { "quota_mb": 500 } }), "set_exceed_cut_net"),
        (in_use, json!("CancelExceedCutNet"), "set_exceed_cut_net"),
        (in_use, json!({ "SetSpeedLimit": { "kbps": 1024 } }), "set_speed_value"),
        (in_use, json!("ClearRealName"), "delete_real_name"),
        (in_use, json!({ "SetTags": { "tag_ids": [tag] } }), "batch_set_tags"),
        (in_use, json!({ "SetAttributes": { "values": ["north", null, null, null, null, ""] } }), "batch_set_attributes"),
        (in_use, json!({ "SendSms": { "text": "reboot" } }), "send_sms"),
        (telecom, json!({ "RebindImei": { "imei": "861234567890123", "fixed": false } }), "register_imei"),
        (multi, json!({ "SwitchNetwork": { "carrier": 3 } }), "switch_network"),
    ];
    for (card, action, operation) in steps {
        let before = app.writes(operation).get(&card).copied().unwrap_or(0);
        let (status, body) = act(&app, &client, card, action.clone()).await;
        assert_eq!(status, 200, "{action}: {body}");
        assert_eq!(app.writes(operation).get(&card).copied().unwrap_or(0), before + 1, "{action} written once");
    }
    let resp = app.call(&client, "fleet/sim", &[("sim_card_id", &in_use.to_string())]).await;
    let detail: Value = resp.json().await.expect("json");
    assert_eq!(detail["card"]["speed_limit"], json!(1024));
    assert_eq!(detail["card"]["real_named"], json!(false));
    assert_eq!(detail["card"]["attributes"][0], json!("north"));
    let resp = app.call(&client, "fleet/audit", &[("query", "outcome=succeeded")]).await;
    let entries: Value = resp.json().await.expect("json");
    assert_eq!(entries.as_array().expect("entries").len(), 12);
}

async fn a_read_only_identity_is_refused_and_nothing_is_sent(app: TestApp) {
    let client = signed_in(&app, "readonly").await;
    let (status, page) = list(&app, &client, "size=10").await;
    assert_eq!(status, 200);
    assert_eq!(page["can_write"], json!(false));
    let card = card_where(&app, |c, _| c.status == IN_USE);
    let shows = app.received("show_sim_card");
    let (status, err) = act(&app, &client, card, json!("Stop")).await;
    assert_eq!(status, 403, "{err}");
    assert_eq!(err["kind"], json!("Forbidden"));
    let resp = app.call_json(&client, "fleet/jobs/create", &json!({ "action": "Stop", "selection": { "Cards": [card] } })).await;
    assert_eq!(resp.status(), 403);
    assert_eq!(app.received("show_sim_card"), shows);
    assert_eq!(app.received("stop_sim_card"), 0);
    // Someone without any GSL right is refused by fleetdesk itself: no fleet data, nothing sent.
    let finance = signed_in(&app, "finance").await;
    let lists = app.received("list_sim_cards");
    let (status, err) = list(&app, &finance, "").await;
    assert_eq!(status, 403, "{err}");
    assert!(err["message"].as_str().is_some_and(|m| m.contains("Global SIM Link")), "{err}");
    assert_eq!(app.received("list_sim_cards"), lists, "GSL was not asked");
}

async fn upstream_refusals_show_their_request_id_and_are_audited(app: TestApp) {
    let client = signed_in(&app, "fleet").await;
    // A switch policy that does not exist: only GSL can tell, and refuses.
    let multi = card_where(&app, |c, _| c.status == IN_USE && c.has(sandbox::world::sim::flag::MULTIPLY));
    let (status, err) = act(&app, &client, multi, json!({ "SetSwitchPolicy": { "policy_id": 987_654 } })).await;
    assert_eq!(status, 502, "{err}");
    assert_eq!(err["kind"], json!("Upstream"));
    assert!(err["message"].as_str().expect("message").contains("policy"), "{err}");
    let request_id = err["request_id"].as_str().expect("request id").to_owned();
    let resp = app.call(&client, "fleet/audit", &[("query", "outcome=failed")]).await;
    let entries: Value = resp.json().await.expect("json");
    assert_eq!(entries[0]["action"], json!("sim.switch_policy"));
    assert_eq!(entries[0]["outcome"], json!("Failed"));
    assert_eq!(entries[0]["request_id"], json!(request_id));
}

async fn exports_hold_every_matching_card(app: TestApp) {
    let client = signed_in(&app, "fleet").await;
    let expected = sandbox::read(&app.sandbox().world).sims.iter().filter(|c| c.status == IN_USE).count();
    let resp = client.get(app.url("/fleet/sims/export.csv?status=in-use&size=10&export=e2etest1")).send().await.expect("export");
    assert_eq!(resp.status(), 200, "{:?}", resp.text().await);
    assert!(resp.headers()["content-disposition"].to_str().expect("header").contains("attachment"));
    let body = resp.text().await.expect("csv");
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), expected + 1, "header and one row per card, not one page");
    assert!(lines[0].starts_with("sim_card_id,iccid"));
    assert!(lines[1..].iter().all(|l| l.split(',').nth(5) == Some("in-use")));
    let resp = app.call(&client, "fleet/export-progress", &[("id", "e2etest1")]).await;
    let progress: Value = resp.json().await.expect("json");
    assert_eq!(progress, json!({ "expected": expected, "written": expected, "finished": true }));
    let resp = client.get(app.url("/fleet/sims/export.csv?q=12ab")).send().await.expect("export");
    assert_eq!(resp.status(), 400);
    let anonymous = common::browser(&app.base);
    assert_eq!(anonymous.get(app.url("/fleet/sims/export.csv")).send().await.expect("export").status(), 401);

    let card = card_where(&app, |c, _| c.status == IN_USE);
    let (status, _) = act(&app, &client, card, json!({ "SetSpeedLimit": { "kbps": 64 } })).await;
    assert_eq!(status, 200);
    let audit = client.get(app.url("/fleet/audit.csv?action=sim.speed")).send().await.expect("audit csv").text().await.expect("csv");
    assert_eq!(audit.lines().count(), 2, "{audit}");
    assert!(audit.contains("sim.speed_limit") && audit.contains("succeeded"));
}

async fn usage_covers_ninety_days_and_twenty_four_cycles(app: TestApp) {
    let client = signed_in(&app, "fleet").await;
    let card = card_where(&app, |c, _| c.status == IN_USE && c.act_day > 0);
    let resp = app.call(&client, "fleet/usage", &[("sim_card_id", &card.to_string())]).await;
    assert_eq!(resp.status(), 200);
    let usage: Value = resp.json().await.expect("json");
    let daily = usage["daily"].as_array().expect("daily");
    let monthly = usage["monthly"].as_array().expect("monthly");
    assert!((85..=90).contains(&daily.len()), "up to yesterday, 90 days back: {}", daily.len());
    assert_eq!(monthly.len(), 24);
    let days: Vec<&str> = daily.iter().map(|d| d[0].as_str().expect("day")).collect();
    assert!(days.windows(2).all(|w| w[0] < w[1]), "oldest first");
}

async fn overview_pools_and_work_orders_have_their_data(app: TestApp) {
    let client = signed_in(&app, "fleet").await;
    // A stop first, so there is a recent work order to see.
    let card = card_where(&app, |c, _| c.status == IN_USE);
    let (_, done) = act(&app, &client, card, json!("Stop")).await;
    let order = done["work_order_id"].as_i64().expect("work order");

    let resp = app.call(&client, "fleet/overview", &[]).await;
    assert_eq!(resp.status(), 200);
    let o: Value = resp.json().await.expect("json");
    let (stopped, total) = {
        let w = sandbox::read(&app.sandbox().world);
        (w.sims.iter().filter(|c| c.status == STOPPED).count(), w.sims.len())
    };
    let by_status = o["by_status"].as_array().expect("by status");
    assert_eq!(by_status.iter().map(|s| s[1].as_u64().unwrap_or(0)).sum::<u64>(), total as u64);
    assert!(by_status.iter().any(|s| s[0] == json!("Stopped") && s[1] == json!(stopped)), "{by_status:?}");
    assert_eq!(o["work_orders"][0]["id"], json!(order), "newest work order first");
    assert!(o["usage"][0].as_i64().expect("this cycle") > 0);
    assert!(o["pools_running_dry"].as_array().expect("pools").iter().all(|p| {
        p["used"].as_i64().unwrap_or(0) * 10 >= p["total"].as_i64().unwrap_or(1) * 8
    }));

    let resp = app.call(&client, "fleet/pools", &[]).await;
    let pools: Value = resp.json().await.expect("json");
    let pools = pools.as_array().expect("pools");
    let flow = pools.iter().find(|p| p["kind"] == json!("Flow")).expect("a flow pool");
    assert!(pools.iter().any(|p| p["kind"] == json!("Back")), "back pools too");
    assert!(!flow["history"].as_array().expect("history").is_empty());
    assert!(flow["projected"].as_i64().expect("projection") >= flow["used"].as_i64().expect("used"));
    let id = flow["id"].to_string();
    let resp = app.call(&client, "fleet/pool", &[("kind", "Flow"), ("id", &id)]).await;
    assert_eq!(resp.status(), 200);
    let members: Value = resp.json().await.expect("json");
    let used: Vec<i64> = members["members"].as_array().expect("members").iter().map(|m| m["used"].as_i64().unwrap_or(0)).collect();
    assert_eq!(used.len() as i64, flow["members"].as_i64().expect("members"));
    assert!(used.windows(2).all(|w| w[0] >= w[1]), "top consumers first");
    assert_eq!(used.iter().sum::<i64>(), flow["used"].as_i64().expect("used"), "members add up to the pool");

    let resp = app.call(&client, "fleet/work-orders", &[("page", "1")]).await;
    let page: Value = resp.json().await.expect("json");
    assert_eq!(page["orders"][0]["id"], json!(order));
    let resp = app.call(&client, "fleet/work-order", &[("id", &order.to_string()), ("page", "1")]).await;
    let detail: Value = resp.json().await.expect("json");
    assert_eq!(detail["order"]["kind"], json!(5));
    assert_eq!(detail["lines"][0]["sim_card_id"], json!(card));
    let resp = app.call(&client, "fleet/work-order", &[("id", "-1"), ("page", "1")]).await;
    assert_eq!(resp.status(), 400);
}

async fn tags_attributes_and_plans_are_managed_and_audited(app: TestApp) {
    let client = signed_in(&app, "fleet").await;
    let creates = app.received("create_tag");
    let resp = app.call(&client, "fleet/tags/create", &[("name", "  ")]).await;
    assert_eq!(resp.status(), 400, "an empty name is refused");
    assert_eq!(app.received("create_tag"), creates, "and never sent");
    let resp = app.call(&client, "fleet/tags/create", &[("name", "cold-chain")]).await;
    assert_eq!(resp.status(), 200);
    let id: i64 = resp.json().await.expect("id");

    let cards: Vec<i64> = (0..3).map(|k| 10_000_001 + k).collect();
    for card in &cards {
        let (status, body) = act(&app, &client, *card, json!({ "SetTags": { "tag_ids": [id] } })).await;
        assert!(status == 200 || status == 409, "{body}");
    }
    let resp = app.call(&client, "fleet/tags", &[]).await;
    let tags: Value = resp.json().await.expect("json");
    let tag = tags.as_array().expect("tags").iter().find(|t| t["id"] == json!(id)).expect("the new tag");
    let tagged = cards.iter().filter(|c| status_of(&app, **c) != 30).count();
    assert_eq!(tag["cards"], json!(tagged), "usage count: {tag}");

    let resp = app.call(&client, "fleet/tags/delete", &[("id", &id.to_string())]).await;
    assert_eq!(resp.status(), 200);
    let resp = app.call(&client, "fleet/attributes/rename", &[("id", "2"), ("name", "Region")]).await;
    assert_eq!(resp.status(), 200);
    let resp = app.call(&client, "fleet/attributes/enable", &[("id", "2"), ("enabled", "false")]).await;
    assert_eq!(resp.status(), 200);
    let resp = app.call(&client, "fleet/attributes/rename", &[("id", "7"), ("name", "x")]).await;
    assert_eq!(resp.status(), 400, "there are six attributes");
    let resp = app.call(&client, "fleet/attributes", &[]).await;
    let attrs: Value = resp.json().await.expect("json");
    assert_eq!(attrs.as_array().expect("attributes").len(), 6);
    assert_eq!(attrs[1]["name"], json!("Region"));
    assert_eq!(attrs[1]["enabled"], json!(false));

    let resp = app.call(&client, "fleet/audit", &[("query", "")]).await;
    let entries: Value = resp.json().await.expect("json");
    let actions: Vec<&str> = entries.as_array().expect("entries").iter().filter_map(|e| e["action"].as_str()).collect();
    for a in ["tag.create", "tag.delete", "attribute.rename", "attribute.disable"] {
        assert!(actions.contains(&a), "{a} audited: {actions:?}");
    }
    let resp = app.call(&client, "fleet/price-plans", &[]).await;
    let plans: Value = resp.json().await.expect("json");
    assert!(plans.as_array().expect("plans").len() >= 5);
    assert!(plans[0]["price_cents"].as_i64().is_some());
}

on_both_databases! {
    overview_pools_work_orders => overview_pools_and_work_orders_have_their_data;
    tags_attributes_plans => tags_attributes_and_plans_are_managed_and_audited;
    inventory_pages => inventory_pages_follow_the_url;
    bad_input => bad_input_is_refused_before_any_upstream_call;
    stop_and_audit => a_card_is_stopped_and_audited;
    every_action => every_action_reaches_gsl;
    read_only => a_read_only_identity_is_refused_and_nothing_is_sent;
    upstream_errors => upstream_refusals_show_their_request_id_and_are_audited;
    exports => exports_hold_every_matching_card;
    usage => usage_covers_ninety_days_and_twenty_four_cycles;
}
