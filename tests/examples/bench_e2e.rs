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
//! bench_e2e request-file FILE                    # the SaveCredential request envelope load
//!                                                # generators send to the servers
//! bench_e2e write-responses DIR                  # the benchmark responses as files, for zeep
//! bench_e2e decode-memory ITEMS ITEM_BYTES       # peak memory while decoding one big response
//! bench_e2e profile WHAT N                       # WHAT (decode-save, decode-100, decode-10000,
//!                                                # events-save, events-100, events-10000 (quick-xml's
//!                                                # plain Reader, the codec floor), dispatch,
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
         [--max-in-flight N] | write-responses DIR | decode-memory ITEMS ITEM_BYTES | profile WHAT N"
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
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("tokio");
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
