//! Open content and the rest (`tests/wsdl/open.wsdl`): `xs:any` and `xs:anyAttribute` kept as
//! XML, mixed content kept raw, `xs:all`, a union, an enumeration of integers, two schemas for
//! one namespace, a very long name, one-way operations and empty bodies over HTTP.

mod open {
    include!("../snapshots/open.rs");
}

mod dataset {
    include!("../snapshots/dataset.rs");
}

use open::*;
use wsdlgen_runtime::codegen::{XmlWriter, xml::from_xml};
use wsdlgen_runtime::{AnyAttribute, AnyElement, Encode, RawXml};
use wsdlgen_tests::support::http::{Response, TestServer};
use wsdlgen_tests::support::instance::{canonical, diff};
use wsdlgen_tests::support::schema::WsdlSchemas;

fn encode(value: &Store) -> Vec<u8> {
    let mut w = XmlWriter::new();
    w.declare_on_next(NAMESPACES);
    value.encode(&mut w, "n0:Store");
    w.into_inner()
}

#[test]
fn open_content_round_trips_and_validates() {
    let received = br#"<Store xmlns="urn:open" xmlns:x="urn:ext"><Item id="7" x:flag="yes"><Name>n</Name><Note lang="en">Some <b>bold</b> text &amp; more</Note><Props><Weight>1.5</Weight><Color>red</Color></Props><Size>3</Size><Level>2</Level><x:Extra a="1"><x:Deep>d</x:Deep></x:Extra><y:Other xmlns:y="urn:y"/></Item></Store>"#;
    let store: Store = from_xml(received, NS0, "Store").unwrap();
    let item = &store.item;
    assert_eq!(item.id, 7);
    assert_eq!(
        item.other_attributes,
        vec![AnyAttribute { ns: "urn:ext".into(), local: "flag".into(), value: "yes".into() }]
    );
    let note = item.note.as_ref().unwrap();
    assert_eq!(note.lang.as_deref(), Some("en"));
    assert_eq!(note.value.xml, "Some <b>bold</b> text &amp; more");
    assert_eq!(item.props.as_ref().unwrap().weight, 1.5);
    assert_eq!(item.props.as_ref().unwrap().color.as_deref(), Some("red"));
    assert_eq!(item.size.as_deref(), Some("3"));
    assert_eq!(item.level, Some(Level::N2));
    assert_eq!(item.any.len(), 2);
    assert_eq!(item.any[0].xml, r#"<x:Extra a="1"><x:Deep>d</x:Deep></x:Extra>"#);
    assert_eq!(item.any[0].namespaces, vec![("x".to_owned(), "urn:ext".to_owned())]);
    assert_eq!(item.any[1].xml, r#"<y:Other xmlns:y="urn:y"/>"#);

    // Written back, it is valid and means the same.
    let xml = encode(&store);
    WsdlSchemas::from_wsdl(concat!(env!("CARGO_MANIFEST_DIR"), "/wsdl/open.wsdl"))
        .unwrap()
        .validate(&xml)
        .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&xml)));
    let again: Store = from_xml(&xml, NS0, "Store").unwrap();
    assert_eq!(again.item.other_attributes, store.item.other_attributes);
    assert_eq!(again.item.note, store.item.note);
    assert_eq!(again.item.props, store.item.props);
    assert_eq!(again.item.any.len(), 2);
}

