//! A request envelope to the generated User server (below HTTP): always answered, well-formed.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wsdlgen_fuzz::serve::serve_request(data);
});
