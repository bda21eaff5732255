//! The enterprise (multi-account) structure: an organisation tree, member accounts with their own
//! balances, and money moved between the master account and members.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::billing::Refusal;
use super::ledger::{BalanceKind, Ledger};

/// A unit of the organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgUnit {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Parent unit (None for the root).
    pub parent: Option<String>,
}

/// A member (sub) account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubAccount {
    /// Customer id.
    pub id: String,
    /// Account name.
    pub name: String,
    /// Display name.
    pub display_name: String,
    /// 1 normal, 4 closed.
    pub status: i64,
    /// Its unit.
    pub org_id: String,
    /// Cash given to it and not reclaimed, fen.
    pub cash_fen: i64,
    /// Credit given to it, fen.
    pub credit_fen: i64,
}

/// The enterprise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enterprise {
    /// Units, the root first.
    pub units: Vec<OrgUnit>,
    /// Members.
    pub members: Vec<SubAccount>,
    /// Transfers already done, by caller-given `trans_id`, so a repeated request moves nothing.
    pub done: HashMap<String, (String, i64)>,
    /// SMS verification codes sent.
    pub codes_sent: u64,
}

fn refuse(code: &'static str, msg: impl Into<String>) -> Refusal {
    Refusal {
        code,
        msg: msg.into(),
    }
}

impl Enterprise {
    /// The seeded enterprise.
    pub fn generate(seed: u64) -> Self {
        let unit = |id: &str, name: &str, parent: Option<&str>| OrgUnit {
            id: id.into(),
            name: name.into(),
            parent: parent.map(Into::into),
        };
        let units = vec![
            unit("org-root", "总部", None),
            unit("org-east", "华东区", Some("org-root")),
            unit("org-south", "华南区", Some("org-root")),
            unit("org-east-sh", "上海物联网事业部", Some("org-east")),
            unit("org-east-hz", "杭州车联网项目组", Some("org-east")),
            unit("org-south-sz", "深圳智慧表计", Some("org-south")),
        ];
        let names = [
            ("iot-shanghai", "上海物联网", "org-east-sh"),
            ("iot-shanghai-test", "上海测试", "org-east-sh"),
            ("car-hangzhou", "杭州车联网", "org-east-hz"),
            ("meter-shenzhen", "深圳表计", "org-south-sz"),
            ("south-ops", "华南运维", "org-south"),
            ("finance-hq", "总部财务", "org-root"),
        ];
        let members = names
            .iter()
            .enumerate()
            .map(|(i, (name, display, org))| SubAccount {
                id: format!(
                    "{:032x}",
                    u128::from(super::rng::hash(seed, i as u64, 95, 0)) << 64
                        | u128::from(super::rng::hash(seed, i as u64, 96, 0))
                ),
                name: (*name).into(),
                display_name: (*display).into(),
                status: if i == 1 { 4 } else { 1 },
                org_id: (*org).into(),
                cash_fen: i64::try_from(super::rng::pick(seed, i as u64, 97, 500_000)).unwrap_or(0),
                credit_fen: 0,
            })
            .collect();
        Enterprise {
            units,
            members,
            done: HashMap::new(),
            codes_sent: 0,
        }
    }

    /// A member.
    pub fn member(&self, id: &str) -> Option<&SubAccount> {
        self.members.iter().find(|m| m.id == id)
    }

    /// Moves `fen` of cash from the master to a member (`give`) or back (`!give`). A repeated
    /// `trans_id` moves nothing again.
    pub fn transfer(
        &mut self,
        ledger: &mut Ledger,
        member: &str,
        fen: i64,
        give: bool,
        trans_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), Refusal> {
        if fen <= 0 {
            return Err(refuse("CBC.0100", "amount must be more than 0."));
        }
        if let Some(t) = trans_id
            && let Some((who, amount)) = self.done.get(t)
        {
            return if who == member && *amount == fen {
                Ok(())
            } else {
                Err(refuse(
                    "CBC.0100",
                    "trans_id was already used for another transfer.",
                ))
            };
        }
        let m = self
            .members
            .iter_mut()
            .find(|m| m.id == member)
            .ok_or_else(|| refuse("CBC.0100", "The member account does not exist."))?;
        if m.status != 1 {
            return Err(refuse("CBC.0100", "The member account is closed."));
        }
        let trade = trans_id.map_or_else(
            || format!("TR{}{}", now.timestamp_millis(), ledger.journal.len()),
            str::to_owned,
        );
        if give {
            if fen > ledger.balances.cash_fen {
                return Err(refuse("CBC.30000052", "Insufficient balance to transfer."));
            }
            m.cash_fen += fen;
            ledger.change(BalanceKind::Cash, "划拨", -fen, now, &trade, None);
        } else {
            if fen > m.cash_fen {
                return Err(refuse(
                    "CBC.30000052",
                    "The member account has less than that to reclaim.",
                ));
            }
            m.cash_fen -= fen;
            ledger.change(BalanceKind::Cash, "回收", fen, now, &trade, None);
        }
        if let Some(t) = trans_id {
            self.done.insert(t.to_owned(), (member.to_owned(), fen));
        }
        Ok(())
    }
}
