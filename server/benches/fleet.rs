//! Benchmark program (not a timed test) for the fleet console.
//!
//! `cargo bench -p server --bench fleet -- [--sims N] [--requests N] [--bulk-sims N]`
//!
//! 1. Inventory page cost: the console's inventory server function and its server-rendered page
//!    against a raw typed-client call for the same page (50 cards), on a sandbox of 100,000 cards,
//!    interleaved so both see the same machine; client and sandbox flow control off.
//! 2. Bulk throughput: a speed-limit job over every card in use of a small fleet, with the
//!    sandbox's flow control at 10 calls/s and the console's client at its default 10/s; cards per
//!    second against the limit.
//!
//! Prints Markdown rows for BENCHMARKS.md.

#![allow(clippy::float_arithmetic)] // reporting rates and ratios
#![recursion_limit = "256"]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use hwcloud::gsl::ListSimCardsRequest;
use hwcloud::{Client, ClientConfig, Endpoints};
use secrecy::SecretString;
use serde_json::{Value, json};
use server::config::{Config, SandboxSettings};
use server::startup::Application;

struct Args {
    sims: usize,
    requests: usize,
    bulk_sims: usize,
}

fn args() -> Args {
    let mut a = Args { sims: 100_000, requests: 200, bulk_sims: 500 };
    let argv: Vec<String> = std::env::args().collect();
    let value = |i: usize| argv.get(i + 1).and_then(|v| v.parse::<usize>().ok());
    for (i, arg) in argv.iter().enumerate() {
        match arg.as_str() {
            "--sims" => a.sims = value(i).unwrap_or(a.sims),
            "--requests" => a.requests = value(i).unwrap_or(a.requests),
            "--bulk-sims" => a.bulk_sims = value(i).unwrap_or(a.bulk_sims),
            _ => {}
        }
    }
    a
}

struct Running {
    base: String,
    sandbox: std::sync::Arc<sandbox::AppState>,
    sandbox_url: String,
}

