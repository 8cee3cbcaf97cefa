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
/// Most namespace declarations a reader keeps in scope at once.
pub const MAX_NAMESPACE_BINDINGS: usize = 1024;

impl Default for DecodeLimits {
    fn default() -> Self {
        Self {
            max_depth: DEFAULT_MAX_DEPTH,
            max_text_len: DEFAULT_MAX_TEXT_LEN,
            max_list_items: DEFAULT_MAX_LIST_ITEMS,
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
    raw: BytesStart<'a>,
    local: Cow<'a, str>,
    ns: Cow<'a, str>,
    depth: usize,
    offset: u64,
    /// Byte offset of the `<` of the start tag.
    begin: u64,
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
    /// Where the event being read began.
    event_start: u64,
    input: &'a [u8],
    bindings: Vec<Binding<'a>>,
    path: Vec<Cow<'a, str>>,
    limits: DecodeLimits,
    /// What [`XmlReader::push_back`] handed back, returned by the next `next_child`.
    pending: Option<Option<Start<'a>>>,
    /// The input as text, when it is valid UTF-8 (checked once, up front): names and values
    /// are then borrowed from it without checking each one again.
    input_str: Option<&'a str>,
    /// Whether the input holds a carriage return: without one, text needs no line-end
    /// normalization.
    has_cr: bool,
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
        // quick-xml skips a UTF-8 byte order mark without counting it in its positions: skipped
        // here, positions stay offsets into `input`, which raw XML (fault details, `anyType`
        // content) is sliced from. Offsets in errors count from after the mark.
        let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
        let mut inner = quick_xml::Reader::from_reader(input);
        let config = inner.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        Self {
            inner,
            event_start: 0,
            input,
            bindings: Vec::with_capacity(8),
            path: Vec::with_capacity(16),
            limits,
            pending: None,
            input_str: std::str::from_utf8(input).ok(),
            has_cr: memchr::memchr(b'\r', input).is_some(),
        }
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
            let range = p - base..p - base + s.len();
            // The same bytes as `s`: with the input known to be UTF-8, slicing it needs no
            // second check (`get` checks the two char boundaries only).
            if let Some(input) = self.input_str {
                if let Some(s) = input.get(range) {
                    return Cow::Borrowed(s);
                }
            } else if let Ok(s) = std::str::from_utf8(&self.input[range]) {
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
            quick_xml::Error::Encoding(e) => DecodeErrorKind::Encoding(format!("the message is not valid UTF-8 ({e})")),
            other => DecodeErrorKind::Syntax(other.to_string()),
        };
        DecodeError {
            path: self.path_string(None),
            offset: self.inner.error_position().max(self.inner.buffer_position()),
            kind,
        }
    }

    /// The next event. Refuses a DTD, and any entity reference other than the five predefined
    /// entities and valid character references, wherever they appear (also in skipped content).
    ///
    /// The error is boxed: this runs for every event, and a small `Result` is cheaper to pass
    /// back than one the size of a `DecodeError` (callers unbox it with `map_err(|e| *e)`).
    #[inline]
    fn read(&mut self) -> Result<Event<'a>, Box<DecodeError>> {
        self.event_start = self.inner.buffer_position();
        match self.inner.read_event() {
            Ok(Event::GeneralRef(r)) => {
                self.resolve_ref(&r)?;
                Ok(Event::GeneralRef(r))
            }
            Ok(Event::DocType(_)) => Err(Box::new(self.error(DecodeErrorKind::DocType))),
            Ok(Event::Eof) if !self.path.is_empty() => Err(Box::new(self.error(DecodeErrorKind::UnexpectedEof))),
            Ok(e) => Ok(e),
            Err(e) => Err(Box::new(self.syntax(e))),
        }
    }

    /// The character an entity or character reference stands for.
    fn resolve_ref(&self, r: &quick_xml::events::BytesRef<'_>) -> Result<char, DecodeError> {
        match r.resolve_char_ref() {
            Ok(Some(ch)) if is_xml_char(ch) => Ok(ch),
            Ok(Some(ch)) => Err(self.error(not_a_char(ch))),
            Ok(None) => match &**r {
                "lt" => Ok('<'),
                "gt" => Ok('>'),
                "amp" => Ok('&'),
                "apos" => Ok('\''),
                "quot" => Ok('"'),
                other => Err(self.error(DecodeErrorKind::UnknownEntity(other.to_owned()))),
            },
            Err(e) => Err(self.syntax(e)),
        }
    }

