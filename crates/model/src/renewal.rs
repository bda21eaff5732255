//! Renewing yearly/monthly resources: what a person asks for and what came of it, checked the
//! same way in the browser and on the server.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Invalid;

/// At most this many resources per renewal (BSS's own limit).
pub const MAX_RESOURCES: usize = 100;

/// How long to renew for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RenewalPeriod {
    /// 1 to 11 months.
    Months(u8),
    /// 1 to 3 years.
    Years(u8),
}

impl RenewalPeriod {
    /// BSS `period_type` (2 month, 3 year) and `period_num`, or why the period is refused.
    pub fn to_bss(self) -> Result<(i64, i64), Invalid> {
        match self {
            RenewalPeriod::Months(n @ 1..=11) => Ok((2, i64::from(n))),
            RenewalPeriod::Years(n @ 1..=3) => Ok((3, i64::from(n))),
            RenewalPeriod::Months(_) => Err(Invalid::new("period", "is 1 to 11 months (or whole years)")),
            RenewalPeriod::Years(_) => Err(Invalid::new("period", "is 1 to 3 years")),
        }
    }
}

/// A renewal as the person asked for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalRequest {
    /// Master resources (their slaves are renewed with them).
    pub resource_ids: Vec<String>,
    /// How long.
    pub period: RenewalPeriod,
    /// Pay at once from the balances (otherwise the order waits for payment).
    pub auto_pay: bool,
    /// The expiry of each resource as the page showed it: the renewal is refused if any has
    /// changed since (renewed in another tab, say), and identical requests are sent once.
    pub expected_expiries: BTreeMap<String, String>,
}

impl RenewalRequest {
    /// Checks the request before anything is read or sent; BSS's period on success.
    pub fn validate(&self) -> Result<(i64, i64), Invalid> {
        if self.resource_ids.is_empty() {
            return Err(Invalid::new("resources", "must name at least one resource"));
        }
        if self.resource_ids.len() > MAX_RESOURCES {
            return Err(Invalid::new("resources", format!("are at most {MAX_RESOURCES} per renewal")));
        }
        if self.resource_ids.iter().any(|id| id.trim().is_empty() || id.len() > 128) {
            return Err(Invalid::new("resources", "contain an empty or overlong id"));
        }
        if self.resource_ids.iter().any(|id| !self.expected_expiries.contains_key(id)) {
            return Err(Invalid::new("resources", "need the expiry the page showed for each of them"));
        }
        self.period.to_bss()
    }
}

/// A resource BSS refused to renew.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalRefused {
    /// The resource.
    pub resource_id: String,
    /// BSS's code (CBC.30050013: cannot be renewed).
    pub code: String,
    /// BSS's message.
    pub message: String,
}

/// What a renewal produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalDone {
    /// Orders created.
    pub order_ids: Vec<String>,
    /// Resources refused.
    pub refused: Vec<RenewalRefused>,
    /// True when this repeated a renewal already done: nothing was sent this time.
    pub repeated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(ids: &[&str], period: RenewalPeriod) -> RenewalRequest {
        RenewalRequest {
            resource_ids: ids.iter().map(|s| (*s).to_owned()).collect(),
            period,
            auto_pay: true,
            expected_expiries: ids.iter().map(|s| ((*s).to_owned(), "2030-01-01T00:00:00Z".to_owned())).collect(),
        }
    }

    #[test]
    fn bad_periods_and_resource_lists_are_refused() {
        assert_eq!(req(&["a"], RenewalPeriod::Months(3)).validate().ok(), Some((2, 3)));
        assert_eq!(req(&["a"], RenewalPeriod::Years(2)).validate().ok(), Some((3, 2)));
        assert_eq!(req(&["a"], RenewalPeriod::Months(12)).validate().map_err(|e| e.field), Err("period"));
        assert!(req(&["a"], RenewalPeriod::Years(0)).validate().is_err());
        assert_eq!(req(&[], RenewalPeriod::Months(1)).validate().map_err(|e| e.field), Err("resources"));
        assert!(req(&[" "], RenewalPeriod::Months(1)).validate().is_err());
        let many: Vec<String> = (0..101).map(|i| i.to_string()).collect();
        assert!(RenewalRequest { resource_ids: many, period: RenewalPeriod::Months(1), auto_pay: false, expected_expiries: BTreeMap::new() }.validate().is_err());
        let mut unseen = req(&["a"], RenewalPeriod::Months(1));
        unseen.expected_expiries.clear();
        assert_eq!(unseen.validate().map_err(|e| e.field), Err("resources"), "the expiry the page showed is needed");
    }
}
