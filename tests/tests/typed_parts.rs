//! Document-style parts declared with `type=` (`tests/wsdl/typed_parts.wsdl`): the body element
//! is the part's name in no namespace, with the part's type, as zeep writes it (the expected
//! envelope below is zeep 4's, for the same call); the generated server reads it and answers
//! with the `total` part, which the client returns.

mod typed_parts {
    include!("../snapshots/typed_parts.rs");
}

use typed_parts::{Order, OrdersClient, OrdersRequestHeaders, OrdersServer, OrdersService, Total};
use wsdlgen_runtime::SoapVersion;
use wsdlgen_runtime::server::{Request, serve};
use wsdlgen_tests::support::instance::{canonical, diff};

/// What zeep sends for `Place(Id=7, Item=["a", "b"])` with this WSDL.
const ZEEP: &str = r#"<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Body><order><ns0:Id xmlns:ns0="urn:tp">7</ns0:Id><ns1:Item xmlns:ns1="urn:tp">a</ns1:Item><ns2:Item xmlns:ns2="urn:tp">b</ns2:Item></order></soap-env:Body></soap-env:Envelope>"#;

fn order() -> Order {
    Order { id: 7, item: vec!["a".into(), "b".into()] }
}

#[test]
fn the_body_is_the_part_named_element_as_zeep_writes_it() {
    let ours =
        wsdlgen_runtime::codegen::encode_request(SoapVersion::Soap11, &order(), &OrdersRequestHeaders::default());
    let ours = String::from_utf8(ours).unwrap();
    let difference = diff(&canonical(ZEEP).unwrap(), &canonical(&ours).unwrap());
    assert!(difference.is_none(), "{difference:?}\n{ours}");
}

struct Till;

impl OrdersService for Till {
    async fn place(&self, request: Request<Order, OrdersRequestHeaders>) -> typed_parts::OrdersResult<Total> {
        Ok(Total { value: request.body.id * 10 + request.body.item.len() as i32 }.into())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_and_server_agree_on_typed_parts() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/orders", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(listener, OrdersServer::new(Till).into_service()));
    let client = OrdersClient::new(&url);
    assert_eq!(client.place(7, vec!["a".into(), "b".into()]).await.unwrap(), 72);
    // zeep's own request, sent as it is, is understood too.
    let reply = wsdlgen_runtime::default_http_client()
        .unwrap()
        .post(&url)
        .header("content-type", "text/xml; charset=utf-8")
        .header("soapaction", "\"urn:tp/Place\"")
        .body(ZEEP)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    assert!(reply.text().await.unwrap().contains("<total>72</total>"));
    server.abort();
}
