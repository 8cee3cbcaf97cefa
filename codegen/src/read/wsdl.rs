//! The WSDL 1.1 part of the syntax model, and the loader that reads a document with
//! everything it imports.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use roxmltree::Node;

use super::xsd::{Schema, SchemaReader};
use super::{Locations, ReadError, Source, documentation_text, elements, is, local_location, parse_xml, read_file};
use crate::xml::{
    MTOM_POLICY_NS, Pos, QName, RM_POLICY_NAMESPACES, SP_NAMESPACES, WSA_SUBMISSION_POLICY_NS, WSAM_NS, WSAW_NS,
    WSDL_HTTP_NS, WSDL_MIME_NS, WSDL_NS, WSDL_SOAP11_NS, WSDL_SOAP12_NS, WSP_NAMESPACES, XSD_NS,
};

/// Everything read from a WSDL document and the files it imports.
#[derive(Debug, Clone, Default)]
pub struct Definitions {
    /// `targetNamespace` of the main document.
    pub target_ns: String,
    /// `name` of the main document's `wsdl:definitions`.
    pub name: Option<String>,
    /// Documentation of the main document.
    pub doc: Option<String>,
    /// Messages, in document order.
    pub messages: Vec<Message>,
    /// Port types, in document order.
    pub port_types: Vec<PortType>,
    /// Bindings, in document order.
    pub bindings: Vec<Binding>,
    /// Services, in document order.
    pub services: Vec<Service>,
    /// Every schema, inline or imported.
    pub schemas: Vec<Schema>,
    /// Every file read, in the order read.
    pub files: Vec<PathBuf>,
    /// The ids of the top-level `wsp:Policy` elements, with what they assert.
    pub policies: Vec<(String, PolicyAssertions)>,
}

/// What a policy (or a binding, with its inline policies) asserts that matters to a client.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyAssertions {
    /// WS-Addressing.
    pub addressing: Addressing,
    /// Supporting tokens that are all `sp:UsernameToken`s: the runtime sends one when told to
    /// (`SoapClient::set_username_token`).
    pub username_token: bool,
    /// Assertions wsdlgen does not implement, as `prefix:Name` (WS-Security message protection,
    /// tokens other than a username, WS-ReliableMessaging, MTOM); TLS (`sp:TransportBinding`
    /// alone) is not one of them.
    pub unsupported: Vec<String>,
}

impl PolicyAssertions {
    /// The assertions in `node` and its descendants.
    pub fn in_tree(node: Node<'_, '_>) -> Self {
        const MESSAGE_SECURITY: &[&str] = &["SymmetricBinding", "AsymmetricBinding", "SignedParts", "EncryptedParts"];
        let mut out =
            PolicyAssertions { addressing: Addressing::in_tree(node), username_token: false, unsupported: Vec::new() };
        let is_sp = |n: Node<'_, '_>| n.tag_name().namespace().is_some_and(|ns| SP_NAMESPACES.contains(&ns));
        for n in node.descendants().filter(|n| n.is_element()) {
            let (ns, local) = (n.tag_name().namespace().unwrap_or_default(), n.tag_name().name());
            let name = if is_sp(n) && local.ends_with("SupportingTokens") {
                // Tokens a request carries besides the transport's: a username (over TLS) is
                // sent when the client is given one; others are not implemented.
                let tokens: Vec<&str> = n
                    .descendants()
                    .filter(|t| t.is_element() && is_sp(*t) && t.tag_name().name().ends_with("Token"))
                    .map(|t| t.tag_name().name())
                    .collect();
                if !tokens.is_empty() && tokens.iter().all(|t| *t == "UsernameToken") {
                    out.username_token = true;
                    continue;
                }
                format!("sp:{local}")
            } else if is_sp(n) && MESSAGE_SECURITY.contains(&local) {
                format!("sp:{local}")
            } else if RM_POLICY_NAMESPACES.contains(&ns) && local == "RMAssertion" {
                "wsrmp:RMAssertion".to_owned()
            } else if ns == MTOM_POLICY_NS && local == "OptimizedMimeSerialization" {
                "wsoma:OptimizedMimeSerialization".to_owned()
            } else {
                continue;
            };
            if !out.unsupported.contains(&name) {
                out.unsupported.push(name);
            }
        }
        out
    }

