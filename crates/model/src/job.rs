//! Bulk jobs: an action over many SIM cards, persisted, previewed, run in the background.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::action::{Ineligible, SimAction};
use crate::inventory::SimFilter;

/// Most cards one job may cover.
pub const MAX_JOB_CARDS: u64 = 100_000;

/// Which cards a job is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Selection {
    /// Cards picked one by one (by GSL card id).
    Cards(Vec<i64>),
    /// Every card matching a filter, as it matches when the job is prepared.
    Filter(Box<SimFilter>),
}

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobState {
    /// Reading the selected cards to build the impact preview.
    Preparing,
    /// Preview ready; waiting for the person to confirm.
    Ready,
    /// Acting on cards.
    Running,
    /// Paused by the person; resumes where it stopped.
    Paused,
    /// Stopped for good by the person.
    Cancelled,
    /// Every card was acted on (done, failed or skipped).
    Finished,
    /// Stopped by fleetdesk (the person's Huawei session ended, or the preview failed).
    Interrupted,
}

impl JobState {
    /// Stable name (stored in the database).
    pub fn slug(self) -> &'static str {
        match self {
            JobState::Preparing => "preparing",
            JobState::Ready => "ready",
            JobState::Running => "running",
            JobState::Paused => "paused",
            JobState::Cancelled => "cancelled",
            JobState::Finished => "finished",
            JobState::Interrupted => "interrupted",
        }
    }

    /// From its stable name.
    pub fn from_slug(s: &str) -> Option<Self> {
        [Self::Preparing, Self::Ready, Self::Running, Self::Paused, Self::Cancelled, Self::Finished, Self::Interrupted]
            .into_iter()
            .find(|x| x.slug() == s)
    }

    /// Whether a background worker has something to do.
    pub fn is_active(self) -> bool {
        matches!(self, JobState::Preparing | JobState::Running)
    }

    /// Whether nothing more will happen to it.
    pub fn is_over(self) -> bool {
        matches!(self, JobState::Cancelled | JobState::Finished)
    }

    /// The i18n key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            JobState::Preparing => "job.preparing",
            JobState::Ready => "job.ready",
            JobState::Running => "job.running",
            JobState::Paused => "job.paused",
            JobState::Cancelled => "job.cancelled",
            JobState::Finished => "job.finished",
            JobState::Interrupted => "job.interrupted",
        }
    }
}

/// One card's state within a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemState {
    /// Waiting.
    Pending,
    /// Its call was started; its outcome is being recorded.
    Sending,
    /// Done (GSL accepted it).
    Done,
    /// GSL refused it or could not be reached.
    Failed,
    /// Not eligible; nothing was sent.
    Skipped,
}

impl ItemState {
    /// Stable name.
    pub fn slug(self) -> &'static str {
        match self {
            ItemState::Pending => "pending",
            ItemState::Sending => "sending",
            ItemState::Done => "done",
            ItemState::Failed => "failed",
            ItemState::Skipped => "skipped",
        }
    }

    /// From its stable name.
    pub fn from_slug(s: &str) -> Option<Self> {
        [Self::Pending, Self::Sending, Self::Done, Self::Failed, Self::Skipped].into_iter().find(|x| x.slug() == s)
    }
}

/// Counts of a job's cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct JobCounts {
    /// Cards in the job (eligible and not).
    pub total: u64,
    /// Still to do.
    pub pending: u64,
    /// Done.
    pub done: u64,
    /// Failed.
    pub failed: u64,
    /// Skipped as ineligible.
    pub skipped: u64,
}

impl JobCounts {
    /// Cards the action applies to.
    pub fn eligible(&self) -> u64 {
        self.total.saturating_sub(self.skipped)
    }

    /// Progress over the eligible cards, per mille.
    pub fn permille(&self) -> u64 {
        let eligible = self.eligible();
        ((self.done + self.failed) * 1000).checked_div(eligible).unwrap_or(1000)
    }
}

/// A job as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobView {
    /// Id.
    pub id: i64,
    /// The action.
    pub action: SimAction,
    /// The cards.
    pub selection: Selection,
    /// State.
    pub state: JobState,
    /// Counts.
    pub counts: JobCounts,
    /// While preparing: cards read so far, and how many the filter matched.
    pub examined: u64,
    /// How many cards the selection matched when preparing began.
    pub expected: u64,
    /// Skipped cards by reason.
    pub skipped_by_reason: Vec<(Ineligible, u64)>,
    /// Who created it.
    pub iam_user: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// Why it stopped, when fleetdesk stopped it.
    pub message: Option<String>,
}

/// One card's line in a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobItemView {
    /// Card id.
    pub sim_card_id: i64,
    /// ICCID.
    pub iccid: String,
    /// State.
    pub state: ItemState,
    /// Why it was skipped.
    pub skipped: Option<Ineligible>,
    /// Work order created.
    pub work_order_id: Option<i64>,
    /// Huawei request id of its call.
    pub request_id: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip() {
        for s in ["preparing", "ready", "running", "paused", "cancelled", "finished", "interrupted"] {
            assert_eq!(JobState::from_slug(s).map(JobState::slug), Some(s));
        }
        for s in ["pending", "sending", "done", "failed", "skipped"] {
            assert_eq!(ItemState::from_slug(s).map(ItemState::slug), Some(s));
        }
    }

    #[test]
    fn progress_counts_eligible_cards_only() {
        let c = JobCounts { total: 10, pending: 4, done: 3, failed: 1, skipped: 2 };
        assert_eq!(c.eligible(), 8);
        assert_eq!(c.permille(), 500);
        assert_eq!(JobCounts { total: 3, skipped: 3, ..Default::default() }.permille(), 1000);
    }
}
