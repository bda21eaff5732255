//! Yearly/monthly resources, orders, coupons, discounts, refunds, resource packages and
//! stored-value cards of the seeded account, and the rules that change them (renew, pay, cancel,
//! unsubscribe, switch to pay-per-use). Money moves only through [`Ledger`], so bills, balances
//! and the journal always agree.

use chrono::{DateTime, Duration, Months, Utc};

use super::ledger::{Charge, Insufficient, Ledger, SERVICES};
use super::rng::{hash, pick};

/// Days an expired resource stays in its grace period (status 5) before it is frozen (4).
pub const GRACE_DAYS: i64 = 15;

/// Order statuses (BSS `status`).
pub mod order_status {
    /// Pending approval.
    pub const PENDING_APPROVAL: i64 = 1;
    /// Pending refund.
    pub const PENDING_REFUND: i64 = 2;
    /// Processing.
    pub const PROCESSING: i64 = 3;
    /// Cancelled.
    pub const CANCELLED: i64 = 4;
    /// Completed.
    pub const COMPLETED: i64 = 5;
    /// Pending payment.
    pub const PENDING_PAYMENT: i64 = 6;
    /// Pending confirmation.
    pub const PENDING_CONFIRMATION: i64 = 9;
}

/// Order types (BSS `order_type`).
pub mod order_type {
    /// New purchase.
    pub const NEW: i64 = 1;
    /// Renewal.
    pub const RENEW: i64 = 2;
    /// Change (up/downgrade).
    pub const CHANGE: i64 = 3;
    /// Unsubscription (a refund).
    pub const UNSUBSCRIBE: i64 = 4;
    /// Yearly/monthly to pay-per-use.
    pub const TO_ON_DEMAND: i64 = 10;
}

/// What happens to a resource when it expires (BSS `expire_policy`).
pub mod expire_policy {
    /// Enters the grace period.
    pub const GRACE: i64 = 0;
    /// Becomes pay-per-use.
    pub const TO_ON_DEMAND: i64 = 1;
    /// Renews itself.
    pub const AUTO_RENEW: i64 = 3;
}

/// A refusal with BSS's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// CBC code.
    pub code: &'static str,
    /// Message.
    pub msg: String,
}

fn refuse(code: &'static str, msg: impl Into<String>) -> Refusal {
    Refusal {
        code,
        msg: msg.into(),
    }
}

/// A yearly/monthly resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// Resource id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Index into [`SERVICES`].
    pub service: usize,
    /// Region.
    pub region: &'static str,
    /// Product id.
    pub product_id: String,
    /// Specification.
    pub spec: String,
    /// Price of one month, fen (a year costs ten months).
    pub monthly_fen: i64,
    /// Start of the current subscription.
    pub effective: DateTime<Utc>,
    /// Paid until.
    pub expire: DateTime<Utc>,
    /// Months renewed through the API and not yet consumed: what "unsubscribe renewed periods only"
    /// gives back.
    pub renewed_months: u32,
    /// What renewals were paid for them, fen (refunded by that unsubscription).
    pub renewed_fen: i64,
    /// The master resource, for a slave (e.g. a disk of a server).
    pub master: Option<String>,
    /// False for products that cannot be renewed (CBC.30050013).
    pub renewable: bool,
    /// BSS expire policy.
    pub expire_policy: i64,
    /// Auto-renewals left (0: unlimited), when auto-renew is on.
    pub auto_renew_times: Option<i64>,
    /// Gone: unsubscribed or switched to pay-per-use.
    pub closed: bool,
    /// The order that bought it.
    pub order_id: String,
}

impl Resource {
    /// BSS status as of `now`: 2 in use, 5 expired (grace period), 4 frozen (retention period
    /// after the grace period), 3 closed.
    pub fn status(&self, now: DateTime<Utc>) -> i64 {
        if self.closed {
            3
        } else if self.expire > now {
            2
        } else if now - self.expire < Duration::days(GRACE_DAYS) {
            5
        } else {
            4
        }
    }
}

/// A line of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLine {
    /// Line id.
    pub id: String,
    /// The resource.
    pub resource_id: String,
    /// Product id.
    pub product_id: String,
    /// Specification.
    pub spec: String,
    /// 2 month, 3 year, 0 none.
    pub period_type: i64,
    /// Periods.
    pub period_num: i64,
    /// List price, fen.
    pub official_fen: i64,
    /// Validity of what was bought.
    pub effective: DateTime<Utc>,
    /// End of it.
    pub expire: DateTime<Utc>,
}

/// A discount offered on an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discount {
    /// Discount id.
    pub id: String,
    /// Percent paid (90 = 10 % off).
    pub rate_pct: i64,
    /// BSS discount type (2: commercial discount).
    pub kind: i64,
}

/// What paying an order does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Extends these resources by some months.
    Renew {
        /// Resources (masters and slaves).
        resources: Vec<String>,
        /// Months.
        months: u32,
    },
}

/// An order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    /// Order id.
    pub id: String,
    /// Index into [`SERVICES`].
    pub service: usize,
    /// BSS order type.
    pub kind: i64,
    /// BSS order status.
    pub status: i64,
    /// List price, fen.
    pub official_fen: i64,
    /// Discount, fen.
    pub discount_fen: i64,
    /// Paid with coupons, fen.
    pub coupon_fen: i64,
    /// Created.
    pub created: DateTime<Utc>,
    /// Paid.
    pub paid: Option<DateTime<Utc>>,
    /// Lines.
    pub lines: Vec<OrderLine>,
    /// What payment does.
    pub effect: Option<Effect>,
    /// Coupons usable on it (while pending).
    pub coupons: Vec<String>,
    /// Discount offered (while pending) or applied.
    pub discount: Option<Discount>,
    /// Whether the discount was applied.
    pub discount_applied: bool,
}

impl Order {
    /// Owed after discounts, fen.
    pub fn amount_fen(&self) -> i64 {
        self.official_fen - self.discount_fen
    }
}

/// A refund, part of an unsubscription order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    /// Refund id.
    pub id: String,
    /// The unsubscription order.
    pub order_id: String,
    /// The order that bought what is refunded.
    pub base_order_id: String,
    /// Index into [`SERVICES`].
    pub service: usize,
    /// Refunded, fen.
    pub amount_fen: i64,
}

