//! The transport abstraction: how a [`SoapClient`](crate::SoapClient) hands a request envelope
//! to whatever carries it, and gets the answer back. Nothing here depends on an operation.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use http::HeaderMap;

use crate::soap::SoapVersion;

/// What carries a SOAP request to the service and brings its answer back: HTTP by default
/// ([`HttpTransport`](crate::HttpTransport), feature `http`), or anything of your own: a message
/// queue, another HTTP client, a test double answering from memory.
///
/// A [`SoapClient`](crate::SoapClient) made with
/// [`with_transport`](crate::SoapClient::with_transport) encodes the envelope, applies its
/// HTTP headers, limits and retry policy, then calls [`send`](Self::send) once per attempt and
/// decodes what comes back exactly as it decodes an HTTP response (status, `Content-Type`,
/// faults, service errors). Every generated client works over it through `from_soap_client`.
///
/// A transport that honours the request's [`timeout`](TransportRequest::timeout) and
/// [`max_response_size`](TransportRequest::max_response_size) keeps the client's limits; the
/// client checks the size again on what it gets.
///
/// ```
/// use wsdlgen_runtime::{SoapClient, Transport, TransportError, TransportFuture, TransportRequest, TransportResponse};
///
/// /// Answers every request with the same envelope, and keeps what was sent.
/// #[derive(Debug, Default)]
/// struct Canned {
///     sent: std::sync::Mutex<Vec<String>>,
/// }
///
/// impl Transport for Canned {
///     fn send(&self, request: TransportRequest) -> TransportFuture<'_> {
///         Box::pin(async move {
///             if request.endpoint().starts_with("mq://down") {
///                 // Nothing was sent: a retry policy may try again.
///                 return Err(TransportError::connect("the broker is not reachable"));
///             }
///             self.sent.lock().unwrap().push(String::from_utf8_lossy(request.body()).into_owned());
///             let envelope = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>"#;
///             Ok(TransportResponse::new(200, envelope).with_content_type("text/xml; charset=utf-8"))
///         })
///     }
/// }
///
/// let soap = SoapClient::with_transport(Canned::default(), "mq://soap/User");
/// assert_eq!(soap.endpoint(), "mq://soap/User");
/// // ... then `UserClient::from_soap_client(soap)`: every generated method goes through `Canned`.
/// ```
pub trait Transport: fmt::Debug + Send + Sync + 'static {
    /// Sends one request and returns the answer, whatever its status. An error means no answer
    /// came: say with [`TransportError::connect`] when nothing was sent.
    fn send(&self, request: TransportRequest) -> TransportFuture<'_>;
}

/// The future a [`Transport`] returns.
pub type TransportFuture<'a> = Pin<Box<dyn Future<Output = Result<TransportResponse, TransportError>> + Send + 'a>>;

impl<T: Transport + ?Sized> Transport for Arc<T> {
    fn send(&self, request: TransportRequest) -> TransportFuture<'_> {
        (**self).send(request)
    }
}

/// One SOAP request as a [`Transport`] gets it: the envelope and how to send it.
///
/// The HTTP headers are complete: `Content-Type` (with the action for SOAP 1.2), `SOAPAction`
/// (SOAP 1.1), and every header the client was told to send (Basic authentication, API keys).
/// `Debug` shows the envelope's length, not its content (which may hold passwords and tickets).
pub struct TransportRequest {
    pub(crate) endpoint: Endpoint,
    pub(crate) version: SoapVersion,
    pub(crate) action: Arc<str>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    pub(crate) timeout: Duration,
    pub(crate) max_response_size: usize,
}

impl fmt::Debug for TransportRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportRequest")
            .field("endpoint", &self.endpoint.as_str())
            .field("version", &self.version)
            .field("action", &self.action)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .field("timeout", &self.timeout)
            .field("max_response_size", &self.max_response_size)
            .finish()
    }
}

impl TransportRequest {
    /// The client's endpoint address.
    pub fn endpoint(&self) -> &str {
        self.endpoint.as_str()
    }

    /// The SOAP version of the envelope.
    pub fn version(&self) -> SoapVersion {
        self.version
    }

