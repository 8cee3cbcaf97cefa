//! Empty and degenerate content models (`tests/wsdl/degenerate.wsdl`), which the emitter once
//! panicked on (an enum with no variant): an optional empty `xs:choice`, a choice whose
//! alternatives are all empty (an empty sequence, a group of an empty sequence, a group with no
//! particle), a choice with one real alternative beside empty ones, a group reference with nothing
//! in it, an empty repeated sequence, an empty `xs:all`, an abstract base whose only derived type
//! is abstract, an array wrapper of itself (the emitter spelled out `Vec<Vec<...>>` until the
//! stack overflowed). The bindings compile (this file includes them), have the shape below, and round-trip.

#[allow(dead_code)]
mod degenerate {
    include!("../snapshots/degenerate.rs");
}

use degenerate::*;
use wsdlgen_runtime::Encode;
use wsdlgen_runtime::codegen::{XmlWriter, xml::from_xml};

fn encode<T: Encode>(value: &T, tag: &str) -> String {
    let mut w = XmlWriter::new();
    w.declare_on_next(NAMESPACES);
    value.encode(&mut w, tag);
    String::from_utf8(w.into_inner()).unwrap()
}

#[test]
fn empty_particles_are_no_fields_and_a_choice_with_empty_alternatives_is_optional() {
    // Destructured whole: the struct has exactly these fields (the empty particles gave none).
    let ping = Ping {
        a: 1,
        choice: Some(PingChoice::X("chosen".into())),
        shape: Some(AnyShape::Shape(Shape { id: 2 })),
        nested: None,
    };
    let xml = encode(&ping, "n0:Ping");
    assert_eq!(
        xml,
        "<n0:Ping xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:n0=\"urn:degenerate\"><n0:a>1</n0:a><n0:x>chosen</n0:x><n0:shape><n0:id>2</n0:id></n0:shape></n0:Ping>"
    );
    let back: Ping = from_xml(xml.as_bytes(), NS0, "Ping").unwrap();
    assert_eq!(back, ping);
    let Ping { a, choice, shape, nested } =
        from_xml(b"<Ping xmlns=\"urn:degenerate\"><a>3</a></Ping>", NS0, "Ping").unwrap();
    assert_eq!((a, choice, shape, nested), (3, None, None, None));
}

#[test]
fn an_empty_all_is_an_empty_struct() {
    let PingResponse {} = from_xml(b"<PingResponse xmlns=\"urn:degenerate\"/>", NS0, "PingResponse").unwrap();
    assert_eq!(
        encode(&PingResponse {}, "n0:PingResponse"),
        "<n0:PingResponse xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:n0=\"urn:degenerate\"></n0:PingResponse>"
    );
}

/// `Shape` is abstract and so is the only type derived from it: values are read and written as
/// `Shape` itself (an enum of no variant could hold nothing), and the output says so.
#[test]
fn an_abstract_base_without_concrete_derived_types_is_its_own_variant() {
    let code = include_str!("../snapshots/degenerate.rs");
    assert!(code.contains("// Note: type {urn:degenerate}Shape is abstract and no concrete type derived from it"));
    let back: Ping = from_xml(
        b"<Ping xmlns=\"urn:degenerate\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><a>1</a><shape xsi:type=\"Round\"><id>5</id></shape></Ping>",
        NS0,
        "Ping",
    )
    .unwrap();
    assert_eq!(back.shape, Some(AnyShape::Shape(Shape { id: 5 })));
}

/// `ArrayOfNested` holds `Nested` elements of its own type: a struct with one repeated field
/// (an array wrapper's value is a `Vec` of its items, which here would be an infinite type).
#[test]
fn an_array_wrapper_of_itself_is_a_struct() {
    let xml = b"<Ping xmlns=\"urn:degenerate\"><a>1</a><nested><Nested><Nested/></Nested><Nested/></nested></Ping>";
    let ping: Ping = from_xml(xml, NS0, "Ping").unwrap();
    let nested = ping.nested.clone().unwrap();
    assert_eq!(nested.nested.len(), 2);
    assert_eq!(nested.nested[0].nested, vec![ArrayOfNested { nested: Vec::new() }]);
    let again = encode(&ping, "n0:Ping");
    assert_eq!(from_xml::<Ping>(again.as_bytes(), NS0, "Ping").unwrap(), ping);
}

/// 3,000 array wrappers, each of the next, resolved from the innermost out (so the resolver's
/// depth limit never sees more than two levels): the emitter spelled out every `Vec` of the
/// chain recursively, each of the 3,000 types' fields a `Vec` of `Vec`s up to 3,000 deep (it ran
/// for minutes). Every 33rd wrapper is now a struct, so no value nests more than 32 `Vec`s, and
/// a small stack is enough.
#[test]
fn a_long_chain_of_array_wrappers_generates_on_a_small_stack() {
    let n = 3000;
    let mut types = String::new();
    for i in 0..n {
        types.push_str(&format!(
            "<xs:complexType name=\"ArrayOfA{i}\"><xs:sequence><xs:element name=\"x\" type=\"tns:ArrayOfA{}\" maxOccurs=\"unbounded\"/></xs:sequence></xs:complexType>\n",
            i + 1
        ));
    }
    types.push_str(&format!(
        "<xs:complexType name=\"ArrayOfA{n}\"><xs:sequence><xs:element name=\"x\" type=\"xs:int\" maxOccurs=\"unbounded\"/></xs:sequence></xs:complexType>\n"
    ));
    let fields: String =
        (0..=n).rev().map(|i| format!("<xs:element name=\"f{i}\" type=\"tns:ArrayOfA{i}\"/>")).collect();
    let wsdl = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/wsdl/degenerate.wsdl"))
        .unwrap()
        .replace("<xs:element name=\"a\" type=\"xs:int\"/>", &fields)
        .replace("<xs:group name=\"Nothing\">", &format!("{types}<xs:group name=\"Nothing\">"));
    let code = std::thread::Builder::new()
        .stack_size(4 << 20)
        .spawn(move || {
            let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/wsdl/chain.wsdl"));
            wsdlgen::Builder::new().format(false).generate_from_str(path, &wsdl).map(|g| g.code)
        })
        .unwrap()
        .join()
        .unwrap()
        .unwrap();
    let structs = code
        .match_indices("pub struct ArrayOfA")
        .filter(|(at, m)| code[at + m.len()..].trim_start_matches(|c: char| c.is_ascii_digit()).starts_with(" {"))
        .count();
    assert!(structs >= n / 33 && structs <= n / 33 + 1, "{structs} wrappers became structs");
}
