//! `wsdlgen`: generate typed Rust SOAP clients from WSDL 1.1 documents.
//!
//! The generated code depends on one crate, `wsdlgen-runtime`. This crate is what a build
//! script (or a tool) uses to generate it, in the manner of `prost-build`: a [`Builder`] with
//! its options, [`Builder::compile`] to write one file per WSDL into `OUT_DIR`, and
//! [`Builder::generate`] to get the code of one WSDL in memory, as a [`Generated`] that also
//! says which clients and operations it defines.
//!
//! From a `build.rs`:
//!
//! ```no_run
//! // build.rs: `fn main() { ... }` around this
//! wsdlgen::compile_wsdl("wsdl/Service.wsdl").unwrap();
//! // src/lib.rs: pub mod service { include!(concat!(env!("OUT_DIR"), "/Service.rs")); }
//! ```
//!
//! or, with options:
//!
//! ```no_run
//! wsdlgen::Builder::new()
//!     .wsdl("wsdl/Service.wsdl")
//!     .operations(["SaveCredential"])
//!     .compile()
//!     .unwrap();
//! ```
//!
//! [`Builder::diff`] compares two versions of a WSDL as the generator models them and says, per
//! change, whether code written against the old bindings still compiles and whether old and new
//! programs still understand each other on the wire ([`DiffReport`]; the `wsdlgen diff` command);
//! [`Builder::baseline`] makes `compile` warn when a checked-in WSDL changes in a breaking way.
//!
//! Inside, four stages each have their own error: reading the WSDL and its schemas
//! ([`ReadError`]), resolving every name into a model of clients, operations and types
//! ([`ResolveError`]), emitting Rust tokens, and formatting them (`prettyplease`, feature
//! `format`). Every error about the input names the file, line and column.

#![deny(missing_docs)]

mod builder;
mod diff;
mod emit;
mod format;
mod generated;
mod inspect;
mod model;
mod read;
mod resolve;
mod xml;

use std::path::{Path, PathBuf};

pub use builder::Builder;
pub use diff::{Change, ChangeKind, DiffReport, FailOn, Item, Verdict};
pub use generated::{Generated, GeneratedClient, GeneratedOperation, Timings};
pub use model::SoapVersion;
pub use read::{Locations, ReadError};
pub use resolve::{Definition, Nesting, ResolveError, ResolveErrorKind};
pub use xml::Pos;

/// Any error of the generator, by stage.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading the WSDL or a schema failed (an import's I/O error is its [`source`](std::error::Error::source)).
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Resolving names or constructs failed.
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    /// The emitted code did not parse (a bug in the generator).
    #[error("internal error: the generated code does not parse: {0}")]
    Format(String),
    /// Writing the output failed.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The builder was given something it cannot use, or lacks something it needs.
    #[error("{0}")]
    Config(String),
}

/// The generator's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Generates bindings for one WSDL into `OUT_DIR` with default options (the one-line form of
/// [`Builder::compile`]).
pub fn compile_wsdl(path: impl AsRef<Path>) -> Result<Vec<PathBuf>> {
    Builder::new().wsdl(path).compile()
}
