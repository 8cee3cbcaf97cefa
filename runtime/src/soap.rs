//! SOAP 1.1 and 1.2 envelopes: writing requests, reading responses and faults.

use std::fmt;

use crate::codec::Decode;
use crate::raw::RawXml;
use crate::xml::{DecodeError, DecodeErrorKind, DecodeLimits, Start, XML_NS, XmlReader, XmlWriter};

/// SOAP 1.1 envelope namespace.
pub const SOAP11_ENV_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// SOAP 1.2 envelope namespace.
pub const SOAP12_ENV_NS: &str = "http://www.w3.org/2003/05/soap-envelope";

/// The SOAP version of a binding or a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SoapVersion {
    /// SOAP 1.1 (`text/xml`, `SOAPAction` header).
    #[default]
    Soap11,
    /// SOAP 1.2 (`application/soap+xml` with an `action` parameter).
    Soap12,
}

impl SoapVersion {
    /// The envelope namespace URI.
    pub fn envelope_ns(self) -> &'static str {
        match self {
            SoapVersion::Soap11 => SOAP11_ENV_NS,
            SoapVersion::Soap12 => SOAP12_ENV_NS,
        }
    }

    /// The version whose envelope namespace is `ns`.
    pub fn from_envelope_ns(ns: &str) -> Option<Self> {
        match ns {
            SOAP11_ENV_NS => Some(SoapVersion::Soap11),
            SOAP12_ENV_NS => Some(SoapVersion::Soap12),
            _ => None,
        }
    }

    /// The `Content-Type` of a request with this SOAP action (SOAP 1.2 leaves out an empty
    /// `action` parameter: it is optional, and an empty one names no action).
    pub(crate) fn content_type(self, action: &str) -> String {
        match self {
            SoapVersion::Soap11 => "text/xml; charset=utf-8".to_owned(),
            SoapVersion::Soap12 if action.is_empty() => "application/soap+xml; charset=utf-8".to_owned(),
            SoapVersion::Soap12 => format!("application/soap+xml; charset=utf-8; action=\"{action}\""),
        }
    }
}

impl fmt::Display for SoapVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SoapVersion::Soap11 => "SOAP 1.1",
            SoapVersion::Soap12 => "SOAP 1.2",
        })
    }
}

/// Writes a complete envelope: the XML declaration, `Envelope` declaring the envelope prefix
/// `s`, `xsi` and every pair of `namespaces` once, then `Header` (only if `headers` writes
/// anything) and `Body`.
pub fn write_envelope(
    w: &mut XmlWriter,
    version: SoapVersion,
    namespaces: &'static [(&'static str, &'static str)],
    headers: impl FnOnce(&mut XmlWriter),
    body: impl FnOnce(&mut XmlWriter),
) {
    w.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    w.declare_on_next(namespaces);
    w.open("s:Envelope");
    w.attribute("xmlns:s", version.envelope_ns());
    w.close_open();
    let before = w.as_bytes().len();
    w.raw("<s:Header>");
    let opened = w.as_bytes().len();
    headers(w);
    if w.as_bytes().len() == opened {
        // No header entries: drop the empty `<s:Header>`.
        let encoding_style = w.encoding_style;
        let mut bytes = std::mem::take(w).into_inner();
        bytes.truncate(before);
        *w = XmlWriter::from_vec(bytes);
        w.encoding_style = encoding_style;
    } else {
        w.raw("</s:Header>");
    }
    w.raw("<s:Body>");
    body(w);
    w.raw("</s:Body></s:Envelope>");
}

/// Receives the header entries of a response envelope.
pub trait HeaderSink {
    /// Decodes the header entry `start` if it is one this sink knows and returns `true`;
    /// returns `false` (without reading) otherwise.
    fn decode_entry<'a>(&mut self, r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<bool, DecodeError>;
}

/// A sink that knows no header entries.
impl HeaderSink for () {
    fn decode_entry<'a>(&mut self, _: &mut XmlReader<'a>, _: &Start<'a>) -> Result<bool, DecodeError> {
        Ok(false)
    }
}

