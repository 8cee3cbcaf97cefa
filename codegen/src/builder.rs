//! The builder: options, and the pipeline run for each WSDL.

use std::path::{Path, PathBuf};
use std::time::Instant;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::diff::{self, DiffReport, FailOn};
use crate::generated::{Generated, Timings, output_name, write_if_changed};
use crate::model::SoapVersion;
use crate::read::{self, Definitions, Locations};
use crate::resolve::{self, ResolveOptions, ServiceErrorRule};
use crate::{Error, Result, emit, format, inspect};

/// Configures and runs the generator, in the manner of `prost_build::Config`.
///
/// Setters take `&mut self` and return it, so they chain; [`compile`](Self::compile) writes
/// one file per configured WSDL, [`generate`](Self::generate) returns the code of one WSDL in
/// memory.
#[derive(Debug, Clone)]
pub struct Builder {
    wsdls: Vec<PathBuf>,
    operations: Option<Vec<String>>,
    out_dir: Option<PathBuf>,
    runtime_path: RuntimePath,
    service_error: Option<ServiceErrorRule>,
    format: bool,
    emit_rerun: Option<bool>,
    secrets: Vec<String>,
    soap_version: Option<SoapVersion>,
    locations: Locations,
    server: bool,
    client: bool,
    blocking: bool,
    baselines: Vec<(PathBuf, PathBuf)>,
    baseline_warn_on: FailOn,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// A builder with defaults: output to `OUT_DIR`, runtime at `::wsdlgen_runtime`, formatted.
    #[must_use]
    pub fn new() -> Self {
        Self {
            wsdls: Vec::new(),
            operations: None,
            out_dir: None,
            runtime_path: RuntimePath::default(),
            service_error: None,
            format: true,
            emit_rerun: None,
            secrets: Vec::new(),
            soap_version: None,
            locations: Locations::new(),
            server: false,
            client: true,
            blocking: false,
            baselines: Vec::new(),
            baseline_warn_on: FailOn::Any,
        }
    }

    /// Whether to generate, beside each client, a server: a `{PortType}Service` trait with one
    /// async method per operation and a `{PortType}Server` that serves an implementation of it
    /// (default `false`). The generated code then needs the runtime's `server` feature.
    pub fn server(&mut self, server: bool) -> &mut Self {
        self.server = server;
        self
    }

    /// Whether to generate a client per port type (default `true`), like tonic-build's
    /// `build_client`. Without one, the output has the types, the header sets, each request's
    /// `Operation` implementation and the fault enums: what a server, or code that encodes and
    /// decodes envelopes itself (`wsdlgen_runtime::encode_request`, `decode_response`), needs.
    pub fn client(&mut self, client: bool) -> &mut Self {
        self.client = client;
        self
    }

    /// Whether to generate, beside each client, a blocking one (default `false`): a module
    /// `blocking` with a `{PortType}Client` whose operations are plain functions, running the
    /// async client on a private runtime. The generated code then needs the runtime's
    /// `blocking` feature.
    pub fn blocking(&mut self, blocking: bool) -> &mut Self {
        self.blocking = blocking;
        self
    }

    /// Adds a WSDL document for [`compile`](Self::compile) to generate bindings for (one output
    /// file each, named after it).
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

