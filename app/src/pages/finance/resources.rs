//! Resource consumption: what each resource cost in a bill cycle, and one resource's records day
//! by day (BSS reads them one cycle at a time).

use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};
use model::costs::{BREAKDOWN_PAGE, ResourceSpendQuery};
use model::finance::{FEE_PAGE, ResourceRecordQuery};

use crate::api::finance::{resource_records, resource_spend};
use crate::components::fleet::ErrorNotice;
use crate::components::finance::{ChargeModeField, Loading, Money, Pager, charge_mode_key, cycle_options, cycles, page_href};
use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;

/// `/finance/resources`.
#[component]
pub fn ResourcesPage() -> impl IntoView {
    view! { <RequireArea area=Area::Finance><Resources/></RequireArea> }
}

#[component]
fn Resources() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let query = move || {
        q.with(|m| {
            let text = |k: &str| m.get(k).filter(|v| !v.is_empty());
            ResourceSpendQuery {
                cycle: text("cycle").unwrap_or_else(|| cycles(1).remove(0)),
                service: text("service"),
                resource_id: text("resource_id"),
                charge_mode: text("charge_mode").and_then(|v| v.parse().ok()),
                page: text("page").and_then(|p| p.parse().ok()).unwrap_or(0),
            }
        })
    };
    let problem = move || query().validate().err().map(|e| e.sentence());
    let page = Resource::new(query, |q| async move {
        match q.validate() {
            Ok(()) => resource_spend(q).await.map(Some),
            Err(_) => Ok(None),
        }
    });
    let val = move |k: &str| q.with_untracked(|m| m.get(k).unwrap_or_default());
    let current = query().cycle;
    view! {
        <h1>{move || i18n.t("nav.resources")}</h1>
        <Form method="GET" action="" attr:class="filters" attr:data-testid="resource-filters">
            <div class="grid">
                <label>{move || i18n.t("bill.cycle")}
                    <select name="cycle" data-testid="resource-cycle">
                        {cycle_options(current)}
                    </select>
                </label>
                <label>{move || i18n.t("bill.service")}<input name="service" value=val("service") placeholder="hws.service.type.ec2"/></label>
                <label>{move || i18n.t("cost.resource")}<input name="resource_id" value=val("resource_id") data-testid="resource-id"/></label>
                <ChargeModeField selected=val("charge_mode")/>
            </div>
            <button type="submit">{move || i18n.t("inv.apply")}</button>
            <A href="/finance/resources">{move || i18n.t("inv.clear")}</A>
        </Form>
        {move || problem().map(|p| view! { <p class="error" role="alert" data-testid="resource-problem">{p}</p> })}
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(None) => ().into_any(),
                    Ok(Some(p)) if p.rows.is_empty() => view! { <p class="empty-state" data-testid="resources-empty">{move || i18n.t("usage.none")}</p> }.into_any(),
                    Ok(Some(p)) => {
                        let f = query();
                        let pages = p.total.div_ceil(u64::from(BREAKDOWN_PAGE)).max(1);
                        let cycle = f.cycle.clone();
                        view! {
                            <p>{p.total} " " {move || i18n.t("res.resources")}</p>
                            <div class="table-scroll">
                            <table data-testid="resource-spend-table">
                                <thead><tr>
                                    <th scope="col">{move || i18n.t("cost.resource")}</th>
                                    <th scope="col">{move || i18n.t("bill.service")}</th>
                                    <th scope="col">{move || i18n.t("bill.region")}</th>
                                    <th scope="col">{move || i18n.t("bill.charge_mode")}</th>
                                    <th scope="col" class="num">{move || i18n.t("bill.official")}</th>
                                    <th scope="col" class="num">{move || i18n.t("bill.discount")}</th>
                                    <th scope="col" class="num">{move || i18n.t("bill.consumed")}</th>
                                    <th scope="col" class="num">{move || i18n.t("bill.cash")}</th>
                                    <th scope="col" class="num">{move || i18n.t("bill.coupon")}</th>
                                </tr></thead>
                                <tbody>{p.rows.into_iter().map(|r| {
                                    let mode = r.charge_mode;
                                    let href = format!("/finance/resources/{}?cycle={cycle}", r.resource_id);
                                    view! { <tr data-testid="resource-spend-row">
                                        <th scope="row"><A href=href>{r.resource_name.clone()}</A><br/><code class="muted">{r.resource_id.clone()}</code></th>
                                        <td>{r.service.clone()}<br/><span class="muted">{r.resource_type.clone()}</span></td>
                                        <td>{r.region.clone()}</td>
                                        <td>{move || i18n.t(charge_mode_key(mode))}</td>
                                        <td class="num"><Money amount=r.official/></td>
                                        <td class="num"><Money amount=r.discount/></td>
                                        <td class="num"><Money amount=r.consumed/></td>
                                        <td class="num"><Money amount=r.cash/></td>
                                        <td class="num"><Money amount=r.coupon/></td>
                                    </tr> }
                                }).collect_view()}</tbody>
                            </table>
                            </div>
                            <Pager page=f.page pages href=move |n| q.with_untracked(|m| page_href("/finance/resources", m, n))/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/finance/resources/:id?cycle=&from=&to=`: one resource's consumption records.
#[component]
pub fn ResourceRecordsPage() -> impl IntoView {
    view! { <RequireArea area=Area::Finance><Records/></RequireArea> }
}

#[component]
fn Records() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let q = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let query = move || {
        q.with(|m| {
            let text = |k: &str| m.get(k).filter(|v| !v.is_empty());
            ResourceRecordQuery {
                cycle: text("cycle").unwrap_or_else(|| cycles(1).remove(0)),
                from: text("from"),
                to: text("to"),
                resource_id: Some(id()),
                service: None,
                page: text("page").and_then(|p| p.parse().ok()).unwrap_or(0),
            }
        })
    };
    // A range across months is explained here and never sent.
    let problem = move || query().validate().err().map(|e| e.sentence());
    let records = Resource::new(query, |q| async move {
        match q.validate() {
            Ok(()) => resource_records(q).await.map(Some),
            Err(_) => Ok(None),
        }
    });
    let val = move |k: &str| q.with_untracked(|m| m.get(k).unwrap_or_default());
    let cycle = query().cycle;
    view! {
        <h1>{move || i18n.t("usage.records")} " " <code>{id}</code></h1>
        <p><A href=format!("/finance/resources?cycle={cycle}")>{move || i18n.t("nav.resources")}</A></p>
        <Form method="GET" action="" attr:class="filters" attr:data-testid="record-filters">
            <input type="hidden" name="cycle" value=cycle.clone()/>
            <div class="grid">
                <label>{move || i18n.t("usage.from")}<input type="date" name="from" value=val("from") data-testid="record-from"/></label>
                <label>{move || i18n.t("usage.to")}<input type="date" name="to" value=val("to") data-testid="record-to"/></label>
            </div>
            <p class="muted">{move || i18n.t("usage.month_note")}</p>
            <button type="submit">{move || i18n.t("inv.apply")}</button>
        </Form>
        {move || problem().map(|p| view! { <p class="error" role="alert" data-testid="record-problem">{p}</p> })}
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match records.await {
                    Ok(None) => ().into_any(),
                    Ok(Some(p)) if p.rows.is_empty() => view! { <p class="empty-state" data-testid="records-empty">{move || i18n.t("bill.no_records")}</p> }.into_any(),
                    Ok(Some(p)) => {
                        let f = query();
                        let pages = p.total.div_ceil(u64::from(FEE_PAGE)).max(1);
                        let sum: rust_decimal::Decimal = p.rows.iter().map(|r| r.amount).sum();
                        view! {
                            <table data-testid="records-table">
                                <thead><tr>
                                    <th scope="col">{move || i18n.t("usage.day")}</th>
                                    <th scope="col">{move || i18n.t("bill.service")}</th>
                                    <th scope="col" class="num">{move || i18n.t("bill.official")}</th>
                                    <th scope="col" class="num">{move || i18n.t("bill.discount")}</th>
                                    <th scope="col" class="num">{move || i18n.t("bill.consumed")}</th>
                                </tr></thead>
                                <tbody>{p.rows.into_iter().map(|r| view! { <tr data-testid="record-row">
                                    <td>{r.day.clone()}</td>
                                    <td>{r.service.clone()}</td>
                                    <td class="num"><Money amount=r.official/></td>
                                    <td class="num"><Money amount=r.discount/></td>
                                    <td class="num"><Money amount=r.amount/></td>
                                </tr> }).collect_view()}</tbody>
                                <tfoot><tr>
                                    <th scope="row" colspan="4">{move || i18n.t("usage.page_total")}</th>
                                    <td class="num" data-testid="records-sum"><Money amount=sum/></td>
                                </tr></tfoot>
                            </table>
                            <Pager page=f.page pages href=move |n| q.with_untracked(|m| page_href(&format!("/finance/resources/{}", id()), m, n))/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
