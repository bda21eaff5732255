//! fleetdesk's server: configuration, start-up wiring (database, sessions, the Huawei client or the
//! in-process sandbox), security headers, health and metrics. The UI and its server functions are in `app`.

#![recursion_limit = "256"]
pub mod config;
pub mod embed;
pub mod export;
pub mod finance_exports;
pub mod security;
pub mod startup;
pub mod telemetry;
pub mod worker;
