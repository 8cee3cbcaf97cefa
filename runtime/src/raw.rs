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

    #[doc(hidden)]
    /// Decodes the first child element of this content as a `T` when its local name is
    /// `local`, in any namespace: an encoded fault's detail accessor, which peers qualify or not.
    pub fn decode_accessor<T: Decode>(&self, local: &str) -> Result<T, DecodeError> {
        self.decode_first_accessor(local, |r, child| T::decode(r, child))
    }

    #[doc(hidden)]
    /// [`decode_accessor`](Self::decode_accessor) through a codec.
    pub fn decode_accessor_as<C: Codec>(&self, _: C, local: &str) -> Result<C::Value, DecodeError> {
        self.decode_first_accessor(local, |r, child| C::decode(r, child))
    }

    fn decode_first_accessor<V>(
        &self,
        local: &str,
        decode: impl for<'a> FnOnce(&mut XmlReader<'a>, &Start<'a>) -> Result<V, DecodeError>,
    ) -> Result<V, DecodeError> {
        read_first_child(&self.xml, &self.namespaces, DecodeLimits::default(), |r, child| {
            let ns = child.ns().to_owned();
            r.expect(child, &ns, local)?;
            decode(r, child)
        })
        .and_then(|found| found.ok_or_else(|| DecodeError::missing("raw", local)))
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
        w.raw_namespaces(self);
        w.close_open();
        w.raw_content(self);
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
    /// as raw XML inside an element whose tag the caller writes, with
    /// [`raw_content`](Self::raw_content) after `close_open`).
    ///
    /// A binding the tag already declares (the generated prefixes of a document element, or
    /// `xsi`) is not declared again: an attribute twice on one element is not well-formed XML.
    /// One the tag binds to another namespace is kept for `raw_content`, which declares it on
    /// the content's own top-level elements.
    pub fn raw_namespaces(&mut self, raw: &RawXml) {
        self.rebind.clear();
        for (prefix, uri) in &raw.namespaces {
            if let Some(declared) = self.declared_on_open_tag(prefix) {
                let mut escaped = XmlWriter::new();
                escaped.attribute_text(uri);
                if declared != escaped.as_bytes() {
                    self.rebind.push((prefix.clone(), uri.clone()));
                }
            } else if prefix.is_empty() {
                self.attribute("xmlns", uri);
            } else {
                self.attribute(&format!("xmlns:{prefix}"), uri);
            }
        }
    }

    /// Writes the XML of `raw` (after [`raw_namespaces`](Self::raw_namespaces) and
    /// `close_open`), with the bindings the enclosing tag could not take declared on each of
    /// its top-level elements that does not declare them itself.
    pub fn raw_content(&mut self, raw: &RawXml) {
        let rebind = std::mem::take(&mut self.rebind);
        if rebind.is_empty() {
            self.raw(&raw.xml);
            return;
        }
        let xml = raw.xml.as_str();
        let mut written = 0;
        for (tag_start, name_end) in top_level_starts(xml) {
            self.raw(&xml[written..name_end]);
            let own = crate::any::declared_prefixes(&xml[tag_start..]);
            for (prefix, uri) in rebind.iter().filter(|(p, _)| !own.contains(&p.as_str())) {
                if prefix.is_empty() {
                    self.attribute("xmlns", uri);
                } else {
                    self.attribute(&format!("xmlns:{prefix}"), uri);
                }
            }
            written = name_end;
        }
        self.raw(&xml[written..]);
    }
}

