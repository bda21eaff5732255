//! `fleetdesk`: serve the console.
#![recursion_limit = "256"]

use anyhow::Context;
use server::config::Config;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::load().context("reading configuration")?;
    server::telemetry::init_logging(&config.log);
    let app = server::startup::Application::build(config).await?;
    tracing::info!(addr = %app.addr(), "fleetdesk is ready");
    app.run_until_stopped().await?;
    Ok(())
}
