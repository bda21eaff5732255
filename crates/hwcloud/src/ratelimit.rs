//! Client-side flow control: a token bucket per (identity, operation), as Huawei limits calls.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A GCRA token bucket keyed by (identity, operation); waits instead of failing.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Option<Duration>,
    burst: u32,
    // Theoretical arrival time per key: the instant the bucket is next empty.
    state: Mutex<HashMap<(String, &'static str), Instant>>,
}

impl RateLimiter {
    /// `per_second` calls per key with bursts of `burst`; `per_second == 0` turns limiting off.
    pub fn new(per_second: u32, burst: u32) -> Self {
        let interval = (per_second > 0).then(|| Duration::from_secs(1) / per_second);
        Self { interval, burst: burst.max(1), state: Mutex::new(HashMap::new()) }
    }

    /// How long the caller must wait before the call for `key`/`operation` at `now` (and books it).
    pub fn reserve(&self, key: &str, operation: &'static str, now: Instant) -> Duration {
        let Some(interval) = self.interval else { return Duration::ZERO };
        let tolerance = interval * (self.burst - 1);
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let tat = state.entry((key.to_owned(), operation)).or_insert(now);
        let start = (*tat).max(now);
        let allowed_at = start.checked_sub(tolerance).unwrap_or(now);
        *tat = start + interval;
        allowed_at.saturating_duration_since(now)
    }

    /// Waits until a call for `key`/`operation` may be sent.
    pub async fn acquire(&self, key: &str, operation: &'static str) {
        let wait = self.reserve(key, operation, Instant::now());
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_calls_are_spaced_by_the_interval() {
        let rl = RateLimiter::new(10, 10);
        let t0 = Instant::now();
        let waits: Vec<Duration> = (0..12).map(|_| rl.reserve("acct", "list_sim_cards", t0)).collect();
        assert!(waits[..10].iter().all(Duration::is_zero), "{waits:?}");
        assert_eq!(waits[10], Duration::from_millis(100));
        assert_eq!(waits[11], Duration::from_millis(200));
    }

    #[test]
    fn keys_and_operations_have_separate_buckets() {
        let rl = RateLimiter::new(1, 1);
        let t0 = Instant::now();
        assert!(rl.reserve("a", "op1", t0).is_zero());
        assert!(rl.reserve("a", "op2", t0).is_zero());
        assert!(rl.reserve("b", "op1", t0).is_zero());
        assert_eq!(rl.reserve("a", "op1", t0), Duration::from_secs(1));
    }

    #[test]
    fn the_bucket_refills_over_time() {
        let rl = RateLimiter::new(10, 1);
        let t0 = Instant::now();
        assert!(rl.reserve("a", "op", t0).is_zero());
        assert!(!rl.reserve("a", "op", t0).is_zero());
        assert!(rl.reserve("a", "op", t0 + Duration::from_secs(1)).is_zero());
    }

    #[test]
    fn zero_turns_limiting_off() {
        let rl = RateLimiter::new(0, 1);
        let t0 = Instant::now();
        assert!((0..1000).all(|_| rl.reserve("a", "op", t0).is_zero()));
    }
}
