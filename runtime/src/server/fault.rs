//! Writing SOAP faults (both versions) and choosing their HTTP status.

use crate::soap::{Fault, SOAP11_ENV_NS, SOAP12_ENV_NS, SoapVersion};
use crate::xml::XmlWriter;

/// The class of a fault, which decides its code in each SOAP version and its HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FaultClass {
    /// The message was wrong (SOAP 1.1 `Client`, 1.2 `Sender`).
    Sender,
    /// The service failed (SOAP 1.1 `Server`, 1.2 `Receiver`).
    Receiver,
    /// A header entry marked `mustUnderstand` was not understood.
    MustUnderstand,
    /// The envelope is not of the version this endpoint expects.
    VersionMismatch,
}

impl FaultClass {
    fn local(self, version: SoapVersion) -> &'static str {
        match (self, version) {
            (FaultClass::Sender, SoapVersion::Soap11) => "Client",
            (FaultClass::Sender, SoapVersion::Soap12) => "Sender",
            (FaultClass::Receiver, SoapVersion::Soap11) => "Server",
            (FaultClass::Receiver, SoapVersion::Soap12) => "Receiver",
            (FaultClass::MustUnderstand, _) => "MustUnderstand",
            (FaultClass::VersionMismatch, _) => "VersionMismatch",
        }
    }

    /// A fault of this class with the code of `version` in the envelope namespace.
    pub(crate) fn fault(self, version: SoapVersion, reason: impl Into<String>) -> Fault {
        Fault {
            version,
            code: format!("s:{}", self.local(version)),
            code_ns: Some(version.envelope_ns().to_owned()),
            reason: reason.into(),
            reason_lang: Some("en".to_owned()),
            ..Fault::default()
        }
    }
}

/// The HTTP status of a fault response. SOAP 1.1 (WS-I Basic Profile R1126) answers every
/// fault with 500; the SOAP 1.2 HTTP binding answers `Sender` faults with 400 and the others
/// with 500.
pub(crate) fn status_of(fault: &Fault, version: SoapVersion) -> u16 {
    if version == SoapVersion::Soap12 && fault.code_ns.as_deref() == Some(SOAP12_ENV_NS) {
        let local = fault.code.rsplit(':').next().unwrap_or_default();
        if local == "Sender" {
            return 400;
        }
    }
    500
}

