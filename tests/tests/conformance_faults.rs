//! Faults and service errors, SOAP 1.1 and 1.2, decoded by `wsdlgen_runtime::codegen::decode_response`
//! for a generated operation.
//!
//! - SOAP faults with and without detail, `xml:lang` on the reason text, 1.2 subcodes, node and
//!   role, detail kept as raw XML and, where the detail element is a type of the schema, decoded
//!   with `Fault::decode_detail` (also when its prefix is declared on the envelope, far above
//!   the detail);
//! - `Succeeded = false` with an `ExceptionInfo` chain three `InnerException`s deep and a
//!   `Parameters` dictionary (with a nil value) decodes fully into the service error, compared
//!   with the value the XML was written from.

use services87::user::{NS0, SaveCredential, SoExceptionInfo, UserResponseHeaders};
use wsdlgen_runtime::{DecodeLimits, Dictionary, Error, Fault, Nillable, SoapVersion};
use wsdlgen_tests::support::instance::{SOAP11_NS, SOAP12_NS, assert_same_xml};

type Reply = wsdlgen_runtime::Reply<services87::user::SaveCredentialResponse, UserResponseHeaders>;

fn decode(envelope: &str) -> Result<Reply, services87::user::Error> {
    wsdlgen_runtime::codegen::decode_response::<SaveCredential>(envelope.as_bytes(), DecodeLimits::default())
}

fn fault(envelope: &str) -> Fault {
    match decode(envelope) {
        Err(Error::Fault(f)) => *f,
        other => panic!("expected a fault, got {other:?}\n{envelope}"),
    }
}

fn service_error(envelope: &str) -> SoExceptionInfo {
    match decode(envelope) {
        Err(Error::Service(e)) => *e,
        other => panic!("expected a service error, got {other:?}\n{envelope}"),
    }
}

/// An `SoExceptionInfo` as WCF writes it inside a detail (default namespace, `i:` for xsi).
const EXCEPTION_DETAIL: &str = r#"<SoExceptionInfo xmlns="http://www.superoffice.net/ws/crm/NetServer/Services87" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Message>Ticket expired &lt;7T:abc&gt;</Message><StackTrace i:nil="true"/><FriendlyText>Log in again</FriendlyText><ExceptionType>SoSessionException</ExceptionType><Source>NetServer</Source></SoExceptionInfo>"#;

