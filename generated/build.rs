//! Generates the Services87 bindings into `OUT_DIR` from the WSDLs in the workspace's `wsdl/`.

fn main() {
    let wsdl = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../wsdl");
    let result = wsdlgen::Builder::new()
        .wsdl(wsdl.join("Services87-User.wsdl"))
        .wsdl(wsdl.join("Services87-SoPrincipal.wsdl"))
        // SuperOffice reports failures as `Succeeded = false` plus an `ExceptionInfo` header.
        .service_error("Succeeded", "ExceptionInfo", Some("Message"))
        // The value of a credential is a password or similar: never shown by `Debug`.
        .secrets(["Credential.Value"])
        // Servers (service traits) only for users who enable the crate's `server` feature.
        .server(std::env::var_os("CARGO_FEATURE_SERVER").is_some())
        // Blocking clients only for users who enable the crate's `blocking` feature.
        .blocking(std::env::var_os("CARGO_FEATURE_BLOCKING").is_some())
        .compile();
    if let Err(e) = result {
        // A clear message instead of a panic backtrace.
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
