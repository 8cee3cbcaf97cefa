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
        "port `Port` of service `Service` uses binding {urn:t}NoSuchBinding, which is not defined",
    ),
    (
        "undefined-port-type.wsdl",
        "15:3",
        "binding `Binding` is for port type {urn:t}NoSuchPortType, which is not defined",
    ),
    ("missing-include.wsdl", "6:7", "cannot read the imported file"),
    (
        "remote-schema-location.wsdl",
        "6:7",
        "`https://example.com/schemas/remote.xsd` is a remote location; wsdlgen never fetches anything over the network: download the file",
    ),
    (
        "remote-wsdl-import.wsdl",
        "4:3",
        "`http://example.com/service?wsdl` is a remote location; wsdlgen never fetches anything over the network: download the file",
    ),
    ("duplicate-type.wsdl", "11:7", "duplicate definition of type {urn:t}Credential (first at "),
    ("rpc-encoded.wsdl", "19:19", "binding `Binding` operation `Op` input uses `use=\"encoded\"` (SOAP encoding)"),
    ("unsupported-construct.wsdl", "9:13", "an xs:choice whose alternatives are not single elements"),
    ("group-cycle.wsdl", "9:61", "group {urn:t}Loop contains itself (a circular group reference)"),
    ("simple-type-cycle.wsdl", "9:7", "simple type {urn:t}Code is derived from itself"),
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
