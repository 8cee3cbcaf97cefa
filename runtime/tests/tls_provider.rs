//! The runtime names its rustls crypto provider explicitly and never installs one for the
//! whole process: an application stays free to install its own, before or after making clients.
//!
//! One test in a binary of its own, since the process-wide default is process state.

mod support;

use rustls::crypto::CryptoProvider;
use support::{Pong, TlsServer, ping};
use wsdlgen_runtime::{Error, SoapClient};

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
    assert!(matches!(ping(&SoapClient::new(server.url())).await, Err(Error::Transport(_))));
}
