//! The last steps of resolution, over the whole model: array wrappers that would make infinite
//! (or endlessly long) Rust types become structs, and the invariants the emitter relies on are
//! checked once.
//!
//! Types carry no position of their own, so an error here is reported at the document's
//! position (the first schema, or the start of the main file).

use crate::model::*;
use crate::xml::Pos;

use super::error::{ResolveError, internal, invalid};

/// Deepest nesting of array and dictionary wrappers inside each other (`ArrayOfArrayOfX`).
pub(super) const MAX_ARRAY_NESTING: usize = 32;

/// An array or dictionary wrapper is no Rust type of its own: its value is its item's `Vec` (a
/// `Dictionary` of its key and value), spelled out wherever it is used. A wrapper whose item is,
/// through other wrappers, the wrapper itself (`ArrayOfLoop` of `ArrayOfLoop` items) would be an
/// infinite type, and the emitter would spell it out until the stack overflowed; so would a chain
/// of thousands of wrappers. Such a wrapper becomes a struct with its one repeated field instead
/// (the same XML), which breaks the cycle or the chain; a cycle of dictionaries only is refused.
pub(super) fn unnest_arrays(types: &mut [Type], pos: &Pos) -> Result<(), ResolveError> {
    let wrapped = |types: &[Type], t: TypeRef| match t {
        TypeRef::Named(id) if matches!(types.get(id.0)?.kind, TypeKind::Array { .. } | TypeKind::Dictionary { .. }) => {
            Some(id.0)
        }
        _ => None,
    };
    let out = |types: &[Type], id: usize| -> Vec<usize> {
        match &types[id].kind {
            TypeKind::Array { item } => wrapped(types, item.ty).into_iter().collect(),
            TypeKind::Dictionary { key, value, .. } => {
                [key.ty, value.ty].into_iter().filter_map(|t| wrapped(types, t)).collect()
            }
            _ => Vec::new(),
        }
    };
    let to_struct = |t: &mut Type| {
        if let TypeKind::Array { item } = &t.kind {
            t.kind = TypeKind::element_struct(vec![item.clone()]);
        }
    };
    let is_wrapper = |t: &Type| matches!(t.kind, TypeKind::Array { .. } | TypeKind::Dictionary { .. });
    // The height of a wrapper: how many wrappers its value spells out, itself included (a
    // struct: 0). By an iterative depth-first search, in model order.
    let mut height: Vec<Option<usize>> = vec![None; types.len()];
    let mut open = vec![false; types.len()];
    for root in 0..types.len() {
        if height[root].is_some() || !is_wrapper(&types[root]) {
            continue;
        }
        open[root] = true;
        // (wrapper, its wrapped items not yet visited, the greatest height among those visited)
        let mut stack: Vec<(usize, Vec<usize>, usize)> = vec![(root, out(types, root), 0)];
        while let Some((v, edges, below)) = stack.last_mut() {
            let v = *v;
            if let Some(w) = edges.pop() {
                if let Some(h) = height[w] {
                    *below = (*below).max(h);
                } else if !open[w] {
                    open[w] = true;
                    stack.push((w, out(types, w), 0));
                } else {
                    // A cycle: the nearest array on it, from `v` back to `w`, becomes a struct.
                    let from = stack.iter().rposition(|(u, _, _)| *u == w).unwrap_or(0);
                    let array = stack[from..]
                        .iter()
                        .rev()
                        .map(|(u, _, _)| *u)
                        .find(|u| matches!(types[*u].kind, TypeKind::Array { .. }));
                    let Some(array) = array else {
                        return invalid(
                            pos,
                            format!("dictionary type {} contains itself through its keys or values", types[w].name),
                        );
                    };
                    to_struct(&mut types[array]);
                }
                continue;
            }
            let mut h = *below + 1;
            if h > MAX_ARRAY_NESTING {
                to_struct(&mut types[v]);
            }
            if !is_wrapper(&types[v]) {
                h = 0;
            } else if h > MAX_ARRAY_NESTING {
                return invalid(
                    pos,
                    format!("dictionary type {} nests wrappers more than {MAX_ARRAY_NESTING} deep", types[v].name),
                );
            }
            height[v] = Some(h);
            open[v] = false;
            stack.pop();
            if let Some((_, _, below)) = stack.last_mut() {
                *below = (*below).max(h);
            }
        }
    }
    Ok(())
}

/// The invariants the emitter relies on, checked once: every choice and polymorphic type has a
/// variant (an enum's `Default` is its first), every sequence alternative has a field (it is
/// recognised by its fields), every type reference names a type of the model. The resolver keeps
/// them (an empty choice is left out or refused, an empty alternative is no alternative, an
/// abstract base without concrete types is its own variant); a violation is a bug, reported as
/// an internal error rather than a panic in the emitter.
pub(super) fn check_model(types: &[Type], pos: &Pos) -> Result<(), ResolveError> {
    let in_range = |t: TypeRef| !matches!(t, TypeRef::Named(id) if id.0 >= types.len());
    for t in types {
        let (members, what): (Vec<TypeRef>, Option<&str>) = match &t.kind {
            TypeKind::Choice { variants } | TypeKind::WithDerived { variants, .. } => {
                (variants.iter().map(|f| f.ty).collect(), variants.is_empty().then_some("a choice with no variant"))
            }
            TypeKind::SequenceAlternative { fields } => (
                fields.iter().map(|f| f.ty).collect(),
                fields.is_empty().then_some("a sequence alternative with no field"),
            ),
            TypeKind::Struct { fields, attributes, text, .. } => {
                (fields.iter().map(|f| f.ty).chain(attributes.iter().map(|a| a.ty)).chain(*text).collect(), None)
            }
            TypeKind::FlagList { item } | TypeKind::List { item } => (vec![*item], None),
            TypeKind::Array { item } => (vec![item.ty], None),
            TypeKind::Dictionary { key, value, .. } => (vec![key.ty, value.ty], None),
            TypeKind::Enum { .. } => (Vec::new(), None),
        };
        let what = what.or_else(|| (!members.into_iter().all(in_range)).then_some("a reference to no type"));
        if let Some(what) = what {
            return internal(pos, format!("type {} resolved to {what}", t.name));
        }
    }
    Ok(())
}
