//! What every stage shares: qualified XML names, positions in the input files, and the
//! namespaces of the vocabularies the generator reads.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// A place in an input file: path, 1-based line and column (what every error points at).
/// Its `Display` is `file:line:column`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pos {
    pub(crate) file: Arc<Path>,
    pub(crate) line: u32,
    pub(crate) col: u32,
}

impl Pos {
    /// The file, as it was named (the path given, or joined to the importing file's directory).
    #[must_use]
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The 1-based line.
    #[must_use]
    pub fn line(&self) -> u32 {
        self.line
    }

    /// The 1-based column, in characters.
    #[must_use]
    pub fn column(&self) -> u32 {
        self.col
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

/// Which namespaces an `xs:any` accepts elements from (its `namespace` attribute, with
/// `##targetNamespace` and `##local` already replaced by the URI and `""`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Wildcard {
    /// `##any` (the default).
    Any,
    /// `##other`: any namespace but these (the schema's target namespace and no namespace).
    Not(Vec<String>),
    /// A list: only these (`""` for unqualified elements).
    In(Vec<String>),
}

impl Wildcard {
    /// The constraint of `namespace="..."` in a schema whose target namespace is `target_ns`.
    pub fn parse(value: Option<&str>, target_ns: &str) -> Self {
        match value.map(str::trim) {
            None | Some("##any") => Wildcard::Any,
            Some("##other") => Wildcard::Not(vec![target_ns.to_owned(), String::new()]),
            Some(list) => Wildcard::In(
                list.split_ascii_whitespace()
                    .map(|item| match item {
                        "##targetNamespace" => target_ns.to_owned(),
                        "##local" => String::new(),
                        uri => uri.to_owned(),
                    })
                    .collect(),
            ),
        }
    }
}

/// A namespace-qualified name (namespace URI + local name).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QName {
    /// The namespace URI; empty for no namespace.
    pub ns: String,
    /// The local name.
    pub local: String,
}

impl QName {
    /// A name in namespace `ns`.
    pub fn new(ns: impl Into<String>, local: impl Into<String>) -> Self {
        Self { ns: ns.into(), local: local.into() }
    }
}

impl fmt::Display for QName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ns.is_empty() { write!(f, "{}", self.local) } else { write!(f, "{{{}}}{}", self.ns, self.local) }
    }
}

/// The WSDL 1.1 namespace.
pub(crate) const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
/// The WSDL SOAP 1.1 binding namespace.
pub(crate) const WSDL_SOAP11_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
/// The WSDL SOAP 1.2 binding namespace.
pub(crate) const WSDL_SOAP12_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";
/// WS-Addressing 1.0 WSDL binding (`wsaw:UsingAddressing`, `wsaw:Action`).
pub(crate) const WSAW_NS: &str = "http://www.w3.org/2006/05/addressing/wsdl";
/// WS-Addressing 1.0 Metadata (`wsam:Addressing` policy assertion, `wsam:Action`).
pub(crate) const WSAM_NS: &str = "http://www.w3.org/2007/05/addressing/metadata";
/// The policy assertion of the 2004 member submission of WS-Addressing.
pub(crate) const WSA_SUBMISSION_POLICY_NS: &str = "http://schemas.xmlsoap.org/ws/2004/08/addressing/policy";
/// WS-SecurityPolicy (1.2, and the 2005 draft WCF still writes).
pub(crate) const SP_NAMESPACES: &[&str] = &[
    "http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702",
    "http://schemas.xmlsoap.org/ws/2005/07/securitypolicy",
];
/// WS-ReliableMessaging policy (1.1, and the 2005 submission).
pub(crate) const RM_POLICY_NAMESPACES: &[&str] =
    &["http://docs.oasis-open.org/ws-rx/wsrmp/200702", "http://schemas.xmlsoap.org/ws/2005/02/rm/policy"];
/// The MTOM policy assertion's namespace (`wsoma:OptimizedMimeSerialization`).
pub(crate) const MTOM_POLICY_NS: &str = "http://schemas.xmlsoap.org/ws/2004/09/policy/optimizedmimeserialization";
/// The WS-Policy namespaces (1.5, its 2006 draft, and the 2004 submission).
pub(crate) const WSP_NAMESPACES: &[&str] = &[
    "http://www.w3.org/ns/ws-policy",
    "http://www.w3.org/2006/07/ws-policy",
    "http://schemas.xmlsoap.org/ws/2004/09/policy",
];
/// The WSDL MIME binding namespace (SOAP with Attachments).
pub(crate) const WSDL_MIME_NS: &str = "http://schemas.xmlsoap.org/wsdl/mime/";
/// The WSDL HTTP binding namespace.
pub(crate) const WSDL_HTTP_NS: &str = "http://schemas.xmlsoap.org/wsdl/http/";
/// The XML Schema namespace.
pub(crate) const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";
/// SOAP 1.1 encoding (section 5): `soapenc:Array`, `soapenc:arrayType`, the SOAP-ENC built-ins,
/// and the `encodingStyle` URI of encoded messages.
pub(crate) const SOAP_ENC_NS: &str = "http://schemas.xmlsoap.org/soap/encoding/";

/// The namespace bound to the `xml` prefix.
pub(crate) const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// The WCF serialization namespace, where `IsDictionary` annotations live.
pub(crate) const WCF_SERIALIZATION_NS: &str = "http://schemas.microsoft.com/2003/10/Serialization/";

#[cfg(test)]
mod tests {
    use super::Wildcard;

    #[test]
    fn wildcard_namespaces_are_resolved_against_the_target_namespace() {
        assert_eq!(Wildcard::parse(None, "urn:t"), Wildcard::Any);
        assert_eq!(Wildcard::parse(Some(" ##any "), "urn:t"), Wildcard::Any);
        assert_eq!(Wildcard::parse(Some("##other"), "urn:t"), Wildcard::Not(vec!["urn:t".into(), String::new()]));
        assert_eq!(
            Wildcard::parse(Some("##targetNamespace ##local urn:x"), "urn:t"),
            Wildcard::In(vec!["urn:t".into(), String::new(), "urn:x".into()])
        );
    }
}
