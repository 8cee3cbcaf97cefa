//! `wsdlgen`: generate typed Rust SOAP clients from WSDL 1.1 documents.
//!
//! The pipeline has four stages, each with its own error type:
//! [`read`] (WSDL + XSD syntax, names resolved to namespace URIs) ->
//! [`resolve`] (the [`model`]: clients, operations, headers, types) ->
//! [`emit`] (Rust tokens) -> format (`prettyplease`).
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
//!     .generate()
//!     .unwrap();
//! ```

pub mod emit;
mod inspect;
pub mod model;
pub mod read;
pub mod resolve;
mod xml;

use std::path::{Path, PathBuf};

pub use emit::{EmitError, EmitOptions};
pub use inspect::inspect;
pub use read::ReadError;
pub use resolve::{ResolveError, ResolveOptions, ServiceErrorRule};

/// Any error of the generator, by stage.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading the WSDL or a schema failed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Resolving names or constructs failed.
    #[error(transparent)]
    Resolve(#[from] ResolveError),
    /// Emitting Rust failed.
    #[error(transparent)]
    Emit(#[from] EmitError),
    /// The emitted code did not parse (a bug in the generator).
    #[error("internal error: the generated code does not parse: {0}")]
    Format(String),
    /// Writing the output failed.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The builder is missing something it needs.
    #[error("{0}")]
    Config(String),
}

/// The generator's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Generated code for one WSDL document.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The WSDL file.
    pub wsdl: PathBuf,
    /// The Rust source.
    pub code: String,
    /// Every file read (the WSDL and what it imports).
    pub inputs: Vec<PathBuf>,
    /// Notes about things skipped on purpose.
    pub notes: Vec<String>,
    /// How long each stage took.
    pub timings: Timings,
}

/// Time spent in each stage of one generation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Reading the WSDL and schemas.
    pub read: std::time::Duration,
    /// Resolving the model.
    pub resolve: std::time::Duration,
    /// Emitting tokens.
    pub emit: std::time::Duration,
    /// Formatting (or stringifying) the tokens.
    pub format: std::time::Duration,
}

/// Configures and runs the generator, in the manner of `prost_build::Config`.
#[derive(Debug, Clone)]
pub struct Builder {
    wsdls: Vec<PathBuf>,
    operations: Option<Vec<String>>,
    out_dir: Option<PathBuf>,
    runtime_path: String,
    service_error: Option<ServiceErrorRule>,
    format: bool,
    emit_rerun: Option<bool>,
    secrets: Vec<String>,
    soap_version: Option<model::SoapVersion>,
    locations: read::Locations,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// A builder with defaults: output to `OUT_DIR`, runtime at `::wsdlgen_runtime`, formatted.
    pub fn new() -> Self {
        Self {
            wsdls: Vec::new(),
            operations: None,
            out_dir: None,
            runtime_path: EmitOptions::default().runtime_path,
            service_error: None,
            format: true,
            emit_rerun: None,
            secrets: Vec::new(),
            soap_version: None,
            locations: read::Locations::new(),
        }
    }

    /// Adds a WSDL document to generate bindings for (one output file each, named after it).
    pub fn wsdl(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.wsdls.push(path.as_ref().to_owned());
        self
    }

    /// Generates only these operations and the types they reach (body and headers).
    pub fn operations<I, S>(&mut self, names: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.operations.get_or_insert_with(Vec::new).extend(names.into_iter().map(Into::into));
        self
    }

    /// Where to write the output (default: `OUT_DIR`).
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// How generated code names the runtime crate (default `::wsdlgen_runtime`).
    pub fn runtime_path(&mut self, path: impl Into<String>) -> &mut Self {
        self.runtime_path = path.into();
        self
    }

