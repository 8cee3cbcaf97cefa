//! The comparison of two models: walks both, pairs what matches, and reports every difference
//! with its Rust API and wire classification.

use std::collections::{BTreeMap, BTreeSet};

use super::matching::{NamespaceMap, TypeMatch, Usage, new_key, pair_by_key, usage};
use super::report::{Change, ChangeKind, Item, Verdict};
use super::rules::{
    always_written, attribute_conflict, builtin_reads, combine, describe_occurs, describe_usage, occurs_conflict,
    xsd_name,
};
use crate::emit::{Surface, TypeMembers, surface};
use crate::model::*;

/// One of the two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ver {
    Old,
    New,
}

/// One version's model, Rust surface and type usage.
pub(super) struct Side<'a> {
    pub model: &'a Model,
    pub surface: Surface,
    pub usage: Vec<Usage>,
}

impl<'a> Side<'a> {
    pub fn new(model: &'a Model) -> Self {
        Side { model, surface: surface(model), usage: usage(model) }
    }
}

/// A direction of the wire: who writes, who reads, and in which message.
#[derive(Debug, Clone, Copy)]
struct Dir {
    writer: Ver,
    reader: Ver,
    /// A request (read by a service) or a response (read by a client's generated decoders).
    request: bool,
    /// The reader's type takes any element (`xs:any`): it keeps what it does not know.
    open: bool,
}

impl Dir {
    fn writer_name(self) -> &'static str {
        match (self.writer, self.request) {
            (Ver::Old, true) => "old clients",
            (Ver::New, true) => "new clients",
            (Ver::Old, false) => "an old service",
            (Ver::New, false) => "the new service",
        }
    }

    fn reader_name(self) -> &'static str {
        match (self.reader, self.request) {
            (Ver::Old, true) => "an old service",
            (Ver::New, true) => "the new service",
            (Ver::Old, false) => "old decoders",
            (Ver::New, false) => "new decoders",
        }
    }
}

/// An element, attribute or header as one side has it: enough to apply the wire rules.
#[derive(Debug, Clone, Copy)]
struct Slot {
    ty: TypeRef,
    /// Always written by its writer (required elements, required and defaulted attributes).
    always: bool,
    /// Required by its reader.
    required: bool,
    /// The element occurrence (attributes: `Required` or `Optional`).
    occurs: Occurs,
    attribute: Option<&'static str>,
}

/// The walk over both models.
pub(super) struct Diff<'a> {
    old: Side<'a>,
    new: Side<'a>,
    ns: NamespaceMap,
    types: TypeMatch,
    /// Namespace moves, then the port types' changes.
    head: Vec<Change>,
    /// Types added and removed.
    added_removed: Vec<(String, Change)>,
    /// Per type (sorted by local name, namespace and position), the changes inside it.
    inside: BTreeMap<(String, String, usize), Vec<Change>>,
    /// SOAP actions that changed only as the namespace they contain moved.
    actions_following: usize,
}

fn change(kind: ChangeKind, item: Item, path: Vec<String>) -> Change {
    Change {
        kind,
        item,
        path,
        rust: None,
        old: None,
        new: None,
        api: Verdict::ok(""),
        old_client: Verdict::ok(""),
        new_client: Verdict::ok(""),
        hint: None,
    }
}

fn path(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| (*s).to_owned()).collect()
}

const NO_RUST_CHANGE: &str = "the generated Rust does not change";
const NO_WIRE_CHANGE: &str = "nothing changes on the wire";

impl<'a> Diff<'a> {
    pub fn new(old: &'a Model, new: &'a Model, old_target: &str, new_target: &str) -> Self {
        let ns = NamespaceMap::new(old, new, old_target, new_target);
        let types = TypeMatch::new(old, new, &ns);
        Diff {
            old: Side::new(old),
            new: Side::new(new),
            ns,
            types,
            head: Vec::new(),
            added_removed: Vec::new(),
            inside: BTreeMap::new(),
            actions_following: 0,
        }
    }

    /// Runs the comparison and returns the changes in report order.
    pub fn run(mut self) -> Vec<Change> {
        self.clients();
        self.all_types();
        let mut out = self.namespace_changes();
        out.append(&mut self.head);
        self.added_removed.sort_by(|a, b| a.0.cmp(&b.0));
        out.extend(self.added_removed.into_iter().map(|(_, c)| c));
        for (_, changes) in self.inside {
            out.extend(changes);
        }
        out
    }

