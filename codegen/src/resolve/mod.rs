//! Stage 2: resolve the syntax model into the [`Model`]: look every name up by namespace URI
//! and local name, pick the bindings, flatten content models into fields, keep only what the
//! selected operations reach, and find the fields that must be boxed to break cycles.

mod boxing;
mod checks;
mod encoded;
mod error;
mod index;
mod invariants;
mod operations;
mod particles;
mod policy;
mod types;

use boxing::mark_boxed;
use checks::check_definitions;
pub use error::{Definition, Nesting, ResolveError, ResolveErrorKind};
use error::{fail, internal, invalid, undefined, unsupported};
use index::Index;
use invariants::{check_model, unnest_arrays};
use policy::{addressing_action, binding_uses_addressing, response_action};

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::model::*;
use crate::read::{Binding, BindingProtocol, Definitions};
use crate::xml::{Pos, QName};

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
    /// The SOAP version every client defaults to, whatever its binding says.
    pub soap_version: Option<SoapVersion>,
}

/// Whether an element's local name looks like it holds a secret: it contains `password`,
/// `passwd`, `secret`, `ticket`, `token`, `apikey`, `api_key` or `privatekey` (any case).
pub fn looks_secret(local: &str) -> bool {
    let lower = local.to_ascii_lowercase();
    ["password", "passwd", "secret", "ticket", "token", "apikey", "api_key", "privatekey", "private_key"]
        .iter()
        .any(|w| lower.contains(w))
}

/// `file:line:col` of `pos` with the file's name only, for notes in generated code (which must
/// not depend on where the sources are).
pub(super) fn short_pos(pos: &Pos) -> String {
    let file =
        pos.file().file_name().map_or_else(|| pos.file().display().to_string(), |f| f.to_string_lossy().into_owned());
    format!("{file}:{}:{}", pos.line(), pos.column())
}

/// Resolves `defs` into a model.
pub fn resolve(defs: &Definitions, options: &ResolveOptions) -> Result<Model, ResolveError> {
    let index = Index::build(defs)?;
    check_definitions(defs, &index)?;
    let mut r = Resolver::new(defs, index);
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
        let bound_version =
            if binding.protocol == BindingProtocol::Soap12 { SoapVersion::Soap12 } else { SoapVersion::Soap11 };
        // The option overrides what the binding says (the other bindings keep their own).
        let version = options.soap_version.unwrap_or(bound_version);
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
            addressing: binding_uses_addressing(defs, binding, &mut notes),
        };
        let mut skipped = false;
        for op in &port_type.operations {
            if let Some(w) = &wanted {
                if !w.contains(op.name.as_str()) {
                    continue;
                }
            }
            // A notification operation (output, no input) cannot be called by a SOAP client nor
            // answered by a server over request-response HTTP: the rest of the port type is
            // generated, and a note names it. Asked for by name, it is an error (in `operation`).
            if op.input.is_none() && wanted.is_none() {
                notes.push(format!(
                    "operation `{}` of port type `{}` ({}) has no input: a notification operation, which a SOAP \
                     client cannot call nor a server answer; skipped",
                    op.name,
                    port_type.name.local,
                    short_pos(&op.pos)
                ));
                skipped = true;
                continue;
            }
            found.insert(op.name.clone());
            let Some(bop) = binding.operations.iter().find(|b| b.name == op.name) else {
                return fail(
                    &binding.pos,
                    ResolveErrorKind::Undefined {
                        what: Definition::BindingOperation,
                        name: op.name.clone(),
                        context: Some(format!("binding `{}` has no operation for it", binding.name.local)),
                    },
                );
            };
            let operation = r.operation(binding, op, bop, &mut client)?;
            client.operations.push(operation);
        }
        // Nothing left to call: no client (the note says why).
        if client.operations.is_empty() && (wanted.is_some() || skipped) {
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
                addressing: binding_uses_addressing(defs, other, &mut notes),
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
            return fail(
                &pos,
                ResolveErrorKind::UnknownOperations {
                    missing: missing.into_iter().map(str::to_owned).collect(),
                    known: known.into_iter().map(str::to_owned).collect(),
                },
            );
        }
    }

    let document_pos = r.document_pos();
    let encoded_roots: Vec<TypeId> = clients
        .iter()
        .flat_map(|c| &c.operations)
        .filter(|op| op.encoded)
        .flat_map(|op| {
            let faults = op.faults.iter().filter_map(|f| match f.ty {
                TypeRef::Named(id) => Some(id),
                TypeRef::Builtin(_) => None,
            });
            [op.request.ty].into_iter().chain(op.response.as_ref().map(|b| b.ty)).chain(faults)
        })
        .collect();
    let mut types: Vec<Type> = Vec::with_capacity(r.types.len());
    for (i, t) in r.types.into_iter().enumerate() {
        match t {
            Some(t) => types.push(t),
            // Every registered type is resolved or rolled back (`Resolver::rollback`) before
            // resolution succeeds; one that was not is a bug, reported rather than panicked on.
            None => return internal(&document_pos, format!("type {i} was registered but never resolved")),
        }
    }
    unnest_arrays(&mut types, &document_pos)?;
    mark_boxed(&mut types);
    check_model(&types, &document_pos)?;
    // Encoded values carry `xsi:type`: the namespaces of the types they name are declared too.
    let encoded_types = encoded::reachable(&types, encoded_roots);
    let mut namespaces = r.namespaces;
    if !encoded_types.is_empty() {
        let named = encoded_types.iter().map(|id| &types[id.0]).filter(|t| t.origin == TypeOrigin::Named);
        for ns in [crate::xml::XSD_NS, crate::xml::SOAP_ENC_NS].into_iter().chain(named.map(|t| t.name.ns.as_str())) {
            if !ns.is_empty() && ns != crate::xml::XML_NS && !namespaces.iter().any(|n| n == ns) {
                namespaces.push(ns.to_owned());
            }
        }
    }
    // Arrays that became structs (a wrapper containing itself) are no SOAP arrays any more.
    let arrays =
        r.soap_arrays.iter().copied().filter(|id| matches!(types[id.0].kind, TypeKind::Array { .. })).collect();
    notes.extend(r.notes);
    Ok(Model { clients, types, namespaces, notes, encoded: Encoded { types: encoded_types, arrays } })
}