    /// The SOAP action (possibly empty).
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The `Content-Type` of the envelope: `text/xml; charset=utf-8` (SOAP 1.1) or
    /// `application/soap+xml; charset=utf-8; action="..."` (SOAP 1.2).
    pub fn content_type(&self) -> &str {
        self.headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    /// The HTTP headers to send, `Content-Type` and `SOAPAction` included. Values the client
    /// was given as secrets are marked sensitive.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The envelope.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The envelope, taken out of the request.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// The time left for this attempt: the client's [`timeout`](crate::SoapClient::set_timeout)
    /// less what the call already spent. A transport should give up after it (with
    /// [`TransportError::timeout`]).
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The most response bytes the client accepts: stop reading beyond it and answer
    /// [`TransportError::too_large`].
    pub fn max_response_size(&self) -> usize {
        self.max_response_size
    }
}

/// The answer a [`Transport`] got: status, `Content-Type`, headers and body, decoded by the
/// client as an HTTP response would be (a status of 200 with an envelope is a reply, 500 with
/// one a fault; a transport without statuses answers 200). `Debug` shows the body's length,
/// not its content.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct TransportResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The `Content-Type` of the body, if known. Without one, the body is read as XML.
    pub content_type: Option<String>,
    /// The response's HTTP headers (the HTTP transport keeps them all, `Content-Type` too).
    pub headers: HeaderMap,
    /// The response body.
    pub body: Vec<u8>,
}

impl fmt::Debug for TransportResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportResponse")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl TransportResponse {
    /// A response with this status and body, no `Content-Type` and no headers.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self { status, content_type: None, headers: HeaderMap::new(), body: body.into() }
    }

    /// Sets the `Content-Type`.
    #[must_use]
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

/// Why a [`Transport`] got no answer. What matters to the client is whether the request may
/// have reached the service: only a [`connect`](Self::connect) error says it did not, and only
/// such a request is retried unless the operation is idempotent (see
/// [`RetryPolicy`](crate::RetryPolicy)).
pub struct TransportError {
    kind: TransportErrorKind,
    source: Box<dyn StdError + Send + Sync>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TransportErrorKind {
    Connect,
    Timeout,
    TooLarge,
    Other,
}

impl TransportError {
    /// Nothing was sent: the connection could not be made (refused, unknown host, TLS
    /// handshake failed, broker unreachable). Safe to retry for any operation.
    pub fn connect(error: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        Self { kind: TransportErrorKind::Connect, source: error.into() }
    }

    /// The request's [`timeout`](TransportRequest::timeout) ran out; the request may have
    /// reached the service.
    pub fn timeout(error: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        Self { kind: TransportErrorKind::Timeout, source: error.into() }
    }

    /// The response is larger than [`max_response_size`](TransportRequest::max_response_size)
    /// (reported to the caller as `Error::TooLarge`).
    pub fn too_large() -> Self {
        Self { kind: TransportErrorKind::TooLarge, source: "response body too large".into() }
    }

    /// Any other failure (a connection lost while sending or receiving, a broker error): the
    /// request may have reached the service.
    pub fn other(error: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        Self { kind: TransportErrorKind::Other, source: error.into() }
    }

    /// Whether nothing was sent ([`connect`](Self::connect)).
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }

    /// Whether time ran out ([`timeout`](Self::timeout)).
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }

    /// Whether the response was too large ([`too_large`](Self::too_large)).
    pub fn is_too_large(&self) -> bool {
        self.kind == TransportErrorKind::TooLarge
    }

    /// The underlying error.
    pub fn get_ref(&self) -> &(dyn StdError + Send + Sync + 'static) {
        &*self.source
    }

    /// The underlying error, taken out.
    pub fn into_inner(self) -> Box<dyn StdError + Send + Sync> {
        self.source
    }

    /// The HTTP transport's error: kept as it is, so that `Error::Transport` carries it.
    #[cfg(feature = "http")]
    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        let kind = if e.is_connect() {
            TransportErrorKind::Connect
        } else if e.is_timeout() {
            TransportErrorKind::Timeout
        } else {
            TransportErrorKind::Other
        };
        Self { kind, source: Box::new(e) }
    }

    /// The HTTP transport's error inside, if this is one.
    #[cfg(feature = "http")]
    pub(crate) fn into_reqwest(self) -> Result<reqwest::Error, Self> {
        match self.source.downcast::<reqwest::Error>() {
            Ok(e) => Ok(*e),
            Err(source) => Err(Self { kind: self.kind, source }),
        }
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError").field("kind", &self.kind).field("source", &self.source).finish()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.source, f)
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

/// An endpoint address, parsed once as a URL (with the HTTP transport) rather than on every call.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    text: Arc<str>,
    /// `None` when it does not parse, which each call then reports as reqwest does.
    #[cfg(feature = "http")]
    url: Option<Arc<reqwest::Url>>,
}

impl Endpoint {
    pub(crate) fn new(endpoint: String) -> Self {
        Self {
            #[cfg(feature = "http")]
            url: reqwest::Url::parse(&endpoint).ok().map(Arc::new),
            text: Arc::from(endpoint),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    #[cfg(feature = "http")]
    pub(crate) fn url(&self) -> Option<&reqwest::Url> {
        self.url.as_deref()
    }
}
