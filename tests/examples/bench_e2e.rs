//! End-to-end benchmark pieces for `scripts/bench.sh` (not a test; `cargo test` only builds it).
//!
//! ```text
//! bench_e2e server [--seconds N]                 # a minimal keep-alive HTTP/1.1 SOAP server on
//!                                                # 127.0.0.1 (random port; prints its URL), answering
//!                                                # every POST with the SaveCredential response fixture;
//!                                                # exits by itself after N seconds (default 600)
//! bench_e2e client URL [--callers 64] [--seconds 5] [--warmup 1] [--max-in-flight N]
//!                                                # one generated UserClient, `callers` tasks calling
//!                                                # save_credential in a loop; prints calls/s as JSON
//! bench_e2e serve-generated [--seconds N]        # the generated UserServer (services87, feature
//!                                                # `server`) answering SaveCredential, on a 2-worker
//!                                                # runtime; prints its URL
//! bench_e2e serve-floor [--seconds N]            # the same HTTP stack (runtime `serve`, hyper)
//!                                                # answering every request with the canned response
//!                                                # without reading it: the floor for the server
//! bench_e2e serve-floor-read [--seconds N]       # the same, after reading the whole request body
//!                                                # (as every real handler must), still no SOAP
//! bench_e2e check URL REQUEST_FILE              # the server at URL answers the request file (twice,
//!                                                # keep-alive) and the generated client with a
//!                                                # SaveCredentialResponse that is true, or exit 1
//! bench_e2e load URL REQUEST_FILE [--rate 2000] [--seconds 10] [--connections 32] [--warmup 1]
//!                                                # open-loop load at a fixed rate; latency from the
//!                                                # scheduled send time (no coordinated omission)
//! bench_e2e hold URL REQUEST_FILE [--connections 1000] [--mode idle|in-flight] [--seconds 60]
//!                                                # holds N idle keep-alive connections, or N requests
//!                                                # with half their body sent, for memory figures
//! bench_e2e request-file FILE                    # the SaveCredential request envelope load
//!                                                # generators send to the servers
//! bench_e2e write-responses DIR                  # the benchmark responses as files, for zeep
//! bench_e2e codec-times DIR                      # encode/decode per message, measured as
//!                                                # tests/gsoap/codec.cpp measures gSOAP
//! bench_e2e decode-memory ITEMS ITEM_BYTES       # peak memory while decoding one big response
//! bench_e2e profile WHAT N                       # WHAT (decode-save, decode-100, decode-10000,
//!                                                # events-save, events-100, events-10000 (quick-xml's
//!                                                # plain Reader, the codec floor), dispatch, service,
//!                                                # encode-envelope)
//!                                                # N times, for `perf record` or callgrind
//! ```
//!
//! The server is deliberately tiny (no hyper, one current-thread runtime: one core), so that the
//! clients, ours and zeep's, are measured against the same peer in the same run.

#[path = "../benches/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use services87::runtime::DecodeLimits;
use services87::runtime::codegen::decode_response;
use services87::user::{GetCredentialTypes, UserClient};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[global_allocator]
static ALLOC: common::CountingAlloc = common::CountingAlloc;

fn usage() -> ! {
    eprintln!(
        "usage: bench_e2e server [--seconds N] | client URL [--callers N] [--seconds N] [--warmup N] \
         [--max-in-flight N] | serve-generated|serve-floor [--seconds N] | check URL REQUEST_FILE | \
         load URL REQUEST_FILE [--rate R] [--seconds S] [--connections C] [--warmup W] | \
         hold URL REQUEST_FILE [--connections N] [--mode idle|in-flight] [--seconds S] | request-file FILE | \
         write-responses DIR | codec-times DIR | decode-memory ITEMS ITEM_BYTES | profile WHAT N"
    );
    std::process::exit(2)
}

