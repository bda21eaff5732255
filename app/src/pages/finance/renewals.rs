//! Renewals: yearly/monthly resources with their expiry, status, auto-renew and master/slave
//! relations; select many, get BSS's quote, renew; change what happens at expiry; unsubscribe
//! (after seeing what is known of the refund); and the 90-day renewal calendar.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::use_query_map;
use model::finance::{ExpiryChange, Quote, Subscription, SubscriptionQuery, UnsubscribeKind, UnsubscribeRequest};
use model::renewal::{RenewalPeriod, RenewalRequest};

use crate::api::finance::{ChangeExpiry, RenewResources, Unsubscribe, quote_renewal, renewal_calendar, subscriptions};
use crate::components::finance::{BssDate, FinanceAudit, Loading, Money, days_left};
use crate::components::fleet::{ConfirmDialog, ErrorNotice};
use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;

/// `/finance/renewals`.
#[component]
pub fn RenewalsPage() -> impl IntoView {
    view! { <RequireArea area=Area::Finance><Renewals/></RequireArea> }
}

#[component]
fn Renewals() -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let query = move || {
        q.with(|m| SubscriptionQuery {
            expiring_within: m.get("days").and_then(|d| d.parse().ok()),
            service: m.get("service").filter(|s| !s.is_empty()),
        })
    };
    let version = RwSignal::new(0u32);
    let list = Resource::new(move || (query(), version.get()), |(q, _)| subscriptions(q));
    let days = q.with_untracked(|m| m.get("days").unwrap_or_default());
    // The actions outlive the list they re-read, so their outcome stays on the page.
    let actions = Actions { renew: ServerAction::new(), expiry: ServerAction::new(), unsubscribe: ServerAction::new() };
    Effect::new(move |_| {
        let done = matches!(actions.renew.value().get(), Some(Ok(_)))
            || matches!(actions.expiry.value().get(), Some(Ok(())))
            || matches!(actions.unsubscribe.value().get(), Some(Ok(_)));
        if done {
            version.update(|v| *v += 1);
        }
    });
    view! {
        <h1>{move || i18n.t("nav.renewals")}</h1>
        <Form method="GET" action="" attr:class="filters">
            <div class="grid">
                <label>{move || i18n.t("res.expiring_within")}
                    <select name="days" data-testid="renewal-days">
                        <option value="">{move || i18n.t("common.any")}</option>
                        {[7u32, 30, 90, 180].into_iter().map(|d| view! { <option value=d.to_string() selected=days == d.to_string()>{d} " " {move || i18n.t("res.days")}</option> }).collect_view()}
                    </select>
                </label>
                <label>{move || i18n.t("bill.service")}<input name="service" value=q.with_untracked(|m| m.get("service").unwrap_or_default())/></label>
            </div>
            <button type="submit" data-testid="renewal-filter">{move || i18n.t("inv.apply")}</button>
            <A href="/finance/renewals/calendar">{move || i18n.t("res.calendar")}</A>
        </Form>
        <Transition fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(all) if all.is_empty() => view! { <p class="empty-state" data-testid="resources-empty">{move || i18n.t("res.none")}</p> }.into_any(),
                    Ok(all) => view! { <Resources all actions/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Transition>
        <Outcomes actions/>
        <FinanceAudit version/>
    }
}

/// The page's changes, shared by the list (which starts them) and the notices (which report them).
#[derive(Clone, Copy)]
struct Actions {
    renew: ServerAction<RenewResources>,
    expiry: ServerAction<ChangeExpiry>,
    unsubscribe: ServerAction<Unsubscribe>,
}

/// What the last change did, or why it failed.
#[component]
fn Outcomes(actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let Actions { renew, expiry, unsubscribe } = actions;
    let problem = move || {
        renew.value().get().and_then(Result::err)
            .or_else(|| expiry.value().get().and_then(Result::err))
            .or_else(|| unsubscribe.value().get().and_then(Result::err))
            .map(|e| e.message)
    };
    view! {
        <div aria-live="polite">
            {move || renew.value().get().and_then(Result::ok).map(|d| {
                let key = if d.repeated { "res.renewed_already" } else { "res.renewed" };
                view! {
                    <p class="notice" role="status" data-testid="renew-done">
                        {move || i18n.t(key)} " "
                        {d.order_ids.into_iter().map(|o| view! { <A href=format!("/finance/orders/{o}") attr:data-testid="renew-order">{o.clone()}</A> " " }).collect_view()}
                        {d.refused.into_iter().map(|r| view! { <span class="error">{r.resource_id} ": " {r.message}</span> }).collect_view()}
                    </p>
                }
            })}
            {move || unsubscribe.value().get().and_then(Result::ok).map(|d| view! {
                <p class="notice" role="status" data-testid="unsubscribe-done">{move || i18n.t("res.unsubscribed")} " "
                    {d.order_ids.into_iter().map(|o| view! { <A href=format!("/finance/orders/{o}")>{o.clone()}</A> " " }).collect_view()}</p>
            })}
            {move || problem().map(|p| view! { <p class="error" role="alert" data-testid="renewals-problem">{p}</p> })}
        </div>
    }
}

