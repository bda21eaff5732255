//! Per-identity preferences (the UI language), kept in the database.

use chrono::Utc;

use crate::db::Db;

/// The stored locale of an identity, if any.
pub async fn locale(db: &Db, account: &str, iam_user: &str) -> Result<Option<String>, sqlx::Error> {
    const Q: &str = "SELECT locale FROM user_preferences WHERE account = $1 AND iam_user = $2";
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(Q).bind(account).bind(iam_user).fetch_optional(p).await,
        Db::Postgres(p) => sqlx::query_scalar(Q).bind(account).bind(iam_user).fetch_optional(p).await,
    }
}

/// Stores the locale of an identity.
pub async fn set_locale(db: &Db, account: &str, iam_user: &str, locale: &str) -> Result<(), sqlx::Error> {
    const Q: &str = "INSERT INTO user_preferences (account, iam_user, locale, updated_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (account, iam_user) DO UPDATE SET locale = excluded.locale, updated_at = excluded.updated_at";
    let now = Utc::now();
    match db {
        Db::Sqlite(p) => {
            sqlx::query(Q).bind(account).bind(iam_user).bind(locale).bind(now.to_rfc3339()).execute(p).await?;
        }
        Db::Postgres(p) => {
            sqlx::query(Q).bind(account).bind(iam_user).bind(locale).bind(now).execute(p).await?;
        }
    }
    Ok(())
}