/// Deepest nesting of type definitions resolved one inside the other (a type whose element is of
/// a type whose element is of a type...; a base type of a base type...). Resolution recurses once
/// per level, so this bounds its stack use, as [`crate::read::MAX_DEPTH`] bounds the reader's.
pub const MAX_TYPE_DEPTH: usize = 256;

/// The state of one resolution: the index it looks names up in, and the types made so far.
struct Resolver<'d> {
    defs: &'d Definitions,
    index: Index<'d>,
    /// The enums of a base type and the types derived from it made so far, by base type.
    with_derived: HashMap<QName, TypeRef>,
    /// Named types resolved so far.
    named: HashMap<QName, TypeRef>,
    /// Anonymous types resolved so far, by the address of their definition.
    anonymous: HashMap<usize, TypeRef>,
    /// The model's types; `None` while a type is being resolved (its id is taken first, so
    /// that a type can refer to itself).
    types: Vec<Option<Type>>,
    namespaces: Vec<String>,
    secrets: Vec<String>,
    notes: Vec<String>,
    /// How many type definitions are being resolved, one inside the other (see [`MAX_TYPE_DEPTH`]).
    depth: usize,
    /// The `soapenc:Array` types made so far.
    soap_arrays: BTreeSet<TypeId>,
}

impl<'d> Resolver<'d> {
    fn new(defs: &'d Definitions, index: Index<'d>) -> Self {
        Self {
            defs,
            index,
            with_derived: HashMap::new(),
            named: HashMap::new(),
            anonymous: HashMap::new(),
            types: Vec::new(),
            namespaces: Vec::new(),
            secrets: Vec::new(),
            depth: 0,
            notes: Vec::new(),
            soap_arrays: BTreeSet::new(),
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

    /// Adds `ns` to the namespaces the encoders declare (`n0`, `n1`, ...), in first-use order.
    pub(super) fn declare_namespace(&mut self, ns: &str) {
        // The XML namespace is bound to `xml` by definition and may not be declared again.
        if !ns.is_empty() && ns != crate::xml::XML_NS && !self.namespaces.iter().any(|n| n == ns) {
            self.namespaces.push(ns.to_owned());
        }
    }

    pub(super) fn reserve(&mut self) -> TypeId {
        self.types.push(None);
        TypeId(self.types.len() - 1)
    }
}
