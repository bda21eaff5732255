//! Orders: filtered list; one order with its line items, paying it with the coupons and discount
//! it allows (before and after shown), cancelling it, and the refunds of an unsubscription.

use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_params_map, use_query_map};
use model::finance::{ORDER_PAGE, OrderDetail, OrderQuery, PayRequest};
use rust_decimal::Decimal;

use crate::api::finance::{CancelOrder, PayOrder, order, orders};
use crate::components::finance::{BssTime, FinanceAudit, Loading, Money, Pager, encode, filters, page_href};
use crate::components::fleet::{ConfirmDialog, ErrorNotice};
use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;
use crate::pages::fleet::export::ExportButton;

/// `/finance/orders`.
#[component]
pub fn OrdersPage() -> impl IntoView {
    view! { <RequireArea area=Area::Finance><Orders/></RequireArea> }
}

const STATUSES: [i64; 7] = [6, 5, 4, 3, 2, 1, 9];
const KINDS: [i64; 5] = [1, 2, 3, 4, 10];

use model::finance::{order_kind_key as kind_key, order_status_key as status_key};

#[component]
fn Orders() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let query = move || {
        q.with(|m| {
            let text = |k: &str| m.get(k).filter(|v| !v.is_empty());
            OrderQuery {
                status: text("status").and_then(|s| s.parse().ok()),
                kind: text("kind"),
                service: text("service"),
                created_from: text("created_from"),
                created_to: text("created_to"),
                paid_from: text("paid_from"),
                paid_to: text("paid_to"),
                page: text("page").and_then(|p| p.parse().ok()).unwrap_or(0),
            }
        })
    };
    // Checked in the browser first, so a range over a year is explained without a request.
    let problem = move || query().validate().err().map(|e| e.sentence());
    let list = Resource::new(query, orders);
    let val = move |k: &str| q.with_untracked(|m| m.get(k).unwrap_or_default());
    view! {
        <h1>{move || i18n.t("nav.orders")}</h1>
        <Form method="GET" action="" attr:class="filters" attr:data-testid="order-filters">
            <div class="grid">
                <label>{move || i18n.t("order.status")}
                    <select name="status" data-testid="order-status">
                        <option value="">{move || i18n.t("common.any")}</option>
                        {STATUSES.into_iter().map(|s| view! { <option value=s.to_string() selected=val("status") == s.to_string()>{move || i18n.t(status_key(s))}</option> }).collect_view()}
                    </select>
                </label>
                <label>{move || i18n.t("order.kind")}
                    <select name="kind">
                        <option value="">{move || i18n.t("common.any")}</option>
                        {KINDS.into_iter().map(|k| view! { <option value=k.to_string() selected=val("kind") == k.to_string()>{move || i18n.t(kind_key(k))}</option> }).collect_view()}
                    </select>
                </label>
                <label>{move || i18n.t("bill.service")}<input name="service" value=val("service")/></label>
                <fieldset><legend>{move || i18n.t("order.created")}</legend>
                    <input type="date" name="created_from" value=val("created_from") aria-label="from" data-testid="created-from"/>
                    <input type="date" name="created_to" value=val("created_to") aria-label="to" data-testid="created-to"/>
                </fieldset>
                <fieldset><legend>{move || i18n.t("order.paid")}</legend>
                    <input type="date" name="paid_from" value=val("paid_from") aria-label="from"/>
                    <input type="date" name="paid_to" value=val("paid_to") aria-label="to"/>
                </fieldset>
            </div>
            <p class="muted">{move || i18n.t("order.range_note")}</p>
            <button type="submit">{move || i18n.t("inv.apply")}</button>
            <A href="/finance/orders">{move || i18n.t("inv.clear")}</A>
        </Form>
        {move || problem().map(|p| view! { <p class="error" role="alert" data-testid="order-filter-problem">{p}</p> })}
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(page) if page.rows.is_empty() => view! { <p class="empty-state" data-testid="orders-empty">{move || i18n.t("order.none")}</p> }.into_any(),
                    Ok(page) => {
                        let f = query();
                        let pages = page.total.div_ceil(u64::from(ORDER_PAGE)).max(1);
                        let href = move |p: u32| q.with_untracked(|m| page_href("/finance/orders", m, p));
                        let csv = q.with_untracked(|m| format!("/finance/orders.csv?{}", encode(&filters(m))));
                        view! {
                            <div class="toolbar">
                                <span data-testid="orders-total">{page.total} " " {move || i18n.t("order.count")}</span>
                                <ExportButton href=csv count=page.total/>
                            </div>
                            <table data-testid="orders-table">
                                <thead><tr>
                                    <th scope="col">{move || i18n.t("order.id")}</th>
                                    <th scope="col">{move || i18n.t("order.kind")}</th>
                                    <th scope="col">{move || i18n.t("bill.service")}</th>
                                    <th scope="col">{move || i18n.t("order.status")}</th>
                                    <th scope="col" class="num">{move || i18n.t("order.amount")}</th>
                                    <th scope="col">{move || i18n.t("order.created")}</th>
                                    <th scope="col">{move || i18n.t("order.paid")}</th>
                                </tr></thead>
                                <tbody>{page.rows.into_iter().map(|o| {
                                    let (sk, kk) = (o.status_key(), o.kind_key());
                                    view! { <tr data-testid="order-row">
                                        <th scope="row"><A href=format!("/finance/orders/{}", o.id)>{o.id.clone()}</A></th>
                                        <td>{move || i18n.t(kk)}</td>
                                        <td>{o.service.clone()}</td>
                                        <td class=format!("order-status-{}", o.status)>{move || i18n.t(sk)}</td>
                                        <td class="num"><Money amount=o.amount/></td>
                                        <td><BssTime raw=o.created.clone()/></td>
                                        <td>{o.paid.clone().map(|p| view! { <BssTime raw=p/> })}</td>
                                    </tr> }
                                }).collect_view()}</tbody>
                            </table>
                            <Pager page=f.page pages href/>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/finance/orders/:id`.
#[component]
pub fn OrderPage() -> impl IntoView {
    view! { <RequireArea area=Area::Finance><Order/></RequireArea> }
}

#[component]
fn Order() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let version = RwSignal::new(0u32);
    let detail = Resource::new(move || (params.with(|p| p.get("id").unwrap_or_default()), version.get()), |(id, _)| order(id));
    view! {
        <p><A href="/finance/orders">{move || i18n.t("nav.orders")}</A></p>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <OrderView d version/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Transition>
        <FinanceAudit version/>
    }
}

#[component]
fn OrderView(d: OrderDetail, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let o = d.order.clone();
    let (sk, kk) = (o.status_key(), o.kind_key());
    view! {
        <h1>{move || i18n.t("order.one")} " " <code data-testid="order-id">{o.id.clone()}</code></h1>
        <dl class="figures">
            <dt>{move || i18n.t("order.kind")}</dt><dd>{move || i18n.t(kk)}</dd>
            <dt>{move || i18n.t("order.status")}</dt><dd data-testid="order-status-text">{move || i18n.t(sk)}</dd>
            <dt>{move || i18n.t("bill.official")}</dt><dd><Money amount=o.official/></dd>
            <dt>{move || i18n.t("order.amount")}</dt><dd><Money amount=o.amount/></dd>
            <dt>{move || i18n.t("order.created")}</dt><dd><BssTime raw=o.created.clone()/></dd>
            {o.paid.clone().map(|p| view! { <dt>{move || i18n.t("order.paid")}</dt><dd><BssTime raw=p/></dd> })}
        </dl>
        <section class="card">
            <h2>{move || i18n.t("order.lines")}</h2>
            <table><tbody>{d.lines.iter().map(|l| view! { <tr>
                <td>{l.service.clone()}</td><td>{l.description.clone()}</td>
                <td>{l.period_num.map(|n| format!("{n} × {}", if l.period_type == Some(3) { "Y" } else { "M" }))}</td>
                <td class="num"><Money amount=l.official/></td><td class="num"><Money amount=l.amount/></td>
            </tr> }).collect_view()}</tbody></table>
        </section>
        {(!d.refunds.is_empty()).then(|| view! {
            <section class="card" data-testid="refunds">
                <h2>{move || i18n.t("order.refunds")}</h2>
                <table><tbody>{d.refunds.clone().into_iter().map(|r| view! { <tr>
                    <td>{r.service.clone()}</td><td>{r.kind.clone()}</td><td class="num"><Money amount=r.amount/></td>
                    <td><A href=format!("/finance/orders/{}", r.base_order)>{r.base_order.clone()}</A></td>
                </tr> }).collect_view()}</tbody></table>
            </section>
        })}
        {o.is_pending().then(|| view! { <PayForm d=d.clone() version/> })}
    }
}

/// Paying (with the coupons and discount the order allows) or cancelling a pending order.
#[component]
fn PayForm(d: OrderDetail, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let order_id = d.order.id.clone();
    let amount = d.order.amount;
    let chosen = RwSignal::new(Vec::<String>::new());
    let discount = RwSignal::new(None::<String>);
    let coupons = d.coupons.clone();
    let coupon_total = move || -> Decimal { chosen.with(|c| coupons.iter().filter(|x| c.contains(&x.id)).map(|x| x.balance).sum()) };
    let after = move || (amount - coupon_total()).max(Decimal::ZERO);
    let pay = ServerAction::<PayOrder>::new();
    let cancel = ServerAction::<CancelOrder>::new();
    let confirming = RwSignal::new(None::<&'static str>);
    Effect::new(move |_| {
        if matches!(pay.value().get(), Some(Ok(_))) || matches!(cancel.value().get(), Some(Ok(()))) {
            confirming.set(None);
            version.update(|v| *v += 1);
        }
    });
    let busy = Signal::derive(move || pay.pending().get() || cancel.pending().get());
    let id_pay = order_id.clone();
    let on_confirm = Callback::new(move |()| match confirming.get_untracked() {
        Some("pay") => {
            pay.dispatch(PayOrder { request: PayRequest { order_id: id_pay.clone(), coupon_ids: chosen.get_untracked(), discount_id: discount.get_untracked() } });
        }
        Some(_) => {
            cancel.dispatch(CancelOrder { order_id: id_pay.clone() });
        }
        None => {}
    });
    let problem = move || {
        pay.value().get().and_then(Result::err).or_else(|| cancel.value().get().and_then(Result::err)).map(|e| e.message)
    };
    view! {
        <section class="card" data-testid="pay-form">
            <h2>{move || i18n.t("order.pay")}</h2>
            {if d.coupons.is_empty() {
                view! { <p class="muted">{move || i18n.t("order.no_coupons")}</p> }.into_any()
            } else {
                view! { <fieldset><legend>{move || i18n.t("fin.coupons")}</legend>
                    {d.coupons.iter().map(|c| {
                        let id = c.id.clone();
                        let id2 = c.id.clone();
                        view! { <label class="check">
                            <input type="checkbox" data-testid="pay-coupon"
                                prop:checked=move || chosen.with(|v| v.contains(&id))
                                on:change=move |ev| { let on = event_target_checked(&ev); chosen.update(|v| { v.retain(|x| x != &id2); if on { v.push(id2.clone()); } }); }/>
                            {c.name.clone()} " · " <Money amount=c.balance/>
                        </label> }
                    }).collect_view()}
                </fieldset> }.into_any()
            }}
            {(!d.discounts.is_empty()).then(|| view! {
                <label>{move || i18n.t("order.discount")}
                    <select on:change=move |ev| { let v = event_target_value(&ev); discount.set((!v.is_empty()).then_some(v)); }>
                        <option value="">{move || i18n.t("order.no_discount")}</option>
                        {d.discounts.iter().map(|x| view! { <option value=x.id.clone()>{x.id.clone()} " (" {x.value.to_string()} ")"</option> }).collect_view()}
                    </select>
                </label>
            })}
            <p>{move || i18n.t("order.before")} ": " <Money amount=amount/> " → " {move || i18n.t("order.after")} ": "
                <strong data-testid="pay-after">{move || view! { <Money amount=after()/> }}</strong>
                {move || discount.get().map(|_| view! { <small class="muted">" " {move || i18n.t("order.discount_by_bss")}</small> })}</p>
            <div class="buttons">
                <button type="button" class="primary" data-testid="pay" on:click=move |_| confirming.set(Some("pay"))>{move || i18n.t("order.pay")}</button>
                <button type="button" data-testid="cancel-order" on:click=move |_| confirming.set(Some("cancel"))>{move || i18n.t("order.cancel")}</button>
            </div>
            {move || problem().map(|p| view! { <p class="error" role="alert" data-testid="pay-problem">{p}</p> })}
            {move || pay.value().get().and_then(Result::ok).map(|d| view! { <p class="notice" role="status" data-testid="pay-done">{move || i18n.t(if d.repeated { "order.paid_already" } else { "order.paid_now" })}</p> })}
        </section>
        {move || confirming.get().map(|what| {
            let (title, body, danger) = if what == "pay" { ("order.confirm_pay", "order.confirm_pay_body", false) } else { ("order.confirm_cancel", "order.confirm_cancel_body", true) };
            view! { <ConfirmDialog title=Signal::derive(move || i18n.t(title).to_owned()) body=Signal::derive(move || i18n.t(body).to_owned()) danger busy
                on_confirm on_cancel=Callback::new(move |()| confirming.set(None))/> }
        })}
    }
}
