//! Stage 2: resolve the syntax model into the [`Model`]: look every name up by namespace URI
//! and local name, pick the bindings, flatten content models into fields, keep only what the
//! selected operations reach, and find the fields that must be boxed to break cycles.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::model::*;
use crate::read::{
    Binding, BindingOperation, BindingProtocol, ComplexType, Content, Definitions, Element, Message, Particle,
    PortOperation, Pos, QName, SimpleType, SimpleVariety, TypeDef, WCF_SERIALIZATION_NS, XSD_NS,
};

/// An error of the resolve stage: the WSDL refers to something that does not exist, or uses
/// a construct the generator does not support.
#[derive(Debug, thiserror::Error)]
#[error("{pos}: {message}")]
pub struct ResolveError {
    /// Where the offending construct is.
    pub pos: Pos,
    /// What is wrong.
    pub message: String,
}

fn err<T>(pos: &Pos, message: impl Into<String>) -> Result<T, ResolveError> {
    Err(ResolveError { pos: pos.clone(), message: message.into() })
}

/// How a service reports failures through response headers (e.g. a `Succeeded` flag and an
/// `ExceptionInfo` detail), by the local names of the header elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceErrorRule {
    /// The boolean header that is `false` when the call failed.
    pub success_header: String,
    /// The header that carries the failure's details.
    pub detail_header: String,
    /// The detail type's field (XML name) with a human-readable message.
    pub message_field: Option<String>,
}

/// What to resolve.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// Only these operations (by name) and the types they reach; all when `None`.
    pub operations: Option<Vec<String>>,
    /// The service-error rule, if the service has one.
    pub service_error: Option<ServiceErrorRule>,
    /// More fields to treat as secrets, as `Type.Field` or `Field` (XML local names), on top of
    /// the names that look secret (see [`looks_secret`]).
    pub secrets: Vec<String>,
}

/// Whether an element's local name looks like it holds a secret: it contains `password`,
/// `passwd`, `secret`, `ticket`, `token`, `apikey`, `api_key` or `privatekey` (any case).
pub fn looks_secret(local: &str) -> bool {
    let lower = local.to_ascii_lowercase();
    ["password", "passwd", "secret", "ticket", "token", "apikey", "api_key", "privatekey", "private_key"]
        .iter()
        .any(|w| lower.contains(w))
}

/// What `binding`'s policies (its own, those it references, those of ports using it) mean for
/// the client. Returns whether requests carry WS-Addressing 1.0 headers; what the policies ask
/// for that the client must be given (a UsernameToken) or that wsdlgen does not do (the 2004/08
/// addressing submission, message-level security, reliable messaging, MTOM) gets a note.
fn policy_of(defs: &Definitions, binding: &Binding, notes: &mut Vec<String>) -> bool {
    use crate::read::Addressing;
    let mut policy = binding.policy.clone();
    for id in &binding.policy_refs {
        for (_, p) in defs.policies.iter().filter(|(p, _)| p == id) {
            policy.merge(p);
        }
    }
    for port in defs.services.iter().flat_map(|s| &s.ports).filter(|p| p.binding == binding.name) {
        policy.merge(&port.policy);
    }
    let mut note = |text: String| {
        if !notes.contains(&text) {
            notes.push(text);
        }
    };
    if policy.addressing == Addressing::Submission {
        note(format!(
            "binding `{}` asks for WS-Addressing of the 2004/08 member submission, which is not sent (only \
             WS-Addressing 1.0 is)",
            binding.name.local
        ));
    }
    if policy.username_token {
        note(format!(
            "binding `{}`'s policy asks for a WS-Security UsernameToken: give the client one with \
             `SoapClient::set_username_token`",
            binding.name.local
        ));
    }
    if !policy.unsupported.is_empty() {
        note(format!(
            "binding `{}`'s policy asks for {}, which wsdlgen does not implement (WS-Security message protection \
             and tokens, reliable messaging, MTOM): the service may refuse calls through it",
            binding.name.local,
            policy.unsupported.join(", ")
        ));
    }
    policy.addressing == Addressing::W3c
}

/// The WS-Addressing action of `op`'s request: its `wsam:Action`, else the `soapAction` when
/// there is one, else the default of WS-Addressing 1.0 Metadata (section 4.4.4):
/// `{namespace}{delimiter}{port type}{delimiter}{input name}`, the delimiter `:` for a URN
/// namespace and `/` otherwise, the input name `{operation}Request` (or `{operation}` for a
/// one-way operation) unless the input has a name.
fn addressing_action(port_type: &QName, op: &PortOperation, soap_action: &str) -> String {
    if let Some(action) = &op.input_action {
        return action.clone();
    }
    if !soap_action.is_empty() {
        return soap_action.to_owned();
    }
    let ns = &port_type.ns;
    let delimiter = if ns.to_ascii_lowercase().starts_with("urn:") { ":" } else { "/" };
    let input = match &op.input_name {
        Some(name) => name.clone(),
        None if op.output.is_some() => format!("{}Request", op.name),
        None => op.name.clone(),
    };
    let base = ns.strip_suffix(delimiter).unwrap_or(ns);
    format!("{base}{delimiter}{}{delimiter}{input}", port_type.local)
}

/// Resolves `defs` into a model.
pub fn resolve(defs: &Definitions, options: &ResolveOptions) -> Result<Model, ResolveError> {
    check_definitions(defs)?;
    let mut r = Resolver::new(defs);
    r.secrets = options.secrets.clone();
    let mut clients = Vec::new();
    let mut notes = Vec::new();
    let mut wanted: Option<BTreeSet<&str>> =
        options.operations.as_ref().map(|ops| ops.iter().map(String::as_str).collect());
    let mut found: HashSet<String> = HashSet::new();

    for port_type in &defs.port_types {
        let soap_bindings: Vec<&Binding> = defs
            .bindings
            .iter()
            .filter(|b| b.port_type == port_type.name)
            .filter(|b| matches!(b.protocol, BindingProtocol::Soap11 | BindingProtocol::Soap12))
            .collect();
        for b in defs.bindings.iter().filter(|b| b.port_type == port_type.name) {
            if b.protocol == BindingProtocol::Http {
                notes.push(format!("binding `{}` is an HTTP GET/POST binding: skipped", b.name.local));
            }
        }
        let Some(binding) = soap_bindings
            .iter()
            .find(|b| b.protocol == BindingProtocol::Soap11)
            .or_else(|| soap_bindings.first())
            .copied()
        else {
            notes.push(format!("port type `{}` has no SOAP binding: skipped", port_type.name.local));
            continue;
        };
        let version =
            if binding.protocol == BindingProtocol::Soap12 { SoapVersion::Soap12 } else { SoapVersion::Soap11 };
        let mut client = Client {
            name: port_type.name.clone(),
            doc: port_type.doc.clone(),
            binding: binding.name.clone(),
            version,
            address: defs
                .services
                .iter()
                .flat_map(|s| &s.ports)
                .find(|p| p.binding == binding.name)
                .and_then(|p| p.address.clone()),
            operations: Vec::new(),
            request_headers: Vec::new(),
            response_headers: Vec::new(),
            service_error: None,
            other_bindings: Vec::new(),
            addressing: policy_of(defs, binding, &mut notes),
        };
        for op in &port_type.operations {
            if let Some(w) = &wanted {
                if !w.contains(op.name.as_str()) {
                    continue;
                }
            }
            found.insert(op.name.clone());
            let Some(bop) = binding.operations.iter().find(|b| b.name == op.name) else {
                return err(&binding.pos, format!("binding `{}` has no operation `{}`", binding.name.local, op.name));
            };
            let operation = r.operation(binding, op, bop, &mut client)?;
            client.operations.push(operation);
        }
        if client.operations.is_empty() && wanted.is_some() {
            continue;
        }
        for other in soap_bindings.iter().filter(|b| b.name != binding.name) {
            let actions = client
                .operations
                .iter()
                .map(|op| {
                    other
                        .operations
                        .iter()
                        .find(|b| b.name == op.name)
                        .and_then(|b| b.soap_action.clone())
                        .unwrap_or_default()
                })
                .collect();
            client.other_bindings.push(OtherBinding {
                name: other.name.clone(),
                version: if other.protocol == BindingProtocol::Soap12 {
                    SoapVersion::Soap12
                } else {
                    SoapVersion::Soap11
                },
                address: defs
                    .services
                    .iter()
                    .flat_map(|s| &s.ports)
                    .find(|p| p.binding == other.name)
                    .and_then(|p| p.address.clone()),
                actions,
                addressing: policy_of(defs, other, &mut notes),
            });
        }
        if let Some(rule) = &options.service_error {
            client.service_error = r.service_error(&client, rule, &port_type.pos)?;
        }
        clients.push(client);
    }

    if let Some(w) = wanted.take() {
        let missing: Vec<&str> = w.into_iter().filter(|name| !found.contains(*name)).collect();
        if !missing.is_empty() {
            let known: Vec<&str> =
                defs.port_types.iter().flat_map(|p| &p.operations).map(|o| o.name.as_str()).collect();
            let pos = defs.port_types.first().map(|p| p.pos.clone()).unwrap_or_else(|| r.document_pos());
            return err(
                &pos,
                format!("no operation named {} (the document has: {})", missing.join(", "), known.join(", ")),
            );
        }
    }

    let mut types: Vec<Type> = Vec::with_capacity(r.types.len());
    for (i, t) in r.types.into_iter().enumerate() {
        match t {
            Some(t) => types.push(t),
            None => unreachable!("type {i} was registered but never resolved"),
        }
    }
    mark_boxed(&mut types);
    notes.extend(r.notes);
    Ok(Model { doc: defs.doc.clone(), clients, types, namespaces: r.namespaces, notes })
}

