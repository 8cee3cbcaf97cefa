//! Runs the real `save_credential` example of `services87` (`generated/examples/save_credential/`)
//! and its blocking twin (`save_credential_blocking.rs`, a plain `fn main` without an async
//! runtime) against the test server: what each prints, its exit code, and the request it sends,
//! the same for both.
//!
//! The examples are built once per test run with the same cargo and profile as this test.

use std::path::Path;
use std::process::Command;

use roxmltree::{Document, Node};
use wsdlgen_tests::support::examples::{Output, RUN_TIMEOUT, example_binary, run_bounded, workspace_root};
use wsdlgen_tests::support::http::{Request, Response, TestServer};
use wsdlgen_tests::support::instance::standalone;
use wsdlgen_tests::support::schema::{SoapVersion, WsdlSchemas, validate_envelope_structure};

const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services87";
const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SAVE_CREDENTIAL_ACTION: &str = "http://www.superoffice.net/ws/crm/NetServer/Services87/User/SaveCredential";

/// The two examples, which must behave alike.
const EXAMPLES: [&str; 2] = ["save_credential", "save_credential_blocking"];

fn run_example(example: &str, args: &[&str]) -> Output {
    let mut command = Command::new(example_binary(example));
    command.args(args).env_remove("RUST_LOG");
    run_bounded(command, RUN_TIMEOUT).unwrap_or_else(|e| panic!("{e}"))
}

/// Arguments for a call to `endpoint` as user 42, with an optional application token.
fn args<'a>(endpoint: &'a str, app_token: Option<&'a str>) -> Vec<&'a str> {
    let mut args = vec!["--endpoint", endpoint, "--ticket", "7T:ZXhhbXBsZQ=="];
    if let Some(token) = app_token {
        args.extend(["--app-token", token]);
    }
    args.extend(["--user-id", "42", "--type", "password", "--value", "s3cr&t", "--display-value", "Secret <1>"]);
    args
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/services87").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------------
// checking the request the example sent
// ---------------------------------------------------------------------------------------------

fn elements<'a, 'i>(node: Node<'a, 'i>) -> Vec<Node<'a, 'i>> {
    node.children().filter(Node::is_element).collect()
}

fn text_at(node: Node<'_, '_>, path: &[&str]) -> String {
    let mut at = node;
    for local in path {
        let found: Vec<_> = at.children().filter(|n| n.has_tag_name((NS, *local))).collect();
        assert_eq!(found.len(), 1, "expected one {local} below {:?}", at.tag_name());
        at = found[0];
    }
    at.text().unwrap_or_default().to_owned()
}

/// Checks the one request the example sent: HTTP level, envelope shape (xmllint), header
/// entries inside `Header` (each valid against the WSDL's schema), and the body element
/// (valid against the WSDL's schema, with the values given on the command line).
/// Returns the local names of the header entries, in order.
fn check_request(server: &TestServer) -> Vec<String> {
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "the example must send exactly one request");
    let request: &Request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.header("Content-Type"), Some("text/xml; charset=utf-8"));
    assert_eq!(request.header("SOAPAction"), Some(format!("\"{SAVE_CREDENTIAL_ACTION}\"").as_str()));

    let xml = request.body_text();
    validate_envelope_structure(xml.as_bytes(), SoapVersion::Soap11)
        .unwrap_or_else(|e| panic!("not a SOAP 1.1 envelope: {e}\n{xml}"));
    let schemas =
        WsdlSchemas::from_wsdl(workspace_root().join("wsdl/Services87-User.wsdl")).expect("User WSDL schemas");
    let doc = Document::parse(&xml).expect("well-formed request");
    let root = doc.root_element();
    assert!(root.has_tag_name((SOAP11_NS, "Envelope")));
    let parts = elements(root);
    let (header, body) = match parts.as_slice() {
        [header, body] if header.has_tag_name((SOAP11_NS, "Header")) && body.has_tag_name((SOAP11_NS, "Body")) => {
            (*header, *body)
        }
        _ => panic!("the envelope must hold Header and Body only (the example always sends a ticket)\n{xml}"),
    };

    let mut names = Vec::new();
    for entry in elements(header) {
        assert_eq!(entry.tag_name().namespace(), Some(NS), "{xml}");
        let entry_xml = standalone(entry);
        schemas.validate(entry_xml.as_bytes()).unwrap_or_else(|e| panic!("invalid header entry: {e}\n{entry_xml}"));
        match entry.tag_name().name() {
            "ApplicationToken" => assert_eq!(entry.text(), Some("app-token-5678")),
            "Credentials" => assert_eq!(text_at(entry, &["Ticket"]), "7T:ZXhhbXBsZQ=="),
            other => panic!("unexpected header entry {other}\n{xml}"),
        }
        names.push(entry.tag_name().name().to_owned());
    }

    let payload = elements(body);
    assert_eq!(payload.len(), 1, "{xml}");
    let body_xml = standalone(payload[0]);
    schemas.validate(body_xml.as_bytes()).unwrap_or_else(|e| panic!("invalid body element: {e}\n{body_xml}"));
    let body = payload[0];
    assert!(body.has_tag_name((NS, "SaveCredential")), "{xml}");
    assert_eq!(text_at(body, &["UserId"]), "42");
    assert_eq!(text_at(body, &["Credential", "Type", "Type"]), "password");
    assert_eq!(text_at(body, &["Credential", "Value"]), "s3cr&t");
    assert_eq!(text_at(body, &["Credential", "DisplayValue"]), "Secret <1>");
    names
}

// ---------------------------------------------------------------------------------------------
// tests
// ---------------------------------------------------------------------------------------------

