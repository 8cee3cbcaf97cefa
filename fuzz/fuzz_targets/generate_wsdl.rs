//! The generator (read + resolve + emit, formatting off for speed) on arbitrary text: bindings,
//! or an error with a position. Seeded with the real WSDLs; besides libFuzzer's byte-level
//! mutations, half of the mutations are structural (elements deleted, duplicated or moved,
//! attribute values swapped or made to dangle), so mutated copies of the real WSDLs stay
//! well-formed enough to reach the resolver and the emitter.
#![no_main]

use wsdlgen_fuzz::xml_mutate::{Rng, mutate_structure};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wsdlgen_fuzz::oracle::generate(data, false);
});

libfuzzer_sys::fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    let mut rng = Rng::new(u64::from(seed));
    if rng.below(2) == 0
        && let Some(mutated) = mutate_structure(&data[..size], &mut rng)
        && mutated.len() <= max_size
    {
        data[..mutated.len()].copy_from_slice(&mutated);
        return mutated.len();
    }
    libfuzzer_sys::fuzzer_mutate(data, size, max_size)
});
