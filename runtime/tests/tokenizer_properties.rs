//! Property tests of the XML tokenizer and the reader above it, on documents generated at
//! random (a small seeded generator: the runtime's dev-dependencies stay within its MSRV, which
//! proptest's is not). Each generated document comes with the tree it must read as; the checks:
//!
//! - the reader reads exactly that tree (names resolved through the namespace declarations in
//!   scope, attribute values normalized, references replaced, CDATA sections and line ends);
//! - the tokenizer's tokens cover the document in order, each token's offsets framing its text;
//! - a document cut anywhere inside its root element is refused, never accepted or a panic;
//! - a document with random bytes changed, inserted or removed is read or refused, never a
//!   panic, with an error offset inside the document.
//!
//! `TOKENIZER_CASES=N` runs more documents (default 3,000).

use wsdlgen_runtime::DecodeLimits;
use wsdlgen_runtime::codegen::xml::{Element, Node, Token, Tokenizer, read_tree};

/// xorshift64*: small, seeded, the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }
}

const LOCALS: &[&str] = &["a", "Envelope", "Body", "x1", "long-name.with_parts", "é", "名前", "_u", "Ünï·code"];
const PREFIXES: &[&str] = &["p", "s", "ns1", "h", "é"];
const URIS: &[&str] =
    &["urn:a", "urn:b", "http://example.com/x?y=1", "http://www.w3.org/2001/XMLSchema-instance", "é:ü"];
const PI_TARGETS: &[&str] = &["pi", "xml-stylesheet", "trace", "x.y"];

/// Writes one generated document and builds the tree it must read as.
struct Gen {
    rng: Rng,
    out: String,
    /// Namespace bindings in scope, innermost last: (prefix, URI); `""` is the default namespace.
    scope: Vec<(String, String)>,
}

impl Gen {
    fn ws(&mut self) {
        for _ in 0..self.rng.below(3) {
            let s = *self.rng.pick(&[" ", "\n", "\t", "\r\n", "  "]);
            self.out.push_str(s);
        }
    }

    /// Something that may stand anywhere outside tags: a comment or a processing instruction.
    fn misc(&mut self) {
        if self.rng.chance(50) {
            let body = *self.rng.pick(&["", " c ", "a-b", " <tag> & ]]> ", "é"]);
            self.out.push_str(&format!("<!--{body}-->"));
        } else {
            let target = *self.rng.pick(PI_TARGETS);
            let body = *self.rng.pick(&["", " x", " a=\"1\" ?", " <>&"]);
            self.out.push_str(&format!("<?{target}{body}?>"));
        }
    }

    fn lookup(&self, prefix: &str) -> Option<String> {
        self.scope.iter().rev().find(|(p, _)| p == prefix).map(|(_, u)| u.clone())
    }

    /// Writes text that reads as `value` in an attribute value quoted with `quote`; returns
    /// `value`. References, literal whitespace (read as spaces) and the other quote appear.
    fn attribute_value(&mut self, quote: char) -> String {
        let mut value = String::new();
        for _ in 0..self.rng.below(5) {
            match self.rng.below(9) {
                0 => {
                    self.out.push_str("&amp;");
                    value.push('&');
                }
                1 => {
                    self.out.push_str("&lt;&gt;");
                    value.push_str("<>");
                }
                2 => {
                    self.out.push_str(if quote == '"' { "&quot;'" } else { "&apos;\"" });
                    value.push_str(if quote == '"' { "\"'" } else { "'\"" });
                }
                3 => {
                    self.out.push_str("&#9;&#xA;&#13;");
                    value.push_str("\t\n\r");
                }
                4 => {
                    // A lone `\r` is followed by a space here: `\r` then `\n` would be one line end.
                    let (s, read) = *self.rng.pick(&[("\t", " "), ("\n", " "), ("\r\n", " "), ("\r ", "  ")]);
                    self.out.push_str(s);
                    value.push_str(read);
                }
                5 => {
                    self.out.push_str("&#x1F600;é");
                    value.push_str("\u{1F600}é");
                }
                _ => {
                    let s = *self.rng.pick(&["urn:x", "true", " 1 ", ">", "a b", "]]>"]);
                    self.out.push_str(s);
                    value.push_str(s);
                }
            }
        }
        value
    }

