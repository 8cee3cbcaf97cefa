//! Cycle breaking: which fields are boxed.

use crate::model::*;

/// Boxes the by-value fields that close a cycle of containment, and only those: the back edges
/// of a depth-first search over by-value fields (struct fields and choice variants; a `Vec`
/// already breaks a cycle). Removing back edges leaves the graph acyclic, so every type gets a
/// finite size; the search visits types and fields in model order, so the choice is deterministic.
pub(super) fn mark_boxed(types: &mut [Type]) {
    let by_value = |f: &Field| !matches!(f.occurs, Occurs::Repeated | Occurs::RepeatedNillable);
    let is_container = |t: &Type| {
        matches!(
            t.kind,
            TypeKind::Struct { .. }
                | TypeKind::Choice { .. }
                | TypeKind::WithDerived { .. }
                | TypeKind::SequenceAlternative { .. }
        )
    };
    // edges[i] = (field index, target) for each by-value field of type i holding a container.
    let edges: Vec<Vec<(usize, TypeId)>> = types
        .iter()
        .map(|t| {
            let fields: &[Field] = match &t.kind {
                TypeKind::Struct { fields, .. } | TypeKind::SequenceAlternative { fields } => fields,
                TypeKind::Choice { variants } | TypeKind::WithDerived { variants, .. } => variants,
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
            TypeKind::Struct { fields, .. } | TypeKind::SequenceAlternative { fields } => fields[field].boxed = true,
            TypeKind::Choice { variants } | TypeKind::WithDerived { variants, .. } => variants[field].boxed = true,
            _ => {}
        }
    }
}
