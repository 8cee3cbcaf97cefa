//! What the TLS tests share: a local TLS server with a self-signed certificate and a
//! one-operation "service" to call on it.
//!
//! The server is a small blocking rustls server on 127.0.0.1 with a self-signed certificate
//! (`tests/fixtures/hostile/`), which no trusted root vouches for.

// Each test binary uses part of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use wsdlgen_runtime::codegen::soap::HeaderSink;
use wsdlgen_runtime::codegen::{RequestHeaders, ResponseHeaders, Start, XmlReader, XmlWriter};
use wsdlgen_runtime::{Decode, DecodeError, Encode, Error, NoServiceError, Operation, SoapClient, SoapVersion};

const CERT: &[u8] = include_bytes!("../../../tests/fixtures/hostile/self-signed-localhost.cert.der");
const KEY: &[u8] = include_bytes!("../../../tests/fixtures/hostile/self-signed-localhost.key.der");

const NS: &str = "urn:test";

pub struct Ping;

impl Encode for Ping {
    fn encode(&self, w: &mut XmlWriter, tag: &str) {
        w.start(tag);
        w.end(tag);
    }
}

#[derive(Debug, PartialEq)]
pub struct Pong;

impl Decode for Pong {
    fn decode<'a>(r: &mut XmlReader<'a>, start: &Start<'a>) -> Result<Self, DecodeError> {
        r.skip(start)?;
        Ok(Pong)
    }
}

#[derive(Default)]
pub struct NoHeaders;

impl RequestHeaders for NoHeaders {
    fn encode(&self, _: &mut XmlWriter, _: &[usize]) {}
}

impl HeaderSink for NoHeaders {
    fn decode_entry<'a>(&mut self, _: &mut XmlReader<'a>, _: &Start<'a>) -> Result<bool, DecodeError> {
        Ok(false)
    }
}

impl ResponseHeaders for NoHeaders {
    type ServiceError = NoServiceError;
    fn service_error(&mut self) -> Option<NoServiceError> {
        None
    }
}

impl Operation for Ping {
    const NAME: &'static str = "Ping";
    const SOAP_ACTION: &'static str = "urn:test/Ping";
    const REQUEST_TAG: &'static str = "t:Ping";
    const RESPONSE_ELEMENT: (&'static str, &'static str) = (NS, "Pong");
    const NAMESPACES: &'static [(&'static str, &'static str)] = &[("t", NS)];
    const REQUEST_HEADERS: &'static [usize] = &[];
    type Response = Pong;
    type RequestHeaders = NoHeaders;
    type ResponseHeaders = NoHeaders;
}

const PONG: &str = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><Pong xmlns="urn:test"/></s:Body></s:Envelope>"#;

/// A TLS server answering every request with `PONG`; counts the requests that got through
/// the handshake.
pub struct TlsServer {
    port: u16,
    /// Requests that got through the handshake.
    pub requests: Arc<AtomicUsize>,
}

impl TlsServer {
    pub fn start() -> TlsServer {
        // The server names its provider too; nothing is installed for the process.
        #[allow(deprecated)] // ring: no post-quantum key exchange, which this test needs not
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(CERT.to_vec())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(KEY.to_vec())),
            )
            .expect("server certificate");
        let config = Arc::new(config);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let config = Arc::clone(&config);
                let counter = Arc::clone(&counter);
                std::thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                    let conn = rustls::ServerConnection::new(config).unwrap();
                    let mut tls = rustls::StreamOwned::new(conn, stream);
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    // Read the head and a Content-Length body, then answer and close.
                    loop {
                        let n = match tls.read(&mut chunk) {
                            Ok(0) | Err(_) => return, // e.g. the client refused the certificate
                            Ok(n) => n,
                        };
                        buf.extend_from_slice(&chunk[..n]);
                        let text = String::from_utf8_lossy(&buf);
                        if let Some(end) = text.find("\r\n\r\n") {
                            let length = text[..end]
                                .lines()
                                .find_map(|l| {
                                    let (name, value) = l.split_once(':')?;
                                    name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse().ok())?
                                })
                                .unwrap_or(0usize);
                            if buf.len() >= end + 4 + length {
                                break;
                            }
                        }
                    }
                    counter.fetch_add(1, Ordering::SeqCst);
                    let response = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{PONG}",
                        PONG.len()
                    );
                    let _ = tls.write_all(response.as_bytes());
                    let _ = tls.flush();
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                });
            }
        });
        TlsServer { port, requests }
    }

    pub fn url(&self) -> String {
        format!("https://localhost:{}/soap", self.port)
    }
}

/// Calls `Ping` through `client` (within 20 s).
pub async fn ping(client: &SoapClient) -> Result<Pong, Error> {
    let call = client.call(SoapVersion::Soap11, &Ping, &NoHeaders);
    let reply = tokio::time::timeout(Duration::from_secs(20), call).await.expect("the call did not finish in time")?;
    Ok(reply.body)
}
