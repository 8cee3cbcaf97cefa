//! The generated User server (`services87` with its `server` feature) answering the generated
//! User client over HTTP on 127.0.0.1: values, header entries, faults and service errors come
//! back as the handler returned them, in SOAP 1.1 and 1.2; bad requests get the documented
//! status and fault; a panicking handler is answered with a fault and the server keeps serving.

use std::sync::Mutex;

use services87::user::{
    Credential, CredentialType, GetCredentialTypes, GetCredentialTypesResponse, SaveCredential, SaveCredentialResponse,
    SoExceptionInfo, UserClient, UserRequestHeaders, UserResponseHeaders, UserResult, UserServer, UserService,
};
use wsdlgen_runtime::server::{HandlerError, Request, Response, SoapRouter, serve_with_shutdown};
use wsdlgen_runtime::{Error, Nillable, SoapVersion};

/// A fake User agent: keeps the last credential saved, refuses ticket "expired" with a service
/// error, answers user id 0 with a fault, panics for user id 13.
#[derive(Default)]
struct Fake {
    saved: Mutex<Vec<(i32, Credential, UserRequestHeaders)>>,
}

impl UserService for Fake {
    async fn save_credential(
        &self,
        request: Request<SaveCredential, UserRequestHeaders>,
    ) -> UserResult<SaveCredentialResponse> {
        let ticket = request.headers.credentials.as_ref().and_then(|c| c.ticket.value().cloned());
        if ticket.as_deref() == Some("expired") {
            return Err(HandlerError::service(SoExceptionInfo {
                message: "the ticket has expired".to_owned().into(),
                ..Default::default()
            }));
        }
        let user_id = request.body.user_id.unwrap_or_default();
        match user_id {
            0 => return Err(HandlerError::client("user id 0 does not exist")),
            13 => panic!("unlucky"),
            _ => {}
        }
        let credential = request.body.credential.into_option().unwrap_or_default();
        self.saved.lock().unwrap().push((user_id, credential, request.headers));
        let headers = UserResponseHeaders { succeeded: Some(true), ..Default::default() };
        Ok(Response::new(SaveCredentialResponse { response: Some(true) }).with_headers(headers))
    }

