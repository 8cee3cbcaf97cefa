//! `wsdlgen diff` on fixture pairs: `tests/diff/shop.wsdl` and, per case, a new version made by
//! textual edits of it (each edit must apply exactly once, so the fixture cannot drift from the
//! cases). Every case lists every change the report must hold, with its classification: Rust
//! API, old client against the new service, new client against the old service (`ok` or
//! `BREAKS`). The negative cases (identical, prefixes, formatting, comments, documentation,
//! declaration order) must report nothing.

use std::path::{Path, PathBuf};

use wsdlgen::{Change, ChangeKind, DiffReport};

fn base_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("diff/shop.wsdl")
}

/// Applies `edits` (each `from` must occur exactly once) to the base document.
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(base_path()).expect("tests/diff/shop.wsdl");
    for (from, to) in edits {
        // `ALL:` replaces every occurrence (there must be one at least).
        if let Some(from) = from.strip_prefix("ALL:") {
            assert!(text.contains(from), "the edit {from:?} matches nothing in shop.wsdl");
            text = text.replace(from, to);
            continue;
        }
        let n = text.matches(from).count();
        assert_eq!(n, 1, "the edit {from:?} matches {n} times in shop.wsdl");
        text = text.replacen(from, to, 1);
    }
    text
}

/// The report between the base and the edited version (written to a temporary file).
fn diff(case: &str, text: &str) -> DiffReport {
    let dir = std::env::temp_dir().join(format!("wsdlgen-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let new = dir.join(format!("{n}-{}.wsdl", case.replace(|c: char| !c.is_ascii_alphanumeric(), "-")));
    std::fs::write(&new, text).unwrap();
    let report = wsdlgen::Builder::new().diff(base_path(), &new).unwrap_or_else(|e| panic!("{case}: {e}"));
    let _ = std::fs::remove_file(&new);
    report
}

/// A change as the table writes it.
fn line(c: &Change) -> String {
    let v = |b: bool| if b { "BREAKS" } else { "ok" };
    format!(
        "{} {} {}: api {}, old {}, new {}",
        c.kind.as_str(),
        c.item.as_str(),
        c.path.join("/"),
        v(c.api.breaking),
        v(c.old_client.breaking),
        v(c.new_client.breaking)
    )
}

fn check(case: &str, edits: &[(&str, &str)], docs: bool, expected: &[&str]) -> Result<(), String> {
    let report = diff(case, &edited(edits));
    let mut got: Vec<String> = report.shown(docs).map(line).collect();
    got.sort();
    let mut want: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    want.sort();
    if got == want {
        // Every change has a reason on every axis.
        for c in report.shown(docs) {
            for (axis, v) in [("api", &c.api), ("old", &c.old_client), ("new", &c.new_client)] {
                if v.reason.is_empty() {
                    return Err(format!("{case}: {} has no {axis} reason", line(c)));
                }
            }
        }
        Ok(())
    } else {
        Err(format!(
            "{case}:\n  expected:\n    {}\n  reported:\n    {}\n  text:\n{}",
            want.join("\n    "),
            got.join("\n    "),
            report.to_text(docs)
        ))
    }
}

type Case = (&'static str, &'static [(&'static str, &'static str)], bool, &'static [&'static str]);

const RECEIPT_NOTE: &str = r#"<xs:element name="Note" type="xs:string" minOccurs="0"/>"#;

/// Every change kind, with its classification.
const CASES: &[Case] = &[
    // ---- negatives: nothing to report ----
    ("identical", &[], true, &[]),
    (
        "prefixes only",
        &[("ALL:tns:", "shop:"), ("xmlns:tns=", "xmlns:shop="), ("ALL:xs:", "xsd:"), ("xmlns:xs=", "xmlns:xsd=")],
        true,
        &[],
    ),
    (
        "formatting and comments",
        &[
            ("<wsdl:types>", "<!-- the types -->\n\n  <wsdl:types   >"),
            (
                r#"<xs:element name="Id" type="xs:int"/>
          <xs:element name="Customer""#,
                "<xs:element\n  name=\"Id\"\n  type=\"xs:int\"></xs:element><!-- c -->\n<xs:element name=\"Customer\"",
            ),
        ],
        true,
        &[],
    ),
    (
        "documentation without --docs",
        &[(
            r#"<xs:complexType name="PlaceOptions">"#,
            r#"<xs:complexType name="PlaceOptions"><xs:annotation><xs:documentation>How to place.</xs:documentation></xs:annotation>"#,
        )],
        false,
        &[],
    ),
    (
        "declaration order",
        &[
            (
                r#"      <xs:complexType name="Item">
        <xs:sequence>
          <xs:element name="Title" type="xs:string"/>
        </xs:sequence>
      </xs:complexType>
"#,
                "",
            ),
            (
                r#"      <xs:complexType name="Money">"#,
                r#"      <xs:complexType name="Item">
        <xs:sequence>
          <xs:element name="Title" type="xs:string"/>
        </xs:sequence>
      </xs:complexType>
      <xs:complexType name="Money">"#,
            ),
            (
                r#"  <wsdl:message name="GetOrderIn">
    <wsdl:part name="parameters" element="tns:GetOrder"/>
  </wsdl:message>
"#,
                "",
            ),
            (
                r#"  <wsdl:message name="Headers">"#,
                r#"  <wsdl:message name="GetOrderIn">
    <wsdl:part name="parameters" element="tns:GetOrder"/>
  </wsdl:message>
  <wsdl:message name="Headers">"#,
            ),
        ],
        true,
        &[],
    ),
    // ---- documentation, only with --docs ----
    (
        "documentation with --docs",
        &[(
            r#"<xs:complexType name="PlaceOptions">"#,
            r#"<xs:complexType name="PlaceOptions"><xs:annotation><xs:documentation>How to place.</xs:documentation></xs:annotation>"#,
        )],
        true,
        &["documentation type PlaceOptions: api ok, old ok, new ok"],
    ),
    // ---- fields ----
    (
        "optional field added to a response type",
        &[(
            RECEIPT_NOTE,
            r#"<xs:element name="Note" type="xs:string" minOccurs="0"/><xs:element name="Tax" type="xs:decimal" minOccurs="0"/>"#,
        )],
        false,
        &["added field Receipt/Tax: api ok, old ok, new ok"],
    ),
    (
        "required field added to a response type",
        &[(
            RECEIPT_NOTE,
            r#"<xs:element name="Note" type="xs:string" minOccurs="0"/><xs:element name="Tax" type="xs:decimal"/>"#,
        )],
        false,
        &["added field Receipt/Tax: api ok, old ok, new BREAKS"],
    ),
    (
        "optional field added between others of a type sent and received",
        &[(
            r#"<xs:element name="Customer" type="xs:string"/>"#,
            r#"<xs:element name="Customer" type="xs:string"/><xs:element name="Coupon" type="xs:string" minOccurs="0"/>"#,
        )],
        false,
        &["added field Order/Coupon: api ok, old ok, new ok"],
    ),
    (
        "required field added to a request type",
        &[(
            r#"<xs:element name="Priority" type="xs:int" minOccurs="0"/>"#,
            r#"<xs:element name="Priority" type="xs:int" minOccurs="0"/><xs:element name="Warehouse" type="xs:string"/>"#,
        )],
        false,
        &["added field PlaceOptions/Warehouse: api ok, old BREAKS, new BREAKS"],
    ),
    (
        "optional parameter added to an operation",
        &[(
            r#"<xs:element name="Options" type="tns:PlaceOptions"/>"#,
            r#"<xs:element name="Options" type="tns:PlaceOptions"/><xs:element name="Coupon" type="xs:string" minOccurs="0"/>"#,
        )],
        false,
        &[
            "added field PlaceOrder/Coupon: api ok, old ok, new ok",
            "signature_changed method Shop/PlaceOrder: api BREAKS, old ok, new ok",
        ],
    ),
    (
        "required field removed from a response type",
        &[(r#"<xs:element name="Number" type="xs:string"/>"#, "")],
        false,
        &["removed field Receipt/Number: api BREAKS, old BREAKS, new ok"],
    ),
    (
        "optional field removed from a request type",
        &[(r#"<xs:element name="Priority" type="xs:int" minOccurs="0"/>"#, "")],
        false,
        &["removed field PlaceOptions/Priority: api BREAKS, old BREAKS, new ok"],
    ),
    (
        "field renamed",
        &[(r#"<xs:element name="Number" type="xs:string"/>"#, r#"<xs:element name="Reference" type="xs:string"/>"#)],
        false,
        &[
            "removed field Receipt/Number: api BREAKS, old BREAKS, new ok",
            "added field Receipt/Reference: api ok, old ok, new BREAKS",
        ],
    ),
    (
        "type changed: short to boolean",
        &[(r#"<xs:element name="Quantity" type="xs:short"/>"#, r#"<xs:element name="Quantity" type="xs:boolean"/>"#)],
        false,
        &["type_changed field Order/Quantity: api BREAKS, old BREAKS, new BREAKS"],
    ),
    (
        "type widened in a response: short to int",
        &[(r#"<xs:element name="Count" type="xs:short"/>"#, r#"<xs:element name="Count" type="xs:int"/>"#)],
        false,
        &["type_changed field Receipt/Count: api BREAKS, old BREAKS, new ok"],
    ),
    (
        "type of a string field becomes an enumeration (same Rust field type name aside)",
        &[(
            r#"<xs:element name="Customer" type="xs:string"/>"#,
            r#"<xs:element name="Customer" type="tns:OrderStatus"/>"#,
        )],
        false,
        &["type_changed field Order/Customer: api BREAKS, old ok, new ok"],
    ),
    (
        "optional becomes required in a response",
        &[(RECEIPT_NOTE, r#"<xs:element name="Note" type="xs:string"/>"#)],
        false,
        &["occurrence_changed field Receipt/Note: api BREAKS, old ok, new BREAKS"],
    ),
    (
        "single becomes repeated in a response",
        &[(RECEIPT_NOTE, r#"<xs:element name="Note" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>"#)],
        false,
        &["occurrence_changed field Receipt/Note: api BREAKS, old BREAKS, new ok"],
    ),
    (
        "nillable added in a response",
        &[(RECEIPT_NOTE, r#"<xs:element name="Note" type="xs:string" minOccurs="0" nillable="true"/>"#)],
        false,
        &["occurrence_changed field Receipt/Note: api BREAKS, old BREAKS, new ok"],
    ),
    (
        "order changed in a type that is sent",
        &[(
            r#"<xs:element name="Id" type="xs:int"/>
          <xs:element name="Customer" type="xs:string"/>"#,
            r#"<xs:element name="Customer" type="xs:string"/>
          <xs:element name="Id" type="xs:int"/>"#,
        )],
        false,
        &["order_changed type Order: api ok, old BREAKS, new BREAKS"],
    ),
    (
        "order changed in a response type",
        &[(
            r#"<xs:element name="Number" type="xs:string"/>
          <xs:element name="Count" type="xs:short"/>"#,
            r#"<xs:element name="Count" type="xs:short"/>
          <xs:element name="Number" type="xs:string"/>"#,
        )],
        false,
        &["order_changed type Receipt: api ok, old ok, new ok"],
    ),
    (
        "element default changed",
        &[(r#"default="web"/>"#, r#"default="app"/>"#)],
        false,
        &["default_changed field Order/Channel: api ok, old BREAKS, new BREAKS"],
    ),
    // ---- attributes ----
    (
        "attribute default changed",
        &[(r#"default="EUR"/>"#, r#"default="USD"/>"#)],
        false,
        &["default_changed attribute Order/@currency: api ok, old BREAKS, new BREAKS"],
    ),
    (
        "attribute default becomes fixed",
        &[(r#"default="EUR"/>"#, r#"fixed="EUR"/>"#)],
        false,
        &["default_changed attribute Order/@currency: api ok, old BREAKS, new ok"],
    ),
    (
        "optional attribute added",
        &[(
            r#"<xs:attribute name="currency" type="xs:string" default="EUR"/>"#,
            r#"<xs:attribute name="currency" type="xs:string" default="EUR"/><xs:attribute name="source" type="xs:string"/>"#,
        )],
        false,
        &["added attribute Order/@source: api ok, old ok, new ok"],
    ),
    (
        "attribute added whose Rust name collides with an element's",
        &[(
            r#"<xs:attribute name="currency" type="xs:string" default="EUR"/>"#,
            r#"<xs:attribute name="currency" type="xs:string" default="EUR"/><xs:attribute name="channel" type="xs:string"/>"#,
        )],
        false,
        &[
            "added attribute Order/@channel: api ok, old ok, new ok",
            "rust_name_changed field Order/Channel: api BREAKS, old ok, new ok",
        ],
    ),
    (
        "required attribute added to a type that is sent",
        &[(
            r#"<xs:attribute name="currency" type="xs:string" default="EUR"/>"#,
            r#"<xs:attribute name="currency" type="xs:string" default="EUR"/><xs:attribute name="source" type="xs:string" use="required"/>"#,
        )],
        false,
        &["added attribute Order/@source: api ok, old BREAKS, new BREAKS"],
    ),
    (
        "attribute removed",
        &[(r#"<xs:attribute name="currency" type="xs:string" default="EUR"/>"#, "")],
        false,
        &["removed attribute Order/@currency: api BREAKS, old BREAKS, new ok"],
    ),
    (
        "simple content's text type changed",
        &[(r#"<xs:extension base="xs:decimal">"#, r#"<xs:extension base="xs:string">"#)],
        false,
        &["type_changed text Money: api BREAKS, old BREAKS, new ok"],
    ),
    // ---- enumerations, choices, derived types ----
    (
        "enum value added",
        &[(
            r#"<xs:enumeration value="Closed"/>"#,
            r#"<xs:enumeration value="Closed"/><xs:enumeration value="Returned"/>"#,
        )],
        false,
        &["added enum_value OrderStatus/Returned: api ok, old ok, new ok"],
    ),
    (
        "enum value removed",
        &[(r#"<xs:enumeration value="Closed"/>"#, "")],
        false,
        &["removed enum_value OrderStatus/Closed: api BREAKS, old BREAKS, new ok"],
    ),
    (
        "enum values reordered: another default",
        &[(
            r#"<xs:enumeration value="Open"/>
          <xs:enumeration value="Shipped"/>"#,
            r#"<xs:enumeration value="Shipped"/>
          <xs:enumeration value="Open"/>"#,
        )],
        false,
        &["order_changed type OrderStatus: api ok, old ok, new ok"],
    ),
    (
        "choice alternative added",
        &[(
            r#"<xs:element name="Invoice" type="xs:string"/>"#,
            r#"<xs:element name="Invoice" type="xs:string"/><xs:element name="Voucher" type="xs:string"/>"#,
        )],
        false,
        &["added variant OrderChoice/Voucher: api ok, old BREAKS, new ok"],
    ),
    (
        "choice alternative removed",
        &[(r#"<xs:element name="Invoice" type="xs:string"/>"#, "")],
        false,
        &["removed variant OrderChoice/Invoice: api BREAKS, old BREAKS, new BREAKS"],
    ),
    (
        "derived type added",
        &[(
            r#"      <xs:complexType name="Book">"#,
            r#"      <xs:complexType name="Music">
        <xs:complexContent>
          <xs:extension base="tns:Item">
            <xs:sequence>
              <xs:element name="Artist" type="xs:string"/>
            </xs:sequence>
          </xs:extension>
        </xs:complexContent>
      </xs:complexType>
      <xs:complexType name="Book">"#,
        )],
        false,
        &["added type Music: api ok, old ok, new ok", "added variant AnyItem/Music: api ok, old ok, new ok"],
    ),
    // ---- types ----
    (
        "type renamed",
        &[
            (r#"type="tns:Receipt""#, r#"type="tns:Bill""#),
            (r#"<xs:complexType name="Receipt">"#, r#"<xs:complexType name="Bill">"#),
        ],
        false,
        &[
            "removed type Receipt: api BREAKS, old ok, new ok",
            "added type Bill: api ok, old ok, new ok",
            "type_changed field GetOrderResponse/Receipt: api BREAKS, old ok, new ok",
        ],
    ),
    (
        "a colliding name renumbers a Rust type",
        &[
            (r#"xmlns:tns="urn:shop:v1">"#, r#"xmlns:tns="urn:shop:v1" xmlns:o="urn:other">"#),
            (
                r#"<xs:element name="OrderId" type="xs:int"/>"#,
                r#"<xs:element name="OrderId" type="xs:int"/><xs:element name="Ref" type="o:Order" minOccurs="0"/>"#,
            ),
            (
                "  </wsdl:types>",
                r#"    <xs:schema targetNamespace="urn:other" elementFormDefault="qualified">
      <xs:complexType name="Order">
        <xs:sequence>
          <xs:element name="Code" type="xs:string"/>
        </xs:sequence>
      </xs:complexType>
    </xs:schema>
  </wsdl:types>"#,
            ),
        ],
        false,
        &[
            "added type Order: api ok, old ok, new ok",
            "added field GetOrder/Ref: api ok, old ok, new ok",
            "signature_changed method Shop/GetOrder: api BREAKS, old ok, new ok",
            "rust_name_changed type Order: api BREAKS, old ok, new ok",
            "signature_changed method Shop/PlaceOrder: api BREAKS, old ok, new ok",
        ],
    ),
    // ---- operations, bindings, headers, faults ----
    (
        "operation added",
        &[
            (
                r#"  </wsdl:portType>"#,
                r#"    <wsdl:operation name="Ping">
      <wsdl:input message="tns:GetOrderIn"/>
      <wsdl:output message="tns:PlaceOrderOut"/>
    </wsdl:operation>
  </wsdl:portType>"#,
            ),
            (
                r#"  </wsdl:binding>"#,
                r#"    <wsdl:operation name="Ping">
      <soap:operation soapAction="urn:shop:v1/Ping" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>"#,
            ),
        ],
        false,
        &["added operation Shop/Ping: api ok, old ok, new ok"],
    ),
    (
        "operation removed",
        &[
            (
                r#"    <wsdl:operation name="GetOrder">
      <wsdl:input message="tns:GetOrderIn"/>
      <wsdl:output message="tns:GetOrderOut"/>
    </wsdl:operation>
"#,
                "",
            ),
            (
                r#"    <wsdl:operation name="GetOrder">
      <soap:operation soapAction="urn:shop:v1/GetOrder" style="document"/>
      <wsdl:input>
        <soap:header message="tns:Headers" part="Auth" use="literal"/>
        <soap:body use="literal"/>
      </wsdl:input>
      <wsdl:output>
        <soap:header message="tns:Headers" part="Trace" use="literal"/>
        <soap:body use="literal"/>
      </wsdl:output>
    </wsdl:operation>
"#,
                "",
            ),
        ],
        false,
        &[
            "removed operation Shop/GetOrder: api BREAKS, old BREAKS, new ok",
            "removed header Shop/response header Trace: api BREAKS, old ok, new ok",
            "removed type GetOrder: api BREAKS, old ok, new ok",
            "removed type GetOrderResponse: api BREAKS, old ok, new ok",
            "removed type Receipt: api BREAKS, old ok, new ok",
            "removed type Money: api BREAKS, old ok, new ok",
            "removed type Item: api BREAKS, old ok, new ok",
            "removed type AnyItem: api BREAKS, old ok, new ok",
            "removed type Book: api BREAKS, old ok, new ok",
        ],
    ),
    (
        "operation renamed",
        &[
            (
                r#"<wsdl:operation name="PlaceOrder">
      <wsdl:input"#,
                r#"<wsdl:operation name="SubmitOrder">
      <wsdl:input"#,
            ),
            (
                r#"<wsdl:operation name="PlaceOrder">
      <soap:operation"#,
                r#"<wsdl:operation name="SubmitOrder">
      <soap:operation"#,
            ),
        ],
        false,
        &[
            "removed operation Shop/PlaceOrder: api BREAKS, old BREAKS, new ok",
            "added operation Shop/SubmitOrder: api ok, old ok, new ok",
        ],
    ),
    (
        "SOAP action changed",
        &[(r#"soapAction="urn:shop:v1/GetOrder""#, r#"soapAction="urn:shop:v1/FetchOrder""#)],
        false,
        &["action_changed operation Shop/GetOrder: api ok, old BREAKS, new BREAKS"],
    ),
    (
        "SOAP version changed",
        &[(
            r#"xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/""#,
            r#"xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap12/""#,
        )],
        false,
        &["soap_version_changed binding Shop/ShopSoap: api ok, old BREAKS, new BREAKS"],
    ),
    (
        "address changed",
        &[("https://shop.example/v1/Shop.svc", "https://shop.example/v2/Shop.svc")],
        false,
        &["address_changed binding Shop/ShopSoap: api ok, old ok, new ok"],
    ),
    (
        "fault added",
        &[
            (
                r#"<wsdl:output message="tns:GetOrderOut"/>"#,
                r#"<wsdl:output message="tns:GetOrderOut"/><wsdl:fault name="OrderFault" message="tns:OrderFault"/>"#,
            ),
            (
                r#"        <soap:header message="tns:Headers" part="Trace" use="literal"/>
        <soap:body use="literal"/>
      </wsdl:output>"#,
                r#"        <soap:header message="tns:Headers" part="Trace" use="literal"/>
        <soap:body use="literal"/>
      </wsdl:output>
      <wsdl:fault name="OrderFault"><soap:fault name="OrderFault" use="literal"/></wsdl:fault>"#,
            ),
        ],
        false,
        &["fault_added fault Shop/GetOrder/OrderFault: api ok, old ok, new ok"],
    ),
    (
        "fault removed",
        &[
            (
                r#"      <wsdl:fault name="OrderFault" message="tns:OrderFault"/>
"#,
                "",
            ),
            (
                r#"      <wsdl:fault name="OrderFault">
        <soap:fault name="OrderFault" use="literal"/>
      </wsdl:fault>
"#,
                "",
            ),
        ],
        false,
        &["fault_removed fault Shop/PlaceOrder/OrderFault: api BREAKS, old ok, new ok"],
    ),
    (
        "request header added",
        &[
            (
                r#"<wsdl:part name="Trace" element="tns:Trace"/>"#,
                r#"<wsdl:part name="Trace" element="tns:Trace"/><wsdl:part name="Locale" element="tns:Locale"/>"#,
            ),
            (
                r#"<xs:element name="Trace" type="xs:string"/>"#,
                r#"<xs:element name="Trace" type="xs:string"/><xs:element name="Locale" type="xs:string"/>"#,
            ),
            (
                r#"<soap:operation soapAction="urn:shop:v1/PlaceOrder" style="document"/>
      <wsdl:input>"#,
                r#"<soap:operation soapAction="urn:shop:v1/PlaceOrder" style="document"/>
      <wsdl:input>
        <soap:header message="tns:Headers" part="Locale" use="literal"/>"#,
            ),
        ],
        false,
        &["added header Shop/request header Locale: api ok, old ok, new ok"],
    ),
    (
        "response header added to another operation",
        &[(
            r#"      <wsdl:output>
        <soap:body use="literal"/>
      </wsdl:output>"#,
            r#"      <wsdl:output>
        <soap:header message="tns:Headers" part="Trace" use="literal"/>
        <soap:body use="literal"/>
      </wsdl:output>"#,
        )],
        false,
        &["added header Shop/PlaceOrder/response header Trace: api ok, old ok, new ok"],
    ),
    (
        "header type changed",
        &[(r#"<xs:element name="Auth" type="xs:string"/>"#, r#"<xs:element name="Auth" type="xs:int"/>"#)],
        false,
        &["type_changed header Shop/request header Auth: api BREAKS, old BREAKS, new ok"],
    ),
    (
        "WS-Addressing turned on",
        &[(
            r#"<soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>"#,
            r#"<soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/><wsaw:UsingAddressing xmlns:wsaw="http://www.w3.org/2006/05/addressing/wsdl"/>"#,
        )],
        false,
        &["binding_changed binding Shop/ShopSoap: api ok, old BREAKS, new ok"],
    ),
    // ---- namespaces ----
    (
        "target namespace moved",
        &[
            (
                r#"targetNamespace="urn:shop:v1"
    xmlns:wsdl"#,
                r#"targetNamespace="urn:shop:v2"
    xmlns:wsdl"#,
            ),
            (r#"xmlns:tns="urn:shop:v1">"#, r#"xmlns:tns="urn:shop:v2">"#),
            (r#"<xs:schema targetNamespace="urn:shop:v1""#, r#"<xs:schema targetNamespace="urn:shop:v2""#),
            (r#"soapAction="urn:shop:v1/GetOrder""#, r#"soapAction="urn:shop:v2/GetOrder""#),
            (r#"soapAction="urn:shop:v1/PlaceOrder""#, r#"soapAction="urn:shop:v2/PlaceOrder""#),
        ],
        false,
        &["namespace_moved namespace urn:shop:v1: api ok, old BREAKS, new BREAKS"],
    ),
];

#[test]
fn every_change_kind_is_reported_with_its_classification() {
    let mut failures = Vec::new();
    for (case, edits, docs, expected) in CASES {
        if let Err(e) = check(case, edits, *docs, expected) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n\n{}", failures.len(), CASES.len(), failures.join("\n\n"));
}

#[test]
fn the_table_covers_every_change_kind() {
    let mut seen = std::collections::BTreeSet::new();
    for (case, edits, docs, _) in CASES {
        for c in diff(case, &edited(edits)).shown(*docs) {
            seen.insert(c.kind);
        }
    }
    use ChangeKind::*;
    for kind in [
        NamespaceMoved,
        Added,
        Removed,
        TypeChanged,
        OccurrenceChanged,
        OrderChanged,
        DefaultChanged,
        ActionChanged,
        SoapVersionChanged,
        BindingChanged,
        FaultAdded,
        FaultRemoved,
        AddressChanged,
        SignatureChanged,
        RustNameChanged,
        Documentation,
    ] {
        assert!(seen.contains(&kind), "no case reports {}", kind.as_str());
    }
}

#[test]
fn renames_come_with_a_hint() {
    let report = diff(
        "field renamed",
        &edited(&[(
            r#"<xs:element name="Number" type="xs:string"/>"#,
            r#"<xs:element name="Reference" type="xs:string"/>"#,
        )]),
    );
    let hints: Vec<&str> = report.changes.iter().filter_map(|c| c.hint.as_deref()).collect();
    assert_eq!(hints.len(), 2, "{}", report.to_text(false));
    assert!(hints.iter().any(|h| h.contains("`Reference`")) && hints.iter().any(|h| h.contains("`Number`")));
    let report = diff(
        "type renamed",
        &edited(&[
            (r#"type="tns:Receipt""#, r#"type="tns:Bill""#),
            (r#"<xs:complexType name="Receipt">"#, r#"<xs:complexType name="Bill">"#),
        ]),
    );
    assert!(
        report.changes.iter().any(|c| c.hint.as_deref().is_some_and(|h| h.contains("`Receipt`"))),
        "{}",
        report.to_text(false)
    );
}

#[test]
fn a_type_change_names_both_types_in_xml_and_rust() {
    let report = diff(
        "short to boolean",
        &edited(&[(
            r#"<xs:element name="Quantity" type="xs:short"/>"#,
            r#"<xs:element name="Quantity" type="xs:boolean"/>"#,
        )]),
    );
    let c = &report.changes[0];
    assert_eq!(c.old.as_deref(), Some("xs:short, Rust `i16`"));
    assert_eq!(c.new.as_deref(), Some("xs:boolean, Rust `bool`"));
    assert_eq!(c.rust.as_deref(), Some("Order::quantity"));
}

#[test]
fn errors_in_either_input_name_file_line_and_column() {
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/broken/undefined-type.wsdl");
    for (old, new) in [(base_path(), broken.clone()), (broken.clone(), base_path())] {
        let e = wsdlgen::Builder::new().diff(&old, &new).unwrap_err().to_string();
        assert!(e.contains("undefined-type.wsdl:"), "{e}");
        let pos = e.split("undefined-type.wsdl:").nth(1).unwrap();
        let mut parts = pos.split(':');
        assert!(parts.next().unwrap().parse::<u32>().is_ok() && parts.next().unwrap().parse::<u32>().is_ok(), "{e}");
    }
}

#[test]
fn output_is_deterministic() {
    let text = edited(&[(r#"<xs:enumeration value="Closed"/>"#, ""), (RECEIPT_NOTE, "")]);
    let mut a = diff("determinism", &text);
    let mut b = diff("determinism", &text);
    // The new versions were written to two temporary files.
    a.new = "new.wsdl".into();
    b.new = "new.wsdl".into();
    assert_eq!(a.to_text(true), b.to_text(true));
    assert_eq!(a.to_json(true), b.to_json(true));
}

/// A real third-party version pair: ONVIF Device Management at schema version 2.4.2 (2014,
/// `tests/diff/onvif-devicemgmt-2.4.2/`) and 25.12 (the corpus entry). The report is kept as a
/// snapshot (`WSDLGEN_UPDATE_SNAPSHOTS=1` rewrites it).
#[test]
fn a_real_third_party_pair_onvif_device_management() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let old = root.join("diff/onvif-devicemgmt-2.4.2/devicemgmt.wsdl");
    let new = root.join("corpus/onvif-devicemgmt/ver10/device/wsdl/devicemgmt.wsdl");
    let mut report = wsdlgen::Builder::new().diff(&old, &new).unwrap();
    report.old = "tests/diff/onvif-devicemgmt-2.4.2/devicemgmt.wsdl".into();
    report.new = "tests/corpus/onvif-devicemgmt/ver10/device/wsdl/devicemgmt.wsdl".into();
    let added_operations =
        report.changes.iter().filter(|c| c.kind == ChangeKind::Added && c.item == wsdlgen::Item::Operation).count();
    assert!(added_operations >= 20, "{}", report.to_text(false));
    assert!(!report.changes.iter().any(|c| c.kind == ChangeKind::NamespaceMoved));
    let text = report.to_text(false);
    let path = root.join("snapshots/diff/onvif-devicemgmt-2.4.2-25.12.txt");
    if std::env::var_os("WSDLGEN_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == text,
        "{} differs from the report:\n{text}\nIf intended, run `WSDLGEN_UPDATE_SNAPSHOTS=1 cargo test -p wsdlgen-tests --test diff_changes`.",
        path.display()
    );
}
