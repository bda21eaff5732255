//! The fleet console's pages (Global SIM Link).

pub mod audit;
pub mod export;
pub mod inventory;
pub mod jobs;
pub mod sim;
pub mod usage;
