//! Fuzz targets for wsdlgen. The oracles live in `oracle.rs`, shared with the workspace's smoke
//! test; `xml_mutate.rs` is the structure-aware mutator of the generator target.

pub mod oracle;
pub mod wsdl_mutate;
pub mod xml_mutate;
