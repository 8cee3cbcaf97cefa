//! Hostile and malformed XML against the reader and the envelope decoder: every case ends in
//! a typed error (or decodes, when the input is harmless), quickly, without deep recursion and
//! with memory bounded by the input.

use std::time::{Duration, Instant};

use wsdlgen_runtime::codegen::soap::{Body, HeaderSink, SOAP11_ENV_NS, SOAP12_ENV_NS, read_envelope};
use wsdlgen_runtime::codegen::xml::MAX_NAMESPACE_BINDINGS;
use wsdlgen_runtime::codegen::{SimpleType, Start, XmlReader, XmlWriter};
use wsdlgen_runtime::{
    Decode, DecodeError, DecodeErrorKind, DecodeLimits, Encode, FlagSet, SoapVersion, ValueError, XmlList,
};

const NS: &str = "urn:test";

/// Generous bound for work that should take microseconds (debug build, shared machine): a
/// guard against hangs and quadratic blow-ups (which take minutes on these inputs), not a speed
/// target. 500 ms was seen exceeded on a 2-core machine running three other builds.
const QUICK: Duration = Duration::from_secs(2);

/// An element with text and any number of `Item` children, decoded recursively (one call per
/// level, like generated decoders).
#[derive(Debug, Default, PartialEq)]
struct Node {
    text: Option<String>,
    items: Vec<Node>,
}

impl Encode for Node {
    fn encode(&self, w: &mut XmlWriter, tag: &str) {
        w.start(tag);
        w.end(tag);
    }
}

impl Decode for Node {
    fn decode<'a>(r: &mut XmlReader<'a>, _start: &Start<'a>) -> Result<Self, DecodeError> {
        let mut node = Node::default();
        while let Some(child) = r.next_child()? {
            match child.local() {
                "Item" if child.ns() == NS => r.repeated(&child, &mut node.items)?,
                "Text" if child.ns() == NS => r.optional(&child, &mut node.text)?,
                _ => r.skip(&child)?,
            }
        }
        Ok(node)
    }
}

/// A body with a required `Value` (an `xs:int`) and optional `Ints` (an `xs:list` of ints).
#[derive(Debug, Default, PartialEq)]
struct Resp {
    value: i32,
    ints: Option<XmlList<i32>>,
}

impl Decode for Resp {
    fn decode<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self, DecodeError> {
        let mut value = None;
        let mut ints = None;
        while let Some(child) = r.next_child()? {
            match child.local() {
                "Value" if child.ns() == NS => r.optional(&child, &mut value)?,
                "Ints" if child.ns() == NS => r.optional(&child, &mut ints)?,
                _ => r.skip(&child)?,
            }
        }
        Ok(Resp { value: r.require(start, "Value", value)?, ints })
    }
}

impl Encode for Resp {
    fn encode(&self, w: &mut XmlWriter, tag: &str) {
        w.start(tag);
        w.end(tag);
    }
}

/// Knows the header entry `{urn:test}Known`.
#[derive(Default)]
struct Known(Option<String>);

impl HeaderSink for Known {
    fn decode_entry<'a>(&mut self, r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<bool, DecodeError> {
        if start.is(NS, "Known") {
            r.optional(start, &mut self.0)?;
            Ok(true)
        } else {
            Ok(false)
        }
    }
}

fn envelope11(header: &str, body: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="{SOAP11_ENV_NS}" xmlns:t="{NS}"><s:Header>{header}</s:Header><s:Body>{body}</s:Body></s:Envelope>"#
    )
}

fn envelope12(header: &str, body: &str) -> String {
    format!(
        r#"<e:Envelope xmlns:e="{SOAP12_ENV_NS}" xmlns:t="{NS}"><e:Header>{header}</e:Header><e:Body>{body}</e:Body></e:Envelope>"#
    )
}

