//! Bulk jobs through the real server against the sandbox's own flow control and counters: the
//! impact preview, throughput at 10 calls per second, a restart in the middle (nothing lost,
//! nothing repeated), cancel within a second, and two server processes sharing one job table.
#![recursion_limit = "256"]

mod common;

use std::time::{Duration, Instant};

use common::{Backend, TestApp};
use serde_json::{Value, json};

const IN_USE: u8 = 20;
const SPEED: i64 = 64;

async fn signed_in(app: &TestApp, user: &str) -> reqwest::Client {
    let client = common::browser(&app.base);
    let resp = app.sign_in(&client, user).await;
    assert!(resp.status().is_success(), "sign-in: {}", resp.status());
    client
}

/// The smallest fleet whose first cards include exactly `n` in use (the sandbox's cards do not
/// depend on the fleet's size, so its first cards are the same in any larger fleet).
fn fleet_with_in_use(n: usize) -> usize {
    let w = sandbox::world::World::generate(7, n * 2, "probe".into(), chrono::Utc::now());
    let mut seen = 0;
    for (i, c) in w.sims.iter().enumerate() {
        if c.status == IN_USE {
            seen += 1;
            if seen == n {
                return i + 1;
            }
        }
    }
    panic!("a fleet of {} has fewer than {n} cards in use", n * 2);
}

async fn job_view(app: &TestApp, client: &reqwest::Client, id: i64) -> Value {
    let resp = app.call(client, "fleet/jobs/show", &[("id", &id.to_string())]).await;
    assert_eq!(resp.status(), 200);
    resp.json().await.expect("json")
}

async fn control(app: &TestApp, client: &reqwest::Client, id: i64, command: &str) -> reqwest::StatusCode {
    app.call(client, "fleet/jobs/control", &[("id", &id.to_string()), ("command", command)]).await.status()
}