    /// Adds what `other` asserts.
    pub fn merge(&mut self, other: &PolicyAssertions) {
        self.addressing = self.addressing.or(other.addressing);
        self.username_token |= other.username_token;
        for u in &other.unsupported {
            if !self.unsupported.contains(u) {
                self.unsupported.push(u.clone());
            }
        }
    }
}

/// What a binding (or a policy) says about WS-Addressing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Addressing {
    #[default]
    None,
    /// WS-Addressing 1.0: `wsaw:UsingAddressing` or `wsam:Addressing`.
    W3c,
    /// The 2004/08 member submission (`wsap:UsingAddressing`).
    Submission,
}

impl Addressing {
    /// The assertion found in `node` or its descendants (1.0 wins over the submission).
    fn in_tree(node: Node<'_, '_>) -> Self {
        let mut found = Addressing::None;
        for n in node.descendants().filter(|n| n.is_element()) {
            match (n.tag_name().namespace(), n.tag_name().name()) {
                (Some(WSAW_NS), "UsingAddressing") | (Some(WSAM_NS), "Addressing") => return Addressing::W3c,
                (Some(WSA_SUBMISSION_POLICY_NS), "UsingAddressing") => found = Addressing::Submission,
                _ => {}
            }
        }
        found
    }

    /// The stronger of two.
    pub fn or(self, other: Addressing) -> Addressing {
        match (self, other) {
            (Addressing::W3c, _) | (_, Addressing::W3c) => Addressing::W3c,
            (Addressing::Submission, _) | (_, Addressing::Submission) => Addressing::Submission,
            _ => Addressing::None,
        }
    }
}

/// Whether `node` is a `wsp:` element named `local`, in any WS-Policy version.
fn is_policy(node: Node<'_, '_>, local: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == local
        && node.tag_name().namespace().is_some_and(|ns| WSP_NAMESPACES.contains(&ns))
}

/// The id a policy is referenced by (`wsu:Id`, `xml:id` or `Id`).
fn policy_id(node: Node<'_, '_>) -> Option<String> {
    node.attributes().find(|a| matches!(a.name(), "Id" | "id")).map(|a| a.value().to_owned())
}

/// `wsdl:message`.
#[derive(Debug, Clone)]
pub struct Message {
    pub name: QName,
    pub parts: Vec<Part>,
    pub pos: Pos,
}

/// `wsdl:part`.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    /// `element="..."`.
    pub element: Option<QName>,
    /// `type="..."`.
    pub type_name: Option<QName>,
    pub pos: Pos,
}

/// `wsdl:portType`.
#[derive(Debug, Clone)]
pub struct PortType {
    pub name: QName,
    pub doc: Option<String>,
    pub operations: Vec<PortOperation>,
    pub pos: Pos,
}

/// `wsdl:portType/wsdl:operation`.
#[derive(Debug, Clone)]
pub struct PortOperation {
    pub name: String,
    pub doc: Option<String>,
    /// `wsdl:input message="..."`.
    pub input: Option<QName>,
    /// `wsdl:input name="..."`.
    pub input_name: Option<String>,
    /// `wsam:Action` (or `wsaw:Action`) on the input.
    pub input_action: Option<String>,
    /// `wsdl:output message="..."`.
    pub output: Option<QName>,
    /// `wsdl:output name="..."`.
    pub output_name: Option<String>,
    /// `wsam:Action` (or `wsaw:Action`) on the output.
    pub output_action: Option<String>,
    /// `wsdl:fault`s: name and message.
    pub faults: Vec<(String, QName)>,
    pub pos: Pos,
}

/// The protocol of a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindingProtocol {
    /// `soap:binding`.
    Soap11,
    /// `soap12:binding`.
    Soap12,
    /// `http:binding` (HTTP GET/POST).
    Http,
    /// Anything else.
    Other,
}

