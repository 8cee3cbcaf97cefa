//! Runs the real `save_credential` example of `services87` (`generated/examples/save_credential.rs`)
//! against the test server: what it prints, its exit code, and the request it sends.
//!
//! The example is built once per test run with the same cargo and profile as this test.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use roxmltree::{Document, Node};
use wsdlgen_tests::support::http::{Request, Response, TestServer};
use wsdlgen_tests::support::instance::standalone;
use wsdlgen_tests::support::schema::{SoapVersion, WsdlSchemas, validate_envelope_structure};

const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services87";
const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SAVE_CREDENTIAL_ACTION: &str = "http://www.superoffice.net/ws/crm/NetServer/Services87/User/SaveCredential";

/// Bound on building the example (it may have to compile the generated bindings).
const BUILD_TIMEOUT: Duration = Duration::from_secs(900);
/// Bound on one run of the example.
const RUN_TIMEOUT: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------------------------
// building and running the example
// ---------------------------------------------------------------------------------------------

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// `<target>/<profile>`: this test runs from `<target>/<profile>/deps/`.
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current_exe");
    let deps = exe.parent().expect("the test executable's directory");
    assert_eq!(deps.file_name().and_then(|n| n.to_str()), Some("deps"), "unexpected test location {}", exe.display());
    deps.parent().expect("profile directory").to_path_buf()
}

/// The example binary, built on first use (once per test process).
fn example_binary() -> &'static Path {
    static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let built = BINARY.get_or_init(|| {
        let profile_dir = profile_dir();
        let mut cargo = Command::new(env!("CARGO"));
        cargo.current_dir(workspace_root()).args(["build", "-q", "-p", "services87", "--example", "save_credential"]);
        // Variables cargo set for this test's own package must not leak into the nested build:
        // build scripts that watch them (ring watches CARGO_MANIFEST_DIR) would rerun and
        // invalidate the shared target directory on every test run.
        for (name, _) in std::env::vars_os() {
            let Some(name) = name.to_str() else { continue };
            if name.starts_with("CARGO_PKG_")
                || matches!(
                    name,
                    "CARGO_MANIFEST_DIR"
                        | "CARGO_MANIFEST_PATH"
                        | "CARGO_MANIFEST_LINKS"
                        | "CARGO_CRATE_NAME"
                        | "CARGO_BIN_NAME"
                        | "CARGO_PRIMARY_PACKAGE"
                        | "CARGO_TARGET_TMPDIR"
                        | "CARGO_RUSTC_CURRENT_DIR"
                        | "OUT_DIR"
                )
            {
                cargo.env_remove(name);
            }
        }
        match profile_dir.file_name().and_then(|n| n.to_str()) {
            Some("debug") => {}
            Some("release") => {
                cargo.arg("--release");
            }
            Some(other) => {
                cargo.args(["--profile", other]);
            }
            None => return Err(format!("cannot tell the profile from {}", profile_dir.display())),
        }
        if let Some(target_dir) = profile_dir.parent() {
            cargo.arg("--target-dir").arg(target_dir);
        }
        let output = run_bounded(cargo, BUILD_TIMEOUT).map_err(|e| format!("cargo build failed to run: {e}"))?;
        if !output.status.success() {
            return Err(format!("cargo build of the example failed ({}):\n{}", output.status, output.stderr));
        }
        let binary = profile_dir.join("examples").join(format!("save_credential{}", std::env::consts::EXE_SUFFIX));
        if !binary.is_file() {
            return Err(format!("the example was built but {} does not exist", binary.display()));
        }
        Ok(binary)
    });
    match built {
        Ok(path) => path,
        Err(e) => panic!("{e}"),
    }
}

struct Output {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Output {
    fn code(&self) -> Option<i32> {
        self.status.code()
    }
}

fn reader(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Runs `command` to completion, killing it after `timeout`.
fn run_bounded(mut command: Command, timeout: Duration) -> Result<Output, String> {
    let mut child: Child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    let stdout = reader(child.stdout.take().expect("piped stdout"));
    let stderr = reader(child.stderr.take().expect("piped stderr"));
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{command:?} did not finish within {timeout:?}"));
            }
            Err(e) => return Err(format!("waiting for {command:?}: {e}")),
        }
    };
    Ok(Output { status, stdout: stdout.join().expect("stdout reader"), stderr: stderr.join().expect("stderr reader") })
}

