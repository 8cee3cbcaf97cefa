//! The `services87` client against misbehaving HTTP servers on 127.0.0.1: each case ends in a
//! typed error within the configured time, with memory bounded by the limits, and nothing is
//! fetched from an address a response names.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use services87::runtime::{DecodeErrorKind, Error};
use services87::user::{Credential, CredentialType, UserClient};
use wsdlgen_tests::support::http::{Behaviour, Response, TestServer};

const NS: &str = "http://www.superoffice.net/ws/crm/NetServer/Services87";
const SOAP11_NS: &str = "http://schemas.xmlsoap.org/soap/envelope/";

type UserError = services87::user::Error;

/// Upper bound for a call in tests that do not test timeouts (the runtime's are longer).
const CALL_BOUND: Duration = Duration::from_secs(20);

fn ok_envelope() -> String {
    format!(
        r#"<s:Envelope xmlns:s="{SOAP11_NS}"><s:Header><h:Succeeded xmlns:h="{NS}">true</h:Succeeded></s:Header><s:Body><SaveCredentialResponse xmlns="{NS}"><Response>true</Response></SaveCredentialResponse></s:Body></s:Envelope>"#
    )
}

fn credential() -> Credential {
    Credential {
        r#type: CredentialType { r#type: "password".into(), ..Default::default() }.into(),
        value: "s3cret".into(),
        ..Default::default()
    }
}

fn client_for(url: String, timeout: Duration) -> UserClient {
    let mut client = UserClient::new(url).with_application_token("token".to_owned());
    client.soap_client_mut().set_timeout(timeout);
    client
}

/// Calls `save_credential`; returns the result and how long it took. Fails the test if the
/// call takes longer than `bound`.
async fn save(client: &UserClient, bound: Duration) -> (Result<bool, UserError>, Duration) {
    let started = Instant::now();
    let result = tokio::time::timeout(bound, client.save_credential(42, credential()))
        .await
        .unwrap_or_else(|_| panic!("the call did not end within {bound:?}"));
    (result, started.elapsed())
}

