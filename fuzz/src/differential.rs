//! The `tokenize_differential` target's oracle: the runtime's XML reader (its tokenizer, the
//! character and encoding checks and the namespace handling, through `read_tree`, which reads
//! tokens exactly as generated decoders do) against roxmltree, an independent parser, on the
//! same bytes. They must agree on whether the input is a well-formed XML 1.0 document with
//! namespaces, and, when it is, on the tree: element and attribute names as namespace URI and
//! local name, attribute values after normalization, text after references and line ends.
//!
//! The exceptions, each justified where it is decided ([`excused`], [`excused_tree`]):
//! - input that is not UTF-8: roxmltree reads `&str` only; the reader must refuse it;
//! - the reader's limits (nesting depth, text length, namespace declarations in scope): raised
//!   here as far as they go, but 1,024 declarations in scope is fixed;
//! - an XML declaration naming an encoding other than UTF-8 (or ASCII): the reader refuses the
//!   message rather than misread it; roxmltree reads the text it was given;
//! - what roxmltree 0.21 accepts although XML 1.0 or Namespaces in XML 1.0 say it is not
//!   well-formed, which the reader refuses: a name with an empty prefix (`<:a>`, `:b="1"`,
//!   `</:a>` closing `<a>`); a processing instruction whose target is followed by something
//!   other than whitespace (`<?pi=x?>`) or is `xml` in another case or followed by other
//!   whitespace than a space (`<?XML x?>`, `<?xml\tx?>` after the start); an XML
//!   declaration without a version (`<?xml?>`), with a version other than `1.x` or a
//!   `standalone` other than `yes` or `no`, pseudo-attributes misnamed (`encodingx=`); a
//!   namespace declaration repeated in one start tag (`xmlns="u" xmlns="u"`); a prefix
//!   undeclared (`xmlns:p=""`, allowed from Namespaces in XML 1.1 on); the prefix `xmlns`
//!   declared; an attribute `p:xmlns`, which roxmltree takes for a declaration of the default
//!   namespace (Namespaces in XML makes it an ordinary attribute; documents with one are compared
//!   on well-formedness only) and accepts when `p` is not declared; a character reference to a
//!   code point that is no character (a surrogate, above U+10FFFF), which roxmltree reads as
//!   U+FFFD;
//! - roxmltree refuses element names with the prefix `xml` (`<xml:a/>`), which Namespaces in XML
//!   binds by definition and the reader reads in the XML namespace;
//! - roxmltree keeps a literal carriage return that comes before a reference in the same text
//!   (`x\r&amp;` reads as `x\r&`; XML turns every literal `\r` and `\r\n` into `\n`): the trees
//!   may differ by roxmltree's `\r` against the reader's `\n` in text, at most once per literal
//!   `\r` in the input, when the reader's text holds exactly one `\r` per character reference to
//!   one in the document's character data.
//!
//! Shared with the workspace's smoke test (`tests/tests/fuzz_smoke.rs`), which replays the
//! seeds in `corpus/tokenize_differential/` and mutations of them.

use wsdlgen_runtime::codegen::xml::{Element, Node, read_tree};
use wsdlgen_runtime::{DecodeError, DecodeErrorKind, DecodeLimits};

/// Runs both parsers on `data`; panics when they disagree other than as excused.
pub fn check(data: &[u8]) {
    if let Err(message) = compare(data) {
        panic!("{message}\ninput: {:?}", String::from_utf8_lossy(data));
    }
}

