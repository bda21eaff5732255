//! The signed-in start page: who you are, what you may do, where to go.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::Me;
use crate::i18n::use_i18n;

/// Start page.
#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    let me = expect_context::<Me>();
    let (gsl, bss) = (me.gsl, me.bss);
    view! {
        <h1>{move || i18n.t("home.welcome")} ", " {me.user_name.clone()}</h1>
        <p class="lead">{move || i18n.t("app.tagline")}</p>
        <div class="cards">
            <section class="card" data-testid="area-fleet">
                <h2>{move || i18n.t("rights.gsl")}</h2>
                <p class="rights">{move || i18n.t(gsl.label_key())}</p>
                <Show when=move || gsl.can_read() fallback=move || view! { <p>{move || i18n.t("rights.lacks_gsl")}</p> }>
                    <p>{move || i18n.t("home.fleet")}</p>
                    <A href="/fleet">{move || i18n.t("nav.fleet")} " →"</A>
                </Show>
            </section>
            <section class="card" data-testid="area-finance">
                <h2>{move || i18n.t("rights.bss")}</h2>
                <p class="rights">{move || i18n.t(bss.label_key())}</p>
                <Show when=move || bss.can_read() fallback=move || view! { <p>{move || i18n.t("rights.lacks_bss")}</p> }>
                    <p>{move || i18n.t("home.finance")}</p>
                    <A href="/finance">{move || i18n.t("nav.finance")} " →"</A>
                </Show>
            </section>
        </div>
    }
}
