//! The sandbox's data: a deterministic fleet generated from a seed, changed by the actions it receives.

pub mod billing;
pub mod catalog;
pub mod enterprise;
pub mod ledger;
pub mod rng;
pub mod sim;
mod usage;

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};

pub use usage::{BillCycle, daily_usage_centi, day_label, month_usage_centi};

use catalog::PLANS;
use rng::{hash, pick};
use sim::{SimCard, flag, status};

/// First `sim_card_id`; card `i` has id `SIM_ID_BASE + i`.
pub const SIM_ID_BASE: i64 = 10_000_001;
/// Cards per order (batch).
const ORDER_SIZE: usize = 5_000;
/// First order id.
const ORDER_ID_BASE: i64 = 2_024_000_001;

const CITIES: &[&str] = &[
    "北京", "上海", "深圳", "成都", "武汉", "杭州", "西安", "Berlin",
];

/// A flow pool or back pool.
#[derive(Debug, Clone)]
pub struct Pool {
    /// Pool id.
    pub id: i64,
    /// Pool name.
    pub name: String,
    /// Plan index of the pool.
    pub plan: u8,
    /// Member card indexes.
    pub members: Vec<u32>,
    /// 1 in use, 0 discarded.
    pub status: i64,
    /// Order that created the pool.
    pub order_id: i64,
    /// Creation day (days since epoch).
    pub created_day: i32,
}

/// A tag.
#[derive(Debug, Clone)]
pub struct Tag {
    /// Tag id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// 1 in use, 0 unused.
    pub status: i64,
    /// Deleted tags are hidden everywhere.
    pub deleted: bool,
}

/// One of the six custom attribute slots.
#[derive(Debug, Clone)]
pub struct AttributeDef {
    /// Attribute id (1..=6).
    pub id: i64,
    /// Name given by the customer (empty until created).
    pub name: String,
    /// 1 enabled, 0 disabled.
    pub status: i64,
    /// When it was named.
    pub created: DateTime<Utc>,
    /// Last change.
    pub modified: DateTime<Utc>,
}

/// One line of a work order.
#[derive(Debug, Clone)]
pub struct WorkOrderLine {
    /// Line id.
    pub id: i64,
    /// Card index.
    pub sim: u32,
    /// 1 success, 2 processing, 3 failed.
    pub status: i64,
    /// What happened.
    pub description: String,
}

/// A work order (业务受理单).
#[derive(Debug, Clone)]
pub struct WorkOrder {
    /// Id.
    pub id: i64,
    /// GSL work-order type (5 stop, 4 resume, 10 activate, 11 cut-net, 15 speed limit, ...).
    pub kind: i64,
    /// 4 completed, 6 failed, 3 processing, ...
    pub status: i64,
    /// Request summary.
    pub request: String,
    /// Created.
    pub created: DateTime<Utc>,
    /// Finished.
    pub finished: Option<DateTime<Utc>>,
    /// 2 console, 8 API, 5/6 scheduled jobs.
    pub source: i64,
    /// Per-card lines.
    pub lines: Vec<WorkOrderLine>,
}

/// An SMS sent to a card.
#[derive(Debug, Clone)]
pub struct Sms {
    /// Card index.
    pub sim: u32,
    /// Text.
    pub content: String,
    /// Sent.
    pub sent: DateTime<Utc>,
    /// 1 sending, 2 delivered, 3 failed.
    pub status: i64,
}

/// A network switch policy for three-network cards.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Preferred carrier.
    pub preferred_carrier: Option<i64>,
    /// Least preferred carrier.
    pub least_preferred_carrier: Option<i64>,
    /// Optimal-signal switching.
    pub optimal_signal: bool,
    /// Automatic switching.
    pub auto_switch: bool,
    /// Weak-signal switching.
    pub weak_signal_switch: bool,
    /// IP to ping for latency switching.
    pub connect_ip: Option<String>,
    /// 0 system, 1 private.
    pub kind: i64,
    /// 1 SDK, 2 no SDK.
    pub version: i64,
    /// Carrier order, comma separated.
    pub switch_order: Option<String>,
    /// Blacklisted carrier.
    pub blacklist: Option<i64>,
    /// Whether a card has switched by it.
    pub used: bool,
    /// Created.
    pub created: DateTime<Utc>,
}

