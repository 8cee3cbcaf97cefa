//! The generated `services87` clients over real HTTP, against the test server on 127.0.0.1.
//!
//! Requests are checked on the wire: HTTP method and headers, the envelope's shape (xmllint
//! against the SOAP 1.1 envelope schema), header entries and body element by namespace URI and
//! local name, and the body element (and each header entry) against the WSDL's own schemas.
//! Responses are canned WCF-style envelopes from `tests/fixtures/services87/`.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

use roxmltree::{Document, Node};
use services87::runtime::{Error, Nillable, SoapVersion as WireVersion};
use services87::so_principal::{SoPrincipalClient, UserType};
use services87::user::{Credential, CredentialControlType, CredentialType, SaveCredential, SoTimeZone, UserClient};
use wsdlgen_tests::support::http::{Request, Response, TestServer};
use wsdlgen_tests::support::instance::standalone;
use wsdlgen_tests::support::schema::{SoapVersion, WsdlSchemas, validate_envelope_structure};

const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services87";
const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12_NS: &str = "http://www.w3.org/2003/05/soap-envelope";
const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";
const SAVE_CREDENTIAL_ACTION: &str = "http://www.superoffice.net/ws/crm/NetServer/Services87/User/SaveCredential";
const AUTHENTICATE_ACTION: &str =
    "http://www.superoffice.net/ws/crm/NetServer/Services87/SoPrincipal/AuthenticateUsernamePassword";

/// Upper bound for any single call; the runtime's own timeouts are much longer.
const CALL_TIMEOUT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn user_schemas() -> WsdlSchemas {
    WsdlSchemas::from_wsdl(workspace_root().join("wsdl/Services87-User.wsdl")).expect("User WSDL schemas")
}

fn so_principal_schemas() -> WsdlSchemas {
    WsdlSchemas::from_wsdl(workspace_root().join("wsdl/Services87-SoPrincipal.wsdl")).expect("SoPrincipal WSDL schemas")
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/services87").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()))
}

/// Awaits `future`, failing the test instead of hanging when it takes too long.
async fn bounded<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(CALL_TIMEOUT, future).await.expect("the call did not finish in time")
}

fn credential(kind: &str, value: &str, display: &str) -> Credential {
    Credential {
        r#type: CredentialType {
            r#type: kind.into(),
            value_control: Some(CredentialControlType::Password),
            ..Default::default()
        }
        .into(),
        value: value.into(),
        display_value: display.into(),
        ..Default::default()
    }
}

fn time_zone() -> SoTimeZone {
    SoTimeZone { so_time_zone_id: Some(37), so_time_zone_location_code: "NOOSL".into() }
}

/// A client with all three request header entries set.
fn full_client(server: &TestServer) -> UserClient {
    UserClient::new(server.url())
        .with_ticket("7T:dGlja2V0==")
        .with_application_token("app-token-1234".to_owned())
        .with_time_zone(time_zone())
}

/// Element children of `node`.
fn elements<'a, 'i>(node: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    node.children().filter(Node::is_element).collect()
}

/// The only element child of `node` named `{ns}local`, panicking when there is none or several.
fn child<'a, 'i>(node: Node<'a, 'i>, ns: &str, local: &str) -> Node<'a, 'i> {
    let found: Vec<_> = node.children().filter(|n| n.has_tag_name((ns, local))).collect();
    match found.as_slice() {
        [one] => *one,
        _ => panic!("expected exactly one {{{ns}}}{local} in {:?}, found {}", node.tag_name(), found.len()),
    }
}

/// The text of the element at `path` (local names in namespace `NS`) below `node`.
fn text_at(node: Node<'_, '_>, path: &[&str]) -> String {
    let mut at = node;
    for local in path {
        at = child(at, NS, local);
    }
    at.text().unwrap_or_default().to_owned()
}

fn expanded_name(node: Node<'_, '_>) -> (String, String) {
    (node.tag_name().namespace().unwrap_or_default().to_owned(), node.tag_name().name().to_owned())
}

