//! Typed async client for Huawei Cloud: IAM tokens, Global SIM Link v3 and BSS v2.
//!
//! Signing is a pure function checked against the official SDK's vectors; every call goes through one
//! send path that rate-limits per (account, operation), signs, sends, classifies errors and retries reads.

pub mod client;
pub mod bss;
pub mod credentials;
pub mod error;
pub mod gsl;
pub mod iam;
pub mod operation;
pub mod paging;
pub mod ratelimit;
pub mod retry;
pub mod signer;
pub mod time;
pub mod vectors;

pub use client::{CallObserver, CallRecord, Client, ClientConfig, Endpoints, Identity, Response};
pub use credentials::{AkSk, Credentials, ScopedToken};
pub use error::{Error, ServiceError};
pub use operation::{Ack, Operation, PagedOperation, Service};
