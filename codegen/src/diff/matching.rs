//! Which item of the old model is which item of the new one: namespaces that moved, and types
//! matched by local name (in the namespace they moved to).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{Model, TypeId, TypeOrigin};
use crate::xml::QName;

/// Old namespace URIs mapped to new ones. A namespace that both models use maps to itself; one
/// that only the old model uses maps to the new-only namespace sharing the most local names with
/// it (the moves).
#[derive(Debug, Clone, Default)]
pub(super) struct NamespaceMap {
    map: BTreeMap<String, String>,
    /// The moves: (old, new, local names they share).
    pub moves: Vec<(String, String, usize)>,
}

impl NamespaceMap {
    pub fn new(old: &Model, new: &Model, old_target: &str, new_target: &str) -> Self {
        let old_names = local_names(old);
        let new_names = local_names(new);
        let old_only: Vec<&String> = old_names.keys().filter(|ns| !new_names.contains_key(*ns)).collect();
        let new_only: Vec<&String> = new_names.keys().filter(|ns| !old_names.contains_key(*ns)).collect();
        let mut candidates: Vec<(usize, &String, &String)> = Vec::new();
        for o in &old_only {
            for n in &new_only {
                let shared = old_names[*o].intersection(&new_names[*n]).count();
                if shared > 0 {
                    candidates.push((shared, o, n));
                }
            }
        }
        // Most shared names first; ties in namespace order, so the result is deterministic.
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)).then_with(|| a.2.cmp(b.2)));
        let mut map = BTreeMap::new();
        let mut taken = BTreeSet::new();
        let mut moves = Vec::new();
        for (shared, o, n) in candidates {
            if map.contains_key(o) || taken.contains(n) {
                continue;
            }
            map.insert(o.clone(), n.clone());
            taken.insert(n.clone());
            moves.push((o.clone(), n.clone(), shared));
        }
        // The target namespaces move together even when nothing of them is matched by name.
        if old_target != new_target
            && !new_names.contains_key(old_target)
            && !old_names.contains_key(new_target)
            && !map.contains_key(old_target)
            && !taken.contains(new_target)
        {
            map.insert(old_target.to_owned(), new_target.to_owned());
            moves.push((old_target.to_owned(), new_target.to_owned(), 0));
        }
        moves.sort();
        NamespaceMap { map, moves }
    }

    /// The new namespace of an old one.
    pub fn map<'a>(&'a self, ns: &'a str) -> &'a str {
        self.map.get(ns).map_or(ns, String::as_str)
    }

    /// The key of an old name in the new model's terms.
    pub fn old_key(&self, q: &QName) -> (String, String) {
        (self.map(&q.ns).to_owned(), q.local.clone())
    }

    /// Replaces each moved namespace in `text` (a SOAP action, an address) by its new one.
    pub fn rewrite(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (old, new, _) in &self.moves {
            if !old.is_empty() {
                out = out.replace(old.as_str(), new);
            }
        }
        out
    }
}

/// The key of a new name.
pub(super) fn new_key(q: &QName) -> (String, String) {
    (q.ns.clone(), q.local.clone())
}

/// Local names of the types, body elements, headers, faults and port types of a model, by
/// namespace.
fn local_names(model: &Model) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut add = |q: &QName| {
        out.entry(q.ns.clone()).or_default().insert(q.local.clone());
    };
    for t in &model.types {
        add(&t.name);
    }
    for c in &model.clients {
        add(&c.name);
        for h in c.request_headers.iter().chain(&c.response_headers) {
            add(&h.name);
        }
        for op in &c.operations {
            add(&op.request.name);
            if let Some(r) = &op.response {
                add(&r.name);
            }
            for f in &op.faults {
                add(&f.element);
            }
        }
    }
    out
}

/// Pairs items by key: the n-th old item with a key goes with the n-th new item with the same
/// key. Returns, per old item, the index of its new counterpart.
pub(super) fn pair_by_key<K: Ord + Clone>(old: &[K], new: &[K]) -> Vec<Option<usize>> {
    let mut by_key: BTreeMap<K, Vec<usize>> = BTreeMap::new();
    for (i, k) in new.iter().enumerate() {
        by_key.entry(k.clone()).or_default().push(i);
    }
    let mut seen: BTreeMap<K, usize> = BTreeMap::new();
    old.iter()
        .map(|k| {
            let n = seen.entry(k.clone()).or_default();
            let found = by_key.get(k).and_then(|v| v.get(*n)).copied();
            *n += 1;
            found
        })
        .collect()
}

