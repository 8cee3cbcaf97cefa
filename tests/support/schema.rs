//! XML Schema validation with the real `xmllint` (Debian package `libxml2-utils`).
//!
//! [`WsdlSchemas::from_wsdl`] extracts every `xs:schema` under `wsdl:types` into its own `.xsd`
//! file in a temporary directory (adding the namespace declarations it inherited from the WSDL,
//! and pointing location-less `xs:import`s at the extracted file for that namespace), plus a
//! `root.xsd` importing all of them, so any global element of any of them can be validated.
//! [`validate_envelope_structure`] checks the SOAP envelope shape against `tests/schemas/`.
//!
//! Every function here panics when `xmllint` cannot be run, so a test can never pass silently
//! without it; `scripts/test.sh` installs it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::{fs, io};

const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
const XS_NS: &str = "http://www.w3.org/2001/XMLSchema";

/// SOAP version for [`validate_envelope_structure`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SoapVersion {
    /// `http://schemas.xmlsoap.org/soap/envelope/`
    Soap11,
    /// `http://www.w3.org/2003/05/soap-envelope`
    Soap12,
}

/// The `xmllint` executable; panics with instructions when it cannot be run.
pub fn require_xmllint() -> &'static Path {
    static XMLLINT: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let found = XMLLINT.get_or_init(|| {
        let program = PathBuf::from(std::env::var_os("XMLLINT").unwrap_or_else(|| "xmllint".into()));
        match Command::new(&program).arg("--version").output() {
            Ok(out) if out.status.success() => Ok(program),
            Ok(out) => Err(format!("`{} --version` failed with {}", program.display(), out.status)),
            Err(e) => Err(format!("cannot run `{}`: {e}", program.display())),
        }
    });
    match found {
        Ok(path) => path,
        Err(e) => panic!(
            "xmllint is required for schema validation but is not available ({e}). \
             Run the tests with `scripts/test.sh`, which installs it (Debian package libxml2-utils)."
        ),
    }
}

/// Runs `xmllint --noout --nonet --schema <schema> <xml>`; `Err` carries xmllint's stderr.
/// Panics when xmllint cannot be run.
pub fn validate_with_schema(schema: &Path, xml: &[u8]) -> Result<(), String> {
    let xmllint = require_xmllint();
    let dir = TempDir::new("validate").unwrap_or_else(|e| panic!("cannot create a temporary directory: {e}"));
    let doc = dir.path().join("document.xml");
    fs::write(&doc, xml).unwrap_or_else(|e| panic!("cannot write {}: {e}", doc.display()));
    let schema = std::path::absolute(schema).unwrap_or_else(|e| panic!("bad schema path {}: {e}", schema.display()));
    // Run inside the temporary directory so messages name `document.xml`, not a long temp path.
    let out = Command::new(xmllint)
        .current_dir(dir.path())
        .args(["--noout", "--nonet", "--schema"])
        .arg(&schema)
        .arg("document.xml")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", xmllint.display()));
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr).trim_end().to_string();
    if stderr.contains("failed to compile") {
        panic!("xmllint could not compile the schema {}:\n{stderr}", schema.display());
    }
    Err(if stderr.is_empty() { format!("xmllint exited with {}", out.status) } else { stderr })
}

/// Path of the envelope schema in `tests/schemas/` for `version`.
pub fn envelope_schema(version: SoapVersion) -> PathBuf {
    let file = match version {
        SoapVersion::Soap11 => "soap11-envelope.xsd",
        SoapVersion::Soap12 => "soap12-envelope.xsd",
    };
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas").join(file)
}

/// Checks that `xml` is a SOAP `version` envelope: `Envelope`, optional `Header`, exactly one
/// `Body`, in that version's namespace. Body and header content is only checked where it is a
/// SOAP element (e.g. `Fault`); validate the body payload with [`WsdlSchemas::validate`].
pub fn validate_envelope_structure(xml: &[u8], version: SoapVersion) -> Result<(), String> {
    validate_with_schema(&envelope_schema(version), xml)
}

/// The schemas of one WSDL file, extracted into a temporary directory (removed on drop).
#[derive(Debug)]
pub struct WsdlSchemas {
    dir: TempDir,
    root: PathBuf,
    /// target namespace ("" for none) -> the file to import for it
    entries: BTreeMap<String, PathBuf>,
}

