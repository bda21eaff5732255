//! TestApp: the real server on port 0, on SQLite or PostgreSQL, with the in-process sandbox.

#![allow(dead_code)] // each test binary uses a different part of the helper

use std::path::PathBuf;

use console::crypto::SessionCipher;
use reqwest::header::{HeaderMap, HeaderValue};
use secrecy::ExposeSecret;
use server::config::{Config, UpstreamConfig};
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

pub struct TestApp {
    pub base: String,
    pub app_sandbox: Option<std::sync::Arc<sandbox::AppState>>,
    pub sandbox_url: String,
    pub database_url: String,
    pub data_dir: PathBuf,
    pub session_key: String,
    pub client: reqwest::Client,
    pub backend: Backend,
    _task: tokio::task::JoinHandle<()>,
    _sandbox: Option<sandbox::RunningSandbox>,
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
        let data_dir = temp_dir();
        let database_url = match backend {
            Backend::Sqlite => format!("sqlite://{}/fleetdesk.db?mode=rwc", data_dir.display()),
            Backend::Postgres => within_a_minute("creating the database", fresh_postgres()).await?,
        };
        let key = SessionCipher::generate_key().expose_secret().to_owned();
        Some(Self::spawn_with(backend, database_url, data_dir, key, None).await)
    }

    /// A second server process sharing this one's database, key and upstream (the sandbox).
    pub async fn sibling(&self) -> Self {
        let upstream = UpstreamConfig { iam: self.sandbox_url.clone(), gsl: self.sandbox_url.clone(), bss: self.sandbox_url.clone() };
        Self::spawn_with(self.backend, self.database_url.clone(), temp_dir(), self.session_key.clone(), Some(upstream)).await
    }

    async fn spawn_with(
        backend: Backend,
        database_url: String,
        data_dir: PathBuf,
        session_key: String,
        upstream: Option<UpstreamConfig>,
    ) -> Self {
        server::telemetry::init_logging(&std::env::var("FLEETDESK_TEST_LOG").unwrap_or_else(|_| "warn".into()));
        let defaults = Config::default();
        let config = Config {
            bind: "127.0.0.1:0".parse().expect("addr"),
            database_url: database_url.clone(),
            data_dir: data_dir.clone(),
            site_root: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site")),
            session: server::config::SessionConfig { key: Some(session_key.clone().into()), ..defaults.session.clone() },
            sandbox: server::config::SandboxSettings { sims: 200, rate_limit: 0, ..defaults.sandbox.clone() },
            upstream,
            log: "warn".into(),
            ..defaults
        };
        let mut app = within_a_minute("building the application", Application::build(config)).await.expect("application builds");
        let base = format!("http://{}", app.addr());
        let sandbox = app.sandbox.take();
        let sandbox_url = sandbox.as_ref().map_or_else(String::new, sandbox::RunningSandbox::base_url);
        let app_sandbox = sandbox.as_ref().map(|s| s.state.clone());
        // Not run_until_stopped: a test must not depend on the process's signal handling, which
        // is shared by every test runtime in the binary.
        let task = tokio::spawn(async move {
            let _ = app.run_until(std::future::pending()).await;
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
            _task: task,
            _sandbox: sandbox,
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
