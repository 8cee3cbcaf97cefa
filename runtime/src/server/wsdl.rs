//! Serving the WSDL a server was generated from at `?wsdl`, with its addresses rewritten.

use crate::xml::{DecodeError, XmlReader, XmlWriter};

const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
const WSDL_SOAP11_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
const WSDL_SOAP12_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// A WSDL and the documents it imports.
#[derive(Debug)]
pub(crate) struct WsdlDocuments {
    main: String,
    /// `(location as the importing document writes it, text)`.
    documents: Vec<(String, String)>,
}

impl WsdlDocuments {
    pub(crate) fn new(main: String, documents: Vec<(String, String)>) -> Self {
        Self { main, documents }
    }

    /// The document a `GET` query asks for, rewritten for a service at `address`: `wsdl` or
    /// `singleWsdl` for the WSDL, `xsd=N` for the Nth imported document.
    pub(crate) fn answer(&self, query: &str, address: &str) -> Option<String> {
        let text = if query.eq_ignore_ascii_case("wsdl") || query.eq_ignore_ascii_case("singlewsdl") {
            &self.main
        } else {
            let index: usize = query.strip_prefix("xsd=")?.parse().ok()?;
            &self.documents.get(index)?.1
        };
        Some(match self.rewrite(text, address) {
            Ok(text) => text,
            Err(e) => {
                // Served as given rather than not at all (e.g. a document with a DTD).
                tracing::warn!(error = %e, "the WSDL is served without rewriting its addresses");
                text.clone()
            }
        })
    }

    /// Points every `soap:address` / `soap12:address` at `address`, and every import of a
    /// registered document at `address?xsd=N`.
    fn rewrite(&self, text: &str, address: &str) -> Result<String, DecodeError> {
        let mut edits = Vec::new();
        let mut r = XmlReader::new(text.as_bytes());
        r.root()?;
        self.walk(&mut r, text, address, &mut edits)?;
        let mut out = String::with_capacity(text.len() + 256);
        let mut at = 0;
        for (start, end, value) in edits {
            out.push_str(&text[at..start]);
            out.push_str(&value);
            at = end;
        }
        out.push_str(&text[at..]);
        Ok(out)
    }

    fn walk(
        &self,
        r: &mut XmlReader<'_>,
        text: &str,
        address: &str,
        edits: &mut Vec<(usize, usize, String)>,
    ) -> Result<(), DecodeError> {
        while let Some(child) = r.next_child()? {
            let attribute = match (child.ns(), child.local()) {
                (WSDL_SOAP11_NS | WSDL_SOAP12_NS, "address") => Some(("location", address.to_owned())),
                (XSD_NS, "import" | "include") | (WSDL_NS, "import") => {
                    let name = if child.ns() == XSD_NS { "schemaLocation" } else { "location" };
                    let location = r.attribute(&child, "", name)?;
                    location
                        .and_then(|l| self.documents.iter().position(|(known, _)| *known == *l))
                        .map(|index| (name, format!("{address}?xsd={index}")))
                }
                _ => None,
            };
            match attribute {
                Some((name, value)) => {
                    let element = r.outer_xml(&child)?;
                    let offset = element.as_ptr() as usize - text.as_ptr() as usize;
                    if let Some((start, end)) = attribute_value_span(element, name) {
                        let mut w = XmlWriter::new();
                        w.attribute_text(&value);
                        let escaped = String::from_utf8_lossy(w.as_bytes()).into_owned();
                        edits.push((offset + start, offset + end, escaped));
                    }
                }
                None => self.walk(r, text, address, edits)?,
            }
        }
        Ok(())
    }
}

/// The byte span of the value of the unprefixed attribute `name` in the start tag that begins
/// `element`.
fn attribute_value_span(element: &str, name: &str) -> Option<(usize, usize)> {
    let bytes = element.as_bytes();
    let mut i = element.find(|c: char| c.is_ascii_whitespace())?;
    let mut quote = None;
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return None,
            None if bytes[i - 1].is_ascii_whitespace() && element[i..].starts_with(name) => {
                let rest = element[i + name.len()..].trim_start();
                if let Some(after_eq) = rest.strip_prefix('=') {
                    let value = after_eq.trim_start();
                    let q = value.chars().next()?;
                    if q == '"' || q == '\'' {
                        let start = element.len() - value.len() + 1;
                        let end = start + element[start..].find(q)?;
                        return Some((start, end));
                    }
                }
            }
            None => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const WSDL: &str = r#"<?xml version="1.0"?>
<w:definitions xmlns:w="http://schemas.xmlsoap.org/wsdl/" xmlns:s11="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:s12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <w:types><xs:schema><xs:import namespace="urn:t" schemaLocation="types.xsd"/><xs:import namespace="urn:u" schemaLocation="other.xsd"/></xs:schema></w:types>
  <w:service name="S">
    <w:port name="P1" binding="b1"><s11:address location="https://example.com/old.svc"/></w:port>
    <w:port name="P2" binding="b2"><s12:address  location = 'https://example.com/old12.svc' /></w:port>
    <w:port name="P3" binding="b3"><other:address xmlns:other="urn:other" location="keep"/></w:port>
  </w:service>
</w:definitions>"#;

    #[test]
    fn addresses_and_registered_imports_are_rewritten() {
        let docs = WsdlDocuments::new(
            WSDL.into(),
            vec![("types.xsd".into(), "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"/>".into())],
        );
        let out = docs.answer("wsdl", "http://127.0.0.1:8087/User.svc").unwrap();
        assert!(out.contains(r#"<s11:address location="http://127.0.0.1:8087/User.svc"/>"#), "{out}");
        assert!(out.contains(r#"<s12:address  location = 'http://127.0.0.1:8087/User.svc' />"#), "{out}");
        assert!(out.contains(r#"location="keep""#), "{out}");
        assert!(out.contains(r#"schemaLocation="http://127.0.0.1:8087/User.svc?xsd=0""#), "{out}");
        // Not registered: left as written.
        assert!(out.contains(r#"schemaLocation="other.xsd""#), "{out}");
        assert_eq!(docs.answer("xsd=0", "x").unwrap(), docs.documents[0].1);
        assert_eq!(docs.answer("xsd=1", "x"), None);
        assert_eq!(docs.answer("nonsense", "x"), None);
    }
}
