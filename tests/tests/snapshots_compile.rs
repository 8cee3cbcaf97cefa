//! Compiles the checked-in snapshots (as their own modules, depending only on
//! `wsdlgen-runtime`) and checks the operation selection: the SaveCredential-only bindings hold
//! exactly what SaveCredential reaches.

mod user {
    include!("../snapshots/Services87-User.rs");
}

mod so_principal {
    include!("../snapshots/Services87-SoPrincipal.rs");
}

mod save_credential_only {
    include!("../snapshots/Services87-User-SaveCredential.rs");
}

use wsdlgen_runtime::Operation;

#[test]
fn full_bindings_have_all_83_operations_with_their_actions() {
    let source = include_str!("../snapshots/Services87-User.rs");
    let impls = source.matches("impl rt::Operation for ").count();
    assert_eq!(impls, 83);
    let actions = source
        .matches("const SOAP_ACTION: &'static str = \"http://www.superoffice.net/ws/crm/NetServer/Services87/User/")
        .count();
    assert_eq!(actions, 83);
    assert_eq!(
        user::SaveCredential::SOAP_ACTION,
        "http://www.superoffice.net/ws/crm/NetServer/Services87/User/SaveCredential"
    );
    assert_eq!(user::SaveCredential::NAME, "SaveCredential");
}

#[test]
fn save_credential_selection_holds_only_what_it_reaches() {
    let source = include_str!("../snapshots/Services87-User-SaveCredential.rs");
    let mut types: Vec<&str> = source
        .lines()
        .filter_map(|l| {
            let rest = l
                .strip_prefix("pub struct ")
                .or_else(|| l.strip_prefix("pub enum "))
                .or_else(|| l.strip_prefix("pub type "))?;
            rest.split([' ', ';', '{', '=']).next()
        })
        .collect();
    types.sort_unstable();
    for wanted in [
        "SaveCredential",
        "SaveCredentialResponse",
        "Credential",
        "CredentialType",
        "CredentialControlType",
        "Carrier",
        "TableRight",
        "FieldProperty",
        "SoCredentials",
        "SoTimeZone",
        "SoExceptionInfo",
        "UserClient",
        "UserRequestHeaders",
        "UserResponseHeaders",
    ] {
        assert!(types.contains(&wanted), "{wanted} missing from {types:?}");
    }
    for unwanted in ["User", "Person", "RoleEntity", "GetUser", "DeleteCredential", "UserInfo"] {
        assert!(!types.contains(&unwanted), "{unwanted} should not be generated for SaveCredential only");
    }
    assert_eq!(source.matches("impl rt::Operation for ").count(), 1);
}

#[test]
fn selected_bindings_encode_like_the_full_ones() {
    let full = user::SaveCredential {
        user_id: Some(7),
        credential: user::Credential { value: "v".into(), ..Default::default() }.into(),
    };
    let only = save_credential_only::SaveCredential {
        user_id: Some(7),
        credential: save_credential_only::Credential { value: "v".into(), ..Default::default() }.into(),
    };
    let a = wsdlgen_runtime::codegen::encode_request(wsdlgen_runtime::SoapVersion::Soap11, &full, &Default::default());
    let b = wsdlgen_runtime::codegen::encode_request(wsdlgen_runtime::SoapVersion::Soap11, &only, &Default::default());
    let body = |xml: Vec<u8>| {
        let xml = String::from_utf8(xml).unwrap();
        xml[xml.find("<s:Body>").unwrap()..].to_owned()
    };
    // The envelopes differ only in the namespaces declared (the selection uses fewer).
    assert_eq!(body(a), body(b));
}

/// `services87` compiles its own generation (its build.rs, into OUT_DIR); the snapshot is made
/// with the options that build.rs sets. If the two drift apart (an option added to one only),
/// the crate users depend on and the reviewed snapshot behave differently: this compares them on
/// what each option changes (encoding, secrets in `Debug`, the service-error rule).
#[test]
fn services87_is_built_with_the_snapshot_options() {
    let credential = || services87::user::Credential {
        value: "hunter2".into(),
        display_value: "shown".into(),
        ..Default::default()
    };
    let snapshot_credential =
        || user::Credential { value: "hunter2".into(), display_value: "shown".into(), ..Default::default() };
    assert_eq!(format!("{:?}", credential()), format!("{:?}", snapshot_credential()));

    let built = services87::user::SaveCredential { user_id: Some(7), credential: credential().into() };
    let snapshot = user::SaveCredential { user_id: Some(7), credential: snapshot_credential().into() };
    let version = wsdlgen_runtime::SoapVersion::Soap11;
    assert_eq!(
        wsdlgen_runtime::codegen::encode_request(version, &built, &Default::default()),
        wsdlgen_runtime::codegen::encode_request(version, &snapshot, &Default::default())
    );

    let failed = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h:ExceptionInfo xmlns:h="http://www.superoffice.net/ws/crm/NetServer/Services87"><h:Message>no rights</h:Message></h:ExceptionInfo><h:Succeeded xmlns:h="http://www.superoffice.net/ws/crm/NetServer/Services87">false</h:Succeeded></s:Header><s:Body><SaveCredentialResponse xmlns="http://www.superoffice.net/ws/crm/NetServer/Services87"><Response>false</Response></SaveCredentialResponse></s:Body></s:Envelope>"#;
    let limits = wsdlgen_runtime::DecodeLimits::default();
    let built =
        wsdlgen_runtime::codegen::decode_response::<services87::user::SaveCredential>(failed, limits).unwrap_err();
    let snapshot = wsdlgen_runtime::codegen::decode_response::<user::SaveCredential>(failed, limits).unwrap_err();
    assert_eq!(built.to_string(), "service error: no rights");
    assert_eq!(built.to_string(), snapshot.to_string());
}

