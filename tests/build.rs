//! Generates bindings the way a user's build.rs would: the Services88 User WSDL (for
//! `tests/services88.rs`), and every real WSDL of the corpus in
//! `tests/corpus/` (compiled, and so clippy-checked, by `tests/corpus_operations.rs`), each into
//! its own directory of `OUT_DIR`. The fixtures in `tests/wsdl/` are not generated here: their
//! checked-in snapshots (`tests/snapshots/`, kept current by `tests/snapshots.rs`) are what the
//! fixture tests compile.
//!
//! Next to each corpus entry's `bindings.rs` it writes `operations.rs`, the table of its
//! operations that `tests/corpus_operations.rs` runs: one entry per generated
//! `impl Operation for X`, from the clients and operations the generator reports (so the Rust
//! names are the ones the generator chose, collisions included).

use std::path::{Path, PathBuf};

/// The corpus entries that generate: (entry name, main file under `corpus/`). The file the
/// generator refuses (a malformed one) is checked by `tests/corpus_operations.rs` instead, and so
/// are the rpc/encoded entries of [`ENCODED_CORPUS`].
pub const CORPUS: &[(&str, &str)] = &[
    ("aeat-verifactu", "aeat-verifactu/SistemaFacturacion.wsdl"),
    ("afip-padron-a13", "afip-padron-a13/ws_sr_padron_a13-production.wsdl"),
    ("afip-wsaa", "afip-wsaa/wsaa.wsdl"),
    ("afip-wsfe", "afip-wsfe/wsfe-production.wsdl"),
    ("bingads-campaignmanagement", "bingads-campaignmanagement/campaignmanagement_service.xml"),
    ("cdyne-weather", "cdyne-weather/weather.wsdl"),
    ("cybersource-transaction", "cybersource-transaction/CyberSourceTransaction_1.26.wsdl"),
    ("dhl-gkv", "dhl-gkv/production.wsdl"),
    ("fedex-ship", "fedex-ship/ShipService_v23.wsdl"),
    ("jaxws-addnumbers", "jaxws-addnumbers/AddNumbersService.wsdl"),
    ("onvif-devicemgmt", "onvif-devicemgmt/ver10/device/wsdl/devicemgmt.wsdl"),
    ("onvif-event", "onvif-event/ver10/events/wsdl/event.wsdl"),
    ("onvif-federatedsearch", "onvif-federatedsearch/ver10/federatedsearch.wsdl"),
    ("unicom-ip2tele", "unicom-ip2tele/ip2tele.wsdl"),
    ("webservicex-stockquote", "webservicex-stockquote/stockquote.wsdl"),
    ("ws-i-scm-configurator", "ws-i-scm/2002-08/Configurator.wsdl"),
    ("ws-i-scm-loggingfacility", "ws-i-scm/2002-08/LoggingFacility.wsdl"),
    ("ws-i-scm-retailer", "ws-i-scm/2002-08/Retailer.wsdl"),
    ("ws-i-scm-warehouse", "ws-i-scm/2002-08/Warehouse.wsdl"),
];

/// The rpc/encoded corpus entries: generated (with servers) and compiled like the others, but
/// not run through the schema-instance checks (an encoded message is no instance of the schema:
/// `xsi:type` on every value, SOAP arrays, multi-reference values); `tests/corpus_operations.rs`
/// sends their operations through the generated client and server instead.
pub const ENCODED_CORPUS: &[(&str, &str)] = &[
    ("ericsson-evac", "ericsson-evac/EVacSyncService_SPClient.wsdl"),
    ("soapbuilders-interop3-rpcenc", "soapbuilders-interop3-rpcenc/InteropTestRpcEnc.wsdl"),
    ("soapbuilders-interop4-complex-rpcenc", "soapbuilders-interop4-complex-rpcenc/complex-rpc-encoded.wsdl"),
];

/// The corpus's catalog: remote locations its documents import, and the local files read for
/// them (relative to this crate). The WS-I sample imports the SOAP 1.1 envelope namespace from
/// its published address.
pub const CATALOG: &[(&str, &str)] = &[("http://schemas.xmlsoap.org/soap/envelope/", "wsdl/soap11-envelope.xsd")];

fn fail(e: wsdlgen::Error) -> ! {
    eprintln!("error: {e}");
    std::process::exit(1);
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("run by cargo"));
    for (name, main) in CORPUS.iter().chain(ENCODED_CORPUS) {
        let target = out.join("corpus").join(name);
        let wsdl = root.join("corpus").join(main);
        let mut builder = wsdlgen::Builder::new();
        // With servers: every corpus WSDL that generates gets a server that must compile clippy-clean.
        builder.server(true);
        for (location, file) in CATALOG {
            builder.location(*location, root.join(file));
        }
        let generated = builder.generate(&wsdl).unwrap_or_else(|e| fail(e));
        for input in &generated.inputs {
            println!("cargo:rerun-if-changed={}", input.display());
        }
        generated.write_if_changed(target.join("bindings.rs")).unwrap_or_else(|e| fail(e));
        write_if_changed(&target.join("operations.rs"), &operation_table(&generated));
    }
    services88(root, &out);
}

/// The Services88 User bindings, generated with the options `services87`'s build.rs uses, for
/// `tests/services88.rs` (code written against Services87 must compile against them unchanged).
fn services88(root: &Path, out: &Path) {
    let wsdl = root.join("../wsdl/Services88-User.wsdl");
    let generated = wsdlgen::Builder::new()
        .service_error("Succeeded", "ExceptionInfo", Some("Message"))
        .secrets(["Credential.Value"])
        .generate(&wsdl)
        .unwrap_or_else(|e| fail(e));
    println!("cargo:rerun-if-changed={}", wsdl.display());
    generated.write_if_changed(out.join("services88").join(generated.file_name())).unwrap_or_else(|e| fail(e));
}

fn write_if_changed(path: &Path, content: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(content) {
        std::fs::write(path, content).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
}

/// The operations of generated bindings, as a table of `(operation name, Rust type, check)`.
/// Each check is a non-capturing closure calling `crate::Checker::check` (request-response) or
/// `check_one_way` (no response body) with the request type and the type to decode the request
/// element as: the request type itself (a wrapper of a body element type shared with other
/// operations decodes too).
fn operation_table(generated: &wsdlgen::Generated) -> String {
    let mut out = String::from("// @generated by tests/build.rs from bindings.rs\n");
    out.push_str(&format!(
        "/// The WSDL these bindings come from.\npub const CORPUS_WSDL: &str = {:?};\n",
        generated.wsdl.display().to_string()
    ));
    out.push_str("/// Every operation: (WSDL name, request type, check).\n");
    out.push_str("pub const OPERATION_CHECKS: &[crate::OperationCheck] = &[\n");
    for op in generated.clients.iter().flat_map(|c| &c.operations) {
        let ty = &op.request_type;
        let method = if op.response_type.is_none() { "check_one_way" } else { "check" };
        out.push_str(&format!("    ({:?}, {ty:?}, |c| c.{method}::<{ty}, {ty}>(|x| x)),\n", op.name));
    }
    out.push_str("];\n");
    out
}
