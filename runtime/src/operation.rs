//! The operation contract: what a generated request type says about its operation
//! ([`Operation`]), the header sets of a port type ([`RequestHeaders`], [`ResponseHeaders`]),
//! and how a request envelope is written and a response envelope read for one operation,
//! independently of any transport.

use std::fmt;

use crate::addressing::AddressingHeaders;
use crate::codec::{Decode, Encode};
use crate::error::Error;
use crate::security::UsernameToken;
use crate::soap::{Body, HeaderSink, SoapVersion, read_envelope, write_envelope};
use crate::xml::{
    DecodeError, DecodeErrorKind, DecodeLimits, Secrets, XmlWriter, excerpt_around, inline_references, to_utf8,
};

/// One operation of a port type, implemented by the generated request type of each operation.
///
/// Generated clients bound their `call` and `call_with_headers` methods on it, so it is what
/// code generic over the operations of a port type names: the operation's [`NAME`](Self::NAME)
/// and [`SOAP_ACTION`](Self::SOAP_ACTION), its [`Response`](Self::Response) element, and the
/// port type's header sets. Implementations come from `wsdlgen` only; the wire details the
/// runtime reads off them (element names, namespaces, which headers are sent) are not part of
/// this crate's API.
///
/// ```
/// use wsdlgen_runtime::{Operation, Reply};
///
/// /// A line for the log about the reply to any operation.
/// fn describe<O: Operation>(reply: &Reply<O::Response, O::ResponseHeaders>) -> String
/// where
///     O::Response: std::fmt::Debug,
/// {
///     format!("{} ({}): {:?}", O::NAME, O::SOAP_ACTION, reply.body)
/// }
/// ```
pub trait Operation: Encode {
    /// The operation's name in the WSDL.
    const NAME: &'static str;
    /// The `soapAction` of the operation in its binding.
    const SOAP_ACTION: &'static str;
    #[doc(hidden)]
    /// The prefixed name of the request's body element; empty for an empty body (a
    /// document/literal input message with no body part).
    const REQUEST_TAG: &'static str;
    #[doc(hidden)]
    /// The namespace URI and local name of the response's body element; empty for a one-way
    /// operation and for an empty response body.
    const RESPONSE_ELEMENT: (&'static str, &'static str);
    #[doc(hidden)]
    /// The `(prefix, uri)` pairs the envelope declares for the prefixes the encoders use.
    const NAMESPACES: &'static [(&'static str, &'static str)];
    #[doc(hidden)]
    /// Which of the port type's request headers this operation sends (indices into its header set).
    const REQUEST_HEADERS: &'static [usize];
    #[doc(hidden)]
    /// The WS-Addressing action of the request (`wsam:Action` on the port type's input, or the
    /// default WS-Addressing gives), sent as `wsa:Action` when the client uses addressing;
    /// empty when it is the SOAP action.
    const ADDRESSING_ACTION: &'static str = "";
    #[doc(hidden)]
    /// Whether the messages are rpc/encoded (SOAP 1.1 section 5): the request wrapper carries
    /// `encodingStyle`, the response wrapper is matched by local name in any namespace, and
    /// multi-reference values (`href`/`id`) are copied in before the response is decoded.
    const ENCODED: bool = false;
    #[doc(hidden)]
    /// The `(namespace, local name)` of the elements and attributes whose values are secret in
    /// the bindings (those generated `Debug` impls redact): traced envelopes and the excerpts of
    /// decode errors show them as `[redacted]`.
    const SECRETS: &'static [(&'static str, &'static str)] = &[];
    /// The decoded response body element.
    type Response: Decode;
    /// The port type's request header set.
    type RequestHeaders: RequestHeaders;
    /// The port type's response header set.
    type ResponseHeaders: ResponseHeaders;

    #[doc(hidden)]
    /// For a one-way operation (no output message) or an output message with no body part:
    /// the value that a successful reply without a body element stands for (an empty HTTP
    /// body, or an envelope with an empty `Body`). `None` (the default) when a response
    /// element is expected.
    fn empty_reply() -> Option<Self::Response> {
        None
    }

    #[doc(hidden)]
    /// The `soapAction` of the operation in the port type's binding number `binding` (0 is the
    /// default binding, whose action is [`SOAP_ACTION`](Self::SOAP_ACTION)).
    fn soap_action_for(binding: usize) -> &'static str {
        let _ = binding;
        Self::SOAP_ACTION
    }
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

/// A decoded response: its body element and its header entries, as a generated client's
/// `call` returns them.
///
/// ```
/// # use wsdlgen_runtime::Reply;
/// # fn show<B: std::fmt::Debug, H: std::fmt::Debug>(reply: Reply<B, H>) {
/// let Reply { body, headers, version, http_status, .. } = reply;
/// println!("{version} response {body:?} with headers {headers:?} (HTTP {http_status:?})");
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Reply<B, H> {
    /// The response body element.
    pub body: B,
    /// The response header entries.
    pub headers: H,
    /// The SOAP version of the response envelope.
    pub version: SoapVersion,
    /// The HTTP status of the response (or what the transport gave as one); `None` for a reply
    /// decoded from bytes with [`decode_response`].
    pub http_status: Option<u16>,
    /// The HTTP headers of the response (empty for a reply decoded from bytes). The HTTP
    /// transport marks the values of `Set-Cookie` and other credential headers sensitive, so
    /// `Debug` does not show them.
    pub http_headers: http::HeaderMap,
}