    /// Refuses a document with a character XML 1.0 does not allow anywhere (a control character
    /// other than tab, line feed and carriage return; U+FFFE; U+FFFF): such a document is not
    /// well-formed, and a value holding one could not be written back.
    fn check_chars(&self) -> Result<(), DecodeError> {
        let input = self.input;
        let exact = |range: std::ops::Range<usize>| {
            range.into_iter().find_map(|i| match input[i] {
                0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F => Some((i, char::from(input[i]))),
                0xEF if input.get(i + 1) == Some(&0xBF) && matches!(input.get(i + 2), Some(0xBE | 0xBF)) => {
                    Some((i, if input[i + 2] == 0xBE { '\u{FFFE}' } else { '\u{FFFF}' }))
                }
                _ => None,
            })
        };
        // Every response goes through here, so the common case is made cheap: a branch-free
        // test of 256 bytes at a time (which the compiler vectorizes) for any byte that could
        // start a refused character; only a block that has one is looked at byte by byte.
        const BLOCK: usize = 256;
        let mut bad = None;
        let mut at = 0;
        while at < input.len() && bad.is_none() {
            let end = (at + BLOCK).min(input.len());
            let suspicious = input[at..end].iter().fold(0u8, |acc, &b| {
                let control = u8::from(b < 0x20) & u8::from(b != b'\t') & u8::from(b != b'\n') & u8::from(b != b'\r');
                acc | control | u8::from(b == 0xEF)
            });
            if suspicious != 0 {
                bad = exact(at..end);
            }
            at = end;
        }
        match bad {
            Some((offset, ch)) => Err(DecodeError { path: String::new(), offset: offset as u64, kind: not_a_char(ch) }),
            None => Ok(()),
        }
    }

    /// Refuses input in an encoding other than UTF-8, which quick-xml would misread: a UTF-16
    /// or UTF-32 byte order mark (or UTF-16 without one), or an XML declaration naming
    /// another encoding.
    fn check_encoding_prefix(&self) -> Result<(), DecodeError> {
        let found = match self.input {
            [0x00, 0x00, 0xFE, 0xFF, ..] => Some("UTF-32BE (byte order mark)"),
            [0xFF, 0xFE, 0x00, 0x00, ..] => Some("UTF-32LE (byte order mark)"),
            [0xFE, 0xFF, ..] => Some("UTF-16BE (byte order mark)"),
            [0xFF, 0xFE, ..] => Some("UTF-16LE (byte order mark)"),
            [0x00, b'<', ..] => Some("UTF-16BE"),
            [b'<', 0x00, ..] => Some("UTF-16LE"),
            _ => None,
        };
        match found {
            Some(encoding) => Err(DecodeError { path: String::new(), offset: 0, kind: unsupported_encoding(encoding) }),
            None => Ok(()),
        }
    }

