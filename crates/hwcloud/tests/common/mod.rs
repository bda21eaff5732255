//! TestApp: a real sandbox on port 0 and clients pointed at it.

#![allow(dead_code)] // each test binary uses a different part of the helper

use std::collections::BTreeMap;
use std::net::SocketAddr;

use hwcloud::retry::RetryPolicy;
use hwcloud::{AkSk, Client, ClientConfig, Endpoints, Identity};
use sandbox::identity::User;
use sandbox::{RunningSandbox, SandboxConfig, Settings};
use serde_json::Value;

pub struct TestApp {
    pub sandbox: RunningSandbox,
    pub client: Client,
    http: reqwest::Client,
}

impl TestApp {
    /// A sandbox with `sims` cards and flow control at `rate_limit`/s, and a client without its own limiter.
    pub async fn spawn(sims: usize, rate_limit: u32) -> Self {
        let config = SandboxConfig {
            seed: 7,
            sims,
            settings: Settings {
                rate_limit,
                ..Settings::default()
            },
            control_token: None,
        };
        let addr: SocketAddr = "127.0.0.1:0".parse().expect("addr");
        let sandbox = sandbox::spawn(config, addr).await.expect("sandbox starts");
        let client = Self::client_for(&sandbox, 0);
        Self {
            sandbox,
            client,
            http: reqwest::Client::new(),
        }
    }

    /// A client for this sandbox with client-side limiting at `rate`/s (0 = off) and fast retries.
    pub fn client_for(sandbox: &RunningSandbox, rate: u32) -> Client {
        Client::new(ClientConfig {
            endpoints: Endpoints::single(&sandbox.base_url()),
            rate_limit_per_second: rate,
            rate_limit_burst: rate.max(1),
            retry: RetryPolicy {
                max_retries: 6,
                base_delay: std::time::Duration::from_millis(50),
                max_delay: std::time::Duration::from_millis(800),
            },
            ..ClientConfig::default()
        })
    }

    pub fn user(&self, name: &str) -> &User {
        let account = &self.sandbox.state.account;
        &account.users[account.by_name(name).expect("seeded user")]
    }

    /// AK/SK identity of a seeded user, with ids resolved through IAM as the SDK does.
    pub async fn aksk(&self, name: &str) -> Identity {
        let u = self.user(name);
        self.client
            .resolve_aksk(AkSk::new(u.ak.clone(), u.sk.clone()))
            .await
            .expect("ids resolve")
    }

    /// Token identity of a seeded user (password sign-in).
    pub async fn login(&self, name: &str) -> hwcloud::iam::Login {
        let u = self.user(name);
        let account = self.sandbox.state.account.account_name.clone();
        self.client
            .login_with_password(
                &account,
                &u.name,
                &secrecy::SecretString::from(u.password.clone()),
            )
            .await
            .expect("login")
    }

    pub fn account_name(&self) -> String {
        self.sandbox.state.account.account_name.clone()
    }

    /// Changes sandbox settings through its control endpoint.
    pub async fn settings(&self, patch: Value) {
        let status = self
            .http
            .post(format!("{}/__sandbox/settings", self.sandbox.base_url()))
            .header(
                sandbox::control::CONTROL_HEADER,
                &self.sandbox.control_token,
            )
            .json(&patch)
            .send()
            .await
            .expect("control call")
            .status();
        assert!(status.is_success(), "settings change refused: {status}");
    }

    /// The sandbox's counters, read through its control endpoint.
    pub async fn counters(&self) -> Counters {
        self.http
            .get(format!("{}/__sandbox/counters", self.sandbox.base_url()))
            .header(
                sandbox::control::CONTROL_HEADER,
                &self.sandbox.control_token,
            )
            .send()
            .await
            .expect("control call")
            .json()
            .await
            .expect("counters json")
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct Counters {
    pub received: BTreeMap<String, u64>,
    pub handled: BTreeMap<String, u64>,
    pub throttled: BTreeMap<String, u64>,
    pub faulted: BTreeMap<String, u64>,
    pub writes: BTreeMap<String, BTreeMap<String, u64>>,
}

impl Counters {
    pub fn get(map: &BTreeMap<String, u64>, op: &str) -> u64 {
        map.get(op).copied().unwrap_or(0)
    }
}

/// The current bill cycle, UTC+8.
pub fn cycle_now() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m")
        .to_string()
}