/// State of a three-network card.
#[derive(Debug, Clone, Copy)]
pub struct MultiState {
    /// Carrier online now (1 mobile, 2 telecom, 3 unicom).
    pub online_carrier: i64,
    /// Policy applied.
    pub policy: i64,
}

/// Everything the sandbox knows about the account's fleet.
#[derive(Debug)]
pub struct World {
    /// Seed everything derives from.
    pub seed: u64,
    /// Account (domain) id, echoed as `account_id`.
    pub account_id: String,
    /// The day (UTC+8, days since epoch) the fleet was generated for.
    pub today: i32,
    /// The cards.
    pub sims: Vec<SimCard>,
    /// Flow pools.
    pub pools: Vec<Pool>,
    /// Back pools.
    pub back_pools: Vec<Pool>,
    /// Tags.
    pub tags: Vec<Tag>,
    /// Cards whose tags were set explicitly (others use their generated tags).
    pub tag_overrides: HashMap<u32, Vec<i64>>,
    /// Custom attribute slots.
    pub attributes: Vec<AttributeDef>,
    /// Cards whose attributes were set explicitly.
    pub attr_overrides: HashMap<u32, [Option<String>; 6]>,
    /// Work orders, oldest first.
    pub work_orders: Vec<WorkOrder>,
    /// SMS history, oldest first.
    pub sms: Vec<Sms>,
    /// Network switch policies.
    pub policies: Vec<Policy>,
    /// Three-network cards.
    pub multi: HashMap<u32, MultiState>,
    next_id: i64,
    iccid_prefix: String,
    /// The account's money (BSS): balances and fee records of 24 bill cycles.
    pub ledger: ledger::Ledger,
    /// Subscriptions, orders, coupons and packages (BSS).
    pub billing: billing::Billing,
    /// Member accounts and the organisation (BSS enterprise).
    pub enterprise: enterprise::Enterprise,
}

/// Today's date in UTC+8, where GSL and BSS bill cycles live.
pub fn today_cn(now: DateTime<Utc>) -> NaiveDate {
    (now + Duration::hours(8)).date_naive()
}

/// Days since 1970-01-01 of a date.
pub fn epoch_day(d: NaiveDate) -> i32 {
    i32::try_from(d.signed_duration_since(NaiveDate::default()).num_days()).unwrap_or(i32::MAX)
}

/// The date of an epoch day.
pub fn day_date(day: i32) -> NaiveDate {
    NaiveDate::default() + Duration::days(i64::from(day))
}

/// Midnight UTC+8 of an epoch day, as a UTC instant.
pub fn day_start_utc(day: i32) -> DateTime<Utc> {
    day_date(day)
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
        - Duration::hours(8)
}

