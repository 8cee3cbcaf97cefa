//! Retrying calls that failed before they reached the service.

use std::time::Duration;

/// Which failed calls a [`SoapClient`](crate::SoapClient) sends again, and how long it waits
/// in between (feature `http`: the waits use tokio's timer). Off unless set with
/// [`SoapClient::set_retry_policy`](crate::SoapClient::set_retry_policy).
///
/// SOAP calls are not idempotent by default: `SaveCredential` or `CreateOrder` sent twice may
/// act twice, and a call whose connection broke after the request went out may well have been
/// carried out. So a call is retried only when
/// - nothing was sent: the connection could not be made (refused, reset during connect, unknown
///   host, TLS handshake failed; a custom transport's [`TransportError::connect`](crate::TransportError::connect)),
///   whatever the operation; or
/// - the operation is declared idempotent here ([`idempotent`](Self::idempotent),
///   [`all_idempotent`](Self::all_idempotent)) and the exchange failed in any other way (the
///   connection was lost, a timeout) or the answer was `502`, `503` or `504` with a body that
///   is not XML (a gateway's or load balancer's page; an envelope is the service's answer).
///
/// Faults, service errors, other HTTP statuses and responses too large are never retried. Each
/// wait doubles, from [`initial_backoff`](Self::initial_backoff) up to
/// [`max_backoff`](Self::max_backoff), less a random part of up to half of it (so that many
/// clients do not come back at the same instant), and all attempts together stay within the
/// client's [`timeout`](crate::SoapClient::set_timeout): no wait is begun that would end after it.
///
/// ```
/// use std::time::Duration;
/// use wsdlgen_runtime::{Operation, RetryPolicy, SoapClient};
///
/// let mut soap = SoapClient::new("https://crm.example.com/Remote/Services87/User.svc");
/// // Up to 3 more attempts when the connection cannot be made; reads may be repeated after a
/// // lost connection too (operation names as in the WSDL, e.g. `GetUser::NAME`).
/// soap.set_retry_policy(
///     RetryPolicy::new(3).initial_backoff(Duration::from_millis(200)).idempotent(["GetUser", "GetCredentialTypes"]),
/// );
/// assert_eq!(soap.retry_policy().map(RetryPolicy::max_retries), Some(3));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    idempotent: Idempotent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Idempotent {
    None,
    All,
    Named(Vec<String>),
}

/// The first wait of a new [`RetryPolicy`].
pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(100);
/// The longest wait of a new [`RetryPolicy`].
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(2);

impl RetryPolicy {
    /// At most `max_retries` more attempts after the first, waiting [`DEFAULT_INITIAL_BACKOFF`]
    /// (100 ms) before the first retry, doubling up to [`DEFAULT_MAX_BACKOFF`] (2 s); no
    /// operation idempotent.
    pub fn new(max_retries: u32) -> Self {
        Self {
            max_retries,
            initial_backoff: DEFAULT_INITIAL_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
            idempotent: Idempotent::None,
        }
    }

    /// The wait before the first retry.
    #[must_use]
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The longest wait between two attempts.
    #[must_use]
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// Declares these operations idempotent (their WSDL names, as `Operation::NAME` gives them):
    /// they are retried after a lost connection, a timeout or a 502/503/504 too. Adds to the
    /// operations declared before.
    #[must_use]
    pub fn idempotent<I, S>(mut self, operations: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut names = match std::mem::replace(&mut self.idempotent, Idempotent::None) {
            Idempotent::Named(names) => names,
            Idempotent::All => {
                self.idempotent = Idempotent::All;
                return self;
            }
            Idempotent::None => Vec::new(),
        };
        names.extend(operations.into_iter().map(Into::into));
        self.idempotent = Idempotent::Named(names);
        self
    }

    /// Declares every operation idempotent (a read-only service).
    #[must_use]
    pub fn all_idempotent(mut self) -> Self {
        self.idempotent = Idempotent::All;
        self
    }

    /// The most attempts after the first.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// Whether the operation named `operation` was declared idempotent.
    pub fn is_idempotent(&self, operation: &str) -> bool {
        match &self.idempotent {
            Idempotent::None => false,
            Idempotent::All => true,
            Idempotent::Named(names) => names.iter().any(|n| n == operation),
        }
    }

    /// The wait before retry number `retry` (1 for the first), before jitter.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let doubling = 1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX);
        self.initial_backoff.checked_mul(doubling).unwrap_or(self.max_backoff).min(self.max_backoff)
    }

    /// The wait before retry number `retry`, less a random part of up to half of it.
    pub(crate) fn backoff_with_jitter(&self, retry: u32) -> Duration {
        let wait = self.backoff(retry);
        let mut bytes = [0u8; 4];
        // Without randomness the full wait is as good.
        if getrandom::getrandom(&mut bytes).is_err() {
            return wait;
        }
        let fraction = f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX);
        wait.mul_f64(1.0 - fraction / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_maximum() {
        let p = RetryPolicy::new(10).initial_backoff(Duration::from_millis(100)).max_backoff(Duration::from_secs(1));
        let waits: Vec<u128> = (1..=6).map(|r| p.backoff(r).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(p.backoff(200), Duration::from_secs(1));
        for r in 1..=6 {
            let jittered = p.backoff_with_jitter(r);
            assert!(jittered <= p.backoff(r) && jittered >= p.backoff(r) / 2, "{jittered:?}");
        }
    }

    #[test]
    fn idempotent_operations_add_up() {
        let p = RetryPolicy::new(1).idempotent(["GetUser"]).idempotent(vec!["GetCredentialTypes".to_owned()]);
        assert!(p.is_idempotent("GetUser") && p.is_idempotent("GetCredentialTypes"));
        assert!(!p.is_idempotent("SaveCredential"));
        assert!(!RetryPolicy::new(1).is_idempotent("GetUser"));
        assert!(RetryPolicy::new(1).all_idempotent().idempotent(["X"]).is_idempotent("SaveCredential"));
    }
}