#[test]
fn success_prints_saved_true_and_sends_a_valid_request() {
    for example in EXAMPLES {
        let server = TestServer::always(Response::xml(200, fixture("save_credential_response_true.xml")));
        let url = server.url();
        let out = run_example(example, &args(&url, Some("app-token-5678")));
        assert_eq!(out.code(), Some(0), "stderr: {}", out.stderr);
        assert_eq!(out.stdout, "saved: true\n");
        assert_eq!(out.stderr, "");
        // The example has no time zone option, so TimeZone is not sent.
        assert_eq!(check_request(&server), ["ApplicationToken", "Credentials"]);
    }
}

#[test]
fn without_app_token_only_the_ticket_is_sent_and_false_is_printed() {
    for example in EXAMPLES {
        let body = fixture("save_credential_response_true.xml")
            .replace("<Response>true</Response>", "<Response>false</Response>");
        let server = TestServer::always(Response::xml(200, body));
        let url = server.url();
        let out = run_example(example, &args(&url, None));
        assert_eq!(out.code(), Some(0), "stderr: {}", out.stderr);
        assert_eq!(out.stdout, "saved: false\n");
        assert_eq!(check_request(&server), ["Credentials"]);
    }
}

#[test]
fn service_error_prints_the_exception_message_and_exits_1() {
    for example in EXAMPLES {
        let server = TestServer::always(Response::xml(200, fixture("service_error.xml")));
        let url = server.url();
        let out = run_example(example, &args(&url, Some("app-token-5678")));
        assert_eq!(out.code(), Some(1), "stdout: {} stderr: {}", out.stdout, out.stderr);
        assert_eq!(out.stdout, "");
        assert!(out.stderr.contains("Failed to save the credential for user 42"), "{}", out.stderr);
        check_request(&server);
    }
}

#[test]
fn soap_fault_prints_the_fault_reason_and_exits_1() {
    for example in EXAMPLES {
        let server = TestServer::always(Response::xml(500, fixture("soap11_fault.xml")));
        let url = server.url();
        let out = run_example(example, &args(&url, Some("app-token-5678")));
        assert_eq!(out.code(), Some(1), "stdout: {} stderr: {}", out.stdout, out.stderr);
        assert_eq!(out.stdout, "");
        assert!(out.stderr.contains("The ticket 7T:expired== is not valid"), "{}", out.stderr);
        check_request(&server);
    }
}

#[test]
fn garbage_response_prints_an_error_and_exits_1() {
    for example in EXAMPLES {
        let server = TestServer::always(Response::xml(200, "this is not XML <<<"));
        let url = server.url();
        let out = run_example(example, &args(&url, Some("app-token-5678")));
        assert_eq!(out.code(), Some(1), "stdout: {} stderr: {}", out.stdout, out.stderr);
        assert_eq!(out.stdout, "");
        assert!(out.stderr.starts_with("error:"), "{}", out.stderr);
        assert!(out.stderr.contains("decode"), "{}", out.stderr);
    }
}

#[test]
fn html_error_page_prints_the_http_status_and_exits_1() {
    for example in EXAMPLES {
        let server = TestServer::always(Response::new(500, "text/html", fixture("error_500.html")));
        let url = server.url();
        let out = run_example(example, &args(&url, None));
        assert_eq!(out.code(), Some(1), "stdout: {} stderr: {}", out.stdout, out.stderr);
        assert!(out.stderr.contains("error:") && out.stderr.contains("500"), "{}", out.stderr);
    }
}

#[test]
fn unreachable_endpoint_prints_a_transport_error_and_exits_1() {
    for example in EXAMPLES {
        // A port nobody listens on: bind, note the port, close.
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
        let url = format!("http://127.0.0.1:{port}/soap");
        let out = run_example(example, &args(&url, None));
        assert_eq!(out.code(), Some(1), "stdout: {} stderr: {}", out.stdout, out.stderr);
        assert!(out.stderr.starts_with("error:"), "{}", out.stderr);
    }
}

#[test]
fn bad_arguments_print_usage_and_exit_2() {
    for example in EXAMPLES {
        let out = run_example(example, &["--endpoint", "http://127.0.0.1:1/soap", "--ticket", "t"]);
        assert_eq!(out.code(), Some(2));
        assert!(out.stderr.contains("missing --user-id") && out.stderr.contains("usage:"), "{}", out.stderr);

        let out = run_example(
            example,
            &[
                "--endpoint",
                "http://127.0.0.1:1/soap",
                "--ticket",
                "t",
                "--user-id",
                "forty-two",
                "--type",
                "x",
                "--value",
                "y",
            ],
        );
        assert_eq!(out.code(), Some(2));
        assert!(out.stderr.contains("forty-two"), "{}", out.stderr);
    }
}

#[test]
fn the_blocking_example_prints_exactly_what_the_async_one_prints() {
    let responses = [
        Response::xml(200, fixture("save_credential_response_true.xml")),
        Response::xml(200, fixture("service_error.xml")),
        Response::xml(500, fixture("soap11_fault.xml")),
        Response::xml(200, "this is not XML <<<"),
        Response::new(500, "text/html", fixture("error_500.html")),
    ];
    for response in responses {
        let server = TestServer::always(response);
        let url = server.url();
        let [a, b] = EXAMPLES.map(|example| run_example(example, &args(&url, Some("app-token-5678"))));
        assert_eq!((a.code(), &a.stdout, &a.stderr), (b.code(), &b.stdout, &b.stderr));
        let requests = server.requests();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0].body_text(), requests[1].body_text());
    }
}
