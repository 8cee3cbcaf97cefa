//! Secrets out of XML shown to people: the envelopes a client traces and the excerpts decode
//! errors keep. The values of the elements and attributes the bindings mark secret (the names
//! generated `Debug` impls redact, `Operation::SECRETS`, matched by local name in any
//! namespace, and WS-Security's `Password`) are replaced by `[redacted]`; the rest is shown as
//! received.
//!
//! Redaction needs the document's structure, so what is not well-formed XML is shown only up to
//! where it stops being so, and never from inside an element whose value is secret.

use std::fmt;
use std::ops::Range;

use super::{DecodeLimits, Start, XmlReader};
use crate::security::WSSE_NS;

/// What replaces a secret value.
const REDACTED: &str = "[redacted]";

/// Which `(namespace, local name)` pairs hold secrets.
#[derive(Clone, Copy)]
pub(crate) struct Secrets<'s>(pub(crate) &'s [(&'s str, &'s str)]);

impl Secrets<'_> {
    /// Matched by local name in any namespace: a peer may qualify an element the bindings do not
    /// (rpc/encoded accessors, a service's other version), and showing a secret costs more than
    /// hiding a value that only shares its name.
    fn contains(&self, ns: &str, local: &str) -> bool {
        (ns == WSSE_NS && local == "Password") || self.0.iter().any(|&(_, l)| l == local)
    }
}

/// Where the secrets of a document are.
struct Found {
    /// Byte ranges of secret values, in document order, not overlapping.
    ranges: Vec<Range<usize>>,
    /// How much of the document may be shown: all of it, or what precedes the point where it
    /// stopped being well-formed (or the secret element in which it did).
    shown: usize,
}

/// Finds the secret values of `xml`.
fn find(xml: &[u8], secrets: Secrets<'_>) -> Found {
    let base = xml.as_ptr() as usize;
    let mut found = Found { ranges: Vec::new(), shown: xml.len() };
    let mut r = XmlReader::with_limits(xml, DecodeLimits::default());
    // Where the content of the secret element being read starts, while it is read.
    let mut open_secret = None;
    let outcome = r.root().and_then(|root| {
        visit(&mut r, &root, secrets, base, &mut found.ranges, &mut open_secret)?;
        r.finish()
    });
    if let Err(e) = outcome {
        let stop = usize::try_from(e.offset).unwrap_or(usize::MAX).min(xml.len());
        found.shown = open_secret.map_or(stop, |at: usize| at.min(stop));
        found.ranges.retain(|range| range.end <= found.shown);
    }
    found
}

fn visit<'a>(
    r: &mut XmlReader<'a>,
    start: &Start<'a>,
    secrets: Secrets<'_>,
    base: usize,
    ranges: &mut Vec<Range<usize>>,
    open_secret: &mut Option<usize>,
) -> Result<(), super::DecodeError> {
    for (ns, local, raw) in r.raw_attributes(start) {
        if ns.is_some_and(|ns| secrets.contains(&ns, local)) && !raw.is_empty() {
            let at = raw.as_ptr() as usize - base;
            ranges.push(at..at + raw.len());
        }
    }
    while let Some(child) = r.next_child()? {
        if secrets.contains(child.ns(), child.local()) {
            // The child's attributes first (they come before its content).
            for (ns, local, raw) in r.raw_attributes(&child) {
                if ns.is_some_and(|ns| secrets.contains(&ns, local)) && !raw.is_empty() {
                    let at = raw.as_ptr() as usize - base;
                    ranges.push(at..at + raw.len());
                }
            }
            let content_start = r.rest().as_ptr() as usize - base;
            *open_secret = Some(content_start);
            let inner = r.inner_xml(&child)?;
            *open_secret = None;
            if !inner.is_empty() {
                let at = inner.as_ptr() as usize - base;
                ranges.push(at..at + inner.len());
            }
        } else {
            visit(r, &child, secrets, base, ranges, open_secret)?;
        }
    }
    Ok(())
}

/// `xml[window]` with its secret values replaced (a secret that starts in the window is
/// replaced whole, and the window ends where the document may no longer be shown).
fn render(xml: &[u8], found: &Found, window: Range<usize>, out: &mut String) {
    let end = window.end.min(found.shown);
    let mut at = window.start.min(end);
    for range in &found.ranges {
        if range.end <= at {
            continue;
        }
        if range.start >= end {
            break;
        }
        out.push_str(&String::from_utf8_lossy(&xml[at..range.start.max(at)]));
        out.push_str(REDACTED);
        at = range.end;
    }
    if at < end {
        out.push_str(&String::from_utf8_lossy(&xml[at..end]));
    }
}

/// A whole message with its secrets redacted, for a trace: formatting does the work, so a
/// message no subscriber wants costs nothing.
pub(crate) struct RedactedXml<'a> {
    pub(crate) xml: &'a [u8],
    pub(crate) secrets: Secrets<'a>,
}

impl fmt::Display for RedactedXml<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let found = find(self.xml, self.secrets);
        let mut out = String::with_capacity(self.xml.len());
        render(self.xml, &found, 0..self.xml.len(), &mut out);
        f.write_str(&out)?;
        if found.shown < self.xml.len() {
            write!(f, "[{} more bytes not shown: not well-formed XML]", self.xml.len() - found.shown)?;
        }
        Ok(())
    }
}

