//! The SuperOffice documentation's SOAP examples (`tests/fixtures/examples/*.md`, copied from the
//! vendor's pages) decode to the values they show.
//!
//! The examples are SOAP 1.2 envelopes with a prefix on every element, `xsi:type` on every element,
//! empty strings, zeros, and the request header entries (`ApplicationToken`, `Credentials`)
//! placed directly under `Envelope` instead of inside `Header`. For each example:
//!
//! - the body element decodes with the generated type (request or response element), and the
//!   value, encoded again, equals the example body (canonical trees, `xsi:type` ignored): every
//!   value shown came through, nothing was added;
//! - responses decode through `wsdlgen_runtime::codegen::decode_response` as SOAP 1.2;
//! - request envelopes, read with the runtime's envelope reader, give no header entries: see
//!   `header_entries_outside_header_are_not_headers` for why that is right.

use std::collections::BTreeMap;
use std::path::Path;

use roxmltree::Document;
use services87::user::{self, NAMESPACES, NS0};
use wsdlgen_runtime::codegen::soap::{HeaderSink, read_envelope};
use wsdlgen_runtime::codegen::xml::from_xml;
use wsdlgen_runtime::codegen::{Start, XmlReader, XmlWriter};
use wsdlgen_runtime::{Decode, DecodeError, DecodeLimits, Encode, Operation, SoapVersion};
use wsdlgen_tests::support::instance::{
    CanonOptions, QName, SOAP12_NS, XSI_NS, canonical, canonical_with, diff, standalone, xmllint_batch,
};
use wsdlgen_tests::support::schema::WsdlSchemas;

/// The request and response envelopes of one example page.
struct Example {
    operation: String,
    request: String,
    response: String,
}

fn examples() -> Vec<Example> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples");
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("fixtures/examples").map(|e| e.unwrap().path()).collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let operation = file.file_stem().unwrap().to_string_lossy().into_owned();
        let block = |heading: &str| -> String {
            let at = text.find(&format!("## {operation} {heading}")).unwrap_or_else(|| panic!("{heading} in {file:?}"));
            let start = text[at..].find("```xml\n").unwrap() + at + "```xml\n".len();
            let end = text[start..].find("```").unwrap() + start;
            text[start..end].trim().to_owned()
        };
        out.push(Example { request: block("Request"), response: block("Response"), operation });
    }
    assert_eq!(out.len(), 4, "four example pages");
    out
}

/// The body element of an envelope, as a standalone document.
fn body_element(envelope: &str) -> String {
    let doc = Document::parse(envelope).expect("well-formed example");
    let body = doc.root_element().children().find(|n| n.has_tag_name((SOAP12_NS, "Body"))).expect("Body");
    standalone(body.children().find(|n| n.is_element()).expect("body element"))
}

/// Compares a value encoded again with the example's element, ignoring `xsi:type` and the
/// indentation inside the empty `GetCredentialTypes` element (no string in the examples is only
/// whitespace: they are all empty).
fn shows_the_same(example: &str, encoded: &str) -> Result<(), String> {
    let ignore = CanonOptions {
        ignore_attributes: vec![QName::new(XSI_NS, "type")],
        blank_text_is_empty: true,
        ..Default::default()
    };
    let expected = canonical_with(example, &ignore)?;
    let actual = canonical(encoded)?;
    match diff(&expected, &actual) {
        None => Ok(()),
        Some(d) => Err(format!("{d}\nencoded again: {encoded}")),
    }
}

fn encode<T: Encode>(value: &T, tag: &str) -> String {
    let mut w = XmlWriter::new();
    w.declare_on_next(NAMESPACES);
    value.encode(&mut w, tag);
    String::from_utf8(w.into_inner()).unwrap()
}

/// A header sink that records every entry offered to it (and takes none).
#[derive(Default)]
struct Recorder(Vec<String>);

impl HeaderSink for Recorder {
    fn decode_entry<'a>(&mut self, _: &mut XmlReader<'a>, start: &Start<'a>) -> Result<bool, DecodeError> {
        self.0.push(start.local().to_owned());
        Ok(false)
    }
}