    /// Writes character data (no markup) and returns what it reads as.
    fn text(&mut self) -> String {
        match self.rng.below(8) {
            0 => {
                self.out.push_str("&lt;tag&gt; &amp; &quot;&apos;");
                "<tag> & \"'".into()
            }
            1 => {
                self.out.push_str("&#65;&#x42;&#xD;");
                "AB\r".into()
            }
            2 => {
                self.out.push_str("line\r\nend\rcr\n");
                "line\nend\ncr\n".into()
            }
            3 => {
                let body = *self.rng.pick(&["", "<not markup> & ", "]]", "x\r\ny"]);
                self.out.push_str(&format!("<![CDATA[{body}]]>"));
                body.replace("\r\n", "\n")
            }
            4 => {
                self.out.push_str("a > b ] c");
                "a > b ] c".into()
            }
            _ => {
                let s = *self.rng.pick(&["value", " ", "\n  ", "é名", "42", "x-y_z.w"]);
                self.out.push_str(s);
                s.into()
            }
        }
    }

    /// Writes an element and returns the tree it reads as.
    fn element(&mut self, depth: usize) -> Element {
        let scope_len = self.scope.len();
        let local = (*self.rng.pick(LOCALS)).to_owned();
        // Declarations first, so that the name and the attributes may use them.
        let mut declarations = Vec::new();
        for _ in 0..self.rng.below(3) {
            let prefix = if self.rng.chance(30) { String::new() } else { (*self.rng.pick(PREFIXES)).to_owned() };
            if declarations.iter().any(|(p, _)| *p == prefix) {
                continue;
            }
            let uri = if prefix.is_empty() && self.rng.chance(20) {
                String::new()
            } else {
                (*self.rng.pick(URIS)).to_owned()
            };
            declarations.push((prefix, uri));
        }
        self.scope.extend(declarations.iter().cloned());
        let bound: Vec<String> =
            self.scope.iter().map(|(p, _)| p.clone()).filter(|p| !p.is_empty()).collect::<Vec<_>>();
        let prefix =
            if !bound.is_empty() && self.rng.chance(50) { self.rng.pick(&bound).clone() } else { String::new() };
        let name = if prefix.is_empty() { local.clone() } else { format!("{prefix}:{local}") };
        let ns = self.lookup(&prefix).unwrap_or_default();
        self.out.push('<');
        self.out.push_str(&name);
        let mut attributes: Vec<(String, String, String)> = Vec::new();
        let mut items: Vec<Option<(String, String)>> = declarations.iter().cloned().map(Some).collect();
        for _ in 0..self.rng.below(4) {
            items.push(None);
        }
        // Declarations and attributes in any order.
        for i in (1..items.len()).rev() {
            let j = self.rng.below(i + 1);
            items.swap(i, j);
        }
        for item in items {
            let space = *self.rng.pick(&[" ", "\n\t", "  "]);
            self.out.push_str(space);
            let quote = *self.rng.pick(&['"', '\'']);
            let eq = *self.rng.pick(&["=", " = ", "\n=\t"]);
            match item {
                Some((p, uri)) => {
                    let decl = if p.is_empty() { "xmlns".to_owned() } else { format!("xmlns:{p}") };
                    self.out.push_str(&format!("{decl}{eq}{quote}{}{quote}", uri.replace('&', "&amp;")));
                }
                None => {
                    let attr_local = (*self.rng.pick(&["x", "nil", "type", "é", "a.b"])).to_owned();
                    let attr_prefix = if !bound.is_empty() && self.rng.chance(40) {
                        self.rng.pick(&bound).clone()
                    } else {
                        String::new()
                    };
                    let attr_ns = if attr_prefix.is_empty() {
                        String::new()
                    } else {
                        self.lookup(&attr_prefix).unwrap_or_default()
                    };
                    if attributes.iter().any(|(n, l, _)| *n == attr_ns && *l == attr_local) {
                        continue;
                    }
                    let attr_name =
                        if attr_prefix.is_empty() { attr_local.clone() } else { format!("{attr_prefix}:{attr_local}") };
                    // Two prefixes bound to one URI would make `p:x` and `q:x` the same attribute.
                    if self.out.contains(&format!(" {attr_name}=")) {
                        continue;
                    }
                    self.out.push_str(&format!("{attr_name}{eq}{quote}"));
                    let value = self.attribute_value(quote);
                    self.out.push(quote);
                    attributes.push((attr_ns, attr_local, value));
                }
            }
        }
        let mut children: Vec<Node> = Vec::new();
        if self.rng.chance(25) {
            self.ws();
            self.out.push_str("/>");
        } else {
            self.out.push('>');
            for _ in 0..self.rng.below(5) {
                match self.rng.below(6) {
                    0 | 1 if depth < 5 => {
                        let child = self.element(depth + 1);
                        children.push(Node::Element(child));
                    }
                    2 => self.misc(),
                    _ => {
                        let text = self.text();
                        if !text.is_empty() {
                            match children.last_mut() {
                                Some(Node::Text(previous)) => previous.push_str(&text),
                                _ => children.push(Node::Text(text)),
                            }
                        }
                    }
                }
            }
            self.out.push_str("</");
            self.out.push_str(&name);
            self.ws();
            self.out.push('>');
        }
        self.scope.truncate(scope_len);
        Element { ns, local, attributes, children }
    }