/// The value of `--name` in `args`, parsed, or `default`.
fn flag<T: std::str::FromStr>(args: &[String], name: &str, default: T) -> T {
    match args.iter().position(|a| a == name) {
        Some(i) => args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or_else(|| usage()),
        None => default,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("server") => server(Duration::from_secs(flag(&args, "--seconds", 600))),
        Some("client") => {
            let url = args.get(1).cloned().unwrap_or_else(|| usage());
            client(
                url,
                flag(&args, "--callers", 64),
                Duration::from_secs_f64(flag(&args, "--seconds", 5.0)),
                Duration::from_secs_f64(flag(&args, "--warmup", 1.0)),
                flag(&args, "--max-in-flight", 0),
            )
        }
        Some("serve-generated") => serve_generated(Duration::from_secs(flag(&args, "--seconds", 600))),
        Some("serve-floor") => serve_floor(Duration::from_secs(flag(&args, "--seconds", 600))),
        Some("serve-floor-read") => serve_with(Duration::from_secs(flag(&args, "--seconds", 600)), FloorRead),
        Some("check") => check(args.get(1).unwrap_or_else(|| usage()), args.get(2).unwrap_or_else(|| usage())),
        Some("load") => load(
            args.get(1).unwrap_or_else(|| usage()),
            args.get(2).unwrap_or_else(|| usage()),
            flag(&args, "--rate", 2000.0),
            flag(&args, "--seconds", 10.0),
            flag(&args, "--connections", 32),
            flag(&args, "--warmup", 1.0),
        ),
        Some("hold") => hold(
            args.get(1).unwrap_or_else(|| usage()),
            args.get(2).unwrap_or_else(|| usage()),
            flag(&args, "--connections", 1000),
            &flag(&args, "--mode", "idle".to_owned()),
            flag(&args, "--seconds", 60.0),
        ),
        Some("request-file") => {
            let request = common::save_credential_request();
            let envelope = services87::runtime::codegen::encode_request(
                services87::runtime::SoapVersion::Soap11,
                &request,
                &common::request_headers(),
            );
            std::fs::write(args.get(1).unwrap_or_else(|| usage()), envelope).expect("write the request")
        }
        Some("write-responses") => write_responses(args.get(1).unwrap_or_else(|| usage())),
        Some("codec-times") => codec_times(args.get(1).unwrap_or_else(|| usage())),
        Some("profile") => {
            let n = args.get(2).and_then(|v| v.parse().ok()).unwrap_or_else(|| usage());
            profile(args.get(1).map_or("", String::as_str), n)
        }
        Some("decode-memory") => {
            let items = args.get(1).and_then(|v| v.parse().ok()).unwrap_or_else(|| usage());
            let item_bytes = args.get(2).and_then(|v| v.parse().ok()).unwrap_or_else(|| usage());
            decode_memory(items, item_bytes)
        }
        _ => usage(),
    }
}

// ---------------------------------------------------------------------------------------------
// generated server, and its floor
// ---------------------------------------------------------------------------------------------

/// Answers SaveCredential as NetServer would (true), after the server decoded the request.
struct BenchUser;

impl services87::user::UserService for BenchUser {
    async fn save_credential(
        &self,
        request: services87::runtime::server::Request<
            services87::user::SaveCredential,
            services87::user::UserRequestHeaders,
        >,
    ) -> services87::user::UserResult<services87::user::SaveCredentialResponse> {
        let saved = request.body.user_id.is_some();
        Ok(services87::user::SaveCredentialResponse { response: Some(saved) }.into())
    }
}

/// The canned SaveCredential response for every request, unread: what HTTP costs alone.
struct Floor;

impl services87::runtime::server::Endpoint for Floor {
    fn respond(
        &self,
        _request: http::Request<hyper::body::Incoming>,
    ) -> services87::runtime::server::codegen::BoxFuture<http::Response<services87::runtime::server::ResponseBody>>
    {
        Box::pin(async {
            let mut response = http::Response::new(services87::runtime::server::ResponseBody::new(
                bytes::Bytes::from_static(common::SAVE_CREDENTIAL_RESPONSE.as_bytes()),
            ));
            response
                .headers_mut()
                .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("text/xml; charset=utf-8"));
            response
        })
    }
}

/// The canned response after reading the whole request body (as every real handler must), still
/// without looking at it: HTTP with the body's bytes, and no SOAP.
struct FloorRead;

impl services87::runtime::server::Endpoint for FloorRead {
    fn respond(
        &self,
        request: http::Request<hyper::body::Incoming>,
    ) -> services87::runtime::server::codegen::BoxFuture<http::Response<services87::runtime::server::ResponseBody>>
    {
        Box::pin(async move {
            let body = http_body_util::BodyExt::collect(request.into_body()).await.map(|b| b.to_bytes());
            let canned = bytes::Bytes::from_static(common::SAVE_CREDENTIAL_RESPONSE.as_bytes());
            let mut response = http::Response::new(services87::runtime::server::ResponseBody::new(canned));
            if body.is_err() {
                *response.status_mut() = http::StatusCode::BAD_REQUEST;
            }
            response
                .headers_mut()
                .insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("text/xml; charset=utf-8"));
            response
        })
    }
}

