//! Tests of the test support library itself (`wsdlgen_tests::support`).

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use wsdlgen_tests::support::http::{Behaviour, Response, TestServer};
use wsdlgen_tests::support::schema::{SoapVersion, WsdlSchemas, validate_envelope_structure};

// ---------------------------------------------------------------------------------------------
// support::schema
// ---------------------------------------------------------------------------------------------

fn wsdl(name: &str) -> String {
    format!("{}/../wsdl/{name}", env!("CARGO_MANIFEST_DIR"))
}

const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services87";

fn save_credential(user_id: &str) -> String {
    format!(
        r#"<User:SaveCredential xmlns:User="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><User:UserId>{user_id}</User:UserId><User:Credential><User:Type><User:DisplayType></User:DisplayType><User:Type></User:Type><User:Description></User:Description><User:ValueControl>Static</User:ValueControl><User:CanCreatePerson>false</User:CanCreatePerson><User:IsUserNameSupported>false</User:IsUserNameSupported></User:Type><User:Value></User:Value><User:DisplayValue></User:DisplayValue></User:Credential></User:SaveCredential>"#
    )
}

#[test]
fn user_wsdl_schemas_accept_a_valid_body_element() {
    let schemas = WsdlSchemas::from_wsdl(wsdl("Services87-User.wsdl")).unwrap();
    let namespaces: Vec<_> = schemas.target_namespaces().collect();
    assert!(namespaces.contains(&NS), "{namespaces:?}");
    assert!(namespaces.contains(&"http://schemas.microsoft.com/2003/10/Serialization/Arrays"));
    schemas.validate(save_credential("0").as_bytes()).unwrap();
}