/// What every SOAP 1.1 request must look like on the HTTP level.
fn assert_soap11_http(request: &Request, action: &str) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/soap");
    assert_eq!(request.header("Content-Type"), Some("text/xml; charset=utf-8"));
    assert_eq!(request.header("SOAPAction"), Some(format!("\"{action}\"").as_str()));
}

/// The parts of a checked request envelope, each as a standalone document.
struct CheckedRequest {
    /// The body element.
    body: String,
    /// The header entries in order, keyed by `(namespace URI, local name)`.
    headers: Vec<((String, String), String)>,
}

/// Checks the envelope of a request (xmllint against the SOAP 1.1 envelope schema; only
/// `Header` and `Body` under `Envelope`; one body element) and validates the body element and
/// every header entry against `schemas`.
fn check_envelope(request: &Request, schemas: &WsdlSchemas) -> CheckedRequest {
    let xml = request.body_text();
    validate_envelope_structure(xml.as_bytes(), SoapVersion::Soap11)
        .unwrap_or_else(|e| panic!("not a SOAP 1.1 envelope: {e}\n{xml}"));
    let doc = Document::parse(&xml).unwrap_or_else(|e| panic!("request is not well-formed: {e}\n{xml}"));
    let root = doc.root_element();
    assert!(root.has_tag_name((SOAP11_NS, "Envelope")), "{xml}");
    let parts = elements(root);
    let names: Vec<_> = parts.iter().map(|n| expanded_name(*n)).collect();
    let (header, body) = match names.iter().map(|(ns, l)| (ns.as_str(), l.as_str())).collect::<Vec<_>>().as_slice() {
        [(SOAP11_NS, "Header"), (SOAP11_NS, "Body")] => (Some(parts[0]), parts[1]),
        [(SOAP11_NS, "Body")] => (None, parts[0]),
        other => panic!("Envelope must hold [Header,] Body and nothing else, found {other:?}\n{xml}"),
    };
    let mut headers = Vec::new();
    if let Some(header) = header {
        for entry in elements(header) {
            let standalone = standalone(entry);
            schemas
                .validate(standalone.as_bytes())
                .unwrap_or_else(|e| panic!("header entry does not validate: {e}\n{standalone}"));
            headers.push((expanded_name(entry), standalone));
        }
    }
    let payload = elements(body);
    assert_eq!(payload.len(), 1, "Body must hold exactly one element\n{xml}");
    let body = standalone(payload[0]);
    schemas.validate(body.as_bytes()).unwrap_or_else(|e| panic!("body element does not validate: {e}\n{body}"));
    CheckedRequest { body, headers }
}

fn header_names(checked: &CheckedRequest) -> Vec<(&str, &str)> {
    checked.headers.iter().map(|((ns, local), _)| (ns.as_str(), local.as_str())).collect()
}

fn assert_save_credential_body(body: &str, user_id: &str, kind: &str, value: &str, display: &str) {
    let doc = Document::parse(body).expect("standalone body");
    let root = doc.root_element();
    assert!(root.has_tag_name((NS, "SaveCredential")), "{body}");
    assert_eq!(text_at(root, &["UserId"]), user_id);
    assert_eq!(text_at(root, &["Credential", "Type", "Type"]), kind);
    assert_eq!(text_at(root, &["Credential", "Value"]), value);
    assert_eq!(text_at(root, &["Credential", "DisplayValue"]), display);
}

fn respond_with(body: String) -> TestServer {
    TestServer::always(Response::xml(200, body))
}

