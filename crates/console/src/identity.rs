//! Who is signed in: the person's Huawei identity, their rights, and the credentials every upstream
//! call of theirs is made with. Kept only in their session (sealed at rest), never sent to a browser.

use chrono::{DateTime, Duration, Utc};
use hwcloud::credentials::{AkSk, Credentials, ScopedToken};
use hwcloud::{Client, Identity};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::error::ServiceError;

/// Session key of the signed-in user.
const USER_KEY: &str = "user";
/// How long an AK/SK session may last at most (keys do not expire; sessions must).
const AKSK_SESSION_HOURS: i64 = 24;

/// What an identity may do in one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Access {
    /// No permission.
    None,
    /// Read only.
    Read,
    /// Read and change.
    Write,
    /// Not known in advance (real IAM policies are not visible in a token); a 403 tells later.
    Unknown,
}

impl Access {
    /// Whether pages of this service should be offered.
    pub fn can_read(self) -> bool {
        !matches!(self, Access::None)
    }
    /// Whether changing actions should be offered.
    pub fn can_write(self) -> bool {
        matches!(self, Access::Write | Access::Unknown)
    }
}

/// Rights per service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rights {
    /// Global SIM Link.
    pub gsl: Access,
    /// BSS.
    pub bss: Access,
}

impl Rights {
    /// Reads rights from token roles named `gsl:read`, `gsl:write`, `bss:read`, `bss:write` (as the
    /// sandbox issues them); anything else leaves them unknown.
    pub fn from_roles<'a>(roles: impl IntoIterator<Item = &'a str> + Clone) -> Self {
        let known = roles.clone().into_iter().any(|r| r.starts_with("gsl:") || r.starts_with("bss:"));
        if !known {
            return Rights { gsl: Access::Unknown, bss: Access::Unknown };
        }
        let of = |svc: &str| {
            let has = |what: &str| roles.clone().into_iter().any(|r| r == format!("{svc}:{what}"));
            match (has("read"), has("write")) {
                (_, true) => Access::Write,
                (true, false) => Access::Read,
                _ => Access::None,
            }
        };
        Rights { gsl: of("gsl"), bss: of("bss") }
    }
}

/// How the person signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInMethod {
    /// Account, IAM user name and password.
    Password,
    /// Access key and secret key.
    AccessKey,
}

/// The secrets behind a session. Debug never prints them.
#[derive(Clone, Serialize, Deserialize)]
enum StoredCredentials {
    Tokens { project: String, domain: String, expires_at: DateTime<Utc> },
    AkSk { ak: String, sk: String },
}

impl std::fmt::Debug for StoredCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoredCredentials::Tokens { expires_at, .. } => write!(f, "Tokens([redacted], expires {expires_at})"),
            StoredCredentials::AkSk { ak, .. } => write!(f, "AkSk({ak}, [redacted])"),
        }
    }
}

/// The signed-in person, as kept in their session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserSession {
    /// Account (domain) name.
    pub account: String,
    /// Account (domain) id.
    pub domain_id: String,
    /// IAM user name (for AK/SK sign-in, a label derived from the key, see [`access_key_label`]).
    pub user_name: String,
    /// Project id of cn-north-4.
    pub project_id: String,
    /// How they signed in.
    pub method: SignInMethod,
    /// What they may do.
    pub rights: Rights,
    /// The session ends at the latest then (token expiry).
    pub expires_at: DateTime<Utc>,
    credentials: StoredCredentials,
}

/// What the browser may know about the signed-in person (no secret in it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicIdentity {
    /// Account name.
    pub account: String,
    /// IAM user name.
    pub user_name: String,
    /// Rights.
    pub rights: Rights,
    /// When the session ends at the latest.
    pub expires_at: DateTime<Utc>,
}

impl UserSession {
    /// The identity for upstream calls.
    pub fn identity(&self) -> Identity {
        let credentials = match &self.credentials {
            StoredCredentials::Tokens { project, domain, expires_at } => Credentials::Tokens {
                project: Some(ScopedToken { token: SecretString::from(project.clone()), expires_at: *expires_at }),
                domain: Some(ScopedToken { token: SecretString::from(domain.clone()), expires_at: *expires_at }),
            },
            StoredCredentials::AkSk { ak, sk } => Credentials::AkSk {
                key: AkSk::new(ak.clone(), sk.clone()),
                project_id: Some(self.project_id.clone()),
                domain_id: Some(self.domain_id.clone()),
            },
        };
        Identity { account: self.account.clone(), credentials }
    }

