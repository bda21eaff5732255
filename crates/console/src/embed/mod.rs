//! fleetdesk inside a portal's iframe: a portal's backend trades a signed launch token for a
//! one-time launch URL (valid 60 seconds) that, opened in the frame, starts its user's session
//! with the Huawei credential the portal holds for them, read-only or as an operator.

pub mod launch_token;

use chrono::{DateTime, Duration, Utc};
use hwcloud::Client;
use rand::RngCore;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tower_sessions::Session;

use self::launch_token::{LaunchClaims, LaunchCredential, LaunchRole, Refusal};
use crate::crypto::SessionCipher;
use crate::db::{Db, now_ms};
use crate::error::ServiceError;
use crate::identity::{self, UserSession};
use crate::on_pool;

/// How long a launch URL may be opened after it was issued.
pub const LAUNCH_URL_SECS: i64 = 60;
/// Session key of how the session was launched.
const EMBED_KEY: &str = "embed";

/// How a launched session shows and what it may do (kept in the session; nothing secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Embedded {
    /// The portal user's reference.
    pub portal_user: String,
    /// Every change refused.
    pub read_only: bool,
    /// Without the top bar (the portal has its own).
    pub compact: bool,
}

/// A launch waiting for its URL to be opened.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Launch {
    /// The session to start.
    pub user: UserSession,
    /// How it shows.
    pub embedded: Embedded,
    /// The page to open.
    pub landing: String,
}

/// A one-time launch code, and until when it may be used.
#[derive(Debug, Clone)]
pub struct LaunchCode {
    /// The code for the launch URL (secret until used).
    pub code: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// Why a launch failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LaunchError {
    /// The token was refused.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The credential could not sign in, or the database failed.
    #[error(transparent)]
    Service(#[from] ServiceError),
}

fn hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.as_bytes()))
}

/// Checks a portal's launch token, signs its user in with the credential it carries and keeps the
/// session sealed behind a one-time code.
pub async fn launch(db: &Db, client: &Client, cipher: &SessionCipher, token: &str, secret: &SecretString, audience: &str) -> Result<LaunchCode, LaunchError> {
    let claims = launch_token::verify(token, secrecy::ExposeSecret::expose_secret(secret).as_bytes(), audience, Utc::now())?;
    remember(db, &claims).await?;
    let user = match &claims.credential {
        LaunchCredential::AkSk { ak, sk } => identity::sign_in_with_access_key(client, ak, &SecretString::from(sk.clone())).await?,
        LaunchCredential::IamTokens { project, domain } => {
            let (p, d) = (project.clone().map(SecretString::from), domain.clone().map(SecretString::from));
            identity::sign_in_with_tokens(client, p.as_ref(), d.as_ref()).await?
        }
    };
    let read_only = claims.role == LaunchRole::ReadOnly;
    let user = if read_only { user.read_only() } else { user }.launched_for(&claims.sub);
    let launch = Launch { user, landing: claims.landing.clone(), embedded: Embedded { portal_user: claims.sub.clone(), read_only, compact: claims.compact } };
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let code = hex::encode(bytes);
    let expires_at = Utc::now() + Duration::seconds(LAUNCH_URL_SECS);
    let sealed = cipher.seal(&serde_json::to_vec(&launch).map_err(|_| ServiceError::Internal("launch"))?);
    // Launches nobody opened in time are dropped with their sealed credentials.
    const PURGE: &str = "DELETE FROM launches WHERE expires_at < $1";
    on_pool!(db, p => sqlx::query(PURGE).bind(now_ms()).execute(p).await.map(|_| ())).map_err(ServiceError::from)?;
    const Q: &str = "INSERT INTO launches (code_hash, sealed, expires_at) VALUES ($1, $2, $3)";
    on_pool!(db, p => sqlx::query(Q).bind(hash(&code)).bind(&sealed).bind(expires_at.timestamp_millis()).execute(p).await.map(|_| ()))
        .map_err(ServiceError::from)?;
    Ok(LaunchCode { code, expires_at })
}

/// Records a token's id; a second use is a replay.
async fn remember(db: &Db, claims: &LaunchClaims) -> Result<(), LaunchError> {
    let now = now_ms();
    // Ids of tokens that have expired anyway are forgotten, a margin later (servers' clocks differ
    // by up to the tolerated skew): they can no longer be replayed.
    const FORGET: &str = "DELETE FROM launch_tokens_used WHERE expires_at < $1";
    let margin = (launch_token::CLOCK_SKEW_SECS + 60) * 1000;
    on_pool!(db, p => sqlx::query(FORGET).bind(now - margin).execute(p).await.map(|_| ())).map_err(ServiceError::from)?;
    const Q: &str = "INSERT INTO launch_tokens_used (jti, portal_user, used_at, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT (jti) DO NOTHING";
    let inserted = on_pool!(db, p => sqlx::query(Q)
        .bind(&claims.jti).bind(&claims.sub).bind(now).bind(claims.exp.saturating_mul(1000))
        .execute(p).await.map(|r| r.rows_affected()))
    .map_err(ServiceError::from)?;
    if inserted == 1 { Ok(()) } else { Err(Refusal::Replayed.into()) }
}

/// Opens a launch URL: the launch, once, within its minute; `None` for an unknown, used or expired code.
pub async fn enter(db: &Db, cipher: &SessionCipher, code: &str) -> Result<Option<Launch>, ServiceError> {
    if code.len() != 64 || !code.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let now = now_ms();
    // One UPDATE claims it: two tabs opening the same URL get one session between them.
    const TAKE: &str = "UPDATE launches SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2";
    let taken = on_pool!(db, p => sqlx::query(TAKE).bind(hash(code)).bind(now).execute(p).await.map(|r| r.rows_affected()))?;
    if taken != 1 {
        return Ok(None);
    }
    const READ: &str = "SELECT sealed FROM launches WHERE code_hash = $1";
    let (sealed,): (String,) = on_pool!(db, p => sqlx::query_as(READ).bind(hash(code)).fetch_one(p).await)?;
    // Claimed: the row, sealed credentials and all, is not needed any more.
    const DROP: &str = "DELETE FROM launches WHERE code_hash = $1";
    on_pool!(db, p => sqlx::query(DROP).bind(hash(code)).execute(p).await.map(|_| ()))?;
    let bytes = cipher.open(&sealed).map_err(|_| ServiceError::Internal("launch"))?;
    Ok(Some(serde_json::from_slice(&bytes).map_err(|_| ServiceError::Internal("launch"))?))
}

/// Starts a launched session (a new session id) and remembers how it shows.
pub async fn start(session: &Session, launch: &Launch) -> Result<(), ServiceError> {
    identity::start_session(session, &launch.user).await?;
    session.insert(EMBED_KEY, &launch.embedded).await?;
    Ok(())
}

/// Forgets how the session was launched (a person signing in with their own identity inside the
/// frame is not a portal launch: no read-only note, no compact layout).
pub async fn forget(session: &Session) -> Result<(), ServiceError> {
    session.remove::<Embedded>(EMBED_KEY).await?;
    Ok(())
}

/// How the current session was launched, if from a portal.
pub async fn embedded(session: &Session) -> Result<Option<Embedded>, ServiceError> {
    Ok(session.get::<Embedded>(EMBED_KEY).await?)
}