/// Checks the definitions as a whole, before any is looked up: each name is defined once in its
/// symbol space, every binding's port type and every port's binding exist, and no model group
/// or simple type is defined in terms of itself (resolving it would never end).
fn check_definitions(defs: &Definitions) -> Result<(), ResolveError> {
    fn once<'d>(
        seen: &mut HashMap<&'d QName, &'d Pos>,
        what: &str,
        name: &'d QName,
        pos: &'d Pos,
    ) -> Result<(), ResolveError> {
        match seen.get(name) {
            Some(first) => err(pos, format!("duplicate definition of {what} {name} (first at {first})")),
            None => {
                seen.insert(name, pos);
                Ok(())
            }
        }
    }
    let mut types = HashMap::new();
    let mut elements = HashMap::new();
    let mut groups = HashMap::new();
    let mut attributes = HashMap::new();
    let mut attribute_groups = HashMap::new();
    let mut simple_types: HashMap<&QName, &SimpleType> = HashMap::new();
    let mut group_defs: HashMap<&QName, &crate::read::Group> = HashMap::new();
    for schema in &defs.schemas {
        for t in &schema.types {
            if let Some(name) = t.name() {
                once(&mut types, "type", name, t.pos())?;
                if let TypeDef::Simple(st) = t {
                    simple_types.insert(name, st);
                }
            }
        }
        for e in &schema.elements {
            once(&mut elements, "element", &e.name, &e.pos)?;
        }
        for g in &schema.groups {
            once(&mut groups, "group", &g.name, &g.pos)?;
            group_defs.insert(&g.name, g);
        }
        for a in &schema.attributes {
            once(&mut attributes, "attribute", &a.name, &a.pos)?;
        }
        for g in &schema.attribute_groups {
            once(&mut attribute_groups, "attribute group", &g.name, &g.pos)?;
        }
    }
    let mut messages = HashMap::new();
    for m in &defs.messages {
        once(&mut messages, "message", &m.name, &m.pos)?;
    }
    let mut port_types = HashMap::new();
    for p in &defs.port_types {
        once(&mut port_types, "port type", &p.name, &p.pos)?;
    }
    let mut bindings = HashMap::new();
    for b in &defs.bindings {
        once(&mut bindings, "binding", &b.name, &b.pos)?;
    }
    for b in &defs.bindings {
        if !port_types.contains_key(&b.port_type) {
            return err(
                &b.pos,
                format!("binding `{}` is for port type {}, which is not defined", b.name.local, b.port_type),
            );
        }
    }
    for service in &defs.services {
        for port in &service.ports {
            if !bindings.contains_key(&port.binding) {
                return err(
                    &port.pos,
                    format!(
                        "port `{}` of service `{}` uses binding {}, which is not defined",
                        port.name, service.name.local, port.binding
                    ),
                );
            }
        }
    }

    // A group that contains itself: its references, through nested compositors.
    fn group_refs<'d>(p: &'d Particle, out: &mut Vec<(&'d QName, &'d Pos)>) {
        match p {
            Particle::Sequence(c) | Particle::Choice(c) | Particle::All(c) => {
                c.items.iter().for_each(|item| group_refs(item, out))
            }
            Particle::GroupRef { name, pos, .. } => out.push((name, pos)),
            Particle::Element(_) | Particle::Any { .. } => {}
        }
    }
    let mut group_names: Vec<&QName> = group_defs.keys().copied().collect();
    group_names.sort();
    let group_edges = |name: &'_ QName| {
        let mut out = Vec::new();
        if let Some(p) = group_defs.get(name).and_then(|g| g.particle.as_ref()) {
            group_refs(p, &mut out);
        }
        out
    };
    if let Some((name, pos)) = find_cycle(&group_names, group_edges) {
        return err(pos, format!("group {name} contains itself (a circular group reference)"));
    }

    // A simple type derived (by restriction or list) from itself.
    fn simple_refs<'d>(st: &'d SimpleType, out: &mut Vec<(&'d QName, &'d Pos)>) {
        let (named, inline) = match &st.variety {
            SimpleVariety::Restriction { base, inline_base, .. } => (base, inline_base),
            SimpleVariety::List { item, inline_item } => (item, inline_item),
            SimpleVariety::Union { .. } => return,
        };
        if let Some(name) = named {
            out.push((name, &st.pos));
        }
        if let Some(inline) = inline {
            simple_refs(inline, out);
        }
    }
    let mut simple_names: Vec<&QName> = simple_types.keys().copied().collect();
    simple_names.sort();
    let simple_edges = |name: &'_ QName| {
        let mut out = Vec::new();
        if let Some(st) = simple_types.get(name) {
            simple_refs(st, &mut out);
        }
        out
    };
    if let Some((name, pos)) = find_cycle(&simple_names, simple_edges) {
        return err(pos, format!("simple type {name} is derived from itself"));
    }
    Ok(())
}

