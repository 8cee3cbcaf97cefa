//! What the TLS and proxy tests share: a one-operation "service" to call, small blocking
//! servers on 127.0.0.1 answering it (TLS with rustls, or plain HTTP), a forward proxy, and
//! certificate authorities made for a test (rcgen).
//!
//! The TLS server's default certificate is self-signed (`tests/fixtures/hostile/`), which no
//! trusted root vouches for.

// Each test binary uses part of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
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

/// What a client offered in its TLS ClientHello.
#[derive(Debug, Clone)]
pub struct Hello {
    pub cipher_suites: Vec<rustls::CipherSuite>,
    pub named_groups: Vec<rustls::NamedGroup>,
}

/// A TLS server answering every request with `PONG`; counts the requests that got through
/// the handshake.
pub struct TlsServer {
    port: u16,
    /// Requests that got through the handshake.
    pub requests: Arc<AtomicUsize>,
    /// Requests whose connection presented a client certificate.
    pub client_certs: Arc<AtomicUsize>,
    /// The ClientHello of each connection, in order.
    pub hellos: Arc<Mutex<Vec<Hello>>>,
}

/// The crypto provider of the test servers: *ring*, named explicitly (nothing is installed for
/// the process).
pub fn server_provider() -> Arc<rustls::crypto::CryptoProvider> {
    #[allow(deprecated)] // ring: no post-quantum key exchange, which these servers need not
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Presents the server's certificate, noting what the client offered.
#[derive(Debug)]
struct RecordHello {
    key: Arc<rustls::sign::CertifiedKey>,
    hellos: Arc<Mutex<Vec<Hello>>>,
}

impl rustls::server::ResolvesServerCert for RecordHello {
    fn resolve(&self, hello: rustls::server::ClientHello<'_>) -> Option<Arc<rustls::sign::CertifiedKey>> {
        self.hellos.lock().unwrap().push(Hello {
            cipher_suites: hello.cipher_suites().to_vec(),
            named_groups: hello.named_groups().map(<[_]>::to_vec).unwrap_or_default(),
        });
        Some(Arc::clone(&self.key))
    }
}

impl TlsServer {
    /// A server with the self-signed certificate of `tests/fixtures/hostile/`.
    pub fn start() -> TlsServer {
        TlsServer::start_with(
            vec![CertificateDer::from(CERT.to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(KEY.to_vec())),
            None,
        )
    }

    /// A server with this certificate chain and key that, given `client_ca`, requires a client
    /// certificate issued by it.
    pub fn start_with(
        chain: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
        client_ca: Option<CertificateDer<'static>>,
    ) -> TlsServer {
        let provider = server_provider();
        let hellos = Arc::new(Mutex::new(Vec::new()));
        let key = rustls::sign::CertifiedKey::from_der(chain, key, &provider).expect("server certificate");
        let resolver = RecordHello { key: Arc::new(key), hellos: Arc::clone(&hellos) };
        let builder = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .unwrap();
        let builder = match client_ca {
            None => builder.with_no_client_auth(),
            Some(ca) => {
                let mut roots = rustls::RootCertStore::empty();
                roots.add(ca).unwrap();
                let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                    .build()
                    .unwrap();
                builder.with_client_cert_verifier(verifier)
            }
        };
        let config = Arc::new(builder.with_cert_resolver(Arc::new(resolver)));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let client_certs = Arc::new(AtomicUsize::new(0));
        let (counter, with_cert) = (Arc::clone(&requests), Arc::clone(&client_certs));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let config = Arc::clone(&config);
                let counter = Arc::clone(&counter);
                let with_cert = Arc::clone(&with_cert);
                std::thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                    let conn = rustls::ServerConnection::new(config).unwrap();
                    let mut tls = rustls::StreamOwned::new(conn, stream);
                    // Fails when the handshake does (e.g. the client refused the certificate).
                    if read_request(&mut tls).is_none() {
                        return;
                    }
                    counter.fetch_add(1, Ordering::SeqCst);
                    if tls.conn.peer_certificates().is_some_and(|c| !c.is_empty()) {
                        with_cert.fetch_add(1, Ordering::SeqCst);
                    }
                    write_pong(&mut tls);
                    tls.conn.send_close_notify();
                    let _ = tls.flush();
                });
            }
        });
        TlsServer { port, requests, client_certs, hellos }
    }

    pub fn url(&self) -> String {
        format!("https://localhost:{}/soap", self.port)
    }
}

/// A plain HTTP server answering every request with `PONG`.
pub struct HttpServer {
    port: u16,
    /// Requests answered.
    pub requests: Arc<AtomicUsize>,
}

impl HttpServer {
    pub fn start() -> HttpServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let counter = Arc::clone(&counter);
                std::thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                    if read_request(&mut stream).is_some() {
                        counter.fetch_add(1, Ordering::SeqCst);
                        write_pong(&mut stream);
                    }
                });
            }
        });
        HttpServer { port, requests }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/soap", self.port)
    }
}

/// Reads one request: its head, then a `Content-Length` body. `None` if the connection ends
/// (or fails) first. Returns the head and what was read after it.
fn read_request(stream: &mut impl Read) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let length = header(&head, "content-length").and_then(|v| v.parse().ok()).unwrap_or(0usize);
            if buf.len() >= end + 4 + length {
                return Some((head, buf[end + 4..].to_vec()));
            }
        }
    }
}