/// `wsdl:binding`.
#[derive(Debug, Clone)]
pub struct Binding {
    pub name: QName,
    /// `type="..."`: the port type.
    pub port_type: QName,
    pub protocol: BindingProtocol,
    /// `soap:binding style="..."` (default `document`).
    pub style: Option<String>,
    pub operations: Vec<BindingOperation>,
    /// What the binding asserts itself (`wsaw:UsingAddressing`, inline policies).
    pub policy: PolicyAssertions,
    /// The policies the binding references (`wsp:PolicyReference URI="#id"`), by id.
    pub policy_refs: Vec<String>,
    pub pos: Pos,
}

/// `wsdl:binding/wsdl:operation`.
#[derive(Debug, Clone)]
pub struct BindingOperation {
    pub name: String,
    /// `soap:operation soapAction="..."`.
    pub soap_action: Option<String>,
    /// `soap:operation style="..."`.
    pub style: Option<String>,
    /// The input's SOAP extensions.
    pub input: Option<BindingMessage>,
    /// The output's SOAP extensions.
    pub output: Option<BindingMessage>,
    pub pos: Pos,
}

/// The SOAP extensions of a binding operation's input or output.
#[derive(Debug, Clone, Default)]
pub struct BindingMessage {
    /// `soap:body`.
    pub body: Option<SoapBody>,
    /// `soap:header`s, in order.
    pub headers: Vec<SoapHeader>,
    /// Where a `mime:multipartRelated` (SOAP with Attachments) stands, if one does.
    pub mime: Option<Pos>,
}

/// `soap:body`.
#[derive(Debug, Clone)]
pub struct SoapBody {
    /// `use="literal"` or `"encoded"`.
    pub use_: String,
    /// `parts="..."`, when given.
    pub parts: Option<Vec<String>>,
    /// `namespace="..."` (rpc style).
    pub namespace: Option<String>,
    /// `encodingStyle="..."` (encoded messages): URIs separated by spaces.
    pub encoding_style: Option<String>,
    pub pos: Pos,
}

/// `soap:header`.
#[derive(Debug, Clone)]
pub struct SoapHeader {
    /// `message="..."`.
    pub message: QName,
    /// `part="..."`.
    pub part: String,
    /// `use="..."`.
    pub use_: String,
    pub pos: Pos,
}

/// `wsdl:service`.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: QName,
    pub ports: Vec<Port>,
}

/// `wsdl:port`.
#[derive(Debug, Clone)]
pub struct Port {
    pub name: String,
    /// `binding="..."`.
    pub binding: QName,
    /// `soap:address location="..."`.
    pub address: Option<String>,
    /// What the port asserts (`wsaw:UsingAddressing`, inline policies).
    pub policy: PolicyAssertions,
    pub pos: Pos,
}

/// Reads the WSDL document at `path` and every file it imports, reading remote locations from
/// their local copies in `locations`.
pub(crate) fn read_wsdl(path: &Path, locations: &Locations) -> Result<Definitions, ReadError> {
    let mut loader = Loader { defs: Definitions::default(), seen: HashSet::new(), main: true, locations };
    loader.wsdl_file(path, None)?;
    Ok(loader.defs)
}

/// Reads a WSDL document given as text; `path` names it in errors and anchors relative imports.
pub(crate) fn read_wsdl_str(path: &Path, text: &str, locations: &Locations) -> Result<Definitions, ReadError> {
    let mut loader = Loader { defs: Definitions::default(), seen: HashSet::new(), main: true, locations };
    // The key an import of this same file would have, so that an import cycle back to it ends.
    loader.seen.insert(canonical(path));
    loader.defs.files.push(path.to_owned());
    loader.wsdl_text(path, text)?;
    Ok(loader.defs)
}

struct Loader<'l> {
    defs: Definitions,
    seen: HashSet<PathBuf>,
    main: bool,
    locations: &'l Locations,
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

