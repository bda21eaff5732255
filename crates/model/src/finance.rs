//! The finance console's vocabulary (BSS): balances, statements, orders, yearly/monthly
//! resources, benefits and member accounts as the pages show them, and the money-moving requests
//! a person makes, checked the same way in the browser and on the server. Amounts are yuan.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Invalid;
use crate::money::check_amount;

/// The account's money at this moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Balances {
    /// Cash balance.
    pub cash: Decimal,
    /// Credit still available.
    pub credit: Decimal,
    /// The credit line granted.
    pub credit_limit: Decimal,
    /// When the credit line ends (RFC 3339), when BSS says.
    pub credit_expires: Option<String>,
    /// Money owed.
    pub debt: Decimal,
    /// Usable coupons: count and remaining value.
    pub coupons: (u32, Decimal),
    /// Stored-value cards: count and remaining value.
    pub cards: (u32, Decimal),
}

/// One month's spend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CycleSpend {
    /// `YYYY-MM`.
    pub cycle: String,
    /// What was consumed (after discounts).
    pub amount: Decimal,
}

/// Spend of one service type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSpend {
    /// Service type code.
    pub code: String,
    /// Its name as BSS gives it.
    pub name: String,
    /// Amount.
    pub amount: Decimal,
}

/// A yearly/monthly resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    /// Resource id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Service type name.
    pub service: String,
    /// Resource type name.
    pub kind: String,
    /// Region.
    pub region: String,
    /// BSS status: 2 in use, 3 closed, 4 frozen, 5 expired (grace).
    pub status: i64,
    /// Expiry as BSS writes it (UTC, RFC 3339): also what a renewal is checked against.
    pub expires: String,
    /// Expiry policy: 0 grace period, 1 pay-per-use, 2 unsubscribe, 3 auto-renew.
    pub expire_policy: i64,
    /// The master this resource belongs to (a disk's server), if it is a slave.
    pub master: Option<String>,
}

impl Subscription {
    /// Whether it renews by itself at expiry.
    pub fn auto_renews(&self) -> bool {
        self.expire_policy == 3
    }

    /// The i18n key of its status.
    pub fn status_key(&self) -> &'static str {
        match self.status {
            2 => "res.status.in_use",
            3 => "res.status.closed",
            4 => "res.status.frozen",
            5 => "res.status.expired",
            _ => "res.status.other",
        }
    }
}

/// A subscription with its renewal price for one month, when BSS quotes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expiring {
    /// The resource.
    pub resource: Subscription,
    /// One month's renewal, with its slaves.
    pub monthly_cost: Option<Decimal>,
}

/// The finance overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinanceOverview {
    /// Balances.
    pub balances: Balances,
    /// This cycle so far.
    pub this_cycle: CycleSpend,
    /// The last cycle, up to the same day of the month.
    pub last_cycle_same_point: Decimal,
    /// The last cycle, whole.
    pub last_cycle: Decimal,
    /// Twelve cycles, oldest first (the current one last).
    pub trend: Vec<CycleSpend>,
    /// This cycle by service type, largest first.
    pub by_service: Vec<ServiceSpend>,
    /// Orders waiting for payment.
    pub pending_orders: Vec<OrderRow>,
    /// Master resources expiring within 30 days, soonest first.
    pub expiring: Vec<Expiring>,
    /// What auto-renewals will charge in the next 30 days.
    pub auto_renew_due: Decimal,
}

impl FinanceOverview {
    /// Cash and credit left after the auto-renewals due in the next 30 days.
    pub fn runway(&self) -> Decimal {
        self.balances.cash + self.balances.credit - self.auto_renew_due
    }
}

/// One line of a statement: a service type in a charge mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    /// Service type code.
    pub service_code: String,
    /// Service type name.
    pub service: String,
    /// Charge mode: 1 yearly/monthly, 3 pay-per-use, 10 reserved...
    pub charge_mode: i64,
    /// List price.
    pub official: Decimal,
    /// Discounts.
    pub discount: Decimal,
    /// Consumed after discounts.
    pub consumed: Decimal,
    /// Paid by coupons.
    pub coupon: Decimal,
    /// Paid by stored-value cards.
    pub card: Decimal,
    /// Paid in cash.
    pub cash: Decimal,
    /// Paid on credit.
    pub credit: Decimal,
    /// Owed.
    pub debt: Decimal,
}

