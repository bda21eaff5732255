//! The finance overview: how much money is left, what was spent and on what, what must be paid
//! or renewed soon, and whether the balance covers the auto-renewals ahead.

use leptos::prelude::*;
use leptos_router::components::A;
use model::finance::FinanceOverview;
use rust_decimal::Decimal;

use crate::api::finance::read_finance_overview;
use crate::components::fleet::ErrorNotice;
use crate::components::finance::{BssDate, Loading, Money, SpendChart, days_left};
use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;

/// `/finance`.
#[component]
pub fn FinanceOverviewPage() -> impl IntoView {
    view! { <RequireArea area=Area::Finance><Overview/></RequireArea> }
}

#[component]
fn Overview() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| read_finance_overview());
    view! {
        <h1>{move || i18n.t("nav.finance")} " · " {move || i18n.t("nav.overview")}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => view! { <Figures o/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Figures(o: FinanceOverview) -> impl IntoView {
    let i18n = use_i18n();
    let b = o.balances.clone();
    let runway = o.runway();
    let short = runway < Decimal::ZERO;
    let change = (o.last_cycle_same_point > Decimal::ZERO)
        .then(|| ((o.this_cycle.amount - o.last_cycle_same_point) * Decimal::from(100) / o.last_cycle_same_point).round());
    let soon7: Vec<_> = o.expiring.iter().filter(|e| days_left(&e.resource.expires).is_some_and(|d| d <= 7)).cloned().collect();
    let credit_expires = b.credit_expires.clone();
    let pending_count = o.pending_orders.len();
    let (expiring_count, soon7_count) = (o.expiring.len(), soon7.len());
    let FinanceOverview { pending_orders, expiring, by_service, trend, this_cycle, last_cycle_same_point, last_cycle, auto_renew_due, .. } = o;
    view! {
        <div class="cards">
            <section class="card" data-testid="balances">
                <h2>{move || i18n.t("fin.balances")}</h2>
                <dl class="figures">
                    <dt>{move || i18n.t("fin.cash")}</dt><dd class="big" data-testid="cash"><Money amount=b.cash/></dd>
                    <dt>{move || i18n.t("fin.credit")}</dt>
                    <dd><Money amount=b.credit/> " / " <Money amount=b.credit_limit/>
                        {credit_expires.map(|e| view! { <small class="muted">" · " {move || i18n.t("fin.until")} " " <BssDate raw=e.clone()/></small> })}
                    </dd>
                    <dt>{move || i18n.t("fin.coupons")}</dt><dd><A href="/finance/coupons">{b.coupons.0}</A> " · " <Money amount=b.coupons.1/></dd>
                    <dt>{move || i18n.t("fin.cards")}</dt><dd>{b.cards.0} " · " <Money amount=b.cards.1/></dd>
                    {(b.debt > Decimal::ZERO).then(|| view! { <dt>{move || i18n.t("fin.debt")}</dt><dd class="negative"><Money amount=b.debt/></dd> })}
                </dl>
            </section>
            <section class="card" data-testid="this-cycle">
                <h2>{move || i18n.t("fin.this_cycle")} " " {this_cycle.cycle.clone()}</h2>
                <p class="big"><Money amount=this_cycle.amount/></p>
                <p class="muted">{move || i18n.t("fin.same_point")} ": " <Money amount=last_cycle_same_point/>
                    {change.map(|c| format!(" ({}{c} %)", if c >= Decimal::ZERO { "+" } else { "" }))}</p>
                <p class="muted">{move || i18n.t("fin.last_cycle")} ": " <Money amount=last_cycle/></p>
                <A href="/finance/bills">{move || i18n.t("fin.to_bills")}</A>
            </section>
            <section class=if short { "card warning" } else { "card" } data-testid="runway">
                <h2>{move || i18n.t("fin.runway")}</h2>
                <p class="big"><Money amount=runway/></p>
                <p class="muted">{move || i18n.t("fin.runway_how")} " " <Money amount=auto_renew_due/></p>
                {short.then(|| view! { <p class="error" role="alert">{move || i18n.t("fin.runway_short")}</p> })}
            </section>
        </div>
        <div class="cards">
            <section class="card">
                <h2>{move || i18n.t("fin.trend")}</h2>
                <SpendChart trend/>
            </section>
            <section class="card" data-testid="by-service">
                <h2>{move || i18n.t("fin.by_service")}</h2>
                {if by_service.is_empty() {
                    view! { <p class="muted">{move || i18n.t("fin.no_spend")}</p> }.into_any()
                } else {
                    let total: Decimal = by_service.iter().map(|s| s.amount).sum();
                    view! { <table><tbody>
                        {by_service.into_iter().map(|s| {
                            let pct = crate::components::finance::bar_height(s.amount, total);
                            view! { <tr><th scope="row">{s.name.clone()}</th><td class="num"><Money amount=s.amount/></td>
                                <td><span class="meter" style=format!("width:{pct}%")></span></td></tr> }
                        }).collect_view()}
                    </tbody></table> }.into_any()
                }}
            </section>
        </div>
        <section class="card" data-testid="pending-orders">
            <h2>{move || i18n.t("fin.pending_orders")} " · " <A href="/finance/orders?status=6">{pending_count}</A></h2>
            {if pending_orders.is_empty() {
                view! { <p class="muted">{move || i18n.t("fin.no_pending")}</p> }.into_any()
            } else {
                view! { <table><tbody>{pending_orders.into_iter().map(|p| view! {
                    <tr><th scope="row"><A href=format!("/finance/orders/{}", p.id)>{p.id.clone()}</A></th>
                    <td>{p.service.clone()}</td><td class="num"><Money amount=p.amount/></td><td><BssDate raw=p.created.clone()/></td></tr>
                }).collect_view()}</tbody></table> }.into_any()
            }}
        </section>
        <section class="card" data-testid="expiring-resources">
            <h2>{move || i18n.t("fin.expiring")} " · " {soon7_count} " ≤ 7 · " {expiring_count} " ≤ 30 "
                <A href="/finance/renewals?days=30">{move || i18n.t("fin.to_renewals")}</A></h2>
            {if expiring.is_empty() {
                view! { <p class="muted">{move || i18n.t("fin.none_expiring")}</p> }.into_any()
            } else {
                view! { <table><tbody>{expiring.into_iter().map(|e| {
                    let r = e.resource;
                    view! { <tr>
                        <th scope="row">{r.name.clone()}</th><td>{r.service.clone()}</td>
                        <td><BssDate raw=r.expires.clone()/></td>
                        <td>{if r.auto_renews() { view! { <span class="badge ok">{move || i18n.t("res.auto_renew")}</span> }.into_any() } else { ().into_any() }}</td>
                        <td class="num">{e.monthly_cost.map(|c| view! { <Money amount=c/> " / " {move || i18n.t("fin.month")} })}</td>
                    </tr> }
                }).collect_view()}</tbody></table> }.into_any()
            }}
        </section>
    }
}
