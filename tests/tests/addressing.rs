//! WS-Addressing (`tests/wsdl/addressing.wsdl`): a binding that declares addressing (through a
//! WCF-style policy, or `wsaw:UsingAddressing` itself) gets clients that send `wsa:Action`,
//! `wsa:MessageID`, `wsa:ReplyTo` and `wsa:To`; a binding that does not, sends none. Replies
//! whose addressing headers are marked `mustUnderstand` (as WCF marks `wsa:Action`) decode.
//! The header entries validate against the W3C WS-Addressing 1.0 and SOAP 1.2 schemas (the
//! copies in `tests/corpus/onvif-devicemgmt/schema/common/`).

mod addressing {
    include!("../snapshots/addressing.rs");
}

use std::path::Path;

use addressing::{IClockBinding, IClockClient, TickerClient};
use roxmltree::Document;
use wsdlgen_runtime::codegen::addressing::{ANONYMOUS, WSA_NS};
use wsdlgen_tests::support::http::{Request, Response, TestServer};
use wsdlgen_tests::support::instance::{SOAP11_NS, SOAP12_NS, check_envelope, combined_schema, xmllint_batch};

/// The addressing headers of a request: (local name, text, mustUnderstand).
fn addressing_headers(request: &Request) -> Vec<(String, String, Option<String>)> {
    let text = request.body_text();
    let doc = Document::parse(&text).unwrap();
    let env = doc.root_element().tag_name().namespace().unwrap().to_owned();
    doc.descendants()
        .filter(|n| {
            n.tag_name().namespace() == Some(WSA_NS)
                && n.parent().is_some_and(|p| p.has_tag_name((env.as_str(), "Header")))
        })
        .map(|n| {
            let text = n.descendants().filter(|d| d.is_text()).map(|d| d.text().unwrap()).collect::<String>();
            (n.tag_name().name().to_owned(), text, n.attribute((env.as_str(), "mustUnderstand")).map(str::to_owned))
        })
        .collect()
}

fn reply(env_ns: &str, body: &str, action: &str) -> Response {
    // As WCF answers: the reply's action marked mustUnderstand, and RelatesTo.
    let xml = format!(
        r#"<s:Envelope xmlns:s="{env_ns}" xmlns:a="{WSA_NS}"><s:Header><a:Action s:mustUnderstand="1">{action}</a:Action><a:RelatesTo>urn:uuid:00000000-0000-4000-8000-000000000000</a:RelatesTo></s:Header><s:Body>{body}</s:Body></s:Envelope>"#
    );
    let content_type =
        if env_ns == SOAP12_NS { "application/soap+xml; charset=utf-8" } else { "text/xml; charset=utf-8" };
    Response::new(200, content_type, xml)
}

#[tokio::test]
async fn a_binding_without_addressing_sends_no_addressing_headers() {
    let server = TestServer::always(reply(
        SOAP11_NS,
        r#"<NowResponse xmlns="http://tempuri.org/"><NowResult>2026-11-29T08:00:00Z</NowResult></NowResponse>"#,
        "http://tempuri.org/IClock/NowResponse",
    ));
    let client = IClockClient::new(server.url());
    assert!(!client.soap_client().addressing());
    let now = client.now().await.unwrap();
    assert_eq!(now.to_string(), "2026-11-29T08:00:00Z");
    assert!(addressing_headers(&server.requests()[0]).is_empty());
}

