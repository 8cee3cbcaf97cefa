//! The HTTP transport and the generic call that generated clients delegate to.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument;

use crate::codec::{Decode, Encode};
use crate::error::{Error, excerpt};
use crate::soap::{Body, HeaderSink, SoapVersion, read_envelope, write_envelope};
use crate::xml::{DecodeError, DecodeLimits, XmlWriter};

/// Default time allowed to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time allowed for a whole call (sending, waiting, receiving).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default limit on the size of a response body: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_SIZE: usize = 64 * 1024 * 1024;

/// One operation of a port type, implemented by the generated request type of each operation.
pub trait Operation: Encode {
    /// The operation's name in the WSDL.
    const NAME: &'static str;
    /// The `soapAction` of the operation in its binding.
    const SOAP_ACTION: &'static str;
    /// The prefixed name of the request's body element.
    const REQUEST_TAG: &'static str;
    /// The namespace URI and local name of the response's body element.
    const RESPONSE_ELEMENT: (&'static str, &'static str);
    /// The `(prefix, uri)` pairs the envelope declares for the prefixes the encoders use.
    const NAMESPACES: &'static [(&'static str, &'static str)];
    /// Which of the port type's request headers this operation sends (indices into its header set).
    const REQUEST_HEADERS: &'static [usize];
    /// The decoded response body element.
    type Response: Decode;
    /// The port type's request header set.
    type RequestHeaders: RequestHeaders;
    /// The port type's response header set.
    type ResponseHeaders: ResponseHeaders;
}

/// The SOAP headers a client can send, one optional entry per header element of the port type.
pub trait RequestHeaders {
    /// Writes the entries with the given indices that are set.
    fn encode(&self, w: &mut XmlWriter, which: &[usize]);
}

/// The SOAP headers a response can carry.
pub trait ResponseHeaders: HeaderSink + Default {
    /// The service's own error, reported through headers.
    type ServiceError: fmt::Debug + fmt::Display;
    /// The service error these headers report, if they report one (taking it out).
    fn service_error(&mut self) -> Option<Self::ServiceError>;
}

/// A decoded response: its body element and its header entries.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply<B, H> {
    /// The response body element.
    pub body: B,
    /// The response header entries.
    pub headers: H,
    /// The SOAP version of the response envelope.
    pub version: SoapVersion,
}

/// The error type of an operation.
pub type OperationError<O> = Error<<<O as Operation>::ResponseHeaders as ResponseHeaders>::ServiceError>;

/// Builds the request envelope of `request` with the given headers.
pub fn encode_request<O: Operation>(version: SoapVersion, request: &O, headers: &O::RequestHeaders) -> Vec<u8> {
    let mut w = XmlWriter::with_capacity(1024);
    write_envelope(
        &mut w,
        version,
        O::NAMESPACES,
        |w| headers.encode(w, O::REQUEST_HEADERS),
        |w| request.encode(w, O::REQUEST_TAG),
    );
    w.into_inner()
}

/// Decodes a response envelope for operation `O`: its headers, then a fault, a service error
/// or the response element.
pub fn decode_response<O: Operation>(
    body: &[u8],
    limits: DecodeLimits,
) -> Result<Reply<O::Response, O::ResponseHeaders>, OperationError<O>> {
    let mut headers = O::ResponseHeaders::default();
    let parsed = read_envelope(body, limits, &mut headers, |r, start| {
        let (ns, local) = O::RESPONSE_ELEMENT;
        r.expect(start, ns, local)?;
        O::Response::decode(r, start)
    });
    if let Some(e) = headers.service_error() {
        return Err(Error::Service(Box::new(e)));
    }
    match parsed? {
        (_, Body::Fault(fault)) => Err(Error::Fault(fault)),
        (version, Body::Response(body)) => Ok(Reply { body, headers, version }),
    }
}

/// The HTTP client every generated client wraps: endpoint, SOAP version, limits.
///
/// Cloning is cheap and shares the connection pool.
#[derive(Debug, Clone)]
pub struct SoapClient {
    http: reqwest::Client,
    endpoint: Arc<str>,
    version: Option<SoapVersion>,
    max_response_size: usize,
    limits: DecodeLimits,
}

/// A `reqwest` client with this crate's defaults: rustls with the system's roots (certificates
/// verified), connect timeout [`DEFAULT_CONNECT_TIMEOUT`], total timeout [`DEFAULT_TIMEOUT`],
/// keep-alive connection reuse.
pub fn default_http_client() -> Result<reqwest::Client, reqwest::Error> {
    http_client_builder().build()
}

/// A `reqwest` client builder with this crate's defaults, to adjust before building.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    // reqwest is built without a default crypto provider; ring is ours. Another one may
    // already be installed by the application, which is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
        .timeout(DEFAULT_TIMEOUT)
        .pool_idle_timeout(Duration::from_secs(90))
        .user_agent(concat!("wsdlgen-runtime/", env!("CARGO_PKG_VERSION")))
}