fn serve_with(lifetime: Duration, endpoint: impl services87::runtime::server::Endpoint) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio");
    runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        println!("http://{}/Remote/Services87/User.svc", listener.local_addr().expect("local address"));
        let stop = tokio::time::sleep(lifetime);
        let _ = services87::runtime::server::serve_with_shutdown(listener, endpoint, stop).await;
    });
}

fn serve_generated(lifetime: Duration) {
    serve_with(lifetime, services87::user::UserServer::new(BenchUser).into_service());
}

fn serve_floor(lifetime: Duration) {
    serve_with(lifetime, Floor);
}

// ---------------------------------------------------------------------------------------------
// server
// ---------------------------------------------------------------------------------------------

fn server(lifetime: Duration) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        println!("http://{}/Remote/Services87/User.svc", listener.local_addr().expect("local address"));
        let body = common::SAVE_CREDENTIAL_RESPONSE.as_bytes();
        let mut response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        response.extend_from_slice(body);
        let response: &'static [u8] = Box::leak(response.into_boxed_slice());
        let accept = async {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                tokio::spawn(connection(stream, response));
            }
        };
        // Bounded in time: the server stops by itself even if nobody stops it.
        let _ = tokio::time::timeout(lifetime, accept).await;
    });
}

/// Serves requests on one connection until the peer closes it: reads a head, then
/// `Content-Length` bytes of body, answers with `response`.
async fn connection(mut stream: TcpStream, response: &'static [u8]) {
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut chunk = [0u8; 16 * 1024];
    loop {
        // Wait for a complete head.
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            if buf.len() > 64 * 1024 {
                return;
            }
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]);
        let content_length: usize = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse().ok())
            .unwrap_or(0);
        let close = head.lines().any(|l| {
            l.split_once(':').is_some_and(|(n, v)| {
                n.trim().eq_ignore_ascii_case("connection") && v.trim().eq_ignore_ascii_case("close")
            })
        });
        while buf.len() < head_end + content_length {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        buf.drain(..head_end + content_length);
        if stream.write_all(response).await.is_err() || close {
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// client
// ---------------------------------------------------------------------------------------------

fn client(url: String, callers: usize, seconds: Duration, warmup: Duration, max_in_flight: usize) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(async move {
        let headers = common::request_headers();
        let mut users = UserClient::new(url).with_headers(headers);
        if max_in_flight > 0 {
            users.soap_client_mut().set_max_concurrent_requests(max_in_flight);
        }
        let in_flight = users.soap_client().max_concurrent_requests();
        // Warm-up (connections opened, pool filled), then the measured window.
        for (window, report) in [(warmup, false), (seconds, true)] {
            let started = Instant::now();
            let deadline = started + window;
            let mut tasks = tokio::task::JoinSet::new();
            for _ in 0..callers {
                let users = users.clone();
                tasks.spawn(async move {
                    let mut calls = 0u64;
                    while Instant::now() < deadline {
                        let saved = users.save_credential(common::USER_ID, common::credential()).await;
                        assert!(saved.expect("save_credential succeeds"), "the server says true");
                        calls += 1;
                    }
                    calls
                });
            }
            let mut calls = 0;
            while let Some(n) = tasks.join_next().await {
                calls += n.expect("caller task");
            }
            let elapsed = started.elapsed().as_secs_f64();
            if report {
                println!(
                    "{{\"client\": \"wsdlgen\", \"callers\": {callers}, \"max_in_flight\": {in_flight}, \"calls\": {calls}, \
                     \"seconds\": {elapsed:.3}, \"calls_per_s\": {:.1}}}",
                    calls as f64 / elapsed
                );
            }
        }
    });
}

// ---------------------------------------------------------------------------------------------
// files and memory
// ---------------------------------------------------------------------------------------------

fn write_responses(dir: &str) {
    let dir = std::path::Path::new(dir);
    std::fs::create_dir_all(dir).expect("create the output directory");
    std::fs::write(dir.join("save_credential_response.xml"), common::SAVE_CREDENTIAL_RESPONSE).expect("write");
    for items in [100, 10_000] {
        let bytes = common::get_credential_types_response(items, common::ITEM_BYTES);
        std::fs::write(dir.join(format!("get_credential_types_{items}.xml")), bytes).expect("write");
    }
}

/// The process's peak resident set so far, in bytes (Linux `VmHWM`), if known.
fn peak_rss() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

fn decode_memory(items: usize, item_bytes: usize) {
    let rss_start = peak_rss();
    let bytes = common::get_credential_types_response(items, item_bytes);
    let rss_input = peak_rss();
    let limits = DecodeLimits::default().with_max_list_items(items.max(DecodeLimits::default().max_list_items));
    let started = Instant::now();
    let (reply, stats) = common::count_allocations(|| decode_response::<GetCredentialTypes>(&bytes, limits));
    let elapsed = started.elapsed();
    let rss_peak = peak_rss();
    let decoded = reply.expect("decodes").body.response.into_option().map_or(0, |v| v.len());
    assert_eq!(decoded, items);
    let mb = |b: usize| b as f64 / 1e6;
    // The input buffer was allocated before counting started: add it (its capacity) to the growth.
    let heap_peak = bytes.capacity() + stats.peak_growth;
    let rss_peak = rss_peak.unwrap_or(0);
    let ratio = |b: usize| b as f64 / bytes.len() as f64;
    println!(
        "{{\"items\": {items}, \"response_bytes\": {}, \"decode_ms\": {:.1}, \"allocations\": {}, \
         \"heap_peak_bytes\": {heap_peak}, \"heap_peak_over_response\": {:.2}, \"rss_start_bytes\": {}, \
         \"rss_after_input_bytes\": {}, \"rss_peak_bytes\": {rss_peak}, \"rss_peak_over_response\": {:.2}}}",
        bytes.len(),
        elapsed.as_secs_f64() * 1e3,
        stats.allocations,
        ratio(heap_peak),
        rss_start.unwrap_or(0),
        rss_input.unwrap_or(0),
        ratio(rss_peak),
    );
    eprintln!(
        "decode-memory: {items} items, {:.1} MB response: heap peak {:.1} MB ({:.2}x), RSS peak {:.1} MB ({:.2}x)",
        mb(bytes.len()),
        mb(heap_peak),
        ratio(heap_peak),
        mb(rss_peak),
        ratio(rss_peak)
    );
}

/// Runs one piece of work `n` times (for a profiler).
/// One SaveCredential request through the generated server's dispatch, in process: what the
/// server does per request besides HTTP.
fn dispatch_once(
    dispatcher: &services87::user::UserServer<BenchUser>,
    runtime: &tokio::runtime::Runtime,
    request: &bytes::Bytes,
) -> usize {
    use services87::runtime::server::codegen::{Call, Dispatch};
    let index = dispatcher.operations().iter().position(|op| op.name == "SaveCredential").expect("SaveCredential");
    let call = Call::new(request.clone(), services87::runtime::SoapVersion::Soap11, "");
    let reply = runtime.block_on(dispatcher.call(index, call));
    assert_eq!(reply.status, 200);
    reply.body.len()
}

/// One SaveCredential request through the generated server's `tower::Service` (HTTP request
/// in, HTTP response out, no socket): dispatch plus what the HTTP side adds.
fn service_once<S>(service: &mut S, runtime: &tokio::runtime::Runtime, request: &bytes::Bytes) -> usize
where
    S: tower_service::Service<
            http::Request<http_body_util::Full<bytes::Bytes>>,
            Response = http::Response<services87::runtime::server::ResponseBody>,
        >,
    S::Error: std::fmt::Debug,
{
    let request = http::Request::post("/Remote/Services87/User.svc")
        .header(http::header::CONTENT_TYPE, "text/xml; charset=utf-8")
        .header("SOAPAction", "\"http://www.superoffice.net/ws/crm/NetServer/Services87/User/SaveCredential\"")
        .header(http::header::CONTENT_LENGTH, request.len())
        .body(http_body_util::Full::new(request.clone()))
        .expect("a request");
    let response = runtime.block_on(service.call(request)).expect("infallible");
    assert_eq!(response.status(), http::StatusCode::OK);
    usize::from(response.status().as_u16())
}

/// quick-xml's plain reader over `bytes`: every event, nothing else (the codec benchmark's floor).
fn raw_events(bytes: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut events = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return events,
            Ok(e) => {
                std::hint::black_box(&e);
                events += 1;
            }
            Err(e) => panic!("quick-xml reader: {e}"),
        }
    }
}

