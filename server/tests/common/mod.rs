//! TestApp: the real server on port 0, on SQLite or PostgreSQL, with the in-process sandbox.

#![allow(dead_code)] // each test binary uses a different part of the helper

use std::path::PathBuf;

use console::crypto::SessionCipher;
use reqwest::header::{HeaderMap, HeaderValue};
use secrecy::ExposeSecret;
use server::config::{Config, EmbedConfig, UpstreamConfig};
use server::startup::Application;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// PostgreSQL admin URL for creating per-test databases.
pub fn postgres_admin_url() -> String {
    std::env::var("FLEETDESK_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A fresh PostgreSQL database, or `None` (loudly) when no server is reachable outside CI.
pub async fn fresh_postgres() -> Option<String> {
    use sqlx::Connection;
    let admin = postgres_admin_url();
    match sqlx::PgConnection::connect(&admin).await {
        Ok(mut conn) => {
            let name = format!("fleetdesk_test_{}", uuid::Uuid::new_v4().simple());
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create database");
            let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
            Some(format!("{base}/{name}"))
        }
        Err(e) if std::env::var("CI").is_err() => {
            eprintln!("!!! PostgreSQL is not reachable at {admin} ({e}); the PostgreSQL half of this test is SKIPPED");
            None
        }
        Err(e) => panic!("PostgreSQL must be reachable in CI at {admin}: {e}"),
    }
}

/// How one server process of a test is started.
struct Process {
    backend: Backend,
    database_url: String,
    data_dir: PathBuf,
    session_key: String,
    upstream: Option<UpstreamConfig>,
    sims: usize,
    bind: std::net::SocketAddr,
    embed: EmbedConfig,
}

pub struct TestApp {
    pub base: String,
    pub app_sandbox: Option<std::sync::Arc<sandbox::AppState>>,
    pub sandbox_url: String,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub session_key: String,
    pub client: reqwest::Client,
    pub backend: Backend,
    pub sims: usize,
    pub worker: String,
    task: Option<tokio::task::JoinHandle<()>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    running_sandbox: Option<sandbox::RunningSandbox>,
}

fn any_port() -> std::net::SocketAddr {
    std::net::SocketAddr::from(([127, 0, 0, 1], 0))
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fleetdesk-test-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A cookie-keeping client that sends the same-origin headers a browser would.
pub fn browser(base: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert("origin", HeaderValue::from_str(base).expect("origin"));
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .expect("client")
}

impl TestApp {
    /// Starts the server with the in-process sandbox on `backend`; `None` if PostgreSQL is unavailable.
    pub async fn spawn(backend: Backend) -> Option<Self> {
        Self::spawn_with_sims(backend, 200).await
    }

    /// Like [`spawn`](Self::spawn), with a sandbox fleet of `sims` cards.
    pub async fn spawn_with_sims(backend: Backend, sims: usize) -> Option<Self> {
        let data_dir = temp_dir();
        let database_url = match backend {
            Backend::Sqlite => format!("sqlite://{}/fleetdesk.db?mode=rwc", data_dir.display()),
            Backend::Postgres => within_a_minute("creating the database", fresh_postgres()).await?,
        };
        let key = SessionCipher::generate_key().expose_secret().to_owned();
        Some(Self::spawn_with(Process { backend, database_url, data_dir, session_key: key, upstream: None, sims, bind: any_port(), embed: EmbedConfig::default() }).await)
    }

    /// Like [`spawn`](Self::spawn), embeddable in the portals `embed` names.
    pub async fn spawn_embedded(backend: Backend, embed: EmbedConfig) -> Option<Self> {
        let data_dir = temp_dir();
        let database_url = match backend {
            Backend::Sqlite => format!("sqlite://{}/fleetdesk.db?mode=rwc", data_dir.display()),
            Backend::Postgres => within_a_minute("creating the database", fresh_postgres()).await?,
        };
        let key = SessionCipher::generate_key().expose_secret().to_owned();
        Some(Self::spawn_with(Process { backend, database_url, data_dir, session_key: key, upstream: None, sims: 200, bind: any_port(), embed }).await)
    }

    /// A second server process sharing this one's database, key and upstream (the sandbox).
    pub async fn sibling(&self) -> Self {
        let upstream = UpstreamConfig { iam: self.sandbox_url.clone(), gsl: self.sandbox_url.clone(), bss: self.sandbox_url.clone() };
        Self::spawn_with(Process { backend: self.backend, database_url: self.database_url.clone(), data_dir: temp_dir(), session_key: self.session_key.clone(), upstream: Some(upstream), sims: self.sims, bind: any_port(), embed: EmbedConfig::default() }).await
    }

    /// Stops the server the way a deployment does (graceful shutdown: requests and job calls in
    /// flight finish, leases are given back), then starts a new one on the same database, key and
    /// sandbox. Cookies of `self.client` stay valid (sessions are in the database).
    pub async fn restart(mut self) -> Self {
        self.stop().await;
        let sandbox = self.running_sandbox.take();
        let upstream = UpstreamConfig { iam: self.sandbox_url.clone(), gsl: self.sandbox_url.clone(), bss: self.sandbox_url.clone() };
        // The same address: the browser's origin and cookies stay valid, as behind a load balancer.
        let addr = self.base.trim_start_matches("http://").parse().expect("address");
        let mut next =
            Self::spawn_with(Process { backend: self.backend, database_url: self.database_url.clone(), data_dir: temp_dir(), session_key: self.session_key.clone(), upstream: Some(upstream), sims: self.sims, bind: addr, embed: EmbedConfig::default() }).await;
        next.app_sandbox = self.app_sandbox.clone();
        next.running_sandbox = sandbox;
        next
    }

    /// Ends the server as a crash would: no goodbye, calls in flight cut off, leases left to expire.
    pub async fn kill(&mut self) {
        self.stop.take();
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }

    /// Which process holds a job's lease (its worker name), if any.
    pub async fn lease_owner(&self, job: i64) -> Option<String> {
        const Q: &str = "SELECT lease_owner FROM bulk_jobs WHERE id = $1";
        match self.backend {
            Backend::Sqlite => {
                let pool = sqlx::SqlitePool::connect(&self.database_url).await.expect("sqlite");
                sqlx::query_scalar(Q).bind(job).fetch_one(&pool).await.expect("job")
            }
            Backend::Postgres => {
                let pool = sqlx::PgPool::connect(&self.database_url).await.expect("postgres");
                sqlx::query_scalar(Q).bind(job).fetch_one(&pool).await.expect("job")
            }
        }
    }

    /// Stops the server gracefully and waits until it has.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            within_a_minute("stopping the server", task).await.expect("server task");
        }
    }

    async fn spawn_with(p: Process) -> Self {
        let Process { backend, database_url, data_dir, session_key, upstream, sims, bind, embed } = p;
        server::telemetry::init_logging(&std::env::var("FLEETDESK_TEST_LOG").unwrap_or_else(|_| "warn".into()));
        let defaults = Config::default();
        let config = Config {
            bind,
            database_url: database_url.clone(),
            data_dir: data_dir.clone(),
            site_root: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site")),
            session: server::config::SessionConfig { key: Some(session_key.clone().into()), ..defaults.session.clone() },
            sandbox: server::config::SandboxSettings { sims, rate_limit: 0, ..defaults.sandbox.clone() },
            upstream,
            // Short leases, so a dead process's job is taken over within seconds.
            jobs: server::config::JobsConfig { lease_seconds: 3, ..defaults.jobs.clone() },
            log: "warn".into(),
            embed,
            ..defaults
        };
        let mut app = within_a_minute("building the application", Application::build(config)).await.expect("application builds");
        let base = format!("http://{}", app.addr());
        let worker = app.worker_name().to_owned();
        let sandbox = app.sandbox.take();
        let sandbox_url = sandbox.as_ref().map_or_else(String::new, sandbox::RunningSandbox::base_url);
        let app_sandbox = sandbox.as_ref().map(|s| s.state.clone());
        // Not run_until_stopped: a test must not depend on the process's signal handling, which
        // is shared by every test runtime in the binary.
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = app
                .run_until(async move {
                    let _ = stopped.await;
                })
                .await;
        });
        Self {
            client: browser(&base),
            base,
            app_sandbox,
            sandbox_url,
            database_url,
            data_dir,
            session_key,
            backend,
            sims,
            worker,
            task: Some(task),
            stop: Some(stop),
            running_sandbox: sandbox,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn sandbox(&self) -> &sandbox::AppState {
        self.app_sandbox.as_deref().expect("this app runs the sandbox")
    }

    pub fn demo_password(&self, user: &str) -> String {
        let account = &self.sandbox().account;
        account.users[account.by_name(user).expect("user")].password.clone()
    }

    pub fn account_name(&self) -> String {
        self.sandbox().account.account_name.clone()
    }

    /// Calls a server function (form-encoded, as an `<ActionForm>` posts) with `client`.
    pub async fn call(&self, client: &reqwest::Client, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("server function call")
    }

    /// Calls a server function that takes JSON.
    pub async fn call_json(&self, client: &reqwest::Client, endpoint: &str, body: &serde_json::Value) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .header("accept", "application/json")
            .json(body)
            .send()
            .await
            .expect("server function call")
    }

    /// Requests the sandbox answered for an operation, and writes it counted per card.
    pub fn received(&self, operation: &str) -> u64 {
        sandbox::lock(&self.sandbox().counters).received.get(operation).copied().unwrap_or(0)
    }

    /// Successful writes of `operation` per card, as the sandbox counted them.
    pub fn writes(&self, operation: &str) -> std::collections::BTreeMap<i64, u64> {
        sandbox::lock(&self.sandbox().counters).writes.get(operation).cloned().unwrap_or_default()
    }

    /// Sets the sandbox's flow control (calls per second per account and operation; 0 = off).
    pub fn set_sandbox_rate(&self, per_second: u32) {
        sandbox::write(&self.sandbox().settings).rate_limit = per_second;
    }

    /// Signs `client` in with a password.
    pub async fn sign_in(&self, client: &reqwest::Client, user: &str) -> reqwest::Response {
        let password = self.demo_password(user);
        let account = self.account_name();
        self.call(client, "sign_in", &[("account", &account), ("user", user), ("password", &password)]).await
    }

    /// The session as the server sees it.
    pub async fn session(&self, client: &reqwest::Client) -> serde_json::Value {
        let resp = self.call(client, "session", &[]).await;
        assert!(resp.status().is_success(), "session: {}", resp.status());
        resp.json().await.expect("json")
    }

    /// Raw bytes of every stored session record.
    pub async fn raw_session_rows(&self) -> Vec<Vec<u8>> {
        match self.backend {
            Backend::Sqlite => {
                let pool = sqlx::SqlitePool::connect(&self.database_url).await.expect("sqlite");
                sqlx::query_scalar("SELECT data FROM tower_sessions").fetch_all(&pool).await.expect("rows")
            }
            Backend::Postgres => {
                let pool = sqlx::PgPool::connect(&self.database_url).await.expect("postgres");
                sqlx::query_scalar("SELECT data FROM tower_sessions.session").fetch_all(&pool).await.expect("rows")
            }
        }
    }
}

/// Fails a test that hangs, instead of hanging the whole suite.
pub async fn within_a_minute<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    match tokio::time::timeout(std::time::Duration::from_secs(if what.starts_with('/') { 20 } else { 60 }), f).await {
        Ok(v) => v,
        Err(_) => panic!("{what} did not finish within a minute"),
    }
}

/// Runs an async check on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident => $check:ident;)*) => {
        mod sqlite {
            $(#[tokio::test(flavor = "current_thread")]
            async fn $name() {
                let app = super::common::TestApp::spawn(super::common::Backend::Sqlite).await.expect("sqlite app");
                super::common::within_a_minute("the check", super::$check(app)).await;
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "current_thread")]
            async fn $name() {
                let app = super::common::within_a_minute("start-up", super::common::TestApp::spawn(super::common::Backend::Postgres)).await;
                if let Some(app) = app {
                    super::common::within_a_minute("the check", super::$check(app)).await;
                }
            })*
        }
    };
}

/// The value of the session cookie a response set, if any.
pub fn session_cookie(resp: &reqwest::Response) -> Option<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix(&format!("{}=", server::startup::SESSION_COOKIE)))
        .map(|c| c.split(';').next().unwrap_or("").to_owned())
}
