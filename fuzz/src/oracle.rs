//! The oracles of the fuzz targets: each takes arbitrary bytes and panics only on a bug.
//!
//! This file depends on `wsdlgen`, `wsdlgen-runtime` and `services87` only, so that the
//! workspace's bounded smoke test (`tests/tests/fuzz_smoke.rs`) includes it as a module and
//! runs the same checks under `cargo test`, without libFuzzer.
//!
//! - Response decoding: whatever `decode_response` accepts is written back as an envelope (body
//!   by the generated encoders, headers by the generated header codecs) and must decode to an
//!   equal reply. A service error (`Succeeded = false`) is written back as headers and must give
//!   the same `SoExceptionInfo`.
//! - Faults: a decoded fault is written back as a SOAP 1.1 or 1.2 fault and must decode to the
//!   same code (and the namespace of its prefix), subcodes, reason, language, actor, node and
//!   detail. Its detail is also decoded as a typed element (must not panic).
//! - The generator: on arbitrary text, either the bindings, or an error that names a position
//!   (`file:line:col: ...`); never a panic, never "the generated code does not parse".

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::Path;

use services87::user::{self, UserResponseHeaders};
use wsdlgen_runtime::codegen::{XmlWriter, decode_response};
use wsdlgen_runtime::{DecodeLimits, Encode, Error, Fault, Nillable, Operation, RawXml, SoapVersion};

fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Equal values; `Debug` equality is accepted where a `NaN` makes `PartialEq` say no.
fn same<T: PartialEq + Debug>(first: &T, second: &T, what: &str, input: &[u8], again: &[u8]) {
    if first == second {
        return;
    }
    let (a, b) = (format!("{first:?}"), format!("{second:?}"));
    if a == b && a.contains("NaN") {
        return;
    }
    panic!(
        "{what} differs after a round trip\n  first:  {a}\n  second: {b}\n  input:  {}\n  again:  {}",
        show(input),
        show(again)
    );
}

/// The prefix that `Operation::NAMESPACES` binds to `ns`.
fn prefix_of<O: Operation>(ns: &str) -> &'static str {
    O::NAMESPACES.iter().find(|(_, uri)| *uri == ns).map(|(p, _)| *p).expect("response namespace has a prefix")
}

/// A response envelope of `O` with these headers and (if given) this body element.
fn response_envelope<O>(version: SoapVersion, headers: &UserResponseHeaders, body: Option<&O::Response>) -> Vec<u8>
where
    O: Operation<ResponseHeaders = UserResponseHeaders>,
    O::Response: Encode,
{
    let (ns, local) = O::RESPONSE_ELEMENT;
    let tag = format!("{}:{local}", prefix_of::<O>(ns));
    let mut w = XmlWriter::new();
    wsdlgen_runtime::codegen::soap::write_envelope(
        &mut w,
        version,
        O::NAMESPACES,
        |w| {
            let n0 = prefix_of::<O>(user::NS0);
            w.nillable(&format!("{n0}:ExceptionInfo"), &headers.exception_info);
            w.nillable_as(user::SoExtraInfo, &format!("{n0}:ExtraInfo"), &headers.extra_info);
            w.optional(&format!("{n0}:Succeeded"), &headers.succeeded);
            w.nillable(&format!("{n0}:TimeZone"), &headers.time_zone);
        },
        |w| {
            if let Some(body) = body {
                body.encode(w, &tag);
            }
        },
    );
    w.into_inner()
}

/// Which check an input reached: the smoke test counts them, to show that mutated inputs get
/// past the decoder's refusals to the round trips.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Branch {
    /// A reply decoded, was written back and decoded equal.
    Reply,
    /// A service error decoded and round tripped.
    ServiceError,
    /// A fault decoded and round tripped.
    Fault,
    /// The input was refused with a decode error (its message built).
    Refused,
}

/// Decodes `data` as a response of `O` and checks the round trip of whatever it decodes.
pub fn decode_roundtrip<O>(data: &[u8]) -> Branch
where
    O: Operation<ResponseHeaders = UserResponseHeaders>,
    O::Response: Encode + PartialEq + Debug,
{
    let limits = DecodeLimits::default();
    match decode_response::<O>(data, limits) {
        Ok(reply) => {
            let again = response_envelope::<O>(reply.version, &reply.headers, Some(&reply.body));
            match decode_response::<O>(&again, limits) {
                Ok(second) => {
                    same(&reply.body, &second.body, "the body", data, &again);
                    same(&reply.headers, &second.headers, "the headers", data, &again);
                    assert_eq!(reply.version, second.version);
                    Branch::Reply
                }
                Err(e) => panic!(
                    "a decoded reply, written back, does not decode: {e}\n  value: {reply:?}\n  input: {}\n  again: {}",
                    show(data),
                    show(&again)
                ),
            }
        }
        Err(Error::Service(info)) => {
            let headers = UserResponseHeaders {
                succeeded: Some(false),
                exception_info: Nillable::Value((*info).clone()),
                ..Default::default()
            };
            let again = response_envelope::<O>(SoapVersion::Soap11, &headers, None);
            match decode_response::<O>(&again, limits) {
                Err(Error::Service(second)) => {
                    same(&info, &second, "the service error", data, &again);
                    Branch::ServiceError
                }
                other => panic!(
                    "a service error, written back, decodes as {other:?}\n  input: {}\n  again: {}",
                    show(data),
                    show(&again)
                ),
            }
        }
        Err(Error::Fault(fault)) => {
            fault_roundtrip(&fault, data);
            Branch::Fault
        }
        Err(Error::Decode(e)) => {
            // The message is built (positions, paths) without panicking.
            let _ = e.to_string();
            Branch::Refused
        }
        Err(other) => panic!("decode_response gave an error it cannot give: {other:?}"),
    }
}

