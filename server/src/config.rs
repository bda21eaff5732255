//! Typed configuration: defaults, then an optional TOML file, then `FLEETDESK_*` environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

/// Where the Huawei APIs are; absent means "run the sandbox in-process".
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct UpstreamConfig {
    /// IAM base URL.
    pub iam: String,
    /// GSL base URL.
    pub gsl: String,
    /// BSS base URL.
    pub bss: String,
}

/// The in-process sandbox used when no upstream is configured.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SandboxSettings {
    /// Seed of its data and demo identities.
    pub seed: u64,
    /// Number of SIM cards.
    pub sims: usize,
    /// Its flow control (calls per second per account and operation).
    pub rate_limit: u32,
}

/// Cookie SameSite policy.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SameSite {
    /// Strict.
    Strict,
    /// Lax (default).
    Lax,
    /// None (needs Secure).
    None,
}

/// Session settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionConfig {
    /// Minutes of inactivity after which a session ends.
    pub idle_timeout_minutes: i64,
    /// SameSite of the session cookie.
    pub same_site: SameSite,
    /// Force the Secure attribute (it is set anyway when `public_url` is https).
    pub secure: bool,
    /// Base64 of a 32-byte key encrypting session data at rest. Required with a real upstream;
    /// in sandbox mode one is generated and kept under the data directory.
    #[serde(skip_serializing)]
    pub key: Option<SecretString>,
}

/// fleetdesk inside portals' iframes. Off unless origins are listed.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct EmbedConfig {
    /// Portal origins allowed to frame fleetdesk, such as `https://portal.example.com` (scheme, host
    /// and port only). Empty: no site may frame it (`frame-ancestors 'none'`).
    pub allowed_origins: Vec<String>,
    /// Secret shared with the portals' backends, verifying their launch tokens (HS256; at least
    /// 32 bytes). Absent: no portal launch, only the sign-in form inside the frame.
    #[serde(skip_serializing)]
    pub launch_secret: Option<SecretString>,
    /// The audience (`aud`) launch tokens must name.
    pub audience: Option<String>,
}

impl EmbedConfig {
    /// Whether any portal may frame fleetdesk.
    pub fn enabled(&self) -> bool {
        !self.allowed_origins.is_empty()
    }

    /// The launch tokens' audience: configured, else `fleetdesk`.
    pub fn audience(&self) -> &str {
        self.audience.as_deref().unwrap_or("fleetdesk")
    }

    /// Checks the origins and the secret's length.
    pub fn validate(&self) -> Result<(), String> {
        for o in &self.allowed_origins {
            if !is_origin(o) {
                return Err(format!(
                    "embed.allowed_origins: {o:?} is not an origin as browsers write it (lower-case https://host or https://host:port, no path, no default port)"
                ));
            }
        }
        if let Some(s) = &self.launch_secret
            && secrecy::ExposeSecret::expose_secret(s).len() < 32
        {
            return Err("embed.launch_secret must be at least 32 bytes".into());
        }
        Ok(())
    }

    /// The `frame-ancestors` sources: the allowed origins, or `'none'`.
    pub fn frame_ancestors(&self) -> String {
        if self.enabled() { self.allowed_origins.join(" ") } else { "'none'".into() }
    }
}

/// Whether `o` is an origin exactly as a browser serialises it: `http(s)://host[:port]`, the host
/// lower-case letters, digits, dots and dashes, the port not the scheme's default. Anything else
/// could widen `frame-ancestors` or never match a message's origin.
fn is_origin(o: &str) -> bool {
    let (rest, default_port) = match (o.strip_prefix("https://"), o.strip_prefix("http://")) {
        (Some(r), _) => (r, "443"),
        (_, Some(r)) => (r, "80"),
        _ => return false,
    };
    let (host, port) = rest.split_once(':').map_or((rest, None), |(h, p)| (h, Some(p)));
    let host_ok = !host.is_empty() && host.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) && p != default_port);
    host_ok && port_ok
}

