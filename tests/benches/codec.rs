//! In-process encode and decode figures, each group with its baselines so that the ratios come
//! from one run on one machine:
//!
//! - `encode_save_credential`: our generated encoder writing the SaveCredential body element,
//!   quick-xml's serde serializer writing the same bytes from equivalent hand-written structs,
//!   and our whole envelope with its three header entries (`encode_request`).
//! - `decode_save_credential`, `decode_get_credential_types_100`, `…_10000`: our generated
//!   decoder (`decode_response`: namespace-aware, strict), quick-xml's serde deserializer into
//!   equivalent hand-written structs (matches local names only, ignores namespaces), and
//!   quick-xml's plain `Reader` iterating the events of the same bytes from a slice.
//!
//! Before the groups run, the bench checks that each pair does the same work (same bytes
//! written, same item counts decoded) and prints allocation counts from a counting global
//! allocator. `cargo test` runs every benchmark once (criterion's test mode) as a smoke test.
//!
//! `scripts/bench.sh` runs this with `cargo bench --bench codec` and prints the ratios.

mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use quick_xml::events::Event;
use services87::runtime::codegen::{XmlWriter, decode_response, encode_request};
use services87::runtime::{DecodeLimits, Encode, SoapVersion};
use services87::user::{GetCredentialTypes, SaveCredential};

use common::{CountingAlloc, count_allocations};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

// ---------------------------------------------------------------------------------------------
// Hand-written serde structs equivalent to the generated types (the quick-xml serde baseline).
// Serialization writes the same prefixed names our encoder writes; deserialization matches
// local names (quick-xml's deserializer ignores prefixes and namespaces).
// ---------------------------------------------------------------------------------------------

mod baseline {
    //! Fields are read by serde only.
    #![allow(dead_code)]

    use serde::{Deserialize, Serialize};

    #[derive(Serialize)]
    #[serde(rename = "n0:SaveCredential")]
    pub struct SSaveCredential {
        #[serde(rename = "n0:UserId", skip_serializing_if = "Option::is_none")]
        pub user_id: Option<i32>,
        #[serde(rename = "n0:Credential", skip_serializing_if = "Option::is_none")]
        pub credential: Option<SCredential>,
    }

    #[derive(Serialize)]
    pub struct SCredential {
        #[serde(rename = "n0:Type", skip_serializing_if = "Option::is_none")]
        pub r#type: Option<SCredentialTypeOut>,
        #[serde(rename = "n0:Value", skip_serializing_if = "Option::is_none")]
        pub value: Option<String>,
        #[serde(rename = "n0:DisplayValue", skip_serializing_if = "Option::is_none")]
        pub display_value: Option<String>,
    }

    #[derive(Serialize)]
    pub struct SCredentialTypeOut {
        #[serde(rename = "n0:DisplayType", skip_serializing_if = "Option::is_none")]
        pub display_type: Option<String>,
        #[serde(rename = "n0:Type", skip_serializing_if = "Option::is_none")]
        pub r#type: Option<String>,
        #[serde(rename = "n0:Description", skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        #[serde(rename = "n0:ValueControl", skip_serializing_if = "Option::is_none")]
        pub value_control: Option<SCredentialControlType>,
        #[serde(rename = "n0:CanCreatePerson", skip_serializing_if = "Option::is_none")]
        pub can_create_person: Option<bool>,
        #[serde(rename = "n0:IsUserNameSupported", skip_serializing_if = "Option::is_none")]
        pub is_user_name_supported: Option<bool>,
    }

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    pub enum SCredentialControlType {
        Static,
        Edit,
        Password,
        Link,
        Hidden,
        #[serde(other)]
        Other,
    }

