//! Running one claimed bulk job: preparing its preview (reading the cards) or acting on its cards,
//! under the owner's own credentials and the client's rate limit, honouring pause and cancel
//! between cards, and never sending a card's call twice.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use hwcloud::{Client, Identity};
use model::action::{Dispatch, Ineligible};
use model::audit::Outcome;
use model::job::{ItemState, JobState, MAX_JOB_CARDS, Selection};
use tokio::sync::watch;

use super::dispatch::{self, Target};
use super::jobs::{self, ClaimedJob, NewItem, PendingItem};
use super::sim_cards;
use crate::crypto::SessionCipher;
use crate::db::Db;
use crate::error::ServiceError;

/// What a worker needs to run jobs.
#[derive(Debug, Clone)]
pub struct Runner {
    /// The database.
    pub db: Db,
    /// The Huawei client (its rate limiter is shared with every page of this process).
    pub client: Client,
    /// Opens the owners' sealed credentials.
    pub cipher: SessionCipher,
    /// This worker's lease name.
    pub owner: String,
    /// How long a lease lasts without renewal.
    pub lease: Duration,
    /// Calls of one job in flight at once.
    pub concurrency: usize,
}

/// How often a running job looks at its state in the database (pause and cancel take effect then).
const CONTROL_EVERY: Duration = Duration::from_millis(200);
/// Pause after a rate-limited call before its card is tried again.
const THROTTLED_PAUSE: Duration = Duration::from_millis(200);

/// Why a job's loop ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Nothing left to do in this state.
    Done,
    /// The person paused or cancelled it, or another worker took it.
    Control,
    /// This process is shutting down.
    Shutdown,
}

impl Runner {
    fn lease_ms(&self) -> i64 {
        i64::try_from(self.lease.as_millis()).unwrap_or(i64::MAX)
    }

    /// Runs a claimed job until it needs no worker, is paused or cancelled, or `shutdown` fires;
    /// then gives the lease back.
    pub async fn run(&self, job: ClaimedJob, shutdown: watch::Receiver<bool>) -> Result<(), ServiceError> {
        let lost = AtomicBool::new(false);
        // The renewal runs beside the job in the same task: if the job's task dies, so does its lease.
        let result = tokio::select! {
            r = self.run_held(&job, &shutdown, &lost) => r,
            never = renew_lease(&self.db, job.id, &self.owner, self.lease, self.lease_ms(), &lost) => match never {},
        };
        jobs::release(&self.db, job.id, &self.owner).await?;
        result
    }

    async fn run_held(&self, job: &ClaimedJob, shutdown: &watch::Receiver<bool>, lost: &AtomicBool) -> Result<(), ServiceError> {
        let user = jobs::open_user(&self.cipher, &job.credentials)?;
        if user.expires_at <= chrono::Utc::now() {
            self.interrupt(job, "The owner's Huawei Cloud session has ended. Sign in again and resume the job.").await?;
            return Ok(());
        }
        let who = user.identity();
        let control = Control { db: &self.db, id: job.id, state: job.state, shutdown, lost, checked: Instant::now() };
        match job.state {
            JobState::Preparing => self.prepare(job, &who, control).await,
            JobState::Running => self.execute(job, &who, control).await,
            _ => Ok(()),
        }
    }

    async fn interrupt(&self, job: &ClaimedJob, message: &str) -> Result<(), ServiceError> {
        jobs::set_state(&self.db, job.id, &self.owner, job.state, JobState::Interrupted, Some(message)).await?;
        Ok(())
    }

