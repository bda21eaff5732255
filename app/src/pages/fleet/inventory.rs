//! The SIM inventory: a server-side paged table whose search, filters, sort and page live in the
//! URL; a column picker kept per person; selection of rows or of everything matching, for a bulk job.

use leptos::prelude::*;
use leptos_router::components::{A, Form};
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use model::inventory::{Column, InventoryQuery, PAGE_SIZES, SearchBy, SortKey};
use model::job::Selection;
use model::sim::{SimCard, SimStatus, SimType};

use crate::api::fleet::{FilterChoices, SimPageView, filter_options, list_sims, set_columns};
use crate::api::jobs::create_job;
use crate::components::fleet::{ActionPicker, ErrorNotice, FlowBar, LocalDate, StatusBadge};
use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;

/// The inventory page.
#[component]
pub fn InventoryPage() -> impl IntoView {
    view! { <RequireArea area=Area::Fleet><Inventory/></RequireArea> }
}

#[component]
fn Inventory() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let page = Resource::new(move || location.search.get(), list_sims);
    let options = Resource::new(|| (), |_| filter_options());
    view! {
        <h1>{move || i18n.t("nav.sims")}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let opts = options.await.unwrap_or_default();
                view! { <FilterForm opts/> }
            })}
        </Suspense>
        <Transition fallback=move || view! { <p class="loading" aria-busy="true">{move || i18n.t("common.loading")}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <Results page=p/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The search and filter form: a GET form, so the filters become the URL.
#[component]
fn FilterForm(opts: FilterChoices) -> impl IntoView {
    let i18n = use_i18n();
    let q = use_query_map();
    let val = move |k: &str| q.with_untracked(|m| m.get(k).unwrap_or_default());
    let all = move |k: &str| q.with_untracked(|m| m.get_all(k).unwrap_or_default());
    let chosen_tags = all("tag");
    let chosen_plans = all("plan");
    let by = val("by");
    let status = val("status");
    let sim_type = val("type");
    let real_named = val("real_named");
    let size = val("size");
    view! {
        <Form method="GET" action="" attr:class="filters" attr:data-testid="filters">
            <div class="search">
                <select name="by" aria-label=move || i18n.t("inv.search_by")>
                    {SearchBy::ALL.into_iter().map(|b| view! {
                        <option value=b.slug() selected=by == b.slug()>{move || i18n.t(b.label_key())}</option>
                    }).collect_view()}
                </select>
                <input type="search" name="q" value=val("q") data-testid="search"
                    placeholder=move || i18n.t("inv.search_placeholder") aria-label=move || i18n.t("inv.search_placeholder")/>
                <button type="submit" data-testid="search-submit">{move || i18n.t("inv.search")}</button>
            </div>
            <details class="more-filters" open=!(status.is_empty() && sim_type.is_empty())>
                <summary>{move || i18n.t("inv.filters")}</summary>
                <div class="grid">
                    <label>{move || i18n.t("col.status")}
                        <select name="status" data-testid="filter-status">
                            <option value="">{move || i18n.t("common.any")}</option>
                            {SimStatus::ALL.into_iter().map(|s| view! {
                                <option value=s.slug() selected=status == s.slug()>{move || i18n.t(s.label_key())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>{move || i18n.t("col.type")}
                        <select name="type">
                            <option value="">{move || i18n.t("common.any")}</option>
                            {SimType::ALL.into_iter().map(|t| view! {
                                <option value=t.slug() selected=sim_type == t.slug()>{move || i18n.t(t.label_key())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label>{move || i18n.t("col.real_named")}
                        <select name="real_named">
                            <option value="">{move || i18n.t("common.any")}</option>
                            <option value="yes" selected=real_named == "yes">{move || i18n.t("common.yes")}</option>
                            <option value="no" selected=real_named == "no">{move || i18n.t("common.no")}</option>
                        </select>
                    </label>
                    <label>{move || i18n.t("col.tags")}
                        <select name="tag" multiple=true size="3" data-testid="filter-tags">
                            {opts.tags.into_iter().map(|(id, name)| {
                                let on = chosen_tags.contains(&id.to_string());
                                view! { <option value=id.to_string() selected=on>{name}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label>{move || i18n.t("col.plan")}
                        <select name="plan" multiple=true size="3" data-testid="filter-plans">
                            {opts.plans.into_iter().map(|(id, name)| {
                                let on = chosen_plans.contains(&id);
                                view! { <option value=id.clone() selected=on>{name}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <fieldset>
                        <legend>{move || i18n.t("inv.used_mb")}</legend>
                        <input name="used_min" inputmode="numeric" value=val("used_min") aria-label="min" placeholder="min"/>
                        <input name="used_max" inputmode="numeric" value=val("used_max") aria-label="max" placeholder="max"/>
                    </fieldset>
                    <fieldset>
                        <legend>{move || i18n.t("inv.left_mb")}</legend>
                        <input name="left_min" inputmode="numeric" value=val("left_min") aria-label="min" placeholder="min"/>
                        <input name="left_max" inputmode="numeric" value=val("left_max") aria-label="max" placeholder="max"/>
                    </fieldset>
                    <fieldset class="attributes">
                        <legend>{move || i18n.t("action.attributes")}</legend>
                        {model::inventory::ATTRIBUTE_PARAMS.into_iter().enumerate().map(|(slot, name)| view! {
                            <input name=name value=val(name) placeholder=format!("#{}", slot + 1) aria-label=format!("#{}", slot + 1)/>
                        }).collect_view()}
                    </fieldset>
                    <label>{move || i18n.t("inv.page_size")}
                        <select name="size">
                            {PAGE_SIZES.into_iter().map(|s| {
                                let on = if size.is_empty() { s == model::inventory::DEFAULT_PAGE_SIZE } else { size == s.to_string() };
                                view! { <option value=s.to_string() selected=on>{s}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <input type="hidden" name="sort" value=val("sort")/>
                <input type="hidden" name="dir" value=val("dir")/>
                <button type="submit" data-testid="filter-apply">{move || i18n.t("inv.apply")}</button>
                <A href="/fleet/sims">{move || i18n.t("inv.clear")}</A>
            </details>
        </Form>
    }
}

/// Count, columns, table, pages and the bulk bar.
#[component]
fn Results(page: SimPageView) -> impl IntoView {
    let i18n = use_i18n();
    let columns = RwSignal::new(page.columns.clone());
    let selected = RwSignal::new(Vec::<i64>::new());
    let everything = RwSignal::new(false);
    let query = page.query.clone();
    let pages = query.pages(page.count);
    let count = page.count;
    let ids: Vec<i64> = page.cards.iter().map(|c| c.sim_card_id).collect();
    let export_href = format!("/fleet/sims/export.csv?{}", InventoryQuery { page: 1, ..query.clone() }.to_query_string());
    let can_write = page.can_write;
    let filter = query.filter.clone();
    if page.cards.is_empty() {
        return view! {
            <section class="empty-state" data-testid="no-results">
                <p>{move || i18n.t("inv.none")}</p>
                <A href="/fleet/sims">{move || i18n.t("inv.clear")}</A>
            </section>
        }
        .into_any();
    }
    view! {
        <div class="toolbar">
            <p class="count" data-testid="result-count" data-count=count>{move || i18n.t("inv.matching")} ": " <strong>{count}</strong></p>
            <ColumnPicker columns/>
            <crate::pages::fleet::export::ExportButton href=export_href count/>
        </div>
        <Show when=move || can_write>
            <BulkBar selected everything count filter=filter.clone()/>
        </Show>
        <div class="table-wrap">
            <table class="sims" data-testid="sim-table">
                <thead>
                    <tr>
                        <th scope="col" class="select">
                            <input type="checkbox" aria-label=move || i18n.t("inv.select_page")
                                prop:checked=move || { let s = selected.get(); !ids.is_empty() && ids.iter().all(|i| s.contains(i)) }
                                on:change={
                                    let ids = page.cards.iter().map(|c| c.sim_card_id).collect::<Vec<_>>();
                                    move |ev| {
                                        let on = event_target_checked(&ev);
                                        selected.update(|s| {
                                            s.retain(|i| !ids.contains(i));
                                            if on { s.extend(ids.iter().copied()); }
                                        });
                                    }
                                }/>
                        </th>
                        <th scope="col">"ICCID"</th>
                        {
                            let query = query.clone();
                            move || columns.get().into_iter().map(|c| view! { <Header column=c query=query.clone()/> }).collect_view()
                        }
                    </tr>
                </thead>
                <tbody>
                    {page.cards.into_iter().map(|card| view! { <Row card columns selected/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager query pages/>
    }
    .into_any()
}

#[component]
fn Header(column: Column, query: InventoryQuery) -> impl IntoView {
    let i18n = use_i18n();
    match column.sort_key() {
        Some(key) => {
            let active = query.filter.sort == Some(key);
            let href = sort_link(&query, key);
            let arrow = match (active, query.filter.descending) {
                (false, _) => "",
                (true, false) => " ▲",
                (true, true) => " ▼",
            };
            let sort = if !active { "none" } else if query.filter.descending { "descending" } else { "ascending" };
            view! {
                <th scope="col" aria-sort=sort>
                    <A href=href>{move || i18n.t(column.label_key())}{arrow}</A>
                </th>
            }
            .into_any()
        }
        None => view! { <th scope="col">{move || i18n.t(column.label_key())}</th> }.into_any(),
    }
}

#[component]
fn Row(card: SimCard, columns: RwSignal<Vec<Column>>, selected: RwSignal<Vec<i64>>) -> impl IntoView {
    let id = card.sim_card_id;
    let iccid = card.iccid.clone();
    view! {
        <tr data-testid="sim-row">
            <td class="select">
                <input type="checkbox" aria-label=format!("select {iccid}")
                    prop:checked=move || selected.with(|s| s.contains(&id))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        selected.update(|s| { s.retain(|i| *i != id); if on { s.push(id); } });
                    }/>
            </td>
            <th scope="row"><A href=format!("/fleet/sims/{id}") attr:data-testid="sim-link">{iccid.clone()}</A></th>
            {move || columns.get().into_iter().map(|c| cell(c, &card)).collect_view()}
        </tr>
    }
}

fn text(v: Option<String>) -> AnyView {
    match v {
        Some(s) if !s.is_empty() => view! { <td>{s}</td> }.into_any(),
        _ => view! { <td class="muted">"—"</td> }.into_any(),
    }
}

fn cell(c: Column, card: &SimCard) -> AnyView {
    let i18n = use_i18n();
    match c {
        Column::Msisdn => text(card.msisdn.clone()),
        Column::Imsi => text(card.imsi.clone()),
        Column::Imei => text(card.imei.clone()),
        Column::Status => view! { <td><StatusBadge status=card.status/></td> }.into_any(),
        Column::SimType => match card.sim_type {
            Some(t) => view! { <td>{move || i18n.t(t.label_key())}</td> }.into_any(),
            None => text(None),
        },
        Column::Plan => text(card.price_plan.clone()),
        Column::Flow => view! { <td><FlowBar card=card.clone()/></td> }.into_any(),
        Column::Expires => view! { <td><LocalDate at=card.expires_at/></td> }.into_any(),
        Column::Activated => view! { <td><LocalDate at=card.activated_at/></td> }.into_any(),
        Column::Tags => view! {
            <td>{card.tags.iter().map(|t| view! { <span class="tag">{t.clone()}</span> }).collect_view()}</td>
        }
        .into_any(),
        Column::Batch => text(card.order_id.map(|o| o.to_string())),
        Column::RealName => match card.real_named {
            Some(r) => view! { <td>{move || i18n.t(if r { "common.yes" } else { "common.no" })}</td> }.into_any(),
            None => text(None),
        },
        Column::Speed => text(card.speed_limit.map(|s| if s < 0 { "—".to_owned() } else { format!("{s} Kbps") })),
    }
}

/// Shows or hides columns; the choice is kept for the person.
#[component]
fn ColumnPicker(columns: RwSignal<Vec<Column>>) -> impl IntoView {
    let i18n = use_i18n();
    let toggle = move |c: Column, on: bool| {
        columns.update(|cols| {
            cols.retain(|x| *x != c);
            if on {
                cols.push(c);
            }
            let ordered: Vec<Column> = Column::ALL.into_iter().filter(|x| cols.contains(x)).collect();
            *cols = ordered;
        });
        let value = Column::list_to_string(&columns.get_untracked());
        leptos::task::spawn_local(async move {
            let _ = set_columns(value).await;
        });
    };
    view! {
        <details class="column-picker" data-testid="column-picker">
            <summary>{move || i18n.t("inv.columns")}</summary>
            <ul>
                {Column::ALL.into_iter().map(|c| view! {
                    <li><label>
                        <input type="checkbox" prop:checked=move || columns.with(|cols| cols.contains(&c))
                            data-testid=format!("col-{}", c.slug())
                            on:change=move |ev| toggle(c, event_target_checked(&ev))/>
                        {move || i18n.t(c.label_key())}
                    </label></li>
                }).collect_view()}
            </ul>
        </details>
    }
}

#[component]
fn Pager(query: InventoryQuery, pages: u32) -> impl IntoView {
    let i18n = use_i18n();
    let current = query.page;
    let link = move |p: u32| format!("?{}", query.at_page(p).to_query_string());
    view! {
        <nav class="pager" aria-label=move || i18n.t("inv.pages")>
            {(current > 1).then(|| view! { <A href=link(current - 1) attr:rel="prev" attr:data-testid="prev">"← " {move || i18n.t("inv.prev")}</A> })}
            <span>{move || i18n.t("inv.page")} " " {current} " / " {pages}</span>
            {(current < pages).then(|| view! { <A href=link(current + 1) attr:rel="next" attr:data-testid="next">{move || i18n.t("inv.next")} " →"</A> })}
        </nav>
    }
}

/// With rows selected (or everything matching): choose an action and prepare a bulk job's preview.
#[component]
fn BulkBar(selected: RwSignal<Vec<i64>>, everything: RwSignal<bool>, count: u64, filter: model::inventory::SimFilter) -> impl IntoView {
    let i18n = use_i18n();
    let error = RwSignal::new(None::<crate::error::AppError>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let on_review = Callback::new(move |action: model::action::SimAction| {
        let selection = if everything.get_untracked() {
            Selection::Filter(Box::new(filter.clone()))
        } else {
            Selection::Cards(selected.get_untracked())
        };
        let navigate = navigate.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match create_job(action, selection).await {
                Ok(id) => navigate(&format!("/fleet/jobs/{id}"), Default::default()),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    });
    let n = move || if everything.get() { count } else { selected.with(|s| s.len() as u64) };
    view! {
        <section class="bulk" data-testid="bulk-bar" aria-busy=move || busy.get()>
            <p>
                <strong data-testid="selected-count">{n}</strong> " " {move || i18n.t("inv.selected")}
                <label class="everything">
                    <input type="checkbox" data-testid="select-everything" prop:checked=move || everything.get()
                        on:change=move |ev| everything.set(event_target_checked(&ev))/>
                    {move || i18n.t("inv.everything")} " (" {count} ")"
                </label>
            </p>
            <Show when=move || { n() > 0 } fallback=move || view! { <p class="muted">{move || i18n.t("inv.select_hint")}</p> }>
                <ActionPicker single=false on_review/>
                <p class="muted">{move || i18n.t("inv.preview_hint")}</p>
            </Show>
            {move || error.get().map(|e| view! { <ErrorNotice error=e/> })}
        </section>
    }
}

/// The link that sorts by `key` (a second click on the same column reverses the order).
pub fn sort_link(query: &InventoryQuery, key: SortKey) -> String {
    let mut next = query.clone();
    next.filter.descending = next.filter.sort == Some(key) && !next.filter.descending;
    next.filter.sort = Some(key);
    next.page = 1;
    format!("?{}", next.to_query_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_a_sorted_column_flips_the_order_and_goes_to_page_one() {
        let q = InventoryQuery { page: 4, ..InventoryQuery::default() };
        assert_eq!(sort_link(&q, SortKey::FlowUsed), "?sort=used");
        let sorted = InventoryQuery::from_pairs([("sort", "used"), ("page", "3")]).expect("valid");
        assert_eq!(sort_link(&sorted, SortKey::FlowUsed), "?sort=used&dir=desc");
    }
}