// ---------------------------------------------------------------------------------------------
// 1. success, and the request on the wire
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn save_credential_sends_a_valid_request_and_decodes_true() {
    let server = respond_with(fixture("save_credential_response_true.xml"));
    let client = full_client(&server);

    let saved = bounded(client.save_credential(42, credential("password", "s3cr&t <x>", "Secret"))).await;
    assert!(saved.unwrap());

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_soap11_http(request, SAVE_CREDENTIAL_ACTION);

    let checked = check_envelope(request, &user_schemas());
    assert_eq!(header_names(&checked), [(NS, "ApplicationToken"), (NS, "Credentials"), (NS, "TimeZone")]);
    let header = |local: &str| {
        let (_, xml) = checked.headers.iter().find(|((_, l), _)| l == local).expect("header entry");
        xml.clone()
    };
    let token = header("ApplicationToken");
    assert_eq!(Document::parse(&token).unwrap().root_element().text(), Some("app-token-1234"));
    let credentials = header("Credentials");
    assert_eq!(text_at(Document::parse(&credentials).unwrap().root_element(), &["Ticket"]), "7T:dGlja2V0==");
    let tz = header("TimeZone");
    let tz = Document::parse(&tz).unwrap();
    assert_eq!(text_at(tz.root_element(), &["SoTimeZoneId"]), "37");
    assert_eq!(text_at(tz.root_element(), &["SoTimeZoneLocationCode"]), "NOOSL");

    // Special characters arrive escaped and decode back to the original text.
    assert_save_credential_body(&checked.body, "42", "password", "s3cr&t <x>", "Secret");
    let body = Document::parse(&checked.body).unwrap();
    assert_eq!(text_at(body.root_element(), &["Credential", "Type", "ValueControl"]), "Password");
    // Unset optional, non-nillable members are left out rather than sent empty.
    let kind = child(child(body.root_element(), NS, "Credential"), NS, "Type");
    assert!(kind.children().all(|n| !n.has_tag_name((NS, "CanCreatePerson"))), "{}", checked.body);
}

/// HTTP-level authentication and headers: Basic credentials and custom headers reach the
/// server with every call, stay out of `Debug`, and the SOAP client's own headers cannot be
/// overridden.
#[tokio::test]
async fn http_basic_auth_and_custom_headers() {
    let server = respond_with(fixture("save_credential_response_true.xml"));
    let mut client = UserClient::new(server.url());
    client.soap_client_mut().set_basic_auth("svc-user", "pa:ss w\u{f8}rd").unwrap();
    client.soap_client_mut().set_http_header("X-Api-Key", "key-123").unwrap();
    client.soap_client_mut().set_http_header("x-api-key", "key-456").unwrap(); // replaces
    let debug = format!("{client:?}");
    assert!(!debug.contains("key-456") && !debug.contains("svc-user"), "{debug}");

    bounded(client.save_credential(1, credential("password", "x", "x"))).await.unwrap();
    let request = &server.requests()[0];
    // base64("svc-user:pa:ss wørd") with the password's UTF-8 bytes.
    assert_eq!(request.header("authorization"), Some("Basic c3ZjLXVzZXI6cGE6c3Mgd8O4cmQ="));
    assert_eq!(request.headers.get_all("x-api-key").collect::<Vec<_>>(), ["key-456"]);
    assert_soap11_http(request, SAVE_CREDENTIAL_ACTION);

    client.soap_client_mut().remove_http_header("X-API-KEY");
    bounded(client.save_credential(1, credential("password", "x", "x"))).await.unwrap();
    assert_eq!(server.requests()[1].header("x-api-key"), None);

    let soap = client.soap_client_mut();
    for (name, value) in
        [("Content-Type", "text/plain"), ("SOAPAction", "x"), ("bad name", "x"), ("X-A", "line\nbreak")]
    {
        let e = soap.set_http_header(name, value).unwrap_err();
        assert_eq!(e.name, name, "{e}");
    }
}

#[tokio::test]
async fn save_credential_decodes_false() {
    let body =
        fixture("save_credential_response_true.xml").replace("<Response>true</Response>", "<Response>false</Response>");
    let server = respond_with(body);
    let saved = bounded(full_client(&server).save_credential(7, credential("ad", "DOMAIN\\jane", ""))).await;
    assert!(!saved.unwrap());
    let checked = check_envelope(&server.requests()[0], &user_schemas());
    assert_save_credential_body(&checked.body, "7", "ad", "DOMAIN\\jane", "");
}