/// The example request read the way the runtime reads envelopes: the body decoded as `O`, and
/// the header entries that reached the header sink.
fn read_request<O: Decode>(envelope: &str) -> Result<(O, Vec<String>), DecodeError> {
    let mut recorder = Recorder::default();
    let (version, body) =
        read_envelope(envelope.as_bytes(), DecodeLimits::default(), &mut recorder, |r, start| match start {
            Some(start) => O::decode(r, start),
            None => Err(r.error(wsdlgen_runtime::DecodeErrorKind::Envelope("the Body is empty".into()))),
        })?;
    assert_eq!(version, SoapVersion::Soap12);
    match body {
        wsdlgen_runtime::codegen::soap::Body::Response(value) => Ok((value, recorder.0)),
        wsdlgen_runtime::codegen::soap::Body::Fault(f) => panic!("unexpected fault {f}"),
    }
}

/// The request of one example, checked with the generated request type `O`.
fn check_request<O>(example: &Example) -> Result<(), String>
where
    O: Operation + Decode,
    O::Response: Encode,
{
    let request_body = body_element(&example.request);
    let request: O = from_xml(request_body.as_bytes(), NS0, O::NAME).map_err(|e| format!("request body: {e}"))?;
    shows_the_same(&request_body, &encode(&request, O::REQUEST_TAG)).map_err(|e| format!("request: {e}"))?;

    let (from_envelope, headers) = read_request::<O>(&example.request).map_err(|e| format!("request envelope: {e}"))?;
    if encode(&from_envelope, O::REQUEST_TAG) != encode(&request, O::REQUEST_TAG) {
        return Err("the request read from the envelope differs from the body decoded alone".into());
    }
    if !headers.is_empty() {
        return Err(format!("entries outside Header were taken as header entries: {headers:?}"));
    }
    Ok(())
}

fn check_response<O>(example: &Example) -> Result<(), String>
where
    O: Operation,
    O::Response: Encode,
{
    let reply = wsdlgen_runtime::codegen::decode_response::<O>(example.response.as_bytes(), DecodeLimits::default())
        .map_err(|e| format!("response: {e}"))?;
    if reply.version != SoapVersion::Soap12 {
        return Err(format!("response decoded as {:?}", reply.version));
    }
    let (_, local) = O::RESPONSE_ELEMENT;
    // The documentation marks four elements of the innermost MDOListItem `xsi:nil` although the
    // schema does not declare them nillable (see `example_bodies_against_the_schema`): the value
    // they show is "no value", which for these optional elements is their absence.
    let mut shown = body_element(&example.response);
    for local in ["Id", "Deleted", "Rank", "ColorBlock"] {
        shown = shown.replace(&format!("<User:{local} xsi:nil=\"true\"></User:{local}>"), "");
    }
    shows_the_same(&shown, &encode(&reply.body, &format!("n0:{local}"))).map_err(|e| format!("response: {e}"))
}

/// Known failures: ("Operation request|response", bug).
const KNOWN_FAILURES: &[(&str, &str)] = &[];

