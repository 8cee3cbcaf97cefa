//! What a binding's policies mean for its client, and the WS-Addressing action of a request.

use crate::read::{Binding, Definitions, PortOperation};
use crate::xml::QName;

/// What `binding`'s policies (its own, those it references, those of ports using it) mean for
/// the client. Returns whether requests carry WS-Addressing 1.0 headers; what the policies ask
/// for that the client must be given (a UsernameToken) or that wsdlgen does not do (the 2004/08
/// addressing submission, message-level security, reliable messaging, MTOM) gets a note.
pub(super) fn binding_uses_addressing(defs: &Definitions, binding: &Binding, notes: &mut Vec<String>) -> bool {
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
pub(super) fn addressing_action(port_type: &QName, op: &PortOperation, soap_action: &str) -> String {
    if let Some(action) = &op.input_action {
        return action.clone();
    }
    if !soap_action.is_empty() {
        return soap_action.to_owned();
    }
    let input = match &op.input_name {
        Some(name) => name.clone(),
        None if op.output.is_some() => format!("{}Request", op.name),
        None => op.name.clone(),
    };
    default_action(port_type, &input)
}

/// The WS-Addressing action of `op`'s response (empty for a one-way operation): its
/// `wsam:Action`, else the default of WS-Addressing 1.0 Metadata (section 4.4.4) with the output
/// name `{operation}Response` unless the output has a name. (Unlike the request's, it never
/// comes from `soapAction`, which names the request only.)
pub(super) fn response_action(port_type: &QName, op: &PortOperation) -> String {
    if op.output.is_none() {
        return String::new();
    }
    if let Some(action) = &op.output_action {
        return action.clone();
    }
    let output = op.output_name.clone().unwrap_or_else(|| format!("{}Response", op.name));
    default_action(port_type, &output)
}

/// `{namespace}{delimiter}{port type}{delimiter}{message name}`, the delimiter `:` for a URN
/// namespace and `/` otherwise.
fn default_action(port_type: &QName, message: &str) -> String {
    let ns = &port_type.ns;
    let delimiter = if ns.to_ascii_lowercase().starts_with("urn:") { ":" } else { "/" };
    let base = ns.strip_suffix(delimiter).unwrap_or(ns);
    format!("{base}{delimiter}{}{delimiter}{message}", port_type.local)
}