/// A reference that closes a cycle in the graph of `nodes` and `edges` (the name referred to and
/// where), by an iterative depth-first search (chains of references can be long).
fn find_cycle<'d, E>(nodes: &[&'d QName], edges: E) -> Option<(&'d QName, &'d Pos)>
where
    E: Fn(&'d QName) -> Vec<(&'d QName, &'d Pos)>,
{
    #[derive(PartialEq)]
    enum State {
        Open,
        Done,
    }
    let mut state: HashMap<&QName, State> = HashMap::new();
    for &root in nodes {
        if state.contains_key(root) {
            continue;
        }
        state.insert(root, State::Open);
        let mut stack = vec![(root, edges(root), 0)];
        while let Some((node, out, next)) = stack.last_mut() {
            let Some(&(target, pos)) = out.get(*next) else {
                state.insert(*node, State::Done);
                stack.pop();
                continue;
            };
            *next += 1;
            match state.get(target) {
                Some(State::Open) => return Some((target, pos)),
                Some(State::Done) => {}
                None => {
                    state.insert(target, State::Open);
                    stack.push((target, edges(target), 0));
                }
            }
        }
    }
    None
}

/// Deepest nesting of type definitions resolved one inside the other (a type whose element is of
/// a type whose element is of a type...; a base type of a base type...). Resolution recurses once
/// per level, so this bounds its stack use, as [`crate::read::MAX_DEPTH`] bounds the reader's.
pub const MAX_TYPE_DEPTH: usize = 256;

struct Resolver<'d> {
    defs: &'d Definitions,
    elements: HashMap<&'d QName, &'d Element>,
    type_defs: HashMap<&'d QName, &'d TypeDef>,
    groups: HashMap<&'d QName, &'d crate::read::Group>,
    attributes: HashMap<&'d QName, &'d crate::read::Attribute>,
    attribute_groups: HashMap<&'d QName, &'d crate::read::AttributeGroup>,
    messages: HashMap<&'d QName, &'d Message>,
    bases: HashSet<&'d QName>,
    /// Substitution group heads and the global elements that may stand in for them.
    substitutes: HashMap<&'d QName, Vec<&'d Element>>,
    /// Named complex types and the named complex types derived from them directly.
    derived: HashMap<&'d QName, Vec<&'d QName>>,
    /// The polymorphic enums made so far, by base type.
    poly: HashMap<QName, TypeRef>,
    named: HashMap<QName, TypeRef>,
    anonymous: HashMap<usize, TypeRef>,
    types: Vec<Option<Type>>,
    namespaces: Vec<String>,
    secrets: Vec<String>,
    notes: Vec<String>,
    /// How many type definitions are being resolved, one inside the other (see [`MAX_TYPE_DEPTH`]).
    depth: usize,
}

/// The XML Schema built-ins by local name.
fn builtin(local: &str) -> Option<Builtin> {
    use Builtin::*;
    Some(match local {
        "string" | "normalizedString" | "token" | "language" | "Name" | "NCName" | "NMTOKEN" | "NMTOKENS" | "ID"
        | "IDREF" | "IDREFS" | "ENTITY" | "ENTITIES" | "anyURI" | "QName" | "NOTATION" | "anySimpleType" | "gYear"
        | "gYearMonth" | "gMonth" | "gMonthDay" | "gDay" | "hexBinary" => String,
        "boolean" => Bool,
        "byte" => I8,
        "short" => I16,
        "int" => I32,
        "long" => I64,
        "unsignedByte" => U8,
        "unsignedShort" => U16,
        "unsignedInt" => U32,
        "unsignedLong" => U64,
        "float" => F32,
        "double" => F64,
        "decimal" | "integer" | "nonNegativeInteger" | "positiveInteger" | "nonPositiveInteger" | "negativeInteger" => {
            Decimal
        }
        "dateTime" => DateTime,
        "date" => Date,
        "time" => Time,
        "duration" => Duration,
        "base64Binary" => Base64Binary,
        "anyType" => AnyType,
        _ => return None,
    })
}

impl<'d> Resolver<'d> {
    fn new(defs: &'d Definitions) -> Self {
        let mut elements = HashMap::new();
        let mut type_defs = HashMap::new();
        let mut groups = HashMap::new();
        let mut attributes = HashMap::new();
        let mut attribute_groups = HashMap::new();
        let mut bases = HashSet::new();
        for schema in &defs.schemas {
            for e in &schema.elements {
                elements.entry(&e.name).or_insert(e);
            }
            for t in &schema.types {
                if let Some(name) = t.name() {
                    type_defs.entry(name).or_insert(t);
                }
                if let TypeDef::Complex(ct) = t {
                    if let Content::Extension { base, .. } | Content::Restriction { base, .. } = &ct.content {
                        bases.insert(base);
                    }
                }
            }
            for g in &schema.groups {
                groups.entry(&g.name).or_insert(g);
            }
            for a in &schema.attributes {
                attributes.entry(&a.name).or_insert(a);
            }
            for g in &schema.attribute_groups {
                attribute_groups.entry(&g.name).or_insert(g);
            }
        }
        let messages = defs.messages.iter().map(|m| (&m.name, m)).collect();
        let mut derived: HashMap<&QName, Vec<&QName>> = HashMap::new();
        for schema in &defs.schemas {
            for t in &schema.types {
                if let (Some(name), TypeDef::Complex(ct)) = (t.name(), t) {
                    if let Content::Extension { base, .. } | Content::Restriction { base, .. } = &ct.content {
                        derived.entry(base).or_default().push(name);
                    }
                }
            }
        }
        let mut substitutes: HashMap<&QName, Vec<&Element>> = HashMap::new();
        for schema in &defs.schemas {
            for e in &schema.elements {
                if let Some(head) = &e.substitution_group {
                    substitutes.entry(head).or_default().push(e);
                }
            }
        }
        Self {
            defs,
            elements,
            type_defs,
            groups,
            attributes,
            attribute_groups,
            messages,
            bases,
            substitutes,
            derived,
            poly: HashMap::new(),
            named: HashMap::new(),
            anonymous: HashMap::new(),
            types: Vec::new(),
            namespaces: Vec::new(),
            secrets: Vec::new(),
            depth: 0,
            notes: Vec::new(),
        }
    }

    fn document_pos(&self) -> Pos {
        self.defs.schemas.first().map(|s| s.pos.clone()).unwrap_or_else(|| Pos {
            file: std::sync::Arc::from(
                self.defs.files.first().map(|p| p.as_path()).unwrap_or(std::path::Path::new("")),
            ),
            line: 1,
            col: 1,
        })
    }

    fn use_ns(&mut self, ns: &str) {
        // The XML namespace is bound to `xml` by definition and may not be declared again.
        if !ns.is_empty() && ns != crate::read::XML_NS && !self.namespaces.iter().any(|n| n == ns) {
            self.namespaces.push(ns.to_owned());
        }
    }

    fn reserve(&mut self) -> TypeId {
        self.types.push(None);
        self.types.len() - 1
    }

    // ---- operations -------------------------------------------------------------------------

