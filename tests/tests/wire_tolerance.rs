//! Wire tolerance, shown with real generated code: the `services87` decoders (bindings of the
//! older schema) read responses written by a service that speaks a newer one.
//!
//! - `extras_anywhere_are_skipped_and_known_values_kept`: for a dozen User responses (full
//!   instances, WCF style, unknown enumeration values among them), an unknown element before
//!   every child and after the last one of every complex element (where WCF's data-contract
//!   ordering puts new members: anywhere, by name), unknown attributes on every element and
//!   unknown header entries: the decoded value, encoded again, equals the instance without the
//!   extras.
//! - `a_type_change_is_a_decode_error_naming_the_path`: a value of another type (`xs:short` ->
//!   `xs:boolean`) fails with the element path.
//! - `random_additive_changes_are_compatible_and_tolerated` (property test): random additive
//!   changes to the User WSDL (optional elements anywhere in sequences, enumeration values,
//!   optional attributes); `wsdlgen diff` must report each change it sees as an addition that
//!   breaks neither wire direction, and the old decoders must read full instances of the new
//!   schema, keeping every value they know.

use std::path::{Path, PathBuf};

use roxmltree::{Document, Node};
use services87::user::{self, NAMESPACES, NS0, UserResponseHeaders};
use wsdlgen_runtime::codegen::XmlWriter;
use wsdlgen_runtime::{DecodeLimits, Encode, Operation};
use wsdlgen_tests::support::instance::{
    Builder, CNode, Entropy, Fill, Options, QName, Schema, SplitMix, canonical, diff, escape_attr, escape_text,
};

const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";

type DecodeFn = fn(&[u8]) -> Result<(String, UserResponseHeaders), String>;

macro_rules! responses {
    ($($op:ident),* $(,)?) => {
        /// Responses of the User agent whose types cover the WSDL's constructs (inheritance,
        /// arrays of arrays, dictionaries, flag lists, enumerations, recursion, dates).
        fn responses() -> Vec<(&'static str, DecodeFn)> {
            vec![$((stringify!($op), decode::<user::$op> as DecodeFn)),*]
        }
    };
}

responses!(
    GetUser,
    GetCredentialTypes,
    GetRoleEntity,
    GetServiceAuth,
    GetAllRoles,
    GetUserGroup,
    GetDataRights,
    GetUserInfoList,
    GetFunctionalRights,
    ExecuteUserCommand,
    GetUntrustedCredentials,
    FindCredentialUsers,
);

/// Decodes a response envelope with the old bindings; gives the body encoded again and the
/// header set.
fn decode<O>(envelope: &[u8]) -> Result<(String, UserResponseHeaders), String>
where
    O: Operation<ResponseHeaders = UserResponseHeaders>,
    O::Response: Encode,
{
    let reply =
        wsdlgen_runtime::codegen::decode_response::<O>(envelope, DecodeLimits::default()).map_err(|e| e.to_string())?;
    let (ns, local) = O::RESPONSE_ELEMENT;
    let prefix = NAMESPACES.iter().find(|(_, uri)| *uri == ns).map(|(p, _)| *p).expect("a prefix");
    let mut w = XmlWriter::new();
    w.declare_on_next(NAMESPACES);
    reply.body.encode(&mut w, &format!("{prefix}:{local}"));
    Ok((String::from_utf8(w.into_inner()).expect("UTF-8"), reply.headers))
}

fn wsdl_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../wsdl/Services87-User.wsdl")
}

fn envelope(extra_headers: &str, body: &str) -> String {
    format!(
        "<s:Envelope xmlns:s=\"{SOAP11}\"><s:Header><h:Succeeded xmlns:h=\"{NS0}\">true</h:Succeeded>{extra_headers}</s:Header>\
         <s:Body>{body}</s:Body></s:Envelope>"
    )
}

