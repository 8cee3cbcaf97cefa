//! Character classes of XML 1.0 (Fifth Edition): `Char`, `S`, `NameStartChar`, `NameChar`, and
//! the one pass over a whole document that refuses characters outside `Char`.

/// XML's whitespace (`S`): space, tab, carriage return, line feed.
#[inline]
pub fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// [`is_xml_space`] for a byte.
#[inline]
pub(crate) fn is_space_byte(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Whether XML 1.0 allows the character `c` (its `Char` production): tab, line feed, carriage
/// return, and U+0020 and above except U+FFFE and U+FFFF (surrogates are not `char`s).
#[inline]
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Bit 0: the byte is an ASCII character that may start a name; bit 1: one that may continue
/// one; bit 2: the byte is part of a non-ASCII character, which [`is_name_start_char`] and
/// [`is_name_char`] classify; bit 3: an ASCII name character other than `:`.
const NAME_TABLE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let start = c.is_ascii_alphabetic() || c == b'_' || c == b':';
        let more = start || c.is_ascii_digit() || c == b'-' || c == b'.';
        t[b] = (start as u8) | ((more as u8) << 1) | (((c >= 0x80) as u8) << 2) | (((more && c != b':') as u8) << 3);
        b += 1;
    }
    t
};

const NAME_START: u8 = 1;
const NAME_MORE: u8 = 2;
const NON_ASCII: u8 = 4;
/// An ASCII `NameChar` other than `:`.
const PLAIN: u8 = 8;

