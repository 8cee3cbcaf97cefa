//! The contract between generated servers and the runtime: a generated `{PortType}Server`
//! implements [`Dispatch`] (its operation table and one `match` calling the service trait), and
//! each operation's request type implements [`ServerOperation`]. [`handle`] does the rest for one
//! call: decode the envelope, run the handler (catching a panic), encode the reply or the fault.

use std::future::Future;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use bytes::Bytes;

use crate::addressing::{WSA_NS, is_addressing_ns};
use crate::codec::{Decode, Encode};
use crate::operation::{Operation, ResponseHeaders};
use crate::security::WSSE_NS;
use crate::soap::{Body, Fault, HeaderSink, SoapVersion, read_envelope, write_envelope};
use crate::xml::{DecodeError, DecodeErrorKind, DecodeLimits, Start, XmlReader, XmlWriter, inline_references};

use super::fault::{FaultClass, status_of, write_fault_envelope};
use super::request::{Context, HandlerError, NoFault, Request, Response};
use super::security::ReceivedUsernameToken;

/// A boxed, sendable future, as [`Dispatch::call`] returns.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// One operation of a generated server, as dispatch sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationEntry {
    /// The operation's name in the WSDL.
    pub name: &'static str,
    /// Its SOAP actions, one per binding of the port type (possibly empty strings).
    pub actions: &'static [&'static str],
    /// The namespace URI and local name of its request body element; both empty for an empty body.
    pub request_element: (&'static str, &'static str),
}

/// A generated server: the operations of one port type and the call of each.
pub trait Dispatch: Send + Sync + 'static {
    /// The port type's operations; [`call`](Self::call) takes an index into this table.
    fn operations(&self) -> &'static [OperationEntry];
    /// Handles a call of operation `index` (see [`handle`]).
    fn call(&self, index: usize, call: Call) -> BoxFuture<Reply>;
}

/// A request on its way to an operation: the envelope bytes and what HTTP said about it.
#[derive(Debug)]
pub struct Call {
    pub(crate) body: Bytes,
    pub(crate) version: SoapVersion,
    pub(crate) action: String,
    pub(crate) http_headers: http::HeaderMap,
    pub(crate) peer: Option<SocketAddr>,
    pub(crate) limits: DecodeLimits,
}

impl Call {
    /// A call of a request envelope `body` (for testing a [`Dispatch`] without HTTP).
    pub fn new(body: impl Into<Bytes>, version: SoapVersion, action: impl Into<String>) -> Self {
        Self {
            body: body.into(),
            version,
            action: action.into(),
            http_headers: http::HeaderMap::new(),
            peer: None,
            limits: DecodeLimits::default(),
        }
    }
}

/// The answer to a call: an HTTP status and a body (an envelope, or nothing for 202).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status: 200, 202 (one-way), 400 or 500 (faults).
    pub status: u16,
    /// The envelope; empty for 202.
    pub body: Vec<u8>,
    /// The version the envelope is written in.
    pub version: SoapVersion,
}

impl Reply {
    /// A fault reply of `version`.
    pub(crate) fn fault(version: SoapVersion, fault: &Fault) -> Self {
        Self::fault_with(version, fault, None)
    }

    fn fault_with(version: SoapVersion, fault: &Fault, detail: Option<&dyn Fn(&mut XmlWriter)>) -> Self {
        let fault = in_version(fault, version);
        let mut w = XmlWriter::with_capacity(512);
        write_fault_envelope(&mut w, version, &fault, detail);
        Self { status: status_of(&fault, version), body: w.into_inner(), version }
    }

    /// The fault for a request that could not be read: MustUnderstand for a header entry
    /// nobody understood, a Client/Sender fault naming the element path and byte offset otherwise.
    pub(crate) fn bad_request(version: SoapVersion, error: &DecodeError) -> Self {
        let class = match error.kind {
            DecodeErrorKind::MustUnderstand { .. } => FaultClass::MustUnderstand,
            _ => FaultClass::Sender,
        };
        Self::fault(version, &class.fault(version, error.to_string()))
    }
}

/// A fault with the standard codes of one version, translated to the other version's names
/// (`Client` <-> `Sender`, `Server` <-> `Receiver`) when written in the other version.
fn in_version(fault: &Fault, version: SoapVersion) -> Fault {
    let standard = fault.code_ns.as_deref().is_none_or(|ns| SoapVersion::from_envelope_ns(ns).is_some());
    let local = fault.code.rsplit(':').next().unwrap_or_default();
    let class = match local {
        "Client" | "Sender" => Some(FaultClass::Sender),
        "Server" | "Receiver" => Some(FaultClass::Receiver),
        "MustUnderstand" => Some(FaultClass::MustUnderstand),
        "VersionMismatch" => Some(FaultClass::VersionMismatch),
        _ => None,
    };
    let mut out = fault.clone();
    out.version = version;
    if let (true, Some(class)) = (standard, class) {
        let translated = class.fault(version, String::new());
        out.code = translated.code;
        out.code_ns = translated.code_ns;
    }
    out
}

