//! Start-up: build the application from configuration, once, and serve it.

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use app::api::context::{DemoUser, SandboxDemo, ServerContext};
use app::{App, shell};
use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use console::Db;
use console::fleet::job_run::Runner;
use console::crypto::SessionCipher;
use console::session_store::{DbStore, SealedStore};
use hwcloud::{Client, ClientConfig, Endpoints};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use sandbox::RunningSandbox;
use secrecy::SecretString;
use tower_sessions::cookie::SameSite as CookieSameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions::session_store::ExpiredDeletion;

use crate::config::{Config, SameSite};
use crate::telemetry::Metrics;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "fleetdesk_session";

/// A built application, bound to its port and ready to serve.
#[derive(Debug)]
pub struct Application {
    listener: tokio::net::TcpListener,
    router: Router,
    /// The in-process sandbox, when no upstream is configured (kept alive with the app).
    pub sandbox: Option<RunningSandbox>,
    /// The database.
    pub db: Db,
    runner: Runner,
    max_jobs: usize,
}

fn sandbox_demo(sandbox: &RunningSandbox) -> SandboxDemo {
    let account = &sandbox.state.account;
    SandboxDemo {
        account: account.account_name.clone(),
        users: account
            .users
            .iter()
            .map(|u| DemoUser {
                name: u.name.clone(),
                password: SecretString::from(u.password.clone()),
                rights: u
                    .rights
                    .iter()
                    .filter_map(|r| serde_json::to_value(r).ok()?.as_str().map(str::to_owned))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect(),
    }
}

/// The session key: configured, or (sandbox mode only) generated once and kept under the data directory.
fn session_key(config: &Config) -> anyhow::Result<SecretString> {
    if let Some(key) = &config.session.key {
        return Ok(key.clone());
    }
    if !config.sandbox_mode() {
        bail!("FLEETDESK_SESSION__KEY (base64 of 32 random bytes) is required when a real upstream is configured");
    }
    let path = config.data_dir.join("session.key");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        return Ok(SecretString::from(existing.trim().to_owned()));
    }
    let key = SessionCipher::generate_key();
    write_private(&path, secrecy::ExposeSecret::expose_secret(&key))?;
    Ok(key)
}

fn write_private(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut f = options.open(path).with_context(|| format!("creating {}", path.display()))?;
    f.write_all(contents.as_bytes())?;
    Ok(())
}

impl Application {
    /// Connects the database, starts the sandbox if needed, and builds the router.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        config.validate_embedding().map_err(anyhow::Error::msg)?;
        std::fs::create_dir_all(&config.data_dir).with_context(|| format!("creating {}", config.data_dir.display()))?;
        let db = Db::connect(&config.database_url).await.context("connecting the database")?;
        tracing::info!(kind = db.kind(), "database ready");
        let (endpoints, sandbox) = match &config.upstream {
            Some(u) => (Endpoints { iam: u.iam.clone(), gsl: u.gsl.clone(), bss: u.bss.clone() }, None),
            None => {
                let settings = sandbox::Settings { rate_limit: config.sandbox.rate_limit, ..sandbox::Settings::default() };
                let sb_config = sandbox::SandboxConfig {
                    seed: config.sandbox.seed,
                    sims: config.sandbox.sims,
                    settings,
                    control_token: None,
                };
                let running = sandbox::spawn(sb_config, SocketAddr::from(([127, 0, 0, 1], 0))).await?;
                tracing::warn!(url = %running.base_url(), "no upstream configured: running on the in-process sandbox");
                (Endpoints::single(&running.base_url()), Some(running))
            }
        };
        let cipher = SessionCipher::from_base64(&session_key(&config)?).context("reading the session key")?;
        let metrics = Metrics::default();
        let client = Client::with_observer(
            ClientConfig {
                endpoints,
                rate_limit_per_second: config.rate_limit_per_second,
                rate_limit_burst: config.rate_limit_per_second.max(1),
                ..ClientConfig::default()
            },
            Some(Arc::new(metrics.clone())),
        );
        let runner = Runner {
            db: db.clone(),
            client: client.clone(),
            cipher: cipher.clone(),
            owner: format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple()),
            lease: std::time::Duration::from_secs(config.jobs.lease_seconds.max(2)),
            concurrency: config.jobs.concurrency.max(1),
        };
        let context = ServerContext {
            db: db.clone(),
            client: client.clone(),
            cipher: cipher.clone(),
            sandbox: sandbox.as_ref().map(|s| Arc::new(sandbox_demo(s))),
            frame_origins: Arc::new(config.embed.allowed_origins.clone()),
        };
        let store = db.session_store();
        spawn_expired_session_cleanup(&store);
        let session_layer = SessionManagerLayer::new(SealedStore::new(store, cipher.clone()))
            .with_name(SESSION_COOKIE)
            .with_http_only(true)
            .with_secure(config.secure_cookies())
            .with_same_site(match config.same_site() {
                SameSite::Strict => CookieSameSite::Strict,
                SameSite::Lax => CookieSameSite::Lax,
                SameSite::None => CookieSameSite::None,
            })
            .with_expiry(Expiry::OnInactivity(time::Duration::minutes(config.session.idle_timeout_minutes)));

        let conf = get_configuration(None).context("leptos configuration")?;
        let mut leptos_options = conf.leptos_options;
        leptos_options.site_root = Arc::from(config.site_root.to_string_lossy().as_ref());
        let routes = generate_route_list(App);
        let provide = {
            let context = context.clone();
            move || provide_context(context.clone())
        };
        let ops = Router::new()
            .route("/healthz", get(|| async { "ok" }))
            .route("/readyz", get({
                let (db, client) = (db.clone(), client.clone());
                move || readyz(db.clone(), client.clone())
            }))
            .route("/metrics", get({
                let metrics = metrics.clone();
                move || async move { metrics.render() }
            }));
        let export_csv = {
            let (db, client) = (db.clone(), client.clone());
            move |session, query| crate::export::sims_csv(db.clone(), client.clone(), session, query)
        };
        let audit_csv = {
            let db = db.clone();
            move |session, query| crate::export::audit_csv(db.clone(), session, query)
        };
        let statement_csv = {
            let client = client.clone();
            move |session, query| crate::finance_exports::statement_csv(client.clone(), session, query)
        };
        let pdf_font = config.load_pdf_font().map(Arc::new);
        if pdf_font.is_none() {
            tracing::warn!("no Chinese font found: PDF statements are unavailable (install fonts-wqy-microhei or set pdf_font)");
        }
        let statement_pdf = {
            let client = client.clone();
            move |session, query| crate::finance_exports::statement_pdf(client.clone(), pdf_font.clone(), session, query)
        };
        let fees_csv = {
            let (db, client) = (db.clone(), client.clone());
            move |session, query| crate::finance_exports::fees_csv(db.clone(), client.clone(), session, query)
        };
        let orders_csv = {
            let (db, client) = (db.clone(), client.clone());
            move |session, query| crate::finance_exports::orders_csv(db.clone(), client.clone(), session, query)
        };
        let enter = {
            let (db, cipher) = (db.clone(), cipher.clone());
            move |session, headers, query| crate::embed::enter(db.clone(), cipher.clone(), session, headers, query)
        };
        // Portal launch exists only when a secret is shared with the portals.
        let launch = config.embed.launch_secret.clone().map(|secret| {
            let launcher = crate::embed::Launcher {
                db: db.clone(),
                client: client.clone(),
                cipher: cipher.clone(),
                secret: Arc::new(secret),
                audience: Arc::from(config.embed.audience()),
                public_url: config.public_url.as_deref().map(Arc::from),
            };
            Router::new().route("/embed/launch", axum::routing::post(move |headers, body| crate::embed::launch(launcher.clone(), headers, body)))
        });
        let frames = Arc::new(crate::security::FramePolicy { ancestors: config.embed.frame_ancestors(), embedding: config.embed.enabled() });
        let router = Router::new()
            .route("/embed/enter", get(enter))
            .route("/fleet/sims/export.csv", get(export_csv))
            .route("/finance/statement.csv", get(statement_csv))
            .route("/finance/statement.pdf", get(statement_pdf))
            .route("/finance/fees.csv", get(fees_csv))
            .route("/finance/orders.csv", get(orders_csv))
            .route("/fleet/audit.csv", get(audit_csv))
            .leptos_routes_with_context(&leptos_options, routes, provide.clone(), {
                let options = leptos_options.clone();
                move || shell(options.clone())
            })
            .fallback(leptos_axum::file_and_error_handler_with_context(provide, shell))
            .layer(session_layer)
            .with_state(leptos_options)
            .merge(ops)
            .merge(launch.unwrap_or_default())
            .layer(axum::middleware::from_fn(crate::security::origin_check))
            .layer(axum::middleware::from_fn_with_state(frames, crate::security::headers))
            .layer(axum::middleware::from_fn_with_state(metrics, crate::telemetry::track));
        let listener = tokio::net::TcpListener::bind(config.bind).await.with_context(|| format!("binding {}", config.bind))?;
        Ok(Self { listener, router, sandbox, db, runner, max_jobs: config.jobs.max_per_process.max(1) })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// The router (for in-process tests).
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// Serves until the process is asked to stop (Ctrl-C / SIGINT).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(async {
            // If no signal handler can be installed, keep serving rather than stop at once.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
    }

    /// Serves (and runs bulk jobs) until `shutdown` completes, then finishes the requests in flight
    /// and lets each running job finish its calls in flight and give its lease back.
    pub async fn run_until(self, shutdown: impl std::future::Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let _keep = self.sandbox;
        let (stop_jobs, stopped) = tokio::sync::watch::channel(false);
        let serve = axum::serve(self.listener, self.router).with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop_jobs.send(true);
        });
        // One task for both, so a process that dies takes its job calls with it.
        let (served, ()) = tokio::join!(serve.into_future(), crate::worker::run(self.runner, self.max_jobs, stopped));
        served
    }

    /// The name this process's worker takes job leases under.
    pub fn worker_name(&self) -> &str {
        &self.runner.owner
    }
}

fn spawn_expired_session_cleanup(store: &DbStore) {
    let period = tokio::time::Duration::from_secs(300);
    match store.clone() {
        DbStore::Sqlite(s) => drop(tokio::spawn(s.continuously_delete_expired(period))),
        DbStore::Postgres(s) => drop(tokio::spawn(s.continuously_delete_expired(period))),
    }
}

async fn readyz(db: Db, client: Client) -> impl IntoResponse {
    let db_ok = db.ping().await.is_ok();
    let upstream_ok = client.reachable().await;
    let status = if db_ok && upstream_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, format!("database: {}\nupstream: {}\n", if db_ok { "ok" } else { "down" }, if upstream_ok { "ok" } else { "down" }))
}