/// At most this many bytes on each side of the offset in an excerpt.
const EXCERPT_SIDE: usize = 80;

/// The part of `xml` around byte `offset`, secrets redacted, on one line: what a decode error
/// keeps so that "at byte 812" can be read without the message at hand.
pub(crate) fn excerpt_around(xml: &[u8], offset: usize, secrets: Secrets<'_>) -> String {
    let found = find(xml, secrets);
    let offset = offset.min(xml.len());
    let mut start = offset.saturating_sub(EXCERPT_SIDE);
    let mut end = (offset + EXCERPT_SIDE).min(xml.len());
    // Whole characters only.
    while start > 0 && !is_char_start(xml[start]) {
        start -= 1;
    }
    while end < xml.len() && !is_char_start(xml[end]) {
        end += 1;
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    render(xml, &found, start..end, &mut out);
    if end < found.shown.min(xml.len()) {
        out.push('…');
    }
    out.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

fn is_char_start(byte: u8) -> bool {
    (byte as i8) >= -0x40
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRETS: &[(&str, &str)] = &[("urn:t", "Ticket"), ("", "token")];

    fn redacted(xml: &str) -> String {
        RedactedXml { xml: xml.as_bytes(), secrets: Secrets(SECRETS) }.to_string()
    }

    #[test]
    fn secret_elements_and_attributes_are_replaced_wherever_they_are() {
        let xml = r#"<e xmlns:t="urn:t"><t:Ticket>7T:abc==</t:Ticket><a token="k1" b="x"><Ticket>in no namespace</Ticket><x:Ticket xmlns:x="urn:t"><deep>s</deep></x:Ticket><Tickets>1</Tickets></a><t:Ticket/></e>"#;
        assert_eq!(
            redacted(xml),
            r#"<e xmlns:t="urn:t"><t:Ticket>[redacted]</t:Ticket><a token="[redacted]" b="x"><Ticket>[redacted]</Ticket><x:Ticket xmlns:x="urn:t">[redacted]</x:Ticket><Tickets>1</Tickets></a><t:Ticket/></e>"#
        );
    }

    #[test]
    fn ws_security_passwords_are_always_secret() {
        let xml = format!(
            r#"<s:Envelope xmlns:s="urn:s"><s:Header><o:Security xmlns:o="{WSSE_NS}"><o:UsernameToken><o:Username>jane</o:Username><o:Password Type="t">secret</o:Password></o:UsernameToken></o:Security></s:Header></s:Envelope>"#
        );
        let out = RedactedXml { xml: xml.as_bytes(), secrets: Secrets(&[]) }.to_string();
        assert!(out.contains("<o:Username>jane</o:Username><o:Password Type=\"t\">[redacted]</o:Password>"), "{out}");
    }

    #[test]
    fn what_is_not_well_formed_is_shown_only_up_to_where_it_stops_being_so() {
        // Broken inside a secret: nothing from the secret's start on.
        let xml = r#"<e xmlns:t="urn:t"><t:Ticket>7T:abc&bad;def</t:Ticket></e>"#;
        let shown = r#"<e xmlns:t="urn:t"><t:Ticket>"#;
        let out = redacted(xml);
        assert_eq!(out, format!("{shown}[{} more bytes not shown: not well-formed XML]", xml.len() - shown.len()));
        assert!(!out.contains("7T"));
        // Broken after a secret: the secret redacted, the rest up to the error shown.
        let out = redacted(r#"<e xmlns:t="urn:t"><t:Ticket>abc</t:Ticket><x>1</y></e>"#);
        assert!(out.starts_with(r#"<e xmlns:t="urn:t"><t:Ticket>[redacted]</t:Ticket><x>1"#), "{out}");
        assert!(out.ends_with("not shown: not well-formed XML]"), "{out}");
        // Not XML at all.
        assert_eq!(redacted("<html"), "[5 more bytes not shown: not well-formed XML]");
    }

    #[test]
    fn excerpts_are_windows_with_secrets_redacted() {
        let filler = "<f>x</f>".repeat(30);
        let xml = format!(r#"<e xmlns:t="urn:t">{filler}<t:Ticket>7T:abc==</t:Ticket><n>notanumber</n>{filler}</e>"#);
        let offset = xml.find("<n>").unwrap();
        let out = excerpt_around(xml.as_bytes(), offset, Secrets(SECRETS));
        assert!(out.starts_with('…') && out.ends_with('…'), "{out}");
        assert!(out.contains("<t:Ticket>[redacted]</t:Ticket><n>notanumber</n>"), "{out}");
        assert!(!out.contains("7T"));
        assert!(out.len() <= 2 * EXCERPT_SIDE + 2 * '…'.len_utf8() + REDACTED.len(), "{out}");
        // Line breaks become spaces; multi-byte characters are not cut.
        let xml = "<e>\n".to_owned() + &"é".repeat(100) + "</e>";
        let out = excerpt_around(xml.as_bytes(), 101, Secrets(SECRETS));
        assert!(!out.contains('\n') && !out.contains('\u{FFFD}'), "{out}");
    }
}