/// Reads an envelope whose body must be `{urn:test}Resp`.
fn read(input: &[u8], limits: DecodeLimits) -> Result<(SoapVersion, Body<Resp>), DecodeError> {
    read_envelope(input, limits, &mut Known::default(), |r, start| {
        let start = start.ok_or_else(|| r.error(DecodeErrorKind::Envelope("the Body is empty".into())))?;
        r.expect(start, NS, "Resp")?;
        Resp::decode(r, start)
    })
}

fn response(input: &str) -> Result<Resp, DecodeError> {
    match read(input.as_bytes(), DecodeLimits::default())? {
        (_, Body::Response(resp)) => Ok(resp),
        (_, Body::Fault(f)) => panic!("unexpected fault {f:?}"),
    }
}

/// Decodes `input` as a document whose root is `{urn:test}Root`, a [`Node`].
fn node(input: &[u8], limits: DecodeLimits) -> Result<Node, DecodeError> {
    let mut r = XmlReader::with_limits(input, limits);
    let root = r.root()?;
    r.expect(&root, NS, "Root")?;
    let node = Node::decode(&mut r, &root)?;
    r.finish()?;
    Ok(node)
}

/// Runs `f` and returns its result, failing if it took longer than `bound`.
fn timed<T>(bound: Duration, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    let took = started.elapsed();
    assert!(took < bound, "took {took:?}, more than {bound:?}");
    out
}

/// Runs `f` on a thread with a 2 MiB stack (the default for spawned threads and tokio workers).
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 * 1024 * 1024).spawn(f).expect("spawn").join().expect("no panic")
}

fn kind(e: &DecodeError) -> &DecodeErrorKind {
    &e.kind
}

// ---------------------------------------------------------------------------------------------
// DTDs and entities
// ---------------------------------------------------------------------------------------------

#[test]
fn billion_laughs_is_refused_in_milliseconds() {
    let mut doc = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    doc.push_str(" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
    for i in 2..=9 {
        let prev = format!("&lol{};", i - 1).repeat(10);
        doc.push_str(&format!(" <!ENTITY lol{i} \"{prev}\">\n"));
    }
    doc.push_str("]>\n");
    doc.push_str(&envelope11("", "<t:Resp><t:Value>&lol9;</t:Value></t:Resp>"));
    let e = timed(QUICK, || read(doc.as_bytes(), DecodeLimits::default())).unwrap_err();
    assert_eq!(kind(&e), &DecodeErrorKind::DocType, "{e}");
    assert!(e.to_string().contains("DOCTYPE"), "{e}");

    // The same reference without its DTD is an undefined entity.
    let doc = envelope11("", "<t:Resp><t:Value>&lol9;</t:Value></t:Resp>");
    let e = timed(QUICK, || response(&doc)).unwrap_err();
    assert_eq!(kind(&e), &DecodeErrorKind::UnknownEntity("lol9".into()), "{e}");
    assert_eq!(e.path, "Envelope/Body/Resp/Value");
}

#[test]
fn external_entities_are_refused_and_nothing_is_fetched() {
    // A listener the payloads point at: it must never see a connection.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/evil.dtd", listener.local_addr().unwrap());
    let payloads = [
        format!(
            "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"{url}\">]>{}",
            envelope11("", "<t:Resp><t:Value>&xxe;</t:Value></t:Resp>")
        ),
        format!("<!DOCTYPE r SYSTEM \"{url}\">{}", envelope11("", "<t:Resp><t:Value>1</t:Value></t:Resp>")),
        format!(
            "<!DOCTYPE r [<!ENTITY % p SYSTEM \"{url}\"> %p;]>{}",
            envelope11("", "<t:Resp><t:Value>1</t:Value></t:Resp>")
        ),
        // A DTD placed after the root start tag is refused just the same.
        envelope11("", &format!("<!DOCTYPE r SYSTEM \"{url}\"><t:Resp><t:Value>1</t:Value></t:Resp>")),
    ];
    for payload in &payloads {
        let e = timed(QUICK, || response(payload)).unwrap_err();
        assert!(matches!(kind(&e), DecodeErrorKind::DocType | DecodeErrorKind::Syntax(_)), "{payload}: unexpected {e}");
    }
    // An external entity reference without its declaration is an undefined entity.
    let e = response(&envelope11("", "<t:Resp><t:Value>&xxe;</t:Value></t:Resp>")).unwrap_err();
    assert_eq!(kind(&e), &DecodeErrorKind::UnknownEntity("xxe".into()));
    std::thread::sleep(Duration::from_millis(50));
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "something connected to the URL named in the payload"
    );
}

