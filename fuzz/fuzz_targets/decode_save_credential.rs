//! Envelope + body decoding of a `SaveCredential` response; whatever decodes must round trip.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wsdlgen_fuzz::oracle::decode_roundtrip::<services87::user::SaveCredential>(data);
});
