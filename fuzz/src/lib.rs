//! Fuzz targets for wsdlgen. The oracles live in `oracle.rs`, shared with the workspace's smoke
//! test; `serve.rs` is the generated server's (shared with the smoke test too); `differential.rs`
//! compares the runtime's XML reader with roxmltree (shared too); `xml_mutate.rs` and
//! `wsdl_mutate.rs` are the structure-aware mutators of the generator target.

pub mod differential;
pub mod oracle;
pub mod serve;
pub mod wsdl_mutate;
pub mod xml_mutate;
