//! The generator (read + resolve + emit, formatting off for speed) on arbitrary text: bindings,
//! or an error with a position. Seeded with the real WSDLs; besides libFuzzer's byte-level
//! mutations, a third of the mutations are schema-aware (`wsdl_mutate`: compositors swapped,
//! emptied and nested, occurrences and flags changed, references re-pointed or left dangling,
//! cycles made, bindings changed, on the parsed tree) and a third structural on the text
//! (`xml_mutate`: elements deleted, duplicated or moved, attribute values swapped or made to
//! dangle), so mutated copies of the real WSDLs stay well-formed enough to reach the resolver
//! and the emitter.
#![no_main]

use wsdlgen_fuzz::wsdl_mutate::mutate_wsdl;
use wsdlgen_fuzz::xml_mutate::{Rng, mutate_structure};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wsdlgen_fuzz::oracle::generate(data, false);
});

libfuzzer_sys::fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    let mut rng = Rng::new(u64::from(seed));
    let rounds = 1 + rng.below(3);
    let mutated = match rng.below(3) {
        0 => std::str::from_utf8(&data[..size])
            .ok()
            .and_then(|text| mutate_wsdl(text, &mut rng, rounds))
            .map(String::into_bytes),
        1 => mutate_structure(&data[..size], &mut rng),
        _ => None,
    };
    if let Some(mutated) = mutated.filter(|m| m.len() <= max_size) {
        data[..mutated.len()].copy_from_slice(&mutated);
        return mutated.len();
    }
    libfuzzer_sys::fuzzer_mutate(data, size, max_size)
});