/// A coupon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coupon {
    /// Coupon id.
    pub id: String,
    /// BSS coupon type: 1 cash coupon (代金券), 3 product coupon.
    pub kind: i64,
    /// Face value, fen.
    pub face_fen: i64,
    /// Left, fen.
    pub balance_fen: i64,
    /// The service it is limited to.
    pub service: Option<usize>,
    /// Valid from.
    pub valid: DateTime<Utc>,
    /// Valid until.
    pub expire: DateTime<Utc>,
    /// Promotion plan name.
    pub plan: String,
    /// Order that last used it.
    pub used_by: Option<String>,
}

impl Coupon {
    /// The type `pay_orders` names it by: 301 promotion voucher (代金券, and product coupons),
    /// 300 discount coupon, 302 promotion cash coupon.
    pub fn payment_type(&self) -> i64 {
        match self.kind {
            2 => 300,
            4 => 302,
            _ => 301,
        }
    }

    /// BSS status as of `now`: 2 usable, 3 used up, 4 expired.
    pub fn status(&self, now: DateTime<Utc>) -> i64 {
        if self.balance_fen == 0 {
            3
        } else if self.expire <= now {
            4
        } else {
            2
        }
    }
}

/// A change of a coupon's balance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponChange {
    /// The coupon.
    pub coupon_id: String,
    /// Signed change, fen.
    pub amount_fen: i64,
    /// Balance after, fen.
    pub balance_after_fen: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// The order.
    pub trade_id: String,
    /// 1 income, 2 expense.
    pub direction: i64,
}

/// A stored-value card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredValueCard {
    /// Card id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Face value, fen.
    pub face_fen: i64,
    /// Left, fen.
    pub balance_fen: i64,
    /// Valid from.
    pub effective: DateTime<Utc>,
    /// Valid until.
    pub expire: DateTime<Utc>,
}

impl StoredValueCard {
    /// BSS status: 1 usable, 2 used up or expired.
    pub fn status(&self, now: DateTime<Utc>) -> i64 {
        if self.balance_fen > 0 && self.expire > now {
            1
        } else {
            2
        }
    }
}

/// A quota inside a resource package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeResource {
    /// Id.
    pub id: String,
    /// Usage type name.
    pub usage_type: String,
    /// Usage type code.
    pub usage_code: String,
    /// Quota, in hundredths of the unit.
    pub original_centi: i64,
    /// Left, in hundredths of the unit.
    pub remaining_centi: i64,
    /// BSS measure id of the unit.
    pub measure_id: i64,
}

/// A deduction from a package quota.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageUsage {
    /// When.
    pub at: DateTime<Utc>,
    /// The quota.
    pub free_resource_id: String,
    /// The resource that used it.
    pub resource_id: String,
    /// Used, hundredths.
    pub used_centi: i64,
    /// Left after, hundredths.
    pub remaining_centi: i64,
}

/// A resource package (free resources).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// Order instance id.
    pub id: String,
    /// Order.
    pub order_id: String,
    /// Product id.
    pub product_id: String,
    /// Name.
    pub name: String,
    /// Index into [`SERVICES`].
    pub service: usize,
    /// Valid from.
    pub effective: DateTime<Utc>,
    /// Valid until.
    pub expire: DateTime<Utc>,
    /// Quotas.
    pub quotas: Vec<FreeResource>,
    /// Deductions, oldest first.
    pub usage: Vec<PackageUsage>,
}

impl Package {
    /// BSS status: 0 not yet effective, 1 in effect, 2 used up, 3 expired.
    pub fn status(&self, now: DateTime<Utc>) -> i64 {
        if self.effective > now {
            0
        } else if self.expire <= now {
            3
        } else if self.quotas.iter().all(|q| q.remaining_centi == 0) {
            2
        } else {
            1
        }
    }
}

/// Auto-renew and expiry settings of the account (`set_resources_renew_config`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenewConfig {
    /// Days before expiry auto-renewals are charged (2..=7).
    pub deduction_days: i64,
    /// Day of month renewed resources end on (1..=28, -1 the last), if set.
    pub expire_day: Option<i64>,
}

/// Everything BSS knows about the account's subscriptions and benefits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Billing {
    /// Yearly/monthly resources.
    pub resources: Vec<Resource>,
    /// Orders, oldest first.
    pub orders: Vec<Order>,
    /// Refunds.
    pub refunds: Vec<Refund>,
    /// Coupons.
    pub coupons: Vec<Coupon>,
    /// Coupon balance changes, oldest first.
    pub coupon_journal: Vec<CouponChange>,
    /// Stored-value cards.
    pub cards: Vec<StoredValueCard>,
    /// Resource packages.
    pub packages: Vec<Package>,
    /// Renewal settings.
    pub renew_config: RenewConfig,
    serial: u64,
}

/// Specs per service (ec2, ebs, obs, rds): name, spec, monthly price in fen.
const SPECS: [&[(&str, &str, i64)]; 4] = [
    &[
        ("s6.large.2", "2vCPUs | 4GiB", 15_600),
        ("c7.xlarge.2", "4vCPUs | 8GiB", 43_200),
        ("m6.2xlarge.8", "8vCPUs | 64GiB", 98_000),
    ],
    &[("SSD", "100GB", 7_000), ("SAS", "500GB", 17_500)],
    &[("obs.standard", "1TB", 9_900)],
    &[
        ("rds.mysql.x1.large.2", "2vCPUs | 4GiB", 52_000),
        ("rds.pg.c6.xlarge.4", "4vCPUs | 16GiB", 126_000),
    ],
];
/// The specs sold for a service code: (spec code, description, monthly fen).
pub fn specs(service_code: &str) -> &'static [(&'static str, &'static str, i64)] {
    SERVICES.iter().position(|s| s.code == service_code).and_then(|i| SPECS.get(i).copied()).unwrap_or(&[])
}

/// The list price of a month of a spec of a service (`hws.service.type.ec2`, `s6.large.2`), fen.
pub fn list_price(service_code: &str, spec: &str) -> Option<i64> {
    let service = SERVICES.iter().position(|s| s.code == service_code)?;
    SPECS
        .get(service)?
        .iter()
        .find(|(name, _, _)| *name == spec)
        .map(|(_, _, fen)| *fen)
}

