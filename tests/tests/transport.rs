//! Transports of one's own (`wsdlgen_runtime::Transport`): the generated `UserClient` (async and
//! blocking) over an in-memory transport that hands each request to the generated `UserServer`
//! (a tower service, no socket), and over canned answers and failures; what reaches the
//! transport (headers, limits), and what its errors become.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use services87::runtime::server::{HandlerError, Request, SoapService};
use services87::user::*;
use tower_service::Service;
use wsdlgen_runtime::{
    Error as RuntimeError, RetryPolicy, SoapClient, SoapVersion, Transport, TransportError, TransportFuture,
    TransportRequest, TransportResponse,
};

// ---------------------------------------------------------------------------------------------
// an in-memory transport in front of the generated server
// ---------------------------------------------------------------------------------------------

/// The fake User agent: user 0 does not exist (a fault), negative users are refused the way
/// NetServer refuses (a service error), others are saved when the ticket is right.
struct Fake;

impl UserService for Fake {
    async fn save_credential(
        &self,
        request: Request<SaveCredential, UserRequestHeaders>,
    ) -> UserResult<SaveCredentialResponse> {
        let ticket = request.headers.credentials.as_ref().and_then(|c| c.ticket.value().cloned());
        match request.body.user_id {
            Some(0) => Err(HandlerError::client("no such user")),
            Some(id) if id < 0 => Err(HandlerError::service(SoExceptionInfo {
                message: Some("no rights to change this user".into()).into(),
                ..Default::default()
            })),
            Some(_) => Ok(SaveCredentialResponse { response: Some(ticket.as_deref() == Some("7T:ok")) }.into()),
            None => Err(HandlerError::client("UserId is required")),
        }
    }
}

/// Hands every request to a generated server, in memory, and keeps what it was given.
struct InMemory {
    server: SoapService<UserServer<Fake>>,
    seen: Mutex<Vec<(http::HeaderMap, Duration, usize)>>,
}

impl std::fmt::Debug for InMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InMemory")
    }
}

impl InMemory {
    fn new() -> Arc<Self> {
        Arc::new(Self { server: UserServer::new(Fake).into_service(), seen: Mutex::new(Vec::new()) })
    }
}

impl Transport for InMemory {
    fn send(&self, request: TransportRequest) -> TransportFuture<'_> {
        self.seen.lock().unwrap().push((request.headers().clone(), request.timeout(), request.max_response_size()));
        let mut http_request = http::Request::post("/User.svc");
        for (name, value) in request.headers() {
            http_request = http_request.header(name, value);
        }
        let http_request =
            http_request.body(Full::new(Bytes::from(request.into_body()))).map_err(TransportError::connect);
        let call = http_request.map(|r| self.server.clone().call(r));
        Box::pin(async move {
            let response = match call?.await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.into_body().collect().await.map_err(TransportError::other)?.to_bytes().to_vec();
            let mut answer = TransportResponse::new(status, body);
            answer.content_type =
                headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
            answer.headers = headers;
            Ok(answer)
        })
    }
}

fn credential() -> Credential {
    Credential {
        r#type: CredentialType { r#type: "password".to_owned().into(), ..Default::default() }.into(),
        value: "s3cret".to_owned().into(),
        ..Default::default()
    }
}

fn in_memory_client(transport: &Arc<InMemory>) -> UserClient {
    let mut soap = SoapClient::with_transport(Arc::clone(transport), "mem://user");
    soap.set_http_header("X-Tenant", "12345").unwrap();
    soap.set_timeout(Duration::from_secs(7));
    soap.set_max_response_size(1 << 20);
    UserClient::from_soap_client(soap).with_ticket("7T:ok")
}

