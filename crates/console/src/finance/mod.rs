//! The finance console's services (BSS): money-moving actions made safe (claimed once in the
//! database, audited before and after the upstream call) and the reads behind its pages.

pub mod benefits;
pub mod bills;
pub mod costs;
pub mod csv;
pub mod guard;
pub mod members;
pub mod orders;
pub mod pdf;
pub mod overview;
pub mod renewals;
pub mod requests;
pub mod subscriptions;

use crate::error::ServiceError;
use crate::identity::UserSession;

/// Refuses money-moving changes an identity may not make, before anything is sent.
pub fn require_write(user: &UserSession) -> Result<(), ServiceError> {
    if user.rights.bss.can_write() { Ok(()) } else { Err(ServiceError::Forbidden) }
}

/// Refuses finance reads to an identity without BSS rights, before anything is sent.
pub fn require_read(user: &UserSession) -> Result<(), ServiceError> {
    if user.rights.bss.can_read() { Ok(()) } else { Err(ServiceError::NoAccess("BSS (billing)")) }
}