/// What both parsers made of `data`, or how they disagree.
pub fn compare(data: &[u8]) -> Result<Outcome, String> {
    let limits = DecodeLimits::default().with_max_depth(usize::MAX).with_max_text_len(usize::MAX);
    let ours = read_tree(data, limits);
    let Ok(text) = std::str::from_utf8(data) else {
        return match ours {
            Err(e) if matches!(e.kind, DecodeErrorKind::Encoding(_)) => Ok(Outcome::BothRefused),
            // A document refused before the reader reached its bytes (a DOCTYPE, a control
            // character, an encoding it names) is refused all the same.
            Err(_) => Ok(Outcome::BothRefused),
            Ok(tree) => Err(format!("the reader accepted input that is not UTF-8: {tree:?}")),
        };
    };
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..roxmltree::ParsingOptions::default() };
    let theirs = roxmltree::Document::parse_with_options(text, options);
    match (ours, theirs) {
        (Ok(ours), Ok(doc)) => {
            let theirs = element(doc.root_element());
            if ours == theirs {
                Ok(Outcome::BothAccepted)
            } else if excused_tree(&ours, &theirs, text) {
                Ok(Outcome::Excused)
            } else {
                Err(format!("the trees differ:\nreader:    {ours:?}\nroxmltree: {theirs:?}"))
            }
        }
        (Err(_), Err(_)) => Ok(Outcome::BothRefused),
        (Err(e), Ok(doc)) => match excused(&e, text) {
            Some(_) => Ok(Outcome::Excused),
            None => Err(format!("only the reader refused: {e}\nroxmltree: {:?}", element(doc.root_element()))),
        },
        // Namespaces in XML binds the prefix `xml` by definition, for element names too;
        // roxmltree knows it on attributes only.
        (Ok(_), Err(roxmltree::Error::UnknownNamespace(prefix, _))) if prefix == "xml" => Ok(Outcome::Excused),
        (Ok(tree), Err(e)) => Err(format!("only roxmltree refused: {e}\nreader: {tree:?}")),
    }
}

/// How a comparison ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Both read the document, to the same tree.
    BothAccepted,
    /// Both refused it.
    BothRefused,
    /// The reader refused it for a documented reason roxmltree does not share.
    Excused,
}

/// Why the reader may refuse `text` although roxmltree reads it, if it may. Each case is matched
/// on the reader's message and on the input at the offset it names, so that nothing else passes.
fn excused(e: &DecodeError, text: &str) -> Option<&'static str> {
    let message = match &e.kind {
        // Limits bound what a response may cost; roxmltree has none of these.
        DecodeErrorKind::Limit { .. } => return Some("a limit of the reader"),
        // The reader takes only UTF-8 (and ASCII) and says so; roxmltree reads the `&str` it is
        // given whatever the declaration says.
        DecodeErrorKind::Encoding(m) if m.contains("unsupported encoding") && text.starts_with("<?xml") => {
            return Some("an XML declaration naming another encoding");
        }
        // roxmltree takes an attribute named `p:xmlns` for a namespace declaration whatever `p`.
        DecodeErrorKind::UnboundPrefix(prefix) if text.contains(&format!("{prefix}:xmlns")) => {
            return Some("roxmltree: an attribute `p:xmlns` with `p` undeclared");
        }
        DecodeErrorKind::Syntax(m) => m.as_str(),
        _ => return None,
    };
    // Offsets count from after a byte order mark.
    let at = text.strip_prefix('\u{FEFF}').unwrap_or(text).get(usize::try_from(e.offset).ok()?..)?;
    if message.contains("is not a qualified name") && message.starts_with("`:") && at.starts_with(':') {
        return Some("roxmltree: a name with an empty prefix");
    }
    if message.contains("found `</:") && at.starts_with("</:") {
        return Some("roxmltree: an end tag with an empty prefix");
    }
    if message.contains("target must be followed by whitespace or `?>`") {
        return Some("roxmltree: a processing instruction's target not followed by whitespace");
    }
    if message.contains("may only stand at the very start") && at.starts_with("<?") {
        // roxmltree refuses `<?xml ` (with a space) anywhere but at the start, as the reader
        // does; it takes `<?XML ...?>`, `<?xml\t...?>`, `<?xml\n...?>` and the like for
        // processing instructions.
        return (!at.starts_with("<?xml "))
            .then_some("roxmltree: a processing instruction named xml in another case or form");
    }
    if message.starts_with("malformed XML declaration") && !valid_declaration(text) {
        return Some("roxmltree: an XML declaration's names and values are not all checked");
    }
    if message.contains("names no character") && at.starts_with("&#") {
        return Some("roxmltree: a character reference to no character read as U+FFFD");
    }
    if message.starts_with("the attribute `xmlns") && message.contains("appears twice") {
        return Some("roxmltree: a namespace declaration repeated in one start tag");
    }
    if message.contains("a prefix cannot be undeclared") {
        return Some("roxmltree: a prefix undeclared (Namespaces in XML 1.1)");
    }
    if message.contains("the prefix `xmlns` cannot be declared") {
        return Some("roxmltree: the prefix xmlns declared");
    }
    None
}