/// Waits (polling like the page does) until `done` holds for the job, or fails after `limit`.
async fn wait_for(app: &TestApp, client: &reqwest::Client, id: i64, limit: Duration, done: impl Fn(&Value) -> bool) -> Value {
    let start = Instant::now();
    loop {
        let v = job_view(app, client, id).await;
        if done(&v) {
            return v;
        }
        assert!(start.elapsed() < limit, "job {id} did not get there within {limit:?}: {v}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Creates a speed-limit job over every card in use and waits for its preview.
async fn prepared_job(app: &TestApp, client: &reqwest::Client) -> (i64, Value) {
    let body = json!({
        "action": { "SetSpeedLimit": { "kbps": SPEED } },
        "selection": { "Filter": filter_in_use() },
    });
    let resp = app.call_json(client, "fleet/jobs/create", &body).await;
    assert_eq!(resp.status(), 200);
    let id: i64 = resp.json().await.expect("id");
    let preview = wait_for(app, client, id, Duration::from_secs(60), |v| v["state"] == json!("Ready")).await;
    (id, preview)
}

fn filter_in_use() -> Value {
    serde_json::to_value(model::inventory::SimFilter { status: Some(model::sim::SimStatus::InUse), ..Default::default() }).expect("filter")
}

fn done(v: &Value) -> u64 {
    v["counts"]["done"].as_u64().unwrap_or(0)
}

/// Every card of the job written exactly once, as the sandbox counted.
fn written_once(app: &TestApp, expected: usize) {
    let writes = app.writes("set_speed_value");
    assert_eq!(writes.len(), expected, "cards written");
    let repeated: Vec<_> = writes.iter().filter(|(_, n)| **n != 1).collect();
    assert!(repeated.is_empty(), "cards written more than once: {repeated:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_cards_at_ten_per_second_take_a_hundred_seconds() {
    let sims = fleet_with_in_use(1_000);
    let app = TestApp::spawn_with_sims(Backend::Sqlite, sims).await.expect("app");
    let client = signed_in(&app, "fleet").await;
    let (id, preview) = prepared_job(&app, &client).await;
    assert_eq!(preview["counts"]["total"], json!(1_000));
    assert_eq!(preview["counts"]["skipped"], json!(0));
    assert_eq!(preview["counts"]["done"], json!(0), "nothing changes before the start");
    assert!(app.writes("set_speed_value").is_empty());

    app.set_sandbox_rate(10);
    let started = Instant::now();
    assert_eq!(control(&app, &client, id, "Confirm").await, 200);
    let finished = wait_for(&app, &client, id, Duration::from_secs(200), |v| v["state"] == json!("Finished")).await;
    let elapsed = started.elapsed();
    assert_eq!(done(&finished), 1_000, "{finished}");
    assert_eq!(finished["counts"]["failed"], json!(0));
    written_once(&app, 1_000);
    let seconds = elapsed.as_secs_f64();
    println!("bulk job: 1000 cards in {seconds:.1} s at a sandbox limit of 10/s (ideal 100 s)");
    assert!((90.0..=110.0).contains(&seconds), "1,000 cards at 10/s took {seconds:.1} s, not within 10 % of 100 s");

    let resp = app.call(&client, "fleet/audit", &[("query", "action=job.")]).await;
    let entries: Value = resp.json().await.expect("json");
    assert_eq!(entries[0]["outcome"], json!("Succeeded"), "{entries}");
    assert!(entries[0]["detail"].as_str().expect("detail").starts_with("1000 done, 0 failed"));
}

async fn a_restart_in_the_middle_loses_and_repeats_nothing(app: TestApp) {
    let client = signed_in(&app, "fleet").await;
    let (id, preview) = prepared_job(&app, &client).await;
    let eligible = usize::try_from(preview["counts"]["total"].as_u64().expect("total")).expect("count");
    app.set_sandbox_rate(10);
    assert_eq!(control(&app, &client, id, "Confirm").await, 200);
    wait_for(&app, &client, id, Duration::from_secs(60), |v| done(v) >= 30).await;

    let app = app.restart().await;
    let mid = app.writes("set_speed_value").len();
    assert!(mid < eligible, "the restart came in the middle ({mid} of {eligible})");
    let finished = wait_for(&app, &client, id, Duration::from_secs(120), |v| v["state"] == json!("Finished")).await;
    assert_eq!(done(&finished), eligible as u64, "{finished}");
    assert_eq!(finished["counts"]["failed"], json!(0), "{finished}");
    written_once(&app, eligible);
}

async fn cancel_stops_within_a_second(app: TestApp) {
    let client = signed_in(&app, "fleet").await;
    let (id, _) = prepared_job(&app, &client).await;
    app.set_sandbox_rate(10);
    assert_eq!(control(&app, &client, id, "Confirm").await, 200);
    wait_for(&app, &client, id, Duration::from_secs(60), |v| done(v) >= 20).await;
    assert_eq!(control(&app, &client, id, "Cancel").await, 200);
    let cancelled_at = Instant::now();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after_a_second = app.writes("set_speed_value").len();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(app.writes("set_speed_value").len(), after_a_second, "no call after the first second");
    let v = job_view(&app, &client, id).await;
    assert_eq!(v["state"], json!("Cancelled"));
    println!("cancel: writes stopped within {:?}", cancelled_at.elapsed() - Duration::from_secs(2));
    // Cards already done are recorded; nothing was done twice.
    let writes = app.writes("set_speed_value");
    assert!(writes.values().all(|n| *n == 1));
    assert_eq!(done(&v), writes.len() as u64, "every write is recorded as done: {v}");
    assert_eq!(control(&app, &client, id, "Resume").await, 409, "a cancelled job stays cancelled");
}

async fn pause_resume_and_retry(app: TestApp) {
    let client = signed_in(&app, "fleet").await;
    let (id, preview) = prepared_job(&app, &client).await;
    let eligible = preview["counts"]["total"].as_u64().expect("total");
    assert_eq!(control(&app, &client, id, "Confirm").await, 200);
    assert_eq!(control(&app, &client, id, "Pause").await, 200);
    let paused = wait_for(&app, &client, id, Duration::from_secs(10), |v| v["state"] == json!("Paused")).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let frozen = app.writes("set_speed_value").len();
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(app.writes("set_speed_value").len(), frozen, "a paused job sends nothing: {paused}");
    assert_eq!(control(&app, &client, id, "Resume").await, 200);
    let finished = wait_for(&app, &client, id, Duration::from_secs(120), |v| v["state"] == json!("Finished")).await;
    assert_eq!(done(&finished), eligible);
    assert_eq!(control(&app, &client, id, "RetryFailed").await, 200, "no failed cards: nothing to do, still fine");
    let resp = app.call(&client, "fleet/jobs/list", &[]).await;
    let list: Value = resp.json().await.expect("json");
    assert_eq!(list[0]["id"], json!(id));
    assert_eq!(list[0]["counts"]["done"], json!(eligible), "the list carries each job's counts: {list}");
    written_once(&app, usize::try_from(eligible).expect("count"));
    // Another person cannot see or steer this job.
    let other = signed_in(&app, "admin").await;
    let resp = app.call(&other, "fleet/jobs/show", &[("id", &id.to_string())]).await;
    assert_eq!(resp.status(), 404);
    assert_eq!(control(&app, &other, id, "Cancel").await, 404);
}

async fn two_processes_share_jobs_and_a_dead_ones_job_is_taken_over(app: TestApp) {
    let mut sibling = app.sibling().await;
    let mut app = app;
    let client = signed_in(&app, "fleet").await;
    let (id, preview) = prepared_job(&app, &client).await;
    let eligible = preview["counts"]["total"].as_u64().expect("total");
    app.set_sandbox_rate(10);
    assert_eq!(control(&app, &client, id, "Confirm").await, 200);
    wait_for(&app, &client, id, Duration::from_secs(60), |v| done(v) >= 20).await;
    // Exactly one process holds the job; it dies without a goodbye (calls in flight cut off).
    let holder = app.lease_owner(id).await.expect("a process holds the running job");
    let survivor_base = if holder == app.worker {
        app.kill().await;
        sibling.base.clone()
    } else {
        assert_eq!(holder, sibling.worker, "the holder is one of the two processes");
        sibling.kill().await;
        app.base.clone()
    };
    // The person's browser now talks to the survivor (signed in there: sessions are shared).
    let client = common::browser(&survivor_base);
    let password = app.demo_password("fleet");
    let account = app.account_name();
    let resp = client
        .post(format!("{survivor_base}/api/sign_in"))
        .header("accept", "application/json")
        .form(&[("account", account.as_str()), ("user", "fleet"), ("password", password.as_str())])
        .send()
        .await
        .expect("sign in");
    assert!(resp.status().is_success());
    let finished = wait_at(&client, &survivor_base, id, "Finished").await;
    let failed = finished["counts"]["failed"].as_u64().unwrap_or(0);
    assert_eq!(done(&finished) + failed, eligible, "every card accounted for: {finished}");
    assert!(failed <= 4, "at most the calls cut off are unknown: {finished}");
    assert!(app.writes("set_speed_value").values().all(|n| *n == 1), "no card written twice");
    // The person retries the unknown ones; every card ends written exactly once.
    let resp = client
        .post(format!("{survivor_base}/api/fleet/jobs/control"))
        .header("accept", "application/json")
        .form(&[("id", id.to_string().as_str()), ("command", "RetryFailed")])
        .send()
        .await
        .expect("retry");
    assert_eq!(resp.status(), 200);
    let again = wait_at(&client, &survivor_base, id, "Finished").await;
    assert_eq!(done(&again), eligible, "{again}");
    written_once(&app, usize::try_from(eligible).expect("count"));
}

/// Polls a job on the server at `base` until it reaches `state`.
async fn wait_at(client: &reqwest::Client, base: &str, id: i64, state: &str) -> Value {
    let start = Instant::now();
    loop {
        let resp = client
            .post(format!("{base}/api/fleet/jobs/show"))
            .header("accept", "application/json")
            .form(&[("id", id.to_string())])
            .send()
            .await
            .expect("job");
        let v: Value = resp.json().await.expect("json");
        if v["state"] == json!(state) && v["counts"]["pending"] == json!(0) {
            return v;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "job {id} did not reach {state}: {v}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A job over the stopped cards, for `user`, started and run to its end.
async fn run_job_as(app: &TestApp, client: &reqwest::Client, kbps: i64) -> i64 {
    let filter = serde_json::to_value(model::inventory::SimFilter { status: Some(model::sim::SimStatus::Stopped), ..Default::default() })
        .expect("filter");
    let body = json!({ "action": { "SetSpeedLimit": { "kbps": kbps } }, "selection": { "Filter": filter } });
    let resp = app.call_json(client, "fleet/jobs/create", &body).await;
    assert_eq!(resp.status(), 200);
    resp.json().await.expect("id")
}

async fn each_persons_job_runs_under_their_own_identity(app: TestApp) {
    let fleet = signed_in(&app, "fleet").await;
    let admin = signed_in(&app, "admin").await;
    let (a, b) = (run_job_as(&app, &fleet, 64).await, run_job_as(&app, &admin, 128).await);
    let pa = wait_for(&app, &fleet, a, Duration::from_secs(30), |v| v["state"] == json!("Ready")).await;
    let pb = wait_for(&app, &admin, b, Duration::from_secs(30), |v| v["state"] == json!("Ready")).await;
    assert_eq!(control(&app, &fleet, a, "Confirm").await, 200);
    assert_eq!(control(&app, &admin, b, "Confirm").await, 200);
    wait_for(&app, &fleet, a, Duration::from_secs(40), |v| v["state"] == json!("Finished")).await;
    wait_for(&app, &admin, b, Duration::from_secs(40), |v| v["state"] == json!("Finished")).await;
    let by_user = sandbox::lock(&app.sandbox().counters).handled_by_user.clone();
    let writes = |u: &str| by_user.get(u).and_then(|ops| ops.get("set_speed_value")).copied().unwrap_or(0);
    assert_eq!(writes("fleet"), pa["counts"]["total"].as_u64().expect("total"), "fleet's job, fleet's token: {by_user:?}");
    assert_eq!(writes("admin"), pb["counts"]["total"].as_u64().expect("total"), "admin's job, admin's token: {by_user:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn two_processes_on_postgres() {
    if let Some(app) = common::within_a_minute("start-up", TestApp::spawn(Backend::Postgres)).await {
        two_processes_share_jobs_and_a_dead_ones_job_is_taken_over(app).await;
    }
}

on_both_databases! {
    restart => a_restart_in_the_middle_loses_and_repeats_nothing;
    cancel => cancel_stops_within_a_second;
    pause_resume => pause_resume_and_retry;
    own_identity => each_persons_job_runs_under_their_own_identity;
}