    fn side(&self, v: Ver) -> &Side<'a> {
        match v {
            Ver::Old => &self.old,
            Ver::New => &self.new,
        }
    }

    // -----------------------------------------------------------------------------------------
    // namespaces
    // -----------------------------------------------------------------------------------------

    fn namespace_changes(&self) -> Vec<Change> {
        self.ns
            .moves
            .iter()
            .map(|(old, new, _)| {
                let names = self.names_in(old);
                let follow = if self.actions_following > 0 {
                    format!("; the SOAP actions of {} operations contain it and change with it", self.actions_following)
                } else {
                    String::new()
                };
                Change {
                    old: Some(old.clone()),
                    new: Some(new.clone()),
                    api: Verdict::ok("Rust names do not depend on namespace URIs"),
                    old_client: Verdict::breaks(format!(
                        "old clients send and expect the old names: the wire name of every element in it changes ({names}){follow}"
                    )),
                    new_client: Verdict::breaks("new clients send and expect the new names, which an old service does not know"),
                    ..change(ChangeKind::NamespaceMoved, Item::Namespace, vec![old.clone()])
                }
            })
            .collect()
    }

    /// How many of the old model's named things are in `ns`, as words.
    fn names_in(&self, ns: &str) -> String {
        let m = self.old.model;
        let types = m.types.iter().filter(|t| t.name.ns == ns).count();
        let mut elements = BTreeSet::new();
        for t in &m.types {
            if let TypeKind::Struct { fields, .. } | TypeKind::SequenceAlternative { fields } = &t.kind {
                for f in fields.iter().filter(|f| f.name.ns == ns) {
                    elements.insert((&t.name, &f.name));
                }
            }
        }
        let ops = m.clients.iter().flat_map(|c| &c.operations).filter(|o| o.request.name.ns == ns).count();
        format!("{types} types, {} element declarations in them, the body elements of {ops} operations", elements.len())
    }

    // -----------------------------------------------------------------------------------------
    // port types
    // -----------------------------------------------------------------------------------------

    fn clients(&mut self) {
        let old_keys: Vec<_> = self.old.model.clients.iter().map(|c| self.ns.old_key(&c.name)).collect();
        let new_keys: Vec<_> = self.new.model.clients.iter().map(|c| new_key(&c.name)).collect();
        let pairs = pair_by_key(&old_keys, &new_keys);
        let mut matched = vec![false; new_keys.len()];
        for (i, p) in pairs.iter().enumerate() {
            match p {
                Some(j) => {
                    matched[*j] = true;
                    self.client(i, *j);
                }
                None => {
                    let c = &self.old.model.clients[i];
                    let rust = self.old.surface.clients[i].client.clone();
                    self.head.push(Change {
                        rust: Some(rust.clone()),
                        api: Verdict::breaks(format!("`{rust}` is gone")),
                        old_client: Verdict::breaks("the new service no longer offers these operations"),
                        new_client: Verdict::ok("new clients do not call it"),
                        ..change(ChangeKind::Removed, Item::PortType, path(&[&c.name.local]))
                    });
                }
            }
        }
        for (j, m) in matched.iter().enumerate() {
            if !m {
                let c = &self.new.model.clients[j];
                let rust = self.new.surface.clients[j].client.clone();
                self.head.push(Change {
                    rust: Some(rust.clone()),
                    api: Verdict::ok(format!("a new client, `{rust}`")),
                    old_client: Verdict::ok("old clients do not call it"),
                    new_client: Verdict::ok("calling its operations on an old service fails; nothing else changes"),
                    ..change(ChangeKind::Added, Item::PortType, path(&[&c.name.local]))
                });
            }
        }
    }

    fn client(&mut self, oi: usize, ni: usize) {
        let (oc, nc) = (&self.old.model.clients[oi], &self.new.model.clients[ni]);
        let (os, ns_) = (&self.old.surface.clients[oi], &self.new.surface.clients[ni]);
        let port = nc.name.local.clone();
        let mut out = Vec::new();
        if os.client != ns_.client {
            out.push(rust_renamed(Item::PortType, path(&[&port]), &os.client, &ns_.client));
        }
        if oc.doc != nc.doc {
            out.push(doc_change(Item::PortType, path(&[&port]), Some(ns_.client.clone())));
        }
        if oc.version != nc.version {
            out.push(Change {
                old: Some(version_name(oc.version).into()),
                new: Some(version_name(nc.version).into()),
                api: Verdict::ok(format!(
                    "`{}` still has the same methods; it defaults to the new version",
                    ns_.client
                )),
                old_client: Verdict::breaks(
                    "old clients send envelopes of the old SOAP version (namespace and content type)",
                ),
                new_client: Verdict::breaks(
                    "new clients send envelopes of the new SOAP version, which an old service does not accept",
                ),
                ..change(ChangeKind::SoapVersionChanged, Item::Binding, path(&[&port, &nc.binding.local]))
            });
        }
        if oc.addressing != nc.addressing {
            let on_off = |b: bool| if b { "WS-Addressing" } else { "no WS-Addressing" };
            out.push(Change {
                old: Some(on_off(oc.addressing).into()),
                new: Some(on_off(nc.addressing).into()),
                api: Verdict::ok(NO_RUST_CHANGE.to_owned() + " (only what the client sends)"),
                old_client: if nc.addressing {
                    Verdict::breaks("old clients send no addressing headers, which the new service requires")
                } else {
                    Verdict::ok("old clients send addressing headers, which SOAP lets the new service ignore")
                },
                new_client: if oc.addressing {
                    Verdict::breaks("new clients send no addressing headers, which an old service requires")
                } else {
                    Verdict::ok("new clients send addressing headers, which SOAP lets an old service ignore")
                },
                ..change(ChangeKind::BindingChanged, Item::Binding, path(&[&port, &nc.binding.local]))
            });
        }
        if oc.address != nc.address {
            out.push(self.address_change(
                &port,
                &nc.binding.local,
                &ns_.client,
                oc.address.as_deref(),
                nc.address.as_deref(),
            ));
        }
        self.other_bindings(oc, nc, &port, &mut out);
        self.headers(oi, ni, &port, &mut out);
        self.operations(oi, ni, &port, &mut out);
        self.head.extend(out);
    }

    fn address_change(&self, port: &str, binding: &str, client: &str, old: Option<&str>, new: Option<&str>) -> Change {
        let api = match (old, new) {
            (Some(_), None) => Verdict::breaks(format!("`{client}::WSDL_ADDRESS` is gone")),
            (None, Some(_)) => Verdict::ok(format!("a new constant `{client}::WSDL_ADDRESS`")),
            _ => Verdict::ok(format!("`{client}::WSDL_ADDRESS` changes its value")),
        };
        Change {
            old: old.map(str::to_owned),
            new: new.map(str::to_owned),
            rust: Some(format!("{client}::WSDL_ADDRESS")),
            api,
            old_client: Verdict::ok(match old {
                Some(_) => {
                    "programs give the endpoint to `new`; one that uses `WSDL_ADDRESS` keeps calling the old address"
                }
                None => "programs give the endpoint to `new`",
            }),
            new_client: Verdict::ok(match new {
                Some(_) => "programs give the endpoint to `new`; one that uses `WSDL_ADDRESS` calls the new address",
                None => "programs give the endpoint to `new`; the new WSDL names no address",
            }),
            ..change(ChangeKind::AddressChanged, Item::Binding, path(&[port, binding]))
        }
    }

    fn other_bindings(&self, oc: &Client, nc: &Client, port: &str, out: &mut Vec<Change>) {
        let old: BTreeSet<String> = oc.other_bindings.iter().map(|b| b.name.local.clone()).collect();
        let new: BTreeSet<String> = nc.other_bindings.iter().map(|b| b.name.local.clone()).collect();
        let old_main = &oc.binding.local;
        let new_main = &nc.binding.local;
        for b in old.difference(&new).filter(|b| *b != new_main) {
            out.push(Change {
                api: Verdict::breaks(format!("the binding enum loses the variant for `{b}`")),
                old_client: Verdict::breaks(format!(
                    "old clients switched to `{b}` call a binding the new service lacks"
                )),
                new_client: Verdict::ok("new clients do not use it"),
                ..change(ChangeKind::Removed, Item::Binding, path(&[port, b]))
            });
        }
        for b in new.difference(&old).filter(|b| *b != old_main) {
            out.push(Change {
                api: Verdict::ok(format!(
                    "the binding enum gains a variant for `{b}`; `match`es with a `_` arm still compile"
                )),
                old_client: Verdict::ok("old clients do not use it"),
                new_client: Verdict::ok("new clients use it only when switched to it"),
                ..change(ChangeKind::Added, Item::Binding, path(&[port, b]))
            });
        }
    }

    fn headers(&mut self, oi: usize, ni: usize, port: &str, out: &mut Vec<Change>) {
        for request in [true, false] {
            let (oc, nc) = (&self.old.model.clients[oi], &self.new.model.clients[ni]);
            let (os, nsurf) = (&self.old.surface.clients[oi], &self.new.surface.clients[ni]);
            let (oh, nh) = if request {
                (&oc.request_headers, &nc.request_headers)
            } else {
                (&oc.response_headers, &nc.response_headers)
            };
            let (of, nf) = if request {
                (&os.request_header_fields, &nsurf.request_header_fields)
            } else {
                (&os.response_header_fields, &nsurf.response_header_fields)
            };
            let set = if request { &nsurf.request_headers } else { &nsurf.response_headers };
            let old_set = if request { &os.request_headers } else { &os.response_headers };
            let old_keys: Vec<_> = oh.iter().map(|h| self.ns.old_key(&h.name)).collect();
            let new_keys: Vec<_> = nh.iter().map(|h| new_key(&h.name)).collect();
            let pairs = pair_by_key(&old_keys, &new_keys);
            let which = if request { "request" } else { "response" };
            for (i, p) in pairs.iter().enumerate() {
                let h = &oh[i];
                let Some(j) = *p else {
                    let field = &of[i].name;
                    let (old_client, new_client) = if request {
                        (
                            Verdict::ok(
                                "old clients that set it still send it; SOAP lets the new service ignore an entry it does not know (generated clients do not mark entries `mustUnderstand`)",
                            ),
                            Verdict::ok(
                                "new clients no longer send it; whether an old service needs it, the WSDL does not say",
                            ),
                        )
                    } else {
                        (
                            Verdict::ok(format!(
                                "the new service no longer sends it: old decoders leave `{field}` empty, as for any response without it"
                            )),
                            Verdict::ok("new decoders skip it when an old service sends it"),
                        )
                    };
                    out.push(Change {
                        rust: Some(format!("{old_set}::{field}")),
                        api: Verdict::breaks(format!(
                            "`{old_set}::{field}`{} is gone",
                            if request { format!(" and `{}::{}`", os.client, os.setters[i]) } else { String::new() }
                        )),
                        old_client,
                        new_client,
                        ..change(
                            ChangeKind::Removed,
                            Item::Header,
                            path(&[port, &format!("{which} header {}", h.name.local)]),
                        )
                    });
                    continue;
                };
                let n = &nh[j];
                let hpath = path(&[port, &format!("{which} header {}", n.name.local)]);
                if of[i].name != nf[j].name {
                    out.push(rust_renamed(Item::Header, hpath.clone(), &of[i].name, &nf[j].name));
                }
                let occurs = |h: &Header| if h.nillable { Occurs::OptionalNillable } else { Occurs::Optional };
                let slot =
                    |h: &Header| Slot { ty: h.ty, always: false, required: false, occurs: occurs(h), attribute: None };
                let u = Usage { sent: request, received: !request };
                if !self.same_type(h.ty, n.ty) {
                    let (old_client, new_client) = self.wire(u, &n.name.local, Some(slot(h)), Some(slot(n)));
                    out.push(Change {
                        rust: Some(format!("{set}::{}", nf[j].name)),
                        old: Some(self.describe(Ver::Old, h.ty, Some(&of[i].ty))),
                        new: Some(self.describe(Ver::New, n.ty, Some(&nf[j].ty))),
                        api: api_member_type(&of[i].ty, &nf[j].ty),
                        old_client,
                        new_client,
                        ..change(ChangeKind::TypeChanged, Item::Header, hpath.clone())
                    });
                } else if h.nillable != n.nillable {
                    let (old_client, new_client) = self.wire(u, &n.name.local, Some(slot(h)), Some(slot(n)));
                    out.push(Change {
                        rust: Some(format!("{set}::{}", nf[j].name)),
                        old: Some(describe_occurs(occurs(h)).to_owned()),
                        new: Some(describe_occurs(occurs(n)).to_owned()),
                        api: api_member_type(&of[i].ty, &nf[j].ty),
                        old_client,
                        new_client,
                        ..change(ChangeKind::OccurrenceChanged, Item::Header, hpath.clone())
                    });
                }
            }
            let matched: BTreeSet<usize> = pairs.iter().flatten().copied().collect();
            for (j, n) in nh.iter().enumerate().filter(|(j, _)| !matched.contains(j)) {
                let field = &nf[j].name;
                let (api, old_client, new_client) = if request {
                    (
                        Verdict::ok(format!(
                            "a new field `{set}::{field}` and setter `{}::{}`; code that builds `{set}` with `..Default::default()` still compiles",
                            nsurf.client, nsurf.setters[j]
                        )),
                        Verdict::ok(
                            "old clients do not send it; whether the new service requires it, the WSDL does not say",
                        ),
                        Verdict::ok("new clients send it only when set"),
                    )
                } else {
                    (
                        Verdict::ok(format!(
                            "a new field `{set}::{field}`; code that builds `{set}` with `..Default::default()` still compiles"
                        )),
                        Verdict::ok(
                            "old decoders skip header entries they do not know (unless marked `mustUnderstand`)",
                        ),
                        Verdict::ok(format!("an old service does not send it: `{field}` stays empty")),
                    )
                };
                out.push(Change {
                    rust: Some(format!("{set}::{field}")),
                    api,
                    old_client,
                    new_client,
                    ..change(
                        ChangeKind::Added,
                        Item::Header,
                        path(&[port, &format!("{which} header {}", n.name.local)]),
                    )
                });
            }
        }
    }

    fn operations(&mut self, oi: usize, ni: usize, port: &str, out: &mut Vec<Change>) {
        let (oc, nc) = (&self.old.model.clients[oi], &self.new.model.clients[ni]);
        let old_names: Vec<&str> = oc.operations.iter().map(|o| o.name.as_str()).collect();
        let new_names: Vec<&str> = nc.operations.iter().map(|o| o.name.as_str()).collect();
        let pairs = pair_by_key(&old_names, &new_names);
        let matched: BTreeSet<usize> = pairs.iter().flatten().copied().collect();
        let removed: Vec<usize> = (0..old_names.len()).filter(|i| pairs[*i].is_none()).collect();
        let added: Vec<usize> = (0..new_names.len()).filter(|j| !matched.contains(j)).collect();
        for &i in &removed {
            let op = &oc.operations[i];
            let method = &self.old.surface.clients[oi].operations[i].method;
            let client = &self.old.surface.clients[oi].client;
            let twin = added.iter().find(|&&j| self.same_operation_shape(op, &nc.operations[j]));
            out.push(Change {
                rust: Some(format!("{client}::{method}")),
                api: Verdict::breaks(format!("`{client}::{method}` and the request type's `Operation` impl are gone")),
                old_client: Verdict::breaks("calls fail: the new service no longer has the operation"),
                new_client: Verdict::ok("new clients do not call it"),
                hint: twin.map(|&j| {
                    format!(
                        "same request and response shape as the new operation `{}`: renamed?",
                        nc.operations[j].name
                    )
                }),
                ..change(ChangeKind::Removed, Item::Operation, path(&[port, &op.name]))
            });
        }
        for &j in &added {
            let op = &nc.operations[j];
            let method = &self.new.surface.clients[ni].operations[j].method;
            let client = &self.new.surface.clients[ni].client;
            let twin = removed.iter().find(|&&i| self.same_operation_shape(&oc.operations[i], op));
            out.push(Change {
                rust: Some(format!("{client}::{method}")),
                api: Verdict::ok(format!("a new method `{client}::{method}`")),
                old_client: Verdict::ok("old clients do not call it"),
                new_client: Verdict::ok(
                    "new clients calling it on an old service get a fault; other calls are unaffected",
                ),
                hint: twin.map(|&i| {
                    format!(
                        "same request and response shape as the removed operation `{}`: renamed?",
                        oc.operations[i].name
                    )
                }),
                ..change(ChangeKind::Added, Item::Operation, path(&[port, &op.name]))
            });
        }
        for (i, p) in pairs.iter().enumerate() {
            if let Some(j) = *p {
                self.operation(oi, ni, i, j, port, out);
            }
        }
    }

    fn operation(&mut self, oi: usize, ni: usize, i: usize, j: usize, port: &str, out: &mut Vec<Change>) {
        let (oc, nc) = (&self.old.model.clients[oi], &self.new.model.clients[ni]);
        let (o, n) = (&oc.operations[i], &nc.operations[j]);
        let (os, ns_) = (&self.old.surface.clients[oi].operations[i], &self.new.surface.clients[ni].operations[j]);
        let client = &self.new.surface.clients[ni].client;
        let op_path = path(&[port, &n.name]);
        let method = format!("{client}::{}", ns_.method);
        if o.doc != n.doc {
            out.push(doc_change(Item::Operation, op_path.clone(), Some(method.clone())));
        }
        for (old_action, new_action, what) in [
            (&o.action, &n.action, "SOAP action"),
            (&o.addressing_action, &n.addressing_action, "WS-Addressing action"),
        ] {
            if what != "SOAP action"
                && (!nc.addressing || (o.addressing_action == o.action && n.addressing_action == n.action))
            {
                continue;
            }
            if old_action == new_action {
                continue;
            }
            if self.ns.rewrite(old_action) == *new_action {
                if what == "SOAP action" {
                    self.actions_following += 1;
                }
                continue;
            }
            out.push(Change {
                rust: Some(format!("{}::SOAP_ACTION", ns_.request_type)),
                old: Some(old_action.clone()),
                new: Some(new_action.clone()),
                api: Verdict::ok(format!("the request type's `{what}` constant changes its value")),
                old_client: Verdict::breaks(format!(
                    "old clients send the old {what}, by which the new service dispatches"
                )),
                new_client: Verdict::breaks(format!(
                    "new clients send the new {what}, which an old service does not know"
                )),
                ..change(ChangeKind::ActionChanged, Item::Operation, op_path.clone())
            });
        }
        let body = |b: Option<&BodyElement>, one_way: bool| match b {
            Some(b) => b.name.local.clone(),
            None if one_way => "(one-way)".to_owned(),
            None => "(empty body)".to_owned(),
        };
        let same_body = |a: Option<&BodyElement>, b: Option<&BodyElement>| match (a, b) {
            (Some(a), Some(b)) => self.ns.old_key(&a.name) == new_key(&b.name),
            (None, None) => true,
            _ => false,
        };
        if !same_body(Some(&o.request), Some(&n.request)) {
            out.push(Change {
                old: Some(o.request.name.to_string()),
                new: Some(n.request.name.to_string()),
                api: Verdict::ok("the request type follows the body element (reported with the types)"),
                old_client: Verdict::breaks(
                    "old clients send the old request element, which the new service does not expect",
                ),
                new_client: Verdict::breaks(
                    "new clients send the new request element, which an old service does not expect",
                ),
                ..change(ChangeKind::BodyChanged, Item::Operation, op_path.clone())
            });
        }
        if !same_body(o.response.as_ref(), n.response.as_ref()) || o.one_way != n.one_way {
            out.push(Change {
                old: Some(body(o.response.as_ref(), o.one_way)),
                new: Some(body(n.response.as_ref(), n.one_way)),
                api: Verdict::ok(
                    "the response type follows the body element (the method's signature is reported on its own)",
                ),
                old_client: Verdict::breaks("old decoders expect the old response body"),
                new_client: Verdict::breaks(
                    "new decoders expect the new response body, which an old service does not send",
                ),
                ..change(ChangeKind::BodyChanged, Item::Operation, op_path.clone())
            });
        }
        if os.signature() != ns_.signature() {
            out.push(Change {
                rust: Some(method.clone()),
                old: Some(os.signature()),
                new: Some(ns_.signature()),
                api: Verdict::breaks(format!(
                    "calls of `{method}` written for the old signature do not compile (or, with parameters of one type swapped, silently pass them in the wrong order); `{client}::call` with a `{}` built with `..Default::default()` is unaffected by new fields",
                    ns_.request_type
                )),
                old_client: Verdict::ok("the method's wire form follows the request and response types, reported there"),
                new_client: Verdict::ok("the method's wire form follows the request and response types, reported there"),
                ..change(ChangeKind::SignatureChanged, Item::Method, op_path.clone())
            });
        } else if os.method != ns_.method {
            out.push(rust_renamed(Item::Method, op_path.clone(), &os.method, &ns_.method));
        }
        // Headers each operation sends and receives.
        for request in [true, false] {
            let set = |c: &Client, op: &Operation, old: bool| -> BTreeSet<(String, String)> {
                let ids: Vec<&Header> = if request {
                    op.request_headers.iter().map(|&h| &c.request_headers[h]).collect()
                } else {
                    op.response_headers.iter().map(|&h| &c.response_headers[h]).collect()
                };
                ids.iter().map(|h| if old { self.ns.old_key(&h.name) } else { new_key(&h.name) }).collect()
            };
            let (before, after) = (set(oc, o, true), set(nc, n, false));
            let which = if request { "request" } else { "response" };
            // Entries new to (or gone from) the port type are reported once, as such.
            let known = |c: &Client, old: bool| -> BTreeSet<(String, String)> {
                let headers = if request { &c.request_headers } else { &c.response_headers };
                headers.iter().map(|h| if old { self.ns.old_key(&h.name) } else { new_key(&h.name) }).collect()
            };
            let (old_known, new_known) = (known(oc, true), known(nc, false));
            for (_, local) in after.difference(&before).filter(|k| old_known.contains(*k)) {
                out.push(Change {
                    api: Verdict::ok(NO_RUST_CHANGE.to_owned() + " (the operation's calls carry the entry from the header set)"),
                    old_client: if request {
                        Verdict::ok("old clients do not send it with this operation; whether the new service requires it, the WSDL does not say")
                    } else {
                        Verdict::ok("old decoders skip header entries they do not know")
                    },
                    new_client: Verdict::ok(if request { "new clients send it only when set" } else { "an old service does not send it" }),
                    ..change(ChangeKind::Added, Item::Header, path(&[port, &n.name, &format!("{which} header {local}")]))
                });
            }
            for (_, local) in before.difference(&after).filter(|k| new_known.contains(*k)) {
                out.push(Change {
                    api: Verdict::ok(NO_RUST_CHANGE.to_owned() + " (the operation no longer carries the entry)"),
                    old_client: Verdict::ok(if request {
                        "old clients still send it if set; SOAP lets the new service ignore it"
                    } else {
                        "the new service no longer sends it: the entry's field stays empty"
                    }),
                    new_client: Verdict::ok(if request {
                        "new clients no longer send it; whether an old service needs it, the WSDL does not say"
                    } else {
                        "new decoders skip it when an old service sends it"
                    }),
                    ..change(
                        ChangeKind::Removed,
                        Item::Header,
                        path(&[port, &n.name, &format!("{which} header {local}")]),
                    )
                });
            }
        }
        // Faults.
        let old_faults: Vec<&str> = o.faults.iter().map(|f| f.name.as_str()).collect();
        let new_faults: Vec<&str> = n.faults.iter().map(|f| f.name.as_str()).collect();
        let pairs = pair_by_key(&old_faults, &new_faults);
        let fault_enum = |s: &crate::emit::OperationSurface| s.fault.as_ref().map(|(e, _)| e.clone());
        for (fi, p) in pairs.iter().enumerate() {
            let f = &o.faults[fi];
            match p {
                None => out.push(Change {
                    rust: fault_enum(os).map(|e| format!("{e}::{}", os.fault.as_ref().map_or("", |(_, v)| &v[fi]))),
                    api: Verdict::breaks(match &os.fault {
                        Some((e, v)) if n.faults.is_empty() => {
                            format!("`{e}` is gone (its variant `{}` with it)", v[fi])
                        }
                        Some((e, v)) => format!("the variant `{e}::{}` is gone", v[fi]),
                        None => "a fault variant is gone".to_owned(),
                    }),
                    old_client: Verdict::ok("the new service no longer sends it"),
                    new_client: Verdict::ok(format!(
                        "an old service may still send it: a `Fault` that `from_fault` does not decode (detail `{}`)",
                        f.element.local
                    )),
                    ..change(ChangeKind::FaultRemoved, Item::Fault, path(&[port, &n.name, &f.name]))
                }),
                Some(fj) => {
                    let nf = &n.faults[*fj];
                    if self.ns.old_key(&f.element) != new_key(&nf.element) || !self.same_type(f.ty, nf.ty) {
                        out.push(Change {
                            old: Some(f.element.local.clone()),
                            new: Some(nf.element.local.clone()),
                            api: if fault_enum(os) == fault_enum(ns_)
                                && self.rust_of(Ver::Old, f.ty) == self.rust_of(Ver::New, nf.ty)
                            {
                                Verdict::ok(NO_RUST_CHANGE)
                            } else {
                                Verdict::breaks("the fault variant's value type changes")
                            },
                            old_client: Verdict::breaks("old clients decode the fault's detail as the old element"),
                            new_client: Verdict::breaks("new clients decode the fault's detail as the new element"),
                            ..change(ChangeKind::TypeChanged, Item::Fault, path(&[port, &n.name, &nf.name]))
                        });
                    }
                }
            }
        }
        let matched: BTreeSet<usize> = pairs.iter().flatten().copied().collect();
        for (fj, f) in n.faults.iter().enumerate().filter(|(fj, _)| !matched.contains(fj)) {
            let (e, v) = ns_.fault.clone().unwrap_or_default();
            out.push(Change {
                rust: Some(format!("{e}::{}", v.get(fj).cloned().unwrap_or_default())),
                api: Verdict::ok(if o.faults.is_empty() {
                    format!("a new enum `{e}`")
                } else {
                    format!("a new variant `{e}::{}`: `match`es with a `_` arm still compile", v.get(fj).cloned().unwrap_or_default())
                }),
                old_client: Verdict::ok(format!(
                    "the new service may send it: old clients get a `Fault` whose detail `{}` their `from_fault` does not decode",
                    f.element.local
                )),
                new_client: Verdict::ok("an old service does not send it"),
                ..change(ChangeKind::FaultAdded, Item::Fault, path(&[port, &n.name, &f.name]))
            });
        }
    }

    fn same_operation_shape(&self, o: &Operation, n: &Operation) -> bool {
        let resp = match (&o.response, &n.response) {
            (Some(a), Some(b)) => self.same_shape(a.ty, b.ty, 3),
            (None, None) => true,
            _ => false,
        };
        resp && self.same_shape(o.request.ty, n.request.ty, 3)
    }

    // -----------------------------------------------------------------------------------------
    // types
    // -----------------------------------------------------------------------------------------

    fn all_types(&mut self) {
        let removed: Vec<TypeId> =
            (0..self.old.model.types.len()).map(TypeId).filter(|id| self.types.old_to_new[id.0].is_none()).collect();
        let added: Vec<TypeId> =
            (0..self.new.model.types.len()).map(TypeId).filter(|id| self.types.new_to_old[id.0].is_none()).collect();
        for &id in &removed {
            let t = &self.old.model.types[id];
            let rust = self.old.surface.types[id].clone();
            let twin = added.iter().find(|&&a| self.same_shape(id, a, 3));
            let codec = matches!(t.kind, TypeKind::Array { .. } | TypeKind::Dictionary { .. });
            let c = Change {
                rust: Some(rust.clone()),
                api: if codec {
                    Verdict::ok(format!("`{rust}` is a codec: fields hold the `Vec` or `Dictionary` itself"))
                } else {
                    Verdict::breaks(format!("`{rust}` is gone"))
                },
                old_client: Verdict::ok("the elements that used it are reported where they change"),
                new_client: Verdict::ok("the elements that used it are reported where they change"),
                hint: twin
                    .map(|&a| format!("same shape as the new type `{}`: renamed?", self.new.model.types[a].name.local)),
                ..change(ChangeKind::Removed, Item::Type, path(&[&t.name.local]))
            };
            self.added_removed.push((format!("{}\u{0}{}\u{0}0", t.name.local, t.name.ns), c));
        }
        for &id in &added {
            let t = &self.new.model.types[id];
            let rust = self.new.surface.types[id].clone();
            let twin = removed.iter().find(|&&r| self.same_shape(r, id, 3));
            let c = Change {
                rust: Some(rust.clone()),
                api: Verdict::ok(format!("a new type `{rust}`")),
                old_client: Verdict::ok("the elements that use it are reported where they change"),
                new_client: Verdict::ok("the elements that use it are reported where they change"),
                hint: twin.map(|&r| {
                    format!("same shape as the removed type `{}`: renamed?", self.old.model.types[r].name.local)
                }),
                ..change(ChangeKind::Added, Item::Type, path(&[&t.name.local]))
            };
            self.added_removed.push((format!("{}\u{0}{}\u{0}1", t.name.local, t.name.ns), c));
        }
        for (i, p) in self.types.old_to_new.clone().into_iter().enumerate() {
            if let Some(j) = p {
                let mut out = Vec::new();
                self.one_type(TypeId(i), j, &mut out);
                if !out.is_empty() {
                    let name = &self.new.model.types[j].name;
                    self.inside.insert((name.local.clone(), name.ns.clone(), j.0), out);
                }
            }
        }
    }

    fn one_type(&self, oid: TypeId, nid: TypeId, out: &mut Vec<Change>) {
        let (o, n) = (&self.old.model.types[oid], &self.new.model.types[nid]);
        let (orust, nrust) = (&self.old.surface.types[oid], &self.new.surface.types[nid]);
        let (om, nm) = (&self.old.surface.members[oid], &self.new.surface.members[nid]);
        let u = self.old.usage[oid.0].or(self.new.usage[nid.0]);
        let tpath = vec![n.name.local.clone()];
        if orust != nrust {
            out.push(rust_renamed(Item::Type, tpath.clone(), orust, nrust));
        }
        if o.doc != n.doc {
            out.push(doc_change(Item::Type, tpath.clone(), Some(nrust.clone())));
        }
        match (&o.kind, &n.kind) {
            (
                TypeKind::Struct { fields: of, attributes: oa, text: ot, any_attribute: oany },
                TypeKind::Struct { fields: nf, attributes: na, text: nt, any_attribute: nany },
            ) => {
                self.fields(&tpath, nrust, u, of, nf, om, nm, out);
                self.attributes(&tpath, nrust, u, oa, na, om, nm, out);
                match (ot, nt) {
                    (Some(a), Some(b)) if !self.same_type(*a, *b) => {
                        let slot =
                            |ty| Slot { ty, always: true, required: true, occurs: Occurs::Required, attribute: None };
                        let (old_client, new_client) = self.wire(u, "text", Some(slot(*a)), Some(slot(*b)));
                        let (ov, nv) = (om.text.as_ref().map(|m| m.ty.clone()), nm.text.as_ref().map(|m| m.ty.clone()));
                        out.push(Change {
                            rust: nm.text.as_ref().map(|m| format!("{nrust}::{}", m.name)),
                            old: Some(self.describe(Ver::Old, *a, ov.as_ref())),
                            new: Some(self.describe(Ver::New, *b, nv.as_ref())),
                            api: api_member_type(&ov.unwrap_or_default(), &nv.unwrap_or_default()),
                            old_client,
                            new_client,
                            ..change(ChangeKind::TypeChanged, Item::Text, tpath.clone())
                        });
                    }
                    (Some(_), Some(_)) | (None, None) => {}
                    _ => out.push(self.kind_change(oid, nid, tpath.clone(), nrust)),
                }
                if oany != nany {
                    let member = nm.other_attributes.clone().or(om.other_attributes.clone()).unwrap_or_default();
                    out.push(Change {
                        rust: Some(format!("{nrust}::{member}")),
                        old: Some(if *oany { "xs:anyAttribute" } else { "no xs:anyAttribute" }.to_owned()),
                        new: Some(if *nany { "xs:anyAttribute" } else { "no xs:anyAttribute" }.to_owned()),
                        api: if *nany {
                            Verdict::ok(format!("a new field `{nrust}::{member}`: struct literals with `..Default::default()` still compile"))
                        } else {
                            Verdict::breaks(format!("the field `{nrust}::{member}` is gone"))
                        },
                        old_client: Verdict::ok("decoders skip attributes they do not know"),
                        new_client: Verdict::ok("decoders skip attributes they do not know"),
                        ..change(if *nany { ChangeKind::Added } else { ChangeKind::Removed }, Item::Attribute, {
                            let mut p = tpath.clone();
                            p.push("xs:anyAttribute".into());
                            p
                        })
                    });
                }
            }
            (TypeKind::SequenceAlternative { fields: of }, TypeKind::SequenceAlternative { fields: nf }) => {
                self.fields(&tpath, nrust, u, of, nf, om, nm, out);
            }
            (TypeKind::Choice { variants: ov, .. }, TypeKind::Choice { variants: nv, .. }) => {
                self.alternatives(&tpath, nrust, u, ov, nv, om, nm, None, out);
            }
            (
                TypeKind::WithDerived { variants: ov, base_abstract: oab, .. },
                TypeKind::WithDerived { variants: nv, base_abstract: nab, .. },
            ) => {
                self.alternatives(&tpath, nrust, u, ov, nv, om, nm, Some(*oab || *nab), out);
            }
            (TypeKind::Enum { values: ov, .. }, TypeKind::Enum { values: nv, .. }) => {
                self.enum_values(&tpath, nrust, u, ov, nv, om, nm, out);
            }
            (TypeKind::FlagList { item: a }, TypeKind::FlagList { item: b })
            | (TypeKind::List { item: a }, TypeKind::List { item: b }) => {
                if !self.same_type(*a, *b) {
                    let slot =
                        |ty| Slot { ty, always: true, required: true, occurs: Occurs::Required, attribute: None };
                    let (old_client, new_client) = self.wire(u, "item", Some(slot(*a)), Some(slot(*b)));
                    out.push(Change {
                        old: Some(self.describe(Ver::Old, *a, None)),
                        new: Some(self.describe(Ver::New, *b, None)),
                        api: if self.rust_of(Ver::Old, *a) == self.rust_of(Ver::New, *b) {
                            Verdict::ok(NO_RUST_CHANGE)
                        } else {
                            Verdict::breaks(format!("the item type of `{nrust}` changes"))
                        },
                        old_client,
                        new_client,
                        ..change(ChangeKind::TypeChanged, Item::Type, tpath.clone())
                    });
                }
            }
            (TypeKind::Array { item: a }, TypeKind::Array { item: b }) => {
                let (fa, fb) = (std::slice::from_ref(a), std::slice::from_ref(b));
                self.fields(&tpath, nrust, u, fa, fb, &TypeMembers::default(), &TypeMembers::default(), out);
            }
            (
                TypeKind::Dictionary { entry: ea, key: ka, value: va },
                TypeKind::Dictionary { entry: eb, key: kb, value: vb },
            ) => {
                if self.ns.old_key(ea) != new_key(eb) {
                    out.push(self.kind_change(oid, nid, tpath.clone(), nrust));
                } else {
                    let (fa, fb) = ([ka.clone(), va.clone()], [kb.clone(), vb.clone()]);
                    self.fields(&tpath, nrust, u, &fa, &fb, &TypeMembers::default(), &TypeMembers::default(), out);
                }
            }
            _ => out.push(self.kind_change(oid, nid, tpath.clone(), nrust)),
        }
    }

    fn kind_change(&self, oid: TypeId, nid: TypeId, tpath: Vec<String>, nrust: &str) -> Change {
        Change {
            rust: Some(nrust.to_owned()),
            old: Some(kind_word(&self.old.model.types[oid].kind).to_owned()),
            new: Some(kind_word(&self.new.model.types[nid].kind).to_owned()),
            api: Verdict::breaks(format!("`{nrust}` is another kind of Rust type")),
            old_client: Verdict::breaks("its content is another kind of content"),
            new_client: Verdict::breaks("its content is another kind of content"),
            ..change(ChangeKind::TypeChanged, Item::Type, tpath)
        }
    }

    /// The element fields of a struct, a sequence alternative, an array item or a dictionary
    /// entry's key and value.
    #[allow(clippy::too_many_arguments)]
    fn fields(
        &self,
        tpath: &[String],
        nrust: &str,
        u: Usage,
        of: &[Field],
        nf: &[Field],
        om: &TypeMembers,
        nm: &TypeMembers,
        out: &mut Vec<Change>,
    ) {
        let old_keys: Vec<_> = of.iter().map(|f| self.ns.old_key(&f.name)).collect();
        let new_keys: Vec<_> = nf.iter().map(|f| new_key(&f.name)).collect();
        let pairs = pair_by_key(&old_keys, &new_keys);
        let matched: BTreeSet<usize> = pairs.iter().flatten().copied().collect();
        let fpath = |name: &str| {
            let mut p = tpath.to_vec();
            p.push(name.to_owned());
            p
        };
        let rust_member = |m: &TypeMembers, i: usize| m.fields.get(i).cloned();
        let slot = |f: &Field| Slot {
            ty: f.ty,
            always: always_written(f.occurs),
            required: always_written(f.occurs),
            occurs: f.occurs,
            attribute: None,
        };
        let added: Vec<usize> = (0..nf.len()).filter(|j| !matched.contains(j)).collect();
        let removed: Vec<usize> = (0..of.len()).filter(|i| pairs[*i].is_none()).collect();
        let takes_any = |fields: &[Field]| fields.iter().any(|f| f.ty == TypeRef::Builtin(Builtin::AnyElement));
        let open = [takes_any(of), takes_any(nf)];
        let twin_of_removed = |i: usize| {
            added
                .iter()
                .copied()
                .find(|&j| j == i && self.same_type(of[i].ty, nf[j].ty) && of[i].occurs == nf[j].occurs)
        };
        for &i in &removed {
            let f = &of[i];
            let member = rust_member(om, i);
            let (old_client, new_client) = self.wire_open(u, &f.name.local, Some(slot(f)), None, open);
            out.push(Change {
                rust: member.as_ref().map(|m| format!("{nrust}::{}", m.name)),
                old: Some(self.describe(Ver::Old, f.ty, member.as_ref().map(|m| &m.ty))),
                api: match &member {
                    Some(m) => Verdict::breaks(format!("the field `{nrust}::{}` is gone", m.name)),
                    None => Verdict::breaks(format!("the content of `{nrust}` changes")),
                },
                old_client,
                new_client,
                hint: twin_of_removed(i)
                    .map(|j| format!("same position and type as the new `{}`: renamed?", nf[j].name.local)),
                ..change(ChangeKind::Removed, Item::Field, fpath(&f.name.local))
            });
        }
        for &j in &added {
            let f = &nf[j];
            let member = rust_member(nm, j);
            let (old_client, new_client) = self.wire_open(u, &f.name.local, None, Some(slot(f)), open);
            let twin =
                removed.iter().copied().find(|&i| i == j && self.same_type(of[i].ty, f.ty) && of[i].occurs == f.occurs);
            out.push(Change {
                rust: member.as_ref().map(|m| format!("{nrust}::{}", m.name)),
                new: Some(self.describe(Ver::New, f.ty, member.as_ref().map(|m| &m.ty))),
                api: match &member {
                    Some(m) => Verdict::ok(format!(
                        "a new field `{nrust}::{}: {}`: struct literals with `..Default::default()` still compile (a literal naming every field, or a pattern without `..`, does not)",
                        m.name, m.ty
                    )),
                    None => Verdict::ok(format!("the content of `{nrust}` grows; its Rust type does not change")),
                },
                old_client,
                new_client,
                hint: twin.map(|i| format!("same position and type as the removed `{}`: renamed?", of[i].name.local)),
                ..change(ChangeKind::Added, Item::Field, fpath(&f.name.local))
            });
        }
        for (i, p) in pairs.iter().enumerate() {
            let Some(j) = *p else { continue };
            let (a, b) = (&of[i], &nf[j]);
            let (ma, mb) = (rust_member(om, i), rust_member(nm, j));
            let here = fpath(&b.name.local);
            let rust = mb.as_ref().map(|m| format!("{nrust}::{}", m.name));
            if let (Some(x), Some(y)) = (&ma, &mb) {
                if x.name != y.name {
                    out.push(rust_renamed(
                        Item::Field,
                        here.clone(),
                        &format!("{nrust}::{}", x.name),
                        &format!("{nrust}::{}", y.name),
                    ));
                }
            }
            let api = || match (&ma, &mb) {
                (Some(x), Some(y)) => api_member_type(&x.ty, &y.ty),
                _ => Verdict::ok(NO_RUST_CHANGE),
            };
            if !self.same_type(a.ty, b.ty) {
                let (old_client, new_client) = self.wire(u, &b.name.local, Some(slot(a)), Some(slot(b)));
                out.push(Change {
                    rust: rust.clone(),
                    old: Some(self.describe(Ver::Old, a.ty, ma.as_ref().map(|m| &m.ty))),
                    new: Some(self.describe(Ver::New, b.ty, mb.as_ref().map(|m| &m.ty))),
                    api: api(),
                    old_client,
                    new_client,
                    ..change(ChangeKind::TypeChanged, Item::Field, here.clone())
                });
            } else if a.boxed != b.boxed {
                out.push(Change {
                    rust: rust.clone(),
                    old: ma.as_ref().map(|m| m.ty.clone()),
                    new: mb.as_ref().map(|m| m.ty.clone()),
                    api: api(),
                    old_client: Verdict::ok(NO_WIRE_CHANGE.to_owned() + " (a `Box` breaks a cycle of types)"),
                    new_client: Verdict::ok(NO_WIRE_CHANGE),
                    ..change(ChangeKind::TypeChanged, Item::Field, here.clone())
                });
            }
            if a.occurs != b.occurs {
                let (old_client, new_client) = self.wire(u, &b.name.local, Some(slot(a)), Some(slot(b)));
                out.push(Change {
                    rust: rust.clone(),
                    old: Some(describe_occurs(a.occurs).to_owned()),
                    new: Some(describe_occurs(b.occurs).to_owned()),
                    api: api(),
                    old_client,
                    new_client,
                    ..change(ChangeKind::OccurrenceChanged, Item::Field, here.clone())
                });
            }
            if a.constraint != b.constraint {
                let describe = |c: &Option<ValueConstraint>| match c {
                    None => "none".to_owned(),
                    Some(ValueConstraint::Default(v)) => format!("default `{v}`"),
                    Some(ValueConstraint::Fixed(v)) => format!("fixed `{v}`"),
                };
                let why = "an empty element means the schema's default or fixed value to a peer that applies it (generated decoders do not): the two versions read it differently";
                let (old_client, new_client) = self.wire_if(u, why);
                out.push(Change {
                    rust: rust.clone(),
                    old: Some(describe(&a.constraint)),
                    new: Some(describe(&b.constraint)),
                    api: Verdict::ok(NO_RUST_CHANGE),
                    old_client,
                    new_client,
                    ..change(ChangeKind::DefaultChanged, Item::Field, here.clone())
                });
            }
            if a.doc != b.doc {
                out.push(doc_change(Item::Field, here.clone(), rust.clone()));
            }
        }
        // Order: the matched fields in the new order, by their old positions.
        let order: Vec<usize> = {
            let mut by_new: Vec<(usize, usize)> =
                pairs.iter().enumerate().filter_map(|(i, p)| p.map(|j| (j, i))).collect();
            by_new.sort();
            by_new.into_iter().map(|(_, i)| i).collect()
        };
        if order.windows(2).any(|w| w[0] > w[1]) {
            let names = |fields: &[Field], idx: &mut dyn Iterator<Item = usize>| {
                idx.map(|i| fields[i].name.local.clone()).collect::<Vec<_>>().join(", ")
            };
            let mut old_idx = (0..of.len()).filter(|i| pairs[*i].is_some());
            let mut new_idx = (0..nf.len()).filter(|j| matched.contains(j));
            let mut parts_old = Vec::new();
            let mut parts_new = Vec::new();
            if u.sent {
                parts_old.push((true, "old clients send the elements in the old order, which a validating service refuses (and WCF leaves out of order members unread)".to_owned()));
                parts_new.push((
                    true,
                    "new clients send the elements in the new order, which an old validating service refuses"
                        .to_owned(),
                ));
            }
            if u.received {
                parts_old.push((false, "generated decoders read the elements of a sequence in any order".to_owned()));
                parts_new.push((false, "generated decoders read the elements of a sequence in any order".to_owned()));
            }
            out.push(Change {
                rust: Some(nrust.to_owned()),
                old: Some(names(of, &mut old_idx)),
                new: Some(names(nf, &mut new_idx)),
                api: Verdict::ok("struct literals name their fields: the order of fields does not matter to them (a client method's parameter order is reported with its signature)"),
                old_client: combine(parts_old, NO_WIRE_CHANGE),
                new_client: combine(parts_new, NO_WIRE_CHANGE),
                ..change(ChangeKind::OrderChanged, Item::Type, tpath.to_vec())
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn attributes(
        &self,
        tpath: &[String],
        nrust: &str,
        u: Usage,
        oa: &[Attribute],
        na: &[Attribute],
        om: &TypeMembers,
        nm: &TypeMembers,
        out: &mut Vec<Change>,
    ) {
        let old_keys: Vec<_> = oa.iter().map(|a| self.ns.old_key(&a.name)).collect();
        let new_keys: Vec<_> = na.iter().map(|a| new_key(&a.name)).collect();
        let pairs = pair_by_key(&old_keys, &new_keys);
        let matched: BTreeSet<usize> = pairs.iter().flatten().copied().collect();
        let apath = |name: &str| {
            let mut p = tpath.to_vec();
            p.push(format!("@{name}"));
            p
        };
        let slot = |a: &Attribute| Slot {
            ty: a.ty,
            always: !matches!(a.usage, AttributeUsage::Optional),
            required: matches!(a.usage, AttributeUsage::Required),
            occurs: if matches!(a.usage, AttributeUsage::Required) { Occurs::Required } else { Occurs::Optional },
            attribute: Some("attribute"),
        };
        for (i, p) in pairs.iter().enumerate() {
            let a = &oa[i];
            let ma = om.attributes.get(i);
            let Some(j) = *p else {
                let (old_client, new_client) = self.wire(u, &a.name.local, Some(slot(a)), None);
                out.push(Change {
                    rust: ma.map(|m| format!("{nrust}::{}", m.name)),
                    old: Some(describe_usage(&a.usage)),
                    api: Verdict::breaks(format!(
                        "the field `{nrust}::{}` is gone",
                        ma.map_or("", |m| m.name.as_str())
                    )),
                    old_client,
                    new_client,
                    ..change(ChangeKind::Removed, Item::Attribute, apath(&a.name.local))
                });
                continue;
            };
            let b = &na[j];
            let mb = nm.attributes.get(j);
            let here = apath(&b.name.local);
            let rust = mb.map(|m| format!("{nrust}::{}", m.name));
            if let (Some(x), Some(y)) = (ma, mb) {
                if x.name != y.name {
                    out.push(rust_renamed(
                        Item::Attribute,
                        here.clone(),
                        &format!("{nrust}::{}", x.name),
                        &format!("{nrust}::{}", y.name),
                    ));
                }
            }
            let api = || match (ma, mb) {
                (Some(x), Some(y)) => api_member_type(&x.ty, &y.ty),
                _ => Verdict::ok(NO_RUST_CHANGE),
            };
            if !self.same_type(a.ty, b.ty) {
                let (old_client, new_client) = self.wire(u, &b.name.local, Some(slot(a)), Some(slot(b)));
                out.push(Change {
                    rust: rust.clone(),
                    old: Some(self.describe(Ver::Old, a.ty, ma.map(|m| &m.ty))),
                    new: Some(self.describe(Ver::New, b.ty, mb.map(|m| &m.ty))),
                    api: api(),
                    old_client,
                    new_client,
                    ..change(ChangeKind::TypeChanged, Item::Attribute, here.clone())
                });
            }
            let required = |x: &AttributeUsage| matches!(x, AttributeUsage::Required);
            if required(&a.usage) != required(&b.usage) {
                let (old_client, new_client) = self.wire(u, &b.name.local, Some(slot(a)), Some(slot(b)));
                out.push(Change {
                    rust: rust.clone(),
                    old: Some(describe_usage(&a.usage)),
                    new: Some(describe_usage(&b.usage)),
                    api: api(),
                    old_client,
                    new_client,
                    ..change(ChangeKind::OccurrenceChanged, Item::Attribute, here.clone())
                });
            } else if a.usage != b.usage {
                // A default or fixed value appeared, changed or went away.
                let mut old_parts = Vec::new();
                let mut new_parts = Vec::new();
                if u.received {
                    let (x, y) = (value_of(&a.usage), value_of(&b.usage));
                    let local = &b.name.local;
                    if x == y {
                        old_parts.push((false, format!("an absent `{local}` reads as {x} to both versions")));
                        new_parts.push((false, format!("an absent `{local}` reads as {x} to both versions")));
                    } else {
                        old_parts.push((
                            true,
                            format!("old decoders read an absent `{local}` as {x}, the new service means {y}"),
                        ));
                        new_parts.push((
                            true,
                            format!("new decoders read an absent `{local}` as {y}, an old service means {x}"),
                        ));
                    }
                }
                if u.sent {
                    // A fixed value is the only one a service accepts; encoders write whatever the field holds.
                    let fixed = |u: &AttributeUsage| match u {
                        AttributeUsage::Fixed(v) => Some(v.clone()),
                        _ => None,
                    };
                    let (fa, fb) = (fixed(&a.usage), fixed(&b.usage));
                    old_parts.push(match &fb {
                        Some(v) if fa != fb => (
                            true,
                            format!(
                                "old clients may send another value than `{v}`, the only one the new service accepts"
                            ),
                        ),
                        _ => (false, "generated encoders always write the value the field holds".to_owned()),
                    });
                    new_parts.push(match &fa {
                        Some(v) if fa != fb => (
                            true,
                            format!(
                                "new clients may send another value than `{v}`, the only one an old service accepts"
                            ),
                        ),
                        _ => (false, "generated encoders always write the value the field holds".to_owned()),
                    });
                }
                out.push(Change {
                    rust: rust.clone(),
                    old: Some(describe_usage(&a.usage)),
                    new: Some(describe_usage(&b.usage)),
                    api: api(),
                    old_client: combine(old_parts, NO_WIRE_CHANGE),
                    new_client: combine(new_parts, NO_WIRE_CHANGE),
                    ..change(ChangeKind::DefaultChanged, Item::Attribute, here.clone())
                });
            }
        }
        for (j, b) in na.iter().enumerate().filter(|(j, _)| !matched.contains(j)) {
            let mb = nm.attributes.get(j);
            let (old_client, new_client) = self.wire(u, &b.name.local, None, Some(slot(b)));
            out.push(Change {
                rust: mb.map(|m| format!("{nrust}::{}", m.name)),
                new: Some(describe_usage(&b.usage)),
                api: Verdict::ok(format!(
                    "a new field `{nrust}::{}`: struct literals with `..Default::default()` still compile",
                    mb.map_or("", |m| m.name.as_str())
                )),
                old_client,
                new_client,
                ..change(ChangeKind::Added, Item::Attribute, apath(&b.name.local))
            });
        }
    }

    /// The alternatives of a choice, or (with `abstract_base`) the variants of a polymorphic type.
    #[allow(clippy::too_many_arguments)]
    fn alternatives(
        &self,
        tpath: &[String],
        nrust: &str,
        u: Usage,
        ov: &[Field],
        nv: &[Field],
        om: &TypeMembers,
        nm: &TypeMembers,
        abstract_base: Option<bool>,
        out: &mut Vec<Change>,
    ) {
        let old_keys: Vec<_> = ov.iter().map(|f| self.ns.old_key(&f.name)).collect();
        let new_keys: Vec<_> = nv.iter().map(|f| new_key(&f.name)).collect();
        let pairs = pair_by_key(&old_keys, &new_keys);
        let matched: BTreeSet<usize> = pairs.iter().flatten().copied().collect();
        let vpath = |name: &str| {
            let mut p = tpath.to_vec();
            p.push(name.to_owned());
            p
        };
        let what = if abstract_base.is_some() { "derived type" } else { "alternative" };
        // What a decoder that does not know an alternative makes of it.
        let unknown = match abstract_base {
            None => (
                true,
                format!(
                    "decoders that do not know the {what} fail on a required choice and read an optional one as absent"
                ),
            ),
            Some(true) => (true, format!("decoders that do not know the {what} fail: the base is abstract")),
            Some(false) => {
                (false, format!("decoders that do not know the {what} read it as the base, without its own fields"))
            }
        };
        for (i, p) in pairs.iter().enumerate() {
            let f = &ov[i];
            let variant = om.variants.get(i).cloned().unwrap_or_default();
            match p {
                None => {
                    let mut oc = Vec::new();
                    let mut ncl = Vec::new();
                    if u.sent {
                        oc.push((
                            true,
                            format!("old clients may send `{}`, which the new service does not know", f.name.local),
                        ));
                        ncl.push((false, "new clients cannot send it".to_owned()));
                    }
                    if u.received {
                        oc.push((false, "the new service does not send it".to_owned()));
                        ncl.push((unknown.0, format!("an old service may send it: new {}", unknown.1)));
                    }
                    out.push(Change {
                        rust: Some(format!("{nrust}::{variant}")),
                        api: Verdict::breaks(format!("the variant `{nrust}::{variant}` is gone")),
                        old_client: combine(oc, NO_WIRE_CHANGE),
                        new_client: combine(ncl, NO_WIRE_CHANGE),
                        ..change(ChangeKind::Removed, Item::Variant, vpath(&f.name.local))
                    });
                }
                Some(j) => {
                    let g = &nv[*j];
                    let nvariant = nm.variants.get(*j).cloned().unwrap_or_default();
                    if variant != nvariant {
                        out.push(rust_renamed(
                            Item::Variant,
                            vpath(&g.name.local),
                            &format!("{nrust}::{variant}"),
                            &format!("{nrust}::{nvariant}"),
                        ));
                    }
                    if abstract_base.is_none() && (!self.same_type(f.ty, g.ty) || f.occurs != g.occurs) {
                        let slot = |f: &Field| Slot {
                            ty: f.ty,
                            always: true,
                            required: true,
                            occurs: f.occurs,
                            attribute: None,
                        };
                        let (old_client, new_client) = self.wire(u, &g.name.local, Some(slot(f)), Some(slot(g)));
                        let same_type = self.same_type(f.ty, g.ty);
                        out.push(Change {
                            rust: Some(format!("{nrust}::{nvariant}")),
                            old: Some(if same_type {
                                describe_occurs(f.occurs).to_owned()
                            } else {
                                self.describe(Ver::Old, f.ty, None)
                            }),
                            new: Some(if same_type {
                                describe_occurs(g.occurs).to_owned()
                            } else {
                                self.describe(Ver::New, g.ty, None)
                            }),
                            api: if self.rust_of(Ver::Old, f.ty) == self.rust_of(Ver::New, g.ty) && f.occurs == g.occurs
                            {
                                Verdict::ok(NO_RUST_CHANGE)
                            } else {
                                Verdict::breaks(format!("the value of `{nrust}::{nvariant}` has another type"))
                            },
                            old_client,
                            new_client,
                            ..change(
                                if same_type { ChangeKind::OccurrenceChanged } else { ChangeKind::TypeChanged },
                                Item::Variant,
                                vpath(&g.name.local),
                            )
                        });
                    }
                }
            }
        }
        for (j, g) in nv.iter().enumerate().filter(|(j, _)| !matched.contains(j)) {
            let variant = nm.variants.get(j).cloned().unwrap_or_default();
            let mut oc = Vec::new();
            let mut ncl = Vec::new();
            if u.sent {
                oc.push((false, "old clients never send it".to_owned()));
                ncl.push((false, "new clients send it only when the program chooses it".to_owned()));
            }
            if u.received {
                oc.push((unknown.0, format!("the new service may send it: old {}", unknown.1)));
                ncl.push((false, "an old service does not send it".to_owned()));
            }
            out.push(Change {
                rust: Some(format!("{nrust}::{variant}")),
                api: Verdict::ok(format!("a new variant `{nrust}::{variant}`: `match`es with a `_` arm still compile")),
                old_client: combine(oc, NO_WIRE_CHANGE),
                new_client: combine(ncl, NO_WIRE_CHANGE),
                ..change(ChangeKind::Added, Item::Variant, vpath(&g.name.local))
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn enum_values(
        &self,
        tpath: &[String],
        nrust: &str,
        u: Usage,
        ov: &[String],
        nv: &[String],
        om: &TypeMembers,
        nm: &TypeMembers,
        out: &mut Vec<Change>,
    ) {
        let pairs = pair_by_key(ov, nv);
        let matched: BTreeSet<usize> = pairs.iter().flatten().copied().collect();
        let vpath = |v: &str| {
            let mut p = tpath.to_vec();
            p.push(v.to_owned());
            p
        };
        let other = nm.other_variant.clone().unwrap_or_else(|| "Other".to_owned());
        let old_other = om.other_variant.clone().unwrap_or_else(|| "Other".to_owned());
        let added: Vec<usize> = (0..nv.len()).filter(|j| !matched.contains(j)).collect();
        let removed: Vec<usize> = (0..ov.len()).filter(|i| pairs[*i].is_none()).collect();
        for &i in &removed {
            let v = &ov[i];
            let variant = om.variants.get(i).cloned().unwrap_or_default();
            let mut oc = Vec::new();
            let mut ncl = Vec::new();
            if u.sent {
                oc.push((true, format!("old clients may send `{v}`, which the new service does not accept")));
                ncl.push((false, format!("new clients send it only as `{other}(\"{v}\")`")));
            }
            if u.received {
                oc.push((false, "the new service does not send it".to_owned()));
                ncl.push((
                    false,
                    format!("an old service may send it: new decoders read it as `{nrust}::{other}(\"{v}\")`"),
                ));
            }
            out.push(Change {
                rust: Some(format!("{nrust}::{variant}")),
                old: Some(v.clone()),
                api: Verdict::breaks(format!("the variant `{nrust}::{variant}` is gone")),
                old_client: combine(oc, NO_WIRE_CHANGE),
                new_client: combine(ncl, NO_WIRE_CHANGE),
                hint: added
                    .iter()
                    .find(|&&j| j == i)
                    .map(|&j| format!("at the position of the new value `{}`: renamed?", nv[j])),
                ..change(ChangeKind::Removed, Item::EnumValue, vpath(v))
            });
        }
        for &j in &added {
            let v = &nv[j];
            let variant = nm.variants.get(j).cloned().unwrap_or_default();
            let mut oc = Vec::new();
            let mut ncl = Vec::new();
            if u.sent {
                oc.push((false, "old clients never send it".to_owned()));
                ncl.push((
                    false,
                    "new clients send it only when the program uses it; an old service does not know it".to_owned(),
                ));
            }
            if u.received {
                oc.push((
                    false,
                    format!("the new service may send it: old decoders read it as `{nrust}::{old_other}(\"{v}\")`"),
                ));
                ncl.push((false, "an old service does not send it".to_owned()));
            }
            out.push(Change {
                rust: Some(format!("{nrust}::{variant}")),
                new: Some(v.clone()),
                api: Verdict::ok(format!(
                    "a new variant `{nrust}::{variant}`: `match`es with a `_` arm still compile; a value that decoded as `{old_other}(\"{v}\")` now decodes as `{variant}`"
                )),
                old_client: combine(oc, NO_WIRE_CHANGE),
                new_client: combine(ncl, NO_WIRE_CHANGE),
                hint: removed.iter().find(|&&i| i == j).map(|&i| format!("at the position of the removed value `{}`: renamed?", ov[i])),
                ..change(ChangeKind::Added, Item::EnumValue, vpath(v))
            });
        }
        for (i, p) in pairs.iter().enumerate() {
            let Some(j) = *p else { continue };
            let (a, b) = (om.variants.get(i), nm.variants.get(j));
            if let (Some(a), Some(b)) = (a, b) {
                if a != b {
                    out.push(rust_renamed(
                        Item::EnumValue,
                        vpath(&nv[j]),
                        &format!("{nrust}::{a}"),
                        &format!("{nrust}::{b}"),
                    ));
                }
            }
        }
        if let (Some(a), Some(b)) = (ov.first(), nv.first()) {
            if a != b && matched.contains(&0) && pairs[0].is_some() && nv.contains(a) {
                out.push(Change {
                    rust: Some(nrust.to_owned()),
                    old: Some(a.clone()),
                    new: Some(b.clone()),
                    api: Verdict::ok(format!("compiles as before, but `{nrust}::default()` (the first value) is now `{b}`, also in structs built with `..Default::default()`")),
                    old_client: Verdict::ok(NO_WIRE_CHANGE),
                    new_client: Verdict::ok(NO_WIRE_CHANGE),
                    ..change(ChangeKind::OrderChanged, Item::Type, tpath.to_vec())
                });
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // the wire rules, applied in both directions
    // -----------------------------------------------------------------------------------------

    /// Applies the rules for one element, attribute or header (as each version has it, `None`
    /// where it is missing) to the directions `u` uses: (old client, new client).
    fn wire(&self, u: Usage, name: &str, old: Option<Slot>, new: Option<Slot>) -> (Verdict, Verdict) {
        self.wire_open(u, name, old, new, [false, false])
    }

    /// [`wire`](Self::wire) for a member of a type that, in the old and the new version, may or
    /// may not take any element (`xs:any`).
    fn wire_open(
        &self,
        u: Usage,
        name: &str,
        old: Option<Slot>,
        new: Option<Slot>,
        open: [bool; 2],
    ) -> (Verdict, Verdict) {
        let open_of = |v: Ver| if v == Ver::Old { open[0] } else { open[1] };
        let mut verdicts = Vec::new();
        for client in [Ver::Old, Ver::New] {
            let service = if client == Ver::Old { Ver::New } else { Ver::Old };
            let mut parts = Vec::new();
            if u.sent {
                parts.push(self.rule(
                    Dir { writer: client, reader: service, request: true, open: open_of(service) },
                    name,
                    old,
                    new,
                ));
            }
            if u.received {
                parts.push(self.rule(
                    Dir { writer: service, reader: client, request: false, open: open_of(client) },
                    name,
                    old,
                    new,
                ));
            }
            verdicts.push(combine(parts, NO_WIRE_CHANGE));
        }
        let new_client = verdicts.pop().unwrap_or_else(|| Verdict::ok(NO_WIRE_CHANGE));
        let old_client = verdicts.pop().unwrap_or_else(|| Verdict::ok(NO_WIRE_CHANGE));
        (old_client, new_client)
    }

    /// The same reason breaks (or not) every direction `u` uses.
    fn wire_if(&self, u: Usage, why: &str) -> (Verdict, Verdict) {
        let v = if u.sent || u.received { Verdict::breaks(why) } else { Verdict::ok(NO_WIRE_CHANGE) };
        (v.clone(), v)
    }

    fn rule(&self, d: Dir, name: &str, old: Option<Slot>, new: Option<Slot>) -> (bool, String) {
        let pick = |v: Ver| if v == Ver::Old { old } else { new };
        let (w, r) = (pick(d.writer), pick(d.reader));
        let (writer, reader) = (d.writer_name(), d.reader_name());
        let what = if w.or(r).and_then(|s| s.attribute).is_some() { "attribute" } else { "element" };
        match (w, r) {
            (None, None) => (false, NO_WIRE_CHANGE.to_owned()),
            (None, Some(r)) => {
                if r.required {
                    (
                        true,
                        format!(
                            "{reader} require{} the {what} `{name}`, which {writer} {} not write",
                            s(reader),
                            does(writer)
                        ),
                    )
                } else {
                    (false, format!("{writer} {} not write `{name}`; it is optional to {reader}", does(writer)))
                }
            }
            (Some(_), None) if d.open => (
                false,
                format!("{reader} keep{} the unknown {what} `{name}` in the type's `xs:any` content", s(reader)),
            ),
            (Some(w), None) => {
                if !d.request {
                    (false, format!("{reader} skip the unknown {what} `{name}`"))
                } else if w.always || d.writer == Ver::Old {
                    let when = if w.always { "always" } else { "when set" };
                    (
                        true,
                        format!(
                            "{writer} send `{name}` {when}, which {reader} does not know: a validating service refuses it, a tolerant one drops it"
                        ),
                    )
                } else {
                    (false, format!("{writer} send `{name}` only when set"))
                }
            }
            (Some(w), Some(r)) => {
                if let Some(why) = self.type_conflict((d.writer, w.ty), (d.reader, r.ty)) {
                    return (true, format!("`{name}` from {writer} {why}"));
                }
                let conflict = if w.attribute.is_some() {
                    attribute_conflict_of(w, r)
                } else {
                    occurs_conflict(w.occurs, r.occurs)
                };
                match conflict {
                    Some(why) => (true, format!("`{name}` from {writer} {why} for {reader}")),
                    None => (false, format!("{reader} read{} what {writer} write{}", s(reader), s(writer))),
                }
            }
        }
    }

    /// Why values of `writer`'s type are not read as `reader`'s, if they are not.
    fn type_conflict(&self, writer: (Ver, TypeRef), reader: (Ver, TypeRef)) -> Option<String> {
        if writer.0 == reader.0 && writer.1 == reader.1 {
            return None;
        }
        let (w, r) = (writer.1, reader.1);
        let same = match (writer.0, reader.0) {
            (Ver::Old, Ver::New) => self.same_type(w, r),
            (Ver::New, Ver::Old) => self.same_type(r, w),
            _ => w == r,
        };
        if same {
            return None;
        }
        let kind = |v: Ver, t: TypeRef| match t {
            TypeRef::Named(id) => Some(&self.side(v).model.types[id].kind),
            TypeRef::Builtin(_) => None,
        };
        let simple = |v: Ver, t: TypeRef| match t {
            TypeRef::Builtin(b) => !matches!(b, Builtin::AnyType | Builtin::AnyElement),
            TypeRef::Named(_) => {
                matches!(kind(v, t), Some(TypeKind::Enum { .. } | TypeKind::List { .. } | TypeKind::FlagList { .. }))
            }
        };
        let ok = match (w, r) {
            (TypeRef::Builtin(a), TypeRef::Builtin(b)) => builtin_reads(a, b),
            (_, TypeRef::Builtin(Builtin::String)) => simple(writer.0, w),
            // Generated enumerations read any text (unknown values as `Other`).
            (TypeRef::Builtin(Builtin::String), TypeRef::Named(_)) => {
                matches!(kind(reader.0, r), Some(TypeKind::Enum { .. }))
            }
            (TypeRef::Named(a), TypeRef::Named(b)) => {
                let (o, n) = if writer.0 == Ver::Old { (a, b) } else { (b, a) };
                self.same_shape(o, n, 4)
            }
            _ => false,
        };
        (!ok).then(|| {
            format!(
                "is {}, which {} do not read as {}",
                self.describe(writer.0, w, None),
                if reader.0 == Ver::Old { "readers of the old schema" } else { "readers of the new schema" },
                self.describe(reader.0, r, None)
            )
        })
    }

    // -----------------------------------------------------------------------------------------
    // helpers
    // -----------------------------------------------------------------------------------------

    /// Whether an old type reference and a new one are the same type.
    fn same_type(&self, old: TypeRef, new: TypeRef) -> bool {
        match (old, new) {
            (TypeRef::Builtin(a), TypeRef::Builtin(b)) => a == b,
            (TypeRef::Named(a), TypeRef::Named(b)) => self.types.old_to_new[a.0] == Some(b),
            _ => false,
        }
    }

    /// Whether an old type and a new one hold the same content (names of elements included,
    /// names of types not), looking `depth` levels deep.
    fn same_shape(&self, old: TypeId, new: TypeId, depth: usize) -> bool {
        if self.types.old_to_new[old.0] == Some(new) {
            return true;
        }
        if depth == 0 {
            return true;
        }
        let (o, n) = (&self.old.model.types[old].kind, &self.new.model.types[new].kind);
        let refs = |a: TypeRef, b: TypeRef| match (a, b) {
            (TypeRef::Builtin(x), TypeRef::Builtin(y)) => x == y,
            (TypeRef::Named(x), TypeRef::Named(y)) => self.same_shape(x, y, depth - 1),
            _ => false,
        };
        let fields = |a: &[Field], b: &[Field]| {
            a.len() == b.len()
                && a.iter().zip(b).all(|(x, y)| {
                    self.ns.old_key(&x.name) == new_key(&y.name) && x.occurs == y.occurs && refs(x.ty, y.ty)
                })
        };
        match (o, n) {
            (
                TypeKind::Struct { fields: fa, attributes: aa, text: ta, any_attribute: xa },
                TypeKind::Struct { fields: fb, attributes: ab, text: tb, any_attribute: xb },
            ) => {
                fields(fa, fb)
                    && xa == xb
                    && aa.len() == ab.len()
                    && aa.iter().zip(ab).all(|(x, y)| {
                        self.ns.old_key(&x.name) == new_key(&y.name) && x.usage == y.usage && refs(x.ty, y.ty)
                    })
                    && match (ta, tb) {
                        (Some(x), Some(y)) => refs(*x, *y),
                        (None, None) => true,
                        _ => false,
                    }
            }
            (TypeKind::SequenceAlternative { fields: a }, TypeKind::SequenceAlternative { fields: b })
            | (TypeKind::Choice { variants: a, .. }, TypeKind::Choice { variants: b, .. }) => fields(a, b),
            (TypeKind::WithDerived { variants: a, .. }, TypeKind::WithDerived { variants: b, .. }) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| refs(x.ty, y.ty))
            }
            (TypeKind::Enum { values: a, .. }, TypeKind::Enum { values: b, .. }) => a == b,
            (TypeKind::FlagList { item: a }, TypeKind::FlagList { item: b })
            | (TypeKind::List { item: a }, TypeKind::List { item: b }) => refs(*a, *b),
            (TypeKind::Array { item: a }, TypeKind::Array { item: b }) => {
                fields(std::slice::from_ref(a), std::slice::from_ref(b))
            }
            (TypeKind::Dictionary { key: ka, value: va, .. }, TypeKind::Dictionary { key: kb, value: vb, .. }) => {
                fields(&[ka.clone(), va.clone()], &[kb.clone(), vb.clone()])
            }
            _ => false,
        }
    }

    /// The Rust type of a value of `ty` (without occurrence), for comparing.
    fn rust_of(&self, v: Ver, ty: TypeRef) -> String {
        match ty {
            TypeRef::Builtin(b) => format!("{b:?}"),
            TypeRef::Named(id) => self.side(v).surface.types[id].clone(),
        }
    }

    /// How a type reads in a report: `xs:short`, or the type's local name, with the Rust type
    /// of the member when given.
    fn describe(&self, v: Ver, ty: TypeRef, rust: Option<&String>) -> String {
        let xml = match ty {
            TypeRef::Builtin(b) => xsd_name(b).to_owned(),
            TypeRef::Named(id) => {
                let t = &self.side(v).model.types[id];
                format!("{} ({})", t.name.local, kind_word(&t.kind))
            }
        };
        match rust {
            Some(r) => format!("{xml}, Rust `{r}`"),
            None => xml,
        }
    }
}

fn attribute_conflict_of(w: Slot, r: Slot) -> Option<&'static str> {
    let usage = |s: Slot| {
        if s.required {
            AttributeUsage::Required
        } else if s.always {
            AttributeUsage::Default(String::new())
        } else {
            AttributeUsage::Optional
        }
    };
    attribute_conflict(&usage(w), &usage(r))
}

/// The verb ending for a subject: `s` for one service, nothing for clients and decoders.
fn s(subject: &str) -> &'static str {
    if subject.ends_with("service") { "s" } else { "" }
}

/// `do` or `does` for a subject.
fn does(subject: &str) -> &'static str {
    if subject.ends_with("service") { "does" } else { "do" }
}

fn value_of(u: &AttributeUsage) -> String {
    match u.value() {
        Some(v) => format!("`{v}`"),
        None => "absent".to_owned(),
    }
}

fn version_name(v: SoapVersion) -> &'static str {
    match v {
        SoapVersion::Soap11 => "SOAP 1.1",
        SoapVersion::Soap12 => "SOAP 1.2",
    }
}

fn kind_word(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct { text: Some(_), .. } => "simple content",
        TypeKind::Struct { .. } => "complex type",
        TypeKind::WithDerived { .. } => "polymorphic type",
        TypeKind::SequenceAlternative { .. } => "sequence alternative",
        TypeKind::Choice { .. } => "choice",
        TypeKind::Enum { .. } => "enumeration",
        TypeKind::FlagList { .. } => "flag list",
        TypeKind::List { .. } => "list",
        TypeKind::Array { .. } => "array",
        TypeKind::Dictionary { .. } => "dictionary",
    }
}

/// The API verdict for a member whose Rust type went from `old` to `new`.
fn api_member_type(old: &str, new: &str) -> Verdict {
    if old == new {
        Verdict::ok(NO_RUST_CHANGE)
    } else {
        Verdict::breaks(format!("the field's Rust type changes from `{old}` to `{new}`"))
    }
}

fn rust_renamed(item: Item, path: Vec<String>, old: &str, new: &str) -> Change {
    Change {
        rust: Some(new.to_owned()),
        old: Some(old.to_owned()),
        new: Some(new.to_owned()),
        api: Verdict::breaks(format!(
            "`{old}` is now `{new}` (the XML name did not change: another name now collides with it, and colliding names are numbered in model order)"
        )),
        old_client: Verdict::ok(NO_WIRE_CHANGE),
        new_client: Verdict::ok(NO_WIRE_CHANGE),
        ..change(ChangeKind::RustNameChanged, item, path)
    }
}

fn doc_change(item: Item, path: Vec<String>, rust: Option<String>) -> Change {
    Change {
        rust,
        api: Verdict::ok("only the rustdoc changes"),
        old_client: Verdict::ok(NO_WIRE_CHANGE),
        new_client: Verdict::ok(NO_WIRE_CHANGE),
        ..change(ChangeKind::Documentation, item, path)
    }
}
