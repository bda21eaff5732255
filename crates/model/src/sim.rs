//! A SIM card as the console shows it, and the codes GSL uses for its status and type.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A SIM card's life-cycle status (GSL `sim_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SimStatus {
    /// 10: may be used for tests before activation.
    Testable,
    /// 11: not activated.
    Inactive,
    /// 13: can be activated.
    Activatable,
    /// 14: stopped (service suspended).
    Stopped,
    /// 20: in use.
    InUse,
    /// 30: dismantled (closed for good).
    Dismantled,
}

impl SimStatus {
    /// Every status, in life-cycle order.
    pub const ALL: [SimStatus; 6] = [
        SimStatus::Testable,
        SimStatus::Inactive,
        SimStatus::Activatable,
        SimStatus::InUse,
        SimStatus::Stopped,
        SimStatus::Dismantled,
    ];

    /// GSL's number.
    pub fn code(self) -> i64 {
        match self {
            SimStatus::Testable => 10,
            SimStatus::Inactive => 11,
            SimStatus::Activatable => 13,
            SimStatus::Stopped => 14,
            SimStatus::InUse => 20,
            SimStatus::Dismantled => 30,
        }
    }

    /// From GSL's number.
    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The URL word (`?status=in-use`).
    pub fn slug(self) -> &'static str {
        match self {
            SimStatus::Testable => "testable",
            SimStatus::Inactive => "inactive",
            SimStatus::Activatable => "activatable",
            SimStatus::Stopped => "stopped",
            SimStatus::InUse => "in-use",
            SimStatus::Dismantled => "dismantled",
        }
    }

    /// From the URL word.
    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.slug() == s)
    }

    /// The i18n key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            SimStatus::Testable => "status.testable",
            SimStatus::Inactive => "status.inactive",
            SimStatus::Activatable => "status.activatable",
            SimStatus::Stopped => "status.stopped",
            SimStatus::InUse => "status.in_use",
            SimStatus::Dismantled => "status.dismantled",
        }
    }
}

/// The kind of SIM (GSL `sim_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SimType {
    /// 1: vSIM.
    Vsim,
    /// 2: eSIM.
    Esim,
    /// 3: physical card.
    Physical,
}

impl SimType {
    /// Every type.
    pub const ALL: [SimType; 3] = [SimType::Vsim, SimType::Esim, SimType::Physical];

    /// GSL's number.
    pub fn code(self) -> i64 {
        match self {
            SimType::Vsim => 1,
            SimType::Esim => 2,
            SimType::Physical => 3,
        }
    }

    /// From GSL's number.
    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The URL word.
    pub fn slug(self) -> &'static str {
        match self {
            SimType::Vsim => "vsim",
            SimType::Esim => "esim",
            SimType::Physical => "physical",
        }
    }

    /// From the URL word.
    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.slug() == s)
    }

    /// The i18n key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            SimType::Vsim => "simtype.vsim",
            SimType::Esim => "simtype.esim",
            SimType::Physical => "simtype.physical",
        }
    }
}

/// Data volume in hundredths of a megabyte (GSL reports MB with two decimals; no floats here).
pub type CentiMb = i64;

/// One SIM card as the console shows it (from `list_sim_cards` / `show_sim_card`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimCard {
    /// GSL's card id.
    pub sim_card_id: i64,
    /// ICCID (or container id of an eSIM/vSIM).
    pub iccid: String,
    /// MSISDN.
    pub msisdn: Option<String>,
    /// IMSI.
    pub imsi: Option<String>,
    /// Bound IMEI.
    pub imei: Option<String>,
    /// Status, if GSL sent a known one.
    pub status: Option<SimStatus>,
    /// Type.
    pub sim_type: Option<SimType>,
    /// Operator status (-1 normal, 1..7 reasons of an operator stop).
    pub operator_status: Option<i64>,
    /// Batch (order) id the card came in.
    pub order_id: Option<i64>,
    /// Price plan name.
    pub price_plan: Option<String>,
    /// Activation time.
    pub activated_at: Option<DateTime<Utc>>,
    /// Expiry time.
    pub expires_at: Option<DateTime<Utc>>,
    /// Data used this bill cycle.
    pub flow_used: Option<CentiMb>,
    /// Data left this bill cycle.
    pub flow_left: Option<CentiMb>,
    /// Flow pool id.
    pub pool_id: Option<i64>,
    /// Tag names.
    pub tags: Vec<String>,
    /// The six custom attributes.
    pub attributes: [Option<String>; 6],
    /// Real-name verified.
    pub real_named: Option<bool>,
    /// Network cut on request.
    pub cut_net: Option<bool>,
    /// Cut-net when the quota is exceeded.
    pub exceed_cut_net: Option<bool>,
    /// Its quota in MB (-1 unlimited).
    pub exceed_cut_net_quota: Option<i64>,
    /// IMEI rebinds left this month.
    pub imei_rebinds_left: Option<i64>,
    /// Speed limit in Kbps (-1 none).
    pub speed_limit: Option<i64>,
    /// Network type (4G, NB-IoT).
    pub network_type: Option<String>,
}

impl SimCard {
    /// Share of the cycle's flow used, in per mille (0..=1000), when both figures are known.
    pub fn used_permille(&self) -> Option<i64> {
        let (used, left) = (self.flow_used?, self.flow_left?);
        let total = used.max(0) + left.max(0);
        (total > 0).then(|| (used.max(0) * 1000 / total).min(1000))
    }
}

/// Formats hundredths of a MB for people: `12.34 MB`, `1.21 GB`.
pub fn format_flow(centi: CentiMb) -> String {
    let sign = if centi < 0 { "-" } else { "" };
    let c = centi.unsigned_abs();
    if c >= 102_400 {
        // GB with two decimals, rounded half up, computed on integers.
        let hundredths_gb = (c * 100 + 51_200) / 102_400;
        format!("{sign}{}.{:02} GB", hundredths_gb / 100, hundredths_gb % 100)
    } else {
        format!("{sign}{}.{:02} MB", c / 100, c % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_codes_and_slugs() {
        for s in SimStatus::ALL {
            assert_eq!(SimStatus::from_code(s.code()), Some(s));
            assert_eq!(SimStatus::from_slug(s.slug()), Some(s));
        }
        assert_eq!(SimStatus::from_code(12), None);
        for t in SimType::ALL {
            assert_eq!(SimType::from_code(t.code()), Some(t));
            assert_eq!(SimType::from_slug(t.slug()), Some(t));
        }
    }

    #[test]
    fn flow_is_formatted_without_floats() {
        assert_eq!(format_flow(1234), "12.34 MB");
        assert_eq!(format_flow(102_400), "1.00 GB");
        assert_eq!(format_flow(123_456), "1.21 GB");
        assert_eq!(format_flow(-50), "-0.50 MB");
    }

    #[test]
    fn used_share_is_bounded() {
        let mut card = SimCard { flow_used: Some(2500), flow_left: Some(7500), ..SimCard::default() };
        assert_eq!(card.used_permille(), Some(250));
        card.flow_left = Some(0);
        assert_eq!(card.used_permille(), Some(1000));
        card.flow_used = None;
        assert_eq!(card.used_permille(), None);
    }
}
