//! When to try a call again: a pure decision, so it can be tested without a network.

use std::time::Duration;

/// Retry settings for reads; writes are never retried automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts after the first one.
    pub max_retries: u32,
    /// Delay before the first retry (doubled each time).
    pub base_delay: Duration,
    /// Upper bound of any single delay.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { max_retries: 4, base_delay: Duration::from_millis(100), max_delay: Duration::from_secs(5) }
    }
}

/// What happened on one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// An HTTP answer with this status (and `Retry-After`, if sent).
    Status(u16, Option<Duration>),
    /// No answer within the timeout.
    Timeout,
    /// Could not connect or the connection broke.
    Transport,
}

/// The decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Wait this long, then send again.
    RetryAfter(Duration),
    /// Return the outcome to the caller.
    GiveUp,
}

/// Decides whether attempt number `attempt` (0 = the first) should be followed by another.
///
/// Only reads are retried, on 429, 5xx, timeouts and transport errors, with exponential backoff
/// and "equal jitter": half the backoff is fixed, the other half scaled by `jitter_permille` (0..=1000).
/// A `Retry-After` from the server is respected (never waiting less), capped at `max_delay`.
pub fn decide(
    policy: &RetryPolicy,
    is_read: bool,
    attempt: u32,
    outcome: AttemptOutcome,
    jitter_permille: u32,
) -> RetryDecision {
    if !is_read || attempt >= policy.max_retries {
        return RetryDecision::GiveUp;
    }
    let retry_after = match outcome {
        AttemptOutcome::Status(429, retry_after) => retry_after,
        AttemptOutcome::Status(s, _) if (500..=599).contains(&s) => None,
        AttemptOutcome::Status(_, _) => return RetryDecision::GiveUp,
        AttemptOutcome::Timeout | AttemptOutcome::Transport => None,
    };
    let exp = policy.base_delay.saturating_mul(1u32 << attempt.min(20)).min(policy.max_delay);
    let half = exp / 2;
    let jitter = half * jitter_permille.min(1000) / 1000;
    let backoff = half + jitter;
    let delay = retry_after.map_or(backoff, |ra| ra.max(backoff)).min(policy.max_delay);
    RetryDecision::RetryAfter(delay)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: RetryPolicy =
        RetryPolicy { max_retries: 3, base_delay: Duration::from_millis(100), max_delay: Duration::from_secs(1) };

    #[test]
    fn writes_are_never_retried() {
        for outcome in [AttemptOutcome::Status(429, None), AttemptOutcome::Status(503, None), AttemptOutcome::Timeout] {
            assert_eq!(decide(&P, false, 0, outcome, 500), RetryDecision::GiveUp);
        }
    }

    #[test]
    fn reads_retry_on_429_5xx_timeout_and_transport() {
        for outcome in [
            AttemptOutcome::Status(429, None),
            AttemptOutcome::Status(500, None),
            AttemptOutcome::Status(503, None),
            AttemptOutcome::Timeout,
            AttemptOutcome::Transport,
        ] {
            assert!(matches!(decide(&P, true, 0, outcome, 0), RetryDecision::RetryAfter(_)), "{outcome:?}");
        }
    }

    #[test]
    fn client_errors_are_final() {
        for s in [400, 401, 403, 404, 409] {
            assert_eq!(decide(&P, true, 0, AttemptOutcome::Status(s, None), 0), RetryDecision::GiveUp);
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let d = |attempt, j| decide(&P, true, attempt, AttemptOutcome::Timeout, j);
        assert_eq!(d(0, 0), RetryDecision::RetryAfter(Duration::from_millis(50)));
        assert_eq!(d(0, 1000), RetryDecision::RetryAfter(Duration::from_millis(100)));
        assert_eq!(d(1, 0), RetryDecision::RetryAfter(Duration::from_millis(100)));
        assert_eq!(d(2, 1000), RetryDecision::RetryAfter(Duration::from_millis(400)));
        let capped = RetryPolicy { max_retries: 30, ..P };
        assert_eq!(
            decide(&capped, true, 25, AttemptOutcome::Timeout, 1000),
            RetryDecision::RetryAfter(Duration::from_secs(1))
        );
    }

    #[test]
    fn gives_up_after_max_retries() {
        assert_eq!(decide(&P, true, 3, AttemptOutcome::Status(503, None), 0), RetryDecision::GiveUp);
    }

    #[test]
    fn retry_after_is_respected_but_capped() {
        let ra = |s| AttemptOutcome::Status(429, Some(Duration::from_millis(s)));
        assert_eq!(decide(&P, true, 0, ra(700), 0), RetryDecision::RetryAfter(Duration::from_millis(700)));
        assert_eq!(decide(&P, true, 0, ra(9000), 0), RetryDecision::RetryAfter(Duration::from_secs(1)));
    }
}
