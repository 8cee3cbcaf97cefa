//! The `SaveCredential` call of the example, written against the module `user` of its parent
//! (generated User bindings), so that it compiles unchanged against another version of them.

use std::process::ExitCode;

use super::user::{Credential, CredentialType, Error, UserClient};

/// What the call needs.
pub struct Call {
    pub endpoint: String,
    pub ticket: String,
    pub app_token: Option<String>,
    pub user_id: i32,
    pub credential_type: String,
    pub value: String,
    pub display_value: Option<String>,
}

/// Saves the credential; prints the outcome and returns the exit code.
pub async fn save_credential(call: Call) -> ExitCode {
    let mut client = UserClient::new(call.endpoint).with_ticket(call.ticket);
    if let Some(token) = call.app_token {
        client = client.with_application_token(token);
    }
    let credential = Credential {
        r#type: CredentialType { r#type: call.credential_type.into(), ..Default::default() }.into(),
        value: call.value.into(),
        display_value: call.display_value.map_or_else(Default::default, Into::into),
        ..Default::default()
    };
    match client.save_credential(call.user_id, credential).await {
        Ok(saved) => {
            println!("saved: {saved}");
            ExitCode::SUCCESS
        }
        Err(Error::Service(info)) => {
            eprintln!("service error: {info}");
            ExitCode::FAILURE
        }
        Err(Error::Fault(fault)) => {
            eprintln!("SOAP fault: {}", fault.reason);
            ExitCode::FAILURE
        }
        Err(other) => {
            eprintln!("error: {other}");
            ExitCode::FAILURE
        }
    }
}
