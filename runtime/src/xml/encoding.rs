//! Which encodings a message may be in: UTF-8 (and its subset US-ASCII) only. Anything else is
//! refused with a clear error rather than misread.

use std::borrow::Cow;

use super::error::DecodeErrorKind;

/// Whether `label` (from an XML declaration or a `charset` parameter) names UTF-8 or its
/// subset US-ASCII, the only encodings this reader accepts.
pub fn is_utf8_label(label: &str) -> bool {
    let label = label.trim();
    ["utf-8", "utf8", "us-ascii", "ascii"].iter().any(|l| label.eq_ignore_ascii_case(l))
}

/// The error for a message in another encoding.
pub(crate) fn unsupported_encoding(found: &str) -> DecodeErrorKind {
    DecodeErrorKind::Encoding(format!("unsupported encoding {found}; only UTF-8 is supported"))
}

/// Refuses a message that starts like one in another encoding: a UTF-16 or UTF-32 byte order
/// mark, or UTF-16 without one (a `<` next to a zero byte).
pub(crate) fn check_prefix(input: &[u8]) -> Result<(), DecodeErrorKind> {
    let found = match input {
        [0x00, 0x00, 0xFE, 0xFF, ..] => Some("UTF-32BE (byte order mark)"),
        [0xFF, 0xFE, 0x00, 0x00, ..] => Some("UTF-32LE (byte order mark)"),
        [0xFE, 0xFF, ..] => Some("UTF-16BE (byte order mark)"),
        [0xFF, 0xFE, ..] => Some("UTF-16LE (byte order mark)"),
        [0x00, b'<', ..] => Some("UTF-16BE"),
        [b'<', 0x00, ..] => Some("UTF-16LE"),
        _ => None,
    };
    match found {
        Some(encoding) => Err(unsupported_encoding(encoding)),
        None => Ok(()),
    }
}

/// The error for bytes that are not UTF-8.
pub(crate) fn not_utf8(e: std::str::Utf8Error) -> DecodeErrorKind {
    DecodeErrorKind::Encoding(format!("the message is not valid UTF-8 ({e})"))
}

/// Which encoding a message is in, as far as [`to_utf8`] can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Latin1,
    Windows1252,
}

impl Encoding {
    /// The encoding a label (an XML declaration's `encoding`, a `charset`) names, if it is one
    /// [`to_utf8`] reads. UTF-16 without a byte order mark is big-endian (RFC 2781); a message
    /// that starts with `<` and a zero byte is read as little-endian before any label is asked.
    fn from_label(label: &str) -> Option<Self> {
        let label = label.trim().to_ascii_lowercase();
        Some(match label.as_str() {
            l if is_utf8_label(l) => Self::Utf8,
            "utf-16" | "utf16" | "utf-16be" | "unicodefffe" => Self::Utf16Be,
            "utf-16le" | "unicode" => Self::Utf16Le,
            "iso-8859-1" | "iso8859-1" | "iso_8859-1" | "latin1" | "latin-1" | "l1" | "cp819" | "ibm819" => {
                Self::Latin1
            }
            "windows-1252" | "cp1252" | "x-cp1252" => Self::Windows1252,
            _ => return None,
        })
    }
}

/// Windows-1252's characters for the bytes 0x80 to 0x9F (where ISO-8859-1 has C1 controls);
/// the five it leaves undefined keep their ISO-8859-1 meaning, as browsers do.
const WINDOWS_1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{02C6}',
    '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{8D}', '\u{017D}', '\u{8F}', '\u{90}', '\u{2018}', '\u{2019}',
    '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}',
    '\u{0153}', '\u{9D}', '\u{017E}', '\u{0178}',
];

/// The `encoding` of the XML declaration at the start of `input` (read as ASCII, which every
/// encoding handled here but UTF-16 agrees on), if there is one.
fn declared_encoding(input: &[u8]) -> Option<&str> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let rest = input.strip_prefix(b"<?xml")?;
    let end = rest.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&rest[..end]).ok()?;
    let after = &decl[decl.find("encoding")? + "encoding".len()..];
    let after = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = after.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &after[1..];
    Some(&value[..value.find(quote)?])
}

