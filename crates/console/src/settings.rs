//! Small per-identity settings kept in the database (the inventory's columns, ...).

use crate::db::{Db, now_ms};
use crate::on_pool;

/// A setting of an identity, if stored.
pub async fn get(db: &Db, account: &str, iam_user: &str, name: &str) -> Result<Option<String>, sqlx::Error> {
    const Q: &str = "SELECT value FROM user_settings WHERE account = $1 AND iam_user = $2 AND name = $3";
    on_pool!(db, p => sqlx::query_scalar(Q).bind(account).bind(iam_user).bind(name).fetch_optional(p).await)
}

/// Stores a setting of an identity.
pub async fn set(db: &Db, account: &str, iam_user: &str, name: &str, value: &str) -> Result<(), sqlx::Error> {
    const Q: &str = "INSERT INTO user_settings (account, iam_user, name, value, updated_at) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (account, iam_user, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";
    on_pool!(db, p => sqlx::query(Q).bind(account).bind(iam_user).bind(name).bind(value).bind(now_ms()).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}
