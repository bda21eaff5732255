//! Audit entries: every change made through fleetdesk, written before the upstream call and
//! completed after it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Started; the upstream answer has not been recorded (yet, or ever if the process died).
    Pending,
    /// Huawei Cloud accepted it.
    Succeeded,
    /// Refused or failed.
    Failed,
}

impl Outcome {
    /// Stable name.
    pub fn slug(self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::Succeeded => "succeeded",
            Outcome::Failed => "failed",
        }
    }

    /// From its stable name.
    pub fn from_slug(s: &str) -> Option<Self> {
        [Self::Pending, Self::Succeeded, Self::Failed].into_iter().find(|x| x.slug() == s)
    }

    /// The i18n key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Outcome::Pending => "audit.pending",
            Outcome::Succeeded => "audit.succeeded",
            Outcome::Failed => "audit.failed",
        }
    }
}

/// One audited action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Id (increasing).
    pub id: i64,
    /// Account.
    pub account: String,
    /// IAM user.
    pub iam_user: String,
    /// What (`sim.stop`, `job.start`).
    pub action: String,
    /// On what (`sim 10000001`, `job 7`).
    pub target: String,
    /// Its parameters, as JSON.
    pub parameters: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When the answer was recorded.
    pub finished_at: Option<DateTime<Utc>>,
    /// How it ended.
    pub outcome: Outcome,
    /// Huawei's request id.
    pub request_id: Option<String>,
    /// Work order id or error message.
    pub detail: Option<String>,
}

/// Filters of the audit page (all optional), as URL parameters.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditFilter {
    /// Action name prefix (`sim.`, `sim.stop`, `job.`).
    pub action: Option<String>,
    /// Target contains.
    pub target: Option<String>,
    /// IAM user.
    pub iam_user: Option<String>,
    /// Outcome.
    pub outcome: Option<Outcome>,
    /// Entries before this id (paging backwards in time).
    pub before: Option<i64>,
}

impl AuditFilter {
    /// Parses URL parameters; refuses bad input.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)> + Clone) -> Result<Self, crate::Invalid> {
        let one = |key: &str| {
            pairs.clone().into_iter().find(|(k, _)| *k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
        };
        let text = |key: &'static str| -> Result<Option<String>, crate::Invalid> {
            match one(key) {
                Some(v) if v.chars().count() > 64 => Err(crate::Invalid::new(key, "is too long.")),
                v => Ok(v.map(str::to_owned)),
            }
        };
        let outcome = match one("outcome") {
            None => None,
            Some(o) => Some(Outcome::from_slug(o).ok_or_else(|| crate::Invalid::new("outcome", "must be pending, succeeded or failed."))?),
        };
        let before = match one("before") {
            None => None,
            Some(b) => Some(b.parse::<i64>().ok().filter(|b| *b > 0).ok_or_else(|| crate::Invalid::new("before", "is not an entry id."))?),
        };
        Ok(Self { action: text("action")?, target: text("target")?, iam_user: text("user")?, outcome, before })
    }

    /// The URL parameters, empty ones left out.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for (k, v) in [("action", &self.action), ("target", &self.target), ("user", &self.iam_user)] {
            if let Some(v) = v {
                out.push((k, v.clone()));
            }
        }
        if let Some(o) = self.outcome {
            out.push(("outcome", o.slug().to_owned()));
        }
        if let Some(b) = self.before {
            out.push(("before", b.to_string()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_round_trips_and_refuses_bad_values() {
        let f = AuditFilter::from_pairs([("action", "sim.stop"), ("outcome", "failed"), ("before", "40")]).expect("valid");
        assert_eq!(f.outcome, Some(Outcome::Failed));
        let pairs = f.to_pairs();
        let again = AuditFilter::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str()))).expect("valid");
        assert_eq!(again, f);
        assert_eq!(AuditFilter::from_pairs([("outcome", "maybe")]).expect_err("refused").field, "outcome");
        assert_eq!(AuditFilter::from_pairs([("before", "x")]).expect_err("refused").field, "before");
    }
}
