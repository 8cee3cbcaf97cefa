//! The XML Schemas of any WSDL document, read independently of the generator (with
//! `roxmltree`), for the corpus conformance test (`tests/tests/corpus_operations.rs`).
//!
//! [`SchemaSet::from_wsdl`] follows `wsdl:import`s, reads every inline `xs:schema` and every
//! schema file they reach through `xs:import` / `xs:include` / `xs:redefine` (`schemaLocation`
//! relative to the importing file; an included schema without `targetNamespace` takes the
//! includer's: chameleon include). It keeps element, type, group, attribute and attribute group
//! declarations with what an instance writer needs: `form` / `elementFormDefault` /
//! `attributeFormDefault`, occurrence, `nillable`, `abstract`, `fixed`, `substitutionGroup`,
//! simple and complex content, extension and restriction, `mixed`, wildcards, facets, lists and
//! unions. It also reads the WSDL operations (port type, name, input and output body element).
//!
//! [`SchemaSet::write_validation_schemas`] lays the same schemas out for `xmllint --schema`:
//! every schema document copied into a file of its own (an inline one with the namespace
//! declarations it inherits from the WSDL; `schemaLocation`s pointing at the copies, imports
//! without a usable location at the copy for that namespace), plus a `root.xsd` that imports
//! every target namespace. A content model libxml2 refuses as not deterministic (a Unique
//! Particle Attribution violation of the published schema) gets its `##targetNamespace`
//! wildcards relaxed to `##other` in the copy and is listed in [`SchemaSet::relaxed`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use roxmltree::{Document, Node};

pub use super::instance::QName;
use super::instance::{WSDL_NS, XS_NS, escape_attr};

/// `http://www.w3.org/XML/1998/namespace`, bound to `xml` in every document.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

// =============================================================================================
// The model
// =============================================================================================

/// An element declaration, global or local.
#[derive(Clone, Debug)]
pub struct ElementDecl {
    /// Its name (for a local one, the namespace follows `form` / `elementFormDefault`).
    pub name: QName,
    pub ty: TypeRef,
    pub nillable: bool,
    pub abstract_: bool,
    pub fixed: Option<String>,
    pub substitution_group: Option<QName>,
}

/// How a declaration names its type.
#[derive(Clone, Debug)]
pub enum TypeRef {
    /// A named type (a built-in one when the namespace is XML Schema's).
    Named(QName),
    /// A type declared in place.
    Anonymous(Arc<TypeDef>),
}

/// A type definition.
#[derive(Debug)]
pub enum TypeDef {
    Complex(Complex),
    Simple(SimpleType),
}

/// A particle: a term with its occurrence.
#[derive(Clone, Debug)]
pub struct Particle {
    pub term: Term,
    pub min: u32,
    /// `None` for `unbounded`.
    pub max: Option<u32>,
}

/// What a particle holds.
#[derive(Clone, Debug)]
pub enum Term {
    /// A local element declaration.
    Element(Arc<ElementDecl>),
    /// `<xs:element ref=...>`: a global element (or anything in its substitution group).
    ElementRef(QName),
    Sequence(Vec<Particle>),
    Choice(Vec<Particle>),
    All(Vec<Particle>),
    /// `<xs:group ref=...>`
    GroupRef(QName),
    Any(Wildcard),
}

/// `xs:any` / `xs:anyAttribute`.
#[derive(Clone, Debug)]
pub struct Wildcard {
    pub namespaces: NsConstraint,
    pub process: Process,
}

/// The `namespace` of a wildcard, with `##targetNamespace` and `##local` resolved.
#[derive(Clone, Debug)]
pub enum NsConstraint {
    Any,
    /// Any namespace but this target namespace (and not the absent namespace).
    Other(String),
    /// These namespaces ("" for no namespace).
    List(Vec<String>),
}

impl NsConstraint {
    pub fn allows(&self, ns: &str) -> bool {
        match self {
            NsConstraint::Any => true,
            NsConstraint::Other(tns) => ns != tns && !ns.is_empty(),
            NsConstraint::List(list) => list.iter().any(|n| n == ns),
        }
    }
}

/// `processContents`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Process {
    Strict,
    Lax,
    Skip,
}

/// Extension or restriction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Derivation {
    Extension,
    Restriction,
}

/// The content a complex type declares itself (its base's comes on top, see [`SchemaSet`]).
#[derive(Clone, Debug)]
pub enum Content {
    /// No element content (possibly attributes).
    Empty,
    /// Element content (its own part, for an extension: what comes after the base's).
    Elements(Particle),
    /// `simpleContent`: text of the base's value type, restricted by `facets` for a restriction.
    Simple { facets: Option<Box<Facets>>, value_type: Option<TypeRef> },
}

/// A complex type.
#[derive(Debug)]
pub struct Complex {
    pub name: Option<QName>,
    pub abstract_: bool,
    pub mixed: bool,
    /// `block` (or the schema's `blockDefault`) forbids `xsi:type` substitutions for it.
    pub blocks_substitution: bool,
    pub base: Option<(QName, Derivation)>,
    pub content: Content,
    pub attributes: Vec<AttributeUse>,
    pub any_attribute: Option<Wildcard>,
}

/// An attribute use in a complex type or attribute group.
#[derive(Clone, Debug)]
pub enum AttributeUse {
    /// A local declaration, or a reference to a global one (`decl` then names it).
    Attribute { decl: AttributeRef, required: bool, prohibited: bool, fixed: Option<String>, default: Option<String> },
    /// `<xs:attributeGroup ref=...>`
    Group(QName),
}

/// An attribute declared in place or referenced.
#[derive(Clone, Debug)]
pub enum AttributeRef {
    Local(Arc<AttributeDecl>),
    Global(QName),
}

/// An attribute declaration.
#[derive(Debug)]
pub struct AttributeDecl {
    pub name: QName,
    /// `None`: `xs:anySimpleType`.
    pub ty: Option<TypeRef>,
    pub fixed: Option<String>,
    pub default: Option<String>,
    /// The `name` was written with surrounding whitespace (` TargetMediaPath` in `mpqf.xsd`):
    /// the name is the collapsed value (it is an `NCName`), but libxml2 keeps the spaces and
    /// so refuses every instance that has the attribute.
    pub name_has_spaces: bool,
}

/// A simple type.
#[derive(Debug)]
pub enum SimpleType {
    Restriction { base: TypeRef, facets: Box<Facets> },
    List { item: TypeRef },
    Union { members: Vec<TypeRef> },
}

