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

mod args;
mod call;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match args::parse_args("save_credential") {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    call::save_credential(args).await
}