    /// Pushes the scope of a start tag and resolves its name.
    #[inline]
    fn enter(&mut self, raw: BytesStart<'a>) -> Result<Start<'a>, DecodeError> {
        let offset = self.inner.buffer_position();
        let depth = self.path.len() + 1;
        if depth > self.limits.max_depth {
            return Err(
                self.error(DecodeErrorKind::Limit { what: "element nesting depth", limit: self.limits.max_depth })
            );
        }
        let attributes = raw.attributes_raw().as_bytes();
        // Most elements have no attributes: nothing to search then.
        if !attributes.is_empty() && memchr::memchr(b'&', attributes).is_some() {
            // References in attribute values are resolved only when a value is read; refuse
            // undefined entities here, so that unread attributes cannot smuggle them in.
            match quick_xml::escape::unescape(raw.attributes_raw()) {
                Err(e) => return Err(self.syntax(e.into())),
                // `&#1;` and the like: characters XML cannot carry, not even as references.
                Ok(text) => {
                    if let Some(ch) = text.chars().find(|c| !is_xml_char(*c)) {
                        return Err(self.error(not_a_char(ch)));
                    }
                }
            }
        }
        if !attributes.is_empty() && contains(attributes, b"xmlns") {
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
                let value = normalized(&attr).map_err(|e| self.syntax(e))?;
                let uri = match value {
                    Cow::Borrowed(v) => self.borrow(v),
                    Cow::Owned(v) => Cow::Owned(v),
                };
                if self.bindings.len() >= MAX_NAMESPACE_BINDINGS {
                    let local = raw.name().0.rsplit(':').next().unwrap_or_default();
                    self.path.push(self.borrow(local));
                    let e = DecodeErrorKind::Limit {
                        what: "namespace declarations in scope",
                        limit: MAX_NAMESPACE_BINDINGS,
                    };
                    let e = self.error(e);
                    self.path.pop();
                    return Err(e);
                }
                let prefix = self.borrow(prefix);
                self.bindings.push(Binding { prefix, uri, depth });
            }
        } else if !attributes.is_empty() {
            // The attributes' syntax (quotes, `=`, no duplicates) is checked here, once for
            // every element that has any, so that a lookup can pass over an element whose
            // attribute text does not hold the name looked for (see `attribute`).
            for attr in raw.attributes() {
                attr.map_err(|e| self.syntax(e.into()))?;
            }
        }
        let qname = raw.name().0;
        // Names are short: a byte loop rather than a `memchr` call.
        let (prefix, local) = match qname.bytes().position(|b| b == b':') {
            Some(i) => (&qname[..i], &qname[i + 1..]),
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
        Ok(Start { raw, local, ns, depth, offset, begin: self.event_start })
    }

    fn lookup(&self, prefix: &str) -> Option<Cow<'a, str>> {
        if prefix == "xml" {
            return Some(Cow::Borrowed(XML_NS));
        }
        // Prefixes are short: a byte loop, not a call to `memcmp` per binding.
        self.bindings.iter().rev().find(|b| b.prefix.bytes().eq(prefix.bytes())).map(|b| b.uri.clone())
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
    ///
    /// Input in an encoding other than UTF-8 (a UTF-16 byte order mark, or a declaration such
    /// as `encoding="utf-16"`) is refused with [`DecodeErrorKind::Encoding`].
    pub fn root(&mut self) -> Result<Start<'a>, DecodeError> {
        self.check_encoding_prefix()?;
        self.check_chars()?;
        loop {
            match self.read().map_err(|e| *e)? {
                Event::Start(s) => return self.enter(s),
                Event::Decl(d) => match d.encoding() {
                    Some(Ok(encoding)) if !is_utf8_label(&encoding) => {
                        return Err(self.error(unsupported_encoding(&encoding)));
                    }
                    Some(Err(e)) => return Err(self.syntax(e.into())),
                    _ => {}
                },
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
        if let Some(pending) = self.pending.take() {
            return Ok(pending);
        }
        loop {
            match self.read().map_err(|e| *e)? {
                Event::Start(s) => return self.enter(s).map(Some),
                Event::End(_) => {
                    self.leave();
                    return Ok(None);
                }
                _ => {}
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
                Event::Text(t) if self.has_cr => t.xml10_content(),
                Event::Text(t) => t.into_inner(),
                Event::CData(c) if self.has_cr => c.xml10_content(),
                Event::CData(c) => c.into_inner(),
                Event::GeneralRef(r) => {
                    // Validated by `read`; appended in place, without a string per reference.
                    let ch = self.resolve_ref(&r)?;
                    text.to_mut().push(ch);
                    self.check_text_len(text.len())?;
                    continue;
                }
                Event::Start(s) => {
                    let name = s.name().0.to_owned();
                    return Err(Box::new(self.error(DecodeErrorKind::ElementInText(name))));
                }
                Event::End(_) => {
                    self.leave();
                    return Ok(text);
                }
                _ => continue,
            };
            // Checked before copying: a long piece is refused without being concatenated.
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
        // checked when the element was entered).
        if !contains(start.raw.attributes_raw().as_bytes(), local.as_bytes()) {
            return Ok(None);
        }
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
            let value = normalized(&attr).map_err(|e| self.syntax(e))?;
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

    /// The in-scope namespace bindings declared outside the element `start` opened (those on
    /// the element itself are part of its own text).
    pub(crate) fn in_scope_outside(&self, start: &Start<'a>) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for b in self.bindings.iter().rev().filter(|b| b.depth < start.depth) {
            if !out.iter().any(|(p, _)| *p == b.prefix) {
                out.push((b.prefix.to_string(), b.uri.to_string()));
            }
        }
        out.reverse();
        out
    }

    /// The namespace URI bound to `prefix` (`""` for the default namespace) where the reader is.
    pub fn namespace_of(&self, prefix: &str) -> Option<Cow<'a, str>> {
        self.lookup(prefix)
    }

    /// The type named by the `xsi:type` attribute of `start`, as namespace URI and local name.
    pub fn xsi_type(&self, start: &Start<'a>) -> Result<Option<(String, String)>, DecodeError> {
        if start.raw.attributes_raw().is_empty() {
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
        let mut out = Vec::new();
        if start.raw.attributes_raw().is_empty() {
            return Ok(out);
        }
        for attr in start.raw.attributes() {
            let attr = attr.map_err(|e| self.syntax(e.into()))?;
            let key = attr.key.0;
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
            if ns == super::writer::XSI_NS {
                continue;
            }
            let value = normalized(&attr).map_err(|e| self.syntax(e))?;
            if value.len() > self.limits.max_text_len {
                let limit = self.limits.max_text_len;
                return Err(self.error(DecodeErrorKind::Limit { what: "attribute length", limit }));
            }
            out.push((ns, local.to_owned(), value.into_owned()));
        }
        Ok(out)
    }

    /// The exact text of the element `start` opened, start and end tags included, reading up
    /// to and including its end tag.
    pub fn outer_xml(&mut self, start: &Start<'a>) -> Result<&'a str, DecodeError> {
        self.skip(start)?;
        let end = (self.inner.buffer_position() as usize).min(self.input.len());
        let begin = (start.begin as usize).min(end);
        std::str::from_utf8(&self.input[begin..end]).map_err(|e| self.error(DecodeErrorKind::Syntax(e.to_string())))
    }

    /// The exact bytes of the content of the element `start` opened (between its start and
    /// end tags), reading up to and including its end tag.
    pub fn inner_xml(&mut self, start: &Start<'a>) -> Result<&'a str, DecodeError> {
        let begin = self.inner.buffer_position() as usize;
        let mut end = begin;
        while self.path.len() >= start.depth {
            let before = self.inner.buffer_position() as usize;
            match self.read().map_err(|e| *e)? {
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
            match self.read().map_err(|e| *e)? {
                Event::Eof => return Ok(()),
                Event::Text(t) if t.trim_ascii().is_empty() => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(self.error(DecodeErrorKind::Syntax("content after the root element".into()))),
            }
        }
    }
}

/// The value of `attr` normalized as XML 1.0 says (references resolved; tab, line feed and carriage
/// return read as spaces). Most values hold none of these: they are taken as they are, without
/// the normalizing pass.
fn normalized<'v>(attr: &quick_xml::events::attributes::Attribute<'v>) -> quick_xml::Result<Cow<'v, str>> {
    if attr.value.bytes().any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r')) {
        attr.normalized_value(quick_xml::XmlVersion::Explicit1_0)
    } else {
        Ok(attr.value.clone())
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

/// Whether `label` (from an XML declaration or a `charset` parameter) names UTF-8 or its
/// subset US-ASCII, the only encodings this reader accepts.
pub fn is_utf8_label(label: &str) -> bool {
    let label = label.trim();
    ["utf-8", "utf8", "us-ascii", "ascii"].iter().any(|l| label.eq_ignore_ascii_case(l))
}

fn unsupported_encoding(found: &str) -> DecodeErrorKind {
    DecodeErrorKind::Encoding(format!("unsupported encoding {found}; only UTF-8 is supported"))
}

/// XML's whitespace: space, tab, carriage return, line feed.
#[inline]
pub fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Whether XML 1.0 allows the character `c` (its `Char` production): tab, line feed, carriage
/// return, and U+0020 and above except U+FFFE and U+FFFF.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

fn not_a_char(c: char) -> DecodeErrorKind {
    DecodeErrorKind::Syntax(format!("the character U+{:04X} is not allowed in XML 1.0", u32::from(c)))
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
    fn refused_characters_are_found_in_any_block() {
        // A control character or U+FFFE/U+FFFF anywhere (also across a 256-byte block boundary)
        // is refused at its offset; tab, line feed, carriage return and other 0xEF sequences pass.
        for at in [0, 1, 255, 256, 300, 511] {
            for (bad, len) in [(&b"\x01"[..], 1), (&b"\xEF\xBF\xBE"[..], 3), (&b"\xEF\xBF\xBF"[..], 3)] {
                let mut doc = vec![b'a'; 600];
                doc[at..at + len].copy_from_slice(bad);
                let r = XmlReader::new(&doc);
                assert_eq!(r.check_chars().unwrap_err().offset, at as u64, "at {at}");
            }
        }
        let ok = "<a>\t\r\n\u{F000}\u{FFFD}é</a>".repeat(40);
        assert!(XmlReader::new(ok.as_bytes()).check_chars().is_ok());
    }

    #[test]
    fn text_without_carriage_returns_is_read_as_is() {
        let mut r = XmlReader::new(b"<a>x\ny</a>");
        let root = r.root().unwrap();
        assert_eq!(r.text(&root).unwrap(), "x\ny");
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
        // A duplicate attribute is refused when the element is entered, read or not.
        let mut r = XmlReader::new(br#"<a><b x="1" x="2"/></a>"#);
        r.root().unwrap();
        assert!(r.next_child().is_err());
    }
}