/// The facets of one restriction step.
#[derive(Clone, Debug, Default)]
pub struct Facets {
    pub enumeration: Vec<String>,
    /// The step's patterns (a value must match one of them).
    pub patterns: Vec<String>,
    pub length: Option<usize>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_inclusive: Option<String>,
    pub max_inclusive: Option<String>,
    pub min_exclusive: Option<String>,
    pub max_exclusive: Option<String>,
    pub total_digits: Option<u32>,
    pub fraction_digits: Option<u32>,
    pub whitespace: Option<String>,
}

/// One WSDL operation bound to SOAP: port type, name, and the body elements of its messages.
#[derive(Clone, Debug)]
pub struct WsdlOperation {
    pub port_type: QName,
    pub name: String,
    /// The input's body element (`None` when the part has a `type`, as rpc style does).
    pub input: Option<QName>,
    /// The output's body element; `None` for a one-way operation (or a typed part).
    pub output: Option<QName>,
    pub one_way: bool,
}

/// A schema document the set was read from.
#[derive(Clone, Debug)]
pub struct SchemaDoc {
    /// The file (for an inline schema, the WSDL holding it), canonicalised.
    pub file: PathBuf,
    /// Its target namespace (for a chameleon include, the includer's).
    pub tns: String,
    /// Its text as a document of its own, for validation: an inline schema with the namespace
    /// declarations it inherits from the WSDL; `schemaLocation`s replaced by placeholders
    /// (`@@FILE:<path>@@` for a file of the set, `@@IMPORT:<namespace>@@` for an import without
    /// a usable location), filled in by [`SchemaSet::write_validation_schemas`].
    pub text: String,
    /// Written inline in a WSDL.
    pub inline: bool,
    /// Read through `xs:include` / `xs:redefine` (so the includer brings it along).
    pub included: bool,
}

/// Everything the schemas of a WSDL declare.
#[derive(Debug, Default)]
pub struct SchemaSet {
    pub elements: BTreeMap<QName, Arc<ElementDecl>>,
    pub types: BTreeMap<QName, Arc<TypeDef>>,
    pub groups: BTreeMap<QName, Particle>,
    pub attribute_groups: BTreeMap<QName, (Vec<AttributeUse>, Option<Wildcard>)>,
    pub attributes: BTreeMap<QName, Arc<AttributeDecl>>,
    pub operations: Vec<WsdlOperation>,
    pub documents: Vec<SchemaDoc>,
    /// Named complex type -> the named types derived from it directly.
    pub derived: BTreeMap<QName, Vec<QName>>,
    /// Head element -> the elements naming it as their `substitutionGroup`.
    pub substitutes: BTreeMap<QName, Vec<QName>>,
    /// Complex types whose `##targetNamespace` wildcards the validation schemas turn into
    /// `##other`, because libxml2 refuses their content model as not deterministic (a Unique
    /// Particle Attribution violation in the published schema); instances leave those
    /// wildcards empty, so they are valid under both readings.
    pub relaxed: BTreeSet<QName>,
}

impl SchemaSet {
    /// Reads the WSDL at `path` and everything it imports.
    pub fn from_wsdl(path: impl AsRef<Path>) -> Result<SchemaSet, String> {
        Self::from_wsdl_with(path, &[])
    }

    /// Reads the WSDL at `path` and everything it imports, reading the documents named by the
    /// remote locations of `locations` from their local copies (exact matches, as an XML
    /// catalog's `uri` entries).
    pub fn from_wsdl_with(path: impl AsRef<Path>, locations: &[(&str, &Path)]) -> Result<SchemaSet, String> {
        let locations = locations.iter().map(|(uri, path)| ((*uri).to_owned(), path.to_path_buf())).collect();
        let mut loader = Loader { locations, ..Default::default() };
        loader.wsdl(path.as_ref())?;
        loader.finish()
    }

    /// The type `q` names, `None` for a built-in (or unknown) one.
    pub fn type_def(&self, q: &QName) -> Option<&Arc<TypeDef>> {
        self.types.get(q)
    }

    /// The named complex types derived from `q`, directly or not, in a stable order.
    pub fn all_derived(&self, q: &QName) -> Vec<QName> {
        let mut out = Vec::new();
        let mut todo = vec![q.clone()];
        while let Some(t) = todo.pop() {
            for d in self.derived.get(&t).into_iter().flatten() {
                if !out.contains(d) && d != q {
                    out.push(d.clone());
                    todo.push(d.clone());
                }
            }
        }
        out.sort();
        out
    }

    /// `q` and every element that may substitute for it, directly or not.
    pub fn substitution_members(&self, q: &QName) -> Vec<QName> {
        let mut out = vec![q.clone()];
        let mut i = 0;
        while i < out.len() {
            for m in self.substitutes.get(&out[i]).into_iter().flatten() {
                if !out.contains(m) {
                    out.push(m.clone());
                }
            }
            i += 1;
        }
        out
    }

    /// Writes the schemas into `dir` for validation (every document a copy, its locations
    /// pointing at the copies) and returns the path of the schema that imports all of them (any
    /// global element of any of them may be a document's root). Checks that xmllint compiles
    /// them; a content model it refuses as not deterministic gets its `##targetNamespace`
    /// wildcards relaxed (see [`SchemaSet::relaxed`]). Panics when xmllint cannot be run.
    pub fn write_validation_schemas(&mut self, dir: &Path) -> Result<PathBuf, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        // One copy per file (a chameleon include read twice is one file).
        let mut copies: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
        let mut doc_copy: Vec<PathBuf> = Vec::new();
        for (i, doc) in self.documents.iter().enumerate() {
            let copy = if doc.inline {
                dir.join(format!("inline{i}.xsd"))
            } else {
                let n = copies.len();
                copies.entry(doc.file.clone()).or_insert_with(|| dir.join(format!("file{n}.xsd"))).clone()
            };
            doc_copy.push(copy);
        }
        // Per namespace: the copies that are not brought along by an include.
        let mut by_ns: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
        for (doc, copy) in self.documents.iter().zip(&doc_copy) {
            if !doc.included {
                let list = by_ns.entry(doc.tns.clone()).or_default();
                if !list.contains(copy) {
                    list.push(copy.clone());
                }
            }
        }
        // One entry per namespace: the file itself, or a file including all of them.
        let mut entry: BTreeMap<String, PathBuf> = BTreeMap::new();
        for (k, (ns, files)) in by_ns.iter().enumerate() {
            let file = if let [one] = files.as_slice() {
                one.clone()
            } else {
                let mut xsd = format!("<xs:schema xmlns:xs=\"{XS_NS}\"");
                if !ns.is_empty() {
                    write!(xsd, " targetNamespace=\"{}\"", escape_attr(ns)).unwrap();
                }
                xsd.push_str(">\n");
                for f in files {
                    writeln!(xsd, "  <xs:include schemaLocation=\"{}\"/>", escape_attr(&f.to_string_lossy())).unwrap();
                }
                xsd.push_str("</xs:schema>\n");
                let f = dir.join(format!("namespace{k}.xsd"));
                write_file(&f, &xsd)?;
                f
            };
            entry.insert(ns.clone(), file);
        }
        let mut root = format!("<xs:schema xmlns:xs=\"{XS_NS}\">\n");
        for (ns, file) in &entry {
            let location = escape_attr(&file.to_string_lossy());
            if ns.is_empty() {
                writeln!(root, "  <xs:include schemaLocation=\"{location}\"/>").unwrap();
            } else {
                writeln!(root, "  <xs:import namespace=\"{}\" schemaLocation=\"{location}\"/>", escape_attr(ns))
                    .unwrap();
            }
        }
        root.push_str("</xs:schema>\n");
        let root_path = dir.join("root.xsd");
        write_file(&root_path, &root)?;

