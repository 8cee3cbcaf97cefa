//! The fuzz targets' checks, bounded and deterministic, under `cargo test` (no libFuzzer, no
//! nightly, no cargo-fuzz): every committed seed (`fuzz/corpus/<target>/`) and every input a
//! fuzzer once failed on (`fuzz/regressions/<target>/`) goes through the target's oracle, then a
//! fixed number of mutations (fixed seed) of them: byte-level (flips, deletions, insertions of
//! dictionary tokens, duplications, truncations) and structural (elements deleted, duplicated
//! or moved, attribute values swapped). The oracles are the fuzz targets' own
//! (`fuzz/src/oracle.rs`, included here as a module): a decoded response written back decodes to
//! the same value, a fault round trips, the generator gives bindings or a positioned error.
//!
//! About 10-20 s in a debug build; the iteration counts below are the budget.

use std::path::{Path, PathBuf};

#[path = "../../fuzz/src/differential.rs"]
mod differential;
#[path = "../../fuzz/src/oracle.rs"]
mod oracle;
#[path = "../../fuzz/src/serve.rs"]
mod serve;
#[path = "../../fuzz/src/xml_mutate.rs"]
#[allow(dead_code)]
mod xml_mutate;

use services87::user;
use xml_mutate::{Rng, mutate_structure};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The files of `dir` (recursively), sorted, so that the run is the same everywhere.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The seeds and regression inputs of a target.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let mut paths = files(&root().join("fuzz/corpus").join(target));
    paths.extend(files(&root().join("fuzz/regressions").join(target)));
    paths.into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect()
}

const RESPONSE_TOKENS: &[&[u8]] = &[
    b"xsi:nil=\"true\"",
    b" i:nil=\"1\"",
    b" xmlns=\"http://www.superoffice.net/ws/crm/NetServer/Services87\"",
    b" xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\"",
    b" xsi:type=\"xsd:int\"",
    b" s:mustUnderstand=\"1\"",
    b"&amp;",
    b"&#xD;",
    b"&#0;",
    b"&#x10FFFF;",
    b"&lt;",
    b"<![CDATA[<x>]]>",
    b"<!-- c -->",
    b"<?pi x?>",
    b"<s:Header></s:Header>",
    b"<s:Body>",
    b"</s:Body>",
    b"<s:Fault><faultcode>s:Client</faultcode><faultstring>x</faultstring></s:Fault>",
    b"<Succeeded>false</Succeeded>",
    b"<Response>",
    b"</Response>",
    b"<UserInfo>",
    b"</UserInfo>",
    b"true",
    b"-2147483649",
    b"NaN",
    b"INF",
    b"9999999999999999999999999999.5",
    b"2024-02-30T25:61:00+14:01",
    b"\xff\xfe",
    // A UTF-8 byte order mark (inserted at the start: see `mutate`).
    b"\xef\xbb\xbf",
    b"\xc3\xa9",
    b"\r\n",
];

/// Markup pieces for the tokenizer's differential check: what starts and ends each construct,
/// references, namespace declarations, bytes that are not UTF-8 or not XML characters.
const XML_TOKENS: &[&[u8]] = &[
    b"<",
    b">",
    b"</",
    b"/>",
    b"<a>",
    b"</a>",
    b"&",
    b"&amp;",
    b"&#x41;",
    b"&#0;",
    b"&e;",
    b";",
    b"\"",
    b"'",
    b"=",
    b" ",
    b":",
    b" x=\"1\"",
    b" xmlns:p=\"urn:p\"",
    b" xmlns=\"\"",
    b" xmlns:p=\"\"",
    b"p:",
    b" xml:lang=\"en\"",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"--",
    b"<?pi x?>",
    b"<?xml version=\"1.0\"?>",
    b"<!DOCTYPE a>",
    b"\xff",
    b"\0",
    b"\r\n",
    b"\xc3\xa9",
    b"\xef\xbb\xbf",
];

