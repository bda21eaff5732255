//! fleetdesk's UI: the document shell, the router, pages and components, and the thin server
//! functions they call. Built twice: with `ssr` for the server, with `hydrate` for the browser.

pub mod api;
pub mod components;
pub mod error;
pub mod i18n;
pub mod pages;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::api::SessionInfo;
use crate::error::AppError;
use crate::i18n::{I18n, Lang};

/// The session of the visitor, loaded once per page and refreshed after sign-in/out.
pub type SessionResource = Resource<Result<SessionInfo, AppError>>;

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: session, language, and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let info: SessionResource = Resource::new_blocking(|| (), |_| api::auth::load_session());
    let i18n = I18n(RwSignal::new(Lang::En));
    provide_context(info);
    provide_context(i18n);
    view! {
        <Stylesheet id="leptos" href="/pkg/fleetdesk.css"/>
        <Title text="fleetdesk"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                if let Ok(s) = info.await {
                    i18n.0.set(s.lang);
                }
                view! {
                    <leptos_meta::Html {..} lang=move || i18n.0.get().tag()/>
                    <Router>
                        <Routes fallback=pages::NotFound>
                            <Route path=path!("/login") view=pages::login::LoginPage/>
                            <ParentRoute path=path!("") view=components::layout::Console>
                                <Route path=path!("") view=pages::home::Home/>
                                <Route path=path!("fleet") view=pages::placeholder::FleetOverview/>
                                <Route path=path!("fleet/sims") view=pages::placeholder::SimCards/>
                                <Route path=path!("fleet/pools") view=pages::placeholder::FlowPools/>
                                <Route path=path!("fleet/work-orders") view=pages::placeholder::WorkOrders/>
                                <Route path=path!("finance") view=pages::placeholder::FinanceOverview/>
                                <Route path=path!("finance/bills") view=pages::placeholder::Bills/>
                                <Route path=path!("finance/orders") view=pages::placeholder::Orders/>
                                <Route path=path!("finance/renewals") view=pages::placeholder::Renewals/>
                                <Route path=path!("finance/coupons") view=pages::placeholder::Coupons/>
                            </ParentRoute>
                        </Routes>
                    </Router>
                }
            })}
        </Suspense>
    }
}