/// XML's `NameStartChar`.
pub(crate) fn is_name_start_char(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

/// XML's `NameChar`.
pub(crate) fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// The end of the name that starts at `at` in `s` (`at` itself when no name starts there): the
/// longest run of a `NameStartChar` followed by `NameChar`s. ASCII is classified by a table; other
/// characters by the productions.
#[inline]
pub(crate) fn name_end(s: &str, at: usize) -> usize {
    let bytes = s.as_bytes();
    let mut i = at;
    match bytes.get(i).map(|&b| NAME_TABLE[b as usize]) {
        Some(class) if class & NAME_START != 0 => i += 1,
        Some(class) if class & NON_ASCII != 0 => match s[i..].chars().next() {
            Some(c) if is_name_start_char(c) => i += c.len_utf8(),
            _ => return at,
        },
        _ => return at,
    }
    while let Some(&b) = bytes.get(i) {
        let class = NAME_TABLE[b as usize];
        if class & NAME_MORE != 0 {
            i += 1;
        } else if class & NON_ASCII != 0 {
            match s[i..].chars().next() {
                Some(c) if is_name_char(c) => i += c.len_utf8(),
                _ => break,
            }
        } else {
            break;
        }
    }
    i
}

/// The end of the qualified name (`QName` of Namespaces in XML) that starts at `at` in `s`, and
/// the index of its `:` counted from `at` (0 when it has no prefix); `None` for the index when
/// the `Name` there is not a qualified name (a `:` first or twice, or a local part that does not
/// start with a `NameStartChar`). The end is `at` when no name starts there. One pass: names are
/// read for every start tag and attribute.
#[inline]
pub(crate) fn qname_end(s: &str, at: usize) -> (usize, Option<usize>) {
    let bytes = s.as_bytes();
    let mut i = at;
    let mut colon = Some(0);
    match bytes.get(i).map(|&b| (b, NAME_TABLE[b as usize])) {
        Some((b':', _)) => {
            colon = None;
            i += 1;
        }
        Some((_, class)) if class & NAME_START != 0 => i += 1,
        Some((_, class)) if class & NON_ASCII != 0 => match s[i..].chars().next() {
            Some(c) if is_name_start_char(c) => i += c.len_utf8(),
            _ => return (at, Some(0)),
        },
        _ => return (at, Some(0)),
    }
    while i < bytes.len() {
        let b = bytes[i];
        let class = NAME_TABLE[b as usize];
        if class & PLAIN != 0 {
            i += 1;
        } else if b == b':' {
            if colon != Some(0) || !starts_name(&s[i + 1..]) {
                colon = None;
            } else {
                colon = Some(i - at);
            }
            i += 1;
        } else if class & NON_ASCII != 0 {
            match s[i..].chars().next() {
                Some(c) if is_name_char(c) => i += c.len_utf8(),
                _ => break,
            }
        } else {
            break;
        }
    }
    (i, colon)
}

/// Whether `s` starts with a `NameStartChar`.
#[inline]
pub(crate) fn starts_name(s: &str) -> bool {
    match s.as_bytes().first().map(|&b| NAME_TABLE[b as usize]) {
        Some(class) if class & NAME_START != 0 => true,
        Some(class) if class & NON_ASCII != 0 => s.chars().next().is_some_and(is_name_start_char),
        _ => false,
    }
}

/// Where the first character XML 1.0 does not allow anywhere is (a control character other than
/// tab, line feed and carriage return; U+FFFE; U+FFFF), and which it is. `input` may be any
/// bytes: the scan looks for these characters' UTF-8 forms only.
///
/// Every message goes through here, so the common case is made cheap: a branch-free test of 256
/// bytes at a time (which the compiler vectorizes) for any byte that could start a refused
/// character; only a block that has one is looked at byte by byte.
pub(crate) fn find_non_xml_char(input: &[u8]) -> Option<(usize, char)> {
    let exact = |range: std::ops::Range<usize>| {
        range.into_iter().find_map(|i| match input[i] {
            0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F => Some((i, char::from(input[i]))),
            0xEF if input.get(i + 1) == Some(&0xBF) && matches!(input.get(i + 2), Some(0xBE | 0xBF)) => {
                Some((i, if input[i + 2] == 0xBE { '\u{FFFE}' } else { '\u{FFFF}' }))
            }
            _ => None,
        })
    };
    const BLOCK: usize = 256;
    let mut at = 0;
    while at < input.len() {
        let end = (at + BLOCK).min(input.len());
        let suspicious = input[at..end].iter().fold(0u8, |acc, &b| {
            let control = u8::from(b < 0x20) & u8::from(b != b'\t') & u8::from(b != b'\n') & u8::from(b != b'\r');
            acc | control | u8::from(b == 0xEF)
        });
        if suspicious != 0 {
            if let Some(found) = exact(at..end) {
                return Some(found);
            }
        }
        at = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_table_agrees_with_the_productions() {
        for b in 0u8..128 {
            let c = char::from(b);
            assert_eq!(NAME_TABLE[b as usize] & NAME_START != 0, is_name_start_char(c), "{c:?}");
            assert_eq!(NAME_TABLE[b as usize] & NAME_MORE != 0, is_name_char(c), "{c:?}");
        }
        for b in 128u8..=255 {
            assert_eq!(NAME_TABLE[b as usize], NON_ASCII);
        }
        assert_eq!(NAME_TABLE[b':' as usize] & PLAIN, 0);
        assert_ne!(NAME_TABLE[b'-' as usize] & PLAIN, 0);
        assert_eq!(name_end("ab1-é·:x y", 0), "ab1-é·:x".len());
        assert_eq!(name_end("1a", 0), 0);
        assert_eq!(name_end("·a", 0), 0);
        assert_eq!(name_end("é", 0), 2);
        assert_eq!(name_end("a\u{D7}", 0), 1);
    }

    #[test]
    fn qualified_names() {
        assert_eq!(qname_end("a b", 0), (1, Some(0)));
        assert_eq!(qname_end("s:Envelope>", 0), (10, Some(1)));
        assert_eq!(qname_end("<é:ü·x/>", 1), (1 + "é:ü·x".len(), Some(2)));
        assert_eq!(qname_end("xmlns:p=", 0), (7, Some(5)));
        assert_eq!(qname_end("1a", 0), (0, Some(0)));
        assert_eq!(qname_end(" a", 0), (0, Some(0)));
        // Names, but not qualified names.
        assert_eq!(qname_end(":a>", 0), (2, None));
        assert_eq!(qname_end("a:>", 0), (2, None));
        assert_eq!(qname_end("a:b:c", 0), (5, None));
        assert_eq!(qname_end("a:-b", 0), (4, None));
        assert_eq!(qname_end("a:\u{b7}b", 0), (5, None));
        assert_eq!(qname_end("a::b", 0), (4, None));
    }

    #[test]
    fn name_characters() {
        for c in ['a', 'Z', '_', ':', 'é', '\u{370}', '\u{10000}'] {
            assert!(is_name_start_char(c), "{c:?}");
        }
        for c in ['-', '.', '0', '\u{B7}', '\u{300}', '\u{203F}', ' ', '<', '\u{D7}', '\u{F7}', '\u{37E}'] {
            assert!(!is_name_start_char(c), "{c:?}");
        }
        for c in ['-', '.', '0', '\u{B7}', '\u{300}', '\u{203F}', 'a'] {
            assert!(is_name_char(c), "{c:?}");
        }
        for c in [' ', '<', '>', '=', '/', '"', '\u{D7}', '\u{2041}'] {
            assert!(!is_name_char(c), "{c:?}");
        }
    }

    #[test]
    fn refused_characters_are_found_in_any_block() {
        // A control character or U+FFFE/U+FFFF anywhere (also across a 256-byte block boundary)
        // is found at its offset; tab, line feed, carriage return and other 0xEF sequences pass.
        for at in [0, 1, 255, 256, 300, 511] {
            for (bad, len) in [(&b"\x01"[..], 1), (&b"\xEF\xBF\xBE"[..], 3), (&b"\xEF\xBF\xBF"[..], 3)] {
                let mut doc = vec![b'a'; 600];
                doc[at..at + len].copy_from_slice(bad);
                assert_eq!(find_non_xml_char(&doc).unwrap().0, at, "at {at}");
            }
        }
        let ok = "<a>\t\r\n\u{F000}\u{FFFD}é</a>".repeat(40);
        assert_eq!(find_non_xml_char(ok.as_bytes()), None);
    }
}