#[test]
fn undefined_entities_are_refused_even_in_skipped_content() {
    let cases = [
        // In an unknown element of the body, which the decoder skips.
        envelope11("", "<t:Resp><t:Unknown>a &ghost; b</t:Unknown><t:Value>1</t:Value></t:Resp>"),
        // In an unknown header entry.
        envelope11("<t:Other>&ghost;</t:Other>", "<t:Resp><t:Value>1</t:Value></t:Resp>"),
        // In an attribute of an element that is read.
        envelope11(
            "",
            "<t:Resp><t:Value t:a=\"&ghost;\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:nil=\"&ghost;\">1</t:Value></t:Resp>",
        ),
    ];
    for case in &cases {
        let e = response(case).unwrap_err();
        assert_eq!(kind(&e), &DecodeErrorKind::UnknownEntity("ghost".into()), "{case}: {e}");
        assert!(e.to_string().contains("&ghost;"), "{e}");
    }
}

#[test]
fn predefined_entities_and_character_references_are_decoded() {
    let resp = response(&envelope11(
        "<t:Known>&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1F600;</t:Known>",
        "<t:Resp><t:Value>&#x34;2</t:Value></t:Resp>",
    ))
    .unwrap();
    assert_eq!(resp.value, 42);
    let mut known = Known::default();
    let doc = envelope11(
        "<t:Known>&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1F600;</t:Known>",
        "<t:Resp><t:Value>1</t:Value></t:Resp>",
    );
    read_envelope(doc.as_bytes(), DecodeLimits::default(), &mut known, |r, s| Resp::decode(r, s.unwrap())).unwrap();
    assert_eq!(known.0.as_deref(), Some("<>&'\"AB\u{1F600}"));
    // Invalid character references are errors, in skipped content too.
    for bad in ["&#0;", "&#xD800;", "&#x110000;", "&#xZZ;"] {
        let doc = envelope11("", &format!("<t:Resp><t:Skip>{bad}</t:Skip><t:Value>1</t:Value></t:Resp>"));
        assert!(response(&doc).is_err(), "{bad} accepted");
    }
}

// ---------------------------------------------------------------------------------------------
// Depth, length, count
// ---------------------------------------------------------------------------------------------

fn nested(depth: usize, leaf: &str) -> Vec<u8> {
    let mut doc = format!("<Root xmlns=\"{NS}\">").into_bytes();
    doc.reserve(depth * 13 + leaf.len());
    for _ in 0..depth {
        doc.extend_from_slice(b"<Item>");
    }
    doc.extend_from_slice(leaf.as_bytes());
    for _ in 0..depth {
        doc.extend_from_slice(b"</Item>");
    }
    doc.extend_from_slice(b"</Root>");
    doc
}

