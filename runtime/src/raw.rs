//! [`RawXml`]: element content kept as XML text (`xs:anyType`, fault details).

use crate::codec::{Codec, Decode, Encode};
use crate::xml::{DecodeError, DecodeLimits, Start, XmlReader, XmlWriter};

/// The content of an element kept as XML, with the namespace bindings that were in scope,
/// so that it can be written back or decoded later as a typed value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawXml {
    /// The exact text between the element's start and end tags.
    pub xml: String,
    /// The namespace bindings in scope at the element, as `(prefix, uri)`; `""` is the default namespace.
    pub namespaces: Vec<(String, String)>,
}

impl RawXml {
    /// Raw content with no namespace bindings.
    pub fn new(xml: impl Into<String>) -> Self {
        Self { xml: xml.into(), namespaces: Vec::new() }
    }

    /// Decodes the first child element of this content, which must be `{ns}local`, as a `T`,
    /// with the default [`DecodeLimits`].
    pub fn decode_child<T: Decode>(&self, ns: &str, local: &str) -> Result<T, DecodeError> {
        self.decode_child_with_limits(ns, local, DecodeLimits::default())
    }

    #[doc(hidden)]
    /// [`decode_child`](Self::decode_child) for a value that needs a codec (an `ArrayOfX`
    /// wrapper read as a `Vec`, a dictionary).
    pub fn decode_child_as<C: Codec>(&self, codec: C, ns: &str, local: &str) -> Result<C::Value, DecodeError> {
        self.decode_child_as_with_limits(codec, ns, local, DecodeLimits::default())
    }

    /// Decodes the first child element of this content, which must be `{ns}local`, as a `T`,
    /// with the given limits.
    pub fn decode_child_with_limits<T: Decode>(
        &self,
        ns: &str,
        local: &str,
        limits: DecodeLimits,
    ) -> Result<T, DecodeError> {
        self.decode_first_child(ns, local, limits, |r, child| T::decode(r, child))
    }

    #[doc(hidden)]
    /// [`decode_child_with_limits`](Self::decode_child_with_limits) through a codec.
    pub fn decode_child_as_with_limits<C: Codec>(
        &self,
        _: C,
        ns: &str,
        local: &str,
        limits: DecodeLimits,
    ) -> Result<C::Value, DecodeError> {
        self.decode_first_child(ns, local, limits, |r, child| C::decode(r, child))
    }

    fn decode_first_child<V>(
        &self,
        ns: &str,
        local: &str,
        limits: DecodeLimits,
        decode: impl for<'a> FnOnce(&mut XmlReader<'a>, &Start<'a>) -> Result<V, DecodeError>,
    ) -> Result<V, DecodeError> {
        read_first_child(&self.xml, &self.namespaces, limits, |r, child| {
            r.expect(child, ns, local)?;
            decode(r, child)
        })
        .and_then(|found| found.ok_or_else(|| DecodeError::missing("raw", local)))
    }
}

/// Reads `xml` (content with the outer `namespaces` in scope) and hands its first element to
/// `decode`; `None` when there is no element.
pub(crate) fn read_first_child<V>(
    xml: &str,
    namespaces: &[(String, String)],
    limits: DecodeLimits,
    decode: impl for<'a> FnOnce(&mut XmlReader<'a>, &Start<'a>) -> Result<V, DecodeError>,
) -> Result<Option<V>, DecodeError> {
    let mut doc = String::with_capacity(xml.len() + 64);
    doc.push_str("<raw");
    for (prefix, uri) in namespaces {
        let mut w = XmlWriter::new();
        w.attribute_text(uri);
        let uri = String::from_utf8_lossy(w.as_bytes());
        if prefix.is_empty() {
            doc.push_str(&format!(" xmlns=\"{uri}\""));
        } else {
            doc.push_str(&format!(" xmlns:{prefix}=\"{uri}\""));
        }
    }
    doc.push('>');
    doc.push_str(xml);
    doc.push_str("</raw>");
    let mut r = XmlReader::with_limits(doc.as_bytes(), limits);
    r.root()?;
    match r.next_child()? {
        Some(child) => decode(&mut r, &child).map(Some),
        None => Ok(None),
    }
}

impl Encode for RawXml {
    fn encode(&self, w: &mut XmlWriter, tag: &str) {
        w.open(tag);
        for (prefix, uri) in &self.namespaces {
            if prefix.is_empty() {
                w.attribute("xmlns", uri);
            } else {
                w.attribute(&format!("xmlns:{prefix}"), uri);
            }
        }
        w.close_open();
        w.raw(&self.xml);
        w.end(tag);
    }
}

impl Decode for RawXml {
    fn decode<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self, DecodeError> {
        let mut namespaces = r.in_scope();
        let xml = r.inner_xml(start)?.to_owned();
        // Keep the bindings the fragment can use: prefixes it mentions, and the default
        // namespace when it has unprefixed elements.
        namespaces.retain(
            |(prefix, _)| {
                if prefix.is_empty() { xml.contains('<') } else { crate::any::uses_prefix(&xml, prefix) }
            },
        );
        Ok(Self { xml, namespaces })
    }
}

impl XmlWriter {
    /// Declares the namespace bindings `raw` uses on the open tag (for mixed content written
    /// as raw XML inside an element whose tag the caller writes).
    pub fn raw_namespaces(&mut self, raw: &RawXml) {
        for (prefix, uri) in &raw.namespaces {
            if prefix.is_empty() {
                self.attribute("xmlns", uri);
            } else {
                self.attribute(&format!("xmlns:{prefix}"), uri);
            }
        }
    }
}
