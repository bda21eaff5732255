//! The database: SQLite by default, PostgreSQL when the URL says so; migrations run at start.

use std::str::FromStr;

use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{PgPool, SqlitePool};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::session_store::DbStore;

/// A connection pool to the configured database.
#[derive(Debug, Clone)]
pub enum Db {
    /// SQLite file (the embedded default).
    Sqlite(SqlitePool),
    /// PostgreSQL (several server processes share it).
    Postgres(PgPool),
}

/// Connecting or migrating failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL is neither sqlite:// nor postgres://.
    #[error("DATABASE_URL must start with sqlite:// or postgres://")]
    Scheme,
    /// sqlx failed.
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    /// A migration failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Db {
    /// Connects to `url` and applies the migrations of its kind (application tables and sessions).
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let db = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .busy_timeout(std::time::Duration::from_secs(5));
            Db::Sqlite(SqlitePoolOptions::new().max_connections(8).connect_with(options).await?)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Db::Postgres(PgPoolOptions::new().max_connections(16).connect(url).await?)
        } else {
            return Err(DbError::Scheme);
        };
        db.migrate().await?;
        Ok(db)
    }

    async fn migrate(&self) -> Result<(), DbError> {
        match self {
            Db::Sqlite(pool) => {
                sqlx::migrate!("../../migrations/sqlite").run(pool).await?;
                SqliteStore::new(pool.clone()).migrate().await?;
            }
            Db::Postgres(pool) => {
                sqlx::migrate!("../../migrations/postgres").run(pool).await?;
                PostgresStore::new(pool.clone()).migrate().await?;
            }
        }
        Ok(())
    }

    /// The session store over the same database.
    pub fn session_store(&self) -> DbStore {
        match self {
            Db::Sqlite(pool) => DbStore::Sqlite(SqliteStore::new(pool.clone())),
            Db::Postgres(pool) => DbStore::Postgres(PostgresStore::new(pool.clone())),
        }
    }

    /// Checks the database answers (for /readyz).
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        match self {
            Db::Sqlite(pool) => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()),
            Db::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()),
        }
    }

    /// Kind name for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }
}

/// Runs the same sqlx expression on whichever pool `db` holds (the SQL is written to suit both).
#[macro_export]
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Milliseconds since the Unix epoch: how the fleet tables store times on both databases.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A stored time back as a UTC instant.
pub fn from_ms(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
