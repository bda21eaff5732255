//! Components shared by pages.

pub mod layout;
