//! A type whose content wsdlgen does not model (`tests/wsdl/unmodelled.wsdl`: `Value` is a
//! repeated sequence of two elements, whose pairing two lists would lose): the document is
//! generated all the same, that type keeps its content as raw XML (`RawXml`), and the output
//! says so at the top. Its values are sent as built and received as sent, between the generated
//! client and the generated server, and the request validates against the schema.

mod unmodelled {
    include!("../snapshots/unmodelled.rs");
}

use unmodelled::{Op, OpResponse, PortClient, PortRequestHeaders, PortServer, PortService, Value};
use wsdlgen_runtime::server::{Request, serve};
use wsdlgen_runtime::{RawXml, SoapVersion};
use wsdlgen_tests::support::schema::{self, WsdlSchemas};

const PAIRS: &str = r#"<n0:Key>a</n0:Key><n0:Value>1</n0:Value><n0:Key>b &amp; c</n0:Key><n0:Value>2</n0:Value>"#;

fn value() -> Value {
    Value { value: RawXml { xml: PAIRS.to_owned(), namespaces: vec![("n0".to_owned(), "urn:t".to_owned())] } }
}

/// Counts the `Value` pairs it receives, from the raw XML.
struct Counter;

impl PortService for Counter {
    async fn op(&self, request: Request<Op, PortRequestHeaders>) -> unmodelled::PortResult<OpResponse> {
        let raw = &request.body.value.value;
        assert_eq!(raw.xml, PAIRS, "received as sent");
        Ok(OpResponse { b: raw.xml.matches("<n0:Key>").count() as i32 }.into())
    }
}

#[test]
fn the_output_names_the_type_and_the_construct() {
    let snapshot = include_str!("../snapshots/unmodelled.rs");
    let note = snapshot.lines().nth(1).unwrap();
    assert!(
        note.starts_with(
            "// Note: the type of element {urn:t}Value uses a repeated sequence of several particles (unmodelled.wsdl:"
        ),
        "{note}"
    );
    assert!(note.contains("kept as raw XML"), "{note}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raw_content_goes_through_client_and_server_as_built() {
    let envelope = wsdlgen_runtime::codegen::encode_request(
        SoapVersion::Soap11,
        &Op { value: value() },
        &PortRequestHeaders::default(),
    );
    let xsd = WsdlSchemas::from_wsdl(concat!(env!("CARGO_MANIFEST_DIR"), "/wsdl/unmodelled.wsdl")).unwrap();
    let combined = schema::envelope_and_wsdl_schema(&xsd, schema::SoapVersion::Soap11);
    let broken = String::from_utf8(envelope.clone()).unwrap().replacen("<n0:Value>1</n0:Value>", "", 1);
    let verdicts = wsdlgen_tests::support::instance::xmllint_batch(&combined, &[&envelope, broken.as_bytes()]);
    assert!(verdicts[0].is_ok(), "{:?}\n{}", verdicts[0], String::from_utf8_lossy(&envelope));
    assert!(verdicts[1].is_err(), "a Key without its Value is invalid: the check can fail");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/t", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(listener, PortServer::new(Counter).into_service()));
    let client = PortClient::new(&url);
    assert_eq!(client.op(value()).await.unwrap(), 2);
    server.abort();
}
