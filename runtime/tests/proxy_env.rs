//! The environment's proxy settings, as reqwest reads them when a client is made:
//! `HTTP_PROXY` and `HTTPS_PROXY` (credentials in the URL go as `Proxy-Authorization`),
//! `NO_PROXY` for the hosts that bypass the proxy, and `SoapClient::set_proxy(None)` to ignore
//! them all.
//!
//! Environment variables belong to the whole process: this binary has one test, which sets
//! them between calls, when no other thread reads the environment.

#![cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs", feature = "native-tls"))]

mod support;

use std::sync::atomic::Ordering;

use support::{ForwardProxy, HttpServer, Pong, TestCa, TlsServer, ping};
use wsdlgen_runtime::{SoapClient, TlsConfig};

const VARIABLES: [&str; 8] =
    ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"];

fn set(name: &str, value: Option<&str>) {
    // SAFETY: the only test of this binary sets variables between calls: no other thread reads
    // the environment then (the servers' threads wait in accept or read, reqwest's resolver
    // threads are idle).
    unsafe {
        match value {
            Some(value) => std::env::set_var(name, value),
            None => std::env::remove_var(name),
        }
    }
}

#[tokio::test]
async fn the_environment_names_the_proxy_and_its_exceptions() {
    for name in VARIABLES {
        set(name, None);
    }
    let proxy = ForwardProxy::start(Some(("jane", "s3cret")));
    let proxy_url = proxy.url().replace("http://", "http://jane:s3cret@");
    set("HTTP_PROXY", Some(&proxy_url));
    set("HTTPS_PROXY", Some(&proxy_url));
    let expected = {
        use base64::Engine as _;
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("jane:s3cret"))
    };

    // HTTP_PROXY: plain HTTP, forwarded.
    let origin = HttpServer::start();
    let client = SoapClient::new(origin.url());
    assert_eq!(ping(&client).await.unwrap(), Pong);
    assert_eq!(origin.requests.load(Ordering::SeqCst), 1);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].request_line, format!("POST {} HTTP/1.1", origin.url()));
    assert_eq!(seen[0].authorization.as_deref(), Some(expected.as_str()));

    // HTTPS_PROXY: a CONNECT tunnel.
    let ca = TestCa::new("Root");
    let cert = ca.server();
    let server = TlsServer::start_with(vec![cert.cert_der], cert.key_der, None);
    let mut tls = TlsConfig::new();
    tls.add_root_certificates_pem(ca.pem().as_bytes()).unwrap();
    let mut client = SoapClient::new(server.url());
    client.set_tls(tls.clone()).unwrap();
    assert_eq!(ping(&client).await.unwrap(), Pong);
    let seen = proxy.seen();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen[1].request_line.starts_with("CONNECT localhost:"), "{seen:?}");
    assert_eq!(seen[1].authorization.as_deref(), Some(expected.as_str()));

    // set_proxy(None): straight to the server, whatever the environment says.
    let mut client = SoapClient::new(origin.url());
    client.set_proxy(None).unwrap();
    assert_eq!(ping(&client).await.unwrap(), Pong);
    assert_eq!(origin.requests.load(Ordering::SeqCst), 2);
    assert_eq!(proxy.seen().len(), 2);

    // NO_PROXY: the hosts named bypass the proxy, for clients made from then on.
    set("NO_PROXY", Some("127.0.0.1,localhost"));
    let client = SoapClient::new(origin.url());
    assert_eq!(ping(&client).await.unwrap(), Pong);
    let mut tls_client = SoapClient::new(server.url());
    tls_client.set_tls(tls).unwrap();
    assert_eq!(ping(&tls_client).await.unwrap(), Pong);
    assert_eq!(origin.requests.load(Ordering::SeqCst), 3);
    assert_eq!(server.requests.load(Ordering::SeqCst), 2);
    assert_eq!(proxy.seen().len(), 2, "NO_PROXY was not honoured: {:?}", proxy.seen());

    for name in VARIABLES {
        set(name, None);
    }
}
