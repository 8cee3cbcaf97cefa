//! Arbitrary bytes through the runtime's XML reader and through roxmltree: they must agree on
//! what is well-formed and on the tree of what is (`src/differential.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wsdlgen_fuzz::differential::check(data);
});
