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
//!
//! The call itself is in `call.rs`, written against a module `user` of generated bindings:
//! here `services87::user`; `tests/tests/services88.rs` compiles the same file, unchanged,
//! against bindings generated from the Services88 WSDL.

use std::process::ExitCode;

use services87::user;

mod call;

const USAGE: &str = "usage: save_credential --endpoint URL --ticket TICKET [--app-token TOKEN] \
                     --user-id N --type TYPE --value VALUE [--display-value TEXT]";

fn parse_args() -> Result<call::Call, String> {
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
    Ok(call::Call {
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
    call::save_credential(args).await
}
