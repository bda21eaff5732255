//! One SIM card, stored compactly so a million of them fit in well under a gigabyte.

/// SIM statuses as GSL numbers them.
pub mod status {
    /// Testable.
    pub const TESTABLE: u8 = 10;
    /// Not activated.
    pub const INACTIVE: u8 = 11;
    /// Can be activated.
    pub const ACTIVATABLE: u8 = 13;
    /// Stopped.
    pub const STOPPED: u8 = 14;
    /// In use.
    pub const IN_USE: u8 = 20;
    /// Dismantled.
    pub const DISMANTLED: u8 = 30;
}

/// Bits of [`SimCard::flags`].
pub mod flag {
    /// Real-name verified.
    pub const REAL_NAMED: u8 = 1;
    /// Network cut on request.
    pub const CUT_NET: u8 = 2;
    /// Exceed-quota cut-net set.
    pub const EXCEED_CUT_NET: u8 = 4;
    /// A three-network card.
    pub const MULTIPLY: u8 = 8;
}

/// A SIM card; identifiers (ICCID, MSISDN, IMSI) are derived from its index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimCard {
    /// One of [`status`].
    pub status: u8,
    /// 1 vSIM, 2 eSIM, 3 physical.
    pub sim_type: u8,
    /// Index into the price-plan catalogue.
    pub plan: u8,
    /// Device status 1..4 (eSIM/vSIM only), 0 for none.
    pub device_status: u8,
    /// Operator status: -1 normal, 1..7 reasons for a stop.
    pub operator_status: i8,
    /// IMEI rebinds left this month.
    pub imei_bind_remain: u8,
    /// [`flag`] bits.
    pub flags: u8,
    /// Flow pool id (0 = none).
    pub pool: u16,
    /// Back pool id (0 = none).
    pub back_pool: u16,
    /// Index of the order (batch) the card came in.
    pub order: u16,
    /// Activation day (days since 1970-01-01), 0 = never activated.
    pub act_day: i32,
    /// Expiry day (days since 1970-01-01).
    pub expire_day: i32,
    /// Exceed-cut-net quota in MB (-1 unlimited).
    pub exceed_quota: i32,
    /// Speed limit in Kbps (-1 = none).
    pub speed_value: i32,
    /// Data used this bill cycle, in hundredths of a MB.
    pub flow_used_centi: u32,
    /// Bound IMEI (0 = none).
    pub imei: u64,
}

impl SimCard {
    /// Whether a flag is set.
    pub fn has(&self, f: u8) -> bool {
        self.flags & f != 0
    }

    /// Sets or clears a flag.
    pub fn set(&mut self, f: u8, on: bool) {
        if on {
            self.flags |= f;
        } else {
            self.flags &= !f;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_card_stays_small() {
        assert!(std::mem::size_of::<super::SimCard>() <= 48);
    }
}
