//! Seeing and shaping what a client sends and gets (issue 13): hooks before sending and after
//! receiving, the HTTP status and headers of a reply, the redacted excerpt a decode error keeps,
//! and envelopes traced at `TRACE` level with their secrets redacted. All against a server on
//! 127.0.0.1.

use std::sync::{Arc, Mutex};

use services87::user::{Credential, SaveCredential, SoCredentials, UserClient, UserRequestHeaders};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};
use wsdlgen_runtime::{
    ENVELOPE_TRACE_TARGET, Error, Hook, HookError, IncomingResponse, Nillable, OutgoingRequest, SoapClient,
};
use wsdlgen_tests::support::http::{Response, TestServer};

const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services87";
const TICKET: &str = "7T:abcTicketSecret==";
const VALUE: &str = "credential-value-secret";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/services87").join(name)).unwrap()
}

fn client(url: String) -> UserClient {
    let headers = UserRequestHeaders {
        credentials: Some(SoCredentials { ticket: TICKET.to_owned().into() }),
        ..Default::default()
    };
    UserClient::new(url).with_headers(headers)
}

fn request() -> SaveCredential {
    SaveCredential {
        user_id: Some(7),
        credential: Nillable::Value(Credential { value: VALUE.to_owned().into(), ..Default::default() }),
    }
}

/// Adds a header (after whatever the hooks before it added), appends to the envelope, and
/// turns the answer `true` into `false` before it is decoded.
#[derive(Debug)]
struct Tagger {
    tag: &'static str,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Hook for Tagger {
    fn before_send(&self, request: &mut OutgoingRequest<'_>) -> Result<(), HookError> {
        let sofar = request.headers.get("x-hooks").map(|v| v.to_str().unwrap().to_owned());
        let value = match sofar {
            Some(s) => format!("{s},{}", self.tag),
            None => self.tag.to_owned(),
        };
        request.headers.insert("x-hooks", value.parse()?);
        request.envelope.extend_from_slice(format!("<!-- {} -->", self.tag).as_bytes());
        self.seen.lock().unwrap().push(format!("send {} {} {}", request.operation, request.action, request.version));
        Ok(())
    }

    fn after_receive(&self, response: &mut IncomingResponse<'_>) -> Result<(), HookError> {
        self.seen.lock().unwrap().push(format!("receive {} {}", response.operation, response.status));
        let text = String::from_utf8(std::mem::take(response.body))?;
        *response.body = text.replace(">true</Response>", ">false</Response>").into_bytes();
        Ok(())
    }
}

#[tokio::test]
async fn hooks_see_and_change_what_goes_out_and_comes_in() {
    let server = TestServer::always(Response::xml(200, fixture("save_credential_response_true.xml")));
    let mut users = client(server.url());
    let seen = Arc::new(Mutex::new(Vec::new()));
    users.soap_client_mut().add_hook(Tagger { tag: "a", seen: Arc::clone(&seen) });
    users.soap_client_mut().add_hook(Tagger { tag: "b", seen: Arc::clone(&seen) });
    // The server answers `true`; the hooks turn it into `false` before it is decoded.
    let saved = users.save_credential(7, request().credential.into_option().unwrap()).await.unwrap();
    assert!(!saved, "the hooks rewrote the answer before it was decoded");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].header("x-hooks"), Some("a,b"), "in the order added");
    assert!(requests[0].body_text().ends_with("</s:Envelope><!-- a --><!-- b -->"), "{}", requests[0].body_text());
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "send SaveCredential http://www.superoffice.net/ws/crm/NetServer/Services87/User/SaveCredential SOAP 1.1",
            "send SaveCredential http://www.superoffice.net/ws/crm/NetServer/Services87/User/SaveCredential SOAP 1.1",
            "receive SaveCredential 200",
            "receive SaveCredential 200",
        ]
    );
}

#[derive(Debug)]
struct Refuse {
    before: bool,
}

impl Hook for Refuse {
    fn before_send(&self, _: &mut OutgoingRequest<'_>) -> Result<(), HookError> {
        if self.before { Err("no signing key".into()) } else { Ok(()) }
    }

    fn after_receive(&self, _: &mut IncomingResponse<'_>) -> Result<(), HookError> {
        Err("the signature does not verify".into())
    }
}

