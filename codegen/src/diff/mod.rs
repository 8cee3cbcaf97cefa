//! `wsdlgen diff`: compares two versions of a WSDL as wsdlgen models them, so that what it
//! reports is what changes in the generated Rust and on the wire. Matching is by local name;
//! a namespace that moved is reported once. Each change is classified on two axes: the Rust API
//! (does code written against the old bindings compile against the new ones?) and the wire, in
//! both directions (an old client against a new service, a new client against an old one).
//!
//! Stages: both documents are read and resolved as for `generate` ([`crate::Builder::diff`]),
//! `matching` pairs their namespaces and types, `compare` walks both models and classifies
//! (with the wire rules of `rules` and the Rust surface the emitter reports), `text` and `json`
//! render the report.

mod compare;
mod json;
mod matching;
mod report;
mod rules;
mod text;

use std::path::Path;

pub use report::{Change, ChangeKind, DiffReport, FailOn, Item, Verdict};

use crate::model::Model;

/// Compares two resolved models (with their documents' target namespaces).
pub(crate) fn diff_models(old_path: &Path, old: (&Model, &str), new_path: &Path, new: (&Model, &str)) -> DiffReport {
    let changes = compare::Diff::new(old.0, new.0, old.1, new.1).run();
    DiffReport { old: old_path.to_owned(), new: new_path.to_owned(), changes }
}

impl DiffReport {
    /// The report as text: a summary, then the changes grouped by namespace, port type and type,
    /// each with its classification and reasons. Documentation-only changes only with `docs`.
    pub fn to_text(&self, docs: bool) -> String {
        text::render(self, docs)
    }

    /// The report as JSON (schema in the README, `"version": 1`). Documentation-only changes
    /// only with `docs`.
    pub fn to_json(&self, docs: bool) -> String {
        json::render(self, docs)
    }

    /// One line per change that breaks what `on` names, for `cargo:warning=` (the builder's
    /// baseline check).
    pub fn warning_lines(&self, on: FailOn) -> Vec<String> {
        self.changes
            .iter()
            .filter(|c| c.breaks(on))
            .map(|c| {
                let mut axes = Vec::new();
                if c.api.breaking {
                    axes.push(format!("Rust API: {}", c.api.reason));
                }
                if c.old_client.breaking {
                    axes.push(format!("old client -> new service: {}", c.old_client.reason));
                }
                if c.new_client.breaking {
                    axes.push(format!("new client -> old service: {}", c.new_client.reason));
                }
                let what = match (&c.old, &c.new) {
                    (Some(o), Some(n)) => format!(" ({o} -> {n})"),
                    _ => String::new(),
                };
                format!(
                    "{} {} {}{what}: {}",
                    c.kind.as_str().replace('_', " "),
                    c.item.as_str().replace('_', " "),
                    c.path.join("/"),
                    axes.join("; ")
                )
            })
            .collect()
    }
}
