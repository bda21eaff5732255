//! No credential ever reaches the browser: sign in every way, load every page, call every server
//! function, and look for any byte of any token, password, AK or SK in everything received.

mod common;

use common::{Backend, TestApp, browser};

/// Every page of the console.
const PAGES: &[&str] = &[
    "/", "/login", "/login?reason=expired", "/fleet", "/fleet/sims", "/fleet/sims?status=stopped&size=10", "/fleet/sims/10000001",
    "/fleet/pools", "/fleet/pools/flow/3001", "/fleet/work-orders", "/fleet/jobs", "/fleet/jobs/1", "/fleet/audit", "/fleet/tags",
    "/fleet/sims/export.csv?status=stopped", "/fleet/audit.csv", "/finance", "/finance/bills", "/finance/orders",
    "/finance/renewals", "/finance/coupons", "/no-such-page",
];

/// Static assets the browser loads, when built (scripts/build.sh).
const ASSETS: &[&str] = &["/pkg/fleetdesk.js", "/pkg/fleetdesk.wasm", "/pkg/fleetdesk.css"];

struct Received(Vec<u8>);

impl Received {
    async fn take(&mut self, resp: reqwest::Response) {
        for (name, value) in resp.headers() {
            self.0.extend_from_slice(name.as_str().as_bytes());
            self.0.extend_from_slice(value.as_bytes());
        }
        self.0.extend_from_slice(&resp.bytes().await.expect("body"));
    }
}

async fn browse_everything(app: &TestApp, client: &reqwest::Client, seen: &mut Received) {
    for page in PAGES {
        let resp = client.get(app.url(page)).header("accept", "text/html").send().await.expect("page");
        seen.take(resp).await;
    }
    call_functions(app, client, seen).await;
}

/// The static assets are the same for everyone: fetched once.
async fn fetch_assets(app: &TestApp, client: &reqwest::Client, seen: &mut Received) {
    for asset in ASSETS {
        let resp = client.get(app.url(asset)).send().await.expect("asset");
        let built = resp.status().is_success();
        assert!(built || std::env::var("CI").is_err(), "{asset} must be built (scripts/build.sh) in CI");
        if !built {
            eprintln!("!!! {asset} is not built: run scripts/build.sh; the leak check covers HTML and server functions only");
        }
        seen.take(resp).await;
    }
}

async fn call_functions(app: &TestApp, client: &reqwest::Client, seen: &mut Received) {
    for (endpoint, form) in [
        ("session", vec![]),
        ("set_lang", vec![("lang", "ZhCn")]),
        ("set_lang", vec![("lang", "En")]),
        ("fleet/sims", vec![("query", "size=10")]),
        ("fleet/sim", vec![("sim_card_id", "10000001")]),
        ("fleet/usage", vec![("sim_card_id", "10000001")]),
        ("fleet/overview", vec![]),
        ("fleet/jobs/list", vec![]),
        ("fleet/audit", vec![("query", "")]),
    ] {
        seen.take(app.call(client, endpoint, &form).await).await;
    }
    // A bulk job keeps a sealed copy of its owner's credentials: its views must not show them.
    let job = serde_json::json!({ "action": { "SetSpeedLimit": { "kbps": 64 } }, "selection": { "Cards": [10000001, 10000002] } });
    let resp = app.call_json(client, "fleet/jobs/create", &job).await;
    if resp.status().is_success() {
        let id: i64 = resp.json().await.expect("id");
        seen.take(app.call(client, "fleet/jobs/show", &[("id", &id.to_string())]).await).await;
    } else {
        seen.take(resp).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_the_browser() {
    let app = TestApp::spawn(Backend::Sqlite).await.expect("app");
    let account = app.sandbox().account.clone();
    let mut seen = Received(Vec::new());

    // Anonymous visitor, including the sandbox sign-in page with its demo identities.
    fetch_assets(&app, &browser(&app.base), &mut seen).await;
    browse_everything(&app, &browser(&app.base), &mut seen).await;
    for user in &account.users {
        // Password sign-in, the demo button, and AK/SK sign-in, each in a fresh browser.
        let by_password = browser(&app.base);
        seen.take(app.sign_in(&by_password, &user.name).await).await;
        browse_everything(&app, &by_password, &mut seen).await;
        seen.take(app.call(&by_password, "sign_out", &[]).await).await;

        let by_demo = browser(&app.base);
        seen.take(app.call(&by_demo, "sign_in_demo", &[("user", &user.name)]).await).await;
        browse_everything(&app, &by_demo, &mut seen).await;

        let by_key = browser(&app.base);
        let resp = app.call(&by_key, "sign_in_key", &[("ak", &user.ak), ("sk", &user.sk)]).await;
        assert_eq!(resp.status(), 200, "AK/SK sign-in works");
        seen.take(resp).await;
        browse_everything(&app, &by_key, &mut seen).await;
        seen.take(app.call(&by_key, "sign_out", &[]).await).await;
    }
    // Failed attempts echo nothing either.
    let bad = browser(&app.base);
    seen.take(app.call(&bad, "sign_in", &[("account", &account.account_name), ("user", "fleet"), ("password", "Wrong-Secret-123")]).await).await;

    let tokens: Vec<String> = sandbox::lock(&app.sandbox().tokens).keys().cloned().collect();
    assert!(tokens.len() >= 16, "every sign-in issued tokens ({})", tokens.len());
    let mut secrets: Vec<(String, String)> = tokens.into_iter().map(|t| ("token".to_owned(), t)).collect();
    for u in &account.users {
        secrets.push((format!("{} password", u.name), u.password.clone()));
        secrets.push((format!("{} SK", u.name), u.sk.clone()));
        secrets.push((format!("{} AK", u.name), u.ak.clone()));
    }
    secrets.push(("session key".to_owned(), app.session_key.clone()));
    assert!(seen.0.len() > 10_000, "the pages were really fetched ({} bytes)", seen.0.len());
    // Any 12-byte window of a secret would be a leak, not only the whole secret: index every window
    // of every secret, then slide once over everything received.
    const W: usize = 12;
    let mut windows: std::collections::HashMap<&[u8], &str> = std::collections::HashMap::new();
    for (what, secret) in &secrets {
        let bytes = secret.as_bytes();
        assert!(bytes.len() >= W, "{what} is long enough to check");
        for piece in bytes.windows(W) {
            windows.insert(piece, what.as_str());
        }
    }
    if let Some(what) = seen.0.windows(W).find_map(|w| windows.get(w)) {
        panic!("part of the {what} reached the browser");
    }
    // At rest, the jobs' copies of credentials are sealed like the sessions.
    let pool = sqlx::SqlitePool::connect(&app.database_url).await.expect("sqlite");
    let sealed: Vec<String> = sqlx::query_scalar("SELECT credentials FROM bulk_jobs").fetch_all(&pool).await.expect("jobs");
    assert!(!sealed.is_empty(), "jobs were created");
    let stored: Vec<u8> = sealed.concat().into_bytes();
    if let Some(what) = stored.windows(W).find_map(|w| windows.get(w)) {
        panic!("part of the {what} is stored in the clear in a bulk job");
    }
}
