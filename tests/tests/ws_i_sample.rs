//! The WS-I Basic Sample Application (Supply Chain Management, `tests/corpus/ws-i-scm/`): real
//! rpc/literal services (Retailer, Warehouse) with `soap:body parts`, a `soap:header` taken
//! from the input message, `wsdl:import`, external schemas importing the SOAP 1.1 envelope
//! namespace from its remote address (read through the corpus catalog), and a document/literal
//! service with a one-way operation and `xs:any` (LoggingFacility).
//!
//! The WS-I authors put example messages in comments at the end of each WSDL. The generated
//! clients must produce and read the Retailer and LoggingFacility examples; the Warehouse
//! examples misspell two namespaces (`http://www,ws-i.org/...` with a comma, and
//! `http://schemas.xmlsoap.org/envelope/` for the envelope), and must be refused, naming what
//! is wrong.

mod retailer {
    include!(concat!(env!("OUT_DIR"), "/corpus/ws-i-scm-retailer/bindings.rs"));
}
mod warehouse {
    include!(concat!(env!("OUT_DIR"), "/corpus/ws-i-scm-warehouse/bindings.rs"));
}
mod logging {
    include!(concat!(env!("OUT_DIR"), "/corpus/ws-i-scm-loggingfacility/bindings.rs"));
}

use std::path::{Path, PathBuf};

use wsdlgen_runtime::codegen::XmlWriter;
use wsdlgen_runtime::codegen::xml::from_xml;
use wsdlgen_runtime::{Decimal, DecodeLimits, Encode, NumericBool, Operation, SoapVersion};
use wsdlgen_tests::support::http::{Response, TestServer};
use wsdlgen_tests::support::instance::{
    CanonOptions, SOAP11_NS, canonical, canonical_with, check_envelope, diff, xmllint_batch,
};
use wsdlgen_tests::support::xsd::SchemaSet;

const RETAILER_NS: &str = "http://www.ws-i.org/SampleApplications/SupplyChainManagement/2002-08/Retailer.wsdl";
const CONFIGURATION_NS: &str = "http://www.ws-i.org/SampleApplications/SupplyChainManagement/2002-08/Configuration.xsd";
const LOGGING_NS: &str = "http://www.ws-i.org/SampleApplications/SupplyChainManagement/2002-08/LoggingFacility.xsd";

fn corpus_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/ws-i-scm/2002-08").join(name)
}

/// The example envelopes in the comments of a WSDL of the sample, in document order.
fn examples(wsdl: &str) -> Vec<String> {
    let text = std::fs::read_to_string(corpus_file(wsdl)).expect("corpus file");
    let mut out = Vec::new();
    for comment in text.split("<!--").skip(1) {
        let comment = comment.split("-->").next().unwrap_or_default();
        let mut rest = comment;
        while let Some(start) = rest.find("Envelope xmlns:") {
            let open = rest[..start].rfind('<').expect("start tag");
            let prefix = &rest[open + 1..start];
            let close = format!("</{prefix}Envelope>");
            let end = rest[open..].find(&close).expect("end tag") + open + close.len();
            out.push(rest[open..end].to_owned());
            rest = &rest[end..];
        }
    }
    out
}

/// The configuration header of the published submitOrder example.
fn configuration(must_understand: Option<bool>) -> retailer::ConfigurationType {
    use retailer::ConfigurationEndpointRole as Role;
    let urls = [
        (Role::LoggingFacility, "http://example1/SampleApp/SCM/LoggingFacility"),
        (Role::Retailer, "http://example2/wsi/soaprpc/wsi/RetailerImpl"),
        (Role::WarehouseA, "http://example3/wsi/soaprpc/wsi/WarehouseAImpl"),
        (Role::WarehouseB, "http://example4/wsi/soaprpc/wsi/WarehouseBImpl"),
        (Role::WarehouseC, "http://example5/wsi/soaprpc/wsi/WarehouseCImpl"),
        (Role::ManufacturerA, "http://example6/ws-i_sample/ManufacturerA"),
        (Role::ManufacturerB, "http://example7/ws-i_sample/ManufacturerB"),
        (Role::ManufacturerC, "http://example8/ws-i_sample/ManufacturerC"),
    ];
    retailer::ConfigurationType {
        must_understand: must_understand.map(NumericBool),
        user_id: "griddell@bowstreet.com".into(),
        service_url: urls
            .into_iter()
            .map(|(role, url)| retailer::ConfigurationEndpointType { role, value: url.into() })
            .collect(),
    }
}

