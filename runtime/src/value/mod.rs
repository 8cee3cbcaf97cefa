//! Simple (text-valued) XML Schema types: how each one is written as and parsed from element text.

mod builtin;
mod calendar;
#[cfg(feature = "chrono")]
mod chrono;
mod date;
mod datetime;
mod duration;
#[cfg(feature = "jiff")]
mod jiff;
mod system_time;
#[cfg(feature = "time")]
mod time;

pub use builtin::{Base64Binary, NumericBool};
pub use date::{Date, Time};
pub use datetime::{DateTime, TimeZoneOffset};
pub use duration::Duration;

use crate::xml::XmlWriter;

/// Why a piece of element or attribute text is not a valid value of its type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{expected}: {reason}")]
#[non_exhaustive]
pub struct ValueError {
    /// The XML Schema type that was expected, e.g. `xs:int`.
    pub expected: &'static str,
    /// What is wrong with the text.
    pub reason: String,
}

impl ValueError {
    #[doc(hidden)]
    /// A new error for a value of the XML Schema type `expected`.
    pub fn new(expected: &'static str, reason: impl Into<String>) -> Self {
        Self { expected, reason: reason.into() }
    }
}

/// A type whose XML form is text: the XSD built-ins, enumerations and lists.
///
/// Generated enumerations implement it; every `SimpleType` is also
/// [`Encode`](crate::Encode) and [`Decode`](crate::Decode) as an element with text content.
pub trait SimpleType: Sized {
    /// Writes the lexical form of `self`, escaped for element text.
    fn write_text(&self, w: &mut XmlWriter);

    /// Parses the lexical form. Surrounding XML whitespace is already removed for every
    /// type except `xs:string` (whose whitespace is significant).
    fn parse_text(text: &str) -> Result<Self, ValueError>;

    /// Whether surrounding whitespace is collapsed before [`parse_text`](Self::parse_text)
    /// (`true` for every type except strings).
    const COLLAPSE: bool = true;

    /// Whether the lexical form is an `xs:list` (whitespace-separated items), whose number of
    /// items the reader checks against [`DecodeLimits::max_list_items`](crate::DecodeLimits)
    /// before parsing (`false` except for [`XmlList`](crate::XmlList) and [`FlagSet`](crate::FlagSet)).
    const LIST: bool = false;
}