/// In well-formed content (as the reader captured it), the start tags at nesting depth 0: the
/// offset of each one's `<` and of the end of its name. Text, comments, CDATA sections,
/// processing instructions and quoted attribute values are passed over.
fn top_level_starts(xml: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let bytes = xml.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|p| p + i) {
        let rest = &xml[lt..];
        let skip_to = |end: &str| rest.find(end).map(|at| lt + at + end.len());
        let next = if rest.starts_with("<!--") {
            skip_to("-->")
        } else if rest.starts_with("<![CDATA[") {
            skip_to("]]>")
        } else if rest.starts_with("<?") {
            skip_to("?>")
        } else if rest.starts_with("</") {
            depth = depth.saturating_sub(1);
            skip_to(">")
        } else {
            let Some(name_len) = rest[1..].find(|c: char| c.is_whitespace() || c == '/' || c == '>') else { break };
            if depth == 0 {
                found.push((lt, lt + 1 + name_len));
            }
            // The end of the tag, minding quoted attribute values.
            let mut quote = None;
            let end = rest.char_indices().skip(1).find_map(|(j, c)| match (quote, c) {
                (Some(q), c) if c == q => {
                    quote = None;
                    None
                }
                (Some(_), _) => None,
                (None, '"' | '\'') => {
                    quote = Some(c);
                    None
                }
                (None, '>') => Some(j),
                _ => None,
            });
            let Some(end) = end else { break };
            if !rest[..end].ends_with('/') {
                depth += 1;
            }
            Some(lt + end + 1)
        };
        match next {
            Some(next) => i = next,
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(doc: &str) -> RawXml {
        let mut r = XmlReader::new(doc.as_bytes());
        let root = r.root().unwrap();
        let outer = r.next_child().unwrap().unwrap();
        assert_eq!(outer.depth(), 2, "{root:?}");
        RawXml::decode(&mut r, &outer).unwrap()
    }

    /// Mixed content captured under bindings the writer's element already declares (the same
    /// prefix and namespace) is written without declaring them twice; one that the element binds
    /// to another namespace is declared on the content's top-level elements instead.
    #[test]
    fn raw_content_never_declares_a_prefix_twice_on_one_element() {
        let raw = decoded(
            r#"<n0:Doc xmlns:n0="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><n0:Text>see <n0:b xsi:nil="true"/> and <n0:i>this</n0:i><!-- <n0:x> --></n0:Text></n0:Doc>"#,
        );
        assert_eq!(raw.namespaces.len(), 2, "{raw:?}");

        // The same bindings on the tag: declared once.
        let mut w = XmlWriter::new();
        static SAME: [(&str, &str); 1] = [("n0", "urn:a")];
        w.declare_on_next(&SAME);
        raw.encode(&mut w, "n0:Text");
        let out = String::from_utf8(w.into_inner()).unwrap();
        assert_eq!(out.matches("xmlns:n0=").count(), 1, "{out}");
        assert_eq!(out.matches("xmlns:xsi=").count(), 1, "{out}");
        well_formed(&out);

        // `n0` bound to another namespace on the tag: the content's elements get their own.
        let mut w = XmlWriter::new();
        static OTHER: [(&str, &str); 1] = [("n0", "urn:other")];
        w.declare_on_next(&OTHER);
        raw.encode(&mut w, "n0:Text");
        let out = String::from_utf8(w.into_inner()).unwrap();
        assert!(
            out.starts_with(r#"<n0:Text xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:n0="urn:other">see <n0:b xmlns:n0="urn:a" xsi:nil="true"/> and <n0:i xmlns:n0="urn:a">this</n0:i><!-- <n0:x> --></n0:Text>"#),
            "{out}"
        );
        // Read back, the content's elements are in the namespace they were captured in.
        let mut r = XmlReader::new(out.as_bytes());
        let root = r.root().unwrap();
        assert!(root.is("urn:other", "Text"));
        let b = r.next_child().unwrap().unwrap();
        assert!(b.is("urn:a", "b"), "{b:?}");
        r.skip(&b).unwrap();
        let i = r.next_child().unwrap().unwrap();
        assert!(i.is("urn:a", "i"), "{i:?}");
    }

    /// Well-formedness as the reader sees it: every attribute once per element.
    fn well_formed(xml: &str) {
        let mut r = XmlReader::new(xml.as_bytes());
        let root = r.root().expect("well-formed");
        r.skip(&root).expect("well-formed");
    }

    #[test]
    fn top_level_starts_pass_over_nested_elements_comments_and_quotes() {
        let xml = r#"a <x t="a>b"><y/><z>q</z></x> <!-- <c> --> <![CDATA[<d>]]> <?pi <e>?><w/>"#;
        let starts: Vec<&str> = top_level_starts(xml).iter().map(|&(s, e)| &xml[s + 1..e]).collect();
        assert_eq!(starts, ["x", "w"]);
    }
}