/// The message as UTF-8, whatever it was sent in among UTF-8, UTF-16 (either byte order, with
/// or without a byte order mark), ISO-8859-1 and Windows-1252: which one is decided by a byte
/// order mark, then by `charset` (the HTTP `Content-Type`'s, which wins over the declaration,
/// RFC 7303), then by the XML declaration. A message that is UTF-8 already is returned as it
/// is. Otherwise the XML declaration of the result says `encoding="UTF-8"`, so offsets in later
/// errors are offsets in the UTF-8 text. Any other encoding, UTF-32, and UTF-16 with an odd
/// length or an unpaired surrogate are refused.
pub(crate) fn to_utf8<'a>(input: &'a [u8], charset: Option<&str>) -> Result<Cow<'a, [u8]>, DecodeErrorKind> {
    let (encoding, body) = match input {
        [0x00, 0x00, 0xFE, 0xFF, ..] | [0xFF, 0xFE, 0x00, 0x00, ..] => return Err(unsupported_encoding("UTF-32")),
        [0xEF, 0xBB, 0xBF, ..] => (Encoding::Utf8, input),
        [0xFE, 0xFF, rest @ ..] => (Encoding::Utf16Be, rest),
        [0xFF, 0xFE, rest @ ..] => (Encoding::Utf16Le, rest),
        [0x00, b'<', ..] => (Encoding::Utf16Be, input),
        [b'<', 0x00, ..] => (Encoding::Utf16Le, input),
        _ => {
            let label = charset.or_else(|| declared_encoding(input));
            match label {
                None => (Encoding::Utf8, input),
                Some(label) => (Encoding::from_label(label).ok_or_else(|| not_transcoded(label))?, input),
            }
        }
    };
    let text: String = match encoding {
        // A charset of UTF-8 wins over a declaration that says otherwise (RFC 7303).
        Encoding::Utf8 => match (charset, declared_encoding(input)) {
            (Some(_), Some(declared)) if !is_utf8_label(declared) => match std::str::from_utf8(input) {
                Ok(text) => text.to_owned(),
                Err(e) => return Err(not_utf8(e)),
            },
            _ => return Ok(Cow::Borrowed(input)),
        },
        Encoding::Utf16Le | Encoding::Utf16Be => {
            if body.len() % 2 != 0 {
                return Err(DecodeErrorKind::Encoding(format!(
                    "the message is not valid UTF-16 (an odd number of bytes: {})",
                    body.len()
                )));
            }
            let units = body.chunks_exact(2).map(|pair| match encoding {
                Encoding::Utf16Le => u16::from_le_bytes([pair[0], pair[1]]),
                _ => u16::from_be_bytes([pair[0], pair[1]]),
            });
            char::decode_utf16(units).collect::<Result<_, _>>().map_err(|e| {
                DecodeErrorKind::Encoding(format!(
                    "the message is not valid UTF-16 (an unpaired surrogate 0x{:04X})",
                    e.unpaired_surrogate()
                ))
            })?
        }
        Encoding::Latin1 => body.iter().map(|&b| char::from(b)).collect(),
        Encoding::Windows1252 => body
            .iter()
            .map(|&b| if (0x80..0xA0).contains(&b) { WINDOWS_1252_HIGH[usize::from(b - 0x80)] } else { char::from(b) })
            .collect(),
    };
    Ok(Cow::Owned(relabel(text).into_bytes()))
}

/// Whether [`to_utf8`] reads messages labelled `label`.
pub(crate) fn is_supported_label(label: &str) -> bool {
    Encoding::from_label(label).is_some()
}