/// A bill cycle's statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// Account name.
    pub account: String,
    /// `YYYY-MM`.
    pub cycle: String,
    /// By service type and charge mode.
    pub lines: Vec<StatementLine>,
    /// BSS's own totals: consumed, coupons, cards, cash, credit, debt.
    pub consumed: Decimal,
    /// Coupons.
    pub coupon: Decimal,
    /// Cards.
    pub card: Decimal,
    /// Cash.
    pub cash: Decimal,
    /// Credit.
    pub credit: Decimal,
    /// Owed.
    pub debt: Decimal,
}

impl Statement {
    /// List price of all lines.
    pub fn official(&self) -> Decimal {
        self.lines.iter().map(|l| l.official).sum()
    }
    /// Discounts of all lines.
    pub fn discount(&self) -> Decimal {
        self.lines.iter().map(|l| l.discount).sum()
    }
    /// Whether the lines add up to BSS's totals (a page never shows a sum that differs from its rows).
    pub fn adds_up(&self) -> bool {
        self.lines.iter().map(|l| l.consumed).sum::<Decimal>() == self.consumed
    }
}

/// Filters of the fee records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FeeQuery {
    /// `YYYY-MM`.
    pub cycle: String,
    /// Service type code.
    pub service: Option<String>,
    /// Region code.
    pub region: Option<String>,
    /// Charge mode.
    pub charge_mode: Option<i64>,
    /// Bill type (1 purchase, 2 renewal, 3 change, 4 refund, 5 consumption...).
    pub bill_type: Option<i64>,
    /// 0-based page.
    pub page: u32,
}

/// Fee records per page.
pub const FEE_PAGE: u32 = 50;

impl FeeQuery {
    /// Checks the filters.
    pub fn validate(&self) -> Result<(), Invalid> {
        crate::money::parse_cycle(&self.cycle)?;
        if self.charge_mode.is_some_and(|m| ![1, 3, 10].contains(&m)) {
            return Err(Invalid::new("charge_mode", "is 1 (yearly/monthly), 3 (pay-per-use) or 10 (reserved)."));
        }
        if self.bill_type.is_some_and(|t| !(1..=100).contains(&t)) {
            return Err(Invalid::new("bill_type", "is a BSS bill type."));
        }
        if self.page > 10_000 {
            return Err(Invalid::new("page", "is too far."));
        }
        for (field, v) in [("service", &self.service), ("region", &self.region)] {
            if v.as_ref().is_some_and(|s| s.len() > 128 || s.contains(['\n', '\r'])) {
                return Err(Invalid::new(field, "is too long."));
            }
        }
        Ok(())
    }
}

/// A fee record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeRecord {
    /// Record id.
    pub id: String,
    /// When it was charged (UTC+8 as BSS writes it).
    pub trade_time: String,
    /// Service type name.
    pub service: String,
    /// Resource type name.
    pub kind: String,
    /// Region.
    pub region: String,
    /// Charge mode.
    pub charge_mode: i64,
    /// Bill type.
    pub bill_type: i64,
    /// List price.
    pub official: Decimal,
    /// Discount.
    pub discount: Decimal,
    /// Consumed.
    pub consumed: Decimal,
    /// Paid in cash.
    pub cash: Decimal,
    /// Paid on credit.
    pub credit: Decimal,
    /// Paid by coupons.
    pub coupon: Decimal,
    /// The trade (order) it belongs to.
    pub trade_id: String,
}

/// A page of fee records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeePage {
    /// Rows.
    pub rows: Vec<FeeRecord>,
    /// All matching.
    pub total: u64,
}