#[test]
fn user_wsdl_schemas_reject_invalid_documents() {
    let schemas = WsdlSchemas::from_wsdl(wsdl("Services87-User.wsdl")).unwrap();

    let err = schemas.validate(save_credential("abc").as_bytes()).unwrap_err();
    assert!(err.contains("UserId") && err.contains("'abc'"), "{err}");

    // An enumeration value that does not exist.
    let bad_enum = save_credential("0").replace(">Static<", ">Sometimes<");
    let err = schemas.validate(bad_enum.as_bytes()).unwrap_err();
    assert!(err.contains("ValueControl"), "{err}");

    // Elements out of order.
    let swapped = format!(
        r#"<User:SaveCredential xmlns:User="{NS}"><User:Credential/><User:UserId>0</User:UserId></User:SaveCredential>"#
    );
    assert!(schemas.validate(swapped.as_bytes()).is_err());

    // Unknown root element, wrong namespace, not well-formed.
    assert!(schemas.validate(format!(r#"<User:NoSuchOperation xmlns:User="{NS}"/>"#).as_bytes()).is_err());
    assert!(schemas.validate(b"<SaveCredential><UserId>0</UserId></SaveCredential>").is_err());
    assert!(schemas.validate(b"<User:SaveCredential xmlns:User=\"x\">").is_err());
}

#[test]
fn so_principal_wsdl_schemas_compile_and_validate() {
    let schemas = WsdlSchemas::from_wsdl(wsdl("Services87-SoPrincipal.wsdl")).unwrap();
    schemas.validate(format!(r#"<GetSystemInfo xmlns="{NS}"/>"#).as_bytes()).unwrap();
    assert!(schemas.validate(format!(r#"<GetSystemInfo xmlns="{NS}"><X/></GetSystemInfo>"#).as_bytes()).is_err());
}

/// Prefixes inherited from the WSDL root (`q1`, a default namespace), two fragments sharing a
/// target namespace, location-less imports in both directions.
#[test]
fn extraction_carries_inherited_namespaces_and_resolves_imports() {
    let wsdl = r#"<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:tns="urn:a" xmlns:q1="urn:b"
    xmlns="urn:b" targetNamespace="urn:a">
  <wsdl:types>
    <xs:schema targetNamespace="urn:a" elementFormDefault="qualified" xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="urn:b"/>
      <xs:complexType name="Derived">
        <xs:complexContent>
          <xs:extension base="q1:Base">
            <xs:sequence><xs:element name="Extra" type="xs:int"/></xs:sequence>
          </xs:extension>
        </xs:complexContent>
      </xs:complexType>
      <xs:element name="Root" type="tns:Derived"/>
    </xs:schema>
    <xs:schema targetNamespace="urn:a" elementFormDefault="qualified" xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:element name="Other" type="tns:Derived"/>
    </xs:schema>
    <xs:schema targetNamespace="urn:b" elementFormDefault="qualified" xmlns:xs="http://www.w3.org/2001/XMLSchema"
        xmlns:tns="urn:b">
      <xs:import namespace="urn:a"/>
      <xs:complexType name="Base">
        <xs:sequence><xs:element name="Name" type="xs:string"/></xs:sequence>
      </xs:complexType>
      <xs:element name="Color" type="Color"/>
      <xs:simpleType name="Color">
        <xs:restriction base="xs:string"><xs:enumeration value="Red"/></xs:restriction>
      </xs:simpleType>
    </xs:schema>
  </wsdl:types>
</wsdl:definitions>"#;
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("selftest-inherited.wsdl");
    std::fs::write(&path, wsdl).unwrap();
    let schemas = WsdlSchemas::from_wsdl(&path).unwrap();
    assert_eq!(schemas.target_namespaces().collect::<Vec<_>>(), ["urn:a", "urn:b"]);

    let root = r#"<Root xmlns="urn:a" xmlns:b="urn:b"><b:Name>n</b:Name><Extra>1</Extra></Root>"#;
    schemas.validate(root.as_bytes()).unwrap();
    let other = r#"<Other xmlns="urn:a" xmlns:b="urn:b"><b:Name>n</b:Name><Extra>1</Extra></Other>"#;
    schemas.validate(other.as_bytes()).unwrap();
    schemas.validate(br#"<Color xmlns="urn:b">Red</Color>"#).unwrap();
    assert!(schemas.validate(br#"<Color xmlns="urn:b">Blue</Color>"#).is_err());
    let bad = r#"<Root xmlns="urn:a" xmlns:b="urn:b"><b:Name>n</b:Name><Extra>x</Extra></Root>"#;
    assert!(schemas.validate(bad.as_bytes()).is_err());

    // The first fragment got the inherited declarations and a schemaLocation for urn:b.
    let first = std::fs::read_to_string(schemas.dir().join("schema0.xsd")).unwrap();
    assert!(first.contains(r#"xmlns:q1="urn:b""#) && first.contains(r#"xmlns:tns="urn:a""#), "{first}");
    assert!(first.contains(r#"<xs:import schemaLocation="schema2.xsd" namespace="urn:b"/>"#), "{first}");
    // The third declared tns itself: not duplicated.
    let third = std::fs::read_to_string(schemas.dir().join("schema2.xsd")).unwrap();
    assert_eq!(third.matches("xmlns:tns=").count(), 1, "{third}");
}

#[test]
fn from_wsdl_reports_unusable_input() {
    assert!(WsdlSchemas::from_wsdl(wsdl("no-such-file.wsdl")).unwrap_err().contains("no-such-file"));
}

const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";

#[test]
fn envelope_structure_soap11() {
    let ok = |xml: String| validate_envelope_structure(xml.as_bytes(), SoapVersion::Soap11);
    ok(format!(r#"<s:Envelope xmlns:s="{SOAP11}"><s:Body>{}</s:Body></s:Envelope>"#, save_credential("x"))).unwrap();
    ok(format!(
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{SOAP11}"><s:Header><h:Token xmlns:h="urn:h" s:mustUnderstand="1">t</h:Token></s:Header><s:Body/></s:Envelope>"#
    ))
    .unwrap();
    ok(format!(
        r#"<s:Envelope xmlns:s="{SOAP11}"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>bad</faultstring><detail><x:E xmlns:x="urn:x"/></detail></s:Fault></s:Body></s:Envelope>"#
    ))
    .unwrap();

    let bad = [
        format!(r#"<s:Envelope xmlns:s="{SOAP11}"/>"#),
        format!(r#"<s:Envelope xmlns:s="{SOAP11}"><s:Body/><s:Body/></s:Envelope>"#),
        format!(r#"<s:Envelope xmlns:s="{SOAP11}"><s:Body/><s:Header/></s:Envelope>"#),
        format!(r#"<s:Envelope xmlns:s="{SOAP11}"><s:Header><Unqualified/></s:Header><s:Body/></s:Envelope>"#),
        format!(
            r#"<s:Envelope xmlns:s="{SOAP11}"><s:Body><s:Fault><faultstring>x</faultstring></s:Fault></s:Body></s:Envelope>"#
        ),
        format!(r#"<s:Envelope xmlns:s="{SOAP12}"><s:Body/></s:Envelope>"#),
        "<Envelope><Body/></Envelope>".to_string(),
    ];
    for xml in bad {
        assert!(ok(xml.clone()).is_err(), "accepted: {xml}");
    }
}

#[test]
fn envelope_structure_soap12() {
    let ok = |xml: String| validate_envelope_structure(xml.as_bytes(), SoapVersion::Soap12);
    ok(format!(
        r#"<env:Envelope xmlns:env="{SOAP12}"><env:Header><h:T xmlns:h="urn:h" env:mustUnderstand="true"/></env:Header><env:Body>{}</env:Body></env:Envelope>"#,
        save_credential("x")
    ))
    .unwrap();
    ok(format!(
        r#"<env:Envelope xmlns:env="{SOAP12}"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>env:X</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang="en">bad</env:Text></env:Reason><env:Detail/></env:Fault></env:Body></env:Envelope>"#
    ))
    .unwrap();

    let bad = [
        format!(r#"<env:Envelope xmlns:env="{SOAP12}"><env:Header/></env:Envelope>"#),
        format!(r#"<env:Envelope xmlns:env="{SOAP12}"><env:Body/><x:After xmlns:x="urn:x"/></env:Envelope>"#),
        format!(
            r#"<env:Envelope xmlns:env="{SOAP12}"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value></env:Code></env:Fault></env:Body></env:Envelope>"#
        ),
        format!(r#"<s:Envelope xmlns:s="{SOAP11}"><s:Body/></s:Envelope>"#),
    ];
    for xml in bad {
        assert!(ok(xml.clone()).is_err(), "accepted: {xml}");
    }
}

/// Runs this test binary again with `XMLLINT` pointing nowhere: validation must panic with
/// instructions instead of passing.
#[test]
fn missing_xmllint_fails_loudly() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_validate_without_xmllint", "--nocapture", "--test-threads=1"])
        .env("XMLLINT", "/nonexistent/xmllint")
        .env("WSDLGEN_TESTS_CHILD", "1")
        .output()
        .unwrap();
    let output = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success(), "{output}");
    assert!(output.contains("scripts/test.sh") && output.contains("xmllint"), "{output}");
}

#[test]
fn child_validate_without_xmllint() {
    if std::env::var_os("WSDLGEN_TESTS_CHILD").is_none() {
        return; // only meaningful when started by `missing_xmllint_fails_loudly`
    }
    let _ = validate_envelope_structure(b"<x/>", SoapVersion::Soap11);
    unreachable!("validation without xmllint returned instead of panicking");
}

// ---------------------------------------------------------------------------------------------
// support::http (raw std client: the exact bytes on the wire are under test)
// ---------------------------------------------------------------------------------------------

fn connect(server: &TestServer) -> TcpStream {
    let stream = TcpStream::connect(server.addr()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream
}

/// Reads one response with a Content-Length body; returns (head, body).
fn read_response(stream: &mut TcpStream) -> (String, Vec<u8>) {
    let mut data = Vec::new();
    let mut byte = [0u8; 1];
    while !data.ends_with(b"\r\n\r\n") {
        assert_eq!(stream.read(&mut byte).unwrap(), 1, "EOF inside head: {:?}", String::from_utf8_lossy(&data));
        data.push(byte[0]);
    }
    let head = String::from_utf8(data).unwrap();
    let length: usize = header(&head, "content-length").unwrap().parse().unwrap();
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    (head, body)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| l.split_once(':').filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim()))
}

/// Reads until EOF or error; returns what arrived and the error, if any.
fn read_all(stream: &mut TcpStream) -> (Vec<u8>, Option<std::io::Error>) {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (data, None),
            Ok(n) => data.extend_from_slice(&buf[..n]),
            Err(e) => return (data, Some(e)),
        }
    }
}

#[test]
fn keep_alive_serves_several_requests_per_connection_and_records_them() {
    let server = TestServer::start(|req| Response::xml(200, format!("<n>{}</n>", req.index)));
    let mut stream = connect(&server);
    stream
        .write_all(b"POST /soap HTTP/1.1\r\nHost: x\r\nSOAPAction: \"urn:a\"\r\nContent-Length: 5\r\n\r\nhello")
        .unwrap();
    let (head, body) = read_response(&mut stream);
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{head}");
    assert_eq!(header(&head, "content-type"), Some("text/xml; charset=utf-8"));
    assert_eq!(body, b"<n>0</n>");

    // Second request on the same connection, pipelined with a third.
    stream.write_all(b"POST /other?q HTTP/1.1\r\ncontent-length: 2\r\n\r\nabGET / HTTP/1.1\r\n\r\n").unwrap();
    assert_eq!(read_response(&mut stream).1, b"<n>1</n>");
    assert_eq!(read_response(&mut stream).1, b"<n>2</n>");

    assert_eq!(server.connections(), 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!((requests[0].method.as_str(), requests[0].path.as_str()), ("POST", "/soap"));
    assert_eq!(requests[0].header("soapaction"), Some("\"urn:a\""));
    assert_eq!(requests[0].headers.get("SOAPACTION"), Some("\"urn:a\""));
    assert_eq!(requests[0].body_text(), "hello");
    assert_eq!(requests[1].path, "/other?q");
    assert_eq!(requests[1].body, b"ab");
    assert_eq!((requests[2].method.as_str(), requests[2].body.len()), ("GET", 0));
    assert!(requests.iter().all(|r| r.connection == 0));

    let _second = connect(&server);
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.connections() < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(server.connections(), 2);
}

#[test]
fn chunked_request_bodies_are_decoded() {
    let server = TestServer::always(Response::new(202, "text/plain", "ok"));
    let mut stream = connect(&server);
    stream
        .write_all(
            b"POST /soap HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n",
        )
        .unwrap();
    let (head, body) = read_response(&mut stream);
    assert!(head.starts_with("HTTP/1.1 202 Accepted\r\n"), "{head}");
    assert_eq!(header(&head, "content-type"), Some("text/plain"));
    assert_eq!(body, b"ok");
    assert_eq!(server.requests()[0].body_text(), "hello, world");
}

#[test]
fn connection_close_is_honoured_both_ways() {
    let server = TestServer::start(|req| {
        if req.path == "/close" { Response::xml(500, "<f/>").close_connection() } else { Response::empty(200) }
    });
    let mut stream = connect(&server);
    stream.write_all(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n").unwrap();
    let (data, err) = read_all(&mut stream);
    assert!(err.is_none());
    assert!(String::from_utf8(data).unwrap().contains("Connection: close\r\n"));

    let mut stream = connect(&server);
    stream.write_all(b"GET /close HTTP/1.1\r\n\r\n").unwrap();
    let (data, _) = read_all(&mut stream);
    assert!(String::from_utf8(data).unwrap().starts_with("HTTP/1.1 500 Internal Server Error\r\n"));
}

#[test]
fn oversized_and_malformed_requests_are_refused() {
    let server = TestServer::always(Response::empty(200));
    let mut stream = connect(&server);
    stream.write_all(b"POST / HTTP/1.1\r\nContent-Length: 100000000\r\n\r\n").unwrap();
    assert!(String::from_utf8(read_all(&mut stream).0).unwrap().starts_with("HTTP/1.1 413 "));

    let mut stream = connect(&server);
    stream.write_all(b"NONSENSE\r\n\r\n").unwrap();
    assert!(String::from_utf8(read_all(&mut stream).0).unwrap().starts_with("HTTP/1.1 400 "));
    assert_eq!(server.request_count(), 0);
}

#[test]
fn never_answer_records_the_request_and_stays_silent() {
    let server = TestServer::always(Response::never_answer());
    let mut stream = connect(&server);
    stream.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
    stream.write_all(b"POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\nx").unwrap();
    let err = stream.read(&mut [0u8; 16]).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut), "{err:?}");
    assert_eq!(server.request_count(), 1);
}

#[test]
fn trickle_sends_the_head_then_the_body_slowly() {
    let server = TestServer::always(
        Response::xml(200, vec![b'a'; 40]).with_behaviour(Behaviour::Trickle { bytes_per_sec: 100 }),
    );
    let mut stream = connect(&server);
    let started = Instant::now();
    stream.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    let (head, body) = read_response(&mut stream);
    assert_eq!(header(&head, "content-length"), Some("40"));
    assert_eq!(body, vec![b'a'; 40]);
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(350) && elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[test]
fn truncated_closes_after_half_the_body() {
    let server = TestServer::always(Response::xml(200, vec![b'z'; 100]).with_behaviour(Behaviour::Truncated));
    let mut stream = connect(&server);
    stream.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    let (data, err) = read_all(&mut stream);
    assert!(err.is_none(), "{err:?}");
    let text = String::from_utf8(data).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert_eq!(header(head, "content-length"), Some("100"));
    assert_eq!(body.len(), 50);
}

#[test]
fn reset_mid_body_resets_the_connection() {
    let server = TestServer::always(Response::xml(200, vec![b'z'; 100]).with_behaviour(Behaviour::ResetMidBody));
    let mut stream = connect(&server);
    stream.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    let (data, err) = read_all(&mut stream);
    assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::ConnectionReset));
    let text = String::from_utf8(data).unwrap();
    if let Some((head, body)) = text.split_once("\r\n\r\n") {
        assert_eq!(header(head, "content-length"), Some("100"));
        assert!(body.len() < 100);
    }
}

#[test]
fn dropping_the_server_closes_everything() {
    let server = TestServer::always(Response::empty(204));
    let addr = server.addr();
    let mut idle = connect(&server);
    idle.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    read_response(&mut idle);
    drop(server);

    let (_, err) = read_all(&mut idle); // the keep-alive connection is closed
    assert!(err.is_none() || err.unwrap().kind() == ErrorKind::ConnectionReset);
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(addr).is_ok() {
        assert!(Instant::now() < deadline, "still accepting connections after drop");
        std::thread::sleep(Duration::from_millis(10));
    }
}

// ---------------------------------------------------------------------------------------------
// support::http with a real client (reqwest via the runtime), from inside a tokio test
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn reqwest_client_reuses_one_connection() {
    let server = TestServer::start(|req| Response::xml(200, req.body.clone()));
    let client = wsdlgen_runtime::http_client_builder().build().unwrap();
    for i in 0..3 {
        let response = client
            .post(server.url())
            .header("Content-Type", "text/xml; charset=utf-8")
            .body(format!("<r>{i}</r>"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(response.text().await.unwrap(), format!("<r>{i}</r>"));
    }
    assert_eq!(server.connections(), 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[2].header("content-type"), Some("text/xml; charset=utf-8"));
    assert_eq!(requests[2].path, "/soap");
    drop(server); // dropping inside an async context must not panic
}

#[tokio::test]
async fn reqwest_client_sees_truncation_and_timeouts_as_errors() {
    let truncated = TestServer::always(Response::xml(200, vec![b'x'; 1000]).with_behaviour(Behaviour::Truncated));
    let client = wsdlgen_runtime::http_client_builder().timeout(Duration::from_millis(500)).build().unwrap();
    let result = async { client.get(truncated.url()).send().await?.bytes().await }.await;
    assert!(result.is_err(), "{result:?}");

    let silent = TestServer::always(Response::never_answer());
    let err = client.get(silent.url()).send().await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// The checkers themselves: the XML comparison and the envelope check see what they claim to
// ---------------------------------------------------------------------------------------------

/// Each kind of difference the canonical comparison claims to see is reported (element name,
/// namespace, attribute value, an added attribute, text, order, count, `xsi:type`, `xsi:nil`),
/// naming where; what it claims not to see (prefixes, declarations, whitespace between
/// elements, references and CDATA for the same text) is not.
#[test]
fn the_xml_comparison_sees_every_kind_of_difference_it_claims() {
    use wsdlgen_tests::support::instance::{CanonOptions, canonical_with, diff};
    let options = CanonOptions { resolve_xsi_type: true, ..Default::default() };
    let base = r#"<a:Root xmlns:a="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><a:One k="1">x &amp; y</a:One><a:Two xsi:type="a:T">2</a:Two><a:Three xsi:nil="true"/></a:Root>"#;
    let canon = |xml: &str| canonical_with(xml, &options).unwrap_or_else(|e| panic!("{e}: {xml}"));
    let expected = canon(base);
    let changed = [
        ("element name", base.replace("a:One", "a:Uno")),
        (
            "namespace",
            base.replace(r#"<a:One k="1">x &amp; y</a:One>"#, r#"<b:One xmlns:b="urn:b" k="1">x &amp; y</b:One>"#),
        ),
        ("attribute value", base.replace(r#"k="1""#, r#"k="2""#)),
        ("added attribute", base.replace(r#"k="1""#, r#"k="1" j="1""#)),
        ("text", base.replace("x &amp; y", "x &amp; z")),
        (
            "order",
            base.replace(
                r#"<a:Two xsi:type="a:T">2</a:Two><a:Three xsi:nil="true"/>"#,
                r#"<a:Three xsi:nil="true"/><a:Two xsi:type="a:T">2</a:Two>"#,
            ),
        ),
        ("count", base.replace("<a:Three", "<a:Three xsi:nil=\"true\"/><a:Three")),
        ("xsi:type", base.replace(r#"xsi:type="a:T""#, r#"xsi:type="a:U""#)),
        ("xsi:type namespace", base.replace(r#"xsi:type="a:T""#, r#"xmlns:c="urn:c" xsi:type="c:T""#)),
        ("xsi:nil", base.replace(r#"<a:Three xsi:nil="true"/>"#, "<a:Three/>")),
    ];
    for (kind, xml) in &changed {
        assert_ne!(xml, base, "{kind}: the mutation applies");
        let found = diff(&expected, &canon(xml));
        assert!(found.is_some(), "{kind}: not reported\n{xml}");
        assert!(found.as_deref().unwrap().starts_with("Root"), "{kind}: {found:?}");
    }
    let same = [
        ("prefixes", base.replace("a:", "p:").replace("xmlns:a=", "xmlns:p=")),
        ("default namespace", r#"<Root xmlns="urn:a" xmlns:a="urn:a" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><One k="1">x &amp; y</One><Two xsi:type="a:T">2</Two><Three xsi:nil="true"/></Root>"#.to_owned()),
        ("whitespace between elements", base.replace("><a:", ">\n  <a:")),
        ("references and CDATA", base.replace("x &amp; y", "<![CDATA[x ]]>&#38;<![CDATA[ y]]>")),
    ];
    for (kind, xml) in &same {
        assert_eq!(diff(&expected, &canon(xml)), None, "{kind}: reported\n{xml}");
    }
}

/// The envelope check refuses each malformation it claims to see.
#[test]
fn the_envelope_check_refuses_what_it_claims_to() {
    use wsdlgen_tests::support::instance::{SOAP11_NS, check_envelope};
    let good = format!(
        r#"<s:Envelope xmlns:s="{SOAP11_NS}"><s:Header><h:E xmlns:h="urn:h"/></s:Header><s:Body><b:B xmlns:b="urn:b"/></s:Body></s:Envelope>"#
    );
    let parts = check_envelope(&good, SOAP11_NS).unwrap();
    assert!(parts.has_header);
    assert_eq!(parts.header_entries.len(), 1);
    let bad = [
        ("wrong version", good.replace(SOAP11_NS, "http://www.w3.org/2003/05/soap-envelope")),
        ("attribute on Envelope", good.replace("<s:Envelope ", r#"<s:Envelope id="1" "#)),
        (
            "Body before Header",
            format!(
                r#"<s:Envelope xmlns:s="{SOAP11_NS}"><s:Body><b:B xmlns:b="urn:b"/></s:Body><s:Header/></s:Envelope>"#
            ),
        ),
        ("no Body", format!(r#"<s:Envelope xmlns:s="{SOAP11_NS}"><s:Header/></s:Envelope>"#)),
        (
            "two body elements",
            good.replace("<b:B xmlns:b=\"urn:b\"/>", "<b:B xmlns:b=\"urn:b\"/><b:C xmlns:b=\"urn:b\"/>"),
        ),
        ("text in Body", good.replace("<s:Body>", "<s:Body>text")),
        ("unqualified header entry", good.replace(r#"<h:E xmlns:h="urn:h"/>"#, "<E/>")),
        ("other encoding declared", format!(r#"<?xml version="1.0" encoding="ISO-8859-1"?>{good}"#)),
        ("not well-formed", good.replace("</s:Body>", "")),
    ];
    for (kind, xml) in &bad {
        assert!(check_envelope(xml, SOAP11_NS).is_err(), "{kind}: accepted\n{xml}");
    }
}

/// The corpus instance writer never writes an element of an abstract type without `xsi:type`,
/// not even when it makes a nillable one nil (`xsi:nil` alone leaves the abstract type in force:
/// invalid, and it would be blamed on the generator): every instance of a list of nillable
/// items of an abstract type validates, with nils wanted at every chance.
#[test]
fn the_instance_writer_never_leaves_an_abstract_type_in_force() {
    use wsdlgen_tests::support::instance::{QName, xmllint_batch};
    use wsdlgen_tests::support::instance_any::AnyWriter;
    use wsdlgen_tests::support::xsd::SchemaSet;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/wsdl/abstract.wsdl");
    let set = SchemaSet::from_wsdl(path).unwrap();
    let mut writer = AnyWriter::new(&set);
    writer.options.nil_every = 1;
    let docs: Vec<String> =
        (0..12).map(|i| writer.write(&QName::new("urn:shapes", "Figures"), &format!("figures {i}")).unwrap()).collect();
    assert!(docs.iter().all(|d| d.contains(":Shape")), "{docs:?}");
    let xsd = WsdlSchemas::from_wsdl(path).unwrap();
    let verdicts = xmllint_batch(xsd.root_xsd(), &docs.iter().map(|d| d.as_bytes()).collect::<Vec<_>>());
    for (doc, verdict) in docs.iter().zip(&verdicts) {
        assert!(verdict.is_ok(), "{verdict:?}\n{doc}");
    }
    // The check can fail: an item nil without its xsi:type is refused.
    let bad = r#"<t:Figures xmlns:t="urn:shapes" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><t:Shape xsi:nil="true"/></t:Figures>"#;
    assert!(xmllint_batch(xsd.root_xsd(), &[bad.as_bytes()])[0].is_err());
}

/// What an instance holds, counted from its text.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Richness {
    elements: usize,
    attributes: usize,
    nils: usize,
    xsi_types: usize,
    distinct_names: usize,
}

fn richness(docs: &[String]) -> Richness {
    const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
    let mut r = Richness::default();
    let mut names = std::collections::BTreeSet::new();
    for doc in docs {
        let tree = roxmltree::Document::parse(doc).unwrap();
        for node in tree.descendants().filter(roxmltree::Node::is_element) {
            r.elements += 1;
            names.insert((
                node.tag_name().namespace().unwrap_or_default().to_owned(),
                node.tag_name().name().to_owned(),
            ));
            for a in node.attributes() {
                match (a.namespace(), a.name()) {
                    (Some(XSI), "nil") => r.nils += 1,
                    (Some(XSI), "type") => r.xsi_types += 1,
                    _ => r.attributes += 1,
                }
            }
        }
    }
    r.distinct_names = names.len();
    r
}

/// The corpus instance writer's full instances are richer than its minimal ones in every way it
/// claims (more elements, attributes, kinds of element, derived types by `xsi:type`, nils where
/// asked for), with numbers, over every request and response element of WSDLs that use all of
/// it: so a "full" instance that silently stopped filling optional parts would fail here.
/// Today, over 391 documents each: full 11,324 elements, 364 attributes, 716 nils, 4 `xsi:type`s,
/// 1,509 distinct element names; minimal 732, 10, 0, 2 (abstract types need one), 538.
#[test]
fn full_instances_are_measurably_richer_than_minimal_ones() {
    use wsdlgen_tests::support::instance_any::AnyWriter;
    use wsdlgen_tests::support::xsd::SchemaSet;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let wsdls = [
        "corpus/onvif-devicemgmt/ver10/device/wsdl/devicemgmt.wsdl",
        "corpus/fedex-ship/ShipService_v23.wsdl",
        "wsdl/abstract.wsdl",
        "wsdl/open.wsdl",
        "../wsdl/Services87-User.wsdl",
    ];
    let (mut full, mut minimal) = (Vec::new(), Vec::new());
    for wsdl in wsdls {
        let set = SchemaSet::from_wsdl(root.join(wsdl)).unwrap_or_else(|e| panic!("{wsdl}: {e}"));
        let mut writer = AnyWriter::new(&set);
        let elements: Vec<_> =
            set.operations.iter().flat_map(|o| o.input.iter().chain(o.output.iter())).cloned().collect();
        assert!(!elements.is_empty(), "{wsdl}");
        for (i, element) in elements.iter().enumerate() {
            writer.options.minimal = false;
            writer.options.nil_every = 3;
            full.push(writer.write(element, &format!("{wsdl} {i}")).unwrap());
            writer.options.minimal = true;
            writer.options.nil_every = 0;
            minimal.push(writer.write(element, &format!("{wsdl} {i}")).unwrap());
        }
    }
    let (f, m) = (richness(&full), richness(&minimal));
    println!("{} documents each: full {f:?}, minimal {m:?}", full.len());
    assert!(f.elements >= 3 * m.elements, "full {f:?} minimal {m:?}");
    assert!(f.attributes >= 2 * m.attributes.max(1), "full {f:?} minimal {m:?}");
    assert!(f.distinct_names >= 2 * m.distinct_names, "full {f:?} minimal {m:?}");
    assert!(f.xsi_types > m.xsi_types, "full {f:?} minimal {m:?}");
    assert!(f.nils > 0 && m.nils == 0, "full {f:?} minimal {m:?}");
}
