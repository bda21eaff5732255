//! The account's money as BSS keeps it (issue 5 foundation, not served yet): balances, and 24 bill
//! cycles of fee records whose sums are the monthly summaries to the fen. Amounts are whole fen
//! (hundredths of a yuan) in integers; the API will render yuan with two decimals.
//!
//! The GSL fleet's charges appear as one record per bill cycle and price plan: the plan's monthly
//! price times the cards that were in use or stopped (activated, not dismantled) in that cycle.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::BillCycle;
use super::catalog::PLANS;
use super::rng::pick;
use super::sim::{SimCard, status};

/// A cloud service the account is billed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceType {
    /// BSS service type code.
    pub code: &'static str,
    /// Its name.
    pub name: &'static str,
    /// Resource type code.
    pub resource_type: &'static str,
    /// Resource type name.
    pub resource_name: &'static str,
}

/// The services of the seeded account; the last is Global SIM Link.
pub const SERVICES: &[ServiceType] = &[
    ServiceType {
        code: "hws.service.type.ec2",
        name: "弹性云服务器",
        resource_type: "hws.resource.type.vm",
        resource_name: "云主机",
    },
    ServiceType {
        code: "hws.service.type.ebs",
        name: "云硬盘",
        resource_type: "hws.resource.type.volume",
        resource_name: "云硬盘",
    },
    ServiceType {
        code: "hws.service.type.obs",
        name: "对象存储服务",
        resource_type: "hws.resource.type.obs",
        resource_name: "对象存储",
    },
    ServiceType {
        code: "hws.service.type.rds",
        name: "云数据库",
        resource_type: "hws.resource.type.rds.vm",
        resource_name: "数据库实例",
    },
    ServiceType {
        code: "hws.service.type.gsl",
        name: "全球SIM联接",
        resource_type: "hws.resource.type.gsl.sim",
        resource_name: "SIM卡",
    },
];
/// Index of Global SIM Link in [`SERVICES`].
pub const GSL_SERVICE: usize = SERVICES.len() - 1;

/// How a fee was charged (BSS `charging_mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChargingMode {
    /// 1: yearly/monthly.
    Period,
    /// 3: pay per use.
    OnDemand,
}

/// One fee record of a bill cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeRecord {
    /// The cycle.
    pub cycle: BillCycle,
    /// Index into [`SERVICES`].
    pub service: usize,
    /// How it was charged.
    pub mode: ChargingMode,
    /// The resource (or, for GSL, the price plan) it is for.
    pub resource: String,
    /// List price, fen.
    pub official_fen: i64,
    /// Discount, fen.
    pub discount_fen: i64,
    /// Paid from cash, fen.
    pub cash_fen: i64,
    /// Paid from credit, fen.
    pub credit_fen: i64,
    /// Paid with coupons, fen.
    pub coupon_fen: i64,
    /// Day of the month (UTC+8) it was charged.
    pub day: u32,
    /// BSS bill type: 1 new purchase, 2 renewal, 4 refund for an unsubscription, 5 usage,
    /// 24 refund for a switch to pay-per-use.
    pub bill_type: i64,
    /// The order or usage trade it belongs to.
    pub trade_id: String,
    /// Its own id.
    pub id: String,
}

impl FeeRecord {
    /// What was owed after the discount.
    pub fn amount_fen(&self) -> i64 {
        self.official_fen - self.discount_fen
    }
}

/// Account balances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Balances {
    /// Cash balance, fen.
    pub cash_fen: i64,
    /// Credit still available, fen.
    pub credit_fen: i64,
    /// Credit limit, fen.
    pub credit_limit_fen: i64,
    /// Bonus (奖励金), fen.
    pub bonus_fen: i64,
    /// Debt, fen.
    pub debt_fen: i64,
}

/// One row of a monthly summary: a service and charging mode in a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthlySum {
    /// Index into [`SERVICES`].
    pub service: usize,
    /// Charging mode.
    pub mode: ChargingMode,
    /// List price, fen.
    pub official_fen: i64,
    /// Discount, fen.
    pub discount_fen: i64,
    /// Owed after discount, fen.
    pub amount_fen: i64,
    /// Paid from cash, credit and coupons, fen.
    pub paid: (i64, i64, i64),
}

/// The account's ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    /// Balances now.
    pub balances: Balances,
    /// Fee records of the last 24 cycles, oldest first.
    pub records: Vec<FeeRecord>,
    /// Changes to the cash and credit balances, oldest first; each one's `balance_after` is the
    /// balance it left, so the last of a kind is that balance now.
    pub journal: Vec<AccountChange>,
}

