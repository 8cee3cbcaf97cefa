//! Inputs the fuzz targets (`fuzz/`) failed on, minimized by hand, each with the bug it showed.
//! The inputs as the fuzzer found them are in `fuzz/regressions/<target>/`, replayed through the
//! targets' oracles by `tests/tests/fuzz_smoke.rs`.

use wsdlgen_runtime::codegen::XmlWriter;
use wsdlgen_runtime::codegen::soap::{Body, SOAP11_ENV_NS, read_envelope};
use wsdlgen_runtime::codegen::xml::from_xml;
use wsdlgen_runtime::{DecodeError, DecodeErrorKind, DecodeLimits, RawXml};

const NS: &str = "urn:test";

fn text_of(xml: &str) -> Result<String, DecodeError> {
    from_xml::<String>(xml.as_bytes(), NS, "v")
}

fn assert_not_a_char(result: Result<impl std::fmt::Debug, DecodeError>, code: &str) {
    let e = result.expect_err("a character XML 1.0 does not allow must be refused");
    assert!(matches!(e.kind, DecodeErrorKind::Syntax(_)), "{e:?}");
    assert!(e.to_string().contains(&format!("the character {code} is not allowed in XML 1.0")), "{e}");
}

/// Found by every decode target within seconds (the fault, service-error and body round trips):
/// a control character in text, raw (`\u{1}`, NUL...) or as a reference (`&#1;`), was accepted,
/// so a value decoded that no XML document can carry: written back, the writer put U+FFFD in
/// its place and the value changed. XML 1.0 allows tab, line feed and carriage return only.
/// Fixed in `XmlReader`: `root()` scans the document for characters outside XML's `Char`
/// production, and references to them are refused in text and in attribute values.
#[test]
fn control_characters_are_not_xml() {
    for raw in ['\u{0}', '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\u{1a}', '\u{1f}', '\u{fffe}', '\u{ffff}'] {
        let code = format!("U+{:04X}", u32::from(raw));
        assert_not_a_char(text_of(&format!("<v xmlns=\"{NS}\">a{raw}b</v>")), &code);
        // Anywhere in the document: in skipped content, comments, attribute values.
        assert_not_a_char(text_of(&format!("<v xmlns=\"{NS}\"><!-- {raw} -->ab</v>")), &code);
        assert_not_a_char(text_of(&format!("<v xmlns=\"{NS}\" a=\"{raw}\">ab</v>")), &code);
    }
    for reference in ["&#1;", "&#x1F;", "&#xFFFE;", "&#65535;", "&#x0B;"] {
        let e = text_of(&format!("<v xmlns=\"{NS}\">a{reference}b</v>"));
        assert!(e.unwrap_err().to_string().contains("is not allowed in XML 1.0"), "{reference}");
        // In an attribute value, read or not.
        let e = text_of(&format!("<v xmlns=\"{NS}\" a=\"x{reference}\">ab</v>"));
        assert!(e.unwrap_err().to_string().contains("is not allowed in XML 1.0"), "{reference}");
    }
    // The offset points at the character.
    let doc = format!("<v xmlns=\"{NS}\">ab\u{1}</v>");
    let e = text_of(&doc).unwrap_err();
    assert_eq!(e.offset, doc.find('\u{1}').unwrap() as u64);
}

/// What XML allows still decodes: tab, line feed, carriage return (as a reference; a raw one
/// is a line end), the edges of the allowed ranges.
#[test]
fn the_characters_xml_allows_still_decode() {
    let v = text_of(&format!(
        "<v xmlns=\"{NS}\">\t\n&#xD;&#x9;&#xA; \u{d7ff}\u{e000}\u{fffd}\u{10000}\u{10ffff}&#x10FFFF;</v>"
    ));
    assert_eq!(v.unwrap(), "\t\n\r\t\n \u{d7ff}\u{e000}\u{fffd}\u{10000}\u{10ffff}\u{10ffff}");
}

