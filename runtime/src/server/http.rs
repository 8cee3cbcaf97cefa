//! The HTTP side of a server: [`SoapService`] (a `tower::Service` for any path of any tower or
//! hyper server), [`SoapRouter`] (several services under their paths), and [`serve`].

use std::collections::HashMap;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderValue, Method, StatusCode, header};
use http_body_util::{BodyExt, Full, Limited};
use tracing::Instrument;

use crate::soap::SoapVersion;
use crate::xml::{DecodeError, DecodeErrorKind, DecodeLimits, XmlReader};

use super::dispatch::{BoxFuture, Call, Dispatch, Reply};
use super::fault::FaultClass;
use super::wsdl::WsdlDocuments;

/// Default limit on the size of a request body: 4 MiB (WCF's `maxReceivedMessageSize` is 64 KiB;
/// tonic's message limit is 4 MB).
pub const DEFAULT_MAX_REQUEST_SIZE: usize = 4 * 1024 * 1024;
/// Default time allowed for handling one request (reading its body, the handler, the reply).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The body of every response.
pub type ResponseBody = Full<Bytes>;

/// A SOAP endpoint for one generated server (one port type): a `tower::Service` of HTTP
/// requests, cheap to clone, to mount at any path (`axum::Router::route_service`, hyper) or to
/// run with [`serve`].
///
/// It answers `POST` requests with a SOAP 1.1 (`text/xml`) or 1.2 (`application/soap+xml`)
/// envelope, and `GET ?wsdl` with the WSDL given to [`with_wsdl`](Self::with_wsdl).
pub struct SoapService<D> {
    inner: Arc<Inner<D>>,
}

struct Inner<D> {
    dispatch: D,
    index: OperationIndex,
    max_request_size: usize,
    limits: DecodeLimits,
    timeout: Duration,
    wsdl: Option<WsdlDocuments>,
}

impl<D> Clone for SoapService<D> {
    fn clone(&self) -> Self {
        Self { inner: Arc::clone(&self.inner) }
    }
}

impl<D> fmt::Debug for SoapService<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SoapService")
            .field("max_request_size", &self.inner.max_request_size)
            .field("limits", &self.inner.limits)
            .field("timeout", &self.inner.timeout)
            .field("serves_wsdl", &self.inner.wsdl.is_some())
            .finish_non_exhaustive()
    }
}

impl<D: Dispatch> SoapService<D> {
    /// A service answering with `dispatch` (a generated `{PortType}Server`), with the default
    /// limits: requests of at most [`DEFAULT_MAX_REQUEST_SIZE`], decoded with
    /// [`DecodeLimits::default`], handled within [`DEFAULT_REQUEST_TIMEOUT`].
    pub fn new(dispatch: D) -> Self {
        Self {
            inner: Arc::new(Inner {
                index: OperationIndex::new(dispatch.operations()),
                dispatch,
                max_request_size: DEFAULT_MAX_REQUEST_SIZE,
                limits: DecodeLimits::default(),
                timeout: DEFAULT_REQUEST_TIMEOUT,
                wsdl: None,
            }),
        }
    }

    fn inner_mut(&mut self) -> &mut Inner<D> {
        Arc::get_mut(&mut self.inner).expect("a SoapService is configured before it is cloned")
    }

    /// Refuses request bodies larger than `bytes` (413), counted while they are read.
    ///
    /// # Panics
    /// If the service has been cloned already (configure it first).
    #[must_use]
    pub fn max_request_size(mut self, bytes: usize) -> Self {
        self.inner_mut().max_request_size = bytes;
        self
    }

    /// The limits requests are decoded with (depth, text length, list items).
    ///
    /// # Panics
    /// If the service has been cloned already (configure it first).
    #[must_use]
    pub fn decode_limits(mut self, limits: DecodeLimits) -> Self {
        self.inner_mut().limits = limits;
        self
    }

