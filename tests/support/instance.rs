//! Schema-driven XML instances and the tools to check what the generated code makes of them.
//!
//! Everything here reads the WSDL's `xs:schema`s itself (with `roxmltree`) and knows nothing of
//! the generator or the runtime, so it can judge them:
//!
//! - [`Schema`]: global elements, named and anonymous complex types (extension bases first),
//!   simple types (enumerations, lists, patterns), element references, `nillable`,
//!   `minOccurs`/`maxOccurs`, WCF dictionaries (`IsDictionary`), and the WSDL's operations.
//! - [`Builder`]: writes an instance of any global element, [`Fill::Full`] (every optional element
//!   present, recursion cut after a few levels, with `xsi:nil` where the cut falls on a nillable
//!   element), [`Fill::Minimal`] (only what the schema requires) or [`Fill::Random`] (driven by an
//!   [`Entropy`] source, e.g. a proptest tape). Each instance comes as two documents: the `wire`
//!   form (what a peer may send: WCF-style default namespaces, `xsi:type`, non-canonical but equal
//!   lexical forms, CDATA, character references, indentation) and the `canonical` form (what an
//!   encoder that writes the same values must produce, up to prefixes and insignificant
//!   whitespace).
//! - [`canonical`] and [`diff`]: XML as a tree of (namespace URI, local name, attributes, text,
//!   children), ignoring prefix choice, namespace declarations and whitespace between elements.
//! - [`xmllint_batch`]: one `xmllint --schema` run for many documents; [`combined_schema`]: a
//!   schema importing several (e.g. the SOAP envelope schema and the WSDL's schemas).
//! - [`check_envelope`]: the structure of a SOAP 1.1 or 1.2 envelope, and its parts.
//! - [`standalone`]: an element of a parsed document as a document of its own.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use roxmltree::{Document, Node};

/// `http://www.w3.org/2001/XMLSchema`
pub const XS_NS: &str = "http://www.w3.org/2001/XMLSchema";
/// `http://www.w3.org/2001/XMLSchema-instance`
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// `http://schemas.xmlsoap.org/wsdl/`
pub const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
/// `http://schemas.microsoft.com/2003/10/Serialization/` (WCF)
pub const SER_NS: &str = "http://schemas.microsoft.com/2003/10/Serialization/";

// =============================================================================================
// The schema model
// =============================================================================================

/// A namespace URI and a local name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QName {
    pub ns: String,
    pub local: String,
}

impl QName {
    pub fn new(ns: impl Into<String>, local: impl Into<String>) -> Self {
        QName { ns: ns.into(), local: local.into() }
    }
}

impl fmt::Display for QName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{}}}{}", self.ns, self.local)
    }
}

/// An element declaration (global or local particle).
#[derive(Clone, Debug)]
pub struct Element {
    /// The element's name (namespace after `form`/`elementFormDefault`).
    pub name: QName,
    pub ty: TypeRef,
    pub min: u32,
    /// `None` for `unbounded`.
    pub max: Option<u32>,
    pub nillable: bool,
}

impl Element {
    pub fn repeats(&self) -> bool {
        self.max != Some(1)
    }
}

/// How an element names its type.
#[derive(Clone, Debug)]
pub enum TypeRef {
    /// A named type (built-in when the namespace is [`XS_NS`]).
    Named(QName),
    /// An anonymous type declared inside the element.
    Anonymous(Arc<TypeDef>),
    /// `<xs:element ref="...">`: the referenced global element gives name, type and nillable.
    ElementRef(QName),
}

/// A type definition.
#[derive(Clone, Debug)]
pub enum TypeDef {
    Complex(Complex),
    Simple(Simple),
}

/// A complex type with element-only content.
#[derive(Clone, Debug)]
pub struct Complex {
    pub name: Option<QName>,
    /// `complexContent/extension/@base`
    pub base: Option<QName>,
    /// Its own particles (the base's come first on the wire).
    pub particles: Vec<Element>,
    /// `annotation/appinfo/IsDictionary` is `true` (WCF dictionary).
    pub dictionary: bool,
}

/// A simple type.
#[derive(Clone, Debug)]
pub enum Simple {
    Restriction { base: TypeRef, enumeration: Vec<String>, pattern: Option<String> },
    List { item: TypeRef },
    Union,
}

/// One WSDL operation: its name and the global elements of its input and output messages.
#[derive(Clone, Debug)]
pub struct Operation {
    pub name: String,
    pub input: QName,
    pub output: QName,
    /// The binding's `soapAction`.
    pub soap_action: Option<String>,
    /// The binding's `soap:header` elements of the input, in order.
    pub input_headers: Vec<QName>,
    /// The binding's `soap:header` elements of the output, in order.
    pub output_headers: Vec<QName>,
}

/// The schemas of a WSDL document (and its operations).
#[derive(Debug, Default)]
pub struct Schema {
    pub elements: BTreeMap<QName, Element>,
    pub types: BTreeMap<QName, TypeDef>,
    /// Target namespaces of the schemas, in document order.
    pub namespaces: Vec<String>,
    /// The operations of the WSDL's port types, in document order.
    pub operations: Vec<Operation>,
}

/// What a type is, after following references and restrictions.
#[derive(Clone, Copy, Debug)]
pub enum Resolved<'s> {
    /// A built-in XML Schema type, by local name (`int`, `string`, ...).
    Builtin(&'s str),
    Complex(&'s Complex),
    Simple(&'s Simple),
}

struct SchemaCtx<'a> {
    tns: &'a str,
    qualified: bool,
}

fn parse_err(node: Node<'_, '_>, message: impl fmt::Display) -> String {
    let pos = node.document().text_pos_at(node.range().start);
    format!("{}:{}: {message}", pos.row, pos.col)
}

fn resolve_qname(node: Node<'_, '_>, value: &str) -> Result<QName, String> {
    let (prefix, local) = match value.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, value),
    };
    let ns = match node.lookup_namespace_uri(prefix) {
        Some(ns) => ns.to_owned(),
        None if prefix.is_none() => String::new(),
        None => return Err(parse_err(node, format!("unbound prefix in {value:?}"))),
    };
    Ok(QName::new(ns, local))
}

fn is_xs(node: &Node<'_, '_>, local: &str) -> bool {
    node.is_element() && node.has_tag_name((XS_NS, local))
}

fn occurs(node: Node<'_, '_>, name: &str) -> Result<Option<u32>, String> {
    match node.attribute(name) {
        None => Ok(Some(1)),
        Some("unbounded") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| parse_err(node, format!("bad {name} {v:?}"))),
    }
}

impl Schema {
    /// Reads the WSDL at `path`; panics with a message when it cannot.
    pub fn from_wsdl(path: impl AsRef<Path>) -> Schema {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        Schema::from_wsdl_text(&text).unwrap_or_else(|e| panic!("{}:{e}", path.display()))
    }

    /// Reads a WSDL document's `wsdl:types` schemas, its port types' operations and what its
    /// SOAP bindings say about them (action, header entries).
    pub fn from_wsdl_text(text: &str) -> Result<Schema, String> {
        let doc = Document::parse(text).map_err(|e| format!("not well-formed: {e}"))?;
        let root = doc.root_element();
        let mut schema = Schema::default();
        // message name -> [(part name, element)]
        let mut messages: BTreeMap<String, Vec<(String, QName)>> = BTreeMap::new();
        let tns = root.attribute("targetNamespace").unwrap_or_default();
        for child in root.children().filter(Node::is_element) {
            if child.has_tag_name((WSDL_NS, "types")) {
                for s in child.children().filter(|n| is_xs(n, "schema")) {
                    schema.add_schema(s)?;
                }
            } else if child.has_tag_name((WSDL_NS, "message")) {
                let name = child.attribute("name").unwrap_or_default();
                let mut parts = Vec::new();
                for part in child.children().filter(|n| n.has_tag_name((WSDL_NS, "part"))) {
                    let element = part.attribute("element").ok_or_else(|| parse_err(part, "part without element"))?;
                    parts.push((part.attribute("name").unwrap_or_default().to_owned(), resolve_qname(part, element)?));
                }
                messages.insert(name.to_owned(), parts);
            }
        }
        let message_part = |node: Node<'_, '_>, part: Option<&str>| -> Result<QName, String> {
            let m = resolve_qname(node, node.attribute("message").unwrap_or_default())?;
            if m.ns != tns {
                return Err(parse_err(node, "message from another namespace"));
            }
            let parts = messages.get(&m.local).ok_or_else(|| parse_err(node, format!("no message {m}")))?;
            let found = match part {
                None => parts.first(),
                Some(p) => parts.iter().find(|(name, _)| name == p),
            };
            found.map(|(_, e)| e.clone()).ok_or_else(|| parse_err(node, format!("no part {part:?} in {m}")))
        };
        for port_type in root.children().filter(|n| n.has_tag_name((WSDL_NS, "portType"))) {
            for op in port_type.children().filter(|n| n.has_tag_name((WSDL_NS, "operation"))) {
                let io = |dir: &str| -> Result<QName, String> {
                    let node = op
                        .children()
                        .find(|n| n.has_tag_name((WSDL_NS, dir)))
                        .ok_or_else(|| parse_err(op, format!("no wsdl:{dir}")))?;
                    message_part(node, None)
                };
                schema.operations.push(Operation {
                    name: op.attribute("name").unwrap_or_default().to_owned(),
                    input: io("input")?,
                    output: io("output")?,
                    soap_action: None,
                    input_headers: Vec::new(),
                    output_headers: Vec::new(),
                });
            }
        }
        for binding in root.children().filter(|n| n.has_tag_name((WSDL_NS, "binding"))) {
            for bop in binding.children().filter(|n| n.has_tag_name((WSDL_NS, "operation"))) {
                let name = bop.attribute("name").unwrap_or_default();
                let Some(op) = schema.operations.iter_mut().find(|o| o.name == name) else { continue };
                for child in bop.children().filter(Node::is_element) {
                    let local = child.tag_name().name();
                    if local == "operation" {
                        op.soap_action = child.attribute("soapAction").map(str::to_owned);
                    } else if child.has_tag_name((WSDL_NS, "input")) || child.has_tag_name((WSDL_NS, "output")) {
                        let mut headers = Vec::new();
                        for h in child.children().filter(|n| n.is_element() && n.tag_name().name() == "header") {
                            headers.push(message_part(h, h.attribute("part"))?);
                        }
                        if local == "input" {
                            op.input_headers = headers;
                        } else {
                            op.output_headers = headers;
                        }
                    }
                }
            }
        }
        Ok(schema)
    }

