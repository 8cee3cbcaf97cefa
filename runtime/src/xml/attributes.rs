//! Attribute helpers for generated codecs.

use super::{DecodeError, DecodeErrorKind, Start, XmlReader, XmlWriter};
use crate::value::SimpleType;

impl XmlWriter {
    /// Writes ` name="value"` into the open tag, for a simple-typed value.
    pub fn attribute_value<T: SimpleType>(&mut self, name: &str, value: &T) {
        // The value's text form, escaped for element content, then for an attribute.
        let mut scratch = XmlWriter::new();
        value.write_text(&mut scratch);
        let text = String::from_utf8_lossy(scratch.as_bytes());
        let mut escaped = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '"' => escaped.push_str("&quot;"),
                '\n' => escaped.push_str("&#xA;"),
                '\t' => escaped.push_str("&#x9;"),
                c => escaped.push(c),
            }
        }
        self.raw(" ");
        self.raw(name);
        self.raw("=\"");
        self.raw(&escaped);
        self.raw("\"");
    }

    /// Writes an optional attribute: nothing for `None`.
    pub fn attribute_optional<T: SimpleType>(&mut self, name: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.attribute_value(name, v);
        }
    }
}

impl<'a> XmlReader<'a> {
    /// The required attribute `{ns}local` of `start`, parsed.
    pub fn required_attribute<T: SimpleType>(
        &self,
        start: &Start<'a>,
        ns: &str,
        local: &str,
    ) -> Result<T, DecodeError> {
        self.parse_attribute(start, ns, local)?.ok_or_else(|| {
            self.error_in(start, &format!("@{local}"), DecodeErrorKind::MissingAttribute(local.to_owned()))
        })
    }

    /// The attribute `{ns}local` of `start`, parsed, or its schema default when absent.
    pub fn attribute_or<T: SimpleType>(
        &self,
        start: &Start<'a>,
        ns: &str,
        local: &str,
        default: &str,
    ) -> Result<T, DecodeError> {
        match self.parse_attribute(start, ns, local)? {
            Some(v) => Ok(v),
            None => T::parse_text(default).map_err(|e| self.error_in(start, &format!("@{local}"), e.into())),
        }
    }
}
