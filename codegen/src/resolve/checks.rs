//! Whole-document checks, before any definition is looked up.

use std::collections::HashMap;

use crate::read::{Definitions, Particle, SimpleType, SimpleVariety, TypeDef};
use crate::xml::{Pos, QName};

use super::*;

/// Checks the definitions as a whole, before any is looked up: each name is defined once in its
/// symbol space, every binding's port type and every port's binding exist, and no model group
/// or simple type is defined in terms of itself (resolving it would never end).
pub(super) fn check_definitions(defs: &Definitions) -> Result<(), ResolveError> {
    pub(super) fn once<'d>(
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
    pub(super) fn group_refs<'d>(p: &'d Particle, out: &mut Vec<(&'d QName, &'d Pos)>) {
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
    pub(super) fn simple_refs<'d>(st: &'d SimpleType, out: &mut Vec<(&'d QName, &'d Pos)>) {
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
pub(super) fn find_cycle<'d, E>(nodes: &[&'d QName], edges: E) -> Option<(&'d QName, &'d Pos)>
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