    fn add_schema(&mut self, s: Node<'_, '_>) -> Result<(), String> {
        let tns = s.attribute("targetNamespace").unwrap_or_default();
        let ctx = SchemaCtx { tns, qualified: s.attribute("elementFormDefault") == Some("qualified") };
        self.namespaces.push(tns.to_owned());
        for child in s.children().filter(Node::is_element) {
            let name = || QName::new(tns, child.attribute("name").unwrap_or_default());
            if is_xs(&child, "element") {
                let e = parse_element(child, &ctx, true)?;
                self.elements.insert(e.name.clone(), e);
            } else if is_xs(&child, "complexType") {
                self.types.insert(name(), TypeDef::Complex(parse_complex(child, &ctx, Some(name()))?));
            } else if is_xs(&child, "simpleType") {
                self.types.insert(name(), TypeDef::Simple(parse_simple(child)?));
            } else if is_xs(&child, "import") || is_xs(&child, "annotation") || is_xs(&child, "attribute") {
                // Imports are resolved by namespace; global attributes are not used by any element.
            } else {
                return Err(parse_err(child, format!("unsupported schema child {:?}", child.tag_name().name())));
            }
        }
        Ok(())
    }

    /// The global element `name`; panics when there is none.
    pub fn element(&self, name: &QName) -> &Element {
        self.elements.get(name).unwrap_or_else(|| panic!("no global element {name}"))
    }

    /// What `ty` is: a built-in, or the definition it names.
    pub fn resolve<'s>(&'s self, ty: &'s TypeRef) -> Resolved<'s> {
        match ty {
            TypeRef::Named(q) if q.ns == XS_NS => Resolved::Builtin(&q.local),
            TypeRef::Named(q) => match self.types.get(q) {
                Some(TypeDef::Complex(c)) => Resolved::Complex(c),
                Some(TypeDef::Simple(s)) => Resolved::Simple(s),
                None => panic!("type {q} is not defined"),
            },
            TypeRef::Anonymous(def) => match &**def {
                TypeDef::Complex(c) => Resolved::Complex(c),
                TypeDef::Simple(s) => Resolved::Simple(s),
            },
            TypeRef::ElementRef(q) => self.resolve(&self.element(q).ty),
        }
    }

    /// The particles of a complex type on the wire: the base's (recursively) first.
    pub fn particles<'s>(&'s self, c: &'s Complex) -> Vec<&'s Element> {
        let mut out = Vec::new();
        if let Some(base) = &c.base {
            match self.types.get(base) {
                Some(TypeDef::Complex(b)) => out.extend(self.particles(b)),
                _ => panic!("extension base {base} is not a complex type"),
            }
        }
        out.extend(c.particles.iter());
        out
    }

    /// An element particle with references followed: (name, type, nillable).
    pub fn effective<'s>(&'s self, e: &'s Element) -> (&'s QName, &'s TypeRef, bool) {
        match &e.ty {
            TypeRef::ElementRef(q) => {
                let g = self.element(q);
                (&g.name, &g.ty, g.nillable)
            }
            ty => (&e.name, ty, e.nillable),
        }
    }

    /// The named type `ty` refers to, if it is named (for `xsi:type`).
    pub fn type_name<'s>(&'s self, ty: &'s TypeRef) -> Option<&'s QName> {
        match ty {
            TypeRef::Named(q) => Some(q),
            TypeRef::Anonymous(_) => None,
            TypeRef::ElementRef(q) => self.type_name(&self.element(q).ty),
        }
    }
}

fn parse_element(node: Node<'_, '_>, ctx: &SchemaCtx<'_>, global: bool) -> Result<Element, String> {
    let min = occurs(node, "minOccurs")?.unwrap_or(1);
    let max = occurs(node, "maxOccurs")?;
    if let Some(r) = node.attribute("ref") {
        let q = resolve_qname(node, r)?;
        return Ok(Element { name: q.clone(), ty: TypeRef::ElementRef(q), min, max, nillable: false });
    }
    let local = node.attribute("name").ok_or_else(|| parse_err(node, "element without name or ref"))?;
    let qualified = match node.attribute("form") {
        Some(form) => form == "qualified",
        None => global || ctx.qualified,
    };
    let ns = if qualified { ctx.tns } else { "" };
    let ty = if let Some(t) = node.attribute("type") {
        TypeRef::Named(resolve_qname(node, t)?)
    } else if let Some(c) = node.children().find(|n| is_xs(n, "complexType")) {
        TypeRef::Anonymous(Arc::new(TypeDef::Complex(parse_complex(c, ctx, None)?)))
    } else if let Some(s) = node.children().find(|n| is_xs(n, "simpleType")) {
        TypeRef::Anonymous(Arc::new(TypeDef::Simple(parse_simple(s)?)))
    } else {
        TypeRef::Named(QName::new(XS_NS, "anyType"))
    };
    Ok(Element { name: QName::new(ns, local), ty, min, max, nillable: node.attribute("nillable") == Some("true") })
}

fn parse_particles(group: Node<'_, '_>, ctx: &SchemaCtx<'_>, out: &mut Vec<Element>) -> Result<(), String> {
    for p in group.children().filter(Node::is_element) {
        if is_xs(&p, "element") {
            out.push(parse_element(p, ctx, false)?);
        } else if is_xs(&p, "sequence") && occurs(p, "minOccurs")? == Some(1) && occurs(p, "maxOccurs")? == Some(1) {
            parse_particles(p, ctx, out)?;
        } else if is_xs(&p, "annotation") {
        } else {
            return Err(parse_err(p, format!("unsupported particle {:?}", p.tag_name().name())));
        }
    }
    Ok(())
}

fn parse_complex(node: Node<'_, '_>, ctx: &SchemaCtx<'_>, name: Option<QName>) -> Result<Complex, String> {
    let mut c = Complex { name, base: None, particles: Vec::new(), dictionary: false };
    if node.attribute("mixed") == Some("true") {
        return Err(parse_err(node, "mixed content is not supported"));
    }
    for child in node.children().filter(Node::is_element) {
        if is_xs(&child, "annotation") {
            c.dictionary |= child
                .descendants()
                .any(|n| n.has_tag_name((SER_NS, "IsDictionary")) && n.text().map(str::trim) == Some("true"));
        } else if is_xs(&child, "sequence") || is_xs(&child, "all") {
            parse_particles(child, ctx, &mut c.particles)?;
        } else if is_xs(&child, "complexContent") {
            let ext = child
                .children()
                .find(|n| is_xs(n, "extension"))
                .ok_or_else(|| parse_err(child, "only complexContent/extension is supported"))?;
            c.base = Some(resolve_qname(ext, ext.attribute("base").unwrap_or_default())?);
            for part in ext.children().filter(Node::is_element) {
                if is_xs(&part, "sequence") || is_xs(&part, "all") {
                    parse_particles(part, ctx, &mut c.particles)?;
                } else if !is_xs(&part, "annotation") && !is_optional_attribute(&part) {
                    return Err(parse_err(part, format!("unsupported {:?} in extension", part.tag_name().name())));
                }
            }
        } else if !is_optional_attribute(&child) {
            return Err(parse_err(child, format!("unsupported {:?} in complexType", child.tag_name().name())));
        }
    }
    Ok(c)
}

/// An optional attribute: instances leave it out, and are valid without it.
fn is_optional_attribute(node: &Node<'_, '_>) -> bool {
    is_xs(node, "attribute") && node.attribute("use") != Some("required")
}