/// Which balance an account change touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BalanceKind {
    /// Cash (BSS `BALANCE_TYPE_DEBIT`).
    Cash,
    /// Credit (BSS `BALANCE_TYPE_CREDIT`).
    Credit,
}

impl BalanceKind {
    /// The BSS `balance_type` code.
    pub fn code(self) -> &'static str {
        match self {
            BalanceKind::Cash => "BALANCE_TYPE_DEBIT",
            BalanceKind::Credit => "BALANCE_TYPE_CREDIT",
        }
    }

    /// Reads a BSS `balance_type` code.
    pub fn parse(code: &str) -> Option<Self> {
        [BalanceKind::Cash, BalanceKind::Credit]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// One change of a balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountChange {
    /// Its id.
    pub id: String,
    /// The balance.
    pub kind: BalanceKind,
    /// What happened (BSS `trade_detail_type`): 消费, 退款, 充值, 还款, 划拨, 回收.
    pub trade_type: &'static str,
    /// Signed change, fen.
    pub amount_fen: i64,
    /// The balance after it, fen.
    pub balance_after_fen: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// The order or transfer it belongs to.
    pub trade_id: String,
    /// The service charged, for consumption and refunds.
    pub service: Option<usize>,
}

/// A charge to put on the bill and pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    /// Index into [`SERVICES`].
    pub service: usize,
    /// The resource charged.
    pub resource: String,
    /// List price, fen.
    pub official_fen: i64,
    /// Discount, fen.
    pub discount_fen: i64,
    /// Paid with coupons, fen (the rest comes from cash, then credit).
    pub coupon_fen: i64,
    /// BSS bill type.
    pub bill_type: i64,
    /// The order.
    pub trade_id: String,
}

/// The balances cannot pay a charge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Insufficient {
    /// What was needed from cash and credit, fen.
    pub needed_fen: i64,
}

/// Cycles of bills kept.
pub const CYCLES: u32 = 24;

/// A day of `cycle` for a seeded record: any of 1..=28, but not after `today` in the current cycle.
fn seeded_day(seed: u64, key: u64, cycle: BillCycle, today: NaiveDate) -> u32 {
    let last = if cycle == BillCycle::of(today) {
        today.day().min(28)
    } else {
        28
    };
    1 + u32::try_from(pick(seed, key, 44, u64::from(last))).unwrap_or(0)
}

/// The journal of the last three cycles, ending at `balances`: per cycle a cash top-up on the
/// first, the fee records' cash and credit parts, and (for finished cycles) the credit repaid at
/// the end.
fn seed_journal(
    seed: u64,
    now: BillCycle,
    records: &[FeeRecord],
    balances: Balances,
) -> Vec<AccountChange> {
    let mut events: Vec<AccountChange> = Vec::new();
    let mut push = |at, kind, trade_type, amount_fen, trade_id, service| {
        events.push(AccountChange {
            id: String::new(),
            kind,
            trade_type,
            amount_fen,
            balance_after_fen: 0,
            at,
            trade_id,
            service,
        });
    };
    let at = |cycle: BillCycle, day: u32, hour: u32| {
        NaiveDate::from_ymd_opt(cycle.year, cycle.month, day)
            .unwrap_or_default()
            .and_hms_opt(hour, 0, 0)
            .unwrap_or_default()
            .and_utc()
            - chrono::Duration::hours(8)
    };
    for back in (0..3).rev() {
        let cycle = now.minus(back);
        let fees: Vec<&FeeRecord> = records.iter().filter(|r| r.cycle == cycle).collect();
        let cash: i64 = fees.iter().map(|r| r.cash_fen).sum();
        let top_up = cash + i64::try_from(pick(seed, u64::from(back), 53, 200_000)).unwrap_or(0);
        push(
            at(cycle, 1, 0),
            BalanceKind::Cash,
            "充值",
            top_up,
            format!("TU{cycle}"),
            None,
        );
        for r in &fees {
            if r.cash_fen > 0 {
                push(
                    at(cycle, r.day, 1),
                    BalanceKind::Cash,
                    "消费",
                    -r.cash_fen,
                    r.trade_id.clone(),
                    Some(r.service),
                );
            }
            if r.credit_fen > 0 {
                push(
                    at(cycle, r.day, 1),
                    BalanceKind::Credit,
                    "消费",
                    -r.credit_fen,
                    r.trade_id.clone(),
                    Some(r.service),
                );
            }
        }
        if back > 0 {
            let credit: i64 = fees.iter().map(|r| r.credit_fen).sum();
            push(
                at(cycle, 28, 23),
                BalanceKind::Credit,
                "还款",
                credit,
                format!("RP{cycle}"),
                None,
            );
        }
    }
    events.sort_by_key(|e| e.at);
    let mut cash = balances.cash_fen
        - events
            .iter()
            .filter(|e| e.kind == BalanceKind::Cash)
            .map(|e| e.amount_fen)
            .sum::<i64>();
    let mut credit = balances.credit_fen
        - events
            .iter()
            .filter(|e| e.kind == BalanceKind::Credit)
            .map(|e| e.amount_fen)
            .sum::<i64>();
    for (i, e) in events.iter_mut().enumerate() {
        let balance = if e.kind == BalanceKind::Cash {
            &mut cash
        } else {
            &mut credit
        };
        *balance += e.amount_fen;
        e.balance_after_fen = *balance;
        e.id = format!("AC{i:010}");
    }
    events
}

