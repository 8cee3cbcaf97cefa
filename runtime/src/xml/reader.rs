//! A namespace-aware pull reader for generated decoders, over a byte slice.
//!
//! Generated code walks an element's children with [`XmlReader::next_child`], matches each on
//! namespace URI + local name, and fills its fields with the slot helpers
//! ([`optional`](XmlReader::optional), [`nillable`](XmlReader::nillable), ...). Namespace
//! bindings are tracked on a small stack and resolved once per start tag; element and
//! namespace names borrow from the input.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};

use super::error::{DecodeError, DecodeErrorKind};
use super::writer::XSI_NS;
use crate::Nillable;
use crate::codec::{Codec, Plain};
use crate::value::SimpleType;
use crate::{Decode, Encode};

/// The namespace bound to the `xml` prefix by definition.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// Limits that bound the work and memory one response can cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Deepest element nesting accepted (the envelope is depth 1).
    pub max_depth: usize,
    /// Longest text value (element text or attribute value), in bytes.
    pub max_text_len: usize,
    /// Most items accepted in one repeated element or list.
    pub max_list_items: usize,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self { max_depth: 64, max_text_len: 16 * 1024 * 1024, max_list_items: 1_000_000 }
    }
}

/// An element start tag: its resolved name and its attributes.
#[derive(Debug, Clone)]
pub struct Start<'a> {
    raw: BytesStart<'a>,
    local: Cow<'a, str>,
    ns: Cow<'a, str>,
    depth: usize,
    offset: u64,
}

impl<'a> Start<'a> {
    /// The local name.
    #[inline]
    pub fn local(&self) -> &str {
        &self.local
    }

    /// The namespace URI (empty for no namespace).
    #[inline]
    pub fn ns(&self) -> &str {
        &self.ns
    }

    /// Whether this element is `{ns}local`.
    #[inline]
    pub fn is(&self, ns: &str, local: &str) -> bool {
        *self.local == *local && *self.ns == *ns
    }

    /// Nesting depth: the root element is 1.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// The prefixed name as written.
    pub fn qualified_name(&self) -> &str {
        self.raw.name().0
    }
}

#[derive(Debug)]
struct Binding<'a> {
    prefix: Cow<'a, str>,
    uri: Cow<'a, str>,
    depth: usize,
}

/// Reads XML from a byte slice. See the module documentation.
pub struct XmlReader<'a> {
    inner: quick_xml::Reader<&'a [u8]>,
    input: &'a [u8],
    bindings: Vec<Binding<'a>>,
    path: Vec<Cow<'a, str>>,
    limits: DecodeLimits,
}