/// Decodes `data` through an operation chosen by its first byte; a fault must round trip.
pub fn decode_any_operation(data: &[u8]) -> Branch {
    let (choice, rest) = match data.split_first() {
        Some((c, rest)) if !c.is_ascii_whitespace() && *c != b'<' => (*c, rest),
        _ => (0, data),
    };
    match choice % 3 {
        0 => decode_roundtrip::<user::SaveCredential>(rest),
        1 => decode_roundtrip::<user::GetUser>(rest),
        _ => decode_roundtrip::<user::GetUserInfoList>(rest),
    }
}

/// The prefix of a QName value (`""` when it has none).
fn qname_prefix(value: &str) -> &str {
    value.split_once(':').map_or("", |(p, _)| p)
}

/// Writes `fault` as a complete response envelope of its version.
pub fn fault_envelope(fault: &Fault) -> (Vec<u8>, String) {
    // The envelope prefix must not capture the code's prefix (an unbound prefix stays unbound).
    let env = ["e", "f", "g"].into_iter().find(|p| *p != qname_prefix(&fault.code)).unwrap();
    let tag = |local: &str| format!("{env}:{local}");
    let mut w = XmlWriter::new();
    w.open(&tag("Envelope"));
    w.attribute(&format!("xmlns:{env}"), fault.version.envelope_ns());
    w.close_open();
    w.start(&tag("Body"));
    w.start(&tag("Fault"));
    // The code, declaring the namespace its prefix had where it was read.
    let code = |w: &mut XmlWriter, element: &str| {
        w.open(element);
        if let Some(uri) = &fault.code_ns {
            match qname_prefix(&fault.code) {
                "" => w.attribute("xmlns", uri),
                p => w.attribute(&format!("xmlns:{p}"), uri),
            }
        }
        w.close_open();
        w.text(&fault.code);
        w.end(element);
    };
    let text = |w: &mut XmlWriter, element: &str, value: &str, lang: Option<&str>| {
        w.open(element);
        if let Some(lang) = lang {
            w.attribute("xml:lang", lang);
        }
        w.close_open();
        w.text(value);
        w.end(element);
    };
    match fault.version {
        SoapVersion::Soap11 => {
            code(&mut w, "faultcode");
            text(&mut w, "faultstring", &fault.reason, fault.reason_lang.as_deref());
            if let Some(actor) = &fault.actor {
                text(&mut w, "faultactor", actor, None);
            }
            if let Some(detail) = &fault.detail {
                detail.encode(&mut w, "detail");
            }
        }
        SoapVersion::Soap12 => {
            w.start(&tag("Code"));
            code(&mut w, &tag("Value"));
            for sub in &fault.subcodes {
                w.start(&tag("Subcode"));
                text(&mut w, &tag("Value"), sub, None);
            }
            for _ in &fault.subcodes {
                w.end(&tag("Subcode"));
            }
            w.end(&tag("Code"));
            w.start(&tag("Reason"));
            text(&mut w, &tag("Text"), &fault.reason, fault.reason_lang.as_deref());
            w.end(&tag("Reason"));
            if let Some(node) = &fault.node {
                text(&mut w, &tag("Node"), node, None);
            }
            if let Some(role) = &fault.actor {
                text(&mut w, &tag("Role"), role, None);
            }
            if let Some(detail) = &fault.detail {
                detail.encode(&mut w, &tag("Detail"));
            }
        }
    }
    w.end(&tag("Fault"));
    w.end(&tag("Body"));
    w.end(&tag("Envelope"));
    (w.into_inner(), env.to_owned())
}