#[test]
fn values_built_by_hand_encode_as_xml() {
    let store = Store {
        item: Item {
            id: 1,
            name: "n".into(),
            note: Some(RichText { lang: None, value: RawXml::new("a <b>b</b>") }),
            any: vec![AnyElement::new(r#"<e:X xmlns:e="urn:e">1</e:X>"#)],
            other_attributes: vec![AnyAttribute { ns: "urn:a".into(), local: "k".into(), value: "v\"".into() }],
            a_very_long_element_name_that_goes_on_and_on_to_check_that_nothing_truncates_or_breaks_identifiers_in_the_generated_code: Some("long".into()),
            ..Default::default()
        },
    };
    let xml = String::from_utf8(encode(&store)).unwrap();
    assert!(xml.contains(r#"<n0:Item id="1" xmlns:a0="urn:a" a0:k="v&quot;">"#), "{xml}");
    assert!(xml.contains(r#"<n0:Note>a <b>b</b></n0:Note>"#), "{xml}");
    assert!(xml.contains(r#"<e:X xmlns:e="urn:e">1</e:X></n0:Item>"#), "{xml}");
}

/// A one-way operation is done when the service accepts it (202 with no body); a fault still
/// comes back as a fault.
#[tokio::test]
async fn one_way_operations() {
    let server = TestServer::start(|req| {
        if req.body_text().contains("fail") {
            Response::xml(
                500,
                r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>no</faultstring></s:Fault></s:Body></s:Envelope>"#,
            )
        } else {
            Response::empty(202)
        }
    });
    let client = OpenClient::new(server.url());
    client.notify("hello".into()).await.unwrap();
    let err = client.notify("fail".into()).await.unwrap_err();
    assert_eq!(err.fault().map(|f| f.reason.as_str()), Some("no"));
    assert_eq!(server.requests()[0].header("soapaction"), Some("\"urn:open/Notify\""));

    // Some services answer a one-way request with an envelope whose body is empty.
    let server = TestServer::always(Response::xml(200, EMPTY_BODY));
    OpenClient::new(server.url()).notify("hello".into()).await.unwrap();
}

const EMPTY_BODY: &str =
    r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/><s:Body/></s:Envelope>"#;

/// A body element with no type (or `xs:anyType`): any content, kept as raw XML both ways, and
/// any attributes.
#[tokio::test]
async fn body_elements_of_any_type() {
    let reply = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:x="urn:x"><s:Body><o:AnythingBack xmlns:o="urn:open" x:n="1">text <x:b>bold</x:b> tail</o:AnythingBack></s:Body></s:Envelope>"#;
    let server = TestServer::always(Response::xml(200, reply));
    let client = OpenClient::new(server.url());
    let back = client.relay(RawXml::new("<y:a xmlns:y=\"urn:y\">1</y:a> &amp; more")).await.unwrap();
    let request = server.requests()[0].body_text();
    assert!(request.contains(r#"<n0:Anything><y:a xmlns:y="urn:y">1</y:a> &amp; more</n0:Anything>"#), "{request}");
    assert_eq!(back.value.xml, "text <x:b>bold</x:b> tail");
    assert!(back.value.namespaces.contains(&("x".to_owned(), "urn:x".to_owned())));
    assert_eq!(back.other_attributes.len(), 1);
    assert_eq!(back.other_attributes[0].value, "1");
}

/// Messages with no part (WS-I Basic Profile allows zero parts in document/literal): the
/// request's body is empty, and so must the response's be.
#[tokio::test]
async fn empty_bodies() {
    let server = TestServer::always(Response::xml(200, EMPTY_BODY));
    let client = OpenClient::new(server.url());
    let () = client.ping().await.unwrap();
    let request = server.requests()[0].body_text();
    let doc = roxmltree::Document::parse(&request).unwrap();
    let body = doc.descendants().find(|n| n.has_tag_name(("http://schemas.xmlsoap.org/soap/envelope/", "Body")));
    let body = body.expect("a Body");
    assert_eq!(body.children().count(), 0, "{request}");
    assert_eq!(server.requests()[0].header("soapaction"), Some("\"urn:open/Ping\""));

    // A fault is a fault; an element where the body should be empty is named.
    let fault = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>down</faultstring></s:Fault></s:Body></s:Envelope>"#;
    let server = TestServer::always(Response::xml(500, fault));
    let err = OpenClient::new(server.url()).ping().await.unwrap_err();
    assert_eq!(err.fault().map(|f| f.reason.as_str()), Some("down"));
    let unexpected = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x:Pong xmlns:x="urn:x"/></s:Body></s:Envelope>"#;
    let server = TestServer::always(Response::xml(200, unexpected));
    let err = OpenClient::new(server.url()).ping().await.unwrap_err().to_string();
    assert!(err.contains("Envelope/Body/Pong") && err.contains("{urn:x}Pong"), "{err}");
}

/// A .NET DataSet (`tests/wsdl/dataset.wsdl`): `<s:element ref="s:schema"/>` then `<s:any/>`.
/// The inline schema and the diffgram are both kept as elements, and written back as received.
#[tokio::test]
async fn dotnet_datasets_keep_their_schema_and_data() {
    let result = r#"<GetAuthorsResult><xs:schema id="NewDataSet" xmlns="" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:msdata="urn:schemas-microsoft-com:xml-msdata"><xs:element name="NewDataSet" msdata:IsDataSet="true"><xs:complexType><xs:choice minOccurs="0" maxOccurs="unbounded"><xs:element name="Authors"><xs:complexType><xs:sequence><xs:element name="au_lname" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType></xs:element></xs:choice></xs:complexType></xs:element></xs:schema><diffgr:diffgram xmlns:msdata="urn:schemas-microsoft-com:xml-msdata" xmlns:diffgr="urn:schemas-microsoft-com:xml-diffgram-v1"><NewDataSet xmlns=""><Authors diffgr:id="Authors1" msdata:rowOrder="0"><au_lname>White</au_lname></Authors></NewDataSet></diffgr:diffgram></GetAuthorsResult>"#;
    let reply = format!(
        r#"<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><GetAuthorsResponse xmlns="http://tempuri.org/">{result}</GetAuthorsResponse></soap:Body></soap:Envelope>"#
    );
    let server = TestServer::always(Response::xml(200, reply));
    let client = dataset::AuthorsSoapClient::new(server.url());
    let data = client.get_authors("CA".into()).await.unwrap();
    assert_eq!(data.any.len(), 2);
    let names: Vec<(String, String)> = data.any.iter().map(|e| e.name().unwrap()).collect();
    let names: Vec<(&str, &str)> = names.iter().map(|(n, l)| (n.as_str(), l.as_str())).collect();
    assert_eq!(
        names,
        [("http://www.w3.org/2001/XMLSchema", "schema"), ("urn:schemas-microsoft-com:xml-diffgram-v1", "diffgram")]
    );
    assert!(data.any[1].xml.contains("<au_lname>White</au_lname>"), "{:?}", data.any[1]);

    // Written back, it is the same XML (as a canonical tree).
    let mut w = XmlWriter::new();
    w.declare_on_next(dataset::NAMESPACES);
    data.encode(&mut w, "n0:GetAuthorsResult");
    let written = String::from_utf8(w.into_inner()).unwrap();
    let expected = result.replacen("<GetAuthorsResult>", r#"<GetAuthorsResult xmlns="http://tempuri.org/">"#, 1);
    let (e, a) = (canonical(&expected).unwrap(), canonical(&written).unwrap());
    assert_eq!(diff(&e, &a), None, "{written}");
}

/// Mixed content captured where the generated prefix and `xsi` were already bound (a document
/// wsdlgen wrote) is written back as a document element well-formed: the element declares each
/// prefix once (xmllint validates it), and the content keeps its meaning.
#[test]
fn mixed_content_written_as_a_document_element_declares_each_prefix_once() {
    let received = br#"<n0:Note xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:n0="urn:open" lang="en">Some <n0:b xsi:nil="true"/> text</n0:Note>"#;
    let note: RichText = from_xml(received, NS0, "Note").unwrap();
    assert_eq!(note.value.namespaces.len(), 2, "{:?}", note.value);
    let mut w = XmlWriter::new();
    w.declare_on_next(NAMESPACES);
    note.encode(&mut w, "n0:Note");
    let xml = w.into_inner();
    let text = String::from_utf8(xml.clone()).unwrap();
    assert_eq!(text.matches("xmlns:n0=").count(), 1, "{text}");
    assert_eq!(text.matches("xmlns:xsi=").count(), 1, "{text}");
    roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let again: RichText = from_xml(&xml, NS0, "Note").unwrap();
    assert_eq!(again, note);
}

/// A repeated choice with an `xs:any` alternative (`Log`: `Started` | `Stopped` | any element
/// from another namespace, then `Count`): foreign events are kept in order as XML, among the
/// known ones; `Count`, in the schema's own namespace, is not taken for one; written back, the
/// document is valid and means the same.
#[test]
fn a_choice_with_a_wildcard_keeps_foreign_elements_in_order() {
    let received = br#"<Log xmlns="urn:open" xmlns:e="urn:ext"><Started>2026-12-07T10:00:00Z</Started><e:Paused at="3"><e:By>ops</e:By></e:Paused><Stopped>done</Stopped><x:Alarm xmlns:x="urn:x"/><Count>4</Count></Log>"#;
    let log: Log = from_xml(received, NS0, "Log").unwrap();
    assert_eq!(log.count, 4);
    assert_eq!(log.choice.len(), 4, "{:?}", log.choice);
    assert!(matches!(&log.choice[0], LogChoice::Started(t) if t.to_string() == "2026-12-07T10:00:00Z"));
    match &log.choice[1] {
        LogChoice::Other(e) => {
            assert_eq!(e.xml, r#"<e:Paused at="3"><e:By>ops</e:By></e:Paused>"#);
            assert_eq!(e.namespaces, vec![("e".to_owned(), "urn:ext".to_owned())]);
        }
        other => panic!("expected the foreign element, got {other:?}"),
    }
    assert_eq!(log.choice[2], LogChoice::Stopped("done".into()));
    assert!(matches!(&log.choice[3], LogChoice::Other(e) if e.xml == r#"<x:Alarm xmlns:x="urn:x"/>"#));

    let mut w = XmlWriter::new();
    w.declare_on_next(NAMESPACES);
    log.encode(&mut w, "n0:Log");
    let xml = w.into_inner();
    WsdlSchemas::from_wsdl(concat!(env!("CARGO_MANIFEST_DIR"), "/wsdl/open.wsdl"))
        .unwrap()
        .validate(&xml)
        .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&xml)));
    // Read back, it writes the same document (a foreign element now carries the binding it
    // uses on itself, so it compares equal as written, not field by field).
    let again: Log = from_xml(&xml, NS0, "Log").unwrap();
    assert_eq!(again.count, log.count);
    let mut w = XmlWriter::new();
    w.declare_on_next(NAMESPACES);
    again.encode(&mut w, "n0:Log");
    assert_eq!(String::from_utf8(w.into_inner()).unwrap(), String::from_utf8(xml).unwrap());

    // An element of the schema's own namespace that no alternative names is not a foreign
    // event (the wildcard is ##other): not taken as one.
    let own = br#"<Log xmlns="urn:open"><Started>2026-12-07T10:00:00Z</Started><Paused/><Count>1</Count></Log>"#;
    let log: Log = from_xml(own, NS0, "Log").unwrap();
    assert!(log.choice.iter().all(|c| !matches!(c, LogChoice::Other(_))), "{:?}", log.choice);
}
