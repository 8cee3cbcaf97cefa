//! Stage 1: read WSDL 1.1 documents and their XML Schemas into a syntax model.
//!
//! This stage knows XML and the two vocabularies; it resolves prefixes to namespace URIs
//! (every reference becomes a [`QName`]) and follows `wsdl:import`, `xs:import` and
//! `xs:include` to local files. It does not look definitions up and never thinks about Rust.

mod redefine;
mod wsdl;
mod xsd;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::xml::{Pos, QName, XML_NS};

pub use wsdl::*;
pub use xsd::*;

/// Deepest element nesting accepted in a WSDL or schema document.
pub const MAX_DEPTH: usize = 256;

/// An error of the read stage: the input is not a WSDL this stage can read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// A file could not be read.
    #[error("{path}: cannot read file: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file that an import, include or redefine names could not be read.
    #[error("{pos}: cannot read the imported file {}: {source}", path.display())]
    Import {
        /// The import.
        pos: Pos,
        /// The file it names.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file is not well-formed XML.
    #[error("{pos}: not well-formed XML: {message}")]
    Xml {
        /// Where the parser stopped.
        pos: Pos,
        /// What the parser said.
        message: String,
    },
    /// The document is XML but not what was expected.
    #[error("{pos}: {message}")]
    Invalid {
        /// Where the offending construct is.
        pos: Pos,
        /// What is wrong.
        message: String,
    },
}

/// A parsed file, kept while its nodes are read.
pub(crate) struct Source<'a> {
    pub file: Arc<Path>,
    pub doc: &'a roxmltree::Document<'a>,
    /// Byte offset of the start of each line, so a position is a binary search away
    /// (`roxmltree`'s own `text_pos_at` scans from the start of the text on every call).
    line_starts: Vec<usize>,
}

impl<'a> Source<'a> {
    pub fn new(file: Arc<Path>, doc: &'a roxmltree::Document<'a>) -> Self {
        let text = doc.input_text();
        let mut line_starts = vec![0];
        line_starts.extend(memchr_newlines(text.as_bytes()));
        Self { file, doc, line_starts }
    }

    pub fn pos(&self, node: roxmltree::Node<'_, '_>) -> Pos {
        let offset = node.range().start;
        let line = self.line_starts.partition_point(|&start| start <= offset).max(1);
        let line_start = self.line_starts[line - 1];
        let text = self.doc.input_text();
        let col = text.get(line_start..offset).map_or(1, |s| s.chars().count() + 1);
        Pos { file: self.file.clone(), line: line as u32, col: col as u32 }
    }

    pub fn invalid(&self, node: roxmltree::Node<'_, '_>, message: impl Into<String>) -> ReadError {
        ReadError::Invalid { pos: self.pos(node), message: message.into() }
    }

    /// A required attribute, with surrounding whitespace removed (names, QNames and locations
    /// are whitespace-collapsed in XML Schema and WSDL).
    pub fn attr<'n>(&self, node: roxmltree::Node<'n, '_>, name: &str) -> Result<&'n str, ReadError> {
        node.attribute(name)
            .map(str::trim)
            .ok_or_else(|| self.invalid(node, format!("<{}> has no `{name}` attribute", node.tag_name().name())))
    }

    /// Resolves a QName-valued attribute (`prefix:local`) in the node's namespace scope.
    pub fn qname(&self, node: roxmltree::Node<'_, '_>, value: &str) -> Result<QName, ReadError> {
        let value = value.trim();
        let (prefix, local) = match value.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, value),
        };
        if prefix == Some("xml") {
            // Bound by definition, never declared.
            return Ok(QName::new(XML_NS, local));
        }
        match node.lookup_namespace_uri(prefix) {
            Some(ns) => Ok(QName::new(ns, local)),
            None if prefix.is_none() => Ok(QName::new("", local)),
            None => Err(self.invalid(
                node,
                format!("the prefix `{}` in `{value}` is not bound to a namespace", prefix.unwrap_or_default()),
            )),
        }
    }

    pub fn qname_attr(&self, node: roxmltree::Node<'_, '_>, name: &str) -> Result<Option<QName>, ReadError> {
        node.attribute(name).map(|v| self.qname(node, v)).transpose()
    }
}

/// Offsets just after each `\n`.
fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i + 1)
}

/// Whether `node` is the element `{ns}local`.
pub(crate) fn is(node: roxmltree::Node<'_, '_>, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().name() == local && node.tag_name().namespace() == Some(ns)
}

/// The child elements of `node`.
pub(crate) fn elements<'a, 'i>(node: roxmltree::Node<'a, 'i>) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    node.children().filter(|n| n.is_element())
}