    pub fn serde_request() -> SSaveCredential {
        SSaveCredential {
            user_id: Some(crate::common::USER_ID),
            credential: Some(SCredential {
                r#type: Some(SCredentialTypeOut {
                    display_type: Some("Password".into()),
                    r#type: Some("password".into()),
                    description: Some("Log in with a user name and a password stored in SuperOffice CRM".into()),
                    value_control: Some(SCredentialControlType::Password),
                    can_create_person: Some(false),
                    is_user_name_supported: Some(true),
                }),
                value: Some("n3w-S3cret & <safe>".into()),
                display_value: Some("********".into()),
            }),
        }
    }

    #[derive(Deserialize)]
    pub struct SEnvelope<B> {
        #[serde(rename = "Header", default)]
        pub header: Option<SHeader>,
        #[serde(rename = "Body")]
        pub body: B,
    }

    #[derive(Deserialize)]
    pub struct SHeader {
        #[serde(rename = "ExceptionInfo", default)]
        pub exception_info: Option<SExceptionInfo>,
        #[serde(rename = "ExtraInfo", default)]
        pub extra_info: Option<SExtraInfo>,
        #[serde(rename = "Succeeded", default)]
        pub succeeded: Option<bool>,
        #[serde(rename = "TimeZone", default)]
        pub time_zone: Option<STimeZone>,
    }

    #[derive(Deserialize, Default)]
    pub struct SExceptionInfo {
        #[serde(rename = "Message", default)]
        pub message: Option<String>,
        #[serde(rename = "StackTrace", default)]
        pub stack_trace: Option<String>,
        #[serde(rename = "FriendlyText", default)]
        pub friendly_text: Option<String>,
        #[serde(rename = "ExceptionType", default)]
        pub exception_type: Option<String>,
        #[serde(rename = "Source", default)]
        pub source: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct SExtraInfo {
        #[serde(rename = "ExtraInfoNameValuePair", default)]
        pub pairs: Vec<SStringPair>,
    }

    #[derive(Deserialize)]
    pub struct SStringPair {
        #[serde(rename = "Key", default)]
        pub key: Option<String>,
        #[serde(rename = "Value", default)]
        pub value: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct STimeZone {
        #[serde(rename = "SoTimeZoneId", default)]
        pub id: Option<i32>,
        #[serde(rename = "SoTimeZoneLocationCode", default)]
        pub location_code: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct SSaveCredentialBody {
        #[serde(rename = "SaveCredentialResponse")]
        pub response: SSaveCredentialResponse,
    }

    #[derive(Deserialize)]
    pub struct SSaveCredentialResponse {
        #[serde(rename = "Response", default)]
        pub response: Option<bool>,
    }

    #[derive(Deserialize)]
    pub struct SGetCredentialTypesBody {
        #[serde(rename = "GetCredentialTypesResponse")]
        pub response: SGetCredentialTypesResponse,
    }

    #[derive(Deserialize)]
    pub struct SGetCredentialTypesResponse {
        #[serde(rename = "Response", default)]
        pub response: Option<SArrayOfCredentialType>,
    }

    #[derive(Deserialize)]
    pub struct SArrayOfCredentialType {
        #[serde(rename = "CredentialType", default)]
        pub items: Vec<SCredentialType>,
    }

    #[derive(Deserialize)]
    pub struct SCredentialType {
        #[serde(rename = "TableRight", default)]
        pub table_right: Option<SRight<STableRightFlag>>,
        #[serde(rename = "FieldProperties", default)]
        pub field_properties: Option<SFieldProperties>,
        #[serde(rename = "DisplayType", default)]
        pub display_type: Option<String>,
        #[serde(rename = "Type", default)]
        pub r#type: Option<String>,
        #[serde(rename = "Description", default)]
        pub description: Option<String>,
        #[serde(rename = "ValueControl", default)]
        pub value_control: Option<SCredentialControlType>,
        #[serde(rename = "CanCreatePerson", default)]
        pub can_create_person: Option<bool>,
        #[serde(rename = "IsUserNameSupported", default)]
        pub is_user_name_supported: Option<bool>,
    }

    /// `TableRight` / `FieldRight`: a flag list (`xs:list` of an enumeration) and a reason.
    #[derive(Deserialize)]
    pub struct SRight<F> {
        #[serde(rename = "Mask", default = "Option::default")]
        pub mask: Option<SFlags<F>>,
        #[serde(rename = "Reason", default)]
        pub reason: Option<String>,
    }

    /// An `xs:list` in element text.
    #[derive(Deserialize)]
    pub struct SFlags<F> {
        #[serde(rename = "$text", default = "Vec::new")]
        pub flags: Vec<F>,
    }

    #[derive(Deserialize)]
    pub enum STableRightFlag {
        Select,
        Update,
        Insert,
        Delete,
        Filtering,
        RestrictedUpdate,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize)]
    pub enum SFieldRightFlag {
        Read,
        Write,
        Unused1,
        Unused2,
        Unused3,
        Unused4,
        #[serde(rename = "UIHintMandatory")]
        UiHintMandatory,
        #[serde(rename = "UIHintReadOnly")]
        UiHintReadOnly,
        UndefinedValue256,
        #[serde(other)]
        Other,
    }

    #[derive(Deserialize)]
    pub struct SFieldProperties {
        #[serde(rename = "FieldPropertyDictionaryKeyValuePair", default)]
        pub pairs: Vec<SFieldPropertyPair>,
    }

    #[derive(Deserialize)]
    pub struct SFieldPropertyPair {
        #[serde(rename = "Key", default)]
        pub key: Option<String>,
        #[serde(rename = "Value", default)]
        pub value: Option<SFieldProperty>,
    }

    #[derive(Deserialize)]
    pub struct SFieldProperty {
        #[serde(rename = "FieldRight", default)]
        pub field_right: Option<SRight<SFieldRightFlag>>,
        #[serde(rename = "FieldType", default)]
        pub field_type: Option<String>,
        #[serde(rename = "FieldLength", default)]
        pub field_length: Option<i32>,
    }
}

use baseline::*;

// ---------------------------------------------------------------------------------------------
// the three contenders
// ---------------------------------------------------------------------------------------------

fn encode_payload_ours(req: &SaveCredential) -> Vec<u8> {
    let mut w = XmlWriter::with_capacity(1024);
    req.encode(&mut w, "n0:SaveCredential");
    w.into_inner()
}

fn encode_payload_serde(req: &SSaveCredential) -> String {
    let mut out = String::with_capacity(1024);
    quick_xml::se::to_writer(&mut out, req).expect("serde serializes");
    out
}

/// quick-xml's plain reader over the same bytes: every event, nothing else.
fn raw_events(bytes: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut events = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return events,
            Ok(e) => {
                black_box(&e);
                events += 1;
            }
            Err(e) => panic!("quick-xml reader: {e}"),
        }
    }
}