    /// A whole document: its text, its tree, and where its root element ends.
    fn document(&mut self) -> (Element, usize) {
        if self.rng.chance(40) {
            let q = *self.rng.pick(&['"', '\'']);
            self.out.push_str(&format!("<?xml version={q}1.0{q}"));
            if self.rng.chance(50) {
                let e = *self.rng.pick(&["UTF-8", "utf-8", "US-ASCII"]);
                self.out.push_str(&format!(" encoding={q}{e}{q}"));
            }
            if self.rng.chance(30) {
                self.out.push_str(&format!(" standalone={q}yes{q}"));
            }
            self.ws();
            self.out.push_str("?>");
        }
        for _ in 0..self.rng.below(3) {
            self.ws();
            self.misc();
        }
        self.ws();
        let root = self.element(1);
        let root_end = self.out.len();
        for _ in 0..self.rng.below(3) {
            self.ws();
            self.misc();
        }
        self.ws();
        (root, root_end)
    }
}

fn cases() -> usize {
    std::env::var("TOKENIZER_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(3_000)
}

fn limits() -> DecodeLimits {
    DecodeLimits::default()
}

/// Every generated document reads as its tree, and its tokens frame it.
#[test]
fn generated_documents_read_as_generated() {
    let mut rng = Rng(0x7E57_0001);
    for case in 0..cases() {
        let mut g = Gen { rng: Rng(rng.next() | 1), out: String::new(), scope: Vec::new() };
        let (expected, _) = g.document();
        let doc = g.out;
        let tree = read_tree(doc.as_bytes(), limits()).unwrap_or_else(|e| panic!("case {case}: {e}\n{doc}"));
        assert_eq!(tree, expected, "case {case}:\n{doc}");
        check_tokens(&doc);
    }
}

/// The tokens of a well-formed document: in order, without gaps other than comments, processing
/// instructions, the declaration and whitespace outside the root, each framed by its offsets.
fn check_tokens(doc: &str) {
    let mut t = Tokenizer::new(doc);
    let mut last_end = 0;
    let mut depth = 0usize;
    loop {
        let token = t.next_token().unwrap_or_else(|e| panic!("{e:?}\n{doc}"));
        let (start, end) = (t.token_start(), t.pos());
        assert!(start >= last_end && end >= start, "{token:?} at {start}..{end} after {last_end}\n{doc}");
        let between = &doc[last_end..start];
        if depth > 0 {
            assert!(between.is_empty() || between.starts_with("<!--") || between.starts_with("<?"), "{between:?}");
        }
        let span = &doc[start..end];
        match token {
            Token::Start => {
                let tag = *t.tag();
                assert!(span.starts_with('<') && span.ends_with('>'), "{span:?}");
                assert_eq!(&span[1..1 + tag.name.len()], tag.name);
                assert_eq!(span.ends_with("/>"), tag.empty, "{span:?}");
                assert!(span.contains(tag.attributes));
                depth += 1;
            }
            Token::End => {
                assert!(span.is_empty() || (span.starts_with("</") && span.ends_with('>')), "{span:?}");
                depth -= 1;
                assert_eq!(t.depth(), depth);
            }
            Token::Text => {
                let (raw, references) = (t.text(), t.references());
                assert_eq!(span, raw);
                assert_eq!(references, raw.contains('&'));
                assert!(!raw.contains('<'));
            }
            Token::CData => assert_eq!(span, format!("<![CDATA[{}]]>", t.text())),
            Token::Eof => {
                assert_eq!(depth, 0);
                assert!(
                    doc[last_end..].trim_start_matches([' ', '\t', '\r', '\n']).is_empty()
                        || doc[last_end..].contains("<")
                );
                break;
            }
        }
        last_end = end;
    }
}

/// A document cut inside its root element is refused; cut after it, it is still read.
#[test]
fn truncated_documents_are_refused() {
    let mut rng = Rng(0x7E57_0002);
    for case in 0..cases() / 3 {
        let mut g = Gen { rng: Rng(rng.next() | 1), out: String::new(), scope: Vec::new() };
        let (expected, root_end) = g.document();
        let doc = g.out;
        let cuts: Vec<usize> = (0..12).map(|_| rng.below(root_end)).chain([root_end - 1]).collect();
        for cut in cuts {
            if !doc.is_char_boundary(cut) {
                continue;
            }
            let result = read_tree(&doc.as_bytes()[..cut], limits());
            let e = result.expect_err(&format!("case {case}: accepted when cut at {cut}:\n{doc}"));
            assert!(e.offset as usize <= cut, "case {case}: offset {} after the end {cut}", e.offset);
        }
        // Cut between the root's end and the end of the document: a comment or PI cut in two is
        // refused, anything else is read.
        let cut = root_end + rng.below(doc.len() - root_end + 1);
        if doc.is_char_boundary(cut) {
            let complete = only_complete_misc(&doc[root_end..cut]);
            match read_tree(&doc.as_bytes()[..cut], limits()) {
                Ok(tree) => {
                    assert!(complete, "case {case}: accepted when cut at {cut}:\n{doc}");
                    assert_eq!(tree, expected);
                }
                Err(e) => assert!(!complete, "case {case}: {e} when cut at {cut}:\n{doc}"),
            }
        }
    }
}

/// Whether `tail` is whitespace, whole comments and whole processing instructions only (as the
/// generator writes them: no `-->` or `?>` inside).
fn only_complete_misc(tail: &str) -> bool {
    let mut rest = tail.trim_start_matches([' ', '\t', '\r', '\n']);
    while !rest.is_empty() {
        let end = if let Some(comment) = rest.strip_prefix("<!--") {
            comment.find("-->").map(|i| i + 7)
        } else if let Some(pi) = rest.strip_prefix("<?") {
            pi.find("?>").map(|i| i + 4)
        } else {
            None
        };
        let Some(end) = end else { return false };
        rest = rest[end..].trim_start_matches([' ', '\t', '\r', '\n']);
    }
    true
}

/// Random edits never make the reader panic, and its errors point inside the input.
#[test]
fn mutated_documents_are_read_or_refused() {
    let mut rng = Rng(0x7E57_0003);
    let pieces: &[&[u8]] = &[
        b"<",
        b">",
        b"/",
        b"&",
        b";",
        b"\"",
        b"'",
        b"=",
        b" ",
        b":",
        b"]]>",
        b"<!--",
        b"--",
        b"?>",
        b"<?",
        b"<![CDATA[",
        b"</a>",
        b"xmlns",
        b"&#",
        b"\xff",
        b"\x00",
        b"\xc3",
        b"\r",
        b"#x",
    ];
    for _ in 0..cases() / 3 {
        let mut g = Gen { rng: Rng(rng.next() | 1), out: String::new(), scope: Vec::new() };
        g.document();
        let doc = g.out.into_bytes();
        for _ in 0..20 {
            let mut v = doc.clone();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(v.len() + 1);
                match rng.below(3) {
                    0 if at < v.len() => {
                        v.remove(at);
                    }
                    1 if at < v.len() => v[at] = rng.next() as u8,
                    _ => {
                        let piece = *rng.pick(pieces);
                        v.splice(at..at, piece.iter().copied());
                    }
                }
            }
            match std::panic::catch_unwind(|| read_tree(&v, limits())) {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => assert!(e.offset as usize <= v.len(), "offset {} of {}", e.offset, v.len()),
                Err(_) => panic!("the reader panicked on {:?}", String::from_utf8_lossy(&v)),
            }
        }
    }
}
