//! A namespace-aware pull reader for generated decoders, over a byte slice.
//!
//! Generated code walks an element's children with [`XmlReader::next_child`], matches each on
//! namespace URI + local name, and fills its fields with the slot helpers
//! ([`optional`](XmlReader::optional), [`nillable`](XmlReader::nillable), ...). The input is
//! checked once as UTF-8 and for characters XML does not allow, then cut into tokens by the
//! tokenizer (`tokenizer.rs`), which refuses what is not well-formed. Namespace bindings are
//! tracked on a small stack and resolved once per start tag; element and namespace names and
//! text without references borrow from the input.

use std::borrow::Cow;

use super::chars::{find_non_xml_char, is_xml_space};
use super::encoding::{check_prefix as check_encoding_prefix, not_utf8};
use super::error::{DecodeError, DecodeErrorKind};
use super::namespaces::Bindings;
use super::references::{attribute_value, line_ends, not_a_char, text_value};
use super::tokenizer::{RawAttributes, Token, TokenError, Tokenizer};
use super::writer::XSI_NS;
use crate::Nillable;
use crate::codec::{Codec, Plain};
use crate::value::SimpleType;
use crate::{Decode, Encode};

/// The namespace bound to the `xml` prefix by definition.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// The namespace of namespace declarations, which no prefix may be bound to.
const XMLNS_NS: &str = "http://www.w3.org/2000/xmlns/";

/// Limits that bound the work and memory one response can cost.
///
/// The defaults are far above what a SuperOffice installation sends in normal use (a
/// 10,000-row `GetUserInfoList` decodes with room to spare) and stop abuse long before it
/// costs real memory or time; the README's limits table gives the reasoning. Raise one with
/// the `with_*` methods, e.g. `DecodeLimits::default().with_max_list_items(1_000_000)`.
///
/// Independently of these, a reader refuses more than 1,024 namespace declarations in scope at
/// once (each lookup walks them).
///
/// New limits may be added (with defaults): build one from [`DecodeLimits::default`].
///
/// ```
/// use wsdlgen_runtime::{DecodeLimits, SoapClient};
///
/// let limits = DecodeLimits::default().with_max_list_items(1_000_000).with_max_depth(128);
/// assert_eq!(limits.max_list_items, 1_000_000);
/// assert_eq!(limits.max_text_len, wsdlgen_runtime::DEFAULT_MAX_TEXT_LEN);
///
/// let mut client = SoapClient::new("https://example.com/Service.svc");
/// client.set_decode_limits(limits);
/// assert_eq!(client.decode_limits(), limits);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeLimits {
    /// Deepest element nesting accepted (the envelope is depth 1). Default
    /// [`DEFAULT_MAX_DEPTH`]. Generated decoders recurse once per level, so this also
    /// bounds their stack use: in a debug build a 2 MiB thread stack (the default for spawned
    /// threads and tokio workers) holds a few hundred levels, so raise it with care.
    pub max_depth: usize,
    /// Longest text value (element text or attribute value), in bytes. Default
    /// [`DEFAULT_MAX_TEXT_LEN`].
    pub max_text_len: usize,
    /// Most items accepted in one repeated element or list (including the items of an
    /// `xs:list` value). Default [`DEFAULT_MAX_LIST_ITEMS`].
    pub max_list_items: usize,
    /// Largest size, in bytes, of an rpc/encoded message once its multi-reference values
    /// (`href="#id"`) are copied in where they are referenced. Default
    /// [`DEFAULT_MAX_EXPANDED_SIZE`]. A value referenced from many places is copied to each of
    /// them, so a small message of references to references can stand for an exponentially
    /// large one (a "reference bomb"): copying stops with an error at this size.
    pub max_expanded_size: usize,
}

/// Default [`DecodeLimits::max_depth`]: 64 (WCF's reader default is 32; the SOAP envelope
/// and wrapper elements take 4 levels, and recursive types such as nested exceptions need room).
pub const DEFAULT_MAX_DEPTH: usize = 64;
/// Default [`DecodeLimits::max_text_len`]: 16 MiB (a quarter of the default response size;
/// WCF's 8,192 characters would refuse ordinary stack traces and binary values).
pub const DEFAULT_MAX_TEXT_LEN: usize = 16 * 1024 * 1024;
/// Default [`DecodeLimits::max_list_items`]: 100,000 (ten times a 10,000-row list; WCF's
/// `maxArrayLength` is 16,384).
pub const DEFAULT_MAX_LIST_ITEMS: usize = 100_000;
/// Default [`DecodeLimits::max_expanded_size`]: 16 MiB (as much as one text value may hold;
/// a message whose shared values expand beyond it is refused, not copied on).
pub const DEFAULT_MAX_EXPANDED_SIZE: usize = 16 * 1024 * 1024;
/// Most namespace declarations a reader keeps in scope at once.
pub const MAX_NAMESPACE_BINDINGS: usize = 1024;

impl Default for DecodeLimits {
    fn default() -> Self {
        Self {
            max_depth: DEFAULT_MAX_DEPTH,
            max_text_len: DEFAULT_MAX_TEXT_LEN,
            max_list_items: DEFAULT_MAX_LIST_ITEMS,
            max_expanded_size: DEFAULT_MAX_EXPANDED_SIZE,
        }
    }
}

impl DecodeLimits {
    /// These limits with `max_depth` replaced.
    #[must_use]
    pub const fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// These limits with `max_text_len` replaced.
    #[must_use]
    pub const fn with_max_text_len(mut self, max_text_len: usize) -> Self {
        self.max_text_len = max_text_len;
        self
    }