/// The answer to a call of an operation index a [`Dispatch`] does not have (a bug in the caller).
pub fn no_such_operation(call: Call) -> BoxFuture<Reply> {
    let version = call.version;
    Box::pin(async move {
        let fault = FaultClass::Receiver.fault(version, "no such operation");
        Reply::fault(version, &fault)
    })
}

/// The request type of an operation, as a server sees it (the client's [`Operation`] plus the
/// reverse direction).
pub trait ServerOperation: Operation + Decode + Default + Send + 'static {
    /// The namespace URI and local name of the request body element; empty for an empty body.
    const REQUEST_ELEMENT: (&'static str, &'static str);
    /// The prefixed name of the response body element; empty for a one-way operation and an
    /// empty response body.
    const RESPONSE_TAG: &'static str;
    /// Whether the operation is one-way (answered with 202 and no body).
    const ONE_WAY: bool = false;
    /// Which of the port type's response header entries the operation declares.
    const RESPONSE_HEADERS: &'static [usize];
    /// The WS-Addressing action of the response (sent as `wsa:Action` when the request used
    /// addressing).
    const RESPONSE_ACTION: &'static str = "";
    /// The operation's declared faults.
    type Fault: FaultDetail + Send;
}

/// The response header set of a port type, as a server writes it.
pub trait ReplyHeaders: ResponseHeaders + Send {
    /// Writes the entries with the given indices that are set.
    fn encode(&self, w: &mut XmlWriter, which: &[usize]);
    /// Records a service error the way the service reports one (the reverse of
    /// [`ResponseHeaders::service_error`]).
    fn report_service_error(&mut self, error: Self::ServiceError);
}

/// A declared fault of an operation, written as a fault's detail.
pub trait FaultDetail {
    /// The fault's reason text.
    fn reason(&self) -> String;
    /// Writes the detail's content (the fault's element).
    fn write_detail(&self, w: &mut XmlWriter);
}

impl FaultDetail for NoFault {
    fn reason(&self) -> String {
        match *self {}
    }

    fn write_detail(&self, _: &mut XmlWriter) {
        match *self {}
    }
}

/// The error a handler of operation `O` returns.
pub type ErrorOf<O> =
    HandlerError<<O as ServerOperation>::Fault, <<O as Operation>::ResponseHeaders as ResponseHeaders>::ServiceError>;

/// What a handler of operation `O` returns.
pub type ResultOf<O> = Result<Response<<O as Operation>::Response, <O as Operation>::ResponseHeaders>, ErrorOf<O>>;

/// Header entries the server reads itself (WS-Security and WS-Addressing), in front of the
/// port type's own request header set.
struct ServerHeaders<'h, H> {
    inner: &'h mut H,
    token: Option<ReceivedUsernameToken>,
    message_id: Option<String>,
    addressed: bool,
}