/// A BSS-style trade (order) id: `CS` + yymmdd + a serial.
pub fn trade_id(cycle: BillCycle, day: u32, serial: u64) -> String {
    format!(
        "CS{:02}{:02}{day:02}{:08}",
        cycle.year % 100,
        cycle.month,
        serial % 100_000_000
    )
}

/// Splits what is owed into coupon, credit and cash parts (whole fen, summing exactly).
fn split(seed: u64, key: u64, amount: i64) -> (i64, i64, i64) {
    let coupon = if pick(seed, key, 41, 5) == 0 {
        amount * i64::try_from(pick(seed, key, 42, 30)).unwrap_or(0) / 100
    } else {
        0
    };
    let credit = (amount - coupon) * i64::try_from(pick(seed, key, 43, 40)).unwrap_or(0) / 100;
    (amount - coupon - credit, credit, coupon)
}

impl Ledger {
    /// The ledger of the seeded account up to cycle `now`, with the fleet's charges from `sims`.
    pub fn generate(seed: u64, today: NaiveDate, sims: &[SimCard]) -> Self {
        let now = BillCycle::of(today);
        let mut records = Vec::new();
        // Cards billed per plan: activated cards that are not dismantled.
        let mut cards_per_plan = vec![0i64; PLANS.len()];
        for c in sims
            .iter()
            .filter(|c| matches!(c.status, status::IN_USE | status::STOPPED))
        {
            cards_per_plan[usize::from(c.plan)] += 1;
        }
        for back in (0..CYCLES).rev() {
            let cycle = now.minus(back);
            let ck = u64::from(back);
            for (s, _) in SERVICES.iter().enumerate().take(GSL_SERVICE) {
                for r in 0..(2 + pick(seed, ck, 30 + s as u64, 3)) {
                    let key = ck * 1_000 + s as u64 * 10 + r;
                    let mode = if r == 0 {
                        ChargingMode::Period
                    } else {
                        ChargingMode::OnDemand
                    };
                    let official =
                        10_000 + i64::try_from(pick(seed, key, 31, 400_000)).unwrap_or(0);
                    let discount =
                        official * i64::try_from(pick(seed, key, 32, 20)).unwrap_or(0) / 100;
                    let (cash, credit, coupon) = split(seed, key, official - discount);
                    let day = seeded_day(seed, key, cycle, today);
                    records.push(FeeRecord {
                        cycle,
                        service: s,
                        mode,
                        resource: format!(
                            "{}-{:04}",
                            SERVICES[s]
                                .resource_type
                                .trim_start_matches("hws.resource.type."),
                            r + 1
                        ),
                        official_fen: official,
                        discount_fen: discount,
                        cash_fen: cash,
                        credit_fen: credit,
                        coupon_fen: coupon,
                        day,
                        bill_type: if mode == ChargingMode::Period { 2 } else { 5 },
                        trade_id: trade_id(cycle, day, key),
                        id: format!("FR{key:010}"),
                    });
                }
            }
            for (p, plan) in PLANS.iter().enumerate() {
                // Price in cents is price in fen (1 CNY = 100 fen).
                let official = plan.price_cents * cards_per_plan[p];
                if official == 0 {
                    continue;
                }
                let key = ck * 1_000 + 900 + p as u64;
                let (cash, credit, coupon) = split(seed, key, official);
                // The fleet's plans are charged on the first of the cycle.
                records.push(FeeRecord {
                    cycle,
                    service: GSL_SERVICE,
                    mode: ChargingMode::Period,
                    resource: plan.id.to_owned(),
                    official_fen: official,
                    discount_fen: 0,
                    cash_fen: cash,
                    credit_fen: credit,
                    coupon_fen: coupon,
                    day: 1,
                    bill_type: 2,
                    trade_id: trade_id(cycle, 1, key),
                    id: format!("FR{key:010}"),
                });
            }
        }
        // Credit used this cycle is repaid at its end, so what is used now is this cycle's.
        let credit_used: i64 = records
            .iter()
            .filter(|r| r.cycle == now)
            .map(|r| r.credit_fen)
            .sum();
        let credit_limit = ((credit_used * 2).max(5_000_000) / 1_000_000 + 1) * 1_000_000;
        let balances = Balances {
            cash_fen: 1_000_000 + i64::try_from(pick(seed, 7, 50, 50_000_000)).unwrap_or(0),
            credit_fen: credit_limit - credit_used,
            credit_limit_fen: credit_limit,
            bonus_fen: i64::try_from(pick(seed, 7, 52, 100_000)).unwrap_or(0),
            debt_fen: 0,
        };
        let journal = seed_journal(seed, now, &records, balances);
        Ledger {
            balances,
            records,
            journal,
        }
    }