    /// The time allowed for one request; a handler still running after it is answered with a
    /// `Server`/`Receiver` fault.
    ///
    /// # Panics
    /// If the service has been cloned already (configure it first).
    #[must_use]
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.inner_mut().timeout = timeout;
        self
    }

    /// Serves `wsdl` (the WSDL the server was generated from) at `GET ?wsdl` and `?singleWsdl`,
    /// with every `soap:address` rewritten to the address the request came to, as WCF and CXF
    /// do; `documents` are the files it imports, as `(location as written in the importing
    /// document, text)`, served at `?xsd=N` with the imports pointing there.
    ///
    /// # Panics
    /// If the service has been cloned already (configure it first).
    #[must_use]
    pub fn with_wsdl(mut self, wsdl: impl Into<String>, documents: Vec<(String, String)>) -> Self {
        self.inner_mut().wsdl = Some(WsdlDocuments::new(wsdl.into(), documents));
        self
    }

    /// Answers one HTTP request whose body has been read (or refused).
    async fn answer(
        &self,
        parts: http::request::Parts,
        body: Result<Bytes, StatusCode>,
        peer: Option<SocketAddr>,
    ) -> http::Response<ResponseBody> {
        if parts.method == Method::GET {
            return self.get(&parts);
        }
        if parts.method != Method::POST {
            let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "SOAP requests are POSTed\n");
            response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
            return response;
        }
        let (version, action, charset) = match soap_content_type(&parts.headers) {
            Ok(found) => found,
            Err(message) => return plain(StatusCode::UNSUPPORTED_MEDIA_TYPE, &message),
        };
        let body = match body {
            Ok(body) => body,
            Err(status) => return plain(status, "the request body is too large\n"),
        };
        // A request in UTF-16, ISO-8859-1 or Windows-1252 (a WCF client with a UTF-16 text
        // encoder) is read in UTF-8 from here on; the reply is UTF-8.
        let body = match crate::xml::to_utf8(&body, charset.as_deref()) {
            Ok(std::borrow::Cow::Borrowed(_)) => body,
            Ok(std::borrow::Cow::Owned(utf8)) => Bytes::from(utf8),
            Err(kind) => {
                let e = crate::xml::DecodeError { path: String::new(), offset: 0, kind, excerpt: None };
                return soap(Reply::bad_request(version, &e));
            }
        };
        let index = match self.inner.index.select(&body, version, &action, self.inner.limits) {
            Ok(index) => index,
            Err(reply) => return soap(reply),
        };
        let operation = self.inner.dispatch.operations()[index].name;
        let call = Call { body, version, action, http_headers: parts.headers, peer, limits: self.inner.limits };
        let span = tracing::info_span!("soap_request", operation, status = tracing::field::Empty);
        let start = Instant::now();
        let reply = match tokio::time::timeout(self.inner.timeout, self.inner.dispatch.call(index, call))
            .instrument(span.clone())
            .await
        {
            Ok(reply) => reply,
            Err(_) => {
                let reason = format!("operation {operation} did not finish in time");
                Reply::fault(version, &FaultClass::Receiver.fault(version, reason))
            }
        };
        span.record("status", reply.status);
        tracing::debug!(parent: &span, elapsed_ms = start.elapsed().as_millis() as u64, "answered");
        soap(reply)
    }

    fn get(&self, parts: &http::request::Parts) -> http::Response<ResponseBody> {
        let Some(wsdl) = &self.inner.wsdl else {
            return plain(StatusCode::NOT_FOUND, "this service does not publish its WSDL\n");
        };
        let query = parts.uri.query().unwrap_or_default();
        let host = parts.headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
        let address = format!("http://{host}{}", parts.uri.path());
        match wsdl.answer(query, &address) {
            Some(text) => {
                let mut response = http::Response::new(Full::new(Bytes::from(text)));
                response
                    .headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml; charset=utf-8"));
                response
            }
            None => plain(StatusCode::NOT_FOUND, "ask for ?wsdl\n"),
        }
    }
}

/// Reads a body, refusing it (413) as soon as it grows over `limit`.
async fn read_body<B>(body: B, limit: usize) -> Result<Bytes, StatusCode>
where
    B: http_body::Body + Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    match Limited::new(body, limit).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(StatusCode::PAYLOAD_TOO_LARGE),
        Err(_) => Err(StatusCode::BAD_REQUEST),
    }
}

impl<D, B> tower_service::Service<http::Request<B>> for SoapService<D>
where
    D: Dispatch,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = http::Response<ResponseBody>;
    type Error = Infallible;
    type Future = BoxFuture<Result<Self::Response, Infallible>>;

    fn poll_ready(&mut self, _: &mut TaskContext<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let service = self.clone();
        Box::pin(async move { Ok(service.serve_request(request).await) })
    }
}