/// A pending confirmation on this page.
#[derive(Debug, Clone, PartialEq)]
enum Pending {
    Renew,
    Expiry(String, ExpiryChange),
    Unsubscribe(Subscription),
}

#[component]
fn Resources(all: Vec<Subscription>, actions: Actions) -> impl IntoView {
    let i18n = use_i18n();
    let mut slaves: BTreeMap<String, Vec<Subscription>> = BTreeMap::new();
    for s in all.iter().filter(|s| s.master.is_some()) {
        slaves.entry(s.master.clone().unwrap_or_default()).or_default().push(s.clone());
    }
    let masters: Vec<Subscription> = all.into_iter().filter(|s| s.master.is_none()).collect();
    let expiries: BTreeMap<String, String> = masters.iter().map(|m| (m.id.clone(), m.expires.clone())).collect();
    let selected = RwSignal::new(Vec::<String>::new());
    let months = RwSignal::new(1u8);
    let years = RwSignal::new(false);
    let auto_pay = RwSignal::new(true);
    let period = move || if years.get() { RenewalPeriod::Years(months.get()) } else { RenewalPeriod::Months(months.get()) };
    let quoted = RwSignal::new(None::<Result<Quote, String>>);
    let quoting = RwSignal::new(false);
    let pending = RwSignal::new(None::<Pending>);
    let Actions { renew, expiry, unsubscribe } = actions;
    // Any change of selection or period invalidates the quote shown.
    Effect::new(move |_| {
        selected.track();
        months.track();
        years.track();
        quoted.set(None);
    });
    let get_quote = move |_| {
        let ids = selected.get_untracked();
        let p = period();
        if let Err(e) = p.to_bss() {
            quoted.set(Some(Err(e.sentence())));
            return;
        }
        quoting.set(true);
        leptos::task::spawn_local(async move {
            let r = quote_renewal(ids, p).await.map_err(|e| e.message);
            quoting.set(false);
            quoted.set(Some(r));
        });
    };
    // A failed change keeps the dialog closed too: its reason shows under the list.
    Effect::new(move |prev: Option<bool>| {
        let running = busy_now(&actions);
        if prev == Some(true) && !running {
            pending.set(None);
        }
        running
    });
    let busy = Signal::derive(move || renew.pending().get() || expiry.pending().get() || unsubscribe.pending().get());
    let on_confirm = {
        let expiries = expiries.clone();
        Callback::new(move |()| match pending.get_untracked() {
            Some(Pending::Renew) => {
                let ids = selected.get_untracked();
                let expected_expiries = ids.iter().filter_map(|id| expiries.get(id).map(|e| (id.clone(), e.clone()))).collect();
                renew.dispatch(RenewResources { request: RenewalRequest { resource_ids: ids, period: period(), auto_pay: auto_pay.get_untracked(), expected_expiries } });
            }
            Some(Pending::Expiry(id, change)) => {
                expiry.dispatch(ChangeExpiry { resource_id: id, change });
            }
            Some(Pending::Unsubscribe(r)) => {
                unsubscribe.dispatch(Unsubscribe { request: UnsubscribeRequest { resource_ids: vec![r.id], kind: UnsubscribeKind::Whole } });
            }
            None => {}
        })
    };
    let dialog_text = move |p: &Pending| -> (String, String, bool) {
        match p {
            Pending::Renew => {
                let total = quoted.with_untracked(|q| q.as_ref().and_then(|q| q.as_ref().ok()).map(|q| model::money::format_cny(q.amount))).unwrap_or_default();
                (i18n.now("res.confirm_renew").to_owned(), format!("{} {} · {total}", selected.with_untracked(Vec::len), i18n.now("res.resources")), false)
            }
            Pending::Expiry(id, change) => {
                let key = match change {
                    ExpiryChange::AutoRenewOn => "res.auto_renew_on",
                    ExpiryChange::AutoRenewOff => "res.auto_renew_off",
                    ExpiryChange::ToPayPerUse => "res.to_pay_per_use",
                };
                (i18n.now(key).to_owned(), id.clone(), false)
            }
            Pending::Unsubscribe(r) => {
                let left = days_left(&r.expires).unwrap_or(0).max(0);
                (i18n.now("res.confirm_unsubscribe").to_owned(), format!("{} ({}) · {left} {} · {}", r.name, r.id, i18n.now("res.days_left"), i18n.now("res.refund_note")), true)
            }
        }
    };
    view! {
        <table data-testid="resources-table">
            <thead><tr>
                <th scope="col"><span class="sr-only">{move || i18n.t("res.select")}</span></th>
                <th scope="col">{move || i18n.t("res.name")}</th>
                <th scope="col">{move || i18n.t("bill.service")}</th>
                <th scope="col">{move || i18n.t("res.status")}</th>
                <th scope="col">{move || i18n.t("res.expires")}</th>
                <th scope="col">{move || i18n.t("res.at_expiry")}</th>
                <th scope="col">{move || i18n.t("res.actions")}</th>
            </tr></thead>
            <tbody>{masters.into_iter().map(|m| {
                let id = m.id.clone();
                let (id_sel, id_chk) = (id.clone(), id.clone());
                let left = days_left(&m.expires);
                let auto = m.auto_renews();
                let sk = m.status_key();
                let (id_on, id_ppu, m_unsub) = (id.clone(), id.clone(), m.clone());
                let kids = slaves.get(&m.id).cloned().unwrap_or_default();
                view! {
                    <tr data-testid="resource-row" data-id=id.clone()>
                        <td><input type="checkbox" data-testid="select-resource" aria-label=m.name.clone()
                            prop:checked=move || selected.with(|v| v.contains(&id_chk))
                            on:change=move |ev| { let on = event_target_checked(&ev); selected.update(|v| { v.retain(|x| x != &id_sel); if on { v.push(id_sel.clone()); } }); }/></td>
                        <th scope="row">{m.name.clone()} <br/><small class="muted"><code>{m.id.clone()}</code></small></th>
                        <td>{m.service.clone()}</td>
                        <td>{move || i18n.t(sk)}</td>
                        <td><BssDate raw=m.expires.clone()/> {left.map(|d| view! { <small class=if d <= 7 { "badge warn" } else { "muted" }>" " {d} " " {move || i18n.t("res.days")}</small> })}</td>
                        <td>{if auto { view! { <span class="badge ok" data-testid="auto-renew-badge">{move || i18n.t("res.auto_renew")}</span> }.into_any() } else {
                            let key = match m.expire_policy { 1 => "res.policy.pay_per_use", 2 => "res.policy.unsubscribe", _ => "res.policy.grace" };
                            view! { <span class="muted">{move || i18n.t(key)}</span> }.into_any() }}</td>
                        <td class="row-actions">
                            {if auto {
                                view! { <button type="button" data-testid="auto-renew-off" on:click=move |_| pending.set(Some(Pending::Expiry(id_on.clone(), ExpiryChange::AutoRenewOff)))>{move || i18n.t("res.auto_renew_off")}</button> }.into_any()
                            } else {
                                view! { <button type="button" data-testid="auto-renew-on" on:click=move |_| pending.set(Some(Pending::Expiry(id_on.clone(), ExpiryChange::AutoRenewOn)))>{move || i18n.t("res.auto_renew_on")}</button> }.into_any()
                            }}
                            <button type="button" on:click=move |_| pending.set(Some(Pending::Expiry(id_ppu.clone(), ExpiryChange::ToPayPerUse)))>{move || i18n.t("res.to_pay_per_use")}</button>
                            <button type="button" class="danger" data-testid="unsubscribe" on:click=move |_| pending.set(Some(Pending::Unsubscribe(m_unsub.clone())))>{move || i18n.t("res.unsubscribe")}</button>
                        </td>
                    </tr>
                    {kids.into_iter().map(|s| view! {
                        <tr class="slave" data-testid="slave-row">
                            <td></td>
                            <th scope="row">"↳ " {s.name.clone()} " " <small class="muted">{s.kind.clone()}</small></th>
                            <td>{s.service.clone()}</td><td></td>
                            <td><BssDate raw=s.expires.clone()/></td>
                            <td colspan="2"><small class="muted">{move || i18n.t("res.with_master")}</small></td>
                        </tr>
                    }).collect_view()}
                }
            }).collect_view()}</tbody>
        </table>
        <section class="card sticky" data-testid="renew-panel">
            <h2>{move || i18n.t("res.renew_selected")} " (" {move || selected.with(Vec::len)} ")"</h2>
            <div class="buttons">
                <label>{move || i18n.t("res.period")}
                    <input type="number" min="1" max="11" data-testid="renew-months" prop:value=move || months.get().to_string()
                        on:input=move |ev| months.set(event_target_value(&ev).parse().unwrap_or(0))/>
                </label>
                <label class="check"><input type="checkbox" prop:checked=years on:change=move |ev| years.set(event_target_checked(&ev))/>{move || i18n.t("res.years")}</label>
                <label class="check"><input type="checkbox" data-testid="renew-auto-pay" prop:checked=auto_pay on:change=move |ev| auto_pay.set(event_target_checked(&ev))/>{move || i18n.t("res.auto_pay")}</label>
                <button type="button" data-testid="quote" disabled=move || selected.with(Vec::is_empty) || quoting.get() on:click=get_quote>
                    {move || if quoting.get() { i18n.t("common.working") } else { i18n.t("res.quote") }}
                </button>
            </div>
            {move || quoted.get().map(|q| match q {
                Ok(q) => view! {
                    <div data-testid="quote-result">
                        <table><tbody>{q.lines.iter().map(|(id, a)| view! { <tr><td><code>{id.clone()}</code></td><td class="num"><Money amount=*a/></td></tr> }).collect_view()}</tbody></table>
                        {q.refused.iter().map(|(id, why)| view! { <p class="error" data-testid="quote-refused">{id.clone()} ": " {why.clone()}</p> }).collect_view()}
                        <p>{move || i18n.t("bill.official")} ": " <Money amount=q.official/> " · " {move || i18n.t("res.to_pay")} ": "
                            <strong data-testid="quote-total"><Money amount=q.amount/></strong></p>
                        <button type="button" class="primary" data-testid="renew" on:click=move |_| pending.set(Some(Pending::Renew))>{move || i18n.t("res.renew")}</button>
                    </div>
                }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
            })}
        </section>
        {move || pending.get().map(|p| {
            let (title, body, danger) = dialog_text(&p);
            view! { <ConfirmDialog title=Signal::derive(move || title.clone()) body=Signal::derive(move || body.clone()) danger busy
                on_confirm on_cancel=Callback::new(move |()| pending.set(None))/> }
        })}
    }
}