    /// Reads the selected cards and records, for each, whether the action applies.
    async fn prepare(&self, job: &ClaimedJob, who: &Identity, mut control: Control<'_>) -> Result<(), ServiceError> {
        // Reads can be repeated safely: a preparation cut short starts over.
        jobs::clear_items(&self.db, job.id).await?;
        let outcome = match &job.selection {
            Selection::Cards(ids) => self.prepare_cards(job, who, ids, &mut control).await,
            Selection::Filter(filter) => {
                let expected = sim_cards::count(&self.client, who, filter).await;
                match expected {
                    Ok(n) if n > MAX_JOB_CARDS => {
                        let msg = format!("The filter matches {n} SIM cards; a job covers at most {MAX_JOB_CARDS}. Narrow the filter.");
                        self.interrupt(job, &msg).await?;
                        return Ok(());
                    }
                    Ok(n) => self.prepare_filter(job, who, filter, n, &mut control).await,
                    Err(e) => Err(e),
                }
            }
        };
        match outcome {
            Ok(Stop::Done) => {
                jobs::set_state(&self.db, job.id, &self.owner, JobState::Preparing, JobState::Ready, None).await?;
                Ok(())
            }
            Ok(_) => Ok(()),
            Err(ServiceError::Upstream(e)) => {
                let msg = format!("Reading the SIM cards failed: {}", describe(&e));
                self.interrupt(job, &msg).await
            }
            Err(e) => Err(e),
        }
    }

    async fn prepare_cards(&self, job: &ClaimedJob, who: &Identity, ids: &[i64], control: &mut Control<'_>) -> Result<Stop, ServiceError> {
        let mut unique: Vec<i64> = Vec::with_capacity(ids.len());
        for id in ids {
            if !unique.contains(id) {
                unique.push(*id);
            }
        }
        let expected = unique.len() as u64;
        jobs::set_progress(&self.db, job.id, expected, 0).await?;
        let mut seq = 0i64;
        for chunk in unique.chunks(self.concurrency.max(1) * 2) {
            if let Some(stop) = control.check().await? {
                return Ok(stop);
            }
            // The client's rate limiter paces these; a chunk is read concurrently.
            let reads = futures::future::join_all(chunk.iter().map(|id| sim_cards::show(&self.client, who, *id))).await;
            let reads = chunk.iter().copied().zip(reads);
            let mut items = Vec::with_capacity(reads.len());
            for (id, read) in reads {
                match read {
                    Ok(card) => items.push(NewItem {
                        sim_card_id: card.sim_card_id,
                        skipped: job.action.eligibility(&card).err(),
                        iccid: card.iccid,
                    }),
                    Err(ServiceError::Upstream(e)) if is_not_found(&e) => {
                        items.push(NewItem { sim_card_id: id, iccid: String::new(), skipped: Some(Ineligible::Gone) });
                    }
                    Err(e) => return Err(e),
                }
            }
            jobs::add_items(&self.db, job.id, seq, &items).await?;
            seq += i64::try_from(items.len()).unwrap_or(0);
            jobs::set_progress(&self.db, job.id, expected, u64::try_from(seq).unwrap_or(0)).await?;
        }
        Ok(Stop::Done)
    }

    async fn prepare_filter(
        &self,
        job: &ClaimedJob,
        who: &Identity,
        filter: &model::inventory::SimFilter,
        expected: u64,
        control: &mut Control<'_>,
    ) -> Result<Stop, ServiceError> {
        jobs::set_progress(&self.db, job.id, expected, 0).await?;
        let mut req = sim_cards::list_request(filter);
        req.limit = Some(500);
        let mut pages = std::pin::pin!(self.client.pages(who, req).map_err(ServiceError::from).try_chunks(500));
        let mut seq = 0i64;
        while let Some(page) = pages.next().await {
            if let Some(stop) = control.check().await? {
                return Ok(stop);
            }
            let page = page.map_err(|e| e.1)?;
            let items: Vec<NewItem> = page
                .into_iter()
                .map(sim_cards::to_card)
                .map(|card| NewItem { sim_card_id: card.sim_card_id, skipped: job.action.eligibility(&card).err(), iccid: card.iccid })
                .collect();
            jobs::add_items(&self.db, job.id, seq, &items).await?;
            seq += i64::try_from(items.len()).unwrap_or(0);
            jobs::set_progress(&self.db, job.id, expected.max(u64::try_from(seq).unwrap_or(0)), u64::try_from(seq).unwrap_or(0)).await?;
        }
        Ok(Stop::Done)
    }

