//! TLS: certificates are verified unless verification is turned off explicitly, with
//! `SoapClient::danger_accept_invalid_certs`.
//!
//! The server (`support::TlsServer`) has a self-signed certificate, which no trusted root
//! vouches for.

mod support;

use std::sync::atomic::Ordering;

use support::{Pong, TlsServer, ping};
use wsdlgen_runtime::{Error, SoapClient};

/// The messages of an error and all its sources.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(" / ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

#[tokio::test]
async fn a_self_signed_certificate_is_refused_by_default() {
    let server = TlsServer::start();
    let client = SoapClient::new(server.url());
    let e = ping(&client).await.unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e:?}");
    let message = chain(&e);
    assert!(message.to_lowercase().contains("certificate"), "{message}");
    assert_eq!(server.requests.load(Ordering::SeqCst), 0, "a request got through an unverified connection");

    // A caller's client built from the runtime's builder verifies too.
    let http = wsdlgen_runtime::http_client_builder().build().unwrap();
    let client = SoapClient::with_http_client(http, server.url());
    assert!(matches!(ping(&client).await, Err(Error::Transport(_))));
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn danger_accept_invalid_certs_turns_verification_off_and_back_on() {
    let server = TlsServer::start();
    let mut client = SoapClient::new(server.url());
    client.danger_accept_invalid_certs(true).unwrap();
    assert_eq!(ping(&client).await.unwrap(), Pong);
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);

    client.danger_accept_invalid_certs(false).unwrap();
    assert!(matches!(ping(&client).await, Err(Error::Transport(_))));
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
}

#[test]
fn soap_client_is_clone_send_sync() {
    fn clone_send_sync<T: Clone + Send + Sync + 'static>() {}
    fn send_sync<T: Send + Sync + 'static>() {}
    clone_send_sync::<SoapClient>();
    send_sync::<Error>();
}