fn profile(what: &str, n: usize) {
    let gct = common::get_credential_types_response(100, common::ITEM_BYTES);
    let gct_10000 = if what.ends_with("-10000") {
        common::get_credential_types_response(10_000, common::ITEM_BYTES)
    } else {
        Vec::new()
    };
    let request = common::save_credential_request();
    let headers = common::request_headers();
    let request_bytes = bytes::Bytes::from(services87::runtime::codegen::encode_request(
        services87::runtime::SoapVersion::Soap11,
        &request,
        &headers,
    ));
    let dispatcher = services87::user::UserServer::new(BenchUser);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio");
    let mut service = services87::user::UserServer::new(BenchUser).into_service();
    let mut total = 0usize;
    for _ in 0..n {
        total += match what {
            "decode-100" => decode_response::<GetCredentialTypes>(&gct, DecodeLimits::default())
                .expect("decodes")
                .body
                .response
                .into_option()
                .map_or(0, |v| v.len()),
            "decode-10000" => decode_response::<GetCredentialTypes>(&gct_10000, DecodeLimits::default())
                .expect("decodes")
                .body
                .response
                .into_option()
                .map_or(0, |v| v.len()),
            // The floor of the codec benchmark: quick-xml's plain `Reader` over the same bytes.
            "events-save" => raw_events(common::SAVE_CREDENTIAL_RESPONSE.as_bytes()),
            "events-100" => raw_events(&gct),
            "events-10000" => raw_events(&gct_10000),
            "decode-save" => usize::from(
                decode_response::<services87::user::SaveCredential>(
                    common::SAVE_CREDENTIAL_RESPONSE.as_bytes(),
                    DecodeLimits::default(),
                )
                .expect("decodes")
                .body
                .response
                .expect("a response"),
            ),
            "dispatch" => dispatch_once(&dispatcher, &runtime, &request_bytes),
            "service" => service_once(&mut service, &runtime, &request_bytes),
            "encode-envelope" => services87::runtime::codegen::encode_request(
                services87::runtime::SoapVersion::Soap11,
                &request,
                &headers,
            )
            .len(),
            _ => usage(),
        };
    }
    println!("{total}");
}