fn decode_save_credential_ours(bytes: &[u8]) -> bool {
    let reply = decode_response::<SaveCredential>(bytes, DecodeLimits::default()).expect("decodes");
    reply.body.response.expect("a response")
}

fn decode_save_credential_serde(bytes: &[u8]) -> bool {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let envelope: SEnvelope<SSaveCredentialBody> = quick_xml::de::from_str(text).expect("serde decodes");
    black_box(&envelope.header);
    envelope.body.response.response.expect("a response")
}

fn decode_credential_types_ours(bytes: &[u8]) -> usize {
    let reply = decode_response::<GetCredentialTypes>(bytes, DecodeLimits::default()).expect("decodes");
    reply.body.response.into_option().map_or(0, |items| items.len())
}

fn decode_credential_types_serde(bytes: &[u8]) -> usize {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let envelope: SEnvelope<SGetCredentialTypesBody> = quick_xml::de::from_str(text).expect("serde decodes");
    black_box(&envelope.header);
    envelope.body.response.response.map_or(0, |a| a.items.len())
}

// ---------------------------------------------------------------------------------------------
// equivalence checks and allocation counts, printed before the timings
// ---------------------------------------------------------------------------------------------

fn check_and_count(credential_types: &[(usize, Vec<u8>)]) {
    let req = common::save_credential_request();
    let sreq = serde_request();
    let ours = encode_payload_ours(&req);
    let theirs = encode_payload_serde(&sreq);
    assert_eq!(
        std::str::from_utf8(&ours).unwrap(),
        theirs,
        "the serde baseline must write exactly the bytes our encoder writes"
    );

    let headers = common::request_headers();
    let (envelope, stats) = count_allocations(|| encode_request(SoapVersion::Soap11, &req, &headers));
    println!(
        "alloc: encode_request(SaveCredential + 3 headers): {} allocation(s), envelope {} bytes (buffer capacity {})",
        stats.allocations,
        envelope.len(),
        envelope.capacity()
    );
    let (_, stats) = count_allocations(|| encode_payload_ours(&req));
    println!("alloc: wsdlgen encode payload: {} allocation(s), {} bytes", stats.allocations, ours.len());
    let (_, stats) = count_allocations(|| encode_payload_serde(&sreq));
    println!("alloc: quick-xml serde encode payload: {} allocation(s)", stats.allocations);

    let bytes = common::SAVE_CREDENTIAL_RESPONSE.as_bytes();
    assert!(decode_save_credential_ours(bytes));
    assert!(decode_save_credential_serde(bytes));
    let (_, stats) = count_allocations(|| decode_save_credential_ours(bytes));
    println!(
        "alloc: wsdlgen decode SaveCredential response ({} bytes): {} allocation(s)",
        bytes.len(),
        stats.allocations
    );
    let (_, stats) = count_allocations(|| decode_save_credential_serde(bytes));
    println!("alloc: quick-xml serde decode SaveCredential response: {} allocation(s)", stats.allocations);

    for (items, bytes) in credential_types {
        assert_eq!(decode_credential_types_ours(bytes), *items);
        assert_eq!(decode_credential_types_serde(bytes), *items);
        let (_, ours) = count_allocations(|| decode_credential_types_ours(bytes));
        let (_, serde) = count_allocations(|| decode_credential_types_serde(bytes));
        println!(
            "alloc: decode GetCredentialTypes {items} items ({} bytes): wsdlgen {} allocation(s), quick-xml serde {}",
            bytes.len(),
            ours.allocations,
            serde.allocations
        );
    }
}