const REGIONS: [&str; 3] = ["cn-north-4", "cn-east-3", "cn-south-1"];
/// Master resources generated.
const MASTERS: u64 = 36;

fn uuid_like(seed: u64, a: u64, b: u64) -> String {
    let h = hash(seed, a, b, 0xB55);
    let g = hash(seed, b, a, 0xB56);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        h >> 32,
        (h >> 16) & 0xffff,
        h & 0xffff,
        g >> 48,
        g & 0xffff_ffff_ffff
    )
}

fn order_id_at(at: DateTime<Utc>, serial: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut tail = String::new();
    let mut x = super::rng::mix(serial);
    for _ in 0..5 {
        tail.push(char::from(ALPHABET[(x % 32) as usize]));
        x /= 32;
    }
    format!("CS{}{tail}", (at + Duration::hours(8)).format("%y%m%d%H%M"))
}

fn add_months(t: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    t.checked_add_months(Months::new(months)).unwrap_or(t)
}

fn sub_months(t: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    t.checked_sub_months(Months::new(months)).unwrap_or(t)
}

/// Months a period buys: `period_type` 2 is months (1..=11), 3 is years (1..=3).
pub fn period_months(period_type: i64, period_num: i64) -> Result<u32, Refusal> {
    let ok = match period_type {
        2 => (1..=11).contains(&period_num),
        3 => (1..=3).contains(&period_num),
        _ => false,
    };
    if !ok {
        return Err(refuse(
            "CBC.30050008",
            "The period type or number of periods for the resource does not exist.",
        ));
    }
    let n = u32::try_from(period_num).unwrap_or(1);
    Ok(if period_type == 3 { n * 12 } else { n })
}

/// Price of `months` at `monthly_fen`: a year costs ten months.
pub fn period_price(monthly_fen: i64, months: u32) -> i64 {
    let years = i64::from(months / 12);
    let rest = i64::from(months % 12);
    monthly_fen * (years * 10 + rest)
}

/// The result of a renewal request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renewal {
    /// Orders created.
    pub order_ids: Vec<String>,
    /// Resources refused, with their code and message.
    pub failed: Vec<(String, Refusal)>,
}

impl Billing {
    /// The seeded subscriptions of `seed` as of `now`.
    pub fn generate(seed: u64, now: DateTime<Utc>) -> Self {
        let mut b = Billing {
            resources: Vec::new(),
            orders: Vec::new(),
            refunds: Vec::new(),
            coupons: Vec::new(),
            coupon_journal: Vec::new(),
            cards: Vec::new(),
            packages: Vec::new(),
            renew_config: RenewConfig {
                deduction_days: 7,
                expire_day: None,
            },
            serial: seed.wrapping_mul(1_000_003),
        };
        let day = |d: i64| now + Duration::days(d);
        for i in 0..MASTERS {
            let service = [0usize, 3, 0, 2, 0, 3][(i % 6) as usize];
            let specs = SPECS[service];
            let (product, spec, monthly) = specs[pick(seed, i, 60, specs.len() as u64) as usize];
            // Expiries: some expired, some in grace, some within 7 and 30 days, the rest within a year.
            let expire_in = match i % 12 {
                0 => -16 - i64::try_from(pick(seed, i, 61, 30)).unwrap_or(0),
                1 => -1 - i64::try_from(pick(seed, i, 61, 14)).unwrap_or(0),
                2 | 3 => 1 + i64::try_from(pick(seed, i, 61, 7)).unwrap_or(0),
                4 | 5 => 8 + i64::try_from(pick(seed, i, 61, 23)).unwrap_or(0),
                _ => 31 + i64::try_from(pick(seed, i, 61, 334)).unwrap_or(0),
            };
            let expire = day(expire_in)
                + Duration::seconds(i64::try_from(pick(seed, i, 62, 86_400)).unwrap_or(0));
            let yearly = pick(seed, i, 63, 3) == 0;
            let months = if yearly { 12 } else { 1 };
            let effective = sub_months(expire, months);
            let renewable = i % 9 != 4;
            let name_prefix = ["ecs", "ecs", "ecs", "obs", "ecs", "rds"][(i % 6) as usize];
            let master_id = uuid_like(seed, i, 1);
            let buy = b.new_order_id(effective);
            let mut group = vec![Resource {
                id: master_id.clone(),
                name: format!(
                    "{}{name_prefix}-{:03}",
                    if renewable { "" } else { "promo-" },
                    i + 1
                ),
                service,
                region: REGIONS[(i % 3) as usize],
                product_id: format!("OFFI{:06}", 100_000 + service * 1_000 + product.len()),
                spec: format!("{product} {spec}"),
                monthly_fen: monthly,
                effective,
                expire,
                renewed_months: 0,
                renewed_fen: 0,
                master: None,
                renewable,
                expire_policy: if i % 7 == 3 {
                    expire_policy::AUTO_RENEW
                } else {
                    expire_policy::GRACE
                },
                auto_renew_times: (i % 7 == 3).then_some(0),
                closed: false,
                order_id: buy.clone(),
            }];
            // Servers carry one or two disks, renewed with them.
            if service == 0 {
                for d in 0..(1 + pick(seed, i, 64, 2)) {
                    let (dp, ds, dm) = SPECS[1][pick(seed, i * 10 + d, 65, 2) as usize];
                    group.push(Resource {
                        id: uuid_like(seed, i, 10 + d),
                        name: format!("{name_prefix}-{:03}-disk-{}", i + 1, d + 1),
                        service: 1,
                        product_id: format!("OFFI{:06}", 101_000 + dp.len()),
                        spec: format!("{dp} {ds}"),
                        monthly_fen: dm,
                        master: Some(master_id.clone()),
                        ..group[0].clone()
                    });
                }
            }
            let official: i64 = group
                .iter()
                .map(|r| period_price(r.monthly_fen, months))
                .sum();
            let lines = group
                .iter()
                .map(|r| {
                    b.line(
                        r,
                        if yearly { 3 } else { 2 },
                        1,
                        period_price(r.monthly_fen, months),
                    )
                })
                .collect();
            b.orders.push(Order {
                id: buy,
                service,
                kind: order_type::NEW,
                status: order_status::COMPLETED,
                official_fen: official,
                discount_fen: official * i64::try_from(pick(seed, i, 66, 3)).unwrap_or(0) * 5 / 100,
                coupon_fen: 0,
                created: effective - Duration::minutes(3),
                paid: Some(effective - Duration::minutes(2)),
                lines,
                effect: None,
                coupons: Vec::new(),
                discount: None,
                discount_applied: false,
            });
            b.resources.extend(group);
        }
        b.seed_coupons(seed, now);
        b.seed_open_orders(seed, now);
        b.seed_cards(now);
        b.seed_packages(seed, now);
        b.orders.sort_by_key(|o| o.created);
        b
    }

