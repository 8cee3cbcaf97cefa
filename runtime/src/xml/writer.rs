//! A minimal, allocation-free (beyond its buffer) XML writer for generated encoders.
//!
//! Element names are passed already prefixed (`"n0:Credential"`); the prefixes are the
//! ones the enclosing envelope declares (see [`XmlWriter::declare_on_next`]), so no
//! namespace bookkeeping happens per element.

use crate::Nillable;
use crate::codec::{Codec, Decode, Encode, Plain};

/// The XML Schema instance namespace, bound to the prefix `xsi` by every envelope.
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// Writes XML into a growable byte buffer.
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: Vec<u8>,
    pending: &'static [(&'static str, &'static str)],
    pending_xsi: bool,
    /// The first character written that XML 1.0 cannot carry, if any (written as U+FFFD).
    invalid_char: Option<char>,
    /// An `xsi:type` to write on the next start tag.
    pub(crate) pending_type: Option<&'static str>,
    /// Whether the next [`encoding_style`](Self::encoding_style) call writes `encodingStyle`
    /// (set for the body of an rpc/encoded message).
    pub(crate) encoding_style: bool,
    /// Where the last start tag written with [`open`](Self::open) begins (its `<`).
    pub(crate) open_at: usize,
    /// Bindings raw content needs that the open tag binds otherwise: declared on the content's
    /// own top-level elements instead (see `raw_namespaces` and `raw_content`).
    pub(crate) rebind: Vec<(String, String)>,
}

