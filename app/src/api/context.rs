//! What the server provides to every server function, and small helpers around it.

use std::sync::Arc;

use leptos::prelude::*;
use secrecy::SecretString;
use tower_sessions::Session;

use crate::error::{AppError, ErrorKind};

/// A demo identity of the in-process sandbox, with its password (server side only).
#[derive(Clone)]
pub struct DemoUser {
    /// IAM user name.
    pub name: String,
    /// Its password.
    pub password: SecretString,
    /// Rights in words.
    pub rights: String,
}

impl std::fmt::Debug for DemoUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoUser").field("name", &self.name).field("rights", &self.rights).finish_non_exhaustive()
    }
}

/// The sandbox's demo account.
#[derive(Debug, Clone)]
pub struct SandboxDemo {
    /// Account name.
    pub account: String,
    /// Identities.
    pub users: Vec<DemoUser>,
}

/// Shared server state, provided once per request by the server.
#[derive(Debug, Clone)]
pub struct ServerContext {
    /// The database.
    pub db: console::Db,
    /// The Huawei Cloud client (one per process; credentials come per call from the session).
    pub client: hwcloud::Client,
    /// Seals a bulk job's copy of its owner's credentials (the session store's key).
    pub cipher: console::crypto::SessionCipher,
    /// Demo identities when running on the in-process sandbox.
    pub sandbox: Option<Arc<SandboxDemo>>,
    /// Portal origins allowed to frame fleetdesk (empty: embedding is off).
    pub frame_origins: Arc<Vec<String>>,
}

/// The server context.
pub fn server_context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>().ok_or_else(|| AppError::new(ErrorKind::Internal, "The server is not set up."))
}

/// The visitor's session.
pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(AppError::from)
}

/// Sets the HTTP status of the answer to fit an error, and passes it on.
pub fn fail<T>(err: impl Into<AppError>) -> Result<T, AppError> {
    let err = err.into();
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>()
        && let Ok(status) = http::StatusCode::from_u16(err.status()) {
            opts.set_status(status);
        }
    Err(err)
}

/// The signed-in person with the server context; an error (and status) when nobody is signed in.
pub async fn signed_in() -> Result<(ServerContext, console::UserSession), AppError> {
    let ctx = server_context()?;
    let session = session().await?;
    match console::identity::require_user(&session).await {
        Ok(user) => Ok((ctx, user)),
        Err(e) => fail(e),
    }
}

/// The signed-in person, refused (403, nothing sent upstream) when the identity has no Global SIM
/// Link rights at all: a finance-only identity sees no fleet data.
pub async fn fleet_user() -> Result<(ServerContext, console::UserSession), AppError> {
    let (ctx, user) = signed_in().await?;
    if user.rights.gsl.can_read() { Ok((ctx, user)) } else { fail(console::ServiceError::NoAccess("Global SIM Link (fleet)")) }
}

/// Passes a service result on, setting the HTTP status of a failure.
pub fn respond<T>(result: Result<T, console::ServiceError>) -> Result<T, AppError> {
    result.or_else(fail)
}
