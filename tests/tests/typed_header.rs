//! SOAP header parts declared with `type=` (`tests/wsdl/typed_header.wsdl`): the entry is an
//! element named after the part, in no namespace, of the part's type, as zeep writes and reads
//! it (the expected envelope below is zeep 4's, for the same call; zeep reads the reply's
//! `<trace>` entry as `{'Id': 't-1', 'Hop': 3}`). The generated server reads the request's entry
//! and answers with one, which the client returns.

mod typed_header {
    include!("../snapshots/typed_header.rs");
}

use typed_header::{
    Echo, EchoClient, EchoRequestHeaders, EchoResponse, EchoResponseHeaders, EchoServer, EchoService, Trace,
};
use wsdlgen_runtime::SoapVersion;
use wsdlgen_runtime::server::{Request, Response, serve};
use wsdlgen_tests::support::instance::{canonical, diff};

/// What zeep sends for `Echo(text="hi", _soapheaders={"priority": 2})`.
const ZEEP: &str = r#"<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Header><priority>2</priority></soap-env:Header><soap-env:Body><ns0:Echo xmlns:ns0="urn:th"><text>hi</text></ns0:Echo></soap-env:Body></soap-env:Envelope>"#;

#[test]
fn the_header_entry_is_the_part_named_element_as_zeep_writes_it() {
    let headers = EchoRequestHeaders { priority: Some(2) };
    let ours = wsdlgen_runtime::codegen::encode_request(SoapVersion::Soap11, &Echo { text: "hi".into() }, &headers);
    let ours = String::from_utf8(ours).unwrap();
    let difference = diff(&canonical(ZEEP).unwrap(), &canonical(&ours).unwrap());
    assert!(difference.is_none(), "{difference:?}\n{ours}");
}

struct Relay;

impl EchoService for Relay {
    async fn echo(&self, request: Request<Echo, EchoRequestHeaders>) -> typed_header::EchoResult<EchoResponse> {
        let hop = request.headers.priority.unwrap_or(-1);
        let trace = Trace { id: format!("t-{}", request.body.text.len()), hop };
        Ok(Response::new(EchoResponse { text: request.body.text })
            .with_headers(EchoResponseHeaders { trace: Some(trace) }))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_and_server_carry_typed_header_entries() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/echo", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(listener, EchoServer::new(Relay).into_service()));
    let client = EchoClient::new(&url).with_priority(3);
    let reply = client.call(&Echo { text: "hello".into() }).await.unwrap();
    assert_eq!(reply.body.text, "hello");
    assert_eq!(reply.headers.trace, Some(Trace { id: "t-5".into(), hop: 3 }));
    // zeep's own request, sent as it is, is understood; the reply carries `<trace>` unqualified.
    let reply = wsdlgen_runtime::default_http_client()
        .unwrap()
        .post(&url)
        .header("content-type", "text/xml; charset=utf-8")
        .header("soapaction", "\"urn:th/Echo\"")
        .body(ZEEP)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let text = reply.text().await.unwrap();
    assert!(text.contains("<trace><n0:Id>t-2</n0:Id><n0:Hop>2</n0:Hop></trace>"), "{text}");
    server.abort();
}