impl<H: HeaderSink> HeaderSink for ServerHeaders<'_, H> {
    fn decode_entry<'a>(&mut self, r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<bool, DecodeError> {
        if self.inner.decode_entry(r, start)? {
            return Ok(true);
        }
        if start.is(WSSE_NS, "Security") {
            if let Some(token) = ReceivedUsernameToken::read(r, start)? {
                self.token = Some(token);
            }
            return Ok(true);
        }
        if is_addressing_ns(start.ns()) {
            self.addressed = true;
            if start.local() == "MessageID" {
                self.message_id = Some(r.text(start)?.trim().to_owned());
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// Handles one call of operation `O`: decodes the request (header entries, WS-Security token,
/// addressing), runs `handler`, and writes its response or error as the WSDL says a service
/// answers. A panic in the handler becomes a `Server`/`Receiver` fault.
pub async fn handle<O, F, Fut>(call: Call, handler: F) -> Reply
where
    O: ServerOperation,
    O::RequestHeaders: HeaderSink + Default + Send,
    O::ResponseHeaders: ReplyHeaders,
    O::Response: Encode + Default,
    F: FnOnce(Request<O, O::RequestHeaders>) -> Fut,
    Fut: Future<Output = ResultOf<O>> + Send,
{
    let version = call.version;
    let mut headers = O::RequestHeaders::default();
    let mut sink = ServerHeaders { inner: &mut headers, token: None, message_id: None, addressed: false };
    let (ns, local) = O::REQUEST_ELEMENT;
    // An encoded request's multi-reference values are copied in first.
    let expanded = match if O::ENCODED { inline_references(&call.body, call.limits) } else { Ok(None) } {
        Ok(expanded) => expanded,
        Err(e) => return Reply::bad_request(version, &e),
    };
    let input = expanded.as_deref().unwrap_or(&call.body);
    let decoded = read_envelope(input, call.limits, &mut sink, |r, start| match start {
        Some(start) if !local.is_empty() => {
            // SOAP 1.1 section 7.1: encoded requests' wrappers are matched by local name.
            let ns = if O::ENCODED { start.ns() } else { ns };
            r.expect(start, ns, local)?;
            O::decode(r, start)
        }
        Some(start) => {
            Err(r.error_in(start, "", DecodeErrorKind::Envelope(format!("operation {} takes an empty Body", O::NAME))))
        }
        None if local.is_empty() => Ok(O::default()),
        None => Err(r.error(DecodeErrorKind::Envelope(format!("the Body is empty; {} expects {local}", O::NAME)))),
    });
    let ServerHeaders { token, message_id, addressed, .. } = sink;
    let body = match decoded {
        Ok((read_version, _)) if read_version != version => {
            let reason = format!("the envelope is {read_version}, but the content type says {version}");
            return Reply::fault(version, &FaultClass::VersionMismatch.fault(version, reason));
        }
        Ok((_, Body::Response(body))) => body,
        Ok((_, Body::Fault(_))) => {
            let fault = FaultClass::Sender.fault(version, "the request is a fault, not an operation's request");
            return Reply::fault(version, &fault);
        }
        Err(e) => return Reply::bad_request(version, &e),
    };
    let context = Context {
        version,
        action: call.action,
        http_headers: call.http_headers,
        peer: call.peer,
        username_token: token,
        message_id: message_id.clone(),
    };
    let outcome = CatchUnwind(Box::pin(handler(Request { body, headers, context }))).await;
    let addressing = addressed.then_some((message_id, O::RESPONSE_ACTION));
    match outcome {
        Ok(Ok(response)) => reply::<O>(version, &response.body, &response.headers, addressing),
        Ok(Err(HandlerError::Fault(fault))) => Reply::fault(version, &fault),
        Ok(Err(HandlerError::Declared(fault))) => {
            let reason = fault.reason();
            let f = FaultClass::Receiver.fault(version, reason);
            Reply::fault_with(version, &f, Some(&|w: &mut XmlWriter| fault.write_detail(w)))
        }
        Ok(Err(HandlerError::Service(error))) => {
            let mut headers = O::ResponseHeaders::default();
            headers.report_service_error(*error);
            reply::<O>(version, &O::Response::default(), &headers, addressing)
        }
        Err(()) => {
            tracing::error!(operation = O::NAME, "the handler panicked");
            let fault = FaultClass::Receiver.fault(version, format!("operation {} failed: internal error", O::NAME));
            Reply::fault(version, &fault)
        }
    }
}

fn reply<O>(
    version: SoapVersion,
    body: &O::Response,
    headers: &O::ResponseHeaders,
    addressing: Option<(Option<String>, &'static str)>,
) -> Reply
where
    O: ServerOperation,
    O::ResponseHeaders: ReplyHeaders,
    O::Response: Encode,
{
    if O::ONE_WAY {
        return Reply { status: 202, body: Vec::new(), version };
    }
    let mut w = XmlWriter::with_capacity(4096);
    w.set_encoding_style(O::ENCODED);
    write_envelope(
        &mut w,
        version,
        O::NAMESPACES,
        |w| {
            if let Some((relates_to, action)) = &addressing {
                if !action.is_empty() {
                    write_wsa(w, "Action", action, true);
                }
                if let Some(id) = relates_to {
                    write_wsa(w, "RelatesTo", id, false);
                }
            }
            headers.encode(w, O::RESPONSE_HEADERS);
        },
        |w| {
            if !O::RESPONSE_TAG.is_empty() {
                body.encode(w, O::RESPONSE_TAG);
            }
        },
    );
    Reply { status: 200, body: w.into_inner(), version }
}

fn write_wsa(w: &mut XmlWriter, local: &str, value: &str, must_understand: bool) {
    let tag = format!("wsa:{local}");
    w.open(&tag);
    w.attribute("xmlns:wsa", WSA_NS);
    if must_understand {
        w.attribute("s:mustUnderstand", "1");
    }
    w.close_open();
    w.text(value);
    w.end(&tag);
}

/// Polls a future, turning a panic into `Err(())` (the server answers a fault and keeps serving).
struct CatchUnwind<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, ()>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Err(_) => Poll::Ready(Err(())),
        }
    }
}