        let fill = |text: &str| -> String {
            let mut text = text.to_owned();
            while let Some(start) = text.find("@@FILE:").or_else(|| text.find("@@IMPORT:")) {
                let end = start + text[start + 2..].find("@@").expect("placeholder end") + 4;
                let inner = &text[start + 2..end - 2];
                let location = match inner.split_once(':') {
                    Some(("FILE", path)) => copies.get(Path::new(&unescape_attr(path))).cloned(),
                    Some((_, ns)) => entry.get(&unescape_attr(ns)).cloned(),
                    None => None,
                };
                let location = location.map(|f| escape_attr(&f.to_string_lossy())).unwrap_or_default();
                text.replace_range(start..end, &location);
            }
            text
        };
        let mut written = BTreeSet::new();
        for (doc, copy) in self.documents.iter().zip(&doc_copy) {
            if written.insert(copy.clone()) {
                write_file(copy, &fill(&doc.text))?;
            }
        }

        // Compile; relax what libxml2 finds not deterministic, and try again.
        let probe = dir.join("probe.xml");
        write_file(&probe, "<wsdlgen-tests-probe/>")?;
        for _ in 0..32 {
            let out = std::process::Command::new(super::schema::require_xmllint())
                .args(["--noout", "--nonet", "--schema"])
                .arg(&root_path)
                .arg(&probe)
                .output()
                .map_err(|e| format!("cannot run xmllint: {e}"))?;
            let stderr = String::from_utf8_lossy(&out.stderr);
            if stderr.contains("No matching global declaration") && !stderr.contains("failed to compile") {
                return Ok(root_path);
            }
            let culprit = stderr.lines().find(|l| l.contains("The content model is not determinist")).and_then(|l| {
                let file = l.split(':').next()?;
                let name = l.split("complex type '").nth(1)?.split('\'').next()?;
                Some((PathBuf::from(file), name.to_owned()))
            });
            let Some((file, name)) = culprit else {
                return Err(format!("xmllint cannot compile the schemas in {}:\n{stderr}", dir.display()));
            };
            let i =
                doc_copy.iter().position(|c| *c == file).ok_or_else(|| format!("xmllint names {}", file.display()))?;
            let text = &self.documents[i].text;
            let start = [format!("complexType name=\"{name}\""), format!("complexType name='{name}'")]
                .iter()
                .find_map(|needle| text.find(needle.as_str()))
                .ok_or_else(|| format!("cannot find complex type {name} to relax:\n{stderr}"))?;
            let end = start + text[start..].find("complexType>").ok_or("unterminated complexType")?;
            if !text[start..end].contains("##targetNamespace") {
                return Err(format!(
                    "complex type {name} is not deterministic and has no ##targetNamespace wildcard:\n{stderr}"
                ));
            }
            let relaxed = text[start..end].replace("##targetNamespace", "##other");
            let mut new_text = text.clone();
            new_text.replace_range(start..end, &relaxed);
            self.documents[i].text = new_text;
            self.relaxed.insert(QName::new(self.documents[i].tns.clone(), name));
            write_file(&file, &fill(&self.documents[i].text))?;
        }
        Err("too many content models to relax".into())
    }
}

fn write_file(path: &Path, body: &str) -> Result<(), String> {
    let text = if body.starts_with("<?xml") {
        body.to_owned()
    } else {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}")
    };
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn unescape_attr(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&#xD;", "\r")
        .replace("&#xA;", "\n")
        .replace("&#x9;", "\t")
        .replace("&amp;", "&")
}

// =============================================================================================
// Reading
// =============================================================================================

fn is_xs(node: &Node<'_, '_>, local: &str) -> bool {
    node.is_element() && node.has_tag_name((XS_NS, local))
}

fn is_wsdl(node: &Node<'_, '_>, local: &str) -> bool {
    node.is_element() && node.has_tag_name((WSDL_NS, local))
}

fn position(file: &Path, node: Node<'_, '_>) -> String {
    let pos = node.document().text_pos_at(node.range().start);
    format!("{}:{}:{}", file.display(), pos.row, pos.col)
}

fn parse_document(text: &str) -> Result<Document<'_>, String> {
    Document::parse_with_options(text, roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() })
        .map_err(|e| format!("not well-formed: {e}"))
}

fn read(path: &Path) -> Result<(PathBuf, String), String> {
    let canon = std::fs::canonicalize(path).map_err(|e| format!("cannot find {}: {e}", path.display()))?;
    let text = std::fs::read_to_string(&canon).map_err(|e| format!("cannot read {}: {e}", canon.display()))?;
    Ok((canon, text))
}

/// What a schema document's declarations need to know about it.
struct Ctx<'f> {
    file: &'f Path,
    tns: String,
    /// A chameleon include: references to no namespace mean the includer's.
    chameleon: bool,
    element_qualified: bool,
    attribute_qualified: bool,
    block_default: String,
}

impl Ctx<'_> {
    fn qname(&self, node: Node<'_, '_>, value: &str) -> Result<QName, String> {
        let (prefix, local) = match value.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, value),
        };
        let ns = match prefix {
            Some("xml") => XML_NS.to_owned(),
            _ => match node.lookup_namespace_uri(prefix) {
                Some(ns) => ns.to_owned(),
                None if prefix.is_none() => String::new(),
                None => return Err(format!("{}: unbound prefix in {value:?}", position(self.file, node))),
            },
        };
        let ns = if ns.is_empty() && self.chameleon { self.tns.clone() } else { ns };
        Ok(QName::new(ns, local))
    }

    fn err(&self, node: Node<'_, '_>, message: impl std::fmt::Display) -> String {
        format!("{}: {message}", position(self.file, node))
    }
}

