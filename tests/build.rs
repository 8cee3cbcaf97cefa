//! Generates the bindings of the test fixtures in `tests/wsdl/` into `OUT_DIR`, the way a user's
//! build.rs would; `tests/tests/mapping.rs` compiles and exercises them.

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("wsdl");
    let result = wsdlgen::Builder::new()
        .wsdl(dir.join("mapping.wsdl"))
        .wsdl(dir.join("constructs.wsdl"))
        .wsdl(dir.join("rpc.wsdl"))
        .wsdl(dir.join("multi/service.wsdl"))
        .generate();
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
