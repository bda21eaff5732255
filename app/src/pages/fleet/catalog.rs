//! Tags (with how many cards carry each), the six custom attributes, and the price plans on offer.
//! Changes ask for confirmation where they cannot be undone, and are audited.

use leptos::prelude::*;
use leptos_router::components::A;
use model::catalog::{Attribute, Tag};

use crate::api::catalog::{
    CreateTag, DeleteTag, RenameAttribute, SetAttributeEnabled, list_attributes, list_price_plans, list_tags,
};
use crate::components::fleet::{ConfirmDialog, ErrorNotice};
use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;

/// The page (`/fleet/tags`).
#[component]
pub fn CatalogPage() -> impl IntoView {
    view! { <RequireArea area=Area::Fleet><Catalog/></RequireArea> }
}

#[component]
fn Catalog() -> impl IntoView {
    let i18n = use_i18n();
    // Read-only identities (and read-only portal launches) are not offered changes; the server refuses them anyway.
    let can_write = use_context::<crate::api::Me>().is_some_and(|m| m.gsl.can_write());
    let create = ServerAction::<CreateTag>::new();
    let delete = ServerAction::<DeleteTag>::new();
    let rename = ServerAction::<RenameAttribute>::new();
    let enable = ServerAction::<SetAttributeEnabled>::new();
    let tags = Resource::new(move || (create.version().get(), delete.version().get()), |_| list_tags());
    let attributes = Resource::new(move || (rename.version().get(), enable.version().get()), |_| list_attributes());
    let plans = Resource::new(|| (), |_| list_price_plans());
    let errors = move || {
        [create.value().get().and_then(Result::err), delete.value().get().and_then(Result::err), rename.value().get().and_then(Result::err), enable.value().get().and_then(Result::err)]
            .into_iter()
            .flatten()
            .map(|e| view! { <ErrorNotice error=e/> })
            .collect_view()
    };
    view! {
        <h1>{move || i18n.t("nav.tags")}</h1>
        {errors}
        <section class="card">
            <h2>{move || i18n.t("col.tags")}</h2>
            {can_write.then(|| view! {
                <ActionForm action=create attr:class="inline-form">
                    <label>{move || i18n.t("tag.new")} <input name="name" maxlength="32" required data-testid="new-tag"/></label>
                    <button type="submit" data-testid="create-tag">{move || i18n.t("tag.create")}</button>
                </ActionForm>
            })}
            <Suspense fallback=move || view! { <p class="loading">{move || i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match tags.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">{move || i18n.t("tag.none")}</p> }.into_any(),
                        Ok(list) => view! { <table data-testid="tags"><tbody>
                            {list.into_iter().map(|t| view! { <TagRow t delete can_write/> }).collect_view()}
                        </tbody></table> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section class="card">
            <h2>{move || i18n.t("action.attributes")}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match attributes.await {
                        Ok(list) => view! { <table data-testid="attributes"><tbody>
                            {list.into_iter().map(|a| view! { <AttributeRow a rename enable can_write/> }).collect_view()}
                        </tbody></table> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section class="card">
            <h2>{move || i18n.t("plan.title")}</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match plans.await {
                        Ok(list) => view! { <table data-testid="price-plans">
                            <thead><tr><th scope="col">"ID"</th><th scope="col">{move || i18n.t("col.plan")}</th>
                                <th scope="col">"MB"</th><th scope="col">{move || i18n.t("plan.price")}</th><th scope="col">{move || i18n.t("plan.location")}</th></tr></thead>
                            <tbody>{list.into_iter().map(|p| view! { <tr>
                                <td><A href=format!("/fleet/sims?plan={}", p.id)>{p.id.clone()}</A></td><td>{p.name.clone()}</td>
                                <td>{p.flow_mb}</td>
                                <td>{p.price_cents.map(|c| format!("¥{}.{:02}", c / 100, c % 100))}</td>
                                <td>{p.location.clone()}</td>
                            </tr> }).collect_view()}</tbody>
                        </table> }.into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn TagRow(t: Tag, delete: ServerAction<DeleteTag>, can_write: bool) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    let id = t.id;
    let name = t.name.clone();
    let title = Signal::derive(move || i18n.t("tag.delete").to_owned());
    let body = Signal::derive({
        let name = name.clone();
        let cards = t.cards.unwrap_or(0);
        move || format!("{name}: {} ({cards})", i18n.t("tag.delete_effect"))
    });
    view! {
        <tr data-testid="tag-row">
            <th scope="row"><A href=format!("/fleet/sims?tag={id}")>{t.name.clone()}</A></th>
            <td data-testid="tag-cards">{t.cards}</td>
            {can_write.then(|| view! { <td><button type="button" class="danger" on:click=move |_| asking.set(true) data-testid="delete-tag">{move || i18n.t("tag.delete")}</button></td> })}
            {move || asking.get().then(|| view! {
                <td><ConfirmDialog title body danger=true busy=Signal::derive(move || delete.pending().get())
                    on_confirm=Callback::new(move |_| { delete.dispatch(DeleteTag { id }); asking.set(false); })
                    on_cancel=Callback::new(move |_| asking.set(false))/></td>
            })}
        </tr>
    }
}

#[component]
fn AttributeRow(a: Attribute, rename: ServerAction<RenameAttribute>, enable: ServerAction<SetAttributeEnabled>, can_write: bool) -> impl IntoView {
    let i18n = use_i18n();
    let id = a.id;
    let enabled = a.enabled;
    if !can_write {
        return view! {
            <tr data-testid="attribute-row">
                <th scope="row">"#" {id}</th>
                <td>{a.name.clone().unwrap_or(a.default_name.clone())}</td>
                <td>{move || i18n.t(if enabled { "attr.enabled" } else { "attr.disabled" })}</td>
            </tr>
        }
        .into_any();
    }
    view! {
        <tr data-testid="attribute-row">
            <th scope="row">"#" {id}</th>
            <td>
                <ActionForm action=rename attr:class="inline-form">
                    <input type="hidden" name="id" value=id/>
                    <input name="name" maxlength="32" required value=a.name.clone().unwrap_or_default()
                        placeholder=a.default_name.clone() aria-label=a.default_name.clone()/>
                    <button type="submit">{move || i18n.t("attr.rename")}</button>
                </ActionForm>
            </td>
            <td>
                <button type="button" on:click=move |_| { enable.dispatch(SetAttributeEnabled { id, enabled: !enabled }); }>
                    {move || i18n.t(if enabled { "attr.disable" } else { "attr.enable" })}
                </button>
                " " {move || i18n.t(if enabled { "attr.enabled" } else { "attr.disabled" })}
            </td>
        </tr>
    }
    .into_any()
}