    /// These limits with `max_expanded_size` replaced.
    #[must_use]
    pub const fn with_max_expanded_size(mut self, max_expanded_size: usize) -> Self {
        self.max_expanded_size = max_expanded_size;
        self
    }

    /// These limits with `max_list_items` replaced.
    #[must_use]
    pub const fn with_max_list_items(mut self, max_list_items: usize) -> Self {
        self.max_list_items = max_list_items;
        self
    }
}
/// An element start tag: its resolved name and its attributes.
#[derive(Debug, Clone)]
pub struct Start<'a> {
    /// The qualified name as written.
    name: &'a str,
    local: &'a str,
    ns: Cow<'a, str>,
    /// The attributes as written (their syntax checked by the tokenizer); empty when there are
    /// none other than namespace declarations.
    attributes: &'a str,
    depth: usize,
    offset: u64,
    /// Byte offset of the `<` of the start tag.
    begin: u64,
}

impl<'a> Start<'a> {
    /// The local name.
    #[inline]
    pub fn local(&self) -> &str {
        self.local
    }

    /// The namespace URI (empty for no namespace).
    #[inline]
    pub fn ns(&self) -> &str {
        &self.ns
    }

    /// Whether this element is `{ns}local`.
    #[inline]
    pub fn is(&self, ns: &str, local: &str) -> bool {
        self.local == local && *self.ns == *ns
    }

    /// Nesting depth: the root element is 1.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The prefixed name as written.
    pub fn qualified_name(&self) -> &str {
        self.name
    }

    /// Byte offset of the `<` of the start tag.
    pub(crate) fn begin(&self) -> u64 {
        self.begin
    }
}

/// Reads XML from a byte slice. See the module documentation.
pub struct XmlReader<'a> {
    tokens: Tokenizer<'a>,
    /// The input, after a UTF-8 byte order mark.
    input: &'a [u8],
    /// Why the input is not UTF-8, if it is not (then `tokens` reads nothing).
    not_utf8: Option<std::str::Utf8Error>,
    bindings: Bindings<'a>,
    /// Local names of the open elements, outermost first.
    path: Vec<&'a str>,
    limits: DecodeLimits,
    /// What [`XmlReader::push_back`] handed back, returned by the next `next_child`.
    pending: Option<Option<Start<'a>>>,
    /// Whether the input holds a carriage return: without one, text needs no line-end
    /// normalization.
    has_cr: bool,
}

