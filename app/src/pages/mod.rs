//! Pages.

pub mod finance;
pub mod fleet;
pub mod home;
pub mod login;

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// The page for an unknown address.
#[component]
pub fn NotFound() -> impl IntoView {
    // The server answers unknown paths with 404 (file_and_error_handler); this is what it shows.
    let i18n = use_i18n();
    view! {
        <main class="narrow">
            <h1>"404"</h1>
            <p>{move || i18n.t("page.not_found")}</p>
            <a href="/">{move || i18n.t("app.name")}</a>
        </main>
    }
}
