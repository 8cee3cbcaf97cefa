//! Collection types generated code uses: [`FlagSet`] for `xs:list`s of enumerations
//! (WCF `[Flags]` enums) and [`Dictionary`] for WCF dictionaries.

use crate::value::{SimpleType, ValueError};
use crate::xml::{XmlWriter, is_xml_space};

/// A set of enumeration values written as a space-separated list (`Select Update Insert`).
///
/// Keeps the order values were inserted or received in; never holds a value twice (in a
/// received list of more than 16 items, duplicates are recognised by their text, which for an
/// enumeration is the same thing).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FlagSet<T> {
    items: Vec<T>,
}

impl<T: PartialEq> FlagSet<T> {
    /// The empty set.
    pub fn new() -> Self {
        Self { items: Vec::new() }
    }

    /// Adds `flag`; returns whether it was new.
    pub fn insert(&mut self, flag: T) -> bool {
        if self.items.contains(&flag) {
            false
        } else {
            self.items.push(flag);
            true
        }
    }

    /// Removes `flag`; returns whether it was there.
    pub fn remove(&mut self, flag: &T) -> bool {
        let before = self.items.len();
        self.items.retain(|f| f != flag);
        self.items.len() != before
    }

    /// Whether `flag` is in the set.
    pub fn contains(&self, flag: &T) -> bool {
        self.items.contains(flag)
    }

    /// The flags, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The number of flags.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl<T: PartialEq> FromIterator<T> for FlagSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut set = Self::new();
        for flag in iter {
            set.insert(flag);
        }
        set
    }
}

impl<T: PartialEq, const N: usize> From<[T; N]> for FlagSet<T> {
    fn from(flags: [T; N]) -> Self {
        flags.into_iter().collect()
    }
}

impl<'s, T> IntoIterator for &'s FlagSet<T> {
    type Item = &'s T;
    type IntoIter = std::slice::Iter<'s, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<T: SimpleType + PartialEq> SimpleType for FlagSet<T> {
    const LIST: bool = true;

    fn write_text(&self, w: &mut XmlWriter) {
        for (i, flag) in self.items.iter().enumerate() {
            if i > 0 {
                w.raw(" ");
            }
            flag.write_text(w);
        }
    }

    fn parse_text(text: &str) -> Result<Self, ValueError> {
        // XML's whitespace is ASCII whitespace less form feed, which text read from XML cannot
        // hold: without one, the (faster, byte-wise) ASCII split is the same split.
        if text.contains('\x0C') {
            Self::parse_tokens(text.split(is_xml_space).filter(|s| !s.is_empty()))
        } else {
            Self::parse_tokens(text.split_ascii_whitespace())
        }
    }
}

impl<T: SimpleType + PartialEq> FlagSet<T> {
    fn parse_tokens<'t>(tokens: impl Iterator<Item = &'t str> + Clone) -> Result<Self, ValueError> {
        /// Up to this many items, duplicates are found by comparing values; beyond it by
        /// their text, in linear time (comparing every pair would be quadratic in a hostile list).
        const SMALL: usize = 16;
        // Counted first (no allocation), so that the items are allocated once, at their size.
        let count = tokens.clone().count();
        let mut items = Vec::with_capacity(count);
        if count <= SMALL {
            for token in tokens {
                let flag = T::parse_text(token)?;
                if !items.contains(&flag) {
                    items.push(flag);
                }
            }
            return Ok(Self { items });
        }
        let mut seen = std::collections::HashSet::with_capacity(count);
        for token in tokens {
            if seen.insert(token) {
                items.push(T::parse_text(token)?);
            }
        }
        Ok(Self { items })
    }
}

/// A WCF dictionary: key/value pairs in wire order (keys are not required to be unique on
/// the wire, so none are dropped).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Dictionary<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> Default for Dictionary<K, V> {
    fn default() -> Self {
        Self { entries: Vec::new() }
    }
}

impl<K, V> Dictionary<K, V> {
    /// The empty dictionary.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends an entry.
    pub fn push(&mut self, key: K, value: V) {
        self.entries.push((key, value));
    }

    /// The first value whose key equals `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: PartialEq<Q>,
        Q: ?Sized,
    {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The entries, in wire order.
    pub fn iter(&self) -> std::slice::Iter<'_, (K, V)> {
        self.entries.iter()
    }

    /// The entries, in wire order.
    pub fn entries(&self) -> &[(K, V)] {
        &self.entries
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, for filling by generated decoders.
    pub fn entries_mut(&mut self) -> &mut Vec<(K, V)> {
        &mut self.entries
    }
}

impl<V> Dictionary<Option<String>, V> {
    /// The first value whose (non-nil) key is `key`.
    pub fn get_str(&self, key: &str) -> Option<&V> {
        self.entries.iter().find(|(k, _)| k.as_deref() == Some(key)).map(|(_, v)| v)
    }
}

impl<K, V> FromIterator<(K, V)> for Dictionary<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self { entries: iter.into_iter().collect() }
    }
}

impl<K, V> IntoIterator for Dictionary<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'d, K, V> IntoIterator for &'d Dictionary<K, V> {
    type Item = &'d (K, V);
    type IntoIter = std::slice::Iter<'d, (K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter()
    }
}

/// An `xs:list` of a simple type other than an enumeration: items in order, written
/// space-separated.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct XmlList<T>(pub Vec<T>);

impl<T> std::ops::Deref for XmlList<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> std::ops::DerefMut for XmlList<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<T> From<Vec<T>> for XmlList<T> {
    fn from(items: Vec<T>) -> Self {
        Self(items)
    }
}

impl<T: SimpleType> SimpleType for XmlList<T> {
    const LIST: bool = true;

    fn write_text(&self, w: &mut XmlWriter) {
        for (i, item) in self.0.iter().enumerate() {
            if i > 0 {
                w.raw(" ");
            }
            item.write_text(w);
        }
    }

    fn parse_text(text: &str) -> Result<Self, ValueError> {
        text.split(is_xml_space).filter(|s| !s.is_empty()).map(T::parse_text).collect::<Result<_, _>>().map(Self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_lists_split_on_xml_whitespace_only() {
        let set = FlagSet::<String>::parse_text(" a\tb\r\nc  a ").unwrap();
        assert_eq!(set.iter().map(String::as_str).collect::<Vec<_>>(), ["a", "b", "c"]);
        // A form feed is not XML whitespace: it stays inside its item.
        let set = FlagSet::<String>::parse_text("a\x0Cb c").unwrap();
        assert_eq!(set.iter().map(String::as_str).collect::<Vec<_>>(), ["a\x0Cb", "c"]);
        // Past 16 items duplicates are found by their text.
        let many: String = (0..40).map(|i| format!("f{} ", i % 20)).collect();
        assert_eq!(FlagSet::<String>::parse_text(&many).unwrap().len(), 20);
    }
}
