//! Cost analysis: costs month by month grouped by service, resource type, charge mode, region or
//! resource (as charged or amortised), and one month's amortised breakdown per charge.

use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};
use model::costs::{BREAKDOWN_PAGE, BreakdownQuery, COST_PAGE, CostDimension, CostQuery};

use crate::api::finance::{cost_analysis, monthly_breakdown};
use crate::components::fleet::ErrorNotice;
use crate::components::finance::{ChargeModeField, Loading, Money, Pager, charge_mode_key, cycle_options, cycles, page_href};
use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;

/// `/finance/costs`.
#[component]
pub fn CostsPage() -> impl IntoView {
    view! { <RequireArea area=Area::Finance><Costs/></RequireArea> }
}

fn dimension_key(d: CostDimension) -> &'static str {
    match d {
        CostDimension::Service => "bill.service",
        CostDimension::ResourceType => "cost.resource_type",
        CostDimension::ChargeMode => "bill.charge_mode",
        CostDimension::Region => "bill.region",
        CostDimension::Resource => "cost.resource",
    }
}

#[component]
fn Costs() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let query = move || {
        q.with(|m| {
            let recent = cycles(6);
            CostQuery {
                from: m.get("from").filter(|v| !v.is_empty()).unwrap_or_else(|| recent[5].clone()),
                to: m.get("to").filter(|v| !v.is_empty()).unwrap_or_else(|| recent[0].clone()),
                group: m.get("group").and_then(|g| CostDimension::from_slug(&g)).unwrap_or_default(),
                amortized: m.get("amortized").is_some_and(|v| v == "1"),
                net: m.get("net").is_some_and(|v| v == "1"),
                page: m.get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
            }
        })
    };
    // Checked in the browser first: a range over twelve months is explained without a request.
    let problem = move || query().validate().err().map(|e| e.sentence());
    let table = Resource::new(query, |q| async move {
        match q.validate() {
            Ok(()) => cost_analysis(q).await.map(Some),
            Err(_) => Ok(None),
        }
    });
    let start = query();
    view! {
        <h1>{move || i18n.t("nav.costs")}</h1>
        <Form method="GET" action="" attr:class="filters" attr:data-testid="cost-filters">
            <div class="grid">
                <label>{move || i18n.t("cost.from")}<select name="from" data-testid="cost-from">{cycle_options(start.from.clone())}</select></label>
                <label>{move || i18n.t("cost.to")}<select name="to" data-testid="cost-to">{cycle_options(start.to.clone())}</select></label>
                <label>{move || i18n.t("cost.group")}
                    <select name="group" data-testid="cost-group">
                        {CostDimension::ALL.into_iter().map(|d| view! { <option value=d.slug() selected=d == start.group>{move || i18n.t(dimension_key(d))}</option> }).collect_view()}
                    </select>
                </label>
                <label class="check"><input type="checkbox" name="amortized" value="1" checked=start.amortized/>{move || i18n.t("cost.amortized")}</label>
                <label class="check"><input type="checkbox" name="net" value="1" checked=start.net/>{move || i18n.t("cost.net")}</label>
            </div>
            <p class="muted">{move || i18n.t("cost.range_note")}</p>
            <button type="submit">{move || i18n.t("inv.apply")}</button>
            <A href="/finance/costs">{move || i18n.t("inv.clear")}</A>
        </Form>
        {move || problem().map(|p| view! { <p class="error" role="alert" data-testid="cost-problem">{p}</p> })}
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match table.await {
                    Ok(None) => ().into_any(),
                    Ok(Some(t)) if t.rows.is_empty() => view! { <p class="empty-state" data-testid="costs-empty">{move || i18n.t("cost.none")}</p> }.into_any(),
                    Ok(Some(t)) => {
                        let f = query();
                        let pages = t.total.div_ceil(u64::from(COST_PAGE)).max(1);
                        let (month_sums, sum) = t.column_sums();
                        let (all_months, all_total) = (t.all_months.clone(), t.all_total);
                        let group = f.group;
                        view! {
                            <section class="card">
                                <p>{t.total} " " {move || i18n.t("cost.groups")}</p>
                                <div class="table-scroll">
                                <table data-testid="cost-table">
                                    <thead><tr>
                                        <th scope="col">{move || i18n.t(dimension_key(group))}</th>
                                        {t.months.clone().into_iter().map(|m| view! { <th scope="col" class="num"><A href=format!("/finance/costs/{m}")>{m.clone()}</A></th> }).collect_view()}
                                        <th scope="col" class="num">{move || i18n.t("bill.total")}</th>
                                    </tr></thead>
                                    <tbody>{t.rows.into_iter().map(|r| {
                                        let label = match group {
                                            CostDimension::ChargeMode => { let mode = r.value.parse().unwrap_or(0); view! { {move || i18n.t(charge_mode_key(mode))} }.into_any() }
                                            _ => view! { {r.value.clone()} }.into_any(),
                                        };
                                        view! { <tr data-testid="cost-row">
                                            <th scope="row">{label}</th>
                                            {r.months.into_iter().map(|a| view! { <td class="num"><Money amount=a/></td> }).collect_view()}
                                            <td class="num"><strong><Money amount=r.total/></strong></td>
                                        </tr> }
                                    }).collect_view()}</tbody>
                                    <tfoot>
                                        <tr data-testid="cost-sum">
                                            <th scope="row">{move || i18n.t(if pages > 1 { "cost.page_total" } else { "bill.total" })}</th>
                                            {month_sums.into_iter().map(|a| view! { <td class="num"><Money amount=a/></td> }).collect_view()}
                                            <td class="num" data-testid="cost-sum-total"><strong><Money amount=sum/></strong></td>
                                        </tr>
                                        // With several pages, the total over every group too (the page's rows add up to the row above).
                                        {(pages > 1).then(|| view! { <tr data-testid="cost-all">
                                            <th scope="row">{move || i18n.t("cost.all_total")}</th>
                                            {all_months.into_iter().map(|a| view! { <td class="num"><Money amount=a/></td> }).collect_view()}
                                            <td class="num"><strong><Money amount=all_total/></strong></td>
                                        </tr> })}
                                    </tfoot>
                                </table>
                                </div>
                                <Pager page=f.page pages href=move |p| q.with_untracked(|m| page_href("/finance/costs", m, p))/>
                            </section>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/finance/costs/:month`: what was charged and how it is shared into that month.
#[component]
pub fn BreakdownPage() -> impl IntoView {
    view! { <RequireArea area=Area::Finance><Breakdown/></RequireArea> }
}

#[component]
fn Breakdown() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let q = use_query_map();
    let month = move || params.with(|p| p.get("month").unwrap_or_default());
    let query = move || {
        q.with(|m| {
            let text = |k: &str| m.get(k).filter(|v| !v.is_empty());
            BreakdownQuery {
                month: month(),
                service: text("service"),
                resource_id: text("resource_id"),
                charge_mode: text("charge_mode").and_then(|v| v.parse().ok()),
                page: text("page").and_then(|p| p.parse().ok()).unwrap_or(0),
            }
        })
    };
    let page = Resource::new(query, monthly_breakdown);
    let val = move |k: &str| q.with_untracked(|m| m.get(k).unwrap_or_default());
    view! {
        <h1>{move || i18n.t("cost.breakdown")} " " {month}</h1>
        <p><A href="/finance/costs">{move || i18n.t("nav.costs")}</A></p>
        <p class="muted">{move || i18n.t("cost.breakdown_note")}</p>
        <Form method="GET" action="" attr:class="filters">
            <div class="grid">
                <label>{move || i18n.t("bill.service")}<input name="service" value=val("service") placeholder="hws.service.type.ec2"/></label>
                <label>{move || i18n.t("cost.resource")}<input name="resource_id" value=val("resource_id")/></label>
                <ChargeModeField selected=val("charge_mode")/>
            </div>
            <button type="submit">{move || i18n.t("inv.apply")}</button>
        </Form>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) if p.rows.is_empty() => view! { <p class="empty-state" data-testid="breakdown-empty">{move || i18n.t("cost.none")}</p> }.into_any(),
                    Ok(p) => {
                        let f = query();
                        let pages = p.total.div_ceil(u64::from(BREAKDOWN_PAGE)).max(1);
                        view! {
                            <p>{p.total} " " {move || i18n.t("bill.records")}</p>
                            <div class="table-scroll">
                            <table data-testid="breakdown-table">
                                <thead><tr>
                                    <th scope="col">{move || i18n.t("bill.service")}</th>
                                    <th scope="col">{move || i18n.t("cost.resource")}</th>
                                    <th scope="col">{move || i18n.t("bill.charge_mode")}</th>
                                    <th scope="col">{move || i18n.t("bill.cycle")}</th>
                                    <th scope="col" class="num">{move || i18n.t("bill.consumed")}</th>
                                    <th scope="col" class="num">{move || i18n.t("cost.past")}</th>
                                    <th scope="col" class="num">{move || i18n.t("cost.current")}</th>
                                    <th scope="col" class="num">{move || i18n.t("cost.future")}</th>
                                    <th scope="col">{move || i18n.t("order.id")}</th>
                                </tr></thead>
                                <tbody>{p.rows.into_iter().map(|r| {
                                    let mode = r.charge_mode;
                                    view! { <tr data-testid="breakdown-row">
                                        <td>{r.service.clone()}<br/><span class="muted">{r.resource_type.clone()}</span></td>
                                        <td><code>{r.resource_id.clone()}</code></td>
                                        <td>{move || i18n.t(charge_mode_key(mode))}</td>
                                        <td>{r.cycle.clone()}</td>
                                        <td class="num"><Money amount=r.consumed/></td>
                                        <td class="num"><Money amount=r.past/></td>
                                        <td class="num"><Money amount=r.current/></td>
                                        <td class="num"><Money amount=r.future/></td>
                                        <td><code>{r.order_id.clone()}</code></td>
                                    </tr> }
                                }).collect_view()}</tbody>
                            </table>
                            </div>
                            <Pager page=f.page pages href=move |n| q.with_untracked(|m| page_href(&format!("/finance/costs/{}", month()), m, n))/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
