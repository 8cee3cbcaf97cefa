//! Calls `SaveCredential` on a SuperOffice NetServer User agent with the blocking client, from
//! a plain `fn main` with no async runtime: the `save_credential` example without `async`.
//!
//! ```text
//! cargo run -p services87 --features blocking --example save_credential_blocking -- \
//!     --endpoint URL --ticket TICKET [--app-token TOKEN] --user-id N --type TYPE --value VALUE \
//!     [--display-value TEXT]
//! ```
//!
//! The same flags, output and exit codes as `save_credential`: prints `saved: true` or
//! `saved: false` and exits 0; on a service error prints the `ExceptionInfo` message, on a SOAP
//! fault the fault reason, and on any other error the error, to stderr, and exits 1; exits 2
//! on bad arguments.

use std::process::ExitCode;

#[path = "save_credential/args.rs"]
mod args;

mod call {
    use std::process::ExitCode;

    use services87::user::blocking::UserClient;
    use services87::user::{Credential, CredentialType, Error};

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
    pub fn save_credential(call: Call) -> ExitCode {
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
        match client.save_credential(call.user_id, credential) {
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
}

fn main() -> ExitCode {
    let args = match args::parse_args("save_credential_blocking") {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    call::save_credential(args)
}