    fn seed_coupons(&mut self, seed: u64, now: DateTime<Utc>) {
        let specs: [(i64, i64, Option<usize>, i64, &str); 7] = [
            (1, 50_000, None, 90, "新用户代金券"),
            (1, 20_000, Some(0), 60, "弹性云服务器代金券"),
            (1, 100_000, Some(3), 120, "云数据库代金券"),
            (1, 30_000, None, 200, "年度合作代金券"),
            (3, 80_000, Some(0), 45, "云服务器产品券"),
            (1, 10_000, None, -10, "过期代金券"),
            (1, 15_000, None, 30, "已用完代金券"),
        ];
        for (i, (kind, face, service, days, plan)) in specs.into_iter().enumerate() {
            let id = format!("CP{:012}", hash(seed, i as u64, 70, 0) % 1_000_000_000_000);
            let used_up = plan == "已用完代金券";
            self.coupons.push(Coupon {
                id: id.clone(),
                kind,
                face_fen: face,
                balance_fen: if used_up { 0 } else { face },
                service,
                valid: now - Duration::days(60),
                expire: now + Duration::days(days),
                plan: plan.into(),
                used_by: None,
            });
            if used_up {
                let at = now - Duration::days(20);
                self.coupon_journal.push(CouponChange {
                    coupon_id: id.clone(),
                    amount_fen: face,
                    balance_after_fen: face,
                    at: now - Duration::days(60),
                    trade_id: format!("GR{i}"),
                    direction: 1,
                });
                self.coupon_journal.push(CouponChange {
                    coupon_id: id,
                    amount_fen: -face,
                    balance_after_fen: 0,
                    at,
                    trade_id: order_id_at(at, 7),
                    direction: 2,
                });
            } else {
                self.coupon_journal.push(CouponChange {
                    coupon_id: id,
                    amount_fen: face,
                    balance_after_fen: face,
                    at: now - Duration::days(60),
                    trade_id: format!("GR{i}"),
                    direction: 1,
                });
            }
        }
    }

