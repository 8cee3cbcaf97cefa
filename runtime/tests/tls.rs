//! TLS: certificates are verified unless verification is turned off explicitly, with
//! `SoapClient::danger_accept_invalid_certs`; a private root configured in a `TlsConfig` is
//! trusted, a client certificate configured there is presented; the backend the features
//! choose is the one that connects; bad PEM input is an error.
//!
//! The servers (`support::TlsServer`) are rustls servers on 127.0.0.1, with a self-signed
//! certificate, which no trusted root vouches for, or one issued by a CA made for the test.

#![cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs", feature = "native-tls"))]

mod support;

use std::sync::atomic::Ordering;

use support::{Pong, TestCa, TlsServer, ping};
use wsdlgen_runtime::{Error, SoapClient, TlsConfig, TlsError};

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

/// A server whose certificate `ca` issued, requiring a client certificate from `client_ca`
/// if given.
fn server_issued_by(ca: &TestCa, client_ca: Option<&TestCa>) -> TlsServer {
    let cert = ca.server();
    TlsServer::start_with(vec![cert.cert_der], cert.key_der, client_ca.map(TestCa::der))
}

fn trusting(ca: &TestCa) -> TlsConfig {
    let mut tls = TlsConfig::new();
    tls.add_root_certificates_pem(ca.pem().as_bytes()).unwrap();
    tls
}

