//! Calls `SaveCredential` on a SuperOffice NetServer User agent.
//!
//! ```text
//! cargo run -p services87 --example save_credential -- --endpoint URL --ticket TICKET \
//!     [--app-token TOKEN] --user-id N --type TYPE --value VALUE [--display-value TEXT]
//! ```
//!
//! Prints `saved: true` or `saved: false` and exits 0; on a service error prints the
//! `ExceptionInfo` message, on a SOAP fault the fault reason, and on any other error the error,
//! to stderr, and exits 1.

use std::process::ExitCode;

use services87::runtime::Error;
use services87::user::{Credential, CredentialType, UserClient};

const USAGE: &str = "usage: save_credential --endpoint URL --ticket TICKET [--app-token TOKEN] \
                     --user-id N --type TYPE --value VALUE [--display-value TEXT]";

struct Args {
    endpoint: String,
    ticket: String,
    app_token: Option<String>,
    user_id: i32,
    credential_type: String,
    value: String,
    display_value: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut endpoint = None;
    let mut ticket = None;
    let mut app_token = None;
    let mut user_id = None;
    let mut credential_type = None;
    let mut value = None;
    let mut display_value = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--endpoint" => &mut endpoint,
            "--ticket" => &mut ticket,
            "--app-token" => &mut app_token,
            "--user-id" => &mut user_id,
            "--type" => &mut credential_type,
            "--value" => &mut value,
            "--display-value" => &mut display_value,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        };
        *slot = Some(args.next().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?);
    }
    let missing = |name: &str| format!("missing {name}\n{USAGE}");
    let user_id = user_id.ok_or_else(|| missing("--user-id"))?;
    Ok(Args {
        endpoint: endpoint.ok_or_else(|| missing("--endpoint"))?,
        ticket: ticket.ok_or_else(|| missing("--ticket"))?,
        app_token,
        user_id: user_id.parse().map_err(|_| format!("--user-id `{user_id}` is not a 32-bit integer"))?,
        credential_type: credential_type.ok_or_else(|| missing("--type"))?,
        value: value.ok_or_else(|| missing("--value"))?,
        display_value,
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let mut client = UserClient::new(args.endpoint).with_ticket(args.ticket);
    if let Some(token) = args.app_token {
        client = client.with_application_token(token);
    }
    let credential = Credential {
        r#type: CredentialType { r#type: args.credential_type.into(), ..Default::default() }.into(),
        value: args.value.into(),
        display_value: args.display_value.map_or_else(Default::default, Into::into),
        ..Default::default()
    };
    match client.save_credential(args.user_id, credential).await {
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
