//! A schema-aware mutator for WSDL documents: it parses a real WSDL into a tree, changes the
//! tree the way a hostile (or careless) author would, and writes it back out, so that nearly
//! every mutant is well-formed XML and a different but plausible WSDL:
//!
//! - compositors: `sequence` / `choice` / `all` swapped, emptied, nested into new compositors
//!   or into themselves; particles duplicated, reordered, deleted; new particles inserted
//!   (`xs:any`, empty compositors, references to groups and elements);
//! - occurrences and flags: `minOccurs` / `maxOccurs`, `nillable`, `abstract`, `mixed`;
//! - references: `type=` / `ref=` / `element=` swapped, pointed at another definition (of any
//!   kind) or at an undefined one, definitions deleted;
//! - cycles: a type containing itself, types deriving from each other, groups and attribute
//!   groups referring to themselves, substitution groups heading each other, an element whose
//!   type refers back to it;
//! - bindings: `style`, `use`, SOAP 1.1 / 1.2, `soapAction`, SOAP extension elements removed;
//! - the generic tree edits of `xml_mutate` (delete, duplicate, copy an element elsewhere,
//!   give an attribute another attribute's value).
//!
//! The same code drives the workspace's fixed-seed property test (`tests/tests/wsdl_mutants.rs`)
//! and its long run (`fuzz/run.sh mutants`). It needs `roxmltree` (to read) and nothing else.

use crate::xml_mutate::Rng;

const XSD: &str = "http://www.w3.org/2001/XMLSchema";
const WSDL: &str = "http://schemas.xmlsoap.org/wsdl/";
const SOAP11: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
const SOAP12: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";

/// Deepest tree the mutator reads (the generator refuses more than 256 levels anyway).
const MAX_TREE_DEPTH: usize = 300;

/// A node of the tree: an element or text.
#[derive(Debug, Clone)]
pub enum Node {
    /// An element.
    Element(Element),
    /// Character data (already unescaped).
    Text(String),
}

/// An element, with its name as written and its namespace as resolved when it was read.
#[derive(Debug, Clone)]
pub struct Element {
    /// The qualified name as written (`xs:sequence`).
    pub name: String,
    /// The namespace URI the name had where it was read (used to recognise constructs).
    pub ns: String,
    /// The local name.
    pub local: String,
    /// Namespace declarations made on this element (`xmlns`, `xmlns:p`) and their URIs.
    pub decls: Vec<(String, String)>,
    /// Other attributes: qualified name as written, value.
    pub attrs: Vec<(String, String)>,
    /// Children.
    pub children: Vec<Node>,
}

impl Element {
    fn new(name: String, ns: &str, local: &str) -> Self {
        Element {
            name,
            ns: ns.to_owned(),
            local: local.to_owned(),
            decls: Vec::new(),
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    /// The value of the unqualified attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Sets (or adds) the unqualified attribute `name`.
    pub fn set_attr(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.attrs.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.attrs.push((name.to_owned(), value)),
        }
    }

    /// Removes the unqualified attribute `name`.
    pub fn remove_attr(&mut self, name: &str) {
        self.attrs.retain(|(n, _)| n != name);
    }

    /// The prefix of the element's own name (`xs` for `xs:sequence`, empty for none).
    fn prefix(&self) -> &str {
        self.name.split_once(':').map_or("", |(p, _)| p)
    }

    /// A name in the same vocabulary: `local` with this element's prefix.
    fn sibling_name(&self, local: &str) -> String {
        match self.prefix() {
            "" => local.to_owned(),
            p => format!("{p}:{local}"),
        }
    }

    fn is(&self, ns: &str, local: &str) -> bool {
        self.ns == ns && self.local == local
    }

    fn element_children(&self) -> impl Iterator<Item = (usize, &Element)> {
        self.children.iter().enumerate().filter_map(|(i, n)| match n {
            Node::Element(e) => Some((i, e)),
            Node::Text(_) => None,
        })
    }
}

/// A whole document: the root element.
#[derive(Debug, Clone)]
pub struct Document {
    /// The root element.
    pub root: Element,
}

/// Reads `text` into a tree; `None` when it is not well-formed XML or too deep.
pub fn parse(text: &str) -> Option<Document> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(text, options).ok()?;
    let root = convert(text, doc.root_element(), 0)?;
    Some(Document { root })
}

