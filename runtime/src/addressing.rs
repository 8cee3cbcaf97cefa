//! WS-Addressing 1.0 (W3C, 2006): the message addressing headers a request carries when its
//! binding uses addressing (`wsaw:UsingAddressing`, or a `wsam:Addressing` policy), and the
//! namespaces whose headers a response may carry marked `mustUnderstand`.
//!
//! A request gets `wsa:Action` (the operation's action, `mustUnderstand`), `wsa:MessageID` (a
//! fresh `urn:uuid:`), `wsa:ReplyTo` (the anonymous address: the reply comes back on the HTTP
//! response) and `wsa:To` (the endpoint). See [`SoapClient::set_addressing`](crate::SoapClient::set_addressing).

use crate::xml::XmlWriter;

/// The WS-Addressing 1.0 namespace.
pub const WSA_NS: &str = "http://www.w3.org/2005/08/addressing";
/// The namespace of the 2004 member submission of WS-Addressing, which older services still use
/// in their responses.
pub const WSA_SUBMISSION_NS: &str = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
/// The anonymous address: "reply on the same connection".
pub const ANONYMOUS: &str = "http://www.w3.org/2005/08/addressing/anonymous";

/// Whether header entries in namespace `ns` are addressing headers, which a client understands:
/// they describe the message (action, identity, relation to the request), and replies of
/// services that use addressing mark them `mustUnderstand`.
pub fn is_addressing_ns(ns: &str) -> bool {
    ns == WSA_NS || ns == WSA_SUBMISSION_NS
}

/// The addressing headers of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressingHeaders<'a> {
    /// `wsa:Action`.
    pub action: &'a str,
    /// `wsa:To`: the endpoint address.
    pub to: &'a str,
    /// `wsa:MessageID`.
    pub message_id: String,
}

impl<'a> AddressingHeaders<'a> {
    /// The headers for a request with `action` to `to`, with a fresh message id.
    pub fn new(action: &'a str, to: &'a str) -> Self {
        Self { action, to, message_id: new_message_id() }
    }

    /// Writes the header entries; `env` is the prefix bound to the envelope namespace.
    pub fn write(&self, w: &mut XmlWriter, env: &str) {
        let must_understand = format!("{env}:mustUnderstand");
        let entry = |w: &mut XmlWriter, local: &str, must: bool| {
            w.open(&format!("wsa:{local}"));
            w.attribute("xmlns:wsa", WSA_NS);
            if must {
                w.attribute(&must_understand, "1");
            }
            w.close_open();
        };
        entry(w, "Action", true);
        w.text(self.action);
        w.end("wsa:Action");
        entry(w, "MessageID", false);
        w.text(&self.message_id);
        w.end("wsa:MessageID");
        entry(w, "ReplyTo", false);
        w.start("wsa:Address");
        w.text(ANONYMOUS);
        w.end("wsa:Address");
        w.end("wsa:ReplyTo");
        entry(w, "To", true);
        w.text(self.to);
        w.end("wsa:To");
    }
}

/// A new `urn:uuid:` message id (a random, version 4 UUID).
pub fn new_message_id() -> String {
    format!("urn:uuid:{}", uuid::Builder::from_random_bytes(unique_bytes()).into_uuid())
}

/// 16 random bytes for message ids and nonces. Without system randomness, bytes that at least
/// never repeat within the process (a counter, the time and the process id): what ids and nonces
/// need most.
pub(crate) fn unique_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    if getrandom::getrandom(&mut bytes).is_err() {
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        bytes[..8].copy_from_slice(&n.to_le_bytes());
        bytes[8..].copy_from_slice(&(nanos as u64 ^ u64::from(std::process::id())).to_le_bytes());
    }
    bytes
}

static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_fresh_version_4_uuids() {
        let (a, b) = (new_message_id(), new_message_id());
        assert_ne!(a, b);
        let uuid: uuid::Uuid = a.strip_prefix("urn:uuid:").unwrap().parse().unwrap();
        assert_eq!(uuid.get_version_num(), 4);
    }

    #[test]
    fn headers_are_written_with_must_understand_on_action_and_to() {
        let h = AddressingHeaders { action: "urn:a&b", to: "http://h/x", message_id: "urn:uuid:1".into() };
        let mut w = XmlWriter::new();
        h.write(&mut w, "s");
        let xml = String::from_utf8(w.into_inner()).unwrap();
        assert_eq!(
            xml,
            format!(
                "<wsa:Action xmlns:wsa=\"{WSA_NS}\" s:mustUnderstand=\"1\">urn:a&amp;b</wsa:Action>\
                 <wsa:MessageID xmlns:wsa=\"{WSA_NS}\">urn:uuid:1</wsa:MessageID>\
                 <wsa:ReplyTo xmlns:wsa=\"{WSA_NS}\"><wsa:Address>{ANONYMOUS}</wsa:Address></wsa:ReplyTo>\
                 <wsa:To xmlns:wsa=\"{WSA_NS}\" s:mustUnderstand=\"1\">http://h/x</wsa:To>"
            )
        );
    }
}