// ---------------------------------------------------------------------------------------------
// raw HTTP/1.1 for the server benchmarks: check a peer, open-loop load, held connections
// ---------------------------------------------------------------------------------------------

/// The SOAP action of SaveCredential, as the WSDL declares it.
const SAVE_CREDENTIAL_ACTION: &str = "http://www.superoffice.net/ws/crm/NetServer/Services87/User/SaveCredential";

/// `http://HOST:PORT/PATH` split into the authority and the path.
fn split_url(url: &str) -> (String, String) {
    let rest = url.strip_prefix("http://").unwrap_or_else(|| usage());
    match rest.split_once('/') {
        Some((authority, path)) => (authority.to_owned(), format!("/{path}")),
        None => (rest.to_owned(), "/".to_owned()),
    }
}

/// The whole HTTP request (head and body) that wrk sends too (scripts/bench.sh's post.lua).
fn post_request(url: &str, body: &[u8]) -> Vec<u8> {
    let (authority, path) = split_url(url);
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: text/xml; charset=utf-8\r\n\
         SOAPAction: \"{SAVE_CREDENTIAL_ACTION}\"\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

/// One response read from a keep-alive connection.
struct HttpResponse {
    status: u16,
    content_type: String,
    body: Vec<u8>,
    /// The server will close the connection after this response.
    close: bool,
}

/// A blocking HTTP/1.1 connection: sends whole requests and reads whole responses
/// (`Content-Length`, chunked, or until the server closes).
struct Connection {
    stream: std::net::TcpStream,
    buf: Vec<u8>,
}

impl Connection {
    fn open(authority: &str) -> std::io::Result<Self> {
        let stream = std::net::TcpStream::connect(authority)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Connection { stream, buf: Vec::with_capacity(8192) })
    }

    fn send(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        self.stream.write_all(bytes)
    }

    /// Reads more bytes into the buffer; an error at end of stream.
    fn fill(&mut self) -> std::io::Result<()> {
        use std::io::Read;
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    /// Takes `n` bytes from the front of the buffer, reading as needed.
    fn take(&mut self, n: usize) -> std::io::Result<Vec<u8>> {
        while self.buf.len() < n {
            self.fill()?;
        }
        Ok(self.buf.drain(..n).collect())
    }

    /// Takes one CRLF-terminated line (without the CRLF).
    fn line(&mut self) -> std::io::Result<String> {
        loop {
            if let Some(i) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line = String::from_utf8_lossy(&self.buf[..i]).into_owned();
                self.buf.drain(..i + 2);
                return Ok(line);
            }
            self.fill()?;
        }
    }

    fn receive(&mut self) -> std::io::Result<HttpResponse> {
        let invalid = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
        let status_line = self.line()?;
        let status: u16 =
            status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| invalid(&status_line))?;
        let (mut length, mut chunked, mut close, mut content_type) = (None, false, false, String::new());
        loop {
            let line = self.line()?;
            if line.is_empty() {
                break;
            }
            let Some((name, value)) = line.split_once(':') else { return Err(invalid(&line)) };
            let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
            match name.as_str() {
                "content-length" => length = Some(value.parse::<usize>().map_err(|_| invalid(&line))?),
                "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                "connection" => close = value.eq_ignore_ascii_case("close"),
                "content-type" => content_type = value.to_owned(),
                _ => {}
            }
        }
        let body = if chunked {
            let mut body = Vec::new();
            loop {
                let size_line = self.line()?;
                let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("").trim(), 16)
                    .map_err(|_| invalid(&size_line))?;
                if size == 0 {
                    // Trailers, then the empty line.
                    while !self.line()?.is_empty() {}
                    break body;
                }
                body.extend(self.take(size)?);
                self.take(2)?;
            }
        } else if let Some(n) = length {
            self.take(n)?
        } else {
            // Neither: the body ends with the connection.
            close = true;
            loop {
                match self.fill() {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break std::mem::take(&mut self.buf),
                    Err(e) => return Err(e),
                }
            }
        };
        Ok(HttpResponse { status, content_type, body, close })
    }
}