#[test]
fn documented_examples_decode_to_the_values_they_show() {
    let mut problems = BTreeMap::new();
    for example in examples() {
        let results = match example.operation.as_str() {
            "GetCredentialTypes" => [
                check_request::<user::GetCredentialTypes>(&example),
                check_response::<user::GetCredentialTypes>(&example),
            ],
            "GetUser" => [check_request::<user::GetUser>(&example), check_response::<user::GetUser>(&example)],
            "SaveCredential" => {
                [check_request::<user::SaveCredential>(&example), check_response::<user::SaveCredential>(&example)]
            }
            "SaveUser" => [check_request::<user::SaveUser>(&example), check_response::<user::SaveUser>(&example)],
            other => panic!("no check for the example {other}"),
        };
        for (what, result) in ["request", "response"].into_iter().zip(results) {
            if let Err(e) = result {
                problems.insert(format!("{} {what}", example.operation), e);
            }
        }
    }
    let mut report = Vec::new();
    for (op, e) in &problems {
        if !KNOWN_FAILURES.iter().any(|(k, _)| k == op) {
            report.push(format!("{op}: {e}"));
        }
    }
    for (op, why) in KNOWN_FAILURES {
        if !problems.contains_key(*op) {
            report.push(format!("{op} passes now: remove it from KNOWN_FAILURES ({why})"));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n\n"));
}

/// SOAP 1.2 (part 1, 5.1) and SOAP 1.1 (4.1) allow only `Header` and `Body` as children of
/// `Envelope`; a header block is a child of `Header`. The examples' `ApplicationToken` and
/// `Credentials` directly under `Envelope` are therefore not header blocks, and a receiver that
/// treated them as such would process data no conforming sender marks as a header (and, for a
/// client reading responses, could take a ticket or token from outside the headers). The runtime
/// skips them; this reads the request examples with its envelope reader to show it.
#[test]
fn header_entries_outside_header_are_not_headers() {
    for example in examples() {
        let doc = Document::parse(&example.request).unwrap();
        let misplaced: Vec<&str> = doc
            .root_element()
            .children()
            .filter(|n| n.is_element() && !n.has_tag_name((SOAP12_NS, "Body")))
            .map(|n| n.tag_name().name())
            .collect();
        assert_eq!(misplaced, ["ApplicationToken", "Credentials"], "{}", example.operation);
        let (_, headers) = read_request::<user::GetCredentialTypes>(
            &example.request.replace(&format!("User:{}>", example.operation), "User:GetCredentialTypes>"),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", example.operation));
        assert!(headers.is_empty(), "{}: {headers:?}", example.operation);
    }
}

/// What the schema says of the examples' bodies: xmllint validates them against the WSDL's
/// schemas. `SaveCredential` validates, as services87-notes.md says. Three do not, for reasons of
/// the documentation, not of the service: the `GetUser` and `SaveUser` responses put
/// `xsi:nil="true"` on `Id`, `Deleted`, `Rank` and `ColorBlock` of the innermost `MDOListItem`,
/// elements the schema does not declare nillable; the `GetCredentialTypes` request indents the
/// inside of its element, whose content type is empty (whitespace is character content there).
#[test]
fn example_bodies_against_the_schema() {
    let xsd = WsdlSchemas::from_wsdl(Path::new(env!("CARGO_MANIFEST_DIR")).join("../wsdl/Services87-User.wsdl"))
        .expect("schemas");
    let mut docs = Vec::new();
    let mut labels = Vec::new();
    for example in examples() {
        for (what, envelope) in [("request", &example.request), ("response", &example.response)] {
            docs.push(body_element(envelope).into_bytes());
            labels.push(format!("{} {what}", example.operation));
        }
    }
    let refs: Vec<&[u8]> = docs.iter().map(Vec::as_slice).collect();
    let results = xmllint_batch(xsd.root_xsd(), &refs);
    let invalid: Vec<&str> = labels.iter().zip(&results).filter(|(_, r)| r.is_err()).map(|(l, _)| l.as_str()).collect();
    assert_eq!(invalid, ["GetCredentialTypes request", "GetUser response", "SaveUser response"], "{results:#?}");
    for (label, result) in labels.iter().zip(&results) {
        if let Err(e) = result {
            for line in e.lines().filter(|l| !l.trim().is_empty()) {
                assert!(
                    line.contains("The element is not 'nillable'")
                        || line.contains("'' is not a valid value of the atomic type")
                        || line.contains("Character content is not allowed, because the content type is empty"),
                    "{label}: unexpected schema error {line}"
                );
            }
        }
    }
}

/// The documentation's `<User:Id xsi:nil="true"></User:Id>` reduced to its essence: an optional
/// element (`minOccurs="0"`) that the schema does not declare nillable, sent as nil. Its value is
/// "none", which the generated `Option` holds without loss, so it should decode as `None`.
#[test]
fn nil_on_an_optional_element_that_is_not_nillable_is_absent() {
    let xml = format!(
        r#"<MDOListItem xmlns="{NS0}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Id i:nil="true"></Id><Name>x</Name><Deleted i:nil="true"/><Rank i:nil="true"/><ColorBlock i:nil="true"/></MDOListItem>"#
    );
    let item: user::MdoListItem = from_xml(xml.as_bytes(), NS0, "MDOListItem").expect("decodes");
    assert_eq!((item.id, item.deleted, item.rank, item.color_block), (None, None, None, None));
    assert_eq!(item.name, wsdlgen_runtime::Nillable::Value("x".to_owned()));
}

/// Where rejecting is right: a nil item of a list whose items are not nillable (`ArrayOfint`,
/// `Vec<i32>`) has no value to put in its place, and dropping it would shift every later item.
#[test]
fn nil_item_of_a_list_without_nillable_items_is_an_error() {
    let xml = format!(
        r#"<SetFunctionalRights xmlns="{NS0}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><FunctionalRightIds xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><a:int>1</a:int><a:int i:nil="true"/><a:int>3</a:int></FunctionalRightIds></SetFunctionalRights>"#
    );
    let err = from_xml::<user::SetFunctionalRights>(xml.as_bytes(), NS0, "SetFunctionalRights").unwrap_err();
    assert!(err.to_string().contains("FunctionalRightIds/int"), "{err}");
}
