//! What can be done to a SIM card, which cards it applies to, and how its input is checked.
//! The same rules decide a single action's buttons, a bulk job's impact preview and, after a
//! restart, whether a card already shows the change (so it is not made twice).

use serde::{Deserialize, Serialize};

use crate::Invalid;
use crate::sim::{SimCard, SimStatus};

/// Speed limits (Kbps) the carriers accept; -1 lifts the limit.
pub const SPEED_VALUES: [i64; 25] = [
    -1, 1, 64, 128, 256, 512, 1024, 3072, 5120, 7168, 10240, 20480, 30720, 40960, 51200, 61440, 71680, 81920, 92160,
    102400, 112640, 122880, 133120, 143360, 153600,
];
/// Longest SMS text GSL accepts.
pub const MAX_SMS_CHARS: usize = 500;
/// Longest custom attribute value GSL accepts.
pub const MAX_ATTRIBUTE_CHARS: usize = 100;
/// Carriers a three-network card can switch to (1 China Mobile, 2 China Telecom, 3 China Unicom).
pub const CARRIERS: [i64; 3] = [1, 2, 3];

/// An action on SIM cards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SimAction {
    /// Activate (enable) a testable, inactive or activatable card.
    Activate,
    /// Stop a card in use.
    Stop,
    /// Resume a stopped card.
    Resume,
    /// Cut the network of a card in use.
    CutNet,
    /// Restore a cut network.
    RestoreNet,
    /// Cut the network once the cycle's use passes a quota (MB; 0 cuts at once, -1 never).
    SetExceedCutNet {
        /// Quota in MB.
        quota_mb: i64,
    },
    /// Cancel the exceed-quota cut-net.
    CancelExceedCutNet,
    /// Limit the speed (Kbps, one of [`SPEED_VALUES`]; -1 lifts it).
    SetSpeedLimit {
        /// Kbps.
        kbps: i64,
    },
    /// Rebind the IMEI (China Telecom cards); no IMEI means "bind the next device seen".
    RebindImei {
        /// The new IMEI (15 digits).
        imei: Option<String>,
        /// Fixed binding instead of normal.
        fixed: bool,
    },
    /// Clear the real-name registration.
    ClearRealName,
    /// Replace the card's tags (at most 10).
    SetTags {
        /// Tag ids.
        tag_ids: Vec<i64>,
    },
    /// Set custom attributes: `Some("")` clears a slot, `None` leaves it.
    SetAttributes {
        /// Values by slot 1..6.
        values: [Option<String>; 6],
    },
    /// Apply a network switch policy (three-network cards).
    SetSwitchPolicy {
        /// Policy id.
        policy_id: i64,
    },
    /// Switch a three-network card to a carrier.
    SwitchNetwork {
        /// Carrier (see [`CARRIERS`]).
        carrier: i64,
    },
    /// Send an SMS to the card.
    SendSms {
        /// Text.
        text: String,
    },
}

/// Why an action does not apply to a card (an i18n key; stored with a bulk job's skipped cards).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ineligible {
    /// The card is dismantled.
    Dismantled,
    /// The card already shows the change (already stopped, same speed, ...).
    AlreadyDone,
    /// The card's status does not allow it.
    WrongStatus,
    /// Not a kind of card this action is for.
    NotApplicable,
    /// The card could not be found any more.
    Gone,
}

impl Ineligible {
    /// Stable name (stored in the database).
    pub fn slug(self) -> &'static str {
        match self {
            Ineligible::Dismantled => "dismantled",
            Ineligible::AlreadyDone => "already_done",
            Ineligible::WrongStatus => "wrong_status",
            Ineligible::NotApplicable => "not_applicable",
            Ineligible::Gone => "gone",
        }
    }

    /// From its stable name.
    pub fn from_slug(s: &str) -> Option<Self> {
        [Self::Dismantled, Self::AlreadyDone, Self::WrongStatus, Self::NotApplicable, Self::Gone]
            .into_iter()
            .find(|x| x.slug() == s)
    }

    /// The i18n key explaining it.
    pub fn label_key(self) -> &'static str {
        match self {
            Ineligible::Dismantled => "skip.dismantled",
            Ineligible::AlreadyDone => "skip.already_done",
            Ineligible::WrongStatus => "skip.wrong_status",
            Ineligible::NotApplicable => "skip.not_applicable",
            Ineligible::Gone => "skip.gone",
        }
    }
}

/// Whether a bulk job sends one call per card or batches cards into one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dispatch {
    /// One call per card.
    PerCard,
    /// Up to this many cards per call (GSL's batch operations).
    Batch(usize),
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

