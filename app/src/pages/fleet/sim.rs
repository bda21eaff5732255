//! One SIM card: identity, plan, flow, limits, real-name, tags and attributes, what fleetdesk did
//! to it (with work orders), and its actions, each behind a confirmation that says what will happen.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use model::action::SimAction;
use model::audit::AuditEntry;
use model::sim::{SimCard, format_flow};

use crate::api::fleet::{ActOnSim, SimDetailView, sim_detail};
use crate::components::fleet::{
    ActionPicker, ConfirmDialog, ErrorNotice, FlowBar, LocalDate, StatusBadge, describe_action, local_time, tz,
};
use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;

/// The card page (`/fleet/sims/:id`).
#[component]
pub fn SimPage() -> impl IntoView {
    view! { <RequireArea area=Area::Fleet><SimCardView/></RequireArea> }
}

#[component]
fn SimCardView() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0));
    let act = ServerAction::<ActOnSim>::new();
    // Reloads after every finished action, so the page shows the card's new state.
    let detail = Resource::new(move || (id(), act.version().get()), |(id, _)| sim_detail(id));
    view! {
        <p class="crumbs"><A href="/fleet/sims">"← " {move || i18n.t("nav.sims")}</A></p>
        <Transition fallback=move || view! { <p class="loading" aria-busy="true">{move || i18n.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(d) => view! { <Detail detail=d act/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Detail(detail: SimDetailView, act: ServerAction<ActOnSim>) -> impl IntoView {
    let i18n = use_i18n();
    let card = detail.card.clone();
    let id = card.sim_card_id;
    let pending = RwSignal::new(None::<SimAction>);
    let on_review = Callback::new(move |a: SimAction| pending.set(Some(a)));
    let title = Signal::derive(move || pending.get().map(|a| describe_action(i18n, &a)).unwrap_or_default());
    let iccid = card.iccid.clone();
    let body = Signal::derive(move || {
        pending.get().map(|a| format!("{} ({})", i18n.t(a.effect_key()), iccid)).unwrap_or_default()
    });
    let busy = Signal::derive(move || act.pending().get());
    let danger = Signal::derive(move || pending.get().is_some_and(|a| a.disruptive()));
    let result = act.value();
    view! {
        <h1 data-testid="sim-title">{card.iccid.clone()} " " <StatusBadge status=card.status/></h1>
        {move || result.get().map(|r| match r {
            Ok(done) => view! {
                <p class="notice ok" role="status" data-testid="action-result">
                    {move || i18n.t("action.accepted")}
                    {done.work_order_id.map(|w| view! { " " {move || i18n.t("action.work_order")} " " <strong data-testid="work-order-id">{w}</strong> })}
                    {done.request_id.clone().map(|r| view! { " · " {move || i18n.t("common.request_id")} " " <code>{r}</code> })}
                </p>
            }.into_any(),
            Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
        })}
        <div class="cards">
            <Facts card=card.clone()/>
            <section class="card">
                <h2>{move || i18n.t("sim.flow")}</h2>
                <FlowBar card=card.clone()/>
                <dl>
                    <dt>{move || i18n.t("sim.speed")}</dt>
                    <dd data-testid="speed">{card.speed_limit.map(|s| if s < 0 { i18n.now("action.no_limit").to_owned() } else { format!("{s} Kbps") })}</dd>
                    <dt>{move || i18n.t("sim.cut_net")}</dt>
                    <dd>{yes_no(card.cut_net)}</dd>
                    <dt>{move || i18n.t("sim.exceed_cut_net")}</dt>
                    <dd>{yes_no(card.exceed_cut_net)} {card.exceed_cut_net_quota.map(|q| format!(" ({q} MB)"))}</dd>
                    <dt>{move || i18n.t("sim.imei_rebinds")}</dt>
                    <dd>{card.imei_rebinds_left}</dd>
                </dl>
            </section>
        </div>
        <crate::pages::fleet::usage::UsageCharts sim_card_id=id/>
        <Show when=move || detail.can_write fallback=move || view! { <p class="notice">{move || i18n.t("sim.read_only")}</p> }>
            <section class="card actions">
                <h2>{move || i18n.t("sim.actions")}</h2>
                <ActionPicker single=true on_review/>
            </section>
        </Show>
        {move || pending.get().is_some().then(|| view! {
            <ConfirmDialog title body danger=danger.get_untracked() busy
                on_confirm=Callback::new(move |_| {
                    if let Some(action) = pending.get_untracked() {
                        act.dispatch(ActOnSim { sim_card_id: id, action });
                    }
                    pending.set(None);
                })
                on_cancel=Callback::new(move |_| pending.set(None))/>
        })}
        <History entries=detail.history.clone()/>
    }
}

fn yes_no(v: Option<bool>) -> impl IntoView {
    let i18n = use_i18n();
    move || match v {
        Some(true) => i18n.t("common.yes"),
        Some(false) => i18n.t("common.no"),
        None => "—",
    }
}

#[component]
fn Facts(card: SimCard) -> impl IntoView {
    let i18n = use_i18n();
    let dash = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    let attrs: Vec<(usize, String)> =
        card.attributes.iter().enumerate().filter_map(|(i, a)| a.clone().map(|a| (i + 1, a))).collect();
    view! {
        <section class="card" data-testid="sim-facts">
            <h2>{move || i18n.t("sim.identity")}</h2>
            <dl>
                <dt>"ICCID"</dt><dd>{card.iccid.clone()}</dd>
                <dt>"MSISDN"</dt><dd>{dash(card.msisdn.clone())}</dd>
                <dt>"IMSI"</dt><dd>{dash(card.imsi.clone())}</dd>
                <dt>"IMEI"</dt><dd>{dash(card.imei.clone())}</dd>
                <dt>{move || i18n.t("col.type")}</dt>
                <dd>{card.sim_type.map(|t| view! { {move || i18n.t(t.label_key())} })}</dd>
                <dt>{move || i18n.t("col.status")}</dt>
                <dd data-testid="sim-status"><StatusBadge status=card.status/></dd>
                <dt>{move || i18n.t("sim.operator_status")}</dt>
                <dd>{card.operator_status.map(|s| if s < 0 { i18n.now("sim.normal").to_owned() } else { s.to_string() })}</dd>
                <dt>{move || i18n.t("col.plan")}</dt><dd>{dash(card.price_plan.clone())}</dd>
                <dt>{move || i18n.t("col.activated")}</dt><dd><LocalDate at=card.activated_at/></dd>
                <dt>{move || i18n.t("col.expires")}</dt><dd><LocalDate at=card.expires_at/></dd>
                <dt>{move || i18n.t("col.real_named")}</dt><dd>{yes_no(card.real_named)}</dd>
                <dt>{move || i18n.t("col.batch")}</dt><dd>{card.order_id}</dd>
                <dt>{move || i18n.t("sim.pool")}</dt>
                <dd>{match card.pool_id {
                    Some(p) => view! { <A href=format!("/fleet/pools/flow/{p}")>{p}</A> }.into_any(),
                    None => view! { "—" }.into_any(),
                }}</dd>
                <dt>{move || i18n.t("col.tags")}</dt>
                <dd>{card.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}</dd>
                <dt>{move || i18n.t("action.attributes")}</dt>
                <dd>{attrs.into_iter().map(|(i, a)| view! { <span class="attr">"#" {i} ": " {a}</span> }).collect_view()}</dd>
                <dt>{move || i18n.t("sim.used")}</dt><dd>{card.flow_used.map(format_flow)}</dd>
            </dl>
        </section>
    }
}

/// What fleetdesk did to the card, from the audit log.
#[component]
fn History(entries: Vec<AuditEntry>) -> impl IntoView {
    let i18n = use_i18n();
    if entries.is_empty() {
        return view! { <section class="card"><h2>{move || i18n.t("sim.history")}</h2><p class="muted">{move || i18n.t("sim.no_history")}</p></section> }.into_any();
    }
    view! {
        <section class="card" data-testid="sim-history">
            <h2>{move || i18n.t("sim.history")}</h2>
            <table>
                <thead><tr>
                    <th scope="col">{move || i18n.t("audit.time")}</th>
                    <th scope="col">{move || i18n.t("audit.action")}</th>
                    <th scope="col">{move || i18n.t("audit.user")}</th>
                    <th scope="col">{move || i18n.t("audit.outcome")}</th>
                    <th scope="col">{move || i18n.t("audit.detail")}</th>
                </tr></thead>
                <tbody>
                    {entries.into_iter().map(|e| {
                        let started = e.started_at;
                        let outcome = e.outcome;
                        view! {
                            <tr data-testid="history-row">
                                <td>{move || local_time(started, tz())}</td>
                                <td>{e.action.clone()}</td>
                                <td>{e.iam_user.clone()}</td>
                                <td class=format!("outcome-{}", outcome.slug())>{move || i18n.t(outcome.label_key())}</td>
                                <td>{e.detail.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}
