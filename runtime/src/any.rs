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
            excerpt: None,
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
            // A binding the element declares itself shadows the captured one: declaring the
            // prefix twice on one element would not be well-formed XML.
            let own = declared_prefixes(xml);
            for (prefix, uri) in e.namespaces.iter().filter(|(p, _)| !own.contains(&p.as_str())) {
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
        items.push(self.any_element_value(start)?);
        Ok(())
    }

    /// Captures the element `start` opened (an `xs:any` alternative of a choice).
    pub fn any_element_value(&mut self, start: &Start<'a>) -> Result<AnyElement, DecodeError> {
        let mut namespaces = self.in_scope_outside(start);
        let xml = self.outer_xml(start)?.to_owned();
        let own = declared_prefixes(&xml);
        namespaces.retain(|(prefix, _)| {
            !own.contains(&prefix.as_str())
                && if prefix.is_empty() { has_unprefixed_element(&xml) } else { uses_prefix(&xml, prefix) }
        });
        Ok(AnyElement { xml, namespaces })
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

/// The prefixes (`""` for the default namespace) that the first start tag of `xml` declares.
pub(crate) fn declared_prefixes(xml: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quote = None;
    let mut end = xml.len();
    for (i, c) in xml.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let tag = &xml[..end];
    let mut rest = tag;
    while let Some(at) = rest.find("xmlns") {
        let before = rest[..at].chars().next_back();
        let after = &rest[at + 5..];
        if before.is_some_and(char::is_whitespace) {
            if let Some(named) = after.strip_prefix(':') {
                let prefix: &str = &named[..named.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(named.len())];
                out.push(prefix);
            } else if after.trim_start().starts_with('=') {
                out.push("");
            }
        }
        rest = after;
    }
    out
}

/// Whether `xml` uses `prefix` in a name or a QName value: `prefix:` after `<`, `/`, whitespace
/// or a quote (not inside another word, as in `xmlns:`).
pub(crate) fn uses_prefix(xml: &str, prefix: &str) -> bool {
    let needle = format!("{prefix}:");
    xml.match_indices(&needle).any(|(i, _)| {
        xml[..i].chars().next_back().is_none_or(|c| c == '<' || c == '/' || c == '"' || c == '\'' || c.is_whitespace())
    })
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

    /// An `xs:any` element that declares a prefix the enclosing document binds otherwise (an
    /// envelope declaring `n1` for its own schema): captured and written again, it keeps its own
    /// binding and gets no second declaration of the prefix.
    #[test]
    fn a_captured_element_keeps_its_own_bindings_and_gets_no_duplicates() {
        let doc = br#"<s:Envelope xmlns:s="urn:env" xmlns:n1="urn:outer"><n1:Wrap><n1:Extra xmlns:n1="urn:inner" note="xmlns:s is text">x</n1:Extra></n1:Wrap></s:Envelope>"#;
        let mut r = XmlReader::new(doc);
        r.root().unwrap();
        let wrap = r.next_child().unwrap().unwrap();
        let extra = r.next_child().unwrap().unwrap();
        let mut items = Vec::new();
        r.any_element(&extra, &mut items).unwrap();
        assert!(items[0].namespaces.is_empty(), "{:?}", items[0].namespaces);
        let _ = wrap;
        let mut w = XmlWriter::new();
        w.any_elements(&[AnyElement {
            xml: items[0].xml.clone(),
            namespaces: vec![("n1".into(), "urn:outer".into())],
        }]);
        let out = String::from_utf8(w.into_inner()).unwrap();
        assert_eq!(out.matches("xmlns:n1=").count(), 1, "{out}");
        assert_eq!(items[0].name().unwrap(), ("urn:inner".to_owned(), "Extra".to_owned()));
        assert_eq!(declared_prefixes(r#"<a xmlns="u" xmlns:b='v' c="xmlns:d=">"#), ["", "b"]);
        assert!(
            uses_prefix("<b:x/>", "b") && uses_prefix(r#"<x t="b:T"/>"#, "b") && !uses_prefix("<x xmlns:c='u'/>", "s")
        );
    }
}