    /// Orders in every status besides the completed purchases: renewals waiting for payment (with
    /// coupons and a discount on offer), and one each pending approval, processing, cancelled and
    /// pending confirmation.
    fn seed_open_orders(&mut self, seed: u64, now: DateTime<Utc>) {
        let usable: Vec<String> = self
            .coupons
            .iter()
            .filter(|c| c.status(now) == 2 && c.service.is_none())
            .map(|c| c.id.clone())
            .collect();
        // The three renewable masters that expire last, so resources expiring sooner stay free to renew.
        let mut targets: Vec<usize> = self
            .resources
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.master.is_none() && r.renewable && r.expire > now + Duration::days(60)
            })
            .map(|(i, _)| i)
            .collect();
        targets.sort_by_key(|&i| std::cmp::Reverse(self.resources[i].expire));
        targets.truncate(3);
        for (n, i) in targets.into_iter().enumerate() {
            let master = self.resources[i].id.clone();
            let group: Vec<Resource> = self.group_of(&master).into_iter().cloned().collect();
            let created = now - Duration::hours(2 + n as i64);
            let id = self.new_order_id(created);
            let lines = group
                .iter()
                .map(|r| self.line(r, 2, 1, r.monthly_fen))
                .collect();
            let official: i64 = group.iter().map(|r| r.monthly_fen).sum();
            let service = group[0].service;
            let coupons = usable
                .iter()
                .chain(
                    self.coupons
                        .iter()
                        .filter(|c| c.service == Some(service) && c.status(now) == 2)
                        .map(|c| &c.id),
                )
                .cloned()
                .collect();
            self.orders.push(Order {
                id: id.clone(),
                service,
                kind: order_type::RENEW,
                status: order_status::PENDING_PAYMENT,
                official_fen: official,
                discount_fen: 0,
                coupon_fen: 0,
                created,
                paid: None,
                lines,
                effect: Some(Effect::Renew {
                    resources: group.iter().map(|r| r.id.clone()).collect(),
                    months: 1,
                }),
                coupons,
                discount: (n != 2).then(|| Discount {
                    id: format!("DC{:010}", hash(seed, n as u64, 80, 0) % 10_000_000_000),
                    rate_pct: 90 - 5 * n as i64,
                    kind: 2,
                }),
                discount_applied: false,
            });
        }
        for (n, status) in [
            order_status::PENDING_APPROVAL,
            order_status::PROCESSING,
            order_status::CANCELLED,
            order_status::PENDING_CONFIRMATION,
            order_status::PENDING_REFUND,
        ]
        .into_iter()
        .enumerate()
        {
            let service = [0usize, 3, 2, 0, 3][n];
            let (product, spec, monthly) = SPECS[service][0];
            let created = now - Duration::days(1 + n as i64 * 3);
            let id = self.new_order_id(created);
            let resource = uuid_like(seed, 900 + n as u64, 1);
            let line = OrderLine {
                id: format!("{id}-1"),
                resource_id: resource,
                product_id: format!("OFFI{:06}", 200_000 + n),
                spec: format!("{product} {spec}"),
                period_type: 2,
                period_num: 1,
                official_fen: monthly,
                effective: created,
                expire: add_months(created, 1),
            };
            self.orders.push(Order {
                id,
                service,
                kind: order_type::NEW,
                status,
                official_fen: monthly,
                discount_fen: 0,
                coupon_fen: 0,
                created,
                paid: None,
                lines: vec![line],
                effect: None,
                coupons: Vec::new(),
                discount: None,
                discount_applied: false,
            });
        }
    }

    fn seed_cards(&mut self, now: DateTime<Utc>) {
        for (i, (face, left, days)) in [
            (100_000, 62_550, 300),
            (50_000, 0, 100),
            (20_000, 20_000, -5),
        ]
        .into_iter()
        .enumerate()
        {
            self.cards.push(StoredValueCard {
                id: format!("SVC{:09}", 100_000_001 + i),
                name: format!("储值卡-{}", face / 100),
                face_fen: face,
                balance_fen: left,
                effective: now - Duration::days(200),
                expire: now + Duration::days(days),
            });
        }
    }

    fn seed_packages(&mut self, seed: u64, now: DateTime<Utc>) {
        // (name, service, usage type, code, quota, measure id, used share in percent)
        let specs: [(&str, usize, &str, &str, i64, i64, u64); 3] = [
            (
                "全球SIM联接 流量包 500GB",
                4,
                "上网流量",
                "gsl.flow",
                500,
                10,
                70,
            ),
            (
                "对象存储 标准存储包 1TB",
                2,
                "标准存储容量",
                "obs.storage",
                1_024,
                10,
                40,
            ),
            (
                "弹性云服务器 时长包 744小时",
                0,
                "运行时长",
                "ec2.duration",
                744,
                4,
                100,
            ),
        ];
        let holder = self
            .resources
            .iter()
            .find(|r| r.service == 0)
            .map(|r| r.id.clone())
            .unwrap_or_default();
        for (i, (name, service, usage, code, quota, measure, used_pct)) in
            specs.into_iter().enumerate()
        {
            let effective = now - Duration::days(40);
            let order_id = self.new_order_id(effective);
            let fr = format!("FR{:012}", hash(seed, i as u64, 90, 0) % 1_000_000_000_000);
            let original = quota * 100;
            let used = original * i64::try_from(used_pct).unwrap_or(0) / 100;
            let mut usage_rows = Vec::new();
            let mut left = original;
            for d in 0..10i64 {
                let part = if d == 9 {
                    used - 9 * (used / 10)
                } else {
                    used / 10
                };
                left -= part;
                usage_rows.push(PackageUsage {
                    at: now - Duration::days(30 - d * 3),
                    free_resource_id: fr.clone(),
                    resource_id: holder.clone(),
                    used_centi: part,
                    remaining_centi: left,
                });
            }
            self.packages.push(Package {
                id: uuid_like(seed, 700 + i as u64, 2),
                order_id,
                product_id: format!("OFFI{:06}", 300_000 + i),
                name: name.into(),
                service,
                effective,
                expire: add_months(effective, 12),
                quotas: vec![FreeResource {
                    id: fr,
                    usage_type: usage.into(),
                    usage_code: code.into(),
                    original_centi: original,
                    remaining_centi: left,
                    measure_id: measure,
                }],
                usage: usage_rows,
            });
        }
    }

    fn new_order_id(&mut self, at: DateTime<Utc>) -> String {
        self.serial += 1;
        order_id_at(at, self.serial)
    }

    fn line(
        &self,
        r: &Resource,
        period_type: i64,
        period_num: i64,
        official_fen: i64,
    ) -> OrderLine {
        let months = period_months(period_type, period_num).unwrap_or(1);
        OrderLine {
            id: format!("{}-{}", r.id.get(..8).unwrap_or(""), period_num),
            resource_id: r.id.clone(),
            product_id: r.product_id.clone(),
            spec: r.spec.clone(),
            period_type,
            period_num,
            official_fen,
            effective: r.expire,
            expire: add_months(r.expire, months),
        }
    }

    /// A resource that has not been closed.
    pub fn resource(&self, id: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.id == id && !r.closed)
    }

    /// A master and its slaves.
    pub fn group_of(&self, master: &str) -> Vec<&Resource> {
        self.resources
            .iter()
            .filter(|r| !r.closed && (r.id == master || r.master.as_deref() == Some(master)))
            .collect()
    }

    /// An order.
    pub fn order(&self, id: &str) -> Option<&Order> {
        self.orders.iter().find(|o| o.id == id)
    }

    fn order_mut(&mut self, id: &str) -> Result<&mut Order, Refusal> {
        self.orders
            .iter_mut()
            .find(|o| o.id == id)
            .ok_or_else(|| refuse("CBC.3106", "The order does not exist."))
    }

    /// Why a resource cannot be renewed (or quoted for renewal), if it cannot.
    pub fn renewal_refusal(&self, id: &str) -> Option<Refusal> {
        let Some(r) = self.resource(id) else {
            return Some(refuse(
                "CBC.30050009",
                "The resources do not exist or has been deleted due to expiration.",
            ));
        };
        if r.master.is_some() {
            return Some(refuse(
                "CBC.30050007",
                "It is not a primary resource, and the renewal quotation is not allowed.",
            ));
        }
        if !r.renewable {
            return Some(refuse("CBC.30050013", "The product cannot be renewed."));
        }
        let unpaid = self.orders.iter().any(|o| {
            o.status == order_status::PENDING_PAYMENT && matches!(&o.effect, Some(Effect::Renew { resources, .. }) if resources.iter().any(|x| x == id))
        });
        if unpaid {
            return Some(refuse(
                "CBC.30050010",
                "This operation is not allowed because some resources are included in the unpaid orders.",
            ));
        }
        None
    }

    /// The renewal price of a master and its slaves for `months`, fen.
    pub fn renewal_price(&self, master: &str, months: u32) -> i64 {
        self.group_of(master)
            .iter()
            .map(|r| period_price(r.monthly_fen, months))
            .sum()
    }

    /// Renews masters (their slaves with them) in one order; paid at once from the balances when
    /// `auto_pay` and they suffice, otherwise left pending payment.
    pub fn renew(
        &mut self,
        ledger: &mut Ledger,
        ids: &[String],
        period_type: i64,
        period_num: i64,
        auto_pay: bool,
        now: DateTime<Utc>,
    ) -> Result<Renewal, Refusal> {
        let months = period_months(period_type, period_num)?;
        let mut failed = Vec::new();
        let mut masters: Vec<String> = Vec::new();
        for id in ids {
            match self.renewal_refusal(id) {
                Some(why) => failed.push((id.clone(), why)),
                None if !masters.contains(id) => masters.push(id.clone()),
                None => {}
            }
        }
        if masters.is_empty() {
            let why = failed
                .first()
                .map(|f| f.1.clone())
                .unwrap_or_else(|| refuse("CBC.0100", "resource_ids is empty."));
            return Err(why);
        }
        let group: Vec<Resource> = masters
            .iter()
            .flat_map(|m| self.group_of(m))
            .cloned()
            .collect();
        let lines = group
            .iter()
            .map(|r| {
                self.line(
                    r,
                    period_type,
                    period_num,
                    period_price(r.monthly_fen, months),
                )
            })
            .collect();
        let id = self.new_order_id(now);
        let order = Order {
            id: id.clone(),
            service: group[0].service,
            kind: order_type::RENEW,
            status: order_status::PENDING_PAYMENT,
            official_fen: group
                .iter()
                .map(|r| period_price(r.monthly_fen, months))
                .sum(),
            discount_fen: 0,
            coupon_fen: 0,
            created: now,
            paid: None,
            lines,
            effect: Some(Effect::Renew {
                resources: group.iter().map(|r| r.id.clone()).collect(),
                months,
            }),
            coupons: self
                .coupons
                .iter()
                .filter(|c| c.status(now) == 2 && c.service.is_none_or(|s| s == group[0].service))
                .map(|c| c.id.clone())
                .collect(),
            discount: None,
            discount_applied: false,
        };
        self.orders.push(order);
        if auto_pay {
            // Not enough money leaves the order waiting for payment, as BSS does.
            let _ = self.settle_with(ledger, &id, Vec::new(), false, now);
        }
        Ok(Renewal {
            order_ids: vec![id],
            failed,
        })
    }

    /// Pays a pending order with the given coupons (id, payment type; at most three) and, if asked,
    /// its offered discount (id, discount type).
    pub fn pay(
        &mut self,
        ledger: &mut Ledger,
        order_id: &str,
        coupons: &[(String, i64)],
        discount: Option<(&str, i64)>,
        now: DateTime<Utc>,
    ) -> Result<(), Refusal> {
        let order = self
            .order(order_id)
            .ok_or_else(|| refuse("CBC.3106", "The order does not exist."))?;
        if order.status != order_status::PENDING_PAYMENT {
            return Err(refuse("CBC.30000067", "The order is not pending payment."));
        }
        if coupons.len() > 3 {
            return Err(refuse(
                "CBC.0100",
                "At most three coupons can pay one order.",
            ));
        }
        for (c, kind) in coupons {
            let coupon = self
                .coupons
                .iter()
                .find(|x| &x.id == c && x.status(now) == 2)
                .filter(|_| order.coupons.contains(c));
            match coupon {
                None => {
                    return Err(refuse(
                        "CBC.30000060",
                        format!("Coupon {c} cannot be used for this order."),
                    ));
                }
                Some(x) if x.payment_type() != *kind => {
                    return Err(refuse(
                        "CBC.0100",
                        format!("Coupon {c} is of type {}, not {kind}.", x.payment_type()),
                    ));
                }
                Some(_) => {}
            }
        }
        if let Some((d, kind)) = discount {
            match order.discount.as_ref() {
                Some(x) if x.id == d && x.kind == kind => {}
                Some(x) if x.id == d => {
                    return Err(refuse(
                        "CBC.0100",
                        format!("Discount {d} is of type {}, not {kind}.", x.kind),
                    ));
                }
                _ => {
                    return Err(refuse(
                        "CBC.30000061",
                        format!("Discount {d} cannot be used for this order."),
                    ));
                }
            }
        }
        let coupons: Vec<String> = coupons.iter().map(|(c, _)| c.clone()).collect();
        let use_discount = discount.is_some();
        let mut plan = Vec::new();
        let mut due = order.amount_fen();
        if use_discount && let Some(d) = &order.discount {
            due = due * d.rate_pct / 100;
        }
        for c in &coupons {
            if let Some(x) = self.coupons.iter().find(|x| &x.id == c) {
                let take = x.balance_fen.min(due);
                due -= take;
                plan.push((c.clone(), take));
            }
        }
        self.settle_with(ledger, order_id, plan, use_discount, now)
    }

    /// Charges an order (discount, coupons, then balances) and applies what it bought.
    fn settle_with(
        &mut self,
        ledger: &mut Ledger,
        order_id: &str,
        coupons: Vec<(String, i64)>,
        use_discount: bool,
        now: DateTime<Utc>,
    ) -> Result<(), Refusal> {
        let order = self
            .order(order_id)
            .ok_or_else(|| refuse("CBC.3106", "The order does not exist."))?
            .clone();
        let mut discount_fen = order.discount_fen;
        if use_discount && let Some(d) = &order.discount {
            discount_fen += order.amount_fen() - order.amount_fen() * d.rate_pct / 100;
        }
        let coupon_fen: i64 = coupons.iter().map(|c| c.1).sum();
        let resource = match &order.effect {
            Some(Effect::Renew { resources, .. }) => resources.first().cloned().unwrap_or_default(),
            None => order
                .lines
                .first()
                .map(|l| l.resource_id.clone())
                .unwrap_or_default(),
        };
        let charge = Charge {
            service: order.service,
            resource,
            official_fen: order.official_fen,
            discount_fen,
            coupon_fen,
            bill_type: if order.kind == order_type::RENEW {
                2
            } else {
                1
            },
            trade_id: order.id.clone(),
        };
        ledger
            .pay(charge, now)
            .map_err(|Insufficient { needed_fen }| {
                refuse(
                    "CBC.30000052",
                    format!(
                        "Insufficient balance: {} needed.",
                        super::ledger::yuan(needed_fen)
                    ),
                )
            })?;
        for (id, take) in &coupons {
            if let Some(c) = self.coupons.iter_mut().find(|c| &c.id == id) {
                c.balance_fen -= take;
                c.used_by = Some(order.id.clone());
                self.coupon_journal.push(CouponChange {
                    coupon_id: id.clone(),
                    amount_fen: -take,
                    balance_after_fen: c.balance_fen,
                    at: now,
                    trade_id: order.id.clone(),
                    direction: 2,
                });
            }
        }
        if let Some(Effect::Renew { resources, months }) = &order.effect {
            let price_of = |r: &Resource| period_price(r.monthly_fen, *months);
            for r in self
                .resources
                .iter_mut()
                .filter(|r| resources.contains(&r.id))
            {
                r.expire = add_months(r.expire, *months);
                r.renewed_months += months;
                r.renewed_fen += price_of(r);
            }
        }
        let o = self.order_mut(order_id)?;
        o.status = order_status::COMPLETED;
        o.paid = Some(now);
        o.discount_fen = discount_fen;
        o.coupon_fen = coupon_fen;
        o.discount_applied = use_discount;
        Ok(())
    }

    /// Cancels a pending order.
    pub fn cancel(&mut self, order_id: &str) -> Result<(), Refusal> {
        let o = self.order_mut(order_id)?;
        if o.status != order_status::PENDING_PAYMENT {
            return Err(refuse(
                "CBC.30000067",
                "Only an order pending payment can be cancelled.",
            ));
        }
        o.status = order_status::CANCELLED;
        Ok(())
    }

    /// Unsubscribes masters (type 1: the resource and its renewals; type 2: only the renewals),
    /// refunding the unused value to cash in one unsubscription order per resource.
    pub fn unsubscribe(
        &mut self,
        ledger: &mut Ledger,
        ids: &[String],
        whole: bool,
        now: DateTime<Utc>,
    ) -> Result<Renewal, Refusal> {
        let mut out = Renewal {
            order_ids: Vec::new(),
            failed: Vec::new(),
        };
        for id in ids {
            let refusal = match self.resource(id) {
                None => Some(refuse(
                    "CBC.30050009",
                    "The resources do not exist or has been deleted due to expiration.",
                )),
                Some(r) if r.master.is_some() => Some(refuse(
                    "CBC.0100",
                    "Only primary resources can be unsubscribed.",
                )),
                Some(r) if !whole && r.renewed_months == 0 => {
                    Some(refuse(
                        "CBC.0100",
                        "The resource has no renewed periods to unsubscribe.",
                    ))
                }
                Some(_) => None,
            };
            if let Some(why) = refusal {
                out.failed.push((id.clone(), why));
                continue;
            }
            let group: Vec<Resource> = self.group_of(id).into_iter().cloned().collect();
            let order_id = self.new_order_id(now);
            let mut lines = Vec::new();
            let mut total = 0;
            for r in &group {
                let refund = if whole {
                    unused_value(r, now)
                } else {
                    r.renewed_fen
                };
                total += refund;
                lines.push(OrderLine {
                    id: format!("{order_id}-{}", lines.len() + 1),
                    resource_id: r.id.clone(),
                    product_id: r.product_id.clone(),
                    spec: r.spec.clone(),
                    period_type: 0,
                    period_num: 0,
                    official_fen: refund,
                    effective: now,
                    expire: if whole {
                        now
                    } else {
                        sub_months(r.expire, r.renewed_months)
                    },
                });
                if refund > 0 {
                    self.refunds.push(Refund {
                        id: format!("RF{:010}", self.refunds.len() + 1),
                        order_id: order_id.clone(),
                        base_order_id: r.order_id.clone(),
                        service: r.service,
                        amount_fen: refund,
                    });
                    ledger.refund(r.service, r.id.clone(), refund, 4, &order_id, now);
                }
            }
            for r in self
                .resources
                .iter_mut()
                .filter(|r| group.iter().any(|g| g.id == r.id))
            {
                if whole {
                    r.closed = true;
                } else {
                    r.expire = sub_months(r.expire, r.renewed_months);
                    r.renewed_months = 0;
                    r.renewed_fen = 0;
                }
            }
            self.orders.push(Order {
                id: order_id.clone(),
                service: group[0].service,
                kind: order_type::UNSUBSCRIBE,
                status: order_status::COMPLETED,
                official_fen: total,
                discount_fen: 0,
                coupon_fen: 0,
                created: now,
                paid: Some(now),
                lines,
                effect: None,
                coupons: Vec::new(),
                discount: None,
                discount_applied: false,
            });
            out.order_ids.push(order_id);
        }
        Ok(out)
    }

    /// Switches masters (and their slaves) to pay-per-use now, refunding the unused value.
    pub fn to_on_demand_now(
        &mut self,
        ledger: &mut Ledger,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<String, Refusal> {
        if let Some(why) = self
            .renewal_refusal(id)
            .filter(|w| w.code != "CBC.30050013")
        {
            return Err(why);
        }
        let group: Vec<Resource> = self.group_of(id).into_iter().cloned().collect();
        let order_id = self.new_order_id(now);
        let mut total = 0;
        for r in &group {
            let refund = unused_value(r, now);
            total += refund;
            if refund > 0 {
                self.refunds.push(Refund {
                    id: format!("RF{:010}", self.refunds.len() + 1),
                    order_id: order_id.clone(),
                    base_order_id: r.order_id.clone(),
                    service: r.service,
                    amount_fen: refund,
                });
                ledger.refund(r.service, r.id.clone(), refund, 24, &order_id, now);
            }
        }
        for r in self
            .resources
            .iter_mut()
            .filter(|r| group.iter().any(|g| g.id == r.id))
        {
            r.closed = true;
        }
        self.orders.push(Order {
            id: order_id.clone(),
            service: group[0].service,
            kind: order_type::TO_ON_DEMAND,
            status: order_status::COMPLETED,
            official_fen: total,
            discount_fen: 0,
            coupon_fen: 0,
            created: now,
            paid: Some(now),
            lines: Vec::new(),
            effect: None,
            coupons: Vec::new(),
            discount: None,
            discount_applied: false,
        });
        Ok(order_id)
    }

    /// Sets a master's (and its slaves') expire policy.
    pub fn set_expire_policy(
        &mut self,
        id: &str,
        policy: i64,
        times: Option<i64>,
    ) -> Result<(), Refusal> {
        let r = self.resource(id).ok_or_else(|| {
            refuse(
                "CBC.30050009",
                "The resources do not exist or has been deleted due to expiration.",
            )
        })?;
        if r.master.is_some() {
            return Err(refuse("CBC.0100", "Only primary resources can be set."));
        }
        if policy == expire_policy::AUTO_RENEW && !r.renewable {
            return Err(refuse("CBC.30050013", "The product cannot be renewed."));
        }
        let master = r.id.clone();
        for r in self.resources.iter_mut().filter(|r| {
            !r.closed && (r.id == master || r.master.as_deref() == Some(master.as_str()))
        }) {
            r.expire_policy = policy;
            r.auto_renew_times = if policy == expire_policy::AUTO_RENEW {
                times.or(r.auto_renew_times).or(Some(0))
            } else {
                None
            };
        }
        Ok(())
    }
}

