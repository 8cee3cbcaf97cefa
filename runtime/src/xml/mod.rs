//! XML reading and writing for generated codecs.
//!
//! Reading: [`XmlReader`] (namespaces, element paths, limits, the slot helpers generated
//! decoders call) over the tokenizer (`tokenizer.rs`: well-formedness), with the character
//! classes (`chars.rs`), references and normalization (`references.rs`), the encoding checks
//! (`encoding.rs`) and the namespace bindings in scope (`namespaces.rs`) it uses. Writing:
//! [`XmlWriter`].

mod attributes;
mod chars;
mod encoding;
mod error;
mod multiref;
mod namespaces;
mod reader;
mod redact;
mod references;
mod soapenc;
mod tokenizer;
mod tree;
mod writer;

pub use chars::is_xml_space;
pub use encoding::is_utf8_label;
pub(crate) use encoding::{is_supported_label, to_utf8};
pub use error::{DecodeError, DecodeErrorKind};
pub use multiref::inline_references;
pub use reader::{
    DEFAULT_MAX_DEPTH, DEFAULT_MAX_EXPANDED_SIZE, DEFAULT_MAX_LIST_ITEMS, DEFAULT_MAX_TEXT_LEN, DecodeLimits,
    MAX_NAMESPACE_BINDINGS, Start, XML_NS, XmlReader, from_xml,
};
pub(crate) use redact::{RedactedXml, Secrets, excerpt_around};
pub use soapenc::{SOAP_ENC_NS, SoapArray};
#[doc(hidden)]
pub use tokenizer::{RawAttributes, StartTag, Token, TokenError, Tokenizer};
#[doc(hidden)]
pub use tree::{Element, Node, read_tree};
pub use writer::{XSI_NS, XmlWriter};