    /// Where [`compile`](Self::compile) writes the output (default: `OUT_DIR`).
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// How generated code names the runtime crate (default `::wsdlgen_runtime`): a path of
    /// identifiers separated by `::`, optionally with a leading `::`. Anything else is an
    /// [`Error::Config`] here, not later.
    ///
    /// ```
    /// let mut builder = wsdlgen::Builder::new();
    /// builder.runtime_path("::my_crate::soap")?;
    /// assert!(builder.runtime_path("not a path").is_err());
    /// # Ok::<(), wsdlgen::Error>(())
    /// ```
    pub fn runtime_path(&mut self, path: &str) -> Result<&mut Self> {
        self.runtime_path = RuntimePath::parse(path)
            .ok_or_else(|| Error::Config(format!("`{path}` is not a valid path for the runtime crate")))?;
        Ok(self)
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
    pub fn soap_version(&mut self, version: SoapVersion) -> &mut Self {
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
    ///     .compile()?;
    /// # Ok::<(), wsdlgen::Error>(())
    /// ```
    pub fn location(&mut self, location: impl Into<String>, path: impl AsRef<Path>) -> &mut Self {
        self.locations.insert(location, path.as_ref());
        self
    }

    /// Adds every mapping of `locations` (see [`Builder::location`]).
    pub fn locations(&mut self, locations: Locations) -> &mut Self {
        self.locations.extend(locations);
        self
    }

    /// Checks `wsdl` against `baseline`, the version of the WSDL the crate's code was written
    /// against, whenever [`compile`](Self::compile) generates it: each change that breaks the Rust
    /// API or the wire (see [`baseline_warn_on`](Self::baseline_warn_on)) is printed as a
    /// `cargo:warning=` line, so that updating a checked-in WSDL shows what it breaks. It only
    /// warns: the build goes on, with the bindings of `wsdl`. Off unless called; `wsdl` is
    /// matched to a path given to [`wsdl`](Self::wsdl) as written. Update the baseline (a copy
    /// of the WSDL) once the changes are dealt with.
    ///
    /// ```no_run
    /// wsdlgen::Builder::new()
    ///     .wsdl("wsdl/Service.wsdl")
    ///     .baseline("wsdl/Service.wsdl", "wsdl/baseline/Service.wsdl")
    ///     .compile()?;
    /// # Ok::<(), wsdlgen::Error>(())
    /// ```
    pub fn baseline(&mut self, wsdl: impl AsRef<Path>, baseline: impl AsRef<Path>) -> &mut Self {
        self.baselines.push((wsdl.as_ref().to_owned(), baseline.as_ref().to_owned()));
        self
    }

    /// Which changes the [`baseline`](Self::baseline) check warns about (default
    /// [`FailOn::Any`]: Rust API or wire; [`FailOn::None`] silences it).
    pub fn baseline_warn_on(&mut self, on: FailOn) -> &mut Self {
        self.baseline_warn_on = on;
        self
    }

    /// Compares two versions of a WSDL as this builder would generate them (its operations,
    /// SOAP version and locations apply to both): what changes in the generated Rust and on the
    /// wire, each change classified on both axes. An operation selected with
    /// [`operations`](Self::operations) that only the new version has is reported as added.
    /// Errors in either document are reported as [`generate`](Self::generate) reports them.
    ///
    /// ```no_run
    /// let report = wsdlgen::Builder::new().diff("wsdl/Service-v1.wsdl", "wsdl/Service-v2.wsdl")?;
    /// print!("{}", report.to_text(false));
    /// assert!(!report.breaks(wsdlgen::FailOn::Api));
    /// # Ok::<(), wsdlgen::Error>(())
    /// ```
    pub fn diff(&self, old: impl AsRef<Path>, new: impl AsRef<Path>) -> Result<DiffReport> {
        let (old, new) = (old.as_ref(), new.as_ref());
        let old_defs = read::read_wsdl(old, &self.locations)?;
        let new_defs = read::read_wsdl(new, &self.locations)?;
        let mut old_options = self.resolve_options();
        if let Some(wanted) = &mut old_options.operations {
            // What only the new version has is an addition, not an error.
            let known: Vec<&str> =
                old_defs.port_types.iter().flat_map(|p| &p.operations).map(|o| o.name.as_str()).collect();
            wanted.retain(|w| known.contains(&w.as_str()));
        }
        let old_model = resolve::resolve(&old_defs, &old_options)?;
        let new_model = resolve::resolve(&new_defs, &self.resolve_options())?;
        Ok(diff::diff_models(old, (&old_model, &old_defs.target_ns), new, (&new_model, &new_defs.target_ns)))
    }

    /// The `cargo:warning=` lines of the baseline check for `wsdl` (empty without a baseline),
    /// and the files the check read.
    pub(crate) fn baseline_warnings(&self, wsdl: &Path) -> (Vec<String>, Vec<PathBuf>) {
        const MAX_LINES: usize = 20;
        let mut lines = Vec::new();
        let mut read = Vec::new();
        for (_, baseline) in self.baselines.iter().filter(|(w, _)| w == wsdl) {
            read.push(baseline.clone());
            let report = match self.diff(baseline, wsdl) {
                Ok(r) => r,
                Err(e) => {
                    lines.push(format!("wsdlgen: cannot compare {} with its baseline: {e}", wsdl.display()));
                    continue;
                }
            };
            let breaking = report.warning_lines(self.baseline_warn_on);
            if breaking.is_empty() {
                continue;
            }
            lines.push(format!(
                "wsdlgen: {} has {} breaking change(s) since its baseline {} (`wsdlgen diff {} {}` explains each):",
                wsdl.display(),
                breaking.len(),
                baseline.display(),
                baseline.display(),
                wsdl.display()
            ));
            let more = breaking.len().saturating_sub(MAX_LINES);
            lines.extend(breaking.into_iter().take(MAX_LINES).map(|l| format!("wsdlgen:   {l}")));
            if more > 0 {
                lines.push(format!("wsdlgen:   ... and {more} more"));
            }
        }
        (lines, read)
    }

    /// Whether to format the output with `prettyplease` (default `true`).
    pub fn format(&mut self, format: bool) -> &mut Self {
        self.format = format;
        self
    }

    /// Whether [`compile`](Self::compile) prints `cargo:rerun-if-changed` lines (default: when
    /// run by Cargo, i.e. `OUT_DIR` is set).
    pub fn emit_rerun_if_changed(&mut self, emit: bool) -> &mut Self {
        self.emit_rerun = Some(emit);
        self
    }

    /// Generates every configured WSDL into the output directory, writing a file only when its
    /// content changed, and (under Cargo) printing `cargo:rerun-if-changed` for every file read.
    /// Returns the paths of the files, written or unchanged.
    pub fn compile(&self) -> Result<Vec<PathBuf>> {
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
            let generated = self.generate(wsdl);
            if rerun {
                // Even on failure, rerun when the main input changes.
                let inputs = generated.as_ref().map(|g| g.inputs.clone()).unwrap_or_else(|_| vec![wsdl.clone()]);
                for input in inputs {
                    println!("cargo:rerun-if-changed={}", input.display());
                }
            }
            let generated = generated?;
            let (warnings, baselines) = self.baseline_warnings(wsdl);
            for line in warnings {
                println!("cargo:warning={line}");
            }
            if rerun {
                for baseline in baselines {
                    println!("cargo:rerun-if-changed={}", baseline.display());
                }
            }
            let path = out_dir.join(output_name(wsdl));
            write_if_changed(&path, generated.code.as_bytes())?;
            written.push(path);
        }
        Ok(written)
    }

    /// Generates the bindings for the WSDL at `wsdl`, in memory (nothing is written, nothing
    /// printed; the WSDLs given to [`wsdl`](Self::wsdl) play no part).
    pub fn generate(&self, wsdl: impl AsRef<Path>) -> Result<Generated> {
        let wsdl = wsdl.as_ref();
        let start = Instant::now();
        let defs = read::read_wsdl(wsdl, &self.locations)?;
        self.generate_defs(wsdl, defs, start.elapsed())
    }

    /// Generates the bindings for a WSDL document given as text, in memory; `path` names it in
    /// errors and anchors relative imports.
    pub fn generate_from_str(&self, path: impl AsRef<Path>, text: &str) -> Result<Generated> {
        let path = path.as_ref();
        let start = Instant::now();
        let defs = read::read_wsdl_str(path, text, &self.locations)?;
        self.generate_defs(path, defs, start.elapsed())
    }

    /// A plain-text listing of what the WSDL at `wsdl` holds and what would be generated from
    /// it: services, ports, bindings, operations (SOAP and addressing actions, headers), types
    /// and notes.
    pub fn inspect(&self, wsdl: impl AsRef<Path>) -> Result<String> {
        let defs = read::read_wsdl(wsdl.as_ref(), &self.locations)?;
        let model = resolve::resolve(&defs, &self.resolve_options())?;
        Ok(inspect::inspect(&defs, &model))
    }

    fn resolve_options(&self) -> ResolveOptions {
        ResolveOptions {
            operations: self.operations.clone(),
            service_error: self.service_error.clone(),
            secrets: self.secrets.clone(),
            soap_version: self.soap_version,
        }
    }

    fn generate_defs(&self, wsdl: &Path, defs: Definitions, read: std::time::Duration) -> Result<Generated> {
        let start = Instant::now();
        let model = resolve::resolve(&defs, &self.resolve_options())?;
        let resolve = start.elapsed();
        let start = Instant::now();
        let emitted = emit::emit(
            &model,
            &emit::EmitOptions {
                runtime: &self.runtime_path,
                server: self.server,
                client: self.client,
                blocking: self.blocking,
            },
        );
        let emit = start.elapsed();
        let start = Instant::now();
        let body = if self.format { format::format_tokens(emitted.tokens)? } else { emitted.tokens.to_string() };
        let format = start.elapsed();
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
        Ok(Generated {
            wsdl: wsdl.to_owned(),
            code,
            inputs: defs.files,
            notes: model.notes,
            timings: Timings { read, resolve, emit, format },
            clients: emitted.clients,
        })
    }
}

/// How generated code names the runtime crate: a `::`-separated path of identifiers, checked
/// when configured (so emitting never fails on it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuntimePath {
    leading_colons: bool,
    segments: Vec<String>,
}

