//! Hooks: code of your own that a [`SoapClient`](crate::SoapClient) runs around each call, as
//! zeep's plugins do: add or change an HTTP header, sign or rewrite the envelope, look at the
//! answer before it is decoded, record metrics. See [`Hook`].

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use http::HeaderMap;

use crate::soap::SoapVersion;

/// Why a hook stopped a call; the caller gets it as [`Error::Hook`](crate::Error::Hook).
pub type HookError = Box<dyn StdError + Send + Sync>;

/// Code run around each call of a [`SoapClient`](crate::SoapClient) and its clones (added with
/// [`add_hook`](crate::SoapClient::add_hook)), in the order the hooks were added.
///
/// [`before_send`](Self::before_send) sees the request as it will go out, once per call (a
/// retried call is sent again as it was): the envelope, encoded and complete (WS-Security and
/// WS-Addressing headers included), and every HTTP header (`Content-Type`, `SOAPAction`, the
/// client's own). [`after_receive`](Self::after_receive) sees the answer the call got, before it
/// is decoded, whatever its status (a fault's too), and may change it. An error from either ends
/// the call with [`Error::Hook`](crate::Error::Hook); nothing is sent after a `before_send` error.
///
/// Hooks run on the task making the call, so they should not block; for work that must wait
/// (a signing service over the network), wrap the [`Transport`](crate::Transport) instead.
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use wsdlgen_runtime::{Hook, HookError, IncomingResponse, OutgoingRequest, SoapClient};
///
/// /// Adds a correlation id to every request and counts the answers by status.
/// #[derive(Debug, Default)]
/// struct Tagging {
///     ok: AtomicU64,
///     failed: AtomicU64,
/// }
///
/// impl Hook for Tagging {
///     fn before_send(&self, request: &mut OutgoingRequest<'_>) -> Result<(), HookError> {
///         let id = format!("{}-{}", request.operation, request.envelope.len());
///         request.headers.insert("x-correlation-id", id.parse()?);
///         Ok(())
///     }
///
///     fn after_receive(&self, response: &mut IncomingResponse<'_>) -> Result<(), HookError> {
///         let counter = if response.status == 200 { &self.ok } else { &self.failed };
///         counter.fetch_add(1, Ordering::Relaxed);
///         Ok(())
///     }
/// }
///
/// let mut soap = SoapClient::new("https://crm.example.com/Remote/Services87/User.svc");
/// soap.add_hook(Tagging::default());
/// ```
pub trait Hook: fmt::Debug + Send + Sync + 'static {
    /// Runs before the request is sent; may change its envelope and HTTP headers.
    fn before_send(&self, request: &mut OutgoingRequest<'_>) -> Result<(), HookError> {
        let _ = request;
        Ok(())
    }

    /// Runs when the answer has been received, before it is decoded; may change its body and
    /// HTTP headers.
    fn after_receive(&self, response: &mut IncomingResponse<'_>) -> Result<(), HookError> {
        let _ = response;
        Ok(())
    }
}

/// A request as [`Hook::before_send`] sees it.
#[non_exhaustive]
pub struct OutgoingRequest<'a> {
    /// The operation's name in the WSDL.
    pub operation: &'static str,
    /// The SOAP action the request is sent with.
    pub action: &'a str,
    /// The endpoint address.
    pub endpoint: &'a str,
    /// The SOAP version of the envelope.
    pub version: SoapVersion,
    /// The HTTP headers (values the client holds as secrets are marked sensitive).
    pub headers: &'a mut HeaderMap,
    /// The envelope, as it will be sent.
    pub envelope: &'a mut Vec<u8>,
}

impl fmt::Debug for OutgoingRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutgoingRequest")
            .field("operation", &self.operation)
            .field("action", &self.action)
            .field("endpoint", &self.endpoint)
            .field("version", &self.version)
            .field("headers", &self.headers)
            .field("envelope_len", &self.envelope.len())
            .finish()
    }
}

/// An answer as [`Hook::after_receive`] sees it.
#[non_exhaustive]
pub struct IncomingResponse<'a> {
    /// The operation's name in the WSDL.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// The response's HTTP headers.
    pub headers: &'a mut HeaderMap,
    /// The body, as received.
    pub body: &'a mut Vec<u8>,
    /// The time from the start of the exchange (all attempts, waits included) to now.
    pub elapsed: Duration,
}

impl fmt::Debug for IncomingResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IncomingResponse")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .field("elapsed", &self.elapsed)
            .finish()
    }
}