impl std::fmt::Debug for XmlReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlReader")
            .field("position", &self.inner.buffer_position())
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
        let mut inner = quick_xml::Reader::from_reader(input);
        let config = inner.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        Self { inner, input, bindings: Vec::with_capacity(8), path: Vec::with_capacity(16), limits }
    }

    /// The limits in force.
    pub fn limits(&self) -> DecodeLimits {
        self.limits
    }

    /// An error of `kind` at the current element path.
    pub fn error(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError { path: self.path_string(None), offset: self.inner.buffer_position(), kind }
    }

    /// An error of `kind` about the child `child` of the element `start`
    /// (used after `start`'s end tag, e.g. for a missing required child).
    pub fn error_in(&self, start: &Start<'_>, child: &str, kind: DecodeErrorKind) -> DecodeError {
        let mut path = self.path_string(Some(start));
        if !child.is_empty() {
            path.push('/');
            path.push_str(child);
        }
        DecodeError { path, offset: start.offset, kind }
    }

    fn path_string(&self, last: Option<&Start<'_>>) -> String {
        let mut names: Vec<&str> = self.path.iter().map(|p| &**p).collect();
        if let Some(start) = last {
            names.truncate(start.depth - 1);
            names.push(start.local());
        }
        names.join("/")
    }

    /// Borrows `s` from the input when it is a slice of it (it always is for names and
    /// unescaped values); copies it otherwise.
    fn borrow(&self, s: &str) -> Cow<'a, str> {
        let base = self.input.as_ptr() as usize;
        let p = s.as_ptr() as usize;
        if p >= base && p + s.len() <= base + self.input.len() {
            let bytes = &self.input[p - base..p - base + s.len()];
            if let Ok(s) = std::str::from_utf8(bytes) {
                return Cow::Borrowed(s);
            }
        }
        Cow::Owned(s.to_owned())
    }

    fn syntax(&self, e: quick_xml::Error) -> DecodeError {
        let kind = match e {
            quick_xml::Error::Escape(quick_xml::escape::EscapeError::UnrecognizedEntity(_, name)) => {
                DecodeErrorKind::UnknownEntity(name)
            }
            other => DecodeErrorKind::Syntax(other.to_string()),
        };
        DecodeError {
            path: self.path_string(None),
            offset: self.inner.error_position().max(self.inner.buffer_position()),
            kind,
        }
    }

    #[inline]
    fn read(&mut self) -> Result<Event<'a>, DecodeError> {
        match self.inner.read_event() {
            Ok(Event::DocType(_)) => Err(self.error(DecodeErrorKind::DocType)),
            Ok(Event::Eof) if !self.path.is_empty() => Err(self.error(DecodeErrorKind::UnexpectedEof)),
            Ok(e) => Ok(e),
            Err(e) => Err(self.syntax(e)),
        }
    }

    /// Pushes the scope of a start tag and resolves its name.
    fn enter(&mut self, raw: BytesStart<'a>) -> Result<Start<'a>, DecodeError> {
        let offset = self.inner.buffer_position();
        let depth = self.path.len() + 1;
        if depth > self.limits.max_depth {
            return Err(
                self.error(DecodeErrorKind::Limit { what: "element nesting depth", limit: self.limits.max_depth })
            );
        }
        if memchr::memmem::find(raw.attributes_raw().as_bytes(), b"xmlns").is_some() {
            for attr in raw.attributes() {
                let attr = attr.map_err(|e| self.syntax(e.into()))?;
                let key = attr.key.0;
                let prefix = if key == "xmlns" {
                    ""
                } else if let Some(p) = key.strip_prefix("xmlns:") {
                    p
                } else {
                    continue;
                };
                let value = attr.normalized_value(quick_xml::XmlVersion::Explicit1_0).map_err(|e| self.syntax(e))?;
                let uri = match value {
                    Cow::Borrowed(v) => self.borrow(v),
                    Cow::Owned(v) => Cow::Owned(v),
                };
                let prefix = self.borrow(prefix);
                self.bindings.push(Binding { prefix, uri, depth });
            }
        }
        let qname = raw.name().0;
        let (prefix, local) = match qname.split_once(':') {
            Some((p, l)) => (p, l),
            None => ("", qname),
        };
        let local = self.borrow(local);
        let ns = match self.lookup(prefix) {
            Some(ns) => ns,
            None if prefix.is_empty() => Cow::Borrowed(""),
            None => {
                let e = DecodeErrorKind::UnboundPrefix(prefix.to_owned());
                return Err(self.error(e));
            }
        };
        self.path.push(local.clone());
        Ok(Start { raw, local, ns, depth, offset })
    }

    fn lookup(&self, prefix: &str) -> Option<Cow<'a, str>> {
        if prefix == "xml" {
            return Some(Cow::Borrowed(XML_NS));
        }
        self.bindings.iter().rev().find(|b| b.prefix == prefix).map(|b| b.uri.clone())
    }

    fn leave(&mut self) {
        let depth = self.path.len();
        self.path.pop();
        while self.bindings.last().is_some_and(|b| b.depth >= depth) {
            self.bindings.pop();
        }
    }

    /// Reads up to and including the root element's start tag, skipping the XML
    /// declaration, comments, processing instructions and whitespace.
    pub fn root(&mut self) -> Result<Start<'a>, DecodeError> {
        loop {
            match self.read()? {
                Event::Start(s) => return self.enter(s),
                Event::Eof => return Err(self.error(DecodeErrorKind::NoRoot)),
                Event::Text(t) if t.trim_ascii().is_empty() => {}
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                    return Err(self.error(DecodeErrorKind::Syntax("text before the root element".into())));
                }
                _ => {}
            }
        }
    }

    /// The next child element of the element being read, or `None` at its end tag.
    ///
    /// Each child returned must be read to its end (by a `Decode` impl, a slot helper
    /// or [`skip`](Self::skip)) before the next call. Text between children is ignored.
    #[inline]
    pub fn next_child(&mut self) -> Result<Option<Start<'a>>, DecodeError> {
        loop {
            match self.read()? {
                Event::Start(s) => return self.enter(s).map(Some),
                Event::End(_) => {
                    self.leave();
                    return Ok(None);
                }
                _ => {}
            }
        }
    }

    /// Skips the rest of the element `start` opened, including its end tag.
    pub fn skip(&mut self, start: &Start<'a>) -> Result<(), DecodeError> {
        while self.path.len() >= start.depth {
            match self.read()? {
                Event::Start(s) => {
                    self.enter(s)?;
                }
                Event::End(_) => self.leave(),
                _ => {}
            }
        }
        Ok(())
    }

    /// Reads the text content of the element `start` opened, up to its end tag.
    /// Comments and processing instructions are skipped; a child element is an error.
    pub fn text(&mut self, start: &Start<'a>) -> Result<Cow<'a, str>, DecodeError> {
        let mut text: Cow<'a, str> = Cow::Borrowed("");
        loop {
            let piece: Cow<'a, str> = match self.read()? {
                Event::Text(t) => t.xml10_content(),
                Event::CData(c) => c.xml10_content(),
                Event::GeneralRef(r) => {
                    let ch = match r.resolve_char_ref() {
                        Ok(Some(ch)) => ch,
                        Ok(None) => match &*r {
                            "lt" => '<',
                            "gt" => '>',
                            "amp" => '&',
                            "apos" => '\'',
                            "quot" => '"',
                            other => return Err(self.error(DecodeErrorKind::UnknownEntity(other.to_owned()))),
                        },
                        Err(e) => return Err(self.syntax(e)),
                    };
                    let mut buf = [0u8; 4];
                    Cow::Owned(ch.encode_utf8(&mut buf).to_owned())
                }
                Event::Start(s) => {
                    let name = s.name().0.to_owned();
                    return Err(self.error(DecodeErrorKind::ElementInText(name)));
                }
                Event::End(_) => {
                    self.leave();
                    return Ok(text);
                }
                _ => continue,
            };
            if text.is_empty() {
                text = piece;
            } else {
                text.to_mut().push_str(&piece);
            }
            if text.len() > self.limits.max_text_len {
                let limit = self.limits.max_text_len;
                return Err(self.error(DecodeErrorKind::Limit { what: "text length", limit }));
            }
            let _ = start;
        }
    }

    /// Reads and parses the text content of `start` as a `T`.
    pub fn simple<T: SimpleType>(&mut self, start: &Start<'a>) -> Result<T, DecodeError> {
        let text = self.text(start)?;
        let text = if T::COLLAPSE { text.trim_matches(is_xml_space) } else { &text };
        T::parse_text(text).map_err(|mut e| {
            e.reason = format!("{} (found {})", e.reason, quote_excerpt(text));
            self.error_in(start, "", e.into())
        })
    }

    /// The value of the attribute `{ns}local` of `start` (`ns` empty for an unqualified attribute).
    pub fn attribute(&self, start: &Start<'a>, ns: &str, local: &str) -> Result<Option<Cow<'a, str>>, DecodeError> {
        for attr in start.raw.attributes() {
            let attr = attr.map_err(|e| self.syntax(e.into()))?;
            let key = attr.key.0;
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
            let value = attr.normalized_value(quick_xml::XmlVersion::Explicit1_0).map_err(|e| self.syntax(e))?;
            if value.len() > self.limits.max_text_len {
                let limit = self.limits.max_text_len;
                return Err(self.error(DecodeErrorKind::Limit { what: "attribute length", limit }));
            }
            return Ok(Some(match value {
                Cow::Borrowed(v) => self.borrow(v),
                Cow::Owned(v) => Cow::Owned(v),
            }));
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
        if start.raw.attributes_raw().is_empty() {
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
        self.optional_as::<Plain<T>>(start, slot)
    }

    /// Fills an optional field through codec `C`.
    #[inline]
    pub fn optional_as<C: Codec>(&mut self, start: &Start<'a>, slot: &mut Option<C::Value>) -> Result<(), DecodeError> {
        if slot.is_some() {
            return Err(self.duplicate(start));
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
        self.nillable_as::<Plain<T>>(start, slot)
    }

    /// Fills an optional, nillable field through codec `C`.
    #[inline]
    pub fn nillable_as<C: Codec>(
        &mut self,
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
        self.nil_or_as::<Plain<T>>(start, slot)
    }

    /// Fills a required, nillable field through codec `C`.
    #[inline]
    pub fn nil_or_as<C: Codec>(
        &mut self,
        start: &Start<'a>,
        slot: &mut Option<Option<C::Value>>,
    ) -> Result<(), DecodeError> {
        if slot.is_some() {
            return Err(self.duplicate(start));
        }
        *slot = Some(self.value_or_nil::<C>(start)?);
        Ok(())
    }

    fn check_items(&self, len: usize) -> Result<(), DecodeError> {
        if len >= self.limits.max_list_items {
            let limit = self.limits.max_list_items;
            return Err(self.error(DecodeErrorKind::Limit { what: "number of list items", limit }));
        }
        Ok(())
    }

    /// Appends one item of a repeated element.
    #[inline]
    pub fn repeated<T: Decode + Encode>(&mut self, start: &Start<'a>, items: &mut Vec<T>) -> Result<(), DecodeError> {
        self.repeated_as::<Plain<T>>(start, items)
    }

    /// Appends one item of a repeated element through codec `C`.
    #[inline]
    pub fn repeated_as<C: Codec>(&mut self, start: &Start<'a>, items: &mut Vec<C::Value>) -> Result<(), DecodeError> {
        self.check_items(items.len())?;
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
        self.repeated_nil_or_as::<Plain<T>>(start, items)
    }

    /// Appends one item of a repeated, nillable element through codec `C`.
    #[inline]
    pub fn repeated_nil_or_as<C: Codec>(
        &mut self,
        start: &Start<'a>,
        items: &mut Vec<Option<C::Value>>,
    ) -> Result<(), DecodeError> {
        self.check_items(items.len())?;
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

    /// The in-scope namespace bindings, innermost last (for capturing raw XML).
    pub(crate) fn in_scope(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for b in self.bindings.iter().rev() {
            if !out.iter().any(|(p, _)| *p == b.prefix) {
                out.push((b.prefix.to_string(), b.uri.to_string()));
            }
        }
        out.reverse();
        out
    }

    /// The exact bytes of the content of the element `start` opened (between its start and
    /// end tags), reading up to and including its end tag.
    pub fn inner_xml(&mut self, start: &Start<'a>) -> Result<&'a str, DecodeError> {
        let begin = self.inner.buffer_position() as usize;
        let mut end = begin;
        while self.path.len() >= start.depth {
            let before = self.inner.buffer_position() as usize;
            match self.read()? {
                Event::Start(s) => {
                    self.enter(s)?;
                }
                Event::End(_) => {
                    if self.path.len() == start.depth {
                        // For an expanded `<a/>` the end is synthetic and `before == begin`.
                        end = before;
                    }
                    self.leave();
                }
                Event::Text(t) => self.check_text_len(t.len())?,
                _ => {}
            }
        }
        let end = end.clamp(begin, self.input.len());
        std::str::from_utf8(&self.input[begin.min(end)..end])
            .map_err(|e| self.error(DecodeErrorKind::Syntax(e.to_string())))
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
        loop {
            match self.read()? {
                Event::Eof => return Ok(()),
                Event::Text(t) if t.trim_ascii().is_empty() => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(self.error(DecodeErrorKind::Syntax("content after the root element".into()))),
            }
        }
    }
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

/// XML's whitespace: space, tab, carriage return, line feed.
#[inline]
pub fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
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