#[tokio::test]
async fn a_generated_client_calls_a_generated_server_through_an_in_memory_transport() {
    let transport = InMemory::new();
    let client = in_memory_client(&transport);
    assert!(client.save_credential(42, credential()).await.unwrap());
    assert!(!client.clone().with_ticket("7T:wrong").save_credential(42, credential()).await.unwrap());

    // A fault and a service error come back typed, as over HTTP.
    let fault = client.save_credential(0, credential()).await.unwrap_err();
    assert_eq!(fault.fault().map(|f| f.reason.as_str()), Some("no such user"), "{fault:?}");
    let refused = client.save_credential(-1, credential()).await.unwrap_err();
    assert!(
        matches!(&refused, Error::Service(info) if info.to_string() == "no rights to change this user"),
        "{refused:?}"
    );

    // The transport got the HTTP headers (the SOAP ones and the client's), the time left and the
    // size limit.
    let seen = transport.seen.lock().unwrap();
    assert_eq!(seen.len(), 4);
    let (headers, timeout, limit) = &seen[0];
    assert_eq!(headers.get("content-type").unwrap(), "text/xml; charset=utf-8");
    assert_eq!(
        headers.get("soapaction").unwrap(),
        "\"http://www.superoffice.net/ws/crm/NetServer/Services87/User/SaveCredential\""
    );
    assert_eq!(headers.get("x-tenant").unwrap(), "12345");
    assert!(headers.get("x-tenant").unwrap().is_sensitive());
    assert!(*timeout <= Duration::from_secs(7) && *timeout > Duration::from_secs(6), "{timeout:?}");
    assert_eq!(*limit, 1 << 20);
}

#[tokio::test]
async fn soap_1_2_through_a_transport_carries_the_action_in_the_content_type() {
    let transport = InMemory::new();
    let mut client = in_memory_client(&transport);
    client.soap_client_mut().set_soap_version(SoapVersion::Soap12);
    assert!(client.save_credential(42, credential()).await.unwrap());
    let seen = transport.seen.lock().unwrap();
    let content_type = seen[0].0.get("content-type").unwrap().to_str().unwrap();
    assert_eq!(
        content_type,
        "application/soap+xml; charset=utf-8; action=\"http://www.superoffice.net/ws/crm/NetServer/Services87/User/SaveCredential\""
    );
    assert!(seen[0].0.get("soapaction").is_none());
}

#[test]
fn the_blocking_client_works_over_a_transport_of_ones_own() {
    let transport = InMemory::new();
    let client = blocking::UserClient::from_async(in_memory_client(&transport));
    assert!(client.save_credential(42, credential()).unwrap());
    let fault = client.save_credential(0, credential()).unwrap_err();
    assert_eq!(fault.fault().map(|f| f.reason.as_str()), Some("no such user"));
    // From other threads, through clones, at once.
    let threads: Vec<_> = (1..=4)
        .map(|i| {
            let client = client.clone();
            std::thread::spawn(move || client.save_credential(i, credential()).unwrap())
        })
        .collect();
    assert!(threads.into_iter().all(|t| t.join().unwrap()));
    assert_eq!(transport.seen.lock().unwrap().len(), 6);
}

#[tokio::test]
async fn a_blocking_call_from_inside_an_async_runtime_is_refused_and_sends_nothing() {
    let transport = InMemory::new();
    let client = blocking::UserClient::from_async(in_memory_client(&transport));
    let e = client.save_credential(42, credential()).unwrap_err();
    assert!(matches!(&e, Error::Exchange(_)), "{e:?}");
    assert!(e.to_string().contains("inside an async runtime"), "{e}");
    assert!(transport.seen.lock().unwrap().is_empty());
    // The same client works from a thread of its own.
    let worker = std::thread::spawn(move || client.save_credential(42, credential()));
    assert!(worker.join().unwrap().unwrap());
}

// ---------------------------------------------------------------------------------------------
// canned answers and failures
// ---------------------------------------------------------------------------------------------

const SAVED: &str = include_str!("../fixtures/services87/save_credential_response_true.xml");

/// One scripted answer.
type Outcome = fn() -> Result<TransportResponse, TransportError>;

/// Answers from a script: one outcome per attempt, the last one repeated.
#[derive(Debug)]
struct Scripted {
    outcomes: Mutex<Vec<Outcome>>,
    attempts: Mutex<usize>,
}

impl Scripted {
    fn new(outcomes: Vec<Outcome>) -> Arc<Self> {
        Arc::new(Self { outcomes: Mutex::new(outcomes), attempts: Mutex::new(0) })
    }

    fn attempts(&self) -> usize {
        *self.attempts.lock().unwrap()
    }
}

impl Transport for Scripted {
    fn send(&self, _: TransportRequest) -> TransportFuture<'_> {
        *self.attempts.lock().unwrap() += 1;
        let mut outcomes = self.outcomes.lock().unwrap();
        let next = if outcomes.len() > 1 { outcomes.remove(0) } else { outcomes[0] };
        Box::pin(async move { next() })
    }
}

