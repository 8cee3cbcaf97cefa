//! Cycle breaking: which fields are boxed.
//!
//! A type that contains itself by value, directly or through other types, has no finite size
//! in Rust. Boxing one field on each such cycle is enough, and boxing more costs an allocation
//! per value for nothing; so the fields boxed are exactly the back edges of one depth-first
//! search of the containment graph, as prost-build and typify do.

use crate::model::*;

/// Boxes the by-value fields that close a cycle of containment, and only those: the back edges
/// of a depth-first search over by-value fields (struct fields and choice variants; a `Vec`
/// already breaks a cycle). Removing back edges leaves the graph acyclic, so every type gets a
/// finite size; the search visits types and fields in model order, so the choice is deterministic.
#[allow(clippy::ptr_arg, reason = "indexed by TypeId, as the model's Vec<Type> is")]
pub(super) fn mark_boxed(types: &mut Vec<Type>) {
    let by_value = |f: &Field| !matches!(f.occurs, Occurs::Repeated | Occurs::RepeatedNillable);
    // Only these hold their members inline; enums, lists, arrays and dictionaries have a
    // fixed size or hold their items on the heap already.
    let is_container = |t: &Type| {
        matches!(
            t.kind,
            TypeKind::Struct { .. }
                | TypeKind::Choice { .. }
                | TypeKind::WithDerived { .. }
                | TypeKind::SequenceAlternative { .. }
        )
    };
    // edges[i] = (member index, target) for each by-value member of type i holding a container.
    let edges: Vec<Vec<(usize, TypeId)>> = types
        .iter()
        .map(|t| {
            members(&t.kind)
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
        /// On the search's stack: an edge to it closes a cycle.
        Open,
        Done,
    }
    let mut state = vec![State::New; types.len()];
    let mut back_edges: Vec<(TypeId, usize)> = Vec::new();
    for root in (0..types.len()).map(TypeId) {
        if state[root] != State::New {
            continue;
        }
        state[root] = State::Open;
        // (type, index of its next edge to follow): an explicit stack, as chains of types can
        // be long.
        let mut stack: Vec<(TypeId, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&(member, w)) = edges[v].get(*next) {
                *next += 1;
                match state[w] {
                    State::New => {
                        state[w] = State::Open;
                        stack.push((w, 0));
                    }
                    State::Open if matches!(types[w].kind, TypeKind::Choice { .. }) => {
                        // A field of a choice type cannot be boxed: the choice is not an element
                        // of its own, its variants stand among the struct's other fields, and
                        // the generated code reads and writes them in place. Box the variant
                        // through which the search left the choice instead: it is on the same
                        // cycle.
                        // `after` >= 1: an open node is on the stack only after the search left
                        // it through its edge `after - 1` (it is open while its descendants are).
                        if let Some(&(_, after)) = stack.iter().find(|(node, _)| *node == w) {
                            if let Some(&(member, _)) = after.checked_sub(1).and_then(|k| edges[w].get(k)) {
                                back_edges.push((w, member));
                            }
                        }
                    }
                    State::Open => back_edges.push((v, member)),
                    State::Done => {}
                }
            } else {
                state[v] = State::Done;
                stack.pop();
            }
        }
    }
    for (v, member) in back_edges {
        if let Some(f) = members_mut(&mut types[v].kind).get_mut(member) {
            f.boxed = true;
        }
    }
}

/// The members a type holds: struct fields, or enum variants.
fn members(kind: &TypeKind) -> &[Field] {
    match kind {
        TypeKind::Struct { fields, .. } | TypeKind::SequenceAlternative { fields } => fields,
        TypeKind::Choice { variants, .. } | TypeKind::WithDerived { variants, .. } => variants,
        _ => &[],
    }
}

