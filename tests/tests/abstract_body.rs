//! Body elements of an abstract type (`tests/wsdl/abstract.wsdl`): `Figure` is of the abstract
//! type `Shape`, so an instance is always of a derived type (`Circle`, `Square`) and says which
//! with `xsi:type`. The request of `Area` and the response of `Largest` are such elements: the
//! client writes `xsi:type` and every field of the derived type (schema-valid, checked by
//! xmllint), the generated server reads it back as that type, and the reply comes back as the
//! derived type the handler returned. A `Figure` without `xsi:type` is refused with a fault
//! naming the element, not read as the abstract base.

mod shapes {
    include!("../snapshots/abstract.rs");
}

use shapes::{
    AnyShape, Area, Circle, Figures, ShapesClient, ShapesRequestHeaders, ShapesServer, ShapesService, Square,
};
use wsdlgen_runtime::server::{Request, serve};
use wsdlgen_runtime::{Error, SoapVersion};
use wsdlgen_tests::support::schema::{self, WsdlSchemas};

struct Geometry;

impl ShapesService for Geometry {
    async fn area(&self, request: Request<AnyShape, ShapesRequestHeaders>) -> shapes::ShapesResult<Area> {
        let value = match request.body {
            AnyShape::Circle(c) => std::f64::consts::PI * c.radius * c.radius,
            AnyShape::Square(s) => s.side * s.side,
        };
        Ok(Area { value }.into())
    }

    async fn largest(&self, request: Request<Figures, ShapesRequestHeaders>) -> shapes::ShapesResult<AnyShape> {
        let size = |s: &AnyShape| match s {
            AnyShape::Circle(c) => std::f64::consts::PI * c.radius * c.radius,
            AnyShape::Square(s) => s.side * s.side,
        };
        let largest = request.body.shape.into_iter().flatten().max_by(|a, b| size(a).total_cmp(&size(b)));
        Ok(largest.unwrap_or_default().into())
    }
}

fn circle(name: &str, radius: f64) -> AnyShape {
    AnyShape::Circle(Circle { name: name.to_owned(), radius, inner: None })
}

fn square(name: &str, side: f64) -> AnyShape {
    AnyShape::Square(Square { name: name.to_owned(), side, inner: None })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn derived_types_cross_the_wire_in_both_directions() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/shapes", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(listener, ShapesServer::new(Geometry).into_service()));
    for version in [SoapVersion::Soap11, SoapVersion::Soap12] {
        let mut client = ShapesClient::new(&url);
        client.soap_client_mut().set_soap_version(version);
        assert_eq!(client.area(square("s", 3.0)).await.unwrap(), 9.0);
        assert!((client.area(circle("c", 2.0)).await.unwrap() - 4.0 * std::f64::consts::PI).abs() < 1e-9);
        let figures = vec![Some(square("small", 1.0)), None, Some(circle("big", 5.0)), Some(square("mid", 4.0))];
        assert_eq!(client.largest(figures).await.unwrap(), circle("big", 5.0));
        let figures = vec![Some(circle("tiny", 0.1)), Some(square("wide", 9.0))];
        assert_eq!(client.largest(figures).await.unwrap(), square("wide", 9.0));
        // A shape holding a circle holding a circle (a base that contains a derived type).
        let inner = Circle { name: "core".into(), radius: 0.5, inner: None };
        let middle = Circle { name: "ring".into(), radius: 1.0, inner: Some(Box::new(inner)) };
        let nested = AnyShape::Square(Square { name: "box".into(), side: 10.0, inner: Some(middle) });
        assert_eq!(client.largest(vec![Some(nested.clone())]).await.unwrap(), nested);
    }
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_names_its_type_and_is_schema_valid_and_one_without_is_refused() {
    let headers = ShapesRequestHeaders::default();
    let envelope = wsdlgen_runtime::codegen::encode_request(SoapVersion::Soap11, &circle("c", 2.5), &headers);
    let text = String::from_utf8(envelope.clone()).unwrap();
    assert!(
        text.contains(r#"<n0:Figure xsi:type="n0:Circle"><n0:Name>c</n0:Name><n0:Radius>2.5</n0:Radius>"#),
        "{text}"
    );

    // Valid against the fixture's schema with the SOAP 1.1 envelope schema; the same envelope
    // without `xsi:type` (an instance of the abstract type) is not: the check can fail.
    let xsd = WsdlSchemas::from_wsdl(concat!(env!("CARGO_MANIFEST_DIR"), "/wsdl/abstract.wsdl")).unwrap();
    let combined = schema::envelope_and_wsdl_schema(&xsd, schema::SoapVersion::Soap11);
    let untyped = text.replacen(r#" xsi:type="n0:Circle""#, "", 1).replacen("<n0:Radius>2.5</n0:Radius>", "", 1);
    let verdicts = wsdlgen_tests::support::instance::xmllint_batch(&combined, &[&envelope, untyped.as_bytes()]);
    assert!(verdicts[0].is_ok(), "{:?}\n{text}", verdicts[0]);
    assert!(verdicts[1].is_err(), "xmllint must refuse an instance of the abstract type");

    // The generated server refuses the untyped one with a Client fault naming the element.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/shapes", listener.local_addr().unwrap());
    let server = tokio::spawn(serve(listener, ShapesServer::new(Geometry).into_service()));
    let http = wsdlgen_runtime::default_http_client().unwrap();
    let reply = http
        .post(&url)
        .header("content-type", "text/xml; charset=utf-8")
        .header("soapaction", "\"urn:shapes/Area\"")
        .body(untyped)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 500);
    let body = reply.text().await.unwrap();
    assert!(body.contains("Client") && body.contains("Figure/@type"), "{body}");
    server.abort();

    // And the client refuses a reply whose Figure has no xsi:type, rather than inventing a value.
    let reply = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Figure xmlns="urn:shapes"><Name>n</Name></Figure></s:Body></s:Envelope>"#;
    match wsdlgen_runtime::codegen::decode_response::<Figures>(reply.as_bytes(), Default::default()) {
        Err(Error::Decode(e)) => assert!(e.to_string().contains("Figure/@type"), "{e}"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}
