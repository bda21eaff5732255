//! GSL work orders: what GSL did on request, with a line per card.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A work order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkOrder {
    /// Id.
    pub id: i64,
    /// GSL's type number.
    pub kind: i64,
    /// What was asked.
    pub request: Option<String>,
    /// GSL's status number (see [`status_key`]).
    pub status: i64,
    /// Cards in it.
    pub total: i64,
    /// Cards done.
    pub succeeded: i64,
    /// Cards failed.
    pub failed: i64,
    /// When it was created.
    pub created_at: Option<DateTime<Utc>>,
    /// When it finished.
    pub finished_at: Option<DateTime<Utc>>,
}

/// One card's line of a work order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkOrderLine {
    /// Card id.
    pub sim_card_id: Option<i64>,
    /// ICCID.
    pub iccid: Option<String>,
    /// 1 done, 2 in progress, 3 failed.
    pub status: i64,
    /// What happened.
    pub description: Option<String>,
}

/// The i18n key of a work order type, when fleetdesk knows it.
pub fn kind_key(kind: i64) -> Option<&'static str> {
    Some(match kind {
        4 => "action.resume",
        5 => "action.stop",
        10 => "action.activate",
        11 => "action.cut_net",
        12 => "action.exceed_cut_net",
        13 => "action.rebind_imei",
        14 => "action.clear_real_name",
        15 => "action.speed_limit",
        20 => "action.restore_net",
        21 => "action.cancel_exceed_cut_net",
        24 => "action.switch_policy",
        25 => "action.switch_network",
        _ => return None,
    })
}

/// The i18n key of a work order status.
pub fn status_key(status: i64) -> &'static str {
    match status {
        1 => "wo.pending",
        2 | 3 => "wo.processing",
        4 => "wo.done",
        5 => "wo.partial",
        6 => "wo.failed",
        _ => "wo.unknown",
    }
}

/// The i18n key of a line's status.
pub fn line_status_key(status: i64) -> &'static str {
    match status {
        1 => "wo.done",
        2 => "wo.processing",
        3 => "wo.failed",
        _ => "wo.unknown",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_kinds_have_names() {
        assert_eq!(super::kind_key(5), Some("action.stop"));
        assert_eq!(super::kind_key(99), None);
        assert_eq!(super::status_key(4), "wo.done");
        assert_eq!(super::line_status_key(3), "wo.failed");
    }
}
