//! Hostile and broken WSDLs (`tests/broken/`), through the real `wsdlgen` binary: each is refused
//! with exit status 1 (never a panic: no exit status 101, no "panicked", no backtrace) and an
//! error that names the file, line and column and the construct at fault.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn broken(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken").join(name)
}

fn wsdlgen(wsdl: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wsdlgen"))
        .arg("generate")
        .arg(wsdl)
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("run wsdlgen")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs the generator on `wsdl` and checks it fails cleanly with `file:line:col: ...expected...`.
fn refused(wsdl: &Path, position: &str, expected: &str) {
    let o = wsdlgen(wsdl);
    let e = stderr(&o);
    assert_ne!(o.status.code(), Some(101), "{}: wsdlgen panicked: {e}", wsdl.display());
    assert!(!e.contains("panicked") && !e.contains("stack backtrace"), "{}: wsdlgen panicked: {e}", wsdl.display());
    assert_eq!(o.status.code(), Some(1), "{}: expected exit status 1: {e}", wsdl.display());
    let location = format!("{}:{position}: ", wsdl.display());
    assert!(e.contains(&location), "{}: expected the position `{location}` in: {e}", wsdl.display());
    assert!(e.contains(expected), "{}: expected `{expected}` in: {e}", wsdl.display());
    assert!(o.stdout.is_empty(), "{}: no code on a failure", wsdl.display());
}

/// `(file, line:col, what the message must say)`, one per case of the hostile-input corpus.
const CASES: &[(&str, &str, &str)] = &[
    ("not-xml.wsdl", "1:1", "not well-formed XML"),
    // The error is found where the text ends, and is reported there (not at 1:1).
    ("truncated.wsdl", "10:50", "not well-formed XML: unexpected end of stream"),
    (
        "wrong-root.wsdl",
        "2:1",
        "the root element is <schema> in namespace `http://www.w3.org/2001/XMLSchema`, not a WSDL 1.1 <definitions>",
    ),
    (
        "missing-types.wsdl",
        "4:27",
        "element {urn:t}Op is not declared in any schema (the document has no <wsdl:types> and imports no schema)",
    ),
    ("undefined-type.wsdl", "7:9", "type {urn:t}Credential is not defined in any schema"),
    ("undefined-message.wsdl", "12:5", "message {urn:t}Out is not defined"),
    (
        "undefined-binding.wsdl",
        "24:5",
        "binding {urn:t}NoSuchBinding is not defined (port `Port` of service `Service` uses it)",
    ),
    (
        "undefined-port-type.wsdl",
        "15:3",
        "port type {urn:t}NoSuchPortType is not defined (binding `Binding` is for it)",
    ),
    ("missing-include.wsdl", "6:7", "cannot read the imported file"),
    (
        "remote-schema-location.wsdl",
        "6:7",
        "`https://example.com/schemas/remote.xsd` is a remote location; wsdlgen never fetches anything over the network: download the file and map the location to the local copy (`--location 'https://example.com/schemas/remote.xsd=<file>'`",
    ),
    (
        "remote-wsdl-import.wsdl",
        "4:3",
        "`http://example.com/service?wsdl` is a remote location; wsdlgen never fetches anything over the network: download the file and map the location to the local copy (`--location 'http://example.com/service?wsdl=<file>'`",
    ),
    ("duplicate-type.wsdl", "11:7", "duplicate definition of type {urn:t}Credential (first at "),
    (
        "document-encoded.wsdl",
        "19:19",
        "binding `Binding` operation `Op` uses `use=\"encoded\"` with style=\"document\" (document/encoded)",
    ),
    (
        "mime-attachments.wsdl",
        "21:9",
        "binding `Binding` operation `Upload` input uses MIME attachments (`mime:multipartRelated`, SOAP with Attachments)",
    ),
    ("group-cycle.wsdl", "9:61", "group {urn:t}Loop contains itself (a circular group reference)"),
    ("simple-type-cycle.wsdl", "9:7", "simple type {urn:t}Code is derived from itself"),
    // A derivation cycle (a type holding a type derived from it is not one: tests/wsdl/abstract.wsdl).
    ("derivation-cycle.wsdl", "7:7", "type {urn:t}B is derived from itself"),
    // Found by the schema-aware mutants (fuzz/README.md): the emitter indexed the first variant.
    (
        "empty-choice.wsdl",
        "4:47",
        "this xs:choice has no alternative and is required (minOccurs is not 0): no element can satisfy it, so \
         {urn:t}Ping has no valid instance",
    ),
];

#[test]
fn every_broken_wsdl_is_refused_with_a_position_and_the_construct() {
    for (name, position, expected) in CASES {
        refused(&broken(name), position, expected);
    }
}

#[test]
fn the_corpus_has_no_untested_file() {
    let mut files: Vec<String> = std::fs::read_dir(broken(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".wsdl"))
        .collect();
    files.sort();
    let mut tested: Vec<String> = CASES.iter().map(|(f, _, _)| f.to_string()).collect();
    tested.extend(["import-cycle-a.wsdl", "import-cycle-b.wsdl", "include-cycle.wsdl"].map(String::from));
    tested.sort();
    assert_eq!(files, tested);
}

#[test]
fn the_duplicate_is_reported_where_it_is_with_the_first_definition() {
    let wsdl = broken("duplicate-type.wsdl");
    let e = stderr(&wsdlgen(&wsdl));
    assert!(e.contains(&format!("(first at {}:8:7)", wsdl.display())), "{e}");
}

/// A harmless import cycle (A imports B, B imports A) is no error: each file is read once,
/// whichever of the two is the main document. The same for a cycle of `xs:include`s.
#[test]
fn import_and_include_cycles_are_read_once() {
    for name in ["import-cycle-a.wsdl", "import-cycle-b.wsdl", "include-cycle.wsdl"] {
        let o = wsdlgen(&broken(name));
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let code = String::from_utf8(o.stdout).unwrap();
        assert!(code.contains("pub async fn op("), "{name}: {code}");
        assert_eq!(code.matches("pub struct OpResponse ").count(), 1, "{name}");
    }
}

/// 50,000 nested elements (made here, not committed): refused by the reader's depth limit with
/// the position of the first element too deep, before any recursive stage sees them.
#[test]
fn deep_nesting_is_refused_at_the_element_too_deep() {
    let dir = std::env::temp_dir().join(format!("wsdlgen-broken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let depth = 50_000;
    let mut text = String::from(
        "<?xml version=\"1.0\"?>\n<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\" \
         xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"urn:t\">\n<wsdl:types>\n\
         <xs:schema targetNamespace=\"urn:t\">\n<xs:element name=\"Deep\">\n",
    );
    let level = "<xs:complexType><xs:sequence><xs:element name=\"x\">";
    for _ in 0..depth {
        text.push_str(level);
    }
    text.push('\n');
    for _ in 0..depth {
        text.push_str("</xs:element></xs:sequence></xs:complexType>");
    }
    text.push_str("\n</xs:element>\n</xs:schema>\n</wsdl:types>\n</wsdl:definitions>\n");
    let wsdl = dir.join("deep.wsdl");
    std::fs::write(&wsdl, text).unwrap();
    // definitions, types, schema and element are levels 1-4, then each repetition adds 3: level
    // 257, the first too deep, is the complexType of the 85th repetition on line 6.
    let col = 84 * level.len() + 1;
    refused(&wsdl, &format!("6:{col}"), "elements are nested more than 256 deep");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A WSDL whose schema has `types` (made here, one per line from line 7) each referring to the
/// next (`T{i}` has an element of type `T{i+1}`), or deriving from it when `derive`.
fn type_chain(types: usize, derive: bool) -> String {
    let mut text = String::from(
        "<?xml version=\"1.0\"?>\n<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\" \
         xmlns:soap=\"http://schemas.xmlsoap.org/wsdl/soap/\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" \
         xmlns:tns=\"urn:t\" targetNamespace=\"urn:t\">\n<wsdl:types><xs:schema targetNamespace=\"urn:t\">\n\
         <xs:element name=\"Op\"><xs:complexType><xs:sequence><xs:element name=\"A\" type=\"tns:T0\"/></xs:sequence></xs:complexType></xs:element>\n\
         <xs:element name=\"OpResponse\"><xs:complexType><xs:sequence/></xs:complexType></xs:element>\n\
         <!-- the chain -->\n",
    );
    for i in 0..types {
        let next = i + 1;
        if derive {
            text.push_str(&format!(
                "<xs:complexType name=\"T{i}\"><xs:complexContent><xs:extension base=\"tns:T{next}\"><xs:sequence>\
                 <xs:element name=\"x{i}\" type=\"xs:int\"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>\n"
            ));
        } else {
            text.push_str(&format!(
                "<xs:complexType name=\"T{i}\"><xs:sequence><xs:element name=\"x\" type=\"tns:T{next}\" minOccurs=\"0\"/>\
                 </xs:sequence></xs:complexType>\n"
            ));
        }
    }
    text.push_str(&format!(
        "<xs:complexType name=\"T{types}\"><xs:sequence/></xs:complexType>\n</xs:schema></wsdl:types>\n\
         <wsdl:message name=\"In\"><wsdl:part name=\"p\" element=\"tns:Op\"/></wsdl:message>\n\
         <wsdl:message name=\"Out\"><wsdl:part name=\"p\" element=\"tns:OpResponse\"/></wsdl:message>\n\
         <wsdl:portType name=\"P\"><wsdl:operation name=\"Op\"><wsdl:input message=\"tns:In\"/><wsdl:output message=\"tns:Out\"/></wsdl:operation></wsdl:portType>\n\
         <wsdl:binding name=\"B\" type=\"tns:P\"><soap:binding style=\"document\" transport=\"http://schemas.xmlsoap.org/soap/http\"/>\
         <wsdl:operation name=\"Op\"><soap:operation soapAction=\"a\"/><wsdl:input><soap:body use=\"literal\"/></wsdl:input>\
         <wsdl:output><soap:body use=\"literal\"/></wsdl:output></wsdl:operation></wsdl:binding>\n</wsdl:definitions>\n"
    ));
    text
}

/// 2,000 types each referring to the next, or each deriving from the next: every document is
/// shallow, but resolving them recursed once per type and overflowed the stack (a crash, not an
/// error). The resolver now refuses to nest more than 256 type definitions, at the first one
/// too deep: `Op`'s anonymous type is level 1, `T0` level 2, so `T255` (line 262) is level 257. Real WSDLs stay far below (the 16 of `tests/corpus/` need fewer than 24 levels).
#[test]
fn long_chains_of_types_are_refused_not_a_stack_overflow() {
    let dir = std::env::temp_dir().join(format!("wsdlgen-broken-chain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (derive, name, line) in [(false, "chain.wsdl", 7 + 255), (true, "derive.wsdl", 7 + 255)] {
        let wsdl = dir.join(name);
        std::fs::write(&wsdl, type_chain(2_000, derive)).unwrap();
        refused(&wsdl, &format!("{line}:1"), "types are nested more than 256 deep");
        // Short chains are fine.
        std::fs::write(&wsdl, type_chain(100, derive)).unwrap();
        let o = wsdlgen(&wsdl);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// An import naming a device or a pipe would be read forever (`/dev/zero`) or block
/// (`/dev/stdin`): refused as not a regular file.
#[cfg(unix)]
#[test]
fn an_import_of_a_device_is_refused() {
    let dir = std::env::temp_dir().join(format!("wsdlgen-broken-dev-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let wsdl = dir.join("dev.wsdl");
    std::fs::write(
        &wsdl,
        "<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n\
         <wsdl:types><xs:schema><xs:import schemaLocation=\"/dev/zero\"/></xs:schema></wsdl:types>\n\
         </wsdl:definitions>\n",
    )
    .unwrap();
    refused(&wsdl, "2:24", "cannot read the imported file /dev/zero: not a regular file");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A WSDL whose schema has `n` groups (or, with `attributes`, attribute groups), one per line from
/// line 5, each referring to the next; the operation's request refers to the first.
fn group_chain(n: usize, attributes: bool) -> String {
    let mut text = String::from(
        "<?xml version=\"1.0\"?>\n<wsdl:definitions xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\" \
         xmlns:soap=\"http://schemas.xmlsoap.org/wsdl/soap/\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" \
         xmlns:tns=\"urn:t\" targetNamespace=\"urn:t\">\n<wsdl:types><xs:schema targetNamespace=\"urn:t\">\n",
    );
    if attributes {
        text.push_str("<xs:element name=\"Op\"><xs:complexType><xs:sequence/><xs:attributeGroup ref=\"tns:G0\"/></xs:complexType></xs:element>\n");
    } else {
        text.push_str("<xs:element name=\"Op\"><xs:complexType><xs:sequence><xs:group ref=\"tns:G0\"/></xs:sequence></xs:complexType></xs:element>\n");
    }
    for i in 0..n {
        let next = i + 1;
        if attributes {
            text.push_str(&format!(
                "<xs:attributeGroup name=\"G{i}\"><xs:attribute name=\"a{i}\" type=\"xs:int\"/><xs:attributeGroup ref=\"tns:G{next}\"/></xs:attributeGroup>\n"
            ));
        } else {
            text.push_str(&format!(
                "<xs:group name=\"G{i}\"><xs:sequence><xs:element name=\"e{i}\" type=\"xs:int\" minOccurs=\"0\"/><xs:group ref=\"tns:G{next}\"/></xs:sequence></xs:group>\n"
            ));
        }
    }
    if attributes {
        text.push_str(&format!("<xs:attributeGroup name=\"G{n}\"/>\n"));
    } else {
        text.push_str(&format!("<xs:group name=\"G{n}\"><xs:sequence/></xs:group>\n"));
    }
    text.push_str(
        "<xs:element name=\"OpResponse\"><xs:complexType><xs:sequence/></xs:complexType></xs:element>\n</xs:schema></wsdl:types>\n\
         <wsdl:message name=\"In\"><wsdl:part name=\"p\" element=\"tns:Op\"/></wsdl:message>\n\
         <wsdl:message name=\"Out\"><wsdl:part name=\"p\" element=\"tns:OpResponse\"/></wsdl:message>\n\
         <wsdl:portType name=\"P\"><wsdl:operation name=\"Op\"><wsdl:input message=\"tns:In\"/><wsdl:output message=\"tns:Out\"/></wsdl:operation></wsdl:portType>\n\
         <wsdl:binding name=\"B\" type=\"tns:P\"><soap:binding style=\"document\" transport=\"http://schemas.xmlsoap.org/soap/http\"/>\
         <wsdl:operation name=\"Op\"><soap:operation soapAction=\"a\"/><wsdl:input><soap:body use=\"literal\"/></wsdl:input>\
         <wsdl:output><soap:body use=\"literal\"/></wsdl:output></wsdl:operation></wsdl:binding>\n</wsdl:definitions>\n",
    );
    text
}

/// 3,000 groups, or attribute groups, each referring to the next: expanding them recursed once
/// per group, without the bound types have, and a long enough chain overflowed the stack (3,000
/// groups did: process aborted, exit 134). Such chains are now refused at the 257th level, as
/// chains of types are: the request's type is level 1, `G0` level 2, so the reference to `G255`,
/// in `G254` on line 259, is the first too deep. Short chains are fine.
#[test]
fn long_chains_of_group_references_are_refused_not_a_stack_overflow() {
    let dir = std::env::temp_dir().join(format!("wsdlgen-broken-groups-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (attributes, what, reference) in
        [(false, "group references", "<xs:group ref="), (true, "attribute group references", "<xs:attributeGroup ref=")]
    {
        let wsdl = dir.join(if attributes { "attribute-groups.wsdl" } else { "groups.wsdl" });
        let text = group_chain(3_000, attributes);
        let col = text.lines().nth(258).and_then(|l| l.find(reference)).unwrap() + 1;
        std::fs::write(&wsdl, &text).unwrap();
        refused(&wsdl, &format!("259:{col}"), &format!("{what} are nested more than 256 deep"));
        std::fs::write(&wsdl, group_chain(100, attributes)).unwrap();
        let o = wsdlgen(&wsdl);
        assert!(o.status.success(), "{what}: {}", stderr(&o));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
