//! Pages still being built: each says what it will show, under the rights of its area.

use leptos::prelude::*;

use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;

#[component]
fn Planned(area: Area, title: &'static str, body: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <RequireArea area>
            <h1>{move || i18n.t(title)}</h1>
            <section class="empty-state">
                <p>{move || i18n.t("page.coming")}</p>
                <p>{move || i18n.t(body)}</p>
            </section>
        </RequireArea>
    }
}

/// Finance overview.
#[component]
pub fn FinanceOverview() -> impl IntoView {
    view! { <Planned area=Area::Finance title="nav.overview" body="page.finance_overview"/> }
}
/// Bills.
#[component]
pub fn Bills() -> impl IntoView {
    view! { <Planned area=Area::Finance title="nav.bills" body="page.bills"/> }
}
/// Orders.
#[component]
pub fn Orders() -> impl IntoView {
    view! { <Planned area=Area::Finance title="nav.orders" body="page.orders"/> }
}
/// Renewals.
#[component]
pub fn Renewals() -> impl IntoView {
    view! { <Planned area=Area::Finance title="nav.renewals" body="page.renewals"/> }
}
/// Coupons and resource packages.
#[component]
pub fn Coupons() -> impl IntoView {
    view! { <Planned area=Area::Finance title="nav.coupons" body="page.coupons"/> }
}
