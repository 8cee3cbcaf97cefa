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
            TypeKind::Choice { variants, wildcard } => (
                variants.iter().map(|f| f.ty).collect(),
                (variants.is_empty() && wildcard.is_none()).then_some("a choice with no variant"),
            ),
            TypeKind::WithDerived { variants, .. } => {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::ResolveErrorKind;
    use crate::xml::QName;

    fn pos() -> Pos {
        Pos { file: std::sync::Arc::from(std::path::Path::new("t.wsdl")), line: 1, col: 1 }
    }

    fn ty(name: &str, kind: TypeKind) -> Type {
        Type { name: QName::new("urn:t", name), origin: TypeOrigin::Named, doc: None, kind }
    }

    fn repeated(name: &str, ty: TypeRef) -> Field {
        Field::synthetic(name, ty, Occurs::Repeated)
    }

    fn array_of(name: &str, item: TypeRef) -> Type {
        ty(name, TypeKind::Array { item: repeated("x", item) })
    }

    fn is_struct(t: &Type) -> bool {
        matches!(t.kind, TypeKind::Struct { .. })
    }

    #[test]
    fn an_array_of_itself_becomes_a_struct_of_its_repeated_field() {
        let mut types = vec![array_of("ArrayOfLoop", TypeRef::Named(TypeId(0)))];
        unnest_arrays(&mut types, &pos()).unwrap();
        let TypeKind::Struct { fields, .. } = &types[0].kind else { panic!("{:?}", types[0].kind) };
        assert_eq!(fields.len(), 1);
        assert_eq!(fields[0].ty, TypeRef::Named(TypeId(0)));
        assert_eq!(fields[0].occurs, Occurs::Repeated);
    }

    #[test]
    fn one_array_of_a_cycle_of_two_becomes_a_struct() {
        let mut types = vec![array_of("A", TypeRef::Named(TypeId(1))), array_of("B", TypeRef::Named(TypeId(0)))];
        unnest_arrays(&mut types, &pos()).unwrap();
        assert_eq!(types.iter().filter(|t| is_struct(t)).count(), 1);
    }

    #[test]
    fn short_chains_stay_arrays_and_long_ones_are_cut() {
        let chain = |n: usize| -> Vec<Type> {
            (0..n)
                .map(|i| {
                    let item = if i + 1 < n { TypeRef::Named(TypeId(i + 1)) } else { TypeRef::Builtin(Builtin::I32) };
                    array_of(&format!("A{i}"), item)
                })
                .collect()
        };
        let mut short = chain(MAX_ARRAY_NESTING);
        unnest_arrays(&mut short, &pos()).unwrap();
        assert!(short.iter().all(|t| !is_struct(t)));
        let mut long = chain(100);
        unnest_arrays(&mut long, &pos()).unwrap();
        let cut = long.iter().filter(|t| is_struct(t)).count();
        assert_eq!(cut, 100 / (MAX_ARRAY_NESTING + 1));
    }

    #[test]
    fn a_cycle_of_dictionaries_only_is_refused() {
        let dictionary = |value: TypeRef| {
            ty(
                "Map",
                TypeKind::Dictionary {
                    entry: QName::new("urn:t", "Entry"),
                    key: Field::synthetic("Key", TypeRef::Builtin(Builtin::String), Occurs::Required),
                    value: Field::synthetic("Value", value, Occurs::Required),
                },
            )
        };
        let mut types = vec![dictionary(TypeRef::Named(TypeId(0)))];
        let e = unnest_arrays(&mut types, &pos()).unwrap_err();
        assert!(matches!(&e.kind, ResolveErrorKind::Invalid(m) if m.contains("contains itself")), "{e}");
    }

    #[test]
    fn a_choice_without_variants_or_a_dangling_reference_is_an_internal_error() {
        let empty = vec![ty("C", TypeKind::Choice { variants: Vec::new(), wildcard: None })];
        let e = check_model(&empty, &pos()).unwrap_err();
        assert!(matches!(&e.kind, ResolveErrorKind::Internal(m) if m.contains("no variant")), "{e}");
        let dangling = vec![array_of("A", TypeRef::Named(TypeId(7)))];
        let e = check_model(&dangling, &pos()).unwrap_err();
        assert!(e.to_string().starts_with("t.wsdl:1:1: internal error: type {urn:t}A resolved to a reference"), "{e}");
        let fine = vec![ty(
            "C",
            TypeKind::Choice { variants: vec![repeated("x", TypeRef::Builtin(Builtin::I32))], wildcard: None },
        )];
        check_model(&fine, &pos()).unwrap();
    }
}
