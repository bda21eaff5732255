//! IAM: password sign-in giving domain- and project-scoped tokens, and AK/SK id lookup.

use chrono::{DateTime, Utc};
use http::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;

use crate::client::{Client, Identity, RawCall, decode};
use crate::credentials::{AkSk, CallAuth, Credentials, ScopedToken};
use crate::error::Error;
use crate::operation::{QueryValue, Service};

/// The only GSL region.
pub const GSL_REGION: &str = "cn-north-4";

/// What IAM says about a token (the `token` object of the response body).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TokenInfo {
    /// Expiry (UTC).
    pub expires_at: String,
    /// Issue time (UTC).
    #[serde(default)]
    pub issued_at: String,
    /// The IAM user.
    #[serde(default)]
    pub user: TokenUser,
    /// Domain scope, if domain-scoped.
    #[serde(default)]
    pub domain: Option<NamedId>,
    /// Project scope, if project-scoped.
    #[serde(default)]
    pub project: Option<NamedId>,
    /// Roles granted.
    #[serde(default)]
    pub roles: Vec<NamedId>,
}

/// The user a token belongs to.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TokenUser {
    /// User id.
    #[serde(default)]
    pub id: String,
    /// IAM user name.
    #[serde(default)]
    pub name: String,
    /// The user's account.
    #[serde(default)]
    pub domain: NamedId,
}

/// An `{id, name}` pair.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NamedId {
    /// Id.
    #[serde(default)]
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Deserialize)]
struct TokenBody {
    token: TokenInfo,
}

/// The result of a password sign-in.
#[derive(Debug, Clone)]
pub struct Login {
    /// Credentials holding both tokens.
    pub identity: Identity,
    /// The domain-scoped token's details.
    pub domain_token: TokenInfo,
    /// The project (cn-north-4) id.
    pub project_id: String,
    /// Earliest expiry of the two tokens.
    pub expires_at: DateTime<Utc>,
}