impl World {
    /// Generates a fleet of `n` cards from `seed`, as of `now`.
    pub fn generate(seed: u64, n: usize, account_id: String, now: DateTime<Utc>) -> Self {
        let today = epoch_day(today_cn(now));
        let pool_count = (n / 5_000).clamp(3, 60_000);
        let back_pool_count = (n / 10_000).clamp(2, 60_000);
        let mut sims = Vec::with_capacity(n);
        let mut pools: Vec<Pool> = (0..pool_count)
            .map(|p| {
                let plan = u8::try_from(pick(seed, p as u64, 71, 3)).unwrap_or(0) * 2;
                Pool {
                    id: 3_001 + p as i64,
                    name: format!("{}流量池-{:03}", CITIES[p % CITIES.len()], p + 1),
                    plan,
                    members: Vec::new(),
                    status: 1,
                    order_id: ORDER_ID_BASE + p as i64,
                    created_day: today - 400
                        + i32::try_from(pick(seed, p as u64, 72, 200)).unwrap_or(0),
                }
            })
            .collect();
        let mut back_pools: Vec<Pool> = (0..back_pool_count)
            .map(|p| Pool {
                id: 5_001 + p as i64,
                name: format!("后向流量池-{:03}", p + 1),
                plan: 5,
                members: Vec::new(),
                status: 1,
                order_id: ORDER_ID_BASE + 500 + p as i64,
                created_day: today - 300,
            })
            .collect();
        let mut multi = HashMap::new();
        for i in 0..n {
            let i64i = i as u64;
            let roll = pick(seed, i64i, 1, 100);
            let status = match roll {
                0..=69 => status::IN_USE,
                70..=77 => status::STOPPED,
                78..=85 => status::ACTIVATABLE,
                86..=91 => status::INACTIVE,
                92..=95 => status::TESTABLE,
                _ => status::DISMANTLED,
            };
            let sim_type = match pick(seed, i64i, 2, 20) {
                0 => 1,
                1 | 2 => 2,
                _ => 3,
            };
            let plan = u8::try_from(pick(seed, i64i, 3, PLANS.len() as u64)).unwrap_or(0);
            let activated = matches!(
                status,
                status::IN_USE | status::STOPPED | status::DISMANTLED
            );
            let act_day = if activated {
                today - 30 - i32::try_from(pick(seed, i64i, 4, 700)).unwrap_or(0)
            } else {
                0
            };
            // Cards expire a whole number of years after activation; a few within the next 30 days.
            let expire_day = if activated {
                let mut e = act_day + 365;
                while e < today {
                    e += 365;
                }
                e
            } else {
                today + 365
            };
            let mut card = SimCard {
                status,
                sim_type,
                plan,
                device_status: if sim_type == 3 {
                    0
                } else {
                    u8::try_from(1 + pick(seed, i64i, 5, 4)).unwrap_or(1)
                },
                operator_status: if status == status::STOPPED { 5 } else { -1 },
                imei_bind_remain: if PLANS[usize::from(plan)].carrier == 2 {
                    3
                } else {
                    0
                },
                flags: 0,
                pool: 0,
                back_pool: 0,
                order: u16::try_from(i / ORDER_SIZE).unwrap_or(u16::MAX),
                act_day,
                expire_day,
                exceed_quota: -1,
                speed_value: -1,
                flow_used_centi: 0,
                imei: if activated {
                    860_000_000_000_000 + hash(seed, i64i, 6, 0) % 10_000_000_000
                } else {
                    0
                },
            };
            card.set(flag::REAL_NAMED, activated && pick(seed, i64i, 7, 10) < 8);
            if status == status::IN_USE && pick(seed, i64i, 8, 50) == 0 {
                card.set(flag::CUT_NET, true);
            }
            if sim_type == 3 && pick(seed, i64i, 9, 100) == 0 {
                card.set(flag::MULTIPLY, true);
                multi.insert(
                    i as u32,
                    MultiState {
                        online_carrier: 1 + pick(seed, i64i, 10, 3) as i64,
                        policy: 1,
                    },
                );
            }
            if sim_type == 3 && activated {
                match pick(seed, i64i, 11, 10) {
                    0 | 1 => {
                        let p = pick(seed, i64i, 12, pool_count as u64) as usize;
                        card.pool = u16::try_from(p + 1).unwrap_or(0);
                        // Cards in a flow pool share the pool's plan, so its capacity is their plans' sum.
                        card.plan = pools[p].plan;
                        card.imei_bind_remain = if PLANS[usize::from(card.plan)].carrier == 2 {
                            3
                        } else {
                            0
                        };
                        pools[p].members.push(i as u32);
                    }
                    2 => {
                        let p = pick(seed, i64i, 13, back_pool_count as u64) as usize;
                        card.back_pool = u16::try_from(p + 1).unwrap_or(0);
                        back_pools[p].members.push(i as u32);
                    }
                    _ => {}
                }
            }
            sims.push(card);
        }
        let mut world = World {
            seed,
            account_id,
            today,
            sims,
            pools,
            back_pools,
            tags: ["北京", "上海", "冷链", "共享单车", "测试"]
                .iter()
                .enumerate()
                .map(|(k, name)| Tag {
                    id: k as i64 + 1,
                    name: (*name).into(),
                    status: 1,
                    deleted: false,
                })
                .collect(),
            tag_overrides: HashMap::new(),
            attributes: Vec::new(),
            attr_overrides: HashMap::new(),
            work_orders: Vec::new(),
            sms: Vec::new(),
            policies: Vec::new(),
            multi,
            next_id: 900_001,
            iccid_prefix: format!("898604{:02}", seed % 100),
            ledger: ledger::Ledger {
                balances: ledger::Balances {
                    cash_fen: 0,
                    credit_fen: 0,
                    credit_limit_fen: 0,
                    bonus_fen: 0,
                    debt_fen: 0,
                },
                records: Vec::new(),
                journal: Vec::new(),
            },
            billing: billing::Billing::generate(seed, now),
            enterprise: enterprise::Enterprise::generate(seed),
        };
        world.ledger = ledger::Ledger::generate(seed, today_cn(now), &world.sims);
        for i in 0..n {
            let used = world.cycle_usage_centi(i as u32, today);
            world.sims[i].flow_used_centi = used;
        }
        world.seed_history(now);
        world
    }

