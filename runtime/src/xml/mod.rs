//! XML reading and writing for generated codecs.

mod attributes;
mod error;
mod reader;
mod writer;

pub use error::{DecodeError, DecodeErrorKind};
pub use reader::{
    DEFAULT_MAX_DEPTH, DEFAULT_MAX_LIST_ITEMS, DEFAULT_MAX_TEXT_LEN, DecodeLimits, MAX_NAMESPACE_BINDINGS, Start,
    XML_NS, XmlReader, from_xml, is_utf8_label, is_xml_space,
};
pub use writer::{XSI_NS, XmlWriter};