fn exception_detail_value() -> SoExceptionInfo {
    SoExceptionInfo {
        message: "Ticket expired <7T:abc>".into(),
        stack_trace: Nillable::Nil,
        friendly_text: "Log in again".into(),
        exception_type: "SoSessionException".into(),
        source: "NetServer".into(),
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------------------------
// SOAP 1.1
// ---------------------------------------------------------------------------------------------

#[test]
fn soap11_fault_without_detail() {
    let f = fault(
        r#"<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">
  <s:Body>
    <s:Fault>
      <faultcode>s:Client</faultcode>
      <faultstring xml:lang="en-US">The message could not be processed &amp; was rejected</faultstring>
    </s:Fault>
  </s:Body>
</s:Envelope>"#,
    );
    assert_eq!(f.version, SoapVersion::Soap11);
    assert_eq!(f.code, "s:Client");
    assert_eq!(f.code_ns.as_deref(), Some(SOAP11_NS));
    assert_eq!(f.reason, "The message could not be processed & was rejected");
    assert_eq!(f.reason_lang.as_deref(), Some("en-US"));
    assert_eq!((f.actor, f.node, f.detail), (None, None, None));
    assert!(f.subcodes.is_empty());
}

#[test]
fn soap11_fault_with_typed_detail() {
    let envelope = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><ActivityId xmlns="http://schemas.microsoft.com/2004/09/ServiceModel/Diagnostics">0d7e6c2a-3f4b-4a8e-9c1d-7b2e5f8a9c01</ActivityId></s:Header><s:Body><s:Fault xmlns:a="urn:app"><faultcode>a:Session</faultcode><faultstring xml:lang="nb-NO">Økten er utløpt</faultstring><faultactor>https://host/Remote/Services87/User.svc</faultactor><detail>{EXCEPTION_DETAIL}</detail></s:Fault></s:Body></s:Envelope>"#
    );
    let f = fault(&envelope);
    assert_eq!(f.code, "a:Session");
    assert_eq!(f.code_ns.as_deref(), Some("urn:app"));
    assert_eq!(f.reason, "Økten er utløpt");
    assert_eq!(f.reason_lang.as_deref(), Some("nb-NO"));
    assert_eq!(f.actor.as_deref(), Some("https://host/Remote/Services87/User.svc"));
    let detail = f.detail.as_ref().expect("detail kept");
    // The raw XML is the detail's content exactly as sent.
    assert_eq!(detail.xml, EXCEPTION_DETAIL);
    let typed = f.decode_detail::<SoExceptionInfo>(NS0, "SoExceptionInfo").expect("a detail").expect("decodes");
    assert_eq!(typed, exception_detail_value());
    // Asking for another element is an error, not a silent default.
    assert!(f.decode_detail::<SoExceptionInfo>(NS0, "SomethingElse").expect("a detail").is_err());
}

/// The detail element's prefix is declared on the envelope: the raw XML must keep the binding
/// so that the detail still decodes on its own.
#[test]
fn detail_prefix_declared_on_the_envelope() {
    let f = fault(&format!(
        r#"<soap:Envelope xmlns:soap="{SOAP11_NS}" xmlns:so="{NS0}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>boom</faultstring>
    <detail><so:SoExceptionInfo><so:Message>deep</so:Message><so:Source xsi:nil="true"/><so:InnerException><so:Message>inner</so:Message></so:InnerException></so:SoExceptionInfo></detail>
  </soap:Fault></soap:Body></soap:Envelope>"#
    ));
    let typed = f.decode_detail::<SoExceptionInfo>(NS0, "SoExceptionInfo").expect("a detail").expect("decodes");
    assert_eq!(
        typed,
        SoExceptionInfo {
            message: "deep".into(),
            source: Nillable::Nil,
            inner_exception: Nillable::Value(Box::new(SoExceptionInfo {
                message: "inner".into(),
                ..Default::default()
            })),
            ..Default::default()
        }
    );
    assert!(f.reason_lang.is_none());
}

/// A WCF `ExceptionDetail` (not a type of this WSDL) stays raw XML, untouched.
#[test]
fn untyped_detail_is_kept_as_raw_xml() {
    let detail = r#"<ExceptionDetail xmlns="http://schemas.datacontract.org/2004/07/System.ServiceModel" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><HelpLink i:nil="true"/><InnerException i:nil="true"/><Message>Object reference not set</Message><StackTrace>   at X.Y()&#xD;
   at Z()</StackTrace><Type>System.NullReferenceException</Type></ExceptionDetail>"#;
    let f = fault(&format!(
        r#"<s:Envelope xmlns:s="{SOAP11_NS}"><s:Body><s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher">a:InternalServiceFault</faultcode><faultstring xml:lang="en-US">Object reference not set</faultstring><detail>{detail}</detail></s:Fault></s:Body></s:Envelope>"#
    ));
    let raw = f.detail.as_ref().expect("detail");
    assert_eq!(raw.xml, detail);
    // Written back, it is the same XML (canonically) as received.
    let mut w = wsdlgen_runtime::codegen::XmlWriter::new();
    wsdlgen_runtime::Encode::encode(raw, &mut w, "detail");
    let written = String::from_utf8(w.into_inner()).unwrap();
    assert_same_xml(&format!("<detail>{detail}</detail>"), &written).unwrap();
    assert!(f.decode_detail::<SoExceptionInfo>(NS0, "SoExceptionInfo").expect("a detail").is_err());
}

/// WCF declares the prefix of a fault code on the code element itself:
/// `<faultcode xmlns:a="http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher">a:InternalServiceFault</faultcode>`
/// (SOAP 1.2: `<s:Value xmlns:a="...">a:InternalServiceFault</s:Value>`). The code's namespace
/// must resolve against that declaration.
#[test]
fn fault_code_prefix_declared_on_the_code_element() {
    const DISPATCHER: &str = "http://schemas.microsoft.com/net/2005/12/windowscommunicationfoundation/dispatcher";
    let f11 = fault(&format!(
        r#"<s:Envelope xmlns:s="{SOAP11_NS}"><s:Body><s:Fault><faultcode xmlns:a="{DISPATCHER}">a:InternalServiceFault</faultcode><faultstring xml:lang="en-US">The server was unable to process the request</faultstring></s:Fault></s:Body></s:Envelope>"#
    ));
    assert_eq!(f11.code, "a:InternalServiceFault");
    assert_eq!(f11.code_ns.as_deref(), Some(DISPATCHER), "SOAP 1.1");
    let f12 = fault(&format!(
        r#"<s:Envelope xmlns:s="{SOAP12_NS}"><s:Body><s:Fault><s:Code><s:Value xmlns:a="{DISPATCHER}">a:InternalServiceFault</s:Value></s:Code><s:Reason><s:Text xml:lang="en-US">The server was unable to process the request</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>"#
    ));
    assert_eq!(f12.code, "a:InternalServiceFault");
    assert_eq!(f12.code_ns.as_deref(), Some(DISPATCHER), "SOAP 1.2");
}

// ---------------------------------------------------------------------------------------------
// SOAP 1.2
// ---------------------------------------------------------------------------------------------

#[test]
fn soap12_fault_without_detail() {
    let f = fault(&format!(
        r#"<env:Envelope xmlns:env="{SOAP12_NS}"><env:Body><env:Fault>
  <env:Code><env:Value>env:Sender</env:Value></env:Code>
  <env:Reason><env:Text xml:lang="en">Invalid ticket</env:Text></env:Reason>
</env:Fault></env:Body></env:Envelope>"#
    ));
    assert_eq!(f.version, SoapVersion::Soap12);
    assert_eq!(f.code, "env:Sender");
    assert_eq!(f.code_ns.as_deref(), Some(SOAP12_NS));
    assert!(f.subcodes.is_empty());
    assert_eq!(f.reason, "Invalid ticket");
    assert_eq!(f.reason_lang.as_deref(), Some("en"));
    assert_eq!((f.actor, f.node, f.detail), (None, None, None));
}

#[test]
fn soap12_fault_with_subcodes_and_typed_detail() {
    let f = fault(&format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<s:Envelope xmlns:s="{SOAP12_NS}" xmlns:a="http://www.w3.org/2005/08/addressing">
  <s:Header>
    <a:Action s:mustUnderstand="1">http://www.w3.org/2005/08/addressing/soap/fault</a:Action>
  </s:Header>
  <s:Body>
    <s:Fault>
      <s:Code>
        <s:Value>s:Receiver</s:Value>
        <s:Subcode>
          <s:Value xmlns:w="urn:wcf">w:InternalServiceFault</s:Value>
          <s:Subcode><s:Value xmlns:so="urn:so">so:TicketExpired</s:Value></s:Subcode>
        </s:Subcode>
      </s:Code>
      <s:Reason>
        <s:Text xml:lang="nb-NO">Billetten er utløpt</s:Text>
        <s:Text xml:lang="en-US">The ticket has expired</s:Text>
      </s:Reason>
      <s:Node>https://host/node</s:Node>
      <s:Role>http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver</s:Role>
      <s:Detail>{EXCEPTION_DETAIL}</s:Detail>
    </s:Fault>
  </s:Body>
</s:Envelope>"#
    ));
    assert_eq!(f.version, SoapVersion::Soap12);
    assert_eq!(f.code, "s:Receiver");
    assert_eq!(f.code_ns.as_deref(), Some(SOAP12_NS));
    assert_eq!(f.subcodes, ["w:InternalServiceFault", "so:TicketExpired"]);
    assert_eq!(f.reason, "Billetten er utløpt", "the first Text");
    assert_eq!(f.reason_lang.as_deref(), Some("nb-NO"));
    assert_eq!(f.node.as_deref(), Some("https://host/node"));
    assert_eq!(f.actor.as_deref(), Some("http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver"));
    assert_eq!(f.detail.as_ref().expect("detail").xml, EXCEPTION_DETAIL);
    let typed = f.decode_detail::<SoExceptionInfo>(NS0, "SoExceptionInfo").expect("a detail").expect("decodes");
    assert_eq!(typed, exception_detail_value());
}

