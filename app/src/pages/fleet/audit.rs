//! The audit log: every change made through fleetdesk in this account, filterable, exportable.

use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_location, use_query_map};
use model::audit::Outcome;

use crate::api::fleet::audit_log;
use crate::components::fleet::{ErrorNotice, local_time, tz};
use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;

/// The audit page.
#[component]
pub fn AuditPage() -> impl IntoView {
    view! { <RequireArea area=Area::Fleet><Audit/></RequireArea> }
}

#[component]
fn Audit() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let q = use_query_map();
    let entries = Resource::new(move || location.search.get(), audit_log);
    let val = move |k: &str| q.with_untracked(|m| m.get(k).unwrap_or_default());
    let outcome = val("outcome");
    let csv = move || format!("/fleet/audit.csv{}", location.search.get().split_once('?').map_or(String::new(), |(_, s)| format!("?{s}")));
    view! {
            <h1>{move || i18n.t("nav.audit")}</h1>
            <Form method="GET" action="" attr:class="filters" attr:data-testid="audit-filters">
                <div class="grid">
                    <label>{move || i18n.t("audit.action")}<input name="action" value=val("action") placeholder="sim.stop"/></label>
                    <label>{move || i18n.t("audit.target")}<input name="target" value=val("target") data-testid="audit-target"/></label>
                    <label>{move || i18n.t("audit.user")}<input name="user" value=val("user")/></label>
                    <label>{move || i18n.t("audit.outcome")}
                        <select name="outcome">
                            <option value="">{move || i18n.t("common.any")}</option>
                            {[Outcome::Pending, Outcome::Succeeded, Outcome::Failed].into_iter().map(|o| view! {
                                <option value=o.slug() selected=outcome == o.slug()>{move || i18n.t(o.label_key())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <button type="submit">{move || i18n.t("inv.apply")}</button>
                <A href="/fleet/audit">{move || i18n.t("inv.clear")}</A>
                <a class="button" href=csv download="" data-testid="audit-csv">{move || i18n.t("inv.export")}</a>
            </Form>
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty-state" data-testid="audit-empty">{move || i18n.t("audit.none")}</p> }.into_any(),
                        Ok(list) => {
                            let last = list.last().map(|e| e.id);
                            let more = (list.len() >= 100).then_some(last).flatten();
                            view! {
                                <table data-testid="audit-table">
                                    <thead><tr>
                                        <th scope="col">{move || i18n.t("audit.time")}</th>
                                        <th scope="col">{move || i18n.t("audit.user")}</th>
                                        <th scope="col">{move || i18n.t("audit.action")}</th>
                                        <th scope="col">{move || i18n.t("audit.target")}</th>
                                        <th scope="col">{move || i18n.t("audit.outcome")}</th>
                                        <th scope="col">{move || i18n.t("common.request_id")}</th>
                                        <th scope="col">{move || i18n.t("audit.detail")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|e| {
                                            let (started, outcome) = (e.started_at, e.outcome);
                                            view! {
                                                <tr data-testid="audit-row">
                                                    <td>{move || local_time(started, tz())}</td>
                                                    <td>{e.iam_user.clone()}</td>
                                                    <td>{e.action.clone()}</td>
                                                    <td>{e.target.clone()}</td>
                                                    <td class=format!("outcome-{}", outcome.slug()) data-testid="audit-outcome">{move || i18n.t(outcome.label_key())}</td>
                                                    <td><code>{e.request_id.clone()}</code></td>
                                                    <td>{e.detail.clone()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                {more.map(|before| view! { <A href=format!("?before={before}")>{move || i18n.t("audit.older")}</A> })}
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
    }
}