    /// Acts on the job's pending cards until none is left or the job is told to stop.
    async fn execute(&self, job: &ClaimedJob, who: &Identity, mut control: Control<'_>) -> Result<(), ServiceError> {
        self.settle_interrupted_calls(job, who).await?;
        let batch = match job.action.dispatch() {
            Dispatch::PerCard => 1,
            Dispatch::Batch(n) => n,
        };
        loop {
            if control.check().await?.is_some() {
                return Ok(());
            }
            let limit = u32::try_from((batch * self.concurrency.max(1)).min(500)).unwrap_or(500);
            let next = jobs::next_items(&self.db, job.id, ItemState::Pending, limit).await?;
            if next.is_empty() {
                break;
            }
            // At most `concurrency` groups: one call each, in flight together under the rate limiter.
            let groups: Vec<Vec<PendingItem>> = next.chunks(batch).map(<[PendingItem]>::to_vec).collect();
            let results = futures::future::join_all(groups.into_iter().map(|group| self.send_group(job, who, group))).await;
            let mut session_ended = false;
            for r in results {
                match r? {
                    GroupOutcome::Sent | GroupOutcome::NotSent => {}
                    GroupOutcome::SessionEnded => session_ended = true,
                }
            }
            if session_ended {
                self.interrupt(job, "The owner's Huawei Cloud session has ended. Sign in again and resume the job.").await?;
                return Ok(());
            }
        }
        let (counts, _) = jobs::counts(&self.db, job.id).await?;
        if jobs::set_state(&self.db, job.id, &self.owner, JobState::Running, JobState::Finished, None).await? {
            let outcome = if counts.failed == 0 { Outcome::Succeeded } else { Outcome::Failed };
            let detail = format!("{} done, {} failed, {} skipped", counts.done, counts.failed, counts.skipped);
            jobs::close_audit(&self.db, job.id, outcome, &detail).await?;
        }
        Ok(())
    }

    /// Sends one group of cards (one card, or one batch), recording before and after the call.
    async fn send_group(&self, job: &ClaimedJob, who: &Identity, group: Vec<PendingItem>) -> Result<GroupOutcome, ServiceError> {
        let seqs: Vec<i64> = group.iter().map(|i| i.seq).collect();
        let marked = jobs::mark_sending(&self.db, job.id, &self.owner, &seqs).await?;
        if marked < seqs.len() as u64 {
            // Paused, cancelled or taken over between reading and marking: put back what was
            // marked; nothing was sent.
            for seq in &seqs {
                jobs::unmark_sending(&self.db, job.id, *seq).await?;
            }
            return Ok(GroupOutcome::NotSent);
        }
        let targets: Vec<Target> = group.iter().map(|i| Target { sim_card_id: i.sim_card_id, iccid: i.iccid.clone() }).collect();
        match dispatch::send(&self.client, who, &job.action, &targets).await {
            Ok(accepted) => {
                for seq in &seqs {
                    jobs::finish_item(&self.db, job.id, *seq, ItemState::Done, accepted.work_order_id, accepted.request_id.as_deref(), None).await?;
                }
                Ok(GroupOutcome::Sent)
            }
            // Refused at the gateway before reaching GSL: the call did not happen, so the card
            // goes back in line (this is not a repeat of an action).
            Err(hwcloud::Error::RateLimited { .. }) => {
                for seq in &seqs {
                    jobs::unmark_sending(&self.db, job.id, *seq).await?;
                }
                tokio::time::sleep(THROTTLED_PAUSE).await;
                Ok(GroupOutcome::NotSent)
            }
            Err(hwcloud::Error::TokenExpired { .. } | hwcloud::Error::Unauthorized { .. } | hwcloud::Error::Credentials { .. }) => {
                for seq in &seqs {
                    jobs::unmark_sending(&self.db, job.id, *seq).await?;
                }
                Ok(GroupOutcome::SessionEnded)
            }
            Err(e) => {
                let message = describe(&e);
                for seq in &seqs {
                    jobs::finish_item(&self.db, job.id, *seq, ItemState::Failed, None, e.request_id(), Some(&message)).await?;
                }
                Ok(GroupOutcome::Sent)
            }
        }
    }

