//! A service split over files (`tests/wsdl/multi/`): `wsdl:import` of the abstract WSDL, which
//! imports an external schema, which includes a chameleon schema; a substitution group; three
//! bindings (SOAP 1.1 preferred, SOAP 1.2, HTTP skipped with a note) and no `wsdl:service`.

mod multi {
    include!("../snapshots/multi-service.rs");
}

use std::path::Path;

use multi::*;
use wsdlgen_runtime::Encode;
use wsdlgen_runtime::codegen::{XmlWriter, xml::from_xml};
use wsdlgen_tests::support::schema::validate_with_schema;

fn dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/wsdl/multi"))
}

#[test]
fn every_file_read_is_an_input() {
    let generated = wsdlgen::Builder::new().generate(dir().join("service.wsdl")).unwrap();
    let names: Vec<String> =
        generated.inputs.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["service.wsdl", "interface.wsdl", "types.xsd", "common.xsd"]);
    assert!(generated.code.contains("// Note: binding `DrawingHttpGet` is an HTTP GET/POST binding: skipped"));
    assert_eq!(DrawingClient::SOAP_VERSION, wsdlgen_runtime::SoapVersion::Soap11);
}

#[test]
fn substitution_group_members_round_trip_and_validate() {
    let origin = Point { x: 1, y: -2 };
    let draw = Draw {
        shape: vec![
            ShapeSubstitutes::Circle(Circle { origin: origin.clone(), radius: 2.5 }),
            ShapeSubstitutes::Square(Square { origin, side: 3.0 }),
        ],
    };
    let mut w = XmlWriter::new();
    w.declare_on_next(NAMESPACES);
    draw.encode(&mut w, "n0:Draw");
    let xml = w.into_inner();
    let text = String::from_utf8_lossy(&xml);
    assert!(text.contains("<n0:Circle><n0:Origin><n0:X>1</n0:X>"), "{text}");
    validate_with_schema(&dir().join("types.xsd"), &xml).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let back: Draw = from_xml(&xml, NS0, "Draw").unwrap();
    assert_eq!(back, draw);
}

/// The caller picks the binding: its SOAP version and its actions.
#[tokio::test]
async fn the_caller_picks_the_binding() {
    use wsdlgen_tests::support::http::{Response, TestServer};
    let server = TestServer::start(|req| {
        let soap12 = req.header("content-type").is_some_and(|c| c.starts_with("application/soap+xml"));
        let (env, content_type) = if soap12 {
            ("http://www.w3.org/2003/05/soap-envelope", "application/soap+xml; charset=utf-8")
        } else {
            ("http://schemas.xmlsoap.org/soap/envelope/", "text/xml; charset=utf-8")
        };
        Response::new(
            200,
            content_type,
            format!(
                r#"<e:Envelope xmlns:e="{env}"><e:Body><DrawResponse xmlns="urn:multi:types"><Area>1.5</Area></DrawResponse></e:Body></e:Envelope>"#
            ),
        )
    });
    let client = DrawingClient::new(server.url());
    assert_eq!(client.binding(), DrawingBinding::DrawingSoap);
    assert_eq!(client.draw(vec![]).await.unwrap(), 1.5);
    let client = client.with_binding(DrawingBinding::DrawingSoap12);
    assert_eq!(client.draw(vec![]).await.unwrap(), 1.5);
    let requests = server.requests();
    assert_eq!(requests[0].header("soapaction"), Some("\"urn:multi/Draw\""));
    assert!(requests[0].body_text().contains("http://schemas.xmlsoap.org/soap/envelope/"));
    assert_eq!(
        requests[1].header("content-type"),
        Some(r#"application/soap+xml; charset=utf-8; action="urn:multi/Draw12""#)
    );
    assert!(requests[1].body_text().contains("http://www.w3.org/2003/05/soap-envelope"));
    assert_eq!(DrawingBinding::DrawingSoap12.soap_version(), wsdlgen_runtime::SoapVersion::Soap12);
}
