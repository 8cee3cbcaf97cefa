//! Without a TLS backend (`default-features = false`, no `rustls-*` or `native-tls` feature),
//! the runtime speaks plain HTTP only: an `https://` address is a transport error, not a panic.
//! (Built by `.ci/run` with `--no-default-features --features http`; with a backend, or without
//! `http`, this file is empty.)

#![cfg(all(feature = "http", not(any(feature = "rustls-ring", feature = "rustls-aws-lc-rs", feature = "native-tls"))))]

mod support;

use support::{HttpServer, Pong, ping};
use wsdlgen_runtime::{Error, SoapClient};

#[tokio::test]
async fn plain_http_works_and_https_is_a_transport_error() {
    let server = HttpServer::start();
    let mut client = SoapClient::new(server.url());
    client.set_proxy(None).unwrap();
    assert_eq!(ping(&client).await.unwrap(), Pong);

    let client = SoapClient::new("https://127.0.0.1:9/soap");
    let e = ping(&client).await.unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e:?}");
}