fn members_mut(kind: &mut TypeKind) -> &mut [Field] {
    match kind {
        TypeKind::Struct { fields, .. } | TypeKind::SequenceAlternative { fields } => fields,
        TypeKind::Choice { variants, .. } | TypeKind::WithDerived { variants, .. } => variants,
        _ => &mut [],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::QName;

    fn field(name: &str, ty: usize, occurs: Occurs) -> Field {
        Field::synthetic(name, TypeRef::Named(TypeId(ty)), occurs)
    }

    fn ty(name: &str, kind: TypeKind) -> Type {
        Type { name: QName::new("urn:t", name), origin: TypeOrigin::Named, doc: None, kind }
    }

    /// The boxed members, as `Type.member`.
    fn boxed(mut types: Vec<Type>) -> Vec<String> {
        mark_boxed(&mut types);
        let mut out = Vec::new();
        for t in &types {
            for f in members(&t.kind).iter().filter(|f| f.boxed) {
                out.push(format!("{}.{}", t.name.local, f.name.local));
            }
        }
        out
    }

    #[test]
    fn a_direct_cycle_boxes_the_field_that_closes_it() {
        let node = ty("Node", TypeKind::element_struct(vec![field("next", 0, Occurs::Optional)]));
        assert_eq!(boxed(vec![node]), ["Node.next"]);
    }

    #[test]
    fn a_mutual_cycle_boxes_one_field_the_first_found_in_model_order() {
        let a = ty("A", TypeKind::element_struct(vec![field("b", 1, Occurs::Required)]));
        let b = ty("B", TypeKind::element_struct(vec![field("a", 0, Occurs::Optional)]));
        assert_eq!(boxed(vec![a, b]), ["B.a"]);
    }

    #[test]
    fn vectors_already_break_cycles_and_acyclic_sharing_is_not_boxed() {
        let tree = ty("Tree", TypeKind::element_struct(vec![field("children", 0, Occurs::Repeated)]));
        let leaf = ty("Leaf", TypeKind::element_struct(Vec::new()));
        // A diamond: two fields of the same type are no cycle.
        let pair = ty(
            "Pair",
            TypeKind::element_struct(vec![field("l", 1, Occurs::Required), field("r", 1, Occurs::Required)]),
        );
        assert!(boxed(vec![tree, leaf, pair]).is_empty());
    }

    #[test]
    fn a_cycle_through_a_choice_boxes_the_variant_not_the_choice_field() {
        // Expr { Choice: ExprChoice }, ExprChoice = Literal(i32 stand-in) | Neg(Expr).
        let expr = ty("Expr", TypeKind::element_struct(vec![field("Choice", 1, Occurs::Required)]));
        let choice = ty(
            "ExprChoice",
            TypeKind::Choice {
                variants: vec![field("Literal", 2, Occurs::Required), field("Neg", 0, Occurs::Required)],
                wildcard: None,
            },
        );
        let literal = ty("Literal", TypeKind::element_struct(Vec::new()));
        assert_eq!(boxed(vec![expr, choice, literal]), ["ExprChoice.Neg"]);
        // Entered from the choice, the search meets the choice again through Expr's field,
        // and boxes the variant it left the choice through.
        let choice =
            ty("ExprChoice", TypeKind::Choice { variants: vec![field("Neg", 1, Occurs::Required)], wildcard: None });
        let expr = ty("Expr", TypeKind::element_struct(vec![field("Choice", 0, Occurs::Required)]));
        assert_eq!(boxed(vec![choice, expr]), ["ExprChoice.Neg"]);
    }

    #[test]
    fn every_cycle_is_broken() {
        // Two cycles sharing a type: A -> B -> A and B -> C -> B.
        let a = ty("A", TypeKind::element_struct(vec![field("b", 1, Occurs::Required)]));
        let b =
            ty("B", TypeKind::element_struct(vec![field("a", 0, Occurs::Required), field("c", 2, Occurs::Required)]));
        let c = ty("C", TypeKind::element_struct(vec![field("b", 1, Occurs::Required)]));
        assert_eq!(boxed(vec![a, b, c]), ["B.a", "C.b"]);
    }
}
