//! Sign-in, sessions and request security, against the real server and sandbox, on SQLite and PostgreSQL.

mod common;

use std::time::Duration;

use common::{TestApp, browser, session_cookie};

async fn password_sign_in_works_and_shows_who_it_is(app: TestApp) {
    let resp = app.sign_in(&app.client, "fleet").await;
    assert_eq!(resp.status(), 200);
    let me: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(me["user_name"], "fleet");
    assert_eq!(me["gsl"], "Write");
    assert_eq!(me["bss"], "None");
    let session = app.session(&app.client).await;
    assert_eq!(session["me"]["account"], app.account_name());
    let home = app.client.get(app.url("/")).header("accept", "text/html").send().await.expect("home");
    assert_eq!(home.status(), 200);
    let html = home.text().await.expect("html");
    assert!(html.contains("data-testid=\"identity\""), "the header shows the identity");
    assert!(html.contains("/fleet/sims") && !html.contains("/finance/bills"), "navigation follows rights");
}

async fn wrong_password_and_unknown_user_are_refused_clearly(app: TestApp) {
    let account = app.account_name();
    for (user, password) in [("fleet", "wrong-password"), ("nobody", "whatever")] {
        let resp = app.call(&app.client, "sign_in", &[("account", &account), ("user", user), ("password", password)]).await;
        assert_eq!(resp.status(), 401, "{user}");
        let err: serde_json::Value = resp.json().await.expect("json");
        assert_eq!(err["kind"], "BadCredentials");
        assert!(err["message"].as_str().is_some_and(|m| m.contains("not accepted")));
    }
    let empty = app.call(&app.client, "sign_in", &[("account", &account), ("user", ""), ("password", "x")]).await;
    assert_eq!(empty.status(), 400);
    assert_eq!(app.session(&app.client).await["me"], serde_json::Value::Null);
}

async fn the_session_id_changes_at_sign_in(app: TestApp) {
    // An anonymous session exists first (the language choice), as a planted id would.
    let lang = app.call(&app.client, "set_lang", &[("lang", "ZhCn")]).await;
    assert_eq!(lang.status(), 200);
    let before = session_cookie(&lang).expect("anonymous session cookie");
    let signed_in = app.sign_in(&app.client, "fleet").await;
    let after = session_cookie(&signed_in).expect("new session cookie");
    assert_ne!(before, after, "the id is rotated");
    // The pre-login id is dead.
    let planted = browser(&app.base);
    let resp = planted
        .post(app.url("/api/session"))
        .header("cookie", format!("{}={before}", server::startup::SESSION_COOKIE))
        .header("accept", "application/json")
        .send()
        .await
        .expect("call");
    let body: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(body["me"], serde_json::Value::Null);
}

async fn sign_out_deletes_the_session_on_the_server(app: TestApp) {
    let resp = app.sign_in(&app.client, "admin").await;
    let cookie = session_cookie(&resp).expect("cookie");
    let rows_before = app.raw_session_rows().await.len();
    assert_eq!(app.call(&app.client, "sign_out", &[]).await.status(), 200);
    assert_eq!(app.raw_session_rows().await.len(), rows_before - 1, "the record is gone");
    let replay = browser(&app.base)
        .post(app.url("/api/session"))
        .header("cookie", format!("{}={cookie}", server::startup::SESSION_COOKIE))
        .header("accept", "application/json")
        .send()
        .await
        .expect("call");
    let body: serde_json::Value = replay.json().await.expect("json");
    assert_eq!(body["me"], serde_json::Value::Null, "a stolen cookie no longer works");
}

async fn an_expired_token_ends_the_session_with_a_clear_message(app: TestApp) {
    sandbox::write(&app.sandbox().settings).token_ttl_secs = 2;
    assert_eq!(app.sign_in(&app.client, "fleet").await.status(), 200);
    assert!(app.session(&app.client).await["me"].is_object());
    tokio::time::sleep(Duration::from_millis(2_300)).await;
    let page = app.client.get(app.url("/fleet")).header("accept", "text/html").send().await.expect("page");
    assert_eq!(page.status(), 302);
    assert_eq!(page.headers().get("location").and_then(|v| v.to_str().ok()), Some("/login?reason=expired"));
    let login = app.client.get(app.url("/login?reason=expired")).send().await.expect("login").text().await.expect("html");
    assert!(login.contains("data-testid=\"expired\""), "the sign-in page says why");
    assert_eq!(app.session(&app.client).await["me"], serde_json::Value::Null);
}

async fn session_rows_hold_no_token_in_clear(app: TestApp) {
    assert_eq!(app.sign_in(&app.client, "admin").await.status(), 200);
    let tokens: Vec<String> = sandbox::lock(&app.sandbox().tokens).keys().cloned().collect();
    assert_eq!(tokens.len(), 2, "a domain and a project token were issued");
    let rows = app.raw_session_rows().await;
    assert!(!rows.is_empty());
    for row in &rows {
        let text = String::from_utf8_lossy(row);
        for token in &tokens {
            assert!(!text.contains(token.as_str()), "a token is stored in clear");
        }
        assert!(!text.contains("admin") && !text.contains(&app.account_name()), "session data is sealed whole");
    }
}