const WSDL_TOKENS: &[&[u8]] = &[
    b"<xs:element name=\"E\" type=\"tns:T\"/>",
    b"<xs:complexType name=\"T\"><xs:sequence><xs:element name=\"x\" type=\"tns:T\"/></xs:sequence></xs:complexType>",
    b"<xs:group ref=\"tns:G\"/>",
    b"<xs:choice maxOccurs=\"unbounded\">",
    b"</xs:choice>",
    b" minOccurs=\"0\"",
    b" maxOccurs=\"unbounded\"",
    b" nillable=\"true\"",
    b" abstract=\"true\"",
    b" mixed=\"true\"",
    b" use=\"encoded\"",
    b" style=\"rpc\"",
    b" substitutionGroup=\"tns:E\"",
    b"<xs:include schemaLocation=\"x.xsd\"/>",
    b"<xs:import schemaLocation=\"http://x/y.xsd\"/>",
    b"<wsdl:import location=\"../wsdl/Services87-User.wsdl\"/>",
    b"tns:",
    b"xs:anyType",
    b"/>",
    b"</",
];

/// `input` with 1-4 random edits.
fn mutate(input: &[u8], rng: &mut Rng, tokens: &[&[u8]]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(8) {
            0 if !v.is_empty() => {
                let i = rng.below(v.len());
                v[i] = rng.next_u64() as u8;
            }
            1 if !v.is_empty() => {
                let end = (at + 1 + rng.below(16)).min(v.len());
                v.drain(at.min(end)..end);
            }
            2 | 3 => {
                let token = tokens[rng.below(tokens.len())];
                let at = if token == b"\xef\xbb\xbf" { 0 } else { at };
                v.splice(at..at, token.iter().copied());
            }
            4 if !v.is_empty() => {
                let start = rng.below(v.len());
                let end = (start + 1 + rng.below(64)).min(v.len());
                let copy = v[start..end].to_vec();
                v.splice(at..at, copy);
            }
            5 => v.truncate(at),
            _ => {
                if let Some(m) = mutate_structure(&v, rng) {
                    v = m;
                }
            }
        }
    }
    v
}

/// Runs `check` on every input of `target`, then on `rounds` mutations of each.
fn smoke<R: Ord + Clone + std::fmt::Debug>(
    target: &str,
    rounds: usize,
    tokens: &[&[u8]],
    check: impl Fn(&[u8]) -> R,
) -> usize {
    smoke_counted(target, rounds, tokens, check).0
}

/// [`smoke`], also counting what `check` returned for the mutated inputs (the branch each
/// reached), printed and returned.
fn smoke_counted<R: Ord + Clone + std::fmt::Debug>(
    target: &str,
    rounds: usize,
    tokens: &[&[u8]],
    check: impl Fn(&[u8]) -> R,
) -> (usize, std::collections::BTreeMap<R, usize>) {
    let mut reached = std::collections::BTreeMap::new();
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "no seeds for {target}");
    let mut rng = Rng::new(0x5EED_F022);
    let mut runs = 0;
    for (path, data) in &inputs {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(data)));
        assert!(result.is_ok(), "{target}: the seed {} fails its check", path.display());
        runs += 1;
        for round in 0..rounds {
            let mutated = mutate(data, &mut rng, tokens);
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&mutated)));
            if let Ok(branch) = &result {
                *reached.entry(branch.clone()).or_insert(0) += 1;
            }
            if result.is_err() {
                let out = std::env::temp_dir().join(format!("fuzz-smoke-{target}-{round}.bin"));
                std::fs::write(&out, &mutated).unwrap();
                panic!(
                    "{target}: mutation {round} of {} fails its check; input saved to {}",
                    path.display(),
                    out.display()
                );
            }
            runs += 1;
        }
    }
    println!("{target}: {runs} runs; the mutated inputs reached {reached:?}");
    (runs, reached)
}

