//! Portal launch tokens: a compact JWT signed with HS256 under the secret fleetdesk shares with the
//! portal's backend, carrying who the portal user is, what they may do, where they land and the
//! Huawei credential to act with. Verifying is pure: signature first (in constant time), then
//! algorithm, audience, lifetime and contents. Replay is checked against the database afterwards.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The longest a launch token may live (`exp - iat`): it is for one launch, now.
pub const MOST_LIFETIME_SECS: i64 = 300;
/// Clock difference tolerated between the portal and fleetdesk.
pub const CLOCK_SKEW_SECS: i64 = 30;

/// What the portal user may do in fleetdesk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LaunchRole {
    /// Sees everything their credential may read; every change is refused.
    ReadOnly,
    /// May also make the changes their credential allows.
    Operator,
}

/// The Huawei credential the portal holds for its user.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LaunchCredential {
    /// An access key pair.
    AkSk {
        /// Access key id.
        ak: String,
        /// Secret key.
        sk: String,
    },
    /// IAM tokens: project-scoped (cn-north-4, for GSL) and domain-scoped (for BSS); either may be absent.
    IamTokens {
        /// Project-scoped token.
        project: Option<String>,
        /// Domain-scoped token.
        domain: Option<String>,
    },
}

impl std::fmt::Debug for LaunchCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AkSk { .. } => f.write_str("AkSk([redacted])"),
            Self::IamTokens { .. } => f.write_str("IamTokens([redacted])"),
        }
    }
}

/// A launch token's claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaunchClaims {
    /// The portal.
    #[serde(default)]
    pub iss: String,
    /// Must be fleetdesk's configured audience.
    pub aud: String,
    /// The portal user's reference (shown in the audit log).
    pub sub: String,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
    /// Unique id: a token is used once.
    pub jti: String,
    /// What the user may do.
    pub role: LaunchRole,
    /// The page to open (a path of fleetdesk, such as `/fleet/sims`).
    #[serde(default = "default_landing")]
    pub landing: String,
    /// Whether to show the compact layout (no top bar: the portal has its own).
    #[serde(default = "yes")]
    pub compact: bool,
    /// The Huawei credential to act with.
    pub credential: LaunchCredential,
}

fn default_landing() -> String {
    "/".into()
}

fn yes() -> bool {
    true
}

/// Why a launch token was refused (logged; the portal gets a short reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// Not three base64url parts of JSON.
    #[error("the launch token is malformed")]
    Malformed,
    /// Not HS256 (`none` and the rest are refused).
    #[error("the launch token is not signed with HS256")]
    Algorithm,
    /// The signature does not match: tampered with, or another secret.
    #[error("the launch token's signature does not match")]
    Signature,
    /// For another audience.
    #[error("the launch token is for another audience")]
    Audience,
    /// Expired, not yet valid, or valid for too long.
    #[error("the launch token has expired or is not valid now")]
    Expired,
    /// Already used.
    #[error("the launch token was already used")]
    Replayed,
    /// A field is missing or unusable (the landing page, the user, the id).
    #[error("the launch token's contents are not usable")]
    Contents,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
}

fn mac(secret: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
}

/// Signs `claims` (what a portal's backend does; used by tests and the example portal).
pub fn sign(claims: &LaunchClaims, secret: &[u8]) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let signing_input = format!("{header}.{payload}");
    let mut m = mac(secret);
    m.update(signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(m.finalize().into_bytes()))
}

/// Whether `path` is a page of fleetdesk (not another site, not a protocol trick).
pub fn is_local_path(path: &str) -> bool {
    // Visible ASCII only: it becomes a Location header as it is.
    path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') && path.bytes().all(|b| b.is_ascii_graphic()) && path.len() <= 512
}