// ---------------------------------------------------------------------------------------------
// Succeeded = false
// ---------------------------------------------------------------------------------------------

/// Three levels of `InnerException` below the top, each with its own parameters.
fn exception_chain() -> SoExceptionInfo {
    let params = |pairs: &[(Option<&str>, Option<&str>)]| {
        Nillable::Value(
            pairs.iter().map(|(k, v)| (k.map(str::to_owned), v.map(str::to_owned))).collect::<Dictionary<_, _>>(),
        )
    };
    let level3 = SoExceptionInfo {
        message: "Connection refused".into(),
        stack_trace: "   at Socket.Connect()".into(),
        exception_type: "System.Net.Sockets.SocketException".into(),
        source: "System".into(),
        inner_exception: Nillable::Nil,
        parameters: params(&[(Some("Port"), Some("1433"))]),
        ..Default::default()
    };
    let level2 = SoExceptionInfo {
        message: "Database unavailable".into(),
        friendly_text: Nillable::Nil,
        exception_type: "SoDatabaseException".into(),
        inner_exception: Nillable::Value(Box::new(level3)),
        parameters: params(&[]),
        ..Default::default()
    };
    let level1 = SoExceptionInfo {
        message: "Could not save the credential".into(),
        exception_type: "SoDataException".into(),
        inner_exception: Nillable::Value(Box::new(level2)),
        ..Default::default()
    };
    SoExceptionInfo {
        message: "Save failed: <credential> & \"ticket\"".into(),
        stack_trace: "   at UserAgent.SaveCredential(Int32 userId)\r\n   at Dispatcher.Invoke()".into(),
        friendly_text: "Det gikk ikke å lagre påloggingen".into(),
        exception_type: "SoServerException".into(),
        source: "SuperOffice.Services87".into(),
        inner_exception: Nillable::Value(Box::new(level1)),
        parameters: params(&[(Some("UserId"), Some("42")), (Some("Type"), None), (None, Some("no key"))]),
    }
}

