//! Coupons (limits, expiry), stored-value cards, and resource packages with what is left.

use leptos::prelude::*;
use model::finance::Benefits;
use rust_decimal::Decimal;

use crate::api::finance::list_benefits;
use crate::components::finance::{BssDate, Loading, Money, bar_height};
use crate::components::fleet::ErrorNotice;
use crate::components::layout::{Area, RequireArea};
use crate::i18n::use_i18n;

/// `/finance/coupons`.
#[component]
pub fn BenefitsPage() -> impl IntoView {
    view! { <RequireArea area=Area::Finance><BenefitsView/></RequireArea> }
}

fn coupon_status_key(status: i64) -> &'static str {
    match status {
        1 => "coupon.status.inactive",
        2 => "coupon.status.usable",
        3 => "coupon.status.used",
        4 => "coupon.status.expired",
        _ => "coupon.status.other",
    }
}

#[component]
fn BenefitsView() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| list_benefits());
    view! {
        <h1>{move || i18n.t("nav.coupons")}</h1>
        <Suspense fallback=|| view! { <Loading/> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(b) => view! { <Lists b/> }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Lists(b: Benefits) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" data-testid="coupons">
            <h2>{move || i18n.t("fin.coupons")} " · " {b.coupons.len()}</h2>
            {if b.coupons.is_empty() { view! { <p class="muted">{move || i18n.t("coupon.none")}</p> }.into_any() } else { view! {
                <table><thead><tr>
                    <th scope="col">{move || i18n.t("coupon.name")}</th><th scope="col">{move || i18n.t("res.status")}</th>
                    <th scope="col" class="num">{move || i18n.t("coupon.face")}</th><th scope="col" class="num">{move || i18n.t("coupon.left")}</th>
                    <th scope="col">{move || i18n.t("res.expires")}</th><th scope="col">{move || i18n.t("coupon.limits")}</th>
                </tr></thead><tbody>{b.coupons.iter().map(|c| {
                    let sk = coupon_status_key(c.status);
                    view! { <tr data-testid="coupon-row">
                        <th scope="row">{c.name.clone()} <br/><small class="muted"><code>{c.id.clone()}</code></small></th>
                        <td>{move || i18n.t(sk)}</td>
                        <td class="num"><Money amount=c.face_value/></td><td class="num"><Money amount=c.balance/></td>
                        <td>{c.expires.clone().map(|e| view! { <BssDate raw=e/> })}</td>
                        <td><small>{c.limits.join("; ")}</small></td>
                    </tr> }
                }).collect_view()}</tbody></table>
            }.into_any() }}
        </section>
        <section class="card" data-testid="cards">
            <h2>{move || i18n.t("fin.cards")} " · " {b.cards.len()}</h2>
            {if b.cards.is_empty() { view! { <p class="muted">{move || i18n.t("card.none")}</p> }.into_any() } else { view! {
                <table><tbody>{b.cards.iter().map(|c| view! { <tr>
                    <th scope="row">{c.name.clone()}</th><td class="num"><Money amount=c.face_value/></td><td class="num"><Money amount=c.balance/></td>
                    <td>{c.expires.clone().map(|e| view! { <BssDate raw=e/> })}</td>
                </tr> }).collect_view()}</tbody></table>
            }.into_any() }}
        </section>
        <section class="card" data-testid="packages">
            <h2>{move || i18n.t("package.title")} " · " {b.packages.len()}</h2>
            {if b.packages.is_empty() { view! { <p class="muted">{move || i18n.t("package.none")}</p> }.into_any() } else { view! {
                <table><tbody>{b.packages.iter().map(|p| view! { <tr>
                    <th scope="row">{p.name.clone()} <br/><small class="muted">{p.service.clone()}</small></th>
                    <td>{p.expires.clone().map(|e| view! { <BssDate raw=e/> })}</td>
                    <td>{p.quotas.iter().map(|(usage, left, granted)| {
                        let pct = bar_height(*left, (*granted).max(Decimal::ZERO));
                        view! { <div>{usage.clone()} ": " {left.normalize().to_string()} " / " {granted.normalize().to_string()}
                            <meter min="0" max="100" value=pct aria-label=usage.clone()></meter></div> }
                    }).collect_view()}</td>
                </tr> }).collect_view()}</tbody></table>
            }.into_any() }}
        </section>
    }
}