impl Loader<'_> {
    fn wsdl_file(&mut self, path: &Path, from: Option<&Pos>) -> Result<(), ReadError> {
        let key = canonical(path);
        if !self.seen.insert(key) {
            // Imported twice (or an import cycle): its definitions are already in.
            return Ok(());
        }
        let text = read_file(path, from.is_some()).map_err(|e| with_origin(e, from))?;
        self.defs.files.push(path.to_owned());
        self.wsdl_text(path, &text)
    }

    fn wsdl_text(&mut self, path: &Path, text: &str) -> Result<(), ReadError> {
        let file: Arc<Path> = Arc::from(path);
        let text = super::draft_schemas_as_1_0(text);
        let doc = parse_xml(&file, &text)?;
        let src = Source::new(file, &doc);
        let root = doc.root_element();
        if !is(root, WSDL_NS, "definitions") {
            return Err(src.invalid(
                root,
                format!(
                    "the root element is <{}> in namespace `{}`, not a WSDL 1.1 <definitions> (namespace {WSDL_NS})",
                    root.tag_name().name(),
                    root.tag_name().namespace().unwrap_or("")
                ),
            ));
        }
        let tns = root.attribute("targetNamespace").unwrap_or_default().to_owned();
        if std::mem::take(&mut self.main) {
            self.defs.target_ns = tns.clone();
            self.defs.name = root.attribute("name").map(str::to_owned);
            self.defs.doc = elements(root).find(|n| is(*n, WSDL_NS, "documentation")).and_then(documentation_text);
        }
        for child in elements(root) {
            // Policies stand at the top level, next to the bindings that reference them.
            if is_policy(child, "Policy") {
                if let Some(id) = policy_id(child) {
                    self.defs.policies.push((id, PolicyAssertions::in_tree(child)));
                }
                continue;
            }
            if child.tag_name().namespace() != Some(WSDL_NS) {
                continue;
            }
            let name = || -> Result<QName, ReadError> { Ok(QName::new(tns.clone(), src.attr(child, "name")?)) };
            match child.tag_name().name() {
                "import" => {
                    let location = src.attr(child, "location")?;
                    let target = local_location(&src, child, location, self.locations)?;
                    let pos = src.pos(child);
                    if is_schema_file(&target) {
                        self.schema_file(&target, Some(&pos), None)?;
                    } else {
                        self.wsdl_file(&target, Some(&pos))?;
                    }
                }
                "types" => {
                    for schema in elements(child).filter(|n| is(*n, XSD_NS, "schema")) {
                        self.schema(&src, schema, None)?;
                    }
                }
                "message" => self.defs.messages.push(Message {
                    name: name()?,
                    parts: elements(child)
                        .filter(|n| is(*n, WSDL_NS, "part"))
                        .map(|p| {
                            Ok(Part {
                                name: src.attr(p, "name")?.to_owned(),
                                element: src.qname_attr(p, "element")?,
                                type_name: src.qname_attr(p, "type")?,
                                pos: src.pos(p),
                            })
                        })
                        .collect::<Result<_, ReadError>>()?,
                    pos: src.pos(child),
                }),
                "portType" => self.defs.port_types.push(PortType {
                    name: name()?,
                    doc: doc_of(child),
                    operations: elements(child)
                        .filter(|n| is(*n, WSDL_NS, "operation"))
                        .map(|op| port_operation(&src, op))
                        .collect::<Result<_, _>>()?,
                    pos: src.pos(child),
                }),
                "binding" => self.defs.bindings.push(binding(&src, child, name()?)?),
                "service" => self.defs.services.push(Service {
                    name: name()?,
                    ports: elements(child)
                        .filter(|n| is(*n, WSDL_NS, "port"))
                        .map(|p| {
                            Ok(Port {
                                name: src.attr(p, "name")?.to_owned(),
                                binding: src.qname(p, src.attr(p, "binding")?)?,
                                address: elements(p)
                                    .find(|a| a.tag_name().name() == "address")
                                    .and_then(|a| a.attribute("location"))
                                    .map(str::to_owned),
                                policy: PolicyAssertions::in_tree(p),
                                pos: src.pos(p),
                            })
                        })
                        .collect::<Result<_, ReadError>>()?,
                }),
                _ => {}
            }
        }
        Ok(())
    }

    fn schema_file(&mut self, path: &Path, from: Option<&Pos>, chameleon_ns: Option<&str>) -> Result<(), ReadError> {
        let key = canonical(path);
        if !self.seen.insert(key) {
            return Ok(());
        }
        let text = read_file(path, from.is_some()).map_err(|e| with_origin(e, from))?;
        self.defs.files.push(path.to_owned());
        let file: Arc<Path> = Arc::from(path);
        let text = super::draft_schemas_as_1_0(&text);
        let doc = parse_xml(&file, &text)?;
        let src = Source::new(file, &doc);
        let root = doc.root_element();
        if !is(root, XSD_NS, "schema") {
            return Err(
                src.invalid(root, format!("<{}> is not an XML Schema document (<xs:schema>)", root.tag_name().name()))
            );
        }
        self.schema(&src, root, chameleon_ns)
    }

    /// Reads one `xs:schema` element and follows its imports and includes.
    fn schema(&mut self, src: &Source<'_>, node: Node<'_, '_>, chameleon_ns: Option<&str>) -> Result<(), ReadError> {
        let target_ns = match node.attribute("targetNamespace") {
            Some(ns) => ns.to_owned(),
            // A schema without a target namespace included from one with it takes the includer's.
            None => chameleon_ns.unwrap_or_default().to_owned(),
        };
        let reader = SchemaReader {
            src,
            target_ns: target_ns.clone(),
            element_qualified: node.attribute("elementFormDefault") == Some("qualified"),
            attribute_qualified: node.attribute("attributeFormDefault") == Some("qualified"),
        };
        let mut schema = Schema {
            elements: Vec::new(),
            types: Vec::new(),
            groups: Vec::new(),
            attribute_groups: Vec::new(),
            attributes: Vec::new(),
            pos: src.pos(node),
        };
        reader.read_components(node, &mut schema)?;
        self.defs.schemas.push(schema);
        for child in elements(node) {
            let redefine = is(child, XSD_NS, "redefine");
            let include = redefine || is(child, XSD_NS, "include");
            if !(include || is(child, XSD_NS, "import")) {
                continue;
            }
            let Some(location) = child.attribute("schemaLocation") else {
                if include {
                    let tag = child.tag_name().name();
                    return Err(src.invalid(child, format!("<xs:{tag}> has no schemaLocation")));
                }
                // An import without a location names a schema found elsewhere (e.g. a sibling in wsdl:types).
                continue;
            };
            let target = local_location(src, child, location, self.locations)?;
            let pos = src.pos(child);
            self.schema_file(&target, Some(&pos), include.then_some(target_ns.as_str()))?;
            if redefine {
                // The redefined components are in the schemas read so far (this include, or an
                // earlier one of the same file): replaced there, so that they hold everywhere.
                let mut redefinitions = Schema {
                    elements: Vec::new(),
                    types: Vec::new(),
                    groups: Vec::new(),
                    attribute_groups: Vec::new(),
                    attributes: Vec::new(),
                    pos: pos.clone(),
                };
                reader.read_components(child, &mut redefinitions)?;
                super::redefine::apply(&mut self.defs.schemas, redefinitions)?;
            }
        }
        Ok(())
    }
}