/// Checks a launch token at `now`; its claims.
pub fn verify(token: &str, secret: &[u8], audience: &str, now: DateTime<Utc>) -> Result<LaunchClaims, Refusal> {
    let mut parts = token.trim().split('.');
    let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(Refusal::Malformed);
    };
    let decode = |p: &str| URL_SAFE_NO_PAD.decode(p).map_err(|_| Refusal::Malformed);
    let header: Header = serde_json::from_slice(&decode(header)?).map_err(|_| Refusal::Malformed)?;
    if header.alg != "HS256" {
        return Err(Refusal::Algorithm);
    }
    let mut m = mac(secret);
    m.update(token.trim().rsplit_once('.').map_or("", |(input, _)| input).as_bytes());
    m.verify_slice(&decode(signature)?).map_err(|_| Refusal::Signature)?;
    let claims: LaunchClaims = serde_json::from_slice(&decode(payload)?).map_err(|_| Refusal::Contents)?;
    if claims.aud != audience {
        return Err(Refusal::Audience);
    }
    let t = now.timestamp();
    let lifetime = claims.exp.checked_sub(claims.iat).unwrap_or(i64::MAX);
    if claims.exp <= t || claims.iat > t + CLOCK_SKEW_SECS || !(0..=MOST_LIFETIME_SECS).contains(&lifetime) {
        return Err(Refusal::Expired);
    }
    let usable = |s: &str, most: usize| !s.trim().is_empty() && s.len() <= most && !s.chars().any(char::is_control);
    if !usable(&claims.sub, 128) || !usable(&claims.jti, 128) || !is_local_path(&claims.landing) {
        return Err(Refusal::Contents);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"portal and fleetdesk share this";

    fn claims(now: i64) -> LaunchClaims {
        LaunchClaims {
            iss: "portal".into(),
            aud: "fleetdesk".into(),
            sub: "alice@corp".into(),
            iat: now,
            exp: now + 60,
            jti: "j1".into(),
            role: LaunchRole::ReadOnly,
            landing: "/fleet/sims".into(),
            compact: true,
            credential: LaunchCredential::AkSk { ak: "AK".into(), sk: "SK".into() },
        }
    }

    #[test]
    fn a_signed_token_verifies_and_nothing_else_does() {
        let now = Utc::now();
        let c = claims(now.timestamp());
        let token = sign(&c, SECRET);
        assert_eq!(verify(&token, SECRET, "fleetdesk", now), Ok(c.clone()));
        assert_eq!(verify(&token, b"another secret", "fleetdesk", now), Err(Refusal::Signature));
        assert_eq!(verify(&token, SECRET, "another", now), Err(Refusal::Audience));
        assert_eq!(verify(&token, SECRET, "fleetdesk", now + chrono::Duration::seconds(61)), Err(Refusal::Expired));

        // A changed payload under the old signature.
        let (head, rest) = token.split_once('.').expect("parts");
        let (_, sig) = rest.split_once('.').expect("parts");
        let operator = LaunchClaims { role: LaunchRole::Operator, ..c.clone() };
        let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&operator).expect("json"));
        assert_eq!(verify(&format!("{head}.{payload}.{sig}"), SECRET, "fleetdesk", now), Err(Refusal::Signature));

        // `alg: none` with no signature.
        let none = format!("{}.{payload}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#));
        assert_eq!(verify(&none, SECRET, "fleetdesk", now), Err(Refusal::Algorithm));
        assert_eq!(verify("not a token", SECRET, "fleetdesk", now), Err(Refusal::Malformed));
    }

    #[test]
    fn long_lived_tokens_and_foreign_landings_are_refused() {
        let now = Utc::now();
        let long = LaunchClaims { exp: now.timestamp() + MOST_LIFETIME_SECS + 1, ..claims(now.timestamp()) };
        assert_eq!(verify(&sign(&long, SECRET), SECRET, "fleetdesk", now), Err(Refusal::Expired));
        for landing in ["//evil.example/x", "https://evil.example", "fleet", "/\\evil", "/fleet/sims?q=卡", "/a b"] {
            let c = LaunchClaims { landing: landing.into(), ..claims(now.timestamp()) };
            assert_eq!(verify(&sign(&c, SECRET), SECRET, "fleetdesk", now), Err(Refusal::Contents), "{landing}");
        }
    }

    #[test]
    fn lifetimes_do_not_overflow() {
        let now = Utc::now();
        let forever = LaunchClaims { iat: i64::MIN, exp: i64::MAX, ..claims(now.timestamp()) };
        assert_eq!(verify(&sign(&forever, SECRET), SECRET, "fleetdesk", now), Err(Refusal::Expired));
    }

    #[test]
    fn credentials_never_print() {
        let c = claims(0);
        assert!(!format!("{c:?}").contains("SK\""), "{c:?}");
    }
}