/// The value of the header `name` in a request or response head.
pub fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().skip(1).find_map(|l| {
        let (n, value) = l.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

fn write_pong(stream: &mut impl Write) {
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{PONG}",
        PONG.len()
    );
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.flush();
}

/// What a [`ForwardProxy`] saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The request line: `CONNECT host:port HTTP/1.1`, or `POST http://host:port/path HTTP/1.1`.
    pub request_line: String,
    /// Its `Proxy-Authorization` header.
    pub authorization: Option<String>,
}

/// A forward proxy on 127.0.0.1: plain HTTP requests in absolute form, forwarded to their
/// server, and `CONNECT` tunnels for HTTPS. With credentials, it answers `407` to a request
/// without them (Basic, in `Proxy-Authorization`).
pub struct ForwardProxy {
    port: u16,
    /// Every request it was sent, in order.
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl ForwardProxy {
    pub fn start(credentials: Option<(&str, &str)>) -> ForwardProxy {
        use base64::Engine as _;
        let expected = credentials
            .map(|(u, p)| format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"))));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (log, expected) = (Arc::clone(&log), expected.clone());
                std::thread::spawn(move || proxy_connection(stream, &log, expected.as_deref()));
            }
        });
        ForwardProxy { port, seen }
    }

    /// `http://127.0.0.1:port`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// One client connection to the proxy: one request, forwarded or tunnelled, then closed.
fn proxy_connection(mut client: TcpStream, log: &Mutex<Vec<Seen>>, expected: Option<&str>) {
    let _ = client.set_read_timeout(Some(Duration::from_secs(10)));
    let Some((head, rest)) = read_head(&mut client) else { return };
    let request_line = head.lines().next().unwrap_or_default().to_owned();
    let authorization = header(&head, "proxy-authorization").map(str::to_owned);
    log.lock().unwrap().push(Seen { request_line: request_line.clone(), authorization: authorization.clone() });
    if expected.is_some() && authorization.as_deref() != expected {
        let _ = client.write_all(
            b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
        return;
    }
    let mut parts = request_line.split(' ');
    let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let upstream_addr = if method == "CONNECT" {
        target.to_owned()
    } else {
        // http://host:port/path: the origin server, which these tests run on 127.0.0.1.
        let authority = target.strip_prefix("http://").and_then(|t| t.split('/').next()).unwrap_or_default();
        authority.to_owned()
    };
    let Ok(mut upstream) = TcpStream::connect(upstream_addr.replace("localhost", "127.0.0.1")) else {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    };
    if method == "CONNECT" {
        let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
    } else {
        // The request as it came, without the proxy's own header.
        let mut forwarded: String = head
            .lines()
            .filter(|l| !l.to_ascii_lowercase().starts_with("proxy-authorization:"))
            .map(|l| format!("{l}\r\n"))
            .collect();
        forwarded.push_str("\r\n");
        let _ = upstream.write_all(forwarded.as_bytes());
    }
    let _ = upstream.write_all(&rest);
    // Both ways until either side closes.
    let (Ok(mut client_reader), Ok(mut upstream_writer)) = (client.try_clone(), upstream.try_clone()) else { return };
    let _ = client_reader.set_read_timeout(None);
    let to_upstream = std::thread::spawn(move || {
        let _ = std::io::copy(&mut client_reader, &mut upstream_writer);
        let _ = upstream_writer.shutdown(std::net::Shutdown::Write);
    });
    let _ = std::io::copy(&mut upstream, &mut client);
    let _ = client.shutdown(std::net::Shutdown::Both);
    let _ = to_upstream.join();
}

/// Reads a request head; returns it and the bytes read after it.
fn read_head(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            return Some((String::from_utf8_lossy(&buf[..end]).into_owned(), buf[end + 4..].to_vec()));
        }
    }
}

/// A certificate authority made for one test, and certificates it issues (ECDSA P-256).
pub struct TestCa {
    issuer: rcgen::CertifiedIssuer<'static, rcgen::KeyPair>,
}

/// A certificate and its key, in PEM and DER.
pub struct Issued {
    pub cert_pem: String,
    pub key_pem: String,
    pub cert_der: CertificateDer<'static>,
    pub key_der: PrivateKeyDer<'static>,
}

impl TestCa {
    pub fn new(name: &str) -> TestCa {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.distinguished_name.push(rcgen::DnType::CommonName, name);
        params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign, rcgen::KeyUsagePurpose::CrlSign];
        let key = rcgen::KeyPair::generate().unwrap();
        TestCa { issuer: rcgen::CertifiedIssuer::self_signed(params, key).unwrap() }
    }

    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    pub fn der(&self) -> CertificateDer<'static> {
        self.issuer.der().clone()
    }

    /// A server certificate for `localhost` and 127.0.0.1.
    pub fn server(&self) -> Issued {
        self.issue(&["localhost", "127.0.0.1"], rcgen::ExtendedKeyUsagePurpose::ServerAuth)
    }

    /// A client certificate.
    pub fn client(&self, name: &str) -> Issued {
        self.issue(&[name], rcgen::ExtendedKeyUsagePurpose::ClientAuth)
    }

    fn issue(&self, names: &[&str], usage: rcgen::ExtendedKeyUsagePurpose) -> Issued {
        let mut params =
            rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
        params.distinguished_name.push(rcgen::DnType::CommonName, names[0]);
        params.extended_key_usages = vec![usage];
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Issued {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            cert_der: cert.der().clone(),
            key_der: PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        }
    }
}

/// Calls `Ping` through `client` (within 20 s).
pub async fn ping(client: &SoapClient) -> Result<Pong, Error> {
    let call = client.call(SoapVersion::Soap11, &Ping, &NoHeaders);
    let reply = tokio::time::timeout(Duration::from_secs(20), call).await.expect("the call did not finish in time")?;
    Ok(reply.body)
}