/// `check URL REQUEST_FILE`: the answer of the server at URL to the benchmark's request (the
/// bytes wrk sends, twice on one keep-alive connection), and then to a call of the generated
/// client, must be HTTP 200 with a SOAP 1.1 content type and decode, with this project's
/// decoder (which checks every element's name and namespace), as a SaveCredentialResponse whose
/// Response is true. Exits with status 1 otherwise.
fn check(url: &str, request_file: &str) {
    let fail = |what: String| -> ! {
        eprintln!("check {url}: {what}");
        std::process::exit(1)
    };
    let body = std::fs::read(request_file).unwrap_or_else(|e| fail(format!("{request_file}: {e}")));
    let request = post_request(url, &body);
    let (authority, _) = split_url(url);
    let mut connection = Connection::open(&authority).unwrap_or_else(|e| fail(format!("connect: {e}")));
    let mut bytes = 0;
    for round in 1..=2 {
        connection.send(&request).unwrap_or_else(|e| fail(format!("send (request {round}): {e}")));
        let response = connection.receive().unwrap_or_else(|e| fail(format!("receive (request {round}): {e}")));
        let text = String::from_utf8_lossy(&response.body).into_owned();
        if response.status != 200 {
            fail(format!("HTTP {} (request {round}): {text}", response.status));
        }
        if !response.content_type.to_ascii_lowercase().starts_with("text/xml") {
            fail(format!("content type {:?} is not SOAP 1.1's text/xml", response.content_type));
        }
        let reply = decode_response::<services87::user::SaveCredential>(&response.body, DecodeLimits::default())
            .unwrap_or_else(|e| fail(format!("the response does not decode as SaveCredentialResponse: {e}: {text}")));
        if reply.body.response != Some(true) {
            fail(format!("Response is {:?}, not true: {text}", reply.body.response));
        }
        if round == 1 && response.close {
            fail("the server closes the connection after one request (no keep-alive)".to_owned());
        }
        bytes = response.body.len();
    }
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let saved = runtime.block_on(async {
        let users = UserClient::new(url.to_owned()).with_headers(common::request_headers());
        users.save_credential(common::USER_ID, common::credential()).await
    });
    match saved {
        Ok(true) => {}
        other => fail(format!("the generated client's save_credential: {other:?}")),
    }
    println!(
        "{{\"url\": \"{url}\", \"status\": 200, \"response\": true, \"keep_alive\": true, \"response_bytes\": {bytes}}}"
    );
}

