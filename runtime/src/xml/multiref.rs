//! Multi-reference values of SOAP 1.1 encoding (section 5.4.1): an accessor written as
//! `<x href="#id"/>` whose value is the element carrying `id="id"`, usually a top-level
//! element of the Body after the operation's element (`<multiRef id="id">...</multiRef>`).
//!
//! Generated decoders read a message front to back, so before an encoded message is decoded,
//! [`inline_references`] writes it again with each referenced value copied in where it is
//! referenced (its attributes, such as `xsi:type`, and its content), and the top-level values
//! left out. A value referenced from several places (a shared value) is copied to each; one
//! that contains itself (a cycle: Rust values are trees) is an error, and so is a message whose
//! copies would exceed [`DecodeLimits::max_expanded_size`] (a reference bomb) or
//! [`DecodeLimits::max_depth`]. Errors name the element path and the byte offset of the
//! reference in the message as received.
//!
//! Names in the copy are written with prefixes of its own (`mr0`, `mr1`, ... or another stem
//! no prefix of the message uses), declared on the root; the values of `xsi:type` and
//! `soapenc:arrayType` are rewritten with them. The message's own prefix declarations are
//! repeated on every copied element whose scope differs from its new parent's, so that prefixes
//! in other values (a QName in text) still resolve.

use std::collections::HashMap;

use super::error::{DecodeError, DecodeErrorKind};
use super::reader::{DecodeLimits, Start, XmlReader};
use super::references::{line_ends, text_value};
use super::soapenc::SOAP_ENC_NS;
use super::tokenizer::Token;
use super::writer::{XSI_NS, XmlWriter};

/// The message `input` with its multi-reference values copied in (see the module
/// documentation), or `None` when it has no `href` attribute (then it is decoded as it is).
pub fn inline_references(input: &[u8], limits: DecodeLimits) -> Result<Option<Vec<u8>>, DecodeError> {
    if memchr::memmem::find(input, b"href").is_none() {
        return Ok(None);
    }
    let tree = Tree::read(input, limits)?;
    if !tree.has_href {
        return Ok(None);
    }
    tree.write(limits).map(Some)
}

/// An attribute value: text, or a QName (`xsi:type`, `soapenc:arrayType`) resolved where it
/// was written, with what follows the name (`[3]`).
enum Value {
    Text(String),
    QName { ns: String, local: String, rest: String },
}

struct Attr {
    ns: String,
    local: String,
    value: Value,
}

enum Node {
    Element(usize),
    Text(String),
}

struct El {
    ns: String,
    local: String,
    attrs: Vec<Attr>,
    /// Index into `Tree::scopes`: the prefix declarations in scope here.
    scope: usize,
    children: Vec<Node>,
    /// Offset of the start tag's `<` in the input.
    begin: u64,
    /// `href="#x"`: the `id` it refers to.
    href: Option<String>,
    /// `id="x"`.
    id: Option<String>,
    /// `soapenc:root="0"`: a value that is not the root of a serialization.
    not_root: bool,
}

struct Tree {
    els: Vec<El>,
    /// Prefixed namespace declarations in scope (no default namespace), per distinct scope.
    scopes: Vec<Vec<(String, String)>>,
    ids: HashMap<String, usize>,
    /// Every namespace URI a name or a QName value uses, in first-use order.
    uris: Vec<String>,
    has_href: bool,
}

fn encoding_error(path: &[&str], offset: u64, message: String) -> DecodeError {
    DecodeError { path: path.join("/"), offset, kind: DecodeErrorKind::SoapEncoding(message), excerpt: None }
}

impl Tree {
    fn read(input: &[u8], limits: DecodeLimits) -> Result<Self, DecodeError> {
        let mut tree =
            Tree { els: Vec::new(), scopes: Vec::new(), ids: HashMap::new(), uris: Vec::new(), has_href: false };
        let mut r = XmlReader::with_limits(input, limits);
        let root = r.root()?;
        tree.element(&r, &root, None)?;
        // (element, bindings in scope at it)
        let mut stack = vec![(0usize, r.bindings_len())];
        loop {
            match r.read_token()? {
                (Token::Start, _, _) => {
                    let start = r.enter_tag()?;
                    let &(parent, parent_bindings) = stack.last().expect("inside the root");
                    let inherited = (r.bindings_len() == parent_bindings).then_some(tree.els[parent].scope);
                    let idx = tree.element(&r, &start, inherited)?;
                    tree.els[parent].children.push(Node::Element(idx));
                    stack.push((idx, r.bindings_len()));
                }
                (Token::End, _, _) => {
                    r.leave_element();
                    stack.pop();
                    if stack.is_empty() {
                        r.finish()?;
                        return Ok(tree);
                    }
                }
                (Token::Text, raw, _) => tree.text(stack.last().map(|s| s.0), text_value(raw, true).into_owned()),
                (Token::CData, raw, _) => tree.text(stack.last().map(|s| s.0), line_ends(raw).into_owned()),
                (Token::Eof, _, _) => return Err(r.error(DecodeErrorKind::UnexpectedEof)),
            }
        }
    }

