//! Reading raw XML text where a parser hides what a test must see.

/// Names of the attributes written on the start tag at `start` (which points at `<`),
/// including `xmlns` declarations, which roxmltree does not report as attributes.
pub fn start_tag_attribute_names(text: &str, start: usize) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut at = start + 1;
    while at < bytes.len() && !(bytes[at].is_ascii_whitespace() || bytes[at] == b'>' || bytes[at] == b'/') {
        at += 1;
    }
    let mut names = Vec::new();
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at >= bytes.len() || bytes[at] == b'>' || bytes[at] == b'/' {
            return names;
        }
        let name_start = at;
        while at < bytes.len() && bytes[at] != b'=' && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        names.push(text[name_start..at].to_owned());
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'=') {
            at += 1;
        }
        let quote = bytes[at] as char;
        let close = text[at + 1..].find(quote).expect("unterminated attribute value");
        at += close + 2;
    }
}