/// The response example of the SuperOffice documentation (`../shared/examples/SaveCredential.md`):
/// a SOAP 1.2 envelope, prefixed body elements, `xsi:type` on the value.
#[tokio::test]
async fn save_credential_decodes_the_documentation_example_response() {
    let server = TestServer::always(Response::new(
        200,
        "application/soap+xml; charset=utf-8",
        fixture("doc_example_response.xml"),
    ));
    let reply = bounded(
        full_client(&server)
            .call(&SaveCredential { user_id: Some(0), credential: Nillable::Value(credential("", "", "")) }),
    )
    .await
    .unwrap();
    assert_eq!(reply.body.response, Some(false));
    assert_eq!(reply.version, WireVersion::Soap12);
}

// ---------------------------------------------------------------------------------------------
// 2. service error reported in headers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn succeeded_false_is_a_service_error_with_the_exception_info() {
    let server = respond_with(fixture("service_error.xml"));
    let err = bounded(full_client(&server).save_credential(42, credential("password", "x", "y"))).await.unwrap_err();
    let Error::Service(info) = err else { panic!("expected Error::Service, got {err:?}") };

    assert_eq!(info.message.value().map(String::as_str), Some("Failed to save the credential for user 42"));
    assert_eq!(info.exception_type.value().map(String::as_str), Some("SuperOffice.CRM.Security.SoSecurityException"));
    assert!(info.stack_trace.value().is_some_and(|s| s.contains("UserAgent.SaveCredential")), "{info:?}");
    assert!(info.friendly_text.is_nil());
    assert_eq!(info.source.value().map(String::as_str), Some("SoCore"));
    assert_eq!(info.to_string(), "Failed to save the credential for user 42");

    let inner = info.inner_exception.value().expect("first inner exception");
    assert_eq!(
        inner.message.value().map(String::as_str),
        Some("Credential type <password> is not allowed & was rejected")
    );
    assert_eq!(inner.friendly_text.value().map(String::as_str), Some("Not allowed"));
    assert!(inner.stack_trace.is_nil());
    assert!(inner.parameters.is_nil());
    let innermost = inner.inner_exception.value().expect("second inner exception");
    assert_eq!(innermost.message.value().map(String::as_str), Some("Innermost: constraint CREDENTIAL_TYPE violated"));
    assert_eq!(innermost.exception_type.value().map(String::as_str), Some("System.Data.SqlClient.SqlException"));
    assert!(innermost.inner_exception.is_nil());

    let parameters = info.parameters.value().expect("parameters");
    assert_eq!(parameters.len(), 2);
    assert_eq!(parameters.get_str("UserId"), Some(&Some("42".to_owned())));
    assert_eq!(parameters.get_str("CredentialType"), Some(&None));
    let keys: Vec<_> = parameters.iter().map(|(k, _)| k.as_deref()).collect();
    assert_eq!(keys, [Some("UserId"), Some("CredentialType")]);
}

/// `Succeeded` false without any `ExceptionInfo` is still a service error (with empty details).
#[tokio::test]
async fn succeeded_false_without_exception_info_is_still_a_service_error() {
    let body = format!(
        r#"<s:Envelope xmlns:s="{SOAP11_NS}"><s:Header><Succeeded xmlns="{NS}">false</Succeeded></s:Header><s:Body><SaveCredentialResponse xmlns="{NS}"/></s:Body></s:Envelope>"#
    );
    let server = respond_with(body);
    let err = bounded(full_client(&server).save_credential(1, credential("a", "b", "c"))).await.unwrap_err();
    let Error::Service(info) = err else { panic!("expected Error::Service, got {err:?}") };
    assert!(info.message.is_absent());
}