#[test]
fn hundred_thousand_deep_nesting_is_a_depth_error_without_stack_overflow() {
    let doc = nested(100_000, "x");
    let e = on_small_stack(move || timed(QUICK, || node(&doc, DecodeLimits::default()))).unwrap_err();
    assert_eq!(kind(&e), &DecodeErrorKind::Limit { what: "element nesting depth", limit: 64 }, "{e}");
    assert!(e.path.starts_with("Root/Item/Item"), "{}", e.path);
    assert_eq!(e.path.split('/').count(), 64);

    // Also when the deep part is skipped rather than decoded.
    let mut doc = format!("<Root xmlns=\"{NS}\"><Unknown>").into_bytes();
    doc.extend(b"<a>".repeat(100_000));
    let e = timed(QUICK, || node(&doc, DecodeLimits::default())).unwrap_err();
    assert!(matches!(kind(&e), DecodeErrorKind::Limit { what: "element nesting depth", .. }), "{e}");

    // And inside an envelope.
    let body = format!("<t:Resp>{}", "<t:Skip>".repeat(100_000));
    let e = timed(QUICK, || response(&envelope11("", &body))).unwrap_err();
    assert!(matches!(kind(&e), DecodeErrorKind::Limit { what: "element nesting depth", .. }), "{e}");
}

#[test]
fn nesting_up_to_the_limit_decodes_on_a_small_stack() {
    // Root is depth 1; 63 nested items reach the default limit of 64 exactly.
    let doc = nested(63, "");
    let decoded = on_small_stack(move || node(&doc, DecodeLimits::default())).unwrap();
    let mut depth = 1;
    let mut n = &decoded;
    while let Some(child) = n.items.first() {
        depth += 1;
        n = child;
    }
    assert_eq!(depth, 64);
    // One more level is refused; a raised limit accepts it.
    let doc = nested(64, "");
    assert!(node(&doc, DecodeLimits::default()).is_err());
    assert!(node(&doc, DecodeLimits::default().with_max_depth(65)).is_ok());
}

#[test]
fn text_length_is_limited_also_when_assembled_from_pieces() {
    let limits = DecodeLimits::default().with_max_text_len(1000);
    let at = |text: &str| format!("<Root xmlns=\"{NS}\"><Text>{text}</Text></Root>").into_bytes();
    // One plain piece.
    let e = node(&at(&"a".repeat(1001)), limits).unwrap_err();
    assert_eq!(kind(&e), &DecodeErrorKind::Limit { what: "text length", limit: 1000 });
    assert_eq!(e.path, "Root/Text");
    // Entity references, each one character.
    let e = node(&at(&"&amp;".repeat(1001)), limits).unwrap_err();
    assert_eq!(kind(&e), &DecodeErrorKind::Limit { what: "text length", limit: 1000 });
    // Text, CDATA and references mixed.
    let e = node(&at(&"ab<![CDATA[cd]]>&#x65;".repeat(201)), limits).unwrap_err();
    assert_eq!(kind(&e), &DecodeErrorKind::Limit { what: "text length", limit: 1000 });
    // At the limit it is fine.
    let ok = node(&at(&"ab<![CDATA[cd]]>&#x65;".repeat(200)), limits).unwrap();
    assert_eq!(ok.text.unwrap().len(), 1000);
    // Attribute values.
    let doc = format!(
        "<Root xmlns=\"{NS}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><Text xsi:nil=\"{}\"/></Root>",
        "x".repeat(1001)
    );
    let mut r = XmlReader::with_limits(doc.as_bytes(), limits);
    let root = r.root().unwrap();
    let child = r.next_child().unwrap().unwrap();
    let e = r.is_nil(&child).unwrap_err();
    assert_eq!(kind(&e), &DecodeErrorKind::Limit { what: "attribute length", limit: 1000 });
    drop(root);
}