#[tokio::test]
async fn a_private_root_is_trusted_once_configured_and_not_before() {
    let ca = TestCa::new("Private Root");
    let server = server_issued_by(&ca, None);

    let mut client = SoapClient::new(server.url());
    let e = ping(&client).await.unwrap_err();
    assert!(chain(&e).to_lowercase().contains("certificate"), "{}", chain(&e));
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);

    client.set_tls(trusting(&ca)).unwrap();
    assert_eq!(ping(&client).await.unwrap(), Pong);
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);

    // The other HTTP setters rebuild the client with the roots kept.
    client.set_proxy(None).unwrap();
    client.danger_accept_invalid_certs(false).unwrap();
    assert_eq!(ping(&client).await.unwrap(), Pong);
    assert_eq!(server.requests.load(Ordering::SeqCst), 2);

    // A root that did not issue the certificate does not help; set_tls replaces the roots.
    client.set_tls(trusting(&TestCa::new("Another Root"))).unwrap();
    assert!(matches!(ping(&client).await, Err(Error::Transport(_))));
    client.set_tls(TlsConfig::new()).unwrap();
    assert!(matches!(ping(&client).await, Err(Error::Transport(_))));
    assert_eq!(server.requests.load(Ordering::SeqCst), 2);

    // A reqwest client of the caller's own, from the runtime's builder.
    let http = wsdlgen_runtime::http_client_builder_with_tls(&trusting(&ca)).build().unwrap();
    assert_eq!(ping(&SoapClient::with_http_client(http, server.url())).await.unwrap(), Pong);
    assert_eq!(server.requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_server_requiring_a_client_certificate_takes_the_configured_one_and_refuses_others() {
    let server_ca = TestCa::new("Server Root");
    let client_ca = TestCa::new("Client Root");
    let server = server_issued_by(&server_ca, Some(&client_ca));

    // Trusting the server is not enough.
    let mut client = SoapClient::new(server.url());
    client.set_tls(trusting(&server_ca)).unwrap();
    assert!(matches!(ping(&client).await, Err(Error::Transport(_))));
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);

    // A certificate the server's CA did not issue is refused.
    let stranger = TestCa::new("Stranger Root").client("mallory");
    let mut tls = trusting(&server_ca);
    tls.set_client_certificate_pem(stranger.cert_pem.as_bytes(), stranger.key_pem.as_bytes()).unwrap();
    client.set_tls(tls).unwrap();
    assert!(matches!(ping(&client).await, Err(Error::Transport(_))));
    assert_eq!(server.requests.load(Ordering::SeqCst), 0);

    // The configured one is taken: certificate and key in one PEM input, too.
    let jane = client_ca.client("jane");
    let mut tls = trusting(&server_ca);
    let both = format!("{}{}", jane.cert_pem, jane.key_pem);
    tls.set_client_certificate_pem(both.as_bytes(), both.as_bytes()).unwrap();
    assert!(!format!("{tls:?}").contains(&jane.key_pem[40..80]), "Debug shows the key: {tls:?}");
    client.set_tls(tls).unwrap();
    assert_eq!(ping(&client).await.unwrap(), Pong);
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
    assert_eq!(server.client_certs.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_backend_the_features_choose_is_the_one_that_connects() {
    let ca = TestCa::new("Root");
    let server = server_issued_by(&ca, None);
    let mut client = SoapClient::new(server.url());
    client.set_tls(trusting(&ca)).unwrap();
    assert_eq!(ping(&client).await.unwrap(), Pong);
    let hello = server.hellos.lock().unwrap().last().cloned().expect("a ClientHello");

    // Suites rustls never offers (CBC, ...): the platform's TLS library made the handshake.
    #[allow(deprecated)] // ring: only its list of suites is used
    let rustls_suites = rustls::crypto::ring::default_provider().cipher_suites;
    let foreign = hello
        .cipher_suites
        .iter()
        .filter(|s| **s != rustls::CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV)
        .filter(|s| !rustls_suites.iter().any(|r| r.suite() == **s))
        .count();
    let post_quantum = hello.named_groups.first() == Some(&rustls::NamedGroup::X25519MLKEM768);
    if cfg!(feature = "native-tls") {
        assert!(foreign > 0, "native-tls is on, yet only rustls's suites were offered: {hello:?}");
    } else if cfg!(feature = "rustls-aws-lc-rs") {
        assert_eq!(foreign, 0, "{hello:?}");
        assert!(post_quantum, "aws-lc-rs prefers X25519MLKEM768: {hello:?}");
    } else {
        assert_eq!(foreign, 0, "{hello:?}");
        assert!(!hello.named_groups.contains(&rustls::NamedGroup::X25519MLKEM768), "ring offers no ML-KEM: {hello:?}");
    }
}

#[test]
fn bad_pem_input_is_an_error_naming_the_input() {
    let ca = TestCa::new("Root");
    let jane = ca.client("jane");
    let other = ca.client("john");
    let junk_cert = "-----BEGIN CERTIFICATE-----\naGVsbG8gd29ybGQ=\n-----END CERTIFICATE-----\n";
    let bad_base64 = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
    let unterminated = "-----BEGIN CERTIFICATE-----\nMIIB\n";

    let mut tls = TlsConfig::new();
    for (input, expected) in [
        ("", "no certificate"),
        ("not PEM at all", "no certificate"),
        (jane.key_pem.as_str(), "no certificate"),
        (junk_cert, "root certificate"),
        (bad_base64, "not valid PEM"),
        (unterminated, "not valid PEM"),
    ] {
        let e = tls.add_root_certificates_pem(input.as_bytes()).unwrap_err();
        assert!(e.to_string().contains(expected), "{input:?}: {e}");
        assert!(e.to_string().starts_with("root certificate"), "{e}");
    }

    let client =
        |cert: &str, key: &str| TlsConfig::new().set_client_certificate_pem(cert.as_bytes(), key.as_bytes()).map(drop);
    assert!(matches!(client(&jane.cert_pem, ""), Err(TlsError::NoPrivateKey)));
    assert!(matches!(client(&jane.cert_pem, &jane.cert_pem), Err(TlsError::NoPrivateKey)));
    assert!(matches!(client("", &jane.key_pem), Err(TlsError::NoCertificate { what: "client certificate" })));
    assert!(matches!(client(unterminated, &jane.key_pem), Err(TlsError::Pem { what: "client certificate", .. })));
    let bad_key = "-----BEGIN PRIVATE KEY-----\naGVsbG8gd29ybGQ=\n-----END PRIVATE KEY-----\n";
    assert!(
        matches!(client(&jane.cert_pem, bad_key), Err(TlsError::Rejected { .. })),
        "{:?}",
        client(&jane.cert_pem, bad_key)
    );
    // A key that belongs to another certificate: rustls tells at once.
    if !cfg!(feature = "native-tls") {
        let e = client(&jane.cert_pem, &other.key_pem).unwrap_err();
        assert!(matches!(e, TlsError::Rejected { what: "client key", .. }), "{e}");
    }
    // The configuration is unchanged by the refusals, and usable.
    assert!(format!("{tls:?}").contains("extra_roots: 0"), "{tls:?}");
}
