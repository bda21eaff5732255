//! The API gateway in front of every operation: request ids, authentication (AK/SK signature or
//! IAM token), IAM rights, flow control and injected faults, in that order.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{NaiveDateTime, Utc};
use hwcloud::Service;
use hwcloud::operation::OperationInfo;
use hwcloud::signer::{self, WireRequest};
use rand::Rng;

use crate::error::gateway_error;
use crate::identity::Right;
use crate::{AppState, MAX_BODY, MAX_CLOCK_SKEW, Scope, lock, read};

/// Who is calling which operation; put in the request extensions for handlers.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    /// User index in the account (`None` for the unauthenticated token request).
    pub user: Option<usize>,
    /// Operation id.
    pub operation: &'static str,
}

fn matches_template(template: &str, path: &str) -> bool {
    let t = template.trim_end_matches('/').split('/');
    let p = path.trim_end_matches('/').split('/');
    t.clone().count() == p.clone().count()
        && t.zip(p)
            .all(|(ts, ps)| (ts.starts_with('{') && !ps.is_empty()) || ts == ps)
}

/// The operation a request is for, by method and path template.
pub fn match_operation(method: &str, path: &str) -> Option<(Service, &'static OperationInfo)> {
    let tables: [(Service, &'static [OperationInfo]); 3] = [
        (Service::Iam, crate::iam::OPERATIONS),
        (Service::Gsl, hwcloud::gsl::OPERATIONS),
        (Service::Bss, hwcloud::bss::OPERATIONS),
    ];
    // A literal segment beats a placeholder, as in any router.
    tables
        .into_iter()
        .flat_map(|(service, ops)| ops.iter().map(move |op| (service, op)))
        .filter(|(_, op)| op.method == method && matches_template(op.path, path))
        .min_by_key(|(_, op)| op.path.matches('{').count())
}

fn bump(map: &mut std::collections::BTreeMap<String, u64>, op: &str) {
    *map.entry(op.to_owned()).or_default() += 1;
}

/// The right an operation needs, if any.
fn needed_right(service: Service, op: &OperationInfo) -> Option<Right> {
    match (service, op.is_read) {
        (Service::Gsl, true) => Some(Right::GslRead),
        (Service::Gsl, false) => Some(Right::GslWrite),
        (Service::Bss, true) => Some(Right::BssRead),
        (Service::Bss, false) => Some(Right::BssWrite),
        (Service::Iam, _) => None,
    }
}

const AUTH_FAILED: &str = "APIGW.0301";

/// Authenticates a request: the user index, or the gateway's refusal (code, message, status).
fn authenticate(
    state: &AppState,
    service: Service,
    wire: &WireRequest<'_>,
) -> Result<usize, (StatusCode, &'static str, String)> {
    let header = |name: &str| {
        wire.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let unauthorized = |msg: &str| {
        (
            StatusCode::UNAUTHORIZED,
            AUTH_FAILED,
            format!("Incorrect IAM authentication information: {msg}"),
        )
    };
    if let Some(value) = header("authorization") {
        let auth = signer::parse_authorization(value)
            .ok_or_else(|| unauthorized("unsupported authorization header"))?;
        let user = state
            .account
            .by_ak(&auth.access)
            .ok_or_else(|| unauthorized("ak not found"))?;
        let date = header(signer::DATE_HEADER).unwrap_or("");
        let signed_at = NaiveDateTime::parse_from_str(date, signer::DATE_FORMAT)
            .map_err(|_| unauthorized("x-sdk-date is missing or malformed"))?
            .and_utc();
        let skew = (Utc::now() - signed_at).num_seconds().unsigned_abs();
        if skew > MAX_CLOCK_SKEW.as_secs() {
            return Err(unauthorized(
                "the request time is too far from the server time",
            ));
        }
        let sk = &state.account.users[user].sk;
        let (expected, _) = signer::expected_signature(wire, &auth, sk);
        if !signer::signatures_match(&expected, &auth.signature) {
            return Err(unauthorized("verify aksk signature fail"));
        }
        return Ok(user);
    }
    if let Some(token) = header("x-auth-token") {
        let record = lock(&state.tokens)
            .get(token)
            .cloned()
            .ok_or_else(|| unauthorized("decrypt token fail"))?;
        if record.expires_at <= Utc::now() {
            return Err((
                StatusCode::UNAUTHORIZED,
                "APIGW.0307",
                "The token must be updated.".into(),
            ));
        }
        let scope_ok = match service {
            Service::Gsl => record.scope == Scope::Project,
            Service::Bss => record.scope == Scope::Domain,
            Service::Iam => true,
        };
        if !scope_ok {
            return Err(unauthorized("the token scope does not match this service"));
        }
        return Ok(record.user);
    }
    Err(unauthorized("no authorization header or token"))
}

/// Reserves a flow-control slot; false when the (account, operation) is over its rate.
fn admit(state: &AppState, account: &str, op: &'static str, rate: u32, now: Instant) -> bool {
    if rate == 0 {
        return true;
    }
    // GCRA with a burst equal to the rate: at most `rate` calls in any one-second window.
    let interval = Duration::from_secs(1) / rate;
    let tolerance = interval * (rate - 1);
    let mut buckets = lock(&state.buckets);
    let tat = buckets.entry((account.to_owned(), op)).or_insert(now);
    let start = (*tat).max(now);
    if start
        .checked_sub(tolerance)
        .is_some_and(|allowed| allowed > now)
    {
        return false;
    }
    *tat = start + interval;
    true
}

/// The gateway middleware.
pub async fn gateway(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let request_id = uuid::Uuid::new_v4().simple().to_string();
    let mut response = route(&state, req, next, &request_id).await;
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

async fn route(state: &Arc<AppState>, req: Request, next: Next, request_id: &str) -> Response {
    if req.uri().path().starts_with("/__sandbox/") {
        return next.run(req).await;
    }
    let Some((service, op)) = match_operation(req.method().as_str(), req.uri().path()) else {
        return gateway_error(
            StatusCode::NOT_FOUND,
            "APIGW.0101",
            "The API does not exist or has not been published in the environment.",
            request_id,
        );
    };
    bump(&mut lock(&state.counters).received, op.id);
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return gateway_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "APIGW.0201",
            "Request entity too large.",
            request_id,
        );
    };
    let user = if op.id == crate::iam::CREATE_TOKEN {
        None
    } else {
        let headers: Vec<(String, String)> = parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let wire = WireRequest {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            query: parts.uri.query().unwrap_or(""),
            headers: &headers,
            body: &bytes,
        };
        match authenticate(state, service, &wire) {
            Ok(user) => Some(user),
            Err((status, code, msg)) => return gateway_error(status, code, &msg, request_id),
        }
    };
    if let (Some(user), Some(right)) = (user, needed_right(service, op))
        && !state.account.users[user].may(right)
    {
        return gateway_error(
            StatusCode::FORBIDDEN,
            "APIGW.0302",
            "The IAM user is not authorized to access the API: the identity lacks the required permission.",
            request_id,
        );
    }
    let settings = *read(&state.settings);
    if user.is_some()
        && !admit(
            state,
            &state.account.domain_id,
            op.id,
            settings.rate_limit,
            Instant::now(),
        )
    {
        bump(&mut lock(&state.counters).throttled, op.id);
        return throttled(settings.rate_limit, request_id);
    }
    if settings.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(settings.latency_ms)).await;
    }
    let (throttle, fail) = {
        let mut rng = lock(&state.fault_rng);
        (
            settings.throttle_percent > 0 && rng.random_range(0..100) < settings.throttle_percent,
            settings.fail_percent > 0 && rng.random_range(0..100) < settings.fail_percent,
        )
    };
    if throttle || fail {
        bump(&mut lock(&state.counters).faulted, op.id);
        return if throttle {
            throttled(settings.rate_limit, request_id)
        } else {
            gateway_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "GSL.00000500",
                "Internal server error.",
                request_id,
            )
        };
    }
    let mut req = Request::from_parts(parts, Body::from(bytes));
    req.extensions_mut().insert(Caller {
        user,
        operation: op.id,
    });
    let response = next.run(req).await;
    let mut counters = lock(&state.counters);
    bump(&mut counters.handled, op.id);
    if let Some(u) = user {
        bump(
            counters
                .handled_by_user
                .entry(state.account.users[u].name.clone())
                .or_default(),
            op.id,
        );
    }
    drop(counters);
    response
}

fn throttled(rate: u32, request_id: &str) -> Response {
    gateway_error(
        StatusCode::TOO_MANY_REQUESTS,
        "APIGW.0308",
        &format!(
            "The throttling threshold has been reached: policy user over ratelimit,limit:{rate},time:1 second"
        ),
        request_id,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_whole_segments() {
        assert!(matches_template(
            "/v1/sim-cards/{sim_card_id}/stop",
            "/v1/sim-cards/10000001/stop"
        ));
        assert!(matches_template("/v1/sim-cards", "/v1/sim-cards/"));
        assert!(!matches_template(
            "/v1/sim-cards/{sim_card_id}",
            "/v1/sim-cards/1/stop"
        ));
        assert_eq!(
            match_operation("GET", "/v1/sim-cards/5").map(|(_, o)| o.id),
            Some("show_sim_card")
        );
        assert_eq!(
            match_operation("GET", "/v1/sim-cards").map(|(_, o)| o.id),
            Some("list_sim_cards")
        );
        assert_eq!(
            match_operation("POST", "/v1/sim-cards/5/stop").map(|(_, o)| o.id),
            Some("stop_sim_card")
        );
    }
}