impl WsdlSchemas {
    /// Extracts the schemas of the WSDL at `path` and checks that xmllint can compile them.
    /// Panics when xmllint cannot be run.
    pub fn from_wsdl(path: impl AsRef<Path>) -> Result<WsdlSchemas, String> {
        let path = path.as_ref();
        let xmllint = require_xmllint();
        let text = fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let dir = TempDir::new("schemas").map_err(|e| format!("cannot create a temporary directory: {e}"))?;
        let base = path.parent().map(std::path::absolute).transpose().map_err(|e| e.to_string())?;
        let entries = extract(&text, dir.path(), base.as_deref()).map_err(|e| format!("{}: {e}", path.display()))?;
        let root = dir.path().join("root.xsd");
        let schemas = WsdlSchemas { dir, root, entries };

        // Compile check: a document no schema declares must fail validation, not compilation.
        let probe = schemas.dir.path().join("probe.xml");
        fs::write(&probe, "<wsdlgen-tests-probe/>").map_err(|e| e.to_string())?;
        let out = Command::new(xmllint)
            .args(["--noout", "--nonet", "--schema"])
            .arg(&schemas.root)
            .arg(&probe)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", xmllint.display()))?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !stderr.contains("No matching global declaration") {
            return Err(format!("the schemas extracted from {} do not compile:\n{stderr}", path.display()));
        }
        Ok(schemas)
    }

    /// Validates `xml` (any global element of any of the WSDL's schemas may be the root).
    /// `Err` carries xmllint's stderr. Panics when xmllint cannot be run.
    pub fn validate(&self, xml: &[u8]) -> Result<(), String> {
        validate_with_schema(&self.root, xml)
    }

    /// The `root.xsd` that imports every extracted schema.
    pub fn root_xsd(&self) -> &Path {
        &self.root
    }
    /// The temporary directory holding the extracted files.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
    /// Target namespaces of the extracted schemas ("" for a schema without one).
    pub fn target_namespaces(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }
    /// The file imported for `namespace`.
    pub fn schema_file(&self, namespace: &str) -> Option<&Path> {
        self.entries.get(namespace).map(PathBuf::as_path)
    }
}

/// Writes one file per `xs:schema` of the WSDL text into `dir`, one include-wrapper per namespace
/// that has several, and `root.xsd`. Returns the file to import per target namespace. Relative
/// `schemaLocation`s of imports, includes and redefines are made absolute against `base` (the
/// WSDL's directory), since the extracted files live elsewhere.
fn extract(text: &str, dir: &Path, base: Option<&Path>) -> Result<BTreeMap<String, PathBuf>, String> {
    let doc = roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() },
    )
    .map_err(|e| format!("not well-formed XML: {e}"))?;
    let schemas: Vec<_> = doc
        .root_element()
        .children()
        .filter(|n| n.has_tag_name((WSDL_NS, "types")))
        .flat_map(|types| types.children().filter(|n| n.has_tag_name((XS_NS, "schema"))))
        .collect();
    if schemas.is_empty() {
        return Err("no xs:schema under wsdl:types".into());
    }

    let mut by_namespace: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, schema) in schemas.iter().enumerate() {
        let tns = schema.attribute("targetNamespace").unwrap_or_default();
        by_namespace.entry(tns.to_string()).or_default().push(format!("schema{i}.xsd"));
    }
    let mut entries = BTreeMap::new();
    for (k, (tns, files)) in by_namespace.iter().enumerate() {
        let entry = if let [single] = files.as_slice() {
            single.clone()
        } else {
            // Several fragments share a namespace: one file includes them all.
            let mut wrapper = format!("<xs:schema xmlns:xs=\"{XS_NS}\"");
            if !tns.is_empty() {
                write!(wrapper, " targetNamespace=\"{}\"", escape(tns)).unwrap();
            }
            wrapper.push_str(">\n");
            for file in files {
                writeln!(wrapper, "  <xs:include schemaLocation=\"{file}\"/>").unwrap();
            }
            wrapper.push_str("</xs:schema>\n");
            let name = format!("namespace{k}.xsd");
            write_xml(&dir.join(&name), &wrapper)?;
            name
        };
        entries.insert(tns.clone(), entry);
    }

    for (i, schema) in schemas.iter().enumerate() {
        let own_tns = schema.attribute("targetNamespace").unwrap_or_default();
        let range = schema.range();
        // (byte range, text to put there), offsets relative to the original document
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();

        let (name_end, declared) = start_tag(text, range.start)?;
        let mut missing = String::new();
        for ns in schema.namespaces() {
            let attr = ns.name().map_or_else(|| "xmlns".to_string(), |p| format!("xmlns:{p}"));
            if !declared.contains(&attr) {
                write!(missing, " {attr}=\"{}\"", escape(ns.uri())).unwrap();
            }
        }
        edits.push((name_end..name_end, missing));

        let references = ["import", "include", "redefine"];
        for reference in schema.children().filter(|n| references.iter().any(|r| n.has_tag_name((XS_NS, *r)))) {
            let (Some(base), Some(location)) = (base, reference.attribute_node("schemaLocation")) else { continue };
            if location.value().contains("://") || Path::new(location.value()).is_absolute() {
                continue;
            }
            let absolute = base.join(location.value());
            edits.push((location.range_value(), escape(&absolute.to_string_lossy())));
        }

        for import in schema.children().filter(|n| n.has_tag_name((XS_NS, "import"))) {
            let namespace = import.attribute("namespace").unwrap_or_default();
            if import.has_attribute("schemaLocation") || namespace == own_tns {
                continue;
            }
            if let Some(entry) = entries.get(namespace) {
                let (import_name_end, _) = start_tag(text, import.range().start)?;
                edits.push((import_name_end..import_name_end, format!(" schemaLocation=\"{}\"", escape(entry))));
            }
        }

        edits.sort_by_key(|(at, _)| at.start);
        let mut out = String::with_capacity(range.len() + 4096);
        let mut from = range.start;
        for (at, insert) in &edits {
            out.push_str(&text[from..at.start]);
            out.push_str(insert);
            from = at.end;
        }
        out.push_str(&text[from..range.end]);
        out.push('\n');
        write_xml(&dir.join(format!("schema{i}.xsd")), &out)?;
    }

    let mut root = format!("<xs:schema xmlns:xs=\"{XS_NS}\">\n");
    for (tns, entry) in &entries {
        if tns.is_empty() {
            // A schema without target namespace cannot be imported by another one without; include it.
            writeln!(root, "  <xs:include schemaLocation=\"{}\"/>", escape(entry)).unwrap();
        } else {
            writeln!(root, "  <xs:import namespace=\"{}\" schemaLocation=\"{}\"/>", escape(tns), escape(entry))
                .unwrap();
        }
    }
    root.push_str("</xs:schema>\n");
    write_xml(&dir.join("root.xsd"), &root)?;

    Ok(entries.into_iter().map(|(tns, entry)| (tns, dir.join(entry))).collect())
}