// ---------------------------------------------------------------------------------------------
// 3. / 4. SOAP faults
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn soap11_fault_is_decoded() {
    let server = TestServer::always(Response::xml(500, fixture("soap11_fault.xml")));
    let err = bounded(full_client(&server).save_credential(42, credential("password", "x", "y"))).await.unwrap_err();
    let Error::Fault(fault) = err else { panic!("expected Error::Fault, got {err:?}") };

    assert_eq!(fault.version, WireVersion::Soap11);
    assert_eq!(fault.code, "s:Client");
    assert_eq!(fault.code_ns.as_deref(), Some(SOAP11_NS));
    assert!(fault.subcodes.is_empty());
    assert_eq!(fault.reason, "The ticket 7T:expired== is not valid");
    assert_eq!(fault.reason_lang.as_deref(), Some("en-US"));
    assert_eq!(fault.actor, None);
    let detail = fault.detail.as_ref().expect("detail");
    assert!(detail.xml.contains("<ExceptionDetail"), "{detail:?}");
    assert!(detail.xml.contains("SoSessionException"), "{detail:?}");
    // The detail can be decoded further, with the namespaces it was written with.
    let inner = fault
        .decode_detail::<services87::runtime::RawXml>(
            "http://schemas.datacontract.org/2004/07/System.ServiceModel",
            "ExceptionDetail",
        )
        .expect("a detail")
        .expect("ExceptionDetail decodes");
    assert!(inner.xml.contains("<Type>SuperOffice.Exceptions.SoSessionException</Type>"), "{inner:?}");
    assert_eq!(fault.to_string(), "s:Client: The ticket 7T:expired== is not valid");
}

#[tokio::test]
async fn soap12_fault_is_decoded() {
    let server =
        TestServer::always(Response::new(500, "application/soap+xml; charset=utf-8", fixture("soap12_fault.xml")));
    let err = bounded(full_client(&server).save_credential(42, credential("password", "x", "y"))).await.unwrap_err();
    let Error::Fault(fault) = err else { panic!("expected Error::Fault, got {err:?}") };

    assert_eq!(fault.version, WireVersion::Soap12);
    assert_eq!(fault.code, "s:Sender");
    assert_eq!(fault.code_ns.as_deref(), Some(SOAP12_NS));
    assert_eq!(fault.subcodes, ["a:DestinationUnreachable", "so:UnknownEndpoint"]);
    // The first Reason/Text, with its language.
    assert_eq!(fault.reason, "The message cannot be processed at the receiver");
    assert_eq!(fault.reason_lang.as_deref(), Some("en-US"));
    // Elements after the nested Subcodes are still read.
    let detail = fault.detail.as_ref().expect("detail");
    assert!(detail.xml.contains("EndpointNotFoundException"), "{detail:?}");
}

// ---------------------------------------------------------------------------------------------
// 5. - 7. HTTP errors and undecodable responses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn html_error_page_is_an_http_error() {
    let server = TestServer::always(Response::new(500, "text/html; charset=utf-8", fixture("error_500.html")));
    let err = bounded(full_client(&server).save_credential(42, credential("password", "x", "y"))).await.unwrap_err();
    let Error::Http { status, content_type, excerpt } = &err else { panic!("expected Error::Http, got {err:?}") };
    assert_eq!(*status, 500);
    assert_eq!(content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert!(excerpt.contains("500 - Internal server error."), "{excerpt}");
    assert!(err.to_string().contains("500"), "{err}");
}

#[tokio::test]
async fn truncated_response_is_a_decode_error_naming_the_path() {
    let server = respond_with(fixture("truncated.xml"));
    let err = bounded(full_client(&server).save_credential(42, credential("password", "x", "y"))).await.unwrap_err();
    let Error::Decode(e) = &err else { panic!("expected Error::Decode, got {err:?}") };
    let message = e.to_string();
    assert!(message.contains("Envelope"), "{message}");
    assert!(e.path.starts_with("Envelope"), "{e:?}");
}

#[tokio::test]
async fn invalid_boolean_is_a_decode_error_naming_the_element() {
    let server = respond_with(fixture("not_a_bool.xml"));
    let err = bounded(full_client(&server).save_credential(42, credential("password", "x", "y"))).await.unwrap_err();
    let Error::Decode(e) = &err else { panic!("expected Error::Decode, got {err:?}") };
    let message = e.to_string();
    assert!(message.contains("SaveCredentialResponse/Response"), "{message}");
    assert!(message.contains("xs:boolean"), "{message}");
}

