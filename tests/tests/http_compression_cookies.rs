//! Client transport features (runtime features `gzip`, `deflate`, `brotli`, `cookies`), against a local
//! HTTP server: compressed responses are asked for and decoded, the response size limit applies
//! to the decompressed body (a decompression bomb is `Error::TooLarge`, not 64 MiB of memory),
//! and a client made `with_cookies` sends back the cookies the server set, from its clones too,
//! and after its HTTP client was rebuilt by a setter.

use std::io::Write;

use services87::user::UserClient;
use wsdlgen_runtime::{Error, SoapClient};
use wsdlgen_tests::support::http::{Response, TestServer};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/services87").join(name)).unwrap()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = brotli::CompressorWriter::new(&mut out, 4096, 9, 22);
    e.write_all(bytes).unwrap();
    drop(e);
    out
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compressed_responses_are_asked_for_and_decoded() {
    let plain = fixture("save_credential_response_true.xml");
    for (encoding, body) in [("gzip", gzip(&plain)), ("deflate", deflate(&plain)), ("br", brotli(&plain))] {
        assert!(body.len() < plain.len());
        let server = TestServer::always(Response::xml(200, body).with_header("Content-Encoding", encoding));
        let client = UserClient::new(server.url());
        assert!(client.save_credential(1, Default::default()).await.unwrap(), "{encoding}");
        let accepted = server.requests()[0].header("accept-encoding").unwrap_or_default().to_owned();
        assert!(["gzip", "deflate", "br"].iter().all(|e| accepted.contains(e)), "{accepted}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_size_limit_applies_to_the_decompressed_body() {
    // 64 MiB of spaces after the envelope (well-formed XML, and compressing to about 64 KiB).
    let mut bomb = fixture("save_credential_response_true.xml");
    bomb.extend(std::iter::repeat_n(b' ', 64 * 1024 * 1024));
    for (encoding, compressed) in [("gzip", gzip(&bomb)), ("br", brotli(&bomb))] {
        assert!(compressed.len() < 1024 * 1024, "{}", compressed.len());
        let server = TestServer::always(Response::xml(200, compressed).with_header("Content-Encoding", encoding));
        let mut soap = SoapClient::new(server.url());
        soap.set_max_response_size(1024 * 1024);
        let client = UserClient::from_soap_client(soap);
        match client.save_credential(1, Default::default()).await {
            Err(Error::TooLarge { limit }) => assert_eq!(limit, 1024 * 1024),
            other => panic!("{encoding}: expected TooLarge, got {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_with_cookies_sends_back_what_the_server_set_from_its_clones_too() {
    let body = fixture("save_credential_response_true.xml");
    let server = TestServer::always(
        Response::xml(200, body).with_header("Set-Cookie", "ASP.NET_SessionId=s3ss10n; path=/; HttpOnly"),
    );
    let client = UserClient::from_soap_client(SoapClient::with_cookies(server.url()).unwrap());
    let clone = client.clone();
    assert!(client.save_credential(1, Default::default()).await.unwrap());
    assert!(clone.save_credential(2, Default::default()).await.unwrap());
    let requests = server.requests();
    assert_eq!(requests[0].header("cookie"), None);
    assert_eq!(requests[1].header("cookie"), Some("ASP.NET_SessionId=s3ss10n"));

    // Without the store, nothing is sent back.
    let plain = UserClient::new(server.url());
    assert!(plain.save_credential(3, Default::default()).await.unwrap());
    assert_eq!(server.requests()[2].header("cookie"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_http_setters_keep_the_cookie_store_and_its_cookies() {
    let body = fixture("save_credential_response_true.xml");
    let server = TestServer::always(
        Response::xml(200, body).with_header("Set-Cookie", "ASP.NET_SessionId=s3ss10n; path=/; HttpOnly"),
    );
    let mut soap = SoapClient::with_cookies(server.url()).unwrap();
    assert!(UserClient::from_soap_client(soap.clone()).save_credential(1, Default::default()).await.unwrap());
    // Each setter rebuilds the HTTP client.
    soap.set_proxy(None).unwrap();
    soap.set_tls(wsdlgen_runtime::TlsConfig::new()).unwrap();
    assert!(UserClient::from_soap_client(soap).save_credential(2, Default::default()).await.unwrap());
    assert_eq!(server.requests()[1].header("cookie"), Some("ASP.NET_SessionId=s3ss10n"));
}