/// What `options/runtime-path.rs` names as its runtime (`Builder::runtime_path("crate::soap_runtime")`):
/// a crate that re-exports the runtime under a path of its own.
use wsdlgen_runtime as soap_runtime;

mod soap_version_1_2 {
    include!("../snapshots/options/soap-version-1.2.rs");
}

mod server {
    include!("../snapshots/options/server.rs");
}

mod blocking_option {
    include!("../snapshots/options/blocking.rs");
}

mod no_client {
    include!("../snapshots/options/no-client.rs");
}

mod runtime_path {
    include!("../snapshots/options/runtime-path.rs");
}

mod unformatted {
    include!("../snapshots/options/unformatted.rs");
}

/// The option snapshots compile, and each differs from the default output in what its option
/// changes, and only there.
#[test]
fn option_snapshots_do_what_their_option_says() {
    assert_eq!(soap_version_1_2::UserClient::SOAP_VERSION, wsdlgen_runtime::SoapVersion::Soap12);
    assert_eq!(save_credential_only::UserClient::SOAP_VERSION, wsdlgen_runtime::SoapVersion::Soap11);
    let default = include_str!("../snapshots/Services87-User-SaveCredential.rs");
    let soap12 = include_str!("../snapshots/options/soap-version-1.2.rs");
    let differing: Vec<_> = default.lines().zip(soap12.lines()).filter(|(a, b)| a != b).collect();
    // The client's documentation names the version, and its constant holds it.
    assert_eq!(differing.len(), 2, "{differing:?}");
    assert!(differing[0].1.contains("binding (SOAP 1.2)"), "{differing:?}");
    assert!(differing[1].1.contains("rt::SoapVersion::Soap12"), "{differing:?}");

    let rpc = include_str!("../snapshots/rpc.rs");
    let moved = include_str!("../snapshots/options/runtime-path.rs");
    assert!(moved.contains("use crate::soap_runtime::codegen as rt;"));
    assert_eq!(rpc.replace("use ::wsdlgen_runtime::codegen as rt;", "use crate::soap_runtime::codegen as rt;"), moved);

    // The server option adds the service trait, the server and the reverse direction of the
    // header sets and operations, and changes nothing of the client.
    let server = include_str!("../snapshots/options/server.rs");
    for item in [
        "pub trait UserService",
        "pub struct UserServer<T>",
        "impl rt::server::codegen::ServerOperation for SaveCredential",
    ] {
        assert!(server.contains(item) && !default.contains(item), "{item}");
    }
    assert!(default.lines().all(|line| server.contains(line)));

    // The blocking option adds a module of blocking clients and changes nothing else.
    let blocking = include_str!("../snapshots/options/blocking.rs");
    assert!(blocking.contains("pub mod blocking") && !default.contains("pub mod blocking"));
    assert!(default.lines().all(|line| blocking.contains(line)));
    let _: fn(
        &blocking_option::blocking::UserClient,
        i32,
        blocking_option::Credential,
    ) -> Result<bool, blocking_option::Error> = blocking_option::blocking::UserClient::save_credential;

    // Without a client: the types, header sets, operations and faults, and no client.
    let no_client = include_str!("../snapshots/options/no-client.rs");
    assert!(default.contains("pub struct UserClient") && !no_client.contains("UserClient"));
    let request = no_client::SaveCredential { user_id: Some(7), ..Default::default() };
    let envelope = wsdlgen_runtime::encode_request(
        wsdlgen_runtime::SoapVersion::Soap11,
        &request,
        &no_client::UserRequestHeaders::default(),
    );
    assert!(String::from_utf8(envelope).unwrap().contains("<n0:UserId>7</n0:UserId>"));

    // Unformatted output is the same token stream: one line of code after the header.
    let flat = include_str!("../snapshots/options/unformatted.rs");
    assert_eq!(flat.lines().filter(|l| !l.starts_with("//") && !l.is_empty()).count(), 1);
    assert_eq!(runtime_path::CalculatorClient::WSDL_ADDRESS, unformatted::CalculatorClient::WSDL_ADDRESS);
}

/// A service that implements nothing: every operation answers the "not implemented" fault.
struct Nothing;

impl server::UserService for Nothing {}

#[tokio::test]
async fn an_empty_service_answers_not_implemented() {
    use wsdlgen_runtime::server::codegen::{Call, Dispatch};
    let dispatch = server::UserServer::new(Nothing);
    let operations: Vec<_> = dispatch.operations().iter().map(|op| op.name).collect();
    assert_eq!(operations, ["SaveCredential"]);
    let request = server::SaveCredential { user_id: Some(1), ..Default::default() };
    let version = wsdlgen_runtime::SoapVersion::Soap12;
    let envelope = wsdlgen_runtime::codegen::encode_request(version, &request, &Default::default());
    let reply = dispatch.call(0, Call::new(envelope, version, "")).await;
    let body = String::from_utf8(reply.body).unwrap();
    assert_eq!(reply.status, 500, "{body}");
    assert!(
        body.contains("s:Receiver") && body.contains("operation SaveCredential is not implemented by this server"),
        "{body}"
    );
}
