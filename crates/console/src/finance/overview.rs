//! The finance overview: balances (cash, credit with its expiry, coupons, cards), this cycle's
//! spend against the same point of the last, twelve cycles of spend, spend by service type,
//! orders waiting for payment, what expires within 30 days and the auto-renewals due.

use hwcloud::bss::{ShowCustomerAccountBalancesRequest, ShowMultiAccountTransferAmountRequest};
use hwcloud::{Client, Identity};
use model::finance::{Balances, CycleSpend, FinanceOverview};
use model::money::{cycle_before, day_cn};

use super::orders::yuan;
use super::{benefits, bills, orders, subscriptions};
use crate::error::ServiceError;
use crate::identity::UserSession;

/// Cycles in the spend trend.
pub const TREND_CYCLES: u32 = 12;
/// Days ahead that count as expiring soon.
pub const EXPIRING_DAYS: u32 = 30;

/// BSS account types: 1 cash, 2 credit.
const CASH: i64 = 1;
const CREDIT: i64 = 2;

/// The balances, coupons and cards.
pub async fn balances(client: &Client, who: &Identity) -> Result<Balances, ServiceError> {
    let credit_line = ShowMultiAccountTransferAmountRequest { balance_type: "BALANCE_TYPE_CREDIT".into(), offset: None, limit: None };
    let (accounts, credit_line, coupons, cards) = futures::try_join!(
        async { client.call(who, &ShowCustomerAccountBalancesRequest {}).await.map_err(ServiceError::from) },
        async { client.call(who, &credit_line).await.map_err(ServiceError::from) },
        benefits::coupons(client, who),
        benefits::cards(client, who)
    )?;
    let accounts = accounts.value;
    let of = |kind: i64| {
        accounts.account_balances.iter().flatten().filter(|a| a.account_type == Some(kind)).map(|a| yuan(a.amount, a.measure_id)).sum()
    };
    let limit: rust_decimal::Decimal = accounts
        .account_balances
        .iter()
        .flatten()
        .filter(|a| a.account_type == Some(CREDIT))
        .map(|a| yuan(a.credit_amount, a.measure_id))
        .sum();
    // The balance query has no credit expiry; the transferable-credit query does.
    let credit_expires = credit_line.value.amount_infos.unwrap_or_default().into_iter().find_map(|a| a.expire_time.filter(|e| !e.is_empty()));
    Ok(Balances {
        cash: of(CASH),
        credit: of(CREDIT),
        credit_limit: limit,
        credit_expires,
        debt: yuan(accounts.debt_amount, accounts.measure_id),
        coupons: benefits::usable_coupons(&coupons),
        cards: (u32::try_from(cards.len()).unwrap_or(u32::MAX), cards.iter().map(|c| c.balance).sum()),
    })
}

/// Reads the overview; its calls run together under the client's rate limit.
pub async fn read(client: &Client, user: &UserSession) -> Result<FinanceOverview, ServiceError> {
    super::require_read(user)?;
    let who = user.identity();
    let today = day_cn(chrono::Utc::now());
    let this_cycle = cycle_before(today, 0);
    let (balances, trend, statement, last_same, pending, expiring) = futures::try_join!(
        balances(client, &who),
        bills::trend(client, &who, TREND_CYCLES),
        bills::statement(client, user, &this_cycle),
        bills::last_cycle_until_same_day(client, &who),
        orders::pending(client, user),
        subscriptions::expiring(client, user, EXPIRING_DAYS)
    )?;
    let last_cycle = trend.iter().rev().nth(1).map(|c| c.amount).unwrap_or_default();
    let auto_renew_due = subscriptions::auto_renew_due(&expiring);
    Ok(FinanceOverview {
        balances,
        this_cycle: CycleSpend { cycle: this_cycle, amount: statement.consumed },
        last_cycle_same_point: last_same,
        last_cycle,
        by_service: bills::by_service(&statement),
        trend,
        pending_orders: pending,
        expiring,
        auto_renew_due,
    })
}
