//! The library's public API as a build script or tool uses it: typed errors to match on, the
//! in-memory result and what it reports about the generated clients, and options checked when
//! they are set.

use std::path::{Path, PathBuf};

use wsdlgen::{Builder, Definition, Error, ResolveErrorKind, SoapVersion};

fn broken(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken").join(name)
}

fn resolve_error(wsdl: &Path) -> wsdlgen::ResolveError {
    match Builder::new().generate(wsdl) {
        Err(Error::Resolve(e)) => e,
        other => panic!("{}: expected a resolve error, got {other:?}", wsdl.display()),
    }
}

#[test]
fn resolve_errors_have_kinds_to_match_on() {
    let e = resolve_error(&broken("undefined-type.wsdl"));
    assert_eq!(
        e.kind,
        ResolveErrorKind::Undefined { what: Definition::Type, name: "{urn:t}Credential".into(), context: None }
    );
    assert_eq!((e.pos.line(), e.pos.column()), (7, 9));
    assert_eq!(e.pos.file(), broken("undefined-type.wsdl"));

    let e = resolve_error(&broken("undefined-port-type.wsdl"));
    assert!(
        matches!(&e.kind, ResolveErrorKind::Undefined { what: Definition::PortType, name, .. } if name == "{urn:t}NoSuchPortType"),
        "{e}"
    );

    let e = resolve_error(&broken("duplicate-type.wsdl"));
    let ResolveErrorKind::Duplicate { what: Definition::Type, name, first } = &e.kind else {
        panic!("not a duplicate: {e}");
    };
    assert_eq!(name, "{urn:t}Credential");
    assert!(first.line() < e.pos.line(), "the first definition comes first: {e}");

    let e = resolve_error(&broken("group-cycle.wsdl"));
    assert_eq!(e.kind, ResolveErrorKind::Cycle { what: Definition::Group, name: "{urn:t}Loop".into() });
    let e = resolve_error(&broken("simple-type-cycle.wsdl"));
    assert_eq!(e.kind, ResolveErrorKind::Cycle { what: Definition::SimpleType, name: "{urn:t}Code".into() });

    let e = resolve_error(&broken("document-encoded.wsdl"));
    let ResolveErrorKind::Unsupported { construct, hint: Some(hint) } = &e.kind else {
        panic!("not unsupported with a hint: {e}");
    };
    assert!(construct.contains("with style=\"document\" (document/encoded)"), "{construct}");
    assert!(hint.starts_with("rpc/encoded and literal messages"), "{hint}");

    let e = resolve_error(&broken("mime-attachments.wsdl"));
    assert!(matches!(e.kind, ResolveErrorKind::Unsupported { .. }), "{e}");
}

#[test]
fn unknown_operations_are_listed_with_the_known_ones() {
    let e = match Builder::new().operations(["Nope"]).generate(workspace().join("wsdl/Services87-User.wsdl")) {
        Err(Error::Resolve(e)) => e,
        other => panic!("expected a resolve error, got {other:?}"),
    };
    let ResolveErrorKind::UnknownOperations { missing, known } = &e.kind else {
        panic!("not unknown operations: {e}");
    };
    assert_eq!(missing, &["Nope"]);
    assert!(known.iter().any(|k| k == "SaveCredential"), "{known:?}");
}

#[test]
fn an_unreadable_import_keeps_its_io_error_as_the_source() {
    let e = Builder::new().generate(broken("missing-include.wsdl")).unwrap_err();
    assert!(matches!(e, Error::Read(_)), "{e:?}");
    let source = std::error::Error::source(&e).expect("a source");
    let io = source.downcast_ref::<std::io::Error>().expect("the I/O error");
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

const SHARED_REQUEST: &str = r#"<?xml version="1.0"?>
<wsdl:definitions targetNamespace="urn:t" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
  xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:tns="urn:t" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <wsdl:types><xs:schema targetNamespace="urn:t" elementFormDefault="qualified">
    <xs:element name="Ping"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
    <xs:element name="Pong"><xs:complexType><xs:sequence/></xs:complexType></xs:element>
  </xs:schema></wsdl:types>
  <wsdl:message name="In"><wsdl:part name="p" element="tns:Ping"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="p" element="tns:Pong"/></wsdl:message>
  <wsdl:portType name="Echo">
    <wsdl:operation name="First"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation>
    <wsdl:operation name="Second"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/></wsdl:operation>
    <wsdl:operation name="Notify"><wsdl:input message="tns:Out"/></wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="B" type="tns:Echo"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="First"><soap:operation soapAction="a"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
    <wsdl:operation name="Second"><soap:operation soapAction="b"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
    <wsdl:operation name="Notify"><soap:operation soapAction="c"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input></wsdl:operation>
  </wsdl:binding>
</wsdl:definitions>"#;

#[test]
fn generated_reports_clients_and_operations_with_their_rust_names() {
    let generated = Builder::new().generate_from_str("echo.wsdl", SHARED_REQUEST).unwrap();
    assert_eq!(generated.file_name(), "echo.rs");
    let [client] = generated.clients.as_slice() else { panic!("{:?}", generated.clients) };
    assert_eq!((client.port_type.as_str(), client.client_type.as_str()), ("Echo", "EchoClient"));
    let ops: Vec<_> = client
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o.request_type.as_str(), o.wraps.as_deref(), o.response_type.as_deref(), o.one_way))
        .collect();
    assert_eq!(
        ops,
        [
            ("First", "FirstRequest", Some("Ping"), Some("Pong"), false),
            ("Second", "SecondRequest", Some("Ping"), Some("Pong"), false),
            ("Notify", "Pong", None, None, true),
        ]
    );
    // The names are the ones in the code, and every request type decodes.
    for op in &client.operations {
        assert!(generated.code.contains(&format!("impl rt::Operation for {} {{", op.request_type)), "{}", op.name);
        assert!(generated.code.contains(&format!("impl rt::Decode for {} {{", op.request_type)), "{}", op.name);
    }
    assert!(generated.code.contains("pub struct FirstRequest(pub Ping);"));
}

