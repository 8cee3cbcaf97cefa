//! Which encodings a message may be in: UTF-8 (and its subset US-ASCII) only. Anything else is
//! refused with a clear error rather than misread.

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