fn parse_simple(node: Node<'_, '_>) -> Result<Simple, String> {
    for child in node.children().filter(Node::is_element) {
        if is_xs(&child, "restriction") {
            let base = match child.attribute("base") {
                Some(b) => TypeRef::Named(resolve_qname(child, b)?),
                None => {
                    let inner = child
                        .children()
                        .find(|n| is_xs(n, "simpleType"))
                        .ok_or_else(|| parse_err(child, "restriction without base"))?;
                    TypeRef::Anonymous(Arc::new(TypeDef::Simple(parse_simple(inner)?)))
                }
            };
            let facet = |name: &str| -> Vec<String> {
                child
                    .children()
                    .filter(|n| is_xs(n, name))
                    .filter_map(|n| n.attribute("value"))
                    .map(str::to_owned)
                    .collect()
            };
            return Ok(Simple::Restriction {
                base,
                enumeration: facet("enumeration"),
                pattern: facet("pattern").into_iter().next(),
            });
        } else if is_xs(&child, "list") {
            let item = match child.attribute("itemType") {
                Some(t) => TypeRef::Named(resolve_qname(child, t)?),
                None => {
                    let inner = child
                        .children()
                        .find(|n| is_xs(n, "simpleType"))
                        .ok_or_else(|| parse_err(child, "list without item type"))?;
                    TypeRef::Anonymous(Arc::new(TypeDef::Simple(parse_simple(inner)?)))
                }
            };
            return Ok(Simple::List { item });
        } else if is_xs(&child, "union") {
            return Ok(Simple::Union);
        }
    }
    Err(parse_err(node, "simpleType without restriction, list or union"))
}

// =============================================================================================
// Entropy
// =============================================================================================

/// Where the builder's choices come from. `below(n)` returns a number in `0..n`; 0 is always the
/// simplest choice (absent, empty, first), so a shrinking tape gives simpler instances.
pub trait Entropy {
    fn below(&mut self, n: u64) -> u64;
}

/// A deterministic pseudo-random source (SplitMix64).
#[derive(Clone, Debug)]
pub struct SplitMix(pub u64);

impl SplitMix {
    /// A source seeded from a label (e.g. an operation name), so each label has its own values.
    pub fn from_label(label: &str) -> Self {
        // FNV-1a
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in label.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        SplitMix(h)
    }
}

impl Entropy for SplitMix {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        if n == 0 { 0 } else { z % n }
    }
}

/// Choices read from a tape (e.g. generated and shrunk by proptest); 0 once the tape runs out.
#[derive(Clone, Debug)]
pub struct Tape<'a> {
    data: &'a [u32],
    pos: usize,
}

impl<'a> Tape<'a> {
    pub fn new(data: &'a [u32]) -> Self {
        Tape { data, pos: 0 }
    }
}

impl Entropy for Tape<'_> {
    fn below(&mut self, n: u64) -> u64 {
        let v = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        if n == 0 { 0 } else { u64::from(v) % n }
    }
}

// =============================================================================================
// The instance builder
// =============================================================================================

/// Which optional parts an instance has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    /// Every optional element present (nillable ones at the recursion cut are `xsi:nil`), every
    /// list with a fully populated item and a nil (or minimal) one, every dictionary with a full
    /// entry and a nil entry.
    Full,
    /// Only what the schema requires.
    Minimal,
    /// Whatever the entropy source says: absent, nil, empty, long lists, extreme values.
    Random,
}

/// How element names are written in the wire form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Style {
    /// Every element prefixed; all namespaces declared on the root.
    Prefixed,
    /// WCF style: elements in the root's namespace use a default namespace declaration
    /// (`xmlns="..."`), others a prefix; `root_prefix` writes the root itself prefixed
    /// (`<h:TimeZone xmlns:h="...">`, as WCF writes header entries).
    DefaultNamespace { root_prefix: Option<String> },
}

/// What the builder writes.
#[derive(Clone, Debug)]
pub struct Options {
    pub fill: Fill,
    /// How many times a complex type may occur on one path (recursive types are cut after that).
    pub recursion_limit: usize,
    pub style: Style,
    /// Put `xsi:type` naming the declared type on about one element in `n` (0 = never) in the wire form.
    pub xsi_type_every: u64,
    /// Use non-canonical lexical forms in the wire form (`+7`, ` 7 `, `1`/`0` booleans, CDATA,
    /// character references, extra spaces between list items...).
    pub lexical_variants: bool,
    /// Surround some collapsed-whitespace values (numbers, booleans, dates...) with whitespace in
    /// the wire form. Valid XSD, but libxml2 2.9 (xmllint) wrongly rejects it for integer and
    /// date/time types, so documents meant for xmllint are built without it; the choices drawn
    /// are the same either way, so both builds from one seed have the same structure.
    pub whitespace_padding: bool,
    /// Indent the wire form.
    pub pretty: bool,
    /// May write enumeration values the schema does not list (the instance is then not
    /// schema-valid; for round trips only).
    pub unknown_enum_values: bool,
}

impl Options {
    /// Canonical, prefixed, no `xsi:type`: what an encoder writes.
    pub fn plain(fill: Fill) -> Self {
        Options {
            fill,
            recursion_limit: 3,
            style: Style::Prefixed,
            xsi_type_every: 0,
            lexical_variants: false,
            whitespace_padding: false,
            pretty: false,
            unknown_enum_values: false,
        }
    }

    /// What WCF (or another peer) may send: default namespaces, `xsi:type` on some elements,
    /// lexical variants, indentation.
    pub fn wcf(fill: Fill) -> Self {
        Options {
            fill,
            recursion_limit: 3,
            style: Style::DefaultNamespace { root_prefix: None },
            xsi_type_every: 3,
            lexical_variants: true,
            whitespace_padding: true,
            pretty: true,
            unknown_enum_values: false,
        }
    }
}

/// An instance: what is sent, and what an encoder of the same values writes.
#[derive(Clone, Debug)]
pub struct Instance {
    pub wire: String,
    pub canonical: String,
    /// Number of elements written.
    pub elements: usize,
    /// Number of `xsi:nil` elements written.
    pub nils: usize,
}

/// Writes instances of global elements of a [`Schema`].
#[derive(Debug)]
pub struct Builder<'s> {
    schema: &'s Schema,
    pub options: Options,
}

impl<'s> Builder<'s> {
    pub fn new(schema: &'s Schema, options: Options) -> Self {
        Builder { schema, options }
    }

    /// An instance of the global element `name`.
    pub fn build(&self, name: &QName, entropy: &mut dyn Entropy) -> Instance {
        let element = self.schema.element(name);
        let mut prefixes: Vec<String> = self.schema.namespaces.iter().filter(|n| !n.is_empty()).cloned().collect();
        if !prefixes.iter().any(|n| n == XS_NS) {
            prefixes.push(XS_NS.to_owned());
        }
        let wire_style = self.options.style.clone();
        let mut g = Gen {
            schema: self.schema,
            o: &self.options,
            rng: entropy,
            wire: Out::new(wire_style, &prefixes, "b", "i", self.options.pretty),
            canon: Out::new(Style::Prefixed, &prefixes, "c", "xsi", false),
            path: Vec::new(),
            elements: 0,
            nils: 0,
            xsi_counter: 0,
        };
        let (name, ty, _) = self.schema.effective(element);
        g.element_value(name, ty, 0, true);
        Instance { wire: g.wire.finish(), canonical: g.canon.finish(), elements: g.elements, nils: g.nils }
    }
}

/// The writer of one of the two forms.
struct Out {
    buf: String,
    style: Style,
    /// (namespace, prefix)
    prefixes: Vec<(String, String)>,
    xsi: String,
    /// Per open element: the default namespace in scope inside it, and whether it had child elements.
    stack: Vec<(String, bool)>,
    /// Per open element: its tag as written.
    tags: Vec<String>,
    pretty: bool,
    root_ns: Option<String>,
}

impl Out {
    fn new(style: Style, namespaces: &[String], stem: &str, xsi: &str, pretty: bool) -> Self {
        let prefixes = namespaces
            .iter()
            .enumerate()
            .map(|(i, ns)| (ns.clone(), if ns == XS_NS { "xs".to_owned() } else { format!("{stem}{i}") }))
            .collect();
        Out {
            buf: String::new(),
            style,
            prefixes,
            xsi: xsi.to_owned(),
            stack: Vec::new(),
            tags: Vec::new(),
            pretty,
            root_ns: None,
        }
    }

    fn prefix(&self, ns: &str) -> &str {
        &self.prefixes.iter().find(|(n, _)| n == ns).unwrap_or_else(|| panic!("no prefix for {ns}")).1
    }

    fn indent(&mut self) {
        if self.pretty && !self.buf.is_empty() {
            self.buf.push('\n');
            for _ in 0..self.stack.len() {
                self.buf.push_str("  ");
            }
        }
    }