fn occurs(ctx: &Ctx<'_>, node: Node<'_, '_>) -> Result<(u32, Option<u32>), String> {
    let parse = |name: &str, default: u32| -> Result<Option<u32>, String> {
        match node.attribute(name).map(str::trim) {
            None => Ok(Some(default)),
            Some("unbounded") => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| ctx.err(node, format!("bad {name} {v:?}"))),
        }
    };
    let min = parse("minOccurs", 1)?.ok_or_else(|| ctx.err(node, "minOccurs unbounded"))?;
    Ok((min, parse("maxOccurs", 1)?))
}

#[derive(Default)]
struct Loader {
    set: SchemaSet,
    wsdls: BTreeSet<PathBuf>,
    /// (file, chameleon namespace) already read.
    schemas: BTreeSet<(PathBuf, String)>,
    /// message -> its parts
    messages: BTreeMap<QName, Vec<MessagePart>>,
    /// port type -> [(operation, input message, output message)]
    port_types: Vec<(QName, Vec<PortTypeOperation>)>,
    /// (port type, operation) -> (rpc style, input, output) of a SOAP binding
    bound: BTreeMap<(QName, String), (bool, BodySpec, BodySpec)>,
    /// Remote location -> local copy.
    locations: BTreeMap<String, PathBuf>,
    /// The WSDL file read first (names the documents that declare rpc wrappers).
    main: Option<PathBuf>,
}

/// A message part: name, and its `element` or its `type`.
#[derive(Debug, Clone)]
struct MessagePart {
    name: String,
    element: Option<QName>,
    ty: Option<QName>,
}

/// An operation of a port type: name, input message, output message.
type PortTypeOperation = (String, Option<QName>, Option<QName>);

/// What a SOAP binding says about one message: `soap:body parts` and `namespace`, and its
/// `soap:header` parts.
#[derive(Debug, Default)]
struct BodySpec {
    parts: Option<Vec<String>>,
    namespace: String,
    headers: Vec<(QName, String)>,
}

/// Where `location`, named in a file of directory `dir`, is read from.
fn resolve_location(locations: &BTreeMap<String, PathBuf>, dir: &Path, location: &str) -> PathBuf {
    let location = location.trim();
    locations.get(location).cloned().unwrap_or_else(|| dir.join(location))
}

