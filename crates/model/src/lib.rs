//! fleetdesk's vocabulary, shared by the browser and the server so both validate the same way:
//! SIM cards and their statuses, inventory queries (as they appear in URLs), card actions with
//! their eligibility rules, bulk jobs and audit entries. No I/O here.

pub mod action;
pub mod audit;
pub mod catalog;
pub mod costs;
pub mod finance;
pub mod money;
pub mod inventory;
pub mod job;
pub mod pool;
pub mod renewal;
pub mod sim;
pub mod work_order;

/// Input refused before anything is sent upstream: which field and why, in words a person reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct Invalid {
    /// The input field (as named in forms and URLs).
    pub field: &'static str,
    /// Why it was refused.
    pub reason: String,
}

impl Invalid {
    /// A refusal of `field` for `reason`.
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self { field, reason: reason.into() }
    }

    /// The refusal as a sentence: reasons that are sentences stand alone, fragments get the field.
    pub fn sentence(&self) -> String {
        if self.reason.starts_with(|c: char| c.is_uppercase()) {
            self.reason.clone()
        } else {
            format!("The {} {}", self.field.replace('_', " "), self.reason)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn refusals_read_as_sentences() {
        assert_eq!(super::Invalid::new("q", "An ICCID has digits only.").sentence(), "An ICCID has digits only.");
        assert_eq!(super::Invalid::new("used_min", "must be whole.").sentence(), "The used min must be whole.");
    }
}