/// Whether `text` starts with an XML declaration as XML 1.0 defines it (`XMLDecl`): `version`,
/// then optionally `encoding` and `standalone`, each after whitespace, with `=` between
/// optional whitespace, a quoted value of the right form. Written here apart from the reader's
/// own check, so that a declaration the reader wrongly refused would not be excused.
fn valid_declaration(text: &str) -> bool {
    const WS: [char; 4] = [' ', '\t', '\r', '\n'];
    let Some(body) = text.strip_prefix("<?xml").and_then(|t| t.split_once("?>")).map(|(body, _)| body) else {
        return false;
    };
    let mut pairs = Vec::new();
    let mut rest = body;
    loop {
        let trimmed = rest.trim_start_matches(WS);
        if trimmed.is_empty() {
            break;
        }
        if trimmed.len() == rest.len() {
            return false;
        }
        let Some((name, after)) = trimmed.split_once('=') else { return false };
        let after = after.trim_start_matches(WS);
        let Some(quote) = after.chars().next().filter(|q| *q == '"' || *q == '\'') else { return false };
        let Some((value, tail)) = after[1..].split_once(quote) else { return false };
        pairs.push((name.trim_end_matches(WS), value));
        rest = tail;
    }
    let mut names = pairs.iter().map(|(n, _)| *n);
    let order_ok = match names.next() {
        Some("version") => {
            let tail: Vec<&str> = names.collect();
            matches!(tail.as_slice(), [] | ["encoding"] | ["standalone"] | ["encoding", "standalone"])
        }
        _ => false,
    };
    order_ok
        && pairs.iter().all(|(name, value)| match *name {
            "version" => {
                value.strip_prefix("1.").is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()))
            }
            "encoding" => {
                value.starts_with(|c: char| c.is_ascii_alphabetic())
                    && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            }
            _ => matches!(*value, "yes" | "no"),
        })
}

/// Whether two different trees differ only as roxmltree's reading of carriage returns before a
/// reference explains (see the module documentation): text for text, roxmltree may hold `\r`
/// where the reader holds `\n`, at most once per literal carriage return in the input, while the
/// reader's tree holds exactly one `\r` per character reference to one (so that none of those
/// can hide behind the exception).
fn excused_tree(ours: &Element, theirs: &Element, text: &str) -> bool {
    // roxmltree takes an attribute named `p:xmlns` (an ordinary attribute in the namespace `p` is
    // bound to, for Namespaces in XML) for a declaration of the default namespace, which changes
    // the names of the elements in its scope: such documents are compared on well-formedness only.
    let prefixed_xmlns = text
        .match_indices(":xmlns")
        .any(|(i, _)| text[i + 6..].trim_start_matches([' ', '\t', '\r', '\n']).starts_with('='));
    if prefixed_xmlns {
        return true;
    }
    fn same_but_cr(a: &Element, b: &Element, swapped: &mut usize) -> bool {
        a.ns == b.ns
            && a.local == b.local
            && a.attributes == b.attributes
            && a.children.len() == b.children.len()
            && a.children.iter().zip(&b.children).all(|pair| match pair {
                (Node::Element(x), Node::Element(y)) => same_but_cr(x, y, swapped),
                (Node::Text(x), Node::Text(y)) => {
                    x.chars().count() == y.chars().count()
                        && x.chars().zip(y.chars()).all(|(c, d)| {
                            let cr_for_lf = c == '\n' && d == '\r';
                            *swapped += usize::from(cr_for_lf);
                            c == d || cr_for_lf
                        })
                }
                _ => false,
            })
    }
    fn crs(e: &Element) -> usize {
        e.children
            .iter()
            .map(|c| match c {
                Node::Text(t) => t.matches('\r').count(),
                Node::Element(e) => crs(e),
            })
            .sum()
    }
    let literal = text.matches('\r').count();
    if literal == 0 || crs(ours) != cr_references(text) {
        return false;
    }
    let mut swapped = 0;
    same_but_cr(ours, theirs, &mut swapped) && swapped <= literal
}

