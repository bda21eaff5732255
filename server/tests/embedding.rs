//! fleetdesk inside a portal's iframe, through the real server against the sandbox: who may frame
//! it, the session cookie in each mode, portal launch tokens (valid, expired, replayed, tampered,
//! for another audience) and their one-time URLs, and a read-only launch refused on every change.
#![recursion_limit = "256"]

mod common;

use chrono::Utc;
use common::{Backend, TestApp};
use console::embed::launch_token::{LaunchClaims, LaunchCredential, LaunchRole, sign};
use reqwest::header::{HeaderMap, HeaderValue};
use secrecy::SecretString;
use serde_json::{Value, json};
use server::config::EmbedConfig;

const PORTAL: &str = "https://portal.example";
const SECRET: &str = "a secret the portal's backend shares with fleetdesk";

fn embedding() -> EmbedConfig {
    EmbedConfig {
        allowed_origins: vec![PORTAL.into(), "http://127.0.0.1:9".into()],
        launch_secret: Some(SecretString::from(SECRET)),
        audience: Some("fleetdesk-test".into()),
    }
}

fn csp(resp: &reqwest::Response) -> String {
    resp.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

fn frame_ancestors(resp: &reqwest::Response) -> String {
    csp(resp).split(';').map(str::trim).find(|d| d.starts_with("frame-ancestors")).unwrap_or_default().to_owned()
}

fn set_cookie(resp: &reqwest::Response) -> String {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{}=", server::startup::SESSION_COOKIE)))
        .unwrap_or_default()
        .to_owned()
}

/// A browser inside the portal's frame: it sends the session cookie it was given (the cookie is
/// Secure, which reqwest's store will not send over plain HTTP, so it is sent by hand).
fn framed(app: &TestApp, cookie: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert("origin", HeaderValue::from_str(&app.base).expect("origin"));
    headers.insert("cookie", HeaderValue::from_str(&format!("{}={cookie}", server::startup::SESSION_COOKIE)).expect("cookie"));
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).default_headers(headers).build().expect("client")
}

fn claims(role: LaunchRole, credential: LaunchCredential) -> LaunchClaims {
    let now = Utc::now().timestamp();
    LaunchClaims {
        iss: "portal".into(),
        aud: "fleetdesk-test".into(),
        sub: "alice@corp".into(),
        iat: now,
        exp: now + 60,
        jti: uuid::Uuid::new_v4().to_string(),
        role,
        landing: "/finance".into(),
        compact: true,
        credential,
    }
}

fn admin_key(app: &TestApp) -> LaunchCredential {
    let account = &app.sandbox().account;
    let admin = &account.users[account.by_name("admin").expect("admin")];
    LaunchCredential::AkSk { ak: admin.ak.clone(), sk: admin.sk.clone() }
}

/// What a portal's backend does: posts the token, gets the launch URL (or the refusal).
async fn post_launch(app: &TestApp, token: &str) -> (u16, Value) {
    let resp = reqwest::Client::new().post(app.url("/embed/launch")).bearer_auth(token).send().await.expect("launch");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Opens a launch URL as the framed browser would: the session cookie, and where it lands.
async fn open(url: &str) -> (u16, String, String) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let resp = client.get(url).header("sec-fetch-dest", "iframe").send().await.expect("enter");
    let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let cookie = common::session_cookie(&resp).unwrap_or_default();
    (resp.status().as_u16(), location, cookie)
}

/// A launched session's cookie.
async fn launched(app: &TestApp, role: LaunchRole) -> String {
    let (status, body) = post_launch(app, &sign(&claims(role, admin_key(app)), SECRET.as_bytes())).await;
    assert_eq!(status, 200, "{body}");
    let (status, location, cookie) = open(body["url"].as_str().expect("url")).await;
    assert_eq!((status, location.as_str()), (303, "/finance"));
    assert!(!cookie.is_empty(), "a session starts");
    cookie
}