/// `load URL REQUEST_FILE --rate R --seconds S --connections C [--warmup W]`: an open-loop
/// load (as wrk2 does; wrk itself is closed-loop): C keep-alive connections, each sending the
/// request at fixed times, R requests a second in all; connection k sends its j-th request at
/// `start + (k + j * C) / R`, or at once if the previous answer came later than that. Latency is
/// measured from the scheduled time (so a server that falls behind is charged for the requests
/// that waited: no coordinated omission), and also from the actual send (the service time).
/// Requests scheduled during the first W seconds (default 1) are not counted. Prints JSON.
fn load(url: &str, request_file: &str, rate: f64, seconds: f64, connections: usize, warmup: f64) {
    let body = std::fs::read(request_file).expect("read the request file");
    let request = std::sync::Arc::new(post_request(url, &body));
    let (authority, _) = split_url(url);
    let start = Instant::now() + Duration::from_millis(200);
    let measured_from = start + Duration::from_secs_f64(warmup);
    let end = measured_from + Duration::from_secs_f64(seconds);
    let interval = Duration::from_secs_f64(connections as f64 / rate);
    let threads: Vec<_> = (0..connections)
        .map(|k| {
            let (request, authority) = (request.clone(), authority.clone());
            std::thread::spawn(move || {
                set_timer_slack_1ns();
                let mut corrected = Vec::new();
                let mut service = Vec::new();
                let (mut errors, mut non_200, mut reconnects) = (0u64, 0u64, 0u64);
                let mut connection = Connection::open(&authority).ok();
                let mut scheduled =
                    start + Duration::from_secs_f64(k as f64 * interval.as_secs_f64() / connections as f64);
                while scheduled < end {
                    let now = Instant::now();
                    if scheduled > now {
                        std::thread::sleep(scheduled - now);
                    }
                    let sent = Instant::now();
                    let conn = match connection.as_mut() {
                        Some(c) => c,
                        None => {
                            reconnects += 1;
                            match Connection::open(&authority) {
                                Ok(c) => connection.insert(c),
                                Err(_) => {
                                    errors += 1;
                                    scheduled += interval;
                                    continue;
                                }
                            }
                        }
                    };
                    let result = conn.send(&request).and_then(|()| conn.receive());
                    let done = Instant::now();
                    match result {
                        Ok(response) => {
                            if response.status != 200 {
                                non_200 += 1;
                            }
                            if response.close {
                                connection = None;
                            }
                            if scheduled >= measured_from {
                                corrected.push((done - scheduled).as_micros() as u64);
                                service.push((done - sent).as_micros() as u64);
                            }
                        }
                        Err(_) => {
                            errors += 1;
                            connection = None;
                        }
                    }
                    scheduled += interval;
                }
                (corrected, service, errors, non_200, reconnects)
            })
        })
        .collect();
    let (mut corrected, mut service) = (Vec::new(), Vec::new());
    let (mut errors, mut non_200, mut reconnects) = (0, 0, 0);
    for t in threads {
        let (c, s, e, n, r) = t.join().expect("load thread");
        corrected.extend(c);
        service.extend(s);
        errors += e;
        non_200 += n;
        reconnects += r;
    }
    corrected.sort_unstable();
    service.sort_unstable();
    let pct = |v: &[u64], p: f64| -> u64 {
        if v.is_empty() { 0 } else { v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1] }
    };
    println!(
        "{{\"url\": \"{url}\", \"rate\": {rate}, \"seconds\": {seconds}, \"connections\": {connections}, \
         \"completed\": {}, \"achieved_rate\": {:.1}, \"errors\": {errors}, \"non_200\": {non_200}, \
         \"reconnects\": {reconnects}, \"latency_us\": {{\"p50\": {}, \"p90\": {}, \"p99\": {}, \"p999\": {}, \"max\": {}}}, \
         \"service_time_us\": {{\"p50\": {}, \"p99\": {}}}}}",
        corrected.len(),
        corrected.len() as f64 / seconds,
        pct(&corrected, 0.50),
        pct(&corrected, 0.90),
        pct(&corrected, 0.99),
        pct(&corrected, 0.999),
        corrected.last().copied().unwrap_or(0),
        pct(&service, 0.50),
        pct(&service, 0.99),
    );
}

/// Linux wakes a sleeping thread up to its timer slack (50 us by default) late; the load
/// generator's threads ask for the least, so that requests leave close to their scheduled time.
fn set_timer_slack_1ns() {
    unsafe extern "C" {
        fn prctl(option: i32, ...) -> i32;
    }
    const PR_SET_TIMERSLACK: i32 = 29;
    // SAFETY: PR_SET_TIMERSLACK takes one unsigned long and only changes this thread's slack.
    unsafe {
        prctl(PR_SET_TIMERSLACK, 1usize);
    }
}