/// The number of character references to a carriage return (`&#13;`, `&#xD;`, with any leading
/// zeros) in the character data of `text` (a document both parsers read): not in tags (attribute
/// values are compared exactly), comments, processing instructions and CDATA sections (where
/// `&#xD;` is no reference).
fn cr_references(text: &str) -> usize {
    let mut count = 0;
    let mut rest = text;
    while let Some(i) = rest.find(['<', '&']) {
        rest = &rest[i..];
        let skip_to = |end: &str, rest: &str| rest.find(end).map_or(rest.len(), |e| e + end.len());
        if rest.starts_with("<!--") {
            rest = &rest[skip_to("-->", rest)..];
        } else if rest.starts_with("<?") {
            rest = &rest[skip_to("?>", rest)..];
        } else if rest.starts_with("<![CDATA[") {
            rest = &rest[skip_to("]]>", rest)..];
        } else if rest.starts_with('<') {
            // A tag: to its `>` outside quoted attribute values.
            let mut quote = None;
            let end = rest
                .char_indices()
                .find(|&(_, c)| match quote {
                    Some(q) if c == q => {
                        quote = None;
                        false
                    }
                    Some(_) => false,
                    None if c == '"' || c == '\'' => {
                        quote = Some(c);
                        false
                    }
                    None => c == '>',
                })
                .map_or(rest.len(), |(i, _)| i + 1);
            rest = &rest[end..];
        } else if let Some(reference) = rest.strip_prefix("&#") {
            let (digits, radix) = match reference.strip_prefix('x') {
                Some(hex) => (hex, 16),
                None => (reference, 10),
            };
            if let Some(end) = digits.find(';') {
                let digits = &digits[..end];
                if !digits.is_empty()
                    && digits.chars().all(|c| c.is_digit(radix))
                    && digits.chars().fold(0u32, |v, c| (v * radix + c.to_digit(radix).unwrap_or(0)).min(1 << 24)) == 13
                {
                    count += 1;
                }
            }
            rest = &rest[2..];
        } else {
            rest = &rest[1..];
        }
    }
    count
}

/// [`excused_tree`] on two one-element trees `<a>` whose texts are the pairs' first (the
/// reader's) and second (roxmltree's), for `text` (the smoke test's check of the exception).
pub fn excused_tree_for_test(text: &str, texts: &[(&str, &str)]) -> bool {
    let tree = |first: bool| Element {
        ns: String::new(),
        local: "a".into(),
        attributes: Vec::new(),
        children: texts.iter().map(|(a, b)| Node::Text(if first { a } else { b }.to_string())).collect(),
    };
    excused_tree(&tree(true), &tree(false), text)
}

/// roxmltree's element as the reader's tree: comments and processing instructions dropped, the
/// text around them joined (the reader never reports them).
pub fn element(node: roxmltree::Node<'_, '_>) -> Element {
    let mut children: Vec<Node> = Vec::new();
    for child in node.children() {
        if child.is_element() {
            children.push(Node::Element(element(child)));
        } else if child.is_text() {
            let text = child.text().unwrap_or_default();
            if text.is_empty() {
                continue;
            }
            match children.last_mut() {
                Some(Node::Text(previous)) => previous.push_str(text),
                _ => children.push(Node::Text(text.to_owned())),
            }
        }
    }
    Element {
        ns: node.tag_name().namespace().unwrap_or_default().to_owned(),
        local: node.tag_name().name().to_owned(),
        attributes: node
            .attributes()
            .map(|a| (a.namespace().unwrap_or_default().to_owned(), a.name().to_owned(), a.value().to_owned()))
            .collect(),
        children,
    }
}