impl XmlWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty writer whose buffer has room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Self { buf: Vec::with_capacity(capacity), ..Self::default() }
    }

    /// A writer that appends to `buf`.
    pub fn from_vec(buf: Vec<u8>) -> Self {
        Self { buf, ..Self::default() }
    }

    /// The bytes written so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// The written bytes.
    pub fn into_inner(self) -> Vec<u8> {
        self.buf
    }

    /// Declares `xmlns:{prefix}="{uri}"` for each pair (and `xmlns:xsi`) on the next start tag.
    ///
    /// Used for the root element of a document, so that the prefixed names written
    /// below it are bound.
    pub fn declare_on_next(&mut self, namespaces: &'static [(&'static str, &'static str)]) {
        self.pending = namespaces;
        self.pending_xsi = true;
    }

    #[inline]
    fn flush_declarations(&mut self) {
        if self.pending_xsi {
            self.pending_xsi = false;
            self.buf.extend_from_slice(b" xmlns:xsi=\"");
            self.buf.extend_from_slice(XSI_NS.as_bytes());
            self.buf.push(b'"');
            for (prefix, uri) in std::mem::take(&mut self.pending) {
                self.buf.extend_from_slice(b" xmlns:");
                self.buf.extend_from_slice(prefix.as_bytes());
                self.buf.extend_from_slice(b"=\"");
                self.attribute_text(uri);
                self.buf.push(b'"');
            }
        }
    }

    /// Writes `<tag` and any pending namespace declarations (and `xsi:type`), leaving the tag
    /// open for attributes.
    #[inline]
    pub fn open(&mut self, tag: &str) {
        self.open_at = self.buf.len();
        self.buf.push(b'<');
        self.buf.extend_from_slice(tag.as_bytes());
        self.flush_declarations();
        if let Some(ty) = self.pending_type.take() {
            self.buf.extend_from_slice(b" xsi:type=\"");
            self.buf.extend_from_slice(ty.as_bytes());
            self.buf.push(b'"');
        }
    }

    /// Writes `xsi:type="{ty}"` (a prefixed type name) on the next start tag: how a value of a
    /// derived type says which type it is.
    #[inline]
    pub fn xsi_type_on_next(&mut self, ty: &'static str) {
        self.pending_type = Some(ty);
    }

    /// Writes ` name="value"` (value escaped) into the open tag.
    #[inline]
    pub fn attribute(&mut self, name: &str, value: &str) {
        self.buf.push(b' ');
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.extend_from_slice(b"=\"");
        self.attribute_text(value);
        self.buf.push(b'"');
    }

    /// The value (as written, escaped) the open start tag gives the namespace declaration of
    /// `prefix` (`""`: the default namespace), if it has one.
    pub(crate) fn declared_on_open_tag(&self, prefix: &str) -> Option<&[u8]> {
        let tag = &self.buf[self.open_at.min(self.buf.len())..];
        let needle = if prefix.is_empty() { " xmlns=\"".to_owned() } else { format!(" xmlns:{prefix}=\"") };
        let at = tag.windows(needle.len()).position(|w| w == needle.as_bytes())? + needle.len();
        let end = tag[at..].iter().position(|&b| b == b'"')?;
        Some(&tag[at..at + end])
    }

    /// Closes the open tag with `>`.
    #[inline]
    pub fn close_open(&mut self) {
        self.buf.push(b'>');
    }

    /// Closes the open tag with `/>`.
    #[inline]
    pub fn close_empty(&mut self) {
        self.buf.extend_from_slice(b"/>");
    }

    /// Writes `<tag>`.
    #[inline]
    pub fn start(&mut self, tag: &str) {
        self.open(tag);
        self.buf.push(b'>');
    }

    /// Writes `</tag>`.
    #[inline]
    pub fn end(&mut self, tag: &str) {
        self.buf.extend_from_slice(b"</");
        self.buf.extend_from_slice(tag.as_bytes());
        self.buf.push(b'>');
    }

    /// Writes `<tag xsi:nil="true"/>`.
    #[inline]
    pub fn nil(&mut self, tag: &str) {
        self.open(tag);
        self.buf.extend_from_slice(b" xsi:nil=\"true\"/>");
    }

    /// Writes text that is known to need no escaping (digits, names of enumerations...).
    #[inline]
    pub fn raw(&mut self, text: &str) {
        self.buf.extend_from_slice(text.as_bytes());
    }

    /// Writes element text, escaping `&`, `<`, `>` and carriage returns.
    #[inline]
    pub fn text(&mut self, text: &str) {
        self.escaped(text, false);
    }

    /// Writes attribute text, escaping also quotes, tabs and line breaks.
    #[inline]
    pub fn attribute_text(&mut self, text: &str) {
        self.escaped(text, true);
    }

    fn escaped(&mut self, text: &str, attribute: bool) {
        let bytes = text.as_bytes();
        // Most text has nothing to escape: a branch-free test of every byte (which the compiler
        // vectorizes) for any byte the loop below would replace, then one copy.
        let attr = u8::from(attribute);
        let special = bytes.iter().fold(0u8, |acc, &b| {
            let control = u8::from(b < 0x20) & (attr | (u8::from(b != b'\t') & u8::from(b != b'\n')));
            let markup = u8::from(b == b'&') | u8::from(b == b'<') | u8::from(b == b'>') | (attr & u8::from(b == b'"'));
            // 0xEF starts U+FFFE and U+FFFF (and other characters, which the loop lets through).
            acc | control | markup | u8::from(b == 0xEF)
        });
        if special == 0 {
            self.buf.extend_from_slice(bytes);
            return;
        }
        let mut last = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (replacement, len): (&[u8], usize) = match b {
                b'&' => (b"&amp;", 1),
                b'<' => (b"&lt;", 1),
                b'>' => (b"&gt;", 1),
                b'\r' => (b"&#xD;", 1),
                b'"' if attribute => (b"&quot;", 1),
                b'\n' if attribute => (b"&#xA;", 1),
                b'\t' if attribute => (b"&#x9;", 1),
                // Control characters XML 1.0 cannot carry, not even as references.
                0..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F => {
                    self.invalid_char.get_or_insert(char::from(b));
                    ("\u{FFFD}".as_bytes(), 1)
                }
                // U+FFFE and U+FFFF (EF BF BE / EF BF BF) are not characters either.
                0xEF if bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) => {
                    let c = if bytes[i + 2] == 0xBE { '\u{FFFE}' } else { '\u{FFFF}' };
                    self.invalid_char.get_or_insert(c);
                    ("\u{FFFD}".as_bytes(), 3)
                }
                _ => {
                    i += 1;
                    continue;
                }
            };
            self.buf.extend_from_slice(&bytes[last..i]);
            self.buf.extend_from_slice(replacement);
            i += len;
            last = i;
        }
        self.buf.extend_from_slice(&bytes[last..]);
    }

    /// The first character written so far that XML 1.0 cannot carry (control characters other
    /// than tab, line feed and carriage return; U+FFFE; U+FFFF). It was written as U+FFFD, so the
    /// document is well-formed but not what was asked for: callers should refuse to send it.
    pub fn invalid_char(&self) -> Option<char> {
        self.invalid_char
    }

    /// Writes a required element.
    #[inline]
    pub fn element<T: Encode + ?Sized>(&mut self, tag: &str, value: &T) {
        value.encode(self, tag);
    }

    /// Writes a required element through `codec` (a zero-sized value naming the codec type).
    #[inline]
    pub fn element_as<C: Codec>(&mut self, _: C, tag: &str, value: &C::Value) {
        C::encode(value, self, tag);
    }

    /// Writes an optional element: nothing for `None`.
    #[inline]
    pub fn optional<T: Encode + Decode>(&mut self, tag: &str, value: &Option<T>) {
        self.optional_as(Plain::<T>::new(), tag, value);
    }

    /// Writes an optional element through `codec` (a zero-sized value naming the codec type): nothing for `None`.
    #[inline]
    pub fn optional_as<C: Codec>(&mut self, _: C, tag: &str, value: &Option<C::Value>) {
        match value {
            Some(v) => C::encode(v, self, tag),
            // An `xsi:type` set for this element stays unwritten with it.
            None => self.pending_type = None,
        }
    }

    /// Writes a required, nillable element: `xsi:nil="true"` for `None`.
    #[inline]
    pub fn nil_or<T: Encode + Decode>(&mut self, tag: &str, value: &Option<T>) {
        self.nil_or_as(Plain::<T>::new(), tag, value);
    }

    /// Writes a required, nillable element through `codec` (a zero-sized value naming the codec type).
    #[inline]
    pub fn nil_or_as<C: Codec>(&mut self, _: C, tag: &str, value: &Option<C::Value>) {
        match value {
            Some(v) => C::encode(v, self, tag),
            None => self.nil(tag),
        }
    }

    /// Writes an optional, nillable element.
    #[inline]
    pub fn nillable<T: Encode + Decode>(&mut self, tag: &str, value: &Nillable<T>) {
        self.nillable_as(Plain::<T>::new(), tag, value);
    }

    /// Writes an optional, nillable element through `codec` (a zero-sized value naming the codec type).
    #[inline]
    pub fn nillable_as<C: Codec>(&mut self, _: C, tag: &str, value: &Nillable<C::Value>) {
        match value {
            Nillable::Absent => self.pending_type = None,
            Nillable::Nil => self.nil(tag),
            Nillable::Value(v) => C::encode(v, self, tag),
        }
    }

    /// Writes one element per item.
    #[inline]
    pub fn repeated<T: Encode + Decode>(&mut self, tag: &str, values: &[T]) {
        self.repeated_as(Plain::<T>::new(), tag, values);
    }

    /// Writes one element per item through `codec` (a zero-sized value naming the codec type).
    #[inline]
    pub fn repeated_as<C: Codec>(&mut self, _: C, tag: &str, values: &[C::Value]) {
        // An `xsi:type` set for the field goes on every item.
        let ty = self.pending_type.take();
        for v in values {
            self.pending_type = ty;
            C::encode(v, self, tag);
        }
        self.pending_type = None;
    }

    /// Writes one element per item, `xsi:nil="true"` for `None` items.
    #[inline]
    pub fn repeated_nil_or<T: Encode + Decode>(&mut self, tag: &str, values: &[Option<T>]) {
        self.repeated_nil_or_as(Plain::<T>::new(), tag, values);
    }

    /// Writes one element per item through `codec` (a zero-sized value naming the codec type), `xsi:nil="true"` for `None` items.
    #[inline]
    pub fn repeated_nil_or_as<C: Codec + Copy>(&mut self, codec: C, tag: &str, values: &[Option<C::Value>]) {
        let ty = self.pending_type.take();
        for v in values {
            self.pending_type = ty;
            self.nil_or_as(codec, tag, v);
        }
        self.pending_type = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        let mut w = XmlWriter::new();
        w.text("a<b>&c]]>\"\r\n");
        assert_eq!(w.as_bytes(), b"a&lt;b&gt;&amp;c]]&gt;\"&#xD;\n");
        let mut w = XmlWriter::new();
        w.attribute_text("\"x\"\t\n");
        assert_eq!(w.as_bytes(), b"&quot;x&quot;&#x9;&#xA;");
    }

    #[test]
    fn declares_namespaces_once() {
        static NS: &[(&str, &str)] = &[("n0", "urn:a&b")];
        let mut w = XmlWriter::new();
        w.declare_on_next(NS);
        w.start("n0:A");
        w.start("n0:B");
        w.end("n0:B");
        w.end("n0:A");
        let xml = String::from_utf8(w.into_inner()).unwrap();
        assert_eq!(
            xml,
            "<n0:A xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:n0=\"urn:a&amp;b\"><n0:B></n0:B></n0:A>"
        );
    }
}