async fn cross_origin_writes_are_refused(app: TestApp) {
    let evil = reqwest::Client::new();
    let resp = evil
        .post(app.url("/api/sign_in"))
        .header("origin", "http://evil.example")
        .form(&[("account", "a"), ("user", "b"), ("password", "c")])
        .send()
        .await
        .expect("call");
    assert_eq!(resp.status(), 403);
    assert_eq!(sandbox::lock(&app.sandbox().counters).received.get("keystone_create_user_token_by_password"), None);
}

async fn every_response_carries_the_security_headers(app: TestApp) {
    for path in ["/login", "/", "/nope", "/healthz", "/pkg/fleetdesk.css"] {
        let resp = common::within_a_minute(path, app.client.get(app.url(path)).send()).await.expect("get");
        let h = resp.headers();
        let csp = h.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        let script_src = csp.split(';').find(|d| d.trim().starts_with("script-src")).unwrap_or("");
        assert!(!script_src.contains("unsafe-inline"), "{path}: no inline script without its nonce: {csp}");
        assert_eq!(h.get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"), "{path}");
        assert!(h.get("referrer-policy").is_some(), "{path}");
    }
}

async fn pages_allow_only_their_own_nonced_script(app: TestApp) {
    let resp = app.client.get(app.url("/login")).send().await.expect("get");
    let csp = resp.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let html = resp.text().await.expect("html");
    let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("a nonce in the policy");
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the policy's nonce");
    let again = app.client.get(app.url("/login")).send().await.expect("get");
    let csp2 = again.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(!csp2.contains(nonce), "a fresh nonce per response");
}

async fn health_readiness_and_metrics(app: TestApp) {
    assert_eq!(app.client.get(app.url("/healthz")).send().await.expect("healthz").status(), 200);
    assert_eq!(app.client.get(app.url("/readyz")).send().await.expect("readyz").status(), 200);
    app.sign_in(&app.client, "fleet").await;
    let metrics = app.client.get(app.url("/metrics")).send().await.expect("metrics").text().await.expect("text");
    assert!(metrics.contains("fleetdesk_http_requests_total{method=\"POST\",status=\"200\"}"));
    assert!(metrics.contains("fleetdesk_upstream_calls_total{operation=\"keystone_create_user_token_by_password\",outcome=\"ok\"} 2"));
}

async fn the_language_follows_accept_language_then_the_choice(app: TestApp) {
    let zh = app.client.get(app.url("/login")).header("accept-language", "zh-CN,zh;q=0.9").send().await.expect("get");
    assert!(zh.text().await.expect("html").contains("使用您的华为云身份登录"));
    app.sign_in(&app.client, "fleet").await;
    app.call(&app.client, "set_lang", &[("lang", "ZhCn")]).await;
    // Kept per identity: a fresh browser that signs in as the same user gets Chinese.
    let other = browser(&app.base);
    app.sign_in(&other, "fleet").await;
    let home = other.get(app.url("/")).header("accept-language", "en").send().await.expect("home").text().await.expect("html");
    assert!(home.contains("lang=\"zh-CN\""), "preference persisted per user");
}

async fn two_server_processes_share_sessions(app: TestApp) {
    let sibling = app.sibling().await;
    let resp = app.sign_in(&app.client, "fleet").await;
    let cookie = session_cookie(&resp).expect("cookie");
    let other = reqwest::Client::new();
    let body: serde_json::Value = other
        .post(sibling.url("/api/session"))
        .header("cookie", format!("{}={cookie}", server::startup::SESSION_COOKIE))
        .header("accept", "application/json")
        .send()
        .await
        .expect("call")
        .json()
        .await
        .expect("json");
    assert_eq!(body["me"]["user_name"], "fleet", "the second process sees the session");
}

on_both_databases! {
    password_sign_in => password_sign_in_works_and_shows_who_it_is;
    bad_credentials => wrong_password_and_unknown_user_are_refused_clearly;
    id_rotation => the_session_id_changes_at_sign_in;
    logout => sign_out_deletes_the_session_on_the_server;
    token_expiry => an_expired_token_ends_the_session_with_a_clear_message;
    encryption_at_rest => session_rows_hold_no_token_in_clear;
    cross_origin => cross_origin_writes_are_refused;
    security_headers => every_response_carries_the_security_headers;
    script_nonce => pages_allow_only_their_own_nonced_script;
    health => health_readiness_and_metrics;
    language => the_language_follows_accept_language_then_the_choice;
    shared_sessions => two_server_processes_share_sessions;
}
