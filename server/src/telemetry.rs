//! Logs and Prometheus metrics: HTTP requests, their latency, and upstream calls by operation and outcome.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use hwcloud::{CallObserver, CallRecord};

/// Initialises structured logs (to stderr) with a filter such as `info` or `server=debug`.
pub fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| "info".into());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Latency buckets, in milliseconds.
const BUCKETS_MS: [u64; 10] = [5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 10_000];

#[derive(Debug, Default)]
struct Histogram {
    buckets: [u64; BUCKETS_MS.len()],
    count: u64,
    sum_ms: u64,
}

impl Histogram {
    fn observe(&mut self, ms: u64) {
        for (b, limit) in self.buckets.iter_mut().zip(BUCKETS_MS) {
            if ms <= limit {
                *b += 1;
            }
        }
        self.count += 1;
        self.sum_ms += ms;
    }
}

#[derive(Debug, Default)]
struct Registry {
    requests: BTreeMap<(String, u16), u64>,
    latency: Histogram,
    upstream: BTreeMap<(String, String), u64>,
    upstream_latency: BTreeMap<String, Histogram>,
}

/// The process's metrics.
#[derive(Debug, Clone, Default)]
pub struct Metrics(Arc<Mutex<Registry>>);

impl Metrics {
    fn with<T>(&self, f: impl FnOnce(&mut Registry) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Prometheus text exposition.
    pub fn render(&self) -> String {
        self.with(|r| {
            let mut out = String::new();
            out.push_str("# HELP fleetdesk_http_requests_total HTTP requests by method and status.\n");
            out.push_str("# TYPE fleetdesk_http_requests_total counter\n");
            for ((method, status), n) in &r.requests {
                let _ = writeln!(out, "fleetdesk_http_requests_total{{method=\"{method}\",status=\"{status}\"}} {n}");
            }
            histogram(&mut out, "fleetdesk_http_request_duration_ms", "", &r.latency);
            out.push_str("# HELP fleetdesk_upstream_calls_total Huawei Cloud calls by operation and outcome.\n");
            out.push_str("# TYPE fleetdesk_upstream_calls_total counter\n");
            for ((op, outcome), n) in &r.upstream {
                let _ = writeln!(out, "fleetdesk_upstream_calls_total{{operation=\"{op}\",outcome=\"{outcome}\"}} {n}");
            }
            for (op, h) in &r.upstream_latency {
                histogram(&mut out, "fleetdesk_upstream_call_duration_ms", &format!("operation=\"{op}\""), h);
            }
            out
        })
    }
}

fn histogram(out: &mut String, name: &str, labels: &str, h: &Histogram) {
    let sep = if labels.is_empty() { "" } else { "," };
    for (limit, n) in BUCKETS_MS.iter().zip(h.buckets) {
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{limit}\"}} {n}");
    }
    let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}", h.count);
    let _ = writeln!(out, "{name}_sum{{{labels}}} {}", h.sum_ms);
    let _ = writeln!(out, "{name}_count{{{labels}}} {}", h.count);
}

impl CallObserver for Metrics {
    fn on_call(&self, record: &CallRecord) {
        let ms = u64::try_from(record.elapsed.as_millis()).unwrap_or(u64::MAX);
        self.with(|r| {
            *r.upstream.entry((record.operation.to_owned(), record.outcome.to_owned())).or_default() += 1;
            r.upstream_latency.entry(record.operation.to_owned()).or_default().observe(ms);
        });
        tracing::debug!(operation = record.operation, outcome = record.outcome, attempts = record.attempts, ms, "upstream call");
    }
}

/// Counts and times every HTTP request, and logs it (path only: no query, no body).
pub async fn track(State(metrics): State<Metrics>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    tracing::debug!(%method, %path, "request started");
    let resp = next.run(req).await;
    let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let status = resp.status().as_u16();
    metrics.with(|r| {
        *r.requests.entry((method.clone(), status)).or_default() += 1;
        r.latency.observe(ms);
    });
    tracing::info!(%method, %path, status, ms, "request");
    resp
}
