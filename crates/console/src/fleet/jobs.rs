//! Bulk jobs in the database: created by their owner, previewed, confirmed, paused, resumed,
//! cancelled; claimed by a worker through a lease so exactly one server process runs each.

use model::action::{Ineligible, SimAction};
use model::audit::Outcome;
use model::job::{ItemState, JobCounts, JobItemView, JobState, JobView, MAX_JOB_CARDS, Selection};

use super::actions::{actor, require_write};
use crate::audit::{self, Actor, AuditId};
use crate::crypto::SessionCipher;
use crate::db::{Db, from_ms, now_ms};
use crate::error::ServiceError;
use crate::identity::UserSession;
use crate::on_pool;

/// A job as stored (without its sealed credentials).
#[derive(Debug, Clone, sqlx::FromRow)]
struct JobRow {
    id: i64,
    iam_user: String,
    action: String,
    selection: String,
    state: String,
    expected: i64,
    examined: i64,
    message: Option<String>,
    created_at: i64,
    updated_at: i64,
}

const JOB_COLUMNS: &str = "id, iam_user, action, selection, state, expected, examined, message, created_at, updated_at";

fn decode<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, ServiceError> {
    serde_json::from_str(s).map_err(|_| ServiceError::Internal("stored job"))
}

fn state_of(s: &str) -> JobState {
    JobState::from_slug(s).unwrap_or(JobState::Interrupted)
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Creates a job for `user` (state "preparing": a worker reads the cards for the preview).
pub async fn create(
    db: &Db,
    cipher: &SessionCipher,
    user: &UserSession,
    action: &SimAction,
    selection: &Selection,
) -> Result<i64, ServiceError> {
    action.validate()?;
    if !action.bulk_allowed() {
        return Err(model::Invalid::new("action", "This action is for one card at a time.").into());
    }
    match selection {
        Selection::Cards(ids) if ids.is_empty() => {
            return Err(model::Invalid::new("selection", "Select at least one SIM card.").into());
        }
        Selection::Cards(ids) if ids.len() as u64 > MAX_JOB_CARDS => {
            return Err(model::Invalid::new("selection", "A job covers at most 100,000 SIM cards.").into());
        }
        Selection::Cards(ids) if ids.iter().any(|id| *id <= 0) => {
            return Err(model::Invalid::new("selection", "The selection holds something that is not a SIM card id.").into());
        }
        _ => {}
    }
    require_write(user)?;
    let sealed = seal_user(cipher, user)?;
    let action_json = serde_json::to_string(action).map_err(|_| ServiceError::Internal("job action"))?;
    let selection_json = serde_json::to_string(selection).map_err(|_| ServiceError::Internal("job selection"))?;
    const Q: &str = "INSERT INTO bulk_jobs (account, iam_user, action, selection, state, credentials, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, 'preparing', $5, $6, $6) RETURNING id";
    let id: i64 = on_pool!(db, p => sqlx::query_scalar(Q)
        .bind(&user.account)
        .bind(&user.user_name)
        .bind(&action_json)
        .bind(&selection_json)
        .bind(&sealed)
        .bind(now_ms())
        .fetch_one(p)
        .await)?;
    Ok(id)
}

fn seal_user(cipher: &SessionCipher, user: &UserSession) -> Result<String, ServiceError> {
    let json = serde_json::to_vec(user).map_err(|_| ServiceError::Internal("job credentials"))?;
    Ok(cipher.seal(&json))
}

/// Opens a job's sealed credentials.
pub fn open_user(cipher: &SessionCipher, sealed: &str) -> Result<UserSession, ServiceError> {
    let json = cipher.open(sealed).map_err(|_| ServiceError::Internal("job credentials"))?;
    serde_json::from_slice(&json).map_err(|_| ServiceError::Internal("job credentials"))
}

async fn row(db: &Db, who: &Actor, id: i64) -> Result<JobRow, ServiceError> {
    let q = format!("SELECT {JOB_COLUMNS} FROM bulk_jobs WHERE id = $1 AND account = $2 AND iam_user = $3");
    let row: Option<JobRow> =
        on_pool!(db, p => sqlx::query_as(&q).bind(id).bind(&who.account).bind(&who.iam_user).fetch_optional(p).await)?;
    row.ok_or(ServiceError::NotFound)
}

/// Counts by state (and skip reason) folded from `(state, skipped, count)` rows.
fn fold_counts(rows: impl IntoIterator<Item = (String, Option<String>, i64)>) -> (JobCounts, Vec<(Ineligible, u64)>) {
    let mut c = JobCounts::default();
    let mut reasons: Vec<(Ineligible, u64)> = Vec::new();
    for (state, skipped, n) in rows {
        let n = to_u64(n);
        c.total += n;
        match ItemState::from_slug(&state) {
            Some(ItemState::Pending | ItemState::Sending) => c.pending += n,
            Some(ItemState::Done) => c.done += n,
            Some(ItemState::Failed) | None => c.failed += n,
            Some(ItemState::Skipped) => {
                c.skipped += n;
                let reason = skipped.as_deref().and_then(Ineligible::from_slug).unwrap_or(Ineligible::NotApplicable);
                match reasons.iter_mut().find(|(r, _)| *r == reason) {
                    Some((_, m)) => *m += n,
                    None => reasons.push((reason, n)),
                }
            }
        }
    }
    (c, reasons)
}

/// Counts of a job's cards by state.
pub async fn counts(db: &Db, id: i64) -> Result<(JobCounts, Vec<(Ineligible, u64)>), ServiceError> {
    const Q: &str = "SELECT state, skipped, COUNT(*) FROM bulk_job_items WHERE job_id = $1 GROUP BY state, skipped";
    let rows: Vec<(String, Option<String>, i64)> = on_pool!(db, p => sqlx::query_as(Q).bind(id).fetch_all(p).await)?;
    Ok(fold_counts(rows))
}

fn view_of(r: JobRow, (counts, skipped_by_reason): (JobCounts, Vec<(Ineligible, u64)>)) -> Result<JobView, ServiceError> {
    Ok(JobView {
        id: r.id,
        action: decode(&r.action)?,
        selection: decode(&r.selection)?,
        state: state_of(&r.state),
        counts,
        examined: to_u64(r.examined),
        expected: to_u64(r.expected),
        skipped_by_reason,
        iam_user: r.iam_user,
        created_at: from_ms(r.created_at),
        updated_at: from_ms(r.updated_at),
        message: r.message,
    })
}

/// One job of its owner.
pub async fn view(db: &Db, who: &Actor, id: i64) -> Result<JobView, ServiceError> {
    let r = row(db, who, id).await?;
    let counts = counts(db, id).await?;
    view_of(r, counts)
}

/// The owner's jobs, newest first.
pub async fn list(db: &Db, who: &Actor, limit: u32) -> Result<Vec<JobView>, ServiceError> {
    let q = format!("SELECT {JOB_COLUMNS} FROM bulk_jobs WHERE account = $1 AND iam_user = $2 ORDER BY id DESC LIMIT $3");
    let rows: Vec<JobRow> = on_pool!(db, p => sqlx::query_as(&q)
        .bind(&who.account)
        .bind(&who.iam_user)
        .bind(i64::from(limit))
        .fetch_all(p)
        .await)?;
    // Every listed job's counts in one query.
    const C: &str = "SELECT i.job_id, i.state, i.skipped, COUNT(*) FROM bulk_job_items i JOIN bulk_jobs j ON j.id = i.job_id \
                     WHERE j.account = $1 AND j.iam_user = $2 AND i.job_id >= $3 GROUP BY i.job_id, i.state, i.skipped";
    let oldest = rows.last().map_or(i64::MAX, |r| r.id);
    let all: Vec<(i64, String, Option<String>, i64)> =
        on_pool!(db, p => sqlx::query_as(C).bind(&who.account).bind(&who.iam_user).bind(oldest).fetch_all(p).await)?;
    rows.into_iter()
        .map(|r| {
            let mine = all.iter().filter(|(job, ..)| *job == r.id).map(|(_, s, k, n)| (s.clone(), k.clone(), *n));
            let counts = fold_counts(mine);
            view_of(r, counts)
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    sim_card_id: i64,
    iccid: String,
    state: String,
    skipped: Option<String>,
    work_order_id: Option<i64>,
    request_id: Option<String>,
    error: Option<String>,
}

/// A page of a job's lines (optionally of one state), in order.
pub async fn items(
    db: &Db,
    who: &Actor,
    id: i64,
    state: Option<ItemState>,
    offset: u32,
    limit: u32,
) -> Result<Vec<JobItemView>, ServiceError> {
    row(db, who, id).await?;
    const Q: &str = "SELECT sim_card_id, iccid, state, skipped, work_order_id, request_id, error FROM bulk_job_items \
                     WHERE job_id = $1 AND ($2 IS NULL OR state = $2) ORDER BY seq LIMIT $3 OFFSET $4";
    let rows: Vec<ItemRow> = on_pool!(db, p => sqlx::query_as(Q)
        .bind(id)
        .bind(state.map(ItemState::slug))
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(p)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|r| JobItemView {
            sim_card_id: r.sim_card_id,
            iccid: r.iccid,
            state: ItemState::from_slug(&r.state).unwrap_or(ItemState::Failed),
            skipped: r.skipped.as_deref().and_then(Ineligible::from_slug),
            work_order_id: r.work_order_id,
            request_id: r.request_id,
            error: r.error,
        })
        .collect())
}

/// Moves a job of `who` from one of `from` to `to`; false if it was in none of them.
async fn transition(db: &Db, who: &Actor, id: i64, from: &[JobState], to: JobState, message: Option<&str>) -> Result<bool, ServiceError> {
    let current = state_of(&row(db, who, id).await?.state);
    if !from.contains(&current) {
        return Ok(false);
    }
    const Q: &str = "UPDATE bulk_jobs SET state = $1, message = $2, updated_at = $3 WHERE id = $4 AND state = $5";
    let done = on_pool!(db, p => sqlx::query(Q)
        .bind(to.slug())
        .bind(message)
        .bind(now_ms())
        .bind(id)
        .bind(current.slug())
        .execute(p).await.map(|r| r.rows_affected()))?;
    Ok(done == 1)
}

/// Starts a previewed job: audited as one entry, completed when the job ends.
pub async fn confirm(db: &Db, user: &UserSession, id: i64) -> Result<(), ServiceError> {
    require_write(user)?;
    let who = actor(user);
    let r = row(db, &who, id).await?;
    if state_of(&r.state) != JobState::Ready {
        return Err(ServiceError::Conflict("only a job whose preview is ready can be started"));
    }
    let (counts, _) = counts(db, id).await?;
    let target = format!("job {id}: {} SIM cards", counts.eligible());
    let entry = audit::begin(db, &who, &format!("job.{}", r.action_name()), &target, &r.action).await?;
    const Q: &str = "UPDATE bulk_jobs SET state = 'running', audit_id = $1, updated_at = $2 WHERE id = $3 AND state = 'ready'";
    let n = on_pool!(db, p => sqlx::query(Q).bind(entry.0).bind(now_ms()).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        audit::complete(db, entry, Outcome::Failed, None, Some("the job changed before it started")).await?;
        return Err(ServiceError::Conflict("the job changed before it started"));
    }
    Ok(())
}

impl JobRow {
    fn action_name(&self) -> &'static str {
        decode::<SimAction>(&self.action).map_or("unknown", |a| a.name())
    }
}

/// Pauses a running job (the worker stops before its next card).
pub async fn pause(db: &Db, user: &UserSession, id: i64) -> Result<(), ServiceError> {
    require_write(user)?;
    if transition(db, &actor(user), id, &[JobState::Running], JobState::Paused, None).await? {
        Ok(())
    } else {
        Err(ServiceError::Conflict("only a running job can be paused"))
    }
}

/// Resumes a paused or interrupted job under the owner's current session (fresh tokens).
pub async fn resume(db: &Db, cipher: &SessionCipher, user: &UserSession, id: i64) -> Result<(), ServiceError> {
    require_write(user)?;
    let who = actor(user);
    let r = row(db, &who, id).await?;
    // An interrupted job that never got past its preview prepares again.
    let to = match state_of(&r.state) {
        JobState::Paused => JobState::Running,
        JobState::Interrupted if r.examined == 0 || counts(db, id).await?.0.total == 0 => JobState::Preparing,
        JobState::Interrupted => JobState::Running,
        _ => return Err(ServiceError::Conflict("only a paused or interrupted job can be resumed")),
    };
    refresh_credentials(db, cipher, user, id).await?;
    if transition(db, &who, id, &[JobState::Paused, JobState::Interrupted], to, None).await? {
        Ok(())
    } else {
        Err(ServiceError::Conflict("the job changed meanwhile"))
    }
}

async fn refresh_credentials(db: &Db, cipher: &SessionCipher, user: &UserSession, id: i64) -> Result<(), ServiceError> {
    let sealed = seal_user(cipher, user)?;
    const Q: &str = "UPDATE bulk_jobs SET credentials = $1 WHERE id = $2 AND account = $3 AND iam_user = $4";
    on_pool!(db, p => sqlx::query(Q).bind(&sealed).bind(id).bind(&user.account).bind(&user.user_name).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Cancels a job for good; cards not yet acted on stay untouched.
pub async fn cancel(db: &Db, user: &UserSession, id: i64) -> Result<(), ServiceError> {
    require_write(user)?;
    let who = actor(user);
    let from = [JobState::Preparing, JobState::Ready, JobState::Running, JobState::Paused, JobState::Interrupted];
    if !transition(db, &who, id, &from, JobState::Cancelled, None).await? {
        return Err(ServiceError::Conflict("this job is already over"));
    }
    close_audit(db, id, Outcome::Failed, "cancelled").await
}

/// Puts a job's failed cards back in line and runs it again.
pub async fn retry_failed(db: &Db, cipher: &SessionCipher, user: &UserSession, id: i64) -> Result<u64, ServiceError> {
    require_write(user)?;
    let who = actor(user);
    let r = row(db, &who, id).await?;
    if !matches!(state_of(&r.state), JobState::Finished | JobState::Paused | JobState::Interrupted) {
        return Err(ServiceError::Conflict("failed cards can be retried once the job has finished or paused"));
    }
    refresh_credentials(db, cipher, user, id).await?;
    const Q: &str = "UPDATE bulk_job_items SET state = 'pending', error = NULL, request_id = NULL, updated_at = $1 \
                     WHERE job_id = $2 AND state = 'failed'";
    let n = on_pool!(db, p => sqlx::query(Q).bind(now_ms()).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
    if n > 0 {
        let entry = audit::begin(db, &who, &format!("job.{}", r.action_name()), &format!("job {id}: retry {n} failed SIM cards"), &r.action).await?;
        const J: &str = "UPDATE bulk_jobs SET state = 'running', audit_id = $1, message = NULL, updated_at = $2 WHERE id = $3";
        on_pool!(db, p => sqlx::query(J).bind(entry.0).bind(now_ms()).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
    }
    Ok(n)
}

/// Completes a job's audit entry, if it has an open one.
pub async fn close_audit(db: &Db, id: i64, outcome: Outcome, detail: &str) -> Result<(), ServiceError> {
    let audit_id: Option<Option<i64>> =
        on_pool!(db, p => sqlx::query_scalar("SELECT audit_id FROM bulk_jobs WHERE id = $1").bind(id).fetch_optional(p).await)?;
    if let Some(Some(a)) = audit_id {
        audit::complete(db, AuditId(a), outcome, None, Some(detail)).await?;
    }
    Ok(())
}

// ---- the worker's side ----

/// A job a worker holds the lease of.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    /// Id.
    pub id: i64,
    /// The action.
    pub action: SimAction,
    /// The cards.
    pub selection: Selection,
    /// Preparing or running.
    pub state: JobState,
    /// The owner's sealed session.
    pub credentials: String,
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    action: String,
    selection: String,
    state: String,
    credentials: String,
}

/// Takes the lease of the oldest job that needs a worker and has none (or whose worker died).
pub async fn claim_next(db: &Db, owner: &str, lease_ms: i64) -> Result<Option<ClaimedJob>, ServiceError> {
    let now = now_ms();
    // The inner select picks a candidate; the outer condition is re-checked on the row itself, so
    // of two processes racing for one job only one update matches.
    const Q: &str = "UPDATE bulk_jobs SET lease_owner = $1, lease_until = $2 \
                     WHERE id = (SELECT id FROM bulk_jobs WHERE state IN ('preparing', 'running') AND lease_until < $3 ORDER BY id LIMIT 1) \
                     AND state IN ('preparing', 'running') AND lease_until < $3 \
                     RETURNING id, action, selection, state, credentials";
    let row: Option<ClaimRow> =
        on_pool!(db, p => sqlx::query_as(Q).bind(owner).bind(now + lease_ms).bind(now).fetch_optional(p).await)?;
    row.map(|r| {
        Ok(ClaimedJob {
            id: r.id,
            action: decode(&r.action)?,
            selection: decode(&r.selection)?,
            state: state_of(&r.state),
            credentials: r.credentials,
        })
    })
    .transpose()
}

/// Extends a lease; false if this worker no longer holds it.
pub async fn renew(db: &Db, id: i64, owner: &str, lease_ms: i64) -> Result<bool, ServiceError> {
    const Q: &str = "UPDATE bulk_jobs SET lease_until = $1 WHERE id = $2 AND lease_owner = $3";
    let n = on_pool!(db, p => sqlx::query(Q).bind(now_ms() + lease_ms).bind(id).bind(owner).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Gives a lease back so another worker (or this process after a restart) can take it at once.
pub async fn release(db: &Db, id: i64, owner: &str) -> Result<(), ServiceError> {
    const Q: &str = "UPDATE bulk_jobs SET lease_owner = NULL, lease_until = 0 WHERE id = $1 AND lease_owner = $2";
    on_pool!(db, p => sqlx::query(Q).bind(id).bind(owner).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The job's state now (the worker checks it between cards to honour pause and cancel).
pub async fn current_state(db: &Db, id: i64) -> Result<JobState, ServiceError> {
    let s: Option<String> =
        on_pool!(db, p => sqlx::query_scalar("SELECT state FROM bulk_jobs WHERE id = $1").bind(id).fetch_optional(p).await)?;
    s.map(|s| state_of(&s)).ok_or(ServiceError::NotFound)
}

/// Sets the state from the worker's side (only while it holds the lease).
pub async fn set_state(db: &Db, id: i64, owner: &str, from: JobState, to: JobState, message: Option<&str>) -> Result<bool, ServiceError> {
    const Q: &str = "UPDATE bulk_jobs SET state = $1, message = $2, updated_at = $3 WHERE id = $4 AND state = $5 AND lease_owner = $6";
    let n = on_pool!(db, p => sqlx::query(Q)
        .bind(to.slug())
        .bind(message)
        .bind(now_ms())
        .bind(id)
        .bind(from.slug())
        .bind(owner)
        .execute(p).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Records preparation progress.
pub async fn set_progress(db: &Db, id: i64, expected: u64, examined: u64) -> Result<(), ServiceError> {
    const Q: &str = "UPDATE bulk_jobs SET expected = $1, examined = $2, updated_at = $3 WHERE id = $4";
    let (e, x) = (i64::try_from(expected).unwrap_or(i64::MAX), i64::try_from(examined).unwrap_or(i64::MAX));
    on_pool!(db, p => sqlx::query(Q).bind(e).bind(x).bind(now_ms()).bind(id).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Removes the lines of a job being prepared again (reads are repeatable; writes never are).
pub async fn clear_items(db: &Db, id: i64) -> Result<(), ServiceError> {
    on_pool!(db, p => sqlx::query("DELETE FROM bulk_job_items WHERE job_id = $1").bind(id).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// A line to add while preparing.
#[derive(Debug, Clone)]
pub struct NewItem {
    /// Card id.
    pub sim_card_id: i64,
    /// ICCID.
    pub iccid: String,
    /// Why it is skipped, if it is.
    pub skipped: Option<Ineligible>,
}

/// Adds lines (a card already in the job is not added twice).
pub async fn add_items(db: &Db, id: i64, first_seq: i64, items: &[NewItem]) -> Result<(), ServiceError> {
    if items.is_empty() {
        return Ok(());
    }
    let now = now_ms();
    // One statement per chunk: parameters stay under SQLite's limit.
    for (chunk_no, chunk) in items.chunks(100).enumerate() {
        let mut sql = String::from(
            "INSERT INTO bulk_job_items (job_id, seq, sim_card_id, iccid, state, skipped, updated_at) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 7;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${}, ${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7));
        }
        sql.push_str(" ON CONFLICT (job_id, sim_card_id) DO NOTHING");
        let base = first_seq + i64::try_from(chunk_no * 100).unwrap_or(0);
        on_pool!(db, p => {
            let mut q = sqlx::query(&sql);
            for (i, item) in chunk.iter().enumerate() {
                let state = if item.skipped.is_some() { ItemState::Skipped } else { ItemState::Pending };
                q = q
                    .bind(id)
                    .bind(base + i64::try_from(i).unwrap_or(0))
                    .bind(item.sim_card_id)
                    .bind(&item.iccid)
                    .bind(state.slug())
                    .bind(item.skipped.map(Ineligible::slug))
                    .bind(now);
            }
            q.execute(p).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// A line waiting for its call.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingItem {
    /// Order within the job.
    pub seq: i64,
    /// Card id.
    pub sim_card_id: i64,
    /// ICCID.
    pub iccid: String,
}

/// The next lines in a state, in order.
pub async fn next_items(db: &Db, id: i64, state: ItemState, limit: u32) -> Result<Vec<PendingItem>, ServiceError> {
    const Q: &str = "SELECT seq, sim_card_id, iccid FROM bulk_job_items WHERE job_id = $1 AND state = $2 ORDER BY seq LIMIT $3";
    Ok(on_pool!(db, p => sqlx::query_as(Q).bind(id).bind(state.slug()).bind(i64::from(limit)).fetch_all(p).await)?)
}

/// Marks lines as being sent, only while `owner` holds the job's lease; returns how many it marked.
/// Written before the call, so after a crash no line is sent again without a check.
pub async fn mark_sending(db: &Db, id: i64, owner: &str, seqs: &[i64]) -> Result<u64, ServiceError> {
    let now = now_ms();
    let mut marked = 0;
    for seq in seqs {
        const Q: &str = "UPDATE bulk_job_items SET state = 'sending', updated_at = $1 WHERE job_id = $2 AND seq = $3 AND state = 'pending' \
                         AND EXISTS (SELECT 1 FROM bulk_jobs WHERE id = $2 AND lease_owner = $4 AND lease_until > $1 AND state = 'running')";
        marked += on_pool!(db, p => sqlx::query(Q).bind(now).bind(id).bind(seq).bind(owner).execute(p).await.map(|r| r.rows_affected()))?;
    }
    Ok(marked)
}

/// Puts a line marked for sending back in line (its call was not made).
pub async fn unmark_sending(db: &Db, id: i64, seq: i64) -> Result<(), ServiceError> {
    const Q: &str = "UPDATE bulk_job_items SET state = 'pending', updated_at = $1 WHERE job_id = $2 AND seq = $3 AND state = 'sending'";
    on_pool!(db, p => sqlx::query(Q).bind(now_ms()).bind(id).bind(seq).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Records a line's outcome.
pub async fn finish_item(
    db: &Db,
    id: i64,
    seq: i64,
    state: ItemState,
    work_order_id: Option<i64>,
    request_id: Option<&str>,
    error: Option<&str>,
) -> Result<(), ServiceError> {
    const Q: &str = "UPDATE bulk_job_items SET state = $1, work_order_id = $2, request_id = $3, error = $4, updated_at = $5 \
                     WHERE job_id = $6 AND seq = $7";
    on_pool!(db, p => sqlx::query(Q)
        .bind(state.slug())
        .bind(work_order_id)
        .bind(request_id)
        .bind(error)
        .bind(now_ms())
        .bind(id)
        .bind(seq)
        .execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}
