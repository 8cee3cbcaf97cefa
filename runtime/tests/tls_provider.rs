//! The runtime names its rustls crypto provider explicitly and never installs one for the
//! whole process: an application stays free to install its own, before or after making clients.
//!
//! One test in a binary of its own, since the process-wide default is process state.

#![cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs", feature = "native-tls"))]

mod support;

use rustls::crypto::CryptoProvider;
use support::{Pong, TestCa, TlsServer, ping};
use wsdlgen_runtime::{Error, SoapClient, TlsConfig};

#[tokio::test]
async fn no_process_wide_crypto_provider_is_installed() {
    assert!(CryptoProvider::get_default().is_none(), "installed before the test started");
    let server = TlsServer::start();

    // Every way the runtime builds an HTTP client, and TLS handshakes through them.
    let verifying = SoapClient::new(server.url());
    assert!(matches!(ping(&verifying).await, Err(Error::Transport(_))), "the self-signed certificate was accepted");
    let http = wsdlgen_runtime::default_http_client().unwrap();
    let _ = ping(&SoapClient::with_http_client(http, server.url())).await;
    let http = wsdlgen_runtime::http_client_builder().build().unwrap();
    let _ = ping(&SoapClient::with_http_client(http, server.url())).await;
    let mut accepting = SoapClient::new(server.url());
    accepting.danger_accept_invalid_certs(true).unwrap();
    assert_eq!(ping(&accepting).await.unwrap(), Pong);
    // With extra roots and a client certificate (loaded through the crypto provider), on the
    // runtime's client and on one of the caller's.
    let ca = TestCa::new("Root");
    let issued = ca.server();
    let mutual = TlsServer::start_with(vec![issued.cert_der], issued.key_der, Some(ca.der()));
    let jane = ca.client("jane");
    let mut tls = TlsConfig::new();
    tls.add_root_certificates_pem(ca.pem().as_bytes()).unwrap();
    tls.set_client_certificate_pem(jane.cert_pem.as_bytes(), jane.key_pem.as_bytes()).unwrap();
    let mut configured = SoapClient::new(mutual.url());
    configured.set_tls(tls.clone()).unwrap();
    assert_eq!(ping(&configured).await.unwrap(), Pong);
    let http = wsdlgen_runtime::http_client_builder_with_tls(&tls).build().unwrap();
    assert_eq!(ping(&SoapClient::with_http_client(http, mutual.url())).await.unwrap(), Pong);

    assert!(
        CryptoProvider::get_default().is_none(),
        "building clients or connecting installed a process-wide crypto provider"
    );

    // So the application can install the provider it wants; the runtime's clients, old and
    // new, go on using their own.
    #[allow(deprecated)] // ring: no post-quantum key exchange, which this test needs not
    let app_provider = rustls::crypto::ring::default_provider();
    app_provider.install_default().expect("the application installs its provider");
    assert_eq!(ping(&accepting).await.unwrap(), Pong);
    let mut fresh = SoapClient::new(server.url());
    fresh.danger_accept_invalid_certs(true).unwrap();
    assert_eq!(ping(&fresh).await.unwrap(), Pong);
    assert_eq!(ping(&configured).await.unwrap(), Pong);
    assert!(matches!(ping(&SoapClient::new(server.url())).await, Err(Error::Transport(_))));
}