/// Filters of the resource consumption records (one bill cycle; BSS refuses ranges across months).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ResourceRecordQuery {
    /// `YYYY-MM`.
    pub cycle: String,
    /// First day (YYYY-MM-DD, UTC+8), inside the cycle.
    pub from: Option<String>,
    /// Last day, inside the same month.
    pub to: Option<String>,
    /// Resource id.
    pub resource_id: Option<String>,
    /// Service type code.
    pub service: Option<String>,
    /// 0-based page.
    pub page: u32,
}

impl ResourceRecordQuery {
    /// Checks the filters: the days lie in one month, the cycle's.
    pub fn validate(&self) -> Result<(), Invalid> {
        use crate::money::{check_same_month, parse_cycle, parse_day};
        let first = parse_cycle(&self.cycle)?;
        let from = self.from.as_deref().filter(|s| !s.is_empty()).map(|s| parse_day("from", s)).transpose()?;
        let to = self.to.as_deref().filter(|s| !s.is_empty()).map(|s| parse_day("to", s)).transpose()?;
        let (from, to) = (from.unwrap_or(first), to.unwrap_or_else(|| from.unwrap_or(first)));
        check_same_month(from, to)?;
        check_same_month(first, from)?;
        if let Some(id) = &self.resource_id {
            check_id("resource", id)?;
        }
        if self.page > 10_000 {
            return Err(Invalid::new("page", "is too far."));
        }
        Ok(())
    }
}

/// A resource's consumption record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceRecord {
    /// Record id.
    pub id: String,
    /// Day (UTC+8).
    pub day: String,
    /// Resource id.
    pub resource_id: String,
    /// Resource name.
    pub resource_name: String,
    /// Service type name.
    pub service: String,
    /// List price.
    pub official: Decimal,
    /// Discount.
    pub discount: Decimal,
    /// Amount.
    pub amount: Decimal,
}

/// A page of resource records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceRecordPage {
    /// Rows.
    pub rows: Vec<ResourceRecord>,
    /// All matching.
    pub total: u64,
}

/// Filters of the order list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OrderQuery {
    /// 6 pending payment, 5 completed, 4 cancelled...
    pub status: Option<i64>,
    /// 1 new, 2 renewal, 3 change, 4 unsubscribe...
    pub kind: Option<String>,
    /// Service type code.
    pub service: Option<String>,
    /// Created from (YYYY-MM-DD, UTC+8).
    pub created_from: Option<String>,
    /// Created until, inclusive.
    pub created_to: Option<String>,
    /// Paid from.
    pub paid_from: Option<String>,
    /// Paid until, inclusive.
    pub paid_to: Option<String>,
    /// 0-based page.
    pub page: u32,
}

/// Orders per page.
pub const ORDER_PAGE: u32 = 20;

impl OrderQuery {
    /// Checks the filters: each date range at most one year, as BSS requires.
    pub fn validate(&self) -> Result<(), Invalid> {
        use crate::money::{check_within_a_year, parse_day};
        for (from, to) in [(&self.created_from, &self.created_to), (&self.paid_from, &self.paid_to)] {
            let from = from.as_deref().filter(|s| !s.is_empty()).map(|s| parse_day("from", s)).transpose()?;
            let to = to.as_deref().filter(|s| !s.is_empty()).map(|s| parse_day("to", s)).transpose()?;
            match (from, to) {
                (Some(f), Some(t)) => check_within_a_year(f, t)?,
                (Some(_), None) | (None, Some(_)) => {
                    return Err(Invalid::new("dates", "A date range needs both its start and its end."));
                }
                (None, None) => {}
            }
        }
        if self.status.is_some_and(|s| !(1..=9).contains(&s)) {
            return Err(Invalid::new("status", "is an order status."));
        }
        if self.kind.as_ref().is_some_and(|k| k.len() > 4 || !k.bytes().all(|b| b.is_ascii_digit())) {
            return Err(Invalid::new("kind", "is an order type."));
        }
        if self.page > 10_000 {
            return Err(Invalid::new("page", "is too far."));
        }
        Ok(())
    }
}

