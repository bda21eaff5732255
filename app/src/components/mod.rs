//! Components shared by pages.

pub mod fleet;
pub mod layout;
pub mod timer;