    fn text(&mut self, parent: Option<usize>, text: String) {
        let Some(parent) = parent else { return };
        let children = &mut self.els[parent].children;
        match children.last_mut() {
            Some(Node::Text(previous)) => previous.push_str(&text),
            _ if text.is_empty() => {}
            _ => children.push(Node::Text(text)),
        }
    }

    fn uri(&mut self, ns: &str) {
        if !ns.is_empty() && !self.uris.iter().any(|u| u == ns) {
            self.uris.push(ns.to_owned());
        }
    }

    /// Records the element `start` opened; `scope` is its parent's when it declares nothing.
    fn element(&mut self, r: &XmlReader<'_>, start: &Start<'_>, scope: Option<usize>) -> Result<usize, DecodeError> {
        let scope = match scope {
            Some(s) => s,
            None => {
                let bindings = r.in_scope().into_iter().filter(|(p, _)| !p.is_empty()).collect();
                self.scopes.push(bindings);
                self.scopes.len() - 1
            }
        };
        let mut el = El {
            ns: start.ns().to_owned(),
            local: start.local().to_owned(),
            attrs: Vec::new(),
            scope,
            children: Vec::new(),
            begin: start.begin(),
            href: None,
            id: None,
            not_root: false,
        };
        self.uri(&el.ns);
        for (ns, local, value) in r.all_attributes(start)? {
            match (ns.as_str(), local.as_str()) {
                ("", "href") => {
                    let Some(id) = value.trim().strip_prefix('#') else {
                        return Err(r.error(DecodeErrorKind::SoapEncoding(format!(
                            "href {value:?} does not refer to an element of this message (`#id`)"
                        ))));
                    };
                    el.href = Some(id.to_owned());
                    self.has_href = true;
                }
                ("", "id") => el.id = Some(value.trim().to_owned()),
                (SOAP_ENC_NS, "root") => el.not_root = value.trim() == "0",
                (XSI_NS, "type") | (SOAP_ENC_NS, "arrayType") => {
                    let v = value.trim();
                    let name_end = v.find('[').unwrap_or(v.len());
                    let (name, rest) = v.split_at(name_end);
                    let (prefix, type_local) = name.split_once(':').unwrap_or(("", name));
                    let type_ns = match r.namespace_of(prefix) {
                        Some(ns) => ns.into_owned(),
                        None if prefix.is_empty() => String::new(),
                        None => return Err(r.error(DecodeErrorKind::UnboundPrefix(prefix.to_owned()))),
                    };
                    self.uri(&ns);
                    self.uri(&type_ns);
                    let value = Value::QName { ns: type_ns, local: type_local.to_owned(), rest: rest.to_owned() };
                    el.attrs.push(Attr { ns, local, value });
                }
                _ => {
                    self.uri(&ns);
                    el.attrs.push(Attr { ns, local, value: Value::Text(value) });
                }
            }
        }
        if let Some(id) = &el.id {
            if self.ids.contains_key(id) {
                return Err(r.error(DecodeErrorKind::SoapEncoding(format!("two elements have id {id:?}"))));
            }
            self.ids.insert(id.clone(), self.els.len());
        }
        self.els.push(el);
        Ok(self.els.len() - 1)
    }

    fn write(&self, limits: DecodeLimits) -> Result<Vec<u8>, DecodeError> {
        // A stem no prefix of the message starts with.
        let mut stem = String::from("mr");
        while self.scopes.iter().flatten().any(|(p, _)| p.starts_with(&stem)) {
            stem.push('_');
        }
        let prefixes = self.uris.iter().enumerate().map(|(i, u)| (u.as_str(), format!("{stem}{i}"))).collect();
        let mut w = Writing { tree: self, limits, prefixes, w: XmlWriter::new(), active: Vec::new(), path: Vec::new() };
        w.w.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        w.element(0, usize::MAX, 1)?;
        Ok(w.w.into_inner())
    }
}