impl SoapClient {
    /// A client for `endpoint` with a default HTTP client ([`default_http_client`]).
    ///
    /// # Panics
    /// If the TLS backend cannot be initialised (no usable root certificate store);
    /// use [`SoapClient::with_http_client`] to handle that case yourself.
    pub fn new(endpoint: impl Into<String>) -> Self {
        let http = default_http_client().expect("cannot initialise the HTTP client's TLS backend");
        Self::with_http_client(http, endpoint)
    }

    /// A client for `endpoint` that sends through the caller's own `reqwest::Client`.
    pub fn with_http_client(http: reqwest::Client, endpoint: impl Into<String>) -> Self {
        Self {
            http,
            endpoint: Arc::from(endpoint.into()),
            version: None,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            limits: DecodeLimits::default(),
        }
    }

    /// The endpoint address.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Sends with this SOAP version instead of the binding's.
    pub fn set_soap_version(&mut self, version: SoapVersion) {
        self.version = Some(version);
    }

    /// The SOAP version override, if set.
    pub fn soap_version(&self) -> Option<SoapVersion> {
        self.version
    }

    /// Limits the size of a response body (checked while it streams in).
    pub fn set_max_response_size(&mut self, bytes: usize) {
        self.max_response_size = bytes;
    }

    /// The response size limit.
    pub fn max_response_size(&self) -> usize {
        self.max_response_size
    }

    /// Sets the limits applied while decoding responses.
    pub fn set_decode_limits(&mut self, limits: DecodeLimits) {
        self.limits = limits;
    }

    /// The decoding limits.
    pub fn decode_limits(&self) -> DecodeLimits {
        self.limits
    }

    /// Calls operation `O`: sends `request` with `headers` using `version` (unless overridden
    /// on this client) and decodes the reply.
    pub async fn call<O: Operation>(
        &self,
        version: SoapVersion,
        request: &O,
        headers: &O::RequestHeaders,
    ) -> Result<Reply<O::Response, O::ResponseHeaders>, OperationError<O>> {
        let span = tracing::debug_span!("soap_call", operation = O::NAME, endpoint = %self.endpoint);
        async move {
            let version = self.version.unwrap_or(version);
            let envelope = encode_request(version, request, headers);
            tracing::trace!(bytes = envelope.len(), "sending request");
            let (status, content_type, body) = self.post(version, O::SOAP_ACTION, envelope).await?;
            tracing::debug!(status, bytes = body.len(), "received response");
            interpret::<O>(status, content_type, &body, self.limits)
        }
        .instrument(span)
        .await
    }

    async fn post<S: fmt::Debug + fmt::Display>(
        &self,
        version: SoapVersion,
        action: &str,
        envelope: Vec<u8>,
    ) -> Result<(u16, Option<String>, Vec<u8>), Error<S>> {
        let mut request =
            self.http.post(&*self.endpoint).header(reqwest::header::CONTENT_TYPE, version.content_type(action));
        if version == SoapVersion::Soap11 {
            request = request.header("SOAPAction", format!("\"{action}\""));
        }
        let mut response = request.body(envelope).send().await.map_err(Error::Transport)?;
        let status = response.status().as_u16();
        let content_type =
            response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let limit = self.max_response_size;
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(Error::TooLarge { limit });
        }
        let mut body = Vec::with_capacity(response.content_length().map_or(8 * 1024, |n| n as usize));
        while let Some(chunk) = response.chunk().await.map_err(Error::Transport)? {
            if body.len() + chunk.len() > limit {
                return Err(Error::TooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, content_type, body))
    }
}

fn is_xml_content_type(content_type: &str) -> bool {
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    mime == "text/xml" || mime == "application/soap+xml" || mime == "application/xml" || mime.ends_with("+xml")
}

/// Turns an HTTP response into the operation's result.
fn interpret<O: Operation>(
    status: u16,
    content_type: Option<String>,
    body: &[u8],
    limits: DecodeLimits,
) -> Result<Reply<O::Response, O::ResponseHeaders>, OperationError<O>> {
    let success = (200..300).contains(&status);
    let looks_xml = content_type.as_deref().is_none_or(is_xml_content_type);
    if !looks_xml {
        return Err(if success {
            Error::ContentType { content_type: content_type.unwrap_or_default(), excerpt: excerpt(body) }
        } else {
            Error::Http { status, content_type, excerpt: excerpt(body) }
        });
    }
    match decode_response::<O>(body, limits) {
        Ok(reply) if success => Ok(reply),
        // A well-formed reply with an error status and no fault is still an HTTP error.
        Ok(_) => Err(Error::Http { status, content_type, excerpt: excerpt(body) }),
        Err(Error::Decode(e)) if !success => Err(http_error_with(status, content_type, body, e)),
        Err(e) => Err(e),
    }
}

fn http_error_with<S: fmt::Debug + fmt::Display>(
    status: u16,
    content_type: Option<String>,
    body: &[u8],
    e: DecodeError,
) -> Error<S> {
    tracing::debug!(error = %e, "error response is not a SOAP envelope");
    Error::Http { status, content_type, excerpt: excerpt(body) }
}