fn not_transcoded(label: &str) -> DecodeErrorKind {
    DecodeErrorKind::Encoding(format!(
        "unsupported encoding {label}; messages may be in UTF-8, UTF-16, ISO-8859-1 or Windows-1252"
    ))
}

/// `text` with the `encoding` of its XML declaration (if any) made `UTF-8`.
fn relabel(mut text: String) -> String {
    let Some(label) = declared_encoding(text.as_bytes()).map(str::to_owned) else { return text };
    let Some(end) = text.find("?>") else { return text };
    if let Some(at) = text[..end].find(&label) {
        text.replace_range(at..at + label.len(), "UTF-8");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf8(input: &[u8], charset: Option<&str>) -> String {
        String::from_utf8(to_utf8(input, charset).unwrap().into_owned()).unwrap()
    }

    fn utf16(text: &str, little: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if little { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
        }
        for unit in text.encode_utf16() {
            out.extend_from_slice(&if little { unit.to_le_bytes() } else { unit.to_be_bytes() });
        }
        out
    }

    #[test]
    fn utf8_is_passed_through_untouched() {
        let input = "<?xml version='1.0' encoding='utf-8'?><a>é</a>".as_bytes();
        assert!(matches!(to_utf8(input, None).unwrap(), Cow::Borrowed(_)));
        assert!(matches!(to_utf8(input, Some("UTF-8")).unwrap(), Cow::Borrowed(_)));
        assert!(matches!(to_utf8(b"<a/>", None).unwrap(), Cow::Borrowed(_)));
    }

    #[test]
    fn utf16_in_either_order_with_or_without_a_mark() {
        let text = "<?xml version=\"1.0\" encoding=\"utf-16\"?><a>é €  𝄞</a>";
        for (little, bom) in [(true, true), (false, true), (true, false), (false, false)] {
            assert_eq!(
                utf8(&utf16(text, little, bom), None),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>é €  𝄞</a>",
                "{little} {bom}"
            );
        }
        // Declared by the charset alone (a WCF service with a UTF-16 text encoder).
        assert_eq!(utf8(&utf16("<a>x</a>", true, true), Some("utf-16")), "<a>x</a>");
        let odd = [0xFF, 0xFE, b'<', 0];
        assert!(to_utf8(&odd[..3], None).unwrap_err().to_string().contains("odd number"));
        let lone = [0xFF, 0xFE, 0x00, 0xD8, b'a', 0];
        assert!(to_utf8(&lone, None).unwrap_err().to_string().contains("unpaired surrogate 0xD800"));
    }

    #[test]
    fn latin1_and_windows_1252_by_declaration_or_charset() {
        let latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\xE9 \x80</a>";
        assert_eq!(utf8(latin1, None), "<?xml version='1.0' encoding='UTF-8'?><a>café \u{80}</a>");
        // The charset wins over the declaration.
        assert_eq!(utf8(latin1, Some("windows-1252")), "<?xml version='1.0' encoding='UTF-8'?><a>café €</a>");
        assert_eq!(utf8(b"<a>\x93q\x94</a>", Some("cp1252")), "<a>\u{201C}q\u{201D}</a>");
        // A UTF-8 charset wins over a declaration of another encoding.
        let declared = "<?xml version='1.0' encoding='ISO-8859-1'?><a>café</a>".as_bytes();
        assert_eq!(utf8(declared, Some("utf-8")), "<?xml version='1.0' encoding='UTF-8'?><a>café</a>");
    }

    #[test]
    fn other_encodings_are_refused_by_name() {
        let e = to_utf8(b"<?xml version='1.0' encoding='Shift_JIS'?><a/>", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "unsupported encoding Shift_JIS; messages may be in UTF-8, UTF-16, ISO-8859-1 or Windows-1252"
        );
        assert!(to_utf8(b"<a/>", Some("koi8-r")).is_err());
        assert!(to_utf8(&[0xFF, 0xFE, 0, 0, b'<', 0, 0, 0], None).unwrap_err().to_string().contains("UTF-32"));
    }
}
