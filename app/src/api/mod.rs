//! Server functions (thin: read the session, call a service, map errors) and the types they return.

pub mod auth;
pub mod catalog;
pub mod finance;
pub mod fleet;
pub mod jobs;
pub mod overview;
pub mod work_orders;
#[cfg(feature = "ssr")]
pub mod context;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// What an identity may do in one service, as the browser sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccessView {
    /// No permission.
    None,
    /// Read only.
    Read,
    /// Read and change.
    Write,
    /// Decided by IAM policies fleetdesk cannot see in advance.
    Unknown,
}

impl AccessView {
    /// Whether the service's pages are offered.
    pub fn can_read(self) -> bool {
        !matches!(self, AccessView::None)
    }

    /// Whether changing actions are offered.
    pub fn can_write(self) -> bool {
        matches!(self, AccessView::Write | AccessView::Unknown)
    }

    /// The i18n key describing it.
    pub fn label_key(self) -> &'static str {
        match self {
            AccessView::None => "rights.none",
            AccessView::Read => "rights.read",
            AccessView::Write => "rights.write",
            AccessView::Unknown => "rights.unknown",
        }
    }
}

/// The signed-in person, without any secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    /// Account name.
    pub account: String,
    /// IAM user name (or access key id).
    pub user_name: String,
    /// Global SIM Link rights.
    pub gsl: AccessView,
    /// BSS rights.
    pub bss: AccessView,
    /// When the session ends at the latest.
    pub expires_at: DateTime<Utc>,
}

/// A demo identity offered in sandbox mode (no password: the server signs in for it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoIdentity {
    /// IAM user name.
    pub name: String,
    /// Rights in words.
    pub rights: String,
}

/// Sandbox mode, as the login page explains it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SandboxInfo {
    /// The demo account name.
    pub account: String,
    /// Its identities.
    pub identities: Vec<DemoIdentity>,
}

/// Everything a page needs to know about the visitor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The signed-in person, if any.
    pub me: Option<Me>,
    /// Whether a session just ended because its Huawei token expired.
    pub expired: bool,
    /// Sandbox mode details, if the console runs on the sandbox.
    pub sandbox: Option<SandboxInfo>,
    /// The visitor's language.
    pub lang: Lang,
    /// The visitor's time zone, minutes east of UTC (from the browser; UTC+8 until it tells).
    pub tz_minutes: i32,
    /// How fleetdesk sits inside a portal, if it may.
    pub embed: EmbedInfo,
}

/// Embedding as the browser needs to know it (nothing secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EmbedInfo {
    /// Portal origins allowed to frame fleetdesk: the only ones it talks to by postMessage.
    pub origins: Vec<String>,
    /// The session was launched by a portal asking for the compact layout.
    pub compact: bool,
    /// The session was launched read-only by a portal.
    pub read_only: bool,
}

/// The time zone assumed until the browser tells its own: China, where bill cycles are defined.
pub const DEFAULT_TZ_MINUTES: i32 = 480;