/// A SOAP fault, of either version: what [`Error::Fault`](crate::Error::Fault) carries.
///
/// The detail is kept as XML; decode it into the element type the WSDL declares for it with
/// [`decode_detail`](Self::decode_detail) (generated `{Operation}Fault` enums do this for every
/// `wsdl:fault` of an operation, with `from_fault`).
///
/// ```
/// use wsdlgen_runtime::{Fault, RawXml, SoapVersion};
///
/// // As a service might send it: `<detail><e:Code xmlns:e="urn:errors">42</e:Code></detail>`.
/// let mut fault = Fault::new(SoapVersion::Soap11, "s:Client", "invalid user id");
/// fault.detail = Some(RawXml::new(r#"<e:Code xmlns:e="urn:errors">42</e:Code>"#));
///
/// // Any generated type, or a built-in, decodes from the detail's element.
/// let code: i32 = fault.decode_detail("urn:errors", "Code").expect("a detail").expect("an int");
/// assert_eq!(code, 42);
/// // Another element than the one asked for is an error, not a wrong value.
/// assert!(fault.decode_detail::<i32>("urn:errors", "Other").unwrap().is_err());
/// assert_eq!(fault.to_string(), "s:Client: invalid user id");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Fault {
    /// The version of the envelope that carried it.
    pub version: SoapVersion,
    /// `faultcode` (1.1) or `Code/Value` (1.2), as written (a prefixed QName, e.g. `s:Client`).
    pub code: String,
    /// The namespace URI the code's prefix is bound to, when it is bound.
    pub code_ns: Option<String>,
    /// `Code/Subcode/Value` chain (1.2 only), outermost first.
    pub subcodes: Vec<String>,
    /// `faultstring` (1.1) or the first `Reason/Text` (1.2).
    pub reason: String,
    /// The `xml:lang` of the reason text, when given.
    pub reason_lang: Option<String>,
    /// `faultactor` (1.1) or `Role` (1.2).
    pub actor: Option<String>,
    /// `Node` (1.2 only).
    pub node: Option<String>,
    /// `detail` (1.1) or `Detail` (1.2), as raw XML.
    pub detail: Option<RawXml>,
}

impl Fault {
    /// A fault with this code (a prefixed QName as written, e.g. `s:Server`) and reason, and
    /// nothing else; set the other fields on it.
    pub fn new(version: SoapVersion, code: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { version, code: code.into(), reason: reason.into(), ..Self::default() }
    }

    /// Decodes the detail's child element `{ns}local` as a `T`, if there is a detail.
    pub fn decode_detail<T: Decode>(&self, ns: &str, local: &str) -> Option<Result<T, DecodeError>> {
        self.detail.as_ref().map(|d| d.decode_child(ns, local))
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.reason)
    }
}

/// What the body of a response envelope held.
#[derive(Debug)]
pub enum Body<T> {
    /// The expected response element, decoded.
    Response(T),
    /// A fault.
    Fault(Box<Fault>),
}

