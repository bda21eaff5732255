//! Flow pools and back pools: capacity against use this cycle, the trend over past cycles, the
//! projection to the end of the cycle, and a pool's members by use.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use model::pool::{PoolKind, PoolSummary};
use model::sim::format_flow;

use crate::api::overview::{list_pools, pool_members};
use crate::components::fleet::ErrorNotice;
use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;
use crate::pages::fleet::usage::BarChart;

/// The pools page (`/fleet/pools`).
#[component]
pub fn PoolsPage() -> impl IntoView {
    view! { <RequireArea area=Area::Fleet><Pools/></RequireArea> }
}

#[component]
fn Pools() -> impl IntoView {
    let i18n = use_i18n();
    let pools = Resource::new(|| (), |_| list_pools());
    view! {
        <h1>{move || i18n.t("nav.pools")}</h1>
        <Suspense fallback=move || view! { <p class="loading" aria-busy="true">{move || i18n.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match pools.await {
                    Ok(list) if list.is_empty() => view! { <p class="empty-state">{move || i18n.t("pool.none")}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-wrap"><table data-testid="pool-table">
                            <thead><tr>
                                <th scope="col">{move || i18n.t("pool.name")}</th>
                                <th scope="col">{move || i18n.t("pool.kind")}</th>
                                <th scope="col">{move || i18n.t("pool.members")}</th>
                                <th scope="col">{move || i18n.t("pool.use")}</th>
                                <th scope="col">{move || i18n.t("pool.projection")}</th>
                                <th scope="col">{move || i18n.t("pool.trend")}</th>
                            </tr></thead>
                            <tbody>{list.into_iter().map(|p| view! { <PoolRow p/> }).collect_view()}</tbody>
                        </table></div>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Capacity against use as a bar (flow pools), or the use alone (back pools).
#[component]
fn Capacity(p: PoolSummary) -> impl IntoView {
    let permille = p.used_permille();
    let width = permille.map_or(0, |x| (x / 10).min(100));
    let level = match permille {
        Some(x) if x >= 900 => "bar critical",
        Some(x) if x >= 800 => "bar warn",
        _ => "bar",
    };
    let label = match p.total {
        Some(t) => format!("{} / {} ({} %)", format_flow(p.used), format_flow(t), permille.unwrap_or(0) / 10),
        None => format_flow(p.used),
    };
    view! {
        <div class="flow">
            {p.total.is_some().then(|| view! {
                <div class=level role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow=width><span style=format!("width: {width}%")></span></div>
            })}
            <small>{label}</small>
        </div>
    }
}

#[component]
fn PoolRow(p: PoolSummary) -> impl IntoView {
    let i18n = use_i18n();
    let kind = p.kind;
    let warn = p.will_run_out();
    let max = p.history.iter().map(|(_, u)| *u).max().unwrap_or(0).max(1);
    let (href, name) = (format!("/fleet/pools/{}/{}", p.kind.slug(), p.id), p.name.clone());
    view! {
        <tr data-testid="pool-row">
            <th scope="row"><A href=href>{name}</A></th>
            <td>{move || i18n.t(if kind == PoolKind::Flow { "pool.flow" } else { "pool.back" })}</td>
            <td>{p.members}</td>
            <td><Capacity p=p.clone()/></td>
            <td class=if warn { "outcome-failed" } else { "" }>{format_flow(p.projected)} {warn.then(|| view! { " ⚠ " {move || i18n.t("pool.will_run_out")} })}</td>
            <td>
                <svg class="spark" viewBox="0 0 60 20" role="img" aria-label=move || i18n.t("pool.trend")>
                    {p.history.iter().enumerate().map(|(i, (c, u))| {
                        let h = (u * 20 / max).max(1);
                        view! { <rect x=i64::try_from(i).unwrap_or(0) * 10 y=20 - h width="8" height=h><title>{format!("{c}: {}", format_flow(*u))}</title></rect> }
                    }).collect_view()}
                </svg>
            </td>
        </tr>
    }
}

/// One pool (`/fleet/pools/:kind/:id`): its figures, trend and members by use.
#[component]
pub fn PoolPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let key = move || {
        params.with(|p| {
            (p.get("kind").and_then(|k| PoolKind::from_slug(&k)).unwrap_or(PoolKind::Flow), p.get("id").and_then(|i| i.parse::<i64>().ok()).unwrap_or(0))
        })
    };
    let data = Resource::new(key, |(kind, id)| pool_members(kind, id));
    view! {
        <RequireArea area=Area::Fleet>
            <p class="crumbs"><A href="/fleet/pools">"← " {move || i18n.t("nav.pools")}</A></p>
            <Suspense fallback=move || view! { <p class="loading" aria-busy="true">{move || i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) => {
                            let title = v.pool.as_ref().map(|p| p.name.clone()).unwrap_or_default();
                            view! {
                                <h1>{title}</h1>
                                {v.pool.clone().map(|p| view! {
                                    <section class="card">
                                        <Capacity p=p.clone()/>
                                        <p>{move || i18n.t("pool.projection")} ": " <strong data-testid="projection">{format_flow(p.projected)}</strong></p>
                                        <BarChart title=i18n.now("pool.trend") bars=p.history.clone() testid="pool-trend"/>
                                    </section>
                                })}
                                <section class="card">
                                    <h2>{move || i18n.t("pool.top")}</h2>
                                    {v.truncated.then(|| view! { <p class="notice">{move || i18n.t("pool.truncated")}</p> })}
                                    <table data-testid="pool-members"><tbody>
                                        {v.members.into_iter().map(|m| view! {
                                            <tr><th scope="row"><A href=format!("/fleet/sims?q={}", m.iccid)>{m.iccid.clone()}</A></th><td>{format_flow(m.used)}</td></tr>
                                        }).collect_view()}
                                    </tbody></table>
                                </section>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireArea>
    }
}
