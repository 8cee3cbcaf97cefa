//! What a handler receives and returns: [`Request`], [`Response`], [`Context`], [`HandlerError`].

use std::fmt;
use std::net::SocketAddr;

use crate::error::NoServiceError;
use crate::soap::{Fault, SoapVersion};

use super::fault::FaultClass;
use super::security::ReceivedUsernameToken;

/// A decoded request: the operation's request value, the port type's request header entries
/// and what the transport says about the call.
#[derive(Debug)]
#[non_exhaustive]
pub struct Request<B, H> {
    /// The request body element, decoded: the same type the generated client sends.
    pub body: B,
    /// The header entries of the port type that the request carried.
    pub headers: H,
    /// The SOAP version, action, HTTP headers and peer of the call.
    pub context: Context,
}

impl<B, H> Request<B, H> {
    /// A request (for calling a handler directly, in a unit test).
    pub fn new(body: B, headers: H, context: Context) -> Self {
        Self { body, headers, context }
    }
}

/// What the transport knows about a call.
#[derive(Debug, Clone)]
pub struct Context {
    pub(crate) version: SoapVersion,
    pub(crate) action: String,
    pub(crate) http_headers: http::HeaderMap,
    pub(crate) peer: Option<SocketAddr>,
    pub(crate) username_token: Option<ReceivedUsernameToken>,
    pub(crate) message_id: Option<String>,
}

impl Context {
    /// A context for a call of `version` with SOAP action `action` and nothing else known
    /// (for calling a handler directly, in a unit test).
    pub fn new(version: SoapVersion, action: impl Into<String>) -> Self {
        Self {
            version,
            action: action.into(),
            http_headers: http::HeaderMap::new(),
            peer: None,
            username_token: None,
            message_id: None,
        }
    }

    /// The SOAP version of the request envelope (the response is written in the same one).
    pub fn soap_version(&self) -> SoapVersion {
        self.version
    }

    /// The SOAP action the request named (the `SOAPAction` HTTP header in SOAP 1.1, the
    /// `action` parameter of the content type in SOAP 1.2), without quotes; empty if none.
    pub fn soap_action(&self) -> &str {
        &self.action
    }

    /// The HTTP request headers.
    pub fn http_headers(&self) -> &http::HeaderMap {
        &self.http_headers
    }

    /// The address of the client, when the transport knows it.
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        self.peer
    }

    /// The WS-Security `UsernameToken` the request carried, if any. It is not verified:
    /// whether to trust it is the application's decision (see [`ReceivedUsernameToken::verify`]).
    pub fn username_token(&self) -> Option<&ReceivedUsernameToken> {
        self.username_token.as_ref()
    }

    /// The request's WS-Addressing `MessageID`, if it had one.
    pub fn message_id(&self) -> Option<&str> {
        self.message_id.as_deref()
    }
}

/// A handler's answer: the response body element and the response header entries to send.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response<B, H> {
    /// The response body element.
    pub body: B,
    /// The response header entries (only those the operation declares are written).
    pub headers: H,
}

impl<B, H: Default> Response<B, H> {
    /// A response with this body and no header entries.
    pub fn new(body: B) -> Self {
        Self { body, headers: H::default() }
    }
}

impl<B, H> Response<B, H> {
    /// Replaces the header entries.
    #[must_use]
    pub fn with_headers(mut self, headers: H) -> Self {
        self.headers = headers;
        self
    }
}

impl<B, H: Default> From<B> for Response<B, H> {
    fn from(body: B) -> Self {
        Self::new(body)
    }
}

/// The faults an operation without `wsdl:fault`s declares: none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoFault {}

impl fmt::Display for NoFault {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

/// How a handler fails, each turned into what a service of its WSDL sends:
///
/// - [`Fault`](Self::Fault): a SOAP fault as given (code, subcodes, reason, actor/role, detail);
/// - [`Declared`](Self::Declared): one of the operation's `wsdl:fault`s, written as the fault's
///   typed detail (`F` is the operation's generated `{Operation}Fault` enum);
/// - [`Service`](Self::Service): the service's own error reported through response headers
///   (for a WSDL generated with a service-error rule, e.g. `Succeeded = false` plus the detail
///   header), the way the generated client reads it back as `Error::Service`.
///
/// ```
/// use wsdlgen_runtime::server::HandlerError;
///
/// let refused: HandlerError = HandlerError::client("the ticket has expired");
/// assert_eq!(refused.to_string(), "s:Client: the ticket has expired");
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum HandlerError<F = NoFault, S = NoServiceError> {
    /// A SOAP fault, written as it is (its version is the request's).
    Fault(Box<Fault>),
    /// One of the operation's declared faults, written as the fault's detail.
    Declared(Box<F>),
    /// A service error, written into the response headers.
    Service(Box<S>),
}

impl<F, S> HandlerError<F, S> {
    /// A fault blaming the request (SOAP 1.1 `Client`, 1.2 `Sender`).
    pub fn client(reason: impl Into<String>) -> Self {
        Self::Fault(Box::new(FaultClass::Sender.fault(SoapVersion::Soap11, reason)))
    }

    /// A fault blaming the service (SOAP 1.1 `Server`, 1.2 `Receiver`).
    pub fn server(reason: impl Into<String>) -> Self {
        Self::Fault(Box::new(FaultClass::Receiver.fault(SoapVersion::Soap11, reason)))
    }

    /// One of the operation's declared faults.
    pub fn declared(fault: F) -> Self {
        Self::Declared(Box::new(fault))
    }

    /// A service error (reported through the response headers).
    pub fn service(error: S) -> Self {
        Self::Service(Box::new(error))
    }

    /// The fault every generated method answers with until it is implemented.
    pub fn not_implemented(operation: &str) -> Self {
        Self::server(format!("operation {operation} is not implemented by this server"))
    }
}

impl<F, S> From<Fault> for HandlerError<F, S> {
    fn from(fault: Fault) -> Self {
        Self::Fault(Box::new(fault))
    }
}

impl<F: fmt::Display, S: fmt::Display> fmt::Display for HandlerError<F, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandlerError::Fault(fault) => fault.fmt(f),
            HandlerError::Declared(fault) => write!(f, "declared fault: {fault}"),
            HandlerError::Service(e) => write!(f, "service error: {e}"),
        }
    }
}

impl<F: fmt::Debug + fmt::Display, S: fmt::Debug + fmt::Display> std::error::Error for HandlerError<F, S> {}