/// Parses the start tag at `start` (which points at `<`): returns the offset just after the
/// element name and the names of the attributes written on the tag (including `xmlns*`).
fn start_tag(text: &str, start: usize) -> Result<(usize, Vec<String>), String> {
    let bytes = text.as_bytes();
    let is_name_end = |b: u8| b.is_ascii_whitespace() || b == b'>' || b == b'/';
    let mut at = start + 1;
    while at < bytes.len() && !is_name_end(bytes[at]) {
        at += 1;
    }
    let name_end = at;
    let mut names = Vec::new();
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        match bytes.get(at) {
            None => return Err(format!("unterminated start tag at byte {start}")),
            Some(b'>' | b'/') => return Ok((name_end, names)),
            Some(_) => {}
        }
        let name_start = at;
        while at < bytes.len() && bytes[at] != b'=' && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        names.push(text[name_start..at].to_string());
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'=') {
            at += 1;
        }
        let quote = *bytes.get(at).ok_or_else(|| format!("unterminated start tag at byte {start}"))?;
        let close = text[at + 1..].find(quote as char).ok_or_else(|| format!("unterminated attribute at byte {at}"))?;
        at += 1 + close + 1;
    }
}

fn escape(value: &str) -> String {
    value.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;")
}

fn write_xml(path: &Path, body: &str) -> Result<(), String> {
    fs::write(path, format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}"))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// A uniquely named directory under the system temp dir, removed on drop.
#[derive(Debug)]
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> io::Result<TempDir> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("wsdlgen-tests-{label}-{}-{n}-{nanos}", std::process::id()));
        fs::create_dir_all(&path)?;
        Ok(TempDir(path))
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The SOAP envelope schema of `version` together with the WSDL's schemas, as one schema file in
/// `wsdl`'s directory: validates a whole envelope, body element and header entries included.
pub fn envelope_and_wsdl_schema(wsdl: &WsdlSchemas, version: SoapVersion) -> PathBuf {
    let (env_ns, file) = match version {
        SoapVersion::Soap11 => (super::instance::SOAP11_NS, "envelope11+wsdl.xsd"),
        SoapVersion::Soap12 => (super::instance::SOAP12_NS, "envelope12+wsdl.xsd"),
    };
    let envelope = envelope_schema(version);
    let mut imports: Vec<(&str, &Path)> = vec![(env_ns, envelope.as_path())];
    for ns in wsdl.target_namespaces() {
        imports.push((ns, wsdl.schema_file(ns).expect("schema file")));
    }
    super::instance::combined_schema(wsdl.dir(), file, &imports)
}
