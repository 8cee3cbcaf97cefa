//! Header entries per operation (`tests/wsdl/headers.wsdl`): operations that declare different
//! header sets. With every entry set on the client, `Plain` (none declared) sends no `Header`,
//! `Tagged` sends exactly `Tag`, `Audited` exactly `Tag` and `Audit`; and the generated server
//! writes a response header only for the operation whose output declares it, whatever the
//! handler set.

mod headers {
    include!("../snapshots/headers.rs");
}

use headers::{
    Audit, Audited, AuditedResponse, DeskClient, DeskRequestHeaders, DeskResponseHeaders, DeskServer, DeskService,
    Plain, PlainResponse, Tagged, TaggedResponse,
};
use roxmltree::Document;
use wsdlgen_runtime::server::{Request, Response as Reply, serve};
use wsdlgen_tests::support::http::{Response, TestServer};

const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";

/// The local names of the header entries of an envelope; `None` when it has no `Header`.
fn header_entries(envelope: &str) -> Option<Vec<String>> {
    let doc = Document::parse(envelope).unwrap();
    let header = doc.root_element().children().find(|n| n.has_tag_name((SOAP11, "Header")))?;
    Some(header.children().filter(|n| n.is_element()).map(|n| n.tag_name().name().to_owned()).collect())
}

fn client(url: &str) -> DeskClient {
    DeskClient::new(url).with_tag("t-1".to_owned()).with_audit(Audit { user: "jane".into(), reason: "check".into() })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_operation_sends_exactly_the_entries_it_declares() {
    let reply = |body: &str| {
        let xml = format!(r#"<s:Envelope xmlns:s="{SOAP11}"><s:Body>{body}</s:Body></s:Envelope>"#);
        Response::new(200, "text/xml; charset=utf-8", xml)
    };
    let server = TestServer::start(move |request| {
        let body = request.body_text();
        if body.contains(":Plain>") {
            reply(r#"<PlainResponse xmlns="urn:h"><Y>1</Y></PlainResponse>"#)
        } else if body.contains(":Tagged>") {
            reply(r#"<TaggedResponse xmlns="urn:h"><Y>2</Y></TaggedResponse>"#)
        } else {
            reply(r#"<AuditedResponse xmlns="urn:h"><Y>3</Y></AuditedResponse>"#)
        }
    });
    let client = client(&server.url());
    assert_eq!(client.plain(1).await.unwrap(), 1);
    assert_eq!(client.tagged(2).await.unwrap(), 2);
    assert_eq!(client.audited(3).await.unwrap(), 3);
    let sent: Vec<Option<Vec<String>>> = server.requests().iter().map(|r| header_entries(&r.body_text())).collect();
    assert_eq!(sent, [None, Some(vec!["Tag".to_owned()]), Some(vec!["Tag".to_owned(), "Audit".to_owned()])]);
}

/// Sets the `Receipt` response header for every operation (only `Audited` declares it), and
/// records the request header entries it was given.
#[derive(Default)]
struct Desk {
    received: std::sync::Mutex<Vec<DeskRequestHeaders>>,
}

impl Desk {
    fn answer<T>(&self, headers: DeskRequestHeaders, body: T) -> Reply<T, DeskResponseHeaders> {
        self.received.lock().unwrap().push(headers);
        Reply::new(body).with_headers(DeskResponseHeaders { receipt: Some(9) })
    }
}

impl DeskService for Desk {
    async fn plain(&self, request: Request<Plain, DeskRequestHeaders>) -> headers::DeskResult<PlainResponse> {
        Ok(self.answer(request.headers, PlainResponse { y: request.body.x }))
    }

    async fn tagged(&self, request: Request<Tagged, DeskRequestHeaders>) -> headers::DeskResult<TaggedResponse> {
        Ok(self.answer(request.headers, TaggedResponse { y: request.body.x }))
    }

    async fn audited(&self, request: Request<Audited, DeskRequestHeaders>) -> headers::DeskResult<AuditedResponse> {
        Ok(self.answer(request.headers, AuditedResponse { y: request.body.x }))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_answers_with_the_entries_each_output_declares() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/desk", listener.local_addr().unwrap());
    let desk = std::sync::Arc::new(Desk::default());
    let server = tokio::spawn(serve(listener, DeskServer::from_arc(desk.clone()).into_service()));
    let client = client(&url);
    let plain = client.call(&Plain { x: 1 }).await.unwrap();
    assert_eq!((plain.body.y, plain.headers.receipt), (1, None));
    let tagged = client.call(&Tagged { x: 2 }).await.unwrap();
    assert_eq!((tagged.body.y, tagged.headers.receipt), (2, None));
    let audited = client.call(&Audited { x: 3 }).await.unwrap();
    assert_eq!((audited.body.y, audited.headers.receipt), (3, Some(9)));
    let audit = Audit { user: "jane".into(), reason: "check".into() };
    assert_eq!(
        *desk.received.lock().unwrap(),
        [
            DeskRequestHeaders::default(),
            DeskRequestHeaders { tag: Some("t-1".into()), audit: None },
            DeskRequestHeaders { tag: Some("t-1".into()), audit: Some(audit) },
        ]
    );

    // On the wire: no Header at all for Plain, the Receipt entry for Audited.
    let http = wsdlgen_runtime::default_http_client().unwrap();
    for (action, body, expected) in [
        ("urn:h/Plain", r#"<Plain xmlns="urn:h"><X>1</X></Plain>"#, None),
        ("urn:h/Audited", r#"<Audited xmlns="urn:h"><X>3</X></Audited>"#, Some(vec!["Receipt".to_owned()])),
    ] {
        let envelope = format!(r#"<s:Envelope xmlns:s="{SOAP11}"><s:Body>{body}</s:Body></s:Envelope>"#);
        let reply = http
            .post(&url)
            .header("content-type", "text/xml; charset=utf-8")
            .header("soapaction", format!("\"{action}\""))
            .body(envelope)
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 200);
        assert_eq!(header_entries(&reply.text().await.unwrap()), expected, "{action}");
    }
    server.abort();
}