impl std::fmt::Debug for XmlReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlReader")
            .field("position", &self.tokens.pos())
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl<'a> XmlReader<'a> {
    /// A reader over `input` with the default limits.
    pub fn new(input: &'a [u8]) -> Self {
        Self::with_limits(input, DecodeLimits::default())
    }

    /// A reader over `input` with the given limits.
    pub fn with_limits(input: &'a [u8], limits: DecodeLimits) -> Self {
        // A UTF-8 byte order mark is skipped: offsets count from after it, and raw XML (fault
        // details, `anyType` content) is sliced from what follows it.
        let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
        // Checked once, here: the tokenizer then works on text known to be UTF-8, and names and
        // values are borrowed from it without checking each one again.
        let (text, not_utf8) = match std::str::from_utf8(input) {
            Ok(text) => (text, None),
            Err(e) => ("", Some(e)),
        };
        Self {
            tokens: Tokenizer::new(text),
            input,
            not_utf8,
            bindings: Bindings::new(),
            path: Vec::with_capacity(16),
            limits,
            pending: None,
            has_cr: memchr::memchr(b'\r', input).is_some(),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> DecodeLimits {
        self.limits
    }

    /// An error of `kind` at the current element path.
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError { path: self.path_string(None), offset: self.tokens.pos() as u64, kind, excerpt: None }
    }

    /// An error of `kind` about the child `child` of the element `start`
    /// (used after `start`'s end tag, e.g. for a missing required child).
    pub fn error_in(&self, start: &Start<'_>, child: &str, kind: DecodeErrorKind) -> DecodeError {
        let mut path = self.path_string(Some(start));
        if !child.is_empty() {
            path.push('/');
            path.push_str(child);
        }
        DecodeError { path, offset: start.offset, kind, excerpt: None }
    }

    fn path_string(&self, last: Option<&Start<'_>>) -> String {
        let mut names: Vec<&str> = self.path.clone();
        if let Some(start) = last {
            names.truncate(start.depth - 1);
            names.push(start.local());
        }
        names.join("/")
    }

    /// A document the tokenizer refused, at the current element path.
    #[cold]
    fn refused(&self, e: TokenError) -> Box<DecodeError> {
        Box::new(DecodeError { path: self.path_string(None), offset: e.offset as u64, kind: e.kind, excerpt: None })
    }

    /// The next token: a start or end tag, text or a CDATA section (comments, processing
    /// instructions and the XML declaration are checked and passed over by the tokenizer).
    /// Refuses whatever is not well-formed, a DTD, and any reference other than the five
    /// predefined entities and character references XML allows, wherever they appear (also in
    /// skipped content).
    ///
    /// The error is boxed: this runs for every token, and a small `Result` is cheaper to pass
    /// back than one the size of a `DecodeError` (callers unbox it with `map_err(|e| *e)`).
    #[inline]
    fn read(&mut self) -> Result<Token, Box<DecodeError>> {
        self.tokens.next_token().map_err(|e| self.refused(*e))
    }

    /// Refuses a document with a character XML 1.0 does not allow anywhere (a control character
    /// other than tab, line feed and carriage return; U+FFFE; U+FFFF): such a document is not
    /// well-formed, and a value holding one could not be written back.
    fn check_chars(&self) -> Result<(), DecodeError> {
        match find_non_xml_char(self.input) {
            Some((offset, ch)) => {
                Err(DecodeError { path: String::new(), offset: offset as u64, kind: not_a_char(ch), excerpt: None })
            }
            None => Ok(()),
        }
    }

    /// Pushes the scope of the start tag just read and resolves its name.
    #[inline]
    fn enter(&mut self) -> Result<Start<'a>, DecodeError> {
        let tag = self.tokens.tag();
        let (name, colon, attributes) = (tag.name, tag.colon, tag.attributes);
        let (declares, prefixed, declarations_only) = (tag.declares, tag.prefixed, tag.declarations_only);
        let offset = self.tokens.pos() as u64;
        let depth = self.path.len() + 1;
        if depth > self.limits.max_depth {
            return Err(
                self.error(DecodeErrorKind::Limit { what: "element nesting depth", limit: self.limits.max_depth })
            );
        }
        let (prefix, local) = if colon == 0 { ("", name) } else { (&name[..colon], &name[colon + 1..]) };
        if declares {
            self.declare(local, depth)?;
        }
        let ns = match self.lookup(prefix) {
            Some(ns) => ns,
            None if colon == 0 => Cow::Borrowed(""),
            None => return Err(self.error(DecodeErrorKind::UnboundPrefix(prefix.to_owned()))),
        };
        if prefixed {
            self.check_attribute_names()?;
        }
        self.path.push(local);
        Ok(Start {
            name,
            local,
            ns,
            // Namespace declarations are read here, once: lookups need not pass over them.
            attributes: if declarations_only { "" } else { attributes },
            depth,
            offset,
            begin: self.tokens.token_start() as u64,
        })
    }

    /// Pushes the namespace declarations of a start tag, refusing those Namespaces in XML
    /// forbids: declaring `xmlns`, binding `xml` to another namespace or its namespace (or
    /// the `xmlns` one) to another prefix, undeclaring a prefix (`xmlns:p=""`).
    fn declare(&mut self, local: &'a str, depth: usize) -> Result<(), DecodeError> {
        for i in 0..self.tokens.attributes().len() {
            let (name, raw) = self.tokens.attributes()[i];
            let prefix = if name == "xmlns" {
                ""
            } else if let Some(p) = name.strip_prefix("xmlns:") {
                p
            } else {
                continue;
            };
            let uri = attribute_value(raw);
            let refused = match (prefix, &*uri) {
                ("xmlns", _) => Some("the prefix `xmlns` cannot be declared"),
                ("xml", XML_NS) => None,
                ("xml", _) => Some("the prefix `xml` cannot be bound to another namespace"),
                (_, XML_NS) => Some("the XML namespace can only be bound to the prefix `xml`"),
                (_, XMLNS_NS) => Some("the namespace of namespace declarations cannot be declared"),
                (p, "") if !p.is_empty() => Some("a prefix cannot be undeclared (`xmlns:p=\"\"`) in XML 1.0"),
                _ => None,
            };
            if let Some(message) = refused {
                return Err(self.error(DecodeErrorKind::Syntax(format!("{message}: `{name}`"))));
            }
            if self.bindings.len() >= MAX_NAMESPACE_BINDINGS {
                self.path.push(local);
                let e =
                    DecodeErrorKind::Limit { what: "namespace declarations in scope", limit: MAX_NAMESPACE_BINDINGS };
                let e = self.error(e);
                self.path.pop();
                return Err(e);
            }
            self.bindings.push(prefix, uri, depth);
        }
        Ok(())
    }

    /// Refuses an attribute whose prefix is not declared, and two attributes of one start tag
    /// with the same namespace and local name (`a:x` and `b:x` with `a` and `b` bound to the
    /// same namespace).
    #[inline]
    fn check_attribute_names(&self) -> Result<(), DecodeError> {
        let mut prefixed = 0;
        for &(name, _) in self.tokens.attributes() {
            let Some((prefix, _)) = name.split_once(':') else { continue };
            if prefix == "xmlns" {
                continue;
            }
            if self.lookup(prefix).is_none() {
                return Err(self.error(DecodeErrorKind::UnboundPrefix(prefix.to_owned())));
            }
            prefixed += 1;
        }
        if prefixed > 1 { self.check_expanded_names() } else { Ok(()) }
    }

    /// Refuses two prefixed attributes of one start tag with the same namespace and local name.
    #[cold]
    fn check_expanded_names(&self) -> Result<(), DecodeError> {
        let mut names: Vec<(&'a str, Cow<'a, str>)> = self
            .tokens
            .attributes()
            .iter()
            .filter_map(|(name, _)| name.split_once(':'))
            .filter(|(prefix, _)| *prefix != "xmlns")
            .filter_map(|(prefix, local)| Some((local, self.lookup(prefix)?)))
            .collect();
        names.sort_unstable();
        match names.windows(2).find(|w| w[0] == w[1]) {
            Some(w) => {
                let (local, ns) = &w[0];
                Err(self
                    .error(DecodeErrorKind::Syntax(format!("two attributes named {{{ns}}}{local} in one start tag"))))
            }
            None => Ok(()),
        }
    }

    /// The input not read yet: after [`next_child`](Self::next_child), what follows the start
    /// tag it returned (for the redaction of secrets, which works on byte ranges).
    pub(crate) fn rest(&self) -> &'a str {
        let input = self.tokens.input();
        input.get(self.tokens.pos()..).unwrap_or_default()
    }

    /// The attributes of `start` other than namespace declarations, as `(namespace, local
    /// name, value as written)`; `None` for the namespace of an undeclared prefix.
    pub(crate) fn raw_attributes(
        &self,
        start: &Start<'a>,
    ) -> impl Iterator<Item = (Option<Cow<'a, str>>, &'a str, &'a str)> + '_ {
        RawAttributes::new(start.attributes).filter_map(move |(key, raw)| {
            let (prefix, local) = key.split_once(':').unwrap_or(("", key));
            if prefix == "xmlns" || key == "xmlns" {
                return None;
            }
            let ns = if prefix.is_empty() { Some(Cow::Borrowed("")) } else { self.lookup(prefix) };
            Some((ns, local, raw))
        })
    }

    #[inline]
    fn lookup(&self, prefix: &str) -> Option<Cow<'a, str>> {
        if prefix.len() == 3 && prefix == "xml" {
            return Some(Cow::Borrowed(XML_NS));
        }
        self.bindings.lookup(prefix)
    }

    #[inline]
    fn leave(&mut self) {
        let depth = self.path.len();
        self.path.pop();
        self.bindings.leave(depth);
    }

    /// Reads up to and including the root element's start tag, checking the XML
    /// declaration and skipping comments, processing instructions and whitespace.
    ///
    /// Input in an encoding other than UTF-8 (a UTF-16 byte order mark, or a declaration such
    /// as `encoding="utf-16"`) is refused with [`DecodeErrorKind::Encoding`].
    pub fn root(&mut self) -> Result<Start<'a>, DecodeError> {
        if let Err(kind) = check_encoding_prefix(self.input) {
            return Err(DecodeError { path: String::new(), offset: 0, kind, excerpt: None });
        }
        self.check_chars()?;
        if let Some(e) = self.not_utf8 {
            return Err(DecodeError {
                path: String::new(),
                offset: e.valid_up_to() as u64,
                kind: not_utf8(e),
                excerpt: None,
            });
        }
        match self.read().map_err(|e| *e)? {
            Token::Start => self.enter(),
            // Before the root element the tokenizer returns a start tag or an error.
            _ => Err(self.error(DecodeErrorKind::NoRoot)),
        }
    }

    /// The next child element of the element being read, or `None` at its end tag.
    ///
    /// Each child returned must be read to its end (by a `Decode` impl, a slot helper
    /// or [`skip`](Self::skip)) before the next call. Text between children is ignored.
    #[inline]
    pub fn next_child(&mut self) -> Result<Option<Start<'a>>, DecodeError> {
        if let Some(pending) = self.pending.take() {
            return Ok(pending);
        }
        loop {
            match self.read().map_err(|e| *e)? {
                Token::Start => return self.enter().map(Some),
                Token::End => {
                    self.leave();
                    return Ok(None);
                }
                Token::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
                Token::Text | Token::CData => {}
            }
        }
    }

    /// [`next_child`](Self::next_child) for element-only content (the items of a SOAP array):
    /// text other than whitespace between the children is an error instead of being passed
    /// over, since a value sent where items belong would otherwise be lost without a word.
    pub fn next_item(&mut self) -> Result<Option<Start<'a>>, DecodeError> {
        if let Some(pending) = self.pending.take() {
            return Ok(pending);
        }
        loop {
            match self.read().map_err(|e| *e)? {
                Token::Start => return self.enter().map(Some),
                Token::End => {
                    self.leave();
                    return Ok(None);
                }
                Token::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
                Token::Text | Token::CData => {
                    let text = self.tokens.text();
                    if !text.trim_matches(is_xml_space).is_empty() {
                        let message = format!("text {} where array items are expected", quote_excerpt(text));
                        return Err(self.error(DecodeErrorKind::SoapEncoding(message)));
                    }
                }
            }
        }
    }

    /// Hands back what [`next_child`](Self::next_child) returned, so that its next call returns
    /// it again: a decoder reading a run of sibling elements (a sequence inside a choice) stops
    /// at the first one that is not its own. At most one item is held.
    pub fn push_back(&mut self, next: Option<Start<'a>>) {
        self.pending = Some(next);
    }

    /// Skips the rest of the element `start` opened, including its end tag.
    pub fn skip(&mut self, start: &Start<'a>) -> Result<(), DecodeError> {
        while self.path.len() >= start.depth {
            match self.read().map_err(|e| *e)? {
                Token::Start => {
                    self.enter()?;
                }
                Token::End => self.leave(),
                Token::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
                Token::Text | Token::CData => {}
            }
        }
        Ok(())
    }

    /// Reads the text content of the element `start` opened, up to its end tag.
    /// Comments and processing instructions are skipped; a child element is an error.
    pub fn text(&mut self, start: &Start<'a>) -> Result<Cow<'a, str>, DecodeError> {
        self.text_boxed(start).map_err(|e| *e)
    }

    /// [`text`](Self::text) with a boxed error (a smaller `Result`, for the per-value path).
    #[inline]
    fn text_boxed(&mut self, _start: &Start<'a>) -> Result<Cow<'a, str>, Box<DecodeError>> {
        let mut text: Cow<'a, str> = Cow::Borrowed("");
        loop {
            let piece: Cow<'a, str> = match self.read()? {
                // Line ends are normalized (`\r\n` and `\r` to `\n`); without any `\r` in the
                // input there is nothing to normalize.
                Token::Text if self.tokens.references() || self.has_cr => text_value(self.tokens.text(), self.has_cr),
                Token::Text => Cow::Borrowed(self.tokens.text()),
                Token::CData if self.has_cr => line_ends(self.tokens.text()),
                Token::CData => Cow::Borrowed(self.tokens.text()),
                Token::Start => {
                    let name = self.tokens.tag().name.to_owned();
                    return Err(Box::new(self.error(DecodeErrorKind::ElementInText(name))));
                }
                Token::End => {
                    self.leave();
                    return Ok(text);
                }
                Token::Eof => return Err(Box::new(self.error(DecodeErrorKind::UnexpectedEof))),
            };
            // Checked before concatenating: a long piece is refused without being copied again.
            self.check_text_len(text.len() + piece.len())?;
            if text.is_empty() {
                text = piece;
            } else {
                text.to_mut().push_str(&piece);
            }
        }
    }

    /// Reads and parses the text content of `start` as a `T`.
    pub fn simple<T: SimpleType>(&mut self, start: &Start<'a>) -> Result<T, DecodeError> {
        let text = self.text_boxed(start).map_err(|e| *e)?;
        let text = if T::COLLAPSE { text.trim_matches(is_xml_space) } else { &text };
        if T::LIST {
            self.check_list_text(start, text)?;
        }
        T::parse_text(text).map_err(|mut e| {
            e.reason = format!("{} (found {})", e.reason, quote_excerpt(text));
            self.error_in(start, "", e.into())
        })
    }

    /// The value of the attribute `{ns}local` of `start` (`ns` empty for an unqualified attribute).
    pub fn attribute(&self, start: &Start<'a>, ns: &str, local: &str) -> Result<Option<Cow<'a, str>>, DecodeError> {
        // A name holds no references, so an attribute named `local` has it written literally in
        // the tag: without it there, there is no such attribute (the attributes' syntax was
        // checked by the tokenizer).
        if !contains(start.attributes.as_bytes(), local.as_bytes()) {
            return Ok(None);
        }
        for (key, raw) in RawAttributes::new(start.attributes) {
            let (prefix, name) = match key.split_once(':') {
                Some((p, l)) => (p, l),
                None => ("", key),
            };
            if name != local || prefix == "xmlns" || key == "xmlns" {
                continue;
            }
            let attr_ns = if prefix.is_empty() {
                Cow::Borrowed("")
            } else {
                match self.lookup(prefix) {
                    Some(ns) => ns,
                    None => return Err(self.error(DecodeErrorKind::UnboundPrefix(prefix.to_owned()))),
                }
            };
            if attr_ns != ns {
                continue;
            }
            let value = attribute_value(raw);
            if value.len() > self.limits.max_text_len {
                let limit = self.limits.max_text_len;
                return Err(self.error(DecodeErrorKind::Limit { what: "attribute length", limit }));
            }
            return Ok(Some(value));
        }
        Ok(None)
    }

    /// Parses the attribute `{ns}local` of `start` as a `T`, if present.
    pub fn parse_attribute<T: SimpleType>(
        &self,
        start: &Start<'a>,
        ns: &str,
        local: &str,
    ) -> Result<Option<T>, DecodeError> {
        match self.attribute(start, ns, local)? {
            None => Ok(None),
            Some(text) => {
                let text = if T::COLLAPSE { text.trim_matches(is_xml_space) } else { &text };
                if T::LIST {
                    self.check_list_text(start, text).map_err(|mut err| {
                        err.path.push_str("/@");
                        err.path.push_str(local);
                        err
                    })?;
                }
                T::parse_text(text).map(Some).map_err(|e| {
                    let mut err = self.error(e.into());
                    err.path.push_str("/@");
                    err.path.push_str(local);
                    err
                })
            }
        }
    }

    /// Whether `start` carries `xsi:nil="true"`.
    #[inline]
    pub fn is_nil(&self, start: &Start<'a>) -> Result<bool, DecodeError> {
        if start.attributes.is_empty() {
            return Ok(false);
        }
        match self.attribute(start, XSI_NS, "nil")? {
            Some(v) => Ok(matches!(v.trim_matches(is_xml_space), "true" | "1")),
            None => Ok(false),
        }
    }

    /// Reads a nil element (skipping whatever it holds) and returns `None`, or decodes it through `C`.
    #[inline]
    fn value_or_nil<C: Codec>(&mut self, start: &Start<'a>) -> Result<Option<C::Value>, DecodeError> {
        if self.is_nil(start)? {
            self.skip(start)?;
            Ok(None)
        } else {
            C::decode(self, start).map(Some)
        }
    }

    fn duplicate(&self, start: &Start<'a>) -> DecodeError {
        self.error_in(start, "", DecodeErrorKind::Duplicate(start.local().to_owned()))
    }

    /// Fills an optional (or, before [`require`](Self::require), a required) field.
    #[inline]
    pub fn optional<T: Decode + Encode>(&mut self, start: &Start<'a>, slot: &mut Option<T>) -> Result<(), DecodeError> {
        self.optional_as(Plain::<T>::new(), start, slot)
    }

    /// Fills an optional field through `codec` (a zero-sized value naming the codec type).
    #[inline]
    pub fn optional_as<C: Codec>(
        &mut self,
        _: C,
        start: &Start<'a>,
        slot: &mut Option<C::Value>,
    ) -> Result<(), DecodeError> {
        if slot.is_some() {
            return Err(self.duplicate(start));
        }
        // `xsi:nil` on an element the schema does not make nillable (some servers write it for
        // null values anyway): read as absent, which is what it means; nothing is lost.
        if self.is_nil(start)? {
            return self.skip(start);
        }
        *slot = Some(C::decode(self, start)?);
        Ok(())
    }

    /// Fills an optional, nillable field.
    #[inline]
    pub fn nillable<T: Decode + Encode>(
        &mut self,
        start: &Start<'a>,
        slot: &mut Nillable<T>,
    ) -> Result<(), DecodeError> {
        self.nillable_as(Plain::<T>::new(), start, slot)
    }

    /// Fills an optional, nillable field through `codec` (a zero-sized value naming the codec type).
    #[inline]
    pub fn nillable_as<C: Codec>(
        &mut self,
        _: C,
        start: &Start<'a>,
        slot: &mut Nillable<C::Value>,
    ) -> Result<(), DecodeError> {
        if !slot.is_absent() {
            return Err(self.duplicate(start));
        }
        *slot = self.value_or_nil::<C>(start)?.into();
        Ok(())
    }

    /// Fills a required, nillable field (`Some(None)` once read as nil).
    #[inline]
    pub fn nil_or<T: Decode + Encode>(
        &mut self,
        start: &Start<'a>,
        slot: &mut Option<Option<T>>,
    ) -> Result<(), DecodeError> {
        self.nil_or_as(Plain::<T>::new(), start, slot)
    }

    /// Fills a required, nillable field through `codec` (a zero-sized value naming the codec type).
    #[inline]
    pub fn nil_or_as<C: Codec>(
        &mut self,
        _: C,
        start: &Start<'a>,
        slot: &mut Option<Option<C::Value>>,
    ) -> Result<(), DecodeError> {
        if slot.is_some() {
            return Err(self.duplicate(start));
        }
        *slot = Some(self.value_or_nil::<C>(start)?);
        Ok(())
    }

    /// Checks that one more item may be added to a list that holds `len` items
    /// ([`DecodeLimits::max_list_items`]); for generated codecs that fill collections
    /// themselves (dictionaries).
    #[inline]
    pub fn check_list_len(&self, len: usize) -> Result<(), DecodeError> {
        if len >= self.limits.max_list_items {
            let limit = self.limits.max_list_items;
            return Err(self.error(DecodeErrorKind::Limit { what: "number of list items", limit }));
        }
        Ok(())
    }

    /// Checks the number of items of an `xs:list` value before it is split and parsed.
    fn check_list_text(&self, start: &Start<'a>, text: &str) -> Result<(), DecodeError> {
        // Items are separated by whitespace; a cheap upper bound first.
        let limit = self.limits.max_list_items;
        if text.len().div_ceil(2) <= limit {
            return Ok(());
        }
        let items = text.split(is_xml_space).filter(|s| !s.is_empty()).take(limit.saturating_add(1)).count();
        if items > limit {
            return Err(self.error_in(start, "", DecodeErrorKind::Limit { what: "number of list items", limit }));
        }
        Ok(())
    }

    /// Appends one item of a repeated element.
    #[inline]
    pub fn repeated<T: Decode + Encode>(&mut self, start: &Start<'a>, items: &mut Vec<T>) -> Result<(), DecodeError> {
        self.repeated_as(Plain::<T>::new(), start, items)
    }

    /// Appends one item of a repeated element through `codec` (a zero-sized value naming the codec type).
    #[inline]
    pub fn repeated_as<C: Codec>(
        &mut self,
        _: C,
        start: &Start<'a>,
        items: &mut Vec<C::Value>,
    ) -> Result<(), DecodeError> {
        self.check_list_len(items.len())?;
        items.push(C::decode(self, start)?);
        Ok(())
    }

    /// Appends one item of a repeated, nillable element (`None` for a nil item).
    #[inline]
    pub fn repeated_nil_or<T: Decode + Encode>(
        &mut self,
        start: &Start<'a>,
        items: &mut Vec<Option<T>>,
    ) -> Result<(), DecodeError> {
        self.repeated_nil_or_as(Plain::<T>::new(), start, items)
    }

    /// Appends one item of a repeated, nillable element through `codec` (a zero-sized value naming the codec type).
    #[inline]
    pub fn repeated_nil_or_as<C: Codec>(
        &mut self,
        _: C,
        start: &Start<'a>,
        items: &mut Vec<Option<C::Value>>,
    ) -> Result<(), DecodeError> {
        self.check_list_len(items.len())?;
        let item = self.value_or_nil::<C>(start)?;
        items.push(item);
        Ok(())
    }

    /// The value of a required field read into `slot`, or a "missing" error naming `name`
    /// as a child of `parent`.
    #[inline]
    pub fn require<T>(&self, parent: &Start<'a>, name: &str, slot: Option<T>) -> Result<T, DecodeError> {
        slot.ok_or_else(|| self.error_in(parent, name, DecodeErrorKind::Missing(name.to_owned())))
    }

    /// Checks that `start` is `{ns}local`.
    pub fn expect(&self, start: &Start<'a>, ns: &str, local: &str) -> Result<(), DecodeError> {
        if start.is(ns, local) {
            Ok(())
        } else {
            Err(self.error_in(
                start,
                "",
                DecodeErrorKind::UnexpectedElement {
                    expected: format!("{{{ns}}}{local}"),
                    found_ns: start.ns().to_owned(),
                    found: start.local().to_owned(),
                },
            ))
        }
    }

    /// How many namespace declarations are in scope.
    pub(crate) fn bindings_len(&self) -> usize {
        self.bindings.len()
    }

    /// The in-scope namespace bindings, innermost last (for capturing raw XML).
    pub(crate) fn in_scope(&self) -> Vec<(String, String)> {
        self.bindings.in_scope_above(usize::MAX)
    }

    /// The in-scope namespace bindings declared outside the element `start` opened (those on
    /// the element itself are part of its own text).
    pub(crate) fn in_scope_outside(&self, start: &Start<'a>) -> Vec<(String, String)> {
        self.bindings.in_scope_above(start.depth)
    }

    /// The namespace URI bound to `prefix` (`""` for the default namespace) where the reader is.
    pub fn namespace_of(&self, prefix: &str) -> Option<Cow<'a, str>> {
        self.lookup(prefix)
    }

    /// The type named by the `xsi:type` attribute of `start`, as namespace URI and local name.
    pub fn xsi_type(&self, start: &Start<'a>) -> Result<Option<(String, String)>, DecodeError> {
        if start.attributes.is_empty() {
            return Ok(None);
        }
        let Some(value) = self.attribute(start, super::writer::XSI_NS, "type")? else {
            return Ok(None);
        };
        let value = value.trim_matches(is_xml_space);
        let (prefix, local) = value.split_once(':').unwrap_or(("", value));
        match self.lookup(prefix) {
            Some(ns) => Ok(Some((ns.into_owned(), local.to_owned()))),
            None if prefix.is_empty() => Ok(Some((String::new(), local.to_owned()))),
            None => Err(self.error_in(start, "@type", DecodeErrorKind::UnboundPrefix(prefix.to_owned()))),
        }
    }

    /// Every attribute of `start` other than namespace declarations and `xsi:` attributes, as
    /// `(namespace URI, local name, value)`.
    pub fn attributes_of(&self, start: &Start<'a>) -> Result<Vec<(String, String, String)>, DecodeError> {
        self.attributes_but(start, super::writer::XSI_NS)
    }

    /// Every attribute of `start` other than namespace declarations (for `tree.rs`).
    pub(super) fn all_attributes(&self, start: &Start<'a>) -> Result<Vec<(String, String, String)>, DecodeError> {
        self.attributes_but(start, "")
    }

    /// The next token (for `tree.rs`), and its text for a text or CDATA token.
    pub(super) fn read_token(&mut self) -> Result<(Token, &'a str, bool), DecodeError> {
        let token = self.read().map_err(|e| *e)?;
        Ok((token, self.tokens.text(), self.tokens.references()))
    }

    /// Enters the element whose start tag was just read (for `tree.rs`).
    pub(super) fn enter_tag(&mut self) -> Result<Start<'a>, DecodeError> {
        self.enter()
    }

    /// Leaves the element whose end tag was read (for `tree.rs`).
    pub(super) fn leave_element(&mut self) {
        self.leave()
    }

    /// The attributes of `start` other than namespace declarations and those in the namespace
    /// `skip_ns` (none when it is empty).
    fn attributes_but(&self, start: &Start<'a>, skip_ns: &str) -> Result<Vec<(String, String, String)>, DecodeError> {
        let mut out = Vec::new();
        for (key, raw) in RawAttributes::new(start.attributes) {
            if key == "xmlns" || key.starts_with("xmlns:") {
                continue;
            }
            let (prefix, local) = key.split_once(':').unwrap_or(("", key));
            let ns = if prefix.is_empty() {
                String::new()
            } else {
                match self.lookup(prefix) {
                    Some(ns) => ns.into_owned(),
                    None => return Err(self.error(DecodeErrorKind::UnboundPrefix(prefix.to_owned()))),
                }
            };
            if !skip_ns.is_empty() && ns == skip_ns {
                continue;
            }
            let value = attribute_value(raw);
            if value.len() > self.limits.max_text_len {
                let limit = self.limits.max_text_len;
                return Err(self.error(DecodeErrorKind::Limit { what: "attribute length", limit }));
            }
            out.push((ns, local.to_owned(), value.into_owned()));
        }
        Ok(out)
    }

    /// The input as text (empty when it is not UTF-8, which `root` refuses).
    fn text_of(&self, range: std::ops::Range<usize>) -> &'a str {
        let input = self.tokens.input();
        let end = range.end.min(input.len());
        input.get(range.start.min(end)..end).unwrap_or_default()
    }

    /// The exact text of the element `start` opened, start and end tags included, reading up
    /// to and including its end tag.
    pub fn outer_xml(&mut self, start: &Start<'a>) -> Result<&'a str, DecodeError> {
        self.skip(start)?;
        Ok(self.text_of(start.begin as usize..self.tokens.pos()))
    }

    /// The exact bytes of the content of the element `start` opened (between its start and
    /// end tags), reading up to and including its end tag.
    pub fn inner_xml(&mut self, start: &Start<'a>) -> Result<&'a str, DecodeError> {
        let begin = self.tokens.pos();
        let mut end = begin;
        while self.path.len() >= start.depth {
            match self.read().map_err(|e| *e)? {
                Token::Start => {
                    self.enter()?;
                }
                Token::End => {
                    if self.path.len() == start.depth {
                        // Where the end tag starts (for `<a/>`, where the tag ends: no content).
                        end = self.tokens.token_start();
                    }
                    self.leave();
                }
                Token::Text | Token::CData => self.check_text_len(self.tokens.text().len())?,
                Token::Eof => return Err(self.error(DecodeErrorKind::UnexpectedEof)),
            }
        }
        Ok(self.text_of(begin..end.max(begin)))
    }

    fn check_text_len(&self, len: usize) -> Result<(), DecodeError> {
        if len > self.limits.max_text_len {
            let limit = self.limits.max_text_len;
            return Err(self.error(DecodeErrorKind::Limit { what: "text length", limit }));
        }
        Ok(())
    }

    /// Reads what follows the root element: only comments, processing instructions and
    /// whitespace may.
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        match self.read().map_err(|e| *e)? {
            Token::Eof => Ok(()),
            _ => Err(self.error(DecodeErrorKind::Syntax("content after the root element".into()))),
        }
    }
}

