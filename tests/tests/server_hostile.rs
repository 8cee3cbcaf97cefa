//! Hostile requests to the generated User server, below HTTP (its `Dispatch`): byte-level and
//! structural mutations of a real request envelope, deep nesting, entity tricks and huge lists
//! are all answered (a response or a fault, well-formed, of the request's version), never with a
//! panic, and bounded in stack and time (the server and the reply check are the `serve_request`
//! fuzz target's, whose self-test is in `fuzz_smoke.rs`). The HTTP-level cases (sizes, methods,
//! content types) are in `server_user.rs`.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use services87::user::{SaveCredential, UserRequestHeaders};
use wsdlgen_runtime::SoapVersion;
use wsdlgen_runtime::server::codegen::Reply;

#[path = "../../fuzz/src/serve.rs"]
#[allow(dead_code)]
mod serve;

const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services87";

fn valid_request() -> Vec<u8> {
    let request = SaveCredential {
        user_id: Some(42),
        credential: services87::user::Credential { value: "s3cr&t".to_owned().into(), ..Default::default() }.into(),
    };
    let headers = UserRequestHeaders {
        application_token: Some("app".into()),
        credentials: Some(services87::user::SoCredentials { ticket: "7T:x".to_owned().into() }),
        time_zone: None,
    };
    wsdlgen_runtime::codegen::encode_request(SoapVersion::Soap11, &request, &headers)
}

/// Dispatches `body` as a SOAP 1.1 SaveCredential call (the fuzz target's server and reply check,
/// `fuzz/src/serve.rs`), on a 2 MiB stack, bounded in time.
fn answer(body: Vec<u8>) -> Result<Reply, String> {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let start = Instant::now();
            let reply = serve::dispatch(SoapVersion::Soap11, "SaveCredential", &body);
            (reply, start.elapsed())
        })
        .expect("spawn")
        .join()
        .map_err(|_| "the server panicked".to_owned())
        .and_then(|(reply, took)| {
            if took > Duration::from_secs(5) {
                return Err(format!("took {took:?}"));
            }
            serve::check_reply(&reply, SoapVersion::Soap11)?;
            Ok(reply)
        })
}

#[test]
fn the_valid_request_is_answered() {
    let reply = answer(valid_request()).unwrap();
    assert_eq!(reply.status, 200, "{}", String::from_utf8_lossy(&reply.body));
    assert!(String::from_utf8_lossy(&reply.body).contains(">true</n0:Response>"));
}

#[test]
fn nesting_entities_and_lists_are_bounded() {
    let deep = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><SaveCredential xmlns="{NS}"><Credential>{}{}</Credential></SaveCredential></s:Body></s:Envelope>"#,
        "<TableRight>".repeat(100_000),
        "</TableRight>".repeat(100_000)
    );
    let bomb = format!(
        r#"<!DOCTYPE s:Envelope [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><SaveCredential xmlns="{NS}"><UserId>&b;</UserId></SaveCredential></s:Body></s:Envelope>"#
    );
    let list = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><SaveCredential xmlns="{NS}"><Credential><TableRight><Mask>{}</Mask></TableRight></Credential></SaveCredential></s:Body></s:Envelope>"#,
        "Select ".repeat(200_000)
    );
    for (what, body, expected) in
        [("deep nesting", deep, "depth"), ("an entity bomb", bomb, "DOCTYPE"), ("a huge list", list, "list items")]
    {
        let reply = answer(body.into_bytes()).unwrap_or_else(|e| panic!("{what}: {e}"));
        let text = String::from_utf8_lossy(&reply.body);
        assert_eq!(reply.status, 500, "{what}: {text}");
        assert!(text.contains("s:Client") && text.contains(expected), "{what}: {text}");
    }
}

/// One mutation of a byte string.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    Duplicate(usize, usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let tokens: Vec<&'static [u8]> = vec![
        b"<",
        b">",
        b"</",
        b"/>",
        b"&",
        b"&amp;",
        b"&#0;",
        b"\"",
        b"xmlns:s=\"urn:x\"",
        b"xsi:nil=\"true\"",
        b"<![CDATA[",
        b"]]>",
        b"<!--",
        b"-->",
        b"<?pi?>",
        b"<!DOCTYPE x>",
        b"s:mustUnderstand=\"1\"",
        b"\xff",
        b"\0",
    ];
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        (any::<usize>(), 1usize..64).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (any::<usize>(), proptest::sample::select(tokens)).prop_map(|(at, t)| Mutation::Insert(at, t.to_vec())),
        (any::<usize>(), 1usize..200, any::<usize>()).prop_map(|(from, n, to)| Mutation::Duplicate(from, n, to)),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Flip(at, b) => {
                if !bytes.is_empty() {
                    bytes[at % len] = *b;
                }
            }
            Mutation::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            Mutation::Insert(at, t) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, t.iter().copied());
            }
            Mutation::Duplicate(from, n, to) => {
                let from = from % len;
                let end = (from + n).min(bytes.len());
                let piece = bytes[from.min(end)..end].to_vec();
                let to = to % (bytes.len() + 1);
                bytes.splice(to..to, piece);
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    /// Whatever a mutated request looks like, the server answers it well-formed and in time.
    #[test]
    fn mutated_requests_are_answered(mutations in proptest::collection::vec(mutation(), 1..6)) {
        let body = apply(valid_request(), &mutations);
        if let Err(e) = answer(body.clone()) {
            prop_assert!(false, "{e}\nrequest: {}", String::from_utf8_lossy(&body));
        }
    }
}
