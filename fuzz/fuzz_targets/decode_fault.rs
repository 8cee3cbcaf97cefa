//! Fault envelopes (SOAP 1.1 and 1.2) through an operation's decoder (chosen by the first
//! byte when it is not markup); a decoded fault must round trip.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wsdlgen_fuzz::oracle::decode_any_operation(data);
});
