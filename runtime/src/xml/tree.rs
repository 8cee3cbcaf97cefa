//! A whole document read into a plain tree through the same reader generated decoders use: for
//! differential tests of the reader against other XML parsers (the `tokenize_differential` fuzz
//! target, the property tests). Not used on the decode path.

use super::error::{DecodeError, DecodeErrorKind};
use super::reader::{DecodeLimits, Start, XmlReader};
use super::references::{line_ends, text_value};
use super::tokenizer::Token;

/// An element: its namespace URI, local name, attributes and children.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    /// Namespace URI (empty for none).
    pub ns: String,
    /// Local name.
    pub local: String,
    /// Attributes other than namespace declarations, in document order, as
    /// `(namespace URI, local name, normalized value)`.
    pub attributes: Vec<(String, String, String)>,
    /// Child elements and text, in document order; adjacent text (character data, references,
    /// CDATA sections, with comments and processing instructions between them) is one node.
    pub children: Vec<Node>,
}

/// A child of an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A child element.
    Element(Element),
    /// Text: references replaced, line ends normalized.
    Text(String),
}

/// Reads the whole of `input` (root element and what follows it) into a tree.
pub fn read_tree(input: &[u8], limits: DecodeLimits) -> Result<Element, DecodeError> {
    let mut r = XmlReader::with_limits(input, limits);
    let root = r.root()?;
    let mut stack = vec![element(&r, &root)?];
    loop {
        match r.read_token()? {
            (Token::Start, _, _) => {
                let start = r.enter_tag()?;
                stack.push(element(&r, &start)?);
            }
            (Token::End, _, _) => {
                r.leave_element();
                let done = stack.pop().unwrap_or_default();
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(done)),
                    None => {
                        r.finish()?;
                        return Ok(done);
                    }
                }
            }
            (Token::Text, raw, _) => push_text(&mut stack, &text_value(raw, true)),
            (Token::CData, raw, _) => push_text(&mut stack, &line_ends(raw)),
            (Token::Eof, _, _) => return Err(r.error(DecodeErrorKind::UnexpectedEof)),
        }
    }
}

fn push_text(stack: &mut [Element], text: &str) {
    let Some(parent) = stack.last_mut() else { return };
    if text.is_empty() {
        return;
    }
    match parent.children.last_mut() {
        Some(Node::Text(previous)) => previous.push_str(text),
        _ => parent.children.push(Node::Text(text.to_owned())),
    }
}

fn element(r: &XmlReader<'_>, start: &Start<'_>) -> Result<Element, DecodeError> {
    Ok(Element {
        ns: start.ns().to_owned(),
        local: start.local().to_owned(),
        attributes: r.all_attributes(start)?,
        children: Vec::new(),
    })
}
