//! Hostile requests to the generated User server, below HTTP (its `Dispatch`): byte-level and
//! structural mutations of a real request envelope, deep nesting, entity tricks and huge lists
//! are all answered (a response or a fault, well-formed, of the request's version), never with a
//! panic, and bounded in stack and time. The HTTP-level cases (sizes, methods, content types)
//! are in `server_user.rs`.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use services87::user::{
    SaveCredential, SaveCredentialResponse, UserRequestHeaders, UserResult, UserServer, UserService,
};
use wsdlgen_runtime::SoapVersion;
use wsdlgen_runtime::codegen::XmlReader;
use wsdlgen_runtime::server::Request;
use wsdlgen_runtime::server::codegen::{Call, Dispatch, Reply};

/// Answers SaveCredential; everything else keeps its "not implemented" default.
struct Fake;

impl UserService for Fake {
    async fn save_credential(
        &self,
        request: Request<SaveCredential, UserRequestHeaders>,
    ) -> UserResult<SaveCredentialResponse> {
        Ok(SaveCredentialResponse { response: Some(request.body.user_id.is_some()) }.into())
    }
}

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

/// Dispatches `body` as operation 0..n by SOAP action, on a small stack, and checks the reply:
/// a well-formed envelope (or 202 with nothing), with a status that matches its content.
fn answer(body: Vec<u8>) -> Result<Reply, String> {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
            let server = UserServer::new(Fake);
            let index = server.operations().iter().position(|op| op.name == "SaveCredential").unwrap();
            let start = Instant::now();
            let reply = runtime.block_on(server.call(index, Call::new(body, SoapVersion::Soap11, "")));
            let took = start.elapsed();
            (reply, took)
        })
        .expect("spawn")
        .join()
        .map_err(|_| "the server panicked".to_owned())
        .and_then(|(reply, took)| {
            if took > Duration::from_secs(5) {
                return Err(format!("took {took:?}"));
            }
            check_reply(&reply)?;
            Ok(reply)
        })
}

fn check_reply(reply: &Reply) -> Result<(), String> {
    if reply.status == 202 {
        return if reply.body.is_empty() { Ok(()) } else { Err("202 with a body".into()) };
    }
    let text = String::from_utf8_lossy(&reply.body);
    let mut r = XmlReader::new(&reply.body);
    let root = r.root().map_err(|e| format!("the reply is not well-formed: {e}\n{text}"))?;
    if !root.is("http://schemas.xmlsoap.org/soap/envelope/", "Envelope") {
        return Err(format!("the reply is not a SOAP 1.1 envelope: {text}"));
    }
    // The whole document, not only its first tag.
    r.skip(&root).and_then(|()| r.finish()).map_err(|e| format!("the reply is not well-formed: {e}\n{text}"))?;
    let fault = text.contains("<s:Fault>");
    match (reply.status, fault) {
        (200, false) | (500, true) => Ok(()),
        (status, fault) => Err(format!("status {status} with fault = {fault}: {text}")),
    }
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

/// The reply check sees what it claims to: malformed XML, another envelope version, a fault
/// with status 200, a response with status 500, a body with 202.
#[test]
fn the_reply_check_can_fail() {
    let good = answer(valid_request()).unwrap();
    let reply = |status: u16, body: &[u8]| Reply { status, body: body.to_vec(), version: SoapVersion::Soap11 };
    assert!(check_reply(&good).is_ok());
    assert!(check_reply(&reply(200, &good.body[..good.body.len() - 3])).is_err());
    assert!(check_reply(&reply(500, &good.body)).is_err());
    assert!(check_reply(&reply(202, &good.body)).is_err());
    let fault = answer(b"<x/>".to_vec()).unwrap();
    assert_eq!(fault.status, 500);
    assert!(check_reply(&reply(200, &fault.body)).is_err());
    let soap12 = String::from_utf8(good.body.clone())
        .unwrap()
        .replace("http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope");
    assert!(check_reply(&reply(200, soap12.as_bytes())).is_err());
}
