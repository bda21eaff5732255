//! The audit log: every change made through fleetdesk is written before its upstream call and
//! completed after it, so a crash in between leaves a visible "pending" entry, never nothing.

use model::audit::{AuditEntry, AuditFilter, Outcome};

use crate::db::{Db, from_ms, now_ms};
use crate::on_pool;

/// Who acted: the account and IAM user of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Account name.
    pub account: String,
    /// IAM user name.
    pub iam_user: String,
}

/// The id of an entry being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditId(pub i64);

/// Records that `actor` is about to do `action` on `target` with `parameters` (JSON).
pub async fn begin(db: &Db, actor: &Actor, action: &str, target: &str, parameters: &str) -> Result<AuditId, sqlx::Error> {
    const Q: &str = "INSERT INTO audit_log (account, iam_user, action, target, parameters, started_at, outcome) \
                     VALUES ($1, $2, $3, $4, $5, $6, 'pending') RETURNING id";
    let id: i64 = on_pool!(db, p => sqlx::query_scalar(Q)
        .bind(&actor.account)
        .bind(&actor.iam_user)
        .bind(action)
        .bind(target)
        .bind(parameters)
        .bind(now_ms())
        .fetch_one(p)
        .await)?;
    Ok(AuditId(id))
}

/// Completes an entry with the outcome, Huawei's request id and a detail (work order id or error).
pub async fn complete(
    db: &Db,
    id: AuditId,
    outcome: Outcome,
    request_id: Option<&str>,
    detail: Option<&str>,
) -> Result<(), sqlx::Error> {
    const Q: &str = "UPDATE audit_log SET outcome = $1, request_id = $2, detail = $3, finished_at = $4 WHERE id = $5";
    on_pool!(db, p => sqlx::query(Q)
        .bind(outcome.slug())
        .bind(request_id)
        .bind(detail)
        .bind(now_ms())
        .bind(id.0)
        .execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    account: String,
    iam_user: String,
    action: String,
    target: String,
    parameters: String,
    started_at: i64,
    finished_at: Option<i64>,
    outcome: String,
    request_id: Option<String>,
    detail: Option<String>,
}

impl From<Row> for AuditEntry {
    fn from(r: Row) -> Self {
        AuditEntry {
            id: r.id,
            account: r.account,
            iam_user: r.iam_user,
            action: r.action,
            target: r.target,
            parameters: r.parameters,
            started_at: from_ms(r.started_at),
            finished_at: r.finished_at.map(from_ms),
            outcome: Outcome::from_slug(&r.outcome).unwrap_or(Outcome::Pending),
            request_id: r.request_id,
            detail: r.detail,
        }
    }
}

/// Entries of an account matching `filter`, newest first, at most `limit`.
pub async fn list(db: &Db, account: &str, filter: &AuditFilter, limit: u32) -> Result<Vec<AuditEntry>, sqlx::Error> {
    // Optional filters are bound as NULL when absent, so one statement serves every combination.
    const Q: &str = "SELECT id, account, iam_user, action, target, parameters, started_at, finished_at, outcome, request_id, detail \
                     FROM audit_log WHERE account = $1 \
                     AND ($2 IS NULL OR action LIKE $2) \
                     AND ($3 IS NULL OR target LIKE $3) \
                     AND ($4 IS NULL OR iam_user = $4) \
                     AND ($5 IS NULL OR outcome = $5) \
                     AND ($6 IS NULL OR id < $6) \
                     ORDER BY id DESC LIMIT $7";
    let like = |s: &Option<String>, prefix_only: bool| {
        s.as_ref().map(|v| {
            // `%` is dropped; `_` stays a one-character wildcard, which can only widen a match slightly.
            let escaped = v.replace('%', "");
            if prefix_only { format!("{escaped}%") } else { format!("%{escaped}%") }
        })
    };
    let rows: Vec<Row> = on_pool!(db, p => sqlx::query_as(Q)
        .bind(account)
        .bind(like(&filter.action, true))
        .bind(like(&filter.target, false))
        .bind(filter.iam_user.as_deref())
        .bind(filter.outcome.map(Outcome::slug))
        .bind(filter.before)
        .bind(i64::from(limit))
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().map(AuditEntry::from).collect())
}