/// The error type of an operation.
pub type OperationError<O> = Error<<<O as Operation>::ResponseHeaders as ResponseHeaders>::ServiceError>;

/// Builds the request envelope of `request` with the given headers.
///
/// A character XML 1.0 cannot carry is written as U+FFFD; [`try_encode_request`] refuses instead.
pub fn encode_request<O: Operation>(version: SoapVersion, request: &O, headers: &O::RequestHeaders) -> Vec<u8> {
    encode_envelope(version, request, headers, None, None).into_inner()
}

/// [`encode_request`] with WS-Addressing headers before the operation's own.
pub fn encode_request_with_addressing<O: Operation>(
    version: SoapVersion,
    request: &O,
    headers: &O::RequestHeaders,
    addressing: &AddressingHeaders<'_>,
) -> Vec<u8> {
    encode_envelope(version, request, headers, Some(addressing), None).into_inner()
}

/// Builds the request envelope of `request`, or says which character in it XML 1.0 cannot
/// carry (control characters other than tab, line feed and carriage return; U+FFFE; U+FFFF).
pub fn try_encode_request<O: Operation>(
    version: SoapVersion,
    request: &O,
    headers: &O::RequestHeaders,
) -> Result<Vec<u8>, char> {
    checked(encode_envelope(version, request, headers, None, None))
}

pub(crate) fn checked(w: XmlWriter) -> Result<Vec<u8>, char> {
    match w.invalid_char() {
        Some(c) => Err(c),
        None => Ok(w.into_inner()),
    }
}

pub(crate) fn encode_envelope<O: Operation>(
    version: SoapVersion,
    request: &O,
    headers: &O::RequestHeaders,
    addressing: Option<&AddressingHeaders<'_>>,
    username_token: Option<&UsernameToken>,
) -> XmlWriter {
    // One allocation for a typical envelope: the SOAP and namespace declarations and the three
    // SuperOffice header entries alone take about 600 bytes, so 1 KiB would grow (copy) often.
    let mut w = XmlWriter::with_capacity(4096);
    w.set_encoding_style(O::ENCODED);
    write_envelope(
        &mut w,
        version,
        O::NAMESPACES,
        |w| {
            if let Some(token) = username_token {
                token.write(w, "s");
            }
            if let Some(addressing) = addressing {
                addressing.write(w, "s");
            }
            headers.encode(w, O::REQUEST_HEADERS)
        },
        |w| {
            if !O::REQUEST_TAG.is_empty() {
                request.encode(w, O::REQUEST_TAG);
            }
        },
    );
    w
}

/// Decodes a response envelope for operation `O`: its headers, then a fault, a service error
/// or the response element.
///
/// A message in UTF-16 (with or without a byte order mark), ISO-8859-1 or Windows-1252, as its
/// byte order mark or XML declaration says, is read as well (re-encoded in UTF-8 first: byte
/// offsets in errors are then offsets in that UTF-8 text).
pub fn decode_response<O: Operation>(
    body: &[u8],
    limits: DecodeLimits,
) -> Result<Reply<O::Response, O::ResponseHeaders>, OperationError<O>> {
    decode_response_as::<O>(body, None, limits)
}

/// [`decode_response`] for a message whose `Content-Type` names `charset` (which wins over the
/// XML declaration, RFC 7303).
pub(crate) fn decode_response_as<O: Operation>(
    body: &[u8],
    charset: Option<&str>,
    limits: DecodeLimits,
) -> Result<Reply<O::Response, O::ResponseHeaders>, OperationError<O>> {
    let utf8 = to_utf8(body, charset)
        .map_err(|kind| Error::Decode(DecodeError { path: String::new(), offset: 0, kind, excerpt: None }))?;
    let body = &utf8[..];
    // An encoded response's multi-reference values are copied in first (offsets in later
    // errors are then offsets in that copy).
    // A decode error keeps the message around its offset, secrets redacted.
    let with_excerpt = |mut e: DecodeError, xml: &[u8]| {
        let offset = usize::try_from(e.offset).unwrap_or(usize::MAX);
        e.excerpt = Some(excerpt_around(xml, offset, Secrets(O::SECRETS)).into());
        Error::Decode(e)
    };
    let expanded = if O::ENCODED { inline_references(body, limits).map_err(|e| with_excerpt(e, body))? } else { None };
    let body = expanded.as_deref().unwrap_or(body);
    let mut headers = O::ResponseHeaders::default();
    let parsed = read_envelope(body, limits, &mut headers, |r, start| match (start, O::empty_reply()) {
        (Some(start), _) => {
            let (ns, local) = O::RESPONSE_ELEMENT;
            // SOAP 1.1 section 7.1: peers name the response wrapper in namespaces of their own.
            let ns = if O::ENCODED { start.ns() } else { ns };
            r.expect(start, ns, local)?;
            O::Response::decode(r, start)
        }
        (None, Some(empty)) => Ok(empty),
        (None, None) => Err(r.error(DecodeErrorKind::Envelope("the Body is empty".into()))),
    });
    if let Some(e) = headers.service_error() {
        return Err(Error::Service(Box::new(e)));
    }
    match parsed.map_err(|e| with_excerpt(e, body))? {
        (_, Body::Fault(fault)) => Err(Error::Fault(fault)),
        (version, Body::Response(body)) => {
            Ok(Reply { body, headers, version, http_status: None, http_headers: http::HeaderMap::new() })
        }
    }
}