// ---------------------------------------------------------------------------------------------
// interleaved ratios
// ---------------------------------------------------------------------------------------------

/// Times the contenders of one comparison in alternation (a batch of each, then again, `rounds`
/// times) and prints each one's median time per call and the ratios to the first. On a machine
/// shared with other work the load changes from one criterion group to the next; alternating
/// exposes every contender to the same load, so these ratios are the ones to quote.
fn interleaved(name: &str, rounds: usize, contenders: &[(&str, &dyn Fn())]) {
    // Batch size: about 2 ms of the slowest contender.
    let mut batch = usize::MAX;
    for (_, f) in contenders {
        let started = Instant::now();
        f();
        let once = started.elapsed().as_secs_f64().max(1e-9);
        batch = batch.min(((2e-3 / once) as usize).max(1));
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); contenders.len()];
    for _ in 0..rounds {
        for (i, (_, f)) in contenders.iter().enumerate() {
            let started = Instant::now();
            for _ in 0..batch {
                f();
            }
            times[i].push(started.elapsed().as_secs_f64() / batch as f64);
        }
    }
    let medians: Vec<f64> = times
        .iter_mut()
        .map(|t| {
            t.sort_by(f64::total_cmp);
            t[t.len() / 2]
        })
        .collect();
    for ((label, _), median) in contenders.iter().zip(&medians) {
        println!(
            "interleaved: {name}/{label}: {} (x{:.2} of {})",
            human(*median),
            median / medians[0],
            contenders[0].0
        );
    }
}

fn human(seconds: f64) -> String {
    match seconds {
        s if s < 1e-6 => format!("{:.0} ns", s * 1e9),
        s if s < 1e-3 => format!("{:.2} us", s * 1e6),
        s => format!("{:.2} ms", s * 1e3),
    }
}

