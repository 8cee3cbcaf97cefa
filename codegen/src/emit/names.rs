//! Rust names for XML names: one sanitizer for every identifier the emitter writes.
//!
//! Rules (documented in the README):
//! - types and enum variants are UpperCamelCase, fields, parameters and methods snake_case (`heck`);
//! - characters that cannot be in an identifier separate words; non-ASCII letters are spelled
//!   as `uXXXX` so that output stays ASCII;
//! - a name starting with a digit gets a `N` (types) or `n` (fields) prefix;
//! - keywords become raw identifiers (`r#type`), except those that cannot be raw
//!   (`self`, `super`, `crate`, `Self`, `_`), which get a `_` suffix (types: a `Type` suffix);
//! - type names that would shadow the prelude or the names generated code relies on get a
//!   `Type` suffix (`Result` -> `ResultType`);
//! - anything that still collides gets a numeric suffix, `2`, `3`, ..., in model order.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// The names clippy's `disallowed_names` lint reports by default (placeholders). A WSDL may
/// well name a part `foo`: generated locals avoid these names, and generated methods whose
/// parameters carry them allow the lint.
pub const CLIPPY_PLACEHOLDER_NAMES: &[&str] = &["foo", "baz", "quux"];

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

const NOT_RAW: &[&str] = &["self", "super", "crate", "Self", "_"];

/// Type names that generated code (or the prelude it uses) needs to mean what they usually mean.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Vec",
    "String",
    "Box",
    "Default",
    "Error",
    "Self",
    "Clone",
    "Debug",
    "PartialEq",
    "Send",
    "Sync",
    "Sized",
    "Copy",
    "Eq",
    "Hash",
    "Fn",
    "FnMut",
    "FnOnce",
    "Drop",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "From",
    "Into",
    "AsRef",
    "AsMut",
];

/// Spells an XML name with identifier-safe ASCII only.
fn ascii_words(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    for c in xml.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_ascii() {
            out.push('_');
        } else {
            out.push_str(&format!("_u{:04x}_", c as u32));
        }
    }
    out
}

/// The UpperCamelCase form of an XML name (not yet checked for collisions).
pub fn type_name(xml: &str) -> String {
    let mut name = ascii_words(xml).to_upper_camel_case();
    if name.is_empty() {
        name = "Value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// The snake_case form of an XML name, as text (raw-identifier prefix included when needed).
pub fn field_name(xml: &str) -> String {
    let mut name = ascii_words(xml).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    name
}

/// An identifier for `name`, raw or suffixed if it is a keyword.
pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        Ident::new(&format!("{name}_"), Span::call_site())
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// Hands out names unique within one scope, in request order.
#[derive(Debug, Default)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// A scope in which `names` are already taken.
    pub fn with_taken<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Self { taken: names.into_iter().map(str::to_owned).collect() }
    }

    /// `base`, or `base2`, `base3`, ... if taken (with `_` before the number after a digit).
    pub fn unique(&mut self, base: &str) -> String {
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        let mut candidate = base.to_owned();
        let mut n = 2;
        while self.taken.contains(&candidate)
            || (KEYWORDS.contains(&candidate.as_str()) && self.taken.contains(&format!("r#{candidate}")))
        {
            candidate = format!("{base}{sep}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing() {
        assert_eq!(type_name("SoExceptionInfo"), "SoExceptionInfo");
        assert_eq!(type_name("ArrayOfstring"), "ArrayOfstring");
        assert_eq!(type_name("a-b.c"), "ABC");
        assert_eq!(field_name("SoTimeZoneId"), "so_time_zone_id");
        assert_eq!(field_name("UserId"), "user_id");
        assert_eq!(field_name("a-b"), "a_b");
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(ident(&field_name("Type")).to_string(), "r#type");
        assert_eq!(ident(&field_name("match")).to_string(), "r#match");
        assert_eq!(ident(&field_name("self")).to_string(), "self_");
        assert_eq!(ident(&field_name("Super")).to_string(), "super_");
        assert_eq!(ident(&field_name("crate")).to_string(), "crate_");
        assert_eq!(ident(&field_name("_")).to_string(), "value");
        assert_eq!(type_name("Self"), "SelfType");
        assert_eq!(type_name("self"), "SelfType");
    }

    #[test]
    fn reserved_type_names_get_a_suffix() {
        assert_eq!(type_name("Result"), "ResultType");
        assert_eq!(type_name("Error"), "ErrorType");
        assert_eq!(type_name("string"), "StringType");
        assert_eq!(type_name("Option"), "OptionType");
    }

    #[test]
    fn odd_names_are_identifiers() {
        assert_eq!(type_name("1stItem"), "N1stItem");
        assert_eq!(field_name("1stItem"), "n1st_item");
        assert_eq!(type_name("Ünïcode"), "U00dcNU00efCode");
        assert_eq!(field_name("Ünïcode"), "u00dc_n_u00ef_code");
        assert_eq!(type_name(""), "Value");
        assert_eq!(field_name("---"), "value");
        for odd in ["class", "type", "self", "1stItem", "a-b", "Ünïcode", "", "_", "__", "9", "Self", "r#x"] {
            let _ = ident(&field_name(odd));
            let _ = ident(&type_name(odd));
        }
    }

    #[test]
    fn collisions_get_numbers_in_order() {
        let mut scope = Scope::with_taken(["UserClient"]);
        assert_eq!(scope.unique("Credential"), "Credential");
        assert_eq!(scope.unique("Credential"), "Credential2");
        assert_eq!(scope.unique("Credential"), "Credential3");
        assert_eq!(scope.unique("UserClient"), "UserClient2");
        assert_eq!(scope.unique("Item1"), "Item1");
        assert_eq!(scope.unique("Item1"), "Item1_2");
    }
}
