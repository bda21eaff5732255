//! A local Huawei Cloud: IAM tokens and Global SIM Link v3 on one port, deterministic from a seed.
//!
//! It authenticates like the API gateway (AK/SK signatures as the SDK signs, IAM tokens), enforces
//! IAM rights and flow control, and keeps a coherent, stateful fleet that actions change.

pub mod bss;
pub mod control;
pub mod error;
pub mod gateway;
pub mod gsl;
pub mod iam;
pub mod identity;
pub mod params;
pub mod world;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use chrono::{DateTime, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use identity::Account;
use world::World;

/// Adjustable behaviour: flow control, token lifetime and injected faults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Requests per second per (account, operation); 0 turns flow control off.
    pub rate_limit: u32,
    /// Lifetime of issued IAM tokens, in seconds.
    pub token_ttl_secs: u64,
    /// Added latency per request, in milliseconds.
    pub latency_ms: u64,
    /// Percentage of requests answered with a 500.
    pub fail_percent: u8,
    /// Percentage of requests answered with a 429.
    pub throttle_percent: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            rate_limit: 10,
            token_ttl_secs: 24 * 3600,
            latency_ms: 0,
            fail_percent: 0,
            throttle_percent: 0,
        }
    }
}

/// How to build a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Seed of all generated data and credentials.
    pub seed: u64,
    /// Number of SIM cards.
    pub sims: usize,
    /// Initial settings.
    pub settings: Settings,
    /// Secret for the `/__sandbox` control endpoints; `None` disables them.
    pub control_token: Option<String>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            seed: 7,
            sims: 2_000,
            settings: Settings::default(),
            control_token: None,
        }
    }
}

/// Token scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Domain (account) scoped: BSS.
    Domain,
    /// Project scoped: GSL.
    Project,
}

/// An issued IAM token.
#[derive(Debug, Clone)]
pub struct TokenRecord {
    /// User index in the account.
    pub user: usize,
    /// Scope.
    pub scope: Scope,
    /// Issued.
    pub issued_at: DateTime<Utc>,
    /// Expires.
    pub expires_at: DateTime<Utc>,
}

/// Per-operation call counts, for tests that must prove what reached the cloud.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Counters {
    /// Requests that matched an operation.
    pub received: BTreeMap<String, u64>,
    /// Requests a handler answered (after auth, rights and flow control).
    pub handled: BTreeMap<String, u64>,
    /// Requests refused by flow control.
    pub throttled: BTreeMap<String, u64>,
    /// Requests failed by fault injection.
    pub faulted: BTreeMap<String, u64>,
    /// Successful writes per operation and `sim_card_id`.
    pub writes: BTreeMap<String, BTreeMap<i64, u64>>,
    /// Requests a handler answered, per IAM user name and operation (whose credentials made them).
    pub handled_by_user: BTreeMap<String, BTreeMap<String, u64>>,
}

/// Shared state of one sandbox.
#[derive(Debug)]
pub struct AppState {
    /// The account and its users.
    pub account: Account,
    /// The fleet.
    pub world: RwLock<World>,
    /// Issued tokens.
    pub tokens: Mutex<HashMap<String, TokenRecord>>,
    /// Current settings.
    pub settings: RwLock<Settings>,
    /// Flow-control state: theoretical arrival time per (account, operation).
    pub buckets: Mutex<HashMap<(String, &'static str), Instant>>,
    /// Call counters.
    pub counters: Mutex<Counters>,
    /// Control endpoint secret.
    pub control_token: Option<String>,
    /// Randomness for fault injection (seeded, so a run can be repeated).
    pub fault_rng: Mutex<StdRng>,
}

/// Locks a mutex, recovering from poisoning (a panicked handler must not wedge the sandbox).
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Read access to a lock, recovering from poisoning.
pub fn read<T>(l: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Write access to a lock, recovering from poisoning.
pub fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl AppState {
    /// Builds the state: account, fleet and settings.
    pub fn new(config: &SandboxConfig) -> Self {
        let account = Account::seeded(config.seed);
        let world = World::generate(
            config.seed,
            config.sims,
            account.domain_id.clone(),
            Utc::now(),
        );
        Self {
            account,
            world: RwLock::new(world),
            tokens: Mutex::new(HashMap::new()),
            settings: RwLock::new(config.settings),
            buckets: Mutex::new(HashMap::new()),
            counters: Mutex::new(Counters::default()),
            control_token: config.control_token.clone(),
            fault_rng: Mutex::new(StdRng::seed_from_u64(config.seed)),
        }
    }

    /// Counts a successful write to a card.
    pub fn count_write(&self, operation: &str, sim_card_id: i64) {
        *lock(&self.counters)
            .writes
            .entry(operation.to_owned())
            .or_default()
            .entry(sim_card_id)
            .or_default() += 1;
    }
}

/// The whole sandbox as an axum router.
pub fn router(state: std::sync::Arc<AppState>) -> Router {
    Router::new()
        .merge(iam::routes())
        .merge(gsl::routes())
        .merge(bss::routes())
        .merge(control::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            gateway::gateway,
        ))
        .with_state(state)
}

/// A sandbox running in the background.
#[derive(Debug)]
pub struct RunningSandbox {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its shared state (tests may inspect it directly).
    pub state: std::sync::Arc<AppState>,
    /// The control endpoint secret.
    pub control_token: String,
    task: tokio::task::JoinHandle<()>,
}

impl RunningSandbox {
    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a sandbox on `addr` (use port 0 for a free one) in the current tokio runtime.
pub async fn spawn(mut config: SandboxConfig, addr: SocketAddr) -> std::io::Result<RunningSandbox> {
    let control_token = config
        .control_token
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
    config.control_token = Some(control_token.clone());
    let state = std::sync::Arc::new(AppState::new(&config));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let app = router(state.clone());
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "sandbox server stopped");
        }
    });
    Ok(RunningSandbox {
        addr,
        state,
        control_token,
        task,
    })
}

/// Upper bound of a request body the sandbox reads.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// How far an `X-Sdk-Date` may be from the sandbox's clock.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);