/// Header entries a newer service may add: one in the service's namespace with content, one in
/// another namespace marked `mustUnderstand="0"`.
fn extra_headers() -> String {
    format!(
        "<h:RequestStatistics xmlns:h=\"{NS0}\"><h:Millis>12</h:Millis><h:Server>nsa-3</h:Server></h:RequestStatistics>\
         <x:Trace xmlns:x=\"urn:example:future\" s:mustUnderstand=\"0\" x:level=\"2\">abc</x:Trace>"
    )
}

// ---------------------------------------------------------------------------------------------
// writing an instance again, with extras
// ---------------------------------------------------------------------------------------------

/// Writes `node` again with every namespace declared on the element that uses it; with
/// `extras`, an unknown element before each child element and after the last of every element
/// that has child elements, and two unknown attributes on every element.
fn rewrite(node: Node<'_, '_>, extras: bool, counter: &mut usize, out: &mut String) {
    let ns = node.tag_name().namespace().unwrap_or_default();
    let local = node.tag_name().name();
    out.push_str(&format!("<e:{local} xmlns:e=\"{}\"", escape_attr(ns)));
    for (i, a) in node.attributes().enumerate() {
        match a.namespace() {
            Some(ans) => out.push_str(&format!(
                " xmlns:a{i}=\"{}\" a{i}:{}=\"{}\"",
                escape_attr(ans),
                a.name(),
                escape_attr(a.value())
            )),
            None => out.push_str(&format!(" {}=\"{}\"", a.name(), escape_attr(a.value()))),
        }
    }
    if extras {
        *counter += 1;
        out.push_str(&format!(" futureFlag=\"{counter}\" xmlns:f=\"urn:example:future\" f:origin=\"v88\""));
    }
    out.push('>');
    let children: Vec<Node<'_, '_>> = node.children().filter(Node::is_element).collect();
    if children.is_empty() {
        out.push_str(&escape_text(node.text().unwrap_or_default()));
    } else {
        // New members in the namespace of the type's members, as WCF writes them.
        let member_ns = children[0].tag_name().namespace().unwrap_or_default();
        for child in &children {
            if extras {
                extra_element(member_ns, counter, out);
            }
            rewrite(*child, extras, counter, out);
        }
        if extras {
            extra_element(member_ns, counter, out);
        }
    }
    out.push_str(&format!("</e:{local}>"));
}

/// An unknown element: text, nested elements, nil or empty, by turns.
fn extra_element(ns: &str, counter: &mut usize, out: &mut String) {
    *counter += 1;
    let n = *counter;
    let ns = escape_attr(ns);
    match n % 4 {
        0 => out.push_str(&format!("<x:NewMember{n} xmlns:x=\"{ns}\">added &amp; new</x:NewMember{n}>")),
        1 => out.push_str(&format!(
            "<x:NewStruct{n} xmlns:x=\"{ns}\"><x:Id>7</x:Id><x:Items><x:Item>a</x:Item><x:Item/></x:Items></x:NewStruct{n}>"
        )),
        2 => out.push_str(&format!(
            "<x:NewNil{n} xmlns:x=\"{ns}\" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" i:nil=\"true\"/>"
        )),
        _ => out.push_str(&format!("<x:NewEmpty{n} xmlns:x=\"{ns}\"/>")),
    }
}

fn rewritten(xml: &str, extras: bool) -> (String, usize) {
    let doc = Document::parse(xml).expect("instance");
    let mut out = String::new();
    let mut counter = 0;
    rewrite(doc.root_element(), extras, &mut counter, &mut out);
    (out, counter)
}

fn output_element(schema: &Schema, op: &str) -> QName {
    schema.operations.iter().find(|o| o.name == op).unwrap_or_else(|| panic!("no operation {op}")).output.clone()
}

