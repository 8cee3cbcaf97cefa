//! [`AnyElement`] and [`AnyAttribute`]: what `xs:any` and `xs:anyAttribute` hold, kept as XML.

use crate::codec::{Decode, Encode};
use crate::raw::read_first_child;
use crate::xml::{DecodeError, DecodeErrorKind, DecodeLimits, Start, XmlReader, XmlWriter};

/// An element allowed by `xs:any`: its exact XML text, start and end tags included, with the
/// namespace bindings from outside it that it uses, so it can be written back unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AnyElement {
    /// The element's XML, as received (or as built by the caller).
    pub xml: String,
    /// Bindings `(prefix, uri)` from enclosing elements that the element uses; `""` is the
    /// default namespace.
    pub namespaces: Vec<(String, String)>,
}

impl AnyElement {
    /// An element from its XML text (which must declare every prefix it uses).
    pub fn new(xml: impl Into<String>) -> Self {
        Self { xml: xml.into(), namespaces: Vec::new() }
    }

    /// An element holding a typed value: `value` written as `tag` (a prefixed name), with the
    /// `(prefix, uri)` pairs its encoder uses (a generated module's `NAMESPACES`) declared on it.
    pub fn from_value<T: Encode + ?Sized>(
        value: &T,
        tag: &str,
        namespaces: &'static [(&'static str, &'static str)],
    ) -> Self {
        let mut w = XmlWriter::new();
        w.declare_on_next(namespaces);
        value.encode(&mut w, tag);
        Self::new(String::from_utf8(w.into_inner()).expect("the writer writes UTF-8"))
    }

    /// The element's namespace URI and local name.
    pub fn name(&self) -> Result<(String, String), DecodeError> {
        self.read(|_, start| Ok((start.ns().to_owned(), start.local().to_owned())))
    }

    /// Decodes the element as a `T` (a generated type, or a simple value), whatever its name:
    /// check [`name`](Self::name) first where several kinds of element may stand.
    pub fn decode<T: Decode>(&self) -> Result<T, DecodeError> {
        self.read(|r, start| T::decode(r, start))
    }

    fn read<V>(
        &self,
        f: impl for<'a> FnOnce(&mut XmlReader<'a>, &Start<'a>) -> Result<V, DecodeError>,
    ) -> Result<V, DecodeError> {
        read_first_child(&self.xml, &self.namespaces, DecodeLimits::default(), f)?.ok_or_else(|| DecodeError {
            path: String::new(),
            offset: 0,
            kind: DecodeErrorKind::Missing("an element".into()),
        })
    }
}

/// An attribute allowed by `xs:anyAttribute`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AnyAttribute {
    /// Its namespace URI (empty for none).
    pub ns: String,
    /// Its local name.
    pub local: String,
    /// Its value.
    pub value: String,
}

impl XmlWriter {
    /// Writes elements captured by `xs:any`, re-declaring the outer bindings each one uses on
    /// its start tag.
    pub fn any_elements(&mut self, elements: &[AnyElement]) {
        for e in elements {
            let xml = e.xml.as_str();
            // The start tag's name ends at the first whitespace, `/` or `>`.
            let name_end = xml
                .char_indices()
                .skip(1)
                .find(|(_, c)| c.is_whitespace() || *c == '/' || *c == '>')
                .map_or(xml.len(), |(i, _)| i);
            if !xml.starts_with('<') || e.namespaces.is_empty() {
                self.raw(xml);
                continue;
            }
            self.raw(&xml[..name_end]);
            for (prefix, uri) in &e.namespaces {
                if prefix.is_empty() {
                    self.attribute("xmlns", uri);
                } else {
                    self.attribute(&format!("xmlns:{prefix}"), uri);
                }
            }
            self.raw(&xml[name_end..]);
        }
    }

    /// Writes attributes captured by `xs:anyAttribute` into the open tag; a namespaced one is
    /// written with a prefix of its own (`a0`, `a1`, ...) declared next to it.
    pub fn any_attributes(&mut self, attributes: &[AnyAttribute]) {
        for (i, a) in attributes.iter().enumerate() {
            if a.ns.is_empty() {
                self.attribute(&a.local, &a.value);
            } else {
                let prefix = format!("a{i}");
                self.attribute(&format!("xmlns:{prefix}"), &a.ns);
                self.attribute(&format!("{prefix}:{}", a.local), &a.value);
            }
        }
    }
}

impl<'a> XmlReader<'a> {
    /// Captures the element `start` opened (an `xs:any` item) and appends it.
    pub fn any_element(&mut self, start: &Start<'a>, items: &mut Vec<AnyElement>) -> Result<(), DecodeError> {
        if items.len() >= self.limits().max_list_items {
            let limit = self.limits().max_list_items;
            return Err(self.error(DecodeErrorKind::Limit { what: "number of list items", limit }));
        }
        let mut namespaces = self.in_scope_outside(start);
        let xml = self.outer_xml(start)?.to_owned();
        namespaces.retain(|(prefix, _)| {
            if prefix.is_empty() { has_unprefixed_element(&xml) } else { xml.contains(&format!("{prefix}:")) }
        });
        items.push(AnyElement { xml, namespaces });
        Ok(())
    }

    /// The attributes of `start` that are not among `known` (`(namespace, local)` pairs), for
    /// `xs:anyAttribute`.
    pub fn other_attributes(
        &self,
        start: &Start<'a>,
        known: &[(&str, &str)],
    ) -> Result<Vec<AnyAttribute>, DecodeError> {
        Ok(self
            .attributes_of(start)?
            .into_iter()
            .filter(|(ns, local, _)| !known.iter().any(|(kn, kl)| kn == ns && kl == local))
            .map(|(ns, local, value)| AnyAttribute { ns, local, value })
            .collect())
    }
}

/// Whether some start tag in `xml` has an unprefixed name (and so uses the default namespace).
fn has_unprefixed_element(xml: &str) -> bool {
    xml.split('<').skip(1).any(|tag| {
        let name: String = tag.chars().take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/').collect();
        !name.is_empty() && !tag.starts_with(['/', '!', '?']) && !name.contains(':')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMESPACES: &[(&str, &str)] = &[("n0", "urn:a")];

    #[test]
    fn any_elements_name_decode_and_hold_typed_values() {
        let e = AnyElement::from_value(&42i32, "n0:Answer", NAMESPACES);
        assert_eq!(
            e.xml,
            r#"<n0:Answer xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:n0="urn:a">42</n0:Answer>"#
        );
        assert_eq!(e.name().unwrap(), ("urn:a".to_owned(), "Answer".to_owned()));
        assert_eq!(e.decode::<i32>().unwrap(), 42);

        // A captured element whose prefix is bound outside it.
        let captured = AnyElement { xml: "<p:X>7</p:X>".into(), namespaces: vec![("p".into(), "urn:p".into())] };
        assert_eq!(captured.name().unwrap(), ("urn:p".to_owned(), "X".to_owned()));
        assert_eq!(captured.decode::<u8>().unwrap(), 7);
        let e = captured.decode::<bool>().unwrap_err();
        assert!(e.to_string().contains("xs:boolean"), "{e}");
        assert!(AnyElement::new("text only").name().is_err());
    }
}