/// The body of the published submitOrder example.
fn submit_order() -> retailer::SubmitOrder {
    let item = |n: i64, q: i64, price: &str| retailer::PartsOrderItem {
        product_number: Decimal::from(n),
        quantity: Decimal::from(q),
        price: price.parse().unwrap(),
    };
    retailer::SubmitOrder {
        parts_order: vec![item(605006, 182, "3.99"), item(605002, 4, "3.99"), item(605003, 82, "7.99")],
        customer_details: retailer::CustomerDetailsType {
            custnbr: "ABCD999999999EFG".into(),
            name: "Joe Bloggs".into(),
            street1: Some(String::new()),
            street2: None,
            city: Some(String::new()),
            state: Some("NH".into()),
            zip: Some("03870".into()),
            country: Some("USA".into()),
        },
    }
}

/// Compares two documents as canonical trees (namespace URI + local name, attributes, text);
/// whitespace-only text of an empty element counts as empty, as the published examples are
/// pretty-printed (`<ns1:getCatalog ...>\n</ns1:getCatalog>`).
fn assert_same_xml(expected: &str, actual: &str) {
    let options = CanonOptions { blank_text_is_empty: true, ..Default::default() };
    let canon = |xml: &str| canonical_with(xml, &options).unwrap_or_else(|e| panic!("{e}: {xml}"));
    let (e, a) = (canon(expected), canon(actual));
    if let Some(d) = diff(&e, &a) {
        panic!("{d}\nexpected: {expected}\nactual:   {actual}");
    }
}

#[test]
fn the_wsdls_carry_the_examples_this_test_reads() {
    assert_eq!(examples("Retailer.wsdl").len(), 4);
    assert_eq!(examples("Warehouse.wsdl").len(), 2);
    assert_eq!(examples("LoggingFacility.wsdl").len(), 3);
}

#[test]
fn submit_order_is_written_as_the_published_example() {
    let published = &examples("Retailer.wsdl")[2];
    let headers = retailer::RetailerPortTypeRequestHeaders { configuration: Some(configuration(None)) };
    let ours = wsdlgen_runtime::codegen::encode_request(SoapVersion::Soap11, &submit_order(), &headers);
    let ours = String::from_utf8(ours).unwrap();
    let (ours, theirs) = (check_envelope(&ours, SOAP11_NS).unwrap(), check_envelope(published, SOAP11_NS).unwrap());
    // rpc/literal: the wrapper is named after the operation in the soap:body namespace, its
    // parts are unqualified; the header part is a header entry, not in the body.
    assert_eq!((ours.body.0.ns.as_str(), ours.body.0.local.as_str()), (RETAILER_NS, "submitOrder"));
    assert_same_xml(&theirs.body.1, &ours.body.1);
    assert_eq!(ours.header_entries.len(), 1);
    assert_eq!(ours.header_entries[0].0.ns, CONFIGURATION_NS);
    assert_same_xml(&theirs.header_entries[0].1, &ours.header_entries[0].1);
}

#[test]
fn the_published_request_decodes_to_the_same_values() {
    let published = &examples("Retailer.wsdl")[2];
    let parts = check_envelope(published, SOAP11_NS).unwrap();
    let body: retailer::SubmitOrder = from_xml(parts.body.1.as_bytes(), RETAILER_NS, "submitOrder").unwrap();
    assert_eq!(body, submit_order());
    let header: retailer::ConfigurationType =
        from_xml(parts.header_entries[0].1.as_bytes(), CONFIGURATION_NS, "Configuration").unwrap();
    assert_eq!(header, configuration(None));
}