/// Reads a response envelope (SOAP 1.1 or 1.2, whatever the prefixes): header entries go to
/// `headers` (unknown ones are skipped unless marked `mustUnderstand`), and the body's first
/// element is either a fault or decoded by `body`, which gets `None` for an empty `Body`.
///
/// Entries placed directly under `Envelope` (outside `Header`) are skipped: SOAP does not
/// allow them there, so they are not headers.
pub fn read_envelope<'a, T>(
    input: &'a [u8],
    limits: DecodeLimits,
    headers: &mut dyn HeaderSink,
    body: impl FnOnce(&mut XmlReader<'a>, Option<&Start<'a>>) -> Result<T, DecodeError>,
) -> Result<(SoapVersion, Body<T>), DecodeError> {
    let mut r = XmlReader::with_limits(input, limits);
    let root = r.root()?;
    let Some(version) = SoapVersion::from_envelope_ns(root.ns()).filter(|_| root.local() == "Envelope") else {
        return Err(r.error(DecodeErrorKind::Envelope(format!(
            "the root element is {{{}}}{}, not a SOAP 1.1 or 1.2 Envelope",
            root.ns(),
            root.local()
        ))));
    };
    let env_ns = version.envelope_ns();
    let mut result = None;
    let mut seen_header = false;
    let mut not_understood = None;
    while let Some(child) = r.next_child()? {
        if child.is(env_ns, "Header") {
            // A second Header could carry entries (or mustUnderstand marks) that would
            // otherwise be half ignored.
            if seen_header {
                return Err(r.error_in(&child, "", DecodeErrorKind::Envelope("more than one Header element".into())));
            }
            seen_header = true;
            not_understood = read_headers(&mut r, version, headers)?;
        } else if child.is(env_ns, "Body") {
            result = Some(read_body(&mut r, &child, version, body)?);
            break;
        } else {
            r.skip(&child)?;
        }
    }
    let Some(result) = result else {
        return Err(r.error(DecodeErrorKind::Envelope("no Body element".into())));
    };
    // Whatever follows the body (nothing, in a valid envelope) is read for well-formedness;
    // a second Header or Body would be silently dropped, so it is an error.
    while let Some(child) = r.next_child()? {
        if child.is(env_ns, "Body") || child.is(env_ns, "Header") {
            let what = format!("a {} element after the Body", child.local());
            return Err(r.error_in(&child, "", DecodeErrorKind::Envelope(what)));
        }
        r.skip(&child)?;
    }
    r.finish()?;
    // A fault is reported as such even when a header entry was not understood (a fault
    // response may carry addressing headers marked mustUnderstand); anything else is refused.
    match (not_understood, &result) {
        (Some(e), Body::Response(_)) => Err(e),
        _ => Ok((version, result)),
    }
}

/// Reads the header entries; returns the error for the first entry marked `mustUnderstand`
/// that nobody understood, if any.
fn read_headers<'a>(
    r: &mut XmlReader<'a>,
    version: SoapVersion,
    headers: &mut dyn HeaderSink,
) -> Result<Option<DecodeError>, DecodeError> {
    let env_ns = version.envelope_ns();
    let mut not_understood = None;
    while let Some(entry) = r.next_child()? {
        let must_understand = match r.attribute(&entry, env_ns, "mustUnderstand")? {
            Some(v) => matches!(v.trim(), "1" | "true"),
            None => false,
        };
        if !headers.decode_entry(r, &entry)? {
            // Addressing headers (`wsa:Action`, `wsa:RelatesTo`, ...) describe the message and are
            // understood as such; services that use addressing mark them `mustUnderstand`.
            // So is a WS-Security header (see `crate::security`: nothing in it is verified).
            let understood =
                crate::addressing::is_addressing_ns(entry.ns()) || crate::security::is_security_ns(entry.ns());
            if must_understand && !understood && not_understood.is_none() && !targets_someone_else(r, &entry, version)?
            {
                not_understood = Some(r.error_in(
                    &entry,
                    "",
                    DecodeErrorKind::MustUnderstand { ns: entry.ns().to_owned(), local: entry.local().to_owned() },
                ));
            }
            r.skip(&entry)?;
        }
    }
    Ok(not_understood)
}

/// Whether a header entry is addressed (by `actor` / `role`) to a node other than the
/// ultimate receiver, in which case this client need not understand it.
fn targets_someone_else<'a>(r: &XmlReader<'a>, entry: &Start<'a>, version: SoapVersion) -> Result<bool, DecodeError> {
    let env_ns = version.envelope_ns();
    Ok(match version {
        SoapVersion::Soap11 => match r.attribute(entry, env_ns, "actor")? {
            Some(actor) => actor != "http://schemas.xmlsoap.org/soap/actor/next",
            None => false,
        },
        SoapVersion::Soap12 => match r.attribute(entry, env_ns, "role")? {
            Some(role) => !matches!(
                &*role,
                "http://www.w3.org/2003/05/soap-envelope/role/next"
                    | "http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver"
            ),
            None => false,
        },
    })
}

