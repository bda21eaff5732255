//! fleetdesk's services, free of any UI: the database and its repositories, the encrypted session
//! store, and who the signed-in person is. Server functions call these; the server wires them.

pub mod audit;
pub mod crypto;
pub mod db;
pub mod embed;
pub mod error;
pub mod finance;
pub mod fleet;
pub mod identity;
pub mod preferences;
pub mod session_store;
pub mod settings;

pub use db::Db;
pub use error::ServiceError;
pub use identity::{Access, Rights, UserSession};