/// What is left of a resource's paid time, at its own price: whole remaining days at a thirtieth
/// of a month each, never more than was paid for the current subscription.
fn unused_value(r: &Resource, now: DateTime<Utc>) -> i64 {
    if r.expire <= now {
        return 0;
    }
    let days = (r.expire - now).num_days();
    (r.monthly_fen * days / 30).max(0)
}

/// Service name of an index, for messages.
pub fn service_code(service: usize) -> &'static str {
    SERVICES.get(service).map_or("", |s| s.code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::World;

    fn world() -> (World, DateTime<Utc>) {
        let now = Utc::now();
        (World::generate(7, 500, "acct".into(), now), now)
    }

    #[test]
    fn seeded_subscriptions_cover_what_finance_needs_to_see() {
        let (w, now) = world();
        let b = &w.billing;
        let masters: Vec<&Resource> = b.resources.iter().filter(|r| r.master.is_none()).collect();
        let within = |days: i64| {
            masters
                .iter()
                .filter(|r| r.expire > now && r.expire <= now + Duration::days(days))
                .count()
        };
        assert!(within(7) >= 2, "some expire within a week");
        assert!(within(30) > within(7), "more within a month");
        assert!(
            masters.iter().any(|r| r.status(now) == 4)
                && masters.iter().any(|r| r.status(now) == 5),
            "frozen and in grace"
        );
        assert!(
            b.resources.iter().any(|r| r.master.is_some()),
            "master/slave pairs"
        );
        assert!(
            masters.iter().any(|r| !r.renewable),
            "some cannot be renewed"
        );
        for status in [1, 2, 3, 4, 5, 6, 9] {
            assert!(
                b.orders.iter().any(|o| o.status == status),
                "an order in status {status}"
            );
        }
        assert!(
            b.orders
                .iter()
                .any(|o| o.status == order_status::PENDING_PAYMENT
                    && o.discount.is_some()
                    && !o.coupons.is_empty())
        );
        assert_eq!(
            World::generate(7, 500, "acct".into(), now).billing,
            w.billing,
            "deterministic from the seed"
        );
    }

    #[test]
    fn renewal_debits_once_and_extends_master_and_slaves_together() {
        let (mut w, now) = world();
        let master = w
            .billing
            .resources
            .iter()
            .find(|r| r.master.is_none() && r.renewable && r.service == 0)
            .expect("server")
            .clone();
        let before: Vec<(String, DateTime<Utc>)> = w
            .billing
            .group_of(&master.id)
            .iter()
            .map(|r| (r.id.clone(), r.expire))
            .collect();
        assert!(before.len() >= 2, "a server with disks");
        let price = w.billing.renewal_price(&master.id, 3);
        let cash = w.ledger.balances.cash_fen + w.ledger.balances.credit_fen;
        let out = w
            .billing
            .renew(
                &mut w.ledger,
                std::slice::from_ref(&master.id),
                2,
                3,
                true,
                now,
            )
            .expect("renewed");
        assert_eq!(out.order_ids.len(), 1);
        assert_eq!(
            w.ledger.balances.cash_fen + w.ledger.balances.credit_fen,
            cash - price,
            "debited once"
        );
        for (id, was) in before {
            assert_eq!(
                w.billing.resource(&id).expect("still there").expire,
                add_months(was, 3)
            );
        }
        let order = w.billing.order(&out.order_ids[0]).expect("order");
        assert_eq!(
            (order.status, order.kind, order.amount_fen()),
            (order_status::COMPLETED, order_type::RENEW, price)
        );
        let err = w
            .billing
            .renew(
                &mut w.ledger,
                std::slice::from_ref(&master.id),
                2,
                12,
                true,
                now,
            )
            .expect_err("bad period");
        assert_eq!(err.code, "CBC.30050008");
    }

    #[test]
    fn unrenewable_products_and_unpaid_orders_are_refused() {
        let (mut w, now) = world();
        let promo = w
            .billing
            .resources
            .iter()
            .find(|r| !r.renewable)
            .expect("promo")
            .id
            .clone();
        let err = w
            .billing
            .renew(&mut w.ledger, std::slice::from_ref(&promo), 2, 1, true, now)
            .expect_err("cannot renew");
        assert_eq!(err.code, "CBC.30050013");
        let ok = w
            .billing
            .resources
            .iter()
            .find(|r| {
                r.master.is_none() && r.renewable && w.billing.renewal_refusal(&r.id).is_none()
            })
            .expect("ok")
            .id
            .clone();
        let out = w
            .billing
            .renew(
                &mut w.ledger,
                &[promo.clone(), ok.clone()],
                2,
                1,
                false,
                now,
            )
            .expect("partly");
        assert_eq!(out.failed.len(), 1);
        let pending = out.order_ids[0].clone();
        assert_eq!(
            w.billing.order(&pending).map(|o| o.status),
            Some(order_status::PENDING_PAYMENT)
        );
        assert_eq!(
            w.billing.renewal_refusal(&ok).map(|r| r.code),
            Some("CBC.30050010"),
            "already in an unpaid order"
        );
        w.billing.cancel(&pending).expect("cancelled");
        assert_eq!(
            w.billing.cancel(&pending).map_err(|e| e.code),
            Err("CBC.30000067")
        );
    }

    #[test]
    fn unsubscribing_refunds_the_unused_value_to_cash() {
        let (mut w, now) = world();
        let r = w
            .billing
            .resources
            .iter()
            .find(|r| r.master.is_none() && r.expire > now + Duration::days(60))
            .expect("long")
            .clone();
        let cash = w.ledger.balances.cash_fen;
        let out = w
            .billing
            .unsubscribe(&mut w.ledger, std::slice::from_ref(&r.id), true, now)
            .expect("done");
        let refunded: i64 = w
            .billing
            .refunds
            .iter()
            .filter(|f| f.order_id == out.order_ids[0])
            .map(|f| f.amount_fen)
            .sum();
        assert!(refunded > 0);
        assert_eq!(w.ledger.balances.cash_fen, cash + refunded);
        assert!(w.billing.resource(&r.id).is_none(), "gone");
    }
}