    fn seed_history(&mut self, now: DateTime<Utc>) {
        let names = ["城市", "线路", "资产编号"];
        self.attributes = (1..=6)
            .map(|id| AttributeDef {
                id,
                name: names
                    .get(id as usize - 1)
                    .map_or_else(String::new, |s| (*s).to_owned()),
                status: i64::from(id <= 3),
                created: now - Duration::days(200),
                modified: now - Duration::days(100),
            })
            .collect();
        self.policies = vec![
            Policy {
                id: 1,
                name: "系统默认策略".into(),
                preferred_carrier: Some(4),
                least_preferred_carrier: None,
                optimal_signal: true,
                auto_switch: true,
                weak_signal_switch: true,
                connect_ip: None,
                kind: 0,
                version: 1,
                switch_order: Some("1,2,3".into()),
                blacklist: None,
                used: true,
                created: now - Duration::days(500),
            },
            Policy {
                id: 2,
                name: "电信优先".into(),
                preferred_carrier: Some(2),
                least_preferred_carrier: Some(3),
                optimal_signal: false,
                auto_switch: true,
                weak_signal_switch: true,
                connect_ip: Some("114.114.114.114".into()),
                kind: 1,
                version: 2,
                switch_order: Some("2,1,3".into()),
                blacklist: None,
                used: false,
                created: now - Duration::days(90),
            },
        ];
        let n = self.sims.len() as u64;
        let kinds = [
            (5, "停机"),
            (4, "复机"),
            (10, "激活"),
            (15, "限速"),
            (11, "断网"),
            (1, "批量激活"),
        ];
        for k in 0..40u64 {
            let (kind, what) = kinds[pick(self.seed, k, 20, kinds.len() as u64) as usize];
            let created = now - Duration::hours(i64::try_from(k * 17 + 1).unwrap_or(1));
            let lines = (0..1 + pick(self.seed, k, 21, 4))
                .map(|l| WorkOrderLine {
                    id: 0,
                    sim: pick(self.seed, k, 22 + l, n) as u32,
                    status: if pick(self.seed, k, 30 + l, 10) == 0 {
                        3
                    } else {
                        1
                    },
                    description: what.to_owned(),
                })
                .collect();
            self.push_work_order(kind, what.to_owned(), 2, created, lines);
        }
        for k in 0..60u64 {
            let sim = pick(self.seed, k, 40, n) as u32;
            self.sms.push(Sms {
                sim,
                content: format!("CONFIG REPORT {k}"),
                sent: now - Duration::hours(i64::try_from(200 - k * 3).unwrap_or(1)),
                status: if pick(self.seed, k, 41, 10) == 0 {
                    3
                } else {
                    2
                },
            });
        }
    }

    /// A fresh id for a created object.
    pub fn next_id(&mut self) -> i64 {
        self.next_id += 1;
        self.next_id
    }

    /// Records a work order (ids assigned here) and returns its id.
    pub fn push_work_order(
        &mut self,
        kind: i64,
        request: String,
        source: i64,
        created: DateTime<Utc>,
        mut lines: Vec<WorkOrderLine>,
    ) -> i64 {
        let id = self.next_id();
        for line in &mut lines {
            line.id = self.next_id();
        }
        let failed = lines.iter().all(|l| l.status == 3) && !lines.is_empty();
        self.work_orders.push(WorkOrder {
            id,
            kind,
            status: if failed { 6 } else { 4 },
            request,
            created,
            finished: Some(created + Duration::seconds(3)),
            source,
            lines,
        });
        id
    }

    /// The ICCID of card `i`.
    pub fn iccid(&self, i: u32) -> String {
        format!("{}{:012}", self.iccid_prefix, i)
    }

    /// The MSISDN of card `i`.
    pub fn msisdn(&self, i: u32) -> String {
        format!("1440{:09}", i)
    }