fn convert(text: &str, node: roxmltree::Node<'_, '_>, depth: usize) -> Option<Element> {
    if depth > MAX_TREE_DEPTH {
        return None;
    }
    let tag = node.tag_name();
    let ns = tag.namespace().unwrap_or("");
    let local = tag.name();
    // The name as written: the start tag's text up to the first space, `/` or `>`. (An element
    // that came from an entity has no text of its own there; it is named from its namespace.)
    let written = text
        .get(node.range().start + 1..)
        .and_then(|t| t.split(|c: char| c.is_whitespace() || c == '/' || c == '>').next())
        .filter(|n| n.rsplit(':').next() == Some(local))
        .map(str::to_owned)
        .unwrap_or_else(|| match node.lookup_prefix(ns) {
            Some(p) if !p.is_empty() => format!("{p}:{local}"),
            _ => local.to_owned(),
        });
    let mut e = Element::new(written, ns, local);
    // Declarations in scope here that the parent does not have are this element's own.
    let parent_ns: Vec<(Option<&str>, &str)> =
        node.parent_element().map(|p| p.namespaces().map(|n| (n.name(), n.uri())).collect()).unwrap_or_default();
    for n in node.namespaces() {
        if n.name() == Some("xml") || parent_ns.contains(&(n.name(), n.uri())) {
            continue;
        }
        let name = match n.name() {
            Some(p) => format!("xmlns:{p}"),
            None => "xmlns".to_owned(),
        };
        e.decls.push((name, n.uri().to_owned()));
    }
    for a in node.attributes() {
        let written = text.get(a.range_qname()).filter(|q| q.rsplit(':').next() == Some(a.name()));
        let name = match written {
            Some(q) => q.to_owned(),
            None if a.namespace() == Some("http://www.w3.org/XML/1998/namespace") => format!("xml:{}", a.name()),
            None => a.name().to_owned(),
        };
        e.attrs.push((name, a.value().to_owned()));
    }
    for child in node.children() {
        if child.is_element() {
            e.children.push(Node::Element(convert(text, child, depth + 1)?));
        } else if child.is_text() {
            e.children.push(Node::Text(child.text().unwrap_or("").to_owned()));
        }
    }
    Some(e)
}

/// Writes the tree back out as XML text.
pub fn serialize(doc: &Document) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    write_element(&doc.root, &mut out);
    out.push('\n');
    out
}

fn write_element(e: &Element, out: &mut String) {
    out.push('<');
    out.push_str(&e.name);
    for (name, value) in e.decls.iter().chain(&e.attrs) {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape(value, true, out);
        out.push('"');
    }
    if e.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for child in &e.children {
        match child {
            Node::Element(c) => write_element(c, out),
            Node::Text(t) => escape(t, false, out),
        }
    }
    out.push_str("</");
    out.push_str(&e.name);
    out.push('>');
}

fn escape(text: &str, attribute: bool, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

// ---- paths into the tree ------------------------------------------------------------------------

/// A path from the root: the index of each element in its parent's `children`.
type Path = Vec<usize>;

fn get<'a>(root: &'a Element, path: &[usize]) -> Option<&'a Element> {
    let mut e = root;
    for &i in path {
        e = match e.children.get(i)? {
            Node::Element(c) => c,
            Node::Text(_) => return None,
        };
    }
    Some(e)
}

fn get_mut<'a>(root: &'a mut Element, path: &[usize]) -> Option<&'a mut Element> {
    let mut e = root;
    for &i in path {
        e = match e.children.get_mut(i)? {
            Node::Element(c) => c,
            Node::Text(_) => return None,
        };
    }
    Some(e)
}

/// Every element of the tree with its path, in document order (the root first).
fn all_paths(root: &Element) -> Vec<Path> {
    let mut out = vec![Vec::new()];
    let mut stack: Vec<(Path, &Element)> = vec![(Vec::new(), root)];
    while let Some((path, e)) = stack.pop() {
        let mut children: Vec<(Path, &Element)> = e
            .element_children()
            .map(|(i, c)| {
                let mut p = path.clone();
                p.push(i);
                (p, c)
            })
            .collect();
        out.extend(children.iter().map(|(p, _)| p.clone()));
        children.reverse();
        stack.extend(children);
    }
    out
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> Option<&'a T> {
    if items.is_empty() { None } else { items.get(rng.below(items.len())) }
}

/// A definition a reference may name.
#[derive(Debug, Clone)]
struct Definition {
    /// `type` (complex or simple), `element`, `group`, `attributeGroup`, `attribute`, `message`,
    /// `portType`, `binding`.
    kind: &'static str,
    ns: String,
    local: String,
    path: Path,
}

/// What the mutations work on: the tree, the paths of the constructs they change, and the
/// definitions references may name.
struct Mutant {
    root: Element,
    paths: Vec<Path>,
    defs: Vec<Definition>,
    /// Prefixes this mutator declared on the root element, by namespace.
    declared: Vec<(String, String)>,
}

const COMPOSITORS: &[&str] = &["sequence", "choice", "all"];
const PARTICLES: &[&str] = &["element", "sequence", "choice", "all", "group", "any"];

impl Mutant {
    fn new(root: Element) -> Self {
        let paths = all_paths(&root);
        // A mutant of a mutant: the prefixes an earlier round declared are reused.
        let declared = root
            .decls
            .iter()
            .filter_map(|(name, ns)| {
                name.strip_prefix("xmlns:").filter(|p| p.starts_with("fz")).map(|p| (ns.clone(), p.to_owned()))
            })
            .collect();
        let mut m = Mutant { root, paths, defs: Vec::new(), declared };
        m.collect_definitions();
        m
    }

    fn collect_definitions(&mut self) {
        let wsdl_tns = self.root.attr("targetNamespace").unwrap_or("").to_owned();
        let mut defs = Vec::new();
        for path in &self.paths {
            let Some(e) = get(&self.root, path) else { continue };
            let Some(name) = e.attr("name") else { continue };
            let Some(parent) = path.split_last().and_then(|(_, p)| get(&self.root, p)) else { continue };
            let kind = if parent.is(XSD, "schema") || parent.is(XSD, "redefine") {
                match e.local.as_str() {
                    "complexType" | "simpleType" => "type",
                    "element" => "element",
                    "group" => "group",
                    "attributeGroup" => "attributeGroup",
                    "attribute" => "attribute",
                    _ => continue,
                }
            } else if parent.is(WSDL, "definitions") && e.ns == WSDL {
                match e.local.as_str() {
                    "message" => "message",
                    "portType" => "portType",
                    "binding" => "binding",
                    _ => continue,
                }
            } else {
                continue;
            };
            let ns = if kind == "message" || kind == "portType" || kind == "binding" {
                wsdl_tns.clone()
            } else {
                parent.attr("targetNamespace").unwrap_or("").to_owned()
            };
            defs.push(Definition { kind, ns, local: name.to_owned(), path: path.clone() });
        }
        self.defs = defs;
    }