#[test]
fn published_responses_decode() {
    let ex = examples("Retailer.wsdl");
    let reply =
        wsdlgen_runtime::codegen::decode_response::<retailer::GetCatalog>(ex[1].as_bytes(), DecodeLimits::default())
            .unwrap();
    let items = reply.body.r#return;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].name, "TV,Brand1");
    assert_eq!(items[0].description, "24\", Color, Advanced Velocit Scan Modular");
    assert_eq!(items[0].product_number, Decimal::from(605001));
    assert_eq!(items[1].price, "1499.99".parse::<Decimal>().unwrap());

    let reply =
        wsdlgen_runtime::codegen::decode_response::<retailer::SubmitOrder>(ex[3].as_bytes(), DecodeLimits::default())
            .unwrap();
    let items = reply.body.r#return;
    let comments: Vec<Option<&str>> = items.iter().map(|i| i.comment.as_deref()).collect();
    assert_eq!(comments, [Some("in stock from WarehouseA"), Some("insufficient stock"), Some("insufficient stock")]);
    assert_eq!(items[0].quantity, Decimal::from(4));
}

#[tokio::test]
async fn get_catalog_over_http() {
    let published = examples("Retailer.wsdl")[1].clone();
    let server = TestServer::always(Response::xml(200, published));
    let client = retailer::RetailerPortTypeClient::new(server.url());
    let items = client.get_catalog().await.unwrap();
    assert_eq!(items.iter().map(|i| i.brand.as_str()).collect::<Vec<_>>(), ["Brand1", "Brand2"]);
    let request = &server.requests()[0];
    // soapAction="" in the binding: an empty quoted SOAPAction (WS-I BP R1109), SOAP 1.1.
    assert_eq!(request.header("soapaction"), Some("\"\""));
    assert!(request.header("content-type").unwrap().starts_with("text/xml"), "{:?}", request.header("content-type"));
    let body = request.body_text();
    let parts = check_envelope(&body, SOAP11_NS).unwrap();
    assert_same_xml(&examples("Retailer.wsdl")[0], &body);
    assert_eq!(parts.body.0.local, "getCatalog");
}