fn is_schema_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xsd"))
}

fn with_origin(e: ReadError, from: Option<&Pos>) -> ReadError {
    match (e, from) {
        (ReadError::Io { path, source }, Some(pos)) => ReadError::Import { pos: pos.clone(), path, source },
        (e, _) => e,
    }
}

fn doc_of(node: Node<'_, '_>) -> Option<String> {
    elements(node).find(|n| is(*n, WSDL_NS, "documentation")).and_then(documentation_text)
}

fn port_operation(src: &Source<'_>, op: Node<'_, '_>) -> Result<PortOperation, ReadError> {
    let message = |tag: &str| -> Result<Option<QName>, ReadError> {
        match elements(op).find(|n| is(*n, WSDL_NS, tag)) {
            Some(n) => Ok(Some(src.qname(n, src.attr(n, "message")?)?)),
            None => Ok(None),
        }
    };
    let input = elements(op).find(|n| is(*n, WSDL_NS, "input"));
    let output = elements(op).find(|n| is(*n, WSDL_NS, "output"));
    let action_of = |n: Option<Node<'_, '_>>| {
        n.and_then(|n| n.attribute((WSAM_NS, "Action")).or_else(|| n.attribute((WSAW_NS, "Action"))))
            .map(|a| a.trim().to_owned())
    };
    Ok(PortOperation {
        name: src.attr(op, "name")?.to_owned(),
        doc: doc_of(op),
        input: message("input")?,
        input_name: input.and_then(|n| n.attribute("name")).map(str::to_owned),
        input_action: action_of(input),
        output: message("output")?,
        output_name: output.and_then(|n| n.attribute("name")).map(str::to_owned),
        output_action: action_of(output),
        faults: elements(op)
            .filter(|n| is(*n, WSDL_NS, "fault"))
            .map(|f| Ok((src.attr(f, "name")?.to_owned(), src.qname(f, src.attr(f, "message")?)?)))
            .collect::<Result<_, ReadError>>()?,
        pos: src.pos(op),
    })
}

