//! Flow pools and back pools: capacity against use per bill cycle, members, and where the cycle
//! is heading at the current daily rate.

use serde::{Deserialize, Serialize};

use crate::sim::CentiMb;

/// Which kind of pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PoolKind {
    /// A flow pool: members share its capacity.
    Flow,
    /// A back pool (后向流量池): usage billed to the account afterwards, no fixed capacity.
    Back,
}

impl PoolKind {
    /// The URL word.
    pub fn slug(self) -> &'static str {
        match self {
            PoolKind::Flow => "flow",
            PoolKind::Back => "back",
        }
    }

    /// From the URL word.
    pub fn from_slug(s: &str) -> Option<Self> {
        [PoolKind::Flow, PoolKind::Back].into_iter().find(|k| k.slug() == s)
    }
}

/// A pool in the current bill cycle, with its past cycles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolSummary {
    /// Kind.
    pub kind: PoolKind,
    /// GSL's pool id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Price plan.
    pub plan: Option<String>,
    /// The bill cycle (`YYYY-MM`, UTC+8).
    pub cycle: String,
    /// Capacity this cycle (flow pools).
    pub total: Option<CentiMb>,
    /// Used this cycle.
    pub used: CentiMb,
    /// Member cards.
    pub members: i64,
    /// Used per past cycle, oldest first (up to six, including this one).
    pub history: Vec<(String, CentiMb)>,
    /// Use at the end of this cycle if the daily rate so far continues.
    pub projected: CentiMb,
}

impl PoolSummary {
    /// Share of capacity used, per mille (flow pools with a capacity).
    pub fn used_permille(&self) -> Option<i64> {
        let total = self.total.filter(|t| *t > 0)?;
        Some(self.used.max(0) * 1000 / total)
    }

    /// Whether 80 % or more of the capacity is used.
    pub fn is_running_dry(&self) -> bool {
        self.used_permille().is_some_and(|p| p >= 800)
    }

    /// Whether the projection passes the capacity.
    pub fn will_run_out(&self) -> bool {
        self.total.is_some_and(|t| self.projected > t)
    }
}

/// A member card's use of a pool in a cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolMember {
    /// ICCID.
    pub iccid: String,
    /// Used in the cycle.
    pub used: CentiMb,
}

/// Use at the end of a cycle: what was used in the `elapsed_days` so far, continued at the same
/// daily rate over all `cycle_days` (integer arithmetic, rounded down).
pub fn project(used: CentiMb, elapsed_days: i64, cycle_days: i64) -> CentiMb {
    if elapsed_days <= 0 {
        return used;
    }
    used.max(0) * cycle_days.max(elapsed_days) / elapsed_days
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_continues_the_daily_rate() {
        assert_eq!(project(1_000, 10, 30), 3_000);
        assert_eq!(project(1_000, 30, 30), 1_000);
        assert_eq!(project(1_000, 0, 30), 1_000);
        assert_eq!(project(700, 3, 31), 7_233);
    }

    #[test]
    fn a_pool_at_eighty_percent_is_running_dry() {
        let mut p = PoolSummary {
            kind: PoolKind::Flow,
            id: 1,
            name: "p".into(),
            plan: None,
            cycle: "2026-11".into(),
            total: Some(10_000),
            used: 7_999,
            members: 3,
            history: vec![],
            projected: 9_000,
        };
        assert!(!p.is_running_dry() && !p.will_run_out());
        p.used = 8_000;
        p.projected = 12_000;
        assert!(p.is_running_dry() && p.will_run_out());
        assert_eq!(PoolKind::from_slug("back"), Some(PoolKind::Back));
    }
}