fn interleaved_all(credential_types: &[(usize, Vec<u8>)], rounds: usize) {
    let req = common::save_credential_request();
    let sreq = serde_request();
    let headers = common::request_headers();
    interleaved(
        "encode_save_credential",
        rounds,
        &[
            ("wsdlgen_payload", &|| drop(black_box(encode_payload_ours(black_box(&req))))),
            ("quick_xml_serde_payload", &|| drop(black_box(encode_payload_serde(black_box(&sreq))))),
            ("wsdlgen_envelope_3_headers", &|| {
                drop(black_box(encode_request(SoapVersion::Soap11, black_box(&req), black_box(&headers))))
            }),
        ],
    );
    let bytes = common::SAVE_CREDENTIAL_RESPONSE.as_bytes();
    interleaved(
        "decode_save_credential",
        rounds,
        &[
            ("wsdlgen", &|| {
                black_box(decode_save_credential_ours(black_box(bytes)));
            }),
            ("quick_xml_serde", &|| {
                black_box(decode_save_credential_serde(black_box(bytes)));
            }),
            ("quick_xml_reader_events", &|| {
                black_box(raw_events(black_box(bytes)));
            }),
        ],
    );
    for (items, bytes) in credential_types {
        let bytes = bytes.as_slice();
        interleaved(
            &format!("decode_get_credential_types_{items}"),
            if *items > 1000 { rounds.div_ceil(3) } else { rounds },
            &[
                ("wsdlgen", &|| {
                    black_box(decode_credential_types_ours(black_box(bytes)));
                }),
                ("quick_xml_serde", &|| {
                    black_box(decode_credential_types_serde(black_box(bytes)));
                }),
                ("quick_xml_reader_events", &|| {
                    black_box(raw_events(black_box(bytes)));
                }),
            ],
        );
    }
}

// ---------------------------------------------------------------------------------------------
// groups
// ---------------------------------------------------------------------------------------------

fn benches(c: &mut Criterion, measuring: bool) {
    // The smoke test under `cargo test` (a debug build) leaves out the 6 MB response.
    let sizes: &[usize] = if measuring { &[100, 10_000] } else { &[100] };
    let credential_types: Vec<(usize, Vec<u8>)> =
        sizes.iter().map(|&n| (n, common::get_credential_types_response(n, common::ITEM_BYTES))).collect();
    check_and_count(&credential_types);
    // `cargo bench` (not `cargo test`, which only checks that everything runs once).
    interleaved_all(&credential_types, if measuring { 31 } else { 1 });

    let req = common::save_credential_request();
    let sreq = serde_request();
    let headers = common::request_headers();
    let mut g = c.benchmark_group("encode_save_credential");
    g.bench_function("wsdlgen_payload", |b| b.iter(|| encode_payload_ours(black_box(&req))));
    g.bench_function("quick_xml_serde_payload", |b| b.iter(|| encode_payload_serde(black_box(&sreq))));
    g.bench_function("wsdlgen_envelope_3_headers", |b| {
        b.iter(|| encode_request(SoapVersion::Soap11, black_box(&req), black_box(&headers)))
    });
    g.finish();

    let bytes = common::SAVE_CREDENTIAL_RESPONSE.as_bytes();
    let mut g = c.benchmark_group("decode_save_credential");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("wsdlgen", |b| b.iter(|| decode_save_credential_ours(black_box(bytes))));
    g.bench_function("quick_xml_serde", |b| b.iter(|| decode_save_credential_serde(black_box(bytes))));
    g.bench_function("quick_xml_reader_events", |b| b.iter(|| raw_events(black_box(bytes))));
    g.finish();

    for (items, bytes) in &credential_types {
        let mut g = c.benchmark_group(format!("decode_get_credential_types_{items}"));
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        if *items > 1000 {
            g.sample_size(20).measurement_time(Duration::from_secs(8));
        }
        let bytes = bytes.as_slice();
        g.bench_with_input(BenchmarkId::from_parameter("wsdlgen"), bytes, |b, bytes| {
            b.iter(|| decode_credential_types_ours(black_box(bytes)))
        });
        g.bench_with_input(BenchmarkId::from_parameter("quick_xml_serde"), bytes, |b, bytes| {
            b.iter(|| decode_credential_types_serde(black_box(bytes)))
        });
        g.bench_with_input(BenchmarkId::from_parameter("quick_xml_reader_events"), bytes, |b, bytes| {
            b.iter(|| raw_events(black_box(bytes)))
        });
        g.finish();
    }
}

fn main() {
    // criterion measures when cargo passes `--bench`; without it (`cargo test`) it runs each
    // benchmark once.
    let measuring = std::env::args().any(|a| a == "--bench");
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c, measuring);
    c.final_summary();
}