/// Bulk jobs: how many one process runs at once, and how.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobsConfig {
    /// Jobs one process runs at the same time (each under its owner's identity and rate limit).
    pub max_per_process: usize,
    /// Calls of one job in flight at once (the rate limiter spaces them).
    pub concurrency: usize,
    /// Seconds a process holds a job without renewing its lease; after that another takes it over.
    pub lease_seconds: u64,
}

/// The whole configuration.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Config {
    /// Address to listen on.
    pub bind: SocketAddr,
    /// URL people use to reach the console (decides Secure cookies and the Origin check).
    pub public_url: Option<String>,
    /// `sqlite://...` or `postgres://...`.
    pub database_url: String,
    /// Directory for the SQLite file and generated secrets in sandbox mode.
    pub data_dir: PathBuf,
    /// Where the built WASM, JS and CSS are (`scripts/build.sh` writes `target/site`).
    pub site_root: PathBuf,
    /// Real Huawei endpoints; `None` starts the sandbox.
    pub upstream: Option<UpstreamConfig>,
    /// In-process sandbox settings.
    pub sandbox: SandboxSettings,
    /// Sessions.
    pub session: SessionConfig,
    /// Client-side calls per second per (account, operation).
    pub rate_limit_per_second: u32,
    /// Bulk jobs.
    pub jobs: JobsConfig,
    /// Embedding in portals.
    #[serde(default)]
    pub embed: EmbedConfig,
    /// A font with Chinese glyphs for PDF statements; absent: the first of Debian's that is installed.
    #[serde(default)]
    pub pdf_font: Option<PathBuf>,
    /// Log filter (`info`, `server=debug`, ...).
    pub log: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 3000)),
            public_url: None,
            database_url: "sqlite://data/fleetdesk.db?mode=rwc".into(),
            data_dir: PathBuf::from("data"),
            site_root: std::env::var("LEPTOS_SITE_ROOT").map_or_else(|_| PathBuf::from("target/site"), PathBuf::from),
            upstream: None,
            sandbox: SandboxSettings { seed: 7, sims: 2_000, rate_limit: 10 },
            session: SessionConfig { idle_timeout_minutes: 60, same_site: SameSite::Lax, secure: false, key: None },
            rate_limit_per_second: 10,
            jobs: JobsConfig { max_per_process: 8, concurrency: 4, lease_seconds: 15 },
            embed: EmbedConfig::default(),
            pdf_font: None,
            log: "info".into(),
        }
    }
}

