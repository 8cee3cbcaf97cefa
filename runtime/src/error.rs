//! The error of a SOAP call.

use std::fmt;

use crate::soap::Fault;
use crate::xml::DecodeError;

/// Why a SOAP call failed.
///
/// `S` is the service's own error, for services that report failures in response headers
/// rather than faults (a generator option decides the rule; `NoServiceError` when there is none).
/// Each generated module names its instance `Error` (`pub type Error = Error<SoExceptionInfo>`).
///
/// New cases may be added: keep a catch-all arm.
///
/// ```
/// use wsdlgen_runtime::{DecodeErrorKind, Error, Fault, SoapVersion};
///
/// /// What a generated module's service error might be (`SoExceptionInfo`, say).
/// #[derive(Debug)]
/// struct ServiceFailure { message: String }
/// impl std::fmt::Display for ServiceFailure {
///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
///         f.write_str(&self.message)
///     }
/// }
///
/// fn explain(e: &Error<ServiceFailure>) -> String {
///     match e {
///         // A SOAP fault: code, reason, and a detail to decode (see `Fault::decode_detail`).
///         Error::Fault(fault) => format!("fault {}: {}", fault.code, fault.reason),
///         // The service said no in its own way (response headers), fully decoded.
///         Error::Service(failure) => format!("the service refused: {}", failure.message),
///         // The answer was not what the WSDL says; the path names the element.
///         Error::Decode(d) if matches!(d.kind, DecodeErrorKind::Limit { .. }) => format!("too big: {d}"),
///         Error::Decode(d) => format!("bad response at {}: {}", d.path, d.kind),
///         // An HTTP error status without a fault (a proxy's 502, an HTML login page).
///         Error::Http { status, .. } => format!("HTTP {status}"),
///         e if e.is_timeout() => "timed out".to_owned(),
///         // Connection and TLS failures, a too large body, ... and cases added later.
///         other => other.to_string(),
///     }
/// }
///
/// let fault = Error::Fault(Box::new(Fault::new(SoapVersion::Soap11, "s:Client", "no such user")));
/// assert_eq!(explain(&fault), "fault s:Client: no such user");
/// let refused = Error::Service(Box::new(ServiceFailure { message: "ticket expired".into() }));
/// assert_eq!(explain(&refused), "the service refused: ticket expired");
/// assert_eq!(refused.service_error().map(|s| s.message.as_str()), Some("ticket expired"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<S: fmt::Debug + fmt::Display = NoServiceError> {
    /// The request could not be sent or the response not received over HTTP (connection, TLS,
    /// timeout; feature `http`).
    #[cfg(feature = "http")]
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// A [`Transport`](crate::Transport) of your own got no answer (nothing sent, a timeout, a
    /// connection lost), or a blocking call was made from inside an async runtime.
    #[error("transport error: {0}")]
    Exchange(#[source] crate::TransportError),
    /// The server answered with an HTTP error status and no SOAP fault.
    #[error("HTTP status {status}{}: {excerpt}", content_type.as_deref().map(|c| format!(" ({c})")).unwrap_or_default())]
    Http {
        /// The status code.
        status: u16,
        /// The response's `Content-Type`, if any.
        content_type: Option<String>,
        /// The start of the response body, as text (at most 512 characters).
        excerpt: String,
    },
    /// No connection slot became free within the call's timeout (all
    /// [`max_concurrent_requests`](crate::SoapClient::set_max_concurrent_requests) slots stayed
    /// busy). A timeout while connecting, sending or receiving is a [`Transport`](Self::Transport)
    /// error instead; [`is_timeout`](Self::is_timeout) covers both.
    #[error("no connection slot became free within the timeout of {timeout:?}")]
    Timeout {
        /// The configured total timeout of a call.
        timeout: std::time::Duration,
    },
    /// The response is larger than the configured limit.
    #[error("response body exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The configured limit, in bytes.
        limit: usize,
    },
    /// The server answered with a SOAP fault.
    #[error("SOAP fault: {0}")]
    Fault(Box<Fault>),
    /// The service reported a failure in its response headers.
    #[error("service error: {0}")]
    Service(Box<S>),
    /// The response could not be decoded.
    #[error("cannot decode the response: {0}")]
    Decode(#[from] DecodeError),
    /// The request cannot be sent as XML (nothing was sent).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// A [`Hook`](crate::Hook) of the client ended the call (before sending: nothing was sent).
    #[error("a hook refused the call: {0}")]
    Hook(#[source] crate::HookError),
    /// The response is not XML (e.g. an HTML error page with status 200).
    #[error("unexpected response content type {content_type:?}: {excerpt}")]
    ContentType {
        /// The response's `Content-Type`.
        content_type: String,
        /// The start of the response body, as text.
        excerpt: String,
    },
}

impl<S: fmt::Debug + fmt::Display> Error<S> {
    /// The SOAP fault, if this is one.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            Error::Fault(f) => Some(f),
            _ => None,
        }
    }

    /// Whether the call ran out of time (waiting for a slot, connecting, or reading).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            #[cfg(feature = "http")]
            Error::Transport(e) => e.is_timeout(),
            Error::Exchange(e) => e.is_timeout(),
            _ => false,
        }
    }

    /// The service error, if this is one.
    pub fn service_error(&self) -> Option<&S> {
        match self {
            Error::Service(s) => Some(s),
            _ => None,
        }
    }
}

/// The service error of services that have none: no value of it exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoServiceError {}

impl fmt::Display for NoServiceError {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

/// The start of a body, as text, for error messages.
pub(crate) fn excerpt(body: &[u8]) -> String {
    const MAX: usize = 512;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX * 4)]);
    let mut out: String = text.chars().take(MAX).collect();
    if text.chars().count() > MAX || body.len() > MAX * 4 {
        out.push('…');
    }
    out
}