#[test]
fn list_items_are_limited() {
    let limits = DecodeLimits::default().with_max_list_items(1000);
    let items = |n: usize| {
        let mut doc = format!("<Root xmlns=\"{NS}\">");
        doc.push_str(&"<Item/>".repeat(n));
        doc.push_str("</Root>");
        doc.into_bytes()
    };
    assert_eq!(node(&items(1000), limits).unwrap().items.len(), 1000);
    let e = node(&items(1001), limits).unwrap_err();
    assert_eq!(kind(&e), &DecodeErrorKind::Limit { what: "number of list items", limit: 1000 });
    assert_eq!(e.path, "Root/Item");

    // The items of an xs:list value count too, checked before they are parsed.
    let list = |n: usize| {
        let ints = vec!["7"; n].join(" ");
        envelope11("", &format!("<t:Resp><t:Value>1</t:Value><t:Ints> {ints} </t:Ints></t:Resp>"))
    };
    let ok = read(list(1000).as_bytes(), limits).unwrap();
    let Body::Response(resp) = ok.1 else { panic!() };
    assert_eq!(resp.ints.unwrap().len(), 1000);
    let e = read(list(1001).as_bytes(), limits).unwrap_err();
    assert_eq!(kind(&e), &DecodeErrorKind::Limit { what: "number of list items", limit: 1000 });
    assert_eq!(e.path, "Envelope/Body/Resp/Ints");
}

#[test]
fn default_limits_are_the_documented_ones() {
    let limits = DecodeLimits::default();
    assert_eq!(limits.max_depth, 64);
    assert_eq!(limits.max_text_len, 16 * 1024 * 1024);
    assert_eq!(limits.max_list_items, 100_000);
    assert_eq!(wsdlgen_runtime::DEFAULT_MAX_RESPONSE_SIZE, 64 * 1024 * 1024);
}

/// An enumeration with a catch-all, like the generated ones.
#[derive(Debug, Clone, PartialEq)]
enum Flag {
    Select,
    Other(String),
}

impl SimpleType for Flag {
    fn write_text(&self, w: &mut XmlWriter) {
        w.text(match self {
            Flag::Select => "Select",
            Flag::Other(s) => s,
        });
    }
    fn parse_text(text: &str) -> Result<Self, ValueError> {
        Ok(match text {
            "Select" => Flag::Select,
            other => Flag::Other(other.to_owned()),
        })
    }
}

#[test]
fn a_huge_flag_set_is_parsed_in_linear_time() {
    // Distinct unknown values: comparing each with all before it would take seconds.
    let mut text = String::new();
    for i in 0..50_000 {
        text.push_str(&format!("v{i} "));
    }
    text.push_str("Select Select v7");
    let doc = format!("<Root xmlns=\"{NS}\"><F>{text}</F></Root>");
    let set: FlagSet<Flag> = timed(Duration::from_secs(2), || {
        let mut r = XmlReader::with_limits(doc.as_bytes(), DecodeLimits::default().with_max_list_items(200_000));
        let _root = r.root().unwrap();
        let f = r.next_child().unwrap().unwrap();
        r.simple(&f)
    })
    .unwrap();
    assert_eq!(set.len(), 50_001);
    assert!(set.contains(&Flag::Select));
    // Small sets keep comparing values.
    let small: FlagSet<Flag> = SimpleType::parse_text("Select v1 Select v1").unwrap();
    assert_eq!(small.len(), 2);
}

#[test]
fn namespace_declarations_in_scope_are_limited() {
    // 20,000 declarations on the root, then 20,000 elements that would each search them.
    let mut doc = format!("<Root xmlns=\"{NS}\" xmlns:a=\"urn:a\"");
    for i in 0..20_000 {
        doc.push_str(&format!(" xmlns:p{i}=\"urn:p\""));
    }
    doc.push('>');
    doc.push_str(&"<a:x/>".repeat(20_000));
    doc.push_str("</Root>");
    let e = timed(QUICK, || node(doc.as_bytes(), DecodeLimits::default())).unwrap_err();
    assert_eq!(
        kind(&e),
        &DecodeErrorKind::Limit { what: "namespace declarations in scope", limit: MAX_NAMESPACE_BINDINGS }
    );
}

