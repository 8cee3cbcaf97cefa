//! Code written against Services87 compiles against bindings generated from the next version,
//! Services88, unchanged: the `SaveCredential` call of the `save_credential` example
//! (`generated/examples/save_credential/call.rs`, written against a module `user` of its parent)
//! is compiled here against the Services88 User bindings, and `wsdlgen diff` says the same
//! (Rust API compatible). The two versions also live side by side in one crate, as the README's
//! "When the WSDL changes" shows: each module its own types, one `SoapClient` configuration.

use std::path::Path;

/// The Services88 User agent, as a crate would add it next to Services87 during a migration.
mod services88 {
    pub mod user {
        include!(concat!(env!("OUT_DIR"), "/services88/Services88-User.rs"));

        impl UserClient {
            /// As in `services87::user`: the ticket in the `Credentials` header.
            #[must_use]
            pub fn with_ticket(self, ticket: impl Into<String>) -> Self {
                self.with_credentials(SoCredentials { ticket: ticket.into().into() })
            }
        }
    }
}

use services88::user;

/// The example's call code, unchanged.
#[path = "../../generated/examples/save_credential/call.rs"]
mod call;

#[test]
fn the_services87_example_call_compiles_against_services88() {
    use wsdlgen_runtime::Operation;
    // Building the future type-checks the call against the Services88 types; it is not polled.
    let future = call::save_credential(call::Call {
        endpoint: "http://127.0.0.1:9/Remote/Services88/User.svc".into(),
        ticket: "7T:abc".into(),
        app_token: Some("token".into()),
        user_id: 42,
        credential_type: "password".into(),
        value: "secret".into(),
        display_value: None,
    });
    drop(future);
    assert_eq!(
        user::SaveCredential::SOAP_ACTION,
        "http://www.superoffice.net/ws/crm/NetServer/Services88/User/SaveCredential"
    );
}

#[test]
fn two_versions_side_by_side_share_one_soap_client_configuration() {
    use wsdlgen_runtime::Operation;
    let mut soap = wsdlgen_runtime::SoapClient::new("https://host/Cust12345/Remote/Services87/User.svc");
    soap.set_http_header("X-Tenant", "12345").unwrap();
    soap.set_timeout(std::time::Duration::from_secs(20));
    let new_soap = soap.with_endpoint("https://host/Cust12345/Remote/Services88/User.svc");
    let old = services87::user::UserClient::from_soap_client(soap).with_ticket("7T:abc");
    let new = user::UserClient::from_soap_client(new_soap).with_ticket("7T:abc");
    assert_eq!(new.soap_client().timeout(), old.soap_client().timeout());
    assert!(old.soap_client().endpoint().contains("Services87"));
    assert!(new.soap_client().endpoint().contains("Services88"));
    // Each module has its own types: a Services87 credential is not a Services88 one.
    assert_ne!(services87::user::SaveCredential::SOAP_ACTION, user::SaveCredential::SOAP_ACTION);
    // Only the new version has ValidateUser.
    assert_eq!(user::ValidateUser::NAME, "ValidateUser");
}

#[test]
fn the_diff_says_the_rust_api_is_compatible() {
    let wsdl = Path::new(env!("CARGO_MANIFEST_DIR")).join("../wsdl");
    let report =
        wsdlgen::Builder::new().diff(wsdl.join("Services87-User.wsdl"), wsdl.join("Services88-User.wsdl")).unwrap();
    assert!(!report.breaks(wsdlgen::FailOn::Api), "{}", report.to_text(false));
}

/// The report for the real pair, text and JSON, compared with `tests/snapshots/diff/`
/// (`WSDLGEN_UPDATE_SNAPSHOTS=1` rewrites them). It names the namespace move once and the added
/// operation, and classifies the Rust API as compatible.
#[test]
fn the_services87_to_88_report_matches_its_snapshot() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut report = wsdlgen::Builder::new()
        .diff(root.join("wsdl/Services87-User.wsdl"), root.join("wsdl/Services88-User.wsdl"))
        .unwrap();
    // As the command line shows them when run from the workspace.
    report.old = "wsdl/Services87-User.wsdl".into();
    report.new = "wsdl/Services88-User.wsdl".into();
    let text = report.to_text(false);
    assert!(text.contains(
        "~ namespace moved: http://www.superoffice.net/ws/crm/NetServer/Services87 -> http://www.superoffice.net/ws/crm/NetServer/Services88"
    ));
    assert!(text.contains("+ operation ValidateUser [UserClient::validate_user] added"));
    assert!(text.contains("Rust API: compatible\n"));
    assert_eq!(report.changes.iter().filter(|c| c.kind == wsdlgen::ChangeKind::NamespaceMoved).count(), 1);
    let update = std::env::var_os("WSDLGEN_UPDATE_SNAPSHOTS").is_some();
    for (file, content) in
        [("Services87-Services88-User.txt", text), ("Services87-Services88-User.json", report.to_json(false))]
    {
        let path = root.join("tests/snapshots/diff").join(file);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &content).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            expected == content,
            "{} differs from the report:\n{content}\nIf the change is intended, run `WSDLGEN_UPDATE_SNAPSHOTS=1 cargo test -p wsdlgen-tests --test services88` and review the diff.",
            path.display()
        );
    }
}