/// How many of the mutated inputs reached each branch of the decoding oracle, checked against
/// floors: a mutator or oracle that stopped reaching the round trips (every mutation refused by
/// the decoder) would still "pass" every run, and this is what shows it does not.
fn assert_reached(
    target: &str,
    reached: &std::collections::BTreeMap<oracle::Branch, usize>,
    floors: &[(oracle::Branch, usize)],
) {
    for (branch, floor) in floors {
        let n = reached.get(branch).copied().unwrap_or(0);
        assert!(
            n >= *floor,
            "{target}: only {n} mutated inputs reached {branch:?} (at least {floor} expected): {reached:?}"
        );
    }
}

/// Runs `f` on a thread with a large stack: the generator's recursion is bounded (256 levels of
/// nesting, documents and types), but a debug build needs more than a test thread's 2 MiB for it.
fn big_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new().stack_size(64 << 20).spawn(f).unwrap().join().unwrap();
}

use oracle::Branch::{Fault, Refused, Reply, ServiceError};
// About half of what the fixed-seed runs reach today (SaveCredential: 1,136 replies and 729
// service errors of 24,000 mutations; GetUser 292 / 552 of 9,000; GetUserInfoList 601 / 744 of
// 16,000; faults 2,180 of 24,000), so that a change of mutator or seeds may move them a little.
const FLOORS_SAVE_CREDENTIAL: &[(oracle::Branch, usize)] = &[(Reply, 550), (ServiceError, 350), (Refused, 1_000)];
const FLOORS_GET_USER: &[(oracle::Branch, usize)] = &[(Reply, 150), (ServiceError, 250), (Refused, 1_000)];
const FLOORS_GET_USER_INFO_LIST: &[(oracle::Branch, usize)] = &[(Reply, 300), (ServiceError, 350), (Refused, 1_000)];
const FLOORS_FAULT: &[(oracle::Branch, usize)] = &[(Fault, 1_000), (Refused, 1_000)];

/// The floors can fail: the same run with a check that cuts every input in half (so the decoder
/// refuses them all) reaches no round trip, and `assert_reached` says so.
#[test]
fn the_branch_floors_can_fail() {
    big_stack(|| {
        let (_, reached) = smoke_counted("decode_save_credential", 50, RESPONSE_TOKENS, |data| {
            oracle::decode_roundtrip::<user::SaveCredential>(&data[..data.len() / 2])
        });
        assert_eq!(reached.get(&Reply), None, "{reached:?}");
        let failed = std::panic::catch_unwind(|| assert_reached("cut", &reached, FLOORS_SAVE_CREDENTIAL));
        assert!(failed.is_err());
    });
}

#[test]
fn decode_save_credential() {
    big_stack(|| {
        let (n, reached) = smoke_counted(
            "decode_save_credential",
            4000,
            RESPONSE_TOKENS,
            oracle::decode_roundtrip::<user::SaveCredential>,
        );
        assert!(n > 20_000);
        assert_reached("decode_save_credential", &reached, FLOORS_SAVE_CREDENTIAL);
    });
}

#[test]
fn decode_get_user() {
    big_stack(|| {
        let (_, reached) =
            smoke_counted("decode_get_user", 3000, RESPONSE_TOKENS, oracle::decode_roundtrip::<user::GetUser>);
        assert_reached("decode_get_user", &reached, FLOORS_GET_USER);
    });
}

#[test]
fn decode_get_user_info_list() {
    big_stack(|| {
        let (_, reached) = smoke_counted(
            "decode_get_user_info_list",
            4000,
            RESPONSE_TOKENS,
            oracle::decode_roundtrip::<user::GetUserInfoList>,
        );
        assert_reached("decode_get_user_info_list", &reached, FLOORS_GET_USER_INFO_LIST);
    });
}

#[test]
fn serve_request() {
    big_stack(|| {
        smoke("serve_request", 2000, RESPONSE_TOKENS, serve::serve_request);
    });
}

