//! The signed-in frame: header with identity, language, theme and sign-out; navigation by area.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet, Redirect};
use leptos_router::hooks::use_navigate;

use crate::{SessionResource, WithSession};
use crate::api::auth::{SignOut, set_lang};
use crate::api::{AccessView, EmbedInfo, Me};
use crate::components::embed::EmbedBridge;
use crate::i18n::use_i18n;

/// Which part of the console a page belongs to (decides the rights it needs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Global SIM Link pages.
    Fleet,
    /// BSS pages.
    Finance,
}

/// The frame of every signed-in page; sends visitors who are not signed in to the sign-in page.
#[component]
pub fn Console() -> impl IntoView {
    view! {
        <WithSession children=|session| match session {
            Ok(s) => match s.me {
                Some(me) => view! { <Frame me embed=s.embed/> }.into_any(),
                None if s.expired => view! { <Redirect path="/login?reason=expired"/> }.into_any(),
                None => view! { <Redirect path="/login"/> }.into_any(),
            },
            Err(e) => view! { <p class="error" role="alert">{e.message}</p> }.into_any(),
        }/>
    }
}

#[component]
fn Frame(me: Me, embed: EmbedInfo) -> impl IntoView {
    let i18n = use_i18n();
    // Compact (no top bar: the portal has its own) when the launch asked for it or the URL does.
    let query = leptos_router::hooks::use_query_map();
    let compact = embed.compact || query.with_untracked(|q| q.get("layout").is_some_and(|l| l == "compact"));
    let info = expect_context::<SessionResource>();
    provide_context(me.clone());
    let sign_out = ServerAction::<SignOut>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            info.refetch();
            navigate("/login?reason=signed_out", Default::default());
        }
    });
    let theme = RwSignal::new("auto");
    // The browser tells its time zone once; dates re-render in it and the server remembers it.
    #[cfg(feature = "hydrate")]
    {
        let tz = expect_context::<crate::components::fleet::TimeZone>();
        Effect::new(move |_| {
            // getTimezoneOffset is minutes *behind* UTC; fleetdesk stores minutes ahead.
            let offset = -(js_sys::Date::new_0().get_timezone_offset() as i32);
            if tz.0.get_untracked() != offset {
                tz.0.set(offset);
                leptos::task::spawn_local(async move {
                    let _ = crate::api::auth::set_tz(offset).await;
                });
            }
        });
    }
    let switch_lang = move |_| {
        let next = i18n.0.get_untracked().other();
        i18n.0.set(next);
        leptos::task::spawn_local(async move {
            let _ = set_lang(next).await;
        });
    };
    view! {
        <leptos_meta::Html {..} attr:data-theme=move || theme.get()/>
        <a class="skip-link" href="#main">{move || i18n.t("nav.skip")}</a>
        <EmbedBridge origins=embed.origins.clone()/>
        {(!compact).then(|| view! { <TopBar me=me.clone() theme switch_lang sign_out/> })}
        {embed.read_only.then(|| view! { <p class="read-only-note" data-testid="read-only-note">{move || i18n.t("embed.read_only")}</p> })}
        <div class="console" class:compact=compact data-testid="console">
            <SideNav gsl=me.gsl bss=me.bss/>
            <main id="main" tabindex="-1">
                <Outlet/>
            </main>
        </div>
    }
    .into_any()
}

#[component]
fn TopBar(
    me: Me,
    theme: RwSignal<&'static str>,
    switch_lang: impl Fn(leptos::ev::MouseEvent) + 'static,
    sign_out: ServerAction<SignOut>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">{move || i18n.t("app.name")}</A>
            <div class="identity" data-testid="identity">
                <span class="account" title=move || i18n.t("header.account")>{me.account.clone()}</span>
                " / "
                <span class="user" title=move || i18n.t("header.user")>{me.user_name.clone()}</span>
            </div>
            <div class="tools">
                <button type="button" class="lang-switch" data-testid="lang-switch" on:click=switch_lang>
                    {move || i18n.0.get().other().name()}
                </button>
                <button
                    type="button"
                    class="theme-switch"
                    aria-label=move || i18n.t("header.theme")
                    on:click=move |_| theme.update(|t| *t = if *t == "dark" { "light" } else { "dark" })
                >
                    "◐"
                </button>
                <ActionForm action=sign_out>
                    <button type="submit" data-testid="sign-out">{move || i18n.t("header.sign_out")}</button>
                </ActionForm>
            </div>
        </header>
    }
    .into_any()
}

#[component]
fn SideNav(gsl: AccessView, bss: AccessView) -> impl IntoView {
    let i18n = use_i18n();
    let fleet = view! {
        <h2>{move || i18n.t("nav.fleet")}</h2>
        <ul>
            <li><A href="/fleet" exact=true>{move || i18n.t("nav.overview")}</A></li>
            <li><A href="/fleet/sims">{move || i18n.t("nav.sims")}</A></li>
            <li><A href="/fleet/pools">{move || i18n.t("nav.pools")}</A></li>
            <li><A href="/fleet/jobs">{move || i18n.t("nav.jobs")}</A></li>
            <li><A href="/fleet/work-orders">{move || i18n.t("nav.work_orders")}</A></li>
            <li><A href="/fleet/tags">{move || i18n.t("nav.tags")}</A></li>
            <li><A href="/fleet/audit">{move || i18n.t("nav.audit")}</A></li>
        </ul>
    }
    .into_any();
    let finance = view! {
        <h2>{move || i18n.t("nav.finance")}</h2>
        <ul>
            <li><A href="/finance" exact=true>{move || i18n.t("nav.overview")}</A></li>
            <li><A href="/finance/bills">{move || i18n.t("nav.bills")}</A></li>
            <li><A href="/finance/costs">{move || i18n.t("nav.costs")}</A></li>
            <li><A href="/finance/resources">{move || i18n.t("nav.resources")}</A></li>
            <li><A href="/finance/orders">{move || i18n.t("nav.orders")}</A></li>
            <li><A href="/finance/renewals">{move || i18n.t("nav.renewals")}</A></li>
            <li><A href="/finance/coupons">{move || i18n.t("nav.coupons")}</A></li>
            <li><A href="/finance/members">{move || i18n.t("nav.members")}</A></li>
        </ul>
    }
    .into_any();
    view! {
        <nav class="sidenav" aria-label="main">
            {gsl.can_read().then_some(fleet)}
            {bss.can_read().then_some(finance)}
        </nav>
    }
    .into_any()
}

/// Shows a page of an area, or explains that the IAM user lacks the permission for it.
#[component]
pub fn RequireArea(area: Area, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let me = expect_context::<Me>();
    let (access, key) = match area {
        Area::Fleet => (me.gsl, "rights.lacks_gsl"),
        Area::Finance => (me.bss, "rights.lacks_bss"),
    };
    if access == AccessView::None {
        view! { <p class="notice" role="status" data-testid="lacks-rights">{move || i18n.t(key)}</p> }.into_any()
    } else {
        children().into_any()
    }
}