#[test]
fn extras_anywhere_are_skipped_and_known_values_kept() {
    let schema = Schema::from_wsdl(wsdl_path());
    let mut options = Options::wcf(Fill::Full);
    // `xsi:type` values name prefixes of the document they are in: rewriting would lose them.
    options.xsi_type_every = 0;
    options.unknown_enum_values = true;
    let mut extras_total = 0;
    let mut failures = Vec::new();
    for (op, decode) in responses() {
        let instance =
            Builder::new(&schema, options.clone()).build(&output_element(&schema, op), &mut SplitMix::from_label(op));
        let (plain, _) = rewritten(&instance.wire, false);
        let (with_extras, extras) = rewritten(&instance.wire, true);
        extras_total += extras;
        let (known, known_headers) = match decode(envelope("", &plain).as_bytes()) {
            Ok(d) => d,
            Err(e) => panic!("{op}: the instance itself does not decode: {e}"),
        };
        let (read, headers) = match decode(envelope(&extra_headers(), &with_extras).as_bytes()) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{op}: {e}"));
                continue;
            }
        };
        let expected = canonical(&instance.canonical).expect("canonical instance");
        for (what, got) in [("without extras", &known), ("with extras", &read)] {
            if let Some(d) = diff(&expected, &canonical(got).expect("re-encoded")) {
                failures.push(format!("{op} {what}: {d}"));
            }
        }
        if headers != known_headers || headers.succeeded != Some(true) {
            failures.push(format!("{op}: the header set differs: {headers:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(extras_total > 1000, "only {extras_total} extras were written");
}

#[test]
fn a_type_change_is_a_decode_error_naming_the_path() {
    // `Rank` is an `xs:short`; a newer schema making it an `xs:boolean` sends `true`.
    let body = format!(
        "<GetUserResponse xmlns=\"{NS0}\"><Response><AssociateId>7</AssociateId><Rank>true</Rank></Response></GetUserResponse>"
    );
    let e = decode::<user::GetUser>(envelope("", &body).as_bytes()).unwrap_err();
    assert!(e.contains("Envelope/Body/GetUserResponse/Response/Rank"), "{e}");
    assert!(e.contains("true"), "{e}");
    // A repeated element where one was declared is an error too (the diff calls single ->
    // repeated breaking for old clients).
    let body = format!(
        "<GetUserResponse xmlns=\"{NS0}\"><Response><AssociateId>7</AssociateId><AssociateId>8</AssociateId></Response></GetUserResponse>"
    );
    let e = decode::<user::GetUser>(envelope("", &body).as_bytes()).unwrap_err();
    assert!(e.contains("Response/AssociateId") || e.contains("AssociateId"), "{e}");
}

// ---------------------------------------------------------------------------------------------
// random additive schema changes
// ---------------------------------------------------------------------------------------------

/// A new version of the User WSDL: the old text with additions, and the names of what was added.
struct Evolved {
    text: String,
    fields: Vec<String>,
    values: Vec<String>,
    attributes: Vec<String>,
}

fn is_xs(n: &Node<'_, '_>, local: &str) -> bool {
    n.is_element() && n.has_tag_name(("http://www.w3.org/2001/XMLSchema", local))
}

/// Applies `count` random additions to the User WSDL: an optional element at a random place of
/// a sequence (not in array or dictionary types, whose shape would change), an enumeration
/// value, an optional attribute.
fn evolve(old: &str, rng: &mut SplitMix, count: usize) -> Evolved {
    let doc = Document::parse(old).expect("User WSDL");
    let mut element_points = Vec::new();
    let mut attribute_points = Vec::new();
    let mut value_points = Vec::new();
    // The entry types of WCF dictionaries (`StringKeyValuePair`, ...).
    let entries: Vec<&str> = doc
        .descendants()
        .filter(|n| is_xs(n, "complexType") && n.descendants().any(|d| d.tag_name().name() == "IsDictionary"))
        .flat_map(|d| d.descendants().filter(|n| is_xs(n, "element")).filter_map(|e| e.attribute("type")))
        .map(|t| t.rsplit(':').next().unwrap_or(t))
        .collect();
    for seq in doc.descendants().filter(|n| is_xs(n, "sequence")) {
        let Some(owner) = seq.ancestors().find(|n| is_xs(n, "complexType")) else { continue };
        let name = owner.attribute("name").unwrap_or_default();
        // A dictionary, or the anonymous entry type inside one.
        let dictionary = seq
            .ancestors()
            .filter(|n| is_xs(n, "complexType"))
            .any(|ct| ct.descendants().any(|n| n.tag_name().name() == "IsDictionary"));
        let schema_ns = seq.ancestors().find(|n| is_xs(n, "schema")).and_then(|s| s.attribute("targetNamespace"));
        // Array wrappers, dictionaries and their entries are recognized by their shape: an
        // addition makes them structs, which the diff reports as a breaking change of kind,
        // rightly; the property is about additions that keep shapes.
        if name.starts_with("ArrayOf") || entries.contains(&name) || dictionary || schema_ns != Some(NS0) {
            continue;
        }
        let children: Vec<Node<'_, '_>> = seq.children().filter(|n| is_xs(n, "element")).collect();
        if children.is_empty() {
            continue;
        }
        element_points.extend(children.iter().map(|c| c.range().start));
        element_points.push(children.last().unwrap().range().end);
        attribute_points.push(seq.range().end);
    }
    for e in doc.descendants().filter(|n| is_xs(n, "enumeration")) {
        if e.ancestors().find(|n| is_xs(n, "schema")).and_then(|s| s.attribute("targetNamespace")) == Some(NS0) {
            value_points.push(e.range().end);
        }
    }
    // Built-in types (the prefixes of the WSDL's schemas differ, so a complex type would need
    // its namespace bound at the insertion point).
    let types = ["xs:string", "xs:int", "xs:boolean", "xs:dateTime", "xs:decimal"];
    let mut inserts: Vec<(usize, String)> = Vec::new();
    let mut evolved = Evolved { text: String::new(), fields: Vec::new(), values: Vec::new(), attributes: Vec::new() };
    for k in 0..count {
        match rng.below(4) {
            0 | 1 => {
                let at = element_points[rng.below(element_points.len() as u64) as usize];
                let ty = types[rng.below(types.len() as u64) as usize];
                let name = format!("AddedMember{k}");
                inserts.push((
                    at,
                    format!("<xs:element minOccurs=\"0\" name=\"{name}\" nillable=\"true\" type=\"{ty}\" />"),
                ));
                evolved.fields.push(name);
            }
            2 => {
                let at = value_points[rng.below(value_points.len() as u64) as usize];
                let value = format!("AddedValue{k}");
                inserts.push((at, format!("<xs:enumeration value=\"{value}\" />")));
                evolved.values.push(value);
            }
            _ => {
                let at = attribute_points[rng.below(attribute_points.len() as u64) as usize];
                let name = format!("addedAttribute{k}");
                inserts.push((at, format!("<xs:attribute name=\"{name}\" type=\"xs:string\" />")));
                evolved.attributes.push(name);
            }
        }
    }
    // Later offsets first, so earlier ones stay valid.
    inserts.sort_by_key(|i| std::cmp::Reverse(i.0));
    let mut text = old.to_owned();
    for (at, piece) in &inserts {
        text.insert_str(*at, piece);
    }
    evolved.text = text;
    evolved
}

/// `node` without the elements whose local name starts with `AddedMember`.
fn strip_added(node: &CNode) -> CNode {
    CNode {
        name: node.name.clone(),
        attributes: node.attributes.clone(),
        text: node.text.clone(),
        children: node.children.iter().filter(|c| !c.name.local.starts_with("AddedMember")).map(strip_added).collect(),
    }
}

fn names_in(node: &CNode, out: &mut std::collections::BTreeSet<String>) {
    if node.name.local.starts_with("AddedMember") {
        out.insert(node.name.local.clone());
    }
    for c in &node.children {
        names_in(c, out);
    }
}

/// `Err(message)` unless `condition` holds.
macro_rules! ensure {
    ($condition:expr) => {
        if !$condition {
            return Err(format!("failed: {}", stringify!($condition)));
        }
    };
    ($condition:expr, $($message:tt)+) => {
        if !$condition {
            return Err(format!($($message)+));
        }
    };
}

fn check_evolution(seed: u64) -> Result<(), String> {
    let old_text = std::fs::read_to_string(wsdl_path()).expect("User WSDL");
    let mut rng = SplitMix(seed);
    let count = 1 + rng.below(6) as usize;
    let evolved = evolve(&old_text, &mut rng, count);
    let dir = std::env::temp_dir().join(format!("wsdlgen-evolve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let new_path = dir.join(format!("{seed}.wsdl"));
    std::fs::write(&new_path, &evolved.text).unwrap();

    // 1. The diff: additions only, none breaking the wire; API breaks only through signatures.
    let report = wsdlgen::Builder::new().diff(wsdl_path(), &new_path).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&new_path);
    let mut reported_fields = std::collections::BTreeSet::new();
    for c in &report.changes {
        let last = c.path.last().cloned().unwrap_or_default();
        ensure!(!c.old_client.breaking && !c.new_client.breaking, "wire-breaking: {}", report.to_text(false));
        match (c.kind, c.item) {
            (wsdlgen::ChangeKind::Added, wsdlgen::Item::Field) => {
                ensure!(evolved.fields.contains(&last), "{last} was not added");
                reported_fields.insert(last);
            }
            (wsdlgen::ChangeKind::Added, wsdlgen::Item::EnumValue) => ensure!(evolved.values.contains(&last)),
            (wsdlgen::ChangeKind::Added, wsdlgen::Item::Attribute) => {
                ensure!(evolved.attributes.iter().any(|a| last == format!("@{a}")), "{last}")
            }
            (wsdlgen::ChangeKind::SignatureChanged, wsdlgen::Item::Method) => {}
            // A new optional element of a new type may bring the type in.
            (wsdlgen::ChangeKind::Added, wsdlgen::Item::Type) => {}
            _ => return Err(format!("unexpected change: {}", report.to_text(false))),
        }
        if c.api.breaking {
            ensure!(c.kind == wsdlgen::ChangeKind::SignatureChanged, "API-breaking: {}", report.to_text(false));
        }
    }

    // 2. The old decoders read full instances of the new schema and keep what they know.
    let schema = Schema::from_wsdl_text(&evolved.text)?;
    let all = responses();
    for _ in 0..3 {
        let (op, decode) = all[rng.below(all.len() as u64) as usize];
        let label = format!("{seed}/{op}");
        let instance = Builder::new(&schema, Options::wcf(Fill::Full))
            .build(&output_element(&schema, op), &mut SplitMix::from_label(&label));
        let (read, _) = decode(envelope(&extra_headers(), &instance.wire).as_bytes())
            .map_err(|e| format!("{op}: the old decoders fail on the new schema's instance: {e}"))?;
        let full = canonical(&instance.canonical).expect("canonical");
        let mut present = std::collections::BTreeSet::new();
        names_in(&full, &mut present);
        // Whatever the new schema put in a response is something the diff reported.
        for name in &present {
            ensure!(
                reported_fields.contains(name),
                "{name} is in a {op} response but not in the report:\n{}",
                report.to_text(false)
            );
        }
        if let Some(d) = diff(&strip_added(&full), &canonical(&read).expect("re-encoded")) {
            return Err(format!("{op}: a known value was lost: {d}"));
        }
    }
    Ok(())
}

/// Fixed seeds from a deterministic generator, so that every run checks the same evolutions
/// (`CONFORMANCE_CASES` sets how many; a failure names its seed).
#[test]
fn random_additive_changes_are_compatible_and_tolerated() {
    let cases: u64 = std::env::var("CONFORMANCE_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24);
    let mut seeds = SplitMix::from_label("wire_tolerance/evolve");
    let mut failures = Vec::new();
    for _ in 0..cases {
        let seed = seeds.below(u64::MAX);
        if let Err(e) = check_evolution(seed) {
            failures.push(format!("seed {seed}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{} of {cases} evolutions fail:\n{}", failures.len(), failures.join("\n\n"));
}
