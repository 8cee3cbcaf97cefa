//! A plain-text listing of what a WSDL holds and what will be generated from it.

use std::fmt::Write;

use crate::model::{Header, Model, Occurs, TypeKind, TypeRef};
use crate::read::{BindingProtocol, Definitions};

/// Lists services, ports, bindings, operations (with SOAP action and headers) and types.
pub fn inspect(defs: &Definitions, model: &Model) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "target namespace: {}", defs.target_ns);
    let _ = writeln!(out, "services:");
    for s in &defs.services {
        let _ = writeln!(out, "  {}", s.name.local);
        for p in &s.ports {
            let _ = writeln!(
                out,
                "    port {} -> binding {} at {}",
                p.name,
                p.binding.local,
                p.address.as_deref().unwrap_or("(no address)")
            );
        }
    }
    let _ = writeln!(out, "bindings:");
    for b in &defs.bindings {
        let protocol = match b.protocol {
            BindingProtocol::Soap11 => "SOAP 1.1",
            BindingProtocol::Soap12 => "SOAP 1.2",
            BindingProtocol::Http => "HTTP",
            BindingProtocol::Other => "other",
        };
        let _ = writeln!(
            out,
            "  {} ({protocol}, style {}) for port type {}: {} operations",
            b.name.local,
            b.style.as_deref().unwrap_or("document"),
            b.port_type.local,
            b.operations.len()
        );
    }
    for c in &model.clients {
        let addressing = if c.addressing { " (WS-Addressing)" } else { "" };
        let _ = writeln!(
            out,
            "port type {} via {}{addressing}: {} operations",
            c.name.local,
            c.binding.local,
            c.operations.len()
        );
        for op in &c.operations {
            let _ = writeln!(out, "  {}", op.name);
            let _ = writeln!(out, "    action: {}", op.action);
            if op.addressing_action != op.action {
                let _ = writeln!(out, "    addressing action: {}", op.addressing_action);
            }
            if !op.response_action.is_empty() {
                let _ = writeln!(out, "    response action: {}", op.response_action);
            }
            match &op.response {
                Some(response) => {
                    let _ = writeln!(out, "    request: {}  response: {}", op.request.name, response.name);
                }
                None => {
                    let what = if op.one_way { "(one-way)" } else { "response: (empty body)" };
                    let _ = writeln!(out, "    request: {}  {what}", op.request.name);
                }
            }
            let names = |headers: Vec<&Header>| -> String {
                headers.iter().map(|h| h.name.local.as_str()).collect::<Vec<_>>().join(", ")
            };
            let request = op.request_headers.iter().map(|&i| &c.request_headers[i]).collect();
            let response = op.response_headers.iter().map(|&i| &c.response_headers[i]).collect();
            let _ = writeln!(out, "    request headers: {}", names(request));
            let _ = writeln!(out, "    response headers: {}", names(response));
        }
    }
    let _ = writeln!(out, "types ({}):", model.types.len());
    for t in &model.types {
        let kind = match &t.kind {
            TypeKind::Struct { fields, attributes, text, .. } => format!(
                "struct, {} fields, {} attributes{}",
                fields.len(),
                attributes.len(),
                if text.is_some() { ", text content" } else { "" }
            ),
            TypeKind::Choice { variants, wildcard } => format!(
                "choice: {}",
                variants
                    .iter()
                    .map(|v| v.name.local.as_str())
                    .chain(wildcard.as_ref().map(|_| "(any element)"))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ),
            TypeKind::SequenceAlternative { fields } => format!("sequence in a choice, {} fields", fields.len()),
            TypeKind::WithDerived { variants, .. } => {
                format!(
                    "polymorphic: {}",
                    variants.iter().map(|v| v.name.local.as_str()).collect::<Vec<_>>().join(" | ")
                )
            }
            TypeKind::Enum { values, .. } => format!("enum: {}", values.join(" | ")),
            TypeKind::FlagList { .. } => "flag list".to_owned(),
            TypeKind::List { .. } => "list".to_owned(),
            TypeKind::Array { item } => format!(
                "array of {}{}",
                describe(model, item.ty),
                if item.occurs == Occurs::RepeatedNillable { " (nillable items)" } else { "" }
            ),
            TypeKind::Dictionary { key, value, .. } => {
                format!("dictionary {} -> {}", describe(model, key.ty), describe(model, value.ty))
            }
        };
        let _ = writeln!(out, "  {} ({kind})", t.name);
    }
    for note in &model.notes {
        let _ = writeln!(out, "note: {note}");
    }
    out
}

fn describe(model: &Model, ty: TypeRef) -> String {
    match ty {
        TypeRef::Builtin(b) => format!("{b:?}"),
        TypeRef::Named(id) => model.types[id].name.local.clone(),
    }
}