fn read_body<'a, T>(
    r: &mut XmlReader<'a>,
    body_start: &Start<'a>,
    version: SoapVersion,
    body: impl FnOnce(&mut XmlReader<'a>, Option<&Start<'a>>) -> Result<T, DecodeError>,
) -> Result<Body<T>, DecodeError> {
    let Some(first) = r.next_child()? else {
        // An empty body: the caller says whether that is a response.
        return match body(r, None) {
            Ok(value) => Ok(Body::Response(value)),
            Err(e) => Err(r.error_in(body_start, "", e.kind)),
        };
    };
    let result = if first.is(version.envelope_ns(), "Fault") {
        Body::Fault(Box::new(read_fault(r, version)?))
    } else {
        Body::Response(body(r, Some(&first))?)
    };
    // Other elements after the first are skipped, but a second element of the same name (a
    // second response or fault) would be data dropped without a word.
    while let Some(extra) = r.next_child()? {
        if extra.is(first.ns(), first.local()) {
            return Err(r.error_in(&extra, "", DecodeErrorKind::Duplicate(extra.local().to_owned())));
        }
        r.skip(&extra)?;
    }
    Ok(result)
}

fn read_fault(r: &mut XmlReader<'_>, version: SoapVersion) -> Result<Fault, DecodeError> {
    let mut fault = Fault { version, ..Fault::default() };
    let env_ns = version.envelope_ns();
    while let Some(child) = r.next_child()? {
        match (version, child.ns(), child.local()) {
            (SoapVersion::Soap11, "", "faultcode") => {
                // The bindings in scope at the element, its own declarations included (WCF
                // declares the code's prefix on the faultcode element itself).
                let scope = r.in_scope();
                let code: String = r.simple(&child)?;
                fault.code_ns = prefix_uri(&scope, &code);
                fault.code = code;
            }
            (SoapVersion::Soap11, "", "faultstring") => {
                fault.reason_lang = r.attribute(&child, XML_NS, "lang")?.map(|l| l.into_owned());
                fault.reason = r.text(&child)?.into_owned();
            }
            (SoapVersion::Soap11, "", "faultactor") => fault.actor = Some(r.simple(&child)?),
            (SoapVersion::Soap11, "", "detail") => fault.detail = Some(RawXml::decode(r, &child)?),
            (SoapVersion::Soap12, ns, "Code") if ns == env_ns => read_code12(r, &mut fault)?,
            (SoapVersion::Soap12, ns, "Reason") if ns == env_ns => {
                while let Some(text) = r.next_child()? {
                    if text.is(env_ns, "Text") && fault.reason.is_empty() {
                        fault.reason_lang = r.attribute(&text, XML_NS, "lang")?.map(|l| l.into_owned());
                        fault.reason = r.text(&text)?.into_owned();
                    } else {
                        r.skip(&text)?;
                    }
                }
            }
            (SoapVersion::Soap12, ns, "Role") if ns == env_ns => fault.actor = Some(r.simple(&child)?),
            (SoapVersion::Soap12, ns, "Node") if ns == env_ns => fault.node = Some(r.simple(&child)?),
            (SoapVersion::Soap12, ns, "Detail") if ns == env_ns => fault.detail = Some(RawXml::decode(r, &child)?),
            _ => r.skip(&child)?,
        }
    }
    Ok(fault)
}

fn read_code12<'a>(r: &mut XmlReader<'a>, fault: &mut Fault) -> Result<(), DecodeError> {
    let env_ns = SOAP12_ENV_NS;
    let mut depth = 0;
    loop {
        let mut saw_subcode = false;
        while let Some(child) = r.next_child()? {
            if child.is(env_ns, "Value") {
                let scope = r.in_scope();
                let value: String = r.simple(&child)?;
                if depth == 0 {
                    fault.code_ns = prefix_uri(&scope, &value);
                    fault.code = value;
                } else {
                    fault.subcodes.push(value);
                }
            } else if child.is(env_ns, "Subcode") {
                saw_subcode = true;
                break;
            } else {
                r.skip(&child)?;
            }
        }
        if !saw_subcode {
            // Close the enclosing Subcode elements entered below.
            for _ in 0..depth {
                while let Some(child) = r.next_child()? {
                    r.skip(&child)?;
                }
            }
            return Ok(());
        }
        depth += 1;
    }
}

/// The namespace bound to the prefix of a QName value, among the bindings of `scope`.
fn prefix_uri(scope: &[(String, String)], qname: &str) -> Option<String> {
    let prefix = qname.split_once(':').map_or("", |(p, _)| p);
    scope.iter().find(|(p, _)| p == prefix).map(|(_, uri)| uri.clone())
}
