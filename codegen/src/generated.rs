//! What one generation produces, in memory.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::{Error, Result};

/// The bindings generated for one WSDL document, and what went into them.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Generated {
    /// The WSDL file the bindings were generated from.
    pub wsdl: PathBuf,
    /// The Rust source: an `@generated` line, the notes as comments, then the items.
    pub code: String,
    /// Every file read: the WSDL and every WSDL and schema it imports or includes.
    pub inputs: Vec<PathBuf>,
    /// What the generator skipped or could not honour on purpose (an HTTP binding, a policy
    /// asking for message-level security, a derived type left out), also written as comments.
    pub notes: Vec<String>,
    /// How long each stage took.
    pub timings: Timings,
    /// The generated clients, one per port type with a SOAP binding, in output order.
    pub clients: Vec<GeneratedClient>,
}

impl Generated {
    /// The file name [`Builder::compile`](crate::Builder::compile) writes these bindings to:
    /// the WSDL's file stem with `.rs`.
    #[must_use]
    pub fn file_name(&self) -> String {
        output_name(&self.wsdl)
    }

    /// Writes the code to `path` (creating its directory) unless the file already holds exactly
    /// that, so that an unchanged output keeps its modification time. Returns whether it wrote.
    pub fn write_if_changed(&self, path: impl AsRef<Path>) -> Result<bool> {
        write_if_changed(path.as_ref(), self.code.as_bytes())
    }
}

/// A generated client: the Rust names chosen for a port type and its operations.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GeneratedClient {
    /// The port type's local name in the WSDL.
    pub port_type: String,
    /// The client's Rust type name (`UserClient`).
    pub client_type: String,
    /// The operations, in port type order.
    pub operations: Vec<GeneratedOperation>,
}

/// A generated operation: its request type implements the runtime's `Operation`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct GeneratedOperation {
    /// The operation's name in the WSDL.
    pub name: String,
    /// The Rust type of its request: it implements the runtime's `Operation`, `Encode` and
    /// `Decode`.
    pub request_type: String,
    /// When the request type is a wrapper `pub struct Request(pub Body)`, the body element's
    /// type it wraps: an operation whose body element type is the request of other operations
    /// too gets a request type of its own (each needs its own `Operation` impl).
    pub wraps: Option<String>,
    /// The Rust type of the response body element; `None` when the reply has no body element
    /// (a one-way operation, or an output message without a body part).
    pub response_type: Option<String>,
    /// The operation has no output message at all.
    pub one_way: bool,
}

/// Time spent in each stage of one generation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[non_exhaustive]
pub struct Timings {
    /// Reading the WSDL and schemas.
    pub read: Duration,
    /// Resolving names into the model.
    pub resolve: Duration,
    /// Emitting Rust tokens.
    pub emit: Duration,
    /// Formatting (or stringifying) the tokens.
    pub format: Duration,
}

/// The output file name for a WSDL: its stem with `.rs`.
pub(crate) fn output_name(wsdl: &Path) -> String {
    let stem = wsdl.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "bindings".into());
    format!("{stem}.rs")
}

/// Writes `content` to `path` unless the file already holds exactly that.
pub(crate) fn write_if_changed(path: &Path, content: &[u8]) -> Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == content) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write { path: path.to_owned(), source })?;
        }
    }
    std::fs::write(path, content).map_err(|source| Error::Write { path: path.to_owned(), source })?;
    Ok(true)
}
