//! rpc/literal (`tests/wsdl/rpc.wsdl`): the request is an element named after the operation in
//! the `soap:body` namespace with one unqualified element per part; the reply is `{op}Response`.

mod rpc {
    include!("../snapshots/rpc.rs");
}

use wsdlgen_tests::support::http::{Response, TestServer};

#[tokio::test]
async fn add_over_http() {
    let server = TestServer::always(Response::xml(
        200,
        r#"<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><c:AddResponse xmlns:c="urn:calc"><sum>42</sum></c:AddResponse></soapenv:Body></soapenv:Envelope>"#,
    ));
    let client = rpc::CalculatorClient::new(server.url());
    let sum = client.add(rpc::Operands { a: 40, b: 2 }, "answer".into()).await.unwrap();
    assert_eq!(sum, 42);
    let request = &server.requests()[0];
    assert_eq!(request.header("soapaction"), Some("\"urn:calc#Add\""));
    let body = request.body_text();
    assert!(body.contains("<n0:Add><operands><a>40</a><b>2</b></operands><label>answer</label></n0:Add>"), "{body}");
    assert!(body.contains(r#"xmlns:n0="urn:calc""#), "{body}");
}

/// A part named `foo` (a name clippy flags as a placeholder) is an ordinary parameter.
#[tokio::test]
async fn a_part_named_foo() {
    let server = TestServer::always(Response::xml(
        200,
        r#"<e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/"><e:Body><c:EchoResponse xmlns:c="urn:calc"><foo>back</foo></c:EchoResponse></e:Body></e:Envelope>"#,
    ));
    let echoed = rpc::CalculatorClient::new(server.url()).echo("there".into()).await.unwrap();
    assert_eq!(echoed, "back");
    assert!(server.requests()[0].body_text().contains("<n0:Echo><foo>there</foo></n0:Echo>"));
}
