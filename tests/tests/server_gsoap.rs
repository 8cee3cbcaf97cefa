//! gSOAP (Debian's `gsoap`: wsdl2h + soapcpp2 + libgsoap++, C++, no code shared with wsdlgen)
//! as an independent client of the generated User server: a gSOAP client generated from the same
//! WSDL (`tests/gsoap/interop.cpp`, built by `tests/gsoap/build.sh`) calls the server; the
//! handler below checks what gSOAP sent, and the test compares what gSOAP printed about each
//! reply with what the handler returned: a value with a struct and an enumeration, an array
//! with nil and absent members, response header entries, a SOAP fault, a service error
//! (`Succeeded = false` with `ExceptionInfo`) and the fault of an operation not implemented.
//!
//! The client is built once per content of its inputs (WSDL, build script, C++ source) under
//! cargo's target directory; a rerun reuses it. gSOAP missing is a failure, not a skip:
//! `scripts/test.sh` installs it.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use services87::user::{
    Credential, CredentialControlType, CredentialType, GetCredentialTypes, GetCredentialTypesResponse, SaveCredential,
    SaveCredentialResponse, SoExceptionInfo, UserRequestHeaders, UserResponseHeaders, UserResult, UserServer,
    UserService,
};
use wsdlgen_runtime::Nillable;
use wsdlgen_runtime::server::{HandlerError, Request, Response, SoapRouter, serve_with_shutdown};

/// What the handler answers GetCredentialTypes with: every kind of field, one nil, one absent.
fn credential_types() -> Vec<Option<CredentialType>> {
    vec![
        Some(CredentialType {
            r#type: Nillable::Value("password".to_owned()),
            display_type: Nillable::Value("Password".to_owned()),
            description: Nillable::Value("Log in with a <password> & more".to_owned()),
            value_control: Some(CredentialControlType::Password),
            can_create_person: Some(false),
            is_user_name_supported: Some(true),
            ..Default::default()
        }),
        Some(CredentialType {
            r#type: Nillable::Value("ldap".to_owned()),
            display_type: Nillable::Value("Active Directory".to_owned()),
            description: Nillable::Nil,
            value_control: Some(CredentialControlType::Edit),
            can_create_person: Some(true),
            is_user_name_supported: None,
            ..Default::default()
        }),
    ]
}

/// The credential interop.cpp sends.
fn sent_credential() -> Credential {
    Credential {
        r#type: Nillable::Value(CredentialType {
            r#type: Nillable::Value("password".to_owned()),
            display_type: Nillable::Value("Password <&>".to_owned()),
            value_control: Some(CredentialControlType::Password),
            can_create_person: Some(false),
            ..Default::default()
        }),
        value: Nillable::Value("s3cr&t \"quoted\"".to_owned()),
        display_value: Nillable::Value("jane".to_owned()),
        ..Default::default()
    }
}

const EXPIRED: &str = "the ticket has expired";
const NO_USER: &str = "user id 0 does not exist";

#[derive(Default)]
struct Fake {
    saved: Mutex<Vec<(i32, Credential, UserRequestHeaders)>>,
    listed: Mutex<Vec<UserRequestHeaders>>,
}