/// The decode_fault input: a SOAP 1.1 fault whose `faultstring` holds U+0019. It decoded as a
/// fault whose reason could not be written back; now the envelope is refused.
#[test]
fn a_fault_with_a_control_character_is_refused() {
    let envelope = format!(
        "<s:Envelope xmlns:s=\"{SOAP11_ENV_NS}\"><s:Body><s:Fault><faultcode>s:Client</faultcode>\
         <faultstring>The server was\u{19}unable to process the request</faultstring></s:Fault></s:Body></s:Envelope>"
    );
    let result = read_envelope(envelope.as_bytes(), DecodeLimits::default(), &mut (), |r, start| match start {
        Some(start) => r.skip(start),
        None => Ok(()),
    });
    match result {
        Err(e) => assert!(e.to_string().contains("the character U+0019 is not allowed in XML 1.0"), "{e}"),
        Ok((_, Body::Fault(f))) => panic!("decoded a fault XML cannot carry: {f:?}"),
        Ok(_) => panic!("decoded"),
    }
}

/// Raw XML kept from a message (a fault detail, `anyType` content) went through the same
/// reader: it cannot hold such a character either, so writing it back stays well-formed.
#[test]
fn raw_xml_decoded_from_a_message_has_only_xml_characters() {
    let doc = format!("<v xmlns=\"{NS}\"><d>\u{7}</d></v>");
    assert_not_a_char(from_xml::<RawXml>(doc.as_bytes(), NS, "v"), "U+0007");
    let ok = from_xml::<RawXml>(format!("<v xmlns=\"{NS}\"><d>&#xD;</d></v>").as_bytes(), NS, "v").unwrap();
    let mut w = XmlWriter::new();
    w.raw(&ok.xml);
    assert_eq!(w.invalid_char(), None);
}

/// Found by decode_fault after 5 minutes (about 4 million executions): a response starting with
/// a UTF-8 byte order mark had every piece of raw XML cut 3 bytes off: quick-xml skips the mark
/// without counting it in its positions, and raw XML is sliced from the input by position. A
/// fault detail came out as `il><so:SoExceptionInfo ...</so:SoExceptionIn` (then failed to
/// decode, or, written back, made a document that is not well-formed). Fixed in
/// `XmlReader::with_limits`: the mark is skipped before the tokenizer (then quick-xml) sees the
/// input, so that offsets count in the same bytes raw XML is sliced from.
#[test]
fn a_byte_order_mark_does_not_shift_raw_xml() {
    let detail = "<so:Info xmlns:so=\"urn:so\"><so:Message>boom</so:Message></so:Info>";
    let envelope = format!(
        "\u{feff}<s:Envelope xmlns:s=\"{SOAP11_ENV_NS}\"><s:Body><s:Fault><faultcode>s:Server</faultcode>\
         <faultstring>x</faultstring><detail>{detail}</detail></s:Fault></s:Body></s:Envelope>"
    );
    let (_, body) = read_envelope(envelope.as_bytes(), DecodeLimits::default(), &mut (), |r, start| match start {
        Some(start) => r.skip(start),
        None => Ok(()),
    })
    .unwrap();
    let Body::Fault(fault) = body else { panic!("not a fault") };
    assert_eq!(fault.detail.as_ref().unwrap().xml, detail);
    let message: String = fault.detail.unwrap().decode_child::<Info>("urn:so", "Info").unwrap().0;
    assert_eq!(message, "boom");

    // Any raw XML: anyType content, mixed content.
    let raw = from_xml::<RawXml>(format!("\u{feff}<v xmlns=\"{NS}\"><a>1</a>tail</v>").as_bytes(), NS, "v").unwrap();
    assert_eq!(raw.xml, "<a>1</a>tail");
}

/// The detail element of the test above: its `Message`.
struct Info(String);

impl wsdlgen_runtime::Decode for Info {
    fn decode<'a>(
        r: &mut wsdlgen_runtime::codegen::XmlReader<'a>,
        _: &wsdlgen_runtime::codegen::Start<'a>,
    ) -> Result<Self, DecodeError> {
        let mut message = String::new();
        while let Some(child) = r.next_child()? {
            if child.is("urn:so", "Message") {
                message = r.text(&child)?.into_owned();
            } else {
                r.skip(&child)?;
            }
        }
        Ok(Info(message))
    }
}
