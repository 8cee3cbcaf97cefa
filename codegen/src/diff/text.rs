//! The human report: a summary, then the changes grouped by namespace, port type and type, each
//! with its classification on both axes.

use std::fmt::Write;

use super::report::{Change, ChangeKind, DiffReport, Item, Verdict};

/// Renders `report` as text (documentation-only changes only with `docs`).
pub(super) fn render(report: &DiffReport, docs: bool) -> String {
    let mut out = String::new();
    let shown: Vec<&Change> = report.shown(docs).collect();
    let hidden = report.changes.len() - shown.len();
    let _ = write!(out, "wsdlgen diff {} -> {}: ", report.old.display(), report.new.display());
    if shown.is_empty() {
        out.push_str("no changes");
    } else {
        out.push_str(&count(shown.len(), "change"));
    }
    if hidden > 0 {
        let _ = write!(out, " ({} not shown: --docs shows them)", count(hidden, "documentation change"));
    }
    out.push('\n');
    if shown.is_empty() {
        return out;
    }
    let api = shown.iter().filter(|c| c.api.breaking).count();
    let old_client = shown.iter().filter(|c| c.old_client.breaking).count();
    let new_client = shown.iter().filter(|c| c.new_client.breaking).count();
    let wire = shown.iter().filter(|c| c.breaks_wire()).count();
    let _ = writeln!(
        out,
        "  Rust API: {}",
        if api == 0 { "compatible".to_owned() } else { format!("BREAKING: {}", count(api, "change")) }
    );
    let _ = writeln!(
        out,
        "  wire:     {}",
        if wire == 0 {
            "compatible both ways".to_owned()
        } else {
            format!(
                "BREAKING: {} (old client -> new service: {old_client}, new client -> old service: {new_client})",
                count(wire, "change")
            )
        }
    );
    let mut groups: Vec<(String, Vec<&Change>)> = Vec::new();
    for c in shown {
        let group = group_of(c);
        match groups.last_mut() {
            Some((g, list)) if *g == group => list.push(c),
            _ => groups.push((group, vec![c])),
        }
    }
    for (group, changes) in groups {
        let api = changes.iter().filter(|c| c.api.breaking).count();
        let wire = changes.iter().filter(|c| c.breaks_wire()).count();
        let mut counts = vec![count(changes.len(), "change")];
        if api > 0 {
            counts.push(format!("{api} API-breaking"));
        }
        if wire > 0 {
            counts.push(format!("{wire} wire-breaking"));
        }
        let _ = writeln!(out, "\n{group} ({})", counts.join(", "));
        for c in changes {
            entry(&mut out, c);
        }
    }
    out
}

fn count(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}

/// The heading a change is listed under.
fn group_of(c: &Change) -> String {
    let first = c.path.first().map(String::as_str).unwrap_or_default();
    match c.item {
        Item::Namespace => "namespaces".to_owned(),
        i if i.of_port_type() => format!("port type {first}"),
        Item::Type if c.path.len() == 1 && matches!(c.kind, ChangeKind::Added | ChangeKind::Removed) => {
            "types".to_owned()
        }
        _ => format!("type {first}"),
    }
}

fn entry(out: &mut String, c: &Change) {
    let marker = match c.kind {
        ChangeKind::Added | ChangeKind::FaultAdded => '+',
        ChangeKind::Removed | ChangeKind::FaultRemoved => '-',
        _ => '~',
    };
    let item = c.item.as_str().replace('_', " ");
    // `namespace_moved` reads `namespace moved`; the others after the item's name.
    let kind = c.kind.as_str().replace('_', " ").trim_start_matches("namespace ").to_owned();
    // The path below the group's own name.
    let name = match c.item {
        Item::Namespace => String::new(),
        Item::Type if c.path.len() == 1 => c.path[0].clone(),
        _ if c.path.len() > 1 => c.path[1..].join("/"),
        _ => c.path.join("/"),
    };
    let _ = write!(out, "  {marker} {item}");
    if !name.is_empty() {
        let _ = write!(out, " {name}");
    }
    if let Some(rust) = &c.rust {
        let _ = write!(out, " [{rust}]");
    }
    let _ = write!(out, " {kind}");
    match (&c.old, &c.new) {
        (Some(o), Some(n)) => {
            let _ = write!(out, ": {o} -> {n}");
        }
        (Some(o), None) => {
            let _ = write!(out, " (was {o})");
        }
        (None, Some(n)) => {
            let _ = write!(out, ": {n}");
        }
        (None, None) => {}
    }
    out.push('\n');
    if let Some(hint) = &c.hint {
        let _ = writeln!(out, "      hint: {hint}");
    }
    let _ = writeln!(out, "      Rust API: {}", verdict(&c.api));
    if c.old_client == c.new_client {
        let both = if c.old_client.breaking { "both ways" } else { "" };
        let label =
            if both.is_empty() { verdict(&c.old_client) } else { format!("BREAKING {both}: {}", c.old_client.reason) };
        let _ = writeln!(out, "      wire: {label}");
    } else {
        let _ = writeln!(out, "      wire, old client -> new service: {}", verdict(&c.old_client));
        let _ = writeln!(out, "      wire, new client -> old service: {}", verdict(&c.new_client));
    }
}

fn verdict(v: &Verdict) -> String {
    let label = if v.breaking { "BREAKING" } else { "compatible" };
    if v.reason.is_empty() { label.to_owned() } else { format!("{label}: {}", v.reason) }
}