/// The reader and roxmltree agree on what is well-formed, and on the tree of what is.
#[test]
fn tokenize_differential() {
    big_stack(|| {
        smoke("tokenize_differential", 3000, XML_TOKENS, differential::check);
    });
}

/// Each exception of the differential check is real: the reader refuses the document (as XML
/// 1.0 and Namespaces in XML 1.0 say it must) and roxmltree reads it, or the other way round
/// for `<xml:s/>`; the check passes them, and still fails a disagreement nothing explains. When
/// a roxmltree release stops disagreeing on one of these, its case fails here and the exception
/// can go.
#[test]
fn tokenize_differential_exceptions_are_real() {
    let excused = [
        "<:a/>",
        "<a :b='1'/>",
        "<a></:a>",
        "<a><?pi=x?></a>",
        "<a><?XML x?></a>",
        "<a/><?xml\tx?>",
        "<a><?xml\r\nx?></a>",
        "<xml:s/>",
        "<p:a xmlns:p='u' p:xmlns='urn:d'/>",
        "<a xmlns:p='u' p:xmlns='u'/>",
        "<?xml?><a/>",
        "<?xml version='2.0'?><a/>",
        "<?xml version='1.0' standalone='maybe'?><a/>",
        "<?xml version='1.0' encodingx='utf-8'?><a/>",
        "<?xml version='1.0' encoding='latin1'?><a/>",
        "<a xmlns='urn:x' xmlns='urn:x'/>",
        "<a xmlns:p=''/>",
        "<a xmlns:xmlns='urn:x'/>",
        "<a p:xmlns=''/>",
        "<a>x\r&amp;</a>",
        "<a\r>x&#xD;y\r&quot;z</a>\n",
        "<a>x\r&quot;<?pi &#xD;?><!-- &#13; --><![CDATA[&#xD;]]></a>",
        "<a xmlns='urn:&#13;' b='&#xD;>'>x\r&quot;<c d=\"&#13;\"/></a>",
        "<a x='&#x22FFFF;'/>",
        "<a>&#xD800;</a>",
    ];
    for doc in excused {
        let outcome = differential::compare(doc.as_bytes());
        assert_eq!(outcome, Ok(differential::Outcome::Excused), "{doc:?}");
        let rox = roxmltree::Document::parse_with_options(
            doc,
            roxmltree::ParsingOptions { allow_dtd: false, ..roxmltree::ParsingOptions::default() },
        );
        let reader = wsdlgen_runtime::codegen::xml::read_tree(doc.as_bytes(), wsdlgen_runtime::DecodeLimits::default());
        // Exactly one of them refuses, or their trees differ.
        if let (Ok(rox), Ok(reader)) = (&rox, &reader) {
            assert_ne!(*reader, differential::element(rox.root_element()), "{doc:?}: drop the exception");
            continue;
        }
        assert_ne!(rox.is_ok(), reader.is_ok(), "{doc:?}: roxmltree {rox:?}, reader {reader:?}; drop the exception");
    }
    // Agreements, and a disagreement that is not excused: a reader that accepted `<a:-b/>`
    // (roxmltree refuses it) would fail the check.
    assert_eq!(differential::compare(b"<a>x&#xD;\r\n</a>"), Ok(differential::Outcome::BothAccepted));
    assert_eq!(differential::compare(b"<a:-b xmlns:a='u'/>"), Ok(differential::Outcome::BothRefused));
    assert_eq!(differential::compare(b"<a>\xff</a>"), Ok(differential::Outcome::BothRefused));
    // roxmltree's `\r` for the reader's `\n` is excused once per literal `\r`, and only while the
    // reader keeps every `\r` written as a reference: a reader that lost one would fail.
    assert_eq!(differential::compare(b"<a>\r&amp;&#xD;</a>"), Ok(differential::Outcome::Excused));
    assert!(differential::excused_tree_for_test("<a>\r&amp;&#xD;</a>", &[("\n&\r", "\r&\r")],));
    assert!(!differential::excused_tree_for_test("<a>\r&amp;&#xD;</a>", &[("\n&\n", "\r&\r")]));
    assert!(!differential::excused_tree_for_test("<a>&amp;&#xD;</a>", &[("&\n", "&\r")]));
}

