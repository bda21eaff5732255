//! Signing in and out, who is signed in, and the language preference.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::context::{fail, server_context, session};
use super::SessionInfo;
use crate::error::AppError;
use crate::i18n::Lang;

/// Cookie holding the language of visitors who are not signed in.
pub const LANG_COOKIE: &str = "fleetdesk_lang";
/// Cookie holding the browser's time zone offset (minutes east of UTC).
pub const TZ_COOKIE: &str = "fleetdesk_tz";

#[cfg(feature = "ssr")]
mod imp {
    use console::identity::{self, UserSession};
    use console::{Access, preferences};
    use http::header;

    use super::LANG_COOKIE;
    use crate::api::{AccessView, DemoIdentity, Me, SandboxInfo};
    use crate::api::context::ServerContext;
    use crate::i18n::Lang;

    pub fn access(a: Access) -> AccessView {
        match a {
            Access::None => AccessView::None,
            Access::Read => AccessView::Read,
            Access::Write => AccessView::Write,
            _ => AccessView::Unknown,
        }
    }

    pub fn me(u: &UserSession) -> Me {
        Me {
            account: u.account.clone(),
            user_name: u.user_name.clone(),
            gsl: access(u.rights.gsl),
            bss: access(u.rights.bss),
            expires_at: u.expires_at,
        }
    }

    pub fn sandbox_info(ctx: &ServerContext) -> Option<SandboxInfo> {
        ctx.sandbox.as_ref().map(|s| SandboxInfo {
            account: s.account.clone(),
            identities: s.users.iter().map(|u| DemoIdentity { name: u.name.clone(), rights: u.rights.clone() }).collect(),
        })
    }

    /// Language: the signed-in person's preference, else the cookie, else Accept-Language.
    pub async fn lang(ctx: &ServerContext, user: Option<&UserSession>) -> Lang {
        if let Some(u) = user
            && let Ok(Some(tag)) = preferences::locale(&ctx.db, &u.account, &u.user_name).await {
                return Lang::from_tag(&tag);
            }
        let parts = leptos::prelude::use_context::<http::request::Parts>();
        let headers = parts.as_ref().map(|p| &p.headers);
        cookie(LANG_COOKIE).map(|c| Lang::from_tag(&c)).unwrap_or_else(|| {
            headers
                .and_then(|h| h.get(header::ACCEPT_LANGUAGE))
                .and_then(|v| v.to_str().ok())
                .map_or(Lang::En, Lang::from_accept_language)
        })
    }

    /// The attributes of a preference cookie: usable inside a portal's frame when embedding is on
    /// (a cross-site frame keeps only `SameSite=None; Secure` cookies, partitioned per portal).
    pub fn cookie_scope(ctx: &ServerContext) -> &'static str {
        if ctx.frame_origins.is_empty() { "SameSite=Lax" } else { "SameSite=None; Secure; Partitioned" }
    }

    /// A cookie of the request, if sent.
    pub fn cookie(name: &str) -> Option<String> {
        let parts = leptos::prelude::use_context::<http::request::Parts>()?;
        let header = parts.headers.get(header::COOKIE)?.to_str().ok()?;
        header.split(';').find_map(|kv| kv.trim().strip_prefix(&format!("{name}=")).map(str::to_owned))
    }

    pub async fn signed_in(user: UserSession) -> Result<Me, crate::error::AppError> {
        let session = crate::api::context::session().await?;
        identity::start_session(&session, &user).await?;
        console::embed::forget(&session).await?;
        tracing::info!(account = %user.account, user = %user.user_name, "signed in");
        Ok(me(&user))
    }
}