/// The text of a documentation element, whitespace-normalised line by line; markup is
/// flattened to its text (WCF wraps summaries in `<summary>`).
pub(crate) fn documentation_text(node: roxmltree::Node<'_, '_>) -> Option<String> {
    let mut raw = String::new();
    for d in node.descendants() {
        if d.is_text() {
            raw.push_str(d.text().unwrap_or_default());
        } else if d.is_element() && d != node && matches!(d.tag_name().name(), "para" | "br" | "p") {
            raw.push('\n');
        }
    }
    let lines: Vec<String> = raw.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    // Drop leading/trailing blank lines, collapse runs of blank lines.
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    if out.is_empty() { None } else { Some(out.join("\n")) }
}

/// Reads a file's text, naming the file on failure. A file named by an import must be a regular
/// file: a device or a pipe (`/dev/zero`, `/dev/stdin`) would be read forever.
pub(crate) fn read_file(path: &Path, imported: bool) -> Result<String, ReadError> {
    let io = |source| ReadError::Io { path: path.to_owned(), source };
    if imported && !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(io(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file")));
    }
    std::fs::read_to_string(path).map_err(io)
}

/// The namespace names of the 1999 and 2000/10 drafts of XML Schema and their instance
/// namespaces, which rpc/encoded services of their time (Apache SOAP, early Axis, SOAP::Lite)
/// declare, each with the XML Schema 1.0 name it is read as.
const DRAFT_SCHEMA_NAMESPACES: [(&str, &str); 4] = [
    ("http://www.w3.org/1999/XMLSchema", "http://www.w3.org/2001/XMLSchema"),
    ("http://www.w3.org/1999/XMLSchema-instance", "http://www.w3.org/2001/XMLSchema-instance"),
    ("http://www.w3.org/2000/10/XMLSchema", "http://www.w3.org/2001/XMLSchema"),
    ("http://www.w3.org/2000/10/XMLSchema-instance", "http://www.w3.org/2001/XMLSchema-instance"),
];

/// `text` with every quoted attribute value naming a draft of XML Schema
/// ([`DRAFT_SCHEMA_NAMESPACES`]) replaced by the XML Schema 1.0 name, so that a schema written in
/// a draft is read as XML Schema 1.0 (the constructs such WSDLs use are the same). The new names
/// are no longer than the old ones and are padded with spaces after the closing quote (where a
/// start tag allows whitespace), so every line and column stays where it was.
pub(crate) fn draft_schemas_as_1_0(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("/XMLSchema") || !DRAFT_SCHEMA_NAMESPACES.iter().any(|(old, _)| text.contains(old)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = text.to_owned();
    for (old, new) in DRAFT_SCHEMA_NAMESPACES {
        for quote in ['"', '\''] {
            let from = format!("{quote}{old}{quote}");
            let to = format!("{quote}{new}{quote}{}", " ".repeat(old.len() - new.len()));
            out = out.replace(&from, &to);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Parses XML text, with the position of any syntax error.
pub(crate) fn parse_xml<'a>(file: &Arc<Path>, text: &'a str) -> Result<roxmltree::Document<'a>, ReadError> {
    // Some published schemas (the W3C xmldsig schema among them) carry an internal DTD subset.
    // roxmltree expands internal entities with depth and count limits and never loads
    // anything external, so allowing it is safe.
    let options = roxmltree::ParsingOptions { allow_dtd: true, nodes_limit: 5_000_000, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let (line, col) = match e {
            // Found at the end of the text, which roxmltree reports as 1:1.
            roxmltree::Error::UnexpectedEndOfStream | roxmltree::Error::UnclosedRootNode => end_position(text),
            _ => (e.pos().row, e.pos().col),
        };
        ReadError::Xml { pos: Pos { file: file.clone(), line, col }, message: e.to_string() }
    })?;
    check_depth(file, &doc)?;
    Ok(doc)
}

/// The 1-based line and column just after the last character of `text`.
fn end_position(text: &str) -> (u32, u32) {
    let line = text.bytes().filter(|b| *b == b'\n').count() + 1;
    let last_line = text.rsplit('\n').next().unwrap_or_default();
    (line as u32, last_line.chars().count() as u32 + 1)
}

/// Rejects documents nested deeper than [`MAX_DEPTH`], so later recursive stages are bounded.
fn check_depth(file: &Arc<Path>, doc: &roxmltree::Document<'_>) -> Result<(), ReadError> {
    // Document order: a node's parent is on the stack of open elements; pop to it, push it.
    let mut open: Vec<roxmltree::NodeId> = Vec::new();
    for n in doc.root().descendants().filter(|n| n.is_element()) {
        let parent = n.parent().map(|p| p.id());
        while open.last().is_some_and(|top| Some(*top) != parent) {
            open.pop();
        }
        open.push(n.id());
        if open.len() > MAX_DEPTH {
            let p = doc.text_pos_at(n.range().start);
            return Err(ReadError::Invalid {
                pos: Pos { file: file.clone(), line: p.row, col: p.col },
                message: format!("elements are nested more than {MAX_DEPTH} deep"),
            });
        }
    }
    Ok(())
}

/// Local copies of documents that imports name by a remote location, in the manner of an XML
/// catalog's `uri` and `rewriteURI` entries: the generator never touches the network, so a
/// WSDL or schema importing `http://...` needs its copy named here.
///
/// A key is matched against the location exactly as written (surrounding whitespace removed);
/// a key ending in `/` also matches every location it is a prefix of, the rest of the location
/// then being joined to the value (a directory). The longest matching key wins. Relative
/// values are relative to the current directory (a build script runs in its crate's
/// directory).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Locations {
    map: std::collections::BTreeMap<String, PathBuf>,
}

impl Locations {
    /// No mappings: every remote location is an error.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `location` from `path` (or, for a key ending in `/`, every location under it from
    /// the directory `path`).
    pub fn insert(&mut self, location: impl Into<String>, path: impl Into<PathBuf>) -> &mut Self {
        self.map.insert(location.into().trim().to_owned(), path.into());
        self
    }

    /// Adds every mapping of `other`; its mappings win over equal keys here.
    pub fn extend(&mut self, other: Locations) {
        self.map.extend(other.map);
    }

    /// Whether there are no mappings.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The local file for `location`, if a mapping covers it.
    #[must_use]
    pub fn lookup(&self, location: &str) -> Option<PathBuf> {
        let location = location.trim();
        if let Some(path) = self.map.get(location) {
            return Some(path.clone());
        }
        self.map
            .iter()
            .filter(|(key, _)| key.ends_with('/') && location.len() > key.len() && location.starts_with(key.as_str()))
            .max_by_key(|(key, _)| key.len())
            .map(|(key, dir)| dir.join(&location[key.len()..]))
    }
}

/// Resolves a `location` / `schemaLocation` relative to the file that names it. A remote
/// location is read from its local copy in `locations`, or refused: the generator never
/// touches the network.
pub(crate) fn local_location(
    src: &Source<'_>,
    node: roxmltree::Node<'_, '_>,
    location: &str,
    locations: &Locations,
) -> Result<PathBuf, ReadError> {
    let location = location.trim();
    let lower = location.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("ftp://") {
        return match locations.lookup(location) {
            Some(path) => Ok(normalize(&path)),
            None => Err(src.invalid(
                node,
                format!(
                    "`{location}` is a remote location; wsdlgen never fetches anything over the network: \
                     download the file and map the location to the local copy \
                     (`--location '{location}=<file>'`, or `Builder::location` in a build script)"
                ),
            )),
        };
    }
    let location = location.strip_prefix("file://").unwrap_or(location);
    let base = src.file.parent().unwrap_or_else(|| Path::new("."));
    Ok(normalize(&base.join(location)))
}

/// Removes `.` and `name/..` components, so paths in messages read as the file's path.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push(c);
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_match_exactly_then_by_the_longest_directory_prefix() {
        let mut l = Locations::new();
        l.insert("http://example.com/a.xsd", "copies/a.xsd")
            .insert("http://example.com/", "mirror")
            .insert("http://example.com/deep/", "deep-mirror");
        assert_eq!(l.lookup(" http://example.com/a.xsd "), Some(PathBuf::from("copies/a.xsd")));
        assert_eq!(l.lookup("http://example.com/x/b.xsd"), Some(PathBuf::from("mirror/x/b.xsd")));
        assert_eq!(l.lookup("http://example.com/deep/c.xsd"), Some(PathBuf::from("deep-mirror/c.xsd")));
        assert_eq!(l.lookup("http://example.com/"), Some(PathBuf::from("mirror")));
        assert_eq!(l.lookup("https://example.com/a.xsd"), None);
        assert_eq!(l.lookup("http://example.org/a.xsd"), None);
    }

    #[test]
    fn draft_schema_namespaces_are_renamed_in_place() {
        let text = "<d xmlns:a=\"http://www.w3.org/2000/10/XMLSchema\" xmlns:b='http://www.w3.org/1999/XMLSchema-instance' x=\"1\"/>\n<e>\"http://www.w3.org/1999/XMLSchema\" in text</e>";
        let out = draft_schemas_as_1_0(text);
        assert_eq!(
            out,
            "<d xmlns:a=\"http://www.w3.org/2001/XMLSchema\"    xmlns:b='http://www.w3.org/2001/XMLSchema-instance' \
             x=\"1\"/>\n<e>\"http://www.w3.org/2001/XMLSchema\" in text</e>"
        );
        // Every line and column after a renamed value stays where it was.
        assert_eq!(out.len(), text.len());
        assert_eq!(out.find("x="), text.find("x="));
        let doc = roxmltree::Document::parse(out.lines().next().unwrap()).unwrap();
        let d = doc.root_element();
        assert_eq!(d.lookup_namespace_uri(Some("a")), Some(crate::xml::XSD_NS));
        // Unquoted mentions, and texts without any, are left alone (and not copied).
        assert!(
            matches!(draft_schemas_as_1_0("<d>http://www.w3.org/1999/XMLSchema</d>"), std::borrow::Cow::Owned(t) if t.contains("1999"))
        );
        assert!(matches!(draft_schemas_as_1_0("<d/>"), std::borrow::Cow::Borrowed(_)));
    }
}