    async fn get_credential_types(
        &self,
        request: Request<GetCredentialTypes, UserRequestHeaders>,
    ) -> UserResult<GetCredentialTypesResponse> {
        // Empty when the request was dispatched by its body element.
        let action = request.context.soap_action();
        assert!(action.is_empty() || action.ends_with("/User/GetCredentialTypes"), "{action}");
        let types = ["password", "ldap"]
            .map(|t| Some(CredentialType { r#type: t.to_owned().into(), ..Default::default() }))
            .to_vec();
        Ok(GetCredentialTypesResponse { response: Nillable::Value(types) }.into())
    }
}

struct Running {
    url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn start(fake: std::sync::Arc<Fake>) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/Remote/Services87/User.svc", listener.local_addr().unwrap());
    let router = SoapRouter::new().route("/Remote/Services87/User.svc", UserServer::from_arc(fake).into_service());
    let (stop, stopped) = tokio::sync::oneshot::channel();
    let done = tokio::spawn(serve_with_shutdown(listener, router, async {
        let _ = stopped.await;
    }));
    Running { url, stop: Some(stop), done }
}

impl Running {
    async fn shutdown(mut self) {
        self.stop.take().unwrap().send(()).unwrap();
        self.done.await.unwrap().unwrap();
    }
}

fn credential() -> Credential {
    Credential {
        r#type: CredentialType { r#type: "password".to_owned().into(), ..Default::default() }.into(),
        value: "s3cr&t <x>".to_owned().into(),
        display_value: "jane".to_owned().into(),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_faults_and_service_errors_round_trip_in_both_versions() {
    let fake = std::sync::Arc::new(Fake::default());
    let server = start(fake.clone()).await;
    for version in [SoapVersion::Soap11, SoapVersion::Soap12] {
        let mut client = UserClient::new(&server.url).with_ticket("7T:abc").with_application_token("app".to_owned());
        client.soap_client_mut().set_soap_version(version);

        assert!(client.save_credential(42, credential()).await.unwrap());
        let (user_id, saved, headers) = fake.saved.lock().unwrap().pop().unwrap();
        assert_eq!((user_id, saved), (42, credential()));
        assert_eq!(headers.application_token.as_deref(), Some("app"));
        assert_eq!(headers.credentials.and_then(|c| c.ticket.into_option()).as_deref(), Some("7T:abc"));

        let types = client.get_credential_types().await.unwrap();
        let names: Vec<_> = types.into_iter().map(|t| t.unwrap().r#type.into_option().unwrap()).collect();
        assert_eq!(names, ["password", "ldap"]);

        match client.save_credential(0, credential()).await {
            Err(Error::Fault(fault)) => {
                assert_eq!(fault.reason, "user id 0 does not exist");
                assert_eq!(fault.version, version);
                let expected = if version == SoapVersion::Soap11 { "Client" } else { "Sender" };
                assert!(fault.code.ends_with(expected), "{}", fault.code);
            }
            other => panic!("expected a fault, got {other:?}"),
        }

        let expired = client.clone().with_ticket("expired");
        match expired.save_credential(42, credential()).await {
            Err(Error::Service(info)) => {
                assert_eq!(info.message.value().map(String::as_str), Some("the ticket has expired"))
            }
            other => panic!("expected a service error, got {other:?}"),
        }

        match client.delete_credential(42, "password".to_owned()).await {
            Err(Error::Fault(fault)) => {
                assert_eq!(fault.reason, "operation DeleteCredential is not implemented by this server");
            }
            other => panic!("expected a fault, got {other:?}"),
        }

        // A panicking handler: a Server/Receiver fault, and the server keeps serving.
        match client.save_credential(13, credential()).await {
            Err(Error::Fault(fault)) => assert_eq!(fault.reason, "operation SaveCredential failed: internal error"),
            other => panic!("expected a fault, got {other:?}"),
        }
        assert!(client.save_credential(43, credential()).await.unwrap());
        fake.saved.lock().unwrap().clear();
    }
    server.shutdown().await;
}

/// A raw HTTP exchange with the server (reqwest, no SOAP client).
async fn raw(
    method: &str,
    url: &str,
    content_type: Option<&str>,
    headers: &[(&str, &str)],
    body: impl Into<Vec<u8>>,
) -> (u16, String, String) {
    let http = wsdlgen_runtime::default_http_client().unwrap();
    let mut request = http.request(method.parse().unwrap(), url).body(body.into());
    if let Some(ct) = content_type {
        request = request.header("content-type", ct);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let ct = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, ct, response.text().await.unwrap())
}

/// Sends `head`, then `parts` as long as the server reads them, and returns what the server
/// answered (the server may answer, and close, before everything was sent).
async fn raw_tcp(authority: &str, head: &[u8], parts: &[&[u8]]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(authority).await.unwrap();
    stream.write_all(head).await.unwrap();
    for part in parts {
        if stream.write_all(part).await.is_err() {
            break;
        }
    }
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services87";

fn envelope11(body: &str, header: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header>{header}</s:Header><s:Body>{body}</s:Body></s:Envelope>"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_the_documented_status_and_fault() {
    let server = start(std::sync::Arc::new(Fake::default())).await;
    let url = server.url.as_str();
    let action = "http://www.superoffice.net/ws/crm/NetServer/Services87/User/GetCredentialTypes";
    let good = envelope11(&format!(r#"<GetCredentialTypes xmlns="{NS}"/>"#), "");

    // The good request first: 200, SOAP 1.1 content type.
    let (status, ct, body) =
        raw("POST", url, Some("text/xml; charset=utf-8"), &[("SOAPAction", action)], good.clone()).await;
    assert_eq!((status, ct.as_str()), (200, "text/xml; charset=utf-8"), "{body}");

    // Dispatch by body element when the action is empty or unknown.
    let (status, _, body) = raw("POST", url, Some("text/xml"), &[("SOAPAction", "\"\"")], good.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("GetCredentialTypesResponse"), "{body}");

    // Wrong method: 405 with Allow.
    let (status, _, _) = raw("PUT", url, Some("text/xml"), &[], good.clone()).await;
    assert_eq!(status, 405);

    // Wrong or missing content type, or a charset the server cannot read: 415.
    for ct in [Some("application/json"), None, Some("text/xml; charset=koi8-r")] {
        let (status, _, body) = raw("POST", url, ct, &[("SOAPAction", action)], good.clone()).await;
        assert_eq!(status, 415, "{ct:?}: {body}");
    }
    // UTF-16 (a WCF client with a UTF-16 text encoder) and ISO-8859-1 are read; replies are UTF-8.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in good.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    for (ct, request) in
        [("text/xml; charset=utf-16", utf16), ("text/xml; charset=iso-8859-1", good.clone().into_bytes())]
    {
        let (status, reply_ct, body) = raw("POST", url, Some(ct), &[("SOAPAction", action)], request).await;
        assert_eq!(status, 200, "{ct}: {body}");
        assert!(body.contains("GetCredentialTypesResponse"), "{ct}: {body}");
        assert_eq!(reply_ct, "text/xml; charset=utf-8", "{ct}");
    }

    // Too large: 413 as soon as the limit is known to be exceeded, before the body arrives:
    // by its Content-Length, and while a chunked body streams in.
    let authority = url.trim_start_matches("http://").split('/').next().unwrap();
    let head = format!(
        "POST /Remote/Services87/User.svc HTTP/1.1\r\nHost: {authority}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
        5 << 20
    );
    assert!(raw_tcp(authority, head.as_bytes(), &[b"<s:Envelope"]).await.starts_with("HTTP/1.1 413"));
    let head = format!(
        "POST /Remote/Services87/User.svc HTTP/1.1\r\nHost: {authority}\r\nContent-Type: text/xml\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    let chunk = format!("100000\r\n{}\r\n", "a".repeat(1 << 20));
    let chunks = vec![chunk.as_bytes(); 5];
    assert!(raw_tcp(authority, head.as_bytes(), &chunks).await.starts_with("HTTP/1.1 413"));

    // Malformed XML: a Client fault naming the element path and the byte offset.
    let broken = envelope11(&format!(r#"<SaveCredential xmlns="{NS}"><UserId>7</Userid></SaveCredential>"#), "");
    let save = "http://www.superoffice.net/ws/crm/NetServer/Services87/User/SaveCredential";
    let (status, _, body) = raw("POST", url, Some("text/xml"), &[("SOAPAction", save)], broken).await;
    assert_eq!(status, 500);
    assert!(body.contains("s:Client"), "{body}");
    assert!(body.contains("Envelope/Body/SaveCredential/UserId") && body.contains("byte"), "{body}");

    // A value of the wrong type: the same, at the value's path.
    let wrong = envelope11(&format!(r#"<SaveCredential xmlns="{NS}"><UserId>seven</UserId></SaveCredential>"#), "");
    let (status, _, body) = raw("POST", url, Some("text/xml"), &[("SOAPAction", save)], wrong).await;
    assert_eq!(status, 500);
    assert!(body.contains("SaveCredential/UserId"), "{body}");

    // A DTD: refused.
    let dtd = format!("<!DOCTYPE x [<!ENTITY a \"b\">]>{good}");
    let (status, _, body) = raw("POST", url, Some("text/xml"), &[("SOAPAction", action)], dtd).await;
    assert_eq!(status, 500);
    assert!(body.contains("DOCTYPE"), "{body}");

    // A SOAP 1.2 envelope sent as SOAP 1.1: VersionMismatch.
    let env12 = format!(
        r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><GetCredentialTypes xmlns="{NS}"/></e:Body></e:Envelope>"#
    );
    let (status, _, body) = raw("POST", url, Some("text/xml"), &[("SOAPAction", action)], env12.clone()).await;
    assert_eq!(status, 500);
    assert!(body.contains("VersionMismatch"), "{body}");

    // SOAP 1.2: a Sender fault is 400, with the 1.2 content type.
    let bad12 = env12.replace("<GetCredentialTypes", "<NoSuchOperation");
    let (status, ct, body) = raw("POST", url, Some("application/soap+xml; charset=utf-8"), &[], bad12).await;
    assert_eq!((status, ct.as_str()), (400, "application/soap+xml; charset=utf-8"), "{body}");
    assert!(body.contains("Sender") && body.contains("NoSuchOperation"), "{body}");

    // A mustUnderstand header entry the operation does not know: MustUnderstand.
    let unknown = r#"<x:Unknown xmlns:x="urn:x" s:mustUnderstand="1">1</x:Unknown>"#;
    let request = envelope11(&format!(r#"<GetCredentialTypes xmlns="{NS}"/>"#), unknown);
    let (status, _, body) = raw("POST", url, Some("text/xml"), &[("SOAPAction", action)], request).await;
    assert_eq!(status, 500);
    assert!(body.contains("MustUnderstand"), "{body}");

    // Unknown path: 404.
    let (status, _, _) = raw("POST", &url.replace("User.svc", "Nothing.svc"), Some("text/xml"), &[], good).await;
    assert_eq!(status, 404);

    // The server still answers.
    let client = UserClient::new(url);
    assert_eq!(client.get_credential_types().await.unwrap().len(), 2);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wsdl_is_served_with_this_server_s_address() {
    let wsdl = include_str!("../../wsdl/Services87-User.wsdl");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let service = UserServer::new(Fake::default()).into_service().with_wsdl(wsdl, Vec::new());
    let task = tokio::spawn(wsdlgen_runtime::server::serve(listener, service));
    let url = format!("http://{addr}/Remote/Services87/User.svc");
    for query in ["wsdl", "singleWsdl"] {
        let (status, ct, body) = raw("GET", &format!("{url}?{query}"), None, &[], Vec::new()).await;
        assert_eq!((status, ct.as_str()), (200, "text/xml; charset=utf-8"));
        assert!(body.contains(&format!(r#"location="{url}""#)), "the address is rewritten");
        assert!(!body.contains("sod.superoffice.com"));
        // Nothing else changes.
        let old = r#"location="https://sod.superoffice.com/Cust12345/Remote/Services87/User.svc""#;
        assert_eq!(body, wsdl.replace(old, &format!(r#"location="{url}""#)));
    }
    let (status, _, _) = raw("GET", &format!("{url}?xsd=0"), None, &[], Vec::new()).await;
    assert_eq!(status, 404);
    task.abort();
}

/// node-soap (npm `soap`, installed into `tests/node` by scripts/test.sh), which shares no code
/// with wsdlgen, calls the generated server: the handler gets what node-soap sent (body and
/// header entries), node-soap parses what the handler returned, and a fault reaches it as one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_soap_calls_the_generated_server() {
    let node_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("node");
    assert!(
        node_dir.join("node_modules/soap").is_dir(),
        "{}/node_modules is missing: run the tests with scripts/test.sh, which installs node-soap there",
        node_dir.display()
    );
    let fake = std::sync::Arc::new(Fake::default());
    let server = start(fake.clone()).await;
    let wsdl = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../wsdl/Services87-User.wsdl");
    let url = server.url.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node").arg(node_dir.join("soap_calls.js")).arg(wsdl).arg(url).output()
    })
    .await
    .unwrap()
    .expect("node runs");
    assert!(output.status.success(), "soap_calls.js failed: {}", String::from_utf8_lossy(&output.stderr));
    let out = String::from_utf8(output.stdout).unwrap();
    let parsed = &out;

    // What the handler got from node-soap.
    let (user_id, credential, headers) = fake.saved.lock().unwrap().pop().expect("SaveCredential reached the handler");
    assert_eq!(user_id, 42);
    assert_eq!(credential.value.value().map(String::as_str), Some("s3cr&t"));
    assert_eq!(credential.display_value.value().map(String::as_str), Some("jane"));
    let kind = credential.r#type.value().expect("a type");
    assert_eq!(kind.display_type.value().map(String::as_str), Some("Password <&>"));
    assert_eq!(headers.application_token.as_deref(), Some("node-app"));
    assert_eq!(headers.credentials.and_then(|c| c.ticket.into_option()).as_deref(), Some("7T:node"));

    // What node-soap parsed from the handler's answers.
    assert!(parsed.contains(r#""SaveCredential":{"Response":true}"#), "{out}");
    assert!(parsed.contains(r#""Type":"password""#) && parsed.contains(r#""Type":"ldap""#), "{out}");
    assert!(
        parsed.contains(r#""Fault":{"error":"s:Client: user id 0 does not exist"}"#),
        "the fault reaches node-soap: {out}"
    );
    server.shutdown().await;
}

/// A request that uses WS-Addressing gets a reply that relates to it (`wsa:RelatesTo` with the
/// request's `MessageID`) and names its action (`wsa:Action`: the WSDL has no `wsam:Action` on
/// the output, so the default of WS-Addressing 1.0 Metadata, `{namespace}/{port type}/{operation}Response`);
/// one that does not gets no addressing header.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_addressed_request_gets_a_related_reply() {
    let server = start(std::sync::Arc::new(Fake::default())).await;
    let action = "http://www.superoffice.net/ws/crm/NetServer/Services87/User/GetCredentialTypes";
    let addressing = r#"<a:MessageID xmlns:a="http://www.w3.org/2005/08/addressing">urn:uuid:0d1c2b3a-4f5e-6d7c-8b9a-a0b1c2d3e4f5</a:MessageID><a:Action xmlns:a="http://www.w3.org/2005/08/addressing" s:mustUnderstand="1">http://www.superoffice.net/ws/crm/NetServer/Services87/User/GetCredentialTypes</a:Action>"#;
    let addressed = envelope11(&format!(r#"<GetCredentialTypes xmlns="{NS}"/>"#), addressing);
    let (status, _, body) = raw("POST", &server.url, Some("text/xml"), &[("SOAPAction", action)], addressed).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains(r#"<wsa:RelatesTo xmlns:wsa="http://www.w3.org/2005/08/addressing">urn:uuid:0d1c2b3a-4f5e-6d7c-8b9a-a0b1c2d3e4f5</wsa:RelatesTo>"#),
        "{body}"
    );
    assert!(
        body.contains(r#"<wsa:Action xmlns:wsa="http://www.w3.org/2005/08/addressing" s:mustUnderstand="1">http://www.superoffice.net/ws/crm/NetServer/Services87/User/GetCredentialTypesResponse</wsa:Action>"#),
        "{body}"
    );
    let plain = envelope11(&format!(r#"<GetCredentialTypes xmlns="{NS}"/>"#), "");
    let (status, _, body) = raw("POST", &server.url, Some("text/xml"), &[("SOAPAction", action)], plain).await;
    assert_eq!(status, 200, "{body}");
    assert!(!body.contains("addressing"), "{body}");
    server.shutdown().await;
}

/// A service that wants a WS-Security `UsernameToken` (text or digest) for `SaveCredential`
/// and whose `GetUser` takes longer than the server allows.
struct Guarded;

impl UserService for Guarded {
    async fn save_credential(
        &self,
        request: Request<SaveCredential, UserRequestHeaders>,
    ) -> UserResult<SaveCredentialResponse> {
        let context = &request.context;
        assert!(context.peer_addr().is_some_and(|peer| peer.ip().is_loopback()), "{:?}", context.peer_addr());
        match context.username_token() {
            Some(token) if token.username() == "jane" && token.verify("s3cr&t") => {
                Ok(SaveCredentialResponse { response: Some(token.is_digest()) }.into())
            }
            Some(token) => Err(HandlerError::client(format!("wrong password for {}", token.username()))),
            None => Err(HandlerError::client("a UsernameToken is required")),
        }
    }

    async fn get_user(
        &self,
        _: Request<services87::user::GetUser, UserRequestHeaders>,
    ) -> UserResult<services87::user::GetUserResponse> {
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        Ok(services87::user::GetUserResponse::default().into())
    }
}

/// The handler sees the request's WS-Security `UsernameToken` (from the client's
/// `set_username_token`, text and digest) and checks the password with `verify`; without a
/// token, or with a wrong password, it answers with a fault the client gets. A handler that
/// runs over the service's `request_timeout` is answered with a `Server` fault naming the
/// operation, in about the timeout, and the server goes on serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handlers_see_the_username_token_and_slow_handlers_time_out() {
    use wsdlgen_runtime::{PasswordType, UsernameToken};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/User.svc", listener.local_addr().unwrap());
    let service = UserServer::new(Guarded).into_service().request_timeout(std::time::Duration::from_millis(300));
    let server = tokio::spawn(wsdlgen_runtime::server::serve(listener, service));

    let mut client = UserClient::new(&url);
    match client.save_credential(1, credential()).await {
        Err(Error::Fault(fault)) => assert_eq!(fault.reason, "a UsernameToken is required"),
        other => panic!("expected a fault, got {other:?}"),
    }
    client.soap_client_mut().set_username_token(Some(UsernameToken::new("jane", "s3cr&t")));
    assert!(!client.save_credential(1, credential()).await.unwrap(), "a text password");
    client
        .soap_client_mut()
        .set_username_token(Some(UsernameToken::new("jane", "s3cr&t").with_password_type(PasswordType::Digest)));
    assert!(client.save_credential(1, credential()).await.unwrap(), "a digest");
    client.soap_client_mut().set_username_token(Some(UsernameToken::new("jane", "guess")));
    match client.save_credential(1, credential()).await {
        Err(Error::Fault(fault)) => assert_eq!(fault.reason, "wrong password for jane"),
        other => panic!("expected a fault, got {other:?}"),
    }

    let started = std::time::Instant::now();
    match client.get_user(7).await {
        Err(Error::Fault(fault)) => {
            assert!(fault.code.ends_with("Server"), "{}", fault.code);
            assert_eq!(fault.reason, "operation GetUser did not finish in time");
        }
        other => panic!("expected a timeout fault, got {other:?}"),
    }
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(10), "the timeout fault came after {took:?}");
    client.soap_client_mut().set_username_token(Some(UsernameToken::new("jane", "s3cr&t")));
    assert!(!client.save_credential(1, credential()).await.unwrap(), "still serving after the timeout");
    server.abort();
}
