//! The account's money as BSS keeps it (issue 5 foundation, not served yet): balances, and 24 bill
//! cycles of fee records whose sums are the monthly summaries to the fen. Amounts are whole fen
//! (hundredths of a yuan) in integers; the API will render yuan with two decimals.
//!
//! The GSL fleet's charges appear as one record per bill cycle and price plan: the plan's monthly
//! price times the cards that were in use or stopped (activated, not dismantled) in that cycle.

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
    ServiceType { code: "hws.service.type.ec2", name: "弹性云服务器", resource_type: "hws.resource.type.vm", resource_name: "云主机" },
    ServiceType { code: "hws.service.type.ebs", name: "云硬盘", resource_type: "hws.resource.type.volume", resource_name: "云硬盘" },
    ServiceType { code: "hws.service.type.obs", name: "对象存储服务", resource_type: "hws.resource.type.obs", resource_name: "对象存储" },
    ServiceType { code: "hws.service.type.rds", name: "云数据库", resource_type: "hws.resource.type.rds.vm", resource_name: "数据库实例" },
    ServiceType { code: "hws.service.type.gsl", name: "全球SIM联接", resource_type: "hws.resource.type.gsl.sim", resource_name: "SIM卡" },
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
}

/// Cycles of bills kept.
pub const CYCLES: u32 = 24;

/// Splits what is owed into coupon, credit and cash parts (whole fen, summing exactly).
fn split(seed: u64, key: u64, amount: i64) -> (i64, i64, i64) {
    let coupon = if pick(seed, key, 41, 5) == 0 { amount * i64::try_from(pick(seed, key, 42, 30)).unwrap_or(0) / 100 } else { 0 };
    let credit = (amount - coupon) * i64::try_from(pick(seed, key, 43, 40)).unwrap_or(0) / 100;
    (amount - coupon - credit, credit, coupon)
}

impl Ledger {
    /// The ledger of the seeded account up to cycle `now`, with the fleet's charges from `sims`.
    pub fn generate(seed: u64, now: BillCycle, sims: &[SimCard]) -> Self {
        let mut records = Vec::new();
        // Cards billed per plan: activated cards that are not dismantled.
        let mut cards_per_plan = vec![0i64; PLANS.len()];
        for c in sims.iter().filter(|c| matches!(c.status, status::IN_USE | status::STOPPED)) {
            cards_per_plan[usize::from(c.plan)] += 1;
        }
        for back in (0..CYCLES).rev() {
            let cycle = now.minus(back);
            let ck = u64::from(back);
            for (s, _) in SERVICES.iter().enumerate().take(GSL_SERVICE) {
                for r in 0..(2 + pick(seed, ck, 30 + s as u64, 3)) {
                    let key = ck * 1_000 + s as u64 * 10 + r;
                    let mode = if r == 0 { ChargingMode::Period } else { ChargingMode::OnDemand };
                    let official = 10_000 + i64::try_from(pick(seed, key, 31, 400_000)).unwrap_or(0);
                    let discount = official * i64::try_from(pick(seed, key, 32, 20)).unwrap_or(0) / 100;
                    let (cash, credit, coupon) = split(seed, key, official - discount);
                    records.push(FeeRecord {
                        cycle,
                        service: s,
                        mode,
                        resource: format!("{}-{:04}", SERVICES[s].resource_type.trim_start_matches("hws.resource.type."), r + 1),
                        official_fen: official,
                        discount_fen: discount,
                        cash_fen: cash,
                        credit_fen: credit,
                        coupon_fen: coupon,
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
                });
            }
        }
        let credit_limit = 5_000_000;
        let balances = Balances {
            cash_fen: 1_000_000 + i64::try_from(pick(seed, 7, 50, 50_000_000)).unwrap_or(0),
            credit_fen: credit_limit - i64::try_from(pick(seed, 7, 51, 1_000_000)).unwrap_or(0),
            credit_limit_fen: credit_limit,
            bonus_fen: i64::try_from(pick(seed, 7, 52, 100_000)).unwrap_or(0),
            debt_fen: 0,
        };
        Ledger { balances, records }
    }

    /// The monthly summary of a cycle: one row per service and charging mode, summed from the
    /// fee records (so the two always agree to the fen).
    pub fn monthly_sum(&self, cycle: BillCycle) -> Vec<MonthlySum> {
        let mut rows: Vec<MonthlySum> = Vec::new();
        for r in self.records.iter().filter(|r| r.cycle == cycle) {
            let row = match rows.iter_mut().find(|m| m.service == r.service && m.mode == r.mode) {
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
    format!("{sign}{}.{:02}", fen.unsigned_abs() / 100, fen.unsigned_abs() % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::World;

    fn ledger() -> (Ledger, BillCycle) {
        let now = chrono::Utc::now();
        let w = World::generate(7, 3_000, "acct".into(), now);
        let cycle = BillCycle::of(crate::world::today_cn(now));
        (Ledger::generate(7, cycle, &w.sims), cycle)
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
            assert_eq!(sums.iter().map(|m| m.amount_fen).sum::<i64>(), by_records, "{cycle}");
            for m in &sums {
                assert_eq!(m.amount_fen, m.official_fen - m.discount_fen);
                assert_eq!(m.paid.0 + m.paid.1 + m.paid.2, m.amount_fen, "paid parts add up: {cycle}");
            }
        }
        assert!(l.records.iter().all(|r| r.cash_fen + r.credit_fen + r.coupon_fen == r.amount_fen()));
    }

    #[test]
    fn the_fleet_is_billed_per_plan_and_the_ledger_is_deterministic() {
        let (l, now) = ledger();
        let gsl: Vec<&FeeRecord> = l.records.iter().filter(|r| r.service == GSL_SERVICE && r.cycle == now).collect();
        assert!(!gsl.is_empty());
        assert!(gsl.iter().all(|r| r.official_fen > 0 && PLANS.iter().any(|p| p.id == r.resource)));
        assert_eq!(ledger().0, l, "the same seed gives the same ledger");
        assert!(l.balances.credit_fen <= l.balances.credit_limit_fen);
        assert_eq!(yuan(1234), "12.34");
        assert_eq!(yuan(-5), "-0.05");
    }
}
