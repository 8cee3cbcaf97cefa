//! An explicit proxy (`SoapClient::set_proxy`): plain HTTP requests are forwarded through it,
//! HTTPS goes through a `CONNECT` tunnel, and its credentials go with both as
//! `Proxy-Authorization`. The proxy (`support::ForwardProxy`) and the servers run on 127.0.0.1.
//!
//! The environment's proxy settings are tested in `proxy_env.rs`, a binary of their own.

#![cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs", feature = "native-tls"))]

mod support;

use std::sync::atomic::Ordering;

use support::{ForwardProxy, HttpServer, Pong, TestCa, TlsServer, ping};
use wsdlgen_runtime::reqwest::Proxy;
use wsdlgen_runtime::{Error, SoapClient, TlsConfig};

/// `Basic` credentials as a proxy sees them.
fn basic(user: &str, password: &str) -> String {
    use base64::Engine as _;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}

fn tls_server(ca: &TestCa) -> TlsServer {
    let cert = ca.server();
    TlsServer::start_with(vec![cert.cert_der], cert.key_der, None)
}

fn trusting(ca: &TestCa) -> TlsConfig {
    let mut tls = TlsConfig::new();
    tls.add_root_certificates_pem(ca.pem().as_bytes()).unwrap();
    tls
}

#[tokio::test]
async fn an_explicit_proxy_carries_http_and_https_with_its_credentials() {
    let proxy = ForwardProxy::start(Some(("jane", "s3cret")));
    let through = || Proxy::all(proxy.url()).unwrap().basic_auth("jane", "s3cret");

    // Plain HTTP: the request, in absolute form, to the proxy, which forwards it.
    let origin = HttpServer::start();
    let mut client = SoapClient::new(origin.url());
    client.set_proxy(Some(through())).unwrap();
    assert_eq!(ping(&client).await.unwrap(), Pong);
    assert_eq!(origin.requests.load(Ordering::SeqCst), 1);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].request_line, format!("POST {} HTTP/1.1", origin.url()));
    assert_eq!(seen[0].authorization.as_deref(), Some(basic("jane", "s3cret").as_str()));
    // The credentials do not show in `Debug`.
    assert!(!format!("{client:?}").contains("s3cret"), "{client:?}");

    // HTTPS: a CONNECT tunnel, through which the TLS handshake reaches the server.
    let ca = TestCa::new("Root");
    let server = tls_server(&ca);
    let mut client = SoapClient::new(server.url());
    client.set_tls(trusting(&ca)).unwrap();
    client.set_proxy(Some(through())).unwrap();
    assert_eq!(ping(&client).await.unwrap(), Pong);
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let authority = server.url().trim_start_matches("https://").trim_end_matches("/soap").to_owned();
    assert_eq!(seen[1].request_line, format!("CONNECT {authority} HTTP/1.1"));
    assert_eq!(seen[1].authorization.as_deref(), Some(basic("jane", "s3cret").as_str()));
}

#[tokio::test]
async fn a_proxy_refuses_a_client_without_its_credentials() {
    let proxy = ForwardProxy::start(Some(("jane", "s3cret")));

    let origin = HttpServer::start();
    let mut client = SoapClient::new(origin.url());
    client.set_proxy(Some(Proxy::all(proxy.url()).unwrap())).unwrap();
    match ping(&client).await {
        Err(Error::Http { status, .. }) => assert_eq!(status, 407),
        other => panic!("expected the proxy's 407, got {other:?}"),
    }
    client.set_proxy(Some(Proxy::all(proxy.url()).unwrap().basic_auth("jane", "wrong"))).unwrap();
    assert!(matches!(ping(&client).await, Err(Error::Http { status: 407, .. })));
    assert_eq!(origin.requests.load(Ordering::SeqCst), 0);

    let ca = TestCa::new("Root");
    let server = tls_server(&ca);
    let mut client = SoapClient::new(server.url());
    client.set_tls(trusting(&ca)).unwrap();
    client.set_proxy(Some(Proxy::all(proxy.url()).unwrap())).unwrap();
    assert!(matches!(ping(&client).await, Err(Error::Transport(_))));
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);
    assert_eq!(proxy.seen().len(), 3);
}

#[tokio::test]
async fn a_proxy_exception_goes_straight_to_the_server() {
    let proxy = ForwardProxy::start(None);
    let origin = HttpServer::start();
    let mut client = SoapClient::new(origin.url());
    let except = wsdlgen_runtime::reqwest::NoProxy::from_string("127.0.0.1");
    client.set_proxy(Some(Proxy::all(proxy.url()).unwrap().no_proxy(except))).unwrap();
    assert_eq!(ping(&client).await.unwrap(), Pong);
    assert_eq!(origin.requests.load(Ordering::SeqCst), 1);
    assert!(proxy.seen().is_empty(), "{:?}", proxy.seen());
}
