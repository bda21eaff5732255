//! The fleet console's pages (Global SIM Link).

pub mod audit;
pub mod catalog;
pub mod export;
pub mod inventory;
pub mod jobs;
pub mod overview;
pub mod pools;
pub mod sim;
pub mod usage;
pub mod work_orders;
