//! Whole-document checks, before any definition is looked up.

use std::collections::HashMap;

use crate::read::{Definitions, Particle, SimpleType, SimpleVariety, TypeDef};
use crate::xml::{Pos, QName};

use super::error::{Definition, ResolveError, ResolveErrorKind, fail};
use super::index::Index;

/// Checks the definitions as a whole, before any is looked up (the index already refused names
/// defined twice): every binding's port type and every port's binding exist, and no model group
/// or simple type is defined in terms of itself (resolving it would never end).
pub(super) fn check_definitions(defs: &Definitions, index: &Index<'_>) -> Result<(), ResolveError> {
    for b in &defs.bindings {
        if !index.port_types.contains_key(&b.port_type) {
            return fail(
                &b.pos,
                ResolveErrorKind::Undefined {
                    what: Definition::PortType,
                    name: b.port_type.to_string(),
                    context: Some(format!("binding `{}` is for it", b.name.local)),
                },
            );
        }
    }
    for service in &defs.services {
        for port in &service.ports {
            if !index.bindings.contains_key(&port.binding) {
                return fail(
                    &port.pos,
                    ResolveErrorKind::Undefined {
                        what: Definition::Binding,
                        name: port.binding.to_string(),
                        context: Some(format!("port `{}` of service `{}` uses it", port.name, service.name.local)),
                    },
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
    let mut group_names: Vec<&QName> = index.groups.keys().copied().collect();
    group_names.sort();
    let group_edges = |name: &'_ QName| {
        let mut out = Vec::new();
        if let Some(p) = index.groups.get(name).and_then(|g| g.particle.as_ref()) {
            group_refs(p, &mut out);
        }
        out
    };
    if let Some((name, pos)) = find_cycle(&group_names, group_edges) {
        return fail(pos, ResolveErrorKind::Cycle { what: Definition::Group, name: name.to_string() });
    }

    // A simple type derived (by restriction or list) from itself.
    fn simple_refs<'d>(st: &'d SimpleType, out: &mut Vec<(&'d QName, &'d Pos)>) {
        let (named, inline) = match &st.variety {
            SimpleVariety::Restriction { base, inline_base, .. } => (base, inline_base),
            SimpleVariety::List { item, inline_item } => (item, inline_item),
            SimpleVariety::Union => return,
        };
        if let Some(name) = named {
            out.push((name, &st.pos));
        }
        if let Some(inline) = inline {
            simple_refs(inline, out);
        }
    }
    let simple_types: HashMap<&QName, &SimpleType> = index
        .types
        .iter()
        .filter_map(|(name, t)| match t {
            TypeDef::Simple(st) => Some((*name, st)),
            TypeDef::Complex(_) => None,
        })
        .collect();
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
        return fail(pos, ResolveErrorKind::Cycle { what: Definition::SimpleType, name: name.to_string() });
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

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;

    fn pos(line: u32) -> Pos {
        Pos { file: Arc::from(Path::new("t.xsd")), line, col: 1 }
    }

    /// `(name, reference at line)` pairs as a graph; the cycle found, as (name, line).
    fn cycle(names: &[QName], refs: &[(usize, usize, u32)]) -> Option<(String, u32)> {
        let positions: Vec<Pos> = refs.iter().map(|&(_, _, line)| pos(line)).collect();
        let nodes: Vec<&QName> = names.iter().collect();
        let edges = |n: &QName| {
            refs.iter()
                .zip(&positions)
                .filter(|((from, _, _), _)| names[*from] == *n)
                .map(|((_, to, _), p)| (&names[*to], p))
                .collect()
        };
        find_cycle(&nodes, edges).map(|(name, p)| (name.local.clone(), p.line))
    }

    fn names(n: usize) -> Vec<QName> {
        (0..n).map(|i| QName::new("urn:t", format!("n{i}"))).collect()
    }

    #[test]
    fn a_reference_to_itself_is_a_cycle() {
        assert_eq!(cycle(&names(1), &[(0, 0, 7)]), Some(("n0".into(), 7)));
    }

    #[test]
    fn the_reference_that_closes_a_longer_cycle_is_reported() {
        // n0 -> n1 -> n2 -> n0: the search from n0 meets n0 again at the reference on line 3.
        assert_eq!(cycle(&names(3), &[(0, 1, 1), (1, 2, 2), (2, 0, 3)]), Some(("n0".into(), 3)));
    }

    #[test]
    fn shared_references_without_a_cycle_are_fine() {
        // A diamond: n0 -> n1, n0 -> n2, n1 -> n3, n2 -> n3.
        assert_eq!(cycle(&names(4), &[(0, 1, 1), (0, 2, 2), (1, 3, 3), (2, 3, 4)]), None);
    }

    #[test]
    fn long_chains_do_not_exhaust_the_stack() {
        let n = 100_000;
        let chain: Vec<(usize, usize, u32)> = (0..n - 1).map(|i| (i, i + 1, 1)).collect();
        let names = names(n);
        let nodes: Vec<&QName> = names.iter().collect();
        let p = pos(1);
        // Edges by index, so that the test itself is linear.
        let index: HashMap<&QName, usize> = names.iter().enumerate().map(|(i, q)| (q, i)).collect();
        let edges = |q: &QName| match chain.get(index[q]) {
            Some(&(_, to, _)) => vec![(&names[to], &p)],
            None => Vec::new(),
        };
        assert!(find_cycle(&nodes, edges).is_none());
    }
}