/// Which scope to ask IAM for.
#[derive(Debug, Clone)]
pub enum TokenScope<'a> {
    /// The account (domain) itself, by name.
    Domain(&'a str),
    /// A project, by name (e.g. `cn-north-4`).
    ProjectName(&'a str),
}

#[derive(Debug, Deserialize)]
struct ProjectList {
    #[serde(default)]
    projects: Vec<NamedId>,
}

#[derive(Debug, Deserialize)]
struct DomainList {
    #[serde(default)]
    domains: Vec<NamedId>,
}

fn parse_expiry(op: &'static str, info: &TokenInfo) -> Result<DateTime<Utc>, Error> {
    crate::time::HwTime(info.expires_at.clone())
        .to_utc()
        .ok_or(Error::Credentials { operation: op, reason: "IAM returned a token without a readable expiry" })
}

impl Client {
    /// `POST /v3/auth/tokens` with a password; returns the token and its details.
    pub async fn create_token_by_password(
        &self,
        account: &str,
        user: &str,
        password: &SecretString,
        scope: TokenScope<'_>,
    ) -> Result<(ScopedToken, TokenInfo), Error> {
        const OP: &str = "keystone_create_user_token_by_password";
        let scope = match scope {
            TokenScope::Domain(name) => json!({"domain": {"name": name}}),
            TokenScope::ProjectName(name) => json!({"project": {"name": name}}),
        };
        let body = json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "domain": {"name": account}, "name": user, "password": password.expose_secret()}}},
            "scope": scope,
        }});
        let call = RawCall {
            operation: OP,
            service: Service::Iam,
            method: Method::POST,
            // Sign-in is not idempotent in effect (it can lock a user after failures): never retried.
            is_read: false,
            path: "/v3/auth/tokens".into(),
            query: vec![("nocatalog", QueryValue::Str("true".into()))],
            headers: vec![],
            body: serde_json::to_vec(&body).unwrap_or_default(),
            content_type: Some("application/json;charset=utf-8"),
            auth: None,
        };
        let resp = self.execute(account, call).await?;
        let token = resp
            .headers
            .get("x-subject-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .ok_or(Error::Credentials { operation: OP, reason: "IAM answered without X-Subject-Token" })?;
        let info = decode::<TokenBody>(OP, &resp)?.token;
        let expires_at = parse_expiry(OP, &info)?;
        Ok((ScopedToken { token: SecretString::from(token), expires_at }, info))
    }

    /// Signs in with account, IAM user name and password: a domain token for BSS and a project token for GSL.
    pub async fn login_with_password(&self, account: &str, user: &str, password: &SecretString) -> Result<Login, Error> {
        let (domain, domain_info) =
            self.create_token_by_password(account, user, password, TokenScope::Domain(account)).await?;
        let (project, project_info) =
            self.create_token_by_password(account, user, password, TokenScope::ProjectName(GSL_REGION)).await?;
        let expires_at = domain.expires_at.min(project.expires_at);
        let project_id = project_info.project.map(|p| p.id).unwrap_or_default();
        Ok(Login {
            identity: Identity {
                account: account.to_owned(),
                credentials: Credentials::Tokens { project: Some(project), domain: Some(domain) },
            },
            domain_token: domain_info,
            project_id,
            expires_at,
        })
    }

    /// `GET /v3/auth/tokens`: validates `subject` using `caller`'s credentials.
    pub async fn validate_token(&self, caller: &Identity, subject: &SecretString) -> Result<TokenInfo, Error> {
        const OP: &str = "keystone_validate_token";
        let auth = caller
            .credentials
            .for_service(Service::Iam)
            .ok_or(Error::Credentials { operation: OP, reason: "no credentials for IAM" })?;
        let call = RawCall {
            operation: OP,
            service: Service::Iam,
            method: Method::GET,
            is_read: true,
            path: "/v3/auth/tokens".into(),
            query: vec![],
            headers: vec![("X-Subject-Token".into(), subject.expose_secret().to_owned())],
            body: vec![],
            content_type: None,
            auth: Some(auth),
        };
        let resp = self.execute(&caller.account, call).await?;
        Ok(decode::<TokenBody>(OP, &resp)?.token)
    }

    /// Resolves the project id (cn-north-4) and domain id for an AK/SK pair, as the SDK does with a region.
    pub async fn resolve_aksk(&self, key: AkSk) -> Result<Identity, Error> {
        let auth = CallAuth::Sign { key: &key, id_header: None };
        let projects = self
            .iam_get::<ProjectList>(&key.ak, "keystone_list_projects", "/v3/projects", vec![("name", GSL_REGION.into())], auth)
            .await?;
        let auth = CallAuth::Sign { key: &key, id_header: None };
        let domains = self.iam_get::<DomainList>(&key.ak, "keystone_list_auth_domains", "/v3/auth/domains", vec![], auth).await?;
        let project_id = match projects.projects.as_slice() {
            [one] => one.id.clone(),
            _ => {
                return Err(Error::Credentials {
                    operation: "keystone_list_projects",
                    reason: "expected exactly one cn-north-4 project",
                });
            }
        };
        let domain = domains.domains.into_iter().next().ok_or(Error::Credentials {
            operation: "keystone_list_auth_domains",
            reason: "no domain visible to this key",
        })?;
        Ok(Identity {
            account: domain.name.clone(),
            credentials: Credentials::AkSk { key, project_id: Some(project_id), domain_id: Some(domain.id) },
        })
    }

    async fn iam_get<T: serde::de::DeserializeOwned>(
        &self,
        account: &str,
        op: &'static str,
        path: &str,
        query: Vec<(&'static str, QueryValue)>,
        auth: CallAuth<'_>,
    ) -> Result<T, Error> {
        let call = RawCall {
            operation: op,
            service: Service::Iam,
            method: Method::GET,
            is_read: true,
            path: path.into(),
            query,
            headers: vec![],
            body: vec![],
            content_type: None,
            auth: Some(auth),
        };
        let resp = self.execute(account, call).await?;
        decode::<T>(op, &resp)
    }
}
