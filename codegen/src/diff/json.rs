//! The JSON report, for CI tools. Its schema is documented in the README ("When the WSDL
//! changes") and versioned by its `version` member; members are only ever added.

use std::fmt::Write;

use super::report::{Change, DiffReport, Verdict};

/// Renders `report` as JSON (documentation-only changes only with `docs`), pretty-printed with
/// two spaces, members in a fixed order.
pub(super) fn render(report: &DiffReport, docs: bool) -> String {
    let shown: Vec<&Change> = report.shown(docs).collect();
    let mut out = String::new();
    out.push_str("{\n");
    let _ = writeln!(out, "  \"format\": \"wsdlgen-diff\",");
    let _ = writeln!(out, "  \"version\": 1,");
    let _ = writeln!(out, "  \"old\": {},", string(&report.old.display().to_string()));
    let _ = writeln!(out, "  \"new\": {},", string(&report.new.display().to_string()));
    let _ = writeln!(out, "  \"summary\": {{");
    let _ = writeln!(out, "    \"changes\": {},", shown.len());
    let _ = writeln!(out, "    \"api_breaking\": {},", shown.iter().filter(|c| c.api.breaking).count());
    let _ = writeln!(out, "    \"wire_breaking\": {},", shown.iter().filter(|c| c.breaks_wire()).count());
    let _ = writeln!(out, "    \"old_client_breaking\": {},", shown.iter().filter(|c| c.old_client.breaking).count());
    let _ = writeln!(out, "    \"new_client_breaking\": {},", shown.iter().filter(|c| c.new_client.breaking).count());
    let _ = writeln!(out, "    \"documentation_not_shown\": {}", report.changes.len() - shown.len());
    let _ = writeln!(out, "  }},");
    if shown.is_empty() {
        out.push_str("  \"changes\": []\n}\n");
        return out;
    }
    out.push_str("  \"changes\": [\n");
    for (i, c) in shown.iter().enumerate() {
        out.push_str("    {\n");
        let _ = writeln!(out, "      \"kind\": \"{}\",", c.kind.as_str());
        let _ = writeln!(out, "      \"item\": \"{}\",", c.item.as_str());
        let path: Vec<String> = c.path.iter().map(|p| string(p)).collect();
        let _ = writeln!(out, "      \"path\": [{}],", path.join(", "));
        let _ = writeln!(out, "      \"rust\": {},", optional(c.rust.as_deref()));
        let _ = writeln!(out, "      \"old\": {},", optional(c.old.as_deref()));
        let _ = writeln!(out, "      \"new\": {},", optional(c.new.as_deref()));
        let _ = writeln!(out, "      \"api\": {},", verdict(&c.api));
        let _ = writeln!(out, "      \"wire\": {{");
        let _ = writeln!(out, "        \"old_client\": {},", verdict(&c.old_client));
        let _ = writeln!(out, "        \"new_client\": {}", verdict(&c.new_client));
        let _ = writeln!(out, "      }},");
        let _ = writeln!(out, "      \"hint\": {}", optional(c.hint.as_deref()));
        out.push_str(if i + 1 == shown.len() { "    }\n" } else { "    },\n" });
    }
    out.push_str("  ]\n}\n");
    out
}

fn verdict(v: &Verdict) -> String {
    format!("{{ \"breaking\": {}, \"reason\": {} }}", v.breaking, string(&v.reason))
}

fn optional(s: Option<&str>) -> String {
    s.map_or_else(|| "null".to_owned(), string)
}

/// A JSON string literal.
fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(string("a\"b\\c\nd\u{1}é"), "\"a\\\"b\\\\c\\nd\\u0001é\"");
    }
}