    /// Writes a start tag, or an empty nil element when `nil`.
    fn start(&mut self, name: &QName, xsi_type: Option<&QName>, nil: bool) {
        if let Some(top) = self.stack.last_mut() {
            top.1 = true;
        }
        self.indent();
        let root = self.stack.is_empty();
        let inherited = self.stack.last().map_or(String::new(), |(d, _)| d.clone());
        let mut default = inherited.clone();
        let mut decls = String::new();
        let tag = match &self.style {
            Style::Prefixed => {
                if name.ns.is_empty() {
                    name.local.clone()
                } else {
                    format!("{}:{}", self.prefix(&name.ns), name.local)
                }
            }
            Style::DefaultNamespace { root_prefix } => {
                if root {
                    self.root_ns = Some(name.ns.clone());
                }
                match root_prefix {
                    Some(p) if root => {
                        write!(decls, " xmlns:{p}=\"{}\"", escape_attr(&name.ns)).unwrap();
                        format!("{p}:{}", name.local)
                    }
                    _ => {
                        let use_default = name.ns.is_empty() || Some(&name.ns) == self.root_ns.as_ref();
                        if use_default {
                            if name.ns != inherited || root {
                                write!(decls, " xmlns=\"{}\"", escape_attr(&name.ns)).unwrap();
                                default = name.ns.clone();
                            }
                            name.local.clone()
                        } else {
                            format!("{}:{}", self.prefix(&name.ns), name.local)
                        }
                    }
                }
            }
        };
        self.buf.push('<');
        self.buf.push_str(&tag);
        self.buf.push_str(&decls);
        if root {
            write!(self.buf, " xmlns:{}=\"{XSI_NS}\"", self.xsi).unwrap();
            for (ns, p) in &self.prefixes {
                write!(self.buf, " xmlns:{p}=\"{}\"", escape_attr(ns)).unwrap();
            }
        }
        if let Some(t) = xsi_type {
            let value = if t.ns.is_empty() { t.local.clone() } else { format!("{}:{}", self.prefix(&t.ns), t.local) };
            write!(self.buf, " {}:type=\"{value}\"", self.xsi).unwrap();
        }
        if nil {
            write!(self.buf, " {}:nil=\"true\"/>", self.xsi).unwrap();
        } else {
            self.buf.push('>');
            self.stack.push((default, false));
        }
        // Remember the tag to close it.
        if !nil {
            self.tags.push(tag);
        }
    }

    fn text(&mut self, escaped: &str) {
        self.buf.push_str(escaped);
    }

    fn end(&mut self) {
        let (_, had_children) = self.stack.pop().expect("end without start");
        let tag = self.tags.pop().expect("end without start");
        if had_children {
            self.indent();
        }
        write!(self.buf, "</{tag}>").unwrap();
    }

    fn finish(self) -> String {
        assert!(self.stack.is_empty(), "unclosed elements");
        self.buf
    }
}

/// An element's value as escaped element text: as sent, and as an encoder must write it.
struct Lex {
    wire: String,
    canon: String,
}

impl Lex {
    fn same(escaped: String) -> Lex {
        Lex { wire: escaped.clone(), canon: escaped }
    }
}

/// How the particles of one complex value are filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Full,
    /// Only required elements; required nillable ones are nil.
    Minimal,
    Random,
}

struct Gen<'s, 'o, 'e> {
    schema: &'s Schema,
    o: &'o Options,
    rng: &'e mut dyn Entropy,
    wire: Out,
    canon: Out,
    /// Complex types (by address) on the current path, for cutting recursion.
    path: Vec<usize>,
    elements: usize,
    nils: usize,
    xsi_counter: u64,
}

/// Strings that have broken XML writers and readers before. The first is the simplest.
const SPECIAL_STRINGS: &[&str] = &[
    "",
    "plain",
    " ",
    "  leading and trailing  ",
    "<tag attr=\"v\">",
    "a & b &amp; c",
    "]]>",
    "x]]>y<![CDATA[z",
    "\"double\" 'single'",
    "ünïcødé ß € ñ",
    "日本語テキスト",
    "emoji 😀 𝄞",
    "tab\there\nnew line",
    "cr\r\nlf\r",
    "\u{a0}nbsp\u{2028}ls",
    "&#x41; is not a reference",
    "<!-- not a comment -->",
    "\n",
];

const STRING_CHARS: &[char] = &[
    'a', 'b', 'Z', '0', '9', ' ', '<', '>', '&', '"', '\'', ']', 'é', '€', '😀', '\t', '\n', '\r', '-', '_', ';', '#',
];