#[test]
fn prefixed_attributes_under_many_declarations_cost_a_lookup_each() {
    // 1,000 prefixes declared on the root, then elements with 1,000 attributes each using the
    // first of them: every attribute's prefix is checked, and walking all declarations for each
    // would cost a million steps per element.
    let mut doc = format!("<Root xmlns=\"{NS}\"");
    for i in 0..1000 {
        doc.push_str(&format!(" xmlns:p{i}=\"urn:p{i}\""));
    }
    doc.push('>');
    let mut element = String::from("<Item");
    for i in 0..1000 {
        element.push_str(&format!(" p0:a{i}=\"\""));
    }
    element.push_str("/>");
    doc.push_str(&element.repeat(48));
    doc.push_str("</Root>");
    let decoded = timed(Duration::from_secs(2), || node(doc.as_bytes(), DecodeLimits::default())).unwrap();
    assert_eq!(decoded.items.len(), 48);
}

// ---------------------------------------------------------------------------------------------
// Encodings
// ---------------------------------------------------------------------------------------------

fn utf16le(text: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

fn utf16be(text: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xFE, 0xFF] } else { Vec::new() };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    out
}

#[test]
fn utf16_and_other_encodings_are_a_clear_error() {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"utf-16\"?>{}",
        envelope11("", "<t:Resp><t:Value>1</t:Value></t:Resp>")
    );
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (utf16le(&doc, true), "UTF-16LE"),
        (utf16be(&doc, true), "UTF-16BE"),
        (utf16le(&doc, false), "UTF-16LE"),
        (utf16be(&doc, false), "UTF-16BE"),
        ([&[0xFF, 0xFE, 0, 0][..], &[b'<', 0, 0, 0]].concat(), "UTF-32LE"),
        (doc.clone().into_bytes(), "utf-16"),
        (doc.replace("utf-16", "ISO-8859-1").into_bytes(), "ISO-8859-1"),
    ];
    for (input, name) in cases {
        let e = timed(QUICK, || read(&input, DecodeLimits::default())).unwrap_err();
        let DecodeErrorKind::Encoding(message) = kind(&e) else { panic!("{name}: not an encoding error: {e}") };
        assert!(message.contains(name) && message.contains("only UTF-8"), "{name}: {message}");
    }
    // UTF-8, with or without a byte order mark or a declaration, is fine.
    for doc in [
        doc.replace("utf-16", "UTF-8"),
        doc.replace("utf-16", "us-ascii"),
        format!("\u{FEFF}{}", doc.replace("utf-16", "utf-8")),
        envelope11("", "<t:Resp><t:Value>1</t:Value></t:Resp>"),
    ] {
        assert_eq!(response(&doc).unwrap().value, 1, "{doc}");
    }
}

