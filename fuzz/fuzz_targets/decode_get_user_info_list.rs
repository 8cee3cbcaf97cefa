//! Envelope + body decoding of a `GetUserInfoList` response; whatever decodes must round trip.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    wsdlgen_fuzz::oracle::decode_roundtrip::<services87::user::GetUserInfoList>(data);
});