/// A 200 response with an HTML body is not a SOAP answer: a content-type error.
#[tokio::test]
async fn html_with_status_200_is_a_content_type_error() {
    let server = TestServer::always(Response::new(200, "text/html", fixture("error_500.html")));
    let err = bounded(full_client(&server).save_credential(42, credential("password", "x", "y"))).await.unwrap_err();
    let Error::ContentType { content_type, excerpt } = &err else { panic!("expected Error::ContentType, got {err:?}") };
    assert_eq!(content_type, "text/html");
    assert!(excerpt.contains("Server Error"), "{excerpt}");
}

// ---------------------------------------------------------------------------------------------
// 8. response headers
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn call_returns_the_response_headers() {
    let server = respond_with(fixture("save_credential_response_true.xml"));
    let request = SaveCredential { user_id: Some(1), credential: Nillable::Value(credential("password", "x", "y")) };
    let reply = bounded(full_client(&server).call(&request)).await.unwrap();

    assert_eq!(reply.version, WireVersion::Soap11);
    assert_eq!(reply.body.response, Some(true));
    assert_eq!(reply.headers.succeeded, Some(true));
    assert!(reply.headers.exception_info.is_nil());
    assert_eq!(reply.headers.time_zone, Nillable::Value(time_zone()));
    let extra = reply.headers.extra_info.value().expect("ExtraInfo");
    assert_eq!(extra.get_str("ServerVersion"), Some(&Some("10.3.7".to_owned())));
    assert_eq!(extra.get_str("Note"), Some(&None));

    let checked = check_envelope(&server.requests()[0], &user_schemas());
    assert_save_credential_body(&checked.body, "1", "password", "x", "y");
}

// ---------------------------------------------------------------------------------------------
// 9. connection reuse
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn sequential_calls_reuse_one_connection() {
    let server = respond_with(fixture("save_credential_response_true.xml"));
    let client = full_client(&server);
    for user_id in 0..5 {
        assert!(bounded(client.save_credential(user_id, credential("password", "x", "y"))).await.unwrap());
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 5);
    assert_eq!(server.connections(), 1);
    assert!(requests.iter().all(|r| r.connection == 0));
    // Clones share the pool too.
    let clone = client.clone();
    assert!(bounded(clone.save_credential(5, credential("password", "x", "y"))).await.unwrap());
    assert_eq!(server.connections(), 1);
}

// ---------------------------------------------------------------------------------------------
// 10. no header entries
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_client_without_headers_sends_no_header_element() {
    let server = respond_with(fixture("save_credential_response_true.xml"));
    let client = UserClient::new(server.url());
    assert!(bounded(client.save_credential(3, credential("password", "x", "y"))).await.unwrap());

    let request = &server.requests()[0];
    assert_soap11_http(request, SAVE_CREDENTIAL_ACTION);
    let xml = request.body_text();
    let doc = Document::parse(&xml).unwrap();
    assert!(doc.descendants().all(|n| !n.has_tag_name((SOAP11_NS, "Header"))), "{xml}");
    let checked = check_envelope(request, &user_schemas());
    assert!(checked.headers.is_empty());
    assert_save_credential_body(&checked.body, "3", "password", "x", "y");
}

/// Only the header entries that are set are sent, in the WSDL's order.
#[tokio::test]
async fn only_the_header_entries_that_are_set_are_sent() {
    let server = respond_with(fixture("save_credential_response_true.xml"));
    let client = UserClient::new(server.url()).with_ticket("7T:only==");
    assert!(bounded(client.save_credential(3, credential("password", "x", "y"))).await.unwrap());
    let checked = check_envelope(&server.requests()[0], &user_schemas());
    assert_eq!(header_names(&checked), [(NS, "Credentials")]);
}