#[tokio::test(flavor = "current_thread")]
async fn only_configured_portals_may_frame_any_page() {
    let standalone = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let embedded = TestApp::spawn_embedded(Backend::Sqlite, embedding()).await.expect("app");
    let client = reqwest::Client::new();
    for path in ["/login", "/healthz", "/finance/statement.csv?cycle=2026-10", "/pkg/none.js", "/embed/enter?code=x"] {
        let resp = client.get(standalone.url(path)).send().await.expect("get");
        assert_eq!(frame_ancestors(&resp), "frame-ancestors 'none'", "{path}");
        assert_eq!(resp.headers().get("x-frame-options").and_then(|v| v.to_str().ok()), Some("DENY"), "{path}");

        let resp = client.get(embedded.url(path)).send().await.expect("get");
        assert_eq!(frame_ancestors(&resp), "frame-ancestors https://portal.example http://127.0.0.1:9", "{path}: exactly the portals");
        assert!(!csp(&resp).contains("evil") && !csp(&resp).contains('*'), "{path}: no other origin");
        assert!(resp.headers().get("x-frame-options").is_none(), "{path}: frame-ancestors decides");
    }
    // The page's own policy keeps its script nonce.
    let page = client.get(embedded.url("/login")).send().await.expect("page");
    assert!(csp(&page).contains("'nonce-"), "{}", csp(&page));
    // No launch endpoint where no secret is shared.
    let resp = client.post(standalone.url("/embed/launch")).bearer_auth("x").send().await.expect("launch");
    assert!(matches!(resp.status().as_u16(), 404 | 405), "{}", resp.status());
}

#[tokio::test(flavor = "current_thread")]
async fn the_session_cookie_fits_each_mode() {
    let standalone = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let client = common::browser(&standalone.base);
    let cookie = set_cookie(&standalone.sign_in(&client, "finance").await);
    assert!(cookie.contains("SameSite=Lax") && cookie.contains("HttpOnly"), "{cookie}");
    assert!(!cookie.contains("Secure") && !cookie.contains("Partitioned"), "{cookie}");

    let embedded = TestApp::spawn_embedded(Backend::Sqlite, embedding()).await.expect("app");
    let client = common::browser(&embedded.base);
    let resp = embedded.sign_in(&client, "finance").await;
    assert!(resp.status().is_success(), "the ordinary sign-in form works framed");
    let cookie = set_cookie(&resp);
    for attribute in ["SameSite=None", "Secure", "Partitioned", "HttpOnly"] {
        assert!(cookie.contains(attribute), "{attribute}: {cookie}");
    }
    assert_eq!(cookie.matches("Partitioned").count(), 1, "{cookie}");
}

