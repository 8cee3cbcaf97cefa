//! A structure-aware mutator for WSDL text, on top of libFuzzer's byte-level one: it deletes,
//! duplicates or moves whole elements (subtrees), and swaps attribute values within the
//! document, so that mutated copies of a real WSDL stay well-formed XML often enough to reach
//! the resolver and the emitter (dangling references, duplicate definitions, types in places
//! they do not belong, bindings without operations...).

/// A small deterministic generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next value.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value below `n` (which must not be 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

/// Byte offsets of the start tags (`<name`).
fn start_tags(text: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = find(text, i, b"<") {
        if text.get(p + 1).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') {
            out.push(p);
        }
        i = p + 1;
    }
    out
}

/// The end (exclusive) of the element whose start tag is at `start`, if it can be found.
fn element_end(text: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    loop {
        let p = find(text, i, b"<")?;
        let rest = &text[p..];
        if rest.starts_with(b"<!--") {
            i = find(text, p, b"-->")? + 3;
        } else if rest.starts_with(b"<![CDATA[") {
            i = find(text, p, b"]]>")? + 3;
        } else if rest.starts_with(b"<?") || rest.starts_with(b"<!") {
            i = find(text, p, b">")? + 1;
        } else if rest.starts_with(b"</") {
            let gt = find(text, p, b">")?;
            depth = depth.checked_sub(1)?;
            i = gt + 1;
            if depth == 0 {
                return Some(i);
            }
        } else {
            let gt = find(text, p, b">")?;
            i = gt + 1;
            if text[gt - 1] != b'/' {
                depth += 1;
            } else if depth == 0 {
                return Some(i);
            }
        }
    }
}

/// The spans of attribute values (between the quotes of `="..."`).
fn attribute_values(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = find(text, i, b"=\"") {
        let Some(end) = find(text, p + 2, b"\"") else { break };
        if end - (p + 2) < 256 {
            out.push((p + 2, end));
        }
        i = end + 1;
    }
    out
}

/// One structural mutation of `text`, or `None` when none applies.
pub fn mutate_structure(text: &[u8], rng: &mut Rng) -> Option<Vec<u8>> {
    let tags = start_tags(text);
    match rng.below(5) {
        // Delete an element.
        0 => {
            let start = *tags.get(rng.below(tags.len().max(1)))?;
            let end = element_end(text, start)?;
            Some([&text[..start], &text[end..]].concat())
        }
        // Duplicate an element in place (duplicate definitions, repeated operations...).
        1 => {
            let start = *tags.get(rng.below(tags.len().max(1)))?;
            let end = element_end(text, start)?;
            Some([&text[..end], &text[start..end], &text[end..]].concat())
        }
        // Copy an element before another one (a type inside a binding, a part in a schema...).
        2 => {
            let start = *tags.get(rng.below(tags.len().max(1)))?;
            let end = element_end(text, start)?;
            let to = *tags.get(rng.below(tags.len()))?;
            Some([&text[..to], &text[start..end], &text[to..]].concat())
        }
        // Give an attribute the value of another (names, references, occurrences, styles...).
        3 => {
            let values = attribute_values(text);
            let (ts, te) = *values.get(rng.below(values.len().max(1)))?;
            let (ss, se) = *values.get(rng.below(values.len()))?;
            Some([&text[..ts], &text[ss..se], &text[te..]].concat())
        }
        // Make a value dangle: a reference to nothing, or a name nothing refers to.
        _ => {
            let values = attribute_values(text);
            let (_, te) = *values.get(rng.below(values.len().max(1)))?;
            let suffix: &[u8] = [b"X".as_slice(), b"", b":", b"tns:", b"xs:anyType"][rng.below(5)];
            Some([&text[..te], suffix, &text[te..]].concat())
        }
    }
}