#[test]
fn options_reach_the_output_and_inspect() {
    let mut builder = Builder::new();
    builder.soap_version(SoapVersion::Soap12).runtime_path("crate::soap").unwrap();
    let generated = builder.generate_from_str("echo.wsdl", SHARED_REQUEST).unwrap();
    assert!(generated.code.contains("use crate::soap::codegen as rt;"));
    assert!(generated.code.contains("rt::SoapVersion::Soap12"));
    let dir = std::env::temp_dir().join(format!("wsdlgen-api-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("echo.wsdl");
    std::fs::write(&path, SHARED_REQUEST).unwrap();
    let listing = Builder::new().inspect(&path).unwrap();
    assert!(listing.contains("port type Echo via B: 3 operations"), "{listing}");
    let out = dir.join("out/echo.rs");
    assert!(generated.write_if_changed(&out).unwrap());
    assert!(!generated.write_if_changed(&out).unwrap(), "the same content is not written again");
    std::fs::remove_dir_all(&dir).ok();
}

/// A port type with a notification operation (output, no input): the other operations generate
/// and a note names the one skipped; asked for by name, it is an error at its position.
#[test]
fn notification_operations_are_skipped_with_a_note() {
    let wsdl = SHARED_REQUEST
        .replace(
            r#"<wsdl:operation name="Notify"><wsdl:input message="tns:Out"/></wsdl:operation>"#,
            r#"<wsdl:operation name="Notify"><wsdl:output message="tns:Out"/></wsdl:operation>"#,
        )
        .replace(
            r#"<wsdl:input><soap:body use="literal"/></wsdl:input></wsdl:operation>
  </wsdl:binding>"#,
            r#"<wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>
  </wsdl:binding>"#,
        );
    assert!(
        wsdl.contains(r#"name="Notify"><wsdl:output"#)
            && wsdl.contains("</wsdl:output></wsdl:operation>\n  </wsdl:binding>")
    );
    let generated = Builder::new().generate_from_str("echo.wsdl", &wsdl).unwrap();
    let [client] = generated.clients.as_slice() else { panic!("{:?}", generated.clients) };
    let names: Vec<_> = client.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["First", "Second"]);
    let [note] = generated.notes.as_slice() else { panic!("{:?}", generated.notes) };
    assert!(note.starts_with("operation `Notify` of port type `Echo` (echo.wsdl:"), "{note}");
    assert!(
        note.ends_with(
            "has no input: a notification operation, which a SOAP client cannot call nor a server answer; skipped"
        ),
        "{note}"
    );
    assert!(generated.code.contains(note.as_str()), "the note is in the output");
    // Asked for by name: refused, with its position.
    let e = Builder::new().operations(["Notify"]).generate_from_str("echo.wsdl", &wsdl).unwrap_err().to_string();
    assert!(e.contains("echo.wsdl:") && e.contains("operation `Notify` has no input"), "{e}");
    // A port type of notifications only has no client.
    let only = wsdl
        .replace(
            r#"name="First"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/>"#,
            r#"name="First"><wsdl:output message="tns:Out"/>"#,
        )
        .replace(
            r#"name="Second"><wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/>"#,
            r#"name="Second"><wsdl:output message="tns:Out"/>"#,
        );
    let generated = Builder::new().generate_from_str("echo.wsdl", &only).unwrap();
    assert!(generated.clients.is_empty(), "{:?}", generated.clients);
    assert_eq!(generated.notes.len(), 3, "{:?}", generated.notes);
}
