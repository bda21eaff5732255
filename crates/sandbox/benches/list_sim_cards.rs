//! Benchmark program (not a timed test): the sandbox's `list_sim_cards` on a large fleet, and the
//! client's signing cost per request.
//!
//! `cargo bench -p sandbox --bench list_sim_cards -- [--sims N] [--requests N] [--concurrency N]`
//!
//! Starts the release `hwsandbox` binary as its own process (so its RSS is its own), drives it with
//! the typed client over loopback, and prints a Markdown table for BENCHMARKS.md.

#![allow(clippy::float_arithmetic)] // reporting rates and ratios

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hwcloud::gsl::ListSimCardsRequest;
use hwcloud::operation::Operation;
use hwcloud::retry::RetryPolicy;
use hwcloud::signer::{self, SigningRequest};
use hwcloud::{AkSk, Client, ClientConfig, Credentials, Endpoints, Identity};
use sandbox::identity::Account;

struct Args {
    sims: usize,
    requests: usize,
    concurrency: usize,
}

fn args() -> Args {
    let mut a = Args { sims: 1_000_000, requests: 400, concurrency: 2 };
    let argv: Vec<String> = std::env::args().collect();
    let value = |i: usize| argv.get(i + 1).and_then(|v| v.parse::<usize>().ok());
    for (i, arg) in argv.iter().enumerate() {
        match arg.as_str() {
            "--sims" => a.sims = value(i).unwrap_or(a.sims),
            "--requests" => a.requests = value(i).unwrap_or(a.requests),
            "--concurrency" => a.concurrency = value(i).unwrap_or(a.concurrency),
            _ => {}
        }
    }
    a
}

/// Peak and current resident set of a process, in MiB, from /proc.
fn rss_mib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
            / 1024
    };
    (field("VmHWM:"), field("VmRSS:"))
}

struct Sandbox(Child);

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_sandbox(sims: usize) -> (Sandbox, String, Duration) {
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hwsandbox"))
        .args(["--addr", "127.0.0.1:0", "--seed", "7", "--rate-limit", "0", "--sims", &sims.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .expect("hwsandbox starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("address line");
    let url = line.trim().rsplit(' ').next().expect("url").to_owned();
    (Sandbox(child), url, started.elapsed())
}

struct Run {
    per_second: f64,
    p50: Duration,
    p95: Duration,
}

async fn drive(client: &Client, who: &Identity, requests: usize, concurrency: usize, make: impl Fn(usize) -> ListSimCardsRequest) -> Run {
    let reqs: Vec<ListSimCardsRequest> = (0..requests).map(make).collect();
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(requests);
    for chunk in reqs.chunks(concurrency) {
        let calls = chunk.iter().map(|r| async move {
            let t = Instant::now();
            let resp = client.call(who, r).await.expect("list succeeds");
            assert_eq!(resp.value.sim_cards.map(|c| c.len()), Some(500), "a full page");
            t.elapsed()
        });
        latencies.extend(futures::future::join_all(calls).await);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    Run {
        per_second: requests as f64 / elapsed.as_secs_f64(),
        p50: latencies[latencies.len() / 2],
        p95: latencies[latencies.len() * 95 / 100],
    }
}

fn signing_cost(ak: &str, sk: &str) -> Duration {
    let req = ListSimCardsRequest { limit: Some(500), offset: Some(17), sim_status: Some(14), ..Default::default() };
    let query = req.query();
    let headers = vec![
        ("Content-Type".to_owned(), "application/json".to_owned()),
        ("User-Agent".to_owned(), "fleetdesk-bench".to_owned()),
        ("X-Project-Id".to_owned(), "0a1b2c3d4e5f67890a1b2c3d4e5f6789".to_owned()),
    ];
    let path = req.path();
    let n = 100_000u32;
    let started = Instant::now();
    for _ in 0..n {
        let date = chrono::Utc::now().format(signer::DATE_FORMAT).to_string();
        let sreq = SigningRequest {
            method: "GET",
            host: "gsl.cn-north-4.myhuaweicloud.com",
            path: &path,
            query: &query,
            headers: &headers,
            body: b"",
        };
        std::hint::black_box(signer::sign(&sreq, ak, sk, &date));
    }
    started.elapsed() / n
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let a = args();
    let (sandbox, url, startup) = start_sandbox(a.sims);
    let (_, rss_idle) = rss_mib(sandbox.0.id());
    let account = Account::seeded(7);
    let admin = &account.users[0];
    let client = Client::new(ClientConfig {
        endpoints: Endpoints::single(&url),
        rate_limit_per_second: 0,
        retry: RetryPolicy { max_retries: 0, ..RetryPolicy::default() },
        ..ClientConfig::default()
    });
    let who = Identity {
        account: account.account_name.clone(),
        credentials: Credentials::AkSk {
            key: AkSk::new(admin.ak.clone(), admin.sk.clone()),
            project_id: Some(account.project_id.clone()),
            domain_id: None,
        },
    };
    let pages = (a.sims / 500).max(1);
    let stopped_total = client
        .call(&who, &ListSimCardsRequest { sim_status: Some(14), ..Default::default() })
        .await
        .expect("count")
        .value
        .count
        .unwrap_or(0);
    let stopped_pages = usize::try_from(stopped_total / 500).unwrap_or(1).max(1);
    // Spread the pages deterministically over the whole fleet.
    let unfiltered = drive(&client, &who, a.requests, a.concurrency, |k| ListSimCardsRequest {
        limit: Some(500),
        offset: Some(i64::try_from(1 + (k * 7919) % pages).unwrap_or(1)),
        ..Default::default()
    })
    .await;
    let filtered = drive(&client, &who, a.requests, a.concurrency, |k| ListSimCardsRequest {
        limit: Some(500),
        offset: Some(i64::try_from(1 + (k * 7919) % stopped_pages).unwrap_or(1)),
        sim_status: Some(14),
        ..Default::default()
    })
    .await;
    let (rss_peak, rss_now) = rss_mib(sandbox.0.id());
    let sign = signing_cost(&admin.ak, &admin.sk);
    println!("## sandbox list_sim_cards, {} SIM cards ({} stopped)\n", a.sims, stopped_total);
    println!("start-up (generate fleet, bind): {:.2} s; RSS after start {rss_idle} MiB, after the runs {rss_now} MiB, peak {rss_peak} MiB\n", startup.as_secs_f64());
    println!("| scenario (limit 500, {} requests, concurrency {}) | requests/s | p50 | p95 |", a.requests, a.concurrency);
    println!("|---|---|---|---|");
    for (name, r) in [("no filter, pages spread over the fleet", &unfiltered), ("sim_status=14, pages spread over the matches", &filtered)] {
        println!("| {name} | {:.1} | {:.1} ms | {:.1} ms |", r.per_second, r.p50.as_secs_f64() * 1e3, r.p95.as_secs_f64() * 1e3);
    }
    println!("\nclient signing (SDK-HMAC-SHA256) per request: {:.2} µs = {:.4}% of a median unfiltered request", sign.as_secs_f64() * 1e6, 100.0 * sign.as_secs_f64() / unfiltered.p50.as_secs_f64());
}