/// Who is signed in, the language, and sandbox details for the sign-in page.
#[server(endpoint = "session")]
pub async fn load_session() -> Result<SessionInfo, AppError> {
    let ctx = server_context()?;
    let session = session().await?;
    let (user, expired) = match console::identity::current_user(&session).await {
        Ok(user) => (user, false),
        Err(console::ServiceError::SessionExpired) => (None, true),
        Err(e) => return fail(e),
    };
    let launched = match (&user, console::embed::embedded(&session).await) {
        (Some(_), Ok(launched)) => launched,
        (None, _) => None,
        (_, Err(e)) => return fail(e),
    };
    let embed = super::EmbedInfo {
        origins: ctx.frame_origins.as_ref().clone(),
        compact: launched.as_ref().is_some_and(|l| l.compact),
        read_only: launched.as_ref().is_some_and(|l| l.read_only),
    };
    Ok(SessionInfo {
        embed,
        me: user.as_ref().map(imp::me),
        expired,
        sandbox: imp::sandbox_info(&ctx),
        lang: imp::lang(&ctx, user.as_ref()).await,
        tz_minutes: imp::cookie(TZ_COOKIE)
            .and_then(|v| v.parse::<i32>().ok())
            .filter(|m| (-900..=900).contains(m))
            .unwrap_or(super::DEFAULT_TZ_MINUTES),
    })
}

/// Signs in with account, IAM user name and password.
#[server(endpoint = "sign_in")]
pub async fn sign_in(account: String, user: String, password: String) -> Result<super::Me, AppError> {
    let ctx = server_context()?;
    let password = secrecy::SecretString::from(password);
    match console::identity::sign_in_with_password(&ctx.client, &account, &user, &password).await {
        Ok(u) => imp::signed_in(u).await,
        Err(e) => fail(e),
    }
}

/// Signs in with an access key pair.
#[server(endpoint = "sign_in_key")]
pub async fn sign_in_with_key(ak: String, sk: String) -> Result<super::Me, AppError> {
    let ctx = server_context()?;
    let sk = secrecy::SecretString::from(sk);
    match console::identity::sign_in_with_access_key(&ctx.client, &ak, &sk).await {
        Ok(u) => imp::signed_in(u).await,
        Err(e) => fail(e),
    }
}

/// Sandbox mode only: signs in as a demo identity (the server knows its password; the browser never does).
#[server(endpoint = "sign_in_demo")]
pub async fn sign_in_demo(user: String) -> Result<super::Me, AppError> {
    use crate::error::ErrorKind;
    let ctx = server_context()?;
    let Some(demo) = ctx.sandbox.clone() else {
        return fail(AppError::new(ErrorKind::Forbidden, "Demo identities exist only in sandbox mode."));
    };
    let Some(u) = demo.users.iter().find(|u| u.name == user) else {
        return fail(AppError::new(ErrorKind::InvalidInput, "There is no such demo identity."));
    };
    match console::identity::sign_in_with_password(&ctx.client, &demo.account, &u.name, &u.password).await {
        Ok(u) => imp::signed_in(u).await,
        Err(e) => fail(e),
    }
}

/// Signs out: the session is deleted on the server.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let session = session().await?;
    match console::identity::end_session(&session).await {
        Ok(()) => Ok(()),
        Err(e) => fail(e),
    }
}

/// Sets the UI language: kept for the signed-in identity, and in a cookie for the browser.
#[server(endpoint = "set_lang")]
pub async fn set_lang(lang: Lang) -> Result<(), AppError> {
    let ctx = server_context()?;
    let session = session().await?;
    if let Ok(Some(user)) = console::identity::current_user(&session).await {
        if let Err(e) = console::preferences::set_locale(&ctx.db, &user.account, &user.user_name, lang.tag()).await {
            return fail(console::ServiceError::from(e));
        }
    } else if let Err(e) = session.insert(LANG_COOKIE, lang.tag()).await {
        return fail(console::ServiceError::from(e));
    }
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; {}", lang.tag(), imp::cookie_scope(&ctx));
        if let Ok(v) = http::HeaderValue::from_str(&cookie) {
            opts.append_header(http::header::SET_COOKIE, v);
        }
    }
    Ok(())
}

/// Remembers the browser's time zone (minutes east of UTC) so dates render in it from the server.
#[server(endpoint = "set_tz")]
pub async fn set_tz(minutes: i32) -> Result<(), AppError> {
    if !(-900..=900).contains(&minutes) {
        return fail(AppError::new(crate::error::ErrorKind::InvalidInput, "A time zone offset is between -15 and +15 hours."));
    }
    let ctx = server_context()?;
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        let cookie = format!("{TZ_COOKIE}={minutes}; Path=/; Max-Age=31536000; {}", imp::cookie_scope(&ctx));
        if let Ok(v) = http::HeaderValue::from_str(&cookie) {
            opts.append_header(http::header::SET_COOKIE, v);
        }
    }
    Ok(())
}