impl Gen<'_, '_, '_> {
    fn below(&mut self, n: u64) -> u64 {
        self.rng.below(n)
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize].clone()
    }

    fn xsi_type(&mut self, ty: &TypeRef) -> Option<QName> {
        let every = self.o.xsi_type_every;
        if every == 0 {
            return None;
        }
        let name = self.schema.type_name(ty)?.clone();
        if name.ns == XS_NS && name.local == "anyType" {
            // The type of anyType content is the xsi:type itself: not a decoration.
            return None;
        }
        self.xsi_counter += 1;
        self.xsi_counter.is_multiple_of(every).then_some(name)
    }

    fn nil(&mut self, name: &QName) {
        self.elements += 1;
        self.nils += 1;
        self.wire.start(name, None, true);
        self.canon.start(name, None, true);
    }

    /// Writes the element `name` with a value of `ty`.
    fn element_value(&mut self, name: &QName, ty: &TypeRef, depth: usize, mode_full: bool) {
        let mode = if mode_full {
            match self.o.fill {
                Fill::Full => Mode::Full,
                Fill::Minimal => Mode::Minimal,
                Fill::Random => Mode::Random,
            }
        } else {
            Mode::Minimal
        };
        self.element_in_mode(name, ty, depth, mode);
    }

    fn element_in_mode(&mut self, name: &QName, ty: &TypeRef, depth: usize, mode: Mode) {
        self.elements += 1;
        let xsi_type = self.xsi_type(ty);
        match self.schema.resolve(ty) {
            Resolved::Complex(c) => {
                self.wire.start(name, xsi_type.as_ref(), false);
                self.canon.start(name, None, false);
                let key = c as *const Complex as usize;
                self.path.push(key);
                let schema = self.schema;
                for p in schema.particles(c) {
                    self.particle(p, depth + 1, mode);
                }
                self.path.pop();
                self.wire.end();
                self.canon.end();
            }
            Resolved::Builtin("anyType") => {
                let content = self.any_content(mode);
                self.wire.start(name, None, false);
                self.canon.start(name, None, false);
                self.wire.text(&content);
                self.canon.text(&content);
                self.wire.end();
                self.canon.end();
            }
            _ => {
                let lex = self.simple_value(ty, mode);
                self.wire.start(name, xsi_type.as_ref(), false);
                self.canon.start(name, None, false);
                self.wire.text(&lex.wire);
                self.canon.text(&lex.canon);
                self.wire.end();
                self.canon.end();
            }
        }
    }

    fn particle(&mut self, p: &Element, depth: usize, mode: Mode) {
        let schema = self.schema;
        let (name, ty, nillable) = schema.effective(p);
        if !is_xml_name(&name.local) {
            // Such an element cannot appear in a well-formed document (e.g. `1stItem` in the
            // naming fixture): leave it out, which only an optional one allows.
            assert_eq!(p.min, 0, "required element {name} has a name XML does not allow");
            return;
        }
        let recursive_cut = match schema.resolve(ty) {
            Resolved::Complex(c) => {
                let key = c as *const Complex as usize;
                self.path.iter().filter(|k| **k == key).count() >= self.o.recursion_limit
            }
            _ => false,
        };
        let min = p.min as usize;
        let max = p.max.map_or(usize::MAX, |m| m as usize);
        // (count, item mode, nil decision per item)
        let count = match mode {
            Mode::Minimal => min,
            Mode::Full if recursive_cut => {
                if min > 0 || nillable {
                    min.max(1)
                } else {
                    0
                }
            }
            Mode::Full => {
                if p.repeats() {
                    2.clamp(min, max)
                } else {
                    1
                }
            }
            Mode::Random => {
                if p.repeats() {
                    let simple_items = !matches!(schema.resolve(ty), Resolved::Complex(_));
                    let n = match self.below(10) {
                        0 | 1 => 0,
                        2..=6 => 1 + self.below(3) as usize,
                        7 | 8 => 4 + self.below(5) as usize,
                        _ if simple_items || depth <= 2 => 20 + self.below(60) as usize,
                        _ => 2,
                    };
                    let n = if recursive_cut { 0 } else { n };
                    n.clamp(min, max)
                } else if min > 0 {
                    1
                } else {
                    let present = self.below(depth as u64 + 2) >= depth as u64;
                    usize::from(present && (nillable || !recursive_cut))
                }
            }
        };
        for i in 0..count {
            let nil = nillable
                && match mode {
                    Mode::Minimal => true,
                    Mode::Full => recursive_cut || (p.repeats() && i == 1),
                    Mode::Random => recursive_cut || self.below(6) == 1,
                };
            if nil {
                self.nil(name);
            } else {
                let item_mode = match mode {
                    Mode::Full if recursive_cut || i > 0 => Mode::Minimal,
                    m => m,
                };
                self.element_in_mode(name, ty, depth, item_mode);
            }
        }
    }

    /// Content of an `xs:anyType` element: text, or elements that declare their own namespaces.
    fn any_content(&mut self, mode: Mode) -> String {
        const CONTENT: &[&str] = &[
            "",
            "plain text",
            "<x:Item xmlns:x=\"urn:any\" x:attr=\"1 &amp; 2\">text &amp; more</x:Item>",
            "<Item xmlns=\"urn:any\"><Inner>1</Inner><Empty/></Item>tail",
            "<![CDATA[<not-an-element>]]>",
        ];
        match mode {
            Mode::Minimal => String::new(),
            Mode::Full => CONTENT[2].to_owned(),
            Mode::Random => self.pick(CONTENT).to_owned(),
        }
    }

    fn simple_value(&mut self, ty: &TypeRef, mode: Mode) -> Lex {
        let schema = self.schema;
        match schema.resolve(ty) {
            Resolved::Builtin(local) => self.builtin(local, mode),
            Resolved::Simple(Simple::Restriction { enumeration, .. }) if !enumeration.is_empty() => {
                let value = self.enum_value(enumeration);
                Lex::same(escape_text(&value))
            }
            Resolved::Simple(Simple::Restriction { base, pattern: Some(pattern), .. }) if matches!(schema.resolve(base), Resolved::Builtin(b) if string_like(b)) =>
            {
                let pattern = pattern.clone();
                let value = self.matching_pattern(&pattern);
                Lex::same(escape_text(&value))
            }
            Resolved::Simple(Simple::Restriction { base, .. }) => self.simple_value(base, mode),
            Resolved::Simple(Simple::List { item }) => self.list_value(item, mode),
            Resolved::Simple(Simple::Union) => Lex::same("union".to_owned()),
            Resolved::Complex(c) => panic!("complex type {:?} used as a simple type", c.name),
        }
    }

    fn enum_value(&mut self, values: &[String]) -> String {
        if self.o.unknown_enum_values && self.below(8) == 7 {
            return format!("FutureValue{}", self.below(100));
        }
        self.pick(values)
    }

    fn list_value(&mut self, item: &TypeRef, mode: Mode) -> Lex {
        let schema = self.schema;
        let mut items: Vec<Lex> = Vec::new();
        match schema.resolve(item) {
            Resolved::Simple(Simple::Restriction { enumeration, .. }) if !enumeration.is_empty() => {
                // A WCF [Flags] set: distinct values, in the order sent.
                let mut pool: Vec<String> = enumeration.clone();
                if self.o.unknown_enum_values && self.below(4) == 3 {
                    pool.push(format!("FutureFlag{}", self.below(100)));
                }
                let n = match mode {
                    Mode::Full => pool.len().min(3),
                    Mode::Minimal => 1,
                    Mode::Random => self.below(pool.len() as u64 + 1) as usize,
                };
                for _ in 0..n {
                    let i = self.below(pool.len() as u64) as usize;
                    items.push(Lex::same(escape_text(&pool.remove(i))));
                }
            }
            _ => {
                let n = match mode {
                    Mode::Full => 3,
                    Mode::Minimal => 1,
                    Mode::Random => self.below(6) as usize,
                };
                for i in 0..n {
                    let lex = match schema.resolve(item) {
                        Resolved::Builtin(b) if string_like(b) => Lex::same(format!("item{i}")),
                        _ => {
                            let variants = self.o.lexical_variants;
                            let lex = self.simple_value(item, mode);
                            // No per-item whitespace: it would separate items.
                            if variants { Lex { wire: lex.wire.trim().to_owned(), canon: lex.canon } } else { lex }
                        }
                    };
                    items.push(lex);
                }
            }
        }
        let canon = items.iter().map(|l| l.canon.as_str()).collect::<Vec<_>>().join(" ");
        let wire = if self.o.lexical_variants && !items.is_empty() {
            let mut w = String::from(if self.below(2) == 1 { "\n  " } else { "" });
            for (i, l) in items.iter().enumerate() {
                if i > 0 {
                    w.push_str(self.pick(&[" ", "  ", "\t", "\n "]));
                }
                w.push_str(&l.wire);
            }
            w.push_str(if self.below(2) == 1 { " \n" } else { "" });
            w
        } else {
            items.iter().map(|l| l.wire.as_str()).collect::<Vec<_>>().join(" ")
        };
        Lex { wire, canon }
    }

    /// Surrounds a collapsed-whitespace value with whitespace, sometimes.
    fn pad(&mut self, text: String) -> String {
        if self.o.lexical_variants && self.below(4) == 3 && self.o.whitespace_padding {
            format!(" \n\t{text}  ")
        } else {
            text
        }
    }

    fn builtin(&mut self, local: &str, mode: Mode) -> Lex {
        match local {
            "string" | "normalizedString" => self.string_value(mode),
            "boolean" => {
                let v = self.below(2) == 1;
                let canon = if v { "true" } else { "false" };
                let wire =
                    if self.o.lexical_variants && self.below(2) == 1 { if v { "1" } else { "0" } } else { canon };
                let wire = self.pad(wire.to_owned());
                Lex { wire, canon: canon.to_owned() }
            }
            "byte" => self.integer(i8::MIN.into(), i8::MAX.into()),
            "short" => self.integer(i16::MIN.into(), i16::MAX.into()),
            "int" => self.integer(i32::MIN.into(), i32::MAX.into()),
            "long" => self.integer(i64::MIN.into(), i64::MAX.into()),
            "unsignedByte" => self.integer(0, u8::MAX.into()),
            "unsignedShort" => self.integer(0, u16::MAX.into()),
            "unsignedInt" => self.integer(0, u32::MAX.into()),
            "unsignedLong" => self.integer(0, u64::MAX.into()),
            "integer" => self.integer(i64::MIN.into(), i64::MAX.into()),
            "nonNegativeInteger" => self.integer(0, i64::MAX.into()),
            "positiveInteger" => self.integer(1, i64::MAX.into()),
            "nonPositiveInteger" => self.integer(i64::MIN.into(), 0),
            "negativeInteger" => self.integer(i64::MIN.into(), -1),
            "float" => self.float(true),
            "double" => self.float(false),
            "decimal" => self.decimal(),
            "dateTime" => {
                let (d, t, (zw, zc)) = (self.date_part(), self.time_part(), self.offset());
                let wire = self.pad(format!("{d}T{t}{zw}"));
                Lex { wire, canon: format!("{d}T{t}{zc}") }
            }
            "date" => {
                let (d, (zw, zc)) = (self.date_part(), self.offset());
                let wire = self.pad(format!("{d}{zw}"));
                Lex { wire, canon: format!("{d}{zc}") }
            }
            "time" => {
                let (t, (zw, zc)) = (self.time_part(), self.offset());
                let wire = self.pad(format!("{t}{zw}"));
                Lex { wire, canon: format!("{t}{zc}") }
            }
            "duration" => {
                let canon = self.duration();
                Lex { wire: self.pad(canon.clone()), canon }
            }
            "base64Binary" => {
                let n = match mode {
                    Mode::Full => 12,
                    _ => self.below(24) as usize,
                };
                let bytes: Vec<u8> = (0..n).map(|_| self.below(256) as u8).collect();
                let canon = base64(&bytes);
                Lex { wire: self.pad(canon.clone()), canon }
            }
            "hexBinary" => {
                let n = self.below(8) as usize;
                Lex::same((0..n).map(|_| format!("{:02X}", self.below(256))).collect())
            }
            "anyURI" => {
                let v = self.pick(&["", "http://example.com/a?b=1&c=2#f", "urn:x:y", "relative/path%20x"]);
                Lex::same(escape_text(v))
            }
            "QName" | "NCName" | "Name" | "ID" | "IDREF" | "ENTITY" | "NMTOKEN" => {
                Lex::same(self.pick(&["Thing", "other-name", "x_1"]).to_owned())
            }
            "token" | "language" => Lex::same(self.pick(&["en", "en-US", "nb-NO"]).to_owned()),
            "gYear" => Lex::same(format!("{:04}", 1 + self.below(9999))),
            "gYearMonth" => Lex::same(format!("{:04}-{:02}", 1 + self.below(9999), 1 + self.below(12))),
            "gMonthDay" => Lex::same(format!("--{:02}-{:02}", 1 + self.below(12), 1 + self.below(28))),
            "gDay" => Lex::same(format!("---{:02}", 1 + self.below(31))),
            "gMonth" => Lex::same(format!("--{:02}", 1 + self.below(12))),
            other => panic!("no value generator for xs:{other}"),
        }
    }

    fn string_value(&mut self, mode: Mode) -> Lex {
        let value: String = match mode {
            Mode::Random if self.below(4) == 3 => {
                let n = if self.below(10) == 9 { 500 + self.below(2000) } else { self.below(40) };
                (0..n).map(|_| self.pick(STRING_CHARS)).collect()
            }
            _ => self.pick(SPECIAL_STRINGS).to_owned(),
        };
        let canon = escape_text(&value);
        if !self.o.lexical_variants {
            return Lex::same(canon);
        }
        let wire = match self.below(4) {
            1 if !value.contains("]]>") && !value.contains('\r') && !value.is_empty() => {
                format!("<![CDATA[{value}]]>")
            }
            2 => escape_text_with_references(&value),
            3 if value.len() > 1 => {
                // Half as a reference-escaped text, half as CDATA: readers must join the pieces.
                let mid = value.char_indices().nth(value.chars().count() / 2).map_or(0, |(i, _)| i);
                let (a, b) = value.split_at(mid);
                if b.contains("]]>") || b.contains('\r') {
                    canon.clone()
                } else {
                    format!("{}<![CDATA[{b}]]>", escape_text_with_references(a))
                }
            }
            _ => canon.clone(),
        };
        Lex { wire, canon }
    }

    fn integer(&mut self, min: i128, max: i128) -> Lex {
        let v: i128 = match self.below(6) {
            0 => 0.clamp(min, max),
            1 => min,
            2 => max,
            3 => (if self.below(2) == 0 { -1 } else { 1 }).clamp(min, max),
            _ => {
                let span = (max - min) as u128 + 1;
                let r = (u128::from(self.below(u64::MAX)) << 64 | u128::from(self.below(u64::MAX))) % span;
                min + r as i128
            }
        };
        let canon = v.to_string();
        let wire = if self.o.lexical_variants {
            match self.below(4) {
                1 if v >= 0 => format!("+{canon}"),
                2 => {
                    let (sign, digits) = if v < 0 { ("-", &canon[1..]) } else { ("", canon.as_str()) };
                    format!("{sign}00{digits}")
                }
                3 if self.o.whitespace_padding => format!(" \n\t{canon}  "),
                _ => canon.clone(),
            }
        } else {
            canon.clone()
        };
        Lex { wire, canon }
    }

    fn float(&mut self, single: bool) -> Lex {
        // (how the runtime writes it: shortest round-trip form, INF/-INF/NaN as XSD spells them;
        //  equivalent forms a peer may send)
        const COMMON: &[(&str, &[&str])] = &[
            ("0.0", &["0", "0.0", "+0", ".0E5"]),
            ("INF", &["INF"]),
            ("-INF", &["-INF"]),
            ("NaN", &["NaN"]),
            ("-0.0", &["-0", "-0.0E0"]),
            ("1.5", &["1.5", "15E-1", "+1.50", "0.15e1"]),
            ("-2.25", &["-2.25", "-225e-2"]),
            ("0.1", &["0.1", ".1", "1E-1"]),
        ];
        const SINGLE: &[(&str, &[&str])] = &[
            ("3.4028235e38", &["3.4028235E38", "340282350000000000000000000000000000000"]),
            ("1e-45", &["1.401298464324817E-45", "1e-45"]),
            ("16777216.0", &["16777216", "1.6777216E7"]),
        ];
        const DOUBLE: &[(&str, &[&str])] = &[
            ("1.7976931348623157e308", &["1.7976931348623157E308"]),
            ("5e-324", &["4.9E-324", "5e-324"]),
            ("123456.789", &["123456.789", "1.23456789E5"]),
            ("1e100", &["1E100", "1e+100"]),
        ];
        let extra = if single { SINGLE } else { DOUBLE };
        let i = self.below((COMMON.len() + extra.len()) as u64) as usize;
        let (canon, wires) = if i < COMMON.len() { COMMON[i] } else { extra[i - COMMON.len()] };
        let wire = if self.o.lexical_variants { self.pick(wires).to_owned() } else { canon.to_owned() };
        let wire = self.pad(wire);
        Lex { wire, canon: canon.to_owned() }
    }

    fn decimal(&mut self) -> Lex {
        const FIXED: &[(&str, &[&str])] = &[
            ("0", &["0", "-0", "+0.", "000"]),
            ("1.50", &["1.50", "+1.50", "01.50"]),
            ("0.5", &[".5", "0.5"]),
            ("-1234567890.0987654321", &["-1234567890.0987654321"]),
            ("79228162514264337593543950335", &["79228162514264337593543950335", "+079228162514264337593543950335"]),
            ("-79228162514264337593543950335", &["-79228162514264337593543950335"]),
            ("0.0000000000000000000000000001", &[".0000000000000000000000000001"]),
        ];
        if self.below(2) == 0 {
            let (canon, wires) = self.pick(FIXED);
            let wire = if self.o.lexical_variants { self.pick(wires).to_owned() } else { canon.to_owned() };
            let wire = self.pad(wire);
            return Lex { wire, canon: canon.to_owned() };
        }
        let int_digits = 1 + self.below(12);
        let mut int: String = (0..int_digits).map(|_| char::from(b'0' + self.below(10) as u8)).collect();
        int = int.trim_start_matches('0').to_owned();
        if int.is_empty() {
            int.push('0');
        }
        let frac: String = (0..self.below(9)).map(|_| char::from(b'0' + self.below(10) as u8)).collect();
        let zero = int == "0" && frac.chars().all(|c| c == '0');
        let negative = self.below(2) == 1 && !zero;
        let canon = format!("{}{int}{}{frac}", if negative { "-" } else { "" }, if frac.is_empty() { "" } else { "." });
        Lex { wire: self.pad(canon.clone()), canon }
    }

    fn date_part(&mut self) -> String {
        let year = match self.below(5) {
            0 => 2026,
            1 => 1,
            2 => 9999,
            _ => 1 + self.below(9999) as i32,
        };
        let month = 1 + self.below(12);
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let day = if self.below(4) == 3 { days } else { 1 + self.below(days) };
        format!("{year:04}-{month:02}-{day:02}")
    }

    fn time_part(&mut self) -> String {
        let (h, m, s) = (self.below(24), self.below(60), self.below(60));
        let digits = self.below(8) as usize; // .NET writes up to 7 fractional digits
        let mut t = format!("{h:02}:{m:02}:{s:02}");
        if digits > 0 {
            t.push('.');
            for _ in 0..digits {
                t.push(char::from(b'0' + self.below(10) as u8));
            }
        }
        t
    }

    /// A time zone offset: (as sent, as an encoder writes it back). `-00:00` is the same offset
    /// as `+00:00` (XSD), sent only as a lexical variant.
    fn offset(&mut self) -> (String, String) {
        let canon = match self.below(5) {
            0 => String::new(),
            1 => "Z".to_owned(),
            2 => "+00:00".to_owned(),
            _ => {
                let sign = if self.below(2) == 0 { '+' } else { '-' };
                let h = self.below(15);
                let m = if h == 14 { 0 } else { self.pick(&[0, 30, 45, 15]) };
                let sign = if h == 0 && m == 0 { '+' } else { sign };
                format!("{sign}{h:02}:{m:02}")
            }
        };
        let wire = if canon == "+00:00" && self.o.lexical_variants && self.below(2) == 1 {
            "-00:00".to_owned()
        } else {
            canon.clone()
        };
        (wire, canon)
    }

    /// A duration in the day-time form (`-?PnDTnHnMn.nS`), which also satisfies WCF's
    /// `ser:duration` pattern and range.
    fn duration(&mut self) -> String {
        let mut out = String::new();
        if self.below(3) == 2 {
            out.push('-');
        }
        out.push('P');
        let days = self.below(3) == 1;
        if days {
            write!(out, "{}D", self.pick(&[0, 1, 365, 10_675_198])).unwrap();
        }
        let (h, m, s) = (self.below(3) == 1, self.below(3) == 1, self.below(2) == 1 || !days);
        if h || m || s {
            out.push('T');
            if h {
                write!(out, "{}H", self.below(24)).unwrap();
            }
            if m {
                write!(out, "{}M", self.below(60)).unwrap();
            }
            if s || !(h || m) {
                write!(out, "{}", self.below(60)).unwrap();
                let digits = self.below(8);
                if digits > 0 {
                    out.push('.');
                    for _ in 0..digits {
                        out.push(char::from(b'0' + self.below(10) as u8));
                    }
                }
                out.push('S');
            }
        }
        out
    }

    /// A string matching `pattern` (the subset of XSD regular expressions that WSDLs use:
    /// literals, escapes, classes with ranges, groups, alternatives, quantifiers). A class that
    /// allows both cases of letters yields lower case (as `[\da-fA-F]` for WCF's guid).
    fn matching_pattern(&mut self, pattern: &str) -> String {
        let chars: Vec<char> = pattern.chars().collect();
        let mut pos = 0;
        let re = parse_alternatives(&chars, &mut pos);
        assert_eq!(pos, chars.len(), "unsupported pattern {pattern:?}");
        let mut out = String::new();
        self.emit_re(&re, &mut out);
        out
    }

    fn emit_re(&mut self, alts: &[Vec<Quantified>], out: &mut String) {
        let alt = &alts[self.below(alts.len() as u64) as usize];
        for q in alt {
            let n = q.min + self.below(u64::from(q.max - q.min) + 1) as u32;
            for _ in 0..n {
                match &q.atom {
                    Atom::Literal(c) => out.push(*c),
                    Atom::Class(set) => {
                        let c = self.pick(set);
                        out.push(c);
                    }
                    Atom::Group(inner) => self.emit_re(inner, out),
                }
            }
        }
    }
}