    /// Cards whose call was under way when a worker stopped without recording the answer: the
    /// card is read, and counted done if it shows the change; otherwise the outcome is unknown and
    /// the card is marked failed for the person to retry. It is never sent again by itself.
    async fn settle_interrupted_calls(&self, job: &ClaimedJob, who: &Identity) -> Result<(), ServiceError> {
        loop {
            let stuck = jobs::next_items(&self.db, job.id, ItemState::Sending, 100).await?;
            if stuck.is_empty() {
                return Ok(());
            }
            for item in stuck {
                let card = sim_cards::show(&self.client, who, item.sim_card_id).await;
                let (state, error) = match card {
                    Ok(card) if job.action.already_applied(&card) => (ItemState::Done, None),
                    _ => (ItemState::Failed, Some("The server stopped during this card's call; its outcome is unknown. Check the card, then retry.")),
                };
                jobs::finish_item(&self.db, job.id, item.seq, state, None, None, error).await?;
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GroupOutcome {
    Sent,
    NotSent,
    SessionEnded,
}

fn is_not_found(e: &hwcloud::Error) -> bool {
    e.service_error().is_some_and(|s| s.status == 404)
}

/// A failure in words for a job line (the upstream message and code, no internals).
fn describe(e: &hwcloud::Error) -> String {
    match e.service_error() {
        Some(s) => format!("{} ({})", s.error_msg, s.error_code),
        None => match e {
            hwcloud::Error::Timeout { .. } => "Huawei Cloud did not answer in time.".to_owned(),
            hwcloud::Error::Transport { .. } => "Huawei Cloud could not be reached.".to_owned(),
            _ => "Huawei Cloud's answer could not be read.".to_owned(),
        },
    }
}

/// Pause, cancel, lost lease and shutdown, as seen from inside a job's loop.
struct Control<'a> {
    db: &'a Db,
    id: i64,
    state: JobState,
    shutdown: &'a watch::Receiver<bool>,
    lost: &'a AtomicBool,
    checked: Instant,
}

impl Control<'_> {
    /// `Some` when the loop must stop now.
    async fn check(&mut self) -> Result<Option<Stop>, ServiceError> {
        if *self.shutdown.borrow() {
            return Ok(Some(Stop::Shutdown));
        }
        if self.lost.load(Ordering::Relaxed) {
            return Ok(Some(Stop::Control));
        }
        if self.checked.elapsed() >= CONTROL_EVERY {
            self.checked = Instant::now();
            if jobs::current_state(self.db, self.id).await? != self.state {
                return Ok(Some(Stop::Control));
            }
        }
        Ok(None)
    }
}

/// Renews the lease every quarter of its length; once it is lost, says so and waits forever.
async fn renew_lease(db: &Db, id: i64, owner: &str, lease: Duration, lease_ms: i64, lost: &AtomicBool) -> std::convert::Infallible {
    loop {
        tokio::time::sleep(lease / 4).await;
        match jobs::renew(db, id, owner, lease_ms).await {
            Ok(true) => {}
            Ok(false) => {
                lost.store(true, Ordering::Relaxed);
                return std::future::pending().await;
            }
            // A database hiccup: try again at the next tick; the lease has slack for that.
            Err(e) => tracing::warn!(job = id, error = %e, "renewing a job lease failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_described_without_internals() {
        let e = hwcloud::Error::Timeout { operation: "stop_sim_card" };
        assert_eq!(describe(&e), "Huawei Cloud did not answer in time.");
        let s = hwcloud::ServiceError {
            status: 400,
            error_code: "GSL.0410".into(),
            error_msg: "The SIM card is already stopped.".into(),
            request_id: Some("r-1".into()),
        };
        let e = hwcloud::Error::Service { operation: "stop_sim_card", error: s };
        assert_eq!(describe(&e), "The SIM card is already stopped. (GSL.0410)");
    }
}
