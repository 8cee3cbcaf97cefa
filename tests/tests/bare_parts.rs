//! Document-style messages of several body parts (`tests/wsdl/bare_parts.wsdl`): the parts are
//! the Body's children in part order, with no wrapper element, as zeep writes and reads them (the
//! expected envelope below is zeep 4's, for the same call); the generated server reads them and
//! answers with two parts, which the client returns as one struct.

mod bare_parts {
    include!("../snapshots/bare_parts.rs");
}

use bare_parts::{Order, OrdersClient, OrdersRequestHeaders, OrdersServer, OrdersService, Place, PlaceResponse};
use wsdlgen_runtime::SoapVersion;
use wsdlgen_runtime::server::{Request, serve};
use wsdlgen_tests::support::instance::{canonical, diff};

/// What zeep sends for `Place(order={Id: 7, Item: ["a", "b"]}, customer="ACME", priority=2)`.
const ZEEP: &str = r#"<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Body><ns0:Order xmlns:ns0="urn:bp"><ns0:Id>7</ns0:Id><ns0:Item>a</ns0:Item><ns0:Item>b</ns0:Item></ns0:Order><ns1:Customer xmlns:ns1="urn:bp">ACME</ns1:Customer><priority>2</priority></soap-env:Body></soap-env:Envelope>"#;

fn request() -> Place {
    Place { order: Order { id: 7, item: vec!["a".into(), "b".into()] }, customer: Some("ACME".into()), priority: 2 }
}

#[test]
fn the_parts_are_the_bodys_children_as_zeep_writes_them() {
    let ours =
        wsdlgen_runtime::codegen::encode_request(SoapVersion::Soap11, &request(), &OrdersRequestHeaders::default());
    let ours = String::from_utf8(ours).unwrap();
    let difference = diff(&canonical(ZEEP).unwrap(), &canonical(&ours).unwrap());
    assert!(difference.is_none(), "{difference:?}\n{ours}");
}

struct Till;

impl OrdersService for Till {
    async fn place(&self, request: Request<Place, OrdersRequestHeaders>) -> bare_parts::OrdersResult<PlaceResponse> {
        let Place { order, customer, priority } = request.body;
        Ok(PlaceResponse {
            total: order.id * 10 + order.item.len() as i32,
            note: format!("{} items for {} at {priority}", order.item.len(), customer.as_deref().unwrap_or("nobody")),
        }
        .into())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_and_server_agree_on_bare_parts() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/orders", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(listener, OrdersServer::new(Till).into_service()));
    let client = OrdersClient::new(&url);
    let reply = client.place(request().order, "ACME".into(), 2).await.unwrap();
    assert_eq!(reply, PlaceResponse { total: 72, note: "2 items for ACME at 2".into() });
    // A nil part is a nil part, not a missing one.
    let reply = client.call(&Place { customer: None, ..request() }).await.unwrap();
    assert_eq!(reply.body.note, "2 items for nobody at 2");

    let post = |body: String| {
        let url = url.clone();
        async move {
            let reply = wsdlgen_runtime::default_http_client()
                .unwrap()
                .post(&url)
                .header("content-type", "text/xml; charset=utf-8")
                .header("soapaction", "\"urn:bp/Place\"")
                .body(body)
                .send()
                .await
                .unwrap();
            (reply.status().as_u16(), reply.text().await.unwrap())
        }
    };
    // zeep's own request, sent as it is, is understood, and the answer is two Body children.
    let (status, text) = post(ZEEP.to_owned()).await;
    assert_eq!(status, 200, "{text}");
    let body = text.split_once("Body>").unwrap().1;
    let total = body.find("Total>72<").expect(&text);
    let note = body.find("Note>2 items for ACME at 2<").expect(&text);
    assert!(total < note, "parts in part order: {text}");

    // A missing part is a Client fault naming it; parts are found in any order, as zeep does.
    let (status, text) = post(ZEEP.replace("<priority>2</priority>", "")).await;
    assert_eq!(status, 500, "{text}");
    assert!(text.contains("priority"), "{text}");
    let swapped = ZEEP.replace(
        r#"<ns1:Customer xmlns:ns1="urn:bp">ACME</ns1:Customer><priority>2</priority>"#,
        r#"<priority>2</priority><ns1:Customer xmlns:ns1="urn:bp">ACME</ns1:Customer>"#,
    );
    assert_ne!(swapped, ZEEP);
    let (status, text) = post(swapped).await;
    assert_eq!(status, 200, "{text}");
    server.abort();
}