/// The server oracle's reply check sees a malformed reply, another version, and a status that
/// does not match the reply.
#[test]
fn serve_request_check_can_fail() {
    use wsdlgen_runtime::SoapVersion;
    use wsdlgen_runtime::server::codegen::Reply;
    let ok = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>"#;
    let fault =
        br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault/></s:Body></s:Envelope>"#;
    let reply = |status, body: &[u8]| Reply { status, body: body.to_vec(), version: SoapVersion::Soap11 };
    assert!(serve::check_reply(&reply(200, ok), SoapVersion::Soap11).is_ok());
    assert!(serve::check_reply(&reply(500, fault), SoapVersion::Soap11).is_ok());
    assert!(serve::check_reply(&reply(200, &ok[..ok.len() - 2]), SoapVersion::Soap11).is_err());
    assert!(serve::check_reply(&reply(200, ok), SoapVersion::Soap12).is_err());
    assert!(serve::check_reply(&reply(500, ok), SoapVersion::Soap11).is_err());
    assert!(serve::check_reply(&reply(200, fault), SoapVersion::Soap11).is_err());
}

#[test]
fn decode_fault() {
    big_stack(|| {
        let (_, reached) = smoke_counted("decode_fault", 3000, RESPONSE_TOKENS, oracle::decode_any_operation);
        assert_reached("decode_fault", &reached, FLOORS_FAULT);
    });
}

#[test]
fn generate_wsdl() {
    big_stack(|| {
        smoke("generate_wsdl", 1500, WSDL_TOKENS, |data| oracle::generate(data, false));
        // The real WSDLs and the hostile corpus, whole (formatted: the emitted code must parse).
        let mut paths = files(&root().join("wsdl"));
        paths.extend(files(&root().join("tests/wsdl")));
        paths.extend(files(&root().join("codegen/tests/broken")));
        for path in paths {
            let data = std::fs::read(&path).unwrap();
            let result = std::panic::catch_unwind(|| oracle::generate(&data, true));
            assert!(result.is_ok(), "generate_wsdl: {} fails its check", path.display());
        }
    });
}

/// The seeds do reach the round trips: a reply, a service error and faults of both versions.
#[test]
fn the_seeds_decode_as_intended() {
    use wsdlgen_runtime::codegen::decode_response;
    use wsdlgen_runtime::{DecodeLimits, Error};
    let read = |target: &str, name: &str| std::fs::read(root().join("fuzz/corpus").join(target).join(name)).unwrap();
    let limits = DecodeLimits::default();
    let reply =
        decode_response::<user::GetUserInfoList>(&read("decode_get_user_info_list", "wcf_response.xml"), limits);
    let list = reply.unwrap().body.response.into_option().unwrap();
    assert_eq!(list.len(), 3);
    assert!(decode_response::<user::GetUser>(&read("decode_get_user", "example_response.xml"), limits).is_ok());
    assert!(
        decode_response::<user::SaveCredential>(&read("decode_save_credential", "example_response.xml"), limits)
            .is_ok()
    );
    let e = decode_response::<user::SaveCredential>(&read("decode_save_credential", "service_error.xml"), limits);
    assert!(matches!(e, Err(Error::Service(_))));
    for name in
        ["soap11_fault.xml", "soap12_fault.xml", "soap11_fault_wcf.xml", "soap12_fault_with_subcodes_no_detail.xml"]
    {
        let e = decode_response::<user::SaveCredential>(&read("decode_fault", name), limits);
        assert!(matches!(e, Err(Error::Fault(_))), "{name}: {e:?}");
    }
}
