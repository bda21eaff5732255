//! Errors of the service layer; server functions map them to user-facing errors.

/// What can go wrong below the UI.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Huawei Cloud answered with an error, or could not be reached.
    #[error(transparent)]
    Upstream(#[from] hwcloud::Error),
    /// The input was refused before any upstream call.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// Which input.
        field: &'static str,
        /// Why, in words a user understands.
        reason: &'static str,
    },
    /// Nobody is signed in.
    #[error("not signed in")]
    NotSignedIn,
    /// The Huawei token behind the session has expired; the session was ended.
    #[error("the session has expired")]
    SessionExpired,
    /// The database failed.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// The session store failed.
    #[error(transparent)]
    Session(#[from] tower_sessions::session::Error),
}
