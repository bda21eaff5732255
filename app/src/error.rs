//! The error every server function returns: a kind the UI can act on, a message a person can read,
//! and the upstream request id when Huawei Cloud was involved. Internals stay on the server.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

/// What kind of failure, so the UI can react (send to sign-in, explain a permission, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorKind {
    /// Nobody is signed in.
    NotSignedIn,
    /// The Huawei session ended; sign in again.
    SessionExpired,
    /// Wrong account, user, password or key.
    BadCredentials,
    /// The identity lacks the permission.
    Forbidden,
    /// Input refused before any upstream call.
    InvalidInput,
    /// The request does not fit the current state (the card is already stopped, ...); nothing was sent.
    Conflict,
    /// No such thing for this identity.
    NotFound,
    /// Huawei's flow control refused the call.
    RateLimited,
    /// Huawei Cloud answered with another error or could not be reached.
    Upstream,
    /// Something failed inside fleetdesk.
    Internal,
    /// The browser could not reach fleetdesk or could not read its answer.
    Network,
}

/// A user-facing error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    /// The kind.
    pub kind: ErrorKind,
    /// A sentence for the person.
    pub message: String,
    /// Huawei's `X-Request-Id`, for support.
    pub request_id: Option<String>,
}

impl AppError {
    /// An error of a kind with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), request_id: None }
    }

    /// The HTTP status that fits the kind.
    pub fn status(&self) -> u16 {
        match self.kind {
            ErrorKind::NotSignedIn | ErrorKind::SessionExpired | ErrorKind::BadCredentials => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::InvalidInput => 400,
            ErrorKind::Conflict => 409,
            ErrorKind::NotFound => 404,
            ErrorKind::RateLimited => 429,
            ErrorKind::Upstream | ErrorKind::Network => 502,
            ErrorKind::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => {
                AppError::new(ErrorKind::Network, "fleetdesk could not be reached. Check the connection and try again.")
            }
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::new(ErrorKind::InvalidInput, "The request was incomplete or malformed.")
            }
            _ => AppError::new(ErrorKind::Internal, "Something went wrong inside fleetdesk."),
        }
    }
}

impl From<ServerFnErrorErr> for AppError {
    fn from(e: ServerFnErrorErr) -> Self {
        Self::from_server_fn_error(e)
    }
}

#[cfg(feature = "ssr")]
mod from_service {
    use console::ServiceError;
    use hwcloud::Error as Upstream;

    use super::{AppError, ErrorKind};

    impl From<ServiceError> for AppError {
        fn from(e: ServiceError) -> Self {
            match e {
                ServiceError::Upstream(u) => u.into(),
                ServiceError::InvalidInput { field, reason } => {
                    AppError::new(ErrorKind::InvalidInput, format!("The {field} {reason}."))
                }
                ServiceError::Invalid(invalid) => AppError::new(ErrorKind::InvalidInput, invalid.sentence()),
                ServiceError::Ineligible(why) => AppError::new(ErrorKind::Conflict, ineligible_message(why)),
                ServiceError::Forbidden => {
                    AppError::new(ErrorKind::Forbidden, "Your IAM user may only read here; changes need write permission.")
                }
                ServiceError::NoAccess(service) => AppError::new(
                    ErrorKind::Forbidden,
                    format!("Your IAM user has no permission for {service}; ask your administrator to grant it."),
                ),
                ServiceError::Refused(why) => AppError::new(ErrorKind::Conflict, format!("Huawei Cloud refused this: {why}")),
                ServiceError::NotFound => AppError::new(ErrorKind::NotFound, "There is no such item for your identity."),
                ServiceError::Conflict(what) => AppError::new(ErrorKind::Conflict, format!("Not possible now: {what}.")),
                ServiceError::NotSignedIn => AppError::new(ErrorKind::NotSignedIn, "Please sign in."),
                ServiceError::SessionExpired => AppError::new(
                    ErrorKind::SessionExpired,
                    "Your Huawei Cloud session has expired. Please sign in again.",
                ),
                other => {
                    tracing::error!(error = %other, "internal error");
                    AppError::new(ErrorKind::Internal, "Something went wrong inside fleetdesk.")
                }
            }
        }
    }

    fn ineligible_message(why: model::action::Ineligible) -> &'static str {
        use model::action::Ineligible;
        match why {
            Ineligible::Dismantled => "This SIM card is dismantled; nothing was sent.",
            Ineligible::AlreadyDone => "This SIM card already shows this change; nothing was sent.",
            Ineligible::WrongStatus => "This action does not apply to the SIM card in its current status; nothing was sent.",
            Ineligible::NotApplicable => "This action does not apply to this SIM card; nothing was sent.",
            Ineligible::Gone => "This SIM card no longer exists.",
        }
    }

    impl From<Upstream> for AppError {
        fn from(e: Upstream) -> Self {
            let request_id = e.request_id().map(str::to_owned);
            let (kind, message) = match &e {
                Upstream::Unauthorized { operation, .. } if operation.starts_with("keystone") => {
                    (ErrorKind::BadCredentials, "The account, user name or password (or key) was not accepted.".to_owned())
                }
                Upstream::Unauthorized { .. } => {
                    (ErrorKind::SessionExpired, "Huawei Cloud no longer accepts this session. Please sign in again.".to_owned())
                }
                Upstream::TokenExpired { .. } => {
                    (ErrorKind::SessionExpired, "Your Huawei Cloud session has expired. Please sign in again.".to_owned())
                }
                Upstream::Forbidden { .. } => {
                    (ErrorKind::Forbidden, "Your IAM user lacks the permission for this.".to_owned())
                }
                Upstream::RateLimited { .. } => (
                    ErrorKind::RateLimited,
                    "Huawei Cloud's limit of 10 calls per second was reached. Try again in a moment.".to_owned(),
                ),
                Upstream::Service { error, .. } if error.status < 500 => {
                    (ErrorKind::Upstream, format!("Huawei Cloud refused this: {} ({})", error.error_msg, error.error_code))
                }
                other => {
                    tracing::warn!(error = %other, "upstream failure");
                    (ErrorKind::Upstream, "Huawei Cloud did not answer properly. Try again later.".to_owned())
                }
            };
            AppError { kind, message, request_id }
        }
    }
}