    /// The IMSI of card `i`.
    pub fn imsi(&self, i: u32) -> String {
        format!("46004{:010}", i)
    }

    /// The order (batch) id of card `i`.
    pub fn order_id(&self, i: u32) -> i64 {
        ORDER_ID_BASE + i64::from(self.sims[i as usize].order)
    }

    /// The card index for an ICCID, if it is one of ours.
    pub fn find_iccid(&self, iccid: &str) -> Option<u32> {
        let rest = iccid.strip_prefix(self.iccid_prefix.as_str())?;
        if rest.len() != 12 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let i: u32 = rest.parse().ok()?;
        ((i as usize) < self.sims.len()).then_some(i)
    }

    /// The card index for a `sim_card_id`.
    pub fn find_id(&self, id: i64) -> Option<u32> {
        let i = id.checked_sub(SIM_ID_BASE)?;
        (i >= 0 && (i as usize) < self.sims.len()).then_some(i as u32)
    }

    /// Tags of card `i` (deleted tags left out).
    pub fn tags_of(&self, i: u32) -> Vec<i64> {
        let ids = match self.tag_overrides.get(&i) {
            Some(ids) => ids.clone(),
            None => match pick(self.seed, u64::from(i), 14, 10) {
                0 => vec![1],
                1 => vec![2],
                2 => vec![3, 4],
                3 => vec![5],
                _ => vec![],
            },
        };
        ids.into_iter()
            .filter(|id| self.tags.iter().any(|t| t.id == *id && !t.deleted))
            .collect()
    }

    /// Custom attribute `slot` (0..6) of card `i`.
    pub fn attribute(&self, i: u32, slot: usize) -> Option<String> {
        if let Some(values) = self.attr_overrides.get(&i) {
            return values[slot].clone();
        }
        let seed = self.seed;
        match slot {
            0 => {
                Some(CITIES[pick(seed, u64::from(i), 15, CITIES.len() as u64) as usize].to_owned())
            }
            1 => Some(format!("L{:02}", pick(seed, u64::from(i), 16, 40))),
            2 => Some(format!("A{:08}", i)),
            _ => None,
        }
    }

    /// The six custom attributes of card `i`.
    pub fn attributes_of(&self, i: u32) -> [Option<String>; 6] {
        std::array::from_fn(|slot| self.attribute(i, slot))
    }

    /// Data used by card `i` in the bill cycle containing `today`, up to yesterday, in centi-MB.
    fn cycle_usage_centi(&self, i: u32, today: i32) -> u32 {
        let first = epoch_day(
            day_date(today)
                .with_day(1)
                .unwrap_or_else(|| day_date(today)),
        );
        (first..today).map(|d| daily_usage_centi(self, i, d)).sum()
    }

    /// Data left this cycle for card `i`, in centi-MB (may be negative for overuse).
    pub fn flow_left_centi(&self, i: u32) -> i64 {
        let card = &self.sims[i as usize];
        PLANS[usize::from(card.plan)].flow_total_mb * 100 - i64::from(card.flow_used_centi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world(n: usize) -> World {
        World::generate(7, n, "acct".into(), Utc::now())
    }

    #[test]
    fn the_same_seed_gives_the_same_fleet() {
        let (a, b) = (world(500), world(500));
        assert_eq!(a.sims, b.sims);
        assert_ne!(
            World::generate(8, 500, "acct".into(), Utc::now()).sims,
            a.sims
        );
    }

    #[test]
    fn every_status_occurs() {
        let w = world(2_000);
        for s in [10, 11, 13, 14, 20, 30] {
            assert!(w.sims.iter().any(|c| c.status == s), "status {s}");
        }
        assert!(w.sims.iter().any(|c| c.has(flag::MULTIPLY)));
        assert!(w.pools.iter().all(|p| !p.members.is_empty()));
    }

    #[test]
    fn identifiers_round_trip() {
        let w = world(100);
        assert_eq!(w.find_iccid(&w.iccid(42)), Some(42));
        assert_eq!(w.find_iccid("8986000000"), None);
        assert_eq!(w.find_id(SIM_ID_BASE + 99), Some(99));
        assert_eq!(w.find_id(SIM_ID_BASE + 100), None);
    }
}