fn decode_kind(e: &UserError) -> &DecodeErrorKind {
    match e {
        Error::Decode(d) => &d.kind,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// time
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_server_that_never_answers_times_out_within_the_configured_time() {
    let server = TestServer::always(Response::never_answer());
    let client = client_for(server.url(), Duration::from_secs(1));
    let (result, took) = save(&client, Duration::from_secs(10)).await;
    let e = result.unwrap_err();
    assert!(matches!(e, Error::Transport(_)) && e.is_timeout(), "{e:?}");
    assert!(took >= Duration::from_millis(900) && took < Duration::from_secs(3), "took {took:?}");
    assert_eq!(server.request_count(), 1);
}

#[tokio::test]
async fn a_server_trickling_one_byte_a_second_is_cut_off_by_the_timeout() {
    // Each byte arrives well within the read timeout; only the total timeout stops it.
    let response = Response::xml(200, ok_envelope()).with_behaviour(Behaviour::Trickle { bytes_per_sec: 1 });
    let server = TestServer::always(response);
    let client = client_for(server.url(), Duration::from_millis(1500));
    let (result, took) = save(&client, Duration::from_secs(10)).await;
    let e = result.unwrap_err();
    assert!(matches!(e, Error::Transport(_)) && e.is_timeout(), "{e:?}");
    assert!(took < Duration::from_secs(4), "took {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_for_a_free_slot_counts_against_the_timeout() {
    let server = TestServer::always(Response::never_answer());
    let mut holder = client_for(server.url(), Duration::from_secs(3));
    holder.soap_client_mut().set_max_concurrent_requests(1);
    // A clone shares the slot; its own timeout is shorter.
    let mut waiter = holder.clone();
    waiter.soap_client_mut().set_timeout(Duration::from_secs(1));

    let held = tokio::spawn(async move { save(&holder, Duration::from_secs(10)).await });
    while server.request_count() == 0 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let (result, took) = save(&waiter, Duration::from_secs(10)).await;
    let e = result.unwrap_err();
    assert!(matches!(e, Error::Timeout { timeout } if timeout == Duration::from_secs(1)) && e.is_timeout(), "{e:?}");
    assert!(took >= Duration::from_millis(900) && took < Duration::from_secs(2), "took {took:?}");
    assert_eq!(server.request_count(), 1, "the waiting call must not have been sent");

    let (result, took) = held.await.unwrap();
    let e = result.unwrap_err();
    assert!(matches!(e, Error::Transport(_)) && e.is_timeout(), "{e:?}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

// ---------------------------------------------------------------------------------------------
// broken bodies
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_transport_error() {
    let server = TestServer::always(Response::xml(200, ok_envelope()).with_behaviour(Behaviour::ResetMidBody));
    let client = client_for(server.url(), Duration::from_secs(5));
    let (result, took) = save(&client, CALL_BOUND).await;
    let e = result.unwrap_err();
    assert!(matches!(e, Error::Transport(_)) && !e.is_timeout(), "{e:?}");
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

#[tokio::test]
async fn a_body_that_stops_halfway_is_an_error() {
    // Fewer bytes than Content-Length announced, then the connection closes.
    let server = TestServer::always(Response::xml(200, ok_envelope()).with_behaviour(Behaviour::Truncated));
    let client = client_for(server.url(), Duration::from_secs(5));
    let e = save(&client, CALL_BOUND).await.0.unwrap_err();
    assert!(matches!(e, Error::Transport(_)) && !e.is_timeout(), "{e:?}");

    // A complete HTTP message whose XML stops halfway.
    let half = ok_envelope()[..ok_envelope().len() / 2].to_owned();
    let server = TestServer::always(Response::xml(200, half));
    let client = client_for(server.url(), Duration::from_secs(5));
    let e = save(&client, CALL_BOUND).await.0.unwrap_err();
    assert!(matches!(decode_kind(&e), DecodeErrorKind::UnexpectedEof | DecodeErrorKind::Syntax(_)), "{e:?}");
    let Error::Decode(d) = &e else { unreachable!() };
    assert!(d.path.starts_with("Envelope/"), "{}", d.path);
}

#[tokio::test]
async fn invalid_utf8_and_unreadable_encodings_are_encoding_errors() {
    let mut invalid = ok_envelope().into_bytes();
    let at = invalid.windows(4).position(|w| w == b"true").unwrap();
    invalid[at] = 0xFF;
    let mut odd = utf16(&ok_envelope(), true, true);
    odd.pop();
    let mut lone = utf16(&ok_envelope(), true, true);
    let at = lone.len() - 4;
    lone[at..at + 2].copy_from_slice(&0xD800u16.to_le_bytes());
    let cases: Vec<(Response, &str)> = vec![
        (Response::xml(200, invalid), "is not valid UTF-8"),
        (Response::new(200, "text/xml; charset=koi8-r", ok_envelope()), "unsupported encoding koi8-r"),
        // Declared in the document, with no charset in the Content-Type (one would win).
        (
            Response::new(
                200,
                "text/xml",
                ok_envelope().replace("<s:Envelope", "<?xml version='1.0' encoding='Shift_JIS'?><s:Envelope"),
            ),
            "unsupported encoding Shift_JIS",
        ),
        (Response::xml(200, odd), "odd number of bytes"),
        (Response::xml(200, lone), "unpaired surrogate"),
    ];
    for (response, expected) in cases {
        let server = TestServer::always(response);
        let client = client_for(server.url(), Duration::from_secs(5));
        let e = save(&client, CALL_BOUND).await.0.expect_err(expected);
        let DecodeErrorKind::Encoding(message) = decode_kind(&e) else { panic!("{expected}: {e:?}") };
        assert!(message.contains(expected), "{message}");
    }
}

/// What a WCF service with a UTF-16 text encoder, or an older Java one in ISO-8859-1, sends is read
/// as zeep reads it: by byte order mark, `charset` (which wins over the declaration) or declaration.
#[tokio::test]
async fn utf16_latin1_and_windows_1252_responses_are_read() {
    let declared = |encoding: &str| format!("<?xml version=\"1.0\" encoding=\"{encoding}\"?>{}", ok_envelope());
    let cases: Vec<(&str, Response)> = vec![
        ("UTF-16LE, byte order mark", Response::xml(200, utf16(&declared("utf-16"), true, true))),
        ("UTF-16BE, no byte order mark", Response::xml(200, utf16(&declared("utf-16"), false, false))),
        ("UTF-16 by charset", Response::new(200, "text/xml; charset=\"utf-16\"", utf16(&ok_envelope(), true, true))),
        // With bytes that are not UTF-8 (0xE9 is é in ISO-8859-1; 0x93 and 0x94 are curly quotes
        // in Windows-1252), which only the declared encoding reads.
        ("ISO-8859-1 by declaration", Response::new(200, "text/xml", single_byte(&declared("ISO-8859-1"), 0xE9))),
        (
            "Windows-1252 by charset",
            Response::new(200, "text/xml; charset=windows-1252", single_byte(&declared("ISO-8859-1"), 0x93)),
        ),
    ];
    for (what, response) in cases {
        let server = TestServer::always(response);
        let client = client_for(server.url(), Duration::from_secs(5));
        assert!(save(&client, CALL_BOUND).await.0.unwrap_or_else(|e| panic!("{what}: {e}")), "{what}");
    }
}

/// `envelope` with a comment holding the byte `byte` after its declaration.
fn single_byte(envelope: &str, byte: u8) -> Vec<u8> {
    let (declaration, rest) = envelope.split_at(envelope.find("?>").unwrap() + 2);
    [declaration.as_bytes(), b"<!-- caf", &[byte], b" -->", rest.as_bytes()].concat()
}

fn utf16(text: &str, little: bool, bom: bool) -> Vec<u8> {
    let mut out = match (bom, little) {
        (false, _) => Vec::new(),
        (true, true) => vec![0xFF, 0xFE],
        (true, false) => vec![0xFE, 0xFF],
    };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if little { unit.to_le_bytes() } else { unit.to_be_bytes() });
    }
    out
}

#[tokio::test]
async fn a_body_in_the_wrong_namespace_names_expected_and_found() {
    let body = ok_envelope().replace(
        &format!("<SaveCredentialResponse xmlns=\"{NS}\">"),
        "<SaveCredentialResponse xmlns=\"http://www.superoffice.net/ws/crm/NetServer/Services88\">",
    );
    let server = TestServer::always(Response::xml(200, body));
    let client = client_for(server.url(), Duration::from_secs(5));
    let e = save(&client, CALL_BOUND).await.0.unwrap_err();
    let DecodeErrorKind::UnexpectedElement { expected, found_ns, found } = decode_kind(&e) else { panic!("{e:?}") };
    assert_eq!(expected, &format!("{{{NS}}}SaveCredentialResponse"));
    assert_eq!(found_ns, "http://www.superoffice.net/ws/crm/NetServer/Services88");
    assert_eq!(found, "SaveCredentialResponse");
}

#[tokio::test]
async fn an_html_page_is_a_content_type_or_http_error() {
    let html = "<!DOCTYPE html><html><body><h1>Log in</h1></body></html>";
    let server = TestServer::always(Response::new(200, "text/html; charset=utf-8", html));
    let client = client_for(server.url(), Duration::from_secs(5));
    let e = save(&client, CALL_BOUND).await.0.unwrap_err();
    assert!(
        matches!(&e, Error::ContentType { content_type, excerpt } if content_type.starts_with("text/html") && excerpt.contains("Log in")),
        "{e:?}"
    );

    let server = TestServer::always(Response::new(502, "text/html", html));
    let client = client_for(server.url(), Duration::from_secs(5));
    let e = save(&client, CALL_BOUND).await.0.unwrap_err();
    assert!(matches!(&e, Error::Http { status: 502, .. }), "{e:?}");
}

#[tokio::test]
async fn deep_nesting_and_entity_bombs_over_http_are_decode_errors() {
    let deep = format!(
        r#"<s:Envelope xmlns:s="{SOAP11_NS}"><s:Body><SaveCredentialResponse xmlns="{NS}">{}"#,
        "<Unknown>".repeat(100_000)
    );
    let server = TestServer::always(Response::xml(200, deep));
    let client = client_for(server.url(), Duration::from_secs(5));
    let (result, took) = save(&client, CALL_BOUND).await;
    let e = result.unwrap_err();
    assert!(matches!(decode_kind(&e), DecodeErrorKind::Limit { what: "element nesting depth", .. }), "{e:?}");
    assert!(took < Duration::from_secs(3), "took {took:?}");

    let mut bomb = String::from("<!DOCTYPE s:Envelope [<!ENTITY a \"aaaaaaaaaa\">");
    for i in 1..10 {
        bomb.push_str(&format!(
            "<!ENTITY {} \"{}\">",
            (b'a' + i) as char,
            format!("&{};", (b'a' + i - 1) as char).repeat(10)
        ));
    }
    bomb.push_str("]>");
    bomb.push_str(&ok_envelope().replace("<Response>true", "<Response>&j;"));
    let server = TestServer::always(Response::xml(200, bomb));
    let client = client_for(server.url(), Duration::from_secs(5));
    let (result, took) = save(&client, CALL_BOUND).await;
    assert_eq!(decode_kind(&result.unwrap_err()), &DecodeErrorKind::DocType);
    assert!(took < Duration::from_secs(1), "took {took:?}");
}

// ---------------------------------------------------------------------------------------------
// size
// ---------------------------------------------------------------------------------------------

const HUGE: usize = 200 * 1024 * 1024;

/// A server that answers every request with a 200 MB body generated on the fly (never held in
/// memory), chunked or with a `Content-Length`, and counts the body bytes it managed to send.
struct HugeServer {
    port: u16,
    sent: Arc<AtomicUsize>,
    done: Arc<AtomicBool>,
}

impl HugeServer {
    fn start(chunked: bool) -> HugeServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let sent = Arc::new(AtomicUsize::new(0));
        let done = Arc::new(AtomicBool::new(false));
        let (sent2, done2) = (Arc::clone(&sent), Arc::clone(&done));
        std::thread::spawn(move || {
            let Ok((mut stream, _)) = listener.accept() else { return };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
            // Read the request head (the body is small and ignored).
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).map(|n| n > 0).unwrap_or(false) {
                head.push(byte[0]);
            }
            let framing =
                if chunked { "Transfer-Encoding: chunked".to_owned() } else { format!("Content-Length: {HUGE}") };
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\n{framing}\r\n\r\n");
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            let start =
                format!(r#"<s:Envelope xmlns:s="{SOAP11_NS}"><s:Body><SaveCredentialResponse xmlns="{NS}"><Response>"#);
            let mut piece = start.into_bytes();
            piece.resize(64 * 1024, b' ');
            let filler = vec![b' '; 64 * 1024];
            let mut total = 0;
            while total < HUGE {
                let data = if total == 0 { &piece } else { &filler };
                let result = if chunked {
                    stream
                        .write_all(format!("{:x}\r\n", data.len()).as_bytes())
                        .and_then(|()| stream.write_all(data))
                        .and_then(|()| stream.write_all(b"\r\n"))
                } else {
                    stream.write_all(data)
                };
                if result.is_err() {
                    break; // the client hung up
                }
                total += data.len();
                sent2.store(total, Ordering::SeqCst);
            }
            done2.store(true, Ordering::SeqCst);
        });
        HugeServer { port, sent, done }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/soap", self.port)
    }

    /// Bytes sent once the server stopped (the client hung up, or it sent everything). Waits
    /// asynchronously: the client's connection task must run to close the socket.
    async fn sent_when_done(&self) -> usize {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !self.done.load(Ordering::SeqCst) {
            assert!(Instant::now() < deadline, "the client did not close the connection");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.sent.load(Ordering::SeqCst)
    }
}

#[tokio::test]
async fn a_200_mb_chunked_body_is_refused_while_streaming() {
    let server = HugeServer::start(true);
    let mut client = client_for(server.url(), Duration::from_secs(10));
    client.soap_client_mut().set_max_response_size(1024 * 1024);
    let (result, took) = save(&client, CALL_BOUND).await;
    assert!(matches!(result, Err(Error::TooLarge { limit: 1_048_576 })), "{result:?}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
    // The client stopped reading right after the limit: the server could not send much more
    // than the limit plus what the socket buffers hold.
    let sent = server.sent_when_done().await;
    assert!(sent < 32 * 1024 * 1024, "the server sent {sent} bytes before the client hung up");
}

#[tokio::test]
async fn a_200_mb_body_is_refused_with_the_default_limit() {
    let server = HugeServer::start(true);
    let client = client_for(server.url(), Duration::from_secs(30));
    let (result, _) = save(&client, Duration::from_secs(40)).await;
    assert!(matches!(result, Err(Error::TooLarge { limit }) if limit == 64 * 1024 * 1024), "{result:?}");
    let sent = server.sent_when_done().await;
    assert!(sent < 100 * 1024 * 1024, "the server sent {sent} bytes before the client hung up");
}

#[tokio::test]
async fn an_announced_200_mb_body_is_refused_before_reading_it() {
    let server = HugeServer::start(false);
    let mut client = client_for(server.url(), Duration::from_secs(10));
    client.soap_client_mut().set_max_response_size(1024 * 1024);
    let (result, took) = save(&client, CALL_BOUND).await;
    assert!(matches!(result, Err(Error::TooLarge { limit: 1_048_576 })), "{result:?}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
    let sent = server.sent_when_done().await;
    assert!(sent < 32 * 1024 * 1024, "the server sent {sent} bytes before the client hung up");
}

// ---------------------------------------------------------------------------------------------
// addresses from responses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn redirects_are_not_followed() {
    // The request carries credentials: it must not be re-sent to an address a response names.
    let elsewhere = TestServer::always(Response::xml(200, ok_envelope()));
    for status in [301, 302, 303, 307, 308] {
        let location = elsewhere.url();
        let server = TestServer::always(Response::empty(status).with_header("Location", &location));
        let client = client_for(server.url(), Duration::from_secs(5));
        let e = save(&client, CALL_BOUND).await.0.unwrap_err();
        assert!(matches!(e, Error::Http { status: s, .. } if s == status), "{status}: {e:?}");
        assert_eq!(server.request_count(), 1);
    }
    assert_eq!(elsewhere.request_count(), 0, "a redirect was followed");
}

// ---------------------------------------------------------------------------------------------
// concurrency
// ---------------------------------------------------------------------------------------------

/// Runs `calls` concurrent `save_credential` calls through clones of `client`; all must succeed.
async fn concurrent_calls(client: &UserClient, calls: usize) {
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.save_credential(42, credential()).await })
        })
        .collect();
    for task in tasks {
        assert!(task.await.expect("no panic").expect("the call succeeds"));
    }
}

#[tokio::test]
async fn a_thousand_concurrent_calls_succeed_within_the_connection_limit() {
    let server = TestServer::always(Response::xml(200, ok_envelope()));
    let client = client_for(server.url(), Duration::from_secs(30));
    let limit = client.soap_client().max_concurrent_requests();
    assert_eq!(limit, services87::runtime::DEFAULT_MAX_CONCURRENT_REQUESTS);
    tokio::time::timeout(Duration::from_secs(60), concurrent_calls(&client, 1000)).await.expect("in time");
    assert_eq!(server.request_count(), 1000);
    let connections = server.connections();
    assert!(connections <= limit, "{connections} connections for a limit of {limit}");

    // A lower limit is honoured the same way.
    let server = TestServer::always(Response::xml(200, ok_envelope()));
    let mut client = client_for(server.url(), Duration::from_secs(30));
    client.soap_client_mut().set_max_concurrent_requests(4);
    tokio::time::timeout(Duration::from_secs(60), concurrent_calls(&client, 200)).await.expect("in time");
    assert!(server.connections() <= 4, "{} connections for a limit of 4", server.connections());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_on_a_multi_threaded_runtime() {
    let server = TestServer::always(Response::xml(200, ok_envelope()));
    let client = client_for(server.url(), Duration::from_secs(30));
    let limit = client.soap_client().max_concurrent_requests();
    tokio::time::timeout(Duration::from_secs(60), concurrent_calls(&client, 1000)).await.expect("in time");
    assert_eq!(server.request_count(), 1000);
    // At most `limit` connections are in use at once; here reqwest may now and then open a
    // fresh one before a finished one is back in its pool (see `set_max_concurrent_requests`),
    // and its pool keeps at most `limit` idle ones. Without the limit this would be hundreds.
    let connections = server.connections();
    assert!(connections <= 2 * limit, "{connections} connections for a limit of {limit}");
}