fn is_soap(node: Node<'_, '_>) -> bool {
    matches!(node.tag_name().namespace(), Some(WSDL_SOAP11_NS | WSDL_SOAP12_NS))
}

fn binding(src: &Source<'_>, node: Node<'_, '_>, name: QName) -> Result<Binding, ReadError> {
    let mut protocol = BindingProtocol::Other;
    let mut style = None;
    for child in elements(node) {
        if child.tag_name().name() != "binding" {
            continue;
        }
        protocol = match child.tag_name().namespace() {
            Some(WSDL_SOAP11_NS) => BindingProtocol::Soap11,
            Some(WSDL_SOAP12_NS) => BindingProtocol::Soap12,
            Some(WSDL_HTTP_NS) => BindingProtocol::Http,
            _ => continue,
        };
        style = child.attribute("style").map(str::to_owned);
    }
    let mut operations = Vec::new();
    for op in elements(node).filter(|n| is(*n, WSDL_NS, "operation")) {
        let soap_op = elements(op).find(|n| is_soap(*n) && n.tag_name().name() == "operation");
        operations.push(BindingOperation {
            name: src.attr(op, "name")?.to_owned(),
            soap_action: soap_op.and_then(|n| n.attribute("soapAction")).map(str::to_owned),
            style: soap_op.and_then(|n| n.attribute("style")).map(str::to_owned),
            input: binding_message(src, op, "input")?,
            output: binding_message(src, op, "output")?,
            pos: src.pos(op),
        });
    }
    // `wsaw:UsingAddressing` or inline policies; policy references.
    let mut policy = PolicyAssertions::default();
    let mut policy_refs = Vec::new();
    for child in elements(node) {
        if is(child, WSAW_NS, "UsingAddressing") || is_policy(child, "Policy") {
            policy.merge(&PolicyAssertions::in_tree(child));
        } else if is_policy(child, "PolicyReference") {
            if let Some(uri) = child.attribute("URI") {
                policy_refs.push(uri.trim().trim_start_matches('#').to_owned());
            }
        }
    }
    Ok(Binding {
        name,
        port_type: src.qname(node, src.attr(node, "type")?)?,
        protocol,
        style,
        operations,
        policy,
        policy_refs,
        pos: src.pos(node),
    })
}

fn binding_message(src: &Source<'_>, op: Node<'_, '_>, tag: &str) -> Result<Option<BindingMessage>, ReadError> {
    let Some(node) = elements(op).find(|n| is(*n, WSDL_NS, tag)) else {
        return Ok(None);
    };
    let mut out = BindingMessage::default();
    for ext in elements(node).filter(|n| is_soap(*n)) {
        match ext.tag_name().name() {
            "body" => {
                out.body = Some(SoapBody {
                    use_: ext.attribute("use").unwrap_or("literal").to_owned(),
                    parts: ext.attribute("parts").map(|p| p.split_whitespace().map(str::to_owned).collect()),
                    namespace: ext.attribute("namespace").map(str::to_owned),
                    encoding_style: ext.attribute("encodingStyle").map(str::to_owned),
                    pos: src.pos(ext),
                })
            }
            "header" => out.headers.push(SoapHeader {
                message: src.qname(ext, src.attr(ext, "message")?)?,
                part: src.attr(ext, "part")?.to_owned(),
                use_: ext.attribute("use").unwrap_or("literal").to_owned(),
                pos: src.pos(ext),
            }),
            _ => {}
        }
    }
    out.mime = elements(node).find(|n| is(*n, WSDL_MIME_NS, "multipartRelated")).map(|n| src.pos(n));
    Ok(Some(out))
}