impl<D: Dispatch> SoapService<D> {
    async fn serve_request<B>(&self, request: http::Request<B>) -> http::Response<ResponseBody>
    where
        B: http_body::Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let peer = request.extensions().get::<PeerAddr>().map(|p| p.0);
        let (parts, body) = request.into_parts();
        let declared =
            parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
        let body = if declared.is_some_and(|n| n > self.inner.max_request_size as u64) {
            Err(StatusCode::PAYLOAD_TOO_LARGE)
        } else if parts.method == Method::POST {
            read_body(body, self.inner.max_request_size).await
        } else {
            Ok(Bytes::new())
        };
        self.answer(parts, body, peer).await
    }
}

/// The client's address, put into request extensions by [`serve`] (so handlers see it in their
/// context); other servers may insert it too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub SocketAddr);

fn plain(status: StatusCode, text: &str) -> http::Response<ResponseBody> {
    let mut response = http::Response::new(Full::new(Bytes::copy_from_slice(text.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}

fn soap(reply: Reply) -> http::Response<ResponseBody> {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let empty = reply.body.is_empty();
    let mut response = http::Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = status;
    if !empty {
        let content_type = match reply.version {
            SoapVersion::Soap11 => "text/xml; charset=utf-8",
            SoapVersion::Soap12 => "application/soap+xml; charset=utf-8",
        };
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    response
}

/// The SOAP 1.1 action header (a constant: looking a header up by `&str` parses the name each time).
static SOAP_ACTION: header::HeaderName = header::HeaderName::from_static("soapaction");

/// The SOAP version, action and charset of a request, from its `Content-Type` (and
/// `SOAPAction`), or why it is not a SOAP request.
fn soap_content_type(headers: &http::HeaderMap) -> Result<(SoapVersion, String, Option<String>), String> {
    let Some(content_type) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return Err(
            "a SOAP request needs a Content-Type: text/xml (SOAP 1.1) or application/soap+xml (SOAP 1.2)\n".into()
        );
    };
    let mut params = content_type.split(';');
    let media = params.next().unwrap_or_default().trim();
    let version = if media.eq_ignore_ascii_case("text/xml") {
        SoapVersion::Soap11
    } else if media.eq_ignore_ascii_case("application/soap+xml") {
        SoapVersion::Soap12
    } else {
        return Err(format!(
            "unsupported media type {:?}: SOAP 1.1 requests are text/xml, SOAP 1.2 requests application/soap+xml\n",
            media.to_ascii_lowercase()
        ));
    };
    let mut action = None;
    let mut charset = None;
    for param in params {
        let Some((name, value)) = param.split_once('=') else { continue };
        let (name, value) = (name.trim(), value.trim().trim_matches('"'));
        if name.eq_ignore_ascii_case("charset") {
            if !crate::xml::is_supported_label(value) {
                return Err(format!(
                    "unsupported charset {value:?}: requests may be in UTF-8, UTF-16, ISO-8859-1 or Windows-1252\n"
                ));
            }
            charset = Some(value.to_owned());
        }
        if name.eq_ignore_ascii_case("action") {
            action = Some(value);
        }
    }
    if version == SoapVersion::Soap11 {
        action = headers.get(&SOAP_ACTION).and_then(|v| v.to_str().ok()).map(|v| v.trim().trim_matches('"'));
    }
    Ok((version, action.unwrap_or_default().to_owned(), charset))
}

/// Which operation a request is for, looked up by SOAP action or body element: built once per
/// service from the generated operation table, so that a request costs a hash lookup rather
/// than a scan comparing long action URIs.
#[derive(Debug)]
struct OperationIndex {
    /// Each action with the operation that has it; `None` when several operations share it.
    by_action: HashMap<&'static str, Option<usize>>,
    /// Each request body element (namespace URI, local name) likewise.
    by_element: HashMap<(&'static str, &'static str), Option<usize>>,
}

impl OperationIndex {
    fn new(operations: &'static [super::dispatch::OperationEntry]) -> Self {
        let mut by_action = HashMap::new();
        let mut by_element = HashMap::new();
        for (index, op) in operations.iter().enumerate() {
            for action in op.actions.iter().filter(|a| !a.is_empty()) {
                by_action.entry(*action).and_modify(|found| unique(found, index)).or_insert(Some(index));
            }
            by_element.entry(op.request_element).and_modify(|found| unique(found, index)).or_insert(Some(index));
        }
        Self { by_action, by_element }
    }

    /// Picks the operation a request is for: by SOAP action when exactly one operation has it,
    /// otherwise by the body element (WS-I Basic Profile makes those unique per endpoint).
    fn select(&self, body: &[u8], version: SoapVersion, action: &str, limits: DecodeLimits) -> Result<usize, Reply> {
        if let Some(Some(index)) = self.by_action.get(action) {
            return Ok(*index);
        }
        let element = first_body_element(body, version, limits).map_err(|reply| *reply)?;
        let (ns, local) = element.as_ref().map_or(("", ""), |(ns, local)| (ns.as_str(), local.as_str()));
        if let Some(Some(index)) = self.by_element.get(&(ns, local)) {
            return Ok(*index);
        }
        let what = match &element {
            Some((ns, local)) => format!("body element {{{ns}}}{local}"),
            None => "an empty Body".to_owned(),
        };
        let reason = if action.is_empty() {
            format!("no operation of this service takes {what}")
        } else {
            format!("no operation of this service has SOAP action {action:?} or takes {what}")
        };
        Err(Reply::fault(version, &FaultClass::Sender.fault(version, reason)))
    }
}

/// Marks an index entry ambiguous when a second operation (not the same one again, as an
/// operation bound twice lists its action twice) claims it.
fn unique(found: &mut Option<usize>, index: usize) {
    if *found != Some(index) {
        *found = None;
    }
}

/// The name of the first element in the envelope's `Body` (`None` for an empty body), checking
/// on the way that the envelope is of the version the content type announced.
fn first_body_element(
    body: &[u8],
    version: SoapVersion,
    limits: DecodeLimits,
) -> Result<Option<(String, String)>, Box<Reply>> {
    let bad = |e: DecodeError| Box::new(Reply::bad_request(version, &e));
    let mut r = XmlReader::with_limits(body, limits);
    let root = r.root().map_err(bad)?;
    if !root.is(version.envelope_ns(), "Envelope") {
        let reason = match SoapVersion::from_envelope_ns(root.ns()).filter(|_| root.local() == "Envelope") {
            Some(other) => format!("the envelope is {other}, but the content type says {version}"),
            None => format!("the root element is {{{}}}{}, not a {version} Envelope", root.ns(), root.local()),
        };
        return Err(Box::new(Reply::fault(version, &FaultClass::VersionMismatch.fault(version, reason))));
    }
    while let Some(child) = r.next_child().map_err(bad)? {
        if child.is(version.envelope_ns(), "Body") {
            return Ok(r.next_child().map_err(bad)?.map(|first| (first.ns().to_owned(), first.local().to_owned())));
        }
        r.skip(&child).map_err(bad)?;
    }
    Err(bad(r.error(DecodeErrorKind::Envelope("no Body element".into()))))
}

/// Several SOAP services under their paths (e.g. `/Remote/Services87/User.svc` and
/// `/Remote/Services87/SoPrincipal.svc`), for [`serve`]; other paths are answered with 404.
#[derive(Clone, Default)]
pub struct SoapRouter {
    routes: Vec<(String, Arc<dyn Endpoint>)>,
}

impl fmt::Debug for SoapRouter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SoapRouter").field("paths", &self.routes.iter().map(|(p, _)| p).collect::<Vec<_>>()).finish()
    }
}

impl SoapRouter {
    /// A router with no routes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Serves `service` at `path` (exactly; a path starts with `/`).
    #[must_use]
    pub fn route<D: Dispatch>(mut self, path: impl Into<String>, service: SoapService<D>) -> Self {
        self.routes.push((path.into(), Arc::new(service)));
        self
    }
}

/// One HTTP endpoint behind [`serve`]: a [`SoapService`] or a [`SoapRouter`].
pub trait Endpoint: Send + Sync + 'static {
    /// Answers one request.
    fn respond(&self, request: http::Request<hyper::body::Incoming>) -> BoxFuture<http::Response<ResponseBody>>;
}

