//! The namespace bindings in scope where the reader is: a stack of declarations, searched from
//! the innermost. Few are in scope in real messages (a handful per envelope), where walking
//! them is cheapest; beyond [`INDEXED`] they are also indexed by prefix, so that a document
//! declaring hundreds of prefixes and using them on every element costs a hash lookup per name
//! rather than a walk of all of them.

use std::borrow::Cow;
use std::collections::HashMap;

/// Declarations in scope above which lookups go through the index.
const INDEXED: usize = 32;

/// No earlier declaration of the same prefix.
const NONE: usize = usize::MAX;

#[derive(Debug)]
struct Binding<'a> {
    prefix: &'a str,
    uri: Cow<'a, str>,
    /// Depth of the element that declared it.
    depth: usize,
    /// While the index is kept: the position of the declaration of the same prefix this one
    /// shadows, or [`NONE`].
    shadowed: usize,
}

/// The namespace declarations in scope. See the module documentation.
#[derive(Debug, Default)]
pub(crate) struct Bindings<'a> {
    stack: Vec<Binding<'a>>,
    /// Prefix -> position of its innermost declaration, kept while more than [`INDEXED`] are in
    /// scope (dropped again at half that, so that it is not rebuilt at every element).
    index: Option<HashMap<&'a str, usize>>,
}

impl<'a> Bindings<'a> {
    pub(crate) fn new() -> Self {
        Self { stack: Vec::with_capacity(8), index: None }
    }

    /// The number of declarations in scope.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.stack.len()
    }

    /// Declares `prefix` (`""` for the default namespace) as `uri` on the element at `depth`.
    pub(crate) fn push(&mut self, prefix: &'a str, uri: Cow<'a, str>, depth: usize) {
        let at = self.stack.len();
        let shadowed = match &mut self.index {
            Some(index) => index.insert(prefix, at).unwrap_or(NONE),
            None => NONE,
        };
        self.stack.push(Binding { prefix, uri, depth, shadowed });
        if self.index.is_none() && self.stack.len() > INDEXED {
            let mut index = HashMap::with_capacity(2 * INDEXED);
            for (i, b) in self.stack.iter_mut().enumerate() {
                b.shadowed = index.insert(b.prefix, i).unwrap_or(NONE);
            }
            self.index = Some(index);
        }
    }

    /// Removes the declarations of the elements at `depth` and deeper.
    #[inline]
    pub(crate) fn leave(&mut self, depth: usize) {
        // Most elements declare nothing: only a comparison then.
        if self.stack.last().is_some_and(|b| b.depth >= depth) {
            self.pop_to(depth);
        }
    }

    fn pop_to(&mut self, depth: usize) {
        while self.stack.last().is_some_and(|b| b.depth >= depth) {
            let Some(b) = self.stack.pop() else { break };
            if let Some(index) = &mut self.index {
                if b.shadowed == NONE {
                    index.remove(b.prefix);
                } else {
                    index.insert(b.prefix, b.shadowed);
                }
                if self.stack.len() <= INDEXED / 2 {
                    self.index = None;
                }
            }
        }
    }

    /// The namespace `prefix` is bound to.
    #[inline]
    pub(crate) fn lookup(&self, prefix: &str) -> Option<Cow<'a, str>> {
        let b = match &self.index {
            Some(index) => self.indexed(index, prefix)?,
            // Prefixes are short: a byte loop, not a call to `memcmp` per binding.
            None => self
                .stack
                .iter()
                .rev()
                .find(|b| b.prefix.len() == prefix.len() && b.prefix.bytes().eq(prefix.bytes()))?,
        };
        Some(match &b.uri {
            Cow::Borrowed(uri) => Cow::Borrowed(uri),
            Cow::Owned(uri) => Cow::Owned(uri.clone()),
        })
    }

    /// The innermost declaration of `prefix`, through the index.
    #[inline(never)]
    fn indexed(&self, index: &HashMap<&'a str, usize>, prefix: &str) -> Option<&Binding<'a>> {
        index.get(prefix).map(|&i| &self.stack[i])
    }

    /// The bindings in scope declared above `depth` (all: `usize::MAX`), one per prefix (the
    /// innermost), outermost first.
    pub(crate) fn in_scope_above(&self, depth: usize) -> Vec<(String, String)> {
        let mut seen = std::collections::HashSet::new();
        let mut out: Vec<(String, String)> = Vec::new();
        for b in self.stack.iter().rev().filter(|b| b.depth < depth) {
            if seen.insert(b.prefix) {
                out.push((b.prefix.to_owned(), b.uri.to_string()));
            }
        }
        out.reverse();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(b: &Bindings<'_>, prefix: &str) -> Option<String> {
        b.lookup(prefix).map(Cow::into_owned)
    }

    /// The same answers with and without the index, through shadowing and leaving.
    #[test]
    fn lookups_agree_with_and_without_the_index() {
        let names: Vec<String> = (0..100).map(|i| format!("p{}", i % 40)).collect();
        let uris: Vec<String> = (0..100).map(|i| format!("urn:{i}")).collect();
        let mut b = Bindings::new();
        for depth in 1..=100 {
            b.push(&names[depth - 1], Cow::Borrowed(&uris[depth - 1]), depth);
            assert_eq!(b.index.is_some(), depth > INDEXED);
            // p{k} is bound by the innermost declaration of it.
            for k in 0..40 {
                let expected = (0..depth).rev().find(|i| i % 40 == k).map(|i| format!("urn:{i}"));
                assert_eq!(uri(&b, &format!("p{k}")), expected, "depth {depth}, p{k}");
            }
        }
        for depth in (1..=100).rev() {
            b.leave(depth);
            assert_eq!(b.len(), depth - 1);
            for k in 0..40 {
                let expected = (0..depth - 1).rev().find(|i| i % 40 == k).map(|i| format!("urn:{i}"));
                assert_eq!(uri(&b, &format!("p{k}")), expected, "after leaving {depth}, p{k}");
            }
        }
        assert!(b.index.is_none());
        assert_eq!(uri(&b, "p0"), None);
    }

    #[test]
    fn in_scope_lists_the_innermost_binding_of_each_prefix() {
        let mut b = Bindings::new();
        b.push("", Cow::Borrowed("urn:d"), 1);
        b.push("p", Cow::Borrowed("urn:p1"), 1);
        b.push("p", Cow::Borrowed("urn:p2"), 2);
        b.push("q", Cow::Borrowed("urn:q"), 3);
        let all = b.in_scope_above(usize::MAX);
        assert_eq!(all, [("".into(), "urn:d".into()), ("p".into(), "urn:p2".into()), ("q".into(), "urn:q".into())]);
        assert_eq!(b.in_scope_above(2), [("".into(), "urn:d".into()), ("p".into(), "urn:p1".into())]);
    }
}