enum Atom {
    Literal(char),
    Class(Vec<char>),
    Group(Vec<Vec<Quantified>>),
}

struct Quantified {
    atom: Atom,
    min: u32,
    max: u32,
}

fn parse_alternatives(chars: &[char], pos: &mut usize) -> Vec<Vec<Quantified>> {
    let mut alts = vec![Vec::new()];
    while *pos < chars.len() && chars[*pos] != ')' {
        if chars[*pos] == '|' {
            *pos += 1;
            alts.push(Vec::new());
            continue;
        }
        let atom = parse_atom(chars, pos);
        let (min, max) = parse_quantifier(chars, pos);
        alts.last_mut().unwrap().push(Quantified { atom, min, max });
    }
    alts
}

fn class_escape(c: char) -> Vec<char> {
    match c {
        'd' => ('0'..='9').collect(),
        'w' => ('a'..='z').collect(),
        's' => vec![' '],
        other => vec![other],
    }
}

fn parse_atom(chars: &[char], pos: &mut usize) -> Atom {
    let c = chars[*pos];
    *pos += 1;
    match c {
        '(' => {
            let inner = parse_alternatives(chars, pos);
            assert_eq!(chars.get(*pos), Some(&')'), "unbalanced group in pattern");
            *pos += 1;
            Atom::Group(inner)
        }
        '[' => {
            assert_ne!(chars.get(*pos), Some(&'^'), "negated classes are not supported");
            let mut set: Vec<char> = Vec::new();
            while chars[*pos] != ']' {
                let first = if chars[*pos] == '\\' {
                    *pos += 2;
                    let members = class_escape(chars[*pos - 1]);
                    if members.len() > 1 {
                        set.extend(members);
                        continue;
                    }
                    members[0]
                } else {
                    *pos += 1;
                    chars[*pos - 1]
                };
                if chars[*pos] == '-' && chars[*pos + 1] != ']' {
                    let last = chars[*pos + 1];
                    *pos += 2;
                    set.extend(first..=last);
                } else {
                    set.push(first);
                }
            }
            *pos += 1;
            let lower: BTreeSet<char> = set.iter().filter(|c| c.is_ascii_lowercase()).copied().collect();
            if !lower.is_empty() {
                set.retain(|c| !(c.is_ascii_uppercase() && lower.contains(&c.to_ascii_lowercase())));
            }
            Atom::Class(set)
        }
        '\\' => {
            let e = chars[*pos];
            *pos += 1;
            let members = class_escape(e);
            if members.len() == 1 { Atom::Literal(members[0]) } else { Atom::Class(members) }
        }
        '.' => Atom::Class(('a'..='z').collect()),
        other => Atom::Literal(other),
    }
}