/// A nil `Credential` parameter is sent as `xsi:nil` and still validates.
#[tokio::test]
async fn nil_parameter_is_sent_as_xsi_nil() {
    let server = respond_with(fixture("save_credential_response_true.xml"));
    let request = SaveCredential { user_id: Some(9), credential: Nillable::Nil };
    bounded(full_client(&server).call(&request)).await.unwrap();
    let checked = check_envelope(&server.requests()[0], &user_schemas());
    let doc = Document::parse(&checked.body).unwrap();
    let credential = child(doc.root_element(), NS, "Credential");
    assert_eq!(credential.attribute((XSI_NS, "nil")), Some("true"), "{}", checked.body);
    assert!(elements(credential).is_empty());
}

// ---------------------------------------------------------------------------------------------
// 11. SoPrincipal: getting a ticket
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn so_principal_authenticate_username_password_returns_the_ticket() {
    let server = respond_with(fixture("authenticate_response.xml"));
    let client = SoPrincipalClient::new(server.url()).with_application_token("app-token-1234".to_owned());
    let response =
        bounded(client.authenticate_username_password("jane".to_owned(), "p@ss<&>".to_owned())).await.unwrap();

    let ticket = response.credentials.value().and_then(|c| c.ticket.value()).map(String::as_str);
    assert_eq!(ticket, Some("7T:dGlja2V0LWZvci1qYW5l=="));
    assert_eq!(response.authentication_succeeded, Some(true));
    let principal = response.response.value().expect("SoPrincipalCarrier");
    assert_eq!(principal.user_type, Some(UserType::InternalAssociate));
    assert_eq!(principal.associate.value().map(String::as_str), Some("JANE"));
    assert_eq!(principal.associate_id, Some(42));
    assert_eq!(principal.is_person, Some(true));
    assert_eq!(principal.person_id, Some(1017));

    let request = &server.requests()[0];
    assert_soap11_http(request, AUTHENTICATE_ACTION);
    let checked = check_envelope(request, &so_principal_schemas());
    assert_eq!(header_names(&checked), [(NS, "ApplicationToken")]);
    let doc = Document::parse(&checked.body).unwrap();
    assert!(doc.root_element().has_tag_name((NS, "AuthenticateUsernamePassword")));
    assert_eq!(text_at(doc.root_element(), &["UserName"]), "jane");
    assert_eq!(text_at(doc.root_element(), &["Password"]), "p@ss<&>");
}

// ---------------------------------------------------------------------------------------------
// the fixtures themselves
// ---------------------------------------------------------------------------------------------

/// The canned responses are what the service could really send: their header entries and body
/// elements validate against the WSDLs' schemas (the deliberately broken ones excepted).
#[test]
fn response_fixtures_validate_against_the_wsdl_schemas() {
    let user = user_schemas();
    let principal = so_principal_schemas();
    let service_error = fixture("service_error.xml");
    let cases = [
        ("save_credential_response_true.xml", fixture("save_credential_response_true.xml"), &user),
        ("service_error.xml", service_error, &user),
        ("authenticate_response.xml", fixture("authenticate_response.xml"), &principal),
    ];
    for (name, xml, schemas) in cases {
        validate_envelope_structure(xml.as_bytes(), SoapVersion::Soap11).unwrap_or_else(|e| panic!("{name}: {e}"));
        let doc = Document::parse(&xml).unwrap();
        let root = doc.root_element();
        let mut checked = 0;
        for part in elements(root) {
            for entry in elements(part) {
                if entry.tag_name().namespace() != Some(NS) {
                    continue; // e.g. the diagnostics ActivityId
                }
                let standalone = standalone(entry);
                schemas.validate(standalone.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}\n{standalone}"));
                checked += 1;
            }
        }
        assert!(checked >= 2, "{name}: only {checked} elements checked");
    }
    // WCF puts `xml:lang` on `faultstring`, which the SOAP 1.1 envelope schema does not declare.
    let soap11_fault = fixture("soap11_fault.xml").replace(r#" xml:lang="en-US""#, "");
    validate_envelope_structure(soap11_fault.as_bytes(), SoapVersion::Soap11).unwrap();
    validate_envelope_structure(fixture("soap12_fault.xml").as_bytes(), SoapVersion::Soap12).unwrap();
    validate_envelope_structure(fixture("truncated.xml").as_bytes(), SoapVersion::Soap11).unwrap_err();
}
