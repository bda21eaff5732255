//! fleetdesk's UI: the document shell, the router, pages and components, and the thin server
//! functions they call. Built twice: with `ssr` for the server, with `hydrate` for the browser.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod error;
pub mod i18n;
pub mod pages;
pub mod security;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::api::SessionInfo;
use crate::error::AppError;
use crate::i18n::{I18n, Lang};

/// The session of the visitor, loaded once per page and refreshed after sign-in/out.
pub type SessionResource = Resource<Result<SessionInfo, AppError>>;

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::set_page_policy();
    view! {
        <!DOCTYPE html>
        <html>
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
    provide_context(info);
    // Until the session is known (and for the 404 page), English.
    provide_context(I18n(RwSignal::new(Lang::En)));
    view! {
        <Stylesheet id="leptos" href="/pkg/fleetdesk.css"/>
        <Title text="fleetdesk"/>
        <Router>
            <Routes fallback=pages::NotFound>
                <Route path=path!("/login") view=pages::login::LoginPage/>
                <ParentRoute path=path!("") view=components::layout::Console ssr=SsrMode::Async>
                    <Route path=path!("") view=pages::home::Home/>
                    <Route path=path!("fleet") view=pages::fleet::overview::FleetOverviewPage/>
                    <Route path=path!("fleet/sims") view=pages::fleet::inventory::InventoryPage/>
                    <Route path=path!("fleet/sims/:id") view=pages::fleet::sim::SimPage/>
                    <Route path=path!("fleet/jobs") view=pages::fleet::jobs::JobsPage/>
                    <Route path=path!("fleet/jobs/:id") view=pages::fleet::jobs::JobPage/>
                    <Route path=path!("fleet/audit") view=pages::fleet::audit::AuditPage/>
                    <Route path=path!("fleet/pools") view=pages::fleet::pools::PoolsPage/>
                    <Route path=path!("fleet/pools/:kind/:id") view=pages::fleet::pools::PoolPage/>
                    <Route path=path!("fleet/work-orders") view=pages::fleet::work_orders::WorkOrdersPage/>
                    <Route path=path!("fleet/work-orders/:id") view=pages::fleet::work_orders::WorkOrderPage/>
                    <Route path=path!("fleet/tags") view=pages::fleet::catalog::CatalogPage/>
                    <Route path=path!("finance") view=pages::finance::overview::FinanceOverviewPage/>
                    <Route path=path!("finance/bills") view=pages::finance::bills::BillsPage/>
                    <Route path=path!("finance/bills/:cycle/statement") view=pages::finance::bills::StatementPage/>
                    <Route path=path!("finance/costs") view=pages::finance::costs::CostsPage/>
                    <Route path=path!("finance/costs/:month") view=pages::finance::costs::BreakdownPage/>
                    <Route path=path!("finance/resources") view=pages::finance::resources::ResourcesPage/>
                    <Route path=path!("finance/resources/:id") view=pages::finance::resources::ResourceRecordsPage/>
                    <Route path=path!("finance/orders") view=pages::finance::orders::OrdersPage/>
                    <Route path=path!("finance/orders/:id") view=pages::finance::orders::OrderPage/>
                    <Route path=path!("finance/renewals") view=pages::finance::renewals::RenewalsPage/>
                    <Route path=path!("finance/renewals/calendar") view=pages::finance::renewals::CalendarPage/>
                    <Route path=path!("finance/coupons") view=pages::finance::benefits::BenefitsPage/>
                    <Route path=path!("finance/members") view=pages::finance::members::MembersPage/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Waits for the visitor's session, applies their language, then shows the children with it.
#[component]
pub fn WithSession<F, V>(children: F) -> impl IntoView
where
    F: Fn(Result<SessionInfo, AppError>) -> V + Send + Sync + Clone + 'static,
    V: IntoView + 'static,
{
    let info = expect_context::<SessionResource>();
    view! {
        <Suspense fallback=|| ()>
            {
                let children = children.clone();
                move || {
                    let children = children.clone();
                    Suspend::new(async move {
                        let session = info.await;
                        // A signal of its own, created with the visitor's language: no signal is written
                        // while the page renders, and the server writes the right <html lang>.
                        let lang = session.as_ref().map_or(Lang::default(), |s| s.lang);
                        let i18n = I18n(RwSignal::new(lang));
                        provide_context(i18n);
                        let tz = session.as_ref().map_or(crate::api::DEFAULT_TZ_MINUTES, |s| s.tz_minutes);
                        provide_context(crate::components::fleet::TimeZone(RwSignal::new(tz)));
                        view! {
                            <leptos_meta::Html {..} lang=move || i18n.0.get().tag()/>
                            {children(session)}
                        }
                    })
                }
            }
        </Suspense>
    }
}