impl UserService for Fake {
    async fn save_credential(
        &self,
        request: Request<SaveCredential, UserRequestHeaders>,
    ) -> UserResult<SaveCredentialResponse> {
        let ticket = request.headers.credentials.as_ref().and_then(|c| c.ticket.value().cloned());
        if ticket.as_deref() == Some("expired") {
            return Err(HandlerError::service(SoExceptionInfo {
                message: EXPIRED.to_owned().into(),
                ..Default::default()
            }));
        }
        let user_id = request.body.user_id.unwrap_or_default();
        if user_id == 0 {
            return Err(HandlerError::client(NO_USER));
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
        self.listed.lock().unwrap().push(request.headers);
        Ok(GetCredentialTypesResponse { response: Nillable::Value(credential_types()) }.into())
    }
}

/// How interop.cpp prints a string (`"text"`, or `null` for nil and absent alike: gSOAP maps
/// both to a null pointer) and a boolean.
fn text(value: &Nillable<String>) -> String {
    value.value().map_or_else(|| "null".to_owned(), |s| format!("\"{s}\""))
}
fn flag(value: Option<bool>) -> String {
    value.map_or_else(|| "null".to_owned(), |b| b.to_string())
}

/// What interop.cpp must print if gSOAP parsed every reply as the handler returned it.
fn expected_output() -> String {
    let mut lines = vec!["SaveCredential response=true".to_owned(), "SaveCredential succeeded=true".to_owned()];
    let types = credential_types();
    lines.push(format!("GetCredentialTypes items={}", types.len()));
    for t in types.iter().map(|t| t.as_ref().unwrap()) {
        let control = t.value_control.as_ref().map_or("null", CredentialControlType::as_str);
        lines.push(format!(
            "item Type={} DisplayType={} Description={} ValueControl={control} CanCreatePerson={} IsUserNameSupported={}",
            text(&t.r#type),
            text(&t.display_type),
            text(&t.description),
            flag(t.can_create_person),
            flag(t.is_user_name_supported),
        ));
    }
    lines.push(format!("Fault fault code=SOAP-ENV:Client reason=\"{NO_USER}\""));
    // A service error as WCF sends it: an empty response element, Succeeded = false and the
    // exception in the header.
    lines.push("ServiceError response=null".to_owned());
    lines.push(format!("ServiceError succeeded=false exception=\"{EXPIRED}\""));
    // The default body of an operation the handler does not implement: a Server fault.
    lines.push(
        "DeleteCredential fault code=SOAP-ENV:Server reason=\"operation DeleteCredential is not implemented by this server\""
            .to_owned(),
    );
    lines.join("\n") + "\n"
}

/// Builds the gSOAP client (or finds it built): `<target>/tmp/gsoap-interop-<hash of the inputs>/interop`.
fn gsoap_client() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let inputs = [
        manifest.join("../wsdl/Services87-User.wsdl"),
        manifest.join("gsoap/build.sh"),
        manifest.join("gsoap/interop.cpp"),
    ];
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for input in &inputs {
        std::fs::read(input).unwrap_or_else(|e| panic!("{}: {e}", input.display())).hash(&mut hasher);
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("gsoap-interop-{:016x}", hasher.finish()));
    let client = dir.join("interop");
    if client.is_file() {
        return client;
    }
    for tool in ["wsdl2h", "soapcpp2", "g++"] {
        let found = std::process::Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "{tool} is missing: run the tests with scripts/test.sh, which installs gSOAP (Debian's gsoap and libgsoap-dev) and g++"
        );
    }
    let started = std::time::Instant::now();
    let output = std::process::Command::new("bash")
        .arg(manifest.join("gsoap/build.sh"))
        .arg(&dir)
        .args(["-O0", "interop"])
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "building the gSOAP client failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("built the gSOAP client in {:.1} s ({})", started.elapsed().as_secs_f64(), dir.display());
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gsoap_calls_the_generated_server() {
    let client = tokio::task::spawn_blocking(gsoap_client).await.unwrap();

    let fake = Arc::new(Fake::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/Remote/Services87/User.svc", listener.local_addr().unwrap());
    let router =
        SoapRouter::new().route("/Remote/Services87/User.svc", UserServer::from_arc(fake.clone()).into_service());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve_with_shutdown(listener, router, async {
        let _ = stopped.await;
    }));

    let output = tokio::task::spawn_blocking(move || std::process::Command::new(client).arg(url).output())
        .await
        .unwrap()
        .expect("the gSOAP client runs");
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "the gSOAP client failed: {printed}{}", String::from_utf8_lossy(&output.stderr));

    // What gSOAP parsed from the handler's answers, line by line.
    let expected = expected_output();
    for (got, want) in printed.lines().zip(expected.lines()) {
        assert_eq!(got, want, "\ngSOAP printed:\n{printed}\nexpected:\n{expected}");
    }
    assert_eq!(printed, expected);

    // What the handler got from gSOAP: the body, with its enumeration and escaped text, and the
    // request header entries (sent by gSOAP with mustUnderstand="1", which the server honours).
    let saved = std::mem::take(&mut *fake.saved.lock().unwrap());
    assert_eq!(saved.len(), 1, "one SaveCredential stored (the others were refused)");
    let (user_id, credential, headers) = &saved[0];
    assert_eq!(*user_id, 42);
    assert_eq!(credential, &sent_credential());
    assert_eq!(headers.application_token.as_deref(), Some("gsoap-app"));
    let ticket = headers.credentials.as_ref().and_then(|c| c.ticket.value().cloned());
    assert_eq!(ticket.as_deref(), Some("7T:gsoap"));
    let listed = std::mem::take(&mut *fake.listed.lock().unwrap());
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].application_token.as_deref(), Some("gsoap-app"));

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}
