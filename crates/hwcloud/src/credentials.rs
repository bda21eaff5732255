//! Who a call is made as: AK/SK (signed) or IAM tokens (`X-Auth-Token`).

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};

use crate::operation::Service;

/// An access key pair, with an optional security token for temporary credentials.
#[derive(Clone)]
pub struct AkSk {
    /// Access key id (not secret; it appears in every Authorization header).
    pub ak: String,
    /// Secret access key.
    pub sk: SecretString,
    /// Security token of temporary credentials, sent as `X-Security-Token`.
    pub security_token: Option<SecretString>,
}

impl AkSk {
    /// A permanent key pair.
    pub fn new(ak: impl Into<String>, sk: impl Into<String>) -> Self {
        Self { ak: ak.into(), sk: SecretString::from(sk.into()), security_token: None }
    }
}

impl std::fmt::Debug for AkSk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AkSk").field("ak", &self.ak).field("sk", &"[redacted]").finish_non_exhaustive()
    }
}

/// An IAM token and when it stops working.
#[derive(Clone)]
pub struct ScopedToken {
    /// The `X-Subject-Token` value.
    pub token: SecretString,
    /// `expires_at` from the token body.
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for ScopedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScopedToken").field("token", &"[redacted]").field("expires_at", &self.expires_at).finish()
    }
}

/// How one person's calls are authenticated.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// AK/SK signing; `project_id` goes to GSL as `X-Project-Id`, `domain_id` to BSS as `X-Domain-Id`.
    AkSk {
        /// The key pair.
        key: AkSk,
        /// Project of cn-north-4, for GSL.
        project_id: Option<String>,
        /// Account (domain) id, for BSS.
        domain_id: Option<String>,
    },
    /// IAM tokens: project-scoped for GSL, domain-scoped for BSS.
    Tokens {
        /// Token scoped to the cn-north-4 project.
        project: Option<ScopedToken>,
        /// Token scoped to the account (domain).
        domain: Option<ScopedToken>,
    },
}

/// The header material for one call.
#[derive(Debug)]
pub(crate) enum CallAuth<'a> {
    Sign { key: &'a AkSk, id_header: Option<(&'static str, &'a str)> },
    Token(&'a str),
}

impl Credentials {
    /// The auth to use for a service, or `None` if these credentials cannot call it.
    pub(crate) fn for_service(&self, service: Service) -> Option<CallAuth<'_>> {
        match (self, service) {
            (Credentials::AkSk { key, project_id, .. }, Service::Gsl) => {
                Some(CallAuth::Sign { key, id_header: project_id.as_deref().map(|p| ("X-Project-Id", p)) })
            }
            (Credentials::AkSk { key, domain_id, .. }, Service::Bss) => {
                Some(CallAuth::Sign { key, id_header: domain_id.as_deref().map(|d| ("X-Domain-Id", d)) })
            }
            (Credentials::Tokens { project, .. }, Service::Gsl) => {
                project.as_ref().map(|t| CallAuth::Token(t.token.expose_secret()))
            }
            (Credentials::Tokens { domain, .. }, Service::Bss) => {
                domain.as_ref().map(|t| CallAuth::Token(t.token.expose_secret()))
            }
            (Credentials::AkSk { key, .. }, Service::Iam) => Some(CallAuth::Sign { key, id_header: None }),
            (Credentials::Tokens { domain, project }, Service::Iam) => {
                domain.as_ref().or(project.as_ref()).map(|t| CallAuth::Token(t.token.expose_secret()))
            }
        }
    }

    /// The earliest token expiry, if these are tokens.
    pub fn expires_at(&self) -> Option<DateTime<Utc>> {
        match self {
            Credentials::AkSk { .. } => None,
            Credentials::Tokens { project, domain } => {
                [project, domain].into_iter().flatten().map(|t| t.expires_at).min()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_secrets() {
        let key = AkSk {
            ak: "AKVISIBLE".into(),
            sk: SecretString::from("sk-secret-value".to_owned()),
            security_token: Some(SecretString::from("sts-secret-value".to_owned())),
        };
        let token = ScopedToken { token: SecretString::from("MIItoken-secret".to_owned()), expires_at: Utc::now() };
        let creds = [
            Credentials::AkSk { key, project_id: None, domain_id: None },
            Credentials::Tokens { project: Some(token.clone()), domain: Some(token) },
        ];
        let printed = format!("{creds:?} {creds:#?}");
        assert!(printed.contains("AKVISIBLE"));
        for secret in ["sk-secret-value", "sts-secret-value", "MIItoken-secret"] {
            assert!(!printed.contains(secret), "{secret} leaked into Debug");
        }
    }
}
