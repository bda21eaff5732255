//! Components shared by pages.

pub mod finance;
pub mod embed;
pub mod fleet;
pub mod layout;
pub mod timer;