fn saved() -> Result<TransportResponse, TransportError> {
    Ok(TransportResponse::new(200, SAVED).with_content_type("text/xml; charset=utf-8"))
}

fn refused() -> Result<TransportResponse, TransportError> {
    Err(TransportError::connect(std::io::Error::from(std::io::ErrorKind::ConnectionRefused)))
}

fn lost() -> Result<TransportResponse, TransportError> {
    Err(TransportError::other("the broker dropped the channel"))
}

fn scripted_client(transport: &Arc<Scripted>, policy: Option<RetryPolicy>) -> UserClient {
    let mut soap = SoapClient::with_transport(Arc::clone(transport), "mq://user");
    soap.set_retry_policy(policy);
    UserClient::from_soap_client(soap)
}

fn quick_retries(n: u32) -> RetryPolicy {
    RetryPolicy::new(n).initial_backoff(Duration::from_millis(5)).max_backoff(Duration::from_millis(20))
}

#[tokio::test]
async fn transport_errors_become_typed_errors() {
    let transport = Scripted::new(vec![refused]);
    let e = scripted_client(&transport, None).save_credential(1, credential()).await.unwrap_err();
    match &e {
        RuntimeError::Exchange(inner) => {
            assert!(inner.is_connect());
            assert_eq!(inner.get_ref().to_string(), "connection refused");
        }
        other => panic!("{other:?}"),
    }
    assert!(!e.is_timeout());

    let transport = Scripted::new(vec![|| Err(TransportError::timeout("no answer from the broker"))]);
    let e = scripted_client(&transport, None).save_credential(1, credential()).await.unwrap_err();
    assert!(e.is_timeout() && matches!(e, RuntimeError::Exchange(_)), "{e:?}");

    // A transport that ignores the size limit is held to it all the same.
    let transport = Scripted::new(vec![saved]);
    let mut client = scripted_client(&transport, None);
    client.soap_client_mut().set_max_response_size(100);
    let e = client.save_credential(1, credential()).await.unwrap_err();
    assert!(matches!(e, RuntimeError::TooLarge { limit: 100 }), "{e:?}");

    // An HTML page is not a reply, whatever carried it.
    let transport =
        Scripted::new(vec![|| Ok(TransportResponse::new(503, "<html>down</html>").with_content_type("text/html"))]);
    let e = scripted_client(&transport, None).save_credential(1, credential()).await.unwrap_err();
    assert!(matches!(e, RuntimeError::Http { status: 503, .. }), "{e:?}");
}

#[tokio::test]
async fn requests_that_were_not_sent_are_retried_others_only_when_idempotent() {
    // Nothing sent: retried for any operation, up to the policy's limit.
    let transport = Scripted::new(vec![refused, refused, saved]);
    assert!(scripted_client(&transport, Some(quick_retries(3))).save_credential(1, credential()).await.unwrap());
    assert_eq!(transport.attempts(), 3);

    let transport = Scripted::new(vec![refused]);
    let e = scripted_client(&transport, Some(quick_retries(2))).save_credential(1, credential()).await.unwrap_err();
    assert!(matches!(&e, RuntimeError::Exchange(t) if t.is_connect()), "{e:?}");
    assert_eq!(transport.attempts(), 3, "the first attempt and two retries");

    // Lost after sending: SaveCredential may have been carried out, so it is not sent again ...
    let transport = Scripted::new(vec![lost, saved]);
    let e = scripted_client(&transport, Some(quick_retries(3))).save_credential(1, credential()).await.unwrap_err();
    assert!(matches!(e, RuntimeError::Exchange(_)), "{e:?}");
    assert_eq!(transport.attempts(), 1);

    // ... unless the user declares it idempotent (by its WSDL name).
    use wsdlgen_runtime::Operation;
    let transport = Scripted::new(vec![lost, saved]);
    let policy = quick_retries(3).idempotent([SaveCredential::NAME]);
    assert!(scripted_client(&transport, Some(policy)).save_credential(1, credential()).await.unwrap());
    assert_eq!(transport.attempts(), 2);

    // Without a policy nothing is retried.
    let transport = Scripted::new(vec![refused, saved]);
    assert!(scripted_client(&transport, None).save_credential(1, credential()).await.is_err());
    assert_eq!(transport.attempts(), 1);
}