fn busy_now(a: &Actions) -> bool {
    a.renew.pending().get() || a.expiry.pending().get() || a.unsubscribe.pending().get()
}

/// `/finance/renewals/calendar`.
#[component]
pub fn CalendarPage() -> impl IntoView {
    view! { <RequireArea area=Area::Finance><Calendar/></RequireArea> }
}

#[component]
fn Calendar() -> impl IntoView {
    let i18n = use_i18n();
    let days = Resource::new(|| (), |_| renewal_calendar());
    view! {
        <h1>{move || i18n.t("res.calendar")}</h1>
        <p><A href="/finance/renewals">{move || i18n.t("nav.renewals")}</A></p>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match days.await {
                    Ok(days) if days.is_empty() => view! { <p class="empty-state">{move || i18n.t("res.none")}</p> }.into_any(),
                    Ok(days) => view! {
                        <ol class="calendar" data-testid="calendar">{days.into_iter().map(|d| {
                            let total: rust_decimal::Decimal = d.items.iter().filter(|i| i.resource.auto_renews()).filter_map(|i| i.monthly_cost).sum();
                            view! { <li data-testid="calendar-day">
                                <h2>{d.day.clone()} " · " <Money amount=total/></h2>
                                <ul>{d.items.into_iter().map(|i| {
                                    let auto = i.resource.auto_renews();
                                    view! { <li>{i.resource.name.clone()} " "
                                        <span class=if auto { "badge ok" } else { "badge warn" }>{move || i18n.t(if auto { "res.auto_renew" } else { "res.expires_only" })}</span>
                                        {i.monthly_cost.map(|c| view! { " " <Money amount=c/> " / " {move || i18n.t("fin.month")} })}
                                    </li> }
                                }).collect_view()}</ul>
                            </li> }
                        }).collect_view()}</ol>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
