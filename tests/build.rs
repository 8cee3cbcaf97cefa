//! Generates bindings the way a user's build.rs would: the fixtures in `tests/wsdl/` (exercised
//! by `tests/mapping.rs`, `constructs.rs`, `rpc.rs`, `multi_file.rs`) and every real WSDL of the
//! corpus in `tests/corpus/` (compiled, and so clippy-checked, by `tests/corpus.rs`), each into
//! its own directory of `OUT_DIR`.

use std::path::{Path, PathBuf};

/// The corpus entries that generate, by directory and main file. The two the generator refuses
/// on purpose (rpc/encoded, a malformed file) are checked by `tests/corpus.rs` instead.
pub const CORPUS: &[(&str, &str)] = &[
    ("aeat-verifactu", "SistemaFacturacion.wsdl"),
    ("afip-padron-a13", "ws_sr_padron_a13-production.wsdl"),
    ("afip-wsaa", "wsaa.wsdl"),
    ("afip-wsfe", "wsfe-production.wsdl"),
    ("bingads-campaignmanagement", "campaignmanagement_service.xml"),
    ("cdyne-weather", "weather.wsdl"),
    ("cybersource-transaction", "CyberSourceTransaction_1.26.wsdl"),
    ("dhl-gkv", "production.wsdl"),
    ("fedex-ship", "ShipService_v23.wsdl"),
    ("onvif-devicemgmt", "ver10/device/wsdl/devicemgmt.wsdl"),
    ("onvif-event", "ver10/events/wsdl/event.wsdl"),
    ("onvif-federatedsearch", "ver10/federatedsearch.wsdl"),
    ("unicom-ip2tele", "ip2tele.wsdl"),
    ("webservicex-stockquote", "stockquote.wsdl"),
];

fn run(builder: &mut wsdlgen::Builder) {
    if let Err(e) = builder.generate() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("run by cargo"));
    let dir = root.join("wsdl");
    run(wsdlgen::Builder::new()
        .wsdl(dir.join("mapping.wsdl"))
        .wsdl(dir.join("constructs.wsdl"))
        .wsdl(dir.join("rpc.wsdl"))
        .wsdl(dir.join("multi/service.wsdl"))
        .wsdl(dir.join("open.wsdl")));
    for (name, main) in CORPUS {
        let target = out.join("corpus").join(name);
        run(wsdlgen::Builder::new().wsdl(root.join("corpus").join(name).join(main)).out_dir(&target));
        let stem = Path::new(main).file_stem().unwrap().to_string_lossy().into_owned();
        std::fs::rename(target.join(format!("{stem}.rs")), target.join("bindings.rs")).ok();
    }
}