/// The exception chain as WCF writes the `ExceptionInfo` header entry.
const EXCEPTION_INFO: &str = r#"<h:ExceptionInfo xmlns:h="http://www.superoffice.net/ws/crm/NetServer/Services87" xmlns="http://www.superoffice.net/ws/crm/NetServer/Services87" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
      <Message>Save failed: &lt;credential&gt; &amp; "ticket"</Message>
      <StackTrace>   at UserAgent.SaveCredential(Int32 userId)&#xD;
   at Dispatcher.Invoke()</StackTrace>
      <FriendlyText>Det gikk ikke å lagre påloggingen</FriendlyText>
      <ExceptionType>SoServerException</ExceptionType>
      <Source>SuperOffice.Services87</Source>
      <InnerException>
        <Message>Could not save the credential</Message>
        <ExceptionType>SoDataException</ExceptionType>
        <InnerException i:type="SoExceptionInfo">
          <Message>Database unavailable</Message>
          <FriendlyText i:nil="true"/>
          <ExceptionType>SoDatabaseException</ExceptionType>
          <InnerException>
            <Message>Connection refused</Message>
            <StackTrace>   at Socket.Connect()</StackTrace>
            <ExceptionType>System.Net.Sockets.SocketException</ExceptionType>
            <Source>System</Source>
            <InnerException i:nil="true"/>
            <Parameters><SoExceptionInfoParametersKeyValuePair><Key>Port</Key><Value>1433</Value></SoExceptionInfoParametersKeyValuePair></Parameters>
          </InnerException>
          <Parameters/>
        </InnerException>
      </InnerException>
      <Parameters>
        <SoExceptionInfoParametersKeyValuePair><Key>UserId</Key><Value>42</Value></SoExceptionInfoParametersKeyValuePair>
        <SoExceptionInfoParametersKeyValuePair><Key>Type</Key><Value i:nil="true"/></SoExceptionInfoParametersKeyValuePair>
        <SoExceptionInfoParametersKeyValuePair><Key i:nil="true"/><Value>no key</Value></SoExceptionInfoParametersKeyValuePair>
      </Parameters>
    </h:ExceptionInfo>"#;