impl<D: Dispatch> Endpoint for SoapService<D> {
    fn respond(&self, request: http::Request<hyper::body::Incoming>) -> BoxFuture<http::Response<ResponseBody>> {
        let service = self.clone();
        Box::pin(async move { service.serve_request(request).await })
    }
}

impl Endpoint for SoapRouter {
    fn respond(&self, request: http::Request<hyper::body::Incoming>) -> BoxFuture<http::Response<ResponseBody>> {
        match self.routes.iter().find(|(path, _)| path == request.uri().path()) {
            Some((_, endpoint)) => endpoint.respond(request),
            None => {
                let path = request.uri().path().to_owned();
                Box::pin(async move { plain(StatusCode::NOT_FOUND, &format!("no SOAP service at {path}\n")) })
            }
        }
    }
}

/// Serves `endpoint` on `listener` until the process ends (HTTP/1.1 with keep-alive, each
/// connection on its own task, so on all cores of a multi-threaded runtime).
pub async fn serve(listener: tokio::net::TcpListener, endpoint: impl Endpoint) -> std::io::Result<()> {
    serve_with_shutdown(listener, endpoint, std::future::pending()).await
}

/// Serves `endpoint` on `listener` until `shutdown` completes, then stops accepting, lets the
/// requests in flight finish, and returns.
pub async fn serve_with_shutdown(
    listener: tokio::net::TcpListener,
    endpoint: impl Endpoint,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let endpoint: Arc<dyn Endpoint> = Arc::new(endpoint);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait a moment instead of spinning.
                Err(e) if is_transient(&e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
                Err(e) => return Err(e),
            },
            () = &mut shutdown => break,
        };
        let endpoint = Arc::clone(&endpoint);
        let service = hyper::service::service_fn(move |mut request: http::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(PeerAddr(peer));
            let answer = endpoint.respond(request);
            async move { Ok::<_, Infallible>(answer.await) }
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(Duration::from_secs(30))
            .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

fn is_transient(e: &std::io::Error) -> bool {
    !matches!(e.kind(), std::io::ErrorKind::InvalidInput | std::io::ErrorKind::Unsupported)
}

#[cfg(test)]
mod tests {
    use super::super::dispatch::OperationEntry;
    use super::*;

    const NS: &str = "urn:example";
    static OPERATIONS: [OperationEntry; 4] = [
        // Bound twice (two bindings of one port type): its action is listed twice, still unique.
        OperationEntry { name: "Get", actions: &["urn:get", "urn:get"], request_element: (NS, "Get") },
        // Two operations sharing an action: selected by their body elements instead.
        OperationEntry { name: "PutA", actions: &["urn:put"], request_element: (NS, "PutA") },
        OperationEntry { name: "PutB", actions: &["urn:put"], request_element: (NS, "PutB") },
        OperationEntry { name: "Ping", actions: &[""], request_element: ("", "") },
    ];

    fn envelope(body: &str) -> Vec<u8> {
        format!(
            r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>{body}</s:Body></s:Envelope>"#
        )
        .into_bytes()
    }

    fn select(action: &str, body: &str) -> Result<&'static str, String> {
        let index = OperationIndex::new(&OPERATIONS);
        index
            .select(&envelope(body), SoapVersion::Soap11, action, DecodeLimits::default())
            .map(|i| OPERATIONS[i].name)
            .map_err(|reply| String::from_utf8_lossy(&reply.body).into_owned())
    }

    #[test]
    fn operations_are_found_by_action_then_by_body_element() {
        assert_eq!(select("urn:get", "<x:Anything xmlns:x='urn:other'/>"), Ok("Get"));
        assert_eq!(select("urn:put", r#"<x:PutB xmlns:x="urn:example"/>"#), Ok("PutB"));
        assert_eq!(select("urn:put", r#"<x:PutA xmlns:x="urn:example"/>"#), Ok("PutA"));
        assert_eq!(select("", r#"<x:Get xmlns:x="urn:example"/>"#), Ok("Get"));
        assert_eq!(select("urn:unknown", r#"<x:PutB xmlns:x="urn:example"/>"#), Ok("PutB"));
        assert_eq!(select("", ""), Ok("Ping"));
    }

    #[test]
    fn an_unknown_request_is_a_client_fault_naming_action_and_element() {
        let fault = select("urn:put", r#"<x:PutC xmlns:x="urn:example"/>"#).unwrap_err();
        assert!(fault.contains("Client"), "{fault}");
        assert!(fault.contains(r#"SOAP action "urn:put" or takes body element {urn:example}PutC"#), "{fault}");
    }
}