/// An order in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRow {
    /// Order id.
    pub id: String,
    /// Service type name.
    pub service: String,
    /// 1 new, 2 renewal, 3 change, 4 unsubscribe, 10 to pay-per-use...
    pub kind: i64,
    /// 6 pending payment, 5 completed, 4 cancelled...
    pub status: i64,
    /// List price.
    pub official: Decimal,
    /// After discounts: what is (or was) to pay.
    pub amount: Decimal,
    /// Created (as BSS writes it).
    pub created: String,
    /// Paid, if it was.
    pub paid: Option<String>,
}

impl OrderRow {
    /// Whether it waits for payment.
    pub fn is_pending(&self) -> bool {
        self.status == 6
    }
    /// The i18n key of its status.
    pub fn status_key(&self) -> &'static str {
        order_status_key(self.status)
    }
    /// The i18n key of its type.
    pub fn kind_key(&self) -> &'static str {
        order_kind_key(self.kind)
    }
}

/// The i18n key of an order status.
pub fn order_status_key(status: i64) -> &'static str {
    match status {
        1 => "order.status.approval",
        2 => "order.status.refund_pending",
        3 => "order.status.processing",
        4 => "order.status.cancelled",
        5 => "order.status.completed",
        6 => "order.status.pending_payment",
        9 => "order.status.confirmation",
        _ => "order.status.other",
    }
}

/// The i18n key of an order type.
pub fn order_kind_key(kind: i64) -> &'static str {
    match kind {
        1 => "order.kind.new",
        2 => "order.kind.renewal",
        3 => "order.kind.change",
        4 => "order.kind.unsubscribe",
        10 => "order.kind.to_on_demand",
        _ => "order.kind.other",
    }
}

/// A page of orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPage {
    /// Rows.
    pub rows: Vec<OrderRow>,
    /// All matching.
    pub total: u64,
}

/// A line item of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    /// Line id.
    pub id: String,
    /// Service type name.
    pub service: String,
    /// What it is.
    pub description: String,
    /// 2 month, 3 year.
    pub period_type: Option<i64>,
    /// How many.
    pub period_num: Option<i64>,
    /// List price.
    pub official: Decimal,
    /// After discounts.
    pub amount: Decimal,
}

/// A coupon an order may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponOffer {
    /// Coupon id.
    pub id: String,
    /// Plan name.
    pub name: String,
    /// Value left.
    pub balance: Decimal,
    /// Until.
    pub expires: Option<String>,
    /// BSS coupon type (what paying must name).
    pub kind: i64,
}

/// A discount an order may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscountOffer {
    /// Discount id.
    pub id: String,
    /// The value (a rate such as 0.9, or an amount, by type).
    pub value: Decimal,
    /// BSS discount type.
    pub kind: i64,
}

/// Where a refund came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundRow {
    /// Refund id.
    pub id: String,
    /// Service type name.
    pub service: String,
    /// Resource type name.
    pub kind: String,
    /// Amount refunded.
    pub amount: Decimal,
    /// The order it refunds.
    pub base_order: String,
}

/// An order with everything its page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetail {
    /// The order.
    pub order: OrderRow,
    /// Line items.
    pub lines: Vec<OrderLine>,
    /// Coupons it may use (pending orders).
    pub coupons: Vec<CouponOffer>,
    /// Discounts it may use (pending orders).
    pub discounts: Vec<DiscountOffer>,
    /// Refunds (unsubscribe orders).
    pub refunds: Vec<RefundRow>,
}

/// Paying a pending order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayRequest {
    /// The order.
    pub order_id: String,
    /// Coupons to use.
    pub coupon_ids: Vec<String>,
    /// A discount to use.
    pub discount_id: Option<String>,
}

/// Checks a BSS id typed or carried by a page.
pub fn check_id(field: &'static str, id: &str) -> Result<(), Invalid> {
    if id.is_empty() || id.len() > 128 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.') {
        return Err(Invalid::new(field, "is not a BSS id."));
    }
    Ok(())
}

impl PayRequest {
    /// Checks the request.
    pub fn validate(&self) -> Result<(), Invalid> {
        check_id("order", &self.order_id)?;
        if self.coupon_ids.len() > 20 {
            return Err(Invalid::new("coupons", "are at most 20 per order."));
        }
        for c in &self.coupon_ids {
            check_id("coupon", c)?;
        }
        if let Some(d) = &self.discount_id {
            check_id("discount", d)?;
        }
        Ok(())
    }
}