    fn paths_where(&self, f: impl Fn(&Element) -> bool) -> Vec<Path> {
        self.paths.iter().filter(|p| get(&self.root, p).is_some_and(&f)).cloned().collect()
    }

    fn xsd(&self, locals: &[&str]) -> Vec<Path> {
        self.paths_where(|e| e.ns == XSD && locals.contains(&e.local.as_str()))
    }

    /// A prefix bound to `ns` everywhere in the document (declared on the root when needed).
    fn prefix_for(&mut self, ns: &str) -> String {
        if let Some((_, p)) = self.declared.iter().find(|(n, _)| n == ns) {
            return p.clone();
        }
        let mut n = self.declared.len();
        while self.root.decls.iter().any(|(name, _)| *name == format!("xmlns:fz{n}")) {
            n += 1;
        }
        let p = format!("fz{n}");
        self.root.decls.push((format!("xmlns:{p}"), ns.to_owned()));
        self.declared.push((ns.to_owned(), p.clone()));
        p
    }

    /// The QName value naming `def`.
    fn qname(&mut self, ns: &str, local: &str) -> String {
        if ns.is_empty() {
            return local.to_owned();
        }
        let p = self.prefix_for(ns);
        format!("{p}:{local}")
    }

    fn def_of(&self, rng: &mut Rng, kind: &str) -> Option<Definition> {
        let of_kind: Vec<&Definition> = self.defs.iter().filter(|d| d.kind == kind).collect();
        pick(rng, &of_kind).map(|d| (*d).clone())
    }

    /// A reference value: usually to a definition of `kind`, sometimes of another kind, to
    /// nothing, or with a prefix no one declared.
    fn reference(&mut self, rng: &mut Rng, kind: &str) -> String {
        let def = match rng.below(10) {
            0..=5 => self.def_of(rng, kind),
            6 | 7 => pick(rng, &self.defs).cloned(),
            _ => None,
        };
        match def {
            Some(d) => self.qname(&d.ns, &d.local),
            None => match rng.below(5) {
                0 => "undeclaredprefix:Nothing".to_owned(),
                1 => self.qname(XSD, ["anyType", "string", "noSuchBuiltin", "schema", "int"][rng.below(5)]),
                2 => "NoPrefixNoDefinition".to_owned(),
                _ => {
                    let ns = pick(rng, &self.defs).map(|d| d.ns.clone()).unwrap_or_default();
                    self.qname(&ns, "UndefinedByTheMutator")
                }
            },
        }
    }

    fn xsd_element(&mut self, local: &str) -> Element {
        let p = self.prefix_for(XSD);
        Element::new(format!("{p}:{local}"), XSD, local)
    }

    /// The first compositor of a complex type (or of its extension / restriction), made when
    /// there is none.
    fn compositor_of(&mut self, ct: &[usize]) -> Option<Path> {
        let e = get(&self.root, ct)?;
        let mut derivation = None;
        for (i, c) in e.element_children() {
            if c.ns == XSD && COMPOSITORS.contains(&c.local.as_str()) {
                let mut p = ct.to_vec();
                p.push(i);
                return Some(p);
            }
            if c.ns == XSD && c.local == "complexContent" {
                for (j, d) in c.element_children() {
                    if d.ns == XSD && (d.local == "extension" || d.local == "restriction") {
                        let mut p = ct.to_vec();
                        p.extend([i, j]);
                        derivation = Some(p);
                    }
                }
            }
        }
        if let Some(p) = derivation {
            return self.compositor_of(&p);
        }
        if e.element_children().any(|(_, c)| c.local == "simpleContent") {
            return None;
        }
        let seq = self.xsd_element("sequence");
        let e = get_mut(&mut self.root, ct)?;
        // Before the attributes (a compositor comes first in a complex type).
        let at = e
            .children
            .iter()
            .position(
                |n| matches!(n, Node::Element(c) if c.local.starts_with("attribute") || c.local == "anyAttribute"),
            )
            .unwrap_or(e.children.len());
        e.children.insert(at, Node::Element(seq));
        let mut p = ct.to_vec();
        p.push(at);
        Some(p)
    }