impl Config {
    /// Loads defaults, then `FLEETDESK_CONFIG` (or `fleetdesk.toml` if present), then the environment
    /// (`FLEETDESK_BIND`, `FLEETDESK_SESSION__KEY`, `FLEETDESK_UPSTREAM__GSL`, ..., and `DATABASE_URL`).
    pub fn load() -> Result<Self, Box<figment::Error>> {
        let file = std::env::var("FLEETDESK_CONFIG").unwrap_or_else(|_| "fleetdesk.toml".into());
        let mut figment = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("FLEETDESK_").split("__"));
        if let Ok(url) = std::env::var("DATABASE_URL") {
            figment = figment.merge(("database_url", url));
        }
        figment.extract().map_err(Box::new)
    }

    /// The PDF font's bytes: the configured file, else the first installed of Debian's Chinese fonts.
    pub fn load_pdf_font(&self) -> Option<Vec<u8>> {
        const DEBIAN: [&str; 3] = [
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/truetype/arphic/uming.ttc",
        ];
        match &self.pdf_font {
            Some(path) => std::fs::read(path).ok(),
            None => DEBIAN.iter().find_map(|p| std::fs::read(p).ok()),
        }
    }

    /// Whether the console runs against the in-process sandbox.
    pub fn sandbox_mode(&self) -> bool {
        self.upstream.is_none()
    }

    /// Whether cookies must be Secure (always when embedding: SameSite=None requires it).
    pub fn secure_cookies(&self) -> bool {
        self.session.secure || self.embed.enabled() || self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }

    /// Checks what embedding needs: valid origins and secret; with a real upstream, portal launch
    /// needs `public_url` (launch URLs are built from it) over HTTPS, or on this machine.
    pub fn validate_embedding(&self) -> Result<(), String> {
        self.embed.validate()?;
        if self.embed.launch_secret.is_some() && !self.sandbox_mode() {
            let url = self.public_url.as_deref().unwrap_or_default();
            let local = ["http://localhost", "http://127.0.0.1"].iter().any(|p| url.starts_with(p));
            if !url.starts_with("https://") && !local {
                return Err("embed.launch_secret needs public_url = \"https://...\" (the address portals' users reach fleetdesk at)".into());
            }
        }
        Ok(())
    }

    /// The session cookie's SameSite: `None` when embedding (a framed page is a third-party
    /// context), else as configured.
    pub fn same_site(&self) -> SameSite {
        if self.embed.enabled() { SameSite::None } else { self.session.same_site }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_sandbox_mode_on_sqlite_with_no_secret() {
        let c = Config::default();
        assert!(c.sandbox_mode());
        assert!(c.database_url.starts_with("sqlite://"));
        assert!(c.session.key.is_none());
        assert!(!c.secure_cookies());
    }

    #[test]
    fn embedding_lists_exactly_its_origins_and_needs_secure_cookies() {
        let mut c = Config::default();
        assert_eq!(c.embed.frame_ancestors(), "'none'");
        assert_eq!(c.same_site(), SameSite::Lax);
        c.embed.allowed_origins = vec!["https://portal.example".into(), "http://127.0.0.1:3102".into()];
        assert!(c.embed.validate().is_ok());
        assert_eq!(c.embed.frame_ancestors(), "https://portal.example http://127.0.0.1:3102");
        assert!(c.secure_cookies());
        assert_eq!(c.same_site(), SameSite::None);
        for bad in [
            "*",
            "https://*.example",
            "portal.example",
            "https://portal.example/path",
            "https://a.example https://b.example",
            "https://x; script-src *",
            "https://portal.example\thttps:",
            "https://Portal.example",
            "https://portal.example:443",
            "https://portal.example/",
            "https://порт.example",
        ] {
            c.embed.allowed_origins = vec![bad.into()];
            assert!(c.embed.validate().is_err(), "{bad}");
        }
        c.embed.allowed_origins = vec![];
        c.embed.launch_secret = Some(SecretString::from("short"));
        assert!(c.embed.validate().is_err());
        c.embed.launch_secret = Some(SecretString::from("x".repeat(32)));
        assert!(c.validate_embedding().is_ok(), "the sandbox builds launch URLs from the request");
        c.upstream = Some(UpstreamConfig { iam: "https://iam".into(), gsl: "https://gsl".into(), bss: "https://bss".into() });
        assert!(c.validate_embedding().is_err(), "a real deployment needs its public URL");
        c.public_url = Some("http://fleet.example".into());
        assert!(c.validate_embedding().is_err(), "over HTTPS");
        c.public_url = Some("https://fleet.example".into());
        assert!(c.validate_embedding().is_ok());
    }

    #[test]
    #[allow(clippy::result_large_err)] // figment's Jail dictates the closure's error type
    fn the_environment_overrides_nested_keys() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("FLEETDESK_UPSTREAM__IAM", "https://iam.example");
            jail.set_env("FLEETDESK_UPSTREAM__GSL", "https://gsl.example");
            jail.set_env("FLEETDESK_UPSTREAM__BSS", "https://bss.example");
            jail.set_env("FLEETDESK_PUBLIC_URL", "https://fleet.example");
            jail.set_env("FLEETDESK_SESSION__SAME_SITE", "strict");
            let c = Config::load().map_err(|e| *e)?;
            assert!(!c.sandbox_mode());
            assert!(c.secure_cookies());
            assert_eq!(c.session.same_site, SameSite::Strict);
            Ok(())
        });
    }
}