struct Writing<'t> {
    tree: &'t Tree,
    limits: DecodeLimits,
    prefixes: HashMap<&'t str, String>,
    w: XmlWriter,
    /// The ids whose values are being copied, outermost first (a cycle comes back to one).
    active: Vec<&'t str>,
    path: Vec<&'t str>,
}

impl<'t> Writing<'t> {
    fn name(&self, ns: &str, local: &str) -> String {
        match self.prefixes.get(ns) {
            Some(p) => format!("{p}:{local}"),
            None => local.to_owned(),
        }
    }

    /// Writes the element `idx` (its value copied from what its `href` refers to, if it has
    /// one) at `depth`, below an element whose declarations are those of `parent_scope`.
    fn element(&mut self, idx: usize, parent_scope: usize, depth: usize) -> Result<(), DecodeError> {
        let tree = self.tree;
        let el = &tree.els[idx];
        self.path.push(&el.local);
        if depth > self.limits.max_depth {
            let limit = self.limits.max_depth;
            return Err(self.fail(el.begin, DecodeErrorKind::Limit { what: "element nesting depth", limit }));
        }
        // Follow the references (a reference to a reference too) to the value.
        let mut value = idx;
        let mut followed = 0;
        while let Some(id) = &tree.els[value].href {
            let at = tree.els[value].begin;
            if tree.els[value].children.iter().any(|c| matches!(c, Node::Element(_)))
                || tree.els[value].children.iter().any(|c| matches!(c, Node::Text(t) if !t.trim().is_empty()))
            {
                return Err(self.encoding(at, format!("an element with href=\"#{id}\" has content of its own")));
            }
            let Some(&target) = tree.ids.get(id.as_str()) else {
                return Err(self.encoding(at, format!("href=\"#{id}\" refers to no element of this message")));
            };
            if self.active.contains(&id.as_str()) {
                let mut chain: Vec<&str> = self.active.iter().skip_while(|a| **a != id.as_str()).copied().collect();
                chain.push(id);
                return Err(self.encoding(
                    at,
                    format!(
                        "href=\"#{id}\" is a reference cycle (#{}): the value would contain itself",
                        chain.join(" -> #")
                    ),
                ));
            }
            self.active.push(id);
            followed += 1;
            value = target;
        }
        let content = &tree.els[value];
        let tag = self.name(&el.ns, &el.local);
        self.w.raw("<");
        self.w.raw(&tag);
        if depth == 1 {
            for (uri, prefix) in tree.uris.iter().map(|u| (u, &self.prefixes[u.as_str()])) {
                self.w.attribute(&format!("xmlns:{prefix}"), uri);
            }
        }
        if content.scope != parent_scope {
            for (prefix, uri) in &tree.scopes[content.scope] {
                self.w.attribute(&format!("xmlns:{prefix}"), uri);
            }
        }
        let own = el.attrs.iter();
        let copied = content
            .attrs
            .iter()
            .filter(|a| value != idx && !el.attrs.iter().any(|b| b.ns == a.ns && b.local == a.local));
        for a in own.chain(copied) {
            let name = self.name(&a.ns, &a.local);
            match &a.value {
                Value::Text(v) => self.w.attribute(&name, v),
                Value::QName { ns, local, rest } => {
                    let v = format!("{}{rest}", self.name(ns, local));
                    self.w.attribute(&name, &v);
                }
            }
        }
        self.w.raw(">");
        if self.w.as_bytes().len() > self.limits.max_expanded_size {
            let limit = self.limits.max_expanded_size;
            let what = "size of the message with its multi-reference values copied in";
            return Err(self.fail(el.begin, DecodeErrorKind::Limit { what, limit }));
        }
        let is_body = depth == 2 && el.local == "Body" && el.ns == tree.els[0].ns;
        let mut kept_first = false;
        for child in &content.children {
            match child {
                Node::Text(t) => self.w.text(t),
                Node::Element(c) => {
                    // The Body keeps its first element (the operation's) and whatever else is
                    // not an independent value: those are copied where they are referenced.
                    let c_el = &tree.els[*c];
                    if is_body && (c_el.not_root || (kept_first && c_el.id.is_some())) {
                        continue;
                    }
                    kept_first = true;
                    self.element(*c, content.scope, depth + 1)?;
                }
            }
        }
        self.w.raw("</");
        self.w.raw(&tag);
        self.w.raw(">");
        for _ in 0..followed {
            self.active.pop();
        }
        self.path.pop();
        Ok(())
    }

