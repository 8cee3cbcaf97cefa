//! The retry policy (`SoapClient::set_retry_policy`) against servers on 127.0.0.1: a refused
//! connection (nothing sent) is retried until the server listens; a connection lost after the
//! request went out is retried only for an operation declared idempotent; a gateway's 503 page
//! likewise; faults never; and all attempts stay within the call's timeout.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::time::{Duration, Instant};

use services87::user::{Credential, CredentialType, SaveCredential, UserClient};
use wsdlgen_runtime::{Error, Operation, RetryPolicy};
use wsdlgen_tests::support::http::{Behaviour, Response, TestServer};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/services87").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()))
}

fn saved() -> Response {
    Response::xml(200, fixture("save_credential_response_true.xml"))
}

fn credential() -> Credential {
    Credential {
        r#type: CredentialType { r#type: "password".to_owned().into(), ..Default::default() }.into(),
        value: "s3cret".to_owned().into(),
        ..Default::default()
    }
}

/// An address nobody listens on (bound, noted, closed): connecting is refused.
fn closed_port() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr")
}

fn client(url: String, policy: Option<RetryPolicy>) -> UserClient {
    let mut client = UserClient::new(url).with_ticket("7T:ok");
    client.soap_client_mut().set_retry_policy(policy);
    client
}

fn policy(retries: u32) -> RetryPolicy {
    RetryPolicy::new(retries).initial_backoff(Duration::from_millis(50)).max_backoff(Duration::from_millis(100))
}

/// A server that answers the first request by dropping its connection halfway through the
/// response (RST: the request was read and acted upon), and every later one normally.
fn drops_the_first_connection() -> TestServer {
    let first = std::sync::atomic::AtomicBool::new(true);
    TestServer::start(move |_| {
        if first.swap(false, std::sync::atomic::Ordering::SeqCst) {
            saved().with_behaviour(Behaviour::ResetMidBody)
        } else {
            saved()
        }
    })
}

#[tokio::test]
async fn a_refused_connection_is_retried_until_the_server_listens() {
    let addr = closed_port();
    let url = format!("http://{addr}/User.svc");
    // The server starts listening on that port 400 ms after the first attempt.
    let starting = tokio::task::spawn_blocking(move || {
        std::thread::sleep(Duration::from_millis(400));
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match TcpListener::bind(addr) {
                Ok(listener) => return TestServer::start_on(listener, |_| saved()),
                Err(e) if Instant::now() < deadline => {
                    eprintln!("bind {addr}: {e}; again");
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => panic!("cannot listen on {addr} again: {e}"),
            }
        }
    });
    let started = Instant::now();
    let saved = client(url, Some(policy(20))).save_credential(42, credential()).await;
    let server = starting.await.unwrap();
    assert!(saved.unwrap(), "saved");
    assert!(started.elapsed() >= Duration::from_millis(400), "the first attempt cannot have succeeded");
    assert_eq!(server.request_count(), 1, "one request reached the service");
}

#[tokio::test]
async fn without_a_policy_a_refused_connection_fails_at_once() {
    let url = format!("http://{}/User.svc", closed_port());
    let started = Instant::now();
    let e = client(url, None).save_credential(42, credential()).await.unwrap_err();
    assert!(matches!(&e, Error::Transport(t) if t.is_connect()), "{e:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn a_call_lost_after_it_was_sent_is_not_retried() {
    let server = drops_the_first_connection();
    let e = client(server.url(), Some(policy(3))).save_credential(42, credential()).await.unwrap_err();
    assert!(matches!(&e, Error::Transport(t) if !t.is_connect()), "{e:?}");
    // The call has returned: no attempt can follow. SaveCredential reached the service once.
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_call_lost_after_it_was_sent_is_retried_when_declared_idempotent() {
    let server = drops_the_first_connection();
    let client = client(server.url(), Some(policy(3).idempotent([SaveCredential::NAME])));
    assert!(client.save_credential(42, credential()).await.unwrap());
    assert_eq!(server.request_count(), 2);
    assert_eq!(server.connections(), 2);
}

#[tokio::test]
async fn a_gateways_503_page_is_retried_for_idempotent_calls_only_and_faults_never() {
    let unavailable = || {
        let first = std::sync::atomic::AtomicBool::new(true);
        TestServer::start(move |_| {
            if first.swap(false, std::sync::atomic::Ordering::SeqCst) {
                Response::new(503, "text/html", "<html><body>Service Unavailable</body></html>")
            } else {
                saved()
            }
        })
    };
    let server = unavailable();
    let e = client(server.url(), Some(policy(3))).save_credential(42, credential()).await.unwrap_err();
    assert!(matches!(e, Error::Http { status: 503, .. }), "{e:?}");
    assert_eq!(server.request_count(), 1);

    let server = unavailable();
    let idempotent = client(server.url(), Some(policy(3).all_idempotent()));
    assert!(idempotent.save_credential(42, credential()).await.unwrap());
    assert_eq!(server.request_count(), 2);

    // A fault is the service's answer, whatever the status.
    let server = TestServer::always(Response::xml(500, fixture("soap11_fault.xml")));
    let e = client(server.url(), Some(policy(3).all_idempotent())).save_credential(42, credential()).await.unwrap_err();
    assert!(matches!(e, Error::Fault(_)), "{e:?}");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn retries_stay_within_the_calls_timeout() {
    let url = format!("http://{}/User.svc", closed_port());
    let mut client = client(url, Some(RetryPolicy::new(1000).initial_backoff(Duration::from_millis(100))));
    client.soap_client_mut().set_timeout(Duration::from_millis(800));
    let started = Instant::now();
    let e = client.save_credential(42, credential()).await.unwrap_err();
    let took = started.elapsed();
    assert!(matches!(&e, Error::Transport(t) if t.is_connect()), "{e:?}");
    // The backoff doubles to 2 s: after 100 + 200 + 400 ms the next wait would end past 800 ms.
    assert!(took < Duration::from_millis(1500), "{took:?}");
    assert!(took >= Duration::from_millis(150), "{took:?}");
}