impl Loader {
    fn wsdl(&mut self, path: &Path) -> Result<(), String> {
        let (file, text) = read(path)?;
        if !self.wsdls.insert(file.clone()) {
            return Ok(());
        }
        self.main.get_or_insert_with(|| file.clone());
        let doc = parse_document(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let root = doc.root_element();
        let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
        let tns = root.attribute("targetNamespace").unwrap_or_default().to_owned();
        let qname = |node: Node<'_, '_>, value: &str| -> Result<QName, String> {
            let (prefix, local) = value.split_once(':').map_or((None, value), |(p, l)| (Some(p), l));
            let ns = node.lookup_namespace_uri(prefix).unwrap_or_default();
            if prefix.is_some() && ns.is_empty() {
                return Err(format!("{}: unbound prefix in {value:?}", position(&file, node)));
            }
            Ok(QName::new(ns, local))
        };
        for child in root.children().filter(Node::is_element) {
            if is_wsdl(&child, "import") {
                if let Some(location) = child.attribute("location") {
                    self.wsdl(&resolve_location(&self.locations, &dir, location))?;
                }
            } else if is_wsdl(&child, "types") {
                for s in child.children().filter(|n| is_xs(n, "schema")) {
                    let own_text = relocate(&text, s, &dir, true, &self.locations)?;
                    let schema_tns = s.attribute("targetNamespace").unwrap_or_default().to_owned();
                    self.set.documents.push(SchemaDoc {
                        file: file.clone(),
                        tns: schema_tns,
                        text: own_text,
                        inline: true,
                        included: false,
                    });
                    self.schema(s, &file, &dir, None)?;
                }
            } else if is_wsdl(&child, "message") {
                let name = QName::new(&tns, child.attribute("name").unwrap_or_default());
                let mut parts = Vec::new();
                for part in child.children().filter(|n| is_wsdl(n, "part")) {
                    parts.push(MessagePart {
                        name: part.attribute("name").unwrap_or_default().to_owned(),
                        element: part.attribute("element").map(|e| qname(part, e)).transpose()?,
                        ty: part.attribute("type").map(|t| qname(part, t)).transpose()?,
                    });
                }
                self.messages.insert(name, parts);
            } else if is_wsdl(&child, "portType") {
                let name = QName::new(&tns, child.attribute("name").unwrap_or_default());
                let mut ops = Vec::new();
                for op in child.children().filter(|n| is_wsdl(n, "operation")) {
                    let message = |dir: &str| -> Result<Option<QName>, String> {
                        match op.children().find(|n| is_wsdl(n, dir)) {
                            Some(n) => Ok(Some(qname(n, n.attribute("message").unwrap_or_default())?)),
                            None => Ok(None),
                        }
                    };
                    ops.push((
                        op.attribute("name").unwrap_or_default().to_owned(),
                        message("input")?,
                        message("output")?,
                    ));
                }
                self.port_types.push((name, ops));
            } else if is_wsdl(&child, "binding") {
                let soap = child.children().any(|n| {
                    n.is_element()
                        && n.tag_name().name() == "binding"
                        && matches!(
                            n.tag_name().namespace(),
                            Some("http://schemas.xmlsoap.org/wsdl/soap/" | "http://schemas.xmlsoap.org/wsdl/soap12/")
                        )
                });
                if !soap {
                    continue;
                }
                let port_type = qname(child, child.attribute("type").unwrap_or_default())?;
                let style_of = |n: Node<'_, '_>, tag: &str| -> Option<String> {
                    let c = n.children().find(|c| c.is_element() && c.tag_name().name() == tag)?;
                    c.attribute("style").map(str::to_owned)
                };
                let binding_rpc = style_of(child, "binding").as_deref() == Some("rpc");
                for op in child.children().filter(|n| is_wsdl(n, "operation")) {
                    let name = op.attribute("name").unwrap_or_default().to_owned();
                    let rpc = style_of(op, "operation").map_or(binding_rpc, |s| s == "rpc");
                    let spec = |dir: &str| -> Result<BodySpec, String> {
                        let mut spec = BodySpec::default();
                        let Some(io) = op.children().find(|n| is_wsdl(n, dir)) else { return Ok(spec) };
                        for n in io.children().filter(Node::is_element) {
                            match n.tag_name().name() {
                                "body" => {
                                    spec.parts =
                                        n.attribute("parts").map(|p| p.split_whitespace().map(str::to_owned).collect());
                                    spec.namespace = n.attribute("namespace").unwrap_or_default().to_owned();
                                }
                                "header" => {
                                    if let (Some(m), Some(part)) = (n.attribute("message"), n.attribute("part")) {
                                        spec.headers.push((qname(n, m)?, part.to_owned()));
                                    }
                                }
                                _ => {}
                            }
                        }
                        Ok(spec)
                    };
                    let (input, output) = (spec("input")?, spec("output")?);
                    self.bound.entry((port_type.clone(), name)).or_insert((rpc, input, output));
                }
            }
        }
        Ok(())
    }

    /// Reads a schema file (once per chameleon namespace).
    fn schema_file(&mut self, path: &Path, includer_tns: Option<&str>) -> Result<(), String> {
        let (file, text) = read(path)?;
        let doc = parse_document(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let root = doc.root_element();
        if !is_xs(&root, "schema") {
            return Err(format!("{}: not an xs:schema", file.display()));
        }
        let own = root.attribute("targetNamespace");
        let chameleon = match (own, includer_tns) {
            (None, Some(t)) if !t.is_empty() => Some(t),
            _ => None,
        };
        if !self.schemas.insert((file.clone(), chameleon.unwrap_or_default().to_owned())) {
            return Ok(());
        }
        let tns = own.or(chameleon).unwrap_or_default().to_owned();
        let dir = file.parent().unwrap_or(Path::new(".")).to_path_buf();
        let own_text = relocate(&text, root, &dir, false, &self.locations)?;
        self.set.documents.push(SchemaDoc {
            file: file.clone(),
            tns,
            text: own_text,
            inline: false,
            included: includer_tns.is_some(),
        });
        self.schema(root, &file, &dir, chameleon)
    }

    fn schema(&mut self, s: Node<'_, '_>, file: &Path, dir: &Path, chameleon: Option<&str>) -> Result<(), String> {
        let ctx = Ctx {
            file,
            tns: s.attribute("targetNamespace").or(chameleon).unwrap_or_default().to_owned(),
            chameleon: chameleon.is_some(),
            element_qualified: s.attribute("elementFormDefault") == Some("qualified"),
            attribute_qualified: s.attribute("attributeFormDefault") == Some("qualified"),
            block_default: s.attribute("blockDefault").unwrap_or_default().to_owned(),
        };
        for child in s.children().filter(Node::is_element) {
            let local = child.tag_name().name();
            if child.tag_name().namespace() != Some(XS_NS) {
                continue;
            }
            let name = || QName::new(&ctx.tns, child.attribute("name").unwrap_or_default().trim());
            match local {
                "include" | "redefine" => {
                    if local == "redefine" && child.children().any(|n| n.is_element() && !is_xs(&n, "annotation")) {
                        return Err(
                            ctx.err(child, "xs:redefine with redefinitions is not supported by the instance writer")
                        );
                    }
                    let location = child
                        .attribute("schemaLocation")
                        .ok_or_else(|| ctx.err(child, "include without schemaLocation"))?;
                    self.schema_file(&resolve_location(&self.locations, dir, location), Some(&ctx.tns))?;
                }
                "import" => {
                    if let Some(location) = child.attribute("schemaLocation") {
                        let path = resolve_location(&self.locations, dir, location);
                        if path.exists() {
                            self.schema_file(&path, None)?;
                        }
                    }
                }
                "element" => {
                    let e = element_decl(&ctx, child, true)?;
                    if let Some(head) = &e.substitution_group {
                        self.set.substitutes.entry(head.clone()).or_default().push(e.name.clone());
                    }
                    self.set.elements.insert(e.name.clone(), Arc::new(e));
                }
                "complexType" => {
                    let c = complex(&ctx, child, Some(name()))?;
                    if let Some((base, _)) = &c.base {
                        self.set.derived.entry(base.clone()).or_default().push(name());
                    }
                    self.set.types.insert(name(), Arc::new(TypeDef::Complex(c)));
                }
                "simpleType" => {
                    self.set.types.insert(name(), Arc::new(TypeDef::Simple(simple(&ctx, child)?)));
                }
                "group" => {
                    let body = child
                        .children()
                        .find(|n| is_xs(n, "sequence") || is_xs(n, "choice") || is_xs(n, "all"))
                        .ok_or_else(|| ctx.err(child, "empty group"))?;
                    let term = model_group(&ctx, body)?;
                    self.set.groups.insert(name(), Particle { term, min: 1, max: Some(1) });
                }
                "attributeGroup" => {
                    let (uses, any) = attribute_uses(&ctx, child)?;
                    self.set.attribute_groups.insert(name(), (uses, any));
                }
                "attribute" => {
                    let decl = attribute_decl(&ctx, child, true)?;
                    self.set.attributes.insert(decl.name.clone(), Arc::new(decl));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<SchemaSet, String> {
        // Elements without a type of their own take their substitution group head's.
        for _ in 0..8 {
            let pending: Vec<(QName, QName)> = self
                .set
                .elements
                .iter()
                .filter_map(|(q, e)| match &e.ty {
                    TypeRef::Named(t) if t.ns == HEAD_TYPE => Some((q.clone(), e.substitution_group.clone()?)),
                    _ => None,
                })
                .collect();
            for (q, head) in pending {
                if let Some(h) =
                    self.set.elements.get(&head).filter(|h| !matches!(&h.ty, TypeRef::Named(t) if t.ns == HEAD_TYPE))
                {
                    let mut e = (*self.set.elements[&q]).clone();
                    e.ty = h.ty.clone();
                    self.set.elements.insert(q, Arc::new(e));
                }
            }
        }
        let mut wrappers: Vec<(QName, Vec<MessagePart>)> = Vec::new();
        for (port_type, ops) in &self.port_types {
            for (name, input, output) in ops {
                let Some((rpc, in_parts, out_parts)) = self.bound.get(&(port_type.clone(), name.clone())) else {
                    continue;
                };
                // The parts a message puts in the body: `soap:body parts`, or all but its headers.
                let body_parts = |message: &Option<QName>, spec: &BodySpec| -> Vec<MessagePart> {
                    let Some(m) = message.as_ref() else { return Vec::new() };
                    let all = self.messages.get(m).map(Vec::as_slice).unwrap_or_default();
                    all.iter()
                        .filter(|p| match &spec.parts {
                            Some(list) => list.contains(&p.name),
                            None => !spec.headers.iter().any(|(hm, hp)| hm == m && *hp == p.name),
                        })
                        .cloned()
                        .collect()
                };
                let mut body = |message: &Option<QName>, spec: &BodySpec, wrapper: String| -> Option<QName> {
                    message.as_ref()?;
                    let parts = body_parts(message, spec);
                    if !rpc {
                        return parts.first().and_then(|p| p.element.clone());
                    }
                    // rpc: an element named after the operation (`Response` appended for the
                    // output) in the `soap:body` namespace, holding one element per part.
                    let q = QName::new(&spec.namespace, wrapper);
                    if !wrappers.iter().any(|(w, _)| *w == q) {
                        wrappers.push((q.clone(), parts));
                    }
                    Some(q)
                };
                let input_element = body(input, in_parts, name.clone());
                let output_element = body(output, out_parts, format!("{name}Response"));
                self.set.operations.push(WsdlOperation {
                    port_type: port_type.clone(),
                    name: name.clone(),
                    input: input_element,
                    output: output_element,
                    one_way: output.is_none(),
                });
            }
        }
        for (wrapper, parts) in wrappers {
            self.rpc_wrapper(wrapper, &parts);
        }
        Ok(self.set)
    }
}

impl Loader {
    /// Declares an rpc wrapper element: a sequence of one unqualified element per typed part
    /// and a reference per element part, as a global element of the model and as a schema
    /// document of its own for validation.
    fn rpc_wrapper(&mut self, wrapper: QName, parts: &[MessagePart]) {
        let mut particles = Vec::new();
        let mut imports = BTreeSet::new();
        let mut body = String::new();
        let mut prefixes: BTreeMap<String, String> = BTreeMap::new();
        let prefix = |ns: &str, prefixes: &mut BTreeMap<String, String>| -> String {
            let n = prefixes.len();
            prefixes.entry(ns.to_owned()).or_insert_with(|| format!("p{n}")).clone()
        };
        for part in parts {
            match (&part.element, &part.ty) {
                (Some(e), _) => {
                    particles.push(Particle { term: Term::ElementRef(e.clone()), min: 1, max: Some(1) });
                    let p = prefix(&e.ns, &mut prefixes);
                    writeln!(body, "      <xs:element ref=\"{p}:{}\"/>", escape_attr(&e.local)).unwrap();
                    imports.insert(e.ns.clone());
                }
                (None, Some(t)) => {
                    let decl = ElementDecl {
                        name: QName::new("", &part.name),
                        ty: TypeRef::Named(t.clone()),
                        nillable: false,
                        abstract_: false,
                        fixed: None,
                        substitution_group: None,
                    };
                    particles.push(Particle { term: Term::Element(Arc::new(decl)), min: 1, max: Some(1) });
                    let p = prefix(&t.ns, &mut prefixes);
                    writeln!(
                        body,
                        "      <xs:element name=\"{}\" type=\"{p}:{}\"/>",
                        escape_attr(&part.name),
                        escape_attr(&t.local)
                    )
                    .unwrap();
                    if t.ns != XS_NS {
                        imports.insert(t.ns.clone());
                    }
                }
                (None, None) => {}
            }
        }
        let ty = Complex {
            name: None,
            abstract_: false,
            mixed: false,
            blocks_substitution: false,
            base: None,
            content: Content::Elements(Particle { term: Term::Sequence(particles), min: 1, max: Some(1) }),
            attributes: Vec::new(),
            any_attribute: None,
        };
        let decl = ElementDecl {
            name: wrapper.clone(),
            ty: TypeRef::Anonymous(Arc::new(TypeDef::Complex(ty))),
            nillable: false,
            abstract_: false,
            fixed: None,
            substitution_group: None,
        };
        self.set.elements.insert(wrapper.clone(), Arc::new(decl));

        let mut text = format!("<xs:schema xmlns:xs=\"{XS_NS}\" targetNamespace=\"{}\"", escape_attr(&wrapper.ns));
        for (ns, p) in &prefixes {
            write!(text, " xmlns:{p}=\"{}\"", escape_attr(ns)).unwrap();
        }
        text.push_str(">\n");
        for ns in imports.iter().filter(|ns| **ns != wrapper.ns) {
            let ns = escape_attr(ns);
            writeln!(text, "  <xs:import namespace=\"{ns}\" schemaLocation=\"@@IMPORT:{ns}@@\"/>").unwrap();
        }
        writeln!(text, "  <xs:element name=\"{}\">", escape_attr(&wrapper.local)).unwrap();
        text.push_str("    <xs:complexType><xs:sequence>\n");
        text.push_str(&body);
        text.push_str("    </xs:sequence></xs:complexType>\n  </xs:element>\n</xs:schema>\n");
        self.set.documents.push(SchemaDoc {
            file: self.main.clone().unwrap_or_default(),
            tns: wrapper.ns,
            text,
            inline: true,
            included: false,
        });
    }
}

/// The text of a schema element as a document of its own: for an inline one (`inline`), the
/// namespace declarations it inherits added; `schemaLocation`s replaced by placeholders.
fn relocate(
    text: &str,
    s: Node<'_, '_>,
    dir: &Path,
    inline: bool,
    locations: &BTreeMap<String, PathBuf>,
) -> Result<String, String> {
    let range = if inline { s.range() } else { text.len() - text.trim_start_matches('\u{feff}').len()..text.len() };
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    if inline {
        let start = s.range().start;
        let name_end =
            start + 1 + text[start + 1..].find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/').unwrap_or(0);
        let tag_end = start + text[start..].find('>').unwrap_or(0);
        let start_tag = &text[start..tag_end];
        let mut missing = String::new();
        for ns in s.namespaces() {
            let attr = match ns.name() {
                Some("xml") => continue,
                Some(p) => format!("xmlns:{p}"),
                None => "xmlns".to_owned(),
            };
            let declared = start_tag.match_indices(&attr).any(|(i, _)| {
                let before = start_tag[..i].chars().next_back().is_some_and(char::is_whitespace);
                let after = start_tag[i + attr.len()..].trim_start().starts_with('=');
                before && after
            });
            if !declared {
                write!(missing, " {attr}=\"{}\"", escape_attr(ns.uri())).unwrap();
            }
        }
        edits.push((name_end..name_end, missing));
    }
    let own_tns = s.attribute("targetNamespace").unwrap_or_default();
    for child in s.children().filter(|n| is_xs(n, "import") || is_xs(n, "include") || is_xs(n, "redefine")) {
        let location = child.attributes().find(|a| a.name() == "schemaLocation" && a.namespace().is_none());
        let existing = location.as_ref().map(|a| resolve_location(locations, dir, a.value())).filter(|p| p.exists());
        match (location, existing) {
            (Some(attr), Some(path)) => {
                let abs = std::fs::canonicalize(&path).map_err(|e| e.to_string())?;
                edits.push((attr.range_value(), format!("@@FILE:{}@@", escape_attr(&abs.to_string_lossy()))));
            }
            (location, _) if is_xs(&child, "import") => {
                let ns = child.attribute("namespace").unwrap_or_default();
                if ns == own_tns {
                    continue;
                }
                let placeholder = format!("@@IMPORT:{}@@", escape_attr(ns));
                match location {
                    Some(attr) => edits.push((attr.range_value(), placeholder)),
                    None => {
                        let at = child.range().start
                            + 1
                            + text[child.range().start + 1..]
                                .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
                                .unwrap_or(0);
                        edits.push((at..at, format!(" schemaLocation=\"{placeholder}\"")));
                    }
                }
            }
            _ => return Err(format!("{}: an include without a local file", position(dir, child))),
        }
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(range.len() + 1024);
    let mut from = range.start;
    for (r, insert) in &edits {
        out.push_str(&text[from..r.start]);
        out.push_str(insert);
        from = r.end;
    }
    out.push_str(&text[from..range.end]);
    out.push('\n');
    Ok(out)
}

/// The namespace of a placeholder type: "the substitution group head's type".
const HEAD_TYPE: &str = "##head";

fn element_decl(ctx: &Ctx<'_>, node: Node<'_, '_>, global: bool) -> Result<ElementDecl, String> {
    let local = node.attribute("name").ok_or_else(|| ctx.err(node, "element without name"))?.trim();
    let qualified = match node.attribute("form") {
        Some(form) => form == "qualified",
        None => global || ctx.element_qualified,
    };
    let ty = if let Some(t) = node.attribute("type") {
        TypeRef::Named(ctx.qname(node, t)?)
    } else if let Some(c) = node.children().find(|n| is_xs(n, "complexType")) {
        TypeRef::Anonymous(Arc::new(TypeDef::Complex(complex(ctx, c, None)?)))
    } else if let Some(s) = node.children().find(|n| is_xs(n, "simpleType")) {
        TypeRef::Anonymous(Arc::new(TypeDef::Simple(simple(ctx, s)?)))
    } else if let Some(head) = node.attribute("substitutionGroup") {
        // No type: the head's type (resolved when writing, through the head).
        TypeRef::Named(QName::new(HEAD_TYPE, ctx.qname(node, head)?.to_string()))
    } else {
        TypeRef::Named(QName::new(XS_NS, "anyType"))
    };
    Ok(ElementDecl {
        name: QName::new(if qualified { ctx.tns.as_str() } else { "" }, local),
        ty,
        nillable: node.attribute("nillable").is_some_and(|v| v.trim() == "true"),
        abstract_: node.attribute("abstract").is_some_and(|v| v.trim() == "true"),
        fixed: node.attribute("fixed").map(str::to_owned),
        substitution_group: node.attribute("substitutionGroup").map(|h| ctx.qname(node, h)).transpose()?,
    })
}

fn particle(ctx: &Ctx<'_>, node: Node<'_, '_>) -> Result<Option<Particle>, String> {
    let (min, max) = occurs(ctx, node)?;
    let term = match node.tag_name().name() {
        "element" => match node.attribute("ref") {
            Some(r) => Term::ElementRef(ctx.qname(node, r)?),
            None => Term::Element(Arc::new(element_decl(ctx, node, false)?)),
        },
        "sequence" | "choice" | "all" => model_group(ctx, node)?,
        "group" => {
            Term::GroupRef(ctx.qname(node, node.attribute("ref").ok_or_else(|| ctx.err(node, "group without ref"))?)?)
        }
        "any" => Term::Any(wildcard(ctx, node)),
        "annotation" => return Ok(None),
        other => return Err(ctx.err(node, format!("unexpected {other:?} in a model group"))),
    };
    Ok(Some(Particle { term, min, max }))
}

fn model_group(ctx: &Ctx<'_>, node: Node<'_, '_>) -> Result<Term, String> {
    let mut items = Vec::new();
    for child in node.children().filter(|n| n.is_element() && n.tag_name().namespace() == Some(XS_NS)) {
        if let Some(p) = particle(ctx, child)? {
            items.push(p);
        }
    }
    Ok(match node.tag_name().name() {
        "sequence" => Term::Sequence(items),
        "choice" => Term::Choice(items),
        _ => Term::All(items),
    })
}

fn wildcard(ctx: &Ctx<'_>, node: Node<'_, '_>) -> Wildcard {
    let namespaces = match node.attribute("namespace").map(str::trim).unwrap_or("##any") {
        "##any" => NsConstraint::Any,
        "##other" => NsConstraint::Other(ctx.tns.clone()),
        list => NsConstraint::List(
            list.split_whitespace()
                .map(|n| match n {
                    "##targetNamespace" => ctx.tns.clone(),
                    "##local" => String::new(),
                    n => n.to_owned(),
                })
                .collect(),
        ),
    };
    let process = match node.attribute("processContents").map(str::trim) {
        Some("lax") => Process::Lax,
        Some("skip") => Process::Skip,
        _ => Process::Strict,
    };
    Wildcard { namespaces, process }
}

fn attribute_decl(ctx: &Ctx<'_>, node: Node<'_, '_>, global: bool) -> Result<AttributeDecl, String> {
    let written = node.attribute("name").ok_or_else(|| ctx.err(node, "attribute without name"))?;
    let local = written.trim();
    let qualified = match node.attribute("form") {
        Some(form) => form == "qualified",
        None => global || ctx.attribute_qualified,
    };
    let ty = if let Some(t) = node.attribute("type") {
        Some(TypeRef::Named(ctx.qname(node, t)?))
    } else if let Some(s) = node.children().find(|n| is_xs(n, "simpleType")) {
        Some(TypeRef::Anonymous(Arc::new(TypeDef::Simple(simple(ctx, s)?))))
    } else {
        None
    };
    Ok(AttributeDecl {
        name: QName::new(if qualified { ctx.tns.as_str() } else { "" }, local),
        ty,
        fixed: node.attribute("fixed").map(str::to_owned),
        default: node.attribute("default").map(str::to_owned),
        name_has_spaces: local != written,
    })
}

/// The attribute uses and `anyAttribute` among the children of `node`.
fn attribute_uses(ctx: &Ctx<'_>, node: Node<'_, '_>) -> Result<(Vec<AttributeUse>, Option<Wildcard>), String> {
    let mut uses = Vec::new();
    let mut any = None;
    for child in node.children().filter(Node::is_element) {
        if is_xs(&child, "attribute") {
            let usage = child.attribute("use").map(str::trim).unwrap_or("optional");
            let decl = match child.attribute("ref") {
                Some(r) => AttributeRef::Global(ctx.qname(child, r)?),
                None => AttributeRef::Local(Arc::new(attribute_decl(ctx, child, false)?)),
            };
            uses.push(AttributeUse::Attribute {
                decl,
                required: usage == "required",
                prohibited: usage == "prohibited",
                fixed: child.attribute("fixed").map(str::to_owned),
                default: child.attribute("default").map(str::to_owned),
            });
        } else if is_xs(&child, "attributeGroup") {
            let r = child.attribute("ref").ok_or_else(|| ctx.err(child, "attributeGroup without ref"))?;
            uses.push(AttributeUse::Group(ctx.qname(child, r)?));
        } else if is_xs(&child, "anyAttribute") {
            any = Some(wildcard(ctx, child));
        }
    }
    Ok((uses, any))
}

fn complex(ctx: &Ctx<'_>, node: Node<'_, '_>, name: Option<QName>) -> Result<Complex, String> {
    let block = node.attribute("block").unwrap_or(&ctx.block_default);
    let mut c = Complex {
        name,
        abstract_: node.attribute("abstract").is_some_and(|v| v.trim() == "true"),
        mixed: node.attribute("mixed").is_some_and(|v| v.trim() == "true"),
        blocks_substitution: block.contains("#all") || block.contains("extension"),
        base: None,
        content: Content::Empty,
        attributes: Vec::new(),
        any_attribute: None,
    };
    let mut holder = node;
    for child in node.children().filter(Node::is_element) {
        if is_xs(&child, "complexContent") || is_xs(&child, "simpleContent") {
            if child.attribute("mixed").is_some_and(|v| v.trim() == "true") {
                c.mixed = true;
            }
            let d = child
                .children()
                .find(|n| is_xs(n, "extension") || is_xs(n, "restriction"))
                .ok_or_else(|| ctx.err(child, "content without extension or restriction"))?;
            let derivation =
                if d.tag_name().name() == "extension" { Derivation::Extension } else { Derivation::Restriction };
            let base = ctx.qname(d, d.attribute("base").ok_or_else(|| ctx.err(d, "derivation without base"))?)?;
            if is_xs(&child, "simpleContent") {
                let facets = (derivation == Derivation::Restriction).then(|| Box::new(facets(d)));
                let value_type = d.children().find(|n| is_xs(n, "simpleType")).map(|s| simple(ctx, s)).transpose()?;
                c.content = Content::Simple {
                    facets,
                    value_type: value_type.map(|s| TypeRef::Anonymous(Arc::new(TypeDef::Simple(s)))),
                };
            }
            let is_any_type = base.ns == XS_NS && base.local == "anyType";
            if !(is_any_type && derivation == Derivation::Restriction) {
                c.base = Some((base, derivation));
            }
            holder = d;
            break;
        }
    }
    if !matches!(c.content, Content::Simple { .. }) {
        for child in holder.children().filter(Node::is_element) {
            if (is_xs(&child, "sequence") || is_xs(&child, "choice") || is_xs(&child, "all") || is_xs(&child, "group"))
                && let Some(p) = particle(ctx, child)?
            {
                c.content = Content::Elements(p);
            }
        }
    }
    let (uses, any) = attribute_uses(ctx, holder)?;
    c.attributes = uses;
    c.any_attribute = any;
    Ok(c)
}

fn facets(node: Node<'_, '_>) -> Facets {
    let mut f = Facets::default();
    for child in node.children().filter(|n| n.is_element() && n.tag_name().namespace() == Some(XS_NS)) {
        let value = child.attribute("value").unwrap_or_default().to_owned();
        let number = || value.trim().parse::<usize>().ok();
        match child.tag_name().name() {
            "enumeration" => f.enumeration.push(value),
            "pattern" => f.patterns.push(value),
            "length" => f.length = number(),
            "minLength" => f.min_length = number(),
            "maxLength" => f.max_length = number(),
            "minInclusive" => f.min_inclusive = Some(value.trim().to_owned()),
            "maxInclusive" => f.max_inclusive = Some(value.trim().to_owned()),
            "minExclusive" => f.min_exclusive = Some(value.trim().to_owned()),
            "maxExclusive" => f.max_exclusive = Some(value.trim().to_owned()),
            "totalDigits" => f.total_digits = value.trim().parse().ok(),
            "fractionDigits" => f.fraction_digits = value.trim().parse().ok(),
            "whiteSpace" => f.whitespace = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    f
}

fn simple(ctx: &Ctx<'_>, node: Node<'_, '_>) -> Result<SimpleType, String> {
    for child in node.children().filter(Node::is_element) {
        let inner = || -> Result<TypeRef, String> {
            let s = child.children().find(|n| is_xs(n, "simpleType")).ok_or_else(|| ctx.err(child, "no base type"))?;
            Ok(TypeRef::Anonymous(Arc::new(TypeDef::Simple(simple(ctx, s)?))))
        };
        if is_xs(&child, "restriction") {
            let base = match child.attribute("base") {
                Some(b) => TypeRef::Named(ctx.qname(child, b)?),
                None => inner()?,
            };
            return Ok(SimpleType::Restriction { base, facets: Box::new(facets(child)) });
        } else if is_xs(&child, "list") {
            let item = match child.attribute("itemType") {
                Some(t) => TypeRef::Named(ctx.qname(child, t)?),
                None => inner()?,
            };
            return Ok(SimpleType::List { item });
        } else if is_xs(&child, "union") {
            let mut members = Vec::new();
            for m in child.attribute("memberTypes").unwrap_or_default().split_whitespace() {
                members.push(TypeRef::Named(ctx.qname(child, m)?));
            }
            for s in child.children().filter(|n| is_xs(n, "simpleType")) {
                members.push(TypeRef::Anonymous(Arc::new(TypeDef::Simple(simple(ctx, s)?))));
            }
            return Ok(SimpleType::Union { members });
        }
    }
    Err(ctx.err(node, "simpleType without restriction, list or union"))
}