/// Starts the console with its in-process sandbox, on SQLite in a temporary directory.
async fn start(sims: usize, client_rate: u32, sandbox_rate: u32) -> Running {
    let dir = std::env::temp_dir().join(format!("fleetdesk-bench-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let defaults = Config::default();
    let config = Config {
        bind: "127.0.0.1:0".parse().expect("addr"),
        database_url: format!("sqlite://{}/bench.db?mode=rwc", dir.display()),
        data_dir: dir.clone(),
        site_root: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site")),
        sandbox: SandboxSettings { sims, rate_limit: sandbox_rate, ..defaults.sandbox.clone() },
        rate_limit_per_second: client_rate,
        log: "error".into(),
        ..defaults
    };
    let mut app = Application::build(config).await.expect("application");
    let base = format!("http://{}", app.addr());
    let running = app.sandbox.take().expect("sandbox mode");
    let sandbox = running.state.clone();
    let sandbox_url = running.base_url();
    tokio::spawn(async move {
        let _keep = running;
        let _ = app.run_until(std::future::pending()).await;
    });
    Running { base, sandbox, sandbox_url }
}

fn browser(base: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("origin", reqwest::header::HeaderValue::from_str(base).expect("origin"));
    reqwest::Client::builder().cookie_store(true).default_headers(headers).build().expect("client")
}

fn password(r: &Running, user: &str) -> String {
    let account = &r.sandbox.account;
    account.users[account.by_name(user).expect("user")].password.clone()
}

async fn sign_in(r: &Running, client: &reqwest::Client) {
    let account = r.sandbox.account.account_name.clone();
    let resp = client
        .post(format!("{}/api/sign_in", r.base))
        .form(&[("account", account.as_str()), ("user", "fleet"), ("password", password(r, "fleet").as_str())])
        .send()
        .await
        .expect("sign in");
    assert!(resp.status().is_success(), "sign in: {}", resp.status());
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

async fn inventory(a: &Args) {
    let r = start(a.sims, 0, 0).await;
    let console = browser(&r.base);
    sign_in(&r, &console).await;
    let raw = Client::new(ClientConfig { endpoints: Endpoints::single(&r.sandbox_url), rate_limit_per_second: 0, ..ClientConfig::default() });
    let account = r.sandbox.account.account_name.clone();
    let login = raw.login_with_password(&account, "fleet", &SecretString::from(password(&r, "fleet"))).await.expect("login");
    let who = login.identity;

    let (mut raw_t, mut fn_t, mut page_t) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..a.requests + 10 {
        // Pages spread over the fleet, the same page for all three in one round.
        let page = 1 + (i * 37) % (a.sims / 50).max(1);
        let t = Instant::now();
        let req = ListSimCardsRequest { offset: Some(page as i64), limit: Some(50), ..Default::default() };
        let resp = raw.call(&who, &req).await.expect("raw call");
        let raw_d = t.elapsed();
        assert_eq!(resp.value.sim_cards.map(|c| c.len()), Some(50));

        let t = Instant::now();
        let resp = console
            .post(format!("{}/api/fleet/sims", r.base))
            .header("accept", "application/json")
            .form(&[("query", format!("page={page}"))])
            .send()
            .await
            .expect("server function");
        let v: Value = resp.json().await.expect("json");
        let fn_d = t.elapsed();
        assert_eq!(v["cards"].as_array().map(Vec::len), Some(50), "{v}");

        let t = Instant::now();
        let html = console
            .get(format!("{}/fleet/sims?page={page}", r.base))
            .header("accept", "text/html")
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        let page_d = t.elapsed();
        assert!(html.contains("data-testid=\"sim-table\""), "the page rendered its table");
        if i >= 10 {
            raw_t.push(raw_d);
            fn_t.push(fn_d);
            page_t.push(page_d);
        }
    }
    for v in [&mut raw_t, &mut fn_t, &mut page_t] {
        v.sort();
    }
    let base = percentile(&raw_t, 0.5).as_secs_f64();
    println!("\n### Inventory page: {} cards, {} rounds, 50 cards per page", a.sims, a.requests);
    println!("| request | p50 | p95 | ratio of p50 to the raw call |");
    println!("|---|---|---|---|");
    for (name, v) in [
        ("raw `list_sim_cards` (typed client, no console)", &raw_t),
        ("console server function `fleet/sims` (JSON)", &fn_t),
        ("console page `/fleet/sims` (server-rendered HTML)", &page_t),
    ] {
        let p50 = percentile(v, 0.5);
        println!("| {name} | {} | {} | {:.2} |", ms(p50), ms(percentile(v, 0.95)), p50.as_secs_f64() / base);
    }
}

async fn bulk(a: &Args) {
    let r = start(a.bulk_sims, 10, 10).await;
    let client = browser(&r.base);
    sign_in(&r, &client).await;
    let body = json!({
        "action": { "SetSpeedLimit": { "kbps": 64 } },
        "selection": { "Filter": { "status": "InUse", "search": null, "search_by": "Iccid", "sim_type": null, "tags": [], "plans": [],
            "real_named": null, "used_min_mb": null, "used_max_mb": null, "left_min_mb": null, "left_max_mb": null,
            "attributes": [null, null, null, null, null, null], "sort": null, "descending": false } },
    });
    let resp = client.post(format!("{}/api/fleet/jobs/create", r.base)).header("accept", "application/json").json(&body).send().await.expect("create");
    let id: i64 = resp.json().await.expect("id");
    let show = |client: reqwest::Client, base: String| async move {
        let resp = client
            .post(format!("{base}/api/fleet/jobs/show"))
            .header("accept", "application/json")
            .form(&[("id", id.to_string())])
            .send()
            .await
            .expect("show");
        resp.json::<Value>().await.expect("json")
    };
    let mut v = show(client.clone(), r.base.clone()).await;
    while v["state"] != json!("Ready") {
        tokio::time::sleep(Duration::from_millis(100)).await;
        v = show(client.clone(), r.base.clone()).await;
    }
    let cards = v["counts"]["total"].as_u64().expect("total");
    let started = Instant::now();
    let resp = client
        .post(format!("{}/api/fleet/jobs/control", r.base))
        .form(&[("id", id.to_string()), ("command", "Confirm".to_owned())])
        .send()
        .await
        .expect("confirm");
    assert!(resp.status().is_success());
    while v["state"] != json!("Finished") {
        tokio::time::sleep(Duration::from_millis(50)).await;
        v = show(client.clone(), r.base.clone()).await;
    }
    let secs = started.elapsed().as_secs_f64();
    let rate = cards as f64 / secs;
    let throttled: u64 = sandbox::lock(&r.sandbox.counters).throttled.get("set_speed_value").copied().unwrap_or(0);
    println!("\n### Bulk job throughput: speed limit on {cards} cards, sandbox limit 10 calls/s");
    println!("| cards | seconds | cards/s | ratio to the 10/s limit | calls refused by flow control (retried) | failed |");
    println!("|---|---|---|---|---|---|");
    println!("| {cards} | {secs:.1} | {rate:.2} | {:.3} | {throttled} | {} |", rate / 10.0, v["counts"]["failed"]);
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let a = args();
    inventory(&a).await;
    bulk(&a).await;
}