/// The old model's types matched to the new model's, by namespace (mapped), local name and
/// origin (a named type, an element's anonymous type, or one the generator made up).
#[derive(Debug, Clone)]
pub(super) struct TypeMatch {
    pub old_to_new: Vec<Option<TypeId>>,
    pub new_to_old: Vec<Option<TypeId>>,
}

impl TypeMatch {
    pub fn new(old: &Model, new: &Model, ns: &NamespaceMap) -> Self {
        let origin = |o: &TypeOrigin| match o {
            TypeOrigin::Named => 0u8,
            TypeOrigin::Element => 1,
            TypeOrigin::Synthesized(_) | TypeOrigin::BareParts(_) => 2,
        };
        let old_keys: Vec<_> = old.types.iter().map(|t| (ns.old_key(&t.name), origin(&t.origin))).collect();
        let new_keys: Vec<_> = new.types.iter().map(|t| (new_key(&t.name), origin(&t.origin))).collect();
        let pairs = pair_by_key(&old_keys, &new_keys);
        let mut new_to_old = vec![None; new.types.len()];
        let old_to_new = pairs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                p.map(|j| {
                    new_to_old[j] = Some(TypeId(i));
                    TypeId(j)
                })
            })
            .collect();
        TypeMatch { old_to_new, new_to_old }
    }
}

/// Which types each message direction reaches: sent in requests (bodies, request headers) or
/// received in responses (bodies, response headers, fault details).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Usage {
    pub sent: bool,
    pub received: bool,
}

impl Usage {
    pub fn or(self, other: Usage) -> Usage {
        Usage { sent: self.sent || other.sent, received: self.received || other.received }
    }
}

/// The usage of every type of `model`, by [`TypeId`].
pub(super) fn usage(model: &Model) -> Vec<Usage> {
    use crate::model::{TypeKind, TypeRef};
    let mut out = vec![Usage::default(); model.types.len()];
    let mut sent = Vec::new();
    let mut received = Vec::new();
    for c in &model.clients {
        sent.extend(c.request_headers.iter().map(|h| h.ty));
        received.extend(c.response_headers.iter().map(|h| h.ty));
        for op in &c.operations {
            sent.push(TypeRef::Named(op.request.ty));
            received.extend(op.response.iter().map(|r| TypeRef::Named(r.ty)));
            received.extend(op.faults.iter().map(|f| f.ty));
        }
    }
    for (roots, is_sent) in [(sent, true), (received, false)] {
        let mut todo: Vec<TypeRef> = roots;
        let mut seen: HashMap<usize, ()> = HashMap::new();
        while let Some(ty) = todo.pop() {
            let TypeRef::Named(id) = ty else { continue };
            if seen.insert(id.0, ()).is_some() {
                continue;
            }
            if is_sent {
                out[id.0].sent = true;
            } else {
                out[id.0].received = true;
            }
            match &model.types[id.0].kind {
                TypeKind::Struct { fields, attributes, text, .. } => {
                    todo.extend(fields.iter().map(|f| f.ty).chain(attributes.iter().map(|a| a.ty)).chain(*text))
                }
                TypeKind::WithDerived { base, variants, .. } => {
                    todo.push(TypeRef::Named(*base));
                    todo.extend(variants.iter().map(|f| f.ty));
                }
                TypeKind::SequenceAlternative { fields: v } | TypeKind::Choice { variants: v, .. } => {
                    todo.extend(v.iter().map(|f| f.ty))
                }
                TypeKind::Enum { .. } => {}
                TypeKind::FlagList { item } | TypeKind::List { item } => todo.push(*item),
                TypeKind::Array { item } => todo.push(item.ty),
                TypeKind::Dictionary { key, value, .. } => todo.extend([key.ty, value.ty]),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_follow_keys_and_their_order() {
        let old = ["a", "b", "a", "c"];
        let new = ["c", "a", "a", "d"];
        assert_eq!(pair_by_key(&old, &new), vec![Some(1), None, Some(2), Some(0)]);
    }
}
