//! Bulk jobs: the list, and one job with its impact preview, live progress, controls and per-card
//! results.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use model::job::{ItemState, JobState, JobView, Selection};

use crate::api::jobs::{JobCommand, control_job, job, job_items, list_jobs};
use crate::components::fleet::{ConfirmDialog, ErrorNotice, describe_action, local_time, tz};
use crate::components::layout::{Area, RequireArea};
use crate::components::timer::sleep_ms;
use crate::error::AppError;
use crate::i18n::use_i18n;

/// The list of the person's jobs.
#[component]
pub fn JobsPage() -> impl IntoView {
    let i18n = use_i18n();
    let jobs = Resource::new(|| (), |_| list_jobs());
    view! {
        <RequireArea area=Area::Fleet>
            <h1>{move || i18n.t("nav.jobs")}</h1>
            <Suspense fallback=move || view! { <p class="loading">{move || i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match jobs.await {
                        Ok(list) if list.is_empty() => view! {
                            <section class="empty-state"><p>{move || i18n.t("job.none")}</p>
                            <A href="/fleet/sims">{move || i18n.t("nav.sims")}</A></section>
                        }.into_any(),
                        Ok(list) => view! {
                            <table data-testid="job-list">
                                <thead><tr>
                                    <th scope="col">"#"</th>
                                    <th scope="col">{move || i18n.t("audit.action")}</th>
                                    <th scope="col">{move || i18n.t("job.state")}</th>
                                    <th scope="col">{move || i18n.t("job.progress")}</th>
                                    <th scope="col">{move || i18n.t("audit.time")}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|j| {
                                        let created = j.created_at;
                                        let state = j.state;
                                        view! {
                                            <tr>
                                                <td><A href=format!("/fleet/jobs/{}", j.id)>{j.id}</A></td>
                                                <td>{describe_action(i18n, &j.action)}</td>
                                                <td>{move || i18n.t(state.label_key())}</td>
                                                <td>{j.counts.done + j.counts.failed} " / " {j.counts.eligible()}</td>
                                                <td>{move || local_time(created, tz())}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </RequireArea>
    }
}

/// One job (`/fleet/jobs/:id`): polls while a worker is busy with it.
#[component]
pub fn JobPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0));
    let tick = RwSignal::new(0u32);
    let view_of = Resource::new(move || (id(), tick.get()), |(id, _)| job(id));
    // While the job is preparing or running, refresh it twice a second (in the browser only).
    Effect::new(move |_| {
        if let Some(Ok(j)) = view_of.get()
            && j.state.is_active()
        {
            leptos::task::spawn_local(async move {
                sleep_ms(500).await;
                tick.update(|t| *t += 1);
            });
        }
    });
    view! {
        <RequireArea area=Area::Fleet>
            <p class="crumbs"><A href="/fleet/jobs">"← " {move || i18n.t("nav.jobs")}</A></p>
            <Transition fallback=move || view! { <p class="loading">{move || i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match view_of.await {
                        Ok(j) => view! { <Job job=j on_change=Callback::new(move |_| tick.update(|t| *t += 1))/> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </RequireArea>
    }
}

#[component]
fn Job(job: JobView, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let id = job.id;
    let state = job.state;
    let c = job.counts;
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let send = move |command: JobCommand| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match control_job(id, command).await {
                Ok(()) => error.set(None),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
            confirming.set(false);
            on_change.run(());
        });
    };
    let what = describe_action(i18n, &job.action);
    let selection = match &job.selection {
        Selection::Cards(ids) => format!("{} {}", ids.len(), i18n.now("job.picked")),
        Selection::Filter(f) => {
            let qs = model::inventory::InventoryQuery { filter: (**f).clone(), ..Default::default() }.to_query_string();
            if qs.is_empty() { i18n.now("job.whole_fleet").to_owned() } else { format!("{}: {qs}", i18n.now("job.filter")) }
        }
    };
    let (percent, progress_label) = match state {
        JobState::Preparing => {
            let p = (job.examined * 100).checked_div(job.expected).unwrap_or(0).min(100);
            (p, format!("{} / {} {}", job.examined, job.expected, i18n.now("job.examined")))
        }
        _ => (c.permille() / 10, format!("{} / {}", c.done + c.failed, c.eligible())),
    };
    let confirm_title = Signal::derive({
        let what = what.clone();
        move || what.clone()
    });
    let confirm_body = Signal::derive({
        let effect = i18n.now(job.action.effect_key());
        move || format!("{effect} — {} {}", c.eligible(), i18n.t("job.cards_will_change"))
    });
    let danger = job.action.disruptive();
    view! {
        <h1 data-testid="job-title">{move || i18n.t("job.title")} " #" {id} ": " {what.clone()}</h1>
        <p>{selection} " · " {job.iam_user.clone()}</p>
        <p><span class=format!("badge job-{}", state.slug()) data-testid="job-state" data-state=state.slug()>
            {move || i18n.t(state.label_key())}</span></p>
        {job.message.clone().map(|m| view! { <p class="notice" role="status">{m}</p> })}
        <div class="progress" data-testid="job-progress">
            <progress max="100" value=percent aria-label=move || i18n.t("job.progress")></progress>
            <span>{progress_label}</span>
        </div>
        <dl class="counts">
            <dt>{move || i18n.t("job.eligible")}</dt><dd data-testid="count-eligible">{c.eligible()}</dd>
            <dt>{move || i18n.t("job.done")}</dt><dd data-testid="count-done">{c.done}</dd>
            <dt>{move || i18n.t("job.failed")}</dt><dd data-testid="count-failed">{c.failed}</dd>
            <dt>{move || i18n.t("job.skipped")}</dt><dd data-testid="count-skipped">{c.skipped}</dd>
        </dl>
        {(!job.skipped_by_reason.is_empty()).then(|| view! {
            <section class="card">
                <h2>{move || i18n.t("job.ineligible")}</h2>
                <ul data-testid="skipped-reasons">
                    {job.skipped_by_reason.iter().map(|(r, n)| {
                        let key = r.label_key();
                        view! { <li>{*n} " — " {move || i18n.t(key)}</li> }
                    }).collect_view()}
                </ul>
            </section>
        })}
        <div class="buttons" aria-busy=move || busy.get()>
            {(state == JobState::Ready).then(|| view! {
                <button type="button" class="primary" data-testid="job-start" disabled=move || busy.get() || c.eligible() == 0
                    on:click=move |_| confirming.set(true)>{move || i18n.t("job.start")}</button>
            })}
            {(state == JobState::Running).then(|| view! {
                <button type="button" data-testid="job-pause" on:click=move |_| send(JobCommand::Pause)>{move || i18n.t("job.pause")}</button>
            })}
            {matches!(state, JobState::Paused | JobState::Interrupted).then(|| view! {
                <button type="button" data-testid="job-resume" on:click=move |_| send(JobCommand::Resume)>{move || i18n.t("job.resume")}</button>
            })}
            {(c.failed > 0 && matches!(state, JobState::Finished | JobState::Paused | JobState::Interrupted)).then(|| view! {
                <button type="button" data-testid="job-retry" on:click=move |_| send(JobCommand::RetryFailed)>{move || i18n.t("job.retry")}</button>
            })}
            {(!state.is_over()).then(|| view! {
                <button type="button" class="danger" data-testid="job-cancel" on:click=move |_| send(JobCommand::Cancel)>{move || i18n.t("job.cancel")}</button>
            })}
        </div>
        {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
        {move || confirming.get().then(|| view! {
            <ConfirmDialog title=confirm_title body=confirm_body danger busy=Signal::derive(move || busy.get())
                on_confirm=Callback::new(move |_| send(JobCommand::Confirm))
                on_cancel=Callback::new(move |_| confirming.set(false))/>
        })}
        <Items id state/>
    }
}

/// The job's cards, filterable by state.
#[component]
fn Items(id: i64, state: JobState) -> impl IntoView {
    let i18n = use_i18n();
    let shown = RwSignal::new(None::<ItemState>);
    let items = Resource::new(move || (shown.get(), state), move |(s, _)| job_items(id, s, 0));
    let choices = [None, Some(ItemState::Failed), Some(ItemState::Done), Some(ItemState::Skipped), Some(ItemState::Pending)];
    view! {
        <section class="card">
            <h2>{move || i18n.t("job.cards")}</h2>
            <div role="group" class="segmented">
                {choices.into_iter().map(|c| {
                    let key = match c {
                        None => "common.all",
                        Some(ItemState::Failed) => "job.failed",
                        Some(ItemState::Done) => "job.done",
                        Some(ItemState::Skipped) => "job.skipped",
                        _ => "job.pending",
                    };
                    view! { <button type="button" aria-pressed=move || shown.get() == c on:click=move |_| shown.set(c)>{move || i18n.t(key)}</button> }
                }).collect_view()}
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(list) => view! {
                            <table data-testid="job-items">
                                <thead><tr>
                                    <th scope="col">"ICCID"</th>
                                    <th scope="col">{move || i18n.t("job.state")}</th>
                                    <th scope="col">{move || i18n.t("action.work_order")}</th>
                                    <th scope="col">{move || i18n.t("audit.detail")}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|it| {
                                        let detail = it.error.clone().or_else(|| it.skipped.map(|s| i18n.now(s.label_key()).to_owned()));
                                        view! {
                                            <tr>
                                                <td><A href=format!("/fleet/sims/{}", it.sim_card_id)>{it.iccid.clone()}</A></td>
                                                <td>{it.state.slug()}</td>
                                                <td>{it.work_order_id}</td>
                                                <td>{detail} {it.request_id.map(|r| view! { " " <code>{r}</code> })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
