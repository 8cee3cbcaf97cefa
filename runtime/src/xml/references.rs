//! Entity and character references (`&amp;`, `&#65;`, `&#x41;`): checked where the tokenizer
//! meets them (in every text and attribute value, read or skipped), replaced in the text and
//! attribute values that are read, together with XML's line-end and attribute-value
//! normalization.
//!
//! Only the five predefined entities exist: a document may not declare any (DTDs are refused).

use std::borrow::Cow;

use super::chars::{is_xml_char, name_end};
use super::error::DecodeErrorKind;

/// Why a reference is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ReferenceError {
    /// `&` that does not start `&name;`, `&#digits;` or `&#xhex;`.
    Malformed,
    /// `&name;` for a name other than `lt`, `gt`, `amp`, `apos`, `quot`.
    Undefined(String),
    /// A character reference to a code point that is no character (a surrogate, above U+10FFFF).
    NoCharacter(String),
    /// A character reference to a character XML does not allow (`&#1;`).
    NotAllowed(char),
}

impl ReferenceError {
    pub(crate) fn into_kind(self) -> DecodeErrorKind {
        match self {
            ReferenceError::Malformed => DecodeErrorKind::Syntax(
                "`&` does not start a reference (`&name;`, `&#digits;` or `&#xhex;`); a literal `&` is written `&amp;`"
                    .into(),
            ),
            ReferenceError::Undefined(name) => DecodeErrorKind::UnknownEntity(name),
            ReferenceError::NoCharacter(text) => {
                DecodeErrorKind::Syntax(format!("the character reference `{text}` names no character"))
            }
            ReferenceError::NotAllowed(c) => not_a_char(c),
        }
    }
}

/// The error for a character XML 1.0 does not allow.
pub(crate) fn not_a_char(c: char) -> DecodeErrorKind {
    DecodeErrorKind::Syntax(format!("the character U+{:04X} is not allowed in XML 1.0", u32::from(c)))
}

/// The reference that starts at `s[at]` (an `&`): the character it stands for and the index just
/// after its `;`.
pub(crate) fn parse_reference(s: &str, at: usize) -> Result<(char, usize), ReferenceError> {
    let bytes = s.as_bytes();
    debug_assert_eq!(bytes.get(at), Some(&b'&'));
    if bytes.get(at + 1) == Some(&b'#') {
        let (radix, digits_at) = if bytes.get(at + 2) == Some(&b'x') { (16, at + 3) } else { (10, at + 2) };
        let mut i = digits_at;
        // Saturates above the last code point, so that any number of digits is read in one pass.
        let mut code: u32 = 0;
        while let Some(d) = bytes.get(i).and_then(|&b| char::from(b).to_digit(radix)) {
            code = (code * radix + d).min(0x11_0000);
            i += 1;
        }
        if i == digits_at || bytes.get(i) != Some(&b';') {
            return Err(ReferenceError::Malformed);
        }
        return match char::from_u32(code) {
            Some(c) if is_xml_char(c) => Ok((c, i + 1)),
            Some(c) => Err(ReferenceError::NotAllowed(c)),
            None => Err(ReferenceError::NoCharacter(s[at..=i].to_owned())),
        };
    }
    let end = name_end(s, at + 1);
    if end == at + 1 || bytes.get(end) != Some(&b';') {
        return Err(ReferenceError::Malformed);
    }
    let c = match &s[at + 1..end] {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        other => return Err(ReferenceError::Undefined(other.to_owned())),
    };
    Ok((c, end + 1))
}

