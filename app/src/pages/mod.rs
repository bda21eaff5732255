//! Pages.

pub mod home;
pub mod login;
pub mod placeholder;

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The page for an unknown address.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <main class="narrow">
            <h1>"404"</h1>
            <p>{move || i18n.t("page.not_found")}</p>
            <a href="/">{move || i18n.t("app.name")}</a>
        </main>
    }
}