    fn occurs_value(rng: &mut Rng, max: bool) -> Option<&'static str> {
        // Mostly the values schemas use; now and then one the reader must refuse.
        if rng.below(12) == 0 {
            return Some(["-1", "x", "", "unbounded", "99999999999999999999999"][rng.below(if max { 3 } else { 5 })]);
        }
        match rng.below(if max { 6 } else { 4 }) {
            0 => None,
            1 => Some("0"),
            2 => Some("1"),
            3 => Some("2"),
            4 => Some("5"),
            _ => Some("unbounded"),
        }
    }

    fn set_occurs(e: &mut Element, rng: &mut Rng) {
        for (attr, max) in [("minOccurs", false), ("maxOccurs", true)] {
            if rng.below(2) == 0 {
                match Self::occurs_value(rng, max) {
                    Some(v) => e.set_attr(attr, v),
                    None => e.remove_attr(attr),
                }
            }
        }
    }

    /// One mutation; `false` when it found nothing to apply to.
    fn mutate(&mut self, rng: &mut Rng) -> bool {
        match rng.below(24) {
            0 | 1 => self.swap_compositor(rng),
            2 => self.empty_content(rng),
            3 => self.duplicate_particle(rng),
            4 => self.reorder_particles(rng),
            5 => self.nest_particle(rng),
            6 => self.nest_into_itself(rng),
            7 | 8 => self.change_occurs(rng),
            9 => self.toggle_flag(rng),
            10 => self.swap_reference_kind(rng),
            11 | 12 => self.repoint_reference(rng),
            13 => self.delete_definition(rng),
            14 => self.type_cycle(rng),
            15 => self.derivation_cycle(rng),
            16 => self.group_cycle(rng),
            17 => self.attribute_group_cycle(rng),
            18 => self.substitution_cycle(rng),
            19 => self.insert_particle(rng),
            20 | 21 => self.mutate_binding(rng),
            _ => self.generic(rng),
        }
    }

    fn swap_compositor(&mut self, rng: &mut Rng) -> bool {
        let Some(path) = pick(rng, &self.xsd(COMPOSITORS)).cloned() else { return false };
        let Some(e) = get_mut(&mut self.root, &path) else { return false };
        let others: Vec<&str> = COMPOSITORS.iter().copied().filter(|c| *c != e.local).collect();
        let to = others[rng.below(others.len())];
        e.name = e.sibling_name(to);
        e.local = to.to_owned();
        true
    }

    /// Empties a compositor, a group definition or a complex type: nothing left inside.
    fn empty_content(&mut self, rng: &mut Rng) -> bool {
        let targets = self.xsd(&["sequence", "choice", "all", "group", "complexType", "extension", "attributeGroup"]);
        let Some(path) = pick(rng, &targets).cloned() else { return false };
        let Some(e) = get_mut(&mut self.root, &path) else { return false };
        if e.local == "group" && e.attr("ref").is_some() {
            return false;
        }
        // A group keeps its compositor, emptied (`<xs:group name="G"><xs:sequence/></xs:group>`),
        // or loses it.
        if e.local == "group" && rng.below(2) == 0 {
            for c in e.children.iter_mut() {
                if let Node::Element(c) = c {
                    c.children.clear();
                }
            }
        } else {
            e.children.retain(|n| matches!(n, Node::Element(c) if c.local == "annotation"));
        }
        true
    }

    fn particle_paths(&self) -> Vec<Path> {
        self.paths
            .iter()
            .filter(|p| {
                let (Some(e), Some(parent)) =
                    (get(&self.root, p), p.split_last().and_then(|(_, q)| get(&self.root, q)))
                else {
                    return false;
                };
                e.ns == XSD
                    && PARTICLES.contains(&e.local.as_str())
                    && parent.ns == XSD
                    && COMPOSITORS.contains(&parent.local.as_str())
            })
            .cloned()
            .collect()
    }

    fn duplicate_particle(&mut self, rng: &mut Rng) -> bool {
        let Some(path) = pick(rng, &self.particle_paths()).cloned() else { return false };
        let Some((&i, parent)) = path.split_last() else { return false };
        let Some(parent) = get_mut(&mut self.root, parent) else { return false };
        let copy = parent.children[i].clone();
        let times = 1 + rng.below(3);
        for _ in 0..times {
            parent.children.insert(i + 1, copy.clone());
        }
        true
    }

    fn reorder_particles(&mut self, rng: &mut Rng) -> bool {
        let Some(path) = pick(rng, &self.xsd(COMPOSITORS)).cloned() else { return false };
        let Some(e) = get_mut(&mut self.root, &path) else { return false };
        let n = e.children.len();
        if n < 2 {
            return false;
        }
        if rng.below(2) == 0 {
            e.children.reverse();
        } else {
            for i in (1..n).rev() {
                let j = rng.below(i + 1);
                e.children.swap(i, j);
            }
        }
        true
    }

    /// Wraps a particle in a new compositor, optional or repeated or not.
    fn nest_particle(&mut self, rng: &mut Rng) -> bool {
        let Some(path) = pick(rng, &self.particle_paths()).cloned() else { return false };
        let Some((&i, parent)) = path.split_last() else { return false };
        let kind = COMPOSITORS[rng.below(3)];
        let mut wrapper = self.xsd_element(kind);
        Self::set_occurs(&mut wrapper, rng);
        let Some(parent) = get_mut(&mut self.root, parent) else { return false };
        let inner = std::mem::replace(&mut parent.children[i], Node::Text(String::new()));
        wrapper.children.push(inner);
        parent.children[i] = Node::Element(wrapper);
        true
    }

    /// Puts a copy of a compositor (or a complex type's content) inside itself.
    fn nest_into_itself(&mut self, rng: &mut Rng) -> bool {
        let Some(path) = pick(rng, &self.xsd(COMPOSITORS)).cloned() else { return false };
        let Some(e) = get_mut(&mut self.root, &path) else { return false };
        let mut copy = e.clone();
        Self::set_occurs(&mut copy, rng);
        let at = rng.below(e.children.len() + 1);
        e.children.insert(at, Node::Element(copy));
        true
    }

    fn change_occurs(&mut self, rng: &mut Rng) -> bool {
        let Some(path) = pick(rng, &self.particle_paths()).cloned() else { return false };
        let Some(e) = get_mut(&mut self.root, &path) else { return false };
        Self::set_occurs(e, rng);
        true
    }

    fn toggle_flag(&mut self, rng: &mut Rng) -> bool {
        let (locals, flag): (&[&str], &str) = match rng.below(4) {
            0 => (&["element"], "nillable"),
            1 => (&["element", "complexType"], "abstract"),
            2 => (&["complexType", "complexContent"], "mixed"),
            _ => (&["attribute"], "use"),
        };
        let Some(path) = pick(rng, &self.xsd(locals)).cloned() else { return false };
        let Some(e) = get_mut(&mut self.root, &path) else { return false };
        let odd = rng.below(8) == 0;
        let value = match flag {
            "use" => ["required", "optional", "prohibited"][rng.below(3)],
            _ => ["true", "false", "1", "maybe"][rng.below(if odd { 4 } else { 2 })],
        };
        if e.attr(flag).is_some() && rng.below(2) == 0 {
            e.remove_attr(flag);
        } else {
            e.set_attr(flag, value);
        }
        true
    }

    /// `type=` and `ref=` (elements, attributes), `element=` and `type=` (message parts).
    fn swap_reference_kind(&mut self, rng: &mut Rng) -> bool {
        let targets = self.paths_where(|e| {
            (e.ns == XSD
                && (e.local == "element" || e.local == "attribute")
                && (e.attr("type").is_some() || e.attr("ref").is_some()))
                || (e.is(WSDL, "part"))
        });
        let Some(path) = pick(rng, &targets).cloned() else { return false };
        let Some(e) = get_mut(&mut self.root, &path) else { return false };
        let pairs: &[(&str, &str)] = if e.ns == WSDL {
            &[("element", "type"), ("type", "element")]
        } else {
            &[("type", "ref"), ("ref", "type")]
        };
        for (from, to) in pairs {
            if let Some(v) = e.attr(from).map(str::to_owned) {
                e.remove_attr(from);
                // Keep both now and then (`type` and `ref` together, `element` and `type`).
                if rng.below(4) == 0 {
                    e.set_attr(from, v.clone());
                }
                e.set_attr(to, v);
                if *to == "ref" {
                    e.remove_attr("name");
                } else if e.attr("name").is_none() {
                    e.set_attr("name", "fromRef");
                }
                return true;
            }
        }
        false
    }

    /// Points a reference at another definition, of its kind or not, or at nothing.
    fn repoint_reference(&mut self, rng: &mut Rng) -> bool {
        const REFS: &[(&str, &str)] = &[
            ("type", "type"),
            ("ref", "element"),
            ("base", "type"),
            ("itemType", "type"),
            ("substitutionGroup", "element"),
            ("element", "element"),
            ("message", "message"),
            ("binding", "binding"),
        ];
        let targets = self.paths_where(|e| REFS.iter().any(|(a, _)| e.attr(a).is_some()));
        let Some(path) = pick(rng, &targets).cloned() else { return false };
        let Some(e) = get(&self.root, &path) else { return false };
        let present: Vec<(&str, &str)> = REFS.iter().copied().filter(|(a, _)| e.attr(a).is_some()).collect();
        let Some(&(attr, mut kind)) = pick(rng, &present) else { return false };
        // `ref` of a group or an attribute group names one of those; a binding's `type` a port type.
        kind = match (e.local.as_str(), attr) {
            ("group", "ref") => "group",
            ("attributeGroup", "ref") => "attributeGroup",
            ("attribute", "ref") => "attribute",
            ("binding", "type") if e.ns == WSDL => "portType",
            _ => kind,
        };
        let value = self.reference(rng, kind);
        let Some(e) = get_mut(&mut self.root, &path) else { return false };
        e.set_attr(attr, value);
        true
    }

    fn delete_definition(&mut self, rng: &mut Rng) -> bool {
        let Some(def) = pick(rng, &self.defs).cloned() else { return false };
        let Some((&i, parent)) = def.path.split_last() else { return false };
        let Some(parent) = get_mut(&mut self.root, parent) else { return false };
        parent.children.remove(i);
        true
    }

    /// A complex type with an element of its own type (required, optional or repeated), or an
    /// element whose anonymous type refers back to the element.
    fn type_cycle(&mut self, rng: &mut Rng) -> bool {
        let named: Vec<Definition> =
            self.defs.iter().filter(|d| d.kind == "type" || d.kind == "element").cloned().collect();
        let Some(def) = pick(rng, &named).cloned() else { return false };
        let Some(target) = get(&self.root, &def.path) else { return false };
        let ct = if def.kind == "element" {
            let Some((i, _)) = target.element_children().find(|(_, c)| c.is(XSD, "complexType")) else { return false };
            let mut p = def.path.clone();
            p.push(i);
            p
        } else if target.local == "complexType" {
            def.path.clone()
        } else {
            return false;
        };
        let Some(compositor) = self.compositor_of(&ct) else { return false };
        let reference = self.qname(&def.ns, &def.local);
        let mut el = self.xsd_element("element");
        if def.kind == "element" {
            el.set_attr("ref", reference);
        } else {
            el.set_attr("name", "fzSelf");
            el.set_attr("type", reference);
        }
        Self::set_occurs(&mut el, rng);
        let Some(c) = get_mut(&mut self.root, &compositor) else { return false };
        let at = rng.below(c.children.len() + 1);
        c.children.insert(at, Node::Element(el));
        true
    }

    /// Named complex types deriving from each other (or one from itself).
    fn derivation_cycle(&mut self, rng: &mut Rng) -> bool {
        let types: Vec<Definition> = self
            .defs
            .iter()
            .filter(|d| d.kind == "type" && get(&self.root, &d.path).is_some_and(|e| e.local == "complexType"))
            .cloned()
            .collect();
        let Some(a) = pick(rng, &types).cloned() else { return false };
        let b = if rng.below(3) == 0 { a.clone() } else { pick(rng, &types).cloned().unwrap_or_else(|| a.clone()) };
        let how = if rng.below(3) == 0 { "restriction" } else { "extension" };
        for (from, to) in [(&a, &b), (&b, &a)] {
            let base = self.qname(&to.ns, &to.local);
            let mut derivation = self.xsd_element(how);
            derivation.set_attr("base", base);
            let mut content = self.xsd_element("complexContent");
            let Some(e) = get_mut(&mut self.root, &from.path) else { return false };
            // The old content model, if any, goes inside the derivation.
            let (inner, outer): (Vec<Node>, Vec<Node>) = std::mem::take(&mut e.children)
                .into_iter()
                .partition(|n| matches!(n, Node::Element(c) if c.local != "annotation"));
            e.children = outer;
            for n in inner {
                match n {
                    Node::Element(c) if c.local == "complexContent" || c.local == "simpleContent" => {
                        derivation.children.extend(
                            c.children
                                .into_iter()
                                .filter_map(|d| match d {
                                    Node::Element(d) => Some(d.children),
                                    Node::Text(_) => None,
                                })
                                .flatten(),
                        );
                    }
                    n => derivation.children.push(n),
                }
            }
            content.children.push(Node::Element(derivation));
            e.children.push(Node::Element(content));
        }
        true
    }

    /// A group (or two) referring to itself through its particles.
    fn group_cycle(&mut self, rng: &mut Rng) -> bool {
        let groups: Vec<Definition> = self.defs.iter().filter(|d| d.kind == "group").cloned().collect();
        let (a, b) = match (pick(rng, &groups).cloned(), pick(rng, &groups).cloned()) {
            (Some(a), Some(b)) => (a, b),
            _ => return self.new_group(rng),
        };
        for (from, to) in [(&a, &b), (&b, &a)] {
            let reference = self.qname(&to.ns, &to.local);
            let mut r = self.xsd_element("group");
            r.set_attr("ref", reference);
            Self::set_occurs(&mut r, rng);
            let Some(g) = get_mut(&mut self.root, &from.path) else { return false };
            match g.children.iter_mut().find_map(|n| match n {
                Node::Element(c) if COMPOSITORS.contains(&c.local.as_str()) => Some(c),
                _ => None,
            }) {
                Some(c) => c.children.push(Node::Element(r)),
                None => return false,
            }
        }
        true
    }

    /// A new group definition, used by a complex type (and, half the time, by itself).
    fn new_group(&mut self, rng: &mut Rng) -> bool {
        let Some(schema) = pick(rng, &self.xsd(&["schema"])).cloned() else { return false };
        let tns = get(&self.root, &schema).and_then(|s| s.attr("targetNamespace")).unwrap_or("").to_owned();
        let reference = self.qname(&tns, "FzGroup");
        let mut group = self.xsd_element("group");
        group.set_attr("name", "FzGroup");
        let mut seq = self.xsd_element(COMPOSITORS[rng.below(3)]);
        let mut el = self.xsd_element("element");
        el.set_attr("name", "fzItem");
        el.set_attr("type", self.qname(XSD, "string"));
        seq.children.push(Node::Element(el));
        if rng.below(2) == 0 {
            let mut r = self.xsd_element("group");
            r.set_attr("ref", reference.clone());
            Self::set_occurs(&mut r, rng);
            seq.children.push(Node::Element(r));
        }
        group.children.push(Node::Element(seq));
        let Some(s) = get_mut(&mut self.root, &schema) else { return false };
        s.children.push(Node::Element(group));
        // Used from some compositor.
        let Some(c) = pick(rng, &self.xsd(COMPOSITORS)).cloned() else { return true };
        let mut r = self.xsd_element("group");
        r.set_attr("ref", reference);
        Self::set_occurs(&mut r, rng);
        if let Some(c) = get_mut(&mut self.root, &c) {
            c.children.push(Node::Element(r));
        }
        true
    }

    fn attribute_group_cycle(&mut self, rng: &mut Rng) -> bool {
        let groups: Vec<Definition> = self.defs.iter().filter(|d| d.kind == "attributeGroup").cloned().collect();
        let targets = self.xsd(&["complexType", "attributeGroup", "extension"]);
        let (a, b) = match (pick(rng, &groups).cloned(), pick(rng, &groups).cloned()) {
            (Some(a), Some(b)) => (a, b),
            _ => {
                // A new attribute group that refers to itself, used by some complex type.
                let Some(schema) = pick(rng, &self.xsd(&["schema"])).cloned() else { return false };
                let tns = get(&self.root, &schema).and_then(|s| s.attr("targetNamespace")).unwrap_or("").to_owned();
                let reference = self.qname(&tns, "FzAttributes");
                let mut g = self.xsd_element("attributeGroup");
                g.set_attr("name", "FzAttributes");
                let mut a = self.xsd_element("attribute");
                a.set_attr("name", "fzAttr");
                let mut r = self.xsd_element("attributeGroup");
                r.set_attr("ref", reference.clone());
                g.children.extend([Node::Element(a), Node::Element(r.clone())]);
                if let Some(s) = get_mut(&mut self.root, &schema) {
                    s.children.push(Node::Element(g));
                }
                if let Some(t) = pick(rng, &targets).and_then(|t| get_mut(&mut self.root, t)) {
                    t.children.push(Node::Element(r));
                }
                return true;
            }
        };
        for (from, to) in [(&a, &b), (&b, &a)] {
            let reference = self.qname(&to.ns, &to.local);
            let mut r = self.xsd_element("attributeGroup");
            r.set_attr("ref", reference);
            if let Some(g) = get_mut(&mut self.root, &from.path) {
                g.children.push(Node::Element(r));
            }
        }
        true
    }

    /// Global elements heading each other's substitution groups (or their own).
    fn substitution_cycle(&mut self, rng: &mut Rng) -> bool {
        let elements: Vec<Definition> = self.defs.iter().filter(|d| d.kind == "element").cloned().collect();
        let Some(a) = pick(rng, &elements).cloned() else { return false };
        let b = pick(rng, &elements).cloned().unwrap_or_else(|| a.clone());
        let pairs: Vec<(&Definition, &Definition)> = match rng.below(3) {
            0 => vec![(&a, &a)],
            1 => vec![(&a, &b)],
            _ => vec![(&a, &b), (&b, &a)],
        };
        for (from, to) in pairs {
            let head = self.qname(&to.ns, &to.local);
            if let Some(e) = get_mut(&mut self.root, &from.path) {
                e.set_attr("substitutionGroup", head);
                if rng.below(3) == 0 {
                    e.set_attr("abstract", "true");
                }
            }
        }
        // Somewhere, a reference to the head.
        if let Some(c) = pick(rng, &self.xsd(COMPOSITORS)).cloned() {
            let reference = self.qname(&b.ns, &b.local);
            let mut r = self.xsd_element("element");
            r.set_attr("ref", reference);
            Self::set_occurs(&mut r, rng);
            if let Some(c) = get_mut(&mut self.root, &c) {
                c.children.push(Node::Element(r));
            }
        }
        true
    }

    /// A new particle in some compositor: `xs:any`, an empty compositor, a reference to a group
    /// or an element, or a local element of some type.
    fn insert_particle(&mut self, rng: &mut Rng) -> bool {
        let Some(path) = pick(rng, &self.xsd(COMPOSITORS)).cloned() else { return false };
        let mut p = match rng.below(6) {
            0 => {
                let mut any = self.xsd_element("any");
                if rng.below(2) == 0 {
                    any.set_attr("namespace", ["##other", "##any", "##targetNamespace", "##local"][rng.below(4)]);
                }
                any
            }
            1 => self.xsd_element(COMPOSITORS[rng.below(3)]),
            2 => {
                let mut g = self.xsd_element("group");
                let r = self.reference(rng, "group");
                g.set_attr("ref", r);
                g
            }
            3 => {
                let mut e = self.xsd_element("element");
                let r = self.reference(rng, "element");
                e.set_attr("ref", r);
                e
            }
            _ => {
                let mut e = self.xsd_element("element");
                e.set_attr("name", format!("fz{}", rng.below(4)));
                let t = self.reference(rng, "type");
                e.set_attr("type", t);
                e
            }
        };
        Self::set_occurs(&mut p, rng);
        let Some(c) = get_mut(&mut self.root, &path) else { return false };
        let at = rng.below(c.children.len() + 1);
        c.children.insert(at, Node::Element(p));
        true
    }

    /// Styles, uses, SOAP versions, actions and SOAP extension elements of bindings.
    fn mutate_binding(&mut self, rng: &mut Rng) -> bool {
        let soap = |e: &Element| e.ns == SOAP11 || e.ns == SOAP12;
        match rng.below(6) {
            // style="document" / "rpc" / something else, on the binding or an operation.
            0 => {
                let targets = self.paths_where(|e| soap(e) && (e.local == "binding" || e.local == "operation"));
                let Some(path) = pick(rng, &targets).cloned() else { return false };
                let Some(e) = get_mut(&mut self.root, &path) else { return false };
                match rng.below(4) {
                    0 => e.remove_attr("style"),
                    n => e.set_attr("style", ["document", "rpc", "message"][n - 1]),
                }
            }
            // use="literal" / "encoded", namespace= and parts= on bodies and headers.
            1 => {
                let targets = self.paths_where(|e| soap(e) && matches!(e.local.as_str(), "body" | "header" | "fault"));
                let Some(path) = pick(rng, &targets).cloned() else { return false };
                let Some(e) = get_mut(&mut self.root, &path) else { return false };
                match rng.below(4) {
                    0 => e.set_attr("use", if e.attr("use") == Some("encoded") { "literal" } else { "encoded" }),
                    1 => e.set_attr("namespace", "urn:fz:rpc"),
                    2 => e.set_attr("parts", ["", "p", "parameters", "p parameters nothing"][rng.below(4)]),
                    _ => e.remove_attr("use"),
                }
            }
            // SOAP 1.1 <-> 1.2: every SOAP extension element of one binding.
            2 => {
                let bindings = self.paths_where(|e| e.is(WSDL, "binding"));
                let Some(path) = pick(rng, &bindings).cloned() else { return false };
                let to = if rng.below(2) == 0 { SOAP12 } else { SOAP11 };
                let prefix = self.prefix_for(to);
                let Some(b) = get_mut(&mut self.root, &path) else { return false };
                let mut stack: Vec<&mut Element> = vec![b];
                while let Some(e) = stack.pop() {
                    if soap(e) {
                        e.ns = to.to_owned();
                        e.name = format!("{prefix}:{}", e.local);
                    }
                    stack.extend(e.children.iter_mut().filter_map(|n| match n {
                        Node::Element(c) => Some(c),
                        Node::Text(_) => None,
                    }));
                }
            }
            // soapAction changed, emptied or removed.
            3 => {
                let targets = self.paths_where(|e| soap(e) && e.local == "operation");
                let Some(path) = pick(rng, &targets).cloned() else { return false };
                let Some(e) = get_mut(&mut self.root, &path) else { return false };
                match rng.below(3) {
                    0 => e.remove_attr("soapAction"),
                    1 => e.set_attr("soapAction", ""),
                    _ => e.set_attr("soapAction", "urn:fz:action \"quoted\" \n"),
                }
            }
            // A SOAP extension element removed (soap:binding, soap:body, soap:operation...).
            4 => {
                let targets = self.paths_where(soap);
                let Some(path) = pick(rng, &targets).cloned() else { return false };
                let Some((&i, parent)) = path.split_last() else { return false };
                let Some(parent) = get_mut(&mut self.root, parent) else { return false };
                parent.children.remove(i);
            }
            // A soap:header naming some message and part.
            _ => {
                let targets = self.paths_where(|e| {
                    e.ns == WSDL
                        && (e.local == "input" || e.local == "output")
                        && e.element_children().any(|(_, c)| soap(c))
                });
                let Some(path) = pick(rng, &targets).cloned() else { return false };
                let message = self.reference(rng, "message");
                let part = ["p", "parameters", "Header", "nothing"][rng.below(4)];
                let Some(io) = get(&self.root, &path) else { return false };
                let Some((_, body)) = io.element_children().find(|(_, c)| soap(c)) else { return false };
                let mut h = Element::new(body.sibling_name("header"), &body.ns.clone(), "header");
                h.set_attr("message", message);
                h.set_attr("part", part);
                h.set_attr("use", "literal");
                let Some(io) = get_mut(&mut self.root, &path) else { return false };
                io.children.push(Node::Element(h));
            }
        }
        true
    }

    /// The generic edits: delete, duplicate or copy an element elsewhere; an attribute gets
    /// another attribute's value.
    fn generic(&mut self, rng: &mut Rng) -> bool {
        let Some(path) = pick(rng, &self.paths[1..]).cloned() else { return false };
        let Some((&i, parent_path)) = path.split_last() else { return false };
        match rng.below(4) {
            0 => {
                let Some(parent) = get_mut(&mut self.root, parent_path) else { return false };
                parent.children.remove(i);
            }
            1 => {
                let Some(parent) = get_mut(&mut self.root, parent_path) else { return false };
                let copy = parent.children[i].clone();
                parent.children.insert(i + 1, copy);
            }
            2 => {
                let Some(copy) = get(&self.root, &path).cloned() else { return false };
                let Some(to) = pick(rng, &self.paths).cloned() else { return false };
                // Not into itself (that is `nest_into_itself`, for compositors).
                if to.starts_with(&path) {
                    return false;
                }
                let Some(target) = get_mut(&mut self.root, &to) else { return false };
                let at = rng.below(target.children.len() + 1);
                target.children.insert(at, Node::Element(copy));
            }
            _ => {
                let values: Vec<String> = self
                    .paths
                    .iter()
                    .filter_map(|p| get(&self.root, p))
                    .flat_map(|e| e.attrs.iter().map(|(_, v)| v.clone()))
                    .collect();
                let Some(value) = pick(rng, &values).cloned() else { return false };
                let Some(e) = get_mut(&mut self.root, &path) else { return false };
                if e.attrs.is_empty() {
                    return false;
                }
                let k = rng.below(e.attrs.len());
                e.attrs[k].1 = value;
            }
        }
        true
    }
}

/// `rounds` schema-aware mutations of the WSDL `text` (stacked: each works on the result of the
/// one before), or `None` when `text` is not XML this mutator reads.
pub fn mutate_wsdl(text: &str, rng: &mut Rng, rounds: usize) -> Option<String> {
    let doc = parse(text)?;
    let mut m = Mutant::new(doc.root);
    let mut applied = 0;
    let mut attempts = 0;
    while applied < rounds && attempts < rounds * 8 {
        attempts += 1;
        if m.mutate(rng) {
            applied += 1;
            // The next mutation sees the new tree.
            m.paths = all_paths(&m.root);
            m.collect_definitions();
        }
    }
    Some(serialize(&Document { root: m.root }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_round_trips() {
        let text = "<w:definitions xmlns:w=\"http://schemas.xmlsoap.org/wsdl/\" a=\"1 &amp; &quot;2&quot;\"><w:types>x &lt; y</w:types></w:definitions>";
        let doc = parse(text).unwrap();
        let again = serialize(&doc);
        assert!(
            again.contains("<w:definitions xmlns:w=\"http://schemas.xmlsoap.org/wsdl/\" a=\"1 &amp; &quot;2&quot;\">")
        );
        assert!(again.contains("x &lt; y"));
    }
}