/// Element text as read: references replaced, and, when `line_ends` is set, `\r\n` and `\r` read
/// as `\n`. Text without either is borrowed. `raw` must have been checked by the tokenizer.
pub(crate) fn text_value(raw: &str, line_ends: bool) -> Cow<'_, str> {
    let special = |b: &u8| *b == b'&' || (line_ends && *b == b'\r');
    let Some(first) = raw.as_bytes().iter().position(special) else {
        return Cow::Borrowed(raw);
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let bytes = raw.as_bytes();
    let mut i = first;
    let mut copied = first;
    while i < bytes.len() {
        match bytes[i] {
            b'&' => {
                out.push_str(&raw[copied..i]);
                // Checked by the tokenizer: cannot fail; a malformed one is kept as written.
                match parse_reference(raw, i) {
                    Ok((c, next)) => {
                        out.push(c);
                        i = next;
                    }
                    Err(_) => {
                        out.push('&');
                        i += 1;
                    }
                }
                copied = i;
            }
            b'\r' if line_ends => {
                out.push_str(&raw[copied..i]);
                out.push('\n');
                i += if bytes.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&raw[copied..]);
    Cow::Owned(out)
}

/// Whether `bytes` holds `&` or a byte below 0x20 (tab, line feed, carriage return: control
/// characters other than these are refused before any value is read, and would only be copied
/// by the slow path). Eight bytes at a time with integer arithmetic: values are short (a call to
/// `memchr` or a vectorized loop costs more to set up than this search).
#[inline]
fn has_amp_or_control(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    const SPACE: u64 = u64::from_ne_bytes([0x20; 8]);
    const AMP: u64 = u64::from_ne_bytes([b'&'; 8]);
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let word = u64::from_le_bytes(w);
        let amp = word ^ AMP;
        // A byte is flagged where it is zero (`&` for `amp`) or below 0x20 (`word` itself);
        // bytes from 0x80 up are never flagged (`!x` clears their high bit).
        if ((amp.wrapping_sub(ONES) & !amp) | (word.wrapping_sub(SPACE) & !word)) & HIGH != 0 {
            return true;
        }
    }
    words.remainder().iter().any(|&b| b == b'&' || b < 0x20)
}

/// The content of a CDATA section as read: `\r\n` and `\r` as `\n`.
pub(crate) fn line_ends(raw: &str) -> Cow<'_, str> {
    if !raw.as_bytes().contains(&b'\r') {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
}

/// An attribute value as XML 1.0 normalizes it (for CDATA-typed attributes, which without a DTD
/// they all are): references replaced; tab, line feed, carriage return and `\r\n` written
/// literally each read as one space (characters written as references are kept). Values with
/// none of these are borrowed. `raw` must have been checked by the tokenizer.
pub(crate) fn attribute_value(raw: &str) -> Cow<'_, str> {
    // Most values (namespace URIs, `true`) hold none of these.
    if !has_amp_or_control(raw.as_bytes()) {
        return Cow::Borrowed(raw);
    }
    let special = |b: &u8| matches!(b, b'&' | b'\t' | b'\n' | b'\r');
    let Some(first) = raw.as_bytes().iter().position(special) else {
        return Cow::Borrowed(raw);
    };
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..first]);
    let bytes = raw.as_bytes();
    let mut i = first;
    let mut copied = first;
    while i < bytes.len() {
        match bytes[i] {
            b'&' => {
                out.push_str(&raw[copied..i]);
                match parse_reference(raw, i) {
                    Ok((c, next)) => {
                        out.push(c);
                        i = next;
                    }
                    Err(_) => {
                        out.push('&');
                        i += 1;
                    }
                }
                copied = i;
            }
            b'\t' | b'\n' | b'\r' => {
                out.push_str(&raw[copied..i]);
                out.push(' ');
                i += if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&raw[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<(char, usize), ReferenceError> {
        parse_reference(s, 0)
    }

    #[test]
    fn references() {
        assert_eq!(parse("&lt;x"), Ok(('<', 4)));
        assert_eq!(parse("&gt;"), Ok(('>', 4)));
        assert_eq!(parse("&amp;"), Ok(('&', 5)));
        assert_eq!(parse("&apos;"), Ok(('\'', 6)));
        assert_eq!(parse("&quot;"), Ok(('"', 6)));
        assert_eq!(parse("&#65;"), Ok(('A', 5)));
        assert_eq!(parse("&#x41;"), Ok(('A', 6)));
        assert_eq!(parse("&#x1F600;"), Ok(('\u{1F600}', 9)));
        assert_eq!(parse("&#0000000000000000065;"), Ok(('A', 22)));
        assert_eq!(parse("&#x10FFFF;"), Ok(('\u{10FFFF}', 10)));
        assert_eq!(parse("&#9;"), Ok(('\t', 4)));
        assert_eq!(parse("&ghost;"), Err(ReferenceError::Undefined("ghost".into())));
        assert_eq!(parse("&é;"), Err(ReferenceError::Undefined("é".into())));
        assert_eq!(parse("&#1;"), Err(ReferenceError::NotAllowed('\u{1}')));
        assert_eq!(parse("&#0;"), Err(ReferenceError::NotAllowed('\0')));
        assert_eq!(parse("&#xFFFE;"), Err(ReferenceError::NotAllowed('\u{FFFE}')));
        assert_eq!(parse("&#xD800;"), Err(ReferenceError::NoCharacter("&#xD800;".into())));
        assert_eq!(parse("&#x110000;"), Err(ReferenceError::NoCharacter("&#x110000;".into())));
        assert_eq!(
            parse("&#99999999999999999999;"),
            Err(ReferenceError::NoCharacter("&#99999999999999999999;".into()))
        );
        for bad in
            ["&", "&;", "& ", "&amp", "&#;", "&#x;", "&#xZZ;", "&#X41;", "&#65", "&a b;", "&1a;", "&#-1;", "&#x 41;"]
        {
            assert_eq!(parse(bad), Err(ReferenceError::Malformed), "{bad}");
        }
    }

    #[test]
    fn text_values() {
        assert!(matches!(text_value("plain\ntext", true), Cow::Borrowed("plain\ntext")));
        assert!(matches!(text_value("a\rb", false), Cow::Borrowed("a\rb")));
        assert_eq!(text_value("a\r\nb\rc\n", true), "a\nb\nc\n");
        assert_eq!(text_value("&lt;&#xD;&gt;\r", true), "<\r>\n");
        assert_eq!(text_value("x &amp; y", false), "x & y");
    }

    #[test]
    fn ampersands_and_control_characters_are_found_at_any_place() {
        for len in 0..40 {
            assert!(!has_amp_or_control(&vec![b'x'; len]));
            assert!(!has_amp_or_control("é\u{FFFD}~ %'!".repeat(len).as_bytes()));
            for at in 0..len {
                for b in [b'&', b'\t', b'\n', b'\r', 0x00, 0x1F] {
                    let mut v = vec![0xC3; len];
                    v[at] = b;
                    assert!(has_amp_or_control(&v), "{b} at {at} of {len}");
                }
            }
        }
    }

    #[test]
    fn attribute_values() {
        assert!(matches!(attribute_value("urn:x y"), Cow::Borrowed("urn:x y")));
        assert_eq!(attribute_value("a\tb\nc\r\nd\re"), "a b c d e");
        assert_eq!(attribute_value("&#9;&#xA;&#xD;&quot;"), "\t\n\r\"");
        assert_eq!(attribute_value(" x "), " x ");
    }
}