fn failed_envelope(env_ns: &str, succeeded: &str) -> String {
    format!(
        r#"<s:Envelope xmlns:s="{env_ns}">
  <s:Header>
    <ActivityId CorrelationId="4f1c8d2e-5b0a-4c47-9d0e-2f0f5b7a1c33" xmlns="http://schemas.microsoft.com/2004/09/ServiceModel/Diagnostics">0d7e6c2a-3f4b-4a8e-9c1d-7b2e5f8a9c01</ActivityId>
    {EXCEPTION_INFO}
    <h:ExtraInfo i:nil="true" xmlns:h="{NS0}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/>
    <h:Succeeded xmlns:h="{NS0}">{succeeded}</h:Succeeded>
    <h:TimeZone i:nil="true" xmlns:h="{NS0}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/>
  </s:Header>
  <s:Body><SaveCredentialResponse xmlns="{NS0}"><Response>false</Response></SaveCredentialResponse></s:Body>
</s:Envelope>"#
    )
}

#[test]
fn succeeded_false_gives_the_whole_exception_chain() {
    for env_ns in [SOAP11_NS, SOAP12_NS] {
        for succeeded in ["false", "0", " false\n"] {
            let info = service_error(&failed_envelope(env_ns, succeeded));
            assert_eq!(info, exception_chain(), "{env_ns} Succeeded={succeeded:?}");
        }
    }
    // The chain, walked as an application would.
    let info = service_error(&failed_envelope(SOAP11_NS, "false"));
    let mut depth = 0;
    let mut at = &info;
    while let Nillable::Value(inner) = &at.inner_exception {
        depth += 1;
        at = inner;
    }
    assert_eq!(depth, 3);
    assert_eq!(at.message.value().map(String::as_str), Some("Connection refused"));
    let params = info.parameters.value().expect("parameters");
    assert_eq!(params.get_str("UserId"), Some(&Some("42".to_owned())));
    assert_eq!(params.get_str("Type"), Some(&None));
    assert_eq!(params.len(), 3);
}

#[test]
fn succeeded_true_keeps_the_headers_and_the_body() {
    let reply = decode(&failed_envelope(SOAP12_NS, "true")).expect("a successful reply");
    assert_eq!(reply.version, SoapVersion::Soap12);
    assert_eq!(reply.body.response, Some(false));
    assert_eq!(reply.headers.succeeded, Some(true));
    assert_eq!(reply.headers.exception_info, Nillable::Value(exception_chain()));
    assert_eq!(reply.headers.extra_info, Nillable::Nil);
    assert_eq!(reply.headers.time_zone, Nillable::Nil);
}

/// `Succeeded = false` without `ExceptionInfo` is still a service error (with nothing in it).
#[test]
fn succeeded_false_without_exception_info() {
    let envelope = format!(
        r#"<s:Envelope xmlns:s="{SOAP11_NS}"><s:Header><h:Succeeded xmlns:h="{NS0}">false</h:Succeeded></s:Header><s:Body><SaveCredentialResponse xmlns="{NS0}"/></s:Body></s:Envelope>"#
    );
    assert_eq!(service_error(&envelope), SoExceptionInfo::default());
}