    fn message(&self, name: &QName, pos: &Pos) -> Result<&'d Message, ResolveError> {
        match self.messages.get(name) {
            Some(m) => Ok(m),
            None => err(pos, format!("message {name} is not defined")),
        }
    }

    fn operation(
        &mut self,
        binding: &Binding,
        op: &PortOperation,
        bop: &BindingOperation,
        client: &mut Client,
    ) -> Result<Operation, ResolveError> {
        let style = bop.style.as_deref().or(binding.style.as_deref()).unwrap_or("document");
        let (Some(input), Some(binput)) = (&op.input, &bop.input) else {
            return err(
                &op.pos,
                format!("operation `{}` has no input: notification operations are not supported", op.name),
            );
        };
        let output = match (&op.output, &bop.output) {
            (Some(o), Some(b)) => Some((o, b)),
            (None, _) => None,
            (Some(_), None) => {
                return err(
                    &bop.pos,
                    format!("binding operation `{}` has no <output> for the port type's output", op.name),
                );
            }
        };
        let empty = crate::read::BindingMessage::default();
        let boutput = output.map_or(&empty, |(_, b)| b);
        for (what, bm) in [("input", binput), ("output", boutput)] {
            if let Some(pos) = &bm.mime {
                return err(
                    pos,
                    format!(
                        "binding `{}` operation `{}` {what} uses MIME attachments (`mime:multipartRelated`, SOAP \
                         with Attachments); only plain SOAP envelopes are supported",
                        binding.name.local, op.name
                    ),
                );
            }
            if let Some(body) = &bm.body {
                if body.use_ == "encoded" {
                    return err(
                        &body.pos,
                        format!(
                            "binding `{}` operation `{}` {what} uses `use=\"encoded\"` (SOAP encoding); only literal \
                             messages are supported, because an encoded message cannot be checked against the schema \
                             and generating it would send messages the service may not accept",
                            binding.name.local, op.name
                        ),
                    );
                }
            }
        }
        let (request, response) = match style {
            "document" => {
                let request = match self.body_element(input, binput, &op.pos)? {
                    Some(element) => element,
                    // No body part: an empty body, sent as an empty struct named after the operation.
                    None => {
                        let id = self.reserve();
                        self.types[id] = Some(Type {
                            name: QName::new(binding.name.ns.clone(), op.name.clone()),
                            anonymous: true,
                            doc: Some(format!("The request of `{}`: its body is empty.", op.name)),
                            kind: TypeKind::element_struct(Vec::new()),
                            pos: op.pos.clone(),
                        });
                        BodyElement { name: QName::new("", ""), ty: id }
                    }
                };
                let response = match output {
                    Some((o, b)) => self.body_element(o, b, &op.pos)?,
                    None => None,
                };
                (request, response)
            }
            "rpc" => (
                self.rpc_body(&op.name, input, binput, &op.pos)?,
                output.map(|(o, b)| self.rpc_body(&format!("{}Response", op.name), o, b, &op.pos)).transpose()?,
            ),
            other => {
                return err(
                    &bop.pos,
                    format!(
                        "binding `{}` operation `{}` has style=\"{other}\"; only document and rpc are defined",
                        binding.name.local, op.name
                    ),
                );
            }
        };
        let request_headers = self.headers(binput, &mut client.request_headers)?;
        let response_headers = self.headers(boutput, &mut client.response_headers)?;
        let mut faults = Vec::new();
        for (name, message) in &op.faults {
            let msg = self.message(message, &op.pos)?;
            let Some(part) = msg.parts.first() else {
                return err(&msg.pos, format!("fault message `{}` has no part", msg.name.local));
            };
            let Some(element) = &part.element else {
                return err(&part.pos, format!("fault part `{}` needs element= (a literal fault detail)", part.name));
            };
            let decl = self.element_decl(element, &part.pos)?;
            self.use_ns(&decl.name.ns);
            let ty = self.element_type(decl)?;
            faults.push(OperationFault { name: name.clone(), element: decl.name.clone(), ty });
        }
        let action = bop.soap_action.clone().unwrap_or_default();
        Ok(Operation {
            name: op.name.clone(),
            doc: op.doc.clone(),
            addressing_action: addressing_action(&binding.port_type, op, &action),
            action,
            request,
            response,
            one_way: output.is_none(),
            request_headers,
            response_headers,
            faults,
        })
    }

    /// The parts of `message` that go in the body: those `soap:body parts="..."` lists (in
    /// message order), or else every part not sent as a header.
    fn body_parts(
        &self,
        message: &QName,
        bm: &crate::read::BindingMessage,
        pos: &Pos,
    ) -> Result<(&'d Message, Vec<&'d crate::read::Part>), ResolveError> {
        let msg = self.message(message, pos)?;
        match bm.body.as_ref().and_then(|b| b.parts.as_ref()) {
            Some(names) => {
                if let Some(missing) = names.iter().find(|n| !msg.parts.iter().any(|p| p.name == **n)) {
                    return err(&msg.pos, format!("message `{}` has no part `{missing}`", msg.name.local));
                }
                Ok((msg, msg.parts.iter().filter(|p| names.contains(&p.name)).collect()))
            }
            None => {
                let headers: HashSet<&str> =
                    bm.headers.iter().filter(|h| h.message == *message).map(|h| h.part.as_str()).collect();
                Ok((msg, msg.parts.iter().filter(|p| !headers.contains(p.name.as_str())).collect()))
            }
        }
    }

    /// The body element of a document/literal message; `None` when no part goes in the body
    /// (the body is empty, which WS-I Basic Profile allows).
    fn body_element(
        &mut self,
        message: &QName,
        bm: &crate::read::BindingMessage,
        pos: &Pos,
    ) -> Result<Option<BodyElement>, ResolveError> {
        let (msg, parts) = self.body_parts(message, bm, pos)?;
        let part = match parts.as_slice() {
            [] => return Ok(None),
            [part] => part,
            _ => {
                return err(
                    &msg.pos,
                    format!(
                        "message `{}` has {} body parts; document/literal needs at most one (bare multi-part bodies are not supported yet)",
                        msg.name.local,
                        parts.len()
                    ),
                );
            }
        };
        let Some(element_name) = &part.element else {
            return err(
                &part.pos,
                format!("part `{}` uses type= in a document-style operation; it needs element=", part.name),
            );
        };
        let element = self.element_decl(element_name, &part.pos)?;
        self.use_ns(&element.name.ns);
        let ty = self.element_type(element)?;
        // A bare body element of a type that is not a struct gets a struct of its own: the text
        // value of a simple type, or the items of an array wrapper.
        let kind = match ty {
            TypeRef::Named(id) => match self.kind_of(id) {
                Some(TypeKind::Struct { .. }) | None => {
                    return Ok(Some(BodyElement { name: element.name.clone(), ty: id }));
                }
                // A body element's own type, not the types derived from it.
                Some(TypeKind::Poly { base, .. }) => {
                    return Ok(Some(BodyElement { name: element.name.clone(), ty: *base }));
                }
                Some(TypeKind::Array { item }) => TypeKind::element_struct(vec![item.clone()]),
                Some(TypeKind::Enum { .. } | TypeKind::FlagList { .. } | TypeKind::List { .. }) => {
                    TypeKind::text_struct(ty, false)
                }
                Some(TypeKind::Dictionary { .. } | TypeKind::Choice { .. } | TypeKind::Group { .. }) => {
                    return err(
                        &element.pos,
                        format!("body element {} of a dictionary type is not supported yet", element.name),
                    );
                }
            },
            // Any content at all (no type, or `xs:anyType`) is kept as raw XML, with any attributes.
            TypeRef::Builtin(b) => TypeKind::text_struct(ty, b == Builtin::AnyType),
        };
        let id = self.reserve();
        self.types[id] = Some(Type {
            name: element.name.clone(),
            anonymous: true,
            doc: element.doc.clone(),
            kind,
            pos: element.pos.clone(),
        });
        Ok(Some(BodyElement { name: element.name.clone(), ty: id }))
    }

    /// The body of an rpc/literal message: an element named after the operation (or
    /// `{operation}Response`) in the `soap:body` namespace, holding one unqualified element per part.
    fn rpc_body(
        &mut self,
        wrapper: &str,
        message: &QName,
        bm: &crate::read::BindingMessage,
        pos: &Pos,
    ) -> Result<BodyElement, ResolveError> {
        let (msg, parts) = self.body_parts(message, bm, pos)?;
        let ns = bm.body.as_ref().and_then(|b| b.namespace.clone()).unwrap_or_default();
        let mut fields = Vec::new();
        for part in parts {
            let (name, ty, nillable, doc) = match (&part.type_name, &part.element) {
                (Some(t), _) => (QName::new("", part.name.clone()), self.named_type(t, &part.pos)?, false, None),
                (None, Some(e)) => {
                    let decl = self.element_decl(e, &part.pos)?;
                    self.use_ns(&decl.name.ns);
                    (decl.name.clone(), self.element_type(decl)?, decl.nillable, decl.doc.clone())
                }
                (None, None) => return err(&part.pos, format!("part `{}` has neither type= nor element=", part.name)),
            };
            let secret = self.is_secret(Some(wrapper), &name.local);
            fields.push(Field { name, ty, occurs: Occurs::new(1, false, nillable), boxed: false, secret, doc });
        }
        self.use_ns(&ns);
        let name = QName::new(ns, wrapper);
        let id = self.reserve();
        self.types[id] = Some(Type {
            name: name.clone(),
            anonymous: true,
            doc: None,
            kind: TypeKind::Struct { fields, attributes: Vec::new(), text: None, any_attribute: false },
            pos: msg.pos.clone(),
        });
        Ok(BodyElement { name, ty: id })
    }

    fn kind_of(&self, id: TypeId) -> Option<&TypeKind> {
        self.types[id].as_ref().map(|t| &t.kind)
    }

    fn headers(&mut self, bm: &crate::read::BindingMessage, set: &mut Vec<Header>) -> Result<Vec<usize>, ResolveError> {
        let mut indices = Vec::new();
        for h in &bm.headers {
            if h.use_ == "encoded" {
                return err(&h.pos, "encoded SOAP headers are not supported; only literal");
            }
            let msg = self.message(&h.message, &h.pos)?;
            let Some(part) = msg.parts.iter().find(|p| p.name == h.part) else {
                return err(&h.pos, format!("message `{}` has no part `{}`", msg.name.local, h.part));
            };
            let Some(element_name) = &part.element else {
                return err(&part.pos, format!("header part `{}` needs element=", part.name));
            };
            let element = self.element_decl(element_name, &part.pos)?;
            self.use_ns(&element.name.ns);
            let ty = self.element_type(element)?;
            let index = match set.iter().position(|x| x.name == element.name) {
                Some(i) => i,
                None => {
                    let secret = self.is_secret(None, &element.name.local);
                    set.push(Header { name: element.name.clone(), ty, nillable: element.nillable, secret });
                    set.len() - 1
                }
            };
            indices.push(index);
        }
        Ok(indices)
    }

    fn service_error(
        &self,
        client: &Client,
        rule: &ServiceErrorRule,
        pos: &Pos,
    ) -> Result<Option<ServiceErrorHeaders>, ResolveError> {
        let find = |local: &str| client.response_headers.iter().position(|h| h.name.local == local);
        let (Some(success), Some(detail)) = (find(&rule.success_header), find(&rule.detail_header)) else {
            return Ok(None);
        };
        if client.response_headers[success].ty != TypeRef::Builtin(Builtin::Bool) {
            return err(pos, format!("service-error header `{}` is not a boolean", rule.success_header));
        }
        if let Some(field) = &rule.message_field {
            let TypeRef::Named(id) = client.response_headers[detail].ty else {
                return err(pos, format!("service-error header `{}` is not a complex type", rule.detail_header));
            };
            let has = matches!(self.kind_of(id), Some(TypeKind::Struct { fields, .. }) if fields.iter().any(|f| f.name.local == *field));
            if !has {
                return err(pos, format!("service-error detail has no field `{field}`"));
            }
        }
        Ok(Some(ServiceErrorHeaders { success, detail, message_field: rule.message_field.clone() }))
    }

    // ---- elements and types -------------------------------------------------------------------

    fn element_decl(&self, name: &QName, pos: &Pos) -> Result<&'d Element, ResolveError> {
        match self.elements.get(name) {
            Some(e) => Ok(e),
            None if self.defs.schemas.is_empty() => err(
                pos,
                format!(
                    "element {name} is not declared in any schema (the document has no <wsdl:types> and imports no schema)"
                ),
            ),
            None => err(pos, format!("element {name} is not declared in any schema")),
        }
    }

    /// The type of an element declaration (after following `ref`).
    fn element_type(&mut self, element: &'d Element) -> Result<TypeRef, ResolveError> {
        if let Some(inline) = &element.inline_type {
            return self.anonymous_type(inline, &element.name, element.doc.as_deref());
        }
        match &element.type_name {
            Some(name) => self.named_type(name, &element.pos),
            None => Ok(TypeRef::Builtin(Builtin::AnyType)),
        }
    }

    /// The type named `name`; for a complex type other types derive from, the enum of it and
    /// its derived types (told apart by `xsi:type`).
    fn named_type(&mut self, name: &QName, pos: &Pos) -> Result<TypeRef, ResolveError> {
        let plain = self.plain_type(name, pos)?;
        if !self.derived.contains_key(name) {
            return Ok(plain);
        }
        if let Some(t) = self.poly.get(name) {
            return Ok(*t);
        }
        let TypeRef::Named(base) = plain else {
            return Ok(plain);
        };
        if !matches!(self.kind_of(base), Some(TypeKind::Struct { .. }) | None) {
            return Ok(plain);
        }
        let id = self.reserve();
        self.poly.insert(name.clone(), TypeRef::Named(id));
        let base_abstract = matches!(self.type_defs.get(name), Some(TypeDef::Complex(ct)) if ct.is_abstract);
        let mut variants = Vec::new();
        if !base_abstract {
            variants.push(self.poly_variant(name, base));
        }
        // Every type derived from the base, directly or not, in schema order.
        let mut queue: std::collections::VecDeque<&'d QName> =
            self.derived.get(name).cloned().unwrap_or_default().into();
        let mut seen: HashSet<&QName> = HashSet::from([name]);
        while let Some(d) = queue.pop_front() {
            if !seen.insert(d) {
                continue;
            }
            queue.extend(self.derived.get(d).cloned().unwrap_or_default());
            let is_abstract = matches!(self.type_defs.get(d), Some(TypeDef::Complex(ct)) if ct.is_abstract);
            // A derived type that uses a construct not supported yet leaves the others usable:
            // it is left out (values of it decode as the base) and the output says so.
            let checkpoint = self.types.len();
            match self.plain_type(d, pos) {
                Ok(TypeRef::Named(sid)) if !is_abstract => variants.push(self.poly_variant(d, sid)),
                Ok(_) => {}
                Err(e) => {
                    self.rollback(checkpoint);
                    self.notes.push(format!("type {d} (derived from {name}) is left out: {e}"));
                }
            }
        }
        let doc = Some(format!("`{}` or a type derived from it, told apart by `xsi:type`.", name.local));
        self.types[id] = Some(Type {
            name: QName::new(name.ns.clone(), format!("Any{}", name.local)),
            anonymous: true,
            doc,
            kind: TypeKind::Poly { base, base_abstract, variants },
            pos: pos.clone(),
        });
        Ok(TypeRef::Named(id))
    }

    /// Forgets every type registered since `checkpoint` (after a failed, optional resolution).
    fn rollback(&mut self, checkpoint: usize) {
        self.types.truncate(checkpoint);
        let keep = |t: &TypeRef| !matches!(t, TypeRef::Named(id) if *id >= checkpoint);
        self.named.retain(|_, t| keep(t));
        self.anonymous.retain(|_, t| keep(t));
        self.poly.retain(|_, t| keep(t));
    }

    fn poly_variant(&mut self, type_name: &QName, id: TypeId) -> Field {
        self.use_ns(&type_name.ns);
        Field {
            name: type_name.clone(),
            ty: TypeRef::Named(id),
            occurs: Occurs::Required,
            boxed: false,
            secret: false,
            doc: None,
        }
    }

    /// The type named `name` itself (a complex type as its struct).
    fn plain_type(&mut self, name: &QName, pos: &Pos) -> Result<TypeRef, ResolveError> {
        if let Some(t) = self.named.get(name) {
            return Ok(*t);
        }
        if name.ns == XSD_NS {
            return match builtin(&name.local) {
                Some(b) => Ok(TypeRef::Builtin(b)),
                None => err(pos, format!("`{}` is not an XML Schema built-in type", name.local)),
            };
        }
        if name.ns == WCF_SERIALIZATION_NS && name.local == "guid" {
            return Ok(TypeRef::Builtin(Builtin::Uuid));
        }
        let Some(def) = self.type_defs.get(name).copied() else {
            return err(pos, format!("type {name} is not defined in any schema"));
        };
        let resolved = match def {
            TypeDef::Complex(ct) => {
                let id = self.reserve();
                self.named.insert(name.clone(), TypeRef::Named(id));
                self.nested(&ct.pos, |r| r.complex(id, ct, name.clone(), false))?;
                TypeRef::Named(id)
            }
            TypeDef::Simple(st) => {
                let t = self.nested(&st.pos, |r| r.simple(st, name.clone()))?;
                self.named.insert(name.clone(), t);
                t
            }
        };
        Ok(resolved)
    }

    /// Runs `f` one level deeper in the nesting of type definitions being resolved (each level
    /// is a few stack frames), refusing to go past [`MAX_TYPE_DEPTH`].
    fn nested<T>(
        &mut self,
        pos: &Pos,
        f: impl FnOnce(&mut Self) -> Result<T, ResolveError>,
    ) -> Result<T, ResolveError> {
        if self.depth >= MAX_TYPE_DEPTH {
            return err(
                pos,
                format!(
                    "types are nested more than {MAX_TYPE_DEPTH} deep (each referring to the next, or deriving from it)"
                ),
            );
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    fn anonymous_type(&mut self, def: &'d TypeDef, owner: &QName, doc: Option<&str>) -> Result<TypeRef, ResolveError> {
        let key = def as *const TypeDef as usize;
        if let Some(t) = self.anonymous.get(&key) {
            return Ok(*t);
        }
        let name = QName::new(owner.ns.clone(), owner.local.clone());
        let t = match def {
            TypeDef::Complex(ct) => {
                let id = self.reserve();
                self.anonymous.insert(key, TypeRef::Named(id));
                self.nested(&ct.pos, |r| r.complex(id, ct, name, true))?;
                if let (Some(Type { doc: slot @ None, .. }), Some(doc)) = (self.types[id].as_mut(), doc) {
                    *slot = Some(doc.to_owned());
                }
                TypeRef::Named(id)
            }
            TypeDef::Simple(st) => self.simple(st, name)?,
        };
        self.anonymous.insert(key, t);
        Ok(t)
    }

    fn simple(&mut self, st: &'d SimpleType, name: QName) -> Result<TypeRef, ResolveError> {
        match &st.variety {
            SimpleVariety::Restriction { base, inline_base, enumerations, patterns } => {
                let base_ref = match (base, inline_base) {
                    (Some(b), _) => self.named_type(b, &st.pos)?,
                    (None, Some(inline)) => {
                        self.simple(inline, QName::new(name.ns.clone(), format!("{}Base", name.local)))?
                    }
                    (None, None) => TypeRef::Builtin(Builtin::String),
                };
                if enumerations.is_empty() {
                    // A boolean whose patterns admit no letters has only the forms `0` and `1`
                    // (SOAP 1.1's `mustUnderstand`): written that way.
                    let digits_only =
                        !patterns.is_empty() && patterns.iter().all(|p| !p.chars().any(|c| c.is_ascii_alphabetic()));
                    if base_ref == TypeRef::Builtin(Builtin::Bool) && digits_only {
                        return Ok(TypeRef::Builtin(Builtin::NumericBool));
                    }
                    return Ok(base_ref);
                }
                let collapse = base_ref != TypeRef::Builtin(Builtin::String);
                let id = self.reserve();
                let mut values: Vec<String> = Vec::new();
                for v in enumerations {
                    if !values.contains(v) {
                        values.push(v.clone());
                    }
                }
                self.types[id] = Some(Type {
                    name,
                    anonymous: st.name.is_none(),
                    doc: st.doc.clone(),
                    kind: TypeKind::Enum { values, collapse },
                    pos: st.pos.clone(),
                });
                Ok(TypeRef::Named(id))
            }
            SimpleVariety::List { item, inline_item } => {
                let item_ref = match (item, inline_item) {
                    (Some(i), _) => self.named_type(i, &st.pos)?,
                    (None, Some(inline)) => {
                        self.simple(inline, QName::new(name.ns.clone(), format!("{}Flag", name.local)))?
                    }
                    (None, None) => return err(&st.pos, "<xs:list> has neither itemType nor an inline type"),
                };
                let is_enum =
                    matches!(item_ref, TypeRef::Named(id) if matches!(self.kind_of(id), Some(TypeKind::Enum { .. })));
                let id = self.reserve();
                let kind =
                    if is_enum { TypeKind::FlagList { item: item_ref } } else { TypeKind::List { item: item_ref } };
                self.types[id] =
                    Some(Type { name, anonymous: st.name.is_none(), doc: st.doc.clone(), kind, pos: st.pos.clone() });
                Ok(TypeRef::Named(id))
            }
            // A union's value is kept as its text: lossless, whatever member it matches.
            SimpleVariety::Union { .. } => Ok(TypeRef::Builtin(Builtin::String)),
        }
    }

    fn complex(&mut self, id: TypeId, ct: &'d ComplexType, name: QName, anonymous: bool) -> Result<(), ResolveError> {
        if ct.mixed {
            // Text interleaved with elements: kept as raw XML (lossless), with the attributes.
            let mut attributes = Vec::new();
            self.attribute_uses(&ct.attributes, &mut attributes, &mut HashSet::new())?;
            let kind = TypeKind::Struct {
                fields: Vec::new(),
                attributes,
                text: Some(TypeRef::Builtin(Builtin::AnyType)),
                any_attribute: ct.any_attribute,
            };
            self.types[id] = Some(Type { name, anonymous, doc: ct.doc.clone(), kind, pos: ct.pos.clone() });
            return Ok(());
        }
        let mut attributes = Vec::new();
        let mut text = None;
        let mut fields = Vec::new();
        match &ct.content {
            Content::Simple { base } => match self.plain_type(base, &ct.pos)? {
                TypeRef::Named(base_id) => match self.kind_of(base_id) {
                    Some(TypeKind::Struct { text: Some(t), attributes: a, .. }) => {
                        text = Some(*t);
                        attributes = a.clone();
                    }
                    Some(
                        TypeKind::Struct { .. }
                        | TypeKind::Array { .. }
                        | TypeKind::Dictionary { .. }
                        | TypeKind::Choice { .. },
                    )
                    | None => {
                        return err(&ct.pos, format!("type {name}: simpleContent's base {base} has no simple content"));
                    }
                    Some(_) => text = Some(TypeRef::Named(base_id)),
                },
                b @ TypeRef::Builtin(_) => text = Some(b),
            },
            Content::Particle(particle) => {
                if ct.attributes.is_empty() {
                    if let Some(kind) = self.wrapper_kind(ct, &name, anonymous, particle.as_ref())? {
                        self.types[id] = Some(Type { name, anonymous, doc: ct.doc.clone(), kind, pos: ct.pos.clone() });
                        return Ok(());
                    }
                }
                if let Some(p) = particle {
                    self.fields(&name, p, false, false, &mut fields)?;
                }
            }
            Content::Extension { base, particle } => {
                match self.plain_type(base, &ct.pos)? {
                    TypeRef::Named(base_id) => match self.kind_of(base_id) {
                        Some(TypeKind::Struct { fields: f, attributes: a, text: None, .. }) => {
                            fields = f.clone();
                            attributes = a.clone();
                        }
                        None => {
                            return err(
                                &ct.pos,
                                format!("type {name} extends {base}, which (indirectly) extends {name}"),
                            );
                        }
                        Some(_) => {
                            return err(&ct.pos, format!("type {name} extends {base}, which has no element content"));
                        }
                    },
                    TypeRef::Builtin(Builtin::AnyType) => {}
                    TypeRef::Builtin(_) => {
                        return err(
                            &ct.pos,
                            format!("type {name}: complexContent cannot extend the simple type {base}"),
                        );
                    }
                }
                if let Some(p) = particle {
                    self.fields(&name, p, false, false, &mut fields)?;
                }
            }
            Content::Restriction { particle, .. } => {
                if let Some(p) = particle {
                    self.fields(&name, p, false, false, &mut fields)?;
                }
            }
        }
        self.attribute_uses(&ct.attributes, &mut attributes, &mut HashSet::new())?;
        for f in fields.iter_mut() {
            f.secret = f.secret || self.is_secret(Some(&name.local), &f.name.local);
        }
        for a in attributes.iter_mut() {
            a.secret = a.secret || self.is_secret(Some(&name.local), &a.name.local);
        }
        let any_attribute = ct.any_attribute
            || match &ct.content {
                Content::Extension { base, .. } | Content::Simple { base } => match self.named.get(base) {
                    Some(TypeRef::Named(b)) => {
                        matches!(self.kind_of(*b), Some(TypeKind::Struct { any_attribute: true, .. }))
                    }
                    _ => false,
                },
                _ => false,
            };
        let kind = TypeKind::Struct { fields, attributes, text, any_attribute };
        self.types[id] = Some(Type { name, anonymous, doc: ct.doc.clone(), kind, pos: ct.pos.clone() });
        Ok(())
    }

    /// Resolves attribute uses (local, references, groups) into `out`, replacing an inherited
    /// attribute of the same name.
    fn attribute_uses(
        &mut self,
        uses: &'d [crate::read::AttributeUse],
        out: &mut Vec<Attribute>,
        groups_seen: &mut HashSet<QName>,
    ) -> Result<(), ResolveError> {
        use crate::read::AttributeUse as Use;
        for u in uses {
            let (decl, required, pos): (&crate::read::Attribute, bool, &Pos) = match u {
                Use::Local(a) => (a, a.required, &a.pos),
                Use::Ref { name, required, pos } => match self.attributes.get(name).copied() {
                    Some(a) => (a, *required, pos),
                    // xml:lang, xml:space, xml:base, xml:id need no schema: plain text.
                    None if name.ns == crate::read::XML_NS => {
                        self.use_ns(&name.ns);
                        out.retain(|a| a.name != *name);
                        let usage = if *required { AttributeUsage::Required } else { AttributeUsage::Optional };
                        out.push(Attribute {
                            name: name.clone(),
                            ty: TypeRef::Builtin(Builtin::String),
                            usage,
                            secret: false,
                        });
                        continue;
                    }
                    None => return err(pos, format!("attribute {name} is not declared in any schema")),
                },
                Use::Group { name, pos } => {
                    let Some(group) = self.attribute_groups.get(name).copied() else {
                        return err(pos, format!("attribute group {name} is not defined"));
                    };
                    if groups_seen.insert(name.clone()) {
                        self.attribute_uses(&group.attributes, out, groups_seen)?;
                    }
                    continue;
                }
            };
            let ty = match (&decl.type_name, &decl.inline_type) {
                (Some(t), _) => self.named_type(t, pos)?,
                (None, Some(inline)) => {
                    self.simple(inline, QName::new(decl.name.ns.clone(), format!("{}Value", decl.name.local)))?
                }
                (None, None) => TypeRef::Builtin(Builtin::String),
            };
            if let TypeRef::Named(tid) = ty {
                if !matches!(
                    self.kind_of(tid),
                    Some(TypeKind::Enum { .. } | TypeKind::FlagList { .. } | TypeKind::List { .. })
                ) {
                    return err(pos, format!("attribute {} has a complex type", decl.name));
                }
            }
            if matches!(ty, TypeRef::Builtin(Builtin::AnyType)) {
                return err(pos, format!("attribute {} has type anyType", decl.name));
            }
            self.use_ns(&decl.name.ns);
            let usage = match (&decl.fixed, &decl.default) {
                _ if required => AttributeUsage::Required,
                (Some(v), _) | (None, Some(v)) => AttributeUsage::Default(v.clone()),
                (None, None) => AttributeUsage::Optional,
            };
            out.retain(|a| a.name != decl.name);
            out.push(Attribute { name: decl.name.clone(), ty, usage, secret: false });
        }
        Ok(())
    }

    /// Whether the field `local` of type `owner` (or the header element `local`) is a secret.
    fn is_secret(&self, owner: Option<&str>, local: &str) -> bool {
        looks_secret(local)
            || self.secrets.iter().any(|s| match s.split_once('.') {
                Some((t, f)) => owner == Some(t) && f == local,
                None => s == local,
            })
    }

    /// Recognises `ArrayOfX` wrappers and WCF dictionaries.
    fn wrapper_kind(
        &mut self,
        ct: &'d ComplexType,
        name: &QName,
        anonymous: bool,
        particle: Option<&'d Particle>,
    ) -> Result<Option<TypeKind>, ResolveError> {
        if anonymous || ct.is_abstract || self.bases.contains(name) {
            return Ok(None);
        }
        let item = match particle {
            Some(Particle::Sequence(seq)) if !seq.max.is_many() && seq.items.len() == 1 => match &seq.items[0] {
                Particle::Element(e) if e.max.is_many() => e,
                _ => return Ok(None),
            },
            _ => return Ok(None),
        };
        let element = self.local_element(item)?;
        if ct.is_dictionary {
            if let Some(TypeDef::Complex(entry)) = element
                .inline_type
                .as_deref()
                .or_else(|| element.type_name.as_ref().and_then(|t| self.type_defs.get(t).copied()))
            {
                if let Content::Particle(Some(Particle::Sequence(seq))) = &entry.content {
                    if let [Particle::Element(k), Particle::Element(v)] = seq.items.as_slice() {
                        if k.name.local == "Key" && v.name.local == "Value" && !k.max.is_many() && !v.max.is_many() {
                            self.use_ns(&element.name.ns);
                            let key = self.field(k, false, false)?;
                            let value = self.field(v, false, false)?;
                            return Ok(Some(TypeKind::Dictionary { entry: item.name.clone(), key, value }));
                        }
                    }
                }
            }
        }
        Ok(Some(TypeKind::Array { item: self.field(item, false, false)? }))
    }

    /// A local element particle, following `ref` to the top-level declaration.
    fn local_element(&self, e: &'d Element) -> Result<&'d Element, ResolveError> {
        match &e.reference {
            Some(r) => self.element_decl(r, &e.pos),
            None => Ok(e),
        }
    }

    fn field(&mut self, e: &'d Element, optional: bool, many: bool) -> Result<Field, ResolveError> {
        let decl = self.local_element(e)?;
        self.use_ns(&e.name.ns);
        let ty = self.element_type(decl)?;
        let min = if optional { 0 } else { e.min };
        Ok(Field {
            name: e.name.clone(),
            ty,
            occurs: Occurs::new(min, many || e.max.is_many(), decl.nillable),
            boxed: false,
            secret: false,
            doc: e.doc.clone().or_else(|| decl.doc.clone()),
        })
    }

    /// A reference to the head of a substitution group: a choice of the head (unless abstract)
    /// and every element that may substitute for it, transitively, in schema order.
    fn substitution_choice(
        &mut self,
        owner: &QName,
        e: &'d Element,
        optional: bool,
        many: bool,
        out: &mut Vec<Field>,
    ) -> Result<(), ResolveError> {
        let head = self.local_element(e)?;
        let mut members: Vec<&'d Element> = Vec::new();
        if !head.is_abstract {
            members.push(head);
        }
        let mut queue = vec![&head.name];
        let mut seen: HashSet<&QName> = HashSet::from([&head.name]);
        while let Some(name) = queue.pop() {
            for m in self.substitutes.get(name).cloned().unwrap_or_default() {
                if seen.insert(&m.name) {
                    queue.push(&m.name);
                    if !m.is_abstract {
                        members.push(m);
                    }
                }
            }
        }
        if members.is_empty() {
            return err(&e.pos, format!("element {} is abstract and nothing substitutes for it", head.name));
        }
        let mut variants = Vec::new();
        for m in members {
            self.use_ns(&m.name.ns);
            let ty = self.element_type(m)?;
            let secret = self.is_secret(Some(&owner.local), &m.name.local);
            let occurs = if m.nillable { Occurs::NilOrRequired } else { Occurs::Required };
            variants.push(Field { name: m.name.clone(), ty, occurs, boxed: false, secret, doc: m.doc.clone() });
        }
        let id = self.reserve();
        self.types[id] = Some(Type {
            name: QName::new(head.name.ns.clone(), format!("{}Substitutes", head.name.local)),
            anonymous: true,
            doc: Some(format!("An element of the substitution group of `{}`.", head.name.local)),
            kind: TypeKind::Choice { variants },
            pos: e.pos.clone(),
        });
        let min = if optional { 0 } else { e.min };
        out.push(Field::construct(
            head.name.local.clone(),
            TypeRef::Named(id),
            Occurs::new(min, many || e.max.is_many(), false),
        ));
        Ok(())
    }

    /// The field that keeps, in order, every element the other fields do not claim (`xs:any`);
    /// one per struct however many wildcards it has.
    fn any_field(&mut self, out: &mut Vec<Field>) {
        if !out.iter().any(|f| f.ty == TypeRef::Builtin(Builtin::AnyElement)) {
            out.push(Field {
                doc: Some("Elements allowed by xs:any, kept as XML.".into()),
                ..Field::construct("any", TypeRef::Builtin(Builtin::AnyElement), Occurs::Repeated)
            });
        }
    }

    /// Flattens a particle into fields of `owner`; `optional` / `many` come from enclosing compositors.
    fn fields(
        &mut self,
        owner: &QName,
        p: &'d Particle,
        optional: bool,
        many: bool,
        out: &mut Vec<Field>,
    ) -> Result<(), ResolveError> {
        match p {
            Particle::Sequence(c) | Particle::All(c) => {
                let optional = optional || c.min == 0;
                let repeated = c.max.is_many();
                if repeated && c.items.len() > 1 {
                    return err(&c.pos, "a repeated sequence of several particles is not supported yet");
                }
                for item in &c.items {
                    self.fields(owner, item, optional, many || repeated, out)?;
                }
                Ok(())
            }
            // `<xs:element ref="xs:schema"/>`: an inline schema travels in the message (.NET
            // DataSets: the schema, then the data under `xs:any`). It is any element to us.
            Particle::Element(e)
                if e.reference.as_ref().is_some_and(|r| r.ns == crate::read::XSD_NS && r.local == "schema") =>
            {
                self.any_field(out);
                Ok(())
            }
            Particle::Element(e) if e.reference.as_ref().is_some_and(|r| self.substitutes.contains_key(r)) => {
                self.substitution_choice(owner, e, optional, many, out)
            }
            Particle::Element(e) => {
                let field = self.field(e, optional, many)?;
                out.push(field);
                Ok(())
            }
            Particle::Choice(c) => {
                let mut variants = Vec::new();
                let mut variant_optional = false;
                let mut variant_many = false;
                for item in &c.items {
                    match item {
                        Particle::Element(e) => {
                            variant_optional |= e.min == 0;
                            variant_many |= e.max.is_many();
                            let mut f = self.field(e, false, false)?;
                            f.occurs = if matches!(f.occurs, Occurs::NilOrRequired) {
                                Occurs::NilOrRequired
                            } else {
                                Occurs::Required
                            };
                            f.secret = self.is_secret(Some(&owner.local), &f.name.local);
                            variants.push(f);
                        }
                        Particle::Sequence(inner) if inner.items.is_empty() => variant_optional = true,
                        Particle::Any { pos, .. } => {
                            return err(pos, "an xs:choice with an xs:any alternative is not supported yet");
                        }
                        // A sequence, a nested choice or a group reference, repeated or not: a
                        // run of sibling elements, as a group of the fields it flattens into.
                        Particle::Sequence(_) | Particle::All(_) | Particle::Choice(_) | Particle::GroupRef { .. } => {
                            let (kind, min, pos) = match item {
                                Particle::Sequence(c) | Particle::All(c) => ("Sequence".to_owned(), c.min, &c.pos),
                                Particle::Choice(c) => ("Choice".to_owned(), c.min, &c.pos),
                                Particle::GroupRef { name, min, pos, .. } => (name.local.clone(), *min, pos),
                                _ => unreachable!("matched above"),
                            };
                            variant_optional |= min == 0;
                            let k = variants.len() + 1;
                            let group_name = QName::new(owner.ns.clone(), format!("{}{kind}{k}", owner.local));
                            let mut fields = Vec::new();
                            self.fields(&group_name, item, false, false, &mut fields)?;
                            if fields.iter().any(|f| f.ty == TypeRef::Builtin(Builtin::AnyElement)) {
                                return err(pos, "an xs:choice alternative holding xs:any is not supported yet");
                            }
                            let id = self.reserve();
                            self.types[id] = Some(Type {
                                name: group_name,
                                anonymous: true,
                                doc: None,
                                kind: TypeKind::Group { fields },
                                pos: pos.clone(),
                            });
                            variants.push(Field::construct(format!("{kind}{k}"), TypeRef::Named(id), Occurs::Required));
                        }
                    }
                }
                let id = self.reserve();
                let name = QName::new(owner.ns.clone(), format!("{}Choice", owner.local));
                self.types[id] = Some(Type {
                    name,
                    anonymous: true,
                    doc: None,
                    kind: TypeKind::Choice { variants },
                    pos: c.pos.clone(),
                });
                let min = if optional || variant_optional { 0 } else { c.min };
                let occurs = Occurs::new(min, many || c.max.is_many() || variant_many, false);
                out.push(Field::construct("Choice", TypeRef::Named(id), occurs));
                Ok(())
            }
            Particle::Any { .. } => {
                self.any_field(out);
                Ok(())
            }
            Particle::GroupRef { name, min, max, pos } => {
                let Some(group) = self.groups.get(name).copied() else {
                    return err(pos, format!("group {name} is not defined"));
                };
                if let Some(inner) = &group.particle {
                    self.fields(owner, inner, optional || *min == 0, many || max.is_many(), out)?;
                }
                Ok(())
            }
        }
    }
}

/// Boxes the by-value fields that close a cycle of containment, and only those: the back edges
/// of a depth-first search over by-value fields (struct fields and choice variants; a `Vec`
/// already breaks a cycle). Removing back edges leaves the graph acyclic, so every type gets a
/// finite size; the search visits types and fields in model order, so the choice is deterministic.
fn mark_boxed(types: &mut [Type]) {
    let by_value = |f: &Field| !matches!(f.occurs, Occurs::Repeated | Occurs::RepeatedNillable);
    let is_container = |t: &Type| {
        matches!(
            t.kind,
            TypeKind::Struct { .. } | TypeKind::Choice { .. } | TypeKind::Poly { .. } | TypeKind::Group { .. }
        )
    };
    // edges[i] = (field index, target) for each by-value field of type i holding a container.
    let edges: Vec<Vec<(usize, TypeId)>> = types
        .iter()
        .map(|t| {
            let fields: &[Field] = match &t.kind {
                TypeKind::Struct { fields, .. } | TypeKind::Group { fields } => fields,
                TypeKind::Choice { variants } | TypeKind::Poly { variants, .. } => variants,
                _ => &[],
            };
            fields
                .iter()
                .enumerate()
                .filter(|(_, f)| by_value(f))
                .filter_map(|(k, f)| match f.ty {
                    TypeRef::Named(j) if is_container(&types[j]) => Some((k, j)),
                    _ => None,
                })
                .collect()
        })
        .collect();
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let mut state = vec![State::New; types.len()];
    let mut back_edges: Vec<(TypeId, usize)> = Vec::new();
    for root in 0..types.len() {
        if state[root] != State::New {
            continue;
        }
        state[root] = State::Open;
        let mut stack: Vec<(TypeId, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&(field, w)) = edges[v].get(*next) {
                *next += 1;
                match state[w] {
                    State::New => {
                        state[w] = State::Open;
                        stack.push((w, 0));
                    }
                    State::Open if matches!(types[w].kind, TypeKind::Choice { .. }) => {
                        // A choice field stays unboxed (it is written without a wrapper): box the
                        // variant through which the search left the choice instead.
                        if let Some(&(_, after)) = stack.iter().find(|(node, _)| *node == w) {
                            back_edges.push((w, edges[w][after - 1].0));
                        }
                    }
                    State::Open => back_edges.push((v, field)),
                    State::Done => {}
                }
            } else {
                state[v] = State::Done;
                stack.pop();
            }
        }
    }
    for (v, field) in back_edges {
        match &mut types[v].kind {
            TypeKind::Struct { fields, .. } | TypeKind::Group { fields } => fields[field].boxed = true,
            TypeKind::Choice { variants } | TypeKind::Poly { variants, .. } => variants[field].boxed = true,
            _ => {}
        }
    }
}
