//! Sign-in: IAM user and password, or an access key pair; demo identities in sandbox mode.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::{SessionResource, WithSession};
use crate::api::Me;
use crate::api::auth::{SignIn, SignInDemo, SignInWithKey};
use crate::error::AppError;
use crate::i18n::use_i18n;

/// Shows an action's error, with the upstream request id when there is one.
#[component]
fn ActionError(error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|e| {
            view! {
                <div class="error" role="alert" data-testid="sign-in-error">
                    <p>{e.message.clone()}</p>
                    {e.request_id.clone().map(|id| view! { <p class="request-id">{move || i18n.t("common.request_id")} ": " <code>{id.clone()}</code></p> })}
                </div>
            }
        })
    }
}

/// The error of a sign-in action, as a signal.
fn error_of<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Output = Me, Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    view! { <WithSession children=|_| view! { <LoginForms/> }/> }
}

#[component]
fn LoginForms() -> impl IntoView {
    let i18n = use_i18n();
    let info = expect_context::<SessionResource>();
    let query = use_query_map();
    let password = ServerAction::<SignIn>::new();
    let key = ServerAction::<SignInWithKey>::new();
    let demo = ServerAction::<SignInDemo>::new();
    let navigate = use_navigate();
    let done = move |v: Option<Result<Me, AppError>>| matches!(v, Some(Ok(_)));
    Effect::new(move |_| {
        if done(password.value().get()) || done(key.value().get()) || done(demo.value().get()) {
            info.refetch();
            navigate("/", Default::default());
        }
    });
    let (password_err, key_err, demo_err) = (error_of(password), error_of(key), error_of(demo));
    let pending = move || password.pending().get() || key.pending().get() || demo.pending().get();
    let reason = move || query.read().get("reason");
    let signed_in = move || info.get().and_then(Result::ok).is_some_and(|s| s.me.is_some());
    let sandbox = move || info.get().and_then(Result::ok).and_then(|s| s.sandbox);
    view! {
        <Show when=signed_in>
            <Redirect path="/"/>
        </Show>
        <main class="login narrow">
            <h1>{move || i18n.t("app.name")}</h1>
            <p class="lead">{move || i18n.t("login.title")}</p>
            {move || match reason().as_deref() {
                Some("expired") => view! { <p class="notice" role="status" data-testid="expired">{move || i18n.t("login.expired")}</p> }.into_any(),
                Some("signed_out") => view! { <p class="notice" role="status">{move || i18n.t("login.signed_out")}</p> }.into_any(),
                _ => ().into_any(),
            }}
            {move || sandbox().map(|s| view! { <DemoIdentities s demo pending=Signal::derive(pending) demo_err/> })}
            <SignInForms password key pending=Signal::derive(pending) password_err key_err/>
            <p class="privacy">{move || i18n.t("login.privacy")}</p>
        </main>
    }
    .into_any()
}

#[component]
fn DemoIdentities(
    s: crate::api::SandboxInfo,
    demo: ServerAction<SignInDemo>,
    pending: Signal<bool>,
    demo_err: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
                <section class="sandbox" data-testid="sandbox-mode">
                    <p>{move || i18n.t("login.sandbox")}</p>
                    <h2>{move || i18n.t("login.demo")} " (" {s.account.clone()} ")"</h2>
                    <ul class="demo-identities">
                        {s.identities.into_iter().map(|d| view! {
                            <li>
                                <ActionForm action=demo>
                                    <input type="hidden" name="user" value=d.name.clone()/>
                                    <button type="submit" data-testid=format!("demo-{}", d.name) disabled=pending>
                                        {move || i18n.t("login.demo_as")} " " <strong>{d.name.clone()}</strong>
                                    </button>
                                    <span class="rights">{d.rights.clone()}</span>
                                </ActionForm>
                            </li>
                        }).collect_view()}
                    </ul>
                    <ActionError error=demo_err/>
                </section>
    }
    .into_any()
}

#[component]
fn SignInForms(
    password: ServerAction<SignIn>,
    key: ServerAction<SignInWithKey>,
    pending: Signal<bool>,
    password_err: Signal<Option<AppError>>,
    key_err: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let use_key = RwSignal::new(false);
    view! {
            <div class="tabs" role="tablist">
                <button type="button" role="tab" aria-selected=move || (!use_key.get()).to_string() on:click=move |_| use_key.set(false)>
                    {move || i18n.t("login.password_tab")}
                </button>
                <button type="button" role="tab" aria-selected=move || use_key.get().to_string() on:click=move |_| use_key.set(true)>
                    {move || i18n.t("login.key_tab")}
                </button>
            </div>
            <Show when=move || !use_key.get()>
                <ActionForm action=password attr:class="form" attr:data-testid="password-form">
                    <label>{move || i18n.t("login.account")}<input name="account" autocomplete="organization" required maxlength="64"/></label>
                    <label>{move || i18n.t("login.user")}<input name="user" autocomplete="username" required maxlength="64"/></label>
                    <label>{move || i18n.t("login.password")}<input name="password" type="password" autocomplete="current-password" required maxlength="128"/></label>
                    <button type="submit" disabled=pending>{move || if pending.get() { i18n.t("login.signing_in") } else { i18n.t("login.submit") }}</button>
                    <ActionError error=password_err/>
                </ActionForm>
            </Show>
            <Show when=move || use_key.get()>
                <ActionForm action=key attr:class="form">
                    <label>{move || i18n.t("login.ak")}<input name="ak" autocomplete="off" required maxlength="128"/></label>
                    <label>{move || i18n.t("login.sk")}<input name="sk" type="password" autocomplete="off" required maxlength="256"/></label>
                    <button type="submit" disabled=pending>{move || i18n.t("login.submit")}</button>
                    <ActionError error=key_err/>
                </ActionForm>
            </Show>
    }
    .into_any()
}