#[test]
fn invalid_utf8_is_an_encoding_error_wherever_it_is() {
    // `@` marks where an invalid byte goes: a header entry, an attribute and the text of a
    // skipped element, a comment, an element name, a value that is read.
    let template = envelope11(
        "<t:Other>@</t:Other>",
        "<t:Resp><t:Skip a=\"@\">@</t:Skip><!--@--><t:X@/><t:Value>1@</t:Value></t:Resp>",
    );
    let marks: Vec<usize> = template.match_indices('@').map(|(i, _)| i).collect();
    assert_eq!(marks.len(), 6);
    for (n, &at) in marks.iter().enumerate() {
        for invalid in [&[0xFF][..], &[0xC3], &[0xED, 0xA0, 0x80], &[0xE2, 0x82]] {
            let mut bad = template.clone().into_bytes();
            bad.splice(at..at + 1, invalid.iter().copied());
            for (i, &b) in bad.clone().iter().enumerate() {
                if b == b'@' {
                    bad[i] = b'x';
                }
            }
            let e = read(&bad, DecodeLimits::default()).unwrap_err();
            let DecodeErrorKind::Encoding(message) = kind(&e) else { panic!("mark {n}: not an encoding error: {e}") };
            assert!(message.contains("not valid UTF-8"), "{message}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Envelope strictness and leniency
// ---------------------------------------------------------------------------------------------

#[test]
fn a_body_in_the_wrong_namespace_names_expected_and_found() {
    let doc = format!(
        r#"<s:Envelope xmlns:s="{SOAP11_ENV_NS}"><s:Body><Resp xmlns="urn:other"><Value>1</Value></Resp></s:Body></s:Envelope>"#
    );
    let e = response(&doc).unwrap_err();
    assert_eq!(
        kind(&e),
        &DecodeErrorKind::UnexpectedElement {
            expected: "{urn:test}Resp".into(),
            found_ns: "urn:other".into(),
            found: "Resp".into()
        }
    );
    assert_eq!(e.path, "Envelope/Body/Resp");
    let message = e.to_string();
    assert!(message.contains("{urn:test}Resp") && message.contains("{urn:other}Resp"), "{message}");

    // An envelope in another namespace is not a SOAP envelope.
    let doc = r#"<s:Envelope xmlns:s="urn:not-soap"><s:Body/></s:Envelope>"#;
    let e = response(doc).unwrap_err();
    assert!(matches!(kind(&e), DecodeErrorKind::Envelope(m) if m.contains("{urn:not-soap}Envelope")), "{e}");
}

#[test]
fn values_missing_and_duplicates_are_errors_naming_the_path() {
    let e = response(&envelope11("", "<t:Resp><t:Value>4x</t:Value></t:Resp>")).unwrap_err();
    assert!(matches!(kind(&e), DecodeErrorKind::Value(_)), "{e}");
    assert_eq!(e.path, "Envelope/Body/Resp/Value");
    assert!(e.to_string().contains("\"4x\""), "{e}");

    let e = response(&envelope11("", "<t:Resp><t:Other>1</t:Other></t:Resp>")).unwrap_err();
    assert_eq!(kind(&e), &DecodeErrorKind::Missing("Value".into()));
    assert_eq!(e.path, "Envelope/Body/Resp/Value");

    let e = response(&envelope11("", "<t:Resp><t:Value>1</t:Value><t:Value>2</t:Value></t:Resp>")).unwrap_err();
    assert_eq!(kind(&e), &DecodeErrorKind::Duplicate("Value".into()));
    assert_eq!(e.path, "Envelope/Body/Resp/Value");
}

#[test]
fn harmless_content_is_accepted() {
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- c --><?pi x?>\n{}\n<!-- after -->\n",
        envelope11(
            "<t:Unknown><t:Deep><t:Deeper/></t:Deep></t:Unknown><x:Other xmlns:x=\"urn:x\" s:mustUnderstand=\"0\"/>",
            "\n  <!-- c --><?pi?><t:Resp xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"t:Resp\">\n    \
             <t:Future>new</t:Future><t:Value> <!-- c -->4<?pi?>2 </t:Value>\n  </t:Resp><t:Trailer/>\n"
        )
    );
    assert_eq!(response(&doc).unwrap().value, 42);
}

#[test]
fn duplicate_header_body_or_response_elements_are_errors() {
    let resp = "<t:Resp><t:Value>1</t:Value></t:Resp>";
    let two_headers = format!(
        r#"<s:Envelope xmlns:s="{SOAP11_ENV_NS}" xmlns:t="{NS}"><s:Header/><s:Header><t:X s:mustUnderstand="1"/></s:Header><s:Body>{resp}</s:Body></s:Envelope>"#
    );
    let e = response(&two_headers).unwrap_err();
    assert!(matches!(kind(&e), DecodeErrorKind::Envelope(m) if m.contains("more than one Header")), "{e}");

    let two_bodies = format!(
        r#"<s:Envelope xmlns:s="{SOAP11_ENV_NS}" xmlns:t="{NS}"><s:Body>{resp}</s:Body><s:Body>{resp}</s:Body></s:Envelope>"#
    );
    let e = response(&two_bodies).unwrap_err();
    assert!(matches!(kind(&e), DecodeErrorKind::Envelope(m) if m.contains("Body element after the Body")), "{e}");

    let e = response(&envelope11("", &format!("{resp}{resp}"))).unwrap_err();
    assert_eq!(kind(&e), &DecodeErrorKind::Duplicate("Resp".into()));
    assert_eq!(e.path, "Envelope/Body/Resp");
}

// ---------------------------------------------------------------------------------------------
// mustUnderstand
// ---------------------------------------------------------------------------------------------

fn must_understand_error(e: &DecodeError) -> bool {
    matches!(kind(e), DecodeErrorKind::MustUnderstand { ns, local } if ns == "urn:x" && local == "Sec")
}

#[test]
fn must_understand_soap11() {
    let resp = "<t:Resp><t:Value>1</t:Value></t:Resp>";
    let with = |attrs: &str| envelope11(&format!("<x:Sec xmlns:x=\"urn:x\" {attrs}>v</x:Sec>"), resp);
    for attrs in [
        r#"s:mustUnderstand="1""#,
        r#"s:mustUnderstand=" 1 ""#,
        r#"s:mustUnderstand="1" s:actor="http://schemas.xmlsoap.org/soap/actor/next""#,
    ] {
        let e = response(&with(attrs)).unwrap_err();
        assert!(must_understand_error(&e), "{attrs}: {e}");
        assert_eq!(e.path, "Envelope/Header/Sec");
    }
    for attrs in [
        "",
        r#"s:mustUnderstand="0""#,
        // Addressed to another node.
        r#"s:mustUnderstand="1" s:actor="urn:some-intermediary""#,
        // Not the SOAP attribute.
        r#"mustUnderstand="1""#,
    ] {
        assert_eq!(response(&with(attrs)).unwrap().value, 1, "{attrs}");
    }
    // An entry this client understands may be marked.
    let known = envelope11(r#"<t:Known s:mustUnderstand="1">k</t:Known>"#, resp);
    assert_eq!(response(&known).unwrap().value, 1);
    // A fault is still reported as a fault.
    let fault = envelope11(
        r#"<x:Sec xmlns:x="urn:x" s:mustUnderstand="1"/>"#,
        "<s:Fault><faultcode>s:Server</faultcode><faultstring>boom</faultstring></s:Fault>",
    );
    let (_, body) = read(fault.as_bytes(), DecodeLimits::default()).unwrap();
    assert!(matches!(body, Body::Fault(f) if f.reason == "boom"));
}

#[test]
fn must_understand_soap12() {
    let resp = "<t:Resp><t:Value>1</t:Value></t:Resp>";
    let with = |attrs: &str| envelope12(&format!("<x:Sec xmlns:x=\"urn:x\" {attrs}>v</x:Sec>"), resp);
    for attrs in [
        r#"e:mustUnderstand="true""#,
        r#"e:mustUnderstand="1""#,
        r#"e:mustUnderstand="true" e:role="http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver""#,
        r#"e:mustUnderstand="true" e:role="http://www.w3.org/2003/05/soap-envelope/role/next""#,
    ] {
        let e = response(&with(attrs)).unwrap_err();
        assert!(must_understand_error(&e), "{attrs}: {e}");
    }
    for attrs in [
        "",
        r#"e:mustUnderstand="false""#,
        r#"e:mustUnderstand="0""#,
        r#"e:mustUnderstand="true" e:role="http://www.w3.org/2003/05/soap-envelope/role/none""#,
        r#"e:mustUnderstand="true" e:role="urn:some-intermediary""#,
        // The SOAP 1.1 attribute means nothing in a SOAP 1.2 envelope.
        r#"s11:mustUnderstand="1" xmlns:s11="http://schemas.xmlsoap.org/soap/envelope/""#,
    ] {
        assert_eq!(response(&with(attrs)).unwrap().value, 1, "{attrs}");
    }
}