/// Whether `needle` occurs in `haystack`. For the short needles and haystacks of attribute text
/// (`memchr::memmem::find` builds a searcher on every call, which costs more than the search).
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let mut at = 0;
    while let Some(i) = memchr::memchr(first, &haystack[at..]) {
        let after = at + i + 1;
        if haystack[after..].iter().take(rest.len()).eq(rest) {
            return true;
        }
        at = after;
    }
    false
}

/// The start of a rejected value, quoted, for error messages.
fn quote_excerpt(text: &str) -> String {
    const MAX: usize = 64;
    let mut out: String = text.chars().take(MAX).collect();
    if text.chars().nth(MAX).is_some() {
        out.push('…');
    }
    format!("{out:?}")
}

/// Decodes a whole document whose root element is `{ns}local`, as a `T`.
pub fn from_xml<T: Decode>(input: &[u8], ns: &str, local: &str) -> Result<T, DecodeError> {
    let mut r = XmlReader::new(input);
    let root = r.root()?;
    r.expect(&root, ns, local)?;
    let value = T::decode(&mut r, &root)?;
    r.finish()?;
    Ok(value)
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    #[test]
    fn contains_finds_substrings() {
        assert!(contains(b" xmlns:i=\"x\"", b"xmlns"));
        assert!(contains(b"nnil", b"nil"));
        assert!(contains(b"abc", b""));
        assert!(!contains(b"xmln", b"xmlns"));
        assert!(!contains(b"", b"nil"));
        assert!(!contains(b"n n n", b"nil"));
    }

    #[test]
    fn refused_characters_are_refused_at_their_offset() {
        for at in [0, 1, 255, 256, 300, 511] {
            let mut doc = vec![b'a'; 600];
            doc[at] = 1;
            let r = XmlReader::new(&doc);
            assert_eq!(r.check_chars().unwrap_err().offset, at as u64, "at {at}");
        }
    }

    #[test]
    fn text_without_carriage_returns_is_read_as_is() {
        let mut r = XmlReader::new(b"<a>x\ny</a>");
        let root = r.root().unwrap();
        assert!(matches!(r.text(&root).unwrap(), Cow::Borrowed("x\ny")));
        let mut r = XmlReader::new(b"<a>x\r\ny\rz</a>");
        let root = r.root().unwrap();
        assert_eq!(r.text(&root).unwrap(), "x\ny\nz");
    }

    #[test]
    fn attribute_lookup_and_syntax_checks() {
        let doc = br#"<a xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><b i:nil="true"/><c x="1"/></a>"#;
        let mut r = XmlReader::new(doc);
        r.root().unwrap();
        let b = r.next_child().unwrap().unwrap();
        assert!(r.is_nil(&b).unwrap());
        r.skip(&b).unwrap();
        let c = r.next_child().unwrap().unwrap();
        assert!(!r.is_nil(&c).unwrap());
        assert_eq!(r.attribute(&c, "", "x").unwrap().as_deref(), Some("1"));
        assert_eq!(r.attribute(&c, "", "y").unwrap(), None);
        r.skip(&c).unwrap();
        assert!(r.next_child().unwrap().is_none());
        // A duplicate attribute is refused when the element is read, read or not.
        let mut r = XmlReader::new(br#"<a><b x="1" x="2"/></a>"#);
        r.root().unwrap();
        assert!(r.next_child().is_err());
    }

    #[test]
    fn namespace_constraints() {
        let refused = |doc: &str| {
            let mut r = XmlReader::new(doc.as_bytes());
            let root = r.root();
            root.and_then(|root| r.skip(&root)).and_then(|()| r.finish()).unwrap_err()
        };
        assert_eq!(refused("<a p:x=\"1\"/>").kind, DecodeErrorKind::UnboundPrefix("p".into()));
        assert_eq!(refused("<p:a/>").kind, DecodeErrorKind::UnboundPrefix("p".into()));
        for doc in [
            "<a xmlns:p=\"\"/>",
            "<a xmlns:xmlns=\"urn:x\"/>",
            "<a xmlns:xml=\"urn:x\"/>",
            "<a xmlns:p=\"http://www.w3.org/XML/1998/namespace\"/>",
            "<a xmlns=\"http://www.w3.org/2000/xmlns/\"/>",
            "<a xmlns:p=\"urn:x\" xmlns:q=\"urn:x\" p:x=\"1\" q:x=\"2\"/>",
        ] {
            assert!(matches!(refused(doc).kind, DecodeErrorKind::Syntax(_)), "{doc}");
        }
        let mut r =
            XmlReader::new(b"<a xmlns:xml=\"http://www.w3.org/XML/1998/namespace\" xml:lang=\"en\" xmlns=\"\"/>");
        let root = r.root().unwrap();
        assert_eq!(r.attribute(&root, XML_NS, "lang").unwrap().as_deref(), Some("en"));
    }
}