fn parse_quantifier(chars: &[char], pos: &mut usize) -> (u32, u32) {
    match chars.get(*pos) {
        Some('?') => {
            *pos += 1;
            (0, 1)
        }
        Some('*') => {
            *pos += 1;
            (0, 3)
        }
        Some('+') => {
            *pos += 1;
            (1, 3)
        }
        Some('{') => {
            let end = chars[*pos..].iter().position(|c| *c == '}').expect("unterminated quantifier") + *pos;
            let body: String = chars[*pos + 1..end].iter().collect();
            *pos = end + 1;
            match body.split_once(',') {
                None => {
                    let n = body.parse().expect("quantifier");
                    (n, n)
                }
                Some((a, "")) => {
                    let n: u32 = a.parse().expect("quantifier");
                    (n, n + 2)
                }
                Some((a, b)) => (a.parse().expect("quantifier"), b.parse().expect("quantifier")),
            }
        }
        _ => (1, 1),
    }
}

/// Whether `name` is an XML name without colon (an NCName).
pub fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    let start = |c: char| c == '_' || c.is_alphabetic();
    chars.next().is_some_and(start) && chars.all(|c| start(c) || c.is_numeric() || matches!(c, '-' | '.' | '\u{b7}'))
}

fn string_like(builtin: &str) -> bool {
    matches!(
        builtin,
        "string" | "normalizedString" | "token" | "anyURI" | "QName" | "NCName" | "Name" | "ID" | "IDREF" | "language"
    )
}

/// Escapes element text the way every XML writer must: `&`, `<`, `>` and carriage returns.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes element text with character references for everything outside ASCII and the
/// predefined entities for quotes, as some peers do.
fn escape_text_with_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            c if !c.is_ascii() => write!(out, "&#x{:X};", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out
}

/// Escapes an attribute value.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#xD;"),
            '\n' => out.push_str("&#xA;"),
            '\t' => out.push_str("&#x9;"),
            c => out.push(c),
        }
    }
    out
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

// =============================================================================================
// Canonical trees
// =============================================================================================

/// An element as namespace URI + local name, attributes (sorted, without namespace
/// declarations), text (for elements with child elements only when it is not all whitespace)
/// and children.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CNode {
    pub name: QName,
    pub attributes: Vec<(QName, String)>,
    pub text: Option<String>,
    pub children: Vec<CNode>,
}

/// Options for [`canonical_with`].
#[derive(Clone, Debug, Default)]
pub struct CanonOptions {
    /// Attributes to leave out (e.g. `xsi:type` when comparing with a document that has them).
    pub ignore_attributes: Vec<QName>,
    /// Read whitespace-only text of an element without child elements as empty (for pretty-printed
    /// documents whose empty complex elements hold indentation, when no string value is only
    /// whitespace).
    pub blank_text_is_empty: bool,
    /// Compare `xsi:type` values as `{namespace}local` rather than as written (prefixes differ
    /// between an instance and its re-encoding).
    pub resolve_xsi_type: bool,
}

/// The canonical tree of the root element of `xml`. Prefixes and namespace declarations do not
/// matter; whitespace between child elements does not matter; the text of an element without
/// child elements matters exactly (entities, character references and CDATA resolved).
pub fn canonical(xml: &str) -> Result<CNode, String> {
    canonical_with(xml, &CanonOptions::default())
}

/// [`canonical`] with options.
pub fn canonical_with(xml: &str, options: &CanonOptions) -> Result<CNode, String> {
    let doc = Document::parse(xml).map_err(|e| format!("not well-formed: {e}"))?;
    canonical_node(doc.root_element(), options)
}

/// The canonical tree of an element of a parsed document.
pub fn canonical_node(node: Node<'_, '_>, options: &CanonOptions) -> Result<CNode, String> {
    let name = QName::new(node.tag_name().namespace().unwrap_or_default(), node.tag_name().name());
    let mut attributes: Vec<(QName, String)> = node
        .attributes()
        .map(|a| {
            let q = QName::new(a.namespace().unwrap_or_default(), a.name());
            let value = if options.resolve_xsi_type && a.namespace() == Some(XSI_NS) && a.name() == "type" {
                let (prefix, local) = a.value().split_once(':').map_or((None, a.value()), |(p, l)| (Some(p), l));
                format!("{{{}}}{local}", node.lookup_namespace_uri(prefix).unwrap_or_default())
            } else {
                a.value().to_owned()
            };
            (q, value)
        })
        .filter(|(q, _)| !options.ignore_attributes.contains(q))
        .collect();
    attributes.sort();
    let mut children = Vec::new();
    let mut text = String::new();
    for child in node.children() {
        if child.is_element() {
            children.push(canonical_node(child, options)?);
        } else if child.is_text() {
            text.push_str(child.text().unwrap_or_default());
        }
    }
    // Whitespace between child elements is insignificant; other text next to child elements
    // (mixed content, e.g. in anyType) is kept, all of it joined.
    let blank = text.chars().all(|c| matches!(c, ' ' | '\t' | '\r' | '\n'));
    let text = if children.is_empty() {
        Some(if blank && options.blank_text_is_empty { String::new() } else { text })
    } else if !blank {
        Some(text)
    } else {
        None
    };
    Ok(CNode { name, attributes, text, children })
}

/// The first difference between two canonical trees (`expected` first), naming the path, or
/// `None` when they are equal.
pub fn diff(expected: &CNode, actual: &CNode) -> Option<String> {
    diff_at(expected, actual, &mut Vec::new(), &|e, a| e == a)
}

/// [`diff`], with texts of leaf elements compared by `same_text(expected, actual)` instead of
/// equality (a peer that writes a value in another lexical form).
pub fn diff_by(expected: &CNode, actual: &CNode, same_text: &dyn Fn(&str, &str) -> bool) -> Option<String> {
    diff_at(expected, actual, &mut Vec::new(), same_text)
}

fn diff_at(e: &CNode, a: &CNode, path: &mut Vec<String>, same_text: &dyn Fn(&str, &str) -> bool) -> Option<String> {
    path.push(e.name.local.clone());
    let here = path.join("/");
    let result = if e.name != a.name {
        Some(format!("{here}: expected element {}, found {}", e.name, a.name))
    } else if e.attributes != a.attributes {
        Some(format!("{here}: expected attributes {:?}, found {:?}", e.attributes, a.attributes))
    } else if e.text != a.text && !(e.children.is_empty() && a.children.is_empty()) {
        let names = |n: &CNode| n.children.iter().map(|c| c.name.local.clone()).collect::<Vec<_>>();
        Some(format!(
            "{here}: expected children {:?} / text {:?}, found children {:?} / text {:?}",
            names(e),
            e.text,
            names(a),
            a.text
        ))
    } else if e.text != a.text
        && !matches!((&e.text, &a.text), (Some(et), Some(at)) if e.children.is_empty() && same_text(et, at))
    {
        Some(format!("{here}: expected text {:?}, found {:?}", e.text, a.text))
    } else {
        let mut found = None;
        for (i, (ec, ac)) in e.children.iter().zip(&a.children).enumerate() {
            path.last_mut().unwrap().push_str(&format!("[{i}]"));
            found = diff_at(ec, ac, path, same_text);
            let last = path.last_mut().unwrap();
            last.truncate(last.rfind('[').unwrap());
            if found.is_some() {
                break;
            }
        }
        found.or_else(|| {
            (e.children.len() != a.children.len()).then(|| {
                let names = |n: &CNode| n.children.iter().map(|c| c.name.local.clone()).collect::<Vec<_>>();
                format!(
                    "{here}: expected {} children {:?}, found {} {:?}",
                    e.children.len(),
                    names(e),
                    a.children.len(),
                    names(a)
                )
            })
        })
    };
    path.pop();
    result
}