/// What paying did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayDone {
    /// The order.
    pub order_id: String,
    /// The same payment was already made: nothing was sent.
    pub repeated: bool,
}

/// How to unsubscribe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnsubscribeKind {
    /// The resource and its renewals (type 1).
    Whole,
    /// Only the renewal periods not yet started (type 2).
    RenewalsOnly,
}

/// Unsubscribing resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsubscribeRequest {
    /// Master resources.
    pub resource_ids: Vec<String>,
    /// How.
    pub kind: UnsubscribeKind,
}

impl UnsubscribeRequest {
    /// Checks the request.
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.resource_ids.is_empty() || self.resource_ids.len() > crate::renewal::MAX_RESOURCES {
            return Err(Invalid::new("resources", "are 1 to 100 resources."));
        }
        self.resource_ids.iter().try_for_each(|id| check_id("resources", id))
    }
}

/// What unsubscribing did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsubscribeDone {
    /// The unsubscribe orders.
    pub order_ids: Vec<String>,
    /// The same unsubscription was already made: nothing was sent.
    pub repeated: bool,
}

/// What changes at a resource's expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpiryChange {
    /// Renew automatically (one month each time).
    AutoRenewOn,
    /// Stop renewing automatically.
    AutoRenewOff,
    /// Become pay-per-use at expiry.
    ToPayPerUse,
}

/// Filters of the yearly/monthly resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SubscriptionQuery {
    /// Only those expiring within this many days (expired ones in their grace period included).
    pub expiring_within: Option<u32>,
    /// Service type code.
    pub service: Option<String>,
}

impl SubscriptionQuery {
    /// Checks the filters.
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.expiring_within.is_some_and(|d| d == 0 || d > 366) {
            return Err(Invalid::new("days", "are 1 to 366."));
        }
        if self.service.as_ref().is_some_and(|s| s.len() > 64) {
            return Err(Invalid::new("service", "is too long."));
        }
        Ok(())
    }
}

/// A quote for renewing resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// Per resource, slaves included.
    pub lines: Vec<(String, Decimal)>,
    /// List price.
    pub official: Decimal,
    /// Best price on offer.
    pub amount: Decimal,
    /// Resources BSS will not renew, with its reason.
    pub refused: Vec<(String, String)>,
}

/// One day of the renewal calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    /// `YYYY-MM-DD`, UTC+8.
    pub day: String,
    /// What expires that day (auto-renewing or not) with one month's renewal price.
    pub items: Vec<Expiring>,
}

/// A coupon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coupon {
    /// Coupon id.
    pub id: String,
    /// Plan name.
    pub name: String,
    /// 1 not active, 2 usable, 3 used up, 4 expired.
    pub status: i64,
    /// Face value.
    pub face_value: Decimal,
    /// Left.
    pub balance: Decimal,
    /// Valid from.
    pub valid_from: Option<String>,
    /// Until.
    pub expires: Option<String>,
    /// Limits in BSS's words.
    pub limits: Vec<String>,
}

/// A stored-value card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    /// Card id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Status.
    pub status: i64,
    /// Face value.
    pub face_value: Decimal,
    /// Left.
    pub balance: Decimal,
    /// Until.
    pub expires: Option<String>,
}

/// A resource package with its quotas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// Instance id.
    pub id: String,
    /// Product name.
    pub name: String,
    /// Service type name.
    pub service: String,
    /// Status.
    pub status: i64,
    /// Until.
    pub expires: Option<String>,
    /// Quotas: usage type, left, granted.
    pub quotas: Vec<(String, Decimal, Decimal)>,
}

/// Coupons, cards and packages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Benefits {
    /// Coupons.
    pub coupons: Vec<Coupon>,
    /// Cards.
    pub cards: Vec<Card>,
    /// Packages.
    pub packages: Vec<Package>,
}

