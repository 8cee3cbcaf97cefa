//! `xs:redefine` (`tests/wsdl/redefine/`): the generated types are the redefined ones, wherever
//! the redefined schema uses them (an extended complex type, a restricted one, a restricted
//! enumeration, a group and an attribute group that include their originals); what they write
//! is valid against the schemas as xmllint reads them (redefinition included), and a document
//! written as if the redefinitions were not there is not: the check can fail. A redefinition
//! wsdlgen cannot apply is an error at its position, never dropped.

mod redefine {
    include!("../snapshots/redefine.rs");
}

use redefine::*;
use wsdlgen_runtime::Encode;
use wsdlgen_runtime::codegen::{XmlWriter, xml::from_xml};
use wsdlgen_tests::support::schema::WsdlSchemas;

fn customer() -> Customer {
    Customer {
        version: Some(3),
        origin: Some("web".into()),
        name: "Ada".into(),
        address: Address {
            kind: Some("home".into()),
            verified: Some(true),
            street: "1 Loop Road".into(),
            city: "Oslo".into(),
            country: "NO".into(),
        },
        contact: Contact { phone: "+47 1234".into() },
        color: Color::Green,
        created_by: "me".into(),
        created_at: "2026-12-07T10:00:00Z".parse().unwrap(),
    }
}

fn encode(value: &Register) -> String {
    let mut w = XmlWriter::new();
    w.declare_on_next(NAMESPACES);
    value.encode(&mut w, "n0:Register");
    String::from_utf8(w.into_inner()).unwrap()
}

#[test]
fn redefined_components_are_what_is_generated_and_written() {
    let register = Register { customer: customer() };
    let xml = encode(&register);
    let schemas = WsdlSchemas::from_wsdl(concat!(env!("CARGO_MANIFEST_DIR"), "/wsdl/redefine/service.wsdl"))
        .expect("the fixture's schemas compile");
    schemas.validate(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    let back: Register = from_xml(xml.as_bytes(), NS0, "Register").unwrap();
    assert_eq!(back, register);

    // As if the redefinitions were dropped: no Country, a Fax, blue, no CreatedAt, no origin.
    let unredefined = xml
        .replace("<n0:Country>NO</n0:Country>", "")
        .replace(r#" origin="web""#, "")
        .replace("<n0:Color>green</n0:Color>", "<n0:Color>blue</n0:Color>");
    assert_ne!(unredefined, xml);
    assert!(schemas.validate(unredefined.as_bytes()).is_err(), "xmllint must refuse it:\n{unredefined}");
    let with_fax = xml.replace("<n0:Phone>+47 1234</n0:Phone>", "<n0:Phone>1</n0:Phone><n0:Fax>2</n0:Fax>");
    assert!(schemas.validate(with_fax.as_bytes()).is_err(), "the restriction removed Fax:\n{with_fax}");
}

/// Redefinitions that cannot be applied are refused at their position.
#[test]
fn redefinitions_that_cannot_apply_are_positioned_errors() {
    let dir = std::env::temp_dir().join(format!("wsdlgen-redefine-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/wsdl/redefine/base.xsd")).unwrap();
    std::fs::write(dir.join("base.xsd"), base).unwrap();
    let wsdl = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/wsdl/redefine/service.wsdl")).unwrap();
    let cases = [
        // A type the redefined schema does not have.
        (r#"<xs:complexType name="Contact">"#, r#"<xs:complexType name="Nobody">"#, "no type of that name"),
        // Not derived from itself.
        (
            r#"<xs:restriction base="tns:Color">"#,
            r#"<xs:restriction base="xs:string">"#,
            "must restrict the type itself",
        ),
        // A group referring to itself twice.
        (
            r#"<xs:group ref="tns:Audit"/>"#,
            r#"<xs:group ref="tns:Audit"/><xs:group ref="tns:Audit"/>"#,
            "refer to itself once at most",
        ),
    ];
    for (from, to, expected) in cases {
        assert!(wsdl.contains(from), "{from}");
        let path = dir.join("service.wsdl");
        std::fs::write(&path, wsdl.replacen(from, to, 1)).unwrap();
        let error = wsdlgen::Builder::new().generate(&path).map(|_| ()).unwrap_err().to_string();
        assert!(error.contains(expected), "{error}");
        assert!(error.contains("service.wsdl:"), "positioned in the redefining file: {error}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