/// [`assert_same_xml`], with leaf texts compared by `same_text(expected, actual)`.
pub fn assert_same_xml_by(expected: &str, actual: &str, same_text: &dyn Fn(&str, &str) -> bool) -> Result<(), String> {
    let e = canonical(expected).map_err(|err| format!("expected document: {err}"))?;
    let a = canonical(actual).map_err(|err| format!("actual document: {err}"))?;
    match diff_by(&e, &a, same_text) {
        None => Ok(()),
        Some(d) => Err(d),
    }
}

/// Compares two documents canonically; `Err` describes the first difference.
pub fn assert_same_xml(expected: &str, actual: &str) -> Result<(), String> {
    let e = canonical(expected).map_err(|err| format!("expected document: {err}"))?;
    let a = canonical(actual).map_err(|err| format!("actual document: {err}"))?;
    match diff(&e, &a) {
        None => Ok(()),
        Some(d) => Err(d),
    }
}

// =============================================================================================
// Documents
// =============================================================================================

/// The element `node` as a standalone document: its exact text, with the namespace
/// declarations it inherited from its ancestors added to its start tag.
pub fn standalone(node: Node<'_, '_>) -> String {
    let text = node.document().input_text();
    let range = node.range();
    let name_end = range.start
        + 1
        + text[range.start + 1..].find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/').expect("start tag");
    let declared = super::xmltext::start_tag_attribute_names(text, range.start);
    let mut extra = String::new();
    for ns in node.namespaces() {
        let attr = match ns.name() {
            Some("xml") => continue,
            Some(prefix) => format!("xmlns:{prefix}"),
            None => "xmlns".to_owned(),
        };
        if !declared.contains(&attr) {
            write!(extra, " {attr}=\"{}\"", escape_attr(ns.uri())).unwrap();
        }
    }
    format!("{}{extra}{}", &text[range.start..name_end], &text[name_end..range.end])
}

// =============================================================================================
// xmllint, many documents per run
// =============================================================================================

/// Validates every document against `schema` with one `xmllint --schema` run; one result per
/// document, `Err` with xmllint's messages for it. Panics when xmllint cannot be run.
pub fn xmllint_batch(schema: &Path, docs: &[&[u8]]) -> Vec<Result<(), String>> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    if docs.is_empty() {
        return Vec::new();
    }
    let xmllint = super::schema::require_xmllint();
    let dir = std::env::temp_dir().join(format!(
        "wsdlgen-conformance-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    let names: Vec<String> = (0..docs.len()).map(|i| format!("doc{i:05}.xml")).collect();
    for (name, doc) in names.iter().zip(docs) {
        std::fs::write(dir.join(name), doc).unwrap_or_else(|e| panic!("cannot write {name}: {e}"));
    }
    let schema = std::path::absolute(schema).expect("schema path");
    let out = Command::new(xmllint)
        .current_dir(&dir)
        .args(["--noout", "--nonet", "--schema"])
        .arg(&schema)
        .args(&names)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", xmllint.display()));
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("failed to compile") || stderr.contains("WXS schema") && stderr.contains("failed") {
        panic!("xmllint could not compile {}:\n{stderr}", schema.display());
    }
    names
        .iter()
        .map(|name| {
            let ok = format!("{name} validates");
            let failed = format!("{name} fails to validate");
            let prefix = format!("{name}:");
            let mut verdict = None;
            let mut messages = String::new();
            for line in stderr.lines() {
                if line == ok {
                    verdict = Some(true);
                } else if line == failed {
                    verdict = Some(false);
                } else if line.starts_with(&prefix) {
                    messages.push_str(line);
                    messages.push('\n');
                }
            }
            match verdict {
                Some(true) => Ok(()),
                Some(false) => Err(messages),
                None => Err(format!("no verdict from xmllint: {messages}")),
            }
        })
        .collect()
}

// =============================================================================================
// SOAP envelopes
// =============================================================================================

/// SOAP 1.1 envelope namespace.
pub const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// SOAP 1.2 envelope namespace.
pub const SOAP12_NS: &str = "http://www.w3.org/2003/05/soap-envelope";

/// The parts of an envelope that passed [`check_envelope`], each as a standalone document.
#[derive(Clone, Debug)]
pub struct EnvelopeParts {
    /// Whether the envelope has a `Header` element.
    pub has_header: bool,
    /// The header entries, in order.
    pub header_entries: Vec<(QName, String)>,
    /// The one element of the `Body`.
    pub body: (QName, String),
}

/// Checks the structure of a SOAP envelope in the namespace `env_ns`: the root is `Envelope`;
/// its element children are an optional `Header` followed by exactly one `Body`; header entries
/// are namespace-qualified elements inside `Header`; the `Body` holds exactly one element; no
/// text other than whitespace sits between these elements; nothing uses the other SOAP
/// version's namespace; `Envelope` carries no attributes besides namespace declarations.
pub fn check_envelope(xml: &str, env_ns: &str) -> Result<EnvelopeParts, String> {
    let other_ns = if env_ns == SOAP11_NS { SOAP12_NS } else { SOAP11_NS };
    if let Some(decl_end) = xml.strip_prefix("<?xml").and_then(|rest| rest.find("?>")) {
        let decl = &xml[..decl_end + 7];
        if decl.contains("encoding") && !decl.to_ascii_lowercase().contains("utf-8") {
            return Err(format!("the XML declaration names another encoding than UTF-8: {decl}"));
        }
    }
    let doc = Document::parse(xml).map_err(|e| format!("not well-formed: {e}"))?;
    let root = doc.root_element();
    if !root.has_tag_name((env_ns, "Envelope")) {
        return Err(format!("root element is {:?}, not {{{env_ns}}}Envelope", root.tag_name()));
    }
    if let Some(a) = root.attributes().next() {
        return Err(format!("unexpected attribute {:?} on Envelope", a.name()));
    }
    if doc.descendants().any(|n| n.is_element() && n.tag_name().namespace() == Some(other_ns)) {
        return Err(format!("an element uses the other SOAP version's namespace {other_ns}"));
    }
    let only_whitespace =
        |n: Node<'_, '_>| n.children().filter(Node::is_text).all(|t| t.text().unwrap_or_default().trim().is_empty());
    if !only_whitespace(root) {
        return Err("text directly inside Envelope".into());
    }
    let parts: Vec<Node<'_, '_>> = root.children().filter(Node::is_element).collect();
    let names: Vec<(&str, &str)> =
        parts.iter().map(|n| (n.tag_name().namespace().unwrap_or_default(), n.tag_name().name())).collect();
    let (header, body) = match names.as_slice() {
        [(a, "Header"), (b, "Body")] if *a == env_ns && *b == env_ns => (Some(parts[0]), parts[1]),
        [(b, "Body")] if *b == env_ns => (None, parts[0]),
        other => return Err(format!("Envelope must hold [Header,] Body and nothing else, found {other:?}")),
    };
    let mut header_entries = Vec::new();
    if let Some(header) = header {
        if !only_whitespace(header) {
            return Err("text directly inside Header".into());
        }
        for entry in header.children().filter(Node::is_element) {
            let name = QName::new(entry.tag_name().namespace().unwrap_or_default(), entry.tag_name().name());
            if name.ns.is_empty() {
                return Err(format!("header entry {} is not namespace-qualified", name.local));
            }
            header_entries.push((name, standalone(entry)));
        }
    }
    if !only_whitespace(body) {
        return Err("text directly inside Body".into());
    }
    let payload: Vec<Node<'_, '_>> = body.children().filter(Node::is_element).collect();
    let [element] = payload.as_slice() else {
        return Err(format!("Body must hold exactly one element, found {}", payload.len()));
    };
    let body_name = QName::new(element.tag_name().namespace().unwrap_or_default(), element.tag_name().name());
    Ok(EnvelopeParts { has_header: header.is_some(), header_entries, body: (body_name, standalone(*element)) })
}

/// Writes `dir/name`: a schema importing each `(namespace, file)`, so that a document using all
/// of them (e.g. a SOAP envelope with a WSDL's body and header elements, whose `xsi:type`s must
/// resolve even where the envelope schema's wildcards are lax) validates in one go.
pub fn combined_schema(dir: &Path, name: &str, imports: &[(&str, &Path)]) -> std::path::PathBuf {
    let mut xsd = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xs:schema xmlns:xs=\"{XS_NS}\">\n");
    for (ns, file) in imports {
        let file = std::path::absolute(file).expect("absolute path");
        writeln!(
            xsd,
            "  <xs:import namespace=\"{}\" schemaLocation=\"{}\"/>",
            escape_attr(ns),
            escape_attr(&file.to_string_lossy())
        )
        .unwrap();
    }
    xsd.push_str("</xs:schema>\n");
    let path = dir.join(name);
    std::fs::write(&path, xsd).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    path
}
