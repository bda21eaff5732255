//! The background worker: claims bulk jobs through their database lease and runs them, several at
//! once, until the server shuts down; then lets the calls in flight finish and gives leases back.

use std::time::Duration;

use console::fleet::job_run::Runner;
use console::fleet::jobs;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// How often an idle worker looks for work.
const POLL: Duration = Duration::from_millis(250);

/// Runs jobs until `shutdown` turns true; returns once every job it held has stopped.
pub async fn run(runner: Runner, max_jobs: usize, mut shutdown: watch::Receiver<bool>) {
    let mut active: JoinSet<()> = JoinSet::new();
    loop {
        if *shutdown.borrow() {
            break;
        }
        while active.len() < max_jobs {
            let claimed = jobs::claim_next(&runner.db, &runner.owner, lease_ms(&runner)).await;
            match claimed {
                Ok(Some(job)) => {
                    let (runner, stop) = (runner.clone(), shutdown.clone());
                    tracing::info!(job = job.id, state = ?job.state, "running a bulk job");
                    active.spawn(async move {
                        let id = job.id;
                        if let Err(e) = runner.run(job, stop).await {
                            tracing::error!(job = id, error = %e, "a bulk job stopped on an error");
                        }
                    });
                }
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "looking for bulk jobs failed");
                    break;
                }
            }
        }
        tokio::select! {
            () = tokio::time::sleep(POLL) => {}
            _ = shutdown.changed() => {}
            Some(_) = active.join_next(), if !active.is_empty() => {}
        }
    }
    while active.join_next().await.is_some() {}
}

fn lease_ms(runner: &Runner) -> i64 {
    i64::try_from(runner.lease.as_millis()).unwrap_or(i64::MAX)
}