/// `hold URL REQUEST_FILE --connections N --mode idle|in-flight [--seconds S]`: opens N
/// connections to the server and holds them, for measuring the server's memory per connection.
/// `idle`: each connection first completes one request (so the server has set it up fully) and
/// then stays open, idle. `in-flight`: each sends the request's head and half of its body and
/// waits; the server holds N requests it cannot finish. Prints `ready N` when all are open, then
/// holds them for S seconds (default 60), or until it is killed.
fn hold(url: &str, request_file: &str, connections: usize, mode: &str, seconds: f64) {
    let body = std::fs::read(request_file).expect("read the request file");
    let request = post_request(url, &body);
    let (authority, _) = split_url(url);
    let partial = &request[..request.len() - body.len() / 2];
    let mut held = Vec::with_capacity(connections);
    for i in 0..connections {
        let mut connection =
            Connection::open(&authority).unwrap_or_else(|e| panic!("connection {i} of {connections}: {e}"));
        match mode {
            "idle" => {
                connection.send(&request).expect("send");
                let response = connection.receive().expect("a response");
                assert_eq!(response.status, 200, "{}", String::from_utf8_lossy(&response.body));
                assert!(!response.close, "the server closed connection {i}");
            }
            "in-flight" => connection.send(partial).expect("send"),
            _ => usage(),
        }
        held.push(connection);
    }
    println!("ready {}", held.len());
    use std::io::Write;
    std::io::stdout().flush().expect("stdout");
    std::thread::sleep(Duration::from_secs_f64(seconds));
    drop(held);
}

// ---------------------------------------------------------------------------------------------
// in-process figures measured like gSOAP's (tests/gsoap/codec.cpp)
// ---------------------------------------------------------------------------------------------

/// The median time of one call of `f` in nanoseconds: batches calibrated to about 2 ms, the
/// median of `batches` of them; the method of tests/gsoap/codec.cpp, so that the two programs,
/// run alternately by scripts/bench.sh, compare like with like.
fn median_ns(mut f: impl FnMut(), batches: usize) -> f64 {
    let mut n: u64 = 1;
    loop {
        let started = Instant::now();
        for _ in 0..n {
            f();
        }
        if started.elapsed() > Duration::from_millis(2) || n > 1 << 24 {
            break;
        }
        n *= 2;
    }
    let mut per: Vec<f64> = (0..batches)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..n {
                f();
            }
            started.elapsed().as_nanos() as f64 / n as f64
        })
        .collect();
    per.sort_by(f64::total_cmp);
    per[per.len() / 2]
}

/// `codec-times DIR`: this project's encode and decode of the payloads of tests/benches/codec.rs
/// (responses read from DIR, as `write-responses` writes them), per message; JSON with the keys
/// tests/gsoap/codec.cpp prints.
fn codec_times(dir: &str) {
    use services87::runtime::Encode;
    use std::hint::black_box;
    let dir = std::path::Path::new(dir);
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (save, items100, items10000) = (
        read("save_credential_response.xml"),
        read("get_credential_types_100.xml"),
        read("get_credential_types_10000.xml"),
    );
    let request = common::save_credential_request();
    let headers = common::request_headers();
    let payload = || {
        let mut w = services87::runtime::codegen::XmlWriter::with_capacity(1024);
        request.encode(&mut w, "n0:SaveCredential");
        w.into_inner()
    };
    let envelope =
        || services87::runtime::codegen::encode_request(services87::runtime::SoapVersion::Soap11, &request, &headers);
    let decode_save = |bytes: &[u8]| {
        decode_response::<services87::user::SaveCredential>(bytes, DecodeLimits::default())
            .expect("decodes")
            .body
            .response
            == Some(true)
    };
    let decode_types = |bytes: &[u8]| {
        decode_response::<GetCredentialTypes>(bytes, DecodeLimits::default())
            .expect("decodes")
            .body
            .response
            .into_option()
            .map_or(0, |items| items.len())
    };
    assert!(decode_save(&save), "the SaveCredential response decodes as true");
    assert_eq!((decode_types(&items100), decode_types(&items10000)), (100, 10_000));
    let (payload_bytes, envelope_bytes) = (payload().len(), envelope().len());
    let t_payload = median_ns(|| drop(black_box(payload())), 31);
    let t_envelope = median_ns(|| drop(black_box(envelope())), 31);
    let t_save = median_ns(
        || {
            black_box(decode_save(black_box(&save)));
        },
        31,
    );
    let t_100 = median_ns(
        || {
            black_box(decode_types(black_box(&items100)));
        },
        31,
    );
    let t_10000 = median_ns(
        || {
            black_box(decode_types(black_box(&items10000)));
        },
        11,
    );
    println!(
        "{{\"toolkit\": \"wsdlgen\", \"encode_payload_ns\": {t_payload:.0}, \"payload_bytes\": {payload_bytes}, \
         \"encode_envelope_3_headers_ns\": {t_envelope:.0}, \"envelope_bytes\": {envelope_bytes}, \
         \"decode_save_credential_ns\": {t_save:.0}, \"decode_100_items_ns\": {t_100:.0}, \
         \"decode_10000_items_ns\": {t_10000:.0}}}"
    );
}
