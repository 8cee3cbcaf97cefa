//! Secrets never show in `Debug` output: passwords, tickets, application tokens and the value of
//! a credential print as `<redacted>`, wherever they sit (types, headers, clients, requests).

use services87::{so_principal, user};

const SECRET: &str = "hunter2-SECRET";

fn assert_hidden(what: &str, debug: String) {
    assert!(!debug.contains(SECRET), "{what} shows the secret: {debug}");
    assert!(debug.contains("<redacted>"), "{what} does not say it redacted something: {debug}");
}

#[test]
fn credential_value_is_redacted() {
    let credential = user::Credential {
        value: SECRET.into(),
        display_value: "shown".into(),
        r#type: user::CredentialType { r#type: "password".into(), ..Default::default() }.into(),
        ..Default::default()
    };
    let debug = format!("{credential:?}");
    assert_hidden("Credential", debug.clone());
    assert!(debug.contains("shown"), "non-secret fields are still shown: {debug}");
    let request = user::SaveCredential { user_id: Some(1), credential: credential.into() };
    assert_hidden("SaveCredential request", format!("{request:#?}"));
}

#[test]
fn ticket_and_application_token_are_redacted_in_headers_and_clients() {
    assert_hidden("SoCredentials", format!("{:?}", user::SoCredentials { ticket: SECRET.into() }));
    let headers = user::UserRequestHeaders { application_token: Some(SECRET.into()), ..Default::default() };
    assert_hidden("UserRequestHeaders", format!("{headers:?}"));
    let client = user::UserClient::new("http://127.0.0.1:9/").with_ticket(SECRET).with_application_token(SECRET.into());
    assert_hidden("UserClient", format!("{client:?}"));
}

#[test]
fn password_like_fields_are_redacted() {
    let auth = user::ServiceAuth { password: SECRET.into(), username: "user".into(), ..Default::default() };
    assert_hidden("ServiceAuth", format!("{auth:?}"));
    let login = so_principal::AuthenticateUsernamePassword { password: SECRET.into(), ..Default::default() };
    assert_hidden("AuthenticateUsernamePassword", format!("{login:?}"));
}
