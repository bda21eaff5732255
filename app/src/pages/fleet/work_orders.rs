//! Work orders: the list, newest first, and one order with its per-card lines.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use model::work_order::{WorkOrder, kind_key, line_status_key, status_key};

use crate::api::work_orders::{list_work_orders, show_work_order};
use crate::components::fleet::{ErrorNotice, local_time, tz};
use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;

fn page_param() -> impl Fn() -> u32 + Copy {
    let q = use_query_map();
    move || q.with(|m| m.get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1).max(1))
}

/// The list (`/fleet/work-orders?page=2`).
#[component]
pub fn WorkOrdersPage() -> impl IntoView {
    view! { <RequireArea area=Area::Fleet><WorkOrders/></RequireArea> }
}

#[component]
fn WorkOrders() -> impl IntoView {
    let i18n = use_i18n();
    let page = page_param();
    let data = Resource::new(page, list_work_orders);
    view! {
        <h1>{move || i18n.t("nav.work_orders")}</h1>
        <Transition fallback=move || view! { <p class="loading" aria-busy="true">{move || i18n.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(p) if p.orders.is_empty() => view! { <p class="empty-state">{move || i18n.t("wo.none")}</p> }.into_any(),
                    Ok(p) => {
                        let pages = u32::try_from(p.count.div_ceil(20)).unwrap_or(1).max(1);
                        let current = p.page;
                        view! {
                            <div class="table-wrap"><table data-testid="work-orders">
                                <thead><tr>
                                    <th scope="col">"#"</th>
                                    <th scope="col">{move || i18n.t("wo.kind")}</th>
                                    <th scope="col">{move || i18n.t("wo.status")}</th>
                                    <th scope="col">{move || i18n.t("wo.cards")}</th>
                                    <th scope="col">{move || i18n.t("audit.time")}</th>
                                    <th scope="col">{move || i18n.t("wo.request")}</th>
                                </tr></thead>
                                <tbody>{p.orders.into_iter().map(|w| view! { <OrderRow w/> }).collect_view()}</tbody>
                            </table></div>
                            <nav class="pager" aria-label=move || i18n.t("inv.pages")>
                                {(current > 1).then(|| view! { <A href=format!("?page={}", current - 1)>"← " {move || i18n.t("inv.prev")}</A> })}
                                <span>{current} " / " {pages}</span>
                                {(current < pages).then(|| view! { <A href=format!("?page={}", current + 1)>{move || i18n.t("inv.next")} " →"</A> })}
                            </nav>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OrderRow(w: WorkOrder) -> impl IntoView {
    let i18n = use_i18n();
    let (kind, status, created) = (kind_key(w.kind), status_key(w.status), w.created_at);
    let number = w.kind;
    view! {
        <tr data-testid="work-order-row">
            <td><A href=format!("/fleet/work-orders/{}", w.id)>{w.id}</A></td>
            <td>{move || kind.map_or_else(|| format!("#{number}"), |k| i18n.t(k).to_owned())}</td>
            <td>{move || i18n.t(status)}</td>
            <td>{w.succeeded} " ✓ · " {w.failed} " ✗ · " {w.total}</td>
            <td>{move || created.map(|t| local_time(t, tz()))}</td>
            <td>{w.request.clone()}</td>
        </tr>
    }
}

/// One work order (`/fleet/work-orders/:id`).
#[component]
pub fn WorkOrderPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0));
    let page = page_param();
    let data = Resource::new(move || (id(), page()), |(id, page)| show_work_order(id, page));
    view! {
        <RequireArea area=Area::Fleet>
            <p class="crumbs"><A href="/fleet/work-orders">"← " {move || i18n.t("nav.work_orders")}</A></p>
            <Suspense fallback=move || view! { <p class="loading" aria-busy="true">{move || i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(d) => view! {
                            <h1>{move || i18n.t("action.work_order")} " " {d.order.id}</h1>
                            <table><tbody><OrderRow w=d.order.clone()/></tbody></table>
                            <section class="card">
                                <h2>{move || i18n.t("wo.lines")} " (" {d.count} ")"</h2>
                                <table data-testid="work-order-lines"><tbody>
                                    {d.lines.into_iter().map(|l| {
                                        let status = line_status_key(l.status);
                                        view! { <tr>
                                            <th scope="row">{l.sim_card_id.map(|id| view! { <A href=format!("/fleet/sims/{id}")>{l.iccid.clone()}</A> })}</th>
                                            <td>{move || i18n.t(status)}</td>
                                            <td>{l.description.clone()}</td>
                                        </tr> }
                                    }).collect_view()}
                                </tbody></table>
                            </section>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireArea>
    }
}
