//! XML reading and writing for generated codecs.

mod error;
mod reader;
mod writer;
mod attributes;

pub use error::{DecodeError, DecodeErrorKind};
pub use reader::{DecodeLimits, Start, XML_NS, XmlReader, from_xml, is_xml_space};
pub use writer::{XSI_NS, XmlWriter};