    /// The part the browser may see.
    pub fn public(&self) -> PublicIdentity {
        PublicIdentity {
            account: self.account.clone(),
            user_name: self.user_name.clone(),
            rights: self.rights,
            expires_at: self.expires_at,
        }
    }

    /// Every secret of this session, for leak tests.
    pub fn secrets(&self) -> Vec<String> {
        match &self.credentials {
            StoredCredentials::Tokens { project, domain, .. } => vec![project.clone(), domain.clone()],
            StoredCredentials::AkSk { sk, .. } => vec![sk.clone()],
        }
    }
}

fn require(field: &'static str, value: &str, max: usize) -> Result<(), ServiceError> {
    if value.trim().is_empty() {
        return Err(ServiceError::InvalidInput { field, reason: "is required" });
    }
    if value.chars().count() > max {
        return Err(ServiceError::InvalidInput { field, reason: "is too long" });
    }
    Ok(())
}

/// Signs in with account, IAM user and password: obtains both tokens; the password is not kept.
pub async fn sign_in_with_password(
    client: &Client,
    account: &str,
    user: &str,
    password: &SecretString,
) -> Result<UserSession, ServiceError> {
    require("account", account, 64)?;
    require("user", user, 64)?;
    require("password", password.expose_secret(), 128)?;
    let login = client.login_with_password(account.trim(), user.trim(), password).await?;
    let Credentials::Tokens { project: Some(project), domain: Some(domain) } = &login.identity.credentials else {
        return Err(ServiceError::NotSignedIn);
    };
    let info = &login.domain_token;
    Ok(UserSession {
        account: info.user.domain.name.clone(),
        domain_id: info.user.domain.id.clone(),
        user_name: info.user.name.clone(),
        project_id: login.project_id.clone(),
        method: SignInMethod::Password,
        rights: Rights::from_roles(info.roles.iter().map(|r| r.name.as_str())),
        expires_at: login.expires_at,
        credentials: StoredCredentials::Tokens {
            project: project.token.expose_secret().to_owned(),
            domain: domain.token.expose_secret().to_owned(),
            expires_at: login.expires_at,
        },
    })
}

/// How an access-key identity is named on screen: a digest, so not even the AK id reaches a browser.
pub fn access_key_label(ak: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(ak.as_bytes());
    format!("access key {}", &hex::encode(digest)[..8])
}

/// Signs in with an access key pair: the ids are looked up through IAM, which also proves the key works.
pub async fn sign_in_with_access_key(client: &Client, ak: &str, sk: &SecretString) -> Result<UserSession, ServiceError> {
    require("access key", ak, 128)?;
    require("secret key", sk.expose_secret(), 256)?;
    let identity = client.resolve_aksk(AkSk { ak: ak.trim().to_owned(), sk: sk.clone(), security_token: None }).await?;
    let Credentials::AkSk { project_id, domain_id, .. } = &identity.credentials else {
        return Err(ServiceError::NotSignedIn);
    };
    Ok(UserSession {
        account: identity.account.clone(),
        domain_id: domain_id.clone().unwrap_or_default(),
        user_name: access_key_label(ak.trim()),
        project_id: project_id.clone().unwrap_or_default(),
        method: SignInMethod::AccessKey,
        rights: Rights { gsl: Access::Unknown, bss: Access::Unknown },
        expires_at: Utc::now() + Duration::hours(AKSK_SESSION_HOURS),
        credentials: StoredCredentials::AkSk { ak: ak.trim().to_owned(), sk: sk.expose_secret().to_owned() },
    })
}