impl SimAction {
    /// Stable name, as recorded in the audit log (`sim.stop`).
    pub fn name(&self) -> &'static str {
        match self {
            SimAction::Activate => "sim.activate",
            SimAction::Stop => "sim.stop",
            SimAction::Resume => "sim.resume",
            SimAction::CutNet => "sim.cut_net",
            SimAction::RestoreNet => "sim.restore_net",
            SimAction::SetExceedCutNet { .. } => "sim.exceed_cut_net",
            SimAction::CancelExceedCutNet => "sim.cancel_exceed_cut_net",
            SimAction::SetSpeedLimit { .. } => "sim.speed_limit",
            SimAction::RebindImei { .. } => "sim.rebind_imei",
            SimAction::ClearRealName => "sim.clear_real_name",
            SimAction::SetTags { .. } => "sim.set_tags",
            SimAction::SetAttributes { .. } => "sim.set_attributes",
            SimAction::SetSwitchPolicy { .. } => "sim.switch_policy",
            SimAction::SwitchNetwork { .. } => "sim.switch_network",
            SimAction::SendSms { .. } => "sim.send_sms",
        }
    }

    /// The i18n key of its name (`action.sim.stop`); the key `…effect` says what will happen.
    pub fn label_key(&self) -> &'static str {
        match self {
            SimAction::Activate => "action.activate",
            SimAction::Stop => "action.stop",
            SimAction::Resume => "action.resume",
            SimAction::CutNet => "action.cut_net",
            SimAction::RestoreNet => "action.restore_net",
            SimAction::SetExceedCutNet { .. } => "action.exceed_cut_net",
            SimAction::CancelExceedCutNet => "action.cancel_exceed_cut_net",
            SimAction::SetSpeedLimit { .. } => "action.speed_limit",
            SimAction::RebindImei { .. } => "action.rebind_imei",
            SimAction::ClearRealName => "action.clear_real_name",
            SimAction::SetTags { .. } => "action.set_tags",
            SimAction::SetAttributes { .. } => "action.set_attributes",
            SimAction::SetSwitchPolicy { .. } => "action.switch_policy",
            SimAction::SwitchNetwork { .. } => "action.switch_network",
            SimAction::SendSms { .. } => "action.send_sms",
        }
    }

    /// The i18n key of the sentence that says what will happen.
    pub fn effect_key(&self) -> &'static str {
        match self {
            SimAction::Activate => "effect.activate",
            SimAction::Stop => "effect.stop",
            SimAction::Resume => "effect.resume",
            SimAction::CutNet => "effect.cut_net",
            SimAction::RestoreNet => "effect.restore_net",
            SimAction::SetExceedCutNet { .. } => "effect.exceed_cut_net",
            SimAction::CancelExceedCutNet => "effect.cancel_exceed_cut_net",
            SimAction::SetSpeedLimit { .. } => "effect.speed_limit",
            SimAction::RebindImei { .. } => "effect.rebind_imei",
            SimAction::ClearRealName => "effect.clear_real_name",
            SimAction::SetTags { .. } => "effect.set_tags",
            SimAction::SetAttributes { .. } => "effect.set_attributes",
            SimAction::SetSwitchPolicy { .. } => "effect.switch_policy",
            SimAction::SwitchNetwork { .. } => "effect.switch_network",
            SimAction::SendSms { .. } => "effect.send_sms",
        }
    }

    /// The GSL operation that carries it out.
    pub fn operation(&self) -> &'static str {
        match self {
            SimAction::Activate => "enable_sim_card",
            SimAction::Stop => "stop_sim_card",
            SimAction::Resume => "reset_sim_card",
            SimAction::CutNet | SimAction::RestoreNet => "start_stop_net",
            SimAction::SetExceedCutNet { .. } | SimAction::CancelExceedCutNet => "set_exceed_cut_net",
            SimAction::SetSpeedLimit { .. } => "set_speed_value",
            SimAction::RebindImei { .. } => "register_imei",
            SimAction::ClearRealName => "delete_real_name",
            SimAction::SetTags { .. } => "batch_set_tags",
            SimAction::SetAttributes { .. } => "batch_set_attributes",
            SimAction::SetSwitchPolicy { .. } => "set_network_switch_policy",
            SimAction::SwitchNetwork { .. } => "switch_network",
            SimAction::SendSms { .. } => "send_sms",
        }
    }

    /// Whether it can run on many cards at once (an IMEI belongs to one device).
    pub fn bulk_allowed(&self) -> bool {
        !matches!(self, SimAction::RebindImei { .. })
    }

    /// Whether undoing it needs another action (shown as a warning in confirmations).
    pub fn disruptive(&self) -> bool {
        matches!(self, SimAction::Stop | SimAction::CutNet | SimAction::ClearRealName | SimAction::SetExceedCutNet { quota_mb: 0 })
    }

    /// How a bulk job sends it.
    pub fn dispatch(&self) -> Dispatch {
        match self {
            SimAction::SetTags { .. } | SimAction::SetAttributes { .. } => Dispatch::Batch(500),
            SimAction::SendSms { .. } => Dispatch::Batch(500),
            _ => Dispatch::PerCard,
        }
    }

    /// Checks the action's own input (no card needed); refused input never reaches GSL.
    pub fn validate(&self) -> Result<(), Invalid> {
        match self {
            SimAction::SetExceedCutNet { quota_mb } if *quota_mb < -1 || *quota_mb > 10_000_000 => {
                Err(Invalid::new("quota", "must be -1 (never), 0 (at once) or a whole number of MB up to 10,000,000."))
            }
            SimAction::SetSpeedLimit { kbps } if !SPEED_VALUES.contains(kbps) => Err(Invalid::new(
                "speed",
                format!("{kbps} Kbps is not a speed the carriers support (choose -1 for none, or 1, 64, 128, … 153600)."),
            )),
            SimAction::RebindImei { imei: Some(imei), .. } if imei.len() != 15 || !digits(imei) => {
                Err(Invalid::new("imei", "An IMEI is 15 digits."))
            }
            SimAction::SetTags { tag_ids } if tag_ids.len() > 10 => Err(Invalid::new("tags", "A card has at most 10 tags.")),
            SimAction::SetTags { tag_ids } if tag_ids.iter().any(|t| *t <= 0) => Err(Invalid::new("tags", "is not a tag id.")),
            SimAction::SetAttributes { values } if values.iter().all(Option::is_none) => {
                Err(Invalid::new("attributes", "Give at least one attribute value to set or clear."))
            }
            SimAction::SetAttributes { values }
                if values.iter().flatten().any(|v| v.chars().count() > MAX_ATTRIBUTE_CHARS) =>
            {
                Err(Invalid::new("attributes", format!("A custom attribute value has at most {MAX_ATTRIBUTE_CHARS} characters.")))
            }
            SimAction::SetSwitchPolicy { policy_id } if *policy_id <= 0 => Err(Invalid::new("policy", "Choose a network switch policy.")),
            SimAction::SwitchNetwork { carrier } if !CARRIERS.contains(carrier) => {
                Err(Invalid::new("carrier", "must be China Mobile, China Telecom or China Unicom."))
            }
            SimAction::SendSms { text } if text.trim().is_empty() => Err(Invalid::new("text", "The SMS text is empty.")),
            SimAction::SendSms { text } if text.chars().count() > MAX_SMS_CHARS => {
                Err(Invalid::new("text", format!("An SMS has at most {MAX_SMS_CHARS} characters.")))
            }
            _ => Ok(()),
        }
    }

    /// Whether the action applies to `card`, as far as the card's own data tells.
    pub fn eligibility(&self, card: &SimCard) -> Result<(), Ineligible> {
        use SimStatus as S;
        let status = card.status;
        if status == Some(S::Dismantled) && !matches!(self, SimAction::SendSms { .. }) {
            return Err(Ineligible::Dismantled);
        }
        if self.already_applied(card) {
            return Err(Ineligible::AlreadyDone);
        }
        let ok = match self {
            SimAction::Activate => matches!(status, Some(S::Testable | S::Inactive | S::Activatable)),
            SimAction::Stop | SimAction::CutNet => status == Some(S::InUse),
            SimAction::Resume => status == Some(S::Stopped),
            SimAction::RestoreNet => card.cut_net == Some(true),
            SimAction::CancelExceedCutNet => card.exceed_cut_net == Some(true),
            SimAction::ClearRealName => card.real_named != Some(false),
            SimAction::RebindImei { .. } => {
                if card.imei_rebinds_left == Some(0) {
                    return Err(Ineligible::NotApplicable);
                }
                true
            }
            _ => true,
        };
        if ok { Ok(()) } else { Err(Ineligible::WrongStatus) }
    }

    /// Whether `card` already shows what the action would make true (so it must not be sent again).
    pub fn already_applied(&self, card: &SimCard) -> bool {
        use SimStatus as S;
        match self {
            SimAction::Activate => card.status == Some(S::InUse),
            SimAction::Stop => card.status == Some(S::Stopped),
            SimAction::Resume => card.status == Some(S::InUse),
            SimAction::CutNet => card.cut_net == Some(true),
            SimAction::RestoreNet => card.cut_net == Some(false) && card.status == Some(S::InUse),
            SimAction::SetExceedCutNet { quota_mb } => {
                card.exceed_cut_net == Some(true) && card.exceed_cut_net_quota == Some(*quota_mb)
            }
            SimAction::CancelExceedCutNet => card.exceed_cut_net == Some(false),
            SimAction::SetSpeedLimit { kbps } => card.speed_limit == Some(*kbps),
            SimAction::ClearRealName => card.real_named == Some(false),
            // Rebinding, tags, attributes, policies and SMS leave no trace a card row shows reliably.
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(status: SimStatus) -> SimCard {
        SimCard {
            sim_card_id: 10_000_001,
            iccid: "89860400000000000001".into(),
            status: Some(status),
            real_named: Some(true),
            cut_net: Some(false),
            exceed_cut_net: Some(false),
            imei_rebinds_left: Some(3),
            speed_limit: Some(-1),
            ..SimCard::default()
        }
    }

    #[test]
    fn stop_applies_to_cards_in_use_only_and_says_why_not() {
        assert_eq!(SimAction::Stop.eligibility(&card(SimStatus::InUse)), Ok(()));
        assert_eq!(SimAction::Stop.eligibility(&card(SimStatus::Stopped)), Err(Ineligible::AlreadyDone));
        assert_eq!(SimAction::Stop.eligibility(&card(SimStatus::Dismantled)), Err(Ineligible::Dismantled));
        assert_eq!(SimAction::Stop.eligibility(&card(SimStatus::Inactive)), Err(Ineligible::WrongStatus));
        assert_eq!(SimAction::Resume.eligibility(&card(SimStatus::Stopped)), Ok(()));
        assert_eq!(SimAction::Activate.eligibility(&card(SimStatus::Testable)), Ok(()));
        assert_eq!(SimAction::Activate.eligibility(&card(SimStatus::InUse)), Err(Ineligible::AlreadyDone));
    }

    #[test]
    fn a_card_at_the_target_speed_is_skipped() {
        let mut c = card(SimStatus::InUse);
        c.speed_limit = Some(1024);
        assert_eq!(SimAction::SetSpeedLimit { kbps: 1024 }.eligibility(&c), Err(Ineligible::AlreadyDone));
        assert_eq!(SimAction::SetSpeedLimit { kbps: 512 }.eligibility(&c), Ok(()));
    }

    #[test]
    fn input_is_checked_before_anything_is_sent() {
        assert_eq!(SimAction::SetSpeedLimit { kbps: 100 }.validate().expect_err("refused").field, "speed");
        assert!(SimAction::SetSpeedLimit { kbps: 1024 }.validate().is_ok());
        assert!(SimAction::SetSpeedLimit { kbps: -1 }.validate().is_ok());
        assert_eq!(SimAction::RebindImei { imei: Some("86123".into()), fixed: false }.validate().expect_err("refused").field, "imei");
        assert_eq!(SimAction::SetExceedCutNet { quota_mb: -2 }.validate().expect_err("refused").field, "quota");
        assert_eq!(SimAction::SendSms { text: " ".into() }.validate().expect_err("refused").field, "text");
        assert_eq!(SimAction::SetTags { tag_ids: (1..=11).collect() }.validate().expect_err("refused").field, "tags");
        assert_eq!(SimAction::SetAttributes { values: Default::default() }.validate().expect_err("refused").field, "attributes");
        assert_eq!(SimAction::SwitchNetwork { carrier: 9 }.validate().expect_err("refused").field, "carrier");
    }

    #[test]
    fn names_are_distinct() {
        let all = [
            SimAction::Activate,
            SimAction::Stop,
            SimAction::Resume,
            SimAction::CutNet,
            SimAction::RestoreNet,
            SimAction::SetExceedCutNet { quota_mb: 1 },
            SimAction::CancelExceedCutNet,
            SimAction::SetSpeedLimit { kbps: 1 },
            SimAction::RebindImei { imei: None, fixed: false },
            SimAction::ClearRealName,
            SimAction::SetTags { tag_ids: vec![] },
            SimAction::SetAttributes { values: Default::default() },
            SimAction::SetSwitchPolicy { policy_id: 1 },
            SimAction::SwitchNetwork { carrier: 1 },
            SimAction::SendSms { text: "x".into() },
        ];
        for (i, a) in all.iter().enumerate() {
            assert!(all[i + 1..].iter().all(|b| b.name() != a.name() && b.label_key() != a.label_key()));
        }
        for s in ["dismantled", "already_done", "wrong_status", "not_applicable", "gone"] {
            assert_eq!(Ineligible::from_slug(s).map(Ineligible::slug), Some(s));
        }
    }
}