async fn launch_tokens_are_checked(app: TestApp) {
    let key = admin_key(&app);
    // A valid token: a one-time URL on this server, opened once, into the landing page.
    let good = claims(LaunchRole::Operator, key);
    let token = sign(&good, SECRET.as_bytes());
    let (status, body) = post_launch(&app, &token).await;
    assert_eq!(status, 200, "{body}");
    let url = body["url"].as_str().expect("url").to_owned();
    assert!(url.starts_with(&format!("{}/embed/enter?code=", app.base)), "{url}");
    // Opened in a tab instead of the portal's frame (a link sent to someone): refused, and still unused.
    let tab = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let resp = tab.get(&url).header("sec-fetch-dest", "document").send().await.expect("enter");
    assert_eq!(resp.status(), 403);
    assert!(common::session_cookie(&resp).is_none(), "no session");
    let (status, location, cookie) = open(&url).await;
    assert_eq!((status, location.as_str()), (303, "/finance"));
    let client = framed(&app, &cookie);
    let session = app.session(&client).await;
    assert!(session["me"]["user_name"].as_str().is_some_and(|u| u.contains("alice@corp")), "{session}");
    assert_eq!(session["embed"]["compact"], json!(true));
    assert_eq!(session["embed"]["read_only"], json!(false));
    assert_eq!(session["embed"]["origins"], json!([PORTAL, "http://127.0.0.1:9"]));
    // An operator acts: a tag is created, under the portal user's name in the audit log.
    let tag = app.call(&client, "fleet/tags/create", &[("name", "portal-tag")]).await;
    assert_eq!(tag.status(), 200, "{:?}", tag.text().await);
    let audit: Value = app.call(&client, "fleet/audit", &[("query", "")]).await.json().await.expect("audit");
    assert!(audit[0]["iam_user"].as_str().is_some_and(|u| u.contains("alice@corp")), "{audit}");

    // The URL works once, and the sealed credential behind it is gone.
    assert_eq!(open(&url).await.0, 410, "a used launch URL");
    assert_eq!(launch_rows(&app).await, 0, "nothing of the launch is kept");
    // The token works once.
    let (status, body) = post_launch(&app, &token).await;
    assert_eq!((status, body["reason"].as_str()), (401, Some("the launch token was already used")));

    // Expired, tampered with, for another audience, signed with another secret: refused.
    let now = Utc::now().timestamp();
    let expired = LaunchClaims { iat: now - 120, exp: now - 60, jti: "expired".into(), ..good.clone() };
    let (status, body) = post_launch(&app, &sign(&expired, SECRET.as_bytes())).await;
    assert_eq!((status, body["reason"].as_str()), (401, Some("the launch token has expired or is not valid now")));
    let fresh = LaunchClaims { jti: "tampered".into(), ..good.clone() };
    let signed = sign(&fresh, SECRET.as_bytes());
    let mut parts: Vec<String> = signed.split('.').map(str::to_owned).collect();
    let promoted = LaunchClaims { sub: "mallory@corp".into(), ..fresh.clone() };
    parts[1] = base64_url(&serde_json::to_vec(&promoted).expect("json"));
    let (status, body) = post_launch(&app, &parts.join(".")).await;
    assert_eq!((status, body["reason"].as_str()), (401, Some("the launch token's signature does not match")));
    let other = LaunchClaims { aud: "another-console".into(), jti: "aud".into(), ..good.clone() };
    let (status, body) = post_launch(&app, &sign(&other, SECRET.as_bytes())).await;
    assert_eq!((status, body["reason"].as_str()), (401, Some("the launch token is for another audience")));
    let (status, _) = post_launch(&app, &sign(&LaunchClaims { jti: "secret".into(), ..good.clone() }, b"not the shared secret at all, no")).await;
    assert_eq!(status, 401);
    let resp = reqwest::Client::new().post(app.url("/embed/launch")).send().await.expect("launch");
    assert_eq!(resp.status(), 400, "no token");

    // A launch URL not opened within its minute is refused.
    let (_, body) = post_launch(&app, &sign(&LaunchClaims { jti: "late".into(), ..good.clone() }, SECRET.as_bytes())).await;
    let late = body["url"].as_str().expect("url").to_owned();
    expire_launches(&app).await;
    assert_eq!(open(&late).await.0, 410, "an expired launch URL");

    // IAM tokens the portal holds for its user work as well.
    let hw = hwcloud::Client::new(hwcloud::ClientConfig { endpoints: hwcloud::Endpoints::single(&app.sandbox_url), ..Default::default() });
    let password = SecretString::from(app.demo_password("fleet"));
    let login = hw.login_with_password(&app.account_name(), "fleet", &password).await.expect("login");
    let hwcloud::credentials::Credentials::Tokens { project: Some(project), domain: Some(domain) } = &login.identity.credentials else {
        panic!("tokens");
    };
    let expose = |t: &hwcloud::credentials::ScopedToken| secrecy::ExposeSecret::expose_secret(&t.token).to_owned();
    let tokens = LaunchCredential::IamTokens { project: Some(expose(project)), domain: Some(expose(domain)) };
    let (status, body) = post_launch(&app, &sign(&claims(LaunchRole::Operator, tokens), SECRET.as_bytes())).await;
    assert_eq!(status, 200, "{body}");
    let (_, _, cookie) = open(body["url"].as_str().expect("url")).await;
    let session = app.session(&framed(&app, &cookie)).await;
    assert!(session["me"]["user_name"].as_str().is_some_and(|u| u.contains("fleet")), "{session}");
    assert_eq!(session["me"]["bss"], json!("None"), "the fleet user's own rights: {session}");
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

async fn launch_rows(app: &TestApp) -> i64 {
    const Q: &str = "SELECT COUNT(*) FROM launches";
    match app.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&app.database_url).await.expect("sqlite");
            sqlx::query_scalar(Q).fetch_one(&pool).await.expect("count")
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.database_url).await.expect("postgres");
            sqlx::query_scalar(Q).fetch_one(&pool).await.expect("count")
        }
    }
}

async fn expire_launches(app: &TestApp) {
    const Q: &str = "UPDATE launches SET expires_at = 0";
    match app.backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&app.database_url).await.expect("sqlite");
            sqlx::query(Q).execute(&pool).await.expect("expire");
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&app.database_url).await.expect("postgres");
            sqlx::query(Q).execute(&pool).await.expect("expire");
        }
    }
}

/// Requests the sandbox received, all operations together.
fn upstream_calls(app: &TestApp) -> u64 {
    sandbox::lock(&app.sandbox().counters).received.values().sum()
}