/// Signs in with IAM tokens a portal holds for its user (project-scoped for GSL, domain-scoped
/// for BSS; at least one): each is validated with IAM, which names the user, account, roles and
/// expiry. A service whose token is absent is closed to the session.
pub async fn sign_in_with_tokens(client: &Client, project: Option<&SecretString>, domain: Option<&SecretString>) -> Result<UserSession, ServiceError> {
    let far = Utc::now() + Duration::hours(1);
    let mut infos = Vec::new();
    for token in [project, domain].into_iter().flatten() {
        require("token", token.expose_secret(), 16_384)?;
        let caller = Identity {
            account: String::new(),
            credentials: Credentials::Tokens { project: None, domain: Some(ScopedToken { token: token.clone(), expires_at: far }) },
        };
        infos.push(client.validate_token(&caller, token).await?);
    }
    let Some(first) = infos.first() else {
        return Err(ServiceError::InvalidInput { field: "token", reason: "is required" });
    };
    if infos.iter().any(|i| i.user.id != first.user.id) {
        return Err(ServiceError::InvalidInput { field: "token", reason: "must belong to one IAM user" });
    }
    let expires_at = infos
        .iter()
        .map(|i| hwcloud::time::HwTime(i.expires_at.clone()).to_utc())
        .collect::<Option<Vec<_>>>()
        .and_then(|t| t.into_iter().min())
        .ok_or(ServiceError::NotSignedIn)?;
    let mut rights = Rights::from_roles(infos.iter().flat_map(|i| i.roles.iter().map(|r| r.name.as_str())).collect::<Vec<_>>().iter().copied());
    if project.is_none() {
        rights.gsl = Access::None;
    }
    if domain.is_none() {
        rights.bss = Access::None;
    }
    let secret = |t: Option<&SecretString>| t.map(|t| t.expose_secret().to_owned()).unwrap_or_default();
    Ok(UserSession {
        account: first.user.domain.name.clone(),
        domain_id: first.user.domain.id.clone(),
        user_name: first.user.name.clone(),
        project_id: infos.iter().find_map(|i| i.project.as_ref().map(|p| p.id.clone())).unwrap_or_default(),
        method: SignInMethod::Password,
        rights,
        expires_at,
        credentials: StoredCredentials::Tokens { project: secret(project), domain: secret(domain), expires_at },
    })
}

impl UserSession {
    /// The same person with every change refused (a read-only portal launch): rights capped to reading.
    pub fn read_only(mut self) -> Self {
        let cap = |a: Access| if a.can_read() { Access::Read } else { Access::None };
        self.rights = Rights { gsl: cap(self.rights.gsl), bss: cap(self.rights.bss) };
        self
    }

    /// The same session labelled as the portal user `portal_user` acting through this identity.
    pub fn launched_for(mut self, portal_user: &str) -> Self {
        self.user_name = format!("{portal_user} (portal, {})", self.user_name);
        self
    }
}

/// Starts the person's session: a new session id (no fixation), then their identity.
pub async fn start_session(session: &Session, user: &UserSession) -> Result<(), ServiceError> {
    session.cycle_id().await?;
    session.insert(USER_KEY, user).await?;
    Ok(())
}

/// The signed-in person, or `None`. A session whose Huawei token has expired is ended here.
pub async fn current_user(session: &Session) -> Result<Option<UserSession>, ServiceError> {
    let Some(user) = session.get::<UserSession>(USER_KEY).await? else { return Ok(None) };
    if user.expires_at <= Utc::now() {
        session.flush().await?;
        return Err(ServiceError::SessionExpired);
    }
    Ok(Some(user))
}

/// The signed-in person, or an error saying they must sign in.
pub async fn require_user(session: &Session) -> Result<UserSession, ServiceError> {
    current_user(session).await?.ok_or(ServiceError::NotSignedIn)
}

/// Ends the session on the server (the record is deleted, the cookie cleared).
pub async fn end_session(session: &Session) -> Result<(), ServiceError> {
    session.flush().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rights_come_from_sandbox_roles_or_stay_unknown() {
        let fleet = Rights::from_roles(["gsl:read", "gsl:write"]);
        assert_eq!(fleet, Rights { gsl: Access::Write, bss: Access::None });
        let ro = Rights::from_roles(["gsl:read", "bss:read"]);
        assert!(ro.gsl.can_read() && !ro.gsl.can_write());
        let real = Rights::from_roles(["te_admin", "op_gated_x"]);
        assert_eq!(real.gsl, Access::Unknown);
    }
}
