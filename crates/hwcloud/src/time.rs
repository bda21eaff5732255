//! Timestamps as Huawei sends them, kept verbatim and parsed on demand.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// A timestamp string from the API (`2020-08-24T07:57:56.000Z`, `2019-05-06T08:05:01Z`, ...).
///
/// Kept as sent so an unexpected format never fails a whole response.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HwTime(pub String);

impl HwTime {
    /// Formats a UTC instant the way the API writes it.
    pub fn from_utc(t: DateTime<Utc>) -> Self {
        HwTime(t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    }

    /// The instant, when the string is RFC 3339 or `YYYY-MM-DD HH:MM:SS` (taken as UTC).
    pub fn to_utc(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.0)
            .map(|t| t.with_timezone(&Utc))
            .ok()
            .or_else(|| NaiveDateTime::parse_from_str(&self.0, "%Y-%m-%d %H:%M:%S").ok().map(|n| n.and_utc()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_formats_huawei_uses() {
        assert!(HwTime("2020-08-24T07:57:56.000Z".into()).to_utc().is_some());
        assert!(HwTime("2019-05-06T08:05:01Z".into()).to_utc().is_some());
        assert!(HwTime("2019-05-06 08:05:01".into()).to_utc().is_some());
        assert!(HwTime("garbage".into()).to_utc().is_none());
    }
}