async fn a_read_only_launch_refuses_every_change(app: TestApp) {
    let cookie = launched(&app, LaunchRole::ReadOnly).await;
    let client = framed(&app, &cookie);
    let session = app.session(&client).await;
    assert_eq!(session["embed"]["read_only"], json!(true));
    assert_eq!((session["me"]["gsl"].as_str(), session["me"]["bss"].as_str()), (Some("Read"), Some("Read")), "{session}");
    // It reads.
    assert_eq!(app.call(&client, "finance/overview", &[]).await.status(), 200);
    assert_eq!(app.call(&client, "fleet/sims", &[("query", "size=10")]).await.status(), 200);

    let (card, order, resource, expiry, member) = {
        let w = sandbox::read(&app.sandbox().world);
        let card = 10_000_001i64; // the first card (ids are 10000001 onwards)
        let order = w.billing.orders.iter().find(|o| o.status == sandbox::world::billing::order_status::PENDING_PAYMENT).expect("pending").id.clone();
        let r = w.billing.resources.iter().find(|r| r.master.is_none()).expect("resource");
        (card, order, r.id.clone(), r.expire.format("%Y-%m-%dT%H:%M:%SZ").to_string(), w.enterprise.members[0].id.clone())
    };
    let before = upstream_calls(&app);
    let json_calls: Vec<(&str, Value)> = vec![
        ("fleet/act", json!({ "sim_card_id": card, "action": "Stop" })),
        ("fleet/jobs/create", json!({ "action": "Stop", "selection": { "Cards": [card] } })),
        ("finance/pay", json!({ "request": { "order_id": order, "coupon_ids": [], "discount_id": null } })),
        ("finance/renew", json!({ "request": { "resource_ids": [resource], "period": { "Months": 1 }, "auto_pay": true, "expected_expiries": { resource.as_str(): expiry } } })),
        ("finance/expiry", json!({ "resource_id": resource, "change": "AutoRenewOn" })),
        ("finance/unsubscribe", json!({ "request": { "resource_ids": [resource], "kind": "Whole" } })),
        ("finance/transfer", json!({ "request": { "member_id": member, "amount": "1.00", "direction": "ToMember", "form_token": "aaaaaaaaaaaaaaaaaaaaaaaa" } })),
    ];
    for (endpoint, body) in json_calls {
        let resp = app.call_json(&client, endpoint, &body).await;
        assert_eq!(resp.status(), 403, "{endpoint}: {:?}", resp.text().await);
    }
    let form_calls: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("finance/cancel", vec![("order_id", order.clone())]),
        ("fleet/tags/create", vec![("name", "nope".into())]),
        ("fleet/tags/delete", vec![("id", "1".into())]),
        ("fleet/attributes/rename", vec![("id", "1".into()), ("name", "nope".into())]),
        ("fleet/attributes/enable", vec![("id", "1".into()), ("enabled", "true".into())]),
        ("fleet/jobs/control", vec![("id", "1".into()), ("command", "Confirm".into())]),
        ("fleet/jobs/control", vec![("id", "1".into()), ("command", "Pause".into())]),
        ("fleet/jobs/control", vec![("id", "1".into()), ("command", "Resume".into())]),
        ("fleet/jobs/control", vec![("id", "1".into()), ("command", "Cancel".into())]),
        ("fleet/jobs/control", vec![("id", "1".into()), ("command", "RetryFailed".into())]),
    ];
    for (endpoint, form) in form_calls {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let resp = app.call(&client, endpoint, &form).await;
        assert_eq!(resp.status(), 403, "{endpoint} {form:?}: {:?}", resp.text().await);
    }
    assert_eq!(upstream_calls(&app), before, "nothing reached Huawei Cloud");
    let audit: Value = app.call(&client, "fleet/audit", &[("query", "")]).await.json().await.expect("audit");
    assert_eq!(audit, json!([]), "nothing to audit");
}

/// Runs `check` on an embeddable server on `backend` (skipped, loudly, without PostgreSQL).
async fn on<F: std::future::Future<Output = ()>>(backend: Backend, check: impl FnOnce(TestApp) -> F) {
    if let Some(app) = common::within_a_minute("start-up", TestApp::spawn_embedded(backend, embedding())).await {
        common::within_a_minute("the check", check(app)).await;
    }
}

#[tokio::test(flavor = "current_thread")]
async fn launch_tokens_sqlite() {
    on(Backend::Sqlite, launch_tokens_are_checked).await;
}

#[tokio::test(flavor = "current_thread")]
async fn launch_tokens_postgres() {
    on(Backend::Postgres, launch_tokens_are_checked).await;
}

#[tokio::test(flavor = "current_thread")]
async fn read_only_launch_sqlite() {
    on(Backend::Sqlite, a_read_only_launch_refuses_every_change).await;
}

#[tokio::test(flavor = "current_thread")]
async fn read_only_launch_postgres() {
    on(Backend::Postgres, a_read_only_launch_refuses_every_change).await;
}
