//! Money-moving requests claimed once: the first request with a key sends, any other with the
//! same key is told what happened (or that it is under way) instead of sending again.
//!
//! A key names the action and the state it starts from (a renewal: the resources, period and
//! their current expiries; a payment: the order), so a deliberate second renewal after the first
//! has a new key, while a double click, a browser retry or a second tab has the same one.

use crate::db::{Db, now_ms};
use crate::on_pool;

/// How long a request whose outcome is unknown blocks an identical one; afterwards a person may
/// decide to send it again (after checking the orders).
pub const UNKNOWN_HOLD_MS: i64 = 15 * 60 * 1000;

/// Where a claim stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This caller holds the key and sends.
    Fresh,
    /// The same request already succeeded; its stored result (JSON).
    Done(String),
    /// The same request is being sent now, or its outcome is unknown.
    InFlight,
}

/// How a claimed request ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// It happened; what came back (JSON).
    Succeeded(String),
    /// It is known not to have happened: the same request may be sent again.
    Failed,
    /// It may have happened: not sent again automatically.
    Unknown,
}

/// Claims `key` for `account`/`iam_user` doing `action`.
pub async fn claim(db: &Db, key: &str, account: &str, iam_user: &str, action: &str) -> Result<Claim, sqlx::Error> {
    let now = now_ms();
    const INSERT: &str = "INSERT INTO money_requests (request_key, account, iam_user, action, state, created_at, updated_at) \
                          VALUES ($1, $2, $3, $4, 'sending', $5, $5) ON CONFLICT (request_key) DO NOTHING";
    let inserted = on_pool!(db, p => sqlx::query(INSERT)
        .bind(key).bind(account).bind(iam_user).bind(action).bind(now)
        .execute(p).await.map(|r| r.rows_affected()))?;
    if inserted == 1 {
        return Ok(Claim::Fresh);
    }
    // Taken: a failed request (or an unknown one past its hold) may be claimed again, by one caller.
    const RETAKE: &str = "UPDATE money_requests SET state = 'sending', updated_at = $2 \
                          WHERE request_key = $1 AND (state = 'failed' OR (state = 'unknown' AND updated_at < $3))";
    let retaken = on_pool!(db, p => sqlx::query(RETAKE)
        .bind(key).bind(now).bind(now - UNKNOWN_HOLD_MS)
        .execute(p).await.map(|r| r.rows_affected()))?;
    if retaken == 1 {
        return Ok(Claim::Fresh);
    }
    const READ: &str = "SELECT state, result FROM money_requests WHERE request_key = $1";
    let (state, result): (String, Option<String>) = on_pool!(db, p => sqlx::query_as(READ).bind(key).fetch_one(p).await)?;
    Ok(match (state.as_str(), result) {
        ("succeeded", Some(result)) => Claim::Done(result),
        _ => Claim::InFlight,
    })
}

/// Records how a claimed request ended, and its audit entry.
pub async fn settle(db: &Db, key: &str, how: &Settled, audit_id: Option<i64>) -> Result<(), sqlx::Error> {
    let (state, result) = match how {
        Settled::Succeeded(r) => ("succeeded", Some(r.as_str())),
        Settled::Failed => ("failed", None),
        Settled::Unknown => ("unknown", None),
    };
    const Q: &str = "UPDATE money_requests SET state = $2, result = $3, audit_id = $4, updated_at = $5 WHERE request_key = $1";
    on_pool!(db, p => sqlx::query(Q)
        .bind(key).bind(state).bind(result).bind(audit_id).bind(now_ms())
        .execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}