#[tokio::test]
async fn a_policy_that_asserts_addressing_turns_it_on_for_its_binding() {
    let server = TestServer::start(|req| {
        if req.body_text().contains("<n0:Now") {
            reply(
                SOAP12_NS,
                r#"<NowResponse xmlns="http://tempuri.org/"><NowResult>2026-11-29T08:00:00Z</NowResult></NowResponse>"#,
                "http://tempuri.org/IClock/NowResponse",
            )
        } else {
            reply(
                SOAP12_NS,
                r#"<ResetResponse xmlns="http://tempuri.org/"/>"#,
                "http://tempuri.org/actions/resetResponse",
            )
        }
    });
    let client = IClockClient::new(server.url()).with_binding(IClockBinding::WsHttpBindingIClock);
    assert!(client.soap_client().addressing());
    client.now().await.unwrap();
    client.now().await.unwrap();
    client.reset().await.unwrap();

    let requests = server.requests();
    let url = server.url();
    let headers: Vec<_> = requests.iter().map(addressing_headers).collect();
    let names: Vec<&str> = headers[0].iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, ["Action", "MessageID", "ReplyTo", "To"]);
    let must = |h: &[(String, String, Option<String>)], name: &str| {
        h.iter().find(|(n, _, _)| n == name).map(|(_, t, m)| (t.clone(), m.clone())).unwrap()
    };
    // The action is the soapAction where there is one, else the port type's wsam:Action.
    assert_eq!(must(&headers[0], "Action"), ("http://tempuri.org/IClock/Now".into(), Some("1".into())));
    assert_eq!(must(&headers[2], "Action"), ("http://tempuri.org/actions/reset".into(), Some("1".into())));
    assert_eq!(must(&headers[0], "To"), (url.clone(), Some("1".into())));
    assert_eq!(must(&headers[0], "ReplyTo").0, ANONYMOUS);
    // A fresh message id per request.
    let (id0, id1) = (must(&headers[0], "MessageID").0, must(&headers[1], "MessageID").0);
    assert!(id0.starts_with("urn:uuid:") && id0 != id1, "{id0} {id1}");
    // SOAP 1.2: the action travels in the Content-Type as well.
    assert_eq!(
        requests[0].header("content-type"),
        Some(r#"application/soap+xml; charset=utf-8; action="http://tempuri.org/IClock/Now""#)
    );

    // An empty soapAction: the HTTP action is the addressing action (WS-Addressing's SOAP binding).
    assert_eq!(
        requests[2].header("content-type"),
        Some(r#"application/soap+xml; charset=utf-8; action="http://tempuri.org/actions/reset""#)
    );

    // Addressing off by hand: an empty SOAP 1.2 action is left out of the Content-Type.
    let mut plain = client.clone();
    plain.soap_client_mut().set_addressing(false);
    plain.reset().await.unwrap();
    let last = server.requests().pop().unwrap();
    assert_eq!(last.header("content-type"), Some("application/soap+xml; charset=utf-8"));
    assert!(addressing_headers(&last).is_empty());

    // Back to the basic binding: no more addressing.
    let client = client.with_binding(IClockBinding::BasicHttpBindingIClock);
    assert!(!client.soap_client().addressing());
}

#[tokio::test]
async fn using_addressing_on_the_binding_and_the_default_action() {
    let server = TestServer::always(reply(SOAP12_NS, r#"<TickResponse xmlns="http://tempuri.org/"/>"#, "x"));
    let client = TickerClient::new(server.url());
    client.tick().await.unwrap();
    let headers = addressing_headers(&server.requests()[0]);
    // No soapAction and no wsam:Action: `{namespace}/{port type}/{operation}Request`.
    assert_eq!(headers[0], ("Action".into(), "http://tempuri.org/Ticker/TickRequest".into(), Some("1".into())));
    assert_eq!(
        server.requests()[0].header("content-type"),
        Some(r#"application/soap+xml; charset=utf-8; action="http://tempuri.org/Ticker/TickRequest""#)
    );

    // The request envelope, addressing headers included, validates against the W3C schemas.
    let body = server.requests()[0].body_text();
    check_envelope(&body, SOAP12_NS).unwrap();
    let common = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/onvif-devicemgmt/schema/common");
    let dir = std::env::temp_dir().join(format!("wsdlgen-addressing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let schema = combined_schema(
        &dir,
        "envelope.xsd",
        &[(SOAP12_NS, &common.join("soap-envelope")), (WSA_NS, &common.join("ws-addr.xsd"))],
    );
    let broken = body.replace("mustUnderstand=\"1\"", "mustUnderstand=\"maybe\"");
    let verdicts = xmllint_batch(&schema, &[body.as_bytes(), broken.as_bytes()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(verdicts[0], Ok(()), "{body}");
    // The check can fail: mustUnderstand is a boolean in SOAP 1.2.
    assert!(verdicts[1].is_err(), "{broken}");
}

/// Without addressing, a reply whose addressing headers are marked mustUnderstand is still
/// understood; another header marked so is refused.
#[tokio::test]
async fn must_understand_addressing_headers_in_replies_are_understood() {
    let server = TestServer::always(reply(
        SOAP11_NS,
        r#"<NowResponse xmlns="http://tempuri.org/"><NowResult>2026-11-29T08:00:00Z</NowResult></NowResponse>"#,
        "http://tempuri.org/IClock/NowResponse",
    ));
    IClockClient::new(server.url()).now().await.unwrap();

    let other = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><x:Session xmlns:x="urn:x" s:mustUnderstand="1">1</x:Session></s:Header><s:Body><NowResponse xmlns="http://tempuri.org/"><NowResult>2026-11-29T08:00:00Z</NowResult></NowResponse></s:Body></s:Envelope>"#;
    let server = TestServer::always(Response::xml(200, other));
    let err = IClockClient::new(server.url()).now().await.unwrap_err().to_string();
    assert!(err.contains("{urn:x}Session"), "{err}");
}