    /// Puts a charge on this cycle's bill and pays it from coupons (as given), cash, then credit;
    /// the balances cannot go negative.
    pub fn pay(&mut self, c: Charge, at: DateTime<Utc>) -> Result<(), Insufficient> {
        let due = c.official_fen - c.discount_fen - c.coupon_fen;
        if due > self.balances.cash_fen + self.balances.credit_fen {
            return Err(Insufficient { needed_fen: due });
        }
        let cash = due.min(self.balances.cash_fen);
        let credit = due - cash;
        let today = super::today_cn(at);
        self.records.push(FeeRecord {
            cycle: BillCycle::of(today),
            service: c.service,
            mode: ChargingMode::Period,
            resource: c.resource,
            official_fen: c.official_fen,
            discount_fen: c.discount_fen,
            cash_fen: cash,
            credit_fen: credit,
            coupon_fen: c.coupon_fen,
            day: today.day(),
            bill_type: c.bill_type,
            trade_id: c.trade_id.clone(),
            id: format!("FR{:010}", 9_000_000_000u64 + self.records.len() as u64),
        });
        if cash > 0 {
            self.change(
                BalanceKind::Cash,
                "消费",
                -cash,
                at,
                &c.trade_id,
                Some(c.service),
            );
        }
        if credit > 0 {
            self.change(
                BalanceKind::Credit,
                "消费",
                -credit,
                at,
                &c.trade_id,
                Some(c.service),
            );
        }
        Ok(())
    }

    /// Refunds `fen` to cash, as a negative fee record of this cycle.
    pub fn refund(
        &mut self,
        service: usize,
        resource: String,
        fen: i64,
        bill_type: i64,
        trade_id: &str,
        at: DateTime<Utc>,
    ) {
        let today = super::today_cn(at);
        self.records.push(FeeRecord {
            cycle: BillCycle::of(today),
            service,
            mode: ChargingMode::Period,
            resource,
            official_fen: -fen,
            discount_fen: 0,
            cash_fen: -fen,
            credit_fen: 0,
            coupon_fen: 0,
            day: today.day(),
            bill_type,
            trade_id: trade_id.to_owned(),
            id: format!("FR{:010}", 9_000_000_000u64 + self.records.len() as u64),
        });
        self.change(BalanceKind::Cash, "退款", fen, at, trade_id, Some(service));
    }

    /// Changes a balance and writes the change to the journal.
    pub fn change(
        &mut self,
        kind: BalanceKind,
        trade_type: &'static str,
        fen: i64,
        at: DateTime<Utc>,
        trade_id: &str,
        service: Option<usize>,
    ) {
        let balance = match kind {
            BalanceKind::Cash => &mut self.balances.cash_fen,
            BalanceKind::Credit => &mut self.balances.credit_fen,
        };
        *balance += fen;
        let after = *balance;
        self.journal.push(AccountChange {
            id: format!("AC{:010}", 8_000_000_000u64 + self.journal.len() as u64),
            kind,
            trade_type,
            amount_fen: fen,
            balance_after_fen: after,
            at,
            trade_id: trade_id.to_owned(),
            service,
        });
    }