#[tokio::test]
async fn a_hook_error_ends_the_call() {
    let server = TestServer::always(Response::xml(200, fixture("save_credential_response_true.xml")));
    let mut users = client(server.url());
    users.soap_client_mut().add_hook(Refuse { before: true });
    let e = users.call(&request()).await.unwrap_err();
    assert!(matches!(&e, Error::Hook(h) if h.to_string() == "no signing key"), "{e:?}");
    assert_eq!(server.request_count(), 0, "nothing is sent after a before_send error");

    let mut users = client(server.url());
    users.soap_client_mut().add_hook(Refuse { before: false });
    let e = users.call(&request()).await.unwrap_err();
    assert_eq!(e.to_string(), "a hook refused the call: the signature does not verify");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn replies_carry_the_http_status_and_headers() {
    let server = TestServer::always(
        Response::xml(200, fixture("save_credential_response_true.xml"))
            .with_header("x-request-id", "42")
            .with_header("set-cookie", "ASP.NET_SessionId=sessionSecret; path=/"),
    );
    let reply = client(server.url()).call(&request()).await.unwrap();
    assert!(reply.body.response.unwrap_or_default());
    assert_eq!(reply.http_status, Some(200));
    assert_eq!(reply.http_headers.get("x-request-id").unwrap(), "42");
    assert_eq!(reply.http_headers.get("set-cookie").unwrap(), "ASP.NET_SessionId=sessionSecret; path=/");
    let shown = format!("{reply:?}");
    assert!(shown.contains("x-request-id") && !shown.contains("sessionSecret"), "{shown}");
    // Decoded from bytes, a reply has no HTTP status.
    let bytes = fixture("save_credential_response_true.xml");
    let reply =
        wsdlgen_runtime::decode_response::<SaveCredential>(&bytes, wsdlgen_runtime::DecodeLimits::default()).unwrap();
    assert_eq!((reply.http_status, reply.http_headers.len()), (None, 0));
}

#[tokio::test]
async fn decode_errors_keep_a_redacted_excerpt_of_the_message() {
    // Elements the client does not read, with a ticket in them, around the bad value.
    let body = format!(
        r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><h:Credentials xmlns:h="{NS}"><h:Ticket>{TICKET}</h:Ticket></h:Credentials></s:Header><s:Body><SaveCredentialResponse xmlns="{NS}"><Response>notabool</Response><Ticket>{TICKET}</Ticket></SaveCredentialResponse></s:Body></s:Envelope>"#
    );
    let server = TestServer::always(Response::xml(200, body.clone()));
    let e = client(server.url()).call(&request()).await.unwrap_err();
    let Error::Decode(d) = &e else { panic!("{e:?}") };
    let excerpt = d.excerpt.as_deref().expect("an excerpt");
    assert!(excerpt.contains("<Response>notabool</Response>"), "{excerpt}");
    assert!(excerpt.contains("<Ticket>[redacted]</Ticket>") && !excerpt.contains(TICKET), "{excerpt}");
    assert!(excerpt.len() < 200 + "[redacted]".len(), "{excerpt}");
    let shown = e.to_string();
    assert!(shown.contains("notabool") && shown.contains("byte") && !shown.contains(TICKET), "{shown}");
    // The same without the client: the envelope functions keep it too.
    let Err(Error::Decode(d)) =
        wsdlgen_runtime::decode_response::<SaveCredential>(body.as_bytes(), wsdlgen_runtime::DecodeLimits::default())
    else {
        panic!()
    };
    assert_eq!(d.excerpt.as_deref(), Some(excerpt));
    // A message cut inside a ticket: nothing of it is shown.
    let cut = &body[..body.rfind(TICKET).unwrap() + 6];
    let server = TestServer::always(Response::xml(200, cut.to_owned()));
    let e = client(server.url()).call(&request()).await.unwrap_err();
    let Error::Decode(d) = &e else { panic!("{e:?}") };
    assert!(!d.excerpt.as_deref().unwrap().contains("7T:"), "{e}");
}

/// The `TRACE` events of the envelope target, as `(message, body)`.
#[derive(Clone, Default)]
struct Envelopes(Arc<Mutex<Vec<(String, String)>>>);

struct Text<'a>(&'a mut Vec<(String, String)>);

impl Visit for Text<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let value = format!("{value:?}");
        match field.name() {
            "message" => self.0.push((value, String::new())),
            "envelope" | "body" => self.0.last_mut().unwrap().1 = value,
            _ => {}
        }
    }
}

impl Subscriber for Envelopes {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        *metadata.level() <= Level::TRACE
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        if event.metadata().target() == ENVELOPE_TRACE_TARGET {
            event.record(&mut Text(&mut self.0.lock().unwrap()));
        }
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn envelopes_are_traced_on_request_with_their_secrets_redacted() {
    let envelopes = Envelopes::default();
    let _guard = tracing::subscriber::set_default(envelopes.clone());
    let server = TestServer::always(Response::xml(200, fixture("save_credential_response_true.xml")));
    let mut users = client(server.url());
    // Off by default, even with TRACE enabled.
    users.call(&request()).await.unwrap();
    assert!(envelopes.0.lock().unwrap().is_empty());

    users.soap_client_mut().set_trace_envelopes(true);
    users.call(&request()).await.unwrap();
    let events = envelopes.0.lock().unwrap().clone();
    assert_eq!(events.len(), 2, "{events:?}");
    let (message, sent) = &events[0];
    assert_eq!(message, "request envelope");
    assert!(sent.contains("SaveCredential>") && sent.contains("<n0:UserId>7</n0:UserId>"), "{sent}");
    assert!(sent.contains("<n0:Ticket>[redacted]</n0:Ticket>"), "{sent}");
    assert!(sent.contains("<n0:Value>[redacted]</n0:Value>"), "{sent}");
    assert!(!sent.contains(TICKET) && !sent.contains(VALUE), "{sent}");
    let (message, received) = &events[1];
    assert_eq!(message, "response");
    assert!(received.contains("<Response>true</Response>"), "{received}");
    // What the server got is the envelope as it was, secrets and all.
    assert!(server.requests()[1].body_text().contains(TICKET));

    // A client of its own (not a SoapClient clone) traces nothing unless asked.
    let plain = SoapClient::new(server.url());
    assert!(!format!("{plain:?}").contains("trace_envelopes: true"));
}
