//! `hwsandbox`: run the local Huawei Cloud, or print its seeded credentials.

use std::io::Write;
use std::net::SocketAddr;

use clap::Parser;
use sandbox::identity::Account;
use sandbox::{SandboxConfig, Settings};

#[derive(Debug, Parser)]
#[command(
    name = "hwsandbox",
    about = "A local Huawei Cloud (IAM + Global SIM Link) for development and tests"
)]
struct Cli {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:18080", env = "HWSANDBOX_ADDR")]
    addr: SocketAddr,
    /// Seed of all data and credentials.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Number of SIM cards.
    #[arg(long, default_value_t = 2_000)]
    sims: usize,
    /// Requests per second per (account, operation); 0 turns flow control off.
    #[arg(long, default_value_t = 10)]
    rate_limit: u32,
    /// Lifetime of issued IAM tokens, in seconds.
    #[arg(long, default_value_t = 86_400)]
    token_ttl_secs: u64,
    /// Latency added to every request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Percentage of requests answered with HTTP 500.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=100))]
    fail_percent: u8,
    /// Percentage of requests answered with HTTP 429.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=100))]
    throttle_percent: u8,
    /// Secret for the /__sandbox control endpoints (disabled without it).
    #[arg(long, env = "HWSANDBOX_CONTROL_TOKEN", hide_env_values = true)]
    control_token: Option<String>,
    /// Print the seeded account, users, passwords and keys as JSON, and exit.
    #[arg(long)]
    print_credentials: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if cli.print_credentials {
        println!(
            "{}",
            serde_json::to_string_pretty(&Account::seeded(cli.seed))?
        );
        return Ok(());
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = SandboxConfig {
        seed: cli.seed,
        sims: cli.sims,
        settings: Settings {
            rate_limit: cli.rate_limit,
            token_ttl_secs: cli.token_ttl_secs,
            latency_ms: cli.latency_ms,
            fail_percent: cli.fail_percent,
            throttle_percent: cli.throttle_percent,
        },
        control_token: cli.control_token,
    };
    let running = sandbox::spawn(config, cli.addr).await?;
    println!("hwsandbox listening on {}", running.base_url());
    std::io::stdout().flush()?;
    tokio::signal::ctrl_c().await?;
    Ok(())
}