fn run_example(args: &[&str]) -> Output {
    let mut command = Command::new(example_binary());
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
    let server = TestServer::always(Response::xml(200, fixture("save_credential_response_true.xml")));
    let url = server.url();
    let out = run_example(&args(&url, Some("app-token-5678")));
    assert_eq!(out.code(), Some(0), "stderr: {}", out.stderr);
    assert_eq!(out.stdout, "saved: true\n");
    assert_eq!(out.stderr, "");
    // The example has no time zone option, so TimeZone is not sent.
    assert_eq!(check_request(&server), ["ApplicationToken", "Credentials"]);
}

#[test]
fn without_app_token_only_the_ticket_is_sent_and_false_is_printed() {
    let body =
        fixture("save_credential_response_true.xml").replace("<Response>true</Response>", "<Response>false</Response>");
    let server = TestServer::always(Response::xml(200, body));
    let url = server.url();
    let out = run_example(&args(&url, None));
    assert_eq!(out.code(), Some(0), "stderr: {}", out.stderr);
    assert_eq!(out.stdout, "saved: false\n");
    assert_eq!(check_request(&server), ["Credentials"]);
}

#[test]
fn service_error_prints_the_exception_message_and_exits_1() {
    let server = TestServer::always(Response::xml(200, fixture("service_error.xml")));
    let url = server.url();
    let out = run_example(&args(&url, Some("app-token-5678")));
    assert_eq!(out.code(), Some(1), "stdout: {} stderr: {}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("Failed to save the credential for user 42"), "{}", out.stderr);
    check_request(&server);
}

#[test]
fn soap_fault_prints_the_fault_reason_and_exits_1() {
    let server = TestServer::always(Response::xml(500, fixture("soap11_fault.xml")));
    let url = server.url();
    let out = run_example(&args(&url, Some("app-token-5678")));
    assert_eq!(out.code(), Some(1), "stdout: {} stderr: {}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("The ticket 7T:expired== is not valid"), "{}", out.stderr);
    check_request(&server);
}

#[test]
fn garbage_response_prints_an_error_and_exits_1() {
    let server = TestServer::always(Response::xml(200, "this is not XML <<<"));
    let url = server.url();
    let out = run_example(&args(&url, Some("app-token-5678")));
    assert_eq!(out.code(), Some(1), "stdout: {} stderr: {}", out.stdout, out.stderr);
    assert_eq!(out.stdout, "");
    assert!(out.stderr.starts_with("error:"), "{}", out.stderr);
    assert!(out.stderr.contains("decode"), "{}", out.stderr);
}

#[test]
fn html_error_page_prints_the_http_status_and_exits_1() {
    let server = TestServer::always(Response::new(500, "text/html", fixture("error_500.html")));
    let url = server.url();
    let out = run_example(&args(&url, None));
    assert_eq!(out.code(), Some(1), "stdout: {} stderr: {}", out.stdout, out.stderr);
    assert!(out.stderr.contains("error:") && out.stderr.contains("500"), "{}", out.stderr);
}

#[test]
fn unreachable_endpoint_prints_a_transport_error_and_exits_1() {
    // A port nobody listens on: bind, note the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let url = format!("http://127.0.0.1:{port}/soap");
    let out = run_example(&args(&url, None));
    assert_eq!(out.code(), Some(1), "stdout: {} stderr: {}", out.stdout, out.stderr);
    assert!(out.stderr.starts_with("error:"), "{}", out.stderr);
}

#[test]
fn bad_arguments_print_usage_and_exit_2() {
    let out = run_example(&["--endpoint", "http://127.0.0.1:1/soap", "--ticket", "t"]);
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr.contains("missing --user-id") && out.stderr.contains("usage:"), "{}", out.stderr);

    let out = run_example(&[
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
    ]);
    assert_eq!(out.code(), Some(2));
    assert!(out.stderr.contains("forty-two"), "{}", out.stderr);
}