/// A member (sub-)account of an enterprise master account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Customer id.
    pub id: String,
    /// Account name.
    pub name: String,
    /// Display name.
    pub display_name: String,
    /// 1 normal, 4 closed...
    pub status: i64,
    /// Organisation unit id.
    pub org_id: String,
    /// Its name.
    pub org_name: String,
    /// Cash the master may take back (the member's balance).
    pub balance: Decimal,
}

/// A unit of the organisation tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    /// Unit id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Sub-units.
    pub children: Vec<OrgUnit>,
}

/// Member accounts with the organisation tree and what may be transferred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Members {
    /// The tree.
    pub root: OrgUnit,
    /// Members.
    pub members: Vec<Member>,
    /// Cash the master may still transfer.
    pub transferable: Decimal,
}

/// Direction of a budget move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransferDirection {
    /// From the master to the member.
    ToMember,
    /// Back from the member.
    Reclaim,
}

/// Moving budget between the master and a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferRequest {
    /// The member.
    pub member_id: String,
    /// Yuan.
    pub amount: Decimal,
    /// Which way.
    pub direction: TransferDirection,
    /// A token the form was drawn with: one form submits once (BSS's `trans_id`).
    pub form_token: String,
}

impl TransferRequest {
    /// Checks the request.
    pub fn validate(&self) -> Result<(), Invalid> {
        check_id("member", &self.member_id)?;
        check_amount(self.amount, Decimal::from(100_000_000))?;
        if self.form_token.len() < 16 || self.form_token.len() > 64 || !self.form_token.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Invalid::new("form", "The form is out of date; reload the page."));
        }
        Ok(())
    }
}

/// What a transfer did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferDone {
    /// The same form was already submitted: nothing was sent again.
    pub repeated: bool,
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn order_ranges_are_at_most_a_year_and_whole() {
        let q = |from: &str, to: &str| OrderQuery { created_from: Some(from.into()), created_to: Some(to.into()), ..OrderQuery::default() };
        assert!(q("2025-12-01", "2026-11-30").validate().is_ok());
        assert!(q("2024-11-01", "2026-11-30").validate().is_err());
        assert!(OrderQuery { paid_from: Some("2026-01-01".into()), ..OrderQuery::default() }.validate().is_err());
        assert!(q("2026-02-30", "2026-03-01").validate().is_err());
    }

    #[test]
    fn transfers_are_positive_and_carry_their_form() {
        let t = |amount: &str, token: &str| TransferRequest {
            member_id: "m-1".into(),
            amount: Decimal::from_str(amount).expect("d"),
            direction: TransferDirection::ToMember,
            form_token: token.into(),
        };
        assert!(t("10.50", "abcdefabcdefabcdef").validate().is_ok());
        assert!(t("-1", "abcdefabcdefabcdef").validate().is_err());
        assert!(t("1", "short").validate().is_err());
        assert!(PayRequest { order_id: "o 1".into(), coupon_ids: vec![], discount_id: None }.validate().is_err());
    }

    #[test]
    fn resource_records_stay_in_their_cycle() {
        let q = |from: &str, to: &str| ResourceRecordQuery { cycle: "2026-10".into(), from: Some(from.into()), to: Some(to.into()), ..ResourceRecordQuery::default() };
        assert!(q("2026-10-01", "2026-10-31").validate().is_ok());
        assert!(q("2026-10-31", "2026-11-01").validate().is_err(), "across months");
        assert!(q("2026-09-01", "2026-09-30").validate().is_err(), "outside the cycle");
        assert!(ResourceRecordQuery { cycle: "2026-10".into(), ..ResourceRecordQuery::default() }.validate().is_ok());
    }

    #[test]
    fn fee_filters_are_checked() {
        assert!(FeeQuery { cycle: "2026-10".into(), ..FeeQuery::default() }.validate().is_ok());
        assert!(FeeQuery { cycle: "2026-10".into(), charge_mode: Some(2), ..FeeQuery::default() }.validate().is_err());
        assert!(FeeQuery { cycle: "last".into(), ..FeeQuery::default() }.validate().is_err());
    }
}