    /// The monthly summary of a cycle: one row per service and charging mode, summed from the
    /// fee records (so the two always agree to the fen).
    pub fn monthly_sum(&self, cycle: BillCycle) -> Vec<MonthlySum> {
        let mut rows: Vec<MonthlySum> = Vec::new();
        for r in self.records.iter().filter(|r| r.cycle == cycle) {
            let row = match rows
                .iter_mut()
                .find(|m| m.service == r.service && m.mode == r.mode)
            {
                Some(row) => row,
                None => {
                    rows.push(MonthlySum {
                        service: r.service,
                        mode: r.mode,
                        official_fen: 0,
                        discount_fen: 0,
                        amount_fen: 0,
                        paid: (0, 0, 0),
                    });
                    let last = rows.len() - 1;
                    &mut rows[last]
                }
            };
            row.official_fen += r.official_fen;
            row.discount_fen += r.discount_fen;
            row.amount_fen += r.amount_fen();
            row.paid.0 += r.cash_fen;
            row.paid.1 += r.credit_fen;
            row.paid.2 += r.coupon_fen;
        }
        rows.sort_by_key(|m| (m.service, m.mode));
        rows
    }
}

/// Fen as the yuan text BSS sends (`1234` → `"12.34"`).
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02}",
        fen.unsigned_abs() / 100,
        fen.unsigned_abs() % 100
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::World;

    fn ledger() -> (Ledger, BillCycle) {
        let now = chrono::Utc::now();
        let w = World::generate(7, 3_000, "acct".into(), now);
        let today = crate::world::today_cn(now);
        (Ledger::generate(7, today, &w.sims), BillCycle::of(today))
    }

    #[test]
    fn records_sum_to_the_monthly_summaries_to_the_fen() {
        let (l, now) = ledger();
        for back in 0..CYCLES {
            let cycle = now.minus(back);
            let records: Vec<&FeeRecord> = l.records.iter().filter(|r| r.cycle == cycle).collect();
            assert!(!records.is_empty(), "every cycle has fees");
            let sums = l.monthly_sum(cycle);
            let by_records: i64 = records.iter().map(|r| r.amount_fen()).sum();
            assert_eq!(
                sums.iter().map(|m| m.amount_fen).sum::<i64>(),
                by_records,
                "{cycle}"
            );
            for m in &sums {
                assert_eq!(m.amount_fen, m.official_fen - m.discount_fen);
                assert_eq!(
                    m.paid.0 + m.paid.1 + m.paid.2,
                    m.amount_fen,
                    "paid parts add up: {cycle}"
                );
            }
        }
        assert!(
            l.records
                .iter()
                .all(|r| r.cash_fen + r.credit_fen + r.coupon_fen == r.amount_fen())
        );
    }

    #[test]
    fn the_fleet_is_billed_per_plan_and_the_ledger_is_deterministic() {
        let (l, now) = ledger();
        let gsl: Vec<&FeeRecord> = l
            .records
            .iter()
            .filter(|r| r.service == GSL_SERVICE && r.cycle == now)
            .collect();
        assert!(!gsl.is_empty());
        assert!(
            gsl.iter()
                .all(|r| r.official_fen > 0 && PLANS.iter().any(|p| p.id == r.resource))
        );
        assert_eq!(ledger().0, l, "the same seed gives the same ledger");
        assert!(l.balances.credit_fen <= l.balances.credit_limit_fen);
        assert_eq!(yuan(1234), "12.34");
        assert_eq!(yuan(-5), "-0.05");
    }

    #[test]
    fn the_journal_ends_at_the_balances_and_never_goes_negative() {
        let (l, _) = ledger();
        for kind in [BalanceKind::Cash, BalanceKind::Credit] {
            let rows: Vec<&AccountChange> = l.journal.iter().filter(|c| c.kind == kind).collect();
            assert!(rows.len() > 3, "{kind:?} has history");
            let now = if kind == BalanceKind::Cash {
                l.balances.cash_fen
            } else {
                l.balances.credit_fen
            };
            assert_eq!(rows.last().map(|c| c.balance_after_fen), Some(now));
            assert!(rows.iter().all(|c| c.balance_after_fen >= 0));
            assert!(
                rows.windows(2)
                    .all(
                        |w| w[0].balance_after_fen + w[1].amount_fen == w[1].balance_after_fen
                            && w[0].at <= w[1].at
                    )
            );
        }
    }
}
