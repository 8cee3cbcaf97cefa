//! Stage 2: resolve the syntax model into the [`Model`]: look every name up by namespace URI
//! and local name, pick the bindings, flatten content models into fields, keep only what the
//! selected operations reach, and find the fields that must be boxed to break cycles.

mod boxing;
mod checks;
mod operations;
mod particles;
mod policy;
mod types;

use boxing::mark_boxed;
use checks::check_definitions;
use policy::{addressing_action, policy_of};

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::model::*;
use crate::read::{Binding, BindingProtocol, Content, Definitions, Element, Message, TypeDef};
use crate::xml::{Pos, QName};

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

impl<'d> Resolver<'d> {
    pub(super) fn new(defs: &'d Definitions) -> Self {
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

    pub(super) fn document_pos(&self) -> Pos {
        self.defs.schemas.first().map(|s| s.pos.clone()).unwrap_or_else(|| Pos {
            file: std::sync::Arc::from(
                self.defs.files.first().map(|p| p.as_path()).unwrap_or(std::path::Path::new("")),
            ),
            line: 1,
            col: 1,
        })
    }

    pub(super) fn use_ns(&mut self, ns: &str) {
        // The XML namespace is bound to `xml` by definition and may not be declared again.
        if !ns.is_empty() && ns != crate::xml::XML_NS && !self.namespaces.iter().any(|n| n == ns) {
            self.namespaces.push(ns.to_owned());
        }
    }

    pub(super) fn reserve(&mut self) -> TypeId {
        self.types.push(None);
        self.types.len() - 1
    }
}
