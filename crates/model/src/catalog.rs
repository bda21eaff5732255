//! The account's tags and custom attributes, and the price plans on offer.

use serde::{Deserialize, Serialize};

/// A tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Whether any card carries it (GSL's status 1).
    pub in_use: bool,
    /// Cards carrying it, when counted.
    pub cards: Option<u64>,
}

/// One of the six custom attributes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    /// Slot 1..6.
    pub id: i64,
    /// The account's name for it.
    pub name: Option<String>,
    /// GSL's default name (English).
    pub default_name: String,
    /// Whether it is enabled (GSL's status 1).
    pub enabled: bool,
}

/// A price plan on offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricePlan {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Flow per month, MB.
    pub flow_mb: Option<i64>,
    /// Price as GSL gives it (in cents).
    pub price_cents: Option<i64>,
    /// Where it applies.
    pub location: Option<String>,
}