/// A decoded fault, written back, decodes to the same fault.
pub fn fault_roundtrip(fault: &Fault, input: &[u8]) {
    let _ = fault.to_string();
    if let Some(detail) = &fault.detail {
        // Typed detail decoding of arbitrary content must fail cleanly, not panic.
        let _ = detail.decode_child::<user::SoExceptionInfo>(user::NS0, "SoExceptionInfo");
        let _ = fault.decode_detail::<String>("", "string");
    }
    let (again, env) = fault_envelope(fault);
    let second = match decode_response::<user::SaveCredential>(&again, DecodeLimits::default()) {
        Err(Error::Fault(second)) => second,
        other => panic!(
            "a fault, written back, decodes as {other:?}\n  fault: {fault:?}\n  input: {}\n  again: {}",
            show(input),
            show(&again)
        ),
    };
    let strip = |f: &Fault| {
        let mut f = f.clone();
        f.detail = None;
        f
    };
    same(&strip(fault), &strip(&second), "the fault", input, &again);
    match (&fault.detail, &second.detail) {
        (None, None) => {}
        (Some(a), Some(b)) => {
            same(&a.xml, &b.xml, "the fault detail", input, &again);
            same_bindings(a, b, &env, fault.version, input, &again);
        }
        _ => same(&fault.detail, &second.detail, "the fault detail", input, &again),
    }
}

/// The bindings a detail keeps are the same, except that the rewritten envelope's own prefix
/// may be added (when the detail's text mentions `{env}:`); their order may differ.
fn same_bindings(a: &RawXml, b: &RawXml, env: &str, version: SoapVersion, input: &[u8], again: &[u8]) {
    let first: BTreeSet<&(String, String)> = a.namespaces.iter().collect();
    let envelope_binding = (env.to_owned(), version.envelope_ns().to_owned());
    let second: BTreeSet<&(String, String)> =
        b.namespaces.iter().filter(|binding| first.contains(binding) || **binding != envelope_binding).collect();
    same(&first, &second, "the namespace bindings of the fault detail", input, again);
}

/// Runs the generator on `data` as WSDL text named `fuzz.wsdl` in a directory that does not
/// exist (so relative imports fail cleanly).
pub fn generate(data: &[u8], format: bool) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("/nonexistent-wsdlgen-fuzz/fuzz.wsdl");
    match wsdlgen::Builder::new().format(format).generate_from_str(path, text) {
        Ok(generated) => {
            assert!(generated.code.starts_with("// @generated by wsdlgen"));
        }
        Err(wsdlgen::Error::Format(e)) => {
            panic!("the generator emitted code that does not parse: {e}\n  input: {text}")
        }
        Err(e @ (wsdlgen::Error::Read(_) | wsdlgen::Error::Resolve(_))) => {
            let message = e.to_string();
            assert!(has_position(&message), "an error without a file:line:col position: {message}");
        }
        Err(e) => panic!("unexpected generator error: {e}"),
    }
}

/// Whether `message` starts with `path:line:col: `.
pub fn has_position(message: &str) -> bool {
    let Some((head, _)) = message.split_once(": ") else {
        return false;
    };
    let mut parts = head.rsplitn(3, ':');
    let col = parts.next().unwrap_or_default();
    let line = parts.next().unwrap_or_default();
    let file = parts.next().unwrap_or_default();
    !file.is_empty() && line.parse::<u32>().is_ok_and(|l| l > 0) && col.parse::<u32>().is_ok_and(|c| c > 0)
}

/// What the whole generator (read, resolve, emit, format) made of a WSDL text.
#[derive(Debug)]
pub enum Outcome {
    /// Bindings that parse as Rust.
    Generated(String),
    /// A refusal with a `file:line:col:` position, by the stage that refused.
    Refused {
        /// `read` or `resolve`.
        stage: &'static str,
        /// The error message.
        message: String,
    },
    /// A bug: code that does not parse, an error without a position, an error no stage should give.
    Bug(String),
}

/// Runs the generator, formatting on (so the output is parsed), on `text` named `path` (relative
/// imports are read next to it; remote ones from the local copies `locations` names). Panics are
/// the caller's to catch.
pub fn generate_outcome(path: &Path, text: &str, locations: &[(&str, &Path)]) -> Outcome {
    let mut builder = wsdlgen::Builder::new();
    builder.format(true);
    for (location, file) in locations {
        builder.location(*location, file);
    }
    match builder.generate_from_str(path, text) {
        Ok(generated) if generated.code.starts_with("// @generated by wsdlgen") => Outcome::Generated(generated.code),
        Ok(generated) => Outcome::Bug(format!("output without the @generated line: {:.200}", generated.code)),
        Err(wsdlgen::Error::Format(e)) => Outcome::Bug(format!("the generated code does not parse: {e}")),
        Err(e @ (wsdlgen::Error::Read(_) | wsdlgen::Error::Resolve(_))) => {
            let stage = if matches!(e, wsdlgen::Error::Read(_)) { "read" } else { "resolve" };
            let internal =
                matches!(&e, wsdlgen::Error::Resolve(r) if matches!(r.kind, wsdlgen::ResolveErrorKind::Internal(_)));
            let message = e.to_string();
            if internal || message.contains("internal error") {
                Outcome::Bug(message)
            } else if has_position(&message) {
                Outcome::Refused { stage, message }
            } else {
                Outcome::Bug(format!("an error without a file:line:col position: {message}"))
            }
        }
        Err(e) => Outcome::Bug(format!("unexpected generator error: {e}")),
    }
}
