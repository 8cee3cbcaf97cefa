//! Errors found while reading a response: what is wrong, at which element, at which byte.

use std::fmt;

use crate::value::ValueError;

/// A response that cannot be decoded.
///
/// Its `Display` names the element path and byte offset, e.g.
/// `Envelope/Body/GetUserResponse/Response/Birthdate (byte 812): invalid value: xs:dateTime: ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// Local names of the elements from the root to where the error was found, `/`-separated.
    pub path: String,
    /// Byte offset in the response body near where the error was found.
    pub offset: u64,
    /// What is wrong.
    pub kind: DecodeErrorKind,
    /// The message around [`offset`](Self::offset) (at most 80 bytes each side, on one line,
    /// with the values of secret elements and attributes replaced by `[redacted]`), when the
    /// error is about a response a client received; `Display` shows it after the error.
    pub excerpt: Option<Box<str>>,
}

/// What is wrong with a response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// Not well-formed XML.
    #[error("malformed XML: {0}")]
    Syntax(String),
    /// The message is not UTF-8: a byte sequence that is not UTF-8, a UTF-16 or UTF-32 byte
    /// order mark, or an XML declaration or `charset` naming another encoding.
    #[error("{0}")]
    Encoding(String),
    /// The document declares a DTD; responses must not (entity expansion and external fetches).
    #[error("a <!DOCTYPE> declaration is not allowed in a SOAP message")]
    DocType,
    /// A reference to an entity other than the five predefined ones.
    #[error(
        "undefined entity reference `&{0};` (only the five predefined entities and character references are allowed)"
    )]
    UnknownEntity(String),
    /// A prefix used without a declaration in scope.
    #[error("namespace prefix `{0}` is not declared")]
    UnboundPrefix(String),
    /// The document ended before the element was closed.
    #[error("the document ends before this element is closed")]
    UnexpectedEof,
    /// The document is empty or has no root element.
    #[error("no root element")]
    NoRoot,
    /// An element other than the one expected here.
    #[error("expected element {expected}, found {{{found_ns}}}{found}")]
    UnexpectedElement {
        /// What was expected, as `{namespace}local`.
        expected: String,
        /// The namespace URI found.
        found_ns: String,
        /// The local name found.
        found: String,
    },
    /// An element in text-only content.
    #[error("unexpected child element `{0}` in a value that holds text only")]
    ElementInText(String),
    /// An `xsi:type` that names no type this client knows in the place it appears.
    #[error("xsi:type `{0}` is not the declared type nor a type derived from it that this client knows")]
    UnknownType(String),
    /// A required element is missing.
    #[error("required element `{0}` is missing")]
    Missing(String),
    /// A required attribute is missing.
    #[error("required attribute `{0}` is missing")]
    MissingAttribute(String),
    /// An element that may appear once appears again.
    #[error("element `{0}` appears more than once")]
    Duplicate(String),
    /// Text that is not a valid value of its type.
    #[error("invalid value: {0}")]
    Value(#[from] ValueError),
    /// A configured limit was exceeded.
    #[error("{what} exceeds the limit of {limit}")]
    Limit {
        /// Which limit.
        what: &'static str,
        /// Its configured value.
        limit: usize,
    },
    /// The envelope is not a SOAP 1.1 or 1.2 envelope, or is missing its body.
    #[error("not a SOAP envelope: {0}")]
    Envelope(String),
    /// SOAP 1.1 encoding (section 5) that cannot be read: a multi-reference value that is
    /// undefined or refers to itself, or an array of a shape the generated type cannot hold.
    #[error("SOAP encoding: {0}")]
    SoapEncoding(String),
    /// A header entry marked `mustUnderstand` that this client does not understand.
    #[error("header entry {{{ns}}}{local} is marked mustUnderstand and is not understood by this client")]
    MustUnderstand {
        /// Namespace URI of the header entry.
        ns: String,
        /// Local name of the header entry.
        local: String,
    },
}

impl DecodeError {
    #[doc(hidden)]
    /// A required element `name` missing from the element at `parent` (a path).
    pub fn missing(parent: &str, name: &str) -> Self {
        Self {
            path: format!("{parent}/{name}"),
            offset: 0,
            kind: DecodeErrorKind::Missing(name.to_owned()),
            excerpt: None,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "at byte {}: {}", self.offset, self.kind)?;
        } else {
            write!(f, "at {} (byte {}): {}", self.path, self.offset, self.kind)?;
        }
        match &self.excerpt {
            Some(excerpt) => write!(f, "; the message there: `{excerpt}`"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            DecodeErrorKind::Value(e) => Some(e),
            _ => None,
        }
    }
}
