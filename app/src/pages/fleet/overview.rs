//! The fleet overview: each figure links to the inventory (or pool, work order) behind it.

use leptos::prelude::*;
use leptos_router::components::A;
use model::sim::format_flow;

use crate::api::overview::{OverviewView, fleet_overview};
use crate::components::fleet::{ErrorNotice, LocalDate, StatusBadge, local_time, tz};
use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;

/// The overview page (`/fleet`).
#[component]
pub fn FleetOverviewPage() -> impl IntoView {
    view! { <RequireArea area=Area::Fleet><Overview/></RequireArea> }
}

#[component]
fn Overview() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| fleet_overview());
    view! {
        <h1>{move || i18n.t("nav.overview")}</h1>
        <Suspense fallback=move || view! { <p class="loading" aria-busy="true">{move || i18n.t("common.loading")}</p> }>
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
fn Figures(o: OverviewView) -> impl IntoView {
    let i18n = use_i18n();
    let total: u64 = o.by_status.iter().map(|(_, n)| n).sum();
    let (this, last) = o.usage;
    let expiring_count = format!("{}{}", o.expiring.len(), if o.expiring_more { "+" } else { "" });
    let change = if last > 0 { Some((this - last) * 100 / last) } else { None };
    view! {
        <section class="card" data-testid="by-status">
            <h2>{move || i18n.t("ov.by_status")} " · " <A href="/fleet/sims">{total}</A></h2>
            <ul class="tiles">
                {o.by_status.into_iter().map(|(s, n)| view! {
                    <li><A href=format!("/fleet/sims?status={}", s.slug()) attr:data-testid=format!("status-{}", s.slug())>
                        <strong>{n}</strong> <StatusBadge status=Some(s)/>
                    </A></li>
                }).collect_view()}
            </ul>
        </section>
        <div class="cards">
            <section class="card" data-testid="usage">
                <h2>{move || i18n.t("ov.usage")}</h2>
                <p class="big">{format_flow(this)}</p>
                <p class="muted">{move || i18n.t("ov.last_cycle")} ": " {format_flow(last)}
                    {change.map(|c| format!(" ({}{c} %)", if c >= 0 { "+" } else { "" }))}</p>
            </section>
            <section class="card" data-testid="pools-running-dry">
                <h2>{move || i18n.t("ov.pools_dry")}</h2>
                {if o.pools_running_dry.is_empty() {
                    view! { <p class="muted">{move || i18n.t("ov.no_pools_dry")}</p> }.into_any()
                } else {
                    view! { <ul>{o.pools_running_dry.into_iter().map(|p| {
                        let pct = p.used_permille().unwrap_or(0) / 10;
                        view! { <li><A href=format!("/fleet/pools/{}/{}", p.kind.slug(), p.id)>{p.name.clone()}</A> " " <strong>{pct} " %"</strong></li> }
                    }).collect_view()}</ul> }.into_any()
                }}
            </section>
        </div>
        <section class="card" data-testid="expiring">
            <h2>{move || i18n.t("ov.expiring")} " · "
                <A href="/fleet/sims?status=in-use&sort=expires">{expiring_count}</A></h2>
            {if o.expiring.is_empty() {
                view! { <p class="muted">{move || i18n.t("ov.none_expiring")}</p> }.into_any()
            } else {
                view! { <table><tbody>{o.expiring.into_iter().take(10).map(|c| view! {
                    <tr><th scope="row"><A href=format!("/fleet/sims/{}", c.sim_card_id)>{c.iccid.clone()}</A></th>
                    <td>{c.price_plan.clone()}</td><td><LocalDate at=c.expires_at/></td></tr>
                }).collect_view()}</tbody></table> }.into_any()
            }}
        </section>
        <section class="card" data-testid="recent-work-orders">
            <h2>{move || i18n.t("ov.work_orders")} " · " <A href="/fleet/work-orders">{move || i18n.t("ov.all")}</A></h2>
            <table><tbody>{o.work_orders.into_iter().map(|w| {
                let created = w.created_at;
                let kind = model::work_order::kind_key(w.kind);
                let status = model::work_order::status_key(w.status);
                view! { <tr>
                    <td><A href=format!("/fleet/work-orders/{}", w.id)>{w.id}</A></td>
                    <td>{move || kind.map_or_else(|| format!("#{}", w.kind), |k| i18n.t(k).to_owned())}</td>
                    <td>{move || i18n.t(status)}</td>
                    <td>{move || created.map(|t| local_time(t, tz()))}</td>
                </tr> }
            }).collect_view()}</tbody></table>
        </section>
    }
}
