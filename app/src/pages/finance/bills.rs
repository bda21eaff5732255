//! Bills: a cycle's statement by service and charge mode with its fee records (filtered, paged,
//! exportable as CSV), and the statement laid out for print.

use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};
use model::finance::{FEE_PAGE, FeeQuery, Statement};

use crate::api::finance::{fee_records, read_statement};
use crate::components::fleet::ErrorNotice;
use crate::components::finance::{BssTime, ChargeModeField, Loading, Money, Pager, charge_mode_key, cycle_options, cycles, encode};
use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;
use crate::pages::fleet::export::ExportButton;

/// Huawei's Billing Center, where official tax invoices (fapiao) are issued (it has no API).
pub const BILLING_CENTER_INVOICES: &str = "https://account.huaweicloud.com/usercenter/#/userindex/invoiceManagement";

/// `/finance/bills`.
#[component]
pub fn BillsPage() -> impl IntoView {
    view! { <RequireArea area=Area::Finance><Bills/></RequireArea> }
}

#[component]
fn Bills() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let query = move || {
        q.with(|m| {
            let num = |k: &str| m.get(k).and_then(|v| v.parse::<i64>().ok());
            FeeQuery {
                cycle: m.get("cycle").filter(|c| !c.is_empty()).unwrap_or_else(|| cycles(1).remove(0)),
                service: m.get("service").filter(|s| !s.is_empty()),
                region: m.get("region").filter(|s| !s.is_empty()),
                charge_mode: num("charge_mode"),
                bill_type: num("bill_type"),
                page: m.get("page").and_then(|p| p.parse().ok()).unwrap_or(0),
            }
        })
    };
    let statement = Resource::new(move || query().cycle, read_statement);
    let fees = Resource::new(query, fee_records);
    let val = move |k: &str| q.with_untracked(|m| m.get(k).unwrap_or_default());
    let current = query().cycle;
    let csv_query = move || {
        let f = query();
        let mut pairs = vec![("cycle".to_owned(), f.cycle)];
        for (k, v) in [("service", f.service), ("region", f.region), ("charge_mode", f.charge_mode.map(|m| m.to_string())), ("bill_type", f.bill_type.map(|b| b.to_string()))] {
            if let Some(v) = v {
                pairs.push((k.to_owned(), v));
            }
        }
        format!("?{}", encode(&pairs))
    };
    view! {
        <h1>{move || i18n.t("nav.bills")}</h1>
        <Form method="GET" action="" attr:class="filters" attr:data-testid="bill-filters">
            <div class="grid">
                <label>{move || i18n.t("bill.cycle")}
                    <select name="cycle" data-testid="bill-cycle">
                        {cycle_options(current)}
                    </select>
                </label>
                <label>{move || i18n.t("bill.service")}<input name="service" value=val("service") placeholder="hws.service.type.ec2"/></label>
                <label>{move || i18n.t("bill.region")}<input name="region" value=val("region") placeholder="cn-north-4"/></label>
                <ChargeModeField selected=val("charge_mode")/>
                <label>{move || i18n.t("bill.bill_type")}<input name="bill_type" type="number" min="1" max="100" value=val("bill_type")/></label>
            </div>
            <button type="submit">{move || i18n.t("inv.apply")}</button>
            <A href="/finance/bills">{move || i18n.t("inv.clear")}</A>
        </Form>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match statement.await {
                    Ok(s) => view! { <StatementSummary s/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
        <section class="card">
            <h2>{move || i18n.t("bill.fee_records")}</h2>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match fees.await {
                        Ok(page) if page.rows.is_empty() => view! { <p class="empty-state" data-testid="fees-empty">{move || i18n.t("bill.no_records")}</p> }.into_any(),
                        Ok(page) => {
                            let f = query();
                            let pages = page.total.div_ceil(u64::from(FEE_PAGE)).max(1);
                            let href = move |p: u32| format!("/finance/bills{}&page={p}", csv_query());
                            view! {
                                <div class="toolbar">
                                    <span>{page.total} " " {move || i18n.t("bill.records")}</span>
                                    <ExportButton href=format!("/finance/fees.csv{}", csv_query()) count=page.total/>
                                </div>
                                <table data-testid="fees-table">
                                    <thead><tr>
                                        <th scope="col">{move || i18n.t("bill.time")}</th>
                                        <th scope="col">{move || i18n.t("bill.service")}</th>
                                        <th scope="col">{move || i18n.t("bill.charge_mode")}</th>
                                        <th scope="col">{move || i18n.t("bill.bill_type")}</th>
                                        <th scope="col" class="num">{move || i18n.t("bill.official")}</th>
                                        <th scope="col" class="num">{move || i18n.t("bill.discount")}</th>
                                        <th scope="col" class="num">{move || i18n.t("bill.consumed")}</th>
                                        <th scope="col">{move || i18n.t("bill.trade")}</th>
                                    </tr></thead>
                                    <tbody>{page.rows.into_iter().map(|r| view! { <tr>
                                        <td><BssTime raw=r.trade_time.clone()/></td>
                                        <td>{r.service.clone()}</td>
                                        <td>{move || i18n.t(charge_mode_key(r.charge_mode))}</td>
                                        <td>{r.bill_type}</td>
                                        <td class="num"><Money amount=r.official/></td>
                                        <td class="num"><Money amount=r.discount/></td>
                                        <td class="num"><Money amount=r.consumed/></td>
                                        <td><code>{r.trade_id.clone()}</code></td>
                                    </tr> }).collect_view()}</tbody>
                                </table>
                                <Pager page=f.page pages href/>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn StatementSummary(s: Statement) -> impl IntoView {
    let i18n = use_i18n();
    let cycle = s.cycle.clone();
    view! {
        <section class="card" data-testid="statement-summary">
            <h2>{move || i18n.t("bill.statement")} " " {s.cycle.clone()}</h2>
            <div class="toolbar">
                <A href=format!("/finance/bills/{cycle}/statement") attr:data-testid="statement-print">{move || i18n.t("bill.print")}</A>
                <a class="button" href=format!("/finance/statement.csv?cycle={cycle}") download="" data-testid="statement-csv">{move || i18n.t("bill.csv")}</a>
                <a class="button" href=format!("/finance/statement.pdf?cycle={cycle}") download="" data-testid="statement-pdf">{move || i18n.t("bill.pdf")}</a>
                <a href=BILLING_CENTER_INVOICES target="_blank" rel="noopener">{move || i18n.t("bill.fapiao")}</a>
            </div>
            <StatementTable s/>
        </section>
    }
}

/// The statement's lines and totals.
#[component]
fn StatementTable(s: Statement) -> impl IntoView {
    let i18n = use_i18n();
    if s.lines.is_empty() {
        return view! { <p class="muted" data-testid="statement-empty">{move || i18n.t("bill.no_spend")}</p> }.into_any();
    }
    let (official, discount) = (s.official(), s.discount());
    view! {
        <table class="statement" data-testid="statement-table">
            <thead><tr>
                <th scope="col">{move || i18n.t("bill.service")}</th>
                <th scope="col">{move || i18n.t("bill.charge_mode")}</th>
                <th scope="col" class="num">{move || i18n.t("bill.official")}</th>
                <th scope="col" class="num">{move || i18n.t("bill.discount")}</th>
                <th scope="col" class="num">{move || i18n.t("bill.consumed")}</th>
                <th scope="col" class="num">{move || i18n.t("bill.coupon")}</th>
                <th scope="col" class="num">{move || i18n.t("bill.cash")}</th>
                <th scope="col" class="num">{move || i18n.t("bill.credit")}</th>
            </tr></thead>
            <tbody>{s.lines.iter().map(|l| {
                let mode = l.charge_mode;
                view! { <tr>
                    <th scope="row">{l.service.clone()}</th>
                    <td>{move || i18n.t(charge_mode_key(mode))}</td>
                    <td class="num"><Money amount=l.official/></td>
                    <td class="num"><Money amount=l.discount/></td>
                    <td class="num"><Money amount=l.consumed/></td>
                    <td class="num"><Money amount=l.coupon/></td>
                    <td class="num"><Money amount=l.cash/></td>
                    <td class="num"><Money amount=l.credit/></td>
                </tr> }
            }).collect_view()}</tbody>
            <tfoot><tr data-testid="statement-total">
                <th scope="row" colspan="2">{move || i18n.t("bill.total")}</th>
                <td class="num"><Money amount=official/></td>
                <td class="num"><Money amount=discount/></td>
                <td class="num" data-testid="statement-consumed"><Money amount=s.consumed/></td>
                <td class="num"><Money amount=s.coupon/></td>
                <td class="num"><Money amount=s.cash/></td>
                <td class="num"><Money amount=s.credit/></td>
            </tr></tfoot>
        </table>
        {(s.debt > rust_decimal::Decimal::ZERO).then(|| view! { <p>{move || i18n.t("bill.due")} ": " <Money amount=s.debt/></p> })}
    }
    .into_any()
}

/// `/finance/bills/:cycle/statement`: the statement for print (A4).
#[component]
pub fn StatementPage() -> impl IntoView {
    view! { <RequireArea area=Area::Finance><PrintStatement/></RequireArea> }
}

#[component]
fn PrintStatement() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let statement = Resource::new(move || params.with(|p| p.get("cycle").unwrap_or_default()), read_statement);
    view! {
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match statement.await {
                    Ok(s) => {
                        let cycle = s.cycle.clone();
                        view! {
                            <article class="print-statement" data-testid="print-statement">
                                <header>
                                    <h1>{move || i18n.t("bill.statement")} " " {s.cycle.clone()}</h1>
                                    <p>{move || i18n.t("header.account")} ": " <strong>{s.account.clone()}</strong></p>
                                    <p class="muted">{move || i18n.t("bill.cycle_note")}</p>
                                </header>
                                <StatementTable s=s.clone()/>
                                <p class="amount-due">{move || i18n.t("bill.amount_due")} ": " <Money amount=s.debt/></p>
                                <p class="muted">{move || i18n.t("bill.fapiao_note")} " " <a href=BILLING_CENTER_INVOICES>{BILLING_CENTER_INVOICES}</a></p>
                                <div class="toolbar no-print">
                                    <button type="button" on:click=move |_| { let _ = window().print(); }>{move || i18n.t("bill.print_now")}</button>
                                    <a class="button" href=format!("/finance/statement.csv?cycle={cycle}") download="">{move || i18n.t("bill.csv")}</a>
                                    <a class="button" href=format!("/finance/statement.pdf?cycle={cycle}") download="">{move || i18n.t("bill.pdf")}</a>
                                    <A href=format!("/finance/bills?cycle={cycle}")>{move || i18n.t("common.back")}</A>
                                </div>
                            </article>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