/// `Configuration.xsd` types `mustUnderstand` by reference to the SOAP 1.1 envelope schema,
/// whose pattern allows only `0` and `1`: the header is written with `1`, and validates.
#[test]
fn must_understand_is_written_as_a_digit_and_validates() {
    let headers = retailer::RetailerPortTypeRequestHeaders { configuration: Some(configuration(Some(true))) };
    // The published example's customer number `ABCD999999999EFG` does not match the pattern
    // its own schema gives (`[A-D][0-9]{5}-[0-9A-Z]{7}-[a-z]{3}#*`; xmllint says so): use one
    // that does, from the Warehouse example.
    let mut order = submit_order();
    order.customer_details.custnbr = "D22845-W8N349Y-tky".into();
    let envelope = wsdlgen_runtime::codegen::encode_request(SoapVersion::Soap11, &order, &headers);
    let envelope = String::from_utf8(envelope).unwrap();
    let parts = check_envelope(&envelope, SOAP11_NS).unwrap();
    let header = &parts.header_entries[0].1;
    let tree = canonical(header).unwrap();
    let must_understand =
        tree.attributes.iter().find(|(q, _)| q.ns == SOAP11_NS && q.local == "mustUnderstand").map(|(_, v)| v.as_str());
    assert_eq!(must_understand, Some("1"), "{header}");

    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("wsdl/soap11-envelope.xsd");
    let mut set = SchemaSet::from_wsdl_with(
        corpus_file("Retailer.wsdl"),
        &[("http://schemas.xmlsoap.org/soap/envelope/", &catalog)],
    )
    .unwrap();
    let dir = std::env::temp_dir().join(format!("wsdlgen-ws-i-{}", std::process::id()));
    let root = set.write_validation_schemas(&dir).unwrap();
    let with_true = header.replace("=\"1\"", "=\"true\"");
    let verdicts = xmllint_batch(&root, &[header.as_bytes(), parts.body.1.as_bytes(), with_true.as_bytes()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(verdicts[0], Ok(()), "{header}");
    assert_eq!(verdicts[1], Ok(()), "{}", parts.body.1);
    // The check can fail: `true` is a boolean, but not one of the pattern's forms.
    assert!(verdicts[2].is_err(), "{with_true}");

    // Read back (any boolean form is accepted on input).
    let back: retailer::ConfigurationType = from_xml(with_true.as_bytes(), CONFIGURATION_NS, "Configuration").unwrap();
    assert_eq!(back.must_understand, Some(NumericBool(true)));
}

#[test]
fn typed_fault_details_decode() {
    let fault = format!(
        r#"<s:Envelope xmlns:s="{SOAP11_NS}"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>bad product</faultstring><detail><o:InvalidProductCode xmlns:o="http://www.ws-i.org/SampleApplications/SupplyChainManagement/2002-08/RetailOrder.xsd"><o:Reason>InvalidProductCode</o:Reason><o:ProductNumber>605999</o:ProductNumber></o:InvalidProductCode></detail></s:Fault></s:Body></s:Envelope>"#
    );
    let err =
        wsdlgen_runtime::codegen::decode_response::<retailer::SubmitOrder>(fault.as_bytes(), DecodeLimits::default())
            .unwrap_err();
    let wsdlgen_runtime::Error::Fault(fault) = err else { panic!("not a fault: {err}") };
    match retailer::SubmitOrderFault::from_fault(&fault) {
        Some(Ok(retailer::SubmitOrderFault::InvalidProductCode(detail))) => {
            assert_eq!(detail.product_number, Decimal::from(605999));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_misspelt_warehouse_examples_are_refused_naming_the_namespace() {
    let ex = examples("Warehouse.wsdl");
    let limits = DecodeLimits::default();
    let err = wsdlgen_runtime::codegen::decode_response::<warehouse::ShipGoods>(ex[1].as_bytes(), limits)
        .unwrap_err()
        .to_string();
    assert!(err.contains("http://schemas.xmlsoap.org/envelope/"), "{err}");
    // With the envelope namespace put right, the body element's misspelt namespace is named.
    let fixed = ex[1].replace("http://schemas.xmlsoap.org/envelope/", SOAP11_NS);
    let err = wsdlgen_runtime::codegen::decode_response::<warehouse::ShipGoods>(fixed.as_bytes(), limits)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("http://www,ws-i.org/SampleApplications/SupplyChainManagement/2002-08/Warehouse.wsdl"),
        "{err}"
    );
    assert!(err.contains("ShipGoodsResponse"), "{err}");
    // With both put right, it decodes.
    let fixed = fixed.replace("http://www,ws-i.org", "http://www.ws-i.org");
    let reply = wsdlgen_runtime::codegen::decode_response::<warehouse::ShipGoods>(fixed.as_bytes(), limits).unwrap();
    let status: Vec<bool> = reply.body.response.iter().map(|s| s.status).collect();
    assert_eq!(status, [false, true]);
}

#[test]
fn logging_examples_round_trip_with_their_open_content() {
    let ex = examples("LoggingFacility.wsdl");
    // The one-way logEvent request, with a `Detail` element from another namespace (xs:any).
    let parts = check_envelope(&ex[0], SOAP11_NS).unwrap();
    let request: logging::LogEventRequestType =
        from_xml(parts.body.1.as_bytes(), LOGGING_NS, "logEventRequestElement").unwrap();
    assert_eq!(request.event_id, "3");
    assert_eq!(request.any.len(), 1);
    assert_eq!(<logging::LogEventRequestType as Operation>::RESPONSE_ELEMENT.1, "");
    let ours = wsdlgen_runtime::codegen::encode_request(
        SoapVersion::Soap11,
        &request,
        &logging::LoggingFacilityLogPortTypeRequestHeaders {},
    );
    let ours = check_envelope(std::str::from_utf8(&ours).unwrap(), SOAP11_NS).unwrap();
    assert_same_xml(&parts.body.1, &ours.body.1);

    // The getEvents response: two entries, the first with open content, kept and written back.
    let reply = wsdlgen_runtime::codegen::decode_response::<logging::GetEventsRequestType>(
        ex[2].as_bytes(),
        DecodeLimits::default(),
    )
    .unwrap();
    let entries = &reply.body.log_entry;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].timestamp.to_string(), "2002-08-09T13:45:51");
    assert_eq!((entries[0].any.len(), entries[1].any.len()), (1, 0));
    let mut w = XmlWriter::new();
    w.declare_on_next(logging::NAMESPACES);
    reply.body.encode(&mut w, "n0:getEventsResponseElement");
    let written = String::from_utf8(w.into_inner()).unwrap();
    let published = check_envelope(&ex[2], SOAP11_NS).unwrap().body.1;
    assert_same_xml(&published, &written);
}
