//! The finance console's pages (BSS).

pub mod benefits;
pub mod bills;
pub mod costs;
pub mod members;
pub mod orders;
pub mod overview;
pub mod renewals;
pub mod resources;