    /// Reports failures signalled through response headers as typed service errors: when the
    /// boolean header `success_header` is `false`, the call fails with the content of
    /// `detail_header`, whose `message_field` (if given) is its `Display`.
    pub fn service_error(
        &mut self,
        success_header: impl Into<String>,
        detail_header: impl Into<String>,
        message_field: Option<&str>,
    ) -> &mut Self {
        self.service_error = Some(ServiceErrorRule {
            success_header: success_header.into(),
            detail_header: detail_header.into(),
            message_field: message_field.map(str::to_owned),
        });
        self
    }

    /// Treats these fields as secrets (printed as `<redacted>` by `Debug`), as `Type.Field` or
    /// `Field` (XML local names). Fields whose names look secret (`Password`, `Ticket`, `Token`,
    /// `Secret`, `ApiKey`...) already are.
    pub fn secrets<I, S>(&mut self, fields: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.secrets.extend(fields.into_iter().map(Into::into));
        self
    }

    /// Makes every generated client default to this SOAP version, whatever its binding says
    /// (callers can still switch per client with `SoapClient::set_soap_version`).
    pub fn soap_version(&mut self, version: model::SoapVersion) -> &mut Self {
        self.soap_version = Some(version);
        self
    }

    /// Reads the document an import names by the remote `location` from the local file `path`
    /// (the generator never touches the network), as an XML catalog would. A `location` ending
    /// in `/` maps every location under it to the same path under the directory `path`.
    /// Relative paths are relative to the current directory: a build script's crate directory.
    ///
    /// ```no_run
    /// wsdlgen::Builder::new()
    ///     .wsdl("wsdl/Retailer.wsdl")
    ///     .location("http://schemas.xmlsoap.org/soap/envelope/", "wsdl/soap-envelope.xsd")
    ///     .generate()?;
    /// # Ok::<(), wsdlgen::Error>(())
    /// ```
    pub fn location(&mut self, location: impl Into<String>, path: impl AsRef<Path>) -> &mut Self {
        self.locations.insert(location, path.as_ref());
        self
    }

    /// Adds every mapping of `locations` (see [`Builder::location`]).
    pub fn locations(&mut self, locations: read::Locations) -> &mut Self {
        self.locations.extend(locations);
        self
    }

    /// Whether to format the output with `prettyplease` (default `true`).
    pub fn format(&mut self, format: bool) -> &mut Self {
        self.format = format;
        self
    }

    /// Whether to print `cargo:rerun-if-changed` lines (default: when run by Cargo, i.e. `OUT_DIR` is set).
    pub fn emit_rerun_if_changed(&mut self, emit: bool) -> &mut Self {
        self.emit_rerun = Some(emit);
        self
    }

    /// Generates the code for one WSDL without writing it.
    pub fn generate_one(&self, wsdl: &Path) -> Result<Generated> {
        let start = std::time::Instant::now();
        let defs = read::read_wsdl_with(wsdl, &self.locations)?;
        let read = start.elapsed();
        let mut generated = self.generate_defs(wsdl, defs)?;
        generated.timings.read = read;
        Ok(generated)
    }

    /// Generates the code for a WSDL document given as text; `path` names it in errors and
    /// anchors relative imports.
    pub fn generate_from_str(&self, path: &Path, text: &str) -> Result<Generated> {
        let start = std::time::Instant::now();
        let defs = read::read_wsdl_str_with(path, text, &self.locations)?;
        let read = start.elapsed();
        let mut generated = self.generate_defs(path, defs)?;
        generated.timings.read = read;
        Ok(generated)
    }