/// Writes a whole fault envelope of `version`. A code in the envelope namespace (or with no
/// namespace) is written with the envelope's prefix; a code in another namespace gets a prefix
/// declared on the element that carries it. `detail` writes the detail's content, if any.
pub(crate) fn write_fault_envelope(
    w: &mut XmlWriter,
    version: SoapVersion,
    fault: &Fault,
    detail: Option<&dyn Fn(&mut XmlWriter)>,
) {
    w.raw("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    w.open("s:Envelope");
    w.attribute("xmlns:s", version.envelope_ns());
    w.close_open();
    w.raw("<s:Body><s:Fault>");
    let local = fault.code.rsplit(':').next().unwrap_or_default();
    let foreign = fault.code_ns.as_deref().filter(|ns| *ns != SOAP11_ENV_NS && *ns != SOAP12_ENV_NS);
    let code_tag = match version {
        SoapVersion::Soap11 => "faultcode",
        SoapVersion::Soap12 => "s:Value",
    };
    if version == SoapVersion::Soap12 {
        w.raw("<s:Code>");
    }
    w.open(code_tag);
    if let Some(ns) = foreign {
        w.attribute("xmlns:c", ns);
    }
    w.close_open();
    w.text(&if foreign.is_some() { format!("c:{local}") } else { format!("s:{local}") });
    w.end(code_tag);
    if version == SoapVersion::Soap12 {
        // Subcodes nest: Subcode/Value, then Subcode/Subcode/Value, ...
        for subcode in &fault.subcodes {
            w.raw("<s:Subcode><s:Value>");
            w.text(subcode);
            w.raw("</s:Value>");
        }
        for _ in &fault.subcodes {
            w.raw("</s:Subcode>");
        }
        w.raw("</s:Code><s:Reason>");
        w.open("s:Text");
        w.attribute("xml:lang", fault.reason_lang.as_deref().unwrap_or("en"));
        w.close_open();
        w.text(&fault.reason);
        w.raw("</s:Text></s:Reason>");
        w.optional("s:Node", &fault.node);
        w.optional("s:Role", &fault.actor);
    } else {
        w.open("faultstring");
        if let Some(lang) = &fault.reason_lang {
            w.attribute("xml:lang", lang);
        }
        w.close_open();
        w.text(&fault.reason);
        w.end("faultstring");
        w.optional("faultactor", &fault.actor);
    }
    let detail_tag = match version {
        SoapVersion::Soap11 => "detail",
        SoapVersion::Soap12 => "s:Detail",
    };
    match (detail, &fault.detail) {
        (Some(write), _) => {
            w.start(detail_tag);
            write(w);
            w.end(detail_tag);
        }
        (None, Some(raw)) => {
            w.open(detail_tag);
            w.raw_namespaces(raw);
            w.close_open();
            w.raw(&raw.xml);
            w.end(detail_tag);
        }
        (None, None) => {}
    }
    w.raw("</s:Fault></s:Body></s:Envelope>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raw::RawXml;
    use crate::soap::{Body, read_envelope};
    use crate::xml::DecodeLimits;

    fn round_trip(version: SoapVersion, fault: &Fault) -> Fault {
        let mut w = XmlWriter::new();
        write_fault_envelope(&mut w, version, fault, None);
        let bytes = w.into_inner();
        match read_envelope(&bytes, DecodeLimits::default(), &mut (), |_, _| Ok(())) {
            Ok((v, Body::Fault(read))) => {
                assert_eq!(v, version);
                *read
            }
            other => panic!("not a fault: {other:?}\n{}", String::from_utf8_lossy(&bytes)),
        }
    }

    #[test]
    fn faults_of_both_versions_read_back_equal() {
        for version in [SoapVersion::Soap11, SoapVersion::Soap12] {
            let mut fault = FaultClass::Receiver.fault(version, "it broke <badly> & \"loudly\"");
            fault.actor = Some("urn:actor".into());
            fault.detail = Some(RawXml {
                xml: "<e:Oops xmlns:e=\"urn:e\">1</e:Oops>".into(),
                namespaces: vec![("x".into(), "urn:x".into())],
            });
            if version == SoapVersion::Soap12 {
                fault.subcodes = vec!["a:First".into(), "a:Second".into()];
                fault.node = Some("urn:node".into());
            }
            let read = round_trip(version, &fault);
            assert_eq!(read.code, fault.code);
            assert_eq!(read.code_ns, fault.code_ns);
            assert_eq!(read.subcodes, fault.subcodes);
            assert_eq!(read.reason, fault.reason);
            assert_eq!(read.reason_lang, fault.reason_lang);
            assert_eq!(read.actor, fault.actor);
            assert_eq!(read.node, fault.node);
            assert_eq!(read.detail.as_ref().map(|d| &d.xml), fault.detail.as_ref().map(|d| &d.xml));
        }
    }

    #[test]
    fn a_code_in_its_own_namespace_keeps_it() {
        let fault = Fault {
            code: "app:Throttled".into(),
            code_ns: Some("urn:app".into()),
            reason: "slow down".into(),
            ..Fault::default()
        };
        for version in [SoapVersion::Soap11, SoapVersion::Soap12] {
            let read = round_trip(version, &fault);
            assert_eq!(read.code, "c:Throttled");
            assert_eq!(read.code_ns.as_deref(), Some("urn:app"));
        }
    }

    #[test]
    fn statuses_follow_each_version_s_http_binding() {
        let sender12 = FaultClass::Sender.fault(SoapVersion::Soap12, "bad");
        let receiver12 = FaultClass::Receiver.fault(SoapVersion::Soap12, "failed");
        let client11 = FaultClass::Sender.fault(SoapVersion::Soap11, "bad");
        assert_eq!(status_of(&sender12, SoapVersion::Soap12), 400);
        assert_eq!(status_of(&receiver12, SoapVersion::Soap12), 500);
        assert_eq!(status_of(&client11, SoapVersion::Soap11), 500);
    }
}
