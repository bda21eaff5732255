//! Waiting in the browser between polls (progress bars of jobs and exports).

/// Sleeps `ms` milliseconds in the browser; on the server (which never polls) returns at once.
pub async fn sleep_ms(ms: u64) {
    #[cfg(feature = "hydrate")]
    {
        let (tx, rx) = futures::channel::oneshot::channel::<()>();
        leptos::prelude::set_timeout(move || {
            let _ = tx.send(());
        }, std::time::Duration::from_millis(ms));
        let _ = rx.await;
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ms;
}
