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
    /// The input was refused before any upstream call (fleet vocabulary).
    #[error(transparent)]
    Invalid(#[from] model::Invalid),
    /// The action does not apply to the card as it is now; nothing was sent.
    #[error("the action does not apply to this card: {0:?}")]
    Ineligible(model::action::Ineligible),
    /// The signed-in identity may not do this; nothing was sent.
    #[error("not permitted")]
    Forbidden,
    /// The identity has no rights in a service at all (its pages explain it); nothing was sent.
    #[error("no access to {0}")]
    NoAccess(&'static str),
    /// Huawei Cloud answered, but refused the change (its reason and code, for the person).
    #[error("refused: {0}")]
    Refused(String),
    /// No such thing (a job, an export) for this identity.
    #[error("not found")]
    NotFound,
    /// A request that conflicts with the current state (confirming a job that is not ready, ...).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// fleetdesk itself failed (what failed, for the log).
    #[error("internal: {0}")]
    Internal(&'static str),
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