impl Default for RuntimePath {
    fn default() -> Self {
        Self { leading_colons: true, segments: vec!["wsdlgen_runtime".to_owned()] }
    }
}

/// Rust's keywords (strict and reserved, all editions) and `_`: not path segments, except the
/// three that start a path.
const KEYWORDS: &[&str] = &[
    "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro",
    "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct",
    "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while",
    "yield",
];

impl RuntimePath {
    /// Parses a path without pulling in `syn`; `None` when it is not a path of identifiers.
    fn parse(path: &str) -> Option<Self> {
        let (leading_colons, rest) = match path.strip_prefix("::") {
            Some(rest) => (true, rest),
            None => (false, path),
        };
        let mut segments = Vec::new();
        for segment in rest.split("::") {
            let ok = !segment.is_empty()
                && segment.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !segment.starts_with(|c: char| c.is_ascii_digit())
                && (!KEYWORDS.contains(&segment) || matches!(segment, "crate" | "self" | "super"));
            if !ok {
                return None;
            }
            segments.push(segment.to_owned());
        }
        Some(Self { leading_colons, segments })
    }

    /// The path as tokens.
    pub(crate) fn to_tokens(&self) -> TokenStream {
        let lead = self.leading_colons.then(|| quote!(::));
        let segments = self.segments.iter().map(|s| Ident::new(s, Span::call_site()));
        quote!(#lead #(#segments)::*)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_paths_are_paths_of_identifiers() {
        for ok in ["::wsdlgen_runtime", "wsdlgen_runtime", "crate::soap", "::a::b_2::C"] {
            assert!(RuntimePath::parse(ok).is_some(), "{ok}");
        }
        for bad in ["", "::", "a::", "a::::b", "a b", "a-b", "1a", "a::_", "a::r#type", ":::a", "a::type", "fn"] {
            assert!(RuntimePath::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(RuntimePath::parse("crate::soap").unwrap().to_tokens().to_string(), "crate :: soap");
        assert_eq!(RuntimePath::default().to_tokens().to_string(), ":: wsdlgen_runtime");
    }

    #[test]
    fn the_baseline_check_warns_only_when_asked_and_never_fails_the_build() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../wsdl");
        let (v87, v88) = (root.join("Services87-User.wsdl"), root.join("Services88-User.wsdl"));
        let mut b = Builder::new();
        b.wsdl(&v88);
        assert_eq!(b.baseline_warnings(&v88), (Vec::new(), Vec::new()), "off by default");
        b.baseline(&v88, &v87);
        let (lines, read) = b.baseline_warnings(&v88);
        assert_eq!(read, vec![v87.clone()]);
        assert!(lines[0].contains("has 1 breaking change(s) since its baseline"), "{lines:?}");
        assert!(
            lines[1].contains("namespace moved namespace http://www.superoffice.net/ws/crm/NetServer/Services87"),
            "{lines:?}"
        );
        assert_eq!(lines.len(), 2, "{lines:?}");
        // The Rust API did not break.
        b.baseline_warn_on(FailOn::Api);
        assert!(b.baseline_warnings(&v88).0.is_empty());
        // A baseline that cannot be read is a warning too; the bindings are still written.
        let out = std::env::temp_dir().join(format!("wsdlgen-baseline-{}", std::process::id()));
        let mut b = Builder::new();
        b.wsdl(&v88).baseline(&v88, root.join("missing.wsdl")).out_dir(&out).emit_rerun_if_changed(false);
        assert!(b.baseline_warnings(&v88).0[0].contains("cannot compare"));
        assert_eq!(b.compile().unwrap(), vec![out.join("Services88-User.rs")]);
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn a_bad_runtime_path_is_refused_when_configured() {
        let mut builder = Builder::new();
        let e = builder.runtime_path("not a path").unwrap_err();
        assert!(matches!(&e, Error::Config(m) if m.contains("`not a path`")), "{e}");
        // The builder keeps the path it had.
        assert_eq!(builder.runtime_path, RuntimePath::default());
    }
}