    fn fail(&self, offset: u64, kind: DecodeErrorKind) -> DecodeError {
        DecodeError { path: self.path.join("/"), offset, kind, excerpt: None }
    }

    fn encoding(&self, offset: u64, message: String) -> DecodeError {
        encoding_error(&self.path, offset, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{Element, Node as TreeNode, read_tree};

    const ENV: &str = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:enc="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>"#;
    const END: &str = "</s:Body></s:Envelope>";

    fn expand(body: &str, limits: DecodeLimits) -> Result<Element, DecodeError> {
        let doc = format!("{ENV}{body}{END}");
        let out = inline_references(doc.as_bytes(), limits)?.expect("has references");
        Ok(read_tree(&out, DecodeLimits::default()).expect("well-formed"))
    }

    fn body(e: &Element) -> &Element {
        match &e.children[0] {
            TreeNode::Element(b) => b,
            TreeNode::Text(_) => panic!("text"),
        }
    }

    #[test]
    fn shared_values_are_copied_and_independent_ones_dropped() {
        let e = expand(
            r##"<m:R xmlns:m="urn:m"><a href="#1"/><b href="#1"/></m:R><multiRef id="1" enc:root="0" xmlns:t="urn:t" xsi:type="t:P"><n xsi:type="xsd:string">x</n></multiRef>"##,
            DecodeLimits::default(),
        )
        .unwrap();
        let b = body(&e);
        assert_eq!(b.children.len(), 1, "{b:?}");
        let TreeNode::Element(r) = &b.children[0] else { panic!() };
        assert_eq!((r.ns.as_str(), r.local.as_str()), ("urn:m", "R"));
        for c in &r.children {
            let TreeNode::Element(c) = c else { panic!() };
            // The referenced value's xsi:type, resolved in its own scope.
            let [(ns, local, ty)] = c.attributes.as_slice() else { panic!("{:?}", c.attributes) };
            assert_eq!((ns.as_str(), local.as_str()), (XSI_NS, "type"));
            assert!(ty.starts_with("mr") && ty.ends_with(":P"), "{ty}");
            let TreeNode::Element(n) = &c.children[0] else { panic!() };
            assert_eq!(n.children, vec![TreeNode::Text("x".into())]);
        }
    }

    #[test]
    fn references_to_references_and_inline_ids() {
        let e =
            expand(r##"<R><a id="v">1</a><b href="#w"/></R><m id="w" href="#v"/>"##, DecodeLimits::default()).unwrap();
        let TreeNode::Element(r) = &body(&e).children[0] else { panic!() };
        let TreeNode::Element(b) = &r.children[1] else { panic!() };
        assert_eq!(b.children, vec![TreeNode::Text("1".into())]);
    }

    #[test]
    fn cycles_undefined_references_and_bombs_are_errors() {
        let cycle = expand(
            r##"<R><a href="#1"/></R><m id="1"><next href="#2"/></m><m id="2"><next href="#1"/></m>"##,
            DecodeLimits::default(),
        )
        .unwrap_err();
        assert!(matches!(&cycle.kind, DecodeErrorKind::SoapEncoding(m) if m.contains("#1 -> #2 -> #1")), "{cycle}");
        assert_eq!(cycle.path, "Envelope/Body/R/a/next/next");
        let self_ref =
            expand(r##"<R><a href="#1"/></R><m id="1"><x href="#1"/></m>"##, DecodeLimits::default()).unwrap_err();
        assert!(self_ref.to_string().contains("cycle"), "{self_ref}");
        let undefined = expand(r##"<R><a href="#nope"/></R>"##, DecodeLimits::default()).unwrap_err();
        assert!(undefined.to_string().contains("refers to no element"), "{undefined}");
        let doc = format!("{ENV}<R><a href=\"#nope\"/></R>{END}");
        assert_eq!(undefined.offset, doc.find("<a ").unwrap() as u64);
        let external = expand(r#"<R><a href="http://x/y"/></R>"#, DecodeLimits::default()).unwrap_err();
        assert!(external.to_string().contains("does not refer"), "{external}");
        let content = expand(r##"<R><a href="#1">x</a></R><m id="1"/>"##, DecodeLimits::default()).unwrap_err();
        assert!(content.to_string().contains("content of its own"), "{content}");
        let twice = expand(r##"<R><a href="#1"/></R><m id="1"/><m id="1"/>"##, DecodeLimits::default()).unwrap_err();
        assert!(twice.to_string().contains("two elements"), "{twice}");

        // 2^40 copies of a value from 40 levels of two references each.
        let mut bomb = String::from(r##"<R><a href="#l0"/></R>"##);
        for i in 0..40 {
            bomb.push_str(&format!(r##"<m id="l{i}"><x href="#l{}"/><y href="#l{}"/></m>"##, i + 1, i + 1));
        }
        bomb.push_str(r#"<m id="l40">boom</m>"#);
        let limits = DecodeLimits::default().with_max_depth(1000);
        let started = std::time::Instant::now();
        let e = expand(&bomb, limits).unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::Limit { what, .. } if what.contains("multi-reference")), "{e}");
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "{:?}", started.elapsed());
        // The same within the depth limit: a deep chain stops at max_depth.
        let e = expand(&bomb, DecodeLimits::default().with_max_depth(10)).unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::Limit { what: "element nesting depth", .. }), "{e}");
        // A small expansion limit.
        let e = expand(
            r##"<R><a href="#1"/><a href="#1"/><a href="#1"/></R><m id="1">0123456789</m>"##,
            DecodeLimits::default().with_max_expanded_size(2000),
        );
        assert!(e.is_ok());
        let e = expand(
            &format!(r##"<R>{}</R><m id="1">{}</m>"##, r##"<a href="#1"/>"##.repeat(20), "x".repeat(200)),
            DecodeLimits::default().with_max_expanded_size(2000),
        )
        .unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::Limit { limit: 2000, .. }), "{e}");
    }

    /// Mutated messages (each byte deleted, each of a few bytes inserted everywhere): expansion
    /// ends with a copy or an error, never a panic, and what it copies is well-formed.
    #[test]
    fn mutations_never_panic() {
        let doc = format!(
            r##"{ENV}<m:R xmlns:m="urn:m"><a href="#1"/><b href="#2"/><c id="3">v</c></m:R><x id="1" xsi:type="xsd:int" enc:root="0">1</x><y id="2"><z href="#1"/><w href="#3"/></y>{END}"##
        );
        let mut copies = 0;
        let mut check = |bytes: &[u8]| {
            if let Ok(Some(out)) = inline_references(bytes, DecodeLimits::default()) {
                read_tree(&out, DecodeLimits::default()).expect("a copy is well-formed");
                copies += 1;
            }
        };
        let bytes = doc.as_bytes();
        for i in 0..bytes.len() {
            let mut m = bytes.to_vec();
            m.remove(i);
            check(&m);
            for b in [b'#', b'"', b'<', b'1'] {
                let mut m = bytes.to_vec();
                m.insert(i, b);
                check(&m);
            }
        }
        assert!(copies > 100, "{copies}");
    }

    #[test]
    fn messages_without_references_are_left_alone() {
        let doc = format!("{ENV}<R><a>1</a></R>{END}");
        assert_eq!(inline_references(doc.as_bytes(), DecodeLimits::default()).unwrap(), None);
        let doc = format!("{ENV}<R><href>1</href></R>{END}");
        assert_eq!(inline_references(doc.as_bytes(), DecodeLimits::default()).unwrap(), None);
    }

    #[test]
    fn prefixes_of_the_message_do_not_clash() {
        let e = expand(
            r##"<mr0:R xmlns:mr0="urn:m"><a href="#1"/></mr0:R><m id="1" xmlns:mr0="urn:other" xsi:type="mr0:T"/>"##,
            DecodeLimits::default(),
        )
        .unwrap();
        let TreeNode::Element(r) = &body(&e).children[0] else { panic!() };
        assert_eq!(r.ns, "urn:m");
        let TreeNode::Element(a) = &r.children[0] else { panic!() };
        assert_eq!(a.ns, "");
        assert!(a.attributes[0].2.ends_with(":T") && a.attributes[0].2.starts_with("mr_"), "{:?}", a.attributes);
    }
}