    fn generate_defs(&self, wsdl: &Path, defs: read::Definitions) -> Result<Generated> {
        let mut timings = Timings::default();
        let start = std::time::Instant::now();
        let model = resolve::resolve(
            &defs,
            &ResolveOptions {
                operations: self.operations.clone(),
                service_error: self.service_error.clone(),
                secrets: self.secrets.clone(),
                soap_version: self.soap_version,
            },
        )?;
        timings.resolve = start.elapsed();
        let start = std::time::Instant::now();
        let tokens = emit::emit(&model, &EmitOptions { runtime_path: self.runtime_path.clone() })?;
        timings.emit = start.elapsed();
        let start = std::time::Instant::now();
        let body = if self.format { format_tokens(tokens)? } else { tokens.to_string() };
        timings.format = start.elapsed();
        let source = wsdl.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        let mut code = format!(
            "// @generated by wsdlgen {} from {source}. Do not edit: regenerate instead.\n",
            env!("CARGO_PKG_VERSION")
        );
        for note in &model.notes {
            code.push_str(&format!("// Note: {note}\n"));
        }
        code.push('\n');
        code.push_str(&body);
        Ok(Generated { wsdl: wsdl.to_owned(), code, inputs: defs.files, notes: model.notes, timings })
    }

    /// Generates every configured WSDL into the output directory, writing a file only when its
    /// content changed, and (under Cargo) printing `cargo:rerun-if-changed` for every file read.
    pub fn generate(&self) -> Result<Vec<PathBuf>> {
        if self.wsdls.is_empty() {
            return Err(Error::Config("no WSDL file given: call Builder::wsdl".into()));
        }
        let out_dir = match &self.out_dir {
            Some(d) => d.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| Error::Config("OUT_DIR is not set (not run by Cargo): call Builder::out_dir".into()))?,
        };
        let rerun = self.emit_rerun.unwrap_or_else(|| std::env::var_os("OUT_DIR").is_some());
        let mut written = Vec::new();
        for wsdl in &self.wsdls {
            let generated = self.generate_one(wsdl);
            if rerun {
                // Even on failure, rerun when the main input changes.
                let inputs = generated.as_ref().map(|g| g.inputs.clone()).unwrap_or_else(|_| vec![wsdl.clone()]);
                for input in inputs {
                    println!("cargo:rerun-if-changed={}", input.display());
                }
            }
            let generated = generated?;
            let path = out_dir.join(output_name(wsdl));
            write_if_changed(&path, generated.code.as_bytes())?;
            written.push(path);
        }
        Ok(written)
    }
}

/// The output file name for a WSDL: its stem with `.rs`.
pub fn output_name(wsdl: &Path) -> String {
    let stem = wsdl.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "bindings".into());
    format!("{stem}.rs")
}

/// Generates bindings for one WSDL into `OUT_DIR` with default options.
pub fn compile_wsdl(path: impl AsRef<Path>) -> Result<Vec<PathBuf>> {
    Builder::new().wsdl(path).generate()
}

/// Formats a token stream as a Rust file.
#[cfg(feature = "format")]
pub fn format_tokens(tokens: proc_macro2::TokenStream) -> Result<String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Format(e.to_string()))?;
    Ok(space_items(&prettyplease::unparse(&file)))
}

/// Puts a blank line between consecutive items (top level and inside `impl` blocks), which
/// `prettyplease` does not, so that the output reads like hand-written code.
#[cfg(feature = "format")]
fn space_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut prev = "";
    for line in code.lines() {
        let indent = line.len() - line.trim_start().len();
        let starts_item = {
            let t = line.trim_start();
            !t.starts_with('}') && !t.starts_with(')') && !t.is_empty()
        };
        let prev_indent = prev.len() - prev.trim_start().len();
        // An item ends with `}` on its own line, or (at the top level: consts, uses, aliases) with `;`.
        let prev_closes = matches!(prev.trim_start(), "}" | "};") || (prev_indent == 0 && prev.ends_with(';'));
        if starts_item && (indent == 0 || indent == 4) && prev_indent == indent && prev_closes {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        prev = line;
    }
    out
}

/// Without the `format` feature the tokens are written as they are.
#[cfg(not(feature = "format"))]
pub fn format_tokens(tokens: proc_macro2::TokenStream) -> Result<String> {
    Ok(tokens.to_string())
}

/// Writes `content` to `path` unless the file already holds exactly that.
pub fn write_if_changed(path: &Path, content: &[u8]) -> Result<bool> {
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
